"""The compiled searches give what the library calls they stand in for give, bit for bit."""

from __future__ import annotations

import copy
import heapq

import numpy as np
import pytest
from scipy.sparse import random as sparse_random
from scipy.sparse.csgraph import dijkstra

from sim.model.model import OffensiveModel
from sim.stages import supply
from sim.stages.air import allocate
from sim.stages.morale import casualty_share
from sim.world import combat_kernels, kernels, morale_kernels
from sim.world.graph_kernels import NO_SOURCE, nearest_sources, product, spread
from sim.world.space import HopDistances


@pytest.mark.parametrize("costs", ["continuous", "ties"])
def test_nearest_sources_is_scipys_multi_source_dijkstra(costs):
    """Costs and nearest-source labels equal scipy's, or the kernel says it cannot tell.

    With costs drawn from four values, paths from two sources often tie: the kernel answers
    wherever scipy's label does not depend on the order of its heap, and must answer often.
    """
    rng = np.random.default_rng(7)
    answered = 0
    for trial in range(600):
        n = int(rng.integers(2, 60))
        graph = sparse_random(n, n, density=rng.uniform(0.02, 0.3), random_state=rng, format="csr")
        graph.data = (rng.choice([0.5, 1.0, 2.0, 3.25], size=graph.nnz) if costs == "ties"
                      else rng.uniform(0.1, 9.0, graph.nnz))
        if trial % 3:
            graph = (graph + graph.T).tocsr()
        sources = rng.choice(n, size=int(rng.integers(1, min(n, 8) + 1)), replace=False)
        dist, _, label = dijkstra(graph, indices=sources, min_only=True, return_predecessors=True)
        found = nearest_sources(graph, sources)
        if found is None:
            continue
        answered += 1
        np.testing.assert_array_equal(found[0], dist)
        np.testing.assert_array_equal(found[1], label)
        assert found[1].dtype == label.dtype
    assert answered > (590 if costs == "continuous" else 150)


def test_unreached_districts_have_no_source():
    """A district no path reaches costs inf and is labelled as scipy labels it."""
    graph = sparse_random(5, 5, density=0.0, format="csr")
    dist, label = nearest_sources(graph, np.array([2]))
    assert dist.tolist() == [np.inf, np.inf, 0.0, np.inf, np.inf]
    assert label.tolist() == [NO_SOURCE, NO_SOURCE, 2, NO_SOURCE, NO_SOURCE]


def test_hop_rows_are_scipys_breadth_first_depths():
    """Compiled hop rows equal those of scipy's breadth-first order, unreachable pairs included."""
    rng = np.random.default_rng(3)
    for _ in range(200):
        n = int(rng.integers(1, 80))
        graph = sparse_random(n, n, density=rng.uniform(0.0, 0.15), random_state=rng, format="csr")
        graph = ((graph + graph.T) > 0).astype(float).tocsr()
        compiled = HopDistances(graph)
        plain = HopDistances(graph)
        plain._compiled = False
        source = int(rng.integers(0, n))
        np.testing.assert_array_equal(compiled._bfs(source), plain._bfs(source))


def test_products_and_spreads_are_scipys():
    """Compiled ``matrix @ x`` equals scipy's product bit for bit; ``spread`` its repeated masks."""
    rng = np.random.default_rng(11)
    for _ in range(300):
        n = int(rng.integers(1, 60))
        graph = sparse_random(n, n, density=rng.uniform(0.0, 0.3), random_state=rng, format="csr")
        if rng.random() < 0.5:
            graph.data = np.ones(graph.nnz)
        x = rng.standard_normal(n) * 10.0 ** rng.integers(-3, 4, n)
        np.testing.assert_array_equal(product(graph, x), graph @ x)
        graph.data = np.ones(graph.nnz)
        mask, hops = rng.random(n) < 0.1, int(rng.integers(0, 4))
        plain = mask.copy()
        for _ in range(hops):
            plain |= graph @ plain.astype(float) > 0
        np.testing.assert_array_equal(spread(graph.indptr, graph.indices, mask, hops), plain)


