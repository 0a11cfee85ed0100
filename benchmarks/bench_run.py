"""Time the default 120-day run on the real map against Mesa's own VirusOnNetwork example.

Both models run in this process, their repeats interleaved (so that load from other work on the
machine falls on both alike): the default real-map run over seeds 0..repeats-1, and Mesa's
VirusOnNetwork (400 nodes, 120 steps) on a seeded graph (the example draws its graph from
networkx's global generator; here it gets the model's seed). Prints the median wall and CPU time
of each, their ratio, agent-steps per second (agents alive each day, summed over days) and the
peak traced memory (tracemalloc) of one run of each, then the process's peak resident memory,
with the machine's load average before and after.

    python benchmarks/bench_run.py [--repeats 5] [overrides ...]
"""

from __future__ import annotations

import argparse
import functools
import gc
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable
from unittest import mock

import networkx as nx
from machine import load
from mesa.examples.basic.virus_on_network.model import VirusOnNetwork

import sim
from sim.batch import vary
from sim.model.model import OffensiveModel

VIRUS_NODES, VIRUS_STEPS = 400, 120


def run_offensive(config: sim.SimConfig) -> int:
    """Build and run one simulation; return its agent-steps."""
    model = OffensiveModel(config)
    agent_steps = 0
    for _ in range(config.days):
        agent_steps += len(model.agents)
        model.step()
    return agent_steps


def run_virus(seed: int) -> int:
    """Build Mesa's VirusOnNetwork on a graph seeded like the model, run it; return agent-steps."""
    seeded = functools.partial(nx.erdos_renyi_graph, seed=seed)
    with mock.patch("networkx.erdos_renyi_graph", seeded):
        model = VirusOnNetwork(num_nodes=VIRUS_NODES, seed=seed)
    agent_steps = 0
    for _ in range(VIRUS_STEPS):
        agent_steps += len(model.agents)
        model.step()
    return agent_steps


def timed(fn: Callable[[], int]) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and the return value of ``fn()``.

    Garbage is collected first, so that the cycles one model leaves are not collected inside
    the other's timing.
    """
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, value


def traced_peak(fn: Callable[[], int]) -> float:
    """Peak traced memory of ``fn()`` in MiB."""
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    """Run both models, interleaved, and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("overrides", nargs="*", default=[])
    args = parser.parse_args()
    print(f"start: {load()}")
    base = sim.load_config(args.overrides)  # composed once; seeds varied below
    run_offensive(base), run_virus(0)  # warm-up: imports, the packaged map and its caches
    ours, virus = [], []
    for seed in range(args.repeats):
        ours.append(timed(lambda s=seed: run_offensive(vary(base, {"seed": s}))))
        virus.append(timed(lambda s=seed: run_virus(s)))
    peak_ours, peak_virus = traced_peak(lambda: run_offensive(base)), traced_peak(lambda: run_virus(0))

    def median(rows: list, i: int) -> float:
        return statistics.median(r[i] for r in rows)

    print(f"end: {load()}")
    print(f"runs: {args.repeats} of each, interleaved, in one process")
    for name, rows, peak in ((f"offensive ({base.space.kind.name.lower()} map, {base.days} days)",
                              ours, peak_ours),
                             (f"Mesa VirusOnNetwork ({VIRUS_NODES} nodes, {VIRUS_STEPS} steps)",
                              virus, peak_virus)):
        print(f"{name}: wall median {median(rows, 0):.3f} s (min {min(r[0] for r in rows):.3f}), "
              f"CPU median {median(rows, 1):.3f} s; {median(rows, 2):,.0f} agent-steps, "
              f"{median(rows, 2) / median(rows, 0):,.0f} agent-steps/s; peak traced {peak:.1f} MiB")
    print(f"ratio offensive / VirusOnNetwork: wall {median(ours, 0) / median(virus, 0):.1f}x, "
          f"CPU {median(ours, 1) / median(virus, 1):.1f}x")
    print(f"peak resident memory of this process: "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
