"""The sizes of a Parquet column chunk's pages, read from their headers (not the footer).

A Parquet footer states each column chunk's size once decompressed
(``total_uncompressed_size``), but nothing checks that statement: a file can claim a
few KB for pages that decompress to gigabytes. pyarrow trusts each *page* header instead
(it allocates the size the header states, and refuses a page that decompresses to any
other size), so the page headers, not the footer, bound what reading a chunk costs.

The headers are Thrift structs in the compact protocol, one before each page; only the
page's type and its two sizes are kept, the rest is skipped (statistics included). A
header that cannot be parsed is left to pyarrow, whose reading names the damage where it
finds it.

Examples
--------
>>> import tempfile, pathlib
>>> import pyarrow as pa, pyarrow.parquet as pq
>>> path = pathlib.Path(tempfile.mkdtemp()) / "p.parquet"
>>> pq.write_table(pa.table({"age": [40, 9, 70]}), path, compression="none")
>>> chunk = pq.ParquetFile(path).metadata.row_group(0).column(0)
>>> found = chunk_sizes(path.read_bytes(), start(chunk), chunk.total_compressed_size)
>>> found.unpacked == chunk.total_uncompressed_size, found.packed == chunk.total_compressed_size
(True, True)
"""

from __future__ import annotations

import struct
from typing import Any

import attrs

__all__ = ["BadHeaderError", "ChunkSizes", "chunk_sizes", "longest_value", "start"]

# Thrift compact protocol types (the low nibble of a field header).
_STOP, _TRUE, _FALSE, _BYTE, _I16, _I32, _I64, _DOUBLE, _BINARY = range(9)
_LIST, _SET, _MAP, _STRUCT = 9, 10, 11, 12
_DICTIONARY_PAGE = 2
#: Nesting deeper than this is no page header pyarrow writes or reads (its own Thrift
#: reader stops at 64 levels): the chunk is left to pyarrow.
_MAX_DEPTH = 64
#: Values of one length checked at once in a dictionary page (a few hundred KB of lengths).
_WINDOW = 65_536


class BadHeaderError(ValueError):
    """A page header that is not a Thrift compact struct (a damaged chunk)."""


@attrs.frozen
class ChunkSizes:
    """What a column chunk's pages state: bytes once decompressed and as stored, pages.

    Both sizes count the page headers, as the footer's ``total_uncompressed_size`` and
    ``total_compressed_size`` do.
    """

    unpacked: int
    packed: int
    pages: int


def start(chunk: Any) -> int:
    """Return where pyarrow starts reading a column chunk (its dictionary page, if any)."""
    offset = chunk.dictionary_page_offset
    if chunk.has_dictionary_page and offset is not None and 0 < offset < chunk.data_page_offset:
        return int(offset)
    return int(chunk.data_page_offset)


def _varint(data: Any, pos: int, end: int) -> tuple[int, int]:
    """Return an unsigned varint and the position after it."""
    shift = out = 0
    while True:
        if pos >= end or shift > 63:
            raise BadHeaderError(pos)
        b = data[pos]
        pos += 1
        out |= (b & 0x7F) << shift
        if b < 0x80:
            return out, pos
        shift += 7


def _skip(data: Any, pos: int, end: int, kind: int, depth: int) -> int:
    """Return the position after one value of a compact type."""
    if kind in (_TRUE, _FALSE):  # a struct field's bool lives in its header
        return pos
    if kind in (_I32, _I64, _I16):
        while True:
            if pos >= end:
                raise BadHeaderError(pos)
            pos += 1
            if data[pos - 1] < 0x80:
                return pos
    if kind == _BYTE:
        pos += 1
    elif kind == _DOUBLE:
        pos += 8
    elif kind == _BINARY:
        n, pos = _varint(data, pos, end)
        pos += n
    elif kind == _STRUCT:
        pos = _skip_struct(data, pos, end, depth + 1)
    elif kind in (_LIST, _SET):
        if pos >= end:
            raise BadHeaderError(pos)
        head = data[pos]
        pos += 1
        n = head >> 4
        if n == 15:
            n, pos = _varint(data, pos, end)
        item = head & 0x0F
        # A bool in a list is a whole byte, not folded into a field header.
        item = _BYTE if item in (_TRUE, _FALSE) else item
        for _ in range(n):
            pos = _skip(data, pos, end, item, depth + 1)
    elif kind == _MAP:
        n, pos = _varint(data, pos, end)
        if n:
            if pos >= end:
                raise BadHeaderError(pos)
            types = data[pos]
            pos += 1
            key, value = types >> 4, types & 0x0F
            key = _BYTE if key in (_TRUE, _FALSE) else key
            value = _BYTE if value in (_TRUE, _FALSE) else value
            for _ in range(n):
                pos = _skip(data, pos, end, key, depth + 1)
                pos = _skip(data, pos, end, value, depth + 1)
    else:
        raise BadHeaderError(pos)
    if pos > end:
        raise BadHeaderError(pos)
    return pos


def _zigzag(n: int) -> int:
    """Return the signed integer a zigzag-encoded varint holds (0, -1, 1, -2 ...)."""
    return (n >> 1) ^ -(n & 1)


