"""Float id columns (integers with a gap) are checked and converted a block at a time.

The block kernels of :mod:`learnsoc.model.ids` against the whole-column numpy they
replace: the same ids, the same missing cells, the same warning for an infinity.
"""

import tracemalloc
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnsoc.model.ids import FLOAT_EXACT, all_float_ids, normalize_ids, unwhole_floats

#: Floats an id column may hold: ids, gaps (NaN), fractions, infinities, floats too large
#: to be exact, and the two zeros.
FLOATS = st.one_of(
    st.integers(-50, 50).map(float),
    st.just(float("nan")),
    st.sampled_from([0.5, -2.25, float("inf"), -float("inf"), -0.0, 1e20, 2.0**53, -(2.0**53)]),
    st.sampled_from([2.0**53 + 2, FLOAT_EXACT * 4.0, 7.000001]),
)


def _reference_normalize(arr: np.ndarray[Any, Any]) -> tuple[np.ndarray[Any, Any], bool]:
    """The whole-column numpy of a float column that normalize_ids used until 2026-12."""
    missing = np.isnan(arr)
    whole = bool(np.all(np.floor(arr[~missing]) == arr[~missing]))
    if not whole:
        return np.zeros(0), False
    return np.where(missing, 0, arr).astype(np.int64), True


def _warned(call: Any) -> tuple[Any, list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = call()
    return out, sorted({f"{w.category.__name__}: {w.message}" for w in caught})


@pytest.mark.parametrize("block", [3, 1 << 16])  # blocks that cut the column, and one block
@settings(deadline=None)
@given(st.lists(FLOATS, max_size=40), st.sampled_from([np.float64, np.float32]))
def test_float_ids_match_the_whole_column_numpy(
    block: int, values: list[float], dtype: Any
) -> None:
    arr = np.array(values, dtype)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("learnsoc.model.ids._FLOAT_BLOCK", block)
        (got, missing), got_warnings = _warned(lambda: normalize_ids(arr))
        (expected, whole), expected_warnings = _warned(lambda: _reference_normalize(arr))
        fine = all_float_ids(arr)
    assert missing.tolist() == np.isnan(arr).tolist()
    if whole:
        assert got.dtype == np.int64
        assert got.tolist() == expected.tolist()
    else:  # a fraction: the column is text, as before
        assert got.dtype.kind == "U"
    assert got_warnings == expected_warnings  # an infinity cast to int64 warns in both
    # No reject reason for any cell, counted another way.
    found = unwhole_floats(arr)
    assert fine == (not any(mask.any() for mask in found.values()))


def test_a_float_id_column_is_converted_without_float_copies_of_it() -> None:
    """1M float ids with gaps: the int64 ids and the missing mask, little more.

    The whole-column numpy held a float copy of the column (np.where) beside its int64
    copy, and the column's values without its gaps twice: 17 MB or more at the peak.
    """
    n = 1_000_000
    arr = np.arange(n, dtype=np.float64)
    arr[::3] = np.nan
    tracemalloc.start()
    try:
        ids, missing = normalize_ids(arr)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert ids[1] == 1 and ids[3] == 0 and missing[3]
    assert peak < n * 8 + n + 2_000_000, peak  # the ids, the mask and a block's scratch
