"""The model's actors as Mesa agents (state and small verbs) and the state enums.

Ground forces are ``CellAgent``s on the district network; the air actors, which have no place on
it, live with their stage in ``sim.stages.air``.
The daily mechanisms that act on many agents at once live in the modules named after them.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

import numpy as np
from mesa.discrete_space import CellAgent

from sim.world import campaign_kernels, combat_kernels, kernels

if TYPE_CHECKING:
    from sim.model.model import OffensiveModel


class Code(enum.IntEnum):
    """An integer code stored in numpy arrays (the base of :class:`Control` and :class:`Cause`).

    numpy asks the type of every operand for ``__array_ufunc__`` and ``__array_function__``. On
    Python 3.11 an enum class answers a name it lacks through ``EnumType.__getattr__``, which
    raises and catches an exception each time: comparing an array with a member cost some 6 us,
    dozens of times a day. Naming numpy's defaults here answers at once that a member is, to
    numpy, the integer it is (results are unchanged).
    """

    __array_ufunc__ = np.ndarray.__array_ufunc__
    __array_function__ = np.ndarray.__array_function__


class Control(Code):
    """Who holds a district."""

    GOVERNMENT = 0
    CONTESTED = 1
    TALIBAN = 2


class Cause(Code):
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


class Table:
    """The hot state of one kind of ground force as parallel numpy arrays (structure of arrays).

    Each agent owns one slot (its row, for life; slots are never reused, so slot order is the
    order of creation, the order Mesa's agent sets iterate in). The daily stages read and write
    whole columns at once, over the slots :meth:`live` returns; an agent's attributes are views
    of its row (:class:`Column`). A column is 1-d, or 2-d with one row per slot.

    Args:
        columns: column name -> (dtype, fill value for a new slot).
        size: the name of the column that holds the force's size (fighters or troops).
    """

    def __init__(self, columns: dict[str, tuple[type, object]], size: str) -> None:
        self.columns = columns
        self.size_name = size
        self.n = 0
        self._live: np.ndarray | None = None  # cached slots of the live agents
        self.alive = np.zeros(16, bool)
        self.agents = np.empty(16, object)
        for name, (dtype, fill) in columns.items():
            setattr(self, name, np.full(16, fill, dtype))

    @property
    def size(self) -> np.ndarray:
        """The size column (fighters or troops)."""
        return getattr(self, self.size_name)

    def add(self, agent) -> int:
        """Give ``agent`` the next slot (filled with the columns' defaults); return it."""
        if self.n == len(self.alive):
            grow = len(self.alive)
            self.alive = np.concatenate([self.alive, np.zeros(grow, bool)])
            self.agents = np.concatenate([self.agents, np.empty(grow, object)])
            for name, (dtype, fill) in self.columns.items():
                old = getattr(self, name)
                setattr(self, name, np.concatenate([old, np.full((grow, *old.shape[1:]), fill,
                                                                 dtype)]))
        slot = self.n
        self.n += 1
        self.alive[slot] = True
        self._live = None
        self.agents[slot] = agent
        return slot

    def widen(self, name: str, width: int, dtype: type, fill: object) -> None:
        """Make column ``name`` 2-d with ``width`` entries per slot (e.g. a mask over provinces)."""
        self.columns[name] = (dtype, fill)
        setattr(self, name, np.full((len(self.alive), width), fill, dtype))

    def live(self) -> np.ndarray:
        """Slots of the agents alive now, in creation order (read-only; kept until one changes)."""
        if self._live is None:
            self._live = self.alive[:self.n].nonzero()[0]
            self._live.flags.writeable = False
        return self._live

    def drop(self, slot: int) -> None:
        """Mark the agent of ``slot`` gone."""
        self.alive[slot] = False
        self._live = None

    def members(self, slots: np.ndarray | None = None) -> list:
        """The agents of ``slots`` (default: every live one), in order."""
        return self.agents[self.live() if slots is None else slots].tolist()

    def tally(self, n: int, slots: np.ndarray | None = None) -> np.ndarray:
        """Size per district (length ``n``) of the agents of ``slots`` (default: live ones)."""
        slots = self.live() if slots is None else slots
        return kernels.tally(self.district, self.size, slots, n)  # compiled np.bincount


class Column:
    """An agent attribute stored in its kind's :class:`Table` (a view of the agent's row)."""

    def __set_name__(self, owner, name: str) -> None:
        self.name = name

    def __get__(self, agent, owner=None):
        if agent is None:
            return self
        return getattr(agent.table, self.name).item(agent.slot)  # a Python scalar, at once

    def __set__(self, agent, value) -> None:
        getattr(agent.table, self.name)[agent.slot] = value


class DistrictColumn(Column):
    """A district id stored in the agent's :class:`Table` row, -1 there for none (``None`` here)."""

    def __get__(self, agent, owner=None):
        if agent is None:
            return self
        district = getattr(agent.table, self.name).item(agent.slot)
        return None if district < 0 else district

    def __set__(self, agent, district: int | None) -> None:
        getattr(agent.table, self.name)[agent.slot] = -1 if district is None else district


def lose(model: OffensiveModel, table: Table, slots: np.ndarray, n: np.ndarray, side: str,
         fate: str) -> np.ndarray:
    """Remove up to ``n`` people from each force of ``slots`` (booked as ``fate``); return how many.

    The killed take their share of the force's equipment with them (destroyed); deserters and
    the captured leave theirs with the force. Array form of :meth:`GroundForce.lose`.
    """
    killed = fate == "killed"
    n, destroyed, lost = kernels.lose(table.size, table.equipment, slots, n, killed)  # compiled
    if killed and len(slots):
        model.ledger["equipment_destroyed"] += destroyed
    model.ledger[f"{side}_{fate}"] += lost
    return n


class GroundForce(CellAgent):
    """A ground force on the district graph; it can walk one district a day.

    Subclasses name their ledger side and the model's :class:`Table` that holds their state;
    the agent is a handle on its row there. ``district`` is the id of the district it is in,
    kept in step with ``cell``.
    """

    side = ""
    table_name = ""
    size_name = ""
    district = Column()
    equipment = Column()
    morale = Column()
    ammo_days = Column()
    casualties_today = Column()

    def __init__(self, model: OffensiveModel, cell) -> None:
        self.table = getattr(model, self.table_name)
        self.slot = self.table.add(self)
        super().__init__(model)
        self.cell = cell

    @property
    def strength(self) -> float:
        """Fighters or troops in the force."""
        return self.table.size.item(self.slot)

    def lose(self, n: float, fate: str) -> float:
        """Remove up to ``n`` people, booking them in the ledger as ``fate``; return how many."""
        return float(lose(self.model, self.table, np.array([self.slot]), np.array([float(n)]),
                          self.side, fate)[0])

    def remove(self) -> None:
        """Leave the map and the model for good (the row stays, no longer live)."""
        self.table.drop(self.slot)
        super().remove()

    @property
    def cell(self):
        """The district cell the force stands in (moving updates :attr:`district` too)."""
        return self._mesa_cell

    @cell.setter
    def cell(self, cell) -> None:
        CellAgent.cell.fset(self, cell)
        if cell is not None:
            self.table.district[self.slot] = cell.coordinate

    def step_toward(self, target: int) -> None:
        """Move one district along a shortest path toward ``target``."""
        here = self.district
        if here != target:
            self.cell = self.model.space[int(next_step(self.model, np.array([here]),
                                                       np.array([target]))[0])]


def move(model: OffensiveModel, table: Table, slots: np.ndarray, to: np.ndarray) -> None:
    """Move the forces of ``slots`` to the districts ``to`` (their rows and Mesa cells both).

    The hot path of the day (hundreds of moves): it does what ``CellAgent.cell``'s setter does
    (leave the old cell's agent list, join the new one's) without its per-call overhead.
    """
    cells = model.cells
    table.district[slots] = to
    for agent, d in zip(table.agents[slots].tolist(), to.tolist(), strict=True):
        old, new = agent._mesa_cell, cells[d]
        old._agents.remove(agent)
        old.empty = not old._agents
        agent._mesa_cell = new
        new._agents.append(agent)
        new.empty = False


def next_step(model: OffensiveModel, here: np.ndarray, target: np.ndarray) -> np.ndarray:
    """For forces at ``here`` heading to ``target``: the neighbour one hop nearer to it.

    Ties go to the first neighbour in adjacency order (the lowest id). Reads the hop rows of
    the targets only, where they are cached (compiled, ``campaign_kernels.next_steps``), at
    most the cache's capacity of walkers at once.
    """
    hops, out = model.map.hops, np.empty(len(here), np.intp)
    for start in range(0, len(here), hops.capacity):
        part = slice(start, start + hops.capacity)
        out[part] = campaign_kernels.next_steps(hops.rows, hops.slots(target[part]),
                                                model.padded_neighbours, here[part])
    return out


class TalibanUnit(GroundForce):
    """A band of Taliban fighters aggregated into one agent."""

    side, table_name, size_name = "taliban", "unit_table", "fighters"
    COLUMNS = {"district": (np.intp, -1), "fighters": (float, 0.0), "ammo_days": (float, 0.0),
               "morale": (float, 0.0), "equipment": (float, 0.0), "task": (np.int8, 0),
               "target": (np.intp, -1), "casualties_today": (float, 0.0)}
    fighters = Column()
    target = DistrictColumn()  # the district it is heading for or besieging (None in reserve)

    def __init__(self, model: OffensiveModel, cell, fighters: float, morale: float) -> None:
        super().__init__(model, cell)
        row, t = self.slot, self.table  # the row written directly: the set-up makes a thousand
        t.fighters[row] = float(fighters)
        t.ammo_days[row] = model.config.supply.taliban_ammo_days
        t.morale[row] = morale

    @property
    def task(self) -> Task:
        """What the unit is doing today."""
        return TASKS[self.table.task[self.slot]]

    @task.setter
    def task(self, task: Task) -> None:
        self.table.task[self.slot] = TASKS.index(task)


    def take_equipment(self, items: float) -> None:
        """Add captured vehicles and weapons (they raise the unit's firepower, crews permitting)."""
        self.equipment += items
        self.model.ledger["equipment_captured"] += items

    def firepower(self) -> float:
        """Fighter-equivalents: the fighters, plus the captured items they have crews for."""
        cfg = self.model.config.taliban
        return float(combat_kernels.firepower(self.fighters, self.equipment, cfg.fire_per_item,
                                              cfg.crew_per_item))


TASKS = (Task.HOLD, Task.MOVE, Task.BESIEGE, Task.ASSAULT)  # code of each in TalibanUnit.task
TASK_CODE = {task: code for code, task in enumerate(TASKS)}


class Garrison(GroundForce):
    """A government garrison (army and police, or a mobile commando unit)."""

    side, table_name, size_name = "government", "garrison_table", "troops"
    COLUMNS = {"district": (np.intp, -1), "troops": (float, 0.0), "commando": (bool, False),
               "threshold": (float, 0.0), "ammo_days": (float, 0.0), "supply_days": (float, 0.0),
               "morale": (float, 0.0), "fortification": (float, 1.0), "equipment": (float, 0.0),
               "cut_off_days": (np.int64, 0), "resupplied": (bool, False),
               "casualties_today": (float, 0.0), "corps": (np.int64, -1)}
    troops = Column()
    corps = Column()  # corps area it was posted in on 1 May (sim.world.initial; -1: none, commandos)
    threshold = Column()  # log-odds of pressure this post withstands (its own)
    supply_days = Column()
    fortification = Column()
    cut_off_days = Column()
    resupplied = Column()

    def __init__(self, model: OffensiveModel, cell, troops: float, force: Force,
                 fortification: float, threshold: float) -> None:
        super().__init__(model, cell)
        forces, morale = model.config.forces, model.config.morale
        row, g = self.slot, self.table  # the row written directly: the set-up makes hundreds
        g.commando[row] = force is Force.COMMANDO
        g.troops[row] = float(troops)
        g.threshold[row] = threshold
        g.ammo_days[row] = forces.ammo_stock_days
        g.supply_days[row] = forces.supply_days
        g.morale[row] = morale.commando if force is Force.COMMANDO else morale.government
        g.fortification[row] = fortification
        g.equipment[row] = troops * forces.n_equipment_per_100 / 100.0

    @property
    def force(self) -> Force:
        """Army and police, or commando."""
        return Force.COMMANDO if self.table.commando[self.slot] else Force.ARMY_POLICE

    @property
    def is_cut_off(self) -> bool:
        """Whether no road from a hub reached the garrison today."""
        return self.cut_off_days > 0

    def restock(self, days: float) -> None:
        """Receive ``days`` of ammunition and supplies, up to the stocking level."""
        restock(self.model, np.array([self.slot]), np.array([float(days)]))

    def relocate(self, district: int, frac_equipment_left: float) -> float:
        """Move to ``district`` (withdrawal or airlift), leaving a share of the equipment behind.

        Takes up that district's fortification; returns the equipment left behind.
        """
        left = self.equipment * frac_equipment_left
        self.equipment -= left
        self.cell = self.model.space[district]
        self.fortification = self.model.fortification_of(district)
        return left


def restock(model: OffensiveModel, slots: np.ndarray, days: np.ndarray) -> None:
    """Garrisons of ``slots`` receive ``days`` of ammunition and supplies, up to the stock level."""
    keep = days > 0
    slots, days = slots[keep], days[keep]
    forces, g = model.config.forces, model.garrison_table
    g.ammo_days[slots] = np.minimum(forces.ammo_stock_days, g.ammo_days[slots] + days)
    g.supply_days[slots] = np.minimum(forces.supply_days, g.supply_days[slots] + days)
    g.resupplied[slots] = True


class Militia(GroundForce):
    """A regional militia (northern power broker's fighters) that defends its home provinces."""

    side, table_name, size_name = "militia", "militia_table", "fighters"
    COLUMNS = {"district": (np.intp, -1), "fighters": (float, 0.0), "morale": (float, 0.0),
               "loyalty": (float, 0.0), "ammo_days": (float, 0.0), "mobilised": (bool, False),
               "post": (np.intp, -1), "equipment": (float, 0.0), "casualties_today": (float, 0.0)}
    fighters = Column()
    loyalty = Column()
    mobilised = Column()
    post = DistrictColumn()  # the home district it is defending (None before it mobilises)

    def __init__(self, model: OffensiveModel, cell, fighters: float, faction: str,
                 home_provinces: frozenset[int]) -> None:
        super().__init__(model, cell)
        self.fighters = float(fighters)
        self.faction = faction
        self.home_provinces = home_provinces
        self.table.home[self.slot, list(home_provinces)] = True
        self.home = np.isin(model.map.province_index, list(home_provinces)).nonzero()[0]
        self.morale = model.config.morale.militia
        self.loyalty = model.config.militia.loyalty
        self.ammo_days = model.config.militia.ammo_days



def tables() -> dict[str, Table]:
    """A fresh, empty table for each kind of ground force, by the model attribute that holds it."""
    return {kind.table_name: Table(dict(kind.COLUMNS), kind.size_name)
            for kind in (TalibanUnit, Garrison, Militia)}
