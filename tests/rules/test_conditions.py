"""Parse once: a condition is parsed at load; evaluating and explaining bind its tree."""

from __future__ import annotations

import ast
import datetime as dt
from typing import Any

import pytest

import learnsoc as ls
from learnsoc.rules.conditions import bind_values
from learnsoc.rules.engine import evaluate
from learnsoc.rules.ir import walk
from learnsoc.rules.registry import bundled_ids, load_rulebook
from learnsoc.rules.rulebook import Rulebook, parse_with_parameters

from .test_engine import CITIZEN, _adults, _book, _title, _tree


def _conditions(book: Rulebook) -> list[tuple[str, Any, frozenset[str], Any, str | None]]:
    """Every condition of a rulebook: (text, tree, parameters, position, file)."""
    out: list[tuple[str, Any, frozenset[str], Any, str | None]] = [
        (d.expr, d.tree, d.parameters, d.position, d.origin.file) for d in book.derived
    ]
    for title in book.titles:
        if title.eligible is not None:
            out.append(
                (
                    title.eligible,
                    title.eligible_tree,
                    title.eligible_parameters,
                    title.eligible_position,
                    title.origin.file,
                )
            )
        for version in title.versions:
            out.extend(
                (c.expr, c.tree, c.parameters, c.position, c.origin.file) for c in version.criteria
            )
    return out


@pytest.mark.parametrize("name", bundled_ids())
def test_bound_tree_is_the_tree_parsed_with_the_values(name: str) -> None:
    """For every bundled condition and every dated parameter value, binding the tree
    parsed at load gives the tree (and the places) that parsing the text with the values
    gives."""
    book = load_rulebook(name)
    dates = sorted({v.start for p in book.parameters.values() for v in p.values})
    assert _conditions(book)
    for text, tree, used, position, file in _conditions(book):
        for date in dates or [dt.date(2025, 12, 31)]:
            values = {n: _value(book, n, date) for n in used}
            bound = bind_values(tree, values, file=file)
            parsed = parse_with_parameters(text, values, position, file)
            assert bound == parsed
            assert [n.span for n in walk(bound)] == [n.span for n in walk(parsed)]


def _value(book: Rulebook, name: str, date: dt.date) -> Any:
    """The parameter's value on a date (its first before it starts)."""
    parameter = book.parameters[name]
    return parameter.value_at(max(date, parameter.values[0].start))[0].value


def test_binding_negated_and_listed_parameters() -> None:
    """A parameter negated, inside an aggregate or in an isin list binds as if written."""
    text = "x > -p and count(members, where=members.age >= p) > 0 and q.isin([p, 2]) and -r < 1"
    values = {"p": 3, "r": 1.5}
    tree = ls.rules.parse_condition(text, parameters={"p", "r"})
    assert bind_values(tree, values) == parse_with_parameters(text, values, (None, None), None)
    with pytest.raises(ls.RulebookError, match=r"t.toml:1:6: the value of 'p' \(inf\)"):
        bind_values(tree, {"p": float("inf"), "r": 1}, file="t.toml")


def _pop() -> ls.Population:
    return ls.Population.from_records(_adults("H", 2, 1), [ls.Household("H", "V1")], _tree())


def _needed_book() -> Rulebook:
    """One version throughout; the share needed is 0.5 until 2020, then 1."""
    book: Rulebook = _book(
        """
[parameters.needed]
label = { vi = "t", en = "t" }
values = [{ from = 2016-01-01, value = 0.5 }, { from = 2021-01-01, value = 1 }]
[inputs.household.results_good]
kind = "bool"
label = { vi = "t", en = "t" }
""",
        CITIZEN,
        _title(
            "learning_family",
            "household",
            ("adults", "share(members.learning_citizen) >= needed"),
            ("results", "results_good or not results_good"),
        ),
    )
    return book


@pytest.mark.filterwarnings("ignore::learnsoc.HierarchyDateWarning")  # old dates, new tree
def test_conditions_are_not_parsed_again_after_load(monkeypatch: pytest.MonkeyPatch) -> None:
    """Evaluating, listing the columns read, explaining and judging uncertainty reuse the
    trees parsed at load: no condition text is parsed again."""
    book = _needed_book()
    pop = _pop()
    parsed: list[str] = []
    real_parse = ast.parse

    def counting(source: Any, *args: Any, **kwargs: Any) -> Any:
        parsed.append(str(source))
        return real_parse(source, *args, **kwargs)

    monkeypatch.setattr(ast, "parse", counting)
    inputs = {"household": {"results_good": {"H": True}}}
    for as_of in ("2020-06-30", "2022-06-30"):
        ev = evaluate(pop, book, as_of, inputs=inputs)
        ev.explain("household", "H")
        ev.rests_on_uncertain("learning_family")
        book.columns_read(as_of=as_of)
    book.columns_read()
    assert parsed == []
