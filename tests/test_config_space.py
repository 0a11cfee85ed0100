"""Every config the schema accepts runs, and the model's invariants hold in it (hypothesis).

Configs are drawn over every bounded numeric parameter (``sim.studies.config_space.dimensions``: all
but the seed, horizon, ensemble size, posterior row and map size), any subset of them at once,
each anywhere in its declared range (hypothesis favours the edges), on the tiny synthetic map
for 40 days. The real map's 300-config check is ``experiments/config_space.py``.
"""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from sim.config import ConfigError, validate
from sim.model.model import OffensiveModel
from sim.runner import decided, result_of
from sim.studies.config_space import dimensions, with_overrides
from sim.world.agents import Control
from tests.conftest import tiny
from tests.test_invariants import check_day

DIMENSIONS = {d.name: d for d in dimensions()}
BASE = tiny("days=40")
# Agents the forces are split into: runs of 100,000 units (500,000 fighters in units of 5) are
# correct but take a minute, so they are left to the experiment script.
MAX_AGENTS = 20_000
SHARES = ("belief", "aaf_readiness", "expectation_of_support", "mean_morale_government",
          "mean_morale_taliban")
# Means over no agent are empty (NaN), as docs/outputs.md says; each with what it averages.
MEANS = {"mean_ammo_days": "garrisons", "mean_morale_government": "garrisons",
         "mean_morale_taliban": "taliban_units"}


def value(name: str) -> st.SearchStrategy:
    """Any value in the declared range of parameter ``name``."""
    d = DIMENSIONS[name]
    if d.integer:
        return st.integers(int(d.lo), int(d.hi))
    return st.floats(d.lo, d.hi, allow_nan=False)


CONFIGS = st.sets(st.sampled_from(sorted(DIMENSIONS)), min_size=1, max_size=40).flatmap(
    lambda names: st.fixed_dictionaries({n: value(n) for n in sorted(names)}))


def agents(cfg) -> float:
    """Unit agents the config's initial forces make."""
    f = cfg.forces
    return (f.n_taliban / f.taliban_unit_size + f.n_commandos / f.commando_unit_size
            + f.n_militia / f.militia_unit_size)


def check_daily(model: OffensiveModel) -> None:
    """The run's daily table: no NaN but an empty mean, no negative figure, shares in [0, 1]."""
    daily = result_of(model).daily.drop(columns=["date"])
    for column, of in MEANS.items():
        assert (daily[column].isna() == (daily[of] == 0)).all(), column
    figures = daily.drop(columns=list(MEANS)).to_numpy(float)
    assert np.isfinite(figures).all() and (figures >= 0).all()
    shares = daily[list(SHARES)].to_numpy(float)
    assert ((shares >= 0) & (shares <= 1) | np.isnan(shares)).all()
    assert set(np.unique(model.control_history)) <= {int(c) for c in Control}


# The crashes found by experiments/config_space.py: daily desertion above the whole garrison.
@example({"surrender.rate_desertion": 1.0})
@example({"surrender.rate_desertion_collapse": 1.0, "surrender.desertion_exponent": 0.5,
          "morale.government": 0.0, "morale.commando": 0.0, "belief.initial": 0.0})
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(overrides=CONFIGS)
def test_every_config_in_the_declared_ranges_runs_and_keeps_the_invariants(overrides):
    """A config anywhere in the declared space runs to its end (or until the war is decided),
    with the invariants of tests/test_invariants.py every day and a well-formed daily table."""
    cfg = with_overrides(BASE, overrides)
    try:
        validate(cfg)
    except ConfigError:  # a constraint across fields: the schema refuses it in one line
        assume(False)
    assume(agents(cfg) <= MAX_AGENTS)
    model = OffensiveModel(cfg)
    check_day(model)
    while model.day < cfg.days and not decided(model):
        model.step()
        check_day(model)
    check_daily(model)
