"""An id or code typed ``'01`` (a spreadsheet's text mark, written into a CSV file): the
row is rejected, and its message says to delete the apostrophe, in English and Vietnamese.

A spreadsheet exports a cell typed ``'01`` as ``01`` (the apostrophe only marks the cell
as text), so ``'01`` in a CSV file was typed as it is: learnsoc keeps the reject (it never
guesses that ``'01`` meant ``01``) and points at the apostrophe.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from learnsoc.cli import main

pytestmark = pytest.mark.usefixtures("neutral_locale")

UNITS = "code,name,level,parent_code\n01,Ha Noi,province,\n00001,Phuc Xa,commune,01\n"
HOUSEHOLDS = "household_id,unit_code\nH1,00001\nH2,'00001\nH3,00009\n"
PERSONS = "person_id,household_id,age,sex\n1,H1,30,2\n2,'H1,40,1\n3,H9,50,1\n4,H1,20,'2\n"

HINT = {
    "en": "; it starts with an apostrophe ('), the mark a spreadsheet uses to keep a cell as "
    "text: delete the apostrophe in the file",
    "vi": "; giá trị bắt đầu bằng dấu nháy đơn ('), dấu mà bảng tính dùng để giữ ô ở dạng văn "
    "bản: hãy xóa dấu nháy đơn này trong tệp",
}


def _rejects(tmp_path: Path, locale: str) -> dict[tuple[str, str], str]:
    """Validate the files; return each rejected (table, value)'s message."""
    for name, text in [("u.csv", UNITS), ("h.csv", HOUSEHOLDS), ("p.csv", PERSONS)]:
        (tmp_path / name).write_text(text, "utf-8")
    out = tmp_path / f"rejects-{locale}.csv"
    argv = ["validate", str(tmp_path / "p.csv"), "--households", str(tmp_path / "h.csv")]
    argv += ["--units", str(tmp_path / "u.csv"), "--levels", "province,commune"]
    assert main([*argv, "--locale", locale, "--rejects", str(out), "--quiet"]) == 1
    with out.open(encoding="utf-8-sig", newline="") as fp:
        return {(r["table"], r["value"]): r["message"] for r in csv.DictReader(fp)}


@pytest.mark.parametrize("locale", ["en", "vi"])
def test_an_id_typed_with_an_apostrophe_is_rejected_with_a_hint(
    tmp_path: Path, locale: str
) -> None:
    """The old message said only that household "'H1" does not exist."""
    said = _rejects(tmp_path, locale)
    # Rejected: H2 ('00001) and H3 (00009) of 3 households; persons 2 ('H1), 3 (H9), 4 ('2)
    # of 4 (person 3's household exists nowhere, person 1 lives in H1).
    assert sorted(said) == [
        ("household", "'00001"),
        ("household", "00009"),
        ("person", "'2"),
        ("person", "'H1"),
        ("person", "H9"),
    ]
    hinted = {("household", "'00001"), ("person", "'H1"), ("person", "'2")}
    for key, message in said.items():
        assert message.endswith(HINT[locale]) == (key in hinted), (key, message)
    expected = {
        "en": 'column household_id: household "\'H1" does not exist; it starts with',
        "vi": 'cột household_id: hộ "\'H1" không tồn tại; giá trị bắt đầu bằng',
    }
    assert expected[locale] in said["person", "'H1"]
