"""Excel workbooks: every stored row read, nothing padded, every broken file a clear error."""

from __future__ import annotations

import datetime as dt
import io
import re
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from learnsoc.io import FileFormatError, read_population
from learnsoc.io.excel import read_excel
from learnsoc.limits import MAX_CELL_CHARS
from tests.io.helpers import files, problems
from tests.optional import require

openpyxl = require("openpyxl")

SHEET = "xl/worksheets/sheet1.xml"


def workbook(
    path: Path,
    rows: list[list[Any]],
    *,
    cells: dict[str, Any] | None = None,
    edit: Callable[[str], str] | None = None,
    drop: str | None = None,
) -> Path:
    """Save a one-sheet workbook, then edit its sheet XML (or drop a part) inside the zip."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for ref, value in (cells or {}).items():
        ws[ref] = value
    buffer = io.BytesIO()
    wb.save(buffer)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in src.infolist():
            if item.filename == drop:
                continue
            data = src.read(item.filename)
            if item.filename == SHEET and edit is not None:
                data = edit(data.decode()).encode()
            out.writestr(item, data)
    return path


def dimension(ref: str) -> Callable[[str], str]:
    """Return an edit that sets the sheet's ``<dimension>`` tag to ``ref``."""
    return lambda xml: re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>', xml)


def persons(n: int) -> list[list[Any]]:
    return [["person_id", "age"], *([i + 1, 20 + i % 50] for i in range(n))]


def column(path: Path, name: str) -> list[str]:
    return list(next(read_excel(path).iter_batches())[name].tolist())


@pytest.mark.parametrize("ref", ["A1:X50", "A1:B2", "C5:D9", "A1"])
def test_a_dimension_tag_that_understates_the_sheet_is_ignored(tmp_path: Path, ref: str) -> None:
    """All 200 rows are read, whatever used range the ``<dimension>`` tag claims."""
    path = workbook(tmp_path / "p.xlsx", persons(200), edit=dimension(ref))
    table = read_excel(path)
    assert table.layout.n_records == 200
    assert column(path, "person_id") == [str(i + 1) for i in range(200)]
    assert table.layout.line_of(np.array([199])).tolist() == [201]


def test_a_dimension_tag_that_overstates_the_sheet_adds_no_rows(tmp_path: Path) -> None:
    """A tag claiming the whole sheet neither pads rows nor slows the read."""
    path = workbook(tmp_path / "p.xlsx", persons(3), edit=dimension("A1:XFD1048576"))
    start = time.perf_counter()
    table = read_excel(path)
    assert column(path, "age") == ["20", "21", "22"]
    assert time.perf_counter() - start < 5
    assert table.layout.n_records == 3


def test_time_follows_the_cells_stored_not_the_sheet_extent(tmp_path: Path) -> None:
    """A cell at row 1,048,576 costs one row (it took minutes when the grid was padded)."""
    far = workbook(tmp_path / "far.xlsx", persons(3), cells={"A1048576": 9, "B1048576": 30})
    corner = workbook(tmp_path / "corner.xlsx", persons(3), cells={"XFD1048576": 1})
    start = time.perf_counter()
    table = read_excel(far)
    assert table.layout.line_of(np.array([0, 3])).tolist() == [2, 1_048_576]
    assert column(far, "person_id") == ["1", "2", "3", "9"]
    with pytest.raises(FileFormatError, match=r"cell XFD1048576 holds a value beyond the last"):
        read_excel(corner)
    assert time.perf_counter() - start < 5


def test_a_header_gap_is_checked_without_building_its_column(tmp_path: Path) -> None:
    """Header cells in A and XFD: 16,382 unnamed columns, checked from the stored cells."""
    rows: list[list[Any]] = [["person_id", *[None] * 16382, "age"]]
    rows += [[i, *[None] * 16382, 30] for i in range(3)]
    path = workbook(tmp_path / "p.xlsx", rows, cells={"C1048576": "x"})
    with pytest.raises(FileFormatError, match=r"<column 3> has no name .* holds values") as err:
        read_excel(path)
    assert err.value.line == 1_048_576
    gap = workbook(tmp_path / "gap.xlsx", [["person_id", None, "age"], [1, None, 30]])
    assert read_excel(gap).header == ("person_id", "<column 2>", "age")
    assert list(next(read_excel(gap).iter_batches())) == ["person_id", "age"]


