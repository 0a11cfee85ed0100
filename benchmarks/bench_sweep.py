"""Sweep throughput through ``sim.run_many``: runs per minute on 1 and 2 workers, overhead per run.

One config is composed once and varied by seed. In each round: the bare runs (``sim.run`` in
this process, one after another), the same sweep through ``run_many`` with 1 worker (in this
process), then with 2 loky workers. The first 2-worker sweep also starts the workers (imports,
packaged map); later rounds reuse them, as a long sweep does, so the figures are reported for
the cold first round and the warm ones apart. Overhead per run is the worker-seconds a run takes
in the sweep (wall x workers / runs) minus the bare run's time, as a share of the bare run: it
counts dispatch, pickling the results back and, with 2 workers, whatever slows two runs sharing
the machine. Medians over rounds. On a shared machine the speed-up is bounded by the cores
other work leaves free, so each figure comes with the cores other processes kept busy meanwhile
(system CPU time minus this process tree's, over the wall time).

    python benchmarks/bench_sweep.py [--runs 8] [--rounds 3] [overrides ...]
"""

from __future__ import annotations

import argparse
import statistics
import time

import psutil

import sim
from sim.batch import vary


def ours() -> float:
    """CPU seconds used so far by this process and its live children (the loky workers)."""
    me = psutil.Process()
    return sum(sum(p.cpu_times()[:2]) for p in [me, *me.children(recursive=True)])


def busy() -> float:
    """CPU seconds the whole machine has been busy (all cores; Linux counts guest time in user)."""
    times = psutil.cpu_times()._asdict()
    idle = ("idle", "iowait", "guest", "guest_nice")
    return sum(v for k, v in times.items() if k not in idle)


def timed(fn) -> tuple[float, float]:
    """Wall seconds of ``fn()``, and the cores other processes kept busy meanwhile."""
    start, machine, mine = time.perf_counter(), busy(), ours()
    fn()
    elapsed = time.perf_counter() - start
    return elapsed, max(0.0, (busy() - machine) - (ours() - mine)) / elapsed


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
        bare, bare_load = timed(lambda: [sim.run(c) for c in configs])
        one, one_load = timed(lambda: sim.run_many(configs, n_jobs=1, progress=False))
        two, two_load = timed(lambda: sim.run_many(configs, n_jobs=2, progress=False))
        rounds.append((bare / args.runs, one, two, bare_load, one_load, two_load))

    def report(label: str, rows: list[tuple]) -> None:
        bare, one, two, *load = (statistics.median(r[i] for r in rows) for i in range(6))
        over_one = 100 * (one / args.runs - bare) / bare
        over_two = 100 * (2 * two / args.runs - bare) / bare
        print(f"{label}: bare run {bare:.3f} s | 1 worker {60 * args.runs / one:6.1f} runs/min, "
              f"overhead {over_one:+.0f}% | 2 workers {60 * args.runs / two:6.1f} runs/min, "
              f"overhead {over_two:+.0f}% | speed-up {one / two:.2f}x | cores busy with other "
              f"work: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (bare / 1 / 2 workers)")

    print(f"{args.runs} runs x {base.days} days on the {base.space.kind.name.lower()} map, "
          f"{args.rounds} rounds (medians)")
    report("round 1 (cold: starts the workers)", rounds[:1])
    if len(rounds) > 1:
        report(f"rounds 2-{len(rounds)} (warm workers)", rounds[1:])


if __name__ == "__main__":
    main()
