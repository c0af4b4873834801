"""The rejects table: batches, counts per table, merging, and the text forms."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from learnsoc.rejects import RejectBatch, Rejects, concat


def _batch(table: str, rows: list[int], reason: str = "out_of_range") -> RejectBatch:
    return RejectBatch(table, "age", reason, np.array(rows), np.array([str(r) for r in rows]))


def test_rows_and_values_must_pair_up() -> None:
    """A batch whose rows and values differ in length is a programming error, caught early."""
    with pytest.raises(ValueError, match="same length"):
        RejectBatch("person", "age", "out_of_range", np.array([1, 2]), np.array(["x"]))
    with pytest.raises(ValueError, match="1-D"):
        RejectBatch("person", "age", "out_of_range", np.zeros((1, 1)), np.zeros((1, 1), "<U1"))


def test_an_unknown_reason_is_refused() -> None:
    """Reasons come from a closed list, so reports can translate every one."""
    with pytest.raises(ValueError, match="reason"):
        _batch("person", [1], reason="looked_odd")


def test_counts_count_each_row_once_whatever_its_problems() -> None:
    """Two problems on one row reject one row: accepted + rejected = read."""
    rej = Rejects((_batch("person", [4, 1]), _batch("person", [1, 7])), {"person": 10})
    assert len(rej) == 4  # problems
    assert rej.rows("person").tolist() == [1, 4, 7]
    assert rej.counts() == {"person": (10, 7, 3)}
    assert rej.rows("household").tolist() == []
    assert bool(rej) and not Rejects(read={"person": 3})


def test_merge_adds_what_was_read_and_keeps_every_problem() -> None:
    """Merging the rejects of two chunks gives the counts of the whole file."""
    a = Rejects((_batch("person", [0]),), {"person": 5, "household": 2})
    b = Rejects((_batch("person", [3]), _batch("household", [1])), {"person": 4})
    merged = a.merge(b)
    assert merged.tables() == ["person", "household"]
    assert merged.read == {"person": 9, "household": 2}
    assert len(merged) == 3
    assert merged.counts() == {"person": (9, 7, 2), "household": (2, 1, 1)}


def test_repr_and_concat() -> None:
    """The repr states the counts; concat leaves out empty batches."""
    rej = concat([_batch("person", []), _batch("person", [2])], {"person": 3})
    assert len(rej.batches) == 1
    assert repr(rej) == "Rejects(1 problem; person: 3 read, 2 accepted, 1 rejected)"


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["person", "household", "clan"]),
            st.sampled_from(["age", "sex"]),
            st.sampled_from(["out_of_range", "missing_value"]),
            st.lists(st.integers(1, 6), max_size=5),
        ),
        max_size=6,
    )
)
def test_first_is_the_first_record(
    batches: list[tuple[str, str, str, list[int]]],
) -> None:
    """first() gives what records()[0] gives, ties between batches and rows included."""
    rej = Rejects(
        tuple(
            RejectBatch(t, c, r, np.array(rows, dtype=np.int64), np.array([f"v{i}" for i in rows]))
            for t, c, r, rows in batches
        ),
        {"household": 9, "person": 9, "clan": 9},
    )
    recs = rej.records("vi")
    assert rej.first("vi") == (recs[0] if recs else None)
