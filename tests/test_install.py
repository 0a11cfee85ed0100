"""The installed package: a wheel carries the configs (one copy) and runs outside the checkout;
the README's install commands and extras match pyproject.toml."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
README = (ROOT / "README.md").read_text()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from a copy of the checkout's package files (the checkout stays clean)."""
    src = tmp_path_factory.mktemp("src")
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy(ROOT / name, src / name)
    for name in ("sim", "configs"):
        shutil.copytree(ROOT / name, src / name, ignore=shutil.ignore_patterns("__pycache__"))
    dist = tmp_path_factory.mktemp("dist")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
                           "--wheel-dir", str(dist), str(src)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return next(dist.glob("*.whl"))


def test_wheel_carries_every_config_file_unchanged(wheel):
    """Each file of configs/ is in the wheel as sim/configs/..., byte for byte; no second copy
    of configs/ sits in the source tree."""
    with zipfile.ZipFile(wheel) as zf:
        packaged = {n[len("sim/configs/"):]: zf.read(n) for n in zf.namelist()
                    if n.startswith("sim/configs/")}
    sources = {p.relative_to(ROOT / "configs").as_posix(): p.read_bytes()
               for p in (ROOT / "configs").rglob("*.yaml")}
    assert packaged == sources
    assert not (ROOT / "sim" / "configs").exists()


def test_wheel_metadata_has_license_and_extras(wheel):
    """The wheel declares the MIT licence (with its file), the extras and the direct dependencies."""
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        meta = zf.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    assert "License-Expression: MIT" in meta
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    for extra in ("analysis", "inference", "notebooks", "test"):
        assert f"Provides-Extra: {extra}" in meta
    for dependency in ("pyarrow", "pyyaml"):
        assert re.search(rf"^Requires-Dist: {dependency}\b", meta, re.M | re.I)


def test_installed_package_runs_outside_the_checkout(wheel, tmp_path):
    """From an unpacked wheel and a folder outside the repository, `python -m sim debug=tiny`
    finds its packaged configs and writes a complete run (no git commit: no checkout)."""
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site)}
    where = subprocess.run([sys.executable, "-c", "from sim.runner import CONFIG_DIR; "
                            "print(CONFIG_DIR)"], capture_output=True, text=True, check=True,
                           cwd=tmp_path, env=env)
    assert Path(where.stdout.strip()) == site / "sim" / "configs"
    proc = subprocess.run([sys.executable, "-m", "sim", "debug=tiny", "days=3",
                           "hydra.run.dir=run"], capture_output=True, text=True, check=False,
                          cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    summary = (tmp_path / "run" / "summary.json").read_text()
    assert '"git_commit": null' in summary


# every study and analysis, a module command in the wheel
COMMANDS = ("studies.compare", "studies.brief", "studies.dose", "studies.robustness",
            "studies.ablation", "studies.validation", "inference.calibration",
            "studies.sensitivity", "inference.infer")


HELP_ALL = """
import contextlib, io, runpy, sys
for name in sys.argv[1:]:
    sys.argv = [name, "--help"]
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            runpy.run_module(f"sim.{name}", run_name="__main__", alter_sys=True)
    except SystemExit as done:
        assert done.code == 0 and out.getvalue().startswith("usage:"), (name, done.code)
    else:
        raise AssertionError(f"sim.{name} --help did not exit")
    print(name, "ok")
"""


def test_every_study_command_runs_from_the_installed_wheel(wheel, tmp_path):
    """From an unpacked wheel and a folder outside the repository, `python -m sim.<study>
    --help` works for every study and analysis (run as __main__, all in one process)."""
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site)}
    proc = subprocess.run([sys.executable, "-c", HELP_ALL, *COMMANDS], capture_output=True,
                          text=True, check=False, cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.split() == [w for name in COMMANDS for w in (name, "ok")]


def test_readme_names_the_module_commands_not_scripts():
    """The README names the studies by their module commands, never by experiments/ scripts."""
    assert "experiments/" not in README
    for name in ("studies.compare", "studies.brief", "inference.infer"):
        assert f"python -m sim.{name}" in README


def test_readme_keeps_the_two_setup_commands():
    """README.md gives exactly the two documented setup commands."""
    assert "pip install -e . && python -m sim" in README
    assert 'pip install -e ".[test]" && pytest' in README


def test_every_extra_the_readme_names_exists():
    """Each `.[extra]` the README tells users to install is declared in pyproject.toml."""
    named = set(re.findall(r'\.\[(\w+)\]', README))
    assert {"test", "analysis", "inference", "notebooks"} <= named
    assert named <= set(PYPROJECT["project"]["optional-dependencies"])


def test_ci_builds_the_wheel_and_runs_it_outside_the_repository():
    """.ci/run runs the README's test command (with the inference extra), ruff, the import
    layers' contract, and the installed wheel from elsewhere."""
    ci = (ROOT / ".ci" / "run").read_text()
    for step in ('pip install -e ".[test,inference]" && pytest', "ruff check .", "lint-imports",
                 "pip wheel", "-m sim debug=tiny",
                 "-m sim -m experiment=air_support seeds=2 debug=tiny"):
        assert step in ci
