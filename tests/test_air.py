"""Air power's channels, the branch's refusals, and PRIM scenario discovery.

Channel effects run on the calibrated real map at its defaults over paired seeds and short
horizons, and assert directions that hold however the collapse's speed is recalibrated: each
fails if its channel is deleted.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sim
from sim.batch import vary
from sim.config import ConfigError, priors
from sim.model.model import OffensiveModel
from sim.outputs import analysis
from sim.runner import SETUP_ONLY, branch
from sim.stages import air, expectation
from sim.studies import dose, robustness, sensitivity
from sim.world.agents import Control
from tests.conftest import tiny

ROOT = Path(__file__).resolve().parent.parent
PAIRED = (0, 1)  # seeds of the real-map paired comparisons


DAYS = 40  # short: every channel acts from May, before the collapse the lead may recalibrate
ARMS = {
    "historical": {},
    "us_none": {"air.use_us": False},
    "us_2019": {"air.us_strikes_per_day": 20.3, "air.us_drawdown_date": None},
    "contractors_stay": {"air.contractor_exit_date": None},
    "helos_lift": {"air.frac_helo_resupply": 1.0},
    "expectation_kept": {"expectation.frac_kept": 1.0},
}


@pytest.fixture(scope="module")
def real() -> sim.SimConfig:
    """The calibrated real-map defaults (composed once for the module)."""
    return sim.load_config([])


@pytest.fixture(scope="module")
def arms(real) -> dict[str, list[pd.DataFrame]]:
    """Daily tables of each arm of :data:`ARMS` over the paired seeds, run once for the module."""
    return {name: [sim.run(vary(real, {"seed": s, "days": DAYS, **changes})).daily
                   for s in PAIRED] for name, changes in ARMS.items()}


def total(dailies: list[pd.DataFrame], column: str, day: int | None = None) -> float:
    """A column summed over the runs, on ``day`` (a stock) or over every day (a flow)."""
    if day is None:
        return float(sum(d[column].sum() for d in dailies))
    return float(sum(d[column].iloc[day] for d in dailies))


def test_us_strikes_kill_taliban_fighters(arms):
    """US strikes at the 2019 rate kill more Taliban fighters by day 40 than no US strikes."""
    strikes, none = arms["us_2019"], arms["us_none"]
    assert total(none, "us_strikes_today") == 0 < total(strikes, "us_strikes_today")
    assert total(strikes, "taliban_killed_to_date", DAYS) > total(none, "taliban_killed_to_date",
                                                                  DAYS)


def test_historical_us_strikes_follow_the_record():
    """The historical arm flies the pre-drawdown rate, July's trickle, the August surge (153
    weapons released in August, most in the first half: the rate of 1-15 August), then nothing
    after the mission's end."""
    model = OffensiveModel(sim.load_config([]))
    us, cfg = model.us_air, model.config.air
    first_half = sum(us.strikes(d) for d in range(92, 107))  # 1-15 August 2021
    assert first_half == pytest.approx(153 - 16 * cfg.us_strikes_per_day_after, abs=1)
    assert us.strikes(70) == pytest.approx(18 / 31, abs=0.05)  # July
    assert us.strikes(10) == cfg.us_strikes_per_day and us.strikes(130) == 0


def test_us_strikes_stop_when_kabul_falls_in_the_run():
    """The surge is not ended by a date: it lasts until the mission's end or until Kabul falls in
    the run, whichever comes first."""
    model = OffensiveModel(sim.load_config([]))
    assert model.us_air.strikes(115) == model.config.air.us_strikes_per_day_surge
    model.control[model.map.is_national_capital] = Control.TALIBAN
    assert model.us_air.strikes(100) == 0 and model.us_air.strikes(10) == 0


def test_contractors_staying_keep_the_air_force_flying(arms):
    """With the contractors staying, readiness holds, and more strike sorties are flown and
    more Taliban killed from the air by day 40 than after they leave on 1 June."""
    stay, leave = arms["contractors_stay"], arms["historical"]
    assert total(stay, "aaf_readiness", DAYS) > total(leave, "aaf_readiness", DAYS)
    assert total(stay, "strike_sorties_today") > total(leave, "strike_sorties_today")
    assert total(stay, "air_kills_planned_to_date", DAYS) > total(
        leave, "air_kills_planned_to_date", DAYS)


def test_readiness_differs_by_aircraft_type():
    """After the contractors leave, the UH-60 falls to its SIGAR floor (39%) while the AC-208
    keeps more (63%): readiness is by aircraft type."""
    cfg = sim.load_config([]).air
    late = air.readiness(cfg, exit_day=31, day=1000)
    assert late["uh60"] == pytest.approx(0.39) and late["ac208"] == pytest.approx(0.63)
    assert air.readiness(cfg, exit_day=31, day=0)["uh60"] == pytest.approx(0.77)


