r"""Reading a population from files: persons, households, units and the rest.

:func:`read_population` reads each table (CSV, Excel, Parquet or Arrow, chosen by the
file's extension), maps the agency's columns and codes through a mapping file, checks
every cell, builds the hierarchy from the units file (rejecting bad units and their
subtrees instead of stopping), and builds the :class:`~learnsoc.model.Population`.
Nothing is dropped silently: ``pop.rejects`` is a :class:`~learnsoc.io.rejects.FileRejects`
naming the file and line of every refused record, and for every table
``accepted + rejected == read`` counts every record of the file.

Every reader gives the same answers for the same cells (see :mod:`learnsoc.io.convert`):

* ids, references and unit codes are compared in Unicode normal form NFC, so ``"Hộ-1"``
  typed with combining accents is the household written precomposed elsewhere;
* blank cells are missing values; the words ``NA``, ``NaN``, ``None``, ``NULL`` and
  ``-`` (any case) in a number, yes/no or code column are read as missing values too,
  counted per column in a :class:`~learnsoc.io.convert.PlaceholderWarning`;
* a cell that cannot be converted is a reject naming its file, line, column and value
  (cut to :data:`~learnsoc.limits.MAX_SHOWN_CHARS` characters); a cell longer than
  :data:`~learnsoc.limits.MAX_CELL_CHARS` characters, or an id longer than
  :data:`~learnsoc.limits.MAX_ID_CHARS`, is a ``cell_too_long`` reject. Memory follows
  the bytes of the bad cells: one long cell never widens its column.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "units.csv").write_text(
...     "code,level,parent_code\n01,province,\n001,commune,01\nT1,village,001\n"
...     "T9,village,009\n", "utf-8")
>>> _ = (folder / "households.csv").write_text("household_id;unit_code\nH1;T1\nH2;T9\n", "utf-8")
>>> _ = (folder / "persons.csv").write_text(
...     "person_id,household_id,age,literate\n1,H1,40,Có\n2,H1,9,Không\n3,H2,35,Có\n", "utf-8")
>>> pop = read_population(folder / "persons.csv", households=folder / "households.csv",
...                       units=folder / "units.csv")
>>> pop.n_persons, pop.n_households
(2, 1)
>>> for r in pop.rejects.records("en"):
...     print(r.message)  # doctest: +ELLIPSIS
/.../units.csv, line 5, column parent_code: unit '009' does not exist
/.../households.csv, line 3, column unit_code: unit 'T9' was rejected
/.../persons.csv, line 4, column household_id: household 'H2' was rejected
>>> pop.rejects.counts()["person"]
(3, 2, 1)
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path, PurePath
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc._bars import UNSET, Unset, renamed_flag
from learnsoc._excel_cells import LongNumber
from learnsoc._headings import TIDY, rollup_heading_ids
from learnsoc._messages import NN_, Message
from learnsoc._phrases import Phrase, level_names
from learnsoc._warnings import caught_warnings
from learnsoc.aggregate.names import TOTAL
from learnsoc.aggregate.rolled import is_rollup_layout
from learnsoc.errors import (
    DataError,
    HierarchyError,
    LevelsError,
    SchemaError,
    Translatable,
    did_you_mean,
)
from learnsoc.i18n import N_, format_integer, gettext, ngettext
from learnsoc.io.convert import (
    convert_table,
    id_text,
    number_text,
    one_column_header,
    resolve_columns,
    table_specs,
    text_columns,
    wanted_column,
    without_blank_records,
)
from learnsoc.io.csv import Engine, NumberKind, read_csv
from learnsoc.io.excel import TableHeader, read_excel
from learnsoc.io.files import FileFormatError, PathLike, display_name, file_error
from learnsoc.io.form_rows import check_counts_totals, say_skipped, set_aside_form_rows
from learnsoc.io.headers import plain_name
from learnsoc.io.legacy import legacy_message
from learnsoc.io.mapping import (
    FileMapping,
    is_count_column,
    is_name_column,
    is_note_column,
    is_row_number,
    map_word,
    normalize_name,
    read_mapping,
)
from learnsoc.io.parquet import read_arrow_ipc, read_parquet
from learnsoc.io.rate_columns import is_rate_column, rate_column_warning
from learnsoc.io.rejects import FileRejects, LineBatch, Source
from learnsoc.io.table import Layout, RawTable
from learnsoc.io.text_counts import is_known_measure, text_column_warning, text_only
from learnsoc.io.units import lenient_units, merged_in_file, unit_problems
from learnsoc.model.hierarchy import (
    PRESETS,
    Hierarchy,
    HierarchySpec,
    Level,
    hierarchy_spec,
    level_named,
)
from learnsoc.model.ids import normalize_ids
from learnsoc.model.population import (
    IDS_LOST_ZEROS,
    UNITS_LOST_ZEROS,
    LeadingZerosWarning,
    Population,
    age_source_error,
)
from learnsoc.model.schema import NONE_DASHES, STANDARD_SCHEMA, Schema
from learnsoc.model.unit_names import (
    NAMES_READ_IN_FILE,
    NAMES_READ_ONE_IN_FILE,
    UnitNamesWarning,
)
from learnsoc.rejects import RejectBatch, Rejects

__all__ = [
    "KEY_COLUMNS",
    "TABLE_PLURALS",
    "Sheet",
    "SheetChoice",
    "assemble",
    "in_file",
    "read_counts",
    "read_population",
    "read_table",
    "read_units",
    "resolve_mapping",
    "sheets_for",
]

_CSV = (".csv", ".txt", ".tsv")
_EXCEL = (".xlsx", ".xlsm")
#: Spreadsheet names learnsoc does not read as such, given to the Excel reader all the
#: same: it reads an .xlsx under such a name, and otherwise says what the file really
#: is (an Excel 97-2003 workbook, an HTML or CSV export named .xls) and how to fix it.
_OTHER_SHEETS = (".xls", ".xlsb", ".ods")
_PARQUET = (".parquet", ".pq")
_ARROW = (".arrow", ".feather", ".ipc")
_CODED = ("bool", "code", "int", "float")
_PARSE_AS: dict[int, NumberKind] = {1: "int16", 2: "int32"}

#: An Excel sheet: its name, or its position (0 = first).
Sheet = str | int
#: The sheets to read: one for every workbook (``None``: the sheet holding the table), or
#: a mapping from file or table to sheet (see :func:`read_population`).
SheetChoice = Sheet | Mapping[str, Sheet | None] | None

#: The columns whose names, after the mapping file's renames, mark each table's header
#: row: how the sheet holding a table is found in a workbook when no sheet is given
#: (see :class:`~learnsoc.io.excel.TableHeader`).
KEY_COLUMNS: Mapping[str, tuple[str, ...]] = {
    "unit": ("code", "level"),
    "household": ("household_id", "unit_code"),
    "clan": ("clan_id",),
    "person": ("person_id", "household_id"),
    "organisation": ("organisation_id", "unit_code"),
    "membership": ("person_id", "organisation_id"),
    "counts": ("unit_code",),
}


class _FirstReject(Translatable):
    """The first problem of some rejects, as a part of a message: in the message's language."""

    def __init__(self, rejects: Rejects) -> None:
        self._rejects = rejects

    def __str__(self) -> str:
        return self.localized("en")

    def localized(self, locale: str | None = None) -> str:
        first = self._rejects.first(locale)
        return first.message if first else ""


#: The units refused, agreeing with their number ("1 of 2 units was refused").
_REFUSED_UNITS = NN_(
    "; {refused} of {n} units was refused, first: {first}",
    "; {refused} of {n} units were refused, first: {first}",
)


class _RefusedUnits(Translatable):
    """How many units were refused, and the first, as a part of a message in its language."""

    def __init__(self, rejects: Rejects, n: int) -> None:
        self._rejects = rejects
        self._n = n

    def __str__(self) -> str:
        return self.localized("en")

    def localized(self, locale: str | None = None) -> str:
        first = self._rejects.first(locale)
        if first is None:
            return ""
        refused = int(self._rejects.n_rejected("unit"))
        template = ngettext(*_REFUSED_UNITS, refused, locale)  # "1 of 2 units was refused"
        return template.format(
            refused=format_integer(refused, locale),
            n=format_integer(self._n, locale),
            first=first.message,
        )


