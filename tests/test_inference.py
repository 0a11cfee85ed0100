"""Calibration as inference: likelihood terms, emulators, resumable runs, the posterior and its use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from scipy import stats
from scipy.special import logsumexp
from scipy.stats import qmc

import sim
from sim.config import priors
from sim.inference import (
    adaptive_importance,
    inference,
    likelihood,
    posterior_file,
    run_store,
    synthetic_likelihood,
)
from sim.inference.emulated_posterior import EmulatedLikelihood, sample
from sim.inference.emulator import CUTOFF, Emulator, max_implausibility
from sim.studies import compare
from sim.uncertainty import realise

POSTERIOR = Path(__file__).resolve().parent.parent / "sim" / "data" / "posterior.csv"


def record_obs(**changes) -> dict:
    """Observations that reproduce the record exactly (shares, event days), then ``changes``."""
    points = likelihood.record_points()
    obs = {"share": list(points["observed"] / points["total"]), "first_capital": 97, "kabul": 106,
           "horizon": 120, "assault": 2, "other": 8}
    return {**obs, **changes}


def test_count_term_falls_as_the_run_moves_away_from_the_record_on_either_side():
    """Against 229 of 407 (0.563), a run at 0.97 scores below one at 0.85, and so on outward: the
    beta-binomial with the run's share as mean scored 0.97 above 0.85 (U-shaped near 1)."""
    sd = likelihood.share_sd("districts", "high")
    up = [likelihood.count_logpmf(229, 407, s, sd) for s in (0.563, 0.65, 0.75, 0.85, 0.97, 1.0)]
    down = [likelihood.count_logpmf(229, 407, s, sd) for s in (0.563, 0.45, 0.3, 0.1, 0.0)]
    assert np.all(np.diff(up) < 0) and np.all(np.diff(down) < 0)
    near_zero = [likelihood.count_logpmf(1, 34, s, sd) for s in (1 / 34, 0.2, 0.5)]
    assert np.all(np.diff(near_zero) < 0)


def test_each_series_prefers_the_record_to_a_shifted_run():
    """Every term is larger for a run that reproduces the record than for one that misses it."""
    exact = likelihood.terms(record_obs())
    off = likelihood.terms(record_obs(share=[min(s + 0.2, 1.0) for s in record_obs()["share"]],
                                      first_capital=70, kabul=80, assault=9, other=1))
    assert set(exact) == set(likelihood.SERIES)
    for series in likelihood.SERIES:
        assert exact[series] > off[series], series


def test_a_run_without_the_event_counts_at_its_horizon_not_dropped():
    """Kabul not fallen by day 120 gives the record day 106 the density at 120; if the record is
    cut at day 69, a run whose event comes after it is fully compatible, one before is not."""
    sd = likelihood.day_sd("high")
    assert likelihood.time_logpdf(106, None, 120, sd) == pytest.approx(
        stats.norm.logpdf(106, 120, sd))
    assert likelihood.time_logpdf(106, None, 120, sd, until_day=69) == pytest.approx(0, abs=1e-6)
    assert likelihood.time_logpdf(106, 50, 120, sd, until_day=69) < np.log(0.01)


def test_seeds_are_replicates_whose_likelihoods_are_averaged():
    """The log likelihood of a set is the log of the mean of its seeds' likelihoods."""
    a, b = record_obs(), record_obs(kabul=90)
    la, lb = (sum(likelihood.terms(o).values()) for o in (a, b))
    assert likelihood.loglik([a, b]) == pytest.approx(np.log((np.exp(la) + np.exp(lb)) / 2))


def test_the_time_split_leaves_out_later_points():
    """Fitting to day 69 ignores every count dated later and the causes."""
    late = record_obs(share=[s if d <= 69 else 0.0 for s, d in
                             zip(record_obs()["share"], likelihood.record_points()["day"],
                                 strict=True)], assault=50, other=0)
    assert likelihood.loglik([late], 69) == pytest.approx(likelihood.loglik([record_obs()], 69))


