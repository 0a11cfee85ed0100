"""Shared fixtures: configs composed from the real YAML, small maps, paired-seed ensembles."""

from __future__ import annotations

import copy
import functools
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import sim
from sim.config import as_dict

os.environ.setdefault("MPLBACKEND", "Agg")

TINY = ["debug=tiny"]
SEEDS = range(6)


def tiny(*overrides: str) -> sim.SimConfig:
    """The tiny synthetic config with extra overrides."""
    return sim.load_config([*TINY, *overrides])


def ensemble(overrides: list[str], seeds=SEEDS) -> list[sim.RunResult]:
    """The tiny config with ``overrides`` run over paired seeds (read-only results)."""
    return paired_runs(tuple(overrides), tuple(seeds))


@functools.cache
def paired_runs(overrides: tuple[str, ...], seeds: tuple[int, ...]) -> list[sim.RunResult]:
    """Each ensemble is run once a session: tests that compare the same arms share its runs."""
    return [sim.run(tiny(*overrides, f"seed={s}")) for s in seeds]


def mean_of(results, column: str, day: int = -1) -> float:
    """Mean of a daily column on ``day`` over an ensemble."""
    return float(np.nanmean([r.daily[column].iloc[day] for r in results]))


def total_events(results, event: str) -> int:
    """How many events of a kind an ensemble logged."""
    return int(sum((r.events["event"] == event).sum() for r in results))


@pytest.fixture
def tiny_config() -> sim.SimConfig:
    """The tiny synthetic config (seed 0)."""
    return tiny()


@pytest.fixture(scope="session")
def tiny_result() -> sim.RunResult:
    """One run of the tiny config, shared by read-only tests."""
    return sim.run(tiny())


# A sweep's run folders written without running the model (sim.studies.compare and
# sim.studies.brief read them).
DAYS = 120
CAPITALS = (0, 1, 2)  # the synthetic folders' capital districts


@functools.cache
def composed(groups: tuple[str, ...]) -> dict:
    """The tiny config composed with group overrides (``scenario=no_air``), as a plain dict."""
    return as_dict(sim.load_config(["debug=tiny", f"days={DAYS}", *groups]))


def fake_run(folder: Path, seed: int, kabul_day: int | None, groups: tuple[str, ...] = (),
             fields: dict | None = None, choices: dict[str, str] | None = None) -> None:
    """Write a complete run folder: the real resolved config, a daily table in which the capitals
    fall ten days apart ending with Kabul on ``kabul_day`` (None: Kabul holds, no capital falls),
    and its summary.

    Args:
        folder: the run folder to create.
        seed: the run's seed.
        kabul_day: the day Kabul falls, or None.
        groups: Hydra overrides composed into the config (``scenario=no_air``, ``air=none``).
        fields: dotted config fields then set (``{"air.frac_fleet": 0.2}``).
        choices: Hydra's record of the config groups chosen, written if given.
    """
    config = copy.deepcopy(composed(groups))
    for key, value in {"seed": seed, **(fields or {})}.items():
        *parents, leaf = key.split(".")
        functools.reduce(dict.__getitem__, parents, config)[leaf] = value
    days = np.arange(DAYS + 1)
    falls = [] if kabul_day is None else [kabul_day - 10 * k for k in range(len(CAPITALS))]
    capitals = sum((days >= f).astype(int) for f in falls) if falls else np.zeros_like(days)
    daily = pd.DataFrame({
        "day": days, "date": pd.date_range("2021-05-01", periods=DAYS + 1).strftime("%Y-%m-%d"),
        "districts_taliban": 5 + days // 10 + seed, "capitals_taliban": capitals,
        "kabul_taliban": (capitals == len(CAPITALS)).astype(int),
        "surrenders_today": days % 2, "negotiations_today": 0})
    summary = {"seed": seed, "scenario": config["scenario"]["name"], "space": "synthetic",
               "days": DAYS, "n_districts": 36,
               "first_capital_fell_day": min(falls) if falls else None,
               "kabul_fell_day": kabul_day, "final_districts_taliban": int(5 + 12 + seed),
               "districts_taliban_on": {}, "equipment_captured": 1.0 * seed}
    folder.mkdir(parents=True)
    (folder / "config.yaml").write_text(yaml.safe_dump(config, sort_keys=False))
    daily.to_csv(folder / "daily.csv", index=False)
    pd.DataFrame({"is_provincial_capital": [d in CAPITALS for d in range(36)]}).to_csv(
        folder / "districts.csv", index=False)
    if choices is not None:
        (folder / ".hydra").mkdir()
        (folder / ".hydra" / "hydra.yaml").write_text(yaml.safe_dump(
            {"hydra": {"runtime": {"choices": {**choices, "hydra/launcher": "basic"}}}}))
    (folder / "summary.json").write_text(json.dumps(summary))
