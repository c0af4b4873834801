"""The masks a stored column with blanks is read with (PopulationContext.column)."""

from __future__ import annotations

import tracemalloc

import numpy as np

import learnsoc as ls
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


def test_the_masks_of_a_yes_no_column_with_blanks() -> None:
    pop = with_blanks()
    literate = pop.person_columns["literate"]
    values, known = PopulationContext(pop).column("person", "literate")
    assert known is not None
    assert np.array_equal(values, literate == 1)
    assert np.array_equal(known, literate != 255)
    assert values.dtype == known.dtype == np.bool_


def test_a_number_column_without_blanks_has_no_mask() -> None:
    pop = with_blanks()
    values, known = PopulationContext(pop).column("person", "age")
    assert known is None
    assert values is pop.person_columns["age"]
