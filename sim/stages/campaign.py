"""Stage 3, the Taliban campaign: value every district as an objective, allocate units, move.

The campaign comes in two phases, as the Taliban said of it: districts and highways first, the
provincial capitals only from ``cities_from`` (the foreign forces gone). Before that day no
capital is an objective or handed over; after it, the campaign values each district not yet held
from the state of the war and sourced map data:
weakly held, cut-off or demoralised posts; border crossings (customs revenue) and main roads;
the road districts next to a government-held capital (cutting its roads); the home districts of
rival militias before they rise (pre-emption). A provincial capital becomes an objective only
once it is cut off (no convoy route from a hub reaches it through ground the Taliban do not
hold) and its garrison is weak (its troop-weighted morale below ``ripe_morale``), or once its
province's leadership is in talks: the districts of a province in talks draw units (``w_talks``),
since a handover needs a force at the gates (``sim.stages.bargains``), and only that force. A unit in
reserve (holding Taliban ground) commits to an objective at a daily rate; a unit without an
objective in a contested district keeps contesting it (local fighters hold their ground); a
committed unit keeps its objective until it is taken or no longer valued, and now and then
reconsiders. When it chooses, it weighs value against distance (anywhere on the map: units
redeploy across provinces) and against the force already sent there (the need met), so the
campaign spreads its units over objectives and masses where the defence is strong. Units walk
one district a day.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.stages import bargains
from sim.world import campaign_kernels, graph_kernels
from sim.world.agents import TASK_CODE, Control, Task, move, next_step

if TYPE_CHECKING:
    from sim.model.model import OffensiveModel
    from sim.world.space import HopDistances


KEY_ENTRIES = 2**20  # the key matrix is built this many entries at a time (8 MB): linear memory


def objective_values(model: OffensiveModel, defenders: np.ndarray,
                     talks: np.ndarray) -> np.ndarray:
    """Value of every district as an objective today (``-inf`` where it is not one).

    ``talks`` is the mask of the districts on offer in provinces in talks (``bargains.in_talks``).
    A weighted sum of what makes a district worth taking (its weak, cut-off or demoralised
    posts, by the garrisons' troop-weighted morale; its value, border crossing, highway, the
    roads it cuts, the homes of militias not yet risen, talks); a capital only when ripe, and
    only once the campaign has turned on the cities (``bargains.on_the_cities``). Compiled
    (``sim.world.campaign_kernels.values``), term by term as the numpy expression.
    """
    cfg, m = model.config.campaign, model.map
    held = model.control != Control.TALIBAN
    road_cut = graph_kernels.product(m.road_adjacency, m.is_capital & held) > 0
    g, x = model.garrison_table, model.militia_table
    weights = (cfg.w_weakness, cfg.weakness_scale, cfg.w_cut_off, cfg.w_low_morale, cfg.w_value,
               cfg.w_border, cfg.w_highway, cfg.w_road_cut, cfg.w_militia, cfg.w_talks,
               cfg.ripe_morale, cfg.w_capital)
    score = campaign_kernels.values(
        g.district, g.troops, g.morale, g.live(), x.home, x.mobilised, x.live(), m.province_index,
        defenders, model.cut_off, m.value, m.is_border_crossing, m.on_road, road_cut,
        m.is_capital, talks, held, tuple(float(v) for v in weights))
    if not bargains.on_the_cities(model):
        score[m.is_capital | m.is_national_capital] = -np.inf
    return score


def keys(base: np.ndarray, hops: HopDistances, here: np.ndarray, objectives: np.ndarray,
         w_distance: float, exponential: np.ndarray, w_noise: float, aimed: np.ndarray,
         crowding: np.ndarray, fighters: np.ndarray) -> np.ndarray:
    """Choosers' keys: ``base - w_distance * hops + w_noise * gumbel``, in place of the draws.

    ``base`` is each objective's value net of crowding; each chooser's distance to each of the
    ``objectives`` is read from the hop row of its district ``here`` (at most the cache's
    capacity of choosers at once); ``exponential`` standard exponential draws (the Gumbel
    noise is minus their log, numpy's). A chooser withdrawing from ``aimed[i]`` (-1: none)
    takes its own ``fighters`` off that objective's crowding. Compiled
    (``sim.world.campaign_kernels.keys``, reading the hop rows where they are cached), with
    the same roundings as the plain expression.
    """
    logs = np.log(exponential, out=exponential)
    return campaign_kernels.keys(base, hops.rows, hops.slots(here), objectives, w_distance, logs,
                                 w_noise, aimed, crowding, fighters)


def choose_in_turn(key: np.ndarray, crowding: np.ndarray, aimed: np.ndarray,
                   fighters: np.ndarray) -> np.ndarray:
    """Choosers, one after another, each take the objective of best key; return the picks.

    ``key[i, j]`` is chooser ``i``'s score for objective ``j`` (value, distance, noise) net of
    the crowding ``crowding * sent`` it would see if it came first, its own ``fighters`` already
    withdrawn from its old objective ``aimed[i]`` (-1: none). Each pick adds the chooser's
    fighters to an objective and each withdrawal takes them off, which moves the crowding term
    for every later chooser: the picks are those of the plain sequential loop, compiled
    (``sim.world.campaign_kernels.picks_in_turn``; a row costs a pass over the objectives, where
    the bulk bound it replaces redid about one row in seven in Python).
    """
    return campaign_kernels.picks_in_turn(key, crowding, aimed, fighters)


def advance(model: OffensiveModel) -> None:
    """Every unit (re)chooses an objective if it needs one and takes a step toward it.

    Units choose one after another (in order of creation), each seeing the force the ones
    before it sent; each weighs only today's objectives, with its own Gumbel noise (drawn for
    all of today's choosers at once, as minus the log of standard exponentials).
    """
    cfg = model.config.campaign
    rng = model.streams["taliban"]
    t = model.unit_table
    live = t.live()
    n = model.map.n
    defenders = model.garrison_table.tally(n) + model.militia_table.tally(n, model.mobilised())
    talks = bargains.in_talks(model)
    value = objective_values(model, defenders, talks)
    objectives = np.isfinite(value).nonzero()[0]
    if len(objectives) == 0:
        t.task[live], t.target[live] = TASK_CODE[Task.HOLD], -1
        return
    combat, forces = model.config.combat, model.config.forces
    draws = rng.random(len(live))
    # compiled (sim.world.campaign_kernels.choosers): the units' objectives, the fighters sent to
    # each, who chooses today and each objective's crowding weight (over its need)
    here, target, fighters, aimed, sent, choosers, crowding = campaign_kernels.choosers(
        t.district, t.target, t.fighters, live, objectives, talks, defenders, model.map.is_capital,
        model.control, draws, int(Control.CONTESTED), *(float(v) for v in (
            combat.fortification_capital, combat.fortification_district,
            model.config.bargains.handover_odds, cfg.assault_odds, forces.taliban_unit_size,
            cfg.p_commit, cfg.p_replan, cfg.w_crowding)))
    hops = model.map.hops
    rows = max(1, KEY_ENTRIES // len(objectives))  # choosers per block of the key matrix
    if hops.capacity < n:  # no more choosers than hop rows the cache can hold at once
        rows = min(rows, hops.capacity)
    for start in range(0, len(choosers), rows):  # blocks in turn: the same draws, the same picks
        part = choosers[start:start + rows]
        old, size = aimed[part], fighters[part]
        key = keys(value[objectives] - crowding * sent, hops, here[part], objectives,
                   cfg.w_distance, rng.standard_exponential((len(part), len(objectives))),
                   cfg.w_noise, old, crowding, size)
        chosen = choose_in_turn(key, crowding, old, size)
        withdrawing = (old >= 0).nonzero()[0]
        np.subtract.at(sent, old[withdrawing], size[withdrawing])
        np.add.at(sent, chosen, size)
        target[part] = objectives[chosen]
    walkers, start, end = campaign_kernels.settle(  # compiled: targets and tasks written
        t.target, t.task, live, target, here, TASK_CODE[Task.HOLD], TASK_CODE[Task.BESIEGE],
        TASK_CODE[Task.MOVE])
    if len(walkers):
        move(model, t, walkers, next_step(model, start, end))
