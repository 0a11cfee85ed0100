"""Interactive browser app: the district map, levers, dated charts, and two arms side by side.

Start it with ``solara run --no-check-version sim/app.py`` (then open http://localhost:8765;
the flag stops solara asking PyPI for a newer version: this project pins solara 1.58.2, the
version Mesa 3.3's SolaraViz is written for, so the upgrade notice would only mislead). Choose
air support, resupply, government morale, militias and the seed, and optionally a second arm
that differs by one lever; press *Reset*, then *Step* or *Play*. Each arm shows its map, the
districts and forces over dated axes, the provincial capitals still held and a feed of the
latest changes of hands.

The page is built from Mesa's SolaraViz parts (``ModelController`` for Reset/Play/Step,
``ModelCreator`` for the levers) in a layout of its own: one view per arm instead of SolaraViz's
numbered tabs, and a "Days per step" control with its help text in place of the bare "Render
interval" and "Use threads" controls.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import warnings

import matplotlib
import mesa
import numpy as np
import solara
from matplotlib.figure import Figure

from sim.model.model import OffensiveModel
from sim.outputs import plotting
from sim.runner import load_config
from sim.world.agents import Control

with warnings.catch_warnings():  # Mesa's SolaraViz trips solara's hook checker: its code, not ours
    warnings.filterwarnings("ignore", ".*found despite early return", UserWarning)
    from mesa.visualization.solara_viz import ModelController, ModelCreator
    from mesa.visualization.utils import update_counter



class _NoSessionCookie(logging.Filter):
    """Drops solara's "no session cookie" warning.

    A browser's first websocket can arrive before the session cookie; solara then gives the page
    a session of its own, which is what this app wants (each tab runs its own arms).
    """

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep every record but that one."""
        return "no session cookie" not in record.getMessage()


logging.getLogger("solara.server.starlette").addFilter(_NoSessionCookie())
# Served over http on an address other than "localhost" (127.0.0.1, a LAN name), solara warns
# that it falls back to samesite=lax cookies; that only matters when the app is embedded in
# another site's iframe, which this app is not.
warnings.filterwarnings("ignore", "Cookies with samesite=none require https", UserWarning)

TITLE = "The 2021 offensive, district by district"
ALONE = "nothing (one run)"
# Second-arm choices: label -> the one lever that differs from the first arm.
COMPARISONS: dict[str, dict[str, str]] = {
    ALONE: {},
    "no air power": {"air": "none"},
    "sustained air support": {"air": "sustained"},
    "historical air support": {"air": "historical"},
    "no resupply": {"supply": "none"},
    "low government morale": {"morale": "low"},
    "high government morale": {"morale": "high"},
    "militias armed from day 0": {"scenario": "militias_early"},
}
LEVERS = {
    "air": {"type": "Select", "value": "historical", "values": ["historical", "sustained", "none"],
            "label": "Air support"},
    "supply": {"type": "Select", "value": "default", "values": ["default", "doubled_air", "none"],
               "label": "Resupply"},
    "morale": {"type": "Select", "value": "default", "values": ["default", "high", "low"],
               "label": "Government morale"},
    "militias_early": {"type": "Checkbox", "value": False, "label": "Militias armed from day 0"},
    "seed": {"type": "Select", "value": 0, "values": list(range(20)), "label": "Seed"},
    "space": {"type": "Select", "value": "real", "values": ["real", "synthetic"], "label": "Map"},
    "compare": {"type": "Select", "value": ALONE, "values": list(COMPARISONS),
                "label": "Compare side by side with"},
}
DISTRICTS = {"districts_taliban": ("Taliban-held", plotting.CONTROL_COLOURS["taliban"]),
             "districts_contested": ("Contested", plotting.CONTROL_COLOURS["contested"]),
             "districts_government": ("Government-held", plotting.CONTROL_COLOURS["government"])}
FORCES = {"taliban_fighters": ("Taliban fighters", plotting.CONTROL_COLOURS["taliban"]),
          "government_troops": ("Government troops present",
                                plotting.CONTROL_COLOURS["government"])}
HELP = """
**Step** moves the run on by *Days per step* days; **▶** plays it to the end, redrawing after
every *Days per step* days (raise it to play faster: drawing takes longer than a model day).
*Pause while playing* is the wait between redraws. Levers take effect on **Reset**, which
rebuilds the run from 1 May 2021. *Compare side by side with* adds a second run on the same
seed that differs by that one lever.
"""
CSS = """
.chart svg { width: 100%; height: auto; }
.map img { width: 100%; height: auto; }
.feed li, .capitals p { font-size: 0.85rem; margin-bottom: 0.2rem; }
"""
FEED_LENGTH = 8


