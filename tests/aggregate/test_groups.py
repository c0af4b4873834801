"""Groups: construction, validation, sizes, codes built lazily, expand."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnsoc.aggregate import AggregateError, Groups
from learnsoc.errors import LearnsocError
from tests.strategies import Layout, layouts


@settings(max_examples=80, deadline=None)
@given(layout=layouts())
def test_layouts_agree_with_the_reference(layout: Layout) -> None:
    """n_members, sizes, codes and expand match the plain-Python membership."""
    groups, codes = layout.groups, layout.codes
    assert groups.n_groups == layout.n_groups
    assert groups.n_members == len(codes)
    expected_sizes = [codes.count(g) for g in range(layout.n_groups)]
    assert groups.sizes().dtype == np.int64
    assert groups.sizes().tolist() == expected_sizes
    assert groups.max_size == max(expected_sizes, default=0)
    group_values = np.arange(layout.n_groups) * 10
    assert groups.expand(group_values).tolist() == [10 * g for g in codes]
    assert groups.codes.dtype == np.intp
    assert groups.codes.tolist() == codes
    assert groups.is_sorted == (groups.offsets is not None)
    if groups.offsets is not None:
        assert codes == sorted(codes)
        assert groups.offsets.dtype == np.int64


def codes_built(groups: Groups) -> bool:
    """Read the flag through a call, so mypy does not narrow it between asserts."""
    return groups.codes_at_hand


def test_from_offsets_builds_codes_only_when_asked() -> None:
    """Sorted groups keep only offsets until the codes are read, then cache them."""
    groups = Groups.from_offsets([0, 2, 2, 3])
    assert not codes_built(groups)
    assert groups.expand(np.array([1, 2, 3])).tolist() == [1, 1, 3]
    assert not codes_built(groups)
    codes = groups.codes
    assert codes.tolist() == [0, 0, 2]
    assert codes_built(groups)
    assert groups.codes is codes


def test_from_codes_detects_sorted_codes() -> None:
    """Sorted codes also get offsets (trailing empty groups included); unsorted do not."""
    sorted_groups = Groups.from_codes(np.array([0, 0, 2]), n_groups=4)
    assert sorted_groups.offsets is not None
    assert sorted_groups.offsets.tolist() == [0, 2, 2, 3, 3]
    assert Groups.from_codes([1, 0], n_groups=2).offsets is None
    assert Groups.from_codes([0, 1], n_groups=2, detect_sorted=False).offsets is None


def test_arrays_are_read_only_and_caller_arrays_untouched() -> None:
    """The stored arrays cannot be written; the caller's array stays writable."""
    codes = np.array([0, 1, 1], dtype=np.intp)
    groups = Groups.from_codes(codes, n_groups=2)
    assert codes.flags.writeable
    for array in (groups.codes, groups.sizes(), groups.offsets):
        assert array is not None
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 5


def test_codes_are_converted_to_intp() -> None:
    """Narrow integer codes become intp once, so bincount and add.at do not cast."""
    groups = Groups.from_codes(np.array([2, 0], dtype=np.uint8), n_groups=3)
    assert groups.codes.dtype == np.intp


def test_repr_is_short() -> None:
    """The repr shows the sizes, not the arrays."""
    assert repr(Groups.from_offsets([0, 1, 4])) == "Groups(n_groups=2, n_members=4, sorted=True)"


def test_groups_compare_by_identity() -> None:
    """Two Groups with the same arrays are different objects (eq=False) and hashable."""
    a, b = Groups.from_offsets([0, 1]), Groups.from_offsets([0, 1])
    assert a != b
    assert a == a
    assert len({a, b}) == 2


def test_constructor_checks_codes_against_offsets() -> None:
    """Both arrays given: they must describe the same membership."""
    Groups(n_groups=2, codes=np.array([0, 1, 1]), offsets=np.array([0, 1, 3]))
    with pytest.raises(AggregateError, match="codes and offsets disagree"):
        Groups(n_groups=2, codes=np.array([0, 0, 1]), offsets=np.array([0, 1, 3]))
    with pytest.raises(AggregateError, match="codes and offsets disagree"):
        Groups(n_groups=2, codes=np.array([1, 0, 1]), offsets=np.array([0, 1, 3]))
    with pytest.raises(AggregateError, match="needs codes or offsets"):
        Groups(n_groups=2, codes=None, offsets=None)
    with pytest.raises(AggregateError, match="n_groups \\+ 1 = 3 entries, got 2"):
        Groups(n_groups=2, codes=None, offsets=np.array([0, 1]))