def _truncated(xml: str) -> str:
    return xml[: xml.index('<row r="40"')] + '<row r="40"><c r="A40"'


@pytest.mark.parametrize(
    ("edit", "drop", "words"),
    [
        (_truncated, None, r"sheet 'Sheet', after row 39\): .*save it as"),
        (
            lambda x: x.replace("<v>7</v>", "<v>seven</v>"),
            None,
            r"\(sheet 'Sheet', row 8\): could not convert string to float: 'seven'",
        ),
        (
            lambda x: x.replace(
                "</sheetData>", '<row r="99"><c t="s"><v>5</v></c></row></sheetData>'
            ),
            None,
            r"row 99\): list index out of range",
        ),
        (None, SHEET, r"a part of the workbook is missing: .*sheet1\.xml"),
        (None, "xl/workbook.xml", r"a part of the workbook is missing"),
        (lambda x: "<worksheet", None, r"not a readable Excel workbook"),
    ],
    ids=[
        "truncated-xml",
        "bad-number",
        "bad-shared-string",
        "no-sheet-part",
        "no-workbook",
        "not-xml",
    ],
)
def test_a_damaged_workbook_is_a_clear_error(
    tmp_path: Path, edit: Callable[[str], str] | None, drop: str | None, words: str
) -> None:
    """Malformed XML, bad values and missing parts name the file (and sheet) with a hint."""
    path = workbook(tmp_path / "p.xlsx", persons(40), edit=edit, drop=drop)
    with pytest.raises(FileFormatError, match=words) as err:
        read_excel(path)
    assert err.value.file == str(path)
    assert "save it as an Excel Workbook (.xlsx) or as CSV UTF-8" in str(err.value)


def test_a_truncated_zip_is_a_clear_error(tmp_path: Path) -> None:
    """A download cut short: the zip's directory is missing."""
    path = workbook(tmp_path / "p.xlsx", persons(40))
    path.write_bytes(path.read_bytes()[:-200])
    with pytest.raises(FileFormatError, match=r"p\.xlsx: not a readable Excel workbook: the zip"):
        read_excel(path)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), r"Excel 97-2003 workbook \(\.xls\)"),
        (
            "person_id,age\n1,40\nNguyễn,3\n".encode(),
            r"text file \(it looks like CSV\); rename it \.csv",
        ),
        (b"\xef\xbb\xbfperson_id;age\r\n1;40\r\n", r"text file \(it looks like CSV\)"),
        ("Tên\tNăm\r\nAn\t40\r\n".encode("cp1258"), r"text file \(it looks like CSV\)"),
        ("mã\ttuổi\r\n".encode("utf-16"), r"UTF-16 text file \(Excel's 'Unicode Text'\)"),
        (b"\x00\x01\x02binary", r"an \.xlsx workbook is a zip file and this is not one"),
        (b"<html><body><table><tr><td>1</td></tr></table></body></html>", r"web page \(HTML\)"),
        (
            b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">',
            r"XML file",
        ),
        (b"", r"the file is empty"),
    ],
    ids=["xls", "csv", "csv-bom", "csv-cp1258", "utf-16", "binary", "html", "xml-2003", "empty"],
)
def test_a_file_that_is_not_an_xlsx_says_what_it_is(
    tmp_path: Path, content: bytes, words: str
) -> None:
    """Renamed CSV and HTML exports and old .xls workbooks are named, with what to do."""
    for name in ("p.xlsx", "p.xls"):
        (tmp_path / name).write_bytes(content)
        with pytest.raises(FileFormatError, match=words):
            read_excel(tmp_path / name)


def test_ods_and_xlsb_are_named(tmp_path: Path) -> None:
    """Zip-based workbooks of other kinds are not reported as damaged .xlsx files."""
    for part, kind in (("content.xml", r"OpenDocument"), ("xl/workbook.bin", r"\.xlsb")):
        with zipfile.ZipFile(tmp_path / "p.xlsx", "w") as z:
            z.writestr(part, "<x/>")
        with pytest.raises(FileFormatError, match=kind):
            read_excel(tmp_path / "p.xlsx")


