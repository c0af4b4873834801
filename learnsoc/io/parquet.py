"""Reading Parquet and Arrow IPC files in record batches (extra ``parquet``: pyarrow).

A data warehouse exports Parquet; a Parquet file of 100 million persons is read batch
by batch (a row group, or a million rows, at a time), only the columns the schema needs, and
each batch is converted to the population's narrow columns before the next is read: the
rows never sit in memory as Python objects, nor all at once as Arrow strings. Typed
columns (integers, booleans) are used as they are; text columns are read
dictionary-encoded where the schema expects codes.

Rows are numbered from 1 in rejects (``line`` is the 1-based row of the file).

Every column the schema reads must hold one value per cell. A list, struct, map or union
column is a :class:`~learnsoc.io.files.FileFormatError` naming the column and its Arrow
type, raised before any row is read (columns the schema does not read may be anything).
A binary column (text written without its UTF-8 mark, as some older tools do) is read
as text; bytes that are not UTF-8 are an error naming the column and the row group.
A file that cannot be read, at its start or in any page further on (a damaged or
truncated file), is a :class:`~learnsoc.io.files.FileFormatError` naming the file and,
for Parquet, the row group; never a bare pyarrow error. The background thread that
decodes the next row group stops with the reading, however the reading ends.

A file whose columns read would decode to far more than its size is refused before
anything is decoded (:data:`~learnsoc.limits.MAX_EXPANSION`): from a Parquet file's
footer and its pages' headers (a footer may under-state them), one huge value compressed
a thousandfold, a huge dictionary, a dictionary value repeated row after row, millions of
equal rows, or more rows claimed than the file could hold; from an Arrow IPC file's footer and
its batches' buffer sizes, a compressed batch (zstd, lz4) that would decompress so.

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

import functools
import mmap
import struct
from collections.abc import Callable, Collection, Generator, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import attrs

from learnsoc._messages import N_, Message
from learnsoc._phrases import Phrase
from learnsoc.aggregate.stream import Batch, rollup_batches
from learnsoc.errors import OptionalDependencyError
from learnsoc.io import prefetch
from learnsoc.io._pages import BadHeaderError, chunk_sizes, longest_value, padding
from learnsoc.io._pages import start as chunk_start
from learnsoc.io.csv import clean_header
from learnsoc.io.files import FileFormatError, PathLike, display_name, file_error, not_regular
from learnsoc.io.table import Layout, RawTable
from learnsoc.limits import EXPANSION_FROM, MAX_EXPANSION
from learnsoc.rejects import Rejects, shown

if TYPE_CHECKING:
    from learnsoc.aggregate.rollup import Measure, RateDefs, Rollup
    from learnsoc.model.hierarchy import Hierarchy

__all__ = [
    "check_parquet",
    "read_arrow_ipc",
    "read_columns",
    "read_parquet",
    "rollup_parquet",
]

_BATCH = 1 << 20
#: Codecs that cannot expand a page past MAX_EXPANSION times (see check_expansion).
_BOUNDED_CODECS = frozenset({"UNCOMPRESSED", "SNAPPY"})


def _pyarrow(*, ipc: bool = False) -> Any:
    try:
        import pyarrow as pa
    except ImportError:
        if ipc:
            raise OptionalDependencyError("pyarrow", "parquet", N_("reading Arrow files")) from None
        raise OptionalDependencyError("pyarrow", "parquet", N_("reading Parquet files")) from None
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
        For a missing file, one that is not Parquet or is damaged (found when it is
        opened, or when the damaged row group is read), and a column read that holds
        lists, structs or maps, or bytes that are not UTF-8 (see the module docs).
    OptionalDependencyError
        Without pyarrow.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pytest; pq = pytest.importorskip("pyarrow.parquet")
    >>> import pyarrow as pa
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "p.parquet"
    >>> table = pa.table({"person_id": ["P1", "P2", "P3"], "age": [40, 9, 7]})
    >>> pq.write_table(table, path, row_group_size=2)
    >>> raw = read_parquet(path, batch_size=2)  # a row group at a time
    >>> [batch["age"].to_pylist() for batch in raw.iter_batches()]
    [[40, 9], [7]]
    >>> raw.header, raw.layout.line_of(np.array([2])).tolist()  # row 3
    (('person_id', 'age'), [3])
    """
    pa = _pyarrow()
    import pyarrow.parquet as pq

    name = display_name(path)
    _exists(path, name)
    try:
        schema = pq.read_schema(path)
        raw_names = list(schema.names)
        header = _named_header(raw_names, name)
        wanted_dict = _dictionary_columns(schema, raw_names, header, dictionary)
        pf = pq.ParquetFile(path, read_dictionary=wanted_dict)
        n = int(pf.metadata.num_rows)
        groups = [pf.metadata.row_group(i).num_rows for i in range(pf.metadata.num_row_groups)]
    except (pa.ArrowException, OSError, UnicodeDecodeError) as exc:
        raise _unreadable("Parquet", exc, name) from None
    # Whole row groups decode their columns in parallel (about twice as fast as record
    # batches); a file written as one huge row group is read in batches instead.
    by_group = bool(groups) and max(groups) <= batch_size

    def batches(columns: Collection[str] | None) -> Iterator[Mapping[str, Any]]:
        by_name = dict(zip(header, raw_names, strict=True))
        chosen = [h for h in header if columns is None or h in columns]
        names = [by_name[h] for h in chosen]
        texts = _scalar_columns(pf.schema_arrow, names, chosen, name)
        _check_file(pf.metadata, dict(zip(names, chosen, strict=True)), path, name, wanted_dict)
        how = (tuple(names), tuple(wanted_dict))
        ahead = prefetch.current()
        if ahead is not None:
            ahead.remember(path, how, functools.partial(_groups_read_as, how))
        try:
            if by_group:
                # A group the prefetch decoded already (the same columns read the same
                # way) is taken from it; the others are decoded here.
                def decoded(group: int) -> Future[Any] | None:
                    return None if ahead is None else ahead.take(path, group, how)

                # Closed here, not left to the garbage collector: its thread ends with it.
                with closing(_read_ahead(pf, len(groups), names, name, decoded)) as tables:
                    for group, table in enumerate(tables):
                        where = _row_group(group, len(groups))
                        yield _columns(table, chosen, texts, name, where)
                return
            done = 0
            rows = pf.iter_batches(batch_size=batch_size, columns=names)
            while True:
                try:
                    rb = next(rows, None)
                except (pa.ArrowException, OSError, UnicodeDecodeError) as exc:
                    where = _rows(done, min(done + batch_size, n))
                    raise _unreadable("Parquet", exc, name, where) from None
                if rb is None:
                    return
                where = _rows(done, done + rb.num_rows)
                yield _columns(rb, chosen, texts, name, where)
                done += rb.num_rows
        finally:
            # pyarrow's allocator keeps freed batches for reuse: give them back, or they
            # stay in the process's memory for the rest of the run (240 MB at 10M persons).
            pa.default_memory_pool().release_unused()

    return RawTable(name, header, batches, Layout(n, first_line=1, n_fields=len(header)))


