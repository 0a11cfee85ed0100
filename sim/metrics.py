"""Daily reporters for Mesa's DataCollector; their names are the columns of ``daily.csv``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from sim.agents import Control, Force

if TYPE_CHECKING:
    from sim.model import OffensiveModel


def _count(control: Control) -> Callable[[OffensiveModel], int]:
    return lambda model: int((model.control == control).sum())


def _mean(values: list[float]) -> float:
    return float(np.mean(values)) if values else float("nan")


def capitals_taliban(model: OffensiveModel) -> int:
    """Provincial capitals held by the Taliban."""
    return int((model.map.is_capital & (model.control == Control.TALIBAN)).sum())


def _ledger(key: str) -> Callable[[OffensiveModel], float]:
    return lambda model: round(model.ledger[key], 1)


def _today(key: str) -> Callable[[OffensiveModel], float]:
    return lambda model: round(float(model.today[key]), 2)


REPORTERS: dict[str, Callable[[OffensiveModel], float]] = {
    "date": lambda model: model.date.isoformat(),
    "districts_taliban": _count(Control.TALIBAN),
    "districts_contested": _count(Control.CONTESTED),
    "districts_government": _count(Control.GOVERNMENT),
    "capitals_taliban": capitals_taliban,
    "kabul_taliban": lambda model: int(
        (model.control[model.map.is_national_capital] == Control.TALIBAN).any()),
    "taliban_fighters": lambda model: round(sum(u.fighters for u in model.units()), 1),
    "taliban_units": lambda model: len(model.units()),
    "government_troops": lambda model: round(sum(g.troops for g in model.garrisons()), 1),
    "commando_troops": lambda model: round(sum(
        g.troops for g in model.garrisons() if g.force is Force.COMMANDO), 1),
    "garrisons": lambda model: len(model.garrisons()),
    "garrisons_cut_off": lambda model: sum(g.is_cut_off for g in model.garrisons()),
    "militia_fighters": lambda model: round(sum(x.fighters for x in model.militias()), 1),
    "militia_mobilised": lambda model: round(sum(
        x.fighters for x in model.militias() if x.mobilised), 1),
    "mean_ammo_days": lambda model: round(_mean([g.ammo_days for g in model.garrisons()]), 3),
    "mean_morale_government": lambda model: round(
        _mean([g.morale for g in model.garrisons()]), 4),
    "mean_morale_taliban": lambda model: round(_mean([u.morale for u in model.units()]), 4),
    "aaf_readiness": lambda model: round(model.air_force.readiness(model.day), 4),
    "strike_sorties": _today("strike_sorties"),
    "us_strikes": _today("us_strikes"),
    "air_resupply_tonnes": _today("air_resupply_tonnes"),
    "surrenders": _today("surrender"),
    "negotiations": _today("negotiation"),
    "withdrawals": _today("withdrawal"),
    "flights": _today("flight"),
    "overruns": _today("overrun"),
    "districts_fell": _today("districts_fell"),
    "equipment_captured": _ledger("equipment_captured"),
    "taliban_killed": _ledger("taliban_killed"),
    "taliban_recruited": _ledger("taliban_recruited"),
    "government_killed": _ledger("government_killed"),
    "government_captured": _ledger("government_captured"),
    "government_deserted": _ledger("government_deserted"),
    "government_fled": _ledger("government_fled"),
}
