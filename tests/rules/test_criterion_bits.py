"""A title's criterion bits are set a block at a time, without copies of each mask."""

import tracemalloc
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnsoc._arrays import set_bit
from learnsoc.rules.engine import _Tally

DTYPES = [np.uint8, np.uint16, np.uint32, np.uint64]


@pytest.mark.parametrize("block", [3, 1 << 18])  # blocks that cut the entities, and one block
@settings(deadline=None)
@given(st.sampled_from(DTYPES), st.data())
def test_set_bit_matches_an_or_of_each_entity(block: int, dtype: Any, data: Any) -> None:
    width = 8 * np.dtype(dtype).itemsize
    n = data.draw(st.integers(0, 20))
    start = data.draw(st.lists(st.integers(0, 2**width - 1), min_size=n, max_size=n))
    mask = data.draw(st.lists(st.booleans(), min_size=n, max_size=n))
    j = data.draw(st.integers(0, width - 1))
    bits = np.array(start, dtype)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("learnsoc._arrays._SHIFT_BLOCK", block)
        set_bit(bits, np.array(mask, bool), j)
    assert bits.dtype == dtype
    assert bits.tolist() == [b | (1 << j) if m else b for b, m in zip(start, mask, strict=True)]


def test_a_criterion_is_added_without_wide_copies_of_its_masks() -> None:
    """16 criteria (uint16 bits) of 4M entities: each mask as uint16, then shifted, was
    two 8 MB copies at once; a block's buffer is 0.5 MB."""
    n = 4_000_000
    version = SimpleNamespace(criteria=[SimpleNamespace(points=1)] * 16)
    tally = _Tally(SimpleNamespace(), version, n)  # type: ignore[arg-type]
    rng = np.random.default_rng(2)
    ok, known = rng.random(n) < 0.5, rng.random(n) < 0.9
    tracemalloc.start()
    try:
        tally.add(9, ok, known)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert tally.passed_bits.dtype == np.uint16
    assert np.count_nonzero(tally.passed_bits == 1 << 9) == np.count_nonzero(ok)
    assert np.count_nonzero(tally.known_bits == 1 << 9) == np.count_nonzero(known)
    assert peak < 2_000_000, peak


def test_the_eligible_of_a_value_known_everywhere_are_one_copy_of_it() -> None:
    """``Value.passing`` with nothing unknown: the values copied once (a column of True
    was made to be and-ed with them: twice the memory)."""
    from learnsoc.rules.types import Value

    n = 4_000_000
    values = np.random.default_rng(3).random(n) < 0.7
    value = Value(values)
    tracemalloc.start()
    try:
        got = value.passing()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert got.tolist() == values.tolist()
    assert got.flags.writeable and not np.shares_memory(got, value.values)
    partly = Value(values, values | (np.arange(n) % 2 == 0))
    assert partly.passing().tolist() == values.tolist()  # known where true: the same
    assert peak < n + 500_000, peak
