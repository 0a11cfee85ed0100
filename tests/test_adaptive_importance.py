"""Adaptive multiple importance sampling: its weights, on a target known in closed form."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from sim.inference.adaptive_importance import Round, ess, mixture_weights, normalised, proposal, propose


def test_rounds_concentrate_on_a_narrow_posterior_and_weigh_it_without_bias():
    """A likelihood that is a narrow normal (sd 0.03 at 0.3, 0.6) on the square [0, 1]^2, of
    which the region is the half x1 < 0.8: uniform draws alone see a handful of sets near the
    mode, and three rounds proposed from the weighted sample multiply the effective sample
    size; the weighted mean and spread are the target's, and every set stays in the region."""
    rng = np.random.default_rng(4)
    target = stats.multivariate_normal([0.3, 0.6], 0.03 ** 2 * np.eye(2))

    def inside(x):
        return x[:, 1] < 0.8

    x = rng.uniform(size=(400, 2)) * [1.0, 0.8]
    rounds = [Round(None, float(np.log(0.8)), len(x))]
    first = ess(mixture_weights(x, target.logpdf(x), rounds))
    region_cov = np.cov(x, rowvar=False)
    for _ in range(3):
        normal = proposal(x, mixture_weights(x, target.logpdf(x), rounds), region_cov)
        new, kept, proposed = propose(normal, 400, inside, rng)
        rounds.append(Round(normal, float(np.log(kept / proposed)), len(new)))
        x = np.vstack([x, new])
    weight = mixture_weights(x, target.logpdf(x), rounds)
    assert ess(weight) > 20 * first
    assert np.allclose(np.average(x, axis=0, weights=weight), [0.3, 0.6], atol=0.005)
    sd = np.sqrt(np.average((x - [0.3, 0.6]) ** 2, axis=0, weights=weight))
    assert np.allclose(sd, 0.03, rtol=0.15)
    assert inside(x).all() and ((x >= 0) & (x <= 1)).all()


def test_a_truncated_round_counts_its_normalising_constant():
    """The mixture density divides each normal by its mass in the region: with a uniform
    likelihood on the region x0 < 0.5, the weighted sample is uniform there (mean 0.25 of x0)
    although the second round's normal straddles the region's edge and loses about half of its
    proposals to it."""
    rng = np.random.default_rng(9)

    def inside(y):
        return y[:, 0] < 0.5

    x = rng.uniform(size=(2000, 2)) * [0.5, 1.0]
    rounds = [Round(None, float(np.log(0.5)), len(x))]
    normal = stats.multivariate_normal([0.0, 0.0], 0.5 * np.eye(2))  # logit scale: at 0.5
    new, kept, proposed = propose(normal, 6000, inside, rng)
    assert 0.3 < kept / proposed < 0.7
    rounds.append(Round(normal, float(np.log(kept / proposed)), len(new)))
    x = np.vstack([x, new])
    weight = mixture_weights(x, np.zeros(len(x)), rounds)
    assert np.allclose(np.average(x, axis=0, weights=weight), [0.25, 0.5], atol=0.01)


def test_weights_refuse_log_weights_that_are_all_minus_infinity_or_nan():
    """Every set at likelihood zero, or a NaN among them, is an error, not NaN weights."""
    assert normalised(np.array([-np.inf, 0.0, np.log(3.0)])) == pytest.approx([0, 0.25, 0.75])
    for bad in ([-np.inf, -np.inf], [0.0, np.nan]):
        with pytest.raises(ValueError, match="NaN"):
            normalised(np.array(bad))
