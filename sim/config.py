"""The configuration schema: every parameter once, with its unit, valid range and source.

Defaults marked CALIBRATED were chosen by ``experiments/calibrate.py`` (round 5,
``experiments/ranges_final.yaml``: the best of 128 Latin-hypercube sets, 3 seeds each, scored
against every target of ``sim.targets``), inside the published ranges where one exists; see
``docs/validation.md`` for what they reproduce and what they do not.

Dataclasses are registered in Hydra's ConfigStore by :func:`register_schema` (Hydra is imported
lazily there, never at import time). :func:`to_config` turns a composed OmegaConf object into a
validated :class:`SimConfig`; a bad value raises :class:`ConfigError` with one line naming the field,
the value and what is allowed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Any

SCHEMA_NAME = "sim_schema"


class ConfigError(ValueError):
    """A user's config value is out of range or of the wrong kind (one line, names the field)."""


class SpaceKind(enum.Enum):
    """Which district map to run on."""

    REAL = "real"
    SYNTHETIC = "synthetic"


def param(default: Any, lo: float | None = None, hi: float | None = None, unit: str = "",
          source: str = "", doc: str = "") -> Any:
    """Declare a parameter with its default, valid closed range [lo, hi], unit and source."""
    meta = {"lo": lo, "hi": hi, "unit": unit, "source": source, "doc": doc}
    return field(default=default, metadata=meta)


def date_param(default: str | None, doc: str = "", source: str = "") -> Any:
    """Declare an ISO date parameter (YYYY-MM-DD); ``None`` means never."""
    return field(default=default, metadata={"unit": "ISO date", "doc": doc, "source": source,
                                            "date": True})


@dataclass
class SpaceConfig:
    """The district map: the real 398-district graph or a seeded synthetic one."""

    kind: SpaceKind = SpaceKind.REAL
    n_provinces: int = param(9, 1, 400, "provinces", doc="synthetic map: number of provinces")
    province_side: int = param(4, 2, 30, "districts", doc="synthetic map: districts per province side")
    frac_extra_edges: float = param(0.2, 0.0, 1.0, "share", doc="synthetic map: diagonal links added")


@dataclass
class InitialConfig:
    """How the 1 May 2021 control split is assigned to districts (ranked by affinity score)."""

    frac_taliban: float = param(0.183, 0.0, 1.0, "share of districts",
                                source="LWJ 1 May 2021: 73 of 398 drawn")
    frac_contested: float = param(0.528, 0.0, 1.0, "share of districts",
                                  source="LWJ 1 May 2021: 210 of 398 drawn")
    w_pashtun: float = param(1.0, 0.0, 10.0, "score", doc="affinity of Pashtun-majority provinces")
    w_remote: float = param(1.0, 0.0, 10.0, "score per hop", doc="affinity per hop from a capital")
    w_noise: float = param(0.8, 0.0, 10.0, "score", doc="scale of random affinity (init stream)")


@dataclass
class ForcesConfig:
    """Initial strengths of the three ground forces."""

    # CALIBRATED
    n_taliban: int = param(74_500, 1, 500_000, "fighters",
                           source="UN S/2021/486: 58,000-100,000; CNA ~60,000 full-time")
    taliban_unit_size: int = param(100, 5, 10_000, "fighters per unit agent")
    n_andsf_paper: int = param(300_000, 0, 1_000_000, "troops", source="forces.md: ~300,000")
    # CALIBRATED
    frac_present: float = param(0.55, 0.0, 1.0, "share of paper strength",
                                source="forces.md: 40,000-180,000 present of ~300,000")
    # CALIBRATED
    frac_in_capitals: float = param(0.42, 0.0, 1.0, "share of present troops",
                                    doc="share garrisoned in provincial capitals")
    n_commandos: int = param(20_000, 0, 100_000, "troops", source="forces.md: ~20,000")
    commando_unit_size: int = param(500, 10, 10_000, "troops per unit agent")
    # CALIBRATED
    n_militia: int = param(14_000, 0, 200_000, "fighters",
                           source="forces.md: no reliable total; wide range")
    militia_unit_size: int = param(500, 10, 10_000, "fighters per unit agent")
    ammo_days: float = param(10.0, 0.0, 100.0, "days of fire", doc="initial and road-stocked level")
    # CALIBRATED
    supply_days: float = param(18.6, 0.0, 200.0, "days", doc="initial food/fuel stock")
    n_equipment_per_100: float = param(4.0, 0.0, 100.0, "vehicles and heavy weapons per 100 troops")


