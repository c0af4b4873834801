"""Yes/no columns read from Arrow: blanks become the sentinel in place, chunk by chunk."""

import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnsoc.io.convert import _arrow_bools
from learnsoc.model.schema import STANDARD_SCHEMA

pa = pytest.importorskip("pyarrow")
LITERATE = STANDARD_SCHEMA.table("person").column("literate")


@settings(deadline=None)
@given(st.lists(st.one_of(st.none(), st.booleans()), max_size=40), st.integers(0, 20))
def test_a_bool_chunk_with_blanks_reads_as_its_values(values: list[bool | None], cut: int) -> None:
    """Any chunk, sliced anywhere (Arrow's offset): 0/1, and 255 (the sentinel) for a blank."""
    chunk = pa.array(values, pa.bool_()).slice(min(cut, len(values)))
    got = _arrow_bools(chunk, LITERATE)
    assert got is not None and got.dtype == np.uint8
    assert got.tolist() == [255 if v is None else int(v) for v in chunk.to_pylist()]


def test_blanks_are_filled_without_a_mask_of_them() -> None:
    """4M cells with blanks: the values and their validity, no inverted copy besides."""
    n = 4_000_000
    rng = np.random.default_rng(4)
    chunk = pa.array(rng.random(n) < 0.5, mask=rng.random(n) < 0.01)
    tracemalloc.start()
    try:
        got = _arrow_bools(chunk, LITERATE)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert got is not None
    assert int(np.count_nonzero(got == 255)) == chunk.null_count
    assert peak < 2 * n + 1_000_000, peak
