"""Build the sourced input tables (``sim/data/*.csv``) from ``data_sources/`` and the shared map.

Development-time tool. It reads the raw extracts gathered for issue 8 (item 7, "geography from
sourced inputs") in ``data_sources/`` and the district and province tables in
``../shared/data/afghanistan``, matches every source name to a district of the packaged 398-district
map (keyed on ``shape_id``), fills what no source covers by a stated rule, and writes five compact
tables. Every row carries ``basis`` ("source" or "rule"), ``source`` (a short citation, or the rule)
and ``confidence`` (high, medium, low).

    python scripts/build_sourced_inputs.py [--shared ../shared]

Only inputs dated before 1 May 2021 (or long-standing facts) are read; nothing here records which
district or capital changed hands after that day.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import unicodedata
from pathlib import Path

import networkx as nx
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data_sources"
OUT = ROOT / "sim" / "data"
MAP = OUT / "afghanistan_map.json.gz"

# Source spelling -> name on the 398-district map, per province. Only spellings that the
# normalised exact match cannot find; each pair was checked by hand against the district list.
ALIASES: dict[tuple[str, str], str] = {
    ("Badakhshan", "Urgo"): "Argo",
    ("Badakhshan", "Drayeem"): "Darayim",
    ("Badakhshan", "Arghanch"): "Arghanj Khaw",
    ("Badakhshan", "Nusi"): "Darwazbala",
    ("Badakhshan", "Shuki"): "Shaki",
    ("Badakhshan", "Eshkashim"): "Ishkashiem",
    ("Badakhshan", "Kufab"): "Kuf Ab",
    ("Badakhshan", "Kiran-o-Minjan"): "Kuran Wa Munjan",
    ("Badakhshan", "Shar-e-Buzurg"): "Shahri Buzurg",
    ("Badakhshan", "Sheghnan"): "Shighnan",
    ("Badakhshan", "Shuhada"): "Shahada",
    ("Badakhshan", "Tishkan"): "Tashkan",
    ("Badakhshan", "Zibak"): "Zebak",
    ("Badakhshan", "Yamgan"): "Yamgan (Girwan)",
    ("Badakhshan", "Wordoj"): "Warduj",
    ("Badakhshan", "Tagab"): "Tagab (Kishmi Bala)",
    ("Badakhshan", "Yaftal-e-Payeen"): "Yaftal Sufla",
    ("Kandahar", "Dand"): "Kandahar",
    ("Kandahar", "Speen Boldak"): "Spin Boldak",
    ("Kandahar", "Zheray"): "Zhari",
    ("Kandahar", "Arghestan"): "Arghistan",
    ("Kandahar", "Mianshin"): "Miya Nishin",
    ("Kandahar", "Shawalikot"): "Shah Wali Kot",
    ("Kandahar", "Maiwand"): "Maywand",
    ("Kandahar", "Maroof"): "Maruf",
    ("Kandahar", "Regestan"): "Registan",
    ("Ghazni", "Gero"): "Giro",
    ("Ghazni", "Waghez"): "Waghaz",
    ("Ghazni", "Khogyani"): "Wali Muhammadi Shahid",
    ("Ghazni", "Zankhan"): "Zana Khan",
    ("Ghazni", "Jaghatu"): "Bahrami Shahid (Jaghatu)",
    ("Ghazni", "Jaghori"): "Jaghuri",
    ("Uruzgan", "Dehrawod"): "Dihrawud",
    ("Uruzgan", "Charchino"): "Shahidi Hassas",
    ("Jawzjan", "Qosh Tapa"): "Qush Tepa",
    ("Jawzjan", "Mangjaik"): "Mangajek",
    ("Jawzjan", "Mardian"): "Mardyan",
    ("Jawzjan", "Khanaqa"): "Khaniqa",
    ("Paktika", "Khushamand"): "Dila",
    ("Hilmand", "Khanashin"): "Reg(Khanshin)",
    ("Hilmand", "Nawzad"): "Naw Zad",
    ("Hilmand", "Disho"): "Dishu",
    ("Kunduz", "Dasht-e-Archi"): "Dashte Archi",
    ("Kunduz", "Khan Abad"): "Khanabad",
    ("Faryab", "Kohistan"): "Kohistan",
    ("Badghis", "Murghab"): "Bala Murghab",
}
CONTROL_STATES = ("taliban", "contested", "government")
CONFIDENCE = ("high", "medium", "low")
RULE_CONTROL = ("rule: no pre-2021 district-level source read; provincial capitals government "
                "(all 34 were government-held on 1 May 2021), other districts contested (the modal "
                "class of the 1 May 2021 count, 210 of 398)")
RULE_ETHNIC = "rule: province majority or plurality group (shared provinces.csv, coarse)"
RULE_CORPS = ("rule: no source read names this province's corps; the corps most common among the "
              "sourced districts nearest (shared-border hops) to the provincial capital")
RULE_STRENGTH = ("rule: no corps-level assigned strength found in the stored corpora; the present "
                 "army and police not in a sourced corps are shared by the corps area's population "
                 "(sim/world/initial.py corps_shares)")
RULE_CAPACITY = ("rule: capacity not published; the median of the published provincial prisons' "
                 "capacities")
RULE_PRISON = ("rule: a provincial prison at each provincial capital (the prison system runs one "
               "per province); capacity unknown")


def _norm(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "", text)


def _matcher(districts: pd.DataFrame):
    """Return a function (province, source name) -> shape_id that fails loudly on no match."""
    by_name = {(p, _norm(n)): s for p, n, s in
               zip(districts.province, districts.name, districts.shape_id, strict=True)}

    def match(province: str, name: str) -> str:
        target = ALIASES.get((province, name), name)
        key = (province, _norm(target))
        if key not in by_name:
            raise SystemExit(f"no district '{name}' in {province}: add it to ALIASES")
        return by_name[key]

    return match


def _load_graph() -> nx.Graph:
    with gzip.open(MAP, "rt", encoding="utf-8") as fh:
        data = json.load(fh)
    ids = {d["id"]: d["shape_id"] for d in data["districts"]}
    graph = nx.Graph()
    graph.add_nodes_from(ids.values())
    graph.add_edges_from((ids[u], ids[v]) for u, v, *_ in data["edges"])
    return graph


def _read(name: str) -> pd.DataFrame:
    return pd.read_csv(RAW / name, dtype=str, keep_default_na=False)


def _nearest_corps(graph: nx.Graph, sourced: dict, districts: pd.DataFrame, province: str) -> str:
    """Corps most common among the sourced districts nearest (in hops) to the province's capital.

    Ties go to the lower corps number, so the rule is deterministic.
    """
    capital = districts.shape_id[(districts.province == province)
                                 & (districts.is_provincial_capital == "1")].iloc[0]
    hops = nx.single_source_shortest_path_length(graph, capital)
    nearest = min(h for s, h in hops.items() if s in sourced)
    corps = pd.Series([sourced[s][0] for s, h in hops.items() if s in sourced and h == nearest])
    counts = corps.value_counts()
    return min(counts.index[counts == counts.max()], key=int)


def corps_tables(districts: pd.DataFrame, graph: nx.Graph, match) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Corps area of every district, and one row per corps with its strength where sourced."""
    raw = _read("corps_raw.csv")
    area: dict[str, tuple[str, str, str]] = {}
    for row in raw.itertuples():
        provinces = [p.split("(")[0].strip() for p in row.provinces.split(";") if p.strip()]
        for prov in provinces:
            for sid in districts.shape_id[districts.province == prov]:
                area.setdefault(sid, (row.corps, row.source, row.confidence))
    kabul = match("Kabul", "Kabul")
    capital = raw.set_index("corps").loc["111"]
    area[kabul] = ("111", capital.source, capital.confidence)
    sourced = dict(area)
    for prov in sorted(set(districts.province[~districts.shape_id.isin(sourced)])):
        corps = _nearest_corps(graph, sourced, districts, prov)
        for sid in districts.shape_id[districts.province == prov]:
            area[sid] = (corps, RULE_CORPS, "low")
    rows = []
    for sid, name, prov in zip(districts.shape_id, districts.name, districts.province, strict=True):
        corps, source, conf = area[sid]
        rows.append({"shape_id": sid, "name": name, "province": prov, "corps": corps,
                     "basis": "source" if sid in sourced else "rule", "source": source,
                     "confidence": conf})
    areas = pd.DataFrame(rows)
    n_districts = areas.corps.value_counts()
    strength = []
    for row in raw.itertuples():
        n_assigned = row.n_assigned
        strength.append({
            "corps": row.corps, "name": row.name, "hq_shape_id": match(row.hq_province, row.hq_district),
            "n_districts": int(n_districts[row.corps]),
            "n_assigned": int(n_assigned) if n_assigned else pd.NA,
            "as_of": row.as_of,
            "basis": "source" if n_assigned else "rule",
            "source": row.source if n_assigned else RULE_STRENGTH,
            "confidence": row.confidence if n_assigned else "low",
            "note": row.note,
        })
    return areas, pd.DataFrame(strength).astype({"n_assigned": "Int64"})


