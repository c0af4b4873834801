"""Yearly trends of indicator values: least-squares slopes, one per unit, vectorised."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["align", "least_squares_slope"]


def least_squares_slope(years: NDArray[Any], values: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return the ordinary least-squares slope of each column of ``values`` against ``years``.

    ``values`` has one row per year and one column per unit; NaN marks a year without
    data for that unit, and is left out. A column with fewer than two years of data has
    no slope (NaN). With exactly two years the slope is the change between them divided
    by the years between them.

    Examples
    --------
    >>> years = np.array([2022, 2023, 2024])
    >>> values = np.array([[50.0, 10.0, np.nan], [52.0, np.nan, 7.0], [54.0, 12.0, np.nan]])
    >>> print(least_squares_slope(years, values))
    [ 2.  1. nan]
    """
    x_all = np.asarray(years, dtype=np.float64)[:, None]
    ok = np.isfinite(values)
    count = ok.sum(axis=0)
    x = np.where(ok, x_all, 0.0)
    y = np.where(ok, values, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        x_mean = x.sum(axis=0) / count
        y_mean = y.sum(axis=0) / count
        dx = np.where(ok, x_all - x_mean, 0.0)
        dy = np.where(ok, y - y_mean, 0.0)
        sxx = (dx * dx).sum(axis=0)
        sxy = (dx * dy).sum(axis=0)
        slope = sxy / sxx
    return np.where((count >= 2) & (sxx > 0), slope, np.nan)


def align(reference: NDArray[np.str_], other: NDArray[np.str_]) -> NDArray[np.intp]:
    """Return, for each key of ``reference``, its position in ``other`` (-1 if absent).

    Keys of ``other`` are assumed unique.

    Examples
    --------
    >>> print(align(np.array(["a", "b", "c"]), np.array(["c", "a"])))
    [ 1 -1  0]
    """
    if len(other) == 0:
        return np.full(len(reference), -1, np.intp)
    order = np.argsort(other, kind="stable")
    ordered = other[order]
    pos = np.minimum(np.searchsorted(ordered, reference), len(other) - 1)
    found = ordered[pos] == reference
    return np.where(found, order[pos], -1).astype(np.intp)
