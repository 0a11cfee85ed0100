"""Global sensitivity analysis with SALib: Morris screening, then Sobol on the few that matter.

Samples the uncertain parameters inside the priors declared beside their fields in
``sim/config/`` (:func:`sim.config.priors`, the same ranges the calibration draws), runs the
model
once per sample (each with its own seed), and writes, for each outcome, the Morris elementary
effects (``morris.csv``) and the first-order and total Sobol indices of the ``--top`` parameters
with the largest Morris mu* (``sobol.csv``), with bar charts (``morris.png``, ``sobol.png``).
The first capital's day is restricted to the horizon: a run in which no capital fell counts as
its last day.

    python -m sim.studies.sensitivity --trajectories 10 --sobol-n 64 --top 3 --workers 2
    python -m sim.studies.sensitivity --trajectories 2 --sobol-n 8 debug=tiny   # a quick look
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

import sim
from sim.config import is_integer, priors
from sim.outputs.analysis import outcome_row

# The uncertain parameters and their ranges: the priors declared beside their fields in sim/config/.
PARAMETERS: dict[str, tuple[float, float]] = {name: (lo, hi) for name, (lo, hi, _) in
                                              priors().items()}
OUTCOMES = ("share_taliban_day_60", "share_taliban_final", "days_until_first_capital_falls")


def outcomes(result: sim.RunResult) -> list[float]:
    """The outcomes of one sample's run.

    The first capital's day is the restricted time ``min(day it fell, horizon)``
    (:func:`sim.outputs.analysis.outcome_row`): a run in which no capital fell counts as the horizon, the
    run's last day, rather than an invented later day such as the horizon + 30.
    """
    daily, n = result.daily, len(result.districts)
    return [daily["districts_taliban"].iloc[min(60, len(daily) - 1)] / n,
            daily["districts_taliban"].iloc[-1] / n,
            outcome_row(result.summary, daily)["days_until_first_capital_falls"]]


def values_of(names: list[str], row) -> dict[str, float]:
    """Sampled values by field name, rounded for integer fields."""
    return {n: int(round(v)) if is_integer(n) else float(v) for n, v in zip(names, row, strict=True)}


def salib_problem(names: list[str]) -> dict:
    """The SALib problem over ``names`` (default: every uncertain parameter), bounds from priors."""
    return {"num_vars": len(names), "names": names, "bounds": [PARAMETERS[n] for n in names]}


def evaluate(base: sim.SimConfig, names: list[str], samples: np.ndarray,
             workers: int) -> np.ndarray:
    """Outcomes of every sample row (sample i runs with seed i), varied from one composed config."""
    configs = [sim.batch.vary(base, {"seed": i, **values_of(names, row)})
               for i, row in enumerate(samples)]
    return np.array(sim.run_many(configs, n_jobs=workers, keep=outcomes))


def bar_chart(table: pd.DataFrame, value: str, error: str, title: str) -> Figure:
    """One bar chart panel per outcome."""
    fig = Figure(figsize=(4 * len(OUTCOMES), 3.8), layout="constrained")
    for ax, outcome in zip(fig.subplots(1, len(OUTCOMES)), OUTCOMES, strict=True):
        part = table[table["outcome"] == outcome]
        ax.barh(part["parameter"], part[value], xerr=part[error], color="#3a6ea5")
        ax.set_title(f"{outcome}\n{title}", fontsize=9)
    return fig


def main(argv: list[str] | None = None) -> None:
    """Morris screening, then Sobol indices of the top parameters."""
    parser = argparse.ArgumentParser(prog="python -m sim.studies.sensitivity",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--trajectories", type=int, default=10)
    parser.add_argument("--sobol-n", type=int, default=64, help="a power of 2")
    parser.add_argument("--top", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("outputs/sensitivity"))
    parser.add_argument("overrides", nargs="*", default=[])
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    names = list(PARAMETERS)
    problem = salib_problem(names)
    x = morris_sample.sample(problem, args.trajectories, seed=0)
    base = sim.load_config(args.overrides)
    y = evaluate(base, names, x, args.workers)
    rows = []
    for j, outcome in enumerate(OUTCOMES):
        res = morris_analyze.analyze(problem, x, y[:, j], seed=0)
        rows += [{"outcome": outcome, "parameter": p, "mu_star": m, "mu_star_conf": c,
                  "sigma": s} for p, m, c, s in zip(names, res["mu_star"], res["mu_star_conf"],
                                                    res["sigma"], strict=True)]
    morris = pd.DataFrame(rows)
    morris.to_csv(args.out / "morris.csv", index=False)
    bar_chart(morris, "mu_star", "mu_star_conf", "Morris mu*").savefig(args.out / "morris.png")

    scaled = morris.assign(rel=morris.groupby("outcome")["mu_star"].transform(
        lambda m: m / m.max() if m.max() > 0 else m))
    top = scaled.groupby("parameter")["rel"].mean().nlargest(args.top).index.tolist()
    rest = [n for n in names if n not in top]
    sub = salib_problem(top)
    xs = sobol_sample.sample(sub, args.sobol_n, calc_second_order=False, seed=0)
    fixed = values_of(rest, [np.mean(PARAMETERS[n]) for n in rest])
    ys = evaluate(sim.batch.vary(base, fixed), top, xs, args.workers)
    rows = []
    for j, outcome in enumerate(OUTCOMES):
        if np.std(ys[:, j]) == 0:  # the outcome never varied: no variance to apportion
            print(f"{outcome}: constant over the Sobol sample, indices left empty")
            res = {k: [np.nan] * len(top) for k in ("S1", "S1_conf", "ST", "ST_conf")}
        else:
            res = sobol_analyze.analyze(sub, ys[:, j], calc_second_order=False, seed=0)
        rows += [{"outcome": outcome, "parameter": p, "S1": s1, "S1_conf": c1, "ST": st,
                  "ST_conf": ct} for p, s1, c1, st, ct in zip(
                      top, res["S1"], res["S1_conf"], res["ST"], res["ST_conf"], strict=True)]
    sobol = pd.DataFrame(rows)
    sobol.to_csv(args.out / "sobol.csv", index=False)
    bar_chart(sobol, "ST", "ST_conf", "Sobol total index").savefig(args.out / "sobol.png")
    print(f"Morris on {len(names)} parameters ({len(x)} runs); Sobol on {top} ({len(xs)} runs)")
    print(sobol.round(3).to_string(index=False))


if __name__ == "__main__":
    main()
