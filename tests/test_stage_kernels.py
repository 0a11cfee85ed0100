"""The stages' compiled glue against the numpy code it replaced, on random inputs.

Objective values, casualty evacuation, the campaign's reads of the hop rows, supply's delivery,
combat's aftermath and control's changes: each kernel's output, and every array it writes, equal
to the numpy expressions of the stage it came from (kept here as references), bit for bit.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest

from sim.model.model import OffensiveModel, padded_neighbours
from sim.world import (
    campaign_kernels,
    combat_kernels,
    control_kernels,
    kernels,
    supply_kernels,
    surrender_kernels,
)
from sim.world.agents import Cause, Control
from sim.world.space import HopDistances


def values_in_numpy(gd, troops, morale_g, garrisons, home, mobilised, militias, province, defenders,
                    cut_off, value, border, on_road, road_cut, is_capital, talks, held, w):
    """The campaign's objective values as ``sim.stages.campaign.objective_values`` took them."""
    n = len(defenders)
    where, size = gd[garrisons], troops[garrisons]
    total = np.bincount(where, weights=size, minlength=n)
    weighted = np.bincount(where, weights=size * morale_g[garrisons], minlength=n)
    morale = np.divide(weighted, total, out=np.zeros(n), where=total > 0)
    militia_home = home[militias[~mobilised[militias]]].any(axis=0)[province]
    score = (w[0] / (1.0 + defenders / w[1]) + w[2] * cut_off + w[3] * (1.0 - morale)
             + w[4] * value + w[5] * border + w[6] * on_road + w[7] * (road_cut & ~is_capital)
             + w[8] * militia_home)
    score += w[9] * talks
    ripe = (cut_off & (morale < w[10])) | talks
    score = np.where(is_capital, np.where(ripe, score + w[11], -np.inf), score)
    score[~held] = -np.inf
    return score


def test_objective_values_are_the_numpy_arithmetic():
    """Compiled objective values (garrison morale, militia homes, the score) equal numpy's."""
    rng = np.random.default_rng(7)
    for _ in range(500):
        n, rows, provinces = (int(v) for v in rng.integers(1, 60, 3))
        mask = [rng.random(n) < rng.random() for _ in range(7)]
        gd = rng.integers(0, n, rows)
        troops = (rng.choice([0.0, 1.0, 80.0], rows)
                  + rng.uniform(0, 300, rows) * (rng.random(rows) < 0.7))
        morale = rng.choice([0.0, 0.5, 1.0], rows) * (rng.random(rows) < 0.3) + rng.random(rows)
        garrisons = np.sort(rng.choice(rows, int(rng.integers(0, rows + 1)), replace=False))
        home = rng.random((rows, provinces)) < 0.2
        militias = np.sort(rng.choice(rows, int(rng.integers(0, rows + 1)), replace=False))
        args = (gd, troops, morale, garrisons, home, rng.random(rows) < 0.5, militias,
                rng.integers(0, provinces, n), rng.choice([0.0, 50.0], n) + rng.uniform(0, 500, n),
                mask[0], rng.random(n), *mask[1:],
                tuple(float(v) for v in rng.choice([0.0, 1.0, 2.5], 12) + rng.random(12)))
        np.testing.assert_array_equal(campaign_kernels.values(*args), values_in_numpy(*args))


def evacuate_in_numpy(slots, casualties, cut_off_days, district, frac_wounded, capacity, w_morale,
                      seen):
    """Casualty evacuation as ``sim.stages.air.evacuate`` computed it with numpy."""
    relief = np.ones(len(slots))
    wounded = casualties[slots] * frac_wounded
    hurt = (wounded > 0).nonzero()[0]
    if capacity <= 0 or len(hurt) == 0:
        return relief, 0.0, False
    order = hurt[np.lexsort((-wounded[hurt], cut_off_days[slots[hurt]] == 0))]
    before = np.cumsum(wounded[order]) - wounded[order]
    flown = np.clip(capacity - before, 0.0, wounded[order])
    served = order[flown > 0]
    flown = flown[flown > 0]
    seen[district[slots[served]]] = True
    relief[served] = 1.0 - w_morale * flown / wounded[served]
    return relief, float(flown.sum()), True


