"""Birth dates with a time of day: the day is the date.

A date cell filled from a database's timestamps holds a time as well; its date format
shows the day alone (15/03/1975), and Excel's CSV export of a cell formatted with a time
writes ``15/03/1975 0:00``. Such cells were ``not_a_date`` rejects ("expected dd/mm/yyyy
..."), though the date is there; only midnight in ISO form (``1975-03-15 00:00``) was read.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import learnsoc as ls
from tests.optional import require

UNITS = "code,level,parent_code\n01,province,\n001,village,01\n"
HOUSEHOLDS = "household_id,unit_code\nH1,001\n"


def _read(tmp_path: Path, persons: Path) -> ls.Population:
    (tmp_path / "units.csv").write_text(UNITS, "utf-8")
    (tmp_path / "hh.csv").write_text(HOUSEHOLDS, "utf-8")
    return ls.read_population(
        persons,
        households=tmp_path / "hh.csv",
        units=tmp_path / "units.csv",
        levels=["province", "village"],
        reference_year=2025,
    )


def test_a_csv_s_dates_with_a_time_are_read_as_their_day(tmp_path: Path) -> None:
    persons = tmp_path / "nhan_khau.csv"
    persons.write_text(
        "person_id;household_id;birth_date\n"
        "P1;H1;15/03/1975 0:00\n"  # Excel vi-VN's CSV of a date-and-time cell
        "P2;H1;02/09/1978 14:30:00\n"
        "P3;H1;1980-01-31 08:15:00\n"
        "P4;H1;31/12/1999 23:59\n"
        "P5;H1;15/03/1975 25:00\n"  # no time of day: no date either
        "P6;H1;15/03/1975 0:60\n",
        "utf-8",
    )
    pop = _read(tmp_path, persons)
    # Ages on 31/12/2025: 2025 - 1975, 2025 - 1978, 2025 - 1980, 2025 - 1999.
    assert pop.person_ids.tolist() == ["P1", "P2", "P3", "P4"]
    assert pop.column("person", "age").tolist() == [50, 47, 45, 26]
    refused = [(r.value, r.reason) for r in pop.rejects.records(locale="en")]
    assert refused == [("15/03/1975 25:00", "not_a_date"), ("15/03/1975 0:60", "not_a_date")]


def test_an_excel_date_cell_holding_a_time_is_read_as_its_day(tmp_path: Path) -> None:
    openpyxl = require("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["person_id", "household_id", "birth_date"])
    # Serial 27468.5 is 15/03/1975 at noon; 36525.999 is 31/12/1999 at 23:58:33.
    ws.append(["P1", "H1", dt.datetime(1975, 3, 15, 12, 0)])
    ws.append(["P2", "H1", dt.datetime(1999, 12, 31, 23, 58, 33)])
    for row in (2, 3):
        ws.cell(row, 3).number_format = "dd/mm/yyyy"  # shown as the day alone
    wb.save(tmp_path / "nhan_khau.xlsx")
    pop = _read(tmp_path, tmp_path / "nhan_khau.xlsx")
    assert pop.rejects.counts()["person"] == (2, 2, 0)
    assert pop.column("person", "age").tolist() == [50, 26]


@pytest.mark.parametrize("cell", ["1905-06-12 08:00", "12/06/1905 0:00"])
def test_a_typed_year_shown_as_a_date_with_a_time_is_still_said(tmp_path: Path, cell: str) -> None:
    """1990 typed into a date cell shows as 12/06/1905: with a time it is still refused as
    the year it is (number_as_date), never an age of 120."""
    persons = tmp_path / "nhan_khau.csv"
    persons.write_text(f"person_id;household_id;birth_date\nP1;H1;{cell}\n", "utf-8")
    pop = _read(tmp_path, persons)
    [refused] = pop.rejects.records(locale="en")
    assert refused.reason == "number_as_date"
    assert "1990" in refused.message
