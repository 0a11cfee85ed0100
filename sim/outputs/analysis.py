"""Ensemble analysis: one outcome row per run, and paired comparisons of arms that count every run.

Arms are compared seed by seed (common random numbers). Outcomes come in three kinds:

- *continuous* (districts held on a date, surrenders...): the mean paired difference with a 95%
  t-interval and a paired t-test;
- *time to event* (the first provincial capital falls, Kabul falls): an event that has not happened
  by the run's horizon ``tau`` (its last day) is right-censored there. Dropping those runs would
  pull the effect of any lever that delays the event towards zero, so every run counts through
  its restricted time ``min(T, tau)``. The restricted mean time to event (RMST) is the area under
  the Kaplan-Meier curve up to ``tau``; arms are compared by the mean paired difference in
  restricted times (t-interval, paired t-test), with an (unpaired) log-rank p-value alongside;
- *binary* (the event happened by ``tau``): the paired difference in proportions with a
  Bonett-Price interval and McNemar's exact test.

The p-values of all arms and outcomes of a comparison are adjusted together by Holm's method.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd
from scipy import stats

KEY_DATES = ("2021-06-15", "2021-07-05", "2021-08-10")
EVENTS = {"first_capital": "first_capital_fell_day", "kabul": "kabul_fell_day"}
CONFIDENCE = 0.95


class Kind(StrEnum):
    """What an outcome is, which decides how arms are compared in it."""

    CONTINUOUS = "continuous"
    TIME_TO_EVENT = "time_to_event"
    BINARY = "binary"


@dataclass(frozen=True)
class Outcome:
    """An outcome of a run: its column in the runs table, its kind and what it means.

    Attributes:
        name: column of the runs table and ``outcome`` value of the comparison.
        kind: continuous, time to event or binary.
        doc: meaning and unit.
        event: for time-to-event and binary outcomes, the key of :data:`EVENTS` they are about.
    """

    name: str
    kind: Kind
    doc: str
    event: str | None = None


OUTCOMES: tuple[Outcome, ...] = (
    *(Outcome(f"taliban_{d}", Kind.CONTINUOUS, f"districts Taliban-held on {d}") for d in KEY_DATES),
    Outcome("final_taliban", Kind.CONTINUOUS, "districts Taliban-held on the last day"),
    Outcome("surrenders_and_negotiations_total", Kind.CONTINUOUS,
            "garrison surrenders plus negotiated handovers over the run (events)"),
    Outcome("equipment_captured", Kind.CONTINUOUS, "equipment captured by the Taliban (units)"),
    Outcome("days_until_first_capital_falls", Kind.TIME_TO_EVENT,
            "days until the first provincial capital falls, restricted to the horizon",
            "first_capital"),
    Outcome("days_until_kabul_falls", Kind.TIME_TO_EVENT,
            "days until Kabul falls, restricted to the horizon", "kabul"),
    Outcome("first_capital_falls", Kind.BINARY, "a provincial capital fell by the horizon",
            "first_capital"),
    Outcome("kabul_falls", Kind.BINARY, "Kabul fell by the horizon", "kabul"),
)


def outcome_row(summary: dict, daily: pd.DataFrame) -> dict:
    """The outcomes of one run, from its summary and daily table.

    Event days are ``NaN`` when the event did not happen; ``days_until_*`` is the restricted time
    ``min(event day, horizon)`` and ``*_falls`` whether the event happened, so that every run
    carries a value.
    """
    horizon = summary["days"]
    on = summary["districts_taliban_on"]
    row = {
        "scenario": summary["scenario"], "seed": summary["seed"], "days": horizon,
        **{f"taliban_{d}": on.get(d, np.nan) for d in KEY_DATES},
        "final_taliban": summary["final_districts_taliban"],
        "surrenders_and_negotiations_total": int(
            daily[["surrenders_today", "negotiations_today"]].sum().sum()),
        "equipment_captured": summary["equipment_captured"],
    }
    for event, key in EVENTS.items():
        day = summary[key]
        row[key] = np.nan if day is None else day
        row[f"days_until_{event}_falls"] = horizon if day is None else min(day, horizon)
        row[f"{event}_falls"] = day is not None and day <= horizon
    return row


def _days(event_day: pd.Series) -> np.ndarray:
    """Event days as floats, NaN where the event did not happen (None, NA or NaN)."""
    return pd.Series(event_day).astype("float64").to_numpy()


def restricted(event_day: pd.Series, tau: int) -> tuple[np.ndarray, np.ndarray]:
    """Restricted times ``min(T, tau)`` and whether the event happened by ``tau``.

    Args:
        event_day: day of the event in each run, ``NaN`` where it did not happen.
        tau: the horizon (days), at most the horizon of every run.
    """
    day = _days(event_day)
    happened = ~np.isnan(day) & (day <= tau)
    return np.where(happened, day, tau), happened


def kaplan_meier(event_day: pd.Series, horizon: pd.Series | int) -> pd.DataFrame:
    """Kaplan-Meier curve of "the event has not happened yet", day by day.

    Each run is followed to its own horizon, where it is censored if the event has not happened.
    The 95% pointwise band is the log-log interval; where it is undefined (no event yet, or
    every run has had it) it collapses onto the curve.

    Args:
        event_day: day of the event in each run, ``NaN`` where it did not happen.
        horizon: the last day of each run (or one horizon for all).

    Returns:
        One row per day 0..max horizon: ``day``, ``surviving`` (share of runs without the event
        at the end of the day), ``low``, ``high``.
    """
    day = _days(event_day)
    ends = np.broadcast_to(np.asarray(horizon, dtype=float), day.shape)
    happened = ~np.isnan(day) & (day <= ends)
    data = stats.CensoredData(uncensored=day[happened], right=ends[~happened])
    sf = stats.ecdf(data).sf
    days = np.arange(int(ends.max()) + 1)
    surviving = sf.evaluate(days)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # undefined where S is 0 or 1
        band = sf.confidence_interval(CONFIDENCE, method="log-log")
        low, high = band.low.evaluate(days), band.high.evaluate(days)
    return pd.DataFrame({"day": days, "surviving": surviving,
                         "low": np.where(np.isnan(low), surviving, low),
                         "high": np.where(np.isnan(high), surviving, high)})


def restricted_mean(curve: pd.DataFrame, tau: int) -> float:
    """Restricted mean time to event: the area under a daily Kaplan-Meier curve up to ``tau``.

    With event days on whole days, a run contributes ``min(T, tau)`` = the number of days
    ``t < tau`` it is still without the event, so the area is the sum of the curve over them.
    """
    return float(curve.loc[curve["day"] < tau, "surviving"].sum())


def t_interval(diff: np.ndarray) -> tuple[float, float, float, float]:
    """Mean of paired differences, its 95% t-interval and the two-sided paired t-test p.

    Differences that are all equal give a zero-width interval, and p = 1 if they are all zero
    (nothing to test), else 0. Fewer than two differences give NaN bounds and p.
    """
    n = len(diff)
    mean = float(diff.mean()) if n else np.nan
    if n < 2:
        return mean, np.nan, np.nan, np.nan
    sd = float(diff.std(ddof=1))
    if sd == 0:
        return mean, mean, mean, 1.0 if mean == 0 else 0.0
    se = sd / np.sqrt(n)
    half = stats.t.ppf(0.5 + CONFIDENCE / 2, n - 1) * se
    return mean, mean - half, mean + half, float(2 * stats.t.sf(abs(mean / se), n - 1))


def bootstrap_mean(x: np.ndarray, seed: int = 0) -> tuple[float, float, float]:
    """Mean of a small sample and its 95% bootstrap interval, which stays within the values' range.

    For bounded outcomes (capitals held, their paired differences) on a few runs, where a
    t-interval crosses the bounds. The interval is the *expanded percentile* bootstrap
    (Hesterberg 2015, Am. Stat. 69(4)): the percentile interval of ``scipy.stats.bootstrap`` at
    the level whose normal quantile is ``sqrt(n / (n - 1))`` times Student's ``t`` quantile on
    ``n - 1`` degrees of freedom, which undoes the plain percentile interval's narrowness in small
    samples (on 4 runs it is about the range of the values). Resampled means never leave
    ``[min(x), max(x)]``, so neither does the interval. Seeded: the same values give the same
    interval.

    Degenerate samples: no value gives NaN throughout; one value gives NaN bounds (no interval
    from one run); values that are all equal give that value as both bounds (every resample
    agrees; the spread is unknown, not zero).

    Args:
        x: the values (a count per run, or paired differences of counts).
        seed: seed of the resampling's generator.
    """
    x = np.asarray(x, float)
    n = len(x)
    mean = float(x.mean()) if n else np.nan
    if n < 2:
        return mean, np.nan, np.nan
    if np.ptp(x) == 0:
        return mean, mean, mean
    z = np.sqrt(n / (n - 1)) * stats.t.ppf(0.5 + CONFIDENCE / 2, n - 1)
    level = 2 * stats.norm.cdf(z) - 1
    ci = stats.bootstrap((x,), np.mean, method="percentile", confidence_level=level,
                         rng=np.random.default_rng(seed)).confidence_interval
    return mean, float(ci.low), float(ci.high)


def paired_proportions(arm: np.ndarray, base: np.ndarray) -> tuple[float, float, float, float]:
    """Paired difference in proportions, Bonett-Price 95% interval, exact McNemar p.

    Bonett and Price (2012, Stat. Med.) adjust the Wald interval by adding one to each
    discordant count, which keeps coverage near nominal for small samples. McNemar's exact test
    is the binomial test of the discordant pairs against one half.

    Args:
        arm: the arm's yes/no outcome for each paired seed.
        base: the baseline's outcome for the same seeds.
    """
    n = len(arm)
    if n == 0:
        return np.nan, np.nan, np.nan, np.nan
    only_arm, only_base = int((arm & ~base).sum()), int((~arm & base).sum())
    p12, p21 = (only_arm + 1) / (n + 2), (only_base + 1) / (n + 2)
    half = stats.norm.ppf(0.5 + CONFIDENCE / 2) * np.sqrt((p12 + p21 - (p12 - p21) ** 2) / (n + 2))
    discordant = only_arm + only_base
    p = stats.binomtest(only_arm, discordant).pvalue if discordant else 1.0
    return ((only_arm - only_base) / n, max(-1.0, p12 - p21 - half), min(1.0, p12 - p21 + half),
            float(p))


def logrank_p(arm_day: pd.Series, base_day: pd.Series, tau: int) -> float:
    """Two-sided log-rank p of two arms' times to event, censored at ``tau`` (unpaired).

    NaN when the statistic is undefined: no event in either arm, or every run's event on one day.
    """
    samples = []
    for day in (arm_day, base_day):
        times, happened = restricted(day, tau)
        samples.append(stats.CensoredData(uncensored=times[happened], right=times[~happened]))
    with np.errstate(invalid="ignore", divide="ignore"):  # 0/0 when undefined, as said above
        return float(stats.logrank(*samples).pvalue)


def holm(p: pd.Series) -> pd.Series:
    """Holm's step-down adjustment of a family of p-values (NaN entries left out of the family)."""
    valid = p.dropna().sort_values()
    m = len(valid)
    steps = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * valid.to_numpy()))
    return pd.Series(steps, index=valid.index).reindex(p.index)


