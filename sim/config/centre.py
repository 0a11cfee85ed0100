"""Config group ``centre`` (``SimConfig.centre``): each field's unit, range and source."""

from __future__ import annotations

from dataclasses import dataclass

from sim.config.fields import param


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
    w_capitals_lost: float = param(10.0, 0.0, 50.0, "log-odds per share of capitals lost",
        prior=(2.0, 10.0),
        source="assumption: leaders defect as they expect the regime to fall (Kuran 1991); no source"
               " weighs it")
    w_isolation: float = param(3.0, 0.0, 50.0,
                               "log-odds per share of Kabul's neighbours Taliban-held",
        source="assumption: no source; Kabul's neighbours held add from none to 8 log-odds (about as"
               " much as the capitals lost) (range 0 to 8)")
