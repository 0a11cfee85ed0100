"""Stage 4b, government redeployment: commandos to threatened capitals, and consolidation.

Commandos are the mobile reserve: each day a few units are flown (only while helicopters fly)
from the quietest places to the government-held provincial capital under the most pressure.
Consolidation is the government's own choice, made once the state of the war calls for it: when
the belief that the republic will survive falls below ``consolidation_belief`` or the Taliban hold
more than ``consolidation_frac_lost`` of the districts. From then on, rural posts that are cut off
or besieged pull back, each with its own daily chance (cut-off posts sooner than besieged ones
still on a road), to the nearest place kept (a held capital and, with ``keep_approaches``, the
posts next to it; a border crossing, air base or corps base) along a route the Taliban do not
hold, leaving part of their equipment. A voluntary withdrawal is not a defeat: it does not feed
the contagion of nearby losses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.stages import belief, supply
from sim.world.agents import Cause, Control

if TYPE_CHECKING:
    from sim.model.model import OffensiveModel


def withdraw(model: OffensiveModel, garrison, destination: int) -> None:
    """Move ``garrison`` to ``destination``; equipment left behind waits for the Taliban."""
    origin = garrison.district
    left = garrison.relocate(destination, model.config.surrender.frac_equipment_left)
    model.equipment_cache[origin] += left
    model.pending_cause[origin] = Cause.WITHDRAWAL
    model.log(origin, "withdrawal", Cause.WITHDRAWAL, garrison.troops, left)


def decide_consolidation(model: OffensiveModel) -> bool:
    """Whether the government consolidates from today (decided once, from the state)."""
    cfg = model.config.government
    if model.consolidating or not cfg.use_consolidation:
        return model.consolidating
    lost = np.count_nonzero(model.control == Control.TALIBAN) / len(model.control)
    if belief.national(model) < cfg.consolidation_belief or lost > cfg.consolidation_frac_lost:
        model.consolidating = True
        model.log(int(model.map.is_national_capital.nonzero()[0][0])
                  if model.map.is_national_capital.any() else 0, "consolidation")
    return model.consolidating


def kept(model: OffensiveModel) -> np.ndarray:
    """Mask of the places consolidation keeps: capitals (and their approaches), crossings, bases."""
    m = model.map
    keep = m.is_capital | m.is_border_crossing | m.has_airfield | m.is_hub
    if model.config.government.keep_approaches:
        keep = keep | (m.neighbour_sum(m.is_capital.astype(float)) > 0)
    return keep


def consolidate(model: OffensiveModel) -> None:
    """Pull back, each with its daily chance, the cut-off or besieged rural army/police posts."""
    cfg = model.config.government
    keep = kept(model)
    held = model.control != Control.TALIBAN
    exposed = model.cut_off | (model.control == Control.CONTESTED)
    g = model.garrison_table
    slots = g.live()
    where = g.district[slots]
    movers = slots[~g.commando[slots] & ~keep[where] & exposed[where]]
    rate = np.where(model.cut_off[g.district[movers]], cfg.rate_pull_back_cut_off,
                    cfg.rate_pull_back_besieged)
    movers = movers[model.streams["government"].random(len(movers)) < rate]
    if len(movers) == 0:
        return
    destination = supply.nearest(model, keep & held)[g.district[movers]]
    go = (destination >= 0) & (destination != g.district[movers])
    for garrison, d in zip(g.members(movers[go]), destination[go].tolist(), strict=True):
        withdraw(model, garrison, d)


def fly_commandos(model: OffensiveModel) -> None:
    """Fly up to ``n_commando_moves`` commando units to the most pressed held capitals."""
    m = model.map
    if model.air_force.sorties(model.day)[3] <= 0:
        return
    taliban, government, militia = model.presence()
    threat = (taliban + m.neighbour_sum(taliban)) / (government + militia + 1.0)
    held = m.is_capital & (model.control != Control.TALIBAN)
    capitals = (held & (threat >= model.config.government.commando_min_threat)).nonzero()[0]
    if len(capitals) == 0:
        return
    table = model.garrison_table
    slots = table.live()
    slots = slots[table.commando[slots]]
    commandos = table.members(slots[np.argsort(threat[table.district[slots]], kind="stable")])
    for g, dest in zip(commandos, capitals[np.argsort(-threat[capitals])], strict=False):
        if model.today.get("commando_moves", 0) >= model.config.government.n_commando_moves:
            break
        if threat[dest] > threat[g.district] and dest != g.district:
            g.relocate(int(dest), frac_equipment_left=0.0)  # flown with all its kit
            model.log(int(dest), "commando_moves", troops=g.troops)


def redeploy(model: OffensiveModel) -> None:
    """Consolidate if the government has chosen to, then move the commando reserve."""
    if decide_consolidation(model):
        consolidate(model)
    fly_commandos(model)
