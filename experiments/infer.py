"""The posterior by simulation-based inference (NPE with sbi), and its checks.

A thin alias of :mod:`sim.inference.infer` (an installed package runs it as
``python -m sim.inference.infer``); its commands and options:
``python -m sim.inference.infer --help``. The real-map build of
``sim/data/posterior.csv`` with its figures: ``experiments/posterior.py``.
"""

from __future__ import annotations

import sys

from sim.inference.infer import main

if __name__ == "__main__":
    sys.exit(main())
