"""pandas: boolean columns, one ``groupby(...).sum()`` per level on categorical unit codes.

Written as a pandas expert would: a numpy-backed persons frame, flag columns, and one
``groupby`` per level that sums every counter at once. The key of each ``groupby`` is a
categorical made from the unit ids as codes (``Categorical.from_codes`` over the unit
table's range): pandas then groups by the codes without hashing them, and
``observed=False`` returns every unit of the level in unit order, the empty ones with zero
counts, so no ``reindex`` is needed. ``load`` builds the frames from the numpy columns
(pandas copies them into its own blocks).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from benchmarks.peers.measure import Timer
from benchmarks.peers.workload import (
    COUNTERS,
    HOUSEHOLD_COUNTERS,
    LEVELS,
    PERSON_COLUMNS,
    RATES,
    Population,
    Result,
    as_counts,
)

__all__ = ["NAME", "describe", "run"]

NAME = "pandas"


def describe() -> str:
    """Return the version line shown in the table."""
    return f"pandas {pd.__version__}"


def _units(parent: Any, n: int, name: str) -> pd.DataFrame:
    return pd.DataFrame({name: parent}, index=pd.RangeIndex(n, name="unit"))


def _key(codes: Any, n_units: int) -> pd.Categorical:
    # Unit ids are row numbers of the unit table: they are the codes of a categorical.
    return pd.Categorical.from_codes(codes, categories=pd.RangeIndex(n_units))


def _with_rates(frame: pd.DataFrame) -> pd.DataFrame:
    for rate, (numerator, denominator) in RATES.items():
        frame[f"rate_{rate}"] = frame[numerator] / frame[denominator]
    return frame


def run(data: Population) -> Result:
    """Run steps (a) to (d) with pandas and return the timed result."""
    timer = Timer()
    with timer.step("load"):
        persons = pd.DataFrame({name: data[name] for name in PERSON_COLUMNS})
        households = _units(data["village"], len(data["village"]), "village")
        villages = _units(data["commune"], len(data["commune"]), "commune")
        communes = _units(data["district"], len(data["district"]), "district")
        districts = _units(data["province"], len(data["province"]), "province")
        provinces = _units(data["nation"], len(data["nation"]), "nation")

    with timer.step("a"):
        persons["learning_citizen"] = (
            (persons["age"] >= 15)
            & (persons["literate"] == 1)
            & ((persons["learning_hours"] >= 40) | (persons["qualification"] >= 3))
            & (persons["digital_skills"] == 1)
        )

    with timer.step("b"):
        age = persons["age"]
        flags = pd.DataFrame(
            {
                "household": persons["household"],
                "persons": 1,
                "adults": age >= 15,
                "learning_citizens": persons["learning_citizen"],
                "literate_15_60": age.between(15, 60) & (persons["literate"] == 1),
                "persons_15_60": age.between(15, 60),
                "out_of_school": age.between(6, 17) & (persons["in_school"] == 0),
            }
        )
        key = _key(flags.pop("household"), len(households))
        hh = flags.groupby(key, observed=False).sum()
        hh["learning_family"] = (
            (hh["out_of_school"] == 0)
            & (hh["adults"] >= 1)
            & (2 * hh["learning_citizens"] >= hh["adults"])
        )

    with timer.step("c"):
        village = (
            hh[["persons", "learning_citizens", "literate_15_60", "persons_15_60"]]
            .assign(households=1, learning_families=hh["learning_family"])
            .groupby(_key(households["village"], len(villages)), observed=False)
            .sum()
        )
        village["learning_village"] = (village["households"] > 0) & (
            10 * village["learning_families"] >= 7 * village["households"]
        )

    with timer.step("d"):
        village["villages"] = 1
        village["learning_villages"] = village["learning_village"]
        tables: dict[str, pd.DataFrame] = {}
        below = village[list(COUNTERS)]
        for level, units, parents in (
            ("commune", villages, communes),
            ("district", communes, districts),
            ("province", districts, provinces),
        ):
            below = below.groupby(_key(units[level], len(parents)), observed=False).sum()
            tables[level] = below
        tables["nation"] = below.sum().to_frame().T
        for table in tables.values():
            _with_rates(table)

    return Result(
        learning_family=hh["learning_family"].to_numpy(dtype=np.bool_),
        household_counts={name: as_counts(hh[name].to_numpy()) for name in HOUSEHOLD_COUNTERS},
        learning_village=village["learning_village"].to_numpy(dtype=np.bool_),
        levels={
            level: {name: as_counts(tables[level][name].to_numpy()) for name in COUNTERS}
            for level in LEVELS
        },
        rates={
            level: {
                rate: tables[level][f"rate_{rate}"].to_numpy(dtype=np.float64) for rate in RATES
            }
            for level in LEVELS
        },
        timings=timer.seconds,
        peak_rss=timer.peak_rss,
        notes=("groupby(categorical codes, observed=False).sum() per level",),
    )
