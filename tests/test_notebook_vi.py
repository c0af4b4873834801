"""A notebook in Vietnamese: every object it shows, in Vietnamese, as valid escaped HTML.

An analyst writes ``ls.set_locale("vi")`` once; an explanation or a report made earlier in
English shows in Vietnamese through ``to_text("vi")`` / ``to_html("vi")``, made again from
what it was made of. Expected strings are written by hand.
"""

from __future__ import annotations

import html
import html.entities
import warnings
from html.parser import HTMLParser
from typing import Any

import pytest

import learnsoc as ls
from learnsoc.i18n import LocaleError
from learnsoc.report import Column, Report, Row, Section
from learnsoc.rules.explain import Explanation

from .rules.test_engine import CITIZEN, FAMILY, _book, _families, _run
from .rules.test_explain import GOLDEN, VILLAGE

#: Elements HTML writes without an end tag.
_VOID = {"br", "hr", "img", "input", "meta", "link", "col", "wbr"}


class _Checked(HTMLParser):
    """Every element closed in order, no script, no stray ``&`` or ``<`` in the text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        assert tag != "script", "a <script> element: user text was not escaped"
        if tag not in _VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open and self.open[-1] == tag, (self.open, tag)
        self.open.pop()

    def handle_data(self, data: str) -> None:
        assert "<" not in data, data
        self.text.append(data)

    def handle_entityref(self, name: str) -> None:
        assert name in html.entities.name2codepoint, name  # "&B" would be a bad one
        self.text.append(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.text.append(html.unescape(f"&#{name};"))


def _valid(page: str) -> str:
    """Return the text of ``page`` after checking it parses back as well-formed HTML."""
    parser = _Checked()
    parser.feed(page)
    parser.close()
    assert parser.open == [], f"elements left open: {parser.open}"
    return "".join(parser.text)


@pytest.fixture(scope="module")
def ev() -> Any:
    return _run(_families(), _book(CITIZEN, FAMILY, VILLAGE))


@pytest.mark.parametrize(("level", "entity"), [("household", "H1"), ("village", "V2")])
def test_an_explanation_made_in_english_shows_in_vietnamese(
    ev: Any, level: str, entity: str
) -> None:
    made = ev.explain(level, entity, locale="en")
    vi = GOLDEN[(level, entity, "vi")]
    assert made.to_text("vi") == vi
    assert made.to_html("vi") == (
        f'<pre class="learnsoc-explanation" lang="vi">{html.escape(vi)}</pre>'
    )
    assert str(made) == made.to_text() == GOLDEN[(level, entity, "en")]  # its own language
    assert made.to_text("vi_VN.UTF-8") == vi
    with ls.use_locale("vi"):
        # Made in English, it shows in English: the language it was made in.
        assert made._repr_html_().startswith('<pre class="learnsoc-explanation" lang="en">')


def test_an_explanation_built_by_hand_says_how_to_have_it_in_another_language() -> None:
    hand = Explanation("household", "hộ gia đình", "H1", ev_date(), "t 1", (), "vi")
    assert hand.to_text("vi") == hand.to_text() == ""
    with pytest.raises(LocaleError) as caught:
        hand.to_html("en")
    assert caught.value.localized("vi") == (
        "nội dung này được tạo bằng ngôn ngữ 'vi' và không thể tạo lại bằng 'en': hãy tạo "
        "bằng 'en' (ev.explain(..., locale=...))"
    )


def ev_date() -> Any:
    import datetime as dt

    return dt.date(2025, 12, 31)


def _clan_counts() -> ls.Rollup:
    h = ls.Hierarchy.from_units(
        {"code": ["02"], "name": ["Hà Giang"], "level": ["province"], "parent_code": [None]},
        levels=["province"],
    )
    return ls.rollup_counts({"unit_code": ["02"], "clans": [2263], "learning_clans": [1564]}, h)


def _clans() -> ls.Results:
    return ls.results(_clan_counts(), indicators=["learning_clans"])


def test_a_report_made_in_english_shows_in_vietnamese() -> None:
    res = _clans()
    made = res.report("en")
    page = made.to_html("vi")
    assert page == res.report("vi").to_html()
    assert page.startswith('<div class="learnsoc-report" lang="vi">')
    # 1564 / 2263 = 0.691118...: the rate, its counts and what it is a rate of.
    assert (
        "<tr><td>Hà Giang (02)</td><td>Tỷ lệ Dòng họ học tập</td>"
        '<td class="ls-num">1.564 / 2.263 dòng họ</td><td class="ls-num">69,11%</td>'
        "<td>tổng số dòng họ</td>"
    ) in page
    assert made.to_text("vi").splitlines()[0] == (
        "Kết quả thực hiện các chỉ tiêu xây dựng xã hội học tập"
    )
    assert made.to_markdown("vi") == res.report("vi").to_markdown()
    assert "69.11%" in made.to_text() and "69.11%" in str(made)  # its own language
    assert made.in_locale("en") is made


def test_a_progress_report_made_in_english_shows_in_vietnamese() -> None:
    h = ls.Hierarchy.from_units(
        {"code": ["02"], "name": ["Hà Giang"], "level": ["province"], "parent_code": [None]},
        levels=["province"],
    )
    roll = ls.rollup_counts({"unit_code": ["02"], "clans": [2263], "learning_clans": [1564]}, h)
    targets = ls.load_targets("hanoi-23-nq-tu").select(indicators=["learning_clans"])
    prog = ls.progress(roll, targets, year=2025)
    made = prog.report("en", decimals=1)
    assert made.to_text("vi") == prog.to_text("vi", decimals=1)
    row = made.in_locale("vi").sections[0].rows[0].cells
    assert row[2:5] == ("69,1%", "1.564 / 2.263 dòng họ", "tổng số dòng họ")


def test_a_report_built_by_hand_cannot_change_language() -> None:
    rep = Report("T", (Column("u", "đơn vị"),), (Section("S", (Row(("x",)),)),), locale="vi")
    assert "đơn vị" in rep.to_text("vi")
    with pytest.raises(LocaleError, match="made in 'vi' and cannot be made again in 'en'"):
        rep.to_text("en")


def test_a_report_repr_is_one_line_not_its_cells() -> None:
    rep = _clans().report("vi")
    assert repr(rep) == (
        "Report('Kết quả thực hiện các chỉ tiêu xây dựng xã hội học tập', vi: 1 section, 1 row)"
    )


def test_a_number_first_still_gives_the_page_size_with_a_warning() -> None:
    rep = _clans().report("en")
    with pytest.warns(DeprecationWarning, match="page_size=50"):
        old = rep.to_text(50)  # the old positional page_size
    assert old == rep.to_text(page_size=50)
    with pytest.warns(DeprecationWarning, match="max_rows=1"):
        assert rep.to_html(1) == rep.to_html(max_rows=1)


# ------------------------------------------------------------------ valid, escaped HTML

HOSTILE = {
    "code": ["01", "001", "002"],
    "name": ["<script>alert(1)</script>", "Xã A & B", 'Thôn "Đông" <b>'],
    "level": ["province", "commune", "commune"],
    "parent_code": [None, "01", "01"],
}


def _hostile_displays() -> dict[str, Any]:
    """Objects a notebook shows, over units whose names hold markup and ampersands."""
    tree = ls.Hierarchy.from_units(HOSTILE, levels=["province", "commune"])
    roll = ls.rollup_counts(
        {"unit_code": ["001", "002"], "clans": [1250, 4], "learning_clans": [875, 1]},
        tree,
        rates={"share": ("learning_clans", "clans")},
    )
    targets = ls.load_targets("hanoi-23-nq-tu").select(indicators=["learning_clans"])
    prog = ls.progress(roll, targets, year=2025, levels=["commune"])
    res = ls.results(roll, indicators=["learning_clans"])
    return {
        "Hierarchy": tree,
        "Rollup": roll,
        "Progress": prog,
        "Results": res,
        "Report": res.report("en"),
        "TargetSet": targets,
    }


def test_every_notebook_table_in_vietnamese_is_valid_html_with_user_text_escaped() -> None:
    for name, obj in _hostile_displays().items():
        with ls.use_locale("vi"):
            shown = obj._repr_html_() if name != "Report" else obj.to_html("vi")
        text = _valid(shown)
        assert "Tỷ lệ Dòng họ học tập" in text or name in {"Hierarchy", "Rollup"}, name
        if name in {"Rollup", "Progress", "Results", "Report"}:
            assert "Xã A & B" in text and 'Thôn "Đông" <b>' in text, name
            assert "<script>" not in shown and "&amp;" in shown, name
        if name in {"Rollup", "Results", "Report"}:  # the province: Progress shows communes
            assert "<script>alert(1)</script>" in text, name


def test_a_hostile_explanation_is_escaped() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # inputs the example rulebook reads and pop lacks
        pop = ls.synthetic_population(persons=300, seed=2)
        ev = ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31")
    made = ev.explain("household", 1, locale="en")
    hand = Explanation("<script>", "hộ & gia đình", "H<1>", ev_date(), "t 1", (), "vi")
    for page in (made.to_html("vi"), hand.to_html()):
        _valid(page)
        assert "<script>" not in page
    assert hand.to_html() == (
        '<pre class="learnsoc-explanation" lang="vi"></pre>'  # no titles: nothing to say
    )


# ------------------------------------------------------------- errors and warnings in cells


def test_an_error_in_a_vietnamese_notebook_cell_says_its_message_in_vietnamese() -> None:
    """A cell's traceback prints ``str(err)``: in the default locale, English kept apart."""
    import traceback

    with pytest.raises(ls.RulebookError) as caught:
        ls.load_rulebook("vn-natinal")
    err = caught.value
    with ls.use_locale("vi"):
        shown = traceback.format_exception_only(type(err), err)[-1]
        assert err.english() == "no bundled rulebook 'vn-natinal'; did you mean 'vn-national'?"
    assert shown == (
        "learnsoc.errors.RulebookError: không có bộ tiêu chí 'vn-natinal' trong các bộ có "
        "sẵn; có phải ý bạn là 'vn-national'?\n"
    )
    assert str(err) == "no bundled rulebook 'vn-natinal'; did you mean 'vn-national'?"


