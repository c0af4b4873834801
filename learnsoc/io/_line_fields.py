r"""The lines of a CSV file without quotes whose number of fields is not the header's.

A CSV reader that hands a short line (fewer fields than the header) to learnsoc must
know where the records of a file are without parsing it again: here a record is a
line that is not blank, and its fields are its separators plus one. Only the lines of
the wrong number of fields are kept (a file of a few million rows has a handful), and
which lines are blank only when there are blank lines: a short line then costs about
what a bad cell costs, where keeping each line's start, end and number of fields cost
32 bytes a line (96 MB for three million rows) and counting the fields in one piece
cast each byte of the file to 8 bytes (400 MB for a 50 MB file).

The file is looked at :data:`LINES_BLOCK` bytes at a time.

Examples
--------
>>> import numpy as np
>>> buf = np.frombuffer(b"1;a;x\n\n2;b\r\n3;c;y\n4", np.uint8)
>>> found = odd_lines(buf, ord(";"), 3)
>>> found.n_lines, found.n_records, found.nonblank.tolist()
(5, 4, [0, 2, 3, 4])
>>> found.records.tolist(), found.lines.tolist(), found.fields.tolist()
([1, 3], [2, 4], [2, 1])
"""

from __future__ import annotations

import attrs
import numpy as np
from numpy.typing import NDArray

__all__ = ["LINES_BLOCK", "OddLines", "blank_lines", "odd_lines"]

#: Bytes of a file looked at together: the arrays made for a block are a few times its
#: size at most (8 bytes a line break or a separator), whatever the size of the file.
LINES_BLOCK = 1 << 20


@attrs.frozen
class OddLines:
    """The lines not blank whose number of fields is not the header's.

    Parameters
    ----------
    n_lines : int
        The lines looked at (a last line without a line break counts).
    n_records : int
        The lines not blank among them.
    nonblank : numpy.ndarray or None
        The index (from 0) of each line not blank; None when no line is blank.
    records : numpy.ndarray
        The index among the lines not blank (the record) of each odd line.
    lines : numpy.ndarray
        The index among all lines of each odd line.
    fields : numpy.ndarray
        The number of fields of each odd line.
    """

    n_lines: int
    n_records: int
    nonblank: NDArray[np.int64] | None
    records: NDArray[np.int64]
    lines: NDArray[np.int64]
    fields: NDArray[np.int64]


def odd_lines(buf: NDArray[np.uint8], delim: int, n_fields: int | None) -> OddLines:
    r"""Find the lines of ``buf`` not blank whose fields are not ``n_fields``.

    A line ends at ``\n`` (a ``\r`` before it is not part of it); it is blank when it
    is empty. Its fields are its ``delim`` bytes plus one: quotes are not looked at, so
    the file must have none. With ``n_fields`` None, only the blank lines are found (no
    line is odd): the fields are not counted.

    Examples
    --------
    >>> import numpy as np
    >>> found = odd_lines(np.frombuffer(b"a,b\nc\n", np.uint8), ord(","), 2)
    >>> found.nonblank is None, found.records.tolist(), found.fields.tolist()
    (True, [1], [1])
    """
    found = _Found()
    start = 0  # where the line being read starts
    for lo in range(0, len(buf), LINES_BLOCK):
        breaks = np.flatnonzero(buf[lo : lo + LINES_BLOCK] == 10).astype(np.int64) + lo
        if not len(breaks):
            continue
        begin = np.empty(len(breaks), np.int64)
        begin[0] = start
        begin[1:] = breaks[:-1] + 1
        found.add(buf, begin, breaks, delim, n_fields)
        start = int(breaks[-1]) + 1
    if start < len(buf):  # a last line without a line break
        last = np.array([len(buf)], np.int64)
        found.add(buf, np.array([start], np.int64), last, delim, n_fields)
    return found.result()


def blank_lines(buf: NDArray[np.uint8]) -> int:
    """Return the number of blank lines (empty, or a carriage return alone) after ``buf[0]``.

    ``buf`` begins with the line break before the first line counted. Lines are blank as
    :func:`odd_lines` finds them, but for a last line without a line break, never
    counted: a blank line left uncounted only means the lines are looked at, as before.
    """
    count = 0
    for lo in range(0, len(buf), LINES_BLOCK):
        block = buf[lo : lo + LINES_BLOCK + 2]  # a blank line may end in the next block
        at = min(LINES_BLOCK, len(block))  # line breaks in this block
        breaks = block == 10
        count += int(np.count_nonzero((breaks[:-1] & breaks[1:])[:at]))
        count += int(np.count_nonzero((breaks[:-2] & (block[1:-1] == 13) & breaks[2:])[:at]))
    return count


def _fields(
    buf: NDArray[np.uint8], begin: NDArray[np.int64], end: NDArray[np.int64], delim: int
) -> NDArray[np.int64]:
    """Count the fields of each line from ``begin`` to ``end`` (sorted, not empty)."""
    lo = int(begin[0])
    # Where the separators are, not a flag per byte summed as 8-byte numbers: a block
    # holds at most one line longer than a block, and a line has few separators (one of
    # more than MAX_COLUMNS fields is set aside before, see csv.py).
    at = np.flatnonzero(buf[lo : int(end[-1])] == delim) + lo
    counts: NDArray[np.int64] = np.searchsorted(at, end) - np.searchsorted(at, begin)
    return counts.astype(np.int64) + 1


@attrs.define
class _Found:
    """What :func:`odd_lines` has found so far, block by block."""

    n_lines: int = 0
    n_records: int = 0
    # The lines not blank, a block at a time: (first line of the block, index or None
    # when the block has no blank line: then they are all its lines).
    kept: list[tuple[int, int, NDArray[np.int64] | None]] = attrs.field(factory=list)
    blank: bool = False
    records: list[NDArray[np.int64]] = attrs.field(factory=list)
    lines: list[NDArray[np.int64]] = attrs.field(factory=list)
    fields: list[NDArray[np.int64]] = attrs.field(factory=list)

    def add(
        self,
        buf: NDArray[np.uint8],
        begin: NDArray[np.int64],
        end: NDArray[np.int64],
        delim: int,
        n_fields: int | None,
    ) -> None:
        """Add the lines from ``begin`` to ``end`` (each before its line break)."""
        cr = (end > begin) & (buf[np.maximum(end - 1, 0)] == 13)
        end = end - cr
        keep = np.flatnonzero(end > begin)
        whole = len(keep) == len(begin)
        self.blank |= not whole
        self.kept.append((self.n_lines, len(begin), None if whole else keep + self.n_lines))
        if len(keep) and n_fields is not None:
            fields = _fields(buf, begin[keep], end[keep], delim)
            odd = np.flatnonzero(fields != n_fields)
            self.records.append(odd + self.n_records)
            self.lines.append(keep[odd] + self.n_lines)
            self.fields.append(fields[odd])
        self.n_lines += len(begin)
        self.n_records += len(keep)

    def result(self) -> OddLines:
        """Return what was found."""
        nonblank = None
        if self.blank:
            parts = [
                np.arange(first, first + count, dtype=np.int64) if index is None else index
                for first, count, index in self.kept
            ]
            nonblank = np.concatenate(parts)
        return OddLines(
            self.n_lines,
            self.n_records,
            nonblank,
            _joined(self.records),
            _joined(self.lines),
            _joined(self.fields),
        )


def _joined(parts: list[NDArray[np.int64]]) -> NDArray[np.int64]:
    """Return the parts end to end (an empty array for none)."""
    return np.concatenate(parts) if parts else np.zeros(0, np.int64)
