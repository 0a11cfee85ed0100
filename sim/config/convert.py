"""From a composed config to a validated SimConfig, with one line naming what is wrong."""

from __future__ import annotations

import dataclasses
import difflib
import enum
import re
from typing import Any

from sim.config.fields import ConfigError
from sim.config.schema import SimConfig, default_of, parameters, validate

SCHEMA_NAME = "sim_schema"


CLOSE = 0.6  # difflib's ratio from which a key is offered as the one meant


def nearest(name: str) -> str | None:
    """The schema name close to ``name`` (a typo, or a parameter named without its group).

    None when no name is close (difflib's ratio below :data:`CLOSE`): a far guess misleads.
    """
    names = list(parameters())
    match = difflib.get_close_matches(name, names, n=1, cutoff=CLOSE)
    if not match:
        tails = {n.rsplit(".", 1)[-1]: n for n in reversed(names)}
        match = [tails[t] for t in difflib.get_close_matches(name.rsplit(".", 1)[-1], list(tails),
                                                             n=1, cutoff=CLOSE)]
    return match[0] if match else None


def siblings(name: str) -> list[str]:
    """The keys of the group ``name`` sits in (the top level's for an undotted name)."""
    group, _, _ = name.rpartition(".")
    while group and group not in parameters():
        group = group.rpartition(".")[0]
    prefix = f"{group}." if group else ""
    return [n for n in parameters() if n.startswith(prefix) and "." not in n[len(prefix):]]


def unknown(name: str) -> ConfigError:
    """The error for a key the schema does not declare: the nearest key, or the group's keys."""
    match = nearest(name)
    if match:
        return ConfigError(f"{name}: no such parameter; nearest valid key: {match}")
    group = name.rpartition(".")[0]
    where = f"keys of {group}" if group in parameters() else "top-level keys"
    return ConfigError(f"{name}: no such parameter; {where}: {', '.join(siblings(name))}")


FILE_KEY = re.compile(r"In '([^']+)': ConfigKeyError raised while composing config:; "
                      r"Key '([^']+)' not in '([^']+)'")


def unknown_in_file(message: str) -> str:
    """Hydra's message for an unknown key in a config file, as one line naming file and key.

    ``In 'scenario/x': ConfigKeyError ...; Key 'rate_road_dayz' not in 'SupplyConfig'`` becomes
    ``scenario/x.yaml: supply.rate_road_dayz: no such parameter; nearest valid key: ...``; any
    other message is returned as it is.
    """
    found = FILE_KEY.search(message)
    if not found:
        return message
    where, key, schema = found.groups()
    groups = [n for n, f in parameters().items() if getattr(f.type, "__name__", f.type) == schema]
    name = f"{groups[0]}.{key}" if groups else key
    return f"{where}.yaml: {unknown(name)}"


def allowed(name: str) -> str:
    """What parameter ``name`` accepts, in words (for one-line errors)."""
    f = parameters()[name]
    kinds = str(f.type).replace(" ", "").split("|")
    default = f.default
    if f.metadata.get("date"):
        return "an ISO date YYYY-MM-DD" + (" or null" if "None" in kinds else "")
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, enum.Enum):
        return "one of " + ", ".join(k.name for k in type(default))
    if "int" in kinds or "float" in kinds:
        kind = "an integer" if "int" in kinds else "a number"
        unit = f.metadata.get("unit", "")
        return f"{kind} in [{f.metadata.get('lo')}, {f.metadata.get('hi')}] {unit}".rstrip()
    return "a string"


def check_closed(node: Any, cls: type = SimConfig, prefix: str = "") -> None:
    """Refuse a key the schema does not declare (e.g. added with ``+``), naming the nearest one."""
    declared = {f.name: f for f in dataclasses.fields(cls)}
    for key in node:
        name = f"{prefix}{key}"
        if key not in declared:
            raise unknown(name)
        default = default_of(declared[key])
        if dataclasses.is_dataclass(default) and hasattr(node[key], "keys"):
            check_closed(node[key], type(default), f"{name}.")


def to_config(cfg: Any) -> SimConfig:
    """Convert a composed OmegaConf config (or a SimConfig) into a validated SimConfig.

    The schema is closed: a key it does not declare is an error, not silently dropped.
    """
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    if not isinstance(cfg, SimConfig):
        check_closed(cfg)
        try:
            cfg = OmegaConf.to_object(cfg)
        except OmegaConfBaseException as err:
            raise ConfigError(str(err).splitlines()[0]) from None
    validate(cfg)
    from sim.config.memory import check_memory  # a map the machine cannot hold is refused here too

    check_memory(cfg)
    return cfg


def as_dict(cfg: SimConfig) -> dict:
    """Plain nested dict of a config (enums as their names), for YAML and JSON output."""
    def plain(v: Any) -> Any:
        if isinstance(v, enum.Enum):
            return v.name
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        return v
    return plain(dataclasses.asdict(cfg))


def register_schema() -> None:
    """Register :class:`SimConfig` in Hydra's ConfigStore under :data:`SCHEMA_NAME`."""
    from hydra.core.config_store import ConfigStore

    ConfigStore.instance().store(name=SCHEMA_NAME, node=SimConfig)
