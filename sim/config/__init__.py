"""The configuration schema: every parameter once, with its unit, valid range and source.

Defaults marked ``# CALIBRATED`` come from the 2026-11-28 recalibration, after hubs became
able to be cut off and local fighters kept contesting their districts: three Latin-hypercube
rounds on the real map over the bargains, belief, centre, campaign and recruitment priors
declared here (60 sets x 2 seeds, 50 x 3, 36 x 3, each inside the previous round's best
region), then one-parameter sweeps of the provincial threshold, ``ripe_morale``, the siege drag
and the centre's base hazard on 10 seeds, the chosen set confirmed on 30 seeds; after the air channels
(casualty evacuation, the expectation of support, the August US surge) were added, one more
round of 48 sets x 3 seeds over the bargains, belief, centre and expectation priors and a sweep
of the siege drag on 12-30 seeds; on 2026-11-29 the consolidation thresholds, until then
unsourced constants, were given priors and chosen on a 4 x 3 grid on 30 seeds
(docs/validation.md gives the figures and what the defaults do not reproduce); on 2026-12-07,
after the handover came to need a Taliban force at the gates and news came to travel between
provincial leaderships, thirteen defaults (the bargains' thresholds and ``handover_odds``, the
belief's shocks, siege wear, recovery and far ties, ``campaign.p_commit`` and ``w_talks``,
``surrender.logit_base``, ``consolidation_belief``) were chosen by hand-guided sweeps scored run
by run (the share of 2021-like runs and each pattern's share) on seeds 0-49 only. Those marked
``# CALIBRATED in v0.1`` keep the values of earlier rounds; every other default is a sourced
figure or a documented assumption. ``sim/data/posterior.csv`` holds the posterior over the same priors
(``uncertainty=posterior``).

Dataclasses are registered in Hydra's ConfigStore by :func:`register_schema` (Hydra is imported
lazily there, never at import time). :func:`to_config` turns a composed OmegaConf object into a
validated :class:`SimConfig`; a bad value raises :class:`ConfigError` with one line naming the field,
the value and what is allowed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import enum
import re
from dataclasses import dataclass, field
from typing import Any

SCHEMA_NAME = "sim_schema"


class ConfigError(ValueError):
    """A user's config value is out of range or of the wrong kind (one line, names the field)."""


class SpaceKind(enum.Enum):
    """Which district map to run on."""

    REAL = "real"
    SYNTHETIC = "synthetic"


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


@dataclass
class SpaceConfig:
    """The district map: the real 398-district graph or a seeded synthetic one."""

    kind: SpaceKind = SpaceKind.REAL
    n_provinces: int = param(9, 1, 400, "provinces", doc="synthetic map: number of provinces")
    province_side: int = param(4, 2, 30, "districts", doc="synthetic map: districts per province side")
    frac_extra_edges: float = param(0.2, 0.0, 1.0, "share", doc="synthetic map: diagonal links added")


@dataclass
class InitialConfig:
    """How the 1 May 2021 control split is assigned to districts (ranked by affinity score)."""

    frac_taliban: float = param(0.183, 0.0, 1.0, "share of districts",
                                source="LWJ 1 May 2021: 73 of 398 drawn")
    frac_contested: float = param(0.528, 0.0, 1.0, "share of districts",
                                  source="LWJ 1 May 2021: 210 of 398 drawn")
    w_pashtun: float = param(1.0, 0.0, 10.0, "score", doc="affinity of Pashtun-majority provinces",
        source="assumption: the movement's base is Pashtun (Giustozzi, The Taliban at War, 2019); no"
               " source weighs it against the other scores, so from none to 3x (range 0 to 3)")
    w_remote: float = param(1.0, 0.0, 10.0, "score per hop", doc="affinity per hop from a capital",
        source="assumption: insurgents hold ground far from the state's garrisons (Kalyvas, The "
               "Logic of Violence in Civil War, 2006); no source weighs it (range 0 to 3)")
    w_prior: float = param(2.0, 0.0, 10.0, "score",
                           doc="affinity of a district sourced as Taliban-held before 2021 "
                               "(minus for government-held; sim/data/district_control_prior.csv)",
        source="assumption: a 2017-2020 source naming a district is the best evidence the rule has; "
               "no source weighs it against the others (range 0.5 to 5)")
    w_noise: float = param(0.8, 0.0, 10.0, "score", doc="scale of random affinity (init stream)",
        source="assumption: what the scores miss; from a nudge to a score as large as the sourced "
               "ones (range 0.2 to 2)")


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


