"""The Hydra command line behind ``python -m sim``: check the command, then run each job.

Hydra creates run folders and log files before a job starts, and prints several lines for a bad
override. :func:`main` therefore checks the whole command first (every override, every value of
a sweep, the output folder) and stops with one line and exit code 2 before Hydra writes
anything. Each job then reuses its folder only if the folder's ``summary.json`` carries the hash
of the very config requested; any other folder is rerun and replaced.

The job function :func:`run_job` lives in this module (not ``__main__``) so that launcher workers
(joblib, submitit) import it by name, and with it the ``sim.run_name`` resolver that names sweep
folders.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
import sys
import tempfile
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf, open_dict

from sim.config import ConfigError, as_dict, register_schema, to_config, unknown_in_file
from sim.outputs.result import config_hash
from sim.runner import (
    CONFIG_DIR,
    check_branch,
    compose,
    group_options,
    load_config,
    parse_overrides,
    run,
    run_branched,
    search_dirs,
    trunk_overrides,
)
from sim.uncertainty import realise

register_schema()


def run_name(arm: str, seed: int) -> str:
    """A sweep run's folder name: the overrides that define its arm, then its seed.

    ``arm`` is Hydra's ``override_dirname`` without the keys that never define an arm (seed,
    study size, the study's name; ``hydra.job.config.override_dirname.exclude_keys``), so the
    same arm and seed land in the same folder however many seeds the study has.
    """
    return f"{arm},seed={seed}" if arm else f"seed={seed}"


OmegaConf.register_new_resolver("sim.run_name", run_name, replace=True)


def report(summary: dict, folder: Path, overrides: list[str] = ()) -> str:
    """A short human summary of one run; ``overrides`` name what differs from the scenario."""
    dates = ", ".join(f"{d}: {n}" for d, n in summary["districts_taliban_on"].items())
    start = dt.date.fromisoformat(summary["start_date"])

    def when(day: int) -> str:
        return f"day {day} ({start + dt.timedelta(days=day)})"

    first = summary["first_capital_fell_day"]
    kabul = summary["kabul_fell_day"]
    decided = summary["decided_day"]
    scenario = ", ".join([f"scenario {summary['scenario']}", *overrides])
    return "\n".join([
        f"{scenario}, seed {summary['seed']}, {summary['days']} days from "
        f"{summary['start_date']} on the {summary['space']} map ({summary['n_districts']} districts)",
        f"final: Taliban {summary['final_districts_taliban']}, contested "
        f"{summary['final_districts_contested']}, government {summary['final_districts_government']}"
        f"; provincial capitals taken: {summary['final_capitals_taliban']} of "
        f"{summary['n_capitals']}",
        f"Taliban-held districts on {dates}" if dates else "",
        f"first provincial capital fell on {when(first)}" if first is not None
        else "no provincial capital fell",
        f"Kabul fell on {when(kabul)}" if kabul is not None else "Kabul held",
        f"the war was decided on {when(decided)}: the run stopped there" if summary["stopped_early"]
        else "",
        f"changes of hands by cause: {summary['changes_by_cause']}",
        f"run folder: {folder}",
    ]).replace("\n\n", "\n")


def check_writable(key: str, folder: Path) -> None:
    """Raise ConfigError unless ``folder`` can be created (or written, if it exists)."""
    existing = folder.absolute()
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise ConfigError(f"{key}={folder}: {existing} is a file, not a folder")
    try:
        tempfile.TemporaryDirectory(dir=existing).cleanup()
    except OSError as err:
        raise ConfigError(f"{key}={folder}: cannot write in {existing} ({err.strerror})") from None


def sweep_values(override) -> list[str]:
    """The values of a parsed override to check: each value of a list, a range's two ends."""
    if not override.is_sweep_override():
        return [override.get_value_element_as_str()]
    values = list(override.sweep_string_iterator())
    return values[:1] + values[-1:] if type(override.value()).__name__ == "RangeSweep" else values


