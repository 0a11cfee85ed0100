"""Why runs miss 2021: the capital cascade's onset and what the first days after it take.

For each seed, the day the first capital falls (the onset), the Taliban share the day before,
the Taliban and contested shares and the capitals fallen 4 days after, the capitals 9 days
after, and how the districts that changed hands in the 5 days from the onset changed hands.
In 2021 the onset was 6 August (day 97); on 10 August the share stood at 0.56 with 0.27
contested, and 33 capitals had fallen by 15 August.

    python experiments/onset.py --seeds 0:50 [override ...]

Only the public API (``sim.load_config``, ``sim.run_many``) is used. Runs without a fallen
capital are counted (censored), not dropped from the onset's quantiles.
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

import sim

DAYS = 125


def after_onset(result) -> dict[str, float]:
    """One run's onset and the first days after it (NaN figures when no capital falls)."""
    daily, n = result.daily, len(result.districts)
    capitals = daily["capitals_taliban"].to_numpy()
    share = daily["districts_taliban"].to_numpy() / n
    contested = daily["districts_contested"].to_numpy() / n
    fallen = np.flatnonzero(capitals > 0)
    if len(fallen) == 0:
        return {"onset": np.inf}
    onset = int(fallen[0])
    last = len(daily) - 1

    def at(series: np.ndarray, day: int) -> float:
        return float(series[min(day, last)])

    events = result.events
    window = events[(events["event"] == "fell") & (events["day"] >= onset)
                    & (events["day"] < onset + 5)]
    causes = window["cause"].value_counts()
    return {"onset": onset, "share_before": at(share, onset - 1),
            "share_after_4": at(share, onset + 4), "contested_after_4": at(contested, onset + 4),
            "capitals_after_4": at(capitals, onset + 4),
            "capitals_after_9": at(capitals, onset + 9),
            **{f"fell_by_{cause}": float(count) for cause, count in causes.items()}}


def main(argv: list[str] | None = None) -> None:
    """Run the seeds and print each run's onset figures, then their quantiles."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0:50", help="a block of seeds, first:stop")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("overrides", nargs="*", help="config overrides, as for python -m sim")
    args = parser.parse_args(argv)
    first, stop = (int(x) for x in args.seeds.split(":"))
    configs = [sim.load_config([*args.overrides, f"seed={s}", f"days={DAYS}"])
               for s in range(first, stop)]
    table = pd.DataFrame(sim.run_many(configs, n_jobs=args.workers, keep=after_onset))
    table = table.fillna({c: 0.0 for c in table.columns if c.startswith("fell_by_")})
    pd.set_option("display.width", 200)
    print(table.sort_values("onset").round(2).to_string(index=False))
    onset = table["onset"]
    print(f"\nonset (day; inf = no capital by day {DAYS}): 10%, 50%, 90% =",
          onset.quantile([0.1, 0.5, 0.9], interpolation="lower").tolist())
    print("medians over runs with an onset:")
    print(table[np.isfinite(onset)].drop(columns="onset").median().round(2).to_string())


if __name__ == "__main__":
    main()