def test_evacuation_is_the_numpy_arithmetic():
    """Compiled casualty evacuation (order, running lift, relief, districts served) equals numpy's."""
    rng = np.random.default_rng(8)
    for _ in range(2000):
        rows, n = int(rng.integers(1, 80)), int(rng.integers(1, 30))
        casualties = rng.choice([0.0, 3.0, 10.0], rows) * (rng.random(rows) < 0.5) + rng.uniform(
            0, 40, rows) * (rng.random(rows) < 0.5)
        cut_off_days = rng.integers(0, 3, rows)
        district = rng.integers(0, n, rows)
        slots = np.sort(rng.choice(rows, int(rng.integers(0, rows + 1)), replace=False))
        capacity = float(rng.choice([0.0, 5.0, 30.0, 500.0]) + rng.random() * (rng.random() < 0.5))
        args = (slots, casualties, cut_off_days, district, 0.6, capacity, 0.4)
        seen, expected_seen = np.zeros(n, bool), np.zeros(n, bool)
        ours, theirs = kernels.evacuate(*args, seen), evacuate_in_numpy(*args, expected_seen)
        np.testing.assert_array_equal(ours[0], theirs[0])
        assert ours[1:] == theirs[1:] and (seen == expected_seen).all()


@pytest.mark.parametrize("capacity", [None, 5])
def test_keys_and_next_steps_read_the_hop_rows_as_the_gathered_matrix(tiny_config, capacity):
    """The keys and next steps read from the cached hop rows equal the numpy expressions over
    the gathered hop matrix, with a full cache and one that must evict (int16 rows too)."""
    m = OffensiveModel(tiny_config).map
    hops, rng = HopDistances(m.adjacency, capacity), np.random.default_rng(9)
    for dtype in (hops.dtype, np.int16):
        hops.dtype = np.dtype(dtype)
        hops._rows = hops._rows.astype(dtype)
        hops._rows.flags.writeable = False
        for _ in range(50):
            k = int(rng.integers(1, hops.capacity + 1))
            here, objectives = rng.integers(0, m.n, k), np.sort(rng.choice(m.n, 7, replace=False))
            base, logs = rng.normal(0, 3, 7), rng.normal(0, 1, (k, 7))
            aimed, crowding, fighters = rng.integers(-1, 7, k), rng.random(7), rng.uniform(0, 99, k)
            hop = hops.between(here[:, None], objectives)
            expected = (base - hop * 0.7) - logs * 1.3
            withdrawing = aimed >= 0
            expected[withdrawing, aimed[withdrawing]] += (crowding[aimed[withdrawing]]
                                                         * fighters[withdrawing])
            ours = campaign_kernels.keys(base, hops.rows, hops.slots(here), objectives, 0.7, logs,
                                         1.3, aimed, crowding, fighters)
            np.testing.assert_array_equal(ours, expected)
            padded, target = padded_neighbours(m), rng.integers(0, m.n, k)
            options = padded[here]
            best = options[np.arange(k), hops.between(target[:, None], options).argmin(axis=1)]
            steps = campaign_kernels.next_steps(hops.rows, hops.slots(target), padded, here)
            np.testing.assert_array_equal(steps, best)