#: What Excel's "Strict Open XML Spreadsheet" writes where an Excel Workbook writes the
#: transitional namespaces (ISO/IEC 29500 Strict): the workbook's parts and relationships.
STRICT = {
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main": (
        "http://purl.oclc.org/ooxml/spreadsheetml/main"
    ),
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships": (
        "http://purl.oclc.org/ooxml/officeDocument/relationships"
    ),
}


def test_a_strict_open_xml_workbook_is_named_with_the_fix(tmp_path: Path) -> None:
    """Saved as 'Strict Open XML Spreadsheet' (.xlsx too): openpyxl finds no sheet in it,
    which read as "no sheet number 1 (sheet=0); the sheets are " (no sheet was asked for),
    or, warnings being errors, as a damaged workbook."""
    path = workbook(tmp_path / "t.xlsx", [["person_id", "age"], ["1", 40]])
    strict = tmp_path / "nhan_khau.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(strict, "w") as out:
        for item in src.infolist():
            text = src.read(item.filename).decode()
            for old, new in STRICT.items():
                text = text.replace(old, new)
            out.writestr(item, text)
    with pytest.raises(FileFormatError) as info:
        read_excel(strict)
    err = info.value
    assert str(err) == (
        f"{strict}: not an .xlsx workbook: it is a workbook saved as 'Strict Open XML "
        "Spreadsheet', a form of .xlsx that learnsoc cannot read; open it in Excel and save it "
        "as an Excel Workbook (.xlsx) or as CSV UTF-8"
    )
    assert err.localized("vi") == (
        f"{strict}: không phải tệp Excel .xlsx: đây là tệp Excel lưu ở dạng 'Strict Open XML "
        "Spreadsheet', dạng .xlsx mà learnsoc không đọc được; hãy mở tệp bằng Excel rồi lưu "
        "lại dạng Excel Workbook (.xlsx) hoặc CSV UTF-8"
    )
    assert column(path, "age") == ["40"]  # the same workbook, saved as Excel Workbook


def test_an_xlsx_under_another_name_is_read_by_its_content(tmp_path: Path) -> None:
    """openpyxl refuses by file name alone; learnsoc looks at the bytes."""
    path = workbook(tmp_path / "p.XLS", persons(2))
    assert column(path, "age") == ["20", "21"]


def test_formulas_give_their_saved_result_or_a_clear_error(tmp_path: Path) -> None:
    """The value Excel saved is read; a formula saved without one is never a silent blank."""
    saved = workbook(
        tmp_path / "saved.xlsx",
        persons(2),
        edit=lambda x: x.replace("<v>21</v>", "<f>B2+1</f><v>21</v>"),
    )
    assert column(saved, "age") == ["20", "21"]
    unsaved = workbook(tmp_path / "unsaved.xlsx", [*persons(2), [3, "=B3+1"]])
    with pytest.raises(FileFormatError, match=r"cell B4 holds a formula saved without its result"):
        read_excel(unsaved)


def test_dates_times_and_errors_are_text_as_documented(tmp_path: Path) -> None:
    """Dates are ISO text, whatever their display format; error cells as Excel shows them."""
    rows: list[list[Any]] = [
        ["person_id", "born", "at"],
        [1, dt.date(1985, 3, 15), dt.datetime(2024, 1, 2, 8, 30)],
        [2, dt.datetime(1990, 12, 31), dt.time(7, 5)],
        [3, True, "#N/A"],
    ]
    path = workbook(
        tmp_path / "p.xlsx",
        rows,
        edit=lambda x: x.replace(
            '<c r="C4" t="inlineStr"><is><t>#N/A</t></is></c>', '<c r="C4" t="e"><v>#N/A</v></c>'
        ),
    )
    batch = next(read_excel(path).iter_batches())
    assert batch["born"].tolist() == ["1985-03-15", "1990-12-31", "1"]
    assert batch["at"].tolist() == ["2024-01-02T08:30:00", "07:05:00", "#N/A"]