def test_an_unknown_id_in_a_vietnamese_cell_is_said_in_vietnamese(ev: Any) -> None:
    with pytest.raises(ls.errors.UnknownIdError) as caught:
        ev.explain("household", "H99")
    with ls.use_locale("vi"):
        assert str(caught.value) == "không có hộ gia đình nào mang mã 'H99'"
    assert str(caught.value) == "no household with id 'H99'"


def test_a_warning_in_a_vietnamese_notebook_cell_is_printed_in_vietnamese() -> None:
    """``warnings`` prints ``str(message)`` when it shows it, in the locale of that moment."""
    with pytest.warns(ls.HierarchyDateWarning) as caught:
        ls.PRESETS["vn-2025"].check_year(2024)
    message = caught[0].message
    assert isinstance(message, ls.HierarchyDateWarning)
    with ls.use_locale("vi"):
        shown = warnings.formatwarning(message, type(message), "cell.py", 3)
    assert shown == (
        "cell.py:3: HierarchyDateWarning: dữ liệu đang dùng hệ thống đơn vị hành chính "
        "'vn-2025' (có hiệu lực từ 01/7/2025), nhưng năm 2024 nằm ngoài thời gian này; hãy "
        "dùng hệ thống đơn vị hành chính của năm đó ('vn-pre-2025' đến hết 30/6/2025)\n"
    )
    assert str(message).startswith("data is on the tree 'vn-2025', valid from 2025-07-01")


