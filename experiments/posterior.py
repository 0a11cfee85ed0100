r"""Rebuild ``sim/data/posterior.csv`` on the real map, with its checks and figures (issue 22).

    pip install -e ".[inference]"
    python experiments/posterior.py            # about 26 min on 2 cores, one progress bar

is ``python -m sim.inference.infer build --runs 10000 --draws 1000 --sbc 200 --predictive 100
--workers 2 --out outputs/inference --posterior sim/data/posterior.csv`` followed by copying the figures
into ``docs/figures`` (``posterior_sbc.png``, ``posterior_marginals.png``). Extra arguments are
passed on (e.g. ``--runs 8000``); rerunning resumes the simulations already in
``outputs/inference/simulations.npz``. Then the tables of docs/inference.md:

    python -m sim.inference.infer check --posterior sim/data/posterior.csv --runs 40 --name fresh \\
        --workers 2 --out outputs/inference
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from sim.inference.infer import main

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["build", "--runs", "10000", "--draws", "1000", "--sbc", "200", "--predictive", "100",
        "--workers", "2", "--out", "outputs/inference", "--posterior", "sim/data/posterior.csv"]

if __name__ == "__main__":
    code = main(ARGS + sys.argv[1:])
    if code == 0:
        for name in ("sbc", "marginals"):
            shutil.copy(ROOT / "outputs" / "inference" / f"{name}.png",
                        ROOT / "docs" / "figures" / f"posterior_{name}.png")
    sys.exit(code)
