"""The posterior file: independent draws of the uncertain parameters under a ``#`` header.

``sim/data/posterior.csv`` (and any ``--posterior`` a build writes) holds one row per draw,
``draw`` then one column per parameter (the names of ``sim.config.priors()``), under header
lines naming the package version and git commit, the record files and their SHA-256, the method,
the library and its version, the simulation budget and time, the effective sample size (the
number of draws: they are independent, unweighted), the checks (coverage, simulation-based
calibration, 2021-like runs) and the command that rebuilds it. ``sim.uncertainty`` reads it
(``uncertainty=posterior``): run i of a study uses draw i.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from sim.outputs.result import git_commit, package_version

RECORD_FILES = ("district_control.csv", "capitals_fallen.csv")


def data_digest() -> str:
    """The record files the summaries read, each with the first 12 hex digits of its SHA-256."""
    parts = []
    for name in RECORD_FILES:
        data = (resources.files("sim") / "data" / name).read_bytes()
        parts.append(f"sim/data/{name} (sha256 {hashlib.sha256(data).hexdigest()[:12]})")
    return ", ".join(parts)


def write(draws: np.ndarray, names: list[str], path: str | Path, header: dict[str, str],
          commit: str | None = None) -> Path:
    """Write ``draws`` (n, d) under a header of ``key: value`` lines (after version and data).

    ``commit``: the git commit the simulations were made with (default: the checkout's now).
    """
    lines = [f"posterior draws of sim {package_version()} at git {commit or git_commit() or 'unknown'}",
             f"data: {data_digest()}", *(f"{k}: {v}" for k, v in header.items())]
    table = pd.DataFrame(np.asarray(draws, float), columns=names)
    table.insert(0, "draw", np.arange(len(table)))
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w") as fh:
        fh.write("".join(f"# {line}\n" for line in lines))
        table.to_csv(fh, index=False, float_format="%.6g")
    tmp.replace(path)
    return path


def read(path: str | Path) -> pd.DataFrame:
    """A posterior file's draws (the header skipped)."""
    return pd.read_csv(path, comment="#")


def header(path: str | Path) -> dict[str, str]:
    """A posterior file's header: its first line under ``title``, then ``key: value`` lines."""
    out: dict[str, str] = {}
    with Path(path).open() as fh:
        for line in fh:
            if not line.startswith("#"):
                break
            text = line[1:].strip()
            key, sep, value = text.partition(": ")
            if out and sep:
                out[key] = value
            else:
                out.setdefault("title", text)
    return out
