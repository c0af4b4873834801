"""Counts moved through a crosswalk that splits communes keep every part within its whole.

Apportioned one by one, 6 families split 0.28 / 0.11 / 0.13 / 0.48 by largest remainder gave
[2, 0, 1, 3] and 5 learning families [1, 1, 1, 2]: the second new commune had 1 learning
family of 0 families. Found by the reform review (session 17).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import learnsoc as ls
from learnsoc.targets import reexpress

LEVELS = ["province", "commune"]


def _tree(communes: list[str]) -> ls.Hierarchy:
    return ls.Hierarchy.from_units(
        {
            "code": ["P", *communes],
            "level": ["province"] + ["commune"] * len(communes),
            "parent_code": [None] + ["P"] * len(communes),
        },
        LEVELS,
    )


RATES: dict[str, tuple[str, str] | tuple[str, str, str]] = {
    "learning_families": ("learning_families", "families", "families_missing"),
    "registered": ("registered_families", "families"),
    "learning_of_registered": ("learning_families", "registered_families"),
}


def _moved(
    old_codes: list[str],
    new_codes: list[str],
    pairs: dict[str, Any],
    counts: dict[str, list[int]],
) -> dict[str, list[int]]:
    old, new = _tree(old_codes), _tree(new_codes)
    cw = ls.Crosswalk.from_pairs(old, new, pairs, level="commune")
    roll = ls.rollup_counts({"unit_code": old_codes, **counts}, old, rates=RATES)
    assert not roll.rejects
    moved, dropped = reexpress(roll, cw)
    assert dropped == ()
    at = moved.level("commune")
    return {name: at.counts[name].tolist() for name in counts}


def test_a_split_commune_gets_no_learning_family_without_a_family() -> None:
    """By hand: families [2, 0, 1, 3]; learning families 5 of 6 within them: [2, 0, 1, 2]."""
    got = _moved(
        ["C"],
        ["W", "X", "Y", "Z"],
        {
            "source_code": ["C"] * 4,
            "target_code": ["W", "X", "Y", "Z"],
            "weight": [0.28, 0.11, 0.13, 0.48],
        },
        {
            "families": [6],
            "families_missing": [0],
            "registered_families": [6],
            "learning_families": [5],
        },
    )
    assert got["families"] == [2, 0, 1, 3]
    assert got["learning_families"] == [2, 0, 1, 2]


@st.composite
def _reforms(
    draw: st.DrawFn,
) -> tuple[list[str], list[str], dict[str, Any], dict[str, list[int]]]:
    n_old = draw(st.integers(1, 5))
    n_new = draw(st.integers(1, 4))
    old_codes = [f"O{i}" for i in range(n_old)]
    new_codes = [f"N{i}" for i in range(n_new)]
    source, target, weight = [], [], []
    for code in old_codes:
        into = draw(st.lists(st.sampled_from(new_codes), min_size=1, max_size=3, unique=True))
        parts = draw(st.lists(st.integers(1, 9), min_size=len(into), max_size=len(into)))
        for t, p in zip(into, parts, strict=True):
            source.append(code)
            target.append(t)
            weight.append(p / sum(parts))
    counts: dict[str, list[int]] = {
        k: [] for k in ("families", "families_missing", "registered_families", "learning_families")
    }
    for _ in old_codes:
        families = draw(st.integers(0, 60))
        missing = draw(st.integers(0, families))
        registered = draw(st.integers(0, families))
        learning = draw(st.integers(0, min(families - missing, registered)))
        for k, v in zip(counts, (families, missing, registered, learning), strict=True):
            counts[k].append(v)
    return (
        old_codes,
        new_codes,
        {"source_code": source, "target_code": target, "weight": weight},
        counts,
    )


@settings(max_examples=150, deadline=None)
@given(_reforms())
def test_every_part_stays_within_its_whole_and_nothing_is_lost(
    case: tuple[list[str], list[str], dict[str, Any], dict[str, list[int]]],
) -> None:
    old_codes, new_codes, pairs, counts = case
    got = _moved(old_codes, new_codes, pairs, counts)
    for name, values in counts.items():
        assert sum(got[name]) == sum(values), name  # no count lost or invented
    families = np.array(got["families"])
    missing = np.array(got["families_missing"])
    registered = np.array(got["registered_families"])
    learning = np.array(got["learning_families"])
    assert (missing <= families).all()
    assert (registered <= families).all()
    assert (learning <= families).all()
    # Of its two wholes, the learning families are split within the tighter one.
    room = sum(counts["families"]) - sum(counts["families_missing"])
    if sum(counts["registered_families"]) < room:
        assert (learning <= registered).all()
    else:
        assert (learning <= families - missing).all()


def test_a_part_of_a_commune_that_sent_nothing_is_a_unit_not_reporting() -> None:
    """C (sent nothing) splits 0.28 / 0.72 into X and Y; D (sent) merges into Y.

    Apportioned, C's one expected unit went to Y alone: X read 0 reporting of 0 expected,
    complete, though its part of C is missing. Each new commune counts the old ones it
    takes a part of: X 0 of 1, Y 1 of 2 (by hand).
    """
    old, new = _tree(["C", "D"]), _tree(["X", "Y"])
    cw = ls.Crosswalk.from_pairs(
        old,
        new,
        {"source_code": ["C", "C", "D"], "target_code": ["X", "Y", "Y"], "weight": [0.28, 0.72, 1]},
        level="commune",
    )
    roll = ls.rollup_counts({"unit_code": ["D"], "families": [40]}, old)
    moved, _ = reexpress(roll, cw)
    at = moved.level("commune")
    assert at.counts["units_reporting"].tolist() == [0, 1]
    assert at.counts["units_expected"].tolist() == [1, 2]
    assert at.counts["families"].tolist() == [0, 40]
