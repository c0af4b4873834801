"""A rollup learnsoc wrote, read back as per-unit counts.

``learnsoc rollup --out rollup.csv`` (:meth:`~learnsoc.aggregate.rollup.Rollup.to_columns`)
writes one row per unit at every level and a total row: ``level``, ``code``, ``name``,
``parent_code``, one column per measure, the completeness (``units_reporting``,
``units_expected``) and, from Python, each rate's value and status. Given to
:func:`~learnsoc.aggregate.rollup.rollup_counts` (``learnsoc rollup --counts rollup.csv``,
``learnsoc report --counts rollup.csv``), such a table is read back exactly: a row's
figure is its units' rows added up plus what is its own (the organisations of a commune,
a province's title), so each row adds only its own part, never its units' again. A row
whose figure is less than its units' rows add up to is a ``sum_mismatch`` reject (its
units still count); one more keeps the rest as its own (clans and organisations of any
level, a unit's title). A row above a rejected row holds the rejected unit's figure, so
its own part cannot be told: a ``rejected_unit_row`` reject naming that unit, never an
accepted row whose own part is dropped unsaid. The completeness is read from the rows of
the level that reports: a unit whose row says ``units_reporting`` 0 did not report, and
still does not. The names and the rates are written from the units file and the counts,
not read; a row whose ``parent_code`` is not its unit's parent in the units file (a
rollup written with another tree, or edited) is a ``parent_mismatch`` reject, and so is
read neither the row it names as its parent (whose figure holds it, where the units file
says it should not: ``rejected_unit_row``) nor, as above any rejected row, its parent in
the units file: the tree's own parts are never worked out from figures added up by
another tree.

Examples
--------
>>> import learnsoc as ls
>>> h = ls.Hierarchy.from_units({"code": ["01", "00001", "00004"],
...     "level": ["province", "commune", "commune"], "parent_code": ["", "01", "01"]},
...     levels=["province", "commune"])
>>> first = ls.rollup_counts({"unit_code": ["00001", "00004"], "families": [10, 20]}, h)
>>> again = ls.rollup_counts(first.to_columns(), h)
>>> again.to_columns()["families"].tolist() == first.to_columns()["families"].tolist()
True
>>> again.rejects.counts()
{'counts': (4, 4, 0)}
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc._phrases import LevelName
from learnsoc.aggregate.names import EXPECTED, REPORTING, RESERVED, TOTAL
from learnsoc.errors import Message, SchemaError
from learnsoc.i18n import N_
from learnsoc.model.ids import IdIndex
from learnsoc.model.population import locate_units

if TYPE_CHECKING:
    from learnsoc.model.hierarchy import Hierarchy

__all__ = [
    "RolledCounts",
    "completeness_mismatch",
    "is_rollup_layout",
    "own_counts",
    "read_rollup_layout",
]

#: The columns of a rollup's rows that are no counts: written from the units file.
_UNIT_COLUMNS = ("level", "code", "name", "parent_code", "unit_name")

#: Counts by column, one per row.
Counts = dict[str, NDArray[np.int64]]

#: How a caller rejects rows: (mask, column, reason, values[, expected]).
Reject = Callable[..., None]


def is_rollup_layout(columns: Mapping[str, Any]) -> bool:
    """Return whether a counts table is a rollup learnsoc wrote (``level`` and ``code``).

    A counts file names its units in ``unit_code``; a rollup in ``code``, beside the
    ``level`` of each row.

    Examples
    --------
    >>> is_rollup_layout({"level": [], "code": [], "families": []})
    True
    >>> is_rollup_layout({"unit_code": [], "families": []})
    False
    """
    return "unit_code" not in columns and "level" in columns and "code" in columns


@attrs.frozen
class RolledCounts:
    """A rollup's table: its counts, and where each row sits in the tree.

    Attributes
    ----------
    columns : dict of str to array
        ``unit_code`` (the ``code`` column) and the count columns, every row of the table
        (rows keep their numbers, for the rejects' lines).
    level : str
        The level that reports: the lowest whose rows each expect one unit
        (``units_expected`` 1; the levels below a table of communes' counts expect
        none), else the lowest the table has rows of.
    reports : array of int64
        Per row of that level, 1 if its unit reported (0 where ``units_reporting`` is 0).
    levels, codes : array of str
        Each row's level and code as written.
    slot : array of int64
        Each row's unit (its index in the tree; the tree's size for the total row), or
        -1 for a row rejected as naming no unit of the tree.
    completeness : dict of str to array of str
        ``units_reporting`` and ``units_expected`` as written (checked, not read).
    parent : array of int64
        The slot of the row's parent unit (of the total for the top level; -1 for the
        total row and rows of no unit).
    parent_codes : array of str or None
        ``parent_code`` as written (checked against the units file), None without it.

    Examples
    --------
    >>> import learnsoc as ls
    >>> h = ls.Hierarchy.from_units({"code": ["01", "00001", "00004"],
    ...     "level": ["province", "commune", "commune"], "parent_code": ["", "01", "01"]},
    ...     levels=["province", "commune"])
    >>> got = read_rollup_layout({"level": ["province", "commune", "commune", "total"],
    ...     "code": ["01", "00001", "00004", ""], "families": [30, 10, 20, 30],
    ...     "units_reporting": [2, 1, 0, 2]}, h).placed(h, print)
    >>> got.level, got.reports.tolist(), got.slot.tolist(), got.parent.tolist()
    ('commune', [0, 1, 0, 0], [0, 1, 2, 3], [3, 0, 0, -1])
    >>> got.columns["families"].tolist(), got.completeness["units_reporting"].tolist()
    ([30, 10, 20, 30], ['2', '1', '0', '2'])
    """

    columns: dict[str, NDArray[Any]]
    level: str
    reports: NDArray[np.int64]
    levels: NDArray[np.str_]
    codes: NDArray[np.str_]
    completeness: dict[str, NDArray[np.str_]] = attrs.field(factory=dict)
    slot: NDArray[np.int64] = attrs.field(factory=lambda: np.zeros(0, np.int64))
    parent: NDArray[np.int64] = attrs.field(factory=lambda: np.zeros(0, np.int64))
    parent_codes: NDArray[np.str_] | None = None

    def placed(self, hierarchy: Hierarchy, reject: Reject) -> RolledCounts:
        """Return the table with each row placed in the tree (:attr:`slot`, :attr:`parent`).

        Rows naming no unit of their level are rejected through ``reject``
        (``missing_value``, ``unknown_unit``, ``wrong_level``, ``duplicate_id``), as are
        rows whose ``parent_code`` is not their unit's parent in the tree
        (``parent_mismatch``) and the rows they name as parents (``rejected_unit_row``).
        """
        slot, parent = _place(self.levels, self.codes, hierarchy, reject)
        if self.parent_codes is not None:
            _reject_wrong_parents(self.parent_codes, self.codes, slot, parent, hierarchy, reject)
        return attrs.evolve(self, slot=slot, parent=parent)


def _text(values: Any) -> NDArray[np.str_]:
    arr = np.asarray(values)
    text = arr.astype(str) if arr.dtype.kind != "U" else arr
    return np.char.strip(text) if text.size else text


def read_rollup_layout(columns: Mapping[str, Any], hierarchy: Hierarchy) -> RolledCounts:
    """Return a rollup's table as counts (see :meth:`RolledCounts.placed` for its rows).

    Rate columns (``share`` beside ``share_status``), the units' names and parents and
    the completeness are left out of the counts; ``units_reporting`` says which units of
    the lowest level reported.

    Raises
    ------
    SchemaError
        If no row is of a level of ``hierarchy`` (a rollup of the total row only, or of
        another tree), or the lowest level's rows are not those of the units that report
        (``units_expected`` above 1): the message says which rows to write.

    Examples
    --------
    >>> import learnsoc as ls
    >>> h = ls.Hierarchy.from_units({"code": ["01", "00001"], "level": ["province", "commune"],
    ...     "parent_code": ["", "01"]}, levels=["province", "commune"])
    >>> got = read_rollup_layout({"level": ["province", "commune", "total"],
    ...     "code": ["01", "00001", ""], "families": [5, 5, 5]}, h).placed(h, print)
    >>> got.level, got.slot.tolist(), got.parent.tolist(), list(got.columns)
    ('commune', [0, 1, 2], [2, 0, -1], ['unit_code', 'families'])
    """
    levels = _text(columns["level"])
    codes = _text(columns["code"])
    rates = {c for c in columns if f"{c}_status" in columns}
    rates |= {f"{c}_status" for c in rates}
    present = set(levels.tolist())
    known = [lv for lv in hierarchy.levels if lv in present]
    lowest = hierarchy.levels[-1]
    if not known:
        found = sorted(present) or ["-"]
        msg = Message(
            N_(
                "is the level column of a learnsoc rollup, read as counts: it needs the rows "
                "of the units of a level of the units file ({levels}), but holds only {found}; "
                "write the rollup with those rows (--level {lowest}) to read it back"
            ),
            levels=", ".join(hierarchy.levels),
            found=", ".join(found),
            lowest=lowest,
        )
        raise SchemaError("counts", "level", str(msg)).translatable(msg)
    level = known[-1]
    if EXPECTED in columns:
        # The level that reports is the one whose units expect themselves (1); those
        # below it expect none (0), and are not where the completeness is counted.
        expected = _text(columns[EXPECTED])
        ones = [lv for lv in known if (expected[levels == lv] == "1").all()]
        level = ones[-1] if ones else level
    at_level = levels == level
    if EXPECTED in columns and not (_text(columns[EXPECTED])[at_level] == "1").all():
        # The completeness counts units below these rows, which the file does not name.
        msg = Message(
            N_(
                "counts units below the rows of level {level}, the lowest of this rollup: "
                "which of them reported cannot be read back; write the rollup with the rows "
                "of the level that reports (--level {lowest}, or all levels)"
            ),
            level=LevelName(level),  # "cấp xã" in Vietnamese; --level takes the id
            lowest=lowest,
        )
        raise SchemaError("counts", EXPECTED, str(msg)).translatable(msg)
    kept = {
        c: np.asarray(v)
        for c, v in columns.items()
        if c not in _UNIT_COLUMNS and c not in rates and c not in RESERVED
    }
    reports = at_level.astype(np.int64)
    if REPORTING in columns:
        reports[_text(columns[REPORTING]) == "0"] = 0
    return RolledCounts(
        columns={"unit_code": codes, **kept},
        level=level,
        reports=reports,
        levels=levels,
        codes=codes,
        completeness={c: _text(columns[c]) for c in RESERVED if c in columns},
        parent_codes=_text(columns["parent_code"]) if "parent_code" in columns else None,
    )


def _reject_wrong_parents(
    written: NDArray[np.str_],
    codes: NDArray[np.str_],
    slot: NDArray[np.int64],
    parent: NDArray[np.int64],
    hierarchy: Hierarchy,
    reject: Reject,
) -> None:
    """Reject the rows whose ``parent_code`` is not their unit's parent in the tree.

    A blank ``parent_code`` says nothing, and is not checked. The row a wrong parent
    names is rejected too (``rejected_unit_row``): its figure holds the row's, which
    the tree puts elsewhere, so its own part cannot be told.

    Examples
    --------
    >>> import learnsoc as ls
    >>> h = ls.Hierarchy.from_units({"code": ["01", "02", "001"],
    ...     "level": ["province", "province", "commune"], "parent_code": ["", "", "01"]},
    ...     levels=["province", "commune"])
    >>> said = []
    >>> _reject_wrong_parents(np.array(["", "", "02"]), np.array(["01", "02", "001"]),
    ...     np.array([0, 1, 2]), np.array([3, 3, 0]), h,
    ...     lambda mask, column, reason, values, expected="": said.append(
    ...         (np.flatnonzero(mask).tolist(), column, reason, values[mask].tolist(), expected)))
    >>> for one in said:
    ...     print(one)
    ([2], 'parent_code', 'parent_mismatch', ['02'], '01')
    ([1], 'code', 'rejected_unit_row', ['001'], '')
    """
    n_units = len(hierarchy)
    said = (slot >= 0) & (slot < n_units) & (written != "")
    rows = np.flatnonzero(said)
    if not len(rows):
        return
    named = np.full(len(written), -1, np.int64)
    starts = np.asarray(hierarchy.starts, np.int64)
    depth = np.searchsorted(starts, slot[rows], side="right") - 1
    # Each parent is looked for one level up, so that a code a spreadsheet saved as a
    # number (1 for 01) is its unit there, as the code column's are restored.
    # (A unit of the top level has none: the unit its row names is looked for anywhere.)
    for k in np.unique(depth).tolist():
        at = rows[depth == k]
        with warnings.catch_warnings():
            # Codes that lost their leading zeros: the code column's warning says it.
            warnings.simplefilter("ignore")
            up = [k - 1] if k > 0 else None
            _, _, lev, local = locate_units(written[at], hierarchy, "counts", up)
        lev = np.asarray(lev, np.int64)
        found = lev >= 0
        named[at[found]] = starts[lev[found]] + np.asarray(local, np.int64)[found]
    # A unit of the top level has no parent unit (its parent slot is the total's).
    wrong = said & (named != np.where(parent < n_units, parent, -2))
    if not wrong.any():
        return
    tree_codes = np.asarray(hierarchy.codes).astype(str)
    expected = np.where(parent < n_units, tree_codes[np.minimum(parent, n_units - 1)], "-")
    for code in np.unique(expected[wrong]).tolist():  # one batch per parent the tree gives
        reject(wrong & (expected == code), "parent_code", "parent_mismatch", written, code)
    # The rows named as parents, whose figures hold a unit the tree puts elsewhere.
    row_of = np.full(n_units, -1, np.int64)
    placed = np.flatnonzero((slot >= 0) & (slot < n_units))
    row_of[slot[placed]] = placed
    holder = np.full(len(written), -1, np.int64)
    named_rows = np.flatnonzero(wrong & (named >= 0))
    holder_rows = row_of[named[named_rows]]
    has_row = holder_rows >= 0
    holder[holder_rows[has_row]] = named_rows[has_row]
    held = holder >= 0
    if held.any():
        reject(held, "code", "rejected_unit_row", np.where(held, codes[np.maximum(holder, 0)], ""))


def _place(
    levels: NDArray[np.str_], codes: NDArray[np.str_], hierarchy: Hierarchy, reject: Reject
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Return each row's slot in the tree and its parent's, rejecting rows of no unit."""
    n = len(levels)
    total_slot = len(hierarchy)
    slot = np.full(n, -1, np.int64)
    parent = np.full(n, -1, np.int64)
    is_total = levels == TOTAL
    slot[is_total] = total_slot
    number = {lv: i for i, lv in enumerate(hierarchy.levels)}
    rows = np.flatnonzero(~is_total)
    if len(rows):
        found, missing, lev, local = locate_units(codes[rows], hierarchy, "counts")
        shown = np.asarray(found).astype(str)
        want = np.array([number.get(v, -1) for v in levels[rows].tolist()], np.int64)
        lev = np.asarray(lev, np.int64)

        def mark(mask: NDArray[np.bool_], column: str, reason: str, *more: Any) -> None:
            if not mask.any():
                return
            full = np.zeros(n, bool)
            full[rows[mask]] = True
            values = np.asarray(codes).copy() if column == "code" else levels
            if column == "code":
                values[rows] = shown
            reject(full, column, reason, values, *more)

        mark(missing, "code", "missing_value")
        unknown_level = (want < 0) & ~missing
        mark(unknown_level, "level", "wrong_level", ", ".join((*hierarchy.levels, TOTAL)))
        mark((lev < 0) & ~missing & ~unknown_level, "code", "unknown_unit")
        wrong = (lev >= 0) & (want >= 0) & (lev != want)
        for k in np.unique(want[wrong]).tolist():
            mark(wrong & (want == k), "code", "wrong_level", hierarchy.levels[k])
        ok = (lev >= 0) & (lev == want)
        g = np.asarray(hierarchy.starts, np.int64)[np.maximum(lev, 0)] + np.asarray(local)
        dup = ok & IdIndex(np.where(ok, g, -1 - np.arange(len(g)))).duplicated()
        mark(dup, "code", "duplicate_id")
        ok &= ~dup
        slot[rows[ok]] = g[ok]
        top = ok & (lev == 0)
        parent[rows[top]] = total_slot
        below = ok & (lev > 0)
        if below.any():
            up = lev[below] - 1
            anc = hierarchy.ancestors[g[below], up].astype(np.int64)
            parent[rows[below]] = np.asarray(hierarchy.starts, np.int64)[up] + anc
    twice = is_total & (np.cumsum(is_total) > 1)
    if twice.any():
        full = np.zeros(n, bool)
        full[np.flatnonzero(is_total)] = True  # every copy, as ids
        reject(full, "level", "duplicate_id", levels)
        slot[is_total] = -1
    return slot, parent


