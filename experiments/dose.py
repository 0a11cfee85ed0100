"""Dose-response (US strike rate) or timing (branch date) table and figure of a sweep.

A thin command line over :mod:`sim.studies.dose`: writes ``dose.csv`` and ``dose.png`` (an air_dose
sweep) or ``timing.csv`` and ``timing.png`` (an air_timing sweep) into the sweep folder.

    python -m sim -m experiment=air_dose seeds=4
    python -m sim.studies.dose outputs/sweeps/air_dose
"""

from __future__ import annotations

import sys

from sim.studies.dose import main

if __name__ == "__main__":
    sys.exit(main())
