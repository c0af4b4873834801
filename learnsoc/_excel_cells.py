"""Cells a spreadsheet has spoiled: error values, ids shortened or stripped of digits.

Three ways a clerk's spreadsheet hands on a cell that looks like a value and is none:

- an *error value* (``#N/A``, ``#VALUE!``, ``#REF!`` ...; LibreOffice's ``Err:502``): a
  formula that failed (a ``VLOOKUP`` that found nothing), saved as its result, or
  exported as that text to CSV; or the ``########`` a cell shows when its column is too
  narrow for its number or date, exported so to CSV (the value is not in the file);
- an id in *scientific notation* (``1.23457E+11``): a long number (a 12-digit CCCD) in a
  General cell, written to CSV as the cell shows it, its last digits lost;
- an id of *more than 15 digits* in a number cell: Excel keeps 15 significant digits, so
  a 16th digit typed or pasted was replaced by 0 (``1234567890123456`` is saved as
  ``1234567890123450``).

The first two are found in text (the patterns below, in Python's and Arrow's regular
expressions); the third only where the cell's type is known, so the Excel reader marks
such a cell's text as a :class:`LongNumber`.

Examples
--------
>>> excel_error_rows(np.array(["H1", " #N/A ", "#ref!", "#", "#N/A x"])).tolist()
[1, 2]
>>> excel_error_rows(np.array(["Err:502", "err:504 ", "Err:50", "########", "##", "E1"])).tolist()
[0, 1, 3, 4]
>>> scientific_rows(np.array(["1.23457E+11", "12E45", "123456789012"])).tolist()
[0]
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "EXCEL_ERRORS",
    "EXCEL_ERROR_RE2",
    "EXCEL_LOST_DIGITS",
    "SCIENTIFIC_RE2",
    "LongNumber",
    "excel_error_rows",
    "is_excel_error",
    "long_number_rows",
    "scientific_rows",
]

#: The error values a spreadsheet cell can hold, as Excel writes them (in the sheet XML
#: of a ``t="e"`` cell, and in a CSV export): the classic seven, those of dynamic arrays
#: and data types (``#SPILL!``, ``#CALC!``, ``#FIELD!`` ...) and the text Excel shows
#: while a linked value loads (``#GETTING_DATA``); Google Sheets adds ``#ERROR!``.
#: Compared in any case, trimmed: ``#n/a`` typed into a CSV file is the same.
EXCEL_ERRORS = (
    "#N/A",
    "#VALUE!",
    "#REF!",
    "#DIV/0!",
    "#NAME?",
    "#NUM!",
    "#NULL!",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
    "#FIELD!",
    "#BLOCKED!",
    "#CONNECT!",
    "#BUSY!",
    "#UNKNOWN!",
    "#PYTHON!",
    "#EXTERNAL!",
    "#ERROR!",
)

#: LibreOffice's error values (``Err:502``, invalid argument; ``Err:504`` ...): always
#: three digits after ``Err:``; its others are Excel's (``#NAME?``, ``#REF!``).
_LIBREOFFICE_ERROR = "err:[0-9]{3}"

#: What a cell shows when its column is too narrow for its number or date: ``#`` over
#: its whole width. A CSV export of what cells show writes it, and the value is lost.
#: One ``#`` alone may be a mark (a note, an id); two or more are no one's value.
_TOO_NARROW = "#{2,}"

_ERROR_ALTERNATIVES = "|".join(
    [*(re.escape(e) for e in EXCEL_ERRORS), _LIBREOFFICE_ERROR, _TOO_NARROW]
)
_EXCEL_ERROR = re.compile(f"(?:{_ERROR_ALTERNATIVES})", re.IGNORECASE)

#: :data:`EXCEL_ERRORS`, LibreOffice's ``Err:5xx`` and a too narrow column's ``####``,
#: as an Arrow (RE2) pattern for a whole trimmed cell.
EXCEL_ERROR_RE2 = f"(?i)^(?:{_ERROR_ALTERNATIVES})$"

#: A number as Excel writes one of 12 digits or more in a General cell (``1.23457E+11``,
#: ``1,23457E+11`` with a decimal comma, ``1E+11``): a CSV export keeps only what the cell
#: shows, so the id has lost its last digits and persons of one shortened id look alike.
#: The exponent's sign is required: ``12E45`` may be a code.
_SCIENTIFIC_TEXT = r"[+-]?[0-9]+(?:[.,][0-9]+)?[eE][+-][0-9]+"
_SCIENTIFIC = re.compile(_SCIENTIFIC_TEXT)

#: The scientific notation of an id, as an Arrow (RE2) pattern for a whole trimmed cell.
SCIENTIFIC_RE2 = f"^{_SCIENTIFIC_TEXT}$"

#: The smallest number of more digits than Excel keeps (15 significant digits).
EXCEL_LOST_DIGITS = 10**15


class LongNumber(str):
    """The text of a workbook's number cell of 16 digits or more (``"1234567890123450"``).

    Excel keeps 15 significant digits: any digit after the 15th of a number typed or
    pasted into a cell was replaced by 0 when the file was saved. Such a number is read
    as its digits wherever a number belongs (a count), but an id held so may not be the
    id that was typed, and two such ids may now read alike: the conversion of an id
    column refuses it (``digits_lost``). Only the Excel reader makes them; any other
    text of the same digits (a CSV cell, a Text cell) is a plain ``str``.

    Examples
    --------
    >>> cell = LongNumber("1234567890123450")
    >>> cell == "1234567890123450", isinstance(cell, LongNumber), type(cell.strip())
    (True, True, <class 'str'>)
    """

    __slots__ = ()


def is_excel_error(text: str) -> bool:
    """Tell whether a cell's text is a spreadsheet's error value (see :data:`EXCEL_ERRORS`).

    LibreOffice's ``Err:502`` and the ``####`` of a column too narrow for its value are
    error values too: the value is not in the file.

    >>> is_excel_error(" #DIV/0! "), is_excel_error("#name?"), is_excel_error("N/A")
    (True, True, False)
    >>> is_excel_error("Err:502"), is_excel_error("#######"), is_excel_error("Err:5")
    (True, True, False)
    """
    return _EXCEL_ERROR.fullmatch(text.strip()) is not None


def excel_error_rows(cells: NDArray[Any]) -> NDArray[np.int64]:
    """Return the rows of text cells that hold an error value (see :func:`is_excel_error`).

    Fixed-width text is looked at closely only where a cell begins with ``#``, ``E``
    (``Err:502``) or a space: most begin with none of them, and only their first
    character is read.
    """
    return _rows_matching(cells, _EXCEL_ERROR, _starts_like_an_error)


def long_number_rows(cells: Any) -> NDArray[np.int64]:
    """Return the rows of a column that hold a :class:`LongNumber`.

    That is, a workbook's number cell of 16 digits or more: only an object array of the
    Excel reader's strings may hold one.

    >>> long_number_rows(np.array(["1", LongNumber("1234567890123450")], dtype=object)).tolist()
    [1]
    >>> long_number_rows(np.array(["1234567890123450"])).tolist()
    []
    """
    arr = np.asarray(cells)
    if arr.dtype.kind != "O":
        return np.zeros(0, np.int64)
    return np.array([i for i, v in enumerate(arr.tolist()) if isinstance(v, LongNumber)], np.int64)


def scientific_rows(cells: NDArray[Any]) -> NDArray[np.int64]:
    """Return the rows of id cells written in scientific notation (``1.23457E+11``).

    Fixed-width text is looked at closely only where a cell begins with a digit, a sign
    or a space and holds an ``E`` or ``e``: an id that begins with a letter costs the
    reading of its first character.
    """
    return _rows_matching(cells, _SCIENTIFIC, _maybe_scientific)


#: Code points: a space (and the controls below it), ``#``, ``+``, ``-``, ``0``, ``9``,
#: ``e``.
_SPACE, _HASH, _PLUS, _MINUS, _ZERO, _NINE, _E = 32, 35, 43, 45, 48, 57, 101


def _starts_like_an_error(
    first: NDArray[np.uint32], points: NDArray[np.uint32]
) -> NDArray[np.bool_]:
    # E and e differ in one bit (0x20): LibreOffice's Err:502 in either case.
    return np.asarray((first == _HASH) | (first <= _SPACE) | ((first | 0x20) == _E), bool)


def _maybe_scientific(first: NDArray[np.uint32], points: NDArray[np.uint32]) -> NDArray[np.bool_]:
    starts = ((first >= _ZERO) & (first <= _NINE)) | (first == _PLUS) | (first == _MINUS)
    rows = np.flatnonzero(starts | (first <= _SPACE))
    out = np.zeros(len(points), bool)
    if not len(rows):
        return out
    some = points if len(rows) == len(points) else points[rows]
    # E and e differ in one bit (0x20): one comparison finds both, over the flat array (a
    # reduction along each short row costs numpy a loop per row, twice the time).
    hits = np.flatnonzero((some | 0x20).ravel() == ord("e"))
    out[rows[np.unique(hits // some.shape[1])]] = True
    return out


def _rows_matching(
    cells: NDArray[Any],
    pattern: re.Pattern[str],
    maybe: Callable[[NDArray[np.uint32], NDArray[np.uint32]], NDArray[np.bool_]],
) -> NDArray[np.int64]:
    """Return the rows of ``cells`` (numpy text or objects) that ``pattern`` matches, trimmed.

    Fixed-width text is read as code points, and only the rows ``maybe`` keeps (given
    each cell's first code point and all of them) are trimmed and matched; other arrays
    (numbers) match nothing.
    """
    arr = np.asarray(cells)
    if arr.dtype.kind == "O":
        texts = [v.strip() if isinstance(v, str) else "" for v in arr.tolist()]
        return np.array([i for i, v in enumerate(texts) if pattern.fullmatch(v)], np.int64)
    if arr.dtype.kind != "U" or not len(arr) or not arr.itemsize:
        return np.zeros(0, np.int64)
    points = np.ascontiguousarray(arr).view(np.uint32).reshape(len(arr), arr.itemsize // 4)
    # The first code points copied once: read in place, each comparison would stride
    # through the whole array (a cache line per cell).
    candidates = np.flatnonzero(maybe(points[:, 0].copy(), points))
    if not len(candidates):
        return np.zeros(0, np.int64)
    texts = arr[candidates].tolist()
    keep = np.array([pattern.fullmatch(v.strip()) is not None for v in texts], bool)
    rows: NDArray[np.int64] = candidates[keep].astype(np.int64)
    return rows
