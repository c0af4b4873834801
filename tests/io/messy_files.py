"""An agency's messy files, two provinces in one folder, for the dataset-vs-memory tests.

Persons with a bad cell in columns no bundled rulebook reads (a yes/no that is "maybe" on
line 4, points that are words on line 21, codes out of their lists on lines 41 and 61), a
person twice (line 402) and a member of a household that does not exist (line 403); a
household in a village that does not exist (households file, line 8). The households and
organisations carry two inputs of every bundled rulebook as columns (``children_results_good``,
``learning_plan``), one of them "maybe" (organisations file, line 4): read them with
``schema=book.schema()``.
"""

from __future__ import annotations

import csv
from pathlib import Path

import learnsoc as ls
from learnsoc.io import write_population
from tests.io.test_dataset import tree

#: The rejected cells the files hold: (file, line, column, reason), persons file first.
BAD_CELLS = (
    ("persons", "4", "party_member", "unknown_code"),
    ("persons", "21", "citizen_points", "not_a_number"),
    ("persons", "41", "employment", "unknown_code"),
    ("persons", "61", "sex", "unknown_code"),
    ("persons", "403", "household_id", "unknown_household"),
    ("households", "8", "unit_code", "unknown_unit"),
    ("organisations", "4", "learning_plan", "unknown_code"),
)


def rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f))


def excel_rows(path: Path) -> list[tuple[object, ...]]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return list(book.active.iter_rows(values_only=True))
    finally:
        book.close()


def write(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)


def messy_folder(root: Path, *, persons: str = "csv") -> ls.Population:
    """Write the files in ``root/all`` (persons as ``persons.csv`` or ``.xlsx``).

    Returns the population the files were made from (before they were spoilt).
    """
    pop = ls.synthetic_population(persons=400, seed=3, hierarchy=tree(2))
    folder = root / "all"
    write_population(pop, folder)
    table = rows(folder / "persons.csv")
    header = table[0]
    table[3][header.index("party_member")] = "maybe"  # yes/no no bundled rulebook reads
    table[20][header.index("citizen_points")] = "lots"  # points read before 2022 only
    table[40][header.index("employment")] = "x"  # a code out of its list
    table[60][header.index("sex")] = "9"
    table.append(list(table[80]))  # the same person twice
    ghost = list(table[90])
    ghost[header.index("person_id")] = "99999"
    ghost[header.index("household_id")] = "88888"  # no such household
    table.append(ghost)
    if persons == "xlsx":
        import openpyxl

        (folder / "persons.csv").unlink()
        book = openpyxl.Workbook()
        for row in table:
            book.active.append(row)
        book.save(folder / "persons.xlsx")
    else:
        write(folder / "persons.csv", table)
    households = rows(folder / "households.csv")
    households[7][households[0].index("unit_code")] = "ZZZ"  # no such village
    households[0].append("children_results_good")
    for i, row in enumerate(households[1:]):
        row.append(["1", "0", ""][i % 3])
    write(folder / "households.csv", households)
    organisations = rows(folder / "organisations.csv")
    organisations[0].append("learning_plan")
    for i, row in enumerate(organisations[1:]):
        row.append(["1", "0", "1", ""][i % 4])
    organisations[3][-1] = "maybe"
    write(folder / "organisations.csv", organisations)
    return pop