def test_allocation_trades_strikes_for_lift(real, arms):
    """Helicopters flying all their sorties as resupply carry more tonnes a day and fly fewer
    strikes than at the default split (in May few posts are cut off, so what is delivered is
    bounded by need, not lift: the lift itself is compared)."""
    def lift_tonnes(config: sim.SimConfig) -> float:
        model = OffensiveModel(config)
        return model.air_force.sorties(model.day).helo_tonnes
    assert lift_tonnes(vary(real, ARMS["helos_lift"])) > lift_tonnes(real)
    lift, strike = arms["helos_lift"], arms["historical"]
    assert total(lift, "strike_sorties_today") < total(strike, "strike_sorties_today")


def test_casualty_evacuation_saves_wounded_and_eases_morale(real, arms):
    """Evacuation flies out a post's wounded: the saved leave the killed, the post's casualty
    morale loss is eased, and the district counts as having seen support; with no evacuation
    sorties nothing changes."""
    for share, expect_flown in ((0.3, True), (0.0, False)):
        model = OffensiveModel(vary(real, {"air.frac_helo_casevac": share}))
        post = model.garrisons()[0]
        post.casualties_today = 40.0
        post.lose(40.0, "killed")
        killed = model.ledger["government_killed"]
        slots = model.garrison_table.live()
        relief = air.evacuate(model, slots)
        mine = int(np.flatnonzero(model.garrison_table.agents[slots] == post)[0])
        if expect_flown:
            saved = model.ledger["government_wounded_evacuated"]
            assert saved > 0 and model.ledger["government_killed"] == pytest.approx(killed - saved)
            assert relief[mine] < 1.0 and model.support_seen[post.district]
        else:
            assert (relief == 1.0).all() and model.ledger["government_killed"] == killed
    assert total(arms["historical"], "government_wounded_evacuated_to_date", DAYS) > 0


def test_expectation_of_support_feeds_morale_and_belief(real, arms):
    """As support stops coming, garrisons' expectation falls; kept (a credible promise), it
    holds, and with it the garrisons' morale stays higher, and so does the level the survival
    belief recovers to (a channel closed at the calibrated recovery rate of 0)."""
    learnt, kept = arms["historical"], arms["expectation_kept"]
    initial = real.expectation.initial * len(PAIRED)
    assert total(learnt, "expectation_of_support", DAYS) < initial
    assert total(kept, "expectation_of_support", DAYS) >= initial - 1e-9
    # read on day 20: later the paired runs lose different garrisons, and the mean moves with them
    assert total(kept, "mean_morale_government", 20) > total(learnt, "mean_morale_government", 20)
    def level_shift(config: sim.SimConfig) -> float:
        model = OffensiveModel(config)
        for _ in range(DAYS):
            model.step()
        return expectation.belief_shift(model)
    assert level_shift(vary(real, ARMS["expectation_kept"])) > level_shift(real)


def test_expectation_is_learnt_from_the_support_seen(arms):
    """More US strikes are seen by more besieged posts: their expectation is higher on day 40."""
    more, none = arms["us_2019"], arms["us_none"]
    assert total(more, "expectation_of_support", DAYS) > total(none, "expectation_of_support",
                                                               DAYS)


def test_kill_rates_are_ranged_priors_in_the_sensitivity_study():
    """The kill rates per AAF sortie and per US strike are uncertain: each has a prior, which the
    sensitivity study samples."""
    for name in ("air.kills_per_sortie", "air.kills_per_us_strike"):
        lo, hi, _ = priors()[name]
        assert lo < hi and sensitivity.PARAMETERS[name] == (lo, hi)


@pytest.mark.parametrize(("override", "field"), [
    ("forces.n_taliban=2000", "forces.n_taliban"),
    ("space=real", "space.kind"),
    ("initial.frac_taliban=0.3", "initial.frac_taliban"),
    ("surrender.logit_base=-5", "surrender.logit_base"),
])
def test_branch_refuses_a_set_up_lever(override, field):
    """A branch arm that changes a lever acting only at set-up is refused, naming the field."""
    with pytest.raises(ConfigError, match=rf"^{field}=.*acts only at set-up"):
        branch(tiny(), {"arm": tiny(override)}, 5)