@dataclass
class AirConfig:
    """The Afghan air force and US air support, through each of their channels (``sim.stages.air``).

    Channels: strikes (AAF sorties and US strikes, each killing fighters at a ranged rate);
    contractor maintenance (readiness by aircraft type, with and without the contractors); the
    AAF's allocation of helicopter sorties between lift, casualty evacuation and strikes;
    casualty evacuation (wounded flown out survive and weigh less on morale); and, through what
    garrisons see of these, the expectation of support (``sim.stages.expectation``).
    """

    use_aaf: bool = True
    frac_fleet: float = param(1.0, 0.0, 10.0, "share",
                              doc="share of the AAF fleet and of US strikes serving this map "
                                  "(scale down for small synthetic maps)")
    n_a29: int = param(23, 0, 500, "aircraft", source="SIGAR 30 Jul 2021 (usable on 30 Jun)")
    n_md530: int = param(43, 0, 500, "aircraft", source="SIGAR 30 Jul 2021")
    n_ac208: int = param(10, 0, 500, "aircraft", source="SIGAR 30 Jul 2021")
    n_mi17: int = param(32, 0, 500, "aircraft", source="SIGAR 30 Jul 2021")
    n_uh60: int = param(33, 0, 500, "aircraft", source="SIGAR 30 Jul 2021")
    n_c208: int = param(23, 0, 500, "aircraft", source="SIGAR 30 Jul 2021")
    n_c130: int = param(3, 0, 500, "aircraft", source="SIGAR 30 Jul 2021")
    payload_mi17: float = param(3.0, 0.0, 20.0, "tonnes per sortie",
                                source="Mi-17: ~4 t internal load at sea level; less at altitude")
    payload_uh60: float = param(1.2, 0.0, 10.0, "tonnes per sortie",
                                source="UH-60A: ~1.2 t internal load at altitude (assumed)")
    payload_c208: float = param(1.0, 0.0, 10.0, "tonnes per sortie",
                                source="C-208 Cargo: ~1.4 t payload, less on short strips")
    payload_c130: float = param(15.0, 0.0, 50.0, "tonnes per sortie",
                                source="C-130H: ~19 t maximum payload, ~15 t typical")
    # Contractor maintenance: mission-capable share by type with the contractors (ready_*) and
    # what is left once they have gone (ready_floor_*). SIGAR's quarterly report of 30 July 2021
    # gives two types; the others are assumptions (SIGAR: "5 of 7 types" lost readiness in June).
    ready_a29: float = param(0.80, 0.0, 1.0, "mission-capable share",
                             doc="assumed: SIGAR gives no A-29 figure for 2021",
        source="assumption: SIGAR gives no figure for this type; around the UH-60's 77% and the "
               "AC-208's 93% reported for April-May 2021 (SIGAR 30 Jul 2021) (range 0.6 to 0.95)")
    ready_md530: float = param(0.80, 0.0, 1.0, "mission-capable share", doc="assumed",
        source="assumption: SIGAR gives no figure for this type; around the UH-60's 77% and the "
               "AC-208's 93% reported for April-May 2021 (SIGAR 30 Jul 2021) (range 0.6 to 0.95)")
    ready_ac208: float = param(0.93, 0.0, 1.0, "mission-capable share",
                               source="SIGAR 30 Jul 2021: AC-208 93% in April-May 2021")
    ready_mi17: float = param(0.80, 0.0, 1.0, "mission-capable share", doc="assumed",
        source="assumption: SIGAR gives no figure for this type; around the UH-60's 77% and the "
               "AC-208's 93% reported for April-May 2021 (SIGAR 30 Jul 2021) (range 0.6 to 0.95)")
    ready_uh60: float = param(0.77, 0.0, 1.0, "mission-capable share",
                              source="SIGAR 30 Jul 2021: UH-60 77% in April-May 2021")
    ready_c208: float = param(0.80, 0.0, 1.0, "mission-capable share", doc="assumed",
        source="assumption: SIGAR gives no figure for this type; around the UH-60's 77% and the "
               "AC-208's 93% reported for April-May 2021 (SIGAR 30 Jul 2021) (range 0.6 to 0.95)")
    ready_c130: float = param(0.80, 0.0, 1.0, "mission-capable share", doc="assumed",
        source="assumption: SIGAR gives no figure for this type; around the UH-60's 77% and the "
               "AC-208's 93% reported for April-May 2021 (SIGAR 30 Jul 2021) (range 0.6 to 0.95)")
    ready_floor_a29: float = param(0.35, 0.0, 1.0, "mission-capable share",
                                   doc="assumed: contractor-maintained (no SIGAR figure)",
        prior=(0.2, 0.7),
        source="assumption: contractor-maintained with no SIGAR figure; from below the UH-60's fall "
               "to 39% to the AC-208's 63% and above (SIGAR 30 Jul 2021)")
    ready_floor_md530: float = param(0.35, 0.0, 1.0, "mission-capable share",
                                     doc="assumed: contractor-maintained (no SIGAR figure)",
        prior=(0.2, 0.7),
        source="assumption: contractor-maintained with no SIGAR figure; from below the UH-60's fall "
               "to 39% to the AC-208's 63% and above (SIGAR 30 Jul 2021)")
    ready_floor_ac208: float = param(0.63, 0.0, 1.0, "mission-capable share",
                                     source="SIGAR 30 Jul 2021: AC-208 63% by end of June")
    ready_floor_mi17: float = param(0.60, 0.0, 1.0, "mission-capable share",
                                    doc="assumed: largely Afghan-maintained, so it lost less "
                                        "(DoD IG: the AAF turned to the Mi-17 for its ease "
                                        "of maintenance)",
        prior=(0.35, 0.8),
        source="assumption: no SIGAR figure; Afghan-maintained, so it lost less than the "
               "contractor-maintained types (DoD IG, see doc)")
    ready_floor_uh60: float = param(0.39, 0.0, 1.0, "mission-capable share",
                                    source="SIGAR 30 Jul 2021: UH-60 39% by end of June")
    ready_floor_c208: float = param(0.35, 0.0, 1.0, "mission-capable share", doc="assumed",
        prior=(0.2, 0.7),
        source="assumption: contractor-maintained with no SIGAR figure; from below the UH-60's fall "
               "to 39% to the AC-208's 63% and above (SIGAR 30 Jul 2021)")
    ready_floor_c130: float = param(0.35, 0.0, 1.0, "mission-capable share", doc="assumed",
        prior=(0.2, 0.7),
        source="assumption: contractor-maintained with no SIGAR figure; from below the UH-60's fall "
               "to 39% to the AC-208's 63% and above (SIGAR 30 Jul 2021)")
    contractor_exit_date: str | None = date_param(
        "2021-06-01", "maintenance contractors gone; readiness decays after (null: they stay)",
        "SIGAR: contractors left through June")
    readiness_decay_days: float = param(30.0, 1.0, 1000.0, "days", doc="decay time constant",
                                        source="SIGAR: UH-60 77% -> 39% within June")
    sorties_per_aircraft: float = param(
        1.0, 0.0, 10.0, "sorties per ready aircraft per day",
        source="flights of any kind: ~0.5-1.1 per ready aircraft a day from MoD daily counts "
               "(2017-19) and Lead IG flight hours (Sep 2019); strike sorties alone only ~0.3 "
               "(MoD: 491 AAF strikes in June 2021, SIGAR 30 Jul 2021): docs/sources.md",
        doc="one rate for every type and role, so the model's strike sorties run ~3x the MoD's "
            "claimed June 2021 rate; calibrated jointly with kills_per_sortie")
    # Allocation of the helicopters (Mi-17, UH-60): casualty evacuation first, then the rest
    # split between resupply and close air support.
    frac_helo_resupply: float = param(0.5, 0.0, 1.0, "share",
                                      doc="policy: share of Mi-17/UH-60 sorties (after casualty "
                                          "evacuation) flown as resupply; the rest strike",
        source="assumption: no source splits the AAF's Mi-17 and UH-60 sorties between lift and "
               "strike; both roles were flown, so from a fifth to four fifths (range 0.2 to 0.8)")
    frac_helo_casevac: float = param(0.1, 0.0, 1.0, "share",
                                     doc="policy: share of Mi-17/UH-60 sorties flown as "
                                         "casualty evacuation (no source: assumed)",
        prior=(0.02, 0.3),
        source="assumption: no source gives the share; from a few sorties to nearly a third")
    n_casevac_per_sortie: float = param(6.0, 0.0, 50.0, "wounded per sortie",
                                        source="UH-60: 4-6 litters; Mi-17: up to 12 litters "
                                               "(type data sheets)")
    frac_wounded: float = param(0.7, 0.0, 1.0, "share of casualties",
                                doc="share of a garrison's battle casualties wounded, not "
                                    "killed outright (assumed; ~3 wounded per killed in "
                                    "modern wars with evacuation)",
        prior=(0.5, 0.8),
        source="assumption: about 3 wounded per killed in 20th-century wars (Dupuy, Attrition, "
               "1990); fewer survive to be counted where care is poor")
    frac_evacuated_saved: float = param(0.8, 0.0, 1.0, "share of evacuated wounded",
                                        doc="evacuated wounded who survive (and are not counted "
                                            "killed); those left behind die (assumed)",
        source="assumption: most wounded flown out survive; Afghan care was poorer than the "
               "coalition's, so from three in five to nearly all (range 0.6 to 0.98)")
    w_casevac_morale: float = param(0.5, 0.0, 1.0, "share of the casualty morale loss",
                                    doc="lifted from a post whose wounded are all flown out "
                                        "(no source: assumed)",
        prior=(0.0, 1.0),
        source="assumption: no source; from no relief to the whole casualty morale loss")
    kills_per_sortie: float = param(1.0, 0.0, 100.0, "fighters per strike sortie",
                                    source="assumption: no measured rate; Afghan MoD claims "
                                           "of 8-21 killed per reported AAF strike (Aug 2021, "
                                           "several sorties each, likely inflated) bound it above",
        prior=(0.2, 3.0))
    # US strikes, a daily rate by period: until the drawdown, after it, a surge, then the end
    # (the mission's end date, or Kabul's fall in the run, whichever comes first).
    # One weapon released is counted as one strike.
    use_us: bool = True
    us_strikes_per_day: float = param(2.0, 0.0, 200.0, "strikes per day",
                                      doc="until the drawdown date (assumed: AFCENT published "
                                          "no figures from Feb 2020 to Jun 2021)",
        source="assumption: AFCENT published no figures from Feb 2020 to Jun 2021; between July "
               "2021's 0.6 a day and a quarter of 2019's 20 a day (7,423) (range 0.5 to 5)")
    us_drawdown_date: str | None = date_param("2021-07-02", "Bagram vacated",
                                              "press reports: 1-2 July 2021")
    us_strikes_per_day_after: float = param(0.6, 0.0, 200.0, "strikes per day",
                                            source="AFCENT: 18 weapons released in July 2021")
    us_surge_start_date: str | None = date_param(
        "2021-08-01", "US strikes surge to defend the cities (null: no surge)",
        "press: US strikes around Herat, Kandahar, Lashkar Gah from ~1 August 2021")
    us_strikes_per_day_surge: float = param(9.56, 0.0, 200.0, "strikes per day",
                                            source="AFCENT: 153 weapons released in August "
                                                   "2021, most of them in the first half of the "
                                                   "month ((153-16*0.6)/15 a day while the surge "
                                                   "lasts); in the model it lasts until the "
                                                   "mission ends or Kabul falls in the run")
    us_end_date: str | None = date_param("2021-08-31", "end of the US mission (null: never)",
                                         "US statement of 8 July 2021")
    kills_per_us_strike: float = param(3.0, 0.0, 100.0, "fighters per strike",
                                       source="assumption: no measured rate; a precision weapon "
                                              "on fighters in the open kills from one to six",
        prior=(1.0, 6.0))
    boost_air: float = param(0.03, 0.0, 1.0, "local morale per day with strikes overhead",
                             doc="no source: assumed", prior=(0.0, 0.06),
        source="assumption: no source; from no lift to a morale gain that offsets a shortage "
               "(the daily morale lost to a shortage)")


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


