"""The rule language: a closed grammar parsed into a small intermediate representation.

This module is the language's front door; the code lives in :mod:`learnsoc.rules.ir`
(the expression tree, its walkers, the grammar's vocabulary and limits) and
:mod:`learnsoc.rules.parser` (text to tree). Every name importable from here before
the split still is.

Nothing in a condition ever reaches ``eval``, ``exec`` or ``compile``; the limits
(:data:`MAX_LENGTH`, :data:`MAX_DEPTH`, :data:`MAX_NODES`, :data:`MAX_MAGNITUDE`,
:data:`MAX_STRING`) are described in :mod:`learnsoc.rules.parser`.

Examples
--------
>>> from learnsoc.rules.language import Param, parse_condition
>>> tree = parse_condition("count(members) >= n or not rural", parameters={"n"})
>>> tree.operands[0].right == Param("n"), sorted(names_used(tree))
(True, ['rural'])
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
