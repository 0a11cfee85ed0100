"""Compiled rule of the control stage (Numba): who holds each district after the day's moves.

``new_control`` is the rule itself (``sim.stages.control.new_control`` calls it); ``changes``
applies it and notes the day's falls, as the numpy code of ``sim.stages.control.update`` did, bit
for bit. Codes are ``sim.world.agents.Control``'s and ``Cause``'s, passed as integers.
"""

from __future__ import annotations

import numba
import numpy as np

GOVERNMENT, CONTESTED, TALIBAN = 0, 1, 2  # sim.world.agents.Control
NONE, ABANDONMENT = 0, 5  # sim.world.agents.Cause


@numba.njit(cache=True, nogil=True)
def new_control(old, taliban, defenders, exposed, given_up):  # pragma: no cover - compiled
    """Control after today's moves, from presence and yesterday's control.

    Both sides present: contested; only Taliban fighters: Taliban-held; only defenders:
    government. Nobody: as before, but a district not Taliban-held that is ``exposed`` (next
    to Taliban ground) or ``given_up`` today falls to the Taliban.
    """
    new = old.copy()
    for d in range(len(old)):
        tal, gov = taliban[d] > 0, defenders[d] > 0
        if tal:
            new[d] = CONTESTED if gov else TALIBAN
        elif gov:
            new[d] = GOVERNMENT
        elif old[d] != TALIBAN and (exposed[d] or given_up[d]):
            new[d] = TALIBAN
    return new


@numba.njit(cache=True, nogil=True)
def changes(control, taliban, defenders, exposed, pending_cause, fell_day, fell_cause,
            last_fell_day, last_cause, day):  # pragma: no cover - compiled
    """Apply today's control to ``control``; return the districts fallen, their causes, retaken.

    A district falls when it passes to the Taliban today; its cause is the pending one (what
    its defenders did today), abandonment if none. The first fall of each district is noted
    (``fell_day``, ``fell_cause``) and every fall (``last_fell_day``, ``last_cause``); the
    pending causes are kept only where the government still holds.
    """
    given_up = pending_cause != NONE
    new = new_control(control, taliban, defenders, exposed, given_up)
    fell = np.flatnonzero((new == TALIBAN) & (control != TALIBAN))
    retaken = np.flatnonzero((control == TALIBAN) & (new != TALIBAN))
    causes = pending_cause[fell]
    for k in range(len(fell)):
        d = fell[k]
        if causes[k] == NONE:
            causes[k] = ABANDONMENT
        if np.isnan(fell_day[d]):
            fell_day[d] = day
            fell_cause[d] = causes[k]
        last_fell_day[d] = day
        last_cause[d] = causes[k]
    for d in range(len(control)):
        if new[d] != GOVERNMENT:
            pending_cause[d] = NONE
        control[d] = new[d]
    return fell, causes, retaken


@numba.njit(cache=True, nogil=True)
def first_at_caches(cache, control, district, slots):  # pragma: no cover - compiled
    """Taliban-held districts where equipment waits and units stand, with the first unit there.

    The districts in id order, each with the first of ``slots`` standing in it: ``np.unique``'s
    first occurrences of the units' districts among those with ``cache > 0``.
    """
    first = np.full(len(cache), -1, np.intp)
    for s in slots:
        d = district[s]
        if cache[d] > 0 and control[d] == TALIBAN and first[d] < 0:
            first[d] = s
    districts = (first >= 0).nonzero()[0]
    return districts, first[districts]
