"""A small partition with blanks after large ones with values, evaluated as a dataset.

A guard for whatever a run keeps from one partition to the next (buffers, caches): the
partition with blanks must count what the population in memory counts.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.io.dataset import Dataset, write_dataset
from learnsoc.scale import evaluate_dataset
from tests.io.test_dataset import tree
from tests.scale.test_evaluate_dataset import assert_same, by_id

pytest.importorskip("pyarrow")

AS_OF = "2025-12-31"
BLANK = 255


def big_then_small() -> ls.Population:
    """Three provinces: 01 and 03 whole and without blanks, 02 an eighth of its households
    with every yes/no blank for every other person (where 01 and 03 have values)."""
    pop = ls.synthetic_population(persons=4_000, seed=11, hierarchy=tree(3))
    persons, households = pop.columns("person"), pop.columns("household")
    house_province = np.array([code[:2] for code in households["unit_code"].tolist()])
    kept = (house_province != "02") | (np.arange(pop.n_households) % 8 == 0)
    province = house_province[pop.person_household]
    mine = kept[pop.person_household]
    small = province[mine] == "02"
    columns: dict[str, Any] = {}
    for name, values in persons.items():
        values = np.array(values[mine])
        spec = pop.schema.table("person").column(name)
        if spec.kind == "bool":
            values[values == BLANK] = 1  # the big provinces: a value in every cell
            blank = small & (np.arange(len(values)) % 2 == 0)
            values[blank] = BLANK
        columns[name] = values
    memberships = pop.columns("membership")
    member = np.isin(memberships["person_id"], columns["person_id"])
    return ls.Population.from_columns(
        columns,
        {k: v[kept] for k, v in households.items()},
        pop.hierarchy,
        clans=pop.columns("clan"),
        organisations=pop.columns("organisation"),
        memberships={k: v[member] for k, v in memberships.items()},
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[ls.Population, Dataset]:
    pop = big_then_small()
    ds = write_dataset(pop, tmp_path_factory.mktemp("arena") / "d", partition_by="province")
    persons = {key: ds.rows[key]["persons"] for key in ds.partitions}
    assert persons["02"] * 2 < min(persons["01"], persons["03"])
    return pop, ds


def quietly(run: Any) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return run()


@pytest.mark.parametrize("threads", [1, 2])
def test_a_small_partition_with_blanks_after_large_ones_equals_the_population_in_memory(
    written: tuple[ls.Population, Dataset], threads: int
) -> None:
    """Two threads run 01 and 03 first (the largest), then 02 after one of them; one
    thread runs the smallest first."""
    pop, ds = written
    book = ls.load_rulebook("vn-national")
    inputs = ls.synthetic_inputs(pop, book, seed=3)
    whole = quietly(lambda: ls.evaluate(pop, book, AS_OF, inputs=inputs))
    ids = by_id(pop, inputs)
    parts = quietly(lambda: evaluate_dataset(ds, book, AS_OF, inputs=ids, threads=threads))
    assert_same(whole, parts)
