"""From raw cells to the columns :meth:`Population.from_columns` takes, batch by batch.

A reader's :class:`~learnsoc.io.table.RawTable` holds text (or, from Parquet and data
frames, typed values). Here each column is renamed through the mapping file, checked
against the schema, and converted in one pass over the batches:

* ids and references are trimmed text in Unicode normal form NFC (``"Hộ-1"`` typed
  with combining accents is the same household as the precomposed one); ids written
  as plain decimal numbers (``"123"``, not ``"0123"``) become ``int64``, which keeps
  their meaning and makes lookups fast; any other id, and every unit code, stays text
  with its leading zeros;
* yes/no, code and number columns are converted through their *distinct* values
  (dictionary encoding: a yes/no column of ten million cells has a handful), with the
  mapping's value maps and decimal commas applied to those values only.

Numbers as spreadsheets write them (:func:`number_text`): with a decimal comma
(``decimal=","``), a dot followed by groups of exactly three digits separates thousands
as in Vietnamese (``1.250`` is 1250, ``1.250.000`` is 1250000, ``1.250,5`` is 1250.5);
any other dot is a decimal point (``1.5``, as programs write). With the decimal point
(the default), a comma is never read: ``1,250`` could be 1250 or, from a file with
decimal commas, 1.25, so it is a ``not_a_number`` reject, never a guess; read such a
file with ``decimal=","``.

Every column is handed on in its storage dtype. A cell that cannot be converted
becomes a :class:`~learnsoc.rejects.RejectBatch` (collected with ``rejects=`` and given
to :meth:`Population.from_columns <learnsoc.Population.from_columns>`, which rejects
its row) and its row holds a placeholder; the reject keeps the value as written, cut to
:data:`~learnsoc.limits.MAX_SHOWN_CHARS` characters.

Memory stays proportional to the bytes of the cells, never to rows times the longest
cell: a cell longer than :data:`~learnsoc.limits.MAX_CELL_CHARS` characters (an id,
reference or unit code longer than :data:`~learnsoc.limits.MAX_ID_CHARS`) is taken
out as a ``cell_too_long`` reject before any fixed-width text array is made, and the
distinct values of number columns are held as Python strings when one is long.

Examples
--------
>>> import numpy as np
>>> from learnsoc.io.table import Layout, RawTable
>>> raw = RawTable("p.csv", ("Mã", "Mã hộ", "Tuổi", "Biết chữ"),
...     [{"Mã": np.array(["1", "2"]), "Mã hộ": np.array(["007", "007"]),
...       "Tuổi": np.array([" 40", "9"]), "Biết chữ": np.array(["Có", "Không"])}], Layout(2))
>>> mapping = FileMapping.from_dict({"person": {"columns": {
...     "Mã": "person_id", "Mã hộ": "household_id", "Tuổi": "age", "Biết chữ": "literate"}}})
>>> cols = convert_table(raw, "person", mapping=mapping)
>>> cols["person_id"].dtype.name, cols["household_id"].tolist(), cols["age"].tolist()
('int64', ['007', '007'], [40, 9])
>>> cols["literate"].tolist()
[1, 0]
"""

from __future__ import annotations

import functools
import math
import re
import warnings
from collections import Counter
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal, overload

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc._bars import tqdm_bar
from learnsoc._control_chars import CONTROL_RE2, INVISIBLE, control_rows, visible
from learnsoc._date_cells import HINTS_1904, YEAR_HINT, full_date, number_of, typed_year
from learnsoc._excel_cells import (
    EXCEL_ERROR_RE2,
    SCIENTIFIC_RE2,
    excel_error_rows,
    long_number_rows,
    scientific_rows,
)
from learnsoc._messages import Message
from learnsoc._phrases import Phrase
from learnsoc.errors import LearnsocWarning, SchemaError
from learnsoc.i18n import N_
from learnsoc.io.files import FileFormatError, file_error
from learnsoc.io.legacy import legacy_message
from learnsoc.io.mapping import FileMapping, is_row_number, map_word
from learnsoc.io.table import Layout, RawTable
from learnsoc.limits import MAX_CELL_CHARS, MAX_ID_CHARS, MAX_SHOWN_CHARS
from learnsoc.model.ids import FLOAT_ID_RANGE, CodedIds, nfc_text, unwhole_floats
from learnsoc.model.schema import (
    MISSING_WORDS,
    STANDARD_SCHEMA,
    ColumnSpec,
    Schema,
    convert_column,
    thousand_like,
)
from learnsoc.rejects import RejectBatch, shown

__all__ = [
    "BIRTH_DATE",
    "BIRTH_YEAR",
    "BirthDatesAsYearsWarning",
    "PlaceholderWarning",
    "blank_cells",
    "cell_text",
    "cell_texts",
    "convert_table",
    "id_text",
    "number_text",
    "one_column_header",
    "resolve_columns",
    "table_specs",
    "text_cells",
    "text_columns",
    "wanted_column",
    "without_blank_records",
    "without_rows",
]


class PlaceholderWarning(LearnsocWarning):
    r"""Cells of a yes/no, code or number column held a word for "no value" (``NULL`` ...).

    Blank cells are missing values. Words that agencies' exports write instead (``NA``,
    ``NaN``, ``None``, ``NULL``, ``-``, in any case) are read as missing values too, and
    counted: one warning per column names each word and how many cells held it, so
    that a word that meant something else is not lost without notice. To refuse them
    instead, turn the warning into an error (``warnings.simplefilter("error",
    PlaceholderWarning)``) or map the word in the mapping file's value maps.

    Attributes
    ----------
    file : str
        The file (or frame) read.
    column : str
        The column, as named in the file.
    words : dict of str to int
        Each word as written, and the number of cells that held it.

    Examples
    --------
    >>> import warnings
    >>> from learnsoc.io.csv import read_csv_bytes
    >>> data = "person_id;household_id;age;literate\nP1;H1;40;1\nP2;H1;7;NULL\nP3;H2;9;null\n"
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     columns = convert_table(read_csv_bytes(data.encode(), "p.csv"), "person")
    >>> columns["literate"].tolist()  # 255: missing
    [1, 255, 255]
    >>> print(caught[0].message)
    p.csv, column literate: 2 cells read as missing values: 'NULL' (1), 'null' (1)
    """

    def __init__(self, file: str, column: str, words: Mapping[str, int]) -> None:
        self.file = file
        self.column = column
        self.words = dict(words)
        total = sum(self.words.values())
        listed = ", ".join(f"{w!r} ({n})" for w, n in self.words.items())
        template = (
            N_("{file}, column {column}: {n} cell read as missing values: {words}")
            if total == 1
            else N_("{file}, column {column}: {n} cells read as missing values: {words}")
        )
        message = Message(template, file=file, column=column, n=total, words=listed)
        super().__init__(str(message))
        self.translatable(message)


class BirthDatesAsYearsWarning(LearnsocWarning):
    r"""Cells of a birth-year column held whole dates of birth, read as their years.

    A "Năm sinh" column where some cells were typed as dates (``02/09/1978``, or an Excel
    date cell) gives the year of each date: the year of a date of birth is the year of
    birth. One warning per column counts the cells, so that it is never done unseen. A
    date that is how Excel shows a year typed into a cell formatted as Date
    (``12/06/1905`` for 1990; see :data:`learnsoc._date_cells.YEAR_SERIALS`) is not read
    so: it is a ``number_as_date`` reject.

    Attributes
    ----------
    file : str
        The file (or frame) read.
    column : str
        The column, as named in the file.
    n : int
        The number of cells read as their year.
    example : str
        One of them, as written.

    Examples
    --------
    >>> import warnings
    >>> from learnsoc.io.csv import read_csv_bytes
    >>> from learnsoc.io.mapping import FileMapping
    >>> raw = read_csv_bytes("Mã NK;Mã hộ;Năm sinh\nP1;H1;02/09/1978\nP2;H1;1990\n".encode(),
    ...     "p.csv")
    >>> mapping = FileMapping.from_dict({"person": {"columns": {"Mã NK": "person_id",
    ...     "Mã hộ": "household_id", "Năm sinh": "birth_year"}}})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     columns = convert_table(raw, "person", mapping=mapping)
    >>> columns["birth_year"].tolist()
    [1978.0, 1990.0]
    >>> found = caught[0].message
    >>> type(found).__name__, found.column, found.n, found.example
    ('BirthDatesAsYearsWarning', 'Năm sinh', 1, '02/09/1978')
    """

    def __init__(self, file: str, column: str, n: int, example: str) -> None:
        self.file = file
        self.column = column
        self.n = n
        self.example = example
        # The example is a date read as its year: any date system gives that year.
        date = full_date(example)
        year = str(date.year) if date is not None else ""
        template = (
            N_(
                "{file}, column {column}: {n} cell holds a date of birth where a year of "
                "birth is expected, read as its year ({example!r} as {year})"
            )
            if n == 1
            else N_(
                "{file}, column {column}: {n} cells hold a date of birth where a year of "
                "birth is expected, read as their years (e.g. {example!r} as {year})"
            )
        )
        message = Message(template, file=file, column=column, n=n, example=example, year=year)
        super().__init__(str(message))
        self.translatable(message)


def _year_of(text: str, date1904: bool = False) -> int | None:
    """Return the year of a whole date of birth in a birth-year cell, or None.

    None for anything else, and for a date that is how Excel shows a year typed into a
    cell formatted as Date (``12/06/1905`` for 1990): that one is refused, not read.

    Examples
    --------
    >>> _year_of("02/09/1978"), _year_of("1978-09-02"), _year_of("12/06/1905"), _year_of("1978")
    (1978, 1978, None, None)
    """
    date = full_date(text)
    if date is None or typed_year(text, date1904=date1904) is not None:
        return None
    return date.year


#: ``birth_year`` may stand in for ``age`` (with a reference year).
BIRTH_YEAR = ColumnSpec("birth_year", "float", N_("birth year"), "float64", 1800, 2200)
#: ``birth_date`` too: dd/mm/yyyy, d/m/yyyy, yyyy-mm-dd, mm/yyyy or yyyy, read as text (see
#: :func:`learnsoc.model.population.birth_years`).
BIRTH_DATE = ColumnSpec("birth_date", "text", N_("birth date"))

_CANONICAL = r"^(0|[1-9][0-9]{0,17})$"
# With blanks, numbers go through float64: exact below 2**53, so at most 15 digits.
_CANONICAL_OR_BLANK = r"^(|0|[1-9][0-9]{0,14})$"


