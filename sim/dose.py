"""How much, and from when? Dose-response and timing tables of air support, with intervals.

Two outcomes a policy team asks about, per run: whether Kabul holds to day 120 (or to the run's
horizon if shorter), and how many provincial capitals the government holds on 15 August 2021.

- :func:`dose_table`: a sweep over the US strike rate (``experiment=air_dose``): per rate, the
  share of runs in which Kabul holds (Wilson 95% interval) and the mean capitals held (95%
  t-interval).
- :func:`timing_table`: a sweep of branch dates (``experiment=air_timing``): per branch date,
  each arm against the historical run branched on the same date, paired by seed (the mean
  paired difference with its t-interval, for both outcomes).

    python experiments/dose.py outputs/sweeps/air_dose      # dose.csv, dose.png
    python experiments/dose.py outputs/sweeps/air_timing    # timing.csv, timing.png
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy import stats

from sim.robustness import outcomes

RATE = "air.us_strikes_per_day"
BRANCH = "branch_date"
CONFIDENCE = 0.95


def wilson(k: int, n: int) -> tuple[float, float]:
    """Wilson 95% interval of a proportion ``k / n``."""
    ci = stats.binomtest(k, n).proportion_ci(CONFIDENCE, method="wilson")
    return float(ci.low), float(ci.high)


def mean_interval(x: np.ndarray) -> tuple[float, float, float]:
    """Mean and its 95% t-interval (the mean twice if fewer than two values or no spread)."""
    x = np.asarray(x, float)
    mean = float(x.mean())
    if len(x) < 2 or x.std(ddof=1) == 0:
        return mean, mean, mean
    half = stats.t.ppf(0.5 + CONFIDENCE / 2, len(x) - 1) * x.std(ddof=1) / np.sqrt(len(x))
    return mean, mean - half, mean + half


def dose_table(runs: pd.DataFrame, daily: pd.DataFrame) -> pd.DataFrame:
    """Per US strike rate: P(Kabul holds) and capitals held on 15 August, with intervals."""
    out = outcomes(runs, daily).assign(rate=runs[RATE].astype(float).to_numpy())
    rows = []
    for rate, part in out.groupby("rate"):
        k, n = int(part["kabul_holds"].sum()), len(part)
        lo, hi = wilson(k, n)
        mean, cap_lo, cap_hi = mean_interval(part["capitals_held_15_august"])
        rows.append({"us_strikes_per_day": rate, "n_runs": n, "p_kabul_holds": k / n,
                     "p_kabul_holds_low": lo, "p_kabul_holds_high": hi,
                     "capitals_held_15_august": mean, "capitals_held_low": cap_lo,
                     "capitals_held_high": cap_hi})
    return pd.DataFrame(rows)


def timing_table(runs: pd.DataFrame, daily: pd.DataFrame,
                 baseline: str = "historical") -> pd.DataFrame:
    """Per branch date and arm: paired differences from the historical arm of the same date."""
    out = outcomes(runs, daily).assign(branch=runs[BRANCH].astype(str).to_numpy(),
                                       lever=[_lever(a) for a in runs["arm"]])
    rows = []
    for branch, part in out.groupby("branch"):
        base = part[part["lever"] == baseline].set_index("seed")
        for lever, arm in part[part["lever"] != baseline].groupby("lever"):
            arm = arm.set_index("seed")
            seeds = arm.index.intersection(base.index)
            holds = arm.loc[seeds, "kabul_holds"].astype(float) \
                - base.loc[seeds, "kabul_holds"].astype(float)
            caps = arm.loc[seeds, "capitals_held_15_august"] \
                - base.loc[seeds, "capitals_held_15_august"]
            d_holds, h_lo, h_hi = mean_interval(holds.to_numpy())
            d_caps, c_lo, c_hi = mean_interval(caps.to_numpy())
            rows.append({"branch_date": branch, "arm": lever, "n_pairs": len(seeds),
                         "p_kabul_holds": float(arm.loc[seeds, "kabul_holds"].mean()),
                         "p_kabul_holds_baseline": float(base.loc[seeds, "kabul_holds"].mean()),
                         "diff_p_kabul_holds": d_holds, "diff_p_low": h_lo, "diff_p_high": h_hi,
                         "diff_capitals_held_15_august": d_caps, "diff_capitals_low": c_lo,
                         "diff_capitals_high": c_hi})
    return pd.DataFrame(rows)


def _lever(arm: str) -> str:
    """An arm's name without its branch date (``all_air_levers,branch_date=...`` -> lever)."""
    return ",".join(p for p in arm.split(",") if not p.startswith(f"{BRANCH}=")) or arm


