"""Stage 2, air operations, and the air force's other channels: readiness, lift, evacuation.

Channels (each a field of :class:`~sim.config.AirConfig`, with its unit and source):

- *Contractor maintenance*: each aircraft type has a mission-capable share with the contractors
  and a lower one without them; after ``contractor_exit_date`` readiness decays from the first
  to the second (:func:`readiness`).
- *Allocation*: strike aircraft strike; helicopters fly casualty evacuation first
  (``frac_helo_casevac``), then split the rest between resupply and strikes
  (``frac_helo_resupply``); transport aircraft fly resupply (:func:`sorties`).
- *Strikes*: the day's AAF strike sorties and US strikes (a dated daily rate, :func:`us_rate`)
  go one at a time to the district where Taliban fighters most outnumber the defenders; each is
  expected to kill ``kills_per_sortie`` or ``kills_per_us_strike`` fighters, applied in the
  combat stage (:func:`strike`).
- *Casualty evacuation*: the casualty-evacuation sorties fly out the wounded of the day's
  battles, cut-off posts first; the evacuated mostly survive (booked as
  ``government_wounded_evacuated``, not killed) and their post loses less morale over its
  casualties (:func:`evacuate`).
- The *expectation of support* that garrisons learn from all of this is ``sim.stages.expectation``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from mesa import Agent

from sim.world import air_kernels, kernels
from sim.world.agents import Control

if TYPE_CHECKING:
    from sim.config import AirConfig
    from sim.model.model import OffensiveModel

AIRCRAFT = {  # type: role (lift types' payloads are config fields ``air.payload_<type>``)
    "a29": "strike",
    "md530": "strike",
    "ac208": "strike",
    "mi17": "helicopter",
    "uh60": "helicopter",
    "c208": "transport",
    "c130": "transport",
}


class Sorties(NamedTuple):
    """One day's AAF effort: strike sorties, lift tonnes by kind, helicopter sorties by task."""

    strike: float
    helo_tonnes: float
    fixed_tonnes: float
    helo_sorties: float
    casevac: float


def readiness(cfg: AirConfig, exit_day: float, day: int) -> dict[str, float]:
    """Mission-capable share of each aircraft type on ``day``.

    With the contractors each type stands at ``ready_<type>``; from ``exit_day`` on it decays
    exponentially (time constant ``readiness_decay_days``) toward ``ready_floor_<type>``.
    """
    decay = 1.0 if day <= exit_day else float(np.exp(-(day - exit_day) / cfg.readiness_decay_days))
    out = {}
    for kind in AIRCRAFT:
        ready, floor = getattr(cfg, f"ready_{kind}"), getattr(cfg, f"ready_floor_{kind}")
        out[kind] = floor + (ready - floor) * decay
    return out


def sorties(cfg: AirConfig, fleet: dict[str, float], ready: dict[str, float],
            lift_multiplier: float) -> Sorties:
    """Split the day's sorties of a ``fleet`` (aircraft by type) at ``ready`` among the tasks."""
    strike = helo_t = fixed_t = helo_sorties = casevac = 0.0
    for kind, n in fleet.items():
        flown = n * ready[kind] * cfg.sorties_per_aircraft
        role = AIRCRAFT[kind]
        if role == "strike":
            strike += flown
        elif role == "helicopter":
            evac = flown * cfg.frac_helo_casevac
            rest = flown - evac
            casevac += evac
            helo_sorties += flown
            strike += rest * (1 - cfg.frac_helo_resupply)
            helo_t += rest * cfg.frac_helo_resupply * getattr(cfg, f"payload_{kind}") * lift_multiplier
        else:
            fixed_t += flown * getattr(cfg, f"payload_{kind}") * lift_multiplier
    return Sorties(strike, helo_t, fixed_t, helo_sorties, casevac)


def us_rate(cfg: AirConfig, day: int, drawdown_day: float, surge_day: float,
            end_day: float) -> float:
    """Expected US strikes on ``day``: by period, before and after the drawdown, in the surge.

    From ``surge_day`` on, the surge rate replaces the others. After ``end_day`` (the end of the
    mission) there are none.
    """
    if not cfg.use_us or day > end_day:
        return 0.0
    if surge_day <= day:
        rate = cfg.us_strikes_per_day_surge
    elif day <= drawdown_day:
        rate = cfg.us_strikes_per_day
    else:
        rate = cfg.us_strikes_per_day_after
    return rate * cfg.frac_fleet


def stochastic_round(x: float, rng: np.random.Generator) -> int:
    """Round ``x`` up with probability equal to its fractional part (unbiased)."""
    whole = math.floor(x)  # int(np.floor(x)), without numpy's dispatch
    return whole + int(rng.random() < x - whole)


def allocate(threat_fighters: np.ndarray, defenders: np.ndarray, n_strikes: int,
             kills_per_strike: float) -> np.ndarray:
    """Strikes per district, each to the highest remaining attacker/defender ratio.

    Each strike goes to the district of highest ratio now (ties to the lowest id) and cuts its
    fighters by ``kills_per_strike``. Strikes gather on a few districts: the others wait in
    their first ratio's order, and only those struck already are kept in a heap (compiled:
    ``sim.world.air_kernels.strikes_by_ratio``).

    Args:
        threat_fighters: Taliban fighters per district (only where defenders are present).
        defenders: government and militia fighters per district.
        n_strikes: how many strikes to place.
        kills_per_strike: expected fighters killed by one strike.
    """
    return air_kernels.strikes_by_ratio(np.asarray(threat_fighters, float), np.asarray(defenders, float),
                                    int(n_strikes), float(kills_per_strike))