def own_counts(
    rolled: RolledCounts,
    values: Mapping[str, NDArray[np.int64]],
    bad: NDArray[np.bool_],
    n_slots: int,
    depth: NDArray[np.int64],
) -> tuple[
    dict[str, NDArray[np.int64]],
    dict[str, NDArray[np.int64]],
    dict[str, NDArray[np.bool_]],
    NDArray[np.int64],
]:
    """Return each row's own part of each count, its units' sum, the rows less, and more.

    The last: for each row above a rejected one, that row.

    A row's own part is its figure less what its units' rows stand for, worked out from
    the lowest level up: an accepted row stands for its figure, a rejected one for its
    own units only. A row less than its units (in any column) is returned to be rejected
    (``sum_mismatch``). A row above a rejected one has no own part that can be told: its
    figure holds the rejected unit's, which is not known (the row is not read), so it
    stands for its units' accepted rows only. The last array gives, per row, a rejected
    row under it (the first in the table), -1 for none: the caller rejects such a row
    (``rejected_unit_row``) rather than drop its own part unsaid. ``depth`` is each row's
    level number (-1 for the total row); ``bad`` the rows rejected so far.

    Examples
    --------
    >>> import learnsoc as ls
    >>> h = ls.Hierarchy.from_units({"code": ["01", "00001"], "level": ["province", "commune"],
    ...     "parent_code": ["", "01"]}, levels=["province", "commune"])
    >>> rolled = read_rollup_layout({"level": ["province", "commune", "total"],
    ...     "code": ["01", "00001", ""], "units": [3, 2, 3]}, h).placed(h, print)
    >>> own, below, less, above = own_counts(rolled, {"units": np.array([3, 2, 3])},
    ...     np.zeros(3, bool), 3, np.array([0, 1, -1]))
    >>> own["units"].tolist(), below["units"].tolist(), less["units"].tolist(), above.tolist()
    ([1, 2, 0], [2, 0, 3], [False, False, False], [-1, -1, -1])
    >>> own, below, less, above = own_counts(rolled, {"units": np.array([3, 2, 3])},
    ...     np.array([False, True, False]), 3, np.array([0, 1, -1]))
    >>> own["units"].tolist(), above.tolist()  # the commune's row (1) was rejected
    ([0, 0, 0], [1, -1, 1])
    """
    n = len(rolled.slot)
    bad = bad.copy()
    placed = rolled.slot >= 0
    own = {c: np.zeros(n, np.int64) for c in values}
    below = {c: np.zeros(n, np.int64) for c in values}
    less = {c: np.zeros(n, bool) for c in values}
    under = {c: np.zeros(n_slots, np.int64) for c in values}
    # Per unit, the first rejected row under it (n: none), carried up level by level.
    tainted_by = np.full(n_slots, n, np.int64)
    above = np.full(n, -1, np.int64)
    for level in sorted(set(depth[placed].tolist()), key=lambda d: -d if d >= 0 else 1):
        rows = np.flatnonzero(placed & (depth == level))
        at = rolled.slot[rows]
        tainted = tainted_by[at] < n
        above[rows] = np.where(tainted & ~bad[rows], tainted_by[at], -1)
        for c, figures in values.items():
            below[c][rows] = under[c][at]
            part = figures[rows] - below[c][rows]
            less[c][rows] = ~bad[rows] & ~tainted & (part < 0)
            own[c][rows] = np.where(tainted, 0, part)
        bad[rows] |= np.logical_or.reduce([less[c][rows] for c in values])
        ok = ~bad[rows]
        up = rolled.parent[rows]
        has_parent = up >= 0
        for c, figures in values.items():
            stands = np.where(ok & ~tainted, figures[rows], below[c][rows])
            np.add.at(under[c], up[has_parent], stands[has_parent])
        # A rejected row taints its parent with itself; a row above one, with that one.
        source = np.where(~ok, rows, np.where(tainted, tainted_by[at], n))
        np.minimum.at(tainted_by, up[has_parent], source[has_parent])
    for c in values:
        own[c] = np.where(bad, 0, np.maximum(own[c], 0))
    return own, below, less, above


