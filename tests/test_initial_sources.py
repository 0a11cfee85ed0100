"""The 1 May picture on the real map follows the sourced tables: corps, prisons, Taliban districts."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim import load_config
from sim.model.model import OffensiveModel
from sim.world.agents import Control
from sim.world.initial import NO_CORPS, district_corps
from sim.world.real_map import load_real_map
from sim.world.space import sourced_table


@pytest.fixture(scope="module")
def model():
    """A model set up on 1 May at the real-map defaults (seed 0), before any step."""
    return OffensiveModel(load_config(["seed=0"]))


def _army_by_corps(model) -> pd.Series:
    g = model.garrison_table
    live = g.live()
    army = live[~g.commando[live]]
    return pd.Series(g.troops[army]).groupby(g.corps[army]).sum()


def test_each_district_lies_in_the_corps_area_of_the_table():
    """The corps of every real district is the one ``corps_areas.csv`` gives for its shape_id."""
    m = load_real_map()
    table = sourced_table("corps_areas.csv").set_index("shape_id").corps
    assert (district_corps(m) == table.loc[list(m.shape_id)].to_numpy()).all()


def test_troops_per_corps_area_follow_the_sourced_strength_and_the_population_rule(model):
    """215 Corps holds its sourced 18,000 paper troops' present share; the rest go by population."""
    forces, m = model.config.forces, model.map
    present = forces.n_andsf_paper * forces.frac_present
    troops = _army_by_corps(model)
    assert troops.sum() == pytest.approx(present, rel=1e-6)
    assert troops[215] == pytest.approx(18_000 * forces.frac_present, rel=1e-6)
    corps = district_corps(m)
    people = pd.Series(m.population).groupby(corps).sum().drop(215)
    expected = (present - troops[215]) * people / people.sum()
    assert troops.drop(215).to_numpy() == pytest.approx(expected.to_numpy(), rel=1e-6)


def test_every_army_garrison_stands_in_its_own_corps_area_and_commandos_in_none(model):
    """A garrison's corps is its district's; commandos, the national reserve, have none."""
    g = model.garrison_table
    live = g.live()
    corps = district_corps(model.map)
    army = live[~g.commando[live]]
    assert (g.corps[army] == corps[g.district[army]]).all()
    assert (g.corps[live[g.commando[live]]] == NO_CORPS).all()


def test_prisoners_are_held_in_the_sourced_prisons_by_capacity(model):
    """The prisoners are shared among the prisons of ``prisons.csv`` by capacity, none elsewhere."""
    m = model.map
    prisons = sourced_table("prisons.csv")
    index = {sid: i for i, sid in enumerate(m.shape_id)}
    capacity = np.bincount([index[s] for s in prisons.shape_id], weights=prisons.capacity,
                           minlength=m.n)
    expected = model.config.taliban.n_prisoners * capacity / capacity.sum()
    assert model.prisoners == pytest.approx(expected)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_taliban_stand_in_every_district_a_pre_2021_source_names_as_theirs(seed):
    """Each Taliban-held district that a 2017-2020 source calls Taliban-controlled has a unit."""
    model = OffensiveModel(load_config([f"seed={seed}"]))
    m = model.map
    named = np.flatnonzero((m.control_prior > 0) & (model.control == Control.TALIBAN))
    assert len(named) >= 20
    assert (model.unit_table.tally(m.n)[named] > 0).all()
