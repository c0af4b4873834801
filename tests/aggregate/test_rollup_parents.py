"""A rollup read back whose ``parent_code`` is not the units file's: its rows refused.

The units file's tree won without a word: a rollup added up with another tree (communes
merged since, or an edited row) put a commune's figure in another province's row, and
that province's own part (its figure less its units' rows, as the tree has them) came
out as the moved commune's figures, counted again. Such a row is now a
``parent_mismatch`` reject, and the rows holding or lacking its figure are not read
(``rejected_unit_row``): no own part is worked out from another tree's sums.
"""

from __future__ import annotations

import csv
import warnings
from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.cli import main
from tests.trees import two_level

UNITS = "code,name,level,parent_code\n01,A,province,\n02,B,province,\n" + (
    "001,X1,commune,01\n002,X2,commune,01\n003,X3,commune,02\n"
)
TREE = two_level({"01": ["001", "002"], "02": ["003"]})


def _written_with_002_under_02() -> dict[str, list[object]]:
    """The rollup another tree gives (002 in province 02), as rollup_counts writes it."""
    other = two_level({"01": ["001"], "02": ["002", "003"]})
    counts = {"unit_code": ["001", "002", "003"], "families": [10, 20, 30]}
    cols = ls.rollup_counts(counts, other).to_columns()
    return {k: list(v) for k, v in cols.items()}


def test_a_row_under_another_parent_is_refused_with_the_rows_holding_it() -> None:
    cols = _written_with_002_under_02()
    # The other tree's figures: province 01 is 001 alone (10), 02 is 002 + 003 (50).
    assert cols["families"][:2] == [10, 50] and cols["parent_code"][3] == "02"
    roll = ls.rollup_counts(cols, TREE)
    assert roll.rejects is not None
    found = {(r.row, r.column, r.reason, r.value) for r in roll.rejects.records()}
    assert (3, "parent_code", "parent_mismatch", "02") in found  # before: read
    # The provinces: their completeness is the other tree's too (units_expected 1 for 2
    # communes in 01), and 02 holds 002's 20 (rejected_unit_row).
    assert (1, "code", "rejected_unit_row", "002") in found
    assert {r for r, *_ in found} == {0, 1, 3}
    message = next(r.message for r in roll.rejects.records() if r.reason == "parent_mismatch")
    assert "parent unit '02' is not the one the units file gives (01)" in message
    rows = len(cols["level"])
    assert roll.rejects.counts() == {"counts": (rows, rows - 3, 3)}
    # By hand: the communes read are 001 (10) and 003 (30), each province its own.
    assert roll.level("commune").counts["families"].tolist() == [10, 0, 30]
    assert roll.level("province").counts["families"].tolist() == [10, 30]
    assert roll.level("total").counts["families"].tolist() == [40]


def test_the_right_tree_a_blank_parent_and_lost_zeros_are_read_as_before() -> None:
    cols = {
        k: list(v)
        for k, v in ls.rollup_counts(
            {"unit_code": ["001", "002", "003"], "families": [10, 20, 30]}, TREE
        )
        .to_columns()
        .items()
    }
    cols["parent_code"][2] = ""  # blank: says nothing
    cols["parent_code"][3] = "1"  # 01 saved as a number by a spreadsheet
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # codes read with their zeros restored
        roll = ls.rollup_counts(cols, TREE)
    rows = len(cols["level"])
    assert roll.rejects is not None and roll.rejects.counts() == {"counts": (rows, rows, 0)}
    assert roll.level("total").counts["families"].tolist() == [60]


def test_a_top_level_row_given_a_parent_is_refused() -> None:
    cols = {
        k: list(v)
        for k, v in ls.rollup_counts(
            {"unit_code": ["001", "002", "003"], "families": [10, 20, 30]}, TREE
        )
        .to_columns()
        .items()
    }
    cols["parent_code"][1] = "01"  # province 02 under province 01
    roll = ls.rollup_counts(cols, TREE)
    assert roll.rejects is not None
    found = sorted((r.row, r.column, r.reason, r.value) for r in roll.rejects.records())
    assert (1, "parent_code", "parent_mismatch", "01") in found
    assert (0, "code", "rejected_unit_row", "02") in found
    said = next(r.message for r in roll.rejects.records() if r.reason == "parent_mismatch")
    assert said.endswith(
        "is not the one the units file gives (-): the rollup was added up with another "
        "tree (or edited), so neither this row nor the rows holding its figure are used; "
        "write the rollup again with this units file, or read it with the units file it "
        "was written with"
    )


def test_the_command_line_names_the_line_in_vietnamese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "u.csv").write_text(UNITS, "utf-8")
    (tmp_path / "c.csv").write_text("unit_code,families\n001,10\n002,20\n003,30\n", "utf-8")
    args = ["--units", "u.csv", "--levels", "province,commune", "--quiet"]
    assert main(["rollup", "--counts", "c.csv", *args, "--out", "r.csv"]) == 0
    text = (tmp_path / "r.csv").read_text("utf-8-sig")
    edited = text.replace("commune,002,X2,01,", "commune,002,X2,02,")
    assert edited != text
    (tmp_path / "r2.csv").write_text(edited, "utf-8")
    argv = ["--locale", "vi", "rollup", "--counts", "r2.csv", *args]
    main([*argv, "--out", "again.csv", "--rejects", "rej.csv"])
    with (tmp_path / "rej.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    wrong = [r for r in rows if r["reason"] == "parent_mismatch"]
    assert [(w["line"], w["column"], w["value"]) for w in wrong] == [("5", "parent_code", "02")]
    assert "không phải là đơn vị mà tệp đơn vị ghi (01)" in wrong[0]["message"]
    assert sorted(r["line"] for r in rows if r["reason"] == "rejected_unit_row") == ["2", "3"]
