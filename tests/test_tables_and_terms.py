"""Any table a user holds as numpy columns; the domain terms and their translations.

The tables are given to :func:`learnsoc.rollup_counts`, which takes any of them.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.errors import LearnsocError, SchemaError
from learnsoc.vocabulary import term
from tests.optional import needs

H = ls.Hierarchy.from_units(
    {"code": ["01", "02"], "level": ["province", "province"], "parent_code": [None, None]},
    levels=["province"],
)


def _counts(table: Any, *names: str) -> dict[str, list[Any]]:
    """The province counts :func:`learnsoc.rollup_counts` makes of ``table``'s ``names``."""
    counts = ls.rollup_counts(table, H).level("province").counts
    return {name: counts[name].tolist() for name in names}


class _ArrowStream:
    """An object that only offers the Arrow PyCapsule stream (as a foreign library might)."""

    def __init__(self, table: Any) -> None:  # a pyarrow.Table
        self.table = table

    def __arrow_c_stream__(self, requested_schema: object = None) -> object:
        return self.table.__arrow_c_stream__(requested_schema)


def test_a_mapping_is_used_as_it_is() -> None:
    """Lists and arrays are columns; a name that is not text is named by its text."""
    table = {"unit_code": ["02", "01"], "a": [1, 2], "b": np.array([3, 4], np.uint8)}
    assert _counts(table, "a", "b") == {"a": [2, 1], "b": [4, 3]}
    with pytest.raises(SchemaError, match="counts column '3': count column names must be"):
        ls.rollup_counts({"unit_code": ["01", "02"], 3: [1, 2]}, H)


def test_a_column_must_be_one_dimensional() -> None:
    with pytest.raises(SchemaError, match=r"counts column 'x': must be one-dimensional"):
        ls.rollup_counts({"unit_code": ["01", "02"], "x": np.zeros((2, 2))}, H)


@needs("pyarrow")
def test_an_arrow_stream_is_read_through_pyarrow() -> None:
    """A table known only by its Arrow stream keeps its values (text and numbers)."""
    import pyarrow as pa

    table = pa.table({"unit_code": ["02", "01"], "families": [10, 20]})
    assert _counts(_ArrowStream(table), "families") == {"families": [20, 10]}


@needs("pandas")
def test_without_narwhals_a_frame_goes_through_arrow(monkeypatch: pytest.MonkeyPatch) -> None:
    """The dataframe extra is optional: pandas frames still work through pyarrow."""
    import pandas as pd

    monkeypatch.setitem(sys.modules, "narwhals.stable.v2", None)  # import fails
    frame = pd.DataFrame({"unit_code": ["01", "02"], "a": [1, 2], "b": [3, 4]})
    assert _counts(frame, "a", "b") == {"a": [1, 2], "b": [3, 4]}


def test_something_else_is_a_schema_error() -> None:
    with pytest.raises(SchemaError, match="must be a mapping of column name to array or a data"):
        ls.rollup_counts([1, 2, 3], H)


def test_terms_are_translated_and_unknown_ones_suggest_the_closest() -> None:
    assert term("registered_family", "en") == "registered family"
    assert term("registered_family", "vi") != "registered family"
    with pytest.raises(LearnsocError, match="unknown term 'registered_famly'; did you mean"):
        term("registered_famly")
