"""The words of reports: Vietnamese in the terms of the official documents, English without
"propaganda" (issue 12, item 6).

These tests scan the catalogs, the bundled target and rule files and the golden reports for
the patterns that crept in before: English identifiers inside Vietnamese sentences, two
styles of level headers, babel's "16 tháng 11, 2023" dates, several words for one term.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po

import learnsoc as ls
from learnsoc.cli import help_messages
from learnsoc.i18n import format_date, gettext
from learnsoc.model.hierarchy import PRESETS
from learnsoc.report._build import section_heading
from learnsoc.targets.indicators import INDICATORS

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "learnsoc" / "locale"
DATA = ROOT / "learnsoc" / "data"
GOLDEN = ROOT / "tests" / "report" / "golden"

#: An ASCII identifier with an underscore (``learning_families``, ``as_of``) or a keyword
#: argument (``inputs=``): code, not Vietnamese.
IDENTIFIER = re.compile(r"\b[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+\b|\b[a-z_]+=")
PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([A-Za-z_]+\)[sdr]")
#: A date in figures: Vietnamese reports write "ngày 16/11/2023" (Decree 30/2020/NĐ-CP:
#: a leading zero for days below 10 and for January and February).
DATE = re.compile(r"(\S*\s*)\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
#: Several words were used for one thing; the documents use the first of each pair.
FORBIDDEN_VI = [
    ("information-literacy", "kỹ năng thông tin", "năng lực thông tin"),
    ("status-no-data", "không có dữ liệu", "không có số liệu"),
    ("missing-data", "thiếu dữ liệu", "thiếu số liệu"),
    ("learning-district", "Huyện học tập", "Cộng đồng học tập cấp huyện"),
    ("unesco-network", "Mạng lưới thành phố học tập", "Mạng lưới các thành phố học tập toàn cầu"),
    ("unesco-network-2", "Mạng lưới toàn cầu", "Mạng lưới các thành phố học tập toàn cầu"),
    ("unesco-city", "thành phố học tập toàn cầu UNESCO", "thành phố học tập toàn cầu của UNESCO"),
    ("counts-column", "tử số / mẫu số", "số đạt / tổng số"),
    ("rulebook", "bộ quy tắc", "bộ tiêu chí"),
    ("population", "tập dân cư", "dân số"),
    # "Tiến độ" is progress towards targets; a bar on the screen is "thanh tiến trình".
    ("progress-bar", "thanh tiến độ", "thanh tiến trình"),
]
#: "thôn" alone leaves out the urban residential groups: the documents name both.
BARE_VILLAGE = re.compile(r"\bthôn\b(?!, (tổ dân phố|làng|ấp|bản))")


def _catalog(locale: str) -> list[tuple[str, str]]:
    with (LOCALE / locale / "LC_MESSAGES" / "learnsoc.po").open("rb") as fp:
        catalog = read_po(fp, locale=locale)
    pairs = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        pairs += [(str(i), str(s)) for i in ids for s in strings]
    return pairs


def _texts(node: Any, locale: str) -> Iterator[str]:
    """Every ``{vi = ..., en = ...}`` text of a parsed TOML file, in one locale."""
    if isinstance(node, dict):
        if isinstance(node.get(locale), str) and set(node) <= {"vi", "en"}:
            yield node[locale]
        for value in node.values():
            yield from _texts(value, locale)
    elif isinstance(node, list):
        for value in node:
            yield from _texts(value, locale)


def _bundled(locale: str) -> list[tuple[str, str]]:
    out = []
    for path in sorted([*DATA.glob("targets/*.toml"), *DATA.glob("rulebooks/*.toml")]):
        with path.open("rb") as fp:
            parsed = tomllib.load(fp)
        out += [(path.name, text) for text in _texts(parsed, locale)]
    return out


VI_CATALOG = _catalog("vi")
VI_TEXTS = [(f"msgid {i!r}", s) for i, s in VI_CATALOG] + _bundled("vi")


def _identifiers(text: str) -> set[str]:
    return set(IDENTIFIER.findall(PLACEHOLDER.sub("", text)))


def test_no_english_identifiers_inside_vietnamese_messages() -> None:
    """A Vietnamese message names things in words; it may show only the code the English
    message shows too (a column, a TOML key, an option a user types: ``unit_code``,
    ``--decimals learning_families=2``), never a new identifier in place of words."""
    english = {f"msgid {i!r}": i for i, _ in VI_CATALOG}
    found = [
        (where, sorted(_identifiers(text) - _identifiers(english.get(where, ""))))
        for where, text in VI_TEXTS
        if _identifiers(text) - _identifiers(english.get(where, ""))
    ]
    assert found == []


def test_a_vietnamese_message_keeps_only_the_code_words_of_its_english() -> None:
    """The check above still finds an identifier the English does not show."""
    assert _identifiers("không có cột số đếm nào ngoài unit_code") == {"unit_code"}
    assert _identifiers("by={by!r}: không có cột phân tổ nào") == {"by="}
    assert not _identifiers("số hộ gia đình học tập")


def test_command_line_help_keeps_only_the_syntax_a_user_types() -> None:
    """``--help`` in Vietnamese may show what is typed ("--decimals learning_families=2"),
    copied from the English help, and no other identifier."""
    vi = dict(VI_CATALOG)
    found = [
        (msgid, word)
        for msgid in help_messages()
        for word in IDENTIFIER.findall(PLACEHOLDER.sub("", vi[msgid]))
        if word not in msgid
    ]
    assert found == []


@pytest.mark.parametrize("name", sorted(p.name for p in GOLDEN.glob("*.vi.*")))
def test_vietnamese_reports_print_no_identifiers(name: str) -> None:
    """Notes name missing figures in words ("số đạt và tổng số ..."); a column the data
    lack is named as the file writes it, in backticks (`employment`), the only code shown."""
    text = (GOLDEN / name).read_text(encoding="utf-8")
    text = re.sub(r"\\?`[^`]*`", " ", text)
    # HTML tags, their attributes and the style sheet are not words.
    text = re.sub(r"<style>.*?</style>|<[^>]*>", " ", text, flags=re.S)
    assert IDENTIFIER.findall(text.replace("\\_", "_")) == []


def test_missing_measures_are_named_in_words_in_vietnamese() -> None:
    ind = INDICATORS["literacy_15_60"]
    measures = ("literate_15_60", "persons_15_60")
    assert ind.measures_display(measures, "vi") == "số đạt và tổng số người trong độ tuổi 15-60"
    assert ind.measures_display(measures[1:], "vi") == "tổng số người trong độ tuổi 15-60"
    # English names the count-table columns the user has to add.
    assert ind.measures_display(measures, "en") == "literate_15_60, persons_15_60"


def test_english_says_awareness_raising_never_propaganda() -> None:
    ids = [i for i, _ in _catalog("en")]
    assert [i for i in ids if "propaganda" in i.lower()] == []
    assert [t for t in _bundled("en") if "propaganda" in t[1].lower()] == []
    book = ls.load_rulebook("vn-national")
    (label,) = (s.label for s in book.inputs if s.name == "c1_propaganda")
    assert "tuyên truyền" in label.vi.lower()
    assert "awareness-raising" in label.en


@pytest.mark.parametrize(
    ("old", "new"), [t[1:] for t in FORBIDDEN_VI], ids=[t[0] for t in FORBIDDEN_VI]
)
def test_one_term_for_each_thing(old: str, new: str) -> None:
    """The documents' word (``new``) everywhere, never the other (``old``)."""
    assert [(where, text) for where, text in VI_TEXTS if old in text] == []
    golden = [p.name for p in GOLDEN.glob("*.vi.*") if old in p.read_text(encoding="utf-8")]
    assert golden == []


