"""The population: persons, households, clans and organisations as numpy columns.

A :class:`Population` is a struct of arrays with narrow dtypes (see
:mod:`learnsoc.model.schema`) laid out for grouped counting:

* households are sorted by their village (the hierarchy's lowest level), then id;
* persons are sorted by household, then id, with an ``offsets`` array so the members of
  household ``j`` are ``offsets[j]:offsets[j + 1]``;
* clans (a group set over households) and organisations (with a many-to-many membership
  of persons, sorted by organisation) are optional.

This order is canonical: the same rows in any input order give an equal population.

Input is checked on construction. By default a bad row does not stop the build: it is
left out and recorded in :attr:`Population.rejects` (table, row, column, value, reason),
and rows that depend on it (the persons of a rejected household) are rejected too, so
for every table ``accepted + rejected == read``. With ``strict=True`` the first problem
raises :class:`~learnsoc.errors.DataError` instead.

Examples
--------
>>> import learnsoc as ls
>>> h = ls.synthetic_hierarchy(villages=2, seed=1)
>>> v1, v2 = h.codes_at("village")
>>> pop = ls.Population.from_records(
...     persons=[ls.Person("a", "H1", age=40, literate=True),
...              ls.Person("b", "H1", age=9, in_school=True),
...              ls.Person("c", "H2", age=300)],
...     households=[ls.Household("H1", v1), ls.Household("H2", v2)],
...     hierarchy=h)
>>> pop.n_persons, pop.n_households, pop.rejects.n_rejected("person")
(2, 2, 1)
>>> pop.person(0).literate, pop.members(0)[1].age
(True, 9)
>>> pop.rejects.records()[0].reason
'out_of_range'
"""

from __future__ import annotations

import datetime as dt
import html
import re
import warnings
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc._arrays import ARRAY_EQ, COLUMNS_EQ, offsets_from_sorted, readonly
from learnsoc._control_chars import control_rows, visible
from learnsoc._date_cells import YEAR_HINT, full_date, typed_year
from learnsoc._excel_cells import excel_error_rows, scientific_rows
from learnsoc._phrases import Lazy
from learnsoc.errors import (
    LearnsocWarning,
    Message,
    SchemaError,
    UnknownIdError,
    did_you_mean,
)
from learnsoc.i18n import N_, format_integer, gettext, normalize_locale
from learnsoc.model.entities import Clan, Household, Organisation, Person
from learnsoc.model.hierarchy import Hierarchy
from learnsoc.model.ids import (
    FLOAT_ID_RANGE,
    CodedIds,
    IdIndex,
    align_id_kinds,
    all_float_ids,
    is_sorted,
    normalize_ids,
    trim_text,
    unwhole_floats,
)
from learnsoc.model.schema import STANDARD_SCHEMA, ColumnSpec, Schema, TableSchema, convert_column
from learnsoc.model.summary import PopulationSummary, rejected_text, sizes_text
from learnsoc.model.tables import population_table
from learnsoc.model.unit_names import place_by_name
from learnsoc.rejects import RejectBatch, Rejects, raise_if_rejected

__all__ = [
    "IDS_LOST_ZEROS",
    "UNITS_LOST_ZEROS",
    "LeadingZerosWarning",
    "Population",
    "age_source_error",
    "birth_years",
    "locate_units",
]

Columns = Mapping[str, Any]


def age_source_error(columns: Collection[str], reference_year: int | None) -> SchemaError | None:
    """Return the error of persons whose ages cannot be computed from these columns, if any.

    Ages come from ``birth_year`` or ``birth_date`` (not both) and the year they are
    reached in. The column names alone decide, so a reader can refuse a file from its
    header, before a long file is parsed, with the error its conversion would give.

    Examples
    --------
    >>> age_source_error(["person_id", "age"], None) is None
    True
    >>> error = age_source_error(["person_id", "birth_year"], None)
    >>> error.table, error.column, "--reference-year" in str(error)
    ('person', 'birth_year', True)
    >>> age_source_error(["birth_year"], 2025) is None
    True
    """
    if "birth_date" in columns and "birth_year" in columns:
        return SchemaError("person", "birth_date", N_("give birth years or birth dates, not both"))
    column = "birth_date" if "birth_date" in columns else "birth_year"
    if column not in columns or reference_year is not None:
        return None
    msg = Message(
        N_(
            "needs the year ages are reached in to compute them from {column}s "
            "(--reference-year YEAR, reference_year=YEAR)"
        ),
        column=column,
    )
    return SchemaError("person", column, str(msg)).translatable(msg)


class _Batches:
    """Collects reject batches and the set of rejected rows per table as masks."""

    def __init__(self, prior: Iterable[RejectBatch] = ()) -> None:
        self.batches: list[RejectBatch] = []
        self.read: dict[str, int] = {}
        # Problems found before (by a reader): their rows are rejected, and the checks of
        # the same column do not report them again (the cell holds a placeholder).
        self.prior = list(prior)
        self.done: dict[tuple[str, str], NDArray[np.bool_]] = {}

    def start(self, table: str, n: int) -> NDArray[np.bool_]:
        self.read[table] = n
        bad = np.zeros(n, bool)
        for b in self.prior:
            if b.table == table:
                if len(b.rows) and (int(b.rows.min()) < 0 or int(b.rows.max()) >= n):
                    msg = Message(
                        N_("rejects of {table} name rows outside its {n} rows"), table=table, n=n
                    )
                    raise SchemaError(table, b.column, str(msg)).translatable(msg)
                self.batches.append(b)
                bad[b.rows] = True
                done = self.done.setdefault((table, b.column), np.zeros(n, bool))
                done[b.rows] = True
        return bad

    def rejected_before(self, table: str, column: str, n: int) -> NDArray[np.bool_]:
        """Return the rows whose ``column`` was rejected before the checks here."""
        done = self.done.get((table, column))
        return done if done is not None else np.zeros(n, bool)

    def _fresh(self, table: str, column: str, rows: NDArray[np.int64]) -> NDArray[np.bool_]:
        done = self.done.get((table, column))
        if done is None or not len(rows):
            return np.ones(len(rows), bool)
        return ~done[rows]

    def add(self, bad: NDArray[np.bool_], batch_list: Iterable[RejectBatch]) -> None:
        for b in batch_list:
            keep = self._fresh(b.table, b.column, b.rows)
            if not keep.all():
                if not keep.any():
                    continue
                b = b.subset(keep)
            self.batches.append(b)
            bad[b.rows] = True

    def mask(
        self,
        bad: NDArray[np.bool_],
        mask: NDArray[np.bool_],
        table: str,
        column: str,
        reason: str,
        values: NDArray[Any],
        expected: str = "",
    ) -> None:
        rows = np.flatnonzero(mask)
        rows = rows[self._fresh(table, column, rows)]
        if len(rows):
            self.batches.append(RejectBatch(table, column, reason, rows, values[rows], expected))
            bad[rows] = True


def _check_table(name: str, data: Any, spec: TableSchema, extra_inputs: Sequence[str] = ()) -> int:
    """Check a table's columns (present, known, same length) and return its row count."""
    if not isinstance(data, Mapping):
        msg = Message(
            N_("must be a mapping of column name to array, got {type}"),
            type=type(data).__name__,
        )
        raise SchemaError(name, None, str(msg)).translatable(msg)
    allowed = set(spec.names) | set(extra_inputs)
    for col in data:
        if col not in allowed:
            raise SchemaError(name, str(col), N_("unknown column"), choices=sorted(allowed))
    for c in spec.columns:
        derived = c.name == "age" and ("birth_year" in data or "birth_date" in data)
        if c.required and c.name not in data and not derived:
            raise SchemaError(name, c.name, N_("required column is missing"), choices=list(data))
    lengths = {col: np.shape(data[col]) for col in data}
    sizes = {s[0] if len(s) == 1 else -1 for s in lengths.values()}
    if -1 in sizes:
        bad = next(c for c, s in lengths.items() if len(s) != 1)
        msg = Message(N_("must be one-dimensional, got shape {shape}"), shape=lengths[bad])
        raise SchemaError(name, bad, str(msg)).translatable(msg)
    if len(sizes) > 1:
        detail = ", ".join(f"{c}={s[0]}" for c, s in lengths.items())
        msg = Message(N_("columns have different lengths ({lengths})"), lengths=detail)
        raise SchemaError(name, None, str(msg)).translatable(msg)
    return sizes.pop() if sizes else 0


def _trimmed(values: Any) -> Any:
    r"""Trim the text of an id, reference or unit code column as the file readers do.

    A file's cell ``" 5\t"`` is read as ``5`` and ``"H1 "`` as ``H1``; the same table
    given as columns names the same persons and households (a person whose
    ``household_id`` is ``"H1 "`` lives in household ``H1``). Numbers are left alone.
    """
    if isinstance(values, CodedIds):
        trimmed = trim_text(values.values)
        return values if trimmed is values.values else CodedIds(trimmed, values.codes)
    arr = np.asarray(values)
    if arr.dtype.kind == "U":
        return trim_text(arr)
    if arr.dtype.kind == "O":
        items = arr.tolist()
        if any(isinstance(v, str) and v != v.strip() for v in items):
            return np.array([v.strip() if isinstance(v, str) else v for v in items], object)
    return arr


