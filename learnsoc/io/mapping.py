"""Mapping files: an agency's column names and codes onto learnsoc's schema.

Agencies name their columns in Vietnamese and write codes as words ("Có"/"Không",
"Nam"/"Nữ"). A mapping file (TOML) says, once, how their files map onto the schema
(:data:`~learnsoc.model.schema.STANDARD_SCHEMA`), so the files are read as they are::

    [mapping]
    name = "Xã Tân Lập, 2025 exports"
    delimiter = ";"             # optional: "," ";" "|" or "tab" (default: sniffed)
    decimal = ","               # optional: "1,5" means 1.5 in number columns
    levels = "vn-2025"          # the units file's tree: a preset or a list of level names
    unknown_columns = "error"   # or "ignore": columns the schema does not know

    [values.bool]               # for every yes/no column of every table
    "Có" = 1
    "Không" = 0

    [person]
    ignore = ["Họ và tên", "Ghi chú"]

    [person.columns]            # file column = schema column
    "Mã NK" = "person_id"
    "Mã hộ" = "household_id"
    "Tuổi" = "age"
    "Giới tính" = "sex"
    "Biết chữ" = "literate"

    [person.values.sex]         # for one column of one table
    "Nam" = "male"              # a code name, or its number (1)
    "Nữ" = "female"

    [unit]
    columns = { "Mã" = "code", "Tên" = "name", "Cấp" = "level", "Mã cấp trên" = "parent_code" }
    [unit.values.level]
    "Tỉnh" = "province"
    "Xã" = "commune"
    "Thôn" = "village"

Tables are ``person``, ``household``, ``clan``, ``organisation``, ``membership``,
``unit``, ``counts`` (per-unit counts files: ``unit_code`` and any count, such as
``families``, ``learning_families``; see :func:`~learnsoc.io.population.read_counts`)
and ``inputs`` (the evaluators' ``--inputs`` files: their key, ``code`` or ``id``, and
the rulebook's inputs, such as ``"Hoạt động học tập" = "village_learning_activities"``).
Column names and codes match after trimming spaces and normalizing Unicode (NFC), so
text typed on different systems still matches; codes also ignore case, and column names
the spaces between their words (``Mã  đơn vị`` is ``Mã đơn vị``). A file column that
matches no name of the mapping exactly is matched without case and with the tone mark
anywhere in its syllable (``Mã Hộ`` is ``Mã hộ``, ``Xoá mù chữ`` is ``Xóa mù chữ``), when
that names one column of the mapping only.
Columns not named in ``columns`` keep their name, except in a units file, whose
Vietnamese headers are known without a mapping (:data:`UNIT_HEADERS`: ``Mã đơn vị``,
``Tên đơn vị``, ``Cấp``, ``Mã đơn vị cấp trên``). A value not listed in a value map is
read as it is (so ``1`` and ``"male"`` keep working next to ``"Nam"``).

Examples
--------
>>> m = FileMapping.from_dict({
...     "person": {"columns": {"Tuổi": "age", "Giới tính": "sex"},
...                "values": {"sex": {"Nam": "male", "Nữ": 2}}},
...     "values": {"bool": {"Có": True, "Không": False}},
... })
>>> m.table("person").schema_name("Tuổi")
'age'
>>> m.value_map("person", "sex", "code")["nữ"]
'2'
>>> m.value_map("household", "registered", "bool")["có"]
'1'
>>> evaluators = FileMapping.from_dict({"inputs": {
...     "columns": {"Thôn": "code", "Hoạt động học tập": "village_learning_activities"},
...     "values": {"village_learning_activities": {"Tốt": 1}}}})
>>> evaluators.table("inputs").schema_name("HOẠT ĐỘNG HỌC TẬP")
'village_learning_activities'
>>> evaluators.value_map("inputs", "village_learning_activities", "bool")["tốt"]
'1'
"""

from __future__ import annotations

import unicodedata
import warnings
from collections import Counter
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Literal

import attrs
import numpy as np

from learnsoc._messages import N_, Message
from learnsoc._toml import MAX_BYTES, Locator, TomlFile, parse_toml, read_file
from learnsoc._toml import Path as KeyPath
from learnsoc.errors import MappingError, did_you_mean
from learnsoc.io.files import (
    FileFormatError,
    PathLike,
    decode,
    display_name,
    named_delimiter,
    unknown_delimiter,
)
from learnsoc.limits import MAX_COUNT
from learnsoc.model.schema import STANDARD_SCHEMA, ColumnSpec, Schema, convert_column

