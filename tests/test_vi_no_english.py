"""What a Vietnamese agency reads has no English words left in it (ids and file names aside).

Each test makes what the documented jobs show in Vietnamese (the notebook's tables and
explanations after ``ls.set_locale("vi")``, the command line with ``--locale vi``) and
scans it for English words. Ids stay as written: a word joined to another by ``_``, ``.``,
``-`` or ``/`` (``unit_tier``, ``organisation.c1_plan``, ``hanoi-23-nq-tu``), or inside
quotes or backticks, is not a word a reader reads.
"""

from __future__ import annotations

import argparse
import html
import re
import warnings
from typing import Any

import pytest

import learnsoc as ls
from learnsoc.cli import main

#: English words that are not also Vietnamese syllables ("in", "to", "an", "no" are).
_LINES = (
    "the of and with for not from this that are was were been rows row file files unit units",
    "title titles level levels granted missing unknown target targets value values rate total",
    "household households person persons family families clan clans organisation",
    "organisations commune communes district districts province provinces village villages",
    "accepted rejected error warning column columns criteria criterion passed failed assessed",
    "points grade yes none learning citizen citizens community communities membership",
    "application endorsement recognition abolished share count sum mean uncertain data tier",
    "advanced excellent basic satisfactory accredited applicable features declaration",
    "building cities city network global key",
)
ENGLISH = frozenset(word for line in _LINES for word in line.split())
_IDS = re.compile(
    r"'[^']*'|`[^`]*`|https?://\S+|--?[A-Za-z][\w-]*|\b[A-Z][A-Z_]+\b"
    r"|[A-Za-z0-9]+(?:[_./-][A-Za-z0-9]+)+"
)
#: Names that are the same in every language.
_NAMES = frozenset({"unesco", "learnsoc"})


def english_words(text: str) -> list[str]:
    """Return the English words of ``text`` (markup, ids, options and quoted values left out)."""
    words = re.sub(r"<[^>]+>", " ", text)
    words = _IDS.sub(" ", html.unescape(words))
    found = [w for w in re.findall(r"[A-Za-z]+", words) if w.lower() not in _NAMES]
    return sorted({w for w in found if w.lower() in ENGLISH})


def test_the_scan_finds_what_was_shown_before() -> None:
    """The leaks fixed here are found by the scan; ids beside them are not."""
    assert english_words("✓ Cấp tỉnh: unit_tier = province [GNLC membership]") == [
        "membership",
        "province",
    ]
    assert english_words("(UNESCO: Key Features of Learning Cities)") == [
        "Cities",
        "Features",
        "Key",
        "Learning",
        "of",
    ]
    assert english_words("không có số liệu cho organisation.c1_plan ('vn-national')") == []


@pytest.fixture(scope="module")
def national() -> tuple[ls.Population, Any]:
    pop = ls.synthetic_population(persons=2_000, seed=11)
    book = ls.load_rulebook("vn-national")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the abolished commune procedure, missing inputs
        ev = ls.evaluate(pop, book, "2025-12-31", inputs=ls.synthetic_inputs(pop, book, seed=3))
    return pop, ev


_LEVELS = ("person", "household", "clan", "organisation", "village", "commune", "province")


@pytest.mark.parametrize("level", _LEVELS)
def test_explanations_of_every_level_are_all_vietnamese(
    national: tuple[ls.Population, Any], level: str
) -> None:
    """Every title of the first entities of a level, in text and in a notebook."""
    pop, ev = national
    for entity in pop.ids(level)[:8]:
        why = ev.explain(level, entity, locale="vi")
        assert english_words(why.to_text()) == [], why.to_text()
        assert english_words(why.to_html()) == []


def test_an_evaluation_without_inputs_lists_them_in_words(
    national: tuple[ls.Population, Any],
) -> None:
    """The notebook's list of columns nobody gave says each input's label beside its id."""
    pop, _ = national
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ls.evaluate(pop, "vn-national", "2025-12-31")
    page = ev.to_html("vi")
    assert "<li>Có kế hoạch hằng năm và thực hiện kế hoạch (commune.c1_plan)</li>" in page
    assert "<li>a yearly plan, carried out (commune.c1_plan)</li>" in ev.to_html("en")
    assert english_words(page) == []


