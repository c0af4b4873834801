r"""The cells of columns learnsoc does not read, for the few records judged by them.

A CSV file of a few known columns beside thousands of others (an export of a whole
survey, read with ``--ignore-unknown-columns``) cost its parsed cells: 511 MB for a
64 MB file of 16,000 columns. Columns that will not be read (unknown ones ignored,
those a mapping file ignores, the row numbers) are therefore not parsed. Their cells
still decide two things about a record, which must not change with them unread:

* a record whose every cell is blank is no record (``;;;;``), but one filled only in
  such a column is a record, rejected for the cells it lacks;
* a block heading (``Thôn Đông`` alone on its row) is skipped, and its text may sit in
  such a column (a name column), or a cell there may make the row data.

Both need a record with at most two cells filled among those read (a heading and its
number): only those records are parsed again from their lines, one at a time, and
handed on with what decides them, blank in every other row: their cells in the unread
columns among the first :data:`~learnsoc.io.headers.HEADING_COLUMNS` (where a heading
is), and their first cell filled in an unread column after those, put in the first such
column (a cell there makes the row data, whichever it is; the unread columns are never
converted nor reported). A record with three cells filled or more is neither blank nor
a heading, whatever its other cells hold. So the judgement is the one of the whole file
read, and the cells kept are at most four a record, even when every record is filled
only in unread columns.

Examples
--------
>>> import numpy as np
>>> from learnsoc.io.table import Layout, RawTable
>>> data = b"id;note;age;sex\n1;x;40;1\n;Thon Dong;;\n;;;\n"
>>> raw = RawTable("p.csv", ("id", "note", "age", "sex"), [{"id": np.array(["1", "", ""]),
...     "age": np.array(["40", "", ""]), "sex": np.array(["1", "", ""])}], Layout(3))
>>> out = with_unread_cells(raw, data, ";", lambda h: h == "note")
>>> next(out.iter_batches())["note"].tolist()  # the first row is data whatever its note
['', 'Thon Dong', '']
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
from numpy.typing import NDArray

from learnsoc.io.convert import blank_cells, text_cells
from learnsoc.io.headers import HEADING_COLUMNS
from learnsoc.io.table import RawTable

__all__ = ["with_unread_cells"]

#: A record with more cells filled among those read is neither blank nor a block heading.
_FEW_CELLS = 2


def with_unread_cells(
    table: RawTable, data: bytes, delimiter: str, unread: Callable[[str], bool]
) -> RawTable:
    r"""Return the table with the unread columns that its few-celled records fill.

    Parameters
    ----------
    table : RawTable
        As a CSV reader read ``data``, without the ``unread`` columns (one record per
        line start: ``layout.line_of`` gives each record's first line).
    data : bytes
        The UTF-8 text the reader parsed (``\n`` line breaks).
    delimiter : str
        The separator the reader used.
    unread : callable
        ``unread(header)``: whether the reader left the column out.

    Call it with :mod:`csv`'s field size limit the reader's: a cell as long as it read.
    """
    gone = [i for i, name in enumerate(table.header) if unread(name)]
    if not gone or callable(table.batches):
        return table
    heading = [i for i in gone if i < HEADING_COLUMNS]  # where a heading may be
    after = [i for i in gone if i >= HEADING_COLUMNS]
    starts: NDArray[np.intp] | None = None  # each line's first byte, found when needed
    out: list[dict[str, Any]] = []
    offset = 0
    for batch in table.iter_batches():
        n = len(next(iter(batch.values()))) if batch else 0
        rows = _few_celled(batch, unread, n)
        added = dict(batch)
        kept: dict[int, list[str]] = {}  # header position -> a cell per row of ``rows``
        if len(rows):
            if starts is None:
                breaks = np.flatnonzero(np.frombuffer(data, np.uint8) == 10)
                starts = np.concatenate([[0], breaks + 1])
            lay = table.layout
            lines = lay.line_of(lay.record_of(rows + offset))
            for k, line in enumerate(lines.tolist()):
                fields = _record(data, int(starts[line - 1]), delimiter)
                for i in heading:
                    kept.setdefault(i, [""] * len(rows))[k] = fields[i] if i < len(fields) else ""
                if after:
                    cell = next(
                        (fields[i] for i in after if i < len(fields) and fields[i].strip()), ""
                    )
                    kept.setdefault(after[0], [""] * len(rows))[k] = cell
        for i, cells in kept.items():
            name = table.header[i]
            if name in batch or all(not c.strip() for c in cells):
                continue  # read whole (the exact engine took over), or nothing to say
            column = [""] * n
            for row, cell in zip(rows.tolist(), cells, strict=True):
                column[row] = cell
            added[name] = text_cells(column)
        out.append({h: added[h] for h in table.header if h in added})
        offset += n
    table.batches = out
    return table


def _few_celled(
    batch: dict[str, Any] | Any, unread: Callable[[str], bool], n: int
) -> NDArray[np.int64]:
    """Return the rows of a batch with at most :data:`_FEW_CELLS` cells filled among those read."""
    filled = np.zeros(n, np.int8)
    rows = np.arange(n, dtype=np.int64)
    for name, column in batch.items():
        if unread(name):
            continue
        # Narrowed as cells are counted: a row of data leaves after its third filled cell.
        filled[rows] += ~blank_cells(column, rows if len(rows) < n else None)
        rows = rows[filled[rows] <= _FEW_CELLS]
        if not len(rows):
            break
    return rows


def _record(data: bytes, start: int, delimiter: str) -> list[str]:
    """Return the fields of the record that begins at byte ``start`` (over lines if quoted)."""
    return next(csv.reader(_lines(data, start), delimiter=delimiter, strict=False), [])


def _lines(data: bytes, start: int) -> Iterator[str]:
    """Yield the lines of ``data`` from byte ``start``, as the reader asks for them."""
    at = start
    while at < len(data):
        end = data.find(b"\n", at)
        end = len(data) if end < 0 else end + 1
        yield data[at:end].decode("utf-8", "replace")
        at = end
