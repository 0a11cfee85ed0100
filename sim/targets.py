"""The 2021 record as calibration targets, and how well an ensemble of runs meets them.

Only calibration, validation and plots read this module: no mechanism of the model does. The
district-control sources use different totals (370, 398, 407, 419), so runs are compared as
shares of districts, within bands (+/-10 points where a good source exists, +/-15 otherwise);
the capitals' fall, the forces' magnitudes and the causes of changes of hands are the other
targets (``../shared/data/calibration``, copied into ``sim/data``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources

import numpy as np
import pandas as pd

START = dt.date(2021, 5, 1)
BAND = {"high": 0.10, "medium": 0.15}
# Pattern targets (DESIGN.md P1b, P2, P4, P5; forces.md's magnitudes). Days count from 2021-05-01.
AUG1, AUG10, AUG15, JUN16 = 92, 101, 106, 46
MIN_CONTESTED_AUG10 = 0.15  # LWJ: 112 of 407 contested on 10 August
MAX_CAPITALS_TO_KABUL_DAYS = 15  # 6 to 15 August: nine days
MIN_CAPITALS_BY_AUG15 = 25  # 33 of 34 by 15 August
TALIBAN_AUG15 = (58_000, 100_000)  # UN S/2021/486, and growing, not halved
MIN_TALIBAN_GROWTH = 0.8  # fighters on 15 August at least this share of the start
MAX_DESERTION_JUN16 = 0.15  # ~2% a month before the collapse
MIN_FLED_AUG15 = 1_500  # 1,573 into Tajikistan over two weeks of July alone
MAX_SHARE_ASSAULT = 0.4  # most changes of hands by deals, surrender, withdrawal


def _read(name: str) -> pd.DataFrame:
    with (resources.files("sim") / "data" / name).open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh)


def record() -> pd.DataFrame:
    """Taliban-held and contested shares on each recorded date (stock rows), with their bands."""
    rec = _read("district_control.csv")
    rec = rec[rec["kind"].str.startswith("stock")].copy()
    rec["day"] = [(dt.date.fromisoformat(d) - START).days for d in rec["date"]]
    rec["share"] = rec["taliban"] / rec["total"]
    rec["contested_share"] = rec["contested"] / rec["total"]
    rec["band"] = rec["confidence"].map(BAND)
    return rec[["date", "day", "share", "contested_share", "band", "confidence",
                "source"]].reset_index(drop=True)


def capitals_record() -> pd.DataFrame:
    """Provincial capitals fallen by the end of each recorded day."""
    rec = _read("capitals_fallen.csv")
    rec["day"] = [(dt.date.fromisoformat(d) - START).days for d in rec["date"]]
    return rec


@dataclass
class Check:
    """One target: the simulated median and 5-95% band against the allowed range."""

    target: str
    observed: str
    low: float
    high: float
    median: float
    p05: float
    p95: float

    @property
    def passed(self) -> bool:
        """Whether the ensemble median lies inside the allowed range."""
        return self.low <= self.median <= self.high

    @property
    def miss(self) -> float:
        """Distance of the median outside the allowed range, in units of the range's width."""
        width = max(self.high - self.low, 1e-9)
        return max(self.low - self.median, self.median - self.high, 0.0) / width


def _check(target: str, observed: str, low: float, high: float, values) -> Check:
    v = np.asarray(values, dtype=float)  # quantiles without interpolation: censored runs are inf
    q = np.quantile(v, [0.5, 0.05, 0.95], method="inverted_cdf")
    return Check(target, observed, low, high, float(q[0]), float(q[1]), float(q[2]))


