"""The column schema: names, kinds, storage dtypes, ranges and codes of every table.

The schema is declared once, here, and everything else (validation, storage, the
entities, the rulebooks' input checks, reports' column headings) reads it. Storage is
narrow: flags and codes are ``uint8`` with 255 for "missing", ages ``uint8``, learning
hours ``uint16``; a person's standard columns take 27 bytes.

A flag column stores 0 (no), 1 (yes) or 255 (missing). Missing is not "no": rules and
rates treat missing values explicitly (see :mod:`learnsoc.aggregate`).

A number written as text (a CSV or Excel text cell, a data frame's strings) is ASCII
digits with an optional sign and decimal point: ``"40"``, ``"+5"``, ``"-1"``, ``"40.0"``
(a whole number written with a zero fraction, as spreadsheets export it; ``"40.5"`` in
a whole-number column is ``not_integer``). Decimal columns (``birth_year``) also take an
exponent (``"1.99e3"``). Anything else is ``not_a_number`` (``unknown_code`` in yes/no
and code columns), with the value as written: ``"0x10"``, ``"1_0"``, fullwidth
``"１２"``, Arabic-Indic digits, ``"1e1"`` in a whole-number column, ``"inf"``. Every
reader and both CSV engines follow this one rule.

Examples
--------
>>> from learnsoc.model.schema import STANDARD_SCHEMA
>>> spec = STANDARD_SCHEMA.table("person").column("age")
>>> spec.kind, spec.dtype, spec.minimum, spec.maximum
('int', 'uint8', 0, 120)
>>> STANDARD_SCHEMA.table("person").column("literate").label
'literate'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc._date_cells import HINTS_1904, NUMBER_HINT, YEAR_HINT, excel_number
from learnsoc._excel_cells import excel_error_rows
from learnsoc.errors import Message, SchemaError, did_you_mean
from learnsoc.i18n import N_
from learnsoc.model.codes import (
    CodedEnum,
    Education,
    Employment,
    OrganisationType,
    Qualification,
    Sex,
)
from learnsoc.rejects import RejectBatch

__all__ = [
    "MISSING_WORDS",
    "NONE_DASHES",
    "NO_WORDS",
    "STANDARD_SCHEMA",
    "YES_WORDS",
    "ColumnSpec",
    "Kind",
    "Schema",
    "TableSchema",
    "convert_column",
    "dash_cells",
    "thousand_like",
]

Kind = Literal["id", "ref", "bool", "int", "float", "code", "text"]

_MISSING_UINT = {"uint8": 255, "uint16": 65535}


@attrs.frozen
class ColumnSpec:
    """How one column is named, stored and checked.

    Parameters
    ----------
    name : str
        Column name (an identifier: rulebooks refer to it).
    kind : {"id", "ref", "bool", "int", "float", "code", "text"}
        ``id`` is the table's own identifier, ``ref`` an identifier of a row in
        another table (``references``), ``bool`` a yes/no flag, ``code`` a coded
        category (``codes``), ``text`` a free label such as a name.
    label : str
        Message id of the human label (translated by the catalogs).
    dtype : str
        Storage dtype for ``bool``/``int``/``float``/``code`` columns.
    minimum, maximum : int or float, optional
        Inclusive range for ``int`` and ``float`` columns.
    codes : type of CodedEnum, optional
        Allowed codes for ``code`` columns.
    required : bool
        The column must be present and no value may be missing.
    references : str, optional
        For ``ref`` columns, the table referred to.

    Examples
    --------
    >>> age = STANDARD_SCHEMA.table("person").column("age")
    >>> age.kind, age.dtype, age.minimum, age.maximum, age.required
    ('int', 'uint8', 0, 120, True)
    >>> ColumnSpec("club_member", "bool", "member of a reading club").kind
    'bool'
    """

    name: str
    kind: Kind
    label: str
    dtype: str = "uint8"
    minimum: int | float | None = None
    maximum: int | float | None = None
    codes: type[CodedEnum] | None = None
    required: bool = False
    references: str | None = None

    def __attrs_post_init__(self) -> None:
        if not self.name.isidentifier():
            msg = Message(
                N_("column name {name!r} must be an identifier (letters, digits, _)"),
                name=self.name,
            )
            raise SchemaError("schema", self.name, str(msg)).translatable(msg)
        if self.kind == "code" and self.codes is None:
            raise SchemaError("schema", self.name, N_("a code column needs its codes"))

    @property
    def missing(self) -> int | float | None:
        """The storage value meaning "missing" (255, 65535 or NaN), or None for id/text."""
        if self.kind in ("bool", "code", "int"):
            return _MISSING_UINT.get(self.dtype)
        if self.kind == "float":
            return float("nan")
        return None

    def expected(self) -> str:
        """Describe the accepted values, for reject messages (``"0..120"``, ``"1, 2"``)."""
        if self.kind == "bool":
            return "0, 1"
        if self.kind == "code" and self.codes is not None:
            return ", ".join(str(c) for c in self.codes.codes())
        lo = "" if self.minimum is None else f"{self.minimum}"
        hi = "" if self.maximum is None else f"{self.maximum}"
        return f"{lo}..{hi}"


@attrs.frozen
class TableSchema:
    """The columns of one table (``person``, ``household``, ``clan`` ...).

    Examples
    --------
    >>> households = STANDARD_SCHEMA.table("household")
    >>> households.names, households.id_column
    (('household_id', 'unit_code', 'clan_id', 'registered'), 'household_id')
    """

    name: str
    columns: tuple[ColumnSpec, ...]

    def __attrs_post_init__(self) -> None:
        names = [c.name for c in self.columns]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise SchemaError(self.name, dupes[0], N_("declared more than once"))

    @property
    def names(self) -> tuple[str, ...]:
        """Column names in declaration order."""
        return tuple(c.name for c in self.columns)

    @property
    def id_column(self) -> str | None:
        """The name of the table's own identifier column, if it has one."""
        for c in self.columns:
            if c.kind == "id":
                return c.name
        return None

    def column(self, name: str) -> ColumnSpec:
        """Return the spec of a column; raise :class:`SchemaError` with a hint if unknown."""
        for c in self.columns:
            if c.name == name:
                return c
        raise SchemaError(self.name, name, N_("no such column"), choices=self.names)

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def extend(self, columns: Iterable[ColumnSpec]) -> TableSchema:
        """Return this table with more columns (a rulebook's extra inputs)."""
        return TableSchema(self.name, self.columns + tuple(columns))


