"""Spreadsheet error values (``#N/A``, ``#VALUE!`` ...) are ``excel_error`` rejects.

A formula that failed (a ``VLOOKUP`` that found no household) leaves its error value in
the cell: an error cell in the workbook, a formula cell whose saved result is an error,
or that text in a CSV export. It was read as a value: ``#N/A`` in ``household_id`` was a
household of that id (persons whose lookup failed all joined it), an unknown household,
or some bad number or code. Each such cell is now refused with its own reason, naming
the file, line and column, by both CSV engines and the Excel reader.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import learnsoc as ls
from tests.io.helpers import HOUSEHOLDS, PERSONS, UNITS, files, problems, read

ENGINES = ["python", "pyarrow"]

#: The error values the brief names, as Excel writes them.
NAMED = [
    "#N/A",
    "#VALUE!",
    "#REF!",
    "#DIV/0!",
    "#NAME?",
    "#NUM!",
    "#NULL!",
    "#SPILL!",
    "#CALC!",
    "#GETTING_DATA",
]

#: And the rarer ones of newer Excel, and Google Sheets' own.
OTHERS = ["#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#PYTHON!", "#EXTERNAL!"]


def _engine(engine: str) -> None:
    if engine == "pyarrow":
        pytest.importorskip("pyarrow")


def _lines_with_errors(text: str) -> list[int]:
    """Return the lines (1 = header) holding a cell that starts with ``#``: the oracle."""
    lines = text.splitlines()
    return [
        k
        for k, line in enumerate(lines, 1)
        if k > 1 and any(c.strip().startswith("#") for c in line.split(","))
    ]


@pytest.mark.parametrize("engine", ENGINES)
def test_error_values_in_csv_cells_are_rejected_by_name(tmp_path: Path, engine: str) -> None:
    _engine(engine)
    households = HOUSEHOLDS + "#N/A,00001001,1\nH4,00001002,#NUM!\n"
    persons = PERSONS + (
        "5,#N/A,40,1,1\n"  # the lookup of the household failed: no household '#N/A'
        "6,#N/A,41,2,1\n"
        "7,H1,#VALUE!,1,1\n"
        "8,H1,30,1,#DIV/0!\n"
        "#NAME?,H1,30,1,1\n"
        "9,H2, #n/a ,1,1\n"  # any case, trimmed
        "10,H2,30,#REF!,1\n"
    )
    pop = read(files(tmp_path, persons=persons, households=households), engine=engine)
    assert sorted(problems(pop)) == [
        ("households.csv", 5, "household_id", "#N/A", "excel_error"),
        ("households.csv", 6, "registered", "#NUM!", "excel_error"),
        ("persons.csv", 6, "household_id", "#N/A", "excel_error"),
        ("persons.csv", 7, "household_id", "#N/A", "excel_error"),
        ("persons.csv", 8, "age", "#VALUE!", "excel_error"),
        ("persons.csv", 9, "literate", "#DIV/0!", "excel_error"),
        ("persons.csv", 10, "person_id", "#NAME?", "excel_error"),
        ("persons.csv", 11, "age", "#n/a", "excel_error"),
        ("persons.csv", 12, "sex", "#REF!", "excel_error"),
    ]
    # Counted from the text: a row is rejected when one of its cells is an error value.
    bad_h, bad_p = _lines_with_errors(households), _lines_with_errors(persons)
    n_h, n_p = households.count("\n") - 1, persons.count("\n") - 1
    assert pop.rejects.counts()["household"] == (n_h, n_h - len(bad_h), len(bad_h))
    assert pop.rejects.counts()["person"] == (n_p, n_p - len(bad_p), len(bad_p))
    assert "#N/A" not in pop.household_ids.astype(str).tolist()
    en = [r.message for r in pop.rejects.records("en")]
    vi = [r.message for r in pop.rejects.records("vi")]
    assert any(
        "line 6, column household_id: the cell holds the spreadsheet error '#N/A', not a value" in m
        for m in en
    )
    assert any("ô chứa lỗi '#N/A' của bảng tính" in m for m in vi)


