"""Collect a sweep and compare every scenario against the historical arm, paired by seed.

Writes ``SWEEP_DIR/runs.csv`` (one row per complete run: scenario, seed, outcomes),
``SWEEP_DIR/comparison.csv`` (for each scenario, the mean paired difference from the historical
arm in each outcome, with a 95% t-interval over seeds; the probability that Kabul falls within
the run with a 95% Wilson interval) and ``SWEEP_DIR/compare.png`` (the district curves of all
arms with 90% bands). Incomplete run folders (no ``summary.json``) are reported, not fatal.

    python experiments/compare.py outputs/sweeps/air_support [--baseline historical]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from sim import plotting
from sim.analysis import outcome_row, paired_differences


def collect(sweep: Path) -> tuple[pd.DataFrame, dict[str, list[pd.DataFrame]], list[Path]]:
    """One row per complete run, the daily tables by scenario, and the incomplete folders."""
    rows, dailies, incomplete = [], {}, []
    for folder in sorted(p for p in sweep.iterdir() if p.is_dir() and not p.name.startswith(".")):
        summary_path = folder / "summary.json"
        if not summary_path.exists():
            incomplete.append(folder)
            continue
        summary = json.loads(summary_path.read_text())
        daily = pd.read_csv(folder / "daily.csv")
        rows.append({"run": folder.name, **outcome_row(summary, daily)})
        dailies.setdefault(summary["scenario"], []).append(daily)
    return pd.DataFrame(rows), dailies, incomplete


def main(argv: list[str] | None = None) -> int:
    """Collect, compare, plot; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sweep_dir", type=Path)
    parser.add_argument("--baseline", default="historical")
    args = parser.parse_args(argv)
    if not args.sweep_dir.is_dir():
        print(f"error: sweep_dir {args.sweep_dir}: no such folder", file=sys.stderr)
        return 2
    runs, dailies, incomplete = collect(args.sweep_dir)
    for folder in incomplete:
        print(f"incomplete run (no summary.json), left out: {folder}", file=sys.stderr)
    if runs.empty:
        print(f"error: no complete run in {args.sweep_dir}", file=sys.stderr)
        return 2
    runs.sort_values(["scenario", "seed"]).to_csv(args.sweep_dir / "runs.csv", index=False)
    if args.baseline not in set(runs["scenario"]):
        print(f"error: --baseline {args.baseline!r} is not among the scenarios "
              f"{sorted(set(runs['scenario']))}", file=sys.stderr)
        return 2
    comparison = paired_differences(runs, args.baseline)
    comparison.to_csv(args.sweep_dir / "comparison.csv", index=False)
    n_districts = len(pd.read_csv(next(args.sweep_dir.glob("*/districts.csv"))))
    fig = plotting.compare_curves(dailies, n_districts)
    fig.savefig(args.sweep_dir / "compare.png", dpi=120)
    cols = ["scenario", "n_runs", "p_kabul_falls", "final_taliban_diff", "final_taliban_ci95_low",
            "final_taliban_ci95_high", "kabul_fell_day_diff"]
    print(comparison[cols].round(3).to_string(index=False))
    print(f"{len(runs)} runs ({len(incomplete)} incomplete) -> {args.sweep_dir}/runs.csv, "
          "comparison.csv, compare.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
