"""A workbook's number key of 16 digits or more is ``digits_lost`` in inputs and counts files.

Excel keeps 15 significant digits: a 16-digit household id typed into a number cell is
saved with its last digit 0. The persons and households readers refuse such an id
(``digits_lost``); an ``--inputs`` file's key and a counts file's unit code were read as
the digits saved, so an evaluator's row for household ``...456`` went to household
``...450`` without a word. The same key typed as text (a Text cell) is read as it is.
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from learnsoc.cli import main
from tests.io.helpers import write
from tests.test_cli_jobs import BOOK

UNITS = """code,name,level,parent_code
01,Hà Nội,province,
00001,Phường Ba Đình,commune,01
00001001,Tổ 1,village,00001
1234567890123450,Tổ 2,village,00001
"""
# Two households whose ids differ in their 16th digit, and a short one (CSV: text, exact).
HOUSEHOLDS = """household_id,unit_code
1234567890123450,00001001
1234567890123456,00001001
42,00001001
"""
PERSONS = """person_id,household_id,age,sex,literate
1,1234567890123450,40,1,1
2,1234567890123456,41,2,1
3,42,42,2,1
"""
LEVELS = ["--levels", "province,commune,village"]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, text in (("u.csv", UNITS), ("h.csv", HOUSEHOLDS), ("p.csv", PERSONS)):
        write(tmp_path, name, text)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _workbook(path: Path, rows: list[list[object]]) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    wb.save(path)


def _rejects(path: Path) -> list[tuple[str, str, str, str]]:
    with path.open(encoding="utf-8-sig") as fh:
        return [(r["line"], r["column"], r["value"], r["reason"]) for r in csv.DictReader(fh)]


def test_a_long_number_key_of_an_inputs_workbook_is_digits_lost(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _workbook(
        folder / "hin.xlsx",
        [
            ["household_id", "children_results_good"],
            [1234567890123450, "Có"],  # a number cell: was read as household ...450
            ["1234567890123456", "Có"],  # a Text cell: the id as typed
            [42, "Không"],  # a short number: an id as it is
        ],
    )
    argv = ["evaluate", "p.csv", "--households", "h.csv", "--units", "u.csv", *LEVELS, *BOOK]
    assert main([*argv, "--inputs", "household=hin.xlsx", "--rejects", "r.csv"]) == 1
    assert "household inputs: read 3, accepted 2, 1 row rejected" in capsys.readouterr().err
    assert _rejects(folder / "r.csv") == [("2", "household_id", "1234567890123450", "digits_lost")]


def test_a_long_number_unit_code_of_a_counts_workbook_is_digits_lost(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _workbook(
        folder / "c.xlsx",
        [
            ["unit_code", "families"],
            [1234567890123450, 7],  # a number cell: was read as the village ...450
            ["00001001", 5],
        ],
    )
    argv = ["rollup", "--counts", "c.xlsx", "--units", "u.csv", *LEVELS, "--level", "village"]
    assert main([*argv, "--out", "o.csv", "--rejects", "r.csv"]) == 1
    assert "counts: read 2, accepted 1, 1 row rejected" in capsys.readouterr().err
    assert _rejects(folder / "r.csv") == [("2", "unit_code", "1234567890123450", "digits_lost")]
    with (folder / "o.csv").open(encoding="utf-8-sig") as fh:
        province = next(csv.DictReader(fh))
    assert province["families"] == "5"  # the one accepted village's
