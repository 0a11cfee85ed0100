"""Collect a sweep into tidy tables and compare every arm with a baseline arm, paired by seed.

An arm is a set of runs whose resolved configs (each run folder's ``config.yaml``) agree apart
from the seed, the study size (``seeds``) and the fields that change only with the seed (such as
a parameter draw tied to it): the fields that differ between runs of one seed, and the scenario's
name, define the arms. So growing a study (``seeds=2``, then ``seeds=3`` into the same folder)
keeps its arms, and a repeated run of an arm and seed is counted once. Arms are named by the
fewest differences that tell them apart, preferring the scenario's name (``no_air``), then the
config group chosen (``air=none``), then single fields (``air.frac_fleet=0.2``).

Writes into the sweep folder (each file atomically, only once the comparison succeeded):
``runs.parquet`` and ``runs.csv`` (one row per run: arm, seed, folder, the outcomes of
:mod:`sim.outputs.analysis` and the config fields that vary across the sweep), ``daily.parquet`` (every
run's daily table in long form: arm, seed, day, then the columns of ``daily.csv``),
``comparison.csv`` (:func:`sim.outputs.analysis.compare_arms`: one row per arm and outcome) and
``compare.png`` (Kaplan-Meier curves of Kabul and the first capital, capitals held, districts).
It prints, per outcome, each arm's value and the baseline's with units and the horizon, the
change with its interval and one plain sentence. Arms named by two factors (a scenario and
``morale=low``, say) are compared within their group, against that group's baseline.

    python -m sim.studies.compare outputs/sweeps/air_support [--baseline historical]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from sim.outputs import labels, plotting
from sim.outputs.analysis import compare_arms, holm, outcome_row
from sim.outputs.result import FILES

NOT_ARMS = ("seed", "seeds")  # the run's seed and the study size never define an arm
MISSING = "<unset>"
SHOWN = ("final_taliban", "days_until_first_capital_falls", "days_until_kabul_falls",
         "kabul_falls")  # printed; comparison.csv has every outcome


@dataclass
class Run:
    """One complete run folder, read."""

    folder: Path
    summary: dict
    fields: dict[str, object]  # the resolved config, flattened to dotted keys
    choices: dict[str, str]  # config group -> option chosen (from Hydra's record, if any)
    daily: pd.DataFrame
    n_capitals: int


@dataclass
class Sweep:
    """A sweep's runs grouped into arms, with what was left out and why."""

    runs: pd.DataFrame  # one row per run
    daily: pd.DataFrame  # long form: arm, seed, day, daily columns
    incomplete: list[Path]
    duplicates: list[Path]
    seed_linked: list[str]  # fields that vary only with the seed


def flatten(config: dict, prefix: str = "") -> dict[str, object]:
    """A nested config as ``{"air.use_us": True, ...}`` (lists as tuples, so values hash)."""
    flat = {}
    for key, value in config.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = tuple(value) if isinstance(value, list) else value
    return flat


def run_folders(sweep: Path) -> list[Path]:
    """Every run folder under ``sweep`` at any depth: it holds Hydra's record or an output file."""
    def is_run(folder: Path) -> bool:
        return (folder / ".hydra").is_dir() or any((folder / f).exists() for f in FILES)

    folders = [p for p in sweep.rglob("*") if p.is_dir()
               and not any(part.startswith(".") for part in p.relative_to(sweep).parts)]
    return sorted(p for p in folders if is_run(p))


