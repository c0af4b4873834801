"""numpy-groupies: ``aggregate(group_idx, values, func, size=...)`` for every grouped step.

Uses ``"all"`` and ``"any"`` for the household conditions as a numpy-groupies user would, and
asks for int64 sums explicitly: summing a bool array otherwise comes back as int8, which wraps
past 127 members.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

import numpy as np
import numpy.typing as npt
import numpy_groupies as npg

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

NAME = "groupies"

_Counts = npt.NDArray[np.int64]


def describe() -> str:
    """Return the version line shown in the table."""
    return f"numpy-groupies {version('numpy-groupies')} (numpy backend)"


def _sum(ids: npt.NDArray[Any], values: Any, n: int) -> _Counts:
    return np.asarray(npg.aggregate(ids, values, "sum", size=n, dtype=np.int64), dtype=np.int64)


def run(data: Population) -> Result:
    """Run steps (a) to (d) with numpy-groupies and return the timed result."""
    timer = Timer()
    with timer.step("load"):
        household, village = data["household"], data["village"]
        n_households, n_villages = len(village), len(data["commune"])
        sizes = {
            "commune": len(data["district"]),
            "district": len(data["province"]),
            "province": len(data["nation"]),
        }

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
        school_ok = (data["in_school"] == 1) | (age < 6) | (age > 17)
        per_household = {
            "persons": _sum(household, 1, n_households),
            "adults": _sum(household, adult, n_households),
            "learning_citizens": _sum(household, learning_citizen, n_households),
            "literate_15_60": _sum(household, aged_15_60 & (data["literate"] == 1), n_households),
            "persons_15_60": _sum(household, aged_15_60, n_households),
        }
        all_in_school = np.asarray(
            npg.aggregate(household, school_ok, "all", size=n_households), dtype=np.bool_
        )
        any_adult = np.asarray(
            npg.aggregate(household, adult, "any", size=n_households), dtype=np.bool_
        )
        learning_family = (
            all_in_school
            & any_adult
            & (2 * per_household["learning_citizens"] >= per_household["adults"])
        )

    with timer.step("c"):
        per_village = {
            name: _sum(village, per_household[name], n_villages)
            for name in ("persons", "learning_citizens", "literate_15_60", "persons_15_60")
        }
        per_village["households"] = _sum(village, 1, n_villages)
        per_village["learning_families"] = _sum(village, learning_family, n_villages)
        households = per_village["households"]
        learning_village = (households > 0) & (
            10 * per_village["learning_families"] >= 7 * households
        )

    with timer.step("d"):
        per_village["villages"] = np.ones(n_villages, dtype=np.int64)
        per_village["learning_villages"] = learning_village.astype(np.int64)
        levels: dict[str, dict[str, _Counts]] = {}
        below = per_village
        for level in ("commune", "district", "province"):
            ids = data[level]
            below = {name: _sum(ids, below[name], sizes[level]) for name in COUNTERS}
            levels[level] = below
        levels["nation"] = {name: np.array([below[name].sum()]) for name in COUNTERS}
        rates = {level: rates_from_counts(levels[level]) for level in LEVELS}

    return Result(
        learning_family=np.asarray(learning_family, dtype=np.bool_),
        household_counts={name: per_household[name] for name in HOUSEHOLD_COUNTERS},
        learning_village=learning_village,
        levels={level: levels[level] for level in LEVELS},
        rates=rates,
        timings=timer.seconds,
        peak_rss=timer.peak_rss,
        notes=("aggregate(..., 'all' / 'any' / 'sum', dtype=int64)",),
    )
