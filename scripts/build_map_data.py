"""Derive the packaged district map (``sim/data/``) from ``../shared/data/afghanistan``.

Development-time tool: reads the geoBoundaries shapefile and the attribute tables, derives
adjacency (shared borders, point contacts included), centroids, areas, road corridors, sites and
simplified outlines, and writes two compact gzipped JSON files that the package reads at run time.

    python scripts/build_map_data.py [--shared ../shared]

Needs ``pyshp`` and ``shapely`` (the ``build`` extra); the installed simulator needs neither.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import shutil
from pathlib import Path

import networkx as nx
import shapefile
from shapely.geometry import shape
from shapely.strtree import STRtree

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "sim" / "data"
SIMPLIFY_DEG = 0.01  # outline simplification tolerance (~1 km), for drawing only
TOUCH_TOL_DEG = 1e-6  # districts closer than this count as neighbours (point contacts)
# ANA corps headquarters by province P-code (forces.md): the government's supply hubs.
ETHNIC_GROUPS = {"Pashtun", "Tajik", "Uzbek", "Hazara"}


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _km_per_degree(lat: float) -> tuple[float, float]:
    return 111.32 * math.cos(math.radians(lat)), 110.57


def build(shared: Path) -> dict:
    """Return the compact map as a dict (districts, edges, roads) plus outlines."""
    afg = shared / "data" / "afghanistan"
    reader = shapefile.Reader(str(afg / "geoboundaries" / "geoBoundaries-AFG-ADM2"))
    geoms, shape_ids = [], []
    for rec, shp in zip(reader.records(), reader.shapes(), strict=True):
        geoms.append(shape(shp.__geo_interface__).buffer(0))
        shape_ids.append(rec["shapeID"])
    attrs = {row["shape_id"]: row for row in _read_csv(afg / "districts.csv")}
    provinces = {row["province_pcode"]: row for row in _read_csv(afg / "provinces.csv")}
    sites = _read_csv(afg / "sites.csv")
    missing = set(shape_ids) - set(attrs)
    if missing:
        raise SystemExit(f"districts.csv lacks {len(missing)} shape ids, e.g. {sorted(missing)[:3]}")

    order = sorted(range(len(shape_ids)), key=lambda i: attrs[shape_ids[i]]["district_pcode"])
    geoms = [geoms[i] for i in order]
    shape_ids = [shape_ids[i] for i in order]
    index = {sid: i for i, sid in enumerate(shape_ids)}

    airfields = {r["shape_id"] for r in sites if r["kind"] in ("airbase", "airstrip")}
    crossings = {r["shape_id"] for r in sites if r["kind"] == "border_crossing"}
    districts, outlines = [], []
    for i, (sid, geom) in enumerate(zip(shape_ids, geoms, strict=True)):
        row = attrs[sid]
        prov = provinces[row["province_pcode"]]
        c = geom.centroid
        kx, ky = _km_per_degree(c.y)
        group = prov["majority_group_approx"]
        hub = bool(prov["ana_corps_hq"]) and row["is_provincial_capital"] == "1"
        districts.append(
            {
                "id": i,
                "shape_id": sid,
                "name": row["name"],
                "province": row["province"],
                "province_pcode": row["province_pcode"],
                "is_provincial_capital": row["is_provincial_capital"] == "1",
                "is_national_capital": row["capital_city"] == "Kabul",
                "population": int(row["population_2019_20_est"]),
                "area_km2": round(geom.area * kx * ky, 1),
                "lon": round(c.x, 4),
                "lat": round(c.y, 4),
                "ethnic_group": group.lower() if group in ETHNIC_GROUPS else "other",
                "is_border_crossing": sid in crossings,
                "has_airfield": sid in airfields,
                "is_hub": hub,
            }
        )
        simple = geom.simplify(SIMPLIFY_DEG, preserve_topology=True)
        polys = [simple] if simple.geom_type == "Polygon" else list(simple.geoms)
        outlines.append(
            [[[round(x, 3), round(y, 3)] for x, y in p.exterior.coords] for p in polys]
        )

    tree = STRtree(geoms)
    graph = nx.Graph()
    graph.add_nodes_from(range(len(geoms)))
    for i, geom in enumerate(geoms):
        for j in tree.query(geom.buffer(TOUCH_TOL_DEG), predicate="intersects"):
            if j > i:
                a, b = districts[i], districts[int(j)]
                kx, ky = _km_per_degree((a["lat"] + b["lat"]) / 2)
                length = math.hypot((a["lon"] - b["lon"]) * kx, (a["lat"] - b["lat"]) * ky)
                graph.add_edge(i, int(j), length_km=round(length, 1))
    if not nx.is_connected(graph):
        raise SystemExit("district adjacency graph is not connected")

    road_edges: set[tuple[int, int]] = set()
    routes: dict[str, list[tuple[int, str]]] = {}
    for row in _read_csv(afg / "roads.csv"):
        routes.setdefault(row["route"], []).append((int(row["order"]), row["shape_id"]))
    for stops in routes.values():
        waypoints = [index[sid] for _, sid in sorted(stops)]
        for a, b in zip(waypoints, waypoints[1:], strict=False):
            path = nx.shortest_path(graph, a, b, weight="length_km")
            road_edges.update(tuple(sorted(e)) for e in zip(path, path[1:], strict=False))

    edges = [
        [u, v, d["length_km"], (min(u, v), max(u, v)) in road_edges]
        for u, v, d in graph.edges(data=True)
    ]
    return {"districts": districts, "edges": edges}, outlines


def main() -> None:
    """Build the map files and copy the calibration table and attribution beside them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    data, outlines = build(args.shared)
    OUT.mkdir(parents=True, exist_ok=True)
    for name, payload in (("afghanistan_map.json.gz", data), ("afghanistan_outlines.json.gz", outlines)):
        with gzip.open(OUT / name, "wt", encoding="utf-8", compresslevel=9) as fh:
            json.dump(payload, fh, separators=(",", ":"))
    shutil.copyfile(
        args.shared / "data" / "calibration" / "district_control.csv", OUT / "district_control.csv"
    )
    n_road = sum(e[3] for e in data["edges"])
    print(f"{len(data['districts'])} districts, {len(data['edges'])} edges ({n_road} on roads)")


if __name__ == "__main__":
    main()
