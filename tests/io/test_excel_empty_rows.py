"""Sheets of a million empty rows (or of empty styled cells) cost next to nothing to read."""

from __future__ import annotations

import importlib
import io
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from learnsoc.io._empty_rows import _CHUNK, EmptyRowsCut
from learnsoc.io.excel import read_excel
from tests.io.helpers import files, problems, read

openpyxl: Any = importlib.import_module("openpyxl")
reader: Any = importlib.import_module("openpyxl.worksheet._reader")

HEADER = ["person_id", "household_id", "age", "sex", "literate"]


def _sheet(path: Path, rows: dict[int | None, str]) -> Path:
    """Write a workbook whose sheet stores these rows (XML by row number; None: no ``r``)."""
    wb = openpyxl.Workbook()
    seed = io.BytesIO()
    wb.save(seed)
    cells = "".join(f'<c t="inlineStr"><is><t>{h}</t></is></c>' for h in HEADER)
    body = f'<row r="1">{cells}</row>' + "".join(
        xml if number is None else xml.replace("<row", f'<row r="{number}"', 1)
        for number, xml in rows.items()
    )
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:XFD1048576"/><sheetData>{body}</sheetData></worksheet>'
    )
    with zipfile.ZipFile(seed) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = sheet.encode()
            out.writestr(info, data)
    return path


def _person(values: list[str]) -> str:
    cells = (f'<c t="inlineStr"><is><t>{v}</t></is></c>' if v else "<c/>" for v in values)
    return "<row>" + "".join(cells) + "</row>"


class _Rows:
    """Count the rows openpyxl's sheet parser parses (a third-party method, wrapped)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.n = 0
        parse = reader.WorkSheetParser.parse_row

        def counted(parser: Any, element: Any) -> Any:
            self.n += 1
            return parse(parser, element)

        monkeypatch.setattr(reader.WorkSheetParser, "parse_row", counted)


def test_a_million_empty_rows_are_not_parsed_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """1,000,000 ``<row r=".."/>`` between two persons: a few rows parsed, not a million.

    The old reader parsed each (10 s for the million); the rows keep their numbers.
    """
    rows: dict[int | None, str] = {2: _person(["1", "1", "40", "1", "1"])}
    rows |= dict.fromkeys(range(3, 1000003), "<row/>")
    rows[1_000_003] = _person(["2", "1", "9", "2", "0"])
    path = _sheet(tmp_path / "persons.xlsx", rows)
    parsed = _Rows(monkeypatch)
    table = read_excel(path)
    (batch,) = table.iter_batches(["person_id"])
    assert batch["person_id"].tolist() == ["1", "2"]
    assert table.layout.line_of(np.arange(2)).tolist() == [2, 1_000_003]
    assert parsed.n < 1_000


def test_rows_of_empty_styled_cells_are_not_parsed_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows whose cells only carry a style (``<c r="A5" s="1"/>``) hold nothing: cut."""
    empty = '<row spans="1:5" ht="15">' + '<c s="1"/>' * 5 + "</row>"
    rows: dict[int | None, str] = dict.fromkeys(range(2, 200002), empty)
    rows[200_002] = _person(["7", "1", "40", "1", "1"])
    path = _sheet(tmp_path / "persons.xlsx", rows)
    parsed = _Rows(monkeypatch)
    table = read_excel(path)
    assert table.layout.line_of(np.arange(1)).tolist() == [200_002]
    assert parsed.n < 1_000


