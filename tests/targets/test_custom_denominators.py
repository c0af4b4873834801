"""A target file's own indicator over a measure learnsoc knows names it in every language.

An indicator of a target file dividing by ``families`` without a ``denominator_label``
was "of tổng số families" in a Vietnamese report: the measure's id, in English. It now
takes the word the standard indicators use for that measure ("gia đình"), in the basis
and after the counts; a measure learnsoc does not know keeps its id.
"""

from __future__ import annotations

import pytest

from learnsoc.report.results import results
from tests.targets.helpers import counts, target_set, two_level, value_target

OWN = """
[indicators.reading_families]
numerator = "readers"
denominator = "families"
label = { vi = "tỷ lệ gia đình đọc sách", en = "share of reading families" }

[indicators.reading_clubs]
numerator = "reading_clubs"
denominator = "clubs"
label = { vi = "tỷ lệ câu lạc bộ đọc sách", en = "share of reading clubs" }
"""


@pytest.mark.parametrize(
    ("locale", "basis", "counts_cell"),
    [("en", "all families", "30 / 120 families"), ("vi", "tổng số gia đình", "30 / 120 gia đình")],
)
def test_a_known_measure_is_named_in_the_report_language(
    locale: str, basis: str, counts_cell: str
) -> None:
    """30 of the commune's 120 families read: 25% of all families, said in each language."""
    targets = target_set(
        value_target("reading_families", "50") + value_target("reading_clubs", "50"), OWN
    )
    h = two_level(("Xã A",))
    roll = counts(h, families=[120], readers=[30], clubs=[4], reading_clubs=[1])
    res = results(
        roll, [targets.indicators["reading_families"], targets.indicators["reading_clubs"]]
    )
    report = res.report(locale)
    keys = [c.key for c in report.columns]
    rows = [dict(zip(keys, row.cells, strict=True)) for row in report.sections[0].rows]
    families, clubs = rows
    assert (families["basis"], families["counts"], families["value"]) == (
        basis,
        counts_cell,
        f"{30 / 120:.2%}".replace(".", "," if locale == "vi" else "."),
    )
    # A measure of the user's own keeps its id, and no noun is made up after the counts.
    assert clubs["basis"].endswith("clubs") and clubs["counts"] == "1 / 4"
