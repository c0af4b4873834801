"""A count typed ``1.234`` (Vietnamese thousands) read with the decimal point.

It was rejected as "not a whole number" with no word of the decimal comma, which only
``1.000``-style numbers got (``thousands_dot``); ``1.234.567`` was "not a number". Every
``d.ddd`` / ``d.ddd.ddd`` value now says what ``--decimal ,`` does; the rows are still
rejected (1.234 may be either), and a file read with the decimal comma is never told to
read it so.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import learnsoc as ls
from learnsoc.io.rejects import FileReject

TREE = ls.Hierarchy.from_units(
    {
        "code": ["01", "00004", "00004001", "00004002", "00004003"],
        "level": ["province", "commune", "village", "village", "village"],
        "parent_code": [None, "01", "00004", "00004", "00004"],
    },
    levels=["province", "commune", "village"],
)
# (unit, families as typed, learning families): the first two in Vietnamese thousands.
ROWS = [("00004001", "1.234", "90"), ("00004002", "1.234.567", "40"), ("00004003", "250", "50")]
HINT = "if its dots separate thousands, as Vietnamese files write them (1.234 for 1234)"
HINT_VI = "nếu các dấu chấm phân cách hàng nghìn"


def _csv(path: Path) -> Path:
    lines = ["unit_code;families;learning_families"] + [";".join(r) for r in ROWS]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _xlsx(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["unit_code", "families", "learning_families"])
    for code, families, learning in ROWS:
        ws.append([code, families, int(learning)])  # the thousands typed as text
    wb.save(path)
    return path


def _found(roll: ls.Rollup, locale: str = "en") -> list[FileReject]:
    assert roll.rejects is not None
    found = [r for r in roll.rejects.records(locale=locale) if isinstance(r, FileReject)]
    assert len(found) == len(roll.rejects)
    return sorted(found, key=lambda r: r.line)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_thousands_dots_are_rejected_with_the_decimal_comma_hint(tmp_path: Path, kind: str) -> None:
    path = (_csv if kind == "csv" else _xlsx)(tmp_path / f"bao_cao.{kind}")
    roll = ls.io.rollup_counts_file(path, TREE)
    found = _found(roll)
    assert [(r.line, r.reason, r.value) for r in found] == [
        (2, "not_integer", "1.234"),
        (3, "not_a_number", "1.234.567"),
    ]
    for reject in found:
        assert HINT in reject.message and "--decimal ," in reject.message
    # Never guessed: only the third row counts.
    assert roll.rejects is not None and roll.rejects.read["counts"] == 3
    commune = roll.unit("00004")
    assert (int(commune["families"]), int(commune["learning_families"])) == (250, 50)
    assert all(HINT_VI in r.message for r in _found(roll, "vi"))


def test_read_with_the_decimal_comma_they_are_thousands(tmp_path: Path) -> None:
    roll = ls.io.rollup_counts_file(_csv(tmp_path / "bao_cao.csv"), TREE, decimal=",")
    assert roll.rejects is not None and not roll.rejects
    families = sum(int(r[1].replace(".", "")) for r in ROWS)  # 1234 + 1234567 + 250
    assert int(roll.unit("00004")["families"]) == families == 1_236_051


def test_a_decimal_comma_files_decimals_are_not_told_to_read_it_so(tmp_path: Path) -> None:
    """``1,234`` read with the decimal comma is 1.234: no whole number, said plainly."""
    path = tmp_path / "bao_cao.csv"
    path.write_text("unit_code;families\n00004001;1,234\n00004002;7\n", encoding="utf-8")
    roll = ls.io.rollup_counts_file(path, TREE, decimal=",")
    (reject,) = _found(roll)
    assert reject.reason == "not_integer"
    assert "is not a whole number" in reject.message and "decimal comma" not in reject.message
    assert int(roll.unit("00004")["families"]) == 7


def test_other_dotted_numbers_keep_their_message(tmp_path: Path) -> None:
    """``1.5`` and ``12.3456`` are no thousands: said as before, without the hint."""
    path = tmp_path / "bao_cao.csv"
    path.write_text("unit_code;families\n00004001;1.5\n00004002;12.3456\n", encoding="utf-8")
    found = _found(ls.io.rollup_counts_file(path, TREE))
    assert [r.reason for r in found] == ["not_integer", "not_integer"]
    assert not any("thousands" in r.message for r in found)
