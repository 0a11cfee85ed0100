"""Adaptive multiple importance sampling (AMIS) on the non-implausible region.

The first round's sets are uniform on the region history matching left (density ``1 / volume``
there). Each later round proposes sets from a normal fitted to every set so far, as weighted
then, on the logit scale of the unit cube (so every proposal lies in the cube; its density there
carries the logit's Jacobian), and keeps those in the region (by rejection). All rounds are then
weighted together as one sample from their mixture (the deterministic-mixture weights of
Cornuet, Marin, Mira and Robert 2012): a set's weight is its likelihood over the mixture's
density at it, ``sum_r (n_r / n) q_r(x)``, so no round's sets are thrown away and a proposal that
missed the posterior only costs its runs.

The proposal's covariance shrinks the weighted covariance toward the region's own (the first
round's) by the weights' effective sample size: with a handful of heavy sets the weighted
covariance is near-singular in most of the many directions, and the region's shape is what is
known there (``lambda = ess / (ess + d)``, the weight of the weighted covariance; then
inflated by :data:`INFLATION`, as Beaumont et al. 2009 double it in ABC population Monte Carlo).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import special, stats
from scipy.special import logsumexp

INFLATION = 2.0  # the proposal's covariance, as a multiple of the shrunk weighted covariance
MAX_PROPOSALS = 200  # proposals per set wanted before a round gives up


@dataclass
class Round:
    """One round's proposal: a truncated normal (``None``: uniform on the region) and its sets.

    Attributes:
        normal: the untruncated proposal (``None`` for the first, uniform round).
        log_mass: log of the share of the proposal in the cube and the region (the truncation's
            normalising constant, estimated by the acceptance rate; for the uniform round, the
            log of the region's volume).
        n: sets the round added.
    """

    normal: stats._multivariate.multivariate_normal_frozen | None
    log_mass: float
    n: int

    def logpdf(self, x: np.ndarray) -> np.ndarray:
        """Log density of the truncated proposal at unit-cube sets ``x`` (all in the region)."""
        if self.normal is None:
            return np.full(len(x), -self.log_mass)
        return logit_normal_logpdf(self.normal, x) - self.log_mass


def logit_normal_logpdf(normal, x: np.ndarray) -> np.ndarray:
    """Log density at unit-cube sets ``x`` of ``normal`` on their logit scale (with the Jacobian)."""
    jacobian = -np.log(x * (1 - x)).sum(axis=1)  # d logit(x) / dx, coordinate by coordinate
    return normal.logpdf(special.logit(x)).reshape(len(x)) + jacobian


def ess(weight: np.ndarray) -> float:
    """Kish's effective sample size of normalised weights."""
    return float(1.0 / np.sum(np.square(weight)))


def normalised(logw: np.ndarray) -> np.ndarray:
    """Importance weights from log weights, summing to 1 (at least one must be finite)."""
    if np.isnan(logw).any() or not np.isfinite(logw).any():
        raise ValueError("log weights must not be NaN, and at least one must be finite")
    w = np.exp(logw - logw.max())
    return w / w.sum()


def mixture_weights(x: np.ndarray, loglik: np.ndarray, rounds: list[Round]) -> np.ndarray:
    """Normalised deterministic-mixture weights of every set so far (uniform prior on the region).

    ``x`` holds the rounds' sets in order; ``loglik`` their log likelihoods.
    """
    n = sum(r.n for r in rounds)
    log_mix = logsumexp([np.log(r.n / n) + r.logpdf(x) for r in rounds], axis=0)
    return normalised(loglik - log_mix)


def proposal(x: np.ndarray, weight: np.ndarray, region_cov: np.ndarray):
    """The next round's normal on the logit scale of the cube.

    Its mean is the weighted mean; its covariance the weighted one shrunk toward the region's
    (``region_cov``, also on the logit scale), then inflated.
    """
    y = special.logit(x)
    shrink = ess(weight) / (ess(weight) + x.shape[1])
    weighted = np.cov(y, rowvar=False, aweights=weight, bias=True)  # also for one weight of 1
    cov = INFLATION * (shrink * weighted + (1 - shrink) * region_cov)
    return stats.multivariate_normal(np.average(y, axis=0, weights=weight), cov)


def propose(normal, n: int, inside: Callable[[np.ndarray], np.ndarray],
            rng: np.random.Generator) -> tuple[np.ndarray, int, int]:
    """``n`` unit-cube sets from ``normal`` on the logit scale, kept in the region by rejection.

    Returns them, the proposals kept and the proposals made (at most :data:`MAX_PROPOSALS`
    per set wanted; fewer than ``n`` kept is an error): their ratio estimates the share of the
    proposal in the region.
    """
    kept, proposed, d = [], 0, len(normal.mean)
    while sum(map(len, kept)) < n and proposed < MAX_PROPOSALS * n:
        more = special.expit(normal.rvs(4 * n, random_state=rng).reshape(-1, d))
        proposed += len(more)
        kept.append(more[inside(more)])
    found = np.concatenate(kept or [np.empty((0, d))])
    if len(found) < n:
        raise ValueError(f"only {len(found)} of {proposed} proposals fell in the region: "
                         f"fewer than the {n} sets asked for")
    return found[:n], len(found), proposed
