"""A units file with Vietnamese headers is read without a mapping file (UNIT_HEADERS)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import learnsoc as ls
from learnsoc.errors import SchemaError
from learnsoc.io.mapping import UNIT_COLUMNS, UNIT_HEADERS, FileMapping, fold_column, normalize_name
from learnsoc.io.population import read_units

ROWS = [
    ("01", "Hà Nội", "Tỉnh", ""),
    ("00004", "Xã Minh Phú", "Xã", "01"),
    ("00004001", "Thôn Đông", "Thôn", "00004"),
    ("00009001", "Thôn Tây", "Thôn", "00009"),
]


def _csv(path: Path, header: list[str], encoding: str = "utf-8-sig") -> Path:
    lines = [";".join(header)] + [";".join(r) for r in ROWS]
    path.write_text("\n".join(lines) + "\n", encoding=encoding)
    return path


@pytest.mark.parametrize(
    "header",
    [
        ["Mã đơn vị", "Tên đơn vị", "Cấp", "Mã đơn vị cấp trên"],
        ["Ma don vi", "Ten don vi", "Cap", "Ma don vi cap tren"],
        ["MÃ ĐVHC", "TÊN ĐVHC", "CẤP", "MÃ CẤP TRÊN"],
        ["Mã", "Tên", "Cấp", "Mã cấp trên"],
        [unicodedata.normalize("NFD", h) for h in ("Mã đơn vị", "Tên đơn vị", "Cấp")]
        + ["Mã  đơn vị\u00a0cấp trên "],
    ],
)
def test_vietnamese_unit_headers_need_no_mapping(tmp_path: Path, header: list[str]) -> None:
    """The usual headers of a list of units, accented or not, NFD or NFC, in any case."""
    tree, rejects = read_units(_csv(tmp_path / "don_vi.csv", header))
    assert tree.codes_at("village").tolist() == ["00004001"]
    assert tree.unit("00004").name == "Xã Minh Phú"
    assert rejects.counts()["unit"] == (4, 3, 1)
    (bad,) = rejects.records("vi")
    # The reject names the column as the file writes it, not learnsoc's parent_code.
    assert f"cột {normalize_name(header[3])}:" in unicodedata.normalize("NFC", bad.message)


def test_vietnamese_unit_headers_in_a_workbook_below_a_title(tmp_path: Path) -> None:
    """An Excel list with a title row, found by its Vietnamese key columns."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Danh mục"
    ws.append(["DANH MỤC ĐƠN VỊ HÀNH CHÍNH"])
    ws.append(["STT", "Mã đơn vị", "Tên đơn vị", "Cấp", "Mã đơn vị cấp trên"])
    for i, row in enumerate(ROWS[:3], 1):
        ws.append([i, *row])
    path = tmp_path / "don_vi.xlsx"
    wb.save(path)
    with pytest.warns(UserWarning, match="row 2"):
        tree, rejects = read_units(path)
    assert tree.codes_at("commune").tolist() == ["00004"]
    assert rejects.counts()["unit"] == (3, 3, 0)


def test_the_mapping_file_comes_first(tmp_path: Path) -> None:
    """A header the mapping names keeps the mapping's meaning; the others are built in."""
    header = ["Mã cha", "Mã", "Tên", "Cấp"]
    path = tmp_path / "don_vi.csv"
    lines = [";".join(header)] + [";".join((r[3], r[0], r[1], r[2])) for r in ROWS[:3]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    mapping = FileMapping.from_dict({"unit": {"columns": {"Mã cha": "parent_code"}}})
    tree, _ = read_units(path, mapping=mapping)
    assert tree.unit("00004001").parent_code == "00004"
    # A mapping that describes other tables only still knows the units' headers.
    other = FileMapping.from_dict({"person": {"columns": {"Tuổi": "age"}}})
    with pytest.raises(SchemaError, match="'Mã cha'"):
        read_units(path, mapping=other)


def test_from_dataframe_reads_vietnamese_unit_headers() -> None:
    """Data frames go through the same names."""
    units = pd.DataFrame(ROWS[:3], columns=["Mã đơn vị", "Tên đơn vị", "Cấp", "Mã cấp trên"])
    persons = pd.DataFrame({"person_id": ["P1"], "household_id": ["H1"], "age": ["40"]})
    households = pd.DataFrame({"household_id": ["H1"], "unit_code": ["00004001"]})
    pop = ls.from_dataframe(persons, households, units)
    assert pop.n_persons == 1
    assert pop.rejects.counts()["unit"] == (3, 3, 0)


def test_every_builtin_header_names_a_unit_column_and_is_folded() -> None:
    """The table is keyed as it is looked up (folded) and maps onto the units' columns."""
    assert set(UNIT_HEADERS.values()) == set(UNIT_COLUMNS)
    assert all(fold_column(k) == k for k in UNIT_HEADERS)
