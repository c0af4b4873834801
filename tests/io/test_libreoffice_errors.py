"""LibreOffice's error values and a too narrow column's ``####`` are ``excel_error`` rejects.

A CSV file exported from LibreOffice Calc writes a failed formula's cell as ``Err:502``
(invalid argument), ``Err:504`` ...; Excel and LibreOffice both export a number or date
whose column was too narrow as ``########`` (the cell's shown text). Neither is a value.
They were read as one: an unknown unit or household, a person of id ``Err:502``, or a
``not_a_number`` reject that did not say what happened. Now both are ``excel_error``
rejects wherever Excel's ``#N/A`` is one, by both CSV engines, and ``####`` is said as
a too narrow column (en, vi).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.cli import main
from tests.io.helpers import HOUSEHOLDS, PERSONS, UNITS, files, problems, read, write
from tests.test_cli_jobs import BOOK, province  # noqa: F401  (a fixture)

ENGINES = ["python", "pyarrow"]


@pytest.mark.parametrize("engine", ENGINES)
def test_libreoffice_errors_and_hashes_in_persons_households_and_units(
    tmp_path: Path, engine: str
) -> None:
    if engine == "pyarrow":
        pytest.importorskip("pyarrow")
    units = UNITS + "00001003,Tổ 9,Err:502,00001\n"  # a level looked up by a formula
    households = HOUSEHOLDS + "Err:504,00001001,1\nH4,00001002,###\n"
    persons = PERSONS + (
        "5,Err:504,40,1,1\n"  # the household's lookup failed
        "6,H1,########,2,1\n"  # an age in a column too narrow
        "7,H1,30,1, err:502 \n"  # any case, trimmed
        "Err:508,H2,30,1,1\n"
        "8,H2,31,##,1\n"
    )
    pop = read(files(tmp_path, persons=persons, households=households, units=units), engine=engine)
    assert sorted(problems(pop)) == [
        ("households.csv", 5, "household_id", "Err:504", "excel_error"),
        ("households.csv", 6, "registered", "###", "excel_error"),
        ("persons.csv", 6, "household_id", "Err:504", "excel_error"),
        ("persons.csv", 7, "age", "########", "excel_error"),
        ("persons.csv", 8, "literate", "err:502", "excel_error"),
        ("persons.csv", 9, "person_id", "Err:508", "excel_error"),
        ("persons.csv", 10, "sex", "##", "excel_error"),
        ("units.csv", 8, "level", "Err:502", "excel_error"),
    ]
    # 4 + 5 persons read, each new one rejected; 3 + 2 households, the new two rejected.
    assert pop.rejects.counts()["person"] == (9, 4, 5)
    assert pop.rejects.counts()["household"] == (5, 3, 2)
    assert "Err:508" not in pop.person_ids.astype(str).tolist()


@pytest.mark.parametrize("engine", ENGINES)
def test_look_alikes_are_not_error_values(tmp_path: Path, engine: str) -> None:
    """One ``#`` may be a mark; ``Err:50``, ``Error`` and ``Err:5021`` are no LibreOffice code."""
    if engine == "pyarrow":
        pytest.importorskip("pyarrow")
    persons = PERSONS + "#,H1,40,1,1\nErr:50,H1,41,1,1\nError,H1,42,1,1\n9,H1,Err:5021,1,1\n"
    pop = read(files(tmp_path, persons=persons), engine=engine)
    assert [p[1:] for p in problems(pop)] == [(9, "age", "Err:5021", "not_a_number")]
    ids = pop.person_ids.astype(str).tolist()
    assert {"#", "Err:50", "Error"} <= set(ids)


def test_libreoffice_errors_and_hashes_in_counts() -> None:
    h = ls.Hierarchy.from_units(
        {"code": ["01", "02", "03"], "level": ["province"] * 3, "parent_code": [None] * 3},
        levels=["province"],
    )
    table = {
        "unit_code": ["01", "02", "03", "Err:504"],
        "families": ["10", "#######", "8", "1"],
        "learning_families": ["Err:502", "3", "5", "1"],
    }
    roll = ls.rollup_counts(table, h)
    assert roll.rejects is not None
    found = [(r.row, r.column, r.value, r.reason) for r in roll.rejects.records("en")]
    assert found == [
        (0, "learning_families", "Err:502", "excel_error"),
        (1, "families", "#######", "excel_error"),
        (3, "unit_code", "Err:504", "excel_error"),
    ]
    assert roll.level("total").counts["families"].tolist() == [8]  # the third unit's only
    en = [r.message for r in roll.rejects.records("en")]
    vi = [r.message for r in roll.rejects.records("vi")]
    assert (
        "the cell holds '#######', what a spreadsheet shows when the column is too narrow"
        in (en[1])
    )
    assert "ô chứa '#######': bảng tính hiển thị như vậy khi cột quá hẹp" in vi[1]
    assert "the cell holds the spreadsheet error 'Err:502', not a value" in en[0]
    assert "ô chứa lỗi 'Err:502' của bảng tính" in vi[0]


def test_libreoffice_errors_in_an_inputs_file(
    province: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(province)
    head, first, second, *rest = (province / "commune.csv").read_text("utf-8").splitlines()
    value = first.split(";")
    value[1] = "########"
    key = second.split(";")
    key[0] = "Err:502"
    lines = [head, ";".join(value), ";".join(key), *rest]
    write(province, "errors.csv", "\n".join(lines) + "\n")
    base = ["evaluate", "persons.csv", "--households", "households.csv", "--units", "units.csv"]
    assert main([*base, *BOOK, "--inputs", "commune=errors.csv", "--rejects", "r.csv"]) == 1
    n = len(lines) - 1
    assert f"commune inputs: read {n}, accepted {n - 2}, 2 rows rejected" in capsys.readouterr().err
    rejects = (province / "r.csv").read_text("utf-8-sig").splitlines()
    assert [r.split(",")[:6] for r in rejects[1:]] == [
        ["errors.csv", "2", "commune inputs", head.split(";")[1], "########", "excel_error"],
        ["errors.csv", "3", "commune inputs", head.split(";")[0], "Err:502", "excel_error"],
    ]


def test_a_counts_file_exported_by_libreoffice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """As LibreOffice exports CSV: its error and a too narrow column, by the CLI."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "u.csv", "code,level,parent_code\n01,province,\n02,province,\n03,province,\n")
    write(tmp_path, "c.csv", "unit_code,families\n01,Err:502\n02,########\n03,7\n")
    argv = ["rollup", "--counts", "c.csv", "--units", "u.csv", "--levels", "province"]
    argv += ["--out", "o.csv"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "counts: read 3, accepted 1, 2 rows rejected" in err
    assert "counts: excel_error in families: 2 rows" in err