def test_branch_honours_the_air_levers():
    """Branched on day 0, an arm of every air lever equals a fresh run of it; branched on day 10,
    it shares the history's first ten days and then departs from it."""
    base, arm = tiny("days=40"), tiny("days=40", "scenario=all_air_levers")
    at0 = branch(base, {"arm": arm}, 0)["arm"].daily
    pd.testing.assert_frame_equal(at0, sim.run(arm).daily)
    at10 = branch(base, {"arm": arm, "base": base}, 10)
    history = sim.run(base).daily
    pd.testing.assert_frame_equal(at10["arm"].daily.iloc[:11], history.iloc[:11])
    pd.testing.assert_frame_equal(at10["base"].daily, history)
    assert not at10["arm"].daily.equals(history)


@pytest.mark.parametrize("name", sorted(priors()))
def test_branch_honours_or_refuses_every_uncertain_parameter(name):
    """Every parameter with a prior, set to its prior's top, is either refused by a branch (it
    acts only at set-up) or honoured from the branch day: branched on day 0, the arm equals a
    fresh run of it."""
    base = tiny("days=6")
    arm = vary(base, {name: priors()[name][1]})
    if any(name == s or name.startswith(f"{s}.") for s in SETUP_ONLY):
        with pytest.raises(ConfigError, match=f"^{name}="):
            branch(base, {"arm": arm}, 0)
        return
    pd.testing.assert_frame_equal(branch(base, {"arm": arm}, 0)["arm"].daily, sim.run(arm).daily)