#: An indicator is "chỉ tiêu", as the plans and the national statistical indicator system
#: (Luật Thống kê 2015, "hệ thống chỉ tiêu thống kê quốc gia") and the tables' column say;
#: "chỉ số" is an index. Only the proxy title keeps "chỉ số thay thế" (a substitute
#: measure, not an indicator of a plan).
INDEX_WORD = re.compile(r"chỉ số(?! thay thế)")


def test_an_indicator_is_chi_tieu_in_every_vietnamese_text() -> None:
    """Errors said "chỉ số" where the tables head the same thing "chỉ tiêu"."""
    assert [(where, text) for where, text in VI_TEXTS if INDEX_WORD.search(text)] == []
    english_says_indicator = [
        (i, s)
        for i, s in VI_CATALOG
        if re.search(r"\bindicators?\b", PLACEHOLDER.sub("", i), re.I) and "chỉ tiêu" not in s
    ]
    # Only messages where "indicator" is a key a file or an option must spell so.
    assert sorted(i for i, _ in english_says_indicator) == [
        "--decimals: {part!r} is not INDICATOR=N (N a whole number from 0 to 10), e.g. "
        "learning_families=2,learning_units=0",
        "[indicators] must be a table of tables",
        "a {kind} target needs an 'indicator'",
    ]
    golden = [p.name for p in GOLDEN.glob("*.vi.*") if INDEX_WORD.search(p.read_text("utf-8"))]
    assert golden == []
    assert gettext("indicator", "vi") == "chỉ tiêu"