__all__ = [
    "NAME_COLUMNS",
    "NOTE_COLUMNS",
    "TABLES",
    "UNIT_COLUMNS",
    "UNIT_HEADERS",
    "FileMapping",
    "MappingError",
    "TableMapping",
    "fold_column",
    "is_count_column",
    "is_name_column",
    "is_note_column",
    "is_row_number",
    "load_mapping",
    "loose_name",
    "map_word",
    "normalize_name",
    "normalize_value",
    "read_mapping",
]

#: The tables a mapping file may describe.
TABLES: tuple[str, ...] = (
    "person",
    "household",
    "clan",
    "organisation",
    "membership",
    "unit",
    "counts",
    "inputs",
)
#: The columns of a units file.
UNIT_COLUMNS: tuple[str, ...] = ("code", "name", "level", "parent_code")

#: The headers a units file may have without a mapping file: the names agencies give
#: the columns of a list of administrative units (danh mục đơn vị hành chính), folded as
#: :func:`fold_column` folds them (no case, no accents, one space; ``Mã ĐVHC`` is
#: ``ma dvhc``), onto :data:`UNIT_COLUMNS`. A mapping file's ``[unit]`` names come first.
UNIT_HEADERS: Mapping[str, str] = MappingProxyType(
    {
        **dict.fromkeys(
            ("ma", "ma don vi", "ma dvhc", "ma don vi hanh chinh", "ma dv", "unit code"),
            "code",
        ),
        **dict.fromkeys(
            (
                "ten",
                "ten don vi",
                "ten dvhc",
                "ten don vi hanh chinh",
                "ten dv",
                "don vi",
                "don vi hanh chinh",
                "unit name",
            ),
            "name",
        ),
        **dict.fromkeys(("cap", "cap don vi", "cap hanh chinh", "cap dvhc"), "level"),
        **dict.fromkeys(
            (
                "ma cap tren",
                "ma don vi cap tren",
                "ma dvhc cap tren",
                "ma dv cap tren",
                "ma don vi cha",
                "parent code",
                "parent",
            ),
            "parent_code",
        ),
    }
)

_TOP_KEYS = ("mapping", "values", *TABLES)
_MAPPING_KEYS = ("name", "delimiter", "decimal", "encoding", "levels", "unknown_columns")
_TABLE_KEYS = ("columns", "ignore", "values")


def normalize_name(name: str) -> str:
    r"""Return a column name as matched: NFC-normalized, one space between words.

    Runs of whitespace (two spaces, a no-break space, a line break typed with Alt+Enter
    in an Excel header) count as one space: Excel shows ``Mã  đơn vị`` and ``Mã đơn vị``
    alike, so a mapping file could not be told apart from the header by eye.

    Examples
    --------
    >>> normalize_name(" Tuổi ") == normalize_name(unicodedata.normalize("NFD", "Tuổi"))
    True
    >>> normalize_name("Mã  đơn\u00a0vị") == normalize_name("Mã\nđơn vị") == "Mã đơn vị"
    True
    """
    return " ".join(unicodedata.normalize("NFC", name).split())


#: Vietnamese tone marks, as NFD writes them (grave, acute, tilde, hook above, dot below).
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


def loose_name(name: str) -> str:
    """Return a column name as matched when no name matches exactly: no case, tones moved.

    People write a header's case as they like (``Mã Hộ``, ``MÃ HỘ``) and place the tone of
    ``oa``, ``oe``, ``uy`` by the old or the new rule (``Hoà``/``Hòa``, ``Thuỷ``/``Thủy``,
    ``Uỷ ban``/``Ủy ban``): a syllable carries one tone, and where it sits never tells
    two words apart, so each word's tone is moved to its end.

    Examples
    --------
    >>> loose_name("Xoá mù chữ") == loose_name("XÓA MÙ CHỮ") == loose_name("xóa  mù chữ")
    True
    >>> loose_name("Mã hộ") == loose_name("Mã hổ")
    False
    """
    folded = unicodedata.normalize("NFD", normalize_name(name).casefold())
    words = []
    for word in folded.split(" "):
        tones = "".join(c for c in word if c in _TONES)
        words.append("".join(c for c in word if c not in _TONES) + tones)
    return " ".join(words)


#: A row-number column, folded (no case, no accents, no dots): "STT", "Số TT", "No.".
ROW_NUMBER_COLUMNS = frozenset(("stt", "tt", "so tt", "so thu tu", "thu tu", "no", "#"))


def is_row_number(name: str) -> bool:
    """Tell whether a column header names the row numbers an agency sheet begins with.

    Nearly every Vietnamese spreadsheet starts with ``STT`` (số thứ tự): 1, 2, 3... It is
    not data, so readers leave it out instead of refusing it as an unknown column; a
    mapping file that gives it a meaning (``STT = "person_id"``) is followed first.

    Examples
    --------
    >>> [is_row_number(h) for h in ("STT", " Số TT ", "số thứ tự", "No.", "Tuổi")]
    [True, True, True, True, False]
    """
    from learnsoc.model.ids import unaccented

    folded = unaccented(normalize_name(name).casefold()).replace(".", " ")
    return " ".join(folded.split()) in ROW_NUMBER_COLUMNS


