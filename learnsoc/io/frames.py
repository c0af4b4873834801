"""Populations from data frames: pandas, polars, Arrow tables, or dicts of arrays.

:func:`from_dataframe` gives a data frame the same treatment as a file: columns renamed
and codes mapped by an optional mapping, cells checked against the schema, bad rows
rejected (row N is the frame's Nth row, ``df.iloc[N - 1]``, as files count lines
from 1), units checked leniently.
Frames that speak the Arrow PyCapsule protocol (``__arrow_c_stream__``: polars,
pandas 2.2+, pyarrow, DuckDB results) are read through pyarrow without a copy to Python
objects; other frames through narwhals (extra ``dataframe``).

Examples
--------
>>> import learnsoc as ls
>>> units = {"code": ["01", "001", "T1"], "level": ["province", "commune", "village"],
...          "parent_code": ["", "01", "001"]}
>>> pop = from_dataframe({"person_id": [1, 2], "household_id": [7, 7], "age": [40, 300]},
...                      {"household_id": [7], "unit_code": ["T1"]}, units)
>>> pop.n_persons, pop.rejects.counts()["person"]
(1, (2, 1, 1))
>>> print(pop.rejects.records("en")[-1].message)
persons, row 2 (counted from 1), column age: value '300' is out of range (expected 0..120)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np

from learnsoc._messages import N_
from learnsoc._tables import as_columns
from learnsoc.io.convert import without_blank_records
from learnsoc.io.csv import clean_header
from learnsoc.io.form_rows import mark_totals_rows, say_skipped, set_aside_form_rows
from learnsoc.io.mapping import FileMapping
from learnsoc.io.population import TABLE_PLURALS, assemble, resolve_mapping
from learnsoc.io.table import Layout, RawTable
from learnsoc.model.hierarchy import Hierarchy, HierarchySpec, Level
from learnsoc.model.population import Population
from learnsoc.model.schema import STANDARD_SCHEMA, Schema

__all__ = ["frame_table", "from_dataframe"]


def frame_table(frame: Any, name: str) -> RawTable:
    """Wrap a data frame (or a dict of arrays) as a :class:`~learnsoc.io.table.RawTable`.

    Examples
    --------
    >>> frame_table({"a": [1, 2]}, "persons").layout.n_records
    2
    """
    if type(frame).__name__ == "LazyFrame" and hasattr(frame, "collect"):
        # A polars query, as notebooks build them (pl.scan_csv(...).filter(...)): its rows.
        frame = frame.collect()
    if hasattr(frame, "iloc") and hasattr(frame, "index"):  # pandas
        frame = _named_index_as_columns(frame)
    if isinstance(frame, Mapping):
        names = [str(k) for k in frame]
        arrays = [np.asarray(v) for v in frame.values()]
        header = clean_header(names, name)
        batch: dict[str, Any] = dict(zip(header, arrays, strict=True))
    elif hasattr(frame, "__arrow_c_stream__") and _has_pyarrow():
        table = _without_views(_arrow_table(frame, name))
        header = clean_header(table.column_names, name)
        batch = {h: table.column(i) for i, h in enumerate(header)}
    else:
        cols = as_columns(frame, name)
        header = clean_header(list(cols), name)
        batch = dict(zip(header, cols.values(), strict=True))
    lengths = {len(v) for v in batch.values()}
    n = lengths.pop() if len(lengths) == 1 else 0
    if lengths:
        from learnsoc.errors import SchemaError

        raise SchemaError(name, None, N_("columns have different lengths"))
    # Row N of the rejects is the Nth row of the frame (df.iloc[N - 1]), as a Parquet
    # file's rows and a spreadsheet's lines count from 1.
    layout = Layout(n, first_line=1, n_fields=len(header))
    return RawTable(name, header, [batch], layout, False)


def _as_sheet(raw: RawTable) -> RawTable:
    """Leave out a frame's blank rows and set aside its totals rows and headings, as a sheet's.

    A frame read from a sheet (``pd.read_excel``) keeps the sheet's blank rows (all
    empty or NaN) and its totals rows (``Tổng cộng``) and headings (``Thôn Đông``): the
    workbook reader leaves the first out and skips the others (or rejects a totals row
    that may be data), so the same sheet read either way gives the same rows read,
    accepted, rejected and skipped. Rows keep their numbers (row N is ``df.iloc[N - 1]``).
    """
    raw = set_aside_form_rows(mark_totals_rows(without_blank_records(raw)))
    say_skipped(raw, workbook=True, stacklevel=5)
    return raw


def _arrow_table(frame: Any, name: str) -> Any:
    """Return a frame as an Arrow table, its columns of mixed Python objects as text.

    ``pd.read_excel`` gives an ``object`` column of numbers and words when one cell of a
    number column holds text (``44``, ``"abc"``); pyarrow refuses to convert it
    (``ArrowInvalid``). Such a column is read as the text of its cells instead, so the
    bad cells are rejected like a file's, with their rows.
    """
    import pyarrow as pa

    try:
        table = pa.table(frame)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        if not hasattr(frame, "iloc"):  # not pandas: the columns go through numpy
            cols = as_columns(frame, name)
            return pa.table({k: _text_cells(v.tolist()) for k, v in cols.items()})
    else:
        # pandas keeps an unnamed index that is not 0, 1, 2 ... (a frame sorted or
        # filtered) as a column __index_level_0__: row labels, not data.
        kept = [c for c in table.column_names if not _PANDAS_INDEX.fullmatch(c)]
        return table if len(kept) == table.num_columns else table.select(kept)
    arrays = []
    for i in range(frame.shape[1]):
        column = frame.iloc[:, i]
        try:
            arrays.append(pa.array(column, from_pandas=True))
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            arrays.append(_text_cells(column.tolist()))
    return pa.Table.from_arrays(arrays, names=[str(c) for c in frame.columns])


#: The names pandas gives the levels of an unnamed index it writes as columns.
_PANDAS_INDEX = re.compile(r"__index_level_\d+__")


def _named_index_as_columns(frame: Any) -> Any:
    """Return a pandas frame with the named levels of its index as columns.

    ``df.set_index("person_id")`` keeps the ids in a named index: they are data, read as
    the column they were. An unnamed index holds row labels only and is left out.
    """
    named = [n for n in frame.index.names if n is not None]
    return frame.reset_index(level=named) if named else frame


def _text_cells(values: list[Any]) -> Any:
    """Return cells of any Python type as Arrow text; missing ones (None, NaN, NA) as nulls."""
    import pyarrow as pa

    def text(v: Any) -> str | None:
        if v is None or (isinstance(v, float) and v != v) or type(v).__name__ in _MISSING:
            return None
        if isinstance(v, dt.datetime):  # pd.Timestamp too: the day, as a date column
            return v.date().isoformat()
        if isinstance(v, dt.date):
            return v.isoformat()
        if isinstance(v, bool | np.bool_):
            return "1" if v else "0"
        if isinstance(v, float | np.floating) and float(v).is_integer():
            return str(int(v))  # 33.0 is the whole number a file would show as 33
        return str(v)

    return pa.array([text(v) for v in values], pa.large_string())


#: The types of pandas' missing values (``pd.NA``, ``pd.NaT``) by name, to test a cell
#: without importing pandas.
_MISSING = frozenset({"NAType", "NaTType"})


def _without_views(table: Any) -> Any:
    """Return the table with Arrow's view types cast to the plain ones the conversion reads.

    polars hands over its text as ``string_view`` (its categoricals as dictionaries of
    ``string_view``); the conversion knows ``string`` and ``large_string`` and took any
    other type for numbers, so a polars frame's text skipped the mapping's value maps
    and decimal comma (``"Có"``, ``"40,5"`` rejected where pandas read them).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    def plain(kind: Any) -> Any:
        if pa.types.is_timestamp(kind):
            # Dates from pd.to_datetime, pd.read_excel or polars' Datetime: the day
            # counts (a birth date), and its text "1981-03-15 00:00:00" read as no date.
            return pa.date32()
        if kind == pa.string_view():
            return pa.large_string()
        if kind == pa.binary_view():
            return pa.large_binary()
        if pa.types.is_dictionary(kind):
            value = plain(kind.value_type)
            if value is not None:
                return pa.dictionary(kind.index_type, value, kind.ordered)
        return None

    for i, field in enumerate(table.schema):
        kind = plain(field.type)
        if kind is None:
            continue
        column = table.column(i)
        if pa.types.is_timestamp(field.type) and field.type.tz is not None:
            # The date where the person was born, not the date in UTC.
            column = pc.local_timestamp(column)
        table = table.set_column(i, field.name, column.cast(kind))
    return table


