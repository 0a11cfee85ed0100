"""Simulation-based inference: summaries that judge each run whole, independent seeds, NPE
(sbi), its checks and the posterior file. Fits run on the tiny config with small budgets; the
real-map build is an experiment (docs/inference.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim import targets
from sim.config import priors
from sim.inference import MissingExtraError, checks, posterior_file, summaries
from sim.inference.simulate import Problem, Simulations, generator, seeds, simulate

POSTERIOR = Path(__file__).resolve().parent.parent / "sim" / "data" / "posterior.csv"
PARAMS = ["bargains.threshold_mean", "surrender.logit_base"]
BUILD = ["build", "--set", "debug=tiny", "--set", "days=15", "--params", ",".join(PARAMS),
         "--runs", "80", "--rounds", "2", "--sbc", "20", "--predictive", "6", "--draws", "40",
         "--max-epochs", "10"]


def record_trace(first: int = 97, kabul: int = 106, horizon: int = 120) -> dict:
    """A 120-day run that reproduces the record exactly at every record point."""
    points = summaries.points()
    daily = np.zeros((horizon + 1, 4))
    for col, series in ((0, "districts"), (1, "contested")):
        part = points[points["series"] == series]
        days = [0, *part["day"], horizon]
        values = [part["share"].iloc[0], *part["share"], part["share"].iloc[-1]]
        daily[:, col] = np.round(np.interp(np.arange(horizon + 1), days, values) * 398)
        daily[part["day"], col] = part["share"] * 398
    caps = points[points["series"] == "capitals"]
    daily[caps["day"], 2] = caps["observed"]
    daily[caps["day"].max():, 2] = caps["observed"].iloc[-1]
    daily[first:, 2] = np.maximum(daily[first:, 2], 1)
    daily[kabul:, 3] = 1
    return {"daily": daily, "n_districts": 398, "n_capitals": 34, "assault": 2, "other": 8}


def stalled() -> dict:
    """A run that stalls: a quarter of the districts all summer, no capital falls."""
    daily = np.zeros((121, 4))
    daily[:, 0], daily[:, 1] = 0.27 * 398, 0.3 * 398
    return {"daily": daily, "n_districts": 398, "n_capitals": 34, "assault": 1, "other": 9}


def collapsed() -> dict:
    """A run that collapses early: everything by July, every capital on one day of June."""
    daily = np.zeros((121, 4))
    daily[:, 0] = np.minimum(398, np.linspace(80, 398 * 3, 121)).round()
    daily[50:, 2], daily[55:, 3] = 34, 1
    return {"daily": daily, "n_districts": 398, "n_capitals": 34, "assault": 3, "other": 7}


def test_a_run_that_reproduces_the_record_has_the_record_summary():
    """The record's summary vector is what a run through every record point gives, time split
    included (the first capital after 9 July reads as not yet fallen)."""
    names = summaries.names()
    x, record = summaries.summarise(record_trace()), summaries.record_summary()
    assert len(x) == len(record) == len(names)
    np.testing.assert_allclose(x[:24], record[:24], atol=1.5 / 398)
    np.testing.assert_allclose(x[24:], record[24:], atol=1e-9)
    split = summaries.summarise(record_trace(), summaries.SPLIT_DAY)
    np.testing.assert_allclose(split, summaries.record_summary(summaries.SPLIT_DAY), atol=1.5 / 398)
    assert dict(zip(summaries.names(summaries.SPLIT_DAY), split, strict=True))[
        "first_capital_fell"] == 0.0


def test_a_stall_and_a_collapse_cannot_average_to_the_record():
    """The mean of a stalled run's summaries and an early collapse's is far from the record in
    the run-level features, however close the mean of their shares comes: each run is a sample
    the estimator sees whole (no capital at all, or 34 on one day in June)."""
    names = summaries.names()
    stall, fall = summaries.summarise(stalled()), summaries.summarise(collapsed())
    mean = dict(zip(names, (stall + fall) / 2, strict=True))
    record = dict(zip(names, summaries.record_summary(), strict=True))
    assert abs(mean["districts 2021-08-10"] - record["districts 2021-08-10"]) < 0.1
    for run in (stall, fall):
        row = dict(zip(names, run, strict=True))
        assert abs(row["first_capital_day"] - 97) > 40 or row["first_capital_fell"] == 0
        assert row["busiest_day"] in (0, 34)  # the record's busiest day took 8
    assert dict(zip(names, stall, strict=True))["first_capital_day"] == 120  # censored at horizon


def test_a_short_run_sees_the_record_calendar_compressed_onto_its_own():
    """On the tiny config's 30 days, 15 August (day 106) is its last day and 9 July its day 20."""
    assert summaries.calendar(106, 30) == 30 and summaries.calendar(69, 30) == 20
    assert summaries.calendar(69, 120) == 69


