"""Config group ``government`` (``SimConfig.government``): each field's unit, range and source."""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.config.fields import param


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
    consolidation_belief: float = param(0.62, 0.0, 1.0, "belief",
        doc="consolidate once the survival belief falls below this",
        source="assumption: no published threshold; from a leadership that consolidates at once "
               "(0.7, the initial belief) to one that holds until none is left (0)",
        prior=(0.0, 0.7))
    # CALIBRATED
    consolidation_frac_lost: float = param(0.3, 0.0, 1.0, "share of districts",
        doc="...or once this share of districts is lost",
        source="assumption: no published threshold; from soon after the offensive opens (0.3, "
               "above the 1 May input of 0.18 held) to when almost nothing is left to give (0.95)",
        prior=(0.3, 0.95))
    keep_approaches: bool = field(default=True, metadata={
        "doc": "consolidation keeps the posts next to a provincial capital (its approaches) and "
               "pulls back only the others",
        "source": "Pentagon briefing, 21 July 2021: Afghan forces consolidating to protect the "
                  "provincial capitals; Reuters, 24 July 2021, 'As Taliban advances, Afghan "
                  "military overhauls war strategy to limit losses'"})
    # CALIBRATED
    rate_pull_back_cut_off: float = param(0.05, 0.0, 1.0, "share of posts per day",
        doc="daily chance that a cut-off rural post pulls back once consolidating",
        prior=(0.01, 1.0),
        source="assumption: posts were pulled back over weeks, as routes and lift allowed, not in "
               "a day; from a few weeks to at once")
    # CALIBRATED
    rate_pull_back_besieged: float = param(0.06, 0.0, 1.0, "share of posts per day",
        doc="daily chance that a besieged (contested) rural post still connected pulls back",
        prior=(0.0, 0.2),
        source="assumption: a post still supplied by road is given up later than one cut off; "
               "from never to within a week")
