"""Global sensitivity analysis with SALib: Morris screening, then Sobol on the few that matter.

A thin command line over :mod:`sim.sensitivity` (an installed package runs it as
``python -m sim.sensitivity``); its options: ``python experiments/sensitivity.py --help``.
"""

from __future__ import annotations

from sim.sensitivity import main

if __name__ == "__main__":
    main()
