"""The likelihood of the 2021 record given a parameter set: one term per record series.

A run is first reduced to what the record observes (:func:`observe`: a small dict, computed in
the worker, that the inference database stores); the likelihood is then computed from those
observations alone, so it can be recomputed for other error settings without rerunning the model.

Terms (``sim/data``, copied from ``../shared/data/calibration``):

- **districts**: each dated count of Taliban-held districts (``district_control.csv``, stock
  rows) out of the record's own total (407, 419...), with the run's Taliban share as its mean
  (:func:`count_logpmf`: normal, with the record point's variance).
- **contested**: the same, for the dated counts of contested districts.
- **capitals**: capitals fallen by the end of each recorded day, out of 34
  (``capitals_fallen.csv``).
- **first capital** and **Kabul**: the days they fell (6 and 15 August), as censored times: a run
  in which the event happened on day t gives the record day a normal density around t; a run in
  which it had not happened by its horizon H gives the largest density any day after H could
  (the density at H), never a day invented beyond it; a record day after the fitting window
  (``until_day``) is itself censored: the run must not have the event before it.
- **causes**: changes of hands by assault against all other causes (surrender, negotiation,
  withdrawal, abandonment) as a multinomial of pseudo-counts: the record is qualitative ("a
  minority by assault", DESIGN.md P2 and P4), so it weighs as few observations.

Error model (history-matching practice, Craig et al. 1997, Vernon et al. 2010): the variance of
each record point is the observation variance, from the record's ``confidence`` column
(:data:`OBS_SD`), plus a model-discrepancy variance (:data:`DISCREPANCY_SD`): what the model
cannot represent even at its best parameters, stated as a judgement and the same for every point
of a series. For counts, the share's variance is that sum plus the binomial variance of the
record's own count.

The judged discrepancy is a floor. The synthetic likelihood multiplies it by a scale fitted to
the sets being weighed (:func:`discrepancy_scale`: the scale under which the record is most
probable, type-II maximum likelihood): when no set of the model comes near the record, the
judged error would make every set's likelihood hinge on how narrowly it misses, and one set
would take all the weight.

The points of one count series are not independent: they measure the same cumulative curve, and
a model that runs fast on one date runs fast on the next, so the discrepancy persists from date to
date. Each count series' summed log terms are therefore scaled by ``n_eff / n`` with
``n_eff = 1 + (n - 1)(1 - rho)`` (:data:`SERIES_CORRELATION`, a judgement): the series weighs as
``n_eff`` independent observations (a composite likelihood, Varin, Reid and Firth 2011). Without
it, the 26 count points outvote everything else and one parameter set takes all the weight.

Seeds are replicates, not parameters. A parameter set's likelihood is estimated from its seeds in
one of three ways (:data:`KINDS`):

- ``abc`` (:func:`abc_logliks`, the default): approximate Bayesian computation with each run's
  own log likelihood as its distance from the record. A run matches when that log likelihood
  reaches the tolerance, set by the best :data:`ACCEPTANCE` of the runs of sets drawn uniformly
  (Beaumont, Zhang and Balding 2002), and a set's likelihood is the share of its seeds that
  match. Each run is
  judged whole, so a set whose seeds either stall or collapse cannot match the record through
  their mean; the share is bounded, so no set takes all the weight on one lucky seed.

- ``seed-mean`` (:func:`loglik`): the mean over its seeds of each seed's likelihood, an unbiased
  Monte-Carlo estimate of the marginal likelihood. One seed's likelihood is heavy-tailed (the
  cascade's timing moves a seed's log likelihood by tens of units), so the estimate follows the
  luckiest seed (docs/inference.md).
- ``synthetic`` (:func:`synthetic_loglik`): Wood's (2010) synthetic likelihood. The
  record's points (shares, and the event days restricted to the horizon) are taken as normal
  around the mean of the set's seeds, with a covariance that adds the set's seed-to-seed
  covariance to the record's error. A few seeds cannot estimate a covariance of some thirty
  points, so the correlations are pooled within sets over every set scored together (shrunk by
  Ledoit and Wolf 2004), and each set's own variances are moderated toward a prior fitted to
  how the variances differ from set to set (Smyth 2004, :func:`variance_prior`). The spread
  differs from set to set: a set on the knife edge of the cascade spreads
  over the whole range while a stable one repeats itself, and pooling the variances too would
  lend every set the knife-edge sets' spread, along the direction "everything falls at once",
  so that sets which collapse in June missed the record cheaply (docs/inference.md). The
  run-to-run spread of the cascade thus widens a set's own likelihood instead of deciding it.
  But a normal cannot see that a set's runs are bimodal: a set whose seeds stall near 0.27 or
  collapse to 0.97 has a mean near the record's 0.56 and scores well (docs/inference.md).

This module holds the observations and the per-point terms; the synthetic likelihood and each
set's log likelihood by kind (``set_logliks``) are in :mod:`sim.inference.synthetic_likelihood`.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import logsumexp

START = dt.date(2021, 5, 1)
N_CAPITALS = 34
# Observation error by the record's confidence column: share of the total (counts) or days.
OBS_SD = {"share": {"high": 0.03, "medium": 0.06, "low": 0.10},
          "days": {"high": 1.0, "medium": 2.0, "low": 4.0}}
# Model discrepancy (a judgement): share points for count series, days for event times.
DISCREPANCY_SD = {"districts": 0.05, "contested": 0.07, "capitals": 0.08, "days": 5.0}
# The record's causes of changes of hands, as pseudo-counts (assault, without battle): "most
# without a pitched battle" (DESIGN.md P2, P4; forces.md) read as 2 of 10, low confidence.
CAUSE_PSEUDO_COUNTS = (2, 8)
MAX_DISCREPANCY_SCALE = 10.0  # the largest multiple of the judged discrepancy searched
SERIES_CORRELATION = 0.8  # correlation of a count series' errors from one record date to the next
EVENTS = {"first_capital": ("2021-08-06", "high"), "kabul": ("2021-08-15", "high")}
SERIES = ("districts", "contested", "capitals", "first_capital", "kabul", "causes")
KINDS = ("abc", "synthetic", "seed-mean")  # how a set's likelihood is estimated from its seeds
ACCEPTANCE = 0.1  # abc: the share of the runs scored together that count as matching the record


def _read(name: str) -> pd.DataFrame:
    with (resources.files("sim") / "data" / name).open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh)


def _day(date: str) -> int:
    return (dt.date.fromisoformat(date) - START).days


@cache
def record_points() -> pd.DataFrame:
    """Every record point a count term uses: series, date, day, observed count, total, confidence.

    Rows: Taliban-held and contested districts on each stock date of ``district_control.csv``
    (where the record gives the figure) and capitals fallen by each date of
    ``capitals_fallen.csv``. The flow row ("more than 50 of 370 taken since 1 May") is a lower
    bound implied by the stock rows around it and is left out.
    """
    control = _read("district_control.csv")
    control = control[control["kind"].str.startswith("stock")]
    rows = []
    for series, column in (("districts", "taliban"), ("contested", "contested")):
        part = control.dropna(subset=[column])
        rows += [{"series": series, "date": r.date, "day": _day(r.date),
                  "observed": int(getattr(r, column)), "total": int(r.total),
                  "confidence": r.confidence} for r in part.itertuples()]
    capitals = _read("capitals_fallen.csv")
    rows += [{"series": "capitals", "date": r.date, "day": _day(r.date),
              "observed": int(r.capitals_fallen_by_end_of_day), "total": int(r.of),
              "confidence": r.confidence} for r in capitals.itertuples()]
    return pd.DataFrame(rows)


def observe(result) -> dict:
    """What the record observes of one run: shares at every record point, event days, causes.

    Args:
        result: a :class:`sim.RunResult`.

    Returns:
        A JSON-serialisable dict: ``share`` (list, in :func:`record_points` order: Taliban or
        contested share of the run's districts, or capitals fallen as a share of 34),
        ``first_capital`` and ``kabul`` (day of the event or None), ``horizon`` (last day),
        ``assault`` and ``other`` (changes of hands by cause).
    """
    daily, n = result.daily, len(result.districts)
    column = {"districts": "districts_taliban", "contested": "districts_contested",
              "capitals": "capitals_taliban"}
    last = len(daily) - 1
    shares = []
    for p in record_points().itertuples():
        value = float(daily[column[p.series]].iloc[min(p.day, last)])
        shares.append(value / (N_CAPITALS if p.series == "capitals" else n))
    causes = result.districts["fell_cause"].fillna("")
    causes = causes[causes != ""]
    return {"share": shares,
            "first_capital": result.summary["first_capital_fell_day"],
            "kabul": result.summary["kabul_fell_day"],
            "horizon": int(last),
            "assault": int((causes == "assault").sum()),
            "other": int((causes != "assault").sum())}


def share_sd(series: str, confidence: str, scale: float = 1.0) -> float:
    """Standard deviation of a record share: observation error plus model discrepancy.

    ``scale`` multiplies the discrepancy (:func:`discrepancy_scale`).
    """
    return float(np.hypot(OBS_SD["share"][confidence], scale * DISCREPANCY_SD[series]))


def day_sd(confidence: str, scale: float = 1.0) -> float:
    """Standard deviation of a record day: observation error plus ``scale`` x model discrepancy."""
    return float(np.hypot(OBS_SD["days"][confidence], scale * DISCREPANCY_SD["days"]))


def count_logpmf(observed, total, share, sd):
    """Log probability of the record's ``observed`` of ``total`` given the run's ``share``.

    A normal density on the count (for counts a unit apart, about the probability): mean
    ``total x share``, variance that of the record's share (binomial at the record's own share
    and total, plus ``sd**2``) scaled to counts, the same as the synthetic likelihood's
    (:func:`record_vector`). The variance is the record point's, not the run's: the
    beta-binomial used before, with the run's share as mean and variance ``sd**2``, turns
    U-shaped near 0 and 1, and scored a run at 0.97 above one at 0.85 against a record of 0.56,
    so collapsing runs missed the record for free. Scalars or arrays of points (elementwise).
    """
    record = np.divide(observed, total)
    var = np.square(sd) + record * (1 - record) / total
    return stats.norm.logpdf(observed, loc=np.multiply(total, share),
                             scale=np.multiply(total, np.sqrt(var)))


def time_logpdf(record_day: float, run_day: float | None, horizon: int, sd: float,
                until_day: int | None = None) -> float:
    """Log density of the record's event day given one run's event day (None: not by horizon).

    A run without the event counts at its horizon, the most favourable day it could still have.
    If the record day lies after ``until_day`` the fitting window only says the event had not
    happened by ``until_day``: the log probability that the run's day, with error, is later.
    """
    day = horizon if run_day is None else run_day
    if until_day is not None and record_day > until_day:
        return float(stats.norm.logsf(until_day, loc=day, scale=sd))
    if run_day is None and record_day >= horizon:
        return float(stats.norm.logpdf(0.0, scale=sd))
    return float(stats.norm.logpdf(record_day, loc=day, scale=sd))


def causes_logpmf(assault: int, other: int) -> float:
    """Multinomial log probability of the record's pseudo-counts given a run's causes.

    The run's probabilities are its counts with one added to each (a uniform Dirichlet prior),
    so a run with few changes of hands is not certain of anything.
    """
    return assault_share_logpmf((assault + 1.0) / (assault + other + 2.0))


def assault_share_logpmf(share: float) -> float:
    """Multinomial log probability of the record's pseudo-counts given the share by assault."""
    p = np.array([share, 1.0 - share])
    return float(stats.multinomial.logpmf(CAUSE_PSEUDO_COUNTS, sum(CAUSE_PSEUDO_COUNTS), p))