def completeness_mismatch(
    rolled: RolledCounts, counts: Mapping[str, NDArray[np.int64]], reject: Reject
) -> None:
    """Reject the rows whose completeness is not that of their units, as read back.

    ``counts`` are the rollup's counts by slot (its rows in tree order, then the total).
    A ``units_expected`` other than the units file's says the rollup was of another tree;
    a ``units_reporting`` other than its units' rows say, that the row was changed.

    Examples
    --------
    >>> import learnsoc as ls
    >>> h = ls.Hierarchy.from_units({"code": ["01", "00001", "00004"],
    ...     "level": ["province", "commune", "commune"], "parent_code": ["", "01", "01"]},
    ...     levels=["province", "commune"])
    >>> rolled = read_rollup_layout({"level": ["province", "commune", "commune", "total"],
    ...     "code": ["01", "00001", "00004", ""], "families": [30, 10, 20, 30],
    ...     "units_expected": [2, 1, 1, 9]}, h).placed(h, print)
    >>> said = []
    >>> def reject(rows, column, reason, values, expected):
    ...     said.append((np.flatnonzero(rows).tolist(), column, reason, expected))
    >>> completeness_mismatch(rolled, {"units_expected": np.array([2, 1, 1, 2])}, reject)
    >>> said  # the total row says 9 communes where the tree has 2
    [([3], 'units_expected', 'sum_mismatch', '2')]
    """
    placed = rolled.slot >= 0
    for column, written in rolled.completeness.items():
        figures = counts[column][np.maximum(rolled.slot, 0)]
        wrong = placed & (written != figures.astype(str))
        for total in np.unique(figures[wrong]).tolist():  # one sum per batch
            reject(wrong & (figures == total), column, "sum_mismatch", written, str(total))
