"""Verdicts decided on the members with data: counted per title, said under the titles table."""

from __future__ import annotations

import warnings
from typing import Any

import attrs
import numpy as np
import pytest

import learnsoc as ls
from learnsoc.rules.context import entity_ids
from learnsoc.rules.summary import Summary, SummaryRow

VILLAGES = SummaryRow(
    "learning_community",
    "Cộng đồng học tập cấp thôn, tổ dân phố",
    "village learning community",
    "village",
    "2016-01-01",
    200,
    200,
    0,
    200,
    0,
    partial_data=94,
    partial_members=("household",),
)


@pytest.mark.parametrize(
    ("locale", "line"),
    [
        (
            "en",
            "village learning community: 94 of the 200 villages were decided on the families "
            "with data; 106 other villages on complete data",
        ),
        (
            "vi",
            "Cộng đồng học tập cấp thôn, tổ dân phố: 94 trong số 200 thôn, tổ dân phố được "
            "quyết định chỉ dựa trên các gia đình có dữ liệu; 106 thôn, tổ dân phố còn lại "
            "dựa trên đầy đủ dữ liệu",
        ),
    ],
)
def test_the_titles_table_says_how_many_were_decided_on_partial_data(
    locale: str, line: str
) -> None:
    """The line is under the table, in text and HTML; none when no verdict left anyone out."""
    summary = Summary("2025-12-31", (VILLAGES,))
    assert summary.to_text(locale).splitlines()[-1] == line
    assert f"<p>{line}</p>" in summary.to_html(locale)
    whole = Summary("2025-12-31", (attrs.evolve(VILLAGES, partial_data=0, partial_members=()),))
    assert line.split(":")[0] + ":" not in whole.to_text(locale)
    assert summary.to_dict()["titles"][0]["partial_data"] == 94
    assert summary.to_dict()["titles"][0]["partial_members"] == ("household",)


def test_members_of_several_levels_are_members() -> None:
    """A title whose aggregates left out people and families says "members"."""
    row = attrs.evolve(VILLAGES, partial_data=1, partial_members=("household", "person"))
    text = Summary("2025-12-31", (row,)).to_text("en")
    assert text.endswith(
        "1 of the 200 villages was decided on the members with data; "
        "199 other villages on complete data"
    )


def _unknown_some(n: int, rng: np.random.Generator) -> Any:
    # 0 false, 1 true, 255 unknown: a third each.
    return rng.choice(np.array([0, 1, 255], np.uint8), n)


def test_counts_equal_the_explanations() -> None:
    """Per title, the decided verdicts whose explanation says members were not counted.

    The slow way a user had: one explanation per entity, "N with missing data not
    counted" (or "missing for all N") in one of its criteria.
    """
    pop = ls.synthetic_population(persons=1_200, seed=4, hierarchy="vn-pre-2025")
    rng = np.random.default_rng(3)
    inputs = {
        "household": {"children_results_good": _unknown_some(pop.n_households, rng)},
        "village": {
            "learning_week_held": {str(c): True for c in pop.hierarchy.codes_at("village")}
        },
    }
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # 2018: the family title reads children_results_good, unknown for a third of them.
        ev = ls.evaluate(pop, "example", "2018-06-30", inputs=inputs)
    rows = {row.title: row for row in ev.summary().rows}
    counted = {}
    for title_id, v in ev.verdicts_by_title.items():
        ids = entity_ids(pop, v.level)
        said = 0
        for i in np.flatnonzero(v.assessed & v.known):
            text = str(ev.explain(title_id, ids[i], locale="en"))
            said += "with missing data not counted" in text or "missing for all" in text
        counted[title_id] = said
    assert {t: row.partial_data for t, row in rows.items()} == counted
    assert counted["learning_community"] > 0, counted
