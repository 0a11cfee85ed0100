"""Province-level bargains: a provincial leadership opens talks, then hands over to a force at the gates.

Each province's leadership (governor, police chief, corps or brigade commander, taken as one
actor) feels a pressure: its lost belief that the republic will survive, Taliban inside the
capital and for how many days (a siege wears stocks and will down), the capital's roads cut, the
share of the province already lost, and deals struck in neighbouring provinces. It opens talks
the first day that pressure exceeds its own threshold (Granovetter's tipping model: thresholds
are drawn per province, so a few deals can tip the next). A handover needs someone to hand over
to: the capital of a province in talks is handed over only once the campaign has turned on the
cities (``campaign.cities_from``) and a Taliban force of at least ``handover_odds`` times its
government troops (and no fewer than a unit) stands in it or next to it. The province's other
posts decide for themselves (``sim.stages.surrender``), unless ``deal_takes_province``: then
the deal hands each over too as a force reaches it. Every garrison in a district handed over
leaves under the deal, commandos too (``commandos_in_deals``): in Lashkar Gah, held by
commandos, a 48-hour ceasefire let the army and officials evacuate (AFP, 13 August 2021). The
campaign sends its units to the provinces in talks (``sim.stages.campaign``), so the pace of
the handovers comes from the Taliban's movements and numbers. A district handed over goes to
the Taliban by negotiation; its garrisons get safe passage to the nearest air base or corps base
still held outside the province (taking a share of their equipment), or lay down their arms
where no route is open. A capital handed over is a province-wide deal: news that travels
(``sim.stages.belief``). Kabul's province is the national leadership's to give up
(``sim.stages.centre``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.stages import belief
from sim.world import graph_kernels
from sim.world.agents import Cause, Control

if TYPE_CHECKING:
    from sim.model.model import OffensiveModel


def pressure(model: OffensiveModel) -> np.ndarray:
    """Today's pressure on each province's leadership (array over provinces)."""
    cfg, m = model.config.bargains, model.map
    p = m.province_index
    n_prov = m.n_provinces
    taliban = model.control == Control.TALIBAN
    lost = np.bincount(p, weights=taliban, minlength=n_prov) / np.bincount(p, minlength=n_prov)
    capital = m.province_capital
    besieged = model.control[capital] == Control.CONTESTED
    cut_off = model.cut_off[capital]
    neighbour_deals = (graph_kernels.product(m.province_adjacency, model.dealt)
                       / np.maximum(m.province_degree, 1))
    return (cfg.w_belief * (1.0 - model.belief) + cfg.w_besieged * besieged
            + cfg.w_siege_days * model.siege_days + cfg.w_cut_off * cut_off
            + cfg.w_province_lost * lost + cfg.w_neighbour_deals * neighbour_deals)


def on_the_cities(model: OffensiveModel) -> bool:
    """Whether the campaign has turned on the provincial capitals (``campaign.cities_from``)."""
    when = model.config.campaign.cities_from
    return when is None or model.day >= model.config.day_of(when)


def count_siege_days(model: OffensiveModel) -> None:
    """Add a day of siege to each province whose capital has Taliban inside, once on the cities."""
    if on_the_cities(model):
        model.siege_days += model.control[model.map.province_capital] == Control.CONTESTED


def handover_need(model: OffensiveModel, defenders: np.ndarray) -> np.ndarray:
    """Taliban fighters a district's defenders need at or next to them to hand over to."""
    return np.maximum(model.config.bargains.handover_odds * defenders,
                      model.config.forces.taliban_unit_size)


def in_talks(model: OffensiveModel) -> np.ndarray:
    """Mask of the districts on offer: a capital in talks, once the campaign is on the cities.

    The leadership gives up its own seat first; with ``deal_takes_province``, once the capital is
    handed over (the deal), its authority over the province's remaining posts goes with it.
    """
    m = model.map
    if not on_the_cities(model):
        return np.zeros(m.n, bool)
    p = m.province_index
    seats = m.is_capital | m.is_national_capital
    if model.config.bargains.deal_takes_province:
        seats = seats | model.dealt[p]
    return model.talks[p] & seats & (model.control != Control.TALIBAN)


def hand_over(model: OffensiveModel, districts: np.ndarray) -> None:
    """Hand ``districts`` over: safe passage for their garrisons, the districts to the Taliban."""
    m = model.map
    chosen = np.zeros(m.n, bool)
    chosen[districts] = True
    model.pending_cause[districts] = Cause.NEGOTIATION
    provinces = np.zeros(m.n_provinces, bool)
    provinces[m.province_index[districts]] = True
    refuge = model.refuges(exclude=provinces[m.province_index])
    kept = model.config.bargains.frac_equipment_kept
    table = model.garrison_table
    slots = table.live()
    troops = np.zeros(m.n)
    leaving = chosen[table.district[slots]]
    if not model.config.bargains.commandos_in_deals:
        leaving &= ~table.commando[slots]
    for g in table.members(slots[leaving]):
        troops[g.district] += g.troops
        destination = int(refuge[g.district])
        if destination >= 0:
            origin = g.district
            model.equipment_cache[origin] += g.relocate(destination, 1.0 - kept)
        else:
            model.equipment_cache[g.district] += g.equipment
            g.equipment = 0.0
            g.lose(g.troops, "captured")
            g.remove()
    for d in districts.tolist():
        province = int(m.province_index[d])
        if (m.is_capital[d] or m.is_national_capital[d]) and not model.dealt[province]:
            model.dealt[province] = True
            model.log(d, "deal", Cause.NEGOTIATION, troops[d])
            belief.spread(model, province, model.config.belief.shock_deal)
        elif troops[d] > 0:
            model.log(d, "handover", Cause.NEGOTIATION, troops[d])


def open_talks(model: OffensiveModel, province: int) -> None:
    """The leadership of ``province`` decides to give up and opens talks."""
    model.talks[province] = True
    model.log(int(model.map.province_capital[province]), "talks")


def negotiate(model: OffensiveModel) -> None:
    """Leaderships whose threshold is crossed today open talks; where a force is at hand, handover.

    Handovers also conclude the talks the national leadership opened on leaving (``sim.stages.centre``),
    with or without the provincial bargains.
    """
    m = model.map
    count_siege_days(model)
    if model.config.bargains.use_bargains:
        open_ = ~model.talks & (model.control[m.province_capital] != Control.TALIBAN)
        open_ &= ~m.is_national_capital[m.province_capital]
        for province in (open_ & (pressure(model) > model.lead_threshold)).nonzero()[0].tolist():
            open_talks(model, province)
    candidates = in_talks(model)
    if not np.count_nonzero(candidates):
        return
    if model.config.bargains.use_handover_force:
        taliban, government, _ = model.presence()
        at_hand = taliban + m.neighbour_sum(taliban)
        candidates &= at_hand >= handover_need(model, government)
    if np.count_nonzero(candidates):
        hand_over(model, candidates.nonzero()[0])
