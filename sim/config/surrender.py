"""Config group ``surrender`` (``SimConfig.surrender``): each field's unit, range and source."""

from __future__ import annotations

from dataclasses import dataclass

from sim.config.fields import param


@dataclass
class SurrenderConfig:
    """Whether a besieged garrison gives up, and how: surrender, negotiation, withdrawal, flight.

    A garrison's log-odds of giving up on a day are the pressure on it minus its own threshold;
    thresholds are drawn per garrison (mean ``-logit_base``, spread ``threshold_sd``).
    """

    # CALIBRATED
    logit_base: float = param(-12.0, -50.0, 50.0, "log-odds per day",
                              doc="minus the mean threshold",
        prior=(-13.0, -7.0),
        source="assumption: no source; a garrison under no pressure rarely gives up (from 1 in "
               "440,000 to 1 in 1,100 a day)")
    # CALIBRATED
    threshold_sd: float = param(2.0, 0.0, 20.0, "log-odds", doc="spread of the thresholds",
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
    w_belief: float = param(0.0, 0.0, 50.0, "log-odds per unit of survival belief lost",
        prior=(0.0, 6.0),
        source="assumption: soldiers give up as they expect defeat (Kuran 1991); no source weighs "
               "it. Calibrated to none: a rural post's choice is local (its supplies, morale, "
               "odds), and the countryside held while the capitals fell (DESIGN.md, P1b)")
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
    # CALIBRATED
    p_flee: float = param(0.9, 0.0, 1.0, "probability",
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
