"""The district graph and its queries; the maps themselves come from ``real_map`` and ``synthetic``.

A :class:`DistrictMap` holds per-district attributes as numpy arrays indexed by district id
(0..n-1), the networkx graph (edges carry ``length_km`` and ``road``), and the graph queries the
daily loop needs: hop distances, the districts each district can see, and a sparse adjacency
matrix for array-wide neighbour sums. :func:`sim.config.memory.check_memory` refuses, before
anything is built, a map the machine cannot hold.

Hop distances are not an all-pairs table (for n districts, n^2 BFS work and 2 n^2 bytes: 78 MiB at
6,400 districts, 259 GB at the largest synthetic size). :class:`HopDistances` is indexed like that
table but searches a row the first time it is read and keeps the rows that fit in
:attr:`HopDistances.BUDGET` bytes (at least :attr:`HopDistances.CAPACITY` rows), the least recently
read evicted first: memory linear in the map, and on maps of up to 8,192 districts of small
diameter (the real one included) every row kept, as the table would. Queries from a few sources at
once (the nearest capital, whether Taliban are within a few hops: :meth:`DistrictMap.hops_to`,
:meth:`DistrictMap.near`) are multi-source searches, linear in the edges;
:meth:`DistrictMap.within` and :meth:`DistrictMap.reach` use bounded searches (n times a
neighbourhood). Only the campaign reads the rows: a unit choosing an objective anywhere on the map
weighs its distance to every one (the row of where it stands), and a unit walks toward its target
(the target's row).
:func:`sim.config.memory.estimate_bytes` counts the cache.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import breadth_first_order, dijkstra

from sim.config.memory import HOP_CACHE_BYTES, HOP_CACHE_ROWS
from sim.world import graph_kernels

ETHNIC_GROUPS = ("pashtun", "tajik", "uzbek", "hazara", "other")


@dataclass(eq=False)
class DistrictMap:
    """Districts (arrays indexed by id) and their adjacency graph."""

    name: np.ndarray
    shape_id: np.ndarray
    province: np.ndarray
    is_capital: np.ndarray
    is_national_capital: np.ndarray
    population: np.ndarray
    area_km2: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    ethnic_group: np.ndarray
    is_border_crossing: np.ndarray
    has_airfield: np.ndarray
    is_hub: np.ndarray
    graph: nx.Graph
    kind: str
    _reach: dict[int, sparse.csr_matrix] = field(default_factory=dict, init=False, repr=False)
    _within: dict[int, list[np.ndarray]] = field(default_factory=dict, init=False, repr=False)

    @property
    def n(self) -> int:
        """Number of districts."""
        return len(self.name)

    @cached_property
    def ruggedness(self) -> np.ndarray:
        """Terrain proxy in [0, 1]: the sparser the district, the more mountainous (rank-based).

        No elevation data ships with the project; sparse population is a coarse, documented
        stand-in for rough terrain in Afghanistan.
        """
        density = self.population / np.maximum(self.area_km2, 1.0)
        ranks = np.argsort(np.argsort(density))
        return 1.0 - ranks / max(self.n - 1, 1)

    @cached_property
    def is_pashtun(self) -> np.ndarray:
        """Whether each district is mainly Pashtun (read daily: recruitment, negotiation)."""
        return self.ethnic_group == "pashtun"

    @cached_property
    def control_prior(self) -> np.ndarray:
        """Sourced control before the offensive as a score: +1 Taliban, 0 unknown, -1 government.

        From the 2017-2020 assessments of ``sim/data/district_control_prior.csv`` (see
        ``docs/sources.md``); zero everywhere on maps other than the real one. Read once per map
        (each run's initial control uses it).
        """
        if self.kind != "real":
            return np.zeros(self.n)
        table = sourced_table("district_control_prior.csv")
        sourced = table[table["basis"] == "source"].set_index("shape_id")["control_prior"]
        sign = {"taliban": 1.0, "contested": 0.0, "government": -1.0}
        prior = np.array([sign[sourced[sid]] if sid in sourced.index else 0.0
                          for sid in self.shape_id])
        prior.flags.writeable = False  # shared by every run on the map
        return prior

    @cached_property
    def hubs(self) -> np.ndarray:
        """Ids of the supply hubs (read daily by ``sim.stages.supply``)."""
        return np.flatnonzero(self.is_hub)

    @cached_property
    def hops(self) -> HopDistances:
        """Hop distances, indexed like the symmetric n x n int16 matrix (rows computed lazily)."""
        return HopDistances(self.adjacency)

    @cached_property
    def adjacency(self) -> sparse.csr_matrix:
        """Symmetric 0/1 adjacency matrix, of floats.

        The daily loop multiplies it by float vectors: integer entries would be converted to
        floats on every call.
        """
        return nx.to_scipy_sparse_array(self.graph, nodelist=range(self.n), weight=None,
                                        dtype=float, format="csr")

    @cached_property
    def degree(self) -> np.ndarray:
        """Number of neighbours of each district (at least 1, so it can divide)."""
        return np.maximum(np.diff(self.adjacency.indptr), 1)

    def travel_cost(self, road_cost_factor: float) -> sparse.coo_matrix:
        """Convoy cost per edge (COO, both directions): km, times ``road_cost_factor`` on roads."""
        length = self._edge_matrix("length_km")
        road = self._edge_matrix("road")
        factor = np.where(road.data > 0, road_cost_factor, 1.0)
        return sparse.coo_matrix((length.data * factor, (length.row, length.col)),
                                 shape=length.shape)

    @functools.lru_cache(maxsize=4)  # noqa: B019 (maps live as long as the process)
    def _edge_matrix(self, attribute: str) -> sparse.coo_matrix:
        """An edge attribute as a COO matrix in the order of the adjacency's entries.

        Read from one pass over the graph's edges into a dict of both directions: networkx's
        edge view took a third of a second per attribute at 6,400 districts.
        """
        adj = self.adjacency.tocoo()
        value = {}
        for u, v, x in self.graph.edges(data=attribute):
            value[u, v] = value[v, u] = float(x)
        values = [value[uv] for uv in zip(adj.row.tolist(), adj.col.tolist(), strict=True)]
        return sparse.coo_matrix((np.array(values), (adj.row, adj.col)), shape=adj.shape)

    @cached_property
    def road_adjacency(self) -> sparse.csr_matrix:
        """Symmetric 0/1 matrix of main-road edges."""
        road = self._edge_matrix("road")
        keep = road.data > 0
        return sparse.csr_matrix((np.ones(keep.sum()), (road.row[keep], road.col[keep])),
                                 shape=road.shape)

    @cached_property
    def on_road(self) -> np.ndarray:
        """Whether a main road runs through each district."""
        return np.asarray(self.road_adjacency.sum(axis=1)).ravel() > 0

    @cached_property
    def value(self) -> np.ndarray:
        """Population on a log scale in [0, 1] (the worth of a district to either side)."""
        return np.log1p(self.population) / np.log1p(self.population.max())

    @cached_property
    def neighbours(self) -> list[np.ndarray]:
        """Neighbour ids of each district."""
        adj = self.adjacency
        return [adj.indices[adj.indptr[i]:adj.indptr[i + 1]] for i in range(self.n)]

    def reach(self, hops: int) -> sparse.csr_matrix:
        """Boolean n x n matrix (sparse): True where two districts are at most ``hops`` apart.

        Built once per map and ``hops`` by ``hops`` bounded steps from the identity, at a cost of
        n times a neighbourhood's size, not n^2. ``reach(h) @ mask > 0`` marks the districts
        within ``h`` hops of any district in ``mask``.
        """
        if hops not in self._reach:
            step = (self.adjacency + sparse.identity(self.n, format="csr")).astype(bool)
            reach = sparse.identity(self.n, dtype=bool, format="csr")
            for _ in range(hops):
                reach = (reach @ step).tocsr()
            reach.sort_indices()
            self._reach[hops] = reach
        return self._reach[hops]

    def near(self, sources: np.ndarray, hops: int) -> np.ndarray:
        """Mask of the districts at most ``hops`` steps from any of ``sources`` (a mask).

        A multi-source search of ``hops`` rounds over the edges (compiled): linear, no hop table.
        """
        adj = self.adjacency
        return graph_kernels.spread(adj.indptr, adj.indices, np.asarray(sources, bool), hops)

    def neighbour_sum(self, x: np.ndarray) -> np.ndarray:
        """Per district, the sum of ``x`` over its neighbours (``adjacency @ x``, compiled)."""
        return graph_kernels.product(self.adjacency, x)

    def hops_to(self, sources: np.ndarray) -> np.ndarray:
        """Hops from each district to the nearest of ``sources`` (ids); ``inf`` where none.

        One multi-source breadth-first search (linear in the edges), no hop table.
        """
        if len(sources) == 0:
            return np.full(self.n, np.inf)
        return dijkstra(self.adjacency, unweighted=True, directed=False,
                        indices=np.asarray(sources), min_only=True)

    def within(self, hops: int) -> list[np.ndarray]:
        """For each district, the ids within ``hops`` steps (itself included), in ascending order.

        Rows of :meth:`reach`, computed once per map and ``hops``; callers must not modify them.
        """
        if hops not in self._within:
            reach = self.reach(hops)
            self._within[hops] = np.split(reach.indices.astype(np.intp), reach.indptr[1:-1])
        return self._within[hops]

    @cached_property
    def province_index(self) -> np.ndarray:
        """Province of each district as an integer code (order of first appearance)."""
        _, first, inverse = np.unique(self.province, return_index=True, return_inverse=True)
        order = np.argsort(np.argsort(first))
        return order[inverse]

    @cached_property
    def n_provinces(self) -> int:
        """Number of provinces."""
        return int(self.province_index.max()) + 1

    @cached_property
    def province_capital(self) -> np.ndarray:
        """District id of each province's capital (its most populous district if it has none)."""
        out = np.empty(self.n_provinces, int)
        for p in range(self.n_provinces):
            ids = np.flatnonzero(self.province_index == p)
            caps = ids[self.is_capital[ids]]
            out[p] = caps[0] if len(caps) else ids[np.argmax(self.population[ids])]
        return out

    @cached_property
    def province_adjacency(self) -> sparse.csr_matrix:
        """0/1 matrix of provinces that share a district border."""
        adj = self.adjacency.tocoo()
        p, q = self.province_index[adj.row], self.province_index[adj.col]
        keep = p != q
        mat = sparse.csr_matrix((np.ones(keep.sum()), (p[keep], q[keep])),
                                shape=(self.n_provinces, self.n_provinces))
        mat.data[:] = 1.0
        return mat

    @cached_property
    def province_degree(self) -> np.ndarray:
        """Number of neighbouring provinces of each province."""
        return np.asarray(self.province_adjacency.sum(axis=1)).ravel()


def sourced_table(name: str) -> pd.DataFrame:
    """A packaged input table of ``sim/data`` (see ``docs/sources.md``), keyed by ``shape_id``."""
    with (resources.files("sim") / "data" / name).open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype={"shape_id": str})


