"""The run folder and the Python result: the interface later work relies on."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import yaml

import sim
from sim.outputs import FILES

DAILY = ["day", "date", "districts_taliban", "districts_contested", "districts_government",
         "capitals_taliban", "surrenders_today", "strike_sorties_today", "air_resupply_tonnes_today",
         "mean_ammo_days", "mean_morale_government", "taliban_fighters", "government_troops"]
DISTRICTS = ["district_id", "shape_id", "name", "province", "is_provincial_capital",
             "initial_control", "final_control", "fell_day", "fell_cause", "first_cut_off_day"]
EVENTS = ["day", "date", "district_id", "district", "province", "event", "cause", "troops",
          "equipment"]


def test_result_tables_have_the_documented_columns(tiny_result):
    """daily, districts and events carry the documented columns; one daily row per day."""
    assert set(DAILY) <= set(tiny_result.daily.columns)
    assert list(tiny_result.districts.columns) == DISTRICTS
    assert list(tiny_result.events.columns) == EVENTS
    assert len(tiny_result.daily) == tiny_result.config["days"] + 1
    assert tiny_result.daily["date"].iloc[0] == "2021-05-01"


def test_fell_records_match_the_event_log(tiny_result):
    """Every district with a fell_day has a 'fell' event that day with the same cause."""
    fell = tiny_result.events[tiny_result.events["event"] == "fell"]
    first = fell.groupby("district_id").first()
    recorded = tiny_result.districts.dropna(subset=["fell_day"]).set_index("district_id")
    assert (first.loc[recorded.index, "day"] == recorded["fell_day"]).all()
    assert (first.loc[recorded.index, "cause"] == recorded["fell_cause"]).all()


def test_write_makes_a_complete_folder(tiny_result, tmp_path):
    """write() leaves exactly the five files, no temporaries, and a parseable summary."""
    folder = tiny_result.write(tmp_path / "run")
    assert sorted(p.name for p in folder.iterdir()) == sorted(FILES)
    summary = json.loads((folder / "summary.json").read_text())
    for key in ("seed", "scenario", "package_version", "first_capital_fell_day",
                "kabul_fell_day", "final_districts_taliban"):
        assert key in summary
    assert yaml.safe_load((folder / "config.yaml").read_text())["seed"] == 0
    pd.testing.assert_frame_equal(pd.read_csv(folder / "daily.csv"), tiny_result.daily,
                                  check_dtype=False)


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