def _whole_numbers(
    acc: _Batches, bad: NDArray[np.bool_], name: str, column: str, values: Any
) -> tuple[Any, NDArray[np.bool_]]:
    """Reject the floats of an id or code column that are no whole number.

    Ids and codes given as floats (pandas' integers with a gap) are whole: 3.0 is the id
    3. A fraction (2.5) is a ``not_integer`` reject, an infinity a ``not_a_number`` one
    and a float beyond 2**53 (``1e20``, no exact integer) an ``out_of_range`` one; one
    such cell made the whole column text (``"3.0"``, no longer the id 3).
    Returns the values with those cells NaN (missing) and the mask of the rejected ones,
    which are not also missing values.
    """
    if isinstance(values, CodedIds):
        return values, np.zeros(len(values), bool)
    arr = np.asarray(values)  # once: the callers' np.asarray of it is then free
    if arr.dtype.kind != "f" or all_float_ids(arr):
        # The usual float column (integers with a gap) is checked in one pass.
        return arr, np.zeros(len(arr), bool)
    found = unwhole_floats(arr)
    for reason, mask in found.items():
        if not mask.any():
            continue
        shown = arr
        if reason == "out_of_range":
            # Shown as held (1e+20), not as digits it never had; only the rejected cells
            # are written out (text of a whole column of millions took seconds).
            shown = np.full(len(arr), "", dtype=object)
            shown[mask] = arr[mask].astype(str)
        expected = FLOAT_ID_RANGE if reason == "out_of_range" else ""
        acc.mask(bad, mask, name, column, reason, shown, expected)
    unwhole = np.logical_or.reduce(list(found.values()))
    return (np.where(unwhole, np.nan, arr) if unwhole.any() else arr), unwhole


#: The text ids a spreadsheet spoiled, by reason, in the file readers' order: a control or
#: invisible character inside (learnsoc._control_chars), a long number shortened to
#: scientific notation (1.23457E+11) and an error value (#N/A; learnsoc._excel_cells).
_SPOILED: tuple[tuple[str, Callable[[NDArray[Any]], NDArray[np.int64]]], ...] = (
    ("control_character", control_rows),
    ("scientific_notation", scientific_rows),
    ("excel_error", excel_error_rows),
)


def _spoiled_ids(
    acc: _Batches, bad: NDArray[np.bool_], name: str, column: str, values: Any
) -> tuple[Any, NDArray[np.bool_]]:
    """Reject the text ids, references or unit codes a spreadsheet spoiled, as files' are.

    The file readers take them out of their cells (learnsoc.io.convert); arrays given
    here are checked the same, with the same reasons and values (trimmed). Only text
    is looked at (a coded column's distinct values): a column of numbers costs nothing.
    Returns the values with those cells blank (missing, but no ``missing_value``
    rejects) and the mask of them.
    """
    coded = values if isinstance(values, CodedIds) else None
    arr = coded.values if coded is not None else np.asarray(values)
    if arr.dtype.kind not in "UO":
        return values, np.zeros(len(arr), bool)
    found = [(reason, rows_of(arr)) for reason, rows_of in _SPOILED]
    if not any(len(rows) for _, rows in found):
        return values, np.zeros(len(values), bool)
    blank = arr.copy()
    spoiled = np.zeros(len(values), bool)
    taken = np.zeros(len(arr), bool)  # a cell is refused for one reason, as in a file
    for reason, found_rows in found:
        rows = found_rows[~taken[found_rows]]
        taken[rows] = True
        hit = np.zeros(len(arr), bool)
        hit[rows] = True
        at_row = hit if coded is None else hit[coded.codes]
        # Shown trimmed, as a file's cell is (a control character as its picture: P␀2);
        # the other rows are never shown.
        show = visible if reason == "control_character" else str
        shown = np.full(len(at_row), "", object)
        shown[at_row] = [show(str(v).strip()) for v in np.asarray(values)[at_row].tolist()]
        acc.mask(bad, at_row, name, column, reason, shown)
        spoiled |= at_row
        blank[rows] = ""
    return (blank if coded is None else CodedIds(blank, coded.codes)), spoiled


def _ids(
    acc: _Batches, bad: NDArray[np.bool_], name: str, column: str, values: Any
) -> tuple[NDArray[Any], IdIndex]:
    """Normalize an id column, rejecting missing and duplicated ids (every copy)."""
    values, unwhole = _whole_numbers(acc, bad, name, column, _trimmed(values))
    values, spoiled = _spoiled_ids(acc, bad, name, column, values)
    unwhole |= spoiled
    ids, missing = normalize_ids(values)
    acc.mask(bad, missing & ~unwhole, name, column, "missing_value", ids)
    index = IdIndex(ids)
    dup = index.duplicated() & ~missing
    acc.mask(bad, dup, name, column, "duplicate_id", ids)
    return ids, index


def _reference(
    acc: _Batches,
    bad: NDArray[np.bool_],
    name: str,
    column: str,
    values: Any,
    target: IdIndex,
    target_bad: NDArray[np.bool_],
    kind: str,
    optional: bool = False,
) -> NDArray[np.int64]:
    """Resolve references to another table's rows; reject unknown or rejected targets."""
    values, unwhole = _whole_numbers(acc, bad, name, column, _trimmed(values))
    values, spoiled = _spoiled_ids(acc, bad, name, column, values)
    unwhole |= spoiled
    ref, missing = normalize_ids(values)
    # Row numbers of a table that fits int32 take half the memory (40 MB per 10M rows).
    dtype = np.int32 if len(target) < 2**31 - 1 else np.int64
    if not optional:
        acc.mask(bad, missing & ~unwhole, name, column, "missing_value", ref)
    rows, found = target.lookup(ref, dtype)
    # A missing reference (held as 0 when the ids are numbers) names no row, not even a
    # row whose own id is missing (also 0): it is no rejected_person besides.
    found &= ~missing
    unknown = ~found & ~missing
    acc.mask(bad, unknown, name, column, f"unknown_{kind}", ref)
    if unknown.any():
        _warn_ids_lost_zeros(name, column, np.asarray(ref[unknown]), target, kind)
    rows[~found] = -1
    if target_bad.any():
        hit = np.flatnonzero(found)
        rejected_rows = hit[target_bad[rows[hit]]]
        rejected = np.zeros(len(rows), bool)
        rejected[rejected_rows] = True
        acc.mask(bad, rejected, name, column, f"rejected_{kind}", ref)
        rows[rejected_rows] = -1
    return rows


def _attributes(
    acc: _Batches, bad: NDArray[np.bool_], name: str, data: Columns, spec: TableSchema
) -> dict[str, NDArray[Any]]:
    out: dict[str, NDArray[Any]] = {}
    for c in spec.columns:
        if c.kind in ("id", "ref") or c.name not in data:
            continue
        if c.kind == "text":
            raw = np.asarray(data[c.name])
            if raw.dtype.kind == "O":
                raw = np.array(["" if v is None else str(v) for v in raw.tolist()], dtype=str)
            # Trimmed as a file's cell is: the same name either way.
            out[c.name] = trim_text(raw.astype(str, copy=False))
            continue
        stored, batches = convert_column(data[c.name], c, name)
        acc.add(bad, batches)
        out[c.name] = stored
    return out


class LeadingZerosWarning(LearnsocWarning):
    """Unit codes that had lost their leading zeros were read as the units they name.

    A spreadsheet that stores a code column as numbers turns ``04002`` into ``4002``.
    When a code is unknown but, padded with zeros to the width of the codes of the
    level it must be at (all codes of that level have one width), it names exactly one
    unit, that unit is taken; the warning counts such rows and gives an example. Codes
    of mixed widths at a level are never padded (a guess could pick the wrong unit).

    Examples
    --------
    >>> import warnings
    >>> tree = Hierarchy.from_units({"code": ["01", "00001", "00001001"],
    ...     "level": ["province", "commune", "village"], "parent_code": [None, "01", "00001"]})
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     pop = Population.from_columns(
    ...         {"person_id": np.array([1]), "household_id": np.array([1]), "age": np.array([40])},
    ...         {"household_id": np.array([1]), "unit_code": np.array([1001])}, tree)
    >>> type(caught[0].message).__name__, pop.household(0).unit_code
    ('LeadingZerosWarning', '00001001')
    """


def _pad_widths(hierarchy: Hierarchy, levels: Sequence[int]) -> dict[int, int]:
    """Return, per level, the one width of its codes (levels of mixed widths left out)."""
    out = {}
    for k in levels:
        codes = hierarchy.codes_at(hierarchy.levels[k])
        widths = np.unique(np.char.str_len(codes)) if len(codes) else np.zeros(0, int)
        if len(widths) == 1:
            out[k] = int(widths[0])
    return out


