"""Stage 5, combat: Lanchester-type attrition wherever Taliban units and defenders share a district.

Each side's effective fire is its strength times modifiers: for defenders, fortification,
terrain, ammunition and morale; for the Taliban, captured equipment (as far as they have crews
for it), ammunition and morale. When the attackers' effective odds reach ``assault_odds`` they
first call on each garrison to give up (it decides as under siege, and one that gives up fires
no more that day), then assault those that refuse (full intensity); otherwise they besiege (a
fraction of it). Air strikes planned today kill fighters in the district they were flown to,
battle or not; strikes on a district the units have left are recorded as wasted. Casualties
are Poisson draws around the expected attrition, shared in proportion to strength. Every day of
fighting uses ammunition, on both sides. A garrison reduced below ``min_troops`` by an assault is
overrun; one that desertion has already left below it slips away without a fight (abandonment).
"""

from __future__ import annotations

import collections
from typing import TYPE_CHECKING

import numpy as np

from sim import surrender
from sim.agents import Cause, Task

if TYPE_CHECKING:
    from sim.model import OffensiveModel


def readiness(model: OffensiveModel, morale: float, ammo_days: float) -> float:
    """Fire multiplier from morale (``frac_fire_broken`` at 0, 1 at 1) and ammunition left."""
    cfg = model.config.combat
    return ((cfg.frac_fire_broken + (1.0 - cfg.frac_fire_broken) * morale)
            * (1.0 if ammo_days >= 1.0 else cfg.frac_fire_without_ammo))


def share_losses(forces: list, attr: str, losses: float) -> list[float]:
    """Split ``losses`` across ``forces`` in proportion to their ``attr``, capped at each size."""
    sizes = [getattr(f, attr) for f in forces]
    total = sum(sizes)
    if total <= 0:
        return [0.0] * len(forces)
    return [min(size, losses * size / total) for size in sizes]


def defence_of(model: OffensiveModel, d: int, garrisons: list, militias: list) -> float:
    """Effective fire of the defenders of district ``d``."""
    terrain = 1.0 + model.config.combat.w_terrain * model.map.ruggedness[d]
    fire = sum(g.troops * g.fortification * readiness(model, g.morale, g.ammo_days)
               for g in garrisons)
    fire += sum(x.fighters * readiness(model, x.morale, x.ammo_days) for x in militias)
    return fire * terrain


def battle(model: OffensiveModel, d: int, units: list, garrisons: list, militias: list) -> None:
    """Resolve one day of fighting in district ``d``."""
    cfg = model.config.combat
    if sum(f.strength for f in garrisons + militias) < cfg.min_troops:
        for remnant in garrisons + militias:  # too few to fight: they slip away
            surrender.leave(model, remnant, "deserted", "desertion", Cause.ABANDONMENT)
        strike_only(model, d, units)
        return
    rng = model.streams["combat"]
    attack = sum(u.firepower() * readiness(model, u.morale, u.ammo_days) for u in units)
    assault = attack >= model.config.campaign.assault_odds * defence_of(model, d, garrisons,
                                                                        militias)
    if assault:
        garrisons = summon(model, units, garrisons, militias)
        if not garrisons and not militias:
            strike_only(model, d, units)
            return
    defence = defence_of(model, d, garrisons, militias)
    intensity = 1.0 if assault else cfg.frac_siege_intensity
    taliban_loss = rng.poisson(cfg.rate_government_fire * defence * intensity + model.air_kills[d])
    defender_loss = rng.poisson(cfg.rate_taliban_fire * attack * intensity)

    spent = cfg.ammo_days_per_assault if assault else model.config.supply.rate_siege_ammo
    for u, loss in zip(units, share_losses(units, "fighters", taliban_loss), strict=True):
        u.casualties_today += u.lose(loss, "killed")
        u.ammo_days = max(0.0, u.ammo_days - spent)
        u.task = Task.ASSAULT if assault else Task.BESIEGE
    defenders = garrisons + militias
    for f, loss in zip(defenders, share_losses(defenders, "strength", defender_loss), strict=True):
        f.casualties_today += f.lose(loss, "killed")
        f.ammo_days = max(0.0, f.ammo_days - spent)
    if assault:
        model.today["assaults"] += 1
        if sum(f.strength for f in defenders) < cfg.min_troops:
            overrun(model, d, units, defenders)


def strike_only(model: OffensiveModel, d: int, units: list) -> None:
    """Apply the air strikes planned on ``d`` to the units there, with no ground battle."""
    kills = model.air_kills[d]
    if kills <= 0:
        return
    loss = model.streams["combat"].poisson(kills)
    for u, share in zip(units, share_losses(units, "fighters", loss), strict=True):
        u.casualties_today += u.lose(share, "killed")


def summon(model: OffensiveModel, units: list, garrisons: list, militias: list) -> list:
    """Before storming, the attackers call on each garrison to give up; return those that stay.

    Each garrison decides as it would under siege (``surrender.p_give_up``, surrender stream), so
    an assault on a demoralised, outnumbered post usually ends in a handover, not a battle.
    """
    rng = model.streams["surrender"]
    attackers = sum(u.fighters for u in units)
    defenders = sum(g.troops for g in garrisons) + sum(x.fighters for x in militias)
    staying = []
    for g in garrisons:
        if surrender.decides_alone(model, g) and rng.random() < surrender.p_give_up(
                model, g, attackers, defenders):
            surrender.give_up(model, g, rng)
        else:
            staying.append(g)
    return staying


def overrun(model: OffensiveModel, d: int, units: list, defenders: list) -> None:
    """The last defenders of ``d`` are killed or captured; their equipment goes to the victors."""
    captor = max(units, key=lambda u: u.fighters)
    equipment = sum(f.equipment for f in defenders)
    troops = sum(f.strength for f in defenders)
    for f in defenders:
        f.equipment = 0.0
        f.lose(f.strength, "captured")
        f.remove()
    captor.take_equipment(equipment)
    model.pending_cause[d] = Cause.ASSAULT
    model.log(d, "overrun", Cause.ASSAULT, troops, equipment)


def fight(model: OffensiveModel) -> None:
    """Fight every battle of the day (districts in id order; each draws from the combat stream)."""
    units = collections.defaultdict(list)
    for u in model.units():
        units[u.district].append(u)
    garrisons = collections.defaultdict(list)
    for g in model.garrisons():
        garrisons[g.district].append(g)
    militias = collections.defaultdict(list)
    for x in model.militias():
        if x.mobilised:
            militias[x.district].append(x)
    for d in sorted(units):
        if garrisons[d] or militias[d]:
            battle(model, d, units[d], garrisons[d], militias[d])
        else:
            strike_only(model, d, units[d])
    struck = np.flatnonzero(model.strikes > 0)
    wasted = [d for d in struck if d not in units]
    model.today["strikes_wasted"] += float(model.strikes[wasted].sum()) if wasted else 0.0
    for u in model.units():
        if u.fighters < 1.0:
            model.equipment_cache[u.district] += u.equipment
            u.equipment = 0.0
            u.lose(u.fighters, "killed")
            u.remove()
