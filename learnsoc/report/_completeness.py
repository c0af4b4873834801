"""Words for completeness: how many of the units expected to report did ("1/2 xã").

A rollup knows, at every row, the units of its reporting level (communes of a counts table,
villages of microdata) under the row that sent data, and how many were expected
(:meth:`learnsoc.Rollup.completeness`). Reports show it in a column of its own, and a
status reached on incomplete data says on how many units: "met on 1 of 2 communes",
"đạt trên 1/2 xã".
"""

from __future__ import annotations

from learnsoc.i18n import N_, gettext, ngettext
from learnsoc.report._format import DASH

__all__ = ["MET_ON", "REPORTING_HEADING", "met_on_cell", "reporting_cell"]

#: Column heading of the units reporting.
REPORTING_HEADING = N_("units reporting")
#: A status reached on incomplete data: ``{units}`` is a :func:`reporting_cell`.
MET_ON = N_("met on {units}")
#: The indicator cell of a breakdown row, under its total ("trong đó nữ").
OF_WHICH = N_("of which {group}")


def _units(level: str | None, reporting: int, expected: int, locale: str) -> str:
    # One message per level, so that each language can put its own noun and plural.
    if level == "province":
        text = ngettext(
            "{reporting} of {expected} province",
            "{reporting} of {expected} provinces",
            expected,
            locale,
        )
    elif level == "district":
        text = ngettext(
            "{reporting} of {expected} district",
            "{reporting} of {expected} districts",
            expected,
            locale,
        )
    elif level == "commune":
        text = ngettext(
            "{reporting} of {expected} commune",
            "{reporting} of {expected} communes",
            expected,
            locale,
        )
    elif level == "village":
        text = ngettext(
            "{reporting} of {expected} village",
            "{reporting} of {expected} villages",
            expected,
            locale,
        )
    else:
        text = ngettext(
            "{reporting} of {expected} unit", "{reporting} of {expected} units", expected, locale
        )
    return text.format(reporting=reporting, expected=expected)


def reporting_cell(level: str | None, reporting: int, expected: int, locale: str) -> str:
    """Return the units reporting under a row: ``1 of 2 communes``, vi ``1/2 xã``.

    A dash when nothing is expected under the row (a row below the reporting level) or
    the rollup does not know (negative counts).

    Examples
    --------
    >>> reporting_cell("commune", 1, 2, "vi"), reporting_cell("commune", 1, 2, "en")
    ('1/2 xã', '1 of 2 communes')
    >>> reporting_cell("village", 0, 0, "en")
    '—'
    """
    if expected <= 0 or reporting < 0:
        return DASH
    return _units(level, reporting, expected, locale)


def met_on_cell(level: str | None, reporting: int, expected: int, locale: str) -> str:
    """Return the status of a target reached on incomplete data.

    Examples
    --------
    >>> met_on_cell("commune", 1, 2, "vi"), met_on_cell("commune", 1, 2, "en")
    ('đạt trên 1/2 xã', 'met on 1 of 2 communes')
    """
    units = reporting_cell(level, reporting, expected, locale)
    return gettext(MET_ON, locale).format(units=units)
