"""A dash of any kind in a person's number or yes/no cell is a missing value.

``-`` was one, but ``–`` and ``—`` (what Excel's autocorrect makes of a typed ``-``)
were ``not_a_number`` or ``unknown_code`` rejects, their persons dropped. A counts file
already read all three as 0 (learnsoc.model.schema.NONE_DASHES).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

import learnsoc as ls
from learnsoc.model.schema import MISSING_WORDS, NONE_DASHES

HIERARCHY = ls.synthetic_hierarchy(villages=3, seed=1)
VILLAGE = str(HIERARCHY.codes_at("village")[0])
# Rows 1-3 say "no value" with a hyphen, an en dash and an em dash (spaced); row 4 has values.
LITERATE = ["-", "\u2013", "\u2014", "1"]
HOURS = ["-", "\u2013", " \u2014 ", "5"]


def _check(pop: ls.Population) -> None:
    # By hand: nobody is rejected, and the three dashed rows hold what the "-" row holds.
    assert pop.rejects.counts()["person"] == (4, 4, 0)
    assert len(pop.rejects) == 0
    by_id = np.argsort(pop.ids("person"))
    literate = pop.column("person", "literate")[by_id].tolist()
    hours = pop.column("person", "learning_hours")[by_id].tolist()
    assert literate[1] == literate[2] == literate[0] != literate[3]
    assert hours[1] == hours[2] == hours[0] != hours[3]
    assert (literate[3], hours[3]) == (1, 5)


def test_dashes_in_a_file_are_missing(tmp_path: Path) -> None:
    persons = tmp_path / "persons.csv"
    households = tmp_path / "households.csv"
    rows = "".join(
        f"{i + 1},1,30,{a},{b}\n" for i, (a, b) in enumerate(zip(LITERATE, HOURS, strict=True))
    )
    persons.write_text("person_id,household_id,age,literate,learning_hours\n" + rows, "utf-8")
    households.write_text(f"household_id,unit_code\n1,{VILLAGE}\n", "utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pop = ls.read_population(persons, households=households, hierarchy=HIERARCHY)
    _check(pop)
    # Still said, as "-" was: three cells of each column read as missing values.
    said = [str(w.message) for w in caught if type(w.message).__name__ == "PlaceholderWarning"]
    assert len(said) == 2
    assert all("3 cells read as missing values" in s for s in said)


def test_dashes_in_columns_are_missing() -> None:
    persons = {
        "person_id": np.arange(1, 5),
        "household_id": np.ones(4, np.int64),
        "age": np.full(4, 30),
        "literate": np.array(LITERATE),
        "learning_hours": np.array(HOURS, object),
    }
    households = {"household_id": np.array([1]), "unit_code": np.array([VILLAGE])}
    _check(ls.Population.from_columns(persons, households, HIERARCHY))


def test_every_none_dash_is_a_missing_word() -> None:
    assert NONE_DASHES <= MISSING_WORDS
