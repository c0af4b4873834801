"""Membership of members in groups: persons in households, households in villages.

A :class:`Groups` says which group each member belongs to. It is built once per
grouping and handed to every kernel in :mod:`learnsoc.aggregate.kernels`.

Two layouts are supported, and every kernel gives the same counts for both:

* **sorted segments** (:meth:`Groups.from_offsets`): the members of group ``g`` are
  the rows ``offsets[g]:offsets[g + 1]``, as when persons are sorted by household.
  Only the ``n_groups + 1`` offsets are stored; the per-member codes are built the
  first time something needs them (``groups.codes``, a float sum, ``scatter``
  counting) and then cached. At 100M members the codes are 800 MB of ``intp``,
  so sorted data that is only counted never pays for them. Once built, the kernels
  use them (scatter counting is up to 3x faster than segments for one mask, see
  :mod:`learnsoc.aggregate.kernels`): reading ``groups.codes`` once trades that
  memory for speed.
* **unsorted codes** (:meth:`Groups.from_codes`): ``codes[i]`` is the group of member
  ``i``, in any order. The codes are stored as ``intp`` (``np.bincount`` and
  ``np.add.at`` would otherwise cast them to ``intp`` on every call). When the
  codes happen to be sorted, ``from_codes`` also records the offsets (one O(N)
  check, skipped with ``detect_sorted=False``).

Examples
--------
>>> import numpy as np
>>> from learnsoc.aggregate import Groups
>>> households = Groups.from_offsets([0, 3, 3, 5])
>>> households
Groups(n_groups=3, n_members=5, sorted=True)
>>> print(households.sizes())
[3 0 2]
>>> print(households.codes)
[0 0 0 2 2]
>>> print(households.expand(np.array([10, 20, 30])))
[10 10 10 30 30]
"""

from __future__ import annotations

import operator
from typing import Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from learnsoc._arrays import max_gap, offsets_from_sorted
from learnsoc._arrays import readonly as _readonly
from learnsoc._messages import N_, Message
from learnsoc.errors import LearnsocError

__all__ = [
    "AggregateError",
    "Groups",
    "n_groups_count",
]


class AggregateError(LearnsocError, ValueError):
    """An aggregation was given arguments it cannot use.

    Raised for group codes out of range, offsets that go backwards, arrays whose
    length does not match the number of members or groups, masks that are not
    boolean, thresholds that are not finite numbers, and partials that do not
    match. The message names the argument, what was expected and what was found.

    Parameters
    ----------
    message : str
        The full sentence to show.
    argument : str or None
        The name of the offending argument (``"where"``, ``"codes"`` ...), if one.

    Examples
    --------
    >>> err = AggregateError("where has 2 values but there are 3 members", argument="where")
    >>> err.argument, isinstance(err, ValueError)
    ('where', True)
    """

    def __init__(self, message: str, *, argument: str | None = None) -> None:
        self.argument = argument
        super().__init__(message)


#: Shared by ``Groups`` and ``Partial``: ``n_groups`` is not a count.
NOT_A_COUNT = N_("{name} must be a non-negative integer, got {value!r}")


def _as_index_array(
    values: ArrayLike, name: str, dtype: type[np.signedinteger[Any]]
) -> NDArray[Any]:
    array = np.asarray(values)
    if array.ndim != 1:
        msg = Message(
            N_("{name} must be a one-dimensional array, got {ndim} dimensions"),
            name=name,
            ndim=array.ndim,
        )
        raise AggregateError(str(msg), argument=name).translatable(msg)
    if array.size == 0:
        return np.zeros(0, dtype=dtype)
    if array.dtype.kind not in "iu":
        msg = Message(
            N_("{name} must hold integers, got dtype {dtype}"), name=name, dtype=array.dtype
        )
        raise AggregateError(str(msg), argument=name).translatable(msg)
    if array.dtype.kind == "u" and array.dtype.itemsize >= np.dtype(dtype).itemsize:
        top = int(array.max())
        if top > np.iinfo(dtype).max:
            msg = Message(
                N_("{name} holds {value}, too large for {dtype}"),
                name=name,
                value=top,
                dtype=np.dtype(dtype).name,
            )
            raise AggregateError(str(msg), argument=name).translatable(msg)
    return array.astype(dtype, copy=False)