@attrs.frozen
class Schema:
    """The tables of a population: person, household, clan, organisation, membership.

    Examples
    --------
    >>> list(STANDARD_SCHEMA.tables)
    ['person', 'household', 'clan', 'organisation', 'membership']
    >>> STANDARD_SCHEMA.table("person").column("sex").codes
    <enum 'Sex'>
    """

    tables: Mapping[str, TableSchema]

    def table(self, name: str) -> TableSchema:
        """Return one table's schema; raise :class:`SchemaError` with a hint if unknown."""
        try:
            return self.tables[name]
        except KeyError:
            msg = Message(N_("no such table{hint}"), hint=did_you_mean(name, self.tables))
            raise SchemaError(name, None, str(msg)).translatable(msg) from None

    def extend(self, **columns: Sequence[ColumnSpec]) -> Schema:
        """Return a schema with extra columns per table.

        Examples
        --------
        >>> extra = ColumnSpec("children_results_good", "bool", "children's results good")
        >>> schema = STANDARD_SCHEMA.extend(household=[extra])
        >>> "children_results_good" in schema.table("household")
        True
        """
        tables = dict(self.tables)
        for name, cols in columns.items():
            tables[name] = self.table(name).extend(cols)
        return Schema(tables)


def _flag(name: str, label: str) -> ColumnSpec:
    return ColumnSpec(name, "bool", label)


