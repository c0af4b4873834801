"""A rollup's HTML rate cell says what it is a rate of, as the reports' cells do.

It printed "68.6% (24/35)": a reader who copied the cell lost what 35 counted (the
heading had it). Now "68.6% (24 / 35 families)", "68,6% (24 / 35 gia đình)".
"""

from __future__ import annotations

import html
import re

import pytest

import learnsoc as ls
from learnsoc.targets.indicators import INDICATORS
from learnsoc.vocabulary import COUNT_NOUNS, DENOMINATOR_NOUNS


def _roll() -> ls.Rollup:
    tree = ls.Hierarchy.from_units(
        {"code": ["01"], "name": ["Hà Nội"], "level": ["province"], "parent_code": [None]},
        levels=["province"],
    )
    return ls.rollup_counts(
        {"unit_code": ["01"], "families": [35], "learning_families": [24],
         "clans": [1], "learning_clans": [1], "my_den": [3], "my_num": [2]},
        tree,
        rates={"share": ("learning_families", "families"),
               "clan_share": ("learning_clans", "clans"), "own": ("my_num", "my_den")},
    )  # fmt: skip


def _cells(page: str) -> list[str]:
    row = page.split("<tbody><tr>", 1)[1].split("</tr>", 1)[0]
    return [html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", row)]


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", ["68.6% (24 / 35 families)", "100.0% (1 / 1 clan)", "66.7% (2 / 3 my_den)"]),
        ("vi", ["68,6% (24 / 35 gia đình)", "100,0% (1 / 1 dòng họ)", "66,7% (2 / 3 my_den)"]),
    ],
)
def test_each_rate_cell_names_its_denominator(locale: str, expected: list[str]) -> None:
    """Families and clans by their noun (one clan in English), a user's measure by its id."""
    assert _cells(_roll().to_html(locale))[-3:] == expected


@pytest.mark.parametrize("locale", ["en", "vi"])
def test_the_cell_says_the_counts_as_the_results_table_does(locale: str) -> None:
    """The counts of the HTML cell are those the text report prints for the same rate."""
    roll = _roll()
    text = ls.results(roll, ["learning_families"]).report(locale=locale).to_text()
    counts = {"en": "24 / 35 families", "vi": "24 / 35 gia đình"}[locale]
    assert counts in text
    assert f"({counts})" in _cells(roll.to_html(locale))[-3]


def test_the_standard_indicators_name_their_denominators_as_the_vocabulary_does() -> None:
    """One noun per denominator measure: the indicators' and the rollup's agree."""
    for ind in INDICATORS.values():
        assert DENOMINATOR_NOUNS[ind.denominator] == ind.denominator_label, ind.id
    # Every noun with a singular is one the catalogs count with.
    assert set(DENOMINATOR_NOUNS.values()) - set(COUNT_NOUNS) == {
        "adults in learning families, clans and communities",
        "workers in learning families, clans and communities",
        "staff of learning units",
        "dedicated IT-security staff",
    }
