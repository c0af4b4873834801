"""Partition buffers reused from one partition to the next (learnsoc._arena)."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pytest

import learnsoc as ls
from learnsoc._arena import Arena, Arenas, current, empty
from learnsoc.io.dataset import Dataset, write_dataset
from learnsoc.scale import evaluate_dataset
from learnsoc.scale.local import Job, run_partition
from tests.io.test_dataset import tree
from tests.scale.test_evaluate_dataset import assert_same, by_id
from tests.scale.test_runners import assert_same_outcome

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


def job_of(pop: ls.Population, ds: Dataset) -> Job:
    book = ls.load_rulebook("vn-national")
    inputs = by_id(pop, ls.synthetic_inputs(pop, book, seed=3))
    return Job(ds, book, AS_OF, inputs, None, True)


def test_a_smaller_partition_with_blanks_after_a_larger_one_sees_only_its_own_rows(
    written: tuple[ls.Population, Dataset],
) -> None:
    """Run in the buffers of a larger partition that had values where it has blanks, a
    partition counts what it counts alone (nothing of the one before shows through)."""
    pop, ds = written
    job = job_of(pop, ds)
    arenas = Arenas(job.most_rows)
    quietly(lambda: run_partition(job, "01", arenas=arenas))
    reused = quietly(lambda: run_partition(job, "02", arenas=arenas))
    alone = quietly(lambda: run_partition(job, "02"))
    assert_same_outcome(alone, reused)
    assert reused.result.criteria, "criteria were counted"


@pytest.mark.parametrize("threads", [1, 2])
def test_a_run_in_reused_buffers_equals_the_population_in_memory(
    written: tuple[ls.Population, Dataset], threads: int
) -> None:
    """Two threads run 01 and 03 first (the largest), then 02 in one of their buffers;
    one thread runs 02 first in buffers made for the largest."""
    pop, ds = written
    book = ls.load_rulebook("vn-national")
    inputs = ls.synthetic_inputs(pop, book, seed=3)
    whole = quietly(lambda: ls.evaluate(pop, book, AS_OF, inputs=inputs))
    ids = by_id(pop, inputs)
    parts = quietly(lambda: evaluate_dataset(ds, book, AS_OF, inputs=ids, threads=threads))
    assert_same(whole, parts)


def test_the_next_partition_is_read_into_the_buffers_of_the_one_before(
    written: tuple[ls.Population, Dataset],
) -> None:
    """What the arena is for: the columns of partition 02 are where 01's were."""
    pop, ds = written
    arenas = Arenas(job_of(pop, ds).most_rows)
    with arenas.lease():
        first = ds.partition("01")
    literate = first.person_columns["literate"]
    before = literate.copy()
    del first
    with arenas.lease():
        second = ds.partition("02")
    assert np.shares_memory(second.person_columns["literate"], literate)
    assert not np.shares_memory(second.person_columns["age"], literate)
    n = second.n_persons
    # 02's own values, its blanks included, not 01's.
    assert (second.person_columns["literate"] == BLANK).any()
    assert not np.array_equal(literate[:n], before[:n])


def test_most_rows_are_those_of_the_largest_partition_of_each_table(
    written: tuple[ls.Population, Dataset],
) -> None:
    pop, ds = written
    most = job_of(pop, ds).most_rows
    assert most["person"] == max(ds.rows[k]["persons"] for k in ds.partitions)
    assert most["membership"] == max(ds.rows[k]["memberships"] for k in ds.partitions)
    assert set(most) == {"person", "household", "clan", "organisation", "membership"}


def test_a_buffer_is_made_at_the_reserved_length_and_grown_when_asked_for_more() -> None:
    arena = Arena({"person": 10})
    with arena.active():
        a = empty("person.age", 4, np.uint8, current())
        b = empty("person.age", 4, np.uint8, current())  # asked twice: a second buffer
        c = empty("other.x", 3, np.int64, current())
    assert a.base is not None and len(a.base) == 10
    assert not np.shares_memory(a, b)
    assert c.base is not None and len(c.base) == 3
    with arena.active():
        grown = empty("person.age", 12, np.uint8, current())
        again = empty("other.x", 2, np.int64, current())
    assert len(grown) == 12 and not np.shares_memory(grown, a)
    assert np.shares_memory(again, c)
    assert arena.nbytes == 12 + 10 + 3 * 8
    assert current() is None


def test_an_arena_is_not_given_back_after_an_error() -> None:
    """The error's traceback may still show the arrays made in it."""
    pool = Arenas()
    with pytest.raises(ZeroDivisionError), pool.lease() as failed:
        _ = 1 / 0
    with pool.lease() as next_one:
        assert next_one is not failed
