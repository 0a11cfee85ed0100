"""The expectation of support: each garrison's belief that air support will come when needed.

Soldiers "no longer knew if or when US forces would come to their defense" (SIGAR interim report,
May 2022). The model keeps one expectation per district, learnt from what the post there has
seen: on each day its garrison is threatened (Taliban fighters in the district with it),
the expectation moves a step ``1 / memory_days`` toward 1 if support came that day (a strike
within ``radius_hops``, an airlift or a casualty evacuation into the district) and toward 0 if
none came. Unthreatened posts learn nothing. A share ``frac_kept`` of the initial expectation is
kept whatever is seen (a credible promise of support).

It acts on both levels of collapse, as a shift of the level each recovers to:

- local cohesion (``sim.stages.morale``): a garrison's baseline morale is lowered by ``w_morale`` per
  unit of expectation lost (:func:`update` returns the daily morale term per district);
- national survival belief (``sim.stages.belief``): the level the belief recovers to is lowered by
  ``w_belief`` per unit of the garrisons' mean expectation lost (:func:`belief_shift`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.world import kernels

if TYPE_CHECKING:
    from sim.model.model import OffensiveModel


def setup(model: OffensiveModel) -> None:
    """Give the model its expectation per district and today's record of support seen."""
    model.expectation = np.full(model.map.n, model.config.expectation.initial)
    model.support_seen = np.zeros(model.map.n, dtype=bool)


def seen(model: OffensiveModel) -> np.ndarray:
    """Districts that saw air support today: strikes within the radius, airlift, evacuation."""
    near = model.map.near(model.strikes > 0, model.config.expectation.radius_hops)
    return near | model.support_seen


def update(model: OffensiveModel) -> np.ndarray:
    """Learn from today's support; return each district's morale term for today.

    The term is the baseline shift ``w_morale * (expectation - initial)`` times the morale's
    ``rate_recovery``: morale drifts toward a baseline lowered by the expectation lost.
    """
    cfg = model.config.expectation
    if not cfg.use_expectation:
        model.support_seen[:] = False
        return np.zeros(model.map.n)
    taliban, government, _ = model.presence()
    learn = (government > 0) & (taliban > 0)  # besieged posts
    step = 1.0 / cfg.memory_days
    came = seen(model).astype(float)
    model.expectation[learn] += step * (came[learn] - model.expectation[learn])
    np.maximum(model.expectation, cfg.frac_kept * cfg.initial, out=model.expectation)
    model.support_seen[:] = False
    return (model.config.morale.rate_recovery * cfg.w_morale
            * (model.expectation - cfg.initial))


def mean_expectation(model: OffensiveModel) -> float:
    """The garrisons' mean expectation of support (the initial level if none is left)."""
    g = model.garrison_table  # np.mean's sum and division over the garrisoned districts, compiled
    total, count = kernels.sum_where_present(model.expectation, g.district, g.troops, g.live(),
                                             model.map.n)
    return total / count if count else model.config.expectation.initial


def belief_shift(model: OffensiveModel) -> float:
    """Shift of the level the survival belief recovers to: minus ``w_belief`` per unit lost."""
    cfg = model.config.expectation
    if not cfg.use_expectation:
        return 0.0
    return cfg.w_belief * (mean_expectation(model) - cfg.initial)
