"""Compiled loops (Numba) of the stages: losses, evacuation, airlift, tallies and sums.

Each kernel gives bit for bit what the library call it stands in for gives, or says that it
cannot: the caller then makes that call. Compiled on first use and cached on disk (``cache=True``),
so that a fresh process loads the machine code instead of compiling it again.
"""

from __future__ import annotations

import numba
import numpy as np

from sim.world import (
    air_kernels,
    campaign_kernels,
    combat_kernels,
    control_kernels,
    morale_kernels,
    supply_kernels,
    surrender_kernels,
)
from sim.world.graph_kernels import csr_product, hop_row, nearest_sources, spread, subgraph


@numba.njit(cache=True, nogil=True)
def _block_sum(a, lo, n):  # pragma: no cover - compiled
    """The sum numpy takes of a block of at most 128 values: eight accumulators, the rest."""
    if n < 8:
        res = 0.0
        for i in range(lo, lo + n):
            res += a[i]
        return res
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    i = 8
    end = n - n % 8
    while i < end:
        j = lo + i
        r0 += a[j]
        r1 += a[j + 1]
        r2 += a[j + 2]
        r3 += a[j + 3]
        r4 += a[j + 4]
        r5 += a[j + 5]
        r6 += a[j + 6]
        r7 += a[j + 7]
        i += 8
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    while i < n:
        res += a[lo + i]
        i += 1
    return res


@numba.njit(cache=True, nogil=True)
def _pairwise(a, lo, n):  # pragma: no cover - compiled
    """The pairwise summation numpy does, of ``a[lo:lo + n]``.

    Halves (cut at a multiple of eight) are summed apart down to blocks of 128. Walked with a
    stack of its own, not by recursion (a recursive function does not load safely from
    Numba's cache).
    """
    if n <= 128:
        return _block_sum(a, lo, n)
    starts = np.empty(64, np.int64)
    sizes = np.empty(64, np.int64)
    stage = np.zeros(64, np.int64)  # 0: split it; 1: its left half is summed; 2: both are
    left = np.empty(64)
    top = 0
    starts[0], sizes[0], stage[0] = lo, n, 0
    value = 0.0
    while True:
        size = sizes[top]
        if size <= 128 or stage[top] == 2:
            value = _block_sum(a, starts[top], size) if size <= 128 else left[top] + value
            if top == 0:
                return value
            top -= 1
            if stage[top] == 1:  # a left half done: keep it, sum the right half
                left[top] = value
                half = sizes[top] // 2
                half -= half % 8
                stage[top] = 2
                top += 1
                starts[top], sizes[top], stage[top] = starts[top - 1] + half, sizes[top - 1] - half, 0
            # stage 2: ``value`` is the right half's sum, combined at the next turn
        else:  # split: sum the left half first
            half = size // 2
            half -= half % 8
            stage[top] = 1
            top += 1
            starts[top], sizes[top], stage[top] = starts[top - 1], half, 0


@numba.njit(cache=True, nogil=True)
def total(a):  # pragma: no cover - compiled
    """``float(a.sum())`` for a contiguous float64 vector, bit for bit (numpy's pairwise sum)."""
    return 0.0 + _pairwise(a, 0, len(a))


@numba.njit(cache=True, nogil=True)
def sum_of(values, slots):  # pragma: no cover - compiled
    """``float(values[slots].sum())``, bit for bit (the gather, then numpy's pairwise sum)."""
    picked = np.empty(len(slots))
    for k in range(len(slots)):
        picked[k] = values[slots[k]]
    return total(picked)


@numba.njit(cache=True, nogil=True)
def sum_where(values, slots, flag):  # pragma: no cover - compiled
    """``float(values[slots][flag[slots]].sum())``, bit for bit."""
    picked = np.empty(len(slots))
    m = 0
    for s in slots:
        if flag[s]:
            picked[m] = values[s]
            m += 1
    return total(picked[:m])