_PERSON = TableSchema(
    "person",
    (
        ColumnSpec("person_id", "id", N_("person id"), required=True),
        ColumnSpec(
            "household_id", "ref", N_("household id"), required=True, references="household"
        ),
        ColumnSpec("age", "int", N_("age"), "uint8", 0, 120, required=True),
        ColumnSpec("sex", "code", N_("sex"), codes=Sex),
        _flag("literate", N_("literate")),
        _flag("newly_literate", N_("newly literate")),
        _flag("still_learning", N_("newly literate and still learning")),
        _flag("in_school", N_("attends school")),
        ColumnSpec("education", "code", N_("general education"), codes=Education),
        ColumnSpec("qualification", "code", N_("professional qualification"), codes=Qualification),
        ColumnSpec("employment", "code", N_("employment"), codes=Employment),
        _flag("trained", N_("trained worker")),
        _flag("certified", N_("holds a degree or certificate")),
        _flag("digital_skills", N_("digital skills")),
        _flag("information_literacy", N_("information literacy")),
        _flag("life_skills", N_("life skills")),
        ColumnSpec(
            "learning_hours", "int", N_("learning hours in the past year"), "uint16", 0, 8784
        ),
        _flag("self_study", N_("takes part in self-study")),
        _flag("community_learning", N_("takes part in community learning")),
        _flag("civil_servant", N_("civil servant")),
        _flag("party_member", N_("party member")),
        _flag("recognised_learning_citizen", N_("recognised learning citizen")),
        ColumnSpec("citizen_points", "int", N_("learning-citizen points"), "uint8", 0, 100),
        ColumnSpec(
            "citizen_min_indicator", "int", N_("lowest learning-citizen indicator"), "uint8", 0, 100
        ),
    ),
)

_HOUSEHOLD = TableSchema(
    "household",
    (
        ColumnSpec("household_id", "id", N_("household id"), required=True),
        ColumnSpec("unit_code", "ref", N_("unit code"), required=True, references="unit"),
        ColumnSpec("clan_id", "ref", N_("clan id"), references="clan"),
        _flag("registered", N_("registered for the learning-family title")),
    ),
)

_CLAN = TableSchema(
    "clan",
    (
        ColumnSpec("clan_id", "id", N_("clan id"), required=True),
        ColumnSpec("name", "text", N_("name")),
        ColumnSpec("unit_code", "ref", N_("unit code"), references="unit"),
        _flag("registered", N_("registered for the learning-clan title")),
    ),
)

_ORGANISATION = TableSchema(
    "organisation",
    (
        ColumnSpec("organisation_id", "id", N_("organisation id"), required=True),
        ColumnSpec("name", "text", N_("name")),
        ColumnSpec(
            "organisation_type",
            "code",
            N_("organisation type"),
            codes=OrganisationType,
            required=True,
        ),
        ColumnSpec("unit_code", "ref", N_("unit code"), required=True, references="unit"),
        _flag("registered", N_("registered for the learning-unit title")),
    ),
)

_MEMBERSHIP = TableSchema(
    "membership",
    (
        ColumnSpec(
            "organisation_id",
            "ref",
            N_("organisation id"),
            required=True,
            references="organisation",
        ),
        ColumnSpec("person_id", "ref", N_("person id"), required=True, references="person"),
    ),
)

#: The standard schema of learnsoc populations (the bundled rulebooks read it).
STANDARD_SCHEMA = Schema(
    {t.name: t for t in (_PERSON, _HOUSEHOLD, _CLAN, _ORGANISATION, _MEMBERSHIP)}
)