def table_specs(table: str, schema: Schema = STANDARD_SCHEMA) -> dict[str, ColumnSpec]:
    """Return the column specs a file of ``table`` may carry (units: code, name, level, parent).

    Examples
    --------
    >>> sorted(table_specs("unit"))
    ['code', 'level', 'name', 'parent_code']
    """
    if table == "unit":
        return {
            "code": ColumnSpec("code", "id", N_("unit code"), required=True),
            "name": ColumnSpec("name", "text", N_("name")),
            "level": ColumnSpec("level", "text", N_("level"), required=True),
            "parent_code": ColumnSpec("parent_code", "ref", N_("parent unit"), references="unit"),
        }
    specs = {c.name: c for c in schema.table(table).columns}
    if table == "person":
        specs["birth_year"] = BIRTH_YEAR
        specs["birth_date"] = BIRTH_DATE
    return specs


#: Separators a CSV file may use, tried on a header read as one column.
_SEPARATORS = (";", ",", "\t", "|")


def one_column_header(header: Sequence[str]) -> Message | None:
    r"""Say so when a whole header was read as one name: the file has another separator.

    A commune's file saved with ``,`` read with the mapping's ``delimiter = ";"`` has one
    column, ``Mã hộ,Mã thôn,Đăng ký``: "unknown column 'Mã hộ,Mã thôn,Đăng ký'" would
    hide that the separator is what is wrong.

    Examples
    --------
    >>> print(one_column_header(["Mã hộ,Mã thôn,Đăng ký"]))  # doctest: +NORMALIZE_WHITESPACE
    the header was read as one column, 'Mã hộ,Mã thôn,Đăng ký': its names are separated by
    ',', not by the separator given; give --delimiter ',' (or delimiter = ',' in the mapping
    file, delimiter=','), or, when the files have different separators, give none: each
    file's is then found from its header
    >>> one_column_header(["Mã hộ", "Mã thôn"]) is None
    True

    The separator named is the one that splits the header into the most names: a
    tab-separated header (Excel's "Unicode Text") whose first name holds a comma
    (``Thôn, xóm``) is said to be tab-separated.

    >>> print(one_column_header(["Mã hộ\tThôn, xóm\tĐăng ký"]))  # doctest: +ELLIPSIS
    the header was read as one column, ...: its names are separated by 'tab', ...
    """
    if len(header) != 1:
        return None
    parts = {sep: len([p for p in header[0].split(sep) if p.strip()]) for sep in _SEPARATORS}
    sep = max(_SEPARATORS, key=lambda s: parts[s])  # the first of the most, on a tie
    if parts[sep] < 2:
        return None
    named = "tab" if sep == "\t" else sep
    return Message(
        N_(
            "the header was read as one column, {header!r}: its names are separated "
            "by {sep!r}, not by the separator given; give --delimiter {sep!r} (or "
            "delimiter = {sep!r} in the mapping file, delimiter={sep!r}), or, when the "
            "files have different separators, give none: each file's is then found from "
            "its header"
        ),
        header=shown(header[0]),
        sep=named,
    )


def resolve_columns(
    raw: RawTable,
    table: str,
    specs: Mapping[str, ColumnSpec],
    mapping: FileMapping,
    unknown_columns: str = "error",
) -> dict[str, str]:
    r"""Return ``{file column: schema column}`` for the columns to read.

    Raises
    ------
    SchemaError
        For an unknown column (unless ignored), two file columns naming the same schema
        column, or a required column the file lacks; the message names the file.
    FileFormatError
        For an unknown or missing column when a column name of the file is typed in an
        old Vietnamese font encoding (TCVN3, VNI: see :mod:`learnsoc.io.legacy`).

    Examples
    --------
    >>> from learnsoc.io.csv import read_csv_bytes
    >>> from learnsoc.io.mapping import FileMapping
    >>> raw = read_csv_bytes("Mã NK;Mã hộ;Tuổi;Ghi chú\nP1;H1;40;\n".encode(), "p.csv")
    >>> mapping = FileMapping.from_dict({"person": {"ignore": ["Ghi chú"], "columns": {
    ...     "Mã NK": "person_id", "Mã hộ": "household_id", "Tuổi": "age"}}})
    >>> resolve_columns(raw, "person", table_specs("person"), mapping)
    {'Mã NK': 'person_id', 'Mã hộ': 'household_id', 'Tuổi': 'age'}
    """
    tmap = mapping.table(table)
    out: dict[str, str] = {}
    taken: dict[str, str] = {}
    for name in raw.header:
        if tmap.ignores(name) or name.startswith("<column "):
            continue
        target = tmap.schema_name(name)
        if target not in specs:
            if unknown_columns == "ignore" or is_row_number(name):
                continue
            legacy = legacy_message(raw.header)
            if legacy is not None:
                raise file_error(legacy, file=raw.file)  # no name matches: say why
            joined = one_column_header(raw.header)
            if joined is not None:
                raise file_error(joined, file=raw.file)
            like = tmap.unaccented(name)
            if like is not None:  # typed without accents (Telex off): say which name
                template = N_(
                    "unknown column in {file}; the mapping file names {like!r}, the same "
                    "without accents: write the header with its accents, or write {column!r} "
                    "for {like!r} in the mapping file"
                )
                problem = template.format(file=raw.file, like=like, column=shown(name))
                error = SchemaError(table, name, problem)
                raise error.translatable(template, file=raw.file, like=like, column=shown(name))
            letter = raw.hidden_columns.get(name)
            if letter is not None:
                # A column the user cannot see in Excel: say where it is.
                template = N_(
                    "unknown column in {file}, column {letter}, which is hidden in the sheet "
                    "(select the columns around it and Unhide to see it; delete it, rename "
                    "it in the mapping file, list it under 'ignore', or ignore unknown "
                    "columns)"
                )
                problem = template.format(file=raw.file, letter=letter)
                error = SchemaError(table, name, problem, choices=specs)
                raise error.translatable(template, file=raw.file, letter=letter)
            template = N_(
                "unknown column in {file} (rename it in the mapping file, "
                "list it under 'ignore', or ignore unknown columns)"
            )
            problem = template.format(file=raw.file)
            error = SchemaError(table, name, problem, choices=specs)
            raise error.translatable(template, file=raw.file)
        if target in taken:
            msg = Message(
                N_("{file} has two columns for it: {first!r} and {second!r}"),
                file=raw.file,
                first=taken[target],
                second=name,
            )
            raise SchemaError(table, target, str(msg)).translatable(msg)
        taken[target] = name
        out[name] = target
    for spec in specs.values():
        missing = spec.required and spec.name not in taken
        if missing and not (
            spec.name == "age" and ("birth_year" in taken or "birth_date" in taken)
        ):
            legacy = legacy_message(raw.header)
            if legacy is not None:
                raise file_error(legacy, file=raw.file)
            template = N_("required column is missing from {file}")
            error = SchemaError(
                table, spec.name, template.format(file=raw.file), choices=list(raw.header)
            )
            raise error.translatable(template, file=raw.file)
    return out


@overload
def convert_table(
    raw: RawTable,
    table: str,
    *,
    schema: Schema = STANDARD_SCHEMA,
    mapping: FileMapping | None = None,
    unknown_columns: str | None = None,
    decimal: str | None = None,
    bars: bool | None = False,
    columns: Collection[str] | None = None,
    coded_units: Literal[False] = False,
    rejects: list[RejectBatch] | None = None,
) -> dict[str, NDArray[Any]]: ...


@overload
def convert_table(
    raw: RawTable,
    table: str,
    *,
    schema: Schema = STANDARD_SCHEMA,
    mapping: FileMapping | None = None,
    unknown_columns: str | None = None,
    decimal: str | None = None,
    bars: bool | None = False,
    columns: Collection[str] | None = None,
    coded_units: bool,
    rejects: list[RejectBatch] | None = None,
) -> dict[str, NDArray[Any] | CodedIds]: ...


def convert_table(
    raw: RawTable,
    table: str,
    *,
    schema: Schema = STANDARD_SCHEMA,
    mapping: FileMapping | None = None,
    unknown_columns: str | None = None,
    decimal: str | None = None,
    bars: bool | None = False,
    columns: Collection[str] | None = None,
    coded_units: bool = False,
    rejects: list[RejectBatch] | None = None,
) -> dict[str, NDArray[Any] | CodedIds] | dict[str, NDArray[Any]]:
    r"""Convert a raw table to numpy columns named by the schema (see the module docs).

    Parameters
    ----------
    raw : RawTable
        The table as read.
    table : str
        ``"person"``, ``"household"``, ``"clan"``, ``"organisation"``, ``"membership"``
        or ``"unit"``.
    schema : Schema
        The column schema.
    mapping : FileMapping, optional
        Column renames and value maps.
    unknown_columns : {"error", "ignore"}, optional
        What to do with columns the schema does not know (default: the mapping's).
    decimal : {".", ","}, optional
        The decimal mark of number cells (default: the mapping's).
    bars : bool, optional
        Show a bar while converting (``None``: only on a terminal).
    columns : collection of str, optional
        Read only these columns (schema names) besides ids and required columns; the
        file's other columns are left unread (``None``: all).
    coded_units : bool
        Return ``unit_code`` as a :class:`~learnsoc.model.ids.CodedIds` (each distinct
        code once, an integer per row) instead of text: what
        :meth:`~learnsoc.Population.from_columns` takes without spelling out millions of
        households' village codes.
    rejects : list of RejectBatch, optional
        Receives the cells that cannot be converted (rows numbered from 0 among the
        rows returned): hand it to :meth:`~learnsoc.Population.from_columns` as
        ``rejects=``. Their rows hold a placeholder in the returned columns.

    Raises
    ------
    SchemaError
        See :func:`resolve_columns`.
    FileFormatError
        For a column without a name that holds values, or, without ``rejects``, for the
        first cell that cannot be converted (with its line and column).

    Examples
    --------
    >>> from learnsoc.io.csv import read_csv_bytes
    >>> data = "person_id;household_id;age;sex\nP1;H1;40;1\nP2;H1;7;2\n".encode()
    >>> columns = convert_table(read_csv_bytes(data, "p.csv"), "person")
    >>> columns["age"].tolist(), columns["sex"].tolist(), columns["household_id"].tolist()
    ([40, 7], [1, 2], ['H1', 'H1'])
    >>> rejects = []
    >>> bad = "person_id;household_id;age\nP1;H1;40\nP2;H1;old\n".encode()
    >>> columns = convert_table(read_csv_bytes(bad, "p.csv"), "person", rejects=rejects)
    >>> [(r.column, r.rows.tolist()) for r in rejects]
    [('age', [1])]
    """
    mapping = mapping if mapping is not None else FileMapping()
    specs = table_specs(table, schema)
    targets = resolve_columns(
        raw, table, specs, mapping, unknown_columns or mapping.unknown_columns
    )
    if columns is not None and table != "unit":
        targets = {k: t for k, t in targets.items() if wanted_column(specs[t], columns)}
    dec = decimal or mapping.decimal
    builders: dict[str, _Builder] = {}
    for name, target in targets.items():
        spec = specs[target]
        vmap = mapping.value_map(table, target, spec.kind)
        builders[name] = _Builder(
            spec, table, vmap, dec, raw.layout.n_rows, coded_units, raw.date1904
        )
        builders[name].file = raw.file
        if raw.written is not None:
            builders[name].written = functools.partial(raw.written, name)
    blank = [h for h in raw.header if h.startswith("<column ")]
    offset = 0
    with (
        tqdm_bar(raw.layout.n_rows or None, f"{raw.file}", bars, unit="rows") as bar,
        ThreadPoolExecutor(max_workers=2, thread_name_prefix="learnsoc-convert") as pool,
    ):
        for batch in raw.iter_batches([*targets, *blank]):
            for name, column in batch.items():
                if name in blank:
                    _check_blank(column, name, raw, offset)
            work = [(builders[k], c) for k, c in batch.items() if k in builders]
            size = len(next(iter(batch.values()))) if batch else 0
            # Columns are independent and numpy and pyarrow let go of the GIL while they
            # work: big batches convert two columns at a time.
            if len(work) > 1 and size >= _PARALLEL_ROWS:
                done = list(pool.map(lambda bc, at=offset: bc[0].add(bc[1], at), work))
            else:
                done = [b.add(c, offset) for b, c in work]
            n = done[-1] if done and done[-1] else size
            offset += n
            bar.update(n)
    out = {builders[name].spec.name: builders[name].finish(offset) for name in targets}
    for name in targets:
        if builders[name].dated:
            dated = builders[name].dated
            example = max(dated, key=dated.__getitem__)  # the most frequent (ties: by text)
            n = sum(dated.values())
            # The warning gives its message a catalog id itself.
            warnings.warn(BirthDatesAsYearsWarning(raw.file, name, n, example), stacklevel=2)
        if builders[name].words:
            words = dict(sorted(builders[name].words.items(), key=lambda kv: (-kv[1], kv[0])))
            # The warning gives its message a catalog id itself.
            warnings.warn(PlaceholderWarning(raw.file, name, words), stacklevel=2)
    found = [b for name in targets for b in builders[name].rejects]
    if rejects is not None:
        rejects.extend(found)
    elif found:
        raise _first_problem(raw, found)
    return out


