"""Compiled loops of the campaign's choice (Numba): the choosers' keys, then their picks in turn.

Each gives bit for bit what the numpy or Python code it replaced gave: the keys each entry's
products and sums in the expression's order (no fused multiply-adds), the picks the plain
sequential loop (``tests/test_invariants.py`` checks it against that loop).
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True, nogil=True)
def keys(base, hops, w_distance, logs, w_noise, aimed, crowding, fighters):  # pragma: no cover
    """Choosers' keys: ``base - w_distance * hops + w_noise * gumbel``, a chooser's own pull added.

    ``base`` is each objective's value net of crowding, ``hops`` each chooser's distance to it,
    ``logs`` the logs of standard exponential draws (the Gumbel noise is minus them). A chooser
    withdrawing from its objective ``aimed[i]`` (-1: none) sees that objective's crowding less
    its own ``fighters``: the key there is raised by ``crowding * fighters``.
    """
    n_rows, n_cols = logs.shape
    key = np.empty((n_rows, n_cols))
    for i in range(n_rows):
        for j in range(n_cols):
            key[i, j] = (base[j] - hops[i, j] * w_distance) - logs[i, j] * w_noise
        old = aimed[i]
        if old >= 0:
            key[i, old] += crowding[old] * fighters[i]
    return key


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