#: Folded column names (see :func:`fold_column`) that hold the units' or entities' names
#: for the people who keep a file (inputs and counts files): read by no one, so skipped.
#: Besides these, any column whose first word is "tên" (Tên đơn vị, Tên xã) is one.
NAME_COLUMNS = frozenset(("name", "unit name", "ho ten", "ho va ten", "don vi"))


def fold_column(name: str) -> str:
    """Return a column name as name columns are matched: no case, no accents, one space.

    Examples
    --------
    >>> fold_column(" Tên_Đơn-vị ")
    'ten don vi'
    """
    from learnsoc.model.ids import unaccented

    text = unaccented(normalize_name(name).casefold())
    return " ".join(text.replace("_", " ").replace("-", " ").split())


def is_name_column(column: str, level: str | None = None) -> bool:
    """Tell whether a column holds names (``Tên xã``, ``Đơn vị``, ``unit_name``), not data.

    Files of evaluators' inputs (``--inputs``) and per-unit counts keep the unit's name
    beside its code for the people who read them; readers skip such a column instead of
    refusing it as unknown. A mapping file that names the column is followed first.

    Parameters
    ----------
    column : str
        The header as written.
    level : str, optional
        The file's level (``commune``): ``commune_name`` is then a name column too.

    Examples
    --------
    >>> [is_name_column(c) for c in ("Tên đơn vị", "Tên thôn", "Đơn vị", "Họ tên")]
    [True, True, True, True]
    >>> [is_name_column(c) for c in ("Mã xã", "Số gia đình")], is_name_column("xa_name", "xa")
    ([False, False], True)
    """
    folded = fold_column(column)
    return (
        folded in NAME_COLUMNS
        or (level is not None and folded == f"{fold_column(level)} name")
        or folded.split()[:1] == ["ten"]
    )


#: Folded column names (see :func:`fold_column`) of a sheet's notes and sign-off columns
#: (``Ghi chú``, ``Lưu ý``, ``Người lập biểu``, ``Note``): words for the people who keep
#: the file, never counts nor inputs, so skipped as row numbers are. ``Khác`` ("other") is
#: not one: it may count something (see :mod:`learnsoc.io.text_counts`).
NOTE_COLUMNS = frozenset(
    (
        "ghi chu",
        "chu thich",
        "luu y",
        "nguoi lap",
        "nguoi lap bieu",
        "nguoi ghi",
        "nguoi tong hop",
        "note",
        "notes",
        "remark",
        "remarks",
        "comment",
        "comments",
    )
)


def is_note_column(column: str) -> bool:
    """Tell whether a column header names a sheet's notes (``Ghi chú``, ``Note``), not data.

    Compared as :func:`fold_column` folds it: case, accents (composed or decomposed, as
    macOS writes them), spaces, ``_`` and ``-`` do not matter, nor a trailing ``:``.

    Examples
    --------
    >>> [is_note_column(c) for c in ("Ghi chú", "GHI CHU", "Ghi_chu:", "Người lập biểu", "Notes")]
    [True, True, True, True, True]
    >>> [is_note_column(c) for c in ("Khác", "Số gia đình", "Ghi chú 2")]
    [False, False, False]
    """
    return fold_column(column).rstrip(" :") in NOTE_COLUMNS


#: A count of a counts file, as the rollup reads it (learnsoc.aggregate.rollup).
_COUNT = ColumnSpec("count", "int", "count", "int64", 0, MAX_COUNT, required=True)
#: The columns of a counts file that are no counts: its units' codes and names, and the
#: units' columns of a rollup read back (learnsoc.aggregate.rolled).
_NOT_COUNTS = frozenset(("unit_code", "unit_name", "level", "code", "name", "parent_code"))


def is_count_column(column: str) -> bool:
    """Tell whether a counts file's column (a mapping's name for it) holds counts.

    Not its units' codes and names, its row numbers (``STT``), its notes (``Ghi chú``), or
    a rate's status in a rollup read back (``share_status``).

    Examples
    --------
    >>> [is_count_column(c) for c in ("families", "unit_code", "Tên xã", "STT", "x_status")]
    [True, False, False, False, False]
    """
    return not (
        column in _NOT_COUNTS
        or column.endswith("_status")
        or is_name_column(column)
        or is_row_number(column)
        or is_note_column(column)
    )


