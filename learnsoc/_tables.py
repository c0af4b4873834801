"""Turn any table a user holds into a dict of numpy columns.

A dict (or any mapping) of arrays is used as it is. pandas, polars and Arrow tables go
through narwhals when the ``dataframe`` extra is installed, else through pyarrow's Arrow
PyCapsule interface (``__arrow_c_stream__``); nothing here imports them otherwise.

Examples
--------
>>> cols = as_columns({"unit_code": ["01", "02"], "families": [10, 20]}, "counts")
>>> cols["families"].tolist()
[10, 20]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from learnsoc._messages import N_, Message
from learnsoc.errors import OptionalDependencyError, SchemaError

__all__ = ["as_columns"]


def as_columns(table: Any, name: str) -> dict[str, NDArray[Any]]:
    """Return a table's columns as 1-D numpy arrays, keyed by column name.

    Parameters
    ----------
    table : mapping of str to array_like, or a pandas / polars / Arrow table
        The data.
    name : str
        The table's name, for error messages.

    Raises
    ------
    SchemaError
        If the object is not a table, or a column is not one-dimensional.
    OptionalDependencyError
        For a data-frame object when neither narwhals nor pyarrow is installed.
    """
    if isinstance(table, Mapping):
        out = {str(k): np.asarray(v) for k, v in table.items()}
    else:
        out = _from_frame(table, name)
    for col, arr in out.items():
        if arr.ndim != 1:
            msg = Message(N_("must be one-dimensional, got shape {shape}"), shape=arr.shape)
            raise SchemaError(name, col, str(msg)).translatable(msg)
    return out


def _narwhals() -> Any:
    """Return narwhals' stable API, or None when the ``dataframe`` extra is not installed."""
    try:
        import narwhals.stable.v2 as nw
    except ImportError:
        return None
    return nw


def _from_frame(table: Any, name: str) -> dict[str, NDArray[Any]]:
    nw = _narwhals()
    if nw is not None:
        try:
            frame = nw.from_native(table, eager_only=True)
        except TypeError:
            frame = None
        if frame is not None:
            return {str(c): frame[c].to_numpy() for c in frame.columns}
    if hasattr(table, "__arrow_c_stream__"):
        try:
            import pyarrow as pa
        except ImportError:
            raise _missing("pyarrow", name) from None
        arrow = pa.table(table)
        return {str(c): arrow.column(c).to_numpy(zero_copy_only=False) for c in arrow.column_names}
    if nw is None and type(table).__module__.split(".")[0] in {"pandas", "polars", "pyarrow"}:
        raise _missing("narwhals", name)
    msg = Message(
        N_("must be a mapping of column name to array or a data frame, got {type}"),
        type=type(table).__name__,
    )
    raise SchemaError(name, None, str(msg)).translatable(msg)


def _missing(package: str, table: str) -> OptionalDependencyError:
    """Return the error for a data frame read without the ``dataframe`` extra."""
    error = OptionalDependencyError(package, "dataframe", f"reading the {table} table")
    message = Message(
        N_(
            "reading the {table} table needs the optional package {package!r}; "
            "install it with: pip install 'learnsoc[{extra}]'"
        ),
        table=table,
        package=package,
        extra="dataframe",
    )
    return error.translatable(message)