def checks(dailies: list[pd.DataFrame], districts: list[pd.DataFrame],
           until_day: int | None = None) -> list[Check]:
    """Every target checked over an ensemble of runs (daily and district tables, same order).

    A time to an event that did not happen within a run is censored, never dropped: it counts as
    infinite, so a run in which no capital falls fails the first-capital and Kabul targets.
    ``until_day`` keeps only the targets dated up to that day (the in-sample part of a
    time-split check).
    """
    out = []
    for row in record().itertuples():
        if row.day == 0 or (until_day is not None and row.day > until_day):
            continue  # the 1 May split is an input (sim.world.initial), checked as such, not a target
        shares = [_at(d, "districts_taliban", row.day) / len(dd)
                  for d, dd in zip(dailies, districts, strict=True)]
        out.append(_check(f"Taliban share {row.date}", f"{row.share:.1%} ({row.confidence})",
                          row.share - row.band, row.share + row.band, shares))
    if until_day is not None and until_day < AUG15:
        return out
    contested = [_at(d, "districts_contested", AUG10) / len(dd)
                 for d, dd in zip(dailies, districts, strict=True)]
    out.append(_check("contested share 2021-08-10", "27.5% (LWJ)", MIN_CONTESTED_AUG10, 1.0,
                      contested))
    first = [_first_day(d, "capitals_taliban") for d in dailies]
    kabul = [_first_day(d, "kabul_taliban") for d in dailies]
    out.append(_check("first capital falls (day)", "day 97 (6 Aug)", *FIRST_CAPITAL_DAYS, first))
    out.append(_check("first capital to Kabul (days)", "9 (6-15 Aug)", *CAPITALS_TO_KABUL_DAYS,
                      [k - f if np.isfinite(k) else np.inf for k, f in zip(kabul, first, strict=True)]))
    out.append(_check("most capitals fallen in one day", "8", 1, MAX_CAPITALS_PER_DAY,
                      [most_capitals_in_a_day(d) for d in dailies]))
    out.append(_check("capitals fallen by 15 Aug", "33 of 34", MIN_CAPITALS_BY_AUG15, 1e6,
                      [_at(d, "capitals_taliban", AUG15) for d in dailies]))
    out.append(_check("Taliban fighters 15 Aug", "58,000-100,000", *TALIBAN_AUG15,
                      [_at(d, "taliban_fighters", AUG15) for d in dailies]))
    out.append(_check("Taliban fighters 15 Aug / start", "growing", MIN_TALIBAN_GROWTH, 1e6,
                      [_at(d, "taliban_fighters", AUG15) / d["taliban_fighters"].iloc[0]
                       for d in dailies]))
    out.append(_check("desertion by 16 Jun / present", "~2% a month", 0.0, MAX_DESERTION_JUN16,
                      [_at(d, "government_deserted_to_date", JUN16) / d["government_troops"].iloc[0]
                       for d in dailies]))
    out.append(_check("soldiers fled abroad by 15 Aug", "thousands", MIN_FLED_AUG15, 1e9,
                      [_at(d, "government_fled_to_date", AUG15) for d in dailies]))
    out.append(_check("share of changes by assault", "a minority", 0.0, MAX_SHARE_ASSAULT,
                      [1.0 - _share_without_battle(dd) for dd in districts]))
    ratio = [cut_off_hazard_ratio(dd, len(d) - 1)
             for d, dd in zip(dailies, districts, strict=True)]
    out.append(_check("fall rate cut off / connected, day-stratified", "cut-off posts fell first",
                      1.0, 1e6, ratio))
    return out


def loss(found: list[Check]) -> float:
    """One number to minimise: summed squared misses (0 when every target passes)."""
    return float(sum(c.miss ** 2 for c in found))


def table(found: list[Check]) -> pd.DataFrame:
    """The checks as a table (target, record, allowed range, simulated median and band, pass)."""
    return pd.DataFrame([{
        "target": c.target, "record": c.observed, "low": round(c.low, 3),
        "high": round(c.high, 3), "median": round(c.median, 3), "p05": round(c.p05, 3),
        "p95": round(c.p95, 3), "pass": c.passed} for c in found])


def _at(daily: pd.DataFrame, column: str, day: int) -> float:
    """``column`` on ``day`` (the last day if the run is shorter)."""
    return float(daily[column].iloc[min(day, len(daily) - 1)])


def _first_day(daily: pd.DataFrame, column: str) -> float:
    """First day ``column`` is positive; infinite where it never is (censored: never a pass)."""
    day = _event_day(daily[column].to_numpy())
    return np.inf if day is None else float(day)


def most_capitals_in_a_day(daily: pd.DataFrame) -> float:
    """Most provincial capitals fallen on any one day of a run (0 where none fell)."""
    return float(np.diff(daily["capitals_taliban"].to_numpy()).max(initial=0))


