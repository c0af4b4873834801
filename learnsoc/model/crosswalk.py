"""Crosswalks: re-express counts of one administrative tree in another.

The 2025 reform merged provinces and communes (10,051 communes became 3,321) and split
a few communes across new ones. A :class:`Crosswalk` maps the units of one level of a
source tree onto a level of a target tree, each pair with a weight: the share of the
source unit that goes to the target unit. Weights of a source unit add up to 1. Pure
merges have weight 1 everywhere and move counts exactly; splits apportion integer counts
by the largest-remainder method, so every source unit's total is kept exactly and no
count is lost or invented.

Examples
--------
>>> import numpy as np
>>> import learnsoc as ls
>>> levels = ["province", "commune"]
>>> old = ls.Hierarchy.from_units({"code": ["P", "A", "B", "C"],
...     "level": ["province"] + ["commune"] * 3, "parent_code": [None, "P", "P", "P"]}, levels)
>>> new = ls.Hierarchy.from_units({"code": ["P", "X", "Y"],
...     "level": ["province", "commune", "commune"], "parent_code": [None, "P", "P"]}, levels)
>>> cw = ls.Crosswalk.from_pairs(old, new, {"source_code": ["A", "B", "C", "C"],
...     "target_code": ["X", "X", "X", "Y"], "weight": [1, 1, 0.25, 0.75]}, level="commune")
>>> cw.apply(np.array([10, 20, 7])).tolist()   # A and B merge into X; C is split
[32, 5]
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc._arrays import ARRAY_EQ
from learnsoc._messages import N_, Message
from learnsoc._phrases import Phrase
from learnsoc.errors import CrosswalkError, SchemaError
from learnsoc.model.hierarchy import Hierarchy, level_word
from learnsoc.model.population import LeadingZerosWarning

__all__ = ["Crosswalk"]

_WEIGHT_TOLERANCE = 1e-9


@attrs.frozen
class Crosswalk:
    """A weighted mapping from the units of one tree's level to another tree's level.

    Build it with :meth:`from_pairs`.

    Examples
    --------
    Commune A becomes X; commune B is split between X and Y:

    >>> def tree(*communes):
    ...     return ls.Hierarchy.from_units(
    ...         {"code": ["01", *communes], "level": ["province"] + ["commune"] * len(communes),
    ...          "parent_code": [None] + ["01"] * len(communes)}, levels=["province", "commune"])
    >>> crosswalk = Crosswalk.from_pairs(
    ...     tree("A", "B"), tree("X", "Y"),
    ...     {"source_code": ["A", "B", "B"], "target_code": ["X", "X", "Y"],
    ...      "weight": [1, 0.5, 0.5]}, level="commune")
    >>> crosswalk.is_exact
    False
    >>> print(crosswalk.apply(np.array([10.0, 7.0])))  # A's 10 and half of B's 7 go to X
    [13.5  3.5]
    """

    source: Hierarchy = attrs.field(repr=False)
    target: Hierarchy = attrs.field(repr=False)
    source_level: str
    target_level: str
    source_index: NDArray[np.int64] = attrs.field(eq=ARRAY_EQ, hash=False, repr=False)
    target_index: NDArray[np.int64] = attrs.field(eq=ARRAY_EQ, hash=False, repr=False)
    weight: NDArray[np.float64] = attrs.field(eq=ARRAY_EQ, hash=False, repr=False)

    @classmethod
    def from_pairs(
        cls,
        source: Hierarchy,
        target: Hierarchy,
        pairs: Mapping[str, Any],
        *,
        level: str | None = None,
        source_level: str | None = None,
        target_level: str | None = None,
    ) -> Crosswalk:
        """Build and check a crosswalk from (source code, target code, weight) rows.

        Parameters
        ----------
        source, target : Hierarchy
            The old and the new tree.
        pairs : mapping of column name to array
            ``source_code``, ``target_code`` and optionally ``weight`` (default 1).
        level : str, optional
            The level name in both trees (``"commune"``); or give ``source_level`` and
            ``target_level`` separately.

        Raises
        ------
        CrosswalkError
            For an unknown code, a code at another level, a weight outside (0, 1], a
            source unit whose weights do not add up to 1, a repeated pair, or a source
            unit that maps nowhere (its counts would be lost).
        """
        s_level = source_level or level or source.leaf_level
        t_level = target_level or level or target.leaf_level
        for col in ("source_code", "target_code"):
            if col not in pairs:
                raise SchemaError(
                    "crosswalk", col, N_("required column is missing"), choices=list(pairs)
                )
        s_codes = np.asarray(pairs["source_code"]).astype(str)
        t_codes = np.asarray(pairs["target_code"]).astype(str)
        if s_codes.shape != t_codes.shape:
            raise SchemaError(
                "crosswalk", "target_code", N_("must have as many rows as source_code")
            )
        weight = np.asarray(pairs.get("weight", np.ones(len(s_codes))), dtype=np.float64)
        s_idx = cls._resolve(source, s_codes, s_level, "source")
        t_idx = cls._resolve(target, t_codes, t_level, "target")
        bad = ~((weight > 0) & (weight <= 1))
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            msg = Message(
                N_("pair {source!r} -> {target!r} has weight {weight}; weights must be in (0, 1]"),
                source=str(s_codes[i]),
                target=str(t_codes[i]),
                weight=weight[i],
            )
            raise CrosswalkError(str(msg), code=str(s_codes[i])).translatable(msg)
        key = s_idx * (len(target.codes) + 1) + t_idx
        uniq, counts = np.unique(key, return_counts=True)
        if (counts > 1).any():
            i = int(np.flatnonzero(key == uniq[counts > 1][0])[0])
            msg = Message(
                N_("pair {source!r} -> {target!r} appears more than once"),
                source=str(s_codes[i]),
                target=str(t_codes[i]),
            )
            raise CrosswalkError(str(msg), code=str(s_codes[i])).translatable(msg)
        n_source = source.n_units(s_level)
        total = np.bincount(s_idx, weights=weight, minlength=n_source)
        unmapped = total == 0
        if unmapped.any():
            missing = source.codes_at(s_level)[unmapped]
            listed = ", ".join(repr(str(c)) for c in missing[:5])
            n = int(unmapped.sum())
            template = (
                N_(
                    "{n} {level} unit of the source tree maps nowhere "
                    "(its counts would be lost): {codes}"
                )
                if n == 1
                else N_(
                    "{n} {level} units of the source tree map nowhere "
                    "(their counts would be lost): {codes}"
                )
            )
            msg = Message(template, n=n, level=level_word(source.spec, s_level), codes=listed)
            raise CrosswalkError(str(msg), code=str(missing[0])).translatable(msg)
        off = np.abs(total - 1) > _WEIGHT_TOLERANCE
        if off.any():
            i = int(np.flatnonzero(off)[0])
            code = str(source.codes_at(s_level)[i])
            msg = Message(
                N_("the weights of source unit {code!r} add up to {total:g}, not 1"),
                code=code,
                total=total[i],
            )
            raise CrosswalkError(str(msg), code=code).translatable(msg)
        order = np.lexsort((t_idx, s_idx))
        return cls(
            source=source,
            target=target,
            source_level=s_level,
            target_level=t_level,
            source_index=s_idx[order],
            target_index=t_idx[order],
            weight=weight[order],
        )

    @staticmethod
    def _resolve(
        tree: Hierarchy, codes: NDArray[np.str_], level: str, side: str
    ) -> NDArray[np.int64]:
        k = tree.level_number(level)
        lev, local = tree.locate(codes)
        lev, local = _restore_zeros(tree, codes, lev, local, k, side)
        unknown = lev < 0
        if unknown.any():
            raise _unknown_codes(tree, codes, unknown, side)
        bad = lev != k
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            template = (
                N_("source code {code!r} is a {found}, not a {level} in the source tree {tree!r}")
                if side == "source"
                else N_(
                    "target code {code!r} is a {found}, not a {level} in the target tree {tree!r}"
                )
            )
            msg = Message(
                template,
                code=str(codes[i]),
                found=level_word(tree.spec, tree.levels[lev[i]]),
                level=level_word(tree.spec, level),
                tree=tree.spec.name,
            )
            raise CrosswalkError(str(msg), code=str(codes[i])).translatable(msg)
        return local

    @property
    def is_exact(self) -> bool:
        """Whether every weight is 1 (only merges): counts move without apportioning."""
        return bool((self.weight == 1).all())

    def apply(self, values: Any) -> NDArray[Any]:
        """Re-express per-source-unit values per target unit.

        Parameters
        ----------
        values : array_like, shape (n_source,) or (n_source, k)
            One value (or one row of k values) per unit of the source level, in local
            index order. Integer values stay integers: split units are apportioned by
            largest remainder, keeping each source unit's total exact. Float values are
            split in proportion to the weights.

        Returns
        -------
        ndarray, shape (n_target,) or (n_target, k)
        """
        arr = np.asarray(values)
        n_source = self.source.n_units(self.source_level)
        if arr.shape[:1] != (n_source,) or arr.ndim not in (1, 2):
            msg = Message(
                N_(
                    "values must have one row per {level} of the source tree ({n}), "
                    "got shape {shape}"
                ),
                level=level_word(self.source.spec, self.source_level),
                n=n_source,
                shape=arr.shape,
            )
            raise CrosswalkError(str(msg)).translatable(msg)
        if arr.ndim == 2:
            return np.stack([self.apply(arr[:, j]) for j in range(arr.shape[1])], axis=1)
        if arr.dtype.kind in "biu":
            return self.gather(self._apportion(arr.astype(np.int64)))
        return self.gather(arr[self.source_index] * self.weight)

    def gather(self, per_pair: NDArray[Any]) -> NDArray[Any]:
        """Add up values given per pair (in the crosswalk's order) by target unit.

        Whole numbers stay whole (int64); others are floats.

        Examples
        --------
        >>> import learnsoc as ls
        >>> levels = ["province", "commune"]
        >>> old = ls.Hierarchy.from_units({"code": ["P", "A", "B"], "level": ["province",
        ...     "commune", "commune"], "parent_code": [None, "P", "P"]}, levels)
        >>> new = ls.Hierarchy.from_units({"code": ["P", "X"], "level": ["province", "commune"],
        ...     "parent_code": [None, "P"]}, levels)
        >>> cw = ls.Crosswalk.from_pairs(old, new, {"source_code": ["A", "B"],
        ...     "target_code": ["X", "X"]}, level="commune")
        >>> cw.gather(np.array([3, 4])).tolist()
        [7]
        """
        n_target = self.target.n_units(self.target_level)
        summed = np.bincount(self.target_index, weights=per_pair, minlength=n_target)
        return summed.astype(np.int64) if per_pair.dtype.kind in "biu" else summed

    def apply_within(self, values: Any, within: Any) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Re-express whole counts that are parts of others, keeping each within its whole.

        Split apart, the learning families of a split commune and its families are each
        apportioned by their own remainders, and one part can get a learning family and no
        family. Here each source unit's ``values`` are apportioned over its pairs in
        proportion to the parts ``within`` got, so a part never exceeds its whole.

        Parameters
        ----------
        values : array_like of int, shape (n_source,)
            One count per unit of the source level, at most its ``within`` count.
        within : array_like of int, shape (n_pairs,)
            The whole's share of each pair, as this method or :meth:`pair_shares` returns
            it (pairs in the crosswalk's order).

        Returns
        -------
        (ndarray, ndarray)
            The counts per target unit, and the shares per pair (to hold parts of these).

        Examples
        --------
        >>> import learnsoc as ls
        >>> levels = ["province", "commune"]
        >>> old = ls.Hierarchy.from_units({"code": ["P", "C"], "level": ["province", "commune"],
        ...     "parent_code": [None, "P"]}, levels)
        >>> new = ls.Hierarchy.from_units({"code": ["P", "W", "X", "Y", "Z"], "level":
        ...     ["province"] + ["commune"] * 4, "parent_code": [None] + ["P"] * 4}, levels)
        >>> cw = ls.Crosswalk.from_pairs(old, new, {"source_code": ["C"] * 4, "target_code":
        ...     ["W", "X", "Y", "Z"], "weight": [0.28, 0.11, 0.13, 0.48]}, level="commune")
        >>> families = cw.pair_shares(np.array([6]))
        >>> families.tolist(), cw.apply(np.array([5])).tolist()   # apart: 1 of 0 at X
        ([2, 0, 1, 3], [1, 1, 1, 2])
        >>> cw.apply_within(np.array([5]), families)[0].tolist()
        [2, 0, 1, 2]
        """
        v = np.asarray(values).astype(np.int64, copy=False)
        whole = np.asarray(within).astype(np.int64, copy=False)
        shares = self._apportion_within(v, whole)
        return self.gather(shares), shares

    def pair_shares(self, values: Any) -> NDArray[np.int64]:
        """Return each pair's share of whole per-source counts (largest remainder).

        Summed by target unit, they are what :meth:`apply` returns; given to
        :meth:`apply_within`, they hold the counts that are parts of these.
        """
        return self._apportion(np.asarray(values).astype(np.int64, copy=False))

    def _apportion(self, values: NDArray[np.int64]) -> NDArray[np.int64]:
        """Split each source value over its pairs in whole numbers (largest remainder)."""
        v = values[self.source_index]
        if self.is_exact:
            return v
        quota = v * self.weight
        base = np.floor(quota).astype(np.int64)
        return self._round_up(values, base, quota - base)

    def _apportion_within(
        self, values: NDArray[np.int64], whole: NDArray[np.int64]
    ) -> NDArray[np.int64]:
        """Split each source value over its pairs in proportion to its whole's parts.

        In integers (``v * part // total``), so that a part's quota never exceeds its
        whole's part by a rounding error; a source whose whole is 0 follows the weights.
        """
        totals = np.bincount(self.source_index, weights=whole, minlength=len(values))
        total = totals.astype(np.int64)[self.source_index]
        v = values[self.source_index]
        empty = total == 0
        product = v * whole
        base = np.where(empty, 0, product // np.maximum(total, 1))
        remainder = np.where(empty, 0.0, (product % np.maximum(total, 1)) / np.maximum(total, 1))
        if empty.any():
            quota = v[empty] * self.weight[empty]
            base[empty] = np.floor(quota).astype(np.int64)
            remainder[empty] = quota - base[empty]
        return self._round_up(values, base, remainder)

    def _round_up(
        self, values: NDArray[np.int64], base: NDArray[np.int64], remainder: NDArray[np.float64]
    ) -> NDArray[np.int64]:
        """Give one more to the pairs of largest remainder until each source's total is met."""
        deficit = values - np.bincount(
            self.source_index, weights=base, minlength=len(values)
        ).astype(np.int64)
        # Rank the pairs of each source unit by remainder (ties: target order), then give
        # one more to the first `deficit` of them.
        order = np.lexsort((self.target_index, -remainder, self.source_index))
        src_sorted = self.source_index[order]
        first = np.searchsorted(src_sorted, src_sorted, side="left")
        rank = np.arange(len(order)) - first
        extra = np.zeros(len(order), np.int64)
        extra[order] = rank < deficit[src_sorted]
        return base + extra


def _restore_zeros(
    tree: Hierarchy,
    codes: NDArray[np.str_],
    lev: NDArray[np.int64],
    local: NDArray[np.int64],
    k: int,
    side: str,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Read codes that lost their leading zeros as the units they name, as counts are.

    A crosswalk typed in a spreadsheet that stores its code columns as numbers says
    ``688`` for the commune ``00688``. When every code of the level has one width and
    the code padded to it names a unit of the level, that unit is taken, with a
    :class:`~learnsoc.model.population.LeadingZerosWarning` (as
    :func:`~learnsoc.model.population.locate_units` does for a counts file).
    """
    level_codes = tree.codes_at(tree.levels[k])
    widths = np.unique(np.char.str_len(level_codes))
    lost = (lev < 0) & np.char.isdigit(codes)
    if len(widths) != 1 or not lost.any():
        return lev, local
    rows = np.flatnonzero(lost & (np.char.str_len(codes) < int(widths[0])))
    if not len(rows):
        return lev, local
    plev, ploc = tree.locate(np.char.zfill(codes[rows], int(widths[0])))
    rows, ploc = rows[plev == k], ploc[plev == k]
    if not len(rows):
        return lev, local
    lev, local = lev.copy(), local.copy()
    lev[rows], local[rows] = k, ploc
    i = int(rows[0])
    n = len(rows)
    template = (
        N_(
            "crosswalk {column}: {n} row had lost the leading zeros of its code and was "
            "read as the unit it names (e.g. {was!r} as {code!r}); store the column as text "
            "in the spreadsheet to keep them"
        )
        if n == 1
        else N_(
            "crosswalk {column}: {n} rows had lost the leading zeros of their codes and were "
            "read as the units they name (e.g. {was!r} as {code!r}); store the column as "
            "text in the spreadsheet to keep them"
        )
    )
    msg = Message(
        template,
        column=f"{side}_code",
        n=n,
        was=str(codes[i]),
        code=str(tree.codes_at(tree.levels[k])[local[i]]),
    )
    # Raised from from_pairs through _resolve: the warning points at the caller's line.
    warnings.warn(LeadingZerosWarning(str(msg)).translatable(msg), stacklevel=4)
    return lev, local


def _unknown_codes(
    tree: Hierarchy, codes: NDArray[np.str_], unknown: NDArray[np.bool_], side: str
) -> CrosswalkError:
    """Name the crosswalk's rows whose codes the tree lacks: the first, and how many.

    Rows count from 1 in the order the pairs are given (a file's line, less its
    heading); the first row's pair is named too, so it is found in any file. A tree
    that writes the code without its leading zeros (its units file kept in a
    spreadsheet) is named as the cause.
    """
    rows = np.flatnonzero(unknown)
    i = int(rows[0])
    others: str | Phrase = ""
    if len(rows) > 1:
        listed = ", ".join(str(int(r) + 1) for r in rows[:10])
        more = "" if len(rows) <= 10 else ", ..."
        others = Phrase(
            Message(
                N_("; {n} rows name codes it lacks (rows {rows})"),
                n=len(rows),
                rows=listed + more,
            )
        )
    zeros: str | Phrase = ""
    code = str(codes[i])
    if code.isdigit() and code.startswith("0") and tree.locate([code.lstrip("0")])[0][0] >= 0:
        zeros = Phrase(
            Message(
                N_(
                    "; the tree writes it {short!r}: its units file lost the leading zeros "
                    "(store the code column as text in the spreadsheet)"
                ),
                short=code.lstrip("0"),
            )
        )
    if side == "source":
        template = N_(
            "crosswalk row {row}: source code {code!r} does not exist in the source tree "
            "{tree!r}{others}{zeros}"
        )
    else:
        # The new list lacks a unit the crosswalk sends counts to: those counts would be
        # lost, so the user is told which list to complete.
        template = N_(
            "crosswalk row {row}: target code {code!r} does not exist in the target tree "
            "{tree!r}{others}{zeros}; add the unit to the target tree's units, or correct "
            "the row"
        )
    msg = Message(template, row=i + 1, code=code, tree=tree.spec.name, others=others, zeros=zeros)
    return CrosswalkError(str(msg), code=code).translatable(msg)
