"""Compiled arithmetic of the supply stage (Numba): what the day's convoys deliver.

``deliver`` computes what the numpy expressions of ``sim.stages.supply.resupply`` computed after
its searches, bit for bit: each quotient in the expression's order, ``np.maximum`` and
``np.minimum`` as numpy takes them (NaN kept), the garrisons' restocking as
``sim.world.agents.restock``. Its reference, the numpy code it replaced, is in
``tests/test_stage_kernels.py``.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def deliver(safe_cost, risky_cost, convoy_ok, open_, cut_off, first_cut_off_day, day,
            g_slots, g_district, resupplied, supply_days, ammo_days, cut_off_days,
            x_slots, x_district, x_home, province_index, x_ammo_days, rear, t_slots, t_district,
            t_ammo_days, use_road, rate_road_days, km_half_rate, ammo_stock_days,
            full_supply_days, militia_ammo_days, taliban_ammo_days,
            taliban_rate_days):  # pragma: no cover - compiled
    """The day's convoys: cut-off districts, restocking by road; returns the garrisons to airlift.

    A district is reached by road through safe ground (``safe_cost`` finite), or through
    contested ground where its convoy got through (``convoy_ok``); one reached neither way and
    not Taliban-held is cut off (``cut_off``, and ``first_cut_off_day`` the first time).
    Delivery falls with the cost. Garrisons: a day of supplies used, a day more cut off (or
    none), restocked where a convoy came (if ``use_road``); those left cut off (or all, without
    roads) are returned for the airlift, in slot order. Militias at home where a convoy came,
    and Taliban units in their ``rear``, refill their ammunition.
    """
    n = len(safe_cost)
    by_road = np.empty(n, np.bool_)
    rate = np.empty(n)
    for d in range(n):
        safe, risky = np.isfinite(safe_cost[d]), np.isfinite(risky_cost[d])
        by_road[d] = safe or (risky and convoy_ok[d])
        cut_off[d] = not (safe or risky) and open_[d]
        if cut_off[d] and np.isnan(first_cut_off_day[d]):
            first_cut_off_day[d] = day
        rate[d] = rate_road_days / (1.0 + (safe_cost[d] if safe else risky_cost[d]) / km_half_rate)
    needy = np.empty(len(g_slots), np.intp)
    m = 0
    for s in g_slots:
        d = g_district[s]
        resupplied[s] = False
        left = supply_days[s] - 1.0
        supply_days[s] = 0.0 if left <= 0.0 else left  # np.maximum(0.0, left)
        cut_off_days[s] = cut_off_days[s] + 1 if cut_off[d] else 0
        road = use_road and by_road[d]
        if road and rate[d] > 0:  # sim.world.agents.restock
            v = ammo_days[s] + rate[d]  # np.minimum(cap, v): the cap unless v is below or NaN
            ammo_days[s] = ammo_stock_days if ammo_stock_days <= v else v
            v = supply_days[s] + rate[d]
            supply_days[s] = full_supply_days if full_supply_days <= v else v
            resupplied[s] = True
        if not road and (cut_off[d] or not use_road):
            needy[m] = s
            m += 1
    if use_road:
        for s in x_slots:
            d = x_district[s]
            if by_road[d] and x_home[s, province_index[d]]:
                v = x_ammo_days[s] + rate[d]
                x_ammo_days[s] = militia_ammo_days if militia_ammo_days <= v else v
    for s in t_slots:
        if rear[t_district[s]]:
            v = t_ammo_days[s] + taliban_rate_days
            t_ammo_days[s] = taliban_ammo_days if taliban_ammo_days <= v else v
    return needy[:m]
