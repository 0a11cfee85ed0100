"""Config group ``air`` (``SimConfig.air``): each field's unit, range and source."""

from __future__ import annotations

from dataclasses import dataclass

from sim.config.fields import date_param, param


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
