"""The national level of collapse: the shared belief that the republic will survive.

One number for the whole country, read by every garrison (its pressure to give up, its
desertion) and by every provincial leadership. It moves only with salient events: each
provincial capital lost and each province-wide deal lowers it, sieges of capitals wear it down
day by day, the dated milestones of the US withdrawal (inputs, from ``drivers.csv``) each take a
step off it, and the national leadership leaving drops it to zero at once. Between shocks it
recovers slowly toward its starting level, lowered as garrisons stop expecting air support
(``sim.expectation``). Losses of rural districts do not move it: they act
locally, through the morale of nearby posts (``sim.morale``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim import expectation
from sim.agents import Control

if TYPE_CHECKING:
    from sim.model import OffensiveModel


def milestone_days(model: OffensiveModel) -> set[int]:
    """Day numbers of the withdrawal milestones configured as belief shocks."""
    return {int(model.config.day_of(date)) for date in model.config.belief.milestone_dates}


def besieged_capitals(model: OffensiveModel) -> np.ndarray:
    """Mask of government-held provincial capitals with Taliban fighters inside (contested)."""
    return model.map.is_capital & (model.control == Control.CONTESTED)


def update(model: OffensiveModel, capitals_lost: int) -> None:
    """Apply today's shocks and the slow recovery to ``model.belief``.

    Args:
        model: the model, after today's control update.
        capitals_lost: provincial capitals that changed hands to the Taliban today.
    """
    cfg = model.config.belief
    if not cfg.use_belief:
        return
    if model.leaders_left:
        model.belief = 0.0
        return
    siege = besieged_capitals(model).sum() / max(int(model.map.is_capital.sum()), 1)
    shock = (cfg.shock_capital * capitals_lost + cfg.shock_deal * model.today["deal"]
             + cfg.shock_milestone * (model.day in model.milestones)
             + cfg.rate_siege * siege)
    level = cfg.initial + expectation.belief_shift(model)  # lowered as support stops coming
    recovery = cfg.rate_recovery * (level - model.belief)
    model.belief = float(min(max(0.0, model.belief + recovery - shock), 1.0))  # np.clip's order
