"""The configuration schema: every parameter once, with its unit, valid range and source.

Defaults marked ``# CALIBRATED`` come from the 2026-11-28 recalibration, after hubs became
able to be cut off and local fighters kept contesting their districts: three Latin-hypercube
rounds on the real map over the bargains, belief, centre, campaign and recruitment priors
declared here (60 sets x 2 seeds, 50 x 3, 36 x 3, each inside the previous round's best
region), then one-parameter sweeps of the provincial threshold, ``ripe_morale``, the siege drag
and the centre's base hazard on 10 seeds, the chosen set confirmed on 30 seeds; after the air channels
(casualty evacuation, the expectation of support, the August US surge) were added, one more
round of 48 sets x 3 seeds over the bargains, belief, centre and expectation priors and a sweep
of the siege drag on 12-30 seeds; on 2026-11-29 the consolidation thresholds, until then
unsourced constants, were given priors and chosen on a 4 x 3 grid on 30 seeds
(docs/validation.md gives the figures and what the defaults do not reproduce); on 2026-12-07,
after the handover came to need a Taliban force at the gates and news came to travel between
provincial leaderships, thirteen defaults (the bargains' thresholds and ``handover_odds``, the
belief's shocks, siege wear, recovery and far ties, ``campaign.p_commit`` and ``w_talks``,
``surrender.logit_base``, ``consolidation_belief``) were chosen by hand-guided sweeps scored run
by run (the share of 2021-like runs and each pattern's share) on seeds 0-49 only; later that day,
with the campaign's two phases, the siege clock and the consolidation that keeps the capitals'
approaches, thirteen more (``bargains.w_siege_days``, ``threshold_mean``, ``handover_odds``,
``w_neighbour_deals``, ``belief.rate_siege``, ``campaign.w_capital``, ``centre.w_capitals_lost``,
``surrender.logit_base``, ``threshold_sd``, ``w_belief``, ``consolidation_frac_lost`` and the two
pull-back rates) likewise on seeds 0-49 only (``campaign.cities_from`` is an input's date, not
tuned); last, once deals took the commandos with the garrison, six more
(``government.consolidation_belief``, ``rate_pull_back_besieged``, ``surrender.logit_base``,
``bargains.threshold_mean``, ``w_siege_days``, ``w_neighbour_deals``) on seeds 0-49 only. Those
marked ``# CALIBRATED in v0.1`` keep the values of earlier rounds; every other default is a
sourced figure or a documented assumption. ``sim/data/posterior.csv`` holds the posterior over
eight of the priors declared here, the others at their defaults (``uncertainty=posterior``;
docs/inference.md says which and on which model).

One module per config group (``sim/config/air.py`` <-> ``SimConfig.air`` <-> ``configs/air/``),
each field with its default, unit, range and source or prior; :mod:`sim.config.schema` joins
them; the package re-exports every name.

Dataclasses are registered in Hydra's ConfigStore by :func:`register_schema` (Hydra is imported
lazily there, never at import time). :func:`to_config` turns a composed OmegaConf object into a
validated :class:`SimConfig`; a bad value raises :class:`ConfigError` with one line naming the field,
the value and what is allowed.
"""

from sim.config.air import AirConfig
from sim.config.bargains import BargainsConfig
from sim.config.belief import BeliefConfig
from sim.config.campaign import CampaignConfig
from sim.config.centre import CentreConfig
from sim.config.combat import CombatConfig
from sim.config.convert import (
    CLOSE,
    FILE_KEY,
    SCHEMA_NAME,
    allowed,
    as_dict,
    check_closed,
    nearest,
    register_schema,
    siblings,
    to_config,
    unknown,
    unknown_in_file,
)
from sim.config.expectation import ExpectationConfig
from sim.config.fields import ConfigError, date_param, param
from sim.config.forces import ForcesConfig
from sim.config.government import GovernmentConfig
from sim.config.initial import InitialConfig
from sim.config.militia import MilitiaConfig
from sim.config.morale import MoraleConfig
from sim.config.scenario import ScenarioConfig
from sim.config.schema import SimConfig, default_of, is_integer, parameters, priors, validate
from sim.config.space import SpaceConfig, SpaceKind
from sim.config.supply import SupplyConfig
from sim.config.surrender import SurrenderConfig
from sim.config.taliban import TalibanConfig
from sim.config.uncertainty import Uncertainty, UncertaintyConfig

__all__ = [
    "AirConfig",
    "BargainsConfig",
    "BeliefConfig",
    "CLOSE",
    "CampaignConfig",
    "CentreConfig",
    "CombatConfig",
    "ConfigError",
    "ExpectationConfig",
    "FILE_KEY",
    "ForcesConfig",
    "GovernmentConfig",
    "InitialConfig",
    "MilitiaConfig",
    "MoraleConfig",
    "SCHEMA_NAME",
    "ScenarioConfig",
    "SimConfig",
    "SpaceConfig",
    "SpaceKind",
    "SupplyConfig",
    "SurrenderConfig",
    "TalibanConfig",
    "Uncertainty",
    "UncertaintyConfig",
    "allowed",
    "as_dict",
    "check_closed",
    "date_param",
    "default_of",
    "is_integer",
    "nearest",
    "param",
    "parameters",
    "priors",
    "register_schema",
    "siblings",
    "to_config",
    "unknown",
    "unknown_in_file",
    "validate",
]