def test_tally_and_sums_are_numpys():
    """Sums per district (``np.bincount``) and over the slots given (``sum``), bit for bit."""
    rng = np.random.default_rng(5)
    for _ in range(300):
        n, rows = int(rng.integers(1, 40)), int(rng.integers(0, 120))
        district, size = rng.integers(0, n, rows), rng.standard_normal(rows) * 1e3
        slots = rng.permutation(rows)[: int(rng.integers(0, rows + 1))]
        np.testing.assert_array_equal(kernels.tally(district, size, slots, n),
                                      np.bincount(district[slots], size[slots], minlength=n))
        flag = rng.random(rows) < 0.5
        assert kernels.sum_of(size, slots) == float(size[slots].sum())
        assert kernels.sum_where(size, slots, flag) == float(size[slots][flag[slots]].sum())


def readiness_in_numpy(morale, ammo_days, broken, without_ammo):
    """The combat stage's readiness as numpy wrote it: the reference."""
    return ((broken + (1.0 - broken) * morale) * np.where(ammo_days >= 1.0, 1.0, without_ammo))


def test_combat_kernels_are_the_numpy_arithmetic():
    """Fire per district and shared losses equal the numpy expressions they replaced."""
    rng = np.random.default_rng(13)
    for _ in range(300):
        n, rows = int(rng.integers(1, 30)), int(rng.integers(0, 80))
        district = rng.integers(0, n, rows)
        slots = rng.permutation(rows)[:int(rng.integers(0, rows + 1))]
        size, equipment = rng.choice([0.0, 1.0, 7.5, 40.0], rows), rng.choice([0.0, 3.0, 12.0], rows)
        morale, ammo = rng.random(rows), rng.choice([0.0, 0.5, 1.0, 3.0], rows)
        fort, terrain = rng.choice([1.0, 1.5], rows), 1.0 + rng.random(n)
        broken, without, per_item, crew = rng.random(), rng.random(), 2.0 * rng.random(), 3.0
        ready = readiness_in_numpy(morale[slots], ammo[slots], broken, without)
        power = size[slots] + per_item * np.minimum(equipment[slots], size[slots] / crew)
        np.testing.assert_array_equal(
            combat_kernels.attack(district, size, equipment, morale, ammo, slots, n, per_item, crew,
                                  broken, without),
            np.bincount(district[slots], power * ready, minlength=n))
        other = rng.permutation(rows)[:int(rng.integers(0, rows + 1))]
        fire = (np.bincount(district[slots], size[slots] * fort[slots] * ready, minlength=n)
                + np.bincount(district[other], equipment[other] * readiness_in_numpy(
                    morale[other], ammo[other], broken, without), minlength=n))
        np.testing.assert_array_equal(
            combat_kernels.defence(district, size, fort, morale, ammo, slots, district, equipment,
                                   morale, ammo, other, terrain, broken, without), fire * terrain)
        losses = rng.poisson(5.0, n).astype(float)
        total = np.bincount(district[slots], size[slots], minlength=n)
        share = np.divide(losses[district[slots]] * size[slots], total[district[slots]],
                          out=np.zeros(len(slots)), where=total[district[slots]] > 0)
        np.testing.assert_array_equal(kernels.shares(district, size, slots, losses, total),
                                      np.minimum(size[slots], share))


def allocate_in_python(threat_fighters, defenders, n_strikes, kills_per_strike):
    """The strike allocation as it was written in Python, with ``heapq``: the reference."""
    counts = np.zeros(len(defenders))
    targets = ((threat_fighters > 0) & (defenders > 0)).nonzero()[0]
    fighters = threat_fighters[targets].astype(float)
    ratio = -fighters / defenders[targets]
    order = np.lexsort((targets, ratio))
    fresh_key, fresh = ratio[order].tolist(), order.tolist()
    struck: list[tuple[float, int]] = []
    remaining, defending = fighters.tolist(), defenders[targets].tolist()
    hits = [0] * len(targets)
    first = 0
    for _ in range(n_strikes):
        if first < len(fresh) and (not struck or (fresh_key[first], fresh[first]) < struck[0]):
            i = fresh[first]
            first += 1
        elif struck:
            i = heapq.heappop(struck)[1]
        else:
            break
        hits[i] += 1
        remaining[i] = left = max(0.0, remaining[i] - kills_per_strike)
        if left > 0:
            heapq.heappush(struck, (-left / defending[i], i))
    counts[targets] = hits
    return counts


