"""Config group ``forces`` (``SimConfig.forces``): initial strengths of the three ground forces."""

from __future__ import annotations

from dataclasses import dataclass

from sim.config.fields import param


@dataclass
class ForcesConfig:
    """Initial strengths of the three ground forces."""

    # chosen inside the UN band (v0.1 calibrated 74,500), held in round 2026-11
    n_taliban: int = param(70_000, 1, 500_000, "fighters",
                           source="UN S/2021/486: 58,000-100,000; CNA ~60,000 full-time",
                           doc="placed one unit per contested district and per Taliban-held "
                               "district a 2017-2020 source names as theirs, the rest by population "
                               "x support (a rule: no source gives strength by region)",
        prior=(55000, 100000))
    taliban_unit_size: int = param(100, 5, 10_000, "fighters per unit agent")
    n_andsf_paper: int = param(300_000, 0, 1_000_000, "troops",
                               source="forces.md: ~300,000; by corps area: 215 Corps 18,000 on "
                                      "paper (TOLOnews, Jan 2020), the others by the area's "
                                      "population (a rule; sim/data/corps_strength.csv)")
    # CALIBRATED in v0.1, held in round 2026-11
    frac_present: float = param(0.55, 0.0, 1.0, "share of paper strength",
                                source="forces.md: 40,000-180,000 present of ~300,000",
        prior=(0.15, 0.6))
    # CALIBRATED in v0.1, held in round 2026-11
    frac_in_capitals: float = param(0.42, 0.0, 1.0, "share of present troops",
                                    doc="share of each corps area's troops garrisoned in its "
                                        "provincial capitals",
        source="assumption: no source splits a corps area's troops between its capitals and its "
               "rural posts; from a fifth to most of them (range 0.2 to 0.7)")
    n_commandos: int = param(20_000, 0, 100_000, "troops", source="forces.md: ~20,000")
    commando_unit_size: int = param(500, 10, 10_000, "troops per unit agent")
    # CALIBRATED in v0.1, held in round 2026-11
    n_militia: int = param(14_000, 0, 200_000, "fighters",
                           source="forces.md: no reliable total; wide range; split evenly among "
                                  "the factions (a rule: no size per faction found before May 2021)",
        prior=(2000, 50000))
    militia_unit_size: int = param(500, 10, 10_000, "fighters per unit agent")
    ammo_stock_days: float = param(10.0, 0.0, 100.0, "days of fire",
                                   doc="garrisons' ammunition: initial level and what resupply fills to",
        source="assumption: no source gives ANDSF post stocks; posts ran out within days to weeks "
               "when cut off (SIGAR quarterly reports, 2019-21) (range 3 to 30)")
    # CALIBRATED
    supply_days: float = param(13.806, 0.0, 200.0, "days",
                               doc="garrisons' food/fuel: initial level and what resupply fills to",
        prior=(10, 40),
        source="assumption: no source gives ANDSF post stocks of food and fuel; from about a week "
               "and a half to some six weeks")
    n_equipment_per_100: float = param(4.0, 0.0, 100.0, "vehicles and heavy weapons per 100 troops",
                                       source="forces.md: ~2,000 vehicles captured by late August")
