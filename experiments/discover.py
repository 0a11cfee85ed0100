"""PRIM scenario discovery on a robustness sweep: where Kabul holds, where N capitals hold.

A thin command line over :mod:`sim.studies.robustness`: writes ``prim_boxes.csv`` and ``prim_boxes.png``
into the sweep folder.

    python -m sim -m experiment=robustness seeds=40
    python -m sim.studies.robustness outputs/sweeps/robustness [--capitals 5] [--threshold 0.6]
"""

from __future__ import annotations

import sys

from sim.studies.robustness import main

if __name__ == "__main__":
    sys.exit(main())
