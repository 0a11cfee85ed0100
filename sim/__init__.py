"""Agent-based simulation of the 2021 Taliban offensive on Afghanistan's district graph.

Public API: :func:`load_config` composes the project's Hydra configs, :func:`run` runs one
simulation and returns a :class:`RunResult` of pandas frames, :func:`run_many` runs a sweep of
configs in worker processes (see :mod:`sim.batch`), :class:`OffensiveModel` is the Mesa model
itself, and :func:`branch` continues several arms from one shared history.
"""

from sim.batch import run_many
from sim.config import ConfigError, SimConfig
from sim.model.model import OffensiveModel
from sim.outputs.result import RunResult
from sim.runner import branch, load_config, run, simulate

__all__ = ["ConfigError", "OffensiveModel", "RunResult", "SimConfig", "branch", "load_config",
           "run", "run_many", "simulate"]
