"""Parquet files built to cost gigabytes are refused from their footer, before any page."""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from learnsoc import limits
from learnsoc.io import FileFormatError
from learnsoc.io.parquet import read_arrow_ipc, read_parquet
from tests.optional import require

pa = require("pyarrow")
pq = require("pyarrow.parquet")


def _read(path: Path, columns: list[str] | None = None) -> list[Any]:
    return list(read_parquet(path).iter_batches(columns))


def test_one_huge_value_that_decompresses_a_thousandfold_is_refused(tmp_path: Path) -> None:
    """A 40 MiB value zstd makes a few KB of: refused naming its column and row group.

    The old reader decoded it (a 9 KB file of one 256 MB value took 1.2 GB of memory).
    """
    path = tmp_path / "units.parquet"
    names = _huge_names(limits.EXPANSION_FROM + (8 << 20))
    table = pa.table({"code": ["01", "02"], "name": names})
    pq.write_table(table, path, compression="zstd", write_statistics=False)
    del table, names
    assert path.stat().st_size < 100_000
    with pytest.raises(FileFormatError) as caught:
        _read(path)
    message = str(caught.value)
    assert caught.value.file == str(path)
    assert "column 'name' (row group 1 of 1) would decompress to" in message
    assert "learnsoc.limits.MAX_EXPANSION" in message
    assert "cột 'name' (nhóm dòng 1/1) sẽ giải nén" in caught.value.localized("vi")
    # The other column alone is read: only the columns read are checked.
    (batch,) = _read(path, ["code"])
    assert batch["code"].to_pylist() == ["01", "02"]


def test_millions_of_equal_rows_in_a_few_kb_are_refused(tmp_path: Path) -> None:
    """A run of equal values costs a few bytes of file per million rows, never of memory."""
    path = tmp_path / "persons.parquet"
    n = 12_000_000
    zeros = pa.array(np.zeros(n, np.int8))
    pq.write_table(pa.table({"a": zeros, "b": zeros, "c": zeros}), path, compression="zstd")
    del zeros
    with pytest.raises(FileFormatError, match=r"its 12,000,000 rows would decode to at least"):
        _read(path)


def test_a_footer_claiming_a_trillion_rows_is_refused(tmp_path: Path) -> None:
    """A footer may claim any number of rows: refused, not handed on to allocate them.

    The old reader allocated the claimed rows' columns (a bare numpy MemoryError).
    """
    path = tmp_path / "units.parquet"
    pq.write_table(pa.table({"code": ["01", "02", "03"]}), path, write_statistics=False)
    data = path.read_bytes()
    (size,) = struct.unpack("<i", data[-8:-4])
    footer = data[-8 - size : -8]
    # The counts of rows and values, 3, are the field header 0x16 and zigzag(3) = 6 in
    # Thrift's compact protocol; a longer number is as valid.
    claim = bytes([0x16, 0x80, 0x80, 0x80, 0x80, 0x80, 0x40])  # zigzag(2**40)
    lie = footer.replace(b"\x16\x06", claim)
    path.write_bytes(data[: -8 - size] + lie + struct.pack("<i", len(lie)) + b"PAR1")
    assert pq.ParquetFile(path).metadata.num_rows == 2**40
    with pytest.raises(FileFormatError, match=r"its 1,099,511,627,776 rows would decode"):
        _read(path)


