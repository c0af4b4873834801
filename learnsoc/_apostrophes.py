"""The hint a reject adds when its value starts with an apostrophe ('01).

A spreadsheet keeps a cell typed ``'01`` as the text ``01``; typed into a CSV file, the
apostrophe stays, and the file holds an id none of its rows has. The rejects of
:mod:`learnsoc.rejects` and of the files (:mod:`learnsoc.io.rejects`) say so.

Examples
--------
>>> add_apostrophe_hint("no such unit", "'01", apostrophe_hint("unknown_unit"))[-33:]
'delete the apostrophe in the file'
"""

from __future__ import annotations

from learnsoc.i18n import N_, gettext

__all__ = ["APOSTROPHE_HINT", "add_apostrophe_hint", "apostrophe_hint"]


#: The reasons of a value that names something (an id, a code) learnsoc did not find.
_NAMING_REASONS = frozenset(
    {
        "unknown_household",
        "unknown_unit",
        "unknown_clan",
        "unknown_organisation",
        "unknown_person",
        "unknown_code",
    }
)

#: Said after such a value when it starts with an apostrophe ('01): typed into a CSV file
#: (a spreadsheet exports the value of a cell typed '01 as 01; the apostrophe only
#: marks the cell as text), so the file holds an id that none of its rows has.
APOSTROPHE_HINT = N_(
    "; it starts with an apostrophe ('), the mark a spreadsheet uses to keep a cell as "
    "text: delete the apostrophe in the file"
)


def apostrophe_hint(reason: str, locale: str | None = None) -> str:
    """Return what a reject of ``reason`` adds when its value starts with ``'`` ("" if none).

    The reject is kept: learnsoc never guesses that ``'01`` was meant as ``01``.

    Examples
    --------
    >>> apostrophe_hint("unknown_household", "vi")[:35]
    '; giá trị bắt đầu bằng dấu nháy đơn'
    >>> apostrophe_hint("out_of_range")
    ''
    """
    return gettext(APOSTROPHE_HINT, locale) if reason in _NAMING_REASONS else ""


def add_apostrophe_hint(message: str, value: str, hint: str) -> str:
    """Return ``message`` with ``hint`` when ``value`` starts with an apostrophe.

    Examples
    --------
    >>> hint = apostrophe_hint("unknown_unit")
    >>> add_apostrophe_hint("no such unit", "'01", hint)[-33:]
    'delete the apostrophe in the file'
    >>> add_apostrophe_hint("unit '02' does not exist", "02", hint)
    "unit '02' does not exist"
    """
    return message + hint if hint and value.startswith("'") else message
