"""Long ids Excel has shortened: ``1.23457E+11`` in an id column is a reject, not an id.

A 12-digit citizen id (CCCD) typed in a General cell shows as ``1.23457E+11``; a CSV
export writes what the cell shows, so the last digits are lost and persons collapse
into one id. In an .xlsx file a number beyond 2**53 holds no exact integer: ``1e20``
was read as the digits ``100000000000000000000`` it never had.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.io.helpers import HOUSEHOLDS, PERSONS, files, problems, read

ENGINES = ["python", "pyarrow"]


def _engine(engine: str) -> None:
    if engine == "pyarrow":
        pytest.importorskip("pyarrow")


@pytest.mark.parametrize("engine", ENGINES)
def test_a_person_id_in_scientific_notation_is_rejected_by_name(
    tmp_path: Path, engine: str
) -> None:
    _engine(engine)
    # Rows 6..10 (line 1 is the header); 1,23457E+11 is quoted (the comma is the delimiter).
    persons = PERSONS + (
        "1.23457E+11,H1,40,1,1\n"
        "1.23457E+11,H2,41,2,1\n"
        '"1,23457E+11",H2,30,1,1\n'
        " 1e+11 ,H2,3,1,1\n"
        "123456789012,H3,33,2,1\n"  # the same id kept as Text: read
    )
    pop = read(files(tmp_path, persons=persons), engine=engine)
    assert [p[1:] for p in problems(pop)] == [
        (6, "person_id", "1.23457E+11", "scientific_notation"),
        (7, "person_id", "1.23457E+11", "scientific_notation"),  # not a duplicate_id
        (8, "person_id", "1,23457E+11", "scientific_notation"),
        (9, "person_id", "1e+11", "scientific_notation"),
    ]
    # 9 rows read: the 4 of PERSONS and 123456789012 accepted, 4 rejected.
    assert pop.rejects.counts()["person"] == (9, 5, 4)
    assert pop.n_persons == 5
    en, vi = pop.rejects.records("en")[0].message, pop.rejects.records("vi")[0].message
    assert "line 6, column person_id: id '1.23457E+11' is a long number Excel has shortened" in en
    assert "format the column as Text" in en
    assert "đã bị Excel rút gọn" in vi and "định dạng cột là Text" in vi


@pytest.mark.parametrize("engine", ENGINES)
def test_household_ids_in_scientific_notation_are_rejected_in_both_files(
    tmp_path: Path, engine: str
) -> None:
    _engine(engine)
    households = HOUSEHOLDS + "1.2E+11,00001001,1\n1E+11,00001002,1\n"
    persons = PERSONS + "5,1.2E+11,40,1,1\n6,H1,41,2,1\n7,1E11,30,1,1\n"
    pop = read(files(tmp_path, persons=persons, households=households), engine=engine)
    assert [p[:3] + p[4:] for p in problems(pop)] == [
        ("households.csv", 5, "household_id", "scientific_notation"),
        ("households.csv", 6, "household_id", "scientific_notation"),
        # A reference is named as shortened, not as an unknown household.
        ("persons.csv", 6, "household_id", "scientific_notation"),
        # No sign in its exponent: Excel never writes that; an id that is not found.
        ("persons.csv", 8, "household_id", "unknown_household"),
    ]
    assert pop.rejects.counts()["household"] == (5, 3, 2)
    assert pop.rejects.counts()["person"] == (7, 5, 2)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_unit_code_in_scientific_notation_is_rejected(tmp_path: Path, engine: str) -> None:
    _engine(engine)
    households = HOUSEHOLDS + "H4,1.00001E+7,1\n"
    pop = read(files(tmp_path, households=households), engine=engine)
    assert [p[1:] for p in problems(pop)] == [
        (5, "unit_code", "1.00001E+7", "scientific_notation"),
    ]
    assert pop.rejects.counts()["household"] == (4, 3, 1)


def test_an_xlsx_number_beyond_2_53_in_an_id_column_is_rejected(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    from tests.io.test_excel import workbook

    paths = files(tmp_path)
    head = ["person_id", "household_id", "age", "sex", "literate"]
    rows = [
        [1e20, "H1", 40, 1, 1],  # was read as the id "100000000000000000000"
        [1e20 + 2**24, "H1", 41, 2, 0],  # another float, 100000000000016777216
        [123456789012, "H2", 30, 1, 1],  # a CCCD as a number: exact, read
        [4, "H2", 30, 1, 1],
    ]
    paths["persons"] = workbook(tmp_path / "persons.xlsx", [head, *rows])
    pop = read(paths)
    assert [p[1:] for p in problems(pop)] == [
        (2, "person_id", "1e+20", "scientific_notation"),
        (3, "person_id", "1.000000000000168e+20", "scientific_notation"),
    ]
    assert pop.rejects.counts()["person"] == (4, 2, 2)
    assert sorted(pop.ids("person").tolist()) == ["123456789012", "4"]
