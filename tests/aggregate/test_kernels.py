"""The kernels against the pure-Python reference: values and dtypes, every layout."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from learnsoc.aggregate import (
    AggregateError,
    Groups,
    Mean,
    Rate,
    group_all,
    group_any,
    group_count,
    group_count_at_least,
    group_counts,
    group_max,
    group_mean,
    group_min,
    group_share,
    group_sum,
)
from learnsoc.aggregate.kernels import _field_dtype
from tests.aggregate import reference as ref
from tests.strategies import (
    DTYPES,
    build_groups,
    layouts,
    masks,
    member_arrays,
    optional_masks,
)

MATRIX = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
THOROUGH = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
WHERE_KNOWN = [(False, False), (True, False), (False, True), (True, True)]
METHODS = ["auto", "scatter", "segments", "bincount"]


def assert_same(actual: NDArray[Any], expected: list[Any], dtype: np.dtype[Any]) -> None:
    """Same dtype, same length, same values (NaN equal to NaN)."""
    assert actual.dtype == dtype, (actual.dtype, dtype)
    expected_array = np.array(expected, dtype=dtype)
    assert actual.shape == expected_array.shape
    assert np.array_equal(actual, expected_array, equal_nan=dtype.kind == "f"), (
        actual.tolist(),
        expected,
    )


def usable(method: str, groups: Groups) -> bool:
    """``segments`` needs sorted groups; every other method works on any layout."""
    return method != "segments" or groups.is_sorted


# -- the matrix: value kernels x dtype x where/known x empty groups ------------------------


@pytest.mark.parametrize("empty", [False, True], ids=["no-empty", "empty-groups"])
@pytest.mark.parametrize(
    ("use_where", "use_known"), WHERE_KNOWN, ids=["-", "where", "known", "both"]
)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("kernel", ["sum", "min", "max", "mean"])
def test_value_kernels_match_reference(
    kernel: str, dtype: str, use_where: bool, use_known: bool, empty: bool
) -> None:
    """sum, min, max and mean equal the reference in values and dtype."""

    @MATRIX
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        layout = data.draw(layouts(empty_groups=empty))
        n = len(layout.codes)
        values = data.draw(member_arrays(n, dtype))
        where = data.draw(optional_masks(n, use_where))
        known = data.draw(optional_masks(n, use_known))
        codes, n_groups, groups = layout.codes, layout.n_groups, layout.groups
        values_dtype = values.dtype
        if kernel == "sum":
            assert_same(
                group_sum(groups, values, where, known),
                ref.sum_(codes, n_groups, values, where, known),
                ref.result_dtype("sum", values_dtype),
            )
        elif kernel in ("min", "max"):
            func = group_min if kernel == "min" else group_max
            assert_same(
                func(groups, values, where, known),
                ref.extreme(codes, n_groups, values, kernel, where, known),
                ref.result_dtype(kernel, values_dtype),
            )
        else:
            mean = group_mean(groups, values, where, known)
            total, count, missing = ref.mean(codes, n_groups, values, where, known)
            assert_same(mean.total, total, ref.result_dtype("mean_total", values_dtype))
            assert_same(mean.count, count, np.dtype(np.int64))
            assert_same(mean.missing, missing, np.dtype(np.int64))
            assert mean.status.tolist() == ref.status(count, missing)

    check()


@pytest.mark.parametrize("empty", [False, True], ids=["no-empty", "empty-groups"])
@pytest.mark.parametrize(
    ("use_where", "use_known"), WHERE_KNOWN, ids=["-", "where", "known", "both"]
)
@pytest.mark.parametrize("kernel", ["any", "all", "count_at_least"])
def test_mask_kernels_match_reference(
    kernel: str, use_where: bool, use_known: bool, empty: bool
) -> None:
    """any, all and count_at_least equal the reference (empty groups: False, True, k <= 0)."""

    @MATRIX
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        layout = data.draw(layouts(empty_groups=empty, large=True))
        n = len(layout.codes)
        mask = data.draw(masks(n))
        where = data.draw(optional_masks(n, use_where))
        known = data.draw(optional_masks(n, use_known))
        args = (layout.codes, layout.n_groups, mask)
        if kernel == "any":
            actual = group_any(layout.groups, mask, where, known)
            expected = ref.any_(*args, where, known)
        elif kernel == "all":
            actual = group_all(layout.groups, mask, where, known)
            expected = ref.all_(*args, where, known)
        else:
            k = data.draw(st.integers(-1, 8))
            actual = group_count_at_least(layout.groups, mask, k, where, known)
            expected = ref.count_at_least(*args, k, where, known)
        assert_same(actual, expected, np.dtype(np.bool_))

    check()


@pytest.mark.parametrize("empty", [False, True], ids=["no-empty", "empty-groups"])
@pytest.mark.parametrize(
    ("use_where", "use_known"), WHERE_KNOWN, ids=["-", "where", "known", "both"]
)
@pytest.mark.parametrize("method", METHODS)
def test_share_matches_reference(
    method: str, use_where: bool, use_known: bool, empty: bool
) -> None:
    """group_share counts numerator, denominator and missing exactly, by every method."""

    @MATRIX
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        layout = data.draw(layouts(empty_groups=empty, large=True))
        if not usable(method, layout.groups):
            return
        n = len(layout.codes)
        mask = data.draw(masks(n))
        where = data.draw(optional_masks(n, use_where))
        known = data.draw(optional_masks(n, use_known))
        rate = group_share(layout.groups, mask, where, known, method=method)  # type: ignore[arg-type]
        num, den, missing = ref.share(layout.codes, layout.n_groups, mask, where, known)
        assert_same(rate.numerator, num, np.dtype(np.int64))
        assert_same(rate.denominator, den, np.dtype(np.int64))
        assert_same(rate.missing, missing, np.dtype(np.int64))
        assert rate.status.tolist() == ref.status(den, missing)

    check()


@pytest.mark.parametrize("empty", [False, True], ids=["no-empty", "empty-groups"])
@pytest.mark.parametrize("use_where", [False, True], ids=["all", "where"])
@pytest.mark.parametrize("method", METHODS)
def test_count_matches_reference(method: str, use_where: bool, empty: bool) -> None:
    """group_count equals the reference for every method; without where it is the sizes."""

    @MATRIX
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        layout = data.draw(layouts(empty_groups=empty, large=True))
        if not usable(method, layout.groups):
            return
        where = data.draw(optional_masks(len(layout.codes), use_where))
        actual = group_count(layout.groups, where, method=method)  # type: ignore[arg-type]
        assert_same(actual, ref.count(layout.codes, layout.n_groups, where), np.dtype(np.int64))

    check()


@pytest.mark.parametrize("method", METHODS)
@THOROUGH
@given(data=st.data())
def test_counts_of_many_masks_match_reference(method: str, data: st.DataObject) -> None:
    """group_counts packs 0-11 masks into words (several passes) and counts them exactly."""
    layout = data.draw(layouts(large=True, max_groups=6))
    if not usable(method, layout.groups):
        return
    n = len(layout.codes)
    drawn = data.draw(st.lists(masks(n), max_size=11))
    actual = group_counts(layout.groups, drawn, method=method)  # type: ignore[arg-type]
    expected = ref.counts(layout.codes, layout.n_groups, drawn)
    assert actual.shape == (len(drawn), layout.n_groups)
    assert actual.dtype == np.int64
    assert actual.tolist() == expected


# -- exactness of packed counters at the field limits --------------------------------------


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize(
    "sizes",
    [
        [255, 0, 255, 1],  # the largest group that fits 8-bit fields, all members true
        [256, 3, 0],  # one member more: 16-bit fields
        [65535, 2],  # the largest for 16-bit fields
        [65536, 0, 1],  # 32-bit fields
    ],
    ids=["255", "256", "65535", "65536"],
)
@pytest.mark.parametrize("n_masks", [1, 2, 3, 4, 5, 6, 7, 8, 9])
def test_packed_counters_are_exact_at_field_limits(
    method: str, sizes: list[int], n_masks: int
) -> None:
    """Full groups of 255/256/65535/65536 members: each field reaches its maximum."""
    rng = np.random.default_rng(sum(sizes) + n_masks)
    codes = np.repeat(np.arange(len(sizes)), sizes)
    n = codes.size
    # Mask 0 is all true, so its field reaches the group size; the others are random.
    drawn = [np.ones(n, dtype=bool)] + [rng.random(n) < 0.9 for _ in range(n_masks - 1)]
    expected = np.stack([np.bincount(codes, weights=m, minlength=len(sizes)) for m in drawn])
    # Counts per group do not depend on the order of members: shuffle them too.
    shuffle = rng.permutation(n)
    cases = [
        (Groups.from_offsets(np.concatenate([[0], np.cumsum(sizes)])), drawn),
        (Groups.from_codes(codes[shuffle], len(sizes)), [m[shuffle] for m in drawn]),
    ]
    for groups, members in cases:
        if not usable(method, groups):
            continue
        actual = group_counts(groups, members, method=method)  # type: ignore[arg-type]
        assert actual.dtype == np.int64
        assert np.array_equal(actual, expected)
        assert actual[0].tolist() == sizes


@pytest.mark.parametrize(
    ("bound", "itemsize"),
    [(0, 1), (255, 1), (256, 2), (65535, 2), (65536, 4), (2**32 - 1, 4), (2**32, 8)],
)
def test_field_width_holds_the_largest_group(bound: int, itemsize: int) -> None:
    """Fields are the narrowest unsigned type that holds a count of ``bound``."""
    assert _field_dtype(bound).itemsize == itemsize


# -- documented edge cases -----------------------------------------------------------------


def test_empty_groups_follow_the_documented_rule() -> None:
    """Empty groups: count 0, sum 0, any False, all True, min/max fill, share/mean EMPTY."""
    groups = Groups.from_offsets([0, 0, 2, 2])
    values = np.array([3, 5], dtype=np.int32)
    mask = np.array([True, False])
    assert group_count(groups).tolist() == [0, 2, 0]
    assert group_sum(groups, values).tolist() == [0, 8, 0]
    assert group_any(groups, mask).tolist() == [False, True, False]
    assert group_all(groups, mask).tolist() == [True, False, True]
    assert group_min(groups, values, fill=-1).tolist() == [-1, 3, -1]
    assert group_max(groups, values).tolist() == [-(2**31), 5, -(2**31)]
    assert group_share(groups, mask).status.tolist() == [1, 0, 1]
    assert group_mean(groups, values).status.tolist() == [1, 0, 1]


def test_all_over_no_eligible_member_is_vacuously_true() -> None:
    """A household with no school-age member passes all(in_school, where=school_age)."""
    groups = Groups.from_codes([0, 0, 1], n_groups=2)
    in_school = np.array([False, False, True])
    school_age = np.array([False, False, True])
    assert group_all(groups, in_school, where=school_age).tolist() == [True, True]
    assert group_count(groups, where=school_age).tolist() == [0, 1]


def test_share_tells_missing_from_empty() -> None:
    """All eligible values missing gives MISSING; nobody eligible gives EMPTY."""
    groups = Groups.from_offsets([0, 2, 4, 5])
    mask = np.array([True, True, False, True, True])
    where = np.array([True, True, False, False, True])
    known = np.array([False, False, True, True, True])
    rate = group_share(groups, mask, where=where, known=known)
    assert rate.numerator.tolist() == [0, 0, 1]
    assert rate.denominator.tolist() == [0, 0, 1]
    assert rate.missing.tolist() == [2, 0, 0]
    assert [str(s) for s in rate.statuses()] == ["MISSING", "EMPTY", "OK"]
    assert np.isnan(rate.value()[:2]).all()


def test_nan_propagates_unless_marked_missing() -> None:
    """NaN is a value: it propagates through sum/min/max, and known=~isnan skips it."""
    groups = Groups.from_offsets([0, 2, 3])
    values = np.array([1.0, np.nan, 2.0])
    assert np.isnan(group_sum(groups, values)[0])
    assert np.isnan(group_min(groups, values)[0])
    assert np.isnan(group_max(groups, values)[0])
    known = ~np.isnan(values)
    assert group_sum(groups, values, known=known).tolist() == [1.0, 2.0]
    assert group_min(groups, values, known=known).tolist() == [1.0, 2.0]
    assert group_mean(groups, values, known=known).missing.tolist() == [1, 0]


def test_where_excludes_nan_values() -> None:
    """An ineligible member's NaN does not leak into the sum (no multiply by the mask)."""
    groups = Groups.from_codes([0, 0], n_groups=1)
    values = np.array([np.nan, 4.0])
    assert group_sum(groups, values, where=np.array([False, True])).tolist() == [4.0]


