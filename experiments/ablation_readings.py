"""The two failed ablation predictions, taken apart: is the reading offered for each right?

The ablation study (``python -m sim.studies.ablation``) found two predictions failed. For each,
docs/validation.md offers a reading, not tested when it was written. This script tests them on
paired seeds, with the predictions below written before it was first run:

- **Campaign**: switching off its six objective weights together left fewer capitals held on 15
  August, not more. Reading: without the crowding term (``w_crowding``) every unit goes for the
  same best objectives, the capitals in talks among them, so the handovers conclude sooner.
  Predicted: ``w_crowding=0`` alone lowers the capitals held (effect < 0); the other five
  weights off, crowding kept, do not (effect >= 0, the original prediction's side).
- **Militias**: without them less of their home provinces was Taliban-held on 9 July, not more.
  Reading: the campaign values the militias' home districts before they rise (pre-emption,
  ``campaign.w_militia``), so their presence draws Taliban units there. Predicted: pre-emption
  off (``w_militia=0``, militias kept) lowers the Taliban share of the homes (effect < 0), and
  against that arm, switching the militias off raises it (effect > 0: the original prediction).

    python experiments/ablation_readings.py [--seeds 40] [--first-seed 10000]

Each effect is the mean paired difference over seeds with its 95% t-interval. After the
predicted contrasts, an exploratory one with no prediction (added once the campaign's reading
was refuted): each of the five other campaign weights switched off alone.
"""

from __future__ import annotations

import argparse

import pandas as pd

from sim.outputs.analysis import t_interval
from sim.studies.ablation import effects, runs, verdict

OTHER_WEIGHTS = ("campaign.w_border=0", "campaign.w_highway=0", "campaign.w_road_cut=0",
                 "campaign.w_militia=0", "campaign.w_capital=0")
ARMS = {
    "crowding off": ("campaign.w_crowding=0",),
    "five weights off, crowding kept": OTHER_WEIGHTS,
    "pre-emption off": ("campaign.w_militia=0",),
    "militias off": ("militia.use_militias=false",),
}
# exploratory, no prediction: which of the five weights carries the campaign's effect
SINGLE_WEIGHTS = {f"{w.split('=')[0]} off": (w,) for w in OTHER_WEIGHTS}
EXPLORED = ("capitals_held_aug15", "first_capital_day", "taliban_share_jul9")
# (arm, against, outcome, predicted sign)
CONTRASTS = (
    ("crowding off", "baseline", "capitals_held_aug15", -1),
    ("five weights off, crowding kept", "baseline", "capitals_held_aug15", +1),
    ("pre-emption off", "baseline", "militia_homes_taliban_jul9", -1),
    ("militias off", "pre-emption off", "militia_homes_taliban_jul9", +1),
)


def contrasts(table: pd.DataFrame) -> pd.DataFrame:
    """Each contrast's paired effect, interval and verdict (held, failed, undetected)."""
    by_arm = {name: arm.set_index("seed") for name, arm in table.groupby("mechanism")}
    rows = []
    for arm, against, outcome, sign in CONTRASTS:
        diff = (by_arm[arm][outcome] - by_arm[against][outcome]).to_numpy(float)
        effect, low, high, _ = t_interval(diff)
        rows.append({"arm": arm, "against": against, "outcome": outcome,
                     "predicted": "+" if sign > 0 else "-", "effect": effect, "low": low,
                     "high": high, "n": len(diff), "verdict": verdict(sign, low, high)})
    return pd.DataFrame(rows)


def explored(table: pd.DataFrame) -> pd.DataFrame:
    """Each single weight's paired effect on a few outcomes, with no prediction to judge."""
    found = effects(table, {**ARMS, **SINGLE_WEIGHTS})
    found = found[found["mechanism"].isin(SINGLE_WEIGHTS) & found["outcome"].isin(EXPLORED)]
    return found[["mechanism", "outcome", "effect", "low", "high", "n"]]


def main(argv: list[str] | None = None) -> None:
    """Run the arms on paired seeds and print each contrast against its prediction."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=40)
    parser.add_argument("--first-seed", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    table = runs(args.seeds, args.workers, mechanisms={**ARMS, **SINGLE_WEIGHTS},
                 first_seed=args.first_seed)
    print(contrasts(table).round(4).to_string(index=False))
    print("exploratory (no prediction): one campaign weight off at a time")
    print(explored(table).round(4).to_string(index=False))


if __name__ == "__main__":
    main()
