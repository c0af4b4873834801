"""The units-reporting column names the tree's own level and writes its counts as numbers.

A custom tree's column said "3 of 3 units" beside a total of "2 region units": it names
its reporting level as the tree does now ("3 of 3 school units", vi "3/3 đơn vị
school"). Its counts were printed raw: "3102/3321 xã" in a Vietnamese report of the
whole country, where every other count reads "3.321".
"""

from __future__ import annotations

import pytest

import learnsoc as ls
from learnsoc.report._completeness import reporting_cell
from learnsoc.report.results import results


def test_a_custom_trees_reporting_level_is_named_as_the_tree_names_it() -> None:
    tree = ls.Hierarchy.from_units(
        {"code": ["N", "S", "a", "b", "c"], "level": ["region"] * 2 + ["school"] * 3,
         "parent_code": [None, None, "N", "N", "S"]},
        levels=["region", "school"],
    )  # fmt: skip
    roll = ls.rollup_counts(
        {"unit_code": ["a", "b"], "families": [10, 20], "learning_families": [4, 18]}, tree
    )
    res = results(roll, ["learning_families"])
    # By hand: region N has its 2 schools reporting, S none of its 1; the total 2 of 3.
    cols = res.columns
    total = cols["level"].tolist().index("total")
    assert (cols["units_reporting"][total], cols["units_expected"][total]) == (2, 3)
    en, vi = res.to_text("en"), res.to_text("vi")
    assert "2 of 3 school units" in en and "2 of 2 school units" in en
    assert "2/3 đơn vị school" in vi
    assert "of 3 units" not in en


@pytest.mark.parametrize(
    ("locale", "said"),
    [("vi", "3.102/3.321 xã"), ("en", "3,102 of 3,321 communes")],
)
def test_thousands_of_communes_reporting_are_written_as_numbers(locale: str, said: str) -> None:
    assert reporting_cell("commune", 3102, 3321, locale) == said


def test_a_unit_without_a_name_is_named_by_its_code_once() -> None:
    """A units table without names: the unit reads "02", not "02 (02)"; names still show."""
    tree = ls.Hierarchy.from_units(
        {"code": ["02", "04"], "name": ["02", "Cao Bằng"], "level": ["province"] * 2,
         "parent_code": [None, None]},
        levels=["province"],
    )  # fmt: skip
    roll = ls.rollup_counts(
        {"unit_code": ["02", "04"], "families": [10, 5], "learning_families": [4, 5]}, tree
    )
    res = results(roll, ["learning_families"])
    for locale in ("en", "vi"):
        lines = res.to_text(locale).splitlines()
        assert any(line.startswith("02  ") for line in lines)
        assert not any("02 (02)" in line for line in lines)
        assert any(line.startswith("Cao Bằng (04)") for line in lines)
        assert "<td>02</td>" in res.to_html(locale)
