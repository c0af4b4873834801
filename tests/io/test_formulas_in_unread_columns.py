"""A formula saved without its result stops a reading only in a column that is read.

A commune's sheet written by a program that does not calculate (openpyxl, many web
exports) kept a ``Tỷ lệ (%)`` column of formulas; listed under the mapping's ``ignore``,
it still stopped the whole run ("cell D2 holds a formula saved without its result"). Its
cells are never read, so their formulas need no result; a formula in a column that is
read still stops the run, naming its cell, as before.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.io import FileFormatError
from tests.optional import require
from tests.trees import two_level

openpyxl = require("openpyxl")

TREE = two_level({"01": ["00001", "00002"]})


def _counts(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)  # openpyxl saves formulas without results, as such programs do
    return path


def _families(roll: ls.Rollup) -> tuple[int, int]:
    unit = roll.unit("01")
    return int(unit["learning_families"]), int(unit["families"])


def test_formulas_in_an_ignored_column_need_no_result(tmp_path: Path) -> None:
    path = _counts(
        tmp_path / "bao_cao.xlsx",
        ["unit_code", "families", "learning_families", "Tỷ lệ (%)"],
        [["00001", 100, 70, "=C2/B2*100"], ["00002", 200, 150, "=C3/B3*100"]],
    )
    mapping = tmp_path / "m.toml"
    mapping.write_text('[counts]\nignore = ["Tỷ lệ (%)"]\n', "utf-8")
    roll = ls.io.rollup_counts_file(path, TREE, mapping=mapping)
    assert _families(roll) == (70 + 150, 100 + 200)  # by hand


def test_formulas_in_a_notes_column_need_no_result(tmp_path: Path) -> None:
    """``Ghi chú`` is never read as counts (no mapping line needed): nor are its formulas."""
    path = _counts(
        tmp_path / "bao_cao.xlsx",
        ["unit_code", "families", "learning_families", "Ghi chú"],
        [["00001", 100, 70, '=IF(C2>50,"tốt","")'], ["00002", 200, 150, None]],
    )
    assert _families(ls.io.rollup_counts_file(path, TREE)) == (220, 300)


def test_a_row_blank_but_for_an_ignored_formula_is_no_row(tmp_path: Path) -> None:
    path = _counts(
        tmp_path / "bao_cao.xlsx",
        ["unit_code", "families", "learning_families", "Tỷ lệ (%)"],
        [["00001", 100, 70, "=C2/B2*100"], [None, None, None, "=C3/B3*100"]],
    )
    mapping = tmp_path / "m.toml"
    mapping.write_text('[counts]\nignore = ["Tỷ lệ (%)"]\n', "utf-8")
    roll = ls.io.rollup_counts_file(path, TREE, mapping=mapping)
    assert _families(roll) == (70, 100)
    assert roll.rejects is not None and roll.rejects.read["counts"] == 1


@pytest.mark.parametrize("blank", [False, True])
def test_a_formula_in_a_column_read_still_stops_the_run(tmp_path: Path, blank: bool) -> None:
    """Never a silent blank: in a row of counts, or alone in an otherwise empty row."""
    second: list[object] = [None, "=B2*2", None] if blank else ["00002", "=B2*2", 150]
    path = _counts(
        tmp_path / "bao_cao.xlsx",
        ["unit_code", "families", "learning_families"],
        [["00001", 100, 70], second],
    )
    with pytest.raises(FileFormatError, match=r"cell B3 holds a formula saved without its"):
        ls.io.rollup_counts_file(path, TREE)


def test_formulas_in_unknown_columns_ignored_need_no_result(tmp_path: Path) -> None:
    """Persons with an unknown column of formulas, read with unknown columns ignored."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["person_id", "household_id", "age", "Tuổi năm sau"])
    sheet.append(["P1", "H1", 40, "=C2+1"])
    sheet.append(["P2", "H1", 9, "=C3+1"])
    book.save(tmp_path / "p.xlsx")
    (tmp_path / "h.csv").write_text("household_id,unit_code\nH1,00001\n", "utf-8")
    (tmp_path / "u.csv").write_text(
        "code,level,parent_code\n01,province,\n00001,commune,01\n", "utf-8"
    )
    pop = ls.read_population(
        tmp_path / "p.xlsx", households=tmp_path / "h.csv", units=tmp_path / "u.csv",
        levels=["province", "commune"], unknown_columns="ignore",
    )  # fmt: skip
    assert pop.column("person", "age").tolist() == [40, 9]
    assert len(pop.rejects) == 0
