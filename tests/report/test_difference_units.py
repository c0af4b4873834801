"""The gap, trend and required columns say the unit of the indicator's kind, in every form.

A target file's own indicator with ``factor = 1`` is a ratio (0.50), not a percentage:
the report headed its gap "(pp)" and its trend "(pp per year)" over "-0.10" and "+0.05",
which are not percentage points. A ``factor = 1000`` indicator's differences are ‰
points. The headings now follow the indicator's kind; a table mixing kinds names no unit
in its headings and writes one after each difference of a percentage ("-10.00 pp").

The workbook wrote a percentage's gap, trend and required change as fractions with a
percent format: a gap of 10 points showed as "-10.00%", a share of nothing. They are now
the points themselves, shown "-10.00 pp" (vi "-10,00 điểm %"), and the Vietnamese
headings say "(điểm %)" as the text report's do.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from learnsoc.report.tables import to_xlsx
from learnsoc.targets import Progress, progress
from tests._workbooks import column_ids
from tests.optional import require
from tests.report.test_golden import trend_progress
from tests.targets.helpers import counts, target_set, two_level, value_target

#: A custom indicator: families reading, of all families, with a factor from the test.
INDICATOR = """
[indicators.reading_families]
numerator = "readers"
denominator = "families"
factor = {factor}
decimals = 2
label = {{ vi = "tỷ số gia đình đọc sách", en = "ratio of reading families" }}
"""


def reading_progress(factor: int, value: str, *, with_percent: bool = False) -> Progress:
    """Xã A: 40 of 100 families read in 2022, 50 in 2024; the 2026 target is 0.6 of them."""
    h = two_level(("Xã A",))
    data = {
        2022: counts(h, families=[100], readers=[40], learning_families=[40]),
        2024: counts(h, families=[100], readers=[50], learning_families=[50]),
    }
    targets = value_target("reading_families", value, year=2026, level="commune")
    if with_percent:
        targets += value_target("learning_families", "60", year=2026, level="commune")
    return progress(data, target_set(targets, INDICATOR.format(factor=factor)), year=2026)


def _comma(locale: str) -> Callable[[str], str]:
    """Return what writes an English number as the locale does (a decimal comma in vi)."""

    def written(text: str) -> str:
        return text.replace(".", ",") if locale == "vi" else text

    return written


def cells(prog: Progress, locale: str) -> list[dict[str, str]]:
    """Each row's cells by column key, and the headings under the key ``heading``."""
    report = prog.report(locale)
    keys = [c.key for c in report.columns]
    rows = [dict(zip(keys, row.cells, strict=True)) for row in report.sections[0].rows]
    return [{c.key: c.heading for c in report.columns}, *rows]


@pytest.mark.parametrize(
    ("locale", "headings"),
    [
        ("en", ("gap", "trend (per year)", "required (per year)")),
        ("vi", ("chênh lệch", "xu hướng (mỗi năm)", "cần thay đổi (mỗi năm)")),
    ],
)
def test_a_ratios_differences_are_headed_in_its_own_units(
    locale: str, headings: tuple[str, str, str]
) -> None:
    """0.50 against ≥ 0.6: 0.10 short; (0.50 - 0.40) / 2 = +0.05 a year so far, and
    (0.6 - 0.50) / (2026 - 2024) = +0.05 a year still required: no "pp" anywhere."""
    heading, row = cells(reading_progress(1, "0.6"), locale)
    assert (heading["gap"], heading["trend"], heading["required"]) == headings
    comma = _comma(locale)
    gap, trend, required = 0.50 - 0.6, (50 / 100 - 40 / 100) / 2, (0.6 - 50 / 100) / 2
    assert row["observed"] == comma("0.50")
    assert (row["gap"], row["trend"], row["required"]) == tuple(
        comma(f"{x:+.2f}") for x in (gap, trend, required)
    )
    for form in ("text", "markdown", "html"):
        shown = getattr(reading_progress(1, "0.6"), f"to_{form}")(locale)
        assert "pp" not in shown and "điểm %" not in shown


