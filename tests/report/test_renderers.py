"""Renderers: HTML escapes every value, text aligns and paginates, Markdown escapes markup,
rounding is a display option, and the report is built from the catalogs."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import learnsoc as ls
from learnsoc.i18n import LocaleError, round_decimal
from learnsoc.report import Column, Report, Row, Section
from learnsoc.report._format import grouped
from learnsoc.report.text import display_width, escape_markdown, render_text
from learnsoc.targets import Progress, load_targets, progress
from tests.targets.helpers import (
    counts,
    ha_giang,
    province_counts,
    target_set,
    two_level,
    value_target,
)

HOSTILE = "<script>alert(\"x\")</script> & 'q'"


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.text: list[str] = []
        self.attrs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attrs.extend(v or "" for _, v in attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def hostile_progress() -> Progress:
    """A tree, a target set and an indicator whose names all hold markup."""
    h = ls.Hierarchy.from_units(
        {
            "code": ["02", "<b>1</b>"],
            "name": [HOSTILE, f"Xã {HOSTILE}"],
            "level": ["province", "commune"],
            "parent_code": [None, "02"],
        },
        levels=["province", "commune"],
    )
    roll = counts(h, families=[10], learning_families=[7])
    quoted = HOSTILE.replace('"', '\\"')
    indicators = f"""
