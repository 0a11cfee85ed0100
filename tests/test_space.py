"""The district graph: the real map's facts, and the synthetic generator's guarantees."""

from __future__ import annotations

import math
import resource
import subprocess
import sys

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from scipy.sparse.csgraph import shortest_path

import sim
from sim.config import ConfigError, SpaceConfig, SpaceKind
from sim.config.memory import BYTES_FIXED, check_memory, estimate_bytes, hop_bytes, n_districts
from sim.world.real_map import load_outlines, load_real_map
from sim.world.space import HopDistances
from sim.world.synthetic import capital_tree, map_from_graph, synthetic_map


def test_real_map_has_afghanistans_districts_and_provinces():
    """398 districts in 34 provinces, one capital each, Kabul the national capital, connected."""
    m = load_real_map()
    assert m.n == 398
    assert len(set(m.province)) == 34
    assert m.is_capital.sum() == 34
    assert list(m.name[m.is_national_capital]) == ["Kabul"]
    assert nx.is_connected(m.graph)
    assert len(load_outlines()) == m.n


def test_real_map_hubs_are_the_corps_headquarters():
    """Supply hubs: Kabul and the six corps headquarters, all provincial capitals."""
    m = load_real_map()
    assert sorted(m.name[m.is_hub]) == sorted(
        ["Kabul", "Gardiz", "Kandahar", "Hirat", "Mazari Sharif", "Lashkar Gah", "Kunduz"])
    assert m.is_capital[m.is_hub].all()


def test_ring_road_links_the_big_cities():
    """Main-road edges alone connect Kabul, Kandahar, Herat and Mazar-i-Sharif."""
    m = load_real_map()
    road = nx.Graph([(u, v) for u, v, r in m.graph.edges(data="road") if r])
    ids = {name: int(np.flatnonzero(m.name == name)[0])
           for name in ("Kabul", "Kandahar", "Hirat", "Mazari Sharif")}
    assert all(nx.has_path(road, ids["Kabul"], ids[c]) for c in ids)


def test_real_map_attributes_are_plausible():
    """Populations sum to the CSO total; areas sum to Afghanistan's ~652,000 km2."""
    m = load_real_map()
    assert m.population.sum() == pytest.approx(30_725_560, rel=1e-6)
    assert m.area_km2.sum() == pytest.approx(652_000, rel=0.03)
    assert ((m.lon > 60) & (m.lon < 75) & (m.lat > 29) & (m.lat < 39)).all()
    assert m.has_airfield.sum() >= 20 and m.is_border_crossing.sum() >= 10


@pytest.mark.parametrize(("n_provinces", "side"), [(1, 2), (4, 3), (9, 4), (10, 5)])
def test_synthetic_map_is_connected_and_sized(n_provinces, side):
    """The synthetic country has n_provinces x side^2 districts, one capital each, connected."""
    cfg = SpaceConfig(kind=SpaceKind.SYNTHETIC, n_provinces=n_provinces, province_side=side)
    m = synthetic_map(cfg, np.random.default_rng(1))
    assert m.n == n_provinces * side * side
    assert m.is_capital.sum() == n_provinces and m.is_national_capital.sum() == 1
    assert m.is_hub[m.is_national_capital].all()
    assert nx.is_connected(m.graph)


