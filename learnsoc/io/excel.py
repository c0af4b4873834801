"""Reading Excel workbooks (``.xlsx``; extra ``excel``: openpyxl).

The first non-empty row of the sheet is the header. Given the columns that mark a
table's header (:class:`TableHeader`, as the population readers give them), a workbook
whose first sheet does not hold the table (instructions, a cover sheet) is read from the
only sheet that does, and a title above the header is passed over, each time with a
:class:`SheetWarning`; no sheet or several is an error listing the sheets. Every cell is
read as text, the way
a CSV export would show it: whole numbers without a decimal point (``40``, not
``40.0``), dates as ``YYYY-MM-DD`` (whatever format the cell displays them in), TRUE/FALSE
as ``1``/``0``, empty cells as empty text, error cells as Excel shows them (``#N/A``:
an ``excel_error`` reject when converted). A number of 16 digits or more is marked as
one whose digits after the 15th Excel saved as 0 (:class:`~learnsoc._excel_cells.LongNumber`):
in an id column it is a ``digits_lost`` reject, elsewhere the number it reads as.
A date cell of a workbook kept in Excel's 1904 date system is read as the date it shows,
and the table says so (:attr:`~learnsoc.io.table.RawTable.date1904`): a number typed
into such a cell is then read back counting from 1904. A formula cell gives the result
Excel saved with the file; a formula saved without its result (a file written by a
program that does not calculate) is an error, never a blank, except in a totals row
(``Tổng cộng``), which is set aside unread as a ``totals_row`` reject.
Ids typed as text in Excel keep their leading zeros. Empty rows are skipped; the rejects
name each row by its number in the sheet. A column without a name in the header must be
empty (the reader checks it, and does not hand it on); a value right of the last named
column is an error naming its cell.

What the reader guarantees, for any file:

- Every row stored in the sheet is read. The ``<dimension>`` tag a workbook carries (the
  used range, which other programs may write wrong) is ignored: a sheet is read to its
  last stored row, however many rows the tag claims.
- Time and memory follow the cells stored in the file, not the sheet's extent: a single
  cell at ``XFD1048576`` costs one cell, not a grid of a million rows, and a run of empty
  rows stored in the file (a million ``<row r="5"/>``, rows of empty styled cells) is cut
  before parsing, at next to no cost.
- A file that cannot be read is a :class:`~learnsoc.io.files.FileFormatError` naming the
  file (and the sheet and row, when known) with a hint: a damaged or truncated workbook,
  malformed sheet XML, an old ``.xls``, an ``.xlsb`` or ``.ods`` workbook, a
  password-protected workbook, a CSV or HTML file renamed ``.xlsx``, a row past Excel's
  last row (:data:`~learnsoc.limits.MAX_SHEET_ROWS`), a cell past its last column
  (:data:`~learnsoc.limits.MAX_COLUMNS`).
- A zip bomb is refused before anything is parsed, from the sizes the zip declares: a
  part (a sheet, the shared strings) or all parts together unzipping to more than
  :data:`~learnsoc.limits.MAX_EXPANSION` times their size, once past
  :data:`~learnsoc.limits.EXPANSION_FROM` bytes.
- A cell longer than :data:`~learnsoc.limits.MAX_CELL_CHARS` characters (more than Excel
  saves; text or number) is handed on cut to one character over the limit, so it is the
  ``cell_too_long`` reject a CSV file gives, in bounded memory (never ``inf``).

Examples
--------
>>> import tempfile, pathlib
>>> from openpyxl import Workbook
>>> wb = Workbook(); ws = wb.active
>>> ws.append(["code", "level"]); ws.append(["01", "province"]); ws.append([]); ws.append([2, 3.0])
>>> path = pathlib.Path(tempfile.mkdtemp()) / "units.xlsx"; wb.save(path)
>>> table = read_excel(path)
>>> next(table.iter_batches())["code"].tolist(), table.layout.line_of([0, 1]).tolist()
(['01', '2'], [2, 4])
"""

from __future__ import annotations

import codecs
import datetime as dt
import importlib
import re
import shlex
import unicodedata
import warnings
import zipfile
import zlib
from array import array
from collections.abc import Callable, Collection, Generator, Iterator, Mapping
from itertools import repeat
from pathlib import PurePath
from typing import IO, Any

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc._excel_cells import EXCEL_LOST_DIGITS, LongNumber
from learnsoc._messages import N_, Message
from learnsoc._phrases import Joined, Phrase
from learnsoc.errors import OptionalDependencyError
from learnsoc.io._empty_rows import EmptyRowsCut
from learnsoc.io._styles import date_styles
from learnsoc.io._xml import DoctypeError, refuse_doctype
from learnsoc.io.csv import clean_header
from learnsoc.io.files import (
    FileFormatError,
    PathLike,
    display_name,
    file_error,
    open_regular,
)
from learnsoc.io.headers import (
    SHEET_SEARCH_ROWS,
    SheetWarning,
    TableHeader,
    block_heading,
    is_column_numbers,
    is_footer_row,
    is_footer_start,
    two_row_header,
)
from learnsoc.io.table import Layout, RawTable, is_totals_label
from learnsoc.limits import (
    EXPANSION_FROM,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_EXPANSION,
    MAX_SHEET_ROWS,
    MAX_SHEETS,
)
from learnsoc.model.ids import FLOAT_EXACT
from learnsoc.rejects import shown

__all__ = [
    "NO_SHEET_NUMBER",
    "NO_SUCH_SHEET",
    "SHEET_SEARCH_ROWS",
    "SheetWarning",
    "TableHeader",
    "read_excel",
]


#: What to do with a file Excel cannot read as ``.xlsx``.
_RESAVE = Phrase(
    Message(N_("open it in Excel and save it as an Excel Workbook (.xlsx) or as CSV UTF-8"))
)

#: The first bytes of an OLE2 compound file: Excel 97-2003 (.xls), and also any
#: password-protected .xlsx, which Excel wraps in an encrypted OLE2 container.
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

#: Text cells up to this long are kept in a fixed-width numpy array (compact for the
#: short cells of a census); a column holding a longer one is kept as Python strings, so
#: one long cell costs its own length, not its length times the number of rows.
_NARROW = 64


