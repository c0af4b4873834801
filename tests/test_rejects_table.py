"""The rejects table: batches, counts per table, merging, and the text forms."""

from __future__ import annotations

import csv
from pathlib import Path

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from learnsoc.io.writers import write_rejects
from learnsoc.rejects import Reject, RejectBatch, Rejects, concat


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


class _Shouting(Rejects):
    """A subclass that words its own records (and only overrides ``records``)."""

    def records(self, locale: str | None = None) -> list[Reject]:
        return [attrs.evolve(r, message=r.message.upper()) for r in super().records(locale)]


def test_a_subclass_wording_its_own_records_is_written_so(tmp_path: Path) -> None:
    """write_rejects, record_chunks and to_columns honour a subclass's records().

    write_rejects read a private method before, so the file had the base class's messages.
    """
    rej = _Shouting((_batch("person", [4, 1, 9]),), {"person": 10})
    expected = [r.message for r in rej.records("en")]
    assert (
        expected[0]
        == "PERSON ROW 1 (COUNTED FROM 0), COLUMN AGE: VALUE '1' IS OUT OF RANGE (EXPECTED )"
    )
    path = write_rejects(rej, tmp_path / "r.csv", locale="en")
    with path.open(encoding="utf-8-sig", newline="") as f:
        assert [row["message"] for row in csv.DictReader(f)] == expected
    chunks = list(rej.record_chunks("en", size=2))
    assert [len(c) for c in chunks] == [2, 1]
    assert [r.message for c in chunks for r in c] == expected
    assert rej.to_columns("en")["message"].tolist() == expected


def test_record_chunks_are_records_cut_and_a_size_below_one_is_refused() -> None:
    """The public chunks are the records in order, ``size`` at a time."""
    rej = Rejects((_batch("person", [4, 1]), _batch("household", [2])), {"household": 3})
    whole = [(r.table, r.row) for r in rej.records("vi")]
    assert whole == [("household", 2), ("person", 1), ("person", 4)]
    for size in (1, 2, 3, 10):
        chunks = list(rej.record_chunks("vi", size))
        assert [(r.table, r.row) for c in chunks for r in c] == whole
        assert max(len(c) for c in chunks) == min(size, 3)
    with pytest.raises(ValueError, match="size=0"):
        next(rej.record_chunks(size=0))


def test_to_columns_over_several_chunks_is_the_records_as_arrays() -> None:
    """Columns joined from chunks of different widths are the records' values, in order."""
    rows = list(range(70_000))  # more than one chunk of RECORD_CHUNK records
    values = ["x" * (1 + r % 7) if r < 65_536 else "y" * 30 for r in rows]
    batch = RejectBatch("person", "age", "out_of_range", np.array(rows), np.array(values))
    rej = Rejects((batch,), {"person": 80_000})
    cols = rej.to_columns("en")
    recs = rej.records("en")
    assert cols["value"].tolist() == [r.value for r in recs]
    assert cols["message"].tolist() == [r.message for r in recs]
    assert cols["row"].dtype == np.int64 and cols["row"].tolist() == rows
    assert cols["value"].dtype == np.dtype("<U30")
    empty = Rejects().to_columns()
    assert {k: (v.dtype.kind, len(v)) for k, v in empty.items()} == {
        "table": ("U", 0),
        "row": ("i", 0),
        "column": ("U", 0),
        "value": ("U", 0),
        "reason": ("U", 0),
        "message": ("U", 0),
    }