@dataclass
class AirConfig:
    """The Afghan air force and US air support."""

    use_aaf: bool = True
    frac_fleet: float = param(1.0, 0.0, 10.0, "share",
                              doc="share of the AAF fleet and of US strikes serving this map "
                                  "(scale down for small synthetic maps)")
    n_a29: int = param(23, 0, 500, "aircraft", source="SIGAR 30 Jul 2021 (usable on 30 Jun)")
    n_md530: int = param(43, 0, 500, "aircraft", source="SIGAR 30 Jul 2021")
    n_ac208: int = param(10, 0, 500, "aircraft", source="SIGAR 30 Jul 2021")
    n_mi17: int = param(32, 0, 500, "aircraft", source="SIGAR 30 Jul 2021")
    n_uh60: int = param(33, 0, 500, "aircraft", source="SIGAR 30 Jul 2021")
    n_c208: int = param(23, 0, 500, "aircraft", source="SIGAR 30 Jul 2021")
    n_c130: int = param(3, 0, 500, "aircraft", source="SIGAR 30 Jul 2021")
    frac_ready: float = param(0.80, 0.0, 1.0, "mission-capable share",
                              source="SIGAR: AC-208 93%, UH-60 77% in April-May 2021")
    frac_ready_floor: float = param(0.35, 0.0, 1.0, "mission-capable share",
                                    source="SIGAR: UH-60 39%, AC-208 63% by end of June")
    contractor_exit_date: str | None = date_param(
        "2021-06-01", "maintenance contractors gone; readiness decays after (null: they stay)",
        "SIGAR: contractors left through June")
    readiness_decay_days: float = param(30.0, 1.0, 1000.0, "days", doc="decay time constant")
    sorties_per_aircraft: float = param(1.0, 0.0, 10.0, "sorties per ready aircraft per day")
    frac_helo_resupply: float = param(0.5, 0.0, 1.0, "share",
                                      doc="policy: share of Mi-17/UH-60 sorties flown as resupply")
    kills_per_sortie: float = param(1.0, 0.0, 100.0, "fighters per strike sortie")
    use_us: bool = True
    us_strikes_per_day: float = param(2.0, 0.0, 200.0, "strikes per day",
                                      doc="until the drawdown date (assumed; no AFCENT figure)")
    us_drawdown_date: str | None = date_param("2021-07-02", "Bagram vacated",
                                              "press reports: 1-2 July 2021")
    us_strikes_per_day_after: float = param(0.6, 0.0, 200.0, "strikes per day",
                                            source="AFCENT: 18 weapons released in July 2021")
    us_end_date: str | None = date_param("2021-08-31", "end of the US mission (null: never)",
                                         "US statement of 8 July 2021")
    kills_per_us_strike: float = param(3.0, 0.0, 100.0, "fighters per strike")


@dataclass
class SupplyConfig:
    """Resupply of garrisons by road from the hubs and by air."""

    use_road: bool = True
    rate_road_days: float = param(3.0, 0.0, 100.0, "days of stock delivered per day by road")
    p_contested_convoy: float = param(0.3, 0.0, 1.0, "probability per day",
                                      doc="a convoy through contested districts gets through")
    tonnes_per_troop_day: float = param(0.01, 0.0001, 1.0, "tonnes per soldier per day of stock")
    frac_lift_multiplier: float = param(1.0, 0.0, 10.0, "factor",
                                        doc="scales air resupply lift (2 = doubled resupply)")
    taliban_rate_days: float = param(2.0, 0.0, 100.0, "days of fire per day in own territory")


@dataclass
class TalibanConfig:
    """Taliban units' target choice, movement and recruitment."""

    sensing_hops: int = param(2, 1, 6, "hops", doc="how far a unit sees and chooses targets")
    w_weakness: float = param(2.0, 0.0, 20.0, "score", doc="weakly held districts attract")
    w_cut_off: float = param(1.0, 0.0, 20.0, "score", doc="cut-off garrisons attract")
    w_low_morale: float = param(1.0, 0.0, 20.0, "score", doc="demoralised garrisons attract")
    w_value: float = param(0.5, 0.0, 20.0, "score", doc="populous districts attract")
    w_capital: float = param(2.0, 0.0, 20.0, "score", doc="a surrounded capital attracts")
    # CALIBRATED
    frac_capital_surrounded: float = param(0.86, 0.0, 1.0, "share of neighbours",
                                           doc="capitals are targets once this share is lost")
    w_distance: float = param(0.3, 0.0, 20.0, "score per hop")
    w_noise: float = param(0.5, 0.0, 20.0, "score", doc="scale of each unit's random preference")
    # CALIBRATED
    assault_odds: float = param(5.44, 0.1, 100.0, "attacker : defender",
                                doc="assault when effective odds reach this, else besiege")
    rate_recruit: float = param(1.5e-5, 0.0, 1e-2, "fighters per resident per day",
                                doc="in Taliban-held districts, times local support")
    frac_support_pashtun: float = param(1.0, 0.0, 1.0, "share")
    frac_support_other: float = param(0.3, 0.0, 1.0, "share")
    equipment_bonus: float = param(0.02, 0.0, 1.0, "fire per captured item per 100 fighters")