#: Yes/no cells as agencies' forms write them, compared in lower case and NFC: a tick
#: (``✓``) or ``x`` marks a yes, and an assessment reads ``Đạt``/``Không đạt`` (the same
#: words ``--inputs`` files take). ``Chưa`` ("not yet") is left to a mapping file.
YES_WORDS = frozenset({"1", "true", "yes", "y", "có", "co", "x", "đạt", "dat", "✓", "✔"})
NO_WORDS = frozenset({"0", "false", "no", "n", "không", "khong", "không đạt", "khong dat"})
_TRUE_WORDS, _FALSE_WORDS = YES_WORDS, NO_WORDS
#: A lone dash in a cell of a statistical form: hyphen, en dash or em dash, which Vietnamese
#: forms write for "none" where a count is asked (a counts file reads it as 0).
NONE_DASHES = frozenset({"-", "\u2013", "\u2014"})
#: Cell texts read as a missing value, compared in lower case (readers count the words).
#: Every dash of :data:`NONE_DASHES` is one: Excel's autocorrect turns a typed ``-`` into
#: ``–`` or ``—``, and the cell meant the same.
MISSING_WORDS = frozenset({"", "na", "nan", "none", "null"}) | NONE_DASHES
_MISSING_WORDS = MISSING_WORDS


def dash_cells(values: Any) -> NDArray[np.bool_]:
    """Tell which cells hold a lone dash (:data:`NONE_DASHES`, spaces around it allowed).

    Only text cells: ``-5`` is a negative number, ``- 5`` or ``-x`` a word; numbers
    hold none.

    Examples
    --------
    >>> dash_cells(np.array(["-", " \u2013 ", "\u2014", "-5", "", "--", "0"])).tolist()
    [True, True, True, False, False, False, False]
    >>> dash_cells(np.array([1, 2])).tolist(), dash_cells(np.array([None, " - "])).tolist()
    ([False, False], [False, True])
    """
    arr = np.asarray(values)
    if arr.dtype.kind not in "OU" or not len(arr):
        return np.zeros(len(arr) if arr.ndim else 0, bool)
    if arr.dtype.kind == "O":  # a frame's column: its numbers and blanks are no dash
        arr = np.array([v if isinstance(v, str) else "" for v in arr.tolist()], str)
    # Few distinct texts in a column: each is looked at once.
    distinct, inverse = np.unique(arr, return_inverse=True)
    hits = np.array([v.strip() in NONE_DASHES for v in distinct.tolist()], bool)
    out: NDArray[np.bool_] = hits[inverse.reshape(-1)]
    return out


# A number written as text: ASCII digits with an optional sign and decimal point (a whole
# number may be written "40.0", as spreadsheets export it), and an exponent ("1.5e3") in
# decimal columns only. Python's float() takes more: "1_0", fullwidth "１２", Arabic-Indic
# digits, "1e1" for an integer, "inf"; pyarrow takes "0x10". None of them is a number here,
# so every reader and engine refuses the same cells (not_a_number, with the value).
_WHOLE_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_DECIMAL_TEXT = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _parse_scalar(value: object, spec: ColumnSpec) -> float | None:
    """Parse one value that came as text or a Python object; None means unparseable."""
    if value is None:
        return float("nan")
    if isinstance(value, bool | int | float | np.integer | np.floating | np.bool_):
        return float(value)
    text = str(value).strip()
    low = text.lower()
    if low in _MISSING_WORDS:
        return float("nan")
    if spec.kind == "bool":
        if not low.isascii():
            # "Có" typed with a combining accent (NFD: macOS, some keyboards) is "Có";
            # words are compared with single spaces ("Không  đạt").
            low = " ".join(unicodedata.normalize("NFC", low).split())
        if low in _TRUE_WORDS:
            return 1.0
        if low in _FALSE_WORDS:
            return 0.0
    if spec.kind == "code" and spec.codes is not None:
        try:
            return float(spec.codes.parse(text))
        except ValueError:
            pass
    pattern = _DECIMAL_TEXT if spec.kind == "float" else _WHOLE_TEXT
    return float(text) if pattern.fullmatch(text) else None


