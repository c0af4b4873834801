r"""CSV records short of their empty last cells: read as if the separators were there.

Excel's CSV export may leave out the separators of empty cells at the end of a row
(StataCorp's FAQ on Excel's CSV files describes it): a mostly empty last column, such
as ``Ghi chú`` (notes), leaves rows one or more fields short. Such a record is read
as if its missing last cells were empty, exactly as if the separators were there,
when every column it lacks is one a record may leave empty (a column learnsoc does not
need: optional, ignored, unnamed). A record that lacks a column learnsoc needs stays a
reject (``short_line``, naming that column); one with more fields than the header stays
a ``malformed_line`` reject. Values are never moved to another column: only cells
after a record's last field are added.

The reader reads the file, finds such records in its layout (both engines give the
same layout), adds the missing separators at the end of each one's last line, in
numpy (no Python object per record), and reads the result again: both engines then
read the same bytes, so they give the same table. Lines keep their numbers. A file
with old Mac line breaks, where lines are not ended by ``\n``, is left as read, and so
is a short last line without a line break (a file cut off: Excel ends every row).

Examples
--------
>>> from learnsoc.io.csv import read_csv_bytes
>>> data = "id;age;note\n1;40;ok\n2;9\n3\n".encode()
>>> table = read_csv_bytes(data, "t.csv", engine="python", needed={"id", "age"}.__contains__)
>>> batch = next(table.iter_batches())
>>> batch["age"].tolist(), batch["note"].tolist()
(['40', '9'], ['ok', ''])
>>> table.layout.malformed.tolist(), table.layout.short_of[1]
([2], 'age')
"""

from __future__ import annotations

import io
from collections.abc import Callable

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc.io.table import Layout, RawTable

__all__ = ["fewest_fields", "fill_lines", "fill_short_records", "fillable", "short_of"]


def short_of(header: tuple[str, ...], needed: Callable[[str], bool]) -> tuple[str, ...]:
    """Return, for each number of fields ``k``, the first needed column at or after ``k``.

    ``""`` where none: a record of ``k`` fields may then be read with empty last cells.

    Examples
    --------
    >>> short_of(("id", "age", "note", "<column 4>"), {"id", "age"}.__contains__)
    ('id', 'age', '', '')
    """
    out = [""] * len(header)
    first = ""
    for k in range(len(header) - 1, -1, -1):
        if needed(header[k]):
            first = header[k]
        out[k] = first
    return tuple(out)


def fewest_fields(lacks: tuple[str, ...], n: int) -> int:
    """Return the fewest fields a record of ``n`` may have and be filled.

    ``lacks`` is :func:`short_of`'s.

    Examples
    --------
    >>> fewest_fields(("id", "age", "", ""), 4), fewest_fields(("", ""), 2)
    (2, 1)
    """
    return max(n - next((i for i, name in enumerate(reversed(lacks)) if name), n), 1)


def fill_lines(
    data: bytes, lines: NDArray[np.int64], missing: NDArray[np.int64], delim: str
) -> tuple[bytes, NDArray[np.bool_]]:
    r"""Return ``data`` with ``missing[i]`` separators at the end of line ``lines[i]``.

    ``lines`` are 1-based and sorted. A line without a line break (the last, in a file cut
    off) is left as it is: the second array says which lines were filled.

    Examples
    --------
    >>> import numpy as np
    >>> fill_lines(b"a;b;c\r\n1\r\n2;x", np.array([2, 3]), np.array([2, 1]), ";")
    (b'a;b;c\r\n1;;\r\n2;x', array([ True, False]))
    """
    ends = _line_ends(data, lines)
    whole = ends < len(data)
    return _with_separators(data, ends[whole], missing[whole], ord(delim)), whole


def fillable(lay: Layout) -> NDArray[np.int64]:
    """Return the malformed records short only of columns a record may leave empty.

    ``lay.short_of`` must be set (see :func:`short_of`).
    """
    if not lay.short_of or not len(lay.malformed):
        return lay.malformed[:0]
    return _fillable(lay, lay.short_of)