@dataclass
class CombatConfig:
    """Lanchester-type attrition where opposing forces share a district."""

    rate_taliban_fire: float = param(0.02, 0.0, 1.0, "casualties per effective fighter per day")
    rate_government_fire: float = param(0.03, 0.0, 1.0, "casualties per effective soldier per day")
    frac_siege_intensity: float = param(0.15, 0.0, 1.0, "share of assault fire during a siege")
    # CALIBRATED
    fortification_capital: float = param(7.74, 1.0, 20.0, "fire multiplier")
    fortification_district: float = param(1.3, 1.0, 20.0, "fire multiplier")
    w_terrain: float = param(0.5, 0.0, 10.0, "fire multiplier per unit ruggedness")
    frac_fire_without_ammo: float = param(0.1, 0.0, 1.0, "share of normal fire")
    ammo_days_per_assault: float = param(1.0, 0.0, 10.0, "days of fire per day of assault")
    min_troops: int = param(10, 0, 10_000, "troops", doc="a smaller garrison is overrun")


@dataclass
class MoraleConfig:
    """Morale of garrisons, militias and Taliban units (0 = broken, 1 = resolute)."""

    government: float = param(0.55, 0.0, 1.0, "morale", doc="initial and baseline")
    commando: float = param(0.85, 0.0, 1.0, "morale", doc="elite reserve, initial and baseline")
    taliban: float = param(0.8, 0.0, 1.0, "morale")
    militia: float = param(0.6, 0.0, 1.0, "morale")
    rate_recovery: float = param(0.02, 0.0, 1.0, "share of gap to baseline per day")
    rate_isolation: float = param(0.01, 0.0, 1.0, "per day cut off")
    rate_shortage: float = param(0.03, 0.0, 1.0, "per day short of ammunition or supplies")
    w_casualties: float = param(1.0, 0.0, 20.0, "per share of troops lost")
    # CALIBRATED
    rate_contagion: float = param(0.0011, 0.0, 1.0, "per neighbouring district lost recently")
    # CALIBRATED
    rate_bandwagon: float = param(0.52, 0.0, 20.0, "per share of the population lost recently")
    # CALIBRATED
    window_days: int = param(12, 1, 100, "days", doc="how long a loss counts as recent")
    boost_resupply: float = param(0.01, 0.0, 1.0, "per day resupplied")
    boost_air: float = param(0.03, 0.0, 1.0, "per day with air strikes overhead")
    boost_victory: float = param(0.05, 0.0, 1.0, "per district taken (Taliban)")


@dataclass
class SurrenderConfig:
    """Whether a besieged garrison gives up, and how: surrender, negotiation, withdrawal, flight."""

    # CALIBRATED
    logit_base: float = param(-10.76, -50.0, 50.0, "log-odds per day")
    w_no_ammo: float = param(3.0, 0.0, 50.0, "log-odds when out of ammunition")
    # CALIBRATED
    w_no_supplies: float = param(2.99, 0.0, 50.0, "log-odds when out of supplies")
    # CALIBRATED
    w_low_morale: float = param(3.96, 0.0, 50.0, "log-odds per unit of lost morale")
    w_cut_off: float = param(1.0, 0.0, 50.0, "log-odds when cut off")
    w_odds: float = param(1.0, 0.0, 50.0, "log-odds per log of force ratio")
    p_elders_pashtun: float = param(0.7, 0.0, 1.0, "probability",
                                    doc="elders mediate a handover in a Pashtun district")
    p_elders_other: float = param(0.3, 0.0, 1.0, "probability")
    p_withdraw: float = param(0.5, 0.0, 1.0, "probability",
                              doc="a giving-up garrison with a road home withdraws")
    p_flee: float = param(0.7, 0.0, 1.0, "probability", doc="...flees across a border crossing")
    frac_equipment_left: float = param(0.5, 0.0, 1.0, "share left behind when withdrawing")
    # CALIBRATED
    rate_desertion: float = param(0.057, 0.0, 1.0, "share of troops per day at zero morale")


