"""The run folder and the Python result: the interface later work relies on, and its documentation."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

import sim
from sim.config import as_dict
from sim.model import metrics
from sim.model.model import OffensiveModel
from sim.outputs import result as outputs
from sim.outputs.result import FILES, config_hash
from sim.runner import advance, decided
from sim.world.agents import Cause, Control

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from gen_outputs_doc import DOC, render  # noqa: E402


def test_result_tables_have_the_documented_columns(tiny_result):
    """daily, districts, events and summary carry exactly the documented columns and fields."""
    assert set(tiny_result.daily.columns) == set(metrics.COLUMNS)
    assert list(tiny_result.districts.columns) == list(outputs.DISTRICT_COLUMNS)
    assert list(tiny_result.events.columns) == list(outputs.EVENT_COLUMNS)
    assert list(tiny_result.summary) == list(outputs.SUMMARY_FIELDS)
    assert len(tiny_result.daily) == tiny_result.config["days"] + 1
    assert tiny_result.daily["date"].iloc[0] == "2021-05-01"


def test_every_event_and_cause_is_documented(tiny_result):
    """Each event kind and cause a run logs has its meaning in docs/outputs.md's registries."""
    assert set(tiny_result.events["event"]) <= set(outputs.EVENT_KINDS)
    assert set(outputs.CAUSES) == {cause.name.lower() for cause in Cause}
    assert len(set(tiny_result.events["event"])) >= 3


def test_daily_column_names_say_flow_or_running_total(tiny_result):
    """A `_to_date` column never decreases; `_today` columns restart each day (not cumulative)."""
    daily = tiny_result.daily
    for name in daily.columns[daily.columns.str.endswith("_to_date")]:
        assert (daily[name].diff().dropna() >= 0).all(), name
    assert daily["districts_fell_today"].sum() > daily["districts_fell_today"].max()


def test_outputs_doc_is_fresh():
    """docs/outputs.md equals what scripts/gen_outputs_doc.py would write now."""
    assert DOC.read_text() == render(), "run: python scripts/gen_outputs_doc.py"


def test_events_name_their_district_and_province(tiny_result):
    """Every event row carries the name and province of its district_id."""
    districts = tiny_result.districts.set_index("district_id")
    events = tiny_result.events
    assert (events["district"].to_numpy() == districts.loc[events["district_id"], "name"]).all()
    assert (events["province"].to_numpy()
            == districts.loc[events["district_id"], "province"]).all()


def test_fell_records_match_the_event_log(tiny_result):
    """Every district with a fell_day has a 'fell' event that day with the same cause."""
    fell = tiny_result.events[tiny_result.events["event"] == "fell"]
    first = fell.groupby("district_id").first()
    recorded = tiny_result.districts.dropna(subset=["fell_day"]).set_index("district_id")
    assert (first.loc[recorded.index, "day"] == recorded["fell_day"]).all()
    assert (first.loc[recorded.index, "cause"] == recorded["fell_cause"]).all()


def test_write_makes_a_complete_folder(tiny_result, tmp_path):
    """write() leaves exactly the documented files, no temporaries, and a parseable summary."""
    folder = tiny_result.write(tmp_path / "run")
    assert sorted(p.name for p in folder.iterdir()) == sorted(FILES)
    summary = json.loads((folder / "summary.json").read_text())
    assert summary == json.loads(json.dumps(tiny_result.summary))
    assert yaml.safe_load((folder / "config.yaml").read_text())["seed"] == 0
    pd.testing.assert_frame_equal(pd.read_csv(folder / "daily.csv"), tiny_result.daily,
                                  check_dtype=False)


def test_control_history_is_written_in_long_form(tiny_result, tmp_path):
    """control.parquet has one row per day and district, and its last day is the final control."""
    folder = tiny_result.write(tmp_path / "run")
    control = pd.read_parquet(folder / "control.parquet")
    n, days = len(tiny_result.districts), len(tiny_result.daily)
    assert list(control.columns) == list(outputs.CONTROL_COLUMNS) and len(control) == n * days
    last = control[control["day"] == days - 1].set_index("district_id")["control"]
    final = tiny_result.districts.set_index("district_id")["final_control"]
    assert (last.astype(str) == final).all()
    daily_taliban = control[control["control"] == "taliban"].groupby("day").size()
    assert (daily_taliban.reindex(range(days), fill_value=0).to_numpy()
            == tiny_result.daily["districts_taliban"].to_numpy()).all()


