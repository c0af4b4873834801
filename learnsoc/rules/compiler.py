"""Compile type-checked rule conditions to a tree of closures over numpy operations.

Each node becomes a Python closure that computes one whole column at a time (never
one entity at a time); member aggregates call the aggregation kernels of
:mod:`learnsoc.aggregate`. No text is ever handed to ``eval``, ``exec`` or ``compile``,
no attribute is looked up by a user-supplied name, and nothing is pickled.

Semantics, in short (the reference page has the tables):

- **Three-valued logic.** Every node yields values and a ``known`` mask. ``and``,
  ``or`` and ``not`` follow Kleene's logic (``False and unknown`` is ``False``,
  ``True or unknown`` is ``True``); comparisons, arithmetic and functions of an unknown
  operand are unknown. A NaN in a float column is missing. Division by zero, and
  arithmetic whose result is not finite (float) or exceeds 2**62 in magnitude (int),
  is unknown.
- **Aggregates skip missing members.** A member whose value (or ``where`` filter) is
  unknown is left out and counted as missing. A group with no eligible member is
  *empty*; a group whose eligible members are all missing gives an unknown result.
- **Empty groups.** ``count`` and ``sum`` of an empty group are 0. For ``share``,
  ``all``, ``any``, ``mean``, ``min`` and ``max`` the condition's ``on_empty`` policy
  decides the smallest true/false part containing the aggregate (the comparison, or
  ``all(...)``/``any(...)`` itself): ``"pass"`` makes it true, ``"fail"`` (the
  default) false, ``"unknown"`` unknown.
- **Exact shares.** ``share(...) >= 0.7`` compares integers: 7 of 10 passes.

Examples
--------
>>> import numpy as np
>>> from learnsoc.aggregate.groups import Groups
>>> from learnsoc.rules.types import BOOL, INT, Scope
>>> person = Scope("person", {"age": INT, "learning": BOOL})
>>> household = Scope("household", {}, {"members": person})
>>> rule = compile_condition(
...     "share(members.learning, where=members.age >= 15) >= 0.5", household)
>>> ctx = ColumnsContext(
...     columns={"person": {"age": np.array([40, 38, 9, 70]),
...                         "learning": np.array([True, False, False, False])}},
...     groups={("household", "members"): Groups.from_codes(np.array([0, 0, 0, 1]), 3)},
...     sizes={"household": 3})
>>> print(rule.evaluate(ctx).values)
[ True False False]
"""

from __future__ import annotations

import typing
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from fractions import Fraction
from typing import Any, Protocol
from typing import Literal as TypingLiteral

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc._messages import N_, Message
from learnsoc.aggregate.groups import Groups
from learnsoc.aggregate.kernels import (
    group_count,
    group_counts,
    group_max,
    group_mean,
    group_min,
)
from learnsoc.aggregate.rate import ComparisonOp, Rate, RateStatus, exact_fraction
from learnsoc.errors import RulebookError, SchemaError
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
    collections_used,
    contains_aggregate,
    member_names_used,
    names_used,
    parse_condition,
    to_source,
    walk,
)
from learnsoc.rules.typecheck import TypedExpr, check_condition, typecheck
from learnsoc.rules.types import Scope, Value, ValueType

__all__ = [
    "ON_EMPTY",
    "AggregateStats",
    "AtomTrace",
    "ColumnsContext",
    "CompiledExpr",
    "EvalContext",
    "Trace",
    "compile_condition",
    "compile_expression",
    "compile_typed",
    "evaluate_many",
    "iter_many",
    "read_later",
]

#: The policies for an aggregate over a group with no eligible member.
ON_EMPTY = ("pass", "fail", "unknown")
OnEmpty = TypingLiteral["pass", "fail", "unknown"]

#: Integer results beyond this magnitude are unknown rather than silently wrapped.
INT_LIMIT = 2**62

STATUS_OK, STATUS_EMPTY, STATUS_MISSING = (
    int(RateStatus.OK),
    int(RateStatus.EMPTY),
    int(RateStatus.MISSING),
)

Array = NDArray[Any]
Mask = NDArray[np.bool_]


class EvalContext(Protocol):
    """Where a compiled expression reads its inputs.

    The rules engine implements it over a population; :class:`ColumnsContext` is a
    plain implementation over dicts of arrays.

    Examples
    --------
    >>> import numpy as np
    >>> ctx: EvalContext = ColumnsContext({"person": {"age": np.array([7, 70])}})
    >>> ctx.size("person")
    2
    """

    def column(self, level: str, name: str) -> tuple[Array, Mask | None]:
        """Return a column of a level and its known mask (``None``: all known)."""
        ...

    def groups(self, level: str, collection: str) -> Groups:
        """Return the members of ``collection`` per unit of ``level``."""
        ...

    def size(self, level: str) -> int:
        """Return the number of units of a level."""
        ...


@attrs.frozen(eq=False)
class ColumnsContext:
    """An :class:`EvalContext` over plain dicts, for examples, tests and quick checks.

    Parameters
    ----------
    columns : mapping
        ``{level: {name: values}}``; a value is an array or a ``(values, known)`` pair.
    groups : mapping
        ``{(level, collection): Groups}``.
    sizes : mapping, optional
        ``{level: n}`` for levels whose size cannot be read off a column (a level
        with no columns); otherwise the length of any of its columns.

    Examples
    --------
    >>> import numpy as np
    >>> ctx = ColumnsContext({"person": {"age": (np.array([3, 0]), np.array([True, False]))}})
    >>> ctx.size("person")
    2
    >>> print(ctx.column("person", "age")[1])
    [ True False]
    """

    columns: Mapping[str, Mapping[str, Any]]
    groups_: Mapping[tuple[str, str], Groups] = attrs.field(factory=dict, alias="groups")
    sizes: Mapping[str, int] = attrs.field(factory=dict)

    def column(self, level: str, name: str) -> tuple[Array, Mask | None]:
        """Return a column and its known mask."""
        try:
            entry = self.columns[level][name]
        except KeyError:
            available = self.columns.get(level, {})
            raise SchemaError(level, name, N_("no such column"), choices=available) from None
        if isinstance(entry, tuple):
            values, known = entry
            return np.asarray(values), None if known is None else np.asarray(known, np.bool_)
        return np.asarray(entry), None

    def groups(self, level: str, collection: str) -> Groups:
        """Return the member groups of a collection."""
        try:
            return self.groups_[(level, collection)]
        except KeyError:
            msg = Message(
                N_("no member groups for collection {collection!r}"), collection=collection
            )
            raise SchemaError(level, None, str(msg)).translatable(msg) from None

    def size(self, level: str) -> int:
        """Return the number of units of a level."""
        if level in self.sizes:
            return int(self.sizes[level])
        for entry in self.columns.get(level, {}).values():
            values = entry[0] if isinstance(entry, tuple) else entry
            return int(np.asarray(values).shape[0])
        raise SchemaError(level, None, N_("size unknown: give it in sizes= or give a column"))


