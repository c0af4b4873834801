"""Any table a user holds as numpy columns; the domain terms and their translations."""

from __future__ import annotations

import sys

import numpy as np
import pyarrow as pa
import pytest

from learnsoc._tables import as_columns
from learnsoc.errors import LearnsocError, SchemaError
from learnsoc.vocabulary import term


class _ArrowStream:
    """An object that only offers the Arrow PyCapsule stream (as a foreign library might)."""

    def __init__(self, table: pa.Table) -> None:
        self.table = table

    def __arrow_c_stream__(self, requested_schema: object = None) -> object:
        return self.table.__arrow_c_stream__(requested_schema)


def test_a_mapping_is_used_as_it_is() -> None:
    cols = as_columns({"unit_code": ["01", "02"], 3: [1, 2]}, "counts")
    assert list(cols) == ["unit_code", "3"]
    assert cols["3"].tolist() == [1, 2]


def test_a_column_must_be_one_dimensional() -> None:
    with pytest.raises(SchemaError, match=r"counts column 'x': must be one-dimensional"):
        as_columns({"x": np.zeros((2, 2))}, "counts")


def test_an_arrow_stream_is_read_through_pyarrow() -> None:
    """A table known only by its Arrow stream keeps its values (text and numbers)."""
    table = pa.table({"unit_code": ["01", "02"], "families": [10, 20]})
    cols = as_columns(_ArrowStream(table), "counts")
    assert cols["unit_code"].tolist() == ["01", "02"]
    assert cols["families"].tolist() == [10, 20]


def test_without_narwhals_a_frame_goes_through_arrow(monkeypatch: pytest.MonkeyPatch) -> None:
    """The dataframe extra is optional: pandas frames still work through pyarrow."""
    pd = pytest.importorskip("pandas")
    monkeypatch.setitem(sys.modules, "narwhals.stable.v2", None)  # import fails
    cols = as_columns(pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}), "counts")
    assert cols["a"].tolist() == [1, 2]
    assert cols["b"].tolist() == ["x", "y"]


def test_something_else_is_a_schema_error() -> None:
    with pytest.raises(SchemaError, match="must be a mapping of column name to array or a data"):
        as_columns([1, 2, 3], "counts")


def test_terms_are_translated_and_unknown_ones_suggest_the_closest() -> None:
    assert term("registered_family", "en") == "registered family"
    assert term("registered_family", "vi") != "registered family"
    with pytest.raises(LearnsocError, match="unknown term 'registered_famly'; did you mean"):
        term("registered_famly")
