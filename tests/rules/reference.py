"""A slow, per-entity, pure-Python interpreter of the rule IR, used only by tests.

It implements the documented semantics directly, one entity and one member at a time,
with Python values and ``None`` for unknown, so the vectorised compiler can be checked
against it entity by entity.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import attrs
import numpy as np

from learnsoc.aggregate.groups import Groups
from learnsoc.rules.compiler import ColumnsContext
from learnsoc.rules.language import (
    Aggregate,
    Arith,
    BoolOp,
    Call,
    Compare,
    Expr,
    Literal,
    MemberName,
    Name,
    Neg,
    Not,
)
from learnsoc.rules.types import Scope

INT_LIMIT = 2**62

Py = bool | int | float | None


@attrs.frozen
class RefColumn:
    """A column as the reference sees it (Python values, ``None`` = missing) and as stored."""

    values: list[Py]
    array: np.ndarray[Any, Any]
    known: np.ndarray[Any, Any] | None


@attrs.frozen
class RefPopulation:
    """Columns per level, and member lists per (level, collection)."""

    sizes: Mapping[str, int]
    columns: Mapping[str, Mapping[str, RefColumn]]
    members: Mapping[tuple[str, str], list[list[int]]]
    codes: Mapping[tuple[str, str], np.ndarray[Any, Any]]

    def context(self) -> ColumnsContext:
        """The same population as the compiler's evaluation context."""
        columns = {
            level: {name: (col.array, col.known) for name, col in cols.items()}
            for level, cols in self.columns.items()
        }
        groups = {
            key: Groups.from_codes(codes, self.sizes[key[0]]) for key, codes in self.codes.items()
        }
        return ColumnsContext(columns, groups=groups, sizes=dict(self.sizes))


Result = tuple[Py, bool]  # (value or None, "an aggregate inside was over an empty group")

