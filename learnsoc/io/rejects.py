"""The rejects of files: every refused row, located by file and line.

:class:`learnsoc.rejects.Rejects` numbers rows from 0 in the input handed to the
population. Read from files, a row is better known by its file and line, and some
problems are found before the population is built: a line with the wrong number of
fields, a unit whose parent is missing. :class:`FileRejects` holds both, with rows
numbered as *records* of their file (see :mod:`learnsoc.io.table`), and keeps the
invariant ``accepted + rejected == read`` for every table, counting every record read.

Examples
--------
>>> import numpy as np
>>> from learnsoc.io.table import Layout
>>> from learnsoc.rejects import RejectBatch, Rejects
>>> age = RejectBatch("person", "age", "out_of_range", [1], ["300"], "0..120")
>>> rej = FileRejects.locate(
...     Rejects((age,), read={"person": 3}),
...     {"person": Source("persons.csv", Layout(4, malformed=[0], malformed_fields=[9],
...                                             n_fields=5))})
>>> rej.counts()
{'person': (4, 2, 2)}
>>> for r in rej.records(locale="en"):
...     print(r.line, r.message)
2 persons.csv, line 2: the line has 9 fields; the header has 5
4 persons.csv, line 4, column age: value '300' is out of range (expected 0..120)
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import ClassVar

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc._apostrophes import add_apostrophe_hint, apostrophe_hint
from learnsoc._date_cells import number_of
from learnsoc._row_arrays import first_rows, unique_rows
from learnsoc.i18n import N_, gettext
from learnsoc.io.table import Layout
from learnsoc.rejects import (
    REASONS,
    TABLE_LABELS,
    VALUE_WORDED_REASONS,
    Reject,
    RejectBatch,
    Rejects,
    expected_text,
    reason_message,
)

__all__ = [
    "IO_REASONS",
    "REJECTS_COLUMNS",
    "FileReject",
    "FileRejects",
    "LineBatch",
    "Source",
    "join_rejects",
    "place_template",
]

#: Reasons found while reading files, before the population checks (translated by the catalogs).
IO_REASONS: Mapping[str, str] = {
    "malformed_line": N_("the line has {value} fields; the header has {expected}"),
    "short_line": N_(
        "the line has {value} fields where the header has {expected}: Excel leaves out the "
        "empty cells at the end of a row, and this line has no cell for this column, which "
        "learnsoc needs; fill in the cell (or add the missing separators) and read the file "
        "again"
    ),
    "unclosed_quote": N_(
        "a quote opened on this line is never closed: {value!r}; the line is left out "
        "and the next lines are read"
    ),
    "rejected_unit": N_("unit {value!r} was rejected"),
    "repeated_header": N_(
        "this line repeats the header line ({value!r}), as when two exported files are "
        "joined into one: it is left out and the next lines are read"
    ),
    "totals_row": N_(
        "a totals row ({value!r}), not a row of data: left out (learnsoc adds up the rows itself)"
    ),
    "unsure_totals_row": N_(
        "value {value!r} in a row marked {expected!r} as a totals row: the row may be data, so "
        "it is neither read nor skipped; delete the row if it holds totals, or correct its "
        "label if it is data"
    ),
    "totals_mismatch": N_(
        "a totals row holds {value!r} here, but the rows above it add up to {expected}: the "
        "row is not read (learnsoc adds up the rows itself); check the figures"
    ),
    # A rollup's total row is the sum of its top level's rows, not of the rows above it
    # (the communes are in their province's row already).
    "rollup_total_mismatch": N_(
        "the total row of this rollup holds {value!r} here, but the rows of its top level "
        "(the units without a parent unit) add up to {expected}: the row is not read "
        "(learnsoc adds up the rows itself); check the figures"
    ),
}

#: The columns of a rejects file, in order.
#: ``row`` (the 0-based record) comes last, after the columns of the files learnsoc wrote
#: before it had one, so that readers of their places still read them.
REJECTS_COLUMNS = ("file", "line", "table", "column", "value", "reason", "message", "row")

_LINE_PREFIX = N_("{file}, line {line}, column {column}: {message}")
_LINE_ONLY = N_("{file}, line {line}: {message}")
#: A frame's or an Arrow table's rows, counted from 1 as files count them (row N of a
#: frame is ``df.iloc[N - 1]``), and said so: a Python list's rows count from 0.
_ROW_PREFIX = N_("{file}, row {line} (counted from 1), column {column}: {message}")
#: A workbook has rows, as its sheet's warnings say ("sheet 'Data', row 7"); a CSV lines.
#: The number is the same: the spreadsheet's row, header included.
_SHEET_ROW_PREFIX = N_("{file}, row {row}, column {column}: {message}")
_SHEET_ROW_ONLY = N_("{file}, row {row}: {message}")
#: The names of the files read as workbooks (the sheet may follow the name).
_WORKBOOK = re.compile(r"\.(?:xlsx|xlsm|xls|xlsb|ods)\b", re.IGNORECASE)
#: A data frame's rows, by the name ``from_dataframe`` gives its table: one sentence per
#: table, so that Vietnamese names the table ("bảng nhân khẩu, hàng 3"), not "persons";
#: counted from 1 (row N is ``df.iloc[N - 1]``), and said so.
_FRAME_PREFIX = {
    "units": N_("units, row {line} (counted from 1), column {column}: {message}"),
    "households": N_("households, row {line} (counted from 1), column {column}: {message}"),
    "clans": N_("clans, row {line} (counted from 1), column {column}: {message}"),
    "persons": N_("persons, row {line} (counted from 1), column {column}: {message}"),
    "organisations": N_("organisations, row {line} (counted from 1), column {column}: {message}"),
    "memberships": N_("memberships, row {line} (counted from 1), column {column}: {message}"),
}

_ALL_REASONS = {**REASONS, **IO_REASONS}


def place_template(src: Source | None, *, column: bool = True) -> str:
    """Return the message id placing a message at a row of ``src``'s table, as rejects are.

    A CSV's line (``{file}, line {line}``), a workbook's row (``{file}, row {row}``), a
    frame's row counted from 1; with ``column``, the column follows. The template takes
    ``file``, ``line`` and ``row`` (the same number), ``column`` and ``message``.

    Examples
    --------
    >>> from learnsoc.io.table import Layout
    >>> place_template(Source("don_vi.csv", Layout(3)))
    '{file}, line {line}, column {column}: {message}'
    >>> place_template(Source("don_vi.xlsx", Layout(3)), column=False)
    '{file}, row {row}: {message}'
    """
    if src is not None and src.is_file and _WORKBOOK.search(src.file):
        return _SHEET_ROW_PREFIX if column else _SHEET_ROW_ONLY
    if src is not None and src.is_file:
        return _LINE_PREFIX if column else _LINE_ONLY
    frame = _FRAME_PREFIX.get(src.file) if src is not None else None
    return frame or _ROW_PREFIX


@attrs.frozen(eq=False)
class LineBatch(RejectBatch):
    """Records of one table refused for one reason before the population was built.

    A :class:`~learnsoc.rejects.RejectBatch` with the reading reasons of
    :data:`IO_REASONS` allowed too, and rows numbered as records of the file.

    Examples
    --------
    >>> batch = LineBatch("person", "", "malformed_line", [3, 7], ["1;2", "5"])
    >>> batch.rows.tolist(), batch.reason
    ([3, 7], 'malformed_line')
    >>> "malformed_line" in RejectBatch.allowed_reasons  # a reason only a reader gives
    False
    """

    allowed_reasons: ClassVar[Mapping[str, str]] = _ALL_REASONS

    @classmethod
    def in_file(
        cls, batch: RejectBatch, layout: Layout, kept: NDArray[np.int64] | None = None
    ) -> LineBatch:
        """Return ``batch`` with its rows numbered as records of the file read with ``layout``.

        The one step from "row of the table handed on" to "record (and so line) of the file".

        Parameters
        ----------
        batch : RejectBatch
            Rejects numbered from 0 among the rows of a table (or among ``kept`` rows).
        layout : Layout
            The layout of the file the table was read from.
        kept : array of int, optional
            When only some rows went on (the others refused before), the 0-based row of
            the table for each row ``batch`` numbers.

        Returns
        -------
        LineBatch
            The same table, column, reason, values and expected text.

        Examples
        --------
        >>> import numpy as np
        >>> from learnsoc.io.table import Layout
        >>> b = RejectBatch("unit", "parent_code", "unknown_unit", [0], ["009"])
        >>> layout = Layout(4, malformed=[1], malformed_fields=[9], n_fields=3)
        >>> LineBatch.in_file(b, layout).rows.tolist()  # row 0 is record 0
        [0]
        >>> LineBatch.in_file(b, layout, kept=np.array([2, 3])).rows.tolist()
        [3]
        """
        rows = batch.rows if kept is None else np.asarray(kept)[batch.rows]
        return cls(
            batch.table,
            batch.column,
            batch.reason,
            layout.record_of(rows),
            batch._texts,
            batch.expected,
        )


@attrs.frozen
class Source:
    """Where a table was read from: its file (or frame) name and the layout of its records.

    ``columns`` gives, for a column a mapping renamed, the name the file's header writes
    (``age`` -> ``Tuổi``), and ``codes`` the words the file writes for a coded column's
    values (``literate`` -> ``Có, Không``): messages name the file's column and codes,
    as the person who made the file knows them.

    Examples
    --------
    >>> src = Source("persons.csv", Layout(3), columns={"age": "Tuổi"})
    >>> src.column_name("age"), src.column_name("sex")
    ('Tuổi', 'sex')
    """

    file: str
    layout: Layout
    is_file: bool = True
    columns: Mapping[str, str] = attrs.field(factory=dict)
    codes: Mapping[str, str] = attrs.field(factory=dict)

    def column_name(self, column: str) -> str:
        """Return the file's name of a schema column (itself when the file uses it)."""
        return self.columns.get(column, column)


