"""A bad file never costs gigabytes: rejects are held compactly, records made a chunk at a time.

Measured with tracemalloc (bytes, not time). Before, a reject held its value as a
fixed-width numpy string as wide as the batch's longest (4 bytes a character: 332 bytes
per reject once one 80-character cell was among them), and writing the rejects file made a
record object with its message for every reject at once (about 600 bytes each).
"""

from __future__ import annotations

import gc
import pickle
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import learnsoc as ls
from learnsoc._texts import Texts
from learnsoc.io import writers
from learnsoc.limits import MAX_SHOWN_CHARS
from learnsoc.rejects import RejectBatch, Rejects, shown

N = 200_000


def _traced(make: Callable[[], Any]) -> tuple[Any, int, int]:
    """Return what ``make`` returns, the bytes still held after it and its peak."""
    gc.collect()
    tracemalloc.start()
    try:
        out = make()
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return out, held, peak


def _population_of_duplicates(n: int) -> ls.Population:
    # Every person has the same 14-character id: every row is a duplicate_id reject.
    ids = np.full(n, "HH-0001234-P01", dtype="<U80")
    ids[7] = "X" * 80  # one long id among them (a pasted cell), itself a single row
    ids[8] = "X" * 80
    return ls.Population.from_columns(
        persons={
            "person_id": ids,
            "household_id": np.full(n, "H1"),
            "age": np.full(n, 30),
            "sex": np.ones(n, np.int8),
        },
        households={"household_id": np.array(["H1"]), "unit_code": np.array(["V1"])},
        hierarchy=ls.Hierarchy.from_units(
            {
                "code": ["P", "V1"],
                "name": ["Province", "Village"],
                "level": ["province", "village"],
                "parent_code": ["", "P"],
            },
            levels=["province", "village"],
        ),
    )


def test_rejects_hold_a_few_bytes_per_rejected_row() -> None:
    """200,000 duplicate ids: their rejects hold under 30 bytes each (rows and values)."""
    rejects = _population_of_duplicates(N).rejects
    assert rejects.counts()["person"] == (N, 0, N)
    assert len(rejects) == N
    blob = pickle.dumps(rejects)
    # What a copy of the rejects takes is what they hold: 8 bytes a row, 1 a length and
    # 14 for the characters of each value (the long ones are two).
    copy, held, _ = _traced(lambda: pickle.loads(blob))  # noqa: S301 (made just above)
    assert len(copy) == N
    assert held / N < 30, held / N
    # Held compactly, given back exactly.
    values = rejects.batches[0].values
    assert values.tolist() == ["HH-0001234-P01"] * 7 + ["X" * 80] * 2 + ["HH-0001234-P01"] * (N - 9)


def test_writing_rejects_never_holds_a_record_for_each(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rejects file is written from records made a chunk at a time (here 1,000 rows)."""
    n = N // 4  # tracemalloc slows the making of every record
    rejects = _population_of_duplicates(n).rejects
    monkeypatch.setattr(writers, "CHUNK_ROWS", 1_000)
    path = tmp_path / "rejects.csv"
    _, _, peak = _traced(lambda: writers.write_rejects(rejects, path, locale="vi"))
    # The order of the problems (a few arrays of 8 bytes a reject) and one chunk's records;
    # a record for each reject is 500 bytes and more.
    assert peak / n < 150, peak / n
    lines = path.read_text("utf-8-sig").splitlines()
    assert len(lines) == n + 1
    assert lines[1] == (
        ",,person,person_id,HH-0001234-P01,duplicate_id,"
        "\"người, dòng 0 (đếm từ 0), cột person_id: mã 'HH-0001234-P01' xuất hiện nhiều lần\",0"
    )


_TEXT = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=90)


@settings(deadline=None)
@given(st.lists(_TEXT | st.sampled_from(["", "a\x00b", "Hồ", "𝕏y"]), max_size=30), st.data())
def test_texts_give_back_the_values_and_cut_as_shown(values: list[str], data: Any) -> None:
    """Texts hold any text exactly; a value longer than shown cuts it ends as shown ends it."""
    arr = np.array(values, dtype=str) if values else np.zeros(0, "<U1")
    texts = Texts.of(arr)
    assert texts.tolist() == arr.tolist()
    assert Texts.of(arr, MAX_SHOWN_CHARS).tolist() == [shown(v) for v in arr.tolist()]
    # Values of one length (ids) take a shorter path: cut too, and wider than a byte's count.
    full = np.array([v + "z" * (90 - len(v)) for v in values] or ["z" * 300])
    assert Texts.of(full, MAX_SHOWN_CHARS).tolist() == [shown(v) for v in full.tolist()]
    assert Texts.of(full).tolist() == full.tolist()
    picked = data.draw(st.lists(st.integers(0, max(len(values) - 1, 0)), max_size=10))
    if values:
        assert texts.take(np.array(picked, np.int64)).tolist() == [values[i] for i in picked]


@settings(deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["person", "household", "counts"]),
            st.sampled_from(["age", "sex", ""]),
            st.lists(st.integers(0, 6), max_size=8),
        ),
        max_size=6,
    ),
    st.integers(1, 5),
)
def test_records_made_chunk_by_chunk_are_in_the_order_of_a_sort(
    batches: list[tuple[str, str, list[int]]], size: int
) -> None:
    """Records in chunks of any size are those of a stable sort on (table, row, column)."""
    made = [
        RejectBatch(t, c, "missing_value", rows, [f"{t}{c}{k}" for k in range(len(rows))])
        for t, c, rows in batches
    ]
    rejects = Rejects(tuple(made), {"household": 9, "person": 9})
    rank = {"household": 0, "person": 1}
    expected = sorted(
        ((t, row, c, f"{t}{c}{k}") for t, c, rows in batches for k, row in enumerate(rows)),
        key=lambda r: (rank.get(r[0], 2), r[1], r[2]),
    )
    chunks = list(rejects.record_chunks("en", size))
    assert all(len(chunk) <= size for chunk in chunks)
    got = [(r.table, r.row, r.column, r.value) for chunk in chunks for r in chunk]
    assert got == expected
    assert [(r.table, r.row, r.column, r.value) for r in rejects.records("en")] == expected