def _first_problem(raw: RawTable, found: list[RejectBatch]) -> FileFormatError:
    """Return an error naming the first cell that could not be converted."""
    from learnsoc.rejects import TRANSLATED_EXPECTED, reason_message

    row, batch = min((int(b.rows.min()), b) for b in found if len(b))
    pos = int(np.flatnonzero(batch.rows == row)[0])
    record = raw.layout.record_of(np.array([row]))
    line = int(raw.layout.line_of(record)[0])
    expected: str | Phrase = batch.expected
    if batch.reason in TRANSLATED_EXPECTED:  # a hint in words (the date forms read)
        expected = Phrase(Message(batch.expected))
    value = str(batch.values[pos])
    number = number_of(value, batch.expected)
    said = reason_message(batch.reason, value)  # a decimal comma (12,5) is said so
    what = Message(said, value=value, expected=expected, number=number)
    msg = Message(N_("column {column}: {problem}"), column=batch.column, problem=Phrase(what))
    return file_error(msg, file=raw.file, line=line)


#: Batches of at least this many rows convert their columns on two threads.
_PARALLEL_ROWS = 1 << 16


def wanted_column(spec: ColumnSpec, columns: Collection[str]) -> bool:
    """Return whether ``columns=`` keeps a column: ids, units and required columns always.

    A unit code places its row in the tree (a clan's given home unit is what reports
    count it under), so it is always read. An optional reference (a household's
    ``clan_id``) is an attribute like any other: kept only if named.

    Examples
    --------
    >>> specs = table_specs("person")
    >>> [name for name, spec in specs.items() if wanted_column(spec, ["age"])]
    ['person_id', 'household_id', 'age', 'birth_year', 'birth_date']
    """
    if spec.kind == "id" or spec.required or spec.name in columns or spec.name == "unit_code":
        return True
    # Ages may be given as birth years or dates.
    return (spec is BIRTH_YEAR or spec is BIRTH_DATE) and "age" in columns


def text_columns(
    raw: RawTable,
    *,
    too_long: dict[str, tuple[NDArray[np.int64], list[str]]] | None = None,
    long_numbers: dict[str, NDArray[np.int64]] | None = None,
) -> dict[str, NDArray[np.str_]]:
    """Return every column of a raw table as trimmed numpy text (for tables outside the schema).

    A cell longer than :data:`~learnsoc.limits.MAX_CELL_CHARS` is an error naming its line
    and column, unless ``too_long`` is given: the cell is then blank, and its column's rows
    and values (cut for display) are put in ``too_long``, for the caller to reject the row.
    Text loses the mark of a workbook's number cells of 16 digits or more
    (:class:`~learnsoc._excel_cells.LongNumber`): ``long_numbers``, if given, receives
    their rows per column, for the caller to refuse such ids (``digits_lost``).

    Examples
    --------
    >>> from learnsoc.io.table import Layout, RawTable
    >>> raw = RawTable("c.csv", ("unit_code",), [{"unit_code": np.array([" 01 "])}], Layout(1))
    >>> text_columns(raw)["unit_code"].tolist()
    ['01']
    """
    parts: dict[str, list[NDArray[np.str_]]] = {h: [] for h in raw.header}
    offsets = dict.fromkeys(raw.header, 0)
    for batch in raw.iter_batches():
        for name, column in batch.items():
            for chunk in _chunks(column):
                kept, rows, values = _screen(chunk, MAX_CELL_CHARS)
                if len(rows):
                    at = rows + offsets[name]
                    if too_long is None:
                        long = RejectBatch(
                            "counts", name, "cell_too_long", at, values, str(MAX_CELL_CHARS)
                        )
                        raise _first_problem(raw, [long])
                    before, shown_before = too_long.get(name, (_NO_ROWS, []))
                    too_long[name] = (np.concatenate([before, at]), [*shown_before, *values])
                if long_numbers is not None:
                    marked = long_number_rows(kept)
                    if len(marked):
                        before_marked = long_numbers.get(name, _NO_ROWS)
                        long_numbers[name] = np.concatenate([before_marked, marked + offsets[name]])
                parts[name].append(_text_array(kept))
                offsets[name] += len(kept)
    return {
        k: _strip(np.concatenate(v)) if v else np.zeros(0, "<U1")
        for k, v in parts.items()
        if not k.startswith("<column ")
    }


def text_cells(cells: Sequence[str]) -> NDArray[Any]:
    """Return a reader's cells as a numpy array whose memory follows their length.

    Short cells make fixed-width text (the fast path); if one cell is long, the column
    is an object array of the Python strings instead, so that one long cell does not
    make every cell as wide (:func:`convert_table` screens and converts either).

    Examples
    --------
    >>> text_cells(["1", "2"]).dtype.str, text_cells(["1", "9" * 100]).dtype.kind
    ('<U1', 'O')
    """
    if not cells:
        return np.zeros(0, "<U1")
    # numpy's fixed-width text drops a cell's trailing NULs ("P6\x00" would be "P6"): a
    # batch holding a NUL keeps its strings, so the id check sees and names it.
    if max(map(len, cells)) <= _NARROW and "\x00" not in "".join(cells):
        return np.array(cells, dtype=str)
    out = np.empty(len(cells), dtype=object)
    out[:] = cells
    return out


def _check_blank(column: Any, name: str, raw: RawTable, offset: int) -> None:
    # A CSV file over one pyarrow block gives a chunked column: check it chunk by chunk.
    for chunk in _chunks(column):
        _check_blank_chunk(chunk, name, raw, offset)
        offset += len(chunk)


def _check_blank_chunk(column: Any, name: str, raw: RawTable, offset: int) -> None:
    text, _, _ = _screen(column, MAX_CELL_CHARS)
    if _is_arrow(text) or np.asarray(text).dtype.kind != "O":
        text = np.char.strip(_text_array(text)) if len(text) else np.zeros(0, "<U1")
        filled = np.flatnonzero(text != "")
    else:
        # Too long cells were blanked above: a long cell counts as a value here.
        full = [not _is_missing(v) and str(v).strip() != "" for v in np.asarray(column).tolist()]
        filled = np.flatnonzero(full)
    if len(filled):
        record = raw.layout.record_of(np.array([filled[0] + offset]))
        line = int(raw.layout.line_of(record)[0])
        # Blank names are "<column N>" (see learnsoc.io.csv.clean_header).
        msg = Message(
            N_("<column {n}> has no name in the header but holds values; name it or delete it"),
            n=name.removeprefix("<column ").removesuffix(">"),
        )
        raise file_error(msg, file=raw.file, line=line)


# -- chunks of any origin -------------------------------------------------------------


def _is_arrow(x: Any) -> bool:
    return type(x).__module__.split(".")[0] == "pyarrow"


def _is_typed_arrow(chunk: Any) -> bool:
    """Return whether a chunk is Arrow numbers (a CSV column the reader parsed as numbers)."""
    if not _is_arrow(chunk):
        return False
    import pyarrow as pa

    return bool(pa.types.is_integer(chunk.type) or pa.types.is_floating(chunk.type))


def _chunks(column: Any) -> Iterator[Any]:
    if _is_arrow(column) and hasattr(column, "chunks"):
        yield from column.chunks
    else:
        yield column


def _screen(chunk: Any, limit: int) -> tuple[Any, NDArray[np.int64], list[str]]:
    """Take cells longer than ``limit`` characters out of a text chunk, before any copy.

    Returns the chunk with those cells blank, their rows and their values cut for display.
    Every fixed-width text array made later is then at most ``limit`` characters wide:
    one 1 MB cell no longer makes every cell of its column 4 MB. The common case costs one
    pass over the offsets (Arrow) or nothing (numpy text narrower than the limit).
    """
    if _is_arrow(chunk):
        return _screen_arrow(chunk, limit)
    arr = np.asarray(chunk)
    if arr.dtype.kind == "U":
        if arr.itemsize // 4 <= limit or not len(arr):
            return arr, _NO_ROWS, []
        lengths = np.char.str_len(arr)
    elif arr.dtype.kind == "O":
        lengths = np.fromiter(
            (len(v) if isinstance(v, str) else 0 for v in arr.tolist()), np.int64, len(arr)
        )
    else:
        return arr, _NO_ROWS, []
    rows = np.flatnonzero(lengths > limit)
    if not len(rows):
        return arr, _NO_ROWS, []
    values = [shown(v) for v in arr[rows].tolist()]
    keep = np.ones(len(arr), bool)
    keep[rows] = False
    if arr.dtype.kind == "U":
        # Rebuild at the width of the cells kept: the wide array is let go at once.
        width = max(int(lengths[keep].max()) if keep.any() else 1, 1)
        out = arr.astype(f"<U{width}")
        out[rows] = ""
    else:
        out = arr.copy()
        out[rows] = ""
    return out, rows.astype(np.int64), values


