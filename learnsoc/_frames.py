"""Turn a dict of numpy columns into a pandas, polars or Arrow table.

Every result object of learnsoc holds numpy columns; its ``to_pandas()``,
``to_polars()`` and ``to_arrow()`` all come here, so the three libraries see the same
values. The library is imported only when a frame is asked for (``import learnsoc``
never imports it), and a missing one is an
:class:`~learnsoc.errors.OptionalDependencyError` naming the extra that installs it.

``missing`` marks cells that hold no value (a population's stored sentinels, such as
255 for an unrecorded yes/no): they become nulls (``pd.NA`` in pandas' nullable
dtypes), never the sentinel. A NaN in a float column without a mask stays NaN.

Examples
--------
>>> import numpy as np
>>> cols = {"id": np.array([1, 2]), "literate": np.array([1, 255], np.uint8)}
>>> df = to_frame(cols, "pandas", "an example", {"literate": cols["literate"] == 255}, {"literate"})
>>> df["literate"].tolist()
[True, <NA>]
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from learnsoc._messages import Message
from learnsoc.errors import OptionalDependencyError

__all__ = ["LIBRARIES", "Library", "to_frame"]

Library = Literal["pandas", "polars", "arrow"]

#: Per library: (import name, learnsoc extra that installs it).
LIBRARIES: Mapping[str, tuple[str, str]] = {
    "pandas": ("pandas", "pandas"),
    "polars": ("polars", "polars"),
    "arrow": ("pyarrow", "parquet"),
}


def _import(library: str, feature: str) -> Any:
    package, extra = LIBRARIES[library]
    try:
        return __import__(package)
    except ImportError:
        # ``feature`` is marked with N_ by the caller, or is a Python name that reads the
        # same in every language (``Rollup.to_polars()``): the error translates it.
        error = OptionalDependencyError(package, extra, feature)
        raise error.translatable(Message(str(error.message_id), **error.params)) from None


def _values(arr: NDArray[Any], is_bool: bool) -> NDArray[Any]:
    if is_bool and arr.dtype.kind != "b":
        flags: NDArray[np.bool_] = arr == 1
        return flags
    if arr.dtype.kind == "O" or arr.dtype.kind == "S":
        return np.array([None if v is None else str(v) for v in arr.tolist()], dtype=object)
    return arr


def to_frame(
    columns: Mapping[str, NDArray[Any]],
    library: Library,
    feature: str,
    missing: Mapping[str, NDArray[np.bool_]] | None = None,
    booleans: Collection[str] = (),
) -> Any:
    """Return the columns as a frame of ``library`` (``pandas``, ``polars`` or ``arrow``).

    Parameters
    ----------
    columns : mapping of str to 1-D array
        The table, in column order; arrays of equal length.
    library : {"pandas", "polars", "arrow"}
        The frame to build: a ``pandas.DataFrame``, a ``polars.DataFrame`` or a
        ``pyarrow.Table``.
    feature : str
        What the user asked for (``"Population.to_pandas()"``), for the error message.
    missing : mapping of str to bool array, optional
        Per column, the cells that hold no value: nulls in the frame. A column listed
        here gets a nullable dtype in pandas (``UInt8``, ``boolean`` ...) even when
        nothing is missing, so its dtype does not depend on the data.
    booleans : collection of str
        Columns stored as 0/1 numbers that are yes/no values.

    Raises
    ------
    OptionalDependencyError
        When the library is not installed (the message names the extra).
    """
    missing = missing or {}
    lib = _import(library, feature)
    if library == "pandas":
        data: dict[str, Any] = {}
        for name, arr in columns.items():
            values = _values(arr, name in booleans)
            mask = missing.get(name)
            if mask is not None and values.dtype.kind in "biu":
                if values.dtype.kind == "b":
                    data[name] = lib.arrays.BooleanArray(values, mask.copy())
                else:
                    data[name] = lib.arrays.IntegerArray(values.copy(), mask.copy())
            elif mask is not None and mask.any():
                column = lib.array(values, dtype=_pd_dtype(lib, values))
                column[mask] = lib.NA  # one vectorized assignment, not a Python loop
                data[name] = column
            else:
                data[name] = values
        return lib.DataFrame(data)
    if library == "polars":
        series = []
        for name, arr in columns.items():
            values = _values(arr, name in booleans)
            s = lib.Series(name, values)
            mask = missing.get(name)
            if mask is not None and mask.any():
                s = s.scatter(np.flatnonzero(mask), None)
            series.append(s)
        return lib.DataFrame(series)
    arrays, names = [], []
    for name, arr in columns.items():
        values = _values(arr, name in booleans)
        mask = missing.get(name)
        if values.dtype.kind == "O":
            nulls = np.array([v is None for v in values.tolist()], bool)
            mask = nulls if mask is None else (mask | nulls)
            values = np.where(mask, "", values).astype(str) if len(values) else values.astype(str)
        if mask is not None and not mask.any():
            mask = None
        arrays.append(lib.array(values, mask=mask))
        names.append(name)
    return lib.table(arrays, names=names)


def _pd_dtype(pd: Any, values: NDArray[Any]) -> Any:
    if values.dtype.kind == "f":
        return "Float64"
    return pd.StringDtype()
