"""Rates and means that carry their counts, so they merge by adding counts.

A :class:`Rate` is a numerator, a denominator and the number of eligible members whose
value was missing, per group. It is never reduced to a bare float: merging two rates
adds their counts (``Rate.__add__``), and the float is taken only at the end
(:meth:`Rate.value`). :class:`Mean` does the same for averages (total and count).

Each group has a status (:class:`RateStatus`):

* ``OK``: the denominator is positive;
* ``EMPTY``: no eligible member at all, so the rate is undefined ("a rate over an empty
  group is empty", never 0 and never silently NaN);
* ``MISSING``: eligible members exist but every one of them has a missing value.

Comparisons with a threshold (:meth:`Rate.compare`, :meth:`Rate.at_least` ...) are
exact: the threshold is turned into a fraction ``p/q`` and ``numerator/denominator >= p/q``
is tested as ``numerator * q >= p * denominator`` in integers, so 7 of 10 is at least
0.7 and 69 of 100 is not. A float threshold is read as the shortest decimal that
round-trips to it (its ``repr``): ``0.7`` means 7/10, not the binary double nearest
to it. Every comparison is ``False`` for a group whose status is not ``OK``; the
caller decides what an empty group means (see ``status``).

Examples
--------
>>> from learnsoc.aggregate import Rate
>>> r = Rate(numerator=[7, 69, 0, 0], denominator=[10, 100, 0, 0], missing=[0, 0, 0, 3])
>>> print(r.at_least(0.7))
[ True False False False]
>>> print(r.value())
[0.7  0.69  nan  nan]
>>> [str(s) for s in r.statuses()]
['OK', 'OK', 'EMPTY', 'MISSING']
>>> print((r + r).numerator)
[ 14 138   0   0]
"""

from __future__ import annotations

import enum
import math
import operator
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal, TypeAlias

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from learnsoc._arrays import readonly as _freeze
from learnsoc._messages import N_, Message
from learnsoc.aggregate.groups import AggregateError

__all__ = ["ComparisonOp", "Mean", "Rate", "RateStatus", "Threshold", "exact_fraction"]

Threshold: TypeAlias = int | float | Fraction | Decimal | np.integer[Any] | np.floating[Any]
"""A number a rate is compared with: int, float, Fraction, Decimal or a numpy number."""

ComparisonOp: TypeAlias = Literal[">=", ">", "<=", "<", "==", "!="]
"""The comparison operators rules use on rates."""

_OPERATORS: dict[str, Callable[[Any, Any], Any]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}

_INT64_LIMIT = 2**63

_TOO_LARGE = N_("{name} holds {value}, too large for int64")
#: By the number of count arrays compared (the kernels and ``+`` compare 2 or 3).
_LENGTHS_DIFFER = {
    2: N_("every count array needs one value per group, but {a} has {n_a}, {b} has {n_b}"),
    3: N_(
        "every count array needs one value per group, "
        "but {a} has {n_a}, {b} has {n_b}, {c} has {n_c}"
    ),
}


def _arrays_equal(left: NDArray[Any], right: NDArray[Any]) -> bool:
    return bool(np.array_equal(left, right, equal_nan=True))


# Rates and means compare by value (their counts), so tests and users can write a == b.
_ARRAY_EQ = attrs.cmp_using(eq=_arrays_equal)


class RateStatus(enum.IntEnum):
    """Whether a rate or mean of a group is defined, and if not, why.

    Examples
    --------
    >>> RateStatus(2)
    <RateStatus.MISSING: 2>
    >>> str(RateStatus.EMPTY)
    'EMPTY'
    """

    OK = 0
    """The denominator (count) is positive."""
    EMPTY = 1
    """No eligible member at all: the rate over an empty group is empty."""
    MISSING = 2
    """Eligible members exist, but every one has a missing value."""

    def __str__(self) -> str:
        return self.name


def _status(denominator: NDArray[np.int64], missing: NDArray[np.int64]) -> NDArray[np.uint8]:
    status = np.full(denominator.shape, RateStatus.EMPTY, dtype=np.uint8)
    status[missing > 0] = RateStatus.MISSING
    status[denominator > 0] = RateStatus.OK
    return status


