"""Data frames of the wrong shape are refused with the table's name."""

from __future__ import annotations

import pytest

from learnsoc.errors import SchemaError
from learnsoc.io.files import FileFormatError
from learnsoc.io.frames import frame_table
from tests.optional import needs


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
