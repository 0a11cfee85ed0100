"""Which random draws carry the onset's spread: one mechanism's stream varied, the others fixed.

Each mechanism draws from its own named stream (``sim.world.rng``). Here every stream comes
from a base seed except one, drawn as a run of another seed would draw it; over a block of such
seeds, the spread of the first capital's day (the onset) is what that mechanism's chance alone
makes of it. The arm ``all`` varies every stream (ordinary seeds). If one stream carried most of
the spread, taming that mechanism's noise would tighten the onset; if each alone gives nearly
the whole spread, the spread comes from the dynamics near the tipping point amplifying any
difference.

    python experiments/onset_streams.py --base 0 --seeds 1:21 [override ...]

Runs without a fallen capital count as day ``DAYS`` (censored) in the quantiles.
"""

from __future__ import annotations

import argparse
from unittest import mock

import numpy as np
import pandas as pd
from tqdm import tqdm

import sim
from sim.world.rng import STREAM_NAMES, Streams

DAYS = 125
UNUSED_ON_THE_REAL_MAP = ("space",)  # the synthetic map's stream


def streams_varying(name: str, base: int, seed: int) -> type[Streams]:
    """A ``Streams`` whose ``name`` stream is that of ``seed`` and every other that of ``base``."""

    class OneVaried(Streams):
        def __init__(self, _seed: int) -> None:
            super().__init__(base)
            self.replace(name, seed)

    return OneVaried


def onset_figures(overrides: list[str], name: str, base: int, seed: int) -> dict[str, float]:
    """One run's onset, 9 July share and 1 August belief, with ``name``'s stream from ``seed``."""
    config = sim.load_config([*overrides, f"seed={seed if name == 'all' else base}", f"days={DAYS}"])
    if name == "all":
        result = sim.run(config)
    else:
        with mock.patch("sim.model.model.Streams", streams_varying(name, base, seed)):
            result = sim.run(config)
    daily = result.daily
    fallen = np.flatnonzero(daily["capitals_taliban"].to_numpy() > 0)
    return {"stream": name, "seed": seed, "onset": int(fallen[0]) if len(fallen) else DAYS,
            "share_9_july": daily["districts_taliban"].to_numpy()[69] / len(result.districts),
            "belief_1_august": daily["belief"].to_numpy()[92]}


def main(argv: list[str] | None = None) -> None:
    """Run every stream's arm over the seeds and print the onset's spread in each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=int, default=0, help="the seed of the streams held fixed")
    parser.add_argument("--seeds", default="1:21", help="a block of seeds, first:stop")
    parser.add_argument("overrides", nargs="*", help="config overrides, as for python -m sim")
    args = parser.parse_args(argv)
    first, stop = (int(x) for x in args.seeds.split(":"))
    arms = ["all", *(n for n in STREAM_NAMES if n not in UNUSED_ON_THE_REAL_MAP)]
    jobs = [(name, seed) for name in arms for seed in range(first, stop)]
    rows = pd.DataFrame([onset_figures(args.overrides, name, args.base, seed)
                         for name, seed in tqdm(jobs, desc="runs")])
    by = rows.groupby("stream")
    table = pd.DataFrame({
        "onset_10%": by["onset"].quantile(0.1), "onset_50%": by["onset"].median(),
        "onset_90%": by["onset"].quantile(0.9), "onset_sd": by["onset"].std(),
        "share_9_july_sd": by["share_9_july"].std(), "belief_1_august_sd": by["belief_1_august"].std()})
    print(table.round(3).sort_values("onset_sd").to_string())


if __name__ == "__main__":
    main()