def test_int64_sums_are_exact_beyond_float_precision() -> None:
    """2**53 + 1 survives: integer sums never go through float64."""
    values = np.array([2**53, 1, 2**62, 2**62 - 1], dtype=np.int64)
    for flavour in ("offsets", "codes"):
        groups = build_groups([0, 0, 1, 1], 2, flavour)
        assert group_sum(groups, values).tolist() == [2**53 + 1, 2**63 - 1]


def test_int64_sums_wrap_like_numpy() -> None:
    """Overflow wraps modulo 2**64 on both paths, as numpy's integer sums do."""
    values = np.array([2**62, 2**62], dtype=np.int64)
    for flavour in ("offsets", "codes"):
        groups = build_groups([0, 0], 1, flavour)
        assert group_sum(groups, values).tolist() == [-(2**63)]


def test_uint64_values_sum_and_extremes() -> None:
    """uint64 values sum in int64 when they fit, and keep their dtype for min/max."""
    groups = Groups.from_codes([0, 1, 1], n_groups=2)
    values = np.array([5, 2**63 - 1, 0], dtype=np.uint64)
    assert group_sum(groups, values).tolist() == [5, 2**63 - 1]
    assert group_max(groups, values).dtype == np.uint64
    assert group_min(groups, values).tolist() == [5, 0]
    with pytest.raises(AggregateError, match="too large to sum in int64"):
        group_sum(groups, np.array([1, 2**63, 0], dtype=np.uint64))


