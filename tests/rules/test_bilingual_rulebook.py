"""A rulebook speaks both languages: clauses in vi and en, inputs and their codes in words.

An explanation read by a Vietnamese agency said ``unit_tier = province`` (the TOML's
names) and cited the UNESCO clause in English; an English one cited Vietnamese clauses.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.rules.registry import load_rulebook, parse_rulebook
from learnsoc.rules.rulebook import Clause

from .test_engine import HEAD, _run

_BUNDLED = ("example", "vn-national", "hanoi")

#: A person-level title whose criteria cite a clause four ways, reading a code input.
_BOOK = (
    HEAD
    + """
[inputs.person.tier]
kind = "code"
codes = { commune = 1, province = 3 }
code_labels.commune = { vi = "xã", en = "commune" }
code_labels.province = { vi = "tỉnh", en = "province" }
label = { vi = "cấp đơn vị", en = "unit tier" }

[titles.learning_citizen]
level = "person"
label = { vi = "Công dân học tập", en = "learning citizen" }

[[titles.learning_citizen.versions]]
effective_from = 2016-01-01

[[titles.learning_citizen.versions.criteria]]
id = "both"
label = { vi = "Biết chữ", en = "literate" }
expr = "literate"
clause = { vi = "Tiêu chí 1", en = "Criterion 1" }

[[titles.learning_citizen.versions.criteria]]
id = "vi_only"
label = { vi = "Cấp tỉnh", en = "province tier" }
expr = "tier == 'province'"
clause = { vi = "Tiêu chí 2" }

[[titles.learning_citizen.versions.criteria]]
id = "en_only"
label = { vi = "Cấp tỉnh, có kỹ năng số", en = "province tier, digital skills" }
expr = "tier == 'province' and digital_skills"
clause = { en = "GNLC membership" }

[[titles.learning_citizen.versions.criteria]]
id = "plain"
label = { vi = "Có kỹ năng sống", en = "life skills" }
expr = "life_skills"
clause = "Điều 5"
"""
)


def _tiny() -> ls.Population:
    persons = [
        ls.Person("P1", "H1", age=30, literate=True, digital_skills=True, life_skills=False),
        ls.Person("P2", "H1", age=40, literate=False, digital_skills=False, life_skills=True),
    ]
    hierarchy = ls.Hierarchy.from_units(
        {
            "code": ["01", "C1", "V1"],
            "level": ["province", "commune", "village"],
            "parent_code": [None, "01", "C1"],
        },
        levels="vn-2025",
    )
    return ls.Population.from_records(persons, [ls.Household("H1", "V1")], hierarchy)


@pytest.fixture(scope="module")
def tiny() -> Any:
    book = parse_rulebook(_BOOK, file="t.toml")
    return _run(_tiny(), book, inputs={"person": {"tier": [3, 1]}})


def test_a_clause_shows_in_the_language_asked_else_in_the_other(tiny: Any) -> None:
    """Both given: each in its language; one given: it, in either; a plain text: as written."""
    vi = str(tiny.explain("person", "P1", locale="vi")).splitlines()[2:]
    en = str(tiny.explain("person", "P1", locale="en")).splitlines()[2:]
    assert vi == [
        "  ✓ Biết chữ: có [Tiêu chí 1]",
        "  ✓ Cấp tỉnh: tỉnh [Tiêu chí 2]",
        "  ✓ Cấp tỉnh, có kỹ năng số: cấp đơn vị = tỉnh, kỹ năng số = có [GNLC membership]",
        "  ✗ Có kỹ năng sống: không [Điều 5]",
    ]
    assert en == [
        "  ✓ literate: yes [Criterion 1]",
        "  ✓ province tier: province [Tiêu chí 2]",
        "  ✓ province tier, digital skills: unit tier = province, digital skills = yes "
        "[GNLC membership]",
        "  ✗ life skills: no [Điều 5]",
    ]


def test_a_code_input_is_said_in_words_for_each_entity(tiny: Any) -> None:
    """P2's tier is a commune: 'xã' / 'commune', as code 1 of ``code_labels`` says."""
    vi = str(tiny.explain("person", "P2", locale="vi"))
    assert "  ✗ Cấp tỉnh, có kỹ năng số: cấp đơn vị = xã, kỹ năng số = không" in vi
    assert "tier" not in vi


