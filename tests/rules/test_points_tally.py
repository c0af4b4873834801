"""A points title's points: the table lookups equal a sum over the criteria, bit by bit."""

from types import SimpleNamespace
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from learnsoc.rules.engine import _Tally

POINTS = st.one_of(
    st.lists(st.integers(-50, 100), min_size=1, max_size=24),
    st.lists(st.sampled_from([0.5, 2.25, 10.0, -1.5]), min_size=1, max_size=24),
)


@settings(max_examples=80, deadline=None)
@given(POINTS, st.integers(0, 2**32 - 1))
def test_points_of_any_bits_equal_the_criteria_summed(points: list[Any], seed: int) -> None:
    """Up to 16 criteria (one table of every pattern) and beyond (a table per byte)."""
    version = SimpleNamespace(criteria=[SimpleNamespace(points=p) for p in points])
    tally = _Tally(SimpleNamespace(), version, 500)  # type: ignore[arg-type]
    rng = np.random.default_rng(seed)
    bits = rng.integers(0, 2 ** len(points), 500, dtype=np.uint64).astype(tally.dtype)
    expected = [sum(p for k, p in enumerate(points) if int(b) >> k & 1) for b in bits]
    got = tally._points(bits)
    assert np.allclose(got, expected), (points, got[:5], expected[:5])