@pytest.mark.parametrize("dtype", ["float32", "int8", "uint32", "float16"])
def test_other_dtypes(dtype: str) -> None:
    """Narrow and unusual dtypes follow the same dtype rules."""
    groups = Groups.from_codes([0, 0, 2], n_groups=3)
    values = np.array([3, 1, 2], dtype=dtype)
    expected_sum_dtype = np.float64 if values.dtype.kind == "f" else np.int64
    assert group_sum(groups, values).dtype == expected_sum_dtype
    assert group_sum(groups, values).tolist() == [4, 0, 2]
    assert group_min(groups, values).dtype == values.dtype
    assert group_min(groups, values, fill=0).tolist() == [1, 0, 2]


def test_big_endian_values() -> None:
    """Non-native byte order is converted, not misread."""
    groups = Groups.from_codes([0, 0, 1], n_groups=2)
    values = np.array([300, 1, 7], dtype=">i4")
    assert group_sum(groups, values).tolist() == [301, 7]
    assert group_max(groups, values).tolist() == [300, 7]
    assert group_counts(groups, [np.array([True, True, False])]).tolist() == [[2, 0]]


def test_results_are_new_writable_arrays() -> None:
    """Kernels return fresh arrays: changing a result does not change the groups."""
    groups = Groups.from_offsets([0, 2, 3])
    sizes = group_count(groups)
    sizes[0] = 99
    assert group_count(groups).tolist() == [2, 1]


