"""Run a config end to end, and compose configs from the project's Hydra YAML without the CLI."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from sim.config import ConfigError, SimConfig, as_dict, register_schema, to_config
from sim.model import OffensiveModel
from sim.outputs import RunResult, district_table, event_table, summarise
from sim.space import DistrictMap

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"


def simulate(config: SimConfig, district_map: DistrictMap | None = None,
             initial_control=None) -> OffensiveModel:
    """Build the model and run it for ``config.days`` days; return the finished model."""
    model = OffensiveModel(config, district_map, initial_control)
    for _ in range(config.days):
        model.step()
    return model


def run(config, district_map: DistrictMap | None = None, initial_control=None) -> RunResult:
    """Run one simulation and return its tables (writes nothing).

    Args:
        config: a :class:`SimConfig` or a composed OmegaConf config (validated here).
        district_map: optional ready map (tests use tiny hand-made graphs).
        initial_control: optional day-0 control per district (``Control`` codes).
    """
    config = to_config(config)
    model = simulate(config, district_map, initial_control)
    daily = model.datacollector.get_model_vars_dataframe().reset_index(names="day")
    districts = district_table(model)
    return RunResult(config=as_dict(config), daily=daily, districts=districts,
                     events=event_table(model), summary=summarise(model, daily, districts),
                     control=np.array(model.control_history))


def one_line(message: str) -> str:
    """Hydra/OmegaConf error text folded into one line, without the debugging detail."""
    noise = ("full_key", "object_type", "reference_type", "provider", "Config search")
    lines = [ln.strip() for ln in message.splitlines() if ln.strip()]
    return "; ".join(ln for ln in lines if not ln.startswith(noise))


def load_config(overrides: Sequence[str] = (), validate: bool = True):
    """Compose ``configs/config.yaml`` with Hydra overrides, as ``python -m sim`` would.

    Returns a validated :class:`SimConfig` (or the raw OmegaConf object if ``validate=False``).
    """
    from hydra import compose, initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    if not CONFIG_DIR.is_dir():
        raise FileNotFoundError(f"configs not found at {CONFIG_DIR}: install with pip install -e .")
    register_schema()
    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
            cfg = compose(config_name="config", overrides=list(overrides))
    except (HydraException, OmegaConfBaseException) as err:
        detail = f"{err}\n{err.__cause__}" if err.__cause__ else str(err)
        raise ConfigError(one_line(detail)) from None
    return to_config(cfg) if validate else cfg
