"""Config group ``initial`` (``SimConfig.initial``): each field's unit, range and source."""

from __future__ import annotations

from dataclasses import dataclass

from sim.config.fields import param


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
