"""``rollup_counts`` reads a rollup's own table back: each row adds its own part only.

A rollup of a population counts a commune's clans and organisations at the commune, not
in its villages: its rows are not the sums of the rows below them, so neither taking the
lowest rows alone nor every row would give the rollup again.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.aggregate.rollup import rollup_counts
from tests.trees import two_level


def _rejects(roll: ls.Rollup) -> ls.Rejects:
    assert roll.rejects is not None  # a rollup of counts always has them
    return roll.rejects


def _same(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> bool:
    return list(a) == list(b) and all(
        np.asarray(a[k]).astype(str).tolist() == np.asarray(b[k]).astype(str).tolist() for k in a
    )


@pytest.fixture(scope="module")
def population() -> ls.Population:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ls.synthetic_population(persons=3_000, seed=3)


def test_a_rollup_of_a_population_is_read_back_exactly(population: ls.Population) -> None:
    """Clans and organisations counted at the commune are its own, not its villages'."""
    roll = ls.rollup(
        population, {"persons": "person", "clans": "clan", "organisations": "organisation"}
    )
    cols = roll.to_columns()
    levels = np.asarray(cols["level"])
    commune, villages = levels == "commune", levels == "village"
    # By hand: the commune holds more clans than its villages (clans of the commune).
    assert int(cols["clans"][commune].sum()) > int(cols["clans"][villages].sum())
    assert int(cols["persons"][commune].sum()) == int(cols["persons"][villages].sum())
    again = rollup_counts(cols, population.hierarchy)
    assert _same(again.to_columns(), cols)
    assert _rejects(again).counts() == {"counts": (len(levels), len(levels), 0)}


def test_rates_and_a_breakdown_are_left_to_the_rollup(population: ls.Population) -> None:
    """A rate's value and status are not counts; the parts by sex are read with by=."""
    measures = {"households": "household", "persons": "person"}
    roll = ls.rollup(population, measures, by="sex").with_rates(
        {"share": ("households", "persons")}
    )
    cols = roll.to_columns()
    assert {"share", "share_status", "persons_female"} <= set(cols)
    again = rollup_counts(roll.to_pandas(), population.hierarchy, by="sex")
    assert _same(again.with_rates({"share": ("households", "persons")}).to_columns(), cols)
    assert again.part("female").level("total").counts["persons"].tolist() == (
        roll.part("female").level("total").counts["persons"].tolist()
    )


def test_a_row_less_than_its_units_is_rejected_and_its_units_count() -> None:
    """The province says 30 where its communes say 35: rejected; the total is 35, not 30
    nor 35 + 30."""
    tree = two_level({"01": ["00001", "00004"]})
    table = {
        "level": ["province", "commune", "commune", "total"],
        "code": ["01", "00001", "00004", ""],
        "families": [30, 15, 20, 35],
    }
    roll = rollup_counts(table, tree)
    (batch,) = _rejects(roll).batches
    assert (batch.reason, batch.rows.tolist(), batch.expected) == ("sum_mismatch", [0], "35")
    assert roll.to_columns()["families"].tolist() == [35, 15, 20, 35]
    assert _rejects(roll).counts() == {"counts": (4, 3, 1)}
    # A province above its communes' sum keeps the rest as its own (a province's title).
    table["families"] = [36, 15, 20, 36]
    assert rollup_counts(table, tree).to_columns()["families"].tolist() == [36, 15, 20, 36]
    # A commune rejected counts nowhere: the province's own part cannot be told from it,
    # so its row is rejected too, naming the commune (it was accepted, its part dropped).
    table["families"] = [36, 15, -20, 36]
    bad = rollup_counts(table, tree)
    assert [(b.reason, b.rows.tolist(), b.values.tolist()) for b in _rejects(bad).batches] == [
        ("out_of_range", [2], ["-20"]),
        ("rejected_unit_row", [0], ["00004"]),
    ]
    assert _rejects(bad).counts() == {"counts": (4, 2, 2)}
    assert bad.to_columns()["families"].tolist() == [15, 15, 0, 15]
    assert bad.own_not_read == ("01",)


@pytest.mark.parametrize("locale", ["en", "vi"])
def test_a_rollup_workbook_with_rates_is_read_back(
    population: ls.Population, locale: str, tmp_path: Path
) -> None:
    """Rate headings say what a rate is of ("share (households / persons)", "tỷ lệ: ...")
    and Vietnamese headings are words: read by their ids, the rates left out."""
    pytest.importorskip("openpyxl")
    from learnsoc.io import read_counts
    from learnsoc.io.headers import SheetWarning

    rates = {"share": ("households", "persons")}
    roll = ls.rollup(population, {"households": "household", "persons": "person"}, by="sex")
    roll = roll.with_rates(rates)
    book = roll.to_excel(tmp_path / f"r-{locale}.xlsx", locale=locale)
    with pytest.warns(SheetWarning, match=r"totals rows .* skipped .* \('total'\)"):
        cols, _ = read_counts(book)  # the total row: learnsoc adds the rows up itself
    again = rollup_counts(cols, population.hierarchy, by="sex").with_rates(rates)
    written = {k: v for k, v in roll.to_columns().items() if k != "name"}
    assert _same({k: again.to_columns()[k] for k in written}, written)
    assert len(_rejects(again)) == 0
