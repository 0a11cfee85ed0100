"""The ablation study: each mechanism switched off in turn, its paired effect at the defaults.

Every arm runs the real map at the calibrated defaults with the same seeds as the baseline.
Each mechanism of ``docs/odd.md`` is named here with the overrides that remove it. A run's
outcomes are the Taliban share of districts on 10 August, the day the first capital fell and
the day Kabul fell (both restricted to the horizon: a run in which the event never happens
counts the whole horizon, so no run is dropped), and the capitals still held on 15 August; and,
less noisy than the cascade, the share on 9 July (the rural phase), the Taliban's strength on
9 July and 15 August, the government troops present on 16 June, the soldiers fled abroad by 15
August, and, for the rural phase (to 9 July, before the cascade makes paired runs drift apart),
Taliban fighters killed, government soldiers killed and captured (surrenders), and the Taliban
share of the districts of the militias' home provinces (where the militias fight).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from sim.batch import changes_of, run_many, vary
from sim.outputs import plotting
from sim.outputs.analysis import t_interval
from sim.outputs.result import RunResult
from sim.runner import load_config
from sim.targets import most_capitals_in_a_day
from sim.world.agents import Control
from sim.world.initial import FACTIONS

MECHANISMS: dict[str, tuple[str, ...]] = {
    "road supply": ("supply.use_road=false",),
    "air resupply": ("supply.frac_lift_multiplier=0",),
    "ammunition": ("combat.frac_fire_without_ammo=1", "surrender.w_no_ammo=0"),
    "local morale": ("surrender.w_low_morale=0", "combat.frac_fire_broken=1",
                     "campaign.w_low_morale=0"),
    "survival belief": ("belief.use_belief=false",),
    "contagion": ("morale.rate_contagion=0",),
    "bargains": ("bargains.use_bargains=false",),
    "handover needs a force": ("bargains.use_handover_force=false",),
    "news along ties": ("belief.use_ties=false",),
    "campaign": ("campaign.w_border=0", "campaign.w_highway=0", "campaign.w_road_cut=0",
                 "campaign.w_militia=0", "campaign.w_capital=0", "campaign.w_crowding=0"),
    "consolidation": ("government.use_consolidation=false",),
    "centre cohesion": ("centre.use_centre=false",),
    "recruitment": ("taliban.rate_recruit=0", "taliban.frac_prisoners_join=0"),
    # the same day-0 rate from a pool twenty times larger: it never runs low
    "bounded recruitment": ("taliban.frac_willing=1", "taliban.rate_recruit=0.00015"),
    "captured equipment": ("taliban.fire_per_item=0",),
    "desertion": ("surrender.rate_desertion=0", "surrender.rate_desertion_collapse=0"),
    "flight": ("surrender.p_flee=0",),
    "AAF strikes": ("air.kills_per_sortie=0",),
    "US strikes": ("air.use_us=false",),
    "contractors leaving": ("air.contractor_exit_date=null",),
    "casualty evacuation": ("air.frac_helo_casevac=0",),
    "expectation of support": ("expectation.use_expectation=false",),
    "militias": ("militia.use_militias=false",),
    "the campaign's two phases": ("campaign.cities_from=null",),
    "siege clock": ("bargains.w_siege_days=0",),
    "approaches kept": ("government.keep_approaches=false",),
    "pull-back over weeks": ("government.rate_pull_back_cut_off=1",
                             "government.rate_pull_back_besieged=1"),
    "commandos leave with a deal": ("bargains.commandos_in_deals=false",),
}
# What theory predicts for each mechanism, written before the study was run (docs/odd.md):
# the outcome it moves most directly, and the sign of the effect of switching it off.
PREDICTIONS: dict[str, tuple[str, int]] = {
    "road supply": ("taliban_share_jul9", +1),  # cut-off posts run dry sooner (P3)
    "air resupply": ("taliban_share_jul9", +1),  # posts only the air force supplied run dry
    "ammunition": ("taliban_share_jul9", -1),  # posts without ammunition fight on
    "local morale": ("taliban_share_jul9", -1),  # demoralised posts no longer give up sooner
    "survival belief": ("capitals_held_aug15", +1),  # no national collapse
    "contagion": ("taliban_share_jul9", -1),  # a loss no longer shakes the neighbours
    "bargains": ("capitals_held_aug15", +1),  # capitals are no longer handed over
    "handover needs a force": ("most_capitals_in_a_day", +1),  # an information cascade
    "news along ties": ("most_capitals_in_a_day", +1),  # every leadership hears at once
    "campaign": ("capitals_held_aug15", +1),  # capitals' roads no longer cut on purpose
    "consolidation": ("capitals_held_aug15", -1),  # capitals lose the troops pulled back
    "centre cohesion": ("kabul_day", +1),  # the leaders never leave
    "recruitment": ("taliban_share_jul9", -1),  # fewer fighters take fewer districts
    "bounded recruitment": ("taliban_fighters_aug15", +1),  # the pool never runs low
    "captured equipment": ("taliban_share_jul9", -1),  # less firepower
    "desertion": ("taliban_share_jul9", -1),  # garrisons keep their strength
    "flight": ("government_captured_jul9", +1),  # border posts surrender instead of fleeing
    "AAF strikes": ("taliban_fighters_jul9", +1),  # fewer fighters killed
    "US strikes": ("taliban_fighters_jul9", +1),  # fewer fighters killed
    "contractors leaving": ("capitals_held_aug15", +1),  # the air force keeps flying
    "casualty evacuation": ("government_killed_jul9", +1),  # the wounded die
    "expectation of support": ("capitals_held_aug15", +1),  # no belief lost to unmet hopes
    "militias": ("militia_homes_taliban_jul9", +1),  # their home provinces are undefended
    # written on 2026-12-07 with the model's two phases, before its study was run
    "the campaign's two phases": ("first_capital_day", -1),  # capitals on offer from 1 May
    "siege clock": ("capitals_held_aug15", +1),  # besieged leaderships no longer worn down
    "approaches kept": ("taliban_share_aug10", +1),  # the posts next to capitals pulled back too
    "pull-back over weeks": ("taliban_share_jul9", +1),  # every exposed post goes at once
    # written later on 2026-12-07, before the study of the model with it was run
    "commandos leave with a deal": ("capitals_held_aug15", +1),  # commandos hold their cities
}
OUTCOMES = ("taliban_share_aug10", "first_capital_day", "kabul_day", "capitals_held_aug15",
            "most_capitals_in_a_day",
            "taliban_share_jul9", "taliban_fighters_jul9", "taliban_fighters_aug15",
            "troops_present_jun16", "soldiers_fled_aug15", "taliban_killed_jul9",
            "government_killed_jul9", "government_captured_jul9", "militia_homes_taliban_jul9")
JUN16, JUL9, AUG10, AUG15 = 46, 69, 101, 106


def outcomes(result: RunResult) -> dict[str, float]:
    """The outcomes of one run (computed in its worker, so only they cross back)."""
    daily, districts = result.daily, result.districts
    horizon = len(daily) - 1

    def restricted(column: str) -> float:
        hit = np.flatnonzero(daily[column].to_numpy() > 0)
        return float(hit[0]) if len(hit) else float(horizon)

    def on(column: str, day: int) -> float:
        return float(daily[column].iloc[min(day, horizon)])

    n_capitals = districts["is_provincial_capital"].sum()
    homes = districts["province"].isin(set().union(*FACTIONS.values())).to_numpy()
    return {"taliban_share_aug10": on("districts_taliban", AUG10) / len(districts),
            "first_capital_day": restricted("capitals_taliban"),
            "kabul_day": restricted("kabul_taliban"),
            "capitals_held_aug15": n_capitals - on("capitals_taliban", AUG15),
            "most_capitals_in_a_day": most_capitals_in_a_day(daily),
            "taliban_share_jul9": on("districts_taliban", JUL9) / len(districts),
            "taliban_fighters_jul9": on("taliban_fighters", JUL9),
            "taliban_fighters_aug15": on("taliban_fighters", AUG15),
            "troops_present_jun16": on("government_troops", JUN16),
            "soldiers_fled_aug15": on("government_fled_to_date", AUG15),
            "taliban_killed_jul9": on("taliban_killed_to_date", JUL9),
            "government_killed_jul9": on("government_killed_to_date", JUL9),
            "government_captured_jul9": on("government_captured_to_date", JUL9),
            "militia_homes_taliban_jul9": float(
                (result.control[min(JUL9, horizon), homes] == Control.TALIBAN).mean())}


def runs(seeds: int, n_jobs: int = 2, mechanisms: dict = MECHANISMS,
         first_seed: int = 0) -> pd.DataFrame:
    """Outcomes of every arm (the baseline and each mechanism off) over ``seeds`` paired seeds.

    The defaults are composed once; each arm is varied from them and validated before any run.
    """
    base = load_config()
    arms = {name: vary(base, changes_of(o)) for name, o in {"baseline": (), **mechanisms}.items()}
    jobs = [(name, s) for name in arms for s in range(first_seed, first_seed + seeds)]
    rows = run_many([vary(arms[name], {"seed": s}) for name, s in jobs], n_jobs=n_jobs,
                    progress=False, keep=outcomes)
    return pd.DataFrame([{"mechanism": name, "seed": s, **row}
                         for (name, s), row in zip(jobs, rows, strict=True)])


def effects(table: pd.DataFrame, mechanisms: dict = MECHANISMS) -> pd.DataFrame:
    """Paired effect (mechanism off minus baseline) on each outcome, 95% t-interval over seeds."""
    base = table[table["mechanism"] == "baseline"].set_index("seed")
    rows = []
    for name, arm in table[table["mechanism"] != "baseline"].groupby("mechanism", sort=False):
        arm = arm.set_index("seed")
        for outcome in OUTCOMES:
            diff = (arm[outcome] - base.loc[arm.index, outcome]).dropna().to_numpy(float)
            effect, low, high, _ = t_interval(diff)
            rows.append({"mechanism": name, "override": " ".join(mechanisms[name]),
                         "outcome": outcome, "effect": effect, "low": low, "high": high,
                         "n": len(diff)})
    return pd.DataFrame(rows)


def verdict(sign: int, low: float, high: float) -> str:
    """A predicted sign against a 95% interval: held, failed or undetected.

    Held: the interval lies on the predicted side of zero; failed: on the other side;
    undetected: it covers zero.
    """
    side = sign * low, sign * high
    return "held" if min(side) > 0 else "failed" if max(side) < 0 else "undetected"


def verdicts(found: pd.DataFrame) -> pd.DataFrame:
    """Each prediction against the study (:func:`verdict`)."""
    rows = []
    for name, (outcome, sign) in PREDICTIONS.items():
        hit = found[(found["mechanism"] == name) & (found["outcome"] == outcome)]
        if hit.empty:
            continue
        low, high = hit["low"].iloc[0], hit["high"].iloc[0]
        rows.append({"mechanism": name, "outcome": outcome, "predicted": "+" if sign > 0 else "-",
                     "effect": hit["effect"].iloc[0], "low": low, "high": high,
                     "verdict": verdict(sign, low, high)})
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    """Run the study and write its tables and figure; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     prog="python -m sim.studies.ablation")
    parser.add_argument("--seeds", type=int, default=20, help="paired seeds per arm (>= 2)")
    parser.add_argument("--first-seed", type=int, default=30_000,
                        help="first of the paired seeds (a block no tuning saw)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("outputs/ablation"))
    args = parser.parse_args(argv)
    if args.seeds < 2:
        print(f"error: --seeds={args.seeds}: must be at least 2 (an interval needs two)",
              file=sys.stderr)
        return 2
    table = runs(args.seeds, args.workers, first_seed=args.first_seed)
    found = effects(table)
    args.out.mkdir(parents=True, exist_ok=True)
    table.to_csv(args.out / "runs.csv", index=False)
    found.to_csv(args.out / "ablation.csv", index=False)
    judged = verdicts(found)
    judged.to_csv(args.out / "predictions.csv", index=False)
    plotting.ablation(found).savefig(args.out / "ablation.png", dpi=120)
    print(found.round(3).to_string(index=False))
    print(judged.round(3).to_string(index=False))
    print(f"-> {args.out}/ablation.csv, predictions.csv, runs.csv, ablation.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
