"""``nan`` typed in a required number cell is "not a number", not "a value is required".

A count or an age a script could not compute is written ``nan`` (Python's 0/0); the
reject said "a value is required" beside a cell that plainly held something. The words
that say a value is absent (``NA``, ``none``, ``null``, a blank) still say so; in an
optional column (``learning_hours``) ``nan`` is still an unknown value, as a data frame's
NaN is. Both kinds of cell are rejected as before: only the reason changed.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.io.counts import read_counts_rollup
from learnsoc.model.schema import STANDARD_SCHEMA, convert_column

UNITS = "code,name,level,parent_code\n01,A,province,\n" + "".join(
    f"00{i},X{i},commune,01\n" for i in range(1, 6)
)
# Rows 2..6 of the file: nan, NaN, NA, blank, 3 (only the last is a count).
COUNTS = "unit_code,families,learning_families\n001,nan,1\n002, NaN ,1\n003,NA,1\n004,,1\n005,3,1\n"


def _population(folder: Path, persons: str) -> ls.Population:
    (folder / "u.csv").write_text(UNITS, "utf-8")
    (folder / "h.csv").write_text("household_id,unit_code\nH1,001\n", "utf-8")
    (folder / "p.csv").write_text(persons, "utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # units without households
        return ls.read_population(
            folder / "p.csv",
            households=folder / "h.csv",
            units=folder / "u.csv",
            levels=["province", "commune"],
        )


def _reasons(rejects: ls.Rejects) -> list[tuple[int, str, str]]:
    """Each reject's file line (from 1: line 1 is the header), reason and cell."""
    return [(getattr(r, "line", -1), r.reason, r.value) for r in rejects.records()]


def test_nan_in_a_count_is_not_a_number(tmp_path: Path) -> None:
    pop = _population(tmp_path, "person_id,household_id,age\n1,H1,40\n")
    (tmp_path / "c.csv").write_text(COUNTS, "utf-8")
    roll, rejects = read_counts_rollup(tmp_path / "c.csv", pop.hierarchy)
    assert _reasons(rejects) == [
        (2, "not_a_number", "nan"),
        (3, "not_a_number", "NaN"),
        (4, "missing_value", "NA"),
        (5, "missing_value", ""),
    ]
    assert rejects.counts()["counts"] == (5, 1, 4)
    messages = [r.message for r in rejects.records()]
    assert messages[0].endswith("column families: value 'nan' is not a number")
    assert messages[2].endswith("column families: a value is required")
    # The one row read: 3 families.
    assert int(roll.level("total").counts["families"][0]) == 3


@pytest.mark.parametrize("engine", ["python", "pyarrow"])
def test_nan_in_a_persons_age_is_not_a_number_with_either_engine(
    tmp_path: Path, engine: str
) -> None:
    persons = "person_id,household_id,age,learning_hours\n1,H1,nan,nan\n2,H1,NA,2\n3,H1,40,nan\n"
    (tmp_path / "p.csv").write_text(persons, "utf-8")
    (tmp_path / "u.csv").write_text(UNITS, "utf-8")
    (tmp_path / "h.csv").write_text("household_id,unit_code\nH1,001\n", "utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pop = ls.read_population(
            tmp_path / "p.csv",
            households=tmp_path / "h.csv",
            units=tmp_path / "u.csv",
            levels=["province", "commune"],
            engine=engine,  # type: ignore[arg-type]
        )
    assert _reasons(pop.rejects) == [(2, "not_a_number", "nan"), (3, "missing_value", "NA")]
    assert pop.rejects.counts()["person"] == (3, 1, 2)
    # An optional column's nan is an unknown value, not a reject.
    spec = STANDARD_SCHEMA.table("person").column("learning_hours")
    assert pop.person_columns["age"].tolist() == [40]
    assert pop.person_columns["learning_hours"].tolist() == [spec.missing]


def test_only_required_number_columns_say_it() -> None:
    cells = np.array(["nan", "NAN", "null", "1"])
    age = STANDARD_SCHEMA.table("person").column("age")
    _, found = convert_column(cells, age, "person")
    assert [(b.reason, b.rows.tolist()) for b in found] == [
        ("missing_value", [2]),
        ("not_a_number", [0, 1]),
    ]
    hours = STANDARD_SCHEMA.table("person").column("learning_hours")
    stored, found = convert_column(cells, hours, "person")
    assert found == [] and stored[3] == 1
