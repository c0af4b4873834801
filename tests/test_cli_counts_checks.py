"""A counts file's bad rows are rejected with their line, and cost only themselves.

A row of more learning families than families stopped ``learnsoc report --counts`` with an
error about the province (exit 2), naming neither the file nor the line; a count too
large to sum wrapped the province's total around without a word (exit 0).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from learnsoc.cli import main
from tests.io.helpers import write

UNITS = """code,name,level,parent_code
01,Hà Nội,province,
00001,Phường Ba Đình,commune,01
00004,Phường Ngọc Hà,commune,01
00007,Phường Kim Mã,commune,01
"""
HEAD = "unit_code,families,learning_families,learning_families_missing\n"
ROLLUP = ["rollup", "--counts", "c.csv", "--units", "u.csv", "--levels", "province,commune"]
ROLLUP += ["--out", "o.csv"]
ROLLUP += ["--rejects", "r.csv"]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(tmp_path, "u.csv", UNITS)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def test_a_row_of_more_learning_families_than_families_is_rejected_with_its_line(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = ["00001,10,4,1", "00004,20,18,3", "00007,5,2,0"]  # 18 > 20 - 3 at line 3
    write(folder, "c.csv", HEAD + "\n".join(rows) + "\n")
    argv = ["report", *ROLLUP[1:7], "--level", "total"]
    assert main([*argv, "--format", "csv", "--out", "rep.csv", "--rejects", "r.csv"]) == 1
    assert "accepted + rejected = read: OK" in capsys.readouterr().err
    (reject,) = _rows(folder / "r.csv")
    assert (reject["file"], reject["line"], reject["column"]) == ("c.csv", "3", "learning_families")
    assert reject["reason"] == "numerator_exceeds_denominator"
    # The report is of the two other communes: 4 + 2 of (10 - 1) + (5 - 0) families.
    (total,) = [r for r in _rows(folder / "rep.csv") if r["indicator"] == "learning_families"]
    assert (total["numerator"], total["denominator"], total["missing"]) == ("6", "14", "1")


def test_more_families_of_unknown_data_than_families_is_rejected(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(folder, "c.csv", HEAD + "00001,10,0,11\n00004,20,8,2\n")
    assert main(ROLLUP) == 1
    assert "counts: read 2, accepted 1, 1 row rejected" in capsys.readouterr().err
    (reject,) = _rows(folder / "r.csv")
    assert (reject["line"], reject["column"]) == ("2", "learning_families_missing")
    assert reject["reason"] == "part_exceeds_total"
    # The rollup written holds the file's columns only, summed over the accepted row.
    (province, *_) = _rows(folder / "o.csv")
    assert [k for k in province if k.endswith("families") or "rate" in k] == [
        "families",
        "learning_families",
    ]
    assert (province["families"], province["learning_families"]) == ("20", "8")


def test_a_count_too_large_to_sum_is_rejected_not_wrapped_around(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    huge = "9000000000000000000"  # two of them summed past 2**63 - 1
    write(folder, "c.csv", f"unit_code,families\n00001,{huge}\n00004,{huge}\n00007,5\n")
    assert main(ROLLUP) == 1
    assert "counts: out_of_range in families: 2 rows" in capsys.readouterr().err
    assert [(r["line"], r["value"]) for r in _rows(folder / "r.csv")] == [("2", huge), ("3", huge)]
    assert _rows(folder / "o.csv")[0]["families"] == "5"


def test_a_cell_too_long_to_read_rejects_its_row_only(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A 40,000-digit count or unit code stopped the whole file (over MAX_CELL_CHARS)."""
    long = "9" * 40_000
    rows = [f"00001,{long},1,0", "00004,20,8,2", f"{long},5,1,0", "00007,5,1,0"]
    write(folder, "c.csv", HEAD + "\n".join(rows) + "\n")
    assert main(ROLLUP) == 1
    assert "counts: read 4, accepted 2, 2 rows rejected" in capsys.readouterr().err
    got = [(r["line"], r["column"], r["reason"], r["value"]) for r in _rows(folder / "r.csv")]
    shown = "9" * 80 + "…"
    assert sorted(got) == [
        ("2", "families", "cell_too_long", shown),
        ("4", "unit_code", "cell_too_long", shown),
    ]
    # The other two communes, summed: 20 + 5 families, 8 + 1 learning families.
    (province, *_) = _rows(folder / "o.csv")
    assert (province["families"], province["learning_families"]) == ("25", "9")
