"""Global sensitivity analysis with SALib: Morris screening, then Sobol on the few that matter.

A thin command line over :mod:`sim.studies.sensitivity` (an installed package runs it as
``python -m sim.studies.sensitivity``); its options: ``python experiments/sensitivity.py --help``.
"""

from __future__ import annotations

from sim.studies.sensitivity import main

if __name__ == "__main__":
    main()
