"""A workbook's styles: only which show dates is read, in memory of a byte or so a style."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import pytest

from learnsoc.io._styles import MAX_FORMAT_CHARS, date_styles
from learnsoc.io.excel import read_excel
from learnsoc.io.files import FileFormatError

openpyxl: Any = importlib.import_module("openpyxl")
stylesheet: Any = importlib.import_module("openpyxl.styles.stylesheet")

_MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _styles(formats: str, xfs: str, before: bool = True) -> bytes:
    """A stylesheet of custom ``formats`` (<numFmt> elements) and cell styles ``xfs``."""
    num_fmts = f"<numFmts>{formats}</numFmts>"
    cell_xfs = f"<cellXfs>{xfs}</cellXfs>"
    body = num_fmts + cell_xfs if before else cell_xfs + num_fmts
    # Named styles' <xf> are no cell styles: one with a date format must not count.
    named = '<cellStyleXfs><xf numFmtId="14"/></cellStyleXfs>'
    normal = '<cellStyles><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    looks = "<fonts><font/></fonts><fills><fill><patternFill/></fill></fills>"
    looks += "<borders><border/></borders>"
    return f"<styleSheet {_MAIN}>{looks}{named}{body}{normal}</styleSheet>".encode()


def _openpyxl_dates(xml: bytes) -> tuple[set[int], set[int]]:
    """The date and duration styles as openpyxl's own stylesheet finds them."""
    sheet = stylesheet.Stylesheet.from_tree(stylesheet.fromstring(xml))
    return set(sheet.date_formats), set(sheet.timedelta_formats)


_CASES = {
    "built-in formats": ("", '<xf/><xf numFmtId="14"/><xf numFmtId="2"/><xf numFmtId="46"/>'),
    "custom formats": (
        '<numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
        '<numFmt numFmtId="165" formatCode="#,##0"/>'
        '<numFmt numFmtId="166" formatCode="[h]:mm:ss"/>'
        '<numFmt numFmtId="167" formatCode="&quot;ngày&quot; 0"/>',
        '<xf numFmtId="165"/><xf numFmtId="164"/><xf numFmtId="166"/><xf numFmtId="167"/>',
    ),
    "a custom format in place of a built-in one": (
        '<numFmt numFmtId="14" formatCode="0.00"/><numFmt numFmtId="2" formatCode="yyyy"/>',
        '<xf numFmtId="14"/><xf numFmtId="2"/>',
    ),
    "an id given twice: the last counts": (
        '<numFmt numFmtId="164" formatCode="yyyy"/><numFmt numFmtId="164" formatCode="0"/>'
        '<numFmt numFmtId="170" formatCode="0"/><numFmt numFmtId="170" formatCode="d/m"/>',
        '<xf numFmtId="164"/><xf numFmtId="170"/>',
    ),
    "unknown and negative ids": ("", '<xf numFmtId="163"/><xf numFmtId="-1"/><xf numFmtId="900"/>'),
    "no styles": ("", ""),
}


@pytest.mark.parametrize("before", [True, False], ids=["formats first", "formats last"])
@pytest.mark.parametrize("case", list(_CASES))
def test_the_date_styles_are_those_openpyxl_finds(case: str, before: bool) -> None:
    formats, xfs = _CASES[case]
    xml = _styles(formats, xfs, before)
    dates, durations = date_styles(io.BytesIO(xml))
    n = xfs.count("<xf")
    expected_dates, expected_durations = _openpyxl_dates(xml)
    assert {s for s in range(-1, n + 1) if s in dates} == expected_dates
    assert {s for s in range(-1, n + 1) if s in durations} == expected_durations
    assert len(dates) == len(expected_dates)


def test_the_cases_hold_dates_durations_and_plain_numbers() -> None:
    """The cases above are not all of one kind (the comparison could not fail then)."""
    found = [_openpyxl_dates(_styles(*_CASES[c])) for c in _CASES]
    assert any(d for d, _ in found) and any(t for _, t in found)
    assert _openpyxl_dates(_styles(*_CASES["custom formats"])) == ({1, 2}, {2})


def _workbook(path: Path, styles: bytes, cell_style: int) -> Path:
    """A units workbook whose B2 holds the number 45000 in style ``cell_style``."""
    seed = path.with_name("seed.xlsx")
    wb = openpyxl.Workbook()
    wb.active.append(["code", "name", "level", "parent_code"])
    wb.active.append(["01", 45000, "province", None])
    wb.save(seed)
    with zipfile.ZipFile(seed) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/styles.xml":
                data = styles
            elif info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b'<c r="B2" t="n">', f'<c r="B2" t="n" s="{cell_style}">'.encode()
                )
            out.writestr(info.filename, data)
    seed.unlink()
    return path


def test_a_date_cell_is_read_as_its_date(tmp_path: Path) -> None:
    """A cell of a custom date style is the date Excel shows (serial 45000: 2023-03-15)."""
    xml = _styles('<numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>', '<xf/><xf numFmtId="164"/>')
    (batch,) = read_excel(_workbook(tmp_path / "u.xlsx", xml, 1)).iter_batches()
    assert batch["name"].tolist() == [str(dt.date(1899, 12, 30) + dt.timedelta(days=45000))]
    (plain,) = read_excel(_workbook(tmp_path / "p.xlsx", xml, 0)).iter_batches()
    assert plain["name"].tolist() == ["45000"]


def test_a_bloated_stylesheet_costs_a_few_bytes_a_style(tmp_path: Path) -> None:
    """20,000 styles (each with its alignment and protection) are read in under 4 MB.

    openpyxl built objects for each: 200,000 such styles (a 786 KB workbook) took 937 MB.
    Every style but the last is a date: the last one's cell is read as a number.
    """
    n = 20_000
    xf = '<xf numFmtId="14" applyAlignment="1"><alignment wrapText="1"/><protection/></xf>'
    xml = _styles("", xf * (n - 1) + '<xf numFmtId="3"/>')
    path = _workbook(tmp_path / "u.xlsx", xml, n - 1)
    tracemalloc.start()
    try:
        (batch,) = read_excel(path).iter_batches()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert batch["name"].tolist() == ["45000"]
    assert peak < 4 << 20


def test_a_format_code_is_read_up_to_excels_limit(tmp_path: Path) -> None:
    """A code longer than Excel's 255 characters is looked at up to them.

    openpyxl's test of a code takes the square of its length: a 5 KB workbook of one
    code of 200,000 ``[`` took 30 s, one of a million would take minutes. The date
    letters here are past the limit: the cell is read as the number it holds.
    """
    code = "[" * MAX_FORMAT_CHARS + "dd/mm/yyyy"
    xml = _styles(f'<numFmt numFmtId="164" formatCode="{code}"/>', '<xf/><xf numFmtId="164"/>')
    (batch,) = read_excel(_workbook(tmp_path / "u.xlsx", xml, 1)).iter_batches()
    assert batch["name"].tolist() == ["45000"]
    assert _openpyxl_dates(xml)[0] == {1}  # openpyxl reads the code whole


def test_a_style_of_no_number_format_id_is_a_damaged_workbook(tmp_path: Path) -> None:
    xml = _styles("", '<xf numFmtId="date"/>')
    with pytest.raises(FileFormatError, match="not a readable Excel workbook"):
        read_excel(_workbook(tmp_path / "u.xlsx", xml, 0))