def deliver_in_numpy(safe_cost, risky_cost, convoy_ok, open_, cut_off, first, day, gs, gd,
                     resupplied, supply_days, ammo_days, cut_off_days, xs, xd, home, province,
                     x_ammo, rear, ts, td, t_ammo, use_road, rate_days, half, ammo_stock, full,
                     militia_ammo, taliban_ammo, taliban_rate):
    """What ``sim.stages.supply.resupply`` computed with numpy after its searches."""
    by_road = np.isfinite(safe_cost) | (np.isfinite(risky_cost) & convoy_ok)
    cost = np.where(np.isfinite(safe_cost), safe_cost, risky_cost)
    cut_off[:] = ~(np.isfinite(safe_cost) | np.isfinite(risky_cost)) & open_
    first[cut_off & np.isnan(first)] = day
    rate = rate_days / (1.0 + cost / half)
    d = gd[gs]
    resupplied[gs] = False
    supply_days[gs] = np.maximum(0.0, supply_days[gs] - 1.0)
    cut_off_days[gs] = np.where(cut_off[d], cut_off_days[gs] + 1, 0)
    road = by_road[d] if use_road else np.zeros(len(gs), bool)
    fed, days = gs[road], rate[d[road]]
    fed, days = fed[days > 0], days[days > 0]
    ammo_days[fed] = np.minimum(ammo_stock, ammo_days[fed] + days)
    supply_days[fed] = np.minimum(full, supply_days[fed] + days)
    resupplied[fed] = True
    xs = xs[by_road[xd[xs]] & home[xs, province[xd[xs]]]] if use_road else xs[:0]
    x_ammo[xs] = np.minimum(militia_ammo, x_ammo[xs] + rate[xd[xs]])
    ts = ts[rear[td[ts]]]
    t_ammo[ts] = np.minimum(taliban_ammo, t_ammo[ts] + taliban_rate)
    return gs[~road & (cut_off[d] | (not use_road))]


def test_delivery_is_the_numpy_arithmetic():
    """Compiled convoy delivery (cut-off districts, restocking, refills, the airlift's garrisons)
    equals numpy's, every array it writes included."""
    rng = np.random.default_rng(10)
    for _ in range(1000):
        n, rows, provinces = (int(v) for v in rng.integers(1, 40, 3))
        cost = [np.where(rng.random(n) < 0.4, np.inf, rng.choice([0.0, 30.0], n) + rng.random(n)
                         * 500) for _ in range(2)]
        masks = [rng.random(n) < 0.5 for _ in range(4)]
        first = np.where(rng.random(n) < 0.5, np.nan, 3.0)
        stocks = [rng.choice([0.0, 1.0, 5.0], rows) + rng.random(rows) * 20 for _ in range(4)]
        slots = [np.sort(rng.choice(rows, int(rng.integers(0, rows + 1)), replace=False))
                 for _ in range(3)]
        args = [cost[0], cost[1], masks[0], masks[1], masks[2], first, 7, slots[0],
                rng.integers(0, n, rows), rng.random(rows) < 0.5, stocks[0], stocks[1],
                rng.integers(0, 4, rows), slots[1], rng.integers(0, n, rows),
                rng.random((rows, provinces)) < 0.5, rng.integers(0, provinces, n), stocks[2],
                masks[3], slots[2], rng.integers(0, n, rows), stocks[3], bool(rng.random() < 0.8),
                *(float(v) for v in rng.choice([1.0, 4.0, 100.0], 7) + rng.random(7))]
        theirs = copy.deepcopy(args)
        ours = supply_kernels.deliver(*args)
        np.testing.assert_array_equal(ours, deliver_in_numpy(*theirs))
        for mine, numpys in zip(args, theirs, strict=True):
            if isinstance(mine, np.ndarray):
                np.testing.assert_array_equal(mine, numpys)


