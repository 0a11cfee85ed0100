"""What inference sees of a run: the record's count series and run-level features, one vector.

A run is first reduced, in its worker, to its **trace** (:func:`trace`): the four daily counts
the record and the 2021 patterns observe (Taliban-held, contested, capitals, Kabul) and its
changes of hands by cause. Every summary, the time split's and the run patterns
(``sim.targets.run_patterns``) are computed from traces afterwards, so one set of simulations
serves the fit, its checks and the time split.

The summary vector (:func:`summarise`, names in :func:`names`) has two parts:

- the record's count series (``sim.inference.record.points``): the Taliban and contested shares
  on each recorded date after 1 May, capitals fallen (of 34) by each day 5-15 August. The share
  on 10 August is the plateau level, the contested share on 10 August the contested share;
- run-level features, so that runs that stall and runs that collapse early cannot average to the
  record: the first capital's day, censored at the horizon (no capital: the horizon) with an
  indicator that it fell, Kabul's day and indicator, the most capitals fallen in one day (the
  busiest day), capitals per day from the first capital's fall to Kabul's (or to the end), and
  the share of changes of hands by assault.

A run shorter than the record (the tiny config's 30 days) sees the record's calendar compressed
onto its own (:func:`calendar`): day d of the record is day ``round(d x horizon / 106)`` of the
run, so every feature stays informative on a synthetic dataset. On the real map (120 days) the
calendar is the record's own.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

START = dt.date(2021, 5, 1)
RECORD_END = 106  # 15 August 2021, the record's last day (Kabul)
SPLIT_DAY = 69  # 9 July 2021: the time split's last fitted day
N_CAPITALS = 34
COLUMNS = ("districts_taliban", "districts_contested", "capitals_taliban", "kabul_taliban")
SERIES_COLUMN = {"districts": "districts_taliban", "contested": "districts_contested",
                 "capitals": "capitals_taliban"}
EVENTS = {"first_capital": "2021-08-06", "kabul": "2021-08-15"}
RUN_FEATURES = ("first_capital_day", "first_capital_fell", "kabul_day", "kabul_fell",
                "busiest_day", "capitals_per_day", "share_assault")


def _read(name: str) -> pd.DataFrame:
    with (resources.files("sim") / "data" / name).open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh)


def day_of(date: str) -> int:
    """Days from 1 May 2021 (day 0) to the ISO ``date``."""
    return (dt.date.fromisoformat(date) - START).days


@cache
def points() -> pd.DataFrame:
    """Every record count point: series, date, day, observed count, total, confidence.

    Taliban-held and contested districts on each stock date of ``district_control.csv`` after
    1 May (1 May is an input of the model, not a target) and capitals fallen by each date of
    ``capitals_fallen.csv``.
    """
    control = _read("district_control.csv")
    control = control[control["kind"].str.startswith("stock")]
    rows = []
    for series, column in (("districts", "taliban"), ("contested", "contested")):
        part = control.dropna(subset=[column])
        rows += [{"series": series, "date": r.date, "day": day_of(r.date),
                  "observed": int(getattr(r, column)), "total": int(r.total),
                  "confidence": r.confidence} for r in part.itertuples() if day_of(r.date) > 0]
    capitals = _read("capitals_fallen.csv")
    rows += [{"series": "capitals", "date": r.date, "day": day_of(r.date),
              "observed": int(r.capitals_fallen_by_end_of_day), "total": int(r.of),
              "confidence": r.confidence} for r in capitals.itertuples()]
    out = pd.DataFrame(rows)
    out["share"] = out["observed"] / out["total"]
    return out


def trace(result) -> dict:
    """One run reduced to what the summaries, checks and run patterns read (in the worker).

    Args:
        result: a :class:`sim.RunResult`.

    Returns:
        ``daily``: int array (days + 1, 4) of :data:`COLUMNS`; ``n_districts``, ``n_capitals``;
        ``assault`` and
        ``other``: changes of hands by assault and by every other cause.
    """
    causes = result.districts["fell_cause"].fillna("")
    causes = causes[causes != ""]
    return {"daily": result.daily[list(COLUMNS)].to_numpy(np.int32),
            "n_districts": len(result.districts), "n_capitals": int(result.summary["n_capitals"]),
            "assault": int((causes == "assault").sum()), "other": int((causes != "assault").sum())}


def calendar(day: float, horizon: int) -> int:
    """The run's day that stands for the record's ``day`` (compressed on a run shorter than it)."""
    if horizon >= RECORD_END:
        return int(day)
    return int(round(day * horizon / RECORD_END))


def names(until_day: int | None = None) -> list[str]:
    """The summary vector's entries, in order (``until_day``: the time split's)."""
    kept = points() if until_day is None else points()[points()["day"] <= until_day]
    run = RUN_FEATURES if until_day is None else RUN_FEATURES[:-1]
    return [f"{s} {d}" for s, d in zip(kept["series"], kept["date"], strict=True)] + list(run)


def _event(column: np.ndarray, end: int) -> int | None:
    hit = np.flatnonzero(column[:end + 1] > 0)
    return int(hit[0]) if len(hit) else None


def summarise(run: dict, until_day: int | None = None) -> np.ndarray:
    """One run's summary vector (:func:`names`), from its :func:`trace`.

    ``until_day`` (the time split, 69 = 9 July) keeps the count points up to that day and
    censors the run-level features there: an event after it reads as "not by then".
    """
    daily = np.asarray(run["daily"], float)
    horizon = len(daily) - 1
    end = horizon if until_day is None else min(horizon, calendar(until_day, horizon))
    kept = points() if until_day is None else points()[points()["day"] <= until_day]
    out = []
    for series, day in zip(kept["series"], kept["day"], strict=True):
        col = COLUMNS.index(SERIES_COLUMN[series])
        value = daily[min(calendar(day, horizon), horizon), col]
        out.append(value / run["n_capitals" if series == "capitals" else "n_districts"])
    capitals, kabul = daily[:, 2], daily[:, 3]
    first, fell_kabul = _event(capitals, end), _event(kabul, end)
    span = RECORD_END / horizon if horizon < RECORD_END else 1.0  # record days per run day
    first_day = (end if first is None else first) * span
    kabul_day = (end if fell_kabul is None else fell_kabul) * span
    scale = N_CAPITALS / run["n_capitals"]  # capitals counted as the record's 34
    busiest = float(np.diff(capitals[:end + 1]).max(initial=0)) * scale
    last = end if fell_kabul is None else fell_kabul
    per_day = 0.0 if first is None else \
        (capitals[last] - capitals[max(first - 1, 0)]) * scale / ((last - first + 1) * span)
    out += [first_day, float(first is not None), kabul_day, float(fell_kabul is not None),
            busiest, per_day]
    if until_day is None:  # the causes are counted over the whole run only
        changes = run["assault"] + run["other"]
        out.append(run["assault"] / changes if changes else 0.0)
    return np.asarray(out, float)


def record_summary(until_day: int | None = None) -> np.ndarray:
    """The 2021 record as a summary vector (:func:`names`; the causes' share: 2 of 10 by assault).

    The first capital fell on 6 August (day 97), Kabul on 15 August (day 106); the busiest day
    took 8 capitals (25 to 33 on 15 August); 33 capitals fell in the 10 days from 6 to 15
    August. ``until_day`` before 6 August: no capital by then.
    """
    kept = points() if until_day is None else points()[points()["day"] <= until_day]
    caps = points()[points()["series"] == "capitals"]["observed"].to_numpy()
    first, kabul = day_of(EVENTS["first_capital"]), day_of(EVENTS["kabul"])
    if until_day is not None and until_day < first:
        run = [until_day, 0.0, until_day, 0.0, 0.0, 0.0]
    else:
        run = [first, 1.0, kabul, 1.0, float(np.diff(caps).max()),
               float(caps[-1] / (kabul - first + 1)), 0.2]
    return np.asarray(list(kept["share"]) + run, float)
