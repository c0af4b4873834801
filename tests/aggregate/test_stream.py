"""Streamed rollups equal the in-memory rollup, whatever the batch size."""

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import learnsoc as ls
from learnsoc.aggregate.stream import rollup_batches, rollup_parquet
from tests.optional import needs

POP = ls.synthetic_population(persons=6_000, seed=4, hierarchy="vn-pre-2025")
LEAF = POP.hierarchy.codes_at("village")[POP.household_unit[POP.person_household]]


def person_table() -> dict[str, Any]:
    cols = {k: np.asarray(v) for k, v in POP.person_columns.items()}
    cols["unit_code"] = LEAF
    return cols


def measures() -> dict[str, Any]:
    return {
        "persons": "person",
        "adults": ls.Count("person", lambda b: b["age"] >= 15),
        "literate": ls.Count("person", lambda b: b["literate"] == 1),
        "hours": ls.Sum("person", lambda b: b["learning_hours"]),
    }


def in_memory() -> ls.Rollup:
    age = POP.column("person", "age")
    return ls.rollup(
        POP,
        {
            "persons": "person",
            "adults": ls.Count("person", age >= 15),
            "literate": ls.Count("person", POP.column("person", "literate") == 1),
            "hours": ls.Sum("person", POP.column("person", "learning_hours")),
        },
    )


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 6_000), st.integers(0, 2**32 - 1))
def test_any_batching_and_order_gives_the_whole(batch_size: int, seed: int) -> None:
    table = person_table()
    order = np.random.default_rng(seed).permutation(len(LEAF))
    shuffled = {k: v[order] for k, v in table.items()}
    batches = (
        {k: v[i : i + batch_size] for k, v in shuffled.items()}
        for i in range(0, len(LEAF), batch_size)
    )
    got = rollup_batches(batches, POP.hierarchy, measures())
    want = in_memory()
    for name in want.counts:
        assert got.counts[name].tolist() == want.counts[name].tolist(), name
    assert got.rejects is not None
    assert got.rejects.counts() == {"person": (6_000, 6_000, 0)}


def test_bad_unit_codes_are_rejected_with_their_row() -> None:
    h = POP.hierarchy
    batch = {
        "unit_code": np.array([LEAF[0], "nope", str(h.codes_at("commune")[0]), ""]),
        "age": np.array([30, 40, 50, 60]),
    }
    roll = rollup_batches([batch], h, {"persons": "person"})
    assert roll.rejects is not None
    assert [(r.row, r.reason) for r in roll.rejects.records()] == [
        (1, "unknown_unit"),
        (2, "wrong_level"),
        (3, "missing_value"),
    ]
    assert roll.level("total").counts["persons"].tolist() == [1]
    with pytest.raises(ls.LearnsocError, match="persons only"):
        rollup_batches([batch], h, {"households": "household"})


@needs("pyarrow")
def test_parquet_is_streamed_in_batches(tmp_path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp_path / "persons.parquet"
    pq.write_table(pa.table(person_table()), path, row_group_size=1_000)
    got = rollup_parquet(
        path,
        POP.hierarchy,
        measures(),
        columns=["age", "literate", "learning_hours"],
        batch_size=700,
    )
    want = in_memory()
    for name in want.counts:
        assert got.counts[name].tolist() == want.counts[name].tolist(), name


def test_rollup_parquet_is_one_function_under_its_three_names() -> None:
    # It moved to learnsoc.io.parquet (it reads files); the old paths give the same object.
    import learnsoc as ls
    from learnsoc.aggregate import stream
    from learnsoc.io import parquet

    assert stream.rollup_parquet is parquet.rollup_parquet is ls.rollup_parquet
    assert parquet.rollup_parquet.__module__ == "learnsoc.io.parquet"
