"""The look for a table's header reads each sheet's first rows, not its first 16 KiB."""

from __future__ import annotations

import io
import warnings
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from learnsoc.io._empty_rows import EmptyRowsCut
from learnsoc.io.excel import TableHeader, read_excel
from tests.io.test_csv import cells


def sheet_xml(rows: list[int]) -> bytes:
    """A sheet's rows: 0 an empty row, 1 a row of empty styled cells, 2 a row of a value."""
    parts = [b"<sheetData>"]
    for i, kind in enumerate(rows, start=1):
        if kind == 0:
            parts.append(b'<row r="%d"/>' % i)
        elif kind == 1:
            parts.append(b'<row r="%d"><c r="A%d" s="1"/><c r="B%d" s="1"/></row>' % (i, i, i))
        else:
            parts.append(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>' % (i, i))
            parts.append(b"x" * (i % 97) + b"</t></is></c></row>")
    parts.append(b"</sheetData>")
    return b"".join(parts)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 2), max_size=3000),
    st.lists(st.integers(1, 1 << 17), min_size=1, max_size=8),
)
def test_reads_of_any_size_give_the_bytes_one_read_gives(rows: list[int], sizes: list[int]) -> None:
    xml = sheet_xml(rows)
    whole = EmptyRowsCut(io.BytesIO(xml)).read()
    source = EmptyRowsCut(io.BytesIO(xml))
    parts = []
    i = 0
    while block := source.read(sizes[i % len(sizes)]):
        assert len(block) <= sizes[i % len(sizes)]
        parts.append(block)
        i += 1
    assert b"".join(parts) == whole
    assert source.read(1) == b""


def test_the_first_reads_are_small_then_grow() -> None:
    xml = sheet_xml([2] * 5000)
    source = EmptyRowsCut(io.BytesIO(xml))
    got = [len(source.read(16 * 1024)) for _ in range(6)]
    assert got == [2048, 4096, 8192, 16384, 16384, 16384]


@pytest.fixture(scope="module")
def many_sheets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Eight sheets of 2,000 rows; the sixth holds the table."""
    wb = Workbook(write_only=True)
    for s in range(8):
        ws: Any = wb.create_sheet(f"Thôn {s}")
        if s == 5:
            ws.append(["person_id", "household_id"])
            for i in range(2000):
                ws.append([f"NK{i}", f"H{i // 4}"])
        else:
            ws.append(["Ghi chú", "Số"])
            for i in range(2000):
                ws.append([f"dòng {i}", i])
    path = tmp_path_factory.mktemp("sheets") / "thon.xlsx"
    wb.save(path)
    return path


def test_each_sheet_is_looked_at_by_its_first_rows(
    many_sheets: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Bytes handed to the parser, by sheet read: keyed by the reader itself, which the dict
    # keeps alive (by id(), a reader freed early could lend its id to the next one and two
    # sheets' reads would count as one: the test failed now and then under load).
    handed: dict[EmptyRowsCut, list[int]] = {}
    read = EmptyRowsCut.read

    def counted(self: EmptyRowsCut, size: int = -1) -> bytes:
        block = read(self, size)
        handed.setdefault(self, []).append(len(block))
        return block

    monkeypatch.setattr(EmptyRowsCut, "read", counted)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = read_excel(many_sheets, find=TableHeader(("person_id", "household_id")))
    assert "'Thôn 5' does (its row 1)" in str(caught[0].message)
    assert cells(table)["person_id"][-1] == "NK1999"
    looks = [sum(n) for n in handed.values() if n[-1]]  # the reads that stopped early
    whole = [sum(n) for n in handed.values() if not n[-1]]
    assert len(looks) == 8
    assert len(whole) == 1
    assert whole[0] > 16 * 1024
    # Each sheet looked at by its first 30 rows (a few KiB): 16 KiB each before.
    assert max(looks) < 16 * 1024
