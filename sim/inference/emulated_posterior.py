"""A posterior computed on emulators: the synthetic likelihood with the seeds' means emulated.

Scoring each parameter set by its own few seeds leaves the weights to seed luck
(docs/inference.md). Here the mean of every record point over seeds (and the share of changes
of hands by assault) is emulated across parameter space by a Gaussian process fitted to the
seed means of the sets already run (:func:`sim.inference.emulator.fit_gp`), so each set borrows strength
from its neighbours, and the synthetic likelihood (:mod:`sim.inference.likelihood`) is evaluated on the
emulator at many candidate sets that were never run: the record's points are normal around the
emulated mean, with a covariance that adds the emulator's variance to the pooled seed-to-seed
covariance and the record's error (Wilkinson 2014, GP-accelerated ABC; Kennedy and O'Hagan
2001 for calibration on an emulator).

Sampling is importance sampling in two rounds on the region the history match left (the
posterior is taken to live there: uniform prior on it). The first round is the history match's
own draws (uniform on the region), weighted by their emulated likelihood; the second draws from
a normal fitted to them (:func:`sim.inference.adaptive_importance.proposal`: on the logit scale of the
cube, its covariance shrunk toward the region's and doubled), kept only inside the region
(rejection by the history match's emulators), each weighted by its emulated likelihood over the
proposal's density. The posterior's draws are resampled from the second round by weight
(sampling importance resampling), so they carry equal weights. The emulator is only as good as
the sets it was fitted to: the draws are checked by running the simulator itself at them
(``python -m sim.inference.infer coverage``). Sampling the whole prior box instead (tried) takes sets
where the emulators extrapolate and the simulator collapses at once. On the real map the second
round's weights were more concentrated than the first's (docs/inference.md, measured with the
earlier proposal: a normal on the cube fitted to the heavy points alone, which put nearly all its
mass outside the region).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy import special
from sklearn.covariance import ledoit_wolf
from threadpoolctl import threadpool_limits

from sim.inference import likelihood, synthetic_likelihood
from sim.inference.adaptive_importance import logit_normal_logpdf, normalised, proposal, propose
from sim.inference.emulator import fit_gp


@dataclass
class EmulatedLikelihood:
    """GP emulators of the seed means of the record's points, and what the likelihood adds.

    Attributes:
        gps: one GP per record point (shares, event days), then one for the share by assault.
        z: the record's values.
        noise: pooled seed-to-seed covariance (one run's spread) plus the record's error.
    """

    gps: list
    z: np.ndarray
    noise: np.ndarray

    @classmethod
    def fit(cls, x: np.ndarray, observed: list[list[dict]],
            scale: float = 1.0) -> EmulatedLikelihood:
        """Fit the emulators at unit-cube sets ``x`` to their seeds' observations (2+ each).

        ``scale`` multiplies the record's model discrepancy (:func:`synthetic_likelihood.record_vector`).
        """
        z, error, _ = synthetic_likelihood.record_vector(scale=scale)
        runs = synthetic_likelihood.summaries(observed)
        assault = [np.mean([o["assault"] / max(o["assault"] + o["other"], 1) for o in seeds])
                   for seeds in observed]
        means = np.column_stack([np.array([r.mean(axis=0) for r in runs]), assault])
        gps = [fit_gp(x, means[:, j], seed=j) for j in range(means.shape[1])]
        return cls(gps, z, synthetic_likelihood.seed_covariance(runs) + error)

    def loglik(self, x: np.ndarray, chunk: int = 2000) -> np.ndarray:
        """The emulated synthetic log likelihood of the record at each unit-cube set of ``x``."""
        with threadpool_limits(1):
            mean, sd = zip(*(gp.predict(x, return_std=True) for gp in self.gps), strict=True)
        mean, var = np.column_stack(mean), np.column_stack(sd) ** 2
        points = len(self.z)
        out = np.empty(len(x))
        for start in range(0, len(x), chunk):  # batched normal densities, one covariance each
            part = slice(start, start + chunk)
            cov = self.noise + var[part, :points, None] * np.eye(points)
            resid = self.z - mean[part, :points]
            _, logdet = np.linalg.slogdet(cov)
            quad = np.einsum("ij,ij->i", resid, np.linalg.solve(cov, resid[..., None])[..., 0])
            out[part] = -0.5 * (points * np.log(2 * np.pi) + logdet + quad)
        assault = np.clip(mean[:, points], 0.01, 0.99)
        return out + np.array([likelihood.assault_share_logpmf(a) for a in assault])


def sample(emulated: EmulatedLikelihood, region: np.ndarray,
           inside: Callable[[np.ndarray], np.ndarray], n_candidates: int, n_draws: int,
           seed: int = 2021) -> tuple[np.ndarray, dict]:
    """``n_draws`` unit-cube sets from the emulated posterior on a region, and what it took.

    Args:
        emulated: the emulated likelihood.
        region: sets drawn uniformly from the region the posterior lives in (the history
            match's non-implausible draws): the first round, weighted by their likelihood.
        inside: which unit-cube sets lie in that region (a boolean per row).
        n_candidates: second-round candidates wanted (proposals outside the cube or the region
            are rejected: :func:`sim.inference.adaptive_importance.propose`).
        n_draws: draws resampled by weight from the second round.
        seed: seeds the proposals and the resampling.

    Returns:
        The draws and a dict: each round's normalised weights, the proposals made and the
        second round's candidates.
    """
    rng = np.random.default_rng(seed)
    w1 = normalised(emulated.loglik(region))
    normal = proposal(region, w1, ledoit_wolf(special.logit(region))[0])
    second, _, proposed = propose(normal, n_candidates, inside, rng)
    w2 = normalised(emulated.loglik(second) - logit_normal_logpdf(normal, second))
    draws = second[rng.choice(len(second), size=n_draws, p=w2)]
    return draws, {"weights_first": w1, "proposed": proposed, "candidates": len(second),
                   "weights_second": w2}
