"""Workbooks and notebook tables are for people: in Vietnamese, headed in Vietnamese.

The workbooks of ``learnsoc report``, ``rollup``, ``evaluate --out`` and ``--rejects``
are headed in the run's language, each heading's comment keeping the column's id (the
CSV's header, the same in every language); English workbooks are headed by the ids.
Every object a notebook displays renders the same HTML through ``to_html(locale)``, the
default locale (``ls.set_locale``) and a ``with ls.use_locale(...)`` block.
"""

from __future__ import annotations

import csv
import re
import warnings
from pathlib import Path
from typing import Any

import pytest

import learnsoc as ls
from learnsoc.cli import main
from tests._vi_files import write_files
from tests._workbooks import column_ids, headings
from tests.optional import require

load_workbook = require("openpyxl").load_workbook

#: A snake_case id (``unit_code``, ``learning_families``): what no Vietnamese heading is.
_ID = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")

FILES = {
    "units.csv": "code,name,level,parent_code\n01,Hà Nội,province,\n00001,Ba Đình,commune,01\n"
    "00001001,Tổ 1,village,00001\n",
    "households.csv": "household_id,unit_code\nH1,00001001\nH2,00001001\nH3,00009999\n",
    "persons.csv": "person_id,household_id,age,sex,literate\n1,H1,40,male,1\n2,H1,38,female,0\n"
    "3,H2,70,female,1\n4,H2,abc,male,1\n",
}
INPUTS = ["persons.csv", "--households", "households.csv", "--units", "units.csv"]
TITLES = ["--rulebook", "example", "--as-of", "2025-12-31"]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, neutral_locale: None) -> Path:
    monkeypatch.chdir(write_files(tmp_path, FILES))
    return tmp_path


