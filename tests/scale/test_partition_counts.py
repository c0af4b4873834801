"""A partition's counts per criterion and per title, counted without column-long copies.

The criteria of a title are counted from its bit columns in one pass
(:func:`learnsoc._arrays.bit_counts`); an entity title's masks are its verdicts' own.
Each is checked against a slow count, and the memory the criterion counts take.
"""

import tracemalloc
import warnings
from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import learnsoc as ls
from learnsoc._arrays import bit_counts
from learnsoc.scale import criterion_counts

DTYPES = [np.uint8, np.uint16, np.uint32, np.uint64]


@pytest.mark.parametrize("block", [3, 1 << 16])  # blocks that cut the values, and one block
@settings(deadline=None)
@given(
    st.sampled_from(DTYPES),
    st.lists(st.tuples(st.integers(0, 2**16 - 1), st.integers(0, 2**16 - 1), st.booleans())),
    st.booleans(),
    st.booleans(),
)
def test_bit_counts_match_a_count_of_each_bit(
    block: int,
    dtype: Any,
    rows: list[tuple[int, int, bool]],
    use_within: bool,
    use_also: bool,
) -> None:
    width = 8 * np.dtype(dtype).itemsize
    mask = (1 << min(width, 16)) - 1
    bits = np.array([a & mask for a, _, _ in rows], dtype)
    also = np.array([b & mask for _, b, _ in rows], dtype) if use_also else None
    within = np.array([w for _, _, w in rows], bool) if use_within else None
    n_bits = min(width, 16)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("learnsoc._arrays._BIT_BLOCK", block)
        got = bit_counts(bits, n_bits, within, also=also)
    expected = [
        sum(
            1
            for i, (a, b, w) in enumerate(rows)
            if (not use_within or w) and (a >> j) & 1 and (not use_also or (b >> j) & 1)
        )
        for j in range(n_bits)
    ]
    assert got.tolist() == expected


def test_criterion_counts_match_a_count_per_criterion() -> None:
    pop = ls.synthetic_population(persons=5_000, seed=3)
    book = ls.load_rulebook("vn-national")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ls.evaluate(pop, book, "2025-12-31", inputs=ls.synthetic_inputs(pop, book, seed=3))
    got = criterion_counts(ev)
    n_checked = 0
    for title_id, v in ev.verdicts_by_title.items():
        for c in v.criteria:
            passed, known = v.criterion(c.id)
            rows = [
                (bool(p), bool(k))
                for p, k, a in zip(
                    passed.tolist(), known.tolist(), v.assessed.tolist(), strict=True
                )
                if a
            ]
            expected = (
                sum(1 for p, k in rows if p and k),
                sum(1 for p, k in rows if k and not p),
                sum(1 for _, k in rows if not k),
            )
            c_got = got[(title_id, c.id)]
            assert (c_got.passed, c_got.failed, c_got.unknown) == expected, (title_id, c.id)
            n_checked += 1
    assert n_checked > 30


def test_criterion_counts_hold_no_mask_per_criterion() -> None:
    """16 criteria of 4M entities: the assessed entities' mask and a block's copies.

    Counting criterion by criterion held two masks of all entities, and the bits of one
    criterion twice (uint16), while counting: 24 MB and more.
    """
    n, width = 4_000_000, 16
    rng = np.random.default_rng(5)
    criteria = tuple(SimpleNamespace(id=f"c{j}") for j in range(width))
    v = SimpleNamespace(
        level="person",
        criteria=criteria,
        assessed=rng.random(n) < 0.9,
        passed_bits=rng.integers(0, 2**16, n).astype(np.uint16),
        known_bits=rng.integers(0, 2**16, n).astype(np.uint16),
    )

    def criterion(criterion_id: str) -> tuple[Any, Any]:  # as Verdicts.criterion
        one = np.uint16(1 << int(criterion_id[1:]))
        return (v.passed_bits & one) != 0, (v.known_bits & one) != 0

    v.criterion = criterion
    ev: Any = SimpleNamespace(verdicts_by_title={"t": v})
    tracemalloc.start()
    try:
        counts = criterion_counts(ev)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    one = 1 << 3
    assessed = v.assessed
    kept = assessed & ((v.known_bits & one) != 0)
    hits = int(np.count_nonzero(kept & ((v.passed_bits & one) != 0)))
    assert counts[("t", "c3")].passed == hits
    assert counts[("t", "c3")].failed == int(np.count_nonzero(kept)) - hits
    assert peak < n + 8_000_000, peak