def normalize_value(value: str) -> str:
    """Return a cell as matched against value maps: trimmed, NFC, case-folded.

    Examples
    --------
    >>> normalize_value("  CÓ ")
    'có'
    """
    return unicodedata.normalize("NFC", value.strip()).casefold()


def map_word(words: Mapping[str, str], text: str) -> str | None:
    """Return what a value map makes of a cell, or None when it holds no such word.

    The cell's word is matched as :func:`normalize_value` writes it (trimmed, NFC, no
    case), else, when that finds none, wherever the tone marks of its syllables sit
    (:func:`loose_name`): a mapping file written by the old rule (``Đã xoá mù chữ``,
    ``Hoà nhập``) reads the cells typed by the new one (``Đã xóa mù chữ``), as column
    names already did, when that leaves one target.

    Examples
    --------
    >>> words = {normalize_value("Đã xoá mù chữ"): "1", normalize_value("Chưa"): "0"}
    >>> map_word(words, "ĐÃ XÓA MÙ CHỮ"), map_word(words, " chưa "), map_word(words, "Đã xoá")
    ('1', '0', None)
    """
    key = normalize_value(text)
    found = words.get(key)
    if found is not None or not words:
        return found
    # Only a word with a tone mark can have it elsewhere: numbers and codes stop here.
    if _TONES.isdisjoint(unicodedata.normalize("NFD", key)):
        return None
    loose = loose_name(key)
    targets = {target for word, target in words.items() if loose_name(word) == loose}
    return targets.pop() if len(targets) == 1 else None


def _target(value: Any) -> str | None:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float | str):
        return str(value)
    return None


@attrs.frozen
class TableMapping:
    """How one table's file maps onto the schema.

    Parameters
    ----------
    columns : mapping of str to str
        File column name (normalized) to schema column name.
    ignore : frozenset of str
        File columns to leave out (normalized names).
    values : mapping of str to mapping of str to str
        Per schema column: normalized cell text to the text read instead.
    builtin : mapping of str to str
        Headers known without a mapping, folded (see :func:`fold_column`), to schema
        column names (:data:`UNIT_HEADERS` for units); ``columns`` and ``ignore`` first.

    Examples
    --------
    >>> mapping = FileMapping.from_dict(
    ...     {"person": {"columns": {"Tuổi": "age"}, "ignore": ["Ghi chú"]}})
    >>> persons = mapping.tables["person"]
    >>> persons.columns, sorted(persons.ignore)
    ({'Tuổi': 'age'}, ['Ghi chú'])
    """

    columns: Mapping[str, str] = attrs.field(factory=dict)
    ignore: frozenset[str] = frozenset()
    values: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)
    builtin: Mapping[str, str] = attrs.field(factory=dict)
    # loose_name -> the mapping's name; None when two of its names fold alike.
    _loose: Mapping[str, str | None] = attrs.field(init=False, eq=False, repr=False)

    @_loose.default
    def _fold_names(self) -> Mapping[str, str | None]:
        out: dict[str, str | None] = {}
        for name in (*self.columns, *sorted(self.ignore)):
            key = loose_name(name)
            out[key] = name if out.get(key, name) == name else None
        return out

    def spelled(self, file_column: str) -> str:
        """Return a file column as the mapping writes it (normalized; see :func:`loose_name`).

        The exact name first; else the one name of ``columns`` or ``ignore`` that matches
        it without case and tone position (``Mã Hộ`` for ``Mã hộ``); else the column.

        Examples
        --------
        >>> TableMapping({"Mã hộ": "household_id"}).spelled(" MÃ HỘ ")
        'Mã hộ'
        """
        name = normalize_name(file_column)
        if name in self.columns or name in self.ignore:
            return name
        return self._loose.get(loose_name(name)) or name

    def unaccented(self, file_column: str) -> str | None:
        """Return the one name of ``columns`` or ``ignore`` a column matches without accents.

        Not a match (``Ma ho`` may be ``Mã hộ``, a household, or ``Mã họ``, a clan): the
        name a "did you mean" offers for an unknown column. None when no name, or several,
        fold alike.

        Examples
        --------
        >>> TableMapping({"Mã hộ": "household_id"}).unaccented("MA HO")
        'Mã hộ'
        >>> TableMapping({"Mã hộ": "household_id", "Mã họ": "clan_id"}).unaccented("Ma ho") is None
        True
        """
        folded = fold_column(file_column)
        names = [n for n in (*self.columns, *sorted(self.ignore)) if fold_column(n) == folded]
        return names[0] if len(names) == 1 else None

    def ignores(self, file_column: str) -> bool:
        """Tell whether a file column is listed under ``ignore`` (as :meth:`spelled` matches)."""
        return self.spelled(file_column) in self.ignore

    def renames(self, file_column: str) -> bool:
        """Tell whether a file column is named under ``columns`` (as :meth:`spelled` matches)."""
        return self.spelled(file_column) in self.columns

    def schema_name(self, file_column: str) -> str:
        """Return the schema name of a file column (itself when not renamed).

        A column the mapping neither renames nor ignores is looked up in ``builtin``
        without case or accents (``MA DON VI`` is ``code`` in a units file).

        Examples
        --------
        >>> units = TableMapping(builtin=UNIT_HEADERS)
        >>> [units.schema_name(h) for h in ("Mã đơn vị", "TEN DON VI", "Cấp", "Tuổi")]
        ['code', 'name', 'level', 'Tuổi']
        >>> TableMapping({"Mã": "parent_code"}, builtin=UNIT_HEADERS).schema_name("Mã")
        'parent_code'
        """
        name = self.spelled(file_column)
        if name in self.columns:
            return self.columns[name]
        if name in self.ignore or not self.builtin:
            return name
        return self.builtin.get(fold_column(name), name)


