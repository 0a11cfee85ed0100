"""The daily table: today's row, computed in one pass, and the Mesa DataCollector that keeps it.

:func:`row` computes every column of today's row of ``daily.csv`` from the model's arrays and
counters at once (the force summaries in one pass per agent kind, the districts' control in one
count); :class:`DailyCollector` appends that row whole to Mesa's model variables. Its reporters
(:data:`REPORTERS`, one per column of :data:`COLUMNS`, each reading today's row) declare the
columns, as Mesa's DataCollector needs, and are what Mesa's own ``collect`` would call.

Column names say what kind of number they hold: a per-day flow ends in ``_today``, a running
total since day 0 in ``_to_date``; other columns are the state at the end of the day. Each
column has its unit and meaning in :data:`COLUMNS` (a new column gets an entry there and a value
in :func:`row`; ``docs/outputs.md`` is generated from it by ``scripts/gen_outputs_doc.py``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

import mesa
import numpy as np

from sim.stages import expectation
from sim.world import kernels
from sim.world.agents import TASK_CODE, Control, Task

if TYPE_CHECKING:
    from sim.model.model import OffensiveModel

LEDGER_KEYS = ("equipment_captured", "taliban_killed", "government_wounded_evacuated",
               "taliban_recruited", "government_killed", "government_captured",
               "government_deserted", "government_fled", "equipment_destroyed", "prisoners_freed",
               "air_kills_planned")  # each a running total, column ``<key>_to_date``
LEDGER_COLUMNS = tuple((key, f"{key}_to_date") for key in LEDGER_KEYS)


def _today(model: OffensiveModel, key: str) -> float:
    return round(float(model.today.get(key, 0)), 2)  # get: no Counter.__missing__ call


def forces(model: OffensiveModel) -> dict[str, float]:
    """Force, stock and morale summaries: compiled sums over each kind's live rows, in one call."""
    t, g, x = model.unit_table, model.garrison_table, model.militia_table
    units, garrisons, militias = t.live(), g.live(), x.live()
    (fighters, troops, commandos, militia, mobilised, ammo, government_morale, taliban_morale,
     equipment, cut_off, besieging) = kernels.forces(
        t.fighters, t.morale, t.equipment, t.task, units, TASK_CODE[Task.BESIEGE], g.troops,
        g.commando, g.cut_off_days, g.ammo_days, g.morale, garrisons, x.fighters, x.mobilised,
        militias)  # besieging or assaulting: the two task codes after HOLD and MOVE

    def mean(total: float, count: int) -> float:  # np.mean's: the sum over the count
        return total / count if count else float("nan")

    return {
        "taliban_fighters": round(fighters, 1),
        "taliban_units": len(units),
        "government_troops": round(troops, 1),
        "commando_troops": round(commandos, 1),
        "garrisons": len(garrisons),
        "garrisons_cut_off": cut_off,
        "militia_fighters": round(militia, 1),
        "militia_mobilised": round(mobilised, 1),
        "mean_ammo_days": round(mean(ammo, len(garrisons)), 3),
        "mean_morale_government": round(mean(government_morale, len(garrisons)), 4),
        "mean_morale_taliban": round(mean(taliban_morale, len(units)), 4),
        "units_besieging": besieging,
        "taliban_equipment": round(equipment, 1),
    }


def row(model: OffensiveModel) -> dict[str, object]:
    """Today's row of the daily table: every column of :data:`COLUMNS` but ``day``, in order."""
    m = model.map
    held = np.bincount(model.control, minlength=len(Control)).tolist()  # districts by who holds them
    taliban = model.control == Control.TALIBAN
    return {
        "date": model.date.isoformat(),
        "districts_taliban": held[Control.TALIBAN],
        "districts_contested": held[Control.CONTESTED],
        "districts_government": held[Control.GOVERNMENT],
        "capitals_taliban": np.count_nonzero(m.is_capital & taliban),
        "kabul_taliban": int(np.count_nonzero(m.is_national_capital & taliban) > 0),
        **forces(model),
        "belief": round(kernels.total(model.belief) / len(model.belief), 4),  # np.mean's
        "provinces_in_talks": np.count_nonzero(model.talks),
        "provinces_dealt": np.count_nonzero(model.dealt),
        "leaders_left": int(model.leaders_left),
        "consolidating": int(model.consolidating),
        "aaf_readiness": round(model.air_force.readiness(model.day), 4),
        "strike_sorties_today": _today(model, "strike_sorties"),
        "us_strikes_today": _today(model, "us_strikes"),
        "air_resupply_tonnes_today": _today(model, "air_resupply_tonnes"),
        "casevac_wounded_today": _today(model, "casevac_wounded"),
        "expectation_of_support": round(expectation.mean_expectation(model), 4),
        "surrenders_today": _today(model, "surrender"),
        "negotiations_today": _today(model, "negotiation"),
        "withdrawals_today": _today(model, "withdrawal"),
        "flights_today": _today(model, "flight"),
        "assaults_today": _today(model, "assaults"),
        "overruns_today": _today(model, "overrun"),
        "districts_fell_today": _today(model, "districts_fell"),
        "deals_today": _today(model, "deal"),
        "strikes_wasted_today": _today(model, "strikes_wasted"),
        **{column: round(float(model.ledger.get(key, 0)), 1) for key, column in LEDGER_COLUMNS},
    }


class Column(NamedTuple):
    """Unit and meaning of an output column (or summary field), for docs/outputs.md."""

    unit: str
    doc: str


