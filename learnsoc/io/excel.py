"""Reading Excel workbooks (``.xlsx``; extra ``excel``: openpyxl).

The first non-empty row of the sheet is the header. Every cell is read as text, the way
a CSV export would show it: whole numbers without a decimal point (``40``, not
``40.0``), dates as ``YYYY-MM-DD``, TRUE/FALSE as ``1``/``0``, empty cells as empty
text. Ids typed as text in Excel keep their leading zeros. Empty rows are skipped; the
rejects name each row by its number in the sheet.

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

import datetime as dt
import importlib
from typing import Any

from learnsoc.errors import OptionalDependencyError
from learnsoc.io.convert import text_cells
from learnsoc.io.csv import clean_header
from learnsoc.io.files import FileFormatError, PathLike, display_name
from learnsoc.io.table import Layout, RawTable

__all__ = ["read_excel"]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def read_excel(path: PathLike, *, sheet: str | int = 0) -> RawTable:
    """Read one sheet of an Excel workbook as a :class:`~learnsoc.io.table.RawTable` of text.

    Parameters
    ----------
    path : str or path
        The ``.xlsx`` / ``.xlsm`` file.
    sheet : str or int
        The sheet's name, or its position (0 = first).

    Raises
    ------
    FileFormatError
        For a missing file, a file that is not a workbook, an unknown sheet, or an
        empty sheet.
    OptionalDependencyError
        Without openpyxl.
    """
    try:
        # Imported by name: openpyxl ships no type information.
        openpyxl: Any = importlib.import_module("openpyxl")
    except ImportError:
        raise OptionalDependencyError("openpyxl", "excel", "reading Excel files") from None
    name = display_name(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise FileFormatError("no such file", file=name) from None
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        msg = f"not a readable Excel workbook ({type(exc).__name__}: {exc})"
        raise FileFormatError(msg, file=name) from None
    try:
        ws = wb[sheet] if isinstance(sheet, str) else wb.worksheets[sheet]
    except (KeyError, IndexError):
        msg = f"no sheet {sheet!r}; the sheets are {', '.join(map(repr, wb.sheetnames))}"
        raise FileFormatError(msg, file=name) from None
    header: tuple[str, ...] | None = None
    header_row = 1
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        for number, values in enumerate(ws.iter_rows(values_only=True), 1):
            cells = [_cell(v) for v in values]
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                while cells and not cells[-1].strip():
                    cells.pop()
                header = clean_header(cells, name)
                header_row = number
                continue
            width = len(header)
            extra = [c for c in cells[width:] if c.strip()]
            if extra:
                msg = f"row {number} has values beyond the last named column"
                raise FileFormatError(msg, file=name, line=number)
            rows.append((cells + [""] * width)[:width])
            lines.append(number)
    finally:
        wb.close()
    if header is None:
        raise FileFormatError("the sheet is empty: a header row is needed", file=name, line=1)
    cols = list(zip(*rows, strict=True)) if rows else [()] * len(header)
    # A long cell must not widen its column: see text_cells.
    batch = {h: text_cells(c) for h, c in zip(header, cols, strict=True)}
    regular = lines == list(range(header_row + 1, header_row + 1 + len(lines)))
    layout = Layout(
        len(rows), first_line=header_row + 1, lines=None if regular else lines, n_fields=len(header)
    )
    return RawTable(name, header, [batch], layout)
