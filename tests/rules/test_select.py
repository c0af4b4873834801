"""Rulebook.select: some titles of a rulebook, decided exactly as the whole book decides them."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.errors import RulebookError
from learnsoc.rules.engine import Evaluation, evaluate
from learnsoc.rules.registry import bundled_ids, load_rulebook
from learnsoc.rules.rulebook import Rulebook
from learnsoc.synth import synthetic_inputs, synthetic_population

#: Each date with the tree of its day (districts before the 2025 reform).
AS_OF = {"2019-12-31": "vn-pre-2025", "2025-12-31": "vn-2025"}


@pytest.fixture(scope="module", params=sorted(AS_OF))
def dated(request: pytest.FixtureRequest) -> tuple[str, ls.Population]:
    as_of = request.param
    return as_of, synthetic_population(persons=4000, seed=11, hierarchy=AS_OF[as_of])


def run(pop: ls.Population, book: Rulebook, as_of: str, inputs: object) -> Evaluation:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return evaluate(pop, book, as_of, inputs=inputs)  # type: ignore[arg-type]


@pytest.mark.parametrize("book_id", bundled_ids())
def test_each_title_alone_is_decided_as_in_the_whole_book(
    dated: tuple[str, ls.Population], book_id: str
) -> None:
    """Every title, selected alone: the same verdict for every entity, criterion by criterion."""
    as_of, population = dated
    book = load_rulebook(book_id)
    inputs = synthetic_inputs(population, book, seed=3)
    whole = run(population, book, as_of, inputs)
    rows = {row.title: row for row in whole.summary().rows}
    assert len(rows) > 5
    for title in book.titles:
        if title.id not in rows:
            continue  # a level the tree of the day does not have
        alone = run(population, book.select([title.id]), as_of, inputs)
        assert {t.id for t in alone.rulebook.titles} <= {t.id for t in book.titles}
        assert {row.title: row for row in alone.summary().rows}[title.id] == rows[title.id]
        expected, got = whole.verdicts(title.id), alone.verdicts(title.id)
        for field in ("passed", "known", "assessed", "passed_bits", "known_bits", "points"):
            a, b = getattr(expected, field), getattr(got, field)
            assert (a is None and b is None) or np.array_equal(a, b), (title.id, field)


def test_the_selection_keeps_what_its_titles_read_and_nothing_else() -> None:
    """Worked out from the national rulebook's conditions by hand."""
    book = load_rulebook("vn-national")
    citizens = book.select("learning_citizen")
    assert [t.id for t in citizens.titles] == ["learning_citizen"]
    assert citizens.inputs == ()  # the person's title reads columns only
    assert "organisations" not in " ".join(citizens.columns_read(as_of="2025-12-31"))
    assert "learning_plan" not in citizens.columns_read()
    villages = book.select(["learning_community"])
    ids = {t.id for t in villages.titles}
    assert {"learning_citizen", "learning_family", "learning_community"} <= ids
    assert not ids & {"learning_clan", "learning_unit", "learning_province"}
    kept = {s.name for s in villages.inputs}
    # The village's own input and the families' of the 2016-2020 version; no clan's.
    assert {"village_learning_activities", "children_results_good"} <= kept
    assert not kept & {"clan_promotes_learning", "learning_plan"}
    # The names of what was left out are no longer names of the rulebook.
    assert "learning_clan" not in villages.names["clan"]
    assert "learning_family" in villages.names["household"]
    # Selecting twice, or in another order, is the same selection.
    again = villages.select(["learning_community"])
    assert [t.id for t in again.titles] == [t.id for t in villages.titles]
    both = book.select(["learning_family", "learning_citizen"])
    assert [t.id for t in both.titles] == [t.id for t in book.select("learning_family").titles]


def test_selected_rulebook_reads_fewer_columns() -> None:
    book = load_rulebook("vn-national")
    assert book.select("learning_citizen").columns_read() < book.columns_read()


def test_unknown_and_empty_selections_are_refused() -> None:
    book = load_rulebook("vn-national")
    with pytest.raises(RulebookError, match=r"no title 'learning_famly'.*learning_family"):
        book.select(["learning_famly"])
    with pytest.raises(RulebookError, match="at least one title"):
        book.select([])
