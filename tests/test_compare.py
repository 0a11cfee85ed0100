"""A sweep's folders become arms by their resolved configs, tidy tables and a paired comparison."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import DAYS, fake_run

import sim
from sim.studies import compare

OUTPUTS = ("runs.parquet", "runs.csv", "daily.parquet", "comparison.csv", "compare.png")


# Kabul falls on day 100 in every historical run; without air power it falls on day 80; with
# sustained air it holds to the horizon in four of six runs.
KABUL = {"historical": [100] * 6, "no_air": [80] * 6,
         "sustained_air": [100, None, None, 100, None, None]}


@pytest.fixture
def study(tmp_path) -> Path:
    """A three-arm study of six seeds, folders named by job number only."""
    for job, (scenario, seed) in enumerate((s, k) for s in KABUL for k in range(6)):
        fake_run(tmp_path / f"job{job}", seed, KABUL[scenario][seed], (f"scenario={scenario}",),
                 {"seeds": 6})
    return tmp_path


def test_a_sweep_where_kabul_holds_in_some_runs_counts_every_run(study):
    """Every outcome about Kabul or the first capital has n = the six paired runs, and the
    restricted mean counts the runs in which Kabul held at the horizon."""
    assert compare.main([str(study)]) == 0
    table = pd.read_csv(study / "comparison.csv")
    events = table[table["outcome"].str.contains("kabul|first_capital")]
    assert len(events) == 2 * 4 and (events["n"] == 6).all()
    days = events[(events["arm"] == "sustained_air")
                  & (events["outcome"] == "days_until_kabul_falls")].iloc[0]
    assert days["arm_value"] == pytest.approx((2 * 100 + 4 * DAYS) / 6)
    assert days["estimate"] == pytest.approx(4 * (DAYS - 100) / 6)
    assert days["arm_events"] == 2 and days["baseline_events"] == 6
    falls = events[(events["arm"] == "sustained_air") & (events["outcome"] == "kabul_falls")]
    assert falls["p_value"].iloc[0] == pytest.approx(2 * 0.5**4)


def test_comparison_csv_has_the_long_form_columns(study):
    """One row per (arm, outcome) with the agreed columns, each method named, Holm stated."""
    assert compare.main([str(study)]) == 0
    table = pd.read_csv(study / "comparison.csv")
    assert {"arm", "baseline", "outcome", "estimate", "low", "high", "n", "method",
            "p_adjusted"} <= set(table.columns)
    assert not table.duplicated(["arm", "outcome"]).any()
    assert set(table["baseline"]) == {"historical"} and table["method"].notna().all()
    assert table["adjustment"].str.startswith("Holm").all()


def test_tidy_parquet_tables_hold_every_run_and_day(study):
    """runs.parquet has one row per run (arm, seed, outcomes); daily.parquet one per run-day."""
    assert compare.main([str(study)]) == 0
    runs = pd.read_parquet(study / "runs.parquet")
    daily = pd.read_parquet(study / "daily.parquet")
    assert len(runs) == 18 and not runs.duplicated(["arm", "seed"]).any()
    assert {"arm", "seed", "days_until_kabul_falls", "kabul_falls", "kabul_fell_day"} <= set(
        runs.columns)
    assert runs["kabul_fell_day"].isna().sum() == 4
    assert len(daily) == 18 * (DAYS + 1) and list(daily.columns[:3]) == ["arm", "seed", "day"]
    pd.testing.assert_frame_equal(pd.read_csv(study / "runs.csv"), runs.astype(
        {"kabul_fell_day": float, "first_capital_fell_day": float}), check_dtype=False)


def test_growing_a_study_keeps_its_arms(tmp_path, capsys):
    """Runs of seeds=2 and of seeds=3 in one folder, some repeated, make the same three arms of
    three seeds: the study size never defines an arm and a repeated run counts once."""
    for size in (2, 3):
        for scenario in KABUL:
            for seed in range(size):
                fake_run(tmp_path / f"{scenario}_{seed}_of_{size}", seed, KABUL[scenario][seed],
                         (f"scenario={scenario}",), {"seeds": size})
    assert compare.main([str(tmp_path)]) == 0
    runs = pd.read_csv(tmp_path / "runs.csv")
    assert runs.groupby("arm")["seed"].apply(list).to_dict() == {
        a: [0, 1, 2] for a in KABUL}
    assert "6 repeated runs" in capsys.readouterr().err


def test_arms_are_named_by_group_choice_then_field(tmp_path):
    """A group sweep is named by the option chosen (air=none), a field sweep by the field."""
    for seed in range(2):
        for air in ("historical", "none"):
            fake_run(tmp_path / "groups" / f"{air}{seed}", seed, 100, (f"air={air}",),
                     choices={"air": air, "scenario": "historical"})
        for fleet in (0.1, 0.2):
            fake_run(tmp_path / "fields" / f"{fleet}{seed}", seed, 100,
                     fields={"air.frac_fleet": fleet})
    assert compare.main([str(tmp_path / "groups")]) == 0
    assert set(pd.read_csv(tmp_path / "groups" / "runs.csv")["arm"]) == {"air=historical",
                                                                         "air=none"}
    assert compare.main([str(tmp_path / "fields"), "--baseline", "air.frac_fleet=0.1"]) == 0
    assert set(pd.read_csv(tmp_path / "fields" / "comparison.csv")["arm"]) == {
        "air.frac_fleet=0.2"}


def test_fields_that_vary_only_with_the_seed_do_not_split_arms(tmp_path, capsys):
    """A parameter drawn per seed (the same draw in every arm) goes with the seed, not the arm."""
    for seed in range(3):
        for scenario in ("historical", "no_air"):
            fake_run(tmp_path / f"{scenario}{seed}", seed, None, (f"scenario={scenario}",),
                     {"morale.government": 0.5 + seed / 10})
    assert compare.main([str(tmp_path)]) == 0
    runs = pd.read_csv(tmp_path / "runs.csv")
    assert set(runs["arm"]) == {"historical", "no_air"}
    assert runs["morale.government"].nunique() == 3
    assert "vary only with the seed, not arms: morale.government" in capsys.readouterr().err


@pytest.mark.parametrize(("baseline", "says"), [("nope", "names none"),
                                                ("air", "names none")])
def test_a_baseline_that_names_no_arm_is_one_line_and_writes_nothing(study, capsys, baseline,
                                                                     says):
    """A --baseline that names no arm: one line, exit code 2, no output file written."""
    assert compare.main([str(study), "--baseline", baseline]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and says in err[0] and "sustained_air" in err[0]
    assert not any((study / name).exists() for name in OUTPUTS)


def test_a_study_with_a_second_factor_compares_within_groups(tmp_path, capsys):
    """A scenario x field sweep: each arm against the historical arm of its own group, the
    groups named in the table and the printout; a full arm name still gives one baseline."""
    for fleet in (0.1, 0.2):
        for seed in range(3):
            fake_run(tmp_path / f"h{fleet}{seed}", seed, 100, fields={"air.frac_fleet": fleet})
            fake_run(tmp_path / f"n{fleet}{seed}", seed, 80, ("scenario=no_air",),
                     {"air.frac_fleet": fleet})
    assert compare.main([str(tmp_path)]) == 0
    table = pd.read_csv(tmp_path / "comparison.csv")
    pairs = set(zip(table["arm"], table["baseline"], table["group"], strict=True))
    assert pairs == {("no_air,air.frac_fleet=0.1", "historical,air.frac_fleet=0.1",
                      "air.frac_fleet=0.1"),
                     ("no_air,air.frac_fleet=0.2", "historical,air.frac_fleet=0.2",
                      "air.frac_fleet=0.2")}
    out = capsys.readouterr().out
    assert "Group air.frac_fleet=0.1: against Historical (as recorded)" in out
    assert "2 groups" in out
    assert compare.main([str(tmp_path), "--baseline", "historical,air.frac_fleet=0.1"]) == 0
    assert set(pd.read_csv(tmp_path / "comparison.csv")["baseline"]) == {
        "historical,air.frac_fleet=0.1"}


def test_a_group_without_the_baseline_is_one_line(tmp_path, capsys):
    """A group lacking the baseline arm: one line naming the group, exit 2, nothing written."""
    for seed in range(2):
        fake_run(tmp_path / f"h{seed}", seed, 100, fields={"air.frac_fleet": 0.1})
        fake_run(tmp_path / f"n{seed}", seed, 80, ("scenario=no_air",), {"air.frac_fleet": 0.1})
        fake_run(tmp_path / f"m{seed}", seed, 80, ("scenario=no_air",), {"air.frac_fleet": 0.2})
    assert compare.main([str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "the group air.frac_fleet=0.2 has no arm 'historical'" in err[0]
    assert not any((tmp_path / name).exists() for name in OUTPUTS)


def test_the_printout_gives_values_units_horizon_and_a_sentence(study, capsys):
    """Each arm's value and the baseline's, the unit, the horizon, one sentence per outcome,
    plain labels instead of code ids."""
    assert compare.main([str(study)]) == 0
    out = capsys.readouterr().out
    assert "against Historical (as recorded), paired by seed, horizon day 120" in out
    assert "No air power" in out and "unit" in out and "share of runs" in out
    assert ("- Kabul fell by day 120 in 6 of 6 runs with Air support sustained" not in out)
    assert ("- Kabul fell by day 120 in 2 of 6 runs with Air support sustained and 6 with "
            "Historical (as recorded): a change of -0.67") in out
    assert "- Days until Kabul falls: 80.0 with No air power and 100.0 with Historical" in out
    assert "days_until" not in out and "sustained_air" not in out


def test_an_outcome_without_events_in_either_arm_is_said_in_words(tmp_path, capsys):
    """Kabul holding in every run of both arms gives a sentence, never a zero-width interval."""
    for seed in range(2):
        for scenario in ("historical", "no_air"):
            fake_run(tmp_path / f"{scenario}{seed}", seed, None, (f"scenario={scenario}",))
    assert compare.main([str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Kabul held to day 120 in every run of both arms." in out
    assert "every provincial capital held to day 120 in every run of both arms." in out
    assert "0.000" not in out and "-0.693" not in out


def test_incomplete_and_nested_run_folders(study, capsys):
    """Run folders are found at any depth; one without summary.json is reported and left out."""
    fake_run(study / "more" / "deeper", 6, 80, ("scenario=no_air",), {"seeds": 6})
    fake_run(study / "more" / "historical6", 6, 100, fields={"seeds": 6})
    (study / "job0" / "summary.json").unlink()
    assert compare.main([str(study)]) == 0
    assert "incomplete run" in capsys.readouterr().err
    runs = pd.read_csv(study / "runs.csv")
    assert len(runs) == 18 - 1 + 2 and 6 in set(runs["seed"])


def test_the_figure_has_a_title_and_a_note_on_its_bands(study):
    """compare.png's figure names the study and says what its bands are."""
    sweep = compare.collect(study)
    fig = sim.outputs.plotting.comparison_figure(sweep.runs, sweep.daily, "historical", title="study")
    assert fig._suptitle.get_text() == "study"
    kabul = fig.axes[0]
    assert len({line.get_linestyle() for line in kabul.get_lines()}) == 3  # arms told apart
    assert {t.get_text() for t in kabul.get_legend().get_texts()} == {
        "Historical (as recorded)", "No air power", "Air support sustained"}
    assert "95%" in fig._supxlabel.get_text() and "5-95% range" in fig._supxlabel.get_text()
    assert len(fig.axes) == 4


def test_a_folder_without_complete_runs_is_one_line(tmp_path, capsys):
    """A sweep folder with no complete run: one line, exit code 2, nothing written."""
    (tmp_path / "run0" / ".hydra").mkdir(parents=True)
    assert compare.main([str(tmp_path)]) == 2
    assert "error: no complete run" in capsys.readouterr().err
    assert not any((tmp_path / name).exists() for name in OUTPUTS)


def test_a_sweep_of_one_arm_compares_nothing_and_says_so(tmp_path, capsys):
    """Seeds of the baseline alone: an empty comparison.csv with its columns, no error."""
    for seed in range(2):
        fake_run(tmp_path / f"h{seed}", seed, 100)
    assert compare.main([str(tmp_path)]) == 0
    table = pd.read_csv(tmp_path / "comparison.csv")
    assert table.empty and {"arm", "baseline", "group", "estimate"} <= set(table.columns)
    assert "2 runs in 1 arms" in capsys.readouterr().out