def test_cli_refuses_a_set_up_lever_in_a_branch_arm(tmp_path):
    """``python -m sim branch_date=... forces.n_taliban=...`` stops with one line naming the
    field, exit code 2, and writes nothing."""
    out = tmp_path / "run"
    proc = subprocess.run([sys.executable, "-m", "sim", "debug=tiny", "branch_date=2021-05-20",
                           "forces.n_taliban=2000", f"hydra.run.dir={out}"],
                          capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2 and not out.exists()
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "forces.n_taliban" in lines[0]


def test_prim_finds_a_known_box():
    """PRIM recovers a box planted in the inputs: the cases are the runs with a > 0.6 under
    lever L1, so the box restricts a and the lever, with high coverage and density; runs that
    share a draw count once among the box's draws."""
    rng = np.random.default_rng(0)
    x = pd.DataFrame({"a": rng.uniform(0, 1, 200), "b": rng.uniform(0, 1, 200)})
    x["lever"] = pd.Categorical(rng.choice(["L0", "L1"], 200))
    y = ((x["a"] > 0.6) & (x["lever"] == "L1")).to_numpy()
    draws = np.arange(200) % 10  # ten draws, twenty runs each
    rows = pd.DataFrame(robustness.find_box(x, y, threshold=0.8, case="planted", draws=draws))
    assert (rows["n_draws"] == 10).all() and (rows["n_draws_in_box"] == 10).all()
    assert (rows["n_in_box"] > 10).all()
    assert set(rows["input"]) >= {"a", "lever"} and "b" not in set(rows["input"])
    a = rows[rows["input"] == "a"].iloc[0]
    assert a["lower"] == pytest.approx(0.6, abs=0.05)
    assert rows["values"].dropna().iloc[0] == "L1"
    assert a["coverage"] > 0.8 and a["density"] > 0.8


def test_discover_writes_boxes_of_a_tiny_sweep(tmp_path):
    """``discover.py`` on a tiny sweep of prior draws crossed with two levers writes
    prim_boxes.csv with at least one box, its coverage and density in [0, 1]."""
    for seed in range(6):
        for scenario in ("historical", "all_air_levers"):
            config = tiny(f"scenario={scenario}", f"seed={seed}", "days=30")
            drawn = vary(config, {"surrender.logit_base": float(-9 + 0.5 * seed)})
            sim.run(drawn).write(tmp_path / f"scenario={scenario},seed={seed}")
    table = robustness.outcomes(*robustness_tables(tmp_path))
    middle = int(np.median(table["capitals_held_15_august"]))
    code = robustness.main([str(tmp_path), "--capitals", str(middle)])
    boxes = pd.read_csv(tmp_path / "prim_boxes.csv")
    assert code == 0 and len(boxes) >= 1 and (tmp_path / "prim_boxes.png").is_file()
    assert boxes["coverage"].between(0, 1).all() and boxes["density"].between(0, 1).all()


def robustness_tables(sweep: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A sweep's runs and daily tables, as discover reads them."""
    from sim.studies.compare import collect

    swept = collect(sweep)
    return swept.runs, swept.daily


def test_dose_table_gives_each_rate_with_intervals():
    """The dose table has one row per US strike rate (and the historical reference), with the
    share of runs in which Kabul holds inside its Wilson interval and capitals held inside
    their t-interval."""
    rates = (0, 2, 5, 10, 20)
    runs = pd.DataFrame([{"arm": f"us_rate_{r}", "seed": s, "air.us_strikes_per_day": float(r),
                          "kabul_fell_day": None if s < r // 5 else 90, "days": 120,
                          "n_capitals": 34} for r in rates for s in range(4)])
    runs = pd.concat([runs, runs[runs["arm"] == "us_rate_2"].assign(arm="historical")])
    daily = pd.DataFrame([{"arm": a, "seed": s, "date": "2021-08-15",
                           "capitals_taliban": 30 - s - (a == "us_rate_20")}
                          for a, s in zip(runs["arm"], runs["seed"], strict=True)])
    table = dose.dose_table(runs.reset_index(drop=True), daily)
    assert list(table["us_strikes_per_day"].iloc[:5]) == list(map(float, rates))
    assert table["arm"].iloc[-1] == "historical"
    assert list(table["p_kabul_holds"].iloc[:5]) == [0, 0, 0.25, 0.5, 1.0]
    assert (table["p_kabul_holds_low"] <= table["p_kabul_holds"]).all()
    assert (table["p_kabul_holds"] <= table["p_kabul_holds_high"]).all()
    assert (table["capitals_held_low"] <= table["capitals_held_15_august"]).all()
    assert table["capitals_held_15_august"].iloc[4] == pytest.approx(6.5)


NEAR_ZERO = [0, 0, 1, 3]  # capitals held in 4 runs: a t-interval of the mean goes below 0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 34), min_size=2, max_size=30))
def test_bootstrap_mean_stays_within_the_values(x):
    """The bootstrap interval of a count's mean lies within the values' range (so within 0-34),
    and the same values give the same interval."""
    mean, low, high = analysis.bootstrap_mean(np.array(x))
    assert min(x) <= low <= high <= max(x) and mean == pytest.approx(np.mean(x))
    assert analysis.bootstrap_mean(np.array(x)) == (mean, low, high)


def test_bootstrap_mean_degenerate_samples():
    """One value gives no interval; equal values give that value as both bounds; on 4 runs the
    interval is about their range (the small-sample expansion), wider than a plain percentile."""
    assert np.isnan(analysis.bootstrap_mean(np.array([3.0]))[1:]).all()
    assert analysis.bootstrap_mean(np.zeros(4)) == (0.0, 0.0, 0.0)
    _, low, high = analysis.bootstrap_mean(np.array(NEAR_ZERO))
    assert (low, high) == (0.0, 3.0)


def branched(held: dict[str, list[int]], holds: dict[str, list[bool]]) -> tuple[pd.DataFrame,
                                                                               pd.DataFrame]:
    """A runs and a daily table of arms by seed: capitals held on 15 August and Kabul holding."""
    runs = pd.DataFrame([{"arm": arm, "seed": s, "kabul_fell_day": None if holds[arm][s] else 90,
                          "days": 120, "n_capitals": 34,
                          "branch_date": None if arm == "historical" else "2021-07-01"}
                         for arm in held for s in range(len(held[arm]))])
    daily = pd.DataFrame([{"arm": arm, "seed": s, "date": "2021-08-15",
                           "capitals_taliban": 34 - held[arm][s]}
                          for arm in held for s in range(len(held[arm]))])
    return runs, daily


def test_dose_and_timing_intervals_respect_the_bounds():
    """Capitals held near 0 on 4 runs: the dose interval stays in [0, 34]; the timing table's
    paired differences stay in [-1, 1] for P(Kabul holds) and within the paired differences'
    range for capitals (a t-interval would leave both)."""
    runs, daily = branched({"historical": [0] * 4, "air_from_july": NEAR_ZERO},
                           {"historical": [False] * 4, "air_from_july": [True] * 3 + [False]})
    timing = dose.timing_table(runs, daily).iloc[0]
    assert timing["diff_capitals_held_15_august"] == pytest.approx(1.0)
    assert 0 <= timing["diff_capitals_low"] < 1 < timing["diff_capitals_high"] <= 3
    assert timing["diff_p_kabul_holds"] == pytest.approx(0.75)
    assert -1 <= timing["diff_p_low"] < 0.75 < timing["diff_p_high"] <= 1
    runs, daily = branched({"us_rate_0": NEAR_ZERO}, {"us_rate_0": [False] * 4})
    row = dose.dose_table(runs.assign(**{dose.RATE: 0.0}), daily).iloc[0]
    assert row["n_runs"] == 4 and 0 <= row["capitals_held_low"] <= row["capitals_held_high"] <= 34
