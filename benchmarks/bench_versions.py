"""Time the default 120-day run under two versions of the code, run by run, turn about.

Each version runs in its own worker process, started in that version's source tree (say, an
older commit exported with ``git archive <commit> | tar -x -C /tmp/old``); the parent asks
the two for one run at a time, alternating which goes first, over seeds 0-5 in turn. On a
shared machine the load drifts from minute to minute by more than a change of a few percent;
interleaving single runs puts both versions under the same drift, and the paired ratio (the
same seed, back to back) cancels most of it. Prints each version's median CPU seconds per run,
the median and quartiles of the paired ratios, and per seed the ratio of the fastest runs.

    python benchmarks/bench_versions.py OLD_TREE NEW_TREE [--runs 60]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time

SEEDS = 6


def worker() -> None:
    """Serve runs: read a seed per line on stdin, print that run's CPU seconds."""
    import sim
    from sim.batch import vary
    from sim.model.model import OffensiveModel

    base = sim.load_config([])

    def run(seed: int) -> float:
        cpu = time.process_time()
        model = OffensiveModel(vary(base, {"seed": seed}))
        for _ in range(base.days):
            model.step()
        return time.process_time() - cpu

    run(0)  # warm-up: imports, the packaged map and its caches
    print("ready", flush=True)
    for line in sys.stdin:
        print(f"{run(int(line)):.5f}", flush=True)


def start(tree: str) -> subprocess.Popen:
    """A worker whose ``sim`` is the one under ``tree``."""
    env = {**os.environ, "PYTHONPATH": os.path.abspath(tree)}
    proc = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--worker"], cwd=tree,
                            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    if proc.stdout.readline().strip() != "ready":
        raise RuntimeError(f"the worker in {tree} did not start")
    return proc


def main() -> None:
    """Interleave the two versions' runs and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    if "--worker" in sys.argv:
        worker()
        return
    args = parser.parse_args()
    procs = [start(args.old), start(args.new)]
    times: list[list[float]] = [[], []]
    for i in range(args.runs):
        for k in ((0, 1) if i % 2 == 0 else (1, 0)):
            procs[k].stdin.write(f"{i % SEEDS}\n")
            procs[k].stdin.flush()
            times[k].append(float(procs[k].stdout.readline()))
    for proc in procs:
        proc.stdin.close()
        proc.wait()
    old, new = times
    ratios = sorted(b / a for a, b in zip(old, new, strict=True))
    quart = len(ratios) // 4
    fastest = [min(t[s::SEEDS]) for t in times for s in range(SEEDS)]
    print(f"runs: {args.runs} of each, interleaved, seeds 0-{SEEDS - 1} in turn; "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"old {args.old}: CPU median {statistics.median(old):.3f} s per run")
    print(f"new {args.new}: CPU median {statistics.median(new):.3f} s per run")
    print(f"paired new/old: median {statistics.median(ratios):.3f} "
          f"(quartiles {ratios[quart]:.3f}-{ratios[-quart - 1]:.3f})")
    print("fastest run per seed, new/old: " + " ".join(
        f"{fastest[SEEDS + s] / fastest[s]:.3f}" for s in range(SEEDS))
          + f"; all seeds {sum(fastest[SEEDS:]) / sum(fastest[:SEEDS]):.3f}")


if __name__ == "__main__":
    main()