def _as_counts(value: ArrayLike, name: str) -> NDArray[np.int64]:
    array = np.asarray(value)
    if array.ndim != 1:
        msg = Message(
            N_("{name} must be a one-dimensional array of counts, got {ndim} dimensions"),
            name=name,
            ndim=array.ndim,
        )
        raise AggregateError(str(msg), argument=name).translatable(msg)
    if array.size and array.dtype.kind not in "biu":
        msg = Message(
            N_("{name} must hold integer counts, got dtype {dtype}"), name=name, dtype=array.dtype
        )
        raise AggregateError(str(msg), argument=name).translatable(msg)
    if array.size and array.dtype.kind == "u" and int(array.max()) >= _INT64_LIMIT:
        msg = Message(_TOO_LARGE, name=name, value=int(array.max()))
        raise AggregateError(str(msg), argument=name).translatable(msg)
    counts = array.astype(np.int64)  # always a copy we own, so freezing it is safe
    if counts.size and int(counts.min()) < 0:
        first = int(np.flatnonzero(counts < 0)[0])
        msg = Message(
            N_("{name} must be non-negative; {name}[{i}] is {value}"),
            name=name,
            i=first,
            value=int(counts[first]),
        )
        raise AggregateError(str(msg), argument=name).translatable(msg)
    return _freeze(counts)


def _numerator(value: ArrayLike) -> NDArray[np.int64]:
    return _as_counts(value, "numerator")


def _denominator(value: ArrayLike) -> NDArray[np.int64]:
    return _as_counts(value, "denominator")


def _missing(value: ArrayLike) -> NDArray[np.int64]:
    return _as_counts(value, "missing")


def _count(value: ArrayLike) -> NDArray[np.int64]:
    return _as_counts(value, "count")


def _total(value: ArrayLike) -> NDArray[np.int64] | NDArray[np.float64]:
    array = np.asarray(value)
    if array.ndim != 1:
        msg = Message(
            N_("{name} must be a one-dimensional array, got {ndim} dimensions"),
            name="total",
            ndim=array.ndim,
        )
        raise AggregateError(str(msg), argument="total").translatable(msg)
    if array.size == 0 or array.dtype.kind in "biu":
        if array.dtype.kind == "u" and array.size and int(array.max()) >= _INT64_LIMIT:
            msg = Message(_TOO_LARGE, name="total", value=int(array.max()))
            raise AggregateError(str(msg), argument="total").translatable(msg)
        return _freeze(array.astype(np.int64))
    if array.dtype.kind == "f":
        return _freeze(array.astype(np.float64))
    msg = Message(N_("total must hold numbers, got dtype {dtype}"), dtype=array.dtype)
    raise AggregateError(str(msg), argument="total").translatable(msg)


def _check_same_length(**arrays: NDArray[Any]) -> None:
    lengths = {name: array.size for name, array in arrays.items()}
    if len(set(lengths.values())) > 1:
        # One template per number of arrays (2 or 3), so that "has" is translated too.
        values: dict[str, object] = {}
        for key, (name, n) in zip("abc", lengths.items(), strict=False):
            values[key], values[f"n_{key}"] = name, n
        msg = Message(_LENGTHS_DIFFER[len(lengths)], **values)
        raise AggregateError(str(msg), argument=next(iter(lengths))).translatable(msg)


def _subset(array: NDArray[Any], index: Any) -> NDArray[Any]:
    # An integer index would give a 0-d array; keep a one-group array instead.
    return np.atleast_1d(array[index])