def spread_sets(spread: float, shift: float = 0.0) -> list[list[dict]]:
    """Ten sets of two seeds around the record: set 0 centred on it, set 1 moved ``shift`` in
    every share, the rest random; each pair of seeds ``spread`` apart in share and in days."""
    rng = np.random.default_rng(3)
    base = np.array(record_obs()["share"])
    sets = []
    for i in range(10):
        centre = base + (0.0 if i == 0 else shift if i == 1 else rng.normal(0, 0.05))
        sets.append([record_obs(share=list(np.clip(centre + d * spread / 2, 0, 1)),
                                first_capital=97 + d * 50 * spread, kabul=106 + d * 50 * spread)
                     for d in (-1, 1)])
    return sets


def test_the_synthetic_likelihood_prefers_the_record_and_widens_with_the_seed_spread():
    """A set centred on the record beats one 0.1 off it, and the gap shrinks when seeds of the
    same set differ more: the run-to-run spread widens the likelihood instead of deciding it."""
    def gap(spread):
        centred, shifted = synthetic_likelihood.synthetic_loglik(spread_sets(spread, 0.1))[:2]
        return centred - shifted
    assert gap(0.02) > gap(0.2) > 0


def test_the_synthetic_likelihood_depends_on_a_set_only_through_its_seeds_mean():
    """Swapping a set's seeds changes nothing, and a set of one perfect and one hopeless seed
    ranks below a set of two fair ones: one lucky seed carries a set in the mean of the seeds'
    likelihoods, not here."""
    sets = spread_sets(0.1)
    swapped = [list(reversed(s)) for s in sets]
    assert synthetic_likelihood.synthetic_loglik(swapped) == pytest.approx(
        synthetic_likelihood.synthetic_loglik(sets))
    lucky = [record_obs(), record_obs(share=[0.0] * len(record_obs()["share"]), kabul=None)]
    seed_mean, synthetic = (synthetic_likelihood.set_logliks([lucky, *sets], kind=k)
                            for k in ("seed-mean", "synthetic"))
    assert seed_mean[0] > seed_mean[1] and synthetic[0] < synthetic[1]


def test_the_synthetic_likelihood_needs_two_seeds_and_keeps_the_time_split():
    """One seed a set is refused; fitted to day 69 it ignores every later count and the causes."""
    with pytest.raises(ValueError, match="at least 2 seeds"):
        synthetic_likelihood.synthetic_loglik([[record_obs()]])
    sets = spread_sets(0.05)
    late = [[{**o, "share": [s if d <= 69 else 0.0 for s, d in
                             zip(o["share"], likelihood.record_points()["day"], strict=True)],
              "assault": 50, "other": 0} for o in runs] for runs in sets]
    assert synthetic_likelihood.synthetic_loglik(late, 69) == pytest.approx(
        synthetic_likelihood.synthetic_loglik(sets, 69))
    with pytest.raises(ValueError, match="likelihood='other'"):
        synthetic_likelihood.set_logliks(sets, kind="other")


def missing_sets(miss: float) -> list[list[dict]]:
    """The sets of :func:`spread_sets` moved ``miss`` in every share and 100 x ``miss`` days."""
    return [[{**o, "share": list(np.clip(np.array(o["share"]) + miss, 0, 1)),
              "first_capital": o["first_capital"] - 100 * miss,
              "kabul": o["kabul"] - 100 * miss} for o in seeds] for seeds in spread_sets(0.05)]


def test_the_discrepancy_scale_grows_with_how_far_every_set_misses_the_record():
    """Sets around the record keep the judged discrepancy (the floor, scale 1); sets that all
    miss it get a larger one, the more so the further they miss, and the record is more probable
    under the fitted scale than under the judged one."""
    near, far, farther = (synthetic_likelihood.discrepancy_scale(missing_sets(m)) for m in (0, 0.2, 0.4))
    assert near == pytest.approx(1.0, abs=0.02)
    assert 1.3 < far < farther
    sets = missing_sets(0.4)
    evidence = [logsumexp(synthetic_likelihood.synthetic_loglik(sets, scale=c)) for c in (1.0, farther)]
    assert evidence[1] > evidence[0]


