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

from sim.world import control_kernels
from sim.world.agents import Cause, Control

if TYPE_CHECKING:
    from sim.model.model import OffensiveModel


def new_control(old: np.ndarray, taliban: np.ndarray, defenders: np.ndarray,
                exposed: np.ndarray, given_up: np.ndarray) -> np.ndarray:
    """Control after today's moves, from presence and yesterday's control (pure function).

    Compiled (``sim.world.control_kernels.new_control``, the rule :func:`update` applies).
    """
    return control_kernels.new_control(old, taliban, defenders, exposed, given_up)


def collect_caches(model: OffensiveModel) -> None:
    """Units in Taliban-held districts pick up the equipment waiting there."""
    t = model.unit_table  # compiled: the districts in id order, the first unit in each takes it
    districts, first = control_kernels.first_at_caches(model.equipment_cache, model.control,
                                                       t.district, t.live())
    for unit, d in zip(t.members(first), districts.tolist(), strict=True):
        unit.take_equipment(model.equipment_cache[d])
        model.equipment_cache[d] = 0.0


def update(model: OffensiveModel) -> np.ndarray:
    """Apply today's changes of hands and log each one with its cause.

    Returns the provincial capitals (district ids) the Taliban took today.
    """
    taliban, government, militia = model.presence()
    exposed = model.map.neighbour_sum(model.control == Control.TALIBAN) > 0
    # compiled (sim.world.control_kernels.changes): the rule applied, the day's falls noted
    fell, causes, retaken = control_kernels.changes(
        model.control, taliban, government + militia, exposed, model.pending_cause,
        model.fell_day, model.fell_cause, model.last_fell_day, model.last_cause, model.day)
    # the equipment left rounded as the log rounds numpy's floats (numpy's rule, in one call;
    # the log's Python rounding leaves these values as they are), at Python floats' cost
    left = np.round(model.equipment_cache[fell], 1).tolist()
    for d, cause, equipment in zip(fell, causes.tolist(), left, strict=True):
        model.log(d, "fell", Cause(cause), equipment=equipment)
        model.today["districts_fell"] += 1
    for d in retaken:
        model.log(d, "retaken", Cause.RETAKEN)
    collect_caches(model)
    return fell[model.map.is_capital[fell]]
