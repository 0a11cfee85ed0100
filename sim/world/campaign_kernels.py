"""Compiled loops of the campaign (Numba): the objectives' values, the choosers' keys, their picks.

Each gives bit for bit what the numpy or Python code it replaced gave: the values and keys each
entry's products and sums in the expression's order (no fused multiply-adds), the picks the plain
sequential loop (``tests/test_invariants.py`` checks it against that loop;
``tests/test_stage_kernels.py`` the values, keys and next steps against the numpy expressions).
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def keys(base, rows, here, objectives, w_distance, logs, w_noise, aimed, crowding,
         fighters):  # pragma: no cover - compiled
    """Choosers' keys: ``base - w_distance * hops + w_noise * gumbel``, a chooser's own pull added.

    ``base`` is each objective's value net of crowding; chooser ``i``'s distance to objective
    ``j`` is ``rows[here[i], objectives[j]]`` (``here``: the hop cache's slots of the choosers'
    districts); ``logs`` the logs of standard exponential draws (the Gumbel noise is minus
    them). A chooser withdrawing from its objective ``aimed[i]`` (-1: none) sees that
    objective's crowding less its own ``fighters``: the key there is raised by
    ``crowding * fighters``.
    """
    n_rows, n_cols = logs.shape
    key = np.empty((n_rows, n_cols))
    for i in range(n_rows):
        row = rows[here[i]]
        for j in range(n_cols):
            key[i, j] = (base[j] - row[objectives[j]] * w_distance) - logs[i, j] * w_noise
        old = aimed[i]
        if old >= 0:
            key[i, old] += crowding[old] * fighters[i]
    return key


@numba.njit(cache=True, nogil=True)
def next_steps(rows, targets, options, here):  # pragma: no cover - compiled
    """Each walker's next district: the first of its ``options`` nearest its target.

    ``options[here[i]]`` are the districts walker ``i`` may step to (its district's neighbours,
    padded); ``rows[targets[i]]`` its target's hop row. numpy's ``argmin`` over the gathered hops.
    """
    out = np.empty(len(here), np.intp)
    for i in range(len(here)):
        row, choices = rows[targets[i]], options[here[i]]
        best = 0
        for k in range(1, len(choices)):
            if row[choices[k]] < row[choices[best]]:
                best = k
        out[i] = choices[best]
    return out


@numba.njit(cache=True, nogil=True)
def picks_in_turn(key, crowding, aimed, fighters):  # pragma: no cover - compiled
    """Choosers in turn each take the first best of ``key[i] - change``; return the picks.

    ``change`` is the crowding moved by the choosers before (``crowding * size`` off the old
    objective ``aimed[i]``, if any, and onto the pick), summed in the choosers' order: the plain
    sequential loop of ``sim.stages.campaign.choose_in_turn``, with numpy's ``argmax`` (the first
    of equal bests; the first NaN, if any).
    """
    n_rows, n_cols = key.shape
    change = np.zeros(n_cols)
    picks = np.empty(n_rows, np.intp)
    for i in range(n_rows):
        pick = 0
        top = key[i, 0] - change[0]
        if not np.isnan(top):
            for j in range(1, n_cols):
                value = key[i, j] - change[j]
                if value > top:
                    pick, top = j, value
                elif np.isnan(value):
                    pick = j
                    break
        picks[i] = pick
        old = aimed[i]
        if old >= 0:
            change[old] -= crowding[old] * fighters[i]
        change[pick] += crowding[pick] * fighters[i]
    return picks


@numba.njit(cache=True, nogil=True)
def values(g_district, g_troops, g_morale, garrisons, x_home, x_mobilised, militias,
           province_index, defenders, cut_off, value, border, on_road, road_cut, is_capital,
           talks, held, w):  # pragma: no cover - compiled
    """Each district's value as an objective today (``-inf`` where it is not one).

    ``sim.stages.campaign.objective_values`` after its road cuts: the garrisons' troop-weighted
    morale per district (``np.bincount``'s sums in slot order, 0 where none), the home provinces
    of the ``militias`` not mobilised, then the score, term by term in the expression's order
    (a mask's term is its weight times 1.0 or 0.0, as numpy casts it). ``w`` holds the weights:
    weakness, weakness scale, cut off, low morale, value, border, highway, road cut, militia,
    talks, ripe morale, capital.
    """
    n = len(defenders)
    total = np.zeros(n)
    weighted = np.zeros(n)
    for s in garrisons:
        total[g_district[s]] += g_troops[s]
    for s in garrisons:
        weighted[g_district[s]] += g_troops[s] * g_morale[s]
    homes = np.zeros(x_home.shape[1], np.bool_)
    for s in militias:
        if not x_mobilised[s]:
            for p in range(x_home.shape[1]):
                homes[p] |= x_home[s, p]
    score = np.empty(n)
    for d in range(n):
        morale = weighted[d] / total[d] if total[d] > 0 else 0.0
        v = w[0] / (1.0 + defenders[d] / w[1])
        v = v + w[2] * (1.0 if cut_off[d] else 0.0)
        v = v + w[3] * (1.0 - morale)
        v = v + w[4] * value[d]
        v = v + w[5] * (1.0 if border[d] else 0.0)
        v = v + w[6] * (1.0 if on_road[d] else 0.0)
        v = v + w[7] * (1.0 if road_cut[d] and not is_capital[d] else 0.0)
        v = v + w[8] * (1.0 if homes[province_index[d]] else 0.0)
        v += w[9] * (1.0 if talks[d] else 0.0)
        if is_capital[d]:
            ripe = (cut_off[d] and morale < w[10]) or talks[d]
            v = v + w[11] if ripe else -np.inf
        score[d] = v if held[d] else -np.inf
    return score


@numba.njit(cache=True, nogil=True)
def choosers(district, target_of, fighters_of, live, objectives, talks, defenders, is_capital,
             control, draws, contested, fort_capital, fort_district, handover_odds, assault_odds,
             unit_size, p_commit, p_replan, w_crowding):  # pragma: no cover - compiled
    """The campaign's day before its choice (``sim.stages.campaign.advance``), in one call.

    Gathers the live units' district, target and fighters; ``aimed``, each unit's objective
    index (-1: in reserve, or its target no longer an objective); ``sent``, the fighters aimed
    at each objective (``np.bincount``'s sum, in unit order); the choosers (a reserve unit not
    fighting in a contested district commits if its draw is below ``p_commit``, a committed
    one replans below ``p_replan`` or when its objective is gone); and each objective's
    crowding weight, ``w_crowding`` over its need (the handover force where its province is in
    talks, else the assault odds against its fortified defenders; at least a unit). Each
    product in the numpy expression's order; ``np.maximum`` as numpy takes it.
    """
    m, k = len(live), len(objectives)
    index = np.full(len(defenders), -1)
    for j in range(k):
        index[objectives[j]] = j
    here, target, fighters = np.empty(m, np.intp), np.empty(m, np.intp), np.empty(m)
    aimed, sent, chosen = np.empty(m, np.intp), np.zeros(k), np.empty(m, np.intp)
    count = 0
    for i in range(m):
        s = live[i]
        here[i], target[i], fighters[i] = district[s], target_of[s], fighters_of[s]
        aimed[i] = index[target[i]] if target[i] >= 0 else -1
        if aimed[i] >= 0:
            sent[aimed[i]] += fighters[i]
        if target[i] < 0:
            choose = draws[i] < p_commit and control[here[i]] != contested
        else:
            choose = aimed[i] < 0 or draws[i] < p_replan
        if choose:
            chosen[count] = i
            count += 1
    crowding = np.empty(k)
    for j in range(k):
        d = objectives[j]
        if talks[d]:
            need = handover_odds * defenders[d]
        else:
            fort = fort_capital if is_capital[d] else fort_district
            need = assault_odds * defenders[d] * fort
        if need < unit_size:  # np.maximum's (a NaN need would stay NaN)
            need = unit_size
        crowding[j] = w_crowding / need
    return here, target, fighters, aimed, sent, chosen[:count], crowding


@numba.njit(cache=True, nogil=True)
def settle(target_of, task_of, live, target, here, hold, besiege, walk):  # pragma: no cover
    """Write the live units' targets and tasks; return the walkers' slots, districts, targets.

    A unit without a target holds, one at its target besieges it, any other walks toward it.
    """
    m = len(live)
    slots, start, end = np.empty(m, np.intp), np.empty(m, np.intp), np.empty(m, np.intp)
    count = 0
    for i in range(m):
        s = live[i]
        target_of[s] = target[i]
        if target[i] < 0:
            task_of[s] = hold
        elif target[i] == here[i]:
            task_of[s] = besiege
        else:
            task_of[s] = walk
            slots[count], start[count], end[count] = s, here[i], target[i]
            count += 1
    return slots[:count], start[:count], end[:count]