def arm_levers(air: str, supply: str, morale: str, militias_early: bool, seed: int,
               space: str) -> dict[str, str]:
    """The config overrides (group -> option) of one arm's levers."""
    levers = {"air": air, "supply": supply, "morale": morale, "seed": str(int(seed)),
              "space": space}
    if militias_early:
        levers["scenario"] = "militias_early"
    return levers


def describe(levers: dict[str, str]) -> str:
    """One line naming an arm's levers, for its heading."""
    militias = "1 May" if levers.get("scenario") == "militias_early" else "19 Jun"
    return (f"air {levers['air']} · resupply {levers['supply']} · morale {levers['morale']} · "
            f"militias from {militias}")


class Arms(mesa.Model):
    """One run of the chosen levers and, in compare mode, a second run that differs by one lever.

    Both arms share the seed (so every random stream starts alike) and step together, one day a
    step. Keyword arguments, as Mesa's ModelCreator requires; see ``LEVERS`` for their values.

    Args:
        air: air option (historical, sustained, none).
        supply: supply option (default, doubled_air, none).
        morale: government morale option (default, high, low).
        militias_early: arm and call up the militias on day 0.
        seed: random seed (the app offers 0-19).
        space: map (real, synthetic).
        compare: a key of ``COMPARISONS``: the second arm's one different lever, or none.
    """

    def __init__(self, air: str = "historical", supply: str = "default",
                 morale: str = "default", militias_early: bool = False, seed: int = 0,
                 space: str = "real", compare: str = ALONE) -> None:
        super().__init__(rng=int(seed))
        levers = arm_levers(air, supply, morale, militias_early, seed, space)
        self.levers = {"A · your levers": levers}
        if COMPARISONS[compare]:
            self.levers[f"B · {compare}"] = {**levers, **COMPARISONS[compare]}
        self.arms = {name: OffensiveModel(load_config([f"{k}={v}" for k, v in arm.items()]))
                     for name, arm in self.levers.items()}
        self.lead = next(iter(self.arms.values()))

    def step(self) -> None:
        """One day in every arm; stop once no arm runs on (its last day, or its own stop)."""
        for arm in self.arms.values():
            arm.step()
        self.running = any(arm.running and arm.day < arm.config.days
                           for arm in self.arms.values())


def changes_of_hands(model: OffensiveModel, n: int = FEED_LENGTH) -> list[str]:
    """The latest ``n`` changes of hands, newest first: date, district, province, side, cause."""
    lines = []
    for day, district, event, cause, *_ in reversed(model.events):
        if event not in ("fell", "retaken"):
            continue
        date = model.start + dt.timedelta(days=int(day))
        where = f"{model.map.name[district]} ({model.map.province[district]})"
        side = f"to the Taliban by {cause}" if event == "fell" else "retaken by the government"
        lines.append(f"{date:%d %b} · {where}: {side}")
        if len(lines) == n:
            break
    return lines


def capitals_held(model: OffensiveModel) -> tuple[list[str], list[str]]:
    """Provincial capitals not (yet) Taliban-held, contested ones marked; and those lost."""
    held, lost = [], []
    for d in np.flatnonzero(model.map.is_capital):
        name = str(model.map.name[d])
        if model.control[d] == Control.TALIBAN:
            lost.append(name)
        else:
            held.append(name + (" (contested)" if model.control[d] == Control.CONTESTED else ""))
    return held, lost


def fixed_figure(size: tuple[float, float], **margins: float) -> Figure:
    """A figure with fixed margins: redrawn every step, it skips the layout engine's solve."""
    fig = Figure(figsize=size)
    fig.subplots_adjust(**margins)
    return fig


def svg_of(fig: Figure) -> str:
    """The figure as inline SVG with real text (so tick labels are readable page text)."""
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(buffer, format="svg")
    text = buffer.getvalue()
    return text[text.index("<svg"):]


@solara.component
def ControlMap(model: OffensiveModel):  # noqa: N802 (Solara components are CamelCase)
    """The district map coloured by who holds each district today."""
    update_counter.get()
    fig = fixed_figure((6.4, 5.4), left=0.0, right=1.0, bottom=0.08, top=0.94)
    names = np.array(plotting.CONTROL_ORDER)[model.control]
    plotting.control_map(model.map, names, ax=fig.add_subplot(),
                         title=f"{model.date:%d %B %Y} (day {model.day})")
    with solara.Column(classes=["map"]):
        solara.FigureMatplotlib(fig, format="png", dpi=100)


