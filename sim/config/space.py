"""Config group ``space`` (``SimConfig.space``): each field's unit, range and source."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from sim.config.fields import param


class SpaceKind(enum.Enum):
    """Which district map to run on."""

    REAL = "real"
    SYNTHETIC = "synthetic"


@dataclass
class SpaceConfig:
    """The district map: the real 398-district graph or a seeded synthetic one."""

    kind: SpaceKind = SpaceKind.REAL
    n_provinces: int = param(9, 1, 400, "provinces", doc="synthetic map: number of provinces")
    province_side: int = param(4, 2, 30, "districts", doc="synthetic map: districts per province side")
    frac_extra_edges: float = param(0.2, 0.0, 1.0, "share", doc="synthetic map: diagonal links added")
