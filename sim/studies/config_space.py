"""Draws configs across the schema's declared ranges and runs them, to find any that crash.

Every numeric parameter the schema bounds (``param(default, lo, hi)``) is a dimension of the
space, except those that do not act on a run of the map at hand: the seed and horizon, the
ensemble size, the posterior's row (read only under ``uncertainty=posterior``) and the
synthetic map's size (``space.*``, the real map ignores it; refused by ``check_memory`` when too
large). A draw sets a random subset of them (5-25 by default) uniformly within ``[lo, hi]``, or
at an edge with some probability, since the edges are where a share reaches 0 or 1. A draw that
breaks a constraint across fields (``initial.frac_taliban + frac_contested <= 1``) is redrawn:
the schema refuses it with a one-line :class:`ConfigError`, which is an answer, not a crash.

    python -m sim.studies.config_space --configs 300 --days 60
    python -m sim.studies.config_space --edges      # each parameter alone at lo, then at hi
"""

from __future__ import annotations

import argparse
import copy
import time
import traceback
from dataclasses import dataclass

import numpy as np

from sim.config import ConfigError, SimConfig, parameters, validate
from sim.runner import load_config, run

# Numeric fields that do not act on a run of the given map (see the module's docstring).
NOT_DRAWN = ("seed", "days", "seeds", "uncertainty.draw", "space.")


@dataclass(frozen=True)
class Dimension:
    """One bounded numeric parameter: its dotted name, closed range and whether it is an int."""

    name: str
    lo: float
    hi: float
    integer: bool


@dataclass
class Outcome:
    """One drawn config's run: its overrides, seconds taken and, if it crashed, the error."""

    overrides: dict
    seconds: float
    error: str | None = None
    where: str | None = None


def dimensions(excluded: tuple[str, ...] = NOT_DRAWN) -> list[Dimension]:
    """Every numeric parameter with a declared range, less ``excluded`` (names or prefixes)."""
    dims = []
    for name, f in parameters().items():
        lo, hi = f.metadata.get("lo"), f.metadata.get("hi")
        if lo is None or hi is None or name.startswith(excluded):
            continue
        dims.append(Dimension(name, lo, hi, isinstance(f.default, int)))
    return dims


def value_of(dim: Dimension, rng: np.random.Generator, p_edge: float) -> float | int:
    """A value of ``dim``: an edge with probability ``p_edge`` (either one), else uniform."""
    if rng.random() < p_edge:
        value = dim.lo if rng.random() < 0.5 else dim.hi
    elif dim.integer:
        value = rng.integers(dim.lo, dim.hi, endpoint=True)
    else:
        value = rng.uniform(dim.lo, dim.hi)
    return int(value) if dim.integer else float(value)


def with_overrides(base: SimConfig, overrides: dict) -> SimConfig:
    """A copy of ``base`` with dotted ``overrides`` set (not validated)."""
    cfg = copy.deepcopy(base)
    for name, value in overrides.items():
        *groups, leaf = name.split(".")
        node = cfg
        for group in groups:
            node = getattr(node, group)
        setattr(node, leaf, value)
    return cfg


def draw(base: SimConfig, rng: np.random.Generator, dims: list[Dimension], n_min: int = 5,
         n_max: int = 25, p_edge: float = 0.2) -> tuple[dict, SimConfig]:
    """Overrides of ``n_min``-``n_max`` parameters drawn in their ranges, and the valid config."""
    while True:
        chosen = rng.choice(len(dims), size=rng.integers(n_min, n_max, endpoint=True), replace=False)
        overrides = {dims[i].name: value_of(dims[i], rng, p_edge) for i in sorted(chosen)}
        cfg = with_overrides(base, overrides)
        try:
            validate(cfg)
        except ConfigError:  # a constraint across fields: not a config the schema accepts
            continue
        return overrides, cfg


def try_run(overrides: dict, cfg: SimConfig) -> Outcome:
    """Run ``cfg``; a crash is kept as its error and the line of the model that raised it."""
    start = time.perf_counter()
    try:
        run(cfg)
    except Exception as err:  # any crash is what is being looked for
        frames = [f for f in traceback.extract_tb(err.__traceback__) if "/sim/" in f.filename]
        where = f"{frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else None
        return Outcome(overrides, time.perf_counter() - start, f"{type(err).__name__}: {err}", where)
    return Outcome(overrides, time.perf_counter() - start)


def explore(base: SimConfig, n_configs: int, seed: int = 0, **kwargs) -> list[Outcome]:
    """Run ``n_configs`` configs drawn around ``base`` (draw i runs with seed i); every outcome."""
    rng = np.random.default_rng(seed)
    dims = dimensions()
    outcomes = []
    for i in range(n_configs):
        overrides, cfg = draw(base, rng, dims, **kwargs)
        cfg.seed = i
        outcomes.append(try_run(overrides, cfg))
    return outcomes


def explore_edges(base: SimConfig) -> list[Outcome]:
    """Run ``base`` with each parameter alone at each edge of its range (where the schema accepts it)."""
    outcomes = []
    for dim in dimensions():
        for edge in (dim.lo, dim.hi):
            overrides = {dim.name: int(edge) if dim.integer else float(edge)}
            cfg = with_overrides(base, overrides)
            try:
                validate(cfg)
            except ConfigError:  # a constraint across fields: not a config the schema accepts
                continue
            outcomes.append(try_run(overrides, cfg))
    return outcomes


def main(argv: list[str] | None = None) -> None:
    """Run the drawn configs on the base config (with ``overrides``) and print every crash."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     prog="python -m sim.studies.config_space")
    parser.add_argument("--configs", type=int, default=300)
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--seed", type=int, default=0, help="seeds the draws of the configs")
    parser.add_argument("--p-edge", type=float, default=0.2,
                        help="probability that a drawn parameter sits at an edge of its range")
    parser.add_argument("--edges", action="store_true",
                        help="instead, each parameter alone at each edge of its range")
    parser.add_argument("overrides", nargs="*", default=[], help="the base config (Hydra overrides)")
    args = parser.parse_args(argv)
    base = load_config([*args.overrides, f"days={args.days}"])
    if args.edges:
        outcomes, drawn = explore_edges(base), "each parameter alone at each edge"
    else:
        outcomes = explore(base, args.configs, args.seed, p_edge=args.p_edge)
        drawn = f"draws seeded {args.seed}"
    crashes = [o for o in outcomes if o.error]
    for o in crashes:
        print(f"{o.where}  {o.error}\n    " + " ".join(f"{k}={v:g}" for k, v in o.overrides.items()))
    seconds = np.array([o.seconds for o in outcomes])
    print(f"{len(crashes)} of {len(outcomes)} configs crashed ({args.days} days, {drawn}); "
          f"seconds per run: median {np.median(seconds):.2f}, max {seconds.max():.1f}")


if __name__ == "__main__":
    main()
