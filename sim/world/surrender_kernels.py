"""Compiled arithmetic of the surrender stage (Numba): desertion, a post's odds of giving up.

The kernels compute what needs no logarithm or power of ``sim.stages.surrender``'s desertion
rate and ``p_give_up``'s logit, bit for bit: each product in the expression's order (no fused
multiply-adds), a mask's term its weight times 1.0 or 0.0 as numpy casts it. The odds'
logarithm, the logistic's exponential and the collapse's power stay numpy's (a compiled one
could differ in its last bit). Their references, the numpy code they replaced, are in
``tests/test_stage_kernels.py``.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def give_up_terms(slots, ammo_days, supply_days, morale, district, cut_off_days, threshold,
                  belief, province_index, attackers, defenders, w_no_ammo, w_no_supplies,
                  w_low_morale, w_belief, w_cut_off):  # pragma: no cover - compiled
    """Per garrison of ``slots``: the logit's first five terms summed, the odds, the threshold.

    The terms: no ammunition, no supplies, low morale, the leadership's lost belief (that of
    the garrison's province), cut off; the odds ``max(attackers, 1) / max(defenders, 1)``.
    """
    m = len(slots)
    terms, odds, own = np.empty(m), np.empty(m), np.empty(m)
    for i in range(m):
        s = slots[i]
        terms[i] = (w_no_ammo * (1.0 if ammo_days[s] < 1.0 else 0.0)
                    + w_no_supplies * (1.0 if supply_days[s] < 1.0 else 0.0)
                    + w_low_morale * (1.0 - morale[s])
                    + w_belief * (1.0 - belief[province_index[district[s]]])
                    + w_cut_off * (1.0 if cut_off_days[s] > 0 else 0.0))
        odds[i] = max(attackers[i], 1.0) / max(defenders[i], 1.0)
        own[i] = threshold[s]
    return terms, odds, own


@numba.njit(cache=True, nogil=True)
def desertion_terms(slots, troops, morale, district, belief, province_index):  # pragma: no cover
    """Per garrison of ``slots``: the whole troops that may desert, the collapse's base.

    The people of ``np.where(troops >= 1, troops, 0).astype(np.int64)`` and
    ``(1 - morale) * (1 - belief)``, the leadership's belief that of the garrison's province.
    """
    m = len(slots)
    people, base = np.empty(m, np.int64), np.empty(m)
    for i in range(m):
        s = slots[i]
        people[i] = np.int64(troops[s]) if troops[s] >= 1 else 0
        base[i] = (1.0 - morale[s]) * (1.0 - belief[province_index[district[s]]])
    return people, base


def warm() -> None:
    """Load (or compile) the kernel for the argument types the stage passes."""
    slots, one, count = np.zeros(1, np.intp), np.ones(1), np.zeros(1, np.int64)
    give_up_terms(slots, one, one, one, slots, count, one, one, slots, one, one, *(1.0,) * 5)
    slots.flags.writeable = False  # as Table.live() hands them
    desertion_terms(slots, one, one, slots * 0, one, slots * 0)