def _groups_read_as(how: prefetch.How, path: PathLike) -> list[tuple[int, Callable[[], Any]]]:
    """Return the row groups of a file to decode as ``how`` says, each with its size.

    For a :class:`~learnsoc.io.prefetch.Prefetch`: the file is checked as
    :func:`read_parquet` checks it (a bomb is never decoded ahead, nor read), and a
    group's size counts each cell as at least 8 bytes (a run of equal values is a few
    bytes of file).
    """
    import pyarrow.parquet as pq

    columns, dictionary = how
    pf = pq.ParquetFile(path, read_dictionary=list(dictionary))
    meta = pf.metadata
    _check_file(meta, {c: c for c in columns}, path, str(path), dictionary)
    wanted = set(columns)
    chosen = [j for j in range(meta.num_columns) if meta.schema.column(j).path in wanted]
    out: list[tuple[int, Callable[[], Any]]] = []
    for g in range(meta.num_row_groups):
        group = meta.row_group(g)
        size = sum(max(group.column(j).total_uncompressed_size, 8 * group.num_rows) for j in chosen)
        decode = functools.partial(pf.read_row_group, g, columns=list(columns), use_threads=True)
        out.append((size, decode))
    return out


def _read_ahead(
    pf: Any,
    n_groups: int,
    names: list[str],
    file: str,
    decoded: Callable[[int], Future[Any] | None] = lambda group: None,
) -> Generator[Any, None, None]:
    """Yield the row groups, decoding the next one while the caller converts this one.

    ``decoded(i)`` returns group ``i`` when it was decoded (or is being decoded) already,
    by a :class:`~learnsoc.io.prefetch.Prefetch`.

    pyarrow decodes without the GIL: the next group's decoding overlaps the checks and
    copies of the current one (one group in flight: its columns' memory, once more).
    A group that cannot be read is a :class:`FileFormatError` raised in the caller's
    thread, after the groups before it; however the reading ends (an error, or a caller
    that stops early), the thread is gone when this generator is.
    """
    import pyarrow as pa

    def read(i: int) -> Any:
        return pf.read_row_group(i, columns=names, use_threads=True)

    if not n_groups:
        return
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="learnsoc-parquet")

    def start(i: int) -> Future[Any]:
        return decoded(i) or pool.submit(read, i)

    try:
        ahead = start(0)
        for i in range(n_groups):
            try:
                table = ahead.result()
            except (pa.ArrowException, OSError, UnicodeDecodeError) as exc:
                where = _row_group(i, n_groups)
                raise _unreadable("Parquet", exc, file, where) from None
            if i + 1 < n_groups:
                ahead = start(i + 1)
            yield table
            del table
    finally:
        # The group in flight is finished (pyarrow cannot stop it), then dropped.
        pool.shutdown(wait=True, cancel_futures=True)


