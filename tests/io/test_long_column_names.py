"""A column name of megabytes is named in a message of a few hundred characters.

A header cell may be as long as a line (16 MiB in a CSV file) and a Parquet column's
name has no limit: errors named such a column whole, a 1 MB name making a 1 MB message
(and a "did you mean" comparing it with every column's name took seconds).
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest

import learnsoc as ls
from learnsoc.errors import SchemaError
from learnsoc.io.files import FileFormatError
from learnsoc.limits import MAX_SHOWN_CHARS

_UNITS = (
    "code,name,level,parent_code\n01,P,province,\n00001,C,commune,01\n00001001,V,village,00001\n"
)
_HOUSEHOLDS = "household_id,unit_code\nH1,00001001\n"
#: A name of a million characters whose start and end differ (the cut keeps the start).
_LONG = "cột_" + "x" * 1_000_000 + "_end"


def _read(persons: Path) -> None:
    """Read a persons file with households and units files written beside it."""
    (persons.parent / "u.csv").write_text(_UNITS, "utf-8")
    (persons.parent / "h.csv").write_text(_HOUSEHOLDS, "utf-8")
    ls.read_population(persons, households=persons.parent / "h.csv", units=persons.parent / "u.csv")


def _assert_cut(message: str) -> None:
    """The message names the column by its first characters, with an ellipsis."""
    assert repr(_LONG[:MAX_SHOWN_CHARS] + "…") in message
    assert "_end" not in message
    assert len(message) < 1_000


def test_an_unknown_column_of_a_long_name_is_named_cut(tmp_path: Path) -> None:
    persons = tmp_path / "p.csv"
    persons.write_text(f"person_id,household_id,{_LONG}\n1,H1,2\n", "utf-8")
    with pytest.raises(SchemaError) as caught:
        _read(persons)
    err = caught.value
    assert err.column == _LONG  # the attribute keeps the name whole
    _assert_cut(str(err))
    _assert_cut(err.localized("vi"))
    assert "cột không xác định" in err.localized("vi")


def test_a_long_name_given_twice_is_named_cut(tmp_path: Path) -> None:
    persons = tmp_path / "p.csv"
    persons.write_text(f"person_id,household_id,{_LONG},{_LONG}\n1,H1,2,3\n", "utf-8")
    with pytest.raises(FileFormatError, match="appears twice") as caught:
        _read(persons)
    _assert_cut(str(caught.value))


def test_a_long_parquet_column_name_is_named_cut(tmp_path: Path) -> None:
    pa: Any = importlib.import_module("pyarrow")
    pq: Any = importlib.import_module("pyarrow.parquet")
    table = pa.table({"person_id": ["1"], "household_id": ["H1"], _LONG: [2]})
    pq.write_table(table, tmp_path / "p.parquet")
    with pytest.raises(SchemaError) as caught:
        _read(tmp_path / "p.parquet")
    _assert_cut(str(caught.value))
