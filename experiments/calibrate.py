"""Calibrate the historical scenario: a space-filling design over the uncertain parameters.

A thin command line over :mod:`sim.inference.calibration` (an installed package runs it as
``python -m sim.inference.calibration``); its options: ``python experiments/calibrate.py --help``.
"""

from __future__ import annotations

from sim.inference.calibration import main

if __name__ == "__main__":
    main()
