"""Stage 6, local morale: the cohesion of each post, militia and Taliban unit.

This is the local level of collapse (the national one is ``sim.belief``). Every force drifts back
toward its baseline at ``rate_recovery``. Garrisons lose morale while cut off, short of
ammunition or supplies, with the share of troops lost today, and for each neighbouring district
that fell recently (contagion along the graph; a voluntary withdrawal is no defeat and does not
count); resupply and air strikes overhead lift it. Casualty evacuation eases the loss over
casualties (``sim.air.evacuate``), and a post's baseline falls as it stops expecting air
support (``sim.expectation``). Militias feel the same. Taliban units gain
morale from nearby victories and lose it with casualties.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim import air, expectation
from sim.agents import Cause, Control, Force

if TYPE_CHECKING:
    from sim.model import OffensiveModel


def nearby_losses(model: OffensiveModel) -> np.ndarray:
    """Per district, neighbours that fell (not by a voluntary withdrawal) within the window."""
    cfg, m = model.config.morale, model.map
    recent = (((model.day - model.last_fell_day) < cfg.window_days)
              & (model.control == Control.TALIBAN) & (model.last_cause != Cause.WITHDRAWAL))
    return m.adjacency @ recent.astype(float)


def clamp(x: float) -> float:
    """Clip a morale value to [0, 1] (plain floats: this runs for every agent every day)."""
    return 0.0 if x < 0.0 else 1.0 if x > 1.0 else float(x)


def casualty_share(force) -> float:
    """Share of the force lost today."""
    lost = force.casualties_today
    force.casualties_today = 0.0
    return lost / max(force.strength + lost, 1.0)


def update(model: OffensiveModel) -> None:
    """Update the morale of every garrison, militia and Taliban unit."""
    cfg = model.config.morale
    nearby = nearby_losses(model)
    struck = model.strikes > 0
    boost_air = model.config.air.boost_air
    relief = air.evacuate(model)  # casualty evacuation eases the loss of morale over casualties
    expecting = expectation.update(model)  # baseline shift from the expectation of support

    for g in model.garrisons():
        d = g.district
        base = cfg.commando if g.force is Force.COMMANDO else cfg.government
        short = g.ammo_days < 1.0 or g.supply_days < 1.0
        g.morale = clamp(g.morale + cfg.rate_recovery * (base - g.morale)
                         - cfg.rate_isolation * g.is_cut_off - cfg.rate_shortage * short
                         - cfg.w_casualties * casualty_share(g) * relief.get(g, 1.0)
                         - cfg.rate_contagion * nearby[d]
                         + cfg.boost_resupply * g.resupplied + boost_air * struck[d]
                         + expecting[d])

    for x in model.militias():
        d = x.district
        x.morale = clamp(x.morale + cfg.rate_recovery * (cfg.militia - x.morale)
                         - cfg.rate_shortage * (x.ammo_days < 1.0)
                         - cfg.w_casualties * casualty_share(x) - cfg.rate_contagion * nearby[d]
                         + boost_air * struck[d])

    for u in model.units():
        d = u.district
        u.morale = clamp(u.morale + cfg.rate_recovery * (cfg.taliban - u.morale)
                         - cfg.w_casualties * casualty_share(u) + cfg.boost_victory * nearby[d])
