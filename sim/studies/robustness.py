"""Where does an answer hold? Prior draws for robustness sweeps, and PRIM scenario discovery.

A robustness sweep (``experiment=robustness``) crosses the air levers with draws of every
uncertain parameter: with ``uncertainty=prior`` each run replaces every parameter that has a
prior (``sim.config.priors``) by a uniform draw from that range, seeded by the run's seed alone
(``sim.uncertainty.prior_draw``), so the arms of one seed share one draw (paired) and the run
folder's ``config.yaml`` records the values drawn.

:func:`discover` then runs the EMA Workbench's PRIM (Friedman and Fisher's patient rule
induction) on the runs: for each case of interest ("Kabul holds to day 120", "at least N
capitals hold on 15 August") it finds the box of inputs (drawn parameters and the lever) in
which the case is most common, and reports its coverage (the share of all cases of interest
inside the box) and density (the share of runs in the box that are cases of interest), with the
number of distinct prior draws in the box: the levers of one seed share a draw, so that is the
box's effective sample.

    python -m sim.studies.robustness outputs/sweeps/robustness [--capitals 5] [--threshold 0.6]
"""

from __future__ import annotations

import argparse
import re
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.config import priors
from sim.outputs import labels

HOLD_DAY = 120
DATE_15_AUGUST = "2021-08-15"


def outcomes(runs: pd.DataFrame, daily: pd.DataFrame) -> pd.DataFrame:
    """Per run (arm, seed): Kabul holds to day 120 (or the horizon) and capitals held on 15 August.

    ``runs`` and ``daily`` are :func:`sim.studies.compare.collect`'s tables.
    """
    kabul = pd.to_numeric(runs["kabul_fell_day"], errors="coerce").astype(float)
    holds = ~(kabul <= np.minimum(runs["days"], HOLD_DAY))
    on = daily[daily["date"] == DATE_15_AUGUST].set_index(["arm", "seed"])["capitals_taliban"]
    fallen = pd.Series([on.get((a, s), np.nan) for a, s in zip(runs["arm"], runs["seed"],
                                                                strict=True)], index=runs.index)
    last = daily.groupby(["arm", "seed"])["capitals_taliban"].last()
    fallen = fallen.fillna(pd.Series([last[(a, s)] for a, s in zip(runs["arm"], runs["seed"],
                                                                      strict=True)],
                                     index=runs.index))
    return pd.DataFrame({"arm": runs["arm"], "seed": runs["seed"], "kabul_holds": holds,
                         "capitals_held_15_august": runs["n_capitals"] - fallen})


