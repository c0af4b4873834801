"""Excel cells read as the text a CSV export would show, and workbooks that cannot be read."""

from __future__ import annotations

import datetime as dt
import importlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from learnsoc.io.excel import read_excel
from learnsoc.io.files import FileFormatError

openpyxl: Any = importlib.import_module("openpyxl")


def _book(path: Path, *rows: list[Any], title: str = "Sheet") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_cells_become_the_text_a_csv_export_shows(tmp_path: Path) -> None:
    """Booleans as 1/0, whole floats without '.0', dates ISO, times kept, text as typed."""
    path = _book(
        tmp_path / "p.xlsx",
        ["id", "flag", "n", "x", "day", "when", "code"],
        [1, True, 40.0, 2.5, dt.date(2025, 3, 1), dt.datetime(2025, 3, 1, 8, 30), "007"],
        [2, False, 3, -0.5, dt.datetime(2025, 12, 31), None, "A"],
    )
    table = read_excel(path)
    (batch,) = table.iter_batches()
    got = {h: batch[h].tolist() for h in table.header}
    assert got == {
        "id": ["1", "2"],
        "flag": ["1", "0"],
        "n": ["40", "3"],
        "x": ["2.5", "-0.5"],
        "day": ["2025-03-01", "2025-12-31"],
        "when": ["2025-03-01T08:30:00", ""],
        "code": ["007", "A"],
    }


def test_a_sheet_by_name_or_position(tmp_path: Path) -> None:
    path = _book(tmp_path / "u.xlsx", ["code"], ["01"], title="units")
    assert read_excel(path, sheet="units").header == ("code",)
    assert read_excel(path, sheet=0).header == ("code",)
    with pytest.raises(FileFormatError, match="no sheet 'persons'; the sheets are 'units'"):
        read_excel(path, sheet="persons")
    with pytest.raises(
        FileFormatError, match=r"no sheet number 4 \(sheet=3\); the sheets are .units."
    ):
        read_excel(path, sheet=3)


def test_missing_empty_and_non_workbook_files(tmp_path: Path) -> None:
    with pytest.raises(FileFormatError, match="no such file"):
        read_excel(tmp_path / "nope.xlsx")
    with pytest.raises(FileFormatError, match="is empty: a header row is needed"):
        read_excel(_book(tmp_path / "empty.xlsx"))
    (tmp_path / "text.xlsx").write_text("person_id\n1\n")
    with pytest.raises(FileFormatError, match="not an Excel workbook: it is a text file"):
        read_excel(tmp_path / "text.xlsx")


def test_blank_rows_are_skipped_and_lines_are_sheet_rows(tmp_path: Path) -> None:
    """Rejects name rows by their number in the sheet, blank rows included."""
    path = _book(tmp_path / "p.xlsx", [], ["id", "age", None], [1, 40], [], ["  "], [2, 9])
    table = read_excel(path)
    assert table.header == ("id", "age")
    assert table.layout.line_of(np.array([0, 1])).tolist() == [3, 6]


def test_a_cell_merged_down_over_rows_is_read_on_each_row(tmp_path: Path) -> None:
    """A household's code merged over its members' rows is theirs too, and it is said."""
    from learnsoc.io.headers import SheetWarning

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Mã NK", "Mã hộ", "Ghi chú", "Nơi đến", "Tuổi"])
    ws.append(["NK1", "H1", "chuyển đi", None, 40])
    ws.append(["NK2", None, None, None, 38])
    ws.append(["NK3", "H2", None, None, 70])
    ws.append(["NK4", None, None, None, 65])
    ws.append(["NK5", None, None, None, 30])
    ws.merge_cells("B2:B3")
    ws.merge_cells("B4:B6")
    ws.merge_cells("C2:D2")  # across columns: not a value for each column
    wb.save(tmp_path / "nk.xlsx")
    with pytest.warns(SheetWarning) as caught:
        raw = read_excel(tmp_path / "nk.xlsx")
    (batch,) = list(raw.iter_batches())
    assert batch["Mã hộ"].tolist() == ["H1", "H1", "H2", "H2", "H2"]
    assert batch["Ghi chú"].tolist() == ["chuyển đi", "", "", "", ""]
    assert batch["Nơi đến"].tolist() == ["", "", "", "", ""]
    assert batch["Tuổi"].tolist() == ["40", "38", "70", "65", "30"]
    (said,) = [w.message for w in caught]
    assert "3 cells merged down over rows of data (B2:B3, B4:B6)" in str(said)
    assert "3 ô nằm trong vùng ô được gộp theo chiều dọc" in said.localized("vi")  # type: ignore[union-attr]