def _locate_text(
    values: Any, hierarchy: Hierarchy, levels: Sequence[int] | None
) -> tuple[Any, NDArray[np.bool_], NDArray[np.int64], NDArray[np.int64], NDArray[np.bool_]]:
    """Locate codes as text; restore lost leading zeros (see :class:`LeadingZerosWarning`).

    Returns the codes (restored ones padded), missing, level, local index and the
    restored rows.
    """
    codes, missing = normalize_ids(values)
    codes = codes.astype(str, copy=False)
    lev, local = hierarchy.locate(codes)
    restored = np.zeros(len(codes), bool)
    lost = (lev < 0) & ~missing
    if not lost.any():
        return codes, missing, lev, local, restored
    rows = np.flatnonzero(lost)
    digits = np.char.isdigit(codes[rows])
    rows = rows[digits]
    widths = _pad_widths(hierarchy, range(hierarchy.n_levels) if levels is None else levels)
    if not len(rows) or not widths:
        return codes, missing, lev, local, restored
    found = np.full(len(rows), -1, np.int64)
    where = np.full(len(rows), -1, np.int64)
    matches = np.zeros(len(rows), np.int64)
    short = codes[rows]
    lengths = np.char.str_len(short)
    for k, width in widths.items():
        fits = lengths < width
        if not fits.any():
            continue
        padded = np.char.zfill(short, width)
        plev, ploc = hierarchy.locate(padded)
        hit = fits & (plev == k)
        matches += hit
        found = np.where(hit, k, found)
        where = np.where(hit, ploc, where)
    # Exactly one level's unit: a code that could be two units stays unknown.
    take = matches == 1
    if not take.any():
        return codes, missing, lev, local, restored
    at = rows[take]
    lev, local = lev.copy(), local.copy()
    lev[at], local[at] = found[take], where[take]
    widths_at = np.array([widths[int(k)] for k in found[take].tolist()])
    fixed = [c.zfill(w) for c, w in zip(codes[at].tolist(), widths_at.tolist(), strict=True)]
    codes = codes.astype(f"<U{max(codes.dtype.itemsize // 4, int(widths_at.max()))}")
    codes[at] = fixed
    restored[at] = True
    return codes, missing, lev, local, restored


def locate_units(
    values: Any, hierarchy: Hierarchy, table: str = "", levels: Sequence[int] | None = None
) -> tuple[Any, NDArray[np.bool_], NDArray[np.signedinteger[Any]], NDArray[np.signedinteger[Any]]]:
    """Find unit codes in the tree: (the codes for reject rows, missing, level, local index).

    A :class:`~learnsoc.model.ids.CodedIds` column is looked up once per distinct value,
    and its rows never spelled out as text. Codes that lost their leading zeros are
    restored where ``levels`` (default: any) make them certain, with a
    :class:`LeadingZerosWarning`. ``table`` names the table in the warning. Used by the
    population's readers and by :func:`~learnsoc.aggregate.rollup.rollup_counts`.

    Examples
    --------
    >>> import warnings
    >>> h = Hierarchy.from_units({"code": ["01", "00004"], "level": ["province", "commune"],
    ...     "parent_code": [None, "01"]}, levels=["province", "commune"])
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore", LeadingZerosWarning)
    ...     codes, missing, level, index = locate_units(["00004", "4", "x"], h, "counts")
    >>> codes.tolist(), level.tolist()
    (['00004', '00004', 'x'], [1, 1, -1])
    """
    if isinstance(values, CodedIds):
        raw = values.values
        text, missing, lev, local, restored = _locate_text(raw, hierarchy, levels)
        rows = values.codes
        _warn_restored(table, raw, text, restored, int(restored[rows].sum()))
        _warn_units_lost_zeros(table, text, (lev < 0) & ~missing, hierarchy, rows)
        # int32 per row: a unit index is below the tree's size.
        return (
            CodedIds(text, rows),
            missing[rows],
            lev.astype(np.int32)[rows],
            local.astype(np.int32)[rows],
        )
    text, missing, lev, local, restored = _locate_text(values, hierarchy, levels)
    _warn_restored(table, values, text, restored, int(restored.sum()))
    _warn_units_lost_zeros(table, text, (lev < 0) & ~missing, hierarchy)
    return text, missing, lev, local


#: An id that lost the leading zeros its own table writes (see _warn_ids_lost_zeros).
IDS_LOST_ZEROS = "ids_lost_zeros"


def _count(n: int) -> Lazy:
    """Return a count for a message, grouped as its reader's language groups it (1.250)."""
    return Lazy(lambda locale: format_integer(n, locale))


def _warn_ids_lost_zeros(
    table: str, column: str, refs: NDArray[Any], target: IdIndex, kind: str
) -> None:
    """Say when unknown references (``1``) are ids of their table once zeros are added.

    A persons sheet whose household column Excel stores as numbers says ``1`` where the
    households sheet says ``0001``. Ids are not codes of a known width, so nothing is
    taken (``1`` could be another household): the rows stay ``unknown_household``
    rejects, and the warning says where the zeros went.
    """
    if np.asarray(target.ids).dtype.kind in "iu":
        return  # ids read as numbers have no leading zeros to lose
    ids = np.asarray(target.ids).astype(str)
    padded = ids[np.char.startswith(ids, "0") & np.char.isdigit(ids)]
    if not len(padded):
        return
    short = np.char.lstrip(padded, "0")
    text = refs.astype(str)
    hit = np.isin(text, short)
    n = int(hit.sum())
    if not n:
        return
    was = str(text[hit][0])
    code = str(padded[short == was][0])
    template = (
        N_(
            "{table_text} {column}: {n} row names a {target_text} whose id its own table "
            "writes with leading zeros (e.g. {was!r} is {code!r} there), so it is rejected: "
            "the column seems to be stored as numbers; store it as text in the spreadsheet to "
            "keep the zeros"
        )
        if n == 1
        else N_(
            "{table_text} {column}: {n} rows name a {target_text} whose id its own table "
            "writes with leading zeros (e.g. {was!r} is {code!r} there), so they are "
            "rejected: the column seems to be stored as numbers; store it as text in the "
            "spreadsheet to keep the zeros"
        )
    )
    msg = Message(
        template,
        table_text=table,
        column=column,
        target_text=kind,
        n=_count(n),
        was=was,
        code=code,
        kind=IDS_LOST_ZEROS,
    )
    warnings.warn(LeadingZerosWarning(str(msg)).translatable(msg), stacklevel=5)


#: A code that the units file writes without its leading zeros (see _warn_units_lost_zeros).
UNITS_LOST_ZEROS = "units_lost_zeros"


def _warn_units_lost_zeros(
    table: str,
    codes: NDArray[Any],
    unknown: NDArray[np.bool_],
    hierarchy: Hierarchy,
    rows: NDArray[Any] | None = None,
) -> None:
    """Say when unknown codes (``00004001``) are units' codes once their zeros are dropped.

    The other way round from :class:`LeadingZerosWarning`: the units file, kept in Excel
    with its code column stored as numbers, says ``4001`` where every household says
    ``00004001``. Which is right cannot be known from the data, so nothing is taken: the
    rows stay ``unknown_unit`` rejects, and the warning says where the zeros went.
    ``rows`` maps rows onto ``codes`` for a column read as distinct values.
    """
    at = np.flatnonzero(unknown)
    if not len(at):
        return
    short = codes[at].astype(str)
    zeros = np.char.startswith(short, "0") & np.char.isdigit(short)
    at, short = at[zeros], short[zeros]
    if not len(at):
        return
    stripped = np.char.lstrip(short, "0")
    found = hierarchy.locate(stripped)[0] >= 0
    if not found.any():
        return
    hit = np.zeros(len(codes), bool)
    hit[at[found]] = True
    n = int(hit[rows].sum()) if rows is not None else int(hit.sum())
    i = int(np.flatnonzero(found)[0])
    template = (
        N_(
            "{table_text} unit_code: {n} row names a unit that the units file writes without "
            "its leading zeros (e.g. {was!r} is {code!r} there), so it is rejected: the units "
            "file's code column seems to be stored as numbers; store it as text in the "
            "spreadsheet to keep the zeros"
        )
        if n == 1
        else N_(
            "{table_text} unit_code: {n} rows name a unit that the units file writes without "
            "its leading zeros (e.g. {was!r} is {code!r} there), so they are rejected: the "
            "units file's code column seems to be stored as numbers; store it as text in the "
            "spreadsheet to keep the zeros"
        )
    )
    msg = Message(
        template,
        table_text=table,
        n=_count(n),
        was=str(short[i]),
        code=str(stripped[i]),
        kind=UNITS_LOST_ZEROS,
    )
    warnings.warn(LeadingZerosWarning(str(msg)).translatable(msg), stacklevel=5)


def _warn_restored(
    table: str, values: Any, text: NDArray[Any], restored: NDArray[np.bool_], n: int
) -> None:
    if not n:
        return
    i = int(np.flatnonzero(restored)[0])
    was = str(normalize_ids(np.asarray(values)[i : i + 1])[0][0])
    template = (
        N_(
            "{table_text} unit_code: {n} row had lost the leading zeros of its unit code and was "
            "read as the unit it names (e.g. {was!r} as {code!r}); store the column as text "
            "in the spreadsheet to keep them"
        )
        if n == 1
        else N_(
            "{table_text} unit_code: {n} rows had lost the leading zeros of their unit code and "
            "were read as the unit it names (e.g. {was!r} as {code!r}); store the column as "
            "text in the spreadsheet to keep them"
        )
    )
    msg = Message(template, table_text=table, n=_count(n), was=was, code=str(text[i]))
    warnings.warn(LeadingZerosWarning(str(msg)).translatable(msg), stacklevel=5)


def _looks_like_serial(written: NDArray[Any]) -> NDArray[np.bool_]:
    """Tell which cells are whole numbers in the range of Excel date serials (see _SERIAL)."""
    words, inverse = np.unique(written, return_inverse=True)
    lo, hi = _SERIAL_RANGE
    hits = [
        _SERIAL.fullmatch(w.strip()) is not None and lo <= float(w) <= hi for w in words.tolist()
    ]
    return np.array(hits, dtype=np.bool_)[inverse.reshape(-1)]


def _typed_years(written: NDArray[Any]) -> NDArray[np.bool_]:
    """Tell which birth dates are how Excel shows a year typed into a date cell."""
    words, inverse = np.unique(written, return_inverse=True)
    hits = [typed_year(w) is not None for w in words.tolist()]
    return np.array(hits, dtype=np.bool_)[inverse.reshape(-1)]