@cache
def count_points() -> dict[str, np.ndarray]:
    """The record points' columns that :func:`terms` reads, as arrays, with their sd.

    Computed once and read for every run; ``sd`` is each point's :func:`share_sd`.
    """
    points = record_points()
    return {"series": points["series"].to_numpy(), "day": points["day"].to_numpy(),
            "observed": points["observed"].to_numpy(), "total": points["total"].to_numpy(),
            "sd": np.array([share_sd(s, c) for s, c in zip(points["series"],
                                                           points["confidence"], strict=True)])}


def terms(obs: dict, until_day: int | None = None) -> dict[str, float]:
    """Log likelihood of the record given one run, by series (see the module docstring).

    Args:
        obs: one run's :func:`observe` dict.
        until_day: fit only the record up to this day (69 = 9 July, the time split); later count
            points are left out and later event days become censored.
    """
    points = count_points()
    logp = count_logpmf(points["observed"], points["total"], np.asarray(obs["share"]),
                        points["sd"])
    kept = np.ones(len(logp), bool) if until_day is None else points["day"] <= until_day
    out = dict.fromkeys(SERIES, 0.0)
    for series in ("districts", "contested", "capitals"):
        mine = kept & (points["series"] == series)
        n = int(mine.sum())
        if n:
            total = sum(logp[mine].tolist())  # in point order, so any run scores as it always has
            out[series] = total * ((1 + (n - 1) * (1 - SERIES_CORRELATION)) / n)
    for event, (date, confidence) in EVENTS.items():
        out[event] = time_logpdf(_day(date), obs[event], obs["horizon"], day_sd(confidence),
                                 until_day)
    if until_day is None:
        out["causes"] = causes_logpmf(obs["assault"], obs["other"])
    return out


