"""Slow, obviously correct pure-Python versions of the aggregation kernels.

Each function loops over members in order with Python numbers, following the
missing-value rule of ``learnsoc.aggregate.kernels`` word for word. The expected
dtypes come from one function, :func:`result_dtype`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

Mask = Sequence[bool] | None

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def result_dtype(kernel: str, values_dtype: np.dtype[Any]) -> np.dtype[Any]:
    """The dtype each kernel returns for values of ``values_dtype``."""
    if kernel in ("count", "counts"):
        return np.dtype(np.int64)
    if kernel in ("any", "all", "count_at_least"):
        return np.dtype(np.bool_)
    if kernel in ("sum", "mean_total"):
        return np.dtype(np.float64) if values_dtype.kind == "f" else np.dtype(np.int64)
    if kernel in ("min", "max"):
        return values_dtype
    raise KeyError(kernel)


def wrap_int64(value: int) -> int:
    """Two's-complement wrap, as int64 arithmetic does."""
    return (value - INT64_MIN) % 2**64 + INT64_MIN


def _listed(array: NDArray[Any] | None) -> list[Any] | None:
    return None if array is None else array.tolist()


def _counts_member(i: int, where: Mask, known: Mask) -> bool:
    """Eligible and with a known value."""
    return (where is None or bool(where[i])) and (known is None or bool(known[i]))


def _missing_member(i: int, where: Mask, known: Mask) -> bool:
    """Eligible with a missing value."""
    return (where is None or bool(where[i])) and known is not None and not known[i]


def count(codes: Sequence[int], n_groups: int, where: NDArray[Any] | None = None) -> list[int]:
    w = _listed(where)
    out = [0] * n_groups
    for i, g in enumerate(codes):
        if w is None or w[i]:
            out[g] += 1
    return out


def counts(codes: Sequence[int], n_groups: int, masks: Sequence[NDArray[Any]]) -> list[list[int]]:
    return [count(codes, n_groups, m) for m in masks]


def share(
    codes: Sequence[int],
    n_groups: int,
    mask: NDArray[Any],
    where: NDArray[Any] | None = None,
    known: NDArray[Any] | None = None,
) -> tuple[list[int], list[int], list[int]]:
    m, w, k = mask.tolist(), _listed(where), _listed(known)
    num, den, missing = [0] * n_groups, [0] * n_groups, [0] * n_groups
    for i, g in enumerate(codes):
        if _counts_member(i, w, k):
            den[g] += 1
            if m[i]:
                num[g] += 1
        elif _missing_member(i, w, k):
            missing[g] += 1
    return num, den, missing


def status(denominator: Sequence[int], missing: Sequence[int]) -> list[int]:
    """0 OK, 1 EMPTY, 2 MISSING."""
    return [0 if d > 0 else (2 if m > 0 else 1) for d, m in zip(denominator, missing, strict=True)]


def any_(
    codes: Sequence[int], n_groups: int, mask: NDArray[Any], where: Any = None, known: Any = None
) -> list[bool]:
    m, w, k = mask.tolist(), _listed(where), _listed(known)
    out = [False] * n_groups
    for i, g in enumerate(codes):
        if _counts_member(i, w, k) and m[i]:
            out[g] = True
    return out


def all_(
    codes: Sequence[int], n_groups: int, mask: NDArray[Any], where: Any = None, known: Any = None
) -> list[bool]:
    m, w, k = mask.tolist(), _listed(where), _listed(known)
    out = [True] * n_groups
    for i, g in enumerate(codes):
        if _counts_member(i, w, k) and not m[i]:
            out[g] = False
    return out


def count_at_least(
    codes: Sequence[int],
    n_groups: int,
    mask: NDArray[Any],
    k: int,
    where: Any = None,
    known: Any = None,
) -> list[bool]:
    num, _, _ = share(codes, n_groups, mask, where, known)
    return [n >= k for n in num]


def sum_(
    codes: Sequence[int], n_groups: int, values: NDArray[Any], where: Any = None, known: Any = None
) -> list[Any]:
    v, w, k = values.tolist(), _listed(where), _listed(known)
    is_float = values.dtype.kind == "f"
    out: list[Any] = [0.0 if is_float else 0] * n_groups
    for i, g in enumerate(codes):
        if _counts_member(i, w, k):
            out[g] += float(v[i]) if is_float else int(v[i])
    return out if is_float else [wrap_int64(x) for x in out]


def identity(values_dtype: np.dtype[Any], kind: str) -> Any:
    if values_dtype == np.bool_:
        return kind == "min"
    if values_dtype.kind == "f":
        return math.inf if kind == "min" else -math.inf
    info = np.iinfo(values_dtype)
    return int(info.max) if kind == "min" else int(info.min)


def extreme(
    codes: Sequence[int],
    n_groups: int,
    values: NDArray[Any],
    kind: str,
    where: Any = None,
    known: Any = None,
    fill: Any = None,
) -> list[Any]:
    """min or max; NaN wins over everything (numpy's minimum/maximum propagate it)."""
    v, w, k = values.tolist(), _listed(where), _listed(known)
    best: list[Any] = [None] * n_groups
    for i, g in enumerate(codes):
        if not _counts_member(i, w, k):
            continue
        x = v[i]
        if best[g] is None:
            best[g] = x
        elif isinstance(best[g], float) and math.isnan(best[g]):
            continue
        elif isinstance(x, float) and math.isnan(x):
            best[g] = x
        else:
            best[g] = min(best[g], x) if kind == "min" else max(best[g], x)
    default = identity(values.dtype, kind) if fill is None else fill
    return [default if b is None else b for b in best]


def mean(
    codes: Sequence[int], n_groups: int, values: NDArray[Any], where: Any = None, known: Any = None
) -> tuple[list[Any], list[int], list[int]]:
    total = sum_(codes, n_groups, values, where, known)
    _, count_, missing = share(codes, n_groups, np.ones(len(codes), dtype=bool), where, known)
    return total, count_, missing
