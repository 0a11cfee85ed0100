"""The notebooks run top to bottom in a fresh kernel (runs shrunk), show each figure once, say
what their code does, and are committed clean."""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path
from typing import get_type_hints

import nbformat
import pytest
from matplotlib.figure import Figure
from nbclient import NotebookClient

from sim.outputs import plotting

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# A call that draws one figure: a sim.outputs.plotting function returning a Figure, a pandas .plot(),
# or an IPython Image of a saved figure.
DRAWS = re.compile(r"\bplotting\.(\w+)\(|\.plot\(|\bImage\(")
MAP_OVERRIDE = re.compile(r"^(debug|space)=\S+$")


def figures_drawn(source: str) -> int:
    """How many figures a code cell draws, counted from its calls."""
    hints = {m.group(1): get_type_hints(getattr(plotting, m.group(1))).get("return")
             for m in DRAWS.finditer(source) if m.group(1)}
    return sum(1 for m in DRAWS.finditer(source) if not m.group(1) or hints[m.group(1)] is Figure)


def images(cell) -> int:
    """How many PNG images a code cell's outputs show."""
    return sum("image/png" in o.get("data", {}) for o in cell.outputs)


def code_cells(path: Path) -> list:
    """The notebook's code cells, as committed."""
    return [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def python_of(cell) -> str:
    """A code cell's source without IPython magics, so ``ast`` can parse it."""
    return "\n".join(line for line in cell.source.splitlines() if not line.startswith("%"))


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    """The kernels' temporary folder (TMPDIR), to see what the notebooks leave behind."""
    return tmp_path_factory.mktemp("kernel_tmp")


@pytest.fixture(scope="module")
def executed(scratch):
    """Run a notebook once per module in a fresh kernel, as the committed checkout's code.

    SIM_QUICK=1 shrinks the runs; the inline backend is Jupyter's; PYTHONPATH puts this checkout
    first so the kernel imports its ``sim`` rather than another installed copy; TMPDIR is
    ``scratch``.
    """
    done = {}

    def run(path: Path):
        if path not in done:
            book = nbformat.read(path, as_version=4)
            with pytest.MonkeyPatch.context() as mp:
                mp.setenv("SIM_QUICK", "1")
                mp.setenv("TMPDIR", str(scratch))
                mp.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
                mp.setenv("PYTHONPATH", os.pathsep.join(
                    p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p))
                NotebookClient(book, timeout=600, kernel_name="python3",
                               resources={"metadata": {"path": str(path.parent)}}).execute()
            done[path] = book
        return done[path]

    return run


def test_there_are_four_numbered_notebooks():
    """Quick start, mechanisms, air support and own-scenario notebooks exist, numbered."""
    assert [p.name[:3] for p in NOTEBOOKS] == ["01_", "02_", "03_", "04_"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_committed_without_outputs(path):
    """No outputs or execution counts are stored in git."""
    for cell in code_cells(path):
        assert not cell.outputs and cell.execution_count is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_quick_mode_only_shrinks_runs(path):
    """SIM_QUICK changes numbers (days, seeds) only, never the map or the scenario, so the
    tested path is the one the prose describes."""
    for cell in code_cells(path):
        for node in ast.walk(ast.parse(python_of(cell))):
            if isinstance(node, ast.IfExp) and getattr(node.test, "id", None) == "QUICK":
                words = [{c.value for c in ast.walk(branch) if isinstance(c, ast.Constant)
                          and isinstance(c.value, str) and not re.fullmatch(r"\w+=\d+", c.value)}
                         for branch in (node.body, node.orelse)]
                assert words[0] == words[1], ast.unparse(node)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_prose_names_only_maps_the_code_runs(path):
    """A map override quoted in the prose (`debug=tiny`, `space=...`) appears in the code."""
    book = nbformat.read(path, as_version=4)
    code = "\n".join(c.source for c in book.cells if c.cell_type == "code")
    quoted = {q for c in book.cells if c.cell_type == "markdown"
              for q in re.findall(r"`([^`]+)`", c.source) if MAP_OVERRIDE.match(q)}
    assert {q for q in quoted if q not in code} == set()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_synthetic_country_is_not_drawn_against_the_real_record(path):
    """A cell that runs the synthetic country draws its district curves with ``record=False``:
    the 2021 record counts the real country's districts."""
    for cell in code_cells(path):
        if re.search(r"debug=tiny|space=synthetic", cell.source):
            for node in ast.walk(ast.parse(python_of(cell))):
                if isinstance(node, ast.Call) and getattr(node.func, "attr", "") in (
                        "district_curve", "compare_curves"):
                    record = {k.arg: k.value for k in node.keywords}.get("record")
                    assert getattr(record, "value", True) is False, ast.unparse(node)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_and_shows_each_figure_once(path, executed):
    """Every cell executes in a fresh kernel, and each cell shows exactly as many PNG images as
    the figures it draws: none missing (a bare ``<Figure ...>`` text), none shown twice."""
    book = executed(path)
    cells = [c for c in book.cells if c.cell_type == "code"]
    shown = [(images(c), figures_drawn(c.source)) for c in cells]
    assert sum(drawn for _, drawn in shown) > 0
    assert [s for s, _ in shown] == [d for _, d in shown]
    assert not [o for c in cells for o in c.outputs if o.output_type == "error"]


def test_notebooks_leave_nothing_behind(executed, scratch):
    """Executing every notebook leaves no temporary folder and no file beside the notebooks."""
    for path in NOTEBOOKS:
        executed(path)
    beside = {p.name for p in (ROOT / "notebooks").iterdir() if not p.name.startswith(".")}
    assert beside == {p.name for p in NOTEBOOKS}
    assert [p.name for p in scratch.iterdir()] == []
