"""Every numeric parameter of the schema is accounted for (issue 21 item 4, issue 25 item 4).

A numeric parameter (one declared with a range by ``param(...)``) either has a source (a figure
from a source, or theory with its citation) or is marked as an assumption: a ``source`` that
begins "assumption:" with a one-line reason and a range, either as a uniform ``prior`` (an
uncertain parameter that the calibration, the inference and the sensitivity and robustness
studies draw) or, for an assumption held at its default, stated at the end of the reason as
"(range LO to HI)". The second form exists because every prior is a dimension of the inference
(``sim.inference.simulate.Problem``): with a prior on every assumption (131 dimensions, not
54) the hand-written samplers of the time found almost no proposal in their region, and a
neural posterior estimate needs many more simulations for each dimension it learns. The knobs
listed below are not model parameters, and say why.
"""

from __future__ import annotations

import re

import pytest

from sim.config import parameters, priors

ASSUMPTION = "assumption:"
STATED = re.compile(r"\(range (-?[0-9.e+-]+) to (-?[0-9.e+-]+)\)$")

# Knobs that are not parameters of the war: each with the reason it needs no source or prior.
STRUCTURAL = {
    "seed": "picks the random streams of a run",
    "days": "the horizon the user asks for",
    "seeds": "the ensemble size of a sweep",
    "uncertainty.draw": "the posterior row a run uses",
    "space.n_provinces": "size of the synthetic test map (the real map ignores it)",
    "space.province_side": "size of the synthetic test map (the real map ignores it)",
    "space.frac_extra_edges": "shape of the synthetic test map (the real map ignores it)",
    "forces.taliban_unit_size": "resolution: fighters one agent stands for, not a force size",
    "forces.commando_unit_size": "resolution: troops one agent stands for, not a force size",
    "forces.militia_unit_size": "resolution: fighters one agent stands for, not a force size",
    "air.frac_fleet": "scales the fleet and US strikes to a map smaller than the country; on the "
                      "real map, the whole country, it is 1 by definition",
    "supply.frac_lift_multiplier": "a scenario lever on the sourced payloads; its default 1 "
                                   "leaves them as sourced",
}


def numeric() -> dict:
    """Every numeric parameter of the schema (one with a declared range), by dotted name."""
    return {name: f for name, f in parameters().items()
            if f.metadata.get("lo") is not None or f.metadata.get("hi") is not None}


def stated_range(meta) -> tuple[float, float] | None:
    """The range an assumption held at its default states at the end of its reason."""
    found = STATED.search(meta.get("source", ""))
    return (float(found[1]), float(found[2])) if found else None


def accounted(meta) -> bool:
    """A source that is not an assumption, or an assumption with a reason and a range."""
    source = meta.get("source", "")
    if source.startswith(ASSUMPTION):
        reason = STATED.sub("", source[len(ASSUMPTION):]).strip()
        return bool(reason) and (meta.get("prior") is not None or stated_range(meta) is not None)
    return bool(source)


def test_every_numeric_parameter_has_a_source_or_an_assumption_with_a_prior():
    """Lists any numeric parameter with neither a source nor an assumption with a prior."""
    missing = sorted(name for name, f in numeric().items()
                     if name not in STRUCTURAL and not accounted(f.metadata))
    assert not missing, ("numeric parameters with neither a source nor an assumption "
                         "(source='assumption: <reason> (range LO to HI)', or a reason and "
                         f"prior=(LO, HI)): {', '.join(missing)}")


def test_the_structural_knobs_are_real_parameters_without_priors():
    """Each exempt knob exists and, being no parameter of the war, is never drawn."""
    fields = numeric()
    for name in STRUCTURAL:
        assert name in fields, f"{name}: no such numeric parameter"
        assert fields[name].metadata.get("prior") is None, f"{name}: has a prior"


def test_every_prior_says_why():
    """No prior falls back to "no source: assumed range": each has its own source or reason."""
    bare = sorted(name for name, f in numeric().items()
                  if f.metadata.get("prior") is not None and not f.metadata.get("source"))
    assert not bare, f"priors with no source or reason: {', '.join(bare)}"


@pytest.mark.parametrize("name", sorted(priors()))
def test_a_prior_lies_in_the_valid_range_and_holds_the_default(name):
    """A prior's draws are valid values, and the default is one the prior allows."""
    f = parameters()[name]
    lo, hi, _ = priors()[name]
    meta = f.metadata
    assert meta["lo"] <= lo < hi <= meta["hi"]
    assert lo <= f.default <= hi


@pytest.mark.parametrize("name", sorted(n for n, f in numeric().items()
                                        if stated_range(f.metadata) is not None))
def test_a_stated_range_lies_in_the_valid_range_and_holds_the_default(name):
    """An assumption held at its default states a range of valid values that holds it, and
    has no prior as well (one range, not two)."""
    f = numeric()[name]
    lo, hi = stated_range(f.metadata)
    meta = f.metadata
    assert meta.get("prior") is None
    assert meta["lo"] <= lo < hi <= meta["hi"]
    assert lo <= f.default <= hi
