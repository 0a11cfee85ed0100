"""Stage 2, air operations: strike sorties go to the most threatened government positions.

The day's strike sorties (the air force's strike aircraft and the helicopters not flying
resupply) and US strikes are given one at a time to the district where Taliban fighters most
outnumber the defenders; each strike is expected to kill some fighters, which lowers that
district's threat before the next one is placed. Kills are applied in the combat stage.
"""

from __future__ import annotations

import heapq
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.model import OffensiveModel


def stochastic_round(x: float, rng: np.random.Generator) -> int:
    """Round ``x`` up with probability equal to its fractional part (unbiased)."""
    whole = int(np.floor(x))
    return whole + int(rng.random() < x - whole)


def allocate(threat_fighters: np.ndarray, defenders: np.ndarray, n_strikes: int,
             kills_per_strike: float) -> np.ndarray:
    """Strikes per district, each to the highest remaining attacker/defender ratio.

    Args:
        threat_fighters: Taliban fighters per district (only where defenders are present).
        defenders: government and militia fighters per district.
        n_strikes: how many strikes to place.
        kills_per_strike: expected fighters killed by one strike.
    """
    counts = np.zeros(len(defenders))
    targets = np.flatnonzero((threat_fighters > 0) & (defenders > 0))
    heap = [(-threat_fighters[d] / defenders[d], int(d)) for d in targets]
    heapq.heapify(heap)
    remaining = threat_fighters.astype(float).copy()
    for _ in range(n_strikes if heap else 0):
        _, d = heapq.heappop(heap)
        counts[d] += 1
        remaining[d] = max(0.0, remaining[d] - kills_per_strike)
        if remaining[d] > 0:
            heapq.heappush(heap, (-remaining[d] / defenders[d], d))
        if not heap:
            break
    return counts


def strike(model: OffensiveModel) -> None:
    """Plan today's AAF and US strikes and record the expected kills per district."""
    cfg = model.config.air
    rng = model.streams["air"]
    taliban, government, militia = model.presence()
    defenders = government + militia
    aaf_sorties = model.air_force.sorties(model.day)[0]
    n_aaf = stochastic_round(aaf_sorties, rng)
    n_us = stochastic_round(model.us_air.strikes(model.day), rng)
    aaf = allocate(taliban, defenders, n_aaf, cfg.kills_per_sortie)
    us = allocate(np.maximum(taliban - aaf * cfg.kills_per_sortie, 0), defenders, n_us,
                  cfg.kills_per_us_strike)
    model.strikes[:] = aaf + us
    model.air_kills[:] = aaf * cfg.kills_per_sortie + us * cfg.kills_per_us_strike
    model.ledger["air_kills_planned"] += float(model.air_kills.sum())
    model.today["strike_sorties"] += aaf.sum()
    model.today["us_strikes"] += us.sum()
