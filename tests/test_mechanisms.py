"""Each mechanism's effect: switch it off or move its parameter, and the outcome moves the right
way, over paired seeds (common random numbers), never one lucky run."""

from __future__ import annotations

import functools

import networkx as nx
import numpy as np
import pytest

import sim
from sim import targets
from sim.model.model import OffensiveModel
from sim.stages import bargains, combat, control, recruitment
from sim.stages.air import AirForce, USAirSupport
from sim.studies import ablation
from sim.toy import ROAD_CONTROL, outpost_config, outpost_fall_day, outpost_history, outpost_road
from sim.world.agents import Control
from tests.conftest import SEEDS, ensemble, mean_of, tiny, total_events

LONG = ["days=60"]


def fell_by(results, day: int) -> float:
    """Mean Taliban-held districts on ``day``."""
    return mean_of(results, "districts_taliban", day)


def mean_outpost_fall_day(*overrides: str, seeds=range(6)) -> float:
    """Mean day the cut-off outpost of the toy road falls (90 if it holds)."""
    days = [outpost_fall_day(outpost_config("days=90", f"seed={s}", *overrides)) for s in seeds]
    return float(np.mean([90 if d is None else d for d in days]))


def test_cut_off_outpost_runs_dry_and_surrenders():
    """On a road held at both ends by the Taliban, the cut-off outpost's stocks run out and it
    gives up; garrisons with a road to the hub keep their stocks."""
    history = outpost_history(outpost_config("days=60", "air=none", "seed=0"))
    held = history[history["held"]]
    assert held["cut_off"].all()
    assert held["supply_days"].is_monotonic_decreasing and not history["held"].iloc[-1]
    assert history["control"].iloc[-1] == "taliban"
    model = OffensiveModel(outpost_config("air=none"), outpost_road(), ROAD_CONTROL)
    for _ in range(5):
        model.step()
    hub = [g for g in model.garrisons() if g.district == 0]
    full = model.config.forces.supply_days
    assert hub and not hub[0].is_cut_off and hub[0].supply_days > full - 1


def test_air_resupply_delays_the_outposts_fall():
    """Air resupply alone (strikes made harmless) keeps the cut-off outpost longer; without air
    power at all it falls sooner than with sustained air support."""
    harmless = ("air.kills_per_sortie=0", "air.kills_per_us_strike=0")
    assert mean_outpost_fall_day(*harmless, "supply.frac_lift_multiplier=0") < (
        mean_outpost_fall_day(*harmless))
    assert mean_outpost_fall_day("air=none") < mean_outpost_fall_day("air=sustained")


def test_no_air_power_loses_more_districts():
    """With no air power at all, more districts have fallen by day 20 than with sustained air
    support (read before the tiny wars are decided, from day 32 on)."""
    assert fell_by(ensemble([*LONG, "air=none"]), 20) > fell_by(
        ensemble([*LONG, "air=sustained"]), 20)


def test_no_resupply_empties_magazines_and_raises_surrenders():
    """With no resupply at all, ammunition runs low and more garrisons give up."""
    starved = ensemble([*LONG, "supply=none"])
    fed = ensemble(LONG)
    assert mean_of(starved, "mean_ammo_days", 15) < mean_of(fed, "mean_ammo_days", 15)
    gave_up = ("surrender", "negotiation", "flight", "withdrawal")
    assert sum(total_events(starved, e) for e in gave_up) > sum(
        total_events(fed, e) for e in gave_up)


def test_contagion_speeds_the_cascade():
    """Stronger morale contagion from nearby losses, faster collapse."""
    assert fell_by(ensemble(["days=30", "morale.rate_contagion=0.05"]), 30) > fell_by(
        ensemble(["days=30", "morale.rate_contagion=0"]), 30)


def test_higher_government_morale_holds_more():
    """Government forces with higher morale lose fewer districts."""
    assert fell_by(ensemble([*LONG, "morale=high"]), -1) < fell_by(
        ensemble([*LONG, "morale=low"]), -1)


def home_districts_lost(*overrides: str) -> float:
    """Mean Taliban-held districts on day 30 in provinces that have a militia faction.

    Read on a fixed day before the tiny wars are decided: a run ends on the day Kabul falls, and
    a war decided sooner would leave fewer districts lost at its end.
    """
    lost = []
    for seed in SEEDS:
        model = sim.simulate(tiny("days=30", *overrides, f"seed={seed}"))
        home = model.map.ethnic_group != "pashtun"
        lost.append(int(((model.control == Control.TALIBAN) & home).sum()))
    return float(np.mean(lost))


