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
given up post by post: their leadership decides for them (``sim.stages.bargains``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.stages import supply
from sim.stages.government import withdraw
from sim.world import surrender_kernels
from sim.world.agents import Cause, lose

if TYPE_CHECKING:
    from sim.model.model import OffensiveModel


def p_give_up(model: OffensiveModel, slots: np.ndarray, attackers: np.ndarray,
              defenders: np.ndarray) -> np.ndarray:
    """Daily probability that each besieged garrison of ``slots`` gives up.

    ``attackers`` and ``defenders`` are the fighters and troops where each garrison stands.
    """
    cfg, g = model.config.surrender, model.garrison_table
    # compiled (sim.world.surrender_kernels): the terms before the odds' log, in order (no
    # ammunition, no supplies, low morale, lost belief, cut off), the odds, the thresholds
    terms, odds, threshold = surrender_kernels.give_up_terms(
        slots, g.ammo_days, g.supply_days, g.morale, g.district, g.cut_off_days, g.threshold,
        model.belief, model.map.province_index, attackers, defenders,
        *(float(w) for w in (cfg.w_no_ammo, cfg.w_no_supplies, cfg.w_low_morale, cfg.w_belief,
                             cfg.w_cut_off)))
    logit = terms + cfg.w_odds * np.log(odds) - threshold
    return 1.0 / (1.0 + np.exp(-logit))


def decides_alone(model: OffensiveModel, slots: np.ndarray) -> np.ndarray:
    """Whether each garrison decides for itself to give up (not a capital's army and police)."""
    g = model.garrison_table
    return g.commando[slots] | ~model.map.is_capital[g.district[slots]]


def desertion(model: OffensiveModel, slots: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Whole troops of each garrison of ``slots`` and the share of them deserting today.

    The share is the baseline and collapse shares added (the collapse grows with lost morale
    and lost belief); where they add up to the whole garrison or more (each may be up to 1),
    all of it deserts. Compiled (``sim.world.surrender_kernels.desertion_terms``) but the power.
    """
    cfg, g = model.config.surrender, model.garrison_table
    people, base = surrender_kernels.desertion_terms(slots, g.troops, g.morale, g.district,
                                                     model.belief, model.map.province_index)
    collapse = base ** cfg.desertion_exponent
    return people, np.minimum(cfg.rate_desertion + cfg.rate_desertion_collapse * collapse, 1.0)


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
    t = model.unit_table
    units = t.live()
    units = units[t.district[units] == d]
    troops = g.lose(g.troops, "captured")
    equipment, g.equipment = g.equipment, 0.0
    if len(units):
        t.agents[units[np.argmax(t.fighters[units])]].take_equipment(equipment)
    else:
        model.equipment_cache[d] += equipment
    model.pending_cause[d] = cause
    model.log(d, cause.name.lower(), cause, troops, equipment)
    g.remove()


def give_up(model: OffensiveModel, g, rng: np.random.Generator) -> None:
    """Choose how a garrison that gives up leaves: withdrawal, flight, negotiation or surrender."""
    cfg, m = model.config.surrender, model.map
    d = g.district
    home = supply.route_home(model, d)
    if home >= 0 and home != d and rng.random() < cfg.p_withdraw:
        withdraw(model, g, home)
    elif model.near_crossing[d] and rng.random() < cfg.p_flee:
        leave(model, g, "fled", "flight", Cause.WITHDRAWAL)
    else:
        p_elders = cfg.p_elders_pashtun if m.is_pashtun[d] else cfg.p_elders_other
        hand_over(model, g, Cause.NEGOTIATION if rng.random() < p_elders else Cause.SURRENDER)


def resolve(model: OffensiveModel) -> None:
    """Desertion everywhere; for besieged rural garrisons, the daily decision to give up.

    Draws, all garrisons at once: the deserters, then each besieged post's decision; then the
    posts that give up choose how, one after another, and those desertion left too small leave.
    """
    rng = model.streams["surrender"]
    taliban, government, militia = model.presence()
    g = model.garrison_table
    slots = g.live()
    deserters = rng.binomial(*desertion(model, slots))
    lose(model, g, slots, deserters.astype(float), "government", "deserted")
    d = g.district[slots]
    besieged = decides_alone(model, slots) & (taliban[d] > 0)
    asked = slots[besieged]
    gives = np.zeros(len(slots), bool)
    gives[besieged] = rng.random(len(asked)) < p_give_up(
        model, asked, taliban[d[besieged]], government[d[besieged]] + militia[d[besieged]])
    too_few = ~gives & (g.troops[slots] < max(model.config.combat.min_troops, 1))
    for slot, gives_up in zip(slots[gives | too_few].tolist(), gives[gives | too_few].tolist(),
                              strict=True):
        if gives_up:
            give_up(model, g.agents[slot], rng)
        else:
            leave(model, g.agents[slot], "deserted", "desertion", Cause.ABANDONMENT)
