"""Looking things up in a loaded rulebook: titles, criteria, derived variables, dates."""

from __future__ import annotations

import datetime as dt

import pytest

import learnsoc as ls
from learnsoc.errors import LearnsocError, RulebookError
from learnsoc.rules.rulebook import Clause, as_date


@pytest.fixture(scope="module")
def book() -> ls.Rulebook:
    return ls.load_rulebook("example")


def test_a_title_by_id_and_a_misspelt_one(book: ls.Rulebook) -> None:
    assert book.title("learning_family").level == "household"
    with pytest.raises(RulebookError, match="has no title 'learning_famly'; did you mean"):
        book.title("learning_famly")


def test_titles_of_a_level(book: ls.Rulebook) -> None:
    assert [t.id for t in book.titles_at("household")] == ["learning_family"]
    assert book.titles_at("organisation") == tuple(
        t for t in book.titles if t.level == "organisation"
    )


def test_a_criterion_of_the_version_in_force(book: ls.Rulebook) -> None:
    """2019 is under the 2016 version (three criteria); 2022 under the 2021 one."""
    title = book.title("learning_family")
    old, _ = title.version_at(dt.date(2019, 6, 1))
    new, _ = title.version_at(dt.date(2022, 6, 1))
    assert [c.id for c in old.criteria] == [
        "children_in_school",
        "children_results",
        "adults_literate",
    ]
    assert old.criterion("children_results").clause == Clause(
        "Tiêu chí 1, mục 2", "Criterion 1, item 2"
    )
    assert new.criterion("adults_learning_citizens").on_empty == "fail"
    with pytest.raises(RulebookError, match="no criterion 'children_results' in this version"):
        new.criterion("children_results")


def test_a_derived_variable_by_level_and_name(book: ls.Rulebook) -> None:
    assert book.derived_variable("person", "adult").expr == (
        "age.between(adult_min_age, adult_max_age)"
    )
    with pytest.raises(RulebookError, match="no derived variable 'adult' at level 'household'"):
        book.derived_variable("household", "adult")


def test_the_repr_names_id_version_and_counts(book: ls.Rulebook) -> None:
    text = repr(book)
    assert text.startswith("Rulebook('example', version '2025.1': ")
    assert f"{len(book.titles)} titles" in text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-12-31", dt.date(2025, 12, 31)),
        ("31/12/2025", dt.date(2025, 12, 31)),  # as agencies write it, as the CLI reads it
        ("1/7/2025", dt.date(2025, 7, 1)),
        (dt.date(2025, 1, 2), dt.date(2025, 1, 2)),
        (dt.datetime(2025, 1, 2, 23, 59), dt.date(2025, 1, 2)),
    ],
)
def test_as_of_dates(value: object, expected: dt.date) -> None:
    assert as_date(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (
            "12/31/2025",
            "as_of must be a date such as '2025-12-31' or '31/12/2025', not '12/31/2025'",
        ),
        (20251231, "as_of must be a date or an ISO date string, not int"),
    ],
)
def test_as_of_that_is_not_a_date(value: object, message: str) -> None:
    with pytest.raises(LearnsocError, match=message.replace("(", r"\(")):
        as_date(value)
