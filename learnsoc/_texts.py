"""A column of short texts stored compactly: code units end to end, and a length each.

A numpy ``<U`` array takes 4 bytes per character of its *longest* value for every value:
a million rejected ids of 8 characters take 32 MB, and one 80-character cell among them
makes it 324 MB. :class:`Texts` keeps each value's characters once, end to end, in the
narrowest unit that holds them (1 byte for ASCII and Latin-1, 2 for Vietnamese, 4 only
beyond the Basic Multilingual Plane), and one byte per value for its length: 9 bytes
for an 8-character id. Nothing is cut or lost: :meth:`Texts.array` gives back the
values exactly, as a ``<U`` array holds them (trailing NULs are not kept, as numpy
keeps none).

Examples
--------
>>> import numpy as np
>>> t = Texts.of(np.array(["300", "Hồ", ""]))
>>> len(t), t.array().tolist(), t.take(np.array([1])).tolist()
(3, ['300', 'Hồ', ''], ['Hồ'])
>>> t.nbytes  # 5 characters of 2 bytes (one is beyond Latin-1), and 3 lengths
13
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["Texts"]

_ELLIPSIS = ord("…")


def _narrowest(units: NDArray[np.uint32]) -> NDArray[Any]:
    top = int(units.max()) if len(units) else 0
    dtype = np.uint8 if top < 1 << 8 else np.uint16 if top < 1 << 16 else np.uint32
    return units.astype(dtype)


def _lengths(lengths: NDArray[Any]) -> NDArray[Any]:
    top = int(lengths.max()) if len(lengths) else 0
    return lengths.astype(np.uint8 if top < 1 << 8 else np.uint32)


def _str_len(flat: NDArray[np.str_], grid: NDArray[np.uint32]) -> NDArray[Any]:
    """Return the length of each value: up to its last non-NUL character (numpy pads with NULs)."""
    strings = getattr(np, "strings", None)  # numpy 2: one pass in C
    if strings is not None:
        out: NDArray[Any] = strings.str_len(flat)
        return out
    filled = grid != 0
    width = grid.shape[1]
    return np.where(filled.any(axis=1), width - np.argmax(filled[:, ::-1], axis=1), 0)


class Texts:
    """Short texts, their characters end to end (see the module docs).

    Build one with :meth:`of`. Immutable: :meth:`take` returns a new one.
    """

    __slots__ = ("lengths", "shape", "units")

    def __init__(self, units: NDArray[Any], lengths: NDArray[Any], shape: tuple[int, ...]) -> None:
        self.units = units
        self.lengths = lengths
        self.shape = shape
        for arr in (units, lengths):
            arr.flags.writeable = False

    @classmethod
    def of(cls, values: NDArray[np.str_], max_chars: int | None = None) -> Texts:
        """Return the texts of a ``<U`` array; values longer than ``max_chars`` end in "…".

        A cut value keeps its first ``max_chars`` characters and an ellipsis, as
        :func:`learnsoc.rejects.shown` writes it.

        Examples
        --------
        >>> Texts.of(np.array(["abcdef", "ab"]), max_chars=3).tolist()
        ['abc…', 'ab']
        """
        shape = values.shape
        flat = np.ascontiguousarray(values).reshape(-1)
        n, width = len(flat), flat.dtype.itemsize // 4
        if n == 0 or width == 0:
            return cls(np.zeros(0, np.uint8), np.zeros(n, np.uint8), shape)
        grid = flat.view(np.uint32).reshape(n, width)
        fits = max_chars is None or width <= max_chars
        if fits and grid[:, -1].all():  # every value fills the width (ids of one length)
            same = np.full(n, width, np.uint8 if width < 1 << 8 else np.uint32)
            return cls(_narrowest(grid.reshape(-1)), same, shape)
        lengths = _str_len(flat, grid)
        if max_chars is not None and width > max_chars:
            long = lengths > max_chars
            grid = grid[:, : max_chars + 1].copy()
            grid[long, max_chars] = _ELLIPSIS
            lengths = np.minimum(lengths, max_chars + 1)
            width = max_chars + 1
        inside = np.arange(width) < lengths[:, None]
        return cls(_narrowest(grid[inside]), _lengths(lengths), shape)

    def __len__(self) -> int:
        return len(self.lengths)

    @property
    def nbytes(self) -> int:
        """Bytes held by the characters and the lengths."""
        return int(self.units.nbytes + self.lengths.nbytes)

    def starts(self) -> NDArray[np.int64]:
        """Return where each value starts among the units (for repeated :meth:`take`)."""
        starts = np.zeros(len(self.lengths), np.int64)
        np.cumsum(self.lengths[:-1], out=starts[1:])
        return starts

    def take(self, index: NDArray[Any], starts: NDArray[np.int64] | None = None) -> Texts:
        """Return the values at ``index`` (positions, or a boolean mask) as new texts.

        ``starts`` is :meth:`starts`, when already known: a few values taken from many
        need not count them again.
        """
        index = np.asarray(index)
        if index.dtype == bool:
            index = np.flatnonzero(index)
        lengths = self.lengths[index]
        n_units = int(lengths.sum(dtype=np.int64))
        if n_units == 0:
            return Texts(self.units[:0], lengths, (len(lengths),))
        # Where each taken value starts among the units, spread over its characters.
        first = (self.starts() if starts is None else starts)[index]
        at = np.zeros(len(lengths), np.int64)
        np.cumsum(lengths[:-1], out=at[1:])
        pick = np.arange(n_units, dtype=np.int64) + np.repeat(first - at, lengths)
        return Texts(self.units[pick], lengths, (len(lengths),))

    def array(self) -> NDArray[np.str_]:
        """Return the values as a ``<U`` array as wide as the longest (at least 1)."""
        n = len(self.lengths)
        width = max(int(self.lengths.max()) if n else 0, 1)
        grid = np.zeros((n, width), np.uint32)
        grid[np.arange(width) < self.lengths[:, None]] = self.units
        out: NDArray[np.str_] = grid.view(f"<U{width}").reshape(self.shape)
        return out

    def tolist(self) -> list[str]:
        """Return the values as Python strings."""
        out: list[str] = self.array().reshape(-1).tolist()
        return out
