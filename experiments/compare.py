"""Collect a sweep and compare every arm against the historical one, paired by seed.

An arm is what the sweep varied apart from the seed, read from each run's Hydra overrides: the
scenario in a named study (``historical``, ``no_air``...), or e.g. ``air=none`` in
``python -m sim -m air=historical,none seed=range(0,10)``.

Writes ``SWEEP_DIR/runs.csv`` (one row per complete run: arm, scenario, seed, outcomes),
``SWEEP_DIR/comparison.csv`` (for each arm, the mean paired difference from the baseline arm
in each outcome, with a 95% t-interval over seeds; the probability that Kabul falls within the
run with a 95% Wilson interval) and ``SWEEP_DIR/compare.png`` (the district curves of all arms
with 90% bands). Incomplete run folders (no ``summary.json``) are reported, not fatal.

    python experiments/compare.py outputs/sweeps/air_support [--baseline historical]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd
import yaml

from sim import plotting
from sim.analysis import outcome_row, paired_differences


def overrides_of(folder: Path) -> dict[str, str]:
    """The Hydra overrides a run was launched with (empty when run outside Hydra)."""
    path = folder / ".hydra" / "overrides.yaml"
    if not path.exists():
        return {}
    return dict(item.split("=", 1) for item in yaml.safe_load(path.read_text()) if "=" in item)


def arm_labels(runs: list[dict], overrides: list[dict[str, str]]) -> list[str]:
    """Name each run's arm by the overrides that vary across the sweep (the seed aside)."""
    keys = sorted({k for o in overrides for k in o} - {"seed"})
    varying = [k for k in keys if len({o.get(k) for o in overrides}) > 1]
    if varying == ["scenario"] or not varying:
        return [r["scenario"] for r in runs]
    return [",".join(f"{k}={o.get(k)}" for k in varying) for o in overrides]


def collect(sweep: Path) -> tuple[pd.DataFrame, dict[str, list[pd.DataFrame]], list[Path]]:
    """One row per complete run, the daily tables by arm, and the incomplete folders."""
    rows, dailies, overrides, incomplete = [], [], [], []
    for folder in sorted(p for p in sweep.iterdir() if p.is_dir() and not p.name.startswith(".")):
        summary_path = folder / "summary.json"
        if not summary_path.exists():
            incomplete.append(folder)
            continue
        summary = json.loads(summary_path.read_text())
        daily = pd.read_csv(folder / "daily.csv")
        rows.append({"run": folder.name, **outcome_row(summary, daily)})
        dailies.append(daily)
        overrides.append(overrides_of(folder))
    arms = arm_labels(rows, overrides)
    by_arm: dict[str, list[pd.DataFrame]] = {}
    for arm, row, daily in zip(arms, rows, dailies, strict=True):
        row["arm"] = arm
        by_arm.setdefault(arm, []).append(daily)
    return pd.DataFrame(rows), by_arm, incomplete


def baseline_arm(wanted: str, arms: set[str]) -> str | None:
    """The arm named ``wanted``, or the one arm whose label contains it (``air=historical``)."""
    if wanted in arms:
        return wanted
    matches = [a for a in arms if wanted in a.split(",") or any(
        part.split("=", 1)[-1] == wanted for part in a.split(","))]
    return matches[0] if len(matches) == 1 else None


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
    runs = runs[["arm", *[c for c in runs.columns if c != "arm"]]]
    runs.sort_values(["arm", "seed"]).to_csv(args.sweep_dir / "runs.csv", index=False)
    baseline = baseline_arm(args.baseline, set(runs["arm"]))
    if baseline is None:
        print(f"error: --baseline {args.baseline!r} names none (or several) of the arms "
              f"{sorted(set(runs['arm']))}", file=sys.stderr)
        return 2
    comparison = paired_differences(runs, baseline, by="arm")
    comparison.to_csv(args.sweep_dir / "comparison.csv", index=False)
    n_districts = len(pd.read_csv(next(args.sweep_dir.glob("*/districts.csv"))))
    fig = plotting.compare_curves(dailies, n_districts)
    fig.savefig(args.sweep_dir / "compare.png", dpi=120)
    cols = ["arm", "n_runs", "p_kabul_falls", "final_taliban_diff", "final_taliban_ci95_low",
            "final_taliban_ci95_high", "kabul_fell_day_diff"]
    print(comparison[cols].round(3).to_string(index=False))
    print(f"{len(runs)} runs ({len(incomplete)} incomplete) -> {args.sweep_dir}/runs.csv, "
          "comparison.csv, compare.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