def _screen_arrow(chunk: Any, limit: int) -> tuple[Any, NDArray[np.int64], list[str]]:
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_dictionary(chunk.type):
        kept, rows, _ = _screen_arrow(chunk.dictionary, limit)
        if not len(rows):
            return chunk, _NO_ROWS, []
        long = np.zeros(len(chunk.dictionary), bool)
        long[rows] = True
        idx = _arrow_indices(chunk.indices, len(long))
        hit = np.flatnonzero(np.append(long, False)[idx])
        cut = [shown(v) for v in pc.utf8_slice_codeunits(chunk.dictionary, 0, _CUT).to_pylist()]
        values = [cut[i] for i in idx[hit].tolist()]
        out = pa.DictionaryArray.from_arrays(chunk.indices, kept)
        return out, hit.astype(np.int64), values
    if not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)):
        return chunk, _NO_ROWS, []
    n = len(chunk)
    if n == 0:
        return chunk, _NO_ROWS, []
    size = 8 if pa.types.is_large_string(chunk.type) else 4
    offsets = np.frombuffer(chunk.buffers()[1], f"i{size}", n + 1, chunk.offset * size)
    # A cell's bytes bound its characters: most columns are done here.
    if int(np.diff(offsets).max()) <= limit:
        return chunk, _NO_ROWS, []
    lengths = _arrow_numbers(pc.utf8_length(_without_nulls(chunk)))
    rows = np.flatnonzero(lengths > limit)
    if not len(rows):
        return chunk, _NO_ROWS, []
    # Arrays built from buffers: pa.array would import pandas (0.2 s, 20 MB).
    where = pa.Array.from_buffers(pa.int64(), len(rows), [None, pa.py_buffer(rows.tobytes())])
    taken = pc.utf8_slice_codeunits(chunk.take(where), 0, _CUT)
    values = [shown(v) for v in _without_nulls(taken).to_pylist()]
    long = np.zeros(n, bool)
    long[rows] = True
    bits = pa.py_buffer(np.packbits(long, bitorder="little").tobytes())
    mask = pa.Array.from_buffers(pa.bool_(), n, [None, bits])
    out = pc.if_else(mask, _arrow_blank(chunk.type), chunk)
    return out, rows.astype(np.int64), values


#: Characters taken from a long cell for display: one more than shown, so it is cut.
_CUT = MAX_SHOWN_CHARS + 1


def _text_array(column: Any) -> NDArray[np.str_]:
    """Return any text column (numpy or Arrow) as a numpy ``str`` array, untrimmed."""
    if _is_arrow(column):
        parts = [_arrow_text(c) for c in _chunks(column)]
        if not parts:
            return np.zeros(0, "<U1")
        return np.concatenate(parts) if len(parts) > 1 else parts[0]
    arr = np.asarray(column)
    if arr.dtype.kind == "U":
        return arr
    if arr.dtype.kind == "O":
        return np.array(["" if _is_missing(v) else str(v) for v in arr.tolist()], dtype=str)
    if arr.dtype.kind == "S":
        return np.char.decode(arr, "utf-8")
    return arr.astype(str)


def _is_missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and v != v)


