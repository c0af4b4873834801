"""What applies on a date: the date itself, the dated item in force, and parameter values.

Rulebooks are dated: a title's versions and a parameter's values each start on a day
and may end on one. :func:`as_date` reads the date asked for, :func:`in_force` picks the
version or value in force on it, :func:`parse_with_parameters` parses a condition with the
parameters' values of that date bound (the branches a switch drops folded away), and
:func:`live_parameters` says which parameters still decide something once bound.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Protocol, TypeVar

from learnsoc._messages import N_, Message
from learnsoc.errors import LearnsocError
from learnsoc.i18n import parse_date
from learnsoc.rules import conditions
from learnsoc.rules.ir import Expr, ParamValue, fold_constants
from learnsoc.rules.parser import parse_condition

__all__ = ["ParamValue", "as_date", "in_force", "live_parameters", "parse_with_parameters"]


class _HasDates(Protocol):
    @property
    def start(self) -> dt.date: ...

    @property
    def end(self) -> dt.date | None: ...


_Dated = TypeVar("_Dated", bound=_HasDates)


def as_date(as_of: object) -> dt.date:
    """Return a date from a ``datetime.date``, a ``datetime``, or text as ISO or agencies write it.

    Raises
    ------
    LearnsocError
        For anything else, or text that is not a date (``yyyy-mm-dd``, ``dd/mm/yyyy``).

    Examples
    --------
    >>> as_date("2025-12-31"), as_date("31/12/2025")
    (datetime.date(2025, 12, 31), datetime.date(2025, 12, 31))
    """
    if isinstance(as_of, dt.datetime):
        return as_of.date()
    if isinstance(as_of, dt.date):
        return as_of
    if isinstance(as_of, str):
        day = parse_date(as_of)
        if day is None:
            msg = Message(
                N_("as_of must be a date such as '2025-12-31' or '31/12/2025', not {as_of!r}"),
                as_of=as_of,
            )
            raise LearnsocError(str(msg)).translatable(msg)
        return day
    msg = Message(
        N_("as_of must be a date or an ISO date string, not {type}"), type=type(as_of).__name__
    )
    raise LearnsocError(str(msg)).translatable(msg)


def in_force(items: Sequence[_Dated], as_of: dt.date) -> tuple[_Dated | None, bool]:
    """Return the dated item in force on a date, and whether its end date has passed.

    The item in force is the last one starting on or before the date (None if none); an
    expired one is still used, with a warning from the caller.

    Examples
    --------
    >>> from learnsoc.rules.entries import DatedValue
    >>> values = (DatedValue(dt.date(2016, 1, 1), dt.date(2020, 12, 31), 0.5),)
    >>> in_force(values, dt.date(2021, 6, 1))[1], in_force(values, dt.date(2015, 1, 1))[0]
    (True, None)
    """
    current = None
    for item in items:  # a handful of dated versions or values, in ascending order
        if item.start <= as_of:
            current = item
    expired = current is not None and current.end is not None and as_of > current.end
    return current, expired


def parse_with_parameters(
    text: str,
    values: Mapping[str, ParamValue],
    position: tuple[int | None, int | None],
    file: str | None,
) -> Expr:
    """Parse a condition with parameters replaced by their values, switches folded away.

    A branch that a parameter's value decides (see
    :func:`~learnsoc.rules.language.fold_constants`) is dropped. The rules engine binds
    the tree parsed at load instead (:func:`learnsoc.rules.conditions.bind_values`);
    this reads the text again, as the reference engine of the tests does.

    Examples
    --------
    >>> from learnsoc.rules.language import to_source
    >>> tree = parse_with_parameters("share(members.literate) >= p", {"p": 0.7}, (None, None), None)
    >>> to_source(tree)
    'share(members.literate) >= 0.7'
    """
    line, column = position
    parsed = parse_condition(text, file=file, line=line, column=column, constants=values)
    return fold_constants(parsed)


def live_parameters(
    text: str, names: frozenset[str], values: Mapping[str, ParamValue]
) -> frozenset[str]:
    """Return the parameters that still decide something once the others have their values.

    A switch such as ``citizen_from_points`` drops a branch: with it false, the pass mark
    in the dropped branch decides nothing, so a verdict does not rest on it (an uncertain
    pass mark then does not make the verdict uncertain). A parameter is live when two
    different values of it give two different conditions.

    Parameters
    ----------
    text : str
        A condition.
    names : frozenset of str
        The parameters it names.
    values : mapping
        Every named parameter's value on the date.

    Examples
    --------
    >>> rule = "(not p and a) or (p and b >= mark)"
    >>> sorted(live_parameters(rule, frozenset({"p", "mark"}), {"p": False, "mark": 80}))
    ['p']
    >>> sorted(live_parameters(rule, frozenset({"p", "mark"}), {"p": True, "mark": 80}))
    ['mark', 'p']
    """
    tree = conditions.parse_template(text, names)
    return conditions.live_parameters(tree, names, values)
