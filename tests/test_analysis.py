"""Paired comparisons count every run: restricted means, Kaplan-Meier, McNemar, Holm."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.outputs import analysis

HORIZON = 120


def runs_frame(kabul: dict[str, list[float | None]], horizon: int = HORIZON) -> pd.DataFrame:
    """A runs table with one row per (arm, seed): Kabul's fall day (None: it held) and outcomes.

    The first capital falls ten days before Kabul (or never, with it); districts held at the
    end rise with the arm's index, so that continuous outcomes have something to compare.
    """
    rows = []
    for i, (arm, days) in enumerate(kabul.items()):
        for seed, day in enumerate(days):
            summary = {"scenario": arm, "seed": seed, "days": horizon,
                       "districts_taliban_on": dict.fromkeys(analysis.KEY_DATES, 50 + seed),
                       "final_districts_taliban": 100 + 5 * i + seed,
                       "equipment_captured": 10.0 * seed, "kabul_fell_day": day,
                       "first_capital_fell_day": None if day is None else day - 10}
            daily = pd.DataFrame({"surrenders_today": [1, seed], "negotiations_today": [i, 0]})
            rows.append({"arm": arm, **analysis.outcome_row(summary, daily)})
    return pd.DataFrame(rows)


def row(table: pd.DataFrame, arm: str, outcome: str) -> pd.Series:
    """The comparison row of one arm and outcome."""
    return table[(table["arm"] == arm) & (table["outcome"] == outcome)].iloc[0]


# Kabul falls on day 100 in every baseline run; the lever saves it in seven runs of ten.
SAVED = {"base": [100.0] * 10, "lever": [100.0, 100.0, 100.0, *[None] * 7]}


def test_restricted_mean_and_paired_test_use_every_run():
    """Runs in which Kabul held count at the horizon: n is all ten pairs, and the restricted mean,
    the estimate and the paired t-test are those of all ten restricted times."""
    table = analysis.compare_arms(runs_frame(SAVED), "base")
    days = row(table, "lever", "days_until_kabul_falls")
    lever = np.array([100, 100, 100, *[HORIZON] * 7], dtype=float)
    assert days["n"] == 10 and days["horizon"] == HORIZON
    assert days["arm_events"] == 3 and days["baseline_events"] == 10
    assert days["arm_value"] == pytest.approx(lever.mean()) == pytest.approx(114.0)
    assert days["baseline_value"] == pytest.approx(100.0)
    assert days["estimate"] == pytest.approx(14.0)
    assert days["p_value"] == pytest.approx(stats.ttest_rel(lever, np.full(10, 100.0)).pvalue)
    assert "restricted mean time to event up to day 120" in days["method"]


def test_a_lever_that_saves_kabul_is_not_pulled_to_zero():
    """Dropping the runs in which Kabul held would leave three pairs that differ by 0 days; every
    run counted, the effect is +14 days with an interval that excludes zero."""
    days = row(analysis.compare_arms(runs_frame(SAVED), "base"), "lever", "days_until_kabul_falls")
    assert days["n"] != 3 and days["estimate"] != 0
    assert days["low"] > 0 and days["high"] < 2 * 14


def test_first_capital_outcomes_count_every_run_too():
    """The first capital's time to fall and whether it fell are compared over all paired runs."""
    table = analysis.compare_arms(runs_frame(SAVED), "base")
    first = table[table["outcome"].str.contains("first_capital")]
    assert set(first["outcome"]) == {"days_until_first_capital_falls", "first_capital_falls"}
    assert (first["n"] == 10).all()
    assert row(table, "lever", "days_until_first_capital_falls")["estimate"] == pytest.approx(
        0.7 * (HORIZON - 90))


def test_mcnemar_exact_test_on_paired_yes_no_outcomes():
    """Kabul falls in 10 of 10 baseline runs and 3 of 10 lever runs: seven discordant pairs all
    one way give McNemar's exact p = 2 * 0.5**7, a difference of -0.7 and an interval below 0."""
    falls = row(analysis.compare_arms(runs_frame(SAVED), "base"), "lever", "kabul_falls")
    assert falls["n"] == 10
    assert falls["estimate"] == pytest.approx(-0.7)
    assert falls["p_value"] == pytest.approx(2 * 0.5**7)
    assert -1 <= falls["low"] < falls["high"] < 0
    assert falls["arm_value"] == pytest.approx(0.3) and falls["baseline_value"] == 1.0
    assert "McNemar" in falls["method"]


def test_bonett_price_interval_matches_its_formula():
    """The paired-proportion interval is Bonett and Price's adjusted Wald interval."""
    arm = np.array([True, True, False, False, True, False, True, True])
    base = np.array([True, False, False, True, False, False, False, True])
    estimate, low, high, p = analysis.paired_proportions(arm, base)
    n, b, c = 8, 3, 1  # pairs, arm-only, base-only
    p12, p21 = (b + 1) / (n + 2), (c + 1) / (n + 2)
    half = 1.959964 * np.sqrt((p12 + p21 - (p12 - p21) ** 2) / (n + 2))
    assert estimate == pytest.approx((b - c) / n)
    assert (low, high) == pytest.approx((p12 - p21 - half, p12 - p21 + half), abs=1e-6)
    assert p == pytest.approx(stats.binomtest(b, b + c).pvalue)


