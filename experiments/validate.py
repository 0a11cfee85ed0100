"""Validation report of the calibrated historical scenario against the 2021 record.

A thin command line over :mod:`sim.studies.validation` (an installed package runs it as
``python -m sim.studies.validation``); its options: ``python experiments/validate.py --help``.
"""

from __future__ import annotations

from sim.studies.validation import main

if __name__ == "__main__":
    main()