@pytest.mark.parametrize("values", ["continuous", "ties"])
def test_strike_allocation_is_the_python_heaps(values):
    """Compiled strike counts equal the heapq allocation's, ties of ratio included."""
    rng = np.random.default_rng(11)
    for _ in range(2000):
        n = int(rng.integers(1, 60))
        if values == "ties":
            threat = rng.choice([0.0, 10.0, 20.0, 35.5, 50.0], n)
            defenders = rng.choice([0.0, 5.0, 10.0, 20.0], n)
            kills = float(rng.choice([1.0, 2.5, 10.0]))
        else:
            threat = np.where(rng.random(n) < 0.3, 0.0, rng.uniform(0, 300, n))
            defenders = np.where(rng.random(n) < 0.2, 0.0, rng.uniform(0, 200, n))
            kills = float(rng.uniform(0.5, 30))
        strikes = int(rng.integers(0, 100))
        np.testing.assert_array_equal(allocate(threat, defenders, strikes, kills),
                                      allocate_in_python(threat, defenders, strikes, kills))


def morale_in_numpy(model, nearby, air, expecting, relief):
    """The morale arithmetic as it was written with numpy: the reference (tables changed in place)."""
    cfg = model.config.morale
    g = model.garrison_table
    slots = g.live()
    d = g.district[slots]
    base = np.where(g.commando[slots], cfg.commando, cfg.government)
    short = (g.ammo_days[slots] < 1.0) | (g.supply_days[slots] < 1.0)
    morale = g.morale[slots]
    g.morale[slots] = np.clip(
        morale + cfg.rate_recovery * (base - morale) - cfg.rate_isolation * (g.cut_off_days[slots] > 0)
        - cfg.rate_shortage * short - cfg.w_casualties * casualty_share(g, slots) * relief
        - cfg.rate_contagion * nearby[d] + cfg.boost_resupply * g.resupplied[slots] + air[d]
        + expecting[d], 0.0, 1.0)
    x = model.militia_table
    slots = x.live()
    d = x.district[slots]
    morale = x.morale[slots]
    x.morale[slots] = np.clip(
        morale + cfg.rate_recovery * (cfg.militia - morale)
        - cfg.rate_shortage * (x.ammo_days[slots] < 1.0)
        - cfg.w_casualties * casualty_share(x, slots) - cfg.rate_contagion * nearby[d] + air[d],
        0.0, 1.0)
    t = model.unit_table
    slots = t.live()
    morale = t.morale[slots]
    t.morale[slots] = np.clip(
        morale + cfg.rate_recovery * (cfg.taliban - morale) - cfg.w_casualties * casualty_share(t, slots)
        + cfg.boost_victory * nearby[t.district[slots]], 0.0, 1.0)


