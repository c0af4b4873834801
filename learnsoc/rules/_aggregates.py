"""The rule language's aggregates over member groups, on :mod:`learnsoc.aggregate`'s kernels.

``share``, ``all``, ``any`` and ``count`` are decided from counts of 0/1 masks
(:func:`counting_masks`, :func:`_from_counts`), and the counting aggregates of several
expressions over one collection are counted together in one packed kernel pass
(:func:`prefetch_counts`); ``sum``, ``mean``, ``min`` and ``max`` use the value kernels
(:func:`_numeric`). Each records its numbers for the trace.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

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
from learnsoc.errors import SchemaError
from learnsoc.rules._elementwise import as_float64, as_int64
from learnsoc.rules._results import (
    STATUS_EMPTY,
    STATUS_MISSING,
    Env,
    Fn,
    Res,
    and_known,
)
from learnsoc.rules.evalcontext import Mask
from learnsoc.rules.ir import (
    Aggregate,
    to_source,
)
from learnsoc.rules.tracing import AggregateStats
from learnsoc.rules.types import Value, ValueType


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


InputsFn = Callable[[Env], _Inputs]


def inputs_fn(
    node: Aggregate, level: str, member_level: str, inner: Fn | None, where: Fn | None
) -> InputsFn:
    def run(env: Env) -> _Inputs:
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
                known_arg = and_known(known_arg, _broadcast(v.known, m))
        return _Inputs(groups, values, where_arg, known_arg)

    return run


def counting_masks(node: Aggregate, inputs: _Inputs) -> dict[str, Mask]:
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
    env: Env,
    level: str,
    node: Aggregate,
    groups: Groups,
    counts: Mapping[str, NDArray[np.int64]],
) -> Res:
    """Finish share/all/any/count from the counts of :func:`counting_masks`.

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
    res = Res(values, known, empty, rate)
    if missing is not None:
        env.note_skipped(level, node.collection, missing)
    if env.tracing:
        shown = known if empty is None else and_known(known, np.logical_not(empty))
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


Plans = Mapping[tuple[str, str], list[tuple[Aggregate, InputsFn]]]


def prefetch_counts(env: Env, plans: Plans) -> None:
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
            given = _counted(env, level, node)
            if given is not None:
                env.aggregates[(level, node)] = given
                continue
            inputs = inputs_fn(env)
            slots: dict[str, int] = {}
            for key, mask in counting_masks(node, inputs).items():
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


def _counted(env: Env, level: str, node: Aggregate) -> Res | None:
    """Finish an aggregate from counts the context was given, if it was given them.

    A context with ``counted`` (:mod:`learnsoc.rules.split`: the counts of a
    partitioned dataset, merged) holds the counting masks' sums per group under
    ``(level, aggregate text)``; the members themselves are not in the context.
    """
    counted = getattr(env.ctx, "counted", None)
    if not counted:
        return None
    counts = counted.get((level, to_source(node)))
    if counts is None:
        return None
    return _from_counts(env, level, node, env.ctx.groups(level, node.collection), counts)


def _count_dtype(largest: int) -> type[np.signedinteger[Any]]:
    """Return the narrowest signed integer type that holds counts up to ``largest``."""
    for kind in (np.int16, np.int32):
        if largest <= np.iinfo(kind).max:
            return kind
    return np.int64


def aggregate_fn(
    node: Aggregate,
    level: str,
    inputs_fn: InputsFn,
    inner_type: ValueType | None,
    result_type: ValueType,
) -> Fn:
    key = (level, node)

    def run(env: Env) -> Res:
        hit = env.aggregates.get(key)
        if hit is None:
            hit = _counted(env, level, node)
        if hit is not None:
            env.aggregates[key] = hit
            return hit
        inputs = inputs_fn(env)
        if node.func in ("share", "all", "any", "count"):
            masks = counting_masks(node, inputs)
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
    env: Env,
    level: str,
    node: Aggregate,
    inputs: _Inputs,
    inner_type: ValueType | None,
    result_type: ValueType,
) -> Res:
    """sum, mean, min and max: a value kernel plus the counts that give the status."""
    groups, values, where, known = inputs.groups, inputs.values, inputs.where, inputs.known
    func = node.func
    out: Any
    if func in ("sum", "mean"):
        kind = inner_type.kind if inner_type is not None else "int"
        vals = np.asarray(values, dtype=np.bool_) if kind == "bool" else values
        if kind == "int":
            vals = as_int64(vals)
        elif kind == "float":
            vals = as_float64(vals)
        mean = group_mean(groups, vals, where=where, known=known)
        count, missing = mean.count, mean.missing
        out = mean.value() if func == "mean" else mean.total
    else:
        kernel = group_min if func == "min" else group_max
        vals = as_float64(values) if result_type.kind == "float" else as_int64(values)
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
    if known is not None:
        env.note_skipped(level, node.collection, missing)
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
        shown = known_out if empty is None else and_known(known_out, np.logical_not(empty))
        env.stats[(level, node)] = AggregateStats(
            node, Value(out, shown), count, None, missing, status
        )
    return Res(out, known_out, empty)


def _status(count: NDArray[np.int64], missing: NDArray[np.int64] | None) -> NDArray[np.uint8]:
    # OK = 0, EMPTY = 1, MISSING = 2: (count == 0) * (1 + (missing > 0)).
    none = count == 0
    status: NDArray[np.uint8] = none.astype(np.uint8)
    if missing is not None:
        status += np.logical_and(none, missing > 0)
    return status
