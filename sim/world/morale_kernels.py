"""Compiled arithmetic of the morale stage (Numba): each post's, militia's and unit's morale.

Each kernel computes the numpy expressions of ``sim.stages.morale`` it replaced, bit for bit:
each term in the expression's order, ``np.clip`` and ``np.maximum`` as numpy writes them (max
then min, NaN kept). Their references are in ``tests/test_kernels.py``.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True, inline="always")
def _clip01(x):  # pragma: no cover - compiled
    """``np.clip(x, 0.0, 1.0)`` of one value: numpy's max then min, NaN kept."""
    x = x if (np.isnan(x) or x > 0.0) else 0.0
    return x if (np.isnan(x) or x < 1.0) else 1.0


@numba.njit(cache=True, nogil=True, inline="always")
def _casualty_share(casualties, size, slot):  # pragma: no cover - compiled
    """``sim.stages.morale.casualty_share`` of one force (and its count reset)."""
    lost = casualties[slot]
    casualties[slot] = 0.0
    total = size[slot] + lost
    return lost / (total if total > 1.0 or np.isnan(total) else 1.0)


@numba.njit(cache=True, nogil=True)
def garrison_morale(slots, morale, commando, cut_off_days, ammo_days, supply_days, casualties,
                    troops, resupplied, district, relief, nearby, air, expecting, base_commando,
                    base_government, rate_recovery, rate_isolation, rate_shortage, w_casualties,
                    rate_contagion, boost_resupply):  # pragma: no cover - compiled
    """The garrisons' morale of ``sim.stages.morale.update``, term by term in its order."""
    for k in range(len(slots)):
        s = slots[k]
        d = district[s]
        m = morale[s]
        base = base_commando if commando[s] else base_government
        short = 1.0 if (ammo_days[s] < 1.0 or supply_days[s] < 1.0) else 0.0
        share = _casualty_share(casualties, troops, s)
        x = (m + rate_recovery * (base - m)
             - rate_isolation * (1.0 if cut_off_days[s] > 0 else 0.0)
             - rate_shortage * short - w_casualties * share * relief[k]
             - rate_contagion * nearby[d] + boost_resupply * (1.0 if resupplied[s] else 0.0)
             + air[d] + expecting[d])
        morale[s] = _clip01(x)


@numba.njit(cache=True, nogil=True)
def militia_morale(slots, morale, ammo_days, casualties, fighters, district, nearby, air,
                   baseline, rate_recovery, rate_shortage, w_casualties,
                   rate_contagion):  # pragma: no cover - compiled
    """The militias' morale of ``sim.stages.morale.update``, term by term in its order."""
    for k in range(len(slots)):
        s = slots[k]
        d = district[s]
        m = morale[s]
        x = (m + rate_recovery * (baseline - m)
             - rate_shortage * (1.0 if ammo_days[s] < 1.0 else 0.0)
             - w_casualties * _casualty_share(casualties, fighters, s)
             - rate_contagion * nearby[d] + air[d])
        morale[s] = _clip01(x)


@numba.njit(cache=True, nogil=True)
def unit_morale(slots, morale, casualties, fighters, district, nearby, baseline, rate_recovery,
                w_casualties, boost_victory):  # pragma: no cover - compiled
    """The Taliban units' morale of ``sim.stages.morale.update``, term by term in its order."""
    for k in range(len(slots)):
        s = slots[k]
        m = morale[s]
        share = _casualty_share(casualties, fighters, s)
        x = (m + rate_recovery * (baseline - m) - w_casualties * share
             + boost_victory * nearby[district[s]])
        morale[s] = _clip01(x)