def test_morale_kernels_are_the_numpy_arithmetic(tiny_config):
    """On days of a run, with random casualties, stocks and neighbours' losses, the compiled
    morale of every garrison, militia and unit equals the numpy expression's, bit for bit."""
    model = OffensiveModel(tiny_config)
    rng = np.random.default_rng(5)
    for _ in range(10):
        model.step()
        for table in (model.garrison_table, model.militia_table, model.unit_table):
            live = table.live()
            table.casualties_today[live] = rng.choice([0.0, 0.5, 3.0], len(live))
            table.morale[live] = rng.uniform(-0.1, 1.1, len(live))
            table.ammo_days[live] = rng.uniform(0.0, 2.0, len(live))
        n = model.map.n
        nearby, air = rng.integers(0, 3, n) * 1.0, rng.choice([0.0, 0.05], n)
        expecting = rng.normal(0, 0.01, n)
        relief = rng.uniform(0.5, 1.0, len(model.garrison_table.live()))
        other = OffensiveModel.__new__(OffensiveModel)
        other.config = model.config
        for name in ("garrison_table", "militia_table", "unit_table"):
            setattr(other, name, deepcopy_table(getattr(model, name)))
        morale_in_numpy(other, nearby, air, expecting, relief)
        cfg = model.config.morale
        g, x, t = model.garrison_table, model.militia_table, model.unit_table
        morale_kernels.garrison_morale(
            g.live(), g.morale, g.commando, g.cut_off_days, g.ammo_days, g.supply_days,
            g.casualties_today, g.troops, g.resupplied, g.district, relief, nearby, air, expecting,
            cfg.commando, cfg.government, cfg.rate_recovery, cfg.rate_isolation, cfg.rate_shortage,
            cfg.w_casualties, cfg.rate_contagion, cfg.boost_resupply)
        morale_kernels.militia_morale(
            x.live(), x.morale, x.ammo_days, x.casualties_today, x.fighters, x.district, nearby,
            air, cfg.militia, cfg.rate_recovery, cfg.rate_shortage, cfg.w_casualties,
            cfg.rate_contagion)
        morale_kernels.unit_morale(
            t.live(), t.morale, t.casualties_today, t.fighters, t.district, nearby, cfg.taliban,
            cfg.rate_recovery, cfg.w_casualties, cfg.boost_victory)
        for name in ("garrison_table", "militia_table", "unit_table"):
            ours, theirs = getattr(model, name), getattr(other, name)
            np.testing.assert_array_equal(ours.morale, theirs.morale)
            np.testing.assert_array_equal(ours.casualties_today, theirs.casualties_today)


def deepcopy_table(table):
    """A copy of a Table's columns (the agents' handles are not needed here)."""
    out = copy.copy(table)
    for name in table.columns:
        setattr(out, name, getattr(table, name).copy())
    return out


def test_total_is_numpys_pairwise_sum():
    """``kernels.total`` equals ``a.sum()`` bit for bit, across numpy's block and split sizes."""
    rng = np.random.default_rng(2)
    sizes = [0, 1, 7, 8, 9, 127, 128, 129, 255, 256, 257, 1024, 4095, 8192, 8193, 20_000]
    for n in sizes + rng.integers(0, 3000, 300).tolist():
        a = rng.normal(0.0, 1.0, n) * 10.0 ** rng.integers(-5, 8, n)
        assert kernels.total(a) == float(a.sum())


def lose_in_numpy(size, equipment, slots, n, killed):
    """The people and equipment lost, as ``sim.world.agents.lose`` computed them with numpy."""
    strength = size[slots]
    n = np.minimum(np.maximum(n, 0.0), strength)
    destroyed = 0.0
    if killed and len(slots):
        held = equipment[slots]
        gone = np.divide(held * n, strength, out=np.zeros(len(slots)), where=(n > 0) & (held > 0))
        equipment[slots] = held - gone
        destroyed = float(gone.sum())
    size[slots] = strength - n
    return n, destroyed, float(n.sum())


def test_lose_is_the_numpy_arithmetic():
    """Compiled losses (clamped to [0, size], equipment shared by the killed) equal numpy's."""
    rng = np.random.default_rng(4)
    for _ in range(2000):
        rows = int(rng.integers(1, 300))
        size = rng.choice([0.0, 1.0, 50.0], rows) + rng.uniform(0, 200, rows) * (rng.random(rows) < 0.8)
        equipment = np.where(rng.random(rows) < 0.5, 0.0, rng.uniform(0, 20, rows))
        slots = rng.choice(rows, int(rng.integers(0, rows + 1)), replace=False)
        n = rng.normal(10.0, 30.0, len(slots))
        killed = bool(rng.random() < 0.5)
        ours = kernels.lose(size.copy(), equipment.copy(), slots, n, killed)
        size_np, equipment_np = size.copy(), equipment.copy()
        theirs = lose_in_numpy(size_np, equipment_np, slots, n, killed)
        np.testing.assert_array_equal(ours[0], theirs[0])
        assert ours[2] == theirs[2] and (not killed or ours[1] == theirs[1])
        size_k, equipment_k = size.copy(), equipment.copy()
        kernels.lose(size_k, equipment_k, slots, n, killed)
        np.testing.assert_array_equal(size_k, size_np)
        np.testing.assert_array_equal(equipment_k, equipment_np)


