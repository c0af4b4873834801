"""What a Vietnamese notebook shows names things in Vietnamese, and numbers with their sign.

After ``ls.set_locale("vi")`` the reprs of a rollup and a results table listed measure and
indicator ids (``learning_families``), an explanation's repr its title id and a "vi:" tag;
the missing-inputs warning listed bare ids and did not say how Python gives them; a trend
that rounds to nothing was printed "-0.00". Expected strings are written by hand.
"""

from __future__ import annotations

import learnsoc as ls
from learnsoc.report._format import format_trend
from learnsoc.rules._partial import decided_on_text
from tests.optional import needs
from tests.report.test_golden import trend_progress
from tests.targets.helpers import counts, target_set, two_level, value_target


def _families() -> ls.Rollup:
    h = ls.Hierarchy.from_units(
        {"code": ["02"], "name": ["Hà Giang"], "level": ["province"], "parent_code": [None]},
        levels=["province"],
    )
    return ls.rollup_counts(
        {"unit_code": ["02"], "families": [1250], "learning_families": [875]}, h
    )


def test_a_rollup_repr_names_its_measures_in_the_notebooks_language() -> None:
    roll = _families()
    with ls.use_locale("vi"):
        assert repr(roll) == (
            "Rollup(cấp tỉnh: 1, tổng: 1; 4 số đếm: Số gia đình, Số Gia đình học tập, "
            "Số đơn vị đã báo cáo, Số đơn vị phải báo cáo; 0 tỷ lệ)"
        )
    # English keeps the ids a program types.
    assert repr(roll) == (
        "Rollup(1 province, 1 total; 4 measures: families, learning_families, "
        "units_reporting, units_expected; 0 rates)"
    )


def test_a_results_repr_names_its_indicators_and_tells_apart_those_named_alike() -> None:
    roll = ls.rollup_counts(
        {"unit_code": ["02"], "families": [1250], "households": [1300], "learning_families": [875]},
        _families().hierarchy,
    )
    res = ls.results(roll, indicators=["learning_families", "learning_families_of_households"])
    with ls.use_locale("vi"):
        # The variant's own name says its basis (labels14): the two are apart already.
        assert repr(res) == (
            "Results([Tỷ lệ Gia đình học tập, Tỷ lệ Gia đình học tập trên tổng số hộ gia "
            "đình]: 2 dòng)"
        )
    assert repr(res) == "Results([learning_families, learning_families_of_households]: 2 rows)"


def test_a_trend_that_rounds_to_nothing_has_no_sign() -> None:
    """0.00 whichever side of zero the exact trend lies; a visible one keeps its sign."""
    assert format_trend(-0.001, 2, "en", "half_up") == "0.00"
    assert format_trend(0.004, 2, "vi", "half_up") == "0,00"
    assert format_trend(-0.009, 2, "en", "truncate") == "0.00"
    assert format_trend(-0.006, 2, "vi", "half_up") == "-0,01"
    assert format_trend(0.5, 1, "en", "half_up") == "+0.5"


def test_a_progress_report_shows_a_flat_trend_as_zero() -> None:
    """10,000 of 20,000 families in 2022, 9,999 of 19,999 in 2024: the share fell by
    0.0025 points in two years, -0.00125 a year, which two decimals show as 0.00."""
    h = two_level(("Xã Minh Tân",))
    data = {
        2022: counts(h, families=[20_000], learning_families=[10_000]),
        2024: counts(h, families=[19_999], learning_families=[9_999]),
    }
    targets = target_set(value_target("learning_families", "60", year=2026, level="commune"))
    prog = ls.progress(data, targets, year=2026)
    trend = (9_999 / 19_999 - 10_000 / 20_000) * 100 / 2
    assert -0.005 < trend < 0
    for locale, zero in (("en", "0.00"), ("vi", "0,00")):
        report = prog.report(locale)
        keys = [c.key for c in report.columns]
        cells = dict(zip(keys, report.sections[0].rows[0].cells, strict=True))
        assert cells["trend"] == zero, locale
    # The golden table's trends, not rounded to nothing, keep their sign.
    report = trend_progress().report("en")
    keys = [c.key for c in report.columns]
    assert dict(zip(keys, report.sections[0].rows[0].cells, strict=True))["trend"] == "+5.00"


def test_the_partial_data_note_says_what_the_rest_are() -> None:
    """ "...; 12 on all" named no noun: the rest are villages (thôn) decided on complete data,
    the noun agreeing with their count, and none is no clause at all."""
    assert decided_on_text("village", 94, 106, ("household",), "CĐHT", "en") == (
        "CĐHT: 94 of the 106 villages were decided on the families with data; "
        "12 other villages on complete data"
    )
    assert decided_on_text("village", 94, 106, ("household",), "CĐHT", "vi") == (
        "CĐHT: 94 trong số 106 thôn, tổ dân phố được quyết định chỉ dựa trên các gia đình có "
        "dữ liệu; 12 thôn, tổ dân phố còn lại dựa trên đầy đủ dữ liệu"
    )
    assert decided_on_text("clan", 2, 3, ("household",), "DH", "en").endswith(
        "; 1 other clan on complete data"
    )
    assert decided_on_text("clan", 3, 3, ("household",), "DH", "en") == (
        "DH: 3 of the 3 clans were decided on the families with data"
    )


@needs("matplotlib")
def test_a_plot_names_an_unnamed_unit_as_the_report_does() -> None:
    """Province 02 has no name in the units table: the report writes "02", the plot wrote
    "02 (02)"; a named one is "Cao Bằng (04)" in both."""
    h = ls.Hierarchy.from_units(
        {
            "code": ["02", "04"],
            "name": [None, "Cao Bằng"],
            "level": ["province", "province"],
            "parent_code": [None, None],
        },
        levels=["province"],
    )
    roll = ls.rollup_counts(
        {"unit_code": ["02", "04"], "clans": [10, 20], "learning_clans": [4, 5]}, h
    )
    res = ls.results(roll, indicators=["learning_clans"])
    for locale in ("en", "vi"):
        ax = res.plot(locale=locale, level="province")
        assert [t.get_text() for t in ax.get_yticklabels()] == ["02", "Cao Bằng (04)"]
        table = res.to_text(locale).splitlines()
        assert any(line.startswith("02 ") for line in table)
        assert any(line.startswith("Cao Bằng (04) ") for line in table)
