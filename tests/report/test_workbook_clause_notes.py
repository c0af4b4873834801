"""A progress workbook's notes sheet cites the clauses its targets are set in.

The text report said "share of learning clans: as set in section II.2.2.d (objectives
to 2025: building learning models)"; the workbook's ``clause`` column cited the clause
but its ``notes`` sheet, the sheet a reader of the published figures turns to, did not
say which targets it sets nor under which heading.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.targets import load_targets, progress

CLAUSES = {
    "en": "section II.2.2.d (objectives to 2025: building learning models)",
    "vi": "mục II.2.2.d (mục tiêu đến năm 2025: xây dựng các mô hình học tập)",
}


@pytest.mark.parametrize("locale", ["en", "vi"])
def test_the_notes_sheet_gives_the_clause_notes_of_the_text_report(
    tmp_path: Path, locale: str
) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    tree = ls.Hierarchy.from_units(
        {"code": ["02"], "level": ["province"], "parent_code": [None]}, levels=["province"]
    )
    roll = ls.rollup_counts(
        {"unit_code": ["02"], "clans": [4], "learning_clans": [3], "families": [10],
         "learning_families": [7]},
        tree,
    )  # fmt: skip
    chosen = load_targets("hanoi-23-nq-tu").select(
        indicators=["learning_clans", "learning_families"]
    )
    prog = progress(roll, chosen, year=2025)
    targets = prog.targets
    names = [t.display(targets.indicator_of(t), locale) for t in targets.targets]
    said = {"en": "as set in", "vi": "theo"}[locale]
    # One note for the clause that sets both targets, naming them in the table's order.
    note = f"{', '.join(names)}: {said} {CLAUSES[locale]}"
    assert f"- {note}" in prog.to_text(locale).splitlines()
    book = openpyxl.load_workbook(prog.to_excel(tmp_path / f"p-{locale}.xlsx", locale=locale))
    sheet = book[{"en": "notes", "vi": "ghi chú"}[locale]]
    notes = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert notes.count(note) == 1
    # The clause column of the figures cites the same clause on each target's row.
    clauses = set(prog.to_columns(locale)["clause"].tolist())
    assert clauses == {CLAUSES[locale]}
