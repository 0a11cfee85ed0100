"""Stage 3, the Taliban campaign: value every district as an objective, allocate units, move.

The campaign values each district not yet held from the state of the war and sourced map data:
weakly held, cut-off or demoralised posts; border crossings (customs revenue) and main roads;
the road districts next to a government-held capital (cutting its roads); the home districts of
rival militias before they rise (pre-emption). A provincial capital becomes an objective only
once it is cut off (no convoy route from a hub reaches it through ground the Taliban do not
hold) and its garrison is weak (its troop-weighted morale below ``ripe_morale``). A unit in
reserve (holding Taliban ground) commits to an objective at a daily rate; a committed unit keeps
its objective until it is taken or no longer valued, and now and then reconsiders. When it
chooses, it weighs value against distance (anywhere on the map: units redeploy across provinces)
and against the force already sent there (the need met), so the campaign spreads its units over
objectives and masses where the defence is strong. Units walk one district a day.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.agents import TASK_CODE, Control, Task, move, next_step

if TYPE_CHECKING:
    from sim.model import OffensiveModel


def garrison_morale(model: OffensiveModel) -> np.ndarray:
    """Troop-weighted mean morale of the garrisons in each district (0 where there are none)."""
    n, g = model.map.n, model.garrison_table
    live = g.live()
    where, troops = g.district[live], g.troops[live]
    total = np.bincount(where, weights=troops, minlength=n)
    weighted = np.bincount(where, weights=troops * g.morale[live], minlength=n)
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


def choose_in_turn(score: np.ndarray, crowding: np.ndarray, sent: np.ndarray, noise: float,
                   uniforms: np.ndarray, aimed: list[int], fighters: list[float]) -> list[int]:
    """Each chooser in turn picks an objective; return the picks (indices of ``score``'s columns).

    Row ``i`` of ``score`` is chooser ``i``'s value of each objective before crowding; net of
    crowding (``crowding * sent``) and with Gumbel noise of scale ``noise`` added, it takes the
    best. That argmax is drawn from its law (the Gumbel-max trick: objective ``j`` with
    probability proportional to ``exp(net_j / noise)``) by inverting the cumulative weights with
    one of ``uniforms``, so no noise matrix is drawn. A chooser withdraws its ``fighters`` from its
    old objective ``aimed[i]`` (if >= 0) and adds them to the one it picks, so that the next sees
    them (``sent`` is updated in place). With ``noise`` 0 it takes the best net score.
    """
    picks = []
    if noise == 0:
        net = np.empty(score.shape[1])
        for row, old, size in zip(score, aimed, fighters, strict=True):
            if old >= 0:
                sent[old] -= size
            best = int(np.subtract(row, crowding * sent, out=net).argmax())
            sent[best] += size
            picks.append(best)
        return picks
    weight = np.exp((score - score.max(axis=1, keepdims=True)) / noise)
    damp = np.exp(-crowding * sent / noise)  # the crowding factor, kept in step with ``sent``
    buffer = np.empty(score.shape[1])
    for i, (row, old, size, u) in enumerate(zip(weight, aimed, fighters, uniforms.tolist(),
                                                strict=True)):
        if old >= 0:
            sent[old] -= size
            damp[old] = np.exp(-crowding[old] * sent[old] / noise)
        cumulative = np.cumsum(np.multiply(row, damp, out=buffer), out=buffer)
        if not cumulative[-1] > 1e-250:  # every weight underflowed: recompute in log space
            net = score[i] - crowding * sent
            cumulative = np.cumsum(np.exp((net - net.max()) / noise))
        best = min(int(np.searchsorted(cumulative, u * cumulative[-1], side="right")),
                   len(cumulative) - 1)
        sent[best] += size
        damp[best] = np.exp(-crowding[best] * sent[best] / noise)
        picks.append(best)
    return picks


def advance(model: OffensiveModel) -> None:
    """Every unit (re)chooses an objective if it needs one and takes a step toward it.

    Units choose one after another (in order of creation), each seeing the force the ones
    before it sent; each weighs only today's objectives, with its own Gumbel noise (sampled
    through its law: one uniform draw per chooser, see :func:`choose_in_turn`).
    """
    cfg = model.config.campaign
    rng = model.streams["taliban"]
    t = model.unit_table
    live = t.live()
    _, government, militia = model.presence()
    defenders = government + militia
    value = objective_values(model, defenders)
    objectives = np.flatnonzero(np.isfinite(value))
    if len(objectives) == 0:
        t.task[live], t.target[live] = TASK_CODE[Task.HOLD], -1
        return
    fort = np.where(model.map.is_capital, model.config.combat.fortification_capital,
                    model.config.combat.fortification_district)
    need = np.maximum(cfg.assault_odds * defenders * fort, model.config.forces.taliban_unit_size)
    here, target, fighters = t.district[live], t.target[live], t.fighters[live]
    index = np.full(model.map.n + 1, -1)  # objective index of each district; -1 (and at -1) none
    index[objectives] = np.arange(len(objectives))
    aimed = index[target]  # -1: in reserve, or its objective is no longer one
    sent = np.bincount(aimed[aimed >= 0], weights=fighters[aimed >= 0], minlength=len(objectives))
    draws = rng.random(len(live))
    choose = np.where(target < 0, draws < cfg.p_commit, (aimed < 0) | (draws < cfg.p_replan))
    choosers = np.flatnonzero(choose)
    if len(choosers):
        hops = model.map.hops[here[choosers][:, None], objectives[None, :]]
        chosen = choose_in_turn(value[objectives] - cfg.w_distance * hops,
                                cfg.w_crowding / need[objectives], sent, cfg.w_noise,
                                rng.random(len(choosers)), aimed[choosers].tolist(),
                                fighters[choosers].tolist())
        target[choosers] = objectives[chosen]
        t.target[live] = target
    task = np.where(target < 0, TASK_CODE[Task.HOLD],
                    np.where(target == here, TASK_CODE[Task.BESIEGE], TASK_CODE[Task.MOVE]))
    t.task[live] = task
    movers = np.flatnonzero((target >= 0) & (target != here))
    if len(movers):
        move(model, t, live[movers], next_step(model, here[movers], target[movers]))