def aftermath_in_numpy(td, fighters, te, tc, ta, task, units, battle, assault, taliban_loss, codes,
                       gd, troops, ge, gc, ga, garrisons, xd, xf, xe, xc, xa, militias,
                       defender_loss, spent_assault, spent_siege):
    """What ``sim.stages.combat.fight`` computed with numpy after its draws."""
    n = len(battle)

    def lose(size, equipment, slots, losses):
        strength = size[slots]
        lost = np.minimum(np.maximum(losses, 0.0), strength)
        held = equipment[slots]
        gone = np.divide(held * lost, strength, out=np.zeros(len(slots)),
                         where=(lost > 0) & (held > 0))
        equipment[slots] = held - gone
        size[slots] = strength - lost
        return lost, float(gone.sum()), float(lost.sum())

    def tally(district, size, slots):
        return np.bincount(district[slots], weights=size[slots], minlength=n)

    def shares(district, size, slots, losses, total):
        whole = total[district[slots]]
        share = np.divide(losses[district[slots]] * size[slots], whole, out=np.zeros(len(slots)),
                          where=whole > 0)
        return np.minimum(size[slots], share)

    spent = np.where(assault, spent_assault, spent_siege)
    lost, *t_booked = lose(fighters, te, units, shares(td, fighters, units, taliban_loss,
                                                       tally(td, fighters, units)))
    tc[units] += lost
    engaged = units[battle[td[units]]]
    ta[engaged] = np.maximum(0.0, ta[engaged] - spent[td[engaged]])
    task[engaged] = np.where(assault[td[engaged]], codes[0], codes[1])
    total = tally(gd, troops, garrisons) + tally(xd, xf, militias)
    booked = []
    for district, size, equipment, casualties, ammo, slots in (
            (gd, troops, ge, gc, ga, garrisons), (xd, xf, xe, xc, xa, militias)):
        lost, *kind = lose(size, equipment, slots, shares(district, size, slots, defender_loss,
                                                          total))
        casualties[slots] += lost
        ammo[slots] = np.maximum(0.0, ammo[slots] - spent[district[slots]])
        booked += kind
    return (tally(gd, troops, garrisons) + tally(xd, xf, militias), *t_booked, *booked)


def test_aftermath_is_the_numpy_arithmetic():
    """Compiled combat aftermath (shares, losses, casualties, ammunition, tasks, the defenders
    left and what is booked) equals numpy's, every array it writes included."""
    rng = np.random.default_rng(11)
    for _ in range(1000):
        n = int(rng.integers(1, 30))
        kinds = []
        for _kind in range(3):
            rows = int(rng.integers(1, 40))
            size = rng.choice([0.0, 1.0, 40.0], rows) + rng.uniform(0, 300, rows) * (
                rng.random(rows) < 0.7)
            columns = [rng.integers(0, n, rows), size,
                       np.where(rng.random(rows) < 0.5, 0.0, rng.uniform(0, 9, rows)),
                       rng.random(rows) * 5, rng.choice([0.0, 0.5, 3.0], rows) + rng.random(rows)]
            slots = np.sort(rng.choice(rows, int(rng.integers(0, rows + 1)), replace=False))
            kinds.append((columns, slots))
        (t_cols, units), (g_cols, garrisons), (x_cols, militias) = kinds
        losses = [np.where(rng.random(n) < 0.4, 0.0, rng.poisson(20.0, n).astype(float))
                  for _ in range(2)]
        args = [*t_cols, rng.integers(0, 4, len(t_cols[0])).astype(np.int8), units,
                rng.random(n) < 0.7, rng.random(n) < 0.4, losses[0], (3, 2), *g_cols, garrisons,
                *x_cols, militias, losses[1], 1.5, 0.25]
        theirs = copy.deepcopy(args)
        ours = kernels.aftermath(*args)
        expected = aftermath_in_numpy(*theirs)
        np.testing.assert_array_equal(ours[0], expected[0])
        assert ours[1:] == expected[1:]
        for mine, numpys in zip(args, theirs, strict=True):
            if isinstance(mine, np.ndarray):
                np.testing.assert_array_equal(mine, numpys)


