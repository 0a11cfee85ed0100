"""The 2021 record as calibration targets, and how well an ensemble of runs meets them.

Only calibration, validation and plots read this module: no mechanism of the model does. The
district-control sources use different totals (370, 398, 407, 419), so runs are compared as
shares of districts, within bands (+/-10 points where a good source exists, +/-15 otherwise).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources

import numpy as np
import pandas as pd

START = dt.date(2021, 5, 1)
BAND = {"high": 0.10, "medium": 0.15}
# Pattern targets (DESIGN.md P2, P4): day numbers count from 2021-05-01.
FIRST_CAPITAL_DAYS = (80, 100)  # capitals besieged from late June, first fell 6 August (day 97)
KABUL_DAYS = (100, 115)  # Kabul fell on 15 August (day 106), last
CAPITALS_BY_KABUL = 25  # nearly all 34 capitals fell within about ten days, before Kabul
MIN_SHARE_WITHOUT_BATTLE = 0.6  # most changes of hands by surrender, negotiation, withdrawal


def record() -> pd.DataFrame:
    """Taliban-held share of districts on each recorded date (stock rows only), with its band."""
    path = resources.files("sim") / "data" / "district_control.csv"
    with path.open("r", encoding="utf-8") as fh:
        rec = pd.read_csv(fh)
    rec = rec[rec["kind"].str.startswith("stock")].copy()
    rec["day"] = [(dt.date.fromisoformat(d) - START).days for d in rec["date"]]
    rec["share"] = rec["taliban"] / rec["total"]
    rec["band"] = rec["confidence"].map(BAND)
    return rec[["date", "day", "share", "band", "confidence", "source"]].reset_index(drop=True)


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
    v = np.asarray(values, dtype=float)
    return Check(target, observed, low, high, float(np.median(v)), float(np.quantile(v, 0.05)),
                 float(np.quantile(v, 0.95)))


def checks(dailies: list[pd.DataFrame], districts: list[pd.DataFrame]) -> list[Check]:
    """Every target checked over an ensemble of runs (daily and district tables, same order)."""
    out = []
    for row in record().itertuples():
        shares = [d["districts_taliban"].iloc[min(row.day, len(d) - 1)] / len(dd)
                  for d, dd in zip(dailies, districts, strict=True)]
        out.append(_check(f"Taliban share {row.date}", f"{row.share:.1%} ({row.confidence})",
                          row.share - row.band, row.share + row.band, shares))
    horizon = [len(d) - 1 for d in dailies]
    first = [_first_day(d, "capitals_taliban", h) for d, h in zip(dailies, horizon, strict=True)]
    kabul = [_first_day(d, "kabul_taliban", h) for d, h in zip(dailies, horizon, strict=True)]
    out.append(_check("first capital falls (day)", "day 97 (6 Aug)", *FIRST_CAPITAL_DAYS, first))
    out.append(_check("Kabul falls (day)", "day 106 (15 Aug)", *KABUL_DAYS, kabul))
    by_kabul = [d["capitals_taliban"].iloc[min(k, len(d) - 1)] for d, k in
                zip(dailies, np.minimum(kabul, 106).astype(int), strict=True)]
    out.append(_check("capitals lost by Kabul's fall", "most of 34", CAPITALS_BY_KABUL, 34,
                      by_kabul))
    ratio = [_cut_off_hazard_ratio(dd, len(d) - 1)
             for d, dd in zip(dailies, districts, strict=True)]
    out.append(_check("fall rate cut off / connected", "cut-off posts fell first", 1.0, 1e6,
                      ratio))
    quiet = [_share_without_battle(dd) for dd in districts]
    out.append(_check("share of changes without battle", "most", MIN_SHARE_WITHOUT_BATTLE, 1.0,
                      quiet))
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


def _first_day(daily: pd.DataFrame, column: str, horizon: int) -> float:
    """First day ``column`` is positive; runs where it never is count as 30 days past the end."""
    hit = np.flatnonzero(daily[column].to_numpy() > 0)
    return float(hit[0]) if len(hit) else float(horizon + 30)


def _cut_off_hazard_ratio(districts: pd.DataFrame, horizon: int) -> float:
    """Daily fall rate of rural districts once cut off, over their rate while connected.

    Each district held (or contested) at the start counts its days before its first cut-off as
    connected exposure and the days after as cut-off exposure, until it falls or the run ends.
    Above 1: cut-off posts fell faster (pattern P3).
    """
    rural = districts[~districts["is_provincial_capital"].astype(bool)
                      & (districts["initial_control"] != "taliban")]
    end = rural["fell_day"].astype("Float64").fillna(horizon).to_numpy(float)
    cut = rural["first_cut_off_day"].astype("Float64").fillna(np.inf).to_numpy(float)
    fell = rural["fell_day"].notna().to_numpy()
    cut = np.minimum(cut, end)
    fell_cut = fell & (cut < end)
    rate_cut = fell_cut.sum() / max((end - cut).sum(), 1.0)
    rate_connected = (fell & ~fell_cut).sum() / max(cut.sum(), 1.0)
    return float(rate_cut / rate_connected) if rate_connected > 0 else float("inf")


def _share_without_battle(districts: pd.DataFrame) -> float:
    causes = districts["fell_cause"].fillna("")
    causes = causes[causes != ""]
    return float((causes != "assault").mean()) if len(causes) else 1.0
