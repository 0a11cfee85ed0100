"""The district graph: the packaged real map, a seeded synthetic generator, and graph queries.

A :class:`DistrictMap` holds per-district attributes as numpy arrays indexed by district id
(0..n-1), the networkx graph (edges carry ``length_km`` and ``road``), and what the daily loop
needs precomputed once: hop distances, the districts each district can see, and a sparse adjacency
matrix for array-wide neighbour sums.
"""

from __future__ import annotations

import functools
import gzip
import json
import math
from dataclasses import dataclass
from functools import cached_property
from importlib import resources

import networkx as nx
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import shortest_path

from sim.config import SpaceConfig, SpaceKind

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
    def hops(self) -> np.ndarray:
        """All-pairs hop distances (int16 matrix)."""
        return shortest_path(self.adjacency, unweighted=True, directed=False).astype(np.int16)

    @cached_property
    def adjacency(self) -> sparse.csr_matrix:
        """Symmetric 0/1 adjacency matrix."""
        return nx.to_scipy_sparse_array(self.graph, nodelist=range(self.n), weight=None,
                                        format="csr")

    @cached_property
    def degree(self) -> np.ndarray:
        """Number of neighbours of each district (at least 1, so it can divide)."""
        return np.maximum(np.asarray(self.adjacency.sum(axis=1)).ravel(), 1)

    def travel_cost(self, road_cost_factor: float) -> sparse.coo_matrix:
        """Convoy cost per edge (COO, both directions): km, times ``road_cost_factor`` on roads."""
        length = self._edge_matrix("length_km")
        road = self._edge_matrix("road")
        factor = np.where(road.data > 0, road_cost_factor, 1.0)
        return sparse.coo_matrix((length.data * factor, (length.row, length.col)),
                                 shape=length.shape)

    @functools.lru_cache(maxsize=4)  # noqa: B019 (maps live as long as the process)
    def _edge_matrix(self, attribute: str) -> sparse.coo_matrix:
        """An edge attribute as a COO matrix in the order of the adjacency's entries."""
        adj = self.adjacency.tocoo()
        values = [float(self.graph.edges[int(u), int(v)][attribute])
                  for u, v in zip(adj.row, adj.col, strict=True)]
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

    def within(self, hops: int) -> list[np.ndarray]:
        """For each district, the ids within ``hops`` steps (itself included)."""
        return [np.flatnonzero(row <= hops) for row in self.hops]

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


def district_ethnicity(shape_id: np.ndarray, province_group: np.ndarray) -> np.ndarray:
    """Each district's largest group: from a district-level source, else its province's.

    Sources exist for the Pashtun pockets of the north, the Hazara districts of Ghazni and
    Wardak and a few others (``sim/data/district_ethnicity.csv``, ``docs/sources.md``).
    """
    table = sourced_table("district_ethnicity.csv")
    sourced = table[table["basis"] == "source"].set_index("shape_id")["largest_group"]
    known = {g: g for g in ETHNIC_GROUPS}
    return np.array([known.get(sourced.get(sid, ""), group) if sid in sourced.index else group
                     for sid, group in zip(shape_id, province_group, strict=True)], object)


@functools.cache
def load_real_map() -> DistrictMap:
    """Load the packaged 398-district map of Afghanistan (see ``sim/data/ATTRIBUTION.md``).

    Cached: runs in one process share the (read-only) map.
    """
    path = resources.files("sim") / "data" / "afghanistan_map.json.gz"
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        data = json.load(fh)
    rows = data["districts"]

    def col(key: str, dtype: type | None = None) -> np.ndarray:
        return np.array([r[key] for r in rows], dtype=dtype)

    graph = nx.Graph()
    graph.add_nodes_from(range(len(rows)))
    for u, v, length, road in data["edges"]:
        graph.add_edge(u, v, length_km=float(length), road=bool(road))
    return DistrictMap(
        name=col("name", object), shape_id=col("shape_id", object),
        province=col("province", object), is_capital=col("is_provincial_capital", bool),
        is_national_capital=col("is_national_capital", bool), population=col("population", float),
        area_km2=col("area_km2", float), lon=col("lon", float), lat=col("lat", float),
        ethnic_group=district_ethnicity(col("shape_id", object), col("ethnic_group", object)),
        is_border_crossing=col("is_border_crossing", bool),
        has_airfield=col("has_airfield", bool), is_hub=col("is_hub", bool),
        graph=graph, kind="real",
    )


def load_outlines() -> list[list[list[list[float]]]]:
    """Simplified outlines of the real districts: per district, a list of rings of (lon, lat)."""
    path = resources.files("sim") / "data" / "afghanistan_outlines.json.gz"
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as fh:
        return json.load(fh)


