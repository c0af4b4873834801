"""The elementwise operations of the rule language, as closures over whole columns.

Literals, column reads, Kleene ``and``/``or``/``not``, arithmetic with its overflow and
division guards, comparisons (a share compared exactly in integers), ``between`` and
``isin``: each takes compiled operands (``Fn``) and returns one, computing a whole
column at a time.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np

from learnsoc._messages import N_, Message
from learnsoc.aggregate.rate import ComparisonOp, Rate
from learnsoc.errors import SchemaError
from learnsoc.rules._results import (
    INT_LIMIT,
    Env,
    Fn,
    Res,
    and_known,
    kleene_and,
    kleene_or,
    or_mask,
)
from learnsoc.rules.evalcontext import EvalContext
from learnsoc.rules.ir import (
    Literal,
)
from learnsoc.rules.types import ValueType

_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "==": np.equal,
    "!=": np.not_equal,
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
}
FLIP = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


def _bound(values: Any) -> int:
    """Largest magnitude of an int64 array or scalar (0 for an empty array)."""
    arr = np.asarray(values)
    if arr.size == 0:
        return 0
    return max(abs(int(arr.max())), abs(int(arr.min())))


def as_int64(values: Any) -> Any:
    return np.asarray(values).astype(np.int64, copy=False)


def as_float64(values: Any) -> Any:
    return np.asarray(values).astype(np.float64, copy=False)


def literal_fn(node: Literal, value_type: ValueType) -> Fn:
    value: Any
    if value_type.kind == "float":
        value = np.float64(node.value)
    else:
        # Python ints and bools are "weak" in numpy 2: `age >= 15` stays a uint8
        # comparison instead of widening the column to int64, and numpy still compares
        # exactly with ints outside the column's range (uint8 >= 300 is False).
        value = bool(node.value) if value_type.kind == "bool" else int(node.value)
    res = Res(value)
    return lambda env: res


def column_fn(level: str, name: str, value_type: ValueType) -> Fn:
    key = (level, name)

    def run(env: Env) -> Res:
        hit = env.columns.get(key)
        if hit is None:
            hit = _read_column(env.ctx, level, name, value_type)
            env.columns[key] = hit
        return hit

    return run


def _read_column(ctx: EvalContext, level: str, name: str, value_type: ValueType) -> Res:
    values, known = ctx.column(level, name)
    values = np.asarray(values)
    n = ctx.size(level)
    if values.ndim != 1 or values.shape[0] != n:
        msg = Message(N_("has shape {shape}; expected ({n},)"), shape=values.shape, n=n)
        raise SchemaError(level, name, str(msg)).translatable(msg)
    if values.dtype.kind not in "biuf":
        msg = Message(
            N_("has dtype {dtype}; rule conditions need bool or numeric columns"),
            dtype=values.dtype,
        )
        raise SchemaError(level, name, str(msg)).translatable(msg)
    if known is not None:
        known = np.asarray(known, dtype=np.bool_)
        if known.shape != values.shape:
            msg = Message(
                N_("known mask has shape {shape}, expected ({n},)"), shape=known.shape, n=n
            )
            raise SchemaError(level, name, str(msg)).translatable(msg)
    if value_type.kind == "bool":
        if values.dtype.kind == "f":
            known = and_known(known, np.logical_not(np.isnan(values)))
        if values.dtype != np.bool_:
            values = values != 0
    elif values.dtype.kind == "f":
        nan = np.isnan(values)
        if nan.any():
            known = and_known(known, np.logical_not(nan))
    elif values.dtype.kind == "b":
        values = values.astype(np.int64)
    return Res(values, known)


def bool_op_fn(op: str, parts: list[Fn]) -> Fn:
    combine = kleene_and if op == "and" else kleene_or

    def run(env: Env) -> Res:
        res = parts[0](env)
        for part in parts[1:]:
            res = combine(res, part(env))
        return res

    return run


def not_fn(fn: Fn) -> Fn:
    def run(env: Env) -> Res:
        res = fn(env)
        return Res(np.logical_not(res.values), res.known)

    return run


def _guard_int(result: Any, exact_ok: bool, approx: Callable[[], Any], res: Res) -> Res:
    """Mark integer results beyond ±2**62 unknown (int64 would wrap silently)."""
    if exact_ok:
        return res
    too_big = np.greater(np.abs(approx()), INT_LIMIT)
    if not np.any(too_big):
        return res
    return Res(result, and_known(res.known, np.logical_not(too_big)), res.empty)


def _finite(res: Res) -> Res:
    bad = np.logical_not(np.isfinite(res.values))
    if not np.any(bad):
        return res
    return Res(res.values, and_known(res.known, np.logical_not(bad)), res.empty)


def _number_fn(op: Callable[[Any], Any], fn: Fn, value_type: ValueType) -> Fn:
    """Apply ``op`` (negation, absolute value) to a number; int64 results past ±2**62 unknown."""

    def run(env: Env) -> Res:
        a = fn(env)
        if value_type.kind == "float":
            return Res(op(as_float64(a.values)), a.known, a.empty)
        ints = as_int64(a.values)
        result = op(ints)
        res = Res(result, a.known, a.empty)
        return _guard_int(result, _bound(ints) <= INT_LIMIT, lambda: op(as_float64(ints)), res)

    return run


def neg_fn(fn: Fn, value_type: ValueType) -> Fn:
    return _number_fn(np.negative, fn, value_type)


def abs_fn(fn: Fn, value_type: ValueType) -> Fn:
    return _number_fn(np.abs, fn, value_type)


_ARITH: dict[str, Callable[[Any, Any], Any]] = {
    "+": np.add,
    "-": np.subtract,
    "*": np.multiply,
}


def arith_fn(op: str, left: Fn, right: Fn, value_type: ValueType) -> Fn:
    def run(env: Env) -> Res:
        a, b = left(env), right(env)
        known = and_known(a.known, b.known)
        empty = or_mask(a.empty, b.empty)
        if op == "/":
            num, den = as_float64(a.values), as_float64(b.values)
            shape = np.broadcast_shapes(np.shape(num), np.shape(den))
            nonzero = np.not_equal(den, 0.0)
            result = np.divide(num, den, out=np.zeros(shape), where=nonzero)
            if not np.all(nonzero):
                known = and_known(known, np.broadcast_to(nonzero, shape))
            return _finite(Res(result, known, empty))
        ufunc = _ARITH[op]
        if value_type.kind == "float":
            return _finite(Res(ufunc(as_float64(a.values), as_float64(b.values)), known, empty))
        x, y = as_int64(a.values), as_int64(b.values)
        result = ufunc(x, y)
        bx, by = _bound(x), _bound(y)
        safe = bx * by <= INT_LIMIT if op == "*" else bx + by <= INT_LIMIT
        return _guard_int(
            result,
            safe,
            lambda: ufunc(as_float64(x), as_float64(y)),
            Res(result, known, empty),
        )

    return run


def _exact_operands(a: Any, b: Any) -> tuple[Any, Any]:
    """Keep a weak Python int from being rounded to a float32 column's precision."""
    if isinstance(a, int) and np.asarray(b).dtype.kind == "f":
        return np.float64(a), b
    if isinstance(b, int) and np.asarray(a).dtype.kind == "f":
        return a, np.float64(b)
    return a, b


