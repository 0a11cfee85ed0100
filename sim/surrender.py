"""Stage 7, desertion, and the surrender, negotiation, withdrawal or flight of besieged posts.

Every garrison loses deserters: a baseline rate (about 2% a month, as in 2020) plus a rate that
rises as both its morale and the national belief in survival collapse. A besieged rural garrison
(Taliban fighters in its district) gives up with a daily probability whose log-odds are the
pressure on it (out of ammunition or supplies, demoralised, the belief lost, cut off,
outnumbered) minus its own threshold, drawn per garrison: a tipping model, so that the weakest
posts go first and those that survive the first wave can hold. One that gives up withdraws to a
government-held capital along any route the Taliban do not hold, flees across a nearby border
crossing, or else hands the district over: through the elders (negotiation, likelier in Pashtun
districts) or by surrender. Its equipment passes to the Taliban. Provincial capitals are not
given up post by post: their leadership decides for them (``sim.bargains``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.agents import Cause, Force
from sim.government import withdraw

if TYPE_CHECKING:
    from sim.model import OffensiveModel


def p_give_up(model: OffensiveModel, g, attackers: float, defenders: float) -> float:
    """Daily probability that besieged garrison ``g`` gives up."""
    cfg = model.config.surrender
    logit = (cfg.w_no_ammo * (g.ammo_days < 1.0) + cfg.w_no_supplies * (g.supply_days < 1.0)
             + cfg.w_low_morale * (1.0 - g.morale) + cfg.w_belief * (1.0 - model.belief)
             + cfg.w_cut_off * g.is_cut_off
             + cfg.w_odds * np.log(max(attackers, 1.0) / max(defenders, 1.0)) - g.threshold)
    return float(1.0 / (1.0 + np.exp(-logit)))


def decides_alone(model: OffensiveModel, g) -> bool:
    """Whether garrison ``g`` decides for itself to give up (not a capital's army and police)."""
    return g.force is Force.COMMANDO or not model.map.is_capital[g.district]


def desertion_rate(model: OffensiveModel, g) -> float:
    """Share of garrison ``g`` deserting today."""
    cfg = model.config.surrender
    collapse = ((1.0 - g.morale) * (1.0 - model.belief)) ** cfg.desertion_exponent
    return cfg.rate_desertion + cfg.rate_desertion_collapse * collapse


def leave(model: OffensiveModel, force, fate: str, event: str, cause: Cause) -> None:
    """A force quits its post for good (its people booked as ``fate``); equipment stays behind."""
    d = force.district
    model.equipment_cache[d] += force.equipment
    equipment, force.equipment = force.equipment, 0.0
    model.pending_cause[d] = cause
    model.log(d, event, cause, force.lose(force.strength, fate), equipment)
    force.remove()


def hand_over(model: OffensiveModel, g, cause: Cause) -> None:
    """Garrison ``g`` lays down its arms; the strongest unit present takes its equipment."""
    d = g.district
    units = [u for u in g.cell.agents if u.side == "taliban"]
    troops = g.lose(g.troops, "captured")
    equipment, g.equipment = g.equipment, 0.0
    if units:
        max(units, key=lambda u: u.fighters).take_equipment(equipment)
    else:
        model.equipment_cache[d] += equipment
    model.pending_cause[d] = cause
    model.log(d, cause.name.lower(), cause, troops, equipment)
    g.remove()


def give_up(model: OffensiveModel, g, rng: np.random.Generator) -> None:
    """Choose how a garrison that gives up leaves: withdrawal, flight, negotiation or surrender."""
    cfg, m = model.config.surrender, model.map
    d = g.district
    home = int(model.route_home[d])
    if home >= 0 and home != d and rng.random() < cfg.p_withdraw:
        withdraw(model, g, home)
    elif model.near_crossing[d] and rng.random() < cfg.p_flee:
        leave(model, g, "fled", "flight", Cause.WITHDRAWAL)
    else:
        p_elders = cfg.p_elders_pashtun if m.ethnic_group[d] == "pashtun" else cfg.p_elders_other
        hand_over(model, g, Cause.NEGOTIATION if rng.random() < p_elders else Cause.SURRENDER)


def resolve(model: OffensiveModel) -> None:
    """Desertion everywhere; for besieged rural garrisons, the daily decision to give up."""
    rng = model.streams["surrender"]
    taliban, government, militia = model.presence()
    min_troops = model.config.combat.min_troops
    for g in model.garrisons():
        g.lose(rng.binomial(int(g.troops), desertion_rate(model, g)) if g.troops >= 1 else 0.0,
               "deserted")
        d = g.district
        if decides_alone(model, g) and taliban[d] > 0 and rng.random() < p_give_up(
                model, g, taliban[d], government[d] + militia[d]):
            give_up(model, g, rng)
        elif g.troops < max(min_troops, 1):
            leave(model, g, "deserted", "desertion", Cause.ABANDONMENT)