def run_logliks(observed: list[list[dict]], until_day: int | None = None) -> list[np.ndarray]:
    """Each set's per-seed log likelihoods of the record (the sum of :func:`terms`)."""
    return [np.array([sum(terms(o, until_day).values()) for o in runs]) for runs in observed]


def loglik(observations: list[dict], until_day: int | None = None) -> float:
    """Log likelihood of one parameter set: log of the mean over its seeds of each seed's likelihood.

    Args:
        observations: the :func:`observe` dicts of the set's runs, one per seed.
        until_day: as in :func:`terms`.
    """
    per_seed = run_logliks([observations], until_day)[0]
    return float(logsumexp(per_seed) - np.log(len(per_seed)))


def abc_tolerance(per_run: list[np.ndarray], acceptance: float = ACCEPTANCE) -> float:
    """The log likelihood a run must reach to match the record: the top ``acceptance`` of all."""
    if not 0 < acceptance <= 1:
        raise ValueError(f"acceptance={acceptance}: must be in (0, 1]")
    tolerance = float(np.quantile(np.concatenate(per_run), 1 - acceptance))
    if not np.isfinite(tolerance):
        raise ValueError(f"the runs' log likelihoods give no finite tolerance ({tolerance})")
    return tolerance


def abc_logliks(per_run: list[np.ndarray], tolerance: float) -> np.ndarray:
    """Each set's log share of seeds whose run reaches ``tolerance`` (:func:`abc_tolerance`).

    ``per_run``: each set's per-seed log likelihoods (:func:`run_logliks`).

    For a tolerance fixed beforehand, the share is an unbiased estimate of the chance that one
    run of the set matches (ABC with a uniform kernel on each run's own log likelihood), so the
    target is the ABC posterior at that tolerance. A set with no matching seed gets -inf.
    """
    with np.errstate(divide="ignore"):
        return np.array([np.log(np.mean(r >= tolerance)) for r in per_run])
