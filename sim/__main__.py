"""``python -m sim``: the Hydra command line. Runs one scenario and writes its run folder."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import sys
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from sim.config import ConfigError, register_schema, to_config
from sim.runner import CONFIG_DIR, run

register_schema()


def report(summary: dict, folder: Path) -> str:
    """A short human summary of one run."""
    dates = ", ".join(f"{d}: {n}" for d, n in summary["districts_taliban_on"].items())
    start = dt.date.fromisoformat(summary["start_date"])

    def when(day: int) -> str:
        return f"day {day} ({start + dt.timedelta(days=day)})"

    first = summary["first_capital_fell_day"]
    kabul = summary["kabul_fell_day"]
    return "\n".join([
        f"scenario {summary['scenario']}, seed {summary['seed']}, {summary['days']} days from "
        f"{summary['start_date']} on the {summary['space']} map ({summary['n_districts']} districts)",
        f"final: Taliban {summary['final_districts_taliban']}, contested "
        f"{summary['final_districts_contested']}, government {summary['final_districts_government']}"
        f"; provincial capitals taken: {summary['final_capitals_taliban']}",
        f"Taliban-held districts on {dates}" if dates else "",
        f"first provincial capital fell on {when(first)}" if first is not None
        else "no provincial capital fell",
        f"Kabul fell on {when(kabul)}" if kabul is not None else "Kabul held",
        f"changes of hands by cause: {summary['changes_by_cause']}",
        f"run folder: {folder}",
    ]).replace("\n\n", "\n")


@hydra.main(config_path=str(CONFIG_DIR), config_name="config", version_base="1.3")
def main(cfg: DictConfig) -> None:
    """Validate, run and write one simulation (one job of a multirun)."""
    logging.getLogger("MESA").setLevel(logging.WARNING)  # Hydra sets INFO; Mesa logs every step
    folder = Path(HydraConfig.get().runtime.output_dir)
    try:
        config = to_config(cfg)
    except ConfigError as err:
        if not (folder / "summary.json").exists():
            shutil.rmtree(folder, ignore_errors=True)
        print(f"error: {err}", file=sys.stderr)
        sys.exit(2)
    if (folder / "summary.json").exists():
        print(f"run folder {folder} is already complete: skipped (delete it to rerun)")
        return
    result = run(config)
    result.write(folder)
    print(report(result.summary, folder))


if __name__ == "__main__":
    main()
