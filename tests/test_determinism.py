"""Reproducibility: same config and seed, same run (in a fresh process too); named streams."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import sim
from sim.model.model import OffensiveModel
from sim.world.rng import Streams
from tests.conftest import tiny


def test_same_seed_same_run():
    """Two runs of one config give identical tables."""
    a, b = sim.run(tiny("seed=5")), sim.run(tiny("seed=5"))
    pd.testing.assert_frame_equal(a.daily, b.daily)
    pd.testing.assert_frame_equal(a.events, b.events)
    pd.testing.assert_frame_equal(a.districts, b.districts)


def test_a_runs_history_does_not_depend_on_its_horizon():
    """A shorter run is the first days of a longer one (the ablation test stops each arm on the
    day its outcome is read)."""
    short, long = sim.run(tiny("seed=3", "days=12")), sim.run(tiny("seed=3", "days=30"))
    pd.testing.assert_frame_equal(short.daily, long.daily.iloc[:13], check_dtype=False)
    pd.testing.assert_frame_equal(short.events, long.events[long.events["day"] <= 12])


def test_different_seeds_differ():
    """Another seed gives another history."""
    a, b = sim.run(tiny("seed=1")), sim.run(tiny("seed=2"))
    assert not a.daily.equals(b.daily)


def test_same_run_in_a_fresh_process(tmp_path):
    """A run written by `python -m sim` in a new process equals the in-process run."""
    out = tmp_path / "run"
    subprocess.run([sys.executable, "-m", "sim", "debug=tiny", "seed=3", f"hydra.run.dir={out}"],
                   check=True, capture_output=True)
    here = sim.run(tiny("seed=3"))
    there = pd.read_csv(out / "daily.csv")
    np.testing.assert_allclose(there["districts_taliban"], here.daily["districts_taliban"])
    np.testing.assert_allclose(there["taliban_fighters"], here.daily["taliban_fighters"])
    assert json.loads((out / "summary.json").read_text())["kabul_fell_day"] == \
        here.summary["kabul_fell_day"]


def test_streams_are_independent():
    """Drawing from one stream leaves the others' sequences unchanged."""
    a, b = Streams(7), Streams(7)
    a["air"].random(1000)
    assert a["combat"].random() == b["combat"].random()
    assert a["air"].random() != b["air"].random()


def test_replacing_a_stream_draws_it_as_the_other_seed_and_leaves_the_rest():
    """``Streams.replace`` (the onset-by-stream study) swaps one stream, and only that one."""
    mixed = Streams(7)
    mixed.replace("air", 8)
    assert mixed["air"].random() == Streams(8)["air"].random()
    assert mixed["combat"].random() == Streams(7)["combat"].random()


def test_air_lever_leaves_other_mechanisms_draws_alone():
    """Common random numbers: with or without air power, the initial state and the Taliban's
    first-day choices (made before any strike lands) are identical."""
    models = [OffensiveModel(tiny("seed=4", f"air={air}")) for air in ("historical", "none")]
    for m in models:
        m.step()
    positions = [[(u.district, u.target) for u in m.units()] for m in models]
    assert positions[0] == positions[1]
    np.testing.assert_array_equal(models[0].initial_control, models[1].initial_control)


def test_branching_shares_the_past_and_reproduces_a_plain_run():
    """An arm branched with the base config equals a plain run; other arms share every day up
    to the branch day and differ only after it."""
    base = tiny("days=60", "seed=2")
    arms = sim.branch(base, {"same": base, "none": tiny("days=60", "seed=2", "air=none")}, day=20)
    plain = sim.run(base)
    pd.testing.assert_frame_equal(arms["same"].daily, plain.daily)
    pd.testing.assert_frame_equal(arms["none"].daily.iloc[:21], plain.daily.iloc[:21],
                                  check_dtype=False)
    assert not arms["none"].daily.iloc[21:].equals(plain.daily.iloc[21:])


def test_branch_day_out_of_range_is_a_clear_error():
    """A branch day beyond the run is refused before any work."""
    with pytest.raises(sim.ConfigError, match="branch day"):
        sim.branch(tiny(), {}, day=999)
