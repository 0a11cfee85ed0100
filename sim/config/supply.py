"""Config group ``supply`` (``SimConfig.supply``): each field's unit, range and source."""

from __future__ import annotations

from dataclasses import dataclass

from sim.config.fields import param


@dataclass
class SupplyConfig:
    """Resupply of garrisons by road from the hubs and by air."""

    use_road: bool = True
    rate_road_days: float = param(3.0, 0.0, 100.0, "days of stock delivered per day by road",
        source="assumption: no source gives ANDSF convoy throughput; a convoy day brings from one to"
               " six days of a post's stock (range 1 to 6)")
    km_half_rate: float = param(400.0, 1.0, 10_000.0, "cost-km",
                                doc="a convoy delivers half the daily rate this far from its hub",
        source="assumption: no source; convoys reached the far provinces, slowly (SIGAR reports on "
               "ANDSF logistics, 2019-20), so from a short to a national haul (range 150 to 1000)")
    road_cost_factor: float = param(0.3, 0.01, 1.0, "cost-km per km",
                                    doc="a km along a main road costs a convoy this much of a km off it",
        source="assumption: trucks cover several times the distance a day on a paved main road as "
               "off it; from a tenth to most of the cost (range 0.1 to 0.6)")
    p_contested_convoy: float = param(0.3, 0.0, 1.0, "probability per day",
                                      doc="a convoy through contested districts gets through",
        source="assumption: convoys through contested ground were often stopped or ambushed (SIGAR "
               "quarterly reports, 2019-21); no rate is published (range 0.1 to 0.6)")
    tonnes_per_troop_day: float = param(0.01, 0.0001, 1.0, "tonnes per soldier per day of stock",
        source="assumption: the order of a light infantry soldier's daily food, fuel and ammunition "
               "in field planning; from 5 to 30 kg (range 0.005 to 0.03)")
    frac_lift_multiplier: float = param(1.0, 0.0, 10.0, "factor",
                                        doc="scales the tonnes each lift sortie delivers")
    rate_siege_ammo: float = param(0.5, 0.0, 10.0, "days of fire per day",
                                   doc="ammunition a besieged garrison or militia spends a day",
        source="assumption: no source; a besieged post spends from a fifth of a day's fire to a full"
               " day's each day (range 0.2 to 1)")
    taliban_rate_days: float = param(2.0, 0.0, 100.0, "days of fire per day in own territory",
        source="assumption: no source; the movement resupplied locally in its own districts, from "
               "half a day's to five days' fire a day (range 0.5 to 5)")
    taliban_ammo_days: float = param(10.0, 0.0, 100.0, "days of fire",
                                     doc="what a Taliban unit can carry (initial and refill cap)",
        source="assumption: no source; what a light unit carries, from a few days' to a month's fire"
               " (range 3 to 30)")