@dataclass
class CampaignConfig:
    """The Taliban campaign: the value of every district as an objective, and unit allocation."""

    w_weakness: float = param(2.0, 0.0, 20.0, "score", doc="weakly held districts attract",
        source="assumption: insurgents pick weakly held posts (Kalyvas 2006); no source weighs it, "
               "so from a quarter to twice the default (range 0.5 to 4)")
    weakness_scale: float = param(100.0, 1.0, 10_000.0, "troops",
                                  doc="defenders at which a district's weakness score halves",
        source="assumption: no source; from a platoon to a battalion of defenders (range 30 to 300)")
    w_cut_off: float = param(1.0, 0.0, 20.0, "score", doc="cut-off garrisons attract",
        source="assumption: no source weighs cut-off garrisons as objectives; from none to 3x"
               " (range 0 to 3)")
    w_low_morale: float = param(1.0, 0.0, 20.0, "score", doc="demoralised garrisons attract",
        source="assumption: no source weighs demoralised garrisons as objectives; from none to 3x"
               " (range 0 to 3)")
    w_value: float = param(0.5, 0.0, 20.0, "score", doc="populous districts attract",
        source="assumption: no source weighs population as an objective; from none to 4x (range 0 to 2)")
    w_border: float = param(1.0, 0.0, 20.0, "score", doc="border crossings (customs revenue)",
        source="assumption: border crossings carry customs revenue (World Bank, Afghanistan "
               "Development Update 2020); no source weighs them (range 0 to 3)")
    w_highway: float = param(0.5, 0.0, 20.0, "score", doc="districts on a main road",
        source="assumption: no source weighs main roads as objectives; from none to 4x (range 0 to 2)")
    w_road_cut: float = param(1.5, 0.0, 20.0, "score",
                              doc="road districts next to a held capital (cutting its roads)",
        source="assumption: cutting a city's roads isolates it (the movement's practice around "
               "Kunduz, 2015-16); no source weighs it (range 0 to 3)")
    w_militia: float = param(1.0, 0.0, 20.0, "score",
                             doc="militia home districts before the militias rise (pre-emption)",
        source="assumption: no source weighs pre-emption of militia homes; from none to 3x"
               " (range 0 to 3)")
    # CALIBRATED
    w_capital: float = param(5.22, 0.0, 20.0, "score",
                             doc="a capital cut off (no route from a hub not held by the Taliban)",
        prior=(0.0, 6.0),
        source="assumption: a cut-off capital is the campaign's prize; no source weighs it, so from "
               "none to above every other score")
    # CALIBRATED
    ripe_morale: float = param(0.684, 0.0, 1.0, "morale",
                               doc="a cut-off capital is an objective once its garrison's "
                                   "morale falls below this", prior=(0.3, 0.8),
        source="assumption: no source; from a garrison near breaking to one still fairly firm")
    w_talks: float = param(5.0, 0.0, 20.0, "score",
        doc="districts of provinces in talks attract (a handover needs a force there)",
        source="assumption: a leadership's offer to give up is the campaign's best objective; "
               "the prior spans a minor draw to above a ripe capital's weight",
        prior=(0.0, 8.0))
    w_distance: float = param(0.3, 0.0, 20.0, "score per hop",
        source="assumption: no source; moving costs a unit time, from a small to a dominant cost per"
               " hop (range 0.05 to 1)")
    # CALIBRATED
    w_crowding: float = param(1.384, 0.0, 20.0, "score per unit of attack need already met",
                              doc="units spread over objectives rather than all mass on one",
        prior=(0.0, 3.0),
        source="assumption: no source; from massing on one objective to spreading widely")
    w_noise: float = param(0.5, 0.0, 20.0, "score", doc="scale of each unit's random preference",
        source="assumption: no source; local commanders' own choices, from a nudge to a score as "
               "large as the others (range 0.1 to 1.5)")
    # CALIBRATED
    p_commit: float = param(0.12, 0.0, 1.0, "probability per day",
                            doc="a unit in reserve commits to an objective",
        prior=(0.01, 0.2),
        source="assumption: no source; a reserve unit commits within 5 to 100 days")
    p_replan: float = param(0.05, 0.0, 1.0, "probability per day",
                            doc="a unit reconsiders a standing target anywhere on the map",
        source="assumption: no source; a unit reconsiders its target every 5 to 100 days"
               " (range 0.01 to 0.2)")
    # CALIBRATED in v0.1, held in round 2026-11
    assault_odds: float = param(5.44, 0.1, 100.0, "attacker : defender",
                                doc="assault when effective odds reach this, else besiege",
        prior=(2.0, 8.0),
        source="assumption: the attacker's 3:1 rule (Mearsheimer 1989, International Security 13:4) "
               "on effective odds; from 2 to 8 for a force sparing its men")


