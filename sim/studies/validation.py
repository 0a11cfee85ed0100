"""Validation report of the calibrated historical scenario against the 2021 record.

Runs an ensemble of the default scenario on a block of seeds that no tuning saw (100 seeds from
30,000 by default; the defaults were tuned on seeds 0-49; the blocks from 10,000 and 20,000
reported earlier versions of the defaults) and writes, into one folder: the
district-share curve with its median and 90% band against the record (``curve.png``), when the
first capital and Kabul fell (``capitals.png``), changes of hands by cause (``causes.csv``),
maps of control on 1 June, 1 July, 1 August and 15 August (``maps.png``, from the run whose
curve is closest to the ensemble median), and every target with the simulated median, band and
pass/fail (``targets.csv``, ``report.md``), each marked in-sample (dated up to ``--split-day``,
9 July by default) or out-of-sample, for a time-split check of a calibration made with
``python -m sim.inference.calibration --until-day 69``; and, run by run, the share of runs that have each
2021 pattern and the share that have them all, the "2021-like" runs (``patterns.csv``, DESIGN.md
section 1; an event that never happens fails its pattern).

    python -m sim.studies.validation --seeds 100 --first-seed 10000 --workers 2 --out outputs/validation
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
from joblib import Parallel, delayed
from matplotlib.figure import Figure

import sim
from sim import targets
from sim.outputs import plotting
from sim.world.synthetic import build_map

MAP_DATES = ("2021-06-01", "2021-07-01", "2021-08-01", "2021-08-15")


def one_run(overrides: list[str], seed: int) -> sim.RunResult:
    """One seed of the scenario."""
    return sim.run(sim.load_config([*overrides, f"seed={seed}"]))


def capitals_figure(results: list[sim.RunResult]) -> Figure:
    """Histograms of the day the first capital fell and the day Kabul fell."""
    fig = Figure(figsize=(8, 3.5), layout="constrained")
    horizon = results[0].config["days"]
    for ax, key, title in zip(fig.subplots(1, 2), ("first_capital_fell_day", "kabul_fell_day"),
                              ("first provincial capital falls", "Kabul falls"), strict=True):
        days = [r.summary[key] for r in results]
        fell = [d for d in days if d is not None]
        ax.hist(fell, bins=np.arange(0, horizon + 6, 5), color="#b03a2e")
        ax.axvline({"first_capital_fell_day": 97, "kabul_fell_day": 106}[key], color="k",
                   ls="--", label="2021")
        ax.set_title(f"{title} ({len(days) - len(fell)} of {len(days)} runs: never)")
        ax.set_xlabel("day from 1 May 2021")
        ax.legend()
    return fig


def maps_figure(result: sim.RunResult, config: sim.SimConfig) -> Figure:
    """Control maps of one run on the report's dates."""
    fig = Figure(figsize=(12, 9), layout="constrained")
    district_map = build_map(config.space, np.random.default_rng(config.seed))
    for ax, date in zip(fig.subplots(2, 2).ravel(), MAP_DATES, strict=True):
        day = int(config.day_of(date))
        plotting.control_map(district_map, plotting.control_on(result, day), ax=ax,
                             title=f"{date} (day {day}, seed {result.config['seed']})")
    return fig


def causes_table(results: list[sim.RunResult]) -> pd.DataFrame:
    """Share of changes of hands by cause: ensemble median and 90% band."""
    rows = []
    for r in results:
        counts = r.districts["fell_cause"].replace("", np.nan).dropna().value_counts()
        rows.append(counts / counts.sum())
    shares = pd.DataFrame(rows).fillna(0.0)
    return pd.DataFrame({"median": shares.median(), "p05": shares.quantile(0.05),
                         "p95": shares.quantile(0.95)}).round(3).sort_values("median",
                                                                              ascending=False)


def main(argv: list[str] | None = None) -> None:
    """Run the ensemble and write the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     prog="python -m sim.studies.validation")
    parser.add_argument("--seeds", type=int, default=100)
    parser.add_argument("--first-seed", type=int, default=30_000,
                        help="first seed of the block (tuning used seeds 0-49)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("outputs/validation"))
    parser.add_argument("--split-day", type=int, default=69,
                        help="targets dated up to this day are in-sample (69 = 9 July)")
    parser.add_argument("overrides", nargs="*", default=[])
    args = parser.parse_args(argv)
    config = sim.load_config(args.overrides)
    results = Parallel(n_jobs=args.workers)(
        delayed(one_run)(args.overrides, s)
        for s in range(args.first_seed, args.first_seed + args.seeds))
    args.out.mkdir(parents=True, exist_ok=True)
    dailies = [r.daily for r in results]
    n = len(results[0].districts)
    plotting.district_curve(dailies, n).savefig(args.out / "curve.png", dpi=120)
    capitals_figure(results).savefig(args.out / "capitals.png", dpi=120)
    curves = np.array([d["districts_taliban"].to_numpy() for d in dailies])
    typical = int(np.argmin(np.abs(curves - np.median(curves, axis=0)).sum(axis=1)))
    maps_figure(results[typical], config).savefig(args.out / "maps.png", dpi=110)
    causes = causes_table(results)
    causes.to_csv(args.out / "causes.csv")
    found = targets.checks(dailies, [r.districts for r in results])
    table = targets.table(found)
    in_sample = {c.target for c in targets.checks(dailies, [r.districts for r in results],
                                                  args.split_day)}
    table.insert(1, "sample", [f"in (to day {args.split_day})" if t in in_sample else "out"
                               for t in table["target"]])
    table.to_csv(args.out / "targets.csv", index=False)
    patterns = targets.pattern_shares(dailies, n).rename("share of runs").to_frame()
    patterns.to_csv(args.out / "patterns.csv")
    last = args.first_seed + args.seeds - 1
    report = [f"# Validation: seeds {args.first_seed}-{last} of `{config.scenario.name}`",
              f"Overrides: {' '.join(args.overrides) or '(defaults)'}", "",
              f"{patterns.loc['all'].iloc[0]:.0%} of the runs are 2021-like (every pattern at "
              f"once); {sum(c.passed for c in found)} of {len(found)} targets pass "
              "(ensemble median inside the allowed range).", "",
              "## Run by run: share of runs with each pattern", "",
              patterns.to_markdown(floatfmt=".2f"), "",
              "## Ensemble medians against the record", "",
              table.to_markdown(index=False), "", "## Changes of hands by cause", "",
              causes.to_markdown(), "",
              "![curve](curve.png)", "![capitals](capitals.png)", "![maps](maps.png)"]
    (args.out / "report.md").write_text("\n".join(report) + "\n")
    print("\n".join(report[:5]))
    print(patterns.to_string(float_format="%.2f"))
    print(table.to_string(index=False))


if __name__ == "__main__":
    main()
