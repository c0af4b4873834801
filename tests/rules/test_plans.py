"""Plan once: evaluations with the same rulebook, date and levels share one plan."""

from __future__ import annotations

import gc
import warnings
from typing import Any

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.rules import engine
from learnsoc.rules._plan import Planner
from learnsoc.rules.engine import Evaluation, evaluate
from learnsoc.rules.plans import PlanCache
from learnsoc.rules.registry import load_rulebook
from learnsoc.rules.rulebook import Rulebook

from .test_conditions import _needed_book, _pop
from .test_engine import CITIZEN, _book, _title


def _cold(pop: ls.Population, book: Rulebook, as_of: str, **kw: Any) -> Evaluation:
    """Evaluate with no plan kept from before."""
    engine._PLANS.clear()
    return evaluate(pop, book, as_of, **kw)


def _same(got: Evaluation, expected: Evaluation) -> None:
    assert got.skipped == expected.skipped
    assert got.warnings == expected.warnings
    assert got.missing_inputs == expected.missing_inputs
    assert got.verdicts_by_title.keys() == expected.verdicts_by_title.keys()
    for title, verdicts in got.verdicts_by_title.items():
        other = expected.verdicts_by_title[title]
        assert verdicts.version == other.version
        for field in ("passed", "known", "assessed", "points", "grade"):
            a, b = getattr(verdicts, field), getattr(other, field)
            assert (a is None and b is None) or np.array_equal(a, b), (title, field)


@pytest.mark.filterwarnings("ignore::learnsoc.HierarchyDateWarning")  # old dates, new tree
def test_plan_key_holds_the_date() -> None:
    """Same rulebook, same version, two dates whose parameter values differ: each date
    gets the value in force, whichever was evaluated first."""
    book, pop = _needed_book(), _pop()
    inputs = {"household": {"results_good": {"H": True}}}
    expected = {d: _cold(pop, book, d, inputs=inputs) for d in ("2020-06-30", "2022-06-30")}
    assert expected["2020-06-30"].titles("household").tolist() == [True]  # 1 of 2 >= 0.5
    assert expected["2022-06-30"].titles("household").tolist() == [False]  # 1 of 2 < 1
    engine._PLANS.clear()
    for as_of in ("2020-06-30", "2022-06-30", "2020-06-30"):
        _same(evaluate(pop, book, as_of, inputs=inputs), expected[as_of])


def test_plan_key_holds_the_hierarchy_levels() -> None:
    """Two hierarchies with different levels (districts, then none) get their own plans;
    another tree with the same levels shares the plan and gets its own verdicts."""
    book = load_rulebook("vn-national")
    pops = [
        ls.synthetic_population(persons=600, seed=1, hierarchy="vn-pre-2025"),
        ls.synthetic_population(persons=600, seed=2, hierarchy="vn-2025"),
        ls.synthetic_population(persons=900, seed=3, hierarchy="vn-pre-2025"),
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = [_cold(pop, book, "2024-06-30") for pop in pops]
        assert "learning_district" in expected[0].verdicts_by_title
        assert "learning_district" in expected[1].skipped
        engine._PLANS.clear()
        for pop, cold in zip([*pops, pops[0]], [*expected, expected[0]], strict=True):
            _same(evaluate(pop, book, "2024-06-30"), cold)
    assert len(engine._PLANS) == 2


@pytest.mark.filterwarnings("ignore::learnsoc.HierarchyDateWarning")  # old dates, new tree
def test_plan_is_shared_whatever_the_inputs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inputs present, then absent: one plan, and the second evaluation still warns about
    the missing input and leaves it unknown."""
    book, pop = _needed_book(), _pop()
    inputs = {"household": {"results_good": {"H": True}}}
    with_inputs = _cold(pop, book, "2020-06-30", inputs=inputs)
    with pytest.warns(ls.MissingInputWarning):
        without = _cold(pop, book, "2020-06-30")
    assert without.verdicts("learning_family").known.tolist() == [False]
    plans: list[object] = []
    real = Planner.planned

    def counting(self: Any) -> Any:
        plans.append(self)
        return real(self)

    monkeypatch.setattr(Planner, "planned", counting)
    engine._PLANS.clear()
    _same(evaluate(pop, book, "2020-06-30", inputs=inputs), with_inputs)
    with pytest.warns(ls.MissingInputWarning, match=r"no data for .*\(household\.results_good\)"):
        _same(evaluate(pop, book, "2020-06-30"), without)
    _same(evaluate(pop, book, "2020-06-30", inputs=inputs), with_inputs)
    assert len(plans) == 1


@pytest.mark.filterwarnings("ignore::learnsoc.HierarchyDateWarning")  # old dates, new tree
def test_plan_warnings_are_given_at_every_evaluation() -> None:
    """A plan's warnings (a parameter used past its end) are repeated, not lost, on reuse."""
    book = _book(
        """
[parameters.needed]
label = { vi = "t", en = "t" }
values = [{ from = 2016-01-01, value = 0.5, to = 2020-12-31 }]
""",
        CITIZEN,
        _title("learning_family", "household", ("a", "share(members.learning_citizen) >= needed")),
    )
    engine._PLANS.clear()
    for _ in range(2):
        with pytest.warns(ls.RulebookWarning, match="parameter 'needed': its last value"):
            ev = evaluate(_pop(), book, "2022-01-01")
        assert len(ev.warnings) == 1


def test_plan_cache_is_bounded_and_forgets_dead_rulebooks() -> None:
    """The oldest plan goes past the bound, and a plan is never handed to another book."""
    cache: PlanCache[str] = PlanCache(maxsize=2)

    class Book:
        pass

    a, b = Book(), Book()
    assert cache.get(a, 1, lambda: "a1") == "a1"
    assert cache.get(b, 1, lambda: "b1") == "b1"
    assert cache.get(a, 1, lambda: "again") == "a1"  # a is now the most recent
    assert cache.get(a, 2, lambda: "a2") == "a2"  # b's plan goes
    assert len(cache) == 2
    assert cache.get(b, 1, lambda: "b1 again") == "b1 again"
    key = id(a)
    del a
    gc.collect()
    c = Book()
    # Whatever address c has, it never gets a's plans.
    assert cache.get(c, 1, lambda: "c1") == "c1" or id(c) != key
    assert engine._PLANS.maxsize >= 2