def _cell(value: Any) -> str:
    if type(value) is str:  # the common cases first: this runs once per cell
        return value
    if type(value) is int:
        # Of more than 15 digits, some were saved as 0 (Excel keeps 15): said so to an
        # id column, read as its digits where a number belongs.
        return str(value) if -EXCEL_LOST_DIGITS < value < EXCEL_LOST_DIGITS else LongNumber(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        # Beyond 2**53 a float is no exact integer (Excel keeps 15 digits): shown as it
        # is held (1e+20), not as digits it never had, and so an id's reject.
        if abs(value) > FLOAT_EXACT:
            return np.format_float_scientific(value, unique=True, trim="-")
        if abs(value) >= EXCEL_LOST_DIGITS:
            return LongNumber(int(value))
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _comma_cell(value: Any) -> str:
    """Spell a cell as :func:`_cell` does, numbers with a fraction with a decimal comma."""
    if type(value) is float and not value.is_integer():
        return repr(value).replace(".", ",")
    return _cell(value)


def _column_letter(column: int) -> str:
    """Return Excel's letters for a 1-based column number (``28`` -> ``"AB"``)."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_excel(
    path: PathLike,
    *,
    sheet: str | int | None = None,
    header_row: int | None = None,
    decimal: str = ".",
    find: TableHeader | None = None,
    unread: Callable[[str], bool] | None = None,
) -> RawTable:
    r"""Read one sheet of an Excel workbook as a :class:`~learnsoc.io.table.RawTable` of text.

    Parameters
    ----------
    path : str or path
        The ``.xlsx`` / ``.xlsm`` file.
    sheet : str or int, optional
        The sheet's name, or its position (0 = first). By default the first sheet, or,
        with ``find``, the sheet holding the table (see below).
    header_row : int, optional
        The row holding the column names, as Excel numbers it (1 = first): the rows
        above it (a title, a date, a blank) are not read. By default, the first row
        that is not empty.
    decimal : {".", ","}
        The decimal mark the text of number cells is given with: with ``","`` a cell
        holding the number 1.125 reads ``1,125``, as a CSV export in that convention
        shows it, so that a decimal comma is read the same from text and number cells
        (and a number cell is never taken for one with thousands separators).
    find : TableHeader, optional
        The columns that mark the table's header row. Without ``sheet``, the first
        visible sheet is read if its header row (``header_row``, else the first row that
        is not empty) holds them; else each sheet is searched (``header_row`` only, if
        given; else its first :data:`SHEET_SEARCH_ROWS` rows that are not empty), and the
        only sheet
        holding them is read from the row holding them, with a :class:`SheetWarning`.
        When no sheet or several do, a :class:`~learnsoc.io.files.FileFormatError`
        lists the sheets and what each holds (a workbook of one sheet is then read as
        it is, so that its columns are what the error is about). With ``sheet`` and no
        ``header_row``, the header is the row holding the columns, if one of the sheet's
        first rows does (with a :class:`SheetWarning` when it is not the first row
        that is not empty). A sheet that was not named is never read then. Hidden sheets
        are searched only when no visible sheet holds the table (and the one read is
        said); without ``find``, the first visible sheet is read.
    unread : callable, optional
        ``unread(header)``: whether a named column will not be read (an unknown column
        ignored, one a mapping file ignores, the row numbers). Its cells are not kept,
        and the table hands it on blank: each row is still judged on all its cells (a
        row filled only there is a row, a heading or totals label there is seen), so
        the rows read, skipped and set aside are those of the whole sheet.

    Raises
    ------
    FileFormatError
        For a missing file, a file that is not an ``.xlsx`` workbook (with a hint about
        what it is: ``.xls``, ``.xlsb``, ``.ods``, CSV, HTML), a damaged workbook or
        sheet, an unknown sheet, no sheet or several holding the table ``find``
        describes, an empty sheet or ``header_row``, a formula saved
        without its result, a value beyond the last named column or in a column without
        a name, and cells beyond Excel's limits (see the module docs).
    ValueError
        For a ``header_row`` that is no row number.
    OptionalDependencyError
        Without openpyxl.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "persons.xlsx"
    >>> _ = path.write_text("person_id,age\n1,40\n")  # a CSV export given an Excel name
    >>> try:
    ...     read_excel(path)
    ... except FileFormatError as err:
    ...     print(str(err).removeprefix(f"{path}: "))  # doctest: +NORMALIZE_WHITESPACE
    not an Excel workbook: it is a text file (it looks like CSV); rename it .csv, or open
    it in Excel and save it as an Excel Workbook (.xlsx)

    A workbook whose first sheet is its instructions:

    >>> import warnings
    >>> from openpyxl import Workbook
    >>> wb = Workbook(); wb.active.title = "Hướng dẫn"
    >>> wb.active.append(["Điền mỗi nhân khẩu trên một dòng."])
    >>> data = wb.create_sheet("Danh sách")
    >>> data.append(["DANH SÁCH NHÂN KHẨU"]); data.append(["person_id", "household_id"])
    >>> data.append(["NK1", "H1"])
    >>> path = path.with_name("nhan_khau.xlsx"); wb.save(path)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     table = read_excel(path, find=TableHeader(("person_id", "household_id")))
    >>> table.header, next(table.iter_batches())["person_id"].tolist()
    (('person_id', 'household_id'), ['NK1'])
    >>> print(str(caught[0].message).removeprefix(f"{path}: "))  # doctest: +NORMALIZE_WHITESPACE
    the first sheet, 'Hướng dẫn', holds no table with the columns person_id, household_id;
    sheet 'Danh sách' does (its row 2) and is read; to read another sheet, give it with
    --sheet (sheet=)
    """
    try:
        # Imported by name (openpyxl ships no type information), here to say which
        # extra is missing; its parts are imported where they are used.
        importlib.import_module("openpyxl")
    except ImportError:
        raise OptionalDependencyError("openpyxl", "excel", N_("reading Excel files")) from None
    name = display_name(path)
    if header_row is not None and not 1 <= header_row <= MAX_SHEET_ROWS:
        msg = f"header_row={header_row!r}: a row of the sheet is numbered 1 to {MAX_SHEET_ROWS:,}"
        raise ValueError(msg)
    # Held open while the workbook is read; a FIFO or a device is refused, never waited on.
    with open_regular(path, name) as fh:
        _check_workbook(fh, name)
        workbook = _open_workbook(fh, name)
        try:
            title, part, row, found = _choose(workbook, sheet, name, header_row, find)
            if found is not None:
                # Told before the sheet is read: an error in it then says which was read.
                warnings.warn(found, stacklevel=2)
            return _read_sheet(workbook, title, part, name, row, decimal, unread)
        finally:
            workbook.archive.close()


@attrs.frozen
class _Probe:
    """What the top of a sheet holds: to choose the sheet to read, and to tell the user."""

    title: str
    part: str
    #: The header row as read by default: ``header_row``, else the first row not empty.
    usual: int | None
    #: The first row searched that is the table's header.
    found: int | None
    #: The cells of the found row, else of the first row of several cells; and its row.
    cells: tuple[str, ...] = ()
    row: int | None = None
    #: The cells of the found row that give the table's columns.
    named: tuple[str, ...] = ()


def _probe(
    reader: Any, title: str, part: str, name: str, header_row: int | None, find: TableHeader
) -> _Probe:
    """Read the top of a sheet: where its header would be, and where the table's is."""
    _check_part(reader, title, part, name)
    usual = found = row = None
    cells: tuple[str, ...] = ()
    seen = 0
    above: tuple[int, list[tuple[int, str]]] = (0, [])  # the row before, for a header on two
    rows = _stored_rows(reader, part, name, _sheet(title))
    try:
        for number, stored, _ in rows:
            if header_row is not None and number != header_row:
                if number > header_row:
                    break
                continue
            texts = tuple(t for _, t in stored if t.strip())
            if not texts:
                continue
            usual = number if usual is None else usual
            if find.matches(texts):
                found, row, cells = number, number, texts
                break
            both = two_row_header(above[1], stored) if above[0] == number - 1 else None
            if both is not None and find.matches(t for _, t in both):
                found = row = above[0]
                cells = tuple(t for _, t in both)
                break
            above = (number, stored)
            if row is None and len(texts) > 1:
                row, cells = number, texts  # a row of several cells: what the sheet holds
            seen += 1
            if seen >= SHEET_SEARCH_ROWS:
                break
    finally:
        rows.close()
    named = tuple(find.named(cells)) if found is not None else ()
    return _Probe(title, part, usual, found, cells, row, named)


def _choose(
    reader: Any,
    sheet: str | int | None,
    name: str,
    header_row: int | None,
    find: TableHeader | None,
) -> tuple[str, str, int | None, SheetWarning | None]:
    """Return the sheet to read (name, part), its header row, and what to warn of.

    See :func:`read_excel` for the rules.
    """
    tables = _tables(reader)
    hidden = _hidden(reader)
    # A hidden sheet (an old copy, a list for drop-downs) is not what the clerk sees on
    # opening the file: without --sheet, the visible sheets are read first.
    visible = [t for t in tables if t[0] not in hidden] or tables
    if find is None or sheet is not None:
        default: str | int = visible[0][0] if visible else 0
        title, part = _locate(reader, default if sheet is None else sheet, name)
        if find is None or header_row is not None:
            return title, part, header_row, None
        probe = _probe(reader, title, part, name, None, find)
        if probe.found is not None and probe.found != probe.usual:
            return title, part, probe.found, _header_below(probe, name)
        return title, part, None, None
    if not tables:
        _locate(reader, 0, name)  # raises: every sheet is a chart
    first = _probe(reader, *visible[0], name, header_row, find)
    probes = [first, *(_probe(reader, t, p, name, header_row, find) for t, p in visible[1:])]
    holding = [p for p in probes if p.found is not None]
    if first.found is not None and first.found == first.usual:
        # A sheet per village: the first holds the table, and so do the others, under the
        # same header. Reading the first alone would leave the others' rows unread, unseen.
        if not any(p.cells == first.cells for p in holding[1:]):
            return first.title, first.part, header_row, None
        raise _no_single_sheet(reader, probes, holding, name, find)
    if not holding and len(visible) < len(tables):
        # No visible sheet holds the table: the hidden ones are searched too, and the
        # one read is said to be hidden.
        secret = [_probe(reader, t, p, name, header_row, find) for t, p in tables if t in hidden]
        found = [p for p in secret if p.found is not None]
        probes += secret
        if len(found) == 1:
            chosen = found[0]
            msg = Message(
                N_(
                    "{file}: no visible sheet holds a table with the columns {columns}; the "
                    "hidden sheet {sheet!r} does (its row {row}) and is read; to read another "
                    "sheet, give it with --sheet (sheet=)"
                ),
                file=name,
                columns=", ".join(chosen.named),
                sheet=chosen.title,
                row=chosen.found,
            )
            return chosen.title, chosen.part, chosen.found, _found(msg, name, chosen)
        holding = found
    if len(holding) == 1:
        chosen = holding[0]
        if chosen is first:
            return chosen.title, chosen.part, chosen.found, _header_below(chosen, name)
        msg = Message(
            N_(
                "{file}: the first sheet, {first!r}, holds no table with the columns "
                "{columns}; sheet {sheet!r} does (its row {row}) and is read; to read "
                "another sheet, give it with --sheet (sheet=)"
            ),
            file=name,
            first=first.title,
            columns=", ".join(chosen.named),
            sheet=chosen.title,
            row=chosen.found,
        )
        return chosen.title, chosen.part, chosen.found, _found(msg, name, chosen)
    if not holding and len(tables) == 1:
        # Nothing to choose from: the sheet is read, and its columns are what is wrong.
        return first.title, first.part, header_row, None
    raise _no_single_sheet(reader, probes, holding, name, find)


def _header_below(probe: _Probe, name: str) -> SheetWarning:
    """Return the warning that the header is below the first row that is not empty."""
    msg = Message(
        N_(
            "{file}, sheet {sheet!r}: the column names ({columns}) are on row {row}, read as "
            "the header; the rows above it are a title, not read; to read another row as "
            "the header, give --header-row (header_row=)"
        ),
        file=name,
        sheet=probe.title,
        columns=", ".join(probe.named),
        row=probe.found,
    )
    return _found(msg, name, probe)


def _found(msg: Message, name: str, probe: _Probe) -> SheetWarning:
    return SheetWarning(msg, file=name, sheet=probe.title, row=probe.found or 1)


#: Cells of a row shown to tell what a sheet holds.
_SHOWN_CELLS = 5

#: Sheets listed when no sheet, or several, hold the table.
_SHOWN_SHEETS = 20


def _some_sheets(names: list[str]) -> Joined:
    """Return the first sheets' names for a message, each cut, then how many more.

    A workbook may hold a hundred thousand sheets, and a sheet's name be megabytes long
    (Excel's are 31 characters): listed whole, they made a message of megabytes.
    """
    listed: list[str | Phrase] = [repr(shown(name)) for name in names[:_SHOWN_SHEETS]]
    if len(names) > _SHOWN_SHEETS:
        more = len(names) - _SHOWN_SHEETS
        listed.append(Phrase(Message(N_("and {n:,} more sheets"), n=more)))
    return Joined(listed, ", ")


def _no_single_sheet(
    reader: Any, probes: list[_Probe], holding: list[_Probe], name: str, find: TableHeader
) -> FileFormatError:
    """Return the error for a workbook where no sheet, or several, hold the table."""
    by_title = {p.title: p for p in probes}
    listed: list[Joined | Phrase] = []
    for sheet, _ in reader.sheets[:_SHOWN_SHEETS]:
        probe = by_title.get(sheet.name)
        if probe is None:
            what = Phrase(Message(N_("a chart")))
        elif probe.row is None:
            what = Phrase(Message(N_("no table")))
        else:
            cells = ", ".join(repr(shown(c)) for c in probe.cells[:_SHOWN_CELLS])
            if len(probe.cells) > _SHOWN_CELLS:
                cells += ", ..."
            what = Phrase(Message(N_("row {row}: {cells}"), row=probe.row, cells=cells))
        listed.append(Joined([repr(shown(sheet.name)), " (", what, ")"], ""))
    if len(reader.sheets) > _SHOWN_SHEETS:
        # A workbook may hold thousands of sheets: the message stays readable.
        more = len(reader.sheets) - _SHOWN_SHEETS
        listed.append(Phrase(Message(N_("and {n:,} more sheets"), n=more)))
    sheets = Joined(listed, ", ")
    columns = ", ".join(find.columns)
    base = PurePath(name).name
    if holding and len({p.cells for p in holding}) == 1:
        # The same columns on every sheet: perhaps one list split by village, which
        # learnsoc cannot read as one table (one sheet per file); say how to join it.
        msg = Message(
            N_(
                "several sheets hold a table with the columns {columns}: {found}; the sheets "
                "are {sheets}; learnsoc reads one sheet of each file: if they are parts of one "
                "list (a sheet per village), copy their rows under one header on one sheet "
                "first, else give the one to read with --sheet {choice} (sheet=)"
            ),
            columns=columns,
            found=_some_sheets([p.title for p in holding]),
            sheets=sheets,
            choice=shlex.quote(f"{base}={shown(holding[0].title)}"),
        )
    elif holding:
        msg = Message(
            N_(
                "several sheets hold a table with the columns {columns}: {found}; the sheets "
                "are {sheets}; give the one to read with --sheet {choice} (sheet=)"
            ),
            columns=columns,
            found=_some_sheets([p.title for p in holding]),
            sheets=sheets,
            choice=shlex.quote(f"{base}={shown(holding[0].title)}"),
        )
    else:
        msg = Message(
            N_(
                "no sheet holds a table with the columns {columns} (by these names, or names "
                "the mapping file gives them); the sheets are {sheets}; give the one to read "
                "with --sheet {choice} (sheet=), or name its columns in the mapping file"
            ),
            columns=columns,
            sheets=sheets,
            choice=_sheet_placeholder(base),
        )
    return file_error(msg, file=name)


def _sheet_placeholder(base: str) -> Joined:
    """Return ``FILE=NAME`` for a file, quoted for a shell, NAME in the reader's language.

    Quoted whole when the file's name needs it (``'danh sách.xlsx=TÊN'``): the reader
    replaces the placeholder and keeps the quotes.
    """
    head, tail = shlex.quote(f"{base}=NAME").rsplit("NAME", 1)
    # The placeholder of a sheet's name in "--sheet FILE=NAME" (keep it one word).
    return Joined([head, Phrase(Message(N_("NAME"))), tail], "")


def _open_workbook(fh: IO[bytes], name: str) -> Any:
    """Return openpyxl's reader of a workbook with its strings, styles and sheet list read.

    What ``openpyxl.load_workbook(read_only=True)`` does, less its worksheet step: that
    step parses each sheet up to its ``<dimension>`` tag (the whole sheet when the tag
    is missing, as in files openpyxl writes itself), and skips without a word a sheet
    whose part is missing, so that sheet 0 would be another sheet.
    """
    excel: Any = importlib.import_module("openpyxl.reader.excel")
    try:
        # A file object, not the path: openpyxl would refuse a workbook by its name
        # alone (an .xlsx saved as "data.XLS"); what the bytes are decides.
        reader = excel.ExcelReader(fh, read_only=True, data_only=True)
        reader.read_manifest()
        strings = reader.package.find(_SHARED_STRINGS_TYPE)
        if strings is not None:
            with reader.archive.open(strings.PartName[1:]) as source:
                reader.shared_strings = _StringTable(_shared_strings(source))
        reader.read_workbook()
        # Of the styles, only which show dates (openpyxl's objects for every style cost
        # gigabytes in a bloated stylesheet).
        if _STYLES in reader.valid_files:
            with reader.archive.open(_STYLES) as source:
                reader.wb._date_formats, reader.wb._timedelta_formats = date_styles(source)
        reader.sheets = list(reader.parser.find_sheets())
    except MemoryError:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise _damaged(exc, name) from None
    return reader


#: The workbook's styles (openpyxl reads them from this name only).
_STYLES = "xl/styles.xml"
#: The content type of the shared strings part, and its tags (openpyxl reads these).
_SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_SI, _T, _R = (f"{_MAIN_NS}}}{tag}" for tag in ("si", "t", "r"))

#: Characters of one shared string kept while it is read: past Excel's limit, so a longer
#: one is still a ``cell_too_long`` reject once cut, with room for the ``_xHHHH_`` escapes
#: read after (seven characters each), in memory bounded whatever the string's length.
_KEPT_CHARS = 8 * (MAX_CELL_CHARS + 1)

#: Excel's escape of a character in a cell's text (ECMA-376 ``ST_Xstring``): ``_x000D_`` is
#: a carriage return, ``_x005F_`` an underscore (so ``_x005F_x000D_`` is the text
#: ``_x000D_`` as typed).
_XSTRING_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape(text: str) -> str:
    r"""Return a cell's text with Excel's ``_xHHHH_`` escapes read as their characters.

    Excel writes a character XML cannot hold as is (a carriage return: a header pasted
    from a web page or Word, "Số giờ\r\nhọc") as ``_x000D_``, and an underscore that
    would start such an escape as ``_x005F_``. openpyxl reads the escapes as text, so
    the header was the unknown column ``'Số giờ_x000D_ học'`` and a code ``H01_x000D_``
    named no household; read, the carriage return is white space like any other.

    Examples
    --------
    >>> _unescape("Số giờ_x000D_\nhọc")
    'Số giờ\r\nhọc'
    >>> _unescape("_x005F_x000D_"), _unescape("Mã_hộ_x41"), _unescape("_xD800_")
    ('_x000D_', 'Mã_hộ_x41', '_xD800_')
    """
    if "_x" not in text:  # the common case: one test per cell
        return text
    return _XSTRING_ESCAPE.sub(_escaped_character, text)


def _escaped_character(match: re.Match[str]) -> str:
    code = int(match[1], 16)
    # Half a surrogate pair is no character (it could not be written out again as UTF-8):
    # such an escape stays as written.
    return match[0] if 0xD800 <= code <= 0xDFFF else chr(code)


class _StringTable:
    """The shared strings as a sheet's cells index them: from 0, never from the end.

    openpyxl looks a cell's string up in a list, where index -1 is the last string: a
    cell ``<c t="s"><v>-1</v></c>`` was read as another cell's text, without a word.
    """

    def __init__(self, strings: list[str]) -> None:
        self._strings = strings

    def __len__(self) -> int:
        return len(self._strings)

    def __getitem__(self, index: int) -> str:
        if not 0 <= index < len(self._strings):
            # The detail of the damaged-workbook error, as openpyxl's own are (English).
            detail = f"a cell names shared string {index}; the workbook has {len(self._strings):,}"
            raise IndexError(detail)
        return self._strings[index]


def _shared_strings(source: IO[bytes]) -> list[str]:
    """Return the shared strings as openpyxl's ``read_string_table`` does, in less memory.

    Each ``<si>`` is its plain text, then its runs' (``<r><t>``), phonetic guides
    (``<rPh>``) left out, as openpyxl gives them, its ``_xHHHH_`` escapes read (see
    :func:`_unescape`; openpyxl only drops ``x005F_``). Read with expat
    block by block, keeping only the strings: openpyxl keeps an element per string besides
    (twice the memory, and 10 µs a string), and a string of any length whole; here a
    string is cut past Excel's limit (see :func:`_cut`) as it is read.
    """
    expat: Any = importlib.import_module("xml.parsers.expat")
    strings: list[str] = []
    tags: list[str] = []
    plain: str | None = None
    runs: list[str] = []
    chunks: list[str] | None = None  # the text of the <t> being read, if one is kept
    kept = 0  # characters kept of the current string

    def start(tag: str, _attrs: Any) -> None:
        nonlocal plain, chunks, kept
        parent = tags[-1] if tags else ""
        if tag == _SI:
            plain, kept = None, 0
            runs.clear()
        elif tag == _R and parent == _SI:
            runs.append("")
        elif tag == _T and (parent == _SI or (parent == _R and tags[-2:-1] == [_SI])):
            chunks = []
        tags.append(tag)

    def text(data: str) -> None:
        nonlocal kept
        if chunks is not None and kept < _KEPT_CHARS:
            if kept + len(data) > _KEPT_CHARS:
                data = data[: _KEPT_CHARS - kept]
            chunks.append(data)
            kept += len(data)

    def end(tag: str) -> None:
        nonlocal plain, chunks
        tags.pop()
        if tag == _T and chunks is not None:
            # As openpyxl: a second <t> of the same parent replaces the first.
            if tags[-1] == _SI:
                plain = "".join(chunks)
            else:
                runs[-1] = "".join(chunks)
            chunks = None
        elif tag == _SI:
            content = _unescape((plain or "") + "".join(runs))
            strings.append(_cut(content))

    parser = expat.ParserCreate(namespace_separator="}")
    refuse_doctype(parser, "xl/sharedStrings.xml")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.buffer_text = True
    while block := source.read(1 << 16):
        parser.Parse(block, False)
    parser.Parse(b"", True)
    return strings


def _check_workbook(fh: IO[bytes], name: str) -> None:
    """Raise a :class:`FileFormatError` saying what a file is, unless it is an .xlsx zip."""
    head = fh.read(2048)
    fh.seek(0)
    if head.startswith(_OLE2):
        msg = Message(
            N_(
                "not an .xlsx workbook: it is an Excel 97-2003 workbook (.xls) or a "
                "password-protected one; remove any password, and {resave}"
            ),
            resave=_RESAVE,
        )
        raise file_error(msg, file=name)
    if not head.startswith(b"PK"):
        msg = Message(N_("not an Excel workbook: {what}"), what=_describe(head))
        raise file_error(msg, file=name)
    try:
        with zipfile.ZipFile(fh) as archive:
            infos = archive.infolist()
            parts = {info.filename for info in infos}
            strict = _is_strict(archive, parts)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        # The detail is the zip module's own words (English).
        msg = Message(
            N_(
                "not a readable Excel workbook: the zip file is damaged or truncated "
                "({detail}); {resave}"
            ),
            detail=str(exc),
            resave=_RESAVE,
        )
        raise file_error(msg, file=name) from None
    finally:
        fh.seek(0)
    if "xl/workbook.bin" in parts:
        kind = N_("an Excel Binary Workbook (.xlsb)")
    elif "content.xml" in parts:
        kind = N_("an OpenDocument spreadsheet (.ods)")
    elif "word/document.xml" in parts:
        kind = N_("a Word document")
    elif strict:
        kind = N_(
            "a workbook saved as 'Strict Open XML Spreadsheet', a form of .xlsx that learnsoc "
            "cannot read"
        )
    elif not any(p.startswith("xl/") for p in parts):
        kind = N_("a zip file without a workbook in it")
    else:
        _check_ratios(infos, name)
        _check_sheet_count(fh, name)
        return
    msg = Message(
        N_("not an .xlsx workbook: it is {kind_text}; {resave}"), kind_text=kind, resave=_RESAVE
    )
    raise file_error(msg, file=name)


def _check_sheet_count(fh: IO[bytes], name: str) -> None:
    """Refuse a workbook listing more than :data:`~learnsoc.limits.MAX_SHEETS` sheets.

    Counted with expat in ``xl/workbook.xml``, before openpyxl reads the list (an object of
    about 3 KB a sheet); a damaged part is left for openpyxl to say.
    """
    expat: Any = importlib.import_module("xml.parsers.expat")
    count = 0

    def start(tag: str, _attrs: Any) -> None:
        nonlocal count
        if tag.rpartition("}")[2] == "sheet":
            count += 1
            if count > MAX_SHEETS:
                raise _TooManySheetsError

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = start
    try:
        with zipfile.ZipFile(fh) as archive, archive.open("xl/workbook.xml") as source:
            while block := source.read(1 << 16):
                parser.Parse(block, False)
    except _TooManySheetsError:
        msg = Message(
            N_(
                "not a readable Excel workbook: it lists more than {limit:,} sheets "
                "(learnsoc.limits.MAX_SHEETS); save the sheet to read in a workbook of its "
                "own, or as CSV UTF-8"
            ),
            limit=MAX_SHEETS,
        )
        raise file_error(msg, file=name) from None
    except (KeyError, zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, expat.error):
        pass  # a missing or damaged part: said as such when the workbook is read
    finally:
        fh.seek(0)


class _TooManySheetsError(Exception):
    """Raised from expat's handler to stop counting sheets."""


#: The package relationship to the workbook in a Strict Open XML file (ISO/IEC 29500
#: Strict): Excel's Save As "Strict Open XML Spreadsheet (*.xlsx)" writes it, with every
#: part in namespaces openpyxl does not read (it finds no sheet in such a file).
_STRICT_WORKBOOK = b"http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
#: Bytes of the package relationships read to find it (the part is a few hundred bytes).
_RELS_READ = 1 << 16


def _is_strict(archive: zipfile.ZipFile, parts: Collection[str]) -> bool:
    """Tell whether a zip is a Strict Open XML document, from its package relationships."""
    if "_rels/.rels" not in parts:
        return False
    try:
        with archive.open("_rels/.rels") as rels:
            return _STRICT_WORKBOOK in rels.read(_RELS_READ)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError):
        return False  # a damaged part: said as such when the workbook is read


