"""Properties that hold every day of every run (hypothesis draws seeds and parameters)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.stats import chi2_contingency

from sim.campaign import choose_in_turn
from sim.model import OffensiveModel
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
    gone = sum(ledger[f"government_{f}"] for f in ("killed", "captured", "deserted", "fled"))
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


@pytest.mark.parametrize("crowded", [False, True])
def test_campaign_choice_draws_the_gumbel_argmax_law(crowded):
    """The campaign's choice (one uniform per chooser) picks each objective as often as the
    argmax of score plus Gumbel noise does (chi-square over 10,000 pairs, p > 0.001), for the
    first chooser and, with crowding, for the second, who sees the first one's pick."""
    rng = np.random.default_rng(1)
    score = rng.normal(0.0, 1.0, 6)
    crowding = np.full(6, 2.0 if crowded else 0.0)
    n, noise = 20_000, 0.5
    picks = []
    for row_u in np.random.default_rng(2).random((n // 2, 2)):  # pairs: the second sees the first
        sent = np.zeros(6)
        picks.append(choose_in_turn(np.tile(score, (2, 1)), crowding, sent, noise, row_u,
                                    [-1, -1], [1.0, 1.0]))
    picks = np.array(picks)
    gumbel = np.random.default_rng(3).gumbel(size=(n // 2, 6))
    first = np.argmax(score + noise * gumbel, axis=1)
    net = score - crowding * (np.arange(6) == first[:, None])  # what the second chooser sees
    second = np.argmax(net + noise * np.random.default_rng(4).gumbel(size=(n // 2, 6)), axis=1)
    for ours, theirs in ((picks[:, 0], first), (picks[:, 1], second)):
        table = np.array([np.bincount(ours, minlength=6), np.bincount(theirs, minlength=6)])
        assert chi2_contingency(table + 1).pvalue > 0.001
