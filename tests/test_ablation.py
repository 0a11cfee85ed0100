"""Every mechanism moves an outcome the way it should at the calibrated real-map defaults.

One small ablation (each mechanism switched off in turn, paired seeds) on the real map: for each
mechanism, the outcome it acts on most directly must move in the stated direction. A mechanism
whose code is deleted leaves its arm identical to the baseline (common random numbers), so its
effect is exactly zero and the strict inequality fails.
"""

from __future__ import annotations

import pytest

import sim
from sim.studies import ablation

SEEDS = 5
# The predictions of sim.studies.ablation (docs/odd.md), written before the study. Each asserted here
# held in the study (docs/validation.md); a prediction that failed or went undetected is reported
# there and asserted only as an effect of any sign (deleting the mechanism makes it exactly 0).
DIRECTIONS = {m: (outcome, sign) for m, (outcome, sign) in ablation.PREDICTIONS.items()}
# not held in the 60-seed study on seeds 30,000-30,059 (undetected or failed: docs/validation.md)
UNSIGNED = {"campaign", "consolidation", "contagion", "recruitment", "captured equipment",
            "desertion", "flight", "expectation of support", "militias",
            # held at 60 seeds, but too small to sign at 5: US strikes +457 fighters on 9 July
            # (315 to 599), whose first-order channel test_us_strikes_add_to_the_fighters_struck
            # asserts; contractors leaving +3.3 capitals held (0.03 to 6.6)
            "US strikes", "contractors leaving"}
# The day an outcome is read on. An arm runs to the day its outcome is read and no further (a
# run's history does not depend on its horizon: test_determinism); the baseline, and the arms
# read on the day Kabul fell, run the whole horizon.
READ_ON = {"troops_present_jun16": ablation.JUN16, "taliban_share_jul9": ablation.JUL9,
           "taliban_fighters_jul9": ablation.JUL9, "government_killed_jul9": ablation.JUL9,
           "militia_homes_taliban_jul9": ablation.JUL9, "capitals_held_aug15": ablation.AUG15,
           "taliban_fighters_aug15": ablation.AUG15, "soldiers_fled_aug15": ablation.AUG15,
           "government_captured_jul9": ablation.JUL9, "taliban_share_aug10": ablation.AUG10}
# the arms run: those with an asserted direction, each stopped once its outcome is read
ARMS = {m: (*ablation.MECHANISMS[m], *([f"days={READ_ON[d[0]]}"] if d[0] in READ_ON else []))
        for m, d in DIRECTIONS.items()}


@pytest.fixture(scope="module")
def effects():
    """Paired effects of switching each asserted mechanism off, over a few seeds of the real map."""
    return ablation.effects(ablation.runs(SEEDS, mechanisms=ARMS), ARMS).set_index(
        ["mechanism", "outcome"])


def test_every_mechanism_is_tested():
    """The test covers every mechanism the ablation study names (and so the ODD)."""
    assert set(DIRECTIONS) == set(ablation.MECHANISMS)


def read_by_the_arms_end(outcome: str) -> list[str]:
    """The outcomes an arm stopped where ``outcome`` is read can be compared on (all, if it runs
    the whole horizon)."""
    if outcome not in READ_ON:
        return list(ablation.OUTCOMES)
    return [o for o, day in READ_ON.items() if day <= READ_ON[outcome]]


@pytest.mark.parametrize("mechanism", ARMS)
def test_switching_a_mechanism_off_moves_its_outcome(effects, mechanism):
    """Switching the mechanism off moves its predicted outcome, strictly in the predicted
    direction where the study confirmed it; a mechanism whose prediction did not hold must still
    move some outcome its arm reads (at 5 seeds its own outcome may tie by chance: the campaign's
    capitals held on 15 August, where most runs take 32-34)."""
    outcome, sign = DIRECTIONS[mechanism]
    if mechanism in UNSIGNED:
        moved = [effects.loc[(mechanism, o), "effect"] for o in read_by_the_arms_end(outcome)]
        assert any(e != 0 for e in moved)
    else:
        assert sign * effects.loc[(mechanism, outcome), "effect"] > 0


def test_us_strikes_add_to_the_fighters_struck():
    """US strikes add to the fighters air power is flown against, on the real map at the
    defaults (paired seeds, to the drawdown): their first-order channel. No district or capital
    outcome moves detectably at 30 seeds (docs/validation.md)."""
    def struck(*overrides: str) -> float:
        return sum(sim.run(sim.load_config(["days=60", f"seed={s}", *overrides])).daily[
            "air_kills_planned_to_date"].iloc[-1] for s in range(2))
    assert struck() > struck("air.use_us=false")


def test_the_study_refuses_a_single_seed(capsys):
    """One seed gives no interval: the command stops at once with one line and exit 2."""
    assert ablation.main(["--seeds", "1"]) == 2
    assert capsys.readouterr().err.strip() == (
        "error: --seeds=1: must be at least 2 (an interval needs two)")