def _canonical_order(primary: NDArray[Any], ids: NDArray[Any]) -> NDArray[np.intp] | None:
    """Return the permutation sorting rows by (primary, id), or None if already sorted."""
    if len(ids) < 2:
        return None
    if is_sorted(primary) and is_sorted(ids, strict=True):
        # Ids ascending throughout (as written by learnsoc): two passes, not seven.
        return None
    dp = primary[1:] >= primary[:-1]
    if dp.all():
        tie = primary[1:] == primary[:-1]
        if bool(np.all(~tie | (ids[1:] > ids[:-1]))):
            return None
    if primary.dtype.kind in "iu" and ids.dtype.kind == "i":
        # One int64 key sorts about twice as fast as a two-key lexsort.
        id_lo, id_span = int(ids.min()), int(ids.max()) - int(ids.min()) + 1
        if (int(primary.max()) + 1) * id_span < 2**62:
            key = primary.astype(np.int64) * id_span + (ids - id_lo)
            return np.argsort(key, kind="stable")
    return np.lexsort((ids, primary))


def _decode(spec: ColumnSpec, value: Any) -> Any:
    """Turn one stored value into its entity form (bool/enum/int/None)."""
    if spec.kind == "text":
        return str(value)
    if spec.kind == "float":
        return None if np.isnan(value) else float(value)
    if spec.missing is not None and int(value) == spec.missing:
        return None
    if spec.kind == "bool":
        return bool(value)
    if spec.kind == "code" and spec.codes is not None:
        return spec.codes(int(value))
    return int(value)


#: The ways of writing a birth date that are read (Excel date cells come as ISO text).
_DATE_FORMS = N_("dd/mm/yyyy, d/m/yyyy or yyyy-mm-dd")  # translated in reject messages
#: The same, for a number that looks like an Excel date serial (18264 for 01/01/1950): a
#: date cell formatted as General. Said, not guessed: the number may be something else.
_DATE_SERIAL = N_(
    "dd/mm/yyyy, d/m/yyyy or yyyy-mm-dd; it looks like an Excel date serial, a date "
    "stored as a plain number: format the column as Date in the spreadsheet (Format "
    "Cells > Date) and save the file again"
)
#: Whole numbers read as possible Excel date serials: 10000 (1927-05-18) to 2958465
#: (9999-12-31); smaller ones are more likely years or typos than dates.
_SERIAL = re.compile(r"[0-9]{5,7}(?:\.0+)?")
_SERIAL_RANGE = (10_000, 2_958_465)
#: A year alone (``1950``) or a month and year (``03/1950``): registers often know no
#: more of an elder's birth. The age on 31 December is the same whatever the day, so
#: reading them is exact, not a guess.
_YEAR = re.compile(r"[0-9]{4}")
_MY = re.compile(r"([0-9]{1,2})[/.-]([0-9]{4})")


def birth_years(dates: Any) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """Read birth dates as agencies write them; return their years and which are no date.

    Accepted: ``dd/mm/yyyy`` and ``d/m/yyyy`` (also with ``-`` or ``.``: ``05-03-1990``),
    ``yyyy-mm-dd`` (how Excel date cells are read), and, where the register knows no
    more, ``mm/yyyy`` and ``yyyy`` (ages are reached on 31 December, so only the year
    counts). A blank is a missing value (NaN, not a bad date); a date that does not exist
    (``31/02/1990``, ``13/1990``) or any other text is a bad date. Each distinct text is
    read once.

    Examples
    --------
    >>> years, bad = birth_years(["05/03/1990", "5/3/1990", "1990-03-05", "", "31/02/1990"])
    >>> years.tolist()[:3], bad.tolist()
    ([1990.0, 1990.0, 1990.0], [False, False, False, False, True])
    >>> years, bad = birth_years(["1950", "03/1950", "13/1950", "195"])
    >>> years.tolist()[:2], bad.tolist()
    ([1950.0, 1950.0], [False, False, True, True])
    """
    text = np.asarray(dates).astype(str)
    if not len(text):
        return np.zeros(0), np.zeros(0, bool)
    distinct, inverse = np.unique(np.char.strip(text), return_inverse=True)
    years = np.full(len(distinct), np.nan)
    bad = np.zeros(len(distinct), bool)
    for i, value in enumerate(distinct.tolist()):
        if not value:
            continue
        if (date := full_date(value)) is not None:
            years[i] = date.year
            continue
        parts = None
        if m := _MY.fullmatch(value):
            parts = (m[2], m[1], "1")
        if parts is None and _YEAR.fullmatch(value):
            parts = (value, "1", "1")
        try:
            if parts is None:
                raise ValueError(value)
            years[i] = dt.date(*map(int, parts)).year
        except ValueError:
            bad[i] = True
    inverse = inverse.reshape(-1)
    return years[inverse], bad[inverse]


def _year_text(year: float) -> str:
    """Spell a birth year as written: ``2090``, not ``2090.0``."""
    return str(int(year)) if float(year).is_integer() else str(year)


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


class _Selection:
    """The accepted rows of one input table, in canonical (primary key, id) order.

    The common case (every row accepted, input already in canonical order) costs one
    O(N) check and no copies.
    """

    def __init__(self, keep: NDArray[np.bool_], primary: NDArray[Any], ids: NDArray[Any]) -> None:
        self.n_read = len(keep)
        rows: NDArray[np.intp] | None = None if keep.all() else np.flatnonzero(keep)
        sub_primary = primary if rows is None else primary[rows]
        sub_ids = ids if rows is None else ids[rows]
        order = _canonical_order(sub_primary, sub_ids)
        if order is not None:
            rows = order if rows is None else rows[order]
        self.rows = rows
        self.n = self.n_read if rows is None else len(rows)

    def take(self, arr: NDArray[Any]) -> NDArray[Any]:
        """Return the accepted rows of an input column, in canonical order."""
        return arr if self.rows is None else arr[self.rows]

    def take_all(self, cols: Mapping[str, NDArray[Any]]) -> dict[str, NDArray[Any]]:
        return {k: readonly(self.take(v)) for k, v in cols.items()}

    def new_index(self, old: NDArray[np.int64]) -> NDArray[np.int64]:
        """Map input row numbers (-1 for none) to canonical indices (-1 if not accepted)."""
        if self.rows is None:
            return old
        mapping = np.full(self.n_read + 1, -1, np.int64)  # the extra slot maps -1 to -1
        mapping[self.rows] = np.arange(self.n)
        return mapping[old]


