"""A five-district road for teaching and tests: an isolated outpost behind Taliban lines.

District 0 is the capital and supply hub (with an airfield); districts 1-2 lead toward the
Taliban-held district 3; the outpost, district 4, lies beyond it, so no convoy can reach it and
only the air force can keep it supplied.
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from sim.config import SimConfig
from sim.model.model import OffensiveModel
from sim.runner import load_config
from sim.world.agents import Control
from sim.world.space import DistrictMap
from sim.world.synthetic import map_from_graph

OUTPOST = 4
ROAD_CONTROL = [Control.GOVERNMENT, Control.GOVERNMENT, Control.GOVERNMENT, Control.TALIBAN,
                Control.GOVERNMENT]
SMALL_FORCES = ["forces.n_taliban=300", "forces.n_andsf_paper=2000", "forces.n_commandos=0",
                "forces.n_militia=0", "air.frac_fleet=0.05"]


def outpost_road() -> DistrictMap:
    """The five-district road (see the module docstring)."""
    return map_from_graph(nx.path_graph(5), capitals=[0], hubs=[0], airfields=[0])


def outpost_config(*overrides: str) -> SimConfig:
    """A config sized for the road: 300 fighters, ~600 troops, a sliver of the air force."""
    return load_config(["debug=tiny", *SMALL_FORCES, *overrides])


def outpost_history(config: SimConfig) -> pd.DataFrame:
    """Day by day, the outpost garrison's stocks, morale and whether it still holds."""
    model = OffensiveModel(config, outpost_road(), ROAD_CONTROL)
    rows = []
    for _ in range(config.days):
        model.step()
        here = [g for g in model.garrisons() if g.district == OUTPOST]
        g = here[0] if here else None
        rows.append({"day": model.day, "held": g is not None,
                     "ammo_days": g.ammo_days if g else 0.0,
                     "supply_days": g.supply_days if g else 0.0,
                     "morale": g.morale if g else 0.0,
                     "cut_off": bool(g and g.is_cut_off),
                     "control": Control(model.control[OUTPOST]).name.lower()})
    return pd.DataFrame(rows)


def outpost_fall_day(config: SimConfig) -> int | None:
    """First day the outpost's garrison is gone (None if it holds to the end)."""
    history = outpost_history(config)
    gone = history.loc[~history["held"], "day"]
    return int(gone.iloc[0]) if len(gone) else None
