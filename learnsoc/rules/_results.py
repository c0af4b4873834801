"""Intermediate columns of a compiled expression and the state of one evaluation.

A compiled node returns a :class:`Res` (values, known mask, where an aggregate's group
was empty, a share's two counts); :class:`Env` holds the context, the caches shared by
expressions evaluated together and the trace being built. Kleene's ``and``/``or`` on
results, the empty-group policy and the final :class:`~learnsoc.rules.types.Value` are
here too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from typing import Literal as TypingLiteral

import numpy as np
from numpy.typing import NDArray

from learnsoc.aggregate.rate import RateStatus
from learnsoc.rules.evalcontext import EvalContext, Mask
from learnsoc.rules.ir import (
    Expr,
)
from learnsoc.rules.tracing import AggregateStats, AtomTrace
from learnsoc.rules.types import Value

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

# ------------------------------------------------------------------------------- results


class Res:
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


class Env:
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
        "skipped",
        "stats",
        "traced",
        "tracing",
    )

    def __init__(
        self, ctx: EvalContext, tracing: bool, skipped: dict[str, dict[str, Mask]] | None = None
    ) -> None:
        self.ctx = ctx
        self.tracing = tracing
        # Per level and collection: the entities an aggregate over it decided without some
        # eligible member whose data were missing (filled traced or not; see note_skipped).
        self.skipped: dict[str, dict[str, Mask]] = {} if skipped is None else skipped
        self.columns: dict[tuple[str, str], Res] = {}
        self.shared: dict[tuple[str, Expr], Res] = {}
        self.aggregates: dict[tuple[str, Expr], Res] = {}
        self.stats: dict[tuple[str, Expr], AggregateStats] = {}
        self.local: dict[Expr, Res] = {}
        self.atoms: list[AtomTrace] = []
        self.traced: set[Expr] = set()

    def note_skipped(
        self, level: str, collection: str, missing: NDArray[np.signedinteger[Any]]
    ) -> None:
        """Record the entities of a level whose aggregate left out members with missing data.

        ``missing`` counts, per group of ``collection``, the eligible members left out for
        want of data (the kernels' ``where & ~known``). One pass over the groups, not the
        members: the count of verdicts decided on partial data costs next to nothing.
        """
        lost = np.greater(missing, 0)
        at = self.skipped.setdefault(level, {})
        before = at.get(collection)
        at[collection] = lost if before is None else np.logical_or(before, lost)


Fn = Callable[[Env], Res]


def and_known(a: Mask | None, b: Mask | None) -> Mask | None:
    if a is None:
        return b
    if b is None:
        return a
    return np.logical_and(a, b)


def or_mask(a: Mask | None, b: Mask | None) -> Mask | None:
    if a is None:
        return b
    if b is None:
        return a
    return np.logical_or(a, b)


def kleene_and(a: Res, b: Res) -> Res:
    values = np.logical_and(a.values, b.values)
    ak, bk = a.known, b.known
    # Known when both are, or when either side is known to be false.
    if ak is None:
        if bk is None:
            return Res(values)
        known = np.logical_or(bk, np.logical_not(a.values))
    elif bk is None:
        known = np.logical_or(ak, np.logical_not(b.values))
    else:
        known = np.logical_and(ak, bk)
        known |= np.logical_and(ak, np.logical_not(a.values))
        known |= np.logical_and(bk, np.logical_not(b.values))
    return Res(values, known)


def kleene_or(a: Res, b: Res) -> Res:
    values = np.logical_or(a.values, b.values)
    ak, bk = a.known, b.known
    # Known when both are, or when either side is known to be true.
    if ak is None:
        if bk is None:
            return Res(values)
        known = np.logical_or(bk, a.values)
    elif bk is None:
        known = np.logical_or(ak, b.values)
    else:
        known = np.logical_and(ak, bk)
        known |= np.logical_and(ak, a.values)
        known |= np.logical_and(bk, b.values)
    return Res(values, known)


def apply_empty(res: Res, empty: Mask, on_empty: OnEmpty) -> Res:
    if on_empty == "unknown":
        not_empty = np.logical_not(empty)
        return Res(res.values, not_empty if res.known is None else res.known & not_empty)
    # For booleans, a > b is "a and not b": values where not empty, False where empty.
    if on_empty == "pass":
        values = np.logical_or(res.values, empty)
    else:
        values = np.greater(res.values, empty)
    # The policy decides empty groups, so they are known even if an operand was not.
    return Res(values, None if res.known is None else np.logical_or(res.known, empty))


def to_value(res: Res, n: int, is_bool: bool, view: bool = False) -> Value:
    values = np.asarray(res.values)
    known = res.known
    if res.empty is not None:
        known = and_known(known, np.logical_not(res.empty))
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
