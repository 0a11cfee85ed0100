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
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd
from scipy import optimize, special, stats
from scipy.special import logsumexp
from sklearn.covariance import ledoit_wolf

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


def record_vector(until_day: int | None = None,
                  scale: float = 1.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The record as the synthetic likelihood reads it: values, error covariance, point mask.

    Values: each count point's share of its total, then the event days the window holds. Error
    covariance: observation variance plus the binomial variance of the record's own count
    (independent from point to point), plus the model discrepancy, correlated
    :data:`SERIES_CORRELATION` between the points of one count series (the same judgement as the
    composite likelihood of :func:`terms`), times ``scale``. The mask marks the count points kept
    (day at most ``until_day``).
    """
    points = record_points()
    keep = np.ones(len(points), bool) if until_day is None else (points["day"] <= until_day)
    points = points[keep]
    share = (points["observed"] / points["total"]).to_numpy()
    obs_var = [OBS_SD["share"][c] ** 2 for c in points["confidence"]]
    obs_var += share * (1 - share) / points["total"].to_numpy()
    md = scale * np.array([DISCREPANCY_SD[s] for s in points["series"]])
    series = points["series"].to_numpy()
    md_corr = np.where(series[:, None] == series[None, :], SERIES_CORRELATION, 0.0)
    np.fill_diagonal(md_corr, 1.0)
    values, cov = list(share), np.diag(obs_var) + md_corr * np.outer(md, md)
    for date, confidence in windowed_events(until_day).values():
        values.append(float(_day(date)))
        cov = np.pad(cov, ((0, 1), (0, 1)))
        cov[-1, -1] = day_sd(confidence, scale) ** 2
    return np.array(values), cov, np.asarray(keep)


def windowed_events(until_day: int | None) -> dict[str, tuple[str, str]]:
    """The events whose record day lies in the fitting window (all when ``until_day`` is None)."""
    return {e: v for e, v in EVENTS.items() if until_day is None or _day(v[0]) <= until_day}


def summary(obs: dict, keep: np.ndarray, until_day: int | None = None) -> np.ndarray:
    """One run's values at the record's points: shares kept, then event days (horizon if none)."""
    days = [float(obs["horizon"] if obs[e] is None else obs[e]) for e in windowed_events(until_day)]
    return np.concatenate([np.asarray(obs["share"])[keep], days])


def summaries(observed: list[list[dict]], until_day: int | None = None) -> list[np.ndarray]:
    """Each set's seeds' values at the record's points (rows: seeds; see :func:`summary`)."""
    keep = record_vector(until_day)[2]
    return [np.array([summary(o, keep, until_day) for o in seeds]) for seeds in observed]


def seed_covariance(runs: list[np.ndarray]) -> np.ndarray:
    """The seed-to-seed covariance of one run's values, pooled within sets (Ledoit-Wolf shrunk).

    Args:
        runs: per set, its seeds' values (rows: seeds; at least 2 rows each).
    """
    if min(len(r) for r in runs) < 2:
        raise ValueError("the synthetic likelihood needs at least 2 seeds per set")
    residuals = np.concatenate([r - r.mean(axis=0) for r in runs])
    scale = residuals.std(axis=0)
    scale[scale == 0] = 1.0
    cov = ledoit_wolf(residuals / scale, assume_centered=True)[0] * np.outer(scale, scale)
    return cov * len(residuals) / (len(residuals) - len(runs))  # one dof lost per set's mean


def variance_prior(runs: list[np.ndarray]) -> tuple[float, np.ndarray]:
    """The prior of a set's seed variances, fitted to how they vary from set to set.

    Smyth's (2004) empirical Bayes for many small samples: each point's variance across sets
    is scaled inverse-chi-squared with ``d0`` degrees of freedom around ``s0**2``. ``d0`` comes
    from the variance of the log sample variances beyond what sampling alone gives (one ``d0``
    for all points, from their mean excess: the trigamma function inverted), ``s0**2`` per
    point from their mean. As limma's ``fitFDist`` does, a sample variance of zero (seeds that
    agree exactly, as on an event none of them saw) enters the fit at 1e-5 times its point's
    median variance, not left out (which would cut the low tail and inflate ``d0``); a point
    whose median variance is zero is left out (``s0**2`` 0). Returns ``(d0, s0**2)``; ``d0`` is
    infinite when the variances differ no more than sampling explains (then every set takes
    ``s0**2``, the mean variance weighted by degrees of freedom).
    """
    df = np.array([len(r) - 1.0 for r in runs])[:, None]
    s2 = np.array([r.var(axis=0, ddof=1) for r in runs])
    median = np.median(s2, axis=0)
    fitted = median > 0
    s2_fit, df_fit = np.maximum(s2[:, fitted], 1e-5 * median[fitted]), df[:, 0]
    e = np.log(s2_fit) - special.digamma(df / 2) + np.log(df / 2)
    excess = float(np.mean(e.var(axis=0, ddof=1)
                           - special.polygamma(1, df_fit / 2).mean())) if fitted.any() else 0.0
    s0 = np.zeros(s2.shape[1])
    if not excess > 1e-6:  # within sampling: one variance for every set (trigamma(y) > 1e-6)
        s0[fitted] = (df * s2[:, fitted]).sum(axis=0) / df.sum()
        return np.inf, s0
    half = optimize.brentq(lambda y: special.polygamma(1, y) - excess, 1e-8, 1e8)
    s0[fitted] = np.exp(e.mean(axis=0) + special.digamma(half) - np.log(half))
    return 2.0 * half, s0


def set_covariance(seeds: np.ndarray, corr: np.ndarray, d0: float,
                   s0: np.ndarray) -> np.ndarray:
    """One set's seed covariance: the pooled correlations ``corr``, its own variances moderated.

    Each variance is the posterior mean under the prior of :func:`variance_prior`:
    ``((k - 1) s2 + d0 s0**2) / (k - 1 + d0)`` for ``k`` seeds of sample variance ``s2``.
    """
    k = len(seeds)
    own = s0 if np.isinf(d0) else ((k - 1) * seeds.var(axis=0, ddof=1) + d0 * s0) / (k - 1 + d0)
    return corr * np.outer(np.sqrt(own), np.sqrt(own))


def synthetic_loglik(observed: list[list[dict]], until_day: int | None = None,
                     scale: float = 1.0) -> np.ndarray:
    """Synthetic log likelihood of the record for each set (see the module docstring).

    Args:
        observed: per set, the :func:`observe` dicts of its seeds (at least 2 seeds each).
        until_day: as in :func:`terms`; an event after the window contributes the log of the
            mean over seeds of the probability that it had not happened by then.
        scale: multiplies every model-discrepancy standard deviation.

    Returns:
        One log likelihood per set. A set of ``k`` seeds is scored with its seed covariance
        (:func:`set_covariance`) times ``1 + 1/k`` (the mean's own error) plus the record's
        error covariance.
    """
    return synthetic_scorer(observed, until_day)(scale)


def synthetic_scorer(observed: list[list[dict]],
                     until_day: int | None = None) -> Callable[[float], np.ndarray]:
    """:func:`synthetic_loglik` of these sets as a function of the discrepancy scale.

    What does not depend on the scale (the seeds' values, the pooled correlations, the variance
    prior, each set's covariance and causes term) is computed once, here.
    """
    runs = summaries(observed, until_day)
    pooled = seed_covariance(runs)
    pooled_sd = np.sqrt(np.diag(pooled))
    outer = np.outer(pooled_sd, pooled_sd)
    corr = np.divide(pooled, outer, out=np.eye(len(pooled)), where=outer > 0)
    d0, s0 = variance_prior(runs)
    seed_covs = [set_covariance(r, corr, d0, s0) * (1 + 1 / len(r)) for r in runs]
    causes = [causes_logpmf(sum(o["assault"] for o in seeds), sum(o["other"] for o in seeds))
              if until_day is None else 0.0 for seeds in observed]
    censored = {e: v for e, v in EVENTS.items() if e not in windowed_events(until_day)}

    def score(scale: float) -> np.ndarray:
        z, error, _ = record_vector(until_day, scale)
        out = []
        for seeds, r, seed_cov, cause in zip(observed, runs, seed_covs, causes, strict=True):
            value = stats.multivariate_normal.logpdf(z, mean=r.mean(axis=0), cov=seed_cov + error)
            for event, (date, confidence) in censored.items():
                late = [time_logpdf(_day(date), o[event], o["horizon"],
                                    day_sd(confidence, scale), until_day) for o in seeds]
                value += logsumexp(late) - np.log(len(seeds))
            out.append(float(value + cause))
        return np.array(out)

    return score


def discrepancy_scale(observed: list[list[dict]], until_day: int | None = None) -> float:
    """The discrepancy scale (at least 1) under which the record is most probable, for these sets.

    Type-II maximum likelihood (empirical Bayes, as Kennedy and O'Hagan 2001 estimate their
    discrepancy's hyperparameters): the scale ``c`` that maximises the marginal likelihood of the
    record, estimated as the mean over the sets of their synthetic likelihood, with every
    discrepancy standard deviation of :data:`DISCREPANCY_SD` multiplied by ``c``. The sets must
    be draws from the prior (or uniform on a region holding the posterior), so that mean is an
    estimate of the evidence. The judged discrepancies are a floor: ``c`` is searched in
    [1, :data:`MAX_DISCREPANCY_SCALE`].
    """
    score = synthetic_scorer(observed, until_day)

    def negative_evidence(log_c: float) -> float:
        return -float(logsumexp(score(float(np.exp(log_c)))))

    best = optimize.minimize_scalar(negative_evidence, bounds=(0.0, np.log(MAX_DISCREPANCY_SCALE)),
                                    method="bounded", options={"xatol": 0.01})
    return float(np.exp(best.x)) if best.fun < negative_evidence(0.0) else 1.0  # the floor


def set_logliks(observed: list[list[dict]], until_day: int | None = None,
                kind: str = KINDS[0], scale: float = 1.0,
                tolerance: float | None = None) -> np.ndarray:
    """Each set's log likelihood from its seeds' observations, estimated as ``kind`` says.

    ``scale`` multiplies the discrepancy of the synthetic likelihood (the other estimates keep
    the judged discrepancy). ``tolerance``: abc's (default: the best :data:`ACCEPTANCE` of
    these runs).
    """
    if kind == "abc":
        per_run = run_logliks(observed, until_day)
        return abc_logliks(per_run, abc_tolerance(per_run) if tolerance is None else tolerance)
    if kind == "synthetic":
        return synthetic_loglik(observed, until_day, scale)
    if kind == "seed-mean":
        return np.array([loglik(runs, until_day) for runs in observed])
    raise ValueError(f"likelihood={kind!r}: must be one of {', '.join(KINDS)}")