def test_every_simulation_gets_its_own_seed_none_shared_across_parameter_sets(tmp_path):
    """The prior simulations' seeds are distinct, differ from the build seed's other streams,
    and a rerun with more runs asks for the same first runs and adds the rest (resumable)."""
    problem = Problem.of(sim.load_config(["debug=tiny", "days=5"]), PARAMS)
    first = simulate(problem, 6, tmp_path / "sims.npz", seed=3)
    assert len(set(first.seeds.tolist())) == 6
    assert len(np.unique(first.theta, axis=0)) == 6
    more = simulate(problem, 9, tmp_path / "sims.npz", seed=3)
    np.testing.assert_array_equal(more.seeds[:6], first.seeds)
    np.testing.assert_array_equal(more.summaries()[:6], first.summaries())
    assert len(set(more.seeds.tolist())) == 9
    fresh = seeds(50, generator(3, "predictive"), taken=more.seeds)
    assert not set(fresh.tolist()) & set(more.seeds.tolist()) and len(set(fresh.tolist())) == 50
    other = Problem.of(sim.load_config(["debug=tiny", "days=6"]), PARAMS)
    with pytest.raises(ValueError, match="another config"):
        simulate(other, 9, tmp_path / "sims.npz", seed=3)
    loaded = Simulations.load(tmp_path / "sims.npz")
    assert loaded.names == PARAMS and len(loaded) == 9


def test_coverage_counts_the_record_points_inside_the_band():
    """Runs spread around the record cover all 26 points (8 in-sample to day 69, 18 after);
    runs with every district and contested share 0.3 too high cover none of those 13 points,
    and still the capitals' 11 and the two event days."""
    around = []
    for k in range(-6, 7):
        run = record_trace(97 + k, 106 + k)
        run["daily"] = run["daily"].copy()
        run["daily"][:, :2] *= 1 + k / 100
        around.append(run)
    summary = checks.coverage_summary(checks.coverage(around)).set_index("sample")
    assert summary.loc["in", "points"] == 8 and summary.loc["out", "points"] == 18
    assert summary.loc["all", "coverage"] == 1.0
    shifted = []
    for run in around:
        high = {**run, "daily": run["daily"].copy()}
        high["daily"][:, :2] += 0.3 * 398
        shifted.append(high)
    table = checks.coverage(shifted)
    assert not table[table["series"].isin(["districts", "contested"])]["inside"].any()
    assert table["inside"].sum() == 13


def test_pattern_shares_of_traces_are_those_of_the_daily_tables(tiny_result):
    """The 2021-like share read from traces equals sim.targets' on the runs' daily tables."""
    run = summaries.trace(tiny_result)
    assert checks.pattern_table([run]).equals(
        targets.pattern_shares([tiny_result.daily], len(tiny_result.districts)))


def test_sbc_ranks_of_a_calibrated_posterior_are_uniform_and_of_a_narrow_one_are_not():
    """SBC's table on 200 datasets: ranks of draws from the exact posterior of a normal mean pass
    the KS test; draws from a posterior a third as wide pile up at both ends and fail."""

    class Exact:
        names = ["mu"]

        def __init__(self, shrink: float):
            self.shrink = shrink

        def sample(self, x, n, seed=0):
            rng = np.random.default_rng(seed)
            return (x[0] / 2 + rng.normal(0, np.sqrt(0.5) * self.shrink, n))[:, None]

    rng = np.random.default_rng(0)
    theta = rng.normal(0, 1, (200, 1))
    x = theta + rng.normal(0, 1, (200, 1))
    good = checks.sbc_table(checks.sbc(Exact(1.0), theta, x, draws=200), 200)
    bad = checks.sbc_table(checks.sbc(Exact(1 / 3), theta, x, draws=200), 200)
    assert good["ks_p"].iloc[0] > 0.01 and bad["ks_p"].iloc[0] < 0.01
    assert bad["rank_sd"].iloc[0] > good["rank_sd"].iloc[0]