def _check_ratios(infos: list[zipfile.ZipInfo], name: str) -> None:
    """Refuse a zip bomb: a part, or the parts together, unzipping to far more than its size.

    The sizes are the ones the zip's directory declares, read before any part is parsed:
    :mod:`zipfile` stops a part at its declared size (a part that holds more is damaged,
    its checksum wrong), so they bound what reading the workbook can cost. Each part is
    checked, then all together (thousands of small bombs, say one per sheet).
    """
    whole = zipfile.ZipInfo("")
    whole.file_size = sum(info.file_size for info in infos)
    whole.compress_size = sum(info.compress_size for info in infos)
    for info in [*infos, whole]:
        size, packed = info.file_size, max(info.compress_size, 1)
        if size <= EXPANSION_FROM or size <= MAX_EXPANSION * packed:
            continue
        where = (
            Phrase(Message(N_("part {part!r}"), part=info.filename))
            if info.filename
            else Phrase(Message(N_("its parts together")))
        )
        msg = Message(
            N_(
                "not a readable Excel workbook: {where} would unzip to {size:,} bytes from "
                "{packed:,}, {ratio:,} times its size, and learnsoc reads at most {limit:,} "
                "times (learnsoc.limits.MAX_EXPANSION): a file built to exhaust memory (a zip "
                "bomb), or a damaged one; Excel writes no such file: {resave}"
            ),
            where=where,
            size=size,
            packed=info.compress_size,
            ratio=size // packed,
            limit=MAX_EXPANSION,
            resave=_RESAVE,
        )
        raise file_error(msg, file=name)


