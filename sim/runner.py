"""Run a config end to end, and compose configs from the project's Hydra YAML without the CLI."""

from __future__ import annotations

import copy
import importlib.resources
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from sim.config import (
    ConfigError,
    SimConfig,
    allowed,
    as_dict,
    parameters,
    register_schema,
    to_config,
    unknown,
    unknown_in_file,
)
from sim.model.model import OffensiveModel
from sim.outputs.result import RunResult, carry_forward, district_table, event_table, summarise
from sim.uncertainty import realise
from sim.world.agents import Control
from sim.world.space import DistrictMap


def config_dir() -> Path:
    """The Hydra configs: ``sim/configs`` in an installed wheel, else ``configs/`` of the checkout.

    The wheel maps the top-level ``configs/`` into the package (pyproject's ``package-dir``), so
    there is one copy of each file; a source checkout or editable install reads it in place.
    """
    packaged = importlib.resources.files(__package__) / "configs"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "configs"


CONFIG_DIR = config_dir()


def decided(model: OffensiveModel) -> bool:
    """Whether the war is decided: the republic has fallen, or the Taliban are gone.

    The republic has fallen when the Taliban hold Kabul or no government garrison is left; the
    Taliban are gone when no unit and no Taliban-held district is left (none can be raised
    again: recruits come only from Taliban-held districts).
    """
    held = model.control == Control.TALIBAN
    forces = model.daily_row
    if held[model.map.is_national_capital].any() or forces["garrisons"] == 0:
        return True
    return not held.any() and forces["taliban_units"] == 0


def advance(model: OffensiveModel, last_day: int) -> None:
    """Step the model up to day ``last_day``, stopping early on the day the war is decided."""
    while model.day < last_day and not decided(model):
        model.step()


def simulate(config: SimConfig, district_map: DistrictMap | None = None,
             initial_control=None) -> OffensiveModel:
    """Build the model and run it for ``config.days`` days (fewer if the war is decided first).

    Under ``uncertainty=posterior`` or ``prior`` the run uses its draw
    (:func:`sim.uncertainty.realise`).
    """
    model = OffensiveModel(realise(config), district_map, initial_control)
    advance(model, config.days)
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
    daily = carry_forward(daily, model.config.days, model.start)
    control = np.array(model.control_history)
    control = np.concatenate([control, np.repeat(control[-1:], len(daily) - len(control), 0)])
    districts = district_table(model)
    decided_day = model.day if decided(model) else None
    return RunResult(config=as_dict(model.config), daily=daily, districts=districts,
                     events=event_table(model),
                     summary=summarise(model, daily, districts, decided_day), control=control)


def one_line(message: str) -> str:
    """Hydra/OmegaConf error text folded into one line, without the debugging detail."""
    noise = ("full_key", "object_type", "reference_type", "provider", "Config search")
    lines = [ln.strip() for ln in message.splitlines() if ln.strip()]
    return "; ".join(ln for ln in lines if not ln.startswith(noise))


# Fields that act only when the model is set up (the map, initial control, the forces and what
# each garrison and leadership draws then): a branch cannot change them mid-run. A name covers
# the fields under it. Every other field is read day by day, so a branch honours it from the
# branch day on (OffensiveModel.reconfigure refreshes what is derived from config).
SETUP_ONLY = ("seed", "start_date", "space", "initial", "forces", "surrender.logit_base",
              "surrender.threshold_sd", "bargains.threshold_mean", "bargains.threshold_sd",
              "militia.use_militias", "militia.loyalty", "combat.fortification_capital",
              "combat.fortification_district", "taliban.n_prisoners", "expectation.initial")
# What a branch arm shares with its history, on the command line: the rest are the arm's levers.
SHARED_OVERRIDES = ("seed", "seeds", "days", "debug", "experiment")


