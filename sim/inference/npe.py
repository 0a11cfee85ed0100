"""Neural posterior estimation with ``sbi``: a conditional density of the parameters given a run.

Amortised (Papamakarios and Murray 2016; Greenberg, Nonnenmacher and Macke 2019, ``sbi``'s NPE):
a normalising flow ``q(theta | x)`` is trained on prior simulations ``(theta_i, x_i)``, each run
with its own seed, so the flow learns the whole distribution of runs at each parameter set, a
stall and a collapse alike, not a mean. The posterior given the record is ``q(theta | x_2021)``;
given any other dataset it is the same flow, which is what makes simulation-based calibration
cheap (:mod:`sim.inference.checks`).

The flow is trained on the parameters mapped from their prior box to the real line (the logit of
each parameter's place in its range; the uniform prior becomes a standard logistic), so no
posterior mass can leak outside the box and sampling never has to reject draws: given data unlike
any training run (a record the model cannot reproduce), a flow on the box itself can put almost
all its mass outside it, and rejection sampling then never ends.

Only this module imports ``torch`` and ``sbi``: the ``inference`` extra
(``pip install -e ".[inference]"``) is needed to fit, not to read a posterior. Without it,
importing this module raises :class:`sim.inference.MissingExtraError`, one line.
"""

from __future__ import annotations

import contextlib
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.inference import MissingExtraError

try:
    import sbi
    import torch
    from sbi.inference import NPE
    from sbi.neural_nets import posterior_nn
    from sbi.utils import get_density_thresholder
    from torch.distributions import Independent, SigmoidTransform, TransformedDistribution, Uniform
except ImportError:
    raise MissingExtraError('fitting needs the inference extra: pip install -e ".[inference]"') \
        from None

torch.set_num_threads(1)  # sampling and checks on one core; fit() takes the cores it is given

EPS = 1e-6  # how close to its prior's bounds a parameter is mapped (the logit is finite)
ESTIMATOR = "nsf"  # neural spline flow (Durkan et al. 2019)
HIDDEN = 64
TRANSFORMS = 5
TRUNCATION = 1e-4  # posterior mass left outside a truncated proposal (TSNPE's default)
SUPPORT_DRAWS = 100_000  # posterior draws that place the region's density threshold
CANDIDATES = 64  # posterior draws per proposed draw, resampled by importance
VOLUME_DRAWS = 1_000_000  # prior draws that measure the share of the prior a region keeps


# sbi's and its dependencies' notices that say nothing about this fit: a pile of identical
# summaries (every stalled run has the same share) reads as "extreme outliers" to its z-scoring
# check, a summary that never moves on a small map (no assault) as "constant", and nflows calls
# a deprecated torch function.
QUIET = (r"Data has extreme outliers", r"Data has constant values",
         r"torch\.triangular_solve is deprecated")


@contextlib.contextmanager
def _quiet():
    with warnings.catch_warnings():
        for message in QUIET:
            warnings.filterwarnings("ignore", message=message)
        yield


def library() -> str:
    """The library and version that fits, e.g. ``sbi 0.27.0 (torch 2.13.0+cpu)``."""
    return f"sbi {sbi.__version__} (torch {torch.__version__})"


@dataclass
class Fit:
    """A trained posterior estimator and what it was trained on."""

    posterior: object  # sbi's DirectPosterior
    names: list[str]  # the parameters, in column order
    low: np.ndarray
    high: np.ndarray
    n_train: int
    epochs: int
    seconds: float

    def sample(self, x: np.ndarray, n: int, seed: int = 0) -> np.ndarray:
        """``n`` independent draws of the parameters given the summary vector ``x``, (n, d)."""
        torch.manual_seed(seed)
        with _quiet():
            z = self.posterior.sample((n,), x=torch.as_tensor(np.asarray(x), dtype=torch.float32),
                                      show_progress_bars=False)
        return from_real(z.numpy().astype(float), self.low, self.high)

    def truncated_prior(self, x: np.ndarray, n: int, seed: int = 0,
                        quantile: float = TRUNCATION) -> tuple[np.ndarray, float]:
        """``n`` prior draws inside the posterior's highest-probability region given ``x``.

        The proposal of truncated sequential NPE (TSNPE; Deistler, Goncalves and Macke 2022):
        the prior, cut to the region that holds all but ``quantile`` of the posterior's mass
        (``sbi``'s ``get_density_thresholder``). A region of a thousandth of the prior's volume
        is out of reach of rejection from the prior, so the draws are resampled from
        ``CANDIDATES`` times as many posterior draws, weighted by prior over posterior inside
        the region and zero outside (sampling-importance-resampling; ``sbi``'s
        ``RestrictedPrior`` weighs by the region alone). Trained on runs of the prior and of
        such proposals alike, the estimator stays a plain NPE (no correction of its loss),
        since within the region every proposal is the prior up to a constant. Returns the
        draws (n, d) and the share of the prior's volume the region keeps (the share of
        ``VOLUME_DRAWS`` prior draws inside it).
        """
        torch.manual_seed(seed)
        posterior = self.posterior.set_default_x(torch.as_tensor(np.asarray(x), dtype=torch.float32))
        with _quiet():
            inside = get_density_thresholder(posterior, quantile=quantile,
                                             num_samples_to_estimate_support=SUPPORT_DRAWS)
            candidates = posterior.sample((CANDIDATES * n,), show_progress_bars=False)
            weight = torch.exp(posterior.prior.log_prob(candidates)
                               - posterior.log_prob(candidates)) * inside(candidates)
            kept = float(inside(posterior.prior.sample((VOLUME_DRAWS,))).float().mean())
        chosen = torch.multinomial(weight, n, replacement=True)
        return from_real(candidates[chosen].numpy().astype(float), self.low, self.high), kept

    def save(self, path: str | Path) -> Path:
        """Pickle the estimator (``torch.save``) to ``path``."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        torch.save(self, path)
        return path


def to_real(theta: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Parameters in their prior box mapped to the real line (logit of the place in the range)."""
    u = np.clip((np.asarray(theta, float) - low) / (high - low), EPS, 1 - EPS)
    return np.log(u) - np.log1p(-u)


