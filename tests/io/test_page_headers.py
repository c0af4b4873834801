"""Page headers written by hand in Thrift's compact protocol, short and long field ids.

pyarrow writes every field id in the short form (the id before plus a delta); the long
form (a zigzag varint after the type) is read by the same code, and checked here on
headers whose sizes are known because they are written below.
"""

from __future__ import annotations

import pytest

from learnsoc.io._pages import BadHeaderError, _page, chunk_sizes

I32, STRUCT, STOP = 5, 12, b"\x00"


def varint(n: int) -> bytes:
    out = bytearray()
    while n >= 0x80:
        out.append((n & 0x7F) | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def zigzag(n: int) -> int:
    return (n << 1) ^ (n >> 63)


def field(kind: int, field_id: int, before: int, long: bool) -> bytes:
    """A field header: short (delta from the id before) or long (zigzag varint id)."""
    if long:
        return bytes([kind]) + varint(zigzag(field_id))
    return bytes([((field_id - before) << 4) | kind])


def header(page_type: int, unpacked: int, packed: int, *, long: bool) -> bytes:
    """A page header: type, both sizes, and a data page header struct (field 5) holding
    a struct of its own (statistics, field 5), each field of the form asked."""

    def i32(field_id: int, before: int, value: int) -> bytes:
        return field(I32, field_id, before, long) + varint(zigzag(value))

    statistics = i32(1, 0, -7) + STOP
    data_page = i32(1, 0, 3) + i32(2, 1, 0) + field(STRUCT, 5, 2, long) + statistics + STOP
    return (
        i32(1, 0, page_type)
        + i32(2, 1, unpacked)
        + i32(3, 2, packed)
        + field(STRUCT, 5, 3, long)
        + data_page
        + STOP
    )


@pytest.mark.parametrize("long", [False, True], ids=["short_ids", "long_ids"])
def test_a_page_header_gives_the_sizes_written(long: bool) -> None:
    """The sizes and type written come back, and the header ends where it was written to."""
    head = header(2, 100_000, 300, long=long)
    page = _page(head + b"body", 0, len(head) + 4)
    assert (page.unpacked, page.packed, page.end, page.kind) == (100_000, 300, len(head), 2)


def test_both_forms_walk_a_chunk_alike() -> None:
    """Pages of either form, one after the other: headers count, as in the footer."""
    first, second = header(0, 1_000, 30, long=False), header(0, 2_000, 40, long=True)
    chunk = first + b"x" * 30 + second + b"y" * 40
    sizes = chunk_sizes(chunk, 0, len(chunk))
    assert (sizes.unpacked, sizes.packed, sizes.pages) == (
        len(first) + 1_000 + len(second) + 2_000,
        len(chunk),
        2,
    )


@pytest.mark.parametrize("long", [False, True], ids=["short_ids", "long_ids"])
def test_a_header_cut_short_or_nested_too_deep_is_refused(long: bool) -> None:
    """A header without its end, or structs nested past the limit, is no header."""
    head = header(0, 1_000, 30, long=long)
    for cut in range(1, len(head)):
        with pytest.raises(BadHeaderError):
            _page(head[:cut], 0, cut)
    ten = varint(zigzag(10))
    index_page = field(I32, 1, 0, long) + varint(zigzag(1))  # a type pyarrow requires
    sizes = index_page + field(I32, 2, 1, long) + ten + field(I32, 3, 2, long) + ten

    def nested(depth: int) -> bytes:
        return sizes + field(STRUCT, 5, 3, long) + field(STRUCT, 5, 0, long) * (depth - 1)

    fine = nested(120) + STOP * 121
    page = _page(fine, 0, len(fine))
    assert (page.unpacked, page.packed, page.end, page.kind) == (10, 10, len(fine), 1)
    deep = nested(140) + STOP * 141
    with pytest.raises(BadHeaderError):
        _page(deep, 0, len(deep))
