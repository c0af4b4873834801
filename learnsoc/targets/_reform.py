"""Rollups of several years over the 2025 reform: one tree per comparison, or a crosswalk.

The 2025 lists reuse old codes (old and new Tuyên Quang are both ``"08"``), so units of
two trees are never matched by code. Rollups whose trees have the same version (the same
:class:`~learnsoc.model.hierarchy.HierarchySpec`: name, levels and dates) are matched by
level and code; a rollup on another tree is first re-expressed in the latest tree
through a :class:`~learnsoc.model.crosswalk.Crosswalk` (exactly: merges move counts
whole, splits apportion them by largest remainder), or refused.

:func:`reexpress` shows one rollup moved.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import NDArray

from learnsoc._arrays import readonly
from learnsoc._messages import N_, Message
from learnsoc._phrases import Lazy, Phrase
from learnsoc._reprs import level_list
from learnsoc.aggregate.names import EXPECTED, REPORTING
from learnsoc.aggregate.rollup import Rollup
from learnsoc.errors import HierarchyError
from learnsoc.model.crosswalk import Crosswalk
from learnsoc.model.hierarchy import Hierarchy, HierarchySpec, level_word

__all__ = ["Aligned", "align_trees", "reexpress"]


def _validity(spec: HierarchySpec) -> Phrase:
    """Say the dates the tree is valid, as :attr:`HierarchySpec.validity` does."""
    # Dates, not their ISO text: a Vietnamese message writes them as documents do (30/6/2025).
    start, end = spec.valid_from, spec.valid_until
    if start is not None and end is not None:
        return Phrase(N_("{start} to {end}"), start=start, end=end)
    if start is not None:
        return Phrase(N_("from {start}"), start=start)
    if end is not None:
        return Phrase(N_("until {end}"), end=end)
    return Phrase(N_("no dates"))


def _tree(spec: HierarchySpec) -> Phrase:
    def levels(locale: str | None) -> str:
        return level_list(((level.name, level.label) for level in spec.levels), locale)

    return Phrase(
        N_("{name!r} (valid {validity}; levels {levels})"),
        name=spec.name,
        validity=_validity(spec),
        levels=Lazy(levels),
    )


def _when(year: int | None) -> Phrase:
    if year is None:
        return Phrase(N_("the rollup"))
    return Phrase(N_("the {year} rollup"), year=year)


def reexpress(roll: Rollup, crosswalk: Crosswalk) -> tuple[Rollup, tuple[str, ...]]:
    """Re-express a rollup of the crosswalk's source tree in its target tree, exactly.

    Every measure's counts at the crosswalk's source level are moved with
    :meth:`Crosswalk.apply` and rolled up the target tree; the total row is kept as it
    is. Levels of the target tree below the crosswalk's level are left out (their counts
    cannot be known). A measure with counts attached to units *above* the crosswalk's
    level (a district's own count) cannot be placed in the target tree: it is left out
    and named in the second value returned.

    Parameters
    ----------
    roll : Rollup
        Over ``crosswalk.source``, with every unit at and above the crosswalk's level.
    crosswalk : Crosswalk
        From the rollup's tree to the later one.

    Returns
    -------
    (Rollup, tuple of str)
        The rollup over ``crosswalk.target``, and the measures left out.

    Raises
    ------
    HierarchyError
        If the rollup is not over the crosswalk's source tree, or lacks rows of the
        levels the crosswalk needs.

    Examples
    --------
    >>> import datetime as dt
    >>> levels = ls.HierarchySpec("old", [ls.Level("province"), ls.Level("commune")],
    ...                           valid_until=dt.date(2025, 6, 30))
    >>> new_levels = ls.HierarchySpec("new", levels.levels, valid_from=dt.date(2025, 7, 1))
    >>> old = ls.Hierarchy.from_units({"code": ["08", "A", "B"], "level": ["province",
    ...     "commune", "commune"], "parent_code": [None, "08", "08"]}, levels)
    >>> new = ls.Hierarchy.from_units({"code": ["08", "X"], "level": ["province", "commune"],
    ...     "parent_code": [None, "08"]}, new_levels)
    >>> cw = ls.Crosswalk.from_pairs(old, new, {"source_code": ["A", "B"],
    ...     "target_code": ["X", "X"]}, level="commune")
    >>> roll = ls.rollup_counts({"unit_code": ["A", "B"], "families": [10, 20]}, old)
    >>> moved, dropped = reexpress(roll, cw)
    >>> moved.codes().tolist(), moved.counts["families"].tolist(), dropped
    (['08', 'X', ''], [30, 30, 30], ())
    """
    old, new = roll.hierarchy, crosswalk.target
    if old != crosswalk.source:
        msg = Message(
            N_(
                "the crosswalk maps the tree {source} ({n_source} units), but the rollup is "
                "over {tree} ({n} units); build the crosswalk from the rollup's own tree"
            ),
            source=_tree(crosswalk.source.spec),
            n_source=len(crosswalk.source),
            tree=_tree(old.spec),
            n=len(old),
        )
        raise HierarchyError(str(msg)).translatable(msg)
    k_src = old.level_number(crosswalk.source_level)
    k_tgt = new.level_number(crosswalk.target_level)
    position = np.full(len(old) + 1, -1, np.int64)
    position[roll.rows] = np.arange(len(roll.rows))  # the total row (-1) lands last
    needed = position[: int(old.starts[k_src + 1])]
    if (needed < 0).any():
        code = str(old.codes[int(np.flatnonzero(needed < 0)[0])])
        msg = Message(
            N_(
                "the rollup has no row for unit {code!r}: re-expressing it needs every unit "
                "down to the crosswalk's level ({level})"
            ),
            code=code,
            level=crosswalk.source_level,
        )
        raise HierarchyError(str(msg), code=code).translatable(msg)
    n_rows = int(new.starts[k_tgt + 1])
    rows = np.arange(n_rows, dtype=np.int64)
    has_total = bool((roll.rows < 0).any())
    if has_total:
        rows = np.append(rows, -1)
    counts: dict[str, NDArray[Any]] = {}
    dropped: list[str] = []
    at_source: dict[str, NDArray[Any]] = {}
    for name, values in roll.counts.items():
        own = _source_counts(values, position, old, k_src)
        if own is None:
            dropped.append(name)
        else:
            at_source[name] = own
    at_target = _apportioned(at_source, roll.rate_definitions, crosswalk)
    for name, values in roll.counts.items():
        if name not in at_target:
            continue
        moved = _spread_up(at_target[name].astype(values.dtype, copy=False), new, crosswalk, k_tgt)
        if has_total:
            moved = np.append(moved, values[position[-1]])
        counts[name] = readonly(moved)
    rates = {
        name: parts
        for name, parts in roll.rate_definitions.items()
        if all(p in counts for p in parts)
    }
    # The units reporting move with the counts: a new commune one of whose old communes
    # sent nothing has fewer reporting than expected, and a trend leaves that year out.
    reporting = crosswalk.target_level if roll.completeness() and REPORTING in counts else None
    out = Rollup(new, readonly(rows), counts, rates, roll.rejects, reporting)
    return out, tuple(dropped)


def _source_counts(
    values: NDArray[Any], position: NDArray[np.int64], old: Hierarchy, k_src: int
) -> NDArray[Any] | None:
    """Return one measure's counts at the crosswalk's source level (None: some sit higher)."""
    rolled = [
        values[position[int(old.starts[k]) : int(old.starts[k + 1])]] for k in range(k_src + 1)
    ]
    for k in range(k_src):
        # A unit's own count is its rolled count less its children's: none may be left.
        children = np.zeros(len(rolled[k]), values.dtype)
        np.add.at(children, old.parent_index(old.levels[k + 1]), rolled[k + 1])
        own = rolled[k] - children
        if values.dtype.kind == "f" and not np.allclose(own, 0):
            return None
        if values.dtype.kind != "f" and own.any():
            return None
    return rolled[k_src]


def _apportioned(
    at_source: Mapping[str, NDArray[Any]],
    rates: Mapping[str, tuple[str, ...]],
    crosswalk: Crosswalk,
) -> dict[str, NDArray[Any]]:
    """Return every measure per target unit, each part of a rate split within its whole.

    Apportioned one by one, the learning families of a split commune and its families
    take their own remainders, and a new commune can get a learning family and no family:
    a rate's numerator is split in proportion to its denominator's parts (less its
    unknowns'), the tightest whole when it has several, wholes first.
    """
    whole_of = _wholes(at_source, rates)
    shares: dict[str, NDArray[np.int64]] = {}
    out: dict[str, NDArray[Any]] = {}

    def place(name: str) -> None:
        if name in out:
            return
        values = at_source[name]
        whole = whole_of.get(name)
        if name in (REPORTING, EXPECTED):
            # Each new unit counts the old units (or their units) it takes a part of, so a
            # part of an old commune that sent nothing is a unit not reporting, not 0 of 0.
            out[name] = crosswalk.gather(values[crosswalk.source_index]).astype(values.dtype)
        elif whole is not None and values.dtype.kind in "biu":
            for part in whole:
                place(part)
            den = shares[whole[0]] - (shares[whole[1]] if len(whole) > 1 else 0)
            out[name], shares[name] = crosswalk.apply_within(values, den)
        elif values.dtype.kind in "biu":
            shares[name] = crosswalk.pair_shares(values)
            out[name] = crosswalk.gather(shares[name])
        else:
            out[name] = crosswalk.apply(values)

    for name in at_source:
        place(name)
    return out


def _wholes(
    at_source: Mapping[str, NDArray[Any]], rates: Mapping[str, tuple[str, ...]]
) -> dict[str, tuple[str, ...]]:
    """Return each whole-count measure's whole: (denominator,) or (denominator, unknowns).

    The unknowns of a rate are within its denominator; its numerator within the
    denominator less the unknowns. A measure that is the numerator of several rates takes
    the smallest whole it fits in at every source unit; an edge that would close a cycle,
    or a whole the counts do not fit in, is left out (the measure follows the weights).
    """
    candidates: dict[str, list[tuple[str, ...]]] = {}
    for parts in rates.values():
        num, den = parts[0], parts[1]
        missing = parts[2] if len(parts) > 2 else None
        if missing is not None:
            candidates.setdefault(missing, []).append((den,))
            candidates.setdefault(num, []).append((den, missing))
        else:
            candidates.setdefault(num, []).append((den,))
    wholes: dict[str, tuple[str, ...]] = {}
    for name, options in candidates.items():
        if name not in at_source or at_source[name].dtype.kind not in "biu":
            continue
        fitting = []
        for whole in options:
            if not all(p in at_source and at_source[p].dtype.kind in "biu" for p in whole):
                continue
            room = at_source[whole[0]] - (at_source[whole[1]] if len(whole) > 1 else 0)
            if name not in whole and bool((at_source[name] <= room).all()):
                fitting.append((int(room.sum()), whole))
        if fitting:
            wholes[name] = min(fitting)[1]
    # Drop the edges that close a cycle (a measure that is, through others, its own whole).
    for name in list(wholes):
        seen: set[str] = set()
        todo = list(wholes.get(name, ()))
        while todo:
            part = todo.pop()
            if part == name:
                del wholes[name]
                break
            if part not in seen:
                seen.add(part)
                todo.extend(wholes.get(part, ()))
    return wholes


def _spread_up(
    at_target: NDArray[Any], new: Hierarchy, crosswalk: Crosswalk, k_tgt: int
) -> NDArray[Any]:
    """Return a measure's counts per target unit, with those of every level above added."""
    parts: list[NDArray[Any]] = []
    for k in range(k_tgt):
        out = np.zeros(new.n_units(new.levels[k]), at_target.dtype)
        np.add.at(out, new.ancestor_index(crosswalk.target_level, new.levels[k]), at_target)
        parts.append(out)
    parts.append(at_target)
    return np.concatenate(parts)


class Aligned(NamedTuple):
    """Rollups put on the latest one's tree by :func:`align_trees`."""

    #: (year, rollup) on the latest tree, sorted by year.
    rollups: list[tuple[int | None, Rollup]]
    #: (year, measures) that a crosswalk could not move.
    not_moved: list[tuple[int | None, tuple[str, ...]]]
    #: (year, tree) of the years counted on another tree and moved through the crosswalk.
    reexpressed: list[tuple[int | None, HierarchySpec]]


def align_trees(
    obs: Sequence[tuple[int | None, Rollup]],
    crosswalk: Crosswalk | None,
    compared: Collection[str] | None = None,
) -> Aligned:
    """Put every rollup on the latest one's tree, or refuse; warn on years outside a tree.

    Parameters
    ----------
    obs : sequence of (year, Rollup)
        Sorted by year, the latest last.
    crosswalk : Crosswalk or None
        From an earlier tree to the latest rollup's tree.
    compared : collection of str, optional
        The levels whose units are compared year to year (default: every level). Two
        drawings of one tree version are refused when a unit of one of these levels is
        gone from the later drawing, or when any unit has another parent there.

    Returns
    -------
    Aligned
        The rollups, each over a tree of the latest one's version; per re-expressed year,
        the measures that could not be moved; and the years re-expressed, each with the
        tree it was counted on.

    Raises
    ------
    HierarchyError
        If rollups on two different trees are compared without a crosswalk, or a rollup
        is on a tree the crosswalk does not join to the latest one (naming the tree and
        the choices), or the crosswalk runs backwards in time.
    """
    latest_year, latest = obs[-1]
    spec = latest.hierarchy.spec
    if crosswalk is not None:
        _check_crosswalk(crosswalk, spec, latest_year)
    out: list[tuple[int | None, Rollup]] = []
    dropped: list[tuple[int | None, tuple[str, ...]]] = []
    reexpressed: list[tuple[int | None, HierarchySpec]] = []
    for year, roll in obs:
        own = roll.hierarchy.spec
        # A rollup over the crosswalk's own source tree is moved even when both trees share
        # a version (a custom tree redrawn); otherwise one version is matched by code.
        moves = (
            crosswalk is not None
            and roll.hierarchy is not latest.hierarchy
            and roll.hierarchy == crosswalk.source
            and roll.hierarchy != latest.hierarchy
        )
        if own == spec and not moves:
            _check_same_units(year, roll.hierarchy, latest_year, latest.hierarchy, compared)
            out.append((year, roll))
            continue
        if crosswalk is None:
            msg = Message(
                N_(
                    "{when} is over the tree {tree} and {latest_when} over {latest_tree}: "
                    "units of two trees are never matched by code (the 2025 lists reuse old "
                    "codes: old and new Tuyên Quang are both '08'); pass "
                    "crosswalk=ls.Crosswalk.from_pairs(old_tree, new_tree, pairs) to "
                    "re-express the earlier counts in the later tree"
                ),
                when=_when(year),
                tree=_tree(own),
                latest_when=_when(latest_year),
                latest_tree=_tree(spec),
            )
            raise HierarchyError(str(msg)).translatable(msg)
        if not moves and own != crosswalk.source.spec:
            choices = sorted({_tree(crosswalk.source.spec), _tree(spec)}, key=str)
            if len({str(c) for c in choices}) == 1:
                template = N_(
                    "{when} is over the tree {tree}; with this crosswalk every rollup must be "
                    "over one of: {first}"
                )
            else:
                template = N_(
                    "{when} is over the tree {tree}; with this crosswalk every rollup must be "
                    "over one of: {first}; {second}"
                )
            msg = Message(
                template, when=_when(year), tree=_tree(own), first=choices[0], second=choices[-1]
            )
            raise HierarchyError(str(msg)).translatable(msg)
        moved, lost = reexpress(roll, crosswalk)
        out.append((year, moved))
        reexpressed.append((year, own))
        if lost:
            dropped.append((year, lost))
    # Warn once the trees are known to fit together (errors first).
    for year, roll in obs:
        if year is not None:
            roll.hierarchy.spec.check_year(year, what=_when(year), stacklevel=3)
    return Aligned(out, dropped, reexpressed)


def _redrawn(
    old: Hierarchy, new: Hierarchy, compared: Collection[str] | None
) -> tuple[str, str, str] | None:
    """Return a unit that tells two drawings of one tree apart: (level, code, how), or None.

    Units are matched by level and code. A code of a compared level missing from the later
    drawing means its neighbours were redrawn: a merged commune keeps one of the old codes
    and holds the other's people, so its figure is not comparable. Villages merged inside
    their commune leave the commune's and the province's figures comparable: a level not
    compared is not checked for gone units. A unit under another parent changes the
    figures above it: checked at every level. A unit only in the later drawing is a unit
    with no earlier years (its trend starts later), as before.
    """
    for level in new.levels:  # one version: the same levels
        before = dict(zip(old.codes_at(level).tolist(), _parent_codes(old, level), strict=True))
        after = dict(zip(new.codes_at(level).tolist(), _parent_codes(new, level), strict=True))
        for code in sorted(before.keys() - after.keys()):
            if compared is None or level in compared:
                return level, code, "gone"
        for code in sorted(before.keys() & after.keys()):
            if before[code] != after[code]:
                return level, code, "moved"
    return None


def _parent_codes(tree: Hierarchy, level: str) -> list[str]:
    k = tree.level_number(level)
    if k == 0:
        return [""] * tree.n_units(level)
    parents: list[str] = tree.codes_at(tree.levels[k - 1])[tree.parent_index(level)].tolist()
    return parents


def _check_same_units(
    year: int | None,
    tree: Hierarchy,
    latest_year: int | None,
    latest: Hierarchy,
    compared: Collection[str] | None,
) -> None:
    """Refuse two drawings of one tree version compared by code, without a crosswalk.

    Two custom trees without names or dates (or one preset given two unit lists) have the
    same version; when their units differ, a code may stand for another area in each: a
    commune that absorbed a neighbour would be compared with its own former figure alone.
    """
    if tree is latest or tree == latest:
        return
    found = _redrawn(tree, latest, compared)
    if found is None:
        return
    level, code, how = found
    templates = {
        "gone": N_("{level} {code!r} is in {when} but not in {latest_when}"),
        "moved": N_("{level} {code!r} has another parent in {when} than in {latest_when}"),
    }
    diff = Phrase(
        templates[how],
        level=level_word(latest.spec, level),
        code=code,
        when=_when(year),
        latest_when=_when(latest_year),
    )
    msg = Message(
        N_(
            "{when} and {latest_when} are over two drawings of the tree {tree}: {diff}, so a "
            "code may name another area in each (a merged commune keeps one old code and "
            "holds its neighbour's people); pass crosswalk=ls.Crosswalk.from_pairs(old_tree, "
            "new_tree, pairs) from the earlier drawing to the later one (each unchanged unit "
            "to its own code), or give each drawing its own ls.HierarchySpec with its dates"
        ),
        when=_when(year),
        latest_when=_when(latest_year),
        tree=_tree(latest.spec),
        diff=diff,
    )
    raise HierarchyError(str(msg), code=code).translatable(msg)


def _check_crosswalk(crosswalk: Crosswalk, spec: HierarchySpec, latest_year: int | None) -> None:
    source, target = crosswalk.source.spec, crosswalk.target.spec
    if target != spec:
        msg = Message(
            N_(
                "the crosswalk leads to the tree {target}, but {when} is over {tree}: the "
                "crosswalk must lead to the latest rollup's tree (choices: {tree})"
            ),
            target=_tree(target),
            when=_when(latest_year),
            tree=_tree(spec),
        )
        raise HierarchyError(str(msg)).translatable(msg)
    # A tree that starts after the other ends is the later one: trends run old -> new.
    if (
        source.valid_from is not None
        and target.valid_until is not None
        and source.valid_from > target.valid_until
    ):
        msg = Message(
            N_(
                "the crosswalk runs backwards in time: from {source} to {target}; "
                "build it from the earlier tree to the later one"
            ),
            source=_tree(source),
            target=_tree(target),
        )
        raise HierarchyError(str(msg)).translatable(msg)