def fill_short_records(
    lay: Layout, data: bytes, delim: str, read: Callable[[bytes], RawTable]
) -> RawTable:
    """Read ``data`` again with the missing last cells of :func:`fillable` records empty.

    Parameters
    ----------
    lay : Layout
        The layout of ``data`` as first read, with ``short_of`` set.
    data : bytes
        The UTF-8 bytes that were read (lines numbered as in the file).
    delim : str
        The separator.
    read : callable
        Reads bytes as they were first read (the same engine and options).
    """
    fill = fillable(lay)
    missing = lay.n_fields - lay.malformed_fields[np.searchsorted(lay.malformed, fill)]
    # A malformed record that is not an unclosed quote takes one line: a record across
    # lines of the wrong number of fields is read as a quote left open (see csv.py).
    # A short last line without a line break is a file cut off (a download, a copy
    # stopped), not Excel's export, which ends every row with one: it stays a reject.
    filled, whole = fill_lines(data, lay.line_of(fill), missing, delim)
    fill = fill[whole]
    table = read(filled)
    new = table.layout
    if new.n_records != lay.n_records or np.isin(fill, new.malformed).any():
        table = read(data)  # the records did not stay where they were: read as it is
        new = table.layout
    table.layout = attrs.evolve(new, short_of=lay.short_of)
    return table


def _fillable(lay: Layout, lacks: tuple[str, ...]) -> NDArray[np.int64]:
    """Return the malformed records that lack only columns a record may leave empty."""
    n = lay.n_fields
    fields = lay.malformed_fields
    plain = (
        ~np.isin(lay.malformed, lay.unclosed)
        & ~np.isin(lay.malformed, lay.totals)
        & ~np.isin(lay.malformed, lay.skipped)
    )
    return lay.malformed[plain & (fields >= fewest_fields(lacks, n)) & (fields < n)]


#: Bytes looked at a time: memory follows this, not the file (the arrays made for a
#: chunk are a few times its size: a bool a byte, 8 bytes a line break).
_CHUNK = 1 << 22


def _line_ends(data: bytes, lines: NDArray[np.int64]) -> NDArray[np.int64]:
    """Return where each of the (sorted, 1-based) lines ends, before its line break."""
    buf = np.frombuffer(data, np.uint8)
    out = np.full(len(lines), len(buf), np.int64)  # the last line may have no line break
    want = np.asarray(lines, np.int64) - 1  # line L ends at the L-th line break (0-based L-1)
    seen = 0
    for lo in range(0, len(buf), _CHUNK):
        breaks = np.flatnonzero(buf[lo : lo + _CHUNK] == 10) + lo
        a, b = np.searchsorted(want, [seen, seen + len(breaks)])
        out[a:b] = breaks[want[a:b] - seen]
        seen += len(breaks)
    crlf = (out > 0) & (buf[np.maximum(out - 1, 0)] == 13)
    out -= crlf
    return out


def _with_separators(
    data: bytes, at: NDArray[np.int64], count: NDArray[np.int64], delim: int
) -> bytes:
    """Return ``data`` with ``count[i]`` separators added at byte ``at[i]`` (sorted)."""
    buf = np.frombuffer(data, np.uint8)
    where = np.repeat(at, count)
    # Each chunk is written out as it is made: the file is then copied once, where one
    # array of it all, then turned to bytes, held it three times (data, array, bytes).
    # BytesIO grows its bytes in place and hands them over without a copy.
    out = io.BytesIO()
    for lo in range(0, len(buf), _CHUNK):
        hi = min(lo + _CHUNK, len(buf))
        # An insertion at the very end of the file belongs to the last chunk.
        a, b = np.searchsorted(where, [lo, hi if hi < len(buf) else hi + 1])
        if a == b:
            out.write(buf[lo:hi].data)
            continue
        # Written in place, where np.insert would sort the places and build a new array:
        # the i-th separator of the chunk goes i places further on.
        piece = np.empty((hi - lo) + (b - a), np.uint8)
        separators = where[a:b] - lo + np.arange(b - a)
        kept = np.ones(len(piece), bool)
        kept[separators] = False
        piece[separators] = delim
        piece[kept] = buf[lo:hi]
        out.write(piece.data)
    return out.getvalue()