def test_min_max_of_booleans() -> None:
    """Boolean min is all(), max is any(), with True/False as the empty identities."""
    groups = Groups.from_offsets([0, 2, 4, 4])
    values = np.array([True, False, True, True])
    assert group_min(groups, values).tolist() == [False, True, True]
    assert group_max(groups, values).tolist() == [True, True, False]
    assert group_max(groups, values, fill=True).tolist() == [True, True, True]


def test_zero_members_and_zero_groups() -> None:
    """Nothing to count still gives arrays of the right length and dtype."""
    none = np.zeros(0, dtype=bool)
    for groups in (Groups.from_offsets([0]), Groups.from_offsets([0, 0, 0])):
        n_groups = groups.n_groups
        assert group_count(groups, none).tolist() == [0] * n_groups
        assert group_counts(groups, [none, none]).shape == (2, n_groups)
        assert group_sum(groups, np.zeros(0, np.float64)).tolist() == [0.0] * n_groups
        assert group_min(groups, np.zeros(0, np.int8)).tolist() == [127] * n_groups
        assert group_all(groups, none).tolist() == [True] * n_groups
        assert len(group_share(groups, none)) == n_groups
    assert group_counts(Groups.from_offsets([0, 1]), []).shape == (0, 1)


def test_methods_agree_on_a_larger_population() -> None:
    """Every counting method gives the same counts on 20,000 members, sorted or not."""
    rng = np.random.default_rng(7)
    sizes = rng.integers(0, 9, 5000)
    codes = np.repeat(np.arange(sizes.size), sizes)
    drawn = [rng.random(codes.size) < p for p in (0.1, 0.5, 0.9, 0.3, 0.7)]
    expected = np.stack([np.bincount(codes, weights=m, minlength=sizes.size) for m in drawn])
    for groups in (
        Groups.from_offsets(np.concatenate([[0], np.cumsum(sizes)])),
        Groups.from_codes(codes, sizes.size),
    ):
        for method in METHODS:
            actual = group_counts(groups, drawn, method=method)  # type: ignore[arg-type]
            assert np.array_equal(actual, expected), method
    shuffled = rng.permutation(codes.size)
    groups = Groups.from_codes(codes[shuffled], sizes.size, detect_sorted=False)
    for method in ("auto", "scatter", "bincount"):
        actual = group_counts(groups, [m[shuffled] for m in drawn], method=method)  # type: ignore[arg-type]
        assert np.array_equal(actual, expected), method


