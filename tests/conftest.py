"""Shared fixtures: configs composed from the real YAML, small maps, paired-seed ensembles."""

from __future__ import annotations

import functools
import os

import numpy as np
import pytest

import sim

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
