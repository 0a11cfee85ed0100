"""Sweep throughput through ``sim.run_many``: runs per minute on 1 and 2 workers, overhead per run.

One config is composed once and varied by seed. In each round: the bare runs (``sim.run`` in
this process, one after another), the same sweep through ``run_many`` with 1 worker (in this
process), and with 2 loky workers, in an order that rotates from round to round. The first
2-worker sweep also starts the workers (imports, packaged map); later rounds reuse them, as a
long sweep does, so the cold first round and the warm ones are reported apart. Medians over
rounds.

Overhead per run, in wall time (the definition of the issue): the worker-seconds a run takes in
the sweep (wall x workers / runs) minus the bare run's wall time, as a share of it. It counts
dispatch and pickling results back, but on a shared machine also every core other work takes. So
each line also gives the CPU seconds per run of this process tree (parent and workers) against
the bare runs' (overhead in CPU, which other work hardly moves), and the cores other processes
kept busy meanwhile (system CPU time minus this process tree's, over the wall time): a 2-worker
speed-up above 1 needs a second free core.

    python benchmarks/bench_sweep.py [--runs 8] [--rounds 3] [overrides ...]
"""

from __future__ import annotations

import argparse
import statistics
import time

import psutil
from machine import load

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


def timed(fn) -> tuple[float, float, float]:
    """Wall seconds of ``fn()``, this process tree's CPU seconds, and other work's busy cores."""
    start, machine, mine = time.perf_counter(), busy(), ours()
    fn()
    elapsed, cpu = time.perf_counter() - start, ours() - mine
    return elapsed, cpu, max(0.0, busy() - machine - cpu) / elapsed


def main() -> None:
    """Time bare runs and sweeps on 1 and 2 workers; print runs per minute and overhead."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("overrides", nargs="*", default=[])
    args = parser.parse_args()
    print(f"start: {load()}")
    base = sim.load_config(args.overrides)
    configs = [vary(base, {"seed": s}) for s in range(args.runs)]
    sim.run(base)  # warm-up: imports, the packaged map and its caches in this process
    phases = {"bare runs": lambda: [sim.run(c) for c in configs],
              "1 worker": lambda: sim.run_many(configs, n_jobs=1, progress=False),
              "2 workers": lambda: sim.run_many(configs, n_jobs=2, progress=False)}
    rounds = []
    for r in range(args.rounds):  # the phases' order rotates, so no phase always runs first
        order = list(phases)[r % 3:] + list(phases)[:r % 3]
        timings = {name: timed(phases[name]) for name in order}
        rounds.append({name: timings[name] for name in phases})
    print(f"end: {load()}")
    print(f"{args.runs} runs x {base.days} days on the {base.space.kind.name.lower()} map, "
          f"{args.rounds} rounds (medians)")
    report("round 1 (cold: starts the workers)", rounds[:1], args.runs)
    if len(rounds) > 1:
        report(f"rounds 2-{len(rounds)} (warm workers)", rounds[1:], args.runs)


def report(label: str, rounds: list[dict], runs: int) -> None:
    """Print one table: runs per minute, overhead in wall and CPU time, other work's cores."""
    med = {name: [statistics.median(r[name][i] for r in rounds) for i in range(3)]
           for name in rounds[0]}
    bare_wall, bare_cpu = med["bare runs"][0] / runs, med["bare runs"][1] / runs
    print(label)
    print(f"  {'':10} {'runs/min':>9} {'overhead':>9} {'CPU s/run':>10} {'CPU over.':>10} "
          f"{'other cores':>12}")
    for name, (wall, cpu, others) in med.items():
        workers = 2 if name == "2 workers" else 1
        overhead = 100 * (workers * wall / runs - bare_wall) / bare_wall
        print(f"  {name:10} {60 * runs / wall:9.1f} {overhead:+8.0f}% {cpu / runs:10.2f} "
              f"{100 * (cpu / runs - bare_cpu) / bare_cpu:+9.0f}% {others:12.1f}")
    print(f"  speed-up of 2 workers over 1: {med['1 worker'][0] / med['2 workers'][0]:.2f}x")


if __name__ == "__main__":
    main()
