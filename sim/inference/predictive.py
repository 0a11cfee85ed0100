"""What a posterior predicts: posterior-predictive runs, coverage of the record, and figures.

Coverage (:func:`coverage`): for every record point (district and contested counts as shares,
capitals fallen, the first capital's and Kabul's days), whether the record lies inside the 90%
band (5th to 95th percentile) of the posterior-predictive runs, and the share of points inside,
split into in-sample (dated up to the split day) and out-of-sample points. For a time-split
check the posterior must come from an inference fitted only up to that day
(``python -m sim.inference.infer run --until-day 69``). Event days of runs in which the event did not
happen count at the horizon, so such a band reads "day q05 or later".
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.batch import vary
from sim.config import SimConfig, as_dict
from sim.inference import likelihood
from sim.inference.inference import ess, ranges
from sim.inference.run_store import RunStore
from sim.outputs.result import config_hash
from sim.uncertainty import realise


def predictive_runs(base: SimConfig, posterior: str, n_runs: int, store: RunStore,
                    workers: int = 1) -> list[dict]:
    """Observations of ``n_runs`` posterior-predictive runs (run i: draw i, seed i), resumable."""
    configs = [realise(vary(base, {"seed": i, "uncertainty.kind": "POSTERIOR",
                                   "uncertainty.posterior": str(posterior)}))
               for i in range(n_runs)]
    keys = [config_hash(as_dict(c)) for c in configs]
    found = store.get(keys)
    todo = [i for i, k in enumerate(keys) if k not in found]
    if todo:
        from sim.batch import run_many

        observed = run_many([configs[i] for i in todo], n_jobs=workers,
                            keep=likelihood.observe, progress=False)
        store.add([(keys[i], i, {}, o) for i, o in zip(todo, observed, strict=True)])
        found.update({keys[i]: o for i, o in zip(todo, observed, strict=True)})
    return [found[k] for k in keys]


def coverage(observations: list[dict], split_day: int = 69, level: float = 0.9) -> pd.DataFrame:
    """Every record point against the runs' central ``level`` band; one row per point.

    Columns: series, date, day, sample ("in" if dated up to ``split_day``, else "out"), record,
    low, median, high, inside (an event day not reached by a run counts as its horizon).
    """
    q = ((1 - level) / 2, (1 + level) / 2)
    rows = []
    points = likelihood.record_points()
    shares = np.array([o["share"] for o in observations])
    for i, p in points.iterrows():
        low, median, high = np.quantile(shares[:, i], (q[0], 0.5, q[1]))
        rows.append({"series": p["series"], "date": p["date"], "day": p["day"],
                     "record": p["observed"] / p["total"], "low": low, "median": median,
                     "high": high})
    for event, (date, _) in likelihood.EVENTS.items():
        days = np.array([o["horizon"] if o[event] is None else o[event] for o in observations])
        low, median, high = np.quantile(days, (q[0], 0.5, q[1]))
        day = likelihood._day(date)
        open_ended = high >= max(o["horizon"] for o in observations)
        rows.append({"series": event, "date": date, "day": day, "record": float(day),
                     "low": low, "median": median, "high": np.inf if open_ended else high})
    table = pd.DataFrame(rows)
    table.insert(3, "sample", np.where(table["day"] <= split_day, "in", "out"))
    table["inside"] = (table["record"] >= table["low"]) & (table["record"] <= table["high"])
    return table


def coverage_summary(table: pd.DataFrame) -> pd.DataFrame:
    """The share of record points inside the band, in-sample, out-of-sample and overall."""
    parts = {"in": table[table["sample"] == "in"], "out": table[table["sample"] == "out"],
             "all": table}
    return pd.DataFrame([{"sample": k, "points": len(v), "inside": int(v["inside"].sum()),
                          "coverage": v["inside"].mean() if len(v) else np.nan}
                         for k, v in parts.items()])


def marginals_figure(posterior: pd.DataFrame) -> Figure:
    """Weighted histogram of every parameter over its prior range (prior: flat dashed line)."""
    names = list(ranges())
    cols = 5
    rows = -(-len(names) // cols)
    fig = Figure(figsize=(3 * cols, 2.2 * rows), layout="constrained")
    weight = posterior["weight"].to_numpy(float)
    for ax, name in zip(fig.subplots(rows, cols).ravel(), names + [None] * (rows * cols - len(names)),
                        strict=True):
        if name is None:
            ax.set_axis_off()
            continue
        lo, hi = ranges()[name]
        ax.hist(posterior[name], bins=12, range=(lo, hi), weights=weight, density=True,
                color="#3a6ea5")
        ax.axhline(1 / (hi - lo), color="k", ls="--", lw=0.8)
        ax.set_title(name, fontsize=8)
        ax.tick_params(labelsize=6)
    fig.suptitle(f"Posterior marginals ({len(posterior)} draws, effective sample size "
                 f"{ess(weight):.1f}); dashed: the uniform prior")
    return fig


def pairs_figure(posterior: pd.DataFrame, top: int = 5) -> Figure:
    """Pairwise scatter of the ``top`` parameters the data narrowed most (point size: weight).

    Narrowing is one minus the weighted posterior standard deviation over the prior's (uniform)
    standard deviation.
    """
    weight = posterior["weight"].to_numpy(float)
    shrink = {}
    for name, (lo, hi) in ranges().items():
        x = posterior[name].to_numpy(float)
        mean = np.sum(weight * x)
        shrink[name] = 1 - np.sqrt(np.sum(weight * (x - mean) ** 2)) / ((hi - lo) / np.sqrt(12))
    names = sorted(shrink, key=shrink.get, reverse=True)[:top]
    fig = Figure(figsize=(2.4 * top, 2.4 * top), layout="constrained")
    axes = fig.subplots(top, top, squeeze=False)
    size = 4 + 200 * weight / weight.max()
    for i, yn in enumerate(names):
        for j, xn in enumerate(names):
            ax = axes[i, j]
            if i == j:
                ax.hist(posterior[xn], bins=12, range=ranges()[xn], weights=weight,
                        color="#3a6ea5")
            else:
                ax.scatter(posterior[xn], posterior[yn], s=size, alpha=0.5, color="#b03a2e")
                ax.set_xlim(ranges()[xn])
                ax.set_ylim(ranges()[yn])
            if i == top - 1:
                ax.set_xlabel(xn, fontsize=7)
            if j == 0:
                ax.set_ylabel(yn, fontsize=7)
            ax.tick_params(labelsize=6)
    fig.suptitle("Posterior draws of the most narrowed parameters (point size: weight)")
    return fig
