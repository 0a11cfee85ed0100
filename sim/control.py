"""Stage 8a, control: who holds each district follows who is there; changes are logged.

Both sides present: contested. Only the Taliban: Taliban-held. Only defenders: government.
Nobody: a Taliban-held district stays so; a government district left empty next to Taliban
territory is taken (by the cause its last garrison left with, else abandonment). Equipment left
behind goes to a unit present, or to the Taliban at large.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.agents import Cause, Control

if TYPE_CHECKING:
    from sim.model import OffensiveModel


def new_control(old: np.ndarray, taliban: np.ndarray, defenders: np.ndarray,
                exposed: np.ndarray) -> np.ndarray:
    """Control after today's moves, from presence and yesterday's control (pure function)."""
    tal, gov = taliban > 0, defenders > 0
    new = old.copy()
    new[tal & gov] = Control.CONTESTED
    new[tal & ~gov] = Control.TALIBAN
    new[~tal & gov] = Control.GOVERNMENT
    new[~tal & ~gov & (old != Control.TALIBAN) & exposed] = Control.TALIBAN
    return new


def update(model: OffensiveModel) -> None:
    """Apply today's changes of hands and log each one with its cause."""
    taliban, government, militia = model.presence()
    old = model.control
    exposed = model.map.adjacency @ (old == Control.TALIBAN).astype(float) > 0
    new = new_control(old, taliban, government + militia, exposed)
    units_at = {}
    for u in model.units():
        units_at.setdefault(u.district, u)
    for d in np.flatnonzero(new != old):
        if new[d] == Control.TALIBAN:
            cause = Cause(model.pending_cause[d]) if model.pending_cause[d] else Cause.ABANDONMENT
            if np.isnan(model.fell_day[d]):
                model.fell_day[d] = model.day
                model.fell_cause[d] = cause
            model.last_fell_day[d] = model.day
            model.pending_cause[d] = Cause.NONE
            cache, model.equipment_cache[d] = model.equipment_cache[d], 0.0
            if d in units_at:
                units_at[d].take_equipment(cache)
            else:
                model.ledger["equipment_captured"] += cache
            model.log(d, "fell", cause, equipment=cache)
            model.today["districts_fell"] += 1
        elif old[d] == Control.TALIBAN:
            model.log(d, "retaken", Cause.RETAKEN)
    model.control[:] = new
