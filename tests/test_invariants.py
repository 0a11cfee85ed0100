"""Properties that hold every day of every run (hypothesis draws seeds and parameters)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import shortest_path

from sim.model.model import OffensiveModel
from sim.stages.campaign import choose_in_turn
from sim.world.real_map import load_real_map
from tests.conftest import tiny

LEVERS = st.fixed_dictionaries({
    "seed": st.integers(0, 2**32 - 1),
    "air": st.sampled_from(["historical", "sustained", "none"]),
    "supply": st.sampled_from(["default", "none", "doubled_air"]),
    "morale.government": st.floats(0.0, 1.0),
    "campaign.assault_odds": st.floats(0.2, 10.0),
    "government.consolidation_belief": st.sampled_from(["0", "0.5", "1"]),
    "bargains.threshold_mean": st.floats(0.0, 3.0),
    "militia.mobilisation_date": st.sampled_from(["2021-05-01", "null"]),
})


def check_day(model: OffensiveModel) -> None:
    """Assert the invariants on the model's current state."""
    ledger = model.ledger
    n = model.map.n
    counts = model.datacollector.model_vars
    assert (counts["districts_taliban"][-1] + counts["districts_contested"][-1]
            + counts["districts_government"][-1]) == n
    for g in model.garrisons():
        assert g.troops >= 0 and g.ammo_days >= 0 and g.supply_days >= 0 and g.equipment >= 0
        assert 0 <= g.morale <= 1
    for u in model.units():
        assert u.fighters >= 1 and u.ammo_days >= 0 and 0 <= u.morale <= 1
    for x in model.militias():
        assert x.fighters >= 0 and 0 <= x.morale <= 1
    present = sum(g.troops for g in model.garrisons())
    gone = sum(ledger[f"government_{f}"]
               for f in ("killed", "captured", "deserted", "fled", "wounded_evacuated"))
    assert present + gone == pytest.approx(ledger["government_initial"], abs=1e-6)
    fighters = sum(u.fighters for u in model.units())
    assert fighters + ledger["taliban_killed"] == pytest.approx(
        ledger["taliban_initial"] + ledger["taliban_recruited"], abs=1e-6)
    militia = sum(x.fighters for x in model.militias())
    gone = sum(ledger[f"militia_{f}"] for f in ("killed", "captured", "deserted"))
    assert militia + gone == pytest.approx(ledger["militia_initial"], abs=1e-6)
    held = (sum(g.equipment for g in model.garrisons()) + sum(u.equipment for u in model.units())
            + model.equipment_cache.sum())
    assert held + ledger["equipment_destroyed"] == pytest.approx(ledger["equipment_initial"],
                                                                 rel=1e-9, abs=1e-6)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(levers=LEVERS)
def test_invariants_hold_every_day(levers):
    """Control counts sum to the number of districts; no stock goes negative; every fighter and
    soldier is present, killed, captured, deserted or fled; every item of equipment is held by a
    force, waits in a district, or was destroyed."""
    model = OffensiveModel(tiny("days=25", *(f"{k}={v}" for k, v in levers.items())))
    check_day(model)
    for _ in range(model.config.days):
        model.step()
        check_day(model)


@pytest.mark.parametrize("n_objectives", [3, 40])
def test_campaign_choices_are_those_of_the_sequential_loop(n_objectives):
    """The campaign's choosers, run row by row only where an earlier choice could matter, pick
    exactly what the plain loop picks (each withdraws from its old objective, takes the best
    score net of crowding, and adds its fighters there, in turn)."""
    rng = np.random.default_rng(n_objectives)
    for _ in range(50):
        n = int(rng.integers(1, 60))
        score = rng.normal(0.0, 1.0, (n, n_objectives))
        crowding = rng.uniform(0.0, 0.02, n_objectives)
        aimed = np.where(rng.random(n) < 0.5, rng.integers(0, n_objectives, n), -1)
        fighters = rng.uniform(20.0, 150.0, n)
        sent = rng.uniform(0.0, 300.0, n_objectives)
        np.add.at(sent, aimed[aimed >= 0], fighters[aimed >= 0])
        key = score - crowding * sent
        key[np.flatnonzero(aimed >= 0), aimed[aimed >= 0]] += (crowding[aimed[aimed >= 0]]
                                                               * fighters[aimed >= 0])
        expected, now = [], sent.copy()
        for row, old, size in zip(score, aimed, fighters, strict=True):
            if old >= 0:
                now[old] -= size
            expected.append(int(np.argmax(row - crowding * now)))
            now[expected[-1]] += size
        assert choose_in_turn(key, crowding, aimed, fighters).tolist() == expected


def test_campaign_choices_are_those_of_the_sequential_loop_with_ties():
    """Where many keys tie (whole-number scores, equal crowding and sizes), the choosers kept
    without redoing their row still pick exactly what the plain loop picks (its first best)."""
    rng = np.random.default_rng(0)
    for _ in range(200):
        n, n_objectives = int(rng.integers(1, 60)), int(rng.integers(1, 30))
        key = rng.integers(0, 3, (n, n_objectives)).astype(float)
        crowding = rng.choice([0.0, 0.01, 0.02], n_objectives)
        aimed = np.where(rng.random(n) < 0.5, rng.integers(0, n_objectives, n), -1)
        fighters = rng.choice([50.0, 100.0], n)
        expected, change = [], np.zeros(n_objectives)
        for row, old, size in zip(key, aimed, fighters, strict=True):
            expected.append(int(np.argmax(row - change)))
            if old >= 0:
                change[old] -= crowding[old] * size
            change[expected[-1]] += crowding[expected[-1]] * size
        assert choose_in_turn(key, crowding, aimed, fighters).tolist() == expected


@pytest.mark.parametrize("hops", [0, 1, 3])
def test_multi_source_queries_match_the_hop_table(hops):
    """The linear multi-source queries read what the all-pairs hop table holds: districts within
    ``hops`` of any source (militia alerts, flight), and hops to the nearest source (remoteness)."""
    m = load_real_map()
    dense = shortest_path(m.adjacency, unweighted=True, directed=False)
    sources = np.random.default_rng(hops).random(m.n) < 0.05
    np.testing.assert_array_equal(m.near(sources, hops), (dense[:, sources] <= hops).any(axis=1))
    np.testing.assert_array_equal(m.hops_to(np.flatnonzero(sources)),
                                  dense[:, sources].min(axis=1))
