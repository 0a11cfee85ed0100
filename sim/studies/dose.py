"""How much, and from when? Dose-response and timing tables of air support, with intervals.

Two outcomes a policy team asks about, per run: whether Kabul holds to day 120 (or to the run's
horizon if shorter), and how many provincial capitals the government holds on 15 August 2021.

- :func:`dose_table`: a sweep over the US strike rate (``experiment=air_dose``, scenarios
  ``us_rate_*``): per rate, the share of runs in which Kabul holds (Wilson 95% interval) and the
  mean capitals held (95% bootstrap interval, inside [0, 34] by construction:
  :func:`sim.outputs.analysis.bootstrap_mean`); the historical run is drawn as a reference.
- :func:`timing_table`: a sweep of branch dates (``experiment=air_timing``, scenarios with a
  ``branch_date``): each arm against the historical run, paired by seed (a branch shares the
  historical run's history up to its date): the paired difference in P(Kabul holds) with its
  Bonett-Price interval (as in ``comparison.csv``), and the mean paired difference in capitals
  held with the bootstrap interval of the paired differences.

    python -m sim.studies.dose outputs/sweeps/air_dose      # dose.csv, dose.png
    python -m sim.studies.dose outputs/sweeps/air_timing    # timing.csv, timing.png
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from scipy import stats

from sim.outputs import labels
from sim.outputs.analysis import bootstrap_mean, paired_proportions
from sim.studies.robustness import outcomes

RATE = "air.us_strikes_per_day"
BRANCH = "branch_date"
CONFIDENCE = 0.95


def wilson(k: int, n: int) -> tuple[float, float]:
    """Wilson 95% interval of a proportion ``k / n``."""
    ci = stats.binomtest(k, n).proportion_ci(CONFIDENCE, method="wilson")
    return float(ci.low), float(ci.high)


DOSE_ARMS = "us_rate"  # the dose arms' scenario names start with it


def summary_row(part: pd.DataFrame) -> dict:
    """P(Kabul holds) and mean capitals held on 15 August of some runs, with 95% intervals."""
    k, n = int(part["kabul_holds"].sum()), len(part)
    lo, hi = wilson(k, n)
    mean, cap_lo, cap_hi = bootstrap_mean(part["capitals_held_15_august"])
    return {"n_runs": n, "p_kabul_holds": k / n, "p_kabul_holds_low": lo,
            "p_kabul_holds_high": hi, "capitals_held_15_august": mean,
            "capitals_held_low": cap_lo, "capitals_held_high": cap_hi}


def dose_table(runs: pd.DataFrame, daily: pd.DataFrame) -> pd.DataFrame:
    """Per US strike rate: P(Kabul holds) and capitals held on 15 August, with intervals.

    Rows come from the ``us_rate*`` arms, by rate; a last row ``historical`` (rate NaN) gives the
    historical run's values for reference, if the sweep has it.
    """
    out = outcomes(runs, daily).assign(rate=runs[RATE].astype(float).to_numpy())
    dosed = out["arm"].astype(str).str.startswith(DOSE_ARMS)
    rows = [{"arm": f"us_rate={rate:g}", "us_strikes_per_day": rate, **summary_row(part)}
            for rate, part in out[dosed].groupby("rate")]
    history = out[out["arm"] == "historical"]
    if len(history):
        rows.append({"arm": "historical", "us_strikes_per_day": np.nan, **summary_row(history)})
    return pd.DataFrame(rows)


def paired_change(high: pd.DataFrame, low: pd.DataFrame) -> dict:
    """Paired change from ``low`` to ``high`` runs (by seed) in both outcomes, 95% intervals."""
    seeds = high.index.intersection(low.index)
    d, d_lo, d_hi, _ = paired_proportions(high.loc[seeds, "kabul_holds"].to_numpy(bool),
                                          low.loc[seeds, "kabul_holds"].to_numpy(bool))
    caps = (high.loc[seeds, "capitals_held_15_august"]
            - low.loc[seeds, "capitals_held_15_august"]).to_numpy(float)
    c, c_lo, c_hi = bootstrap_mean(caps)
    return {"n_pairs": len(seeds), "diff_p_kabul_holds": d, "diff_p_low": d_lo,
            "diff_p_high": d_hi, "diff_capitals_held_15_august": c, "diff_capitals_low": c_lo,
            "diff_capitals_high": c_hi}


def steps(runs: pd.DataFrame, daily: pd.DataFrame) -> pd.DataFrame:
    """Each step up in the US strike rate, and the whole range, paired by seed, 95% intervals."""
    out = outcomes(runs, daily).assign(rate=runs[RATE].astype(float).to_numpy())
    out = out[out["arm"].astype(str).str.startswith(DOSE_ARMS)]
    by_rate = {rate: part.set_index("seed") for rate, part in out.groupby("rate")}
    rates = sorted(by_rate)
    pairs = [*zip(rates, rates[1:], strict=False), (rates[0], rates[-1])]
    return pd.DataFrame([{"from_rate": a, "to_rate": b, "whole_range": i == len(pairs) - 1,
                          **paired_change(by_rate[b], by_rate[a])}
                         for i, (a, b) in enumerate(pairs)])


def verdict(table: pd.DataFrame, outcome: str) -> str:
    """Whether an outcome rises with the strike rate, in words: monotone, not, or cannot tell yet.

    Args:
        table: :func:`steps`.
        outcome: ``p_kabul_holds`` or ``capitals_held_15_august``.
    """
    mid, lo, hi = ((f"diff_{outcome}", "diff_p_low", "diff_p_high") if outcome == "p_kabul_holds"
                   else (f"diff_{outcome}", "diff_capitals_low", "diff_capitals_high"))
    what = "the share of runs in which Kabul holds to day 120" if outcome == "p_kabul_holds" \
        else "the number of provincial capitals held on 15 August"
    adjacent, whole = table[~table["whole_range"]], table[table["whole_range"]].iloc[0]
    n = int(adjacent["n_pairs"].min())
    span = (f"{whole.to_rate:g} against {whole.from_rate:g} strikes a day: "
            f"{whole[mid]:+.2f} (95% CI {whole[lo]:+.2f} to {whole[hi]:+.2f})")
    falls = adjacent[adjacent[hi] < 0]
    if len(falls):
        r = falls.iloc[0]
        return (f"Not monotone: {what} falls from {r.from_rate:g} to {r.to_rate:g} strikes a day "
                f"({r[mid]:+.2f}, 95% CI {r[lo]:+.2f} to {r[hi]:+.2f}), beyond the noise of {n} "
                f"paired seeds. Why is not yet known; the runs of those two rates are the place "
                f"to look. Over the whole range, {span}.")
    dips = adjacent[adjacent[mid] < 0]
    noise = ("" if dips.empty else " Its dips (" + ", ".join(
        f"{r.from_rate:g} to {r.to_rate:g} a day: {r[mid]:+.2f}" for _, r in dips.iterrows())
        + f") are within the noise of {n} paired seeds.")
    if whole[lo] > 0:
        return (f"Monotone as far as {n} seeds a rate can tell: {what} rises with the strike "
                f"rate, {span}.{noise}")
    half = (whole[hi] - whole[lo]) / 2
    need = "" if whole[mid] == 0 else (
        f" Telling a change of {abs(whole[mid]):.2f} from none would need about "
        f"{int(np.ceil(n * (half / abs(whole[mid])) ** 2))} seeds a rate.")
    return (f"Cannot tell yet with {n} seeds a rate whether {what} rises with the strike rate: "
            f"{span}, an interval that includes no change.{noise}{need}")


def timing_table(runs: pd.DataFrame, daily: pd.DataFrame,
                 baseline: str = "historical") -> pd.DataFrame:
    """Each branched arm against the historical run, paired by seed, by its branch date."""
    out = outcomes(runs, daily).assign(branch=runs[BRANCH].to_numpy())
    base = out[out["arm"] == baseline].set_index("seed")
    rows = []
    for (arm, branch), part in out[out["branch"].notna()].groupby(["arm", "branch"]):
        part = part.set_index("seed")
        seeds = part.index.intersection(base.index)
        holds = part.loc[seeds, "kabul_holds"].to_numpy(bool)
        base_holds = base.loc[seeds, "kabul_holds"].to_numpy(bool)
        caps = part.loc[seeds, "capitals_held_15_august"] \
            - base.loc[seeds, "capitals_held_15_august"]
        d_holds, h_lo, h_hi, _ = paired_proportions(holds, base_holds)
        d_caps, c_lo, c_hi = bootstrap_mean(caps.to_numpy())
        rows.append({"branch_date": str(branch), "arm": arm, "n_pairs": len(seeds),
                     "p_kabul_holds": float(holds.mean()),
                     "p_kabul_holds_baseline": float(base_holds.mean()),
                     "diff_p_kabul_holds": d_holds, "diff_p_low": h_lo, "diff_p_high": h_hi,
                     "diff_capitals_held_15_august": d_caps, "diff_capitals_low": c_lo,
                     "diff_capitals_high": c_hi})
    return pd.DataFrame(rows).sort_values("branch_date", ignore_index=True)


def dose_figure(table: pd.DataFrame, title: str = "") -> Figure:
    """P(Kabul holds to day 120) and capitals held on 15 August against the US strike rate."""
    fig = Figure(figsize=(9, 3.6), layout="constrained")
    left, right = fig.subplots(1, 2)
    history = table[table["arm"] == "historical"]
    for _, row in history.iterrows():
        for ax, value in ((left, row["p_kabul_holds"]), (right, row["capitals_held_15_august"])):
            ax.axhline(value, color=labels.colour("historical"), ls="--", lw=0.8,
                       label=labels.arm("historical"))
    table = table[table["arm"] != "historical"]
    x = table["us_strikes_per_day"]
    left.errorbar(x, table["p_kabul_holds"],
                  yerr=[table["p_kabul_holds"] - table["p_kabul_holds_low"],
                        table["p_kabul_holds_high"] - table["p_kabul_holds"]],
                  marker="o", capsize=3, color=labels.colour("us_2019_rate"))
    left.set(xlabel="US strikes per day (constant from 1 May)",
             ylabel="share of runs in which Kabul holds",
             title="Kabul holds to day 120 (Wilson 95%)", ylim=(-0.02, 1.02))
    right.errorbar(x, table["capitals_held_15_august"],
                   yerr=[table["capitals_held_15_august"] - table["capitals_held_low"],
                         table["capitals_held_high"] - table["capitals_held_15_august"]],
                   marker="o", capsize=3, color=labels.colour("us_2019_rate"))
    right.set(xlabel="US strikes per day (constant from 1 May)",
              ylabel="provincial capitals held (of 34)",
              title="Capitals held on 15 August (mean, 95% bootstrap)", ylim=(-0.5, 34.5))
    for ax in (left, right):
        ax.title.set_fontsize(10)
        if len(history):
            ax.legend(fontsize=8, loc="upper left")
    if title:
        fig.suptitle(title, fontsize=9)
    return fig


def timing_figure(table: pd.DataFrame, title: str = "") -> Figure:
    """The levers' paired effect against the date they start from, with 95% intervals.

    Bonett-Price for P(Kabul holds), the bootstrap of the paired differences for capitals held.
    """
    fig = Figure(figsize=(9, 3.6), layout="constrained")
    axes = fig.subplots(1, 2)
    panels = (("diff_p_kabul_holds", "diff_p_low", "diff_p_high",
               "Kabul holds to day 120", "change in the share of runs"),
              ("diff_capitals_held_15_august", "diff_capitals_low", "diff_capitals_high",
               "Capitals held on 15 August", "change in capitals held"))
    for ax, (mid, lo, hi, title_, unit) in zip(axes, panels, strict=True):
        ax.errorbar([labels.date(d) for d in table["branch_date"]], table[mid],
                    yerr=[table[mid] - table[lo], table[hi] - table[mid]],
                    marker="o", capsize=3, color=labels.colour("all_air_levers"))
        ax.axhline(0, color="grey", lw=0.8)
        ax.set(xlabel="all air levers act from (2021)", ylabel=unit,
               title=f"{title_}: change against the historical run")
        ax.title.set_fontsize(10)
    if title:
        fig.suptitle(title, fontsize=9)
    return fig


def main(argv: list[str] | None = None) -> int:
    """Write the dose (or timing) table and figure of a sweep; return the exit code."""
    from sim.studies.compare import _write, collect

    parser = argparse.ArgumentParser(prog="python -m sim.studies.dose",
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
    elif runs["arm"].astype(str).str.startswith(DOSE_ARMS).any():
        name, table = "dose", dose_table(runs, swept.daily)
        fig = dose_figure(table, title)
    else:
        print(f"error: {args.sweep_dir}: no {DOSE_ARMS}_* arm and no {BRANCH} in its runs "
              "(run experiment=air_dose or experiment=air_timing)", file=sys.stderr)
        return 2
    _write(args.sweep_dir / f"{name}.csv", lambda p: table.to_csv(p, index=False))
    _write(args.sweep_dir / f"{name}.png", lambda p: fig.savefig(p, dpi=120, format="png"))
    print(table.round(3).to_string(index=False))
    print(f"-> {args.sweep_dir}/{name}.csv, {name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
