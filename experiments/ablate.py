"""Switch each mechanism off in turn at the calibrated defaults; write its paired effects.

    python experiments/ablate.py --seeds 20 --out outputs/ablation

Writes ``ablation.csv`` (``mechanism, override, outcome, effect, low, high, n``: the paired
effect of switching the mechanism off, with its 95% interval), ``runs.csv`` (every run's
outcomes) and ``ablation.png``. See ``sim.ablation`` for the mechanisms and outcomes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim import ablation, plotting


def main(argv: list[str] | None = None) -> int:
    """Run the study and write its tables and figure; return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20, help="paired seeds per arm (>= 2)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("outputs/ablation"))
    args = parser.parse_args(argv)
    if args.seeds < 2:
        print(f"error: --seeds={args.seeds}: must be at least 2 (an interval needs two)",
              file=sys.stderr)
        return 2
    runs = ablation.runs(args.seeds, args.workers)
    effects = ablation.effects(runs)
    args.out.mkdir(parents=True, exist_ok=True)
    runs.to_csv(args.out / "runs.csv", index=False)
    effects.to_csv(args.out / "ablation.csv", index=False)
    plotting.ablation(effects).savefig(args.out / "ablation.png", dpi=120)
    print(effects.round(3).to_string(index=False))
    print(f"-> {args.out}/ablation.csv, runs.csv, ablation.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
