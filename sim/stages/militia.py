"""Stage 4a, militia mobilisation: regional militias rise when the Taliban near their home.

After the call to arm (a dated driver), a faction's militias mobilise once Taliban fighters come
within ``alert_hops`` of any district of their home provinces; only the loyal share turns out.
Mobilised militias walk to the most threatened district of their home provinces and hold it
while the threat lasts; they do not fight elsewhere, and a militia whose morale breaks disbands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.world.agents import Control, move, next_step

if TYPE_CHECKING:
    from sim.model.model import OffensiveModel


def mobilise(model: OffensiveModel) -> None:
    """Mobilise threatened factions, move mobilised militias to the front, disband broken ones."""
    cfg, m, x = model.config.militia, model.map, model.militia_table
    slots = x.live()
    if len(slots) == 0 or model.day < model.config.day_of(cfg.mobilisation_date):
        return
    taliban = model.unit_table.tally(m.n)
    alerted = np.bincount(m.province_index, weights=m.near(taliban > 0, cfg.alert_hops),
                          minlength=m.n_provinces) > 0
    pressure = taliban + m.neighbour_sum(taliban)
    pressure = np.where(model.control == Control.TALIBAN, -1.0, pressure)
    rising = slots[~x.mobilised[slots] & (x.home[slots] & alerted).any(axis=1)]
    for militia in x.members(rising):
        stayed = militia.fighters * (1.0 - militia.loyalty)
        militia.fighters -= stayed
        model.ledger["militia_deserted"] += stayed
        militia.mobilised = True
        model.log(militia.district, "militia_mobilised", troops=militia.fighters)
    active = slots[x.mobilised[slots]]
    broken = x.morale[active] < cfg.breaking_morale
    for militia in x.members(active[broken]):
        model.ledger["militia_deserted"] += militia.fighters
        model.log(militia.district, "militia_disbanded", troops=militia.fighters)
        militia.remove()
    active = active[~broken]
    post = x.post[active]
    stale = (post < 0) | (pressure[post] <= 0)  # post -1 reads the last district: masked anyway
    for militia in x.members(active[stale]):
        best = int(militia.home[np.argmax(pressure[militia.home])])
        militia.post = best if pressure[best] > 0 else militia.district
    movers = active[x.post[active] != x.district[active]]
    if len(movers):
        move(model, x, movers, next_step(model, x.district[movers], x.post[movers]))
