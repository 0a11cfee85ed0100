"""Checks of a posterior: simulation-based calibration, predictive coverage, 2021-like runs.

- **Simulation-based calibration** (:func:`sbc`; Talts et al. 2018, ``sbi.diagnostics``): for
  datasets simulated from the prior (held out from training), the rank of the true parameter
  among posterior draws is uniform for every parameter when the posterior is calibrated; a
  Kolmogorov-Smirnov test per parameter, and a figure of the ranks' empirical CDFs.
- **Predictive coverage** (:func:`coverage`): every record point (count series and the two event
  days) against the central 90% band of posterior-predictive runs, in-sample (to 9 July) and
  out-of-sample. Fitted on the record to 9 July only (the time split), the out-of-sample share is
  an honest forecast check.
- **2021-like runs** (:func:`pattern_table`): the share of posterior-predictive runs with each
  pattern of ``sim.targets.run_patterns``, and with all of them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from sim import targets
from sim.inference import summaries

LEVEL = 0.9


def sbc(fit, theta: np.ndarray, x: np.ndarray, draws: int = 1000, seed: int = 0) -> pd.DataFrame:
    """Ranks of the true parameters among ``draws`` posterior draws, per dataset and parameter.

    Args:
        fit: a :class:`sim.inference.npe.Fit`.
        theta: (n, d) true parameters of held-out prior simulations (n >= 100 for the test).
        x: (n, k) their summary vectors.
        draws: posterior draws per dataset (ranks run 0..draws).
        seed: torch's seed for the first dataset's draws (then seed + i).
    """
    ranks = np.empty(theta.shape, int)
    for i, (t, xi) in enumerate(zip(theta, x, strict=True)):
        drawn = fit.sample(xi, draws, seed=seed + i)
        ranks[i] = (drawn < t).sum(0)
    return pd.DataFrame(ranks, columns=fit.names)


def sbc_table(ranks: pd.DataFrame, draws: int) -> pd.DataFrame:
    """Per parameter: the KS p-value of the ranks against uniform, their mean and spread.

    A calibrated posterior's ranks are uniform on 0..draws: mean 0.5 and sd 0.289 of the range.
    A mean off 0.5 is a biased posterior; an sd below 0.289 (ranks piled at both ends) an
    overconfident one, above it an underconfident one.
    """
    u = (ranks.to_numpy() + 0.5) / (draws + 1)
    return pd.DataFrame({"parameter": ranks.columns,
                         "ks_p": [stats.kstest(u[:, j], "uniform").pvalue for j in range(u.shape[1])],
                         "rank_mean": u.mean(0), "rank_sd": u.std(0)})


def sbc_figure(ranks: pd.DataFrame, draws: int):
    """Empirical CDFs of every parameter's normalised ranks against the uniform's 99% band."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(6, 4.5))
    ax = fig.subplots()
    n = len(ranks)
    grid = np.linspace(0, 1, 101)
    band = stats.binom.ppf([0.005, 0.995], n, grid[:, None]) / n
    ax.fill_between(grid, band[:, 0], band[:, 1], color="0.85", label="uniform, 99% band")
    for name in ranks.columns:
        u = np.sort((ranks[name].to_numpy() + 0.5) / (draws + 1))
        ax.plot(u, np.arange(1, n + 1) / n, lw=0.8, alpha=0.7,
                label=name if ranks.shape[1] <= 8 else None)
    ax.plot([0, 1], [0, 1], "k", lw=0.6)
    ax.set(xlabel="normalised rank of the true parameter", ylabel="empirical CDF",
           title=f"Simulation-based calibration: {ranks.shape[1]} parameters, {n} datasets")
    ax.legend(loc="upper left", frameon=False, fontsize=7)
    return fig


