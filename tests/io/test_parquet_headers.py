"""Page headers are read as pyarrow reads them: a crafted one never leaves a chunk unchecked.

pyarrow allocates what each page header states; learnsoc checks those sizes before
anything is decoded (:func:`learnsoc.io.parquet.check_expansion`). Headers that pyarrow
reads but the old walk could not (a binary longer than 4 GiB, cut to 32 bits; the UUID
type; bytes after the chunk's last page), or read otherwise (a field id that wraps to the
page's size), let a bomb through unchecked; a header pyarrow cannot read either is now
refused naming the column.
"""

from __future__ import annotations

import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from learnsoc import limits
from learnsoc.io import FileFormatError
from learnsoc.io._pages import _page, chunk_sizes, padding, start
from learnsoc.io.parquet import check_parquet, read_parquet
from tests.optional import require

pa = require("pyarrow")
pq = require("pyarrow.parquet")

CODECS = ["none", "snappy", "gzip", "brotli", "zstd", "lz4"]


def _varint(n: int) -> bytes:
    out = bytearray()
    while n >= 0x80:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    return bytes([*out, n])


def _zz(n: int) -> bytes:
    return _varint((n << 1) ^ (n >> 63))


def _long_field(kind: int, field: int) -> bytes:
    """A field header with its id written in full (not as a delta)."""
    return bytes([kind]) + _zz(field)


def _patch_footer(data: bytes, pairs: list[tuple[int, int]]) -> bytes:
    """Rewrite i64 footer fields (header 0x16) by value.

    With one column, the row group's sizes are the chunk's, and rewritten with them.
    """
    (size,) = struct.unpack("<i", data[-8:-4])
    footer = data[-8 - size : -8]
    for old, new in pairs:
        before = b"\x16" + _zz(old)
        assert before in footer
        footer = footer.replace(before, b"\x16" + _zz(new))
    return data[: -8 - size] + footer + struct.pack("<i", len(footer)) + b"PAR1"


def _bomb(path: Path, mib: int = 40) -> Any:
    """One column of ``mib`` values of 1 MiB (one data page each), zstd'd to a few KB."""
    value = "a" * (1 << 20)
    table = pa.table({"name": pa.array([value] * mib, pa.large_string())})
    pq.write_table(table, path, compression="zstd", use_dictionary=False)
    return pq.ParquetFile(path).metadata.row_group(0).column(0)


def _understate(path: Path, chunk: Any, grown: int = 0) -> None:
    """Claim 1 KB decompressed in the footer; the chunk ``grown`` bytes longer."""
    pairs = [(chunk.total_uncompressed_size, 1024)]
    if grown:
        pairs.append((chunk.total_compressed_size, chunk.total_compressed_size + grown))
    path.write_bytes(_patch_footer(path.read_bytes(), pairs))


def _edit_first_header(path: Path, edit: Callable[[bytes], bytes]) -> None:
    """Replace the first page header (its bytes before the stop byte) by ``edit``'s."""
    chunk = pq.ParquetFile(path).metadata.row_group(0).column(0)
    data = path.read_bytes()
    at = start(chunk)
    end = _page(data, at, len(data)).end
    header = edit(data[at : end - 1]) + b"\x00"
    grown = len(header) - (end - at)
    new = data[:at] + header + data[end:]
    pairs = [(chunk.total_uncompressed_size, 1024)]
    pairs.append((chunk.total_compressed_size, chunk.total_compressed_size + grown))
    path.write_bytes(_patch_footer(new, pairs))


def _refused(path: Path) -> str:
    with pytest.raises(FileFormatError) as caught:
        list(read_parquet(path).iter_batches())
    assert caught.value.file == str(path)
    return str(caught.value)


@pytest.mark.parametrize("version", ["1.0", "2.0"])
@pytest.mark.parametrize("codec", CODECS)
def test_real_files_of_every_codec_are_read_and_their_pages_add_up(
    tmp_path: Path, codec: str, version: str
) -> None:
    """Pages of every codec and data page version, walked: they add up to the footer."""
    path = tmp_path / "persons.parquet"
    rng = np.random.default_rng(7)
    n = 30_000
    names = np.array([f"Nguyễn Văn {i:04d}" for i in range(500)])[rng.integers(0, 500, n)]
    table = pa.table({"person_id": np.arange(n), "name": names, "age": rng.integers(0, 99, n)})
    pq.write_table(
        table,
        path,
        compression=codec,
        data_page_version=version,
        data_page_size=4096,
        row_group_size=10_000,
    )
    data = path.read_bytes()
    meta = pq.ParquetFile(path).metadata
    for g in range(meta.num_row_groups):
        for j in range(meta.num_columns):
            chunk = meta.row_group(g).column(j)
            found = chunk_sizes(data, start(chunk), chunk.total_compressed_size, chunk.num_values)
            assert found.unpacked == chunk.total_uncompressed_size
            assert found.packed == chunk.total_compressed_size
            assert found.pages > 1
    check_parquet(path)
    batches = list(read_parquet(path).iter_batches())
    assert np.concatenate([b["person_id"].to_numpy() for b in batches]).tolist() == list(range(n))
    assert [v for b in batches for v in b["name"].to_pylist()] == names.tolist()


