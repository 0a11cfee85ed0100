"""Calibration as inference: history matching in waves, then likelihood-weighted posterior draws.

1. **History matching** (:func:`history_match`). Wave 1 runs a Latin hypercube over the priors
   (``sim.config.priors``), each set over several seeds. A Gaussian-process emulator of a few
   record outputs (:data:`HM_POINTS`, the first capital's and Kabul's days) is fitted to the seed
   means, and each later wave runs sets drawn from what the emulators of every earlier wave do
   not rule out (implausibility at most 3, :mod:`sim.inference.emulator`). If no candidate survives, the
   wave keeps the least implausible ones and records the cut-off it had to use.
2. **Posterior draws** (:func:`posterior_draws`): sets drawn uniformly from the final
   non-implausible region, each run over seeds and weighted by the likelihood of the whole record
   (:mod:`sim.inference.likelihood`). With a uniform prior and a uniform proposal on the non-implausible
   region (which, by construction, holds all but negligible posterior mass), the importance
   weight is the likelihood itself.

Every run goes through :func:`sim.run_many` (the sweeps' batch path, so a cluster launcher that
backs it serves this too) and is stored in a SQLite database keyed by the hash of its whole
resolved config (seed included): rerunning with the same or a larger budget runs only what is
missing. The designs are seeded, so a rerun asks for the same sets.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import special
from scipy.stats import qmc
from sklearn.covariance import ledoit_wolf

from sim.config import SimConfig, is_integer, priors
from sim.inference import likelihood, synthetic_likelihood
from sim.inference.adaptive_importance import Round, ess, mixture_weights, normalised, proposal, propose
from sim.inference.emulated_posterior import EmulatedLikelihood, sample
from sim.inference.emulator import CUTOFF, Emulator, max_implausibility
from sim.inference.run_store import RunStore, evaluate

# Record points emulated in history matching (series, date); plus the two event days.
HM_POINTS = (("districts", "2021-06-16"), ("districts", "2021-06-29"), ("districts", "2021-07-05"),
             ("districts", "2021-08-10"), ("contested", "2021-06-29"), ("contested", "2021-08-10"),
             ("capitals", "2021-08-15"))
N_CANDIDATES = 20_000  # candidate sets screened by the emulators per wave
SETTLE_MASS = 0.9  # the share of the weight whose sets are rerun over more seeds (settle)


def ranges() -> dict[str, tuple[float, float]]:
    """The uniform prior range of every uncertain parameter, by dotted name."""
    return {name: (lo, hi) for name, (lo, hi, _) in priors().items()}


def hm_outputs(until_day: int | None = None) -> pd.DataFrame:
    """The emulated outputs: name, index into the observations, record value z, Var_obs + Var_md.

    ``until_day`` keeps only the outputs the record observes by then (the time split).
    """
    points = likelihood.record_points()
    rows = []
    for series, date in HM_POINTS:
        i = int(points.index[(points["series"] == series) & (points["date"] == date)][0])
        p = points.loc[i]
        if until_day is None or p["day"] <= until_day:
            rows.append({"name": f"{series} {date}", "index": i, "z": p["observed"] / p["total"],
                         "var": likelihood.share_sd(series, p["confidence"]) ** 2})
    for event, (date, confidence) in likelihood.EVENTS.items():
        day = likelihood._day(date)
        if until_day is None or day <= until_day:
            rows.append({"name": f"{event} day", "index": event, "z": float(day),
                         "var": likelihood.day_sd(confidence) ** 2})
    return pd.DataFrame(rows)


def output_values(obs: dict, outputs: pd.DataFrame) -> np.ndarray:
    """One run's emulated outputs; an event that did not happen counts at the horizon."""
    values = []
    for index in outputs["index"]:
        if isinstance(index, str):
            day = obs[index]
            values.append(float(obs["horizon"] if day is None else day))
        else:
            values.append(obs["share"][index])
    return np.array(values)


