"""Regression of the calibrated historical scenario: the main patterns over a small ensemble.

Tolerances are wide enough not to flake over 8 seeds and narrow enough that a broken mechanism
(no cascade, no cut-off effect, assaults everywhere, desertion as a timer, a Taliban force bled
white, a stalled or instant offensive) fails. ``docs/validation.md`` reports the full targets.
"""

from __future__ import annotations

import numpy as np
import pytest

import sim
from sim import targets


@pytest.fixture(scope="module")
def ensemble():
    """Eight seeds of the default (calibrated, real-map) scenario.

    Eight, not four: a pattern held by 90% of runs (Kabul's timing, docs/validation.md) fails
    "in most of 4 runs" one time in twenty, "in most of 8" one time in two hundred.
    """
    return [sim.run(sim.load_config([f"seed={s}"])) for s in range(8)]


@pytest.fixture(scope="module")
def found(ensemble):
    """Every calibration target checked over the ensemble, by name."""
    checks = targets.checks([r.daily for r in ensemble], [r.districts for r in ensemble])
    return {c.target: c for c in checks}


def test_slow_may_then_a_rise(found):
    """About a quarter of districts Taliban-held in mid-June (the median inside the record's band,
    sim.targets), and a rise of at least three points by the end of June. The end-of-June median
    sits near the band's floor (0.329 against 0.286 over seeds 30,000-30,099; docs/validation.md):
    eight seeds cannot hold it inside the band reliably."""
    assert found["Taliban share 2021-06-15"].passed
    assert found["Taliban share 2021-06-29"].median > found["Taliban share 2021-06-15"].median + 0.03


def test_capitals_outlast_the_countryside(ensemble):
    """A capital falls in every run (a run where none does fails, it is not skipped), never
    before 30 June (day 60), and only once over a third of the districts are Taliban-held."""
    for r in ensemble:
        first = r.summary["first_capital_fell_day"]
        assert first is not None and first >= 60
        assert r.daily["districts_taliban"].iloc[first] / len(r.districts) > 0.35


def test_kabul_falls_among_the_last(ensemble):
    """Kabul falls in most runs, and where it falls most other capitals (25 of 33) have fallen
    by then (a cascade, not a decapitation); in most runs the first of them fell 5 to 15 days
    before it (per run, 95% over seeds 30,000-30,099: docs/validation.md)."""
    fell = [r for r in ensemble if r.summary["kabul_fell_day"] is not None]
    assert len(fell) > len(ensemble) / 2
    gaps = [r.summary["kabul_fell_day"] - r.summary["first_capital_fell_day"] for r in fell]
    for r in fell:
        assert r.daily["capitals_taliban"].iloc[r.summary["kabul_fell_day"]] >= 25
    assert sum(5 <= gap <= 15 for gap in gaps) > len(ensemble) / 2


def test_the_cascade_is_paced(found):
    """The busiest day takes at most 10 capitals (the median run; 2021: at most 8): the cities
    fall as Taliban forces reach them, not all on the day the leaderships tip."""
    assert found["most capitals fallen in one day"].passed


def test_cut_off_posts_fall_first(found):
    """On the same days, a cut-off district falls faster than a connected one (the target:
    a rate ratio above 1; 2.37 over seeds 30,000-30,099, docs/validation.md)."""
    assert found["fall rate cut off / connected, day-stratified"].passed


def test_most_changes_of_hands_are_not_assaults(found):
    """Deals, surrender, withdrawal and abandonment far outnumber assaults."""
    assert found["share of changes by assault"].median < 0.1


def test_desertion_and_strength_magnitudes(found):
    """Desertion runs near its 2020 rate before the collapse; the Taliban are not bled white;
    thousands of soldiers flee abroad."""
    assert found["desertion by 16 Jun / present"].median < 0.1
    assert found["Taliban fighters 15 Aug / start"].median > targets.MIN_TALIBAN_GROWTH
    assert found["soldiers fled abroad by 15 Aug"].median > targets.MIN_FLED_AUG15


def test_equipment_is_captured(ensemble):
    """Surrendered and abandoned garrisons arm the Taliban: hundreds of items by mid-August."""
    assert np.median([r.daily["equipment_captured_to_date"].iloc[106] for r in ensemble]) > 300
