"""Interactive browser app on Mesa's SolaraViz: the district map, levers, and live charts.

Start it with ``solara run sim/app.py`` (then open http://localhost:8765). Choose air support,
resupply, government morale, militias and the seed, press *Reset*, then *Step* or *Play*: the
map recolours day by day and the charts follow districts held and forces.
"""

from __future__ import annotations

import numpy as np
import solara
from matplotlib.figure import Figure
from mesa.visualization import SolaraViz, make_plot_component
from mesa.visualization.utils import update_counter

from sim import plotting
from sim.model import OffensiveModel
from sim.runner import load_config


class ScenarioModel(OffensiveModel):
    """The model built from the app's levers (keyword arguments, as SolaraViz requires).

    Args:
        air: air option (historical, sustained, none).
        supply: supply option (default, doubled_air, none).
        morale: government morale option (default, high, low).
        militias_early: arm and call up the militias on day 0.
        seed: random seed.
        space: map (real, synthetic).
    """

    def __init__(self, air: str = "historical", supply: str = "default",
                 morale: str = "default", militias_early: bool = False, seed: int = 0,
                 space: str = "real") -> None:
        overrides = [f"air={air}", f"supply={supply}", f"morale={morale}", f"seed={int(seed)}",
                     f"space={space}"]
        if militias_early:
            overrides.append("scenario=militias_early")
        super().__init__(load_config(overrides))


LEVERS = {
    "air": {"type": "Select", "value": "historical", "values": ["historical", "sustained", "none"],
            "label": "Air support"},
    "supply": {"type": "Select", "value": "default", "values": ["default", "doubled_air", "none"],
               "label": "Resupply"},
    "morale": {"type": "Select", "value": "default", "values": ["default", "high", "low"],
               "label": "Government morale"},
    "militias_early": {"type": "Checkbox", "value": False, "label": "Militias armed from day 0"},
    "seed": {"type": "InputText", "value": 0, "label": "Seed"},
    "space": {"type": "Select", "value": "real", "values": ["real", "synthetic"], "label": "Map"},
}


@solara.component
def ControlMap(model: OffensiveModel):  # noqa: N802 (Solara components are CamelCase)
    """The district map coloured by who holds each district today."""
    update_counter.get()
    fig = Figure(figsize=(7, 5.5), layout="constrained")
    names = np.array(plotting.CONTROL_ORDER)[model.control]
    plotting.control_map(model.map, names, ax=fig.add_subplot(),
                         title=f"{model.date.isoformat()} (day {model.day})")
    solara.FigureMatplotlib(fig, format="png")


def make_page(model: OffensiveModel | None = None):
    """The SolaraViz page: map, districts-held chart, forces chart and the levers."""
    model = model or ScenarioModel()
    districts = make_plot_component({"districts_taliban": "#b03a2e",
                                     "districts_contested": "#e0b84c",
                                     "districts_government": "#3a6ea5"})
    forces = make_plot_component({"taliban_fighters": "#b03a2e", "government_troops": "#3a6ea5",
                                  "militia_mobilised": "#4c9a2a"})
    return SolaraViz(model, components=[ControlMap, districts, forces], model_params=LEVERS,
                     name="The 2021 offensive", play_interval=300)


page = make_page()
