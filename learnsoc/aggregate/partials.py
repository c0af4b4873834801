"""Mergeable partial aggregates: per-group sums, minimums and maximums by measure name.

A :class:`Partial` is an element of a commutative monoid: :meth:`Partial.merge` is
associative and commutative, and :meth:`Partial.identity` changes nothing when merged.
So a population can be aggregated in any chunks (whole groups per chunk, or arbitrary
runs of members sharing the same group codes), in any order, in memory, from Parquet
batches or across processes, and the merged result equals one pass over everything.
Counts are sums of boolean masks; rates are built from summed counts (:meth:`Partial.rate`).

Sums are int64 (booleans and integers, exact) or float64 (floats: merging in another
order may change the last bits). Minimums and maximums keep the values' dtype; the
identity of a minimum is the dtype's largest value (``inf`` for floats, ``True`` for
booleans) and of a maximum its smallest, which is also what a group without members
holds. Partials know nothing of the administrative hierarchy: :meth:`Partial.coarsen`
takes any :class:`~learnsoc.aggregate.groups.Groups` that maps these groups to larger ones.

Examples
--------
>>> import numpy as np
>>> from learnsoc.aggregate import Groups, Partial
>>> households = Groups.from_codes([0, 0, 1, 1, 1], n_groups=2)
>>> age = np.array([40, 12, 70, 35, 8])
>>> adult = age >= 15
>>> whole = Partial.from_members(households, sums={"adults": adult}, maxs={"age": age})
>>> first = Partial.from_members(
...     Groups.from_codes([0, 0, 1], n_groups=2), sums={"adults": adult[:3]}, maxs={"age": age[:3]}
... )
>>> rest = Partial.from_members(
...     Groups.from_codes([1, 1], n_groups=2), sums={"adults": adult[3:]}, maxs={"age": age[3:]}
... )
>>> merged = first.merge(rest)
>>> print(merged.sums["adults"], merged.maxs["age"])
[1 2] [40 70]
>>> merged.equals(whole)
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any

import attrs
import numpy as np
from numpy.typing import ArrayLike, DTypeLike, NDArray

from learnsoc._messages import N_, Message
from learnsoc.aggregate.groups import AggregateError, Groups, n_groups_count
from learnsoc.aggregate.kernels import group_max, group_min, group_sum
from learnsoc.aggregate.rate import Rate

__all__ = ["Partial"]

_KINDS = ("sums", "mins", "maxs")


def _frozen_mapping(value: Mapping[str, ArrayLike] | None) -> Mapping[str, NDArray[Any]]:
    items: dict[str, NDArray[Any]] = {}
    # Typed as object: callers outside mypy can pass any key, and the check must run.
    pairs: Sequence[tuple[object, ArrayLike]] = list((value or {}).items())
    for name, array in pairs:
        if not isinstance(name, str):
            msg = Message(N_("measure names must be strings, got {name!r}"), name=name)
            raise AggregateError(str(msg), argument="name").translatable(msg)
        view = np.asarray(array).view()
        view.flags.writeable = False
        items[name] = view
    return MappingProxyType(items)


def _min_identity(dtype: np.dtype[Any]) -> Any:
    if dtype == np.bool_:
        return True
    if dtype.kind == "f":
        return np.inf
    return np.iinfo(dtype).max


def _max_identity(dtype: np.dtype[Any]) -> Any:
    if dtype == np.bool_:
        return False
    if dtype.kind == "f":
        return -np.inf
    return np.iinfo(dtype).min


def _describe_keys(kind: str, left: Mapping[str, Any], right: Mapping[str, Any]) -> Message:
    only_left = ", ".join(map(repr, sorted(set(left) - set(right))))
    only_right = ", ".join(map(repr, sorted(set(right) - set(left))))
    if only_left and only_right:
        template = N_(
            "cannot merge partials: their {kind} differ "
            "({left} only on the left; {right} only on the right)"
        )
    elif only_left:
        template = N_("cannot merge partials: their {kind} differ ({left} only on the left)")
    else:
        template = N_("cannot merge partials: their {kind} differ ({right} only on the right)")
    return Message(template, kind=kind, left=only_left, right=only_right)


@attrs.frozen(eq=False, repr=False)
class Partial:
    """Counts, sums, mins and maxes per group keyed by measure name: a commutative monoid.

    Parameters
    ----------
    n_groups : int
        Number of groups; every array has this length.
    sums : mapping of str to ndarray, optional
        Per-group sums, int64 or float64 (counts are sums of masks).
    mins, maxs : mapping of str to ndarray, optional
        Per-group minimums and maximums, in the dtype of the values.

    Raises
    ------
    AggregateError
        If an array has the wrong length or dimension, or a sum is not int64/float64.

    Examples
    --------
    >>> import numpy as np
    >>> p = Partial(n_groups=2, sums={"persons": np.array([3, 1])})
    >>> p
    Partial(n_groups=2, sums=['persons'], mins=[], maxs=[])
    >>> print(p.merge(p).sums["persons"])
    [6 2]
    """

    n_groups: int = attrs.field(converter=n_groups_count)
    sums: Mapping[str, NDArray[Any]] = attrs.field(factory=dict, converter=_frozen_mapping)
    mins: Mapping[str, NDArray[Any]] = attrs.field(factory=dict, converter=_frozen_mapping)
    maxs: Mapping[str, NDArray[Any]] = attrs.field(factory=dict, converter=_frozen_mapping)

    def __attrs_post_init__(self) -> None:
        for kind in _KINDS:
            for name, array in getattr(self, kind).items():
                if array.ndim != 1 or array.size != self.n_groups:
                    msg = Message(
                        N_(
                            "{kind}[{name!r}] must have one value per group ({n}), "
                            "got shape {shape}"
                        ),
                        kind=kind,
                        name=name,
                        n=self.n_groups,
                        shape=array.shape,
                    )
                    raise AggregateError(str(msg), argument=kind).translatable(msg)
                allowed = ("int64", "float64") if kind == "sums" else None
                if allowed is not None and array.dtype.name not in allowed:
                    msg = Message(
                        N_("sums[{name!r}] must be int64 or float64, got {dtype}"),
                        name=name,
                        dtype=array.dtype,
                    )
                    raise AggregateError(str(msg), argument=kind).translatable(msg)
                if array.dtype.kind not in "biuf":
                    msg = Message(
                        N_("{kind}[{name!r}] must hold numbers or booleans, got {dtype}"),
                        kind=kind,
                        name=name,
                        dtype=array.dtype,
                    )
                    raise AggregateError(str(msg), argument=kind).translatable(msg)

    @classmethod
    def identity(
        cls,
        n_groups: int,
        sum_names: tuple[str, ...] | list[str] = (),
        min_names: tuple[str, ...] | list[str] = (),
        max_names: tuple[str, ...] | list[str] = (),
        dtypes: Mapping[str, DTypeLike] | None = None,
    ) -> Partial:
        """Return the partial that changes nothing when merged.

        Parameters
        ----------
        n_groups : int
            Number of groups.
        sum_names, min_names, max_names : sequence of str
            The measures.
        dtypes : mapping of str to dtype, optional
            The dtype of each measure (int64 when not given). Sums: int64 or float64.

        Returns
        -------
        Partial
            Sums 0; minimums the dtype's largest value (``inf``, ``True``);
            maximums its smallest (``-inf``, ``False``).

        Examples
        --------
        >>> import numpy as np
        >>> e = Partial.identity(2, sum_names=["hours"], min_names=["age"],
        ...                      dtypes={"hours": np.float64, "age": np.int8})
        >>> print(e.sums["hours"], e.mins["age"])
        [0. 0.] [127 127]
        """
        types = dict(dtypes or {})

        def dtype(name: str) -> np.dtype[Any]:
            return np.dtype(types.get(name, np.int64))

        count = n_groups_count(n_groups)
        return cls(
            n_groups=count,
            sums={name: np.zeros(count, dtype=dtype(name)) for name in sum_names},
            mins={
                name: np.full(count, _min_identity(dtype(name)), dtype(name)) for name in min_names
            },
            maxs={
                name: np.full(count, _max_identity(dtype(name)), dtype(name)) for name in max_names
            },
        )

    def identity_like(self) -> Partial:
        """Return the identity with this partial's groups, measures and dtypes.

        Examples
        --------
        >>> import numpy as np
        >>> p = Partial(n_groups=1, maxs={"age": np.array([40], dtype=np.int16)})
        >>> print(p.identity_like().maxs["age"])
        [-32768]
        """
        # Built per kind: one name may be a min of one dtype and a max of another.
        return Partial(
            n_groups=self.n_groups,
            sums={name: np.zeros_like(a) for name, a in self.sums.items()},
            mins={name: np.full_like(a, _min_identity(a.dtype)) for name, a in self.mins.items()},
            maxs={name: np.full_like(a, _max_identity(a.dtype)) for name, a in self.maxs.items()},
        )

    @classmethod
    def from_members(
        cls,
        groups: Groups,
        sums: Mapping[str, ArrayLike] | None = None,
        mins: Mapping[str, ArrayLike] | None = None,
        maxs: Mapping[str, ArrayLike] | None = None,
        *,
        where: ArrayLike | None = None,
    ) -> Partial:
        """Aggregate member columns into a partial, one pass per measure.

        Parameters
        ----------
        groups : Groups
            Who belongs to which group (the chunk's members, with the global group codes).
        sums : mapping of str to ndarray, optional
            Columns to sum: booleans give int64 counts, integers int64, floats float64.
        mins, maxs : mapping of str to ndarray, optional
            Columns whose minimum or maximum to keep (in their own dtype).
        where : ndarray of bool, optional
            Restrict every measure to these members.

        Returns
        -------
        Partial

        Examples
        --------
        >>> import numpy as np
        >>> g = Groups.from_offsets([0, 2, 3, 3])
        >>> p = Partial.from_members(g, sums={"literate": np.array([True, True, False])},
        ...                          mins={"age": np.array([30, 5, 61], dtype=np.uint8)})
        >>> print(p.sums["literate"], p.mins["age"])
        [2 0 0] [  5  61 255]
        """
        return cls(
            n_groups=groups.n_groups,
            sums={name: group_sum(groups, v, where) for name, v in (sums or {}).items()},
            mins={
                name: group_min(groups, np.asarray(v), where) for name, v in (mins or {}).items()
            },
            maxs={
                name: group_max(groups, np.asarray(v), where) for name, v in (maxs or {}).items()
            },
        )

    def merge(self, other: Partial) -> Partial:
        """Combine two partials over the same groups: add sums, keep min and max.

        Raises
        ------
        AggregateError
            If the partials have different numbers of groups, measures or dtypes.

        Examples
        --------
        >>> import numpy as np
        >>> a = Partial(n_groups=2, mins={"age": np.array([30, 7])})
        >>> b = Partial(n_groups=2, mins={"age": np.array([12, 9])})
        >>> print(a.merge(b).mins["age"])
        [12  7]
        """
        checked: object = other  # may be anything at run time
        if not isinstance(checked, Partial):
            msg = Message(
                N_("can only merge a Partial with a Partial, got {type}"),
                type=type(checked).__name__,
            )
            raise AggregateError(str(msg), argument="other").translatable(msg)
        if other.n_groups != self.n_groups:
            msg = Message(
                N_(
                    "cannot merge partials over {left} and {right} groups; "
                    "aggregate every chunk with the same group numbering"
                ),
                left=self.n_groups,
                right=other.n_groups,
            )
            raise AggregateError(str(msg), argument="other").translatable(msg)
        combine: dict[str, Callable[[Any, Any], NDArray[Any]]] = {
            "sums": np.add,
            "mins": np.minimum,
            "maxs": np.maximum,
        }
        merged: dict[str, dict[str, NDArray[Any]]] = {}
        for kind in _KINDS:
            left, right = getattr(self, kind), getattr(other, kind)
            if left.keys() != right.keys():
                msg = _describe_keys(kind, left, right)
                raise AggregateError(str(msg), argument="other").translatable(msg)
            for name in left:
                if left[name].dtype != right[name].dtype:
                    msg = Message(
                        N_(
                            "cannot merge partials: {kind}[{name!r}] is {left} on the "
                            "left and {right} on the right"
                        ),
                        kind=kind,
                        name=name,
                        left=left[name].dtype,
                        right=right[name].dtype,
                    )
                    raise AggregateError(str(msg), argument="other").translatable(msg)
            # inf + -inf and NaN give NaN silently, as in the one-pass kernels.
            with np.errstate(invalid="ignore"):
                merged[kind] = {name: combine[kind](left[name], right[name]) for name in left}
        return Partial(n_groups=self.n_groups, **merged)

    def coarsen(self, parents: Groups) -> Partial:
        """Aggregate the groups into larger groups (households into villages ...).

        Parameters
        ----------
        parents : Groups
            Treats this partial's groups as members: ``parents.n_members`` must equal
            ``n_groups``.

        Returns
        -------
        Partial
            Over ``parents.n_groups`` groups: sums added, minimums and maximums kept.

        Examples
        --------
        >>> import numpy as np
        >>> p = Partial(n_groups=3, sums={"persons": np.array([3, 4, 2])})
        >>> villages = Groups.from_codes([0, 1, 0], n_groups=2)
        >>> print(p.coarsen(villages).sums["persons"])
        [5 4]
        """
        if parents.n_members != self.n_groups:
            msg = Message(
                N_("parents must have one member per group of the partial ({n}), got {got}"),
                n=self.n_groups,
                got=parents.n_members,
            )
            raise AggregateError(str(msg), argument="parents").translatable(msg)
        return Partial(
            n_groups=parents.n_groups,
            sums={name: group_sum(parents, a) for name, a in self.sums.items()},
            mins={name: group_min(parents, a) for name, a in self.mins.items()},
            maxs={name: group_max(parents, a) for name, a in self.maxs.items()},
        )

    def rate(self, numerator: str, denominator: str, missing: str | None = None) -> Rate:
        """Build a :class:`~learnsoc.aggregate.rate.Rate` from summed counts.

        Examples
        --------
        >>> import numpy as np
        >>> p = Partial(n_groups=2, sums={"learning": np.array([2, 0]), "adults": np.array([4, 0])})
        >>> print(p.rate("learning", "adults").value())
        [0.5 nan]
        """
        names = [numerator, denominator] + ([missing] if missing is not None else [])
        for name in names:
            if name not in self.sums:
                msg = Message(
                    N_("no summed measure {name!r}; the sums are {sums}"),
                    name=name,
                    sums=sorted(self.sums),
                )
                raise AggregateError(str(msg), argument="name").translatable(msg)
        return Rate(
            numerator=self.sums[numerator],
            denominator=self.sums[denominator],
            missing=self.sums[missing]
            if missing is not None
            else np.zeros(self.n_groups, np.int64),
        )

    def equals(self, other: Partial) -> bool:
        """Whether both partials have the same groups, measures, dtypes and values.

        Examples
        --------
        >>> import numpy as np
        >>> p = Partial(n_groups=1, sums={"x": np.array([1.0])})
        >>> p.equals(p.merge(p.identity_like()))
        True
        """
        if self.n_groups != other.n_groups:
            return False
        for kind in _KINDS:
            left, right = getattr(self, kind), getattr(other, kind)
            if left.keys() != right.keys():
                return False
            for name in left:
                a, b = left[name], right[name]
                if a.dtype != b.dtype or not np.array_equal(a, b, equal_nan=a.dtype.kind == "f"):
                    return False
        return True

    def __repr__(self) -> str:
        return (
            f"Partial(n_groups={self.n_groups}, sums={list(self.sums)}, "
            f"mins={list(self.mins)}, maxs={list(self.maxs)})"
        )