def _describe(head: bytes) -> Phrase:
    """Say what the first bytes of a file that is not a zip look like."""
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")) or b"<html" in text:
        # Many information systems "export to Excel" as an HTML table named .xls(x).
        msg = Message(N_("it is a web page (HTML) given an Excel name; {resave}"), resave=_RESAVE)
    elif text.startswith(b"<?xml"):
        msg = Message(
            N_("it is an XML file (perhaps an Excel 2003 XML spreadsheet); {resave}"),
            resave=_RESAVE,
        )
    elif not head:
        msg = Message(N_("the file is empty"))
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        msg = Message(
            N_(
                "it is a UTF-16 text file (Excel's 'Unicode Text'); open it in Excel and save "
                "it as CSV UTF-8 or as an Excel Workbook (.xlsx)"
            )
        )
    elif all(byte >= 0x20 or byte in b"\t\r\n" for byte in head):  # text, in any 8-bit code
        msg = Message(
            N_(
                "it is a text file (it looks like CSV); rename it .csv, or open it in "
                "Excel and save it as an Excel Workbook (.xlsx)"
            )
        )
    else:
        msg = Message(
            N_("an .xlsx workbook is a zip file and this is not one; {resave}"), resave=_RESAVE
        )
    return Phrase(msg)


def _sheet(title: str) -> Phrase:
    """Name a sheet in a message: ``sheet 'Sheet1'``."""
    return Phrase(Message(N_("sheet {sheet!r}"), sheet=title))