def synthetic_map(cfg: SpaceConfig, rng: np.random.Generator) -> DistrictMap:
    """A seeded, connected synthetic country: square provinces of square districts on a grid.

    Each province has a capital at its centre with an airfield; main roads join the capitals along
    a minimum spanning tree; the national capital and about one capital in five are supply hubs;
    border crossings lie on the outer edge; ethnic majorities are drawn per province.
    """
    side, n_prov = cfg.province_side, cfg.n_provinces
    cols = math.ceil(math.sqrt(n_prov))
    node_of: dict[tuple[int, int], int] = {}
    province, cells = [], []
    for p in range(n_prov):
        px, py = p % cols, p // cols
        for i in range(side):
            for j in range(side):
                cell = (px * side + i, py * side + j)
                node_of[cell] = len(cells)
                cells.append(cell)
                province.append(p)
    graph = nx.Graph()
    graph.add_nodes_from(range(len(cells)))
    for (x, y), u in node_of.items():
        for dx, dy in ((1, 0), (0, 1)):
            if (x + dx, y + dy) in node_of:
                graph.add_edge(u, node_of[(x + dx, y + dy)], length_km=50.0, road=False)
        for dx, dy in ((1, 1), (1, -1)):
            if (x + dx, y + dy) in node_of and rng.random() < cfg.frac_extra_edges:
                graph.add_edge(u, node_of[(x + dx, y + dy)], length_km=70.7, road=False)

    province = np.array(province)
    centre = side // 2
    capitals = np.array([node_of[((p % cols) * side + centre, (p // cols) * side + centre)]
                         for p in range(n_prov)])
    national = capitals[len(capitals) // 2]
    capital_graph = nx.Graph()
    for a in capitals:
        for b in capitals:
            if a < b:
                capital_graph.add_edge(a, b, weight=math.dist(cells[a], cells[b]))
    for a, b in nx.minimum_spanning_tree(capital_graph).edges():
        path = nx.shortest_path(graph, a, b)
        for u, v in zip(path, path[1:], strict=False):
            graph.edges[u, v]["road"] = True

    n = len(cells)
    is_capital = np.zeros(n, bool)
    is_capital[capitals] = True
    is_hub = np.zeros(n, bool)
    n_hubs = max(1, round(n_prov / 5))
    is_hub[rng.choice(capitals, size=min(n_hubs, n_prov), replace=False)] = True
    is_hub[national] = True
    is_national = np.zeros(n, bool)
    is_national[national] = True
    xs = np.array([c[0] for c in cells], float)
    ys = np.array([c[1] for c in cells], float)
    edge = (xs == xs.min()) | (xs == xs.max()) | (ys == ys.min()) | (ys == ys.max())
    crossings = np.zeros(n, bool)
    edge_ids = np.flatnonzero(edge & ~is_capital)
    crossings[rng.choice(edge_ids, size=min(len(edge_ids), max(1, n_prov // 3)), replace=False)] = 1
    groups = rng.choice(len(ETHNIC_GROUPS), size=n_prov, p=[0.5, 0.25, 0.1, 0.1, 0.05])
    population = rng.lognormal(mean=10.5, sigma=0.6, size=n)
    population[is_capital] *= 8
    population[national] *= 5
    return DistrictMap(
        name=np.array([f"D{province[i]}-{i}" for i in range(n)], object),
        shape_id=np.array([f"synthetic-{i}" for i in range(n)], object),
        province=np.array([f"Province {p}" for p in province], object),
        is_capital=is_capital, is_national_capital=is_national,
        population=np.round(population), area_km2=np.full(n, 2500.0),
        lon=60.0 + 0.5 * xs, lat=30.0 + 0.5 * ys,
        ethnic_group=np.array([ETHNIC_GROUPS[groups[p]] for p in province], object),
        is_border_crossing=crossings, has_airfield=is_capital.copy(), is_hub=is_hub,
        graph=graph, kind="synthetic",
    )


def build_map(cfg: SpaceConfig, rng: np.random.Generator) -> DistrictMap:
    """The map a config asks for: the real one, or a synthetic one drawn from ``rng``."""
    if cfg.kind is SpaceKind.REAL:
        return load_real_map()
    return synthetic_map(cfg, rng)


def map_from_graph(graph: nx.Graph, capitals=(), hubs=(), border_crossings=(), airfields=(),
                   ethnic_group: str = "pashtun", population: float = 20_000.0) -> DistrictMap:
    """A small hand-made map over ``graph``'s nodes 0..n-1 (for tests and teaching).

    All districts form one province; the first capital is the national capital; edges without a
    ``length_km`` get 50 km, and those without ``road`` get none.
    """
    graph = nx.convert_node_labels_to_integers(graph, ordering="sorted")
    n = graph.number_of_nodes()
    for _, _, data in graph.edges(data=True):
        data.setdefault("length_km", 50.0)
        data.setdefault("road", False)

    def mask(ids) -> np.ndarray:
        out = np.zeros(n, bool)
        out[list(ids)] = True
        return out

    national = mask(list(capitals)[:1])
    pos = nx.spring_layout(graph, seed=0)
    return DistrictMap(
        name=np.array([f"district {i}" for i in range(n)], object),
        shape_id=np.array([f"toy-{i}" for i in range(n)], object),
        province=np.array(["Toy"] * n, object), is_capital=mask(capitals),
        is_national_capital=national, population=np.full(n, float(population)),
        area_km2=np.full(n, 2500.0), lon=np.array([pos[i][0] for i in range(n)]),
        lat=np.array([pos[i][1] for i in range(n)]),
        ethnic_group=np.array([ethnic_group] * n, object),
        is_border_crossing=mask(border_crossings), has_airfield=mask(airfields),
        is_hub=mask(hubs), graph=graph, kind="toy",
    )
