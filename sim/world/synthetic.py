"""Maps other than the real one: a seeded synthetic country, and small hand-made maps.

:func:`build_map` gives the map a config asks for: the packaged real map or a synthetic one.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np

from sim.config import SpaceConfig, SpaceKind
from sim.world.real_map import load_real_map
from sim.world.space import ETHNIC_GROUPS, DistrictMap


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
    for a, b in capital_tree(capitals.tolist(), cells):
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


def capital_tree(capitals: list[int], cells: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The main roads' tree: the minimum spanning tree of the capitals' straight-line distances.

    ``capitals`` are ascending ids (as :func:`synthetic_map` numbers them) of integer ``cells``.
    Kruskal's method as networkx runs it on the complete graph of the capitals (pairs in the
    order ``a < b`` adds them, a stable sort by distance, ties to the earlier pair), with the
    tree's edges in the order and orientation ``nx.minimum_spanning_tree(...).edges()`` gives,
    so that the roads, and every run on the map, are as they were; networkx's graph of every
    pair took about 1 s at 400 provinces (80,000 pairs).
    """
    ids = np.array(capitals)
    first, second = np.nonzero(ids[:, None] < ids[None, :])  # row-major: the loops' order
    xy = np.array([cells[c] for c in capitals])
    dx, dy = np.abs(xy[first] - xy[second]).T  # integers: math.dist depends on these alone
    width = int(dy.max(initial=0)) + 1
    kinds, kind = np.unique(dx * width + dy, return_inverse=True)
    length = np.array([math.dist((0, 0), divmod(k, width)) for k in kinds.tolist()])[kind]
    first, second = ids[first].tolist(), ids[second].tolist()
    root = {c: c for c in capitals}

    def find(c: int) -> int:
        while root[c] != c:
            root[c] = root[root[c]]
            c = root[c]
        return c

    tree = nx.Graph()
    tree.add_nodes_from(capitals if len(capitals) > 1 else [])  # those the pairs name, in order
    missing = len(tree) - 1  # edges the tree still needs
    for i in np.argsort(length, kind="stable").tolist():
        if missing == 0:
            break
        a, b = first[i], second[i]
        if find(a) != find(b):
            root[find(a)] = find(b)
            tree.add_edge(a, b)
            missing -= 1
    return list(tree.edges())


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
