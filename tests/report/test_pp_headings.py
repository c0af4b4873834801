"""A rate's change per year is in percentage points, and its heading says so.

The progress report headed "trend per year" and "required per year" over "+5.00" for a
share of families going from 40% to 50% in two years: read as "+5% a year", which is a
relative change. The gap already said "(pp)"; the trend and the rate required now say
"(pp per year)" (vi: "điểm %/năm", the catalog's word for "pp"), in text, Markdown and
HTML.
"""

from __future__ import annotations

import pytest

from tests.report.test_golden import trend_progress

#: Each language's headings of the two columns.
HEADINGS = {
    "en": ("trend (pp per year)", "required (pp per year)"),
    "vi": ("xu hướng (điểm %/năm)", "cần thay đổi (điểm %/năm)"),
}


@pytest.mark.parametrize("locale", ["en", "vi"])
@pytest.mark.parametrize("form", ["text", "markdown", "html"])
def test_the_trend_and_required_headings_say_percentage_points(locale: str, form: str) -> None:
    prog = trend_progress()
    got = {"text": prog.to_text, "markdown": prog.to_markdown, "html": prog.to_html}[form](locale)
    for heading in HEADINGS[locale]:
        assert heading in got
    assert "trend per year" not in got and "xu hướng mỗi năm" not in got


def test_the_figures_under_them_are_points_worked_out_by_hand() -> None:
    """Xã Minh Tân: 80/200 = 40% in 2022, 105/210 = 50% in 2024: +5 points a year; the
    target 60% in 2026 is 10 points away, two years on: +5 points a year required."""
    report = trend_progress().report("en")
    keys = [c.key for c in report.columns]
    row = report.sections[0].rows[0]
    cells = dict(zip(keys, row.cells, strict=True))
    assert cells["unit"] == "Xã Minh Tân (00001)"
    assert (cells["observed"], cells["trend"], cells["required"]) == ("50.00%", "+5.00", "+5.00")
    trend = (105 / 210 - 80 / 200) * 100 / 2
    required = (60 - 105 / 210 * 100) / (2026 - 2024)
    assert f"{trend:+.2f}" == cells["trend"] and f"{required:+.2f}" == cells["required"]