def resolve_mapping(
    mapping: FileMapping | PathLike | None, schema: Schema = STANDARD_SCHEMA
) -> FileMapping:
    r"""Return a :class:`FileMapping` from a mapping, a path to a mapping file, or None.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "map.toml"
    >>> _ = path.write_text('[mapping]\ndelimiter = ";"\n[person.columns]\n"Mã NK" = "person_id"\n',
    ...     "utf-8")
    >>> fmap = resolve_mapping(path)
    >>> fmap.delimiter, dict(fmap.table("person").columns)
    (';', {'Mã NK': 'person_id'})
    >>> resolve_mapping(None).delimiter is None  # no mapping: the delimiter is sniffed
    True
    """
    if mapping is None:
        return FileMapping()
    if isinstance(mapping, FileMapping):
        return mapping
    return read_mapping(mapping, schema=schema)


class _HeaderRefusedError(Exception):
    """A header refused before its file was parsed (the error is kept by the caller)."""


def read_table(
    path: PathLike,
    table: str | None,
    *,
    mapping: FileMapping | None = None,
    schema: Schema = STANDARD_SCHEMA,
    delimiter: str | None = None,
    encoding: str | None = None,
    engine: Engine = "auto",
    sheet: Sheet | None = None,
    decimal: str | None = None,
    columns: Collection[str] | None = None,
    header_row: int | None = None,
    bars: bool | None = False,
    progress: bool | Unset | None = UNSET,
    find: TableHeader | None = None,
    check_header: Callable[[tuple[str, ...]], None] | None = None,
    unknown_columns: str | None = None,
) -> RawTable:
    r"""Open one table's file by its extension (CSV, Excel, Parquet, Arrow IPC).

    Columns the schema reads as codes are read dictionary-encoded where the reader can
    (``table=None`` for a file that is not one of the schema's tables, ``"counts"`` for
    a per-unit counts file). In a workbook read without ``sheet``, a table of
    :data:`KEY_COLUMNS` is looked for as :class:`~learnsoc.io.excel.TableHeader` says,
    with the mapping's renames; in CSV files,
    number columns without a value map are parsed as numbers first, and with ``columns``
    (see :func:`read_population`) the other schema columns are not converted at all.
    ``bars`` shows a bar while a CSV file is parsed (see :func:`~learnsoc.io.csv.read_csv`).
    ``find`` gives the header to look for in a file that is none of those tables (an
    inputs file: :class:`~learnsoc.io.headers.KeyedHeader`). ``check_header`` is given a
    CSV file's header names before its body is parsed, and may raise (see
    :func:`~learnsoc.io.csv.read_csv`): :func:`read_population` refuses an unknown or
    missing column so, from the header alone. ``unknown_columns`` (default: the
    mapping's) is as for :func:`read_population`: with ``"ignore"``, a CSV file's unknown
    columns are not parsed, nor, either way, those the mapping ignores (see the
    ``unread`` of :func:`~learnsoc.io.csv.read_csv`; the rows read, rejected and skipped
    are those of the whole file read).

    Raises
    ------
    FileFormatError
        For an unknown extension or a file that cannot be read.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "persons.csv"
    >>> _ = path.write_text("Mã NK;household_id;age\nP1;H1;40\nP2;H1;9\n", "utf-8")
    >>> fmap = FileMapping.from_dict({"person": {"columns": {"Mã NK": "person_id"}}})
    >>> raw = read_table(path, "person", mapping=fmap)
    >>> raw.header, raw.layout.n_records
    (('Mã NK', 'household_id', 'age'), 2)
    """
    bars = renamed_flag(bars, progress, "read_table")
    mapping = mapping if mapping is not None else FileMapping()
    name = display_name(path)
    suffix = Path(path).suffix.lower()
    specs = table_specs(table, schema) if table not in (None, "counts") else {}
    tmap = mapping.table(table or "")

    def coded(header: str) -> bool:
        spec = specs.get(tmap.schema_name(header))
        if spec is not None and spec.name == "unit_code" and table != "unit":
            # A few hundred villages for a million households: read once each (the
            # checks of every cell, such as control characters, then see distinct codes).
            return True
        return spec is not None and spec.kind in _CODED

    def numbers(header: str) -> NumberKind | None:
        target = tmap.schema_name(header)
        spec = specs.get(target)
        if (
            spec is None
            or spec.kind not in _CODED
            or mapping.value_map(table or "", target, spec.kind)
        ):
            return None
        if spec.kind == "float":
            return None if (decimal or mapping.decimal) == "," else "float64"
        # A type a little wider than storage: values out of range still parse, and are
        # then rejected with their reason (only beyond it does the file go back to text).
        return _PARSE_AS.get(np.dtype(spec.dtype).itemsize, "int64")

    def include(header: str) -> bool:
        spec = specs.get(tmap.schema_name(header))
        # Unknown columns are read: the checks report them (or ignore them) as usual.
        return columns is None or spec is None or wanted_column(spec, columns)

    mode = unknown_columns or mapping.unknown_columns

    def unread(header: str) -> bool:
        # The columns the conversion leaves out (resolve_columns): never parsed. Not a
        # column without a name, whose cells are checked to be empty.
        if tmap.ignores(header):
            return True
        if header.startswith("<column "):
            return False
        unknown = tmap.schema_name(header) not in specs
        return unknown and (mode == "ignore" or is_row_number(header))

    def counts_unread(header: str) -> bool:
        # The columns read_counts leaves out: a mapping's ignore, row numbers, notes and
        # rates (not renamed). Their cells are not kept, nor their formulas (a rate's
        # =C2/B2) asked for results.
        if tmap.ignores(header):
            return True
        return not tmap.renames(header) and (
            is_row_number(header) or is_note_column(header) or is_rate_column(header)
        )

    def needed(header: str) -> bool:
        # A record short of its last cells (Excel leaves out empty ones) is read with
        # them empty when none of them is a column a record must fill.
        spec = specs.get(tmap.schema_name(header))
        return spec is not None and spec.required

    keys = KEY_COLUMNS.get(table or "")
    if find is None and keys:
        rename: Callable[[str], str] = tmap.schema_name
        if table == "counts":
            # learnsoc's own workbooks in Vietnamese head the unit code in words (a report's
            # results sheet beside its notes): found, to be read or refused by name.
            words = plain_name(gettext(TIDY["unit_code"], "vi"))

            def worded(header: str) -> str:
                return "unit_code" if plain_name(header) == words else tmap.schema_name(header)

            rename = worded
        find = TableHeader(keys, rename)

    def form_rows(raw: RawTable, workbook: bool) -> RawTable:
        # Totals rows and block headings: skipped, with a warning (a counts file's
        # totals are said once checked against the rows above them: read_counts).
        raw = set_aside_form_rows(raw, find)
        if table != "counts":
            say_skipped(raw, workbook=workbook, stacklevel=4)
        return raw

    if suffix in _CSV:
        delim = delimiter or mapping.delimiter or ("\t" if suffix == ".tsv" else None)
        read = include if table not in (None, "unit", "counts") else None
        raw = read_csv(
            path,
            delimiter=delim,
            encoding=encoding or mapping.encoding,
            engine=engine,
            numbers=numbers if table not in (None, "counts") else None,
            include=read,
            bars=bars,
            # header_row= stays the workbooks' (it is given for every file of a run): a
            # CSV file's title lines are found from its key columns instead.
            find=find,
            needed=needed if table not in (None, "counts") else None,
            check_header=check_header,
            unread=unread if read is not None else None,
        )
        # A blank row (";;;;") is no record, as in a workbook; judged on the columns read,
        # which the standard-library engine holds beside the others.
        return form_rows(without_blank_records(raw, read), workbook=False)
    if suffix in _EXCEL or suffix in _OTHER_SHEETS:
        raw = read_excel(
            path,
            sheet=sheet,
            header_row=header_row,
            decimal=decimal or mapping.decimal,
            find=find,
            # The cells of columns never read are not kept, as a CSV file's are not parsed.
            unread=counts_unread
            if table == "counts"
            else (unread if table not in (None, "unit") else None),
        )
        return form_rows(raw, workbook=True)
    if suffix in _PARQUET:
        return read_parquet(path, dictionary=coded)
    if suffix in _ARROW:
        return read_arrow_ipc(path)
    known = ", ".join((*_CSV, *_EXCEL, *_PARQUET, *_ARROW))
    if suffix == ".json":
        # learnsoc writes JSON (rollups, reports) for programs; fed back, say what to give.
        msg = Message(
            N_(
                "learnsoc writes JSON for other programs but does not read it: give the "
                "table as CSV, Excel or Parquet (learnsoc rollup and report write those with "
                "--out FILE.csv, .xlsx or .parquet); learnsoc reads {known}"
            ),
            known=known,
        )
    elif suffix:
        msg = Message(
            N_("unknown file type {suffix!r}; learnsoc reads {known}"), suffix=suffix, known=known
        )
    else:
        msg = Message(N_("unknown file type '(none)'; learnsoc reads {known}"), known=known)
    raise file_error(msg, file=name)