@dataclass
class TalibanConfig:
    """Taliban recruitment, prisoners freed, and captured equipment."""

    # CALIBRATED (as 3.476e-05 a resident a day before the pool was bounded: the same day-0 rate)
    rate_recruit: float = param(3.0e-03, 0.0, 1.0, "share of the remaining pool per day",
                                doc="recruits a Taliban-held district raises each day",
        prior=(0.0, 5e-03),
        source="assumption: no source gives a daily rate; from none to half a per cent of the "
               "remaining pool a day")
    frac_fighting_age: float = param(0.23, 0.0, 1.0, "share of residents",
        doc="men of fighting age (15-49)",
        source="CSO Afghanistan population estimates 2020-21: about 47% aged 15-49, half of them "
               "men")
    frac_willing: float = param(0.05, 0.0, 1.0, "share of fighting-age men, times support",
        doc="the most a district's supportive fighting-age men would ever give the movement",
        source="assumption: 60,000-100,000 fighters (UN) of some 7 million fighting-age men is "
               "1-1.5%; the pool allows a few times that where support is full",
        prior=(0.01, 0.1))
    frac_support_pashtun: float = param(1.0, 0.0, 1.0, "share",
        source="assumption: the movement's base is Pashtun (Giustozzi 2019); full support is the "
               "scale's top (range 0.5 to 1)")
    frac_support_other: float = param(0.3, 0.0, 1.0, "share",
        source="assumption: the movement recruited non-Pashtuns in the north (Giustozzi 2019), less;"
               " no source gives a share (range 0.05 to 0.6)")
    n_prisoners: int = param(15_000, 0, 100_000, "prisoners",
                             source="forces.md: thousands freed from captured prisons in August",
                             doc="held in the prisons of sim/data/prisons.csv, by capacity")
    frac_prisoners_join: float = param(0.5, 0.0, 1.0, "share",
                                       doc="freed prisoners who take up arms (assumed)",
        prior=(0.2, 0.8),
        source="assumption: no source; from a fifth to four fifths of those freed")
    crew_per_item: float = param(4.0, 0.1, 100.0, "fighters per item",
                                 doc="crew a captured vehicle or heavy weapon needs",
        source="assumption: a Humvee or light truck needs a few men, a D-30 howitzer a crew of about"
               " six; from 2 to 8 (range 2 to 8)")
    fire_per_item: float = param(2.0, 0.0, 100.0, "fighter-equivalents per crewed item",
        source="assumption: no source; a crewed vehicle or gun adds from half a fighter's to five "
               "fighters' fire (range 0.5 to 5)")


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