def test_a_bomb_whose_chunk_runs_on_past_its_pages_is_refused(tmp_path: Path) -> None:
    """Bytes after the last page: pyarrow stops at the chunk's values and never reads them.

    The old walk read them as a header, failed, and left the chunk unchecked: the
    footer's 1 KB claim was trusted and 40 MiB decoded.
    """
    path = tmp_path / "units.parquet"
    chunk = _bomb(path)
    end = start(chunk) + chunk.total_compressed_size
    data = path.read_bytes()
    junk = b"\xff\xfe\xfd" * 4
    path.write_bytes(data[:end] + junk + data[end:])
    _understate(path, chunk, grown=len(junk))
    assert pq.ParquetFile(path).read().num_rows == 40  # pyarrow decodes it all
    assert "column 'name' (row group 1 of 1) would decompress to 41,9" in _refused(path)


#: Fields pyarrow's Thrift reader passes over that the old walk could not.
PASSED_OVER = {
    "a binary of 4 GiB + 3 bytes, cut to 3": (
        _long_field(8, 100) + _varint((1 << 32) + 3) + b"abc"
    ),
    "a UUID": _long_field(13, 100) + bytes(16),
    "a list of 4 Gi + 1 items, cut to 1": (
        _long_field(9, 100) + b"\xf5" + _varint((1 << 32) + 1) + b"\x02"
    ),
}


@pytest.mark.parametrize("extra", PASSED_OVER.values(), ids=PASSED_OVER.keys())
def test_a_bomb_behind_a_field_pyarrow_passes_over_is_refused(tmp_path: Path, extra: bytes) -> None:
    """The old walk failed on the field and left the chunk unchecked (40 MiB decoded)."""
    path = tmp_path / "units.parquet"
    _bomb(path)
    _edit_first_header(path, lambda header: header + extra)
    assert pq.ParquetFile(path).read().num_rows == 40
    assert "column 'name' (row group 1 of 1) would decompress to 41,9" in _refused(path)


def _wrapped_size(header: bytes) -> bytes:
    """State the page's size twice: 16 bytes as field 2, then its size as field 65538.

    Thrift's field ids are i16: pyarrow reads field 65538 as field 2, the last one given,
    and allocates the real size; the old walk read 16 bytes.
    """
    page = _page(header + b"\x00", 0, len(header) + 1)
    real = b"\x15" + _zz(page.unpacked)
    assert header.count(real) == 1
    small = header.replace(real, b"\x15" + _zz(16))
    return small + _long_field(5, 65536 + 2) + _zz(page.unpacked)


def test_a_page_size_given_again_under_a_wrapped_field_id_is_read_as_pyarrow_reads_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "units.parquet"
    _bomb(path, mib=60)
    _edit_first_header(path, _wrapped_size)
    assert pq.ParquetFile(path).read().num_rows == 60
    assert "column 'name' (row group 1 of 1) would decompress to" in _refused(path)


def test_a_page_header_pyarrow_cannot_read_either_is_refused_naming_its_column(
    tmp_path: Path,
) -> None:
    """A list of items of no type: refused before decoding, naming column and row group."""
    path = tmp_path / "units.parquet"
    pq.write_table(pa.table({"code": ["01", "02"]}), path, compression="zstd")
    _edit_first_header(path, lambda header: header + _long_field(9, 100) + b"\x50")
    with pytest.raises(OSError, match="Deserializing page header failed"):
        pq.ParquetFile(path).read()
    message = _refused(path)
    assert message.startswith(
        f"{path}: not a readable Parquet file (column 'code', row group 1 of 1): the header of"
    )
    with pytest.raises(FileFormatError) as caught:
        check_parquet(path)
    assert "nhóm dòng 1/1" in caught.value.localized("vi")


def test_old_parquet_mr_files_are_read_past_their_chunks_as_pyarrow_reads_them() -> None:
    assert padding("parquet-mr version 1.2.8 (build abc)") == 100
    assert padding("parquet-mr version 1.2.9") == padding("parquet-mr version 1.10.0") == 0
    assert padding("parquet-cpp-arrow version 26.0.1") == padding(None) == 0


def test_a_bomb_under_the_limit_is_read(tmp_path: Path) -> None:
    """Below EXPANSION_FROM a thousandfold file is read: the limit is the same as before."""
    path = tmp_path / "units.parquet"
    mib = limits.EXPANSION_FROM // (1 << 20) // 2
    chunk = _bomb(path, mib=mib)
    _understate(path, chunk)
    assert sum(len(b["name"]) for b in read_parquet(path).iter_batches()) == mib


def test_rollup_parquet_checks_its_files_before_reading(tmp_path: Path) -> None:
    """ls.rollup_parquet streamed the 40 MiB column of a few KB file (the old read)."""
    import learnsoc as ls

    h = ls.synthetic_hierarchy(villages=3, seed=1)
    value = "a" * (limits.EXPANSION_FROM + (8 << 20))
    path = tmp_path / "persons.parquet"
    table = pa.table({"unit_code": h.codes_at("village")[[0, 1]], "name": [value, "b"]})
    pq.write_table(table, path, compression="zstd", use_dictionary=False)
    del table, value
    with pytest.raises(FileFormatError, match=r"column 'name' .* would decompress to") as caught:
        ls.rollup_parquet(tmp_path, h, {"persons": "person"}, columns=["name"])
    assert caught.value.file == str(path)
    roll = ls.rollup_parquet(tmp_path, h, {"persons": "person"}, columns=["unit_code"])
    assert roll.level("village").counts["persons"].tolist() == [1, 1, 0]