@attrs.frozen(eq=False)
class AggregateStats:
    """The numbers behind one aggregate, per entity of the level evaluated.

    Attributes
    ----------
    node : Aggregate
        The aggregate.
    value : Value
        Its value: a share as a float (NaN where not computable), a count, a mean ...
    count : ndarray of int64
        Eligible members with a known value (the denominator of a share).
    hits : ndarray of int64 or None
        For ``share``, ``all`` and ``any``: eligible members meeting the inner condition
        (the numerator).
    missing : ndarray of int64
        Members left out because their value or ``where`` filter was unknown.
    status : ndarray of uint8
        0 ok, 1 empty (no eligible member), 2 missing (eligible members all missing).

    Examples
    --------
    >>> import numpy as np
    >>> from learnsoc.aggregate.groups import Groups
    >>> from learnsoc.rules.types import BOOL, Scope
    >>> household = Scope("household", {}, {"members": Scope("person", {"ok": BOOL})})
    >>> rule = compile_condition("any(members.ok)", household)
    >>> ctx = ColumnsContext({"person": {"ok": np.array([False, True])}},
    ...     groups={("household", "members"): Groups.from_codes([0, 0], 2)},
    ...     sizes={"household": 2})
    >>> stats = rule.evaluate_with_trace(ctx)[1].atoms[0].aggregates[0]
    >>> stats.hits.tolist(), stats.count.tolist(), stats.status.tolist()
    ([1, 0], [2, 0], [0, 1])
    """

    node: Aggregate
    value: Value
    count: NDArray[np.int64]
    hits: NDArray[np.int64] | None
    missing: NDArray[np.int64]
    status: NDArray[np.uint8]


@attrs.frozen(eq=False)
class AtomTrace:
    """One true/false part of a condition that involves aggregates, and its numbers.

    For ``share(members.learning, where=members.age >= 15) >= 0.5`` the atom is the
    comparison: ``op`` is ``">="``, ``threshold`` holds 0.5 per entity, and the
    aggregate's stats give "3 of 4 adults".

    Attributes
    ----------
    atom : Expr
        The comparison, method call, or ``all(...)``/``any(...)``.
    text : str
        The atom written back as condition text.
    aggregates : tuple of AggregateStats
        The aggregates inside it, in source order.
    result : Value
        The atom's verdict per entity, after the ``on_empty`` policy.
    op : str or None
        When the atom compares one aggregate with something: the operator, written
        with the aggregate on the left (``0.5 <= share(...)`` gives ``">="``).
    threshold : Value or None
        The other side of that comparison, per entity.

    Examples
    --------
    >>> import numpy as np
    >>> from learnsoc.aggregate.groups import Groups
    >>> from learnsoc.rules.types import INT, Scope
    >>> household = Scope("household", {}, {"members": Scope("person", {"age": INT})})
    >>> rule = compile_condition("1 <= count(members, where=members.age >= 15)", household)
    >>> ctx = ColumnsContext({"person": {"age": np.array([40, 9])}},
    ...     groups={("household", "members"): Groups.from_codes([0, 1], 2)},
    ...     sizes={"household": 2})
    >>> atom = rule.evaluate_with_trace(ctx)[1].atoms[0]
    >>> atom.text, atom.op, atom.result.values.tolist()
    ('1 <= count(members, where=members.age >= 15)', '>=', [True, False])
    """

    atom: Expr
    text: str
    aggregates: tuple[AggregateStats, ...]
    result: Value
    op: str | None = None
    threshold: Value | None = None


@attrs.frozen(eq=False)
class Trace:
    """The numbers behind the aggregate parts of a condition, from one evaluation.

    Examples
    --------
    >>> Trace(()).atoms
    ()
    """

    atoms: tuple[AtomTrace, ...]

    def find(self, text: str) -> AtomTrace:
        """Return the atom whose text is ``text`` (as written back by ``to_source``)."""
        for atom in self.atoms:
            if atom.text == text:
                return atom
        msg = f"no traced part {text!r}; traced: {[a.text for a in self.atoms]}"
        raise KeyError(msg)


# ------------------------------------------------------------------------------- results


class _Res:
    """An intermediate column: values, known mask, and where an aggregate was empty.

    A share carries its :class:`Rate`; its float values are computed only if something
    other than an exact comparison asks for them.
    """

    __slots__ = ("_values", "empty", "known", "rate")

    def __init__(
        self,
        values: Any,
        known: Mask | None = None,
        empty: Mask | None = None,
        rate: tuple[NDArray[np.signedinteger[Any]], NDArray[np.signedinteger[Any]]] | None = None,
    ) -> None:
        self._values = values
        self.known = known
        self.empty = empty
        # A share's (numerator, denominator), for exact comparison with a threshold.
        self.rate = rate

    @property
    def values(self) -> Any:
        if self._values is None and self.rate is not None:
            num, den = self.rate
            self._values = np.divide(num, den, out=np.full(num.shape, np.nan), where=den > 0)
        return self._values


class _Env:
    """State of one evaluation: the context, caches and the trace being built.

    What does not depend on an expression's ``on_empty`` policy (columns, raw aggregate
    results, parts without aggregates) is keyed by level and node and can be shared by
    several expressions (:func:`evaluate_many`); parts that contain an aggregate are
    cached per expression in ``local``.
    """

    __slots__ = (
        "aggregates",
        "atoms",
        "columns",
        "ctx",
        "local",
        "shared",
        "stats",
        "traced",
        "tracing",
    )

    def __init__(self, ctx: EvalContext, tracing: bool) -> None:
        self.ctx = ctx
        self.tracing = tracing
        self.columns: dict[tuple[str, str], _Res] = {}
        self.shared: dict[tuple[str, Expr], _Res] = {}
        self.aggregates: dict[tuple[str, Expr], _Res] = {}
        self.stats: dict[tuple[str, Expr], AggregateStats] = {}
        self.local: dict[Expr, _Res] = {}
        self.atoms: list[AtomTrace] = []
        self.traced: set[Expr] = set()


_Fn = Callable[[_Env], _Res]


def _and_known(a: Mask | None, b: Mask | None) -> Mask | None:
    if a is None:
        return b
    if b is None:
        return a
    return np.logical_and(a, b)


def _or_mask(a: Mask | None, b: Mask | None) -> Mask | None:
    if a is None:
        return b
    if b is None:
        return a
    return np.logical_or(a, b)


def _kleene_and(a: _Res, b: _Res) -> _Res:
    values = np.logical_and(a.values, b.values)
    ak, bk = a.known, b.known
    # Known when both are, or when either side is known to be false.
    if ak is None:
        if bk is None:
            return _Res(values)
        known = np.logical_or(bk, np.logical_not(a.values))
    elif bk is None:
        known = np.logical_or(ak, np.logical_not(b.values))
    else:
        known = np.logical_and(ak, bk)
        known |= np.logical_and(ak, np.logical_not(a.values))
        known |= np.logical_and(bk, np.logical_not(b.values))
    return _Res(values, known)