def cut_off_hazard_ratio(districts: pd.DataFrame, horizon: int, stratum_days: int = 15) -> float:
    """Fall rate of rural districts once cut off over their rate while connected, by day strata.

    A Mantel-Haenszel rate ratio over strata of ``stratum_days`` days, so that time (everything
    falls faster late in the run) does not confound it. Each district held or contested at the
    start is exposed from day 0 until it falls or the run ends: connected before its first
    cut-off, cut off after. Above 1: cut-off posts fell faster on the same days (pattern P3).
    """
    rural = districts[~districts["is_provincial_capital"].astype(bool)
                      & (districts["initial_control"] != "taliban")]
    end = rural["fell_day"].astype("Float64").fillna(horizon).to_numpy(float)
    cut = np.minimum(rural["first_cut_off_day"].astype("Float64").fillna(np.inf)
                     .to_numpy(float), end)
    fell = rural["fell_day"].notna().to_numpy()
    num = den = 0.0
    for lo in range(0, horizon, stratum_days):
        hi = lo + stratum_days
        conn = np.clip(np.minimum(cut, hi) - lo, 0, None)  # connected days in the stratum
        cutd = np.clip(np.minimum(end, hi) - np.maximum(cut, lo), 0, None)
        ev = fell & (end >= lo) & (end < hi)
        ev_cut, ev_conn = (ev & (cut < end)).sum(), (ev & (cut >= end)).sum()
        total = conn.sum() + cutd.sum()
        if total > 0:
            num += ev_cut * conn.sum() / total
            den += ev_conn * cutd.sum() / total
    return float(num / den) if den > 0 else float("inf")


def _share_without_battle(districts: pd.DataFrame) -> float:
    causes = districts["fell_cause"].fillna("")
    causes = causes[causes != ""]
    return float((causes != "assault").mean()) if len(causes) else 1.0


# A "2021-like" run (DESIGN.md section 1): every pattern at once, in the same run.
PLATEAU_AUG10 = (0.46, 0.66)
FIRST_CAPITAL_DAYS = (92, 102)  # 6 August is day 97
MAX_CAPITALS_PER_DAY = 10  # 2021: at most 8 on one day
CAPITALS_TO_KABUL_DAYS = (5, 15)  # 2021: 9
PATTERNS = ("plateau", "contested", "first_capital", "cascade", "paced", "kabul_timing")


def run_patterns(daily: pd.DataFrame, n_districts: int) -> dict[str, bool]:
    """Which of the 2021 patterns one run has; an event that never happened fails its pattern."""
    capitals = daily["capitals_taliban"].to_numpy()
    first = _event_day(capitals)
    kabul = _event_day(daily["kabul_taliban"].to_numpy())
    found = {
        "plateau": PLATEAU_AUG10[0] <= _at(daily, "districts_taliban", AUG10) / n_districts
        <= PLATEAU_AUG10[1],
        "contested": _at(daily, "districts_contested", AUG10) / n_districts >= MIN_CONTESTED_AUG10,
        "first_capital": first is not None and FIRST_CAPITAL_DAYS[0] <= first <= FIRST_CAPITAL_DAYS[1],
        "cascade": _at(daily, "capitals_taliban", AUG15) >= MIN_CAPITALS_BY_AUG15,
        "paced": first is not None and most_capitals_in_a_day(daily) <= MAX_CAPITALS_PER_DAY,
        "kabul_timing": first is not None and kabul is not None
        and CAPITALS_TO_KABUL_DAYS[0] <= kabul - first <= CAPITALS_TO_KABUL_DAYS[1],
    }
    found["all"] = all(found[p] for p in PATTERNS)
    return found


def pattern_shares(dailies: list[pd.DataFrame], n_districts: int) -> pd.Series:
    """Share of runs that have each pattern, and all of them ("all": the 2021-like runs)."""
    return pd.DataFrame([run_patterns(d, n_districts) for d in dailies]).mean()


def _event_day(series: np.ndarray) -> int | None:
    """First day a count is positive, or None if it never is within the run."""
    hit = np.flatnonzero(series > 0)
    return int(hit[0]) if len(hit) else None
