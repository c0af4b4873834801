"""The scatter and segments methods pack members in blocks: blocks must not change any count."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnsoc.aggregate import AggregateError, Groups, group_counts, group_counts_blockwise, kernels


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 300), st.integers(1, 40), st.integers(1, 12), st.integers(0, 2**32 - 1))
def test_blocks_give_the_same_counts(n: int, n_groups: int, n_masks: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    groups = Groups.from_codes(rng.integers(0, n_groups, n), n_groups)
    masks = [rng.random(n) < 0.5 for _ in range(n_masks)]
    expected = group_counts(groups, masks, method="bincount")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(kernels, "_SCATTER_BLOCK", 7)
        blocked = group_counts(groups, masks, method="scatter")
    assert blocked.tolist() == expected.tolist()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 9), min_size=1, max_size=60),
    st.integers(1, 12),
    st.integers(1, 20),
    st.integers(0, 2**32 - 1),
)
def test_sorted_segments_summed_in_blocks_give_the_same_counts(
    sizes: list[int], n_masks: int, block: int, seed: int
) -> None:
    """Groups cut by block boundaries, empty groups anywhere, blocks of any size."""
    rng = np.random.default_rng(seed)
    offsets = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    groups = Groups.from_offsets(offsets)
    masks = [rng.random(int(offsets[-1])) < 0.5 for _ in range(n_masks)]
    expected = group_counts(groups, masks, method="bincount")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(kernels, "_SCATTER_BLOCK", block)
        blocked = group_counts(groups, masks, method="segments")
    assert blocked.tolist() == expected.tolist()


@settings(max_examples=40, deadline=None)
@given(
    st.integers(0, 300),
    st.integers(1, 40),
    st.integers(1, 12),
    st.integers(1, 50),
    st.integers(0, 2**32 - 1),
)
def test_blockwise_masks_give_the_counts_of_whole_masks(
    n: int, n_groups: int, n_masks: int, block: int, seed: int
) -> None:
    rng = np.random.default_rng(seed)
    groups = Groups.from_codes(rng.integers(0, n_groups, n), n_groups)
    values = rng.random((n_masks, n))
    masks = [v < 0.5 for v in values]
    got = group_counts_blockwise(
        groups, lambda lo, hi: [v[lo:hi] < 0.5 for v in values], n_masks, block=block
    )
    assert got.tolist() == group_counts(groups, masks, method="bincount").tolist()


def test_blockwise_checks_what_the_factory_returns() -> None:
    groups = Groups.from_codes([0, 1, 1], 2)
    with pytest.raises(AggregateError, match="must return 2 boolean arrays of length 3"):
        group_counts_blockwise(groups, lambda lo, hi: [np.ones(hi - lo, bool)], 2)
    with pytest.raises(AggregateError, match="positive"):
        group_counts_blockwise(groups, lambda lo, hi: [], 0, block=0)


@pytest.mark.parametrize("big", [255, 256, 300, 513])
def test_one_byte_counters_fall_back_when_a_group_reaches_256(big: int) -> None:
    """A huge group among many small ones: the one-byte bet fails and the counts are exact."""
    rng = np.random.default_rng(big)
    codes = np.concatenate([np.zeros(big, np.intp), rng.integers(1, 400, 2_000)])
    rng.shuffle(codes)
    groups = Groups.from_codes(codes, 400)
    assert not groups.sizes_at_hand and len(codes) <= 32 * 400  # the bet is taken
    values = rng.random((9, len(codes)))  # nine masks: the sizes go into a second word
    got = group_counts_blockwise(groups, lambda lo, hi: [v[lo:hi] < 0.5 for v in values], 9)
    expected = group_counts(Groups.from_codes(codes, 400), [v < 0.5 for v in values])
    assert got.tolist() == expected.tolist()
    assert groups.sizes().tolist() == np.bincount(codes, minlength=400).tolist()


def test_sizes_counted_on_the_way_are_kept() -> None:
    groups = Groups.from_codes([2, 0, 2, 2], 4)
    got = group_counts_blockwise(groups, lambda lo, hi: [np.ones(hi - lo, bool)], 1, block=3)
    assert groups.sizes_at_hand and groups.sizes().tolist() == [1, 0, 3, 0]
    assert got.tolist() == [[1, 0, 3, 0]]


def test_counts_in_int32_rows() -> None:
    rng = np.random.default_rng(5)
    groups = Groups.from_codes(rng.integers(0, 7, 500), 7)
    masks = [rng.random(500) < 0.3 for _ in range(3)]
    wide = group_counts(groups, masks)
    narrow = group_counts(groups, masks, dtype=np.int32)
    assert narrow.dtype == np.int32 and narrow.tolist() == wide.tolist()
    with pytest.raises(AggregateError, match="dtype"):
        group_counts(groups, masks, dtype=np.uint32)  # type: ignore[arg-type]


@pytest.mark.parametrize("method", ["auto", "scatter", "segments", "bincount"])
def test_counts_as_narrow_as_the_largest_group(method: str) -> None:
    # Counts never exceed a group's size: int8 holds them when no group passes 127 members,
    # whatever the number of members; a group of 300 needs int16.
    rng = np.random.default_rng(6)
    sizes = np.array([300, 0, 5, 127, 1])
    groups = Groups.from_offsets(np.concatenate([[0], np.cumsum(sizes)]))
    masks = [rng.random(groups.n_members) < p for p in (0.2, 1.0, 0.0)]
    wide = group_counts(groups, masks, method=method)  # type: ignore[arg-type]
    assert wide[1].tolist() == sizes.tolist()
    narrow = group_counts(groups, masks, dtype=np.int16, method=method)  # type: ignore[arg-type]
    assert narrow.dtype == np.int16 and narrow.tolist() == wide.tolist()
    with pytest.raises(AggregateError, match="dtype must be a signed integer type holding 300"):
        group_counts(groups, masks, dtype=np.int8)
    few = Groups.from_codes(np.repeat([0, 2], [127, 100]), 3)
    ones = [np.ones(227, bool)]
    assert group_counts(few, ones, dtype=np.int8).tolist() == [[127, 0, 100]]
