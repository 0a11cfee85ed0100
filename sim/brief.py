"""A one-page policy brief on air power from the air studies' sweep folders.

Reads any of the four air studies (each recognised from what varies across its runs) and writes
``brief.md`` with its figures into one folder:

- *levers* (``experiment=air_levers``): each lever's paired effect against the historical run;
- *timing* (``experiment=air_timing``): the levers' effect by the date they start (``sim.dose``);
- *dose* (``experiment=air_dose``): outcomes against the US strike rate (``sim.dose``);
- *robustness* (``experiment=robustness``): PRIM's boxes of inputs where Kabul holds and where
  at least N capitals hold (``sim.robustness``).

The caveats section lists every air and expectation parameter that has no source (read from the
schema, so it stays true as parameters gain sources) and what the model leaves out.

    python experiments/brief.py outputs/sweeps/air_levers outputs/sweeps/air_dose
        outputs/sweeps/air_timing outputs/sweeps/robustness [--out outputs/brief]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim import dose, robustness
from sim.analysis import bootstrap_mean, compare_arms
from sim.compare import _write, collect, find_baseline
from sim.config import AirConfig, ExpectationConfig, priors

LEFT_OUT = (
    "civilian harm: strikes' civilian casualties (UNAMA reported civilians killed and injured by "
    "air strikes through 2021) and their effect on local support for the Taliban are not "
    "modelled",
    "cost: money, aircraft, aircrews and US personnel at risk are not counted; a lever's "
    "feasibility is not judged",
    "adaptation: the Taliban do not disperse, move at night or change targets because of "
    "strikes; strike kill rates are ranged priors, not measured",
    "politics: US strikes do not change the Doha talks, Pakistan's stance or the leadership's "
    "decision to leave beyond what the model's belief and centre stages carry",
    "US ground forces, advisers and intelligence are not levers; only air strikes are",
)


LEVERS = ("frac_fleet", "frac_kept")  # a scaling for small maps, and the "kept" lever


def kind_of(runs: pd.DataFrame) -> str:
    """Which air study a sweep's runs are: levers, timing, dose or robustness."""
    if dose.BRANCH in runs.columns and runs[dose.BRANCH].notna().any():
        return "timing"
    if any(name in runs.columns for name in priors()):
        return "robustness"
    if runs["arm"].astype(str).str.startswith(dose.DOSE_ARMS).any():
        return "dose"
    return "levers"


def unsourced() -> list[tuple[str, str]]:
    """Air and expectation parameters whose schema entry names no source: (name, note)."""
    out = []
    for prefix, cls in (("air", AirConfig), ("expectation", ExpectationConfig)):
        for f in dataclasses.fields(cls):
            meta = f.metadata
            doc = meta.get("doc", "")
            if ("lo" not in meta and "date" not in meta) or f.name in LEVERS \
                    or (doc.startswith("policy") and "assumed" not in doc):
                continue  # switches, scalings and policy choices: levers, not uncertainties
            source = meta.get("source", "")
            if not source or source.startswith("no "):
                out.append((f"{prefix}.{f.name}", source or meta.get("doc", "") or "assumed"))
    return out


def lever_effects(runs: pd.DataFrame, daily: pd.DataFrame) -> pd.DataFrame:
    """Each lever against the historical arm: Kabul, capitals on 15 August, districts held."""
    baseline = find_baseline("historical", sorted(runs["arm"].unique()))
    table = compare_arms(runs, baseline)
    keep = table[table["outcome"].isin(["kabul_falls", "days_until_kabul_falls",
                                        "days_until_first_capital_falls", "final_taliban"])]
    out = robustness.outcomes(runs, daily).set_index(["arm", "seed"])
    caps = []
    base = out.xs(baseline)["capitals_held_15_august"]
    for arm in sorted(set(runs["arm"]) - {baseline}):
        diff = (out.xs(arm)["capitals_held_15_august"] - base).dropna().to_numpy()
        mean, lo, hi = bootstrap_mean(diff)
        caps.append({"arm": arm, "outcome": "capitals_held_15_august", "estimate": mean,
                     "low": lo, "high": hi, "n": len(diff)})
    return pd.concat([keep[["arm", "outcome", "estimate", "low", "high", "n"]],
                      pd.DataFrame(caps)], ignore_index=True)


LABELS = {"kabul_falls": "P(Kabul falls by the horizon)",
          "days_until_kabul_falls": "days until Kabul falls (restricted)",
          "days_until_first_capital_falls": "days until the first capital falls (restricted)",
          "final_taliban": "districts Taliban-held on the last day",
          "capitals_held_15_august": "capitals held on 15 August"}


def lever_figure(effects: pd.DataFrame) -> Figure:
    """Forest plot: each lever's paired effect with its 95% interval, one panel per outcome."""
    shown = ["capitals_held_15_august", "days_until_kabul_falls", "kabul_falls"]
    fig = Figure(figsize=(12, 0.5 * effects["arm"].nunique() + 2), layout="constrained")
    for ax, outcome in zip(fig.subplots(1, len(shown), sharey=True), shown, strict=True):
        part = effects[effects["outcome"] == outcome].sort_values("arm")
        y = np.arange(len(part))
        ax.errorbar(part["estimate"], y, xerr=[part["estimate"] - part["low"],
                                               part["high"] - part["estimate"]],
                    fmt="o", capsize=3, color="#3a6ea5")
        ax.axvline(0, color="grey", lw=0.8)
        ax.set_yticks(y, list(part["arm"]))
        ax.set_title(f"change in {LABELS[outcome]}", fontsize=9)
    return fig


def _md(table: pd.DataFrame) -> str:
    """A table as Markdown, numbers rounded."""
    return table.round(2).to_markdown(index=False)


