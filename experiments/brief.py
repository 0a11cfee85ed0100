"""Write the policy brief on air power (brief.md and its figures) from the air studies' sweeps.

A thin command line over :mod:`sim.studies.brief`.

    python -m sim.studies.brief outputs/sweeps/air_levers outputs/sweeps/air_dose \
        outputs/sweeps/air_timing outputs/sweeps/robustness --out outputs/brief
"""

from __future__ import annotations

import sys

from sim.studies.brief import main

if __name__ == "__main__":
    sys.exit(main())