def read_arrow_ipc(path: PathLike) -> RawTable:
    """Open an Arrow IPC file (``.arrow``, ``.feather`` version 2) read batch by batch.

    The file is memory-mapped: batches are read from the page cache as they are used.

    Raises
    ------
    FileFormatError
        For a missing file, one that is not an Arrow IPC file or is damaged, and a
        column read that holds lists, structs or maps, or bytes that are not UTF-8.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pytest; feather = pytest.importorskip("pyarrow.feather")
    >>> import pyarrow as pa
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "p.arrow"
    >>> feather.write_feather(pa.table({"person_id": ["P1", "P2"], "age": [40, 9]}), path)
    >>> raw = read_arrow_ipc(path)
    >>> raw.header, [batch["age"].to_pylist() for batch in raw.iter_batches()]
    (('person_id', 'age'), [[40, 9]])
    """
    pa = _pyarrow(ipc=True)
    name = display_name(path)
    _exists(path, name)
    try:
        reader = pa.ipc.open_file(pa.memory_map(str(path), "r"))
        raw_names = list(reader.schema.names)
        header = _named_header(raw_names, name)
        n_batches = reader.num_record_batches
        # Before a batch is read: reading one decompresses all its columns.
        _check_ipc_expansion(path, len(raw_names), name)
        n = sum(reader.get_batch(i).num_rows for i in range(n_batches))
    except (pa.ArrowException, OSError, UnicodeDecodeError) as exc:
        raise _unreadable("Arrow IPC", exc, name) from None

    def batches(columns: Collection[str] | None) -> Iterator[Mapping[str, Any]]:
        chosen = [h for h in header if columns is None or h in columns]
        at = {h: j for j, h in enumerate(header)}
        names = [raw_names[at[h]] for h in chosen]
        texts = _scalar_columns(reader.schema, names, chosen, name)
        for i in range(n_batches):
            where = Phrase(Message(N_("record batch {i} of {n}"), i=i + 1, n=n_batches))
            try:
                rb = reader.get_batch(i)
                rb = rb.select([at[h] for h in chosen])
            except (pa.ArrowException, OSError, UnicodeDecodeError) as exc:
                raise _unreadable("Arrow IPC", exc, name, where) from None
            yield _columns(rb, chosen, texts, name, where)

    return RawTable(name, header, batches, Layout(n, first_line=1, n_fields=len(header)))


def read_columns(path: PathLike, columns: Collection[str]) -> Any:
    """Return columns of a Parquet file as one Arrow table, checked as :func:`read_parquet` checks them.

    For the files learnsoc reads whole with pyarrow (a dataset's units table and id
    columns): the file is checked for bombs (:func:`check_parquet`), a column of lists,
    records or maps is refused, a binary column is read as text (bytes that are not
    UTF-8 refused), and a page that cannot be read is refused with its row group, each a
    :class:`~learnsoc.io.files.FileFormatError` naming the file, never pyarrow's own
    error. Names are the file's own; ``columns`` the file does not have are left out.

    Raises
    ------
    FileFormatError
        For a missing file, one that is not Parquet, is damaged, or would decode past
        :data:`~learnsoc.limits.MAX_EXPANSION`, and a column read that holds lists,
        records or maps, or bytes that are not UTF-8.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pyarrow as pa, pyarrow.parquet as pq
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "units.parquet"
    >>> pq.write_table(pa.table({"code": [b"01", b"02"], "n": [[1], [2]]}), path)
    >>> read_columns(path, ["code", "name"]).to_pydict()
    {'code': ['01', '02']}
    >>> read_columns(path, ["n"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    learnsoc.io.files.FileFormatError: ...units.parquet: column 'n' holds lists of values ...
    """  # noqa: E501
    pa = _pyarrow()
    import pyarrow.parquet as pq

    name = display_name(path)
    _exists(path, name)
    try:
        pf = pq.ParquetFile(path)
        schema = pf.schema_arrow
    except (pa.ArrowException, OSError, UnicodeDecodeError) as exc:
        raise _unreadable("Parquet", exc, name) from None
    names = [c for c in schema.names if c in columns]
    texts = _scalar_columns(schema, names, names, name)
    check_parquet(path, names, file=name)
    n_groups = pf.num_row_groups
    if not n_groups:
        return pa.table(_columns(schema.empty_table().select(names), names, texts, name, None))
    tables = []
    for group in range(n_groups):
        where = _row_group(group, n_groups)
        try:
            table = pf.read_row_group(group, columns=names)
        except (pa.ArrowException, OSError, UnicodeDecodeError) as exc:
            raise _unreadable("Parquet", exc, name, where) from None
        tables.append(pa.table(_columns(table, names, texts, name, where)))
    return pa.concat_tables(tables)