def _as_float(arr: NDArray[Any], spec: ColumnSpec) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Convert text/object input to float64 (NaN = missing) and a mask of unparseable rows."""
    if arr.dtype.kind == "O":
        parsed = [_parse_scalar(v, spec) for v in arr.tolist()]
        bad = np.fromiter((p is None for p in parsed), bool, len(parsed))
        out = np.fromiter((np.nan if p is None else p for p in parsed), np.float64, len(parsed))
        return out, bad
    # Text columns usually hold few distinct values: parse each once.
    uniq, inverse = np.unique(arr, return_inverse=True)
    parsed_u = [_parse_scalar(v, spec) for v in uniq.tolist()]
    bad_u = np.array([p is None for p in parsed_u], bool)
    val_u = np.array([np.nan if p is None else p for p in parsed_u], np.float64)
    return val_u[inverse], bad_u[inverse]


#: A thousand or a few written with a dot between thousands: 1.000 to 999.000.
_THOUSAND_LIKE = re.compile(r"[+-]?[0-9]{1,3}\.000")


def thousand_like(text: str) -> bool:
    """Tell whether a whole number's text is 1 with a decimal point, a thousand with a comma.

    Vietnamese files write a thousand ``1.000``; read with a decimal point, that is 1.
    In a whole-number column such a cell is not read either way (``thousands_dot``):
    the file's decimal mark (``decimal=","``) says which. ``1.250`` is no whole number
    read so (``not_integer``), and a number cell of a workbook is never written so.

    Examples
    --------
    >>> [thousand_like(t) for t in ("1.000", " 12.000 ", "1.250", "1.000.000", "40.0", "1000")]
    [True, True, False, False, False, False]
    """
    return _THOUSAND_LIKE.fullmatch(text.strip()) is not None


def _typed_nans(arr: NDArray[Any], among: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Tell which of the rows ``among`` (read as missing) are the word ``nan``, any case.

    The other words read as missing (``NA``, ``none``, ``null``, a dash) say a value is
    absent; ``nan`` ("not a number") says one was computed and is no number.

    Examples
    --------
    >>> cells = np.array(["nan", " NaN ", "NA", "", "1"])
    >>> _typed_nans(cells, np.array([True, True, True, True, False])).tolist()
    [True, True, False, False, False]
    """
    out = np.zeros(len(arr), bool)
    rows = np.flatnonzero(among)
    if len(rows):
        texts = np.array([v if isinstance(v, str) else "" for v in arr[rows].tolist()], str)
        words, inverse = np.unique(texts, return_inverse=True)
        hits = np.array([w.strip().casefold() == "nan" for w in words.tolist()], bool)
        out[rows] = hits[inverse.reshape(-1)]
    return out


