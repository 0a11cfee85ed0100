"""The batch API: one composed config varied by field, run serially or in workers, same results."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import sim
from sim.batch import changes_of, vary
from sim.config import ConfigError, SpaceKind, as_dict
from sim.config.memory import estimate_bytes
from sim.inference import calibration
from sim.outputs.analysis import outcome_row
from sim.studies import ablation
from tests.conftest import tiny


def sweep() -> list[sim.SimConfig]:
    """Four short tiny runs: two seeds, with and without US air support."""
    base = tiny("days=15")
    return [vary(base, {"seed": s, "air.use_us": us}) for us in (True, False) for s in (1, 2)]


def assert_same_run(a: sim.RunResult, b: sim.RunResult) -> None:
    """Every table, the summary and the control history are equal."""
    for table in ("daily", "districts", "events"):
        pd.testing.assert_frame_equal(getattr(a, table), getattr(b, table))
    assert a.summary == b.summary and a.config == b.config
    np.testing.assert_array_equal(a.control, b.control)


def final_share(result: sim.RunResult) -> float:
    """Share of districts the Taliban hold at the end (a module-level `keep` for workers)."""
    return result.summary["final_districts_taliban"] / len(result.districts)


def test_serial_and_parallel_sweeps_give_identical_results_in_input_order():
    """Two workers return, in input order, exactly what one process and plain `sim.run` give."""
    configs = sweep()
    serial = sim.run_many(configs, n_jobs=1, progress=False)
    parallel = sim.run_many(configs, n_jobs=2, progress=False)
    for config, a, b in zip(configs, serial, parallel, strict=True):
        assert a.config["seed"] == config.seed and a.config["air"]["use_us"] == config.air.use_us
        assert_same_run(a, b)
        assert_same_run(a, sim.run(config))


def test_keep_returns_only_its_value_computed_in_the_worker():
    """With `keep`, each run's value of the function comes back instead of the whole result,
    the same serially and in workers (a lambda too)."""
    configs = sweep()[:2]
    expected = [final_share(sim.run(c)) for c in configs]
    assert sim.run_many(configs, n_jobs=2, progress=False, keep=final_share) == expected
    rows = sim.run_many(configs, progress=False, keep=lambda r: outcome_row(r.summary, r.daily))
    assert [row["seed"] for row in rows] == [1, 2]


def test_progress_bar_counts_every_run(capsys):
    """The progress bar (stderr) reaches the number of runs; `progress=False` prints nothing."""
    configs = sweep()[:2]
    sim.run_many(configs, progress=True, keep=final_share)
    assert "2/2" in capsys.readouterr().err
    sim.run_many(configs, progress=False, keep=final_share)
    assert capsys.readouterr().err == ""


def test_empty_sweep_returns_nothing():
    """No configs, no runs, an empty list."""
    assert sim.run_many([], n_jobs=2) == []


def test_vary_replaces_nested_fields_and_leaves_the_base_alone():
    """`vary` sets dotted fields in a validated deep copy: the base config is unchanged, untouched
    fields keep their values, and changing the copy later leaves the base alone."""
    base = tiny()
    new = vary(base, {"air.use_us": False, "seed": 3, "morale.government": 0.4})
    assert (new.air.use_us, new.seed, new.morale.government) == (False, 3, 0.4)
    assert (base.air.use_us, base.seed, base.morale.government) == (True, 0, 0.55)
    assert new.forces == base.forces and new.space == base.space
    assert new.air.n_a29 == base.air.n_a29
    new.forces.n_taliban += 1
    assert new.forces.n_taliban == base.forces.n_taliban + 1


def test_vary_takes_values_in_the_fields_kinds():
    """Numpy scalars become Python numbers, integral floats ints, member names enums."""
    new = vary(tiny(), {"forces.n_militia": 26_000.0, "morale.taliban": np.float64(0.7),
                        "days": np.int64(12), "space.kind": "real"})
    assert type(new.forces.n_militia) is int and new.forces.n_militia == 26_000
    assert type(new.morale.taliban) is float and type(new.days) is int and new.days == 12
    assert new.space.kind is SpaceKind.REAL


@pytest.mark.parametrize(("changes", "message"), [
    ({"air.use_uss": False}, "air.use_uss: no such field (air has use_aaf, frac_fleet,"),
    ({"airr.use_us": False}, "airr.use_us: no such field (the config has seed, days,"),
    ({"seed.x": 1}, "seed.x: no such field (seed has no fields)"),
    ({"forces.n_taliban": -5}, "forces.n_taliban=-5: must be in [1, 500000] fighters"),
    ({"forces.n_taliban": 1.5}, "forces.n_taliban=1.5: must be an integer"),
    ({"space.kind": "moon"}, "space.kind='moon': must be one of REAL, SYNTHETIC"),
    ({"air": False}, "air: is a group of fields; set air.<field> instead"),
])
def test_vary_names_a_bad_field_in_one_line(changes, message):
    """A misspelt field, a value out of range or of the wrong kind: one line naming the field."""
    with pytest.raises(ConfigError) as err:
        vary(tiny(), changes)
    assert str(err.value).startswith(message) and "\n" not in str(err.value)


def test_sweep_too_big_for_memory_is_refused_before_any_run(monkeypatch, tmp_path):
    """Runs at once count together: memory for one run but not two refuses a two-worker sweep
    with one line, before any run starts; one worker is allowed."""
    configs = sweep()[:2]
    monkeypatch.setattr("sim.config.memory.available_bytes", lambda: estimate_bytes(configs[0]) * 3 // 2)
    marker = tmp_path / "ran"

    def mark(result: sim.RunResult) -> None:
        marker.touch()

    with pytest.raises(ConfigError, match="x 2 runs at once .* or fewer workers$"):
        sim.run_many(configs, n_jobs=2, progress=False, keep=mark)
    assert not marker.exists()
    sim.run_many(configs[:1], n_jobs=2, progress=False, keep=mark)
    assert marker.exists()


def composed_as_varied(overrides: list[str]) -> tuple[str, str]:
    """The config ``overrides`` compose to and the one varied from the defaults, as text."""
    base = sim.load_config()
    return (repr(as_dict(sim.load_config(overrides))),
            repr(as_dict(vary(base, changes_of(overrides)))))


@pytest.mark.parametrize("arm", list(ablation.MECHANISMS))
def test_an_ablation_arm_varied_from_the_defaults_is_the_composed_one(arm):
    """Each ablation arm, varied from the defaults composed once, equals the arm composed from
    its overrides, down to each value's type (0 in a float field is 0.0)."""
    composed, varied = composed_as_varied([*ablation.MECHANISMS[arm], "seed=3"])
    assert varied == composed


