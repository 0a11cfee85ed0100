"""Config group ``taliban`` (``SimConfig.taliban``): each field's unit, range and source."""

from __future__ import annotations

from dataclasses import dataclass

from sim.config.fields import param


@dataclass
class TalibanConfig:
    """Taliban recruitment, prisoners freed, and captured equipment."""

    # CALIBRATED (as 3.476e-05 a resident a day before the pool was bounded: the same day-0 rate)
    rate_recruit: float = param(3.0e-03, 0.0, 1.0, "share of the remaining pool per day",
                                doc="recruits a Taliban-held district raises each day",
        prior=(0.0, 5e-03),
        source="assumption: no source gives a daily rate; from none to half a per cent of the "
               "remaining pool a day")
    frac_fighting_age: float = param(0.23, 0.0, 1.0, "share of residents",
        doc="men of fighting age (15-49)",
        source="CSO Afghanistan population estimates 2020-21: about 47% aged 15-49, half of them "
               "men")
    frac_willing: float = param(0.05, 0.0, 1.0, "share of fighting-age men, times support",
        doc="the most a district's supportive fighting-age men would ever give the movement",
        source="assumption: 60,000-100,000 fighters (UN) of some 7 million fighting-age men is "
               "1-1.5%; the pool allows a few times that where support is full",
        prior=(0.01, 0.1))
    frac_support_pashtun: float = param(1.0, 0.0, 1.0, "share",
        source="assumption: the movement's base is Pashtun (Giustozzi 2019); full support is the "
               "scale's top (range 0.5 to 1)")
    frac_support_other: float = param(0.3, 0.0, 1.0, "share",
        source="assumption: the movement recruited non-Pashtuns in the north (Giustozzi 2019), less;"
               " no source gives a share (range 0.05 to 0.6)")
    n_prisoners: int = param(15_000, 0, 100_000, "prisoners",
                             source="forces.md: thousands freed from captured prisons in August",
                             doc="held in the prisons of sim/data/prisons.csv, by capacity")
    frac_prisoners_join: float = param(0.5, 0.0, 1.0, "share",
                                       doc="freed prisoners who take up arms (assumed)",
        prior=(0.2, 0.8),
        source="assumption: no source; from a fifth to four fifths of those freed")
    crew_per_item: float = param(4.0, 0.1, 100.0, "fighters per item",
                                 doc="crew a captured vehicle or heavy weapon needs",
        source="assumption: a Humvee or light truck needs a few men, a D-30 howitzer a crew of about"
               " six; from 2 to 8 (range 2 to 8)")
    fire_per_item: float = param(2.0, 0.0, 100.0, "fighter-equivalents per crewed item",
        source="assumption: no source; a crewed vehicle or gun adds from half a fighter's to five "
               "fighters' fire (range 0.5 to 5)")
