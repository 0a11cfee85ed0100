"""Stage 5, combat: Lanchester-type attrition wherever Taliban units and defenders share a district.

Each side's effective fire is its strength times modifiers: for defenders, fortification,
terrain, ammunition and morale; for the Taliban, captured equipment, ammunition and morale. When
the attackers' effective odds reach ``assault_odds`` they first call on each garrison to give up
(it decides as under siege), then assault those that refuse (full intensity); otherwise they
besiege (a fraction of it). Air strikes planned today add Taliban losses. Casualties are
Poisson draws around the expected attrition, shared in proportion to strength. Combat uses
ammunition. A garrison reduced below ``min_troops`` by an assault is overrun; one that desertion
has already left below it slips away without a fight (abandonment).
"""

from __future__ import annotations

import collections
from typing import TYPE_CHECKING

from sim import surrender
from sim.agents import Cause, Task

if TYPE_CHECKING:
    from sim.model import OffensiveModel


def readiness(morale: float, ammo_days: float, without_ammo: float) -> float:
    """Fire multiplier from morale (0.5-1) and whether there is ammunition left."""
    return (0.5 + 0.5 * morale) * (1.0 if ammo_days >= 1.0 else without_ammo)


def share_losses(forces: list, attr: str, losses: float) -> list[float]:
    """Split ``losses`` across ``forces`` in proportion to their ``attr``, capped at each size."""
    sizes = [getattr(f, attr) for f in forces]
    total = sum(sizes)
    if total <= 0:
        return [0.0] * len(forces)
    return [min(size, losses * size / total) for size in sizes]


def battle(model: OffensiveModel, d: int, units: list, garrisons: list, militias: list) -> None:
    """Resolve one day of fighting in district ``d``."""
    cfg = model.config.combat
    if sum(f.strength for f in garrisons + militias) < cfg.min_troops:
        for remnant in garrisons + militias:  # too few to fight: they slip away
            surrender.leave(model, remnant, "deserted", "desertion", Cause.ABANDONMENT)
        return
    rng = model.streams["combat"]
    bonus = model.config.taliban.equipment_bonus
    terrain = 1.0 + cfg.w_terrain * model.map.ruggedness[d]
    no_ammo = cfg.frac_fire_without_ammo
    attack = sum(u.fighters * (1.0 + bonus * u.equipment * 100.0 / max(u.fighters, 1.0))
                 * readiness(u.morale, u.ammo_days, no_ammo) for u in units)
    defence = sum(g.troops * g.fortification * terrain * readiness(g.morale, g.ammo_days, no_ammo)
                  for g in garrisons)
    defence += sum(x.fighters * terrain * readiness(x.morale, 10.0, no_ammo) for x in militias)
    assault = attack >= model.config.taliban.assault_odds * defence
    if assault:
        garrisons = summon(model, units, garrisons, militias)
        if not garrisons and not militias:
            return
    intensity = 1.0 if assault else cfg.frac_siege_intensity
    taliban_loss = rng.poisson(cfg.rate_government_fire * defence * intensity + model.air_kills[d])
    defender_loss = rng.poisson(cfg.rate_taliban_fire * attack * intensity)

    for u, loss in zip(units, share_losses(units, "fighters", taliban_loss), strict=True):
        u.casualties_today += u.lose(loss, "killed")
        u.ammo_days = max(0.0, u.ammo_days - cfg.ammo_days_per_assault * intensity)
        u.task = Task.ASSAULT if assault else Task.BESIEGE
    defenders = garrisons + militias
    for f, loss in zip(defenders, share_losses(defenders, "strength", defender_loss), strict=True):
        f.casualties_today += f.lose(loss, "killed")
    for g in garrisons:
        g.ammo_days = max(0.0, g.ammo_days - cfg.ammo_days_per_assault * intensity)
    if assault:
        model.today["assaults"] += 1
        if sum(f.strength for f in defenders) < cfg.min_troops:
            overrun(model, d, units, defenders)


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
        if rng.random() < surrender.p_give_up(model, g, attackers, defenders):
            surrender.give_up(model, g, rng)
        else:
            staying.append(g)
    return staying


def overrun(model: OffensiveModel, d: int, units: list, defenders: list) -> None:
    """The last defenders of ``d`` are killed or captured; their equipment goes to the victors."""
    captor = max(units, key=lambda u: u.fighters)
    equipment = sum(getattr(f, "equipment", 0.0) for f in defenders)
    troops = sum(f.strength for f in defenders)
    for f in defenders:
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
    for u in model.units():
        if u.fighters < 1.0:
            u.lose(u.fighters, "killed")
            u.remove()
