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
of padding later, during conversion. A line of separators only (``;;;;``, a blank
spreadsheet row) is a record here, as in Python's :mod:`csv`; the population readers
skip it as a blank row (:func:`~learnsoc.io.convert.without_blank_records`). The two
engines give the same cells, records and rejects for any file: pyarrow hands whatever
it cannot place line by line (records across lines, a quote open at the end) to the
standard-library engine, which defines the result. Only the lines near a quote left
open go to it (each such line with the :data:`~learnsoc.limits.MAX_QUOTED_LINE_BREAKS`
lines it may take, and a few more); pyarrow reads the others. When most lines hold
quotes, the lines that leave one open are found over the bytes
(:mod:`learnsoc.io._open_quotes`).

A quote left open by mistake (``8,H3,"Nguyễn Văn Tí,3``) would make the rest of the
file one cell. A record across lines is therefore kept only if it looks like a real
multi-line cell; it is taken as a quote left open, and *only its first line* is set
aside as an ``unclosed_quote`` reject (the line as written, cut to
:data:`~learnsoc.limits.MAX_SHOWN_CHARS` characters) while reading goes on with the
next line, when:

* the quote is still open at the end of the file;
* its quoted cells hold more than :data:`~learnsoc.limits.MAX_QUOTED_LINE_BREAKS`
  (253, Excel's limit) line breaks;
* it has the wrong number of fields;
* the quote that closes it is followed by text rather than a separator or the end of
  the line (a stray quote, not a closing one);
* in a file of two columns or more: its first line, with quotes taken as plain
  characters, has the header's number of fields, and so do most of its later lines
  (not blank) read alone, each beginning with a cell of the same kind as the first line
  (digits only, letters, spaces): the quote swallowed whole records.

A quote left open in the header is a :class:`~learnsoc.io.files.FileFormatError`.

Limits, checked before any parser sees the file (each a ``FileFormatError`` naming
the file, the line and the limit): a line longer than
:data:`~learnsoc.limits.MAX_LINE_BYTES` (16 MiB; :func:`read_csv` checks it while
reading the file in 1 MiB chunks, so a file of one huge line costs no more memory than
that), and a header of more than :data:`~learnsoc.limits.MAX_COLUMNS` (16,384) columns.
A line of more than ``MAX_COLUMNS`` fields after the header (quoted separators not
counted) is a ``malformed_line`` reject found from its separators before parsing: its
millions of fields, if it has them, are never made (the other lines read as before).

With the ``numbers`` hint, the pyarrow engine parses number columns as numbers; it
goes back to text wherever pyarrow's parser is more lenient than learnsoc's rule for
numbers (see :mod:`learnsoc.model.schema`: ``"0x10"``, ``"inf"``, ``"nan"`` are not
numbers), and a rejected cell is shown as written (``"0300"``, not ``"300"``).

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

import codecs
import contextlib
import csv as _csv
import io
import os
import re
import unicodedata
import warnings
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import Any, Literal

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc import limits
from learnsoc._bars import UNSET, Unset, renamed_flag, tqdm_bar
from learnsoc._messages import N_, Message
from learnsoc.errors import OptionalDependencyError
from learnsoc.io._line_fields import blank_lines, odd_lines
from learnsoc.io._open_quotes import open_quote_lines
from learnsoc.io._repeated_header import first_name_pattern, header_lines
from learnsoc.io._short_rows import (
    fewest_fields,
    fill_lines,
    fill_short_records,
    fillable,
    short_of,
)
from learnsoc.io._totals_scan import finditer_totals, search_totals
from learnsoc.io._unread_cells import with_unread_cells
from learnsoc.io.convert import text_cells
from learnsoc.io.files import (
    DELIMITERS,
    FileFormatError,
    PathLike,
    bom_encoding,
    check_line_lengths,
    check_utf8,
    decode,
    display_name,
    file_error,
    is_utf8_name,
    named_delimiter,
    read_bytes,
    sniff_delimiter,
    strip_bom,
    unknown_delimiter,
)
from learnsoc.io.headers import (
    SHEET_SEARCH_ROWS,
    SheetWarning,
    TableHeader,
    is_column_numbers,
    is_footer_row,
    is_footer_start,
    two_row_header,
)
from learnsoc.io.mapping import loose_name
from learnsoc.io.table import Layout, RawTable, is_totals_label
from learnsoc.rejects import shown

__all__ = ["Engine", "NumberKind", "clean_header", "read_csv", "read_csv_bytes"]

Engine = Literal["auto", "pyarrow", "python"]
NumberKind = Literal["int16", "int32", "int64", "float64"]

# Python's csv refuses cells above 128 KiB by default; a cell that large is a broken
# file, but it should be reported with its line, not as a traceback.
_FIELD_LIMIT = 1 << 24


def clean_header(names: Iterable[str], file: str, line: int = 1) -> tuple[str, ...]:
    r"""Strip and NFC-normalize column names; name blank ones; refuse duplicates.

    A duplicate is refused naming ``line``, the header's line (row) in ``file``.

    Vietnamese text may arrive decomposed (NFD, from some Mac software): ``"Tuổi"`` in
    NFD and NFC are different strings, so names are normalized before matching. Runs of
    whitespace between words (two spaces, a no-break space, an Alt+Enter line break in
    an Excel header) become one space, as
    :func:`~learnsoc.io.mapping.normalize_name` matches them.
    Blank names (Excel's trailing empty columns) become ``"<column N>"``. The tabs of a
    header read as one column are kept: they say the file is tab-separated (Excel's
    "Unicode Text"), which :func:`~learnsoc.io.convert.one_column_header` tells the user.

    Examples
    --------
    >>> clean_header([" Tuổi ", "", "sex", "Giới  tính", "Mã\nthôn"], "p.csv")
    ('Tuổi', '<column 2>', 'sex', 'Giới tính', 'Mã thôn')
    >>> clean_header(["Mã hộ\tMã  thôn"], "ho.txt")
    ('Mã hộ\tMã thôn',)
    """
    names = list(names)
    out: list[str] = []
    seen: dict[str, int] = {}
    for i, raw in enumerate(names):
        text = unicodedata.normalize("NFC", raw)
        parts = text.split("\t") if len(names) == 1 else [text]
        name = "\t".join(" ".join(p.split()) for p in parts).strip() or f"<column {i + 1}>"
        if name in seen:
            msg = Message(
                N_("column {name!r} appears twice in the header (columns {first} and {second})"),
                name=shown(name),
                first=seen[name],
                second=i + 1,
            )
            raise file_error(msg, file=file, line=line)
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
    bars: bool | None = False,
    progress: bool | Unset | None = UNSET,
    header_row: int | None = None,
    find: TableHeader | None = None,
    needed: Callable[[str], bool] | None = None,
    check_header: Callable[[tuple[str, ...]], None] | None = None,
    unread: Callable[[str], bool] | None = None,
) -> RawTable:
    r"""Read a CSV file into a :class:`~learnsoc.io.table.RawTable` of text cells.

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
    bars : bool, optional
        A bar while parsing (tqdm, the ``progress`` extra): the pyarrow engine counts the
        bytes it has read (block by block, 16 MiB at a time), the standard-library engine
        the lines (every 65,536 records). ``None`` shows it on a terminal or in a notebook
        only, ``False`` (default) never, ``True`` always.
        (``progress=`` is a deprecated spelling.)
    header_row : int, optional
        The line of the column names (1 = first); the lines above it (a title, a date, as
        a spreadsheet exported to CSV has them) are not read. Lines keep their numbers.
    find : TableHeader, optional
        The table's key columns: without ``header_row``, when the first line that is not
        empty does not hold them and a line below it (among the first
        :data:`~learnsoc.io.headers.SHEET_SEARCH_ROWS` that are not empty) does, that line
        is the header, with a :class:`~learnsoc.io.headers.SheetWarning` (its ``sheet`` is
        ``""``).
    needed : callable, optional
        ``needed(header)`` says whether learnsoc needs a column. Given, a record short
        only of columns it does not need (Excel leaves out the separators of empty last
        cells) is read as if those cells were empty; one short of a needed column stays
        malformed, and :attr:`~learnsoc.io.table.Layout.short_of` names that column (see
        :mod:`learnsoc.io._short_rows`). By default every record of the wrong number of
        fields is malformed.
    check_header : callable, optional
        ``check_header(header)`` is given the header's names (as
        :attr:`~learnsoc.io.table.RawTable.header` holds them) before the body is
        parsed, and may raise: a header learnsoc refuses (an unknown column) is refused
        without parsing the file (a wide file took gigabytes). Not called when the
        header needs the parser (a name quoted across a line break, old Mac line breaks).
    unread : callable, optional
        ``unread(header)`` says whether learnsoc will not read a column at all (an
        unknown column ignored, a column the mapping file ignores). Such columns are
        not parsed (either engine), but a record with at most two cells filled among
        the others gets its cells in them, so that whether it is blank or a block
        heading is judged as if they had been read (see :mod:`learnsoc.io._unread_cells`):
        a file of thousands of unknown columns costs the columns read.

    Raises
    ------
    FileFormatError
        For a missing or empty file, bytes that are not in the encoding, a broken header,
        or a ``header_row`` beyond the file's lines; the message names the file and the
        line.
    OptionalDependencyError
        For ``engine="pyarrow"`` without pyarrow.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "p.csv"
    >>> _ = path.write_text("id;age\n1;40\n\n2;9;x\n3;7\n", "utf-8")
    >>> table = read_csv(path, engine="python")  # numpy text (pyarrow: Arrow arrays)
    >>> [{k: v.tolist() for k, v in batch.items()} for batch in table.iter_batches()]
    [{'id': ['1', '3'], 'age': ['40', '7']}]
    >>> lay = table.layout  # a blank line, and a record of 3 fields: malformed
    >>> lay.n_records, lay.malformed.tolist(), lay.line_of(lay.malformed).tolist()
    (3, [1], [4])
    """
    bars = renamed_flag(bars, progress, "read_csv")
    name = display_name(path)
    # Before reading the whole file: a file with a huge line is refused in bounded memory.
    check_line_lengths(path, name)
    return _read_csv_bytes(
        read_bytes(path),
        name,
        delimiter=delimiter,
        encoding=encoding,
        engine=engine,
        dictionary=dictionary,
        numbers=numbers,
        include=include,
        bars=bars,
        header_row=header_row,
        find=find,
        needed=needed,
        check_header=check_header,
        unread=unread,
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
    needed: Callable[[str], bool] | None = None,
) -> RawTable:
    r"""Read CSV content already in memory (see :func:`read_csv`); ``file`` names it.

    Examples
    --------
    >>> data = "\ufeffMã hộ,Số người\r\nH1,4\r\nH2,3\r\n".encode()  # a BOM, as Excel writes
    >>> table = read_csv_bytes(data, "hộ.csv", engine="python")
    >>> table.header, [{k: v.tolist() for k, v in b.items()} for b in table.iter_batches()]
    (('Mã hộ', 'Số người'), [{'Mã hộ': ['H1', 'H2'], 'Số người': ['4', '3']}])
    """
    check_line_lengths(data, file)
    return _read_csv_bytes(
        data,
        file,
        delimiter=delimiter,
        encoding=encoding,
        engine=engine,
        dictionary=dictionary,
        numbers=numbers,
        include=include,
        needed=needed,
    )


def _read_csv_bytes(
    data: bytes,
    file: str,
    *,
    delimiter: str | None,
    encoding: str,
    engine: Engine,
    dictionary: Collection[str] | Callable[[str], bool],
    numbers: Callable[[str], NumberKind | None] | None,
    include: Callable[[str], bool] | None,
    bars: bool | None = False,
    header_row: int | None = None,
    find: TableHeader | None = None,
    needed: Callable[[str], bool] | None = None,
    check_header: Callable[[tuple[str, ...]], None] | None = None,
    unread: Callable[[str], bool] | None = None,
) -> RawTable:
    try:
        delimiter = named_delimiter(delimiter)
    except ValueError:
        raise file_error(unknown_delimiter(delimiter), file=file) from None
    if not is_utf8_name(encoding) or bom_encoding(data) is not None:
        data = decode(data, file, encoding).encode("utf-8")
    data = strip_bom(data)
    data = _unix_breaks(data)
    data = _without_title(data, file, delimiter, header_row, find)
    data = _without_form_rows(data, file, delimiter)
    _check_header_width(data, file, delimiter)
    if check_header is not None:
        # Bytes that are not UTF-8 first, as the parsers say it: the likelier cause of a
        # header that names no column (a file in Windows-1258 typed without accents).
        check_utf8(data, file)
        header = _plain_header(data, file, delimiter)
        if header is not None:
            check_header(header)
    # A line of millions of fields would cost either parser gigabytes: it is set aside
    # first, and put back in the layout as the malformed record it is.
    data, wide = _cut_wide_lines(data, delimiter)
    # Two exports joined: their second header line would turn each number column to
    # text (twice the memory) and reject each of its cells; it is set aside the same way.
    data, repeated, repeated_texts = _cut_repeated_header(data, delimiter)

    if unread is not None and b"\r" in data:
        unread = None  # old Mac line breaks: records are not found by their lines below
    parsed = include
    if unread is not None:
        left_out = unread

        def parsed(header: str) -> bool:
            return (include is None or include(header)) and not left_out(header)

    def read(filled: bytes) -> RawTable:
        return _read_engine(filled, file, delimiter, engine, dictionary, numbers, parsed, bars)

    # Rows short of their empty last cells (Excel) read with those cells: found before
    # the file is read where that can be done, else after a first read, read again.
    filled = None if needed is None else _read_filled(data, file, delimiter, engine, needed, read)
    table = read(data) if filled is None else filled
    if needed is not None and filled is None:
        layout = attrs.evolve(table.layout, short_of=short_of(table.header, needed))
        table.layout = layout
        if len(fillable(layout)) and data.count(b"\r") == data.count(b"\r\n"):
            del table  # its cells are not needed while the file is read again
            head = _header_end(data)[2].decode("utf-8", "replace")
            table = fill_short_records(layout, data, delimiter or sniff_delimiter(head), read)
    if wide:
        table.layout = _with_wide(table.layout, wide)
    if repeated:
        table.layout = _with_repeated(table.layout, repeated, repeated_texts)
    if unread is not None:
        head = _header_line_text(data, table.layout.first_line - 1)
        with _field_limit():
            table = with_unread_cells(table, data, delimiter or sniff_delimiter(head), unread)
    return table


def _header_line_text(data: bytes, line: int) -> str:
    r"""Return the text of a line of ``data`` (1-based; ``\n`` breaks), for its separator."""
    at = 0
    for _ in range(line - 1):
        at = data.index(b"\n", at) + 1
    end = data.find(b"\n", at)
    return data[at : len(data) if end < 0 else end].decode("utf-8", "replace")


def _read_filled(
    data: bytes,
    file: str,
    delimiter: str | None,
    engine: Engine,
    needed: Callable[[str], bool],
    read: Callable[[bytes], RawTable],
) -> RawTable | None:
    """Read a file whose records short of their empty last cells are filled first; or None.

    The table :func:`~learnsoc.io._short_rows.fill_short_records` reads, without reading
    the file once before: pyarrow reports each record of too few fields to Python, one at
    a time (1.2 s for a million of Excel's short rows, three times the parse), and that
    first read was only there to find them. Without quotes, a record is a line that is not
    blank and its fields are its separators plus one, as the first read would find them
    (:func:`_arrow_layout`): they are counted here, the short records that lack no needed
    column are filled, and the layout read is checked to be the one the first read and
    the filled read would give. None (read as before) when it is not, and for files where
    pyarrow does not read every line as a record (quotes, totals rows, old Mac line
    breaks, bytes that are not UTF-8, the standard-library engine).
    """
    if engine == "python" or (engine == "auto" and not _has_pyarrow()):
        return None
    header_line, body_start, raw_header = _header_end(data)
    if not raw_header or data.find(b'"', body_start) >= 0 or b"\r" in raw_header:
        return None
    try:
        header_text = raw_header.decode("utf-8")
        delim = delimiter or sniff_delimiter(header_text)
        with _field_limit():
            header = clean_header(next(_csv.reader([header_text], delimiter=delim)), file)
    except (ValueError, _csv.Error, FileFormatError):
        return None  # read as before, which says what is wrong
    n = len(header)
    lines = data.count(b"\n", body_start) + (not data.endswith(b"\n"))
    if len(delim) != 1 or not delim.isascii() or n < 2:
        return None
    separators = data.count(delim.encode(), body_start)
    if separators >= (n - 1) * lines:
        return None  # no line short of a field (or as many long ones): one read, as before
    # Blank lines have no separators, so the count above takes them for short lines: they
    # are counted (one numpy pass), not to look at each line's fields (several passes) in
    # a file with no short line, only to read it as before.
    header_break = np.frombuffer(data, np.uint8)[body_start - 1 :]
    if separators >= (n - 1) * (lines - blank_lines(header_break)):
        return None
    if data.count(b"\r") != data.count(b"\r\n") or search_totals(data) is not None:
        return None
    try:
        codecs.decode(data, "utf-8")
    except UnicodeDecodeError:
        return None
    found = odd_lines(np.frombuffer(data, np.uint8)[body_start:], ord(delim), n)
    fields = found.fields.copy()
    lacks = short_of(header, needed)
    short = np.flatnonzero((fields >= fewest_fields(lacks, n)) & (fields < n))
    if not len(short):
        return None
    first = header_line + 1
    filled, whole = fill_lines(data, found.lines[short] + first, n - fields[short], delim)
    try:
        table = read(filled)
    except FileFormatError:
        return None
    fields[short[whole]] = n
    bad = fields != n
    expected = Layout(
        found.n_records,
        first_line=first,
        lines=None if found.nonblank is None else found.nonblank + first,
        malformed=found.records[bad],
        malformed_fields=fields[bad],
        n_fields=n,
    )
    if table.header != header or not _same_layout(table.layout, expected):
        return None
    table.layout = attrs.evolve(table.layout, short_of=lacks)
    return table


def _same_layout(a: Layout, b: Layout) -> bool:
    """Return whether two layouts are equal, field by field (arrays and texts by value)."""
    for field in attrs.fields(Layout):
        x, y = getattr(a, field.name), getattr(b, field.name)
        if hasattr(x, "tolist") or hasattr(y, "tolist"):
            if x is None or y is None or x.tolist() != y.tolist():
                return False
        elif x != y:
            return False
    return True


def _two_line_header(upper: list[str], lower: list[str], find: TableHeader) -> list[str] | None:
    """Return the names of a header on two lines holding the table's key columns, or None.

    As :func:`~learnsoc.io.headers.two_row_header` decides for a workbook; only when
    the two lines together hold every one of ``find``'s columns (neither does alone:
    the file would not read today).

    >>> find = TableHeader(("Mã NK", "Mã hộ"))
    >>> _two_line_header(["Mã NK", "Thông tin", "", ""], ["", "Họ tên", "Mã hộ", "Tuổi"], find)
    ['Mã NK', 'Họ tên', 'Mã hộ', 'Tuổi']
    >>> _two_line_header(["Mã NK", "Mã hộ"], ["NK01", "H1"], find)
    """
    both = two_row_header(
        [(i, c) for i, c in enumerate(upper, 1)], [(i, c) for i, c in enumerate(lower, 1)]
    )
    if both is None:
        return None
    names = [""] * max(len(upper), len(lower))
    for col, text in both:
        names[col - 1] = text
    return names if find.matches(names) else None


#: The most line breaks a header cell is taken to hold (Alt+Enter in a column's name).
_RECORD_BREAKS = 8


def _record_end(data: bytes, start: int) -> tuple[int, int]:
    r"""Return where the record at ``start`` ends and how many line breaks it holds.

    Its end is its ``\n`` (or the data's end). A header cell typed with Alt+Enter
    (``Tổng số`` + line break + ``hộ``) is written by Excel's CSV export in quotes over
    two lines: the record goes on until its quotes are closed (an even number of ``"``;
    ``""`` inside a cell counts two). A quote left open over more than
    :data:`_RECORD_BREAKS` lines (or :data:`_FORM_LINE_BYTES` bytes) is no header cell
    but a broken line: the record is then its line, for the parsers to name.

    >>> _record_end(b'a;"b\nc";d\ne;f\n', 0)
    (9, 1)
    >>> _record_end(b"a;b\nc;d\n", 0), _record_end(b"a;b", 0)
    ((3, 0), (3, 0))
    >>> _record_end(b'a;"b\n' + b"c;d\n" * 20, 0)
    (4, 0)
    """
    quotes, breaks, pos = 0, 0, start
    while True:
        end = data.find(b"\n", pos)
        if end < 0:
            end = len(data)
        quotes += data.count(b'"', pos, end)
        if quotes % 2 == 0 or end == len(data):
            if quotes % 2 == 0:
                return end, breaks
            break
        if breaks == _RECORD_BREAKS or end - start > _FORM_LINE_BYTES:
            break
        breaks += 1
        pos = end + 1
    line_end = data.find(b"\n", start)
    return (len(data) if line_end < 0 else line_end), 0


def _line_after(data: bytes, start: int) -> tuple[bytes | None, bytes, int]:
    r"""Return the record after the one at ``start``, the data after it, its line breaks.

    The data after it begin with its ``\n``; a record holds line breaks in quoted cells
    (see :func:`_record_end`).

    >>> _line_after(b"a,b\nc,d\ne,f\n", 0)
    (b'c,d', b'\ne,f\n', 0)
    >>> _line_after(b"a,b\nc,d", 0), _line_after(b"a,b", 0)
    ((b'c,d', b'', 0), (None, b'', 0))
    >>> _line_after(b'a,b\nc,"d\ne"\nf,g\n', 0)
    (b'c,"d\ne"', b'\nf,g\n', 1)
    """
    end, _ = _record_end(data, start)
    if end >= len(data):
        return None, b"", 0
    after, breaks = _record_end(data, end + 1)
    return data[end + 1 : after], data[after:], breaks


def _joined_header(
    names: list[str],
    lines: tuple[int, int, int],
    rest: bytes,
    file: str,
    delim: str,
) -> bytes:
    """Return a file's header on two lines as one, on its second line, and warn.

    The column names on two lines under a heading merged across columns, as a workbook's
    (:func:`~learnsoc.io.excel.read_excel`). ``lines`` are the numbers of the header's
    first line, of its second and of the last line of the second (a cell typed with
    Alt+Enter spans two): the lines above that last one are left blank, so that every
    line keeps its number; ``rest`` is the file from the second record's end.
    """
    row, second, last = lines
    # One line each: a name's line break (Alt+Enter) is a space, as clean_header reads it.
    names = [" ".join(n.split()) for n in names]
    msg = Message(
        N_(
            "{file}: the column names are on lines {row} and {second} (a heading "
            "over several columns): read as {names}"
        ),
        file=file,
        row=row,
        second=second,
        names=", ".join(n for n in names if n.strip()),
    )
    warnings.warn(SheetWarning(msg, file=file, sheet="", row=second), stacklevel=6)
    out = io.StringIO()
    _csv.writer(out, delimiter=delim, lineterminator="").writerow(names)
    return b"\n" * (last - 1) + out.getvalue().encode("utf-8") + rest


def _without_title(
    data: bytes,
    file: str,
    delimiter: str | None,
    header_row: int | None,
    find: TableHeader | None,
) -> bytes:
    """Blank the lines above the header row, keeping their line breaks (and numbers).

    Both parsers pass over blank lines above the header, so a title blanked is a title
    not read, and every later line keeps the number a user sees in a text editor.
    """
    if header_row is None and find is None:
        return data
    starts, pos = [0], 0
    limit = header_row if header_row is not None else SHEET_SEARCH_ROWS
    seen = 0  # lines that are not empty, for the search
    while len(starts) <= limit * 4 and pos < len(data):
        end = data.find(b"\n", pos)
        if end < 0:
            break
        pos = end + 1
        starts.append(pos)
    if header_row is not None:
        if header_row < 1 or header_row > len(starts) or starts[header_row - 1] >= len(data):
            msg = Message(
                N_("header_row={row}: the file has no line {row} to read the column names on"),
                row=header_row,
            )
            raise file_error(msg, file=file)
        return b"\n" * (header_row - 1) + data[starts[header_row - 1] :]
    assert find is not None  # noqa: S101 - the early return above
    first = None
    above: tuple[int, int, list[str]] | None = None  # the record before: its lines, cells
    inside = 0  # the end of the last record read: lines before it are in its quoted cells
    for number, start in enumerate(starts, 1):
        if start < inside:
            continue
        end, breaks = _record_end(data, start)
        inside = end
        line = data[start:end].rstrip(b"\r")
        try:
            text = line.decode("utf-8").replace("\r\n", "\n")
        except UnicodeDecodeError:
            return data  # the parsers name the bytes
        if not text.strip(" \t,;|"):
            continue
        seen += 1
        if "\r" in text:
            return data  # old Mac line breaks: lines are not found by "\n" (left as they were)
        try:
            with _field_limit():
                delim = delimiter or sniff_delimiter(text)
                cells = next(_csv.reader([text], delimiter=delim), [])
        except _csv.Error:
            return data  # the parsers name the broken line
        if find.matches(cells):
            # The line below may be the header's second line, as a workbook's header row
            # may have one (read_excel): "Gia đình học tập" over "Số đăng ký | Số đạt".
            lower, rest, lower_breaks = _line_after(data, start)
            cells_below = None if lower is None else _line_cells(lower, delim)
            joined = None if cells_below is None else _two_line_header(cells, cells_below, find)
            if first is not None:
                msg = Message(
                    N_(
                        "{file}: the column names ({columns}) are on line {row}, read as the "
                        "header; the lines above it are a title, not read"
                    ),
                    file=file,
                    columns=", ".join(find.named(cells)),
                    row=number,
                )
                warnings.warn(SheetWarning(msg, file=file, sheet="", row=number), stacklevel=5)
            if joined is not None:
                second = number + breaks + 1
                lines = (number, second, second + lower_breaks)
                return _joined_header(joined, lines, rest, file, delim)
            return data if first is None else b"\n" * (number - 1) + data[start:]
        if above is not None and above[1] == number - 1:
            joined = _two_line_header(above[2], cells, find)
            if joined is not None:
                lines = (above[0], number, number + breaks)
                return _joined_header(joined, lines, data[end:], file, delim)
        above = (number, number + breaks, cells)
        first = number if first is None else first
        if seen >= SHEET_SEARCH_ROWS:
            break
    return data


#: How many lines at the end of a file are looked at for a form's notes and signatures.
_FOOTER_LINES = 50
#: Longer lines are not looked at as a form's rows (a line of millions of fields would
#: cost the standard parser memory before the width checks refuse it).
_FORM_LINE_BYTES = 1 << 16


def _line_cells(line: bytes, delimiter: str | None) -> list[str] | None:
    """Return a line's cells, or None for a line that is not one record of UTF-8 text."""
    if len(line) > _FORM_LINE_BYTES:
        return None  # no form's header, numbers or signatures: left to the parsers
    try:
        text = line.rstrip(b"\r").decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError:
        return None
    if text.count('"') % 2 or "\r" in text:
        return None  # a quoted cell cut at a line break, or old Mac line breaks
    try:
        with _field_limit():
            return next(_csv.reader([text], delimiter=delimiter or sniff_delimiter(text)), [])
    except _csv.Error:
        return None


def _blank_run_pattern(delimiter: str | None) -> re.Pattern[bytes]:
    r"""Return a pattern of a run of lines :func:`_line_cells` reads as blank, each whole.

    A line of spaces and tabs, and of one separator (the one given, else any one of
    :data:`~learnsoc.io.files.DELIMITERS`: sniffed, it is that line's separator), ending
    in ``\n`` or ``\r\n`` (or the end of the data). Each line is matched atomically, so
    a run of millions is matched in one linear pass, never backtracked into.
    """
    kinds = [delimiter] if delimiter else list(DELIMITERS)
    line = b"|".join(rb"[ \t" + re.escape(d.encode()) + rb"]*+" for d in kinds)
    return re.compile(rb"(?>(?:" + line + rb")\r?(?:\n|\Z))++")


#: Bytes a blank line may hold, whatever its separator.
_BLANK_BYTES = b" \t\r\n" + "".join(DELIMITERS).encode()
#: Bytes looked at a time, from the end, for the last that is not blank.
_BLANK_CHUNK = 1 << 20


def _after_blank_run(data: bytes, pos: int, blank: re.Pattern[bytes]) -> int:
    """Return where the blank lines that start at ``pos`` end (``pos`` if it starts none)."""
    found = blank.match(data, pos)
    return pos if found is None else found.end()


def _before_blank_run(data: bytes, lo: int, end: int, blank: re.Pattern[bytes]) -> int:
    r"""Return the end of the last line before the blank lines that end at ``end``.

    ``end`` is where a line ends (its ``\n``, or the end of the data); the result is
    ``end`` when that line is not blank, ``lo`` when every line from ``lo`` is.
    """
    i = end
    while i > lo:  # the last byte that no blank line holds, a chunk at a time
        j = max(lo, i - _BLANK_CHUNK)
        kept = data[j:i].rstrip(_BLANK_BYTES)
        if kept:
            i = j + len(kept)
            break
        i = j
    if i == lo:
        return lo if blank.fullmatch(data, lo, min(end + 1, len(data))) else end
    line_end = data.find(b"\n", i, end)
    if line_end < 0 or not blank.fullmatch(data, line_end + 1, min(end + 1, len(data))):
        return end  # the line at ``end`` holds it, or a line of two separators: not blank
    return line_end


def _without_form_rows(data: bytes, file: str, delimiter: str | None) -> bytes:
    """Blank a form's rows that are no data, keeping their line breaks, and say so.

    As in a workbook (:func:`~learnsoc.io.excel.read_excel`): the row of column numbers
    right under the header (:func:`~learnsoc.io.headers.is_column_numbers`), and the
    notes and signature block that ends the file
    (:func:`~learnsoc.io.headers.is_footer_start`), each with a :class:`SheetWarning`.
    """
    # The header and the line below it (the first lines that are not blank).
    head: list[tuple[int, int, list[str]]] = []  # (start, end, cells)
    # Runs of blank lines are skipped at once: one at a time, 100 MB of them took hours.
    blank = _blank_run_pattern(delimiter)
    pos = 0
    while len(head) < 2 and pos < len(data):
        pos = _after_blank_run(data, pos, blank)
        if pos >= len(data):
            break
        end = data.find(b"\n", pos)
        end = len(data) if end < 0 else end
        cells = _line_cells(data[pos:end], delimiter)
        if cells is None:
            return data
        if any(c.strip() for c in cells):
            head.append((pos, end, cells))
        pos = end + 1
    if len(head) == 2:
        (_, _, names), (start, end, cells) = head
        named = sum(bool(n.strip()) for n in names)
        if is_column_numbers(cells, named):
            number = data.count(b"\n", 0, start) + 1
            msg = Message(
                N_(
                    "{file}: line {row} numbers the columns ({numbers}), it holds no data: not read"
                ),
                file=file,
                row=number,
                numbers=" ".join(c.strip() for c in cells if c.strip()),
            )
            warnings.warn(SheetWarning(msg, file=file, sheet="", row=number), stacklevel=5)
            data = data[:start] + data[end:]
        body = head[1][0]
    else:
        return data
    # The notes and signatures: the longest run of footer rows that ends the file, from
    # its first row that begins a footer.
    tail: list[tuple[int, int, list[str]]] = []
    end = len(data)
    if data.endswith(b"\n"):
        end -= 1
    while len(tail) < _FOOTER_LINES and end > body:
        end = _before_blank_run(data, body, end, blank)
        if end <= body:
            break
        start = data.rfind(b"\n", body, end) + 1 or body
        start = max(start, body)
        cells = _line_cells(data[start:end], delimiter)
        if cells is None:
            break
        if any(c.strip() for c in cells):
            if not is_footer_row(cells):
                break
            tail.append((start, end, cells))
        end = start - 1
    tail.reverse()
    first = next((i for i, (_, _, cells) in enumerate(tail) if is_footer_start(cells)), None)
    if first is None:
        return data
    footer = tail[first:]
    begin = footer[0][0]
    row = data.count(b"\n", 0, begin) + 1
    last = data.count(b"\n", 0, footer[-1][0]) + 1
    said = (
        # One line (a signature alone) is not "lines 9 to 9".
        N_(
            "{file}: the table ends above line {row} ({first!r}): that line is the form's "
            "notes and signatures, not data, and is not read"
        )
        if last == row
        else N_(
            "{file}: the table ends above line {row} ({first!r}): lines {row} to {last} "
            "({count} not empty) are the form's notes and signatures, not data, and are not "
            "read"
        )
    )
    msg = Message(
        said,
        file=file,
        row=row,
        first=_shown(next(c.strip() for c in footer[0][2] if c.strip())),
        last=last,
        count=len(footer),
    )
    warnings.warn(SheetWarning(msg, file=file, sheet="", row=row), stacklevel=5)
    return data[:begin] + b"\n" * data.count(b"\n", begin)


def _read_engine(
    data: bytes,
    file: str,
    delimiter: str | None,
    engine: Engine,
    dictionary: Collection[str] | Callable[[str], bool],
    numbers: Callable[[str], NumberKind | None] | None,
    include: Callable[[str], bool] | None,
    bars: bool | None,
) -> RawTable:
    if engine == "python" or (engine == "auto" and not _has_pyarrow()):
        return _read_python(decode(data, file), file, delimiter, bars, include)
    if engine not in ("auto", "pyarrow"):
        msg = f"unknown CSV engine {engine!r}; expected 'auto', 'pyarrow' or 'python'"
        raise ValueError(msg)
    if not _has_pyarrow():
        raise OptionalDependencyError(
            "pyarrow", "parquet", N_("reading CSV with the pyarrow engine")
        )
    # A totals row (Tổng cộng) is set aside before pyarrow parses (see _mask_totals).
    totals = search_totals(data) is not None
    if bars is False:
        return _read_arrow(data, file, delimiter, dictionary, numbers, include, totals=totals)
    with tqdm_bar(len(data), _label(file), bars, unit="B") as bar:
        # A bar tqdm turned off (stderr not a terminal) is not worth pyarrow's zero-copy read.
        shown = None if getattr(bar, "disable", False) else _Shown(bar)
        try:
            return _read_arrow(
                data, file, delimiter, dictionary, numbers, include, shown, totals=totals
            )
        finally:
            if shown is not None:
                shown.to(len(data))  # the bar ends full, also when the exact engine took over


# -- lines of too many fields -------------------------------------------------------------


def _cut_wide_lines(data: bytes, delimiter: str | None) -> tuple[bytes, list[tuple[int, int]]]:
    """Remove the lines of more than MAX_COLUMNS fields; return the bytes and (line, fields).

    Such a line (a run of commas an export left, a binary file) is a malformed record
    whichever parser reads it, but parsing it costs tens of bytes per field: 15 million
    commas took 330 MiB to 2 GiB. Here it costs a count of its separators. Lines are
    found without parsing the file: a line of more than MAX_COLUMNS fields is at least
    MAX_COLUMNS bytes long, so it covers a whole block of half that without a line
    break, and only such blocks are looked at (a clean file has none). Its fields are its
    separators plus one when it holds no quote; with quotes it is read alone (quoted
    separators do not count). Its bytes are removed but its line break kept, so both
    parsers read the other lines, with their line numbers, exactly as before.

    Left to the parsers (as before): a line that leaves a quote open, that may be inside
    a quoted cell (an odd number of quotes before it), that may be a totals row, or that
    is not UTF-8; and any line of a file with old Mac line breaks.
    """
    limit = limits.MAX_COLUMNS
    header_line, start, raw = _header_end(data)
    if not raw or len(data) - start < limit:
        return data, []
    delim = (delimiter or sniff_delimiter(raw.decode("utf-8", errors="replace"))).encode()
    found: list[tuple[int, int, int, int]] = []  # (begin, end, line, fields)
    at, line, seen, quotes = start, header_line + 1, start, 0
    block = max(1, limit // 2)
    mac: bool | None = None
    for lo in range(start - start % block + block, len(data) - block + 1, block):
        if lo < seen or data.find(b"\n", lo, lo + block) >= 0:
            continue
        if mac is None:
            mac = data.count(b"\r") != data.count(b"\r\n")
            if mac:
                return data, []  # old Mac line breaks: lines are not counted by "\n" alone
        begin = data.rfind(b"\n", start, lo) + 1 or start
        end = data.find(b"\n", lo)
        end = len(data) if end < 0 else end
        end -= data.endswith(b"\r", begin, end)
        line += data.count(b"\n", at, begin)
        quotes += data.count(b'"', at, begin)
        at, seen = begin, end
        fields = 0 if quotes % 2 else _wide_fields(data, begin, end, delim)
        if fields > limit:
            found.append((begin, end, line, fields))
    if not found:
        return data, []
    pieces, last = [], 0
    for begin, end, _, _ in found:
        pieces.append(data[last:begin])
        last = end
    pieces.append(data[last:])
    return b"".join(pieces), [(line, n) for _, _, line, n in found]


def _unix_breaks(data: bytes) -> bytes:
    r"""Return a file whose every line break is a lone ``\r`` (old Mac) with ``\n`` ones.

    Such a file went to the exact engine, 8 times pyarrow's time (58 s for a million
    rows); with ``\n`` it reads line for line the same, every line keeping its number,
    for one copy of its bytes. A line break inside a quoted cell reads as ``\n``. A
    file that mixes ``\r`` and ``\n`` breaks is left as it is (the exact engine).

    Examples
    --------
    >>> _unix_breaks(b"a,b\r1,2\r"), _unix_breaks(b"a,b\r\n1,2\r3,4\n")
    (b'a,b\n1,2\n', b'a,b\r\n1,2\r3,4\n')
    """
    if data.find(b"\n") >= 0 or data.find(b"\r") < 0:
        return data
    return data.replace(b"\r", b"\n")


def _cut_repeated_header(data: bytes, delimiter: str | None) -> tuple[bytes, list[int], list[str]]:
    r"""Remove the lines that repeat the header line; return the bytes, their lines, texts.

    Each line's text is as written (its own spaces, capitals, quotes, byte-order mark),
    cut to :data:`~learnsoc.limits.MAX_SHOWN_CHARS`: the rejects show the line found
    there, not the first header, which may be written otherwise.

    A line repeats the header when its cells, read as the header's are (a byte-order
    mark at its start aside), name the same columns: :func:`clean_header`'s names, matched
    without case as a mapping's are (:func:`~learnsoc.io.mapping.loose_name`). Only
    lines that begin like the header's first name are read (see
    :mod:`learnsoc.io._repeated_header`), so a file without one costs no copy. As in
    :func:`_cut_wide_lines`, a line's bytes go and its line break stays: both parsers
    read a blank line there, and the other lines keep their numbers. Left to the
    parsers (as before): a file with quotes elsewhere than in such lines (the line may
    be inside a quoted cell) or old Mac line breaks (lines are not counted by ``\n``
    there).
    """
    header_line, start, raw = _header_end(data)
    if not raw:
        return data, [], []
    try:
        delim = delimiter or sniff_delimiter(raw.decode("utf-8"))
        header = _header_cells(raw, delim)
    except (UnicodeDecodeError, _csv.Error, FileFormatError):
        return data, [], []
    if header is None:
        return data, [], []
    names = [loose_name(name) for name in header]

    def names_header(line: bytes) -> bool:
        try:
            cells = _header_cells(line, delim)
        except (UnicodeDecodeError, _csv.Error, FileFormatError):
            return False  # two cells of one name, bytes not UTF-8: not a header
        return cells is not None and [loose_name(name) for name in cells] == names

    first = first_name_pattern(header[0])
    spans, lines = header_lines(data, start, header_line + 1, first, names_header)
    quoted = [data.count(b'"', begin, end) for begin, end in spans]
    if not spans or data.count(b'"', start) != sum(quoted) or any(q % 2 for q in quoted):
        return data, [], []
    if data.count(b"\r") != data.count(b"\r\n"):
        return data, [], []
    pieces, last = [], 0
    for begin, end in spans:
        pieces.append(data[last:begin])
        last = end
    pieces.append(data[last:])
    texts = [_shown(data[begin:end].decode("utf-8", "replace")) for begin, end in spans]
    return b"".join(pieces), lines, texts


def _header_cells(line: bytes, delim: str) -> tuple[str, ...] | None:
    """Return a header line's names as :func:`clean_header` makes them; None for no line."""
    text = strip_bom(line).decode("utf-8")
    if len(delim) != 1:
        return None
    with _field_limit():
        cells = next(_csv.reader([text], delimiter=delim), None)
    return None if cells is None else clean_header(cells, "")


def _with_repeated(layout: Layout, lines: list[int], texts: list[str]) -> Layout:
    """Put the lines :func:`_cut_repeated_header` took out back in a layout, named so."""
    layout = _with_wide(layout, [(line, layout.n_fields) for line in lines])
    at = layout.line_of(np.arange(layout.n_records, dtype=np.int64))
    records = np.searchsorted(at, np.array(lines, np.int64)).astype(np.int64)
    return attrs.evolve(layout, repeated=records, repeated_text=texts)


def _wide_fields(data: bytes, begin: int, end: int, delim: bytes) -> int:
    """Return the fields of a line read alone, or 0 to leave it to the parsers."""
    n = data.count(delim, begin, end) + 1
    if n <= limits.MAX_COLUMNS or _may_be_totals(data, begin, end):
        return 0
    raw = data[begin:end]
    if not raw.isascii():
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return 0  # the parsers name the bad bytes
    if b'"' not in raw:
        return n
    fields = _read_alone(raw.decode("utf-8"), delim.decode())
    return 0 if fields is None else len(fields)


def _may_be_totals(data: bytes, begin: int, end: int) -> bool:
    """Return whether a line may be a totals row (every label has a "t" or a "c")."""
    if all(data.find(letter, begin, end) < 0 for letter in (b"t", b"T", b"c", b"C")):
        return False
    return search_totals(data, begin, end) is not None


def _with_wide(layout: Layout, wide: list[tuple[int, int]]) -> Layout:
    """Put the lines :func:`_cut_wide_lines` took out back in a layout, as malformed records."""
    old = layout.line_of(np.arange(layout.n_records, dtype=np.int64))
    cut = np.array([line for line, _ in wide], np.int64)
    moved = np.arange(len(old), dtype=np.int64) + np.searchsorted(cut, old)
    added = np.searchsorted(old, cut).astype(np.int64) + np.arange(len(cut), dtype=np.int64)
    n = len(old) + len(cut)
    lines = np.empty(n, np.int64)
    lines[moved], lines[added] = old, cut
    malformed = np.concatenate([moved[layout.malformed], added])
    fields = np.concatenate([layout.malformed_fields, np.array([f for _, f in wide], np.int64)])
    order = np.argsort(malformed, kind="stable")
    regular = bool(np.array_equal(lines, np.arange(n) + layout.first_line))
    return attrs.evolve(
        layout,
        n_records=n,
        lines=None if regular else lines,
        malformed=malformed[order],
        malformed_fields=fields[order],
        unclosed=moved[layout.unclosed],
        totals=moved[layout.totals],
        skipped=moved[layout.skipped],
        repeated=moved[layout.repeated],
    )


#: A totals line blanked for pyarrow: its line, number of fields, label and cells.
_Marked = tuple[int, int, str, tuple[str, ...]]


def _has_pyarrow() -> bool:
    try:
        import pyarrow.csv  # noqa: F401
    except ImportError:
        return False
    return True


def _empty(file: str) -> FileFormatError:
    msg = Message(N_("the file is empty: a header line naming the columns is needed"))
    return file_error(msg, file=file, line=1)


# -- progress -----------------------------------------------------------------------------

#: Bytes pyarrow parses at a time (a block per thread): the bar moves once per block.
_BLOCK_BYTES = 1 << 24


def _arrow_csv(read: Callable[[Callable[[Any], str]], Any], invalid: list[int]) -> Any:
    """Return ``read(on_invalid)``, collecting the invalid records' field counts in ``invalid``.

    ``read`` parses in the calling thread (pyarrow's ``use_threads=False``), for two reasons:

    - pyarrow reports each invalid record (a row Excel left short of its empty last cells)
      to Python; from one of its threads each report waited for the GIL: 8 s per million
      such rows, against 0.6 s in the calling thread;
    - a parse that stops on an error (a cell that is not a number, a quote left open)
      left pyarrow's threads at work on the blocks after it, and the test suite died of a
      segmentation fault in such a thread, with no Python frame, in about one full run in
      ten (during the CSV tests; it was never reproduced alone).

    The threads gained little: a 57 MB file of a million persons parsed in 0.58-0.81 s
    with them and 0.74-0.75 s without, on two cores.
    """

    def on_invalid(row: Any) -> str:
        invalid.append(int(row.actual_columns))
        return "skip"

    invalid.clear()
    return read(on_invalid)


#: Records between two updates of the standard-library engine's bar (off the per-row path).
_LINES_SHOWN = 65_536


class _Shown:
    """Move a bar to a position (bytes or lines), never back.

    A second parse of the same bytes (numbers, then text) does not count them twice, and
    the steps add up to the end.
    """

    def __init__(self, bar: Any) -> None:
        self.bar = bar
        self.at = 0

    def to(self, at: int) -> None:
        if at > self.at:
            self.bar.update(at - self.at)
            self.at = at


def _label(file: str) -> str:
    """Label a bar with the file's name, without its folder (bars are short)."""
    return os.path.basename(file) or file


def _n_lines(text: str) -> int:
    """Count lines as :mod:`csv` and ``readline(newline="")`` do (LF, CRLF or CR alone)."""
    breaks = text.count("\n") + text.count("\r") - text.count("\r\n")
    return breaks + (not text.endswith(("\n", "\r")) if text else 0)


class _Watched:
    """A file over bytes in memory that moves a bar as pyarrow reads it, block by block.

    Only with a bar: without one pyarrow reads the buffer itself (zero copy, no Python).
    """

    closed = False

    def __init__(self, data: memoryview, start: int, shown: _Shown) -> None:
        self.data, self.start, self.pos, self.shown = data, start, 0, shown

    def read(self, n: int = -1) -> memoryview:
        end = len(self.data) if n is None or n < 0 else min(self.pos + n, len(self.data))
        out = self.data[self.pos : end]
        self.pos = end
        self.shown.to(self.start + end)
        return out

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def tell(self) -> int:
        return self.pos

    def close(self) -> None:
        return None


# -- the standard-library engine --------------------------------------------------------


class _UnclosedQuoteError(Exception):
    """A quote stayed open too long: the record's first line is taken alone."""


#: A line as :class:`io.StringIO` with ``newline=""`` reads one: up to and with its break,
#: ``\n``, ``\r\n`` or a lone ``\r`` (a file mixing them is read by this engine).
_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)?")


class _Lines:
    """Hand :mod:`csv` one line at a time, and stop a quote that stays open too long.

    ``done`` counts the lines of finished records; the reader pulls the next record's
    lines through ``__next__``. A record that asks for a line past the end of the file
    or for more than :data:`~learnsoc.limits.MAX_QUOTED_LINE_BREAKS` line breaks raises
    :class:`_UnclosedQuoteError`; :meth:`restart` then goes back to the line after its first.

    Lines are cut from the text as they are asked for: an :class:`io.StringIO` of it held
    the text again at four bytes a character, most of the engine's peak (6.2 times an
    ASCII file's size, 3.2 now).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.lone_cr = "\r" in text  # else every break is found with str.find
        self.done = self.pulled = 0
        self.at = 0  # where the next line starts (no newline translation: in characters)
        self.resume = 0  # where the line after the current record's first line starts
        self.record: list[str] = []  # the current record's lines

    def __iter__(self) -> _Lines:
        return self

    def readline(self) -> str:
        """Return the line that starts at ``at`` ("" at the end), its break kept."""
        if self.lone_cr:
            match = _LINE.match(self.text, self.at)
            end = match.end() if match is not None else self.at
        else:
            found = self.text.find("\n", self.at)
            end = len(self.text) if found < 0 else found + 1
        return self.text[self.at : end]

    def lines(self) -> Iterator[str]:
        """Yield the lines from ``at`` on, for a text whose every record is one line."""
        while line := self.readline():
            self.at += len(line)
            yield line

    def __next__(self) -> str:
        line = self.readline()
        if self.pulled == self.done:
            if not line:
                raise StopIteration
            self.record = [line]
            self.resume = self.at + len(line)
        elif not line or self.pulled - self.done > limits.MAX_QUOTED_LINE_BREAKS:
            raise _UnclosedQuoteError
        else:
            self.record.append(line)
        self.pulled += 1
        self.at += len(line)
        return line

    def finish(self) -> tuple[int, int]:
        """Close the current record: return its first line and its number of lines."""
        first, n = self.done + 1, self.pulled - self.done
        self.done = self.pulled
        return first, n

    def restart(self) -> int:
        """Take the current record's first line alone; return its line number."""
        self.at = self.resume
        self.done = self.pulled = self.done + 1
        return self.done


def _csv_problem(exc: _csv.Error) -> Message:
    """Return the message of an error of Python's csv module, translated when it is known."""
    text = str(exc)
    limit = re.fullmatch(r"field larger than field limit \((\d+)\)", text)
    if limit:
        return Message(N_("field larger than field limit ({limit})"), limit=limit[1])
    # Other messages of the csv module (none is known to be reachable) stay in its words.
    return Message("{detail}", detail=text)


def _shown(line: str) -> str:
    text = line.rstrip("\r\n")
    cut = limits.MAX_SHOWN_CHARS
    return text if len(text) <= cut else text[: cut - 1] + "\u2026"


def _read_python(
    text: str,
    file: str,
    delimiter: str | None,
    bars: bool | None = False,
    include: Callable[[str], bool] | None = None,
) -> RawTable:
    first = _first_line(text)
    if first is None:
        raise _empty(file)
    delim = delimiter or sniff_delimiter(first)
    total = _n_lines(text) if bars is not False else None
    with _field_limit(), tqdm_bar(total, _label(file), bars, unit="lines") as bar:
        # No bar to show (off, tqdm missing or stderr not a terminal): no check per record.
        shown = None if getattr(bar, "disable", False) else _Shown(bar)
        header, header_line, records = _python_records(text, file, delim, shown, include)
        if shown is not None:
            shown.to(total or 0)
    batches, lines, bad, bad_fields, unclosed, unclosed_text, totals, totals_text, cells = records
    n = len(header)
    regular = all(line == header_line + 1 + i for i, line in enumerate(lines))
    layout = Layout(
        n_records=len(lines),
        first_line=header_line + 1,
        lines=None if regular else lines,
        malformed=bad,
        malformed_fields=bad_fields,
        n_fields=n,
        unclosed=unclosed,
        unclosed_text=unclosed_text,
        totals=totals,
        totals_text=totals_text,
        totals_cells=cells,
    )
    return RawTable(file, header, batches, layout)


#: Records the standard-library engine keeps as Python lists before making them arrays: a
#: list of strings costs about eight times the text (1,000,000 persons of a 22 MB file
#: took 580 MiB as lists, a quarter of that as arrays made batch by batch).
_BATCH_ROWS = 16_384

#: Cells the standard-library engine keeps as lists at most: a wide file (16,384 columns)
#: makes a batch every 64 records, not every 16,384 (2 GiB of lists for 82 MB of commas).
_BATCH_CELLS = 1 << 20


def _batch(header: tuple[str, ...], rows: list[list[str]]) -> dict[str, Any]:
    """Return records as text columns (a long cell does not widen its column: text_cells)."""
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(header)
    return {h: text_cells(col) for h, col in zip(header, columns, strict=True)}


_Records = tuple[
    list[dict[str, Any]],
    list[int],
    list[int],
    list[int],
    list[int],
    list[str],
    list[int],
    list[str],
    list[tuple[str, ...]],
]


def _python_records(
    text: str,
    file: str,
    delim: str,
    shown: _Shown | None = None,
    include: Callable[[str], bool] | None = None,
) -> tuple[tuple[str, ...], int, _Records]:
    """Parse every record; return the header, its line, and the records (see the module docs).

    ``shown`` is moved to the line reached every :data:`_LINES_SHOWN` records.
    """
    feed = _Lines(text)
    quoted = '"' in text
    header: tuple[str, ...] | None = None
    kept: tuple[str, ...] = ()  # the header's columns to read
    at: list[int] = []  # and where they are
    every = True
    header_line = 1
    batch_rows = _BATCH_ROWS
    rows: list[list[str]] = []  # the good records not yet in a batch
    batches: list[dict[str, Any]] = []
    lines: list[int] = []
    bad: list[int] = []
    bad_fields: list[int] = []
    unclosed: list[int] = []
    unclosed_text: list[str] = []
    totals: list[int] = []  # among the bad records, totals rows (Tổng cộng), with their word
    totals_text: list[str] = []
    totals_cells: list[tuple[str, ...]] = []
    while True:
        # Without quotes every record is one line: the reader may take the lines itself.
        reader = _csv.reader(feed if quoted else feed.lines(), delimiter=delim, strict=False)
        try:
            for row in reader:
                line, span = feed.finish() if quoted else (reader.line_num, 1)
                if not row:
                    continue
                if header is None:
                    _check_width(len(row), file, line)
                    header, header_line = clean_header(row, file, line), line
                    batch_rows = max(1, min(_BATCH_ROWS, _BATCH_CELLS // len(header)))
                    # Only the columns to read are kept (as the pyarrow engine does): the
                    # cells of the others would be Python strings until their batch is made.
                    at = [i for i, h in enumerate(header) if include is None or include(h)]
                    kept = tuple(header[i] for i in at)
                    every = len(at) == len(header)
                    continue
                if span > 1 and _swallowed(feed.record, delim, len(header), len(row)):
                    feed.done, feed.pulled = line - 1, line - 1 + span
                    raise _UnclosedQuoteError
                label = next((cell for cell in row if is_totals_label(cell)), None)
                if label is not None or len(row) != len(header):
                    if label is not None:
                        totals.append(len(lines))
                        totals_text.append(label.strip())
                        totals_cells.append(tuple(row))
                    bad.append(len(lines))
                    bad_fields.append(len(row))
                else:
                    rows.append(row if every else [row[i] for i in at])
                    if len(rows) >= batch_rows:
                        batches.append(_batch(kept, rows))
                        rows = []
                lines.append(line)
                if shown is not None and not len(lines) % _LINES_SHOWN:
                    shown.to(line)
            break
        except (_UnclosedQuoteError, _csv.Error) as exc:
            if isinstance(exc, _csv.Error) and (not quoted or feed.pulled - feed.done <= 1):
                line = feed.done + 1 if quoted else reader.line_num
                raise file_error(_csv_problem(exc), file=file, line=line) from None
            # A quote left open (or a cell grown past the field limit across lines): the
            # record's first line is set aside alone, and reading goes on after it.
            line = feed.restart()
            if header is None:
                msg = Message(N_("a quote opened in the header line is never closed"))
                raise file_error(msg, file=file, line=line) from None
            bad.append(len(lines))
            bad_fields.append(0)
            unclosed.append(len(lines))
            unclosed_text.append(_shown(feed.record[0]))
            lines.append(line)
    if header is None:
        raise _empty(file)
    if rows or not batches:
        batches.append(_batch(kept, rows))
    return (
        header,
        header_line,
        (
            batches,
            lines,
            bad,
            bad_fields,
            unclosed,
            unclosed_text,
            totals,
            totals_text,
            totals_cells,
        ),
    )


def _swallowed(record: list[str], delim: str, n_fields: int, n_read: int) -> bool:
    """Return whether a record across lines is a quote opened by mistake.

    It is when it has the wrong number of fields; when the quote that closes it is
    followed by text (see :func:`_closes_properly`); or, in a file of several columns,
    when its first line with the quotes taken as plain characters is a record of its own
    (the header's number of fields), and so are most of its later lines that are not
    blank, each read alone (with a first cell of the same kind: see :func:`_id_kind`): a
    stray quote in a name then swallowed the next persons, up to the next stray quote. A
    real multi-line cell (an address, a note) has lines of text, not records, and closes
    with a quote before a separator or the line's end.
    """
    if n_read != n_fields or not _closes_properly(record[-1], delim):
        return True
    if n_fields < 2:
        return False
    with _field_limit():
        literal = next(_csv.reader([record[0]], delimiter=delim, quoting=_csv.QUOTE_NONE))
    if len(literal) != n_fields:
        return False
    later = [line for line in record[1:] if line.strip("\r\n")]
    kind = _id_kind(literal[0])
    records = 0
    for line in later:
        fields = _read_alone(line, delim) or []
        records += len(fields) == n_fields and _id_kind(fields[0]) == kind
    return 2 * records > len(later)


def _id_kind(cell: str) -> tuple[bool, bool, bool]:
    """Return what a first cell is made of (digits only, letters, spaces).

    Records begin with an id like the record before; a line of an address or a note
    ("Phường 2, Quận 3, Hà Nội") does not, even with the right number of separators.
    """
    text = cell.strip()
    return text.isdigit(), any(c.isalpha() for c in text), " " in text


def _closes_properly(line: str, delim: str) -> bool:
    """Return whether the last line of a record across lines closes its quote as CSV does.

    Up to the closing quote the line is the rest of the quoted cell, where a quote is
    doubled; the closing quote is followed by a separator or the end of the line. A
    stray quote that happens to close a quote left open is usually followed by text.
    """
    at = 0
    while (at := line.find('"', at)) >= 0 and line.startswith('""', at):
        at += 2
    return at < 0 or line[at + 1 : at + 2] in ("", delim, "\r", "\n")


def _read_alone(line: str, delim: str) -> list[str] | None:
    """Return the fields of one line read alone, or None if it leaves a quote open."""
    feed = _Lines(line)
    rows: list[list[str]] = []
    try:
        with _field_limit():
            for row in _csv.reader(feed, delimiter=delim, strict=False):
                feed.finish()
                rows.append(row)
    except _UnclosedQuoteError:
        return None
    return rows[0] if rows else []


def _first_line(text: str) -> str | None:
    """Return the first line that is not blank, or None."""
    found = re.search(r"[^\r\n]", text)
    if found is None:
        return None
    end = re.compile(r"[\r\n]").search(text, found.start())
    return text[found.start() : end.start() if end else len(text)]


def _check_header_width(data: bytes, file: str, delimiter: str | None) -> None:
    """Refuse a header of more than MAX_COLUMNS columns before any parser sees the file.

    (pyarrow's parser aborts the process on a header of a million columns.)
    """
    line, _, raw = _header_end(data)
    seps = [delimiter] if delimiter else list(DELIMITERS)
    if max(raw.count(d.encode()) for d in seps) < limits.MAX_COLUMNS:
        return  # the common case, without parsing
    text = raw.decode("utf-8", errors="replace")
    delim = delimiter or sniff_delimiter(text)
    with _field_limit():
        # Read as a file, not as one line: a file of old Mac line breaks (``\r`` only) is
        # one "line" here, which the csv module refuses to read as one record.
        records = _csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=False)
        names = next(records, [])
    _check_width(len(names), file, line)


def _plain_header(data: bytes, file: str, delimiter: str | None) -> tuple[str, ...] | None:
    """Return the header's names as both engines make them, without parsing the body.

    None when only the parser can tell (a quoted name running over a line break, old
    Mac line breaks) or when the parser refuses the header: it then says why, as before.
    """
    line, _, raw = _header_end(data)
    try:
        text = raw.decode("utf-8")
        delim = delimiter or sniff_delimiter(text)
        if not raw or "\r" in text or ('"' in text and _opens_quote(text, delim)):
            return None
        with _field_limit():
            cells = next(_csv.reader([text], delimiter=delim), None)
        return None if cells is None else clean_header(cells, file, line)
    except (UnicodeDecodeError, _csv.Error, FileFormatError, ValueError):
        return None


def _check_width(n: int, file: str, line: int) -> None:
    if n > limits.MAX_COLUMNS:
        msg = Message(
            N_(
                "the header has {n:,} columns; learnsoc reads at most {limit:,} "
                "(learnsoc.limits.MAX_COLUMNS, Excel's limit): check the separator, or split "
                "the file"
            ),
            n=n,
            limit=limits.MAX_COLUMNS,
        )
        raise file_error(msg, file=file, line=line)


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
    shown: _Shown | None = None,
    *,
    totals: bool = False,
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
    delim = delimiter or sniff_delimiter(header_text)
    if "\r" in header_text or ('"' in header_text and _opens_quote(header_text, delim)):
        # Old Mac line breaks, or a header whose quoted name runs over a line break.
        return _read_python(decode(data, file), file, delimiter, include=include)
    with _field_limit():
        header = clean_header(next(_csv.reader([header_text], delimiter=delim)), file, header_line)
    names = [f"c{i}" for i in range(len(header))]
    hint = dictionary if callable(dictionary) else set(dictionary).__contains__
    types = {
        c: pa.dictionary(pa.int32(), pa.string()) if hint(h) else pa.string()
        for c, h in zip(names, header, strict=True)
    }
    # Before pyarrow parses: it decodes each record it reports invalid (a short row) as
    # UTF-8 before the handler sees it, and bytes that are not UTF-8 there made it print
    # "Exception ignored in: on_invalid ... UnicodeDecodeError" to stderr.
    check_utf8(data, file)
    invalid: list[int] = []
    body = pa.py_buffer(data)[body_start:]
    view = memoryview(data)[body_start:]
    if not _has_content(data, body_start):
        batch = {h: np.zeros(0, "<U1") for h in header}
        layout = Layout(0, first_line=header_line + 1, n_fields=len(header))
        return RawTable(file, header, [batch], layout)
    has_quotes = data.find(b'"', body_start) >= 0
    original = data
    marked: list[_Marked] = []
    if totals:
        if has_quotes or len(header) < 2:
            # A totals line inside quotes, or a line of blanks that is a record of one
            # column: only the exact engine can tell.
            return _read_python(decode(data, file), file, delimiter, include=include)
        data, marked = _mask_totals(data, body_start, delim)
        body = pa.py_buffer(data)[body_start:]
        view = memoryview(data)[body_start:]

    def parse(column_types: dict[str, Any]) -> Any:
        return _arrow_csv(lambda on_invalid: parse_with(column_types, on_invalid), invalid)

    def parse_with(column_types: dict[str, Any], on_invalid: Callable[[Any], str]) -> Any:
        source = pa.BufferReader(body) if shown is None else _Watched(view, body_start, shown)
        return pacsv.read_csv(
            source,
            read_options=pacsv.ReadOptions(
                column_names=names, block_size=_BLOCK_BYTES, use_threads=False
            ),
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
    if _has_hex_prefix(data, body_start):
        # pyarrow reads "0x10" as the integer 16: such a cell must be not_a_number.
        typed = {c: t for c, t in typed.items() if t == pa.float64()}
    table = None
    if typed:
        try:
            table = parse({**types, **typed})
        except pa.ArrowInvalid:
            table = None  # a cell that is not a plain number: read every cell as text
        if table is not None and not _finite(table, [c for c in typed if c in kept]):
            table = None  # "inf", "nan", "Infinity": not numbers to learnsoc
    try:
        if table is None:
            table = parse(types)
    except pa.ArrowInvalid as exc:
        if "UTF8" in str(exc) or "utf8" in str(exc).lower():
            check_utf8(original, file)
        if has_quotes and not marked:
            # A quote left open makes pyarrow read the rest of the file as one cell, which
            # it refuses past a block (16 MiB): the windows read such a file as a smaller
            # one (the exact engine on the whole file took 7 times the time, twice the
            # memory).
            windows = _Windows(original, body_start, header_line, raw_header, delim, header)
            windowed = windows.read(file, names, types, kept)
            if windowed is not None:
                return windowed
        # Anything else pyarrow refuses, the exact engine reads or explains with a line.
        return _read_python(decode(original, file), file, delimiter, include=include)
    found = _arrow_layout(
        data, body_start, header_line, table.num_rows, invalid, has_quotes, delim, len(header)
    )
    if found is None or (has_quotes and _last_line_opens_quote(data, body_start, delim)):
        # Records across lines, or a quote open at the end of the file: the exact engine
        # sets such lines aside (see the module docs), on the lines around them only.
        del table  # its cells, read wrong, are not needed while the file is read again
        if has_quotes and not marked:
            windows = _Windows(original, body_start, header_line, raw_header, delim, header)
            windowed = windows.read(file, names, types, kept)
            if windowed is not None:
                return windowed
        return _read_python(decode(original, file), file, delimiter, include=include)
    if marked:
        found = _with_totals(found, marked)
    chosen = set(kept)
    batch = {h: table.column(c) for c, h in zip(names, header, strict=True) if c in chosen}
    written = _Written(original, found, header, delim) if typed else None
    return RawTable(file, header, [batch], found, written=written)


#: Lines that may hold a quote, among all lines, above which the lines that leave a quote
#: open are found with :func:`~learnsoc.io._open_quotes.open_quote_lines` (looking at each
#: such line alone, in Python, would cost as much as the exact engine's time).
_QUOTED_SHARE = 8


class _Windows:
    """Read a file whose quotes open records across lines, the exact engine near them only.

    The exact engine takes a line that leaves a quote open (read alone) with at most
    :data:`~learnsoc.limits.MAX_QUOTED_LINE_BREAKS` more lines, and sets aside its first
    line or keeps the record; either way, from the first line after all that, a line that
    closes its quotes is a record of its own. So the exact engine reads windows from each
    such line to a few lines past that reach, and pyarrow the lines between: the records,
    lines and rejects are those of the exact engine on the whole file. A stretch pyarrow
    cannot place line by line goes to the exact engine too.
    """

    def __init__(
        self,
        data: bytes,
        body_start: int,
        header_line: int,
        raw_header: bytes,
        delim: str,
        header: tuple[str, ...],
    ) -> None:
        self.data, self.body_start, self.header_line = data, body_start, header_line
        self.raw_header, self.delim, self.header = raw_header, delim, header

    def windows(self) -> tuple[NDArray[np.int64], list[tuple[int, int]]] | None:
        """Return the body's line starts and the windows of lines for the exact engine."""
        if self.data.count(b"\r") != self.data.count(b"\r\n"):
            return None  # a carriage return alone ends a line too: lines are not "\n" apart
        buf = np.frombuffer(self.data, np.uint8)[self.body_start :]
        starts = np.concatenate([[0], np.flatnonzero(buf == 10) + 1]).astype(np.int64)
        if starts[-1] == len(buf):
            starts = starts[:-1]
        quoted = np.unique(np.searchsorted(starts, np.flatnonzero(buf == 34), side="right") - 1)
        bounds = np.append(starts, len(buf)) + self.body_start
        if len(quoted) * _QUOTED_SHARE > len(starts):
            # Most lines hold quotes (a quoted name on each): the lines that may leave one
            # open are found at C speed, and only those are read alone below. The exact
            # engine on the whole file took 13 times the file's size and 40 s for 2
            # million lines; this, 1.3 µs a line.
            if len(self.delim) != 1 or not self.delim.isascii():
                return None
            found = open_quote_lines(self.data, self.body_start, self.delim)
            quoted = np.searchsorted(bounds, np.array(found, np.int64), side="right") - 1
        opens = []
        for k in quoted.tolist():
            try:
                line = self.data[bounds[k] : bounds[k + 1]].decode("utf-8")
            except UnicodeDecodeError:
                return None  # the exact engine names the bad bytes
            if _opens_quote(line, self.delim):
                opens.append(k)
        if not opens:
            return None
        reach = limits.MAX_QUOTED_LINE_BREAKS + 3
        merged: list[tuple[int, int]] = []
        for k in opens:
            if merged and k <= merged[-1][1]:
                merged[-1] = (merged[-1][0], min(len(starts), k + reach))
            else:
                merged.append((k, min(len(starts), k + reach)))
        return bounds, merged

    def read(
        self, file: str, names: list[str], types: dict[str, Any], kept: list[str]
    ) -> RawTable | None:
        """Read the file window by window, or None to leave it to the exact engine whole."""
        found = self.windows()
        if found is None:
            return None
        bounds, merged = found
        parts: list[tuple[int, int, bool]] = []
        at = 0
        for a, b in merged:
            parts += [(at, a, False), (a, b, True)]
            at = b
        parts.append((at, len(bounds) - 1, False))
        batches: list[Any] = []
        pieces: list[Layout] = []
        for a, b, exact in parts:
            if a == b or _CONTENT.search(self.data, bounds[a], bounds[b]) is None:
                continue
            read = None if exact else self._fast(bounds, a, b, file, names, types, kept)
            if read is None:
                try:
                    read = self._exact(bounds, a, b, file)
                except (FileFormatError, UnicodeDecodeError):
                    # The exact engine on the whole file names the line (bytes that are
                    # not UTF-8 too, when pyarrow refused the file before checking them).
                    return None
            batches += read[0]
            pieces.append(read[1])
        return RawTable(file, self.header, batches, self._joined(pieces))

    def _fast(
        self,
        bounds: NDArray[np.int64],
        a: int,
        b: int,
        file: str,
        names: list[str],
        types: dict[str, Any],
        kept: list[str],
    ) -> tuple[list[Any], Layout] | None:
        import pyarrow as pa
        import pyarrow.csv as pacsv

        part = self.data[bounds[a] : bounds[b]]
        invalid: list[int] = []

        def read(on_invalid: Callable[[Any], str]) -> Any:
            return pacsv.read_csv(
                pa.BufferReader(pa.py_buffer(part)),
                read_options=pacsv.ReadOptions(
                    column_names=names, block_size=_BLOCK_BYTES, use_threads=False
                ),
                parse_options=pacsv.ParseOptions(
                    delimiter=self.delim, newlines_in_values=True, invalid_row_handler=on_invalid
                ),
                convert_options=pacsv.ConvertOptions(
                    include_columns=kept,
                    column_types=types,
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )

        try:
            table = _arrow_csv(read, invalid)
        except pa.ArrowInvalid:
            return None
        first = self.header_line + a  # the line before the part, as a header would be
        has_quotes = b'"' in part
        layout = _arrow_layout(
            part, 0, first, table.num_rows, invalid, has_quotes, self.delim, len(self.header)
        )
        if layout is None or (has_quotes and _last_line_opens_quote(part, 0, self.delim)):
            return None
        chosen = set(kept)
        batch = {h: table.column(c) for c, h in zip(names, self.header, strict=True) if c in chosen}
        return [batch], layout

    def _exact(
        self, bounds: NDArray[np.int64], a: int, b: int, file: str
    ) -> tuple[list[Any], Layout]:
        """Read lines a to b with the exact engine, as after the header."""
        head = self.raw_header.decode("utf-8") + "\n"
        text = head + self.data[bounds[a] : bounds[b]].decode("utf-8")
        _, _, records = _python_records(text, file, self.delim)
        batches, lines, bad, bad_fields, unclosed, unclosed_text, totals, totals_text, cells = (
            records
        )
        shift = self.header_line + a - 1  # line 2 of the text is line header_line + 1 + a
        layout = Layout(
            n_records=len(lines),
            first_line=self.header_line + 1 + a,
            lines=[line + shift for line in lines],
            malformed=bad,
            malformed_fields=bad_fields,
            n_fields=len(self.header),
            unclosed=unclosed,
            unclosed_text=unclosed_text,
            totals=totals,
            totals_text=totals_text,
            totals_cells=cells,
        )
        return batches, layout

    def _joined(self, pieces: list[Layout]) -> Layout:
        """Return the layout of the whole file from those of its parts, in order."""
        lines, bad, fields, unclosed, totals = [], [], [], [], []
        unclosed_text: list[str] = []
        totals_text: list[str] = []
        totals_cells: list[tuple[str, ...]] = []
        n = 0
        for lay in pieces:
            lines.append(lay.line_of(np.arange(lay.n_records, dtype=np.int64)))
            bad.append(lay.malformed + n)
            fields.append(lay.malformed_fields)
            unclosed.append(lay.unclosed + n)
            totals.append(lay.totals + n)
            unclosed_text += lay.unclosed_text
            totals_text += lay.totals_text
            totals_cells += lay.totals_cells
            n += lay.n_records
        first = self.header_line + 1
        at = np.concatenate(lines) if lines else np.zeros(0, np.int64)
        regular = bool(np.array_equal(at, np.arange(n) + first))

        def joined(arrays: list[NDArray[np.int64]]) -> NDArray[np.int64]:
            return np.concatenate(arrays) if arrays else np.zeros(0, np.int64)

        return Layout(
            n,
            first_line=first,
            lines=None if regular else at,
            malformed=joined(bad),
            malformed_fields=joined(fields),
            n_fields=len(self.header),
            unclosed=joined(unclosed),
            unclosed_text=unclosed_text,
            totals=joined(totals),
            totals_text=totals_text,
            totals_cells=totals_cells,
        )


def _mask_totals(data: bytes, start: int, delim: str) -> tuple[bytes, list[_Marked]]:
    """Blank the totals rows (Tổng cộng) of a file without quotes, for pyarrow to skip.

    A line is a totals row when one of its cells, read alone, is a totals label
    (:func:`~learnsoc.io.table.is_totals_label`), as the exact engine decides. Its bytes
    become spaces, line breaks kept: pyarrow reads a line of one field, an invalid row,
    and the layout finds it where the file has it (:func:`_with_totals` then names it a
    totals row). Returns the bytes and, per totals row, its line, its number of fields,
    its label and its cells. The copy costs the file's size once; the exact engine cost
    many times that.
    """
    found: list[_Marked] = []
    spans: list[tuple[int, int]] = []
    seen = -1
    at, line = 0, 1  # lines are counted from the last totals row, not from the start each time
    for match in finditer_totals(data, start):
        begin = data.rfind(b"\n", start, match.start() + 1) + 1 or start
        begin = max(begin, start)
        if begin <= seen:
            continue  # a second label on the same line
        end = data.find(b"\n", match.start())
        end = len(data) if end < 0 else end
        end -= data.endswith(b"\r", begin, end)  # the line break stays a line break
        seen = begin
        fields = _read_alone(data[begin:end].decode("utf-8", errors="replace"), delim) or []
        label = next((cell for cell in fields if is_totals_label(cell)), None)
        if label is not None:
            line += data.count(b"\n", at, begin)
            at = begin
            found.append((line, len(fields), label.strip(), tuple(fields)))
            spans.append((begin, end))
    if not spans:
        return data, []
    masked = bytearray(data)
    for begin, end in spans:
        masked[begin:end] = b" " * (end - begin)
    return bytes(masked), found


def _with_totals(layout: Layout, marked: list[_Marked]) -> Layout:
    """Name the blanked lines of :func:`_mask_totals` totals rows, as the exact engine does."""
    if layout.lines is None:
        records = [m[0] - layout.first_line for m in marked]
    else:
        at = np.asarray(layout.lines)
        records = np.searchsorted(at, [m[0] for m in marked]).tolist()
    fields = np.array(layout.malformed_fields, np.int64)
    for record, (_, n, _, _) in zip(records, marked, strict=True):
        fields[np.flatnonzero(layout.malformed == record)] = n
    return attrs.evolve(
        layout,
        malformed_fields=fields,
        totals=np.array(records, np.int64),
        totals_text=tuple(m[2] for m in marked),
        totals_cells=tuple(m[3] for m in marked),
    )


class _Written:
    """The cells of some rows as written, read again from their lines (see RawTable.written).

    Only for files of one record per line (the pyarrow engine's layout); the line starts
    are found once, when first asked (for the rejected cells of number columns).
    """

    def __init__(self, data: bytes, layout: Layout, header: tuple[str, ...], delim: str):
        self.data, self.layout, self.delim = data, layout, delim
        self.index = {h: i for i, h in enumerate(header)}
        self.breaks: NDArray[np.intp] | None = None

    def __call__(self, name: str, rows: NDArray[np.int64]) -> NDArray[np.str_]:
        if self.breaks is None:
            self.breaks = np.flatnonzero(np.frombuffer(self.data, np.uint8) == 10)
        lines = self.layout.line_of(self.layout.record_of(np.asarray(rows, np.int64)))
        out = []
        for line in lines.tolist():
            start = int(self.breaks[line - 2]) + 1
            end = int(self.breaks[line - 1]) if line - 1 < len(self.breaks) else len(self.data)
            text = self.data[start:end].decode("utf-8", errors="replace")
            fields = _read_alone(text, self.delim) or []
            at = self.index[name]
            out.append(fields[at].strip() if at < len(fields) else "")
        return np.array(out, dtype=str) if out else np.zeros(0, "<U1")


_HEX = re.compile(rb"0[xX]")


def _has_hex_prefix(data: bytes, start: int) -> bool:
    """Return whether ``0x`` or ``0X`` occurs after ``start`` (a memchr first: usually no x)."""
    if data.find(b"x", start) < 0 and data.find(b"X", start) < 0:
        return False
    return _HEX.search(data, start) is not None


def _finite(table: Any, columns: list[str]) -> bool:
    """Return whether the float columns of a table hold no infinity or NaN (nulls aside)."""
    import pyarrow.compute as pc

    return all(pc.all(pc.is_finite(table.column(c))).as_py() is not False for c in columns)


@contextlib.contextmanager
def _field_limit() -> Iterator[None]:
    """Let :mod:`csv` read cells as long as a line may be (it stops at 128 KiB by default)."""
    previous = _csv.field_size_limit(_FIELD_LIMIT)
    try:
        yield
    finally:
        _csv.field_size_limit(previous)


def _opens_quote(line: str, delim: str) -> bool:
    """Return whether a line, read alone, leaves a quote open at its end."""
    return _read_alone(line, delim) is None


def _last_line_opens_quote(data: bytes, start: int, delim: str) -> bool:
    """Return whether the last line that is not blank leaves a quote open at the end."""
    end = len(data.rstrip(b"\r\n"))
    begin = max(data.rfind(b"\n", start, end) + 1, start)
    last = data[begin:end]
    return b'"' in last and _opens_quote(last.decode("utf-8", errors="replace"), delim)


_CONTENT = re.compile(rb"[^\r\n]")


def _has_content(data: bytes, start: int) -> bool:
    """Return whether anything but line breaks follows ``start`` (without copying the bytes)."""
    return _CONTENT.search(data, start) is not None


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
    # With quotes, the separators are not all between fields: they are not counted.
    counted = n_fields if invalid and not has_quotes else None
    found = odd_lines(np.frombuffer(data, np.uint8)[body_start:], ord(delim), counted)
    n_records = n_rows + len(invalid)
    if found.n_records != n_records:
        return None  # quoted line breaks: records are not lines
    lines = None if found.nonblank is None else found.nonblank + first
    if not invalid:
        return Layout(n_records, first_line=first, lines=lines, n_fields=n_fields)
    if has_quotes:
        return None  # separators inside quotes: counting them needs the parser
    if len(found.records) != len(invalid):
        return None
    return Layout(
        n_records,
        first_line=first,
        lines=lines,
        malformed=found.records,
        malformed_fields=found.fields,
        n_fields=n_fields,
    )