@dataclass
class BeliefConfig:
    """The shared belief that the republic will survive (0 none, 1 certain).

    Salient events lower it: capitals lost, provincial deals, the leaders leaving, sieges of
    capitals, and the dated milestones of the US withdrawal (inputs from drivers.csv).
    """

    use_belief: bool = True
    initial: float = param(0.7, 0.0, 1.0, "belief", doc="on 1 May and the level it recovers to",
        source="assumption: no poll measured it on 1 May 2021; a republic doubted but expected to "
               "last (range 0.5 to 0.9)")
    # CALIBRATED: 0 (no recovery between shocks) kept the onset from hovering at the threshold
    rate_recovery: float = param(0.0, 0.0, 1.0, "share of gap to initial per day",
        source="assumption: no source; from a belief that only integrates its shocks (0) to half "
               "a shock fading in two weeks (range 0 to 0.05)")
    # CALIBRATED
    shock_capital: float = param(0.14, 0.0, 1.0, "belief per provincial capital lost",
        prior=(0.02, 0.15),
        source="assumption: no source; a capital lost costs from 2% to 15% of the belief (salient "
               "events move expectations of a regime's survival: Kuran, World Politics 44:1, 1991)")
    shock_deal: float = param(0.06, 0.0, 1.0, "belief per province-wide deal (on top)",
        source="assumption: no source; a province's deal costs up to a capital's shock again"
               " (range 0 to 0.1)")
    shock_milestone: float = param(0.05, 0.0, 1.0, "belief per withdrawal milestone",
        prior=(0.0, 0.1),
        source="assumption: no source; each withdrawal milestone costs from none to 10% of the "
               "belief")
    milestone_dates: list[str] = field(
        default_factory=lambda: ["2021-05-13", "2021-07-02", "2021-07-20"],
        metadata={"unit": "ISO dates", "dates": True,
                  "source": "drivers.csv: Kandahar Airfield handed over, Bagram vacated, "
                            "withdrawal over 95% complete",
                  "doc": "dated inputs: each lowers the belief by shock_milestone"})
    # CALIBRATED
    rate_siege: float = param(0.02, 0.0, 1.0, "belief per day at all capitals besieged",
                              doc="national: sieges of capitals were national news for weeks",
        prior=(0.0, 0.05),
        source="assumption: no source; sieges of every capital at once cost from none to 5% a day")
    use_ties: bool = field(default=True, metadata={
        "doc": "news travels along ties with delays (false: one national belief, every event "
               "reaching every province at once and whole)"})
    days_neighbour: int = param(1, 0, 30, "days",
        doc="delay of news from a neighbouring province",
        source="assumption: word of a fall reached adjacent provinces by phone within a day or "
               "two (reporting of the period); no source measures it",
        prior=(0, 3))
    days_corps: int = param(2, 0, 30, "days",
        doc="delay of news from a province of the same corps area (the army's regional chain)",
        source="assumption: the corps' own reporting chain, a little slower than neighbours",
        prior=(0, 5))
    days_far: int = param(3, 0, 30, "days",
        doc="delay of news from a province with no tie (through the national media)",
        source="assumption: distant events become salient once reported nationally",
        prior=(1, 10))
    w_far: float = param(0.8, 0.0, 1.0, "share of the shock",
        doc="weight of news from a province with no tie",
        source="assumption: a distant fall matters less to a leadership than a neighbour's "
               "(Granovetter's thresholds act through local ties; Watts 2002)",
        prior=(0.1, 1.0))


