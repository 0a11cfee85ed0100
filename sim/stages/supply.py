"""Stage 1, supply: road convoys from the hubs through government ground, then air resupply.

A hub is a depot that stays a source only while a route through ground the Taliban do not hold
joins it to another hub; a hub with no such route has its roads cut like any other district
(the last hub standing alone is cut off too). One multi-source shortest-path search a day from
the connected government-held hubs finds every district a convoy can reach: through government
districts surely, through contested ones only at a risk.
Delivery falls with road distance (main roads are cheaper). Garrisons no convoy reaches are
cut off and live on stocks and whatever the air force's lift can bring, capitals first.
Militias refill in their home districts while a convoy could reach them. The same kind of
search gives a district its way out: the nearest held capital along any route the Taliban do
not hold at the supply stage (for a withdrawal; searched on the days a garrison gives up).
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from sim.world import graph_kernels, kernels, supply_kernels
from sim.world.agents import Control

if TYPE_CHECKING:
    from sim.model.model import OffensiveModel
    from sim.world.space import DistrictMap

ROUTES_KEPT = 32  # searches (and road graphs) kept before the caches start afresh


class Graph(NamedTuple):
    """A graph's CSR arrays (what the compiled searches read), without scipy's matrix."""

    data: np.ndarray
    indices: np.ndarray
    indptr: np.ndarray
    shape: tuple[int, int]


class Roads:
    """The convoy cost graph of a map, and the recent road graphs and searches on it.

    Held by the model (``model.roads``; a branch with another ``road_cost_factor`` gets a new
    one). Both caches are kept for a while: control changes on about half the days only, and
    the same masks and searches come back the next day.

    Args:
        m: the district map.
        road_cost_factor: the cost of a km of main road, per km off-road.
    """

    def __init__(self, m: DistrictMap, road_cost_factor: float) -> None:
        self.cost = m.travel_cost(road_cost_factor).tocsr()  # int32 indices, as dijkstra takes
        self.start = np.repeat(np.arange(m.n), np.diff(self.cost.indptr))  # each entry's ends
        # the compiled search needs positive costs (a zero-cost road would make ties of order)
        self.compiled = bool(np.all(self.cost.data > 0) and np.all(np.isfinite(self.cost.data)))
        self.graphs: dict[bytes, tuple[Graph, np.ndarray]] = {}  # by passable mask
        self.searches: dict[tuple[bytes, bytes], tuple[np.ndarray, np.ndarray]] = {}

    def graph(self, passable: np.ndarray) -> tuple[Graph, np.ndarray]:
        """The road graph restricted to edges between two ``passable`` districts.

        Returns the graph's CSR arrays and the first end of each of its entries (row ids, in
        entry order), picked in one compiled pass (``sim.world.graph_kernels.subgraph``): they are a
        valid CSR by construction (a subset of sorted, distinct entries).
        """
        key = passable.tobytes()
        found = self.graphs.get(key)
        if found is None:
            cost = self.cost
            data, indices, indptr, rows = graph_kernels.subgraph(passable, self.start, cost.indptr,
                                                           cost.indices, cost.data)
            if len(self.graphs) >= ROUTES_KEPT:
                self.graphs.clear()
            found = self.graphs[key] = Graph(data, indices, indptr, cost.shape), rows
        return found

    def matrix(self, graph: Graph) -> csr_matrix:
        """``graph`` as scipy's CSR matrix: a shallow copy of the full one given its arrays.

        scipy's constructor would check again, at several times the cost of the rest, what
        holds by construction.
        """
        out = copy.copy(self.cost)
        out.data, out.indices, out.indptr = graph.data, graph.indices, graph.indptr
        return out

    def reach(self, passable: np.ndarray, sources: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Convoy cost from the nearest source through ``passable`` districts, and which source.

        Returns ``(cost, source)`` (read-only); unreachable districts have cost ``inf`` and a
        negative source.
        """
        sources = sources[passable[sources]]
        key = (passable.tobytes(), sources.tobytes())
        found = self.searches.get(key)
        if found is not None:
            return found
        if len(sources) == 0:
            dist, src = np.full(len(passable), np.inf), np.full(len(passable), -1)
        else:
            graph = self.graph(passable)[0]
            found = graph_kernels.nearest_sources(graph, sources) if self.compiled else None
            if found is None:  # an exact tie between two sources: scipy's own choice
                found = dijkstra(self.matrix(graph), indices=sources, min_only=True,
                                 return_predecessors=True)[::2]  # directed: both ways held
            dist, src = found
        dist.flags.writeable = src.flags.writeable = False
        if len(self.searches) >= ROUTES_KEPT:
            self.searches.clear()
        self.searches[key] = dist, src
        return dist, src


