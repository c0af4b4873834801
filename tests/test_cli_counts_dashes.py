"""A lone dash in a counts file's cell is a form's "none": read as 0, and said so.

On Vietnamese statistical forms ``-`` (or ``–``, ``—``) where a count is asked means
none. One such cell rejected its whole counts row (``missing_value`` for ``-``,
``not_a_number`` for the others), so the commune's other counts were lost. Now it reads
as 0, and the count of such cells is said on the line of rows read, in English and
Vietnamese; a blank cell is still no answer (``missing_value``) and ``-5`` still a
negative count (``out_of_range``).
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import openpyxl
import pytest

import learnsoc as ls
from learnsoc.cli import main
from tests.io.helpers import write

UNITS = """code,name,level,parent_code
01,Hà Nội,province,
00001,Phường Ba Đình,commune,01
00004,Phường Ngọc Hà,commune,01
00007,Phường Kim Mã,commune,01
00010,Phường Giảng Võ,commune,01
"""
ROLLUP = ["rollup", "--counts", "c.xlsx", "--units", "u.csv", "--levels", "province,commune"]
ROLLUP += ["--out", "o.csv", "--rejects", "r.csv"]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(tmp_path, "u.csv", UNITS)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _workbook(path: Path, rows: list[list[object]]) -> None:
    """Save the rows as a clerk's workbook: a header, the communes, maybe a totals row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["unit_code", "Tên xã", "families", "learning_families"])
    for row in rows:
        ws.append(row)
    wb.save(path)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


ROWS: list[list[object]] = [
    ["00001", "Phường Ba Đình", 10, "-"],
    ["00004", "Phường Ngọc Hà", 20, " – "],  # an en dash, spaces around it
    ["00007", "Phường Kim Mã", "—", "—"],  # em dashes: no families at all
    ["00010", "Phường Giảng Võ", 8, 5],
]


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        ("en", "counts: read 4, accepted 4, 0 rows rejected, 4 cells '-' read as 0"),
        ("vi", "số liệu tổng hợp: đọc 4, nhận 4, 0 dòng bị loại, 4 ô '-' được đọc là 0"),
    ],
)
def test_dashes_read_as_zero_keep_their_rows_and_are_counted(
    folder: Path, capsys: pytest.CaptureFixture[str], locale: str, said: str
) -> None:
    _workbook(folder / "c.xlsx", ROWS)
    assert main([*ROLLUP, "--locale", locale]) == 0
    assert said in capsys.readouterr().err
    assert not (folder / "r.csv").exists() or _rows(folder / "r.csv") == []
    # Every row counts: 10 + 20 + 0 + 8 families, 0 + 0 + 0 + 5 learning ones.
    province = _rows(folder / "o.csv")[0]
    assert (province["families"], province["learning_families"]) == ("38", "5")
    assert province["units_reporting"] == "4"


def test_a_blank_cell_and_a_negative_count_still_reject_their_rows(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows: list[list[object]] = [
        ["00001", "Phường Ba Đình", 10, "-"],
        ["00004", "Phường Ngọc Hà", 20, None],  # blank: no answer
        ["00007", "Phường Kim Mã", "-5", 0],  # negative, not a dash
        ["00010", "Phường Giảng Võ", "- 5", 1],  # text
    ]
    _workbook(folder / "c.xlsx", rows)
    assert main(ROLLUP) == 1
    err = capsys.readouterr().err
    assert "counts: read 4, accepted 1, 3 rows rejected, 1 cell '-' read as 0" in err
    got = [(r["line"], r["column"], r["reason"]) for r in _rows(folder / "r.csv")]
    assert sorted(got) == [
        ("3", "learning_families", "missing_value"),
        ("4", "families", "out_of_range"),
        ("5", "families", "not_a_number"),
    ]
    assert _rows(folder / "o.csv")[0]["families"] == "10"


def test_a_totals_row_is_checked_with_dashes_as_zero(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A dash in the rows above a totals row left the column unchecked: 31 passed for 30."""
    rows: list[list[object]] = [*ROWS[:3], ["Tổng cộng", None, 31, 0]]  # 10 + 20 + 0 = 30 families
    _workbook(folder / "c.xlsx", rows)
    assert main(ROLLUP) == 1
    # The four dashes of the three communes' rows; the totals row is not a unit's.
    assert "counts: read 4, accepted 3, 1 row rejected, 4 cells '-' read as 0" in (
        capsys.readouterr().err
    )
    ((line, column, reason),) = [
        (r["line"], r["column"], r["reason"]) for r in _rows(folder / "r.csv")
    ]
    assert (line, column, reason) == ("5", "families", "totals_mismatch")


def test_rollup_counts_counts_the_dashes_of_a_table() -> None:
    units = {
        "code": ["01", "A", "B"],
        "name": ["P", "A", "B"],
        "level": ["province", "commune", "commune"],
        "parent_code": [None, "01", "01"],
    }
    h = ls.Hierarchy.from_units(units, levels=["province", "commune"])
    counts = {
        "unit_code": np.array(["A", "B"]),
        "families": np.array(["7", "-"], dtype=object),
        "learning_families": np.array(["\u2014", "-"], dtype=object),
    }
    roll = ls.rollup_counts(counts, h)
    assert roll.rejects is not None
    assert roll.rejects.counts() == {"counts": (2, 2, 0)}
    assert roll.rejects.dashes == {"counts": 3}
    assert roll.unit("01")["families"] == 7