def test_a_real_file_is_read(tmp_path: Path) -> None:
    """Sequential ids, a constant and empty columns decode to about 15 times their size."""
    path = tmp_path / "persons.parquet"
    n = 300_000
    columns = {"person_id": np.arange(n), "household_id": np.arange(n) // 3}
    columns |= {f"empty_{i}": pa.nulls(n, pa.int64()) for i in range(10)}
    pq.write_table(pa.table(columns), path, compression="zstd")
    assert sum(len(b["person_id"]) for b in _read(path)) == n


def _huge_names(size: int) -> Any:
    """A text column of two values, the first ``size`` bytes, on one buffer of its bytes."""
    data = pa.py_buffer(b"a" * size + b"X")
    offsets = pa.py_buffer(np.array([0, size, size + 1], np.int64).tobytes())
    return pa.LargeStringArray.from_buffers(2, offsets, data)


def test_an_arrow_batch_that_decompresses_a_thousandfold_is_refused(tmp_path: Path) -> None:
    """A compressed Arrow IPC batch is refused from its buffers' sizes, before it is read.

    The old reader decompressed every batch to count its rows (a 9 KB file: 635 MB).
    """
    path = tmp_path / "units.arrow"
    table = pa.table({"code": ["01", "02"], "name": _huge_names(limits.EXPANSION_FROM + (8 << 20))})
    options = pa.ipc.IpcWriteOptions(compression="zstd")
    with pa.ipc.new_file(path, table.schema, options=options) as writer:
        writer.write_table(table)
    del table
    assert path.stat().st_size < 100_000
    with pytest.raises(FileFormatError) as caught:
        read_arrow_ipc(path)
    assert caught.value.file == str(path)
    assert "record batch 1 of 1 would decode to at least" in str(caught.value)
    assert "learnsoc.limits.MAX_EXPANSION" in str(caught.value)


def test_an_arrow_dictionary_that_decompresses_a_thousandfold_is_refused(
    tmp_path: Path,
) -> None:
    """A dictionary batch is checked as a record batch is."""
    path = tmp_path / "units.arrow"
    names = _huge_names(limits.EXPANSION_FROM + (8 << 20)).dictionary_encode()
    table = pa.table({"code": ["01", "02"], "name": names})
    options = pa.ipc.IpcWriteOptions(compression="zstd")
    with pa.ipc.new_file(path, table.schema, options=options) as writer:
        writer.write_table(table)
    del table, names
    with pytest.raises(FileFormatError, match="dictionary 1 of 1 would decode"):
        read_arrow_ipc(path)


def test_arrow_rows_without_buffers_are_refused(tmp_path: Path) -> None:
    """A column of Arrow's null type stores nothing, whatever its rows: 2**30 are refused.

    The old reader handed them on, to allocate the rows' columns (a bare MemoryError).
    """
    path = tmp_path / "persons.arrow"
    table = pa.table({"note": pa.nulls(2**30)})
    with pa.ipc.new_file(path, table.schema) as writer:
        writer.write_table(table)
    assert path.stat().st_size < 10_000
    with pytest.raises(FileFormatError, match=r"its 1,073,741,824 rows would decode"):
        read_arrow_ipc(path)


def test_a_real_compressed_arrow_file_is_read(tmp_path: Path) -> None:
    """Feather's zstd batches of ids and empty columns decompress to about 100 times: read.

    Each batch is far below EXPANSION_FROM; the file's rows are few for its size.
    """
    path = tmp_path / "persons.feather"
    n = 300_000
    columns = {"person_id": np.arange(n), "household_id": np.arange(n) // 3}
    columns |= {f"empty_{i}": pa.nulls(n, pa.int64()) for i in range(10)}
    feather = require("pyarrow.feather")
    feather.write_feather(pa.table(columns), path, compression="zstd")
    table = read_arrow_ipc(path)
    assert sum(len(b["person_id"]) for b in table.iter_batches(["person_id"])) == n


def _varint(n: int) -> bytes:
    out = bytearray()
    while n >= 0x80:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    return bytes([*out, n])


def _understate(path: Path) -> None:
    """Rewrite the footer's decompressed sizes (total_uncompressed_size) as 1 KB each.

    In Thrift's compact protocol an i64 field following the one before it is the header
    0x16 and the zigzag varint of its value; the row group's total_byte_size is the same
    field header and, for one column, the same value: both are rewritten.
    """
    data = path.read_bytes()
    (size,) = struct.unpack("<i", data[-8:-4])
    footer = data[-8 - size : -8]
    meta = pq.ParquetFile(path).metadata
    for claim in {
        meta.row_group(g).column(0).total_uncompressed_size for g in range(meta.num_row_groups)
    }:
        real = b"\x16" + _varint(2 * claim)
        assert real in footer
        footer = footer.replace(real, b"\x16" + _varint(2 * 1024))
    path.write_bytes(data[: -8 - size] + footer + struct.pack("<i", len(footer)) + b"PAR1")


#: Each value stored in full (no dictionary), one data page per MiB, zstd'd to a few bytes.
_PLAIN: dict[str, Any] = {"compression": "zstd", "use_dictionary": False}


def _understated_bomb(path: Path, groups: int, mib: int) -> None:
    """``groups`` row groups of ``mib`` values of 1 MiB each: a few KB of file."""
    value = "a" * (1 << 20)
    with pq.ParquetWriter(path, pa.schema({"name": pa.large_string()}), **_PLAIN) as w:
        for _ in range(groups):
            w.write_table(pa.table({"name": pa.array([value] * mib, pa.large_string())}))
    _understate(path)


def test_a_footer_understating_its_pages_is_refused(tmp_path: Path) -> None:
    """The footer claims 1 KB for a column chunk whose pages decompress to 40 MiB: refused.

    pyarrow allocates what each page header states, not what the footer says; the old
    reader trusted the footer and decoded the column (a 6 KB file claiming 2 KB took
    310 MB of memory for its 300 MiB).
    """
    path = tmp_path / "units.parquet"
    _understated_bomb(path, groups=2, mib=40)
    meta = pq.ParquetFile(path).metadata
    assert meta.row_group(1).column(0).total_uncompressed_size == 1024
    assert path.stat().st_size < 100_000
    with pytest.raises(FileFormatError) as caught:
        _read(path)
    assert caught.value.file == str(path)
    message = str(caught.value)
    assert "column 'name' (row group 1 of 2) would decompress to 41,9" in message
    assert "learnsoc.limits.MAX_EXPANSION" in message


def test_footers_understating_many_small_chunks_are_refused(tmp_path: Path) -> None:
    """Chunks each under EXPANSION_FROM, together 100 times the file: refused as a whole."""
    path = tmp_path / "units.parquet"
    _understated_bomb(path, groups=4, mib=10)
    with pytest.raises(FileFormatError, match=r"its 40 rows would decode to at least 41,9"):
        _read(path)


def test_a_dictionary_value_repeated_row_after_row_is_refused(tmp_path: Path) -> None:
    """One 1 MiB value in 300 rows: a dictionary page and 300 indices per row group.

    The footer is honest (1 MiB per chunk) but the column decodes to 300 MiB as text;
    the old reader decoded it (a 896-byte zstd file took 600 MB of memory).
    """
    path = tmp_path / "units.parquet"
    value = "a" * (1 << 20)
    with pq.ParquetWriter(path, pa.schema({"code": pa.string(), "name": pa.string()})) as w:
        for _ in range(3):
            w.write_table(pa.table({"code": ["01"] * 100, "name": [value] * 100}))
    assert path.stat().st_size < 200_000  # Snappy: a MiB of "a" is 48 KB
    with pytest.raises(FileFormatError) as caught:
        _read(path)
    assert caught.value.file == str(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: column 'name' (row group 1 of 3) repeats the values")
    assert "repeats the values of its dictionary to 104,857,600 bytes" in message
    # Read dictionary-encoded (codes), the same column is a MiB and 300 indices: read.
    batches = list(read_parquet(path, dictionary={"name"}).iter_batches(["name"]))
    assert sum(len(b["name"]) for b in batches) == 300


def test_a_dictionary_of_many_values_is_read(tmp_path: Path) -> None:
    """Names repeated over many rows, as in a real file: measured, found to fit, read."""
    path = tmp_path / "persons.parquet"
    names = np.array([f"Nguyễn Văn {i:06d}" + "x" * 200 for i in range(5_000)])
    rows = names[np.random.default_rng(1).integers(0, len(names), 400_000)]
    pq.write_table(pa.table({"name": rows}), path, compression="zstd")
    assert sum(len(b["name"]) for b in _read(path)) == 400_000