def test_a_stable_set_that_collapses_early_loses_to_one_near_the_record_among_knife_edges():
    """Among sets on the knife edge (one seed collapses in June, the other holds), a set whose
    seeds all collapse in June must rank below one whose seeds all follow the record: the knife
    edge's spread belongs to those sets, not to the stable ones."""
    shares = np.array(record_obs()["share"])
    rng = np.random.default_rng(7)

    def seed(collapse: bool, noise: float = 0.02) -> dict:
        values = np.ones_like(shares) if collapse else shares
        day = 30 if collapse else None
        return record_obs(share=list(np.clip(values + rng.normal(0, noise, len(shares)), 0, 1)),
                          **({"first_capital": day, "kabul": day} if collapse else {}))

    near = [seed(False) for _ in range(4)]
    collapsed = [seed(True) for _ in range(4)]
    knife = [[seed(True), seed(False), seed(True), seed(False)] for _ in range(20)]
    loglik = synthetic_likelihood.synthetic_loglik([near, collapsed, *knife])
    assert loglik[0] > loglik[1] + 10


def test_abc_judges_each_run_whole_so_a_bimodal_set_cannot_match_through_its_mean():
    """Seeds that either stall 0.25 below the record or run 0.3 above it have a mean near the
    record; abc judges each run whole, so such a set has no matching run, and a set that
    follows the record matches more often than one that runs steadily ahead of it."""
    shares = np.array(record_obs()["share"])
    rng = np.random.default_rng(5)

    def seed(shift: float, noise: float = 0.04) -> dict:
        values = np.clip(shares + shift + rng.normal(0, noise, len(shares)), 0, 1)
        return record_obs(share=list(values))

    follow = [[seed(0.0) for _ in range(8)] for _ in range(5)]
    bimodal = [[seed(-0.25 if k % 2 else 0.3) for k in range(8)] for _ in range(5)]
    late = [[seed(0.12) for _ in range(8)] for _ in range(5)]
    sets = follow + bimodal + late
    tolerance = likelihood.abc_tolerance(likelihood.run_logliks(sets), acceptance=0.3)
    abc = synthetic_likelihood.set_logliks(sets, kind="abc", tolerance=tolerance)
    assert np.all(np.isneginf(abc[5:10])) and np.all(np.isfinite(abc[:5]))
    assert np.exp(abc[:5]).mean() > np.exp(abc[10:]).mean()


def test_abc_weights_are_shares_of_matching_seeds_at_a_quantile_tolerance():
    """The tolerance is the (1 - acceptance) quantile of every run's log likelihood; a set's
    likelihood is its share of seeds at or above it, so one lucky seed of four weighs a quarter."""
    per_run = [np.array([1.0, 2.0, 3.0, 4.0]), np.array([5.0, 6.0, 7.0, 8.0])]
    assert likelihood.abc_tolerance(per_run, 0.5) == pytest.approx(4.5)
    assert likelihood.abc_tolerance(per_run, 0.25) == pytest.approx(6.25)
    observed = [[record_obs(kabul=d) for d in (106, 70, 60, 50)],
                [record_obs(kabul=d) for d in (106, 106, 105, 80)]]
    tolerance = likelihood.abc_tolerance(likelihood.run_logliks(observed), 0.5)
    share = np.exp(synthetic_likelihood.set_logliks(observed, kind="abc", tolerance=tolerance))
    assert share == pytest.approx([0.25, 0.75])
    assert np.exp(synthetic_likelihood.set_logliks(observed, kind="abc", tolerance=np.inf)) == \
        pytest.approx([0, 0])
    with pytest.raises(ValueError, match="acceptance=0"):
        likelihood.abc_tolerance(per_run, 0)
    with pytest.raises(ValueError, match="no finite tolerance"):
        likelihood.abc_tolerance([np.array([np.nan, 1.0])], 0.5)