def test_a_record_unlike_any_run_is_flagged_and_a_run_like_the_others_is_not():
    """record_typicality: a fresh draw from the simulations' distribution is typical; a point
    far outside their range is less typical than every simulation."""
    rng = np.random.default_rng(1)
    x = rng.normal(0, 1, (500, 6))
    assert checks.record_typicality(x, rng.normal(0, 1, 6)) > 0.05
    assert checks.record_typicality(x, np.full(6, 8.0)) == 0.0


def check_posterior(path: Path, draws: int) -> dict[str, str]:
    """The format every posterior written now has: header lines and draws inside the priors."""
    header = posterior_file.header(path)
    for key in ("data", "method", "library", "budget", "effective sample size", "coverage",
                "sbc", "2021-like", "record", "command"):
        assert key in header, key
    assert "sbi" in header["library"] and "independent" in header["effective sample size"]
    table = posterior_file.read(path)
    assert len(table) >= draws and "weight" not in table.columns
    ranges = priors()
    for name in table.columns.drop("draw"):
        assert table[name].between(*ranges[name][:2]).all(), name
    return header


def test_the_packaged_posterior_is_read_by_uncertainty_posterior():
    """sim/data/posterior.csv, as committed, has at least 200 draws of the priors' parameters;
    it predates sim.inference (the rebuilt one must pass check_posterior with 1,000 draws)."""
    table = posterior_file.read(POSTERIOR)
    assert len(table) >= 200
    assert {n for n in table.columns if n in priors()}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A whole build on the tiny config (15 days, 2 parameters, 80 runs in two rounds): the
    command itself, run from an empty folder."""
    pytest.importorskip("sbi")
    out = tmp_path_factory.mktemp("inference")
    elsewhere = tmp_path_factory.mktemp("cwd")
    from sim.inference.infer import main

    here = os.getcwd()
    os.chdir(elsewhere)
    try:
        assert main([*BUILD, "--out", str(out)]) == 0
    finally:
        os.chdir(here)
    assert not list(elsewhere.iterdir())  # nothing left where it ran (sbi's logs, say)
    return out


def test_the_build_writes_the_posterior_with_its_header_and_every_check(built):
    """posterior.csv (and the time split's) with method, library, budget, effective sample size,
    coverage, SBC and 2021-like lines; SBC, coverage and pattern tables and the SBC figure."""
    header = check_posterior(built / "posterior.csv", 40)
    assert "80 simulations in 2 rounds (40 from the prior, then 40" in header["budget"]
    assert header["command"].startswith("python -m sim.inference.infer build")
    assert "TSNPE" in header["method"] and "last round's proposal" in header["sbc"]
    check_posterior(built / "posterior_split.csv", 40)
    sbc = pd.read_csv(built / "sbc.csv")
    assert list(sbc["parameter"]) == PARAMS and sbc["ks_p"].between(0, 1).all()
    assert len(pd.read_csv(built / "sbc_ranks.csv")) == 20
    for name in ("coverage.csv", "coverage_split.csv"):
        assert len(pd.read_csv(built / name)) == 26
    assert "all" in pd.read_csv(built / "patterns.csv", index_col=0).index
    assert (built / "sbc.png").stat().st_size > 0 and (built / "marginals.png").exists()


def test_a_later_round_runs_its_proposal_on_seeds_no_earlier_run_took(built):
    """Round 2 runs the parameter sets its saved proposal drew, inside the prior box, each with
    a seed of its own that round 1 did not use."""
    first = Simulations.load(built / "simulations.npz")
    second = Simulations.load(built / "simulations_2.npz")
    with np.load(built / "proposal_2.npz") as f:
        np.testing.assert_allclose(second.theta, f["theta"])
        assert 0 < float(f["cover"]) <= 1
    box = Problem.of(sim.load_config(["debug=tiny"]), PARAMS)
    assert ((second.theta >= box.low) & (second.theta <= box.high)).all()
    assert len(first) == len(second) == 40
    assert not set(first.seeds.tolist()) & set(second.seeds.tolist())
    assert len(set(second.seeds.tolist())) == 40


def test_a_truncated_proposal_keeps_the_prior_near_the_posterior_and_drops_the_rest():
    """TSNPE's proposal given a posterior that is a narrow normal on the real line around the
    box's point (0.3, 0.7): every proposed draw lies within its 99.99% region (under 4.1 sd
    from its centre, about 9% of the prior's mass), drawn from the prior there."""
    torch = pytest.importorskip("torch")
    from sim.inference import npe

    centre = npe.to_real(np.array([0.3, 0.7]), np.zeros(2), np.ones(2))

    class Narrow(torch.distributions.Independent):
        prior = npe.Logistic(2)

        def sample(self, shape, show_progress_bars=False):
            return super().sample(shape)

    class Posterior:
        def set_default_x(self, x):
            return Narrow(torch.distributions.Normal(torch.tensor(centre, dtype=torch.float32),
                                                     0.2), 1)

    fit = npe.Fit(Posterior(), ["a", "b"], np.zeros(2), np.ones(2), 0, 0, 0.0)
    drawn, cover = fit.truncated_prior(np.zeros(3), 3000)
    z = npe.to_real(drawn, np.zeros(2), np.ones(2))
    assert drawn.shape == (3000, 2)
    assert np.sqrt((((z - centre) / 0.2) ** 2).sum(1)).max() < 4.5
    assert 0.07 < cover < 0.13  # the logistic prior's mass in that disc: 0.093
    assert (z[:, 0] > centre[0]).mean() > 0.53  # 0.567: the prior rises towards z = 0


def test_uncertainty_posterior_runs_the_built_draws(built):
    """uncertainty=posterior takes the built file: seed i runs draw i, other parameters keep
    their values (a posterior of two parameters; the real map's config, composed, not run: the
    tiny config sets both parameters, as levers, away from their defaults)."""
    from sim.uncertainty import realise

    path = built / "posterior.csv"
    config = sim.load_config(["uncertainty=posterior", f"uncertainty.posterior={path}", "seed=3"])
    drawn = realise(config)
    table = posterior_file.read(path)
    assert drawn.uncertainty.draw == 3
    assert drawn.bargains.threshold_mean == pytest.approx(table.loc[3, PARAMS[0]])
    assert drawn.campaign.p_commit == config.campaign.p_commit


def test_sbc_and_check_commands_redo_their_tables(built, tmp_path):
    """`sbc` recomputes the ranks from the saved estimator; `check` runs fresh-seed predictive
    runs of a posterior file and writes coverage and pattern tables under its name."""
    from sim.inference.infer import main

    before = pd.read_csv(built / "sbc.csv")
    assert main(["sbc", "--out", str(built)]) == 0
    pd.testing.assert_frame_equal(pd.read_csv(built / "sbc.csv"), before)
    assert main(["check", "--set", "debug=tiny", "--set", "days=15", "--posterior",
                 str(built / "posterior.csv"), "--runs", "4", "--out", str(tmp_path),
                 "--name", "fresh"]) == 0
    assert len(pd.read_csv(tmp_path / "coverage_fresh.csv")) == 26
    assert (tmp_path / "patterns_fresh.csv").exists()


def test_fitting_without_the_extra_is_one_line(monkeypatch, capsys, tmp_path):
    """Without torch and sbi, the build stops before any run with one line naming the extra."""
    import sim.inference

    monkeypatch.setitem(sys.modules, "sbi", None)
    monkeypatch.delitem(sys.modules, "sim.inference.npe", raising=False)
    monkeypatch.delattr(sim.inference, "npe", raising=False)
    from sim.inference.infer import main

    assert main(["build", "--set", "debug=tiny", "--runs", "2", "--sbc", "1",
                 "--out", str(tmp_path)]) == 2
    assert not list(tmp_path.iterdir())
    err = capsys.readouterr().err
    assert err.startswith("error: fitting needs the inference extra") and err.count("\n") == 1
    with pytest.raises(MissingExtraError):
        import sim.inference.npe  # noqa: F401


def test_the_command_runs_as_a_module():
    """`python -m sim.inference.infer --help` lists the build, sbc and check commands."""
    proc = subprocess.run([sys.executable, "-m", "sim.inference.infer", "--help"], capture_output=True,
                          text=True, check=True)
    assert all(word in proc.stdout for word in ("build", "sbc", "check"))
