"""The memory check: refuse, before anything is built, a run the machine cannot hold.

Counts from the config alone (the map is not built): the districts a space config gives and
the memory one run needs, against what this process can still take.
"""

from __future__ import annotations

import resource
from pathlib import Path

from sim.config.fields import ConfigError
from sim.config.schema import SimConfig
from sim.config.space import SpaceConfig, SpaceKind

# The hop-distance cache (sim.world.space.HopDistances) keeps the rows that fit in HOP_CACHE_BYTES,
# never fewer than HOP_CACHE_ROWS (nor more than the map has).
HOP_CACHE_ROWS = 4096
HOP_CACHE_BYTES = 64 * 2**20


# Resident memory of a run beyond the interpreter's, measured by benchmarks/bench_scaling.py
# (which prints this estimate beside the measured peak): graph, cells, garrisons, per-day arrays
# and the daily loop's transient arrays per district; Mesa agent per unit; history per district-day.
BYTES_FIXED = 8_000_000  # whatever the size: packaged data, caches, the run's tables
BYTES_PER_DISTRICT = 40_000  # measured 26-46 kB beyond the hop table (bench_scaling, 1x-16x)
BYTES_PER_AGENT = 4_000  # Mesa agent, its table rows, its share of the campaign's key blocks
BYTES_PER_DISTRICT_DAY = 16
BYTES_PER_HOP = 2  # int16 (the cache keeps bytes where every hop count fits in one)
REAL_DISTRICTS = 398  # the packaged map's size, known without loading it (a test checks it)


def n_districts(cfg: SpaceConfig) -> int:
    """Number of districts the space config gives, without building the map."""
    if cfg.kind is SpaceKind.REAL:
        return REAL_DISTRICTS
    return cfg.n_provinces * cfg.province_side ** 2


def hop_bytes(n: int) -> int:
    """Most memory the hop-distance cache of an ``n``-district map takes, in bytes.

    At most every row, and at most the larger of the byte budget and ``HOP_CACHE_ROWS`` rows of
    int16: linear in ``n`` beyond the budget.
    """
    return min(BYTES_PER_HOP * n * n, max(HOP_CACHE_BYTES, BYTES_PER_HOP * HOP_CACHE_ROWS * n))


def estimate_bytes(config: SimConfig) -> int:
    """Memory one run of ``config`` needs, in bytes, estimated before building anything.

    Linear in districts, unit agents and district-days; the hop-distance cache (:func:`hop_bytes`)
    weighs most on large maps.
    """
    n, f = n_districts(config.space), config.forces
    units = (f.n_taliban / f.taliban_unit_size + f.n_commandos / f.commando_unit_size
             + f.n_militia / f.militia_unit_size)
    return int(BYTES_FIXED + hop_bytes(n) + BYTES_PER_DISTRICT * n
               + BYTES_PER_AGENT * (units + n) + BYTES_PER_DISTRICT_DAY * n * (config.days + 1))


def available_bytes() -> int:
    """Memory this process can still take: the system's, capped by cgroup and ``ulimit -v``."""
    import psutil  # only the memory check needs it

    available = psutil.virtual_memory().available
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft != resource.RLIM_INFINITY:
        available = min(available, soft - psutil.Process().memory_info().vms)
    for limit, usage in (("memory.max", "memory.current"),  # cgroup v2, then v1
                         ("memory/memory.limit_in_bytes", "memory/memory.usage_in_bytes")):
        try:
            cap = Path("/sys/fs/cgroup", limit).read_text().strip()
            used = Path("/sys/fs/cgroup", usage).read_text().strip()
        except OSError:
            continue
        if cap.isdigit() and used.isdigit():
            available = min(available, int(cap) - int(used))
        break
    return available


def check_memory(config: SimConfig, copies: int = 1) -> None:
    """Refuse, before any work, a run (or ``copies`` runs at once) the machine cannot hold.

    Raises:
        ConfigError: one line naming the map's size fields, the estimate and what is available.
    """
    need, have = estimate_bytes(config) * copies, available_bytes()
    if need <= have:
        return
    space, n = config.space, n_districts(config.space)
    size = ("the real map" if space.kind is SpaceKind.REAL else
            f"space.n_provinces={space.n_provinces} x space.province_side={space.province_side}^2")
    runs = f" x {copies} runs at once" if copies > 1 else ""
    raise ConfigError(f"{size} = {n:,} districts{runs} needs about {need / 1e9:,.1f} GB "
                      f"(hop distances alone {hop_bytes(n) * copies / 1e9:,.1f} GB), "
                      f"more than the {have / 1e9:,.1f} GB available: use fewer or smaller "
                      "provinces" + (" or fewer workers" if copies > 1 else ""))