def _arrow_text(chunk: Any) -> NDArray[np.str_]:
    """Convert one Arrow chunk of text to a numpy ``str`` array (nulls become "")."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_dictionary(chunk.type):
        values, idx = _arrow_dictionary(chunk)
        cells: NDArray[np.str_] = values[idx]
        return cells
    if not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)):
        chunk = pc.cast(chunk, pa.string())
    chunk = _without_nulls(chunk)
    n = len(chunk)
    if n == 0:
        return np.zeros(0, "<U1")
    width = max(int(pc.max(pc.utf8_length(chunk)).as_py() or 0), 1)
    if pc.all(pc.string_is_ascii(chunk)).as_py():
        # Pad to one width: the string buffer is then a numpy fixed-width array.
        padded = pc.utf8_rpad(chunk, width=width, padding="\x00")
        size = 8 if pa.types.is_large_string(padded.type) else 4
        offsets = np.frombuffer(padded.buffers()[1], f"i{size}", n + 1, padded.offset * size)
        data = padded.buffers()[2]
        fixed = np.frombuffer(data, f"S{width}", n, int(offsets[0]))
        return fixed.astype(f"U{width}")
    return np.array(chunk.to_pylist(), dtype=f"U{width}")


# -- building one column --------------------------------------------------------------


class _Builder:
    """Converts one column chunk by chunk and joins the chunks at the end.

    Numbers and text are copied straight into one array of the expected length as they
    come, so the chunks a reader hands over (a Parquet row group, a CSV block) can be
    freed at once instead of all waiting for the final join; a chunk of another type or
    wider text, or a reader that delivers more rows than announced, switches to a list
    of chunks joined at the end.
    """

    def __init__(
        self,
        spec: ColumnSpec,
        table: str,
        vmap: Mapping[str, str],
        decimal: str,
        n_rows: int | None = None,
        coded: bool = False,
        date1904: bool = False,
    ):
        self.spec = spec
        # From a workbook in Excel's 1904 date system: numbers shown as dates count from
        # 1904 (see learnsoc._date_cells).
        self.date1904 = date1904
        # Unit codes as CodedIds (each chunk's distinct codes once) instead of text.
        self.coded = coded and spec.name == "unit_code"
        self.coded_parts: list[CodedIds] = []
        self.table = table
        self.vmap = vmap
        self.decimal = decimal
        self.n_rows = n_rows
        self.parts: list[NDArray[Any]] = []
        self.out: NDArray[Any] | None = None
        self.filled = 0
        # Cells that could not be converted, rows numbered among the rows handed on.
        self.rejects: list[RejectBatch] = []
        self.skip = _NO_ROWS
        # Words read as "no value" (NULL, NaN, -) and how many cells held each.
        self.words: Counter[str] = Counter()
        # Dates of birth in a birth-year column, read as their years, and their cells.
        self.dated: Counter[str] = Counter()
        # Ids are fixed-width text: a shorter limit keeps one long id from widening all.
        self.limit = MAX_ID_CHARS if spec.kind in ("id", "ref") else MAX_CELL_CHARS
        # Shows a bad cell as the file has it when the reader parsed its column as numbers.
        self.written: Callable[[NDArray[np.int64]], NDArray[np.str_]] | None = None
        # The file read, for the errors that refuse a whole column.
        self.file = ""

    def keep(self, part: NDArray[Any]) -> None:
        """Store a converted chunk: into the preallocated array if it fits, else listed."""
        if self.out is None and not self.parts and self.n_rows and part.dtype.kind in "biufU":
            self.out = np.empty(self.n_rows, part.dtype)
        out = self.out
        end = self.filled + len(part)
        # Text may come narrower than the first chunk, never wider; numbers exactly typed.
        fits = out is not None and (
            part.dtype == out.dtype
            or (part.dtype.kind == out.dtype.kind == "U" and part.itemsize <= out.itemsize)
        )
        if out is not None and fits and end <= len(out):
            out[self.filled : end] = part
            self.filled = end
            return
        if out is not None:  # give up on the single array: list what it holds
            self.parts.append(out[: self.filled])
            self.out = None
        self.parts.append(part)

    def joined_parts(self) -> list[NDArray[Any]]:
        """Return the converted chunks in order (one array when preallocation held)."""
        if self.out is not None:
            return [self.out[: self.filled]]
        return self.parts

    def add(self, column: Any, offset: int) -> int:
        n = 0
        for chunk in _chunks(column):
            n += self.add_chunk(chunk, offset + n)
        return n

    def add_chunk(self, chunk: Any, offset: int) -> int:
        kind = self.spec.kind
        chunk, long, values = _screen(chunk, self.limit)
        self.skip = long + offset
        if len(long):
            self.reject("cell_too_long", long + offset, values, str(self.limit))
        if kind in ("id", "ref"):
            for reason, check in _ID_CHECKS:
                chunk, bad, values = check(chunk)
                if len(bad):
                    self.reject(reason, bad + offset, values)
                    # Blanked like a too long cell: not also a missing value.
                    self.skip = np.union1d(self.skip, bad + offset)
            chunk, unwhole = _unwhole_ids(chunk)
            for reason, rows, shown_values in unwhole:
                expected = FLOAT_ID_RANGE if reason == "out_of_range" else ""
                self.reject(reason, rows + offset, shown_values, expected)
                self.skip = np.union1d(self.skip, rows + offset)
        if self.coded:
            self.coded_parts.append(_coded_ids(chunk))
        elif kind in ("id", "ref"):
            keep_text = self.spec.name in ("unit_code", "code", "parent_code")
            # Blanks can go through float64 (NaN) only where a blank is not reported:
            # the model shows a missing number as 0, a missing text as "".
            optional = self.spec.kind == "ref" and not self.spec.required
            self.keep(_ids(chunk, keep_text, optional))
        elif kind == "text":
            # Names typed on a Mac (NFD) are written out as typed elsewhere (NFC): the
            # same in reports and spreadsheets, found by a search for the name.
            out = nfc_text(_strip(_text_array(chunk)))
            if self.vmap:
                out = _map_text(out, self.vmap)
            if self.date1904 and self.spec is BIRTH_DATE:
                self.reject_typed_years(out, offset)
            self.keep(out)
        else:
            self.keep(self.typed_attribute(chunk, offset))
        return len(chunk)

    def typed_attribute(self, chunk: Any, offset: int) -> NDArray[Any]:
        """Convert a yes/no, code or number chunk; a column of dates or times is refused.

        The schema's error names the column only; the file is named here (a Parquet
        column of dates read for ``age``).
        """
        try:
            return self.attribute(chunk, offset)
        except SchemaError as err:
            if "dtype" not in err.params:
                raise
            msg = Message(
                N_("{file} holds values of dtype {dtype} in this column, which needs numbers"),
                file=self.file,
                dtype=err.params["dtype"],
            )
            raise SchemaError(self.table, self.spec.name, str(msg)).translatable(msg) from None

    def reject_typed_years(self, dates: NDArray[np.str_], offset: int) -> None:
        """Reject the birth dates that are how a 1904 workbook shows a year typed as a date.

        The population checks the 1900 system's (12/06/1905 for 1990), not knowing the
        workbook; the 1904 system's (13/06/1909) are checked here, where it is known.
        """
        words, inverse = np.unique(dates, return_inverse=True)
        typed = np.array([typed_year(w, date1904=True) is not None for w in words.tolist()])
        rows = np.flatnonzero(typed[inverse.reshape(-1)]) if len(words) else _NO_ROWS
        if len(rows):
            cut = np.array([shown(v) for v in dates[rows].tolist()], dtype=str)
            self.reject("number_as_date", rows + offset, cut, HINTS_1904[YEAR_HINT])

    def reject(self, reason: str, rows: NDArray[Any], values: Any, expected: str = "") -> None:
        if reason != "cell_too_long" and len(self.skip):
            # A too long cell was blanked: it is not also a missing value.
            keep = ~np.isin(rows, self.skip)
            rows, values = rows[keep], np.asarray(values)[keep]
        if len(rows):
            batch = RejectBatch(self.table, self.spec.name, reason, rows, values, expected)
            self.rejects.append(batch)

    def attribute(self, chunk: Any, offset: int) -> NDArray[Any]:
        """Convert a yes/no, code or number chunk; its bad cells become rejects.

        The stored column is handed on as it is (bad cells hold a placeholder): the
        rejects carry the rows and the values cut for display, so no text column is
        ever built for a few bad cells.
        """
        storage = _arrow_storage(chunk, self.spec)
        if storage is not None:
            stored, batches = convert_column(storage, self.spec, self.table)
            if not batches:
                return stored
        values, codes = _dictionary(chunk)
        if values is None:
            if _is_arrow(chunk) and codes.dtype.kind == "f":
                # A NaN that is not a null: the word "nan" in a CSV number column.
                nan = int(np.isnan(codes).sum()) - chunk.null_count
                if nan:
                    self.words["NaN"] += nan
            # Typed numbers (Parquet, data frames): the schema's own vectorized check.
            stored, batches = convert_column(codes, self.spec, self.table)
            for b in batches:
                if b.reason == "missing_value":
                    text = np.zeros(len(b.rows), "<U1")
                elif self.written is not None and _is_typed_arrow(chunk):
                    # Parsed as numbers by the reader: show the cells as the file has them.
                    text = self.written(b.rows + offset)
                else:
                    text = _number_text(np.asarray(codes)[b.rows])
                self.reject(b.reason, b.rows + offset, text, b.expected)
            return stored
        texts = [self.adjust(v) for v in values]
        if self.spec is BIRTH_YEAR:
            self.count_dates(values, texts, codes)
        # Distinct values only; held as Python strings when one is long, so a long cell
        # never widens the others (convert_column reads both the same way).
        wide = bool(texts) and max(map(len, texts)) > _NARROW
        text_arr = np.array(texts, dtype=object if wide else str) if texts else np.zeros(0, "<U1")
        stored_d, batches = convert_column(text_arr, self.spec, self.table, date1904=self.date1904)
        stored = stored_d[codes] if len(texts) else np.zeros(len(codes), stored_d.dtype)
        self.count_words(values, texts, batches, codes)
        if batches:
            # The value as the file writes it (1.250.000), not as adjusted (1250000).
            cut = np.array([shown(v.strip()) for v in values], dtype=str)
            for b in batches:
                hit = np.zeros(len(texts), bool)
                hit[b.rows] = True
                rows = np.flatnonzero(hit[codes])
                self.reject(b.reason, rows + offset, cut[codes[rows]], b.expected)
        return stored

    def count_words(
        self, values: list[str], texts: list[str], batches: list[RejectBatch], codes: Any
    ) -> None:
        """Count the cells whose word (``NULL``, ``-`` ...) was read as a missing value."""
        refused = {int(r) for b in batches for r in b.rows.tolist()}
        words = [i for i, t in enumerate(texts) if i not in refused and _is_word(t)]
        if words:
            counts = np.bincount(codes, minlength=len(values))
            for i in words:
                if counts[i]:
                    self.words[values[i].strip()] += int(counts[i])

    def count_dates(self, values: list[str], texts: list[str], codes: Any) -> None:
        """Count the cells of a birth-year column whose date was read as its year."""
        dated = [i for i, t in enumerate(texts) if t != values[i].strip() and full_date(values[i])]
        if dated:
            counts = np.bincount(codes, minlength=len(values))
            for i in dated:
                if counts[i]:
                    self.dated[values[i].strip()] += int(counts[i])

    def adjust(self, value: str) -> str:
        """Trim a distinct cell value, apply the value map and the decimal comma.

        In a birth-year column, a whole date of birth gives its year (:func:`_year_of`).
        """
        text = value.strip()
        mapped = map_word(self.vmap, text) if self.vmap else None
        if mapped is not None:
            return mapped
        if self.spec is BIRTH_YEAR and (year := _year_of(text, self.date1904)) is not None:
            return str(year)
        if self.decimal == "," and self.spec.kind in ("int", "float"):
            return number_text(text, ",")
        return text

    def finish(self, n: int) -> NDArray[Any] | CodedIds:
        if self.coded:
            return CodedIds.concatenate(self.coded_parts)
        parts = self.joined_parts()
        if not parts:
            return _empty(self.spec)
        if self.spec.kind in ("id", "ref"):
            return _join_ids(parts)
        return np.concatenate(parts) if len(parts) > 1 else parts[0]


_NO_ROWS = np.zeros(0, np.int64)


def _control_cells(chunk: Any) -> tuple[Any, NDArray[np.int64], list[str]]:
    """Take id cells holding a control character out of a chunk (see ``_control_chars``).

    Returns the chunk with those cells blank, their rows and their values for display.
    Surrounding whitespace (a tab, a line end) is trimmed, as from every id, first.
    """
    if _is_arrow(chunk):
        return _control_cells_arrow(chunk)
    arr = np.asarray(chunk)
    if arr.dtype.kind == "O":  # Python strings (a long cell, a NUL): kept as they are
        return _control_text(arr, chunk)
    if arr.dtype.kind != "U" or not len(arr) or arr.itemsize == 0:
        return chunk, _NO_ROWS, []
    width = arr.itemsize // 4
    scan = width > _SUSPECT_SCAN_WIDTH and len(arr) * width >= _SUSPECT_SCAN_CHARS
    maybe = _text_suspects(arr) if scan else None
    if maybe is None:
        return _control_text(arr, chunk)
    if not len(maybe):
        return chunk, _NO_ROWS, []
    # Only the rows that may hold such a character are looked at closely.
    _, rows, values = _control_text(arr[maybe], None)
    if not len(rows):
        return chunk, _NO_ROWS, []
    rows = maybe[rows]
    out = arr.copy()
    out[rows] = ""
    return out, rows, values


def _control_text(arr: NDArray[Any], chunk: Any) -> tuple[Any, NDArray[np.int64], list[str]]:
    """Do what :func:`_control_cells` does for numpy text, looking at every character."""
    rows = control_rows(arr)
    if not len(rows):
        return chunk, _NO_ROWS, []
    out = arr.copy()
    out[rows] = ""
    return out, rows, [shown(visible(str(v).strip())) for v in arr[rows].tolist()]


#: The first bytes of the characters ``CONTROL`` finds, in UTF-8 (C0 and NUL as
#: themselves, DEL, ``C2`` for C1 and the soft hyphen, ``E2`` and ``EF`` for the invisible
#: ones): a cell without any of these bytes holds none of those characters. Vietnamese
#: letters start with other bytes (``C3``-``C6``, ``CC``, ``E1``).
_SUSPECT_BYTES = np.zeros(256, bool)
_SUSPECT_BYTES[
    [
        chr(c).encode("utf-8")[0]
        for c in [
            *range(0x20),
            *range(0x7F, 0xA0),
            *(c for a, b in INVISIBLE for c in range(a, b + 1)),
        ]
    ]
] = True

#: Numpy text whose bytes are looked at first: wider than this many characters (numpy
#: looks at every character of the widest cell in each cell, 0.13 s for a million ids
#: of 9, 1.0 s of 64; the bytes cost 0.17 s whatever the width) ...
_SUSPECT_SCAN_WIDTH = 16
#: ... and of at least this many characters in all (not worth importing pyarrow below).
_SUSPECT_SCAN_CHARS = 1 << 22


def _utf8_suspects(chunk: Any) -> NDArray[np.int64]:
    """Return the rows of an Arrow text chunk whose bytes hold one of ``_SUSPECT_BYTES``.

    One look at each byte of the chunk's UTF-8 data: 0.03 s for a million ids, where the
    regular expression, or numpy over fixed-width text, takes several times that.
    """
    import pyarrow as pa

    _, offsets_buffer, data_buffer = chunk.buffers()
    if offsets_buffer is None or data_buffer is None:  # no bytes: every cell is ""
        return _NO_ROWS
    wide = np.int64 if pa.types.is_large_string(chunk.type) else np.int32
    offsets = np.frombuffer(offsets_buffer, wide)[chunk.offset : chunk.offset + len(chunk) + 1]
    first, last = int(offsets[0]), int(offsets[-1])
    data = np.frombuffer(data_buffer, np.uint8)[first:last]
    at = np.flatnonzero(_SUSPECT_BYTES[data]) + first
    # A byte of a null cell (Arrow keeps whatever they point at) is a suspect too: the
    # exact look reads the cell as "".
    return np.unique(np.searchsorted(offsets, at, side="right") - 1).astype(np.int64)


def _text_suspects(arr: NDArray[np.str_]) -> NDArray[np.int64] | None:
    """Return the rows of numpy text that may hold a control character; None without pyarrow.

    The text is made UTF-8 by Arrow (one pass, whatever the array's width: numpy's
    fixed-width text is as wide as its longest cell) and its bytes looked at. Arrow ends a
    cell at its first NUL, so a NUL inside a cell is found from the two lengths.
    """
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:
        return None
    try:
        utf8 = pa.array(arr, type=pa.large_string())
    except (pa.ArrowException, ValueError):  # a lone surrogate: looked at in numpy
        return None
    cut = np.asarray(pc.utf8_length(utf8).to_numpy(zero_copy_only=False)) != np.char.str_len(arr)
    return np.union1d(_utf8_suspects(utf8), np.flatnonzero(cut)).astype(np.int64)


def _control_cells_arrow(chunk: Any) -> tuple[Any, NDArray[np.int64], list[str]]:
    return _arrow_cells_matching(
        chunk, CONTROL_RE2, lambda v: shown(visible(v)), suspects=_utf8_suspects
    )


def _arrow_cells_matching(
    chunk: Any,
    pattern: str,
    show: Callable[[str], str],
    suspects: Callable[[Any], NDArray[np.int64]] | None = None,
) -> tuple[Any, NDArray[np.int64], list[str]]:
    """Blank the text cells of an Arrow chunk that match ``pattern`` once trimmed.

    Returns the chunk (decoded from a dictionary when a cell matches), the rows of those
    cells and their values as ``show`` writes them (trimmed). A dictionary's words are
    looked at first: most chunks of ids have no such word, and are returned as they are.
    ``suspects`` gives the rows that may match (every one that does): only those are
    matched against ``pattern``.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    def is_text(kind: Any) -> bool:
        return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))

    def matches(words: Any) -> Any:
        return pc.match_substring_regex(pc.utf8_trim_whitespace(words), pattern)

    if pa.types.is_dictionary(chunk.type):
        words = chunk.dictionary
        if not is_text(words.type) or not pc.any(matches(words)).as_py():
            return chunk, _NO_ROWS, []
        chunk = chunk.dictionary_decode()
    if not is_text(chunk.type) or not len(chunk):
        return chunk, _NO_ROWS, []
    if suspects is not None:
        maybe = suspects(chunk)
        if not len(maybe):
            return chunk, _NO_ROWS, []
        found = matches(_without_nulls(chunk.take(pa.array(maybe))))
        mask = np.zeros(len(chunk), bool)
        mask[maybe[np.asarray(found.to_numpy(zero_copy_only=False), dtype=bool)]] = True
        hit = pa.array(mask)
    else:
        # Nulls as "" first: no scalar is made (pa.scalar and fill_null(x, False) import
        # pandas).
        hit = matches(_without_nulls(chunk))
    if not pc.any(hit).as_py():
        return chunk, _NO_ROWS, []
    mask = np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool)
    rows = np.flatnonzero(mask).astype(np.int64)
    values = [show(str(v).strip()) for v in pc.filter(chunk, hit).to_pylist()]
    return pc.if_else(hit, _arrow_blank(chunk.type), chunk), rows, values