def _has_pyarrow() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def from_dataframe(
    persons: Any,
    households: Any,
    units: Any = None,
    *,
    hierarchy: Hierarchy | None = None,
    clans: Any = None,
    organisations: Any = None,
    memberships: Any = None,
    mapping: FileMapping | str | None = None,
    levels: str | HierarchySpec | Sequence[str | Level] | None = None,
    schema: Schema = STANDARD_SCHEMA,
    reference_year: int | None = None,
    strict: bool = False,
    unknown_columns: str | None = None,
    columns: Collection[str] | None = None,
) -> Population:
    """Build a population from data frames (pandas, polars, Arrow) or dicts of arrays.

    Parameters
    ----------
    persons, households : data frame
        The person and household tables, with the schema's column names (or the
        agency's, with ``mapping``).
    units : data frame, optional
        The units table (``code``, ``name``, ``level``, ``parent_code``); bad units are
        rejected with their subtree. Give ``units`` or ``hierarchy``.
    hierarchy : Hierarchy, optional
        An already built tree, instead of ``units``.
    clans, organisations, memberships : data frame, optional
        The other tables.
    mapping : FileMapping or path, optional
        Column renames and value maps (see :mod:`learnsoc.io.mapping`).
    levels : str or sequence of str, optional
        The tree's levels for ``units`` (default: the mapping's, else ``"vn-2025"``).
    schema : Schema
        The column schema.
    reference_year : int, optional
        Needed when ages come as ``birth_year``.
    strict : bool
        Raise :class:`~learnsoc.errors.DataError` on the first problem.
    unknown_columns : {"error", "ignore"}, optional
        What to do with columns the schema does not know (default ``"error"``).
    columns : collection of str, optional
        Take only these columns besides ids and required columns
        (e.g. ``book.columns_read()``); ``None`` takes every column.

    Returns
    -------
    Population
        Its ``rejects`` is a :class:`~learnsoc.io.rejects.FileRejects`: its ``line``
        (the messages' "row N") counts each frame's rows from 1, so row N is
        ``df.iloc[N - 1]``; its ``file`` is the table (``persons``, ``units`` ...).

    Examples
    --------
    >>> tree = ls.Hierarchy.from_units(
    ...     {"code": ["01", "001", "002"], "level": ["province", "commune", "commune"],
    ...      "parent_code": [None, "01", "01"]}, levels=["province", "commune"])
    >>> pop = from_dataframe(
    ...     {"person_id": ["1", "2", "3"], "household_id": ["H1", "H1", "H2"],
    ...      "age": [40, 9, 300]},
    ...     {"household_id": ["H1", "H2"], "unit_code": ["001", "002"]},
    ...     hierarchy=tree,
    ... )
    >>> pop.n_persons
    2
    >>> print(pop.rejects.records("en")[0].message)
    persons, row 3 (counted from 1), column age: value '300' is out of range (expected 0..120)
    """
    frames = {
        "unit": units,
        "household": households,
        "clan": clans,
        "person": persons,
        "organisation": organisations,
        "membership": memberships,
    }
    raws = {
        t: _as_sheet(frame_table(f, TABLE_PLURALS[t])) for t, f in frames.items() if f is not None
    }
    return assemble(
        raws,
        hierarchy=hierarchy,
        mapping=resolve_mapping(mapping, schema),
        levels=levels,
        schema=schema,
        reference_year=reference_year,
        strict=strict,
        unknown_columns=unknown_columns,
        columns=columns,
    )
