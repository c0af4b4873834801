"""A table as a reader delivers it: raw columns in batches, and where each record was.

Every reader (CSV, Excel, Parquet, data frames) returns a :class:`RawTable`: the header,
the cells in one or more batches (numpy text or numbers, or Arrow arrays), and a
:class:`Layout` that maps each record back to its line in the file. The conversion to
the schema (:mod:`learnsoc.io.convert`) reads the batches once, so a Parquet file is
converted batch by batch and never sits in memory as Python objects.

A *record* is one data row of the file, well formed or not; records are numbered from 0
in file order. Rows handed on to the population are the well-formed records
(:attr:`Layout.kept`).

Examples
--------
>>> import numpy as np
>>> layout = Layout(n_records=3, first_line=2, malformed=np.array([1]),
...                 malformed_fields=np.array([7]), n_fields=2)
>>> layout.kept.tolist(), layout.line_of(np.array([0, 2])).tolist()
([0, 2], [2, 4])
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc._arrays import readonly
from learnsoc._texts import Texts

__all__ = ["TOTALS_LABELS", "TOTALS_PREFIXES", "Layout", "RawTable", "is_totals_label"]

_NO_RECORDS = readonly(np.zeros(0, np.int64))
_NO_TEXTS = Texts.of(np.zeros(0, "<U1"))


#: What a cell of a totals row says, casefolded and without a closing colon or period:
#: the rows of sums clerks keep under their data (see :func:`is_totals_label`).
TOTALS_LABELS = frozenset(
    (
        "tổng cộng",
        "cộng",
        "tổng",
        "tổng số",
        "total",
        "totals",
        "grand total",
        "toàn xã",
        "toàn phường",
        "toàn thị trấn",
        "toàn đặc khu",
        "toàn huyện",
        "toàn quận",
        "toàn thị xã",
        "toàn tỉnh",
        "toàn thành phố",
    )
)

#: How a longer totals label begins (casefolded): ``Tổng cộng toàn xã``, ``Cộng thôn Đông``
#: (the subtotal of a block; ``Cộng huyện Ba Vì`` in a province's form of 2024, by
#: district), ``Toàn xã An Khánh``. A word of a name never begins so:
#: ``Cộng đồng`` and ``Tổng Văn Cộng`` are no labels.
TOTALS_PREFIXES = (
    "tổng cộng ",
    "tổng số toàn ",
    "cộng thôn ",
    "cộng xóm ",
    "cộng ấp ",
    "cộng bản ",
    "cộng tổ ",
    "cộng khu ",
    "cộng xã ",
    "cộng phường ",
    "cộng thị trấn ",
    "cộng đặc khu ",
    "cộng huyện ",
    "cộng quận ",
    "cộng thị xã ",
    "cộng thành phố ",
    "cộng tỉnh ",
    "cộng toàn ",
    "toàn xã ",
    "toàn phường ",
    "toàn thị trấn ",
    "toàn đặc khu ",
    "toàn huyện ",
    "toàn quận ",
    "toàn thị xã ",
    "toàn thành phố ",
    "toàn tỉnh ",
)

#: The label learnsoc gives a table's total row, the units it totals counted ("total of
#: 3 provinces", "tổng 3 tỉnh, thành phố", "tổng 2 đơn vị vùng"): a rollup it wrote is
#: read back with it. A name holds no count after the word (``Tổng Văn Cộng``).
_COUNTED_TOTAL = re.compile(r"(?:total of|tổng) \d[\d.,]* \S.*")


def is_totals_label(cell: str) -> bool:
    """Tell whether a cell marks a totals row (``Tổng cộng``), not a row of data.

    Clerks keep the sums under their data; such a row is no household or person, and the
    readers set it aside as one ``totals_row`` reject. Only a cell that says nothing else
    marks it (one of :data:`TOTALS_LABELS`: ``Tổng cộng``, ``TỔNG CỘNG:``, ``Cộng``,
    ``Toàn xã``, ``Total``; such a label, a colon and what it counts: ``Tổng cộng: 10
    người``, ``Cộng : 3 xã``; or a longer label that begins as :data:`TOTALS_PREFIXES`
    say: ``Tổng cộng toàn xã``, ``Cộng thôn Đông``), in any case and either normal form
    (accents composed or not): a name that holds the word does not (``Cộng Hòa``, a
    commune's name, has no colon).

    Examples
    --------
    >>> [is_totals_label(c) for c in ("Tổng cộng", " TỔNG  CỘNG: ", "Tổng cộng toàn xã")]
    [True, True, True]
    >>> [is_totals_label(c) for c in ("Toàn xã", "Cộng thôn Đông", "TỔNG SỐ")]
    [True, True, True]
    >>> [is_totals_label(c) for c in ("Tổng cộng: 10 người", "TỔNG SỐ : 120 hộ", "Cộng: 3")]
    [True, True, True]
    >>> [is_totals_label(c) for c in ("Tổng Văn Cộng", "Cộng đồng", "Cộng Hòa", "12")]
    [False, False, False, False]

    The total row of a table learnsoc wrote says what it totals:

    >>> [is_totals_label(c) for c in ("total of 3 provinces", "tổng 3.321 xã", "Tổng 3")]
    [True, True, False]
    """
    folded = " ".join(unicodedata.normalize("NFC", cell).casefold().split()).rstrip(":.")
    if folded in TOTALS_LABELS or folded.startswith(TOTALS_PREFIXES):
        return True
    if _COUNTED_TOTAL.fullmatch(folded):
        return True
    # A label and, after a colon, what it counts ("Tổng cộng: 10 người"): the colon
    # says it is a label, where a name that begins with the word (Cộng Hòa) has none.
    head, colon, _ = folded.partition(":")
    return bool(colon) and head.rstrip() in TOTALS_LABELS


def _int64(values: Any) -> NDArray[np.int64]:
    return readonly(np.asarray(values, dtype=np.int64))


def _texts(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(str(v) for v in values)


def _compact(values: Iterable[str] | Texts) -> Texts:
    if isinstance(values, Texts):
        return values
    text = [str(v) for v in values]
    return Texts.of(np.array(text, dtype=str) if text else np.zeros(0, "<U1"))


def _opt_int64(values: Any) -> NDArray[np.int64] | None:
    return None if values is None else _int64(values)


def _rows(values: Iterable[Iterable[str]]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(str(v) for v in row) for row in values)


@attrs.frozen(eq=False)
class Layout:
    """Where the records of a table came from.

    Parameters
    ----------
    n_records : int
        Records read (header excluded), well formed or not.
    first_line : int
        Line of record 0 when every record takes one line: 2 for CSV and Excel (the
        header is line 1), 1 for Parquet rows and data frames (row N is the Nth row).
    lines : array of int, optional
        The line each record starts on, when records are not one per line (blank
        lines, quoted line breaks); ``None`` means record ``k`` is on line
        ``k + first_line``.
    malformed : array of int
        Records with the wrong number of fields (not handed on).
    malformed_fields : array of int
        Their number of fields.
    n_fields : int
        Number of fields in the header.
    unclosed : array of int
        Among the malformed records, the lines whose quote was never closed (see
        :mod:`learnsoc.io.csv`): each is one line, set aside alone.
    unclosed_text : tuple of str
        Those lines as written, cut to :data:`~learnsoc.limits.MAX_SHOWN_CHARS`.
    totals : array of int
        Among the malformed records, the totals rows a spreadsheet keeps under its data
        (``Tổng cộng``, see :mod:`learnsoc.io.excel`): set aside, never read as data.
    totals_text : tuple of str
        The word that marks each of them, as written.
    totals_cells : tuple of tuple of str
        The cells of each of them, in the header's order, as written (empty when the
        reader did not keep them): what tells a totals row from a row of data (see
        :mod:`learnsoc.io.form_rows`).
    skipped : array of int
        Among the malformed records, the rows that are no data and were set aside with
        a warning, neither accepted nor rejected: a totals row whose sums are checked,
        a heading over a block of rows (``Thôn Đông``). ``accepted + rejected +
        skipped = read``.
    skipped_kind : tuple of str
        ``"totals"`` or ``"heading"``, for each of them.
    skipped_text : tuple of str
        The cell that marks each of them, as written.
    skipped_cells : tuple of tuple of str
        The cells of each of them, as ``totals_cells`` (empty for a heading).
    repeated : array of int
        Among the malformed records, the lines that repeat the header word for word (two
        exports joined into one file): set aside, a ``repeated_header`` reject each,
        never read as data.
    repeated_text : tuple of str
        Each of those lines as written (its own spaces, capitals, quotes), cut to
        :data:`~learnsoc.limits.MAX_SHOWN_CHARS`, one per ``repeated`` (the value of
        its reject).
    totals_why : tuple of tuple of str
        For each totals row rejected, ``(reason, column, value, expected)`` of its reject
        (see :mod:`learnsoc.io.form_rows`); empty: a ``totals_row`` reject each.
    short_of : tuple of str
        When the reader was told which columns learnsoc needs (see
        :mod:`learnsoc.io._short_rows`): for each number of fields ``k`` below
        ``n_fields``, the first column at or after position ``k`` that a record may not
        lack (``""`` if none). A malformed record of ``k`` fields whose entry is set is a
        ``short_line`` reject naming that column; empty: no such knowledge.

    Examples
    --------
    >>> lay = Layout(4, lines=np.array([2, 3, 5, 6]), malformed=np.array([2]),
    ...     malformed_fields=np.array([3]), n_fields=2)  # a blank line 4, line 5 too long
    >>> lay.n_rows, lay.kept.tolist(), lay.line_of(lay.malformed).tolist()
    (3, [0, 1, 3], [5])
    >>> Layout(3).line_of(np.array([0, 2])).tolist()  # one record a line, under a header
    [2, 4]
    """

    n_records: int
    first_line: int = 2
    lines: NDArray[np.int64] | None = attrs.field(default=None, converter=_opt_int64)
    malformed: NDArray[np.int64] = attrs.field(default=_NO_RECORDS, converter=_int64)
    malformed_fields: NDArray[np.int64] = attrs.field(default=_NO_RECORDS, converter=_int64)
    n_fields: int = 0
    unclosed: NDArray[np.int64] = attrs.field(default=_NO_RECORDS, converter=_int64)
    # Held compactly (a file may have a million such lines); ``unclosed_text`` gives a tuple.
    _unclosed_text: Texts = attrs.field(
        default=_NO_TEXTS, converter=_compact, alias="unclosed_text"
    )
    totals: NDArray[np.int64] = attrs.field(default=_NO_RECORDS, converter=_int64)
    totals_text: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    totals_cells: tuple[tuple[str, ...], ...] = attrs.field(default=(), converter=_rows)
    skipped: NDArray[np.int64] = attrs.field(default=_NO_RECORDS, converter=_int64)
    skipped_kind: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    skipped_text: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    skipped_cells: tuple[tuple[str, ...], ...] = attrs.field(default=(), converter=_rows)
    totals_why: tuple[tuple[str, ...], ...] = attrs.field(default=(), converter=_rows)
    repeated: NDArray[np.int64] = attrs.field(default=_NO_RECORDS, converter=_int64)
    repeated_text: tuple[str, ...] = attrs.field(default=(), converter=_texts)
    short_of: tuple[str, ...] = attrs.field(default=(), converter=_texts)

    @property
    def unclosed_text(self) -> tuple[str, ...]:
        """The lines whose quote was never closed, as written (cut), one per ``unclosed``."""
        return tuple(self._unclosed_text.tolist())

    @property
    def kept(self) -> NDArray[np.int64]:
        """Record index of each row handed on (the well-formed records, in order)."""
        if not len(self.malformed):
            return np.arange(self.n_records, dtype=np.int64)
        keep = np.ones(self.n_records, bool)
        keep[self.malformed] = False
        return np.flatnonzero(keep).astype(np.int64)

    @property
    def n_rows(self) -> int:
        """Number of rows handed on."""
        return self.n_records - len(self.malformed)

    def record_of(self, rows: NDArray[np.int64]) -> NDArray[np.int64]:
        """Return the record index of rows handed on (0-based positions among kept records)."""
        if not len(self.malformed):
            return np.asarray(rows, np.int64)
        return self.kept[rows]

    def line_of(self, records: NDArray[np.int64]) -> NDArray[np.int64]:
        """Return the file line of records (1-based; the 1-based row for Parquet and frames)."""
        records = np.asarray(records, np.int64)
        if self.lines is None:
            return records + self.first_line
        return self.lines[records]


@attrs.define(eq=False)
class RawTable:
    """Columns of one input table as read, before any conversion.

    Parameters
    ----------
    file : str
        The file's name as the user gave it (``"persons (data frame)"`` for frames).
    header : tuple of str
        The column names, in file order, stripped.
    batches : iterable of mapping, or callable
        The cells: each batch maps a header name to an array (numpy or Arrow) with
        one entry per row handed on. Read once. A callable is given the header names
        wanted (or None for all) and returns the batches: columnar files then read
        only those columns.
    layout : Layout
        Where the records were; complete once the batches are consumed.
    is_file : bool
        False for in-memory tables (messages then say "row", not "line").
    written : callable, optional
        ``written(header name, rows)`` returns cells of rows handed on as the file
        writes them, trimmed: a reader that parsed a column as numbers gives it, so that
        a rejected ``"0300"`` is shown as written, not as ``"300"``.
    date1904 : bool
        The cells come from a workbook kept in Excel's 1904 date system (``date1904``:
        Excel for Mac's default until 2011): its date cells show a number typed into
        them as a date four years later than Windows' system does (1990 as 13/06/1909,
        not 12/06/1905), which the conversion reads back with this system (see
        :mod:`learnsoc._date_cells`).
    hidden_columns : mapping of str to str
        The header names of a sheet's hidden columns, and their letters (``{"Ghi chú
        cũ": "F"}``): an error about such a column says it is hidden, since the user
        looking for it in Excel does not see it.

    Examples
    --------
    >>> batches = [{"id": np.array(["1", "2"]), "age": np.array(["40", "9"])},
    ...            {"id": np.array(["3"]), "age": np.array(["7"])}]
    >>> raw = RawTable("p.csv", ("id", "age"), batches, Layout(3))
    >>> [batch["age"].tolist() for batch in raw.iter_batches()]
    [['40', '9'], ['7']]
    >>> raw.layout.line_of(np.array([2])).tolist()
    [4]
    """

    file: str
    header: tuple[str, ...]
    batches: (
        Iterable[Mapping[str, Any]]
        | Callable[[Collection[str] | None], Iterable[Mapping[str, Any]]]
    )
    layout: Layout
    is_file: bool = True
    written: Callable[[str, NDArray[np.int64]], NDArray[np.str_]] | None = None
    date1904: bool = False
    hidden_columns: Mapping[str, str] = attrs.field(factory=dict)

    def iter_batches(self, columns: Collection[str] | None = None) -> Iterator[Mapping[str, Any]]:
        """Yield the batches (once), with at least the wanted header names if given."""
        if callable(self.batches):
            yield from self.batches(columns)
        else:
            yield from self.batches
