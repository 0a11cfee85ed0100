"""Compiled graph kernels (Numba): nearest sources, hop rows, the day's road graph, neighbour sums.

Each kernel gives bit for bit what the library call it stands in for gives, or says that it
cannot: the caller then makes that call. Compiled on first use and cached on disk (``cache=True``),
so that a fresh process loads the machine code instead of compiling it again.
"""

from __future__ import annotations

import numba
import numpy as np

NO_SOURCE = -9999  # scipy.sparse.csgraph's label of a district no search reached


@numba.njit(cache=True, nogil=True)
def _nearest_sources(indptr, indices, data, sources, n):  # pragma: no cover - compiled
    dist = np.full(n, np.inf)
    label = np.full(n, NO_SOURCE, np.int32)
    done = np.zeros(n, np.bool_)
    via = np.full(n, np.inf)  # cost of the district whose label a district took
    heap_d = np.empty(len(data) + len(sources) + 1)  # each entry pushed at most once
    heap_v = np.empty(len(data) + len(sources) + 1, np.int64)
    size = 0
    ambiguous = False
    for s in sources:
        if dist[s] == 0.0:  # the same source twice: the same label
            continue
        dist[s] = 0.0
        label[s] = s
        # push
        i = size
        size += 1
        while i > 0:
            parent = (i - 1) >> 1
            if heap_d[parent] <= 0.0:
                break
            heap_d[i], heap_v[i] = heap_d[parent], heap_v[parent]
            i = parent
        heap_d[i], heap_v[i] = 0.0, s
    while size > 0:
        d, u = heap_d[0], heap_v[0]
        size -= 1
        last_d, last_v = heap_d[size], heap_v[size]
        i = 0
        while True:  # sift the last entry down from the root
            child = 2 * i + 1
            if child >= size:
                break
            if child + 1 < size and heap_d[child + 1] < heap_d[child]:
                child += 1
            if heap_d[child] >= last_d:
                break
            heap_d[i], heap_v[i] = heap_d[child], heap_v[child]
            i = child
        if size > 0:
            heap_d[i], heap_v[i] = last_d, last_v
        if done[u] or d > dist[u]:
            continue
        done[u] = True
        for e in range(indptr[u], indptr[u + 1]):
            v = indices[e]
            reached = d + data[e]
            if reached < dist[v]:
                if done[v]:  # cannot happen with positive costs; leave it to scipy
                    ambiguous = True
                dist[v] = reached
                label[v] = label[u]
                via[v] = d
                i = size
                size += 1
                while i > 0:
                    parent = (i - 1) >> 1
                    if heap_d[parent] <= reached:
                        break
                    heap_d[i], heap_v[i] = heap_d[parent], heap_v[parent]
                    i = parent
                heap_d[i], heap_v[i] = reached, v
            elif reached == dist[v] and label[v] != label[u] and d == via[v]:
                # two nearest sources through districts of the same cost: which one scipy
                # names is the order its heap gives them; through a nearer district, the
                # nearer was searched first and kept its label (later ties do not relabel)
                ambiguous = True
    return dist, label, ambiguous


def nearest_sources(graph, sources: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Cost from the nearest of ``sources`` over a CSR graph of positive costs, and which source.

    What ``scipy.sparse.csgraph.dijkstra(graph, indices=sources, min_only=True,
    return_predecessors=True)`` returns as its first and third arrays, bit for bit: costs are
    summed along each path from its source in the same order, and the least of those sums is
    the same whatever order the search takes them in. Which source a district is labelled with
    is unique unless two paths from different sources tie exactly; then this returns None and
    the caller asks scipy, whose choice among them follows its own heap.
    """
    dist, label, ambiguous = _nearest_sources(graph.indptr, graph.indices, graph.data,
                                              sources.astype(np.int64), graph.shape[0])
    return None if ambiguous else (dist, label)


@numba.njit(cache=True, nogil=True)
def hop_row(indptr, indices, source, unreached):  # pragma: no cover - compiled
    """Hops from ``source`` to every district of a CSR graph, by one breadth-first search.

    ``unreached`` where no path leads (int16). Hop counts are whole numbers: any search in
    breadth-first order gives the same row.
    """
    n = len(indptr) - 1
    row = np.full(n, unreached, np.int16)
    queue = np.empty(n, np.int64)
    row[source] = 0
    queue[0] = source
    head, tail = 0, 1
    while head < tail:
        u = queue[head]
        head += 1
        depth = row[u] + 1
        for e in range(indptr[u], indptr[u + 1]):
            v = indices[e]
            if row[v] == unreached and v != source:
                row[v] = depth
                queue[tail] = v
                tail += 1
    return row


@numba.njit(cache=True, nogil=True)
def subgraph(passable, start, indptr, indices, data):  # pragma: no cover - compiled
    """The CSR entries of a graph between two ``passable`` nodes, and each kept entry's row.

    Returns ``(data, indices, indptr, rows)`` of the kept entries, in entry order: a valid CSR
    (a subset of sorted, distinct entries), as the numpy masks and cumulative count gave it.
    """
    n = len(indptr) - 1
    count = 0
    for e in range(len(indices)):
        if passable[start[e]] and passable[indices[e]]:
            count += 1
    kept_data = np.empty(count, data.dtype)
    kept_indices = np.empty(count, indices.dtype)
    kept_indptr = np.empty(n + 1, indptr.dtype)
    rows = np.empty(count, start.dtype)
    k = 0
    for u in range(n):
        kept_indptr[u] = k
        for e in range(indptr[u], indptr[u + 1]):
            if passable[u] and passable[indices[e]]:
                kept_data[k], kept_indices[k], rows[k] = data[e], indices[e], u
                k += 1
    kept_indptr[n] = k
    return kept_data, kept_indices, kept_indptr, rows


@numba.njit(cache=True, nogil=True)
def csr_product(indptr, indices, data, x):  # pragma: no cover - compiled
    """The product of a CSR matrix (its arrays) and a float vector, each row summed from 0."""
    out = np.empty(len(indptr) - 1)
    for i in range(len(out)):
        total = 0.0
        for e in range(indptr[i], indptr[i + 1]):
            total += data[e] * x[indices[e]]
        out[i] = total
    return out


def product(matrix, x: np.ndarray) -> np.ndarray:
    """``matrix @ x`` for a CSR matrix and a vector, bit for bit, without scipy's dispatch.

    scipy's ``csr_matvec`` sums each row from 0 in entry order, as here; its checks and casts
    cost some 10 us a call on a vector of a few hundred districts, several times a day.
    """
    return csr_product(matrix.indptr, matrix.indices, matrix.data, np.asarray(x, np.float64))


@numba.njit(cache=True, nogil=True)
def spread(indptr, indices, seen, hops):  # pragma: no cover - compiled
    """``seen`` grown ``hops`` times by every neighbour of a district in it (a new mask)."""
    for _ in range(hops):
        grown = seen.copy()
        for u in range(len(indptr) - 1):
            if not seen[u]:
                for e in range(indptr[u], indptr[u + 1]):
                    if seen[indices[e]]:
                        grown[u] = True
                        break
        seen = grown
    return seen.copy()