def test_militias_defend_their_home_provinces():
    """Strong militias (20,000) armed and called up from day 0 turn out and lose fewer home
    districts than no militias at all (6,000 do not: the campaign pre-empts them)."""
    armed = ("militia.mobilisation_date=2021-05-01", "forces.n_militia=20000")
    assert mean_of(ensemble(["days=5", *armed]), "militia_mobilised", 5) > 0
    assert home_districts_lost(*armed) < home_districts_lost("militia.use_militias=false")


def test_elders_mediate_negotiated_handovers():
    """With elders always mediating there are negotiations and no surrenders; never, the reverse."""
    always = ensemble([*LONG, "surrender.p_elders_pashtun=1", "surrender.p_elders_other=1"])
    never = ensemble([*LONG, "surrender.p_elders_pashtun=0", "surrender.p_elders_other=0"])
    assert total_events(always, "negotiation") > 0 and total_events(always, "surrender") == 0
    assert total_events(never, "negotiation") == 0 and total_events(never, "surrender") > 0


def test_consolidation_withdraws_rural_garrisons():
    """Under early consolidation rural garrisons withdraw to the capitals in the first days."""
    early = ensemble([*LONG, "government.consolidation_belief=1"])
    never = ensemble([*LONG, "government.use_consolidation=false"])
    assert total_events(early, "withdrawal") > total_events(never, "withdrawal")
    assert total_events(early, "consolidation") == len(SEEDS)
    assert total_events(never, "consolidation") == 0


def test_surrendered_equipment_arms_the_taliban():
    """Equipment captured grows with garrisons' surrenders; it raises Taliban firepower."""
    results = ensemble(LONG)
    for r in results:
        captured = r.daily["equipment_captured_to_date"]
        assert (captured.diff().dropna() >= 0).all() and captured.iloc[-1] > 0
    none = ensemble([*LONG, "taliban.fire_per_item=0"])
    big = ensemble([*LONG, "taliban.fire_per_item=10"])
    assert mean_of(big, "government_killed_to_date") > mean_of(none, "government_killed_to_date")


def test_recruitment_grows_the_taliban():
    """Taliban-held districts raise new fighters; with neither recruitment nor freed prisoners
    joining, none join."""
    assert mean_of(ensemble([*LONG, "taliban.rate_recruit=1e-4"]), "taliban_recruited_to_date") > 0
    none = ensemble([*LONG, "taliban.rate_recruit=0", "taliban.frac_prisoners_join=0"])
    assert mean_of(none, "taliban_recruited_to_date") == 0


def test_assault_threshold_decides_assaults():
    """A low assault threshold brings more assaults than a prohibitive one."""
    eager = ensemble([*LONG, "campaign.assault_odds=0.5"])
    cautious = ensemble([*LONG, "campaign.assault_odds=100"])
    assert sum(r.daily["assaults_today"].sum() for r in eager) > sum(
        r.daily["assaults_today"].sum() for r in cautious)


def test_fortification_protects_capitals():
    """Stronger capital fortifications multiply the capitals' defending fire (so an assault
    needs more attackers), and only the capitals': on the real map at the defaults."""
    def fire(*overrides: str) -> np.ndarray:
        model = OffensiveModel(sim.load_config(["seed=0", *overrides]))
        return combat.defence(model, model.garrison_table.live(), model.mobilised())
    weak, strong = fire("combat.fortification_capital=1"), fire("combat.fortification_capital=10")
    capitals = OffensiveModel(sim.load_config(["seed=0"])).map.is_capital
    assert (strong[capitals] > weak[capitals]).all()
    assert (strong[~capitals] == weak[~capitals]).all()


def test_flight_across_border_crossings():
    """Garrisons at border crossings flee when they give up if p_flee is 1, never if it is 0."""
    fled = ensemble([*LONG, "surrender.p_flee=1", "surrender.p_withdraw=0"])
    stayed = ensemble([*LONG, "surrender.p_flee=0"])
    assert total_events(fled, "flight") > 0 and total_events(stayed, "flight") == 0
    assert mean_of(fled, "government_fled_to_date") > 0


def test_readiness_decays_after_contractors_leave():
    """AAF readiness holds until the contractors leave, then decays toward its floor."""
    model = OffensiveModel(tiny("air.contractor_exit_date=2021-06-01"))
    af, cfg = model.air_force, model.config.air
    assert af.readiness(0) == af.readiness(31) == pytest.approx(cfg.ready_mi17, abs=0.1)
    assert af.readiness(60) < af.readiness(40) < af.readiness(31)
    floor = min(getattr(cfg, f"ready_floor_{k}") for k in ("a29", "uh60", "c130"))
    assert af.readiness(1000) > floor - 1e-9
    sustained = AirForce(model, tiny("air=sustained").air)
    assert sustained.readiness(1000) == af.readiness(0)


