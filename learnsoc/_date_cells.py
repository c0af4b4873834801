"""Dates where numbers belong: a number typed into a cell that Excel formats as a date.

Excel stores a date as a number of days, its *serial* (``1`` is 01/01/1900, ``45657`` is
31/12/2024), and a cell formatted as Date shows whatever number it holds as a date. So a
year of birth typed into a column formatted as dates (``1990`` in a "Ngày sinh" column)
is stored as 1990 and shown, exported and read as 12/06/1905; a count of 856 typed into
such a cell becomes 05/05/1902. Read as dates, they would be ages of 120 and nonsense
counts. This module turns such a date back into the number the cell holds, so that the
rejects can name it and what to do; nothing here reads a date as a number.

Examples
--------
>>> excel_number("1905-06-12"), excel_number("12/06/1905"), excel_number("1902-05-05")
(1990, 1990, 856)
>>> excel_number("1990"), excel_number("31/02/1990"), excel_number("1899-12-31")
(None, None, None)
>>> typed_year("12/06/1905"), typed_year("02/09/1978")
(1990, None)

A workbook kept in Excel's 1904 date system (the default of Excel for Mac until 2011,
still a setting of any workbook) counts days from 01/01/1904: there 1990 shows as
13/06/1909, and only the reader of the workbook knows which system it is in.

>>> excel_number("1909-06-13", date1904=True), typed_year("13/06/1909", date1904=True)
(1990, 1990)
>>> typed_year("13/06/1909"), excel_number("1903-12-31", date1904=True)
(None, None)
"""

from __future__ import annotations

import datetime as dt
import re

from learnsoc._messages import N_

__all__ = [
    "HINTS_1904",
    "NUMBER_HINT",
    "NUMBER_HINT_1904",
    "YEAR_HINT",
    "YEAR_HINT_1904",
    "YEAR_SERIALS",
    "counts_from_1904",
    "excel_number",
    "full_date",
    "number_of",
    "typed_year",
]

#: A time of day after a date (``0:00``, ``14:30:00``, ``T12:00:00.5``): a date cell
#: holding one (an export from a database's timestamps), shown by a date format as the day
#: alone, or saved to CSV by Excel as ``15/03/1975 0:00``. The day is the date; the
#: time says nothing of it.
_TIME = r"(?:[T ]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\.[0-9]{1,6})?)?)?"
#: A full date as agencies type it (``dd/mm/yyyy``, ``d/m/yyyy``; also with ``-`` or ``.``)
#: and as the readers give Excel's date cells (``yyyy-mm-dd``), with a time or without.
_DMY = re.compile(r"([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})" + _TIME)
_YMD = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})" + _TIME)

#: Excel's serials count days from 31/12/1899 and count a 29/02/1900 that never was (a
#: bug kept from Lotus 1-2-3): from 01/03/1900 on, a serial is one more than the days.
_EPOCH = dt.date(1899, 12, 31)
_LEAP_BUG = dt.date(1900, 3, 1)
#: In the 1904 date system (workbookPr date1904) serial 0 is 01/01/1904, and no day is
#: counted that never was.
_EPOCH_1904 = dt.date(1904, 1, 1)

#: Numbers that are years of birth when typed (the range of ``birth_year``): as dates,
#: 04/12/1904 to 08/01/1906 (05/12/1908 to 09/01/1910 in the 1904 date system). A birth
#: date in that range is what Excel shows for such a year typed into a cell formatted as
#: Date; read as a date it would be an age of about 120, so it is refused, never read
#: either way.
YEAR_SERIALS = (1800, 2200)