COLUMNS: dict[str, Column] = {
    "day": Column("day", "days since `start_date` (0 = the start, before the first day's events)"),
    "date": Column("ISO date", "calendar date of the day"),
    "districts_taliban": Column("districts", "districts held by the Taliban at the end of the day"),
    "districts_contested": Column("districts", "districts where both sides have forces"),
    "districts_government": Column("districts", "districts held by the government (garrisons or "
                                                "militias, or empty and not yet lost)"),
    "capitals_taliban": Column("capitals", "provincial capitals (Kabul included) held by the "
                                           "Taliban"),
    "kabul_taliban": Column("0 or 1", "1 if Kabul is held by the Taliban at the end of the day"),
    "taliban_fighters": Column("fighters", "Taliban fighters in the field"),
    "taliban_units": Column("units", "Taliban unit agents"),
    "government_troops": Column("troops", "troops in government garrisons, commandos included"),
    "commando_troops": Column("troops", "troops in commando garrisons"),
    "garrisons": Column("garrisons", "government garrison agents (army/police and commando)"),
    "garrisons_cut_off": Column("garrisons", "garrisons with no road to a supply hub"),
    "militia_fighters": Column("fighters", "militia fighters, mobilised or not"),
    "militia_mobilised": Column("fighters", "fighters of mobilised militias"),
    "mean_ammo_days": Column("days of fire", "mean ammunition stock of the garrisons (empty "
                                             "when none is left)"),
    "mean_morale_government": Column("morale, 0 to 1", "mean morale of the garrisons"),
    "mean_morale_taliban": Column("morale, 0 to 1", "mean morale of the Taliban units"),
    "units_besieging": Column("units", "Taliban units besieging or assaulting a district today"),
    "taliban_equipment": Column("items", "captured vehicles and heavy weapons held by Taliban units"),
    "belief": Column("belief, 0 to 1",
                     "the provincial leaderships' mean belief that the republic will survive"),
    "provinces_in_talks": Column("provinces", "provinces whose leadership has opened talks"),
    "provinces_dealt": Column("provinces", "provinces whose leadership has handed them over"),
    "leaders_left": Column("0 or 1", "1 once the national leadership has left"),
    "consolidating": Column("0 or 1", "1 once the government has chosen to consolidate"),
    "aaf_readiness": Column("share", "mission-capable share of the Afghan air force's aircraft"),
    "strike_sorties_today": Column("sorties", "Afghan air force strike sorties flown"),
    "us_strikes_today": Column("strikes", "US air strikes"),
    "air_resupply_tonnes_today": Column("tonnes", "supplies flown in to garrisons"),
    "casevac_wounded_today": Column("troops", "wounded flown out by casualty evacuation"),
    "expectation_of_support": Column("probability", "garrisons' mean expectation that air "
                                                    "support will come"),
    "surrenders_today": Column("garrisons", "garrisons that surrendered"),
    "negotiations_today": Column("garrisons", "garrisons that handed over through elders' "
                                              "negotiation"),
    "withdrawals_today": Column("garrisons", "garrisons that withdrew by road (consolidation "
                                             "included)"),
    "flights_today": Column("garrisons", "garrisons that fled across a border crossing"),
    "assaults_today": Column("districts", "districts assaulted"),
    "overruns_today": Column("districts", "districts whose last defenders were overrun"),
    "districts_fell_today": Column("districts", "districts that passed to the Taliban"),
    "deals_today": Column("provinces", "provincial capitals handed over by their leadership's deal"),
    "strikes_wasted_today": Column("strikes", "strikes on districts the Taliban units had left"),
    "equipment_captured_to_date": Column("items", "vehicles and heavy weapons taken by the Taliban"),
    "taliban_killed_to_date": Column("fighters", "Taliban fighters killed"),
    "government_wounded_evacuated_to_date": Column("troops", "wounded flown out who survived "
                                                             "(not counted killed)"),
    "taliban_recruited_to_date": Column("fighters", "Taliban fighters recruited"),
    "government_killed_to_date": Column("troops", "government troops killed"),
    "government_captured_to_date": Column("troops", "government troops captured (surrender, "
                                                    "negotiation, overrun)"),
    "government_deserted_to_date": Column("troops", "government troops who deserted"),
    "government_fled_to_date": Column("troops", "government troops who fled across a border"),
    "equipment_destroyed_to_date": Column("items", "government and Taliban equipment destroyed "
                                                   "with the people killed"),
    "prisoners_freed_to_date": Column("prisoners", "prisoners freed from captured prisons"),
    "air_kills_planned_to_date": Column("fighters", "fighters the day's strikes were expected to "
                                                    "kill where they were flown"),
}


def _column(name: str) -> Callable[[OffensiveModel], object]:
    return lambda model: model.daily_row[name]


# Mesa's reporters, one per column: each reads today's row (``OffensiveModel.collect`` computes
# it with :func:`row` first). DailyCollector appends the row itself instead of calling them.
REPORTERS: dict[str, Callable[[OffensiveModel], object]] = {
    name: _column(name) for name in COLUMNS if name != "day"}


class DailyCollector(mesa.DataCollector):
    """Mesa's DataCollector of :data:`REPORTERS`, handed today's row whole.

    Mesa's ``collect`` calls each reporter and deep-copies what it returns: some fifty calls a
    day, for values that are plain numbers and strings (a deep copy of one is itself). This one
    appends the values of the row :func:`row` computed to the same ``model_vars`` lists, in the
    same order, so that ``get_model_vars_dataframe`` gives the table Mesa's ``collect`` would.
    """

    def collect(self, model: OffensiveModel) -> None:
        """Append today's row (``model.daily_row``) to the model variables."""
        columns = self.model_vars
        for name, value in model.daily_row.items():
            columns[name].append(value)