_CMP: dict[str, Callable[[Any, Any], bool]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _has_aggregate(expr: Expr) -> bool:
    match expr:
        case Aggregate():
            return True
        case Compare() | Arith():
            return _has_aggregate(expr.left) or _has_aggregate(expr.right)
        case BoolOp():
            return any(_has_aggregate(o) for o in expr.operands)
        case Not() | Neg():
            return _has_aggregate(expr.operand)
        case Call():
            return any(_has_aggregate(a) for a in expr.args)
        case _:
            return False


def _fraction(value: Any) -> Fraction:
    """A written number as the exact decimal it reads as (0.7 is 7/10)."""
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(int(value))


def _scaled_share(expr: Expr) -> tuple[Aggregate, Fraction] | None:
    """share(...) multiplied or divided by non-zero number literals, as (share, factor)."""
    if isinstance(expr, Aggregate) and expr.func == "share":
        return expr, Fraction(1)
    if not isinstance(expr, Arith) or expr.op not in ("*", "/"):
        return None
    if isinstance(expr.right, Literal):
        inner, scale = _scaled_share(expr.left), _fraction(expr.right.value)
    elif isinstance(expr.left, Literal) and expr.op == "*":
        inner, scale = _scaled_share(expr.right), _fraction(expr.left.value)
    else:
        return None
    if inner is None or scale == 0:
        return None
    return inner[0], inner[1] / scale if expr.op == "/" else inner[1] * scale


def _int_result(value: int) -> int | None:
    return None if abs(value) > INT_LIMIT else value


def _float_result(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _arith(op: str, a: Any, b: Any) -> Py:
    if op == "/":
        if b == 0:
            return None
        return _float_result(a / b)
    result = a + b if op == "+" else a - b if op == "-" else a * b
    if isinstance(result, float):
        return _float_result(result)
    return _int_result(result)


class Reference:
    """Evaluate a type-checked expression for each entity of the scope's level."""

    def __init__(
        self,
        pop: RefPopulation,
        scope: Scope,
        on_empty: str,
        skipped: set[tuple[str, int, str]] | None = None,
    ) -> None:
        self.pop = pop
        self.scope = scope
        self.on_empty = on_empty
        # (level, entity, member level) of every aggregate that left out an eligible
        # member for want of data.
        self.skipped: set[tuple[str, int, str]] = set() if skipped is None else skipped

    def evaluate(self, expr: Expr, is_bool: bool) -> list[Py]:
        out: list[Py] = []
        for i in range(self.pop.sizes[self.scope.level]):
            value, empty = self.node(expr, self.scope.level, i)
            out.append(None if empty and not is_bool else value)
        return out

    def atom(self, value: Py, empty: bool) -> Result:
        if not empty:
            return value, False
        return {"pass": True, "fail": False, "unknown": None}[self.on_empty], False

    def node(self, expr: Expr, level: str, i: int) -> Result:
        match expr:
            case Literal():
                return expr.value, False  # type: ignore[return-value]
            case Name() | MemberName():
                return self.pop.columns[level][expr.name].values[i], False
            case BoolOp():
                values = [self.node(o, level, i)[0] for o in expr.operands]
                decisive = expr.op == "or"
                if any(v is decisive for v in values):
                    return decisive, False
                if any(v is None for v in values):
                    return None, False
                return not decisive, False
            case Not():
                value, _ = self.node(expr.operand, level, i)
                return (None if value is None else not value), False
            case Neg():
                value, empty = self.node(expr.operand, level, i)
                if value is None:
                    return None, empty
                if isinstance(value, float):
                    return -value, empty
                return _int_result(-int(value)), empty
            case Arith():
                a, ea = self.node(expr.left, level, i)
                b, eb = self.node(expr.right, level, i)
                if a is None or b is None:
                    return None, ea or eb
                return _arith(expr.op, a, b), ea or eb
            case Compare():
                result = self.compare(expr, level, i)
                return self.atom(*result) if _has_aggregate(expr) else result
            case Call():
                result = self.call(expr, level, i)
                if expr.func == "abs":
                    return result
                return self.atom(*result) if _has_aggregate(expr) else result
            case Aggregate():
                value, empty = self.aggregate(expr, level, i)
                if expr.func in ("all", "any"):
                    return self.atom(value, empty)
                return value, empty
        raise AssertionError(expr)

    def compare(self, expr: Compare, level: str, i: int) -> Result:
        for side, other, op in ((expr.left, expr.right, expr.op), (expr.right, expr.left, None)):
            scaled = _scaled_share(side)
            if scaled is None or not isinstance(other, Literal):
                continue
            # Exact: share * factor as a fraction against the threshold as written.
            share, factor = scaled
            counts, empty = self.share_counts(share, level, i)
            if counts is None:
                return None, empty
            exact = Fraction(*counts) * factor
            threshold = _fraction(other.value)
            if op is None:
                return _CMP[expr.op](threshold, exact), False
            return _CMP[op](exact, threshold), False
        a, ea = self.node(expr.left, level, i)
        b, eb = self.node(expr.right, level, i)
        if a is None or b is None:
            return None, ea or eb
        return _CMP[expr.op](a, b), ea or eb

    def call(self, expr: Call, level: str, i: int) -> Result:
        results = [self.node(a, level, i) for a in expr.args]
        empty = any(e for _, e in results)
        x = results[0][0]
        if expr.func == "abs":
            if x is None:
                return None, empty
            return (abs(x) if isinstance(x, float) else _int_result(abs(int(x)))), empty
        if expr.func == "between":
            lo, hi = results[1][0], results[2][0]
            if x is None or lo is None or hi is None:
                return None, empty
            return lo <= x <= hi, empty
        if x is None:
            return None, empty
        return any(x == v for v, _ in results[1:]), empty

    def members(self, expr: Aggregate, level: str, i: int) -> tuple[str, list[int]]:
        member_level = self.scope.collections[expr.collection].level
        return member_level, self.pop.members[(level, expr.collection)][i]

    def gather(self, expr: Aggregate, level: str, i: int) -> tuple[list[Any], int, int]:
        """Known values of eligible members, the eligible count, and the missing count."""
        member_level, members = self.members(expr, level, i)
        values: list[Any] = []
        eligible = missing = 0
        for j in members:
            if expr.where is not None:
                w, _ = self.node(expr.where, member_level, j)
                if w is None:
                    missing += 1
                    continue
                if not w:
                    continue
            eligible += 1
            if expr.expr is None:
                continue
            v, _ = self.node(expr.expr, member_level, j)
            if v is None:
                missing += 1
            else:
                values.append(v)
        if missing:
            self.skipped.add((level, i, member_level))
        return values, eligible, missing

    def share_counts(
        self, expr: Aggregate, level: str, i: int
    ) -> tuple[tuple[int, int] | None, bool]:
        values, _, missing = self.gather(expr, level, i)
        if not values:
            return None, missing == 0
        return (sum(1 for v in values if v), len(values)), False

    def aggregate(self, expr: Aggregate, level: str, i: int) -> Result:
        values, eligible, missing = self.gather(expr, level, i)
        func = expr.func
        if func == "count":
            if eligible == 0 and missing > 0:
                return None, False
            return eligible, False
        if not values:
            if missing > 0:
                return None, False
            if func == "sum":
                return 0, False
            return None, True
        if func == "share":
            return sum(1 for v in values if v) / len(values), False
        if func == "all":
            return all(values), False
        if func == "any":
            return any(values), False
        if func == "sum":
            return sum(int(v) if isinstance(v, bool) else v for v in values), False
        if func == "mean":
            return sum(int(v) if isinstance(v, bool) else v for v in values) / len(values), False
        if func == "min":
            return min(values), False
        return max(values), False


def evaluate(
    expr: Expr, scope: Scope, pop: RefPopulation, *, on_empty: str = "fail", is_bool: bool = True
) -> list[Py]:
    """Evaluate ``expr`` (type-checked) for every entity of ``scope.level``."""
    return Reference(pop, scope, on_empty).evaluate(expr, is_bool)


def column_from_values(
    values: Sequence[Py], dtype: Any, garbage: Sequence[Any], nan_for_missing: bool = False
) -> RefColumn:
    """Build a stored column from Python values, putting garbage where values are missing."""
    n = len(values)
    missing = [v is None for v in values]
    if nan_for_missing and np.dtype(dtype).kind == "f":
        filled = [float("nan") if v is None else v for v in values]
        return RefColumn(list(values), np.array(filled, dtype=dtype), None)
    filled = [g if v is None else v for v, g in zip(values, garbage, strict=True)]
    array = np.array(filled, dtype=dtype) if n else np.zeros(0, dtype=dtype)
    known = None if not any(missing) else np.array([not m for m in missing], dtype=np.bool_)
    return RefColumn(list(values), array, known)
