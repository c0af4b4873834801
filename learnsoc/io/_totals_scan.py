r"""Find the cells that may mark a totals row (Tổng cộng) in CSV bytes, fast.

Every CSV file is looked at for a totals row before pyarrow parses it. The pattern of
:data:`TOTALS_CELL` run over a whole file cost 30 ns a byte (0.6 s for a million persons
in 20 MB, 2.5 times pyarrow's parse of the file; 30 s a gigabyte), since Python's regular
expressions try every position. Here numpy first finds the positions where such a cell
could begin: a byte pair that begins a totals label (``To``, ``tổ``, ``CỘ``, ``gr``...,
in every case and Unicode form the pattern knows), after a separator, a space, a quote,
a line break or at the start. Only the lines holding such a position are given to the
pattern; a stretch of lines where they are many is given to it whole. The answers are
those of the pattern on the whole file: a match never spans lines, and each match begins
at such a position.

Examples
--------
>>> data = "mã,tên\n01,Nguyễn Văn Toàn\nTổng cộng,\n".encode()
>>> search_totals(data).group().decode()
'Tổng cộng,'
>>> search_totals("mã,số\n01,3\n".encode()) is None
True
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

import numpy as np
from numpy.typing import NDArray

from learnsoc.io.table import TOTALS_LABELS, TOTALS_PREFIXES

__all__ = ["TOTALS_CELL", "finditer_totals", "search_totals"]

#: Bytes looked at a time (memory follows this, not the file), cut at a line break.
_CHUNK = 1 << 24

#: A stretch with more candidate positions than one per this many bytes goes to the
#: pattern whole: one call over it costs less than one call per line.
_DENSE = 256


def _spellings(words: Iterable[str]) -> list[bytes]:
    """Each word as clerks type it, accents composed (NFC) or not (NFD: macOS), in UTF-8."""
    cased = {f for w in words for f in (w, w.upper(), w.capitalize(), w.title())}
    forms = {unicodedata.normalize(n, f).encode() for f in cased for n in ("NFC", "NFD")}
    return sorted(forms, key=len, reverse=True)


def _totals_pattern() -> re.Pattern[bytes]:
    """Return a pattern finding a cell that may mark a totals row, in UTF-8 bytes.

    A quick look before pyarrow parses: a hit sends the file to the exact engine, which
    decides with :func:`~learnsoc.io.table.is_totals_label`.
    """

    def alternatives(words: Iterable[str]) -> bytes:
        return b"|".join(re.escape(f) for f in _spellings(words))

    labels = alternatives(TOTALS_LABELS)
    cell = (
        rb"(?:" + labels + rb")[ :.]*"
        # A label, a colon and what it counts: "Tổng cộng: 10 người".
        rb"|(?:" + labels + rb") *:[^,;\t|\r\n]*"
        rb"|(?:" + alternatives(TOTALS_PREFIXES) + rb")[^,;\t|\r\n]*"
    )
    # Every label begins with a t, a c or a g (tổng, total, cộng, toàn, grand; NFC or NFD): the
    # lookahead turns away the other cells before the long alternation is tried (a file
    # without a totals row is scanned about twice as fast).
    return re.compile(
        rb'(?:^|[,;\t|])[ "]*(?=[tTcCgG])(?:' + cell + rb')"?[ ]*(?:[,;\t|]|\r?$)', re.M
    )


#: A cell that may mark a totals row: a label alone or followed by a colon and more, or a
#: prefix and a unit's name.
TOTALS_CELL = _totals_pattern()


def _first_pairs() -> NDArray[np.bool_]:
    """Return, for each pair of bytes ``a * 256 + b``, whether a label may begin with it."""
    table = np.zeros(1 << 16, np.bool_)
    for form in _spellings([*TOTALS_LABELS, *TOTALS_PREFIXES]):
        table[form[0] << 8 | form[1]] = True
    return table


_PAIRS = _first_pairs()
#: What may stand before a label's first letter in a match: the separators, the spaces and
#: quotes of ``[ "]*``, and a line break (``^``; ``\r`` too, to be safe).
_BEFORE = np.zeros(256, np.bool_)
_BEFORE[list(b',;\t| "\n\r')] = True


def _candidates(buf: NDArray[np.uint8], lo: int, hi: int) -> NDArray[np.intp]:
    """Return the positions in ``lo:hi - 1`` where a cell of :data:`TOTALS_CELL` may begin."""
    if hi - lo < 2:
        return np.zeros(0, np.intp)
    # First the letters a label begins with, t, c or g in either case (``| 0x20`` lowers
    # them, and no other byte becomes one of them): comparisons of whole windows, where
    # looking every byte pair up in a table cost 40 ns a byte.
    low = buf[lo : hi - 1] | np.uint8(0x20)
    at = np.flatnonzero((low == ord("t")) | (low == ord("c")) | (low == ord("g"))) + lo
    del low
    pair = (buf[at].astype(np.intp) << 8) | buf[at + 1]
    keep = _PAIRS[pair]
    inside = at > 0
    keep[inside] &= _BEFORE[buf[at[inside] - 1]]
    found: NDArray[np.intp] = at[keep]
    return found


def _spans(data: bytes, begin: int, end: int) -> Iterator[tuple[int, int]]:
    """Yield ``(start, stop)``: stretches of whole lines holding every candidate position.

    In order and apart. A window of bytes with many candidates is one stretch: its lines
    from the one holding its first byte to the one holding its last.
    """
    buf = np.frombuffer(data, np.uint8)
    done = begin  # the bytes before are searched, or hold no candidate

    def line(p: int) -> tuple[int, int]:
        start = max(data.rfind(b"\n", begin, p) + 1, begin)
        stop = data.find(b"\n", p, end)
        return start, end if stop < 0 else stop

    for lo in range(begin, end, _CHUNK):
        hi = min(lo + _CHUNK, end)
        found = _candidates(buf, lo, min(hi + 1, end))
        if not len(found):
            continue
        if len(found) * _DENSE > hi - lo:
            found = found[[0, -1]]  # the lines from the first candidate's to the last's
            start, stop = line(int(found[0]))[0], line(int(found[1]))[1]
            if stop > done:
                start = max(start, done)
                yield start, stop
                done = stop
            continue
        for p in found.tolist():
            if p < done:
                continue  # on a line searched already
            start, stop = line(p)
            yield max(start, done), stop
            done = stop


def search_totals(data: bytes, begin: int = 0, end: int | None = None) -> re.Match[bytes] | None:
    r"""Return ``TOTALS_CELL.search(data, begin, end)``, the same match, found faster.

    Examples
    --------
    >>> data = b"a;b\n1;total\n"
    >>> search_totals(data).start() == TOTALS_CELL.search(data).start()
    True
    """
    end = len(data) if end is None else min(end, len(data))
    for start, stop in _spans(data, begin, end):
        match = TOTALS_CELL.search(data, start, stop)
        if match is not None:
            return match
    return None


def finditer_totals(data: bytes, begin: int = 0) -> Iterator[re.Match[bytes]]:
    r"""Yield the matches of ``TOTALS_CELL.finditer(data, begin)``, found faster.

    Examples
    --------
    >>> data = "x,y\nTổng,1\n2,3\nCộng,4\n".encode()
    >>> [m.group().strip(b",\n").decode() for m in finditer_totals(data)]
    ['Tổng', 'Cộng']
    """
    for start, stop in _spans(data, begin, len(data)):
        yield from TOTALS_CELL.finditer(data, start, stop)
