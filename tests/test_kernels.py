"""The compiled searches give what the library calls they stand in for give, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.sparse import random as sparse_random
from scipy.sparse.csgraph import dijkstra

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
