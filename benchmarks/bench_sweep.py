"""Sweep throughput: runs per minute of a Hydra multirun, 1 worker vs 2.

The basic launcher (1 worker) against the joblib launcher (2 workers), default scenario on the
real map.

    python benchmarks/bench_sweep.py [--runs 8] [--days 120]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def sweep_minutes(runs: int, days: int, launcher: list[str]) -> float:
    """Wall time in minutes of one multirun of ``runs`` seeds (process start included)."""
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "sim", "-m", f"seed=range(0,{runs})", f"days={days}",
                        *launcher, f"hydra.sweep.dir={out}"], check=True, cwd=ROOT,
                       capture_output=True)
        elapsed = time.perf_counter() - start
        assert len(list(Path(out).glob("*/summary.json"))) == runs
    return elapsed / 60


def main() -> None:
    """Time both launchers and print runs per minute."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--days", type=int, default=120)
    args = parser.parse_args()
    serial = sweep_minutes(args.runs, args.days, [])
    parallel = sweep_minutes(args.runs, args.days,
                             ["hydra/launcher=parallel", "hydra.launcher.n_jobs=2"])
    print(f"{args.runs} runs x {args.days} days, real map")
    print(f"1 worker (basic launcher):   {args.runs / serial:6.1f} runs/min")
    print(f"2 workers (joblib launcher): {args.runs / parallel:6.1f} runs/min "
          f"(speed-up {serial / parallel:.2f}x)")


if __name__ == "__main__":
    main()
