"""Plain labels for readers: arms, outcomes and uncertain parameters, with units and colours.

The one table the brief, the comparison's printout and the figures draw their words from, so
that a reader meets ``US strikes at the 2019 rate``, never ``us_2019_rate``. The CSVs keep the
machine names; only what people read goes through here.
"""

from __future__ import annotations

import datetime as dt
import re

ARMS = {
    "historical": "Historical (as recorded)",
    "us_2019_rate": "US strikes at the 2019 rate",
    "contractors_stay": "Maintenance contractors stay",
    "doubled_lift": "Air lift doubled",
    "expectation_kept": "Garrisons keep expecting air support",
    "all_air_levers": "All air levers together",
    "air_from_june": "All air levers from 1 June",
    "air_from_july": "All air levers from 1 July",
    "air_from_august": "All air levers from 1 August",
    "sustained_air": "Air support sustained",
    "no_air": "No air power",
    "doubled_resupply": "Air resupply doubled",
    "early_consolidation": "Early consolidation",
    "militias_early": "Militias armed early",
    "high_morale": "Higher government morale",
    "low_morale": "Lower government morale",
}

# One colour per lever, the same in every figure (Okabe-Ito, safe for colour-blind readers).
COLOURS = {
    "historical": "#555555",
    "us_2019_rate": "#0072B2",
    "contractors_stay": "#E69F00",
    "doubled_lift": "#009E73",
    "expectation_kept": "#CC79A7",
    "all_air_levers": "#D55E00",
    "sustained_air": "#56B4E9",
    "no_air": "#000000",
}
OTHER_COLOURS = ("#56B4E9", "#F0E442", "#999999", "#882255", "#44AA99", "#117733")

# outcome column -> (label, unit of its axis)
OUTCOMES = {
    "kabul_holds": ("Kabul holds to day 120", "share of runs"),
    "kabul_falls": ("Kabul falls by the horizon", "share of runs"),
    "first_capital_falls": ("a provincial capital falls by the horizon", "share of runs"),
    "capitals_held_15_august": ("provincial capitals held on 15 August", "capitals of 34"),
    "days_until_kabul_falls": ("days until Kabul falls", "days"),
    "days_until_first_capital_falls": ("days until the first capital falls", "days"),
    "final_taliban": ("districts Taliban-held on the last day", "districts"),
    "taliban_2021-06-15": ("districts Taliban-held on 15 June", "districts"),
    "taliban_2021-07-05": ("districts Taliban-held on 5 July", "districts"),
    "taliban_2021-08-10": ("districts Taliban-held on 10 August", "districts"),
    "surrenders_and_negotiations_total": ("surrenders and negotiated handovers", "events"),
    "equipment_captured": ("equipment captured by the Taliban", "units"),
}