def preflight(argv: list[str]) -> None:
    """Check a ``python -m sim`` command line before Hydra writes anything.

    Composes and validates one job with the first value of every sweep, then each other value of
    a swept parameter (a range by its two ends; a group's options are checked by name), and checks
    that the run or sweep folder can be written. Hydra's own commands (``--help``, ``--cfg``...)
    are left to Hydra.

    Raises:
        ConfigError: one line naming the bad field and what it accepts.
    """
    from hydra._internal.utils import get_args_parser

    args = get_args_parser().parse_args(argv)
    if any([args.help, args.hydra_help, args.cfg, args.info, args.shell_completion,
            args.config_path, args.config_name, args.config_dir, args.experimental_rerun]):
        return
    parsed = parse_overrides(args.overrides)
    sweeps = [o for o in parsed if o.is_sweep_override()]
    if sweeps and not args.multirun:
        raise ConfigError(f"{sweeps[0].input_line}: a sweep needs -m (multirun)")
    base = {o.get_key_element(): sweep_values(o) for o in parsed}
    cfg = compose([f"{k}={v[0]}" for k, v in base.items()], with_hydra=True)
    with open_dict(cfg):
        hydra_cfg = cfg.pop("hydra")
    multirun = args.multirun or hydra_cfg.mode == RunMode.MULTIRUN
    dims = dict(base)
    if multirun and hydra_cfg.sweeper.get("params"):
        params = OmegaConf.to_container(hydra_cfg.sweeper.params, resolve=True)
        for o in parse_overrides([f"{k}={v}" for k, v in params.items()]):
            dims.setdefault(o.get_key_element(), sweep_values(o))
    config = to_config(cfg)
    realise(config)  # a posterior that cannot be read fails here, before any job
    if config.branch_date is not None:  # a branch arm may not change a set-up lever
        first = [f"{k}={v[0]}" for k, v in base.items()]
        check_branch(load_config(trunk_overrides(first)), config)
    dirs = search_dirs(parsed)
    for key, values in dims.items():
        if group_options(key, dirs):
            continue  # options already checked by name
        for value in values[1:]:
            to_config(compose([f"{k}={v[0]}" for k, v in dims.items() if k != key]
                              + [f"{key}={value}"]))
    key = "hydra.sweep.dir" if multirun else "hydra.run.dir"
    check_writable(key, Path(OmegaConf.select(hydra_cfg, key[len("hydra."):])))


def fail(folder: Path, message: str) -> None:
    """Print one error line, remove the job's incomplete folder, exit with code 2."""
    if not (folder / "summary.json").exists():
        shutil.rmtree(folder, ignore_errors=True)
    print(f"error: {message}", file=sys.stderr)
    sys.exit(2)


def completed_hash(folder: Path) -> str | None:
    """The config hash of the complete run in ``folder``, or None if there is none."""
    try:
        return json.loads((folder / "summary.json").read_text()).get("config_hash")
    except (OSError, ValueError):
        return None


def arm_overrides() -> list[str]:
    """This job's overrides that make it differ from its scenario (seed and study size aside)."""
    hc = HydraConfig.get()
    left_out = {*hc.job.config.override_dirname.exclude_keys, "scenario"}
    return [o for o in hc.overrides.task if o.split("=", 1)[0].lstrip("+~") not in left_out]


def run_job(cfg: DictConfig) -> None:
    """Validate, run and write one simulation (one job of a multirun); reuse only an identical run."""
    logging.getLogger("MESA").setLevel(logging.WARNING)  # Hydra sets INFO; Mesa logs every step
    folder = Path(HydraConfig.get().runtime.output_dir)
    try:
        config = realise(to_config(cfg))  # the draw's values, under uncertainty=posterior
    except ConfigError as err:
        fail(folder, str(err))
    wanted, found = config_hash(as_dict(config)), completed_hash(folder)
    if found == wanted:
        print(f"run folder {folder} is already complete: skipped (delete it to rerun)")
        return
    if found is not None:
        print(f"run folder {folder} holds a run of another config: rerunning it")
        (folder / "summary.json").unlink()
    try:
        result = (run_branched(config, list(HydraConfig.get().overrides.task))
                  if config.branch_date is not None else run(config))
    except ConfigError as err:
        fail(folder, str(err))
    try:
        result.write(folder)
    except OSError as err:
        fail(folder, f"cannot write the run folder {folder} ({err.strerror})")
    print(report(result.summary, folder, arm_overrides()))


# Hydra hands launchers the undecorated ``run_job``, which workers then import from this module.
job = hydra.main(config_path=str(CONFIG_DIR), config_name="config", version_base="1.3")(run_job)


def main() -> None:
    """``python -m sim``: check the command line (one line and exit 2 if bad), then run Hydra."""
    try:
        preflight(sys.argv[1:])
    except ConfigError as err:
        print(f"error: {unknown_in_file(str(err))}", file=sys.stderr)
        sys.exit(2)
    job()
