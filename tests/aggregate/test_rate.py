"""Rate and Mean: exact threshold comparisons, statuses, merging by counts."""

from __future__ import annotations

import operator
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnsoc.aggregate import AggregateError, Mean, Rate, RateStatus, exact_fraction
from tests.aggregate import reference as ref

OPS: dict[str, Callable[[Any, Any], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}
# Thresholds as rulebooks write them.
DECIMALS = [
    "0.05",
    "0.1",
    "0.2",
    "0.25",
    "0.3",
    "0.5",
    "0.6",
    "0.7",
    "0.75",
    "0.8",
    "0.9",
    "0.95",
    "0.99",
    "0.995",
    "1",
]


def expected_comparison(num: int, den: int, op: str, threshold: Fraction) -> bool:
    """The reference: Fraction arithmetic, False when the rate is undefined."""
    return den > 0 and OPS[op](Fraction(num, den), threshold)


@pytest.mark.parametrize("op", list(OPS))
@pytest.mark.parametrize("text", DECIMALS)
def test_decimal_thresholds_are_exact_at_the_boundary(op: str, text: str) -> None:
    """For every denominator up to 200 and every numerator, float thresholds act as decimals."""
    dens = np.repeat(np.arange(0, 201), np.arange(0, 201) + 1)
    nums = np.concatenate([np.arange(d + 1) for d in range(201)])
    rate = Rate(numerator=nums, denominator=dens)
    threshold = Fraction(text)
    expected = [
        expected_comparison(n, d, op, threshold)
        for n, d in zip(nums.tolist(), dens.tolist(), strict=True)
    ]
    for spelled in (float(text), Decimal(text), threshold, np.float32(text), np.float64(text)):
        assert rate.compare(op, spelled).tolist() == expected, spelled  # type: ignore[arg-type]


def test_the_float_traps() -> None:
    """7/10 >= 0.7, 9/10 >= 0.9 (0.9 as a double is above 9/10), 69/100 < 0.7."""
    rate = Rate(numerator=[7, 9, 69, 995, 1], denominator=[10, 10, 100, 1000, 3])
    assert rate.at_least(0.7).tolist() == [True, True, False, True, False]
    assert rate.at_least(0.9).tolist() == [False, True, False, True, False]
    assert rate.at_least(0.995).tolist() == [False, False, False, True, False]
    assert rate.at_most(0.7).tolist() == [True, False, True, False, True]
    assert rate.greater_than(0.7).tolist() == [False, True, False, True, False]
    assert rate.less_than(0.7).tolist() == [False, False, True, False, True]


@settings(max_examples=300, deadline=None)
@given(
    pairs=st.lists(
        st.integers(0, 2**62).flatmap(lambda d: st.tuples(st.integers(0, d), st.just(d))),
        max_size=20,
    ),
    op=st.sampled_from(list(OPS)),
    threshold=st.one_of(
        st.fractions(min_value=-2, max_value=3, max_denominator=10**12),
        st.integers(-3, 3),
        st.decimals(min_value=-2, max_value=3, allow_nan=False, allow_infinity=False, places=6),
        st.floats(min_value=-2, max_value=3, allow_nan=False),
    ),
)
def test_comparisons_match_fraction_arithmetic(
    pairs: list[tuple[int, int]], op: str, threshold: Any
) -> None:
    """Huge counts and long thresholds fall back to Python integers and stay exact."""
    rate = Rate(
        numerator=np.array([n for n, _ in pairs], dtype=np.int64),
        denominator=np.array([d for _, d in pairs], dtype=np.int64),
    )
    exact = exact_fraction(threshold)
    if isinstance(threshold, float):
        assert exact == Fraction(repr(threshold))
    expected = [expected_comparison(n, d, op, exact) for n, d in pairs]
    assert rate.compare(op, threshold).tolist() == expected  # type: ignore[arg-type]


def test_status_value_and_statuses() -> None:
    """OK where the denominator is positive; EMPTY vs MISSING by the missing count."""
    rate = Rate(numerator=[1, 0, 0], denominator=[4, 0, 0], missing=[5, 0, 2])
    assert rate.status.dtype == np.uint8
    assert rate.status.tolist() == [RateStatus.OK, RateStatus.EMPTY, RateStatus.MISSING]
    assert rate.statuses() == [RateStatus.OK, RateStatus.EMPTY, RateStatus.MISSING]
    value = rate.value()
    assert value[0] == 0.25
    assert np.isnan(value[1:]).all()
    assert rate.at_least(0).tolist() == [True, False, False]
    assert rate.compare("!=", 0.5).tolist() == [True, False, False]


@given(
    st.lists(
        st.tuples(st.integers(0, 50), st.integers(0, 50), st.integers(0, 5)).map(
            lambda t: (min(t[0], t[1]), t[1], t[2])
        ),
        min_size=1,
        max_size=10,
    ),
    st.data(),
)
def test_merging_adds_counts(rows: list[tuple[int, int, int]], data: st.DataObject) -> None:
    """a + b adds numerators, denominators and missing; Rate.zeros is the identity."""
    other = data.draw(
        st.lists(
            st.tuples(st.integers(0, 50), st.integers(0, 50), st.integers(0, 5)).map(
                lambda t: (min(t[0], t[1]), t[1], t[2])
            ),
            min_size=len(rows),
            max_size=len(rows),
        )
    )
    a = Rate(*map(list, zip(*rows, strict=True)))
    b = Rate(*map(list, zip(*other, strict=True)))
    merged = a + b
    assert merged.numerator.tolist() == [x[0] + y[0] for x, y in zip(rows, other, strict=True)]
    assert merged.denominator.tolist() == [x[1] + y[1] for x, y in zip(rows, other, strict=True)]
    assert merged.missing.tolist() == [x[2] + y[2] for x, y in zip(rows, other, strict=True)]
    assert merged.status.tolist() == ref.status(
        merged.denominator.tolist(), merged.missing.tolist()
    )
    assert a + Rate.zeros(len(a)) == a
    assert a + b == b + a


def test_merging_never_averages_rates() -> None:
    """1/1 merged with 0/99 is 1/100, not the mean of 100% and 0%."""
    merged = Rate([1], [1]) + Rate([0], [99])
    assert merged.value().tolist() == [0.01]


def test_indexing_and_length() -> None:
    """Slices, masks and integers select groups; an integer gives a one-group Rate."""
    rate = Rate(numerator=[1, 2, 3], denominator=[3, 3, 3], missing=[0, 1, 0])
    assert len(rate) == 3
    assert rate[1:].numerator.tolist() == [2, 3]
    assert rate[np.array([True, False, True])].denominator.tolist() == [3, 3]
    assert rate[1].missing.tolist() == [1]
    assert len(rate[1]) == 1


def test_arrays_are_int64_read_only_copies() -> None:
    """Counts are converted to int64 and frozen; the caller's array is not."""
    counts = np.array([1, 2], dtype=np.uint8)
    rate = Rate(numerator=counts, denominator=counts)
    assert rate.numerator.dtype == np.int64
    with pytest.raises(ValueError, match="read-only"):
        rate.numerator[0] = 0
    counts[0] = 0
    assert rate.numerator.tolist() == [1, 2]


def test_equality_and_hash() -> None:
    """Rates and means compare by their counts and stay hashable."""
    assert Rate([1], [2]) == Rate(np.array([1], np.uint8), [2], missing=[0])
    assert Rate([1], [2]) != Rate([1], [3])
    assert Rate([1], [2]) != Rate([1], [2], missing=[1])
    assert hash(Rate([1], [2])) == hash(Rate([1], [2]))
    assert Mean([np.nan], [1]) == Mean([np.nan], [1])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"numerator": [3], "denominator": [2]},
            r"numerator must not exceed denominator; group 0 has 3 of 2",
        ),
        (
            {"numerator": [-1], "denominator": [2]},
            r"numerator must be non-negative; numerator\[0\] is -1",
        ),
        (
            {"numerator": [0.5], "denominator": [2]},
            r"numerator must hold integer counts, got dtype float64",
        ),
        ({"numerator": [1, 1], "denominator": [2]}, r"numerator has 2, denominator has 1"),
        ({"numerator": 1, "denominator": 2}, r"one-dimensional"),
        ({"numerator": [1], "denominator": [2], "missing": [-2]}, r"missing must be non-negative"),
        ({"numerator": np.array([2**63], np.uint64), "denominator": [1]}, r"too large for int64"),
    ],
)
def test_bad_counts_are_refused(kwargs: dict[str, Any], message: str) -> None:
    """Counts must be non-negative integers of equal length, numerator <= denominator."""
    with pytest.raises(AggregateError, match=message):
        Rate(**kwargs)