def base_set(base: SimConfig) -> pd.DataFrame:
    """The base config's own values of the uncertain parameters, as a one-row set.

    These are the point defaults unless the base overrides them.
    """
    return pd.DataFrame([{name: operator.attrgetter(name)(base) for name in ranges()}])


def to_unit(sets: pd.DataFrame) -> np.ndarray:
    """Parameter sets scaled to the unit cube of the prior ranges.

    An integer parameter's value maps to the centre of its cell (``hi - lo + 1`` equal cells),
    never to the cube's edge, so the logit of a unit value stays finite.
    """
    r = ranges()
    lo = np.array([r[n][0] for n in sets.columns], float)
    hi = np.array([r[n][1] for n in sets.columns], float)
    whole = np.array([is_integer(n) for n in sets.columns])
    values = sets.to_numpy(float)
    return np.where(whole, (values - lo + 0.5) / (hi - lo + 1), (values - lo) / (hi - lo))


def from_unit(unit: np.ndarray) -> pd.DataFrame:
    """Unit-cube points as parameter sets (an integer field takes the cell its point lies in)."""
    r = ranges()
    names = list(r)
    sets = pd.DataFrame(qmc.scale(unit, [r[n][0] for n in names], [r[n][1] for n in names]),
                        columns=names)
    for i, name in enumerate(names):
        if is_integer(name):
            lo, hi = r[name][0], r[name][1]
            cell = np.floor(unit[:, i] * (hi - lo + 1)).astype(int)
            sets[name] = np.minimum(lo + cell, hi)
    return sets


def lhs(n: int, seed: int) -> np.ndarray:
    """A scrambled Latin hypercube of ``n`` points in the unit cube of the priors."""
    return qmc.LatinHypercube(d=len(ranges()), seed=seed).random(n)


def select(emulators: list[Emulator], n: int, seed: int) -> tuple[np.ndarray, float, float]:
    """``n`` unit-cube points not ruled out by ``emulators``.

    Screens :data:`N_CANDIDATES` Latin-hypercube candidates. Returns the points, the share of
    candidates below the cut-off, and the cut-off used: 3, or, when fewer than ``n`` candidates
    survive it, the implausibility of the ``n``-th least implausible candidate.
    """
    if not emulators:
        return lhs(n, seed), 1.0, float("inf")
    candidates = lhs(N_CANDIDATES, seed)
    worst = max_implausibility(candidates, emulators)
    alive = np.flatnonzero(worst <= CUTOFF)
    if len(alive) >= n:
        return candidates[alive[:n]], len(alive) / len(candidates), CUTOFF
    order = np.argsort(worst)[:n]
    return candidates[order], len(alive) / len(candidates), float(worst[order[-1]])


@dataclass
class Inference:
    """What a history match and its posterior draws produced."""

    emulators: list[Emulator] = field(default_factory=list)
    waves: list[dict] = field(default_factory=list)  # per wave: sets, runs, survivors, cut-off
    posterior: pd.DataFrame | None = None  # draws: weight, loglik, implausibility, parameters
    n_runs: int = 0
    ess: float | None = None  # the sample's effective size, if not that of the draws' weights
    sampling: str = ""  # how emulated draws were sampled (:func:`emulated_draws`)
    discrepancy_scale: float = 1.0  # multiple of the judged discrepancy the weights used
    acceptance: float = likelihood.ACCEPTANCE  # abc: the share of the draws' runs that match
    tolerance: float | None = None  # abc: the log likelihood a matching run reaches
    rounds: list[Round] = field(default_factory=list)  # the proposals weighted over (refine)


