"""Config group ``expectation`` (``SimConfig.expectation``): each field's unit, range and source."""

from __future__ import annotations

from dataclasses import dataclass

from sim.config.fields import param


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
