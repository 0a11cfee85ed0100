"""Stage 3, Taliban decisions: score the districts once, then each unit picks a target and moves.

A district's attraction (computed for the whole map at once) grows with how weakly it is held,
whether its garrison is cut off or demoralised, and its population; a provincial capital
attracts only once most of its neighbours are lost (capitals are besieged, not stormed first).
Each unit keeps its target until it falls, choosing a new one within its sensing range (with a
personal random preference and a cost per hop), or heading for the nearest front if it sees none.
Units walk one district a day; several choosing the same target mass there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.agents import Control, Task

if TYPE_CHECKING:
    from sim.model import OffensiveModel


def garrison_morale(model: OffensiveModel) -> np.ndarray:
    """Troop-weighted mean morale of the garrisons in each district (0 where there are none)."""
    n = model.map.n
    gs = model.garrisons()
    if not gs:
        return np.zeros(n)
    where = np.fromiter((g.district for g in gs), int, len(gs))
    troops = np.fromiter((g.troops for g in gs), float, len(gs))
    morale = np.fromiter((g.morale for g in gs), float, len(gs))
    total = np.bincount(where, weights=troops, minlength=n)
    weighted = np.bincount(where, weights=troops * morale, minlength=n)
    return np.divide(weighted, total, out=np.zeros(n), where=total > 0)


def lost_share(model: OffensiveModel) -> np.ndarray:
    """Share of each district's neighbours held by the Taliban."""
    m = model.map
    taliban = (model.control == Control.TALIBAN).astype(float)
    return (m.adjacency @ taliban) / m.degree


def attraction(model: OffensiveModel, defenders: np.ndarray) -> np.ndarray:
    """Score of every district as a target today (``-inf`` where not a target)."""
    cfg, m = model.config.taliban, model.map
    value = np.log1p(m.population) / np.log1p(m.population.max())
    score = (cfg.w_weakness / (1.0 + defenders / 100.0)
             + cfg.w_cut_off * model.cut_off
             + cfg.w_low_morale * (1.0 - garrison_morale(model))
             + cfg.w_value * value)
    surrounded = lost_share(model) >= cfg.frac_capital_surrounded
    score = np.where(m.is_capital, np.where(surrounded, score + cfg.w_capital, -np.inf), score)
    score[model.control == Control.TALIBAN] = -np.inf
    return score


def advance(model: OffensiveModel) -> None:
    """Every unit (re)chooses a target if it needs one and takes a step toward it."""
    cfg = model.config.taliban
    rng = model.streams["taliban"]
    hops = model.map.hops
    _, government, militia = model.presence()
    score = attraction(model, government + militia)
    targets = np.flatnonzero(np.isfinite(score))
    for unit in model.units():
        if len(targets) == 0:
            unit.task, unit.target = Task.HOLD, None
            continue
        here = unit.district
        if unit.target is None or not np.isfinite(score[unit.target]):
            seen = model.sight[here]
            value = score[seen] - cfg.w_distance * hops[here, seen]
            value = value + cfg.w_noise * rng.gumbel(size=len(seen))
            if np.isfinite(value).any():
                unit.target = int(seen[np.argmax(value)])
            else:
                unit.target = int(targets[np.argmin(hops[here, targets])])
        if unit.target == here:
            unit.task = Task.BESIEGE
        else:
            unit.step_toward(unit.target)
            unit.task = Task.MOVE
