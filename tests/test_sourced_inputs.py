"""The sourced input tables in sim/data: keys match the packaged map, values are sane, rows cited."""

from __future__ import annotations

from importlib import resources

import pandas as pd
import pytest

from sim.world.real_map import load_real_map

DISTRICT_TABLES = ["corps_areas.csv", "district_control_prior.csv", "district_ethnicity.csv"]
ALL_TABLES = [*DISTRICT_TABLES, "corps_strength.csv", "prisons.csv"]
CORPS = {"111", "201", "203", "205", "207", "209", "215", "217"}


def _table(name: str) -> pd.DataFrame:
    with resources.as_file(resources.files("sim") / "data" / name) as path:
        return pd.read_csv(path, dtype={"corps": str})


@pytest.fixture(scope="module")
def real_map():
    """The packaged 398-district map."""
    return load_real_map()


@pytest.mark.parametrize("name", DISTRICT_TABLES)
def test_district_tables_have_one_row_per_map_district(name, real_map):
    """Each district table is keyed by shape_id: every map district exactly once, nothing else."""
    table = _table(name)
    assert table.shape_id.is_unique
    assert set(table.shape_id) == set(real_map.shape_id)


@pytest.mark.parametrize("name", ALL_TABLES)
def test_every_row_states_its_basis_source_and_confidence(name):
    """Each row is either sourced or filled by a rule, says which, and cites a source or the rule."""
    table = _table(name)
    assert set(table.basis) <= {"source", "rule"}
    assert set(table.confidence) <= {"high", "medium", "low"}
    assert table.source.str.len().gt(0).all()
    rule_rows = table[table.basis == "rule"]
    assert rule_rows.source.str.startswith("rule:").all()
    assert not table[table.basis == "source"].source.str.startswith("rule:").any()


def test_every_corps_area_is_a_known_corps_with_a_headquarters_on_the_map(real_map):
    """Every district lies in one of the eight formations; each corps row has its HQ district."""
    areas, strength = _table("corps_areas.csv"), _table("corps_strength.csv")
    assert set(areas.corps) == CORPS
    assert set(strength.corps) == CORPS
    assert set(strength.hq_shape_id) <= set(real_map.shape_id)
    counts = areas.corps.value_counts()
    assert (strength.set_index("corps").n_districts == counts.reindex(strength.corps).values).all()


def test_corps_areas_keep_provinces_whole_outside_kabul():
    """Apart from Kabul city (111 Capital Division), a province belongs to exactly one corps."""
    areas = _table("corps_areas.csv")
    per_province = areas[areas.corps != "111"].groupby("province").corps.nunique()
    assert (per_province == 1).all()
    assert list(areas[areas.corps == "111"].name) == ["Kabul"]


def test_sourced_strengths_are_plausible_corps_sizes():
    """A sourced corps strength lies between a brigade (3,000) and the whole army (200,000)."""
    strength = _table("corps_strength.csv")
    sourced = strength[strength.basis == "source"]
    assert sourced.n_assigned.notna().all()
    assert sourced.n_assigned.between(3_000, 200_000).all()
    assert strength[strength.basis == "rule"].n_assigned.isna().all()


def test_control_prior_uses_the_three_states_and_holds_every_capital(real_map):
    """Control is taliban, contested or government, and every provincial capital starts government."""
    control = _table("district_control_prior.csv").set_index("shape_id")
    assert set(control.control_prior) <= {"taliban", "contested", "government"}
    capitals = real_map.shape_id[real_map.is_capital]
    assert (control.loc[capitals, "control_prior"] == "government").all()


def test_control_prior_sources_predate_the_offensive():
    """No sourced control status is dated on or after 1 May 2021 (outcomes are targets only)."""
    control = _table("district_control_prior.csv")
    dates = control[control.basis == "source"].as_of.astype(str)
    assert (dates < "2021-05").all()


def test_ethnicity_groups_and_pashtun_shares_are_sane():
    """Largest group is a known label; the Pashtun share is in [0, 1] and given only when sourced."""
    ethnic = _table("district_ethnicity.csv")
    known = {"pashtun", "tajik", "hazara", "uzbek", "turkmen", "aimaq", "baloch", "nuristani", "mixed"}
    assert set(ethnic.largest_group) <= known
    shares = ethnic.frac_pashtun.dropna()
    assert shares.between(0, 1).all()
    assert ethnic[ethnic.basis == "rule"].frac_pashtun.isna().all()
    pashtun_led = ethnic[(ethnic.basis == "source") & (ethnic.largest_group == "pashtun")]
    assert (pashtun_led.frac_pashtun.dropna() >= 0.25).all()


def test_prisons_lie_on_the_map_with_one_per_province_at_least(real_map):
    """Every prison is in a map district; each province has at least one; capacities are positive."""
    prisons = _table("prisons.csv")
    assert set(prisons.shape_id) <= set(real_map.shape_id)
    assert set(prisons.province) == set(real_map.province)
    assert (prisons.capacity > 0).all()


def test_prison_capacities_are_published_or_filled_by_the_stated_rule():
    """A capacity is the published one, or the rule's median of the published provincial ones."""
    prisons = _table("prisons.csv")
    ruled = prisons[prisons.capacity_basis != "source"]
    assert ruled.capacity_basis.str.startswith("rule:").all()
    assert ruled.capacity.nunique() == 1
    assert (prisons[prisons.basis == "rule"].capacity_basis != "source").all()
