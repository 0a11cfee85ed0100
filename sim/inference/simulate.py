"""Prior simulations for inference: every run its own parameters and its own seed.

Each simulation draws its parameter set from the uniform priors of ``sim.config.priors()`` and
its seed from a generator seeded by the build's seed, without replacement (:func:`seeds`): no
two simulations, and no two parameter sets, share a seed, so the estimator learns the spread of
runs at a parameter set from independent runs, never from the same random numbers replayed
under other parameters. (Common random numbers are for the arms of a study, not for fitting.)

Runs go through :func:`sim.run_many` (the sweeps' batch path), reduced in the worker to their
traces (:func:`sim.inference.summaries.trace`), in chunks saved to one ``.npz`` file after each,
so an interrupted build resumes where it stopped and a larger ``--runs`` adds to what is there.
A later round of a sequential build (:func:`simulate_at`) runs the parameter sets its proposal
drew, with seeds none of the earlier rounds took.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from sim.batch import run_many, vary
from sim.config import SimConfig, as_dict, is_integer, priors
from sim.inference import summaries
from sim.outputs.result import config_hash

CHUNK = 50  # runs per call of run_many (and per save)
# one generator per use of the build's seed: no two uses share a stream
SEED_STREAMS = {"prior": 0, "prior seeds": 1, "predictive": 2, "check": 3, "round seeds": 4}


@dataclass
class Problem:
    """What is inferred: the base config and the uncertain parameters with their prior box."""

    base: SimConfig
    names: list[str]
    low: np.ndarray
    high: np.ndarray

    @classmethod
    def of(cls, base: SimConfig, names: list[str] | None = None) -> Problem:
        """Every prior of ``sim.config.priors()`` (or only ``names``) over ``base``."""
        ranges = priors()
        names = sorted(ranges) if names is None else list(names)
        unknown = [n for n in names if n not in ranges]
        if unknown:
            raise ValueError(f"{', '.join(unknown)}: no prior in sim.config.priors()")
        return cls(base, names, np.array([ranges[n][0] for n in names], float),
                   np.array([ranges[n][1] for n in names], float))

    def draw(self, n: int, rng: np.random.Generator) -> np.ndarray:
        """``n`` parameter sets from the uniform prior, (n, d)."""
        return self.low + (self.high - self.low) * rng.random((n, len(self.names)))

    def config(self, theta: np.ndarray, seed: int) -> SimConfig:
        """The run of parameter set ``theta`` with ``seed`` (integer fields rounded)."""
        values = {n: int(round(v)) if is_integer(n) else float(v)
                  for n, v in zip(self.names, theta, strict=True)}
        return vary(self.base, {**values, "seed": int(seed)})

    def key(self) -> str:
        """The hash of the base config and the parameters: what a simulations file is of."""
        return config_hash({"base": as_dict(self.base), "names": self.names})


def generator(seed: int, stream: str, part: int = 0) -> np.random.Generator:
    """The build's generator for one use (:data:`SEED_STREAMS`) and ``part`` (a round)."""
    return np.random.default_rng([seed, SEED_STREAMS[stream], part])


def seeds(n: int, rng: np.random.Generator, taken: np.ndarray | None = None) -> np.ndarray:
    """``n`` distinct run seeds in 0..2^32-1, none of them in ``taken``."""
    out = np.empty(0, np.int64)
    taken = np.empty(0, np.int64) if taken is None else np.asarray(taken, np.int64)
    while len(out) < n:
        more = rng.integers(0, 2**32, size=n - len(out), dtype=np.int64)
        out = np.concatenate([out, more])
        _, first = np.unique(out, return_index=True)
        out = out[np.sort(first)]
        out = out[~np.isin(out, taken)]
    return out


def run(problem: Problem, theta: np.ndarray, run_seeds: np.ndarray, workers: int = 1,
        desc: str = "runs") -> list[dict]:
    """The traces of one run per row of ``theta`` with its seed, with a progress bar."""
    out: list[dict] = []
    with tqdm(total=len(theta), desc=desc, unit="run") as bar:
        for start in range(0, len(theta), CHUNK):
            part = range(start, min(start + CHUNK, len(theta)))
            configs = [problem.config(theta[i], run_seeds[i]) for i in part]
            out += run_many(configs, n_jobs=workers, keep=summaries.trace, progress=False)
            bar.update(len(part))
    return out


