"""What else the machine was doing while a benchmark ran: its load, printed with the figures."""

from __future__ import annotations

import os
from pathlib import Path


def load() -> str:
    """The 1-, 5- and 15-minute load averages and the core count (the figures depend on them)."""
    one, five, fifteen = Path("/proc/loadavg").read_text().split()[:3]
    return f"load average {one} {five} {fifteen} on {os.cpu_count()} cores"