def changes_in_numpy(control, taliban, defenders, exposed, pending, fell_day, fell_cause,
                     last_fell_day, last_cause, day):
    """What ``sim.stages.control.update`` computed with numpy around its logs."""
    old = control.copy()
    tal, gov = taliban > 0, defenders > 0
    new = old.copy()
    new[tal & gov] = Control.CONTESTED
    new[tal & ~gov] = Control.TALIBAN
    new[~tal & gov] = Control.GOVERNMENT
    new[~tal & ~gov & (old != Control.TALIBAN) & (exposed | (pending != Cause.NONE))] = (
        Control.TALIBAN)
    fell = ((new == Control.TALIBAN) & (old != Control.TALIBAN)).nonzero()[0]
    causes = pending[fell]
    causes[causes == Cause.NONE] = Cause.ABANDONMENT
    first = np.isnan(fell_day[fell])
    fell_day[fell[first]] = day
    fell_cause[fell[first]] = causes[first]
    last_fell_day[fell] = day
    last_cause[fell] = causes
    retaken = ((old == Control.TALIBAN) & (new != Control.TALIBAN)).nonzero()[0]
    pending[new != Control.GOVERNMENT] = Cause.NONE
    control[:] = new
    return fell, causes, retaken


def test_control_changes_are_the_numpy_arithmetic():
    """Compiled control changes (the rule, the falls and their causes, the notes kept) equal
    numpy's, every array they write included."""
    rng = np.random.default_rng(12)
    for _ in range(1000):
        n = int(rng.integers(1, 50))
        args = [rng.integers(0, 3, n).astype(np.int8),
                rng.choice([0.0, 5.0], n) * (rng.random(n) < 0.5),
                rng.choice([0.0, 3.0], n) * (rng.random(n) < 0.5), rng.random(n) < 0.3,
                (rng.integers(0, 7, n) * (rng.random(n) < 0.3)).astype(np.int8),
                np.where(rng.random(n) < 0.6, np.nan, 4.0), rng.integers(0, 7, n).astype(np.int8),
                rng.random(n), rng.integers(0, 7, n).astype(np.int8), int(rng.integers(1, 99))]
        theirs = copy.deepcopy(args)
        for ours, expected in zip(control_kernels.changes(*args), changes_in_numpy(*theirs),
                                  strict=True):
            np.testing.assert_array_equal(ours, expected)
        for mine, numpys in zip(args, theirs, strict=True):
            if isinstance(mine, np.ndarray):
                np.testing.assert_array_equal(mine, numpys)


def test_force_summaries_are_numpys():
    """The daily row's force summaries in one compiled call equal numpy's sums and counts."""
    rng = np.random.default_rng(13)
    for _ in range(500):
        rows = int(rng.integers(1, 300))
        v = [rng.normal(50.0, 40.0, rows) * 10.0 ** rng.integers(-3, 4, rows) for _ in range(9)]
        flags = [rng.random(rows) < 0.5 for _ in range(2)]
        task, cut = rng.integers(0, 4, rows).astype(np.int8), rng.integers(0, 3, rows)
        slots = [np.sort(rng.choice(rows, int(rng.integers(0, rows + 1)), replace=False))
                 for _ in range(3)]
        units, garrisons, militias = slots
        ours = kernels.forces(v[0], v[1], v[2], task, units, 2, v[3], flags[0], cut, v[4], v[5],
                              garrisons, v[6], flags[1], militias)
        expected = (v[0][units].sum(), v[3][garrisons].sum(),
                    v[3][garrisons][flags[0][garrisons]].sum(), v[6][militias].sum(),
                    v[6][militias][flags[1][militias]].sum(), v[4][garrisons].sum(),
                    v[5][garrisons].sum(), v[1][units].sum(), v[2][units].sum(),
                    np.count_nonzero(cut[garrisons] > 0), np.count_nonzero(task[units] >= 2))
        assert ours == tuple(float(e) if isinstance(e, np.floating) else e for e in expected)


