"""Ids of digits only, given as text columns or read from a file, name the same entities.

A file's id column whose every cell is a plain number (``7``, ``8``) is read as numbers;
the same ids given to ``Population.from_columns`` as text (``np.array(["7", "8"])``) stay
text. Wherever ids of the two kinds meet (a person's household, a membership's person, a
lookup by id), :func:`~learnsoc.model.ids.align_id_kinds` compares them as text: the
number 7 is the id ``"7"``, never ``"007"``. These tests hold both paths, and the two
mixed, to the same rejects and counts, worked out by hand from the table.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.errors import UnknownIdError
from learnsoc.model.ids import align_id_kinds
from tests.model.summaries import population_summary

HIERARCHY = ls.synthetic_hierarchy(villages=3, seed=1)
VILLAGE = str(HIERARCHY.codes_at("village")[0])

# Households 7, 007 and 8 (three); persons 1-5: 1 and 2 in 7, 3 in 007, 4 in "08" (no
# such household: 8 is another id), 5 in 9 (none).
HOUSEHOLDS = ["7", "007", "8"]
PERSONS = [("1", "7"), ("2", "7"), ("3", "007"), ("4", "08"), ("5", "9")]
EXPECTED = (
    {"household": (3, 3, 0), "person": (5, 3, 2)},
    [("person", "household_id", "unknown_household", [3, 4])],
    ["1", "2", "3"],
    ["007", "7", "8"],
)


def _files(folder: Path, persons: list[tuple[str, str]], households: list[str]) -> ls.Population:
    (folder / "persons.csv").write_text(
        "person_id,household_id,age\n" + "".join(f"{p},{h},30\n" for p, h in persons), "utf-8"
    )
    (folder / "households.csv").write_text(
        "household_id,unit_code\n" + "".join(f"{h},{VILLAGE}\n" for h in households), "utf-8"
    )
    return ls.read_population(
        folder / "persons.csv", households=folder / "households.csv", hierarchy=HIERARCHY
    )


def _columns(persons: dict[str, object], households: dict[str, object]) -> ls.Population:
    return ls.Population.from_columns(
        {**persons, "age": np.full(len(PERSONS), 30)},
        {**households, "unit_code": np.full(len(HOUSEHOLDS), VILLAGE)},
        HIERARCHY,
    )


def test_the_csv_file_and_text_columns_name_the_same_entities(tmp_path: Path) -> None:
    from_file = _files(tmp_path, PERSONS, HOUSEHOLDS)
    from_columns = _columns(
        {
            "person_id": np.array([p for p, _ in PERSONS]),
            "household_id": np.array([h for _, h in PERSONS]),
        },
        {"household_id": np.array(HOUSEHOLDS)},
    )
    assert population_summary(from_file) == EXPECTED
    assert population_summary(from_columns) == EXPECTED
    # The file's person ids are all plain numbers: numbers. The columns' stay text.
    assert from_file.ids("person").dtype.kind == "i"
    assert from_columns.ids("person").dtype.kind == "U"


def test_households_as_text_and_persons_as_numbers(tmp_path: Path) -> None:
    """Persons as a file reads them (numbers where it can) with households given as text."""
    persons = [(p, h) for p, h in PERSONS if h != "007" and h != "08"]
    # 1 and 2 in 7, 5 in 9 (rejected): household 7 is "7", not "007".
    numbers = {
        "person_id": np.array([int(p) for p, _ in persons]),
        "household_id": np.array([int(h) for _, h in persons]),
    }
    pop = ls.Population.from_columns(
        {**numbers, "age": np.full(len(persons), 30)},
        {"household_id": np.array(HOUSEHOLDS), "unit_code": np.full(3, VILLAGE)},
        HIERARCHY,
    )
    expected = (
        {"household": (3, 3, 0), "person": (3, 2, 1)},
        [("person", "household_id", "unknown_household", [2])],
        ["1", "2"],
        ["007", "7", "8"],
    )
    assert population_summary(pop) == expected
    assert population_summary(_files(tmp_path, persons, HOUSEHOLDS)) == expected
    assert pop.household_by_id(7).household_id == "7"
    assert pop.household_by_id("007").household_id == "007"
    with pytest.raises(UnknownIdError):
        pop.household_by_id("07")


def test_numbers_meet_text_as_text() -> None:
    ids, query = align_id_kinds(np.array(["7", "007", "8"]), np.array([7, 8, 9]))
    assert (ids == query[0]).tolist() == [True, False, False]
    assert (ids == query[1]).tolist() == [False, False, True]
