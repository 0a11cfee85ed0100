"""Stage 6, morale: isolation, shortages, casualties and nearby losses wear it down.

Every force drifts back toward its baseline at ``rate_recovery``. Garrisons lose morale while cut
off, short of ammunition or supplies, with the share of troops lost today, for each neighbouring
district that fell recently (contagion along the graph), and with the share of the population
whose district fell recently (the national bandwagon); resupply and air strikes overhead lift it.
Militias feel the same but the bandwagon. Taliban units gain morale from nearby victories and
lose it with casualties.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.agents import Control

if TYPE_CHECKING:
    from sim.model import OffensiveModel


def recent_losses(model: OffensiveModel) -> tuple[np.ndarray, float]:
    """Per district, neighbours lost within the window; and the national bandwagon signal.

    The signal is the share of the population whose district fell within the window: a
    capital's fall weighs as much as its people, so the loss of cities shakes the whole army.
    """
    cfg, m = model.config.morale, model.map
    recent = ((model.day - model.last_fell_day) < cfg.window_days) & (
        model.control == Control.TALIBAN)
    national = m.population[recent].sum() / m.population.sum()
    return m.adjacency @ recent.astype(float), float(national)


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
    nearby, national = recent_losses(model)
    struck = model.strikes > 0

    for g in model.garrisons():
        d = g.district
        base = cfg.commando if g.force.value == "commando" else cfg.government
        short = g.ammo_days < 1.0 or g.supply_days < 1.0
        g.morale += (cfg.rate_recovery * (base - g.morale) - cfg.rate_isolation * g.is_cut_off
                     - cfg.rate_shortage * short - cfg.w_casualties * casualty_share(g)
                     - cfg.rate_contagion * nearby[d] - cfg.rate_bandwagon * national
                     + cfg.boost_resupply * g.resupplied + cfg.boost_air * struck[d])
        g.morale = clamp(g.morale)

    for x in model.militias():
        d = x.district
        x.morale += (cfg.rate_recovery * (cfg.militia - x.morale)
                     - cfg.w_casualties * casualty_share(x) - cfg.rate_contagion * nearby[d]
                     + cfg.boost_air * struck[d])
        x.morale = clamp(x.morale)

    for u in model.units():
        d = u.district
        u.morale += (cfg.rate_recovery * (cfg.taliban - u.morale)
                     - cfg.w_casualties * casualty_share(u) + cfg.boost_victory * nearby[d])
        u.morale = clamp(u.morale)