def _pattern_cells(
    chunk: Any, rows_of: Callable[[NDArray[Any]], NDArray[np.int64]], re2: str
) -> tuple[Any, NDArray[np.int64], list[str]]:
    """Take the id cells a pattern of :mod:`learnsoc._excel_cells` matches out of a chunk.

    ``rows_of`` finds them in numpy text, ``re2`` (the same pattern for Arrow) in Arrow
    text. Returns the chunk with those cells blank, their rows and their values for
    display (trimmed), as :func:`_control_cells` does.
    """
    if _is_arrow(chunk):
        return _arrow_cells_matching(chunk, re2, shown)
    arr = np.asarray(chunk)
    rows = rows_of(arr)
    if not len(rows):
        return chunk, _NO_ROWS, []
    values = [shown(str(v).strip()) for v in arr[rows].tolist()]
    out = arr.copy()
    out[rows] = ""
    return out, rows, values


def _scientific_cells(chunk: Any) -> tuple[Any, NDArray[np.int64], list[str]]:
    """Take id cells written in scientific notation (``1.23457E+11``) out of a chunk."""
    return _pattern_cells(chunk, scientific_rows, SCIENTIFIC_RE2)


def _excel_error_cells(chunk: Any) -> tuple[Any, NDArray[np.int64], list[str]]:
    """Take id cells holding a spreadsheet's error value (``#N/A``) out of a chunk."""
    return _pattern_cells(chunk, excel_error_rows, EXCEL_ERROR_RE2)


def _long_number_cells(chunk: Any) -> tuple[Any, NDArray[np.int64], list[str]]:
    """Take a workbook's number cells of more than 15 digits out of an id chunk.

    Only the Excel reader hands such cells on, as :class:`~learnsoc._excel_cells.LongNumber`
    in a column of Python strings; any other chunk is returned as it is.
    """
    if _is_arrow(chunk):
        return chunk, _NO_ROWS, []
    arr = np.asarray(chunk)
    rows = long_number_rows(arr)
    if not len(rows):
        return chunk, _NO_ROWS, []
    out = arr.copy()
    out[rows] = ""
    return out, rows, [shown(str(v)) for v in arr[rows].tolist()]


#: The checks of id cells that blank a cell and reject its row, in order, with their reasons.
_ID_CHECKS: tuple[tuple[str, Callable[[Any], tuple[Any, NDArray[np.int64], list[str]]]], ...] = (
    ("control_character", _control_cells),
    ("digits_lost", _long_number_cells),
    ("scientific_notation", _scientific_cells),
    ("excel_error", _excel_error_cells),
)


def _unwhole_ids(chunk: Any) -> tuple[Any, list[tuple[str, NDArray[np.int64], NDArray[np.str_]]]]:
    """Take the cells of a float id column that are no whole number out of a chunk.

    Ids typed as floats (pandas writes integer ids with a gap as floats) are whole: 3.0
    is the id 3. A fraction (2.5) is a ``not_integer`` reject, an infinity a
    ``not_a_number`` one and a float beyond 2**53 an ``out_of_range`` one: pyarrow spells
    them ``"2.5"``, ``"inf"`` and ``"1e+20"``, which would be read as text ids. Returns
    the chunk with those cells blank and, per reason, their rows and values for display.
    A NaN is a missing id (see :func:`_ids`).
    """
    if _is_arrow(chunk):
        import pyarrow as pa
        import pyarrow.compute as pc

        kind = chunk.type.value_type if pa.types.is_dictionary(chunk.type) else chunk.type
        if not pa.types.is_floating(kind):
            return chunk, []
        if pa.types.is_dictionary(chunk.type):
            chunk = chunk.dictionary_decode()
        numbers = np.asarray(chunk.to_numpy(zero_copy_only=False), np.float64)  # nulls: NaN
    else:
        numbers = np.asarray(chunk)
        if numbers.dtype.kind != "f":
            return chunk, []
    unwhole = unwhole_floats(numbers)
    found = []
    for reason, mask in unwhole.items():
        rows = np.flatnonzero(mask).astype(np.int64)
        if len(rows):
            # A float beyond 2**53 is shown as it is held (1e+20), not as digits it never had.
            far = reason == "out_of_range"
            shown = numbers[rows].astype(str) if far else _number_text(numbers[rows])
            found.append((reason, rows, shown))
    if not found:
        return chunk, []
    blank = np.logical_or.reduce(list(unwhole.values()))
    if _is_arrow(chunk):
        return pc.if_else(pa.array(blank), pa.nulls(len(chunk), chunk.type), chunk), found
    return np.where(blank, np.nan, numbers), found


# A number whose dots group thousands: "1.250", "-1.250.000", "1.250,5".
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]*)?")


#: The zeros of ``1.000`` (see :func:`number_text`).
_ZEROS = re.compile(r"\.000$")
#: A number of one dot before three digits (``1.234``): how a thousand-dot file writes a
#: whole number, so never how a decimal comma's number is handed on (see number_text).
_ONE_GROUP = re.compile(r"[+-]?[0-9]{1,3}\.[0-9]{3}")


def number_text(text: str, decimal: str = ".") -> str:
    """Return a number cell's text with a decimal point, as a file with ``decimal`` means it.

    With ``decimal=","`` a dot followed by groups of exactly three digits separates
    thousands (Vietnamese spreadsheets: ``1.250`` is 1250) and the comma is the decimal
    mark; any other dot stays a decimal point. With ``decimal="."`` the text is left as
    it is (a comma then makes it no number: ``1,250`` is ambiguous).

    Examples
    --------
    A whole number written with a decimal comma and zeros (``1,000``) keeps one zero
    (``1.0``): ``1.000`` would be read as a thousand written with a dot (see
    :func:`learnsoc.model.schema.thousand_like`). Any other three decimals get a fourth
    (``1,234`` is ``1.2340``), so that no reject says to read thousands with the decimal
    comma the file is read with already (:data:`learnsoc.rejects.THOUSANDS_DOTS_NUMBER`).

    >>> [number_text(t, ",") for t in ["1.250", "1.250.000", "1.250,5", "1,5", "1.5", "12.50"]]
    ['1250', '1250000', '1250.5', '1.5', '1.5', '12.50']
    >>> number_text("1,250"), number_text("1,000", ","), number_text("1,234", ",")
    ('1,250', '1.0', '1.2340')
    """
    if decimal != ",":
        return text
    if "." in text and _GROUPED.fullmatch(text):
        text = text.replace(".", "")
    text = text.replace(",", ".")
    if thousand_like(text):
        return _ZEROS.sub(".0", text)
    return text + "0" if _ONE_GROUP.fullmatch(text) else text


def _is_word(text: str) -> bool:
    """Return whether a cell's text is a word for "no value" (never a blank)."""
    low = text.strip().lower()
    if not low:
        return False
    if low in MISSING_WORDS:
        return True
    try:
        return math.isnan(float(low))  # "-nan", "+NaN": read as NaN too
    except ValueError:
        return False


#: Distinct values longer than this are converted as Python strings, not fixed-width text.
_NARROW = 64


def _empty(spec: ColumnSpec) -> NDArray[Any]:
    if spec.kind in ("id", "ref", "text"):
        return np.zeros(0, "<U1")
    return np.zeros(0, spec.dtype)


def _strip(arr: NDArray[np.str_]) -> NDArray[np.str_]:
    return np.char.strip(arr) if len(arr) else arr


def _map_text(arr: NDArray[np.str_], vmap: Mapping[str, str]) -> NDArray[np.str_]:
    values, inverse = np.unique(arr, return_inverse=True)
    mapped = [w if (w := map_word(vmap, v)) is not None else v for v in values.tolist()]
    return np.array(mapped, dtype=str)[inverse] if mapped else arr


def _arrow_numbers(chunk: Any) -> NDArray[Any]:
    """Return an Arrow numeric chunk as numpy: a read-only view, or float64 with NaN for nulls.

    (``to_numpy`` goes through pyarrow's pandas layer, which imports pandas: 0.2 s.)
    """
    import pyarrow as pa

    kind = chunk.type
    if not (pa.types.is_integer(kind) or pa.types.is_floating(kind)):
        return np.asarray(chunk.to_numpy(zero_copy_only=False))
    if not chunk.null_count:
        return _arrow_data(chunk)
    # As pyarrow does: numbers with nulls become float64 with NaN.
    out = _arrow_data(chunk).astype(np.float64)
    out[~_arrow_valid(chunk)] = np.nan
    return out


def _arrow_dictionary(chunk: Any) -> tuple[NDArray[np.str_], NDArray[Any]]:
    """Return a dictionary chunk's distinct texts, a blank appended for nulls, and indices."""
    values = _arrow_text(chunk.dictionary)
    return np.append(values, ""), _arrow_indices(chunk.indices, len(values))


def _arrow_indices(indices: Any, missing: int) -> NDArray[Any]:
    """Return dictionary indices as numpy, nulls as ``missing``."""
    if not indices.null_count:
        return _arrow_numbers(indices)
    return np.where(_arrow_valid(indices), _arrow_data(indices), missing)


def _arrow_storage(chunk: Any, spec: ColumnSpec) -> NDArray[Any] | None:
    """Return an Arrow integer chunk in the column's storage dtype, blanks as its sentinel.

    The common case of a warehouse export (nullable integers) then skips the float64
    detour and goes through the schema's fast path. ``None`` when that cannot be done
    exactly: not an Arrow integer chunk, blanks in a required column, a value equal to
    the sentinel (it would read as missing) or a value the storage dtype cannot hold.
    The buffers are read with numpy: pyarrow's compute functions would import pandas.
    """
    if not _is_arrow(chunk) or spec.kind not in ("int", "code", "bool"):
        return None
    import pyarrow as pa

    if pa.types.is_boolean(chunk.type):
        return _arrow_bools(chunk, spec)
    if not pa.types.is_integer(chunk.type):
        return None
    sentinel = spec.missing
    if chunk.null_count and (spec.required or sentinel is None):
        return None
    data = _arrow_numbers(chunk) if not chunk.null_count else _arrow_data(chunk)
    dtype = np.dtype(spec.dtype)
    info = np.iinfo(dtype)
    # A type the storage holds whole (uint8 for uint8) needs no pass for its range.
    fits = np.can_cast(data.dtype, dtype, "safe")
    if len(data) and not fits and (int(data.min()) < info.min or int(data.max()) > info.max):
        return None
    if sentinel is None:
        return data.astype(dtype, copy=False)
    hit = data == sentinel
    if not chunk.null_count:
        return None if hit.any() else data.astype(dtype, copy=False)
    valid = _arrow_valid(chunk)
    if (hit & valid).any():
        return None
    return np.where(valid, data, sentinel).astype(dtype, copy=False)


