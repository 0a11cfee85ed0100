"""The run result: tables built from a finished model, its summary, and the run folder.

Each file is written under a temporary name and moved into place; ``summary.json`` is written
last, so a folder holding it is a complete run.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from sim.agents import Cause, Control

if TYPE_CHECKING:
    from sim.model import OffensiveModel

KEY_DATES = ("2021-06-15", "2021-06-29", "2021-07-05", "2021-07-27", "2021-08-10", "2021-08-15")
FILES = ("config.yaml", "daily.csv", "districts.csv", "events.csv", "summary.json")


def package_version() -> str:
    """Installed version of the simulator."""
    try:
        return version("afghan-offensive-sim")
    except PackageNotFoundError:
        return "unknown"


@dataclass
class RunResult:
    """Everything one run produced, as pandas frames plus the summary and resolved config."""

    config: dict
    daily: pd.DataFrame
    districts: pd.DataFrame
    events: pd.DataFrame
    summary: dict
    control: np.ndarray | None = None  # (day, district) control codes; kept in memory only

    def write(self, folder: str | Path) -> Path:
        """Write the run folder atomically (``summary.json`` last) and return its path."""
        import yaml

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        writers = {
            "config.yaml": lambda p: p.write_text(yaml.safe_dump(self.config, sort_keys=False)),
            "daily.csv": lambda p: self.daily.to_csv(p, index=False),
            "districts.csv": lambda p: self.districts.to_csv(p, index=False),
            "events.csv": lambda p: self.events.to_csv(p, index=False),
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
    """The event log with calendar dates."""
    cols = ["day", "district_id", "event", "cause", "troops", "equipment"]
    events = pd.DataFrame(model.events, columns=cols)
    dates = [(model.start + dt.timedelta(days=int(d))).isoformat() for d in events["day"]]
    events.insert(1, "date", dates)
    return events


def summarise(model: OffensiveModel, daily: pd.DataFrame, districts: pd.DataFrame) -> dict:
    """Key outcomes of a run (the fields ``summary.json`` carries)."""
    cfg = model.config
    capitals_lost = daily.index[daily["capitals_taliban"] > 0]
    kabul = daily.index[daily["kabul_taliban"] > 0]
    taliban_on = {}
    for date in KEY_DATES:
        day = cfg.day_of(date)
        if 0 <= day <= model.day:
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
        "n_districts": model.map.n,
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