def test_sizes_excel_cannot_save_are_refused(tmp_path: Path) -> None:
    """A cell past column XFD, a row past 1,048,576, a cell over 32,767 characters."""
    wide = workbook(
        tmp_path / "wide.xlsx", persons(2), edit=lambda x: x.replace('r="B3"', 'r="XFE3"')
    )
    with pytest.raises(FileFormatError, match=r"column 16,385 is past Excel's last column"):
        read_excel(wide)
    deep = workbook(
        tmp_path / "deep.xlsx",
        persons(2),
        edit=lambda x: x.replace('<row r="3"', '<row r="1048577"'),
    )
    with pytest.raises(
        FileFormatError, match=r"row 1048577 is past Excel's last row \(1,048,576\)"
    ):
        read_excel(deep)
    long = "x" * (MAX_CELL_CHARS + 1)
    big = workbook(
        tmp_path / "big.xlsx",
        persons(2),
        edit=lambda x: x.replace("<v>21</v>", f"<v>{long}</v>").replace(
            '<c r="B3" t="n">', '<c r="B3" t="str">'
        ),
    )
    # Longer than Excel saves: cut to one character over, a cell_too_long reject once
    # converted (as in CSV), not an error that stops the reading.
    assert column(big, "age") == ["20", long]


def test_rows_stored_out_of_order_are_refused(tmp_path: Path) -> None:
    """Two rows with one number would give two records on one line."""
    path = workbook(
        tmp_path / "p.xlsx", persons(3), edit=lambda x: x.replace('<row r="4"', '<row r="2"')
    )
    with pytest.raises(FileFormatError, match=r"row 2 is stored after row 3"):
        read_excel(path)
    zero = workbook(
        tmp_path / "zero.xlsx", persons(3), edit=lambda x: x.replace('<row r="1"', '<row r="0"')
    )
    with pytest.raises(FileFormatError, match=r"a row is numbered 0 \(rows are numbered from 1\)"):
        read_excel(zero)


def test_a_long_cell_costs_its_length_not_rows_times_its_length(tmp_path: Path) -> None:
    """One 30,000-character cell among many short ones keeps the column as Python strings."""
    rows = persons(2_000)
    rows[5][1] = "y" * 30_000
    path = workbook(tmp_path / "p.xlsx", rows)
    batch = next(read_excel(path).iter_batches())
    assert batch["age"].dtype == object
    assert batch["age"][4] == "y" * 30_000
    assert batch["age"].nbytes < 100_000
    assert batch["person_id"].dtype.kind == "U"


def test_a_population_from_a_sheet_with_a_wrong_dimension_tag(tmp_path: Path) -> None:
    """End to end: every person is read and the bad cell is a named reject."""
    rows: list[list[Any]] = [["person_id", "household_id", "age", "sex", "literate"]]
    rows += [[i, "H1", 30, 1, 1] for i in range(1, 200)] + [[200, "H2", "abc", 2, 0]]
    path = workbook(tmp_path / "p.xlsx", rows, edit=dimension("A1:E50"))
    paths = files(tmp_path)
    pop = read_population(path, households=paths["households"], units=paths["units"])
    assert pop.n_persons == 199  # and one rejected: 200 read
    assert problems(pop) == [("p.xlsx", 201, "age", "abc", "not_a_number")]