with np.errstate(invalid="ignore"):
    UNREACHED = np.array(np.inf).astype(np.int16)  # what the dense table read where no path is


class HopDistances:
    """Hop distances between districts, breadth-first searched on demand, in a bounded cache.

    Stands for the symmetric n x n int16 matrix of shortest-path hop counts and is indexed like
    it, with numpy's semantics (``hops[i]``, ``hops[i, j]``, ``hops[ids, j]``, ``hops[i, ids]``,
    ``hops[:, ids]``, masks too). A row (by symmetry, a column) is searched the first time it is
    read and kept in a cache, the least recently read evicted first. The rows missing from one
    read are searched in one go, each by a compiled breadth-first search; while the cache has
    room, a missing row brings its whole block of :attr:`BLOCK` consecutive sources (ids are
    spatially ordered on both maps, so a block's rows tend to be wanted together). Unreachable
    pairs read as on the dense matrix (``inf`` cast to int16, which is 0).

    Rows are kept as bytes (uint8) where every hop count fits in one (:meth:`_fits_a_byte`),
    else as int16, as many as fit in :attr:`BUDGET` bytes, at least :attr:`CAPACITY`, at most
    n: memory at most ``max(BUDGET, 2 x CAPACITY x n)`` bytes, linear in the map, and a map of
    up to 8,192 districts of small diameter (16 times the real one too) keeps every row, where
    a fixed count of rows searched the evicted ones again. :meth:`between` reads the rows in
    their own dtype (the campaign only multiplies and compares them); other reads give int16.

    Args:
        adjacency: the symmetric 0/1 adjacency matrix (CSR).
        capacity: most rows kept (default: as many as fit in :attr:`BUDGET`, at least
            :attr:`CAPACITY`).
    """

    BLOCK = 32
    CAPACITY = HOP_CACHE_ROWS
    BUDGET = HOP_CACHE_BYTES

    def __init__(self, adjacency: sparse.csr_matrix, capacity: int | None = None) -> None:
        self.adjacency = adjacency
        self.shape = adjacency.shape
        # the compiled search reads the stored entries as edges, as scipy's does where none is 0
        self._compiled = bool(np.all(adjacency.data != 0))
        n = self.shape[0]
        self.dtype = np.dtype(np.uint8 if self._fits_a_byte() else np.int16)
        if capacity is None:
            capacity = max(self.CAPACITY, self.BUDGET // (self.dtype.itemsize * n))
        self.capacity = max(1, min(n, capacity))
        # zero-filled lazily by the OS: only the pages of rows searched take memory
        self._rows = np.zeros((self.capacity, n), self.dtype)
        self._rows.flags.writeable = False  # rows are shared by every reader
        self._slot = np.full(n, -1, np.intp)  # cache slot of each source row, -1 if not cached
        self._source = np.full(self.capacity, -1, np.intp)  # source row held by each slot
        self._used = np.zeros(self.capacity, np.int64)  # read clock of each slot (LRU order)
        self._clock = 0
        self._complete = False  # every row held in the slot of its own id: no lookups needed
        self.n_searched = 0  # rows searched so far, counting those searched again after eviction

    def _fits_a_byte(self) -> bool:
        """Whether every hop count of the map is at most 255, so that a row fits in bytes.

        On a connected map (else int16: a row says nothing of other components) no two districts
        are farther apart than twice the eccentricity of any one, ``c`` (a path through ``c``).
        ``c`` is the district least far from both ends of a double sweep (the farthest from
        district 0, then the farthest from that one), so the bound is near the diameter.
        """
        n = self.shape[0]
        first = self._bfs(0)
        if np.count_nonzero(first) < n - 1:  # a district unreached (read 0) besides the source
            return False
        a = self._bfs(int(first.argmax()))
        b = self._bfs(int(a.argmax()))
        centre = int(np.maximum(a, b).argmin())
        return 2 * int(self._bfs(centre).max()) <= np.iinfo(np.uint8).max

    @property
    def n_cached(self) -> int:
        """How many source rows the cache holds now."""
        return int((self._source >= 0).sum())

    def slots(self, ids: np.ndarray) -> np.ndarray:
        """Cache slots of the rows ``ids`` (any shape), searching those missing; marks them read.

        ``ids`` must hold at most :attr:`capacity` distinct rows. A cache of every row keeps
        each in the slot of its own id.
        """
        if self._complete:
            return ids
        slots = self._slot[ids]
        evicts = self.capacity < self.shape[0]  # a cache of every row never evicts
        if evicts:
            self._clock += 1
            self._used[slots[slots >= 0]] = self._clock  # read now: not evicted by this search
        if (slots < 0).any():
            self._search(np.unique(np.asarray(ids)[slots < 0]))
            slots = self._slot[ids]
            if evicts:
                self._used[slots] = self._clock
        return slots

    def _search(self, missing: np.ndarray) -> None:
        """Search the rows ``missing`` (sorted ids), with their blocks while the cache has room."""
        free = np.flatnonzero(self._source < 0)
        starts = np.unique(missing // self.BLOCK) * self.BLOCK
        block = np.unique(np.minimum(starts[:, None] + np.arange(self.BLOCK), self.shape[0] - 1))
        block = block[self._slot[block] < 0]
        if len(block) <= len(free):
            missing = block
        elif len(missing) > len(free):  # evict the least recently read rows, none read now
            old = np.flatnonzero((self._source >= 0) & (self._used < self._clock))
            old = old[np.argsort(self._used[old], kind="stable")[:len(missing) - len(free)]]
            self._slot[self._source[old]] = -1
            free = np.concatenate([free, old])
        into = missing if self.capacity == self.shape[0] else free[:len(missing)]
        self._rows.flags.writeable = True
        for source, slot in zip(missing.tolist(), into.tolist(), strict=True):
            self._rows[slot] = self._bfs(source)
        self._rows.flags.writeable = False
        self._slot[missing], self._source[into] = into, missing
        self.n_searched += len(missing)
        self._complete = self.capacity == self.shape[0] and self.n_cached == self.capacity

    def _bfs(self, source: int) -> np.ndarray:
        """Hops from ``source`` to every district, by one breadth-first search (int16).

        Compiled (``sim.world.graph_kernels.hop_row``). Where the adjacency stores a zero entry:
        scipy's breadth-first order (directed: the adjacency is symmetric already), then each
        district's depth in the search tree, summed along its parents by pointer doubling.
        """
        if self._compiled:
            return graph_kernels.hop_row(self.adjacency.indptr, self.adjacency.indices, source,
                                   int(UNREACHED))
        order, parent = breadth_first_order(self.adjacency, source, directed=True,
                                            return_predecessors=True)
        parent[source] = source
        position = np.empty(self.shape[0], np.intp)
        position[order] = np.arange(len(order))
        up = position[parent[order]]  # where each one's ancestor stands in the order
        depth = np.ones(len(order), np.int16)
        depth[0] = 0
        while up[-1]:  # the last in the order is the deepest: done when it points at the source
            depth += depth[up]
            up = up[up]
        row = np.full(self.shape[0], UNREACHED, np.int16)
        row[order] = depth
        return row

    @property
    def rows(self) -> np.ndarray:
        """The cached rows (read-only), a row's place given by :meth:`slots`: compiled readers'."""
        return self._rows

    def row(self, source: int) -> np.ndarray:
        """Hops from ``source`` to every district (an int16 copy: the cache may evict the row later)."""
        return self._rows[self.slots(np.array([source]))[0]].astype(np.int16)

    def between(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Hops from ``rows`` to ``cols`` (integer id arrays, broadcast as numpy indexing does).

        ``self[rows, cols]`` in the cache's :attr:`dtype`. Rows beyond the cache's capacity are
        answered in turns of at most ``capacity`` distinct rows.
        """
        distinct = np.unique(rows)
        if len(distinct) <= self.capacity:
            return self._rows[self.slots(rows), cols]
        rows, cols = np.broadcast_arrays(rows, cols)
        out = np.empty(rows.shape, self.dtype)
        for start in range(0, len(distinct), self.capacity):
            turn = np.isin(rows, distinct[start:start + self.capacity])
            out[turn] = self._rows[self.slots(rows[turn]), cols[turn]]
        return out

    def __getitem__(self, key) -> np.ndarray:
        rows, cols = key if isinstance(key, tuple) else (key, slice(None))
        if not isinstance(rows, slice) and np.ndim(rows) == 0:
            return self.row(int(rows))[cols]
        if not isinstance(cols, slice) and np.ndim(cols) == 0:
            return self.row(int(cols))[rows]  # symmetric: column j is row j
        if isinstance(rows, slice) and not isinstance(cols, slice):
            return np.moveaxis(self[cols, rows], -1, 0)
        ids, picked = np.arange(self.shape[0])[rows], np.arange(self.shape[1])[cols]
        return self.between(ids[..., None] if isinstance(cols, slice) else ids,
                            picked).astype(np.int16, copy=False)

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        full = self[np.arange(self.shape[0]), :]
        return full if dtype is None else full.astype(dtype)
