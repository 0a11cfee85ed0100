"""Stage 7, surrender, negotiation, withdrawal and flight of besieged garrisons.

Every garrison loses deserters at a rate that grows as morale falls. A besieged garrison (Taliban
fighters in its district) gives up with a daily probability that rises when it is out of
ammunition or supplies, demoralised, cut off and outnumbered (a logistic model). One that gives
up withdraws to a government-held capital if a road leads there, flees across a border crossing
if it holds one, or else hands the district over: through the elders (negotiation, likelier in
Pashtun districts) or by surrender. Its equipment passes to the Taliban. A garrison that melts
away unbesieged leaves the district to be abandoned.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.agents import Cause
from sim.government import withdraw

if TYPE_CHECKING:
    from sim.model import OffensiveModel


def p_give_up(model: OffensiveModel, g, attackers: float, defenders: float) -> float:
    """Daily probability that besieged garrison ``g`` gives up."""
    cfg = model.config.surrender
    logit = (cfg.logit_base + cfg.w_no_ammo * (g.ammo_days < 1.0)
             + cfg.w_no_supplies * (g.supply_days < 1.0) + cfg.w_low_morale * (1.0 - g.morale)
             + cfg.w_cut_off * g.is_cut_off
             + cfg.w_odds * np.log(max(attackers, 1.0) / max(defenders, 1.0)))
    return float(1.0 / (1.0 + np.exp(-logit)))


def leave(model: OffensiveModel, force, fate: str, event: str, cause: Cause) -> None:
    """A force quits its post for good (its people booked as ``fate``); equipment stays behind."""
    d = force.district
    equipment = getattr(force, "equipment", 0.0)
    model.equipment_cache[d] += equipment
    model.pending_cause[d] = cause
    model.log(d, event, cause, force.lose(force.strength, fate), equipment)
    force.remove()


def hand_over(model: OffensiveModel, g, cause: Cause) -> None:
    """Garrison ``g`` lays down its arms; the strongest unit present takes its equipment."""
    d = g.district
    units = [u for u in g.cell.agents if u.side == "taliban"]
    troops = g.lose(g.troops, "captured")
    if units:
        max(units, key=lambda u: u.fighters).take_equipment(g.equipment)
    else:
        model.equipment_cache[d] += g.equipment
    model.pending_cause[d] = cause
    model.log(d, cause.name.lower(), cause, troops, g.equipment)
    g.remove()


def give_up(model: OffensiveModel, g, rng: np.random.Generator) -> None:
    """Choose how a garrison that gives up leaves: withdrawal, flight, negotiation or surrender."""
    cfg, m = model.config.surrender, model.map
    d = g.district
    home = int(model.route_home[d])
    if home >= 0 and home != d and rng.random() < cfg.p_withdraw:
        withdraw(model, g, home)
    elif m.is_border_crossing[d] and rng.random() < cfg.p_flee:
        leave(model, g, "fled", "flight", Cause.WITHDRAWAL)
    else:
        p_elders = cfg.p_elders_pashtun if m.ethnic_group[d] == "pashtun" else cfg.p_elders_other
        hand_over(model, g, Cause.NEGOTIATION if rng.random() < p_elders else Cause.SURRENDER)


def resolve(model: OffensiveModel) -> None:
    """Desertion everywhere; for besieged garrisons, the daily decision to give up."""
    cfg = model.config.surrender
    rng = model.streams["surrender"]
    taliban, government, militia = model.presence()
    min_troops = model.config.combat.min_troops
    for g in model.garrisons():
        rate = cfg.rate_desertion * (1.0 - g.morale) ** 2
        g.lose(rng.binomial(int(g.troops), rate) if g.troops >= 1 else 0.0, "deserted")
        d = g.district
        if taliban[d] > 0 and rng.random() < p_give_up(model, g, taliban[d],
                                                        government[d] + militia[d]):
            give_up(model, g, rng)
        elif g.troops < max(min_troops, 1):
            leave(model, g, "deserted", "desertion", Cause.ABANDONMENT)