def weigh(result: Inference, observed: list[list[dict]], until_day: int | None,
          kind: str) -> tuple[np.ndarray, np.ndarray]:
    """Each set's log likelihood and their normalised weights; fits ``result``'s settings.

    Only for sets drawn uniformly on the region, whose runs fix what the later rounds keep: the
    synthetic likelihood's discrepancy scale (:func:`synthetic_likelihood.discrepancy_scale`; the others
    keep the judged discrepancy, scale 1) and abc's tolerance (the best ``result.acceptance`` of
    these runs, :func:`likelihood.abc_tolerance`).
    """
    result.discrepancy_scale = (synthetic_likelihood.discrepancy_scale(observed, until_day)
                                if kind == "synthetic" else 1.0)
    result.tolerance = None
    if kind == "abc":
        per_run = likelihood.run_logliks(observed, until_day)
        result.tolerance = likelihood.abc_tolerance(per_run, result.acceptance)
        loglik = likelihood.abc_logliks(per_run, result.tolerance)
    else:
        loglik = synthetic_likelihood.set_logliks(observed, until_day, kind, result.discrepancy_scale)
    return loglik, normalised(loglik)


def history_match(base: SimConfig, waves: int, runs_per_wave: int, seeds: int, store: RunStore,
                  workers: int = 1, until_day: int | None = None, seed: int = 2021) -> Inference:
    """Waves of history matching: run, emulate, rule out; returns the emulators of every wave.

    Each wave's emulators are fitted to every set run so far (their seed means); the ensemble
    variance of each output (Var_ens) is the pooled within-set variance over seeds. Each wave
    also records the largest implausibility of ``base``'s own set (``base_implausibility``):
    whether the point defaults survive the match.
    """
    outputs = hm_outputs(until_day)
    result = Inference()
    point = to_unit(base_set(base))
    xs, ys = [], []
    for wave in range(waves):
        unit, alive, cutoff = select(result.emulators, runs_per_wave, seed + wave)
        observed = evaluate(base, from_unit(unit), range(seeds), store, workers)
        values = np.array([[output_values(o, outputs) for o in runs] for runs in observed])
        xs.append(to_unit(from_unit(unit)))
        ys.append(values)
        y = np.concatenate(ys)
        var_ens = y.var(axis=1, ddof=1).mean(axis=0) if seeds > 1 else np.zeros(len(outputs))
        result.emulators.append(Emulator.fit(np.concatenate(xs), y.mean(axis=1),
                                             list(outputs["name"]), outputs["z"],
                                             outputs["var"], var_ens, seed=wave))
        result.waves.append({"wave": wave + 1, "sets": runs_per_wave,
                             "runs": runs_per_wave * seeds, "share_not_implausible": alive,
                             "cutoff_used": cutoff,  # and whether the base's own set survives:
                             "base_implausibility": float(
                                 max_implausibility(point, result.emulators)[0])})
        result.n_runs += runs_per_wave * seeds
    return result


def posterior_draws(base: SimConfig, result: Inference, draws: int, seeds: int,
                    store: RunStore, workers: int = 1, until_day: int | None = None,
                    seed: int = 2021, kind: str = likelihood.KINDS[0],
                    acceptance: float = likelihood.ACCEPTANCE) -> Inference:
    """Draw ``draws`` sets from the non-implausible region and weight them by the likelihood.

    ``kind``: how a set's likelihood is estimated from its seeds
    (:data:`sim.inference.likelihood.KINDS`);
    ``acceptance``: abc's share of the draws' runs that match the record.
    """
    result.acceptance = acceptance
    unit, alive, cutoff = select(result.emulators, draws, seed + len(result.waves))
    sets = from_unit(unit)
    observed = evaluate(base, sets, range(seeds), store, workers)
    loglik, weight = weigh(result, observed, until_day, kind)
    sets.insert(0, "weight", weight)
    sets.insert(1, "loglik", loglik)
    sets.insert(2, "implausibility", max_implausibility(unit, result.emulators))
    sets.insert(0, "draw", np.arange(len(sets)))
    result.posterior = sets
    volume = alive if cutoff <= CUTOFF else draws / N_CANDIDATES  # region the draws fill
    result.waves.append({"wave": "draws", "sets": draws, "runs": draws * seeds,
                         "share_not_implausible": alive, "cutoff_used": cutoff,
                         "region_volume": volume})
    result.n_runs += draws * seeds
    return result


