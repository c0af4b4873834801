"""Numbers for reports: exact values from counts, rounded for display only, in the locale."""

from __future__ import annotations

import decimal
import functools
import math
from decimal import Decimal

from learnsoc.i18n import normalize_locale, round_decimal

__all__ = [
    "DASH",
    "OPERATOR_SYMBOLS",
    "decimals_of",
    "exact_value",
    "format_counts",
    "format_float_signed",
    "format_number",
    "format_signed",
    "format_threshold",
    "format_trend",
    "grouped",
    "unit_suffix",
]

_CONTEXT = decimal.Context(prec=40)
OPERATOR_SYMBOLS = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}
DASH = "—"


def exact_value(numerator: int, denominator: int, factor: int) -> Decimal:
    """Return numerator × factor ÷ denominator to 40 significant digits.

    Examples
    --------
    >>> exact_value(138068, 187624, 100)
    Decimal('73.58760073338165693088304268110689464034')
    """
    return _CONTEXT.divide(Decimal(int(numerator) * factor), Decimal(int(denominator)))


def unit_suffix(factor: int) -> str:
    """Return the sign written after a value: ``%`` for percentages, ``‰`` per thousand."""
    return {100: "%", 1000: "‰"}.get(factor, "")


@functools.cache
def _symbols(locale: str) -> dict[int, str]:
    from babel.numbers import get_decimal_symbol, get_group_symbol

    return str.maketrans({",": get_group_symbol(locale), ".": get_decimal_symbol(locale)})


def grouped(number: Decimal | int, decimals: int, locale: str) -> str:
    """Format a number already rounded with the locale's grouping and decimal symbols.

    The same text as babel's ``#,##0.00`` pattern for learnsoc's locales (groups of three),
    ten times faster: reports format hundreds of thousands of cells.

    Examples
    --------
    >>> grouped(Decimal("1234567.50"), 2, "vi"), grouped(138068, 0, "en")
    ('1.234.567,50', '138,068')
    """
    return f"{number:,.{decimals}f}".translate(_symbols(normalize_locale(locale)))


def format_number(value: Decimal, decimals: int, locale: str, rounding: str) -> str:
    """Round a number for display (half up, truncate or half even) and format it.

    Examples
    --------
    >>> format_number(Decimal("73.5876"), 2, "vi", "truncate")
    '73,58'
    >>> format_number(Decimal("1234.5"), 0, "en", "half_up")
    '1,235'
    """
    return grouped(round_decimal(value, decimals, rounding), decimals, locale)


def format_signed(value: Decimal, decimals: int, locale: str, rounding: str) -> str:
    """Format a difference with its sign: ``+13,58``, ``-0,40``; no sign for exactly 0.

    The sign is that of the unrounded value, so a small shortfall shows as ``-0,00``.

    Examples
    --------
    >>> format_signed(Decimal("13.5876"), 2, "vi", "half_up")
    '+13,59'
    >>> format_signed(Decimal("-0.001"), 2, "en", "half_up")
    '-0.00'
    """
    text = format_number(abs(value), decimals, locale, rounding)
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"-{text}"
    return text


def format_float_signed(value: float, decimals: int, locale: str, rounding: str) -> str:
    """Format a float difference with its sign, or a dash when undefined."""
    if not math.isfinite(value):
        return DASH
    return format_signed(Decimal(repr(value)), decimals, locale, rounding)


def format_trend(value: float, decimals: int, locale: str, rounding: str) -> str:
    """Format a trend with its sign; one that rounds to nothing has none, a dash if undefined.

    Unlike a gap, whose sign says on which side of the target a value lies even when it
    rounds onto it, a trend of ``-0.001`` a year is no decline a reader could see.

    Examples
    --------
    >>> format_trend(-0.001, 2, "en", "half_up"), format_trend(0.004, 2, "vi", "half_up")
    ('0.00', '0,00')
    >>> format_trend(-0.4, 2, "en", "half_up")
    '-0.40'
    """
    if not math.isfinite(value):
        return DASH
    exact = Decimal(repr(value))
    if round_decimal(abs(exact), decimals, rounding) == 0:
        return format_number(Decimal(0), decimals, locale, rounding)
    return format_signed(exact, decimals, locale, rounding)


@functools.lru_cache(maxsize=1024)
def format_threshold(value: Decimal, locale: str) -> str:
    """Format a target number as written in its source (``99,5``, ``60``).

    Examples
    --------
    >>> format_threshold(Decimal("99.5"), "vi"), format_threshold(Decimal("60"), "en")
    ('99,5', '60')
    """
    from babel.numbers import format_decimal

    return format_decimal(value, format="#,##0.######", locale=normalize_locale(locale))


def format_counts(numerator: int, denominator: int, locale: str) -> str:
    """Format ``numerator / denominator`` with the locale's digit grouping.

    Examples
    --------
    >>> format_counts(138068, 187624, "vi")
    '138.068 / 187.624'
    """
    return f"{grouped(int(numerator), 0, locale)} / {grouped(int(denominator), 0, locale)}"


def decimals_of(value: Decimal) -> int:
    """Return the number of decimals a number is written with (``99.5`` -> 1)."""
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0
