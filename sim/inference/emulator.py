"""Gaussian-process emulators of model outputs, and the implausibility of parameter sets.

History matching (Craig et al. 1997; Vernon, Goldstein and Bower 2010) rules out parameter sets
whose outputs cannot match the record, using a cheap statistical surrogate (an emulator) of the
expensive model. For each output, with record value z,

    I(x) = |z - E[f(x)]| / sqrt(Var_em(x) + Var_obs + Var_md + Var_ens),

where E[f(x)] and Var_em(x) are the emulator's mean and variance at x, Var_obs the observation
variance, Var_md the model discrepancy and Var_ens the run-to-run (seed) variance of a single
realisation. A set is implausible when the largest I over the outputs exceeds the cut-off
(3, by Pukelsheim's three-sigma rule).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.gaussian_process import GaussianProcessRegressor
from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel
from threadpoolctl import threadpool_limits

CUTOFF = 3.0
RESTARTS = 1  # extra random starts of the GP hyperparameter optimiser


def fit_gp(x: np.ndarray, y: np.ndarray, seed: int = 0) -> GaussianProcessRegressor:
    """A GP regression of ``y`` on ``x`` (inputs in the unit cube), with a length scale per input.

    The white-noise term absorbs what the seed mean still varies from run to run. A length
    scale that reaches its upper bound means the output does not depend on that input: scikit-
    learn warns of it (ConvergenceWarning), and the warning is expected here, not an error.
    BLAS runs on one thread: these matrices are small, and threads only contend.
    """
    d = x.shape[1]
    kernel = (ConstantKernel(1.0, (1e-3, 1e3)) * RBF(np.full(d, 0.5), (1e-2, 1e2))
              + WhiteKernel(1e-2, (1e-6, 1.0)))
    gp = GaussianProcessRegressor(kernel, normalize_y=True, n_restarts_optimizer=RESTARTS,
                                  random_state=seed)
    with warnings.catch_warnings(), threadpool_limits(1):
        warnings.simplefilter("ignore", ConvergenceWarning)
        gp.fit(x, y)
    return gp


@dataclass
class Emulator:
    """Emulators of several outputs with their targets and fixed variances (one history-match wave).

    Attributes:
        names: the outputs, in column order.
        gps: one fitted GP per output.
        z: the record's value of each output.
        var_fixed: Var_obs + Var_md + Var_ens of each output.
    """

    names: list[str]
    gps: list[GaussianProcessRegressor]
    z: np.ndarray
    var_fixed: np.ndarray

    @classmethod
    def fit(cls, x: np.ndarray, y: np.ndarray, names: list[str], z, var_obs_md,
            var_ens, seed: int = 0) -> Emulator:
        """Fit one GP per output column of ``y`` (seed means) at unit-cube inputs ``x``."""
        gps = [fit_gp(x, y[:, j], seed) for j in range(y.shape[1])]
        return cls(list(names), gps, np.asarray(z, float),
                   np.asarray(var_obs_md, float) + np.asarray(var_ens, float))

    def predict(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Emulator means and variances at ``x``: two arrays of shape (len(x), outputs)."""
        with threadpool_limits(1):
            mean, sd = zip(*(gp.predict(x, return_std=True) for gp in self.gps), strict=True)
        return np.column_stack(mean), np.column_stack(sd) ** 2

    def implausibility(self, x: np.ndarray) -> np.ndarray:
        """The implausibility of every output at ``x``, shape (len(x), outputs)."""
        mean, var = self.predict(x)
        return np.abs(self.z - mean) / np.sqrt(var + self.var_fixed)


def max_implausibility(x: np.ndarray, emulators: list[Emulator]) -> np.ndarray:
    """The largest implausibility at ``x`` over every output of every wave's emulator (0 if none)."""
    worst = np.zeros(len(x))
    for em in emulators:
        worst = np.maximum(worst, em.implausibility(x).max(axis=1))
    return worst