def n_groups_count(n_groups: object) -> int:
    """Return ``n_groups`` as an int, or raise an :class:`AggregateError` if it is no count.

    A bool is not a count; a numpy integer is.

    Examples
    --------
    >>> n_groups_count(np.int32(3))
    3
    >>> n_groups_count(-1)
    Traceback (most recent call last):
    ...
    learnsoc.aggregate.groups.AggregateError: n_groups must be a non-negative integer, got -1
    """
    if isinstance(n_groups, bool) or not isinstance(n_groups, int | np.integer):
        msg = Message(NOT_A_COUNT, name="n_groups", value=n_groups)
        raise AggregateError(str(msg), argument="n_groups").translatable(msg)
    count = operator.index(n_groups)
    if count < 0:
        msg = Message(NOT_A_COUNT, name="n_groups", value=count)
        raise AggregateError(str(msg), argument="n_groups").translatable(msg)
    return count


def _check_codes(codes: NDArray[np.intp], n_groups: int) -> None:
    if codes.size == 0:
        return
    low, high = int(codes.min()), int(codes.max())
    if low >= 0 and high < n_groups:
        return
    bad = np.flatnonzero((codes < 0) | (codes >= n_groups))
    first = int(bad[0])
    msg = Message(
        N_(
            "codes must lie in 0..n_groups-1 = 0..{last}; {n} do not, "
            "the first is {value} at position {position}"
        ),
        last=n_groups - 1,
        n=bad.size,
        value=int(codes[first]),
        position=first,
    )
    raise AggregateError(str(msg), argument="codes").translatable(msg)


def _check_offsets(offsets: NDArray[np.int64]) -> None:
    if offsets.size == 0:
        msg = Message(
            N_("offsets must have n_groups + 1 entries (at least [0]), got an empty array")
        )
        raise AggregateError(str(msg), argument="offsets").translatable(msg)
    if offsets[0] != 0:
        msg = Message(N_("offsets must start at 0, got {value}"), value=int(offsets[0]))
        raise AggregateError(str(msg), argument="offsets").translatable(msg)
    steps = np.diff(offsets)
    if steps.size and steps.min() < 0:
        first = int(np.flatnonzero(steps < 0)[0])
        msg = Message(
            N_("offsets must never decrease; offsets[{i}] = {left} but offsets[{j}] = {right}"),
            i=first,
            left=int(offsets[first]),
            j=first + 1,
            right=int(offsets[first + 1]),
        )
        raise AggregateError(str(msg), argument="offsets").translatable(msg)


def _sorted_offsets(codes: NDArray[np.intp], n_groups: int) -> NDArray[np.int64] | None:
    if codes.size > 1 and not bool(np.all(codes[1:] >= codes[:-1])):
        return None
    return offsets_from_sorted(codes, n_groups)