@attrs.frozen
class FileReject(Reject):
    r"""One rejected record and one reason, with its file and line.

    ``row`` is the 0-based record of the file; ``line`` its 1-based line (for Parquet
    files and data frames, the 1-based row: row N of a frame is ``df.iloc[N - 1]``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from learnsoc.io.population import read_units
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "units.csv"
    >>> _ = path.write_text("code,level,parent_code\n01,province,\n001,commune,01\n\n"
    ...                     "T1,village,001\nT9,village,009\n", "utf-8")
    >>> tree, rejects = read_units(path)
    >>> reject = rejects.records("en")[0]
    >>> type(reject).__name__, reject.row, reject.line, reject.column, reject.value
    ('FileReject', 3, 6, 'parent_code', '009')
    """

    file: str = ""
    line: int = 0


def _totals_rejects(table: str, lay: Layout) -> list[LineBatch]:
    """Return the rejects of a layout's totals rows, each for its reason (see form_rows)."""
    why = lay.totals_why if len(lay.totals_why) == len(lay.totals) else ()
    plain = [k for k in range(len(lay.totals)) if not why or why[k][0] == "totals_row"]
    out = []
    if plain:
        texts = [lay.totals_text[k] for k in plain]
        out.append(LineBatch(table, "", "totals_row", lay.totals[plain], texts))
    for k, (reason, column, value, expected) in enumerate(why):
        if reason != "totals_row":
            out.append(LineBatch(table, column, reason, lay.totals[[k]], [value], expected))
    return out