def _prim():
    """The EMA Workbench's PRIM module (its import warns about optional parallel back ends)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ema_workbench.analysis import prim
    return prim


ALPHA = 0.05  # PRIM's quasi-p value under which a restriction of the box is kept (it matters)


def _prune(box) -> None:
    """Drop the box's least significant restriction until each left has a quasi-p below ALPHA.

    A restriction's quasi-p (Bryant and Lempert 2010) is a one-sided binomial test of whether
    lifting it would lower the box's density; a restriction that fails it does not matter.
    """
    while True:
        qp = box.qp[box._cur_box]  # the selected box's quasi-p values, per restricted input
        best = {name: min(v for v in sides if v >= 0) for name, sides in qp.items()
                if any(v >= 0 for v in sides)}
        if not best or max(best.values()) <= ALPHA:
            return
        box.drop_restriction(max(best, key=best.get))


def find_box(x: pd.DataFrame, y: np.ndarray, threshold: float, case: str,
             draws: np.ndarray) -> list[dict]:
    """PRIM's box for the cases ``y`` (booleans) over inputs ``x``: one row per input that matters.

    The box is PRIM's last on its peeling trajectory, then pruned to the restrictions whose
    quasi-p value is below :data:`ALPHA`. Returns rows with the case, coverage, density, mass,
    runs in the box, how many distinct prior draws those runs come from (``draws`` gives each
    run's draw, its seed: the levers of one seed share a draw, so a box of 18 runs may rest on 3
    draws), and the input's limits (numbers as lower/upper within the data's min/max, levers as
    the values kept); an empty list if PRIM finds no box (no case of interest, or every run is
    one).
    """
    if y.sum() == 0 or y.all():
        return []
    prim = _prim()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas future warnings inside the workbench
        box = prim.Prim(x, y, threshold=threshold, peel_alpha=0.1, mass_min=0.05).find_box()
        _prune(box)
    stats = {"case": case, "coverage": float(box.coverage), "density": float(box.density),
             "mass": float(box.mass), "n_in_box": int(round(box.mass * len(y))),
             "n_draws_in_box": int(pd.unique(np.asarray(draws)[box.yi]).size),
             "n_cases": int(y.sum()), "n_runs": len(y), "n_draws": int(pd.unique(draws).size)}
    limits, initial = box.box_lim, box.prim.box_init
    rows = []
    for name in x.columns:
        lo, hi = limits[name].iloc[0], limits[name].iloc[1]
        first, last = initial[name].iloc[0], initial[name].iloc[1]
        if isinstance(lo, set):
            if lo != first:
                rows.append({**stats, "input": name, "values": ";".join(sorted(map(str, lo)))})
        elif (lo, hi) != (first, last):
            rows.append({**stats, "input": name, "lower": float(lo), "upper": float(hi),
                         "min": float(first), "max": float(last)})
    if not rows:  # the box is the whole space: no input tells the case apart
        rows.append({**stats, "input": "(none)"})
    return rows


def case_words(case: str) -> str:
    """A case of interest in words: ``Kabul holds to day 120``, ``at least 5 capitals hold...``."""
    capitals = re.fullmatch(r"at_least_(\d+)_capitals_hold_15_august", case)
    if capitals:
        return f"at least {capitals.group(1)} provincial capitals hold on 15 August"
    return "Kabul holds to day 120" if case == "kabul_holds_to_day_120" else case


def condition(row) -> str:
    """One restriction of a box in words, with the input's plain label and unit."""
    name = labels.parameter(row.input)
    if row.input == "lever":
        return "the lever is " + " or ".join(labels.arm(v) for v in row.values.split(";"))
    if row.lower > row.min and row.upper < row.max:
        return (f"the {name} is between {labels.quantity(row.input, row.lower)} and "
                f"{labels.quantity(row.input, row.upper)}")
    if row.lower > row.min:
        return f"the {name} is above {labels.quantity(row.input, row.lower)}"
    return f"the {name} is below {labels.quantity(row.input, row.upper)}"


def box_sentence(rows: pd.DataFrame) -> str:
    """A case's box as a sentence: how often the case happens in it, and under which inputs."""
    r = rows.iloc[0]
    what = case_words(r.case)
    kept = round(r.density * r.n_in_box)
    sample = (f"those runs hold {r.coverage:.0%} of all runs in which it does and rest on "
              f"{int(r.n_draws_in_box)} of the {int(r.n_draws)} draws of the uncertain inputs")
    if r.input == "(none)":
        return (f"No input tells apart the runs in which {what}: it happens in {int(r.n_cases)} "
                f"of {int(r.n_runs)} runs, and no restriction of the inputs passes PRIM's test "
                "of significance.")
    conditions = " and ".join(condition(row) for row in rows.itertuples())
    return (f"{labels.upper_first(what)} in {kept} of {int(r.n_in_box)} runs when {conditions} "
            f"(in {int(r.n_cases)} of {int(r.n_runs)} runs overall); {sample}.")


def inputs(runs: pd.DataFrame) -> pd.DataFrame:
    """PRIM's inputs: the drawn parameters found in the runs table, and the lever (the arm)."""
    names = [n for n in priors() if n in runs.columns]
    x = runs[names].astype(float).reset_index(drop=True)
    if runs["arm"].nunique() > 1:  # one arm: no lever to tell runs apart
        x["lever"] = pd.Categorical(runs["arm"].astype(str).to_numpy())
    return x


