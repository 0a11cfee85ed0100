"""Sweeps in one process tree: vary one composed config, run the variants in joblib workers.

Composing a config with Hydra costs about a quarter of a second, as much as a short run, so a
sweep composes its base config once (:func:`sim.load_config`) and derives every variant from it
with :func:`vary` (a deep copy with dotted fields set, validated). :func:`run_many` then runs the
variants in loky worker processes that live for the whole sweep (each imports the package and
loads the packaged map once), with a tqdm progress bar, and returns the results in input order.
Every run draws only from its own seeded streams, so a sweep gives the same results serially and
in parallel, in any order.

Usage::

    import sim
    from sim.outputs.analysis import outcome_row
    from sim.batch import vary

    base = sim.load_config(["scenario=no_air"])            # compose once
    configs = [vary(base, {"seed": s, "morale.government": g})
               for g in (0.4, 0.55, 0.7) for s in range(20)]
    results = sim.run_many(configs, n_jobs=2)              # list[RunResult], input order
    rows = sim.run_many(configs, n_jobs=2,                 # or only what the sweep needs,
                        keep=lambda r: outcome_row(r.summary, r.daily))  # computed in the worker

What comes back: by default each run's whole :class:`~sim.outputs.result.RunResult` (daily, districts
and events tables, summary, control history); on the real map that is about 220 kB a run.
For sweeps of thousands of runs pass ``keep``, a function of the RunResult applied in the worker,
so only its value (an outcome row, a few numbers) crosses back to the parent. Scenario files are
config groups, not fields: compose each scenario once with ``sim.load_config`` and vary seeds and
parameters from there; field overrides written as Hydra strings (``"air.use_us=false"``) become
changes with :func:`changes_of`, so a study composes once and never per run.
"""

from __future__ import annotations

import copy
import dataclasses
import enum
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import numpy as np
from joblib import Parallel, delayed, effective_n_jobs
from tqdm.auto import tqdm

from sim.config import ConfigError, SimConfig, to_config
from sim.config.memory import check_memory, estimate_bytes
from sim.outputs.result import RunResult
from sim.runner import run

T = TypeVar("T")


def vary(base: SimConfig, changes: Mapping[str, Any]) -> SimConfig:
    """A validated copy of ``base`` with dotted fields replaced, e.g. ``{"air.use_us": False}``.

    The copy is deep: changing it later leaves ``base`` alone. Enum fields take their member's
    name (``"SYNTHETIC"``), integer fields an integral number, numpy scalars their Python value.

    Args:
        base: a validated config, typically composed once per sweep by ``sim.load_config``.
        changes: dotted field name -> new value.

    Raises:
        ConfigError: one line naming the field, if it does not exist or its value is not allowed.
    """
    config = copy.deepcopy(base)
    for name, value in changes.items():
        node, parts = config, name.split(".")
        for depth, part in enumerate(parts):
            fields = [f.name for f in dataclasses.fields(node)] if dataclasses.is_dataclass(node) \
                else []
            if part not in fields:
                where = ".".join(parts[:depth]) or "the config"
                has = f"{where} has {', '.join(fields)}" if fields else f"{where} has no fields"
                raise ConfigError(f"{name}: no such field ({has})")
            if depth < len(parts) - 1:
                node = getattr(node, part)
        setattr(node, parts[-1], _coerce(getattr(node, parts[-1]), value, name))
    return to_config(config)


def _coerce(old: Any, value: Any, name: str) -> Any:
    """``value`` in the kind of the field's current value ``old``."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(old, enum.Enum):
        members = type(old).__members__
        key = value.name if isinstance(value, enum.Enum) else str(value).upper()
        if key not in members:
            raise ConfigError(f"{name}={value!r}: must be one of {', '.join(members)}")
        return members[key]
    if dataclasses.is_dataclass(old):
        raise ConfigError(f"{name}: is a group of fields; set {name}.<field> instead")
    if isinstance(old, int) and not isinstance(old, bool) and isinstance(value, float):
        if not value.is_integer():
            raise ConfigError(f"{name}={value!r}: must be an integer")
        return int(value)
    if isinstance(old, float) and isinstance(value, int) and not isinstance(value, bool):
        return float(value)  # as composing ``name=0`` into a float field gives 0.0
    return value


def changes_of(overrides: Sequence[str]) -> dict[str, Any]:
    """Hydra overrides of fields (``"air.use_us=false"``) as :func:`vary`'s changes, typed alike.

    So that a study composes its base once and derives each arm from it: ``vary(base,
    changes_of(o))`` equals ``sim.load_config(o)`` for field overrides (config groups such as
    ``scenario=`` must be composed).

    Raises:
        ConfigError: one line, if an override does not parse or is not a plain assignment.
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import HydraException

    parser, parsed = OverridesParser.create(), []
    for line in overrides:
        try:
            parsed += parser.parse_overrides([line])
        except HydraException as err:
            raise ConfigError(f"{line}: {str(err).splitlines()[0]}") from None
    for o in parsed:
        if o.is_sweep_override() or o.is_delete() or o.is_add() or o.package is not None:
            raise ConfigError(f"{o.input_line}: only plain field=value overrides can be varied")
    return {o.key_or_group: o.value() for o in parsed}


def run_many(configs: Sequence[Any], n_jobs: int = 1, progress: bool = True,
             keep: Callable[[RunResult], T] | None = None,
             batch_size: int | str = "auto") -> list[RunResult] | list[T]:
    """Run every config, in ``n_jobs`` worker processes, and return the results in input order.

    Serial (``n_jobs=1``, in this process) and parallel runs give identical results. Before any
    run starts, the memory the largest run needs times the number running at once is checked
    against what the machine has.

    Args:
        configs: validated :class:`SimConfig` objects (or composed OmegaConf configs).
        n_jobs: worker processes, as in joblib (1: in this process; -1: one per core).
        progress: show a tqdm progress bar (on stderr) as runs finish.
        keep: applied to each run's :class:`RunResult` in its worker; its value is returned
            instead of the whole result (default: the RunResult).
        batch_size: runs sent to a worker at once (joblib's ``batch_size``). ``"auto"`` sends
            one at a time while a run takes over joblib's ideal batch duration (0.2 s; a
            real-map run does) and chunks shorter runs, so dispatch costs little either way.
            The workers stay up between calls (loky's reusable executor), so successive sweeps
            of a session pay the start-up (imports, the packaged map) once.

    Raises:
        ConfigError: a config is invalid, or the sweep would not fit in memory (one line each).
    """
    configs = [to_config(c) for c in configs]
    if not configs:
        return []
    at_once = min(len(configs), effective_n_jobs(n_jobs))
    check_memory(max(configs, key=estimate_bytes), copies=at_once)
    parallel = Parallel(n_jobs=n_jobs, return_as="generator_unordered", batch_size=batch_size)
    jobs = (delayed(_one)(i, config, keep) for i, config in enumerate(configs))
    out: list[Any] = [None] * len(configs)
    with tqdm(total=len(configs), desc="runs", unit="run", disable=not progress) as bar:
        for i, value in parallel(jobs):
            out[i] = value
            bar.update()
    return out


def _one(index: int, config: SimConfig, keep: Callable[[RunResult], T] | None) -> tuple[int, Any]:
    """One run of a sweep, tagged with its place in the input."""
    result = run(config)
    return index, result if keep is None else keep(result)
