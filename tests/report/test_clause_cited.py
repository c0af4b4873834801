"""A published progress table cites the clause each target is set in, en and vi.

The clause (``Target.clause_in``) was only in the JSON: a table printed, put on a web page
or sent as a workbook said which resolution set the targets, never where in it. The text
and HTML now give a note per clause, naming the targets shown that it sets ("share of
learning families, share of learning clans: as set in section II.2.2.d ..."; vi "Tỷ lệ Gia đình
học tập, Tỷ lệ Dòng họ học tập: theo mục II.2.2.d ..."), and the tidy table (CSV,
JSON rows, the workbook) a ``clause`` column. The clauses expected are read from the
bundled target file itself, not through learnsoc.
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.targets import load_targets, progress

SOURCE = Path(ls.__file__).parent / "data" / "targets" / "hanoi-23-nq-tu.toml"
SHOWN = ("learning-families-2025", "learning-clans-2025")
NAMES = {
    "en": {"learning-families-2025": "share of learning families",
           "learning-clans-2025": "share of learning clans"},
    "vi": {"learning-families-2025": "Tỷ lệ Gia đình học tập",
           "learning-clans-2025": "Tỷ lệ Dòng họ học tập"},
}  # fmt: skip
SAID = {"en": "{target}: as set in {clause}", "vi": "{target}: theo {clause}"}


def _clauses() -> dict[str, dict[str, str]]:
    """Return each target's clause per language, as the target file writes it."""
    table = tomllib.loads(SOURCE.read_text("utf-8"))
    return {t["id"]: t["clause"] for t in table["targets"] if t["id"] in SHOWN}


def _progress() -> ls.Progress:
    h = ls.Hierarchy.from_units(
        {"code": ["01"], "name": ["Hà Nội"], "level": ["province"], "parent_code": [None]},
        levels=["province"],
    )
    roll = ls.rollup_counts(
        {"unit_code": ["01"], "families": [200], "learning_families": [150], "clans": [40],
         "learning_clans": [10]},
        h,
    )  # fmt: skip
    chosen = load_targets("hanoi-23-nq-tu").select(
        indicators=["learning_families", "learning_clans"]
    )
    return progress(roll, chosen, year=2025)


@pytest.mark.parametrize("loc", ["en", "vi"])
def test_text_and_html_cite_each_targets_clause(loc: str) -> None:
    clauses = _clauses()
    assert set(clauses) == set(SHOWN)  # the file has both, each in both languages
    prog = _progress()
    text, page = prog.to_text(loc), prog.to_html(loc)
    # Both targets are set in one clause (II.2.2.d): one note names them both.
    assert clauses[SHOWN[0]] == clauses[SHOWN[1]]
    names = ", ".join(NAMES[loc][target] for target in SHOWN)
    note = SAID[loc].format(target=names, clause=clauses[SHOWN[0]][loc])
    assert f"- {note}" in text.splitlines()
    assert f"<li>{note}</li>" in page
    other = "vi" if loc == "en" else "en"
    assert clauses[SHOWN[0]][other] not in text  # each language cites its own text


@pytest.mark.parametrize("loc", ["en", "vi"])
def test_the_tidy_table_has_a_clause_column(loc: str, tmp_path: Path) -> None:
    """CSV, JSON rows and the workbook: each row cites its target's clause."""
    openpyxl = pytest.importorskip("openpyxl")
    clauses = _clauses()
    prog = _progress()
    rows = list(csv.DictReader(io.StringIO(str(prog.to_csv(None, locale=loc)))))
    assert {r["target_id"]: r["clause"] for r in rows} == {t: clauses[t][loc] for t in SHOWN}
    doc = json.loads(str(prog.to_json(locale=loc)))
    assert {r["target_id"]: r["clause"] for r in doc["rows"]} == {t: clauses[t][loc] for t in SHOWN}
    sheet = openpyxl.load_workbook(prog.to_excel(tmp_path / "p.xlsx", locale=loc)).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    ids = [c.comment.text if c.comment else c.value for c in sheet[1]]
    got = {row[ids.index("target_id")]: row[ids.index("clause")] for row in values[1:]}
    assert got == {t: clauses[t][loc] for t in SHOWN}
    if loc == "vi":
        assert values[0][ids.index("clause")] == "điều khoản căn cứ"
