"""Evaluator-recorded inputs given to evaluate(): checked against their declared type."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.errors import SchemaError
from learnsoc.io import verdict_columns

# The example rulebook's 2016 version of learning_family reads children_results_good.
OLD = "2019-12-31"


@pytest.fixture(scope="module")
def setup() -> tuple[ls.Population, ls.Rulebook, dict[str, dict[str, Any]]]:
    pop = ls.synthetic_population(persons=300, seed=3, hierarchy="vn-pre-2025")
    book = ls.load_rulebook("example")
    return pop, book, ls.synthetic_inputs(pop, book, seed=1)


def _evaluate(
    setup: tuple[ls.Population, ls.Rulebook, dict[str, dict[str, Any]]],
    level: str,
    name: str,
    values: Any,
    as_of: str = OLD,
) -> Any:
    pop, book, inputs = setup
    given = {k: dict(v) for k, v in inputs.items()}
    given[level][name] = values
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ls.RulebookWarning)
        return ls.evaluate(pop, book, as_of=as_of, inputs=given)


@pytest.mark.parametrize(
    ("level", "name", "make", "as_of", "message"),
    [
        ("household", "children_results_good", lambda n: np.full(n, 2), OLD,
         "household column 'children_results_good': a true/false input holds values other "
         "than 0 and 1"),
        ("household", "children_results_good", lambda n: ["a"] * n, OLD,
         "input has dtype <U1; expected numbers or true/false"),
        ("household", "children_results_good", lambda n: np.ones(n - 1), OLD,
         "expected ({n},), one value per household"),
        # The last day of the tree with districts the population is on.
        ("organisation", "study_plan_share", lambda n: np.full(n, 1.5), "2025-06-30",
         "organisation column 'study_plan_share': holds 1.5, outside its range 0..1"),
    ],
)  # fmt: skip
def test_a_bad_input_is_a_schema_error_naming_level_and_column(
    setup: tuple[ls.Population, ls.Rulebook, dict[str, dict[str, Any]]],
    level: str,
    name: str,
    make: Any,
    as_of: str,
    message: str,
) -> None:
    pop = setup[0]
    n = pop.n_households if level == "household" else pop.n_organisations
    with pytest.raises(SchemaError) as info:
        _evaluate(setup, level, name, make(n), as_of)
    assert message.format(n=n) in str(info.value)


def _same(a: dict[str, Any], b: dict[str, Any], rows: Any) -> bool:
    return all(np.array_equal(a[k][rows], b[k][rows], equal_nan=a[k].dtype.kind == "f") for k in a)


def test_none_in_a_list_is_missing_like_the_stored_sentinel(
    setup: tuple[ls.Population, ls.Rulebook, dict[str, dict[str, Any]]],
) -> None:
    """A Python None and the uint8 sentinel 255 both mean "not recorded": same verdicts.

    Household 1 passes every criterion with its recorded answer; without it, the answer
    to children_results is unknown, so its title is unknown, and no person's verdict moves.
    """
    recorded = np.asarray(setup[2]["household"]["children_results_good"])
    assert recorded[0]
    as_list: list[bool | None] = [bool(v) for v in recorded]
    as_list[0] = None
    as_codes = recorded.astype(np.uint8)
    as_codes[0] = 255
    a = verdict_columns(_evaluate(setup, "household", "children_results_good", as_list))
    b = verdict_columns(_evaluate(setup, "household", "children_results_good", as_codes))
    c = verdict_columns(_evaluate(setup, "household", "children_results_good", recorded))
    every = np.ones(len(a["id"]), bool)
    assert _same(a, b, every)
    first = (a["level"] == "household") & (a["id"] == "1") & (a["title"] == "learning_family")
    assert (c["passed"][first].tolist(), c["known"][first].tolist()) == ([True], [True])
    assert (a["passed"][first].tolist(), a["known"][first].tolist()) == ([False], [False])
    assert a["unknown"][first].tolist() == ["children_results"]
    persons = a["level"] == "person"
    assert persons.any() and _same(a, c, persons)
