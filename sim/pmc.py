"""Population Monte Carlo: refine a weighted posterior by proposing around its draws.

History matching's draws are uniform on the non-implausible region and weighted by the
likelihood, so when the likelihood is peaked a few draws carry all the weight (a low effective
sample size). A round of population Monte Carlo (Cappé, Guillin, Marin and Robert 2004) draws
new sets from a mixture of Gaussians centred on the current draws, each with its weight and, per
parameter, twice the draws' weighted variance (the kernel of Beaumont, Cornuet, Marin and Robert
2009), truncated to the unit cube of the priors; each new set is weighted by its likelihood over
the proposal's density there (the prior is uniform on the cube), and the new population replaces
the old. The weights stay exact importance weights, so the result is a posterior sample like
the one it refines, spread where the likelihood is high.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.special import logsumexp
from scipy.stats import norm

from sim import likelihood
from sim.config import SimConfig
from sim.inference import RunStore, evaluate, from_unit, ranges, to_unit

MIN_SD = 0.01  # kernel spread floor, in units of a prior's range (a parameter all draws share)
BATCH = 4096  # proposals drawn at a time before the ones outside the cube are rejected


def kernel(posterior: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The proposal of a weighted posterior: centres (unit cube), weights, per-parameter sd."""
    centres = to_unit(posterior[list(ranges())])
    weight = posterior["weight"].to_numpy(float)
    weight = weight / weight.sum()
    mean = weight @ centres
    sd = np.sqrt(2.0 * (weight @ np.square(centres - mean)))
    return centres, weight, np.maximum(sd, MIN_SD)


def propose(centres: np.ndarray, weight: np.ndarray, sd: np.ndarray, n: int,
            rng: np.random.Generator) -> np.ndarray:
    """``n`` points of the mixture truncated to the unit cube (by rejection)."""
    kept: list[np.ndarray] = []
    while sum(len(k) for k in kept) < n:
        which = rng.choice(len(weight), size=BATCH, p=weight)
        points = centres[which] + sd * rng.standard_normal((BATCH, centres.shape[1]))
        kept.append(points[((points >= 0.0) & (points <= 1.0)).all(axis=1)])
    return np.concatenate(kept)[:n]


def log_density(points: np.ndarray, centres: np.ndarray, weight: np.ndarray,
                sd: np.ndarray) -> np.ndarray:
    """Log density of the truncated mixture at ``points`` (all inside the unit cube).

    The untruncated mixture's density over the probability that it lands in the cube, which
    for Gaussians with a diagonal covariance is a product of one-dimensional masses.
    """
    z = (points[:, None, :] - centres[None, :, :]) / sd
    log_parts = np.log(weight)[None, :] + norm.logpdf(z).sum(axis=2) - np.log(sd).sum()
    inside = norm.cdf((1.0 - centres) / sd) - norm.cdf(-centres / sd)
    return logsumexp(log_parts, axis=1) - np.log(weight @ np.prod(inside, axis=1))


def refine(base: SimConfig, posterior: pd.DataFrame, draws: int, seeds: Sequence[int],
           store: RunStore, workers: int = 1, until_day: int | None = None,
           seed: int = 2021) -> pd.DataFrame:
    """One round: ``draws`` new sets proposed around ``posterior``, run and weighted.

    Returns the new population in the posterior's format (draw, weight, loglik, parameters).
    """
    centres, weight, sd = kernel(posterior)
    unit = propose(centres, weight, sd, draws, np.random.default_rng(seed))
    sets = from_unit(unit)
    observed = evaluate(base, sets, seeds, store, workers)
    loglik = np.array([likelihood.loglik(runs, until_day) for runs in observed])
    log_weight = loglik - log_density(to_unit(sets), centres, weight, sd)
    new = np.exp(log_weight - log_weight.max())
    sets.insert(0, "draw", np.arange(len(sets)))
    sets.insert(1, "weight", new / new.sum())
    sets.insert(2, "loglik", loglik)
    return sets