def test_a_calibration_set_varied_from_the_defaults_is_the_composed_one():
    """A calibration design's parameter sets, as overrides of the defaults composed once, equal
    the sets composed from them (integer fields and exponents included)."""
    for _, row in calibration.design(3, 0, calibration.RANGES).iterrows():
        composed, varied = composed_as_varied(calibration.overrides_of(row, calibration.RANGES))
        assert varied == composed


@pytest.mark.parametrize(("overrides", "message"), [
    (["air.use_us"], "air.use_us"), (["seed=range(0,3)"], "only plain field=value"),
    (["+air.new=1"], "only plain field=value"), (["air=[1"], "air=[1")])
def test_changes_of_refuses_what_it_cannot_vary_in_one_line(overrides, message):
    """Group, sweep, addition and malformed overrides fail at once, with one line."""
    with pytest.raises(ConfigError, match=re.escape(message)) as err:
        changes_of(overrides)
    assert "\n" not in str(err.value)


def test_ablation_composes_once_per_study(monkeypatch):
    """The ablation study composes the defaults once, however many arms and seeds it runs."""
    composed = []
    compose = sim.runner.compose
    monkeypatch.setattr(sim.runner, "compose", lambda o=(), **k: composed.append(o) or compose(o, **k))
    table = ablation.runs(2, n_jobs=1, mechanisms={"flight": ("surrender.p_flee=0", "days=10")})
    assert len(composed) == 1 and len(table) == 4


def test_calibration_evaluates_a_set_without_composing(monkeypatch):
    """A calibration set's runs are varied from the base the study composed, never composed."""
    base = sim.load_config()
    monkeypatch.setattr(sim.runner, "compose", lambda *a, **k: pytest.fail("composed"))
    row = calibration.evaluate(base, ["combat.rate_government_fire=0.01"], range(1), until_day=46)
    assert row["n_targets"] > 0
