"""Stage 8b, recruitment: Taliban-held districts raise fighters; captured prisons free theirs.

Recruits gather in a pool per district (Poisson draws around ``rate_recruit`` x population x
local support); a full unit's worth forms a new unit there. When a provincial capital falls, its
prison opens: a share of the prisoners held there (``n_prisoners`` spread over the capitals by
population) join the movement in that district.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.agents import Control, TalibanUnit
from sim.initial import split

if TYPE_CHECKING:
    from sim.model import OffensiveModel


def form_units(model: OffensiveModel, d: int, fighters: float) -> None:
    """Raise ``fighters`` new fighters in district ``d`` as units of the configured size."""
    for size in split(fighters, model.config.forces.taliban_unit_size):
        TalibanUnit(model, model.space[int(d)], size, model.config.morale.taliban)
        model.ledger["taliban_recruited"] += size


def free_prisoners(model: OffensiveModel) -> None:
    """Open the prisons of districts the Taliban hold; a share of the freed join them."""
    opened = ((model.prisoners > 0) & (model.control == Control.TALIBAN)).nonzero()[0]
    for d in opened:
        freed, model.prisoners[d] = model.prisoners[d], 0.0
        model.ledger["prisoners_freed"] += freed
        form_units(model, d, freed * model.config.taliban.frac_prisoners_join)


def recruit(model: OffensiveModel) -> None:
    """Add today's recruits to the pools, form units from full pools, open captured prisons."""
    cfg, m = model.config.taliban, model.map
    size = model.config.forces.taliban_unit_size
    support = np.where(m.is_pashtun, cfg.frac_support_pashtun,
                       cfg.frac_support_other)
    held = model.control == Control.TALIBAN
    model.recruit_pool += model.streams["recruitment"].poisson(
        cfg.rate_recruit * m.population * support * held)
    for d in (model.recruit_pool >= size).nonzero()[0]:
        whole = size * (model.recruit_pool[d] // size)
        model.recruit_pool[d] -= whole
        form_units(model, d, whole)
    free_prisoners(model)