def exact_fraction(threshold: Threshold | object) -> Fraction:
    """Return the exact fraction a threshold stands for.

    Integers, fractions and decimals are taken exactly. A float is read as the
    shortest decimal that round-trips to it (``repr`` for a Python float, the
    same rule at its own precision for ``np.float32``), because rulebooks write
    decimals: ``0.9`` means 9/10, not the double closest to it (which is slightly
    above 9/10 and would make 9 of 10 fail).

    Parameters
    ----------
    threshold : int, float, Fraction, Decimal or numpy number
        The threshold to convert.

    Returns
    -------
    Fraction

    Raises
    ------
    AggregateError
        If the threshold is not a finite number (``bool``, NaN, infinity, text).

    Examples
    --------
    >>> exact_fraction(0.9), exact_fraction(1e-05), exact_fraction(3)
    (Fraction(9, 10), Fraction(1, 100000), Fraction(3, 1))
    >>> import numpy as np
    >>> exact_fraction(np.float32(0.7))
    Fraction(7, 10)
    """
    if isinstance(threshold, bool | np.bool_):
        msg = Message(N_("threshold must be a number, got the boolean {value!r}"), value=threshold)
        raise AggregateError(str(msg), argument="threshold").translatable(msg)
    if isinstance(threshold, Fraction):
        return threshold
    if isinstance(threshold, int | np.integer):
        return Fraction(int(threshold))
    if isinstance(threshold, float | np.floating):
        if not math.isfinite(float(threshold)):
            msg = Message(
                N_("threshold must be a finite number, got {value!r}"), value=float(threshold)
            )
            raise AggregateError(str(msg), argument="threshold").translatable(msg)
        return Fraction(np.format_float_positional(threshold, unique=True, trim="-"))
    if isinstance(threshold, Decimal):
        if not threshold.is_finite():
            msg = Message(
                N_("threshold must be a finite number, got Decimal({value!r})"),
                value=str(threshold),
            )
            raise AggregateError(str(msg), argument="threshold").translatable(msg)
        return Fraction(threshold)
    msg = Message(
        N_("threshold must be a number (int, float, Fraction or Decimal), got {type} {value!r}"),
        type=type(threshold).__name__,
        value=threshold,
    )
    raise AggregateError(str(msg), argument="threshold").translatable(msg)


def _scaled(counts: NDArray[np.int64], factor: int) -> NDArray[Any]:
    # counts * factor in int64 when it cannot overflow, else in Python integers (exact, slower).
    top = int(np.abs(counts).max()) if counts.size else 0
    if abs(factor) < _INT64_LIMIT and top * abs(factor) < _INT64_LIMIT:
        return counts * np.int64(factor)
    return counts.astype(object) * factor


def _compare_counts(
    numerator: NDArray[np.int64],
    denominator: NDArray[np.int64],
    op: str,
    threshold: Threshold,
) -> NDArray[np.bool_]:
    func = _OPERATORS.get(op)
    if func is None:
        allowed = ", ".join(repr(o) for o in _OPERATORS)
        msg = Message(N_("op must be one of {allowed}; got {op!r}"), allowed=allowed, op=op)
        raise AggregateError(str(msg), argument="op").translatable(msg)
    fraction = exact_fraction(threshold)
    left = _scaled(numerator, fraction.denominator)
    right = _scaled(denominator, fraction.numerator)
    if left.dtype != right.dtype:
        left, right = left.astype(object), right.astype(object)
    result = np.asarray(func(left, right), dtype=np.bool_)
    return result & (denominator > 0)