def _continuous(arm: pd.DataFrame, base: pd.DataFrame, outcome: Outcome) -> dict:
    """Paired mean difference over the seeds where both runs have the outcome."""
    both = pd.concat([arm[outcome.name], base[outcome.name]], axis=1).dropna().astype(float).to_numpy()
    if not len(both):
        return {"n": 0, "method": "no paired seeds with this outcome"}
    estimate, low, high, p = t_interval(both[:, 0] - both[:, 1])
    return {"estimate": estimate, "low": low, "high": high, "n": len(both), "p_value": p,
            "arm_value": both[:, 0].mean(), "baseline_value": both[:, 1].mean(),
            "method": "paired mean difference, 95% t-interval, paired t-test"}


def _event(arm: pd.DataFrame, base: pd.DataFrame, outcome: Outcome) -> dict:
    """Time to event (restricted means) or event by the horizon (proportions), every run counted.

    The horizon is the shortest run of the two arms, so that both are restricted alike.
    """
    if arm.empty:
        return {"n": 0, "method": "no paired seeds"}
    key = EVENTS[outcome.event]
    tau = int(min(arm["days"].min(), base["days"].min()))
    a_time, a_event = restricted(arm[key], tau)
    b_time, b_event = restricted(base[key], tau)
    row = {"n": len(arm), "horizon": tau, "arm_events": int(a_event.sum()),
           "baseline_events": int(b_event.sum())}
    if outcome.kind is Kind.BINARY:
        estimate, low, high, p = paired_proportions(a_event, b_event)
        return {**row, "estimate": estimate, "low": low, "high": high, "p_value": p,
                "arm_value": a_event.mean(), "baseline_value": b_event.mean(),
                "method": f"paired difference in proportions by day {tau}, 95% Bonett-Price "
                          "interval, exact McNemar test"}
    estimate, low, high, p = t_interval(a_time - b_time)
    return {**row, "estimate": estimate, "low": low, "high": high, "p_value": p,
            "arm_value": restricted_mean(kaplan_meier(arm[key], tau), tau),
            "baseline_value": restricted_mean(kaplan_meier(base[key], tau), tau),
            "p_logrank": logrank_p(arm[key], base[key], tau),
            "method": f"paired difference in restricted mean time to event up to day {tau} "
                      f"(runs without the event count as {tau}), 95% t-interval, paired t-test"}