def _field(data: Any, pos: int, end: int, field: int) -> tuple[int, int, int]:
    """Return a struct field header's type, the field's id and the position after it.

    The type is ``_STOP`` after the last field; ``field`` is the id of the field before.
    """
    if pos >= end:
        raise BadHeaderError(pos)
    head = data[pos]
    pos += 1
    kind = head & 0x0F
    if kind == _STOP:
        return kind, field, pos
    delta = head >> 4
    if delta:  # the usual short form: the id is the one before plus this
        return kind, field + delta, pos
    n, pos = _varint(data, pos, end)  # a long field id (zigzag i16) follows
    return kind, _zigzag(n), pos


def _skip_struct(data: Any, pos: int, end: int, depth: int) -> int:
    """Return the position after a struct's fields and its stop byte."""
    if depth > _MAX_DEPTH:
        raise BadHeaderError(pos)
    field = 0
    while True:
        kind, field, pos = _field(data, pos, end, field)
        if kind == _STOP:
            return pos
        pos = _skip(data, pos, end, kind, depth)


def _page(data: Any, pos: int, end: int) -> tuple[int, int, int, int]:
    """Return a page header's sizes (decompressed, compressed), where it ends, its type."""
    unpacked = packed = kind_of_page = -1
    field = 0
    while True:
        kind, field, pos = _field(data, pos, end, field)
        if kind == _STOP:
            break
        if kind == _I32 and field in (1, 2, 3):
            n, pos = _varint(data, pos, end)
            if field == 1:
                kind_of_page = _zigzag(n)
            elif field == 2:
                unpacked = _zigzag(n)
            else:
                packed = _zigzag(n)
        else:
            pos = _skip(data, pos, end, kind, 1)
    if unpacked < 0 or packed < 0:
        raise BadHeaderError(pos)
    return unpacked, packed, pos, kind_of_page


def chunk_sizes(data: Any, start: int, length: int) -> ChunkSizes:
    """Return the sizes a column chunk's page headers state, walking them page by page.

    ``data`` is the file (bytes or a memory map), the chunk its ``length`` bytes from
    ``start`` (the footer's offsets: what pyarrow reads). Raises :class:`BadHeaderError`
    for a header that is not one (pyarrow's reading then names the damage).
    """
    end = min(start + length, len(data))
    pos = start
    unpacked = pages = 0
    while pos < end:
        unpacked_page, packed_page, after, _kind = _page(data, pos, end)
        # Headers count, as in the footer's total_uncompressed_size.
        unpacked += (after - pos) + unpacked_page
        pages += 1
        pos = after + packed_page
    return ChunkSizes(unpacked, min(pos, end) - start, pages)


#: Parquet's codecs as pyarrow's ``decompress`` names them (not Hadoop's framed LZ4).
_CODECS = {
    "UNCOMPRESSED": None,
    "SNAPPY": "snappy",
    "GZIP": "gzip",
    "BROTLI": "brotli",
    "ZSTD": "zstd",
    "LZ4_RAW": "lz4_raw",
}


def longest_value(data: Any, start: int, length: int, codec: str) -> int | None:
    """Return the bytes of the longest value of a text column chunk's dictionary page.

    0 when the chunk has no dictionary page; None when it cannot be told here (a codec
    not read here, a damaged page): the caller measures otherwise. The page is
    decompressed (at most what its header states, which the caller has checked) and its
    values' lengths read (PLAIN: each value is its 4-byte length, then its bytes).
    """
    import pyarrow as pa

    try:
        unpacked, packed, after, kind = _page(data, start, min(start + length, len(data)))
    except BadHeaderError:
        return None
    if kind != _DICTIONARY_PAGE:
        return 0
    if codec not in _CODECS or after + packed > len(data):
        return None
    body = bytes(data[after : after + packed])
    name = _CODECS[codec]
    try:
        plain = body if name is None else pa.decompress(body, unpacked, codec=name).to_pybytes()
    except (pa.ArrowException, ValueError):
        return None
    return _longest(plain)


def _longest(plain: bytes) -> int:
    """Return the longest of PLAIN-encoded byte arrays (each a 4-byte length, its bytes).

    Values of one length in a row (ids, codes) are skipped a window at a time.

    Examples
    --------
    >>> _longest(b"".join(len(v).to_bytes(4, "little") + v for v in [b"ab", b"cd", b"xyz"]))
    3
    """
    import numpy as np

    unpack = struct.Struct("<I").unpack_from
    longest = pos = run = 0
    last = -1
    size = len(plain)
    window = 64
    while pos + 4 <= size:
        (n,) = unpack(plain, pos)
        longest = max(longest, n)
        run = run + 1 if n == last else 0
        last = n
        pos += 4 + n
        if run >= 8:  # a run of one length: the next values are checked a window at once
            stride = 4 + n
            count = min((size - pos) // stride, window)
            heads = np.frombuffer(plain, np.uint8, count * stride, pos).reshape(count, stride)
            same = heads[:, :4].copy().view("<u4").ravel() == n
            if bool(same.all()):
                pos += stride * count
                window = min(4 * window, _WINDOW)
            else:
                pos += stride * int(np.argmin(same))
                window = 64
            run = 0
    return longest