def test_the_variance_prior_is_weak_when_sets_spread_differently_and_strong_when_alike():
    """Smyth's prior degrees of freedom: sets whose seeds share one spread give a strong prior
    (many degrees of freedom, centred near that spread); sets whose spreads differ a hundredfold
    give a weak one, so each set keeps mostly its own."""
    rng = np.random.default_rng(11)
    alike = [rng.normal(0, 0.1, (4, 5)) for _ in range(400)]
    apart = [rng.normal(0, 0.1 * 10 ** rng.uniform(-1, 1), (4, 5)) for _ in range(400)]
    d_alike, s0 = synthetic_likelihood.variance_prior(alike)
    d_apart, _ = synthetic_likelihood.variance_prior(apart)
    assert d_alike > 15 and np.allclose(s0, 0.01, rtol=0.2)
    assert d_apart < 5
    # seeds that agree exactly (values on a coarse grid) and sets of 2 and 6 seeds: the fit
    # counts the zero variances instead of dropping them (which would inflate d0)
    spread = 10 ** rng.uniform(-1, 1, 400)
    grid = [np.round(rng.normal(0, s, (4, 5)) / 0.05) * 0.05 for s in 0.1 * spread]
    assert np.mean([np.any(g.var(axis=0) == 0) for g in grid]) > 0.1
    assert synthetic_likelihood.variance_prior(grid)[0] < 5
    mixed = [rng.normal(0, 0.1, (2 if i % 2 else 6, 5)) for i in range(400)]
    assert synthetic_likelihood.variance_prior(mixed)[0] > 15


def test_the_emulated_posterior_finds_the_parameter_that_reproduces_the_record():
    """A toy model whose record points move with x0 (matching the record at x0 = 0.3) and not
    with x1: the posterior sampled on the emulators centres on x0 = 0.3 and leaves x1 spread
    over the region it is sampled on (x1 < 0.8)."""
    rng = np.random.default_rng(5)
    design = qmc.LatinHypercube(d=2, seed=2).random(40)
    shares = np.array(record_obs()["share"])
    observed = [[record_obs(share=list(np.clip(shares + 0.4 * (x0 - 0.3)
                                               + rng.normal(0, 0.02, len(shares)), 0, 1)),
                            first_capital=97 + 60 * (x0 - 0.3) + rng.normal(0, 3),
                            kabul=106 + 60 * (x0 - 0.3) + rng.normal(0, 3))
                 for _ in range(2)] for x0, _ in design]
    emulated = EmulatedLikelihood.fit(design, observed)
    draws, info = sample(emulated, design, lambda x: x[:, 1] < 0.8, 2000, 300, seed=1)
    assert abs(draws[:, 0].mean() - 0.3) < 0.05 and draws[:, 0].std() < 0.1
    assert draws[:, 1].std() > 0.15 and draws[:, 1].max() < 0.8  # spread over the region only
    assert 0 < inference.ess(info["weights_second"]) <= info["candidates"] <= info["proposed"]


def test_emulator_rules_out_what_an_analytic_function_cannot_match():
    """GP emulators of f(x) = sin(3 x0) + x1**2 predict it within their error, and the
    implausibility keeps points with f(x) near the target while ruling out those far from it."""
    def f(x):
        return np.sin(3 * x[:, 0]) + x[:, 1] ** 2
    x = qmc.LatinHypercube(d=2, seed=1).random(40)
    em = Emulator.fit(x, f(x)[:, None], ["f"], [1.0], [0.01 ** 2], [0.0])
    test = qmc.LatinHypercube(d=2, seed=2).random(200)
    mean, var = em.predict(test)
    assert np.mean(np.abs(mean[:, 0] - f(test)) <= 3 * np.sqrt(var[:, 0] + 1e-4)) > 0.95
    worst = max_implausibility(test, [em])
    near, far = np.abs(f(test) - 1.0) < 0.01, np.abs(f(test) - 1.0) > 0.3
    assert (worst[near] <= CUTOFF).all() and (worst[far] > CUTOFF).all()