def compare_fn(op: str, left: Fn, right: Fn) -> Fn:
    ufunc = _COMPARE[op]

    def run(env: Env) -> Res:
        a, b = left(env), right(env)
        x, y = _exact_operands(a.values, b.values)
        return Res(ufunc(x, y), and_known(a.known, b.known), or_mask(a.empty, b.empty))

    return run


def share_compare_fn(share: Fn, op: str, threshold: Fraction) -> Fn:
    """Compare a share with a written threshold exactly, in integers.

    ``num / den op p / q`` is ``q * num op p * den`` wherever ``den > 0`` (elsewhere the
    share is unknown or empty and the value does not count).
    """
    comparison = typing.cast(ComparisonOp, op)
    ufunc = _COMPARE[op]
    p, q = threshold.numerator, threshold.denominator
    fallback = compare_fn(op, share, literal_fn(Literal(float(threshold)), ValueType("float")))

    def run(env: Env) -> Res:
        res = share(env)
        if res.rate is None:  # not reached: a share carries its counts
            return fallback(env)
        num, den = res.rate
        top = int(den.max()) if den.size else 0
        if top * max(abs(p), q) < INT_LIMIT:
            left = num if q == 1 else num * np.int64(q)
            right = den if p == 1 else den * np.int64(p)
            return Res(ufunc(left, right), res.known, res.empty)
        # Huge counts times a many-digit threshold: the kernels compare in Python ints.
        rate = Rate(numerator=num, denominator=den)
        return Res(rate.compare(comparison, threshold), res.known, res.empty)

    return run


def between_fn(args: list[Fn]) -> Fn:
    def run(env: Env) -> Res:
        x, lo, hi = (a(env) for a in args)
        above = np.greater_equal(*_exact_operands(x.values, lo.values))
        values = np.logical_and(above, np.less_equal(*_exact_operands(x.values, hi.values)))
        known = and_known(and_known(x.known, lo.known), hi.known)
        return Res(values, known, or_mask(or_mask(x.empty, lo.empty), hi.empty))

    return run


def isin_fn(fn: Fn, listed: tuple[Any, ...]) -> Fn:
    ints = all(isinstance(v, int) for v in listed)
    scalars: list[Any] = [int(v) if ints else np.float64(v) for v in listed]
    choices = np.array(scalars, dtype=np.int64 if ints else np.float64)

    def run(env: Env) -> Res:
        x = fn(env)
        values: Any
        if not scalars:
            values = np.zeros(np.shape(x.values), dtype=np.bool_)
        elif len(scalars) <= 4:
            # A few == beat np.isin's sort for the short lists rules use.
            values = np.equal(*_exact_operands(x.values, scalars[0]))
            for choice in scalars[1:]:
                values = np.logical_or(values, np.equal(*_exact_operands(x.values, choice)))
        else:
            values = np.isin(x.values, choices)
        return Res(values, x.known, x.empty)

    return run