def check_parquet(
    path: PathLike, columns: Collection[str] | None = None, *, file: str | None = None
) -> None:
    """Refuse a Parquet file whose columns would decode to far more than its size (a bomb).

    What :func:`read_parquet` checks before reading, for a file that learnsoc reads whole
    with pyarrow (a dataset's units table and id columns, a results folder's files): the
    footer and every page header of the ``columns`` read (default: all), see
    :func:`check_expansion`. Text columns count as read as plain text.

    Raises
    ------
    FileFormatError
        For a file whose columns would decode to more than
        :data:`~learnsoc.limits.MAX_EXPANSION` times its size, or with a page header that
        cannot be read; named ``file`` (default: the path).
    pyarrow.ArrowException, OSError
        For a file that is not Parquet (the caller names it).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pyarrow as pa, pyarrow.parquet as pq
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "units.parquet"
    >>> pq.write_table(pa.table({"code": ["01", "02"]}), path, compression="zstd")
    >>> check_parquet(path)  # a real file: nothing to say
    """
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path).metadata
    leaves = [meta.schema.column(j).path for j in range(meta.num_columns)]
    wanted = None if columns is None else set(columns)
    names = {c: c for c in leaves if wanted is None or c in wanted}
    _check_file(meta, names, path, file or display_name(path), ())


def _check_file(
    metadata: Any,
    names: Mapping[str, str],
    path: PathLike,
    file: str,
    dictionary: Collection[str],
) -> None:
    """Run :func:`check_expansion` on a file, its page headers read from a memory map.

    ``dictionary``: the columns read dictionary-encoded (their values are not repeated).
    """
    dense = _dense(path, (raw for raw in names if raw not in set(dictionary)))
    with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
        check_expansion(metadata, names, len(data), file, data, dense)


@attrs.frozen
class Dense:
    """The text columns read as plain text (not dictionary-encoded), and how to measure one.

    ``size(group, column)`` returns the bytes of a row group's column once decoded as
    text, measured from its dictionary and indices (a few bytes a row), not decoded.
    """

    columns: frozenset[str]
    size: Callable[[int, str], int]


def _dense(path: PathLike, columns: Iterable[str]) -> Dense:
    """Return the :class:`Dense` of a file's text columns read as plain text."""

    def size(group: int, column: str) -> int:
        import pyarrow.compute as pc
        import pyarrow.parquet as pq

        pf = pq.ParquetFile(path, read_dictionary=[column])
        read = pf.read_row_group(group, columns=[column]).column(0)
        total = 0
        for part in read.chunks:
            lengths = pc.binary_length(part.dictionary).take(part.indices)
            total += pc.sum(lengths).as_py() or 0
        return int(total)

    return Dense(frozenset(columns), size)