_EMPTY_TABLE = TableMapping()
_UNIT_TABLE = TableMapping(builtin=UNIT_HEADERS)


@attrs.frozen
class FileMapping:
    """A parsed mapping file (see the module docs); the empty mapping changes nothing.

    Build one with :func:`read_mapping` or :meth:`from_dict`.

    Examples
    --------
    >>> mapping = FileMapping.from_dict(
    ...     {"person": {"columns": {"Mã NK": "person_id", "Tuổi": "age"}}})
    >>> mapping.tables["person"].columns
    {'Mã NK': 'person_id', 'Tuổi': 'age'}
    """

    tables: Mapping[str, TableMapping] = attrs.field(factory=dict)
    values: Mapping[str, Mapping[str, str]] = attrs.field(factory=dict)
    name: str = ""
    delimiter: str | None = None
    decimal: str = "."
    encoding: str = "utf-8"
    levels: str | tuple[str, ...] | None = None
    unknown_columns: Literal["error", "ignore"] = "error"
    file: str | None = None
    #: Each word of the value maps as the mapping file writes it (``"có"`` -> ``"Có"``):
    #: messages show the file's words, not their matching form.
    spellings: Mapping[str, str] = attrs.field(factory=dict)
    #: Each value map as the file writes it, by (table, column): its (word, value) pairs.
    #: The ``[inputs]`` ones are checked once the rulebook is known (see :meth:`error_at`).
    written_values: Mapping[tuple[str, str], tuple[tuple[str, str], ...]] = attrs.field(
        factory=dict, eq=False, repr=False
    )
    #: Each ``columns`` key as the file writes it, by (table, its normalized name): an
    #: error found after loading names its line even when its accents are decomposed.
    column_keys: Mapping[tuple[str, str], str] = attrs.field(factory=dict, eq=False, repr=False)
    #: Where the file's keys are written (None: built by hand, no lines to name).
    located: TomlFile[MappingError] | None = attrs.field(default=None, eq=False, repr=False)

    def error_at(self, message: Message, path: tuple[str, ...]) -> MappingError:
        """Return the error for a problem found after loading, at a key of the file.

        What only a rulebook tells (an ``[inputs.values]`` column it has no input of) is
        found when the inputs are read, and is said at the file's line all the same.

        Examples
        --------
        >>> m = FileMapping.from_dict({"inputs": {"values": {"x": {"Tốt": 1}}}}, file="m.toml")
        >>> print(m.error_at(Message("no such input"), ("inputs", "values", "x")))
        m.toml [inputs.values.x]: no such input
        """
        located = self.located or TomlFile(self.file, Locator(""), MappingError, columns=False)
        return located.error(message, path)

    def table(self, name: str) -> TableMapping:
        """Return the mapping of one table (empty when the file does not describe it).

        A units table knows the Vietnamese headers of :data:`UNIT_HEADERS` either way.
        """
        found = self.tables.get(name)
        if found is not None:
            return found
        return _UNIT_TABLE if name == "unit" else _EMPTY_TABLE

    def value_map(self, table: str, column: str, kind: str) -> Mapping[str, str]:
        """Return the value map for a column: its own, else the column's or kind's global one.

        ``kind`` is the schema kind (``"bool"``, ``"code"`` ...): ``[values.bool]`` applies
        to every yes/no column; ``[values.sex]`` to every column named ``sex``.
        """
        own = self.table(table).values.get(column)
        if own is not None:
            return own
        if column in self.values:
            return self.values[column]
        return self.values.get(kind, {})

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, file: str | None = None, schema: Schema = STANDARD_SCHEMA
    ) -> FileMapping:
        """Validate a parsed mapping (a TOML document as a dict) against the schema.

        Raises
        ------
        MappingError
            For an unknown key, table or column (with a "did you mean" hint), a value of
            the wrong type, a code the column does not accept (a count that is no whole
            number from 0), or a column both under ``columns`` and ``ignore``.
        """
        located = TomlFile(file, Locator(""), MappingError, columns=False)
        return _Parser(data, located, schema).parse()