[indicators.learning_families]
numerator = "learning_families"
denominator = "families"
label = {{ vi = "<i>gia đình</i>", en = "{quoted}" }}
"""
    targets = target_set(value_target("learning_families", "60", level="commune"), indicators)
    return progress(roll, targets, year=2025, levels=["province", "commune"])


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_html_escapes_every_value(locale: str) -> None:
    out = hostile_progress().to_html(locale)
    parser = _Collect()
    parser.feed(out)
    allowed = {
        "div",
        "style",
        "h3",
        "p",
        "br",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "span",
        "ul",
        "li",
    }
    assert parser.tags <= allowed
    assert "<script>" not in out and "<b>" not in out and "<i>" not in out
    shown = "".join(parser.text)
    assert "<b>1</b>" in shown
    assert HOSTILE in shown or "<i>gia đình</i>" in shown
    assert f"Xã {HOSTILE}" in shown


def test_html_limits_rows_and_says_how_many_are_hidden() -> None:
    h = two_level()
    roll = counts(h, families=[10, 10, 10], learning_families=[7, 5, 6])
    prog = progress(
        roll, target_set(value_target("learning_families", "60", level="commune")), year=2025
    )
    out = prog.to_html("vi", max_rows=1)
    assert out.count('<tr class="ls-row-') == 1
    assert "còn 2 dòng" in out
    assert "2 more rows" in prog.to_html("en", max_rows=1)
    assert "1 more row<" in prog.to_html("en", max_rows=2)
    assert prog._repr_html_() == prog.to_html(max_rows=60)


def test_markdown_escapes_markup_and_keeps_tables_intact() -> None:
    md = hostile_progress().to_markdown("en")
    assert "<script>" not in md
    assert "\\<script\\>" in md
    for line in md.splitlines():
        if line.startswith("| "):
            assert line.count(" | ") == 8, line  # nine cells: no stray pipes
    assert escape_markdown("a|b*c_d") == "a\\|b\\*c\\_d"


def test_text_aligns_decomposed_vietnamese() -> None:
    nfd = unicodedata.normalize("NFD", "Xã Lũng Cú")
    rep = Report(
        "T",
        (Column("u", "đơn vị"), Column("v", "giá trị", "right")),
        (Section("S", (Row((nfd, "1")), Row(("Xã A", "22")))),),
    )
    lines = render_text(rep).splitlines()
    body = lines[-2:]
    assert [display_width(line) for line in body] == [display_width(lines[3])] * 2
    assert display_width(nfd) == 10 and len(nfd) > 10


def test_text_pagination_repeats_headings_and_numbers_pages() -> None:
    rows = tuple(Row((f"x{i}",)) for i in range(5))
    rep = Report("T", (Column("a", "unit"),), (Section("S", rows, "5 rows"),), locale="en")
    out = rep.to_text(page_size=2)
    assert out.count("\nS\nunit\n----\n") == 3
    assert [line for line in out.splitlines() if "page" in line] == [
        "— page 1 of 3 —",
        "— page 2 of 3 —",
        "— page 3 of 3 —",
    ]
    assert out.count("5 rows") == 1
    single = rep.to_text(page_size=None)
    assert "page" not in single and single == str(rep)
    with pytest.raises(ValueError, match="page_size must be a positive"):
        rep.to_text(page_size=0)
    with pytest.raises(ValueError, match="has 2 cells; the report has 1 columns"):
        Report("T", (Column("a", "a"),), (Section("S", (Row(("1", "2")),)),))


def test_rounding_is_for_display_only() -> None:
    targets = load_targets("hanoi-23-nq-tu").select(indicators=["learning_families"])
    prog = progress(ha_giang(), targets, year=2025)
    cells = {
        mode: prog.report("en", rounding=mode).sections[0].rows[0].cells[2]
        for mode in ("half_up", "truncate", "half_even")
    }
    assert cells == {"half_up": "73.59%", "truncate": "73.58%", "half_even": "73.59%"}
    assert prog.columns["numerator"].tolist() == [138068]  # counts untouched
    assert prog.report("vi", decimals=0).sections[0].rows[0].cells[2] == "74%"
    with pytest.raises(LocaleError, match="did you mean 'truncate'"):
        prog.report("en", rounding="truncat")


def test_gap_sign_follows_the_exact_gap_when_rounded_to_zero() -> None:
    """59.996% shows as 60.00% half up; the gap shows -0.00 and the status is not met."""
    targets = target_set(value_target("learning_families", "60"))
    just_under = progress(
        province_counts(families=100_000, learning_families=59_996), targets, year=2025
    )
    cells = just_under.report("en").sections[0].rows[0].cells
    assert cells[2] == "60.00%" and cells[6] == "-0.00" and cells[-1] == "not met"
    exact = progress(province_counts(families=10, learning_families=6), targets, year=2025)
    assert exact.report("en").sections[0].rows[0].cells[6] == "0.00"
    literacy = target_set(value_target("literacy_15_60", "99.5"))
    shown = progress(province_counts(persons_15_60=1000, literate_15_60=996), literacy, year=2025)
    # Shown with the target's decimal at least: 99.6%, gap +0.1.
    assert shown.report("en", decimals=0).sections[0].rows[0].cells[2::4] == ("99.6%", "+0.1")


def test_every_heading_and_status_comes_from_the_catalogs() -> None:
    prog = progress(ha_giang(), load_targets("hanoi-23-nq-tu"), year=2025)
    vi, en = prog.report("vi"), prog.report("en")
    assert [c.heading for c in vi.columns] != [c.heading for c in en.columns]
    assert {row.cells[-1] for row in vi.sections[0].rows} == {
        "đạt",
        "không có số liệu",
        "chưa đánh giá",
        # The district targets on an undated tree of one level, data of no year given.
        "không xác định được: hệ thống đơn vị hành chính không có ngày hiệu lực; hãy cho biết "
        "năm của số liệu (--year)",
    }
    assert vi.sections[0].heading == "Cấp tỉnh"
    assert vi.title.startswith("Tiến độ thực hiện mục tiêu")


@settings(max_examples=200, deadline=None)
@given(
    st.decimals(min_value=0, max_value=10**12, places=4, allow_nan=False),
    st.integers(0, 4),
    st.sampled_from(["vi", "en"]),
)
def test_fast_grouping_matches_babel(value: Decimal, decimals: int, locale: str) -> None:
    """Reports format numbers with Python's grouping and the locale's symbols: same as babel."""
    from babel.numbers import format_decimal

    rounded = round_decimal(value, decimals, "half_up")
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    assert grouped(rounded, decimals, locale) == format_decimal(rounded, pattern, locale=locale)


def test_previews_build_only_the_rows_shown() -> None:
    h = two_level()
    roll = counts(h, families=[10, 10, 10], learning_families=[7, 5, 6])
    prog = progress(
        roll,
        target_set(value_target("learning_families", "60")),
        year=2025,
        levels=["province", "commune"],
    )
    preview = Report.from_progress(prog, "en", max_rows=2)
    assert (preview.n_rows, preview.omitted) == (2, 2)
    assert [s.summary for s in preview.sections] == ["1 met", "2 met · 1 not met"]
    # The rows shown end the table; its notes (the target's clause) follow.
    assert preview.to_text().split("\n\nNotes:")[0].endswith("2 more rows")
    assert "2 more rows" in preview.to_html()