def _wrong_fields(
    table: str, lay: Layout, records: NDArray[np.int64], fields: NDArray[np.int64]
) -> list[LineBatch]:
    """Return the rejects of records of the wrong number of fields.

    A record short of a column learnsoc needs (:attr:`Layout.short_of`) is a
    ``short_line`` reject naming that column, one batch per column; any other a
    ``malformed_line``.
    """
    out = []
    lacks = np.array(lay.short_of, dtype=str) if lay.short_of else None
    if lacks is not None and len(records):
        short = fields < len(lacks)
        named = np.where(short, lacks[np.minimum(fields, len(lacks) - 1)], "")
        for column in dict.fromkeys(named[named != ""].tolist()):
            hit = named == column
            out.append(
                LineBatch(table, column, "short_line", records[hit], fields[hit], str(lay.n_fields))
            )
        records, fields = records[named == ""], fields[named == ""]
    if len(records):
        out.append(LineBatch(table, "", "malformed_line", records, fields, str(lay.n_fields)))
    return out


@attrs.frozen(eq=False)
class FileRejects(Rejects):
    """The rejects of a population read from files (see the module docs).

    Build one with :meth:`locate`. ``batches`` hold the population's checks with rows
    renumbered as records of their file; ``extra`` the problems found while reading;
    ``refused_units`` the codes of the units refused while reading (with their subtrees),
    which other files' rows may still name; ``unchecked`` per table the columns of its
    file (as the file names them) that ``columns=`` left unread, so unchecked: a bad cell
    there rejected nothing.

    Its :meth:`records` (and :meth:`record_chunks`) are :class:`FileReject`, by table,
    line and column, the message naming the file and the line, in the locale; its
    :meth:`to_columns` are the columns of a rejects file (:data:`REJECTS_COLUMNS`).

    Examples
    --------
    >>> list(FileRejects().to_columns())
    ['file', 'line', 'table', 'column', 'value', 'reason', 'message', 'row']
    """

    sources: Mapping[str, Source] = attrs.field(factory=dict)
    extra: tuple[LineBatch, ...] = ()
    refused_units: tuple[str, ...] = ()
    unchecked: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)

    @classmethod
    def locate(
        cls,
        rejects: Rejects,
        sources: Mapping[str, Source],
        extra: Sequence[LineBatch] = (),
        rejected_units: Iterable[str] = (),
    ) -> FileRejects:
        """Place a population's rejects in their files and add the reading problems.

        Parameters
        ----------
        rejects : Rejects
            The population's rejects (0-based rows of what it was given).
        sources : mapping of str to Source
            Per table read from a file or frame, its name and record layout.
        extra : sequence of LineBatch
            Problems found while reading, in record numbers (units, other tables).
        rejected_units : iterable of str
            Codes of units refused while reading: references to them are reported as
            ``rejected_unit`` rather than ``unknown_unit``.
        """
        gone = np.array(sorted(set(rejected_units)), dtype=str)
        batches: list[RejectBatch] = []
        more: list[LineBatch] = []
        for b in rejects.batches:
            src = sources.get(b.table)
            rows = src.layout.record_of(b.rows) if src is not None else b.rows
            hit = np.zeros(len(rows), bool)
            if b.reason == "unknown_unit" and len(gone):
                hit = np.isin(b.values, gone)
                if hit.any():
                    more.append(
                        LineBatch(b.table, b.column, "rejected_unit", rows[hit], b._texts.take(hit))
                    )
            if not hit.all():
                keep = np.flatnonzero(~hit)
                values = b._texts if len(keep) == len(hit) else b._texts.take(keep)
                batches.append(
                    RejectBatch(b.table, b.column, b.reason, rows[keep], values, b.expected)
                )
        for table, src in sources.items():
            lay = src.layout
            wrong = (
                ~np.isin(lay.malformed, lay.unclosed)
                & ~np.isin(lay.malformed, lay.totals)
                & ~np.isin(lay.malformed, lay.skipped)
                & ~np.isin(lay.malformed, lay.repeated)
            )
            more.extend(
                _wrong_fields(table, lay, lay.malformed[wrong], lay.malformed_fields[wrong])
            )
            if len(lay.unclosed):
                more.append(
                    LineBatch(table, "", "unclosed_quote", lay.unclosed, lay._unclosed_text)
                )
            if len(lay.totals):
                more.extend(_totals_rejects(table, lay))
            if len(lay.repeated):
                texts = list(lay.repeated_text)  # each line as written, not the first header
                more.append(LineBatch(table, "", "repeated_header", lay.repeated, texts))
        order = ["unit", "household", "clan", "person", "organisation", "membership"]
        # Every table read from a file counts its file's records (counts and inputs files
        # too): the rows handed over lack those set aside while reading (a totals row ...).
        read = {t: src.layout.n_records for t, src in sources.items()}
        for t, n in rejects.read.items():
            if n or t in sources:  # tables nobody gave (no clans file ...) are not "read"
                read.setdefault(t, n)
        rank = {t: i for i, t in enumerate(order)}
        read = {t: read[t] for t in sorted(read, key=lambda t: rank.get(t, len(rank)))}
        return cls(
            tuple(batches),
            read,
            sources=dict(sources),
            extra=(*extra, *more),
            refused_units=tuple(gone.tolist()),
            dashes=rejects.dashes,
        )

    def n_skipped(self, table: str) -> int:
        """Return how many records of ``table`` were skipped: totals rows, block headings.

        See :mod:`learnsoc.io.form_rows`.
        """
        src = self.sources.get(table)
        return len(src.layout.skipped) if src is not None else super().n_skipped(table)

    def _all(self) -> tuple[RejectBatch, ...]:
        return (*self.batches, *self.extra)

    def _batches(self) -> tuple[RejectBatch, ...]:
        return self._all()

    def _head(self, n: int) -> FileRejects:
        return attrs.evolve(
            self,
            batches=tuple(first_rows(b, n) for b in self.batches),
            extra=tuple(first_rows(b, n) for b in self.extra),
        )

    def __repr__(self) -> str:
        # The short summary of Rejects, not the attrs dump of every batch and source.
        return Rejects.__repr__(self)

    # -- counting ------------------------------------------------------------------
    def __len__(self) -> int:
        """Return the number of problems (a record can have several)."""
        return super().__len__() + sum(len(b) for b in self.extra)

    def rows(self, table: str) -> NDArray[np.int64]:
        """Return the sorted, unique records of ``table`` that were rejected."""
        return unique_rows([b.rows for b in self._all() if b.table == table])

    def accepted_rows(self, table: str) -> NDArray[np.int64] | None:
        """Return the records of ``table`` that were accepted: not rejected, not skipped."""
        src = self.sources.get(table)
        if src is None:
            return super().accepted_rows(table)
        everyone = np.arange(self.n_read(table), dtype=np.int64)
        gone = np.union1d(self.rows(table), src.layout.skipped)
        return everyone[~np.isin(everyone, gone)]

    # -- records ----------------------------------------------------------------------
    def _record_maker(
        self, batch: RejectBatch, locale: str | None
    ) -> Callable[[NDArray[np.int64]], list[Reject]]:
        template = gettext(_ALL_REASONS[batch.reason], locale)
        hint = apostrophe_hint(batch.reason, locale)
        src = self.sources.get(batch.table)
        file = (
            src.file
            if src is not None
            else gettext(TABLE_LABELS.get(batch.table, batch.table), locale)
        )
        prefix = gettext(place_template(src, column=bool(batch.column)), locale)
        column, expected = batch.column, expected_text(batch, locale)
        if src is not None:
            column = src.column_name(batch.column)
            if batch.reason == "unknown_code":  # the words the file writes, when mapped
                expected = src.codes.get(batch.column, expected)

        starts = batch._texts.starts()

        def make(at: NDArray[np.int64]) -> list[Reject]:
            rows = batch.rows[at]
            # Without a source the rows are the input's, from 0: said as the sentence
            # says ("row N (counted from 1)"), N is the row's place from 1.
            lines = src.layout.line_of(rows) if src is not None else rows + 1
            values = batch._texts.take(at, starts).tolist()
            out: list[Reject] = []
            for row, line, value in zip(rows.tolist(), lines.tolist(), values, strict=True):
                number = number_of(value, batch.expected)
                said = template
                if batch.reason in VALUE_WORDED_REASONS:  # a decimal comma (12,5), a ####: said so
                    said = gettext(reason_message(batch.reason, value), locale)
                message = add_apostrophe_hint(
                    said.format(value=value, expected=expected, number=number), value, hint
                )
                full = prefix.format(file=file, line=line, row=line, column=column, message=message)
                out.append(
                    FileReject(
                        batch.table, int(row), batch.column, value, batch.reason, full, file, line
                    )
                )
            return out

        return make

    #: The columns of :meth:`to_columns`: those of a rejects file (:data:`REJECTS_COLUMNS`).
    _column_types: ClassVar[tuple[tuple[str, type], ...]] = tuple(
        (name, np.int64 if name in ("line", "row") else str) for name in REJECTS_COLUMNS
    )


def join_rejects(first: Rejects, others: Sequence[FileRejects]) -> Rejects:
    """Put the rejects of other files (evaluators' inputs) after ``first``'s.

    The files, lines, reading problems and the ``-`` cells read as 0 of each are kept, so
    that every reject is still named by its file and line.

    Examples
    --------
    >>> len(join_rejects(FileRejects(), [FileRejects(), FileRejects()]))
    0
    """
    if not others:
        return first
    sources = dict(getattr(first, "sources", {}))
    extra = list(getattr(first, "extra", ()))
    batches, read = list(first.batches), dict(first.read)
    dashes = dict(first.dashes)  # a counts file's cells '-' read as 0, said with its rows
    for other in others:
        sources.update(other.sources)
        extra.extend(other.extra)
        batches.extend(other.batches)
        read.update(other.read)
        dashes.update(other.dashes)
    return FileRejects(tuple(batches), read, sources=sources, extra=tuple(extra), dashes=dashes)
