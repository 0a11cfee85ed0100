"""How run time and memory grow with the map's size and the run's length, with log-log slopes.

Map size: synthetic maps of 25, 100 and 400 provinces of 4 x 4 districts (400, 1,600 and 6,400
districts: 1x, 4x and 16x the real map's 398), 60 days. The same war on a finer grid: unit
agents per district, force ratios and recruits per fighter are kept by dividing the unit sizes,
the recruitment rate and the overrun threshold by the scale (force totals stay at the real
defaults, which their ranges cap). Length: the real map for 30, 60, 120 and 240 days.

Each run gets a fresh process, so the figures include building the map and its caches, and the
peak resident memory above the process's baseline after imports is the run's own; it is printed
beside ``sim.config.memory.estimate_bytes`` (the memory check's estimate). The sizes are run in turn,
``--repeats`` times (1x, 4x, 16x, 1x, ...), so that load from other work falls on all alike, and
medians are printed. The hop columns are the breadth-first searches of hop distances the run
made (rows searched, as a share of the districts; a row evicted from the bounded cache and read
again is searched again) and the CPU time they took. The slope of log(time) or log(memory) on
log(size) is 1 for linear growth. The compiled kernels (``sim.world.kernels``) are loaded before
the baseline and the timing, as a worker of a sweep loads them once for all its runs; that
one-off CPU time is printed as ``JIT s``.

    python benchmarks/bench_scaling.py [--scales 1 4 16] [--map-days 60] [--days 30 60 120 240]
        [--repeats 2]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import statistics
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np
from machine import load

DEFAULT_SCALES = (1, 4, 16)
DEFAULT_DAYS = (30, 60, 120, 240)


def scaled_overrides(scale: int) -> list[str]:
    """Overrides for a synthetic map ``scale`` times the real one, same war on a finer grid."""
    from sim.config import SimConfig

    d = SimConfig()
    return ["space=synthetic", f"space.n_provinces={25 * scale}", "space.province_side=4",
            f"forces.taliban_unit_size={round(d.forces.taliban_unit_size / scale)}",
            f"forces.commando_unit_size={round(d.forces.commando_unit_size / scale)}",
            f"forces.militia_unit_size={round(d.forces.militia_unit_size / scale)}",
            f"taliban.rate_recruit={d.taliban.rate_recruit / scale:g}",
            f"combat.min_troops={round(d.combat.min_troops / scale)}"]


def measure(overrides: list[str]) -> dict:
    """One run in this (fresh) process: times, memory above the baseline, the hop searches."""
    import sim
    from sim.config.memory import estimate_bytes
    from sim.model.model import OffensiveModel
    from sim.world import kernels
    from sim.world.space import HopDistances

    searching = {"cpu_s": 0.0}
    search = HopDistances._search

    def timed_search(self: HopDistances, missing: np.ndarray) -> None:
        start = time.process_time()
        search(self, missing)
        searching["cpu_s"] += time.process_time() - start

    HopDistances._search = timed_search
    jit = time.process_time()
    kernels.warm()  # once per process, not per run: loaded before the baseline and the timing
    jit = time.process_time() - jit
    config = sim.load_config(overrides)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    wall, cpu = time.perf_counter(), time.process_time()
    model = OffensiveModel(config)
    for _ in range(config.days):
        model.step()
    sim.runner.result_of(model)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - baseline
    return {"districts": model.map.n, "days": config.days, "wall_s": wall, "cpu_s": cpu,
            "agents_end": len(model.agents), "hop_rows": model.map.hops.n_searched / model.map.n,
            "hop_s": searching["cpu_s"], "jit_s": jit, "peak_mib": peak / 2**20,
            "estimate_mib": estimate_bytes(config) / 2**20}


def slope(x: list[float], y: list[float]) -> float:
    """Least-squares slope of log(y) on log(x)."""
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])


def medians(rows: list[dict]) -> list[dict]:
    """One row per size and length: the median of each figure over the repeats."""
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        groups.setdefault((r["districts"], r["days"]), []).append(r)
    return [{k: statistics.median(r[k] for r in group) for k in group[0]}
            for group in groups.values()]


def table(rows: list[dict], by: str) -> None:
    """Print the rows and the log-log slopes of time and peak memory against ``by``."""
    print(f"{'districts':>9} {'days':>5} {'wall s':>8} {'CPU s':>8} {'agents':>7} "
          f"{'hop rows':>8} {'hop s':>6} {'JIT s':>6} {'peak MiB':>8} {'est. MiB':>8}")
    for r in rows:
        print(f"{r['districts']:>9,.0f} {r['days']:>5.0f} {r['wall_s']:>8.2f} {r['cpu_s']:>8.2f} "
              f"{r['agents_end']:>7,.0f} {r['hop_rows']:>8.0%} {r['hop_s']:>6.2f} {r['jit_s']:>6.2f} "
              f"{r['peak_mib']:>8.0f} {r['estimate_mib']:>8.0f}")
    x = [r[by] for r in rows]
    if len(set(x)) > 1:
        fits = {name: slope(x, [r[key] for r in rows]) for name, key in
                (("wall", "wall_s"), ("CPU", "cpu_s"), ("peak memory", "peak_mib"))}
        print(f"log-log slope against {by}: " + ", ".join(f"{k} {v:.2f}" for k, v in fits.items()))
        print(f"ratio largest / smallest: CPU {rows[-1]['cpu_s'] / rows[0]['cpu_s']:.1f}x, "
              f"peak memory {rows[-1]['peak_mib'] / rows[0]['peak_mib']:.1f}x, "
              f"for {x[-1] / x[0]:.1f}x the {by}")
    print()


def main() -> None:
    """Run every size and length in its own process, in turn, and print both tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=list(DEFAULT_SCALES))
    parser.add_argument("--map-days", type=int, default=60)
    parser.add_argument("--days", type=int, nargs="+", default=list(DEFAULT_DAYS))
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    jobs = [[*scaled_overrides(s), f"days={args.map_days}"] for s in args.scales]
    jobs += [[f"days={d}"] for d in args.days]
    print(f"start: {load()}")
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=context, max_tasks_per_child=1) as pool:
        rows = medians(list(pool.map(measure, jobs * args.repeats)))
    print(f"end: {load()}; medians of {args.repeats} runs each\n")
    print(f"Time and memory against map size (synthetic, {args.map_days} days):")
    table(rows[:len(args.scales)], "districts")
    print("Time and memory against days (real map):")
    table(rows[len(args.scales):], "days")


if __name__ == "__main__":
    main()
