"""Wood's synthetic likelihood of the record, the discrepancy's scale, each set's log likelihood."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import optimize, special, stats
from scipy.special import logsumexp
from sklearn.covariance import ledoit_wolf

from sim.inference.likelihood import (
    DISCREPANCY_SD,
    EVENTS,
    KINDS,
    MAX_DISCREPANCY_SCALE,
    OBS_SD,
    SERIES_CORRELATION,
    _day,
    abc_logliks,
    abc_tolerance,
    causes_logpmf,
    day_sd,
    loglik,
    record_points,
    run_logliks,
    time_logpdf,
)


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