def test_sum_where_present_is_numpys():
    """The garrisons' mean expectation's sum and count equal numpy's mask, sum and length."""
    rng = np.random.default_rng(17)
    for _ in range(500):
        n, rows = int(rng.integers(1, 400)), int(rng.integers(0, 300))
        values = rng.normal(0.5, 0.3, n) * 10.0 ** rng.integers(-3, 4, n)
        district = rng.integers(0, n, rows)
        size = np.where(rng.random(rows) < 0.2, 0.0, rng.random(rows) * 100.0)
        slots = np.sort(rng.choice(rows, int(rng.integers(0, rows + 1)), replace=False))
        held = values[np.bincount(district[slots], weights=size[slots], minlength=n) > 0]
        assert kernels.sum_where_present(values, district, size, slots, n) == (
            float(held.sum()), len(held))


def test_presence_is_three_tallies():
    """The rows of ``kernels.presence`` equal numpy's weighted bincounts of the live, mobilised."""
    rng = np.random.default_rng(19)
    for _ in range(300):
        n = int(rng.integers(1, 400))
        args, expected = [], []
        for kind in range(3):
            rows = int(rng.integers(0, 300))
            district, size = rng.integers(0, n, rows), rng.random(rows) * 10.0 ** rng.integers(-3, 4)
            slots = np.sort(rng.choice(rows, int(rng.integers(0, rows + 1)), replace=False))
            alive = np.zeros(rows, bool)
            alive[slots] = True
            args += [district, size]
            if kind == 2:
                mobilised = rng.random(rows) < 0.5
                args.append(mobilised)
                slots_counted = slots[mobilised[slots]]
            else:
                slots_counted = slots
            args.append(alive)
            expected.append(np.bincount(district[slots_counted], weights=size[slots_counted],
                                        minlength=n))
        ours = kernels.presence(*args, n)
        for row, numpy_row in zip(ours, expected, strict=True):
            assert np.array_equal(row, numpy_row)


def choosers_in_numpy(district, target_of, fighters_of, live, objectives, talks, defenders,
                      is_capital, control, draws, contested, fort_capital, fort_district,
                      handover_odds, assault_odds, unit_size, p_commit, p_replan, w_crowding):
    """The campaign's day before its choice, as ``sim.stages.campaign.advance`` took it."""
    n = len(defenders)
    fort = np.where(is_capital, fort_capital, fort_district)
    need = np.where(talks, np.maximum(handover_odds * defenders, unit_size),
                    np.maximum(assault_odds * defenders * fort, unit_size))
    here, target, fighters = district[live], target_of[live], fighters_of[live]
    index = np.full(n + 1, -1)
    index[objectives] = np.arange(len(objectives))
    aimed = index[target]
    sent = np.bincount(aimed[aimed >= 0], weights=fighters[aimed >= 0], minlength=len(objectives))
    fighting = control[here] == contested
    choose = np.where(target < 0, (draws < p_commit) & ~fighting, (aimed < 0) | (draws < p_replan))
    return (here, target, fighters, aimed, sent, choose.nonzero()[0],
            w_crowding / need[objectives])


def test_choosers_are_the_numpy_arithmetic():
    """The campaign's pre-choice kernel equals the numpy code it replaced, array for array."""
    rng = np.random.default_rng(23)
    for _ in range(500):
        n, rows = int(rng.integers(1, 60)), int(rng.integers(0, 80))
        district = rng.integers(0, n, rows)
        target_of = np.where(rng.random(rows) < 0.4, -1, rng.integers(0, n, rows))
        fighters_of = rng.random(rows) * 300.0
        live = np.sort(rng.choice(rows, int(rng.integers(0, rows + 1)), replace=False))
        objectives = np.sort(rng.choice(n, int(rng.integers(1, n + 1)), replace=False))
        defenders = np.where(rng.random(n) < 0.3, 0.0, rng.random(n) * 500.0)
        args = (district, target_of, fighters_of, live, objectives, rng.random(n) < 0.2,
                defenders, rng.random(n) < 0.3, rng.integers(0, 3, n).astype(np.int8),
                rng.random(len(live)), 1, 7.74, 1.3, 0.2, 5.44, 100.0,
                float(rng.random()), float(rng.random()), 1.384)
        for ours, numpy_array in zip(campaign_kernels.choosers(*args), choosers_in_numpy(*args),
                                     strict=True):
            assert np.array_equal(ours, numpy_array)


