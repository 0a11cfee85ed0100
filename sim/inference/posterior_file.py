"""The posterior file: the weighted draws with the method, command and data they came from."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

import pandas as pd

from sim.inference import likelihood
from sim.inference.adaptive_importance import ess
from sim.inference.inference import Inference
from sim.outputs.result import git_commit, package_version


def data_digest() -> str:
    """The record files the likelihood reads, each with the first 12 hex digits of its SHA-256."""
    parts = []
    for name in ("district_control.csv", "capitals_fallen.csv"):
        data = (resources.files("sim") / "data" / name).read_bytes()
        parts.append(f"sim/data/{name} (sha256 {hashlib.sha256(data).hexdigest()[:12]})")
    return ", ".join(parts)


def method_line(kind: str, result: Inference) -> str:
    """The header's method line for ``result``, weighted by the ``kind`` likelihood."""
    if kind == "abc":
        how = ("the share of its seeds whose run matches the record (ABC: the run's log "
               f"likelihood at least {result.tolerance:.2f}, reached by the best "
               f"{result.acceptance:.0%} of the runs of the draws uniform on the region)")
    elif kind == "synthetic":
        how = ("Wood's synthetic likelihood over its seeds, its discrepancy "
               f"{result.discrepancy_scale:.2f} x the judged one (fitted: type-II maximum "
               "likelihood)")
    elif kind == "seed-mean":
        how = "the mean over its seeds of each seed's likelihood"
    else:
        raise ValueError(f"likelihood={kind!r}: must be one of {', '.join(likelihood.KINDS)}")
    return ("history matching (GP emulators, implausibility cut-off 3) then draws uniform on the "
            f"non-implausible region, each weighted by {how} (sim.inference.likelihood); weights sum "
            "to 1")


def write_posterior(result: Inference, path: str | Path, command: str, note: str = "",
                    seconds: float | None = None, commit: str | None = None,
                    ran: int | None = None, *, method: str) -> Path:
    """Write the draws as CSV under a ``#`` header naming code version, data, method and cost.

    ``commit`` is the git commit the runs were made with (default: the checkout's now); pass
    the one read when the inference started, as the checkout may move while it runs. ``ran``
    and ``seconds``: the runs this call made (the rest came from the database) and its time.
    ``method``: how the draws were weighted (e.g. :func:`method_line`).
    """
    post = result.posterior
    waves = "; ".join(f"{w['wave']}: {w['sets']} sets, {w['runs']} runs, "
                      f"{w['share_not_implausible']:.1%} not implausible, cut-off "
                      f"{w['cutoff_used']:.2f}"
                      + (f", base set's implausibility {w['base_implausibility']:.2f}"
                         if "base_implausibility" in w else "") for w in result.waves)
    commit = commit or git_commit() or "unknown"
    header = [f"posterior draws of sim {package_version()} at git {commit}",
              f"data: {data_digest()}",
              f"method: {method}",
              *([f"waves: {waves}"] if waves else []),
              f"runs: {result.n_runs}"
              + (f" ({ran} run by the call that wrote this file" if ran is not None else "")
              + (f", in {seconds / 60:.1f} min)" if seconds and ran is not None else
                 (")" if ran is not None else ""))
              + "; effective sample size "
              + f"{result.ess if result.ess is not None else ess(post['weight'].to_numpy()):.1f}",
              f"command: {command}"]
    if note:
        header.append(note)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("w") as fh:
        fh.write("".join(f"# {line}\n" for line in header))
        post.to_csv(fh, index=False, float_format="%.6g")
    tmp.replace(path)
    return path


def read_posterior(path: str | Path) -> pd.DataFrame:
    """A posterior CSV (header comment lines skipped)."""
    return pd.read_csv(path, comment="#")
