"""Stage 3, the Taliban campaign: value every district as an objective, allocate units, move.

The campaign values each district not yet held from the state of the war and sourced map data:
weakly held, cut-off or demoralised posts; border crossings (customs revenue) and main roads;
the road districts next to a government-held capital (cutting its roads); the home districts of
rival militias before they rise (pre-emption). A provincial capital becomes an objective only
once it is cut off (no convoy route from a hub reaches it through ground the Taliban do not
hold) and its garrison is weak (its troop-weighted morale below ``ripe_morale``). A unit in
reserve (holding Taliban ground) commits to an objective at a daily rate; a unit without an
objective in a contested district keeps contesting it (local fighters hold their ground); a
committed unit keeps its objective until it is taken or no longer valued, and now and then
reconsiders. When it chooses, it weighs value against distance (anywhere on the map: units
redeploy across provinces) and against the force already sent there (the need met), so the
campaign spreads its units over objectives and masses where the defence is strong. Units walk
one district a day.
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


def objective_values(model: OffensiveModel, defenders: np.ndarray) -> np.ndarray:
    """Value of every district as an objective today (``-inf`` where it is not one)."""
    cfg, m = model.config.campaign, model.map
    held = model.control != Control.TALIBAN
    capital_held = m.is_capital & held
    road_cut = m.road_adjacency @ capital_held.astype(float) > 0
    militia_home = model.unmobilised_militia_home()
    morale = garrison_morale(model)
    score = (cfg.w_weakness / (1.0 + defenders / cfg.weakness_scale)
             + cfg.w_cut_off * model.cut_off
             + cfg.w_low_morale * (1.0 - morale)
             + cfg.w_value * m.value
             + cfg.w_border * m.is_border_crossing
             + cfg.w_highway * m.on_road
             + cfg.w_road_cut * (road_cut & ~m.is_capital)
             + cfg.w_militia * militia_home)
    ripe = model.cut_off & (morale < cfg.ripe_morale)
    score = np.where(m.is_capital, np.where(ripe, score + cfg.w_capital, -np.inf), score)
    score[~held] = -np.inf
    return score


def advance(model: OffensiveModel) -> None:
    """Every unit (re)chooses an objective if it needs one and takes a step toward it."""
    cfg = model.config.campaign
    rng = model.streams["taliban"]
    hops = model.map.hops
    _, government, militia = model.presence()
    defenders = government + militia
    value = objective_values(model, defenders)
    valid = np.isfinite(value)
    if not valid.any():
        for unit in model.units():
            unit.task, unit.target = Task.HOLD, None
        return
    fort = np.where(model.map.is_capital, model.config.combat.fortification_capital,
                    model.config.combat.fortification_district)
    need = np.maximum(cfg.assault_odds * defenders * fort, model.config.forces.taliban_unit_size)
    units = model.units()
    sent = np.zeros(model.map.n)
    for unit in units:
        if unit.target is not None and valid[unit.target]:
            sent[unit.target] += unit.fighters
    draws = rng.random(len(units))
    fighting = model.control == Control.CONTESTED
    for unit, draw in zip(units, draws, strict=True):
        here = unit.district
        if unit.target is None:
            choose = draw < cfg.p_commit and not fighting[here]
        else:
            choose = not valid[unit.target] or draw < cfg.p_replan
        if choose:
            if unit.target is not None and valid[unit.target]:
                sent[unit.target] -= unit.fighters
            score = (value - cfg.w_distance * hops[here] - cfg.w_crowding * sent / need
                     + cfg.w_noise * rng.gumbel(size=len(value)))
            unit.target = int(np.argmax(score))
            sent[unit.target] += unit.fighters
        if unit.target is None:
            unit.task = Task.HOLD
        elif unit.target == here:
            unit.task = Task.BESIEGE
        else:
            unit.step_toward(unit.target)
            unit.task = Task.MOVE
