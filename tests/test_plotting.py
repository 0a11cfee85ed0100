"""Figures say what they draw: no band a single run lacks, no record on a synthetic country,
map legends off the country, date axes that read as dates from day 0."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PolyCollection
from matplotlib.container import ErrorbarContainer

import sim
from sim.outputs import plotting
from sim.world.real_map import load_real_map
from sim.world.synthetic import build_map
from tests.conftest import ensemble


def labels(fig) -> list[str]:
    """Legend texts of the figure's first axes."""
    return [t.get_text() for t in fig.axes[0].get_legend().get_texts()]


def bands(fig) -> list:
    """Filled bands (fill_between) on the figure's first axes."""
    return [c for c in fig.axes[0].collections if isinstance(c, PolyCollection)]


def test_single_run_curve_claims_no_band(tiny_result):
    """One run is drawn as a line labelled "one run": no filled band, no "90%" in the legend."""
    fig = plotting.district_curve(tiny_result.daily, n_districts=36, record=False)
    assert not bands(fig)
    assert labels(fig) == ["simulated (one run)"]


def test_ensemble_curve_draws_and_names_its_band():
    """Several runs are drawn as a median with a filled band, and the legend says what it is."""
    dailies = [r.daily for r in ensemble([], seeds=range(3))]
    fig = plotting.district_curve({"default": dailies}, n_districts=36, record=False)
    assert len(bands(fig)) == 1
    assert labels(fig) == ["default (median of 3 runs, band: middle 90%)"]


@pytest.mark.parametrize("record", [True, False])
def test_record_points_only_when_asked(tiny_result, record):
    """The 2021 record (error bars) is overlaid only when ``record`` is set."""
    fig = plotting.district_curve(tiny_result.daily, n_districts=36, record=record)
    has_record = any(isinstance(c, ErrorbarContainer) for c in fig.axes[0].containers)
    assert has_record == record


@pytest.mark.parametrize("kind", ["real", "synthetic"])
def test_map_legend_lies_outside_the_country(kind):
    """The control map's legend box does not overlap the districts' extent on the page."""
    if kind == "real":
        district_map = load_real_map()
    else:
        district_map = build_map(sim.load_config(["debug=tiny"]).space, np.random.default_rng(0))
    control = np.array(plotting.CONTROL_ORDER)[np.arange(district_map.n) % 3]
    fig = plotting.control_map(district_map, control, title="test")
    FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    districts = next(c for c in ax.collections if isinstance(c, PolyCollection))
    country = districts.get_datalim(ax.transData).transformed(ax.transData)
    legend = ax.get_legend().get_window_extent()
    assert country.width > 0 and legend.width > 0
    assert not legend.overlaps(country)
    assert {"Government", "Contested", "Taliban", "provincial capital"} <= {
        t.get_text() for t in ax.get_legend().get_texts()}


def test_timeline_reads_as_dates_from_day_zero(tiny_config):
    """On day 0 the timeline spans the whole run in dated ticks, with readable labels."""
    model = sim.OffensiveModel(tiny_config)
    daily = model.datacollector.get_model_vars_dataframe()
    assert len(daily) == 1
    fig = plotting.timeline(daily, {"districts_taliban": ("Taliban", "red")},
                            days=tiny_config.days, ylabel="districts")
    FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    low, high = ax.get_xlim()
    assert high - low == pytest.approx(tiny_config.days)
    assert ax.get_ylim()[0] == 0 and ax.get_ylim()[1] >= daily["districts_taliban"].iloc[0]
    ticks = [t.get_text() for t in ax.get_xticklabels()]
    assert "01 May" in ticks and "15 May" in ticks
    assert labels(fig) == ["Taliban"]