def test_the_clause_type_falls_back_and_keeps_plain_texts() -> None:
    """``Clause`` with one language answers in it for both; it refuses to have none."""
    assert Clause(en="Article 5").text("vi") == "Article 5"
    assert Clause(vi="Điều 5", en="Article 5").text("en_US") == "Article 5"
    with pytest.raises(ValueError, match="needs a Vietnamese or an English text"):
        Clause()
    criterion = ls.load_rulebook("example").title("learning_family").versions[0].criteria[0]
    assert ls.rules.entries.Criterion(
        criterion.id, criterion.label, "literate", clause="Điều 1"
    ).clause == Clause("Điều 1", "Điều 1")


@pytest.mark.parametrize("book_id", _BUNDLED)
def test_every_bundled_clause_is_in_both_languages(book_id: str) -> None:
    """Each criterion, input and parameter of a bundled rulebook cites its clause in vi and en."""
    book = load_rulebook(book_id)
    clauses = [
        (f"{t.id}.{c.id}", c.clause)
        for t in book.titles
        for v in t.versions
        for c in v.criteria
        if c.clause is not None
    ]
    clauses += [(f"{s.level}.{s.name}", s.clause) for s in book.inputs if s.clause is not None]
    clauses += [(p.name, p.clause) for p in book.parameters.values() if p.clause is not None]
    assert clauses
    for where, clause in clauses:
        assert clause is not None and clause.vi and clause.en, where
        assert clause.vi != clause.en or not re.search(r"[a-z]{4}", clause.vi), where


def test_the_unesco_clause_is_cited_in_vietnamese() -> None:
    """It was English in every language; the Vietnamese names the National Commission."""
    book = load_rulebook("vn-national")
    clause = book.title("learning_city").versions[-1].criteria[0].clause
    assert clause is not None
    assert clause.en == (
        "GNLC membership (application, mayor's endorsement, National Commission for UNESCO)"
    )
    assert clause.text("vi").startswith(
        "tư cách thành viên Mạng lưới các thành phố học tập toàn cầu của UNESCO"
    )
    assert "Ủy ban Quốc gia UNESCO Việt Nam" in clause.text("vi")


@pytest.mark.parametrize("book_id", ["vn-national", "hanoi"])
def test_every_bundled_code_input_says_its_codes_in_words(book_id: str) -> None:
    """No code name of a bundled rulebook's inputs reaches a Vietnamese explanation."""
    coded = [spec for spec in load_rulebook(book_id).inputs if spec.kind == "code"]
    assert len(coded) == 8
    for spec in coded:
        names = [name for name, _ in spec.value_type.codes]
        assert [name for name, _ in spec.code_labels] == names, spec.name
        for name in names:
            assert spec.code_label(name, "vi") != name, (spec.name, name)


