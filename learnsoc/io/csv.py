r"""Reading CSV files: UTF-8 (with or without Excel's BOM), ``,`` or ``;``, every cell as text.

Two engines give the same table:

* ``"pyarrow"`` (the ``parquet`` extra): pyarrow's multi-threaded parser, the fast path
  for big files. Low-cardinality columns are read dictionary-encoded, so a yes/no column
  of ten million cells costs ten million small integers, not ten million strings.
* ``"python"``: the standard library's :mod:`csv` module, always available; fine for
  files up to a few hundred thousand rows, slow beyond.

``engine="auto"`` (the default) uses pyarrow when it is installed. Both engines read
every cell as text (so codes and ids keep their leading zeros: ``"00123"``), skip empty
lines, honour double quotes (a quoted cell may hold the separator or a line break), and
set aside records with the wrong number of fields: they are counted and reported as
``malformed_line`` rejects, with their line, never dropped silently. Cells are stripped
of padding later, during conversion.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "units.csv"
>>> _ = path.write_bytes("\ufeffmã;tên\n01;Hà Nội\n\n02\n".encode())
>>> table = read_csv(path, engine="python")
>>> table.header, table.layout.n_records, table.layout.malformed.tolist()
(('mã', 'tên'), 2, [1])
>>> batch = next(table.iter_batches())
>>> batch["mã"].tolist(), table.layout.line_of(table.layout.malformed).tolist()
(['01'], [4])
"""

from __future__ import annotations

import csv as _csv
import io
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from learnsoc.errors import OptionalDependencyError
from learnsoc.io.convert import text_cells
from learnsoc.io.files import (
    FileFormatError,
    PathLike,
    check_utf8,
    decode,
    display_name,
    read_bytes,
    sniff_delimiter,
    strip_bom,
)
from learnsoc.io.table import Layout, RawTable

__all__ = ["Engine", "NumberKind", "clean_header", "read_csv", "read_csv_bytes"]

Engine = Literal["auto", "pyarrow", "python"]
NumberKind = Literal["int16", "int32", "int64", "float64"]

# Python's csv refuses cells above 128 KiB by default; a cell that large is a broken
# file, but it should be reported with its line, not as a traceback.
_FIELD_LIMIT = 1 << 24


def clean_header(names: Iterable[str], file: str) -> tuple[str, ...]:
    """Strip and NFC-normalize column names; name blank ones; refuse duplicates.

    Vietnamese text may arrive decomposed (NFD, from some Mac software): ``"Tuổi"`` in
    NFD and NFC are different strings, so names are normalized before matching.
    Blank names (Excel's trailing empty columns) become ``"<column N>"``.

    Examples
    --------
    >>> clean_header([" Tuổi ", "", "sex"], "p.csv")
    ('Tuổi', '<column 2>', 'sex')
    """
    out: list[str] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(names):
        name = unicodedata.normalize("NFC", raw.strip()) or f"<column {i + 1}>"
        if name in seen:
            msg = f"column {name!r} appears twice in the header (columns {seen[name]} and {i + 1})"
            raise FileFormatError(msg, file=file, line=1)
        seen[name] = i + 1
        out.append(name)
    return tuple(out)