@pytest.fixture(scope="module")
def base() -> sim.SimConfig:
    """The tiny config over ten days: cheap runs for the machinery."""
    return sim.load_config(["debug=tiny", "days=10"])


def test_a_second_call_runs_nothing_new(base, tmp_path, monkeypatch):
    """Rerunning history matching on the same database finds every run and returns the same
    emulators' inputs; no run is launched the second time."""
    store = run_store.RunStore(tmp_path / "runs.sqlite")
    first = inference.history_match(base, 2, 3, 2, store)
    assert len(store) == 12
    monkeypatch.setattr(run_store, "run_many", lambda *a, **k: pytest.fail("ran a model"))
    again = inference.history_match(base, 2, 3, 2, run_store.RunStore(tmp_path / "runs.sqlite"))
    assert again.waves == first.waves


def test_posterior_draws_are_written_with_their_provenance(base, tmp_path):
    """posterior.csv: header naming code version, data and method; a weight column summing to
    1; one column per uncertain parameter, each inside its prior; read back as written."""
    store = run_store.RunStore(tmp_path / "runs.sqlite")
    result = inference.posterior_draws(base, inference.history_match(base, 1, 3, 1, store), 3,
                                       1, store, kind="seed-mean")
    path = posterior_file.write_posterior(result, tmp_path / "posterior.csv", "a command",
                                     method=posterior_file.method_line("seed-mean", result))
    check_posterior(path, draws=3)


def test_each_wave_reports_whether_the_base_set_survives(base, tmp_path):
    """history_match records, wave by wave, the largest implausibility of the base config's own
    values under the emulators so far (the point defaults' place in the region), and the
    posterior's header carries it; an override of the base moves it."""
    store = run_store.RunStore(tmp_path / "runs.sqlite")
    result = inference.history_match(base, 2, 4, 2, store)
    point = inference.to_unit(inference.base_set(base))
    assert point.shape == (1, len(inference.ranges()))
    for k, wave in enumerate(result.waves):
        expected = max_implausibility(point, result.emulators[:k + 1])[0]
        assert wave["base_implausibility"] == pytest.approx(expected)
    moved = sim.load_config(["debug=tiny", "days=10", "bargains.threshold_mean=0.6"])
    assert inference.base_set(moved)["bargains.threshold_mean"].item() == 0.6
    result = inference.posterior_draws(base, result, 3, 1, store, kind="seed-mean")
    path = posterior_file.write_posterior(result, tmp_path / "posterior.csv", "a command",
                                     method=posterior_file.method_line("seed-mean", result))
    header = "".join(ln for ln in path.read_text().splitlines() if ln.startswith("# waves:"))
    assert header.count("base set's implausibility") == 2  # the waves, not the draws


def test_emulated_draws_stay_in_the_region_and_run_nothing_new(base, tmp_path, monkeypatch):
    """``run --emulate``: the draws are replaced by as many emulated draws, each inside the
    region the draws were taken from, with equal weights, from the runs already made."""
    store = run_store.RunStore(tmp_path / "runs.sqlite")
    result = inference.posterior_draws(base, inference.history_match(base, 2, 6, 2, store), 8,
                                       2, store)
    monkeypatch.setattr(run_store, "run_many", lambda *a, **k: pytest.fail("ran a model"))
    result = inference.emulated_draws(base, result, 2, store, candidates=40)
    post = result.posterior
    assert len(post) == 8 and post["weight"].to_numpy() == pytest.approx(1 / 8)
    assert (post["implausibility"] <= result.waves[-2]["cutoff_used"]).all()
    assert result.waves[-1]["wave"] == "emulated" and "distinct" in result.sampling
    check_posterior(posterior_file.write_posterior(result, tmp_path / "p.csv", "a command",
                                              method="history matching, emulated"), draws=8)


