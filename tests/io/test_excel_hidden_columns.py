"""An unknown column that is hidden in the sheet is said to be hidden, with its letter.

Communes hide the columns they no longer fill in (an old note, last year's figures)
rather than delete them. learnsoc reads every column, so the run stopped on an "unknown
column" the user could not find in Excel.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from learnsoc.errors import SchemaError
from learnsoc.io import read_population
from tests.optional import require

openpyxl = require("openpyxl")

UNITS = "code,level,parent_code\n01,province,\n001,village,01\n"
HOUSEHOLDS = "household_id,unit_code\nH1,001\n"
MAPPING = '[person.columns]\n"Mã NK" = "person_id"\n"Mã hộ" = "household_id"\n"Tuổi" = "age"\n'


def _read(tmp_path: Path, persons: Path) -> object:
    (tmp_path / "units.csv").write_text(UNITS, "utf-8")
    (tmp_path / "hh.csv").write_text(HOUSEHOLDS, "utf-8")
    (tmp_path / "m.toml").write_text(MAPPING, "utf-8")
    return read_population(
        persons,
        households=tmp_path / "hh.csv",
        units=tmp_path / "units.csv",
        mapping=tmp_path / "m.toml",
        levels=["province", "village"],
    )


def _persons(path: Path, hidden: str = "", libreoffice: bool = False) -> Path:
    """Persons with an old note in column D, the columns ``hidden`` ("D", "C:D") hidden."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Mã NK", "Mã hộ", "Tuổi", "Ghi chú 2024"])
    ws.append(["NK01", "H1", 40, "chuyển đi"])
    ws.append(["NK02", "H1", 9, None])
    if hidden:
        first, _, last = hidden.partition(":")
        ws.column_dimensions.group(first, last or first, hidden=True)
    buffer = io.BytesIO()
    wb.save(buffer)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w") as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if libreoffice and info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'hidden="1"', b'hidden="true"')  # as LibreOffice writes
            out.writestr(info, data)
    return path


@pytest.mark.parametrize(("hidden", "letter"), [("D", "D"), ("C:D", "D"), ("B:F", "D")])
def test_a_hidden_unknown_column_is_said_to_be_hidden(
    tmp_path: Path, hidden: str, letter: str
) -> None:
    path = _persons(tmp_path / "nhan_khau.xlsx", hidden)
    with pytest.raises(SchemaError) as info:
        _read(tmp_path, path)
    message = str(info.value)
    assert "person column 'Ghi chú 2024': unknown column in" in message
    assert f"nhan_khau.xlsx, column {letter}, which is hidden in the sheet" in message
    assert "Unhide" in message


def test_libreoffice_s_hidden_true_is_hidden(tmp_path: Path) -> None:
    path = _persons(tmp_path / "nhan_khau.xlsx", "D", libreoffice=True)
    assert b'hidden="true"' in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    with pytest.raises(SchemaError, match="column D, which is hidden in the sheet"):
        _read(tmp_path, path)


def test_a_visible_unknown_column_is_not_said_to_be_hidden(tmp_path: Path) -> None:
    """Another column hidden (C, a known one) says nothing of the visible unknown D."""
    path = _persons(tmp_path / "nhan_khau.xlsx", "C")
    with pytest.raises(SchemaError) as info:
        _read(tmp_path, path)
    assert "hidden" not in str(info.value)


def test_hidden_columns_are_read_like_the_others(tmp_path: Path) -> None:
    """The note ignored, the hidden ages are read: hiding is no deleting."""
    path = _persons(tmp_path / "nhan_khau.xlsx", "C:D")
    (tmp_path / "m.toml").write_text(MAPPING + '[person]\nignore = ["Ghi chú 2024"]\n', "utf-8")
    (tmp_path / "units.csv").write_text(UNITS, "utf-8")
    (tmp_path / "hh.csv").write_text(HOUSEHOLDS, "utf-8")
    pop = read_population(
        path,
        households=tmp_path / "hh.csv",
        units=tmp_path / "units.csv",
        mapping=tmp_path / "m.toml",
        levels=["province", "village"],
    )
    assert pop.column("person", "age").tolist() == [40, 9]
