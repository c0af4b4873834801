"""How each way of giving data numbers a rejected row, and says which way it counts.

Python sequences (``from_columns``, ``from_records``, ``rollup_counts``,
``rollup_batches``): the index into the list or array, counted from 0. Data frames
(``from_dataframe``): the frame's row counted from 1 (row N is ``df.iloc[N - 1]``), as
files count lines. Before, a list's "person row 0" read like a file's line, and nothing
told the two apart. Each number below is found again in the input by hand.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

import learnsoc as ls
from learnsoc.io.rejects import FileReject
from tests.optional import needs

HIERARCHY = ls.synthetic_hierarchy(villages=2, seed=1)
VILLAGE = str(HIERARCHY.codes_at("village")[0])
AGES = [40, 30, 300, 20]  # the third person (index 2) is 300


def only_person_reject(pop: ls.Population) -> ls.rejects.Reject:
    (reject,) = [r for r in pop.rejects.records("en") if r.table == "person"]
    return reject


def test_from_columns_counts_from_0() -> None:
    persons = {"person_id": [1, 2, 3, 4], "household_id": ["H"] * 4, "age": AGES}
    pop = ls.Population.from_columns(
        persons, {"household_id": ["H"], "unit_code": [VILLAGE]}, HIERARCHY
    )
    reject = only_person_reject(pop)
    assert AGES[reject.row] == 300 and reject.row == 2  # persons["age"][2]
    assert reject.message.startswith("person row 2 (counted from 0), column age:")
    assert "person row 2 (counted from 0)" in pop.rejects.to_html("en")
    assert "người, dòng 2 (đếm từ 0), cột age" in pop.rejects.to_html("vi")


def test_from_records_counts_from_0() -> None:
    people = [ls.Person(i + 1, "H", age=a) for i, a in enumerate(AGES)]
    pop = ls.Population.from_records(people, [ls.Household("H", VILLAGE)], HIERARCHY)
    reject = only_person_reject(pop)
    assert people[reject.row].age == 300 and reject.row == 2
    assert reject.message.startswith("person row 2 (counted from 0), column age:")


def test_rollup_counts_counts_from_0() -> None:
    codes = [VILLAGE, "X9"]
    table = {"unit_code": codes, "families": [10, 4]}
    roll = ls.rollup_counts(table, HIERARCHY)
    assert roll.rejects is not None
    (reject,) = roll.rejects.records("en")
    assert codes[reject.row] == "X9" and reject.row == 1
    assert reject.message.startswith("counts row 1 (counted from 0), column unit_code:")
    assert "số liệu tổng hợp, dòng 1 (đếm từ 0)" in roll.rejects.to_html("vi")


def test_rollup_batches_counts_from_0_across_batches() -> None:
    batches = [{"unit_code": np.array([VILLAGE, VILLAGE])}, {"unit_code": np.array(["X9"])}]
    roll = ls.rollup_batches(batches, HIERARCHY, {"persons": "person"})
    assert roll.rejects is not None
    (reject,) = roll.rejects.records("en")
    assert reject.row == 2  # the first row of the second batch, after two
    assert reject.message.startswith("person row 2 (counted from 0)")


@needs("pandas")
def test_from_dataframe_counts_from_1() -> None:
    import pandas as pd

    persons = pd.DataFrame({"person_id": [1, 2, 3, 4], "household_id": ["H"] * 4, "age": AGES})
    households = pd.DataFrame({"household_id": ["H"], "unit_code": [VILLAGE]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pop = ls.from_dataframe(persons, households=households, hierarchy=HIERARCHY)
    reject = only_person_reject(pop)
    assert isinstance(reject, FileReject)
    assert persons.iloc[reject.line - 1]["age"] == 300 and reject.line == 3
    assert reject.row == 2  # the record, counted from 0 as every Reject.row
    assert reject.message.startswith("persons, row 3 (counted from 1), column age:")
    assert "bảng nhân khẩu, dòng 3 (đếm từ 1)" in pop.rejects.to_html("vi")


def test_a_file_names_its_line(tmp_path: Path) -> None:
    folder = tmp_path
    (folder / "p.csv").write_text(
        "person_id,household_id,age\n1,H,40\n2,H,30\n3,H,300\n4,H,20\n", "utf-8"
    )
    (folder / "h.csv").write_text(f"household_id,unit_code\nH,{VILLAGE}\n", "utf-8")
    pop = ls.read_population(folder / "p.csv", households=folder / "h.csv", hierarchy=HIERARCHY)
    reject = only_person_reject(pop)
    assert isinstance(reject, FileReject)
    assert (reject.row, reject.line) == (2, 4)  # line 1 is the header
    assert "line 4, column age" in reject.message and "counted from" not in reject.message