@attrs.frozen
class Rate:
    """A rate that carries its counts: numerator, denominator and missing, per group.

    The arrays are int64 and read-only; rates compare equal when their counts are
    equal. Build rates with the kernels
    (:func:`~learnsoc.aggregate.kernels.group_share`) or from counts; merge them with
    ``+``, which adds counts (never averages rates).

    Parameters
    ----------
    numerator : array_like of int
        Eligible members with a known value that pass the test.
    denominator : array_like of int
        Eligible members with a known value. ``numerator <= denominator``.
    missing : array_like of int, optional
        Eligible members whose value was missing; they are in neither the numerator
        nor the denominator. Zeros by default.

    Raises
    ------
    AggregateError
        If a count is negative or not an integer, the lengths differ, or a numerator
        exceeds its denominator.

    Examples
    --------
    >>> r = Rate(numerator=[1, 0], denominator=[2, 0])
    >>> print(r.value())
    [0.5 nan]
    >>> print(r.status)
    [0 1]
    >>> len(r)
    2
    """

    numerator: NDArray[np.int64] = attrs.field(converter=_numerator, eq=_ARRAY_EQ, hash=False)
    denominator: NDArray[np.int64] = attrs.field(converter=_denominator, eq=_ARRAY_EQ, hash=False)
    missing: NDArray[np.int64] = attrs.field(converter=_missing, eq=_ARRAY_EQ, hash=False)

    @missing.default
    def _no_missing(self) -> NDArray[np.int64]:
        return np.zeros(self.numerator.size, dtype=np.int64)

    def __attrs_post_init__(self) -> None:
        _check_same_length(
            numerator=self.numerator, denominator=self.denominator, missing=self.missing
        )
        over = self.numerator > self.denominator
        if over.any():
            first = int(np.flatnonzero(over)[0])
            msg = Message(
                N_("numerator must not exceed denominator; group {group} has {num} of {den}"),
                group=first,
                num=int(self.numerator[first]),
                den=int(self.denominator[first]),
            )
            raise AggregateError(str(msg), argument="numerator").translatable(msg)

    @classmethod
    def zeros(cls, n: int) -> Rate:
        """Return ``n`` empty rates (all counts 0), the identity of ``+``.

        Examples
        --------
        >>> print(Rate.zeros(3).status)
        [1 1 1]
        """
        zero = np.zeros(n, dtype=np.int64)
        return cls(numerator=zero, denominator=zero, missing=zero)

    @property
    def status(self) -> NDArray[np.uint8]:
        """The :class:`RateStatus` code of each group, as uint8.

        Examples
        --------
        >>> print(Rate([0, 1], [0, 1], missing=[2, 0]).status)
        [2 0]
        """
        return _status(self.denominator, self.missing)

    def statuses(self) -> list[RateStatus]:
        """Return the status of each group as :class:`RateStatus` members (for display).

        Examples
        --------
        >>> Rate([1], [1]).statuses()
        [<RateStatus.OK: 0>]
        """
        return [RateStatus(int(code)) for code in self.status]

    def value(self) -> NDArray[np.float64]:
        """Return numerator / denominator, NaN where the status is not ``OK``.

        NaN here only marks "no value"; use :attr:`status` to know whether the group
        was empty or had only missing values.

        Examples
        --------
        >>> print(Rate([3, 0], [4, 0]).value())
        [0.75  nan]
        """
        out = np.full(self.numerator.size, np.nan)
        np.divide(self.numerator, self.denominator, out=out, where=self.denominator > 0)
        return out

    def compare(self, op: ComparisonOp, threshold: Threshold) -> NDArray[np.bool_]:
        """Compare each rate with a threshold, exactly.

        Parameters
        ----------
        op : {'>=', '>', '<=', '<', '==', '!='}
            The comparison, rate on the left.
        threshold : int, float, Fraction, Decimal or numpy number
            Converted with :func:`exact_fraction` (``0.7`` means 7/10).

        Returns
        -------
        ndarray of bool
            ``numerator * q  op  p * denominator`` for ``threshold = p/q``, computed in
            int64 when it cannot overflow and in Python integers otherwise; ``False``
            wherever the status is not ``OK``.

        Raises
        ------
        AggregateError
            For an unknown operator or a threshold that is not a finite number.

        Examples
        --------
        >>> r = Rate([7, 69, 1], [10, 100, 3])
        >>> print(r.compare(">=", 0.7))
        [ True False False]
        >>> print(r.compare("==", 1 / 3))  # 0.3333333333333333 is not 1/3
        [False False False]
        >>> from fractions import Fraction
        >>> print(r.compare("==", Fraction(1, 3)))
        [False False  True]
        """
        return _compare_counts(self.numerator, self.denominator, op, threshold)

    def at_least(self, threshold: Threshold) -> NDArray[np.bool_]:
        """Return ``rate >= threshold`` exactly (``False`` where not ``OK``).

        Examples
        --------
        >>> print(Rate([7, 69], [10, 100]).at_least(0.7))
        [ True False]
        """
        return self.compare(">=", threshold)

    def greater_than(self, threshold: Threshold) -> NDArray[np.bool_]:
        """Return ``rate > threshold`` exactly (``False`` where not ``OK``).

        Examples
        --------
        >>> print(Rate([7, 8], [10, 10]).greater_than(0.7))
        [False  True]
        """
        return self.compare(">", threshold)

    def at_most(self, threshold: Threshold) -> NDArray[np.bool_]:
        """Return ``rate <= threshold`` exactly (``False`` where not ``OK``).

        Examples
        --------
        >>> print(Rate([9, 1], [10, 10]).at_most(0.9))
        [ True  True]
        """
        return self.compare("<=", threshold)

    def less_than(self, threshold: Threshold) -> NDArray[np.bool_]:
        """Return ``rate < threshold`` exactly (``False`` where not ``OK``).

        Examples
        --------
        >>> print(Rate([9, 1], [10, 10]).less_than(0.9))
        [False  True]
        """
        return self.compare("<", threshold)

    def __add__(self, other: object) -> Rate:
        if not isinstance(other, Rate):
            return NotImplemented
        _check_same_length(left=self.numerator, right=other.numerator)
        return Rate(
            numerator=self.numerator + other.numerator,
            denominator=self.denominator + other.denominator,
            missing=self.missing + other.missing,
        )

    def __getitem__(self, index: Any) -> Rate:
        return Rate(
            numerator=_subset(self.numerator, index),
            denominator=_subset(self.denominator, index),
            missing=_subset(self.missing, index),
        )

    def __len__(self) -> int:
        return int(self.numerator.size)


