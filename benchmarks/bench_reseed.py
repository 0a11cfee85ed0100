"""Show that the structure-of-arrays core's one reseeding left the model's outcomes unchanged.

The array core draws its random numbers in a different order (all of a day's combat draws at
once, the campaign's Gumbel noise only over valid objectives, as one matrix, ...), so a seed no
longer gives the run it gave before. What must not change is the distribution of outcomes. This
script runs the default config on seeds 0..n-1 with the code of another git tree (by default the
commit before the change, checked out with ``git worktree add /tmp/old e11a042``) and with this
tree's code, each in its own process, and compares the key outcomes with two two-sample tests
(Kolmogorov-Smirnov and Mann-Whitney U, scipy.stats):

- Taliban-held districts on day 120 and the Taliban share of districts on day 70;
- the day the first provincial capital fell and the capitals fallen by day 106;
- the day Kabul fell, restricted to the horizon (120 where it did not fall).

    python benchmarks/bench_reseed.py [--old /tmp/old] [--seeds 100] [overrides ...]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parents[1]
OUTCOMES = ("districts_taliban_day120", "taliban_share_day70", "first_capital_day",
            "capitals_taliban_day106", "kabul_day_restricted")


def outcomes(daily) -> dict[str, float]:
    """The key outcomes of one run from its daily table (day 0 is the first row)."""
    horizon = int(daily["day"].iloc[-1])
    n = int(daily[["districts_taliban", "districts_contested", "districts_government"]]
            .iloc[0].sum())
    at = daily.set_index("day")
    capital = at.index[at["capitals_taliban"] > 0]
    kabul = at.index[at["kabul_taliban"] > 0]
    return {"districts_taliban_day120": float(at.loc[min(120, horizon), "districts_taliban"]),
            "taliban_share_day70": float(at.loc[min(70, horizon), "districts_taliban"]) / n,
            "first_capital_day": float(capital[0]) if len(capital) else float(horizon),
            "capitals_taliban_day106": float(at.loc[min(106, horizon), "capitals_taliban"]),
            "kabul_day_restricted": float(min(kabul[0], 120)) if len(kabul) else 120.0}


def collect(seeds: int, overrides: list[str]) -> None:
    """Run seeds 0..seeds-1 with whichever ``sim`` is importable; print their outcomes as JSON."""
    import sim
    from sim.batch import vary

    base = sim.load_config(overrides)
    rows = [outcomes(sim.run(vary(base, {"seed": s})).daily) for s in range(seeds)]
    print(json.dumps({k: [r[k] for r in rows] for k in OUTCOMES}))


def run_tree(tree: Path, seeds: int, overrides: list[str]) -> subprocess.Popen:
    """Start collecting with the ``sim`` package of ``tree`` in a child process."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.Popen([sys.executable, __file__, "--collect", "--seeds", str(seeds),
                             *overrides], env=env, cwd=tree, stdout=subprocess.PIPE, text=True)


def main() -> None:
    """Collect both trees' outcomes (in parallel) and print the two-sample tests."""
    from scipy.stats import ks_2samp, mannwhitneyu

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path, default=Path("/tmp/old"))
    parser.add_argument("--seeds", type=int, default=100)
    parser.add_argument("--collect", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("overrides", nargs="*", default=[])
    args = parser.parse_args()
    if args.collect:
        collect(args.seeds, args.overrides)
        return
    if not (args.old / "sim").is_dir():
        sys.exit(f"--old={args.old}: no sim package there (git worktree add {args.old} e11a042)")
    children = {"old": run_tree(args.old, args.seeds, args.overrides),
                "new": run_tree(HERE, args.seeds, args.overrides)}
    data = {}
    for name, child in children.items():
        out, _ = child.communicate()
        if child.returncode:
            sys.exit(f"the {name} tree's runs failed (exit {child.returncode})")
        data[name] = json.loads(out)
    print(f"{args.seeds} seeds each; old = {args.old}, new = {HERE}")
    print(f"{'outcome':26} {'old mean':>9} {'new mean':>9} {'old sd':>7} {'new sd':>7} "
          f"{'KS p':>6} {'MWU p':>6}")
    for key in OUTCOMES:
        old, new = np.array(data["old"][key]), np.array(data["new"][key])
        ks = ks_2samp(old, new).pvalue
        mw = mannwhitneyu(old, new).pvalue
        print(f"{key:26} {old.mean():9.3f} {new.mean():9.3f} {old.std(ddof=1):7.3f} "
              f"{new.std(ddof=1):7.3f} {ks:6.3f} {mw:6.3f}")


if __name__ == "__main__":
    main()
