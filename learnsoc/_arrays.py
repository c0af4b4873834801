"""Small array helpers shared by the attrs classes that hold numpy columns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

__all__ = ["ARRAY_EQ", "COLUMNS_EQ", "readonly"]


def readonly(arr: NDArray[Any]) -> NDArray[Any]:
    """Return a read-only view of an array (frozen attrs classes do not freeze buffers).

    Examples
    --------
    >>> a = readonly(np.arange(3))
    >>> a.flags.writeable
    False
    """
    if arr.flags.writeable:
        arr = arr.view()
        arr.flags.writeable = False
    return arr


def _columns_equal(a: Mapping[str, NDArray[Any]], b: Mapping[str, NDArray[Any]]) -> bool:
    return a.keys() == b.keys() and all(
        np.array_equal(a[k], b[k], equal_nan=a[k].dtype.kind == "f") for k in a
    )


#: attrs comparison for array fields (``==`` on arrays is elementwise).
ARRAY_EQ = attrs.cmp_using(eq=np.array_equal)
#: attrs comparison for dict-of-arrays fields.
COLUMNS_EQ = attrs.cmp_using(eq=_columns_equal)