def read_counts(
    path: PathLike,
    *,
    mapping: FileMapping | PathLike | None = None,
    delimiter: str | None = None,
    decimal: str | None = None,
    encoding: str | None = None,
    engine: Engine = "auto",
    sheet: Sheet | None = None,
    header_row: int | None = None,
    too_long: dict[str, tuple[NDArray[np.int64], list[str]]] | None = None,
) -> tuple[dict[str, NDArray[np.str_]], RawTable]:
    r"""Read a per-unit counts file as text columns, through the mapping file.

    The mapping's ``[counts]`` table renames columns (``"Mã xã" = "unit_code"``,
    ``"Số hộ" = "families"``), leaves out its ``ignore`` columns and maps values
    (``[counts.values.families]``, or a global ``[values.families]``); its delimiter,
    encoding and decimal mark apply as to the other files. With a decimal comma, count
    cells are read as :func:`~learnsoc.io.convert.number_text` says (``187.624`` is
    187624); unit codes are kept as written. A column of row numbers (``STT``) or of the
    units' names (``Tên đơn vị``, ``Tên xã``, ``Đơn vị``: see
    :func:`~learnsoc.io.mapping.is_name_column`) is skipped, as in ``--inputs`` files,
    unless the mapping names it.

    Parameters
    ----------
    path : str or path
        The counts file (CSV, Excel, Parquet, Arrow).
    mapping : FileMapping or path, optional
        The mapping file.
    delimiter, decimal, encoding, engine, header_row
        As for :func:`read_population` (each overrides the mapping file's).
    sheet : str or int, optional
        Excel files: the sheet to read; by default the first, else the only one with a
        ``unit_code`` column (as :func:`read_population` finds a table).
    too_long : dict, optional
        Where to put the cells longer than :data:`~learnsoc.limits.MAX_CELL_CHARS`, by
        column (schema names): their rows and values cut for display; the cells are then
        blank, for the caller to reject their rows. Without it, such a cell is a
        :class:`~learnsoc.io.files.FileFormatError` naming its line and column.

    Returns
    -------
    tuple
        The columns (schema names, trimmed text) for
        :func:`~learnsoc.aggregate.rollup.rollup_counts`, and the raw table (for the
        rejects' lines). A workbook's unit code held as a number of 16 digits or more
        keeps its mark (:class:`~learnsoc._excel_cells.LongNumber`, in an object
        column), so that the rollup refuses it (``digits_lost``).

    Raises
    ------
    SchemaError
        When two file columns map onto the same name, or a column neither mapped nor
        ignored has a name that cannot be a count's (``Số hộ (người)``): the message says
        how to ignore it. A rate's column (``Tỷ lệ (%)``) is left out with a
        :class:`~learnsoc.io.rate_columns.RateColumnWarning` instead.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "counts.csv"
    >>> _ = path.write_text("Mã xã;Tên xã;Số gia đình\n00001;Xã Minh Phú;187.624\n", "utf-8")
    >>> fmap = FileMapping.from_dict({"mapping": {"decimal": ","}, "counts": {"columns": {
    ...     "Mã xã": "unit_code", "Số gia đình": "families"}}})
    >>> cols, raw = read_counts(path, mapping=fmap)
    >>> {k: v.tolist() for k, v in cols.items()}
    {'unit_code': ['00001'], 'families': ['187624']}
    """
    fmap = resolve_mapping(mapping)
    raw = read_table(
        path,
        "counts",
        mapping=fmap,
        delimiter=delimiter,
        encoding=encoding,
        engine=engine,
        sheet=sheet,
        header_row=header_row,
        decimal=decimal,
    )
    tmap = fmap.table("counts")
    dec = decimal or fmap.decimal
    out: dict[str, NDArray[np.str_]] = {}
    long_cells: dict[str, tuple[NDArray[np.int64], list[str]]] = {}
    long_numbers: dict[str, NDArray[np.int64]] = {}
    _refuse_report_table(raw.header, path)
    joined = one_column_header(raw.header)
    if joined is not None:  # read with another separator: say so, not "unknown column"
        raise file_error(joined, file=display_name(path))
    # A rollup workbook learnsoc wrote heads its columns in words (Vietnamese) and its
    # rates by what they are of: read by their ids, its rates left to the rollup.
    worded = rollup_heading_ids(raw.header)
    for header, values in text_columns(
        raw, too_long=None if too_long is None else long_cells, long_numbers=long_numbers
    ).items():
        name = tmap.schema_name(header)
        renamed = tmap.renames(header)
        if not renamed and header in worded:
            known = worded[header]
            if known is None:
                continue
            name = known
        if tmap.ignores(header) or (
            # Row numbers (STT), the units' names (Tên xã, Đơn vị) and notes (Ghi chú) are
            # for the people who keep the file, as in --inputs files: not counts.
            not renamed
            and (is_row_number(header) or is_name_column(header) or is_note_column(header))
        ):
            continue
        if not renamed and header not in worded and is_rate_column(header):
            # A rate the commune computed (Tỷ lệ (%)): learnsoc computes its own, from
            # the counts; its cells never count.
            warnings.warn(rate_column_warning(display_name(path), header), stacklevel=2)
            continue
        vmap = tmap.values.get(name) or fmap.values.get(normalize_name(name)) or {}
        example = None
        if not (renamed or vmap or header in worded or is_known_measure(name)):
            example = text_only(values) if is_count_column(name) else None
        if example is not None:
            # A column of words under a header of the agency's own (Khác: "đã nộp") is a
            # note: read as counts, it rejected every row. A measure's column keeps
            # rejecting its words row by row, so no count is lost without a word.
            warning = text_column_warning(display_name(path), header, example)
            warnings.warn(warning, stacklevel=2)
            continue
        if name in out:
            msg = Message(N_("several file columns map onto {name!r}"), name=name)
            raise SchemaError("counts", name, str(msg)).translatable(msg)
        if not name.isidentifier() and name not in ("unit_code", "unit_name"):
            legacy = legacy_message(raw.header)
            if legacy is not None:  # names in an old font: say so, not which is unknown
                raise file_error(legacy, file=display_name(path))
            # A column of the agency's own (a rate, a note) is no count: say how to leave
            # it out, or how to count it, rather than only that its name is wrong.
            msg = Message(
                N_(
                    "is not a count column learnsoc knows: to leave it out, list it in the "
                    "mapping file's [counts] table (ignore = [{quoted}]); to count it, name "
                    'it there under [counts.columns] ({quoted} = "a_name")'
                ),
                quoted=_toml_string(header),
            )
            where = display_name(path)
            raise SchemaError(where, header, str(msg)).translatable(msg)
        number = name != "unit_code" and dec == ","
        if (vmap or number) and len(values):
            distinct, inverse = np.unique(values, return_inverse=True)
            texts = []
            for v in distinct.tolist():
                mapped = map_word(vmap, v)
                if mapped is None and number:
                    # A number read with the decimal comma; any other cell ("(Ký tên,
                    # đóng dấu)") stays as written, so that its reject shows it so.
                    read = number_text(v, dec)
                    mapped = read if _DECIMAL_NUMBER.fullmatch(read.strip()) else None
                texts.append(v if mapped is None else mapped)
            values = np.array(texts, dtype=str)[inverse.reshape(-1)]
        if name == "unit_code" and header in long_numbers:
            # A workbook's number of 16 digits or more keeps its mark, for the rollup to
            # refuse the code (digits_lost) as the population's readers refuse such ids.
            marked = values.astype(object)
            for row in long_numbers[header].tolist():
                marked[row] = LongNumber(marked[row])
            values = marked
        out[name] = values
        if header in long_cells and too_long is not None:
            too_long[name] = long_cells[header]
    # A totals row is skipped only when its figures are the sums of the rows above it:
    # a counts file's totals, read as data, would count every unit twice.
    counted = {k: v for k, v in out.items() if k not in ("unit_code", "unit_name")}
    mismatch = "totals_mismatch"
    if is_rollup_layout(out) and "parent_code" in out:
        # A rollup learnsoc wrote: its total row (a totals label) is the sum of its top
        # level's rows, those without a parent; the rows below them are in it already.
        top = (np.char.strip(out["parent_code"]) == "") & (np.char.strip(out["level"]) != TOTAL)
        units = ("level", "code", "parent_code")
        counted = {k: np.where(top, v, "0") for k, v in counted.items() if k not in units}
        mismatch = "rollup_total_mismatch"  # said so: not "the rows above it"

    def count_text(cell: str) -> str:
        # As the rollup reads a count: a lone dash is 0 (rollup_counts), and with a
        # decimal comma 1.234 is 1234.
        if cell.strip() in NONE_DASHES:
            return "0"
        return number_text(cell, dec) if dec == "," else cell

    raw = check_counts_totals(
        raw, counted, {tmap.schema_name(h): h for h in raw.header}, count_text, mismatch
    )
    say_skipped(raw, workbook=raw.file.lower().endswith(_EXCEL + _OTHER_SHEETS), stacklevel=2)
    return out, raw


