"""The model's actors as Mesa agents (state and small verbs) and the state enums.

Ground forces are ``CellAgent``s on the district network; the air actors have no place on it.
The daily mechanisms that act on many agents at once live in the modules named after them.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

import numpy as np
from mesa import Agent
from mesa.discrete_space import CellAgent

from sim import air

if TYPE_CHECKING:
    from sim.config import AirConfig
    from sim.model import OffensiveModel


class Control(enum.IntEnum):
    """Who holds a district."""

    GOVERNMENT = 0
    CONTESTED = 1
    TALIBAN = 2


class Cause(enum.IntEnum):
    """How a district changed hands, or why a garrison left it."""

    NONE = 0
    ASSAULT = 1
    SURRENDER = 2
    NEGOTIATION = 3
    WITHDRAWAL = 4
    ABANDONMENT = 5
    RETAKEN = 6


class Force(enum.Enum):
    """Kind of government garrison."""

    ARMY_POLICE = "army_police"
    COMMANDO = "commando"


class Task(enum.Enum):
    """What a Taliban unit is doing today."""

    HOLD = "hold"
    MOVE = "move"
    BESIEGE = "besiege"
    ASSAULT = "assault"


class GroundForce(CellAgent):
    """A ground force on the district graph; it can walk one district a day.

    Subclasses name their ledger side and the attribute that holds their size. ``district`` is
    the id of the district it is in, kept in step with ``cell`` (read in every daily stage).
    """

    side = ""
    size_attr = ""

    @property
    def strength(self) -> float:
        """Fighters or troops in the force."""
        return getattr(self, self.size_attr)

    equipment = 0.0

    def lose(self, n: float, fate: str) -> float:
        """Remove up to ``n`` people, booking them in the ledger as ``fate``; return how many.

        The killed take their share of the force's equipment with them (destroyed); deserters
        and the captured leave theirs with the force.
        """
        strength = self.strength
        n = min(max(n, 0.0), strength)
        if fate == "killed" and n > 0 and self.equipment > 0:
            destroyed = self.equipment * n / strength
            self.equipment -= destroyed
            self.model.ledger["equipment_destroyed"] += destroyed
        setattr(self, self.size_attr, strength - n)
        self.model.ledger[f"{self.side}_{fate}"] += n
        return n

    @property
    def cell(self):
        """The district cell the force stands in (moving updates :attr:`district` too)."""
        return self._mesa_cell

    @cell.setter
    def cell(self, cell) -> None:
        CellAgent.cell.fset(self, cell)
        self.district = cell.coordinate if cell is not None else -1

    def step_toward(self, target: int) -> None:
        """Move one district along a shortest path toward ``target``."""
        here = self.district
        if here == target:
            return
        nbrs = self.model.map.neighbours[here]
        self.cell = self.model.space[int(nbrs[np.argmin(self.model.map.hops[nbrs, target])])]


class TalibanUnit(GroundForce):
    """A band of Taliban fighters aggregated into one agent."""

    side, size_attr = "taliban", "fighters"

    def __init__(self, model: OffensiveModel, cell, fighters: float, morale: float) -> None:
        super().__init__(model)
        self.cell = cell
        self.fighters = float(fighters)
        self.ammo_days = model.config.supply.taliban_ammo_days
        self.morale = morale
        self.equipment = 0.0
        self.task = Task.HOLD
        self.target: int | None = None
        self.casualties_today = 0.0

    def take_equipment(self, items: float) -> None:
        """Add captured vehicles and weapons (they raise the unit's firepower, crews permitting)."""
        self.equipment += items
        self.model.ledger["equipment_captured"] += items

    def firepower(self) -> float:
        """Fighter-equivalents: the fighters, plus the captured items they have crews for."""
        cfg = self.model.config.taliban
        crewed = min(self.equipment, self.fighters / cfg.crew_per_item)
        return self.fighters + cfg.fire_per_item * crewed


class Garrison(GroundForce):
    """A government garrison (army and police, or a mobile commando unit)."""

    side, size_attr = "government", "troops"

    def __init__(self, model: OffensiveModel, cell, troops: float, force: Force,
                 fortification: float, threshold: float) -> None:
        super().__init__(model)
        forces = model.config.forces
        self.cell = cell
        self.force = force
        self.troops = float(troops)
        self.threshold = threshold  # log-odds of pressure this post withstands (its own)
        self.ammo_days = forces.ammo_stock_days
        self.supply_days = forces.supply_days
        morale = model.config.morale
        self.morale = morale.commando if force is Force.COMMANDO else morale.government
        self.fortification = fortification
        self.equipment = troops * forces.n_equipment_per_100 / 100.0
        self.cut_off_days = 0
        self.resupplied = False
        self.casualties_today = 0.0

    @property
    def is_cut_off(self) -> bool:
        """Whether no road from a hub reached the garrison today."""
        return self.cut_off_days > 0

    def restock(self, days: float) -> None:
        """Receive ``days`` of ammunition and supplies, up to the stocking level."""
        if days <= 0:
            return
        forces = self.model.config.forces
        self.ammo_days = min(forces.ammo_stock_days, self.ammo_days + days)
        self.supply_days = min(forces.supply_days, self.supply_days + days)
        self.resupplied = True

    def relocate(self, district: int, frac_equipment_left: float) -> float:
        """Move to ``district`` (withdrawal or airlift), leaving a share of the equipment behind.

        Takes up that district's fortification; returns the equipment left behind.
        """
        left = self.equipment * frac_equipment_left
        self.equipment -= left
        self.cell = self.model.space[district]
        self.fortification = self.model.fortification_of(district)
        return left


class Militia(GroundForce):
    """A regional militia (northern power broker's fighters) that defends its home provinces."""

    side, size_attr = "militia", "fighters"

    def __init__(self, model: OffensiveModel, cell, fighters: float, faction: str,
                 home_provinces: frozenset[int]) -> None:
        super().__init__(model)
        self.cell = cell
        self.fighters = float(fighters)
        self.faction = faction
        self.home_provinces = home_provinces
        self.morale = model.config.morale.militia
        self.loyalty = model.config.militia.loyalty
        self.ammo_days = model.config.militia.ammo_days
        self.mobilised = False
        self.post: int | None = None  # the home district it is defending
        self.casualties_today = 0.0


class AirForce(Agent):
    """The Afghan air force: a fleet whose readiness decays once the contractors leave.

    Readiness by type and the split of sorties among tasks are ``sim.air``'s.
    """

    def __init__(self, model: OffensiveModel, cfg: AirConfig) -> None:
        super().__init__(model)
        self.configure(cfg)

    def configure(self, cfg: AirConfig) -> None:
        """Take the fleet and the contractors' exit date from ``cfg`` (also when branching)."""
        self.cfg = cfg
        self.fleet = {kind: getattr(cfg, f"n_{kind}") * cfg.frac_fleet if cfg.use_aaf else 0.0
                      for kind in air.AIRCRAFT}
        self.exit_day = self.model.config.day_of(cfg.contractor_exit_date)

    def readiness(self, day: int) -> float:
        """Mission-capable share of the whole fleet on ``day`` (types weighted by numbers)."""
        ready = air.readiness(self.cfg, self.exit_day, day)
        n = {kind: getattr(self.cfg, f"n_{kind}") for kind in air.AIRCRAFT}
        return sum(ready[k] * n[k] for k in n) / max(sum(n.values()), 1)

    def sorties(self, day: int) -> air.Sorties:
        """Today's sorties by task and lift tonnes (:class:`sim.air.Sorties`)."""
        return air.sorties(self.cfg, self.fleet, air.readiness(self.cfg, self.exit_day, day),
                           self.model.config.supply.frac_lift_multiplier)


class USAirSupport(Agent):
    """US air strikes: a daily rate by period (before and after the drawdown, a surge, the end)."""

    def __init__(self, model: OffensiveModel, cfg: AirConfig) -> None:
        super().__init__(model)
        self.configure(cfg)

    def configure(self, cfg: AirConfig) -> None:
        """Take the strike rates and dates from ``cfg`` (also when branching)."""
        self.cfg = cfg
        day_of = self.model.config.day_of
        self.drawdown_day = day_of(cfg.us_drawdown_date)
        self.surge = (day_of(cfg.us_surge_start_date), day_of(cfg.us_surge_end_date))
        self.end_day = day_of(cfg.us_end_date)

    def strikes(self, day: int) -> float:
        """Expected number of US strikes on ``day``."""
        return air.us_rate(self.cfg, day, self.drawdown_day, self.surge, self.end_day)
