"""Writing tables: CSV (optionally with Excel's BOM), Parquet and JSON, atomically.

Every writer writes to a temporary file next to the target and renames it into place
when the write is complete (:func:`atomic_path`), so an interrupted run never leaves
half a file where the next stage of a pipeline would read it: the target is either the
old file or the whole new one.

A *table* here is a mapping of column name to a 1-D array (what ``to_columns()``
returns on learnsoc's results).

Examples
--------
>>> import codecs, tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> path = write_table({"unit_code": np.array(["01", "02"]), "families": np.array([10, 20])},
...                    folder / "counts.csv", bom=True)
>>> path.read_bytes()[:3] == codecs.BOM_UTF8, path.read_text("utf-8-sig").splitlines()
(True, ['unit_code,families', '01,10', '02,20'])
>>> sorted(p.name for p in folder.iterdir())   # no temporary file left behind
['counts.csv']
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from learnsoc.errors import OptionalDependencyError, SchemaError
from learnsoc.io.files import PathLike
from learnsoc.rejects import Rejects

__all__ = [
    "atomic_path",
    "write_csv",
    "write_json",
    "write_parquet",
    "write_rejects",
    "write_table",
]

Table = Mapping[str, Any]


@contextlib.contextmanager
def atomic_path(path: PathLike) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; rename it onto ``path`` if the block succeeds.

    On any error (or an interrupt) the temporary file is removed and ``path`` is left
    as it was.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> try:
    ...     with atomic_path(target) as tmp:
    ...         _ = tmp.write_text("half")
    ...         raise KeyboardInterrupt
    ... except KeyboardInterrupt:
    ...     pass
    >>> target.exists(), list(target.parent.iterdir())
    (False, [])
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _columns(table: Table) -> dict[str, NDArray[Any]]:
    cols = {str(k): np.asarray(v) for k, v in table.items()}
    lengths = {len(v) for v in cols.values()}
    if len(lengths) > 1:
        detail = ", ".join(f"{k}={len(v)}" for k, v in cols.items())
        raise SchemaError("output", None, f"columns have different lengths ({detail})")
    return cols


def _cell_text(arr: NDArray[Any], decimal: str) -> list[str]:
    if arr.dtype.kind == "f":
        text = [("" if v != v else repr(v)) for v in arr.tolist()]
        return [t.replace(".", decimal) for t in text] if decimal != "." else text
    if arr.dtype.kind == "b":
        return ["1" if v else "0" for v in arr.tolist()]
    return ["" if v is None else str(v) for v in arr.tolist()]


def write_csv(
    table: Table,
    path: PathLike,
    *,
    bom: bool = False,
    delimiter: str = ",",
    decimal: str = ".",
) -> Path:
    """Write a table as UTF-8 CSV, atomically.

    Parameters
    ----------
    table : mapping of str to array
        The columns.
    path : str or path
        The target file.
    bom : bool
        Start with the byte-order mark, so Excel opens Vietnamese text correctly.
    delimiter : str
        ``","`` or ``";"`` (Vietnamese Excel often expects ``";"``).
    decimal : str
        ``"."`` or ``","`` for numbers with a fraction (use ``";"`` as delimiter then).

    Returns
    -------
    Path
        The file written.
    """
    if decimal == delimiter:
        msg = f"the decimal mark {decimal!r} cannot also be the delimiter"
        raise ValueError(msg)
    cols = _columns(table)
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8", newline="") as fh:
        if bom:
            fh.write("\ufeff")
        writer = csv.writer(fh, delimiter=delimiter, lineterminator="\n")
        writer.writerow(list(cols))
        texts = [_cell_text(v, decimal) for v in cols.values()]
        writer.writerows(zip(*texts, strict=True))
    return Path(path)


def write_parquet(table: Table, path: PathLike, *, compression: str = "zstd") -> Path:
    """Write a table as Parquet (extra ``parquet``), atomically.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    OptionalDependencyError
        Without pyarrow.
    """
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise OptionalDependencyError("pyarrow", "parquet", "writing Parquet files") from None
    cols = _columns(table)
    arrow = pa.table({k: pa.array(v) for k, v in cols.items()})
    with atomic_path(path) as tmp:
        pq.write_table(arrow, tmp, compression=compression)
    return Path(path)


def write_json(table: Table, path: PathLike) -> Path:
    """Write a table as a JSON list of records (one object per row), atomically."""
    cols = _columns(table)
    names = list(cols)
    values = [
        [None if (isinstance(v, float) and v != v) else v for v in arr.tolist()]
        for arr in cols.values()
    ]
    records = [dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)]
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n", "utf-8")
    return Path(path)


def write_table(table: Table, path: PathLike, *, bom: bool = False, **options: Any) -> Path:
    """Write a table in the format its extension names: ``.csv``, ``.parquet`` or ``.json``.

    Raises
    ------
    ValueError
        For another extension.
    """
    suffix = Path(path).suffix.lower()
    if suffix in (".csv", ".txt"):
        return write_csv(table, path, bom=bom, **options)
    if suffix in (".parquet", ".pq"):
        return write_parquet(table, path, **options)
    if suffix == ".json":
        return write_json(table, path)
    msg = f"cannot write {suffix or 'files without an extension'!r}; use .csv, .parquet or .json"
    raise ValueError(msg)


def write_rejects(
    rejects: Rejects, path: PathLike, *, locale: str | None = None, bom: bool = True
) -> Path:
    """Write a rejects table (file, line, table, column, value, reason, message).

    The message is in the locale; CSV files get a BOM by default so Excel shows the
    Vietnamese text. Rejects not read from files have their 0-based row as ``line``
    and an empty ``file``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from learnsoc.rejects import RejectBatch, Rejects
    >>> rej = Rejects((RejectBatch("person", "age", "out_of_range", [4], ["300"], "0..120"),),
    ...               read={"person": 10})
    >>> path = write_rejects(rej, pathlib.Path(tempfile.mkdtemp()) / "rejects.csv", locale="vi")
    >>> head, row = path.read_text("utf-8-sig").splitlines()
    >>> head
    'file,line,table,column,value,reason,message'
    >>> print(row)  # doctest: +ELLIPSIS
    ,4,person,age,300,out_of_range,"người dòng 4, cột age: giá trị '300' nằm ngoài ..."
    """
    cols = rejects.to_columns(locale)
    if "file" not in cols:
        cols = {
            "file": np.full(len(cols["row"]), "", dtype="<U1"),
            "line": cols["row"],
            "table": cols["table"],
            "column": cols["column"],
            "value": cols["value"],
            "reason": cols["reason"],
            "message": cols["message"],
        }
    return (
        write_table(cols, path, bom=bom)
        if Path(path).suffix.lower()
        in (
            ".csv",
            ".txt",
        )
        else write_table(cols, path)
    )