def _yaml(path: Path) -> dict:
    """A YAML file's content, parsed by libyaml when PyYAML has it (hundreds of runs add up)."""
    return yaml.load(path.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def read_run(folder: Path) -> Run:
    """Read a complete run folder (one with ``summary.json``)."""
    hydra = folder / ".hydra" / "hydra.yaml"
    choices = _yaml(hydra)["hydra"]["runtime"]["choices"] if hydra.exists() else {}
    capitals = pd.read_csv(folder / "districts.csv", usecols=["is_provincial_capital"])
    return Run(folder, json.loads((folder / "summary.json").read_text()),
               flatten(_yaml(folder / "config.yaml")),
               {g: str(o) for g, o in (choices or {}).items()
                if not g.startswith("hydra/") and g != "scenario"},
               pd.read_csv(folder / "daily.csv"), int(capitals["is_provincial_capital"].sum()))


def varying_fields(runs: list[Run]) -> tuple[list[str], list[str]]:
    """The config fields that vary across the sweep: (those that define arms, seed-linked ones).

    A field defines arms if it differs between two runs of the same seed, or is the scenario's
    name; one that varies only from seed to seed goes with the seed.
    """
    keys = sorted({k for r in runs for k in r.fields} - set(NOT_ARMS))
    by_seed = defaultdict(list)
    for r in runs:
        by_seed[r.summary["seed"]].append(r)
    levers, linked = [], []
    for key in keys:
        if len({r.fields.get(key, MISSING) for r in runs}) < 2:
            continue
        within_seed = any(len({r.fields.get(key, MISSING) for r in group}) > 1
                          for group in by_seed.values())
        (levers if within_seed or key == "scenario.name" else linked).append(key)
    return levers, linked


def arm_names(runs: list[Run], levers: list[str]) -> list[str]:
    """Name each run's arm by the fewest differences that tell the arms apart.

    Candidates, in order of preference: the scenario's name, each config group's chosen option,
    each lever field. A candidate counts only if it is constant within every arm; the one that
    splits the arms most is taken (ties by preference) until every arm has its own name.
    """
    keys = [tuple(r.fields.get(k, MISSING) for k in levers) for r in runs]
    candidates: list[tuple[str, Callable[[Run], str]]] = [
        ("scenario.name", lambda r: str(r.fields["scenario.name"]))]
    groups = sorted({g for r in runs for g in r.choices})
    candidates += [(g, lambda r, g=g: f"{g}={r.choices.get(g, MISSING)}") for g in groups]
    candidates += [(k, lambda r, k=k: f"{k}={r.fields.get(k, MISSING)}") for k in levers]
    usable = []
    for name, label in candidates:
        values = [label(r) for r in runs]
        if all(len({v for v, kk in zip(values, keys, strict=True) if kk == key}) == 1
               for key in set(keys)):
            usable.append((name, values))
    n_arms, chosen = len(set(keys)), []

    def distinct(parts: list[list[str]]) -> int:
        return len(set(zip(*parts, strict=True))) if parts else 1

    while distinct([v for _, v in chosen]) < n_arms:
        best = max(usable, key=lambda c: distinct([v for _, v in chosen] + [c[1]]))
        chosen.append(best)
        usable.remove(best)
    chosen.sort(key=lambda c: [name for name, _ in candidates].index(c[0]))
    if not chosen:
        return [str(r.fields.get("scenario.name", "all")) for r in runs]
    return [",".join(parts) for parts in zip(*(v for _, v in chosen), strict=True)]


def _kind(value: object) -> str:
    """A value's type for a table column, integers and floats alike being numbers."""
    number = isinstance(value, int | float) and not isinstance(value, bool)
    return "number" if number else type(value).__name__


def collect(sweep: Path) -> Sweep:
    """Read every run folder of a sweep, group the runs into arms and tidy their tables."""
    folders = run_folders(sweep)
    complete = [f for f in folders if (f / "summary.json").exists()]
    runs = [read_run(f) for f in complete]
    levers, linked = varying_fields(runs)
    names = arm_names(runs, levers)
    varying = sorted(k for k in {*levers, *linked} if not k.startswith("scenario."))
    rows, dailies, duplicates, seen = [], [], [], set()
    for run, arm in zip(runs, names, strict=True):
        seed = run.summary["seed"]
        if (arm, seed) in seen:
            duplicates.append(run.folder)
            continue
        seen.add((arm, seed))
        rows.append({"arm": arm, **outcome_row(run.summary, run.daily),
                     "folder": str(run.folder.relative_to(sweep)),
                     "space": run.summary["space"], "n_districts": run.summary["n_districts"],
                     "n_capitals": run.n_capitals,
                     **{k: run.fields.get(k) for k in varying}})
        dailies.append(run.daily.assign(arm=arm, seed=seed))
    table = pd.DataFrame(rows)
    for key in varying:  # one type per column, as Parquet wants
        if len({_kind(v) for v in table[key].dropna()}) > 1:
            table[key] = table[key].astype(str)
    if rows:
        table = table.sort_values(["arm", "seed"], ignore_index=True)
        for key in ("first_capital_fell_day", "kabul_fell_day"):
            table[key] = table[key].astype("Int64")
    daily = pd.concat(dailies, ignore_index=True) if dailies else pd.DataFrame()
    if not daily.empty:
        daily = daily[["arm", "seed", *[c for c in daily.columns if c not in ("arm", "seed")]]]
        daily = daily.sort_values(["arm", "seed", "day"], ignore_index=True)
    return Sweep(table, daily, [f for f in folders if f not in complete], duplicates, linked)


class BaselineError(ValueError):
    """``--baseline`` names none, or several, of the arms, or no arm of some group."""


def _is(part: str, wanted: str) -> bool:
    """Whether one part of an arm's name (``historical``, ``air=none``) is ``wanted``."""
    return wanted in (part, part.split("=", 1)[-1])


def find_baseline(wanted: str, arms: list[str]) -> str:
    """The arm named ``wanted``, or the one arm with ``wanted`` as a part or a part's value.

    So ``historical`` finds ``historical`` in a scenario study and ``air=historical`` in
    ``air=historical,none``. Raises :class:`BaselineError` when none or several match.
    """
    if wanted in arms:
        return wanted
    matches = [a for a in arms if any(_is(part, wanted) for part in a.split(","))]
    if len(matches) != 1:
        raise BaselineError(f"--baseline {wanted!r} names {'several' if matches else 'none'} "
                            f"of the arms {matches or arms}; pass one arm's name")
    return matches[0]


def groups(arms: list[str], wanted: str) -> dict[str, tuple[str, list[str]]]:
    """The arms split into groups that differ only in the factor ``wanted`` is a value of.

    Arms named by several factors (``historical,morale=low``) are compared within the group
    sharing every other factor (``morale=low``), against that group's own ``wanted`` arm. A
    single-factor study, or a ``wanted`` that names one arm in full, is one group ``""``.

    Returns:
        group name -> (its baseline arm, its arms, the baseline included).

    Raises:
        BaselineError: ``wanted`` is in no factor, in several, or missing from some group.
    """
    if wanted in arms or not any("," in a for a in arms):
        return {"": (find_baseline(wanted, arms), sorted(arms))}
    split = {a: a.split(",") for a in arms}
    factors = {i for parts in split.values() for i, p in enumerate(parts) if _is(p, wanted)}
    if len(factors) != 1:
        raise BaselineError(f"--baseline {wanted!r} names {'several' if factors else 'none'} "
                            f"of the arms {sorted(arms)}; pass one arm's name")
    (k,) = factors
    members: dict[str, list[str]] = defaultdict(list)
    for arm, parts in sorted(split.items()):
        members[",".join(parts[:k] + parts[k + 1:])].append(arm)
    out = {}
    for group, names in members.items():
        base = [a for a in names if _is(split[a][k], wanted)]
        if len(base) != 1:
            raise BaselineError(f"--baseline {wanted!r}: the group {group} has no arm {wanted!r} "
                                f"to compare its arms {names} with")
        out[group] = (base[0], names)
    return out


def compare_groups(runs: pd.DataFrame, plan: dict[str, tuple[str, list[str]]]) -> pd.DataFrame:
    """Every arm against its group's baseline (:func:`groups`), Holm over the whole table."""
    parts = [compare_arms(runs[runs["arm"].isin(names)], baseline).assign(group=group)
             for group, (baseline, names) in plan.items() if len(names) > 1]
    if not parts:  # the baseline alone: an empty table with the columns
        parts = [compare_arms(runs, next(iter(plan.values()))[0]).assign(group="")]
    table = pd.concat(parts, ignore_index=True)
    table["p_adjusted"] = holm(table["p_value"])
    table["adjustment"] = f"Holm over {int(table['p_value'].notna().sum())} tests (all rows)"
    return table[["arm", "baseline", "group", *[c for c in table.columns
                                                if c not in ("arm", "baseline", "group")]]]


def compare_runs(runs: pd.DataFrame, baseline: str = "historical") -> pd.DataFrame:
    """The comparison ``python -m sim.studies.compare`` writes, of a runs table (``arm``, ``seed``)."""
    return compare_groups(runs, groups(sorted(runs["arm"].unique()), baseline))


SUBJECT = {"kabul": "Kabul", "first_capital": "a provincial capital"}


def _interval(row, unit: str = "") -> str:
    """A difference (in ``unit``) with its 95% interval, or why there is none."""
    value = f"{row.estimate:+.2f}{' ' + unit if unit else ''}"
    if pd.isna(row.low) or pd.isna(row.high) or row.n < 2:
        return f"{value} (too few paired runs for an interval)"
    if row.low == row.high:
        return f"{value} in every paired run"
    return f"{value} (95% CI {row.low:+.2f} to {row.high:+.2f})"


def _no_difference(row) -> str | None:
    """The words for an event that happened in no run, or in every run, of both arms."""
    event = "kabul" if "kabul" in row.outcome else "first_capital"
    n, h, what = int(row.n), int(row.horizon), labels.upper_first(labels.outcome(row.outcome))
    if row.arm_events == row.baseline_events == 0:
        held = "Kabul held" if event == "kabul" else "every provincial capital held"
        return f"{what}: {held} to day {h} in every run of both arms."
    if row.arm_events == row.baseline_events == n and row.kind == "binary":
        return f"{what}: {SUBJECT[event]} fell by day {h} in every run of both arms."
    return None


def sentence(row) -> str:
    """One plain sentence for one row of the comparison: both arms' values and the change."""
    arm, base = labels.arm(row.arm), labels.arm(row.baseline)
    if row.kind != "continuous":
        same = _no_difference(row)
        if same:
            return same
    if row.kind == "binary":
        event = "kabul" if "kabul" in row.outcome else "first_capital"
        return (f"{labels.upper_first(SUBJECT[event])} fell by day {int(row.horizon)} in "
                f"{int(row.arm_events)} of {int(row.n)} runs with {arm} and "
                f"{int(row.baseline_events)} with {base}: a change of {_interval(row)} in the "
                "share of runs.")
    unit = labels.unit(row.outcome)
    restricted = (f" (runs in which it did not happen count as {int(row.horizon)})"
                  if row.kind == "time_to_event" else "")
    return (f"{labels.upper_first(labels.outcome(row.outcome))}: {row.arm_value:.1f} with {arm} and "
            f"{row.baseline_value:.1f} with {base}{restricted}: a change of {_interval(row, unit)}.")


def printout(comparison: pd.DataFrame, shown: tuple[str, ...] = SHOWN) -> str:
    """The comparison for people: per group, a table of values with units, then sentences."""
    lines = []
    for group, part in comparison[comparison["outcome"].isin(shown)].groupby("group", sort=False):
        horizon = part["horizon"].dropna()
        lines.append(f"{'Group ' + group + ': ' if group else ''}against "
                     f"{labels.arm(part['baseline'].iloc[0])}, paired by seed"
                     + (f", horizon day {int(horizon.max())}" if len(horizon) else ""))
        rows = []
        for row in part.itertuples():
            same = row.kind != "continuous" and _no_difference(row) is not None
            rows.append({"outcome": labels.outcome(row.outcome), "unit": labels.unit(row.outcome),
                         "arm": labels.arm(row.arm), "value": round(row.arm_value, 2),
                         "baseline": round(row.baseline_value, 2),
                         "change (95% CI)": "no difference: see below" if same
                         else _interval(row).replace("95% CI ", ""), "n": int(row.n)})
        lines += [pd.DataFrame(rows).to_string(index=False), ""]
        lines += [f"- {sentence(row)}" for row in part.itertuples()] + [""]
    return "\n".join(lines)


def _write(path: Path, writer: Callable[[Path], object]) -> None:
    """Write a file under a temporary name and move it into place."""
    tmp = path.with_name(f".{path.name}.tmp")
    writer(tmp)
    os.replace(tmp, path)


def figure_title(sweep: Path, runs: pd.DataFrame, plan: dict[str, tuple[str, list[str]]]) -> str:
    """The figure's title: the study, its size, horizon and baseline(s)."""
    n_seeds = runs.groupby("arm")["seed"].nunique()
    seeds = str(n_seeds.min()) if n_seeds.min() == n_seeds.max() else \
        f"{n_seeds.min()}-{n_seeds.max()}"
    bases = ", ".join(labels.arm(b) for b, _ in plan.values())
    return (f"{sweep.resolve().name}: {len(n_seeds)} arms x {seeds} seeds, "
            f"{int(runs['days'].max())} days, against {bases}")


def main(argv: list[str] | None = None) -> int:
    """Collect a sweep, compare its arms, write the tables and the figure; return the exit code."""
    parser = argparse.ArgumentParser(prog="python -m sim.studies.compare",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("sweep_dir", type=Path)
    parser.add_argument("--baseline", default="historical",
                        help="the arm to compare against (default: historical)")
    args = parser.parse_args(argv)
    sweep_dir: Path = args.sweep_dir
    if not sweep_dir.is_dir():
        print(f"error: sweep_dir {sweep_dir}: no such folder", file=sys.stderr)
        return 2
    sweep = collect(sweep_dir)
    for folder in sweep.incomplete:
        print(f"incomplete run (no summary.json), left out: {folder}", file=sys.stderr)
    if sweep.duplicates:
        print(f"{len(sweep.duplicates)} repeated runs (same arm and seed) counted once, left out: "
              f"{', '.join(str(f.relative_to(sweep_dir)) for f in sweep.duplicates)}",
              file=sys.stderr)
    if sweep.seed_linked:
        print(f"fields that vary only with the seed, not arms: {', '.join(sweep.seed_linked)}",
              file=sys.stderr)
    if sweep.runs.empty:
        print(f"error: no complete run in {sweep_dir}", file=sys.stderr)
        return 2
    try:
        plan = groups(sorted(sweep.runs["arm"].unique()), args.baseline)
    except BaselineError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    comparison = compare_groups(sweep.runs, plan)
    baseline = next(iter(plan.values()))[0]
    fig = plotting.comparison_figure(sweep.runs, sweep.daily, baseline,
                                     title=figure_title(sweep_dir, sweep.runs, plan))
    _write(sweep_dir / "runs.parquet", lambda p: sweep.runs.to_parquet(p, index=False))
    _write(sweep_dir / "runs.csv", lambda p: sweep.runs.to_csv(p, index=False))
    _write(sweep_dir / "daily.parquet", lambda p: sweep.daily.to_parquet(p, index=False))
    _write(sweep_dir / "comparison.csv", lambda p: comparison.to_csv(p, index=False))
    _write(sweep_dir / "compare.png", lambda p: fig.savefig(p, dpi=120, format="png"))
    print(printout(comparison))
    print(f"{len(sweep.runs)} runs in {sweep.runs['arm'].nunique()} arms, {len(plan)} "
          f"group{'s' if len(plan) > 1 else ''} ({len(sweep.incomplete)} incomplete) -> "
          f"{sweep_dir}/comparison.csv, runs.parquet, daily.parquet, runs.csv, compare.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