@attrs.frozen(eq=False, repr=False)
class Groups:
    """Membership of N members in ``n_groups`` groups (persons in households ...).

    Build it with :meth:`from_offsets` (members sorted by group) or
    :meth:`from_codes` (any order) rather than with the constructor. Groups
    compare by identity; the arrays are read-only.

    Parameters
    ----------
    n_groups : int
        Number of groups, including empty ones; kernel results have this length.
    codes : ndarray of intp or None
        Group index of each member, ``0 <= code < n_groups``. May be ``None`` when
        ``offsets`` is given: it is then built from the offsets on first use.
    offsets : ndarray of int64 or None
        When the members are sorted by group, the members of group ``g`` are
        ``offsets[g]:offsets[g + 1]`` (``n_groups + 1`` entries); else ``None``.

    Raises
    ------
    AggregateError
        If a code is out of range, the offsets decrease or do not start at 0, or
        codes and offsets disagree.

    Examples
    --------
    >>> import numpy as np
    >>> g = Groups.from_codes(np.array([1, 0, 1, 1]), n_groups=3)
    >>> g.n_groups, g.n_members, g.offsets is None
    (3, 4, True)
    >>> print(g.sizes())
    [1 3 0]
    """

    n_groups: int = attrs.field(converter=n_groups_count)
    _codes: NDArray[np.intp] | None = attrs.field(alias="codes")
    offsets: NDArray[np.int64] | None = attrs.field()
    # Lazily computed arrays (codes from offsets, sizes); a frozen class can still fill a dict.
    _cache: dict[str, NDArray[Any]] = attrs.field(factory=dict, init=False)

    def __attrs_post_init__(self) -> None:
        codes, offsets = self._codes, self.offsets
        if codes is None and offsets is None:
            msg = Message(
                N_("Groups needs codes or offsets (use Groups.from_codes or Groups.from_offsets)")
            )
            raise AggregateError(str(msg), argument="codes").translatable(msg)
        if offsets is not None:
            offsets = _readonly(_as_index_array(offsets, "offsets", np.int64))
            _check_offsets(offsets)
            if offsets.size != self.n_groups + 1:
                msg = Message(
                    N_("offsets must have n_groups + 1 = {expected} entries, got {n}"),
                    expected=self.n_groups + 1,
                    n=offsets.size,
                )
                raise AggregateError(str(msg), argument="offsets").translatable(msg)
            object.__setattr__(self, "offsets", offsets)
        if codes is not None:
            codes = _readonly(_as_index_array(codes, "codes", np.intp))
            _check_codes(codes, self.n_groups)
            object.__setattr__(self, "_codes", codes)
            if offsets is not None:
                expected = _sorted_offsets(codes, self.n_groups)
                if expected is None or not np.array_equal(expected, offsets):
                    msg = Message(
                        N_("codes and offsets disagree: codes must be the group of each row")
                    )
                    raise AggregateError(str(msg), argument="codes").translatable(msg)

    @classmethod
    def from_offsets(cls, offsets: ArrayLike) -> Groups:
        """Build groups of members sorted by group, from segment offsets.

        Parameters
        ----------
        offsets : array_like of int
            ``n_groups + 1`` non-decreasing integers starting at 0; the members of
            group ``g`` are ``offsets[g]:offsets[g + 1]`` and ``offsets[-1]`` is the
            number of members. Repeated values are empty groups.

        Returns
        -------
        Groups
            Groups that store only the offsets; ``codes`` are built on first use.

        Raises
        ------
        AggregateError
            If the offsets are not integers, do not start at 0 or decrease.

        Examples
        --------
        >>> g = Groups.from_offsets([0, 2, 2, 3, 3])
        >>> g.n_groups, g.n_members
        (4, 3)
        >>> print(g.codes)
        [0 0 2]
        """
        array = _as_index_array(offsets, "offsets", np.int64)
        if array.size == 0:
            _check_offsets(array)  # raises with the message for an empty array
        return cls(n_groups=array.size - 1, codes=None, offsets=array)

    @classmethod
    def from_codes(cls, codes: ArrayLike, n_groups: int, *, detect_sorted: bool = True) -> Groups:
        """Build groups from the group index of each member, in any order.

        Parameters
        ----------
        codes : array_like of int
            Group index of each member, ``0 <= code < n_groups``. Converted to
            ``intp`` (a copy unless already ``intp``); the result holds a read-only
            view, so do not modify the array afterwards.
        n_groups : int
            Number of groups, including groups that no member belongs to.
        detect_sorted : bool, default True
            Check (one O(N) pass) whether the codes are non-decreasing and, if so,
            also record the segment offsets so ``method="segments"`` is available.

        Returns
        -------
        Groups

        Raises
        ------
        AggregateError
            If the codes are not integers or a code is outside ``0..n_groups-1``.

        Examples
        --------
        >>> g = Groups.from_codes([0, 0, 2], n_groups=4)
        >>> print(g.offsets)
        [0 2 2 3 3]
        >>> Groups.from_codes([2, 0, 0], n_groups=4).offsets is None
        True
        >>> Groups.from_codes([0, 5], n_groups=4)
        Traceback (most recent call last):
        ...
        learnsoc.aggregate.groups.AggregateError: codes must lie in 0..n_groups-1 = 0..3; ...
        """
        array = _as_index_array(codes, "codes", np.intp)
        groups = cls(n_groups=n_groups, codes=array, offsets=None)
        if detect_sorted:
            offsets = _sorted_offsets(groups.codes, groups.n_groups)
            if offsets is not None:
                object.__setattr__(groups, "offsets", _readonly(offsets))
        return groups

    @property
    def codes(self) -> NDArray[np.intp]:
        """The group index of each member (read-only ``intp``; built from offsets once)."""
        if self._codes is not None:
            return self._codes
        cached = self._cache.get("codes")
        if cached is None:
            group_ids = np.arange(self.n_groups, dtype=np.intp)
            cached = _readonly(np.repeat(group_ids, self.sizes()))
            self._cache["codes"] = cached
        return cached

    @property
    def codes_at_hand(self) -> bool:
        """Whether the per-member codes exist already (no O(N) build to use them)."""
        return self._codes is not None or "codes" in self._cache

    @property
    def sizes_at_hand(self) -> bool:
        """Whether the group sizes exist already (offsets, or counted once before)."""
        return self.offsets is not None or "sizes" in self._cache

    def remember_sizes(self, sizes: NDArray[np.int64]) -> None:
        """Keep the group sizes a kernel counted on the way, so no pass counts them again.

        Only exact sizes may be kept: one per group, adding up to :attr:`n_members`
        (checked, a cost of one pass over the groups, not the members).

        Parameters
        ----------
        sizes : ndarray of int64
            The number of members of each group.

        Examples
        --------
        >>> import numpy as np
        >>> g = Groups.from_codes(np.array([1, 0, 1]), n_groups=2)
        >>> g.sizes_at_hand
        False
        >>> g.remember_sizes(np.array([1, 2]))
        >>> g.sizes_at_hand, g.sizes().tolist()
        (True, [1, 2])
        >>> g.remember_sizes(np.array([1, 1]))
        Traceback (most recent call last):
        ...
        learnsoc.aggregate.groups.AggregateError: sizes must be one count per group (2) ...
        """
        if sizes.shape != (self.n_groups,) or int(sizes.sum()) != self.n_members:
            msg = Message(
                N_("sizes must be one count per group ({n_groups}) adding up to {n_members}"),
                n_groups=self.n_groups,
                n_members=self.n_members,
            )
            raise AggregateError(str(msg), argument="sizes").translatable(msg)
        self._cache["sizes"] = _readonly(sizes)

    @property
    def n_members(self) -> int:
        """The number of members N."""
        if self.offsets is not None:
            return int(self.offsets[-1])
        return int(self.codes.size)

    @property
    def is_sorted(self) -> bool:
        """Whether the members are sorted by group (``offsets`` is set)."""
        return self.offsets is not None

    @property
    def max_size(self) -> int:
        """The number of members of the largest group (0 when there are no groups)."""
        cached = self._cache.get("max_size")
        if cached is None:
            if self.offsets is not None and "sizes" not in self._cache:
                # From the offsets: the sizes (8 bytes a group) may never be needed.
                cached = np.array(max_gap(self.offsets))
            else:
                sizes = self.sizes()
                cached = np.array(sizes.max() if sizes.size else 0)
            self._cache["max_size"] = cached
        return int(cached)

    def sizes(self) -> NDArray[np.int64]:
        """Return the number of members of each group.

        Returns
        -------
        ndarray of int64, shape (n_groups,)
            Read-only and cached: copy it before modifying.

        Examples
        --------
        >>> print(Groups.from_codes([3, 3, 0], n_groups=5).sizes())
        [1 0 0 2 0]
        """
        cached = self._cache.get("sizes")
        if cached is None:
            if self.offsets is not None:
                cached = np.diff(self.offsets)
            else:
                # Without offsets the codes were given, so this does not recurse.
                cached = np.bincount(self.codes, minlength=self.n_groups).astype(
                    np.int64, copy=False
                )
            cached = _readonly(cached)
            self._cache["sizes"] = cached
        return cached

    def expand(self, group_values: ArrayLike) -> NDArray[Any]:
        """Broadcast one value per group to the group's members (``values[codes]``).

        Parameters
        ----------
        group_values : array_like, shape (n_groups, ...)
            One value (or row) per group.

        Returns
        -------
        ndarray, shape (n_members, ...)
            A new array with the dtype of ``group_values``.

        Raises
        ------
        AggregateError
            If ``group_values`` does not have one entry per group.

        Examples
        --------
        >>> g = Groups.from_codes([1, 0, 1], n_groups=2)
        >>> print(g.expand([True, False]))
        [False  True False]
        """
        values = np.asarray(group_values)
        if values.ndim == 0 or values.shape[0] != self.n_groups:
            if values.ndim == 0:
                template = N_("group_values must have one value per group ({n}), got a scalar")
            else:
                template = N_("group_values must have one value per group ({n}), got {got} values")
            msg = Message(template, n=self.n_groups, got=values.shape[0] if values.ndim else None)
            raise AggregateError(str(msg), argument="group_values").translatable(msg)
        if self.codes_at_hand or self.offsets is None:
            return values[self.codes]
        # Sorted groups without codes yet: repeat each value, so no codes are built.
        return np.repeat(values, self.sizes(), axis=0)

    def __repr__(self) -> str:
        return (
            f"Groups(n_groups={self.n_groups}, n_members={self.n_members}, sorted={self.is_sorted})"
        )