def dose_figure(table: pd.DataFrame, title: str = "") -> Figure:
    """P(Kabul holds to day 120) and capitals held on 15 August against the US strike rate."""
    fig = Figure(figsize=(9, 3.6), layout="constrained")
    left, right = fig.subplots(1, 2)
    x = table["us_strikes_per_day"]
    left.errorbar(x, table["p_kabul_holds"],
                  yerr=[table["p_kabul_holds"] - table["p_kabul_holds_low"],
                        table["p_kabul_holds_high"] - table["p_kabul_holds"]],
                  marker="o", capsize=3, color="#3a6ea5")
    left.set(xlabel="US strikes per day (constant from 1 May)", ylabel="share of runs",
             title="Kabul holds to day 120 (Wilson 95%)", ylim=(-0.02, 1.02))
    right.errorbar(x, table["capitals_held_15_august"],
                   yerr=[table["capitals_held_15_august"] - table["capitals_held_low"],
                         table["capitals_held_high"] - table["capitals_held_15_august"]],
                   marker="o", capsize=3, color="#a53a3a")
    right.set(xlabel="US strikes per day (constant from 1 May)", ylabel="capitals",
              title="Provincial capitals held on 15 August (mean, 95%)")
    if title:
        fig.suptitle(title, fontsize=9)
    return fig


def timing_figure(table: pd.DataFrame, title: str = "") -> Figure:
    """Each arm's paired effect against the branch date it starts from, with 95% intervals."""
    fig = Figure(figsize=(9, 3.6), layout="constrained")
    axes = fig.subplots(1, 2)
    panels = (("diff_p_kabul_holds", "diff_p_low", "diff_p_high",
               "change in P(Kabul holds to day 120)"),
              ("diff_capitals_held_15_august", "diff_capitals_low", "diff_capitals_high",
               "change in capitals held on 15 August"))
    for ax, (mid, lo, hi, label) in zip(axes, panels, strict=True):
        for lever, part in table.groupby("arm"):
            ax.errorbar(part["branch_date"], part[mid],
                        yerr=[part[mid] - part[lo], part[hi] - part[mid]],
                        marker="o", capsize=3, label=lever)
        ax.axhline(0, color="grey", lw=0.8)
        ax.set(xlabel="levers act from", title=label)
    axes[0].legend(fontsize=8)
    if title:
        fig.suptitle(title, fontsize=9)
    return fig


def main(argv: list[str] | None = None) -> int:
    """Write the dose (or timing) table and figure of a sweep; return the exit code."""
    from sim.compare import _write, collect

    parser = argparse.ArgumentParser(prog="python experiments/dose.py",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("sweep_dir", type=Path)
    args = parser.parse_args(argv)
    if not args.sweep_dir.is_dir():
        print(f"error: sweep_dir {args.sweep_dir}: no such folder", file=sys.stderr)
        return 2
    swept = collect(args.sweep_dir)
    runs = swept.runs
    if runs.empty:
        print(f"error: no complete run in {args.sweep_dir}", file=sys.stderr)
        return 2
    title = f"{args.sweep_dir.resolve().name}: {runs['seed'].nunique()} seeds an arm"
    if BRANCH in runs.columns and runs[BRANCH].notna().any():
        name, table = "timing", timing_table(runs, swept.daily)
        fig = timing_figure(table, title)
    elif RATE in runs.columns:
        name, table = "dose", dose_table(runs, swept.daily)
        fig = dose_figure(table, title)
    else:
        print(f"error: {args.sweep_dir}: neither {RATE} nor {BRANCH} varies across its runs "
              "(run experiment=air_dose or experiment=air_timing)", file=sys.stderr)
        return 2
    _write(args.sweep_dir / f"{name}.csv", lambda p: table.to_csv(p, index=False))
    _write(args.sweep_dir / f"{name}.png", lambda p: fig.savefig(p, dpi=120, format="png"))
    print(table.round(3).to_string(index=False))
    print(f"-> {args.sweep_dir}/{name}.csv, {name}.png")
    return 0
