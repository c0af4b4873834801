"""Counts per district given to a tree without districts: say why their rows are refused.

The district level ended on 1 July 2025. A provincial office's counts of 2024 are often
kept per district (``024``, ``070``: districts had 3-digit codes, provinces 2 and communes
5); given to a tree without districts, every row is an unknown unit, and "unit '024' does
not exist" does not say that the unit is a district, nor what to give instead. The rows
stay ``unknown_unit`` rejects; a :class:`~learnsoc.model.hierarchy.HierarchyDateWarning`
says what they are.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
from numpy.typing import NDArray

from learnsoc._messages import N_, Message
from learnsoc.model.hierarchy import ABOLISHED_LEVELS, Hierarchy, HierarchyDateWarning

__all__ = ["district_codes_in_file", "warn_district_codes"]

#: The width of a district's code in the national lists before the 2025 reform.
DISTRICT_CODE_WIDTH = 3


def warn_district_codes(
    table: str,
    codes: NDArray[Any],
    unknown: NDArray[np.bool_],
    hierarchy: Hierarchy,
    stacklevel: int = 2,
) -> None:
    """Warn when unknown codes are districts' codes, on a tree that has no districts.

    Said only when the tree has no district level, none of its own codes has a district
    code's width (a custom tree may number its communes ``001``), and every unknown code
    that is a number has that width. ``stacklevel`` counts from the caller, as
    :func:`warnings.warn` does (2: the caller's caller).

    Examples
    --------
    >>> import warnings
    >>> import numpy as np
    >>> tree = Hierarchy.from_units({"code": ["08", "02215"], "level": ["province", "commune"],
    ...     "parent_code": [None, "08"]}, levels=["province", "commune"])
    >>> codes = np.array(["070", "071", "02215"])
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_district_codes("counts", codes, np.array([True, True, False]), tree)
    >>> print(caught[0].message)  # doctest: +ELLIPSIS
    counts unit_code: 2 rows name 3-digit codes (e.g. '070'), as districts were numbered ...
    """
    if "district" in hierarchy.levels or not unknown.any():
        return
    own = hierarchy.codes.astype(str)
    if (np.char.isdigit(own) & (np.char.str_len(own) == DISTRICT_CODE_WIDTH)).any():
        return
    asked = codes[unknown].astype(str)
    numbers = asked[np.char.isdigit(asked)]
    if not len(numbers) or (np.char.str_len(numbers) != DISTRICT_CODE_WIDTH).any():
        return
    n = len(numbers)
    msg = Message(
        DISTRICT_CODES_ONE if n == 1 else DISTRICT_CODES,
        table=table,
        n=n,
        code=str(numbers[0]),
        date=ABOLISHED_LEVELS["district"],
    )
    warnings.warn(HierarchyDateWarning(str(msg)).translatable(msg), stacklevel=stacklevel + 1)


def district_codes_in_file(message: Warning | str, file: str, column: str) -> Warning | None:
    """Return the warning of :func:`warn_district_codes` naming the file and its column.

    A counts file's rows are named as the file writes them (``so_lieu.csv, column Mã
    xã``), as the other warnings of a counts file are, not as ``counts unit_code``; another
    warning gives None.

    Examples
    --------
    >>> import warnings
    >>> tree = Hierarchy.from_units({"code": ["08", "02215"], "level": ["province", "commune"],
    ...     "parent_code": [None, "08"]}, levels=["province", "commune"])
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_district_codes("counts", np.array(["070"]), np.array([True]), tree)
    >>> print(district_codes_in_file(caught[0].message, "so_lieu.csv", "Mã xã"))
    ... # doctest: +ELLIPSIS
    so_lieu.csv, column Mã xã: 1 row names a 3-digit code (e.g. '070'), as districts ...
    """
    params = getattr(message, "params", {})
    template = _IN_FILE.get(getattr(message, "message_id", ""))
    if not isinstance(message, HierarchyDateWarning) or template is None:
        return None
    values = {k: params[k] for k in ("n", "code", "date")}
    msg = Message(template, file=file, column=column, **values)
    return HierarchyDateWarning(str(msg)).translatable(msg)


#: The warning of :func:`warn_district_codes`, the table named as the caller names it.
DISTRICT_CODES_ONE = N_(
    "{table} unit_code: {n} row names a 3-digit code (e.g. {code!r}), as districts "
    "were numbered before {date}; the tree has no district level (abolished on that "
    "day), so it is rejected: give the counts per commune, and read counts of before "
    "the reform on the units list of their year (a crosswalk moves them to the new "
    "communes)"
)
DISTRICT_CODES = N_(
    "{table} unit_code: {n} rows name 3-digit codes (e.g. {code!r}), as districts "
    "were numbered before {date}; the tree has no district level (abolished on that "
    "day), so they are rejected: give the counts per commune, and read counts of "
    "before the reform on the units list of their year (a crosswalk moves them to "
    "the new communes)"
)
#: The same, naming the file and its column (see :func:`district_codes_in_file`).
_IN_FILE = {
    DISTRICT_CODES_ONE: N_(
        "{file}, column {column}: {n} row names a 3-digit code (e.g. {code!r}), as "
        "districts were numbered before {date}; the tree has no district level (abolished "
        "on that day), so it is rejected: give the counts per commune, and read counts of "
        "before the reform on the units list of their year (a crosswalk moves them to the "
        "new communes)"
    ),
    DISTRICT_CODES: N_(
        "{file}, column {column}: {n} rows name 3-digit codes (e.g. {code!r}), as "
        "districts were numbered before {date}; the tree has no district level (abolished "
        "on that day), so they are rejected: give the counts per commune, and read counts "
        "of before the reform on the units list of their year (a crosswalk moves them to "
        "the new communes)"
    ),
}
