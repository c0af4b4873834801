"""A target file names its denominator in both languages, one and many, and its clauses in both.

A target file's ``denominator_label = "pupils"`` was the only form: "1 / 1 pupils" in English
and "pupils" in a Vietnamese report. A table gives each language's noun, with its singular
(``{ vi = "học sinh", en = { one = "pupil", other = "pupils" } }``); a text still reads as
before. Clauses were one text; ``clause = { vi = "...", en = "..." }`` is read as rulebooks
read it, and the bundled sets cite theirs in both languages.
"""

from __future__ import annotations

import json
import re

import pytest

import learnsoc as ls
from learnsoc.report.results import results
from learnsoc.targets import progress
from tests.targets.helpers import counts, target_set, two_level, value_target

NOUNS = """
[indicators.dropout]
numerator = "dropouts"
denominator = "pupils"
label = { vi = "tỷ lệ bỏ học", en = "dropout rate" }
direction = "lower_is_better"
denominator_label = { vi = "học sinh", en = { one = "pupil", other = "pupils" } }
"""


def _cells(report: ls.Report) -> list[dict[str, str]]:
    keys = [c.key for c in report.columns]
    return [dict(zip(keys, row.cells, strict=True)) for section in report.sections
            for row in section.rows]  # fmt: skip


@pytest.mark.parametrize(
    ("locale", "one", "three", "basis"),
    [
        ("en", "0 / 1 pupil", "1 / 3 pupils", "all pupils"),
        ("vi", "0 / 1 học sinh", "1 / 3 học sinh", "tổng số học sinh"),
    ],
)
def test_a_file_noun_agrees_with_its_count_in_each_language(
    locale: str, one: str, three: str, basis: str
) -> None:
    """Commune A has 1 pupil (0 dropped out), B 3 (1 dropped out); the province 4 (1)."""
    targets = target_set(value_target("dropout", "5", op="<="), NOUNS)
    h = two_level(("Xã A", "Xã B"))
    roll = counts(h, pupils=[1, 3], dropouts=[0, 1])
    rows = _cells(results(roll, [targets.indicators["dropout"]]).report(locale))
    by_unit = {r["unit"]: r for r in rows}
    shown = {name: cell["counts"] for name, cell in by_unit.items()}
    assert one in shown.values() and three in shown.values()
    # The province adds its communes' counts: 1 of 0 + 1 pupils over 1 + 3.
    assert any(c.startswith("1 / 4 ") for c in shown.values())
    assert {r["basis"] for r in rows} == {basis}
    # Progress names them alike.
    text = progress(roll, targets, year=2025).to_text(locale)
    assert ("1 / 4 pupils" if locale == "en" else "1 / 4 học sinh") in text


def test_a_plain_text_noun_still_reads_as_written() -> None:
    """An old file's ``denominator_label = "pupils"`` is valid, and shown as it was."""
    old = NOUNS.replace(
        'denominator_label = { vi = "học sinh", en = { one = "pupil", other = "pupils" } }',
        'denominator_label = "pupils"',
    )
    ind = target_set(value_target("dropout", "5", op="<="), old).indicators["dropout"]
    assert ind.counted("0 / 1", 1, "en") == "0 / 1 pupils"
    assert ind.basis_display("en") == "all pupils"
    assert not ind.denominator_nouns


def test_clauses_in_both_languages_are_shown_in_the_report_language() -> None:
    """The JSON of a progress cites the clause in its locale; a plain text in both."""
    both = value_target("learning_clans", "50").replace(
        'clause = "Điều 1"', 'clause = { vi = "Điều 1, mục 2", en = "Article 1, section 2" }'
    )
    one = value_target("learning_families", "50").replace(
        'clause = "Điều 1"', 'clause = { vi = "Điều 3" }'
    )
    targets = target_set(both + one + value_target("learning_units", "50"))
    roll = counts(two_level(("Xã A",)), clans=[4], learning_clans=[1])
    prog = progress(roll, targets, year=2025)
    for locale, first in (("en", "Article 1, section 2"), ("vi", "Điều 1, mục 2")):
        doc = json.loads(str(prog.to_json(locale=locale)))
        cited = [t["clause"] for t in doc["targets"]]
        # Vietnamese only: shown as written in English too; a plain text is the same.
        assert cited == [first, "Điều 3", "Điều 1"]


@pytest.mark.parametrize("name", ls.list_targets())
def test_every_bundled_clause_is_cited_in_both_languages(name: str) -> None:
    """Each bundled target cites its clause in Vietnamese, as signed, and in English."""
    for t in ls.load_targets(name).targets:
        assert t.clause is not None and t.clause.vi and t.clause.en, t.id
        assert t.clause.vi != t.clause.en, t.id
        # The same article and section in both (II.2.2.a, Điều 1 / Article 1).
        assert re.findall(r"[IVX]+(?:\.\w+)*", t.clause.vi) == re.findall(
            r"[IVX]+(?:\.\w+)*", t.clause.en
        ), t.id
        assert ("Điều 1" in t.clause.vi) == ("Article 1" in t.clause.en), t.id
