"""A workbook has rows, a CSV lines: rejects say so, with the same number either way.

Rejects from an .xlsx said "line 3" while the sheet's own warnings said "row 3" for the
same spreadsheet row.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import learnsoc as ls

H = ls.Hierarchy.from_units(
    {
        "code": ["P", "C", "V1"],
        "level": ["province", "commune", "village"],
        "parent_code": [None, "P", "C"],
    },
    levels="vn-2025",
)
PERSONS: list[list[int | str]] = [
    ["person_id", "household_id", "age"],
    [1, 1, 30],
    [2, 1, "abc"],
    [3, 1, 40],
]


def _read(tmp_path: Path, suffix: str) -> ls.Population:
    persons = tmp_path / f"persons{suffix}"
    if suffix == ".csv":
        persons.write_text("\n".join(",".join(str(v) for v in r) for r in PERSONS) + "\n")
    else:
        wb = openpyxl.Workbook()
        for r in PERSONS:
            wb.active.append(r)
        wb.save(persons)
    households = tmp_path / "households.csv"
    households.write_text("household_id,unit_code\n1,V1\n")
    return ls.read_population(persons, households=households, hierarchy=H)


def _bad_row(path: Path) -> int:
    """The spreadsheet's row of the bad age, as Excel numbers it (found by openpyxl)."""
    ws = openpyxl.load_workbook(path).active
    return int(next(c.row for row in ws.iter_rows() for c in row if c.value == "abc"))


@pytest.mark.parametrize(
    ("suffix", "en", "vi"), [(".xlsx", "row", "dòng"), (".csv", "line", "dòng")]
)
def test_a_reject_says_row_in_a_workbook_and_line_in_a_csv(
    tmp_path: Path, suffix: str, en: str, vi: str
) -> None:
    pop = _read(tmp_path, suffix)
    n = _bad_row(tmp_path / "persons.xlsx") if suffix == ".xlsx" else 3
    (reject,) = pop.rejects.records(locale="en")
    assert f"persons{suffix}, {en} {n}, column age: " in reject.message
    (reject,) = pop.rejects.records(locale="vi")
    assert f"persons{suffix}, {vi} {n}, cột age: " in reject.message
    assert pop.rejects.to_columns()["line"].tolist() == [n]  # the number is unchanged
    assert pop.n_persons + 1 == len(PERSONS) - 1  # accepted + rejected = read