@attrs.frozen(eq=True)
class Population:
    """Persons, households, clans and organisations of one hierarchy, as numpy columns.

    Build one with :meth:`from_columns`, :meth:`from_records` or
    :func:`learnsoc.synthetic_population`. All arrays are read-only.

    Examples
    --------
    >>> pop = ls.synthetic_population(persons=1_000, seed=1)
    >>> pop  # doctest: +NORMALIZE_WHITESPACE
    Population(1,000 persons, 289 households, 2 clans, 8 organisations; 1 province,
               1 commune, 1 village; 0 rejected rows)
    >>> ages = pop.person_columns["age"]
    >>> len(ages) == pop.n_persons, ages.flags.writeable
    (True, False)
    """

    hierarchy: Hierarchy = attrs.field(repr=False)
    schema: Schema = attrs.field(repr=False)
    person_ids: NDArray[Any] = attrs.field(eq=ARRAY_EQ, hash=False, repr=False)
    #: Household index of each person (ascending).
    person_household: NDArray[np.int32] = attrs.field(eq=ARRAY_EQ, hash=False, repr=False)
    person_columns: Mapping[str, NDArray[Any]] = attrs.field(eq=COLUMNS_EQ, hash=False, repr=False)
    household_ids: NDArray[Any] = attrs.field(eq=ARRAY_EQ, hash=False, repr=False)
    #: Members of household j are persons ``household_offsets[j]:household_offsets[j+1]``.
    household_offsets: NDArray[np.int64] = attrs.field(eq=ARRAY_EQ, hash=False, repr=False)
    #: Local index of each household's unit at the hierarchy's lowest level (ascending).
    household_unit: NDArray[np.int32] = attrs.field(eq=ARRAY_EQ, hash=False, repr=False)
    #: Clan index of each household, -1 for none.
    household_clan: NDArray[np.int32] = attrs.field(eq=ARRAY_EQ, hash=False, repr=False)
    household_columns: Mapping[str, NDArray[Any]] = attrs.field(
        eq=COLUMNS_EQ, hash=False, repr=False
    )
    clan_ids: NDArray[Any] = attrs.field(eq=ARRAY_EQ, hash=False, repr=False)
    #: Global unit index of each clan's home unit (given, or the lowest unit holding all its
    #: households), -1 if unknown.
    clan_unit: NDArray[np.int64] = attrs.field(eq=ARRAY_EQ, hash=False, repr=False)
    clan_columns: Mapping[str, NDArray[Any]] = attrs.field(eq=COLUMNS_EQ, hash=False, repr=False)
    organisation_ids: NDArray[Any] = attrs.field(eq=ARRAY_EQ, hash=False, repr=False)
    #: Global unit index of each organisation's unit.
    organisation_unit: NDArray[np.int64] = attrs.field(eq=ARRAY_EQ, hash=False, repr=False)
    organisation_columns: Mapping[str, NDArray[Any]] = attrs.field(
        eq=COLUMNS_EQ, hash=False, repr=False
    )
    #: Members of organisation k: ``member_person[member_offsets[k]:member_offsets[k + 1]]``.
    member_offsets: NDArray[np.int64] = attrs.field(eq=ARRAY_EQ, hash=False, repr=False)
    member_person: NDArray[np.int32] = attrs.field(eq=ARRAY_EQ, hash=False, repr=False)
    rejects: Rejects = attrs.field(eq=False, repr=False)
    reference_year: int | None = attrs.field(default=None, repr=False, eq=False)

    # -- construction -------------------------------------------------------------
    @classmethod
    def from_columns(
        cls,
        persons: Columns,
        households: Columns,
        hierarchy: Hierarchy,
        *,
        clans: Columns | None = None,
        organisations: Columns | None = None,
        memberships: Columns | None = None,
        schema: Schema = STANDARD_SCHEMA,
        reference_year: int | None = None,
        strict: bool = False,
        rejects: Iterable[RejectBatch] = (),
    ) -> Population:
        r"""Build a population from columns (numpy arrays or anything ``np.asarray`` takes).

        Parameters
        ----------
        persons : mapping of str to array
            ``person_id``, ``household_id``, ``age`` (or ``birth_year`` or ``birth_date`` with
            ``reference_year``), and any other columns of the person schema.
        households : mapping of str to array
            ``household_id``, ``unit_code`` (a unit of the hierarchy's lowest level; text,
            or a :class:`~learnsoc.model.ids.CodedIds` that holds each code once) and
            optionally ``clan_id``, ``registered``.
        hierarchy : Hierarchy
            The administrative tree the households belong to.
        clans, organisations, memberships : mapping of str to array, optional
            Clans (else derived from the households' ``clan_id``), organisations
            (``organisation_id``, ``type``, ``unit_code`` ...) and their members
            (``organisation_id``, ``person_id``).
        schema : Schema
            The column schema; extend :data:`~learnsoc.model.schema.STANDARD_SCHEMA` for
            extra input columns.
        reference_year : int, optional
            The year ages refer to; needed to turn ``birth_year`` into ``age``.
        strict : bool
            Raise :class:`~learnsoc.errors.DataError` if any row is rejected.
        rejects : iterable of RejectBatch
            Problems already found in these columns (by a reader: a cell too long to
            read, a number that is not one ...), rows numbered from 0 as here. Their
            rows are rejected and the batches kept in :attr:`rejects`; the checks of
            the same cells do not report them again, whatever placeholder they hold.

        A rejected row is numbered by its index in the arrays, counted from 0 (row 0
        of the persons is ``persons["age"][0]``), and its message says so (``person
        row 0 (counted from 0)``): not a file's line, which counts from 1 (see
        :func:`~learnsoc.io.from_dataframe` for data frames).

        Text ids, references and unit codes are compared in Unicode normal form NFC:
        ``"Hộ-1"`` typed with a combining accent (NFD) is the same household as the
        precomposed one, and is stored as NFC. They and text columns are trimmed as
        the file readers trim a cell: ``" 5\t"`` is the id ``"5"``, and a person whose
        ``household_id`` is ``"H1 "`` lives in household ``"H1"``. Ids of digits only
        given as text stay text (``np.array(["7", "8"])``), where a file whose id cells
        are all plain numbers reads numbers; where the two kinds meet (households given
        as text, persons as numbers) they are compared as text, so ``7`` is the id
        ``"7"``, never ``"007"``: the same table read from a file or given as columns
        names the same entities, with the same rejects (see
        :func:`~learnsoc.model.ids.align_id_kinds`).

        Raises
        ------
        SchemaError
            For a missing required column, an unknown column or ragged columns, or
            ``rejects`` naming rows a table does not have.
        DataError
            With ``strict=True``, if any row was rejected.

        Examples
        --------
        >>> import numpy as np
        >>> h = ls.synthetic_hierarchy(villages=3, seed=1)
        >>> pop = ls.Population.from_columns(
        ...     persons={"person_id": [1, 2, 3], "household_id": [10, 10, 11],
        ...              "age": np.array([35, 6, 70], np.uint8), "literate": [1, 0, 1]},
        ...     households={"household_id": [11, 10], "unit_code": h.codes_at("village")[:2]},
        ...     hierarchy=h)
        >>> pop.household_ids.tolist(), pop.household_offsets.tolist()  # sorted by village, then id
        ([11, 10], [0, 1, 3])
        """
        acc = _Batches(rejects)
        person_t = schema.table("person")
        household_t = schema.table("household")
        n_h = _check_table("household", households, household_t)
        n_p = _check_table("person", persons, person_t, extra_inputs=("birth_year", "birth_date"))

        # Households: ids, unit, attributes.
        h_bad = acc.start("household", n_h)
        h_ids, h_index = _ids(acc, h_bad, "household", "household_id", households["household_id"])
        h_unit = cls._leaf_units(acc, h_bad, households["unit_code"], hierarchy)
        h_cols = _attributes(acc, h_bad, "household", households, household_t)

        # Clans: given, or derived from the households' clan ids.
        clan_t = schema.table("clan")
        if clans is None:
            raw = households.get("clan_id")
            derived, dmissing = normalize_ids(
                _trimmed(raw) if raw is not None else np.zeros(0, np.int64)
            )
            clans = {"clan_id": np.unique(derived[~dmissing])}
        n_c = _check_table("clan", clans, clan_t)
        c_bad = acc.start("clan", n_c)
        c_ids, c_index = _ids(acc, c_bad, "clan", "clan_id", clans["clan_id"])
        c_unit = np.full(n_c, -1, np.int64)
        if "unit_code" in clans:
            c_unit = cls._any_units(
                acc, c_bad, "clan", clans["unit_code"], hierarchy, optional=True
            )
        c_cols = _attributes(acc, c_bad, "clan", clans, clan_t)
        h_clan = np.full(n_h, -1, np.int64)
        if "clan_id" in households:
            h_clan = _reference(
                acc,
                h_bad,
                "household",
                "clan_id",
                households["clan_id"],
                c_index,
                c_bad,
                "clan",
                optional=True,
            )

        # Persons.
        p_bad = acc.start("person", n_p)
        p_ids, p_index = _ids(acc, p_bad, "person", "person_id", persons["person_id"])
        p_house = _reference(
            acc,
            p_bad,
            "person",
            "household_id",
            persons["household_id"],
            h_index,
            h_bad,
            "household",
        )
        p_input = cls._ages(acc, p_bad, persons, reference_year, person_t.column("age"))
        p_cols = _attributes(acc, p_bad, "person", p_input, person_t)

        # Organisations and memberships.
        org_t = schema.table("organisation")
        organisations = (
            organisations
            if organisations is not None
            else {"organisation_id": [], "organisation_type": [], "unit_code": []}
        )
        n_o = _check_table("organisation", organisations, org_t)
        o_bad = acc.start("organisation", n_o)
        o_ids, o_index = _ids(
            acc, o_bad, "organisation", "organisation_id", organisations["organisation_id"]
        )
        o_unit = cls._any_units(acc, o_bad, "organisation", organisations["unit_code"], hierarchy)
        o_cols = _attributes(acc, o_bad, "organisation", organisations, org_t)
        mem_t = schema.table("membership")
        memberships = (
            memberships if memberships is not None else {"organisation_id": [], "person_id": []}
        )
        n_m = _check_table("membership", memberships, mem_t)
        m_bad = acc.start("membership", n_m)
        m_org = _reference(
            acc,
            m_bad,
            "membership",
            "organisation_id",
            memberships["organisation_id"],
            o_index,
            o_bad,
            "organisation",
        )
        m_person = _reference(
            acc,
            m_bad,
            "membership",
            "person_id",
            memberships["person_id"],
            p_index,
            p_bad,
            "person",
        )
        if n_m:
            # The same person listed twice in one organisation: keep neither copy.
            # int64: the rows are int32, and organisations x persons passes 2**31 at a few
            # million persons (it wrapped, and distinct memberships were rejected as copies).
            pair = m_org.astype(np.int64) * (n_p + 1) + m_person
            key = np.where(m_bad, -1 - np.arange(n_m), pair)
            dup = IdIndex(key).duplicated()
            acc.mask(
                m_bad,
                dup,
                "membership",
                "person_id",
                "duplicate_id",
                np.asarray(memberships["person_id"]),
            )

        found = Rejects(tuple(acc.batches), acc.read)
        if strict:
            raise_if_rejected(found, "input")
        return cls._assemble(
            hierarchy,
            schema,
            found,
            reference_year,
            h_keep=~h_bad,
            h_ids=h_ids,
            h_unit=h_unit,
            h_clan=h_clan,
            h_cols=h_cols,
            c_keep=~c_bad,
            c_ids=c_ids,
            c_unit=c_unit,
            c_cols=c_cols,
            p_keep=~p_bad,
            p_ids=p_ids,
            p_house=p_house,
            p_cols=p_cols,
            o_keep=~o_bad,
            o_ids=o_ids,
            o_unit=o_unit,
            o_cols=o_cols,
            m_keep=~m_bad,
            m_org=m_org,
            m_person=m_person,
        )

    @staticmethod
    def _ages(
        acc: _Batches,
        bad: NDArray[np.bool_],
        persons: Columns,
        reference_year: int | None,
        age_spec: ColumnSpec,
    ) -> Columns:
        """Derive ``age`` from ``birth_year`` or ``birth_date`` where the age is not given.

        The age is the one reached in ``reference_year`` (on 31 December), so a birth
        date gives the same age as its year; a birth date is read as dd/mm/yyyy,
        d/m/yyyy, yyyy-mm-dd, mm/yyyy or yyyy (:func:`birth_years`) and one that is no date
        (``31/02/1990``) is a ``not_a_date`` reject on ``birth_date`` with the value as
        written. A birth year or date that gives an impossible age is rejected on its
        own column with the value written in the input (``2090``, ``01/01/2090``), not on
        ``age`` with the computed ``-65``.
        """
        no_ages = age_source_error(persons, reference_year)
        if no_ages is not None:
            raise no_ages
        column = "birth_date" if "birth_date" in persons else "birth_year"
        if column not in persons or reference_year is None:
            return persons
        written: NDArray[Any] | None = None
        refused = np.zeros(len(persons[column]), bool)
        if column == "birth_date":
            written = np.asarray(persons["birth_date"]).astype(str)
            born, no_date = birth_years(written)
            fresh = no_date & ~acc.rejected_before("person", "birth_date", len(born))
            # #N/A, #VALUE! ...: a formula that failed, no date written wrong.
            failed = np.zeros(len(born), bool)
            failed[excel_error_rows(written)] = True
            failed &= fresh
            acc.mask(bad, failed, "person", "birth_date", "excel_error", written)
            fresh &= ~failed
            serial = fresh & _looks_like_serial(written)
            acc.mask(
                bad, fresh & ~serial, "person", "birth_date", "not_a_date", written, _DATE_FORMS
            )
            acc.mask(bad, serial, "person", "birth_date", "not_a_date", written, _DATE_SERIAL)
            # 12/06/1905 is how Excel shows 1990 typed into a cell formatted as Date: an
            # age of 120 or 35, which cannot be told, so neither is read.
            typed = ~no_date & _typed_years(written)
            typed &= ~acc.rejected_before("person", "birth_date", len(born))
            acc.mask(bad, typed, "person", "birth_date", "number_as_date", written, YEAR_HINT)
            no_date = no_date | typed
            born[no_date] = np.nan
            refused = no_date
        else:
            year_spec = ColumnSpec("birth_year", "float", N_("birth year"), "float64")
            born, batches = convert_column(persons["birth_year"], year_spec, "person")
            acc.add(bad, batches)
            for b in batches:
                born[b.rows] = np.nan
        age = reference_year - born
        given = (
            np.asarray(persons["age"], dtype=np.float64)
            if "age" in persons
            else np.full(len(age), np.nan)
        )
        derived = np.isnan(given)
        # A birth year refused before (not a number ...) is not also a missing age.
        before = acc.rejected_before("person", column, len(age)) | refused
        age[derived & before] = 0 if age_spec.minimum is None else age_spec.minimum
        lo = 0.0 if age_spec.minimum is None else float(age_spec.minimum)
        hi = 255.0 if age_spec.maximum is None else float(age_spec.maximum)
        # No age and no birth year or date: the reject names the column the file has, with
        # the empty cell, not the age column with the 'nan' computed from nothing.
        empty = derived & np.isnan(age)
        if empty.any():
            cells = written if written is not None else np.asarray(persons[column])
            cells = cells if cells.dtype.kind == "U" else np.full(len(age), "")
            acc.mask(bad, empty, "person", column, "missing_value", cells)
            age[empty] = lo
        with np.errstate(invalid="ignore"):
            wrong = derived & ~np.isnan(age) & ((age < lo) | (age > hi) | (np.floor(age) != age))
        if wrong.any():
            if written is not None:
                shown = written
            else:
                text = np.array([_year_text(v) for v in born[wrong].tolist()], dtype=str)
                shown = np.zeros(len(age), text.dtype)
                shown[wrong] = text
            expected = f"{reference_year - int(hi)}..{reference_year - int(lo)}"
            acc.mask(bad, wrong, "person", column, "out_of_range", shown, expected)
            # The row is rejected: an age in range keeps the age check from naming it again.
            age[wrong] = lo
        age = np.where(derived, age, given)
        out = dict(persons)
        out["age"] = age
        out.pop("birth_year", None)
        out.pop("birth_date", None)
        return out

    @staticmethod
    def _leaf_units(
        acc: _Batches, bad: NDArray[np.bool_], values: Any, hierarchy: Hierarchy
    ) -> NDArray[np.signedinteger[Any]]:
        leaf = hierarchy.n_levels - 1
        values, unwhole = _whole_numbers(acc, bad, "household", "unit_code", _trimmed(values))
        values, spoiled = _spoiled_ids(acc, bad, "household", "unit_code", values)
        unwhole |= spoiled
        codes, missing, lev, local = locate_units(values, hierarchy, "household", [leaf])
        acc.mask(bad, missing & ~unwhole, "household", "unit_code", "missing_value", codes)
        unknown = (lev < 0) & ~missing

        def ambiguous(rows: NDArray[np.intp], units: str) -> None:
            said = np.asarray(codes[rows])
            acc.add(
                bad, [RejectBatch("household", "unit_code", "ambiguous_unit", rows, said, units)]
            )

        lev, local, shared = place_by_name(
            codes, unknown, lev, local, hierarchy, "household", [leaf], ambiguous
        )
        acc.mask(
            bad, unknown & (lev < 0) & ~shared, "household", "unit_code", "unknown_unit", codes
        )
        acc.mask(
            bad,
            (lev >= 0) & (lev != leaf),
            "household",
            "unit_code",
            "wrong_level",
            codes,
            hierarchy.leaf_level,
        )
        return np.where(lev == leaf, local, -1)

    @staticmethod
    def _any_units(
        acc: _Batches,
        bad: NDArray[np.bool_],
        table: str,
        values: Any,
        hierarchy: Hierarchy,
        optional: bool = False,
    ) -> NDArray[np.int64]:
        values, unwhole = _whole_numbers(acc, bad, table, "unit_code", _trimmed(values))
        values, spoiled = _spoiled_ids(acc, bad, table, "unit_code", values)
        unwhole |= spoiled
        codes, missing, lev, local = locate_units(values, hierarchy, table)
        if not optional:
            acc.mask(bad, missing & ~unwhole, table, "unit_code", "missing_value", codes)
        acc.mask(bad, (lev < 0) & ~missing, table, "unit_code", "unknown_unit", codes)
        return np.where(lev >= 0, hierarchy.starts[np.maximum(lev, 0)] + local, -1)

    @classmethod
    def _assemble(
        cls,
        hierarchy: Hierarchy,
        schema: Schema,
        rejects: Rejects,
        reference_year: int | None,
        **p: Any,
    ) -> Population:
        # Households, canonical order: (village, id).
        h = _Selection(p["h_keep"], p["h_unit"], p["h_ids"])
        c = _Selection(p["c_keep"], np.zeros(len(p["c_keep"]), np.int8), p["c_ids"])
        h_clan = c.new_index(h.take(p["h_clan"]))
        # Persons, canonical order: (household, id), with household indices renumbered.
        p_house = h.new_index(p["p_house"])
        persons = _Selection(p["p_keep"], p_house, p["p_ids"])
        p_house = persons.take(p_house)
        # Persons are sorted by household now.
        offsets = offsets_from_sorted(p_house, h.n)
        o = _Selection(p["o_keep"], np.zeros(len(p["o_keep"]), np.int8), p["o_ids"])
        m = _Selection(
            p["m_keep"], np.zeros(len(p["m_keep"]), np.int8), np.arange(len(p["m_keep"]))
        )
        m_org = o.new_index(m.take(p["m_org"]))
        m_person = persons.new_index(m.take(p["m_person"]))
        # Memberships are usually written by organisation, then person (learnsoc's own
        # files are): one check, no sort (a lexsort of 0.5M rows per province took 20 ms).
        m_order = _canonical_order(m_org, m_person)
        m_offsets = np.zeros(o.n + 1, np.int64)
        np.cumsum(np.bincount(m_org, minlength=o.n), out=m_offsets[1:])
        h_unit = h.take(p["h_unit"])
        clan_unit = cls._clan_home(hierarchy, c.take(p["c_unit"]), h_clan, h_unit)
        return cls(
            hierarchy=hierarchy,
            schema=schema,
            person_ids=readonly(persons.take(p["p_ids"])),
            person_household=readonly(p_house.astype(np.int32, copy=False)),
            person_columns=persons.take_all(p["p_cols"]),
            household_ids=readonly(h.take(p["h_ids"])),
            household_offsets=readonly(offsets),
            household_unit=readonly(h_unit.astype(np.int32)),
            household_clan=readonly(h_clan.astype(np.int32)),
            household_columns=h.take_all(p["h_cols"]),
            clan_ids=readonly(c.take(p["c_ids"])),
            clan_unit=readonly(clan_unit),
            clan_columns=c.take_all(p["c_cols"]),
            organisation_ids=readonly(o.take(p["o_ids"])),
            organisation_unit=readonly(o.take(p["o_unit"])),
            organisation_columns=o.take_all(p["o_cols"]),
            member_offsets=readonly(m_offsets),
            member_person=readonly(
                (m_person if m_order is None else m_person[m_order]).astype(np.int32)
            ),
            rejects=rejects,
            reference_year=reference_year,
        )

    @staticmethod
    def _clan_home(
        hierarchy: Hierarchy,
        given: NDArray[np.int64],
        h_clan: NDArray[np.int64],
        h_unit: NDArray[np.int64],
    ) -> NDArray[np.int64]:
        """Fill unknown clan units with the lowest unit that holds all the clan's households."""
        n_c = len(given)
        need = given < 0
        if n_c == 0 or not need.any():
            return given
        # Only the households of clans without a unit (usually a few) are looked at.
        has = np.flatnonzero(h_clan >= 0)
        has = has[need[h_clan[has]]]
        order = has[np.argsort(h_clan[has], kind="stable")]
        clan = h_clan[order]
        sizes = np.bincount(clan, minlength=n_c)
        nonempty = np.flatnonzero(sizes)
        starts = np.concatenate([[0], np.cumsum(sizes)])[nonempty]
        leaf = hierarchy.n_levels - 1
        units = hierarchy.starts[leaf] + h_unit[order]
        home = np.full(n_c, -1, np.int64)
        for k in range(leaf, -1, -1):
            if not len(order):
                break
            anc = hierarchy.ancestors[units, k]
            lo = np.minimum.reduceat(anc, starts)
            hi = np.maximum.reduceat(anc, starts)
            same = (lo == hi) & (home[nonempty] < 0)
            home[nonempty[same]] = hierarchy.starts[k] + lo[same]
        return np.where(given >= 0, given, home)

    @classmethod
    def from_records(
        cls,
        persons: Sequence[Person],
        households: Sequence[Household],
        hierarchy: Hierarchy,
        *,
        clans: Sequence[Clan] | None = None,
        organisations: Sequence[Organisation] | None = None,
        schema: Schema = STANDARD_SCHEMA,
        reference_year: int | None = None,
        strict: bool = False,
    ) -> Population:
        """Build a population from typed records (the friendly way for small data).

        Takes the same checks and gives the same object as :meth:`from_columns` on the
        same data. Organisation members come from :attr:`Organisation.members`. A
        rejected record's row is its index in its list, counted from 0 (row 0 of the
        persons is ``persons[0]``; the message says ``row 0 (counted from 0)``).

        Examples
        --------
        >>> h = ls.synthetic_hierarchy(villages=1, seed=1)
        >>> pop = ls.Population.from_records(
        ...     [ls.Person(1, "H", birth_year=1990)], [ls.Household("H", h.codes_at("village")[0])],
        ...     hierarchy=h, reference_year=2025)
        >>> pop.person(0).age
        35
        """
        p_cols = cls._record_columns(persons, schema.table("person"))
        if any(p.birth_year is not None for p in persons):
            p_cols["birth_year"] = np.array(
                [np.nan if p.birth_year is None else p.birth_year for p in persons], np.float64
            )
            p_cols["age"] = np.array(
                [np.nan if p.age is None else p.age for p in persons], np.float64
            )
        h_cols = cls._record_columns(households, schema.table("household"))
        c_cols = cls._record_columns(clans, schema.table("clan")) if clans is not None else None
        o_cols = m_cols = None
        if organisations is not None:
            o_cols = cls._record_columns(organisations, schema.table("organisation"))
            m_cols = {
                "organisation_id": np.array(
                    [o.organisation_id for o in organisations for _ in o.members], object
                ),
                "person_id": np.array([m for o in organisations for m in o.members], object),
            }
        return cls.from_columns(
            p_cols,
            h_cols,
            hierarchy,
            clans=c_cols,
            organisations=o_cols,
            memberships=m_cols,
            schema=schema,
            reference_year=reference_year,
            strict=strict,
        )

    @staticmethod
    def _record_columns(records: Sequence[Any], table: TableSchema) -> dict[str, NDArray[Any]]:
        cols: dict[str, NDArray[Any]] = {}
        for c in table.columns:
            if c.name in ("birth_year",):
                continue
            values = [
                getattr(r, c.name) if hasattr(r, c.name) else r.extra.get(c.name) for r in records
            ]
            if all(v is None or v == "" for v in values) and not c.required:
                continue  # not recorded for anyone (or left at its default)
            cols[c.name] = np.array(values, dtype=object)
        return cols

    # -- sizes ----------------------------------------------------------------------
    @property
    def n_persons(self) -> int:
        """Number of accepted persons."""
        return len(self.person_ids)

    @property
    def n_households(self) -> int:
        """Number of accepted households (including households without members)."""
        return len(self.household_ids)

    @property
    def n_clans(self) -> int:
        """Number of clans."""
        return len(self.clan_ids)

    @property
    def n_organisations(self) -> int:
        """Number of organisations."""
        return len(self.organisation_ids)

    @property
    def n_empty_households(self) -> int:
        """Number of households without members (allowed, and counted)."""
        return int((np.diff(self.household_offsets) == 0).sum())

    def household_sizes(self) -> NDArray[np.int64]:
        """Return the number of members of each household."""
        return np.diff(self.household_offsets)

    def nbytes(self) -> dict[str, int]:
        """Return the bytes used per table, not counting external id columns.

        Examples
        --------
        >>> pop = ls.synthetic_population(persons=10_000, seed=1)
        >>> pop.nbytes()["person"] / pop.n_persons <= 40
        True
        """

        def size(*arrays: NDArray[Any]) -> int:
            return sum(int(a.nbytes) for a in arrays)

        return {
            "person": size(self.person_household, *self.person_columns.values()),
            "household": size(
                self.household_offsets[1:],
                self.household_unit,
                self.household_clan,
                *self.household_columns.values(),
            ),
            "clan": size(self.clan_unit, *self.clan_columns.values()),
            "organisation": size(
                self.organisation_unit,
                self.member_offsets,
                self.member_person,
                *self.organisation_columns.values(),
            ),
        }

    # -- columns --------------------------------------------------------------------
    def _table(self, entity: str) -> tuple[TableSchema, Mapping[str, NDArray[Any]]]:
        tables = {
            "person": self.person_columns,
            "household": self.household_columns,
            "clan": self.clan_columns,
            "organisation": self.organisation_columns,
        }
        if entity not in tables:
            msg = Message(N_("no such entity{hint}"), hint=did_you_mean(entity, tables))
            raise SchemaError(entity, None, str(msg)).translatable(msg)
        return self.schema.table(entity), tables[entity]

    def column(self, entity: str, name: str) -> NDArray[Any]:
        """Return one stored attribute column (read-only, storage dtype, sentinels for missing).

        Raises
        ------
        SchemaError
            If the column is not in the schema, or was not given for this population.

        Examples
        --------
        >>> pop = ls.synthetic_population(persons=1_000, seed=3)
        >>> pop.column("person", "age").dtype.name
        'uint8'
        """
        spec, cols = self._table(entity)
        if name not in cols:
            if name in spec:
                raise SchemaError(entity, name, N_("this population has no data for the column"))
            raise SchemaError(entity, name, N_("no such column"), choices=list(cols))
        return cols[name]

    def columns(self, entity: str) -> dict[str, NDArray[Any]]:
        """Return an entity's columns in the form :meth:`from_columns` takes.

        References are external ids (``household_id``, ``unit_code``, ``clan_id``), so
        ``Population.from_columns`` on these columns rebuilds an equal population. For
        fast index arrays use the fields (:attr:`person_household`, :attr:`household_unit` ...).

        Examples
        --------
        >>> pop = ls.synthetic_population(persons=2_000, seed=4)
        >>> again = ls.Population.from_columns(pop.columns("person"), pop.columns("household"),
        ...     pop.hierarchy, clans=pop.columns("clan"), organisations=pop.columns("organisation"),
        ...     memberships=pop.columns("membership"))
        >>> again == pop
        True
        """
        leaf_codes = self.hierarchy.codes_at(self.hierarchy.leaf_level)
        if entity == "person":
            out = {
                "person_id": self.person_ids,
                "household_id": self.household_ids[self.person_household],
            }
        elif entity == "household":
            out = {"household_id": self.household_ids, "unit_code": leaf_codes[self.household_unit]}
            if self.n_clans:
                out["clan_id"] = (
                    np.where(
                        self.household_clan >= 0,
                        self.clan_ids[np.maximum(self.household_clan, 0)].astype(str),
                        "",
                    )
                    if self.clan_ids.dtype.kind == "U"
                    else np.where(
                        self.household_clan >= 0,
                        self.clan_ids[np.maximum(self.household_clan, 0)],
                        np.nan,
                    )
                )
        elif entity == "clan":
            out = {"clan_id": self.clan_ids}
            out["unit_code"] = np.where(
                self.clan_unit >= 0, self.hierarchy.codes[np.maximum(self.clan_unit, 0)], ""
            )
        elif entity == "organisation":
            out = {
                "organisation_id": self.organisation_ids,
                "unit_code": self.hierarchy.codes[self.organisation_unit],
            }
        elif entity == "membership":
            org = np.repeat(np.arange(self.n_organisations), np.diff(self.member_offsets))
            return {
                "organisation_id": self.organisation_ids[org],
                "person_id": self.person_ids[self.member_person],
            }
        else:
            raise SchemaError(
                entity,
                None,
                N_("no such entity"),
                choices=["person", "household", "clan", "organisation", "membership"],
            )
        _, cols = self._table(entity)
        out.update(cols)
        return dict(out)

    # -- data frames ----------------------------------------------------------------
    def _frame(self, table: str, library: Any) -> Any:
        from learnsoc._frames import to_frame

        cols, missing, booleans = population_table(self, table)
        method = {"pandas": "to_pandas", "polars": "to_polars", "arrow": "to_arrow"}[library]
        return to_frame(cols, library, f"Population.{method}()", missing, booleans)

    def to_pandas(self, table: str) -> Any:
        """Return one table as a pandas DataFrame (extra ``pandas``).

        ``table`` is ``"persons"``, ``"households"``, ``"clans"``, ``"organisations"``,
        ``"memberships"`` or ``"units"`` (or the singular). Columns have the schema's
        names; references are external ids; codes are their numbers; yes/no columns are
        ``boolean``; a missing value is ``<NA>`` in a nullable dtype (``UInt8`` ...),
        never the stored sentinel. :func:`learnsoc.from_dataframe` reads the frames
        back into an equal population.

        Raises
        ------
        OptionalDependencyError
            Without pandas.

        Examples
        --------
        >>> pop = ls.synthetic_population(persons=1_000, seed=3)
        >>> df = pop.to_pandas("persons")
        >>> len(df) == pop.n_persons, str(df["literate"].dtype)
        (True, 'boolean')
        """
        return self._frame(table, "pandas")

    def to_polars(self, table: str) -> Any:
        """Return one table as a polars DataFrame (extra ``polars``); see :meth:`to_pandas`.

        Examples
        --------
        >>> pop = ls.synthetic_population(persons=1_000, seed=3)
        >>> pop.to_polars("households").height == pop.n_households
        True
        """
        return self._frame(table, "polars")

    def to_arrow(self, table: str) -> Any:
        """Return one table as a pyarrow Table (extra ``parquet``); see :meth:`to_pandas`.

        Examples
        --------
        >>> pop = ls.synthetic_population(persons=1_000, seed=3)
        >>> pop.to_arrow("units").column_names
        ['code', 'name', 'level', 'parent_code']
        """
        return self._frame(table, "arrow")

    # -- records --------------------------------------------------------------------
    def _record(self, entity: str, i: int) -> dict[str, Any]:
        spec, cols = self._table(entity)
        std = self.schema.tables[entity].names
        values: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for name, arr in cols.items():
            value = _decode(spec.column(name), arr[i])
            (values if name in _STANDARD_FIELDS[entity] and name in std else extra)[name] = value
        values["extra"] = extra
        return values

    def _check_index(self, kind: str, i: int, n: int) -> int:
        if not -n <= i < n:
            msg = f"{kind} index {i} is out of range for {n} {kind}s"
            raise IndexError(msg)
        return i % n

    def person(self, i: int) -> Person:
        """Return person ``i`` (0-based, canonical order) as a :class:`Person`."""
        i = self._check_index("person", i, self.n_persons)
        hh = self.household_ids[self.person_household[i]]
        return Person(_plain(self.person_ids[i]), _plain(hh), **self._record("person", i))

    def household(self, j: int) -> Household:
        """Return household ``j`` as a :class:`Household`."""
        j = self._check_index("household", j, self.n_households)
        unit = self.hierarchy.codes_at(self.hierarchy.leaf_level)[self.household_unit[j]]
        clan = self.household_clan[j]
        clan_id = _plain(self.clan_ids[clan]) if clan >= 0 else None
        return Household(
            _plain(self.household_ids[j]),
            str(unit),
            clan_id=clan_id,
            **self._record("household", j),
        )

    def clan(self, c: int) -> Clan:
        """Return clan ``c`` as a :class:`Clan`."""
        c = self._check_index("clan", c, self.n_clans)
        unit = self.clan_unit[c]
        code = str(self.hierarchy.codes[unit]) if unit >= 0 else None
        return Clan(_plain(self.clan_ids[c]), unit_code=code, **self._record("clan", c))

    def organisation(self, k: int) -> Organisation:
        """Return organisation ``k`` as an :class:`Organisation`, with its members' ids."""
        k = self._check_index("organisation", k, self.n_organisations)
        rec = self._record("organisation", k)
        members = self.person_ids[
            self.member_person[self.member_offsets[k] : self.member_offsets[k + 1]]
        ]
        return Organisation(
            _plain(self.organisation_ids[k]),
            organisation_type=rec.pop("organisation_type"),
            unit_code=str(self.hierarchy.codes[self.organisation_unit[k]]),
            members=tuple(_plain(m) for m in members),
            **rec,
        )

    def members(self, j: int) -> list[Person]:
        """Return the members of household ``j``."""
        j = self._check_index("household", j, self.n_households)
        lo, hi = int(self.household_offsets[j]), int(self.household_offsets[j + 1])
        return [self.person(i) for i in range(lo, hi)]

    def _find(self, kind: str, ids: NDArray[Any], key: object) -> int:
        query, _ = normalize_ids(np.array([key]))
        pos, found = IdIndex(ids).lookup(align_id_kinds(ids, query)[1])
        if not found[0]:
            raise UnknownIdError(kind, key)
        return int(pos[0])

    def person_by_id(self, person_id: object) -> Person:
        """Return the person with this id (:class:`~learnsoc.errors.UnknownIdError` if none)."""
        return self.person(self._find("person", self.person_ids, person_id))

    def household_by_id(self, household_id: object) -> Household:
        """Return the household with this id (:class:`~learnsoc.errors.UnknownIdError` if none)."""
        return self.household(self._find("household", self.household_ids, household_id))

    def ids(self, level: str) -> NDArray[Any]:
        """Return the external ids of a level's entities, in index order.

        Persons, households, clans and organisations give their ids; a level of the
        hierarchy gives its unit codes.

        Parameters
        ----------
        level : str
            ``"person"``, ``"household"``, ``"clan"``, ``"organisation"`` or a level of
            the hierarchy (``"village"``, ``"commune"`` ...).

        Returns
        -------
        numpy.ndarray
            One id per entity: entity ``i`` of the level has id ``ids(level)[i]``.

        Raises
        ------
        HierarchyError
            For a name that is neither an entity nor a level of the hierarchy.

        Examples
        --------
        >>> pop = ls.synthetic_population(persons=500, seed=2)
        >>> pop.index_of("household", pop.ids("household")[7])
        7
        >>> len(pop.ids("village")) == pop.hierarchy.n_units("village")
        True
        """
        table = {
            "person": self.person_ids,
            "household": self.household_ids,
            "clan": self.clan_ids,
            "organisation": self.organisation_ids,
        }
        if level in table:
            return table[level]
        return self.hierarchy.codes_at(level)

    def index_of(self, entity: str, key: object) -> int:
        """Return the canonical index of the entity with this id.

        Examples
        --------
        >>> pop = ls.synthetic_population(persons=500, seed=2)
        >>> pop.index_of("household", pop.household_ids[7])
        7
        """
        ids = {
            "person": self.person_ids,
            "household": self.household_ids,
            "clan": self.clan_ids,
            "organisation": self.organisation_ids,
        }
        if entity not in ids:
            raise SchemaError(entity, None, N_("no such entity"), choices=list(ids))
        return self._find(entity, ids[entity], key)

    # -- display --------------------------------------------------------------------
    def summary(self) -> PopulationSummary:
        """Return the headline figures (sizes, age pyramid, literacy 15-60) of the population."""
        return PopulationSummary.of(self)

    def __repr__(self) -> str:
        # Words and digits in the default locale, as the notebook's table (set_locale).
        sizes = sizes_text(self.n_persons, self.n_households, self.n_clans, self.n_organisations)
        units = self.hierarchy.units_text()
        return f"Population({sizes}; {units}; {rejected_text(self._rejected_rows())})"

    def _rejected_rows(self) -> int:
        # Rows, not problems: a row with two bad cells is one rejected row, as the
        # HTML form and ``rejects.counts()`` say.
        return self.rejects.n_rejected_rows()

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_html(self, locale: str | None = None) -> str:
        """Return the population's sizes as an HTML table, in the locale.

        ``None`` is the default locale (:func:`learnsoc.set_locale`), which a notebook's
        display uses.

        Examples
        --------
        >>> pop = ls.synthetic_population(persons=1_200, seed=1)
        >>> "nhân khẩu" in pop.to_html("vi"), "1.200" in pop.to_html("vi")
        (True, True)
        """
        loc = normalize_locale(locale)
        rows = [
            (gettext("persons", loc), format_integer(self.n_persons, loc)),
            (gettext("households", loc), format_integer(self.n_households, loc)),
            (gettext("clans", loc), format_integer(self.n_clans, loc)),
            (gettext("organisations", loc), format_integer(self.n_organisations, loc)),
        ]
        rows += [
            (self.hierarchy.level_label(lv, loc), format_integer(self.hierarchy.n_units(lv), loc))
            for lv in self.hierarchy.levels
        ]
        rows.append(
            (
                gettext("rejected rows", loc),
                format_integer(self._rejected_rows(), loc),
            )
        )
        body = "".join(
            f"<tr><th style='text-align:left'>{html.escape(k)}</th>"
            f"<td style='text-align:right'>{html.escape(v)}</td></tr>"
            for k, v in rows
        )
        # The caption of the summary's table, so that both speak the reader's language.
        caption = html.escape(f"{gettext('Population', loc)} ({self.hierarchy.spec.name})")
        return f"<table><caption>{caption}</caption><tbody>{body}</tbody></table>"


_STANDARD_FIELDS: dict[str, frozenset[str]] = {
    "person": frozenset(a.name for a in attrs.fields(Person))
    - {"person_id", "household_id", "extra"},
    "household": frozenset(a.name for a in attrs.fields(Household))
    - {"household_id", "unit_code", "clan_id", "extra"},
    "clan": frozenset(a.name for a in attrs.fields(Clan)) - {"clan_id", "unit_code", "extra"},
    "organisation": frozenset(a.name for a in attrs.fields(Organisation))
    - {"organisation_id", "unit_code", "members", "extra"},
}
