"""Config group ``campaign`` (``SimConfig.campaign``): each field's unit, range and source."""

from __future__ import annotations

from dataclasses import dataclass

from sim.config.fields import date_param, param


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
    cities_from: str | None = date_param(
        "2021-07-20",
        "the campaign turns on the provincial capitals: before it, no capital is an objective or "
        "handed over (null: from the start)",
        source="the Taliban's stated first phase, districts and highways (Z. Mujahid to EFE, 5 July "
               "2021; S. Shaheen to TASS, 8 July: 'we remained outside them voluntarily'), until "
               "the foreign forces had left; the date is drivers.csv's withdrawal over 95% complete")
    # CALIBRATED
    w_capital: float = param(15.0, 0.0, 20.0, "score",
                             doc="a capital cut off (no route from a hub not held by the Taliban)",
        prior=(0.0, 20.0),
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
