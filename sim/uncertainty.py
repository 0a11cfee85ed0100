"""Parameter uncertainty in a run: the values of a posterior draw, or of a draw from the priors.

Under ``uncertainty=posterior`` run i (seed i) uses draw i of the posterior (mod the number of
draws). A weighted posterior is first resampled by its weights (systematic resampling, then a
fixed shuffle), so run i uses the i-th entry of that sequence: equally many runs then carry
each unit of weight, and the mapping depends only on the seed, so every arm of a study gets the
same draws. The values are applied when the run starts (:func:`realise`, called by
``sim.runner``), so each run folder's ``config.yaml`` shows the values the run used, and the
draw's row number in ``uncertainty.draw``.

Under ``uncertainty=prior`` (robustness sweeps, ``sim.studies.robustness``) run i instead draws every
uncertain parameter uniformly from its prior range, from a generator seeded by the seed alone
(never the model's streams), so the arms of one seed share one draw (paired).

A parameter with a prior keeps its value when the scenario or an override has set it away from
its default (a lever, such as ``forces.n_militia`` in ``scenario=militias_early``); every other
one takes the draw's value.
"""

from __future__ import annotations

import copy
import dataclasses
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd

from sim.config import ConfigError, SimConfig, Uncertainty, is_integer, priors, validate

PRIOR_STREAM = 20_211  # mixes with the seed: prior draws never share the model's streams


@cache
def _load(path: str | None) -> tuple[pd.DataFrame, np.ndarray]:
    """The posterior's parameter columns and the draw each seed maps to (cached per path)."""
    try:
        if path is None:
            with (resources.files("sim") / "data" / "posterior.csv").open("r") as fh:
                table = pd.read_csv(fh, comment="#")
        else:
            table = pd.read_csv(path, comment="#")
    except (OSError, pd.errors.ParserError) as err:
        raise ConfigError(f"uncertainty.posterior={path}: cannot read it ({err})") from None
    known = [n for n in priors() if n in table.columns]
    if not known or table.empty:
        raise ConfigError(f"uncertainty.posterior={path}: must hold draws of the uncertain "
                          f"parameters of sim.config.priors() (found none, or no rows)")
    n = len(table)
    if "weight" in table.columns:
        cumulative = np.cumsum(table["weight"].to_numpy(float))
        positions = (np.arange(n) + 0.5) / n * cumulative[-1]
        order = np.minimum(np.searchsorted(cumulative, positions), n - 1)
        order = np.random.default_rng(0).permutation(order)
    else:
        order = np.arange(n)
    return table[known], order  # a parameter with no column keeps its default


def draw_of(seed: int, path: str | None = None) -> int:
    """The posterior row that the run with ``seed`` uses."""
    order = _load(path)[1]
    return int(order[seed % len(order)])


def prior_draw(seed: int) -> pd.Series:
    """One uniform draw of every uncertain parameter from its prior range, seeded by ``seed``."""
    rng = np.random.default_rng([seed, PRIOR_STREAM])
    ranges = priors()
    return pd.Series({n: rng.uniform(*ranges[n][:2]) for n in sorted(ranges)})


def realise(config: SimConfig) -> SimConfig:
    """The config a run actually uses: under ``posterior``, the draw's values applied.

    Returns ``config`` itself under ``point``; otherwise a validated copy with the draw applied
    and ``uncertainty.draw`` set. Applying it again gives the same config.
    """
    unc = config.uncertainty
    if unc.kind == Uncertainty.POINT:
        return config
    if unc.kind == Uncertainty.PRIOR:
        row = config.seed
        drawn = previous = prior_draw(config.seed)
        if unc.draw < 0:
            previous = None
    else:
        table = _load(unc.posterior)[0]
        row = unc.draw if unc.draw >= 0 else draw_of(config.seed, unc.posterior)
        if row >= len(table):
            raise ConfigError(f"uncertainty.draw={row}: must be below {len(table)} (the draws)")
        drawn = table.iloc[row]
        previous = table.iloc[unc.draw] if unc.draw >= 0 else None
    out = copy.deepcopy(config)
    defaults = SimConfig()
    for name in drawn.index:
        *path, leaf = name.split(".")
        node, default = out, defaults
        for part in path:
            node, default = getattr(node, part), getattr(default, part)
        value = getattr(node, leaf)
        was_drawn = previous is not None and np.isclose(value, previous[name])
        if value != getattr(default, leaf) and not was_drawn:
            continue  # a lever set by the scenario or an override
        new = float(drawn[name])
        setattr(node, leaf, int(round(new)) if is_integer(name) else float(new))
    out.uncertainty = dataclasses.replace(unc, draw=row)
    validate(out)
    return out