def test_sheets_are_chosen_by_name_or_position_and_a_missing_one_is_named(
    tmp_path: Path,
) -> None:
    """A sheet whose part is missing is an error, not silently replaced by the next one."""
    wb = openpyxl.Workbook()
    wb.active.title = "Hộ"
    wb.active.append(["household_id"])
    wb.active.append(["H1"])
    persons_sheet = wb.create_sheet("Người")
    for row in persons(2):
        persons_sheet.append(row)
    wb.save(tmp_path / "two.xlsx")
    assert read_excel(tmp_path / "two.xlsx", sheet="Người").header == ("person_id", "age")
    assert read_excel(tmp_path / "two.xlsx", sheet=1).header == ("person_id", "age")
    assert read_excel(tmp_path / "two.xlsx").header == ("household_id",)
    with pytest.raises(FileFormatError, match=r"no sheet 'x'; the sheets are 'Hộ', 'Người'"):
        read_excel(tmp_path / "two.xlsx", sheet="x")
    two, cut = tmp_path / "two.xlsx", tmp_path / "cut.xlsx"
    with zipfile.ZipFile(two) as src, zipfile.ZipFile(cut, "w") as out:
        for item in src.infolist():
            if item.filename != SHEET:
                out.writestr(item, src.read(item.filename))
    with pytest.raises(
        FileFormatError, match=r"missing: 'xl/worksheets/sheet1.xml' \(sheet 'Hộ'\)"
    ):
        read_excel(tmp_path / "cut.xlsx")


def test_a_row_of_more_cells_than_columns_is_refused_early(tmp_path: Path) -> None:
    """The same cell repeated: refused at cell 16,385, before the row is held in memory."""
    cell = '<c r="A3" t="n"><v>1</v></c>'
    path = workbook(
        tmp_path / "p.xlsx",
        persons(2),
        edit=lambda x: x.replace('<row r="3">', '<row r="3">' + cell * 16_385),
    )
    with pytest.raises(FileFormatError, match=r"row 3 holds more than 16,384 cells") as err:
        read_excel(path)
    assert str(err.value).startswith(f"{path}: sheet 'Sheet': row 3")


@pytest.mark.parametrize("ref", ["C1:D1", "C1:C2"], ids=["across", "down"])
def test_what_follows_the_rows_is_not_kept(tmp_path: Path, ref: str) -> None:
    """Elements after the data (here 200,000 merged ranges) are dropped as they are read.

    Ranges merged down one column are kept as three numbers each (to read their value on
    each row), so they too stay small.
    """
    merges = "<mergeCells>" + f'<mergeCell ref="{ref}"/>' * 200_000 + "</mergeCells>"
    path = workbook(
        tmp_path / "p.xlsx",
        persons(3),
        edit=lambda x: x.replace("</sheetData>", "</sheetData>" + merges),
    )
    tracemalloc.start()
    try:
        assert column(path, "age") == ["20", "21", "22"]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8_000_000


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), r"Excel 97-2003 workbook \(\.xls\)"),
        (b"<html><table><tr><td>person_id</td></tr></table></html>", r"web page \(HTML\)"),
    ],
    ids=["xls", "html"],
)
def test_an_xls_given_to_read_population_says_what_to_do(
    tmp_path: Path, content: bytes, words: str
) -> None:
    """Before: "unknown file type '.xls'", with no word on how to fix the file."""
    (tmp_path / "p.xls").write_bytes(content)
    paths = files(tmp_path)
    with pytest.raises(FileFormatError, match=words + r".*CSV UTF-8"):
        read_population(tmp_path / "p.xls", households=paths["households"], units=paths["units"])


def test_a_title_above_the_header_is_skipped_with_header_row(tmp_path: Path) -> None:
    """Agencies put a title and a date above the table: ``header_row=`` says where it starts."""
    rows: list[list[Any]] = [["DANH SÁCH NHÂN KHẨU"], ["Ngày 01/01/2025"], [], *persons(2)]
    path = workbook(tmp_path / "p.xlsx", rows)
    with pytest.raises(FileFormatError, match=r"cell B4 holds a value beyond the last named"):
        read_excel(path)  # the title is taken for the header
    table = read_excel(path, header_row=4)
    assert table.header == ("person_id", "age")
    assert next(table.iter_batches())["age"].tolist() == ["20", "21"]
    assert table.layout.line_of(np.array([0, 1])).tolist() == [5, 6]
    with pytest.raises(FileFormatError, match=r"row 3, given as the header row, is empty") as err:
        read_excel(path, header_row=3)
    assert err.value.line == 3
    with pytest.raises(FileFormatError, match=r"row 99, given as the header row, is empty"):
        read_excel(path, header_row=99)
    with pytest.raises(ValueError, match=r"header_row=0: a row of the sheet is numbered 1"):
        read_excel(path, header_row=0)
