"""A golden baseline: one seeded 90-day tiny run's summary, changed only by scripts/update_golden.py."""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from update_golden import GOLDEN, golden_summary  # noqa: E402


def test_summary_matches_the_golden_baseline():
    """The tiny seed-0 run still gives the recorded summary (update it deliberately if not)."""
    assert golden_summary() == json.loads(GOLDEN.read_text())
