"""Config group ``uncertainty`` (``SimConfig.uncertainty``): each field's unit, range and source."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from sim.config.fields import param


class Uncertainty(enum.Enum):
    """Which parameter values a run uses: the defaults, a posterior draw or a prior draw."""

    POINT = "point"
    POSTERIOR = "posterior"
    PRIOR = "prior"


@dataclass
class UncertaintyConfig:
    """Parameter uncertainty: ``posterior`` makes run i use posterior draw i (sim/uncertainty.py).

    Under ``posterior``, every uncertain parameter (one with a prior) that the scenario or an
    override leaves at its default takes the draw's value; one set away from its default is a
    lever and keeps its value. Arms with the same seeds get the same draws (paired).
    """

    kind: Uncertainty = Uncertainty.POINT
    posterior: str | None = field(default=None, metadata={
        "doc": "posterior CSV (null: the packaged sim/data/posterior.csv)"})
    draw: int = param(-1, -1, 10**9, "row", doc="posterior draw used (-1: picked by the seed)")
