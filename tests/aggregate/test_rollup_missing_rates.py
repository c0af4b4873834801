"""A rollup rate with a missing count has one meaning, and every output says it.

``rates={"s": ("learning_families", "families", "learning_families_missing")}`` over 35
families, 24 learning families and 3 families without data gave 24 / 35 = 68.6% and the
cell "68.6% (24 / 35 families, excluding 3 without data)" (35 does not exclude them),
while the results table of the same counts printed 24 / 32 = 75.00%. The denominator
measure counts every family; the rate is of those with data: 24 / (35 - 3) = 75%.
"""

from __future__ import annotations

import html
import re
import warnings
from fractions import Fraction
from pathlib import Path

import attrs
import numpy as np
import pytest

import learnsoc as ls
from learnsoc.aggregate import AggregateError
from learnsoc.io import read_counts, write_csv
from learnsoc.targets.indicators import INDICATORS
from tests.optional import needs

RATES = {"s": ("learning_families", "families", "learning_families_missing")}


def _tree() -> ls.Hierarchy:
    return ls.Hierarchy.from_units(
        {"code": ["01", "00001", "00004"], "name": ["Hà Nội", "Xã A", "Xã B"],
         "level": ["province", "commune", "commune"], "parent_code": [None, "01", "01"]},
        levels=["province", "commune"],
    )  # fmt: skip


def _roll() -> ls.Rollup:
    # Two communes: 20 families (14 learning, 1 without data), 15 (10 learning, 2 without).
    return ls.rollup_counts(
        {"unit_code": ["00001", "00004"], "families": [20, 15],
         "learning_families": [14, 10], "learning_families_missing": [1, 2]},
        _tree(),
        rates=RATES,
    )  # fmt: skip


def _cells(page: str, row: int) -> list[str]:
    rows = page.split("<tbody>", 1)[1].split("</tr>")
    return [html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", rows[row])]


def test_the_rate_is_of_the_families_with_data() -> None:
    """24 / (35 - 3) = 3/4 at the province; 14 / 19 and 10 / 13 at the communes."""
    rate = _roll().rate("s")
    assert rate.numerator.tolist() == [24, 14, 10, 24]
    assert rate.denominator.tolist() == [35 - 3, 20 - 1, 15 - 2, 35 - 3]
    assert rate.missing.tolist() == [3, 1, 2, 3]
    expected = [Fraction(24, 32), Fraction(14, 19), Fraction(10, 13), Fraction(24, 32)]
    assert rate.value().tolist() == [float(f) for f in expected]


def test_the_columns_and_the_row_give_the_same_value() -> None:
    roll = _roll()
    columns = roll.to_columns()
    assert columns["s"].tolist()[0] == 0.75
    assert columns["s_status"].tolist() == ["ok"] * 4
    assert roll.unit("01")["s"] == 0.75
    # The counts are written as counted: the denominator measure keeps every family.
    assert columns["families"].tolist()[0] == 35


@pytest.mark.parametrize(
    ("locale", "cell"),
    [
        ("en", "75.0% (24 / 32 families, excluding 3 without data)"),
        ("vi", "75,0% (24 / 32 gia đình, không tính 3 trường hợp thiếu số liệu)"),
    ],
)
def test_the_html_cell_agrees_with_itself(locale: str, cell: str) -> None:
    """The value, the fraction and the families left out tell one story."""
    assert _cells(_roll().to_html(locale), 0)[-1] == cell


def test_the_results_table_gives_the_same_fraction() -> None:
    """The indicator over the same counts: 24 / 32, its rate equal to the rollup's."""
    roll = _roll()
    observed = INDICATORS["learning_families"].observe(roll)
    assert observed is not None
    rate = roll.rate("s")
    assert observed.numerator.tolist() == rate.numerator.tolist()
    assert observed.denominator.tolist() == rate.denominator.tolist()
    assert observed.missing.tolist() == rate.missing.tolist()
    text = ls.results(roll, ["learning_families"]).report(locale="en").to_text()
    assert "75.00%" in text
    assert "24 / 32 families (excluding 3 without data)" in text


def test_the_csv_reads_back_exactly(tmp_path: Path) -> None:
    """Written, read back and rolled up with the same rates: the same counts and values."""
    roll = _roll()
    path = write_csv(roll.to_columns(), tmp_path / "rollup.csv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the total row, which learnsoc adds up itself
        cols, _ = read_counts(path)
    again = ls.rollup_counts(cols, _tree(), rates=RATES)
    assert again.rejects is not None
    assert again.rejects.counts()["counts"][2] == 0
    first, second = roll.to_columns(), again.to_columns()
    for column in ("families", "learning_families", "learning_families_missing", "s"):
        assert second[column].tolist() == first[column].tolist(), column
    assert again.rate("s") == roll.rate("s")


@needs("openpyxl")
def test_the_workbook_holds_the_same_value(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.load_workbook(_roll().to_excel(tmp_path / "r.xlsx"))["rollup"]
    header = [str(c.value).split(" (")[0] for c in book[1]]  # "s (learning_families / ...)"
    assert book.cell(2, header.index("s") + 1).value == 0.75


def test_a_microdata_rollup_counts_the_same_way() -> None:
    """Literacy of everybody 15-60, the unknown ones left out once, not twice."""
    pop = ls.synthetic_population(persons=3_000, seed=4)
    age, lit = pop.column("person", "age"), pop.column("person", "literate")
    in_range = (age >= 15) & (age <= 60)
    roll = ls.rollup(
        pop,
        {"in_range": ("person", in_range), "literate": ("person", in_range & (lit == 1)),
         "unknown": ("person", in_range & (lit == 255))},
        rates={"literacy": ("literate", "in_range", "unknown")},
    )  # fmt: skip
    total = roll.level("total").rate("literacy")
    known = int((in_range & (lit != 255)).sum())
    assert int((in_range & (lit == 255)).sum()) > 0  # the test means something
    assert int(total.denominator[0]) == known
    assert total.value()[0] == int((in_range & (lit == 1)).sum()) / known


def test_an_evaluation_leaves_the_unknown_verdicts_out_once() -> None:
    """A title's share is granted / decided, decided being assessed less unknown."""
    pop = ls.synthetic_population(persons=3_000, seed=5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31")
    total = ev.rollup().level("total")
    for title, v in ev.verdicts_by_title.items():
        rate = total.rate(title)
        decided = int(v.assessed.sum()) - int(v.unknown.sum())
        assert int(rate.denominator[0]) == decided, title
        assert int(rate.missing[0]) == int(v.unknown.sum()), title
        assert int(rate.numerator[0]) == int(v.passed.sum()), title
    assert any(int(v.unknown.sum()) for v in ev.verdicts_by_title.values())


def test_more_without_data_than_members_is_an_error_naming_the_unit() -> None:
    """rollup_counts rejects such a row; counts put together by hand are refused by name."""
    roll = _roll()
    counts = {**roll.counts, "learning_families_missing": np.array([3, 1, 21, 3])}
    bad = attrs.evolve(roll, counts=counts)
    with pytest.raises(AggregateError, match=r"rate 's': unit '00004' has 21 learning_fam"):
        bad.rate("s")
