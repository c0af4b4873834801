"""The sizes of a Parquet column chunk's pages, read from their headers (not the footer).

A Parquet footer states each column chunk's size once decompressed
(``total_uncompressed_size``), but nothing checks that statement: a file can claim a
few KB for pages that decompress to gigabytes. pyarrow trusts each *page* header instead
(it allocates the size the header states, and refuses a page that decompresses to any
other size), so the page headers, not the footer, bound what reading a chunk costs.

The headers are Thrift structs in the compact protocol, one before each page; only the
page's type, its two sizes and its values are kept, the rest is skipped (statistics
included). They are read exactly as pyarrow's Thrift reader reads them (sizes and i32s
cut to 32 bits, field ids to 16, the UUID type, a field given twice counted once, the
last), and as far as pyarrow reads (until the pages hold the chunk's values): a header
read otherwise could be read as other pages than those pyarrow decompresses. A header
that cannot be read is a :class:`BadHeaderError`; pyarrow could not read it either.

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

import re
import struct
from typing import Any

import attrs

__all__ = ["BadHeaderError", "ChunkSizes", "chunk_sizes", "longest_value", "padding", "start"]

# Thrift compact protocol types (the low nibble of a field header).
_STOP, _TRUE, _FALSE, _BYTE, _I16, _I32, _I64, _DOUBLE, _BINARY = range(9)
_LIST, _SET, _MAP, _STRUCT, _UUID = 9, 10, 11, 12, 13
#: Parquet's page types (PageHeader field 1).
_DATA_PAGE, _DICTIONARY_PAGE, _DATA_PAGE_V2 = 0, 2, 3
#: Nesting deeper than this is no page header pyarrow reads (its Thrift reader stops at
#: 64 levels): refused here too, past pyarrow's limit so that no header it reads is.
_MAX_DEPTH = 128
#: Bytes pyarrow reads past a column chunk that old parquet-mr wrote (PARQUET-816).
_OLD_PARQUET_MR_PADDING = 100
#: Values of one length checked at once in a dictionary page (a few hundred KB of lengths).
_WINDOW = 65_536
_U64 = (1 << 64) - 1


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


def padding(created_by: str | None) -> int:
    """Return the bytes pyarrow reads past the end of a chunk the footer states.

    pyarrow pads the chunks of files that parquet-mr wrote before 1.2.9 (their footers
    left the dictionary page's header out of the chunk's size), by 100 bytes.

    Examples
    --------
    >>> padding("parquet-mr version 1.2.8 (build 1)"), padding("parquet-cpp-arrow version 26.0.1")
    (100, 0)
    """
    found = re.match(r"\s*(.*?)\s+version\s*([0-9.]*)", created_by or "")
    if found is None or found.group(1).lower() != "parquet-mr":
        return 0
    numbers = [int(n) for n in found.group(2).split(".")[:3] if n.isdigit()]
    numbers += [0] * (3 - len(numbers))
    return _OLD_PARQUET_MR_PADDING if tuple(numbers) < (1, 2, 9) else 0


# Thrift's compact protocol as its C++ reader (pyarrow's) reads it: a varint is at most
# 10 bytes, kept to 64 bits; an i32 or a size is its low 32 bits; field ids are i16 and
# wrap. A header read any other way could be read here as other pages than pyarrow reads.


def _varint(data: Any, pos: int, end: int) -> tuple[int, int]:
    """Return an unsigned varint (64 bits, as Thrift keeps it) and the position after it."""
    shift = out = 0
    while True:
        if pos >= end or shift > 63:
            raise BadHeaderError(pos)
        b = data[pos]
        pos += 1
        out |= (b & 0x7F) << shift
        if b < 0x80:
            return out & _U64, pos
        shift += 7


def _signed(n: int, bits: int) -> int:
    """Return the low ``bits`` bits of ``n`` as a signed integer (a C cast)."""
    n &= (1 << bits) - 1
    return n - (1 << bits) if n >> (bits - 1) else n


def _zigzag32(n: int) -> int:
    """Return a zigzag i32 from its varint (its low 32 bits, as Thrift's readI32)."""
    n &= 0xFFFFFFFF
    return (n >> 1) ^ -(n & 1)


def _size(data: Any, pos: int, end: int) -> tuple[int, int]:
    """Return a binary's or a container's size (a varint read as i32) and where it ends."""
    n, pos = _varint(data, pos, end)
    size = _signed(n, 32)
    if size < 0:
        raise BadHeaderError(pos)
    return size, pos


def _field(data: Any, pos: int, end: int, last: int) -> tuple[int, int, int]:
    """Return a field header's type, id and end (type ``_STOP``: the struct's end)."""
    if pos >= end:
        raise BadHeaderError(pos)
    head = data[pos]
    pos += 1
    kind = head & 0x0F
    if kind == _STOP:
        return kind, last, pos
    delta = head >> 4
    if delta:
        return kind, _signed(last + delta, 16), pos
    n, pos = _varint(data, pos, end)  # a long field id: a zigzag i16
    return kind, _signed(_zigzag32(n), 16), pos


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
    elif kind == _UUID:
        pos += 16
    elif kind == _BINARY:
        n, pos = _size(data, pos, end)
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
            n, pos = _size(data, pos, end)
        # A bool in a list is a whole byte, not folded into a field header.
        pos = _skip_items(data, pos, end, n, head & 0x0F, depth)
    elif kind == _MAP:
        n, pos = _size(data, pos, end)
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
                if pos > end:
                    raise BadHeaderError(pos)
    else:
        raise BadHeaderError(pos)
    if pos > end:
        raise BadHeaderError(pos)
    return pos


def _skip_items(data: Any, pos: int, end: int, n: int, item: int, depth: int) -> int:
    """Return the position after ``n`` list items of a compact type."""
    item = _BYTE if item in (_TRUE, _FALSE) else item
    fixed = {_BYTE: 1, _DOUBLE: 8, _UUID: 16}.get(item)
    if fixed is not None:  # a million bytes are skipped at once, not one by one
        return pos + n * fixed
    for _ in range(n):
        pos = _skip(data, pos, end, item, depth + 1)
    return pos


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


def _i32(data: Any, pos: int, end: int) -> tuple[int, int]:
    n, pos = _varint(data, pos, end)
    return _zigzag32(n), pos


def _values(data: Any, pos: int, end: int) -> tuple[int | None, int]:
    """Return a data page header's values (its field 1, an i32) and where it ends."""
    values = None
    field = 0
    while True:
        kind, field, pos = _field(data, pos, end, field)
        if kind == _STOP:
            return values, pos
        if kind == _I32 and field == 1:
            values, pos = _i32(data, pos, end)
        else:
            pos = _skip(data, pos, end, kind, 2)


@attrs.frozen
class Page:
    """A page header: its type, sizes (decompressed, compressed), values and end."""

    kind: int
    unpacked: int
    packed: int
    end: int
    values: int = 0


def _page(data: Any, pos: int, end: int) -> Page:
    """Return a page header read as pyarrow reads it (a field given twice: the last)."""
    kind_of_page: int | None = None
    unpacked = packed = None
    values: dict[int, int | None] = {}
    field = 0
    while True:
        kind, field, pos = _field(data, pos, end, field)
        if kind == _STOP:
            break
        if kind == _I32 and field in (1, 2, 3):
            n, pos = _i32(data, pos, end)
            if field == 1:
                kind_of_page = n
            elif field == 2:
                unpacked = n
            else:
                packed = n
        elif kind == _STRUCT and field in (5, 8):  # DataPageHeader, DataPageHeaderV2
            values[field], pos = _values(data, pos, end)
        else:
            pos = _skip(data, pos, end, kind, 1)
    # pyarrow refuses a header without these, or with negative sizes.
    if kind_of_page is None or unpacked is None or packed is None or min(unpacked, packed) < 0:
        raise BadHeaderError(pos)
    counted = {_DATA_PAGE: values.get(5), _DATA_PAGE_V2: values.get(8)}.get(kind_of_page)
    return Page(kind_of_page, unpacked, packed, pos, counted or 0)


def chunk_sizes(
    data: Any, start: int, length: int, values: int | None = None, pad: int = 0
) -> ChunkSizes:
    """Return the sizes a column chunk's page headers state, walking them page by page.

    ``data`` is the file (bytes or a memory map), the chunk its ``length`` bytes from
    ``start`` (the footer's offsets: what pyarrow reads, with ``pad`` bytes more, see
    :func:`padding`). As pyarrow, the walk stops once the pages hold the chunk's
    ``values`` (the footer's ``num_values``; None: at the chunk's end). Raises
    :class:`BadHeaderError` for a header that is not one.
    """
    end = min(start + length + pad, len(data))
    pos = start
    unpacked = pages = seen = 0
    while pos < end and (values is None or seen < values):
        page = _page(data, pos, end)
        # Headers count, as in the footer's total_uncompressed_size.
        unpacked += (page.end - pos) + page.unpacked
        pages += 1
        seen += page.values
        pos = page.end + page.packed
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
        page = _page(data, start, min(start + length, len(data)))
    except BadHeaderError:
        return None
    if page.kind != _DICTIONARY_PAGE:
        return 0
    if codec not in _CODECS or page.end + page.packed > len(data):
        return None
    body = bytes(data[page.end : page.end + page.packed])
    name = _CODECS[codec]
    try:
        plain = (
            body if name is None else pa.decompress(body, page.unpacked, codec=name).to_pybytes()
        )
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