def check_expansion(
    metadata: Any,
    names: Mapping[str, str],
    size: int,
    file: str,
    data: Any = None,
    dense: Dense | None = None,
) -> None:
    """Refuse a file whose columns read would decode to far more than its size (a bomb).

    Checked before any page is decoded: each column chunk decompressed (one huge value, a
    huge dictionary, zstd a thousandfold), then the columns read together decoded, each
    cell counted as at least a byte (a run of a billion equal values is a few bytes of
    file, and a footer may claim any number of rows). ``names`` maps the file's column
    names read to their names in messages.

    A chunk's size decompressed is the footer's claim, or, given the file's bytes
    (``data``), what its page headers state when that is more: pyarrow allocates what
    each page header states, whatever the footer says, so a footer under-stating its
    pages is caught. Only chunks whose codec can expand a hundredfold are walked (zstd,
    gzip, brotli, lz4): Snappy expands at most 22 times (64 bytes from a 3-byte copy) and
    an uncompressed page not at all, so the files most tools write cost no walk. The
    headers are read as pyarrow reads them (Thrift's compact protocol as its C++ reader
    reads it, up to the chunk's values): a header that cannot be read so is a
    :class:`~learnsoc.io.files.FileFormatError` naming the column and the row group,
    before anything is decoded; pyarrow could not read it either.

    A text column read as plain text (``dense``) from a dictionary page decodes to its
    values repeated row after row: one value of a MB in a thousand rows is a GB from a
    few bytes of file. Its rows times its dictionary's longest value (read from the
    dictionary page, a few ms) bound that; when the bounds could put the columns read over
    the limit, the chunks are measured (from their dictionary and indices, not decoded),
    largest bound first.
    """
    leaves = {metadata.schema.column(j).path: j for j in range(metadata.num_columns)}
    read = [(leaves[raw], clean) for raw, clean in names.items() if raw in leaves]
    raw_of = {j: raw for raw, j in leaves.items()}
    pad = padding(metadata.created_by)
    decoded = int(metadata.num_rows) * max(len(read), 1)
    groups = metadata.num_row_groups
    total = 0
    repeated: list[tuple[int, int, int, int, str]] = []
    for i in range(groups):
        group = metadata.row_group(i)
        for j, clean in read:
            chunk = group.column(j)
            unpacked, packed = chunk.total_uncompressed_size, chunk.total_compressed_size
            if data is not None and chunk.compression not in _BOUNDED_CODECS:
                try:
                    pages = chunk_sizes(
                        data, chunk_start(chunk), packed, int(chunk.num_values), pad
                    )
                except BadHeaderError as exc:
                    # Read as pyarrow reads it, a header that cannot be read here cannot
                    # be read by pyarrow either: refused, never left unchecked.
                    _bad_header(file, clean, _row_group(i, groups), int(exc.args[0]))
                if pages.unpacked > unpacked:
                    unpacked, packed = pages.unpacked, pages.packed
            if unpacked > EXPANSION_FROM and unpacked > MAX_EXPANSION * max(packed, 1):
                msg = Message(
                    N_(
                        "column {name!r} ({where}) would decompress to {size:,} bytes from "
                        "{packed:,}, {ratio:,} times its size, and learnsoc reads at most "
                        "{limit:,} times (learnsoc.limits.MAX_EXPANSION): a file built to "
                        "exhaust memory, or a damaged one; write it again from its source"
                    ),
                    name=shown(clean),
                    where=_row_group(i, groups),
                    size=unpacked,
                    packed=packed,
                    ratio=unpacked // max(packed, 1),
                    limit=MAX_EXPANSION,
                )
                raise file_error(msg, file=file)
            least = max(unpacked, chunk.num_values, group.num_rows)
            total += least
            if (
                dense is not None
                and data is not None
                and raw_of[j] in dense.columns
                and chunk.has_dictionary_page
                and chunk.physical_type == "BYTE_ARRAY"
            ):
                longest = longest_value(data, chunk_start(chunk), packed, chunk.compression)
                # At most every row holds the longest value (at most the whole dictionary).
                bound = unpacked + chunk.num_values * (unpacked if longest is None else longest)
                if bound > least:
                    repeated.append((bound, least, i, j, clean))
    decoded = max(decoded, total)
    allowed = max(EXPANSION_FROM, MAX_EXPANSION * max(size, 1))
    if decoded > allowed:
        msg = Message(
            N_(
                "its {rows:,} rows would decode to at least {size:,} bytes in the columns "
                "read, {ratio:,} times the file's {packed:,} bytes, and learnsoc reads at "
                "most {limit:,} times (learnsoc.limits.MAX_EXPANSION): a file built to "
                "exhaust memory, or a damaged one; write it again from its source"
            ),
            rows=int(metadata.num_rows),
            size=decoded,
            packed=size,
            ratio=decoded // max(size, 1),
            limit=MAX_EXPANSION,
        )
        raise file_error(msg, file=file)
    # A dictionary's values repeated row after row: measured only when the bound above
    # could be too much, largest first, until the columns are known to fit.
    worst: tuple[int, int, str] | None = None
    for bound, least, i, j, clean in sorted(repeated, key=lambda r: (-r[0], r[2], r[3])):
        if decoded - least + bound <= allowed:
            break
        exact = dense.size(i, raw_of[j])  # type: ignore[union-attr]
        decoded += max(exact, least) - least
        if worst is None or exact > worst[0] or (exact == worst[0] and i < worst[1]):
            worst = (exact, i, clean)
        if decoded > allowed:
            break
    if worst is not None and decoded > allowed:
        msg = Message(
            N_(
                "column {name!r} ({where}) repeats the values of its dictionary to "
                "{chunk:,} bytes, and the columns read would decode to at least {size:,} "
                "bytes, {ratio:,} times the file's {packed:,} bytes; learnsoc reads at most "
                "{limit:,} times (learnsoc.limits.MAX_EXPANSION): a file built to exhaust "
                "memory, or a damaged one; write it again from its source"
            ),
            name=shown(worst[2]),
            where=_row_group(worst[1], groups),
            chunk=worst[0],
            size=decoded,
            packed=size,
            ratio=decoded // max(size, 1),
            limit=MAX_EXPANSION,
        )
        raise file_error(msg, file=file)


def _bad_header(file: str, column: str, where: Phrase, at: int) -> NoReturn:
    msg = Message(
        N_(
            "not a readable Parquet file (column {name!r}, {where}): the header of a page "
            "cannot be read (byte {at:,} of the file), so what its pages decompress to "
            "cannot be checked; the file may be damaged or truncated, or built to hide a "
            "page: write it again from its source"
        ),
        name=shown(column),
        where=where,
        at=at,
    )
    raise file_error(msg, file=file)