def _flat(config: dict, prefix: str = "") -> dict:
    """A nested config dict as dotted keys."""
    out = {}
    for key, value in config.items():
        if isinstance(value, dict):
            out.update(_flat(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def check_branch(base: SimConfig, arm: SimConfig) -> None:
    """Refuse a branch arm that changes a field acting only at set-up (one line, names it).

    Raises:
        ConfigError: ``forces.n_taliban=20000: acts only at set-up ...``.
    """
    old, new = _flat(as_dict(base)), _flat(as_dict(arm))
    for key in sorted(new):
        if old.get(key) != new[key] and any(key == s or key.startswith(f"{s}.")
                                           for s in SETUP_ONLY):
            raise ConfigError(f"{key}={new[key]}: acts only at set-up, so a branch arm cannot "
                              f"change it from the shared history's {old.get(key)}; run it as a "
                              "separate study instead")


def trunk_overrides(overrides: Sequence[str]) -> list[str]:
    """The overrides of a branch arm's shared history: the seed, horizon and debug options only.

    Everything else on the command line (the scenario, groups, fields) is the arm's lever.
    """
    return [o for o in overrides if o.split("=", 1)[0].lstrip("+~") in SHARED_OVERRIDES]


def run_branched(arm: SimConfig, overrides: Sequence[str]) -> RunResult:
    """Run ``arm`` as a branch, from its ``branch_date``, of the historical run it departs from.

    The history is the historical scenario composed with the arm's shared overrides
    (:func:`trunk_overrides`); it is deterministic given the seed, so every arm of a study
    branching on one date shares the same history up to it. A run that ends before its branch
    date is the history alone (the levers never act).
    """
    base = load_config(trunk_overrides(overrides))
    day = int(min(max(arm.day_of(arm.branch_date), 0), base.days))
    return branch(base, {"arm": arm}, day)["arm"]


def branch(base, arms: dict, day: int) -> dict[str, RunResult]:
    """Run ``base`` to ``day`` once, then continue each arm's config from a copy of that state.

    Arms share the history (and every random stream's state) up to the branch day, so their
    differences afterwards come from the lever alone. Every lever read day by day takes effect
    from the branch day; one that acts only at set-up (:data:`SETUP_ONLY`: forces, the map,
    initial control...) is refused with a :class:`ConfigError` naming it. Each arm runs to its
    own ``days``.

    Args:
        base: the config of the shared history (SimConfig or composed OmegaConf config).
        arms: arm name -> config to continue with.
        day: branch day, 0 to ``base.days``.
    """
    base = to_config(base)
    if not 0 <= day <= base.days:
        raise ConfigError(f"branch day={day}: must be in [0, {base.days}]")
    arms = {name: to_config(arm) for name, arm in arms.items()}
    for arm in arms.values():
        check_branch(base, arm)
    trunk = OffensiveModel(realise(base))
    advance(trunk, day)
    results = {}
    for name, arm in arms.items():
        model = copy.deepcopy(trunk)
        model.reconfigure(realise(arm))
        advance(model, model.config.days)
        results[name] = result_of(model)
    return results


def search_dirs(parsed: Sequence = ()) -> list[Path]:
    """The config folders Hydra searches: the package's, then any ``hydra.searchpath`` entries.

    Args:
        parsed: parsed overrides; a ``hydra.searchpath=[file://...]`` among them adds folders
            (a user's own scenarios, say).
    """
    dirs = [CONFIG_DIR]
    for override in parsed:
        if override.key_or_group == "hydra.searchpath" and isinstance(override.value(), list):
            for entry in override.value():
                scheme, _, where = str(entry).rpartition("://")
                try:
                    dirs.append(Path(str(importlib.resources.files(where))) if scheme == "pkg"
                                else Path(where))
                except ModuleNotFoundError:
                    raise ConfigError(f"hydra.searchpath: no package {where}") from None
    return dirs


def group_options(group: str, dirs: Sequence[Path] = (CONFIG_DIR,)) -> list[str]:
    """The options of a config group (``air`` -> historical, none, sustained), empty if no group."""
    return sorted({p.stem for d in dirs for p in (Path(d) / group).glob("*.yaml")})


def parse_overrides(overrides: Sequence[str]) -> list:
    """Parse Hydra overrides and check each against the configs and the closed schema.

    A group option must exist (Hydra alone would silently skip a missing option of an optional
    group such as ``experiment`` or ``debug``); a key must be a parameter of the schema, with or
    without ``+``. Sweeps (``air=historical,none``) have each value checked.

    Returns:
        Hydra's parsed ``Override`` objects, in order.
    """
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import HydraException

    parser, parsed = OverridesParser.create(), []
    for text in overrides:
        try:
            parsed.append(parser.parse_override(text))
        except HydraException:
            raise ConfigError(f"{text!r}: not an override of the form key=value") from None
    dirs = search_dirs(parsed)
    for override in parsed:
        key = override.key_or_group
        if override.is_hydra_override() or override.is_delete():
            continue
        options = group_options(key, dirs)
        if not options:
            if key not in parameters():
                raise unknown(key)
            continue
        values = (list(override.sweep_string_iterator()) if override.is_sweep_override()
                  else [override.get_value_element_as_str()])
        for value in values:
            if value not in options and value != "null":
                raise ConfigError(f"{key}={value}: no such option; choose one of "
                                  f"{', '.join(options)}")
    return parsed


def explain(err: Exception, parsed: list) -> ConfigError:
    """One line for a Hydra/OmegaConf composition error, naming the field and what it accepts."""
    from omegaconf.errors import ConfigAttributeError, ConfigKeyError, ValidationError

    cause = err.__cause__ or err
    key = getattr(cause, "full_key", None)
    if isinstance(cause, ConfigAttributeError | ConfigKeyError) and key:
        return unknown(key)
    if isinstance(cause, ValidationError) and key in parameters():
        given = [f"={o.get_value_element_as_str()}" for o in parsed if o.key_or_group == key]
        return ConfigError(f"{key}{given[-1] if given else ''}: must be {allowed(key)}")
    detail = f"{err}\n{err.__cause__}" if err.__cause__ else str(err)
    return ConfigError(unknown_in_file(one_line(detail)))


def compose(overrides: Sequence[str] = (), with_hydra: bool = False):
    """Compose ``config.yaml`` with checked overrides into an OmegaConf object.

    Args:
        overrides: Hydra overrides (no sweeps).
        with_hydra: keep the ``hydra`` node (output folders, sweeper, mode) for the CLI.
    """
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir
    from hydra.core.global_hydra import GlobalHydra
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    if not (CONFIG_DIR / "config.yaml").is_file():
        raise FileNotFoundError(f"configs not found at {CONFIG_DIR}: reinstall the package")
    parsed = parse_overrides(overrides)
    register_schema()
    GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
            return hydra_compose(config_name="config", overrides=list(overrides),
                                 return_hydra_config=with_hydra)
    except (HydraException, OmegaConfBaseException) as err:
        raise explain(err, parsed) from None


def load_config(overrides: Sequence[str] = (), validate: bool = True):
    """Compose ``configs/config.yaml`` with Hydra overrides, as ``python -m sim`` would.

    Returns a validated :class:`SimConfig` (or the raw OmegaConf object if ``validate=False``).
    Bad input raises :class:`ConfigError` with one line naming the field and what is allowed.
    """
    cfg = compose(overrides)
    return to_config(cfg) if validate else cfg