def _damaged(exc: BaseException, name: str, where: Phrase | None = None) -> FileFormatError:
    """Return the error for a workbook that openpyxl or the XML parser could not read.

    The detail is openpyxl's or the XML parser's own words (English).
    """
    detail: str | Phrase = (str(exc).strip() or type(exc).__name__)[:200]
    if isinstance(exc, DoctypeError):
        detail = Phrase(exc.message)
    if isinstance(exc, KeyError):
        full = f"a part of the workbook is missing: {str(exc).strip()}"[:200]
        part = full.removeprefix("a part of the workbook is missing: ")
        detail = Phrase(Message(N_("a part of the workbook is missing: {part}"), part=part))
    if where is None:
        msg = Message(
            N_("not a readable Excel workbook: {detail}; {resave}"), detail=detail, resave=_RESAVE
        )
    else:
        msg = Message(
            N_("not a readable Excel workbook ({where}): {detail}; {resave}"),
            where=where,
            detail=detail,
            resave=_RESAVE,
        )
    return file_error(msg, file=name)


def _tables(reader: Any) -> list[tuple[str, str]]:
    """Return the workbook's sheets that hold cells (not charts): (name, part), in order."""
    return [(s.name, rel.target) for s, rel in reader.sheets if "chartsheet" not in rel.Type]


def _hidden(reader: Any) -> set[str]:
    """Return the names of the workbook's hidden sheets (hidden or "very hidden")."""
    return {s.name for s, _ in reader.sheets if (s.state or "visible") != "visible"}


#: The message ids (``err.message_id``) of the error for a sheet the workbook does not
#: have, by name and by number (1 = first): public, to tell that error from the other
#: errors of a workbook (the command line adds to it how to choose a sheet for one
#: workbook only).
NO_SUCH_SHEET = N_("no sheet {sheet!r}; the sheets are {sheets}")
NO_SHEET_NUMBER = N_("no sheet number {number} (sheet={index}); the sheets are {sheets}")


def _locate(reader: Any, sheet: str | int, name: str) -> tuple[str, str]:
    """Return the (name, part) of the sheet asked for, or say which sheets there are."""
    names = [s.name for s, _ in reader.sheets]
    tables = _tables(reader)
    if isinstance(sheet, str) and sheet not in names:
        # Excel itself takes sheet names in any case, and a name typed with decomposed
        # accents (macOS, some keyboards) is the same name: match them so, when only one
        # sheet matches (never a guess between two).
        same = [n for n in names if _sheet_key(n) == _sheet_key(sheet)]
        sheet = same[0] if len(same) == 1 else sheet
    try:
        title, part = (
            next(t for t in tables if t[0] == sheet) if isinstance(sheet, str) else tables[sheet]
        )
    except (StopIteration, IndexError):
        if isinstance(sheet, str) and sheet in names:
            msg = Message(
                N_("sheet {sheet!r} is a chart, not a table; the sheets are {sheets}"),
                sheet=shown(sheet),
                sheets=_some_sheets(names),
            )
        elif isinstance(sheet, int) and sheet >= 0:
            # Said both ways: the command line counts sheets from 1, Python from 0.
            msg = Message(
                NO_SHEET_NUMBER,
                number=sheet + 1,
                index=sheet,
                sheets=_some_sheets(names),
            )
        else:
            msg = Message(
                NO_SUCH_SHEET,
                sheet=shown(sheet),
                sheets=_some_sheets(names),
            )
        raise file_error(msg, file=name) from None
    _check_part(reader, title, part, name)
    return title, part


def _sheet_key(name: str) -> str:
    """Return a sheet name as Excel compares names: in any case, accents composed (NFC).

    >>> _sheet_key("NHÂN KHẨU") == _sheet_key(unicodedata.normalize("NFD", "Nhân khẩu"))
    True
    """
    return unicodedata.normalize("NFC", name).strip().casefold()


def _check_part(reader: Any, title: str, part: str, name: str) -> None:
    """Refuse a sheet whose part is missing from the file (never read another instead)."""
    if part not in reader.valid_files:
        msg = Message(
            N_(
                "not a readable Excel workbook: a part of the workbook is missing: {part!r} "
                "({where}); {resave}"
            ),
            part=part,
            where=_sheet(title),
            resave=_RESAVE,
        )
        raise file_error(msg, file=name)


