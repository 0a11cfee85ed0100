"""Compiled arithmetic of the combat stage (Numba): each side's fire per district.

Each kernel computes what the numpy expressions of ``sim.stages.combat`` computed, bit for bit:
every product and sum in the expression's order (no fused multiply-adds), the weighted sums per
district in slot order as ``np.bincount`` takes them. Their references, the numpy code they
replaced, are in ``tests/test_kernels.py``. The losses, shared and booked, are
``sim.world.kernels.aftermath``'s.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True, inline="always")
def _minimum(a, b):  # pragma: no cover - compiled
    """``np.minimum`` of two values (NaN kept)."""
    return a if (a <= b or np.isnan(a)) else b


@numba.njit(cache=True, nogil=True, inline="always")
def _readiness(morale, ammo_days, broken, without_ammo):  # pragma: no cover - compiled
    """Fire multiplier from morale and ammunition (``sim.stages.combat``'s readiness)."""
    return (broken + (1.0 - broken) * morale) * (1.0 if ammo_days >= 1.0 else without_ammo)


@numba.njit(cache=True, nogil=True, inline="always")
def firepower(fighters, equipment, fire_per_item, crew_per_item):  # pragma: no cover - compiled
    """A unit's fighter-equivalents: its fighters plus the captured items it has crews for."""
    return fighters + fire_per_item * _minimum(equipment, fighters / crew_per_item)


@numba.njit(cache=True, nogil=True)
def attack(district, fighters, equipment, morale, ammo_days, slots, n, fire_per_item,
           crew_per_item, broken, without_ammo):  # pragma: no cover - compiled
    """Effective fire of the units of ``slots`` per district: firepower times readiness."""
    out = np.zeros(n)
    for s in slots:
        power = firepower(fighters[s], equipment[s], fire_per_item, crew_per_item)
        out[district[s]] += power * _readiness(morale[s], ammo_days[s], broken, without_ammo)
    return out


@numba.njit(cache=True, nogil=True)
def defence(g_district, troops, fortification, g_morale, g_ammo, garrisons, x_district,
            x_fighters, x_morale, x_ammo, militias, terrain, broken,
            without_ammo):  # pragma: no cover - compiled
    """Effective fire of the garrisons and militias given per district, times ``terrain``.

    Garrisons fire troops x fortification x readiness, militias fighters x readiness, each
    kind summed per district on its own before the two are added.
    """
    n = len(terrain)
    garrison_fire = np.zeros(n)
    for s in garrisons:
        garrison_fire[g_district[s]] += (troops[s] * fortification[s]
                                         * _readiness(g_morale[s], g_ammo[s], broken,
                                                      without_ammo))
    militia_fire = np.zeros(n)
    for s in militias:
        militia_fire[x_district[s]] += x_fighters[s] * _readiness(x_morale[s], x_ammo[s], broken,
                                                                  without_ammo)
    out = np.empty(n)
    for d in range(n):
        out[d] = (garrison_fire[d] + militia_fire[d]) * terrain[d]
    return out


@numba.njit(cache=True, nogil=True, inline="always")
def _standing_in(mask, district, slots):  # pragma: no cover - compiled
    """The ``slots`` whose district is in ``mask``, in order: ``slots[mask[district[slots]]]``."""
    out = np.empty(len(slots), np.intp)
    count = 0
    for s in slots:
        if mask[district[s]]:
            out[count] = s
            count += 1
    return out[:count]


@numba.njit(cache=True, nogil=True)
def fronts(t_district, units, g_district, g_troops, garrisons, x_district, x_fighters, militias,
           n, min_troops):  # pragma: no cover - compiled
    """Where the day's battles are, before any fire (``sim.stages.combat.fight``), in one call.

    Returns, per district, whether units stand there (``occupied``), whether they meet
    defenders there with at least ``min_troops`` (``battle``) or fewer (``weak``: they slip
    away) and the defenders' strength (garrison troops plus militia fighters, each kind summed
    in slot order as ``np.bincount`` sums); then the garrisons and militias of the battles.
    """
    occupied, defended = np.zeros(n, np.bool_), np.zeros(n, np.bool_)
    troops, fighters = np.zeros(n), np.zeros(n)
    for s in units:
        occupied[t_district[s]] = True
    for s in garrisons:
        defended[g_district[s]] = True
        troops[g_district[s]] += g_troops[s]
    for s in militias:
        defended[x_district[s]] = True
        fighters[x_district[s]] += x_fighters[s]
    strength = troops + fighters
    battle, weak = np.zeros(n, np.bool_), np.zeros(n, np.bool_)
    for d in range(n):
        if occupied[d] and defended[d]:
            if strength[d] < min_troops:
                weak[d] = True
            else:
                battle[d] = True
    return (occupied, battle, weak, strength, _standing_in(battle, g_district, garrisons),
            _standing_in(battle, x_district, militias))


@numba.njit(cache=True, nogil=True)
def rates(battle, assault, fire, attack, air_kills, occupied, rate_government, rate_taliban,
          siege):  # pragma: no cover - compiled
    """The means of the day's casualty draws (``sim.stages.combat.fight``), in one call.

    Returns the battles (district ids), the Taliban's and the defenders' expected losses there
    (fire times rate times intensity, 1 in an assault and ``siege`` in a siege; the strikes'
    kills added to the Taliban's), then the districts struck without a battle and their kills.
    """
    fought = battle.nonzero()[0]
    taliban, defenders = np.empty(len(fought)), np.empty(len(fought))
    for i in range(len(fought)):
        d = fought[i]
        intensity = 1.0 if assault[d] else siege
        taliban[i] = rate_government * fire[d] * intensity + air_kills[d]
        defenders[i] = rate_taliban * attack[d] * intensity
    struck = (occupied & ~battle & (air_kills > 0)).nonzero()[0]
    return fought, taliban, defenders, struck, air_kills[struck]
