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

from typing import TYPE_CHECKING

import numpy as np

from sim.stages import surrender
from sim.world import combat_kernels, kernels
from sim.world.agents import TASK_CODE, Cause, Task, lose

if TYPE_CHECKING:
    from sim.model.model import OffensiveModel


def defence(model: OffensiveModel, garrisons: np.ndarray, militias: np.ndarray) -> np.ndarray:
    """Effective fire of the defenders of each district: the garrisons and militias given.

    Strength times readiness (``frac_fire_broken`` at morale 0, 1 at 1; ``frac_fire_without_ammo``
    without ammunition), times fortification for garrisons and terrain for both (compiled:
    ``sim.world.combat_kernels.defence``).
    """
    cfg, g, x = model.config.combat, model.garrison_table, model.militia_table
    terrain = 1.0 + cfg.w_terrain * model.map.ruggedness
    return combat_kernels.defence(g.district, g.troops, g.fortification, g.morale, g.ammo_days,
                                  garrisons, x.district, x.fighters, x.morale, x.ammo_days,
                                  militias, terrain, cfg.frac_fire_broken,
                                  cfg.frac_fire_without_ammo)


def summon(model: OffensiveModel, garrisons: np.ndarray, assault: np.ndarray,
           attackers: np.ndarray, defenders: np.ndarray) -> np.ndarray:
    """Before storming, the attackers call on each garrison to give up; return those that did.

    Each garrison of an ``assault`` district decides as it would under siege
    (``surrender.p_give_up``, surrender stream), so an assault on a demoralised, outnumbered post
    usually ends in a handover, not a battle. ``attackers`` and ``defenders`` are per district.
    """
    g = model.garrison_table
    where = g.district[garrisons]
    asked = garrisons[assault[where] & surrender.decides_alone(model, garrisons)]
    asked = asked[np.argsort(g.district[asked], kind="stable")]  # districts in id order
    d = g.district[asked]
    rng = model.streams["surrender"]
    gave = asked[rng.random(len(asked)) < surrender.p_give_up(model, asked, attackers[d],
                                                              defenders[d])]
    for slot in gave.tolist():
        surrender.give_up(model, g.agents[slot], rng)
    return gave


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


def abandon(model: OffensiveModel, districts: np.ndarray, garrisons: np.ndarray,
            militias: np.ndarray) -> None:
    """Defenders too few to fight in ``districts`` slip away without a fight (abandonment)."""
    g, x = model.garrison_table, model.militia_table
    gone = [*g.agents[garrisons[np.isin(g.district[garrisons], districts)]],
            *x.agents[militias[np.isin(x.district[militias], districts)]]]
    for remnant in sorted(gone, key=lambda f: f.district):
        surrender.leave(model, remnant, "deserted", "desertion", Cause.ABANDONMENT)


def fight(model: OffensiveModel) -> None:
    """Fight every battle of the day, all districts at once.

    Where units meet defenders too few to fight, the defenders slip away. Elsewhere the attackers
    assault or besiege; before an assault they summon the garrisons. Casualties are drawn from the
    combat stream for all battles at once (districts in id order), then the air strikes' kills
    where no battle is fought.
    """
    cfg, n = model.config.combat, model.map.n
    t, g, x = model.unit_table, model.garrison_table, model.militia_table
    units, posts, mobilised = t.live(), g.live(), model.mobilised()
    # compiled (sim.world.combat_kernels.fronts): who meets whom, the defenders' strength, the
    # garrisons and militias of the battles; defenders too few slip away
    occupied, battle, weak, strength, garrisons, militias = combat_kernels.fronts(
        t.district, units, g.district, g.troops, posts, x.district, x.fighters, mobilised, n,
        float(cfg.min_troops))
    if np.count_nonzero(weak):  # count_nonzero: a third of .any()'s cost on a mask
        abandon(model, weak.nonzero()[0], posts, mobilised)

    tcfg = model.config.taliban  # firepower (crewed captured items) times readiness, compiled
    attack = combat_kernels.attack(t.district, t.fighters, t.equipment, t.morale, t.ammo_days,
                                   units, n, tcfg.fire_per_item, tcfg.crew_per_item,
                                   cfg.frac_fire_broken, cfg.frac_fire_without_ammo)
    fire = defence(model, garrisons, militias)
    assault = battle & (attack >= model.config.campaign.assault_odds * fire)
    if np.count_nonzero(assault):
        gave = summon(model, garrisons, assault, t.tally(n, units), strength)
        garrisons = garrisons[~np.isin(garrisons, gave)]
        battle &= (np.bincount(g.district[garrisons], minlength=n)
                   + np.bincount(x.district[militias], minlength=n)) > 0
        assault &= battle
        fire = defence(model, garrisons, militias)  # those that gave up fire no more

    rng = model.streams["combat"]
    fought, taliban_mean, defender_mean, struck, struck_mean = combat_kernels.rates(
        battle, assault, fire, attack, model.air_kills, occupied,
        *(float(v) for v in (cfg.rate_government_fire, cfg.rate_taliban_fire,
                             cfg.frac_siege_intensity)))  # compiled: the draws' means
    taliban_loss, defender_loss = np.zeros(n), np.zeros(n)
    taliban_loss[fought] = rng.poisson(taliban_mean)
    defender_loss[fought] = rng.poisson(defender_mean)
    taliban_loss[struck] = rng.poisson(struck_mean)

    # compiled (sim.world.kernels.aftermath): the losses shared and killed, a day's fire spent
    left, *booked = kernels.aftermath(
        t.district, t.fighters, t.equipment, t.casualties_today, t.ammo_days, t.task, units,
        battle, assault, taliban_loss, (TASK_CODE[Task.ASSAULT], TASK_CODE[Task.BESIEGE]),
        g.district, g.troops, g.equipment, g.casualties_today, g.ammo_days, garrisons, x.district,
        x.fighters, x.equipment, x.casualties_today, x.ammo_days, militias, defender_loss,
        float(cfg.ammo_days_per_assault), float(model.config.supply.rate_siege_ammo))
    for side, slots, destroyed, killed in zip(("taliban", "government", "militia"),
                                              (units, garrisons, militias), booked[::2],
                                              booked[1::2], strict=True):
        if len(slots):  # as sim.world.agents.lose books them
            model.ledger["equipment_destroyed"] += destroyed
        model.ledger[f"{side}_killed"] += killed
    model.today["assaults"] += np.count_nonzero(assault)
    for d in (assault & (left < cfg.min_troops)).nonzero()[0].tolist():
        overrun(model, d, t.members(units[t.district[units] == d]),
                [*g.members(garrisons[g.district[garrisons] == d]),
                 *x.members(militias[x.district[militias] == d])])

    wasted = (model.strikes > 0) & ~occupied
    model.today["strikes_wasted"] += float(model.strikes[wasted].sum())
    live = t.live()
    spent_units = live[t.fighters[live] < 1.0]
    if len(spent_units) == 0:  # most days (the ledger's Taliban killed is booked above)
        return
    np.add.at(model.equipment_cache, t.district[spent_units], t.equipment[spent_units])
    t.equipment[spent_units] = 0.0
    lose(model, t, spent_units, t.fighters[spent_units], "taliban", "killed")
    for unit in t.members(spent_units):
        unit.remove()