def control_table(districts: pd.DataFrame, match) -> pd.DataFrame:
    """Pre-2021 control status per district: sourced where a source names it, else the rule."""
    raw = _read("control_pre2021_raw.csv")
    bad = set(raw.status) - set(CONTROL_STATES)
    if bad:
        raise SystemExit(f"control_pre2021_raw.csv: status must be one of {CONTROL_STATES}, got {bad}")
    sourced: dict[str, dict] = {}
    for row in raw.itertuples():
        sid = match(row.province, row.district)
        prev = sourced.get(sid)
        if prev is not None and prev["control_prior"] != row.status:
            raise SystemExit(f"conflicting statuses for {row.province}/{row.district}")
        sourced[sid] = {"control_prior": row.status, "as_of": row.as_of, "basis": "source",
                        "source": f"{row.source}: {row.note}", "confidence": row.confidence}
    rows = []
    for sid, name, prov, cap in zip(districts.shape_id, districts.name, districts.province,
                                    districts.is_provincial_capital, strict=True):
        rule = {"control_prior": "government" if cap == "1" else "contested", "as_of": "2021-05-01",
                "basis": "rule", "source": RULE_CONTROL, "confidence": "low"}
        rows.append({"shape_id": sid, "name": name, "province": prov, **sourced.get(sid, rule)})
    return pd.DataFrame(rows)