#: What to do about a number shown as a date, in a column of numbers (the reject's hint).
NUMBER_HINT = N_(
    "a number is expected here: if that number was typed, format the cells as Number "
    "(Format Cells > Number) and save the file again"
)
#: The same in a column of years or dates of birth.
YEAR_HINT = N_(
    "if that number is the year of birth, format the cells as General (Format Cells > "
    "General) and save the file again"
)
#: The same two for a workbook kept in the 1904 date system, where the number a reject
#: names counts from 01/01/1904 (see :func:`counts_from_1904`).
NUMBER_HINT_1904 = N_(
    "a number is expected here: if that number was typed, format the cells as Number "
    "(Format Cells > Number) and save the file again (this workbook counts dates from "
    "1904, as Excel for Mac once did)"
)
YEAR_HINT_1904 = N_(
    "if that number is the year of birth, format the cells as General (Format Cells > "
    "General) and save the file again (this workbook counts dates from 1904, as Excel for "
    "Mac once did)"
)
#: Each hint, and its version for a workbook in the 1904 date system.
HINTS_1904 = {NUMBER_HINT: NUMBER_HINT_1904, YEAR_HINT: YEAR_HINT_1904}


def full_date(text: str) -> dt.date | None:
    """Return the date a cell writes in full (day, month and year), or None.

    A time of day after it is left out (the date is the day), when it is a time:
    ``15/03/1975 0:00``, ``1975-03-15T12:00:00``, but not ``15/03/1975 25:00``.

    Examples
    --------
    >>> full_date(" 2/9/1978 "), full_date("1978-09-02"), full_date("09/1978")
    (datetime.date(1978, 9, 2), datetime.date(1978, 9, 2), None)
    >>> full_date("15/03/1975 0:00"), full_date("1975-03-15T12:00:00")
    (datetime.date(1975, 3, 15), datetime.date(1975, 3, 15))
    >>> full_date("15/03/1975 25:00"), full_date("15/03/1975 0:60")
    (None, None)
    """
    text = text.strip()
    m = _DMY.fullmatch(text)
    parts = (m[3], m[2], m[1]) if m else None
    if parts is None and (m := _YMD.fullmatch(text)):
        parts = (m[1], m[2], m[3])
    if parts is None or m is None:
        return None
    hour, minute, second = (int(m[i] or 0) for i in (4, 5, 6))
    if hour > 23 or minute > 59 or second > 59:
        return None
    try:
        return dt.date(*map(int, parts))
    except ValueError:  # 31/02/1990: no date
        return None


def excel_number(text: str, *, date1904: bool = False) -> int | None:
    """Return the number Excel holds in a cell it shows as this date, or None.

    None when ``text`` is not a full date, or a date before 01/01/1900 (Excel shows no
    number so); with ``date1904`` (a workbook in the 1904 date system), before
    01/01/1904.
    """
    date = full_date(text)
    if date is None:
        return None
    if date1904:
        return (date - _EPOCH_1904).days if date >= _EPOCH_1904 else None
    if date <= _EPOCH:
        return None
    days = (date - _EPOCH).days
    return days + 1 if date >= _LEAP_BUG else days


def typed_year(text: str, *, date1904: bool = False) -> int | None:
    """Return the year typed into a date-formatted cell that shows as ``text``, or None.

    Only numbers in :data:`YEAR_SERIALS` count as typed years; ``date1904`` as for
    :func:`excel_number`.
    """
    number = excel_number(text, date1904=date1904)
    lo, hi = YEAR_SERIALS
    return number if number is not None and lo <= number <= hi else None


def counts_from_1904(hint: str) -> bool:
    """Tell whether a ``number_as_date`` reject's hint is for a workbook in the 1904 system.

    The reject keeps its hint, not the workbook: the number its message names is read
    from the value with the date system the hint says.

    >>> counts_from_1904(NUMBER_HINT), counts_from_1904(YEAR_HINT_1904)
    (False, True)
    """
    return hint in _HINTS_1904


_HINTS_1904 = frozenset(HINTS_1904.values())


def number_of(value: object, hint: str = "") -> str:
    """Return the number Excel holds in a cell shown as the date ``value`` ("" if none).

    The ``{number}`` of a ``number_as_date`` message (every template is given it). The
    reject's ``hint`` (its ``expected``) says when the workbook counts dates from 1904
    (see :func:`counts_from_1904`).

    Examples
    --------
    >>> number_of("1905-06-12"), number_of("1909-06-13", YEAR_HINT_1904), number_of("x")
    ('1990', '1990', '')
    """
    date1904 = counts_from_1904(hint)
    number = excel_number(value, date1904=date1904) if isinstance(value, str) else None
    return "" if number is None else str(number)