def _read_sheet(
    reader: Any,
    title: str,
    part: str,
    name: str,
    header_row: int | None,
    decimal: str = ".",
    unread: Callable[[str], bool] | None = None,
) -> RawTable:
    where = _sheet(title)
    header: tuple[str, ...] | None = None
    # The named columns whose cells are not kept (see read_excel's unread), by number.
    not_kept: frozenset[int] = frozenset()

    def columns_not_kept(names: tuple[str, ...]) -> frozenset[int]:
        if unread is None:
            return frozenset()
        return frozenset(
            c for c, h in enumerate(names, 1) if not h.startswith("<column ") and unread(h)
        )

    found = 1  # the header's row
    # The cells of each column, as stored (non-empty ones only): record numbers, texts.
    records: dict[int, list[int]] = {}
    texts: dict[int, list[str]] = {}
    lines: list[int] = []  # every record's row, totals rows included
    kept_lines: list[int] = []  # the rows handed on
    totals: list[int] = []  # records that are totals rows, and their words
    totals_text: list[str] = []
    totals_cells: list[tuple[str, ...]] = []  # and their cells, under the header's columns
    headings: list[int] = []  # records that head a block of rows (Thôn Đông), and their text
    headings_text: list[str] = []
    # Rows of a form that are no data, found and said: the column numbers under the
    # header, and the notes and signature block under the table (held back until the
    # sheet ends, since a row of data below them would make them rows to read).
    after_header = False
    header_cells: list[tuple[int, str]] = []  # the header row as stored
    second_row: int | None = None  # the header's second row, if it has one
    numbers_row: tuple[int, list[str]] | None = None
    footer: list[tuple[int, list[tuple[int, str]], Uncached]] = []

    def read_formula(formulas: Uncached) -> Message | None:
        """Return the first formula without its result in a column that is read, if any.

        A formula in a column never read (an ignored one) needs no result; before the
        header, every column is read.
        """
        return next((m for col, m in formulas if col is None or col not in not_kept), None)

    def take(number: int, cells: list[tuple[int, str]], formulas: Uncached) -> None:
        """Read a row of the table (a totals row is set aside)."""
        assert header is not None  # noqa: S101 - set before any row is taken
        label = _totals_label(cells)
        uncached = read_formula(formulas)
        if uncached is not None and label is None:
            # A formula without its result in a row that is read (or in a row that
            # looks empty without it): an error, never a blank.
            raise file_error(uncached, file=name)
        lines.append(number)
        if label is not None:
            # A totals row is set aside as a totals_row reject: its formulas (sums a
            # program saved without results) are not read, so need no result.
            totals.append(len(lines) - 1)
            totals_text.append(label)
            row = [""] * len(header)
            for col, text in cells:
                if col <= len(header):
                    row[col - 1] = text
            totals_cells.append(tuple(row))
            return
        heading = _heading(cells, len(header))
        if heading is not None and uncached is None:
            # A heading over a block (Thôn Đông): no data, skipped (see form_rows).
            headings.append(len(lines) - 1)
            headings_text.append(heading)
            return
        record = len(kept_lines)
        kept_lines.append(number)
        for col, text in cells:
            if col > len(header):
                titled = [h for h in header if not h.startswith("<column ")]
                if text.strip() and header_row is None and len(titled) == 1:
                    # A guessed header of one name is most often a title (merged across
                    # the columns) above the real header, which is then this row.
                    msg = Message(
                        N_(
                            "{where}, cell {cell} holds a value beyond the last named column "
                            "of the header, taken from row {found} (the first row that is "
                            "not empty: {first!r}); if the column names are on row {row}, "
                            "give it as the header row (--header-row {row}, header_row={row})"
                        ),
                        where=where,
                        cell=f"{_column_letter(col)}{number}",
                        found=found,
                        first=titled[0],
                        row=number,
                    )
                    raise file_error(msg, file=name, line=number)
                if text.strip():
                    msg = Message(
                        N_(
                            "{where}, cell {cell} holds a value beyond the last named column; "
                            "name its column in the header or delete it"
                        ),
                        where=where,
                        cell=f"{_column_letter(col)}{number}",
                    )
                    raise file_error(msg, file=name, line=number)
                continue
            if col in not_kept:
                continue  # the row was judged on it above; its text is never read
            records.setdefault(col, []).append(record)
            texts.setdefault(col, []).append(text)

    merges: array[int] = array("i")
    hidden: list[tuple[int, int]] = []  # the ranges of hidden columns
    for number, cells, uncached in _stored_rows(reader, part, name, where, decimal, merges, hidden):
        if header is None and header_row is not None:
            if number < header_row:
                continue  # a title above the header: not read, whatever its formulas
            if number > header_row or not any(text.strip() for _, text in cells):
                break  # the header row is empty: said below
        if not any(text.strip() for _, text in cells):
            # A row empty but for a formula without its result: an error, never a blank
            # (unless the formula is in a column never read).
            problem = read_formula(uncached)
            if problem is not None:
                raise file_error(problem, file=name)
            continue
        if header is None:
            if uncached:
                raise file_error(uncached[0][1], file=name)
            width = max(col for col, text in cells if text.strip())
            names = [""] * width
            for col, text in cells:
                if col <= width:
                    names[col - 1] = text
            header = clean_header(names, name, number)
            not_kept = columns_not_kept(header)
            found = number
            header_cells = cells
            continue
        if second_row is None and not after_header and number == found + 1:
            both = two_row_header(header_cells, cells)
            if both is not None:
                names = [""] * both[-1][0]
                for col, text in both:
                    names[col - 1] = text
                header = clean_header(names, name, found)
                not_kept = columns_not_kept(header)
                second_row = number
                continue
        cells_text = [text for _, text in cells]
        if not after_header:
            after_header = True
            if is_column_numbers(cells_text, sum(not h.startswith("<column ") for h in header)):
                numbers_row = (number, cells_text)
                continue
        if footer:
            if is_footer_row(cells_text):
                footer.append((number, cells, uncached))
                continue
            for row in footer:  # not a footer: rows of data after all
                take(*row)
            footer = []
        elif is_footer_start(cells_text):
            footer.append((number, cells, uncached))
            continue
        take(number, cells, uncached)
    if second_row is not None and header is not None:
        msg = Message(
            N_(
                "{file}, sheet {sheet!r}: the column names are on rows {row} and {second} (a "
                "heading over several columns): read as {names}"
            ),
            file=name,
            sheet=title,
            row=found,
            second=second_row,
            names=", ".join(h for h in header if not h.startswith("<column ")),
        )
        warnings.warn(SheetWarning(msg, file=name, sheet=title, row=found), stacklevel=3)
    if numbers_row is not None:
        _said_numbers_row(name, title, *numbers_row)
    if footer:
        _said_footer(name, title, [(n, [t for _, t in c]) for n, c, _ in footer])
    if header is None and header_row is not None:
        msg = Message(
            N_("{where}: row {row}, given as the header row, is empty"), where=where, row=header_row
        )
        raise file_error(msg, file=name, line=header_row)
    if header is None:
        msg = Message(N_("{where} is empty: a header row is needed"), where=where)
        raise file_error(msg, file=name, line=1)
    for col, head in enumerate(header, 1):
        # Checked here, from the stored cells: handing on a column of blanks per header
        # gap would cost rows x gaps (a header with cells in A and XFD has 16,382 gaps).
        if head.startswith("<column ") and any(t.strip() for t in texts.get(col, ())):
            first = next(r for r, t in zip(records[col], texts[col], strict=True) if t.strip())
            msg = Message(
                N_(
                    "{where}: <column {n}> has no name in the header but holds values; name "
                    "it or delete it"
                ),
                where=where,
                n=col,
            )
            raise file_error(msg, file=name, line=kept_lines[first])
    n = len(kept_lines)
    named = {h: col for col, h in enumerate(header, 1) if not h.startswith("<column ")}
    if merges:
        _fill_merged_down(merges, kept_lines, records, texts, header, (name, title))

    def batches(columns: Collection[str] | None) -> Iterator[Mapping[str, Any]]:
        # Columns are spread from the stored cells only when asked for: a column the
        # schema does not read costs nothing, and unnamed columns (checked empty above)
        # are not handed on.
        wanted = [h for h in named if columns is None or h in columns]
        yield {h: _spread(n, records.get(named[h], []), texts.get(named[h], [])) for h in wanted}

    regular = lines == list(range(found + 1, found + 1 + len(lines)))
    set_aside = sorted(totals + headings)
    layout = Layout(
        len(lines),
        first_line=found + 1,
        lines=None if regular else lines,
        n_fields=len(header),
        malformed=set_aside,
        malformed_fields=[len(header)] * len(set_aside),
        skipped=headings,
        skipped_kind=["heading"] * len(headings),
        skipped_text=headings_text,
        totals=totals,
        totals_text=totals_text,
        totals_cells=totals_cells,
    )
    out_of_sight = _covered(hidden)
    hidden_named = {h: _column_letter(col) for h, col in named.items() if col in out_of_sight}
    return RawTable(
        name,
        header,
        batches,
        layout,
        date1904=_in_1904_system(reader),
        hidden_columns=hidden_named,
    )


def _in_1904_system(reader: Any) -> bool:
    """Tell whether the workbook counts its dates from 1904 (``workbookPr date1904``).

    Excel for Mac did by default until 2011, and any workbook may (File > Options >
    Advanced > "Use 1904 date system"): its date cells are right as dates, but a number
    typed into one shows four years later than in Windows' system, which is what
    :mod:`learnsoc._date_cells` must know to read that number back.
    """
    epoch: dt.datetime = reader.wb.epoch
    return epoch.year == 1904


_MERGE_CELL = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}mergeCell"
_COL = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}col"
#: Merged ranges named in the warning, at most.
_SHOWN_MERGES = 3
_RANGE = re.compile(r"([A-Z]{1,3})([0-9]{1,7}):([A-Z]{1,3})([0-9]{1,7})")


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _merged_down(ref: str, merges: array[int]) -> None:
    """Keep a range merged down one column (``C2:C4``) as column, first and last row.

    Only those are read (see :func:`_fill_merged_down`): ranges across columns, often by
    the hundred thousand in formatted sheets, are not kept at all, and no more than a
    sheet has rows (:data:`~learnsoc.limits.MAX_SHEET_ROWS`; a crafted file's others are
    read as stored): three numbers each, 12 MiB at most.
    """
    m = _RANGE.fullmatch(ref)
    if m is None or m[1] != m[3] or len(merges) >= 3 * MAX_SHEET_ROWS:
        return
    first, last = int(m[2]), int(m[4])
    if last > first:
        merges.extend((_column_number(m[1]), first, last))


