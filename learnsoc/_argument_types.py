"""The check of a public function's main arguments: the right kind, or a clear TypeError.

Swapped arguments (``ls.read_inputs(path, pop, book)``) failed deep inside with an
``AttributeError`` (``'Population' object has no attribute 'inputs'``) that named
neither the parameter nor what it wants. The entry points check their main arguments
with :func:`check_argument` first.
"""

from __future__ import annotations

from learnsoc._messages import N_, Message
from learnsoc._phrases import Phrase
from learnsoc.errors import ArgumentTypeError

__all__ = [
    "A_HIERARCHY",
    "A_POPULATION",
    "A_ROLLUP",
    "A_RULEBOOK",
    "A_RULEBOOK_OR_NAME",
    "A_TARGET_SET",
    "WRONG_ARGUMENT",
    "check_argument",
]

#: The message of an argument of the wrong kind (en, vi).
WRONG_ARGUMENT = N_("{parameter} must be {wanted}; got {given}")

# What the entry points' main arguments must be, and where to get one.
A_POPULATION = N_(
    "a Population (learnsoc.read_population(...) or learnsoc.Population.from_columns(...))"
)
A_RULEBOOK = N_("a Rulebook (learnsoc.load_rulebook(...))")
A_RULEBOOK_OR_NAME = N_(
    "a Rulebook (learnsoc.load_rulebook(...)) or a bundled rulebook's name ('vn-national')"
)
A_HIERARCHY = N_("a Hierarchy (learnsoc.io.read_units(...) or learnsoc.Hierarchy.from_units(...))")
A_TARGET_SET = N_("a TargetSet (learnsoc.load_targets(...))")
A_ROLLUP = N_(
    "a Rollup (learnsoc.rollup(...) or learnsoc.rollup_counts(...)), or rollups by year "
    "(a mapping of year to Rollup, or (year, Rollup) pairs)"
)
_GOT_A = N_("a {kind}")
_GOT_AN = N_("an {kind}")


def _given(value: object) -> Phrase | str:
    if value is None:
        return "None"
    kind = type(value).__name__
    return Phrase(Message(_GOT_AN if kind[:1] in "AEIOU" else _GOT_A, kind=kind))


def check_argument(
    value: object, parameter: str, kinds: type | tuple[type, ...], wanted: str
) -> None:
    """Raise an :class:`~learnsoc.errors.ArgumentTypeError` unless ``value`` is of ``kinds``.

    ``wanted`` is a catalog id (``N_``) saying what the parameter must be and how to
    get one: ``"a Rulebook (learnsoc.load_rulebook(...))"``.

    Examples
    --------
    >>> check_argument(3, "n", int, N_("a whole number"))
    >>> try:
    ...     check_argument("3", "n", int, "a whole number")
    ... except TypeError as err:
    ...     print(err, "|", err.parameter)
    n must be a whole number; got a str | n
    """
    if isinstance(value, kinds):
        return
    msg = Message(
        WRONG_ARGUMENT, parameter=parameter, wanted=Phrase(Message(wanted)), given=_given(value)
    )
    error = ArgumentTypeError(str(msg)).translatable(msg)
    error.parameter = parameter
    raise error
