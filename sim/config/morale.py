"""Config group ``morale`` (``SimConfig.morale``): each field's unit, range and source."""

from __future__ import annotations

from dataclasses import dataclass

from sim.config.fields import param


@dataclass
class MoraleConfig:
    """Local morale (cohesion) of garrisons, militias and Taliban units (0 broken, 1 resolute).

    It drives the rural posts: supply, isolation, casualties and nearby losses wear it down.
    """

    government: float = param(0.55, 0.0, 1.0, "morale", doc="initial and baseline",
        source="assumption: no survey measured it; ANDSF cohesion was low (forces.md: ~25% "
               "attrition in 2020) (range 0.3 to 0.8)")
    commando: float = param(0.85, 0.0, 1.0, "morale", doc="elite reserve, initial and baseline",
        source="assumption: the commandos were the most cohesive units (SIGAR reports 2019-20) "
               "(range 0.6 to 0.95)")
    taliban: float = param(0.8, 0.0, 1.0, "morale",
        source="assumption: no source; a movement expecting victory after the Doha agreement "
               "(range 0.5 to 0.95)")
    militia: float = param(0.6, 0.0, 1.0, "morale",
        source="assumption: no source; local men defending their homes (range 0.3 to 0.8)")
    rate_recovery: float = param(0.02, 0.0, 1.0, "share of gap to baseline per day",
        source="assumption: no source; a unit regains half its lost morale in two weeks to two "
               "months (range 0.01 to 0.05)")
    rate_isolation: float = param(0.01, 0.0, 1.0, "per day cut off",
        source="assumption: no source; a cut-off post loses from 0.2% to 3% of morale a day"
               " (range 0.002 to 0.03)")
    rate_shortage: float = param(0.03, 0.0, 1.0, "per day short of ammunition or supplies",
        source="assumption: no source; a post short of ammunition or supplies loses from 1% to 6% of"
               " morale a day (range 0.01 to 0.06)")
    w_casualties: float = param(1.0, 0.0, 20.0, "per share of troops lost",
        source="assumption: no source; losing a share of the troops costs from a third of that share"
               " to 3x it in morale (range 0.3 to 3)")
    # CALIBRATED
    rate_contagion: float = param(0.029322, 0.0, 1.0, "per neighbouring district lost recently",
                                  doc="voluntary withdrawals do not count",
        prior=(0.0, 0.05),
        source="assumption: no source; each neighbouring district recently lost costs from none to "
               "5% of morale a day")
    window_days: int = param(12, 1, 100, "days", doc="how long a loss counts as recent",
        source="assumption: no source; news of a nearby loss weighs for one to four weeks"
               " (range 5 to 30)")
    boost_resupply: float = param(0.01, 0.0, 1.0, "per day resupplied",
        source="assumption: no source; a resupplied post regains from none to 3% a day"
               " (range 0 to 0.03)")
    boost_victory: float = param(0.05, 0.0, 1.0, "per district taken (Taliban)",
        source="assumption: no source; a district taken lifts a unit from none to 10% (range 0 to 0.1)")
