"""Switch each mechanism off in turn at the calibrated defaults; write its paired effects.

    python experiments/ablate.py --seeds 20 --out outputs/ablation

Writes ``ablation.csv`` (``mechanism, override, outcome, effect, low, high, n``: the paired
effect of switching the mechanism off, with its 95% interval), ``runs.csv`` (every run's
outcomes) and ``ablation.png``. A thin command line over :mod:`sim.studies.ablation` (an installed
package runs it as ``python -m sim.studies.ablation``).
"""

from __future__ import annotations

import sys

from sim.studies.ablation import main

if __name__ == "__main__":
    sys.exit(main())