@pytest.mark.parametrize(
    ("threshold", "message"),
    [
        (float("nan"), "finite number, got nan"),
        (float("inf"), "finite number, got inf"),
        (Decimal("NaN"), "finite number"),
        (True, "got the boolean True"),
        ("0.7", "must be a number"),
        (None, "must be a number"),
    ],
)
def test_bad_thresholds_are_refused(threshold: Any, message: str) -> None:
    """NaN, infinity, booleans and text are not thresholds."""
    with pytest.raises(AggregateError, match=message):
        Rate([1], [2]).at_least(threshold)


def test_bad_operator_is_refused() -> None:
    """The error lists the operators."""
    with pytest.raises(
        AggregateError, match=r"op must be one of '>=', '>', '<=', '<', '==', '!='; got '=>'"
    ):
        Rate([1], [2]).compare("=>", 0.5)  # type: ignore[arg-type]


def test_add_rejects_other_types_and_lengths() -> None:
    """Only rates of the same length add."""
    with pytest.raises(TypeError):
        Rate([1], [2]) + 1
    with pytest.raises(AggregateError, match="left has 1, right has 2"):
        Rate([1], [2]) + Rate([1, 1], [2, 2])


# -- Mean -----------------------------------------------------------------------------------


def test_mean_value_status_and_merge() -> None:
    """total/count, NaN where count is 0; merging adds totals and counts."""
    mean = Mean(total=[10, 0, 0], count=[4, 0, 0], missing=[0, 0, 3])
    assert mean.value()[0] == 2.5
    assert np.isnan(mean.value()[1:]).all()
    assert mean.status.tolist() == [0, 1, 2]
    merged = mean + Mean(total=[2, 6, 0], count=[1, 2, 0])
    assert merged.total.tolist() == [12, 6, 0]
    assert merged.value()[:2].tolist() == [2.4, 3.0]
    assert merged.missing.tolist() == [0, 0, 3]
    assert len(merged[:2]) == 2
    assert mean + Mean.zeros(3) == mean


def test_mean_total_dtypes() -> None:
    """Integer and boolean totals become int64, float totals float64; text is refused."""
    assert Mean(total=np.array([1], np.uint16), count=[1]).total.dtype == np.int64
    assert Mean(total=np.array([1.5], np.float32), count=[1]).total.dtype == np.float64
    assert Mean.zeros(2, np.float64).total.dtype == np.float64
    with pytest.raises(AggregateError, match="total must hold numbers"):
        Mean(total=np.array(["a"]), count=[1])
    with pytest.raises(AggregateError, match="count must be non-negative"):
        Mean(total=[1], count=[-1])
