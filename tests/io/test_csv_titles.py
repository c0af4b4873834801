"""A CSV file exported from a sheet with a title above its header (DANH SÁCH ..., a date)."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

import learnsoc as ls
from learnsoc.io import FileFormatError, read_population
from learnsoc.io.csv import read_csv
from learnsoc.io.excel import SheetWarning
from tests.io.helpers import HOUSEHOLDS, PERSONS, files, problems
from tests.optional import require

TITLED = "DANH SÁCH NHÂN KHẨU PHƯỜNG BA ĐÌNH,,,,\nNgày 31/12/2025,,,,\n,,,,\n" + PERSONS.replace(
    "4,H3,70,1,1", "4,H3,abc,1,1"
)


def read(paths: dict[str, Path], **options: Any) -> ls.Population:
    return read_population(
        paths["persons"], households=paths["households"], units=paths["units"], **options
    )


@pytest.mark.parametrize("engine", ["python", "pyarrow"])
def test_title_lines_above_the_header_are_passed_over_and_said(engine: str, tmp_path: Path) -> None:
    """Lines keep their numbers: the bad age is on line 8 of the file (3 title lines)."""
    if engine == "pyarrow":
        require("pyarrow")
    paths = files(tmp_path, persons=TITLED)
    with pytest.warns(
        SheetWarning,
        match=r"persons.csv: the column names \(person_id, "
        r"household_id\) are on line 4",
    ) as caught:
        pop = read(paths, engine=engine)
    assert [w.message.row for w in caught if isinstance(w.message, SheetWarning)] == [4]
    assert pop.person_ids.tolist() == [1, 2, 3]
    assert problems(pop) == [("persons.csv", 8, "age", "abc", "not_a_number")]
    assert pop.rejects.counts()["person"] == (4, 3, 1)
    vi = [w.message.localized("vi") for w in caught if isinstance(w.message, SheetWarning)]
    assert len(vi) == 1
    assert vi[0].endswith(
        "persons.csv: tên các cột (person_id, household_id) nằm ở dòng 4, được đọc làm dòng "
        "tiêu đề; các dòng phía trên là tên biểu, không được đọc"
    )


def test_a_file_whose_first_line_is_the_header_reads_as_before(tmp_path: Path) -> None:
    paths = files(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error", SheetWarning)
        pop = read(paths)
    assert pop.n_persons == 4


def test_a_title_without_the_columns_below_it_is_the_unknown_column_error(tmp_path: Path) -> None:
    paths = files(tmp_path, persons="DANH SÁCH,x\nMã,Tuổi\n1,40\n")
    with pytest.raises(ls.errors.SchemaError, match="DANH SÁCH"):
        read(paths)


def test_households_with_a_title_and_a_mapping_of_their_columns(tmp_path: Path) -> None:
    """The key columns are looked for after the mapping's renames (Mã hộ, Mã thôn)."""
    households = "DANH SÁCH HỘ;;\nMã hộ;Mã thôn;registered\n" + "\n".join(
        line.replace(",", ";") for line in HOUSEHOLDS.splitlines()[1:]
    )
    paths = files(tmp_path, households=households + "\n")
    mapping = ls.io.FileMapping.from_dict(
        {"household": {"columns": {"Mã hộ": "household_id", "Mã thôn": "unit_code"}}}
    )
    with pytest.warns(SheetWarning, match="Mã hộ, Mã thôn"):
        pop = read(paths, mapping=mapping)
    assert pop.household_ids.tolist() == ["H1", "H2", "H3"]


def test_read_csv_header_row_given(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text("TITLE\n\na,b\n1,2\n", encoding="utf-8")
    table = read_csv(path, header_row=3, engine="python")
    assert table.header == ("a", "b")
    assert table.layout.line_of(table.layout.malformed).tolist() == []
    assert table.layout.first_line == 4
    with pytest.raises(FileFormatError, match="header_row=9: the file has no line 9"):
        read_csv(path, header_row=9)
