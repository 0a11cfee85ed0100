"""The brief: a bottom line first, plain words from one label table, a dose verdict, PRIM in
sentences on enough draws, and one self-contained HTML page."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import fake_run

from sim.config import priors
from sim.outputs import labels
from sim.studies import brief, dose, robustness

SEEDS = range(6)
# Kabul's fall day per seed (None: it holds): every lever helps, all of them most.
LEVERS = {"historical": [90, 95, 100, 105, 110, 100],
          "us_2019_rate": [90, None, 100, None, 110, 100],
          "all_air_levers": [None, None, None, None, 110, None]}
RATES = {"us_rate_0": [90] * 6, "us_rate_5": [90, None, 90, 90, 90, 90],
         "us_rate_20": [None, None, 90, None, None, 90]}
TIMING = {"historical": [90] * 6, "air_from_june": [None] * 5 + [90],
          "air_from_august": [90, None, 90, 90, 90, 90]}


def sweep(folder: Path, arms: dict[str, list[int | None]], fields=None) -> Path:
    """A sweep of fake runs, one folder per arm and seed."""
    for arm, days in arms.items():
        for seed, day in zip(SEEDS, days, strict=True):
            fake_run(folder / f"{arm}{seed}", seed, day, (f"scenario={arm}",),
                     fields(seed) if fields else None)
    return folder


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    """The brief of a levers, a timing, a dose and a small robustness sweep."""
    root = tmp_path_factory.mktemp("brief")
    names = sorted(priors())[:3]
    dirs = [sweep(root / "levers", LEVERS), sweep(root / "timing", TIMING),
            sweep(root / "dose", RATES),
            sweep(root / "robustness", {"historical": LEVERS["historical"],
                                        "all_air_levers": LEVERS["all_air_levers"]},
                  lambda seed: {n: priors()[n][0] + seed * 1e-3 for n in names})]
    return brief.write_brief(dirs, root / "out", capitals=1, min_draws=6)


def test_the_bottom_line_opens_the_brief_from_the_results(written):
    """The first screen is the title and the bottom line, written from the computed results:
    the lever that changed most (all levers: 5 of 6 runs against none), timing and dose."""
    first = written.read_text().splitlines()[:8]
    assert first[2] == "## Bottom line"
    text = "\n".join(first)
    assert "all air levers together would have changed most" in text
    assert "Kabul holds to day 120 in 83% of runs against 0% as it happened" in text
    assert "Acting from 1 June, every air lever together changes" in text
    assert "US strikes at a constant rate:" in text


def test_no_code_id_reaches_the_reader(written):
    """No arm id, outcome column or dotted parameter name appears in the brief's text or
    tables; only the file names of its figures and CSVs carry underscores or dots."""
    text = re.sub(r"\(?[\w/]+\.(png|csv|md)\)?", "", written.read_text())
    assert not re.findall(r"\b[a-z]+_[a-z0-9_]+\b", text)
    assert not re.findall(r"\b[a-z]+\.[a-z_]+\b", text)
    assert "nan" not in text.split()


def test_the_html_page_is_self_contained(written):
    """brief.html embeds every figure as data and links no file beside it."""
    html = written.with_suffix(".html").read_text()
    assert html.count("data:image/png;base64,") == 4  # levers, timing, dose, boxes
    assert 'src="levers.png"' not in html and "<h2>Bottom line</h2>" in html


def test_robustness_needs_enough_draws(tmp_path):
    """A robustness sweep with fewer draws than required is not analysed; the brief says what
    to run instead."""
    names = sorted(priors())[:2]
    folder = sweep(tmp_path / "robustness", {"historical": LEVERS["historical"]},
                   lambda seed: {n: priors()[n][0] + seed * 1e-3 for n in names})
    text = brief.write_brief([folder], tmp_path / "out", min_draws=200).read_text()
    assert "needs at least 200 draws" in text and "has 6" in text
    assert not (tmp_path / "out" / "prim_boxes.csv").exists()


def steps(changes: list[tuple[float, float, float]], whole: tuple[float, float, float]):
    """A table of :func:`sim.studies.dose.steps` with the given (change, low, high) in Kabul holding."""
    rates = [0, 2, 5, 10, 20]
    pairs = zip(rates, rates[1:], strict=False)
    rows = [(a, b, False, c) for (a, b), c in zip(pairs, changes, strict=True)]
    rows.append((0, 20, True, whole))
    return pd.DataFrame([{"from_rate": a, "to_rate": b, "whole_range": w, "n_pairs": 20,
                          "diff_p_kabul_holds": c[0], "diff_p_low": c[1], "diff_p_high": c[2]}
                         for a, b, w, c in rows])


@pytest.mark.parametrize(("changes", "whole", "says"), [
    ([(0.1, -0.1, 0.3)] * 4, (0.4, 0.2, 0.6), "Monotone as far as 20 seeds a rate can tell"),
    ([(-0.2, -0.4, 0.0), (0.1, -0.1, 0.3), (0.1, -0.1, 0.3), (0.1, -0.1, 0.3)],
     (0.1, -0.15, 0.35), "Cannot tell yet with 20 seeds a rate"),
    ([(-0.3, -0.5, -0.1), (0.1, -0.1, 0.3), (0.1, -0.1, 0.3), (0.1, -0.1, 0.3)],
     (0.0, -0.2, 0.2), "Not monotone: the share of runs in which Kabul holds to day 120 falls "
                       "from 0 to 2"),
])
def test_the_dose_verdict(changes, whole, says):
    """Monotone when the whole range rises and no step falls beyond the noise; not monotone
    when a step falls beyond it; otherwise cannot tell yet, with the seeds it would take."""
    text = dose.verdict(steps(changes, whole), "p_kabul_holds")
    assert text.startswith(says)
    if says.startswith("Cannot"):
        assert "0 to 2 a day: -0.20" in text and "would need about 125 seeds a rate" in text


def test_prim_names_only_inputs_that_matter_in_a_sentence():
    """With eight noise inputs beside the one that decides, the pruned box restricts only
    that one and the lever, and reads as a sentence with their plain labels."""
    rng = np.random.default_rng(1)
    names = sorted(priors())[:9]
    x = pd.DataFrame({n: rng.uniform(0, 1, 300) for n in names})
    x["lever"] = pd.Categorical(rng.choice(["historical", "all_air_levers"], 300))
    y = ((x[names[0]] > 0.5) & (x["lever"] == "all_air_levers")).to_numpy()
    rows = pd.DataFrame(robustness.find_box(x, y, 0.8, "kabul_holds_to_day_120",
                                            np.arange(300) % 150))
    assert set(rows["input"]) == {names[0], "lever"}
    text = robustness.box_sentence(rows)
    assert text.startswith("Kabul holds to day 120 in ")
    assert f"the {labels.parameter(names[0])} is above 0.5" in text
    assert "the lever is All air levers together" in text


def test_every_uncertain_and_unsourced_parameter_has_a_plain_label():
    """The label table covers every prior and every parameter the brief lists as unsourced."""
    assert set(priors()) | {name for name, _ in brief.unsourced()} <= set(labels.PARAMETERS)


def texts(fig) -> list[str]:
    """Every title, axis label and tick label of a figure."""
    return [t.get_text() for ax in fig.axes for t in (
        ax.title, ax.xaxis.label, ax.yaxis.label, *ax.get_xticklabels(), *ax.get_yticklabels())]


def test_the_figures_carry_no_code_id_and_units_on_their_axes(written):
    """The lever, timing and PRIM figures name arms, cases and inputs in words; every panel
    has a labelled value axis."""
    root = written.parent.parent
    effects = pd.read_csv(written.parent / "levers.csv")
    swept = {name: robustness_tables(root / name) for name in ("timing", "robustness")}
    figures = [brief.lever_figure(effects),
               dose.timing_figure(dose.timing_table(*swept["timing"])),
               robustness.discover(root / "robustness", 1, 0.6)[1]]
    for fig in figures:
        assert not [t for t in texts(fig) if re.search(r"[a-z]_[a-z]|\.[a-z]", t)]
        assert all(ax.xaxis.label.get_text() for ax in fig.axes)


def robustness_tables(sweep: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A sweep's runs and daily tables."""
    from sim.studies.compare import collect

    swept = collect(sweep)
    return swept.runs, swept.daily
