"""A population as tables again: data frames, and files that read back the same.

:func:`population_table` gives one table of a population (``persons``, ``households``,
``clans``, ``organisations``, ``memberships`` or ``units``) as numpy columns with the
schema's column names, references as external ids (``household_id``, ``unit_code``),
codes as their numbers, and a mask of the cells that hold no value. Both
``Population.to_pandas()`` (and ``to_polars``, ``to_arrow``) and
:func:`write_population` are built on it, so a frame, a CSV file and a Parquet file of
a population hold the same values: missing values are nulls (blank CSV cells), never
the stored sentinel (``255``).

Examples
--------
>>> import learnsoc as ls, tempfile, pathlib
>>> pop = ls.synthetic_population(persons=500, seed=1)
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> files = write_population(pop, folder)
>>> sorted(files)
['clans', 'households', 'memberships', 'organisations', 'persons', 'units']
>>> again = ls.read_population(files["persons"], households=files["households"],
...     units=files["units"],
...     clans=files["clans"], organisations=files["organisations"],
...     memberships=files["memberships"], levels=pop.hierarchy.spec)
>>> again.n_persons == pop.n_persons, len(again.rejects)
(True, 0)
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from learnsoc._frames import to_frame
from learnsoc._messages import N_, Message
from learnsoc.errors import OptionalDependencyError
from learnsoc.io.files import PathLike, display_name
from learnsoc.io.writers import atomic_path, check_output, refuse_output, write_csv
from learnsoc.model.population import Population
from learnsoc.model.tables import TABLES, Columns, Masks, population_table, table_name

# The tabular view of a population lives with the Population (learnsoc.model.tables): its
# data frames use it too. It is re-exported here, where the writers and users find it.
__all__ = [
    "MAX_XLSX_ROWS",
    "TABLES",
    "population_table",
    "table_name",
    "write_population",
    "write_table_parquet",
]


def _csv_column(arr: NDArray[Any], mask: NDArray[np.bool_] | None) -> NDArray[Any]:
    if mask is None or not mask.any() or arr.dtype.kind == "f":
        return arr  # the CSV writer writes NaN as a blank already
    return np.where(mask, "", arr.astype(str))


def write_population(
    pop: Population,
    folder: PathLike,
    format: Literal["csv", "parquet", "xlsx"] = "csv",
    *,
    tables: Iterable[str] | None = None,
    protect: Iterable[PathLike] = (),
    delimiter: str = ",",
    bom: bool = False,
) -> dict[str, Path]:
    """Write a population as one file per table, in the files' conventions, atomically.

    ``units``, ``households``, ``clans``, ``persons``, ``organisations`` and
    ``memberships`` go to ``<folder>/<table>.csv`` (or ``.parquet``) with the schema's
    column names: codes as their numbers, yes/no as ``1``/``0``, references as the
    other tables' ids, missing values as blank cells (Parquet: nulls), never as the
    stored sentinel. :func:`~learnsoc.io.read_population` reads the files back into the
    same population (give ``levels=pop.hierarchy.spec`` when the tree is not
    ``vn-2025``). Tables the population has no rows for (no clans) are written too,
    header only, so the folder always has the same six files.

    Parameters
    ----------
    pop : Population
    folder : str or path
        The folder (created if it does not exist).
    format : {"csv", "parquet", "xlsx"}
        CSV (UTF-8), Parquet (needs pyarrow, extra ``parquet``) or Excel (needs
        openpyxl, extra ``excel``; one workbook per table, the table on its first sheet,
        at most :data:`MAX_XLSX_ROWS` rows per table).
    tables : iterable of str, optional
        Only these tables (default: all six).
    protect : iterable of str or path
        Files that must not be replaced (the files the population was read from).
    delimiter : str
        CSV only: ``","`` or ``";"``.
    bom : bool
        CSV only: start with a byte-order mark (Excel then reads Vietnamese text).

    Returns
    -------
    dict of str to Path
        The file written for each table.

    Raises
    ------
    OutputPathError
        For another format, a target among ``protect``, or a table too long for an
        Excel sheet, before anything is written.
    OptionalDependencyError
        For Parquet without pyarrow, Excel without openpyxl.

    Notes
    -----
    CSV text that a spreadsheet would run as a formula (``=SUM(A1)`` as a name) is
    written with a leading ``'`` (see :func:`~learnsoc.io.writers.escape_formula`), so
    such a cell reads back with the ``'``; Parquet keeps every value as it is, and Excel
    stores such text as text, never as a formula.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> pop = ls.synthetic_population(persons=200, seed=1)
    >>> paths = write_population(pop, pathlib.Path(tempfile.mkdtemp()))
    >>> sorted(path.name for path in paths.values())  # doctest: +NORMALIZE_WHITESPACE
    ['clans.csv', 'households.csv', 'memberships.csv', 'organisations.csv', 'persons.csv',
     'units.csv']
    >>> tables = {table: paths[table] for table in
    ...           ("households", "units", "clans", "organisations", "memberships")}
    >>> ls.read_population(paths["persons"], **tables).n_persons
    200
    """
    if format not in ("csv", "parquet", "xlsx"):
        msg = Message(
            N_("format {format!r} is not written; use csv, parquet or xlsx"), format=format
        )
        raise refuse_output(str(folder), msg)
    names = TABLES if tables is None else tuple(table_name(t) for t in tables)
    out_dir = Path(folder)
    paths = {name: out_dir / f"{name}.{format}" for name in names}
    for name, path in paths.items():  # every target checked before the first is written
        check_output(path, protect)
        if format == "xlsx":
            n = _n_rows(pop, name)
            if n > MAX_XLSX_ROWS:
                msg = Message(
                    N_(
                        "the {table} table has {n:,} rows; an Excel sheet holds at most "
                        "{limit:,} below its header: write csv or parquet"
                    ),
                    table=name,
                    n=n,
                    limit=MAX_XLSX_ROWS,
                )
                raise refuse_output(display_name(path), msg)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, path in paths.items():
        cols, missing, booleans = population_table(pop, name)
        if format == "csv":
            text = {c: _csv_column(a, missing.get(c)) for c, a in cols.items()}
            write_csv(text, path, bom=bom, delimiter=delimiter, protect=protect)
        elif format == "xlsx":
            _write_xlsx(cols, missing, booleans, path, protect)
        else:
            write_table_parquet(cols, missing, booleans, path, protect)
    return paths


#: Rows of data an Excel sheet holds below its header row (1,048,576 rows in all).
MAX_XLSX_ROWS = 1_048_575


def _n_rows(pop: Population, name: str) -> int:
    sizes = {
        "units": len(pop.hierarchy),
        "households": pop.n_households,
        "clans": pop.n_clans,
        "persons": pop.n_persons,
        "organisations": pop.n_organisations,
        "memberships": len(pop.member_person),
    }
    return sizes[name]


def _write_xlsx(
    cols: Columns,
    missing: Masks,
    booleans: set[str],
    path: Path,
    protect: Iterable[PathLike],
) -> None:
    try:
        openpyxl = importlib.import_module("openpyxl")
        cell_module = importlib.import_module("openpyxl.cell")
    except ImportError:
        raise OptionalDependencyError("openpyxl", "excel", N_("writing Excel files")) from None
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(list(cols))
    values = []
    for name, arr in cols.items():
        cells: list[Any] = (
            (arr == 1).astype(np.int64).tolist() if name in booleans else arr.tolist()
        )
        if arr.dtype.kind == "f":
            cells = [None if v != v else v for v in cells]
        mask = missing.get(name)
        if mask is not None and mask.any():
            for i in np.flatnonzero(mask).tolist():
                cells[i] = None
        if arr.dtype.kind in "OU":
            # Text beginning with "=" would be stored as a formula: keep it text.
            for i, v in enumerate(cells):
                if isinstance(v, str) and v.startswith("="):
                    text = cell_module.WriteOnlyCell(sheet, value=v)
                    text.data_type = "s"
                    cells[i] = text
        values.append(cells)
    for row in zip(*values, strict=True):
        sheet.append(row)
    with atomic_path(path, protect=protect) as tmp:
        book.save(tmp)


def write_table_parquet(
    cols: Columns,
    missing: Masks,
    booleans: set[str],
    path: Path,
    protect: Iterable[PathLike],
) -> None:
    """Write one table of a population as a Parquet file, atomically.

    Used by :func:`write_population` and by datasets; ``missing`` holds the null masks.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> import pyarrow.parquet as pq
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "persons.parquet"
    >>> cols = {"person_id": np.array(["P1", "P2"]), "age": np.array([30, 0])}
    >>> missing = {"age": np.array([False, True])}
    >>> write_table_parquet(cols, missing, set(), path, ())
    >>> pq.read_table(path).column("age").to_pylist()
    [30, None]
    """
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise OptionalDependencyError("pyarrow", "parquet", N_("writing Parquet files")) from None
    # Built here rather than by write_parquet: its numpy columns cannot carry nulls.
    table = to_frame(cols, "arrow", N_("writing Parquet files"), missing, booleans)
    with atomic_path(path, protect=protect) as tmp:
        pq.write_table(table, tmp, compression="zstd", **parquet_options(table.schema))


def parquet_options(schema: Any) -> dict[str, Any]:
    """Return ``pq.write_table`` options for a learnsoc table: ids as deltas, large pages.

    A table's ids are sorted or nearly so: delta-encoded they take a tenth of the space
    and decode about ten times faster than the dictionary pyarrow tries first (and
    abandons after a megabyte of distinct ids). Every other column keeps the default.

    Pages are bounded by bytes only (pyarrow's 1 MiB), not also by pyarrow's 20,000 rows:
    learnsoc reads whole columns, and every page's header is checked on reading
    (:mod:`learnsoc.io._pages`), so a 10M-person dataset of 15,700 pages had 0.2 s of
    checks where one of ~1,000 large pages has almost none. pyarrow before 23 has no
    such option and keeps its default.

    Examples
    --------
    >>> import pyarrow as pa
    >>> options = parquet_options(pa.schema([("person_id", pa.int64()), ("age", pa.uint8())]))
    >>> options["use_dictionary"], options["column_encoding"]
    (['age'], {'person_id': 'DELTA_BINARY_PACKED'})
    """
    import pyarrow as pa

    options: dict[str, Any] = dict(_LARGE_PAGES) if _writer_takes_rows_per_page() else {}
    ids = [f.name for f in schema if f.name.endswith("_id") and pa.types.is_integer(f.type)]
    if ids:
        options["use_dictionary"] = [n for n in schema.names if n not in ids]
        options["column_encoding"] = dict.fromkeys(ids, "DELTA_BINARY_PACKED")
    return options


#: As many rows per page as pyarrow's largest row group (its pages stay under 1 MiB).
_LARGE_PAGES = {"max_rows_per_page": 1 << 20}


@functools.cache
def _writer_takes_rows_per_page() -> bool:
    import inspect

    import pyarrow.parquet as pq

    return "max_rows_per_page" in inspect.signature(pq.ParquetWriter.__init__).parameters
