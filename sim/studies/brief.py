"""A policy brief on air power, read in five minutes, from the air studies' sweep folders.

Reads any of the four air studies (each recognised from what varies across its runs) and writes
``brief.md``, ``brief.html`` (one self-contained page, figures embedded) and the figures and
machine-readable tables into one folder:

- *levers* (``experiment=air_levers``): each lever's paired effect against the historical run;
- *timing* (``experiment=air_timing``): the levers' effect by the date they start (``sim.studies.dose``);
- *dose* (``experiment=air_dose``): outcomes against the US strike rate, and whether they rise
  with it (``sim.studies.dose.verdict``);
- *robustness* (``experiment=robustness``): PRIM's boxes of inputs where Kabul holds and where
  at least N capitals hold, as sentences (``sim.studies.robustness``), on at least 200 draws.

It opens with a bottom line written from the computed results, reads in one direction (the
government holding: Kabul holds, capitals held), and takes every word a reader sees from
:mod:`sim.outputs.labels`; the CSVs keep the machine names.

    python -m sim.studies.brief outputs/sweeps/air_levers outputs/sweeps/air_timing \
        outputs/sweeps/air_dose outputs/sweeps/robustness --out docs/brief
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import yaml
from matplotlib.figure import Figure

from sim.config import AirConfig, ExpectationConfig, priors
from sim.outputs import labels
from sim.outputs.analysis import compare_arms
from sim.outputs.page import Block, markdown, page
from sim.studies import dose, robustness
from sim.studies.compare import _write, collect, find_baseline

MIN_DRAWS = 200  # PRIM's boxes rest on at least this many draws of the uncertain inputs
TITLE = "Air power in the 2021 offensive: what it would have changed"

LEFT_OUT = (
    "civilian harm: strikes' civilian casualties (UNAMA reported civilians killed and injured by "
    "air strikes through 2021) and their effect on local support for the Taliban are not "
    "modelled",
    "cost: money, aircraft, aircrews and US personnel at risk are not counted; a lever's "
    "feasibility is not judged",
    "adaptation: the Taliban do not disperse, move at night or change targets because of "
    "strikes; strike kill rates are ranged assumptions, not measured",
    "politics: US strikes do not change the Doha talks, Pakistan's stance or the leadership's "
    "decision to leave beyond what the model's national confidence and leadership carry",
    "US ground forces, advisers and intelligence are not levers; only air strikes are",
)

LEVERS = ("frac_fleet", "frac_kept")  # a scaling for small maps, and the "kept" lever
SHOWN = ("kabul_holds", "capitals_held_15_august", "days_until_kabul_falls")


@dataclasses.dataclass
class Section:
    """A part of the brief: its blocks and its sentence for the bottom line (if any)."""

    blocks: list[Block]
    bottom: str = ""


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
            if not source or source.startswith(("no ", "assumption:")):
                out.append((f"{prefix}.{f.name}", source or meta.get("doc", "") or "assumed"))
    return out


def ci(estimate: float, low: float, high: float, digits: int = 2) -> str:
    """An estimate with its 95% interval, for a sentence."""
    return f"{estimate:+.{digits}f} (95% CI {low:+.{digits}f} to {high:+.{digits}f})"


def cell(estimate: float, low: float, high: float, digits: int = 2) -> str:
    """An estimate with its 95% interval, for a table whose header says what the bounds are."""
    return f"{estimate:+.{digits}f} ({low:+.{digits}f} to {high:+.{digits}f})"


def lever_effects(runs: pd.DataFrame, daily: pd.DataFrame) -> pd.DataFrame:
    """Each lever against the historical arm, paired by seed, in the government's direction.

    Rows (arm, outcome): Kabul holds to day 120 (a share of runs), capitals held on 15 August,
    days until Kabul falls (restricted to the horizon), each with both arms' values.
    """
    baseline = find_baseline("historical", sorted(runs["arm"].unique()))
    out = robustness.outcomes(runs, daily).set_index(["arm", "seed"])
    days = compare_arms(runs, baseline)
    days = days[days["outcome"] == "days_until_kabul_falls"].set_index("arm")
    base = out.xs(baseline)
    rows = []
    for arm in sorted(set(runs["arm"]) - {baseline}):
        mine = out.xs(arm)
        change = dose.paired_change(mine, base)
        n = change["n_pairs"]
        rows += [
            {"arm": arm, "outcome": "kabul_holds", "estimate": change["diff_p_kabul_holds"],
             "low": change["diff_p_low"], "high": change["diff_p_high"], "n": n,
             "arm_value": mine["kabul_holds"].mean(), "baseline_value": base["kabul_holds"].mean()},
            {"arm": arm, "outcome": "capitals_held_15_august",
             "estimate": change["diff_capitals_held_15_august"],
             "low": change["diff_capitals_low"], "high": change["diff_capitals_high"], "n": n,
             "arm_value": mine["capitals_held_15_august"].mean(),
             "baseline_value": base["capitals_held_15_august"].mean()},
            {"arm": arm, "outcome": "days_until_kabul_falls",
             **days.loc[arm, ["estimate", "low", "high", "n", "arm_value", "baseline_value"]]},
        ]
    return pd.DataFrame(rows)


AXES = {"kabul_holds": "change in the share of runs",
        "capitals_held_15_august": "change in capitals held (of 34)",
        "days_until_kabul_falls": "change in days (restricted to the horizon)"}


def lever_figure(effects: pd.DataFrame) -> Figure:
    """Forest plot: each lever's paired effect with its 95% interval, one panel per outcome."""
    arms = sorted(effects["arm"].unique())
    fig = Figure(figsize=(13, 0.5 * len(arms) + 2.2), layout="constrained")
    for ax, outcome in zip(fig.subplots(1, len(SHOWN), sharey=True), SHOWN, strict=True):
        part = effects[effects["outcome"] == outcome].set_index("arm").loc[arms]
        for y, (arm, row) in enumerate(part.iterrows()):
            ax.errorbar(row["estimate"], y, xerr=[[row["estimate"] - row["low"]],
                                                  [row["high"] - row["estimate"]]],
                        fmt="o", capsize=3, color=labels.colour(arm))
        ax.axvline(0, color="grey", lw=0.8)
        ax.set_yticks(range(len(arms)), [labels.arm(a) for a in arms])
        ax.invert_yaxis()
        ax.set_xlabel(AXES[outcome])
        ax.set_title(labels.upper_first(labels.outcome(outcome)), fontsize=10)
    fig.suptitle("Each lever against the historical run, paired by seed (95% intervals)",
                 fontsize=10)
    return fig


