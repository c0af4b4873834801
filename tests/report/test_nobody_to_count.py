"""A unit that reported nobody eligible says so wherever its rate is printed.

The results text, the progress text and the rollup's HTML showed "—" or "no data" for a
commune that reported 0 families, as for one that sent nothing; the CSV's status said
``empty`` ("nobody to count"). Now the printed cells say it too, with the counts 0 / 0.
"""

from __future__ import annotations

import html
import re

import pytest

import learnsoc as ls

WORDS = {"en": "nobody to count", "vi": "không có ai thuộc diện tính"}
ZERO = {"en": "0 / 0 families", "vi": "0 / 0 gia đình"}


def _roll() -> ls.Rollup:
    tree = ls.Hierarchy.from_units(
        {"code": ["01", "00001", "00002"], "name": ["Tỉnh A", "Xã B", "Xã C"],
         "level": ["province", "commune", "commune"], "parent_code": [None, "01", "01"]},
        levels=["province", "commune"],
    )  # fmt: skip
    return ls.rollup_counts(
        {"unit_code": ["00001", "00002"], "families": [10, 0], "learning_families": [7, 0]},
        tree,
        rates={"share": ("learning_families", "families")},
    )


@pytest.mark.parametrize("locale", ["en", "vi"])
def test_the_results_table_says_nobody_was_eligible(locale: str) -> None:
    """Xã C: 0 / 0 families and the CSV's words for its status, in the text and HTML."""
    res = ls.results(_roll(), ["learning_families"], ["commune"])
    cols = res.to_columns(locale)
    assert cols["status"].tolist() == ["ok", "empty"]
    assert cols["status_label"].tolist()[1] == WORDS[locale]
    row = res.report(locale).sections[0].rows[1]
    assert row.cells[2:4] == (ZERO[locale], WORDS[locale])
    assert WORDS[locale] in html.unescape(res.to_html(locale))


@pytest.mark.parametrize("locale", ["en", "vi"])
def test_the_progress_table_says_nobody_was_eligible(locale: str) -> None:
    """The status stays "no data" (no value to compare); the observed cell says why."""
    targets = ls.load_targets("hanoi-23-nq-tu").select(indicators=["learning_families"])
    text = ls.progress(_roll(), targets, year=2025, levels=["commune"]).to_text(locale=locale)
    line = next(line for line in text.splitlines() if line.startswith("Xã C"))
    assert re.search(f"{WORDS[locale]} +{ZERO[locale]}", line), line
    first = next(line for line in text.splitlines() if line.startswith("Xã B"))
    assert WORDS[locale] not in first  # 7 / 10 families: 70%


@pytest.mark.parametrize("locale", ["en", "vi"])
def test_the_rollup_html_says_nobody_was_eligible(locale: str) -> None:
    """Not "no data": the commune reported, and had no family."""
    page = html.unescape(_roll().to_html(locale))
    assert f"{WORDS[locale]} ({ZERO[locale]})" in page