def _fmt(row) -> str:
    """An estimate with its interval, in words."""
    return f"{row.estimate:+.2f} (95% CI {row.low:+.2f} to {row.high:+.2f}, {int(row.n)} seeds)"


def write_brief(dirs: list[Path], out: Path, capitals: int = 5) -> Path:
    """Read each sweep, write the brief's figures and ``brief.md`` into ``out``; return its path."""
    out.mkdir(parents=True, exist_ok=True)
    parts = ["# Air power in the 2021 offensive: what each lever would have changed", "",
             "Simulated with the project's agent-based model of the May-August 2021 offensive. "
             "Every comparison is paired: each lever is run on the same random seeds as the "
             "historical run, and differences are given with 95% intervals. These are the "
             "model's answers under its assumptions (see Caveats), not forecasts.", "",
             "Intervals: Wilson for a share of runs; Bonett-Price for a paired difference in "
             "shares; for capitals held (a count from 0 to 34) and its paired differences, a "
             "bootstrap over the runs that never leaves the range of the values seen (with few "
             "runs it is about that range; when every run gives the same value it has no width, "
             "which means no spread was seen, not that there is none); t-intervals for days and "
             "districts.", ""]
    for folder in dirs:
        swept = collect(folder)
        if swept.runs.empty:
            raise ValueError(f"no complete run in {folder}")
        runs, daily, kind = swept.runs, swept.daily, kind_of(swept.runs)
        seeds = runs["seed"].nunique()
        if kind == "levers":
            effects = lever_effects(runs, daily)
            _write(out / "levers.png",
                   lambda p, e=effects: lever_figure(e).savefig(p, dpi=110, format="png"))
            _write(out / "levers.csv", lambda p, e=effects: e.to_csv(p, index=False))
            parts += ["## Each lever on its own and all together", "",
                      f"`{folder}`: {runs['arm'].nunique()} arms x {seeds} seeds, against the "
                      "historical run (US strikes as recorded, contractors leaving in June).", "",
                      "![lever effects](levers.png)", ""]
            for r in effects[effects["outcome"] == "capitals_held_15_august"].itertuples():
                parts.append(f"- **{r.arm}**: capitals held on 15 August {_fmt(r)}")
            parts += ["", "Full table: `levers.csv` (P(Kabul falls) is a paired difference in "
                      "proportions; days are restricted to the horizon).", ""]
        elif kind == "timing":
            table = dose.timing_table(runs, daily)
            _write(out / "timing.png",
                   lambda p, t=table: dose.timing_figure(t).savefig(p, dpi=110, format="png"))
            parts += ["## From when? Levers starting on 1 June, 1 July or 1 August", "",
                      f"`{folder}`: each arm branches from the same simulated history on its "
                      f"date ({seeds} seeds), against the historical run branched on that date.",
                      "", "![timing](timing.png)", "", _md(table.drop(columns=["n_pairs"])), ""]
        elif kind == "dose":
            table = dose.dose_table(runs, daily)
            _write(out / "dose.png",
                   lambda p, t=table: dose.dose_figure(t).savefig(p, dpi=110, format="png"))
            parts += ["## How much? US strikes at a constant daily rate", "",
                      f"`{folder}`: {int(table['us_strikes_per_day'].notna().sum())} rates x "
                      f"{seeds} seeds, with the historical run for reference (dashed). For "
                      "scale: 2019 saw about 20 US strikes a day; July 2021 fewer than 1; "
                      "1-15 August 2021 about 10.", "", "![dose](dose.png)", "", _md(table), ""]
        else:
            boxes, fig = robustness.discover(folder, capitals, 0.6)
            _write(out / "prim_boxes.png", lambda p, f=fig: f.savefig(p, dpi=110, format="png"))
            _write(out / "prim_boxes.csv", lambda p, b=boxes: b.to_csv(p, index=False))
            parts += ["## Under which assumptions does it hold?", "",
                      f"`{folder}`: {len(runs)} runs, every uncertain parameter drawn from its "
                      "range, crossed with the levers. PRIM finds the box of inputs where the "
                      "outcome is most common: *coverage* is the share of all such runs inside "
                      "the box, *density* the share of runs in the box with the outcome. The "
                      "levers of one seed share one draw, so `n_draws_in_box` (of `n_draws`) is "
                      "the box's effective sample: a box resting on a handful of draws is a "
                      "hint to test with more draws, not a finding.", "",
                      "![boxes](prim_boxes.png)", "",
                      _md(boxes) if not boxes.empty else "No box: the outcome never (or always) "
                      "happened in this sweep.", ""]
    parts += ["## Caveats", "", "Parameters of the air channels with no source (a documented "
              "assumption or a wide range; those with a range are varied in the robustness "
              "study):", ""]
    parts += [f"- `{name}`: {note}" for name, note in unsourced()]
    parts += ["", "What the model leaves out:", ""] + [f"- {item}" for item in LEFT_OUT]
    path = out / "brief.md"
    _write(path, lambda p: p.write_text("\n".join(parts) + "\n"))
    return path


def main(argv: list[str] | None = None) -> int:
    """Write the brief from the given sweep folders; return the exit code."""
    parser = argparse.ArgumentParser(prog="python experiments/brief.py",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("sweep_dirs", type=Path, nargs="+")
    parser.add_argument("--out", type=Path, default=Path("outputs/brief"))
    parser.add_argument("--capitals", type=int, default=5,
                        help="robustness case: at least N capitals hold on 15 August")
    args = parser.parse_args(argv)
    for folder in args.sweep_dirs:
        if not folder.is_dir():
            print(f"error: sweep_dirs {folder}: no such folder", file=sys.stderr)
            return 2
    try:
        path = write_brief(args.sweep_dirs, args.out, args.capitals)
    except ValueError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(f"-> {path}")
    return 0