def test_a_per_thousand_rates_differences_are_in_per_thousand_points() -> None:
    """500‰ against ≥ 600‰: 100 points short, +50 a year so far and still required."""
    heading, row = cells(reading_progress(1000, "600"), "en")
    assert (heading["gap"], heading["trend"], heading["required"]) == (
        "gap (‰ points)",
        "trend (‰ points per year)",
        "required (‰ points per year)",
    )
    assert (row["observed"], row["gap"], row["trend"], row["required"]) == (
        "500.00‰",
        f"{500 - 600:+.2f}",
        f"{(500 - 400) / 2:+.2f}",
        f"{(600 - 500) / 2:+.2f}",
    )
    vi, *_ = cells(reading_progress(1000, "600"), "vi")
    assert vi["gap"] == "chênh lệch (điểm ‰)"


def test_percentages_keep_their_pp_headings() -> None:
    """Every indicator a percentage: the headings of the bundled target sets, unchanged."""
    heading, *_ = cells(trend_progress(), "en")
    assert (heading["gap"], heading["trend"], heading["required"]) == (
        "gap (pp)",
        "trend (pp per year)",
        "required (pp per year)",
    )


@pytest.mark.parametrize(("locale", "pp"), [("en", "pp"), ("vi", "điểm %")])
def test_a_table_of_both_kinds_writes_the_points_unit_after_each_percentage(
    locale: str, pp: str
) -> None:
    """The ratio's row: -0.10, no unit; the share of learning families' row: 50% against
    ≥ 60% is 10 points short, +5 points a year so far and still required."""
    heading, *rows = cells(reading_progress(1, "0.6", with_percent=True), locale)
    assert heading["gap"] == ("gap" if locale == "en" else "chênh lệch")
    ratio, share = rows  # in the target file's order
    assert "gia đình đọc sách" in ratio["indicator"] or "reading" in ratio["indicator"]
    comma = _comma(locale)
    assert ratio["gap"] == comma("-0.10")
    assert (share["gap"], share["trend"], share["required"]) == (
        comma(f"{50 - 60:+.2f}") + f" {pp}",
        comma(f"{(50 - 40) / 2:+.2f}") + f" {pp}",
        comma(f"{(60 - 50) / 2:+.2f}") + f" {pp}",
    )


@pytest.mark.parametrize(
    ("locale", "unit", "headings"),
    [
        ("en", "pp", ("gap", "trend", "required")),
        (
            "vi",
            "điểm %",
            (
                "chênh lệch so với mục tiêu (điểm %)",
                "mức thay đổi mỗi năm đến nay (điểm %/năm)",
                "mức thay đổi mỗi năm còn cần đạt (điểm %/năm)",
            ),
        ),
    ],
)
def test_the_workbook_writes_percentage_points_not_percentages(
    tmp_path: Path, locale: str, unit: str, headings: tuple[str, str, str]
) -> None:
    """Xã Minh Tân: 50% against 60%, from 40% two years before: the gap is -10 points,
    the trend and the change required +5 points a year; the rate stays a percentage."""
    require("openpyxl")
    from openpyxl import load_workbook

    path = to_xlsx(trend_progress(), tmp_path / f"progress-{locale}.xlsx", locale=locale)
    sheet = load_workbook(path).worksheets[0]
    ids = column_ids(sheet)
    row = dict(zip(ids, sheet[2], strict=True))
    heads = dict(zip(ids, (c.value for c in sheet[1]), strict=True))
    assert (heads["gap"], heads["trend"], heads["required"]) == headings
    assert (row["value"].value, row["value"].number_format) == (105 / 210, "0.00%")
    trend = (105 / 210 - 80 / 200) * 100 / 2
    assert [row[k].value for k in ("gap", "trend", "required")] == pytest.approx(
        [105 / 210 * 100 - 60, trend, (60 - 105 / 210 * 100) / 2]
    )
    for k in ("gap", "trend", "required"):
        assert "%" not in row[k].number_format.replace(f'"{unit}"', "").replace(unit, "")
        assert f'+0.00" {unit}"' in row[k].number_format
