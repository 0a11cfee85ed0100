"""Stage 4a, militia mobilisation: regional militias rise when the Taliban near their home.

After the call to arm (a dated driver), a faction's militias mobilise once Taliban fighters come
within ``alert_hops`` of any district of their home provinces; only the loyal share turns out.
Mobilised militias walk to the most threatened district of their home provinces and hold it
while the threat lasts; they do not fight elsewhere, and a militia whose morale breaks disbands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.agents import Control

if TYPE_CHECKING:
    from sim.model import OffensiveModel

def mobilise(model: OffensiveModel) -> None:
    """Mobilise threatened factions, move mobilised militias to the front, disband broken ones."""
    cfg, m = model.config.militia, model.map
    militias = model.militias()
    if not militias or model.day < model.config.day_of(cfg.mobilisation_date):
        return
    taliban, _, _ = model.presence()
    alert = m.near(taliban > 0, cfg.alert_hops)
    pressure = taliban + m.adjacency @ taliban
    pressure = np.where(model.control == Control.TALIBAN, -1.0, pressure)
    for militia in militias:
        home = militia.home
        if not militia.mobilised:
            if not alert[home].any():
                continue
            stayed = militia.fighters * (1.0 - militia.loyalty)
            militia.fighters -= stayed
            model.ledger["militia_deserted"] += stayed
            militia.mobilised = True
            model.log(militia.district, "militia_mobilised", troops=militia.fighters)
        if militia.morale < cfg.breaking_morale:
            model.ledger["militia_deserted"] += militia.fighters
            model.log(militia.district, "militia_disbanded", troops=militia.fighters)
            militia.remove()
            continue
        post = militia.post
        if post is None or pressure[post] <= 0:
            best = int(home[np.argmax(pressure[home])])
            militia.post = best if pressure[best] > 0 else militia.district
        militia.step_toward(militia.post)
