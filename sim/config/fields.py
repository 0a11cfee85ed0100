"""What every parameter declares: default, valid range, unit, source or prior; the config error."""

from __future__ import annotations

from dataclasses import field
from typing import Any


class ConfigError(ValueError):
    """A user's config value is out of range or of the wrong kind (one line, names the field)."""


def param(default: Any, lo: float | None = None, hi: float | None = None, unit: str = "",
          source: str = "", doc: str = "", prior: tuple[float, float] | None = None) -> Any:
    """Declare a parameter with its default, valid closed range [lo, hi], unit and source.

    ``prior`` marks an uncertain parameter: the (low, high) range of its uniform prior, which
    calibration and sensitivity studies draw from (:func:`priors`); ``source`` says why.
    """
    meta = {"lo": lo, "hi": hi, "unit": unit, "source": source, "doc": doc, "prior": prior}
    return field(default=default, metadata=meta)


def date_param(default: str | None, doc: str = "", source: str = "") -> Any:
    """Declare an ISO date parameter (YYYY-MM-DD); ``None`` means never."""
    return field(default=default, metadata={"unit": "ISO date", "doc": doc, "source": source,
                                            "date": True})