def test_us_strikes_thin_then_end():
    """US strikes: the pre-drawdown rate, then the thinner rate, then none after the end date."""
    model = OffensiveModel(tiny())
    us, cfg = model.us_air, model.config.air
    assert us.strikes(10) == cfg.us_strikes_per_day * cfg.frac_fleet
    assert us.strikes(70) == cfg.us_strikes_per_day_after * cfg.frac_fleet
    assert us.strikes(95) == cfg.us_strikes_per_day_surge * cfg.frac_fleet
    assert us.strikes(200) == 0
    assert USAirSupport(model, tiny("air=none").air).strikes(10) == 0


def test_commando_reserve_flies_to_threatened_capitals():
    """Commandos are flown to pressed capitals only while helicopters can fly."""
    assert total_events(ensemble(LONG), "commando_moves") > 0
    assert total_events(ensemble([*LONG, "air=none"]), "commando_moves") == 0


def test_supply_hub_connection_reaches_along_roads():
    """Road resupply reaches a garrison connected to the hub; convoy rates fall with distance."""
    model = OffensiveModel(outpost_config("air=none", "seed=0"), outpost_road(),
                           [Control.GOVERNMENT] * 4 + [Control.TALIBAN])
    for g in model.garrisons():
        g.ammo_days = g.supply_days = 0.0
    model.step()
    assert all(g.ammo_days > 0 for g in model.garrisons() if model.control[g.district] == 0)
    assert nx.is_connected(model.map.graph)


def test_captured_equipment_needs_crews():
    """Captured items add fire only as far as the unit has crews: a small unit with a huge
    haul fights like a slightly larger one, not like thousands."""
    model = OffensiveModel(tiny())
    unit = model.units()[0]
    unit.fighters, unit.equipment = 97.0, 1174.0
    cfg = model.config.taliban
    assert unit.firepower() == pytest.approx(97 + cfg.fire_per_item * 97 / cfg.crew_per_item)
    unit.equipment = 0.0
    assert unit.firepower() == 97.0


def test_a_garrison_that_gives_up_to_a_summons_fires_no_more():
    """Defenders who hand over when summoned inflict no losses that day: with every post giving
    up, the storming units lose nobody to ground fire."""
    config = tiny("days=1", "campaign.assault_odds=0.1", "surrender.logit_base=50",
                  "air=none")
    model = OffensiveModel(config)
    before = model.ledger["taliban_killed"]
    model.step()
    assert model.today["surrender"] + model.today["negotiation"] + model.today["withdrawal"] > 0
    assert model.ledger["taliban_killed"] == before


def test_strikes_where_no_unit_stands_are_recorded_as_wasted():
    """Strikes planned on a district no unit stands in by the time of combat are counted as
    wasted, not lost; strikes where units stand are not; with no air power none are flown."""
    model = OffensiveModel(sim.load_config(["seed=0"]))
    occupied = np.bincount(model.unit_table.district[model.unit_table.live()],
                           minlength=model.map.n) > 0
    empty, held = np.flatnonzero(~occupied)[0], np.flatnonzero(occupied)[0]
    model.strikes[[empty, held]] = [3.0, 2.0]
    combat.fight(model)
    assert model.today["strikes_wasted"] == 3.0
    assert sum(r.daily["strikes_wasted_today"].sum()
               for r in ensemble([*LONG, "air=none"])) == 0


def test_militias_run_dry_away_from_a_road():
    """Militia ammunition is spent in battle: a militia that fights ends with less than it had."""
    armed = ("militia.mobilisation_date=2021-05-01", "forces.n_militia=6000")
    spent = []
    for seed in SEEDS:
        model = sim.simulate(tiny(*LONG, *armed, f"seed={seed}"))
        spent += [model.config.militia.ammo_days - x.ammo_days for x in model.militias()
                  if x.mobilised]
    assert spent and max(spent) > 0


def test_initial_control_agrees_with_the_daily_rule():
    """On the real map, day 0's control is what the daily rule makes of day 0's presence (every
    contested district holds both sides), and day 1 changes no more districts than a typical
    day of the following week (no jump from 115 to 80 government districts with no fighting)."""
    model = OffensiveModel(sim.load_config([]))
    taliban, government, militia = model.presence()
    exposed = model.map.adjacency @ (model.control == Control.TALIBAN).astype(float) > 0
    rule = control.new_control(model.control, taliban, government + militia, exposed,
                               np.zeros(model.map.n, bool))
    assert (rule == model.control).all()
    changes = []
    for _ in range(8):
        before = model.control.copy()
        model.step()
        changes.append(int((model.control != before).sum()))
    assert changes[0] <= np.median(changes[1:])


