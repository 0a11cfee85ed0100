"""Config group ``combat`` (``SimConfig.combat``): each field's unit, range and source."""

from __future__ import annotations

from dataclasses import dataclass

from sim.config.fields import param


@dataclass
class CombatConfig:
    """Lanchester-type attrition where opposing forces share a district."""

    rate_taliban_fire: float = param(0.02, 0.0, 1.0, "casualties per effective fighter per day",
        source="assumption: no source gives a daily rate; Lanchester's form (1916) with the same "
               "range as government fire and above (range 0.005 to 0.05)")
    # CALIBRATED
    rate_government_fire: float = param(0.0081206, 0.0, 1.0, "casualties per effective soldier per day",
        prior=(0.005, 0.03),
        source="assumption: no source gives a daily rate; Lanchester's form (1916), from 0.5% to 3% "
               "of the enemy per soldier-day of fire")
    # CALIBRATED
    frac_siege_intensity: float = param(0.080788, 0.0, 1.0, "share of assault fire during a siege",
        prior=(0.02, 0.15),
        source="assumption: no source; a siege is fought at a small fraction of an assault's "
               "intensity")
    # CALIBRATED in v0.1, held in round 2026-11
    fortification_capital: float = param(7.74, 1.0, 20.0, "fire multiplier",
        prior=(1.5, 10.0),
        source="assumption: defenders in cities and prepared positions fight at an advantage (the "
               "3:1 rule, Mearsheimer 1989); from 1.5x to 10x")
    fortification_district: float = param(1.3, 1.0, 20.0, "fire multiplier",
        source="assumption: a district centre is lightly fortified; from none to 3x (the 3:1 rule, "
               "Mearsheimer 1989) (range 1 to 3)")
    w_terrain: float = param(0.5, 0.0, 10.0, "fire multiplier per unit ruggedness",
        source="assumption: rugged ground favours the defender; no source weighs it, from none to "
               "1.5x per unit ruggedness (range 0 to 1.5)")
    frac_fire_without_ammo: float = param(0.1, 0.0, 1.0, "share of normal fire",
        source="assumption: no source; a post without ammunition fires little, from none to 30% of "
               "normal (range 0 to 0.3)")
    frac_fire_broken: float = param(0.5, 0.0, 1.0, "share of normal fire at zero morale",
                                    doc="fire rises linearly from this at morale 0 to 1 at morale 1",
        source="assumption: no source; a broken unit fires from a fifth to four fifths as much"
               " (range 0.2 to 0.8)")
    ammo_days_per_assault: float = param(1.0, 0.0, 10.0, "days of fire per day of assault",
        source="assumption: no source; an assault day spends from half a day's to two days' fire"
               " (range 0.5 to 2)")
    min_troops: int = param(10, 0, 10_000, "troops", doc="a smaller garrison is overrun",
        source="assumption: no source; a post below a section to a platoon is overrun (range 5 to 50)")
