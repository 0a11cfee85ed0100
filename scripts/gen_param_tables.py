"""Regenerate the parameter tables of ``docs/odd.md`` from the config schema.

The tables sit between ``<!-- params:start -->`` and ``<!-- params:end -->``; a test fails when
they are stale. Run after changing ``sim/config/``:

    python scripts/gen_param_tables.py
"""

from __future__ import annotations

import dataclasses
import enum
from pathlib import Path

from sim.config import SimConfig

ODD = Path(__file__).resolve().parents[1] / "docs" / "odd.md"
START, END = "<!-- params:start -->", "<!-- params:end -->"


def _fmt(value) -> str:
    if isinstance(value, enum.Enum):
        return value.name
    if value is None:
        return "null"
    return f"{value:g}" if isinstance(value, float) else str(value)


def tables() -> str:
    """Markdown tables, one per config group: name, default, unit, range, meaning and source."""
    out = []
    top = []
    for f in dataclasses.fields(SimConfig):
        default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
        if dataclasses.is_dataclass(default):
            out.append(f"\n#### `{f.name}`: {type(default).__doc__.strip().splitlines()[0]}\n")
            out.append("| parameter | default | unit | range | meaning / source |")
            out.append("|---|---|---|---|---|")
            for g in dataclasses.fields(default):
                out.append(_row(f"{f.name}.{g.name}", getattr(default, g.name), g.metadata))
        else:
            top.append(_row(f.name, default, f.metadata))
    head = ["#### run", "", "| parameter | default | unit | range | meaning / source |",
            "|---|---|---|---|---|", *top]
    return "\n".join(head + out) + "\n"


def _row(name: str, default, meta) -> str:
    lo, hi = meta.get("lo"), meta.get("hi")
    rng = f"[{_fmt(lo)}, {_fmt(hi)}]" if lo is not None or hi is not None else ""
    if isinstance(default, enum.Enum):
        rng = " \\| ".join(m.name for m in type(default))
    note = "; ".join(x for x in (meta.get("doc", ""), meta.get("source", "")) if x)
    return f"| `{name}` | {_fmt(default)} | {meta.get('unit', '')} | {rng} | {note} |"


def render(text: str) -> str:
    """``text`` with the block between the markers replaced by fresh tables."""
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n{tables()}{END}{tail}"


if __name__ == "__main__":
    ODD.write_text(render(ODD.read_text()))
    print(f"updated {ODD}")