@pytest.mark.parametrize(
    ("codes", "n_groups", "message"),
    [
        (
            [0, 3],
            3,
            r"codes must lie in 0..n_groups-1 = 0..2; 1 do not, the first is 3 at position 1",
        ),
        ([-1, 0, 5], 3, r"2 do not, the first is -1 at position 0"),
        ([0.0, 1.0], 2, r"codes must hold integers, got dtype float64"),
        ([True, False], 2, r"codes must hold integers, got dtype bool"),
        ([[0, 1]], 2, r"codes must be a one-dimensional array"),
        ([0], -1, r"n_groups must be a non-negative integer, got -1"),
        ([0], True, r"n_groups must be a non-negative integer, got True"),
        ([0], 1.0, r"n_groups must be a non-negative integer, got 1.0"),
        (np.array([2**63], dtype=np.uint64), 1, r"too large for int"),
    ],
)
def test_bad_codes_are_refused(codes: object, n_groups: object, message: str) -> None:
    """Out-of-range, non-integer or misshapen codes raise AggregateError naming the problem."""
    with pytest.raises(AggregateError, match=message) as err:
        Groups.from_codes(codes, n_groups)  # type: ignore[arg-type]
    assert isinstance(err.value, LearnsocError)
    assert isinstance(err.value, ValueError)


@pytest.mark.parametrize(
    ("offsets", "message"),
    [
        ([], r"at least \[0\]"),
        ([1, 2], r"offsets must start at 0, got 1"),
        ([0, 3, 2], r"offsets must never decrease; offsets\[1\] = 3 but offsets\[2\] = 2"),
        ([0, 1.5], r"offsets must hold integers"),
    ],
)
def test_bad_offsets_are_refused(offsets: list[float], message: str) -> None:
    """Offsets must start at 0 and never decrease."""
    with pytest.raises(AggregateError, match=message) as err:
        Groups.from_offsets(offsets)
    assert err.value.argument == "offsets"


def test_expand_checks_the_length() -> None:
    """expand needs one value per group."""
    groups = Groups.from_offsets([0, 1, 2])
    with pytest.raises(AggregateError, match=r"one value per group \(2\), got 3 values"):
        groups.expand(np.arange(3))
    with pytest.raises(AggregateError, match="got a scalar"):
        groups.expand(np.int64(3))


def test_expand_keeps_trailing_dimensions() -> None:
    """A row per group is repeated per member, on both paths."""
    rows = np.array([[1, 2], [3, 4]])
    for groups in (Groups.from_offsets([0, 2, 3]), Groups.from_codes([1, 0, 0], n_groups=2)):
        expanded = groups.expand(rows)
        assert expanded.shape == (3, 2)
    assert Groups.from_codes([1, 0, 0], 2).expand(rows).tolist() == [[3, 4], [1, 2], [1, 2]]


@given(st.lists(st.integers(0, 5), max_size=30))
def test_from_offsets_and_from_codes_agree(sizes: list[int]) -> None:
    """Offsets from sizes and the codes they imply give identical groups."""
    offsets = np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)])
    a = Groups.from_offsets(offsets)
    b = Groups.from_codes(np.repeat(np.arange(len(sizes)), sizes), n_groups=len(sizes))
    assert a.n_groups == b.n_groups
    assert a.codes.tolist() == b.codes.tolist()
    assert b.offsets is not None
    assert a.offsets is not None
    assert a.offsets.tolist() == b.offsets.tolist()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 9), max_size=40), st.integers(1, 5))
def test_max_size_from_offsets_never_builds_the_sizes(sizes: list[int], block: int) -> None:
    groups = Groups.from_offsets(np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)]))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("learnsoc._arrays._COUNT_BLOCK", block)  # the offsets read block by block
        assert groups.max_size == max(sizes, default=0)
    assert "sizes" not in groups._cache  # 8 bytes a group, not built for the maximum
