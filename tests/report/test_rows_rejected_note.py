"""Rows of persons or households rejected: every form of a table says its rates leave them out.

A units-table row refused had its note; a person or household row rejected left the
figures of the rows accepted under no word but the counts of rows read. Results and
progress tables now say, per table: "2 rows of the household table were rejected: every
figure counts the 3 rows accepted only ..." (vi "2 dòng của bảng hộ gia đình bị loại ...")
in text, Markdown, HTML (the notebook's too), JSON and the workbook's notes.
"""

from __future__ import annotations

import json

import attrs
import pytest

import learnsoc as ls
from learnsoc.rejects import CountedRejects
from learnsoc.targets import load_targets, progress
from tests.trees import two_level

#: 10 person rows read, 1 rejected; 5 household rows read, 2 rejected.
REJECTED = CountedRejects(
    read={"unit": 2, "household": 5, "person": 10}, rejected={"household": 2, "person": 1}
)
SAID = {
    "en": (
        "1 row of the person table was rejected: every figure counts the 9 rows accepted "
        "only; the rejected row is in no numerator and no denominator",
        "2 rows of the household table were rejected: every figure counts the 3 rows "
        "accepted only; the rejected rows are in no numerator and no denominator",
    ),
    "vi": (
        "1 dòng của bảng người bị loại: mọi số liệu chỉ tính 9 dòng được nhận; dòng bị loại "
        "không nằm trong tử số hay mẫu số nào",
        "2 dòng của bảng hộ gia đình bị loại: mọi số liệu chỉ tính 3 dòng được nhận; các "
        "dòng bị loại không nằm trong tử số hay mẫu số nào",
    ),
}


def _tables() -> tuple[ls.Results, ls.Progress]:
    h = two_level({"01": ["00001"]})
    roll = ls.rollup_counts({"unit_code": ["00001"], "families": [3], "learning_families": [2]}, h)
    res = ls.results(roll, ["learning_families"])
    targets = load_targets("hanoi-23-nq-tu").select(indicators=["learning_families"])
    prog = progress([(2025, roll)], targets, year=2025)
    return attrs.evolve(res, rejects=REJECTED), attrs.evolve(prog, rejects=REJECTED)


@pytest.mark.parametrize("locale", ["en", "vi"])
@pytest.mark.parametrize("which", [0, 1])
def test_each_form_says_which_rows_the_rates_leave_out(locale: str, which: int) -> None:
    table = _tables()[which]
    said = SAID[locale]
    report = table.report(locale)
    for text in (report.to_text(), report.to_markdown(), report.to_html()):
        flat = " ".join(text.split())
        assert all(note in flat for note in said)
    with ls.use_locale(locale):
        notebook = " ".join(table._repr_html_().split())
    assert all(note in notebook for note in said)
    doc = table.to_json(None, locale=locale)
    assert doc is not None
    assert all(note in json.loads(doc)["notes"] for note in said)


def test_no_note_when_every_row_was_accepted() -> None:
    res, prog = _tables()
    every = CountedRejects(read={"household": 5, "person": 10})
    for table in (res, prog):
        text = attrs.evolve(table, rejects=every).to_text("en")
        assert "was rejected" not in text and "were rejected" not in text
