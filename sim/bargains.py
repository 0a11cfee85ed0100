"""Province-level bargains: a provincial leadership hands over its capital and remaining posts.

Each province's leadership (governor, police chief, corps or brigade commander, taken as one
actor) feels a pressure: the lost belief that the republic will survive, Taliban inside the
capital, the capital's roads cut, the share of the province already lost, and deals struck in
neighbouring provinces. It strikes a deal the first day that pressure exceeds its own threshold
(Granovetter's tipping model: thresholds are drawn per province, so a few deals can tip the
next). A deal hands the province's government-held districts over by negotiation; its garrisons
get safe passage to the nearest air base or corps base still held (taking a share of their
equipment), or lay down their arms where no route is open. Kabul's province is the national
leadership's to give up (``sim.centre``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.agents import Cause, Control

if TYPE_CHECKING:
    from sim.model import OffensiveModel


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
    dealt = model.dealt.astype(float)
    neighbour_deals = (m.province_adjacency @ dealt) / np.maximum(m.province_degree, 1)
    return (cfg.w_belief * (1.0 - model.belief) + cfg.w_besieged * besieged
            + cfg.w_cut_off * cut_off + cfg.w_province_lost * lost
            + cfg.w_neighbour_deals * neighbour_deals)


def strike_deal(model: OffensiveModel, province: int) -> None:
    """Hand ``province`` over: safe passage for its garrisons, its districts to the Taliban."""
    m = model.map
    model.dealt[province] = True
    districts = ((m.province_index == province) & (model.control != Control.TALIBAN)).nonzero()[0]
    in_province = np.zeros(m.n, bool)
    in_province[districts] = True
    model.pending_cause[districts] = Cause.NEGOTIATION
    refuge = model.refuges(exclude=in_province)
    kept = model.config.bargains.frac_equipment_kept
    troops = 0.0
    table = model.garrison_table
    slots = table.live()
    for g in table.members(slots[in_province[table.district[slots]] & ~table.commando[slots]]):
        troops += g.troops
        destination = int(refuge[g.district])
        if destination >= 0:
            origin = g.district
            model.equipment_cache[origin] += g.relocate(destination, 1.0 - kept)
        else:
            model.equipment_cache[g.district] += g.equipment
            g.equipment = 0.0
            g.lose(g.troops, "captured")
            g.remove()
    model.log(int(m.province_capital[province]), "deal", Cause.NEGOTIATION, troops)


def negotiate(model: OffensiveModel) -> None:
    """Every province whose leadership's threshold is crossed today strikes its deal."""
    if not model.config.bargains.use_bargains:
        return
    m = model.map
    open_ = ~model.dealt & (model.control[m.province_capital] != Control.TALIBAN)
    open_ &= ~m.is_national_capital[m.province_capital]
    tipped = (open_ & (pressure(model) > model.lead_threshold)).nonzero()[0]
    for province in tipped:
        strike_deal(model, int(province))
