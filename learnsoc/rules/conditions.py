"""A rulebook condition's path: parsed once at load, bound to a date's parameter values.

A condition's text is parsed once, when the rulebook is loaded, into an expression tree
(:mod:`learnsoc.rules.ir`) whose parameters are :class:`~learnsoc.rules.ir.Param`
placeholders (:func:`parse_template`; the tree is kept on the criterion, derived
variable or title). Everything that needs the condition on a date (the columns it
reads, evaluation, explanations) binds the values in force then into that tree
(:func:`bind_values`), without reading the text again. Type checking per hierarchy and
compiling follow (:mod:`learnsoc.rules.typecheck`, :mod:`learnsoc.rules.compiler`).

Examples
--------
>>> tree = parse_template("(not p and a) or (p and b >= mark)", frozenset({"p", "mark"}))
>>> print(to_source(tree))
not p and a or p and b >= mark
>>> print(to_source(bind_values(tree, {"p": True, "mark": 80})))
b >= 80
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from learnsoc.rules.ir import Expr, ParamValue, bind_parameters, fold_constants, to_source
from learnsoc.rules.parser import parse_condition

__all__ = ["bind_values", "live_parameters", "parse_template"]


def parse_template(
    text: str,
    parameters: Collection[str],
    *,
    position: tuple[int | None, int | None] = (None, None),
    file: str | None = None,
) -> Expr:
    """Parse a condition once, its parameters left as placeholders.

    Parameters
    ----------
    text : str
        The condition.
    parameters : collection of str
        The rulebook parameters it names.
    position : (line, column), optional
        Where the text starts in ``file``, for spans and errors.
    file : str, optional
        The rule file, for errors.

    Raises
    ------
    RulebookError
        For text outside the grammar or over the limits
        (see :func:`~learnsoc.rules.parser.parse_condition`).

    Examples
    --------
    >>> parse_template("count(members, where=members.age >= adult) > 0", {"adult"})
    ... # doctest: +ELLIPSIS
    Compare(op='>', left=Aggregate(..., where=Compare(..., right=Param(name='adult'))), ...)
    """
    line, column = position
    return parse_condition(text, file=file, line=line, column=column, parameters=parameters)


def bind_values(tree: Expr, values: Mapping[str, ParamValue], *, file: str | None = None) -> Expr:
    """Return the condition as it stands with these parameter values.

    The placeholders take their values, and a branch that a value decides is dropped
    (see :func:`~learnsoc.rules.ir.fold_constants`): the same tree as parsing the text
    with the values as constants, then folding.

    Raises
    ------
    RulebookError
        If a value cannot stand in a condition (not true/false or a finite number).

    Examples
    --------
    >>> tree = parse_template("(not p and a) or (p and b >= 3)", {"p"})
    >>> print(to_source(bind_values(tree, {"p": False})))
    a
    """
    return fold_constants(bind_parameters(tree, values, file=file))


def live_parameters(
    tree: Expr, names: Collection[str], values: Mapping[str, ParamValue]
) -> frozenset[str]:
    """Return the parameters that still decide something once the others have their values.

    A parameter is live when two different values of it give two different conditions;
    see :func:`learnsoc.rules.rulebook.live_parameters`.

    Examples
    --------
    >>> tree = parse_template("(not p and a) or (p and b >= mark)", {"p", "mark"})
    >>> sorted(live_parameters(tree, {"p", "mark"}, {"p": False, "mark": 80}))
    ['p']
    """
    live: set[str] = set()
    for name in sorted(names):
        value = values[name]
        other: ParamValue = (not value) if isinstance(value, bool) else value + 1
        shown = [to_source(bind_values(tree, {**values, name: v})) for v in (value, other)]
        if shown[0] != shown[1]:
            live.add(name)
    return frozenset(live)
