"""Blank spreadsheet rows: skipped alike in CSV exports (``;;;;``) and in workbooks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.io.helpers import files, problems, read
from tests.optional import require

ENGINES = ["python", "pyarrow"]

#: Persons of two villages with the blank rows a clerk leaves between blocks: a line of
#: separators, one with spaces, a bad age (line 7) and a malformed line (line 9) after them.
PERSONS_ROWS = [
    ["person_id", "household_id", "age", "sex", "literate"],
    ["1", "H1", "40", "1", "1"],
    ["2", "H1", "9", "2", "0"],
    ["", "", "", "", ""],
    ["3", "H2", "35", "2", "1"],
    [" ", "", " ", "", ""],
    ["5", "H2", "tám", "2", "1"],
    ["4", "H3", "70", "1", "1"],
]


def _csv(rows: list[list[str]], delim: str) -> str:
    return "".join(delim.join(r) + "\n" for r in rows)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("delim", [",", ";"])
def test_a_line_of_separators_is_skipped_as_a_blank_row(
    tmp_path: Path, engine: str, delim: str
) -> None:
    """``;;;;`` between villages was a rejected record (exit 1); it is skipped, not read."""
    text = _csv(PERSONS_ROWS, delim) + "6,H3\n".replace(",", delim)  # line 9: no age
    paths = files(tmp_path, persons=text)
    if delim == ";":
        for name in ("households", "units"):
            paths[name].write_text(paths[name].read_text("utf-8").replace(",", ";"), "utf-8")
    pop = read(paths, engine=engine)
    # read = accepted + rejected, blank rows in neither: 6 records, 4 persons, 2 rejects.
    assert pop.rejects.counts()["person"] == (6, 4, 2)
    assert [(p[1], p[4]) for p in problems(pop)] == [(7, "not_a_number"), (9, "short_line")]


def test_blank_rows_count_alike_in_csv_and_excel(tmp_path: Path) -> None:
    """The same sheet as a workbook and as its CSV export reads the same rows and rejects."""
    openpyxl = require("openpyxl")
    paths = files(tmp_path, persons=_csv(PERSONS_ROWS, ","))
    book = openpyxl.Workbook()
    sheet = book.active
    for row in PERSONS_ROWS:
        sheet.append([int(c) if c.isdigit() else (c or None) for c in row])
    book.save(tmp_path / "persons.xlsx")
    from_csv = read(paths)
    from_excel = read({**paths, "persons": tmp_path / "persons.xlsx"})
    assert from_csv.rejects.counts() == from_excel.rejects.counts()
    assert from_csv.rejects.counts()["person"] == (5, 4, 1)
    assert [p[1:] for p in problems(from_csv)] == [p[1:] for p in problems(from_excel)]


def test_both_engines_judge_a_row_on_the_columns_read(tmp_path: Path) -> None:
    """With ``columns=``, pyarrow leaves unread columns unparsed: a row whose only value is
    in one of them is judged alike by both engines (blank among the columns read)."""
    persons = _csv([*PERSONS_ROWS[:3], ["", "", "", "", "1"], *PERSONS_ROWS[4:5]], ",")
    paths = files(tmp_path, persons=persons)
    counts = [
        read(paths, engine=engine, columns=["age"]).rejects.counts()["person"] for engine in ENGINES
    ]
    assert counts[0] == counts[1]


def test_the_cells_as_written_follow_the_rows_that_remain() -> None:
    """A row left out (blank, or set aside as no data): the next rows' cells as written
    are those of the rows they were, not of the rows now at their place."""
    import numpy as np
    from numpy.typing import NDArray

    from learnsoc.io.convert import without_blank_records, without_rows
    from learnsoc.io.table import Layout, RawTable

    def written(name: str, rows: NDArray[np.int64]) -> NDArray[np.str_]:
        """The cell of a row as written: its column and its row in the file's order."""
        return np.array([f"{name}@{r}" for r in rows.tolist()])

    cells = np.array(["1", "", "2", "x", "3"])
    raw = RawTable("p.csv", ("Mã",), [{"Mã": cells}], Layout(5), written=written)
    kept = without_blank_records(raw)
    assert kept.written is not None
    # Rows 0, 2, 3, 4 remain (row 1 is blank): the remaining 1st to 3rd are file rows 2-4.
    remaining = [i for i, c in enumerate(cells.tolist()) if c]
    assert kept.written("Mã", np.array([1, 2, 3])).tolist() == [f"Mã@{r}" for r in remaining[1:]]
    # Then the "x" row is set aside: the last row left is the file's row 4.
    gone = np.array([c == "x" for c in cells[remaining].tolist()])
    fewer = without_rows(kept, gone)
    assert fewer.written is not None
    assert fewer.written("Mã", np.array([0, 1, 2])).tolist() == ["Mã@0", "Mã@2", "Mã@4"]
    assert next(fewer.iter_batches())["Mã"].tolist() == ["1", "2", "3"]
