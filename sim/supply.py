"""Stage 1, supply: road convoys from the hubs through government ground, then air resupply.

A hub is a depot that stays a source only while a route through ground the Taliban do not hold
joins it to another hub; a hub with no such route has its roads cut like any other district
(the last hub standing alone is cut off too). One multi-source shortest-path search a day from
the connected government-held hubs finds every district a convoy can reach: through government
districts surely, through contested ones only at a risk.
Delivery falls with road distance (main roads are cheaper). Garrisons no convoy reaches are
cut off and live on stocks and whatever the air force's lift can bring, capitals first.
Militias refill in their home districts while a convoy could reach them. The same searches
give every district its way out: the nearest held capital along any route the Taliban do not
hold (for a withdrawal).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components, dijkstra

from sim.agents import Control

if TYPE_CHECKING:
    from sim.model import OffensiveModel


def reach(model: OffensiveModel, passable: np.ndarray, sources: np.ndarray
          ) -> tuple[np.ndarray, np.ndarray]:
    """Convoy cost from the nearest source through ``passable`` districts, and which source.

    Returns ``(cost, source)``; unreachable districts have cost ``inf`` and source -1.
    """
    n = model.map.n
    sources = sources[passable[sources]]
    if len(sources) == 0:
        return np.full(n, np.inf), np.full(n, -1)
    dist, _, src = dijkstra(passable_graph(model, passable), directed=False, indices=sources,
                            min_only=True, return_predecessors=True)
    return dist, src


def passable_graph(model: OffensiveModel, passable: np.ndarray) -> csr_matrix:
    """The road graph restricted to edges between two ``passable`` districts."""
    cost = model.travel_cost
    keep = passable[cost.row] & passable[cost.col]
    n = model.map.n
    return csr_matrix((cost.data[keep], (cost.row[keep], cost.col[keep])), shape=(n, n))


def linked_hubs(model: OffensiveModel, open_: np.ndarray) -> np.ndarray:
    """Hubs joined to at least one other hub through ground the Taliban do not hold.

    On a map with a single hub (the toy maps), that hub is the depot while it is held.
    """
    hubs = np.flatnonzero(model.map.is_hub & open_)
    if model.map.is_hub.sum() == 1:
        return hubs
    if len(hubs) < 2:
        return hubs[:0]
    _, label = connected_components(passable_graph(model, open_), directed=False)
    counts = np.bincount(label[hubs])
    return hubs[counts[label[hubs]] >= 2]


def nearest(model: OffensiveModel, destinations: np.ndarray) -> np.ndarray:
    """For each district, the nearest of ``destinations`` (a mask) by a route not Taliban-held.

    -1 where there is none.
    """
    open_ = model.control != Control.TALIBAN
    _, where = reach(model, open_, np.flatnonzero(destinations & open_))
    return where


def resupply(model: OffensiveModel) -> None:
    """Mark cut-off garrisons, deliver by road, then by air within the day's lift."""
    cfg = model.config.supply
    m = model.map
    held = model.control == Control.GOVERNMENT
    open_ = model.control != Control.TALIBAN
    hubs = linked_hubs(model, open_)
    safe_cost, _ = reach(model, held, hubs)
    risky_cost, _ = reach(model, open_, hubs)
    model.route_home[:] = nearest(model, m.is_capital & held)
    convoy_ok = model.streams["supply"].random(m.n) < cfg.p_contested_convoy

    by_road = np.isfinite(safe_cost) | (np.isfinite(risky_cost) & convoy_ok)
    cost = np.where(np.isfinite(safe_cost), safe_cost, risky_cost)
    model.cut_off[:] = ~(np.isfinite(safe_cost) | np.isfinite(risky_cost)) & open_
    model.first_cut_off_day[model.cut_off & np.isnan(model.first_cut_off_day)] = model.day
    rate = cfg.rate_road_days / (1.0 + cost / cfg.km_half_rate)

    needy = []
    for g in model.garrisons():
        g.resupplied = False
        g.supply_days = max(0.0, g.supply_days - 1.0)
        d = g.district
        g.cut_off_days = g.cut_off_days + 1 if model.cut_off[d] else 0
        if cfg.use_road and by_road[d]:
            g.restock(float(rate[d]))
        elif model.cut_off[d] or not cfg.use_road:
            needy.append(g)
    airlift(model, needy)

    stock = model.config.militia.ammo_days
    for x in model.militias():
        if cfg.use_road and by_road[x.district] and m.province_index[x.district] in x.home_provinces:
            x.ammo_days = min(stock, x.ammo_days + float(rate[x.district]))

    own = model.control == Control.TALIBAN
    rear = own | (m.adjacency @ own > 0)
    cap = cfg.taliban_ammo_days
    for u in model.units():
        if rear[u.district]:
            u.ammo_days = min(cap, u.ammo_days + cfg.taliban_rate_days)


def airlift(model: OffensiveModel, needy: list) -> None:
    """Fly stocks to garrisons no convoy reached: capitals first, then the emptiest.

    Fixed-wing lift lands only at airfields; helicopters reach any district.
    """
    lift = model.air_force.sorties(model.day)
    helo_t, fixed_t = lift.helo_tonnes, lift.fixed_tonnes
    per_day = model.config.supply.tonnes_per_troop_day
    forces = model.config.forces
    needy.sort(key=lambda g: (not model.map.is_capital[g.district], min(g.ammo_days, g.supply_days)))
    delivered = 0.0
    for g in needy:
        if helo_t <= 0 and fixed_t <= 0:
            break
        gap = max(forces.ammo_stock_days - g.ammo_days, forces.supply_days - g.supply_days)
        want = gap * g.troops * per_day
        if want <= 0:
            continue
        from_fixed = min(want, fixed_t) if model.map.has_airfield[g.district] else 0.0
        fixed_t -= from_fixed
        from_helo = min(want - from_fixed, helo_t)
        helo_t -= from_helo
        tonnes = from_fixed + from_helo
        if tonnes > 0:
            g.restock(tonnes / (g.troops * per_day))
            delivered += tonnes
            model.support_seen[g.district] = True  # seen as support (sim.expectation)
    model.today["air_resupply_tonnes"] += delivered
