"""Config group ``bargains`` (``SimConfig.bargains``): each field's unit, range and source."""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.config.fields import param


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
    threshold_mean: float = param(3.6, -10.0, 10.0, "pressure",
        prior=(0.5, 5.0),
        source="assumption: thresholds of collective behaviour (Granovetter, AJS 83:6, 1978); no "
               "source gives their level, so from a low pressure to one that only weeks of siege "
               "reach")
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
    # CALIBRATED
    w_siege_days: float = param(0.12, 0.0, 10.0, "pressure per day of siege",
        doc="per day the capital has had Taliban inside since the campaign turned on the cities",
        prior=(0.0, 0.2),
        source="assumption: a besieged city's stocks and will wear down over weeks (posts cut off "
               "ran short of ammunition, food and fuel: SIGAR, Collapse of the ANDSF, May 2022); "
               "no source gives a rate, so from none to the mean threshold in about three weeks")
    w_cut_off: float = param(0.3, 0.0, 10.0, "pressure when the capital's roads are cut",
        source="assumption: no source; cut roads add from none to a third of the mean threshold"
               " (range 0 to 1)")
    # CALIBRATED
    w_province_lost: float = param(0.346, 0.0, 10.0, "pressure per share of the province lost",
        prior=(0.0, 1.0),
        source="assumption: no source; a province wholly lost adds from none to a third of the mean "
               "threshold")
    # CALIBRATED
    w_neighbour_deals: float = param(3.0, 0.0, 10.0,
                                     "pressure per share of neighbouring provinces that dealt",
        prior=(0.2, 8.0),
        source="assumption: neighbours' choices move a threshold actor (Granovetter 1978); no source"
               " weighs them, so from a nudge to more than the mean threshold when all have dealt")
    commandos_in_deals: bool = field(default=True, metadata={
        "doc": "commandos in a district handed over leave under the deal with the rest (false: "
               "they stay, and the district stays contested)",
        "source": "AFP, 13 August 2021: Lashkar Gah, defended by commandos, evacuated under a "
                  "48-hour ceasefire struck with the Taliban; Kandahar's forces withdrew en masse "
                  "to a base outside the city (AFP, 13 August 2021)"})
    deal_takes_province: bool = field(default=False, metadata={
        "doc": "a capital handed over hands over its province's other posts too, each as a force "
               "reaches it (false: they decide for themselves)"})
    frac_equipment_kept: float = param(0.2, 0.0, 1.0, "share",
                                       doc="equipment a garrison takes with it on safe passage",
        source="assumption: no source; a garrison on safe passage keeps from none to half of its "
               "equipment (range 0 to 0.5)")
    # CALIBRATED
    handover_odds: float = param(0.1, 0.0, 10.0, "Taliban fighters per defender",
        doc="force at or next to a district in talks before its defenders hand it over",
        source="assumption: a leadership that has chosen to give up needs only a credible force "
               "at the gates (in 2021 deals were struck with the commanders at the gates); no "
               "source gives a ratio, so the prior spans a token force to parity",
        prior=(0.05, 1.0))