def discover(sweep: Path, capitals: int, threshold: float) -> tuple[pd.DataFrame, Figure]:
    """PRIM boxes of a robustness sweep for both cases of interest, and their figure."""
    from sim.studies.compare import collect

    swept = collect(sweep)
    if swept.runs.empty:
        raise ValueError(f"no complete run in {sweep}")
    x = inputs(swept.runs)
    out = outcomes(swept.runs, swept.daily).reset_index(drop=True)
    cases = {"kabul_holds_to_day_120": out["kabul_holds"].to_numpy(bool),
             f"at_least_{capitals}_capitals_hold_15_august":
                 (out["capitals_held_15_august"] >= capitals).to_numpy(bool)}
    draws = swept.runs["seed"].to_numpy()
    rows = [row for case, y in cases.items() for row in find_box(x, y, threshold, case, draws)]
    table = pd.DataFrame(rows, columns=["case", "coverage", "density", "mass", "n_in_box",
                                        "n_draws_in_box", "n_cases", "n_runs", "n_draws",
                                        "input", "lower", "upper", "min", "max", "values"])
    return table, box_figure(table, x, cases)


def box_figure(table: pd.DataFrame, x: pd.DataFrame, cases: dict) -> Figure:
    """One panel per case: the box's limits on each restricted input, as a share of its prior."""
    fig = Figure(figsize=(6 * len(cases), 3.5), layout="constrained")
    for ax, case in zip(np.atleast_1d(fig.subplots(1, len(cases))), cases, strict=True):
        part = table[(table["case"] == case) & table["lower"].notna()]
        ranges = priors()
        for i, row in enumerate(part.itertuples()):
            lo, hi, _ = ranges[row.input]
            ax.barh(i, (row.upper - row.lower) / (hi - lo), left=(row.lower - lo) / (hi - lo),
                    color="#3a6ea5")
        ax.set_yticks(range(len(part)), [labels.parameter(n) for n in part["input"]],
                      fontsize=8)
        ax.set_xlim(0, 1)
        ax.set_xlabel("the box's limits as a share of the input's range")
        y = cases[case]
        head = table[table["case"] == case]
        what = labels.upper_first(case_words(case))
        if head.empty:
            ax.set_title(f"{what}: in {int(y.sum())} of {len(y)} runs; no box", fontsize=9)
        elif head["input"].iloc[0] == "(none)":
            ax.set_title(f"{what}: no input passes PRIM's test", fontsize=9)
        else:
            r = head.iloc[0]
            ax.set_title(f"{what}: in {round(r.density * r.n_in_box)} of {r.n_in_box} runs "
                         f"in the box", fontsize=9)
    return fig


def main(argv: list[str] | None = None) -> int:
    """Find and write the PRIM boxes of a robustness sweep; return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m sim.studies.robustness",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("sweep_dir", type=Path)
    parser.add_argument("--capitals", type=int, default=5,
                        help="the case 'at least N capitals hold on 15 August' (default 5)")
    parser.add_argument("--threshold", type=float, default=0.6,
                        help="PRIM's density threshold, in (0, 1] (default 0.6)")
    args = parser.parse_args(argv)
    if not args.sweep_dir.is_dir():
        print(f"error: sweep_dir {args.sweep_dir}: no such folder", file=sys.stderr)
        return 2
    if not 0 < args.threshold <= 1:
        print(f"error: --threshold {args.threshold}: must be in (0, 1]", file=sys.stderr)
        return 2
    if args.capitals < 0:
        print(f"error: --capitals {args.capitals}: must be at least 0", file=sys.stderr)
        return 2
    try:
        table, fig = discover(args.sweep_dir, args.capitals, args.threshold)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    from sim.studies.compare import _write

    _write(args.sweep_dir / "prim_boxes.csv", lambda p: table.to_csv(p, index=False))
    _write(args.sweep_dir / "prim_boxes.png", lambda p: fig.savefig(p, dpi=120, format="png"))
    print(table.to_string(index=False) if not table.empty else "no box found")
    print(f"-> {args.sweep_dir}/prim_boxes.csv, prim_boxes.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
