"""Benchmark: the rules engine against the hand-written kernel path (issue 4's goal).

Steps (a)-(c) of the reference workload (learning citizen, learning family, learning
village) written once as a rulebook and evaluated by ``ls.evaluate``, and once by hand
with learnsoc's kernels. The verdicts must be equal; the engine should cost at most 1.5x
the hand-written path. Also times the bundled ``vn-national`` rulebook (every title)::

    python -m benchmarks.engine --persons 1e7 --repeat 7
    python -m benchmarks.engine --smoke
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

import learnsoc as ls
from learnsoc.aggregate import Groups, Partial, group_counts
from learnsoc.rules.rulebook import parse_rulebook
from learnsoc.synth import synthetic_inputs

RESULTS = Path(__file__).resolve().parent / "results"

WORKLOAD = """
[rulebook]
id = "benchmark"
name = { vi = "Bộ tiêu chí đo hiệu năng", en = "benchmark workload" }
issuer = "learnsoc"
version = "1"
effective_from = 2016-01-01

[titles.learning_citizen]
level = "person"
label = { vi = "công dân học tập", en = "learning citizen" }
[[titles.learning_citizen.versions]]
effective_from = 2016-01-01
[[titles.learning_citizen.versions.criteria]]
id = "citizen"
label = { vi = "công dân", en = "citizen" }
expr = "age >= 15 and literate and (learning_hours >= 40 or qualification >= 3) and digital_skills"

[titles.learning_family]
level = "household"
label = { vi = "gia đình học tập", en = "learning family" }
[[titles.learning_family.versions]]
effective_from = 2016-01-01
[[titles.learning_family.versions.criteria]]
id = "school"
label = { vi = "trẻ em đi học", en = "children in school" }
expr = "all(members.in_school, where=members.age.between(6, 17))"
on_empty = "pass"
[[titles.learning_family.versions.criteria]]
id = "adult"
label = { vi = "có người lớn", en = "an adult" }
expr = "count(members, where=members.age >= 15) >= 1"
[[titles.learning_family.versions.criteria]]
id = "share"
label = { vi = "tỷ lệ", en = "share" }
expr = "share(members.learning_citizen, where=members.age >= 15) >= 0.5"

[titles.learning_village]
level = "village"
label = { vi = "thôn học tập", en = "learning village" }
[[titles.learning_village.versions]]
effective_from = 2016-01-01
[[titles.learning_village.versions.criteria]]
id = "share"
label = { vi = "tỷ lệ", en = "share" }
expr = "share(households.learning_family) >= 0.7"
"""


def by_hand(pop: ls.Population) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Steps (a)-(c) with the kernels, as benchmarks/peers/learnsoc_impl.py does them."""
    p = pop.person_columns
    age = p["age"]
    literate, digital = p["literate"], p["digital_skills"]  # 255: not recorded
    # Three-valued, as the engine decides: a citizen is unknown when a missing value could
    # still make the answer yes; shares skip unknown members (docs: the rule language).
    refused = (
        (age < 15)
        | (literate == 0)
        | ~((p["learning_hours"] >= 40) | (p["qualification"] >= 3))
        | (digital == 0)
    )
    citizen = ~refused & (literate == 1) & (digital == 1)
    decided = refused | citizen
    households = Groups.from_codes(pop.person_household, pop.n_households)
    adult = age >= 15
    school_age = (age >= 6) & (age <= 17)
    # all() and share() skip members whose value is not recorded; a group with members to
    # count but none recorded is unknown, so not granted.
    school_known = school_age & (p["in_school"] != 255)
    out_of_school = school_age & (p["in_school"] == 0)
    counted = group_counts(
        households,
        [adult, citizen & adult, decided & adult, out_of_school, school_age, school_known],
    )
    adults, citizens, decided_adults, out, school, recorded = counted
    school_ok = (out == 0) & ((school == 0) | (recorded > 0))
    family = school_ok & (adults >= 1) & (decided_adults > 0) & (2 * citizens >= decided_adults)
    villages = Groups.from_codes(
        pop.household_unit, pop.hierarchy.n_units(pop.hierarchy.leaf_level)
    )
    part = Partial(
        n_groups=pop.n_households,
        sums={
            "families": family.astype(np.int64),
            "households": np.ones(pop.n_households, np.int64),
        },
    ).coarsen(villages)
    c = part.sums
    village = (c["households"] > 0) & (10 * c["families"] >= 7 * c["households"])
    return citizen, family, village


def _best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def run(n: int, repeat: int) -> dict[str, Any]:
    """Time both paths on n synthetic persons and check their verdicts are equal."""
    pop = ls.synthetic_population(persons=n, seed=0, hierarchy="vn-pre-2025")
    book = parse_rulebook(WORKLOAD)
    national = ls.load_rulebook("vn-national")
    inputs = synthetic_inputs(pop, national, seed=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ls.RulebookWarning)
        t_hand, hand = _best(lambda: by_hand(pop), repeat)
        t_fast, ev = _best(lambda: ls.evaluate(pop, book, "2025-01-01", trace=False), repeat)
        t_trace, _ = _best(lambda: ls.evaluate(pop, book, "2025-01-01"), repeat)
        t_nat, _ = _best(lambda: ls.evaluate(pop, national, "2025-06-30", inputs=inputs), repeat)
    citizen = ev.titles("learning_citizen")
    if not np.array_equal(citizen, hand[0]):
        msg = "engine and hand-written learning citizens differ"
        raise AssertionError(msg)
    family = ev.titles("learning_family")
    if not np.array_equal(family, hand[1]):
        msg = "engine and hand-written learning families differ"
        raise AssertionError(msg)
    village = ev.titles("learning_village")
    if not np.array_equal(village, hand[2]):
        msg = "engine and hand-written learning villages differ"
        raise AssertionError(msg)
    return {
        "persons": n,
        "hand_ms": 1000 * t_hand,
        "engine_ms": 1000 * t_fast,
        "engine_trace_ms": 1000 * t_trace,
        "ratio": t_fast / t_hand,
        "ratio_trace": t_trace / t_hand,
        "vn_national_ms": 1000 * t_nat,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", default="1e7")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--smoke", action="store_true", help="small size, one run: for CI")
    args = parser.parse_args(argv)
    n = 20_000 if args.smoke else int(float(args.persons))
    row = run(n, 1 if args.smoke else args.repeat)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / ("engine-smoke.json" if args.smoke else "engine.json")).write_text(
        json.dumps(row, indent=2)
    )
    print(
        "| persons | hand-written kernels (ms) | engine (ms) | engine with traces (ms) "
        "| engine / hand | vn-national, every title (ms) |\n|---:|---:|---:|---:|---:|---:|\n"
        f"| {n:,} | {row['hand_ms']:.1f} | {row['engine_ms']:.1f} | {row['engine_trace_ms']:.1f} "
        f"| {row['ratio']:.2f} ({row['ratio_trace']:.2f} with traces) "
        f"| {row['vn_national_ms']:.1f} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