def test_kaplan_meier_matches_the_product_limit_by_hand():
    """Events on days 2 and 4, runs censored on days 3 and 5: S = 3/4 from day 2, 3/8 from day 4."""
    curve = analysis.kaplan_meier(pd.Series([2, np.nan, 4, np.nan]), pd.Series([6, 3, 6, 5]))
    assert curve["surviving"].tolist() == pytest.approx([1, 1, 0.75, 0.75, 0.375, 0.375, 0.375])
    assert (curve["low"] <= curve["surviving"]).all() and (curve["surviving"] <= curve["high"]).all()
    assert curve["low"].iloc[2] < 0.75 < curve["high"].iloc[2]


def test_restricted_mean_is_the_area_under_the_kaplan_meier_curve():
    """With every run followed to the horizon, the area under the curve up to it equals the mean
    of min(T, horizon) over all runs."""
    days = pd.Series([30, np.nan, 75, np.nan, 119, 120])
    curve = analysis.kaplan_meier(days, HORIZON)
    times, happened = analysis.restricted(days, HORIZON)
    assert analysis.restricted_mean(curve, HORIZON) == pytest.approx(times.mean())
    assert times.tolist() == [30, 120, 75, 120, 119, 120]
    assert happened.tolist() == [True, False, True, False, True, True]


def test_curves_and_tests_without_any_event_are_defined():
    """No run has the event: the curve stays at 1 with a band on it, the log-rank test is
    undefined (NaN) and the paired test finds nothing (p = 1), all without warnings."""
    curve = analysis.kaplan_meier(pd.Series([np.nan] * 4), HORIZON)
    assert (curve[["surviving", "low", "high"]] == 1).all().all()
    held = {"base": [None] * 4, "lever": [None] * 4}
    table = analysis.compare_arms(runs_frame(held), "base")
    days = row(table, "lever", "days_until_kabul_falls")
    assert np.isnan(days["p_logrank"]) and days["p_value"] == 1 and days["estimate"] == 0
    assert row(table, "lever", "kabul_falls")["p_value"] == 1


def test_holm_adjustment_by_hand():
    """Holm multiplies the k-th smallest of m p-values by m - k + 1, keeps the sequence monotone,
    caps at 1 and leaves NaN out of the family."""
    adjusted = analysis.holm(pd.Series([0.01, 0.04, np.nan, 0.03, 0.5]))
    expected = [0.04, 0.09, np.nan, 0.09, 0.5]
    assert adjusted.tolist() == pytest.approx(expected, nan_ok=True)


def test_comparison_is_adjusted_over_every_arm_and_outcome():
    """One Holm family over the whole table, stated in it; arms other than the baseline only."""
    kabul = {"base": [100.0] * 6, "a": [100.0, None, None, 90, 100, None],
             "b": [80.0, 85, 90, 95, 70, 60]}
    table = analysis.compare_arms(runs_frame(kabul, horizon=HORIZON), "base")
    assert set(table["arm"]) == {"a", "b"} and set(table["baseline"]) == {"base"}
    assert len(table) == 2 * len(analysis.OUTCOMES)
    assert list(table.columns[:9]) == ["arm", "baseline", "outcome", "kind", "estimate", "low",
                                       "high", "n", "method"]
    family = table["p_value"].notna().sum()
    assert (table["adjustment"] == f"Holm over {family} tests (all rows)").all()
    pd.testing.assert_series_equal(table["p_adjusted"], analysis.holm(table["p_value"]),
                                   check_names=False)
    assert (table["p_adjusted"].dropna() >= table["p_value"].dropna()).all()


def test_continuous_outcomes_are_paired_by_seed():
    """The mean paired difference pairs runs by seed, with the t-interval of the differences."""
    table = analysis.compare_arms(runs_frame({"base": [None] * 5, "up": [None] * 5}), "base")
    final = row(table, "up", "final_taliban")
    assert final["estimate"] == 5 and final["low"] == final["high"] == 5 and final["p_value"] == 0
    surrenders = row(table, "up", "surrenders_and_negotiations_total")
    assert surrenders["estimate"] == 1 and final["n"] == 5


def test_unpaired_seeds_are_left_out_of_the_pairs():
    """Only the seeds both arms ran are compared; n says how many."""
    runs = runs_frame({"base": [100.0] * 4, "lever": [None] * 6})
    table = analysis.compare_arms(runs, "base")
    assert (table["n"] == 4).all()


def test_a_shorter_arm_restricts_both_to_its_horizon():
    """Arms run for different horizons are both restricted to the shorter one."""
    runs = pd.concat([runs_frame({"base": [100.0] * 4}, horizon=120),
                      runs_frame({"short": [None] * 4}, horizon=90)])
    days = row(analysis.compare_arms(runs, "base"), "short", "days_until_kabul_falls")
    assert days["horizon"] == 90 and days["estimate"] == 0 and days["baseline_events"] == 0