@numba.njit(cache=True, nogil=True)
def forces(t_fighters, t_morale, t_equipment, t_task, units, besieging, g_troops, g_commando,
           g_cut_off_days, g_ammo_days, g_morale, garrisons, x_fighters, x_mobilised,
           militias):  # pragma: no cover - compiled
    """The daily row's force summaries (``sim.model.metrics.forces``), in one call.

    The sums as :func:`sum_of` and :func:`sum_where` take them: Taliban fighters, government
    troops, commando troops, militia fighters, mobilised militia fighters, the garrisons'
    ammunition and morale, the units' morale and equipment; then the counts of garrisons cut
    off and of units whose task code is at least ``besieging``.
    """
    cut_off = besieging_units = 0
    for s in garrisons:
        cut_off += g_cut_off_days[s] > 0
    for s in units:
        besieging_units += t_task[s] >= besieging
    return (sum_of(t_fighters, units), sum_of(g_troops, garrisons),
            sum_where(g_troops, garrisons, g_commando), sum_of(x_fighters, militias),
            sum_where(x_fighters, militias, x_mobilised), sum_of(g_ammo_days, garrisons),
            sum_of(g_morale, garrisons), sum_of(t_morale, units), sum_of(t_equipment, units),
            cut_off, besieging_units)


@numba.njit(cache=True, nogil=True)
def tally(district, size, slots, n):  # pragma: no cover - compiled
    """Size per district of the forces of ``slots``: ``np.bincount``'s weighted sum, in order."""
    out = np.zeros(n)
    for s in slots:
        out[district[s]] += size[s]
    return out


@numba.njit(cache=True, nogil=True)
def presence(t_district, t_fighters, t_alive, g_district, g_troops, g_alive, x_district,
             x_fighters, x_mobilised, x_alive, n):  # pragma: no cover - compiled
    """Per-district fighters, troops, mobilised militia fighters: :func:`tally` over alive rows."""
    out = np.zeros((3, n))
    for s in range(len(t_alive)):
        if t_alive[s]:
            out[0, t_district[s]] += t_fighters[s]
    for s in range(len(g_alive)):
        if g_alive[s]:
            out[1, g_district[s]] += g_troops[s]
    for s in range(len(x_alive)):
        if x_alive[s] and x_mobilised[s]:
            out[2, x_district[s]] += x_fighters[s]
    return out


@numba.njit(cache=True, nogil=True)
def sum_where_present(values, district, size, slots, n):  # pragma: no cover - compiled
    """``values[tally(...) > 0]``'s ``float(.sum())`` and length, bit for bit, in one call."""
    picked = values[tally(district, size, slots, n) > 0]  # the districts in id order
    return total(picked), len(picked)


@numba.njit(cache=True, nogil=True)
def lose(size, equipment, slots, n, killed):  # pragma: no cover - compiled
    """``sim.world.agents.lose`` on the columns: returns (people lost, equipment destroyed, their sums).

    Each force loses ``n`` clamped to [0, its size]; if ``killed``, the equipment of the share
    killed too. Every value is read before any is written, as numpy's gathers and scatters do.
    """
    m = len(slots)
    lost = np.empty(m)
    destroyed = np.zeros(m)
    strength = np.empty(m)
    held = np.empty(m)
    for k in range(m):
        s = slots[k]
        strength[k] = size[s]
        held[k] = equipment[s]
        v = n[k]
        v = v if (v >= 0.0 or np.isnan(v)) else 0.0  # np.maximum(n, 0.0)
        lost[k] = v if (v <= strength[k] or np.isnan(v)) else strength[k]  # np.minimum(., size)
    if killed:
        for k in range(m):
            if lost[k] > 0 and held[k] > 0:
                destroyed[k] = held[k] * lost[k] / strength[k]
        for k in range(m):
            equipment[slots[k]] = held[k] - destroyed[k]
    for k in range(m):
        size[slots[k]] = strength[k] - lost[k]
    return lost, total(destroyed), total(lost)


@numba.njit(cache=True, nogil=True)
def shares(district, size, slots, losses, total):  # pragma: no cover - compiled
    """Each force's share of its district's ``losses``, in proportion to its size, at most all.

    ``total`` is the size of all the forces sharing each district's losses (0: no share).
    """
    out = np.empty(len(slots))
    for k in range(len(slots)):
        s = slots[k]
        whole = total[district[s]]
        share = losses[district[s]] * size[s] / whole if whole > 0 else 0.0
        out[k] = size[s] if (size[s] <= share or np.isnan(size[s])) else share  # np.minimum
    return out


@numba.njit(cache=True, nogil=True)
def _take(size, equipment, casualties, ammo_days, slots, district, losses, total, spent):
    """One kind's share of the defenders' ``losses`` killed, booked, and a day's fire spent."""
    lost, destroyed, killed = lose(size, equipment, slots, shares(district, size, slots, losses,
                                                                  total), True)
    for k in range(len(slots)):
        s = slots[k]
        casualties[s] += lost[k]
        ammo = ammo_days[s] - spent[district[s]]
        ammo_days[s] = 0.0 if ammo <= 0.0 else ammo  # np.maximum(0.0, ammo)
    return destroyed, killed


