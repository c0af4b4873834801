"""Per-group reductions of member columns: count, sum, any, all, min, max, mean, share.

Every kernel takes a :class:`~learnsoc.aggregate.groups.Groups` first and returns one
value per group (length ``groups.n_groups``, trailing empty groups included). Counts
are int64. Everything is O(N) numpy with no Python loop over members or groups.

The missing-value rule
----------------------
Two optional boolean arrays, one value per member, select what counts:

* ``where`` restricts the members that are *eligible* (``where=age >= 15``);
* ``known`` marks members whose value is present (``False`` = missing).

A member whose value is missing is excluded from the numerator and the denominator
and counted in ``missing``; ``sum``, ``any``, ``all``, ``min`` and ``max`` skip missing
members; a group with no eligible member is ``EMPTY``; a group whose eligible members
all have missing values is ``MISSING`` (see :class:`~learnsoc.aggregate.rate.RateStatus`).
NaN in float values is a value like any other (it propagates through ``sum``, ``min``,
``max``); pass ``known=~np.isnan(values)`` to treat it as missing.

Empty groups
------------
``count`` and ``sum`` give 0; ``any`` gives ``False``; ``all`` gives ``True`` (vacuous
truth: no eligible member fails); ``min`` and ``max`` give ``fill`` (by default the
identity of the reduction: the dtype's largest value for ``min``, smallest for ``max``,
``±inf`` for floats); ``share`` and ``mean`` give status ``EMPTY`` or ``MISSING``.
The rules engine applies the rulebook's policy for empty groups (for ``all``, usually
"an all over no eligible member passes" or "fails") using ``group_count(where)``.

How the counting is done
------------------------
All mask counting goes through :func:`group_counts`, which packs several 0/1 masks into
one unsigned integer word per member, with a field per mask as wide as the largest
group needs (8 bits up to 255 members, 16 up to 65,535, then 32 and 64), so no field
can overflow into the next. One pass then counts every mask in the word:

* ``"scatter"``: ``np.add.at`` into one word per group (exact integer arithmetic; the
  narrow words keep the per-group counters in cache when members are shuffled);
* ``"segments"``: for members sorted by group, ``np.add.reduceat`` of the words from
  each group's start (wrapping modulo the word size), which is exact because each
  field's total within a group fits its bits; needs only the offsets, not the codes;
* ``"bincount"``: ``np.bincount`` with the words as float64 weights (at most 53 bits
  of fields, where float64 is exact).

``method="auto"`` uses ``"scatter"`` when the codes exist and ``"segments"`` when only
offsets do, so sorted groups never build their 8-bytes-per-member codes just to
count. Sums of integers use ``np.add.at`` in int64 (or ``np.add.reduceat`` on sorted
segments) and are exact, wrapping on int64 overflow like numpy; sums of floats use
``np.bincount`` (float64, summed in member order; this builds the codes of sorted
groups). ``min`` and ``max`` use ``np.minimum.at`` / ``np.maximum.at``, or ``reduceat``
over sorted segments when the codes are not built.

Measured with ``python -m benchmarks.kernels_micro`` (10M members in 3M groups of 1 to
14, numpy 2.4, a 2-core machine shared with other jobs, best of 9 runs), in ms:

=====================  ========  =======  ========  ========  =====================
operation              members   scatter  segments  bincount  numpy, bincount/mask
=====================  ========  =======  ========  ========  =====================
count, one mask        sorted         12        35        41        30
share, three counters  sorted         73        77       101       102
counts, five masks     sorted         69        69        94       179
count, one mask        shuffled       22         -        95        78
share, three counters  shuffled      105         -       181       262
counts, five masks     shuffled      138         -       159       471
=====================  ========  =======  ========  ========  =====================

``np.add.at`` is fast only on numpy's typed path: numpy >= 1.25 (learnsoc needs 1.26)
takes it when the target, index and value dtypes match and are not bool. Anything else
falls back to the generic path, the "20-70x slower than bincount" of the design notes
(measured on that path): at 10M members in 3M groups, numpy 2.4, one ``np.add.at`` of
uint8 words took 19 ms sorted / 70 ms shuffled, of int64 values 26 / 257 ms, the same
uint8 words into int64 counters (a cast) 941 / 6,036 ms, against 35 / 258 ms for a
weighted ``np.bincount``; ``np.maximum.at`` on bool took 873 ms against 94 ms on its
uint8 view. So every ``.at`` call here passes values of the target's dtype (words of
the word's dtype, int64 sums into int64, bool as uint8).

So scatter is the fastest everywhere and segments only saves memory: reading
``groups.codes`` once (about 34 ms at 10M members, then cached) switches sorted groups
to scatter, which pays off when a single mask is counted more than twice.

Examples
--------
>>> import numpy as np
>>> from learnsoc.aggregate import Groups, group_share, group_all, group_count
>>> households = Groups.from_offsets([0, 3, 5, 5])
>>> age = np.array([40, 38, 12, 70, 16])
>>> in_school = np.array([False, False, True, False, False])
>>> school_age = (age >= 6) & (age <= 17)
>>> print(group_all(households, in_school, where=school_age))
[ True False  True]
>>> print(group_count(households, where=school_age))
[1 1 0]
>>> learning = np.array([True, False, True, True, False])
>>> share = group_share(households, learning, where=age >= 15)
>>> print(share.numerator, share.denominator)
[1 1 0] [2 2 0]
>>> print(share.at_least(0.5))
[ True  True False]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal, TypeAlias, TypeVar, cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

from learnsoc._messages import N_, Message
from learnsoc.aggregate.groups import AggregateError, Groups
from learnsoc.aggregate.rate import Mean, Rate

__all__ = [
    "CountMethod",
    "group_all",
    "group_any",
    "group_count",
    "group_count_at_least",
    "group_counts",
    "group_counts_blockwise",
    "group_max",
    "group_mean",
    "group_min",
    "group_share",
    "group_sum",
]

CountMethod: TypeAlias = Literal["auto", "scatter", "segments", "bincount"]
"""How masks are counted per group; see the module documentation."""

_ScalarT = TypeVar("_ScalarT", bound=np.generic)

_METHODS = ("auto", "scatter", "segments", "bincount")
# Little-endian on purpose: fields are laid out by byte position, and the float64 path
# needs field 0 in the low-order bits on every machine.
_UNSIGNED: dict[int, np.dtype[Any]] = {
    1: np.dtype("u1"),
    2: np.dtype("<u2"),
    4: np.dtype("<u4"),
    8: np.dtype("<u8"),
}
_FLOAT64_EXACT_BITS = 53
# Members packed per block by the scatter method: the temporary words (512 KiB) and masks
# stay in cache; 10M persons ran 10% faster than with blocks of a million (benchmarks/).
_SCATTER_BLOCK = 1 << 16


# -- argument checks ---------------------------------------------------------------------


def _member_array(groups: Groups, value: ArrayLike, name: str) -> NDArray[Any]:
    array = np.asarray(value)
    if array.ndim != 1:
        msg = Message(
            N_(
                "{name} must be a one-dimensional array (one value per member), "
                "got {ndim} dimensions"
            ),
            name=name,
            ndim=array.ndim,
        )
        raise AggregateError(str(msg), argument=name).translatable(msg)
    if array.size != groups.n_members:
        msg = Message(
            N_(
                "{name} has {n} values but the groups have {members} members; "
                "pass one value per member, in the same order as the group codes"
            ),
            name=name,
            n=array.size,
            members=groups.n_members,
        )
        raise AggregateError(str(msg), argument=name).translatable(msg)
    if not array.dtype.isnative:
        array = array.astype(array.dtype.newbyteorder("="))
    return array


def _mask(groups: Groups, value: ArrayLike, name: str) -> NDArray[np.bool_]:
    array = _member_array(groups, value, name)
    if array.dtype != np.bool_:
        msg = Message(
            N_(
                "{name} must be a boolean array, got dtype {dtype}; "
                "compare it first (for example values > 0)"
            ),
            name=name,
            dtype=array.dtype,
        )
        raise AggregateError(str(msg), argument=name).translatable(msg)
    return cast("NDArray[np.bool_]", array)


def _values(groups: Groups, value: ArrayLike) -> NDArray[Any]:
    array = _member_array(groups, value, "values")
    if array.dtype.kind not in "biuf":
        msg = Message(
            N_("values must be boolean, integer or float, got dtype {dtype}"), dtype=array.dtype
        )
        raise AggregateError(str(msg), argument="values").translatable(msg)
    return array


def _eligible(
    groups: Groups, where: ArrayLike | None, known: ArrayLike | None
) -> NDArray[np.bool_] | None:
    """Members that count: eligible (``where``) and with a known value (``known``)."""
    w = None if where is None else _mask(groups, where, "where")
    k = None if known is None else _mask(groups, known, "known")
    if w is None:
        return k
    if k is None:
        return w
    return w & k


def _missing(
    groups: Groups, where: ArrayLike | None, known: ArrayLike | None
) -> NDArray[np.bool_] | None:
    """Eligible members whose value is missing, or None when nothing can be missing."""
    if known is None:
        return None
    k = _mask(groups, known, "known")
    if where is None:
        return ~k
    # where & ~known in one pass: for booleans a > b is exactly a and not b.
    return cast("NDArray[np.bool_]", np.greater(_mask(groups, where, "where"), k))


def _and(mask: NDArray[np.bool_], eligible: NDArray[np.bool_] | None) -> NDArray[np.bool_]:
    return mask if eligible is None else mask & eligible


# -- packed mask counting ------------------------------------------------------------------


def _field_dtype(bound: int) -> np.dtype[Any]:
    """Return the narrowest unsigned field holding every count from 0 to ``bound``."""
    for itemsize in (1, 2, 4):
        if bound < 2 ** (8 * itemsize):
            return _UNSIGNED[itemsize]
    return _UNSIGNED[8]


def _fields_per_word(field: np.dtype[Any], method: str) -> int:
    per_word = 8 // field.itemsize
    if method == "bincount":
        # Float64 weights are exact only below 2**53: fewer fields fit.
        per_word = min(per_word, max(1, _FLOAT64_EXACT_BITS // (8 * field.itemsize)))
    return per_word


def _word_dtype(n_bytes: int) -> np.dtype[Any]:
    for itemsize in (1, 2, 4, 8):
        if n_bytes <= itemsize:
            return _UNSIGNED[itemsize]
    msg = f"cannot pack {n_bytes} bytes into one word"  # unreachable: callers chunk by 8 bytes
    raise AssertionError(msg)


def _pack(
    masks: Sequence[NDArray[np.bool_]], field: np.dtype[Any], word: np.dtype[Any]
) -> tuple[NDArray[Any], bool]:
    """Pack masks into one word per member, mask ``i`` in field ``i``; say if it is a copy."""
    n = masks[0].size
    if len(masks) == 1 and field == word:
        if field.itemsize == 1:
            return masks[0].view(np.uint8), False
        return masks[0].astype(field), True
    width = word.itemsize // field.itemsize
    buffer = (np.empty if len(masks) == width else np.zeros)((n, width), dtype=field)
    if field.itemsize == 1:
        # One interleaving copy (bool and uint8 share their bytes): 1.4-2x the loop's speed.
        np.stack(masks, axis=1, out=buffer[:, : len(masks)].view(np.bool_))
    else:
        for i, mask in enumerate(masks):  # a loop over masks (a handful), not members
            buffer[:, i] = mask
    return buffer.view(word).reshape(n), True


def _segment_sums(
    offsets: NDArray[np.int64], packed: NDArray[Any], word: np.dtype[Any]
) -> NDArray[Any]:
    """Sum ``packed[offsets[i]:offsets[i + 1]]`` for every group ``i``, in ``word``.

    ``offsets`` ends at ``len(packed)``. ``np.add.reduceat`` from the start of each group
    that is not empty: the next such start is where its group ends (the empty groups
    between them start there too), and the last one's end is the end of ``packed``. One
    read of the words, nothing written: 1.2x the speed of differences of running sums on
    households of 3, 7x on villages of hundreds. Wraps modulo the word (module doc): each
    field's sum is exact.
    """
    sums = np.zeros(offsets.size - 1, dtype=word)
    starts = offsets[:-1]
    filled = np.flatnonzero(offsets[1:] > starts)
    if len(filled):
        sums[filled] = np.add.reduceat(packed, starts[filled], dtype=word)
    return sums


def _segment_sums_blockwise(
    offsets: NDArray[np.int64],
    masks: Sequence[NDArray[np.bool_]],
    field: np.dtype[Any],
    word: np.dtype[Any],
) -> NDArray[Any]:
    """Segment sums of packed masks, packing and summing one block of members at a time.

    A group cut by a block boundary gets one piece from each block. The packed words of
    all members (8 bytes each) never exist at once.
    """
    sums = np.zeros(offsets.size - 1, dtype=word)
    n = int(offsets[-1])
    for lo in range(0, n, _SCATTER_BLOCK):
        hi = min(lo + _SCATTER_BLOCK, n)
        packed, _ = _pack([m[lo:hi] for m in masks], field, word)
        # The groups holding members lo..hi-1, their bounds cut to the block.
        first = int(np.searchsorted(offsets, lo, side="right")) - 1
        stop = int(np.searchsorted(offsets, hi - 1, side="right"))
        local = np.clip(offsets[first : stop + 1], lo, hi) - lo
        sums[first:stop] += _segment_sums(local, packed, word)
    return sums


def _bincount_sums(
    groups: Groups, chunk: Sequence[NDArray[np.bool_]], packed: NDArray[Any], word: np.dtype[Any]
) -> NDArray[Any]:
    weights = chunk[0] if len(chunk) == 1 else packed.astype(np.float64)
    totals = np.bincount(groups.codes, weights=weights, minlength=groups.n_groups)
    return totals.astype(word)


def _resolve_method(groups: Groups, method: str) -> str:
    if method not in _METHODS:
        allowed = ", ".join(repr(m) for m in _METHODS)
        msg = Message(
            N_("method must be one of {allowed}; got {method!r}"), allowed=allowed, method=method
        )
        raise AggregateError(str(msg), argument="method").translatable(msg)
    if method == "auto":
        return "scatter" if groups.codes_at_hand or groups.offsets is None else "segments"
    if method == "segments" and groups.offsets is None:
        msg = Message(
            N_(
                "method='segments' needs members sorted by group; build the groups with "
                "Groups.from_offsets, or Groups.from_codes on sorted codes"
            )
        )
        raise AggregateError(str(msg), argument="method").translatable(msg)
    return method


def _count_masks(
    groups: Groups,
    masks: Sequence[NDArray[np.bool_]],
    method: str,
    dtype: type[np.signedinteger[Any]] = np.int64,
) -> NDArray[Any]:
    how = _resolve_method(groups, method)
    if not masks:
        return np.empty((0, groups.n_groups), dtype=dtype)
    field = _field_dtype(groups.max_size)
    if how == "scatter":
        return _blockwise_fields(
            groups,
            lambda lo, hi: [m[lo:hi] for m in masks],
            len(masks),
            _SCATTER_BLOCK,
            field,
            with_sizes=False,
            dtype=dtype,
        )
    out = np.empty((len(masks), groups.n_groups), dtype=dtype)
    per_word = _fields_per_word(field, how)
    offsets = groups.offsets if how == "segments" else None  # set: _resolve_method checked
    for start in range(0, len(masks), per_word):  # one pass per word of masks
        chunk = masks[start : start + per_word]
        word = _word_dtype(len(chunk) * field.itemsize)
        if offsets is not None:
            sums = _segment_sums_blockwise(offsets, chunk, field, word)
        else:
            packed, _ = _pack(chunk, field, word)
            sums = _bincount_sums(groups, chunk, packed, word)
        out[start : start + len(chunk)] = _fields(sums, field, word, len(chunk))
    return out


def _fields(sums: NDArray[Any], field: np.dtype[Any], word: np.dtype[Any], k: int) -> NDArray[Any]:
    """Return the first ``k`` counters packed in each group's word, one row per counter."""
    n_groups = len(sums)
    return sums.view(field).reshape(n_groups, word.itemsize // field.itemsize)[:, :k].T


def group_counts_blockwise(
    groups: Groups,
    make_masks: Callable[[int, int], Sequence[ArrayLike]],
    n_masks: int,
    *,
    block: int | None = None,
) -> NDArray[np.int64]:
    """Count several masks per group, building the masks one block of members at a time.

    Like :func:`group_counts`, but the masks never exist for all members at once:
    ``make_masks(lo, hi)`` returns the ``n_masks`` masks of members ``lo:hi``, and each
    block is packed and added to per-group counters before the next is built. At 100
    million members this saves 100 MB per mask.

    Parameters
    ----------
    groups : Groups
        Who belongs to which group.
    make_masks : callable
        ``make_masks(lo, hi) -> sequence of n_masks boolean arrays of length hi - lo``.
    n_masks : int
        How many masks it returns.
    block : int, optional
        Members per block (default 65,536).

    Returns
    -------
    ndarray of int64, shape (n_masks, n_groups)

    Examples
    --------
    >>> import numpy as np
    >>> g = Groups.from_codes([0, 1, 0, 0], n_groups=2)
    >>> age = np.array([30, 12, 70, 5])
    >>> print(group_counts_blockwise(g, lambda lo, hi: [age[lo:hi] >= 15, age[lo:hi] < 15], 2,
    ...                              block=3))
    [[2 0]
     [1 1]]
    """
    size = _SCATTER_BLOCK if block is None else int(block)
    if size < 1:
        msg = Message(N_("block must be a positive number of members, got {block!r}"), block=block)
        raise AggregateError(str(msg), argument="block").translatable(msg)
    n, n_groups = groups.n_members, groups.n_groups
    if not groups.sizes_at_hand and n <= _OPTIMISTIC_MEAN_SIZE * n_groups:
        # Small groups (households) and no sizes yet: counting them first would be a
        # pass of its own (a random one on shuffled rows). Count with one-byte fields and
        # the sizes in one more field instead; if no group reached 256 members, which the
        # sizes' total shows, every count is exact and the sizes come for free.
        counts = _blockwise_fields(groups, make_masks, n_masks, size, _UNSIGNED[1], with_sizes=True)
        sizes = counts[n_masks]
        if int(sizes.sum()) == n:
            groups.remember_sizes(sizes)
            return counts[:n_masks]
    field = _field_dtype(groups.max_size)
    return _blockwise_fields(groups, make_masks, n_masks, size, field, with_sizes=False)


# Below this mean group size, group_counts_blockwise bets that no group has 256 members.
_OPTIMISTIC_MEAN_SIZE = 32


def _blockwise_fields(
    groups: Groups,
    make_masks: Callable[[int, int], Sequence[ArrayLike]],
    n_masks: int,
    size: int,
    field: np.dtype[Any],
    *,
    with_sizes: bool,
    dtype: type[np.signedinteger[Any]] = np.int64,
) -> NDArray[Any]:
    """Pack and scatter-add the masks block by block in ``field``-wide counters.

    Each block's masks are packed into one word per member (a few words for many masks)
    and added to the groups' words; the packed words of all members never exist at once,
    which bounds the extra memory at scale. With ``with_sizes`` an all-true mask is
    counted last (row ``n_masks`` of the result): the group sizes, modulo 256 for
    one-byte fields.
    """
    n_fields = n_masks + with_sizes
    per_word = _fields_per_word(field, "scatter")
    starts = list(range(0, n_fields, per_word))
    words = [_word_dtype(min(per_word, n_fields - s) * field.itemsize) for s in starts]
    sums = [np.zeros(groups.n_groups, dtype=w) for w in words]
    codes = groups.codes
    everyone = np.ones(min(size, groups.n_members), bool) if with_sizes else None
    for lo in range(0, groups.n_members, size):
        hi = min(lo + size, groups.n_members)
        masks = [np.asarray(m) for m in make_masks(lo, hi)]
        if len(masks) != n_masks or any(
            m.dtype != np.bool_ or m.shape != (hi - lo,) for m in masks
        ):
            msg = Message(
                N_("make_masks({lo}, {hi}) must return {n} boolean arrays of length {length}"),
                lo=lo,
                hi=hi,
                n=n_masks,
                length=hi - lo,
            )
            raise AggregateError(str(msg), argument="make_masks").translatable(msg)
        if everyone is not None:
            masks.append(everyone[: hi - lo])
        for total, s, word in zip(sums, starts, words, strict=True):
            packed, _ = _pack(masks[s : s + per_word], field, word)
            np.add.at(total, codes[lo:hi], packed)
    out = np.empty((n_fields, groups.n_groups), dtype=dtype)
    for total, s, word in zip(sums, starts, words, strict=True):
        k = min(per_word, n_fields - s)
        out[s : s + k] = _fields(total, field, word, k)
    return out


def _count_one(groups: Groups, mask: NDArray[np.bool_], method: str = "auto") -> NDArray[np.int64]:
    return _count_masks(groups, [mask], method).reshape(groups.n_groups)


# -- counting kernels ----------------------------------------------------------------------


def group_counts(
    groups: Groups,
    masks: Sequence[ArrayLike],
    *,
    method: CountMethod = "auto",
    dtype: type[np.signedinteger[Any]] = np.int64,
) -> NDArray[Any]:
    """Count the members where each mask is true, for several masks in few passes.

    The masks are packed into one unsigned word per member (one field per mask, as
    wide as the largest group needs), so one pass counts up to 8 masks when groups
    have at most 255 members (4 up to 65,535). The counts are exact.

    Parameters
    ----------
    groups : Groups
        Who belongs to which group.
    masks : sequence of ndarray of bool
        Each of length ``groups.n_members``.
    method : {'auto', 'scatter', 'segments', 'bincount'}, default 'auto'
        The counting strategy (module documentation); all give the same counts.
        ``'segments'`` needs sorted groups.
    dtype : numpy signed integer type, default ``np.int64``
        The counts' type: a narrower one shrinks the result (a row per mask and group);
        it must hold the largest group's size (``Groups.max_size``), which no count
        exceeds: ``np.int16`` for households, ``np.int32`` below 2**31 members.

    Returns
    -------
    ndarray of ``dtype``, shape (len(masks), n_groups)

    Raises
    ------
    AggregateError
        If a mask is not boolean or has the wrong length, the method is unknown or needs
        sorted groups, or ``dtype`` cannot hold the number of members.

    Examples
    --------
    >>> import numpy as np
    >>> g = Groups.from_codes([0, 1, 0, 0], n_groups=3)
    >>> adult = np.array([True, True, False, True])
    >>> literate = np.array([True, False, True, True])
    >>> print(group_counts(g, [adult, literate, adult & literate]))
    [[2 1 0]
     [3 0 0]
     [2 0 0]]
    """
    kind = np.dtype(dtype)
    if kind.kind != "i" or (
        np.iinfo(kind).max < groups.n_members and np.iinfo(kind).max < groups.max_size
    ):
        msg = Message(
            N_("dtype must be a signed integer type holding {n} counts, got {dtype}"),
            n=groups.max_size,
            dtype=kind,
        )
        raise AggregateError(str(msg), argument="dtype").translatable(msg)
    checked = [_mask(groups, m, f"masks[{i}]") for i, m in enumerate(masks)]
    return _count_masks(groups, checked, method, dtype)


def group_count(
    groups: Groups, where: ArrayLike | None = None, *, method: CountMethod = "auto"
) -> NDArray[np.int64]:
    """Count the eligible members of each group.

    Parameters
    ----------
    groups : Groups
        Who belongs to which group.
    where : ndarray of bool, optional
        Members to count; all members when omitted (the group sizes).
    method : {'auto', 'scatter', 'segments', 'bincount'}, default 'auto'
        See :func:`group_counts`.

    Returns
    -------
    ndarray of int64, shape (n_groups,)

    Examples
    --------
    >>> import numpy as np
    >>> g = Groups.from_offsets([0, 2, 2, 5])
    >>> print(group_count(g))
    [2 0 3]
    >>> print(group_count(g, where=np.array([True, False, True, True, False])))
    [1 0 2]
    """
    if where is None:
        _resolve_method(groups, method)
        return groups.sizes().copy()
    return _count_one(groups, _mask(groups, where, "where"), method)


def group_any(
    groups: Groups,
    mask: ArrayLike,
    where: ArrayLike | None = None,
    known: ArrayLike | None = None,
) -> NDArray[np.bool_]:
    """Whether any eligible member with a known value has ``mask`` true.

    Computed from counts: ``count(mask & where & known) > 0``. An empty group (or
    one with no eligible known member) gives ``False``.

    Examples
    --------
    >>> import numpy as np
    >>> g = Groups.from_offsets([0, 2, 4, 4])
    >>> print(group_any(g, np.array([False, True, False, False])))
    [ True False False]
    """
    hit = _and(_mask(groups, mask, "mask"), _eligible(groups, where, known))
    return _count_one(groups, hit) > 0


def group_all(
    groups: Groups,
    mask: ArrayLike,
    where: ArrayLike | None = None,
    known: ArrayLike | None = None,
) -> NDArray[np.bool_]:
    """Whether every eligible member with a known value has ``mask`` true.

    Computed from counts: no eligible known member fails, which is the same as
    ``count(mask & where & known) == count(where & known)``. A group with no eligible
    member gives ``True`` (vacuous truth); the rules engine applies the rulebook's
    empty-group policy using :func:`group_count` with the same ``where``.

    Examples
    --------
    >>> import numpy as np
    >>> g = Groups.from_offsets([0, 2, 4, 4])
    >>> in_school = np.array([True, False, True, True])
    >>> school_age = np.array([True, False, True, False])
    >>> print(group_all(g, in_school, where=school_age))
    [ True  True  True]
    >>> print(group_all(g, in_school))
    [False  True  True]
    """
    checked = _mask(groups, mask, "mask")
    eligible = _eligible(groups, where, known)
    # eligible & ~mask in one pass (a > b is a and not b for booleans).
    fails: NDArray[np.bool_] = ~checked if eligible is None else np.greater(eligible, checked)
    passed: NDArray[np.bool_] = _count_one(groups, fails) == 0
    return passed


def group_count_at_least(
    groups: Groups,
    mask: ArrayLike,
    k: int,
    where: ArrayLike | None = None,
    known: ArrayLike | None = None,
) -> NDArray[np.bool_]:
    """Whether at least ``k`` eligible members with a known value have ``mask`` true.

    Parameters
    ----------
    groups : Groups
        Who belongs to which group.
    mask : ndarray of bool
        The test each member passes or fails.
    k : int
        The minimum number; ``k <= 0`` is true for every group, even empty ones.
    where, known : ndarray of bool, optional
        Eligible members, and members whose value is known (module documentation).

    Returns
    -------
    ndarray of bool, shape (n_groups,)

    Examples
    --------
    >>> import numpy as np
    >>> g = Groups.from_offsets([0, 3, 4])
    >>> print(group_count_at_least(g, np.array([True, True, False, True]), 2))
    [ True False]
    """
    if isinstance(k, bool) or not isinstance(k, int | np.integer):
        msg = Message(N_("k must be an integer, got {k!r}"), k=k)
        raise AggregateError(str(msg), argument="k").translatable(msg)
    hit = _and(_mask(groups, mask, "mask"), _eligible(groups, where, known))
    return _count_one(groups, hit) >= int(k)


def group_share(
    groups: Groups,
    mask: ArrayLike,
    where: ArrayLike | None = None,
    known: ArrayLike | None = None,
    *,
    method: CountMethod = "auto",
) -> Rate:
    """Return the share of eligible members with a known value that have ``mask`` true.

    ``denominator = count(where & known)``, ``numerator = count(mask & where & known)``,
    ``missing = count(where & ~known)``, all counted in one packed pass.

    Parameters
    ----------
    groups : Groups
        Who belongs to which group.
    mask : ndarray of bool
        The test.
    where : ndarray of bool, optional
        Eligible members (all when omitted).
    known : ndarray of bool, optional
        Members whose ``mask`` value is known (all when omitted).
    method : {'auto', 'scatter', 'segments', 'bincount'}, default 'auto'
        See :func:`group_counts`.

    Returns
    -------
    Rate
        With status ``EMPTY`` for groups without eligible members and ``MISSING`` for
        groups whose eligible members all have unknown values.

    Examples
    --------
    >>> import numpy as np
    >>> g = Groups.from_offsets([0, 3, 4, 4])
    >>> learning = np.array([True, False, True, False])
    >>> known = np.array([True, True, False, False])
    >>> r = group_share(g, learning, known=known)
    >>> print(r.numerator, r.denominator, r.missing)
    [1 0 0] [2 0 0] [1 1 0]
    >>> [str(s) for s in r.statuses()]
    ['OK', 'MISSING', 'EMPTY']
    """
    checked = _mask(groups, mask, "mask")
    eligible = _eligible(groups, where, known)
    missing = _missing(groups, where, known)
    masks = [_and(checked, eligible)]
    if eligible is not None:
        masks.append(eligible)
    if missing is not None:
        masks.append(missing)
    counts = _count_masks(groups, masks, method)
    denominator = groups.sizes() if eligible is None else counts[1]
    return Rate(
        numerator=counts[0],
        denominator=denominator,
        missing=counts[-1] if missing is not None else np.zeros(groups.n_groups, np.int64),
    )


# -- value kernels -------------------------------------------------------------------------


def _int64_values(values: NDArray[Any], eligible: NDArray[np.bool_] | None) -> NDArray[np.int64]:
    if values.dtype == np.uint64 and values.size and int(values.max()) >= 2**63:
        msg = Message(
            N_("values holds {value}, too large to sum in int64"), value=int(values.max())
        )
        raise AggregateError(str(msg), argument="values").translatable(msg)
    if eligible is None:
        return values.astype(np.int64, copy=False)
    terms: NDArray[np.int64] = np.multiply(values, eligible, dtype=np.int64)
    return terms


def group_sum(
    groups: Groups,
    values: ArrayLike,
    where: ArrayLike | None = None,
    known: ArrayLike | None = None,
) -> NDArray[np.int64] | NDArray[np.float64]:
    """Sum the known values of eligible members.

    Parameters
    ----------
    groups : Groups
        Who belongs to which group.
    values : ndarray of bool, int or float
        One value per member.
    where, known : ndarray of bool, optional
        Eligible members, and members whose value is known (module documentation).

    Returns
    -------
    ndarray, shape (n_groups,)
        int64 for boolean and integer values (exact; wraps on int64 overflow like
        numpy), float64 for float values (summed in member order). Empty groups get 0.

    Examples
    --------
    >>> import numpy as np
    >>> g = Groups.from_codes([0, 1, 0, 2], n_groups=4)
    >>> print(group_sum(g, np.array([5, 7, 1, 2], dtype=np.uint8)))
    [6 7 2 0]
    >>> hours = np.array([0.5, 1.0, 0.25, 2.0])
    >>> print(group_sum(g, hours, where=np.array([True, True, False, True])))
    [0.5 1.  2.  0. ]
    """
    checked = _values(groups, values)
    eligible = _eligible(groups, where, known)
    kind = checked.dtype.kind
    if kind == "b":
        return _count_one(groups, _and(checked, eligible))
    if kind in "iu":
        if groups.codes_at_hand or groups.offsets is None:
            totals = np.zeros(groups.n_groups, dtype=np.int64)
            np.add.at(totals, groups.codes, _int64_values(checked, eligible))
            return totals
        terms = _int64_values(checked, eligible)
        return _segment_sums(groups.offsets, terms, np.dtype(np.int64))
    weights = checked if eligible is None else np.where(eligible, checked, 0.0)
    totals = np.bincount(groups.codes, weights=weights, minlength=groups.n_groups)
    # With no members at all, bincount returns int64 zeros even with weights.
    return totals.astype(np.float64, copy=False)


def _identity(dtype: np.dtype[Any], kind: Literal["min", "max"]) -> Any:
    if dtype.kind == "f":
        return dtype.type(np.inf if kind == "min" else -np.inf)
    info = np.iinfo(dtype)
    return dtype.type(info.max if kind == "min" else info.min)


def _fill_value(fill: float, dtype: np.dtype[Any]) -> Any:
    """Return ``fill`` as a scalar of ``dtype`` (uint8 0/1 for booleans), if it fits."""
    number = isinstance(fill, int | float | np.number) and not isinstance(fill, np.bool_)
    if dtype == np.bool_:
        if number and fill in (0, 1):
            return np.uint8(fill)
    elif dtype.kind == "f":
        if number:
            with np.errstate(over="ignore"):
                return dtype.type(fill)
    elif number and float(fill).is_integer():
        integer = int(fill)
        info = np.iinfo(dtype)
        if info.min <= integer <= info.max:
            return dtype.type(integer)
    msg = Message(
        N_("fill must be a value that fits the values dtype {dtype}, got {fill!r}"),
        dtype=dtype,
        fill=fill,
    )
    raise AggregateError(str(msg), argument="fill").translatable(msg)


def _extreme(
    groups: Groups,
    values: ArrayLike,
    where: ArrayLike | None,
    known: ArrayLike | None,
    fill: float | None,
    kind: Literal["min", "max"],
) -> NDArray[Any]:
    checked = _values(groups, values)
    eligible = _eligible(groups, where, known)
    is_bool = checked.dtype == np.bool_
    # Booleans as uint8 (0/1): ufunc.at has no typed path for bool (9x slower, module doc).
    work = checked.view(np.uint8) if is_bool else checked
    identity = np.uint8(1 if kind == "min" else 0) if is_bool else _identity(work.dtype, kind)
    ufunc = np.minimum if kind == "min" else np.maximum
    if eligible is not None:
        work = np.where(eligible, work, identity)
    out = np.full(groups.n_groups, identity, dtype=work.dtype)
    # NaN propagates by design (module doc); numpy would also warn about it.
    with np.errstate(invalid="ignore"):
        if groups.codes_at_hand or groups.offsets is None:
            ufunc.at(out, groups.codes, work)
        else:
            nonempty = groups.sizes() > 0
            if nonempty.any():
                # Only non-empty starts: reduceat would read one element for an empty segment.
                out[nonempty] = ufunc.reduceat(work, groups.offsets[:-1][nonempty])
    if fill is not None:
        value = _fill_value(fill, checked.dtype)
        if value != identity:
            counted = groups.sizes() if eligible is None else _count_one(groups, eligible)
            out[counted == 0] = value
    return out.view(np.bool_) if is_bool else out


def group_min(
    groups: Groups,
    values: NDArray[_ScalarT],
    where: ArrayLike | None = None,
    known: ArrayLike | None = None,
    fill: float | None = None,
) -> NDArray[_ScalarT]:
    """Return the smallest known value among eligible members, in the values' dtype.

    Parameters
    ----------
    groups : Groups
        Who belongs to which group.
    values : ndarray of bool, int or float
        One value per member.
    where, known : ndarray of bool, optional
        Eligible members, and members whose value is known (module documentation).
    fill : scalar, optional
        The result for groups with no eligible known member. By default the
        identity of ``min``: the dtype's largest value (``inf`` for floats,
        ``True`` for booleans), which is what merging partials needs.

    Returns
    -------
    ndarray, shape (n_groups,), dtype of ``values``

    Raises
    ------
    AggregateError
        If ``fill`` cannot be stored in the dtype of ``values``.

    Examples
    --------
    >>> import numpy as np
    >>> g = Groups.from_offsets([0, 3, 3])
    >>> age = np.array([40, 12, 38], dtype=np.int16)
    >>> print(group_min(g, age, fill=-1))
    [12 -1]
    >>> print(group_min(g, age, where=age >= 15))
    [   38 32767]
    """
    return _extreme(groups, values, where, known, fill, "min")


def group_max(
    groups: Groups,
    values: NDArray[_ScalarT],
    where: ArrayLike | None = None,
    known: ArrayLike | None = None,
    fill: float | None = None,
) -> NDArray[_ScalarT]:
    """Return the largest known value among eligible members, in the values' dtype.

    Same parameters as :func:`group_min`; the default ``fill`` is the dtype's
    smallest value (``-inf`` for floats, ``False`` for booleans).

    Examples
    --------
    >>> import numpy as np
    >>> g = Groups.from_codes([1, 1, 0], n_groups=3)
    >>> print(group_max(g, np.array([2.5, 4.0, 1.0]), fill=np.nan))
    [ 1.  4. nan]
    """
    return _extreme(groups, values, where, known, fill, "max")


def group_mean(
    groups: Groups,
    values: ArrayLike,
    where: ArrayLike | None = None,
    known: ArrayLike | None = None,
) -> Mean:
    """Return the mean of the known values of eligible members, with its counts.

    Returns
    -------
    Mean
        ``total`` as in :func:`group_sum` (int64 or float64), ``count`` of summed
        values, ``missing`` eligible members with unknown values; ``.value()`` is NaN
        where ``count`` is 0, and ``.status`` tells empty from missing.

    Examples
    --------
    >>> import numpy as np
    >>> g = Groups.from_offsets([0, 3, 4])
    >>> hours = np.array([40, 20, 0, 10])
    >>> m = group_mean(g, hours, known=np.array([True, True, False, False]))
    >>> print(m.total, m.count, m.missing)
    [60  0] [2 0] [1 1]
    >>> print(m.value())
    [30. nan]
    """
    checked = _values(groups, values)
    eligible = _eligible(groups, where, known)
    missing = _missing(groups, where, known)
    masks: list[NDArray[np.bool_]] = []
    if eligible is not None:
        masks.append(eligible)
    if missing is not None:
        masks.append(missing)
    if checked.dtype == np.bool_:
        masks.insert(0, _and(checked, eligible))
        counts = _count_masks(groups, masks, "auto")
        total: NDArray[Any] = counts[0]
        counts = counts[1:]
    else:
        total = group_sum(groups, checked, where, known)
        counts = _count_masks(groups, masks, "auto")
    count = groups.sizes() if eligible is None else counts[0]
    zeros = np.zeros(groups.n_groups, dtype=np.int64)
    return Mean(total=total, count=count, missing=counts[-1] if missing is not None else zeros)