@pytest.mark.parametrize("kind", ["synthetic", "abc"])
def test_refining_rounds_add_sets_in_the_region_and_weigh_every_set(base, tmp_path, kind,
                                                                    monkeypatch):
    """``run --rounds 2``: the draws keep their rows, each round adds its sets (run over the
    draws' seeds), all inside the draws' region; every set is weighted (abc: every set with a
    matching run), and the weights are the likelihood over the rounds' mixture density."""
    # two waves of six tiny runs leave a region of well under 1% of a round's proposals
    monkeypatch.setattr(adaptive_importance, "MAX_PROPOSALS", 5000)
    store = run_store.RunStore(tmp_path / "runs.sqlite")
    start = inference.posterior_draws(base, inference.history_match(base, 2, 6, 2, store), 8,
                                      2, store, kind=kind, acceptance=0.5)  # abc: several match
    draws = start.posterior.copy()
    result = inference.refine(base, start, 2, 5, 2, store, settle_seeds=4, kind=kind)
    post = result.posterior
    assert len(post) == 18 and list(post["round"]) == [0] * 8 + [1] * 5 + [2] * 5
    heavy = post.sort_values("weight", ascending=False)
    held = heavy["weight"].cumsum().shift(fill_value=0) < inference.SETTLE_MASS
    assert (heavy.loc[held, "seeds"] == 4).all() and set(post["seeds"]) <= {2, 4}
    settled = int((post["seeds"] == 4).sum()) * 2
    names = list(inference.ranges())
    np.testing.assert_allclose(post[names].to_numpy(float)[:8], draws[names].to_numpy(float))
    assert (post["implausibility"] <= result.waves[2]["cutoff_used"]).all()
    weighted = np.isfinite(post["loglik"].to_numpy())
    assert post["weight"].sum() == pytest.approx(1)
    assert ((post["weight"] > 0) == weighted).all() and weighted[:8].sum() >= 2
    # the draws' weights are their likelihoods over the rounds' mixture density, not alone
    x = inference.to_unit(post[names].iloc[:8])  # the draws' own values (rounds' are rounded)
    n = sum(r.n for r in result.rounds)
    log_mix = logsumexp([np.log(r.n / n) + r.logpdf(x) for r in result.rounds], axis=0)
    expected = (post["loglik"].to_numpy()[:8] - log_mix)[weighted[:8]]
    got = np.log(post["weight"].to_numpy()[:8][weighted[:8]])
    np.testing.assert_allclose(got - expected, got[0] - expected[0], atol=1e-6)
    assert np.ptp(log_mix) > 1e-3  # the rounds' densities differ between the draws
    assert [w["wave"] for w in result.waves[-2:]] == ["round 1", "round 2"]
    if kind == "abc":  # one tolerance, set by the draws' first runs, scores every set
        runs = [likelihood.run_logliks(run_store.evaluate(base, post[names].iloc[[i]],
                                                          range(s), store))[0]
                for i, s in enumerate(post["seeds"])]
        assert result.tolerance == likelihood.abc_tolerance([r[:2] for r in runs[:8]], 0.5)
        with np.errstate(divide="ignore"):
            shares = [np.log(np.mean(r >= result.tolerance)) for r in runs]
        np.testing.assert_array_equal(post["loglik"], shares)
        assert f"{result.tolerance:.2f}" in posterior_file.method_line(kind, result)
    assert len(store) == result.n_runs == 6 * 2 * 2 + 18 * 2 + settled
    path = posterior_file.write_posterior(result, tmp_path / "p.csv", "a command",
                                     method="history matching, rounds")
    check_posterior(path, draws=18)
    read = posterior_file.read_posterior(path)
    np.testing.assert_allclose(read["loglik"], post["loglik"], rtol=1e-5)  # -inf read back