def test_settle_is_the_numpy_arithmetic():
    """Targets and tasks written, and the walkers, as the numpy code wrote and picked them."""
    rng = np.random.default_rng(29)
    for _ in range(300):
        n, rows = int(rng.integers(1, 40)), int(rng.integers(0, 80))
        live = np.sort(rng.choice(rows, int(rng.integers(0, rows + 1)), replace=False))
        here = rng.integers(0, n, len(live))
        target = np.where(rng.random(len(live)) < 0.3, -1,
                          np.where(rng.random(len(live)) < 0.3, here, rng.integers(0, n, len(live))))
        target_of, task_of = np.full(rows, -1), np.zeros(rows, np.int8)
        expected_target, expected_task = target_of.copy(), task_of.copy()
        expected_target[live] = target
        expected_task[live] = np.where(target < 0, 0, np.where(target == here, 2, 1))
        movers = ((target >= 0) & (target != here)).nonzero()[0]
        ours = campaign_kernels.settle(target_of, task_of, live, target, here, 0, 2, 1)
        assert np.array_equal(target_of, expected_target)
        assert np.array_equal(task_of, expected_task)
        for got, want in zip(ours, (live[movers], here[movers], target[movers]), strict=True):
            assert np.array_equal(got, want)


def test_fronts_are_the_numpy_arithmetic():
    """The battles' places and forces equal the numpy code combat computed them with."""
    rng = np.random.default_rng(31)
    for _ in range(300):
        n = int(rng.integers(1, 40))
        kinds = []
        for _kind in range(3):
            rows = int(rng.integers(0, 60))
            slots = np.sort(rng.choice(rows, int(rng.integers(0, rows + 1)), replace=False))
            kinds.append((rng.integers(0, n, rows), rng.random(rows) * 40.0, slots))
        (td, _, units), (gd, troops, posts), (xd, fighters, militias) = kinds
        occupied = np.bincount(td[units], minlength=n) > 0
        defended = (np.bincount(gd[posts], minlength=n) + np.bincount(xd[militias], minlength=n)) > 0
        strength = (np.bincount(gd[posts], weights=troops[posts], minlength=n)
                    + np.bincount(xd[militias], weights=fighters[militias], minlength=n))
        battle = occupied & defended
        weak = battle & (strength < 10.0)
        battle &= ~weak
        expected = (occupied, battle, weak, strength, posts[battle[gd[posts]]],
                    militias[battle[xd[militias]]])
        ours = combat_kernels.fronts(td, units, gd, troops, posts, xd, fighters, militias, n, 10.0)
        for got, want in zip(ours, expected, strict=True):
            assert np.array_equal(got, want)


def test_first_at_caches_is_numpys_unique():
    """The districts with equipment waiting and the first unit in each, as ``np.unique`` gave."""
    rng = np.random.default_rng(37)
    for _ in range(300):
        n, rows = int(rng.integers(1, 40)), int(rng.integers(0, 80))
        cache = np.where(rng.random(n) < 0.5, 0.0, rng.random(n))
        control = rng.integers(0, 3, n).astype(np.int8)
        district = rng.integers(0, n, rows)
        slots = np.sort(rng.choice(rows, int(rng.integers(0, rows + 1)), replace=False))
        waiting = (cache > 0) & (control == Control.TALIBAN)
        there = slots[waiting[district[slots]]]
        districts, first = np.unique(district[there], return_index=True)
        ours = control_kernels.first_at_caches(cache, control, district, slots)
        assert np.array_equal(ours[0], districts) and np.array_equal(ours[1], there[first])