@numba.njit(cache=True, nogil=True)
def aftermath(t_district, fighters, t_equipment, t_casualties, t_ammo, task, units, battle,
              assault, taliban_loss, codes, g_district, troops, g_equipment, g_casualties,
              g_ammo, garrisons, x_district, x_fighters, x_equipment, x_casualties, x_ammo,
              militias, defender_loss, spent_assault, spent_siege):  # pragma: no cover - compiled
    """``sim.stages.combat.fight`` after its draws: each side's losses shared, killed and booked.

    The units' losses are shared in proportion to their fighters per district, then the
    garrisons' and militias' alike, each kind in turn against the defenders' strength before
    either lost any; each force's ammunition falls by a day of fire (``spent_assault`` where
    assaulted, else ``spent_siege``), the engaged units' task is ``codes`` (assault, besiege).
    Returns the defenders left per district and, per side (units, garrisons, militias), the
    equipment destroyed and the people killed: what ``sim.world.agents.lose`` books.
    """
    n = len(battle)
    spent = np.empty(n)
    for d in range(n):
        spent[d] = spent_assault if assault[d] else spent_siege
    lost, t_destroyed, t_killed = lose(fighters, t_equipment, units, shares(
        t_district, fighters, units, taliban_loss, tally(t_district, fighters, units, n)), True)
    for k in range(len(units)):
        s = units[k]
        t_casualties[s] += lost[k]
        d = t_district[s]
        if battle[d]:
            ammo = t_ammo[s] - spent[d]
            t_ammo[s] = 0.0 if ammo <= 0.0 else ammo  # np.maximum(0.0, ammo)
            task[s] = codes[0] if assault[d] else codes[1]
    total = tally(g_district, troops, garrisons, n) + tally(x_district, x_fighters, militias, n)
    g_destroyed, g_killed = _take(troops, g_equipment, g_casualties, g_ammo, garrisons,
                                  g_district, defender_loss, total, spent)
    x_destroyed, x_killed = _take(x_fighters, x_equipment, x_casualties, x_ammo, militias,
                                  x_district, defender_loss, total, spent)
    left = tally(g_district, troops, garrisons, n) + tally(x_district, x_fighters, militias, n)
    return (left, t_destroyed, t_killed, g_destroyed, g_killed, x_destroyed, x_killed)


@numba.njit(cache=True, nogil=True)
def evacuate(slots, casualties, cut_off_days, district, frac_wounded, capacity, w_morale,
             seen):  # pragma: no cover - compiled
    """``sim.stages.air.evacuate`` after its lift: (relief per slot, wounded flown, whether any flew).

    The same order (cut-off posts first, then the most wounded, ties by position: numpy's
    ``lexsort`` by two stable sorts), the same running sum (``cumsum - wounded``), clip and
    relief; the districts served marked in ``seen``; the sum flown as numpy's ``sum``.
    """
    m = len(slots)
    relief = np.ones(m)
    wounded = np.empty(m)
    for k in range(m):
        wounded[k] = casualties[slots[k]] * frac_wounded
    hurt = np.flatnonzero(wounded > 0)
    if capacity <= 0 or len(hurt) == 0:
        return relief, 0.0, False
    order = hurt[np.argsort(-wounded[hurt], kind="mergesort")]
    is_open = np.empty(len(order), np.int64)
    for k in range(len(order)):
        is_open[k] = 1 if cut_off_days[slots[order[k]]] == 0 else 0
    order = order[np.argsort(is_open, kind="mergesort")]
    flown = np.empty(len(order))
    served = 0
    running = 0.0
    for i in order:
        running += wounded[i]
        lift = max(capacity - (running - wounded[i]), 0.0)
        lift = min(lift, wounded[i])
        if lift > 0:
            flown[served] = lift
            served += 1
            seen[district[slots[i]]] = True
            relief[i] = 1.0 - w_morale * lift / wounded[i]
    return relief, total(flown[:served]), True