@dataclass
class ExpectationConfig:
    """Garrisons' expectation that air support will come, learnt from what they see of it.

    Soldiers "no longer knew if or when US forces would come to their defense" (SIGAR interim
    report, May 2022). Each district's expectation moves, on days its garrison is threatened,
    toward whether support came (a strike, an airlift or a casualty evacuation in or near it);
    it shifts the post's baseline morale (``sim.stages.morale``) and, averaged over the garrisons, the
    level the national survival belief recovers to (``sim.stages.belief``). See
    ``sim.stages.expectation``.
    """

    use_expectation: bool = True
    # CALIBRATED
    initial: float = param(0.545, 0.0, 1.0, "probability",
                           doc="expectation on 1 May (calibrated; the May 2021 air effort reaches "
                               "about 0.4-0.5 of the besieged posts a day in runs on the real map)",
        prior=(0.3, 0.8),
        source="assumption: no survey measured it; from a garrison that doubts support will come to "
               "one that mostly expects it")
    memory_days: float = param(20.0, 1.0, 365.0, "threatened days",
                               doc="how many threatened days of evidence the expectation "
                                   "weighs (no source: assumed)",
        prior=(5.0, 60.0),
        source="assumption: no source; from a week to two months of threatened days")
    radius_hops: int = param(1, 0, 5, "hops", doc="support this near counts as seen",
        source="assumption: no source; support seen in the district itself, or up to two hops away"
               " (range 0 to 2)")
    frac_kept: float = param(0.0, 0.0, 1.0, "share of the initial expectation",
                             doc="kept whatever is seen (1: a credible promise of support)",
        source="assumption: no source; garrisons keep from none to half of their initial expectation"
               " whatever they see (range 0 to 0.5)")
    # CALIBRATED
    w_morale: float = param(0.08, 0.0, 1.0, "baseline morale per unit of expectation lost",
                            doc="no source: assumed", prior=(0.0, 0.6),
        source="assumption: no source; from none to most of a garrison's baseline")
    # CALIBRATED
    w_belief: float = param(0.046, 0.0, 1.0, "belief level per unit of mean expectation lost",
                            doc="no source: assumed", prior=(0.0, 0.6),
        source="assumption: no source; from none to most of the belief's level")


@dataclass
class BargainsConfig:
    """Province-level bargains: a provincial leadership hands over its capital and posts.

    Each leadership tips when its pressure exceeds its own threshold (Granovetter): thresholds
    are drawn per province from a normal distribution.
    """

    use_bargains: bool = True
    use_handover_force: bool = field(default=True, metadata={
        "doc": "a district in talks is handed over only to a Taliban force at or next to it "
               "(false: the whole province at once, on the day its leadership tips)"})
    # CALIBRATED
    threshold_mean: float = param(2.75, -10.0, 10.0, "pressure",
        prior=(0.5, 3.0),
        source="assumption: thresholds of collective behaviour (Granovetter, AJS 83:6, 1978); no "
               "source gives their level, so from a low to a high pressure")
    # CALIBRATED
    threshold_sd: float = param(0.05, 0.0, 10.0, "pressure",
        prior=(0.05, 0.6),
        source="assumption: the spread of thresholds sets whether tipping cascades (Granovetter "
               "1978); no source gives it")
    # CALIBRATED
    w_belief: float = param(2.331, 0.0, 10.0, "pressure per unit of belief lost",
        prior=(0.5, 3.0),
        source="assumption: leaders defect as they expect the regime to fall (Kuran 1991); no source"
               " weighs it")
    w_besieged: float = param(0.3, 0.0, 10.0, "pressure when Taliban are in the capital",
        source="assumption: no source; Taliban in the capital add from none to a third of the mean "
               "threshold (range 0 to 1)")
    w_cut_off: float = param(0.3, 0.0, 10.0, "pressure when the capital's roads are cut",
        source="assumption: no source; cut roads add from none to a third of the mean threshold"
               " (range 0 to 1)")
    # CALIBRATED
    w_province_lost: float = param(0.346, 0.0, 10.0, "pressure per share of the province lost",
        prior=(0.0, 1.0),
        source="assumption: no source; a province wholly lost adds from none to a third of the mean "
               "threshold")
    # CALIBRATED
    w_neighbour_deals: float = param(1.0547, 0.0, 10.0,
                                     "pressure per share of neighbouring provinces that dealt",
        prior=(0.2, 1.5),
        source="assumption: neighbours' choices move a threshold actor (Granovetter 1978); no source"
               " weighs them")
    frac_equipment_kept: float = param(0.2, 0.0, 1.0, "share",
                                       doc="equipment a garrison takes with it on safe passage",
        source="assumption: no source; a garrison on safe passage keeps from none to half of its "
               "equipment (range 0 to 0.5)")
    handover_odds: float = param(0.2, 0.0, 10.0, "Taliban fighters per defender",
        doc="force at or next to a district in talks before its defenders hand it over",
        source="assumption: a leadership that has chosen to give up needs only a credible force "
               "at the gates (in 2021 deals were struck with the commanders at the gates); no "
               "source gives a ratio, so the prior spans a token force to parity",
        prior=(0.05, 1.0))


@dataclass
class CentreConfig:
    """Cohesion at the centre: the national leadership may leave or cut a deal."""

    use_centre: bool = True
    # CALIBRATED
    logit_base: float = param(-8.666, -50.0, 50.0, "log-odds per day",
        source="assumption: the design makes the leaders' flight grow with Kabul's isolation and "
               "capitals lost, so with neither it is unlikely: from 1 in 160,000 a day (e^-12) to "
               "1 in 400 (e^-6, a quarter over 120 days)",
        prior=(-12.0, -6.0))
    # CALIBRATED
    w_capitals_lost: float = param(7.56, 0.0, 50.0, "log-odds per share of capitals lost",
        prior=(2.0, 10.0),
        source="assumption: leaders defect as they expect the regime to fall (Kuran 1991); no source"
               " weighs it")
    w_isolation: float = param(3.0, 0.0, 50.0,
                               "log-odds per share of Kabul's neighbours Taliban-held",
        source="assumption: no source; Kabul's neighbours held add from none to 8 log-odds (about as"
               " much as the capitals lost) (range 0 to 8)")


