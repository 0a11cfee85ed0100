"""Initialisation: the 1 May 2021 control split and the placement of every force.

Control is assigned by ranking districts on a documented affinity score (Pashtun-majority
district, hops from the provincial capital, the sourced 2017-2020 control assessments where
they exist, plus noise from the ``initial`` stream): the top
``frac_taliban`` are Taliban-held, the next ``frac_contested`` contested, the rest government.
Provincial capitals always start government-held.

On the real map, forces stand where the sourced tables of ``sim/data`` put them (see
``docs/sources.md``): garrisons by ANA corps area (``corps_areas.csv``, ``corps_strength.csv``),
prisoners in the known prisons (``prisons.csv``), a Taliban unit in every held district that a
pre-2021 source names as Taliban-controlled (``district_control_prior.csv``). Rules fill in the
rest and on other maps.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import numpy as np

from sim.world.agents import Control, Force, Garrison, Militia, TalibanUnit, Task
from sim.world.space import DistrictMap, sourced_table

if TYPE_CHECKING:
    from sim.model.model import OffensiveModel

# Northern power brokers' militias and their home provinces (DESIGN.md; forces.md).
FACTIONS: dict[str, tuple[str, ...]] = {
    "dostum_uzbek": ("Jawzjan", "Faryab"),
    "atta_tajik": ("Balkh",),
    "panjshir_tajik": ("Panjsher",),
    "badakhshan_tajik": ("Badakhshan",),
    "ismail_khan_tajik": ("Hirat",),
    "hazara": ("Bamyan", "Daykundi"),
}


NO_CORPS = -1  # corps of a district or garrison outside any corps area (commandos, other maps)


@functools.lru_cache(maxsize=4)
def district_corps(m: DistrictMap) -> np.ndarray:
    """The ANA corps (111 for the Capital Division) responsible for each district, for "same corps".

    From ``sim/data/corps_areas.csv`` on the real map; ``NO_CORPS`` everywhere on other maps.
    Read once per map and shared by its runs (read-only).
    """
    if m.kind == "real":
        table = sourced_table("corps_areas.csv").set_index("shape_id")["corps"]
        corps = table.loc[list(m.shape_id)].to_numpy(np.int64)
    else:
        corps = np.full(m.n, NO_CORPS, np.int64)
    corps.flags.writeable = False
    return corps


@functools.cache
def sourced_corps_strength() -> dict[int, int]:
    """Paper strength of each corps for which a source gives one (``sim/data/corps_strength.csv``)."""
    table = sourced_table("corps_strength.csv")
    sourced = table[table["basis"] == "source"]
    return {int(c): int(n) for c, n in zip(sourced["corps"], sourced["n_assigned"], strict=True)}


def corps_shares(m: DistrictMap, n_paper: float) -> dict[int, float]:
    """Share of the present army and police in each corps area (they sum to 1).

    A corps with a sourced paper strength takes that strength's share of ``n_paper`` (capped so
    the shares fit in 1); the rest goes to the other corps in proportion to their areas'
    population (a rule: no source gives their strength). Off the real map, one area: the map.
    """
    corps = district_corps(m)
    codes = [int(c) for c in np.unique(corps)]
    fixed = {c: n / n_paper for c, n in sourced_corps_strength().items()
             if c in codes and n_paper > 0}
    scale = max(1.0, sum(fixed.values()))
    shares = {c: f / scale for c, f in fixed.items()}
    rest = [c for c in codes if c not in shares]
    if rest:
        people = np.array([m.population[corps == c].sum() for c in rest])
        weight = people / people.sum() if people.sum() > 0 else np.full(len(rest), 1 / len(rest))
        left = 1 - sum(shares.values())
        shares.update({c: left * float(w) for c, w in zip(rest, weight, strict=True)})
    return shares


def area_troops(m: DistrictMap, area: np.ndarray, troops: float,
                frac_in_capitals: float) -> tuple[np.ndarray, np.ndarray]:
    """Districts of ``area`` (a mask) and their troops: capitals by population, the rest by its root.

    ``frac_in_capitals`` of ``troops`` go to the area's capitals; where the area has only
    capitals or only other districts, those take all.
    """
    capitals = np.flatnonzero(area & m.is_capital)
    rural = np.flatnonzero(area & ~m.is_capital)
    frac = frac_in_capitals if len(capitals) and len(rural) else float(len(capitals) > 0)
    districts, out = [], []
    for where, share, weight in ((capitals, frac, m.population[capitals]),
                                 (rural, 1 - frac, np.sqrt(m.population[rural]))):
        if len(where) == 0:
            continue
        weight = weight / weight.sum() if weight.sum() > 0 else np.full(len(where), 1 / len(where))
        districts.append(where)
        out.append(troops * share * weight)
    if not districts:
        return np.zeros(0, np.intp), np.zeros(0)
    return np.concatenate(districts), np.concatenate(out)


@functools.lru_cache(maxsize=4)
def prison_places(m: DistrictMap) -> np.ndarray:
    """Weight of each district in holding the prisoners: sourced prison capacities on the real map.

    On the real map, ``sim/data/prisons.csv`` (published capacities; a stated rule where none
    is published); on other maps, the capitals by population. Read once per map (read-only).
    """
    if m.kind == "real":
        table = sourced_table("prisons.csv")
        index = {sid: i for i, sid in enumerate(m.shape_id)}
        rows = [index[sid] for sid in table["shape_id"]]
        places = np.bincount(rows, weights=table["capacity"].to_numpy(float), minlength=m.n)
    else:
        places = m.population * m.is_capital
    places.flags.writeable = False
    return places


def split(total: float, size: float) -> list[float]:
    """Split ``total`` into agents of ``size`` (the last one takes the remainder)."""
    n_full, rest = divmod(total, size)
    return [float(size)] * int(n_full) + ([float(rest)] if rest >= 1 else [])


def assign_control(model: OffensiveModel) -> np.ndarray:
    """Initial control per district from the affinity ranking (capitals stay government)."""
    cfg, m = model.config.initial, model.map
    rng = model.streams["initial"]
    capitals = np.flatnonzero(m.is_capital)
    remote = m.hops_to(capitals) if len(capitals) else np.zeros(m.n)
    score = (cfg.w_pashtun * m.is_pashtun + cfg.w_remote * remote
             + cfg.w_prior * m.control_prior + cfg.w_noise * rng.standard_normal(m.n))
    score[m.is_capital] = -np.inf
    order = np.argsort(-score, kind="stable")
    n_tal = round(cfg.frac_taliban * m.n)
    n_con = round(cfg.frac_contested * m.n)
    control = np.full(m.n, Control.GOVERNMENT, dtype=np.int8)
    rural = order[~m.is_capital[order]]
    control[rural[:n_tal]] = Control.TALIBAN
    control[rural[n_tal:n_tal + n_con]] = Control.CONTESTED
    return control


def factions(model: OffensiveModel) -> dict[str, frozenset[int]]:
    """Militia factions on this map and their home provinces (as province codes).

    On the real map, the northern power brokers of :data:`FACTIONS`; on a synthetic map, one
    faction per province whose majority is not Pashtun.
    """
    m = model.map
    codes = {name: code for name, code in zip(m.province, m.province_index, strict=True)}
    if m.kind == "real":
        return {f: frozenset(codes[p] for p in provs if p in codes) for f, provs in FACTIONS.items()}
    return {f"faction_{codes[p]}": frozenset([codes[p]])
            for p, g in zip(m.province, m.ethnic_group, strict=True) if g != "pashtun"}


def populate(model: OffensiveModel, control=None) -> None:
    """Set initial control (given, or by :func:`assign_control`) and place every force.

    Each garrison and each provincial leadership draws its own threshold (``initial`` stream).
    The present army and police are shared among the corps areas (:func:`corps_shares`), then
    among each area's held districts (:func:`area_troops`). Taliban units stand first in every
    contested district (besieging it, so that control and presence agree on day 0) and in every
    Taliban-held district that a pre-2021 source names as Taliban-controlled, then in
    Taliban-held and contested districts by population and local support. Prisoners are held
    in the prisons of :func:`prison_places`.
    """
    cfg, m, rng = model.config, model.map, model.streams["initial"]
    forces = cfg.forces
    model.control[:] = assign_control(model) if control is None else control
    held = model.control != Control.TALIBAN
    space = model.space
    surrender = cfg.surrender

    def garrison(d: int, troops: float, force: Force, corps: int = NO_CORPS) -> None:
        threshold = -surrender.logit_base + surrender.threshold_sd * rng.standard_normal()
        post = Garrison(model, space[d], troops, force, model.fortification_of(d), threshold)
        post.corps = corps

    present = forces.n_andsf_paper * forces.frac_present
    corps = district_corps(m)
    for code, share in corps_shares(m, forces.n_andsf_paper).items():
        districts, troops = area_troops(m, held & (corps == code), present * share,
                                        forces.frac_in_capitals)
        for d, t in zip(districts, troops, strict=True):
            if t >= 1:
                garrison(int(d), t, Force.ARMY_POLICE, code)

    hubs = np.flatnonzero(m.is_hub)
    for i, size in enumerate(split(forces.n_commandos, forces.commando_unit_size)):
        garrison(int(hubs[i % len(hubs)]), size, Force.COMMANDO)

    support = np.where(m.is_pashtun, cfg.taliban.frac_support_pashtun,
                       cfg.taliban.frac_support_other)
    contested = np.flatnonzero(model.control == Control.CONTESTED)
    hosts = np.flatnonzero(model.control != Control.GOVERNMENT)
    sizes = split(forces.n_taliban, forces.taliban_unit_size)
    first = rng.permutation(contested)[: len(sizes)]
    named = np.flatnonzero((m.control_prior > 0) & (model.control == Control.TALIBAN))
    anchors = named[: len(sizes) - len(first)]
    if len(hosts) == 0:  # no Taliban ground at all: they start in the rural districts
        hosts = np.flatnonzero(~m.is_capital) if (~m.is_capital).any() else np.arange(m.n)
    weight = m.population[hosts] * support[hosts] + 1e-9
    rest = rng.choice(hosts, size=len(sizes) - len(first) - len(anchors), p=weight / weight.sum())
    for i, (d, size) in enumerate(zip(np.concatenate([first, anchors, rest]), sizes, strict=True)):
        unit = TalibanUnit(model, space[int(d)], size, cfg.morale.taliban)
        if i < len(first):
            unit.target, unit.task = int(d), Task.BESIEGE

    if cfg.militia.use_militias:
        homes = {f: p for f, p in factions(model).items() if p}
        per_faction = forces.n_militia / max(len(homes), 1)
        for name, provinces in homes.items():
            home = np.flatnonzero(np.isin(m.province_index, list(provinces)))
            base = int(home[np.argmax(m.population[home])])
            for size in split(per_faction, forces.militia_unit_size):
                Militia(model, space[base], size, name, provinces)

    bargains = cfg.bargains
    model.lead_threshold[:] = (bargains.threshold_mean
                               + bargains.threshold_sd * rng.standard_normal(m.n_provinces))
    jails = prison_places(m)
    if jails.sum() > 0:
        model.prisoners[:] = cfg.taliban.n_prisoners * jails / jails.sum()

    # Python's sums of the agents' values in creation order, read off the columns at once
    t, g, x = model.unit_table, model.garrison_table, model.militia_table
    model.ledger["taliban_initial"] = sum(t.fighters[t.live()].tolist())
    model.ledger["government_initial"] = sum(g.troops[g.live()].tolist())
    model.ledger["militia_initial"] = sum(x.fighters[x.live()].tolist())
    model.ledger["equipment_initial"] = sum(g.equipment[g.live()].tolist())
