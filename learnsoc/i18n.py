"""Words and numbers for people: message catalogs, the locale, and number formatting.

Every word learnsoc shows a person (titles, level names, codes, statuses, report
headings, reasons for rejected rows) has a stable English message id, marked in the
code with :func:`N_` and translated at display time by :func:`gettext` from the gettext
catalogs in ``learnsoc/locale/<lang>/LC_MESSAGES/learnsoc.po``. Installed wheels carry
compiled ``.mo`` files (built by ``hatch_build.py``); a plain checkout compiles the
``.po`` in memory, so both work the same.

The locale is an explicit ``locale=`` argument everywhere. When it is omitted (``None``)
the process-wide default applies: :func:`set_locale` changes it, :func:`use_locale`
changes it for a ``with`` block (and only for the current thread or task).

Numbers are formatted by babel for the locale (vi: ``138.068`` and ``73,58%``; en:
``138,068`` and ``73.58%``). Rounding is done here, before babel, so that the policy is
explicit: half up by default, or truncation to match official reports that truncate.

Examples
--------
>>> from learnsoc.i18n import format_integer, format_percent, gettext
>>> format_integer(138068, locale="vi"), format_integer(138068, locale="en")
('138.068', '138,068')
>>> format_percent(138068 / 187624, locale="vi")
'73,59%'
>>> format_percent(138068 / 187624, locale="vi", rounding="truncate")
'73,58%'
>>> gettext("household", locale="vi")
'hộ gia đình'
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from typing import Literal

from learnsoc._messages import N_, Message

# The locale and the catalogs live in learnsoc._translation with the translatable base
# of errors (a locale error is itself translated); these are the same objects.
from learnsoc._translation import DOMAIN as DOMAIN
from learnsoc._translation import (
    LOCALES,
    LocaleError,
    did_you_mean,
    get_locale,
    gettext,
    load_catalog,
    ngettext,
    normalize_locale,
    render_in,
    set_locale,
    use_locale,
    vietnamese_date,
)

__all__ = [
    "LOCALES",
    "N_",
    "LocaleError",
    "Rounding",
    "basis_of_group",
    "basis_with_data",
    "excluding_unknown",
    "format_date",
    "format_decimal",
    "format_integer",
    "format_percent",
    "get_locale",
    "gettext",
    "load_catalog",
    "ngettext",
    "normalize_locale",
    "parse_date",
    "render_in",
    "round_decimal",
    "set_locale",
    "use_locale",
]


Rounding = Literal["half_up", "half_even", "truncate"]

_ROUNDING_MODES: dict[str, str] = {
    "half_up": decimal.ROUND_HALF_UP,
    "half_even": decimal.ROUND_HALF_EVEN,
    "truncate": decimal.ROUND_DOWN,
}


def round_decimal(
    value: float | int | decimal.Decimal, decimals: int, rounding: str
) -> decimal.Decimal:
    """Round a number to ``decimals`` places with an explicit rounding rule.

    ``"half_up"`` rounds 0.125 to 0.13, ``"half_even"`` to 0.12 (babel's own rule),
    ``"truncate"`` cuts towards zero as many official reports do. Floats are converted
    through their shortest repr, so ``0.125`` is exactly 0.125.

    Examples
    --------
    >>> str(round_decimal(0.125, 2, "half_up")), str(round_decimal(0.125, 2, "half_even"))
    ('0.13', '0.12')
    >>> str(round_decimal(73.5876, 2, "truncate"))
    '73.58'
    """
    try:
        mode = _ROUNDING_MODES[rounding]
    except KeyError:
        msg = Message(
            N_("unknown rounding {rounding!r}{hint}"),
            rounding=rounding,
            hint=did_you_mean(rounding, _ROUNDING_MODES),
        )
        raise LocaleError(str(msg)).translatable(msg) from None
    exact = value if isinstance(value, decimal.Decimal) else decimal.Decimal(repr(value))
    return exact.quantize(decimal.Decimal(1).scaleb(-decimals), rounding=mode)


#: What a rate's denominator leaves out: its eligible members whose value is unknown.
#: Said beside the counts ("131.562 / 135.482 (không tính 296 ...)"), so that a reader
#: never takes the unknown ones for part of the denominator shown.
EXCLUDING_UNKNOWN = N_("excluding {count} without data")
#: The basis of a rate whose denominator leaves the unknown ones out.
BASIS_WITH_DATA = N_("{basis} with data")


def excluding_unknown(count: int, locale: str | None = None) -> str:
    """Say that a rate's denominator leaves out ``count`` members without data.

    Every report puts it in brackets after ``numerator / denominator``: the denominator
    shown is the eligible members whose value is known, and the rate is of them.

    Examples
    --------
    >>> excluding_unknown(296, "vi"), excluding_unknown(1296, "en")
    ('không tính 296 trường hợp thiếu số liệu', 'excluding 1,296 without data')
    """
    return gettext(EXCLUDING_UNKNOWN, locale).format(count=format_integer(count, locale))


#: The basis of a breakdown row's rate ("trong đó nữ"): the group's members only.
BASIS_OF_GROUP = N_("{basis} ({group} only)")


def basis_of_group(basis: str, group: str, locale: str | None = None) -> str:
    """Return what a breakdown row's rate is of: the basis, narrowed to one group.

    A row "of which female" gives the share among the women, not among everyone: its
    basis says so. ``basis`` and ``group`` are already in the locale.

    Examples
    --------
    >>> basis_of_group("tổng số người trong độ tuổi 15-60", "nữ", "vi")
    'tổng số người trong độ tuổi 15-60 (chỉ tính nữ)'
    >>> basis_of_group("all residents", "female", "en")
    'all residents (female only)'
    """
    if not basis:
        return basis
    return gettext(BASIS_OF_GROUP, locale).format(basis=basis, group=group)


def basis_with_data(basis: str, missing: int, locale: str | None = None) -> str:
    """Return what a rate is of: its basis, narrowed to those with data when some lack it.

    ``basis`` is already in the locale ("tổng số người trong độ tuổi 15-60"); with
    ``missing`` > 0 the denominator counts only the members whose value is known, and
    the basis says so.

    Examples
    --------
    >>> basis_with_data("tổng số người trong độ tuổi 15-60", 296, "vi")
    'tổng số người trong độ tuổi 15-60, trừ số thiếu số liệu'
    >>> basis_with_data("all families", 0, "en"), basis_with_data("all families", 7, "en")
    ('all families', 'all families with data')
    """
    if not missing or not basis:
        return basis
    return gettext(BASIS_WITH_DATA, locale).format(basis=basis)


def _pattern(decimals: int, percent: bool) -> str:
    frac = "." + "0" * decimals if decimals > 0 else ""
    return f"#,##0{frac}{'%' if percent else ''}"


def format_integer(value: int, locale: str | None = None) -> str:
    """Format a count with the locale's digit grouping.

    Examples
    --------
    >>> format_integer(16635366, locale="vi")
    '16.635.366'
    """
    from babel.numbers import format_decimal as _fmt

    return _fmt(int(value), format="#,##0", locale=normalize_locale(locale))


def format_decimal(
    value: float,
    decimals: int = 1,
    locale: str | None = None,
    rounding: str = "half_up",
) -> str:
    """Format a number with a fixed number of decimals for the locale.

    Examples
    --------
    >>> format_decimal(1234567.891, 2, locale="vi")
    '1.234.567,89'
    >>> format_decimal(3.5, 1, locale="en")
    '3.5'
    """
    from babel.numbers import format_decimal as _fmt

    rounded = round_decimal(value, decimals, rounding)
    return _fmt(rounded, format=_pattern(decimals, False), locale=normalize_locale(locale))


def format_percent(
    fraction: float,
    decimals: int = 2,
    locale: str | None = None,
    rounding: str = "half_up",
) -> str:
    """Format a fraction (0.7358) as a percentage (``73,58%`` in vi, ``73.58%`` in en).

    The rounding applies to the display only; pass ``rounding="truncate"`` to match a
    report that truncates. Missing values (NaN) are not numbers: callers show them
    as "no data" instead.

    Examples
    --------
    >>> format_percent(0.7358, locale="en")
    '73.58%'
    >>> format_percent(0.5, decimals=0, locale="vi")
    '50%'
    """
    from babel.numbers import format_decimal as _fmt

    percent = round_decimal(decimal.Decimal(repr(float(fraction))) * 100, decimals, rounding)
    number = _fmt(percent, format=_pattern(decimals, False), locale=normalize_locale(locale))
    return f"{number}%"


def format_date(value: dt.date, locale: str | None = None, format: str = "medium") -> str:
    """Format a date for the locale: ``"short"``, ``"medium"``, ``"long"``, ``"report"``, a pattern.

    ``"report"`` is the style of the dates printed in reports: in Vietnamese the style of
    official documents, ``ngày 16/11/2023`` (day and month in figures, with a leading zero
    for days below 10 and for January and February, as Decree 30/2020/NĐ-CP writes dates:
    ``ngày 01/7/2025``, ``ngày 09/01/2013``); in English babel's long date
    (``November 16, 2023``).

    Examples
    --------
    >>> import datetime
    >>> format_date(datetime.date(2025, 12, 31), locale="vi", format="dd/MM/yyyy")
    '31/12/2025'
    >>> format_date(datetime.date(2025, 12, 31), locale="en")
    'Dec 31, 2025'
    >>> format_date(datetime.date(2023, 11, 16), locale="vi", format="report")
    'ngày 16/11/2023'
    >>> format_date(datetime.date(2025, 7, 1), locale="vi", format="report")
    'ngày 01/7/2025'
    >>> format_date(datetime.date(2023, 11, 16), locale="en", format="report")
    'November 16, 2023'
    """
    from babel.dates import format_date as _fmt

    loc = normalize_locale(locale)
    if format == "report":
        if loc == "vi":
            return f"ngày {vietnamese_date(value)}"
        format = "long"
    return _fmt(value, format=format, locale=loc)


_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DAY_FIRST = re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4})")


def parse_date(text: str) -> dt.date | None:
    """Read a date as agencies and ISO write it; return None if it is not one.

    ``yyyy-mm-dd`` (ISO) or day first: ``dd/mm/yyyy``, ``d/m/yyyy`` (also with ``.`` or
    ``-`` between the parts).

    Examples
    --------
    >>> parse_date("31/12/2025"), parse_date("1/7/2025"), parse_date("2025-12-31")
    (datetime.date(2025, 12, 31), datetime.date(2025, 7, 1), datetime.date(2025, 12, 31))
    >>> parse_date("12/31/2025") is None  # there is no 31st month
    True
    """
    text = text.strip()
    iso, day_first = _ISO_DATE.fullmatch(text), _DAY_FIRST.fullmatch(text)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if day_first:
            return dt.date(int(day_first[4]), int(day_first[3]), int(day_first[1]))
    except ValueError:  # 31/02/2025: the parts are numbers but not a day of the calendar
        return None
    return None
