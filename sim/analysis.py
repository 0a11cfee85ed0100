"""Ensemble analysis: one outcome row per run, and paired differences between scenario arms.

Arms are compared seed by seed (common random numbers), with 95% t-intervals on the mean paired
difference and Wilson intervals on the probability that Kabul falls.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

OUTCOMES = ["taliban_2021-06-15", "taliban_2021-07-05", "taliban_2021-08-10", "final_taliban",
            "first_capital_fell_day", "kabul_fell_day", "kabul_fell", "surrenders",
            "equipment_captured"]


def outcome_row(summary: dict, daily: pd.DataFrame) -> dict:
    """The outcomes of one run, from its summary and daily table."""
    on = summary["districts_taliban_on"]
    return {
        "scenario": summary["scenario"], "seed": summary["seed"], "days": summary["days"],
        **{f"taliban_{d}": on.get(d, np.nan) for d in ("2021-06-15", "2021-07-05", "2021-08-10")},
        "final_taliban": summary["final_districts_taliban"],
        "first_capital_fell_day": summary["first_capital_fell_day"],
        "kabul_fell_day": summary["kabul_fell_day"],
        "kabul_fell": summary["kabul_fell_day"] is not None,
        "surrenders": int(daily[["surrenders_today", "negotiations_today"]].sum().sum()),
        "equipment_captured": summary["equipment_captured"],
    }


def mean_ci(values: pd.Series) -> tuple[float, float, float]:
    """Mean with a 95% t-interval (NaN bounds for fewer than two values)."""
    values = values.dropna().astype(float)
    mean = values.mean() if len(values) else np.nan
    if len(values) < 2:
        return mean, np.nan, np.nan
    half = stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values))
    return mean, mean - half, mean + half


def paired_differences(runs: pd.DataFrame, baseline: str = "historical",
                       outcomes: list[str] = OUTCOMES, by: str = "scenario") -> pd.DataFrame:
    """For each arm (column ``by``), mean paired difference from the baseline arm, same seed."""
    base = runs[runs[by] == baseline].set_index("seed")
    out = []
    for scenario, arm in runs.groupby(by):
        arm = arm.set_index("seed")
        seeds = arm.index.intersection(base.index)
        kabul = int(arm["kabul_fell"].sum())
        ci = stats.binomtest(kabul, len(arm)).proportion_ci(method="wilson")
        row = {by: scenario, "n_runs": len(arm), "n_paired": len(seeds),
               "p_kabul_falls": kabul / len(arm), "p_kabul_falls_ci95_low": ci.low,
               "p_kabul_falls_ci95_high": ci.high}
        for outcome in outcomes:
            diff = arm.loc[seeds, outcome].astype(float) - base.loc[seeds, outcome].astype(float)
            mean, low, high = mean_ci(diff)
            row.update({f"{outcome}_diff": mean, f"{outcome}_ci95_low": low,
                        f"{outcome}_ci95_high": high, f"{outcome}_n": int(diff.notna().sum())})
        out.append(row)
    return pd.DataFrame(out)