# parameter -> (what a reader calls it, unit); every prior of sim.config has one, and every
# unsourced air parameter the brief lists
PARAMETERS = {
    "forces.n_taliban": ("Taliban fighters", "fighters"),
    "forces.frac_present": ("share of the government's paper strength present", ""),
    "forces.n_militia": ("militia fighters the north can raise", "fighters"),
    "forces.supply_days": ("garrisons' stocks of food and fuel", "days"),
    "air.ready_a29": ("A-29 readiness with contractors (April-May 2021)", ""),
    "air.ready_md530": ("MD-530 readiness with contractors (April-May 2021)", ""),
    "air.ready_mi17": ("Mi-17 readiness with contractors (April-May 2021)", ""),
    "air.ready_c208": ("C-208 readiness with contractors (April-May 2021)", ""),
    "air.ready_c130": ("C-130 readiness with contractors (April-May 2021)", ""),
    "air.frac_evacuated_saved": ("share of evacuated wounded who survive", ""),
    "air.us_strikes_per_day": ("US strikes a day before the drawdown", "per day"),
    "expectation.radius_hops": ("distance within which garrisons see air support", "districts"),
    "air.ready_floor_a29": ("A-29 readiness without contractors", ""),
    "air.ready_floor_md530": ("MD-530 readiness without contractors", ""),
    "air.ready_floor_mi17": ("Mi-17 readiness without contractors", ""),
    "air.ready_floor_c208": ("C-208 readiness without contractors", ""),
    "air.ready_floor_c130": ("C-130 readiness without contractors", ""),
    "air.frac_helo_casevac": ("share of helicopter sorties flown for the wounded", ""),
    "air.frac_wounded": ("share of casualties wounded rather than killed", ""),
    "air.w_casevac_morale": ("morale lift of flying the wounded out", ""),
    "air.kills_per_sortie": ("Taliban killed per Afghan air strike", "fighters"),
    "air.kills_per_us_strike": ("Taliban killed per US air strike", "fighters"),
    "air.boost_air": ("morale boost of air support", "per day"),
    "campaign.w_capital": ("Taliban preference for cut-off capitals", ""),
    "campaign.ripe_morale": ("garrison morale below which a capital is attacked", ""),
    "campaign.w_crowding": ("Taliban spread over objectives", ""),
    "campaign.p_commit": ("daily chance a Taliban reserve unit commits", "per day"),
    "campaign.assault_odds": ("odds the Taliban want before an assault", "to 1"),
    "taliban.rate_recruit": ("Taliban recruitment in districts they hold", "per day"),
    "taliban.frac_prisoners_join": ("share of freed prisoners who fight", ""),
    "combat.rate_government_fire": ("government fire against attackers", "per day"),
    "combat.frac_siege_intensity": ("intensity of sieges", ""),
    "combat.fortification_capital": ("defensive advantage of capitals", "times"),
    "morale.rate_contagion": ("spread of low morale between posts", "per day"),
    "belief.shock_capital": ("blow to national confidence when a capital falls", ""),
    "belief.shock_milestone": ("blow to national confidence at milestones", ""),
    "belief.rate_siege": ("erosion of national confidence by sieges", "per day"),
    "expectation.initial": ("garrisons' initial expectation of air support", ""),
    "expectation.memory_days": ("how long garrisons remember air support", "days"),
    "expectation.w_morale": ("weight of expected air support in morale", ""),
    "expectation.w_belief": ("weight of expected air support in national confidence", ""),
    "bargains.threshold_mean": ("provincial leaders' resistance to deals", ""),
    "bargains.threshold_sd": ("spread of provincial leaders' resistance to deals", ""),
    "bargains.w_belief": ("weight of national confidence in provincial deals", ""),
    "bargains.w_province_lost": ("weight of districts lost in provincial deals", ""),
    "bargains.w_neighbour_deals": ("weight of neighbours' deals in provincial deals", ""),
    "centre.logit_base": ("baseline chance the leadership flees", "log-odds"),
    "centre.w_capitals_lost": ("weight of capitals lost in the leadership's flight", ""),
    "surrender.logit_base": ("baseline chance a garrison surrenders", "log-odds"),
    "surrender.threshold_sd": ("spread of garrisons' surrender thresholds", ""),
    "surrender.w_no_supplies": ("weight of running out of supplies in surrender", ""),
    "surrender.w_low_morale": ("weight of low morale in surrender", ""),
    "surrender.w_belief": ("weight of national confidence in surrender", ""),
    "government.consolidation_belief": ("national confidence at which posts consolidate", ""),
    "bargains.handover_odds": ("Taliban force needed at the gates for a handover",
                               "fighters per defender"),
    "belief.days_neighbour": ("days for news of a fall to reach a neighbouring province", "days"),
    "belief.days_corps": ("days for news of a fall to reach the same corps area", "days"),
    "belief.days_far": ("days for news of a fall to reach the rest of the country", "days"),
    "belief.w_far": ("weight of news from distant provinces", ""),
    "campaign.w_talks": ("Taliban preference for provinces in talks", ""),
    "taliban.frac_willing": ("share of supportive fighting-age men who would ever fight", ""),
    "government.consolidation_frac_lost": ("share of districts lost before posts consolidate",
                                           ""),
    "government.rate_pull_back_cut_off": ("daily chance a cut-off post pulls back", "per day"),
    "government.rate_pull_back_besieged": ("daily chance a besieged post pulls back",
                                           "per day"),
    "bargains.w_siege_days": ("weight of each day of siege in provincial deals", "per day"),
}

_RATE = re.compile(r"(?:scenario=)?us_rate(?:_|=)(\d+(?:\.\d+)?)$")


def arm(name: str) -> str:
    """A reader's label for an arm: each of its parts in words where the table has them."""
    return ", ".join(_part(part) for part in name.split(","))


def _part(part: str) -> str:
    """One part of an arm's name (a scenario, ``group=option``) in words, or as it is."""
    bare = part.split("=", 1)[1] if part.startswith("scenario=") else part
    if bare in ARMS:
        return ARMS[bare]
    rate = _RATE.match(bare)
    return f"US strikes at {float(rate.group(1)):g} a day" if rate else part


def colour(name: str, order: int = 0) -> str:
    """The arm's own colour in every figure; arms without one take a spare colour by ``order``."""
    part = name.split("=", 1)[1] if name.startswith("scenario=") else name
    return COLOURS.get(part, OTHER_COLOURS[order % len(OTHER_COLOURS)])


def upper_first(text: str) -> str:
    """The text with its first letter in upper case, the rest untouched (``August`` stays)."""
    return text[:1].upper() + text[1:]


def lower_first(text: str) -> str:
    """The text with its first letter in lower case, unless it opens an acronym (``US``)."""
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def date(iso: str) -> str:
    """An ISO date in words: ``2021-06-01`` as ``1 June``."""
    day = dt.date.fromisoformat(str(iso))
    return f"{day.day} {day:%B}"


def outcome(name: str) -> str:
    """A reader's label for an outcome column."""
    return OUTCOMES[name][0] if name in OUTCOMES else name.replace("_", " ")


def unit(name: str) -> str:
    """The unit of an outcome column (an axis label's second half)."""
    return OUTCOMES[name][1] if name in OUTCOMES else ""


def parameter(name: str) -> str:
    """A reader's label for an uncertain parameter."""
    return PARAMETERS[name][0] if name in PARAMETERS else name


def quantity(name: str, value: float) -> str:
    """A parameter's value in words with its unit: ``62,000 fighters``, ``0.35``, ``12 days``."""
    text = f"{float(f'{value:.2g}'):,.0f}" if abs(value) >= 100 else f"{value:.2g}"
    suffix = PARAMETERS.get(name, ("", ""))[1]
    return f"{text} {suffix}".strip()
