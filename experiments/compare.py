"""Collect a sweep and compare every arm against a baseline arm, paired by seed.

A thin command line over :mod:`sim.studies.compare` (which an installed package runs as
``python -m sim.studies.compare``): writes ``runs.parquet``, ``runs.csv``, ``daily.parquet``,
``comparison.csv`` and ``compare.png`` into the sweep folder.

    python -m sim.studies.compare outputs/sweeps/air_support [--baseline historical]
"""

from __future__ import annotations

import sys

from sim.studies.compare import main

if __name__ == "__main__":
    sys.exit(main())
