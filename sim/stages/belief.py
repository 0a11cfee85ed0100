"""The national level of collapse: each provincial leadership's belief that the republic survives.

One number per province, read by its garrisons (their pressure to give up, their desertion) and by
its leadership. It moves with salient events, and the news of an event travels: a capital lost
or a province handed over reaches its own province at once, the neighbouring provinces and the
provinces of the same corps area (the army's regional command, ``sim/data/corps_areas.csv``) a
day or two later, the rest of the country later still and weakened (Kabul, where every report
goes, hears it the next day). Events that are truly national stay national: sieges of capitals
(national news for weeks) wear every belief down day by day, the dated milestones of the US
withdrawal (inputs, from ``drivers.csv``) take a step off every province, and the national
leadership leaving drops every belief to zero at once. Between shocks each belief recovers
slowly toward its starting level, lowered as garrisons stop expecting air support
(``sim.stages.expectation``). Losses of rural districts do not move it: they act locally, through the
morale of nearby posts (``sim.stages.morale``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from sim.stages import expectation
from sim.world.agents import Control
from sim.world.initial import NO_CORPS, district_corps
from sim.world.space import DistrictMap

if TYPE_CHECKING:
    from sim.config import BeliefConfig
    from sim.model.model import OffensiveModel


NEWS_DAYS = 32  # news is kept this many days ahead: longer than the longest delay allowed


@dataclass(frozen=True)
class Ties:
    """How news of an event in province ``q`` reaches ``p``: after ``delay[p, q]`` days, weighted."""

    delay: np.ndarray
    weight: np.ndarray


def ties(m: DistrictMap, cfg: BeliefConfig) -> Ties:
    """Delays and weights of the news between provinces, from adjacency and corps areas."""
    n = m.n_provinces
    if not cfg.use_ties:  # one national number: every event reaches everyone at once, whole
        return Ties(np.zeros((n, n), np.intp), np.ones((n, n)))
    delay = np.full((n, n), cfg.days_far, np.intp)
    weight = np.full((n, n), cfg.w_far)
    corps = province_corps(m)
    same_corps = (corps[:, None] == corps[None, :]) & (corps[:, None] != NO_CORPS)
    delay[same_corps] = cfg.days_corps
    near = m.province_adjacency.toarray() > 0
    delay[near] = np.minimum(delay[near], cfg.days_neighbour)
    weight[same_corps | near] = 1.0
    centre = np.unique(m.province_index[m.is_national_capital])
    delay[centre, :] = np.minimum(delay[centre, :], 1)
    weight[centre, :] = 1.0
    np.fill_diagonal(delay, 0)
    np.fill_diagonal(weight, 1.0)
    return Ties(delay, weight)


def province_corps(m: DistrictMap) -> np.ndarray:
    """Corps area of each province: that of its capital (``NO_CORPS`` on maps without corps)."""
    return district_corps(m)[m.province_capital]


def milestone_days(model: OffensiveModel) -> set[int]:
    """Day numbers of the withdrawal milestones configured as belief shocks."""
    return {int(model.config.day_of(date)) for date in model.config.belief.milestone_dates}


def spread(model: OffensiveModel, province: int, shock: float) -> None:
    """Send the news of an event in ``province`` (of size ``shock``) along its ties."""
    t = model.ties
    arrive = (model.day + t.delay[:, province]) % len(model.news)
    np.add.at(model.news, (arrive, np.arange(len(arrive))), shock * t.weight[:, province])


def besieged_capitals(model: OffensiveModel) -> np.ndarray:
    """Mask of government-held provincial capitals with Taliban fighters inside (contested)."""
    return model.map.is_capital & (model.control == Control.CONTESTED)


def siege_share(model: OffensiveModel) -> float:
    """The share of provincial capitals under siege: national news, known everywhere."""
    capitals = model.map.is_capital  # counts by np.count_nonzero: a third of ndarray.sum's cost
    return np.count_nonzero(besieged_capitals(model)) / max(np.count_nonzero(capitals), 1)


def update(model: OffensiveModel, capitals_lost: np.ndarray) -> None:
    """Send today's news, apply what arrives today, the national shocks and the slow recovery.

    Args:
        model: the model, after today's control update.
        capitals_lost: provincial capitals (district ids) that changed hands today.
    """
    cfg = model.config.belief
    if not cfg.use_belief:
        return
    if model.leaders_left:
        model.belief[:] = 0.0
        return
    m = model.map
    for d in capitals_lost.tolist():
        spread(model, int(m.province_index[d]), cfg.shock_capital)
    slot = model.day % len(model.news)
    arrived = model.news[slot].copy()
    model.news[slot] = 0.0
    shock = (arrived + cfg.shock_milestone * (model.day in model.milestones)
             + cfg.rate_siege * siege_share(model))
    level = cfg.initial + expectation.belief_shift(model)  # lowered as support stops coming
    recovery = cfg.rate_recovery * (level - model.belief)
    model.belief[:] = np.minimum(np.maximum(0.0, model.belief + recovery - shock), 1.0)


def national(model: OffensiveModel) -> float:
    """The belief of the national leadership: that of the capital's province (else the mean)."""
    m = model.map
    centre = m.province_index[m.is_national_capital]
    return float(model.belief[centre[0]] if len(centre) else model.belief.mean())
