"""Spreadsheets shaped like Vietnamese official forms (biểu mẫu), built by hand.

Each test is a hazard a new agency user meets: text with decomposed accents (NFD, from
macOS or some keyboards), yes/no marks as forms write them (``✓``, ``Đạt``), headers
in the old TCVN3 (.VnTime) and VNI fonts, the row of column numbers under the header,
and the notes and signature block under the table.
"""

from __future__ import annotations

import unicodedata
import warnings
from collections.abc import Sequence
from pathlib import Path

import pytest

from learnsoc.io.excel import SheetWarning, read_excel
from learnsoc.io.population import read_population
from tests.io.helpers import write
from tests.optional import require

openpyxl = require("openpyxl")

UNITS = """Mã;Tên;Cấp;Mã cấp trên
01;Hà Nội;Tỉnh;
00004;Xã Minh Phú;Xã;01
00004001;Thôn Đông;Thôn;00004
00004002;Thôn Tây;Thôn;00004
"""
HOUSEHOLDS = "Mã hộ;Mã thôn\nH1;00004001\nH2;00004001\nH3;00004002\n"
MAPPING = """
[mapping]
delimiter = ";"
levels = "vn-2025"

[person]
ignore = ["Họ và tên"]
[person.columns]
"Mã NK" = "person_id"
"Mã hộ" = "household_id"
"Năm sinh" = "birth_year"
"Biết chữ" = "literate"

[household.columns]
"Mã hộ" = "household_id"
"Mã thôn" = "unit_code"

[unit.columns]
"Mã" = "code"
"Tên" = "name"
"Cấp" = "level"
"Mã cấp trên" = "parent_code"
[unit.values.level]
"Tỉnh" = "province"
"Xã" = "commune"
"Thôn" = "village"
"""
HEADER = ["Mã NK", "Họ và tên", "Mã hộ", "Năm sinh", "Biết chữ"]
ROWS = [
    ["NK01", "Nguyễn Văn An", "H1", 1975, "Có"],
    ["NK02", "Trần Thị Bình", "H1", 1978, "Không"],
    ["NK03", "Lê Văn Cường", "H2", 2010, "Có"],
    ["NK04", "Phạm Thị Dung", "H3", 1990, "Không"],
]


def nfd(text: object) -> object:
    """Return a text with decomposed accents, as macOS and some keyboards write it."""
    return unicodedata.normalize("NFD", text) if isinstance(text, str) else text


def book(path: Path, rows: Sequence[Sequence[object]], title: str = "Danh sách") -> Path:
    """Save a workbook of one sheet holding the rows given."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def population(folder: Path, persons: Path, **options: object) -> object:
    """Read the persons workbook with the form's households, units and mapping."""
    return read_population(
        persons,
        households=write(folder, "ho.csv", HOUSEHOLDS),
        units=write(folder, "don_vi.csv", UNITS),
        mapping=write(folder, "mapping.toml", MAPPING),
        reference_year=2025,
        **options,  # type: ignore[arg-type]
    )


def test_a_sheet_name_matches_in_nfd_and_any_case(tmp_path: Path) -> None:
    """A sheet named with decomposed accents (a Numbers export) was "no sheet 'Nhân
    khẩu'; the sheets are 'Nhân khẩu'" when the user typed the name: names now compare
    as Excel compares them, accents composed and in any case."""
    path = book(tmp_path / "nk.xlsx", [HEADER, *ROWS], title=str(nfd("Nhân khẩu")))
    for given in ("Nhân khẩu", "NHÂN KHẨU"):
        assert read_excel(path, sheet=given).layout.n_records == 4
    typed = book(tmp_path / "typed.xlsx", [HEADER, *ROWS], title="Nhân khẩu")
    assert read_excel(typed, sheet=str(nfd("nhân khẩu"))).layout.n_records == 4


def test_nfd_yes_no_words_and_form_marks_are_read(tmp_path: Path) -> None:
    """``Có``/``Không`` typed with decomposed accents were ``unknown_code`` rejects in a
    yes/no column without a mapping of its words, and so were a form's ticks and
    assessments (``✓``, ``Đạt``, ``Không đạt``) that ``--inputs`` files already took."""
    marks = ["Có", "không", "✓", "Đạt", "KHÔNG ĐẠT", "x"]
    rows = [[f"NK{i}", "Tên", "H1", 1980, nfd(mark)] for i, mark in enumerate(marks, 1)]
    pop = population(tmp_path, book(tmp_path / "nk.xlsx", [HEADER, *rows]))
    assert pop.rejects.records() == []  # type: ignore[attr-defined]
    assert pop.column("person", "literate").tolist() == [1, 0, 1, 1, 0, 1]  # type: ignore[attr-defined]
