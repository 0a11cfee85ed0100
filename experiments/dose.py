"""Dose-response (US strike rate) or timing (branch date) table and figure of a sweep.

A thin command line over :mod:`sim.dose`: writes ``dose.csv`` and ``dose.png`` (an air_dose
sweep) or ``timing.csv`` and ``timing.png`` (an air_timing sweep) into the sweep folder.

    python -m sim -m experiment=air_dose seeds=4
    python -m sim.dose outputs/sweeps/air_dose
"""

from __future__ import annotations

import sys

from sim.dose import main

if __name__ == "__main__":
    sys.exit(main())
