"""The compiled searches give what the library calls they stand in for give, bit for bit."""

from __future__ import annotations

import heapq

import numpy as np
import pytest
from scipy.sparse import random as sparse_random
from scipy.sparse.csgraph import dijkstra

from sim.stages.air import allocate
from sim.world.kernels import NO_SOURCE, nearest_sources
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
