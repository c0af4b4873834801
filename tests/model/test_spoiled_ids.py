"""Text ids given as arrays are checked as a file's are: ``1.23457E+11`` is no id.

The file readers refused an id Excel had shortened to scientific notation (and now an
error value such as ``#N/A``); :meth:`Population.from_columns` took both as ids: two
persons ``1.23457E+11`` were a ``duplicate_id`` pair, a household ``1E+11`` an unknown
household. The same columns now give the same rejects as the same cells in a file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from numpy.typing import NDArray

import learnsoc as ls
from learnsoc.model.ids import CodedIds
from tests.io.helpers import csv_text, files, read

PERSONS = {
    "person_id": ["1", "1.23457E+11", "1.23457E+11", " 1e+11 ", "5", "#N/A", "7"],
    "household_id": ["H1", "H1", "H2", "H2", "1,2E+11", "H1", "1.2E+11"],
    "age": ["40", "41", "30", "3", "33", "20", "21"],
}
HOUSEHOLDS = {
    "household_id": ["H1", "H2", "1.2E+11", "H4"],
    "unit_code": ["00001001", "00001002", "00001001", "1.00001E+7"],
}


def _found(pop: ls.Population) -> list[tuple[str, int, str, str, str]]:
    return sorted((r.table, r.row, r.column, r.value, r.reason) for r in pop.rejects.records("en"))


def test_from_columns_rejects_what_the_file_readers_reject(tmp_path: Path) -> None:
    paths = files(tmp_path, persons=csv_text(PERSONS), households=csv_text(HOUSEHOLDS))
    from_files = read(paths)
    h = from_files.hierarchy
    persons = {k: np.array(v) for k, v in PERSONS.items()}
    persons["age"] = persons["age"].astype(np.uint8)
    from_arrays = ls.Population.from_columns(
        persons=persons, households={k: np.array(v) for k, v in HOUSEHOLDS.items()}, hierarchy=h
    )
    # The files' rows are their lines less the header: the same rows, reasons and values.
    expected = sorted(
        (r.table, int(getattr(r, "line", -1)) - 2, r.column, r.value, r.reason)
        for r in from_files.rejects.records("en")
        if r.table != "unit"
    )
    assert _found(from_arrays) == expected
    assert [r[4] for r in expected].count("scientific_notation") == 7
    assert from_arrays.rejects.counts()["person"] == from_files.rejects.counts()["person"]
    assert from_arrays.rejects.counts()["household"] == from_files.rejects.counts()["household"]
    message = from_arrays.rejects.records("vi")[0].message
    assert "đã bị Excel rút gọn" in message or "ô chứa lỗi" in message


def test_shortened_ids_are_no_duplicates_nor_unknown_households() -> None:
    h = ls.Hierarchy.from_units(UNITS_TABLE, levels=["province", "commune", "village"])
    pop = ls.Population.from_columns(
        persons={
            "person_id": np.array(["1.23457E+11", "1.23457E+11", "P3"], dtype=object),
            "household_id": np.array(["H1", "H1", "1E+11"], dtype=object),
            "age": np.array([30, 31, 32], np.uint8),
        },
        households={"household_id": ["H1"], "unit_code": CodedIds.from_text(np.array(["T1"]))},
        hierarchy=h,
    )
    assert _found(pop) == [
        ("person", 0, "person_id", "1.23457E+11", "scientific_notation"),
        ("person", 1, "person_id", "1.23457E+11", "scientific_notation"),
        ("person", 2, "household_id", "1E+11", "scientific_notation"),
    ]
    assert pop.rejects.counts()["person"] == (3, 0, 3)


def test_coded_unit_codes_are_checked_once_per_code() -> None:
    h = ls.Hierarchy.from_units(UNITS_TABLE, levels=["province", "commune", "village"])
    codes = CodedIds(np.array(["T1", "1.00001E+7", "#N/A"]), np.array([0, 1, 1, 2, 0]))
    pop = ls.Population.from_columns(
        persons={"person_id": [1], "household_id": [10], "age": np.array([30], np.uint8)},
        households={"household_id": [10, 11, 12, 13, 14], "unit_code": codes},
        hierarchy=h,
    )
    assert _found(pop) == [
        ("household", 1, "unit_code", "1.00001E+7", "scientific_notation"),
        ("household", 2, "unit_code", "1.00001E+7", "scientific_notation"),
        ("household", 3, "unit_code", "#N/A", "excel_error"),
    ]
    assert pop.household_ids.tolist() == [10, 14]


@pytest.mark.parametrize("dtype", [np.int64, np.float64, str])
def test_ids_that_are_numbers_or_plain_text_are_read_as_before(dtype: type) -> None:
    h = ls.Hierarchy.from_units(UNITS_TABLE, levels=["province", "commune", "village"])
    ids: NDArray[Any] = np.array([123456789012, 2, 3]).astype(dtype)
    pop = ls.Population.from_columns(
        persons={"person_id": ids, "household_id": [7, 7, 7], "age": np.array([1, 2, 3], np.uint8)},
        households={"household_id": [7], "unit_code": ["T1"]},
        hierarchy=h,
    )
    assert len(pop.rejects) == 0 and pop.n_persons == 3


UNITS_TABLE = {
    "code": ["01", "001", "T1"],
    "level": ["province", "commune", "village"],
    "parent_code": ["", "01", "001"],
}


#: Ids with a control or invisible character inside: a NUL, a tab, a zero-width space, a
#: byte-order mark, a C1 control.
CONTROLLED_PERSONS = {
    "person_id": ["1", "P\x002", "P3\u200b", "\ufeff4", "5", "6", "7"],
    "household_id": ["H1", "H1", "H1", "H1", "H1", "H\t2", "H\x853"],
    "age": ["40", "41", "30", "3", "33", "20", "21"],
}
CONTROLLED_HOUSEHOLDS = {
    "household_id": ["H1", "H\t2", "H\x853"],
    "unit_code": ["00001001", "00001002", "00001001"],
}


@pytest.mark.parametrize("dtype", [str, object])
def test_from_columns_rejects_control_characters_as_the_file_readers_do(
    tmp_path: Path, dtype: type
) -> None:
    """``P\\x002`` was a person of its own, shown as ``P2``; a file's reader refused it."""
    paths = files(
        tmp_path, persons=csv_text(CONTROLLED_PERSONS), households=csv_text(CONTROLLED_HOUSEHOLDS)
    )
    from_files = read(paths)
    persons: dict[str, NDArray[Any]] = {
        k: np.array(v, dtype=dtype) for k, v in CONTROLLED_PERSONS.items()
    }
    persons["age"] = np.array(CONTROLLED_PERSONS["age"]).astype(np.uint8)
    households: dict[str, NDArray[Any]] = {
        k: np.array(v, dtype=dtype) for k, v in CONTROLLED_HOUSEHOLDS.items()
    }
    from_arrays = ls.Population.from_columns(
        persons=persons, households=households, hierarchy=from_files.hierarchy
    )
    assert _found(from_arrays) == [
        ("household", 1, "household_id", "H␉2", "control_character"),
        ("household", 2, "household_id", "H<U+0085>3", "control_character"),
        ("person", 1, "person_id", "P␀2", "control_character"),
        ("person", 2, "person_id", "P3<U+200B>", "control_character"),
        ("person", 3, "person_id", "<U+FEFF>4", "control_character"),
        ("person", 5, "household_id", "H␉2", "control_character"),
        ("person", 6, "household_id", "H<U+0085>3", "control_character"),
    ]
    # The same as the files' (their rows are lines less the header), counted alike: of 7
    # persons, 1 and 5 are accepted (6 and 7 live in refused households); of 3, H1.
    expected = sorted(
        (r.table, int(getattr(r, "line", -1)) - 2, r.column, r.value, r.reason)
        for r in from_files.rejects.records("en")
        if r.table != "unit"
    )
    assert _found(from_arrays) == expected
    assert from_arrays.rejects.counts()["person"] == (7, 2, 5)
    assert from_arrays.rejects.counts()["household"] == (3, 1, 2)
    assert sorted(from_arrays.person_ids.tolist()) == ["1", "5"]
