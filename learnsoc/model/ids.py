"""External identifiers: normalizing id columns and looking ids up fast.

Agencies identify persons, households and units with their own ids: numbers, or
strings with leading zeros ("01", "00123"). learnsoc keeps them as given, in one numpy
array per column (``int64`` for whole numbers, a fixed-width string dtype for text),
never as one Python object per row, and looks them up by binary search over a sorted
copy.

Text ids are put in Unicode normal form NFC (:func:`nfc_text`): "Hộ-1" typed with
a combining dot and hook (NFD, as some keyboards and macOS file names write it) is the
same id as the precomposed one. Only values with a character from U+0300 up are
looked at, so ASCII and Latin-1 ids cost one pass over the array.

Examples
--------
>>> import numpy as np
>>> from learnsoc.model.ids import IdIndex, normalize_ids
>>> ids, missing = normalize_ids(["HH-2", "HH-1", "HH-3"])
>>> index = IdIndex(ids)
>>> pos, found = index.lookup(np.array(["HH-3", "HH-9"]))
>>> pos.tolist(), found.tolist()
([2, -1], [True, False])
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "FLOAT_EXACT",
    "FLOAT_ID_RANGE",
    "CodedIds",
    "IdIndex",
    "align_id_kinds",
    "all_float_ids",
    "is_sorted",
    "nfc_text",
    "normalize_ids",
    "trim_text",
    "unaccented",
    "unwhole_floats",
]

# Integer ids are looked up this many at a time: the int64 temporaries stay small.
_LOOKUP_BLOCK = 1 << 20

# Float id columns are checked and converted this many values at a time: the
# temporaries of a block (512 KiB of floats) are reused, none is as long as the column.
_FLOAT_BLOCK = 1 << 16


def normalize_ids(values: Any) -> tuple[NDArray[Any], NDArray[np.bool_]]:
    """Return an id column as ``int64`` or a string array, and a mask of missing ids.

    Whole numbers (including floats with integral values) become ``int64``; text stays
    text, keeping leading zeros. ``None``, NaN and empty strings are missing.

    Examples
    --------
    >>> ids, missing = normalize_ids([1.0, 2.0, float("nan")])
    >>> ids.dtype.name, missing.tolist()
    ('int64', [False, False, True])
    >>> normalize_ids(np.array(["007", "", None], dtype=object))[0].tolist()
    ['007', '', '']
    """
    arr = np.asarray(values)
    if arr.dtype.kind in "iu":
        return arr.astype(np.int64, copy=False), np.zeros(len(arr), bool)
    if arr.dtype.kind == "f":
        missing = np.isnan(arr)
        if _whole_or_missing(arr, missing):
            return _float_ids(arr, missing), missing
        return _as_text(arr.astype(str), missing), missing
    if arr.dtype.kind == "b":
        arr = arr.astype(np.int64)
        return arr, np.zeros(len(arr), bool)
    if arr.dtype.kind == "O":
        items = arr.tolist()
        missing = np.fromiter(
            (v is None or (isinstance(v, float) and v != v) or v == "" for v in items),
            bool,
            len(items),
        )
        if all(
            isinstance(v, int | np.integer) for v, m in zip(items, missing, strict=True) if not m
        ):
            out = np.fromiter(
                (0 if m else int(v) for v, m in zip(items, missing, strict=True)), np.int64
            )
            return out, missing
        text = np.array(
            ["" if m else str(v) for v, m in zip(items, missing, strict=True)], dtype=str
        )
        return nfc_text(text), missing
    if arr.dtype.kind == "S":
        arr = np.char.decode(arr, "utf-8")
    # Text ids are kept as given (readers strip the padding of file cells), in NFC.
    text = nfc_text(arr if arr.dtype.kind == "U" else arr.astype(str))
    return text, text == ""


def _whole_or_missing(arr: NDArray[np.floating[Any]], missing: NDArray[np.bool_]) -> bool:
    """Return whether every value of ``arr`` that is not ``missing`` (NaN) is whole.

    An infinity counts as whole (its floor is itself), as :func:`normalize_ids` always
    read it. A NaN is never equal to its floor, any other float is unless it has a
    fraction: the values unequal to their floor are exactly the NaN when all are whole.
    """
    n = len(arr)
    unequal = 0
    floor = np.empty(min(n, _FLOAT_BLOCK), arr.dtype)
    differs = np.empty(len(floor), np.bool_)
    for lo in range(0, n, _FLOAT_BLOCK):
        block = arr[lo : lo + _FLOAT_BLOCK]
        k = len(block)
        np.floor(block, out=floor[:k])
        np.not_equal(floor[:k], block, out=differs[:k])
        unequal += int(np.count_nonzero(differs[:k]))
    return unequal == int(np.count_nonzero(missing))


def _float_ids(arr: NDArray[np.floating[Any]], missing: NDArray[np.bool_]) -> NDArray[np.int64]:
    """Return whole floats as ``int64``, 0 where ``missing``, a block at a time.

    As ``np.where(missing, 0, arr).astype(np.int64)`` (the same values, and the same
    warning for an infinity, which no integer holds) without a float copy of the column.
    """
    out = np.empty(len(arr), np.int64)
    for lo in range(0, len(arr), _FLOAT_BLOCK):
        hi = lo + _FLOAT_BLOCK
        np.copyto(out[lo:hi], np.where(missing[lo:hi], 0, arr[lo:hi]), casting="unsafe")
    return out


def all_float_ids(numbers: NDArray[np.floating[Any]]) -> bool:
    """Return whether every float is an id or missing: :func:`unwhole_floats` finds none.

    That is, each value is a NaN or a whole number at most :data:`FLOAT_EXACT` in size.
    Checked a block at a time, without the column-long masks of :func:`unwhole_floats`
    (eight of them): the usual float id column (integers with a gap) costs one pass.

    Examples
    --------
    >>> all_float_ids(np.array([3.0, np.nan, -(2.0**53)])), all_float_ids(np.array([1e20]))
    (True, False)
    >>> all_float_ids(np.array([2.5])), all_float_ids(np.array([np.inf]))
    (False, False)
    """
    n = len(numbers)
    fine = 0
    scratch = np.empty(min(n, _FLOAT_BLOCK), numbers.dtype)
    whole = np.empty(len(scratch), np.bool_)
    within = np.empty(len(scratch), np.bool_)
    with np.errstate(invalid="ignore"):
        for lo in range(0, n, _FLOAT_BLOCK):
            block = numbers[lo : lo + _FLOAT_BLOCK]
            k = len(block)
            np.floor(block, out=scratch[:k])
            np.equal(scratch[:k], block, out=whole[:k])  # False for a NaN
            np.abs(block, out=scratch[:k])
            np.less_equal(scratch[:k], FLOAT_EXACT, out=within[:k])  # False: NaN, inf
            np.logical_and(whole[:k], within[:k], out=whole[:k])
            np.isnan(block, out=within[:k])
            fine += int(np.count_nonzero(whole[:k])) + int(np.count_nonzero(within[:k]))
    return fine == n


#: No character below U+0300 changes under NFC (combining marks start there).
_NFC_SAFE = 0x300


#: The largest whole number a float (float64) holds exactly with every one below it:
#: 2**53 = 9,007,199,254,740,992. A float id beyond it may not be the id that was written
#: (``2**53 + 1`` is stored as ``2**53``; ``1e20`` has lost any digits it had).
FLOAT_EXACT = 2**53

#: The ``expected`` of an ``out_of_range`` reject of a float id (see :func:`unwhole_floats`).
FLOAT_ID_RANGE = f"-{FLOAT_EXACT}..{FLOAT_EXACT}"


def unwhole_floats(numbers: NDArray[np.floating[Any]]) -> dict[str, NDArray[np.bool_]]:
    """Return, per reject reason, the floats of an id or code column that are no id.

    Ids and codes given as floats (pandas' integers with a gap) are whole: 3.0 is the id
    3. A fraction (2.5) is ``not_integer`` and an infinity ``not_a_number``; a whole
    float beyond :data:`FLOAT_EXACT` (2**53) in size is ``out_of_range`` (expected
    :data:`FLOAT_ID_RANGE`): a float that large is no exact integer (``1e20`` could be
    any of many ids), so it is no id either, where read as text it would be one. Keep
    such ids as text or as 64-bit integers. A NaN is a missing id, in none.

    Examples
    --------
    >>> found = unwhole_floats(np.array([3.0, 2.5, np.inf, np.nan, 1e20, 2.0**53]))
    >>> {reason: mask.tolist() for reason, mask in found.items()}  # doctest: +NORMALIZE_WHITESPACE
    {'not_integer': [False, True, False, False, False, False],
     'not_a_number': [False, False, True, False, False, False],
     'out_of_range': [False, False, False, False, True, False]}
    """
    with np.errstate(invalid="ignore"):
        fraction = np.isfinite(numbers) & (np.floor(numbers) != numbers)
        inexact = np.isfinite(numbers) & (np.abs(numbers) > FLOAT_EXACT)
        return {
            "not_integer": fraction,
            "not_a_number": np.isinf(numbers),
            "out_of_range": inexact & ~fraction,
        }


def trim_text(text: NDArray[np.str_]) -> NDArray[np.str_]:
    r"""Return a text array without the spaces, tabs and line breaks around its values.

    The file readers trim every cell (``" 5\t"`` is the id ``5``, ``"H1 "`` the household
    ``H1``); arrays given to :meth:`Population.from_columns
    <learnsoc.Population.from_columns>` are trimmed the same, so that the same table read
    from a file and given as columns names the same persons and households. Only the
    values whose first or last character may be white space are looked at: an array with
    none is returned itself, at the cost of one pass over it.

    Examples
    --------
    >>> trim_text(np.array([" 5\t", "H1 ", "Hộ 2"])).tolist()
    ['5', 'H1', 'Hộ 2']
    """
    if text.dtype.kind != "U" or not text.size or text.itemsize == 0:
        return text
    flat = np.ascontiguousarray(text).view(np.uint32)
    width = text.itemsize // 4
    starts = np.arange(len(text), dtype=np.int64) * width
    first = flat[starts]
    last = flat[starts + np.maximum(np.char.str_len(text) - 1, 0)]
    # White space is at most U+0020 or from U+0085 on; the few such values are checked.
    maybe = np.flatnonzero((first <= 0x20) | (first >= 0x85) | (last <= 0x20) | (last >= 0x85))
    if not len(maybe):
        return text
    trimmed = np.char.strip(text[maybe])
    changed = trimmed != text[maybe]
    if not changed.any():
        return text
    out = text.copy()
    out[maybe[changed]] = trimmed[changed]
    return out


def nfc_text(text: NDArray[np.str_]) -> NDArray[np.str_]:
    """Return a text array in Unicode normal form NFC (the array itself if it already is).

    Only the values holding a character from U+0300 up are looked at (Unicode's quick
    check, then normalization where it says no); an ASCII or Latin-1 column costs one
    pass over its characters.

    Examples
    --------
    >>> nfd = unicodedata.normalize("NFD", "Hộ-1")
    >>> len(nfd), [len(v) for v in nfc_text(np.array([nfd, "H-2"])).tolist()]
    (6, [4, 3])
    """
    if text.dtype.kind != "U" or not text.size or text.itemsize == 0:
        return text
    chars = text.view(np.uint32).reshape(len(text), -1)
    if int(chars.max()) < _NFC_SAFE:
        return text
    rows = np.flatnonzero(chars.max(axis=1) >= _NFC_SAFE)
    values = text[rows].tolist()
    # The quick check answers for most values without building a normalized copy.
    odd = [i for i, v in enumerate(values) if not unicodedata.is_normalized("NFC", v)]
    if not odd:
        return text
    fixed = np.array([unicodedata.normalize("NFC", values[i]) for i in odd], dtype=str)
    out = text.astype(np.result_type(text.dtype, fixed.dtype))
    out[rows[odd]] = fixed
    return out


class CodedIds:
    """A text id column held as its distinct values and one small code per row.

    Row ``i`` is ``values[codes[i]]``, as in an Arrow dictionary array or a pandas
    ``Categorical``. Households name their village's code: 3 million households of 100,000
    villages held as ``<U8`` text take 94 MB, as codes 12 MB, and a lookup in the tree
    needs only the distinct values. :meth:`Population.from_columns
    <learnsoc.Population.from_columns>` takes it for ``unit_code``; anything else sees the
    full text through ``np.asarray``.

    Parameters
    ----------
    values : array of str
        The values; they need not be distinct (chunks joined keep each chunk's own).
    codes : array of int
        One index into ``values`` per row.

    Raises
    ------
    ValueError
        If a code is outside ``values`` or the arrays are not one-dimensional.

    Examples
    --------
    >>> col = CodedIds.from_text(np.repeat(["01", "02"], [5, 3]))
    >>> col.values.tolist(), col.codes.tolist()
    (['01', '02'], [0, 0, 0, 0, 0, 1, 1, 1])
    >>> col[[0, 7]].tolist(), np.asarray(col)[3:6].tolist()
    (['01', '02'], ['01', '01', '02'])
    """

    __slots__ = ("codes", "values")

    def __init__(self, values: NDArray[np.str_], codes: NDArray[np.integer[Any]]) -> None:
        values = np.asarray(values)
        codes = np.asarray(codes)
        if values.ndim != 1 or codes.ndim != 1:
            msg = "CodedIds needs one-dimensional values and codes"
            raise ValueError(msg)
        if values.dtype.kind != "U":
            values = values.astype(str)
        if codes.dtype.kind not in "iu":
            msg = f"CodedIds codes must be integers, got {codes.dtype}"
            raise ValueError(msg)
        if len(codes) and (int(codes.min()) < 0 or int(codes.max()) >= len(values)):
            msg = f"CodedIds codes must index the {len(values)} values"
            raise ValueError(msg)
        self.values: NDArray[np.str_] = values
        self.codes: NDArray[np.integer[Any]] = codes

    @classmethod
    def from_text(cls, text: NDArray[np.str_]) -> CodedIds:
        """Code a text column by its runs of equal values, in one O(N) pass.

        Files list households village by village, so runs are long; a column without
        runs keeps one value per row (correct, just not smaller).
        """
        text = np.asarray(text)
        n = len(text)
        if n == 0:
            return cls(text.astype(str), np.zeros(0, np.int32))
        change = np.empty(n, bool)
        change[0] = True
        np.not_equal(text[1:], text[:-1], out=change[1:])
        starts = np.flatnonzero(change)
        if len(starts) > n // 4:
            return cls(text, np.arange(n, dtype=np.int64 if n >= 2**31 else np.int32))
        codes: NDArray[np.int64] = np.cumsum(change, dtype=np.int64)
        codes -= 1
        return cls(text[starts], codes.astype(np.int32) if n < 2**31 else codes)

    @classmethod
    def concatenate(cls, parts: Sequence[CodedIds]) -> CodedIds:
        """Join coded columns end to end (each part's codes shifted past the values before)."""
        if not parts:
            return cls(np.zeros(0, "<U1"), np.zeros(0, np.int32))
        n_values = sum(len(p.values) for p in parts)
        wide = np.int32 if n_values < 2**31 else np.int64
        codes: NDArray[np.signedinteger[Any]] = np.empty(sum(len(p.codes) for p in parts), wide)
        pos = shift = 0
        for p in parts:
            np.add(p.codes, shift, out=codes[pos : pos + len(p.codes)], casting="unsafe")
            pos += len(p.codes)
            shift += len(p.values)
        return cls(np.concatenate([p.values for p in parts]), codes)

    @property
    def shape(self) -> tuple[int]:
        """``(number of rows,)``, as an array's."""
        return (len(self.codes),)

    @property
    def dtype(self) -> np.dtype[Any]:
        """The text type of the values."""
        return self.values.dtype

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, rows: Any) -> NDArray[np.str_]:
        out: NDArray[np.str_] = self.values[self.codes[rows]]
        return out

    def __array__(self, dtype: Any = None, copy: bool | None = None) -> NDArray[Any]:
        text: NDArray[Any] = self.values[self.codes]
        return text if dtype is None else text.astype(dtype)

    def __repr__(self) -> str:
        return f"CodedIds({len(self.codes)} rows, {len(self.values)} values)"


def _as_text(arr: NDArray[np.str_], missing: NDArray[np.bool_]) -> NDArray[np.str_]:
    out = arr.copy()
    out[missing] = ""
    return out


def align_id_kinds(a: NDArray[Any], b: NDArray[Any]) -> tuple[NDArray[Any], NDArray[Any]]:
    """Return two id columns of one comparable kind (text if either is text).

    Where ids read as numbers meet ids kept as text: a file whose id cells are all plain
    numbers (``7``, ``8``) is read as ``int64``, the same ids given as text columns
    (``np.array(["7", "8"])``) stay text. Every lookup of one table's ids in another's
    (a person's household, a membership's person, :meth:`IdIndex.lookup`, an entity by
    its id) compares them here, as text: the number 7 is the id ``"7"``, and ``"007"``
    (a file keeps the text of a column with such an id) stays another id. So a table
    read from a file and the same table given as columns name the same entities.

    Examples
    --------
    >>> x, y = align_id_kinds(np.array([1, 2]), np.array(["1", "x"]))
    >>> x.tolist(), y.tolist()
    (['1', '2'], ['1', 'x'])
    >>> x, y = align_id_kinds(np.array(["7", "007"]), np.array([7]))
    >>> (x == y[0]).tolist()
    [True, False]
    """
    if (a.dtype.kind == "U") == (b.dtype.kind == "U"):
        return a, b
    return a.astype(str), b.astype(str)


def is_sorted(values: NDArray[Any], strict: bool = False) -> bool:
    """Return whether a 1-D array is ascending (strictly, if asked), in one O(N) pass.

    Examples
    --------
    >>> is_sorted(np.array([1, 1, 2])), is_sorted(np.array([1, 1, 2]), strict=True)
    (True, False)
    """
    if len(values) < 2:
        return True
    if strict:
        return bool(np.all(values[1:] > values[:-1]))
    return bool(np.all(values[1:] >= values[:-1]))


class IdIndex:
    """A lookup structure over an id column: vectorized lookups and duplicate checks.

    Integer ids spanning a range not much larger than their count (1, 2, 3 ... with some
    gaps, the usual case) get a direct table: O(N) lookups in any order. Other ids are
    sorted once and searched by bisection.

    Parameters
    ----------
    ids : ndarray
        The ids, ``int64`` or text, as returned by :func:`normalize_ids`.

    Examples
    --------
    >>> index = IdIndex(np.array(["H1", "H2", "H1"]))
    >>> index.lookup(np.array(["H2", "H9"]))  # positions (-1: absent), and found
    (array([ 1, -1]), array([ True, False]))
    >>> index.duplicated()
    array([ True, False,  True])
    """

    __slots__ = ("_dense", "_first", "_ids", "_order", "_sorted", "_table")

    def __init__(self, ids: NDArray[Any]) -> None:
        self._ids = ids
        self._table: NDArray[np.int64] | None = None
        self._dense = False
        self._first = 0
        self._order: NDArray[np.intp] | None = None
        self._sorted = ids
        n = len(ids)
        if ids.dtype.kind == "i" and n:
            first = int(ids[0])
            if int(ids[-1]) - first == n - 1 and is_sorted(ids, strict=True):
                # 1, 2, 3 ... in order (the common case): the row is the id minus the first.
                # Told by the ends and one pass, where the minimum and maximum are two.
                self._first, self._dense = first, True
                return
            lo, hi = int(ids.min()), int(ids.max())
            if hi - lo <= 2 * n + 1024:
                self._first = lo
                table = np.full(hi - lo + 1, -1, np.int64)
                # Reversed, so that for a repeated id the first row wins.
                table[(ids - lo)[::-1]] = np.arange(n - 1, -1, -1)
                self._table = table
                return
        if not is_sorted(ids):
            self._order = np.argsort(ids, kind="stable")
            self._sorted = ids[self._order]

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def ids(self) -> NDArray[Any]:
        """The ids indexed, in their rows' order."""
        return self._ids

    def duplicated(self) -> NDArray[np.bool_]:
        """Return a mask of the rows whose id occurs more than once (every occurrence)."""
        if self._dense:
            return np.zeros(len(self._ids), bool)
        if self._table is not None:
            offset = self._ids - self._first
            counts = np.bincount(offset, minlength=len(self._table))
            repeated: NDArray[np.bool_] = counts[offset] > 1
            return repeated
        s = self._sorted
        dup_sorted = np.zeros(len(s), bool)
        if len(s) > 1:
            eq = s[1:] == s[:-1]
            dup_sorted[1:] |= eq
            dup_sorted[:-1] |= eq
        if self._order is None:
            return dup_sorted
        out = np.empty(len(s), bool)
        out[self._order] = dup_sorted
        return out

    def lookup(
        self, query: NDArray[Any], dtype: type[np.signedinteger[Any]] = np.int64
    ) -> tuple[NDArray[Any], NDArray[np.bool_]]:
        """Return the row of each queried id (-1 if absent) and a found mask.

        With repeated ids, the first row holding the id is returned. ``dtype`` is the
        rows' type: ``np.int32`` halves their memory when the index has fewer than
        2**31 rows (integer ids are then looked up a block at a time, so no
        ``int64`` copy of the query is ever made).
        """
        if (self._dense or self._table is not None) and query.dtype.kind in "iu":
            out = np.empty(len(query), dtype)
            for lo in range(0, len(query), _LOOKUP_BLOCK):
                out[lo : lo + _LOOKUP_BLOCK] = self._direct(query[lo : lo + _LOOKUP_BLOCK])
            return out, out >= 0
        if len(self._ids) == 0:
            return np.full(len(query), -1, dtype), np.zeros(len(query), bool)
        order = self._order
        s = self._sorted
        if (self._ids.dtype.kind == "U") != (query.dtype.kind == "U"):
            # Compare as text; text sorts differently from numbers, so sort again.
            ids, query = align_id_kinds(self._ids, query)
            order = np.argsort(ids, kind="stable")
            s = ids[order]
        elif self._table is not None or self._dense:
            order = None if self._dense else np.argsort(self._ids, kind="stable")
            s = self._ids if order is None else self._ids[order]
        pos = np.searchsorted(s, query)
        pos_c = np.minimum(pos, len(s) - 1)
        found = s[pos_c] == query
        rows = pos_c if order is None else order[pos_c]
        out = np.where(found, rows, -1).astype(dtype)
        return out, found

    def _direct(self, query: NDArray[Any]) -> NDArray[np.int64]:
        """Rows of integer ids through the dense range or the table (-1 if absent)."""
        pos = query.astype(np.int64, copy=True)
        pos -= self._first
        size = len(self._ids) if self._table is None else len(self._table)
        outside = pos < 0
        outside |= pos >= size
        if self._table is not None:
            pos[outside] = 0
            # Every index is now in range, so "clip" never clips and needs no buffer.
            np.take(self._table, pos, out=pos, mode="clip")
        pos[outside] = -1
        return pos


def unaccented(text: str) -> str:
    """Return text without its Vietnamese accents (``đ`` as ``d``), for loose matching.

    Examples
    --------
    >>> unaccented("Nữ"), unaccented("Tên Đơn vị")
    ('Nu', 'Ten Don vi')
    """
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))