@numba.njit(cache=True, nogil=True)
def airlift(needy, district, ammo_days, supply_days, troops, resupplied, is_capital, has_airfield,
            support_seen, helo_t, fixed_t, per_day, ammo_stock_days,
            full_supply_days):  # pragma: no cover - compiled
    """``sim.stages.supply.airlift`` after its first line: returns the tonnes flown.

    The same order (capitals first, then the emptiest, ties by position: numpy's ``lexsort``
    by two stable sorts), the same running sums, clips and restocking, element by element.
    """
    m = len(needy)
    low = np.empty(m)
    for k in range(m):
        a, b = ammo_days[needy[k]], supply_days[needy[k]]
        low[k] = a if (a <= b or np.isnan(a)) else b  # np.minimum
    order = np.argsort(low, kind="mergesort")
    rest = np.empty(m, np.int64)
    for k in range(m):
        rest[k] = 0 if is_capital[district[needy[order[k]]]] else 1
    order = order[np.argsort(rest, kind="mergesort")]
    want = np.empty(m)
    fixed_want = np.empty(m)
    for k in range(m):
        s = needy[order[k]]
        a = ammo_stock_days - ammo_days[s]
        b = full_supply_days - supply_days[s]
        gap = a if (a >= b or np.isnan(a)) else b  # np.maximum
        w = gap * troops[s] * per_day
        want[k] = w if (w >= 0.0 or np.isnan(w)) else 0.0
        fixed_want[k] = want[k] if has_airfield[district[s]] else 0.0
    tonnes = np.empty(m)
    run_fixed = 0.0
    run_helo = 0.0
    for k in range(m):  # np.cumsum's running sums; np.clip(x, 0, hi) as numpy's max then min
        run_fixed += fixed_want[k]
        x = fixed_t - (run_fixed - fixed_want[k])
        x = x if (np.isnan(x) or x > 0.0) else 0.0
        from_fixed = x if (np.isnan(x) or x < fixed_want[k]) else fixed_want[k]
        helo_want = want[k] - from_fixed
        run_helo += helo_want
        x = helo_t - (run_helo - helo_want)
        x = x if (np.isnan(x) or x > 0.0) else 0.0
        from_helo = x if (np.isnan(x) or x < helo_want) else helo_want
        tonnes[k] = from_fixed + from_helo
    for k in range(m):  # sim.world.agents.restock of the garrisons fed
        if tonnes[k] > 0:
            s = needy[order[k]]
            days = tonnes[k] / (troops[s] * per_day)
            if days > 0:
                v = ammo_days[s] + days  # np.minimum(cap, v): the cap unless v is below or NaN
                ammo_days[s] = ammo_stock_days if ammo_stock_days <= v else v
                v = supply_days[s] + days
                supply_days[s] = full_supply_days if full_supply_days <= v else v
                resupplied[s] = True
    for k in range(m):
        if tonnes[k] > 0:
            support_seen[district[needy[order[k]]]] = True
    return total(tonnes)