def test_rates_are_the_numpy_arithmetic():
    """The casualty draws' means equal the numpy expressions combat drew them from."""
    rng = np.random.default_rng(41)
    for _ in range(300):
        n = int(rng.integers(1, 60))
        battle, assault, occupied = (rng.random(n) < 0.4 for _ in range(3))
        fire, attack = rng.random(n) * 10.0 ** rng.integers(-2, 4), rng.random(n) * 500.0
        air_kills = np.where(rng.random(n) < 0.6, 0.0, rng.random(n) * 30.0)
        rg, rt, siege = (float(v) for v in rng.random(3))
        fought = battle.nonzero()[0]
        intensity = np.where(assault[fought], 1.0, siege)
        struck = (occupied & ~battle & (air_kills > 0)).nonzero()[0]
        expected = (fought, rg * fire[fought] * intensity + air_kills[fought],
                    rt * attack[fought] * intensity, struck, air_kills[struck])
        ours = combat_kernels.rates(battle, assault, fire, attack, air_kills, occupied, rg, rt, siege)
        for got, want in zip(ours, expected, strict=True):
            assert np.array_equal(got, want)


def test_give_up_terms_are_the_numpy_arithmetic():
    """A besieged post's odds of giving up, as ``surrender.p_give_up`` computed them in numpy."""
    rng = np.random.default_rng(43)
    for _ in range(300):
        rows, n, n_prov = int(rng.integers(1, 60)), int(rng.integers(1, 40)), int(rng.integers(1, 9))
        slots = np.sort(rng.choice(rows, int(rng.integers(0, rows + 1)), replace=False))
        ammo, supply, morale, threshold = (rng.random(rows) * 3.0 for _ in range(4))
        district, cut = rng.integers(0, n, rows), rng.integers(0, 3, rows)
        belief, province = rng.random(n_prov), rng.integers(0, n_prov, n)
        attackers = np.where(rng.random(len(slots)) < 0.2, 0.5, rng.random(len(slots)) * 900.0)
        defenders = np.where(rng.random(len(slots)) < 0.2, 0.0, rng.random(len(slots)) * 400.0)
        w = [float(v) for v in rng.normal(0.0, 2.0, 6)]
        expected = (w[0] * (ammo[slots] < 1.0) + w[1] * (supply[slots] < 1.0)
                    + w[2] * (1.0 - morale[slots]) + w[3] * (1.0 - belief[province[district[slots]]])
                    + w[4] * (cut[slots] > 0)
                    + w[5] * np.log(np.maximum(attackers, 1.0) / np.maximum(defenders, 1.0))
                    - threshold[slots])
        terms, odds, own = surrender_kernels.give_up_terms(
            slots, ammo, supply, morale, district, cut, threshold, belief, province, attackers,
            defenders, *w[:5])
        assert np.array_equal(terms + w[5] * np.log(odds) - own, expected)


def test_desertion_terms_are_the_numpy_arithmetic():
    """The troops that may desert and the collapse's base, as the numpy code computed them."""
    rng = np.random.default_rng(47)
    for _ in range(300):
        rows, n, n_prov = int(rng.integers(1, 60)), int(rng.integers(1, 40)), int(rng.integers(1, 9))
        slots = np.sort(rng.choice(rows, int(rng.integers(0, rows + 1)), replace=False))
        troops = np.where(rng.random(rows) < 0.2, rng.random(rows), rng.random(rows) * 900.0)
        morale, district = rng.random(rows), rng.integers(0, n, rows)
        belief, province = rng.random(n_prov), rng.integers(0, n_prov, n)
        people, base = surrender_kernels.desertion_terms(slots, troops, morale, district, belief,
                                                         province)
        assert np.array_equal(people, np.where(troops[slots] >= 1, troops[slots], 0).astype(np.int64))
        assert np.array_equal(base, (1.0 - morale[slots]) * (1.0 - belief[province[district[slots]]]))
