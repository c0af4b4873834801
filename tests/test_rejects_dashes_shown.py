"""A counts file's cells '-' read as 0 are said wherever its rows read are.

The command line said "3 cells '-' read as 0" with the rows; the repr and HTML of the
rejects, ``CountedRejects.to_dict`` (manifests, JSON summaries) and the rows-read table
of a report did not. The table below has three dashes, counted by hand: ``-`` and ``–``
in ``families`` (rows 2 and 3), ``—`` in ``learning_families`` (row 2).
"""

from __future__ import annotations

import learnsoc as ls
from learnsoc.i18n import render_in
from learnsoc.rejects import CountedRejects, rows_behind
from learnsoc.report._build import rows_read_lines
from learnsoc.report.tables import rows_read_table

HIERARCHY = ls.synthetic_hierarchy(villages=4, seed=1)
TABLE = {
    "unit_code": HIERARCHY.codes_at("village")[:4].tolist(),
    "families": ["10", "-", "\u2013", "30"],
    "learning_families": ["5", "\u2014", "1", "5"],
}


def _rejects() -> ls.Rejects:
    rejects = ls.rollup_counts(TABLE, HIERARCHY).rejects
    assert rejects is not None
    assert rejects.counts() == {"counts": (4, 4, 0)}
    return rejects


def test_repr_and_html_say_the_dashes() -> None:
    rejects = _rejects()
    assert render_in("en", lambda: repr(rejects)).endswith(
        "counts: 4 read, 4 accepted, 0 rejected, 3 cells '-' read as 0)"
    )
    html = rejects.to_html("vi")
    assert "<th>ô &#x27;-&#x27; được đọc là 0</th>" in html
    assert html.count("<td style='text-align:right'>") == 4  # read, accepted, rejected, dashes
    assert "<td style='text-align:right'>3</td>" in html
    assert "read as 0" in rejects.to_html("en")


def test_counted_rejects_keep_the_dashes() -> None:
    counted = rows_behind(_rejects())
    assert counted is not None
    as_dict = counted.to_dict()
    assert as_dict == {
        "counts": {"read": 4, "accepted": 4, "rejected": 0, "skipped": 0, "dashes": 3}
    }
    again = CountedRejects.from_dict(as_dict, None)
    assert again.dashes == {"counts": 3}
    assert again.describe("vi") == (
        "số liệu tổng hợp: đọc 4, nhận 4, 0 dòng bị loại, 3 ô '-' được đọc là 0"
    )
    # Two reads add up their dashes, as their rows.
    assert CountedRejects.summed([counted, again]).to_dict()["counts"]["dashes"] == 6


def test_a_report_says_the_dashes_without_a_row_rejected() -> None:
    counted = rows_behind(_rejects())
    assert rows_read_lines(counted, "en") == (
        "counts: read 4, accepted 4, 0 rows rejected, 3 cells '-' read as 0",
    )
    table = rows_read_table(counted, "en")
    assert table is not None
    assert table["dashes"].tolist() == [3]
    assert table["read"].tolist() == [4]


def test_no_dashes_no_word_of_them() -> None:
    rejects = ls.rollup_counts(
        {**TABLE, "families": ["10", "0", "0", "30"], "learning_families": ["5", "0", "0", "5"]},
        HIERARCHY,
    ).rejects
    assert rejects is not None
    assert "read as 0" not in render_in("en", lambda: repr(rejects))
    assert "read as 0" not in rejects.to_html("en")
    counted = rows_behind(rejects)
    assert counted is not None
    assert "dashes" not in counted.to_dict()["counts"]
    assert rows_read_lines(counted, "en") == ()