@pytest.fixture(scope="module")
def national() -> tuple[ls.Population, Any, dict[str, dict[str, Any]]]:
    pop = ls.synthetic_population(persons=3_000, seed=5)
    book = ls.load_rulebook("vn-national")
    inputs = ls.synthetic_inputs(pop, book, seed=5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the abolished commune procedure
        ev = ls.evaluate(pop, book, "2025-12-31", inputs=inputs)
    return pop, ev, inputs


def test_the_unit_tier_is_said_as_the_tier_counted_from_the_inputs(
    national: tuple[ls.Population, Any, dict[str, dict[str, Any]]],
) -> None:
    """Explanations saying "= tỉnh" are the organisations whose unit_tier input is 3."""
    pop, ev, inputs = national
    tiers = np.asarray(inputs["organisation"]["unit_tier"])
    words = {1: "xã", 2: "huyện", 3: "tỉnh"}
    for oid, tier in zip(pop.ids("organisation"), tiers, strict=True):
        said = str(ev.explain("learning_unit_level", oid, locale="vi"))
        shown = re.findall(r"Cấp quản lý của đơn vị \(xã, huyện, tỉnh\) = (\w+)", said)
        if np.isnan(tier):
            assert set(shown) <= {"chưa"}, said
        else:
            assert shown and set(shown) == {words[int(tier)]}, said


def test_no_input_id_reaches_a_vietnamese_explanation(
    national: tuple[ls.Population, Any, dict[str, dict[str, Any]]],
) -> None:
    """Every level's first entities, every title: no ``snake_case =`` left in the text."""
    pop, ev, _ = national
    for level in ("person", "household", "clan", "organisation", "village", "commune", "province"):
        for entity in pop.ids(level)[:5]:
            said = str(ev.explain(level, entity, locale="vi"))
            assert not re.search(r"\b[a-z0-9]+_[a-z0-9_]+ =", said), said
            assert "GNLC membership" not in said


@pytest.mark.parametrize(
    ("clause", "english", "vietnamese"),
    [
        ("5", "clause must be a text or a table", "clause phải là một văn bản hoặc một bảng"),
        ("{}", "clause needs a vi or an en text", "clause cần có văn bản vi hoặc en"),
        ("{ vi = 1 }", "clause.vi must be text, not", "clause.vi phải là văn bản, không phải"),
    ],
)
def test_a_bad_clause_is_said_in_both_languages_at_its_line(
    clause: str, english: str, vietnamese: str
) -> None:
    """The loader's typed error names the line; a Vietnamese notebook reads it in Vietnamese."""
    text = _BOOK.replace('clause = "Điều 5"', f"clause = {clause}")
    with pytest.raises(ls.RulebookError) as info:
        parse_rulebook(text, file="t.toml")
    line = text.splitlines().index(f"clause = {clause}") + 1
    assert info.value.line == line
    assert english in info.value.english()
    assert vietnamese in info.value.localized("vi")


def test_an_input_the_rulebook_does_not_declare_is_a_typed_error() -> None:
    """``Rulebook.input_spec`` names the rulebook, the input and the level."""
    with pytest.raises(ls.RulebookError, match="has no input 'unit_tir' at level"):
        load_rulebook("vn-national").input_spec("organisation", "unit_tir")


# ------------------------------------------------------- a code input as a column


def _tier_population(book: Any, tiers: list[str]) -> ls.Population:
    n = len(tiers)
    return ls.Population.from_columns(
        persons={
            "person_id": list(range(1, n + 1)),
            "household_id": [1] * n,
            "age": [30] * n,
            "literate": [1] * n,
            "digital_skills": [1] * n,
            "life_skills": [0] * n,
            "tier": tiers,
        },
        households={"household_id": [1], "unit_code": ["V1"]},
        hierarchy=_tiny().hierarchy,
        schema=book.schema(),
    )


def test_a_code_input_column_reads_and_says_the_rulebooks_words() -> None:
    """A cell "tỉnh" is code 3 (code_labels), and a table row by tier says "tỉnh".

    The schema's code type once had no labels: reading "tỉnh" and labelling a group of
    the breakdown both raised KeyError.
    """
    book = parse_rulebook(_BOOK, file="t.toml")
    pop = _tier_population(book, ["tỉnh", "xã", "province", "Commune"])
    tiers = pop.column("person", "tier").tolist()
    assert tiers == [3, 1, 3, 1]
    roll = ls.rollup(pop, {"persons": "person"}, by="tier")
    assert [g.label("vi") for g in roll.groups()] == ["xã", "tỉnh"]
    assert [g.label("en") for g in roll.groups()] == ["commune", "province"]
    province = roll.part("province").level("total").counts["persons"]
    assert province.tolist() == [tiers.count(3)]


def test_a_code_without_words_is_said_as_its_name() -> None:
    """Without code_labels, a code is said as its name in the rulebook, in both languages."""
    book = parse_rulebook(_BOOK.replace("code_labels.", "# code_labels."), file="t.toml")
    codes = book.schema().table("person").column("tier").codes
    assert codes is not None
    assert [codes(c).label(loc) for c in (1, 3) for loc in ("vi", "en")] == [
        "commune",
        "commune",
        "province",
        "province",
    ]
    roll = ls.rollup(_tier_population(book, ["province", "3"]), {"persons": "person"}, by="tier")
    assert [g.label("vi") for g in roll.groups()] == ["commune", "province"]