def linked_hubs(model: OffensiveModel, open_: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hubs linked to another hub through ground not Taliban-held, and the cost from them.

    Returns the linked hubs and the convoy cost from the nearest of them through that ground
    (``inf`` where none reaches). One multi-source search from every open hub labels each
    district with its nearest hub; a hub is linked exactly when a road joins its districts to
    another hub's (a connected piece of open ground holding two hubs has such a road). On a map
    with a single hub (the toy maps), that hub is the depot while it is held.
    """
    m = model.map
    cost, source = model.roads.reach(open_, m.hubs)
    if len(m.hubs) == 1:
        return (m.is_hub & open_).nonzero()[0], cost
    graph, start = model.roads.graph(open_)
    start = source[start]  # the hub of each road's first end
    across = start != source[graph.indices]  # a road between two hubs' ground
    linked = np.zeros(m.n, bool)
    linked[start[across]] = True
    # the unreached (source -9999) cost inf whatever their label reads
    return linked.nonzero()[0], np.where(linked[np.maximum(source, 0)], cost, np.inf)


def nearest(model: OffensiveModel, destinations: np.ndarray) -> np.ndarray:
    """For each district, the nearest of ``destinations`` (a mask) by a route not Taliban-held.

    -1 where there is none.
    """
    open_ = model.control != Control.TALIBAN
    _, where = model.roads.reach(open_, (destinations & open_).nonzero()[0])
    return where


def route_home(model: OffensiveModel, district: int) -> int:
    """The capital a garrison of ``district`` withdraws to today; -1 if there is none.

    The nearest capital held at today's supply stage, by a route the Taliban did not hold then
    (:func:`resupply` notes both). Searched on first need: only days when a garrison gives up
    ask.
    """
    if model.route_home is None:
        open_, capitals = model.home_query
        model.route_home = model.roads.reach(open_, (capitals & open_).nonzero()[0])[1]
    return int(model.route_home[district])


def resupply(model: OffensiveModel) -> None:
    """Mark cut-off garrisons, deliver by road, then by air within the day's lift."""
    cfg = model.config.supply
    m = model.map
    held = model.control == Control.GOVERNMENT
    open_ = model.control != Control.TALIBAN
    hubs, risky_cost = linked_hubs(model, open_)
    safe_cost, _ = model.roads.reach(held, hubs)
    model.home_query, model.route_home = (open_, m.is_capital & held), None  # (route_home)
    convoy_ok = model.streams["supply"].random(m.n) < cfg.p_contested_convoy
    own = model.control == Control.TALIBAN
    rear = own | (m.neighbour_sum(own) > 0)
    g, x, t = model.garrison_table, model.militia_table, model.unit_table
    # compiled (sim.world.supply_kernels.deliver): cut-off districts, restocking by road, the
    # militias' and the Taliban rear's refills; returns the garrisons the airlift may serve
    needy = supply_kernels.deliver(
        safe_cost, risky_cost, convoy_ok, open_, model.cut_off, model.first_cut_off_day,
        model.day, g.live(), g.district, g.resupplied, g.supply_days, g.ammo_days, g.cut_off_days,
        x.live(), x.district, x.home, m.province_index, x.ammo_days, rear, t.live(), t.district,
        t.ammo_days, bool(cfg.use_road), *(float(v) for v in (
            cfg.rate_road_days, cfg.km_half_rate, model.config.forces.ammo_stock_days,
            model.config.forces.supply_days, model.config.militia.ammo_days,
            cfg.taliban_ammo_days, cfg.taliban_rate_days)))
    airlift(model, needy)


def airlift(model: OffensiveModel, needy: np.ndarray) -> None:
    """Fly stocks to the garrisons of ``needy`` (no convoy reached them), capitals first.

    Then the emptiest. Fixed-wing lift lands only at airfields; helicopters reach any district.
    Each garrison in that order takes what it lacks from what lift is left (fixed-wing first
    where it can land).
    """
    if len(needy) == 0:  # the day's tonnes flown read 0 either way
        return
    lift = model.air_force.sorties(model.day)
    forces, g, m = model.config.forces, model.garrison_table, model.map
    # compiled (sim.world.kernels.airlift): the order, the lift left for each in turn, restocking
    # (sim.world.agents.restock) and the support seen (sim.stages.expectation)
    model.today["air_resupply_tonnes"] += kernels.airlift(
        needy, g.district, g.ammo_days, g.supply_days, g.troops, g.resupplied, m.is_capital,
        m.has_airfield, model.support_seen, lift.helo_tonnes, lift.fixed_tonnes,
        model.config.supply.tonnes_per_troop_day, forces.ammo_stock_days, forces.supply_days)
