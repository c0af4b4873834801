"""Small array helpers shared by the attrs classes that hold numpy columns."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

__all__ = [
    "ARRAY_EQ",
    "COLUMNS_EQ",
    "bit_counts",
    "max_gap",
    "offsets_from_sorted",
    "readonly",
    "set_bit",
    "unique_inverse",
]


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


# Sorted codes are counted this many at a time (see offsets_from_sorted).
_COUNT_BLOCK = 1 << 20


def offsets_from_sorted(codes: NDArray[Any], n_groups: int) -> NDArray[np.int64]:
    """Return where each group starts in ascending non-negative codes (``n_groups + 1``).

    The places where the code changes, found a block at a time (a comparison of the
    whole column would hold a mask of it); 1.1-3x faster than counting each block with
    ``np.bincount``, which copies int32 codes to intp first. With few groups for many
    codes, each group's start is searched instead.

    Examples
    --------
    >>> offsets_from_sorted(np.array([0, 0, 2, 2, 2], np.int32), 4).tolist()
    [0, 2, 2, 5, 5]
    >>> offsets_from_sorted(np.repeat(np.array([1, 3], np.int32), 40), 4).tolist()
    [0, 0, 40, 40, 80]
    """
    n = len(codes)
    few = n_groups * max(1, n.bit_length()) < n
    if few and codes.dtype.kind in "iu" and n_groups < np.iinfo(codes.dtype).max:
        # Few groups (villages of a province): a binary search per group boundary reads
        # log(n) codes each, where counting reads all n (6-30x faster).
        bounds = np.arange(n_groups + 1, dtype=codes.dtype)
        found: NDArray[np.int64] = np.searchsorted(codes, bounds).astype(np.int64)
        return found
    # Each group present starts where the code changes; an absent group starts where
    # the next present one does (a running minimum from the end), or at n.
    offsets = np.full(n_groups + 1, n, np.int64)
    if n:
        offsets[int(codes[0])] = 0
    for lo in range(0, n, _COUNT_BLOCK):
        block = codes[lo : lo + _COUNT_BLOCK + 1]  # one more: a change at the block's end
        change = np.flatnonzero(block[1:] != block[:-1]) + 1
        offsets[block[change]] = change + lo
    backwards = offsets[::-1]
    np.minimum.accumulate(backwards, out=backwards)
    return offsets


# Bits are counted this many values at a time: the block's copies stay in the cache.
_BIT_BLOCK = 1 << 16

# Criterion bits are set this many entities at a time (a buffer of 0.5-2 MB, reused).
_SHIFT_BLOCK = 1 << 18


def bit_counts(
    bits: NDArray[np.unsignedinteger[Any]],
    n_bits: int,
    within: NDArray[np.bool_] | None = None,
    also: NDArray[np.unsignedinteger[Any]] | None = None,
) -> NDArray[np.int64]:
    """Return, for bits ``0 .. n_bits - 1``, how many values have the bit set.

    Only the values ``within`` (all if None) are counted; with ``also``, a bit counts
    where it is set in both ``bits`` and ``also`` (the same dtype). A block of values at
    a time: the block is masked once (``also``, ``within``), then each bit is one ``&``
    and one count over it. No mask of a bit, and no copy of the column, is ever made
    (a title's 16 criteria counted mask by mask took 3-4x the time).

    Examples
    --------
    >>> bits = np.array([0b011, 0b110, 0b111, 0b001], np.uint8)
    >>> bit_counts(bits, 3).tolist()
    [3, 3, 2]
    >>> bit_counts(bits, 3, within=np.array([True, False, True, True])).tolist()
    [3, 2, 1]
    >>> bit_counts(bits, 3, also=np.array([0b001, 0b111, 0b100, 0b000], np.uint8)).tolist()
    [1, 1, 2]
    """
    out = np.zeros(n_bits, np.int64)
    size = min(len(bits), _BIT_BLOCK)
    masked = np.empty(size, bits.dtype)
    hit = np.empty(size, bits.dtype)
    ones = [np.array(1, bits.dtype) << j for j in range(n_bits)]
    for lo in range(0, len(bits), _BIT_BLOCK):
        block = bits[lo : lo + _BIT_BLOCK]
        k = len(block)
        if also is not None:
            np.bitwise_and(block, also[lo : lo + _BIT_BLOCK], out=masked[:k])
        else:
            masked[:k] = block
        if within is not None:
            np.multiply(masked[:k], within[lo : lo + _BIT_BLOCK], out=masked[:k])
        for j, one in enumerate(ones):
            np.bitwise_and(masked[:k], one, out=hit[:k])
            out[j] += np.count_nonzero(hit[:k])
    return out


def set_bit(bits: NDArray[np.unsignedinteger[Any]], mask: NDArray[np.bool_], j: int) -> None:
    """Set bit ``j`` of ``bits`` (in place) where ``mask`` is true.

    A block at a time when ``bits`` is wider than a byte: the mask's 0/1 shifted into
    a small buffer of the bits' type, then or-ed in; the whole-column way made two
    copies of the mask as wide as the bits (a title of 16 criteria on 3M persons: 32
    copies of 6 MB), at 1.5-2x the time.

    Examples
    --------
    >>> bits = np.array([1, 0, 4], np.uint16)
    >>> set_bit(bits, np.array([True, True, False]), 9)
    >>> bits.tolist()
    [513, 512, 4]
    """
    ones = mask.view(np.uint8)
    if bits.dtype == np.uint8:
        shifted = ones if j == 0 else np.left_shift(ones, np.uint8(j))
        np.bitwise_or(bits, shifted, out=bits)
        return
    shift = bits.dtype.type(j)
    buffer = np.empty(min(len(bits), _SHIFT_BLOCK), bits.dtype)
    for lo in range(0, len(bits), _SHIFT_BLOCK):
        hi = lo + _SHIFT_BLOCK
        k = len(ones[lo:hi])
        np.left_shift(ones[lo:hi], shift, out=buffer[:k], dtype=bits.dtype)
        np.bitwise_or(bits[lo:hi], buffer[:k], out=bits[lo:hi])


def max_gap(offsets: NDArray[Any]) -> int:
    """Return the largest ``offsets[k + 1] - offsets[k]`` (0 for fewer than two offsets).

    By block, so that the differences (8 bytes per group) are never all held at once.

    Examples
    --------
    >>> max_gap(np.array([0, 2, 2, 7])), max_gap(np.array([0]))
    (5, 0)
    """
    top = 0
    for lo in range(0, len(offsets) - 1, _COUNT_BLOCK):
        gaps = np.diff(offsets[lo : lo + _COUNT_BLOCK + 1])
        top = max(top, int(gaps.max()))
    return top


def unique_inverse(values: NDArray[Any]) -> tuple[NDArray[Any], NDArray[np.intp]]:
    """Return ``np.unique(values, return_inverse=True)``, counting small ints, not sorting.

    Counting is used when the values are unsigned integers of one or two bytes. Bit
    patterns of a title's criteria are such values: 65,536 possible at most, so a count
    over them finds the distinct ones in one pass (writing a 10M-person dataset's
    verdicts: 0.4 s where np.unique's sorting took 1.8 s).

    Examples
    --------
    >>> unique_inverse(np.array([5, 1, 5, 0], np.uint8))
    (array([0, 1, 5], dtype=uint8), array([2, 1, 2, 0]))
    >>> unique_inverse(np.array([7, 3, 7]))  # wider: np.unique itself
    (array([3, 7]), array([1, 0, 1]))
    """
    if values.dtype.kind != "u" or values.dtype.itemsize > 2 or values.ndim != 1:
        found, inverse = np.unique(values, return_inverse=True)
        return found, inverse.reshape(-1)
    present = np.bincount(values, minlength=1) > 0
    found = np.flatnonzero(present).astype(values.dtype)
    rank = np.cumsum(present, dtype=np.intp) - 1  # the index of each present value
    return found, rank[values]


def _columns_equal(a: Mapping[str, NDArray[Any]], b: Mapping[str, NDArray[Any]]) -> bool:
    return a.keys() == b.keys() and all(
        np.array_equal(a[k], b[k], equal_nan=a[k].dtype.kind == "f") for k in a
    )


#: attrs comparison for array fields (``==`` on arrays is elementwise).
ARRAY_EQ = attrs.cmp_using(eq=np.array_equal)
#: attrs comparison for dict-of-arrays fields.
COLUMNS_EQ = attrs.cmp_using(eq=_columns_equal)
