"""The packaged real map of Afghanistan's 398 districts, and their outlines for drawing.

See ``sim/data/ATTRIBUTION.md`` for the sources; ``scripts/build_map_data.py`` builds the files.
"""

from __future__ import annotations

import functools
import gzip
import json
from importlib import resources

import networkx as nx
import numpy as np

from sim.world.space import ETHNIC_GROUPS, DistrictMap, sourced_table


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
