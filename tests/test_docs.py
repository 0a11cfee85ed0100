"""The model description stays in step with the config schema."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "scripts"))

from gen_param_tables import ODD, render  # noqa: E402


def test_parameter_tables_are_fresh():
    """docs/odd.md's tables equal what scripts/gen_param_tables.py would write now."""
    text = ODD.read_text()
    assert render(text) == text, "run: python scripts/gen_param_tables.py"
