"""Stage 4b, government redeployment: commandos to threatened capitals, and consolidation.

Commandos are the mobile reserve: each day a few units are flown (only while helicopters can
fly lift) from the quietest places to the government-held provincial capital under the most
pressure. Under a consolidation policy (``consolidation_day``), rural garrisons that still have a
road withdraw to the nearest government-held capital, leaving part of their equipment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.agents import Cause, Control, Force

if TYPE_CHECKING:
    from sim.model import OffensiveModel

MIN_THREAT = 0.25  # attackers per defender around a capital before commandos are sent


def withdraw(model: OffensiveModel, garrison, destination: int) -> None:
    """Move ``garrison`` to ``destination``; equipment left behind waits for the Taliban."""
    origin = garrison.district
    left = garrison.relocate(destination, model.config.surrender.frac_equipment_left)
    model.equipment_cache[origin] += left
    model.pending_cause[origin] = Cause.WITHDRAWAL
    model.log(origin, "withdrawal", Cause.WITHDRAWAL, garrison.troops, left)


def consolidate(model: OffensiveModel) -> None:
    """Withdraw every rural army/police garrison that has a road to a held capital."""
    for g in model.garrisons():
        d = g.district
        home = model.route_home[d]
        if g.force is Force.ARMY_POLICE and not model.map.is_capital[d] and home >= 0:
            withdraw(model, g, int(home))


def fly_commandos(model: OffensiveModel) -> None:
    """Fly up to ``n_commando_moves`` commando units to the most pressed held capitals."""
    m = model.map
    _, helo_lift, _ = model.air_force.sorties(model.day)
    if helo_lift <= 0:
        return
    taliban, government, militia = model.presence()
    threat = (taliban + m.adjacency @ taliban) / (government + militia + 1.0)
    held = m.is_capital & (model.control != Control.TALIBAN)
    capitals = np.flatnonzero(held & (threat >= MIN_THREAT))
    if len(capitals) == 0:
        return
    commandos = sorted((g for g in model.garrisons() if g.force is Force.COMMANDO),
                       key=lambda g: threat[g.district])
    for g, dest in zip(commandos, capitals[np.argsort(-threat[capitals])], strict=False):
        if model.today["commando_moves"] >= model.config.government.n_commando_moves:
            break
        if threat[dest] > threat[g.district] and dest != g.district:
            g.relocate(int(dest), frac_equipment_left=0.0)  # flown with all its kit
            model.log(int(dest), "commando_moves", troops=g.troops)


def redeploy(model: OffensiveModel) -> None:
    """Consolidate if the policy says so, then move the commando reserve."""
    day = model.config.government.consolidation_day
    if day is not None and model.day >= day:
        consolidate(model)
    fly_commandos(model)