def read_mapping(path: PathLike, *, schema: Schema = STANDARD_SCHEMA) -> FileMapping:
    r"""Read and validate a mapping file.

    Parameters
    ----------
    path : str or path
        The TOML file.
    schema : Schema
        The schema the columns map onto (a rulebook's extended schema, for its extra
        input columns).

    Raises
    ------
    MappingError
        For a file that is not valid TOML or not a valid mapping, nests tables, arrays
        or dotted keys more than 20 levels deep, or has an integer outside TOML's 64-bit
        range; the message names the file, the line and the key.
    FileFormatError
        For a missing file, a directory, a device or a pipe (``/dev/zero`` is refused,
        not read), a file over 1 MiB (checked before reading), or bytes that are not
        UTF-8.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "mapping.toml"
    >>> _ = path.write_text('[household]\ncolumns = { "Mã thôn" = "unit_kode" }\n', "utf-8")
    >>> try:
    ...     read_mapping(path)
    ... except MappingError as err:
    ...     print(err)  # doctest: +ELLIPSIS
    /...mapping.toml:2 [household.columns.Mã thôn]: ...did you mean 'unit_code'?
    """
    name = display_name(path)
    data = read_file(path, file=name, what="mapping file", error=FileFormatError, limit=MAX_BYTES)
    text = decode(data, name)
    doc, locator = parse_toml(text, name, error=MappingError)
    return _Parser(doc, TomlFile(name, locator, MappingError, columns=False), schema).parse()