def test_rejects_name_the_sheet_rows_after_runs_of_empty_rows(tmp_path: Path) -> None:
    """A bad age after 50,000 empty rows, a row stored without its number after them:
    the rejects and the rows read are those of the sheet, numbered as Excel numbers them."""
    rows: dict[int | None, str] = {2: _person(["1", "H1", "40", "1", "1"])}
    rows |= dict.fromkeys(range(3, 50003), "<row/>")
    rows[50_003] = _person(["2", "H1", "tám", "2", "0"])
    rows |= dict.fromkeys(range(50004, 90000), '<row><c s="3"/><c s="3"/></row>')
    rows[None] = _person(["3", "H1", "abc", "2", "0"])  # row 90,000, numbered from 89,999
    paths = files(tmp_path)
    paths["persons"] = _sheet(tmp_path / "persons.xlsx", rows)
    pop = read(paths)
    assert pop.rejects.counts()["person"] == (3, 1, 2)
    assert [(p[1], p[4]) for p in problems(pop)] == [
        (50_003, "not_a_number"),
        (90_000, "not_a_number"),
    ]


_RUN = b'<row r="1"/><row r="2" spans="1:3"></row>'


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        # A row with a value, a formula, inline text: not empty, never cut.
        (b'<row r="3"><c r="A3" s="1"><v>5</v></c></row>', None),
        (b'<row r="3"><c r="A3"><f>1+1</f></c></row>', None),
        (b'<row r="3"><c t="inlineStr"><is><t>x</t></is></c></row>', None),
        # Text that looks like rows, in a CDATA section: its chunk is left as it is.
        (
            b'<row><c t="inlineStr"><is><t><![CDATA[<row r="4"/><row r="5"/>]]></t></is></c></row>',
            _RUN,
        ),
        # Attributes holding ">" or "/>" are attributes: these rows are empty.
        # (The last row is read apart from the others: the XML is cut on its last "<".)
        (b'<row r="3" x="/>"/><row r="4" x="a>b"/>', b'<row r="3" x="/>"/><row r="4" x="a>b"/>'),
        # A run ends at its last numbered row: a row without its number is kept after it.
        (b"<row/><row/>", b"<row/><row/>"),
    ],
)
def test_only_runs_of_empty_rows_are_cut(row: bytes, expected: bytes | None) -> None:
    """What is cut is a run of empty rows, up to its last numbered one; nothing else."""
    out = EmptyRowsCut(io.BytesIO(_RUN + row)).read()
    if expected is None:
        assert out == b'<row r="2" spans="1:3"></row>' + row
    elif expected is _RUN:
        assert out == _RUN + row
    else:
        assert out == b'<row r="2" spans="1:3"></row>' * (row.startswith(b"<row/>")) + expected


def test_a_run_over_many_chunks_reads_the_same_xml() -> None:
    """A sheet cut in chunks (64 KiB) parses to the same rows as the whole XML."""
    rows = [b'<row r="%d"><c r="A%d" s="2"/></row>' % (n, n) for n in range(1, 30_000)]
    rows.insert(12_345, b'<row r="12345x"><c r="A1"><v>1</v></c></row>')
    xml = b"<sheetData>" + b"".join(rows) + b'<row r="40000"><c><v>2</v></c></row></sheetData>'
    out = EmptyRowsCut(io.BytesIO(xml)).read()
    kept = [r for r in out.split(b"<row")[1:] if b"<v>" in r]
    assert kept == [
        b' r="12345x"><c r="A1"><v>1</v></c></row>',
        b' r="40000"><c><v>2</v></c></row></sheetData>',
    ]
    assert len(out) < 20_000


def test_a_long_text_is_handed_on_as_it_comes() -> None:
    """A cell of 8 MB (no "<" in it) is not gathered before it is handed on.

    The first version of the cut kept everything after the last "<" for the next chunk:
    each chunk copied the text gathered so far (an 80 MB cell took 190 s).
    """
    xml = b'<row r="1"><c t="inlineStr"><is><t>' + b"a" * 8_000_000 + b"</t></is></c></row>"
    cut = EmptyRowsCut(io.BytesIO(xml))
    out = []
    while block := cut.read(16_384):
        out.append(block)
        assert len(cut._pending) <= 2 * _CHUNK
        assert len(cut._ready) <= 2 * _CHUNK + 16_384
    assert b"".join(out) == xml
