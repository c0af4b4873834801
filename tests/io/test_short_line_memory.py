"""A short line in a big CSV file costs about what a bad cell costs, not the file again.

Its fields were counted by casting each byte of the file to 8 bytes, and each line's
start, end and fields were kept (32 bytes a line): 49 MB more than a bad cell for a
5 MB file. Now only the odd lines are kept, and the file is copied once to fill them.
"""

from __future__ import annotations

import tracemalloc

import pytest

from learnsoc.io.csv import read_csv_bytes

pytest.importorskip("pyarrow")

ROWS = 200_000
NEEDED = {"person_id", "household_id", "age"}.__contains__


def persons(odd_line: str) -> bytes:
    """A persons file of ROWS rows whose middle row is ``odd_line``."""
    rows = [f"{i},H{i % 3},{i % 90},{i % 2 + 1},1" for i in range(ROWS)]
    rows[ROWS // 2] = odd_line
    return ("person_id,household_id,age,sex,literate\n" + "\n".join(rows) + "\n").encode()


def traced_peak(data: bytes) -> tuple[int, list[str], list[int]]:
    """Read ``data``: the peak of memory traced, the ages read, and the malformed lines."""
    tracemalloc.start()
    try:
        table = read_csv_bytes(data, "p.csv", engine="pyarrow", needed=NEEDED)
        columns = [batch["age"] for batch in table.iter_batches()]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    ages = [str(a) for column in columns for a in column.to_pylist()]
    return peak, ages, table.layout.line_of(table.layout.malformed).tolist()


@pytest.mark.parametrize(
    ("short", "rows_read"),
    [
        (f"{ROWS // 2},H1,40", ROWS),  # lacks sex and literate: read with them empty
        (f"{ROWS // 2}", ROWS - 1),  # lacks a needed column: a malformed line
    ],
)
def test_a_short_line_costs_about_what_a_bad_cell_costs(short: str, rows_read: int) -> None:
    bad_cell = persons(f"{ROWS // 2},H1,xx,1,1")
    short_line = persons(short)
    cell_peak, cell_ages, cell_malformed = traced_peak(bad_cell)
    short_peak, short_ages, short_malformed = traced_peak(short_line)
    # Nothing lost: the rows, counted from the text, are read or named malformed.
    assert len(cell_ages) == ROWS and cell_malformed == []
    assert len(short_ages) == rows_read
    assert short_malformed == ([] if rows_read == ROWS else [ROWS // 2 + 2])
    want = [str(i % 90) for i in range(ROWS) if i != ROWS // 2 or rows_read == ROWS]
    if rows_read == ROWS:
        want[ROWS // 2] = "40"
    assert short_ages == want
    # The filled copy of the file is the most a short line may add (generous: twice it).
    assert short_peak - cell_peak < 2 * len(short_line), (short_peak, cell_peak)
