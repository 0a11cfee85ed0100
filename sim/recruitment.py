"""Stage 8b, recruitment: Taliban-held districts raise fighters by population and local support.

Recruits gather in a pool per district (Poisson draws around ``rate_recruit`` x population x
support); a full unit's worth forms a new unit there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.agents import Control, TalibanUnit

if TYPE_CHECKING:
    from sim.model import OffensiveModel


def recruit(model: OffensiveModel) -> None:
    """Add today's recruits to the pools and form units from full pools."""
    cfg, m = model.config.taliban, model.map
    size = model.config.forces.taliban_unit_size
    support = np.where(m.ethnic_group == "pashtun", cfg.frac_support_pashtun,
                       cfg.frac_support_other)
    held = model.control == Control.TALIBAN
    model.recruit_pool += model.streams["recruitment"].poisson(
        cfg.rate_recruit * m.population * support * held)
    for d in np.flatnonzero(model.recruit_pool >= size):
        while model.recruit_pool[d] >= size:
            model.recruit_pool[d] -= size
            TalibanUnit(model, model.space[int(d)], size, model.config.morale.taliban)
            model.ledger["taliban_recruited"] += size
