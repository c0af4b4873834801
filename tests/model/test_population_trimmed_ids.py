"""Text ids given as columns are trimmed as the file readers trim them.

A CSV cell ``" 5\\t"`` is the person ``5`` and ``"H1 "`` the household ``H1``; the same
table given to ``Population.from_columns`` (or as records) used to keep
the spaces, so ``" 5\\t"`` and ``"5"`` were two persons and a person in ``"H1 "`` found
no household. The counts below were worked out by hand from the table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

import learnsoc as ls
from learnsoc.model.ids import CodedIds, trim_text
from tests.model.summaries import population_summary

HIERARCHY = ls.synthetic_hierarchy(villages=3, seed=1)
VILLAGES = HIERARCHY.codes_at("village")[:2].tolist()

# Persons P5 (written twice, once padded) and P7; P8 lives in "H1 " (H1), P9 in " H2" (H2).
PERSON_ROWS = [(" P5\t", "H1 ", 30), ("P5", "H1", 40), ("P7", " H2", 50), ("P8", "H1 ", 9)]
HOUSEHOLD_ROWS = [("H1", VILLAGES[0]), ("H2 ", " " + VILLAGES[1])]


def _columns() -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    persons = {
        "person_id": np.array([r[0] for r in PERSON_ROWS]),
        "household_id": np.array([r[1] for r in PERSON_ROWS]),
        "age": np.array([r[2] for r in PERSON_ROWS]),
    }
    households = {
        "household_id": np.array([r[0] for r in HOUSEHOLD_ROWS]),
        "unit_code": np.array([r[1] for r in HOUSEHOLD_ROWS]),
    }
    return persons, households


def _from_files(tmp_path: Path) -> ls.Population:
    persons = tmp_path / "persons.csv"
    households = tmp_path / "households.csv"
    persons.write_text(
        "person_id,household_id,age\n" + "".join(f"{a},{b},{c}\n" for a, b, c in PERSON_ROWS),
        encoding="utf-8",
    )
    households.write_text(
        "household_id,unit_code\n" + "".join(f"{a},{b}\n" for a, b in HOUSEHOLD_ROWS),
        encoding="utf-8",
    )
    return ls.read_population(persons, households=households, hierarchy=HIERARCHY)


def test_columns_read_as_the_csv_file(tmp_path: Path) -> None:
    persons, households = _columns()
    from_columns = population_summary(ls.Population.from_columns(persons, households, HIERARCHY))
    # By hand: " P5\t" and "P5" are one id twice (both rejected); P7 and P8 find their
    # households through " H2" and "H1 "; both households' units are found.
    expected = (
        {"household": (2, 2, 0), "person": (4, 2, 2)},
        [("person", "person_id", "duplicate_id", [0, 1])],
        ["P7", "P8"],
        ["H1", "H2"],
    )
    assert from_columns == expected
    assert population_summary(_from_files(tmp_path)) == expected


def test_object_columns_and_coded_units_are_trimmed() -> None:
    persons, households = _columns()
    persons = {k: v.astype(object) if v.dtype.kind == "U" else v for k, v in persons.items()}
    coded: dict[str, Any] = {
        "household_id": households["household_id"].astype(object),
        "unit_code": CodedIds(households["unit_code"], np.array([0, 1])),
        "clan_id": np.array([" C1", "C1\t"]),
    }
    clans = {"clan_id": np.array(["C1 "]), "name": np.array(["\tHọ Nguyễn "])}
    pop = ls.Population.from_columns(persons, coded, HIERARCHY, clans=clans)
    assert (pop.n_persons, pop.n_households, pop.n_clans) == (2, 2, 1)
    assert pop.person_by_id("P8").household_id == "H1"
    # Both households are in the one clan C1, whose name is trimmed as a file's cell is.
    assert pop.ids("clan").tolist() == ["C1"]
    assert pop.column("clan", "name").tolist() == ["Họ Nguyễn"]
    assert pop.household_clan.tolist() == [0, 0]


def test_trim_text_leaves_clean_arrays_alone() -> None:
    clean = np.array(["H1", "Hộ 2", ""])
    assert trim_text(clean) is clean
    assert trim_text(np.array(["\u00a0H1\u3000", "x\n"])).tolist() == ["H1", "x"]