@dataclass
class Simulations:
    """Prior simulations: parameters (n, d), seeds (n,) and traces, of a :meth:`Problem.key`."""

    key: str
    names: list[str]
    theta: np.ndarray
    seeds: np.ndarray
    runs: list[dict]

    def __len__(self) -> int:
        return len(self.theta)

    def __add__(self, other: Simulations) -> Simulations:
        """The runs of both (two rounds of one build)."""
        if other.key != self.key or other.names != self.names:
            raise ValueError("cannot join the simulations of two problems")
        return Simulations(self.key, self.names, np.concatenate([self.theta, other.theta]),
                           np.concatenate([self.seeds, other.seeds]), self.runs + other.runs)

    def part(self, rows: slice) -> Simulations:
        """The runs in ``rows``."""
        return Simulations(self.key, self.names, self.theta[rows], self.seeds[rows],
                           self.runs[rows])

    def summaries(self, until_day: int | None = None) -> np.ndarray:
        """Every run's summary vector, (n, k)."""
        return np.array([summaries.summarise(r, until_day) for r in self.runs])

    def save(self, path: str | Path) -> None:
        """Write to ``path`` (``.npz``, atomically)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.stem}.tmp.npz")
        np.savez_compressed(
            tmp, key=np.array(self.key), names=np.array(self.names), theta=self.theta, seeds=self.seeds,
            daily=np.stack([r["daily"] for r in self.runs]).astype(np.int16),
            counts=np.array([[r["n_districts"], r["n_capitals"], r["assault"], r["other"]]
                             for r in self.runs], np.int64).reshape(-1, 4))
        tmp.replace(path)

    @classmethod
    def load(cls, path: str | Path) -> Simulations:
        """Read what :meth:`save` wrote."""
        with np.load(path) as f:
            runs = [{"daily": d, "n_districts": int(c[0]), "n_capitals": int(c[1]),
                     "assault": int(c[2]), "other": int(c[3])}
                    for d, c in zip(f["daily"], f["counts"], strict=True)]
            return cls(str(f["key"]), [str(n) for n in f["names"]], f["theta"], f["seeds"], runs)


def simulate(problem: Problem, n: int, path: str | Path, seed: int = 0,
             workers: int = 1) -> Simulations:
    """``n`` prior simulations saved at ``path``, resuming (and extending) what it holds.

    The parameter sets and seeds are a seeded sequence, so a rerun with a larger ``n`` asks for
    the same first runs and adds the rest.
    """
    theta = problem.draw(n, generator(seed, "prior"))  # the first rows do not depend on n
    return simulate_at(problem, theta, seeds(n, generator(seed, "prior seeds")), path, workers,
                       "prior simulations")


def simulate_at(problem: Problem, theta: np.ndarray, run_seeds: np.ndarray, path: str | Path,
                workers: int = 1, desc: str = "simulations") -> Simulations:
    """The runs of parameter sets ``theta`` with ``run_seeds``, saved at ``path`` and resumed."""
    n = len(theta)
    path = Path(path)
    key = problem.key()
    done = Simulations.load(path) if path.exists() else \
        Simulations(key, problem.names, theta[:0], run_seeds[:0], [])
    m = min(len(done), n)
    if done.key != key or not np.array_equal(done.seeds[:m], run_seeds[:m]) \
            or not np.allclose(done.theta[:m], theta[:m]):
        raise ValueError(f"{path}: holds the simulations of another config, parameters or seed; "
                         "use another --out")
    with tqdm(total=n, initial=m, desc=desc, unit="run") as bar:
        while len(done) < n:
            part = range(len(done), min(len(done) + CHUNK, n))
            configs = [problem.config(theta[i], run_seeds[i]) for i in part]
            traces = run_many(configs, n_jobs=workers, keep=summaries.trace, progress=False)
            done = Simulations(key, problem.names, theta[:part.stop], run_seeds[:part.stop],
                               done.runs + traces)
            done.save(path)
            bar.update(len(part))
    return done.part(slice(0, n))