class _Flat:
    """Read the tables of a FlatBuffers message (Arrow's IPC metadata), bounds checked.

    Only what :func:`_check_ipc_expansion` needs; a read past the end is a
    :class:`struct.error`, as for a damaged file.
    """

    def __init__(self, data: Any, start: int) -> None:
        self.data = data
        self.start = start

    def _u32(self, at: int) -> int:
        return int(struct.unpack_from("<I", self.data, self.start + at)[0])

    def root(self) -> int:
        return self._u32(0)

    def field(self, table: int, i: int) -> int | None:
        """Return where field ``i`` of the table at ``table`` is, or None if absent."""
        vtable = table - struct.unpack_from("<i", self.data, self.start + table)[0]
        size = struct.unpack_from("<H", self.data, self.start + vtable)[0]
        if 4 + 2 * i + 2 > size:
            return None
        at = struct.unpack_from("<H", self.data, self.start + vtable + 4 + 2 * i)[0]
        return table + at if at else None

    def table(self, table: int, i: int) -> int | None:
        at = self.field(table, i)
        return None if at is None else at + self._u32(at)

    def vector(self, table: int, i: int) -> tuple[int, int]:
        """Return where the items of a vector field start (after its length), and how many."""
        at = self.table(table, i)
        return (0, 0) if at is None else (at + 4, self._u32(at))

    def scalar(self, fmt: str, at: int | None, default: int = 0) -> int:
        return (
            default if at is None else int(struct.unpack_from(fmt, self.data, self.start + at)[0])
        )