def test_settling_reruns_the_heavy_sets_until_a_lucky_one_loses_its_weight(monkeypatch):
    """A set whose first two seeds happen to land on the record, and whose later seeds miss it
    by 0.3, takes the weight over two seeds; settling reruns the heavy sets over more seeds, and
    the weight moves to the set whose seeds all land near the record."""
    shares = np.array(record_obs()["share"])
    rng = np.random.default_rng(2)

    def seed_obs(row: int, seed: int) -> dict:
        miss = {0: 0.0 if seed < 2 else 0.3, 1: 0.1}.get(row, 0.5)
        return record_obs(share=list(np.clip(shares + miss + rng.normal(0, 0.03, len(shares)),
                                             0, 1)))

    def fake_evaluate(base, sets, seeds, store, workers=1):
        return [[seed_obs(int(row), seed) for seed in seeds] for row in sets["row"]]

    monkeypatch.setattr(inference, "evaluate", fake_evaluate)
    sets = pd.DataFrame({"row": range(12)})
    observed = fake_evaluate(None, sets, range(2), None)
    seeds_of = np.full(12, 2)

    def weights():
        loglik = synthetic_likelihood.synthetic_loglik(observed)
        return np.exp(loglik - logsumexp(loglik))

    assert weights().argmax() == 0
    added = inference.settle(None, sets, observed, seeds_of, weights, 8, None)
    assert weights().argmax() == 1 and weights()[1] > 0.9
    assert seeds_of[1] == 8 and seeds_of[0] >= 4 and (seeds_of[2:] == 2).all()
    assert added == (seeds_of[0] - 2) + 6


def check_posterior(path: Path, draws: int, every_prior: bool = True) -> None:
    """The format every posterior CSV must have.

    A posterior written now holds every uncertain parameter; with ``every_prior`` false (the
    packaged one, built before some parameters had priors) only those it holds are checked: a
    parameter it lacks keeps its default (sim.uncertainty).
    """
    header = [ln for ln in path.read_text().splitlines() if ln.startswith("#")]
    text = "\n".join(header)
    assert "git" in text and "data: sim/data/district_control.csv" in text
    assert "history matching" in text and "command:" in text
    table = posterior_file.read_posterior(path)
    assert len(table) >= draws
    assert table["weight"].sum() == pytest.approx(1.0, abs=1e-4)
    for name, (lo, hi, _) in priors().items():
        if every_prior or name in table.columns:
            assert table[name].between(lo, hi).all(), name


def test_reweighing_keeps_the_draws_and_weights_them_over_more_seeds(base, tmp_path):
    """The same draws, each weighted by its likelihood over the new seeds (the mean of each
    seed's likelihood), normalised; written in the posterior format with its method."""
    store = run_store.RunStore(tmp_path / "runs.sqlite")
    start = inference.posterior_draws(base, inference.history_match(base, 1, 3, 1, store), 3,
                                      1, store, kind="seed-mean").posterior
    result = inference.reweigh(base, start, range(3), store, kind="seed-mean")
    again = result.posterior
    names = list(inference.ranges())
    pd.testing.assert_frame_equal(again[names], start[names])
    observed = run_store.evaluate(base, start[names], range(3), store)
    loglik = np.array([likelihood.loglik(runs) for runs in observed])
    assert again["loglik"].to_numpy() == pytest.approx(loglik)
    assert not np.allclose(loglik, start["loglik"])  # three seeds, not the one of the start
    weight = np.exp(loglik - loglik.max())
    assert again["weight"].to_numpy() == pytest.approx(weight / weight.sum())
    assert result.n_runs == 9 and result.discrepancy_scale == 1.0
    check_posterior(posterior_file.write_posterior(result, tmp_path / "p.csv", "a command",
                                              method="history matching, reweighed"), draws=3)


def test_the_packaged_posterior_has_at_least_200_draws():
    """sim/data/posterior.csv, as committed, has the posterior format and >= 200 draws."""
    check_posterior(POSTERIOR, draws=200, every_prior=False)


@pytest.fixture(scope="module")
def flat_posterior(tmp_path_factory) -> Path:
    """Five unweighted draws spread over the priors (a posterior that is a design)."""
    path = tmp_path_factory.mktemp("posterior") / "posterior.csv"
    unit = qmc.LatinHypercube(d=len(priors()), seed=0).random(5)
    inference.from_unit(unit).to_csv(path, index=False)
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


