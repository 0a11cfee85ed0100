"""Every config the schema accepts runs: draw configs across the declared ranges and run them.

A thin command line over :mod:`sim.studies.config_space` (an installed package runs it as
``python -m sim.studies.config_space``); its options: ``python experiments/config_space.py --help``.
"""

from __future__ import annotations

from sim.studies.config_space import main

if __name__ == "__main__":
    main()
