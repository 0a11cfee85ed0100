"""Sweep throughput through ``sim.run_many``: runs per minute on 1 and 2 workers, overhead per run.

One config is composed once and varied by seed. In each round: the bare runs (``sim.run`` in
this process, one after another), the same sweep through ``run_many`` with 1 worker (in this
process), then with 2 loky workers. The first 2-worker sweep also starts the workers (imports,
packaged map); later rounds reuse them, as a long sweep does, so the figures are reported for
the cold first round and the warm ones apart. Overhead per run is the worker-seconds a run takes
in the sweep (wall x workers / runs) minus the bare run's time, as a share of the bare run: it
counts dispatch, pickling the results back and, with 2 workers, whatever slows two runs sharing
the machine. Medians over rounds.

    python benchmarks/bench_sweep.py [--runs 8] [--rounds 3] [overrides ...]
"""

from __future__ import annotations

import argparse
import statistics
import time

import sim
from sim.batch import vary


def wall(fn) -> float:
    """Wall seconds of ``fn()``."""
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    """Time bare runs and sweeps on 1 and 2 workers; print runs per minute and overhead."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("overrides", nargs="*", default=[])
    args = parser.parse_args()
    base = sim.load_config(args.overrides)
    configs = [vary(base, {"seed": s}) for s in range(args.runs)]
    sim.run(base)  # warm-up: imports, the packaged map and its caches in this process
    rounds = []
    for _ in range(args.rounds):
        bare = wall(lambda: [sim.run(c) for c in configs]) / args.runs
        one = wall(lambda: sim.run_many(configs, n_jobs=1, progress=False))
        two = wall(lambda: sim.run_many(configs, n_jobs=2, progress=False))
        rounds.append((bare, one, two))

    def report(label: str, rows: list[tuple[float, float, float]]) -> None:
        bare, one, two = (statistics.median(r[i] for r in rows) for i in range(3))
        over_one = 100 * (one / args.runs - bare) / bare
        over_two = 100 * (2 * two / args.runs - bare) / bare
        print(f"{label}: bare run {bare:.3f} s | 1 worker {60 * args.runs / one:6.1f} runs/min, "
              f"overhead {over_one:+.0f}% | 2 workers {60 * args.runs / two:6.1f} runs/min, "
              f"overhead {over_two:+.0f}% | speed-up {one / two:.2f}x")

    print(f"{args.runs} runs x {base.days} days on the {base.space.kind.name.lower()} map, "
          f"{args.rounds} rounds (medians)")
    report("round 1 (cold: starts the workers)", rounds[:1])
    if len(rounds) > 1:
        report(f"rounds 2-{len(rounds)} (warm workers)", rounds[1:])


if __name__ == "__main__":
    main()
