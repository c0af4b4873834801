"""A rejects file tells a file's 1-based line from a Python sequence's 0-based row.

``line`` is a line of a file (the header is line 1), empty for data given as Python
lists or arrays; ``row`` (the last column, so that the columns before it keep their
places) is the 0-based row of the input: the index into the list, or the record of the
file after its header. Before, a list's row 2 was written as ``line`` 2, which for a
file is its first data line. Each number below is found again in the input by hand.
"""

from __future__ import annotations

import csv
import json
import warnings
from pathlib import Path

from openpyxl import load_workbook

import learnsoc as ls
from learnsoc.io import write_rejects
from tests.io.helpers import PERSONS, files, read
from tests.optional import needs, require

HIERARCHY = ls.synthetic_hierarchy(villages=2, seed=1)
VILLAGE = str(HIERARCHY.codes_at("village")[0])
AGES = [40, 30, 300, 20]  # the third person (index 2) is 300


def python_rejects() -> ls.rejects.Rejects:
    persons = {"person_id": [1, 2, 3, 4], "household_id": ["H"] * 4, "age": AGES}
    pop = ls.Population.from_columns(
        persons, {"household_id": ["H"], "unit_code": [VILLAGE]}, HIERARCHY
    )
    return pop.rejects


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_a_python_row_is_a_row_not_a_line(tmp_path: Path) -> None:
    rejects = python_rejects()
    (row,) = csv_rows(write_rejects(rejects, tmp_path / "r.csv", locale="en"))
    assert AGES[int(row["row"])] == 300 and row["row"] == "2"
    assert row["line"] == "" and row["file"] == ""
    assert row["message"].startswith("person row 2 (counted from 0), column age:")
    (record,) = json.loads(write_rejects(rejects, tmp_path / "r.json").read_text("utf-8"))
    assert (record["line"], record["row"]) == (None, 2)
    ws = load_workbook(write_rejects(rejects, tmp_path / "r.xlsx", locale="en")).active
    assert ws is not None
    head, cells = [c.value for c in ws[1]], [c.value for c in ws[2]]
    assert (cells[head.index("line")], cells[head.index("row")]) == (None, 2)


def test_a_python_row_in_parquet_is_a_null_line(tmp_path: Path) -> None:
    pq = require("pyarrow.parquet")
    table = pq.read_table(write_rejects(python_rejects(), tmp_path / "r.parquet"))
    assert table.column("line").to_pylist() == [None]
    assert str(table.schema.field("line").type) == "int64"
    assert table.column("row").to_pylist() == [2]


def test_a_file_row_has_its_line_and_its_record(tmp_path: Path) -> None:
    # Lines: 1 the header, 2-5 PERSONS' four people, 6 the blank line (no record),
    # 7 person 5 (record 4), 8 person 6 (record 5).
    persons = PERSONS + "\n5,H1,300,1,1\n6,H9,3,1,1\n"
    lines = persons.splitlines()
    pop = read(files(tmp_path, persons=persons))
    rows = csv_rows(write_rejects(pop.rejects, tmp_path / "r.csv", locale="en"))
    assert [(r["line"], r["row"], r["value"]) for r in rows] == [
        ("7", "4", "300"),
        ("8", "5", "H9"),
    ]
    records = [line for line in lines[1:] if line]
    for r in rows:
        assert r["value"] in lines[int(r["line"]) - 1].split(",")
        assert r["value"] in records[int(r["row"])].split(",")
    assert list(rows[0]) == ["file", "line", "table", "column", "value", "reason", "message", "row"]
    assert pop.rejects.to_columns("en")["row"].tolist() == [4, 5]


@needs("pandas")
def test_a_frame_row_is_line_less_one(tmp_path: Path) -> None:
    import pandas as pd

    persons = pd.DataFrame({"person_id": [1, 2, 3, 4], "household_id": ["H"] * 4, "age": AGES})
    households = pd.DataFrame({"household_id": ["H"], "unit_code": [VILLAGE]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pop = ls.from_dataframe(persons, households=households, hierarchy=HIERARCHY)
    (row,) = csv_rows(write_rejects(pop.rejects, tmp_path / "r.csv", locale="en"))
    assert (row["file"], row["line"], row["row"]) == ("persons", "3", "2")
    assert persons.iloc[int(row["row"])]["age"] == 300


def test_a_table_read_from_no_source_counts_its_rows_as_it_says() -> None:
    """A table without a file says "row N (counted from 1)": N is the row's place from 1.

    It printed the 0-based index under that sentence: the second row was "row 1".
    """
    from learnsoc.io.rejects import FileReject, FileRejects
    from learnsoc.rejects import RejectBatch, Rejects

    ages = ["40", "300", "9"]
    bad = RejectBatch("person", "age", "out_of_range", [1], [ages[1]], "0..120")
    (reject,) = FileRejects.locate(Rejects((bad,), read={"person": 3}), {}).records("en")
    assert isinstance(reject, FileReject)
    assert reject.message.startswith("person, row 2 (counted from 1), column age: value '300'")
    assert (reject.line, reject.row) == (2, 1)
    assert ages[reject.row] == ages[reject.line - 1] == "300"