def read_csv(
    path: PathLike,
    *,
    delimiter: str | None = None,
    encoding: str = "utf-8",
    engine: Engine = "auto",
    dictionary: Collection[str] | Callable[[str], bool] = (),
    numbers: Callable[[str], NumberKind | None] | None = None,
    include: Callable[[str], bool] | None = None,
) -> RawTable:
    """Read a CSV file into a :class:`~learnsoc.io.table.RawTable` of text cells.

    Parameters
    ----------
    path : str or path
        The file.
    delimiter : str, optional
        ``","``, ``";"``, tab or ``"|"``; by default sniffed from the header line.
    encoding : str
        ``"utf-8"`` (default; a BOM is accepted) or another Python codec name
        (``"cp1258"``), decoded in memory.
    engine : {"auto", "pyarrow", "python"}
        The parser (see the module docs).
    dictionary : collection of str, or callable
        Header names (or a test on a header name) of low-cardinality columns to read
        dictionary-encoded (pyarrow engine only; a hint, the values are the same).
    numbers : callable, optional
        ``numbers(header)`` is ``"int16"``, ``"int32"``, ``"int64"`` or ``"float64"`` for
        columns expected to hold plain numbers of that type: the pyarrow engine first
        parses them as numbers (blank cells as nulls), which is several times faster than
        text. If any cell of such a column is not a plain number of the type (a word, a
        decimal comma, a number too big for it), the file is read as text instead: the
        result holds the same values either way.
    include : callable, optional
        ``include(header)`` says whether to read a column (pyarrow engine; default all):
        the others are split off but never converted, and are missing from the batches
        (the header still names them).

    Raises
    ------
    FileFormatError
        For a missing or empty file, bytes that are not in the encoding, or a broken
        header; the message names the file and the line.
    OptionalDependencyError
        For ``engine="pyarrow"`` without pyarrow.
    """
    name = display_name(path)
    return read_csv_bytes(
        read_bytes(path),
        name,
        delimiter=delimiter,
        encoding=encoding,
        engine=engine,
        dictionary=dictionary,
        numbers=numbers,
        include=include,
    )


def read_csv_bytes(
    data: bytes,
    file: str,
    *,
    delimiter: str | None = None,
    encoding: str = "utf-8",
    engine: Engine = "auto",
    dictionary: Collection[str] | Callable[[str], bool] = (),
    numbers: Callable[[str], NumberKind | None] | None = None,
    include: Callable[[str], bool] | None = None,
) -> RawTable:
    """Read CSV content already in memory (see :func:`read_csv`); ``file`` names it."""
    utf8 = encoding.lower().replace("_", "-") in ("utf-8", "utf8", "utf-8-sig")
    if not utf8:
        data = decode(data, file, encoding).encode("utf-8")
    data = strip_bom(data)
    if engine == "python" or (engine == "auto" and not _has_pyarrow()):
        return _read_python(decode(data, file), file, delimiter)
    if engine not in ("auto", "pyarrow"):
        msg = f"unknown CSV engine {engine!r}; expected 'auto', 'pyarrow' or 'python'"
        raise ValueError(msg)
    if not _has_pyarrow():
        raise OptionalDependencyError("pyarrow", "parquet", "reading CSV with the pyarrow engine")
    return _read_arrow(data, file, delimiter, dictionary, numbers, include)


def _has_pyarrow() -> bool:
    try:
        import pyarrow.csv  # noqa: F401
    except ImportError:
        return False
    return True


def _empty(file: str) -> FileFormatError:
    return FileFormatError(
        "the file is empty: a header line naming the columns is needed", file=file, line=1
    )


# -- the standard-library engine --------------------------------------------------------


def _read_python(text: str, file: str, delimiter: str | None) -> RawTable:
    first = next((ln for ln in text.splitlines() if ln.strip("\r\n")), None)
    if first is None:
        raise _empty(file)
    delim = delimiter or sniff_delimiter(first)
    previous = _csv.field_size_limit(_FIELD_LIMIT)
    try:
        reader = _csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=False)
        header: tuple[str, ...] | None = None
        rows: list[list[str]] = []
        lines: list[int] = []
        bad: list[int] = []
        bad_fields: list[int] = []
        start = header_line = 1
        try:
            for row in reader:
                line, start = start, reader.line_num + 1
                if not row:
                    continue
                if header is None:
                    header = clean_header(row, file)
                    header_line = line
                    continue
                if len(row) != len(header):
                    bad.append(len(lines))
                    bad_fields.append(len(row))
                    rows.append([])
                else:
                    rows.append(row)
                lines.append(line)
        except _csv.Error as exc:
            raise FileFormatError(str(exc), file=file, line=start) from None
    finally:
        _csv.field_size_limit(previous)
    if header is None:
        raise _empty(file)
    good = [r for r in rows if r] if bad else rows
    n = len(header)
    columns = list(zip(*good, strict=True)) if good else [()] * n
    # A long cell must not widen its column: see text_cells.
    batch = {h: text_cells(col) for h, col in zip(header, columns, strict=True)}
    regular = lines == list(range(header_line + 1, header_line + 1 + len(lines)))
    layout = Layout(
        n_records=len(lines),
        first_line=header_line + 1,
        lines=None if regular else lines,
        malformed=bad,
        malformed_fields=bad_fields,
        n_fields=n,
    )
    return RawTable(file, header, [batch], layout)