def coverage(runs: list[dict], split_day: int = summaries.SPLIT_DAY,
             level: float = LEVEL) -> pd.DataFrame:
    """Every record point against the central ``level`` band of ``runs`` (their traces).

    Columns: series, date, day, sample ("in" up to ``split_day``, else "out"), record, low,
    median, high, inside. An event day not reached by a run counts at its horizon, and a band
    reaching the horizon is open-ended.
    """
    q = ((1 - level) / 2, 0.5, (1 + level) / 2)
    x = np.array([summaries.summarise(r) for r in runs])
    names = summaries.names()
    points = summaries.points()
    rows = []
    for i, p in enumerate(points.itertuples()):
        low, median, high = np.quantile(x[:, i], q)
        rows.append({"series": p.series, "date": p.date, "day": p.day, "record": p.share,
                     "low": low, "median": median, "high": high})
    for event, date in summaries.EVENTS.items():
        days = x[:, names.index(f"{event}_day")]
        low, median, high = np.quantile(days, q)
        # more runs without the event than the band's upper tail: its top is "not by the horizon"
        open_ended = (x[:, names.index(f"{event}_fell")] == 0).mean() > (1 - level) / 2
        rows.append({"series": event, "date": date, "day": summaries.day_of(date),
                     "record": float(summaries.day_of(date)), "low": low, "median": median,
                     "high": np.inf if open_ended else high})
    table = pd.DataFrame(rows)
    table.insert(3, "sample", np.where(table["day"] <= split_day, "in", "out"))
    table["inside"] = (table["record"] >= table["low"]) & (table["record"] <= table["high"])
    return table


def coverage_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Record points inside the band: in-sample, out-of-sample and all."""
    parts = {"in": table[table["sample"] == "in"], "out": table[table["sample"] == "out"],
             "all": table}
    return pd.DataFrame([{"sample": k, "points": len(v), "inside": int(v["inside"].sum()),
                          "coverage": v["inside"].mean() if len(v) else np.nan}
                         for k, v in parts.items()])


def daily_frame(run: dict) -> pd.DataFrame:
    """A trace's daily counts as the daily table's columns (what ``sim.targets`` reads)."""
    return pd.DataFrame(np.asarray(run["daily"]), columns=list(summaries.COLUMNS))


def pattern_table(runs: list[dict]) -> pd.Series:
    """Share of ``runs`` with each 2021 pattern, and with all of them (``all``: 2021-like)."""
    dailies = [daily_frame(r) for r in runs]
    return targets.pattern_shares(dailies, runs[0]["n_districts"])


def marginals_figure(draws: np.ndarray, names: list[str], low: np.ndarray, high: np.ndarray):
    """A histogram of every parameter's posterior draws over its prior range (flat: the prior)."""
    from matplotlib.figure import Figure

    d = len(names)
    cols = min(d, 6)
    rows = -(-d // cols)
    fig = Figure(figsize=(2.0 * cols, 1.5 * rows))
    axes = np.atleast_1d(fig.subplots(rows, cols)).ravel()
    for j, ax in enumerate(axes):
        if j >= d:
            ax.set_axis_off()
            continue
        ax.hist(draws[:, j], bins=20, range=(low[j], high[j]), density=True, color="C0")
        ax.axhline(1 / (high[j] - low[j]), color="k", lw=0.6)
        ax.set_title(names[j], fontsize=6)
        ax.tick_params(labelsize=5)
        ax.set_yticks([])
    fig.suptitle(f"Posterior marginals ({len(draws)} draws) against the flat priors", fontsize=8)
    fig.tight_layout()
    return fig


def record_typicality(x: np.ndarray, record: np.ndarray, reference: int = 200,
                      seed: int = 0) -> float:
    """How typical of the simulations the record's summaries are (a misspecification check).

    The record's distance to its nearest simulation (summaries scaled by the simulations' spread)
    against the same distance for ``reference`` simulations to their nearest other one: the
    share of those at least as far. Near 0, the record lies where no simulation went, and the
    posterior given it is the flow's extrapolation (the model, not the sampler, is at issue).
    """
    sd = x.std(0)
    keep = sd > 0
    z = x[:, keep] / sd[keep]
    obs = record[keep] / sd[keep]
    nearest = np.sqrt(((z - obs) ** 2).sum(1)).min()
    rng = np.random.default_rng(seed)
    picks = rng.choice(len(z), min(reference, len(z)), replace=False)
    own = []
    for i in picks:
        d = np.sqrt(((z - z[i]) ** 2).sum(1))
        d[i] = np.inf
        own.append(d.min())
    return float((np.asarray(own) >= nearest).mean())
