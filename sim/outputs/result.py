"""The run result: tables built from a finished model, its summary, and the run folder.

Each file is written under a temporary name and moved into place; ``summary.json`` is written
last, so a folder holding it is a complete run. The summary carries the hash of the resolved
config, so a folder is reused only for the very config that made it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import subprocess
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sim.config import as_dict
from sim.model.metrics import Column
from sim.world.agents import Cause, Control

if TYPE_CHECKING:
    from sim.model.model import OffensiveModel

KEY_DATES = ("2021-06-15", "2021-06-29", "2021-07-05", "2021-07-27", "2021-08-10", "2021-08-15")
FILES = ("config.yaml", "daily.csv", "districts.csv", "events.csv", "control.parquet",
         "summary.json")
STUDY_SIZE = ("seeds",)  # settings of a study, not of a run: never part of a run's identity

# Unit and meaning of every column of the run folder's files (daily.csv's are in
# sim.model.metrics.COLUMNS); docs/outputs.md is generated from these by scripts/gen_outputs_doc.py.
DISTRICT_COLUMNS: dict[str, Column] = {
    "district_id": Column("id", "row of the district in the map, 0 to n_districts - 1"),
    "shape_id": Column("id", "geoBoundaries shape id (real map) or a synthetic label"),
    "name": Column("text", "district name"),
    "province": Column("text", "province name"),
    "is_provincial_capital": Column("true/false", "the district is a provincial capital"),
    "initial_control": Column("government, contested or taliban", "control on day 0"),
    "final_control": Column("government, contested or taliban", "control on the last day"),
    "fell_day": Column("day", "first day the district passed to the Taliban (empty: never, or "
                              "Taliban-held from the start)"),
    "fell_cause": Column("cause", "how it first passed to the Taliban (a cause below; empty: "
                                  "never)"),
    "first_cut_off_day": Column("day", "first day its garrison had no road to a supply hub "
                                       "(empty: never)"),
}
EVENT_COLUMNS: dict[str, Column] = {
    "day": Column("day", "day of the event"),
    "date": Column("ISO date", "calendar date of the event"),
    "district_id": Column("id", "where it happened (`district_id` of districts.csv)"),
    "district": Column("text", "district name"),
    "province": Column("text", "province name"),
    "event": Column("event", "what happened (an event below)"),
    "cause": Column("cause", "why a district changed hands or a garrison left (a cause below)"),
    "troops": Column("people", "troops or fighters involved (captured, withdrawn, fled...)"),
    "equipment": Column("items", "vehicles and heavy weapons left, taken or captured"),
}
EVENT_KINDS: dict[str, str] = {
    "fell": "the district passed to the Taliban",
    "retaken": "a Taliban-held district passed back to the government",
    "overrun": "the last defenders were killed or captured in an assault",
    "surrender": "a besieged garrison surrendered to the Taliban",
    "negotiation": "a besieged garrison handed over through elders' negotiation",
    "withdrawal": "a garrison withdrew to a held capital, crossing or base",
    "flight": "a garrison fled across a border crossing",
    "desertion": "a garrison dissolved (too few troops left)",
    "commando_moves": "a commando unit was flown to a threatened capital",
    "militia_mobilised": "a militia took up arms",
    "militia_disbanded": "a militia whose morale broke went home",
    "talks": "a provincial leadership decided to give up and opened talks (logged at its capital)",
    "handover": "a district of a province in talks was handed over to the Taliban force at hand",
    "deal": "a provincial capital was handed over to the Taliban force at hand (safe passage)",
    "leaders_left": "the national leadership left; Kabul's province opens talks",
    "consolidation": "the government chose to consolidate (logged once, at Kabul)",
}
CAUSES: dict[str, str] = {  # one entry per sim.world.agents.Cause, by its lower-case name
    "none": "no change of hands (an event without one)",
    "assault": "taken by assault",
    "surrender": "given up by surrender",
    "negotiation": "given up through negotiation",
    "withdrawal": "left by withdrawal or flight",
    "abandonment": "left empty (desertion, or next to Taliban territory with nobody there)",
    "retaken": "retaken by the government",
}
CONTROL_COLUMNS: dict[str, Column] = {
    "day": Column("day", "days since `start_date`, 0 to the last day"),
    "district_id": Column("id", "`district_id` of districts.csv"),
    "control": Column("government, contested or taliban", "who held the district at the end "
                                                          "of the day"),
}
SUMMARY_FIELDS: dict[str, Column] = {
    "seed": Column("seed", "the run's random seed"),
    "scenario": Column("text", "`scenario.name` of the config"),
    "space": Column("real or synthetic", "which map"),
    "days": Column("days", "days asked for (`days` of the config)"),
    "start_date": Column("ISO date", "day 0"),
    "package_version": Column("version", "version of the simulator that made the run"),
    "git_commit": Column("commit", "git commit of the source checkout (`-dirty` if edited); "
                                   "null for an installed package"),
    "config_hash": Column("SHA-256", "hash of the resolved config, seed included, `seeds` left "
                                     "out: a rerun reuses the folder only if it is unchanged"),
    "arm_hash": Column("SHA-256", "the same without the seed: runs of one arm share it"),
    "decided_day": Column("day", "day the war was decided (Kabul Taliban-held or no government "
                                 "garrison left, or no Taliban unit or district left); null if not"),
    "stopped_early": Column("true/false", "the model stopped on `decided_day`, before `days`; the "
                                          "tables' later rows carry its final state forward"),
    "n_districts": Column("districts", "districts on the map"),
    "n_capitals": Column("capitals", "provincial capitals on the map (Kabul included)"),
    "first_capital_fell_day": Column("day", "first day a provincial capital was Taliban-held "
                                            "(null: never)"),
    "kabul_fell_day": Column("day", "first day Kabul was Taliban-held (null: never)"),
    "final_districts_taliban": Column("districts", "Taliban-held on the last day"),
    "final_districts_contested": Column("districts", "contested on the last day"),
    "final_districts_government": Column("districts", "government-held on the last day"),
    "final_capitals_taliban": Column("capitals", "provincial capitals Taliban-held on the last "
                                                 "day"),
    "districts_taliban_on": Column("date: districts", "Taliban-held districts on the record's "
                                                      "key dates within the run"),
    "changes_by_cause": Column("cause: districts", "districts that fell to the Taliban, by the "
                                                   "cause of their first fall"),
    "equipment_captured": Column("items", "vehicles and heavy weapons taken by the Taliban over "
                                          "the run"),
}


def package_version() -> str:
    """Installed version of the simulator."""
    try:
        return version("afghan-offensive-sim")
    except PackageNotFoundError:
        return "unknown"


@functools.cache
def git_commit() -> str | None:
    """The commit of the source checkout the package runs from (``-dirty`` if edited), else None.

    An installed wheel has no checkout beside it and gets None without calling git.
    """
    checkout = Path(__file__).resolve().parent.parent.parent
    if not (checkout / ".git").exists():
        return None
    try:
        out = subprocess.run(["git", "describe", "--always", "--dirty", "--abbrev=40"],
                             cwd=checkout, capture_output=True, text=True, timeout=10, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def config_hash(config: dict, seed: bool = True) -> str:
    """SHA-256 of a resolved config (as written to ``config.yaml``), study size left out.

    Args:
        config: the plain config dict (:func:`sim.config.as_dict`).
        seed: include the seed (the identity of a run); without it, the identity of an arm.
    """
    left_out = STUDY_SIZE if seed else (*STUDY_SIZE, "seed")
    kept = {k: v for k, v in config.items() if k not in left_out}
    return hashlib.sha256(json.dumps(kept, sort_keys=True).encode()).hexdigest()


def control_table(control: np.ndarray) -> pd.DataFrame:
    """The district-by-day control history in long form: day, district_id, control."""
    days, n = control.shape
    names = [c.name.lower() for c in Control]
    return pd.DataFrame({
        "day": np.repeat(np.arange(days, dtype=np.int32), n),
        "district_id": np.tile(np.arange(n, dtype=np.int32), days),
        "control": pd.Categorical.from_codes(control.ravel().astype(np.int8), names),
    })


@dataclass
class RunResult:
    """Everything one run produced, as pandas frames plus the summary and resolved config."""

    config: dict
    daily: pd.DataFrame
    districts: pd.DataFrame
    events: pd.DataFrame
    summary: dict
    control: np.ndarray  # (day, district) control codes, written as control.parquet

    def write(self, folder: str | Path) -> Path:
        """Write the run folder atomically (``summary.json`` last) and return its path.

        A ``summary.json`` already there is removed first, so a folder being rewritten reads as
        incomplete until the new run is wholly in place.
        """
        import yaml

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "summary.json").unlink(missing_ok=True)
        writers = {
            "config.yaml": lambda p: p.write_text(yaml.safe_dump(self.config, sort_keys=False)),
            "daily.csv": lambda p: self.daily.to_csv(p, index=False),
            "districts.csv": lambda p: self.districts.to_csv(p, index=False),
            "events.csv": lambda p: self.events.to_csv(p, index=False),
            "control.parquet": lambda p: control_table(self.control).to_parquet(p, index=False),
            "summary.json": lambda p: p.write_text(json.dumps(self.summary, indent=2) + "\n"),
        }
        for name in FILES:
            tmp = folder / f".{name}.tmp"
            writers[name](tmp)
            os.replace(tmp, folder / name)
        return folder


def district_table(model: OffensiveModel) -> pd.DataFrame:
    """One row per district: identity, control, when and how it fell, when first cut off."""
    m = model.map
    names = [c.name.lower() for c in Control]
    fell = model.fell_day
    return pd.DataFrame({
        "district_id": np.arange(m.n),
        "shape_id": m.shape_id,
        "name": m.name,
        "province": m.province,
        "is_provincial_capital": m.is_capital,
        "initial_control": [names[c] for c in model.initial_control],
        "final_control": [names[c] for c in model.control],
        "fell_day": pd.array(np.where(np.isnan(fell), pd.NA, fell), dtype="Int64"),
        "fell_cause": [Cause(c).name.lower() if not np.isnan(f) else ""
                       for c, f in zip(model.fell_cause, fell, strict=True)],
        "first_cut_off_day": pd.array(np.where(np.isnan(model.first_cut_off_day), pd.NA,
                                               model.first_cut_off_day), dtype="Int64"),
    })


def event_table(model: OffensiveModel) -> pd.DataFrame:
    """The event log with calendar dates and the district's and province's names."""
    cols = ["day", "district_id", "event", "cause", "troops", "equipment"]
    events = pd.DataFrame(model.events, columns=cols)
    dates = [(model.start + dt.timedelta(days=int(d))).isoformat() for d in events["day"]]
    events.insert(1, "date", dates)
    ids = events["district_id"].to_numpy(dtype=int)
    events.insert(3, "district", np.asarray(model.map.name, dtype=object)[ids])
    events.insert(4, "province", np.asarray(model.map.province, dtype=object)[ids])
    return events


def carry_forward(daily: pd.DataFrame, days: int, start: dt.date) -> pd.DataFrame:
    """Extend a daily table that ends on the day the war was decided, to day ``days``.

    The rows added are not simulated: the war is over and no district can change hands, so
    every state column keeps its last value, running totals (``_to_date``) stay as they were and
    the day's flows (``_today``) are 0. Tables of every run thus have ``days + 1`` rows.
    """
    last = len(daily) - 1
    if last >= days:
        return daily
    extra = daily.iloc[[-1] * (days - last)].reset_index(drop=True)
    extra["day"] = np.arange(last + 1, days + 1)
    extra["date"] = [(start + dt.timedelta(days=int(d))).isoformat() for d in extra["day"]]
    extra[[c for c in daily.columns if c.endswith("_today")]] = 0
    return pd.concat([daily, extra], ignore_index=True)


def summarise(model: OffensiveModel, daily: pd.DataFrame, districts: pd.DataFrame,
              decided_day: int | None = None) -> dict:
    """Key outcomes of a run (the fields ``summary.json`` carries).

    Args:
        model: the finished model.
        daily: its daily table (carried forward past ``decided_day`` to the last day).
        districts: its district table.
        decided_day: the day the war was decided (no district can change hands after), or None.
    """
    cfg = model.config
    config = as_dict(cfg)
    capitals_lost = daily.index[daily["capitals_taliban"] > 0]
    kabul = daily.index[daily["kabul_taliban"] > 0]
    taliban_on = {}
    for date in KEY_DATES:
        day = cfg.day_of(date)
        if 0 <= day < len(daily):
            taliban_on[date] = int(daily.loc[int(day), "districts_taliban"])
    causes = districts.loc[districts["fell_cause"] != "", "fell_cause"].value_counts()
    last = daily.iloc[-1]
    return {
        "seed": cfg.seed,
        "scenario": cfg.scenario.name,
        "space": model.map.kind,
        "days": cfg.days,
        "start_date": cfg.start_date,
        "package_version": package_version(),
        "git_commit": git_commit(),
        "config_hash": config_hash(config),
        "arm_hash": config_hash(config, seed=False),
        "decided_day": decided_day,
        "stopped_early": model.day < cfg.days,
        "n_districts": model.map.n,
        "n_capitals": int(model.map.is_capital.sum()),
        "first_capital_fell_day": int(daily.loc[capitals_lost[0], "day"]) if len(capitals_lost)
        else None,
        "kabul_fell_day": int(daily.loc[kabul[0], "day"]) if len(kabul) else None,
        "final_districts_taliban": int(last["districts_taliban"]),
        "final_districts_contested": int(last["districts_contested"]),
        "final_districts_government": int(last["districts_government"]),
        "final_capitals_taliban": int(last["capitals_taliban"]),
        "districts_taliban_on": taliban_on,
        "changes_by_cause": {k: int(v) for k, v in causes.items()},
        "equipment_captured": float(last["equipment_captured_to_date"]),
    }