@pytest.mark.parametrize(("n_provinces", "seed"), [(1, 0), (2, 0), (7, 1), (37, 2), (100, 3)])
def test_capital_tree_is_networkx_minimum_spanning_tree(n_provinces, seed):
    """The roads' tree is, edge for edge and in order, networkx's minimum spanning tree of the
    complete graph of the capitals (as the synthetic map built it), on province centres and on
    random ascending ids alike, ties included."""
    side = 4
    cols = math.ceil(math.sqrt(n_provinces))
    cells = [(x, y) for x in range(cols * side) for y in range(cols * side)]
    centres = [x * cols * side + y for x, y in
               (((p % cols) * side + 2, (p // cols) * side + 2) for p in range(n_provinces))]
    scattered = sorted(np.random.default_rng(seed).choice(len(cells), n_provinces, replace=False))
    for capitals in (sorted(centres), [int(c) for c in scattered]):
        complete = nx.Graph()
        complete.add_weighted_edges_from((a, b, math.dist(cells[a], cells[b]))
                                         for a in capitals for b in capitals if a < b)
        assert capital_tree(capitals, cells) == list(nx.minimum_spanning_tree(complete).edges())


def test_synthetic_map_is_seeded():
    """Same seed, same map; another seed, another map."""
    cfg = SpaceConfig(kind=SpaceKind.SYNTHETIC)
    a, b, c = (synthetic_map(cfg, np.random.default_rng(s)) for s in (3, 3, 4))
    assert nx.utils.graphs_equal(a.graph, b.graph) and (a.population == b.population).all()
    assert not (a.population == c.population).all()


@pytest.mark.parametrize(("kind", "capacity"), [("real", None), ("synthetic", None),
                                                 ("real", 5), ("synthetic", 40)])
def test_lazy_hops_index_like_the_all_pairs_matrix(kind, capacity):
    """Every index form the model uses (and numpy's others) reads what the dense all-pairs hop
    matrix would hold, with its shape and dtype, whether the cache holds every row or must evict;
    only the rows asked for are searched."""
    m = load_real_map() if kind == "real" else synthetic_map(
        SpaceConfig(kind=SpaceKind.SYNTHETIC, n_provinces=10, province_side=5),
        np.random.default_rng(2))
    dense = shortest_path(m.adjacency, unweighted=True, directed=False).astype(np.int16)
    rng = np.random.default_rng(0)
    ids, other, mask = rng.choice(m.n, 7), rng.choice(m.n, 7), rng.random(m.n) < 0.1
    keys = [3, ids, mask, (3, 5), (ids, 5), (3, ids), (slice(None), ids), (ids, slice(None)),
            (slice(None), mask), (slice(None), np.zeros(m.n, bool)),
            (mask, 4), (ids, other), (ids[:, None], other[None, :]), (slice(2, 9), slice(None, None, 3)),
            (np.int64(4), ids), (ids, np.int64(9))]
    hops = HopDistances(m.adjacency, capacity)  # fresh: the real map's own is session-wide
    first = hops.BLOCK if hops.capacity >= hops.BLOCK else 1  # a block only where it fits
    assert hops[0, 1] == dense[0, 1] and hops.n_cached == first
    for key in keys:
        got = hops[key]
        assert got.shape == dense[key].shape and got.dtype == dense.dtype
        assert (got == dense[key]).all(), key
        assert hops.n_cached <= hops.capacity
    assert (np.asarray(hops) == dense).all()
    assert (hops.between(ids[:, None], other) == dense[ids[:, None], other]).all()


def test_hops_between_components_read_as_the_dense_matrix():
    """Districts with no path between them read what the dense matrix's cast of inf gives."""
    m = map_from_graph(nx.disjoint_union(nx.path_graph(3), nx.cycle_graph(4)))
    with np.errstate(invalid="ignore"):
        dense = shortest_path(m.adjacency, unweighted=True, directed=False).astype(np.int16)
    assert (np.asarray(HopDistances(m.adjacency)) == dense).all()


@pytest.mark.parametrize("length", [200, 256, 400])
def test_hop_rows_are_bytes_only_where_every_count_fits(length):
    """On a path of ``length`` districts (hops up to length - 1) the cache keeps bytes only where
    its bound on the diameter is at most 255, and reads every hop count exactly either way."""
    m = map_from_graph(nx.path_graph(length))
    dense = shortest_path(m.adjacency, unweighted=True, directed=False).astype(np.int16)
    hops = HopDistances(m.adjacency)
    assert hops.dtype == (np.uint8 if length <= 200 else np.int16)
    ends = np.array([[0], [length - 1]])
    assert (hops.between(ends, np.arange(length)) == dense[[0, length - 1]]).all()
    assert (np.asarray(hops) == dense).all() and np.asarray(hops).dtype == np.int16
    disconnected = map_from_graph(nx.disjoint_union(nx.path_graph(3), nx.path_graph(2)))
    assert HopDistances(disconnected.adjacency).dtype == np.int16


def test_hop_cache_is_bounded_and_evicts_the_least_recently_read():
    """A cache smaller than the map keeps at most its capacity of rows, keeps the rows read last
    (no search again) and searches an evicted row again, with the same values."""
    m = synthetic_map(SpaceConfig(kind=SpaceKind.SYNTHETIC, n_provinces=10, province_side=5),
                      np.random.default_rng(2))
    dense = shortest_path(m.adjacency, unweighted=True, directed=False).astype(np.int16)
    hops = HopDistances(m.adjacency, capacity=3)
    cols = np.arange(m.n)
    for source in (7, 100, 200):
        assert (hops.between(np.array([[source]]), cols) == dense[source]).all()
    assert hops.n_cached == 3 and hops.n_searched == 3
    hops.between(np.array([[7]]), cols)  # 7 read again: 100 is now the least recent
    assert (hops.between(np.array([[201]]), cols) == dense[201]).all()
    assert hops.n_searched == 4
    hops.between(np.array([[7], [200], [201]]), cols)  # still cached: no search
    assert hops.n_searched == 4
    assert (hops.between(np.array([[100]]), cols) == dense[100]).all()
    assert hops.n_searched == 5 and hops.n_cached == 3


def test_a_run_with_a_small_hop_cache_is_the_run_with_every_row(monkeypatch):
    """The campaign reads the same hop distances when the cache must evict: same run, bit for
    bit, and the cache never holds more than its capacity."""
    config = sim.load_config(["debug=tiny", "days=20"])
    full = sim.run(config)
    monkeypatch.setattr(HopDistances, "CAPACITY", 4)
    monkeypatch.setattr(HopDistances, "BUDGET", 0)
    searched = []
    monkeypatch.setattr(HopDistances, "_search", lambda self, missing, search=HopDistances._search:
                        (search(self, missing), searched.append(self.n_cached)))
    small = sim.run(config)
    assert searched and max(searched) <= 4
    for name in ("daily", "districts", "events"):
        pd.testing.assert_frame_equal(getattr(small, name), getattr(full, name))
    assert (small.control == full.control).all() and small.summary == full.summary


@pytest.mark.parametrize("h", [0, 1, 2, 4])
def test_within_is_the_sorted_hop_ball(h):
    """``within(h)`` lists, in ascending order, exactly the districts at most h hops away."""
    m = synthetic_map(SpaceConfig(kind=SpaceKind.SYNTHETIC, n_provinces=4, province_side=4),
                      np.random.default_rng(5))
    dense = shortest_path(m.adjacency, unweighted=True, directed=False)
    for district, ball in enumerate(m.within(h)):
        np.testing.assert_array_equal(ball, np.flatnonzero(dense[district] <= h))
    assert m.within(h) is m.within(h)


def test_reach_marks_districts_near_any_source():
    """``reach(h) @ mask > 0`` is the set of districts within h hops of some district in mask."""
    m = load_real_map()
    mask = np.zeros(m.n, bool)
    mask[[0, 100, 250]] = True
    dense = shortest_path(m.adjacency, unweighted=True, directed=False)
    np.testing.assert_array_equal(m.reach(3) @ mask > 0, (dense[:, mask] <= 3).any(axis=1))


def test_district_count_is_known_before_building():
    """The memory estimate's district count matches the built maps, real and synthetic."""
    assert n_districts(SpaceConfig()) == load_real_map().n
    cfg = SpaceConfig(kind=SpaceKind.SYNTHETIC, n_provinces=6, province_side=3)
    assert n_districts(cfg) == synthetic_map(cfg, np.random.default_rng(0)).n


def test_estimate_grows_linearly_with_the_map():
    """Beyond the hop cache's byte budget, four times the districts cost four times the memory
    (less the fixed part): no quadratic term."""
    configs = [sim.load_config(["space=synthetic", f"space.n_provinces={p}"]) for p in (25, 400)]
    small, big = (estimate_bytes(c) - BYTES_FIXED for c in configs)
    assert hop_bytes(6400) == HopDistances.BUDGET
    assert hop_bytes(25600) == 2 * HopDistances.CAPACITY * 25600
    assert hop_bytes(4 * 25600) == 4 * hop_bytes(25600)
    assert big <= 16 * small * (1 + HopDistances.BUDGET / (2 * 400 ** 2))


def test_map_too_big_for_the_machine_is_refused_at_once(monkeypatch):
    """A map whose estimate exceeds the available memory fails validation with one line naming
    the size fields, the estimate and what is available; runs at once count together."""
    config = sim.load_config(["space=synthetic", "space.n_provinces=100"])
    monkeypatch.setattr("sim.config.memory.available_bytes", lambda: estimate_bytes(config) - 1)
    with pytest.raises(ConfigError) as err:
        sim.load_config(["space=synthetic", "space.n_provinces=100"])
    message = str(err.value)
    assert "\n" not in message
    assert "space.n_provinces=100" in message and "space.province_side=4" in message
    assert "GB available" in message
    monkeypatch.setattr("sim.config.memory.available_bytes", lambda: estimate_bytes(config) * 3 // 2)
    check_memory(config)
    with pytest.raises(ConfigError, match="x 2 runs at once"):
        check_memory(config, copies=2)


def limit_address_space() -> None:
    """Cap the child's address space at 8 GB, so the memory check does not read the host's."""
    resource.setrlimit(resource.RLIMIT_AS, (8 * 2**30, resource.RLIM_INFINITY))


def test_cli_refuses_the_largest_synthetic_map_with_one_line(tmp_path):
    """`python -m sim` on 400 provinces of 30 x 30 districts (about 19 GB), under an 8 GB
    address-space limit, prints one error line naming both size fields, exits 2 and leaves no
    run folder."""
    out = tmp_path / "run"
    proc = subprocess.run([sys.executable, "-m", "sim", "space=synthetic", "space.n_provinces=400",
                           "space.province_side=30", f"hydra.run.dir={out}"],
                          capture_output=True, text=True, preexec_fn=limit_address_space)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: space.n_provinces=400 x "
                                                   "space.province_side=30^2 = 360,000 districts")
    assert not out.exists()