@attrs.frozen
class Mean:
    """An average that carries its total and count, per group.

    ``total`` is int64 for integer or boolean values (exact) and float64 for floats;
    ``count`` is the number of eligible members with a known value; ``missing`` the
    eligible members whose value was missing. Merge with ``+``.

    Parameters
    ----------
    total : array_like of int or float
        Sum of the known values of eligible members.
    count : array_like of int
        Number of values summed.
    missing : array_like of int, optional
        Eligible members whose value was missing. Zeros by default.

    Raises
    ------
    AggregateError
        If counts are negative or not integers, or the lengths differ.

    Examples
    --------
    >>> m = Mean(total=[10, 0], count=[4, 0], missing=[0, 1])
    >>> print(m.value())
    [2.5 nan]
    >>> print(m.status)
    [0 2]
    """

    total: NDArray[np.int64] | NDArray[np.float64] = attrs.field(
        converter=_total, eq=_ARRAY_EQ, hash=False
    )
    count: NDArray[np.int64] = attrs.field(converter=_count, eq=_ARRAY_EQ, hash=False)
    missing: NDArray[np.int64] = attrs.field(converter=_missing, eq=_ARRAY_EQ, hash=False)

    @missing.default
    def _no_missing(self) -> NDArray[np.int64]:
        return np.zeros(self.count.size, dtype=np.int64)

    def __attrs_post_init__(self) -> None:
        _check_same_length(total=self.total, count=self.count, missing=self.missing)

    @classmethod
    def zeros(cls, n: int, dtype: type[np.int64] | type[np.float64] = np.int64) -> Mean:
        """Return ``n`` empty means (total and counts 0), the identity of ``+``.

        Examples
        --------
        >>> Mean.zeros(2, np.float64).total.dtype
        dtype('float64')
        """
        zero = np.zeros(n, dtype=np.int64)
        return cls(total=np.zeros(n, dtype=dtype), count=zero, missing=zero)

    @property
    def status(self) -> NDArray[np.uint8]:
        """The :class:`RateStatus` code of each group (``OK`` when ``count > 0``)."""
        return _status(self.count, self.missing)

    def value(self) -> NDArray[np.float64]:
        """Return total / count, NaN where the count is 0.

        Examples
        --------
        >>> print(Mean([3, 5], [2, 0]).value())
        [1.5 nan]
        """
        out = np.full(self.count.size, np.nan)
        np.divide(self.total, self.count, out=out, where=self.count > 0)
        return out

    def __add__(self, other: object) -> Mean:
        if not isinstance(other, Mean):
            return NotImplemented
        _check_same_length(left=self.count, right=other.count)
        with np.errstate(invalid="ignore"):  # inf + -inf is NaN, silently, like the kernels
            total = self.total + other.total
        return Mean(
            total=total,
            count=self.count + other.count,
            missing=self.missing + other.missing,
        )

    def __getitem__(self, index: Any) -> Mean:
        return Mean(
            total=_subset(self.total, index),
            count=_subset(self.count, index),
            missing=_subset(self.missing, index),
        )

    def __len__(self) -> int:
        return int(self.count.size)
