"""A totals label with a colon and what it counts (``Tổng cộng: 3 xã``) marks a totals row.

Such a row was read as a unit whose code is ``Tổng cộng: 3 xã`` (``unknown_unit``) or
whose code is blank (``missing_value``): a rejected row where a totals row is skipped
and checked against the rows above it. A commune named ``Cộng Hòa`` (a real place
name, which begins as the label ``Cộng`` does) is still a commune.
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from learnsoc.cli import main
from learnsoc.io.table import is_totals_label
from tests.io.helpers import write

UNITS = """code,name,level,parent_code
01,Hà Nội,province,
00001,Phường Ba Đình,commune,01
00004,Cộng Hòa,commune,01
00007,Phường Kim Mã,commune,01
"""
HEADER = ["unit_code", "Tên xã", "families", "learning_families"]
ROWS: list[list[object]] = [
    ["00001", "Phường Ba Đình", 10, 4],
    ["00004", "Cộng Hòa", 20, 5],
    ["00007", "Phường Kim Mã", 6, 1],
]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(tmp_path, "u.csv", UNITS)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _save(path: Path, rows: list[list[object]]) -> None:
    table: list[list[object]] = [list(HEADER), *rows]
    if path.suffix == ".xlsx":
        wb = openpyxl.Workbook()
        ws = wb.active
        assert ws is not None
        for row in table:
            ws.append(row)
        wb.save(path)
    else:  # as Excel saves "CSV UTF-8": a BOM, commas, blank cells empty
        lines = [",".join("" if v is None else str(v) for v in row) for row in table]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")


def _rollup(name: str, engine: str) -> list[str]:
    return [
        "rollup", "--counts", name, "--units", "u.csv", "--levels", "province,commune",
        "--engine", engine, "--out", "o.csv", "--rejects", "r.csv",
    ]  # fmt: skip


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("engine", ["auto", "python"])
@pytest.mark.parametrize(
    ("name", "totals"),
    [
        ("c.xlsx", ["Tổng cộng: 3 xã", None, 36, 10]),
        ("c.csv", ["Tổng cộng: 3 xã", None, 36, 10]),
        ("c.csv", [None, "Tổng số : 3 xã", 36, 10]),  # in the names' column
    ],
)
def test_a_label_with_a_colon_is_a_totals_row_and_cong_hoa_a_commune(
    folder: Path, capsys: pytest.CaptureFixture[str], name: str, totals: list[object], engine: str
) -> None:
    _save(folder / name, [*ROWS, totals])
    assert main(_rollup(name, engine)) == 0
    err = capsys.readouterr().err
    # Cộng Hòa's row is one of the three accepted; the totals row is skipped.
    assert "counts: read 4, accepted 3, 0 rows rejected, 1 row skipped (totals, headings)" in err
    province = _rows(folder / "o.csv")[0]
    assert (province["families"], province["learning_families"]) == ("36", "10")
    assert province["units_reporting"] == "3"


def test_a_label_with_a_colon_whose_figures_are_wrong_is_rejected(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its figures are checked as any totals row's: 10 + 20 + 6 = 36 families, not 37."""
    _save(folder / "c.csv", [*ROWS, ["Tổng cộng: 3 xã", None, 37, 10]])
    assert main(_rollup("c.csv", "auto")) == 1
    ((line, column, reason),) = [
        (r["line"], r["column"], r["reason"]) for r in _rows(folder / "r.csv")
    ]
    assert (line, column, reason) == ("5", "families", "totals_mismatch")


def test_only_a_colon_after_a_whole_label_makes_one() -> None:
    said = ["Tổng cộng: 10 người", "CỘNG : 3", "tổng số:", "Cộng Hòa", "Cộng Hòa: 20", "Tổng:x"]
    assert [is_totals_label(c) for c in said] == [True, True, True, False, False, True]
