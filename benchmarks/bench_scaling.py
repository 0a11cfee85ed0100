"""How run time and memory grow with the map's size and the run's length, with log-log slopes.

Map size: synthetic maps of 25, 100 and 400 provinces of 4 x 4 districts (400, 1,600 and 6,400
districts: 1x, 4x and 16x the real map's 398), 120 days. The same war on a finer grid: unit
agents per district, force ratios and recruits per fighter are kept by dividing the unit sizes,
the recruitment rate and the overrun threshold by the scale (force totals stay at the real
defaults, which their ranges cap). Length: the real map for 30, 60, 120 and 240 days.

Each run gets a fresh process, so the figures include building the map and its caches, and the
peak resident memory above the process's baseline after imports is the run's own; it is printed
beside ``sim.space.estimate_bytes`` (the memory check's estimate). The last column is the time a
full all-pairs hop table takes on that map (the one quadratic term: a run reads nearly every row
of it, lazily). The slope of log(time) on log(size) is 1 for linear growth.

    python benchmarks/bench_scaling.py [--scales 1 4 16] [--days 30 60 120 240]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import time
from concurrent.futures import ProcessPoolExecutor

import numpy as np

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
    """One run in this (fresh) process: times, memory above the baseline, the hop table's cost."""
    import sim
    from sim.model import OffensiveModel
    from sim.space import HopDistances, estimate_bytes

    config = sim.load_config(overrides)
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    wall, cpu = time.perf_counter(), time.process_time()
    model = OffensiveModel(config)
    for _ in range(config.days):
        model.step()
    sim.runner.result_of(model)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - baseline
    rows = model.map.hops.n_cached
    start = time.perf_counter()
    np.asarray(HopDistances(model.map.adjacency))
    return {"districts": model.map.n, "days": config.days, "wall_s": wall, "cpu_s": cpu,
            "agents_end": len(model.agents), "hop_rows_read": rows / model.map.n,
            "peak_mib": peak / 2**20, "estimate_mib": estimate_bytes(config) / 2**20,
            "all_pairs_hops_s": time.perf_counter() - start}


def slope(x: list[float], y: list[float]) -> float:
    """Least-squares slope of log(y) on log(x)."""
    return float(np.polyfit(np.log(x), np.log(y), 1)[0])


def table(rows: list[dict], by: str) -> None:
    """Print the rows and the log-log slopes of wall and CPU time against ``by``."""
    print(f"{'districts':>9} {'days':>5} {'wall s':>8} {'CPU s':>8} {'agents':>7} {'hop rows':>8} "
          f"{'peak MiB':>8} {'est. MiB':>8} {'hops s':>7}")
    for r in rows:
        print(f"{r['districts']:>9,} {r['days']:>5} {r['wall_s']:>8.2f} {r['cpu_s']:>8.2f} "
              f"{r['agents_end']:>7,} {r['hop_rows_read']:>8.0%} {r['peak_mib']:>8.0f} "
              f"{r['estimate_mib']:>8.0f} {r['all_pairs_hops_s']:>7.2f}")
    x = [r[by] for r in rows]
    if len(set(x)) > 1:
        print(f"log-log slope against {by}: wall {slope(x, [r['wall_s'] for r in rows]):.2f}, "
              f"CPU {slope(x, [r['cpu_s'] for r in rows]):.2f}")
    print()


def main() -> None:
    """Run every size and length in its own process and print both tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=list(DEFAULT_SCALES))
    parser.add_argument("--days", type=int, nargs="+", default=list(DEFAULT_DAYS))
    args = parser.parse_args()
    jobs = [[*scaled_overrides(s), "days=120"] for s in args.scales]
    jobs += [[f"days={d}"] for d in args.days]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=context, max_tasks_per_child=1) as pool:
        rows = list(pool.map(measure, jobs))
    print("Time against map size (synthetic, 120 days):")
    table(rows[:len(args.scales)], "districts")
    print("Time against days (real map):")
    table(rows[len(args.scales):], "days")


if __name__ == "__main__":
    main()
