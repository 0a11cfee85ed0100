"""Stage 8b, recruitment: Taliban-held districts raise fighters from a finite pool; prisons open.

Each district holds a pool of men who would ever join: its men of fighting age, times local
support, times the share willing (``frac_fighting_age``, ``frac_support_*``, ``frac_willing``).
While the Taliban hold the district they draw recruits from what remains of it (Poisson draws
around ``rate_recruit`` of the pool a day), so a long war runs out of recruits instead of growing
without bound. Recruits gather in a pool per district; a full unit's worth forms a new unit there.
When a provincial capital falls, its prison opens: a share of the prisoners held there
(``n_prisoners`` spread over the capitals by population) join the movement in that district.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.world.agents import Control, TalibanUnit
from sim.world.initial import split

if TYPE_CHECKING:
    from sim.model.model import OffensiveModel


def eligible(model: OffensiveModel) -> np.ndarray:
    """Each district's pool of men who would ever join the movement (at the start)."""
    cfg, m = model.config.taliban, model.map
    support = np.where(m.is_pashtun, cfg.frac_support_pashtun, cfg.frac_support_other)
    return cfg.frac_fighting_age * cfg.frac_willing * support * m.population


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
    """Draw today's recruits from the held districts' pools, form units, open captured prisons."""
    size = model.config.forces.taliban_unit_size
    held = model.control == Control.TALIBAN
    drawn = model.streams["recruitment"].poisson(
        model.config.taliban.rate_recruit * model.recruitable * held)
    drawn = np.minimum(drawn, np.floor(model.recruitable))
    model.recruitable -= drawn
    model.recruit_pool += drawn
    for d in (model.recruit_pool >= size).nonzero()[0]:
        whole = size * (model.recruit_pool[d] // size)
        model.recruit_pool[d] -= whole
        form_units(model, d, whole)
    free_prisoners(model)
