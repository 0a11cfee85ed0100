"""Studies and sweeps: experiment files launch, launchers agree, the collector is robust."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import sim

ROOT = Path(__file__).resolve().parents[1]
EXPERIMENTS = sorted(p.stem for p in (ROOT / "configs" / "experiment").glob("*.yaml"))
SMALL = ["debug=tiny", "days=8", "seeds=2"]
sys.path.insert(0, str(ROOT / "experiments"))

import compare  # noqa: E402


def sweep(tmp: Path, *overrides: str) -> subprocess.CompletedProcess:
    """Run `python -m sim` with the overrides, sweep folder ``tmp``."""
    return subprocess.run([sys.executable, "-m", "sim", *overrides, f"hydra.sweep.dir={tmp}"],
                          capture_output=True, text=True, check=False, cwd=ROOT)


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    """Each named study swept once (serially, small) for the module; its folder."""
    done = {}

    def sweep_of(experiment: str) -> Path:
        if experiment not in done:
            folder = tmp_path_factory.mktemp(experiment)
            proc = sweep(folder, f"experiment={experiment}", *SMALL)
            assert proc.returncode == 0, proc.stderr[-2000:]
            done[experiment] = folder
        return done[experiment]

    return sweep_of


@pytest.mark.parametrize("experiment", EXPERIMENTS)
def test_every_experiment_launches_on_the_tiny_config(experiment, swept):
    """Each named study runs all its arms over the same seeds and compares cleanly."""
    tmp_path = swept(experiment)
    assert compare.main([str(tmp_path)]) == 0
    runs = pd.read_parquet(tmp_path / "runs.parquet")
    seeds = runs.groupby("arm")["seed"].apply(sorted)
    assert len(seeds) >= 2 and all(s == [0, 1] for s in seeds)
    assert set(runs["arm"]) == set(runs["scenario"])
    comparison = pd.read_csv(tmp_path / "comparison.csv")
    assert set(comparison["n"]) <= {0, 2}  # 0: districts on dates past these 8-day runs
    assert (comparison.loc[comparison["kind"] != "continuous", "n"] == 2).all()
    assert (tmp_path / "compare.png").exists()


def test_serial_and_parallel_sweeps_give_identical_tables(swept, tmp_path):
    """The joblib launcher and the basic one produce the same runs.csv."""
    assert sweep(tmp_path, "experiment=air_support", *SMALL, "hydra/launcher=parallel",
                 "hydra.launcher.n_jobs=2").returncode == 0
    tables = []
    for folder in (swept("air_support"), tmp_path):
        assert compare.main([str(folder)]) == 0
        tables.append(pd.read_csv(folder / "runs.csv").drop(columns="folder"))
    pd.testing.assert_frame_equal(*tables)


def test_submitit_launcher_runs_the_cluster_code_path(tmp_path):
    """The submitit launcher (local executor) runs a sweep with no code change."""
    proc = sweep(tmp_path, "-m", "debug=tiny", "days=3", "seed=0,1",
                 "hydra/launcher=local_submitit")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert len(list(tmp_path.glob("*/summary.json"))) == 2


def test_collector_reports_incomplete_runs_and_rerun_skips_complete_ones(tmp_path, capsys):
    """A run without summary.json is reported, not fatal; a rerun only redoes what is missing."""
    args = ["-m", "debug=tiny", "days=3", "seed=0,1,2"]
    assert sweep(tmp_path, *args).returncode == 0
    folders = sorted(p.parent for p in tmp_path.glob("*/summary.json"))
    (folders[0] / "summary.json").unlink()
    assert compare.main([str(tmp_path)]) == 0
    assert "incomplete run" in capsys.readouterr().err
    assert len(pd.read_csv(tmp_path / "runs.csv")) == 2
    rerun = sweep(tmp_path, *args)
    assert rerun.stdout.count("already complete: skipped") == 2
    assert json.loads((folders[0] / "summary.json").read_text())["seed"] == 0


def test_compare_rejects_a_missing_folder(tmp_path, capsys):
    """A wrong sweep folder is one clear error, exit code 2."""
    assert compare.main([str(tmp_path / "nope")]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_sensitivity_script_writes_indices(tmp_path):
    """The SALib study runs end to end on the tiny config and writes both index tables."""
    from sim.studies import sensitivity

    sensitivity.main(["--trajectories", "2", "--sobol-n", "4", "--top", "2", "--workers", "1",
                      "--out", str(tmp_path), "debug=tiny", "days=20"])
    morris = pd.read_csv(tmp_path / "morris.csv")
    sobol = pd.read_csv(tmp_path / "sobol.csv")
    assert set(morris["parameter"]) == set(sensitivity.PARAMETERS)
    assert sobol["parameter"].nunique() == 2 and (tmp_path / "sobol.png").exists()


def test_sensitivity_counts_a_capital_that_never_fell_at_the_horizon():
    """A run in which no capital fell counts as its last day (restricted time), not days + 30."""
    from sim.studies import sensitivity

    result = sim.run(sim.load_config(["debug=tiny", "days=5", "seed=0"]))
    assert result.summary["first_capital_fell_day"] is None
    assert sensitivity.outcomes(result)[2] == 5


def test_slurm_launcher_config_composes():
    """The SLURM launcher config resolves to submitit's SlurmLauncher with our job sizes."""
    proc = subprocess.run([sys.executable, "-m", "sim", "experiment=air_support",
                           "hydra/launcher=slurm", "hydra.launcher.partition=p", "--cfg", "hydra"],
                          capture_output=True, text=True, check=False, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "submitit_launcher.SlurmLauncher" in proc.stdout and "partition: p" in proc.stdout


def test_arms_are_named_by_what_the_sweep_varied(tmp_path):
    """A plain override sweep (air=historical,none) is compared arm by arm, baseline found."""
    assert sweep(tmp_path, "-m", "debug=tiny", "days=4", "air=historical,none",
                 "seed=0,1").returncode == 0
    assert compare.main([str(tmp_path)]) == 0
    runs = pd.read_csv(tmp_path / "runs.csv")
    assert set(runs["arm"]) == {"air=historical", "air=none"}
    comparison = pd.read_csv(tmp_path / "comparison.csv")
    assert set(comparison["arm"]) == {"air=none"} and set(comparison["baseline"]) == {
        "air=historical"}
    assert (comparison.loc[comparison["kind"] != "continuous", "n"] == 2).all()
