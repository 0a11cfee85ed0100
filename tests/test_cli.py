"""`python -m sim`: bad commands stop with one line before Hydra writes anything; sweeps reuse
only identical runs and grow without duplicates; the printed summary names what was run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from sim.outputs.result import config_hash
from sim.studies import compare

ROOT = Path(__file__).resolve().parents[1]
STUDY = ["experiment=air_support", "debug=tiny", "days=2"]


def sim_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run `python -m sim` with the arguments (this checkout's package)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True,
                          check=False, cwd=cwd, env=env)


@pytest.mark.parametrize(("args", "expected"), [
    (["days=abc"], "days=abc: must be an integer in [1, 3650] days"),
    (["foo=1"], "foo: no such parameter; top-level keys: seed, days, seeds"),
    (["+typo=1"], "typo: no such parameter; top-level keys: seed, days, seeds"),
    (["+taliban.sensing_hop=3"],
     "taliban.sensing_hop: no such parameter; keys of taliban: taliban.rate_recruit"),
    (["+taliban.rate_recrut=3"],
     "taliban.rate_recrut: no such parameter; nearest valid key: taliban.rate_recruit"),
    (["taliban.rate_recrut=3"],
     "taliban.rate_recrut: no such parameter; nearest valid key: taliban.rate_recruit"),
    (["space.province_side=1.5"],
     "space.province_side=1.5: must be an integer in [2, 30] districts"),
    (["air=bogus"], "air=bogus: no such option; choose one of historical, none, sustained"),
    (["debug=tny"], "debug=tny: no such option; choose one of tiny"),
    (["-m", "experiment=air_lever"],
     "experiment=air_lever: no such option; choose one of air_dose, air_levers, air_support"),
    (["-m", "air=historical,bogus"], "air=bogus: no such option"),
    (["-m", "seed=0,1", "days=5,abc"], "days=abc: must be an integer"),
    (["seed=0,1"], "seed=0,1: a sweep needs -m (multirun)"),
    (["forces.n_taliban=-5"], "forces.n_taliban=-5: must be in [1, 500000] fighters"),
])
def test_bad_command_gives_one_line_and_writes_nothing(args, expected, tmp_path):
    """Each bad override: one stderr line naming it (and what is allowed), exit 2, no folder."""
    proc = sim_cli(*args, f"hydra.run.dir={tmp_path / 'run'}",
                   f"hydra.sweep.dir={tmp_path / 'sweep'}", cwd=tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.startswith(f"error: {expected}")
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_misspelt_key_in_a_scenario_file_gives_one_line(tmp_path):
    """A user's scenario file with an unknown key: one line naming the file, key and nearest key."""
    (tmp_path / "mine" / "scenario").mkdir(parents=True)
    (tmp_path / "mine" / "scenario" / "x.yaml").write_text(
        "# @package _global_\nsupply:\n  rate_road_dayz: 3\n")
    proc = sim_cli(f"hydra.searchpath=[file://{tmp_path / 'mine'}]", "scenario=x",
                   f"hydra.run.dir={tmp_path / 'run'}", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == ("error: scenario/x.yaml: supply.rate_road_dayz: no such parameter; "
                           "nearest valid key: supply.rate_road_days\n")


def test_output_folder_under_a_file_gives_one_line(tmp_path):
    """An output folder that cannot be created: one line naming hydra.run.dir, exit 2."""
    blocker = tmp_path / "file"
    blocker.write_text("")
    proc = sim_cli("debug=tiny", f"hydra.run.dir={blocker / 'run'}", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr == f"error: hydra.run.dir={blocker / 'run'}: {blocker} is a file, not a folder\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through read-only permissions")
def test_read_only_output_folder_gives_one_line(tmp_path):
    """A read-only output folder: one line naming hydra.sweep.dir, exit 2, nothing written."""
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    proc = sim_cli("-m", "debug=tiny", "seed=0,1", f"hydra.sweep.dir={locked / 'sweep'}",
                   cwd=tmp_path)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert proc.stderr.startswith(f"error: hydra.sweep.dir={locked / 'sweep'}: cannot write")
    assert list(locked.iterdir()) == []


def runs_of(sweep: Path) -> dict[str, dict]:
    """Each run folder of a sweep: its overrides, resolved config and summary."""
    out = {}
    for folder in sorted(p for p in sweep.iterdir() if (p / "summary.json").exists()):
        out[folder.name] = {
            "overrides": yaml.safe_load((folder / ".hydra" / "overrides.yaml").read_text()),
            "config": yaml.safe_load((folder / "config.yaml").read_text()),
            "summary": json.loads((folder / "summary.json").read_text()),
        }
    return out


@pytest.fixture(scope="module")
def study(tmp_path_factory) -> Path:
    """The small study swept once (seeds=2) for the module; tests sweep again into a copy."""
    folder = tmp_path_factory.mktemp("study") / "sweep"
    first = sim_cli("seeds=2", *STUDY, f"hydra.sweep.dir={folder}")
    assert first.returncode == 0, first.stderr[-2000:]
    return folder


def copy_of(study: Path, tmp_path: Path) -> Path:
    """A test's own copy of the study folder, so its second sweep leaves the original alone."""
    return Path(shutil.copytree(study, tmp_path / "sweep"))


def test_a_changed_config_never_reuses_a_run(study, tmp_path):
    """The issue's sequence: the same study, then with forces.n_taliban changed, into one folder.

    The second sweep reuses nothing: every run folder's data are for the config its overrides
    name, and its summary carries that config's hash.
    """
    tmp_path = copy_of(study, tmp_path)
    second = sim_cli("seeds=2", *STUDY, "forces.n_taliban=3000", f"hydra.sweep.dir={tmp_path}")
    assert second.returncode == 0, second.stderr[-2000:]
    assert "skipped" not in second.stdout
    runs = runs_of(tmp_path)
    assert len(runs) == 12
    for name, run in runs.items():
        wanted = 3000 if "forces.n_taliban=3000" in run["overrides"] else 5400
        assert run["config"]["forces"]["n_taliban"] == wanted, name
        assert run["summary"]["config_hash"] == config_hash(run["config"]), name


def test_growing_a_study_extends_it_without_duplicates(study, tmp_path):
    """seeds=2 then seeds=3 into one sweep folder: 6 runs reused, 3 added, one folder per arm and
    seed, and the study size names no arm; the comparison finds the three arms of seeds 0, 1, 2
    and the default baseline."""
    tmp_path = copy_of(study, tmp_path)
    grown = sim_cli("seeds=3", *STUDY, f"hydra.sweep.dir={tmp_path}")
    assert grown.returncode == 0, grown.stderr[-2000:]
    assert grown.stdout.count("already complete: skipped") == 6
    runs = runs_of(tmp_path)
    assert len(runs) == 9 and not any("seeds" in name for name in runs)
    arms = {(r["summary"]["arm_hash"], r["summary"]["seed"]) for r in runs.values()}
    assert len(arms) == 9 and len({arm for arm, _ in arms}) == 3
    assert "scenario=no_air,seed=2" in {n.split("debug=tiny,")[-1] for n in runs}
    assert compare.main([str(tmp_path)]) == 0
    compared = pd.read_parquet(tmp_path / "runs.parquet")
    assert compared.groupby("arm")["seed"].apply(sorted).to_dict() == {
        a: [0, 1, 2] for a in ("historical", "no_air", "sustained_air")}
    comparison = pd.read_csv(tmp_path / "comparison.csv")
    assert set(comparison["baseline"]) == {"historical"}
    assert (comparison.loc[comparison["kind"] != "continuous", "n"] == 3).all()


def test_a_folder_is_reused_only_for_the_same_config(tmp_path):
    """One run folder, three commands: run, rerun with another config (replaced), rerun (reused)."""
    folder = tmp_path / "run"
    base = ["debug=tiny", "days=3", f"hydra.run.dir={folder}"]
    assert sim_cli(*base).returncode == 0
    first = json.loads((folder / "summary.json").read_text())["config_hash"]
    changed = sim_cli(*base, "forces.n_taliban=3000")
    assert changed.returncode == 0 and "rerunning" in changed.stdout
    config = yaml.safe_load((folder / "config.yaml").read_text())
    summary = json.loads((folder / "summary.json").read_text())
    assert config["forces"]["n_taliban"] == 3000
    assert summary["config_hash"] == config_hash(config) != first
    again = sim_cli(*base, "forces.n_taliban=3000")
    assert again.returncode == 0 and "already complete: skipped" in again.stdout


def test_summary_counts_capitals_and_names_the_overrides(tmp_path):
    """The printed summary: 'scenario historical, air=none' and 'N of 4' capitals on tiny."""
    proc = sim_cli("debug=tiny", "days=3", "air=none", "seed=2",
                   f"hydra.run.dir={tmp_path / 'run'}")
    assert proc.returncode == 0, proc.stderr[-2000:]
    first, second = proc.stdout.splitlines()[:2]
    assert first.startswith("scenario historical, debug=tiny, days=3, air=none, seed 2")
    assert second.endswith("provincial capitals taken: 0 of 4")
