"""The masks a stored column with blanks is read with (PopulationContext.column)."""

from __future__ import annotations

import tracemalloc

import numpy as np

import learnsoc as ls
from learnsoc._arena import Arena
from learnsoc.rules.context import PopulationContext

N = 400_000


def with_blanks() -> ls.Population:
    """N persons, every third one's learning hours (uint16) and literacy (yes/no) blank."""
    h = ls.synthetic_hierarchy(villages=2, seed=1)
    blank = np.arange(N) % 3 == 0
    hours = np.where(blank, 65535, np.arange(N) % 500).astype(np.uint16)
    literate = np.where(blank, 255, np.arange(N) % 2).astype(np.uint8)
    return ls.Population.from_columns(
        {
            "person_id": np.arange(N),
            "household_id": np.zeros(N, np.int64),
            "age": np.full(N, 30, np.uint8),
            "learning_hours": hours,
            "literate": literate,
        },
        {"household_id": np.array([0]), "unit_code": h.codes_at("village")[:1]},
        h,
    )


def test_a_number_column_with_blanks_is_read_with_one_mask() -> None:
    """The known cells, one bool per person: once, the missing cells then their inverse
    (twice as much memory)."""
    pop = with_blanks()
    ctx = PopulationContext(pop)
    tracemalloc.start()
    try:
        values, known = ctx.column("person", "learning_hours")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1.5 * N
    stored = pop.person_columns["learning_hours"]
    assert known is not None
    assert np.array_equal(known, stored != 65535)
    assert values is stored


def test_masks_are_the_same_in_an_arena_and_without() -> None:
    """In buffers that held other values (another partition's), the masks are whole."""
    pop = with_blanks()
    alone = PopulationContext(pop)
    arena = Arena({"person": N + 10})
    with arena.active():
        dirty = PopulationContext(pop)
        for name in ("learning_hours", "literate"):
            _, known = dirty.column("person", name)
            assert known is not None
            known[:] = ~known  # what a partition before left in the buffers
    with arena.active():
        reused = PopulationContext(pop)
        for name in ("learning_hours", "literate"):
            values, known = reused.column("person", name)
            expected_values, expected_known = alone.column("person", name)
            assert np.array_equal(values, expected_values)
            assert expected_known is not None and known is not None
            assert np.array_equal(known, expected_known)
            assert known.base is not None and len(known.base) == N + 10
    literate = pop.person_columns["literate"]
    values, known = alone.column("person", "literate")
    assert known is not None
    assert np.array_equal(values, literate == 1)
    assert np.array_equal(known, literate != 255)
