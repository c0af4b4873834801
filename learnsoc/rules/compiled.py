"""A compiled rule expression (:class:`CompiledExpr`), and evaluating several together.

:func:`~learnsoc.rules.compiler.compile_condition` gives a :class:`CompiledExpr`;
:func:`evaluate_many` and :func:`iter_many` run several of them sharing the columns,
the parts and the packed member counts they have in common.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Iterator

import attrs
import numpy as np

from learnsoc.rules._aggregates import InputsFn, Plans, prefetch_counts
from learnsoc.rules._results import Env, Fn, OnEmpty, Res, and_known, to_value
from learnsoc.rules.evalcontext import EvalContext, Mask
from learnsoc.rules.ir import (
    Aggregate,
    Expr,
    collections_used,
    member_names_used,
    names_used,
)
from learnsoc.rules.tracing import Trace
from learnsoc.rules.types import Value, ValueType

__all__ = ["CompiledExpr", "evaluate_many", "iter_many", "read_later"]


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
    >>> from learnsoc.rules.compiler import ColumnsContext, compile_condition
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
    _fn: Fn = attrs.field(repr=False, alias="fn")
    _prefetch: Plans = attrs.field(factory=dict, repr=False, alias="prefetch")

    # A walk of the tree each; asked for on every evaluation (of every partition of a
    # dataset), so walked once. The plan cache keeps compiled expressions for a process.
    @functools.cached_property
    def names(self) -> frozenset[str]:
        """Names of the level's own columns, variables and titles it reads."""
        return names_used(self.ir)

    @functools.cached_property
    def member_names(self) -> frozenset[tuple[str, str]]:
        """``(collection, name)`` pairs of member values it aggregates."""
        return member_names_used(self.ir)

    @functools.cached_property
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
        >>> from learnsoc.rules.compiler import ColumnsContext, compile_condition
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
        >>> from learnsoc.rules.compiler import ColumnsContext, compile_condition
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
        env = Env(ctx, tracing)
        with np.errstate(all="ignore"):
            prefetch_counts(env, self._prefetch)
            return self._finish(env)

    def _finish(self, env: Env) -> tuple[Value, Trace]:
        """Evaluate the tree in ``env`` (prefetched) and shape the result."""
        env.local, env.atoms, env.traced = {}, [], set()
        res = self._fn(env)
        if res.empty is not None and self.type.kind != "bool":
            res = Res(res.values, and_known(res.known, np.logical_not(res.empty)))
        value = to_value(res, env.ctx.size(self.level), self.type.kind == "bool")
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
    >>> from learnsoc.rules.compiler import ColumnsContext, compile_condition
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
    exprs: typing.Sequence[CompiledExpr],
    ctx: EvalContext,
    *,
    trace: bool = False,
    skipped: dict[str, dict[str, Mask]] | None = None,
) -> Iterator[tuple[Value, Trace]]:
    """Evaluate expressions as :func:`evaluate_many` does, one result at a time.

    A caller that uses each result and drops it (the rules engine adding a criterion to
    a title's tally) holds one result at a time instead of all; the columns and parts
    cached for sharing are dropped as soon as no later expression reads them.

    ``skipped``, if given, is filled as the aggregates are computed: per level and
    collection, a mask of the entities for which at least one aggregate over it left out
    an eligible member whose data were missing (none there when no aggregate did). The
    rules engine counts the verdicts decided on partial data with it, traced or not.

    Yields
    ------
    (Value, Trace)
        One per expression, in order.

    Examples
    --------
    >>> from learnsoc.rules.compiler import ColumnsContext, compile_condition
    >>> from learnsoc.rules.types import BOOL, Scope
    >>> person = Scope("person", {"a": BOOL, "b": BOOL})
    >>> exprs = [compile_condition(t, person) for t in ("a and b", "b")]
    >>> ctx = ColumnsContext({"person": {"a": np.array([True, False]),
    ...                                  "b": np.array([True, True])}})
    >>> [value.values.tolist() for value, _ in iter_many(exprs, ctx)]
    [[True, False], [True, True]]
    """
    env = Env(ctx, trace, skipped)
    plans: dict[tuple[str, str], list[tuple[Aggregate, InputsFn]]] = {}
    for expr in exprs:
        for key, items in expr._prefetch.items():
            plan = plans.setdefault(key, [])
            plan.extend(item for item in items if all(item[0] != p for p, _ in plan))
    # later[j]: the names expressions j, j+1 ... read (any level: a safe superset).
    later = read_later([e.names | {name for _, name in e.member_names} for e in exprs])
    with np.errstate(all="ignore"):
        prefetch_counts(env, plans)
    for j, expr in enumerate(exprs):
        with np.errstate(all="ignore"):
            result = expr._finish(env)
        wanted = later[j + 1]
        for key in [k for k in env.columns if k[1] not in wanted]:
            del env.columns[key]
        for part in [k for k in env.shared if not names_used(k[1]) <= wanted]:
            del env.shared[part]
        yield result