def _arrow_bools(chunk: Any, spec: ColumnSpec) -> NDArray[Any] | None:
    """Return an Arrow boolean chunk as 0/1 in the column's storage dtype, nulls as its sentinel.

    Straight from the bits: the detour through float64 (NaN for nulls) and the general
    check cost a dozen passes over every cell of the commonest column type of a dataset.
    ``None`` (the general path) for a yes/no column without a sentinel, or blanks in a
    required one: those cells are rejects.
    """
    sentinel = spec.missing
    if spec.kind != "bool" or (chunk.null_count and (spec.required or sentinel is None)):
        return None
    bits = np.frombuffer(chunk.buffers()[1], np.uint8)
    stored = np.unpackbits(bits, count=len(chunk) + chunk.offset, bitorder="little")
    stored = stored[chunk.offset :].astype(np.dtype(spec.dtype), copy=False)
    if chunk.null_count and sentinel is not None:
        if stored.dtype == np.uint8 and int(sentinel) == 0xFF:
            # A null's validity byte 0 minus 1 wraps to 0xFF, the sentinel, and a valid
            # one's to 0: or-ed in place (an inverted mask and a scatter were two more
            # passes and a chunk-long mask, in every yes/no column with a blank).
            nulls = _arrow_valid(chunk).view(np.uint8)
            np.subtract(nulls, 1, out=nulls)
            np.bitwise_or(stored, nulls, out=stored)
        else:
            stored[~_arrow_valid(chunk)] = int(sentinel)
    return stored


def _arrow_data(chunk: Any) -> NDArray[Any]:
    """Return the values buffer of a primitive Arrow chunk (garbage under nulls)."""
    dtype = np.dtype(chunk.type.to_pandas_dtype())
    buf = chunk.buffers()[1]
    return np.frombuffer(buf, dtype, len(chunk) + chunk.offset)[chunk.offset :]


def _arrow_valid(chunk: Any) -> NDArray[np.bool_]:
    """Return the validity of each value of an Arrow chunk that has nulls."""
    bits = np.frombuffer(chunk.buffers()[0], np.uint8)
    valid = np.unpackbits(bits, count=len(chunk) + chunk.offset, bitorder="little")
    return valid[chunk.offset :].view(np.bool_)


def _dictionary(chunk: Any) -> tuple[list[str] | None, NDArray[Any]]:
    """Return (distinct text values, index of each cell) or (None, numbers) for typed input.

    The distinct values are Python strings: their memory is their own length, however
    long the longest of them.
    """
    if _is_arrow(chunk):
        import pyarrow as pa

        if pa.types.is_dictionary(chunk.type):
            words = chunk.dictionary
            if not (pa.types.is_string(words.type) or pa.types.is_large_string(words.type)):
                import pyarrow.compute as pc

                words = pc.cast(words, pa.string())
            values = [*_without_nulls(words).to_pylist(), ""]
            return values, _arrow_indices(chunk.indices, len(values) - 1).astype(np.intp)
        if pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type):
            return _dictionary(chunk.dictionary_encode())
        if pa.types.is_boolean(chunk.type):
            import pyarrow.compute as pc

            chunk = pc.cast(chunk, pa.uint8())
        # Nulls come out as NaN in a float array: "missing" to the schema's check.
        return None, _arrow_numbers(chunk)
    arr = np.asarray(chunk)
    if arr.dtype.kind == "b":
        return None, arr.astype(np.uint8)
    if arr.dtype.kind in "iuf":
        return None, arr
    if arr.dtype.kind == "O":
        items = ["" if _is_missing(v) else str(v) for v in arr.tolist()]
        uniq, inverse = np.unique(np.array(items, dtype=object), return_inverse=True)
        return [str(v) for v in uniq.tolist()], inverse.astype(np.intp)
    distinct, inverse = np.unique(_text_array(arr), return_inverse=True)
    return distinct.tolist(), inverse.astype(np.intp)


def _ids(chunk: Any, keep_text: bool, optional: bool = False) -> NDArray[Any]:
    """Trim an id chunk; plain decimal numbers become numbers unless text must be kept.

    All plain numbers give ``int64``; plain numbers and blanks (a reference left empty)
    give ``float64`` with NaN for the blanks, which the population reads as missing.
    """
    if _is_arrow(chunk):
        import pyarrow as pa
        import pyarrow.compute as pc

        if pa.types.is_dictionary(chunk.type):
            chunk = chunk.dictionary_decode()
        if pa.types.is_integer(chunk.type) and not keep_text:
            return _arrow_numbers(chunk)
        if pa.types.is_floating(chunk.type):
            # A NaN id is a missing one, as a null is (pyarrow spells it "nan", an id).
            chunk = pc.if_else(pc.is_nan(chunk), pa.scalar(None, chunk.type), chunk)
            held = np.asarray(chunk.to_numpy(zero_copy_only=False), np.float64)
            if not np.logical_or.reduce(list(unwhole_floats(held).values())).any():
                # Whole floats are the integers they hold: pyarrow spells 123456789012.0
                # "1.23456789012e+11", no id a file of integers holds.
                # (Read on as text, as before, where a gap is: a missing id shows blank.)
                whole = pc.cast(chunk, pa.int64())
                text = pc.cast(whole, pa.string()) if chunk.null_count else whole
                return _ids(text, keep_text, optional)
        if not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)):
            return _ids(_arrow_text(chunk), keep_text, optional)
        if not keep_text and not chunk.null_count:
            numbers = _plain_numbers(chunk)
            if numbers is not None:
                return numbers
        chunk = _nfc_arrow(pc.utf8_trim_whitespace(_without_nulls(chunk)))
        if keep_text or not len(chunk):
            # Unit codes repeat (a village's households): convert each distinct code once.
            encoded = chunk.dictionary_encode()
            return (
                _arrow_text(encoded)
                if len(encoded.dictionary) < len(chunk) // 2
                else _arrow_text(chunk)
            )
        if pc.all(pc.match_substring_regex(chunk, _CANONICAL)).as_py():
            return _arrow_numbers(pc.cast(chunk, pa.int64()))
        if optional and pc.all(pc.match_substring_regex(chunk, _CANONICAL_OR_BLANK)).as_py():
            blank = pc.equal(chunk, _arrow_blank(chunk.type))
            numbers = pc.if_else(blank, pa.nulls(len(chunk), chunk.type), chunk)
            return _arrow_numbers(pc.cast(numbers, pa.float64()))
        return _arrow_text(chunk)
    arr = np.asarray(chunk)
    if arr.dtype.kind in "iufb":
        return arr.astype(str) if keep_text else arr
    text = nfc_text(_strip(_text_array(arr)))
    if keep_text or not len(text):
        return text
    blank = text == ""
    if (optional or not blank.any()) and _canonical(text[~blank], 15 if blank.any() else 18):
        if not blank.any():
            return text.astype(np.int64)
        out = np.full(len(text), np.nan)
        out[~blank] = text[~blank].astype(np.int64)
        return out
    return text


def _coded_ids(chunk: Any) -> CodedIds:
    """Trim a text id chunk and code it: each distinct value once, an index per row."""
    if _is_arrow(chunk):
        import pyarrow as pa
        import pyarrow.compute as pc

        if pa.types.is_dictionary(chunk.type):
            values, idx = _arrow_dictionary(chunk)
            return CodedIds(nfc_text(_strip(values)), idx)
        if not (pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)):
            chunk = pc.cast(chunk, pa.string())
        encoded = pc.utf8_trim_whitespace(_without_nulls(chunk)).dictionary_encode()
        return CodedIds(nfc_text(_arrow_text(encoded.dictionary)), _arrow_numbers(encoded.indices))
    return CodedIds.from_text(nfc_text(_strip(_text_array(chunk))))


def _nfc_arrow(chunk: Any) -> Any:
    """Return an Arrow text chunk in Unicode NFC; an all-ASCII chunk costs one check."""
    import pyarrow.compute as pc

    if not len(chunk) or pc.all(pc.string_is_ascii(chunk)).as_py():
        return chunk
    return pc.utf8_normalize(chunk, form="NFC")


def _without_nulls(chunk: Any) -> Any:
    """Return an Arrow text chunk with its nulls as "" (the chunk itself if it has none)."""
    return chunk.fill_null(_arrow_blank(chunk.type)) if chunk.null_count else chunk


def _arrow_blank(kind: Any) -> Any:
    """Return an Arrow "" of a text type, built from buffers: ``pa.scalar`` imports pandas."""
    import pyarrow as pa

    wide = np.int64 if pa.types.is_large_string(kind) else np.int32
    offsets = pa.py_buffer(np.zeros(2, wide).tobytes())
    return pa.Array.from_buffers(kind, 1, [None, offsets, pa.py_buffer(b"")])[0]


