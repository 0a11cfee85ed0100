"""Figures: district curves against the record, control maps, scenario comparisons.

Each function takes data (and an optional ``ax``) and returns the Figure; none calls ``show``.
"""

from __future__ import annotations

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from sim import targets
from sim.space import DistrictMap, load_outlines

CONTROL_COLOURS = {"government": "#3a6ea5", "contested": "#e0b84c", "taliban": "#b03a2e"}
CONTROL_ORDER = ("government", "contested", "taliban")


def _axes(ax, figsize=(8, 4.5)):
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def _band(ax, dailies: list[pd.DataFrame], n_districts: int, colour: str, label: str) -> None:
    shares = np.array([d["districts_taliban"].to_numpy() / n_districts for d in dailies])
    days = np.arange(shares.shape[1])
    ax.fill_between(days, *np.quantile(shares, [0.05, 0.95], axis=0), color=colour, alpha=0.25,
                    lw=0)
    ax.plot(days, np.median(shares, axis=0), color=colour, lw=2, label=label)


def district_curve(dailies: list[pd.DataFrame] | pd.DataFrame, n_districts: int,
                   ax=None, label: str = "simulated (median, 90% band)") -> Figure:
    """Taliban-held share of districts over time, against the 2021 record with its bands."""
    if isinstance(dailies, pd.DataFrame):
        dailies = [dailies]
    fig, ax = _axes(ax)
    _band(ax, dailies, n_districts, "#b03a2e", label)
    rec = targets.record()
    ax.errorbar(rec["day"], rec["share"], yerr=rec["band"], fmt="o", color="black", capsize=3,
                label="record (LWJ, UN, US; with band)")
    _date_axis(ax, dailies[0])
    ax.set_ylabel("share of districts Taliban-held")
    ax.set_ylim(0, 1)
    ax.legend(loc="upper left")
    return fig


def compare_curves(arms: dict[str, list[pd.DataFrame]], n_districts: int, ax=None) -> Figure:
    """District curves of several scenario arms, each its median and 90% band, on one plot."""
    fig, ax = _axes(ax)
    colours = matplotlib.colormaps["tab10"].colors
    for (name, dailies), colour in zip(arms.items(), colours, strict=False):
        _band(ax, dailies, n_districts, colour, f"{name} (n={len(dailies)})")
    rec = targets.record()
    ax.plot(rec["day"], rec["share"], "k.", label="record")
    _date_axis(ax, next(iter(arms.values()))[0])
    ax.set_ylabel("share of districts Taliban-held")
    ax.set_ylim(0, 1)
    ax.legend(loc="upper left")
    return fig


def _date_axis(ax, daily: pd.DataFrame) -> None:
    ticks = list(range(0, len(daily), 15))
    ax.set_xticks(ticks, [daily["date"].iloc[d][5:] for d in ticks], rotation=45)
    ax.set_xlabel("2021 (month-day)")
    ax.grid(alpha=0.3)


def control_map(district_map: DistrictMap, control: list[str] | np.ndarray, ax=None,
                title: str = "") -> Figure:
    """Districts coloured by control ("government", "contested", "taliban").

    Real outlines where the map is the real one, squares around the centroids otherwise.
    """
    fig, ax = _axes(ax, figsize=(7, 5.5))
    if district_map.kind == "real":
        outlines = load_outlines()
        polys = [ring for rings in outlines for ring in rings]
        owner = [i for i, rings in enumerate(outlines) for _ in rings]
    else:
        h = 0.25 if district_map.kind == "synthetic" else 0.05
        polys = [[(x - h, y - h), (x + h, y - h), (x + h, y + h), (x - h, y + h)]
                 for x, y in zip(district_map.lon, district_map.lat, strict=True)]
        owner = list(range(district_map.n))
    colours = [CONTROL_COLOURS[str(control[i])] for i in owner]
    ax.add_collection(PolyCollection(polys, facecolors=colours, edgecolors="white",
                                     linewidths=0.3))
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.set_axis_off()
    caps = district_map.is_capital
    ax.plot(district_map.lon[caps], district_map.lat[caps], "k.", ms=3)
    ax.legend(handles=[Patch(color=CONTROL_COLOURS[c], label=c) for c in CONTROL_ORDER],
              loc="lower left", frameon=False)
    if title:
        ax.set_title(title)
    return fig


def control_on(result, day: int) -> np.ndarray:
    """Control of each district on ``day`` of a run, as names ("government", ...)."""
    names = np.array(CONTROL_ORDER)
    return names[result.control[min(day, len(result.control) - 1)]]


def ablation(effects: pd.DataFrame) -> Figure:
    """One panel per outcome: each mechanism's paired effect of switching it off, 95% interval.

    A bar that crosses zero is an effect the ensemble cannot tell from none.
    """
    outcomes = list(dict.fromkeys(effects["outcome"]))
    fig = Figure(figsize=(3.2 * len(outcomes), 0.32 * effects["mechanism"].nunique() + 1.5),
                 layout="constrained")
    axes = fig.subplots(1, len(outcomes), sharey=True)
    for ax, outcome in zip(np.atleast_1d(axes), outcomes, strict=True):
        rows = effects[effects["outcome"] == outcome].reset_index(drop=True)
        y = np.arange(len(rows))
        ax.errorbar(rows["effect"], y, xerr=[rows["effect"] - rows["low"],
                                             rows["high"] - rows["effect"]],
                    fmt="o", color="#333333", ms=3, capsize=2)
        ax.axvline(0, color="#b03a2e", lw=0.8)
        ax.set_yticks(y, rows["mechanism"])
        ax.invert_yaxis()
        ax.set_title(outcome.replace("_", " "), fontsize=9)
    fig.suptitle("Effect of switching each mechanism off (paired, 95% intervals)", fontsize=10)
    return fig
