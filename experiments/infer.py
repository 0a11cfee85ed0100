"""Calibration as inference: history matching, posterior draws, coverage.

A thin alias of :mod:`sim.inference.infer` (an installed package runs it as
``python -m sim.inference.infer``); its commands and options: ``python -m sim.inference.infer --help``.
"""

from __future__ import annotations

import sys

from sim.inference.infer import main

if __name__ == "__main__":
    sys.exit(main())
