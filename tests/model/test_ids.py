from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from learnsoc.model.ids import CodedIds, IdIndex, is_sorted, normalize_ids


@pytest.mark.parametrize("scale", [1, 10**9])  # a direct table, and bisection over sparse ids
@given(st.lists(st.integers(-5, 40), max_size=60), st.lists(st.integers(-10, 50), max_size=30))
def test_int_lookup_matches_a_dict(scale: int, ids: list[int], query: list[int]) -> None:
    ids = [i * scale for i in ids]
    query = [q * scale for q in query]
    index = IdIndex(np.array(ids, np.int64))
    pos, found = index.lookup(np.array(query, np.int64))
    first: dict[int, int] = {}
    for row, value in sorted(enumerate(ids), key=lambda rv: (rv[1], rv[0])):
        first.setdefault(value, row)
    assert found.tolist() == [q in first for q in query]
    assert pos.tolist() == [first.get(q, -1) for q in query]
    # int32 rows, integer queries looked up a few at a time: the same answers.
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("learnsoc.model.ids._LOOKUP_BLOCK", 7)
        pos32, found32 = index.lookup(np.array(query, np.int64), np.int32)
    assert pos32.dtype == np.int32
    assert pos32.tolist() == pos.tolist() and found32.tolist() == found.tolist()
    counts = {v: ids.count(v) for v in ids}
    assert index.duplicated().tolist() == [counts[v] > 1 for v in ids]


@given(
    st.lists(st.text("AB0", min_size=1, max_size=3), max_size=40),
    st.lists(st.text("AB0", max_size=3), max_size=20),
)
def test_text_lookup_matches_a_dict(ids: list[str], query: list[str]) -> None:
    index = IdIndex(np.array(ids, dtype=str))
    pos, found = index.lookup(np.array(query, dtype=str))
    for q, p, f in zip(query, pos.tolist(), found.tolist(), strict=True):
        assert f == (q in ids)
        if f:
            assert ids[p] == q


def test_dense_ids_take_the_arithmetic_path_and_agree() -> None:
    ids = np.arange(5, 15, dtype=np.int64)
    index = IdIndex(ids)
    assert index._dense
    pos, found = index.lookup(np.array([4, 5, 14, 15, 9]))
    assert pos.tolist() == [-1, 0, 9, -1, 4]
    assert found.tolist() == [False, True, True, False, True]
    # Sorted with a repeat and a gap of the same total span: not dense.
    assert IdIndex(np.array([1, 1, 3])).duplicated().tolist() == [True, True, False]


def test_normalize_ids_kinds() -> None:
    ids, missing = normalize_ids(np.array([1, "002", None], dtype=object))
    assert ids.tolist() == ["1", "002", ""]
    assert missing.tolist() == [False, False, True]
    ints, _ = normalize_ids(np.array([3, 4], dtype=object))
    assert ints.dtype == np.int64
    frac, m2 = normalize_ids([1.5, 2.0])
    assert frac.tolist() == ["1.5", "2.0"] and not m2.any()
    data: Any = np.array([b"H1", b""])
    text, m3 = normalize_ids(data)
    assert text.tolist() == ["H1", ""] and m3.tolist() == [False, True]


def test_is_sorted() -> None:
    assert is_sorted(np.array([], np.int64))
    assert not is_sorted(np.array([2, 1]))


def test_integer_ids_looked_up_as_text() -> None:
    """Text sorts 1, 10, 2, 3: the lookup must not reuse the numeric order."""
    for ids in (np.array([1, 2, 3, 10], np.int64), np.array([10**9, 2, 3 * 10**9, 10], np.int64)):
        index = IdIndex(ids)
        pos, found = index.lookup(np.array(["10", "2", "7"]))
        assert found.tolist() == [True, "2" in ids.astype(str), False]
        assert ids[pos[0]] == 10
    text = IdIndex(np.array(["10", "2", "1"]))
    pos, found = text.lookup(np.array([2, 10, 5], np.int64))
    assert pos.tolist() == [1, 0, -1]


@given(st.lists(st.lists(st.sampled_from(["01", "02", "", "003"]), max_size=30), max_size=4))
def test_coded_ids_spell_out_what_they_code(parts: list[list[str]]) -> None:
    coded = [CodedIds.from_text(np.array(p, dtype=str)) for p in parts]
    for c, p in zip(coded, parts, strict=True):
        assert np.asarray(c).tolist() == p and len(c) == len(p) and c.shape == (len(p),)
        assert len(c.values) <= max(len(p), 1)  # never more values than rows
    joined = CodedIds.concatenate(coded)
    flat = [v for p in parts for v in p]
    assert np.asarray(joined).tolist() == flat
    assert joined.codes.dtype == np.int32
    rows = np.arange(len(flat))[::2]
    assert joined[rows].tolist() == flat[::2]


def test_coded_ids_are_small_for_runs_and_checked() -> None:
    text = np.repeat(np.array(["00001001", "00001002", "00001001"]), 1000)
    coded = CodedIds.from_text(text)
    assert coded.values.tolist() == ["00001001", "00001002", "00001001"]
    assert coded.codes.dtype == np.int32 and coded.dtype == text.dtype
    assert np.array_equal(np.asarray(coded), text)
    assert np.asarray(coded, dtype=object).dtype == object
    without_runs = CodedIds.from_text(np.array(["a", "b", "a", "b"]))
    assert without_runs.codes.tolist() == [0, 1, 2, 3]
    with pytest.raises(ValueError, match="index the 2 values"):
        CodedIds(np.array(["a", "b"]), np.array([0, 2]))
    with pytest.raises(ValueError, match="integers"):
        CodedIds(np.array(["a"]), np.array([0.0]))
    with pytest.raises(ValueError, match="one-dimensional"):
        CodedIds(np.array([["a"]]), np.array([0]))
    assert CodedIds(np.array([1, 2]), np.array([1])).values.tolist() == ["1", "2"]
    assert repr(coded) == "CodedIds(3000 rows, 3 values)"
