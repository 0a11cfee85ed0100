"""Stage 6, local morale: the cohesion of each post, militia and Taliban unit.

This is the local level of collapse (the national one is ``sim.stages.belief``). Every force drifts back
toward its baseline at ``rate_recovery``. Garrisons lose morale while cut off, short of
ammunition or supplies, with the share of troops lost today, and for each neighbouring district
that fell recently (contagion along the graph; a voluntary withdrawal is no defeat and does not
count); resupply and air strikes overhead lift it. Casualty evacuation eases the loss over
casualties (``sim.stages.air.evacuate``), and a post's baseline falls as it stops expecting air
support (``sim.stages.expectation``). Militias feel the same. Taliban units gain
morale from nearby victories and lose it with casualties.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.stages import air as air_power
from sim.stages import expectation
from sim.world.agents import Cause, Control

if TYPE_CHECKING:
    from sim.model.model import OffensiveModel
    from sim.world.agents import Table


def nearby_losses(model: OffensiveModel) -> np.ndarray:
    """Per district, neighbours that fell (not by a voluntary withdrawal) within the window."""
    cfg, m = model.config.morale, model.map
    recent = (((model.day - model.last_fell_day) < cfg.window_days)
              & (model.control == Control.TALIBAN) & (model.last_cause != Cause.WITHDRAWAL))
    return m.adjacency @ recent.astype(float)


def casualty_share(table: Table, slots: np.ndarray) -> np.ndarray:
    """Share of each force of ``slots`` lost today (and its count of today's losses reset)."""
    lost = table.casualties_today[slots]
    table.casualties_today[slots] = 0.0
    return lost / np.maximum(table.size[slots] + lost, 1.0)


def update(model: OffensiveModel) -> None:
    """Update the morale of every garrison, militia and Taliban unit (each kind at once)."""
    cfg = model.config.morale
    nearby = nearby_losses(model)
    air = model.config.air.boost_air * (model.strikes > 0)
    expecting = expectation.update(model)  # baseline shift from the expectation of support

    g = model.garrison_table
    slots = g.live()
    d = g.district[slots]
    relief = air_power.evacuate(model, slots)  # evacuation eases the morale lost to casualties
    base = np.where(g.commando[slots], cfg.commando, cfg.government)
    short = (g.ammo_days[slots] < 1.0) | (g.supply_days[slots] < 1.0)
    morale = g.morale[slots]
    g.morale[slots] = np.clip(
        morale + cfg.rate_recovery * (base - morale) - cfg.rate_isolation * (g.cut_off_days[slots] > 0)
        - cfg.rate_shortage * short - cfg.w_casualties * casualty_share(g, slots) * relief
        - cfg.rate_contagion * nearby[d] + cfg.boost_resupply * g.resupplied[slots] + air[d]
        + expecting[d], 0.0, 1.0)

    x = model.militia_table
    slots = x.live()
    d = x.district[slots]
    morale = x.morale[slots]
    x.morale[slots] = np.clip(
        morale + cfg.rate_recovery * (cfg.militia - morale)
        - cfg.rate_shortage * (x.ammo_days[slots] < 1.0)
        - cfg.w_casualties * casualty_share(x, slots) - cfg.rate_contagion * nearby[d] + air[d],
        0.0, 1.0)

    t = model.unit_table
    slots = t.live()
    morale = t.morale[slots]
    t.morale[slots] = np.clip(
        morale + cfg.rate_recovery * (cfg.taliban - morale) - cfg.w_casualties * casualty_share(t, slots)
        + cfg.boost_victory * nearby[t.district[slots]], 0.0, 1.0)