COLUMNS = ["arm", "baseline", "outcome", "kind", "estimate", "low", "high", "n", "method",
           "p_value", "p_adjusted", "adjustment", "arm_value", "baseline_value", "horizon",
           "arm_events", "baseline_events", "p_logrank"]


def compare_arms(runs: pd.DataFrame, baseline: str, by: str = "arm",
                 outcomes: tuple[Outcome, ...] = OUTCOMES) -> pd.DataFrame:
    """Every arm against the baseline arm in every outcome, paired by seed, in long form.

    Args:
        runs: one row per run with the columns ``by``, ``seed``, ``days`` and the outcomes'
            (as from :func:`outcome_row`); each (arm, seed) at most once.
        baseline: the value of ``by`` that names the baseline arm.
        by: the column naming arms.
        outcomes: the outcomes to compare.

    Returns:
        One row per (arm, outcome), arms other than the baseline, with the columns of
        :data:`COLUMNS`: the estimate and its 95% interval (``low``, ``high``), ``n`` paired
        seeds, the ``method``, the raw and the Holm-adjusted p-value (over every row of the
        table), each arm's own value (``arm_value``, ``baseline_value``: a mean, a restricted
        mean or a proportion), and for events the horizon and event counts.
    """
    base = runs[runs[by] == baseline].set_index("seed")
    rows = []
    for name, arm in runs[runs[by] != baseline].groupby(by, sort=True):
        arm = arm.set_index("seed")
        seeds = arm.index.intersection(base.index).sort_values()
        for outcome in outcomes:
            pair = _continuous if outcome.kind is Kind.CONTINUOUS else _event
            rows.append({"arm": name, "baseline": baseline, "outcome": outcome.name,
                         "kind": outcome.kind.value,
                         **pair(arm.loc[seeds], base.loc[seeds], outcome)})
    table = pd.DataFrame(rows, columns=COLUMNS)
    table["p_adjusted"] = holm(table["p_value"])
    table["adjustment"] = f"Holm over {int(table['p_value'].notna().sum())} tests (all rows)"
    for col in ("horizon", "arm_events", "baseline_events"):
        table[col] = table[col].astype("Int64")
    return table
