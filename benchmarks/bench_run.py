"""Time the default 120-day run on the real map, over several seeds.

Prints the median wall time, agent-steps per second and peak memory (tracemalloc).

    python benchmarks/bench_run.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc

import sim


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("overrides", nargs="*", default=[])
    args = parser.parse_args()
    sim.run(sim.load_config(args.overrides))  # warm-up: imports, packaged map cache
    times, agent_steps = [], []
    for seed in range(args.repeats):
        cfg = sim.load_config([*args.overrides, f"seed={seed}"])
        start = time.perf_counter()
        model = sim.simulate(cfg)
        times.append(time.perf_counter() - start)
        daily = model.datacollector.get_model_vars_dataframe()
        agent_steps.append(int((daily["taliban_units"] + daily["garrisons"]).iloc[1:].sum()
                               + len(model.militias()) * cfg.days))
    tracemalloc.start()
    sim.run(sim.load_config(args.overrides))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    median = statistics.median(times)
    print(f"runs: {args.repeats} x {cfg.days} days on the {cfg.space.kind.name.lower()} map")
    print(f"wall time per run: median {median:.3f} s (min {min(times):.3f}, max {max(times):.3f})")
    print(f"agent-steps per run: median {statistics.median(agent_steps):,.0f}")
    print(f"agent-steps per second: {statistics.median(agent_steps) / median:,.0f}")
    print(f"peak traced memory of one run: {peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