def _kleene_or(a: _Res, b: _Res) -> _Res:
    values = np.logical_or(a.values, b.values)
    ak, bk = a.known, b.known
    # Known when both are, or when either side is known to be true.
    if ak is None:
        if bk is None:
            return _Res(values)
        known = np.logical_or(bk, a.values)
    elif bk is None:
        known = np.logical_or(ak, b.values)
    else:
        known = np.logical_and(ak, bk)
        known |= np.logical_and(ak, a.values)
        known |= np.logical_and(bk, b.values)
    return _Res(values, known)


_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "==": np.equal,
    "!=": np.not_equal,
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
}
_FLIP = {"==": "==", "!=": "!=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}


def _bound(values: Any) -> int:
    """Largest magnitude of an int64 array or scalar (0 for an empty array)."""
    arr = np.asarray(values)
    if arr.size == 0:
        return 0
    return max(abs(int(arr.max())), abs(int(arr.min())))


def _as_int64(values: Any) -> Any:
    return np.asarray(values).astype(np.int64, copy=False)


def _as_float64(values: Any) -> Any:
    return np.asarray(values).astype(np.float64, copy=False)


# ------------------------------------------------------------------------------ compiler


class _Compiler:
    """Turn a typed tree into closures; recursion is bounded by the parser's depth limit."""

    def __init__(self, typed: TypedExpr, level: str, on_empty: OnEmpty) -> None:
        self.types = typed.types
        self.scope = typed.scope
        self.level = level
        self.on_empty = on_empty
        # share/all/any/count per collection, counted together before the tree runs.
        self.prefetch: dict[tuple[str, str], list[tuple[Aggregate, _InputsFn]]] = {}
        counts = Counter(walk(typed.expr))
        self.shared = {
            node
            for node, n in counts.items()
            if n > 1 and not isinstance(node, Literal | Name | MemberName)
        }

    def compile(self, node: Expr, level: str) -> _Fn:
        fn = self._compile(node, level)
        if node in self.shared:
            fn = _cached(node, fn, level, policy_free=not contains_aggregate(node))
        return fn

    def _compile(self, node: Expr, level: str) -> _Fn:
        value_type = self.types[node]
        match node:
            case Literal():
                return _literal(node, value_type)
            case Name():
                return _column(level, node.name, value_type)
            case MemberName():
                return _column(level, node.name, value_type)
            case BoolOp():
                parts = [self.compile(o, level) for o in node.operands]
                return _bool_op(node.op, parts)
            case Not():
                return _not(self.compile(node.operand, level))
            case Neg():
                return _neg(self.compile(node.operand, level), value_type)
            case Arith():
                left = self.compile(node.left, level)
                right = self.compile(node.right, level)
                return _arith(node.op, left, right, value_type)
            case Compare():
                return self.atom(node, self.compare(node, level))
            case Call():
                args = [self.compile(a, level) for a in node.args]
                if node.func == "abs":
                    return _abs(args[0], value_type)
                if node.func == "between":
                    return self.atom(node, _between(args))
                values = tuple(a.value for a in node.args[1:] if isinstance(a, Literal))
                return self.atom(node, _isin(args[0], values))
            case Aggregate():
                fn = self.aggregate(node, level)
                if node.func in ("all", "any"):
                    return self.atom(node, fn)
                return fn

    def compare(self, node: Compare, level: str) -> _Fn:
        sides = ((node.left, node.right, node.op), (node.right, node.left, _FLIP[node.op]))
        for share_side, other, op in sides:
            scaled = _scaled_share(share_side)
            if scaled is None or not isinstance(other, Literal):
                continue
            share, factor = scaled
            # share * f op t  <=>  share op t / f, with the direction reversed when f < 0.
            threshold = exact_fraction(_number(other)) / factor
            exact_op = _FLIP[op] if factor < 0 else op
            return _share_compare(self.compile(share, level), exact_op, threshold)
        left = self.compile(node.left, level)
        right = self.compile(node.right, level)
        return _compare(node.op, left, right)

    def atom(self, node: Expr, fn: _Fn) -> _Fn:
        """Apply the empty-group policy (and tracing) to a true/false part."""
        if not contains_aggregate(node):
            return fn
        on_empty = self.on_empty
        aggregates = [n for n in walk(node) if isinstance(n, Aggregate)]
        text = to_source(node)
        traced_op: str | None = None
        other: Expr | None = None
        if isinstance(node, Compare):
            if isinstance(node.left, Aggregate) and not contains_aggregate(node.right):
                traced_op, other = node.op, node.right
            elif isinstance(node.right, Aggregate) and not contains_aggregate(node.left):
                traced_op, other = _FLIP[node.op], node.left
        other_fn = None if other is None else self.compile(other, self.level)
        size_level = self.level

        def run(env: _Env) -> _Res:
            res = fn(env)
            if res.empty is not None:
                res = _apply_empty(res, res.empty, on_empty)
            if env.tracing and node not in env.traced:
                env.traced.add(node)
                n = env.ctx.size(size_level)
                threshold = None if other_fn is None else _to_value(other_fn(env), n, False, True)
                stats = tuple(env.stats[(size_level, a)] for a in aggregates)
                result = _to_value(res, n, True)
                env.atoms.append(AtomTrace(node, text, stats, result, traced_op, threshold))
            return res

        return run

    def member_input(self, node: Expr, level: str) -> _Fn:
        """Compile an aggregate's value or filter, cached for reuse.

        Other aggregates, and other criteria evaluated together, then reuse it:
        ``members.age >= 15`` is computed once.
        """
        fn = self.compile(node, level)
        if node in self.shared or isinstance(node, Literal | Name | MemberName):
            return fn
        return _cached(node, fn, level, policy_free=True)

    def aggregate(self, node: Aggregate, level: str) -> _Fn:
        member = self.scope.collections[node.collection]
        inner = None if node.expr is None else self.member_input(node.expr, member.level)
        where = None if node.where is None else self.member_input(node.where, member.level)
        inner_type = None if node.expr is None else self.types[node.expr]
        inputs = _inputs(node, level, member.level, inner, where)
        if node.func in ("share", "all", "any", "count"):
            plan = self.prefetch.setdefault((level, node.collection), [])
            if all(node != planned for planned, _ in plan):
                plan.append((node, inputs))
        return _aggregate(node, level, inputs, inner_type, self.types[node])


def _scaled_share(expr: Expr) -> tuple[Aggregate, Fraction] | None:
    """Read ``expr`` as ``share(...) * f`` for an exact non-zero ``f`` (``share(x) * 100``)."""
    factor = Fraction(1)
    while not (isinstance(expr, Aggregate) and expr.func == "share"):
        if not isinstance(expr, Arith) or expr.op not in ("*", "/"):
            return None
        if isinstance(expr.right, Literal):
            scale = exact_fraction(_number(expr.right))
            inner = expr.left
        elif isinstance(expr.left, Literal) and expr.op == "*":
            scale = exact_fraction(_number(expr.left))
            inner = expr.right
        else:
            return None
        if scale == 0:
            return None
        factor = factor / scale if expr.op == "/" else factor * scale
        expr = inner
    return expr, factor


def _number(lit: Literal) -> float | int:
    value = lit.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        msg = f"expected a number, got {value!r}"
        raise TypeError(msg)
    return value


def _cached(node: Expr, fn: _Fn, level: str, policy_free: bool) -> _Fn:
    if policy_free:
        key = (level, node)

        def shared(env: _Env) -> _Res:
            hit = env.shared.get(key)
            if hit is None:
                hit = fn(env)
                env.shared[key] = hit
            return hit

        return shared

    def local(env: _Env) -> _Res:
        hit = env.local.get(node)
        if hit is None:
            hit = fn(env)
            env.local[node] = hit
        return hit

    return local


def _literal(node: Literal, value_type: ValueType) -> _Fn:
    value: Any
    if value_type.kind == "float":
        value = np.float64(node.value)
    else:
        # Python ints and bools are "weak" in numpy 2: `age >= 15` stays a uint8
        # comparison instead of widening the column to int64, and numpy still compares
        # exactly with ints outside the column's range (uint8 >= 300 is False).
        value = bool(node.value) if value_type.kind == "bool" else int(node.value)
    res = _Res(value)
    return lambda env: res


def _column(level: str, name: str, value_type: ValueType) -> _Fn:
    key = (level, name)

    def run(env: _Env) -> _Res:
        hit = env.columns.get(key)
        if hit is None:
            hit = _read_column(env.ctx, level, name, value_type)
            env.columns[key] = hit
        return hit

    return run


def _read_column(ctx: EvalContext, level: str, name: str, value_type: ValueType) -> _Res:
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
            known = _and_known(known, np.logical_not(np.isnan(values)))
        if values.dtype != np.bool_:
            values = values != 0
    elif values.dtype.kind == "f":
        nan = np.isnan(values)
        if nan.any():
            known = _and_known(known, np.logical_not(nan))
    elif values.dtype.kind == "b":
        values = values.astype(np.int64)
    return _Res(values, known)


def _bool_op(op: str, parts: list[_Fn]) -> _Fn:
    combine = _kleene_and if op == "and" else _kleene_or

    def run(env: _Env) -> _Res:
        res = parts[0](env)
        for part in parts[1:]:
            res = combine(res, part(env))
        return res

    return run


def _not(fn: _Fn) -> _Fn:
    def run(env: _Env) -> _Res:
        res = fn(env)
        return _Res(np.logical_not(res.values), res.known)

    return run


def _guard_int(result: Any, exact_ok: bool, approx: Callable[[], Any], res: _Res) -> _Res:
    """Mark integer results beyond ±2**62 unknown (int64 would wrap silently)."""
    if exact_ok:
        return res
    too_big = np.greater(np.abs(approx()), INT_LIMIT)
    if not np.any(too_big):
        return res
    return _Res(result, _and_known(res.known, np.logical_not(too_big)), res.empty)


def _finite(res: _Res) -> _Res:
    bad = np.logical_not(np.isfinite(res.values))
    if not np.any(bad):
        return res
    return _Res(res.values, _and_known(res.known, np.logical_not(bad)), res.empty)


def _neg(fn: _Fn, value_type: ValueType) -> _Fn:
    def run(env: _Env) -> _Res:
        a = fn(env)
        if value_type.kind == "float":
            return _Res(np.negative(_as_float64(a.values)), a.known, a.empty)
        ints = _as_int64(a.values)
        result = np.negative(ints)
        res = _Res(result, a.known, a.empty)
        return _guard_int(
            result, _bound(ints) <= INT_LIMIT, lambda: np.negative(_as_float64(ints)), res
        )

    return run


def _abs(fn: _Fn, value_type: ValueType) -> _Fn:
    def run(env: _Env) -> _Res:
        a = fn(env)
        if value_type.kind == "float":
            return _Res(np.abs(_as_float64(a.values)), a.known, a.empty)
        ints = _as_int64(a.values)
        result = np.abs(ints)
        res = _Res(result, a.known, a.empty)
        return _guard_int(result, _bound(ints) <= INT_LIMIT, lambda: np.abs(_as_float64(ints)), res)

    return run


_ARITH: dict[str, Callable[[Any, Any], Any]] = {
    "+": np.add,
    "-": np.subtract,
    "*": np.multiply,
}


def _arith(op: str, left: _Fn, right: _Fn, value_type: ValueType) -> _Fn:
    def run(env: _Env) -> _Res:
        a, b = left(env), right(env)
        known = _and_known(a.known, b.known)
        empty = _or_mask(a.empty, b.empty)
        if op == "/":
            num, den = _as_float64(a.values), _as_float64(b.values)
            shape = np.broadcast_shapes(np.shape(num), np.shape(den))
            nonzero = np.not_equal(den, 0.0)
            result = np.divide(num, den, out=np.zeros(shape), where=nonzero)
            if not np.all(nonzero):
                known = _and_known(known, np.broadcast_to(nonzero, shape))
            return _finite(_Res(result, known, empty))
        ufunc = _ARITH[op]
        if value_type.kind == "float":
            return _finite(_Res(ufunc(_as_float64(a.values), _as_float64(b.values)), known, empty))
        x, y = _as_int64(a.values), _as_int64(b.values)
        result = ufunc(x, y)
        bx, by = _bound(x), _bound(y)
        safe = bx * by <= INT_LIMIT if op == "*" else bx + by <= INT_LIMIT
        return _guard_int(
            result,
            safe,
            lambda: ufunc(_as_float64(x), _as_float64(y)),
            _Res(result, known, empty),
        )

    return run


def _exact_operands(a: Any, b: Any) -> tuple[Any, Any]:
    """Keep a weak Python int from being rounded to a float32 column's precision."""
    if isinstance(a, int) and np.asarray(b).dtype.kind == "f":
        return np.float64(a), b
    if isinstance(b, int) and np.asarray(a).dtype.kind == "f":
        return a, np.float64(b)
    return a, b


def _compare(op: str, left: _Fn, right: _Fn) -> _Fn:
    ufunc = _COMPARE[op]

    def run(env: _Env) -> _Res:
        a, b = left(env), right(env)
        x, y = _exact_operands(a.values, b.values)
        return _Res(ufunc(x, y), _and_known(a.known, b.known), _or_mask(a.empty, b.empty))

    return run


def _share_compare(share: _Fn, op: str, threshold: Fraction) -> _Fn:
    """Compare a share with a written threshold exactly, in integers.

    ``num / den op p / q`` is ``q * num op p * den`` wherever ``den > 0`` (elsewhere the
    share is unknown or empty and the value does not count).
    """
    comparison = typing.cast(ComparisonOp, op)
    ufunc = _COMPARE[op]
    p, q = threshold.numerator, threshold.denominator
    fallback = _compare(op, share, _literal(Literal(float(threshold)), ValueType("float")))

    def run(env: _Env) -> _Res:
        res = share(env)
        if res.rate is None:  # not reached: a share carries its counts
            return fallback(env)
        num, den = res.rate
        top = int(den.max()) if den.size else 0
        if top * max(abs(p), q) < INT_LIMIT:
            left = num if q == 1 else num * np.int64(q)
            right = den if p == 1 else den * np.int64(p)
            return _Res(ufunc(left, right), res.known, res.empty)
        # Huge counts times a many-digit threshold: the kernels compare in Python ints.
        rate = Rate(numerator=num, denominator=den)
        return _Res(rate.compare(comparison, threshold), res.known, res.empty)

    return run


def _between(args: list[_Fn]) -> _Fn:
    def run(env: _Env) -> _Res:
        x, lo, hi = (a(env) for a in args)
        above = np.greater_equal(*_exact_operands(x.values, lo.values))
        values = np.logical_and(above, np.less_equal(*_exact_operands(x.values, hi.values)))
        known = _and_known(_and_known(x.known, lo.known), hi.known)
        return _Res(values, known, _or_mask(_or_mask(x.empty, lo.empty), hi.empty))

    return run


def _isin(fn: _Fn, listed: tuple[Any, ...]) -> _Fn:
    ints = all(isinstance(v, int) for v in listed)
    scalars: list[Any] = [int(v) if ints else np.float64(v) for v in listed]
    choices = np.array(scalars, dtype=np.int64 if ints else np.float64)

    def run(env: _Env) -> _Res:
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
        return _Res(values, x.known, x.empty)

    return run


def _apply_empty(res: _Res, empty: Mask, on_empty: OnEmpty) -> _Res:
    if on_empty == "unknown":
        not_empty = np.logical_not(empty)
        return _Res(res.values, not_empty if res.known is None else res.known & not_empty)
    # For booleans, a > b is "a and not b": values where not empty, False where empty.
    if on_empty == "pass":
        values = np.logical_or(res.values, empty)
    else:
        values = np.greater(res.values, empty)
    # The policy decides empty groups, so they are known even if an operand was not.
    return _Res(values, None if res.known is None else np.logical_or(res.known, empty))


def _to_value(res: _Res, n: int, is_bool: bool, view: bool = False) -> Value:
    values = np.asarray(res.values)
    known = res.known
    if res.empty is not None:
        known = _and_known(known, np.logical_not(res.empty))
    if values.ndim == 0:
        # A constant (a threshold in a trace) need not fill memory: a read-only view.
        values = np.broadcast_to(values, (n,)) if view else np.full(n, values)
    if known is not None:
        known = np.asarray(known, dtype=np.bool_)
        if known.ndim == 0:
            known = np.full(n, bool(known))
        if is_bool:
            values = np.logical_and(values, known)
    return Value(values, known)


# ----------------------------------------------------------------------------- aggregates


def _broadcast(values: Any, m: int) -> Any:
    arr = np.asarray(values)
    return np.broadcast_to(arr, (m,)) if arr.ndim == 0 else arr


class _Inputs:
    """What the kernels need for one aggregate: groups, member values, where and known.

    The kernels count ``where & ~known`` as missing. A member whose ``where=`` is
    unknown may be eligible: it is passed as eligible but not known, so it is counted
    as missing too.
    """

    __slots__ = ("groups", "known", "values", "where")

    def __init__(self, groups: Groups, values: Any, where: Mask | None, known: Mask | None) -> None:
        self.groups = groups
        self.values = values
        self.where = where
        self.known = known


_InputsFn = Callable[[_Env], _Inputs]


def _inputs(
    node: Aggregate, level: str, member_level: str, inner: _Fn | None, where: _Fn | None
) -> _InputsFn:
    def run(env: _Env) -> _Inputs:
        ctx = env.ctx
        n, m = ctx.size(level), ctx.size(member_level)
        groups = ctx.groups(level, node.collection)
        if groups.n_groups != n or groups.n_members != m:
            msg = Message(
                N_(
                    "member groups of {collection!r} cover {n_members} members in {n_groups} "
                    "groups; expected {m} {member_level} members in {n} groups"
                ),
                collection=node.collection,
                n_members=groups.n_members,
                n_groups=groups.n_groups,
                m=m,
                member_level=member_level,
                n=n,
            )
            raise SchemaError(level, None, str(msg)).translatable(msg)
        where_arg: Mask | None = None
        known_arg: Mask | None = None
        if where is not None:
            w = where(env)
            where_arg = _broadcast(w.values, m)
            if w.known is not None:
                sure = _broadcast(w.known, m)
                where_arg = np.logical_or(where_arg, np.logical_not(sure))
                known_arg = sure
        values: Any = None
        if inner is not None:
            v = inner(env)
            values = _broadcast(v.values, m)
            if v.known is not None:
                known_arg = _and_known(known_arg, _broadcast(v.known, m))
        return _Inputs(groups, values, where_arg, known_arg)

    return run


def _counting_masks(node: Aggregate, inputs: _Inputs) -> dict[str, Mask]:
    """Return the 0/1 masks whose counts decide share/all/any/count (none if sizes do)."""
    where, known = inputs.where, inputs.known
    eligible = (
        where if known is None else (known if where is None else np.logical_and(where, known))
    )
    masks: dict[str, Mask] = {}
    if node.func != "count":
        hits = np.asarray(inputs.values, dtype=np.bool_)
        masks["hits"] = hits if eligible is None else np.logical_and(hits, eligible)
    if eligible is not None:
        masks["count"] = eligible
    if known is not None:
        # where & ~known in one pass: for booleans a > b is a and not b.
        masks["missing"] = np.logical_not(known) if where is None else np.greater(where, known)
    return masks


def _from_counts(
    env: _Env,
    level: str,
    node: Aggregate,
    groups: Groups,
    counts: Mapping[str, NDArray[np.int64]],
) -> _Res:
    """Finish share/all/any/count from the counts of :func:`_counting_masks`.

    Counts may come as int32. A count, which expressions may do arithmetic on, and the
    traces are made int64; a share's two counts are kept as they came (its only uses, the
    exact comparison with a threshold and the float share, widen as they compute).
    """
    count = counts["count"] if "count" in counts else groups.sizes()
    missing = counts.get("missing")
    # Group-level masks cost a pass over the groups each: build only those needed.
    none = count == 0
    any_none = bool(np.any(none))
    missing_groups: Mask | None = None
    empty: Mask | None = none if any_none else None
    if missing is not None and any_none:
        lost = missing > 0
        missing_groups = np.logical_and(none, lost)
        empty = np.logical_and(none, np.logical_not(lost))
        if not bool(np.any(missing_groups)):
            missing_groups = None
        if not bool(np.any(empty)):
            empty = None
    known: Mask | None = None if missing_groups is None else np.logical_not(missing_groups)
    rate: tuple[NDArray[np.signedinteger[Any]], NDArray[np.signedinteger[Any]]] | None = None
    values: Any
    if node.func == "count":
        values, empty = count.astype(np.int64, copy=False), None
    elif node.func == "share":
        rate = (counts["hits"], count)
        values = None  # computed from the counts if something asks for the floats
        known = None if not any_none else np.logical_not(none)
    elif node.func == "all":
        values = counts["hits"] == count
    else:
        values = counts["hits"] > 0
    res = _Res(values, known, empty, rate)
    if env.tracing:
        shown = known if empty is None else _and_known(known, np.logical_not(empty))
        lost_counts = np.zeros(groups.n_groups, np.int64) if missing is None else missing
        hits = counts.get("hits")
        env.stats[(level, node)] = AggregateStats(
            node,
            Value(res.values, shown),
            count.astype(np.int64, copy=False),
            None if hits is None else hits.astype(np.int64, copy=False),
            lost_counts.astype(np.int64, copy=False),
            _status(count, missing),
        )
    return res


_Plans = Mapping[tuple[str, str], list[tuple[Aggregate, _InputsFn]]]


def _prefetch(env: _Env, plans: _Plans) -> None:
    """Count the masks of every share/all/any/count over a collection in one packed pass.

    One :func:`~learnsoc.aggregate.kernels.group_counts` call per collection packs the
    masks of all its counting aggregates, instead of one kernel pass per aggregate.
    """
    for (level, _collection), items in plans.items():
        masks: list[Mask] = []
        seen: dict[int, int] = {}  # the same array (a cached where=) is counted once
        layout: list[tuple[Aggregate, Groups, dict[str, int]]] = []
        for node, inputs_fn in items:
            if (level, node) in env.aggregates:
                continue
            inputs = inputs_fn(env)
            slots: dict[str, int] = {}
            for key, mask in _counting_masks(node, inputs).items():
                if id(mask) not in seen:
                    seen[id(mask)] = len(masks)
                    masks.append(mask)
                slots[key] = seen[id(mask)]
            layout.append((node, inputs.groups, slots))
        if not layout:
            continue
        groups = layout[0][1]
        # Rows (one per mask and group) as narrow as the largest group allows: a fourth of
        # int64's memory for households; the counts that expressions compute with are widened.
        narrow = _count_dtype(groups.max_size)
        counted = group_counts(groups, masks, dtype=narrow) if masks else None
        masks.clear()  # counted: the member masks can go before the group results are made
        for node, groups, slots in layout:
            counts = {} if counted is None else {key: counted[i] for key, i in slots.items()}
            env.aggregates[(level, node)] = _from_counts(env, level, node, groups, counts)


def _count_dtype(largest: int) -> type[np.signedinteger[Any]]:
    """Return the narrowest signed integer type that holds counts up to ``largest``."""
    for kind in (np.int16, np.int32):
        if largest <= np.iinfo(kind).max:
            return kind
    return np.int64


def _aggregate(
    node: Aggregate,
    level: str,
    inputs_fn: _InputsFn,
    inner_type: ValueType | None,
    result_type: ValueType,
) -> _Fn:
    key = (level, node)

    def run(env: _Env) -> _Res:
        hit = env.aggregates.get(key)
        if hit is not None:
            return hit
        inputs = inputs_fn(env)
        if node.func in ("share", "all", "any", "count"):
            masks = _counting_masks(node, inputs)
            keys = list(masks)
            counts: dict[str, NDArray[np.int64]] = {}
            if keys:
                counted = group_counts(inputs.groups, [masks[k] for k in keys])
                counts = {k: counted[i] for i, k in enumerate(keys)}
            res = _from_counts(env, level, node, inputs.groups, counts)
        else:
            res = _numeric(env, level, node, inputs, inner_type, result_type)
        env.aggregates[key] = res
        return res

    return run


def _numeric(
    env: _Env,
    level: str,
    node: Aggregate,
    inputs: _Inputs,
    inner_type: ValueType | None,
    result_type: ValueType,
) -> _Res:
    """sum, mean, min and max: a value kernel plus the counts that give the status."""
    groups, values, where, known = inputs.groups, inputs.values, inputs.where, inputs.known
    func = node.func
    out: Any
    if func in ("sum", "mean"):
        kind = inner_type.kind if inner_type is not None else "int"
        vals = np.asarray(values, dtype=np.bool_) if kind == "bool" else values
        if kind == "int":
            vals = _as_int64(vals)
        elif kind == "float":
            vals = _as_float64(vals)
        mean = group_mean(groups, vals, where=where, known=known)
        count, missing = mean.count, mean.missing
        out = mean.value() if func == "mean" else mean.total
    else:
        kernel = group_min if func == "min" else group_max
        vals = _as_float64(values) if result_type.kind == "float" else _as_int64(values)
        out = kernel(groups, vals, where=where, known=known)
        if known is None:
            count = group_count(groups, where=where)
            missing = np.zeros(groups.n_groups, dtype=np.int64)
        else:
            eligible = np.ones(groups.n_members, np.bool_) if where is None else where
            both = group_counts(
                groups, [np.logical_and(eligible, known), np.greater(eligible, known)]
            )
            count, missing = both[0], both[1]
    target = np.float64 if result_type.kind == "float" else np.int64
    out = np.asarray(out).astype(target, copy=False)
    status = _status(count, missing if known is not None else None)
    missing_groups = status == STATUS_MISSING
    known_out: Mask | None = (
        np.logical_not(missing_groups) if bool(np.any(missing_groups)) else None
    )
    empty: Mask | None = None
    if func in ("mean", "min", "max"):
        is_empty = status == STATUS_EMPTY
        if bool(np.any(is_empty)):
            empty = is_empty
    if env.tracing:
        shown = known_out if empty is None else _and_known(known_out, np.logical_not(empty))
        env.stats[(level, node)] = AggregateStats(
            node, Value(out, shown), count, None, missing, status
        )
    return _Res(out, known_out, empty)


def _status(count: NDArray[np.int64], missing: NDArray[np.int64] | None) -> NDArray[np.uint8]:
    # OK = 0, EMPTY = 1, MISSING = 2: (count == 0) * (1 + (missing > 0)).
    none = count == 0
    status: NDArray[np.uint8] = none.astype(np.uint8)
    if missing is not None:
        status += np.logical_and(none, missing > 0)
    return status


# ----------------------------------------------------------------------------- the API


@attrs.frozen(eq=False)
class CompiledExpr:
    """A compiled rule expression, ready to evaluate on any :class:`EvalContext`.

    Attributes
    ----------
    ir : Expr
        The type-checked expression (code names resolved).
    type : ValueType
        Its type; a criterion's is ``bool``.
    level : str
        The level it is evaluated at.
    on_empty : {"pass", "fail", "unknown"}
        The empty-group policy.
    source : str
        The text it was compiled from.

    Examples
    --------
    >>> from learnsoc.rules.types import BOOL, INT, Scope
    >>> household = Scope("household", {"rural": BOOL}, {"members": Scope("person", {"age": INT})})
    >>> rule = compile_condition("rural and count(members) > 2", household)
    >>> rule.type.kind, sorted(rule.names), sorted(rule.collections)
    ('bool', ['rural'], ['members'])
    """

    ir: Expr
    type: ValueType
    level: str
    on_empty: OnEmpty
    source: str
    _fn: _Fn = attrs.field(repr=False, alias="fn")
    _prefetch: _Plans = attrs.field(factory=dict, repr=False, alias="prefetch")

    @property
    def names(self) -> frozenset[str]:
        """Names of the level's own columns, variables and titles it reads."""
        return names_used(self.ir)

    @property
    def member_names(self) -> frozenset[tuple[str, str]]:
        """``(collection, name)`` pairs of member values it aggregates."""
        return member_names_used(self.ir)

    @property
    def collections(self) -> frozenset[str]:
        """Member collections it aggregates over."""
        return collections_used(self.ir)

    def evaluate(self, ctx: EvalContext) -> Value:
        """Evaluate for every entity of the level.

        Parameters
        ----------
        ctx : EvalContext
            Where the columns and member groups come from.

        Returns
        -------
        Value
            bool, int64 or float64 values by type, and the known mask.

        Examples
        --------
        >>> import numpy as np
        >>> from learnsoc.rules.types import BOOL, Scope
        >>> rule = compile_condition("a and b", Scope("person", {"a": BOOL, "b": BOOL}))
        >>> ctx = ColumnsContext({"person": {
        ...     "a": np.array([True, False, True]),
        ...     "b": (np.array([True, True, True]), np.array([True, False, False]))}})
        >>> value = rule.evaluate(ctx)
        >>> print(value.values, value.known)
        [ True False False] [ True  True False]
        """
        return self._run(ctx, tracing=False)[0]

    def evaluate_with_trace(self, ctx: EvalContext) -> tuple[Value, Trace]:
        """Evaluate, also keeping the numbers behind every part that uses an aggregate.

        Parameters
        ----------
        ctx : EvalContext
            Where the columns and member groups come from.

        Returns
        -------
        (Value, Trace)
            The result as :meth:`evaluate`, and per atom the aggregate counts.

        Examples
        --------
        >>> import numpy as np
        >>> from learnsoc.aggregate.groups import Groups
        >>> from learnsoc.rules.types import BOOL, Scope
        >>> household = Scope("household", {}, {"members": Scope("person", {"ok": BOOL})})
        >>> rule = compile_condition("share(members.ok) >= 0.7", household)
        >>> ctx = ColumnsContext(
        ...     {"person": {"ok": np.arange(10) < 7}},
        ...     groups={("household", "members"): Groups.from_codes(np.zeros(10, int), 1)},
        ...     sizes={"household": 1})
        >>> value, trace = rule.evaluate_with_trace(ctx)
        >>> atom = trace.atoms[0]
        >>> stats = atom.aggregates[0]
        >>> print(int(stats.hits[0]), int(stats.count[0]), atom.op, float(atom.threshold.values[0]),
        ...       bool(value.values[0]))
        7 10 >= 0.7 True
        """
        return self._run(ctx, tracing=True)

    def _run(self, ctx: EvalContext, *, tracing: bool) -> tuple[Value, Trace]:
        env = _Env(ctx, tracing)
        with np.errstate(all="ignore"):
            _prefetch(env, self._prefetch)
            return self._finish(env)

    def _finish(self, env: _Env) -> tuple[Value, Trace]:
        """Evaluate the tree in ``env`` (prefetched) and shape the result."""
        env.local, env.atoms, env.traced = {}, [], set()
        res = self._fn(env)
        if res.empty is not None and self.type.kind != "bool":
            res = _Res(res.values, _and_known(res.known, np.logical_not(res.empty)))
        value = _to_value(res, env.ctx.size(self.level), self.type.kind == "bool")
        values = value.values
        if self.type.kind != "bool":
            target = np.float64 if self.type.kind == "float" else np.int64
            values = values.astype(target, copy=False)
        known = value.known
        if known is not None and bool(np.all(known)):
            known = None  # so that None always means "everything is known"
        return Value(values, known), Trace(tuple(env.atoms))


def evaluate_many(
    exprs: typing.Sequence[CompiledExpr], ctx: EvalContext, *, trace: bool = False
) -> list[tuple[Value, Trace]]:
    """Evaluate several compiled expressions together, sharing the work they have in common.

    Each result is exactly what ``expr.evaluate_with_trace(ctx)`` would give (an empty
    :class:`Trace` unless ``trace``), but columns are read once, parts without
    aggregates that appear in several expressions (``members.age >= 15``) are computed
    once, and the ``count``/``share``/``all``/``any`` of all expressions over one
    collection are counted in one packed kernel pass. The rules engine evaluates a
    level's criteria this way, keeping one pass/fail result per criterion.

    Parameters
    ----------
    exprs : sequence of CompiledExpr
        Expressions, at any levels, with any ``on_empty`` policies.
    ctx : EvalContext
        Where the columns and member groups come from.
    trace : bool, default False
        Also keep the numbers behind each aggregate part.

    Returns
    -------
    list of (Value, Trace)
        One per expression, in order.

    Examples
    --------
    >>> import numpy as np
    >>> from learnsoc.aggregate.groups import Groups
    >>> from learnsoc.rules.types import BOOL, INT, Scope
    >>> person = Scope("person", {"age": INT, "ok": BOOL})
    >>> household = Scope("household", {}, {"members": person})
    >>> criteria = [
    ...     compile_condition("share(members.ok, where=members.age >= 15) >= 0.5", household),
    ...     compile_condition("count(members, where=members.age >= 15) >= 2", household),
    ... ]
    >>> ctx = ColumnsContext({"person": {"age": np.array([40, 38, 9]),
    ...                                  "ok": np.array([True, False, True])}},
    ...     groups={("household", "members"): Groups.from_codes([0, 0, 1], 2)},
    ...     sizes={"household": 2})
    >>> [value.values.tolist() for value, _ in evaluate_many(criteria, ctx)]
    [[True, False], [True, False]]
    """
    return list(iter_many(exprs, ctx, trace=trace))


_K = typing.TypeVar("_K")


def read_later(reads: typing.Sequence[typing.AbstractSet[_K]]) -> list[frozenset[_K]]:
    """Return, for each step ``j`` of a sequence and one past the end, what steps ``j`` on read.

    ``read_later(reads)[j + 1]`` is what must stay at hand once step ``j`` is done.

    Examples
    --------
    >>> [sorted(r) for r in read_later([{"a"}, {"b"}, {"a"}])]
    [['a', 'b'], ['a', 'b'], ['a'], []]
    """
    later: list[frozenset[_K]] = [frozenset()] * (len(reads) + 1)
    for j in range(len(reads) - 1, -1, -1):
        later[j] = later[j + 1] | reads[j]
    return later


def iter_many(
    exprs: typing.Sequence[CompiledExpr], ctx: EvalContext, *, trace: bool = False
) -> Iterator[tuple[Value, Trace]]:
    """Evaluate expressions as :func:`evaluate_many` does, one result at a time.

    A caller that uses each result and drops it (the rules engine adding a criterion to
    a title's tally) holds one result at a time instead of all; the columns and parts
    cached for sharing are dropped as soon as no later expression reads them.

    Yields
    ------
    (Value, Trace)
        One per expression, in order.

    Examples
    --------
    >>> from learnsoc.rules.types import BOOL, Scope
    >>> person = Scope("person", {"a": BOOL, "b": BOOL})
    >>> exprs = [compile_condition(t, person) for t in ("a and b", "b")]
    >>> ctx = ColumnsContext({"person": {"a": np.array([True, False]),
    ...                                  "b": np.array([True, True])}})
    >>> [value.values.tolist() for value, _ in iter_many(exprs, ctx)]
    [[True, False], [True, True]]
    """
    env = _Env(ctx, trace)
    plans: dict[tuple[str, str], list[tuple[Aggregate, _InputsFn]]] = {}
    for expr in exprs:
        for key, items in expr._prefetch.items():
            plan = plans.setdefault(key, [])
            plan.extend(item for item in items if all(item[0] != p for p, _ in plan))
    # later[j]: the names expressions j, j+1 ... read (any level: a safe superset).
    later = read_later([e.names | {name for _, name in e.member_names} for e in exprs])
    with np.errstate(all="ignore"):
        _prefetch(env, plans)
    for j, expr in enumerate(exprs):
        with np.errstate(all="ignore"):
            result = expr._finish(env)
        wanted = later[j + 1]
        for key in [k for k in env.columns if k[1] not in wanted]:
            del env.columns[key]
        for part in [k for k in env.shared if not names_used(k[1]) <= wanted]:
            del env.shared[part]
        yield result


def _check_on_empty(
    on_empty: str, file: str | None, line: int | None, column: int | None
) -> OnEmpty:
    if on_empty not in ON_EMPTY:
        msg = Message(
            N_("on_empty must be one of 'pass', 'fail', 'unknown', not {on_empty!r}"),
            on_empty=on_empty,
        )
        raise RulebookError(str(msg), file=file, line=line, column=column).translatable(msg)
    return on_empty  # type: ignore[return-value]


def compile_typed(
    typed: TypedExpr, *, on_empty: str = "fail", source: str | None = None
) -> CompiledExpr:
    """Compile an already type-checked expression.

    Parameters
    ----------
    typed : TypedExpr
        From :func:`learnsoc.rules.typecheck.typecheck`.
    on_empty : {"pass", "fail", "unknown"}, default "fail"
        What the true/false part around an aggregate over an empty group becomes.
    source : str, optional
        The original text (defaults to the expression written back).

    Returns
    -------
    CompiledExpr

    Examples
    --------
    >>> from learnsoc.rules.language import parse_condition
    >>> from learnsoc.rules.typecheck import typecheck
    >>> from learnsoc.rules.types import INT, Scope
    >>> typed = typecheck(parse_condition("age * 2"), Scope("person", {"age": INT}))
    >>> compile_typed(typed).type.kind
    'int'
    """
    policy = _check_on_empty(on_empty, None, None, None)
    level = typed.scope.level
    compiler = _Compiler(typed, level, policy)
    fn = compiler.compile(typed.expr, level)
    return CompiledExpr(
        typed.expr,
        typed.type,
        level,
        policy,
        source if source is not None else to_source(typed.expr),
        fn=fn,
        prefetch=compiler.prefetch,
    )


def compile_condition(
    text: str,
    scope: Scope,
    *,
    on_empty: str = "fail",
    file: str | None = None,
    line: int | None = None,
    column: int | None = None,
) -> CompiledExpr:
    """Parse, type-check and compile a criterion (a true/false condition).

    Parameters
    ----------
    text : str
        The condition.
    scope : Scope
        What the level being evaluated can name.
    on_empty : {"pass", "fail", "unknown"}, default "fail"
        What the true/false part around ``share``/``all``/``any``/``mean``/``min``/``max``
        over a group with no eligible member becomes. ``"fail"`` is the default because
        a title should not be granted on the strength of a condition about nobody; a
        rulebook that means vacuous truth ("all school-age children attend school", for
        a family with none) says ``on_empty = "pass"`` for that criterion.
    file : str, optional
        The rule file, for errors.
    line, column : int, optional
        Where the condition starts in the file (1-based).

    Returns
    -------
    CompiledExpr

    Raises
    ------
    RulebookError
        If the text is outside the grammar, names something unknown, mixes types, or
        is not true/false.

    Examples
    --------
    >>> import numpy as np
    >>> from learnsoc.aggregate.groups import Groups
    >>> from learnsoc.rules.types import BOOL, INT, Scope
    >>> person = Scope("person", {"age": INT, "in_school": BOOL})
    >>> household = Scope("household", {}, {"members": person})
    >>> text = "all(members.in_school, where=members.age.between(6, 17))"
    >>> ctx = ColumnsContext(
    ...     {"person": {"age": np.array([40, 10, 35]), "in_school": np.array([0, 1, 0])}},
    ...     groups={("household", "members"): Groups.from_codes(np.array([0, 0, 1]), 2)},
    ...     sizes={"household": 2})
    >>> print(compile_condition(text, household).evaluate(ctx).values)
    [ True False]
    >>> print(compile_condition(text, household, on_empty="pass").evaluate(ctx).values)
    [ True  True]
    """
    policy = _check_on_empty(on_empty, file, line, column)
    expr = parse_condition(text, file=file, line=line, column=column)
    typed = check_condition(expr, scope, file=file)
    return compile_typed(typed, on_empty=policy, source=text)


def compile_expression(
    text: str,
    scope: Scope,
    *,
    on_empty: str = "fail",
    file: str | None = None,
    line: int | None = None,
    column: int | None = None,
) -> CompiledExpr:
    """Parse, type-check and compile an expression of any type (a derived variable).

    Like :func:`compile_condition` but the result may be a number. A numeric result
    computed from an aggregate over an empty group (a mean of nobody) is unknown.

    Parameters
    ----------
    text : str
        The expression.
    scope : Scope
        What the level being evaluated can name.
    on_empty : {"pass", "fail", "unknown"}, default "fail"
        As for :func:`compile_condition`, for the true/false parts inside.
    file : str, optional
        The rule file, for errors.
    line, column : int, optional
        Where the expression starts in the file (1-based).

    Returns
    -------
    CompiledExpr

    Examples
    --------
    >>> import numpy as np
    >>> from learnsoc.rules.types import INT, Scope
    >>> points = compile_expression("a + 2 * b", Scope("unit", {"a": INT, "b": INT}))
    >>> print(points.evaluate(ColumnsContext({"unit": {"a": np.array([1, 2]),
    ...                                                "b": np.array([10, 20])}})).values)
    [21 42]
    """
    policy = _check_on_empty(on_empty, file, line, column)
    expr = parse_condition(text, file=file, line=line, column=column)
    typed = typecheck(expr, scope, file=file)
    return compile_typed(typed, on_empty=policy, source=text)
