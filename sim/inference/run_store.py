"""The inference database: every run's observations keyed by its config, and sets run over seeds."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from sim.batch import run_many, vary
from sim.config import SimConfig, as_dict, is_integer
from sim.inference import likelihood
from sim.outputs.result import config_hash


class RunStore:
    """Every run of an inference, keyed by its config hash: the observations the record needs.

    A SQLite file: one row per run (key, seed, parameter values and :func:`likelihood.observe`
    as JSON). Only the parent process writes, after each chunk of runs.
    """

    def __init__(self, path: str | Path):
        """Open (or create) the database at ``path``."""
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path)
        self.ran = 0  # runs added through this object (what this call cost)
        self.db.execute("CREATE TABLE IF NOT EXISTS runs (key TEXT PRIMARY KEY, seed INTEGER, "
                        "params TEXT, obs TEXT)")

    def get(self, keys: Sequence[str]) -> dict[str, dict]:
        """The stored observations of those ``keys`` that are present."""
        out = {}
        for i in range(0, len(keys), 500):
            part = list(keys[i:i + 500])
            marks = ",".join("?" * len(part))
            for key, obs in self.db.execute(f"SELECT key, obs FROM runs WHERE key IN ({marks})",
                                            part):
                out[key] = json.loads(obs)
        return out

    def add(self, rows: list[tuple[str, int, dict, dict]]) -> None:
        """Store (key, seed, params, observations) rows and commit."""
        self.db.executemany("INSERT OR REPLACE INTO runs VALUES (?, ?, ?, ?)",
                            [(k, s, json.dumps(p), json.dumps(o)) for k, s, p, o in rows])
        self.db.commit()
        self.ran += len(rows)

    def __len__(self) -> int:
        """Number of stored runs."""
        return self.db.execute("SELECT COUNT(*) FROM runs").fetchone()[0]


def values_of(row: pd.Series | dict) -> dict[str, float | int]:
    """A set's parameter values as Python numbers, integer fields rounded."""
    return {n: int(round(v)) if is_integer(n) else float(v) for n, v in dict(row).items()}


def evaluate(base: SimConfig, sets: pd.DataFrame, seeds: Sequence[int], store: RunStore,
             workers: int = 1, chunk: int = 16) -> list[list[dict]]:
    """The observations of every set over ``seeds``, running only what ``store`` lacks.

    Returns one list of :func:`likelihood.observe` dicts (one per seed) per row of ``sets``.
    Runs are launched in chunks through :func:`sim.run_many` and stored after each chunk, so an
    interrupted inference loses at most one chunk.
    """
    configs, keys, meta = [], [], []
    for _, row in sets.iterrows():
        params = values_of(row)
        for seed in seeds:
            config = vary(base, {**params, "seed": int(seed)})
            configs.append(config)
            keys.append(config_hash(as_dict(config)))
            meta.append((int(seed), params))
    found = store.get(keys)
    first = {k: i for i, k in reversed(list(enumerate(keys)))}  # a run asked for twice runs once
    todo = sorted(i for k, i in first.items() if k not in found)
    if todo:
        print(f"{len(todo)} runs to do, {len(keys) - len(todo)} found in the database")
    for start in range(0, len(todo), chunk):
        part = todo[start:start + chunk]
        observed = run_many([configs[i] for i in part], n_jobs=workers,
                            keep=likelihood.observe, progress=False)
        store.add([(keys[i], *meta[i], o) for i, o in zip(part, observed, strict=True)])
        found.update({keys[i]: o for i, o in zip(part, observed, strict=True)})
    per_set = len(seeds)
    return [[found[k] for k in keys[i:i + per_set]] for i in range(0, len(keys), per_set)]