def test_a_schema_error_in_vietnamese_keeps_its_english_for_programs() -> None:
    err = ls.errors.SchemaError("person", "agee", "unknown column", choices=["age"])
    with ls.use_locale("vi"):
        assert str(err) == err.localized("vi") != err.english()
        assert err.english() == "person column 'agee': unknown column; did you mean 'age'?"
    assert str(err) == err.english()


# ------------------------------------------------------------------ one-line reprs


def test_reprs_say_their_words_in_the_default_locale() -> None:
    """``print(obj)`` and lists show ``repr()``: words and digits as the notebook's tables."""
    pop = ls.synthetic_population(persons=3_000, seed=7)
    assert (pop.n_persons, pop.n_households, pop.n_clans, pop.n_organisations) == (
        3_000, 899, 7, 8
    )  # fmt: skip
    english = repr(pop)
    with ls.use_locale("vi"):
        assert repr(pop) == (
            "Population(3.000 nhân khẩu, 899 hộ gia đình, 7 dòng họ, 8 cơ quan, đơn vị; "
            "cấp tỉnh: 1, cấp xã: 1, cấp thôn, tổ dân phố: 3; 0 dòng bị loại)"
        )
        assert repr(pop.summary()) == (
            "PopulationSummary('vn-2025': 3.000 nhân khẩu, 899 hộ gia đình, 7 dòng họ, "
            "8 cơ quan, đơn vị; 0 dòng bị loại)"
        )
        assert repr(pop.rejects).startswith(
            "Rejects(0 lỗi; hộ gia đình: đọc 899, nhận 899, loại 0; dòng họ: đọc 7, nhận 7, "
            "loại 0; người: đọc 3.000, nhận 3.000, loại 0; "
        )
        assert repr(ls.load_rulebook("vn-national")).startswith(
            "Rulebook('vn-national', phiên bản '"
        )
    assert english == (
        "Population(3,000 persons, 899 households, 7 clans, 8 organisations; "
        "1 province, 1 commune, 3 village; 0 rejected rows)"
    )