def warm() -> None:
    """Load (or compile) every kernel for the argument types the model passes.

    A process pays this once, at its first run otherwise: about a third of a second to load the
    cached machine code (several seconds to compile it where no cache is yet). Benchmarks call
    it before they time a run.
    """
    from scipy.sparse import csr_matrix

    graph = csr_matrix(np.array([[0.0, 1.0], [1.0, 0.0]]))
    graph.indptr, graph.indices = graph.indptr.astype(np.int32), graph.indices.astype(np.int32)
    nearest_sources(graph, np.array([0]))
    subgraph(np.ones(2, np.bool_), np.arange(2), graph.indptr, graph.indices, graph.data)
    for dtype in (np.int32, np.int64):  # the maps' adjacencies come with either
        indptr, indices = graph.indptr.astype(dtype), graph.indices.astype(dtype)
        hop_row(indptr, indices, 0, 0)
        csr_product(indptr, indices, graph.data, np.ones(2))
        spread(indptr, indices, np.ones(2, np.bool_), 1)
    campaign_kernels.picks_in_turn(np.zeros((1, 2)), np.zeros(2), np.full(1, -1, np.intp), np.ones(1))
    for dtype in (np.uint8, np.int16):  # hop rows in bytes, or int16 on maps of wide diameter
        rows, at = np.zeros((2, 2), dtype), np.zeros(1, np.intp)
        rows.flags.writeable = False  # as HopDistances.rows hands them
        campaign_kernels.keys(np.zeros(2), rows, at, np.arange(2), 1.0, np.zeros((1, 2)), 1.0,
                              np.full(1, -1, np.intp), np.zeros(2), np.ones(1))
        campaign_kernels.next_steps(rows, at, np.zeros((2, 1), np.intp), at)
    air_kernels.strikes_by_ratio(np.ones(2), np.ones(2), 1, 1.0)
    live, flags = np.zeros(1, np.intp), np.ones(1, np.bool_)
    live.flags.writeable = False  # as Table.live() hands them
    campaign_kernels.values(live * 0, np.ones(1), np.ones(1), live, np.ones((1, 1), np.bool_), flags,
                            live, live * 0, np.ones(1), flags, np.ones(1), flags, flags, flags, flags,
                            flags, flags, (1.0,) * 12)
    campaign_kernels.choosers(live * 0, live * 0, np.ones(1), live, live * 0, flags, np.ones(1), flags,
                              np.zeros(1, np.int8), np.ones(1), 1, *(1.0,) * 8)
    campaign_kernels.settle(live * 0, np.zeros(1, np.int8), live, live * 0, live * 0, 0, 2, 1)
    total(np.ones(2))
    slots, one, flag = np.zeros(1, np.intp), np.ones(1), np.ones(1, np.bool_)
    count, codes = np.ones(1, np.int64), np.zeros(1, np.int8)
    slots.flags.writeable = False  # as Table.live() hands them
    morale_kernels.garrison_morale(slots, one.copy(), flag, count, one, one, one.copy(), one, flag,
                                   count * 0, one, one, one, one, 1.0, 1.0, 0.1, 0.1, 0.1, 0.1, 0.1,
                                   0.1)
    morale_kernels.militia_morale(slots, one.copy(), one, one.copy(), one, count * 0, one, one, 1.0,
                                  0.1, 0.1, 0.1, 0.1)
    morale_kernels.unit_morale(slots, one.copy(), one.copy(), one, count * 0, one, 1.0, 0.1, 0.1,
                               0.1)
    forces(one, one, one, np.zeros(1, np.int8), slots, 2, one, flag, count, one, one, slots, one,
           flag, slots)
    sum_where_present(one, count * 0, one, slots, 1)
    presence(count * 0, one, flag, count * 0, one, flag, count * 0, one, flag, flag, 1)
    for given in (slots, count * 0):  # the live slots (read-only) or a selection of them
        lose(one.copy(), one.copy(), given, one, True)
        tally(count * 0, one, given, 1)
        sum_of(one, given)
        sum_where(one, given, flag)
        shares(count * 0, one, given, one, one)
        combat_kernels.defence(count * 0, one, one, one, one, given, count * 0, one, one, one,
                               count * 0, one, 0.1, 0.1)
    combat_kernels.attack(count * 0, one, one, one, one, slots, 1, 1.0, 1.0, 0.1, 0.1)
    combat_kernels.fronts(count * 0, slots, count * 0, one, slots, count * 0, one, count * 0, 1, 1.0)
    combat_kernels.rates(flag, flag, one, one, one, flag, 1.0, 1.0, 0.5)
    control_kernels.first_at_caches(one, codes, count * 0, slots)
    control_kernels.changes(codes.copy(), one, one, flag, codes.copy(), one.copy(), codes.copy(),
                            one.copy(), codes.copy(), 1)
    picked = count * 0  # the fighting garrisons and militias, picked from the live (writable)
    aftermath(count * 0, one.copy(), one.copy(), one.copy(), one.copy(), np.zeros(1, np.int8), slots,
              flag, flag, one, (3, 2), count * 0, one.copy(), one.copy(), one.copy(), one.copy(),
              picked, count * 0, one.copy(), one.copy(), one.copy(), one.copy(), picked, one, 1.0,
              0.5)
    evacuate(slots, one, count, count * 0, 0.5, 1.0, 0.1, flag.copy())
    surrender_kernels.warm()
    searched = one.copy()
    searched.flags.writeable = False  # as supply.Roads.reach hands its costs (the linked: a copy)
    supply_kernels.deliver(searched, one, flag, flag, flag.copy(), one.copy(), 1, slots, count * 0,
                           flag.copy(), one.copy(), one.copy(), count.copy(), slots, count * 0,
                           np.ones((1, 1), np.bool_), count * 0, one.copy(), flag, slots, count * 0,
                           one.copy(), True, *(1.0,) * 7)
    airlift(count * 0, count * 0, one.copy(), one.copy(), one, flag.copy(), flag, flag, flag.copy(),
            1.0, 1.0, 0.1, 1.0, 1.0)