class _Parser:
    """Validates a mapping document, naming the line of each problem."""

    def __init__(self, doc: Mapping[str, Any], toml: TomlFile[MappingError], schema: Schema):
        self.doc = doc
        self.toml = toml
        self.schema = schema
        self.spellings: dict[str, str] = {}
        self.written: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {}
        self.column_keys: dict[tuple[str, str], str] = {}

    def fail(self, message: Message, path: KeyPath) -> MappingError:
        return self.toml.error(message, path)

    def mapping_of(self, value: Any, path: KeyPath) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            msg = Message(N_("must be a table, got {type}"), type=type(value).__name__)
            raise self.fail(msg, path)
        return value

    def parse(self) -> FileMapping:
        self.toml.check_keys(self.doc, _TOP_KEYS, ())
        head = self.mapping_of(self.doc.get("mapping", {}), ("mapping",))
        self.toml.check_keys(head, _MAPPING_KEYS, ("mapping",))
        options = self.options(head)
        tables = {
            t: self.table(t, self.mapping_of(self.doc[t], (t,))) for t in TABLES if t in self.doc
        }
        values = {
            normalize_name(k): self.values(v, ("values", k), None, str(k))
            for k, v in self.mapping_of(self.doc.get("values", {}), ("values",)).items()
        }
        return FileMapping(
            tables=tables,
            values=values,
            file=self.toml.name,
            spellings=self.spellings,
            written_values=self.written,
            column_keys=self.column_keys,
            located=self.toml,
            **options,
        )

    def options(self, head: Mapping[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key in ("name", "encoding"):
            if key in head:
                out[key] = self.text(head[key], ("mapping", key))
        if "delimiter" in head:
            delim = self.text(head["delimiter"], ("mapping", "delimiter"))
            try:
                out["delimiter"] = named_delimiter(delim)
            except ValueError:
                raise self.fail(unknown_delimiter(delim), ("mapping", "delimiter")) from None
        if "decimal" in head:
            dec = self.text(head["decimal"], ("mapping", "decimal"))
            if dec not in (".", ","):
                msg = Message(N_("decimal must be '.' or ',', got {dec!r}"), dec=dec)
                raise self.fail(msg, ("mapping", "decimal"))
            out["decimal"] = dec
        if "unknown_columns" in head:
            mode = self.text(head["unknown_columns"], ("mapping", "unknown_columns"))
            if mode not in ("error", "ignore"):
                msg = Message(
                    N_("unknown_columns must be 'error' or 'ignore', got {mode!r}"), mode=mode
                )
                raise self.fail(msg, ("mapping", "unknown_columns"))
            out["unknown_columns"] = mode
        if "levels" in head:
            levels = head["levels"]
            if isinstance(levels, str):
                out["levels"] = levels
            elif isinstance(levels, list) and levels and all(isinstance(x, str) for x in levels):
                out["levels"] = tuple(levels)
            else:
                msg = Message(
                    N_("levels must be a preset name or a list of level names, top first")
                )
                raise self.fail(msg, ("mapping", "levels"))
        return out

    def same_key(self, messages: tuple[str, str], earlier: KeyPath, **params: str) -> Message:
        """Return the message for a key matching an earlier one: with its line when known."""
        line, _ = self.toml.position(earlier)
        if line is None:  # a mapping given as a dict
            return Message(messages[1], **params)
        return Message(messages[0], line=line, **params)

    def text(self, value: Any, path: KeyPath) -> str:
        if not isinstance(value, str):
            msg = Message(N_("must be text, got {type}"), type=type(value).__name__)
            raise self.fail(msg, path)
        return value

    def known_columns(self, table: str) -> tuple[str, ...] | None:
        if table == "unit":
            return UNIT_COLUMNS
        if table in ("counts", "inputs"):
            # unit_code and any count the file holds; a key and any input of the rulebook
            # (the rulebook is not known here: the inputs reader refuses an unknown one).
            return None
        names = self.schema.table(table).names
        return (*names, "birth_year", "birth_date") if table == "person" else names

    def check_column(
        self, name: str, known: tuple[str, ...] | None, table: str, path: KeyPath
    ) -> None:
        if known is not None and name not in known:
            msg = Message(
                N_("{name!r} is not a {table_text} column{hint}"),
                name=name,
                table_text=table,
                hint=did_you_mean(name, known),
            )
            raise self.fail(msg, path)

    def table(self, table: str, spec: Mapping[str, Any]) -> TableMapping:
        self.toml.check_keys(spec, _TABLE_KEYS, (table,))
        known = self.known_columns(table)
        columns: dict[str, str] = {}
        written: dict[str, str] = {}  # each target's last column, as the file writes it
        spelled: dict[str, str] = {}  # each matched name, as the file first writes it
        for src, dst in self.mapping_of(spec.get("columns", {}), (table, "columns")).items():
            path = (table, "columns", src)
            target = self.text(dst, path)
            self.check_column(target, known, table, path)
            name = normalize_name(src)
            # Keys TOML holds apart that match the same header (one composed, one
            # decomposed, as macOS writes them): the last one silently won.
            if name in spelled and columns[name] != target:
                msg = self.same_key(
                    (
                        N_(
                            "{second!r} is the column name {first!r} of line {line} (accents "
                            "composed or decomposed, spaces aside), which maps onto {one!r}, "
                            "not {other!r}: keep one"
                        ),
                        N_(
                            "{second!r} is the column name {first!r} (accents composed or "
                            "decomposed, spaces aside), which maps onto {one!r}, not "
                            "{other!r}: keep one"
                        ),
                    ),
                    (table, "columns", spelled[name]),
                    first=spelled[name],
                    second=src,
                    one=columns[name],
                    other=target,
                )
                raise self.fail(msg, path)
            spelled.setdefault(name, src)
            self.column_keys[(table, name)] = src  # the last: the one read
            columns[name] = target
            written[target] = src
        # Counted once: a count per column name took the square of the columns given.
        dupes = sorted(t for t, n in Counter(columns.values()).items() if n > 1)
        if dupes:
            msg = Message(N_("several file columns map onto {name!r}"), name=dupes[0])
            where = (table, "columns", written[dupes[0]])
            raise self.toml.error(msg, where, key_path=f"{table}.columns")
        ignore = spec.get("ignore", [])
        if not isinstance(ignore, list) or not all(isinstance(x, str) for x in ignore):
            msg = Message(N_("ignore must be a list of column names"))
            raise self.fail(msg, (table, "ignore"))
        self.check_ignored(table, ignore, spelled, columns)
        values = {}
        for col, vmap in self.mapping_of(spec.get("values", {}), (table, "values")).items():
            self.check_column(col, known, table, (table, "values", col))
            values[col] = self.values(vmap, (table, "values", col), table, col)
        builtin = UNIT_HEADERS if table == "unit" else {}
        return TableMapping(
            columns, frozenset(normalize_name(x) for x in ignore), values, builtin=builtin
        )

    def check_ignored(
        self, table: str, ignore: list[str], spelled: Mapping[str, str], columns: Mapping[str, str]
    ) -> None:
        """Refuse a column both renamed and ignored: which one was meant cannot be told.

        ``columns`` used to win without a word, so a column the clerk meant to leave out
        was read (or one meant to be read was, by a stale ``ignore``, about to be lost).
        """
        for name in ignore:
            first = spelled.get(normalize_name(name))
            if first is None:
                continue
            msg = self.same_key(
                (
                    N_(
                        "{name!r} is both ignored and mapped onto {target!r} by line {line}: "
                        "keep one"
                    ),
                    N_("{name!r} is both ignored and mapped onto {target!r}: keep one"),
                ),
                (table, "columns", first),
                name=name,
                target=columns[normalize_name(name)],
            )
            raise self.fail(msg, (table, "ignore"))

    def values(self, vmap: Any, path: KeyPath, table: str | None, column: str) -> dict[str, str]:
        out: dict[str, str] = {}
        keys: list[str] = []
        targets: list[str] = []
        firsts: dict[str, str] = {}  # each matched word, as the file first writes it
        bad: str | None = None  # the first key whose value is no value
        for key, value in self.mapping_of(vmap, path).items():
            target = _target(value)
            if target is None:
                bad = key
                break
            word = normalize_value(key)
            if word in out and out[word] != target:
                # "Tốt" = 1 and "tốt" = 0 (or one of them decomposed): a cell matches both.
                msg = self.same_key(
                    (
                        N_(
                            "{second!r} is the word {first!r} of line {line} (case, accents "
                            "composed or decomposed and spaces aside), which is read as "
                            "{one!r}, not {other!r}: keep one"
                        ),
                        N_(
                            "{second!r} is the word {first!r} (case, accents composed or "
                            "decomposed and spaces aside), which is read as {one!r}, not "
                            "{other!r}: keep one"
                        ),
                    ),
                    (*path, firsts[word]),
                    first=firsts[word],
                    second=key,
                    one=out[word],
                    other=target,
                )
                raise self.fail(msg, (*path, key))
            firsts.setdefault(word, key)
            keys.append(key)
            targets.append(target)
            out[word] = target
            self.spellings.setdefault(word, key.strip())
        self.written[(table or "values", column)] = tuple(zip(keys, targets, strict=True))
        # The values before it are checked first: the first error in the file is said.
        self.check_targets(targets, keys, table, column, path)
        if bad is not None:
            msg = Message(N_("value for {key!r} must be text, a number or true/false"), key=bad)
            raise self.fail(msg, (*path, bad))
        return out

    def check_targets(
        self, targets: list[str], keys: list[str], table: str | None, column: str, path: KeyPath
    ) -> None:
        """Refuse the first target the column would reject (a typo in a code name).

        All at once, a column at a time: one at a time, a mapping file of 10,000 values
        (130 KB) took 30 s.
        """
        if not targets:
            return
        specs = []
        if table is not None and table not in ("unit", "counts", "inputs"):
            specs = [self.schema.table(table).column(column)]
        elif table == "counts" and is_count_column(column):
            # A count is a whole number (0 and up): "Nhiều" = "banana" rejected every row.
            specs = [attrs.evolve(_COUNT, name=column)]
        elif table is None:
            every = [c for t in self.schema.tables.values() for c in t.columns]
            specs = [c for c in every if c.name == column or (column == "bool" == c.kind)]
            if not specs:
                names = sorted({"bool", *(c.name for c in every)})
                msg = Message(
                    N_("no column named {name!r}{hint}"),
                    name=column,
                    hint=did_you_mean(column, names),
                )
                raise self.fail(msg, ("values", column))
        first: tuple[int, int] | None = None  # (row, spec) of the first refusal
        for j, spec in enumerate(specs):
            if spec.kind in ("id", "ref", "text"):
                continue
            _, problems = convert_column(np.array(targets), spec, "mapping")
            if problems:
                row = min(int(batch.rows.min()) for batch in problems)
                first = min(first, (row, j)) if first is not None else (row, j)
        if first is not None:
            row, j = first
            msg = Message(
                N_("{value!r} is not a valid value of {name!r} (expected {expected})"),
                value=targets[row],
                name=specs[j].name,
                expected=specs[j].expected(),
            )
            raise self.fail(msg, (*path, keys[row]))


def load_mapping(path: PathLike, *, schema: Schema = STANDARD_SCHEMA) -> FileMapping:
    """Read a mapping file: deprecated, use :func:`read_mapping`.

    ``read_*`` reads a path; ``load_*`` takes a bundled name or a path
    (:func:`~learnsoc.load_rulebook`, :func:`~learnsoc.load_targets`), and there are no
    bundled mapping files.

    Examples
    --------
    >>> import pytest
    >>> with pytest.warns(DeprecationWarning, match="use learnsoc.read_mapping"):
    ...     load_mapping("missing.toml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    learnsoc.io.files.FileFormatError: missing.toml: ...
    """
    msg = "learnsoc.load_mapping is deprecated; use learnsoc.read_mapping (it reads a path)"
    warnings.warn(msg, DeprecationWarning, stacklevel=2)
    return read_mapping(path, schema=schema)
