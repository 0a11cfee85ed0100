"""Config group ``scenario`` (``SimConfig.scenario``): each field's unit, range and source."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ScenarioConfig:
    """Name and description of the scenario (its deltas live in configs/scenario/)."""

    name: str = "historical"
    description: str = "The 2021 offensive as it happened: US air support ends, contractors leave."
