"""The whole schema: one run's config of every group, and the walks over its parameters."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

from sim.config.air import AirConfig
from sim.config.bargains import BargainsConfig
from sim.config.belief import BeliefConfig
from sim.config.campaign import CampaignConfig
from sim.config.centre import CentreConfig
from sim.config.combat import CombatConfig
from sim.config.expectation import ExpectationConfig
from sim.config.fields import ConfigError, date_param, param
from sim.config.forces import ForcesConfig
from sim.config.government import GovernmentConfig
from sim.config.initial import InitialConfig
from sim.config.militia import MilitiaConfig
from sim.config.morale import MoraleConfig
from sim.config.scenario import ScenarioConfig
from sim.config.space import SpaceConfig
from sim.config.supply import SupplyConfig
from sim.config.surrender import SurrenderConfig
from sim.config.taliban import TalibanConfig
from sim.config.uncertainty import UncertaintyConfig


@dataclass
class SimConfig:
    """A whole run: seed, duration, and one sub-config per mechanism."""

    seed: int = param(0, 0, 2**32 - 1, "seed")
    days: int = param(120, 1, 3650, "days")
    seeds: int = param(100, 1, 100_000, "runs", doc="ensemble size of experiment sweeps (seed 0..N-1)")
    start_date: str = date_param("2021-05-01", "day 0 of the run")
    branch_date: str | None = date_param(
        None, "the scenario's levers act from this date; before it the run follows the "
              "historical scenario (a branch of a shared history, sim.branch; null: from day 0)")
    space: SpaceConfig = field(default_factory=SpaceConfig)
    initial: InitialConfig = field(default_factory=InitialConfig)
    forces: ForcesConfig = field(default_factory=ForcesConfig)
    air: AirConfig = field(default_factory=AirConfig)
    supply: SupplyConfig = field(default_factory=SupplyConfig)
    campaign: CampaignConfig = field(default_factory=CampaignConfig)
    taliban: TalibanConfig = field(default_factory=TalibanConfig)
    combat: CombatConfig = field(default_factory=CombatConfig)
    morale: MoraleConfig = field(default_factory=MoraleConfig)
    belief: BeliefConfig = field(default_factory=BeliefConfig)
    expectation: ExpectationConfig = field(default_factory=ExpectationConfig)
    bargains: BargainsConfig = field(default_factory=BargainsConfig)
    centre: CentreConfig = field(default_factory=CentreConfig)
    surrender: SurrenderConfig = field(default_factory=SurrenderConfig)
    militia: MilitiaConfig = field(default_factory=MilitiaConfig)
    government: GovernmentConfig = field(default_factory=GovernmentConfig)
    scenario: ScenarioConfig = field(default_factory=ScenarioConfig)
    uncertainty: UncertaintyConfig = field(default_factory=UncertaintyConfig)

    def day_of(self, date: str | None) -> float:
        """Day index of an ISO date relative to ``start_date`` (``inf`` for ``None``)."""
        if date is None:
            return float("inf")
        return days_between(self.start_date, date)


@functools.lru_cache(maxsize=256)
def days_between(start: str, date: str) -> float:
    """Days from the ISO date ``start`` to ``date`` (kept: stages ask daily for the same dates)."""
    return float((dt.date.fromisoformat(date) - dt.date.fromisoformat(start)).days)


def priors(cfg: Any = None, prefix: str = "") -> dict[str, tuple[float, float, str]]:
    """Every uncertain parameter's uniform prior, by dotted name: ``(low, high, source)``."""
    cfg = SimConfig() if cfg is None else cfg
    out = {}
    for f in dataclasses.fields(cfg):
        value = getattr(cfg, f.name)
        if dataclasses.is_dataclass(value):
            out.update(priors(value, f"{prefix}{f.name}."))
        elif f.metadata.get("prior"):
            lo, hi = f.metadata["prior"]
            out[f"{prefix}{f.name}"] = (lo, hi, f.metadata.get("source") or "no source: assumed range")
    return out


def is_integer(name: str) -> bool:
    """Whether the schema declares the dotted parameter ``name`` (e.g. ``forces.n_taliban``) an int."""
    node: Any = SimConfig()
    for part in name.split("."):
        node = getattr(node, part)
    return isinstance(node, int) and not isinstance(node, bool)


def _check_date(name: str, value: Any) -> None:
    try:
        dt.date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"{name}={value!r}: must be an ISO date YYYY-MM-DD") from None


def validate(cfg: Any, prefix: str = "") -> None:
    """Check every field of a (nested) config dataclass against its declared range or form."""
    for f in dataclasses.fields(cfg):
        value = getattr(cfg, f.name)
        name = f"{prefix}{f.name}"
        if dataclasses.is_dataclass(value):
            validate(value, f"{name}.")
            continue
        meta = f.metadata
        if meta.get("dates"):
            for item in value:
                _check_date(name, item)
        if meta.get("date") and value is not None:
            _check_date(name, value)
        lo, hi = meta.get("lo"), meta.get("hi")
        if value is None or (lo is None and hi is None):
            continue
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise ConfigError(f"{name}={value!r}: must be a number in [{lo}, {hi}]")
        if value != value or (lo is not None and value < lo) or (hi is not None and value > hi):
            raise ConfigError(f"{name}={value!r}: must be in [{lo}, {hi}] {meta['unit']}".rstrip())
    if isinstance(cfg, InitialConfig) and cfg.frac_taliban + cfg.frac_contested > 1:
        raise ConfigError(f"{prefix}frac_taliban + frac_contested = "
                          f"{cfg.frac_taliban + cfg.frac_contested:g}: must be at most 1")


def default_of(f: dataclasses.Field) -> Any:
    """The default value of a schema field (a fresh sub-config for a group)."""
    return f.default_factory() if f.default is dataclasses.MISSING else f.default


def parameters(cls: type = SimConfig, prefix: str = "") -> dict[str, dataclasses.Field]:
    """Every dotted name of the schema (``forces``, ``forces.n_taliban``...) and its field."""
    names = {}
    for f in dataclasses.fields(cls):
        names[f"{prefix}{f.name}"] = f
        default = default_of(f)
        if dataclasses.is_dataclass(default):
            names.update(parameters(type(default), f"{prefix}{f.name}."))
    return names