def _refuse_report_table(header: Sequence[str], path: PathLike) -> None:
    """Refuse a report's table given as counts, saying what to give instead.

    A results or progress table (``learnsoc report --out report.csv``, its workbook in
    either language) has a row per unit and indicator, its figures the counts of
    several measures at every level: no table of counts per unit.
    """
    names = {plain_name(h) for h in header}
    english = {"indicator", "numerator", "denominator"}
    words = {plain_name(gettext(TIDY[k], "vi")) for k in english}
    if not (english <= names or words <= names):
        return
    msg = Message(
        N_(
            "is a report's table (a row per unit and indicator), not counts: give the "
            "counts it was made from, or the rollup of them (learnsoc rollup ... --out "
            "rollup.csv), which --counts reads back"
        )
    )
    raise SchemaError(display_name(path), "indicator", str(msg)).translatable(msg)


#: A number with a decimal point, as :func:`number_text` spells a decimal-comma number.
_DECIMAL_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")


def _toml_string(text: str) -> str:
    """Return ``text`` as a TOML basic string (``"Tỷ lệ"``), for a hint to copy."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def read_units(
    path: PathLike,
    *,
    levels: str | HierarchySpec | Sequence[str | Level] | None = None,
    mapping: FileMapping | PathLike | None = None,
    schema: Schema = STANDARD_SCHEMA,
    delimiter: str | None = None,
    decimal: str | None = None,
    encoding: str | None = None,
    engine: Engine = "auto",
    unknown_columns: str | None = None,
    sheet: Sheet | None = None,
    header_row: int | None = None,
) -> tuple[Hierarchy, FileRejects]:
    r"""Read a units file into the tree, refusing bad units as :func:`read_population` does.

    A unit with a cell that cannot be read, an unknown level, a missing or wrong parent,
    or a code given twice is left out of the tree with its subtree, and reported with its
    file and line; the tree is built from the rest.

    Parameters
    ----------
    path : str or path
        The units file (``code``, ``name``, ``level``, ``parent_code``): CSV, Excel,
        Parquet or Arrow.
    levels : str or sequence of str, optional
        The tree's levels (default: the mapping's, else ``"vn-2025"``).
    mapping : FileMapping or path, optional
        The mapping file (its ``[unit]`` table renames columns).
    schema : Schema
        The column schema.
    delimiter, decimal, encoding, engine, unknown_columns, header_row
        As for :func:`read_population` (each overrides the mapping file's).
    sheet : str or int, optional
        Excel files: the sheet to read; by default the first, else the only one with
        ``code`` and ``level`` columns (as :func:`read_population` finds a table).

    Returns
    -------
    tuple
        The :class:`~learnsoc.model.Hierarchy` and the units' rejects, a
        :class:`~learnsoc.io.rejects.FileRejects` (``counts()["unit"]`` is read,
        accepted, rejected).

    Raises
    ------
    FileFormatError
        For a file that cannot be read as a table.
    SchemaError
        For a missing required column or an unknown column.
    HierarchyError
        If the units left do not form a usable tree (a level is empty).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "units.csv"
    >>> _ = path.write_text("code,level,parent_code\n01,province,\n001,commune,01\n"
    ...                     "T1,village,001\nT9,village,009\n", "utf-8")
    >>> tree, rejects = read_units(path)
    >>> tree.codes_at("village").tolist()
    ['T1']
    >>> rejects.counts()["unit"]
    (4, 3, 1)
    >>> print(rejects.records("en")[0].message)  # doctest: +ELLIPSIS
    /.../units.csv, line 5, column parent_code: unit '009' does not exist
    >>> rejects.refused_units  # other files' rows naming these are rejected_unit
    ('T9',)
    """
    fmap = resolve_mapping(mapping, schema)
    raw = read_table(
        path,
        "unit",
        mapping=fmap,
        schema=schema,
        delimiter=delimiter,
        encoding=encoding,
        engine=engine,
        decimal=decimal,
        sheet=sheet,
        header_row=header_row,
    )
    refused: list[RejectBatch] = []
    cols = convert_table(
        raw,
        "unit",
        schema=schema,
        mapping=fmap,
        unknown_columns=unknown_columns,
        decimal=decimal,
        coded_units=False,
        rejects=refused,
    )
    spec = levels if levels is not None else (fmap.levels or "vn-2025")
    sources = {"unit": _source(raw, "unit", fmap, schema)}
    given = levels is not None or fmap.levels is not None
    hierarchy, extra, gone = _unit_tree(raw, cols, refused, spec, sources["unit"], given)
    return hierarchy, FileRejects.locate(Rejects(read={}), sources, extra, rejected_units=gone)


def read_population(
    persons: PathLike,
    *,
    households: PathLike,
    units: PathLike | None = None,
    hierarchy: Hierarchy | None = None,
    clans: PathLike | None = None,
    organisations: PathLike | None = None,
    memberships: PathLike | None = None,
    mapping: FileMapping | PathLike | None = None,
    schema: Schema | FileMapping | PathLike = STANDARD_SCHEMA,
    levels: str | HierarchySpec | Sequence[str | Level] | None = None,
    reference_year: int | None = None,
    strict: bool = False,
    delimiter: str | None = None,
    decimal: str | None = None,
    encoding: str | None = None,
    engine: Engine = "auto",
    unknown_columns: str | None = None,
    bars: bool | None = None,
    progress: bool | Unset | None = UNSET,
    columns: Collection[str] | None = None,
    sheet: SheetChoice = None,
    header_row: int | None = None,
    ids_elsewhere: Mapping[str, Any] | None = None,
    _ids_out: dict[str, NDArray[Any]] | None = None,
) -> Population:
    r"""Read a population from files (see the module docs).

    Parameters
    ----------
    persons : str or path
        The persons file: ``.csv`` (also ``.txt``, ``.tsv``), ``.xlsx``, ``.parquet``
        or ``.arrow``.
    households : str or path
        The households file.
    units : str or path, optional
        The units file (``code``, ``name``, ``level``, ``parent_code``). Give ``units``
        or ``hierarchy``.
    hierarchy : Hierarchy, optional
        An already built tree (``ls.vietnam_units(...)``, a synthetic one ...).
    clans, organisations, memberships : str or path, optional
        The other tables' files.
    mapping : FileMapping or path, optional
        The mapping file: agency column names and codes (see :mod:`learnsoc.io.mapping`).
    schema : Schema, or a mapping file
        The column schema (a rulebook's, for its extra input columns). A mapping file
        given here is taken as ``mapping`` (the spelling of the issue that asked for it).
    levels : str or sequence of str, optional
        The tree's levels for ``units`` (default: the mapping's, else ``"vn-2025"``).
    reference_year : int, optional
        The year ages refer to, when persons carry ``birth_year`` instead of ``age``.
    strict : bool
        Raise :class:`~learnsoc.errors.DataError` if anything is rejected; its message
        names the first problem's file and line.
    delimiter, decimal, encoding : str, optional
        CSV separator (default sniffed), decimal mark (``","`` for ``1,5``), encoding
        (default UTF-8); each overrides the mapping file's.
    engine : {"auto", "pyarrow", "python"}
        The CSV parser (see :mod:`learnsoc.io.csv`).
    unknown_columns : {"error", "ignore"}, optional
        What to do with columns the schema does not know (default: the mapping's,
        else ``"error"``).
    bars : bool, optional
        Bars (tqdm) while parsing CSV files and converting columns (``None``: on a
        terminal or in a notebook only; ``False``: never).
        (``progress=`` is a deprecated spelling.)
    columns : collection of str, optional
        Read only these columns besides ids and required columns (a household's optional
        ``clan_id`` only if named), e.g. ``book.columns_read()`` for a rulebook: the
        others are never converted, and never read from disk for a Parquet file.
        ``None`` reads every column.
    sheet : str, int or mapping, optional
        Excel files: the sheet to read, by name or position (0 = first), in every
        workbook given; or a mapping from a file or a table to its sheet, such as
        ``{"ho.xlsx": 1, "persons": "Danh sách"}``: a key is a file as given or its
        name (``"ho.xlsx"``), or a table (``"person"`` or ``"persons"``), and ``"*"``
        is every other workbook. A key that names no file is an error. Without a sheet
        for a workbook, its first sheet is read if its header row holds the table's
        :data:`KEY_COLUMNS` (after the mapping's renames), else the only sheet that
        does, with a :class:`~learnsoc.io.excel.SheetWarning`; if none or several do,
        a :class:`~learnsoc.io.files.FileFormatError` lists the sheets.
    header_row : int, optional
        Excel files: the row holding the column names, as Excel numbers it (1 = first);
        the rows above it (a title, a date) are not read. By default the first row that
        is not empty.
    ids_elsewhere : mapping of str to array, optional
        Ids that other files read apart also hold, by table (``"person"``,
        ``"household"``, ``"clan"``, ``"organisation"``): the same person in two
        provinces' files. The rows holding them are rejected as duplicate ids, with the
        rows that refer to them, as reading all the files together rejects every copy
        (``learnsoc dataset`` gives the ids found in two folders).

    Returns
    -------
    Population
        With ``rejects`` a :class:`~learnsoc.io.rejects.FileRejects`.

    Raises
    ------
    FileFormatError
        For a file that cannot be read as a table (missing, empty, not UTF-8 ...), a
        workbook where no sheet or several hold the table, a sheet that does not exist,
        a ``sheet`` key that names no file given or a file that is not a workbook.
    SchemaError
        For a missing required column or an unknown column.
    HierarchyError
        If the units left after rejects do not form a usable tree (a level is empty).
    MappingError
        For an invalid mapping file.
    DataError
        With ``strict=True``, if any record was rejected.

    Warns
    -----
    PlaceholderWarning
        For each column where words such as ``NULL`` or ``-`` were read as missing
        values, with the count of each word.
    SheetWarning
        For a workbook whose table was found on another sheet than the first, or below
        a title (see ``sheet``).

    Examples
    --------
    Persons on the second sheet of their workbook, households on the first of theirs:

    >>> import tempfile, pathlib, warnings
    >>> from openpyxl import Workbook
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "units.csv").write_text(
    ...     "code,level,parent_code\n01,province,\n001,commune,01\nT1,village,001\n", "utf-8")
    >>> wb = Workbook(); wb.active.append(["household_id", "unit_code"])
    >>> wb.active.append(["H1", "T1"]); wb.save(folder / "ho.xlsx")
    >>> wb = Workbook(); wb.active.title = "Ghi chú"; wb.active.append(["Tuổi tính đến 31/12"])
    >>> people = wb.create_sheet("Nhân khẩu"); people.append(["person_id", "household_id", "age"])
    >>> people.append([1, "H1", 40]); wb.save(folder / "nk.xlsx")
    >>> pop = read_population(folder / "nk.xlsx", households=folder / "ho.xlsx",
    ...                       units=folder / "units.csv", sheet={"nk.xlsx": "Nhân khẩu"})
    >>> pop.n_persons, pop.n_households
    (1, 1)
    >>> with warnings.catch_warnings(record=True) as caught:  # without a sheet: found
    ...     warnings.simplefilter("always")
    ...     pop = read_population(folder / "nk.xlsx", households=folder / "ho.xlsx",
    ...                           units=folder / "units.csv")
    >>> [(w.message.sheet, w.message.row) for w in caught]
    [('Nhân khẩu', 1)]
    """
    bars = renamed_flag(bars, progress, "read_population")
    if not isinstance(schema, Schema):
        mapping, schema = schema, STANDARD_SCHEMA
    fmap = resolve_mapping(mapping, schema)
    files = {
        "unit": units,
        "household": households,
        "clan": clans,
        "person": persons,
        "organisation": organisations,
        "membership": memberships,
    }

    sheets = sheets_for(sheet, files)

    # A header refused, by table: raised once every file is read, so that the errors
    # come in the order they did when each header was checked after reading (a missing
    # file first, then the tables in the order they are converted).
    refused: dict[str, SchemaError | FileFormatError] = {}

    def check(path: PathLike, table: str) -> Callable[[tuple[str, ...]], None]:
        def check_header(header: tuple[str, ...]) -> None:
            # The names alone decide: a wide file with an unknown column was parsed whole
            # (7.7x its size in memory) before this error.
            given = RawTable(display_name(path), header, [], Layout(0))
            mode = unknown_columns or fmap.unknown_columns
            specs = table_specs(table, schema)
            try:
                targets = resolve_columns(given, table, specs, fmap, mode).values()
                if table == "person":
                    # Ages that cannot be computed: said before a long file is parsed.
                    kept = [
                        t for t in targets if columns is None or wanted_column(specs[t], columns)
                    ]
                    ages = age_source_error(kept, reference_year)
                    if ages is not None:
                        raise ages
            except (SchemaError, FileFormatError) as error:
                refused[table] = error
                raise _HeaderRefusedError from None

        return check_header

    def opener(path: PathLike, table: str) -> RawTable | None:
        try:
            return open_table(path, table)
        except _HeaderRefusedError:
            return None

    def open_table(path: PathLike, table: str) -> RawTable:
        return read_table(
            path,
            table,
            check_header=check(path, table),
            mapping=fmap,
            schema=schema,
            delimiter=delimiter,
            encoding=encoding,
            engine=engine,
            decimal=decimal,
            columns=columns,
            sheet=sheets[table],
            header_row=header_row,
            bars=bars,
            unknown_columns=unknown_columns,
        )

    opened = {t: opener(p, t) for t, p in files.items() if p is not None}
    if refused:
        raise next(iter(refused.values()))  # the first in the order of ``files``
    raws = {t: raw for t, raw in opened.items() if raw is not None}
    return assemble(
        raws,
        hierarchy=hierarchy,
        mapping=fmap,
        levels=levels,
        schema=schema,
        reference_year=reference_year,
        strict=strict,
        unknown_columns=unknown_columns,
        decimal=decimal,
        bars=bars,
        columns=columns,
        elsewhere=ids_elsewhere,
        ids_out=_ids_out,
    )


def sheets_for(sheet: SheetChoice, files: Mapping[str, PathLike | None]) -> dict[str, Sheet | None]:
    """Return the sheet to read in each table's file, from ``sheet=`` of :func:`read_population`.

    Parameters
    ----------
    sheet : str, int, mapping or None
        One sheet for every workbook, or a mapping from a file (as given, or its name) or a
        table (``"person"``, ``"persons"``) to its sheet; ``"*"``: every other workbook.
    files : mapping of str to path or None
        Each table's file (``None``: not given).

    Returns
    -------
    dict
        Table to sheet (``None``: the sheet holding the table), for the files given.

    Raises
    ------
    FileFormatError
        For a key that names none of the files (with the files, and a "did you mean"), a
        key whose files are not Excel workbooks, or two sheets chosen for one file.
    TypeError
        For a sheet that is neither a name nor a position.

    Examples
    --------
    >>> sheets_for({"*": 1, "persons": "Danh sách"},
    ...            {"person": "in/nk.xlsx", "household": "in/ho.xlsx", "unit": None})
    {'person': 'Danh sách', 'household': 1}
    >>> sheets_for({"ho.xlsx": 0}, {"person": "nk.xlsx", "household": "in/ho.xlsx"})
    {'person': None, 'household': 0}
    """
    given = {t: p for t, p in files.items() if p is not None}
    if not isinstance(sheet, Mapping):
        return dict.fromkeys(given, _checked_sheet(sheet))
    out: dict[str, Sheet | None] = dict.fromkeys(given, _checked_sheet(sheet.get("*")))
    chosen: dict[str, Sheet | None] = {}
    for key, value in sheet.items():
        if key == "*":
            continue
        value = _checked_sheet(value)
        tables = [t for t, p in given.items() if _names_file(str(key), t, p)]
        if not tables:
            names = [display_name(p) for p in given.values()]
            aliases = [TABLE_PLURALS.get(t, t) for t in given]
            hint = did_you_mean(str(key), [*names, *(PurePath(n).name for n in names), *aliases])
            msg = Message(
                N_(
                    "no sheet can be chosen for it (--sheet, sheet=): it is none of the files "
                    "given ({files}) and no table ({tables}){hint}"
                ),
                files=", ".join(dict.fromkeys(names)),
                tables=", ".join(aliases),
                hint=hint if hint.startswith("; did you mean") else "",
            )
            raise file_error(msg, file=str(key))
        sheets = [t for t in tables if Path(given[t]).suffix.lower() in (*_EXCEL, *_OTHER_SHEETS)]
        if not sheets and value is not None:
            msg = Message(
                N_(
                    "a sheet is chosen for it (--sheet, sheet=), but it is not an Excel "
                    "workbook (.xlsx)"
                )
            )
            raise file_error(msg, file=display_name(given[tables[0]]))
        for t in sheets:
            if t in chosen and chosen[t] != value:
                msg = Message(
                    N_("two sheets are chosen for it (--sheet, sheet=): {first!r} and {second!r}"),
                    first=chosen[t],
                    second=value,
                )
                raise file_error(msg, file=display_name(given[t]))
            chosen[t] = out[t] = value
    return out


#: Each table as ``read_population``'s parameters and the command line's options name it.
TABLE_PLURALS = {
    "unit": "units",
    "household": "households",
    "clan": "clans",
    "person": "persons",
    "organisation": "organisations",
    "membership": "memberships",
}


def _names_file(key: str, table: str, path: PathLike) -> bool:
    """Return whether a ``sheet=`` key names a table's file: its path, its name, the table."""
    key = unicodedata.normalize("NFC", key)
    name = unicodedata.normalize("NFC", display_name(path))
    return key in (table, TABLE_PLURALS.get(table), name, PurePath(name).name)


def _checked_sheet(value: Any) -> Sheet | None:
    """Return a sheet given as a name or a position; refuse anything else."""
    if (
        value is None
        or isinstance(value, str)
        or (isinstance(value, int) and not isinstance(value, bool))
    ):
        return value
    msg = f"sheet={value!r}: a sheet is given by its name (str) or its position (int, 0 = first)"
    raise TypeError(msg)


def _level_ids(cells: Any, levels: str | HierarchySpec | Sequence[str | Level]) -> NDArray[np.str_]:
    """Read a units file's level cells that name a level in words (Tỉnh, Phường, Thôn).

    The words ``--levels`` and ``--inputs`` take (:func:`~learnsoc.model.hierarchy.level_named`):
    the level's name in Vietnamese or English, in any case, with or without accents, and
    the names units files give it (``Phường``, ``Thị trấn``, ``Tổ dân phố``). A cell that
    names no level, or several, is left as written, to be refused with the others.

    Examples
    --------
    >>> _level_ids(["Tỉnh", "Phường", "Tổ dân phố", "village", "Huyện"], "vn-2025").tolist()
    ['province', 'commune', 'village', 'village', 'Huyện']
    """
    text = np.asarray(cells).astype(str)
    spec = hierarchy_spec(levels)
    words, inverse = np.unique(text, return_inverse=True)
    named = [w if w in spec.names else (level_named(w, spec.levels) or w) for w in words.tolist()]
    return np.asarray(named, dtype=str)[inverse.reshape(-1)] if len(words) else text


def _units(
    raw: RawTable,
    cols: dict[str, Any],
    levels: str | HierarchySpec | Sequence[str | Level],
    source: Source,
    whole: _FileLevels,
) -> tuple[Hierarchy, list[LineBatch]]:
    """Build the tree leniently; if too little is left, say which units were refused first.

    The first refused unit is told with the file's column and words (``cột Cấp``, ``cần
    Tỉnh, Xã, Thôn``), as its reject would be.
    An old province left in a list of 2026 is named by its file and line
    (:func:`~learnsoc.io.units.merged_in_file`), as the rejects are.
    """
    caught: list[warnings.WarningMessage] = []
    try:
        with caught_warnings() as caught:
            return lenient_units(cols, levels)
    except HierarchyError as exc:
        if exc.code is not None:
            raise
        # A level left empty is usually caused by the first refused unit (a level name
        # that differs from the tree's): name it.
        spec = hierarchy_spec(levels)
        n = len(np.asarray(cols["code"]))
        probe = unit_problems(cols, spec)
        located = [LineBatch.in_file(b, raw.layout) for b in probe]
        rejects = FileRejects.locate(Rejects(read={}), {"unit": source}, located)
        hint = _RefusedUnits(rejects, n)
        # The levels as --levels takes them; in Vietnamese named first (cấp xã (commune)).
        levels_text = level_names(spec.levels, with_id=True)
        template = N_(
            "{error}{refused_text} (the tree's levels are {levels}: check --levels / levels=)"
        )
        values: dict[str, object] = {"error": exc, "refused_text": hint, "levels": levels_text}
        tree = _tree_of_file(whole.named, spec)
        if tree is not None:
            # The file is on another tree (a 2024 list with its districts read as the 2025
            # tree, the default): say which, so the fix is one option, not a guess.
            template = N_(
                "{error}{refused_text} (the tree's levels are {levels}; the file's are "
                "{file_levels}, those of the tree {tree!r}: give --levels {tree} / "
                'levels = "{tree}" in the mapping file)'
            )
            values["file_levels"] = level_names(tree.levels, with_id=True)
            values["tree"] = tree.name
        text = str(Message(template, **values))  # English, whatever the default locale
        if not isinstance(exc, LevelsError):
            raise HierarchyError(text).translatable(template, **values) from None
        # The file as a whole does not fit the levels (no row names the level, its rows name
        # another tree's levels, or every unit was refused; n counts the units the cells'
        # checks kept): a usage error when the levels were given (exit code 2). A level
        # emptied by bad cells, a typo such as 'Xãa' among them, is a data problem (exit 1).
        unnamed = exc.level not in whole.named and not whole.bad_level_cells
        unfit = unnamed or whole.other_levels or rejects.n_rejected("unit") == n
        error = LevelsError(text, level=exc.level, whole_file=unfit, levels_given=whole.given)
        raise error.translatable(template, **values) from None
    finally:
        for item in caught:
            warnings.warn(merged_in_file(item.message, source), stacklevel=3)


def _tree_of_file(named: Collection[str], spec: HierarchySpec) -> HierarchySpec | None:
    """Return the other preset tree whose levels are exactly those a units file names.

    ``named`` holds the file's level cells, as level ids where they name one of
    ``spec``'s levels and as written otherwise (``Huyện``).

    >>> _tree_of_file({"province", "Huyện", "commune", "village"}, PRESETS["vn-2025"]).name
    'vn-pre-2025'
    >>> _tree_of_file({"province", "commune", "village"}, PRESETS["vn-pre-2025"]).name
    'vn-2025'
    >>> _tree_of_file({"province", "Huyện", "Xãa"}, PRESETS["vn-2025"]) is None
    True

    A word that names two levels of Vietnam's trees (``Thành phố``: a province, or a
    district before the reform) says nothing of the file's tree:

    >>> _tree_of_file({"province", "Thành phố", "commune", "village"}, PRESETS["vn-pre-2025"])
    """
    every = list({lv for p in PRESETS.values() for lv in p.levels})
    if any(w not in spec.names and level_named(w, every) is None for w in named):
        return None
    for preset in PRESETS.values():
        if preset.name == spec.name:
            continue
        ids = {w if w in preset.names else level_named(w, preset.levels) for w in named}
        if ids == set(preset.names):
            return preset
    return None


@attrs.frozen
class _FileLevels:
    """What a units file says of the levels, before any unit is refused.

    ``named``: the levels its level cells name; ``bad_level_cells``: whether a level cell
    names no level at all or was refused; ``other_levels``: whether its cells name levels
    of another tree (``district`` for a 2025 tree) and none is bad; ``given``: whether the
    levels were given (``levels=``, ``--levels``, the mapping file's ``levels``).
    """

    named: frozenset[str]
    bad_level_cells: bool
    other_levels: bool
    given: bool


def _unit_tree(
    raw: RawTable,
    cols: dict[str, Any],
    refused: Sequence[RejectBatch],
    levels: str | HierarchySpec | Sequence[str | Level],
    source: Source,
    given: bool,
) -> tuple[Hierarchy, list[LineBatch], list[str]]:
    """Build the tree from converted unit columns, leaving out refused and bad units.

    ``given`` says whether the levels were given rather than the default tree (an error
    of a file that does not fit given levels is a usage error).

    Returns the tree, the refused units as lines of the file, and the codes of the units
    refused by the tree checks (references to them are ``rejected_unit``).
    """
    extra: list[LineBatch] = []
    # Units with a refused cell are left out of the tree, and reported as read.
    kept = np.arange(len(np.asarray(cols["code"])))
    named = frozenset(_level_ids(cols["level"], levels).tolist()) if len(kept) else frozenset()
    if refused:
        out = np.unique(np.concatenate([b.rows for b in refused]))
        kept = np.delete(kept, out)
        cols = {k: np.asarray(v)[kept] for k, v in cols.items()}
        extra.extend(LineBatch.in_file(b, raw.layout) for b in refused)
    cols = {**cols, "level": _level_ids(cols["level"], levels)}
    # A level cell naming no level at all ('Xãa'), or refused, may be a typo of the one left
    # empty: bad cells. One naming another tree's level ('district') is the file's shape.
    spec = hierarchy_spec(levels)
    known = {lv for p in PRESETS.values() for lv in p.levels}
    other = named - set(spec.names)
    odd = [w for w in other if level_named(w, list(known)) is None]
    bad_level = bool(odd) or any(b.column == "level" for b in refused)
    whole = _FileLevels(named, bad_level, bool(other) and not bad_level, given)
    hierarchy, problems = _units(raw, cols, levels, source, whole)
    gone: list[str] = []
    for b in problems:
        extra.append(LineBatch.in_file(b, raw.layout, kept))
        gone.extend(np.asarray(cols["code"])[b.rows].astype(str).tolist())
    _warn_lost_zeros(raw.file, hierarchy)
    return hierarchy, extra, gone


def _warn_lost_zeros(file: str, hierarchy: Hierarchy) -> None:
    """Say when a level's codes are numbers of several widths: zeros a spreadsheet dropped.

    Province codes 1 to 96 beside 01 to 96 are the mark of a code column stored as numbers
    (Excel turns ``01`` into ``1``): the tree is built from the codes as written, and
    reports show "Hà Nội (1)", so the user is told rather than left to find it. Codes of
    one width, with letters, or any of them beginning with 0 (kept as text) say nothing.
    """
    for level in hierarchy.levels:
        codes = hierarchy.codes_at(level)
        if len(codes) < 2 or not bool(np.char.isdigit(codes).all()):
            continue
        widths = np.char.str_len(codes)
        lo, hi = int(widths.min()), int(widths.max())
        # A code that begins with 0 was kept as text: the widths are the agency's own.
        if lo == hi or bool(np.char.startswith(codes, "0").any()):
            continue
        msg = Message(
            N_(
                "{file}: the codes of level {level} are numbers of {lo} to {hi} digits "
                "({examples}): a spreadsheet that stores a code column as numbers drops the "
                "leading zeros (01 becomes 1), and reports show the codes as read; store the "
                "column as text"
            ),
            file=file,
            level=Phrase(Message(level)),
            lo=lo,
            hi=hi,
            examples=", ".join(codes[widths == lo][:3].tolist()),
        )
        warnings.warn(LeadingZerosWarning(str(msg)).translatable(msg), stacklevel=5)


# Each id column and the columns referring to it: they must be of one kind (all int64 or all
# text) before lookups. Plain numbers become int64 table by table, so "H1" in one file and
# 1 in another are brought back to text together.
_ID_GROUPS = (
    (("household", "household_id"), ("person", "household_id")),
    (("clan", "clan_id"), ("household", "clan_id")),
    (("person", "person_id"), ("membership", "person_id")),
    (("organisation", "organisation_id"), ("membership", "organisation_id")),
)


def _same_id_kinds(tables: dict[str, dict[str, Any]]) -> None:
    for group in _ID_GROUPS:
        present = [(t, c) for t, c in group if c in tables.get(t, {})]
        # An empty column (a header-only memberships file) has no kind of its own: it
        # must not turn the other table's numeric ids into text.
        kinds = {
            np.asarray(tables[t][c]).dtype.kind == "U" for t, c in present if len(tables[t][c])
        }
        if len(kinds) > 1:
            for t, c in present:
                tables[t][c] = id_text(np.asarray(tables[t][c]))


#: The id column of each table whose ids are unique (across files read apart, too).
ID_COLUMNS = {
    "household": "household_id",
    "clan": "clan_id",
    "person": "person_id",
    "organisation": "organisation_id",
}


def _ids_across_files(
    tables: Mapping[str, Mapping[str, Any]],
    found: list[RejectBatch],
    elsewhere: Mapping[str, Any],
    ids_out: dict[str, NDArray[Any]] | None,
) -> None:
    """Reject the rows whose id other files hold; give the ids of every row read.

    Reading the files together rejects every copy of an id as ``duplicate_id``; marked
    before the population is built, the rows that refer to these rows are rejected as
    they are then (a person of a household that was rejected ...).
    """
    for table, column in ID_COLUMNS.items():
        values = tables.get(table, {}).get(column)
        if values is None:
            continue
        ids, missing = normalize_ids(values)
        # A cell the reader refused already holds a placeholder, not an id.
        for b in found:
            if b.table == table and b.column == column:
                missing[b.rows] = True
        if ids_out is not None:
            ids_out[table] = ids[~missing]
        other = elsewhere.get(table)
        if other is None or not len(other) or not len(ids):
            continue
        other = np.asarray(other)
        if (other.dtype.kind == "U") != (ids.dtype.kind == "U"):
            # 5 in one file and "P5" in another: compared as text, as read together.
            ids, other = id_text(ids), id_text(other)
        rows = np.flatnonzero(np.isin(ids, other) & ~missing)
        if len(rows):
            found.append(RejectBatch(table, column, "duplicate_id", rows, ids[rows]))


def assemble(
    raws: Mapping[str, RawTable],
    *,
    hierarchy: Hierarchy | None,
    mapping: FileMapping,
    levels: str | HierarchySpec | Sequence[str | Level] | None,
    schema: Schema,
    reference_year: int | None,
    strict: bool,
    unknown_columns: str | None,
    decimal: str | None = None,
    bars: bool | None = False,
    columns: Collection[str] | None = None,
    elsewhere: Mapping[str, Any] | None = None,
    ids_out: dict[str, NDArray[Any]] | None = None,
) -> Population:
    r"""Convert raw tables and build the population with located rejects (shared by readers).

    ``elsewhere``: ids other files hold, by table, whose rows are rejected as duplicates;
    ``ids_out`` receives the ids of every row of each table read (none missing).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "p.csv").write_text("person_id;household_id;age\nP1;H1;40\nP2;H1;9\n")
    >>> _ = (folder / "h.csv").write_text("household_id;unit_code\nH1;T1\nH2;T7\n")
    >>> raws = {"person": read_table(folder / "p.csv", "person"),
    ...         "household": read_table(folder / "h.csv", "household")}
    >>> tree = ls.Hierarchy.from_units({"code": ["01", "T1"], "level": ["province", "village"],
    ...     "parent_code": ["", "01"]}, levels=["province", "village"])
    >>> pop = assemble(raws, hierarchy=tree, mapping=FileMapping(), levels=None,
    ...     schema=STANDARD_SCHEMA, reference_year=None, strict=False, unknown_columns=None)
    >>> pop.n_persons, pop.n_households
    (2, 1)
    >>> print(pop.rejects.records("en")[0].message)  # doctest: +ELLIPSIS
    /.../h.csv, line 3, column unit_code: unit 'T7' does not exist
    """
    if "person" not in raws or "household" not in raws:
        raise SchemaError("population", None, N_("needs a persons table and a households table"))
    # Cells the conversion refused (not a number, too long ...): the population rejects
    # their rows with these reasons.
    found: list[RejectBatch] = []
    convert: Callable[[str], dict[str, Any]] = lambda t: convert_table(  # noqa: E731
        raws[t],
        t,
        schema=schema,
        mapping=mapping,
        unknown_columns=unknown_columns,
        decimal=decimal,
        bars=bars,
        columns=columns,
        coded_units=t != "unit",
        rejects=found,
    )
    extra: list[LineBatch] = []
    gone: list[str] = []
    if "unit" in raws:
        unit_cols = convert("unit")
        spec = levels if levels is not None else (mapping.levels or "vn-2025")
        where = _source(raws["unit"], "unit", mapping, schema)
        given = levels is not None or mapping.levels is not None
        hierarchy, extra, gone = _unit_tree(raws["unit"], unit_cols, found, spec, where, given)
        found.clear()
    elif hierarchy is None:
        raise SchemaError(
            "unit", None, N_("a units file (units=...) or a hierarchy (hierarchy=...) is needed")
        )
    tables = {t: convert(t) for t in raws if t != "unit"}
    _same_id_kinds(tables)
    if ids_out is not None or elsewhere:
        _ids_across_files(tables, found, elsewhere or {}, ids_out)
    sources = {t: _source(r, t, mapping, schema) for t, r in raws.items()}
    with caught_warnings() as caught:
        pop = Population.from_columns(
            tables["person"],
            tables["household"],
            hierarchy,
            clans=tables.get("clan"),
            organisations=tables.get("organisation"),
            memberships=tables.get("membership"),
            schema=schema,
            reference_year=reference_year,
            rejects=found,
        )
    for item in caught:
        warnings.warn(in_file(item.message, sources), stacklevel=3)
    rejects = FileRejects.locate(pop.rejects, sources, extra, rejected_units=gone)
    if columns is not None:
        unread = _unread_columns(raws, schema, mapping, unknown_columns, columns)
        rejects = attrs.evolve(rejects, unchecked=unread)
    if strict and rejects:
        msg = Message(
            N_("{n} problem(s) in the input; first: {first}"),
            n=len(rejects),
            first=_FirstReject(rejects),
        )
        raise DataError(str(msg), rejects).translatable(msg)
    return attrs.evolve(pop, rejects=rejects)


def _unread_columns(
    raws: Mapping[str, RawTable],
    schema: Schema,
    mapping: FileMapping,
    unknown_columns: str | None,
    columns: Collection[str],
) -> dict[str, tuple[str, ...]]:
    """Return per table the file's columns that ``columns=`` left unread (so unchecked)."""
    unread = {}
    # Persons first: where a bad cell in an unread column most often hides.
    for table in ("person", "household", "clan", "organisation", "membership"):
        raw = raws.get(table)
        if raw is None:
            continue  # (every column of the units file is read)
        specs = table_specs(table, schema)
        # The header alone: the conversion resolved it already (and refused what it had to).
        targets = resolve_columns(
            raw, table, specs, mapping, unknown_columns or mapping.unknown_columns
        )
        left = tuple(n for n, t in targets.items() if not wanted_column(specs[t], columns))
        if left:
            unread[table] = left
    return unread


def in_file(message: Warning | str, sources: Mapping[str, Source]) -> Warning | str:
    """Name the file and its column in a warning about codes that lost their leading zeros.

    The population knows its tables, not their files: read from province folders, "30
    households had lost their zeros" would not say which folder's file, nor under the
    file's own header (``Mã thôn``) rather than ``unit_code``. Other warnings, and those of
    a table ``sources`` does not hold, are returned as given.

    Parameters
    ----------
    message : Warning or str
        A caught warning's message.
    sources : mapping of str to Source
        Where each table was read from, by the table the warning names.

    Returns
    -------
    Warning or str
        A :class:`~learnsoc.model.population.LeadingZerosWarning` naming the file and its
        column, or ``message`` itself.

    Examples
    --------
    >>> import warnings
    >>> from learnsoc.io.rejects import Source
    >>> from learnsoc.io.table import Layout
    >>> from learnsoc.model.population import locate_units
    >>> tree = Hierarchy.from_units({"code": ["01", "00004"], "level": ["province", "commune"],
    ...     "parent_code": [None, "01"]}, levels=["province", "commune"])
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = locate_units(["4"], tree, "household")
    >>> where = {"household": Source("ho.xlsx", Layout(1), columns={"unit_code": "Mã xã"})}
    >>> print(in_file(caught[0].message, where))  # doctest: +ELLIPSIS
    ho.xlsx, column Mã xã: 1 row had lost the leading zeros of its unit code and was read ...
    """
    params = getattr(message, "params", {})
    src = sources.get(str(params.get("table_text", "")))
    if isinstance(message, UnitNamesWarning) and src is not None:
        template = NAMES_READ_ONE_IN_FILE if str(params["n"]) == "1" else NAMES_READ_IN_FILE
        column = src.columns.get("unit_code", "unit_code")
        values = {k: params[k] for k in ("n", "was", "code")}
        named = Message(template, file=src.file, column=column, **values)
        return UnitNamesWarning(str(named)).translatable(named)
    if not isinstance(message, LeadingZerosWarning) or src is None:
        return message
    if params.get("kind") == IDS_LOST_ZEROS:
        return _ids_in_file(params, src, sources)
    units = sources.get("unit")
    if params.get("kind") == UNITS_LOST_ZEROS:
        if units is None:  # a tree given as a Hierarchy: no units file to name
            return message
        template = (
            N_(
                "{file}, column {column}: {n} row names a unit that {units}, column "
                "{unit_column}, writes without its leading zeros (e.g. {was!r} is {code!r} "
                "there), so it is rejected: store that column as text in the spreadsheet to "
                "keep the zeros"
            )
            if str(params["n"]) == "1"  # the count, said as the reader says it
            else N_(
                "{file}, column {column}: {n} rows name a unit that {units}, column "
                "{unit_column}, writes without its leading zeros (e.g. {was!r} is {code!r} "
                "there), so they are rejected: store that column as text in the spreadsheet "
                "to keep the zeros"
            )
        )
        msg = Message(
            template,
            file=src.file,
            column=src.columns.get("unit_code", "unit_code"),
            units=units.file,
            unit_column=units.columns.get("code", "code"),
            **{k: params[k] for k in ("n", "was", "code")},
        )
        return LeadingZerosWarning(str(msg)).translatable(msg)
    template = (
        N_(
            "{file}, column {column}: {n} row had lost the leading zeros of its unit code and "
            "was read as the unit it names (e.g. {was!r} as {code!r}); store the column as "
            "text in the spreadsheet to keep them"
        )
        if str(params["n"]) == "1"
        else N_(
            "{file}, column {column}: {n} rows had lost the leading zeros of their unit code "
            "and were read as the unit it names (e.g. {was!r} as {code!r}); store the column "
            "as text in the spreadsheet to keep them"
        )
    )
    column = src.columns.get("unit_code", "unit_code")
    values = {k: params[k] for k in ("n", "was", "code")}
    msg = Message(template, file=src.file, column=column, **values)
    return LeadingZerosWarning(str(msg)).translatable(msg)


def _ids_in_file(
    params: Mapping[str, Any], src: Source, sources: Mapping[str, Source]
) -> LeadingZerosWarning:
    """Name both files and columns in the warning of ids that lost their zeros."""
    target = str(params["target_text"])
    other = sources.get(target)
    own = f"{target}_id"
    template = (
        N_(
            "{file}, column {column}: {n} row names a {target_text} that {other}, column "
            "{other_column}, writes with leading zeros (e.g. {was!r} is {code!r} there), so "
            "it is rejected: store the column as text in the spreadsheet to keep the zeros"
        )
        if str(params["n"]) == "1"
        else N_(
            "{file}, column {column}: {n} rows name a {target_text} that {other}, column "
            "{other_column}, writes with leading zeros (e.g. {was!r} is {code!r} there), so "
            "they are rejected: store the column as text in the spreadsheet to keep the zeros"
        )
    )
    column = str(params["column"])
    msg = Message(
        template,
        file=src.file,
        column=src.columns.get(column, column),
        target_text=target,
        other=other.file if other is not None else target,
        other_column=other.columns.get(own, own) if other is not None else own,
        **{k: params[k] for k in ("n", "was", "code")},
    )
    return LeadingZerosWarning(str(msg)).translatable(msg)


def _source(raw: RawTable, table: str, mapping: FileMapping, schema: Schema) -> Source:
    """Return where a table was read from, with the file's names for renamed columns.

    A mapping file renames the agency's columns (``Tuổi`` -> ``age``) and reads its words
    (``Có`` -> ``1``): rejects then name the column and the codes as the file writes them.
    """
    tmap = mapping.table(table)
    specs = table_specs(table, schema)
    columns: dict[str, str] = {}
    codes: dict[str, str] = {}
    for header in raw.header:
        name = tmap.schema_name(header)
        if name != header:
            columns[name] = header
        spec = specs.get(name)
        # A units file's levels are words too (Tỉnh, Xã, Thôn), though read as text.
        level_words = table == "unit" and name == "level"
        if spec is None or (spec.kind not in _CODED and not level_words):
            continue
        words = mapping.value_map(table, name, spec.kind)
        if words:
            codes[name] = ", ".join(mapping.spellings.get(w, w) for w in words)
    if table == "person" and "age" not in columns.values() and "age" not in raw.header:
        # Ages computed from birth dates (or years): a missing age is a missing birth date,
        # and the file names that column.
        for born in ("birth_date", "birth_year"):
            if born in columns or born in raw.header:
                columns["age"] = columns.get(born, born)
                break
    layout = raw.layout
    if any(layout.short_of):
        # The column a short record lacks, by learnsoc's name (messages give the file's).
        names = tuple(tmap.schema_name(h) if h else "" for h in layout.short_of)
        layout = attrs.evolve(layout, short_of=names)
    return Source(raw.file, layout, raw.is_file, columns=columns, codes=codes)
