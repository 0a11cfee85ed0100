"""Config group ``belief`` (``SimConfig.belief``): each field's unit, range and source."""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.config.fields import param


@dataclass
class BeliefConfig:
    """The shared belief that the republic will survive (0 none, 1 certain).

    Salient events lower it: capitals lost, provincial deals, the leaders leaving, sieges of
    capitals, and the dated milestones of the US withdrawal (inputs from drivers.csv).
    """

    use_belief: bool = True
    initial: float = param(0.7, 0.0, 1.0, "belief", doc="on 1 May and the level it recovers to",
        source="assumption: no poll measured it on 1 May 2021; a republic doubted but expected to "
               "last (range 0.5 to 0.9)")
    # CALIBRATED: 0 (no recovery between shocks) kept the onset from hovering at the threshold
    rate_recovery: float = param(0.0, 0.0, 1.0, "share of gap to initial per day",
        source="assumption: no source; from a belief that only integrates its shocks (0) to half "
               "a shock fading in two weeks (range 0 to 0.05)")
    # CALIBRATED
    shock_capital: float = param(0.14, 0.0, 1.0, "belief per provincial capital lost",
        prior=(0.02, 0.15),
        source="assumption: no source; a capital lost costs from 2% to 15% of the belief (salient "
               "events move expectations of a regime's survival: Kuran, World Politics 44:1, 1991)")
    shock_deal: float = param(0.06, 0.0, 1.0, "belief per province-wide deal (on top)",
        source="assumption: no source; a province's deal costs up to a capital's shock again"
               " (range 0 to 0.1)")
    shock_milestone: float = param(0.05, 0.0, 1.0, "belief per withdrawal milestone",
        prior=(0.0, 0.1),
        source="assumption: no source; each withdrawal milestone costs from none to 10% of the "
               "belief")
    milestone_dates: list[str] = field(
        default_factory=lambda: ["2021-05-13", "2021-07-02", "2021-07-20"],
        metadata={"unit": "ISO dates", "dates": True,
                  "source": "drivers.csv: Kandahar Airfield handed over, Bagram vacated, "
                            "withdrawal over 95% complete",
                  "doc": "dated inputs: each lowers the belief by shock_milestone"})
    # CALIBRATED
    rate_siege: float = param(0.005, 0.0, 1.0, "belief per day at all capitals besieged",
                              doc="national: sieges of capitals were national news for weeks",
        prior=(0.0, 0.05),
        source="assumption: no source; sieges of every capital at once cost from none to 5% a day")
    use_ties: bool = field(default=True, metadata={
        "doc": "news travels along ties with delays (false: one national belief, every event "
               "reaching every province at once and whole)"})
    days_neighbour: int = param(1, 0, 30, "days",
        doc="delay of news from a neighbouring province",
        source="assumption: word of a fall reached adjacent provinces by phone within a day or "
               "two (reporting of the period); no source measures it",
        prior=(0, 3))
    days_corps: int = param(2, 0, 30, "days",
        doc="delay of news from a province of the same corps area (the army's regional chain)",
        source="assumption: the corps' own reporting chain, a little slower than neighbours",
        prior=(0, 5))
    days_far: int = param(3, 0, 30, "days",
        doc="delay of news from a province with no tie (through the national media)",
        source="assumption: distant events become salient once reported nationally",
        prior=(1, 10))
    w_far: float = param(0.8, 0.0, 1.0, "share of the shock",
        doc="weight of news from a province with no tie",
        source="assumption: a distant fall matters less to a leadership than a neighbour's "
               "(Granovetter's thresholds act through local ties; Watts 2002)",
        prior=(0.1, 1.0))
