"""Calibrate the historical scenario: a space-filling design over the uncertain parameters.

Draws a scrambled Latin hypercube (scipy.stats.qmc) over the uncertain parameters, inside the
prior ranges declared beside their fields in ``sim/config/`` (``sim.config.priors``), runs
each set over several seeds, scores the ensemble against all
targets of ``sim.targets`` at once, and writes every set with its score (``samples.csv``), the
sets that pass every target (``accepted.csv``) and the best set as Hydra overrides
(``best.yaml``). Rerun or extend it (more sets, other ranges) to refine the defaults:

    python -m sim.inference.calibration --sets 128 --seeds 3 --workers 2 --out outputs/calibration
    python -m sim.inference.calibration --from-samples outputs/calibration/samples.csv \
        --confirm 8 --confirm-seeds 20
    python -m sim.inference.calibration --until-day 69     # fit the record to 9 July only

Sets are ranked by how many targets they pass, then by the summed squared misses. For a
posterior rather than a best point, see ``python -m sim.inference.infer``. With
``--confirm K`` the K best are run again over ``--confirm-seeds`` fresh seeds and re-ranked
(``confirmed.csv``): a few seeds flatter a lucky set, and the second stage corrects for it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from joblib import Parallel, delayed
from scipy.stats import qmc

import sim
from sim import targets
from sim.batch import changes_of, vary
from sim.config import is_integer, priors

RANGES = {name: (lo, hi) for name, (lo, hi, _) in priors().items()}


def evaluate(base: sim.SimConfig, overrides: list[str], seeds: range,
             until_day: int | None = None) -> dict:
    """Run one parameter set (``overrides`` of ``base``) over ``seeds``; score it on the targets.

    ``base`` is composed once per study and each run varied from it. ``until_day`` keeps only
    the record up to that day (the in-sample half of a time split).
    """
    config = vary(base, changes_of(overrides))
    results = [sim.run(vary(config, {"seed": s})) for s in seeds]
    found = targets.checks([r.daily for r in results], [r.districts for r in results],
                           until_day)
    row = {c.target: c.median for c in found}
    row.update(loss=targets.loss(found), passed=sum(c.passed for c in found), n_targets=len(found))
    return row


def design(n_sets: int, seed: int, ranges: dict) -> pd.DataFrame:
    """A scrambled Latin hypercube of ``n_sets`` parameter sets over ``ranges``."""
    names = list(ranges)
    unit = qmc.LatinHypercube(d=len(names), seed=seed).random(n_sets)
    low = np.array([ranges[n][0] for n in names])
    high = np.array([ranges[n][1] for n in names])
    sets = pd.DataFrame(qmc.scale(unit, low, high), columns=names)
    for name in filter(is_integer, names):
        sets[name] = sets[name].round().astype(int)
    return sets


def overrides_of(row: pd.Series, ranges: dict) -> list[str]:
    """Hydra overrides for one parameter set."""
    return [f"{name}={row[name]:.6g}" for name in ranges]


def main(argv: list[str] | None = None) -> None:
    """Run the design, score it and write the tables."""
    parser = argparse.ArgumentParser(prog="python -m sim.inference.calibration",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--sets", type=int, default=128)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--design-seed", type=int, default=2021)
    parser.add_argument("--out", type=Path, default=Path("outputs/calibration"))
    parser.add_argument("--until-day", type=int, default=None,
                        help="fit only the record up to this day (69 = 9 July: time split)")
    parser.add_argument("--confirm", type=int, default=0, help="re-run the K best sets")
    parser.add_argument("--confirm-seeds", type=int, default=20)
    parser.add_argument("--from-samples", type=Path,
                        help="skip the screening: confirm the sets of an earlier samples.csv")
    args = parser.parse_args(argv)
    ranges = RANGES
    base = sim.load_config()  # composed once: every set and seed is varied from it
    if args.from_samples:
        samples = pd.read_csv(args.from_samples)
    else:
        sets = design(args.sets, args.design_seed, ranges)
        scores = Parallel(n_jobs=args.workers, verbose=5)(
            delayed(evaluate)(base, overrides_of(row, ranges), range(args.seeds), args.until_day)
            for _, row in sets.iterrows())
        samples = pd.concat([sets, pd.DataFrame(scores)], axis=1).sort_values(
            ["passed", "loss"], ascending=[False, True])
    args.out.mkdir(parents=True, exist_ok=True)
    samples.to_csv(args.out / "samples.csv", index=False)
    accepted = samples[samples["passed"] == samples["n_targets"]]
    accepted.to_csv(args.out / "accepted.csv", index=False)
    best = samples.iloc[0]
    if args.confirm:
        top = samples.head(args.confirm)[list(ranges)].reset_index(drop=True)
        fresh = range(1000, 1000 + args.confirm_seeds)  # seeds the screening never saw
        again = Parallel(n_jobs=args.workers, verbose=5)(
            delayed(evaluate)(base, overrides_of(row, ranges), fresh, args.until_day)
            for _, row in top.iterrows())
        confirmed = pd.concat([top, pd.DataFrame(again)], axis=1).sort_values(
            ["passed", "loss"], ascending=[False, True])
        confirmed.to_csv(args.out / "confirmed.csv", index=False)
        best = confirmed.iloc[0]
    (args.out / "best.yaml").write_text(yaml.safe_dump(
        {"loss": float(best["loss"]), "passed": int(best["passed"]),
         "overrides": overrides_of(best, ranges)}, sort_keys=False))
    print(f"{len(accepted)} of {len(samples)} sets pass every target; best loss {best['loss']:.3f}")
    print(samples.head(5).T.to_string())


if __name__ == "__main__":
    main()
