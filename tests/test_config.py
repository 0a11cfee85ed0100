"""Config composition and validation: every option composes; bad input fails early, clearly."""

from __future__ import annotations

from pathlib import Path

import pytest

import sim
from sim.config import SimConfig, validate

CONFIGS = Path(__file__).resolve().parents[1] / "configs"
GROUP_OPTIONS = [
    f"{group.name}={path.stem}"
    for group in sorted(CONFIGS.iterdir()) if group.is_dir() and group.name != "experiment"
    for path in sorted(group.glob("*.yaml"))
]


@pytest.mark.parametrize("override", GROUP_OPTIONS)
def test_every_group_option_composes_and_validates(override):
    """Each YAML option of each group composes with the defaults into a valid SimConfig."""
    cfg = sim.load_config([override])
    assert isinstance(cfg, SimConfig)
    validate(cfg)


def test_default_is_the_historical_run_on_the_real_map():
    """The default config: real map, 120 days from 2021-05-01, seed 0, historical air."""
    cfg = sim.load_config()
    assert (cfg.space.kind.name, cfg.days, cfg.start_date, cfg.seed) == ("REAL", 120,
                                                                        "2021-05-01", 0)
    assert cfg.scenario.name == "historical" and cfg.air.contractor_exit_date is not None


@pytest.mark.parametrize(("override", "field"), [
    ("forces.n_taliban=-5", "forces.n_taliban"),
    ("surrender.p_withdraw=1.5", "surrender.p_withdraw"),
    ("days=0", "days"),
    ("air.ready_uh60=-0.1", "air.ready_uh60"),
    ("start_date=2021-02-30", "start_date"),
    ("militia.mobilisation_date=soon", "militia.mobilisation_date"),
    ("initial.frac_taliban=0.8", "frac_taliban"),
    ("air=fleet", "air=fleet"),
    ("no_such_key=1", "no_such_key"),
    ("seed=abc", "seed"),
    ("space.kind=moon", "space.kind"),
])
def test_bad_value_names_the_field(override, field):
    """A bad value raises ConfigError with one line naming the field and what is allowed."""
    with pytest.raises(sim.ConfigError) as err:
        sim.load_config([override])
    message = str(err.value)
    assert field in message and "\n" not in message


@pytest.mark.parametrize(("override", "nearest"), [
    ("+taliban.rate_recrut=3", "taliban.rate_recruit"),
    ("taliban.rate_recrut=3", "taliban.rate_recruit"),
    ("rate_recruit=3", "taliban.rate_recruit"),
    ("+forces.n_talibn=5", "forces.n_taliban"),
])
def test_schema_is_closed(override, nearest):
    """An unknown key, with or without +, is refused, naming the nearest valid key."""
    with pytest.raises(sim.ConfigError) as err:
        sim.load_config([override])
    key = override.lstrip("+").split("=")[0]
    assert str(err.value) == f"{key}: no such parameter; nearest valid key: {nearest}"


def test_to_config_refuses_a_key_added_behind_the_schema():
    """A composed config given an extra key (e.g. by open_dict) fails validation, not dropped."""
    from omegaconf import open_dict

    cfg = sim.load_config(["debug=tiny"], validate=False)
    with open_dict(cfg.taliban):
        cfg.taliban.rate_recrut = 3
    with pytest.raises(sim.ConfigError, match="taliban.rate_recrut: no such parameter"):
        sim.run(cfg)


@pytest.mark.parametrize(("override", "options"), [
    ("experiment=air_lever", "air_dose, air_levers, air_support"),
    ("debug=tny", "tiny"),
    ("scenario=no_airs", "air_from_august, air_from_july"),
])
def test_a_missing_option_of_any_group_is_refused(override, options):
    """Optional groups too: a misspelt option lists the options instead of being ignored."""
    with pytest.raises(sim.ConfigError) as err:
        sim.load_config([override])
    assert str(err.value).startswith(f"{override}: no such option; choose one of {options}")


def test_a_users_config_folder_adds_options(tmp_path):
    """A scenario in a folder on hydra.searchpath is an option; a misspelt one is still refused."""
    (tmp_path / "scenario").mkdir()
    (tmp_path / "scenario" / "fast_convoys.yaml").write_text(
        "# @package _global_\nscenario:\n  name: fast_convoys\nsupply:\n  rate_road_days: 6\n")
    search = f"hydra.searchpath=[file://{tmp_path}]"
    cfg = sim.load_config([search, "scenario=fast_convoys"])
    assert (cfg.scenario.name, cfg.supply.rate_road_days) == ("fast_convoys", 6)
    with pytest.raises(sim.ConfigError, match="scenario=fast_convoy: no such option; choose one of "
                                              ".*early_consolidation, expectation_kept, "
                                              "fast_convoys"):
        sim.load_config([search, "scenario=fast_convoy"])


@pytest.mark.parametrize(("key", "listed"), [
    ("typo", "top-level keys: seed, days, seeds, start_date"),
    ("foo", "top-level keys: seed, days"),
    ("taliban.sensing_hop", "keys of taliban: taliban.rate_recruit, "),
])
def test_far_keys_get_no_guess_but_the_groups_keys(key, listed):
    """A key close to none (difflib ratio < 0.6) names no 'nearest' key; it lists its group's."""
    with pytest.raises(sim.ConfigError) as err:
        sim.load_config([f"+{key}=1"])
    assert "nearest" not in str(err.value)
    assert str(err.value).startswith(f"{key}: no such parameter; {listed}")


def test_unknown_key_in_a_file_is_one_line_with_the_nearest_key():
    """Hydra's message for a misspelt key in a scenario file becomes file, key and nearest key."""
    from sim.config import unknown_in_file

    raw = ("In 'scenario/x': ConfigKeyError raised while composing config:; "
           "Key 'rate_road_dayz' not in 'SupplyConfig'")
    assert unknown_in_file(raw) == ("scenario/x.yaml: supply.rate_road_dayz: no such parameter; "
                                    "nearest valid key: supply.rate_road_days")
    assert unknown_in_file("days=abc: must be an integer") == "days=abc: must be an integer"