def refine(base: SimConfig, result: Inference, rounds: int, sets: int, seeds: int,
           store: RunStore, workers: int = 1, until_day: int | None = None,
           seed: int = 2021, kind: str = likelihood.KINDS[0], settle_seeds: int = 0) -> Inference:
    """Add ``rounds`` rounds of adaptive importance sampling to the draws of :func:`posterior_draws`.

    Each round runs ``sets`` sets (over ``seeds`` seeds, as the draws were) proposed near the
    weighted sample so far and kept in the draws' region (:mod:`sim.inference.adaptive_importance`); the
    draws and every round are then weighted together by their likelihood (``kind``; the
    synthetic one at the discrepancy scale fitted to the draws, abc at the tolerance set by the
    draws: the only sets drawn uniformly) over the rounds' mixture density.

    Then, if ``settle_seeds`` exceeds ``seeds``, the sets that carry the weight are rerun over
    more seeds until their estimates settle (:func:`settle`).
    """
    names = list(ranges())
    draws = result.waves[-1]
    if draws["wave"] != "draws":
        raise ValueError(f"refine follows posterior_draws, not {draws['wave']!r}")

    def inside(x: np.ndarray) -> np.ndarray:
        return max_implausibility(x, result.emulators) <= draws["cutoff_used"]

    x = to_unit(result.posterior[names])
    observed = evaluate(base, result.posterior[names], range(seeds), store, workers)
    history = [Round(None, float(np.log(draws["region_volume"])), len(x))]
    region_cov = ledoit_wolf(special.logit(x))[0]  # on the proposals' scale; positive definite

    rng = np.random.default_rng([seed, len(result.waves)])
    scale = result.discrepancy_scale

    def weights() -> tuple[np.ndarray, np.ndarray]:
        loglik = synthetic_likelihood.set_logliks(observed, until_day, kind, scale, result.tolerance)
        return loglik, mixture_weights(x, loglik, history)

    for r in range(rounds):
        normal = proposal(x, weights()[1], region_cov)
        new, kept, proposed = propose(normal, sets, inside, rng)
        observed += evaluate(base, from_unit(new), range(seeds), store, workers)
        x = np.vstack([x, new])
        history.append(Round(normal, float(np.log(kept / proposed)), sets))
        result.waves.append({"wave": f"round {r + 1}", "sets": sets, "runs": sets * seeds,
                             "share_not_implausible": kept / proposed,
                             "cutoff_used": draws["cutoff_used"]})
        result.n_runs += sets * seeds
    table = pd.concat([result.posterior[names], from_unit(x[len(result.posterior):])],
                      ignore_index=True)
    seeds_of = np.full(len(x), seeds)
    if settle_seeds > seeds:
        result.n_runs += settle(base, table, observed, seeds_of, lambda: weights()[1],
                                settle_seeds, store, workers)
    loglik, weight = weights()
    posterior = table
    posterior.insert(0, "draw", np.arange(len(posterior)))
    posterior.insert(1, "weight", weight)
    posterior.insert(2, "loglik", loglik)
    posterior.insert(3, "seeds", seeds_of)
    implausibility = max_implausibility(x[len(result.posterior):], result.emulators)
    posterior.insert(4, "implausibility", np.concatenate([result.posterior["implausibility"],
                                                           implausibility]))
    posterior.insert(5, "round", np.repeat(np.arange(rounds + 1), [h.n for h in history]))
    result.posterior, result.rounds = posterior, history
    return result


def settle(base: SimConfig, sets: pd.DataFrame, observed: list[list[dict]], seeds_of: np.ndarray,
           weights: Callable[[], np.ndarray], max_seeds: int, store: RunStore,
           workers: int = 1) -> int:
    """Rerun the sets that carry the weight over more seeds until their estimates settle.

    A few seeds give each set a noisy likelihood, and the weights go to the sets whose seeds
    happened to land near the record (the winner's curse). Repeatedly, the fewest sets holding
    :data:`SETTLE_MASS` of the weight have their seeds doubled (up to ``max_seeds``), and the
    weights are recomputed, until every such set has ``max_seeds`` (racing). ``observed`` and
    ``seeds_of`` are updated in place; returns the runs added.
    """
    added = 0
    while True:
        weight = weights()
        order = np.argsort(-weight, kind="stable")
        top = order[:np.searchsorted(np.cumsum(weight[order]), SETTLE_MASS) + 1]
        grow = top[seeds_of[top] < max_seeds]
        if not len(grow):
            return added
        more = np.minimum(2 * seeds_of[grow], max_seeds)
        for k in np.unique(more):
            rows = grow[more == k]
            for i, runs in zip(rows, evaluate(base, sets.iloc[rows], range(k), store, workers),
                               strict=True):
                added += k - len(observed[i])
                observed[i] = runs
        seeds_of[grow] = more


