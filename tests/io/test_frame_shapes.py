"""Data frames of the wrong shape are refused with the table's name."""

from __future__ import annotations

import pytest

from learnsoc.errors import SchemaError
from learnsoc.io.files import FileFormatError
from learnsoc.io.frames import frame_table
from tests.optional import needs
from tests.trees import two_level


def test_columns_of_different_lengths_are_a_schema_error() -> None:
    with pytest.raises(SchemaError, match="persons table: columns have different lengths"):
        frame_table({"person_id": [1, 2], "age": [40]}, "persons")


def test_a_repeated_column_name_is_refused() -> None:
    """NFC-equal names are the same column (headers are normalised as in files)."""
    with pytest.raises(FileFormatError, match="column 'Tuổi' appears twice"):
        frame_table({"Tuổi": [1], "Tuo\u0302\u0309i": [2]}, "persons")


@needs("pyarrow")
def test_an_arrow_table_keeps_its_rows_and_header() -> None:
    import pyarrow as pa

    table = frame_table(pa.table({" age ": [40, 9], "sex": ["1", "2"]}), "persons")
    assert table.header == ("age", "sex")
    assert table.layout.n_records == 2
    (batch,) = table.iter_batches()
    assert batch["age"].to_pylist() == [40, 9]


@needs("pandas", "pyarrow")
@pytest.mark.parametrize(
    "shape", ["sorted", "filtered", "labelled", "person_id as index", "two named levels"]
)
def test_a_pandas_frames_index_is_row_labels_or_its_named_columns(shape: str) -> None:
    """A frame sorted or filtered in a notebook reads as its rows; a named index as columns.

    ``df.sort_values("age")`` gave "unknown column '__index_level_0__'": pandas hands
    its unnamed index to Arrow as a column. ``df.set_index("person_id")`` keeps the ids.
    """
    import pandas as pd

    import learnsoc as ls

    tree = two_level({"01": ["001", "002"]})
    persons = pd.DataFrame(
        {
            "person_id": ["P1", "P2", "P3", "P4"],
            "household_id": ["H1", "H1", "H2", "H2"],
            "age": [40, 300, 9, 61],
        }
    )
    households = pd.DataFrame({"household_id": ["H1", "H2"], "unit_code": ["001", "002"]})
    frame = {
        "sorted": persons.sort_values("age"),  # P3, P1, P4, P2: the age of 300 is row 4
        "filtered": persons[persons["age"] != 9],  # P1, P2, P4: row 2
        "labelled": persons.set_axis(["a", "b", "c", "d"]),  # row 2
        "person_id as index": persons.set_index("person_id"),  # row 2
        "two named levels": persons.set_index(["household_id", "person_id"]),  # row 2
    }[shape]
    pop = ls.from_dataframe(frame, households, hierarchy=tree)
    kept = {"filtered": ["P1", "P4"]}.get(shape, ["P1", "P3", "P4"])
    assert sorted(pop.person_ids.tolist()) == kept
    (reject,) = pop.rejects.records("en")
    row = 4 if shape == "sorted" else 2
    assert reject.message == (
        f"persons, row {row} (counted from 1), column age: value '300' is out of range "
        "(expected 0..120)"
    )
    assert frame.iloc[row - 1]["age"] == 300