def _fill_merged_down(
    merges: array[int],
    kept_lines: list[int],
    records: dict[int, list[int]],
    texts: dict[int, list[str]],
    header: tuple[str, ...],
    where: tuple[str, str],
) -> None:
    """Read a cell merged down over rows of data as its value on each of them, and say so.

    A household's code merged over its members' rows ("H01" shown beside three persons)
    is stored once, in the top cell: read as stored, the other members would have no
    household. Excel shows the value on every row of the range, so it is read there too.
    Only ranges within one column, starting on a row of data, over rows of data left
    empty are filled; ranges across columns (a note over a row) are left as they are.
    """
    record_of = {line: i for i, line in enumerate(kept_lines)}
    filled: list[tuple[int, int, str]] = []  # (row, column, range): shown in sheet order
    n = 0
    for k in range(0, len(merges), 3):
        first_col, first_row, last_row = merges[k], merges[k + 1], merges[k + 2]
        top = record_of.get(first_row)
        if top is None or first_col > len(header) or header[first_col - 1].startswith("<column "):
            continue
        stored = dict(zip(records.get(first_col, []), texts.get(first_col, []), strict=True))
        value = stored.get(top, "")
        if not value.strip():
            continue
        below = [record_of.get(r) for r in range(first_row + 1, last_row + 1)]
        empty = [r for r in below if r is not None and not stored.get(r, "").strip()]
        if not empty:
            continue
        records.setdefault(first_col, []).extend(empty)
        texts.setdefault(first_col, []).extend([value] * len(empty))
        n += len(empty)
        filled.append(
            (
                first_row,
                first_col,
                f"{_column_letter(first_col)}{first_row}:{_column_letter(first_col)}{last_row}",
            )
        )
    if n:
        file, title = where
        refs = [ref for _, _, ref in sorted(filled)]
        shown = ", ".join(refs[:_SHOWN_MERGES]) + (", ..." if len(refs) > _SHOWN_MERGES else "")
        # The noun agrees with the count ("1 cells merged" read wrong); Vietnamese has one form.
        template = (
            N_(
                "{file}, sheet {sheet!r}: {n} cell merged down over rows of data ({ranges}) "
                "was read as the merged value, as Excel shows it on each row"
            )
            if n == 1
            else N_(
                "{file}, sheet {sheet!r}: {n} cells merged down over rows of data ({ranges}) "
                "were read as the merged value, as Excel shows it on each row"
            )
        )
        msg = Message(
            template,
            file=file,
            sheet=title,
            n=f"{n:,}",
            ranges=shown,
        )
        row = min(kept_lines) if kept_lines else 1
        warnings.warn(SheetWarning(msg, file=file, sheet=title, row=row), stacklevel=4)


def _said_numbers_row(name: str, title: str, row: int, cells: list[str]) -> None:
    """Warn that a row of column numbers under the header was not read."""
    msg = Message(
        N_(
            "{file}, sheet {sheet!r}: row {row} numbers the columns ({numbers}), it holds "
            "no data: not read"
        ),
        file=name,
        sheet=title,
        row=row,
        numbers=" ".join(c.strip() for c in cells if c.strip()),
    )
    warnings.warn(SheetWarning(msg, file=name, sheet=title, row=row), stacklevel=4)


def _said_footer(name: str, title: str, rows: list[tuple[int, list[str]]]) -> None:
    """Warn that the table ended above a form's notes and signatures, which were not read."""
    first = next(c.strip() for c in rows[0][1] if c.strip())
    said = (
        # One row (a signature alone) is not "rows 9 to 9".
        N_(
            "{file}, sheet {sheet!r}: the table ends above row {row} ({first!r}): that row "
            "is the form's notes and signatures, not data, and is not read"
        )
        if rows[-1][0] == rows[0][0]
        else N_(
            "{file}, sheet {sheet!r}: the table ends above row {row} ({first!r}): rows {row} "
            "to {last} ({count} not empty) are the form's notes and signatures, not data, "
            "and are not read"
        )
    )
    msg = Message(
        said,
        file=name,
        sheet=title,
        row=rows[0][0],
        first=shown(first),
        last=rows[-1][0],
        count=len(rows),
    )
    warnings.warn(SheetWarning(msg, file=name, sheet=title, row=rows[0][0]), stacklevel=4)


def _heading(cells: list[tuple[int, str]], width: int) -> str | None:
    """Return the text of a row that heads a block of rows (see :func:`block_heading`).

    >>> _heading([(2, "Thôn Đông")], 4), _heading([(1, "NK01")], 4)
    ('Thôn Đông', None)
    """
    if len([t for _, t in cells if t.strip()]) not in (1, 2):  # a heading, or its number and it
        return None
    row = [""] * width
    for col, text in cells:
        if col > width:
            return None
        row[col - 1] = text
    return block_heading(row)


def _totals_label(cells: list[tuple[int, str]]) -> str | None:
    """Return the cell marking a totals row (``Tổng cộng``), or None for a row of data.

    >>> _totals_label([(1, "Tổng cộng:"), (7, "15")]), _totals_label([(2, "Tổng Văn A")])
    ('Tổng cộng:', None)
    """
    return next((text.strip() for _, text in cells if is_totals_label(text)), None)


#: The fewest characters of a :class:`~learnsoc._excel_cells.LongNumber` (16 digits).
_LONG_NUMBER = len(str(EXCEL_LOST_DIGITS))


def _spread(n: int, records: list[int], texts: list[str]) -> NDArray[Any]:
    """Return a column of ``n`` texts, blank except the stored ones."""
    longest = max(map(len, texts), default=1)
    # A number of more than 15 digits keeps its mark (a str subclass) in Python strings:
    # only a column with a cell of 16 characters or more may hold one.
    marked = longest >= _LONG_NUMBER and any(map(isinstance, texts, repeat(LongNumber)))
    if longest <= _NARROW and not marked:
        out: NDArray[Any] = np.zeros(n, f"<U{longest}")
    else:
        out = np.full(n, "", dtype=object)
    if records:
        # From an object array: a list would first become a fixed-width array.
        out[np.asarray(records, np.int64)] = np.fromiter(texts, dtype=object, count=len(texts))
    return out