def airlift_in_numpy(needy, g, is_capital, has_airfield, seen, helo_t, fixed_t, per_day, ammo_cap,
                     supply_cap):
    """The airlift as ``sim.stages.supply.airlift`` computed it with numpy: the reference."""
    d = g["district"][needy]
    ammo, days, troops = g["ammo_days"][needy], g["supply_days"][needy], g["troops"][needy]
    order = np.lexsort((np.minimum(ammo, days), ~is_capital[d]))
    needy, d, ammo, days, troops = needy[order], d[order], ammo[order], days[order], troops[order]
    gap = np.maximum(ammo_cap - ammo, supply_cap - days)
    want = np.maximum(gap * troops * per_day, 0.0)
    fixed_want = np.where(has_airfield[d], want, 0.0)
    from_fixed = np.clip(fixed_t - (np.cumsum(fixed_want) - fixed_want), 0.0, fixed_want)
    helo_want = want - from_fixed
    from_helo = np.clip(helo_t - (np.cumsum(helo_want) - helo_want), 0.0, helo_want)
    tonnes = from_fixed + from_helo
    fed = tonnes > 0
    slots, given = needy[fed], tonnes[fed] / (troops[fed] * per_day)
    keep = given > 0
    slots, given = slots[keep], given[keep]
    g["ammo_days"][slots] = np.minimum(ammo_cap, g["ammo_days"][slots] + given)
    g["supply_days"][slots] = np.minimum(supply_cap, g["supply_days"][slots] + given)
    g["resupplied"][slots] = True
    seen[d[fed]] = True
    return float(tonnes.sum())


def test_airlift_is_the_numpy_arithmetic():
    """Compiled airlift (order, lift left in turn, restocking, support seen) equals numpy's."""
    rng = np.random.default_rng(8)
    for _ in range(1000):
        rows, n = int(rng.integers(1, 120)), 40
        g = {"district": rng.integers(0, n, rows), "troops": rng.choice([0.0, 20.0, 150.0], rows),
             "ammo_days": rng.choice([0.0, 0.5, 3.0, 30.0], rows),
             "supply_days": rng.choice([0.0, 1.0, 3.0, 30.0], rows), "resupplied": np.zeros(rows, bool)}
        is_capital, has_airfield = rng.random(n) < 0.2, rng.random(n) < 0.3
        needy = np.sort(rng.choice(rows, int(rng.integers(0, rows + 1)), replace=False))
        lift = (float(rng.choice([0.0, 5.0, 60.0])), float(rng.choice([0.0, 10.0, 200.0])))
        theirs_g = {k: v.copy() for k, v in g.items()}
        theirs_seen, ours_seen = np.zeros(n, bool), np.zeros(n, bool)
        theirs = airlift_in_numpy(needy, theirs_g, is_capital, has_airfield, theirs_seen, *lift,
                                  0.05, 21.0, 30.0)
        ours = kernels.airlift(needy, g["district"], g["ammo_days"], g["supply_days"], g["troops"],
                               g["resupplied"], is_capital, has_airfield, ours_seen, *lift, 0.05,
                               21.0, 30.0)
        assert ours == theirs
        np.testing.assert_array_equal(ours_seen, theirs_seen)
        for key in g:
            np.testing.assert_array_equal(g[key], theirs_g[key])


def test_roads_reach_compiled_or_by_scipy(tiny_config):
    """Supply's searches give the same costs and hubs compiled or through scipy's dijkstra."""
    model = OffensiveModel(tiny_config)
    rng = np.random.default_rng(9)
    compiled, plain = supply.Roads(model.map, 2.0), supply.Roads(model.map, 2.0)
    plain.compiled = False
    for _ in range(50):
        passable = rng.random(model.map.n) < 0.8
        sources = np.flatnonzero(rng.random(model.map.n) < 0.2)
        for ours, theirs in zip(compiled.reach(passable, sources), plain.reach(passable, sources),
                                strict=True):
            np.testing.assert_array_equal(ours, theirs)