def _run(*argv: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main([*argv, "--quiet"]) in (0, 1)


def _csv_header(path: Path) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return next(csv.reader(f))


def _in_words(ws: Any) -> None:
    """Every heading of a Vietnamese sheet is words, and its comment the CSV's id."""
    for cell, name in zip(ws[1], column_ids(ws), strict=True):
        assert not _ID.match(cell.value), (cell.value, name)
        assert cell.comment is not None and cell.comment.text == name


def test_the_vietnamese_progress_workbook_is_headed_in_vietnamese(folder: Path) -> None:
    report = [*INPUTS, *TITLES, "--targets", "hanoi-23-nq-tu", "--year", "2025"]
    _run("report", *report, "--locale", "vi", "--out", "bao_cao.xlsx")
    _run("report", *report, "--locale", "vi", "--out", "bao_cao.csv")
    _run("report", *report, "--locale", "en", "--out", "report.xlsx")
    book = load_workbook(folder / "bao_cao.xlsx")
    # The sheets too: the progress, its notes and the rows read (a row was rejected).
    assert book.sheetnames == ["tiến độ", "ghi chú", "số dòng đã đọc"]
    _in_words(book["ghi chú"])
    ws = book["tiến độ"]
    # The ids are the CSV's, which stays the same in every language, for scripts.
    assert column_ids(ws) == _csv_header(folder / "bao_cao.csv")
    _in_words(ws)
    _in_words(book["số dòng đã đọc"])
    words = dict(zip(column_ids(ws), headings(ws), strict=True))
    assert words["value"] == "giá trị thực hiện"
    assert words["denominator_label"] == "tính trên"
    assert words["status"] == "mã đánh giá" and words["status_label"] == "đánh giá"
    # Each row says what its rate is of, in words, under a heading in words.
    row = dict(zip(column_ids(ws), next(ws.iter_rows(min_row=3, values_only=True)), strict=True))
    assert row["indicator"] == "literacy_15_60"
    assert row["denominator_label"] == "tổng số người trong độ tuổi 15-60"
    # English is headed by the ids, without comments, as before.
    english = load_workbook(folder / "report.xlsx")
    assert english.sheetnames == ["progress", "notes", "rows_read"]
    assert headings(english["progress"]) == _csv_header(folder / "bao_cao.csv")
    assert all(c.comment is None for c in english["progress"][1])


def test_the_vietnamese_rollup_verdicts_and_rejects_workbooks(folder: Path) -> None:
    _run("rollup", *INPUTS, *TITLES, "--locale", "vi", "--out", "tong_hop.xlsx")
    _run("rollup", *INPUTS, *TITLES, "--locale", "vi", "--out", "tong_hop.csv")
    ws = load_workbook(folder / "tong_hop.xlsx")["tổng hợp"]
    assert column_ids(ws) == _csv_header(folder / "tong_hop.csv")
    _in_words(ws)
    words = dict(zip(column_ids(ws), headings(ws), strict=True))
    assert words["code"] == "mã đơn vị hành chính"
    assert words["persons"] == ls.vocabulary.measure_label("persons", "vi") == "Số người"

    _run("evaluate", *INPUTS, *TITLES, "--locale", "vi", "--out", "v.xlsx", "--rejects", "l.xlsx")
    verdicts = load_workbook(folder / "v.xlsx")["kết quả đánh giá"]
    _in_words(verdicts)
    assert column_ids(verdicts)[:3] == ["level", "id", "title"]
    assert headings(verdicts)[:3] == ["mã cấp", "mã đối tượng", "mã danh hiệu"]
    rejects = load_workbook(folder / "l.xlsx")["dòng bị loại"]
    _in_words(rejects)
    # The two rejected rows (H3's unknown unit, person 4's age) under Vietnamese headings.
    rows = [
        dict(zip(column_ids(rejects), r, strict=True))
        for r in rejects.iter_rows(min_row=2, values_only=True)
    ]
    assert sorted((r["file"], r["line"]) for r in rows) == [
        ("households.csv", 4),
        ("persons.csv", 5),
    ]


def test_a_rollup_rate_says_what_it_is_a_rate_of_in_both_languages(tmp_path: Path) -> None:
    tree = ls.Hierarchy.from_units(
        {"code": ["02"], "level": ["province"], "parent_code": [None]}, levels=["province"]
    )
    roll = ls.rollup_counts(
        {"unit_code": ["02"], "families": [1250], "learning_families": [875]},
        tree,
        rates={"share": ("learning_families", "families")},
    )
    vi = load_workbook(roll.to_excel(tmp_path / "vi.xlsx", locale="vi"))["tổng hợp"]
    words = dict(zip(column_ids(vi), vi[1], strict=True))
    assert words["share"].value == "tỷ lệ: Số Gia đình học tập / Số gia đình"
    assert words["share_status"].value.endswith(": mã trạng thái")
    cells = dict(zip(column_ids(vi), vi[2], strict=True))
    assert cells["share"].value == pytest.approx(875 / 1250)
    assert cells["share"].number_format == "0.00%"
    total = dict(zip(column_ids(vi), vi[3], strict=True))
    assert (total["level"].value, total["name"].value) == ("total", "tổng 1 tỉnh, thành phố")
    en = load_workbook(roll.to_excel(tmp_path / "en.xlsx"))["rollup"]
    # English: the ids, as before, but a rate's says what it is a rate of too.
    assert column_ids(en) == list(roll.to_columns())
    english = dict(zip(column_ids(en), headings(en), strict=True))
    assert english["share"] == "share (learning_families / families)"
    assert (english["share_status"], english["families"]) == ("share_status", "families")
    # The notebook's table: the rate's heading names its numerator and denominator.
    assert ">share (learning_families / families)</th>" in roll.to_html("en")
    page = roll.to_html("vi")
    assert ">tỷ lệ: Số Gia đình học tập / Số gia đình</th>" in page
    assert "70,0% (875 / 1.250 gia đình)" in page


def _renderables() -> dict[str, Any]:
    """One of each object a notebook displays, of a small synthetic province."""
    pop = ls.synthetic_population(persons=1_500, seed=5)
    book = ls.load_rulebook("vn-national")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ls.evaluate(
            pop, book, as_of="2025-12-31", inputs=ls.synthetic_inputs(pop, book, seed=5)
        )
    roll = ls.rollup(pop, ls.standard_measures(pop, titles=ls.standard_titles(ev)))
    targets = ls.load_targets("hanoi-23-nq-tu")
    return {
        "Population": pop,
        "Hierarchy": pop.hierarchy,
        "Summary": pop.summary(),
        "Rejects": pop.rejects,
        "Evaluation": ev,
        "Verdicts": ev.verdicts("household"),
        "Rollup": roll,
        "TargetSet": targets,
        "Progress": ls.progress(roll, targets, year=2025, levels=["province"]),
        "Results": ls.results(roll, ["literacy_15_60"], ["province"]),
    }


def test_every_displayed_object_renders_in_the_locale_asked_for() -> None:
    before = ls.get_locale()
    for name, obj in _renderables().items():
        vi = obj.to_html("vi")
        assert obj.to_html("en") != vi, name
        with ls.use_locale("vi"):
            assert obj._repr_html_() == vi, name  # a notebook in a `with` block
        try:
            ls.set_locale("vi")
            assert obj._repr_html_() == vi, name  # a notebook after ls.set_locale("vi")
        finally:
            ls.set_locale(before)
        assert obj._repr_html_() == obj.to_html(before), name  # the default is kept


def test_no_english_id_heads_a_vietnamese_notebook_table() -> None:
    shown = _renderables()
    with ls.use_locale("vi"):  # as a notebook after ls.set_locale("vi") shows them
        verdicts = shown["Verdicts"]._repr_html_()
        targets = shown["TargetSet"]._repr_html_()
    assert "learning_family" not in verdicts
    assert "<caption>kết quả đánh giá: Gia đình học tập</caption>" in verdicts
    assert "<th>id</th>" not in targets and "<th>mã mục tiêu</th>" in targets
    assert "<th>id</th>" in shown["TargetSet"].to_html("en")  # what an English user types


def test_a_notebook_counts_units_with_the_locales_digit_grouping(
    communes_1250: ls.Hierarchy,
) -> None:
    with ls.use_locale("vi"):
        assert "<td style='text-align:right'>1.250</td>" in communes_1250._repr_html_()
    assert "<td style='text-align:right'>1,250</td>" in communes_1250.to_html("en")


def test_a_count_in_a_warning_is_grouped_as_the_readers_language_groups_it() -> None:
    import numpy as np

    from learnsoc.model.population import LeadingZerosWarning, _warn_restored

    restored = np.ones(1_250, bool)
    values, text = np.full(1_250, "1001"), np.full(1_250, "00001001")
    with pytest.warns(LeadingZerosWarning) as caught:
        _warn_restored("households.csv", values, text, restored, 1_250)
    said = next(w.message for w in caught if isinstance(w.message, LeadingZerosWarning))
    assert "unit_code: 1.250 dòng" in said.localized("vi")
    assert "unit_code: 1,250 rows" in said.localized("en")