@dataclass
class SurrenderConfig:
    """Whether a besieged garrison gives up, and how: surrender, negotiation, withdrawal, flight.

    A garrison's log-odds of giving up on a day are the pressure on it minus its own threshold;
    thresholds are drawn per garrison (mean ``-logit_base``, spread ``threshold_sd``).
    """

    # CALIBRATED
    logit_base: float = param(-10.5, -50.0, 50.0, "log-odds per day",
                              doc="minus the mean threshold",
        prior=(-12.0, -7.0),
        source="assumption: no source; a garrison under no pressure rarely gives up (from 1 in "
               "160,000 to 1 in 1,100 a day)")
    threshold_sd: float = param(1.0, 0.0, 20.0, "log-odds", doc="spread of the thresholds",
        prior=(0.5, 3.0),
        source="assumption: no source; garrisons differ in resolve (Granovetter 1978), from little "
               "to widely")
    w_no_ammo: float = param(3.0, 0.0, 50.0, "log-odds when out of ammunition",
        source="assumption: posts surrendered after days without ammunition (forces.md: Dawlat Abad,"
               " June 2021); no source weighs it, from 1 to 6 log-odds (range 1 to 6)")
    # CALIBRATED in v0.1, held in round 2026-11
    w_no_supplies: float = param(2.99, 0.0, 50.0, "log-odds when out of supplies",
        prior=(1.0, 6.0),
        source="assumption: no source weighs it; the same range as running out of ammunition")
    # CALIBRATED in v0.1, held in round 2026-11
    w_low_morale: float = param(3.96, 0.0, 50.0, "log-odds per unit of lost morale",
        prior=(1.0, 8.0),
        source="assumption: units give up as cohesion breaks (Shils and Janowitz, POQ 12:2, 1948); "
               "no source weighs it")
    # CALIBRATED
    w_belief: float = param(1.455, 0.0, 50.0, "log-odds per unit of survival belief lost",
        prior=(0.0, 6.0),
        source="assumption: soldiers give up as they expect defeat (Kuran 1991); no source weighs it")
    w_cut_off: float = param(1.0, 0.0, 50.0, "log-odds when cut off",
        source="assumption: no source; being cut off adds from none to 3 log-odds (range 0 to 3)")
    w_odds: float = param(1.0, 0.0, 50.0, "log-odds per log of force ratio",
        source="assumption: no source; from a third to twice a log-odds per log of the force ratio"
               " (range 0.3 to 2)")
    p_elders_pashtun: float = param(0.7, 0.0, 1.0, "probability",
                                    doc="elders mediate a handover in a Pashtun district",
        source="assumption: elders brokered many handovers in Pashtun areas (the 2020-21 pattern in "
               "AAN reporting); no rate is published (range 0.4 to 0.9)")
    p_elders_other: float = param(0.3, 0.0, 1.0, "probability",
        source="assumption: less than in Pashtun districts; no rate is published (range 0.1 to 0.6)")
    p_withdraw: float = param(0.5, 0.0, 1.0, "probability",
                              doc="a giving-up garrison with a route not held by the Taliban withdraws",
        source="assumption: no source; from a fifth to four fifths of those with a route out"
               " (range 0.2 to 0.8)")
    p_flee: float = param(0.7, 0.0, 1.0, "probability",
                          doc="a giving-up garrison near a border crossing flees across it",
        source="assumption: no source; from a third to nine tenths of those near a crossing"
               " (range 0.3 to 0.9)")
    flee_hops: int = param(1, 0, 5, "hops", doc="how near a border crossing flight is possible",
        source="assumption: no source; at the crossing's district or up to two hops from it"
               " (range 0 to 2)")
    frac_equipment_left: float = param(0.5, 0.0, 1.0, "share left behind when withdrawing",
        source="assumption: no source; a withdrawing garrison leaves from a fifth to nine tenths of "
               "its equipment (range 0.2 to 0.9)")
    rate_desertion: float = param(0.00067, 0.0, 1.0, "share of troops per day",
                                  source="forces.md: ~25% a year in 2020, about 2% a month")
    rate_desertion_collapse: float = param(0.02, 0.0, 1.0, "share of troops per day",
                                           doc="added at zero morale and zero belief",
        source="assumption: no source; at zero morale and belief from 0.5% to 5% of the troops leave"
               " a day (range 0.005 to 0.05)")
    desertion_exponent: float = param(2.0, 0.5, 5.0, "power",
                                      doc="how sharply the added desertion rises as both fall",
        source="assumption: no source; from linear to a sharp rise as morale and belief fall"
               " (range 1 to 4)")


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


@dataclass
class GovernmentConfig:
    """Government redeployment: commandos to threatened capitals, and consolidation by choice."""

    n_commando_moves: int = param(2, 0, 100, "units per day", doc="commando units flown per day",
        source="assumption: no source; the AAF's lift moved one to five commando units a day"
               " (range 1 to 5)")
    commando_min_threat: float = param(0.25, 0.0, 100.0, "attackers per defender",
                                       doc="pressure around a capital before commandos are sent",
        source="assumption: no source; from a tenth to parity of attackers per defender"
               " (range 0.1 to 1)")
    use_consolidation: bool = True
    # CALIBRATED
    consolidation_belief: float = param(0.02, 0.0, 1.0, "belief",
        doc="consolidate once the survival belief falls below this",
        source="assumption: no published threshold; from a leadership that consolidates at the "
               "first loss of confidence (0.6, of an initial 0.7) to one that holds until none "
               "is left (0)",
        prior=(0.0, 0.6))
    # CALIBRATED
    consolidation_frac_lost: float = param(0.65, 0.0, 1.0, "share of districts",
        doc="...or once this share of districts is lost",
        source="assumption: no published threshold; from soon after the offensive opens (0.3, "
               "above the 1 May input of 0.18 held) to when almost nothing is left to give (0.95)",
        prior=(0.3, 0.95))


