"""The model: wiring of map, agents and state, and ``step()`` = one day of DESIGN.md's schedule."""

from __future__ import annotations

import collections
import datetime as dt

import mesa
import numpy as np
from mesa.discrete_space import Network

from sim.config import SimConfig
from sim.model import metrics
from sim.stages import (
    air,
    bargains,
    belief,
    campaign,
    centre,
    combat,
    control,
    expectation,
    government,
    militia,
    morale,
    recruitment,
    supply,
    surrender,
)
from sim.stages.air import AirForce, USAirSupport
from sim.world import initial, kernels
from sim.world.agents import (
    Cause,
    Control,
    Garrison,
    Militia,
    TalibanUnit,
    tables,
)
from sim.world.rng import Streams
from sim.world.space import DistrictMap
from sim.world.synthetic import build_map


class OffensiveModel(mesa.Model):
    """The 2021 offensive on a district graph; one step is one day.

    Args:
        config: a validated :class:`~sim.config.SimConfig`.
        district_map: a ready map (tests pass tiny hand-made ones); built from the config if None.
        initial_control: control of each district on day 0 (``Control`` codes); if None it is
            assigned by the documented ranking rule of ``sim.world.initial``.
    """

    def __init__(self, config: SimConfig, district_map: DistrictMap | None = None,
                 initial_control=None) -> None:
        self.streams = Streams(config.seed)
        super().__init__(rng=self.streams["mesa"])
        self.config = config
        self.start = dt.date.fromisoformat(config.start_date)
        self.map = district_map or build_map(config.space, self.streams["space"])
        self.space = Network(self.map.graph, random=self.random)
        self.cells = [self.space[d] for d in range(self.map.n)]  # district id -> Mesa cell
        n = self.map.n
        self.control = np.full(n, Control.GOVERNMENT, dtype=np.int8)
        self.fell_day = np.full(n, np.nan)
        self.fell_cause = np.zeros(n, dtype=np.int8)
        self.last_fell_day = np.full(n, -np.inf)
        self.last_cause = np.zeros(n, dtype=np.int8)
        self.pending_cause = np.zeros(n, dtype=np.int8)
        self.cut_off = np.zeros(n, dtype=bool)
        self.first_cut_off_day = np.full(n, np.nan)
        self.route_home: np.ndarray | None = None  # today's withdrawal routes (sim.stages.supply)
        self.strikes = np.zeros(n)
        self.air_kills = np.zeros(n)
        self.recruit_pool = np.zeros(n)  # recruits gathered, not yet a unit
        self.recruitable = recruitment.eligible(self)  # men who would still join
        self.equipment_cache = np.zeros(n)
        self.prisoners = np.zeros(n)
        self.roads = supply.Roads(self.map, config.supply.road_cost_factor)
        self.near_crossing = self.map.near(self.map.is_border_crossing, config.surrender.flee_hops)
        self.padded_neighbours = padded_neighbours(self.map)
        # the national level: belief in survival, provincial leaderships, the centre
        n_prov = self.map.n_provinces
        self.belief = np.full(n_prov, config.belief.initial)  # each provincial leadership's
        self.ties = belief.ties(self.map, config.belief)
        self.news = np.zeros((belief.NEWS_DAYS, n_prov))  # news on its way, by day of arrival (mod)
        self.milestones = belief.milestone_days(self)
        self.lead_threshold = np.zeros(n_prov)
        self.talks = np.zeros(n_prov, dtype=bool)  # the leadership has decided to give up
        self.dealt = np.zeros(n_prov, dtype=bool)  # the capital has been handed over
        self.siege_days = np.zeros(n_prov)  # days the capital has had Taliban inside, on the cities
        self.leaders_left = False
        self.consolidating = False
        self.ledger: collections.Counter[str] = collections.Counter()
        self.today: collections.Counter[str] = collections.Counter()
        self.events: list[tuple] = []
        for name, table in tables().items():  # hot state of the ground forces (agents are handles)
            setattr(self, name, table)
        self.militia_table.widen("home", self.map.n_provinces, bool, False)  # home provinces
        self.air_force = AirForce(self, config.air)
        self.us_air = USAirSupport(self, config.air)
        expectation.setup(self)
        initial.populate(self, initial_control)
        self.initial_control = self.control.copy()
        self.control_history = [self.initial_control]
        self.datacollector = metrics.DailyCollector(model_reporters=metrics.REPORTERS)
        self.collect()

    @property
    def day(self) -> int:
        """Days since the start date (0 before the first step)."""
        return self.steps

    @property
    def date(self) -> dt.date:
        """Calendar date of the current day."""
        return self.start + dt.timedelta(days=self.day)

    def step(self) -> None:
        """One day, in DESIGN.md's order."""
        self.today.clear()
        supply.resupply(self)
        air.strike(self)
        campaign.advance(self)
        militia.mobilise(self)
        government.redeploy(self)
        combat.fight(self)
        morale.update(self)
        surrender.resolve(self)
        bargains.negotiate(self)
        centre.hold(self)
        capitals_lost = control.update(self)
        recruitment.recruit(self)
        belief.update(self, capitals_lost)
        self.control_history.append(self.control.copy())
        self.collect()

    def reconfigure(self, config: SimConfig) -> None:
        """Continue under another config from today on (a branch of a shared history).

        Every stage reads its parameters from ``self.config`` each day, so a lever takes effect
        from the next step; what only acts at initialisation (forces, initial control, the map)
        keeps its shared past.
        """
        self.config = config
        self.air_force.configure(config.air)
        self.us_air.configure(config.air)
        self.roads = supply.Roads(self.map, config.supply.road_cost_factor)
        self.milestones = belief.milestone_days(self)
        self.ties = belief.ties(self.map, config.belief)
        self.near_crossing = self.map.near(self.map.is_border_crossing, config.surrender.flee_hops)

    def collect(self) -> None:
        """Record today's row of the daily table."""
        self.daily_row = metrics.row(self)  # what the collector records (sim.model.metrics)
        self.datacollector.collect(self)

    # --- shared queries used by several stages -------------------------------------------------

    def units(self) -> list[TalibanUnit]:
        """Taliban units alive now (in order of creation)."""
        return self.unit_table.members()

    def garrisons(self) -> list[Garrison]:
        """Government garrisons alive now (in order of creation)."""
        return self.garrison_table.members()

    def militias(self) -> list[Militia]:
        """Militias alive now (in order of creation)."""
        return self.militia_table.members()

    def mobilised(self) -> np.ndarray:
        """Slots of the militias alive and mobilised now."""
        x = self.militia_table
        live = x.live()
        return live[x.mobilised[live]]

    def presence(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per-district Taliban fighters, government troops and mobilised militia fighters.

        The three rows of one array, summed in one compiled call (``kernels.presence``, as
        ``Table.tally`` sums each, over the live rows): six stages ask daily. It reads the
        tables' ``alive`` masks, not ``Table.live()``: Numba types a read-only argument by its
        slow path, some 0.5 us each.
        """
        t, g, x = self.unit_table, self.garrison_table, self.militia_table
        taliban, government, militia = kernels.presence(
            t.district, t.fighters, t.alive[:t.n], g.district, g.troops, g.alive[:g.n], x.district,
            x.fighters, x.mobilised, x.alive[:x.n], self.map.n)
        return taliban, government, militia

    def at_home(self, slots: np.ndarray) -> np.ndarray:
        """Whether each militia of ``slots`` stands in one of its home provinces."""
        x = self.militia_table
        return x.home[slots, self.map.province_index[x.district[slots]]]

    def unmobilised_militia_home(self) -> np.ndarray:
        """Mask of the home districts of militias that have not risen yet."""
        x = self.militia_table
        slots = x.live()
        provinces = x.home[slots[~x.mobilised[slots]]].any(axis=0)
        return provinces[self.map.province_index]

    def refuges(self, exclude: np.ndarray) -> np.ndarray:
        """Per district, the nearest held air base or corps base outside ``exclude`` (a mask).

        Routes avoid Taliban-held districts; -1 where there is none.
        """
        m = self.map
        bases = (m.is_hub | m.has_airfield) & (self.control == Control.GOVERNMENT) & ~exclude
        return supply.nearest(self, bases)

    def fortification_of(self, district: int) -> float:
        """Fire multiplier a garrison gets from the defences of ``district``."""
        cfg = self.config.combat
        if self.map.is_capital[district]:
            return cfg.fortification_capital
        return cfg.fortification_district

    def log(self, district: int, event: str, cause: Cause = Cause.NONE, troops: float = 0.0,
            equipment: float = 0.0) -> None:
        """Append an event (what happened where, why, and what moved) to the event log."""
        self.events.append((self.day, int(district), event, CAUSE_NAMES[cause],
                            round(troops, 1), round(equipment, 1)))
        self.today[event] = self.today.get(event, 0) + 1  # get: no Counter.__missing__ call


CAUSE_NAMES = tuple(cause.name.lower() for cause in Cause)  # the log's words, by code (0, 1, ...)


def padded_neighbours(m: DistrictMap) -> np.ndarray:
    """Neighbour ids of each district as rows of an array, padded with the district's own id.

    A walker's next step is the first of its row's nearest to its target (``sim.world.agents
    .next_step``): a district is always one hop farther from a target than its nearest
    neighbour, so the padding never wins.
    """
    width = max((len(nb) for nb in m.neighbours), default=0)
    out = np.repeat(np.arange(m.n)[:, None], max(width, 1), axis=1)
    for d, nb in enumerate(m.neighbours):
        out[d, :len(nb)] = nb
    return out