def _thousand_likes(arr: NDArray[Any], among: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Tell which of the rows ``among`` are :func:`thousand_like`."""
    out = np.zeros(len(arr), bool)
    rows = np.flatnonzero(among)
    if len(rows):
        words, inverse = np.unique(arr[rows].astype(str), return_inverse=True)
        hits = np.array([thousand_like(w) for w in words.tolist()], bool)
        out[rows] = hits[inverse.reshape(-1)]
    return out


def _excel_errors(arr: NDArray[Any], among: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Tell which of the rows ``among`` hold a spreadsheet's error value (``#N/A``)."""
    out = np.zeros(len(arr), bool)
    rows = np.flatnonzero(among)
    if len(rows):
        out[rows[excel_error_rows(arr[rows])]] = True
    return out


def _shown_as_dates(
    arr: NDArray[Any], among: NDArray[np.bool_], date1904: bool
) -> NDArray[np.bool_]:
    """Tell which of the rows ``among`` hold a date Excel shows for a number (see _date_cells)."""
    out = np.zeros(len(arr), bool)
    rows = np.flatnonzero(among)
    if len(rows):
        words, inverse = np.unique(arr[rows].astype(str), return_inverse=True)
        numbers = [excel_number(w, date1904=date1904) for w in words.tolist()]
        dated = np.array([n is not None for n in numbers], bool)
        out[rows] = dated[inverse.reshape(-1)]
    return out


def convert_column(
    values: Any, spec: ColumnSpec, table: str, *, date1904: bool = False
) -> tuple[NDArray[Any], list[RejectBatch]]:
    """Check a column and convert it to its storage dtype.

    Parameters
    ----------
    values : array_like
        The input column (numbers, booleans, text or Python objects).
    spec : ColumnSpec
        Its specification (kind ``bool``, ``int``, ``float`` or ``code``).
    table : str
        The table name, for the rejects.
    date1904 : bool
        The values come from a workbook kept in Excel's 1904 date system (see
        :mod:`learnsoc._date_cells`): a date where a number belongs is read back to its
        number counting from 01/01/1904.

    An array already in the storage dtype follows the storage convention: its sentinel
    (255 for ``uint8``, 65535 for ``uint16``) means "missing". In any other input,
    missing is ``None``, NaN or an empty string.

    Returns
    -------
    stored : ndarray
        The column in its storage dtype, missing values as the sentinel. Values of
        rejected rows are unspecified.
    rejects : list of RejectBatch
        One batch per reason found.

    Raises
    ------
    SchemaError
        If the column is not one-dimensional.

    Examples
    --------
    >>> from learnsoc.model.schema import STANDARD_SCHEMA, convert_column
    >>> spec = STANDARD_SCHEMA.table("person").column("age")
    >>> stored, rejects = convert_column([3, 130, 40.5], spec, "person")
    >>> stored.dtype.name, [(b.reason, b.rows.tolist()) for b in rejects]
    ('uint8', [('not_integer', [2]), ('out_of_range', [1])])
    """
    arr = np.asarray(values)
    if arr.ndim != 1:
        msg = Message(N_("must be one-dimensional, got shape {shape}"), shape=arr.shape)
        raise SchemaError(table, spec.name, str(msg)).translatable(msg)
    dtype = np.dtype(spec.dtype)
    fast = _fast_path(arr, spec, dtype)
    if fast is not None:
        return fast, []

    batches: list[RejectBatch] = []

    def reject(mask: NDArray[np.bool_], reason: str, expected: str = "") -> None:
        rows = np.flatnonzero(mask)
        if len(rows):
            batches.append(RejectBatch(table, spec.name, reason, rows, arr[rows], expected))

    if arr.dtype.kind in "OUS":
        num, unparseable = _as_float(arr, spec)
        # #N/A, #VALUE! ...: a formula that failed, said so rather than as a bad word.
        failed = _excel_errors(arr, unparseable)
        reject(failed, "excel_error")
        if spec.kind in ("bool", "code"):
            # A word where a yes/no or a code belongs: say which values it may take.
            reject(unparseable & ~failed, "unknown_code", spec.expected())
        else:
            # A date where a number belongs is a number typed into a date-formatted cell
            # (or a date typed in the wrong column): said so, with the number it holds.
            dated = _shown_as_dates(arr, unparseable & ~failed, date1904)
            reject(unparseable & ~dated & ~failed, "not_a_number")
            hint = YEAR_HINT if spec.name == "birth_year" else NUMBER_HINT
            reject(dated, "number_as_date", HINTS_1904[hint] if date1904 else hint)
        if spec.required and spec.kind in ("int", "float"):
            # "nan" is what a program writes for a number it could not compute (0/0), not
            # an empty cell: "a value is required" beside a cell showing nan misled.
            typed = _typed_nans(arr, np.isnan(num) & ~unparseable)
            reject(typed, "not_a_number")
            unparseable |= typed
        if spec.kind == "int":
            # 1.000 read with a decimal point is 1; a Vietnamese file means a thousand.
            grouped = _thousand_likes(arr, ~unparseable)
            reject(grouped, "thousands_dot")
            num[grouped] = np.nan
            unparseable |= grouped
        valid = ~unparseable
    elif arr.dtype.kind in "biuf":
        num = arr.astype(np.float64) if arr.dtype.kind == "f" else arr
        valid = np.ones(len(arr), bool)
    else:
        msg = Message(N_("cannot read values of dtype {dtype}"), dtype=str(arr.dtype))
        raise SchemaError(table, spec.name, str(msg)).translatable(msg)

    if num.dtype.kind == "f":
        missing = np.isnan(num)
    elif arr.dtype == dtype and spec.missing is not None:
        missing = arr == spec.missing  # the storage convention
    else:
        missing = np.zeros(len(arr), bool)
    if spec.required:
        reject(missing & valid, "missing_value")
        valid &= ~missing
    present = valid & ~missing
    with np.errstate(invalid="ignore"):
        if spec.kind != "float" and num.dtype.kind == "f":
            frac = present & (np.floor(num) != num)
            reject(frac, "not_integer")
            present &= ~frac
        if spec.kind == "code" and spec.codes is not None:
            ok = np.isin(num, np.array(spec.codes.codes()))
            reject(present & ~ok, "unknown_code", spec.expected())
            present &= ok
        elif spec.kind == "bool":
            ok = (num == 0) | (num == 1)
            reject(present & ~ok, "unknown_code", spec.expected())
            present &= ok
        else:
            lo, hi = _bounds(spec, dtype)
            ok = (num >= lo) & (num <= hi)
            reject(present & ~ok, "out_of_range", spec.expected())
            present &= ok

    sentinel = spec.missing
    stored = np.zeros(len(arr), dtype)
    if sentinel is not None:
        stored[~present] = sentinel
    stored[present] = num[present]
    # Several checks can hit one row; order batches by reason for stable output.
    batches.sort(key=lambda b: b.reason)
    return stored, batches


def _bounds(spec: ColumnSpec, dtype: np.dtype[Any]) -> tuple[float, float]:
    """Return the inclusive range of a numeric column, defaulting to what its dtype can hold."""
    if dtype.kind == "f":
        lo, hi = -np.inf, np.inf
    else:
        info = np.iinfo(dtype)
        # The largest value of an unsigned dtype is the missing sentinel.
        lo, hi = float(info.min), float(info.max - (spec.missing is not None))
    return (
        lo if spec.minimum is None else float(spec.minimum),
        hi if spec.maximum is None else float(spec.maximum),
    )


def _fast_path(arr: NDArray[Any], spec: ColumnSpec, dtype: np.dtype[Any]) -> NDArray[Any] | None:
    """Return the column unchanged when it is already valid storage (the common, big case)."""
    if arr.dtype != dtype or len(arr) == 0:
        return None
    if spec.kind == "float":
        if spec.required and np.isnan(arr).any():
            return None
        lo, hi = _bounds(spec, dtype)
        finite = arr[~np.isnan(arr)]
        if len(finite) and (finite.min() < lo or finite.max() > hi):
            return None
        return arr
    sentinel = spec.missing
    if spec.kind == "bool" or spec.kind == "code":
        allowed = np.zeros(int(np.iinfo(dtype).max) + 1, bool)
        codes = (0, 1) if spec.kind == "bool" else spec.codes.codes() if spec.codes else ()
        allowed[list(codes)] = True
        if sentinel is not None and not spec.required:
            allowed[int(sentinel)] = True
        # Codes are usually a run lo..hi, plus the missing sentinel: two comparisons are
        # several times faster than a gather through the table.
        mn, mx = int(arr.min()), int(arr.max())
        if allowed[mn : mx + 1].all():
            return arr
        if not (allowed[mn] and allowed[mx]):
            return None
        run = sorted(c for c in codes if c != sentinel)
        if run and run == list(range(run[0], run[-1] + 1)) and mx == sentinel:
            ok = arr <= run[-1]
            if run[0] > 0:
                ok &= arr >= run[0]
            ok |= arr == sentinel
            return arr if bool(ok.all()) else None
        return arr if bool(allowed[arr].all()) else None
    lo, hi = _bounds(spec, dtype)
    mn, mx = arr.min(), arr.max()
    if mn < lo:
        return None
    if mx > hi:
        if spec.required or sentinel is None:
            return None
        # Values above the range must all be the missing sentinel.
        over = arr[arr > hi]
        if not bool((over == sentinel).all()):
            return None
    return arr
