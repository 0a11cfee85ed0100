"""Cohesion at the centre: the national leadership may leave, or cut a deal, on any day.

The daily chance grows with the share of provincial capitals lost and with Kabul's isolation
(the share of its neighbouring districts held by the Taliban). When the leaders go, the belief
that the republic will survive drops to zero everywhere at once, and Kabul's province opens talks:
its districts are handed over as Taliban forces reach them (``sim.stages.bargains``). No date is
involved: only the state the model has reached.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.stages import bargains
from sim.world.agents import Control

if TYPE_CHECKING:
    from sim.model.model import OffensiveModel


def p_leave(model: OffensiveModel) -> float:
    """Today's probability that the national leadership leaves."""
    cfg, m = model.config.centre, model.map
    taliban = model.control == Control.TALIBAN
    lost = np.count_nonzero(m.is_capital & taliban) / max(np.count_nonzero(m.is_capital), 1)
    kabul = m.is_national_capital.nonzero()[0]
    ring = np.concatenate([m.neighbours[k] for k in kabul]) if len(kabul) else kabul
    isolation = np.count_nonzero(taliban[ring]) / len(ring) if len(ring) else 0.0
    logit = cfg.logit_base + cfg.w_capitals_lost * lost + cfg.w_isolation * isolation
    return float(1.0 / (1.0 + np.exp(-logit)))


def hold(model: OffensiveModel) -> None:
    """Draw whether the leaders leave today; if they do, Kabul's province opens talks."""
    if not model.config.centre.use_centre or model.leaders_left:
        return
    m = model.map
    kabul = m.is_national_capital.nonzero()[0]
    if len(kabul) == 0 or model.control[kabul[0]] == Control.TALIBAN:
        return
    if model.streams["centre"].random() < p_leave(model):
        model.leaders_left = True
        model.belief[:] = 0.0
        model.log(int(kabul[0]), "leaders_left")
        bargains.open_talks(model, int(m.province_index[kabul[0]]))