def ethnicity_table(districts: pd.DataFrame, provinces: pd.DataFrame, match) -> pd.DataFrame:
    """Largest ethnic group and Pashtun share per district; province majority where unsourced."""
    raw = _read("ethnicity_districts_raw.csv")
    sourced = {}
    for row in raw.itertuples():
        pct = float(row.pashtun_pct) if row.pashtun_pct else None
        sourced[match(row.province, row.district)] = {
            "largest_group": row.largest_group.lower(),
            "frac_pashtun": round(pct / 100, 3) if pct is not None else pd.NA,
            "basis": "source", "source": f"{row.source} ({row.composition})",
            "confidence": row.confidence}
    majority = dict(zip(provinces.province, provinces.majority_group_approx.str.lower(), strict=True))
    rows = []
    for sid, name, prov in zip(districts.shape_id, districts.name, districts.province, strict=True):
        rule = {"largest_group": majority[prov], "frac_pashtun": pd.NA, "basis": "rule",
                "source": RULE_ETHNIC, "confidence": "low"}
        rows.append({"shape_id": sid, "name": name, "province": prov, **sourced.get(sid, rule)})
    return pd.DataFrame(rows).astype({"frac_pashtun": "Float64"})


def prison_table(districts: pd.DataFrame, match) -> pd.DataFrame:
    """Known prisons with capacity where published, plus one provincial prison per other capital.

    Where no capacity is published, the median of the published provincial prisons' capacities
    stands in (``capacity_basis`` says which), so that the model can share the prisoners by it.
    """
    raw = _read("prisons_raw.csv")
    national = {"Pul-e-Charkhi prison (Afghan National Detention Facility)", "Parwan Detention Facility"}
    published = [int(c) for n, c in zip(raw.name, raw.capacity, strict=True) if c and n not in national]
    fill = int(pd.Series(published).median())
    rows = []
    for row in raw.itertuples():
        rows.append({"shape_id": match(row.province, row.district), "name": row.name,
                     "province": row.province, "capacity": int(row.capacity) if row.capacity else fill,
                     "capacity_basis": "source" if row.capacity else RULE_CAPACITY,
                     "as_of": row.as_of, "basis": "source", "source": row.source,
                     "confidence": row.confidence})
    covered = {(r["province"]) for r in rows if r["name"] != "Parwan Detention Facility"}
    capitals = districts[(districts.is_provincial_capital == "1") & ~districts.province.isin(covered)]
    for sid, prov, city in zip(capitals.shape_id, capitals.province, capitals.capital_city, strict=True):
        rows.append({"shape_id": sid, "name": f"{prov} provincial prison ({city})", "province": prov,
                     "capacity": fill, "capacity_basis": RULE_CAPACITY, "as_of": "", "basis": "rule",
                     "source": RULE_PRISON, "confidence": "low"})
    return pd.DataFrame(rows)


def build(shared: Path) -> dict[str, pd.DataFrame]:
    """Return the five tables, keyed by output file name."""
    afg = shared / "data" / "afghanistan"
    districts = pd.read_csv(afg / "districts.csv", dtype=str, keep_default_na=False)
    provinces = pd.read_csv(afg / "provinces.csv", dtype=str, keep_default_na=False)
    match = _matcher(districts)
    areas, strength = corps_tables(districts, _load_graph(), match)
    return {
        "corps_areas.csv": areas,
        "corps_strength.csv": strength,
        "district_control_prior.csv": control_table(districts, match),
        "district_ethnicity.csv": ethnicity_table(districts, provinces, match),
        "prisons.csv": prison_table(districts, match),
    }


def coverage(tables: dict[str, pd.DataFrame]) -> str:
    """One line per table: rows from a source and rows by rule."""
    lines = []
    for name, table in tables.items():
        n_source = int((table.basis == "source").sum())
        lines.append(f"{name}: {len(table)} rows, {n_source} from a source, "
                     f"{len(table) - n_source} by rule")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Build and write the tables; print the coverage."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared",
                        help="the shared folder holding data/afghanistan (default: ../shared)")
    args = parser.parse_args(argv)
    if not (args.shared / "data" / "afghanistan" / "districts.csv").is_file():
        print(f"--shared: no data/afghanistan/districts.csv under {args.shared}", file=sys.stderr)
        return 2
    tables = build(args.shared)
    for name, table in tables.items():
        tmp = OUT / f".{name}.tmp"
        table.to_csv(tmp, index=False)
        tmp.replace(OUT / name)
    print(coverage(tables))
    return 0


if __name__ == "__main__":
    sys.exit(main())
