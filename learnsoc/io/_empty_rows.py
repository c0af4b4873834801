"""A sheet's XML with its runs of empty rows cut to one, before it is parsed.

A sheet may store a million rows that hold nothing (``<row r="5"/>``, or rows of empty
styled cells ``<c r="A5" s="1"/>``: a format applied to whole columns, a careless
"select all"). Parsed one by one, each costs several Python steps (about 10 s a million);
cut here, as bytes, in C (a regular expression), they cost next to nothing.

A run of such rows (rows whose every cell is a self-closing ``<c .../>``: a cell without
a value, a formula or inline text) is replaced by its last row that carries its number
(``r="5"``), not dropped: a row that follows without its number (``<row>`` without
``r``, numbered from the row before it) still gets the right number. Whatever else the
XML holds is left to the parser, byte for byte. The XML is cut
in chunks on a ``<`` (so no element is cut in two where a run is matched); a run that
spans two chunks is cut in each, and a chunk holding a CDATA section (where ``<row``
would be text, not a tag) is left as it is.

Examples
--------
>>> import io
>>> xml = b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row>'
>>> xml += b"".join(b'<row r="%d"><c r="A%d" s="1"/></row>' % (i, i) for i in range(2, 9))
>>> xml += b'<row r="9"/><row><c><v>2</v></c></row></sheetData>'
>>> out = EmptyRowsCut(io.BytesIO(xml)).read()
>>> out.count(b"<row"), out[out.index(b"</row>") + 6 :]
(3, b'<row r="9"/><row><c><v>2</v></c></row></sheetData>')
"""

from __future__ import annotations

import re
from typing import IO

__all__ = ["EmptyRowsCut"]

_ATTR = rb"""\s+[^\s=<>/"']+\s*=\s*(?:"[^"<]*"|'[^'<]*')"""
_NO_VALUE = rb"(?:/>|>\s*(?:<c(?:" + _ATTR + rb")*\s*/>\s*)*</row>)"
#: A row that holds no value: self-closing, or only self-closing (empty) cells.
_EMPTY_ROW = rb"<row(?:" + _ATTR + rb")*\s*" + _NO_VALUE
#: The same, carrying its number.
_NUMBERED = (
    rb"<row(?:" + _ATTR + rb""")*?\s+r\s*=\s*["']\d+["'](?:""" + _ATTR + rb")*\s*" + _NO_VALUE
)
#: A run of empty rows ending with a numbered one (group 1), which is kept: the rows
#: after it are numbered from it, whatever the rows cut.
#: (It starts with "<row", not a group: the regular expression engine then jumps from one
#: "<row" to the next, instead of trying a match at every byte.)
_RUN = re.compile(_EMPTY_ROW + rb"\s*(?:" + _EMPTY_ROW + rb"\s*)*(" + _NUMBERED + rb")")
_CHUNK = 1 << 16
#: Bytes the first read hands on at most, each next read twice as many as the one before:
#: a parser that reads 16 KiB at a time (``iterparse``) then parses a sheet's first rows
#: without the rows after them, which is all the look for a table's header needs (its
#: first 30 rows, on each sheet of a workbook); a whole sheet still takes a few reads.
_FIRST_READ = 1 << 11


class EmptyRowsCut:
    """A readable binary stream: ``source``'s bytes, runs of empty rows cut to their last."""

    def __init__(self, source: IO[bytes]) -> None:
        self._source = source
        self._pending = b""  # read, not yet cut (from the last "<" on)
        self._ready = b""  # cut, read from _at on
        self._at = 0
        self._done = False
        self._allowed = _FIRST_READ

    def _fill(self) -> None:
        data = self._source.read(_CHUNK)
        if not data:
            self._done = True
            chunk, self._pending = self._pending, b""
        else:
            buffer = self._pending + data
            # The last "<" of this chunk, not of the whole text: a long text without one
            # (a huge cell) is handed on as it comes, never gathered (nor copied again).
            at = buffer.rfind(b"<", max(0, len(buffer) - _CHUNK))
            if at <= 0:
                chunk, self._pending = buffer, b""
            else:
                chunk, self._pending = buffer[:at], buffer[at:]
        if b"<![CDATA[" not in chunk:
            chunk = _cut_runs(chunk)
        self._ready = self._ready[self._at :] + chunk
        self._at = 0

    def read(self, size: int = -1) -> bytes:
        """Return up to ``size`` bytes (all that is left if ``size`` is negative).

        The first reads return fewer (see ``_FIRST_READ``); only the end returns none.
        """
        if size < 0:
            blocks = []
            while block := self.read(_CHUNK):
                blocks.append(block)
            return b"".join(blocks)
        size, self._allowed = min(size, self._allowed), min(2 * self._allowed, _CHUNK)
        while not self._done and len(self._ready) - self._at < size:
            self._fill()
        end = self._at + size
        out = self._ready[self._at : end]
        self._at += len(out)
        return out


def _cut_runs(chunk: bytes) -> bytes:
    return _RUN.sub(rb"\1", chunk)