def _save(out: Path, name: str, fig: Figure) -> None:
    """Write a figure as PNG into the brief's folder."""
    _write(out / name, lambda p: fig.savefig(p, dpi=110, format="png"))


def levers_section(runs: pd.DataFrame, daily: pd.DataFrame, out: Path) -> Section:
    """Each lever alone and all together: figure, table and the bottom line's first sentence."""
    effects = lever_effects(runs, daily)
    _save(out, "levers.png", lever_figure(effects))
    _write(out / "levers.csv", lambda p: effects.to_csv(p, index=False))
    wide = effects.set_index(["arm", "outcome"])
    table = pd.DataFrame([{
        "Lever": labels.arm(arm),
        "Kabul holds to day 120 (share of runs): historical -> lever":
            f"{wide.loc[(arm, 'kabul_holds'), 'baseline_value']:.2f} -> "
            f"{wide.loc[(arm, 'kabul_holds'), 'arm_value']:.2f}",
        **{f"{labels.upper_first(labels.outcome(o))}: change (95% CI)":
           cell(*wide.loc[(arm, o), ["estimate", "low", "high"]], digits=2 if o == "kabul_holds"
              else 1) for o in SHOWN}} for arm in sorted(effects["arm"].unique())])
    n = int(effects["n"].min())
    holds = effects[effects["outcome"] == "kabul_holds"].set_index("arm")
    caps = effects[effects["outcome"] == "capitals_held_15_august"].set_index("arm")
    best = max(holds.index, key=lambda a: (holds.loc[a, "estimate"], caps.loc[a, "estimate"]))
    clear = [labels.arm(a) for a in holds.index if holds.loc[a, "low"] > 0]
    b = holds.loc[best]
    c = caps.loc[best]
    bottom = (f"Of the air levers tried, {labels.lower_first(labels.arm(best))} would have "
              f"changed most: Kabul holds to day 120 in {b.arm_value:.0%} of runs against "
              f"{b.baseline_value:.0%} as it happened, a change of {ci(b.estimate, b.low, b.high)}, "
              f"and the government holds {abs(c.estimate):.1f} "
              f"{'more' if c.estimate >= 0 else 'fewer'} provincial capitals on 15 August "
              f"(95% CI {c.low:+.1f} to {c.high:+.1f}). "
              + (f"At {n} seeds, the changes clear of none are those of "
                 f"{', '.join(labels.lower_first(a) for a in clear)}." if clear else
                 f"At {n} seeds, no lever's change in Kabul holding is clear of none."))
    return Section([
        Block("h2", "Each lever on its own and all together"),
        Block("p", f"{runs['arm'].nunique() - 1} levers, each on the same {n} random seeds as "
                   "the historical run (US strikes as recorded, contractors leaving in June)."),
        Block("img", "levers.png", "Each lever's paired change against the historical run"),
        Block("table", table),
        Block("p", "Full table with machine names: levers.csv.")], bottom)


