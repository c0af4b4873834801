"""Reading Parquet and Arrow IPC files in record batches (extra ``parquet``: pyarrow).

A data warehouse exports Parquet; a Parquet file of 100 million persons is read batch
by batch (a row group, or a million rows, at a time), only the columns the schema needs, and
each batch is converted to the population's narrow columns before the next is read: the
rows never sit in memory as Python objects, nor all at once as Arrow strings. Typed
columns (integers, booleans) are used as they are; text columns are read
dictionary-encoded where the schema expects codes.

Rows are numbered from 1 in rejects (``line`` is the 1-based row of the file).

Examples
--------
>>> import tempfile, pathlib
>>> import pyarrow as pa, pyarrow.parquet as pq
>>> path = pathlib.Path(tempfile.mkdtemp()) / "persons.parquet"
>>> pq.write_table(pa.table({"person_id": [1, 2, 3], "age": [40, 9, 70]}), path)
>>> table = read_parquet(path, batch_size=2)
>>> [len(b["age"]) for b in table.iter_batches()]
[2, 1]
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path
from typing import Any

from learnsoc.errors import OptionalDependencyError
from learnsoc.io.csv import clean_header
from learnsoc.io.files import FileFormatError, PathLike, display_name
from learnsoc.io.table import Layout, RawTable

__all__ = ["read_arrow_ipc", "read_parquet"]

_BATCH = 1 << 20


def _pyarrow(feature: str) -> Any:
    try:
        import pyarrow as pa
    except ImportError:
        raise OptionalDependencyError("pyarrow", "parquet", feature) from None
    return pa


def read_parquet(
    path: PathLike,
    *,
    batch_size: int = _BATCH,
    dictionary: Collection[str] | Callable[[str], bool] = (),
) -> RawTable:
    """Open a Parquet file as a :class:`~learnsoc.io.table.RawTable` read in batches.

    Parameters
    ----------
    path : str or path
        The file.
    batch_size : int
        Rows per batch; a file whose row groups all hold at most this many rows (as
        pyarrow, polars and DuckDB write them by default) is read a row group at a time.
    dictionary : collection of str, or callable
        Text columns to read dictionary-encoded (those holding codes).

    Raises
    ------
    FileFormatError
        For a missing file or one that is not Parquet.
    OptionalDependencyError
        Without pyarrow.
    """
    pa = _pyarrow("reading Parquet files")
    import pyarrow.parquet as pq

    name = display_name(path)
    _exists(path, name)
    try:
        schema = pq.read_schema(path)
    except (pa.ArrowException, OSError) as exc:
        msg = f"not a readable Parquet file ({exc})"
        raise FileFormatError(msg, file=name) from None
    raw_names = list(schema.names)
    header = clean_header(raw_names, name)
    wanted_dict = _dictionary_columns(schema, raw_names, header, dictionary)
    pf = pq.ParquetFile(path, read_dictionary=wanted_dict)
    n = int(pf.metadata.num_rows)

    groups = [pf.metadata.row_group(i).num_rows for i in range(pf.metadata.num_row_groups)]
    # Whole row groups decode their columns in parallel (about twice as fast as record
    # batches); a file written as one huge row group is read in batches instead.
    by_group = bool(groups) and max(groups) <= batch_size

    def batches(columns: Collection[str] | None) -> Iterator[Mapping[str, Any]]:
        by_name = dict(zip(header, raw_names, strict=True))
        chosen = [h for h in header if columns is None or h in columns]
        names = [by_name[h] for h in chosen]
        try:
            if by_group:
                yield from _read_ahead(pf, len(groups), names, chosen)
                return
            for rb in pf.iter_batches(batch_size=batch_size, columns=names):
                yield {h: rb.column(i) for i, h in enumerate(chosen)}
        finally:
            # pyarrow's allocator keeps freed batches for reuse: give them back, or they
            # stay in the process's memory for the rest of the run (240 MB at 10M persons).
            pa.default_memory_pool().release_unused()

    return RawTable(name, header, batches, Layout(n, first_line=1, n_fields=len(header)))


def _read_ahead(
    pf: Any, n_groups: int, names: list[str], chosen: list[str]
) -> Iterator[Mapping[str, Any]]:
    """Yield the row groups, decoding the next one while the caller converts this one.

    pyarrow decodes without the GIL: the next group's decoding overlaps the checks and
    copies of the current one (one group in flight: its columns' memory, once more).
    """
    from concurrent.futures import ThreadPoolExecutor

    def read(i: int) -> Any:
        return pf.read_row_group(i, columns=names, use_threads=True)

    if not n_groups:
        return
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="learnsoc-parquet") as pool:
        ahead = pool.submit(read, 0)
        for i in range(n_groups):
            table = ahead.result()
            if i + 1 < n_groups:
                ahead = pool.submit(read, i + 1)
            yield {h: table.column(j) for j, h in enumerate(chosen)}
            del table


def read_arrow_ipc(path: PathLike) -> RawTable:
    """Open an Arrow IPC file (``.arrow``, ``.feather`` version 2) read batch by batch.

    The file is memory-mapped: batches are read from the page cache as they are used.

    Raises
    ------
    FileFormatError
        For a missing file or one that is not an Arrow IPC file.
    """
    pa = _pyarrow("reading Arrow files")
    name = display_name(path)
    _exists(path, name)
    try:
        reader = pa.ipc.open_file(pa.memory_map(str(path), "r"))
    except (pa.ArrowException, OSError) as exc:
        msg = f"not a readable Arrow IPC file ({exc})"
        raise FileFormatError(msg, file=name) from None
    raw_names = list(reader.schema.names)
    header = clean_header(raw_names, name)
    n = sum(reader.get_batch(i).num_rows for i in range(reader.num_record_batches))

    def batches(columns: Collection[str] | None) -> Iterator[Mapping[str, Any]]:
        for i in range(reader.num_record_batches):
            rb = reader.get_batch(i)
            yield {h: rb.column(j) for j, h in enumerate(header) if columns is None or h in columns}

    return RawTable(name, header, batches, Layout(n, first_line=1, n_fields=len(header)))


def _exists(path: PathLike, name: str) -> None:
    if not Path(path).is_file():
        raise FileFormatError("no such file", file=name)


def _dictionary_columns(
    schema: Any,
    raw_names: list[str],
    header: tuple[str, ...],
    dictionary: Collection[str] | Callable[[str], bool],
) -> list[str]:
    import pyarrow as pa

    test = dictionary if callable(dictionary) else set(dictionary).__contains__
    out = []
    for raw, clean in zip(raw_names, header, strict=True):
        kind = schema.field(raw).type
        if test(clean) and (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
            out.append(raw)
    return out