def test_coverage_counts_the_record_points_inside_the_band():
    """Runs spread around the record cover all 28 points (10 in-sample to day 69, 18 after);
    runs shifted 0.3 above every share cover only the event days."""
    from sim.inference.predictive import coverage, coverage_summary

    shares = np.array(record_obs()["share"])
    around = [record_obs(share=list(shares + d), first_capital=97 + k, kabul=106 + k)
              for d, k in zip(np.linspace(-0.05, 0.05, 21), range(-10, 11), strict=True)]
    summary = coverage_summary(coverage(around)).set_index("sample")
    assert summary.loc["in", "points"] == 10 and summary.loc["out", "points"] == 18
    assert summary.loc["all", "coverage"] == 1.0
    shifted = [{**o, "share": list(np.array(o["share"]) + 0.3)} for o in around]
    assert coverage_summary(coverage(shifted)).set_index("sample").loc["all", "inside"] == 2


def test_an_unreadable_posterior_is_one_line_before_any_run(tmp_path):
    """uncertainty.posterior naming no file: one line naming the field, exit code 2, no folder."""
    proc = subprocess.run(
        [sys.executable, "-m", "sim", "debug=tiny", "uncertainty=posterior",
         f"uncertainty.posterior={tmp_path / 'none.csv'}", f"hydra.run.dir={tmp_path / 'run'}"],
        capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: uncertainty.posterior=") and proc.stderr.count("\n") == 1
    assert not (tmp_path / "run").exists()


def test_a_synthetic_likelihood_of_one_seed_is_one_line():
    """``infer.py run --draw-seeds 1`` with the synthetic likelihood: one line, exit code 2."""
    proc = subprocess.run([sys.executable, "-m", "sim.inference.infer", "run", "--seeds", "1",
                           "--likelihood", "synthetic"], capture_output=True, text=True, check=False,
                          cwd=Path(__file__).resolve().parent.parent)
    assert proc.returncode == 2 and proc.stderr.startswith(
        "error: --draw-seeds=1: the synthetic likelihood needs at least 2 seeds")


def test_an_acceptance_outside_zero_to_one_is_one_line():
    """``infer.py run --acceptance 0``: refused in one line naming the flag, before any run."""
    proc = subprocess.run([sys.executable, "-m", "sim.inference.infer", "run", "--acceptance", "0"],
                          capture_output=True, text=True, check=False,
                          cwd=Path(__file__).resolve().parent.parent)
    assert proc.returncode == 2 and proc.stderr == "error: --acceptance=0.0: must be in (0, 1]\n"


def test_emulating_another_likelihood_is_one_line():
    """``infer.py run --emulate`` samples the synthetic likelihood: with abc, refused."""
    proc = subprocess.run([sys.executable, "-m", "sim.inference.infer", "run", "--emulate"],
                          capture_output=True, text=True, check=False,
                          cwd=Path(__file__).resolve().parent.parent)
    assert proc.returncode == 2 and proc.stderr.startswith("error: --likelihood=abc: --emulate")


def test_an_emulated_time_split_is_one_line():
    """``infer.py run --emulate --until-day 69``: refused in one line, before any run."""
    proc = subprocess.run([sys.executable, "-m", "sim.inference.infer", "run", "--emulate",
                           "--until-day", "69"], capture_output=True, text=True, check=False,
                          cwd=Path(__file__).resolve().parent.parent)
    assert proc.returncode == 2 and proc.stderr.startswith("error: --until-day=69: --emulate")


def test_reweighing_a_missing_posterior_is_one_line():
    """``infer.py reweigh`` with no such source: one line naming the option, exit code 2."""
    proc = subprocess.run([sys.executable, "-m", "sim.inference.infer", "reweigh", "--source",
                           "no/such.csv"], capture_output=True, text=True, check=False,
                          cwd=Path(__file__).resolve().parent.parent)
    assert proc.returncode == 2 and proc.stderr == "error: --source=no/such.csv: no such file\n"