def timing_section(runs: pd.DataFrame, daily: pd.DataFrame, out: Path) -> Section:
    """All levers from 1 June, 1 July or 1 August: figure, table and a bottom-line sentence."""
    table = dose.timing_table(runs, daily)
    _save(out, "timing.png", dose.timing_figure(table))
    _write(out / "timing.csv", lambda p: table.to_csv(p, index=False))
    shown = pd.DataFrame({
        "All air levers from": table["branch_date"].map(labels.date),
        "Kabul holds to day 120 (share of runs): historical -> levers":
            [f"{r.p_kabul_holds_baseline:.2f} -> {r.p_kabul_holds:.2f}" for r in table.itertuples()],
        "Kabul holds: change (95% CI)": [cell(r.diff_p_kabul_holds, r.diff_p_low, r.diff_p_high)
                                         for r in table.itertuples()],
        "Capitals held on 15 August: change (95% CI)": [
            cell(r.diff_capitals_held_15_august, r.diff_capitals_low, r.diff_capitals_high, 1)
            for r in table.itertuples()],
        "Paired seeds": table["n_pairs"]})
    first, last = table.iloc[0], table.iloc[-1]
    bottom = (f"Acting from {labels.date(first.branch_date)}, every air lever together changes the "
              f"share of runs in which Kabul holds by "
              f"{ci(first.diff_p_kabul_holds, first.diff_p_low, first.diff_p_high)}; acting "
              f"from {labels.date(last.branch_date)}, by "
              f"{ci(last.diff_p_kabul_holds, last.diff_p_low, last.diff_p_high)}.")
    return Section([
        Block("h2", "From when? All levers starting on 1 June, 1 July or 1 August"),
        Block("p", "Each start date branches from the same simulated history, against the "
                   f"historical run on the same {int(table['n_pairs'].min())} seeds."),
        Block("img", "timing.png", "The levers' paired change by the date they start from"),
        Block("table", shown)], bottom)


def dose_section(runs: pd.DataFrame, daily: pd.DataFrame, out: Path) -> Section:
    """US strikes at constant rates: figure, table, monotonicity in words, a bottom line."""
    table = dose.dose_table(runs, daily)
    _save(out, "dose.png", dose.dose_figure(table))
    _write(out / "dose.csv", lambda p: table.to_csv(p, index=False))
    changes = dose.steps(runs, daily)
    _write(out / "dose_steps.csv", lambda p: changes.to_csv(p, index=False))
    rated = table[table["us_strikes_per_day"].notna()]
    shown = pd.DataFrame({
        "US strikes a day": rated["us_strikes_per_day"].map("{:g}".format),
        "Kabul holds to day 120 (share of runs, 95% CI)": [
            f"{r.p_kabul_holds:.2f} ({r.p_kabul_holds_low:.2f} to {r.p_kabul_holds_high:.2f})"
            for r in rated.itertuples()],
        "Capitals held on 15 August (mean, 95% CI)": [
            f"{r.capitals_held_15_august:.1f} ({r.capitals_held_low:.1f} to "
            f"{r.capitals_held_high:.1f})" for r in rated.itertuples()],
        "Runs": rated["n_runs"]})
    kabul = dose.verdict(changes, "p_kabul_holds")
    capitals = dose.verdict(changes, "capitals_held_15_august")
    return Section([
        Block("h2", "How much? US strikes at a constant daily rate"),
        Block("p", "Each rate on the same seeds, with the historical run for reference (dashed). "
                   "For scale: 2019 saw about 20 US strikes a day; July 2021 fewer than 1; "
                   "1-15 August 2021 about 10."),
        Block("img", "dose.png", "Kabul holding and capitals held against the US strike rate"),
        Block("table", shown),
        Block("p", f"Does more help? Kabul: {kabul}"),
        Block("p", f"Capitals: {capitals}")],
        f"US strikes at a constant rate: {labels.lower_first(kabul.split('. ')[0])}.")