def test_every_notebook_table_of_the_path_is_vietnamese(
    national: tuple[ls.Population, Any],
) -> None:
    """Population, evaluation, verdicts, rollup, targets, progress, report, results."""
    pop, ev = national
    roll = ls.rollup(pop, ls.standard_measures(pop, titles=ls.standard_titles(ev)))
    targets = ls.load_targets("hanoi-23-nq-tu")
    prog = ls.progress(roll, targets, year=2025)
    shown = {
        "population": pop.to_html("vi"),
        "summary": pop.summary().to_html("vi"),
        "evaluation": ev.to_html("vi"),
        "verdicts": ev.verdicts("learning_family").to_html("vi"),
        "rollup": roll.to_html("vi"),
        "progress": prog.to_html("vi"),
        "report": prog.report("vi").to_html(),
        "results": ls.results(roll).to_html("vi"),
    }
    ls.set_locale("vi")
    try:
        shown["notebook explanation"] = ev.explain("province", pop.ids("province")[0])._repr_html_()
    finally:
        ls.set_locale("en")
    for name, page in shown.items():
        assert english_words(page) == [], name


@pytest.mark.parametrize(
    "argv",
    [
        ["demo", "--persons", "2000", "--locale", "vi"],
        ["rulebooks", "--locale", "vi"],
        ["targets", "--locale", "vi"],
    ],
)
def test_the_command_line_in_vietnamese(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """What ``learnsoc demo``, ``rulebooks`` and ``targets`` print with ``--locale vi``."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(argv) == 0
    out = capsys.readouterr()
    assert english_words(out.out + out.err) == []


def test_the_unesco_documents_are_named_in_vietnamese(
    national: tuple[ls.Population, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    """The learning city's version line and ``learnsoc rulebooks`` named them in English."""
    pop, ev = national
    line = ev.explain("learning_city", pop.ids("province")[0], locale="vi").to_text()
    assert "(UNESCO: Các đặc điểm chính của thành phố học tập; Tuyên bố Bắc Kinh về xây dựng " in (
        line
    )
    english = ev.explain("learning_city", pop.ids("province")[0], locale="en").to_text()
    assert "(UNESCO: Key Features of Learning Cities; Beijing Declaration on Building " in english
    assert main(["rulebooks", "--locale", "vi"]) == 0
    listed = capsys.readouterr().out
    assert listed.count("    - UNESCO: Các đặc điểm chính của thành phố học tập;") == 2


_PLACEHOLDERS = re.compile(
    r"\b(FILE|DIR|FOLDER|LEVELS?|DATE|YEAR|RULEBOOK|TARGETS|COMMAND|ADDRESS|COLUMNS|SHARE"
    r"|DELIMITER|ENCODING|PERSONS|REFERENCE_YEAR|SEED|NAME|ID)\b|\[persons\]"
)


def _helps(locale: str) -> dict[str, str]:
    from learnsoc.cli import build_parser

    parser = build_parser(locale)
    helps = {"learnsoc": parser.format_help()}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps.update({name: p.format_help() for name, p in action.choices.items()})
    return helps


def test_the_usage_lines_name_their_placeholders_in_vietnamese() -> None:
    """``--out FILE``, ``--as-of DATE``, ``[persons]`` read ``--out TỆP``, ``--as-of NGÀY``."""
    helps = _helps("vi")
    assert len(helps) == 10
    for command, text in helps.items():
        usage = text.split("\n\n")[0]
        assert _PLACEHOLDERS.search(usage) is None, (command, usage)
    evaluate = " ".join(helps["evaluate"].split())
    for shown in ("--rulebook BỘ_TIÊU_CHÍ --as-of NGÀY", "--inputs [CẤP=]TỆP", "[TỆP_NHÂN_KHẨU]"):
        assert shown in evaluate
    assert "LỆNH ..." in helps["learnsoc"]
    english = " ".join(_helps("en")["evaluate"].split())
    assert "--rulebook RULEBOOK --as-of DATE" in english and "[persons]" in english