@dataclass
class ScenarioConfig:
    """Name and description of the scenario (its deltas live in configs/scenario/)."""

    name: str = "historical"
    description: str = "The 2021 offensive as it happened: US air support ends, contractors leave."


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
        return float((dt.date.fromisoformat(date) - dt.date.fromisoformat(self.start_date)).days)


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


CLOSE = 0.6  # difflib's ratio from which a key is offered as the one meant


def nearest(name: str) -> str | None:
    """The schema name close to ``name`` (a typo, or a parameter named without its group).

    None when no name is close (difflib's ratio below :data:`CLOSE`): a far guess misleads.
    """
    names = list(parameters())
    match = difflib.get_close_matches(name, names, n=1, cutoff=CLOSE)
    if not match:
        tails = {n.rsplit(".", 1)[-1]: n for n in reversed(names)}
        match = [tails[t] for t in difflib.get_close_matches(name.rsplit(".", 1)[-1], list(tails),
                                                             n=1, cutoff=CLOSE)]
    return match[0] if match else None


def siblings(name: str) -> list[str]:
    """The keys of the group ``name`` sits in (the top level's for an undotted name)."""
    group, _, _ = name.rpartition(".")
    while group and group not in parameters():
        group = group.rpartition(".")[0]
    prefix = f"{group}." if group else ""
    return [n for n in parameters() if n.startswith(prefix) and "." not in n[len(prefix):]]


def unknown(name: str) -> ConfigError:
    """The error for a key the schema does not declare: the nearest key, or the group's keys."""
    match = nearest(name)
    if match:
        return ConfigError(f"{name}: no such parameter; nearest valid key: {match}")
    group = name.rpartition(".")[0]
    where = f"keys of {group}" if group in parameters() else "top-level keys"
    return ConfigError(f"{name}: no such parameter; {where}: {', '.join(siblings(name))}")


FILE_KEY = re.compile(r"In '([^']+)': ConfigKeyError raised while composing config:; "
                      r"Key '([^']+)' not in '([^']+)'")


def unknown_in_file(message: str) -> str:
    """Hydra's message for an unknown key in a config file, as one line naming file and key.

    ``In 'scenario/x': ConfigKeyError ...; Key 'rate_road_dayz' not in 'SupplyConfig'`` becomes
    ``scenario/x.yaml: supply.rate_road_dayz: no such parameter; nearest valid key: ...``; any
    other message is returned as it is.
    """
    found = FILE_KEY.search(message)
    if not found:
        return message
    where, key, schema = found.groups()
    groups = [n for n, f in parameters().items() if getattr(f.type, "__name__", f.type) == schema]
    name = f"{groups[0]}.{key}" if groups else key
    return f"{where}.yaml: {unknown(name)}"


def allowed(name: str) -> str:
    """What parameter ``name`` accepts, in words (for one-line errors)."""
    f = parameters()[name]
    kinds = str(f.type).replace(" ", "").split("|")
    default = f.default
    if f.metadata.get("date"):
        return "an ISO date YYYY-MM-DD" + (" or null" if "None" in kinds else "")
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, enum.Enum):
        return "one of " + ", ".join(k.name for k in type(default))
    if "int" in kinds or "float" in kinds:
        kind = "an integer" if "int" in kinds else "a number"
        unit = f.metadata.get("unit", "")
        return f"{kind} in [{f.metadata.get('lo')}, {f.metadata.get('hi')}] {unit}".rstrip()
    return "a string"


def check_closed(node: Any, cls: type = SimConfig, prefix: str = "") -> None:
    """Refuse a key the schema does not declare (e.g. added with ``+``), naming the nearest one."""
    declared = {f.name: f for f in dataclasses.fields(cls)}
    for key in node:
        name = f"{prefix}{key}"
        if key not in declared:
            raise unknown(name)
        default = default_of(declared[key])
        if dataclasses.is_dataclass(default) and hasattr(node[key], "keys"):
            check_closed(node[key], type(default), f"{name}.")


def to_config(cfg: Any) -> SimConfig:
    """Convert a composed OmegaConf config (or a SimConfig) into a validated SimConfig.

    The schema is closed: a key it does not declare is an error, not silently dropped.
    """
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    if not isinstance(cfg, SimConfig):
        check_closed(cfg)
        try:
            cfg = OmegaConf.to_object(cfg)
        except OmegaConfBaseException as err:
            raise ConfigError(str(err).splitlines()[0]) from None
    validate(cfg)
    from sim.config.memory import check_memory  # a map the machine cannot hold is refused here too

    check_memory(cfg)
    return cfg


def as_dict(cfg: SimConfig) -> dict:
    """Plain nested dict of a config (enums as their names), for YAML and JSON output."""
    def plain(v: Any) -> Any:
        if isinstance(v, enum.Enum):
            return v.name
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        return v
    return plain(dataclasses.asdict(cfg))


def register_schema() -> None:
    """Register :class:`SimConfig` in Hydra's ConfigStore under :data:`SCHEMA_NAME`."""
    from hydra.core.config_store import ConfigStore

    ConfigStore.instance().store(name=SCHEMA_NAME, node=SimConfig)