def test_a_tree_of_1250_communes_is_counted_the_vietnamese_way(
    communes_1250: ls.Hierarchy,
) -> None:
    with ls.use_locale("vi"):
        assert repr(communes_1250).endswith(": cấp tỉnh: 1, cấp xã: 1.250)")
    assert repr(communes_1250).endswith(": 1 province, 1,250 commune)")


def test_evaluation_reprs_date_as_vietnamese_documents_do(ev: Any) -> None:
    with ls.use_locale("vi"):
        assert repr(ev) == "Evaluation('t', tính đến ngày 31/12/2025: 3 danh hiệu, 32 nhân khẩu)"
        assert repr(ev.summary()) == "Summary(tính đến ngày 31/12/2025: 3 danh hiệu)"
        family = ev.verdicts_by_title["learning_family"]
        counts = family.counts()
        assert repr(family) == (
            "Verdicts('learning_family', hộ gia đình, bộ tiêu chí áp dụng từ ngày 01/01/2016: "
            f"{counts['entities']} đối tượng, {counts['assessed']} được đánh giá, "
            f"{counts['passed']} đạt, {counts['failed']} chưa đạt, {counts['unknown']} chưa rõ)"
        )
        # The level and the title by their labels (this rulebook's: "learning_family vi");
        # str() written in English says so.
        assert repr(ev.explain("household", "H1", locale="en")) == (
            "Explanation(hộ gia đình 'H1': learning_family vi: đạt; viết bằng tiếng Anh)"
        )
        assert repr(ev.explain("household", "H1", locale="vi")) == (
            "Explanation(hộ gia đình 'H1': learning_family vi: đạt)"
        )
    assert repr(ev.explain("household", "H1", locale="vi")) == (
        "Explanation('household', 'H1', vi: learning_family: granted)"
    )
    assert repr(ev) == "Evaluation('t', as of 2025-12-31: 3 titles, 32 persons)"


def test_progress_results_and_targets_reprs_in_vietnamese() -> None:
    res = _clans()
    targets = ls.load_targets("hanoi-23-nq-tu")
    prog = ls.progress(_clan_counts(), targets.select(indicators=["learning_clans"]), year=2025)
    with ls.use_locale("vi"):
        assert repr(res) == "Results([Tỷ lệ Dòng họ học tập]: 1 dòng)"
        assert repr(prog) == "Progress('hanoi-23-nq-tu', 2025: 1 dòng; 1 đạt)"
        assert repr(targets) == "TargetSet('hanoi-23-nq-tu': 52 mục tiêu cho các năm 2025, 2030)"
    assert repr(prog) == "Progress('hanoi-23-nq-tu', 2025: 1 row; 1 met)"


def test_a_rulebook_error_read_in_a_vietnamese_cell_keeps_its_place_in_the_file(
    tmp_path: Any,
) -> None:
    """An error made from another one (the file's place, then the problem) under vi.

    Its English is made in English whatever the default locale, so that the place is
    kept when the message is said in Vietnamese.
    """
    from .rules.test_messages_vi import EXPR, _title

    bad = tmp_path / "bad.toml"
    bad.write_text(_title("literat"), encoding="utf-8")
    with ls.use_locale("vi"), pytest.raises(ls.RulebookError) as caught:
        ls.load_rulebook(bad)
    with ls.use_locale("vi"):
        shown = str(caught.value)
    assert shown == (
        f"{bad}:17:9 {EXPR}: không có tên 'literat' của người; có phải ý bạn là 'literate'?"
    )
    assert caught.value.english() == (
        f"{bad}:17:9 {EXPR}: unknown person name 'literat'; did you mean 'literate'?"
    )