def _stored_rows(
    workbook: Any,
    part: str,
    name: str,
    title: Phrase,
    decimal: str = ".",
    merges: array[int] | None = None,
    hidden: list[tuple[int, int]] | None = None,
) -> Generator[tuple[int, list[tuple[int, str]], Uncached], None, None]:
    """Yield (row number, [(column, text), ...], problem) for each row stored in the sheet.

    ``problem`` says which cell holds a formula saved without its result, if one does:
    the caller raises it unless the row is not read (a totals row, a title).

    openpyxl's public iterators pad: every row up to the last one (a million, for one
    cell at ``A1048576``), every row to its last cell's column, and in read-only mode they
    stop at the ``<dimension>`` tag, which may be wrong. Its sheet parser reads the rows
    as stored; it is driven here directly, with the workbook's shared strings and date
    formats, as openpyxl's read-only sheets do (openpyxl >= 3.1). ``merges`` receives
    the sheet's ranges merged down one column (see :func:`_merged_down`), stored after
    the rows, once they are read; ``hidden`` the ranges of its hidden columns (first and
    last), stored before the rows.
    """
    text = _cell if decimal == "." else _comma_cell
    reader: Any = importlib.import_module("openpyxl.worksheet._reader")
    functions: Any = importlib.import_module("openpyxl.xml.functions")
    previous = 0
    wb = workbook.wb
    try:
        source = workbook.archive.open(part)
    except MemoryError:
        raise
    except Exception as exc:  # a part named in the workbook but damaged
        raise _damaged(exc, name, title) from None
    with source:
        parser = reader.WorkSheetParser(
            source,
            workbook.shared_strings,
            data_only=True,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        # Runs of empty rows are cut before parsing (a million cost ten seconds parsed).
        elements = _row_elements(
            functions.iterparse(EmptyRowsCut(source), ("start", "end")),
            reader,
            name,
            title,
            merges,
            hidden,
        )
        while True:
            element = None
            uncached: Uncached = ()
            try:
                element = next(elements, None)
                if element is None:
                    return
                uncached = _uncached_formula(element, reader, title, previous)
                _read_cell_texts(element, reader)
                number, cells = parser.parse_row(element)
                row = [
                    (c["column"], _cut(text(c["value"]))) for c in cells if c["value"] is not None
                ]
            except (FileFormatError, MemoryError):
                raise
            except Exception as exc:  # ParseError, bad numbers, bad shared string index ...
                number = element.get("r", "") if element is not None else ""
                if number.isdigit():
                    where = Phrase(Message(N_("{where}, row {row}"), where=title, row=number))
                elif previous:
                    where = Phrase(
                        Message(N_("{where}, after row {row}"), where=title, row=previous)
                    )
                else:
                    where = title
                raise _damaged(exc, name, where) from None
            _check_row(number, previous, row, name, title)
            previous = number
            yield number, [(col, text) for col, text in row if text], uncached


def _row_elements(
    events: Iterator[tuple[str, Any]],
    reader: Any,
    name: str,
    title: Phrase,
    merges: array[int] | None = None,
    hidden: list[tuple[int, int]] | None = None,
) -> Iterator[Any]:
    """Yield the sheet's ``<row>`` elements as they end, keeping nothing else in memory.

    Each element is dropped from its parent once done with (a row, once the caller has
    parsed it), so memory holds one row, not the sheet: neither a million rows nor a
    flood of formatting elements after the data pile up. A row of more cells than a
    sheet has columns is refused as soon as the count is passed.
    """
    stack: list[Any] = []
    in_row = False
    cells = 0
    for event, element in events:
        if event == "start":
            if element.tag == reader.ROW_TAG:
                in_row, cells = True, 0
            stack.append(element)
            continue
        stack.pop()
        if element.tag == reader.ROW_TAG:
            in_row = False
            yield element
        elif in_row:
            # Part of the row being read: kept for the caller's parser.
            if element.tag == reader.CELL_TAG:
                cells += 1
                if cells > MAX_COLUMNS:
                    row = stack[-1].get("r", "?") if stack else "?"
                    msg = Message(
                        N_(
                            "{where}: row {row} holds more than {n:,} cells, Excel's number "
                            "of columns; {resave}"
                        ),
                        where=title,
                        row=row,
                        n=MAX_COLUMNS,
                        resave=_RESAVE,
                    )
                    raise file_error(msg, file=name)
            continue
        if merges is not None and element.tag == _MERGE_CELL:
            _merged_down(str(element.get("ref", "")), merges)
        elif hidden is not None and element.tag == _COL:
            _hidden_columns(element, hidden)
        if stack:
            # An element ends as its parent's last child: drop it from there.
            del stack[-1][-1]


def _covered(ranges: list[tuple[int, int]]) -> frozenset[int]:
    """Return the columns within some of the ranges (first, last; at most Excel's columns).

    Counted with a running sum over the sheet's columns, so that 16,384 ranges of a
    crafted sheet cost 16,384 steps, not one per range and column.

    >>> sorted(_covered([(2, 3), (3, 5), (9, 9)]))
    [2, 3, 4, 5, 9]
    """
    if not ranges:
        return frozenset()
    bounds = np.asarray(ranges, np.int64)
    steps = np.zeros(MAX_COLUMNS + 2, np.int64)
    np.add.at(steps, bounds[:, 0], 1)
    np.add.at(steps, bounds[:, 1] + 1, -1)
    return frozenset(np.flatnonzero(np.cumsum(steps) > 0).tolist())


def _hidden_columns(element: Any, hidden: list[tuple[int, int]]) -> None:
    """Keep the range of a ``<col>`` element that hides columns (``hidden="1"``).

    LibreOffice writes ``hidden="true"``; a range past Excel's columns or a bad number
    is left out (it names no column of the header). Kept as ranges, at most 16,384:
    a sheet has no more columns to hide.
    """
    if element.get("hidden") not in ("1", "true") or len(hidden) >= MAX_COLUMNS:
        return
    try:
        first, last = int(element.get("min", "")), int(element.get("max", ""))
    except ValueError:
        return
    if 1 <= first <= last:
        hidden.append((first, min(last, MAX_COLUMNS)))


def _read_cell_texts(element: Any, reader: Any) -> None:
    """Prepare a row's cells for openpyxl's parser: long numbers kept, escapes read.

    A number cell longer than Excel's cells is kept as its text, cut (see :func:`_cut`):
    cast, 50 million digits would be ``inf`` (then ``not_a_number`` or ``out_of_range``)
    or a failed conversion; as text they are the ``cell_too_long`` reject a CSV gives.
    The ``_xHHHH_`` escapes of a text cell stored in the sheet (an inline string, as
    LibreOffice and web applications write, or a text formula's result) are read as in
    the shared strings (see :func:`_unescape`); openpyxl's parser would keep them.
    """
    for cell in element.iter(reader.CELL_TAG):
        kind = cell.get("t", "n")
        if kind in ("str", "inlineStr"):
            _unescape_cell(cell, kind, reader)
            continue
        if kind != "n" or cell.find(reader.FORMULA_TAG) is not None:
            continue
        value = cell.find(reader.VALUE_TAG)
        if value is not None and value.text is not None and len(value.text) > MAX_CELL_CHARS:
            value.text = _cut(value.text)
            cell.set("t", "str")  # openpyxl keeps a "str" cell's text as it is


#: The text and run tags of an inline string, as the sheet's parser names them.
_CELL_T, _CELL_R = (f"{{{_MAIN_NS}}}{tag}" for tag in ("t", "r"))


def _unescape_cell(cell: Any, kind: str, reader: Any) -> None:
    """Read the ``_xHHHH_`` escapes of a text cell stored in the sheet, in place."""
    if kind == "str":
        value = cell.find(reader.VALUE_TAG)
        if value is not None and value.text and "_x" in value.text:
            value.text = _unescape(value.text)
        return
    inline = cell.find(reader.INLINE_STRING)
    if inline is None:
        return
    # The text openpyxl reads: the plain <t>, then each run's (phonetic guides left out).
    plain = inline.find(_CELL_T)
    parts = [] if plain is None else [plain.text or ""]
    parts += [run.findtext(_CELL_T) or "" for run in inline.findall(_CELL_R)]
    text = "".join(parts)
    if "_x" not in text:
        return
    # Stored back as a text cell (t="str"), whose value openpyxl keeps as it is.
    cell.remove(inline)
    value = cell.makeelement(reader.VALUE_TAG, {})
    value.text = _unescape(text)
    cell.append(value)
    cell.set("t", "str")


def _cut(text: str) -> str:
    """Cut a cell longer than Excel's limit to one character over it.

    Such a cell is a ``cell_too_long`` reject when converted, as in a CSV file; what is
    handed on is then at most :data:`~learnsoc.limits.MAX_CELL_CHARS` + 1 characters,
    whatever the file holds.
    """
    return text if len(text) <= MAX_CELL_CHARS else text[: MAX_CELL_CHARS + 1]


#: The formulas saved without their results in a row: (column number or None, error).
Uncached = tuple[tuple[int | None, Message], ...]


def _uncached_formula(element: Any, reader: Any, title: Phrase, previous: int) -> Uncached:
    """Return the error of each formula of the row saved without its result, by column.

    A column a reading never reads (a mapping's ``ignore``, ``STT``, a note) may hold
    them: the caller raises the first one of a column it reads.
    """
    found: list[tuple[int | None, Message]] = []
    for cell in element.iter(reader.CELL_TAG):
        if cell.find(reader.FORMULA_TAG) is None:
            continue
        # An empty result is a result only for a text formula (t="str"); openpyxl and
        # other writers that do not calculate save numeric formulas with an empty <v/>.
        result = cell.findtext(reader.VALUE_TAG)
        if result is None or (result == "" and cell.get("t") != "str"):
            where: str | Phrase = cell.get("r") or Phrase(
                Message(N_("after row {row}"), row=previous)
            )
            msg = Message(
                N_(
                    "{where}, cell {cell} holds a formula saved without its result (the file "
                    "was written by a program that does not calculate); open it in Excel and "
                    "save it, or paste the values instead of the formulas"
                ),
                where=title,
                cell=where,
            )
            found.append((_cell_column(cell.get("r") or ""), msg))
    return tuple(found)


def _cell_column(reference: str) -> int | None:
    """Return the column of a cell reference (``D2``: 4), or None if it names none."""
    letters = reference.rstrip("0123456789")
    if not letters or not letters.isalpha() or not letters.isupper():
        return None
    return _column_number(letters)


def _check_row(
    number: int, previous: int, row: list[tuple[int, str]], name: str, title: Phrase
) -> None:
    if number < 1:
        msg = Message(
            N_("{where}: a row is numbered {row} (rows are numbered from 1); {resave}"),
            where=title,
            row=number,
            resave=_RESAVE,
        )
        raise file_error(msg, file=name)
    if number <= previous:
        msg = Message(
            N_(
                "{where}: row {row} is stored after row {previous} (the sheet's XML is out "
                "of order); {resave}"
            ),
            where=title,
            row=number,
            previous=previous,
            resave=_RESAVE,
        )
        raise file_error(msg, file=name)
    if number > MAX_SHEET_ROWS:
        msg = Message(
            N_("{where}: row {row} is past Excel's last row ({last:,}); {resave}"),
            where=title,
            row=number,
            last=MAX_SHEET_ROWS,
            resave=_RESAVE,
        )
        raise file_error(msg, file=name)
    for col, _ in row:
        if col > MAX_COLUMNS:
            msg = Message(
                N_(
                    "{where}, row {row}: a cell in column {col:,} is past Excel's last "
                    "column (XFD, {last:,}); {resave}"
                ),
                where=title,
                row=number,
                col=col,
                last=MAX_COLUMNS,
                resave=_RESAVE,
            )
            raise file_error(msg, file=name, line=number)