@dataclass
class MilitiaConfig:
    """Northern regional militias that defend their home provinces."""

    use_militias: bool = True
    mobilisation_date: str | None = date_param(
        "2021-06-19", "the call to arm (null: never)", "drivers.csv: 19 June 2021")
    alert_hops: int = param(2, 0, 10, "hops", doc="mobilise when Taliban come this close to home")
    loyalty: float = param(0.7, 0.0, 1.0, "share", doc="fighters who turn out when called")


@dataclass
class GovernmentConfig:
    """Government redeployment: commandos to threatened capitals, consolidation policy."""

    n_commando_moves: int = param(2, 0, 100, "units per day", doc="commando units flown per day")
    consolidation_day: int | None = param(None, 0, 10_000, "day",
                                          doc="from this day rural garrisons withdraw to capitals")


@dataclass
class ScenarioConfig:
    """Name and description of the scenario (its deltas live in configs/scenario/)."""

    name: str = "historical"
    description: str = "The 2021 offensive as it happened: US air support ends, contractors leave."


@dataclass
class SimConfig:
    """A whole run: seed, duration, and one sub-config per mechanism."""

    seed: int = param(0, 0, 2**32 - 1, "seed")
    days: int = param(120, 1, 3650, "days")
    seeds: int = param(100, 1, 100_000, "runs", doc="ensemble size of experiment sweeps (seed 0..N-1)")
    start_date: str = date_param("2021-05-01", "day 0 of the run")
    space: SpaceConfig = field(default_factory=SpaceConfig)
    initial: InitialConfig = field(default_factory=InitialConfig)
    forces: ForcesConfig = field(default_factory=ForcesConfig)
    air: AirConfig = field(default_factory=AirConfig)
    supply: SupplyConfig = field(default_factory=SupplyConfig)
    taliban: TalibanConfig = field(default_factory=TalibanConfig)
    combat: CombatConfig = field(default_factory=CombatConfig)
    morale: MoraleConfig = field(default_factory=MoraleConfig)
    surrender: SurrenderConfig = field(default_factory=SurrenderConfig)
    militia: MilitiaConfig = field(default_factory=MilitiaConfig)
    government: GovernmentConfig = field(default_factory=GovernmentConfig)
    scenario: ScenarioConfig = field(default_factory=ScenarioConfig)

    def day_of(self, date: str | None) -> float:
        """Day index of an ISO date relative to ``start_date`` (``inf`` for ``None``)."""
        if date is None:
            return float("inf")
        return float((dt.date.fromisoformat(date) - dt.date.fromisoformat(self.start_date)).days)


def is_integer(name: str) -> bool:
    """Whether the schema declares the dotted parameter ``name`` (e.g. ``forces.n_taliban``) an int."""
    node: Any = SimConfig()
    for part in name.split("."):
        node = getattr(node, part)
    return isinstance(node, int) and not isinstance(node, bool)


def validate(cfg: Any, prefix: str = "") -> None:
    """Check every field of a (nested) config dataclass against its declared range or form."""
    for f in dataclasses.fields(cfg):
        value = getattr(cfg, f.name)
        name = f"{prefix}{f.name}"
        if dataclasses.is_dataclass(value):
            validate(value, f"{name}.")
            continue
        meta = f.metadata
        if meta.get("date") and value is not None:
            try:
                dt.date.fromisoformat(str(value))
            except ValueError:
                raise ConfigError(f"{name}={value!r}: must be an ISO date YYYY-MM-DD") from None
        lo, hi = meta.get("lo"), meta.get("hi")
        if value is None or (lo is None and hi is None):
            continue
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise ConfigError(f"{name}={value!r}: must be a number in [{lo}, {hi}]")
        if value != value or (lo is not None and value < lo) or (hi is not None and value > hi):
            raise ConfigError(f"{name}={value!r}: must be in [{lo}, {hi}] {meta['unit']}".rstrip())
    if isinstance(cfg, InitialConfig) and cfg.frac_taliban + cfg.frac_contested > 1:
        raise ConfigError(f"{prefix}frac_taliban + frac_contested = "
                          f"{cfg.frac_taliban + cfg.frac_contested:g}: must be at most 1")


def to_config(cfg: Any) -> SimConfig:
    """Convert a composed OmegaConf config (or a SimConfig) into a validated SimConfig."""
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    if not isinstance(cfg, SimConfig):
        try:
            cfg = OmegaConf.to_object(cfg)
        except OmegaConfBaseException as err:
            raise ConfigError(str(err).splitlines()[0]) from None
    validate(cfg)
    from sim.space import check_memory  # a map the machine cannot hold is refused here too

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
