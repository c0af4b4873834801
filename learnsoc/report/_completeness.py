"""Words for completeness: how many of the units expected to report did ("1/2 xã").

A rollup knows, at every row, the units of its reporting level (communes of a counts table,
villages of microdata) under the row that sent data, and how many were expected
(:meth:`learnsoc.Rollup.completeness`). Reports show it in a column of its own, and a
status reached on incomplete data says on how many units: "met on 1 of 2 communes",
"đạt trên 1/2 xã".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from learnsoc.i18n import N_, format_integer, gettext, ngettext
from learnsoc.report._format import DASH

if TYPE_CHECKING:
    from learnsoc.model.hierarchy import Hierarchy, Level

__all__ = [
    "MET_ON",
    "OF_WHICH",
    "REPORTING_HEADING",
    "met_on_cell",
    "reporting_cell",
    "tree_level",
]

#: Column heading of the units reporting.
REPORTING_HEADING = N_("units reporting")
#: A status reached on incomplete data: ``{units}`` is a :func:`reporting_cell`.
MET_ON = N_("met on {units}")
#: The indicator cell of a breakdown row, under its total ("trong đó nữ").
OF_WHICH = N_("of which {group}")


def _units(given: str | Level | None, reporting: int, expected: int, locale: str) -> str:
    # A level labelled as one of Vietnam's keeps its noun; another is named as its tree
    # names it ("3 of 3 school units"), as the total row names it.
    if given is None or isinstance(given, str):
        level, words = given, given or ""
    else:
        level, words = given.label or given.name, given.display(locale)
    numbers = {
        "reporting": format_integer(reporting, locale),
        "expected": format_integer(expected, locale),
    }
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
    elif words:
        text = ngettext(
            "{reporting} of {expected} {level} unit",
            "{reporting} of {expected} {level} units",
            expected,
            locale,
        )
        return text.format(level=words.replace("_", " "), **numbers)
    else:
        text = ngettext(
            "{reporting} of {expected} unit", "{reporting} of {expected} units", expected, locale
        )
    return text.format(**numbers)


def tree_level(tree: Hierarchy, name: str | None) -> str | Level | None:
    """Return the tree's level of that name (with its label), else the name as given.

    Examples
    --------
    >>> import learnsoc as ls
    >>> tree = ls.Hierarchy.from_units({"code": ["N"], "level": ["region"],
    ...     "parent_code": [None]}, levels=["region"])
    >>> tree_level(tree, "region"), tree_level(tree, None)
    (Level(name='region', label=''), None)
    """
    return next((lv for lv in tree.spec.levels if lv.name == name), name)


def reporting_cell(level: str | Level | None, reporting: int, expected: int, locale: str) -> str:
    """Return the units reporting under a row: ``1 of 2 communes``, vi ``1/2 xã``.

    A dash when nothing is expected under the row (a row below the reporting level) or
    the rollup does not know (negative counts). ``level`` is the reporting level's id, or
    the tree's :class:`~learnsoc.Level` (a custom tree's level is named as it names it).

    Examples
    --------
    >>> reporting_cell("commune", 1, 2, "vi"), reporting_cell("commune", 1, 2, "en")
    ('1/2 xã', '1 of 2 communes')
    >>> reporting_cell("commune", 3102, 3321, "vi"), reporting_cell("school", 1, 3, "en")
    ('3.102/3.321 xã', '1 of 3 school units')
    >>> reporting_cell("village", 0, 0, "en")
    '—'
    """
    if expected <= 0 or reporting < 0:
        return DASH
    return _units(level, reporting, expected, locale)


def met_on_cell(level: str | Level | None, reporting: int, expected: int, locale: str) -> str:
    """Return the status of a target reached on incomplete data.

    Examples
    --------
    >>> met_on_cell("commune", 1, 2, "vi"), met_on_cell("commune", 1, 2, "en")
    ('đạt trên 1/2 xã', 'met on 1 of 2 communes')
    """
    units = reporting_cell(level, reporting, expected, locale)
    return gettext(MET_ON, locale).format(units=units)