# --- the national level on the real map, at the calibrated defaults ------------------------------

REAL_SEEDS = range(4)


@functools.cache
def real_runs(*overrides: str) -> list[sim.RunResult]:
    """The real map at the defaults plus ``overrides``, over paired seeds (once a session)."""
    return [sim.run(sim.load_config([*overrides, f"seed={s}"])) for s in REAL_SEEDS]


def most_capitals_in_a_day(results) -> int:
    """The busiest day's capitals, summed over the runs."""
    return int(sum(targets.most_capitals_in_a_day(r.daily) for r in results))


def test_a_handover_waits_for_a_force_at_the_gates():
    """With a Taliban force needed at or next to each district in talks, the capitals fall over
    days as units arrive; handed over on the day the leadership tips, they fall together (an
    information cascade, DESIGN.md section 1)."""
    assert most_capitals_in_a_day(real_runs()) < most_capitals_in_a_day(
        real_runs("bargains.use_handover_force=false"))


def test_the_cities_wait_for_the_campaigns_second_phase():
    """Before ``campaign.cities_from`` (20 July, day 80) no provincial capital changes hands and
    none is counted besieged for the siege clock; from 1 May on (null), capitals fall weeks
    sooner."""
    turn = int(sim.load_config([]).day_of(sim.load_config([]).campaign.cities_from))
    for r in real_runs():
        assert r.daily["capitals_taliban"].iloc[:turn].max() == 0
        assert r.summary["first_capital_fell_day"] is not None
    early = [r.summary["first_capital_fell_day"] for r in real_runs("campaign.cities_from=null")]
    assert max(early) < turn


def test_the_siege_clock_counts_days_of_siege_from_the_turn_on():
    """A leadership's siege days grow by one a day while its capital has Taliban inside, and
    only from the day the campaign turns on the cities."""
    model = OffensiveModel(sim.load_config(["seed=0", "campaign.cities_from=2021-05-11"]))
    m = model.map
    model.step()
    while model.day < 10:  # the day's stages run with model.day already the new day
        assert not model.siege_days.any()
        model.step()
    sieged = model.control[m.province_capital] == Control.CONTESTED
    before = model.siege_days.copy()
    bargains.count_siege_days(model)
    assert np.array_equal(model.siege_days - before, sieged.astype(float))


def test_a_deal_takes_the_province_only_when_told_to():
    """A capital handed over leaves its province's other posts to decide for themselves; with
    ``deal_takes_province`` the deal hands them over too, as forces reach them."""
    def handed_over(results) -> int:
        return sum(int((r.events["event"] == "handover").sum()) for r in results)
    assert handed_over(real_runs()) == 0
    assert handed_over(real_runs("bargains.deal_takes_province=true")) > 0


def test_commandos_leave_a_city_handed_over():
    """Commandos in a capital handed over leave under the deal (Lashkar Gah, August 2021), so the
    cities they reinforced fall too; where they stay out of deals, the district stays contested
    and the cascade stalls short of the record's."""
    def capitals_held_aug15(results) -> float:
        return sum(ablation.outcomes(r)["capitals_held_aug15"] for r in results)
    assert capitals_held_aug15(real_runs()) < capitals_held_aug15(
        real_runs("bargains.commandos_in_deals=false"))


def test_news_of_a_fall_reaches_its_ties_first():
    """The day after the first capital falls, the leaderships of its neighbouring provinces have
    lost more belief than those with no tie to it, which hear later and less."""
    model = OffensiveModel(sim.load_config(["seed=0"]))
    m = model.map
    while not (m.is_capital & (model.control == Control.TALIBAN)).any():
        model.step()
    before = model.belief.copy()
    model.step()
    province = m.province_index[m.is_capital & (model.control == Control.TALIBAN)][0]
    delay = model.ties.delay[:, province]
    near = m.province_adjacency[province].toarray().ravel() > 0
    far = delay == model.config.belief.days_far
    drop = before - model.belief
    assert near.any() and far.any()
    assert drop[near].mean() > drop[far].mean()


def test_recruits_come_from_a_finite_pool():
    """A district gives no more recruits than its men who would ever join: with a tiny pool the
    Taliban raise almost no one, whatever the daily rate."""
    config = sim.load_config(["seed=0", "days=120", "taliban.frac_willing=0.005",
                              "taliban.rate_recruit=1", "taliban.frac_prisoners_join=0"])
    model = OffensiveModel(config)
    pool = recruitment.eligible(model).sum()
    result = sim.run(config)
    assert 0 < result.daily["taliban_recruited_to_date"].iloc[-1] <= pool
