"""Rewrite the golden baseline summary that ``tests/test_golden.py`` compares against.

Run it only when a change to the model's behaviour is intended, and say so in the commit:

    python scripts/update_golden.py
"""

from __future__ import annotations

import json
from pathlib import Path

import sim

GOLDEN = Path(__file__).resolve().parents[1] / "tests" / "golden" / "tiny_seed0_90days.json"
OVERRIDES = ["debug=tiny", "seed=0", "days=90"]


def golden_summary() -> dict:
    """The summary of the golden run, without what changes with the release, commit or schema."""
    summary = sim.run(sim.load_config(OVERRIDES)).summary
    for key in ("package_version", "git_commit", "config_hash", "arm_hash"):
        summary.pop(key)
    return summary


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps(golden_summary(), indent=2) + "\n")
    print(f"wrote {GOLDEN}")
