"""learnsoc._arrays: small array helpers, against numpy's own."""

from __future__ import annotations

import numpy as np
import pytest

from learnsoc._arrays import unique_inverse


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.uint32, np.int16, np.int64])
@pytest.mark.parametrize("size", [0, 1, 7, 10_000])
def test_unique_inverse_is_np_unique(dtype: type[np.integer], size: int) -> None:
    rng = np.random.default_rng(size)
    top = min(np.iinfo(dtype).max, 70_000)
    values = rng.integers(0, top, size, endpoint=True).astype(dtype)
    if size > 100:
        values[:50] = np.iinfo(dtype).max  # the largest value, where a table would end
    found, inverse = unique_inverse(values)
    expected, expected_inverse = np.unique(values, return_inverse=True)
    assert found.dtype == values.dtype
    assert np.array_equal(found, expected)
    assert np.array_equal(inverse, expected_inverse.reshape(-1))
    assert np.array_equal(found[inverse], values)