def test_segment_counting_does_not_build_codes() -> None:
    """Counting sorted groups by segments leaves the codes unbuilt (memory)."""
    groups = Groups.from_offsets([0, 3, 5])
    mask = np.array([True, False, True, True, True])
    group_share(groups, mask, where=mask)
    group_sum(groups, np.arange(5))
    group_min(groups, np.arange(5))
    assert not groups.codes_at_hand


def test_returned_types() -> None:
    """share gives a Rate, mean gives a Mean."""
    groups = Groups.from_offsets([0, 1])
    assert isinstance(group_share(groups, np.array([True])), Rate)
    assert isinstance(group_mean(groups, np.array([1.5])), Mean)


# -- bad arguments -------------------------------------------------------------------------


def test_mask_must_be_boolean() -> None:
    """An integer mask is refused with a hint, not silently treated as weights."""
    groups = Groups.from_offsets([0, 2])
    with pytest.raises(AggregateError, match=r"mask must be a boolean array, got dtype int64"):
        group_any(groups, np.array([0, 1]))
    with pytest.raises(AggregateError, match=r"where must be a boolean array"):
        group_count(groups, np.array([1.0, 0.0]))


def test_lengths_must_match_members() -> None:
    """One value per member, or an error naming the argument and both lengths."""
    groups = Groups.from_offsets([0, 2, 3])
    with pytest.raises(
        AggregateError, match=r"known has 2 values but the groups have 3 members"
    ) as err:
        group_share(groups, np.ones(3, bool), known=np.ones(2, bool))
    assert err.value.argument == "known"
    with pytest.raises(AggregateError, match=r"masks\[1\] has 4 values"):
        group_counts(groups, [np.ones(3, bool), np.ones(4, bool)])
    with pytest.raises(AggregateError, match="one-dimensional"):
        group_sum(groups, np.ones((3, 1)))


def test_values_must_be_numbers() -> None:
    """Text or objects are refused with the dtype named."""
    groups = Groups.from_offsets([0, 2])
    with pytest.raises(
        AggregateError, match="values must be boolean, integer or float, got dtype <U1"
    ):
        group_sum(groups, np.array(["a", "b"]))


def test_method_is_checked() -> None:
    """Unknown methods and segments on unsorted groups are refused."""
    unsorted = Groups.from_codes([1, 0], n_groups=2)
    with pytest.raises(AggregateError, match="method must be one of"):
        group_count(unsorted, method="fast")  # type: ignore[arg-type]
    with pytest.raises(AggregateError, match="needs members sorted by group"):
        group_counts(unsorted, [np.array([True, False])], method="segments")


@pytest.mark.parametrize(
    ("values", "fill"),
    [
        (np.array([1, 2], dtype=np.uint8), -1),
        (np.array([1, 2], dtype=np.uint8), 256),
        (np.array([1, 2], dtype=np.int16), 0.5),
        (np.array([1, 2], dtype=np.int16), float("nan")),
        (np.array([True, False]), 2),
        (np.array([1, 2], dtype=np.int16), "x"),
    ],
)
def test_fill_must_fit_the_dtype(values: NDArray[Any], fill: Any) -> None:
    """A fill the values' dtype cannot hold is refused, not wrapped."""
    groups = Groups.from_offsets([0, 2, 2])
    with pytest.raises(AggregateError, match="fill must be a value that fits"):
        group_min(groups, values, fill=fill)


def test_count_at_least_needs_an_integer() -> None:
    """k = 1.5 or True is refused."""
    groups = Groups.from_offsets([0, 1])
    with pytest.raises(AggregateError, match="k must be an integer"):
        group_count_at_least(groups, np.array([True]), 1.5)  # type: ignore[arg-type]
    with pytest.raises(AggregateError, match="k must be an integer"):
        group_count_at_least(groups, np.array([True]), True)
