"""Population Monte Carlo: refine a weighted posterior by proposing around its draws.

History matching's draws are uniform on the non-implausible region and weighted by the
likelihood, so when the likelihood is peaked a few draws carry all the weight (a low effective
sample size). A round of population Monte Carlo (Cappé, Guillin, Marin and Robert 2004) draws
new sets from a mixture of Gaussians centred on the current draws, each with its weight and, per
parameter, twice the draws' weighted variance (the kernel of Beaumont, Cornuet, Marin and Robert
2009), truncated to the unit cube of the priors; each new set is weighted by its likelihood over
the proposal's density there (the prior is uniform on the cube), and the new population replaces
the old. Each kernel is truncated to the cube on its own (a product of one-dimensional truncated
normals: rejecting whole points would keep almost none in forty-odd dimensions). The weights
stay exact importance weights, so the result is a posterior sample like the one it refines,
spread where the likelihood is high.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy.special import logsumexp
from scipy.stats import norm, truncnorm

from sim import likelihood
from sim.config import SimConfig
from sim.inference import RunStore, evaluate, from_unit, ranges, to_unit

MIN_SD = 0.01  # kernel spread floor, in units of a prior's range (a parameter all draws share)


def kernel(posterior: pd.DataFrame, scale: float = np.sqrt(2.0)
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The proposal of a weighted posterior: centres (unit cube), weights, per-parameter sd.

    The sd is ``scale`` times the draws' weighted sd (the default, sqrt(2): twice the variance).
    """
    centres = to_unit(posterior[list(ranges())])
    weight = posterior["weight"].to_numpy(float)
    weight = weight / weight.sum()
    mean = weight @ centres
    sd = scale * np.sqrt(weight @ np.square(centres - mean))
    return centres, weight, np.maximum(sd, MIN_SD)


def bounds(centres: np.ndarray, sd: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The cube's faces in standard units of each kernel (truncnorm's a and b)."""
    return -centres / sd, (1.0 - centres) / sd


def propose(centres: np.ndarray, weight: np.ndarray, sd: np.ndarray, n: int,
            rng: np.random.Generator) -> np.ndarray:
    """``n`` points of the mixture: a kernel chosen by weight, then its truncated normals."""
    which = rng.choice(len(weight), size=n, p=weight)
    a, b = bounds(centres[which], sd)
    return centres[which] + sd * truncnorm.rvs(a, b, random_state=rng)


def log_density(points: np.ndarray, centres: np.ndarray, weight: np.ndarray,
                sd: np.ndarray) -> np.ndarray:
    """Log density of the mixture of truncated kernels at ``points`` (inside the unit cube)."""
    a, b = bounds(centres, sd)
    log_mass = np.log(norm.cdf(b) - norm.cdf(a)).sum(axis=1)  # each kernel's mass in the cube
    z = (points[:, None, :] - centres[None, :, :]) / sd
    log_parts = (np.log(weight) - log_mass)[None, :] + norm.logpdf(z).sum(axis=2) \
        - np.log(sd).sum()
    return logsumexp(log_parts, axis=1)


def refine(base: SimConfig, posterior: pd.DataFrame, draws: int, seeds: Sequence[int],
           store: RunStore, workers: int = 1, until_day: int | None = None,
           seed: int = 2021, scale: float = np.sqrt(2.0)) -> pd.DataFrame:
    """One round: ``draws`` new sets proposed around ``posterior``, run and weighted.

    Returns the new population in the posterior's format (draw, weight, loglik, parameters).
    """
    centres, weight, sd = kernel(posterior, scale)
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
