"""Which parameters the record informs: standardised slopes of its summaries around the defaults.

The parameters tuned to the record in the last recalibrations (``sim/config/__init__.py``) are
each drawn uniformly within +-30% of their prior range around their default (inside the prior),
the others kept at their defaults; every run has its own seed. For each record summary (the
Taliban share on 9 July and 10 August, the contested share on 10 August, the capitals fallen by
15 August) and each 2021 pattern, a least-squares fit on the standardised parameters gives the
change in that summary, in its own standard deviations, per standard deviation of a parameter.
The build infers, by default, the parameters with the largest slopes
(``sim.inference.infer.INFERRED``); ``docs/inference.md`` gives the table.

    python experiments/inferred_parameters.py --runs 300 --workers 2

``--width`` and ``--params`` narrow the box and the parameters drawn: how fast runs stop looking
like 2021 away from the defaults (docs/inference.md, "Real map").
"""

from __future__ import annotations

import argparse
from operator import attrgetter

import numpy as np
import pandas as pd

import sim
from sim import targets
from sim.inference import summaries
from sim.inference.checks import daily_frame
from sim.inference.simulate import Problem, generator, run, seeds

CANDIDATES = ("bargains.w_siege_days", "bargains.threshold_mean", "bargains.handover_odds",
              "bargains.w_neighbour_deals", "belief.rate_siege", "campaign.w_capital",
              "centre.w_capitals_lost", "surrender.logit_base", "surrender.threshold_sd",
              "surrender.w_belief", "government.consolidation_frac_lost",
              "government.consolidation_belief", "government.rate_pull_back_cut_off",
              "government.rate_pull_back_besieged")
WIDTH = 0.3  # half-width of the box around the defaults, as a share of each prior range
# the record's summaries (sim.inference.summaries.names) the slopes rank the parameters by
SUMMARIES = ("districts 2021-07-09", "districts 2021-08-10", "contested 2021-08-10",
             "capitals 2021-08-15")


def readings(runs: list[dict]) -> pd.DataFrame:
    """Each run's 2021 patterns (1 or 0) and the record's summaries of :data:`SUMMARIES`."""
    patterns = pd.DataFrame([targets.run_patterns(daily_frame(r), r["n_districts"])
                             for r in runs]).astype(float)
    every = pd.DataFrame([summaries.summarise(r) for r in runs], columns=summaries.names())
    return pd.concat([patterns, every[list(SUMMARIES)]], axis=1)


def slopes(theta: np.ndarray, table: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    """Standardised least-squares slopes of every column of ``table`` on the parameters."""
    z = (theta - theta.mean(0)) / theta.std(0)
    design = np.c_[np.ones(len(z)), z]
    out = {}
    for column in table.columns:
        y = table[column].to_numpy(float)
        coef = np.linalg.lstsq(design, y, rcond=None)[0][1:]
        out[column] = coef / (y.std() or 1.0)
    frame = pd.DataFrame(out, index=names)
    frame["largest"] = frame[list(SUMMARIES)].abs().max(axis=1)
    return frame.sort_values("largest", ascending=False)


def main() -> None:
    """Run the design and print the table."""
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=300)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--width", type=float, default=WIDTH,
                   help="half-width of the box, as a share of each prior range")
    p.add_argument("--params", default=",".join(CANDIDATES),
                   help="comma-separated parameters drawn (default: the 14 tuned)")
    args = p.parse_args()
    names = args.params.split(",")
    base = sim.load_config([])
    problem = Problem.of(base, names)
    centre = np.array([float(attrgetter(n)(base)) for n in names])
    span = problem.high - problem.low
    low = np.maximum(problem.low, centre - args.width * span)
    high = np.minimum(problem.high, centre + args.width * span)
    theta = low + (high - low) * generator(args.seed, "prior").random((args.runs, len(names)))
    runs = run(problem, theta, seeds(args.runs, generator(args.seed, "prior seeds")),
               args.workers, "runs around the defaults")
    table = readings(runs)
    print(f"{args.runs} runs within +-{args.width:.0%} of each prior range around the defaults; "
          f"shares with each pattern:")
    print(table.mean().round(3).to_string())
    print("\nstandardised slopes (summary sd per parameter sd), largest first:")
    print(slopes(theta, table, names).round(2).to_string())


if __name__ == "__main__":
    main()
