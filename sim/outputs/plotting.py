"""Figures: district curves against the record, control maps, scenario comparisons.

Each function takes data (and an optional ``ax``) and returns the Figure; none calls ``show``.
"""

from __future__ import annotations

import matplotlib
import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import StrMethodFormatter

from sim import targets
from sim.outputs import labels
from sim.outputs.analysis import kaplan_meier
from sim.world.real_map import load_outlines
from sim.world.space import DistrictMap

CONTROL_COLOURS = {"government": "#3a6ea5", "contested": "#e0b84c", "taliban": "#b03a2e"}
CONTROL_ORDER = ("government", "contested", "taliban")
CONTROL_LABELS = {"government": "Government", "contested": "Contested", "taliban": "Taliban"}
LINE_STYLES = ("-", "--", ":", "-.")  # arms drawn on top of each other stay apart


def _look(name: str, i: int) -> dict:
    """Colour, line style and legend label of the ``i``-th arm ``name`` (sim.outputs.labels' colours)."""
    return {"color": labels.colour(name, i), "ls": LINE_STYLES[i % len(LINE_STYLES)],
            "label": labels.arm(name)}


def _axes(ax, figsize=(8, 4.5)):
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=figsize, layout="constrained")
    return fig, fig.add_subplot()


def _band(ax, dailies: list[pd.DataFrame], n_districts: int, colour: str, label: str,
          ls: str = "-") -> None:
    shares = np.array([d["districts_taliban"].to_numpy() / n_districts for d in dailies])
    days = np.arange(shares.shape[1])
    ax.fill_between(days, *np.quantile(shares, [0.05, 0.95], axis=0), color=colour, alpha=0.25,
                    lw=0)
    ax.plot(days, np.median(shares, axis=0), color=colour, lw=2, ls=ls, label=label)


def district_curve(runs: pd.DataFrame | list[pd.DataFrame] | dict[str, list[pd.DataFrame]],
                   n_districts: int, ax=None, record: bool = True) -> Figure:
    """Taliban-held share of districts over time, one curve per arm, against the 2021 record.

    An arm of one run is drawn as that run's line and labelled "one run"; an arm of several runs
    as their median with a band holding the middle 90% of runs, and labelled so. The record
    (black points with their calibration bands) describes the real country only.

    Args:
        runs: one run's daily table, several runs' tables, or arm name -> list of daily tables.
        n_districts: districts on the map (the share's denominator).
        ax: axes to draw on; a new figure if None.
        record: overlay the 2021 record; set False for a synthetic country.
    """
    if isinstance(runs, pd.DataFrame):
        runs = [runs]
    arms = runs if isinstance(runs, dict) else {"simulated": list(runs)}
    colours = ["#b03a2e"] if len(arms) == 1 else matplotlib.colormaps["tab10"].colors
    fig, ax = _axes(ax)
    for (name, dailies), colour in zip(arms.items(), colours, strict=False):
        if len(dailies) == 1:
            share = dailies[0]["districts_taliban"].to_numpy() / n_districts
            ax.plot(np.arange(len(share)), share, color=colour, lw=2, label=f"{name} (one run)")
        else:
            _band(ax, dailies, n_districts, colour,
                  f"{name} (median of {len(dailies)} runs, band: middle 90%)")
    if record:
        rec = targets.record()
        ax.errorbar(rec["day"], rec["share"], yerr=rec["band"], fmt="o", color="black",
                    capsize=3, label="record (LWJ, UN, US; with band)")
    _date_axis(ax, next(iter(arms.values()))[0])
    ax.set_ylabel("share of districts Taliban-held")
    ax.set_ylim(0, 1)
    ax.legend(loc="upper left")
    return fig


def compare_curves(arms: dict[str, list[pd.DataFrame]], n_districts: int, ax=None,
                   record: bool = True) -> Figure:
    """District curves of several arms, each the median run with the 5-95% range of runs.

    Args:
        arms: arm name -> the daily tables of its runs.
        n_districts: districts on the map (to draw shares).
        ax: optional axes to draw on.
        record: draw the 2021 record's points (only meaningful on the real map).
    """
    fig, ax = _axes(ax)
    for i, (name, dailies) in enumerate(arms.items()):
        look = _look(name, i)
        _band(ax, dailies, n_districts, look["color"], f"{look['label']} (n={len(dailies)})",
              look["ls"])
    first = next(iter(arms.values()))[0]
    if record:
        rec = targets.record()
        rec = rec[rec["day"] < len(first)]  # the record stays inside the run's days
        ax.plot(rec["day"], rec["share"], "k.", label="record")
    _date_axis(ax, first)
    ax.set_ylabel("share of districts Taliban-held")
    ax.set_ylim(0, 1)
    ax.legend(loc="upper left", fontsize=8)
    return fig


