"""Stage 8a, control: who holds each district follows who is there; changes are logged.

Both sides present: contested. Only the Taliban: Taliban-held. Only defenders: government.
Nobody: a Taliban-held district stays so; a government district its defenders gave up today
(surrender, negotiation, withdrawal, a deal) is taken by the Taliban, and so is one left empty
next to Taliban territory (abandonment). Equipment left behind goes to a unit present, or waits
in the district for the next unit to come by.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.world.agents import Cause, Control

if TYPE_CHECKING:
    from sim.model.model import OffensiveModel


def new_control(old: np.ndarray, taliban: np.ndarray, defenders: np.ndarray,
                exposed: np.ndarray, given_up: np.ndarray) -> np.ndarray:
    """Control after today's moves, from presence and yesterday's control (pure function)."""
    tal, gov = taliban > 0, defenders > 0
    new = old.copy()
    new[tal & gov] = Control.CONTESTED
    new[tal & ~gov] = Control.TALIBAN
    new[~tal & gov] = Control.GOVERNMENT
    new[~tal & ~gov & (old != Control.TALIBAN) & (exposed | given_up)] = Control.TALIBAN
    return new


def collect_caches(model: OffensiveModel) -> None:
    """Units in Taliban-held districts pick up the equipment waiting there."""
    waiting = (model.equipment_cache > 0) & (model.control == Control.TALIBAN)
    if not waiting.any():
        return
    t = model.unit_table
    slots = t.live()
    slots = slots[waiting[t.district[slots]]]
    districts, first = np.unique(t.district[slots], return_index=True)  # first unit there takes it
    for unit, d in zip(t.members(slots[first]), districts.tolist(), strict=True):
        unit.take_equipment(model.equipment_cache[d])
        model.equipment_cache[d] = 0.0


def update(model: OffensiveModel) -> np.ndarray:
    """Apply today's changes of hands and log each one with its cause.

    Returns the provincial capitals (district ids) the Taliban took today.
    """
    taliban, government, militia = model.presence()
    old = model.control
    exposed = model.map.neighbour_sum(old == Control.TALIBAN) > 0
    new = new_control(old, taliban, government + militia, exposed,
                      model.pending_cause != Cause.NONE)
    fell = ((new == Control.TALIBAN) & (old != Control.TALIBAN)).nonzero()[0]
    causes = model.pending_cause[fell]
    causes[causes == Cause.NONE] = Cause.ABANDONMENT
    first = np.isnan(model.fell_day[fell])
    model.fell_day[fell[first]] = model.day
    model.fell_cause[fell[first]] = causes[first]
    model.last_fell_day[fell] = model.day
    model.last_cause[fell] = causes
    for d, cause, equipment in zip(fell, causes.tolist(), model.equipment_cache[fell], strict=True):
        model.log(d, "fell", Cause(cause), equipment=equipment)
        model.today["districts_fell"] += 1
    for d in ((old == Control.TALIBAN) & (new != Control.TALIBAN)).nonzero()[0]:
        model.log(d, "retaken", Cause.RETAKEN)
    model.pending_cause[new != Control.GOVERNMENT] = Cause.NONE
    model.control[:] = new
    collect_caches(model)
    return fell[model.map.is_capital[fell]]
