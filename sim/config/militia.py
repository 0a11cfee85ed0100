"""Config group ``militia`` (``SimConfig.militia``): each field's unit, range and source."""

from __future__ import annotations

from dataclasses import dataclass

from sim.config.fields import date_param, param


@dataclass
class MilitiaConfig:
    """Northern regional militias that defend their home provinces."""

    use_militias: bool = True
    mobilisation_date: str | None = date_param(
        "2021-06-19", "the call to arm (null: never)", "drivers.csv: 19 June 2021")
    alert_hops: int = param(2, 0, 10, "hops", doc="mobilise when Taliban come this close to home",
        source="assumption: no source; militias rise when the Taliban come within one to four hops "
               "of home (range 1 to 4)")
    loyalty: float = param(0.7, 0.0, 1.0, "share", doc="fighters who turn out when called",
        source="assumption: no source; from two in five to nine in ten of those called turn out"
               " (range 0.4 to 0.9)")
    breaking_morale: float = param(0.15, 0.0, 1.0, "morale", doc="a militia below this goes home",
        source="assumption: no source; a militia goes home from a low to a middling morale"
               " (range 0.05 to 0.3)")
    ammo_days: float = param(10.0, 0.0, 100.0, "days of fire",
                             doc="initial stock; refilled in home districts with a road to a hub",
        source="assumption: no source; from a few days' to a month's fire (range 3 to 30)")