def test_summary_records_version_commit_and_config_hash(tiny_result):
    """summary.json names the package version, the git commit of this checkout, the config hash."""
    summary = tiny_result.summary
    assert summary["package_version"] == outputs.package_version()
    if (ROOT / ".git").exists():
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout.strip()
        assert summary["git_commit"].startswith(head)
    assert summary["config_hash"] == config_hash(tiny_result.config)


def test_config_hash_identifies_a_run_and_an_arm():
    """The hash changes with the seed or any parameter, not with the study size `seeds`."""
    def hashes(*overrides):
        config = as_dict(sim.load_config(["debug=tiny", *overrides]))
        return config_hash(config), config_hash(config, seed=False)

    run0, arm0 = hashes("seed=0")
    assert hashes("seed=0", "seeds=7") == (run0, arm0)
    run1, arm1 = hashes("seed=1")
    assert run1 != run0 and arm1 == arm0
    assert all(h not in (run0, arm0) for h in hashes("seed=0", "forces.n_taliban=3000"))


def test_a_long_run_stops_on_the_day_the_war_is_decided():
    """With days=3650 the tiny war stops once decided (the republic has fallen): flagged, nothing
    logged after it, and the tables carry its final state to the last day; the day before, it
    was not decided."""
    result = sim.run(sim.load_config(["debug=tiny", "days=3650", "seed=0"]))
    summary, daily = result.summary, result.daily
    decided_day = summary["decided_day"]
    assert summary["stopped_early"] and decided_day is not None and decided_day < 3650
    assert result.events["day"].max() <= decided_day
    assert len(daily) == 3651 and daily["day"].iloc[-1] == 3650
    after = daily[daily["day"] > decided_day]
    final = daily.iloc[decided_day]
    assert final["kabul_taliban"] > 0 or final["garrisons"] == 0  # the republic has fallen
    assert (after["districts_taliban"] == final["districts_taliban"]).all()
    assert (after["garrisons"] == final["garrisons"]).all()
    assert (after.filter(like="_today") == 0).all().all()
    assert (after.filter(like="_to_date") == daily.filter(like="_to_date").iloc[decided_day]).all().all()
    model = OffensiveModel(sim.load_config(["debug=tiny", "days=3650", "seed=0"]))
    advance(model, decided_day - 1)
    assert not decided(model)
    model.step()
    assert decided(model) and model.day == decided_day


def test_the_war_is_decided_when_no_taliban_force_or_district_is_left(tiny_config):
    """With every district back with the government and no unit left, the war is over."""
    model = OffensiveModel(tiny_config)
    assert not decided(model)
    for unit in model.units():
        unit.remove()
    model.control[:] = Control.GOVERNMENT
    model.collect()
    assert decided(model)


def test_a_run_not_decided_runs_every_day(tiny_result):
    """The default tiny run is not decided: it runs its days and says it did not stop early."""
    assert tiny_result.summary["decided_day"] is None
    assert not tiny_result.summary["stopped_early"]
    assert np.array_equal(tiny_result.daily["day"], np.arange(tiny_result.config["days"] + 1))


def test_cli_multirun_writes_one_folder_per_job(tmp_path):
    """`python -m sim -m` sweeps seeds and air options, each job a complete folder."""
    proc = subprocess.run(
        [sys.executable, "-m", "sim", "-m", "debug=tiny", "days=5", "air=historical,none",
         "seed=0,1", f"hydra.sweep.dir={tmp_path}"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    summaries = sorted(tmp_path.glob("*/summary.json"))
    assert len(summaries) == 4
    assert {json.loads(p.read_text())["seed"] for p in summaries} == {0, 1}


def test_load_config_matches_the_cli_defaults():
    """sim.load_config composes the same config the CLI runs."""
    assert sim.load_config(["seed=3"]).seed == 3