def emulated_draws(base: SimConfig, result: Inference, seeds: int, store: RunStore,
                   workers: int = 1, candidates: int = 20_000, seed: int = 2021) -> Inference:
    """Replace the posterior draws by draws from the emulated posterior on the same region.

    The draws of :func:`posterior_draws` (uniform on the non-implausible region), with the
    ``seeds`` (2+) they were run over (no new runs), are emulated and sampled
    (:mod:`sim.inference.emulated_posterior`); a candidate is in the region when every wave's emulators
    leave it below the cut-off the draws were taken at.
    """
    design = result.posterior[list(ranges())]
    observed = evaluate(base, design, range(seeds), store, workers)
    emulated = EmulatedLikelihood.fit(to_unit(design), observed, result.discrepancy_scale)
    cutoff = result.waves[-1]["cutoff_used"]
    unit, info = sample(emulated, to_unit(design),
                        lambda x: max_implausibility(x, result.emulators) <= cutoff,
                        candidates, len(design), seed)
    draws = from_unit(unit)
    draws.insert(0, "draw", np.arange(len(draws)))
    draws.insert(1, "weight", 1.0 / len(draws))
    draws.insert(2, "loglik", emulated.loglik(unit))
    draws.insert(3, "implausibility", max_implausibility(unit, result.emulators))
    result.posterior, result.ess = draws, ess(info["weights_second"])
    result.waves.append({"wave": "emulated", "sets": info["candidates"], "runs": 0,
                         "share_not_implausible": info["candidates"] / info["proposed"],
                         "cutoff_used": cutoff})
    result.sampling = (f"{len(design)} draws emulated over {seeds} seeds (effective sample size "
                       f"{ess(info['weights_first']):.1f}), {info['candidates']} candidates in "
                       f"the region of {info['proposed']} proposed (effective sample size "
                       f"{result.ess:.1f}), {len(draws)} resampled by weight "
                       f"({len(draws.drop_duplicates(list(ranges())))} distinct)")
    return result


def reweigh(base: SimConfig, posterior: pd.DataFrame, seeds: Sequence[int], store: RunStore,
            workers: int = 1, until_day: int | None = None, kind: str = likelihood.KINDS[0],
            acceptance: float = likelihood.ACCEPTANCE) -> Inference:
    """The same draws weighted by their likelihood re-estimated over ``seeds`` as ``kind`` says.

    The draws' proposal (uniform on the non-implausible region) is unchanged, so the weights
    stay importance weights. With ``seed-mean`` the estimate is unbiased for any number of seeds
    (pseudo-marginal importance sampling, Andrieu and Roberts 2009), but one seed's likelihood is
    heavy-tailed and more seeds give every draw another chance at an outlier (docs/inference.md
    measures it); ``synthetic`` trades that for the normal approximation of Wood (2010); ``abc``
    scores each run alone, at a tolerance set by these runs (``acceptance``). Only for
    a posterior of :func:`posterior_draws`, whose weights are the likelihood alone. Returns the
    reweighed draws as an :class:`Inference`.
    """
    names = [n for n in ranges() if n in posterior.columns]
    observed = evaluate(base, posterior[names].reset_index(drop=True), seeds, store, workers)
    result = Inference(n_runs=len(posterior) * len(seeds), acceptance=acceptance)
    loglik, weight = weigh(result, observed, until_day, kind)
    result.posterior = posterior.assign(weight=weight, loglik=loglik)
    return result
