"""Run a config end to end, and compose configs from the project's Hydra YAML without the CLI."""

from __future__ import annotations

import copy
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
    return result_of(simulate(to_config(config), district_map, initial_control))


def result_of(model: OffensiveModel) -> RunResult:
    """The tables of a finished model."""
    daily = model.datacollector.get_model_vars_dataframe().reset_index(names="day")
    districts = district_table(model)
    return RunResult(config=as_dict(model.config), daily=daily, districts=districts,
                     events=event_table(model), summary=summarise(model, daily, districts),
                     control=np.array(model.control_history))


def one_line(message: str) -> str:
    """Hydra/OmegaConf error text folded into one line, without the debugging detail."""
    noise = ("full_key", "object_type", "reference_type", "provider", "Config search")
    lines = [ln.strip() for ln in message.splitlines() if ln.strip()]
    return "; ".join(ln for ln in lines if not ln.startswith(noise))


def branch(base, arms: dict, day: int) -> dict[str, RunResult]:
    """Run ``base`` to ``day`` once, then continue each arm's config from a copy of that state.

    Arms share the history (and every random stream's state) up to the branch day, so their
    differences afterwards come from the lever alone. Levers that act at initialisation (forces,
    initial control, the map) cannot differ between arms; each arm runs to its own ``days``.

    Args:
        base: the config of the shared history (SimConfig or composed OmegaConf config).
        arms: arm name -> config to continue with.
        day: branch day, 0 to ``base.days``.
    """
    base = to_config(base)
    if not 0 <= day <= base.days:
        raise ConfigError(f"branch day={day}: must be in [0, {base.days}]")
    trunk = OffensiveModel(base)
    for _ in range(day):
        trunk.step()
    results = {}
    for name, arm in arms.items():
        model = copy.deepcopy(trunk)
        model.reconfigure(to_config(arm))
        for _ in range(model.config.days - day):
            model.step()
        results[name] = result_of(model)
    return results


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
