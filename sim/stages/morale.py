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
from sim.world import morale_kernels
from sim.world.agents import Cause, Control

if TYPE_CHECKING:
    from sim.model.model import OffensiveModel
    from sim.world.agents import Table


def nearby_losses(model: OffensiveModel) -> np.ndarray:
    """Per district, neighbours that fell (not by a voluntary withdrawal) within the window."""
    cfg, m = model.config.morale, model.map
    recent = (((model.day - model.last_fell_day) < cfg.window_days)
              & (model.control == Control.TALIBAN) & (model.last_cause != Cause.WITHDRAWAL))
    return m.neighbour_sum(recent)


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

    # each kind at once, compiled (sim.world.morale_kernels): per force, the terms below in order
    # (morale + recovery - isolation - shortage - casualties x relief - contagion + resupply
    # + air + expectation for a garrison), clipped to [0, 1]
    g = model.garrison_table
    slots = g.live()
    relief = air_power.evacuate(model, slots)  # evacuation eases the morale lost to casualties
    morale_kernels.garrison_morale(
        slots, g.morale, g.commando, g.cut_off_days, g.ammo_days, g.supply_days,
        g.casualties_today, g.troops, g.resupplied, g.district, relief, nearby, air, expecting,
        cfg.commando, cfg.government, cfg.rate_recovery, cfg.rate_isolation, cfg.rate_shortage,
        cfg.w_casualties, cfg.rate_contagion, cfg.boost_resupply)
    x = model.militia_table
    morale_kernels.militia_morale(
        x.live(), x.morale, x.ammo_days, x.casualties_today, x.fighters, x.district, nearby, air,
        cfg.militia, cfg.rate_recovery, cfg.rate_shortage, cfg.w_casualties, cfg.rate_contagion)
    t = model.unit_table
    morale_kernels.unit_morale(
        t.live(), t.morale, t.casualties_today, t.fighters, t.district, nearby, cfg.taliban,
        cfg.rate_recovery, cfg.w_casualties, cfg.boost_victory)
