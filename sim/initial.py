"""Initialisation: the 1 May 2021 control split and the placement of every force.

Control is assigned by ranking districts on a documented affinity score (Pashtun-majority
district, hops from the provincial capital, the sourced 2017-2020 control assessments where
they exist, plus noise from the ``initial`` stream): the top
``frac_taliban`` are Taliban-held, the next ``frac_contested`` contested, the rest government.
Provincial capitals always start government-held.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.agents import Control, Force, Garrison, Militia, TalibanUnit, Task

if TYPE_CHECKING:
    from sim.model import OffensiveModel

# Northern power brokers' militias and their home provinces (DESIGN.md; forces.md).
FACTIONS: dict[str, tuple[str, ...]] = {
    "dostum_uzbek": ("Jawzjan", "Faryab"),
    "atta_tajik": ("Balkh",),
    "panjshir_tajik": ("Panjsher",),
    "badakhshan_tajik": ("Badakhshan",),
    "ismail_khan_tajik": ("Hirat",),
    "hazara": ("Bamyan", "Daykundi"),
}


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
    Taliban units stand first in every contested district (besieging it, so that control and
    presence agree on day 0), then in Taliban-held and contested districts by population and
    local support. Prisoners are held in the provincial capitals, by population.
    """
    cfg, m, rng = model.config, model.map, model.streams["initial"]
    forces = cfg.forces
    model.control[:] = assign_control(model) if control is None else control
    held = model.control != Control.TALIBAN
    space = model.space
    surrender = cfg.surrender

    def garrison(d: int, troops: float, force: Force) -> None:
        threshold = -surrender.logit_base + surrender.threshold_sd * rng.standard_normal()
        Garrison(model, space[d], troops, force, model.fortification_of(d), threshold)

    present = forces.n_andsf_paper * forces.frac_present
    capitals = np.flatnonzero(m.is_capital & held)
    rural = np.flatnonzero(~m.is_capital & held)
    shares = [(capitals, forces.frac_in_capitals, m.population[capitals]),
              (rural, 1 - forces.frac_in_capitals, np.sqrt(m.population[rural]))]
    for districts, frac, weight in shares:
        if len(districts) == 0:
            continue
        troops = present * frac * weight / weight.sum()
        for d, t in zip(districts, troops, strict=True):
            if t >= 1:
                garrison(int(d), t, Force.ARMY_POLICE)

    hubs = np.flatnonzero(m.is_hub)
    for i, size in enumerate(split(forces.n_commandos, forces.commando_unit_size)):
        garrison(int(hubs[i % len(hubs)]), size, Force.COMMANDO)

    support = np.where(m.is_pashtun, cfg.taliban.frac_support_pashtun,
                       cfg.taliban.frac_support_other)
    contested = np.flatnonzero(model.control == Control.CONTESTED)
    hosts = np.flatnonzero(model.control != Control.GOVERNMENT)
    sizes = split(forces.n_taliban, forces.taliban_unit_size)
    first = rng.permutation(contested)[: len(sizes)]
    if len(hosts) == 0:  # no Taliban ground at all: they start in the rural districts
        hosts = np.flatnonzero(~m.is_capital) if (~m.is_capital).any() else np.arange(m.n)
    weight = m.population[hosts] * support[hosts] + 1e-9
    rest = rng.choice(hosts, size=len(sizes) - len(first), p=weight / weight.sum())
    for i, (d, size) in enumerate(zip(np.concatenate([first, rest]), sizes, strict=True)):
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
    jails = m.population * m.is_capital
    if jails.sum() > 0:
        model.prisoners[:] = cfg.taliban.n_prisoners * jails / jails.sum()

    model.ledger["taliban_initial"] = sum(u.fighters for u in model.units())
    model.ledger["government_initial"] = sum(g.troops for g in model.garrisons())
    model.ledger["militia_initial"] = sum(x.fighters for x in model.militias())
    model.ledger["equipment_initial"] = sum(g.equipment for g in model.garrisons())
