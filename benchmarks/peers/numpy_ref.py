"""Plain numpy: one ``np.bincount`` per counter. The reference every other tool must equal.

Written the obvious way, with no packing of counters and no use of the row order, so it is
easy to check by eye and is the same code for sorted and shuffled input.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from benchmarks.peers.measure import Timer
from benchmarks.peers.workload import (
    COUNTERS,
    HOUSEHOLD_COUNTERS,
    LEVELS,
    Population,
    Result,
    rates_from_counts,
)

__all__ = ["NAME", "describe", "run"]

NAME = "numpy"

_Counts = npt.NDArray[np.int64]


def describe() -> str:
    """Return the version line shown in the table."""
    return f"numpy {np.__version__}"


def _count(ids: npt.NDArray[np.intp], mask: npt.NDArray[Any] | None, n: int) -> _Counts:
    if mask is None:
        return np.bincount(ids, minlength=n).astype(np.int64)
    # Weighted bincount sums in float64: exact for counts below 2**53.
    return np.bincount(ids, weights=mask, minlength=n).astype(np.int64)


def _roll(ids: npt.NDArray[np.intp], counts: dict[str, _Counts], n: int) -> dict[str, _Counts]:
    return {
        name: np.bincount(ids, weights=c, minlength=n).astype(np.int64)
        for name, c in counts.items()
    }


def run(data: Population) -> Result:
    """Run steps (a) to (d) with plain numpy and return the timed result."""
    timer = Timer()
    with timer.step("load"):
        household = np.asarray(data["household"], dtype=np.intp)
        village = np.asarray(data["village"], dtype=np.intp)
        commune = np.asarray(data["commune"], dtype=np.intp)
        district = np.asarray(data["district"], dtype=np.intp)
        province = np.asarray(data["province"], dtype=np.intp)
        n_households, n_villages = len(village), len(commune)
        n_communes, n_districts, n_provinces = len(district), len(province), len(data["nation"])

    age = data["age"]
    with timer.step("a"):
        learning_citizen = (
            (age >= 15)
            & (data["literate"] == 1)
            & ((data["learning_hours"] >= 40) | (data["qualification"] >= 3))
            & (data["digital_skills"] == 1)
        )

    with timer.step("b"):
        adult = age >= 15
        aged_15_60 = adult & (age <= 60)
        out_of_school = (age >= 6) & (age <= 17) & (data["in_school"] == 0)
        per_household = {
            "persons": _count(household, None, n_households),
            "adults": _count(household, adult, n_households),
            "learning_citizens": _count(household, learning_citizen, n_households),
            "literate_15_60": _count(household, aged_15_60 & (data["literate"] == 1), n_households),
            "persons_15_60": _count(household, aged_15_60, n_households),
        }
        adults = per_household["adults"]
        learning_family = (
            (_count(household, out_of_school, n_households) == 0)
            & (adults >= 1)
            & (2 * per_household["learning_citizens"] >= adults)
        )

    with timer.step("c"):
        per_village = _roll(
            village,
            {
                "persons": per_household["persons"],
                "learning_citizens": per_household["learning_citizens"],
                "literate_15_60": per_household["literate_15_60"],
                "persons_15_60": per_household["persons_15_60"],
                "learning_families": learning_family.astype(np.int64),
            },
            n_villages,
        )
        per_village["households"] = _count(village, None, n_villages)
        households = per_village["households"]
        learning_village = (households > 0) & (
            10 * per_village["learning_families"] >= 7 * households
        )

    with timer.step("d"):
        per_village["villages"] = np.ones(n_villages, dtype=np.int64)
        per_village["learning_villages"] = learning_village.astype(np.int64)
        per_commune = _roll(commune, per_village, n_communes)
        per_district = _roll(district, per_commune, n_districts)
        per_province = _roll(province, per_district, n_provinces)
        per_nation = {name: np.array([c.sum()], dtype=np.int64) for name, c in per_province.items()}
        levels = {
            "commune": per_commune,
            "district": per_district,
            "province": per_province,
            "nation": per_nation,
        }
        levels = {level: {name: levels[level][name] for name in COUNTERS} for level in LEVELS}
        rates = {level: rates_from_counts(counters) for level, counters in levels.items()}

    return Result(
        learning_family=learning_family,
        household_counts={name: per_household[name] for name in HOUSEHOLD_COUNTERS},
        learning_village=learning_village,
        levels=levels,
        rates=rates,
        timings=timer.seconds,
        peak_rss=timer.peak_rss,
        notes=("one bincount per counter (float64 weights)",),
    )
