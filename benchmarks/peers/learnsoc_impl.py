"""learnsoc: the hand-written path over learnsoc's kernels (the baseline of the table).

Groups are built straight from the index columns (no sort, for sorted and shuffled rows
alike); step (b) counts five person masks per household in one packed pass
(``group_counts``); steps (c) and (d) roll per-household counts up with
``Partial.coarsen``; rates come from summed counts (``Rate``), never averaged.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

import learnsoc
from benchmarks.peers.measure import Timer
from benchmarks.peers.workload import (
    COUNTERS,
    HOUSEHOLD_COUNTERS,
    LEVELS,
    RATES,
    Population,
    Result,
)
from learnsoc.aggregate import (
    Groups,
    Partial,
    Rate,
    group_counts,
    group_counts_blockwise,
    group_sum,
)

__all__ = ["NAME", "describe", "run"]

NAME = "learnsoc"


def describe() -> str:
    """Return the version line shown in the table."""
    return f"learnsoc {learnsoc.__version__} (numpy {np.__version__})"


def run(data: Population) -> Result:
    """Run steps (a) to (d) with learnsoc's kernels and return the timed result."""
    timer = Timer()
    # Building the groups (checking the codes, detecting sorted rows) is timed inside the
    # steps that use them, so nothing learnsoc needs is hidden in an untimed load.
    with timer.step("load"):
        n_households = len(data["village"])

    age, literate, hours = data["age"], data["literate"], data["learning_hours"]
    qualification, digital, in_school = (
        data["qualification"],
        data["digital_skills"],
        data["in_school"],
    )

    def masks(lo: int, hi: int) -> list[npt.NDArray[np.bool_]]:
        # Steps (a) and (b) for one block of persons: no mask ever exists for every
        # person at once.
        a = age[lo:hi]
        lit = literate[lo:hi] == 1
        adult = a >= 15
        citizen = (
            adult
            & lit
            & ((hours[lo:hi] >= 40) | (qualification[lo:hi] >= 3))
            & (digital[lo:hi] == 1)
        )
        aged_15_60 = adult & (a <= 60)
        out_of_school = (a >= 6) & (a <= 17) & (in_school[lo:hi] == 0)
        return [adult, citizen, aged_15_60 & lit, aged_15_60, out_of_school]

    with timer.step("a"):
        pass  # fused into (b): the person rule is evaluated block by block while counting

    with timer.step("b"):
        # Scatter needs no offsets: skip detecting sorted rows (24 MB per 3M households).
        households = Groups.from_codes(data["household"], n_households, detect_sorted=False)
        counted = group_counts_blockwise(households, masks, 5)
        per_household = {
            "persons": households.sizes(),  # counted already, for the counters' width
            "adults": counted[0],
            "learning_citizens": counted[1],
            "literate_15_60": counted[2],
            "persons_15_60": counted[3],
        }
        adults, everyone_in_school = counted[0], counted[4] == 0
        # The out-of-school counts are not returned: their row holds 2 x citizens.
        twice_citizens = np.multiply(counted[1], 2, out=counted[4])
        learning_family = everyone_in_school & (adults >= 1) & (twice_citizens >= adults)

    with timer.step("c"):
        villages = Groups.from_codes(data["village"], len(data["commune"]))
        counts = {
            name: group_sum(villages, per_household[name])
            for name in ("persons", "learning_citizens", "literate_15_60", "persons_15_60")
        }
        counts["learning_families"] = group_counts(villages, [learning_family])[0]
        counts["households"] = villages.sizes()
        learning_village = (counts["households"] > 0) & (
            10 * counts["learning_families"] >= 7 * counts["households"]
        )

    with timer.step("d"):
        parents = [
            Groups.from_codes(data["commune"], len(data["district"])),
            Groups.from_codes(data["district"], len(data["province"])),
            Groups.from_codes(data["province"], len(data["nation"])),
            Groups.from_codes(np.zeros(len(data["nation"]), np.intp), 1),
        ]
        n_villages = len(learning_village)
        level = Partial(
            n_groups=n_villages,
            sums={
                **counts,
                "villages": np.ones(n_villages, np.int64),
                "learning_villages": learning_village.astype(np.int64),
            },
        )
        levels = {}
        for name, up in zip(LEVELS, parents, strict=True):
            level = level.coarsen(up)
            levels[name] = {c: level.sums[c] for c in COUNTERS}
        rates = {
            name: {
                r: Rate(numerator=c[num], denominator=c[den]).value()
                for r, (num, den) in RATES.items()
            }
            for name, c in levels.items()
        }

    return Result(
        learning_family=learning_family,
        household_counts={name: per_household[name] for name in HOUSEHOLD_COUNTERS},
        learning_village=learning_village,
        levels=levels,
        rates=rates,
        timings=timer.seconds,
        peak_rss=timer.peak_rss,
        notes=("kernels: (a) fused into (b) block by block, packed counters, sums up the tree",),
    )
