"""Rules: the closed rule language, its type checker and its numpy compiler.

Floor 3 of learnsoc. A rule condition is a string such as
``share(members.learning_citizen, where=members.age >= 15) >= 0.5``; it is parsed into
a small IR (:mod:`learnsoc.rules.language`), checked against the names a level can use
(:mod:`learnsoc.rules.types`, :mod:`learnsoc.rules.typecheck`) and compiled to closures
over numpy columns and the aggregation kernels (:mod:`learnsoc.rules.compiler`). No text
from a rule file ever reaches ``eval``, ``exec`` or ``compile``.

Examples
--------
>>> import numpy as np
>>> from learnsoc.rules import BOOL, INT, ColumnsContext, Scope, compile_condition
>>> person = Scope("person", {"age": INT, "literate": BOOL})
>>> rule = compile_condition("age >= 15 and literate", person)
>>> ctx = ColumnsContext({"person": {"age": np.array([30, 12]), "literate": np.array([1, 1])}})
>>> print(rule.evaluate(ctx).values)
[ True False]
"""

from learnsoc.rules.compiler import (
    ON_EMPTY,
    AggregateStats,
    AtomTrace,
    ColumnsContext,
    CompiledExpr,
    EvalContext,
    Trace,
    compile_condition,
    compile_expression,
    compile_typed,
    evaluate_many,
)
from learnsoc.rules.language import Expr, parse_condition, to_source
from learnsoc.rules.typecheck import TypedExpr, check_condition, typecheck
from learnsoc.rules.types import BOOL, FLOAT, INT, Scope, Value, ValueType

__all__ = [
    "BOOL",
    "FLOAT",
    "INT",
    "ON_EMPTY",
    "AggregateStats",
    "AtomTrace",
    "ColumnsContext",
    "CompiledExpr",
    "EvalContext",
    "Expr",
    "Scope",
    "Trace",
    "TypedExpr",
    "Value",
    "ValueType",
    "check_condition",
    "compile_condition",
    "compile_expression",
    "compile_typed",
    "evaluate_many",
    "parse_condition",
    "to_source",
    "typecheck",
]