# -- the pyarrow engine -----------------------------------------------------------------


def _header_end(data: bytes) -> tuple[int, int, bytes]:
    """Return (line number of the header, byte offset after it, the header line)."""
    pos, line = 0, 1
    while pos < len(data):
        end = data.find(b"\n", pos)
        end = len(data) if end < 0 else end
        raw = data[pos:end]
        if raw.strip(b"\r"):
            return line, min(end + 1, len(data)), raw.rstrip(b"\r")
        pos, line = end + 1, line + 1
    return line, len(data), b""


def _read_arrow(
    data: bytes,
    file: str,
    delimiter: str | None,
    dictionary: Collection[str] | Callable[[str], bool],
    numbers: Callable[[str], NumberKind | None] | None = None,
    include: Callable[[str], bool] | None = None,
) -> RawTable:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    header_line, body_start, raw_header = _header_end(data)
    if not raw_header:
        check_utf8(data, file)
        raise _empty(file)
    try:
        header_text = raw_header.decode("utf-8")
    except UnicodeDecodeError:
        check_utf8(data, file)
        raise
    if '"' in header_text:
        # A quoted header may span lines or hide separators: the exact engine handles it.
        return _read_python(decode(data, file), file, delimiter)
    delim = delimiter or sniff_delimiter(header_text)
    header = clean_header(next(_csv.reader([header_text], delimiter=delim)), file)
    names = [f"c{i}" for i in range(len(header))]
    hint = dictionary if callable(dictionary) else set(dictionary).__contains__
    types = {
        c: pa.dictionary(pa.int32(), pa.string()) if hint(h) else pa.string()
        for c, h in zip(names, header, strict=True)
    }
    invalid: list[int] = []

    def on_invalid(row: Any) -> str:
        invalid.append(int(row.actual_columns))
        return "skip"

    body = pa.py_buffer(data)[body_start:]
    if not _has_content(data, body_start):
        batch = {h: np.zeros(0, "<U1") for h in header}
        layout = Layout(0, first_line=header_line + 1, n_fields=len(header))
        return RawTable(file, header, [batch], layout)
    has_quotes = data.find(b'"', body_start) >= 0

    def parse(column_types: dict[str, Any]) -> Any:
        invalid.clear()
        return pacsv.read_csv(
            pa.BufferReader(body),
            read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(
                delimiter=delim,
                newlines_in_values=has_quotes,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                include_columns=kept,
                column_types=column_types,
                null_values=[""],  # in number columns only: text is never null
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )

    kept = [c for c, h in zip(names, header, strict=True) if include is None or include(h)]
    kinds = {c: numbers(h) for c, h in zip(names, header, strict=True)} if numbers else {}
    number_types = {
        "int16": pa.int16(),
        "int32": pa.int32(),
        "int64": pa.int64(),
        "float64": pa.float64(),
    }
    typed = {c: number_types[k] for c, k in kinds.items() if k is not None}
    table = None
    if typed:
        try:
            table = parse({**types, **typed})
        except pa.ArrowInvalid:
            table = None  # a cell that is not a plain number: read every cell as text
    try:
        if table is None:
            table = parse(types)
    except pa.ArrowInvalid as exc:
        if "UTF8" in str(exc) or "utf8" in str(exc).lower():
            check_utf8(data, file)
        # Anything else pyarrow refuses, the exact engine reads or explains with a line.
        return _read_python(decode(data, file), file, delimiter)
    found = _arrow_layout(
        data, body_start, header_line, table.num_rows, invalid, has_quotes, delim, len(header)
    )
    if found is None:
        return _read_python(decode(data, file), file, delimiter)
    chosen = set(kept)
    batch = {h: table.column(c) for c, h in zip(names, header, strict=True) if c in chosen}
    return RawTable(file, header, [batch], found)


_CONTENT = re.compile(rb"[^\r\n]")


def _has_content(data: bytes, start: int) -> bool:
    """Return whether anything but line breaks follows ``start`` (without copying the bytes)."""
    return _CONTENT.search(data, start) is not None


def _line_starts(buf: NDArray[np.uint8]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Return the start and end (exclusive, without the carriage return) of every line."""
    nl = np.flatnonzero(buf == 10)
    starts = np.concatenate([[0], nl + 1])
    ends = np.concatenate([nl, [len(buf)]])
    if starts[-1] == len(buf):  # the file ends with a line break: no last line
        starts, ends = starts[:-1], ends[:-1]
    cr = (ends > starts) & (buf[np.maximum(ends - 1, 0)] == 13)
    return starts.astype(np.int64), (ends - cr).astype(np.int64)


def _arrow_layout(
    data: bytes,
    body_start: int,
    header_line: int,
    n_rows: int,
    invalid: list[int],
    has_quotes: bool,
    delim: str,
    n_fields: int,
) -> Layout | None:
    """Work out each record's line without parsing again; None when only the exact engine can."""
    if data.find(b"\n", body_start) < 0 and data.find(b"\r", body_start) >= 0:
        return None  # old Mac line breaks
    first = header_line + 1
    if not invalid:
        # The common case, found without scanning in Python: one record per line. Lines
        # are records + blank lines + line breaks inside quotes, so as many lines as
        # records means neither of the others.
        n_lines = data.count(b"\n", body_start) + (not data.endswith(b"\n"))
        if n_lines == n_rows:
            return Layout(n_rows, first_line=first, n_fields=n_fields)
    buf = np.frombuffer(data, np.uint8)[body_start:]
    starts, ends = _line_starts(buf)
    nonblank = np.flatnonzero(ends > starts)
    n_records = n_rows + len(invalid)
    if len(nonblank) != n_records:
        return None  # quoted line breaks: records are not lines
    lines = None if len(nonblank) == len(starts) else nonblank + first
    if not invalid:
        return Layout(n_records, first_line=first, lines=lines, n_fields=n_fields)
    if has_quotes:
        return None  # separators inside quotes: counting them needs the parser
    fields = _fields_per_line(buf, starts[nonblank], ends[nonblank], ord(delim))
    bad = np.flatnonzero(fields != n_fields)
    if len(bad) != len(invalid):
        return None
    return Layout(
        n_records,
        first_line=first,
        lines=lines,
        malformed=bad,
        malformed_fields=fields[bad],
        n_fields=n_fields,
    )


def _fields_per_line(
    buf: NDArray[np.uint8], starts: NDArray[np.int64], ends: NDArray[np.int64], delim: int
) -> NDArray[np.int64]:
    """Count the fields of each line, in chunks so memory stays bounded on big files."""
    counts = np.zeros(len(starts), np.int64)
    step = 1 << 26
    for lo in range(0, len(buf), step):
        pos = np.flatnonzero(buf[lo : lo + step] == delim) + lo
        if len(pos):
            line = np.searchsorted(starts, pos, side="right") - 1
            inside = pos < ends[line]
            counts += np.bincount(line[inside], minlength=len(starts))
    return counts + 1
