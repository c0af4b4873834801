"""The three learning-citizen rates (and the two other family rates) have labels of their own.

All three printed "share of learning citizens" although one is out of all residents, one
out of residents aged 15 and over and one out of people of working age: a CSV row, a
chart's legend or a JSON label did not say which (only the text's "out of" column did).
Now each label names its denominator, in every format and both languages.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.report.tables import to_xlsx
from learnsoc.targets.indicators import INDICATORS

CITIZENS = ("learning_citizens", "adult_learning_citizens", "working_age_learning_citizens")
FAMILIES = (
    "learning_families",
    "learning_families_of_registered",
    "learning_families_of_households",
)
LABELS = {
    "en": [
        "share of learning citizens among all residents",
        "share of learning citizens among residents aged 15 and over",
        "share of learning citizens among people of working age",
        "share of learning families",
        "share of learning families among families registered for the title",
        "share of learning families among all households",
    ],
    "vi": [
        "Tỷ lệ Công dân học tập trên tổng số người dân",
        "Tỷ lệ Công dân học tập trên tổng số người dân từ 15 tuổi trở lên",
        "Tỷ lệ Công dân học tập trên tổng số người trong độ tuổi lao động",
        "Tỷ lệ Gia đình học tập",
        "Tỷ lệ Gia đình học tập trên số gia đình đăng ký danh hiệu",
        "Tỷ lệ Gia đình học tập trên tổng số hộ gia đình",
    ],
}


def _results() -> ls.Results:
    tree = ls.Hierarchy.from_units(
        {"code": ["02"], "name": ["Hà Giang"], "level": ["province"], "parent_code": [None]},
        levels=["province"],
    )
    roll = ls.rollup_counts(
        {"unit_code": ["02"], "persons": [100], "adults": [80], "working_age": [60],
         "learning_citizens": [30], "adult_learning_citizens": [30],
         "working_age_learning_citizens": [25], "families": [35], "registered_families": [30],
         "households": [40], "learning_families": [24]},
        tree,
    )  # fmt: skip
    return ls.results(roll, [*CITIZENS, *FAMILIES])


@pytest.mark.parametrize("locale", ["en", "vi"])
def test_every_format_names_each_rates_denominator(tmp_path: Path, locale: str) -> None:
    """Columns (CSV, pandas), JSON, xlsx, text and HTML carry six different labels."""
    res = _results()
    labels = LABELS[locale]
    cols = res.to_columns(locale)
    assert cols["indicator_label"].tolist() == labels
    # The figures by hand: 30/100, 30/80, 25/60, 24/35, 24/30, 24/40.
    assert cols["numerator"].tolist() == [30, 30, 25, 24, 24, 24]
    assert cols["denominator"].tolist() == [100, 80, 60, 35, 30, 40]
    doc = json.loads(str(res.to_json(locale=locale)))
    assert [r["indicator_label"] for r in doc["rows"]] == labels
    openpyxl = pytest.importorskip("openpyxl")
    sheet = openpyxl.load_workbook(to_xlsx(res, tmp_path / "r.xlsx", locale=locale)).worksheets[0]
    header = [c.value for c in sheet[1]]
    heading = "indicator_label" if locale == "en" else "chỉ tiêu"
    column = header.index(heading)
    assert [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)] == labels
    text, page = res.to_text(locale), res.to_html(locale)
    for label, ind in zip(labels, [*CITIZENS, *FAMILIES], strict=True):
        marked = f"{label} *" if INDICATORS[ind].uncertain else label
        assert marked in text and marked in page


@pytest.mark.parametrize("locale", ["en", "vi"])
def test_a_label_that_names_its_basis_does_not_repeat_it(locale: str) -> None:
    """Standing alone (a chart), the label is not followed by "(of all residents)" again."""
    for ind, label in zip([*CITIZENS, *FAMILIES], LABELS[locale], strict=True):
        shown = INDICATORS[ind].display_with_basis(locale)
        basis = INDICATORS[ind].basis_display(locale)
        assert shown.startswith(label) and shown.count(basis) == 1


def test_one_note_says_why_the_citizen_bases_are_uncertain() -> None:
    """The three share one note (one reason), naming them; no "computed out of" repeat."""
    notes = _results().report("en").notes
    said = [n for n in notes if "uncertain" in n]
    assert said == [
        "* share of learning citizens among all residents, share of learning citizens among "
        "residents aged 15 and over, share of learning citizens among people of working age: "
        "uncertain: " + INDICATORS["learning_citizens"].note_display("en")
    ]