def test_village_level_units_are_named_as_the_documents_do() -> None:
    assert [(w, t) for w, t in VI_TEXTS if BARE_VILLAGE.search(t)] == []
    assert gettext("village communities", "vi") == "cộng đồng thôn, tổ dân phố"


def test_level_headers_have_one_style() -> None:
    """Every level reads "Cấp tỉnh", "Cấp huyện", "Cấp xã", ... as a section header."""
    levels = {lv.name: lv for spec in PRESETS.values() for lv in spec.levels}
    headers = {name: section_heading(lv.display("vi")) for name, lv in levels.items()}
    assert headers == {
        "province": "Cấp tỉnh",
        "district": "Cấp huyện",
        "commune": "Cấp xã",
        "village": "Cấp thôn, tổ dân phố",
    }
    assert {name: section_heading(lv.display("en")) for name, lv in levels.items()} == {
        "province": "Province",
        "district": "District",
        "commune": "Commune",
        "village": "Village",
    }
    for path in GOLDEN.glob("*.vi.txt"):
        text = path.read_text(encoding="utf-8")
        assert "Tỉnh, thành phố\n" not in text, path.name


def test_every_indicator_reads_as_a_rate_in_vietnamese() -> None:
    """ "Tỷ lệ Gia đình học tập", never a bare title name, as an indicator's label."""
    assert [i for i, ind in INDICATORS.items() if not ind.display("vi").startswith("Tỷ lệ ")] == []
    # English names a rate as one too ("share of workers with training", not "workers with
    # training").
    assert [
        i for i, ind in INDICATORS.items() if not ind.display("en").startswith("share of ")
    ] == []
    for path in sorted(DATA.glob("targets/*.toml")):
        targets = ls.load_targets(path.stem)
        for t in targets.targets:
            ind = targets.indicator_of(t)
            if ind is not None:
                assert t.display(ind, "vi").startswith("Tỷ lệ "), (path.stem, t.id)


@pytest.mark.parametrize(
    ("day", "vi"),
    [
        (dt.date(2023, 11, 16), "ngày 16/11/2023"),
        (dt.date(2025, 7, 1), "ngày 01/7/2025"),
        (dt.date(2013, 1, 9), "ngày 09/01/2013"),
        (dt.date(2024, 2, 12), "ngày 12/02/2024"),
    ],
)
def test_report_dates_in_the_style_of_official_documents(day: dt.date, vi: str) -> None:
    assert format_date(day, "vi", "report") == vi
    assert format_date(day, "en", "report") == format_date(day, "en", "long")


def test_dates_in_vietnamese_messages_and_reports_follow_one_style() -> None:
    texts = [*VI_TEXTS, *((p.name, p.read_text(encoding="utf-8")) for p in GOLDEN.glob("*.vi.*"))]
    for where, text in texts:
        assert not re.search(r"tháng \d+, \d{4}", text), where  # babel's "16 tháng 11, 2023"
        for before, d, m, y in DATE.findall(text):
            if "ngày" not in before:
                continue  # a period ("2016-2020") or a clause, not a date
            want = format_date(dt.date(int(y), int(m), int(d)), "vi", "report")
            assert f"ngày {d}/{m}/{y}" == want, (where, text)


def test_a_source_line_gives_the_date_as_an_official_report_does() -> None:
    report = (GOLDEN / "ha_giang.vi.txt").read_text(encoding="utf-8")
    assert "tầm nhìn đến năm 2045, ngày 16/11/2023\n" in report
    assert "November 16, 2023" in (GOLDEN / "ha_giang.en.txt").read_text(encoding="utf-8")