def strike(model: OffensiveModel) -> None:
    """Plan today's AAF and US strikes and record the expected kills per district."""
    cfg = model.config.air
    rng = model.streams["air"]
    taliban, government, militia = model.presence()
    defenders = government + militia
    n_aaf = stochastic_round(model.air_force.sorties(model.day).strike, rng)
    n_us = stochastic_round(model.us_air.strikes(model.day), rng)
    aaf = allocate(taliban, defenders, n_aaf, cfg.kills_per_sortie)
    us = allocate(np.maximum(taliban - aaf * cfg.kills_per_sortie, 0), defenders, n_us,
                  cfg.kills_per_us_strike)
    model.strikes[:] = aaf + us
    model.air_kills[:] = aaf * cfg.kills_per_sortie + us * cfg.kills_per_us_strike
    model.ledger["air_kills_planned"] += float(model.air_kills.sum())
    model.today["strike_sorties"] += aaf.sum()
    model.today["us_strikes"] += us.sum()


def evacuate(model: OffensiveModel, slots: np.ndarray) -> np.ndarray:
    """Fly out today's wounded within the casualty-evacuation lift; return each post's relief.

    Of each garrison's battle casualties today (``casualties_today``, booked killed by the
    combat stage) a share ``frac_wounded`` are wounded. Evacuation sorties carry
    ``n_casevac_per_sortie`` each, cut-off posts first, then the most wounded. Of the evacuated,
    ``frac_evacuated_saved`` survive: they leave the killed and are booked
    ``government_wounded_evacuated`` (out of action for the rest of the run). The districts
    served count as support seen (``sim.stages.expectation``).

    Args:
        model: the model.
        slots: the live garrisons' slots in ``model.garrison_table``.

    Returns:
        per slot, the factor (at most 1) on the morale its casualties cost it today.
    """
    cfg = model.config.air
    g = model.garrison_table
    capacity = model.air_force.sorties(model.day).casevac * cfg.n_casevac_per_sortie
    relief, flown, acted = kernels.evacuate(slots, g.casualties_today, g.cut_off_days, g.district,
                                            cfg.frac_wounded, float(capacity), cfg.w_casevac_morale,
                                            model.support_seen)  # compiled
    if acted:
        saved = flown * cfg.frac_evacuated_saved
        model.ledger["government_killed"] -= saved
        model.ledger["government_wounded_evacuated"] += saved
        model.today["casevac_wounded"] += flown
    return relief


class AirForce(Agent):
    """The Afghan air force: a fleet whose readiness decays once the contractors leave.

    Readiness by type and the split of sorties among tasks are this module's.
    """

    def __init__(self, model: OffensiveModel, cfg: AirConfig) -> None:
        super().__init__(model)
        self.configure(cfg)

    def configure(self, cfg: AirConfig) -> None:
        """Take the fleet and the contractors' exit date from ``cfg`` (also when branching)."""
        self.cfg = cfg
        self.fleet = {kind: getattr(cfg, f"n_{kind}") * cfg.frac_fleet if cfg.use_aaf else 0.0
                      for kind in AIRCRAFT}
        self.exit_day = self.model.config.day_of(cfg.contractor_exit_date)
        self.numbers = {kind: getattr(cfg, f"n_{kind}") for kind in AIRCRAFT}  # the full fleet
        self._today: tuple[int, dict[str, float], Sorties] | None = None  # five stages ask

    def readiness(self, day: int) -> float:
        """Mission-capable share of the whole fleet on ``day`` (types weighted by numbers)."""
        ready, n = self._ready(day)[0], self.numbers
        return sum(ready[k] * n[k] for k in n) / max(sum(n.values()), 1)

    def sorties(self, day: int) -> Sorties:
        """Today's sorties by task and lift tonnes (:class:`sim.stages.Sorties`)."""
        return self._ready(day)[1]

    def _ready(self, day: int) -> tuple[dict[str, float], Sorties]:
        """Readiness by type on ``day`` and that day's sorties (kept for the day)."""
        if self._today is None or self._today[0] != day:
            ready = readiness(self.cfg, self.exit_day, day)
            self._today = day, ready, sorties(self.cfg, self.fleet, ready,
                                                  self.model.config.supply.frac_lift_multiplier)
        return self._today[1:]


class USAirSupport(Agent):
    """US air strikes: a daily rate by period (before and after the drawdown, a surge, the end).

    They stop when Kabul falls in the run (the state, not a date) or the mission ends.
    """

    def __init__(self, model: OffensiveModel, cfg: AirConfig) -> None:
        super().__init__(model)
        self.configure(cfg)

    def configure(self, cfg: AirConfig) -> None:
        """Take the strike rates and dates from ``cfg`` (also when branching)."""
        self.cfg = cfg
        day_of = self.model.config.day_of
        self.drawdown_day = day_of(cfg.us_drawdown_date)
        self.surge_day = day_of(cfg.us_surge_start_date)
        self.end_day = day_of(cfg.us_end_date)

    def strikes(self, day: int) -> float:
        """Expected number of US strikes on ``day``: none once Kabul has fallen in the run."""
        m = self.model.map
        if np.count_nonzero(self.model.control[m.is_national_capital] == Control.TALIBAN):
            return 0.0
        return us_rate(self.cfg, day, self.drawdown_day, self.surge_day, self.end_day)