def test_both_engines_give_the_same_rejects(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    persons = PERSONS + "#N/A,H1,40,1,1\n6,#REF!,41,2,1\n7,H1,#DIV/0!,1,#NAME?\n"
    paths = files(tmp_path, persons=persons)
    python, arrow = read(paths, engine="python"), read(paths, engine="pyarrow")
    assert problems(python) == problems(arrow)
    assert python.rejects.counts() == arrow.rejects.counts()
    assert [r[4] for r in problems(python)] == ["excel_error"] * 4


@pytest.mark.parametrize("engine", ENGINES)
def test_every_error_value_is_recognised_in_a_number_column(tmp_path: Path, engine: str) -> None:
    _engine(engine)
    values = [*NAMED, *OTHERS, "#ERROR!", "#n/a", "#value!"]
    persons = PERSONS + "".join(f"{k},H1,{v},1,1\n" for k, v in enumerate(values, 5))
    pop = read(files(tmp_path, persons=persons), engine=engine)
    found = problems(pop)
    assert [(p[2], p[3], p[4]) for p in found] == [("age", v, "excel_error") for v in values]
    assert pop.rejects.counts()["person"] == (4 + len(values), 4, len(values))


@pytest.mark.parametrize("engine", ENGINES)
def test_words_like_error_values_are_not_error_values(tmp_path: Path, engine: str) -> None:
    _engine(engine)
    # A '#' that is no error value: an id read as it is, a number refused as before.
    persons = PERSONS + "#5,H1,40,1,1\n6,H1,#N/A!,1,1\n7,H1,N/A,1,1\n"
    pop = read(files(tmp_path, persons=persons), engine=engine)
    assert [p[1:] for p in problems(pop)] == [
        (7, "age", "#N/A!", "not_a_number"),
        (8, "age", "N/A", "not_a_number"),
    ]
    assert "#5" in pop.person_ids.astype(str).tolist()


def test_error_values_in_birth_dates_birth_years_and_unit_levels(tmp_path: Path) -> None:
    units = UNITS + "00001003,Tổ 9,#N/A,00001\n"
    persons = "person_id,household_id,birth_date,sex,literate\n1,H1,15/03/1975,1,1\n"
    persons += "2,H1,#N/A,2,0\n3,H2, #VALUE! ,2,0\n"
    pop = read(files(tmp_path, persons=persons, units=units), reference_year=2025)
    # Not a date written wrong, and no missing age besides.
    assert problems(pop) == [
        ("units.csv", 8, "level", "#N/A", "excel_error"),
        ("persons.csv", 3, "birth_date", "#N/A", "excel_error"),
        ("persons.csv", 4, "birth_date", "#VALUE!", "excel_error"),
    ]
    assert pop.rejects.counts()["person"] == (3, 1, 2)
    years = "person_id,household_id,birth_year,sex,literate\n1,H1,1975,1,1\n2,H1,#N/A,2,0\n"
    pop = read(files(tmp_path, persons=years), reference_year=2025)
    assert problems(pop) == [("persons.csv", 3, "birth_year", "#N/A", "excel_error")]


def test_error_values_in_counts_are_rejected() -> None:
    h = ls.Hierarchy.from_units(
        {"code": ["01", "02", "03"], "level": ["province"] * 3, "parent_code": [None] * 3},
        levels=["province"],
    )
    table = {
        "unit_code": ["01", "02", "03", "#N/A", "#N/A"],  # not unknown units, nor copies
        "families": ["10", "#N/A", "8", "1", "1"],
        "learning_families": ["#DIV/0!", "3", "5", "1", "1"],
    }
    roll = ls.rollup_counts(table, h, rates={"lf": ("learning_families", "families")})
    assert roll.rejects is not None
    found = [(r.row, r.column, r.value, r.reason) for r in roll.rejects.records("en")]
    assert found == [
        (0, "learning_families", "#DIV/0!", "excel_error"),
        (1, "families", "#N/A", "excel_error"),
        (3, "unit_code", "#N/A", "excel_error"),
        (4, "unit_code", "#N/A", "excel_error"),
    ]
    # Only the third unit's counts are added up.
    assert roll.level("total").counts["families"].tolist() == [8]


def _error_cells(xml: str) -> str:
    """Turn the placeholders into formula cells whose saved result is an error value."""

    def formula(m: re.Match[str]) -> str:
        error = {"ERR_HH": "#N/A", "ERR_AGE": "#REF!", "ERR_BOOL": "#SPILL!"}[m[2]]
        return f'<c r="{m[1]}" t="e"><f>VLOOKUP(A2,Sheet2!A:B,2,0)</f><v>{error}</v></c>'

    return re.sub(
        r'<c r="([A-Z]+[0-9]+)" t="inlineStr"><is><t>(ERR_[A-Z]+)</t></is></c>', formula, xml
    )


def test_error_cells_of_a_workbook_are_rejected(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    from tests.io.test_excel import workbook

    head = ["person_id", "household_id", "age", "sex", "literate"]
    rows: list[list[Any]] = [
        [1, "H1", 40, 1, 1],
        [2, "#N/A", 9, 2, 0],  # an error cell (openpyxl writes t="e")
        [3, "H2", "#VALUE!", 2, 1],
        [4, "H2", 70, 1, "#DIV/0!"],
        [5, "ERR_HH", 30, 1, 1],  # formulas whose saved results are errors
        [6, "H2", "ERR_AGE", 1, 1],
        ["#NAME?", "H3", 30, 1, 1],
        [8, "H3", 33, 2, "ERR_BOOL"],
        [9, "H3", 33, 2, 1],
    ]
    paths = files(tmp_path)
    paths["persons"] = workbook(tmp_path / "persons.xlsx", [head, *rows], edit=_error_cells)
    pop = read(paths)
    assert sorted(p[1:] for p in problems(pop)) == [
        (3, "household_id", "#N/A", "excel_error"),
        (4, "age", "#VALUE!", "excel_error"),
        (5, "literate", "#DIV/0!", "excel_error"),
        (6, "household_id", "#N/A", "excel_error"),
        (7, "age", "#REF!", "excel_error"),
        (8, "person_id", "#NAME?", "excel_error"),
        (9, "literate", "#SPILL!", "excel_error"),
    ]
    bad = [r for r in rows if any(str(c).startswith(("#", "ERR_")) for c in r)]
    assert pop.rejects.counts()["person"] == (len(rows), len(rows) - len(bad), len(bad))
    assert sorted(pop.person_ids.astype(str).tolist()) == ["1", "9"]


def test_text_ids_given_as_arrays_are_checked_for_error_values() -> None:
    h = ls.synthetic_hierarchy(villages=2, seed=1)
    village = h.codes_at("village")
    pop = ls.Population.from_columns(
        persons={
            "person_id": np.array(["P1", "#N/A", "#N/A", "P4"]),
            "household_id": np.array(["H1", "H1", "H1", "#REF!"]),
            "age": np.array([30, 31, 32, 33], np.uint8),
        },
        households={"household_id": ["H1", "H2"], "unit_code": [village[0], "#N/A"]},
        hierarchy=h,
    )
    found = [(r.table, r.row, r.column, r.value, r.reason) for r in pop.rejects.records("en")]
    assert found == [
        ("household", 1, "unit_code", "#N/A", "excel_error"),
        # Not a duplicate_id: neither copy is an id.
        ("person", 1, "person_id", "#N/A", "excel_error"),
        ("person", 2, "person_id", "#N/A", "excel_error"),
        ("person", 3, "household_id", "#REF!", "excel_error"),
    ]
    assert pop.rejects.counts()["person"] == (4, 1, 3)