@solara.component
def Chart(model: OffensiveModel, series: dict, ylabel: str, ymax: float | None = None):  # noqa: N802
    """A dated chart of some daily columns, drawn from day 0 over the whole run's span."""
    update_counter.get()
    daily = model.datacollector.get_model_vars_dataframe()
    fig = fixed_figure((6.4, 3.2), left=0.14, right=0.97, bottom=0.2, top=0.85)
    plotting.timeline(daily, series, days=model.config.days, ax=fig.add_subplot(), ylabel=ylabel,
                      ymax=ymax)
    solara.HTML(tag="div", unsafe_innerHTML=svg_of(fig), classes=["chart"])


@solara.component
def Capitals(model: OffensiveModel):  # noqa: N802
    """How many provincial capitals are still held, and which."""
    update_counter.get()
    held, lost = capitals_held(model)
    text = (f"**Provincial capitals still held: {len(held)} of {len(held) + len(lost)}**\n\n"
            f"{', '.join(held) or 'none'}")
    if lost:
        text += f"\n\n**Lost:** {', '.join(lost)}"
    with solara.Column(classes=["capitals"]):
        solara.Markdown(text)


@solara.component
def Feed(model: OffensiveModel):  # noqa: N802
    """The latest changes of hands, newest first."""
    update_counter.get()
    lines = changes_of_hands(model)
    items = "\n".join(f"- {line}" for line in lines) or "No district has changed hands yet."
    with solara.Column(classes=["feed"]):
        solara.Markdown(f"**Latest changes of hands**\n\n{items}")


@solara.component
def ArmView(name: str, levers: dict, model: OffensiveModel, wide: bool, forces_max: float):  # noqa: N802
    """One arm: heading, map, dated charts, capitals and feed; in two columns when alone."""
    solara.Markdown(f"### {name}\n{describe(levers)}")
    with solara.Columns([1, 1]) if wide else solara.Column():
        with solara.Column():
            ControlMap(model)
            if wide:
                Capitals(model)
        with solara.Column():
            Chart(model, DISTRICTS, "districts", ymax=model.map.n)
            Chart(model, FORCES, "fighters and troops", ymax=forces_max)
            if not wide:
                Capitals(model)
            Feed(model)


@solara.component
def ArmsView(model: Arms):  # noqa: N802
    """Today's date, then the arms side by side."""
    update_counter.get()
    lead = model.lead
    solara.Markdown(f"## {lead.date:%d %B %Y} · day {lead.day} of {lead.config.days} · "
                    f"seed {lead.config.seed}" + (" (both arms)" if len(model.arms) > 1 else ""))
    forces_max = 1.05 * max(float(arm.datacollector.get_model_vars_dataframe()[list(FORCES)]
                                  .to_numpy().max()) for arm in model.arms.values())
    with solara.Columns([1] * len(model.arms)):
        for name, arm in model.arms.items():
            with solara.Column(classes=["arm"]):
                ArmView(name, model.levers[name], arm, wide=len(model.arms) == 1,
                        forces_max=forces_max)


@solara.component
def Page():  # noqa: N802
    """The app: run controls, help and levers in the sidebar; the arms in the main area."""
    model = solara.use_reactive(solara.use_memo(Arms, []))
    parameters = solara.use_reactive({})
    pause_ms = solara.use_reactive(300)
    days_per_step = solara.use_reactive(1)
    threads = solara.use_reactive(False)  # Mesa's threaded drawing gains nothing here: hidden
    solara.Title(TITLE)
    solara.Style(CSS)
    with solara.AppBar():
        solara.AppBarTitle(TITLE)
    with solara.Sidebar(), solara.Column():
        with solara.Card("Run"):
            ModelController(model, model_parameters=parameters, play_interval=pause_ms,
                            render_interval=days_per_step, use_threads=threads)
            solara.SliderInt(f"Days per step: {days_per_step.value}", value=days_per_step,
                             min=1, max=30)
            solara.SliderInt(f"Pause while playing: {pause_ms.value} ms", value=pause_ms,
                             min=50, max=1000, step=50)
            solara.Markdown(HELP)
        with solara.Card("Levers"):
            ModelCreator(model, LEVERS, model_parameters=parameters)
    ArmsView(model.value)