def _date_axis(ax, daily: pd.DataFrame) -> None:
    ticks = list(range(0, len(daily), 15))
    ax.set_xticks(ticks, [daily["date"].iloc[d][5:] for d in ticks], rotation=45)
    ax.set_xlim(0, len(daily) - 1)
    ax.set_xlabel("2021 (month-day)")
    ax.grid(alpha=0.3)


def timeline(daily: pd.DataFrame, series: dict[str, tuple[str, str]], days: int, ax=None,
             ylabel: str = "", ymax: float | None = None) -> Figure:
    """Daily series of one run against calendar dates, on the whole run's span from day 0.

    The x-axis covers the run's planned length from its first date, so a run that has just
    started shows its day-0 values on a readable date axis; the latest value of each series is
    marked. The legend sits above the plot, off the lines.

    Args:
        daily: the run's daily table so far (a ``date`` column in ISO form; one row is enough).
        series: column -> (legend label, colour).
        days: planned length of the run in days (the x-axis span).
        ax: axes to draw on; a new figure if None.
        ylabel: y-axis label.
        ymax: top of the y-axis; 5% above the largest value drawn if None.
    """
    fig, ax = _axes(ax, figsize=(6.4, 3.0))
    dates = pd.to_datetime(daily["date"])
    for column, (label, colour) in series.items():
        ax.plot(dates, daily[column], color=colour, lw=2, marker="o", ms=4,
                markevery=[len(daily) - 1], label=label)
    top = max(1.0, 1.05 * float(daily[list(series)].to_numpy().max()))
    ax.set_ylim(0, top if ymax is None else ymax)
    ax.set_xlim(dates.iloc[0], dates.iloc[0] + pd.Timedelta(days=days))
    ax.xaxis.set_major_locator(mdates.DayLocator(bymonthday=(1, 15)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
    ax.set_xlabel(f"date ({dates.iloc[0].year})")
    ax.set_ylabel(ylabel)
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=len(series), frameon=False)
    return fig


def control_map(district_map: DistrictMap, control: list[str] | np.ndarray, ax=None,
                title: str = "") -> Figure:
    """Districts coloured by control ("government", "contested", "taliban").

    Real outlines where the map is the real one, squares around the centroids otherwise. The
    legend sits below the map, outside the country.
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
    capitals = ax.plot(district_map.lon[caps], district_map.lat[caps], "k.", ms=3,
                       label="provincial capital")
    handles = [Patch(color=CONTROL_COLOURS[c], label=CONTROL_LABELS[c]) for c in CONTROL_ORDER]
    ax.legend(handles=[*handles, *capitals], loc="upper center", bbox_to_anchor=(0.5, 0.0),
              ncols=4, frameon=False, handlelength=1.2, columnspacing=1.0)
    if title:
        ax.set_title(title)
    return fig


def control_on(result, day: int) -> np.ndarray:
    """Control of each district on ``day`` of a run, as names ("government", ...)."""
    names = np.array(CONTROL_ORDER)
    return names[result.control[min(day, len(result.control) - 1)]]


BAND_NOTE = ("Bands: Kaplan-Meier curves with pointwise 95% confidence intervals (log-log); "
             "capitals and districts: the median run with the 5-95% range of runs.")


def survival_curves(curves: dict[str, pd.DataFrame], ax=None,
                    ylabel: str = "share of runs without the event") -> Figure:
    """Kaplan-Meier curves, one per arm, each with its pointwise 95% band.

    Args:
        curves: arm name -> :func:`~sim.outputs.analysis.kaplan_meier` table (day, surviving, low, high).
        ax: optional axes to draw on.
        ylabel: what "surviving" means here (e.g. "share of runs in which Kabul holds").
    """
    fig, ax = _axes(ax)
    for i, (name, curve) in enumerate(curves.items()):
        look = _look(name, i)
        ax.fill_between(curve["day"], curve["low"], curve["high"], step="post",
                        color=look["color"], alpha=0.15, lw=0)
        ax.step(curve["day"], curve["surviving"], where="post", lw=2, **look)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel("day")
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    return fig


def capitals_held_curves(arms: dict[str, list[pd.DataFrame]], n_capitals: int,
                         ax=None) -> Figure:
    """Provincial capitals not held by the Taliban, per arm: the median run and 5-95% range.

    Args:
        arms: arm name -> the daily tables of its runs.
        n_capitals: provincial capitals on the map.
        ax: optional axes to draw on.
    """
    fig, ax = _axes(ax)
    for i, (name, dailies) in enumerate(arms.items()):
        look = _look(name, i)
        held = np.array([n_capitals - d["capitals_taliban"].to_numpy() for d in dailies])
        days = np.arange(held.shape[1])
        ax.fill_between(days, *np.quantile(held, [0.05, 0.95], axis=0), color=look["color"],
                        alpha=0.15, lw=0, step="post")
        ax.step(days, np.median(held, axis=0), where="post", lw=2, **look)
    ax.set_ylim(0, n_capitals + 0.5)
    ax.set_xlabel("day")
    ax.set_ylabel("provincial capitals not Taliban-held")
    ax.grid(alpha=0.3)
    return fig


def comparison_figure(runs: pd.DataFrame, daily: pd.DataFrame, baseline: str,
                      title: str) -> Figure:
    """The comparison of a sweep's arms in four panels, with a title and a note on the bands.

    Kaplan-Meier curves of "Kabul holds" and of "no provincial capital has fallen yet", the
    number of capitals not Taliban-held, and the share of districts Taliban-held.

    Args:
        runs: one row per run (``arm``, ``seed``, ``days``, ``kabul_fell_day``,
            ``first_capital_fell_day``, ``n_districts``, ``n_capitals``, ``space``).
        daily: every run's daily table in long form (``arm``, ``seed``, then daily columns).
        baseline: the baseline arm, drawn first.
        title: the figure's title.
    """
    order = [baseline, *sorted(a for a in runs["arm"].unique() if a != baseline)]
    by_arm = {arm: [d for _, d in daily[daily["arm"] == arm].groupby("seed")] for arm in order}
    fig = Figure(figsize=(12, 8.5), layout="constrained")
    (kabul, first), (capitals, districts) = fig.subplots(2, 2)
    for ax, key, what in ((kabul, "kabul_fell_day", "Kabul holds"),
                          (first, "first_capital_fell_day", "no provincial capital has fallen")):
        survival_curves({arm: kaplan_meier(part[key], part["days"]) for arm, part in
                         ((a, runs[runs["arm"] == a]) for a in order)}, ax=ax,
                        ylabel=f"share of runs: {what}")
        ax.set_title(f"Kaplan-Meier: {what}", fontsize=10)
    kabul.legend(loc="lower left", fontsize=8)
    capitals_held_curves(by_arm, int(runs["n_capitals"].max()), ax=capitals)
    capitals.set_title("Provincial capitals held (not Taliban-held)", fontsize=10)
    compare_curves(by_arm, int(runs["n_districts"].max()), ax=districts,
                   record=bool((runs["space"] == "real").all()))
    districts.set_title("Districts Taliban-held", fontsize=10)
    for ax in (kabul, first, capitals):
        _date_axis(ax, by_arm[baseline][0])
    fig.suptitle(title)
    fig.supxlabel(BAND_NOTE, fontsize=8)
    return fig


def ablation(effects: pd.DataFrame, columns: int = 3) -> Figure:
    """One panel per outcome: each mechanism's paired effect of switching it off, 95% interval.

    A bar that crosses zero is an effect the ensemble cannot tell from none.
    """
    outcomes = list(dict.fromkeys(effects["outcome"]))
    rows = -(-len(outcomes) // columns)
    height = 0.22 * effects["mechanism"].nunique() + 0.8
    fig = Figure(figsize=(4.2 * columns, height * rows), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, columns, squeeze=False).ravel())
    for ax, outcome in zip(axes, outcomes, strict=False):
        part = effects[effects["outcome"] == outcome].reset_index(drop=True)
        y = np.arange(len(part))
        ax.errorbar(part["effect"], y, xerr=[part["effect"] - part["low"],
                                             part["high"] - part["effect"]],
                    fmt="o", color="#333333", ms=3, capsize=2)
        ax.axvline(0, color="#b03a2e", lw=0.8)
        ax.set_yticks(y, part["mechanism"], fontsize=8)
        ax.invert_yaxis()
        ax.set_title(outcome.replace("_", " "), fontsize=9)
    for ax in axes[len(outcomes):]:
        ax.set_visible(False)
    fig.suptitle("Effect of switching each mechanism off (paired, 95% intervals)", fontsize=10)
    return fig
