"""Named random streams, one per mechanism, all derived from the run's seed.

Each mechanism draws only from its own stream, so a scenario that changes how many draws one
mechanism makes (say, air support) leaves every other mechanism's draws unchanged: common random
numbers across scenarios, as in Starsim. The list of names is append-only: never reorder it.
"""

from __future__ import annotations

import numpy as np

STREAM_NAMES: tuple[str, ...] = (
    "mesa",  # Mesa's own generator (agent order within a stage)
    "space",  # synthetic map
    "initial",  # initial control and placement
    "supply",
    "air",
    "taliban",
    "militia",
    "government",
    "combat",
    "surrender",
    "recruitment",
    "centre",
)


class Streams:
    """One independent ``numpy.random.Generator`` per mechanism name."""

    def __init__(self, seed: int) -> None:
        children = np.random.SeedSequence(seed).spawn(len(STREAM_NAMES))
        self._generators = {
            name: np.random.default_rng(child)
            for name, child in zip(STREAM_NAMES, children, strict=True)
        }

    def __getitem__(self, name: str) -> np.random.Generator:
        return self._generators[name]

    def replace(self, name: str, seed: int) -> None:
        """Draw ``name`` as a run of ``seed`` would, the other streams unchanged (variance studies)."""
        self._generators[name] = Streams(seed)[name]
