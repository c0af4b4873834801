"""The rule language: a closed grammar parsed into a small intermediate representation.

This module is the language's front door; the code lives in :mod:`learnsoc.rules.ir`
(the expression tree, its walkers, the grammar's vocabulary and limits) and
:mod:`learnsoc.rules.parser` (text to tree). Every name importable from here before
the split still is.

A rule condition is a string such as ``age >= 15 and literate`` or
``share(members.learning_citizen, where=members.age >= 15) >= 0.5``. It is parsed with
:func:`ast.parse` and an explicit allow-list of syntax nodes; everything else is refused
with a :class:`~learnsoc.errors.RulebookError` that names the file, line and column.
The result is a tree of frozen attrs nodes (the IR): :class:`Literal`, :class:`Name`,
:class:`MemberName`, :class:`Compare`, :class:`BoolOp`, :class:`Not`, :class:`Neg`,
:class:`Arith`, :class:`Call` and :class:`Aggregate`.

Nothing in a condition ever reaches ``eval``, ``exec`` or ``compile``: the text is only
tokenized and parsed, and the tree is rebuilt node by node from the allow-list.

Limits (checked before :func:`ast.parse`, which can exhaust the C stack on deep input):
at most :data:`MAX_LENGTH` characters, :data:`MAX_DEPTH` levels of nesting,
:data:`MAX_NODES` syntax nodes, integer and float literals of magnitude at most
:data:`MAX_MAGNITUDE`, and text literals of at most :data:`MAX_STRING` characters.

Examples
--------
>>> from learnsoc.rules.language import parse_condition, to_source
>>> expr = parse_condition("6 <= age <= 17 and not in_school")
>>> print(to_source(expr))
6 <= age and age <= 17 and not in_school
>>> sorted(names_used(expr))
['age', 'in_school']
"""

from __future__ import annotations

from learnsoc.rules.ir import (
    AGGREGATES,
    COMPARE_OPS,
    ELEMENTWISE,
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_MAGNITUDE,
    MAX_NODES,
    MAX_STRING,
    METHODS,
    RESERVED,
    Aggregate,
    AggregateFunc,
    Arith,
    ArithOp,
    BoolOp,
    Call,
    Compare,
    CompareOp,
    Expr,
    Literal,
    LiteralKind,
    LiteralValue,
    MemberName,
    Name,
    Neg,
    Not,
    Param,
    ParamValue,
    Span,
    bind_parameters,
    children,
    collections_used,
    contains_aggregate,
    fold_constants,
    member_names_used,
    names_used,
    parameters_used,
    to_source,
    walk,
)
from learnsoc.rules.parser import parse_condition

__all__ = [
    "AGGREGATES",
    "COMPARE_OPS",
    "ELEMENTWISE",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "MAX_MAGNITUDE",
    "MAX_NODES",
    "MAX_STRING",
    "METHODS",
    "RESERVED",
    "Aggregate",
    "AggregateFunc",
    "Arith",
    "ArithOp",
    "BoolOp",
    "Call",
    "Compare",
    "CompareOp",
    "Expr",
    "Literal",
    "LiteralKind",
    "LiteralValue",
    "MemberName",
    "Name",
    "Neg",
    "Not",
    "Param",
    "ParamValue",
    "Span",
    "bind_parameters",
    "children",
    "collections_used",
    "contains_aggregate",
    "fold_constants",
    "member_names_used",
    "names_used",
    "parameters_used",
    "parse_condition",
    "to_source",
    "walk",
]
