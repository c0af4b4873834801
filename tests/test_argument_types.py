"""Swapped arguments of the entry points: a TypeError naming the parameter, not deep inside.

``ls.read_inputs(path, pop, book)`` said "'Population' object has no attribute
'inputs'"; ``ls.evaluate(book, pop, ...)``, ``ls.rollup(book, ...)``,
``ls.rollup_counts(table, pop)`` and ``ls.progress(targets, roll)`` failed alike
(``AttributeError``, ``IndexError``). Each now says which parameter must be what, how to
get one, and what it was given, in English and Vietnamese, before reading anything.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import learnsoc as ls
from learnsoc.errors import ArgumentTypeError

POP = ls.synthetic_population(persons=200, seed=3)
BOOK = ls.load_rulebook("example")
TARGETS = ls.load_targets("vn-677-qd-ttg")
ROLL = ls.rollup(POP, ls.standard_measures(POP))
COUNTS: dict[str, Any] = {"unit_code": POP.hierarchy.codes_at("village")[:1], "families": [3]}
NOWHERE = Path("no_such_folder") / "thon.csv"  # never opened: refused before


def wrong(value: object) -> Any:
    """The value, of any type for mypy: these calls are wrong on purpose."""
    return value


GET_POPULATION = (
    "a Population (learnsoc.read_population(...) or learnsoc.Population.from_columns(...))"
)
CASES: list[tuple[str, Callable[[], Any], str, str]] = [
    (
        "read_inputs swapped",
        lambda: ls.read_inputs(NOWHERE, wrong(POP), wrong(BOOK)),
        "rulebook",
        "rulebook must be a Rulebook (learnsoc.load_rulebook(...)); got a Population",
    ),
    (
        "read_inputs population",
        lambda: ls.read_inputs(NOWHERE, BOOK, wrong(ROLL)),
        "population",
        f"population must be {GET_POPULATION}; got a Rollup",
    ),
    (
        "evaluate swapped",
        lambda: ls.evaluate(wrong(BOOK), wrong(POP), "2025-12-31"),
        "pop",
        f"pop must be {GET_POPULATION}; got a Rulebook",
    ),
    (
        "evaluate book",
        lambda: ls.evaluate(POP, wrong(TARGETS), "2025-12-31"),
        "book",
        "book must be a Rulebook (learnsoc.load_rulebook(...)) or a bundled rulebook's "
        "name ('vn-national'); got a TargetSet",
    ),
    (
        "rollup",
        lambda: ls.rollup(wrong(BOOK), ls.standard_measures(POP)),
        "pop",
        f"pop must be {GET_POPULATION}; got a Rulebook",
    ),
    (
        "rollup_counts",
        lambda: ls.rollup_counts(COUNTS, wrong(POP)),
        "hierarchy",
        "hierarchy must be a Hierarchy (learnsoc.io.read_units(...) or "
        "learnsoc.Hierarchy.from_units(...)); got a Population",
    ),
    (
        "progress swapped",
        lambda: ls.progress(wrong(TARGETS), wrong(ROLL)),
        "roll",
        "roll must be a Rollup (learnsoc.rollup(...) or learnsoc.rollup_counts(...)), or "
        "rollups by year (a mapping of year to Rollup, or (year, Rollup) pairs); got a "
        "TargetSet",
    ),
    (
        "progress targets",
        lambda: ls.progress(ROLL, wrong("vn-677-qd-ttg")),
        "targets",
        "targets must be a TargetSet (learnsoc.load_targets(...)); got a str",
    ),
]


@pytest.mark.parametrize(
    ("call", "parameter", "said"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_a_wrong_argument_is_named(call: Callable[[], Any], parameter: str, said: str) -> None:
    with pytest.raises(ArgumentTypeError) as got:
        call()
    assert isinstance(got.value, TypeError)  # as Python's own for a wrong argument
    assert got.value.parameter == parameter
    assert got.value.english() == said
    vi = got.value.localized("vi")
    assert vi.startswith(f"{parameter} phải là ") and "; nhận được " in vi


def test_the_right_arguments_still_work() -> None:
    """The checks let every kind of argument the functions take through."""
    with pytest.warns(ls.LearnsocWarning, match="no data for"):  # the sheets not read
        ev = ls.evaluate(POP, "example", "2025-12-31")  # a bundled rulebook's name
    assert len(ev.titles("person")) == POP.n_persons
    roll = ls.rollup_counts(COUNTS, POP.hierarchy)
    assert int(roll.unit(COUNTS["unit_code"][0])["families"]) == 3
    years = ls.progress({2026: ROLL, 2027: ROLL}, TARGETS)
    pairs = ls.progress([(2026, ROLL), (2027, ROLL)], TARGETS)
    assert years.observed_years == pairs.observed_years == (2026, 2027)
