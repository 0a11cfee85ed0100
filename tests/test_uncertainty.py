"""Parameter uncertainty in runs and studies: posterior draws by seed, levers kept, arms paired."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from scipy.stats import qmc

import sim
from sim.config import priors
from sim.studies import compare
from sim.uncertainty import realise


@pytest.fixture(scope="module")
def flat_posterior(tmp_path_factory) -> Path:
    """Five unweighted draws spread over the priors (a posterior that is a design)."""
    path = tmp_path_factory.mktemp("posterior") / "posterior.csv"
    ranges = priors()
    names = sorted(ranges)
    unit = qmc.LatinHypercube(d=len(names), seed=0).random(5)
    low, high = [ranges[n][0] for n in names], [ranges[n][1] for n in names]
    pd.DataFrame(qmc.scale(unit, low, high), columns=names).to_csv(path, index=False)
    return path


def test_a_parameter_missing_from_the_posterior_keeps_its_default(flat_posterior, tmp_path):
    """An uncertain parameter with no column in the posterior CSV keeps its default; the others
    take the draw's values."""
    path = tmp_path / "without.csv"
    pd.read_csv(flat_posterior).drop(columns="campaign.p_commit").to_csv(path, index=False)
    config = sim.load_config(["uncertainty=posterior", f"uncertainty.posterior={path}", "seed=2"])
    drawn = realise(config)
    assert drawn.campaign.p_commit == config.campaign.p_commit
    assert drawn.campaign.assault_odds == pytest.approx(pd.read_csv(path).loc[2,
                                                        "campaign.assault_odds"])


def test_posterior_runs_take_draw_i_and_keep_levers(flat_posterior):
    """Seed i uses draw i mod 5; a field the scenario sets away from its default is kept."""
    config = sim.load_config(["uncertainty=posterior", f"uncertainty.posterior={flat_posterior}",
                              "scenario=militias_early", "seed=7"])
    drawn = realise(config)
    table = pd.read_csv(flat_posterior)
    assert drawn.uncertainty.draw == 2
    assert drawn.campaign.p_commit == pytest.approx(table.loc[2, "campaign.p_commit"])
    assert drawn.forces.n_militia == 30_000
    assert realise(drawn) == drawn
    assert realise(sim.load_config(["seed=7"])) == sim.load_config(["seed=7"])


def test_a_three_arm_posterior_study_is_paired_and_counts_every_run(flat_posterior, tmp_path):
    """experiment=air_support uncertainty=posterior seeds=3: parameters differ from draw to draw
    (each run's config.yaml), agree across arms for the same seed, and the comparison's Kabul and
    first-capital outcomes use all three paired runs, including those where nothing fell."""
    proc = subprocess.run(
        [sys.executable, "-m", "sim", "experiment=air_support", "debug=tiny", "days=15",
         "seeds=3", "uncertainty=posterior", f"uncertainty.posterior={flat_posterior}",
         f"hydra.sweep.dir={tmp_path}"], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    configs = [yaml.safe_load((p.parent / "config.yaml").read_text())
               for p in tmp_path.rglob("summary.json")]
    assert len(configs) == 9
    by_seed: dict[int, set] = {}
    for config in configs:
        by_seed.setdefault(config["seed"], set()).add(config["campaign"]["p_commit"])
    assert all(len(values) == 1 for values in by_seed.values())  # same draw in every arm
    assert len({next(iter(v)) for v in by_seed.values()}) == 3  # different draws across seeds
    assert compare.main([str(tmp_path)]) == 0
    table = pd.read_csv(tmp_path / "comparison.csv")
    events = table[table["outcome"].str.contains("kabul|first_capital")]
    assert len(events) > 0 and (events["n"] == 3).all()
    kabul = events[events["outcome"] == "days_until_kabul_falls"]
    assert (kabul["arm_value"] == 15).all()  # Kabul held to the horizon: counted there, not dropped


def test_an_unreadable_posterior_is_one_line_before_any_run(tmp_path):
    """uncertainty.posterior naming no file: one line naming the field, exit code 2, no folder."""
    proc = subprocess.run(
        [sys.executable, "-m", "sim", "debug=tiny", "uncertainty=posterior",
         f"uncertainty.posterior={tmp_path / 'none.csv'}", f"hydra.run.dir={tmp_path / 'run'}"],
        capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: uncertainty.posterior=") and proc.stderr.count("\n") == 1
    assert not (tmp_path / "run").exists()
