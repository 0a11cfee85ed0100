"""Config group ``government`` (``SimConfig.government``): each field's unit, range and source."""

from __future__ import annotations

from dataclasses import dataclass

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
