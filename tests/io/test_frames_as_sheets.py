"""A sheet read with ``pd.read_excel`` gives what the workbook reader gives for it.

``from_dataframe`` rejected the sheet's blank rows (``missing_value`` in every required
column) and its totals rows (``Tổng cộng``: an out-of-range age, an unknown code ...)
that the workbook reader leaves out or skips: the same sheet, read two ways, gave two
different counts. Now a frame's blank rows are no rows, and its totals rows and
headings are skipped (or rejected as ``unsure_totals_row``) by the same rules.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import learnsoc as ls
from learnsoc.io import read_population
from tests.io.helpers import UNITS, write
from tests.trees import two_level

pd = pytest.importorskip("pandas")

HOUSEHOLDS: list[list[Any]] = [
    ["household_id", "unit_code", "registered"],
    ["H1", "00001001", 1],
    ["H2", "00001002", 1],
    [None, None, None],  # a blank row between blocks
    ["H3", "00004001", 0],
    ["Tổng cộng", None, 2],  # the sums: 2 registered
]
PERSONS: list[list[Any]] = [
    ["person_id", "household_id", "age", "sex", "literate"],
    ["Thôn Đông", None, None, None, None],  # a heading over a block
    [1, "H1", 40, 1, 1],
    [2, "H1", 9, 2, 0],
    [None, None, None, None, None],
    [None, None, None, None, None],
    [3, "H2", 35, 2, 1],
    [4, "H3", 70, 1, 1],
    [5, "H3", 300, 1, 1],  # a bad age: rejected either way
    [6, "Cộng", 30, 1, 1],  # a totals label after an id: may be data, rejected
    ["Cộng: 6 người", None, 484, None, 4],  # the sums, with a colon
]


def _workbook(path: Path, rows: list[list[Any]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _counts(pop: ls.Population) -> dict[str, tuple[int, int, int, int]]:
    r = pop.rejects
    return {t: (r.n_read(t), r.n_accepted(t), r.n_rejected(t), r.n_skipped(t)) for t in r.read}


def _reasons(pop: ls.Population, first_line: int) -> list[tuple[str, int, str, str]]:
    """(table, row of the sheet's data, column, reason) of every reject."""
    return sorted(
        (r.table, int(getattr(r, "line", 0)) - first_line, r.column, r.reason)
        for r in pop.rejects.records("en")
    )


@pytest.mark.parametrize("as_text", [False, True])
def test_a_sheet_read_with_pandas_gives_the_workbook_readers_counts(
    tmp_path: Path, as_text: bool
) -> None:
    units = write(tmp_path, "units.csv", UNITS)
    persons = _workbook(tmp_path / "persons.xlsx", PERSONS)
    households = _workbook(tmp_path / "households.xlsx", HOUSEHOLDS)
    with warnings.catch_warnings(record=True) as from_files_said:
        warnings.simplefilter("always")
        from_files = read_population(persons, households=households, units=units)
    options: dict[str, Any] = {"dtype": str} if as_text else {}
    frames = [pd.read_excel(p, **options) for p in (persons, households)]
    with warnings.catch_warnings(record=True) as from_frames_said:
        warnings.simplefilter("always")
        from_frames = ls.from_dataframe(*frames, hierarchy=from_files.hierarchy)
    # By hand: households 3 + 1 totals row read (the blank row is none), 3 accepted, the
    # totals row skipped; persons 8 read (the 2 blank rows are none), of which 4 accepted,
    # 2 rejected (the age 300; the row of id 6 whose household is "Cộng") and 2 skipped
    # (the heading and the totals row).
    expected = {"household": (4, 3, 0, 1), "person": (8, 4, 2, 2)}
    assert {t: c for t, c in _counts(from_files).items() if t in expected} == expected
    assert {t: c for t, c in _counts(from_frames).items() if t in expected} == expected
    # The same rejects at the same rows: a file's line 2 is a frame's row 1.
    assert _reasons(from_frames, 1) == _reasons(from_files, 2)
    assert [r[3] for r in _reasons(from_frames, 1)] == ["out_of_range", "unsure_totals_row"]
    assert sorted(from_frames.person_ids.astype(str).tolist()) == ["1", "2", "3", "4"]
    # Said as the workbook's skipped rows are, by their rows in the frame.
    said = [str(w.message) for w in from_frames_said if "skipped" in str(w.message)]
    assert any("row 1 ('Thôn Đông')" in m for m in said)
    assert any("row 10 ('Cộng: 6 người')" in m for m in said)
    assert len(said) == len([w for w in from_files_said if "skipped" in str(w.message)])


def test_a_frame_without_blank_or_totals_rows_is_read_as_before() -> None:
    tree = two_level({"01": ["001"]})
    persons = pd.DataFrame(
        {
            "person_id": ["1", "2", "3"],
            "household_id": ["H1", "H1", "H1"],
            "age": [40, 9, 8],
            "literate": [1, None, 0],
        }
    )
    pop = ls.from_dataframe(persons, {"household_id": ["H1"], "unit_code": ["001"]}, hierarchy=tree)
    # A row with an id is no blank row: its missing literacy is unknown, as before.
    assert _counts(pop)["person"] == (3, 3, 0, 0)