def robustness_section(folder: Path, runs: pd.DataFrame, out: Path, capitals: int,
                       min_draws: int) -> Section:
    """PRIM's boxes as sentences, on at least ``min_draws`` draws, or what to run to have them."""
    draws = runs["seed"].nunique()
    head = [Block("h2", "Under which assumptions does it hold?")]
    if draws < min_draws:
        return Section(head + [Block("p", (
            f"Not shown: scenario discovery needs at least {min_draws} draws of the uncertain "
            f"inputs and this sweep has {draws}. Grow it with python -m sim -m "
            f"experiment=robustness seeds={min_draws}, then rebuild the brief."))])
    boxes, fig = robustness.discover(folder, capitals, 0.6)
    _save(out, "prim_boxes.png", fig)
    _write(out / "prim_boxes.csv", lambda p: boxes.to_csv(p, index=False))
    sentences = [robustness.box_sentence(part) for _, part in boxes.groupby("case", sort=False)]
    return Section(head + [
        Block("p", f"{len(runs)} runs: {draws} draws of every uncertain input from its range, "
                   f"{arms_words(runs)}. PRIM (patient "
                   "rule induction) looks for the ranges of inputs in which an outcome is most "
                   "common; only the inputs that pass its test of significance are named."),
        Block("ul", sentences or ["The outcomes never (or always) happened in this sweep."]),
        Block("img", "prim_boxes.png", "Each box's limits as a share of the input's range")])


def arms_words(runs: pd.DataFrame) -> str:
    """The arms a robustness sweep ran each draw with, in words."""
    arms = sorted(runs["arm"].unique())
    if len(arms) == 1:
        return f"each run with {labels.lower_first(labels.arm(arms[0]))}"
    return "each draw run with every arm: " + ", ".join(labels.lower_first(labels.arm(a))
                                                        for a in arms)


def caveats() -> list[Block]:
    """The unsourced air parameters in words, and what the model leaves out."""
    return [Block("h2", "Caveats"),
            Block("p", "Assumptions of the air channels that have no source (those with a range "
                       "are varied in the robustness study):"),
            Block("ul", [f"{labels.parameter(name)}: {note}" for name, note in unsourced()]),
            Block("p", "What the model leaves out:"), Block("ul", list(LEFT_OUT))]


def basis(folder: Path, runs: pd.DataFrame) -> str:
    """Whether a sweep ran at the point defaults or over the posterior's draws, in words."""
    config = yaml.safe_load((folder / runs["folder"].iloc[0] / "config.yaml").read_text())
    if str(config.get("uncertainty", {}).get("kind", "POINT")).upper() == "POSTERIOR":
        return "over the posterior's draws of the uncertain inputs"
    return ("at the model's point defaults, not over the posterior's draws (docs/inference.md "
            "says how the posterior is built and checked)")


SECTIONS: dict[str, Callable[..., Section]] = {
    "levers": levers_section, "timing": timing_section, "dose": dose_section}
ORDER = ("levers", "timing", "dose", "robustness")


def write_brief(dirs: list[Path], out: Path, capitals: int = 5,
                min_draws: int = MIN_DRAWS) -> Path:
    """Read each sweep, write the figures, tables, ``brief.md`` and ``brief.html``; return the md."""
    out.mkdir(parents=True, exist_ok=True)
    sections, bases = {}, set()
    for folder in dirs:
        swept = collect(folder)
        if swept.runs.empty:
            raise ValueError(f"no complete run in {folder}")
        kind = kind_of(swept.runs)
        if kind != "robustness":
            bases.add(basis(folder, swept.runs))
        sections[kind] = (robustness_section(folder, swept.runs, out, capitals, min_draws)
                          if kind == "robustness" else SECTIONS[kind](swept.runs, swept.daily, out))
    found = [sections[k] for k in ORDER if k in sections]
    bottom = [s.bottom for s in found if s.bottom]
    bottom.append(f"Computed {' and '.join(sorted(bases)) or 'over draws of every input'}; these "
                  "are the model's answers under its assumptions (see Caveats), not forecasts.")
    blocks = [Block("h1", TITLE), Block("h2", "Bottom line"), Block("ul", bottom),
              Block("p", "Every comparison is paired: each lever runs on the same random seeds "
                         "as the historical run. Changes are given as the lever's value minus "
                         "the historical one, with 95% intervals: Wilson for a share of runs, "
                         "Bonett-Price for a paired change in shares, a bootstrap for capitals "
                         "held (a count from 0 to 34) that stays within the values seen, and a "
                         "t-interval for days.")]
    blocks += [b for s in found for b in s.blocks] + caveats()
    path = out / "brief.md"
    _write(path, lambda p: p.write_text(markdown(blocks)))
    _write(out / "brief.html", lambda p: p.write_text(page(blocks, out, TITLE)))
    return path


def main(argv: list[str] | None = None) -> int:
    """Write the brief from the given sweep folders; return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m sim.studies.brief",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("sweep_dirs", type=Path, nargs="+",
                        help="sweep folders of experiment=air_levers, air_timing, air_dose, "
                             "robustness (any of them)")
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
    print(f"-> {path}, {path.with_suffix('.html')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