def from_real(z: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """The inverse of :func:`to_real`: back into the prior box."""
    return low + (high - low) / (1 + np.exp(-np.asarray(z, float)))


class Untracked:
    """An ``sbi`` tracker that keeps nothing.

    Without one, ``sbi`` writes TensorBoard logs to ``./sbi-logs`` in whatever folder the command
    runs from.
    """

    log_dir = None

    def log_metric(self, name, value, step=None) -> None:
        """Drop a metric."""

    def log_metrics(self, metrics, step=None) -> None:
        """Drop metrics."""

    def log_params(self, params) -> None:
        """Drop parameters."""

    def add_figure(self, name, figure, step=None) -> None:
        """Drop a figure."""

    def flush(self) -> None:
        """Nothing to write."""


class Logistic(Independent):
    """Independent standard logistics: the uniform prior on the box, seen on the real line.

    With the mean and spread that ``sbi`` asks of a prior (its own would sample them).
    """

    def __init__(self, d: int):
        """``d`` parameters."""
        uniform = Uniform(torch.zeros(d), torch.ones(d))
        super().__init__(TransformedDistribution(uniform, [SigmoidTransform().inv]), 1)
        self.d = d

    @property
    def mean(self):
        """Zero."""
        return torch.zeros(self.d)

    @property
    def stddev(self):
        """The standard logistic's spread, pi / sqrt(3)."""
        return torch.full((self.d,), float(np.pi / np.sqrt(3)))

    @property
    def variance(self):
        """pi^2 / 3."""
        return self.stddev ** 2


def load(path: str | Path) -> Fit:
    """A :class:`Fit` saved by :meth:`Fit.save`."""
    return torch.load(path, weights_only=False)


def fit(theta: np.ndarray, x: np.ndarray, names: list[str], low: np.ndarray, high: np.ndarray,
        seed: int = 0, estimator: str = ESTIMATOR, max_epochs: int | None = None,
        threads: int = 1) -> Fit:
    """Train NPE on simulations ``theta`` (n, d) -> summaries ``x`` (n, k).

    Args:
        theta: the parameters of each simulation, drawn from the uniform prior ``low``-``high``.
        x: each simulation's summary vector (``sim.inference.summaries.summarise``).
        names: the parameters' dotted names.
        low: the prior's lower bounds, (d,).
        high: its upper bounds.
        seed: torch's seed (network initialisation, batches, validation split).
        estimator: ``sbi``'s density estimator (``nsf``, ``maf``, ``mdn``).
        max_epochs: a cap on training epochs (tests); default: until the validation loss stops
            improving (``sbi``'s early stopping).
        threads: torch's threads while training (the cores the simulations no longer use).
    """
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    low, high = np.asarray(low, float), np.asarray(high, float)
    prior = Logistic(len(low))
    net = posterior_nn(model=estimator, hidden_features=HIDDEN, num_transforms=TRANSFORMS)
    trainer = NPE(prior=prior, density_estimator=net, show_progress_bars=False,
                  tracker=Untracked())
    start = time.time()
    kwargs = {} if max_epochs is None else {"max_num_epochs": max_epochs}
    with _quiet(), warnings.catch_warnings():
        if max_epochs is not None:  # a cap chosen by the caller (tests) is no news
            warnings.filterwarnings("ignore", message=r"Maximum number of epochs")
        trainer.append_simulations(
            torch.as_tensor(to_real(theta, low, high), dtype=torch.float32),
            torch.as_tensor(x, dtype=torch.float32)).train(**kwargs)
        posterior = trainer.build_posterior()
    return Fit(posterior, list(names), low, high, len(theta),
               int(trainer.summary["epochs_trained"][-1]), time.time() - start)