def _check_ipc_expansion(path: PathLike, n_fields: int, file: str) -> None:
    """Refuse an Arrow IPC file whose batches would decompress to far more than its size.

    An uncompressed file is memory-mapped and costs nothing to read; a compressed one
    (zstd, lz4: Feather's default) is decompressed batch by batch, whole. Each compressed
    buffer starts with its size once decompressed: the footer's blocks, their messages'
    buffers and these sizes are read from the file (a few bytes each), and a batch
    decompressing to more than :data:`~learnsoc.limits.MAX_EXPANSION` times its bytes is
    refused, as are batches claiming more rows than the file could hold (a cell counted as
    at least a byte: a column of Arrow's null type has no buffers, whatever its rows).
    """
    with open(path, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
        try:
            dictionaries, records = _ipc_blocks(data)
            found = [
                [_ipc_batch(data, *block) for block in blocks] for blocks in (dictionaries, records)
            ]
        except (struct.error, ValueError, OverflowError):
            # A damaged footer or message: pyarrow's reading says what is wrong with it.
            return
        size = len(data)
    for template, batches in zip(
        (N_("dictionary {i} of {n}"), N_("record batch {i} of {n}")), found, strict=True
    ):
        for i, batch in enumerate(batches):
            if batch.packed:
                where = Phrase(Message(template, i=i + 1, n=len(batches)))
                _check_batch(batch, where, file)
    rows = sum(b.rows for b in found[1])
    where = Phrase(Message(N_("its {rows:,} rows"), rows=rows))
    _check_batch(_Expansion(rows * max(n_fields, 1), size), where, file)


@attrs.frozen
class _Expansion:
    """What a batch decompresses to, from how many bytes (0: not compressed); its rows."""

    decoded: int
    packed: int
    rows: int = 0


def _check_batch(found: _Expansion, where: Phrase, file: str) -> None:
    if found.decoded <= EXPANSION_FROM or found.decoded <= MAX_EXPANSION * max(found.packed, 1):
        return
    msg = Message(
        N_(
            "{where} would decode to at least {size:,} bytes from {packed:,}, {ratio:,} "
            "times its size, and learnsoc reads at most {limit:,} times "
            "(learnsoc.limits.MAX_EXPANSION): a file built to exhaust memory, or a damaged "
            "one; write it again from its source"
        ),
        where=where,
        size=found.decoded,
        packed=found.packed,
        ratio=found.decoded // max(found.packed, 1),
        limit=MAX_EXPANSION,
    )
    raise file_error(msg, file=file)


def _ipc_blocks(data: Any) -> list[list[tuple[int, int, int]]]:
    """Return the dictionaries' and the record batches' blocks, from the file's footer.

    A block is (offset, metadata length, body length): what pyarrow reads.
    """
    (size,) = struct.unpack_from("<i", data, len(data) - 10)
    start = len(data) - 10 - size
    if size <= 0 or start < 0:
        raise ValueError(size)
    footer = _Flat(data, start)
    root = footer.root()
    blocks = []
    for field in (2, 3):  # dictionaries, recordBatches: vectors of Block structs
        at, n = footer.vector(root, field)
        blocks.append([struct.unpack_from("<qi4xq", data, start + at + 24 * k) for k in range(n)])
    return blocks


def _ipc_batch(data: Any, offset: int, meta: int, body: int) -> _Expansion:
    """Return what one batch decodes to at least, and its compressed bytes (0 if none)."""
    at = offset + 8 if struct.unpack_from("<I", data, offset)[0] == 0xFFFFFFFF else offset + 4
    message = _Flat(data, at)
    root = message.root()
    kind = message.scalar("<B", message.field(root, 1))
    batch = message.table(root, 2)
    if batch is None or kind not in (2, 3):  # DictionaryBatch, RecordBatch
        return _Expansion(0, 0)
    if kind == 2:
        batch = message.table(batch, 1)  # the dictionary's RecordBatch
        if batch is None:
            return _Expansion(0, 0)
    rows = message.scalar("<q", message.field(batch, 0))
    compressed = message.field(batch, 3) is not None
    at, n = message.vector(batch, 2)  # buffers: (offset, length) structs
    decoded = 0
    for k in range(n):
        where, length = struct.unpack_from("<qq", data, message.start + at + 16 * k)
        if compressed and length >= 8:
            (size,) = struct.unpack_from("<q", data, offset + meta + where)
            decoded += length - 8 if size < 0 else size
        else:
            decoded += length
    return _Expansion(decoded, body if compressed else 0, rows)


def _row_group(i: int, n: int) -> Phrase:
    """Name the ``i``-th (0-based) of ``n`` row groups in a message."""
    return Phrase(Message(N_("row group {i} of {n}"), i=i + 1, n=n))


def _rows(done: int, last: int) -> Phrase:
    """Name the rows after the first ``done``, up to ``last`` (1-based), in a message."""
    return Phrase(Message(N_("rows {first:,} to {last:,}"), first=done + 1, last=last))


def _unreadable(
    kind: str, exc: BaseException, file: str, where: Phrase | None = None
) -> FileFormatError:
    """Return the error for a file pyarrow could not read (damaged, truncated, not Parquet).

    The detail is pyarrow's own words (English).
    """
    detail = " ".join(str(exc).split())[:300] or type(exc).__name__
    if where is None:
        template = N_(
            "not a readable {kind} file: {detail}; the file may be damaged or truncated: "
            "write it again from its source"
        )
    else:
        template = N_(
            "not a readable {kind} file ({where}): {detail}; the file may be damaged or "
            "truncated: write it again from its source"
        )
    return file_error(Message(template, kind=kind, where=where, detail=detail), file=file)


def _scalar_columns(schema: Any, names: list[str], chosen: list[str], file: str) -> set[str]:
    """Check that the columns read hold one value per cell; return the binary ones.

    A list or struct would otherwise reach numpy as "setting an array element with a
    sequence", or be cast to text that is no value at all.
    """
    import pyarrow as pa

    binary = set()
    for raw, clean in zip(names, chosen, strict=True):
        kind = schema.field(raw).type
        value = kind.value_type if pa.types.is_dictionary(kind) else kind
        if pa.types.is_nested(value) or pa.types.is_run_end_encoded(value):
            msg = Message(
                N_(
                    "column {name!r} holds {kind_text} (Arrow type {arrow}), not one value per "
                    "cell; learnsoc reads numbers, text, booleans and dates: write this column "
                    "as one of those, or leave it out"
                ),
                name=shown(clean),
                kind_text=_nested_word(value),
                arrow=str(kind),
            )
            raise file_error(msg, file=file)
        if (
            pa.types.is_binary(kind)
            or pa.types.is_large_binary(kind)
            or pa.types.is_fixed_size_binary(kind)
            or pa.types.is_binary_view(kind)
        ):
            binary.add(clean)
    return binary


def _nested_word(kind: Any) -> str:
    import pyarrow as pa

    if pa.types.is_map(kind):
        return N_("maps")
    if pa.types.is_struct(kind):
        return N_("records (structs)")
    if pa.types.is_union(kind):
        return N_("unions of types")
    if pa.types.is_run_end_encoded(kind):
        return N_("run-end encoded values")
    return N_("lists of values")


def _columns(
    batch: Any, chosen: list[str], binary: set[str], file: str, where: Phrase | None
) -> dict[str, Any]:
    """Return a batch's columns by header name, binary ones decoded as UTF-8 text.

    ``where`` names the rows of the batch; None for no rows (nothing to refuse).
    """
    import pyarrow as pa

    out = {}
    for i, h in enumerate(chosen):
        column = batch.column(i)
        if h in binary:
            try:
                # Casting checks the bytes: text that is not UTF-8 is refused, not mangled.
                column = column.cast(pa.large_string())
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
                # The detail is pyarrow's own words (English).
                msg = Message(
                    N_(
                        "column {name!r} ({where}) holds bytes that are not UTF-8 text (Arrow "
                        "type {arrow}): {detail}"
                    ),
                    name=shown(h),
                    where=where,
                    arrow=str(column.type),
                    detail=" ".join(str(exc).split())[:200],
                )
                raise file_error(msg, file=file) from None
        out[h] = column
    return out


def _named_header(raw_names: list[str], name: str) -> tuple[str, ...]:
    """Return the cleaned header of a columnar file whose every column has a name.

    A CSV or Excel header may leave trailing columns unnamed; a Parquet or Arrow column
    without a name cannot be told apart from another unnamed one, nor mapped.
    """
    for i, raw in enumerate(raw_names, 1):
        if not raw.strip():
            msg = Message(N_("column {n} has no name; name every column of the file"), n=i)
            raise file_error(msg, file=name)
    return clean_header(raw_names, name)


def _exists(path: PathLike, name: str) -> None:
    # pyarrow opens the file itself: a FIFO would block it, a device never end.
    problem = not_regular(path)
    if problem is not None:
        raise file_error(problem, file=name)
    if not Path(path).is_file():
        raise file_error(Message(N_("no such file")), file=name)


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


def rollup_parquet(
    path: str | Path,
    hierarchy: Hierarchy,
    measures: Mapping[str, Measure],
    *,
    rates: RateDefs | None = None,
    unit_column: str = "unit_code",
    columns: list[str] | None = None,
    batch_size: int = 1 << 20,
    rejects: Rejects | None = None,
) -> Rollup:
    """Stream a Parquet file (or folder of files) of person rows into a rollup.

    Reads Arrow record batches of ``batch_size`` rows (extra ``parquet``), so memory stays
    bounded whatever the file's size. See
    :func:`~learnsoc.aggregate.stream.rollup_batches`.

    Parameters
    ----------
    path : str or Path
        A Parquet file or a folder of them.
    hierarchy, measures, rates, unit_column
        As for :func:`~learnsoc.aggregate.stream.rollup_batches`.
    columns : list of str, optional
        Read only these columns (plus ``unit_column``); by default all.
    batch_size : int
        Rows per batch.
    rejects : Rejects, optional
        The rows rejected when the file's rows were read and checked before (the file
        holds the rows they accepted): see
        :func:`~learnsoc.aggregate.stream.rollup_batches`.

    Returns
    -------
    Rollup
        Exactly :func:`~learnsoc.aggregate.stream.rollup_batches` of all the file's rows;
        rows whose unit is missing or unknown are in ``rejects`` (table ``person``).

    Raises
    ------
    FileFormatError
        For a file whose columns read would decode to more than
        :data:`~learnsoc.limits.MAX_EXPANSION` times its size (see :func:`check_parquet`),
        checked before any row is read; in a folder, a symbolic link that leads out of
        it, or a FIFO or device (see :mod:`learnsoc.io.folder_files`: each file is read
        once, however many links inside the folder lead to it).
    OptionalDependencyError
        Without pyarrow.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pyarrow as pa, pyarrow.parquet as pq
    >>> h = ls.synthetic_hierarchy(villages=3, seed=1)
    >>> v = h.codes_at("village")
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "persons.parquet"
    >>> pq.write_table(pa.table({"unit_code": v[[0, 0, 1, 2]], "age": [30, 9, 70, 15]}), path)
    >>> roll = rollup_parquet(path, h, {"persons": "person",
    ...     "adults": ls.Count("person", lambda b: b["age"] >= 15)}, batch_size=2)
    >>> roll.level("village").counts["adults"].tolist()
    [1, 1, 1]
    """
    try:
        import pyarrow.dataset as ds
    except ImportError:
        raise OptionalDependencyError(
            "pyarrow", "parquet", N_("streaming a Parquet file")
        ) from None
    if Path(path).is_dir():
        # Listed here, not by Arrow: it follows links out of the folder and around loops.
        from learnsoc.io.folder_files import folder_files

        dataset = ds.dataset(folder_files(path), format="parquet")
    else:
        _exists(path, display_name(path))
        dataset = ds.dataset(str(path), format="parquet")
    wanted = None if columns is None else sorted({*columns, unit_column})
    for file in dataset.files:
        # As every Parquet file learnsoc reads: never decoded past the limit.
        check_parquet(file, wanted)

    def batches() -> Iterable[Batch]:
        for record_batch in dataset.to_batches(columns=wanted, batch_size=batch_size):
            yield {
                name: record_batch.column(i).to_numpy(zero_copy_only=False)
                for i, name in enumerate(record_batch.schema.names)
            }

    return rollup_batches(
        batches(), hierarchy, measures, rates=rates, unit_column=unit_column, rejects=rejects
    )
