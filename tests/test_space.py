"""The district graph: the real map's facts, and the synthetic generator's guarantees."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from sim.config import SpaceConfig, SpaceKind
from sim.space import load_outlines, load_real_map, synthetic_map


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


def test_synthetic_map_is_seeded():
    """Same seed, same map; another seed, another map."""
    cfg = SpaceConfig(kind=SpaceKind.SYNTHETIC)
    a, b, c = (synthetic_map(cfg, np.random.default_rng(s)) for s in (3, 3, 4))
    assert nx.utils.graphs_equal(a.graph, b.graph) and (a.population == b.population).all()
    assert not (a.population == c.population).all()
