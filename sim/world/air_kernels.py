"""Compiled loop of the air strikes (Numba): the day's strikes, each to the highest ratio left.

``strikes_by_ratio`` gives bit for bit the pops of the ``heapq`` loop it replaced (the same keys
and total order); that loop, its reference, is in ``tests/test_kernels.py``.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def _before(key_a, id_a, key_b, id_b):  # pragma: no cover - compiled
    return key_a < key_b or (key_a == key_b and id_a < id_b)


@numba.njit(cache=True, nogil=True)
def strikes_by_ratio(threat_fighters, defenders, n_strikes, kills_per_strike):  # pragma: no cover
    """Strikes per district, each to the highest remaining attacker/defender ratio.

    ``sim.stages.air.allocate`` compiled: the same keys (``-fighters / defenders``), the same
    order (lowest key first, then the lowest id; a heap gives the same pops as Python's
    ``heapq`` under that total order) and the same arithmetic on the fighters left.
    """
    n = len(defenders)
    counts = np.zeros(n)
    targets = np.flatnonzero((threat_fighters > 0) & (defenders > 0))
    m = len(targets)
    remaining = threat_fighters[targets].astype(np.float64)
    defending = defenders[targets]
    ratio = -remaining / defending
    fresh = np.argsort(ratio, kind="mergesort")  # stable: ties keep the lowest id first
    heap_key = np.empty(m)
    heap_id = np.empty(m, np.int64)
    size = 0
    hits = np.zeros(m, np.int64)
    first = 0
    for _ in range(n_strikes):
        if first < m and (size == 0 or _before(ratio[fresh[first]], fresh[first],
                                                heap_key[0], heap_id[0])):
            i = fresh[first]
            first += 1
        elif size > 0:
            i = heap_id[0]
            size -= 1
            last_key, last_id = heap_key[size], heap_id[size]
            j = 0
            while True:
                child = 2 * j + 1
                if child >= size:
                    break
                if child + 1 < size and _before(heap_key[child + 1], heap_id[child + 1],
                                                heap_key[child], heap_id[child]):
                    child += 1
                if not _before(heap_key[child], heap_id[child], last_key, last_id):
                    break
                heap_key[j], heap_id[j] = heap_key[child], heap_id[child]
                j = child
            if size > 0:
                heap_key[j], heap_id[j] = last_key, last_id
        else:
            break
        hits[i] += 1
        left = remaining[i] - kills_per_strike
        left = left if left > 0.0 else 0.0
        remaining[i] = left
        if left > 0:
            key = -left / defending[i]
            j = size
            size += 1
            while j > 0:
                parent = (j - 1) >> 1
                if not _before(key, i, heap_key[parent], heap_id[parent]):
                    break
                heap_key[j], heap_id[j] = heap_key[parent], heap_id[parent]
                j = parent
            heap_key[j], heap_id[j] = key, i
    for k in range(m):
        counts[targets[k]] = hits[k]
    return counts
