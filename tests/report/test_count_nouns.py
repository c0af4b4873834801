"""Every count printed says what it counts, and one of them is one, not "1 residents"."""

from __future__ import annotations

import pytest

import learnsoc as ls
from learnsoc.report.results import results
from learnsoc.targets.indicators import INDICATORS
from tests.trees import two_level

TREE = two_level(
    {"02": ["00001", "00002"]}, {"02": "Hà Giang", "00001": "Xã Một", "00002": "Xã Hai"}
)


def _counts_cells(locale: str) -> dict[str, str]:
    """The counts cell of each commune's learning-citizen row: 1 of 1 and 1 of 2 residents."""
    roll = ls.rollup_counts(
        {"unit_code": ["00001", "00002"], "persons": [1, 2], "learning_citizens": [1, 1]}, TREE
    )
    res = results(roll, ["learning_citizens"], ["commune"])
    rows = [r for s in res.report(locale).sections for r in s.rows]
    return {r.cells[0]: r.cells[2] for r in rows}


def test_a_count_of_one_is_singular_in_english() -> None:
    """1 / 1 resident; 1 / 2 residents (the noun agrees with the denominator)."""
    cells = _counts_cells("en")
    assert cells == {"Xã Một (00001)": "1 / 1 resident", "Xã Hai (00002)": "1 / 2 residents"}


def test_vietnamese_has_one_form() -> None:
    cells = _counts_cells("vi")
    assert sorted(cells.values()) == ["1 / 1 người dân", "1 / 2 người dân"]


@pytest.mark.parametrize("locale", ["en", "vi"])
def test_every_standard_noun_has_both_forms_translated(locale: str) -> None:
    """Each indicator's noun for many is the plural it names elsewhere ("all residents")."""
    for ind in INDICATORS.values():
        if ind.denominator_noun is None:
            continue
        many = ind.counted("2 / 3", 3, locale)
        assert many == f"2 / 3 {ind.denominator_display(locale)}", ind.id
        one = ind.counted("1 / 1", 1, locale)
        assert one.startswith("1 / 1 ") and "{" not in one, ind.id
        if locale == "vi":
            assert one.removeprefix("1 / 1 ") == many.removeprefix("2 / 3 "), ind.id


@pytest.mark.parametrize(
    ("locale", "one", "many"),
    [
        ("en", "1 / 1 newly literate person", "2 / 3 newly literate persons"),
        ("vi", "1 / 1 người mới biết chữ", "2 / 3 người mới biết chữ"),
    ],
)
def test_the_newly_literate_are_counted_as_persons(locale: str, one: str, many: str) -> None:
    """ "55 / 60 mới biết chữ" had no noun in Vietnamese (an adjective, "newly literate")."""
    ind = INDICATORS["newly_literate_still_learning"]
    assert ind.counted("1 / 1", 1, locale) == one
    assert ind.counted("2 / 3", 3, locale) == many
