"""Ids of 16 digits or more in a workbook's number cells are ``digits_lost`` rejects.

Excel keeps 15 significant digits: ``1234567890123456`` typed or pasted into a number
cell is saved as ``1234567890123450``. Below 2**53 the file holds that number exactly,
so it was read as the id ``"1234567890123450"``: silently the wrong id, and ids that
differ only in their 16th digit read alike. A 12-digit CCCD and any id of up to 15
digits are exact in a number cell and read as they are; an id kept as Text is read as
typed, whatever its length. A number of 16 digits where a number belongs is read as
that number, and the column's range decides.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.io.helpers import files, problems, read

HEAD = ["person_id", "household_id", "age", "sex", "literate"]


def _digits(value: Any) -> int:
    return len(str(abs(int(value))))


def _big_float(xml: str) -> str:
    """Write one number as Excel may write a big one in the sheet XML: with an exponent."""
    return xml.replace("<v>777</v>", "<v>1.23456789012346E+15</v>")


def test_a_number_cell_of_16_digits_or_more_is_no_id(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    from tests.io.test_excel import workbook

    rows: list[list[Any]] = [
        [1234567890123450, "H1", 40, 1, 1],  # typed 1234567890123456: Excel kept 15 digits
        [1234567890123456, "H1", 41, 2, 0],  # 16 digits however written: refused alike
        [2**53 - 1, "H1", 30, 1, 1],  # 9007199254740991, the last exact float
        [777, "H2", 30, 1, 1],  # 1.23456789012346E+15 in the XML: a float
        [123456789012, "H2", 30, 1, 1],  # a 12-digit CCCD in a number cell: exact, read
        [123456789012345, "H2", 30, 1, 1],  # 15 digits: exact, read
        ["1234567890123456", "H3", 30, 1, 1],  # 16 digits kept as Text: read as typed
        [5, 1234567890123450, 30, 1, 1],  # a reference: not an unknown household
    ]
    paths = files(tmp_path)
    paths["persons"] = workbook(tmp_path / "persons.xlsx", [HEAD, *rows], edit=_big_float)
    pop = read(paths)
    assert problems(pop) == [
        ("persons.xlsx", 2, "person_id", "1234567890123450", "digits_lost"),
        ("persons.xlsx", 3, "person_id", "1234567890123456", "digits_lost"),
        ("persons.xlsx", 4, "person_id", "9007199254740991", "digits_lost"),
        ("persons.xlsx", 5, "person_id", "1234567890123460", "digits_lost"),
        ("persons.xlsx", 9, "household_id", "1234567890123450", "digits_lost"),
    ]
    # Counted another way: the number cells of more than 15 digits in the id columns.
    # Counted another way: the number cells of more than 15 digits in the id columns, and
    # the float the XML writes with an exponent (777 in the rows).
    lost = [r for r in rows if r[0] == 777 or any(_digits(c) > 15 for c in r[:2] if type(c) is int)]
    assert pop.rejects.counts()["person"] == (len(rows), len(rows) - len(lost), len(lost))
    assert sorted(pop.person_ids.astype(str).tolist()) == [
        "123456789012",
        "123456789012345",
        "1234567890123456",
    ]
    en, vi = pop.rejects.records("en")[0].message, pop.rejects.records("vi")[0].message
    assert "row 2, column person_id: id '1234567890123450' is a number of more than 15" in en
    assert "format the column as Text" in en
    assert "Excel chỉ giữ 15 chữ số" in vi and "định dạng cột là Text" in vi


def test_a_unit_code_of_16_digits_in_a_number_cell_is_no_code(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    from tests.io.test_excel import workbook

    paths = files(tmp_path)
    rows = [["H1", "00001001", 1], ["H2", 1000010020000000, 1], ["H3", "00004001", 0]]
    head = ["household_id", "unit_code", "registered"]
    paths["households"] = workbook(tmp_path / "households.xlsx", [head, *rows])
    pop = read(paths)
    assert [p for p in problems(pop) if p[0] == "households.xlsx"] == [
        ("households.xlsx", 3, "unit_code", "1000010020000000", "digits_lost"),
    ]
    assert pop.rejects.counts()["household"] == (3, 2, 1)


def test_a_number_of_16_digits_where_a_number_belongs_is_that_number(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    from tests.io.test_excel import workbook

    paths = files(tmp_path)
    rows = [[1, "H1", 1234567890123450, 1, 1], [2, "H1", 40, 1, 1]]
    paths["persons"] = workbook(tmp_path / "persons.xlsx", [HEAD, *rows])
    pop = read(paths)
    # An age, not an id: no digits were lost that matter; the range refuses it.
    assert [p[1:] for p in problems(pop)] == [(2, "age", "1234567890123450", "out_of_range")]
