"""The posterior of the uncertain parameters given the 2021 record, its checks, and calibration.

Simulation-based inference with a library (``sbi``'s neural posterior estimation): every
simulation its own parameters and seed (:mod:`~sim.inference.simulate`), each run judged whole
through its summaries (:mod:`~sim.inference.summaries`: the record's count series and run-level
features), a normalising flow trained on them (:mod:`~sim.inference.npe`), simulation-based
calibration, predictive coverage, the time split and the share of 2021-like runs
(:mod:`~sim.inference.checks`), and the posterior file that ``uncertainty=posterior`` reads
(:mod:`~sim.inference.posterior_file`). The command: ``python -m sim.inference.infer``. The
Latin-hypercube calibration of the defaults: :mod:`~sim.inference.calibration`.

Fitting needs the ``inference`` extra (torch, sbi); reading a posterior does not. See
``docs/architecture.md`` and ``docs/inference.md``.
"""


class MissingExtraError(ImportError):
    """Fitting was asked for without the ``inference`` extra (torch, sbi) installed."""