def _plain_numbers(chunk: Any) -> NDArray[np.int64] | None:
    """Return an Arrow text chunk as int64 if every cell is a plain decimal number, else None.

    The fast test of the common case (ids written as 1, 2, 3 ...): pyarrow's cast parses
    the digits, and what it accepts beyond :data:`_CANONICAL` (a sign, leading zeros,
    ``0x`` prefixes, 19 digits) is then refused by looking at the values and first bytes.
    Padding and blanks make the cast fail: the slower exact test handles them.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        numbers = _arrow_numbers(pc.cast(chunk, pa.int64()))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    if not len(numbers):
        return numbers
    if numbers.min() < 0 or numbers.max() >= 10**18:
        return None
    wide = "i8" if pa.types.is_large_string(chunk.type) else "i4"
    offsets = np.frombuffer(chunk.buffers()[1], wide, len(chunk) + 1, chunk.offset * int(wide[1]))
    data = np.frombuffer(chunk.buffers()[2], np.uint8)
    first = data[offsets[:-1]]
    # "-0" casts to 0 and "0x10" to 16: neither is written as a plain number.
    leading_zero = ((first == ord("0")) & (np.diff(offsets) > 1)) | (first == ord("-"))
    return None if leading_zero.any() else numbers


def _canonical(text: NDArray[np.str_], digits: int) -> bool:
    """Return whether every id is a plain decimal number (no sign, no leading zero).

    Digits are ASCII only: ``isdigit`` also takes fullwidth ``"１２"`` and Arabic-Indic
    digits, which the pyarrow engine's test (and a reader of the file) does not.
    """
    lengths = np.char.str_len(text)
    if not (np.char.isdigit(text).all() and (lengths <= digits).all()):
        return False
    if len(text) and int(np.ascontiguousarray(text).view(np.uint32).max()) >= 128:
        return False
    first = np.char.startswith(text, "0")
    return bool(~(first & (lengths > 1)).any())


def id_text(part: NDArray[Any]) -> NDArray[np.str_]:
    """Return ids as text: numbers without a decimal point, NaN (missing) as "".

    Examples
    --------
    >>> id_text(np.array([1.0, np.nan, 12345678901.0])).tolist()
    ['1', '', '12345678901']
    """
    if part.dtype.kind == "f":
        return np.array(["" if v != v else str(int(v)) for v in part.tolist()], dtype=str)
    return part.astype(str)


def _join_ids(parts: list[NDArray[Any]]) -> NDArray[Any]:
    filled = [p for p in parts if len(p)] or parts[:1]
    if len(filled) == 1:
        return filled[0]
    if any(p.dtype.kind == "U" for p in filled):
        filled = [id_text(p) for p in filled]
    return np.concatenate(filled)


def _number_text(values: NDArray[Any]) -> NDArray[np.str_]:
    """Spell numbers as a file would: whole floats without ".0" (nullable ints arrive as float)."""
    if values.dtype.kind != "f":
        return values.astype(str)
    out = [
        str(int(v)) if v == v and abs(v) != np.inf and float(v).is_integer() else str(v)
        for v in values.tolist()
    ]
    return np.array(out, dtype=str) if out else np.zeros(0, "<U1")


# -- blank rows -----------------------------------------------------------------------


def without_blank_records(raw: RawTable, include: Callable[[str], bool] | None = None) -> RawTable:
    """Return a table without its blank records: rows whose every cell is empty or spaces.

    A blank row of a spreadsheet, exported to CSV, is a line of separators (``;;;;``),
    often left between blocks of villages. A workbook's blank rows are no records (see
    :mod:`learnsoc.io.excel`); a CSV file's become none either, here: they are neither
    read, accepted nor rejected, so ``accepted + rejected = read`` counts the same rows
    in either format. The parsers give such a line as a record, like Python's
    :mod:`csv` module; it is taken out where records become rows, for both CSV engines.
    Line numbers of the other records are kept. ``include(header)`` says which columns to
    look at (default all): those the reader was asked to read (see
    :func:`~learnsoc.io.csv.read_csv`), so that both engines judge a row alike.

    Examples
    --------
    >>> import numpy as np
    >>> from learnsoc.io.table import Layout, RawTable
    >>> raw = RawTable("p.csv", ("Mã", "Tên"),
    ...     [{"Mã": np.array(["1", "", "2"]), "Tên": np.array(["An", " ", "Bình"])}], Layout(3))
    >>> kept = without_blank_records(raw)
    >>> kept.layout.n_records, kept.layout.line_of(np.arange(2)).tolist()
    (2, [2, 4])
    >>> next(kept.iter_batches())["Mã"].tolist()
    ['1', '2']
    """
    if callable(raw.batches):
        return raw  # a columnar file (Parquet, Arrow): rows are values, never lines
    batches = list(raw.iter_batches())
    masks: list[NDArray[np.bool_]] = []
    for batch in batches:
        n = len(next(iter(batch.values()))) if batch else 0
        blank = np.ones(n, bool)
        for name, column in batch.items():
            if include is not None and not include(name):
                continue
            rows = np.flatnonzero(blank)
            if not len(rows):
                break
            blank[rows] = _blank_cells(column, rows if len(rows) < n else None)
        masks.append(blank)
    if not batches or not any(m.any() for m in masks) or not raw.header:
        raw.batches = batches
        return raw
    blank_rows = np.concatenate(masks) if masks else np.zeros(0, bool)
    layout = raw.layout
    gone = layout.kept[np.flatnonzero(blank_rows)]  # the blank records
    keep = np.ones(layout.n_records, bool)
    keep[gone] = False
    new_index = np.cumsum(keep) - 1  # a remaining record's index among the remaining

    def moved(records: NDArray[np.int64]) -> NDArray[np.int64]:
        return new_index[records].astype(np.int64)

    lines = layout.line_of(np.flatnonzero(keep))
    regular = bool(np.array_equal(lines, np.arange(len(lines)) + layout.first_line))
    new_layout = attrs.evolve(
        layout,
        n_records=int(keep.sum()),
        lines=None if regular else lines,
        malformed=moved(layout.malformed),
        unclosed=moved(layout.unclosed),
        totals=moved(layout.totals),
        skipped=moved(layout.skipped),
        repeated=moved(layout.repeated),
    )
    kept_batches = [
        {h: _filtered(c, ~m) for h, c in batch.items()}
        for batch, m in zip(batches, masks, strict=True)
    ]
    return _without(raw, blank_rows, kept_batches, new_layout)


def blank_cells(column: Any, rows: NDArray[np.int64] | None = None) -> NDArray[np.bool_]:
    """Return whether each cell of a column (numpy or Arrow) is empty or spaces.

    ``rows``: only those rows (positions), else every row.

    Examples
    --------
    >>> blank_cells(np.array(["1", " ", ""])).tolist(), blank_cells(np.array([1, 2])).tolist()
    ([False, True, True], [False, False])
    """
    return _blank_cells(column, rows)


def cell_text(column: Any, row: int) -> str:
    """Return one cell of a column (numpy or Arrow) as text (``""`` for a missing value).

    Examples
    --------
    >>> cell_text(np.array(["An", "Bình"]), 1), cell_text(np.array([1.0, np.nan]), 1)
    ('Bình', '')
    >>> cell_text(np.array(["An", None], dtype=object), 0)
    'An'
    """
    value = column[row].as_py() if _is_arrow(column) else np.asarray(column)[row]
    if isinstance(value, np.generic):
        value = value.item()  # an object column holds Python values already (str, None)
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def cell_texts(column: Any, rows: NDArray[np.int64]) -> list[str]:
    """Return the cells ``rows`` of a column as :func:`cell_text` does, in one pass.

    Examples
    --------
    >>> cell_texts(np.array([1.0, np.nan, 3.0]), np.array([1, 2]))
    ['', '3.0']
    """
    if _is_arrow(column):
        import pyarrow as pa

        values = column.take(pa.array(np.asarray(rows, np.int64))).to_pylist()
    else:
        values = np.asarray(column)[np.asarray(rows, np.int64)].tolist()
    return ["" if v is None or (isinstance(v, float) and v != v) else str(v) for v in values]


def without_rows(raw: RawTable, gone: NDArray[np.bool_]) -> RawTable:
    """Return a table without the rows handed on that ``gone`` marks, its layout as it is.

    For rows set aside as records that are no data (see :mod:`learnsoc.io.form_rows`):
    the caller marks them in the layout; here the cells go, and ``written`` follows.

    Examples
    --------
    >>> from learnsoc.io.table import Layout, RawTable
    >>> raw = RawTable("p.csv", ("Mã",), [{"Mã": np.array(["1", "x", "2"])}], Layout(3))
    >>> next(without_rows(raw, np.array([False, True, False])).iter_batches())["Mã"].tolist()
    ['1', '2']
    """
    out: list[Mapping[str, Any]] = []
    at = 0
    for batch in raw.iter_batches():
        n = len(next(iter(batch.values()))) if batch else 0
        keep = ~gone[at : at + n]
        out.append({h: _filtered(c, keep) for h, c in batch.items()})
        at += n
    return _without(raw, gone, out, raw.layout)


def _without(
    raw: RawTable, gone: NDArray[np.bool_], batches: Sequence[Mapping[str, Any]], layout: Layout
) -> RawTable:
    """Return ``raw`` with ``batches`` and ``layout``, the rows ``gone`` marks left out.

    ``written`` follows: a remaining row's cells as written are those of the row it was.
    """
    written = raw.written
    if written is not None:
        old_rows = np.flatnonzero(~gone)
        original = written

        def shifted(name: str, rows: NDArray[np.int64]) -> NDArray[np.str_]:
            return original(name, old_rows[np.asarray(rows, np.int64)])

        written = shifted
    return RawTable(
        raw.file,
        raw.header,
        batches,
        layout,
        raw.is_file,
        written,
        raw.date1904,
        raw.hidden_columns,
    )


def _blank_cells(column: Any, rows: NDArray[np.int64] | None) -> NDArray[np.bool_]:
    """Return whether each cell of ``rows`` (``None``: all) is empty or spaces."""
    if _is_arrow(column):
        import pyarrow as pa

        if rows is not None:
            where = pa.Array.from_buffers(
                pa.int64(), len(rows), [None, pa.py_buffer(rows.astype(np.int64).tobytes())]
            )
            column = column.take(where)
        parts = [_blank_arrow(c) for c in _chunks(column)]
        return np.concatenate(parts) if parts else np.zeros(0, bool)
    arr = np.asarray(column)
    if rows is not None:
        arr = arr[rows]
    if arr.dtype.kind == "U":
        # Most cells begin with a letter or digit: only those that begin with a space
        # (or are empty) are stripped.
        blank = arr.astype("<U1") <= " "
        maybe = np.flatnonzero(blank)
        if len(maybe):
            blank[maybe] = np.char.strip(arr[maybe]) == ""
        return blank
    if arr.dtype.kind == "O":
        return np.array([_is_missing(v) or not str(v).strip() for v in arr.tolist()], bool)
    if arr.dtype.kind == "f":  # a data frame's empty cell (pd.read_excel): NaN
        return np.asarray(np.isnan(arr), bool)
    return np.zeros(len(arr), bool)  # numbers: a value


def _blank_arrow(chunk: Any) -> NDArray[np.bool_]:
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_dictionary(chunk.type):
        values, idx = _arrow_dictionary(chunk)
        blank: NDArray[np.bool_] = np.asarray(np.char.strip(values) == "", bool)[idx]
        return blank
    if pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type):
        # Lengths, not a boolean array: to_numpy would import pandas (see _arrow_numbers).
        lengths = _arrow_numbers(pc.utf8_length(pc.utf8_trim_whitespace(_without_nulls(chunk))))
        return np.asarray(lengths == 0, bool)
    if not chunk.null_count:
        return np.zeros(len(chunk), bool)  # numbers, each a value
    return np.asarray(~_arrow_valid(chunk), bool)


def _filtered(column: Any, keep: NDArray[np.bool_]) -> Any:
    """Return a column's cells where ``keep`` is true (numpy or Arrow)."""
    if _is_arrow(column):
        import pyarrow as pa

        bits = pa.py_buffer(np.packbits(keep, bitorder="little").tobytes())
        return column.filter(pa.Array.from_buffers(pa.bool_(), len(keep), [None, bits]))
    return np.asarray(column)[keep]
