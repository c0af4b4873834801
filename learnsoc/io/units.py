"""A lenient units loader: bad units become rejects, the rest becomes the hierarchy.

:meth:`Hierarchy.from_units` stops at the first bad unit, which suits code that builds
a tree on purpose. A units file from an agency can have a few bad rows among thousands;
here each bad unit is a reject with its reason, and so is every unit below it (its
subtree cannot be placed), and the hierarchy is built from the units left:

========================  =================================================
reason                    when
========================  =================================================
``missing_value``         a unit without a code, or below the top without a parent
``unknown_code``          a level that is not one of the tree's levels
``duplicate_id``          a code used by more than one unit (every copy)
``unknown_unit``          a parent code that is not in the file (an orphan)
``wrong_level``           a parent that is not exactly one level up, or a parent
                          given to a top-level unit
``rejected_unit``         a parent that was itself rejected
========================  =================================================

Because a parent is always exactly one level up, parents cannot form a cycle.

Examples
--------
>>> import numpy as np
>>> units = {"code": np.array(["01", "001", "002", "T1", "T2"]),
...          "level": np.array(["province", "commune", "commune", "village", "village"]),
...          "parent_code": np.array(["", "01", "09", "001", "002"])}
>>> h, problems = lenient_units(units, "vn-2025")
>>> h
Hierarchy('vn-2025': 1 province, 1 commune, 1 village)
>>> [(b.reason, b.rows.tolist(), b.values.tolist()) for b in problems]
[('unknown_unit', [2], ['09']), ('rejected_unit', [4], ['002'])]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from learnsoc._excel_cells import excel_error_rows
from learnsoc._messages import Message
from learnsoc.io.rejects import LineBatch, Source, place_template
from learnsoc.model.hierarchy import Hierarchy, HierarchySpec, Level, hierarchy_spec, level_named
from learnsoc.model.ids import IdIndex, nfc_text, trim_text
from learnsoc.model.merged_provinces import MergedProvinceWarning, warn_merged_provinces

__all__ = ["lenient_units", "merged_in_file", "unit_problems"]


def _text(units: Mapping[str, Any], name: str, n: int) -> NDArray[np.str_]:
    if name not in units:
        return np.full(n, "", dtype="<U1")
    arr = np.asarray(units[name])
    arr = arr if arr.dtype.kind == "U" else arr.astype(str)
    return trim_text(arr)


def lenient_units(
    units: Mapping[str, Any],
    levels: str | HierarchySpec | Sequence[str | Level] = "vn-2025",
) -> tuple[Hierarchy, list[LineBatch]]:
    """Build a hierarchy from the good units and return the bad ones as reject batches.

    Parameters
    ----------
    units : mapping of str to array
        Columns ``code``, ``level``, and optionally ``name`` and ``parent_code``
        (empty at the top level).
    levels : str, HierarchySpec or sequence of str
        The tree's levels (a preset name, a spec, or names, top first).

    Returns
    -------
    hierarchy : Hierarchy
        The tree of the accepted units.
    problems : list of LineBatch
        The rejected units (table ``"unit"``; rows are 0-based input rows).

    Raises
    ------
    HierarchyError
        If what is left is not a tree learnsoc can use (a level with no unit left).

    Examples
    --------
    >>> units = {"code": ["01", "001", "T1", "T9", "T2", "T2"],
    ...     "level": ["province", "commune"] + ["village"] * 4,
    ...     "parent_code": ["", "01", "001", "009", "001", "001"]}
    >>> tree, problems = lenient_units(units, ["province", "commune", "village"])
    >>> tree.codes_at("village").tolist()
    ['T1']
    >>> [(p.column, p.reason, p.rows.tolist()) for p in problems]
    [('code', 'duplicate_id', [4, 5]), ('parent_code', 'unknown_unit', [3])]
    """
    spec = hierarchy_spec(levels)
    problems, keep, cols = _check(units, spec)
    kept = {k: v[keep] for k, v in cols.items()}
    # An old province left in a list of 2026 (Hà Giang, merged into Tuyên Quang): said.
    provinces = kept["level"] == "province"
    rows = np.flatnonzero(keep)[provinces]
    warn_merged_provinces(
        kept["code"][provinces], kept["name"][provinces], spec, stacklevel=2, rows=rows
    )
    return Hierarchy.from_units(kept, levels=spec), problems


def merged_in_file(message: Warning | str, source: Source) -> Warning | str:
    """Name the file, line and code column of an old province left in a units list.

    :func:`lenient_units` says "units: province '02' ..." of the columns it was given; a
    reader knows their file: ``don_vi.csv, line 2, column Mã: province '02' ...``, as the
    rejects of that file are placed. Other warnings are returned as given.

    Examples
    --------
    >>> import warnings
    >>> from learnsoc.io.table import Layout
    >>> from learnsoc.model.hierarchy import PRESETS
    >>> units = {"code": ["02", "00688", "00688001"], "name": ["Hà Giang", "P1", "T1"],
    ...     "level": ["province", "commune", "village"], "parent_code": ["", "02", "00688"]}
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     _ = lenient_units(units, PRESETS["vn-2025"])
    >>> where = Source("don_vi.csv", Layout(3), columns={"code": "Mã"})
    >>> print(merged_in_file(caught[0].message, where))  # doctest: +ELLIPSIS
    don_vi.csv, line 2, column Mã: province '02' (Tỉnh Hà Giang) was merged into '08' ...
    """
    if not isinstance(message, MergedProvinceWarning) or message.row is None:
        return message
    layout = source.layout
    line = int(layout.line_of(layout.record_of(np.array([message.row], np.int64)))[0])
    msg = Message(
        place_template(source),
        file=source.file,
        line=line,
        row=line,
        column=source.column_name("code"),
        message=message.params["message"],
    )
    placed = MergedProvinceWarning(str(msg), code=message.code, row=message.row)
    return placed.translatable(msg)


def unit_problems(
    units: Mapping[str, Any], levels: str | HierarchySpec | Sequence[str | Level]
) -> list[LineBatch]:
    """Return the rejected units only (no tree is built), as :func:`lenient_units` finds them.

    Examples
    --------
    >>> units = {"code": ["01", "001", "T9", "T2", "T2"],
    ...     "level": ["province", "commune", "village", "village", "village"],
    ...     "parent_code": ["", "01", "009", "001", "001"]}
    >>> problems = unit_problems(units, ["province", "commune", "village"])
    >>> [(p.reason, p.values.tolist()) for p in problems]
    [('duplicate_id', ['T2', 'T2']), ('unknown_unit', ['009'])]
    """
    return _check(units, hierarchy_spec(levels))[0]


def _check(
    units: Mapping[str, Any], spec: HierarchySpec
) -> tuple[list[LineBatch], NDArray[np.bool_], dict[str, NDArray[np.str_]]]:
    n = len(np.asarray(units["code"]))
    codes = _text(units, "code", n)
    level_names = nfc_text(_text(units, "level", n))  # as the level names are (Level)
    parents = _text(units, "parent_code", n)
    names = _text(units, "name", n) if "name" in units else codes
    problems: list[LineBatch] = []
    bad = np.zeros(n, bool)

    def reject(
        mask: NDArray[np.bool_], column: str, reason: str, values: Any, expected: str = ""
    ) -> None:
        rows = np.flatnonzero(mask & ~bad)
        if len(rows):
            problems.append(
                LineBatch("unit", column, reason, rows, np.asarray(values)[rows], expected)
            )
            bad[rows] = True

    reject(codes == "", "code", "missing_value", codes)
    level_of = {name: k for k, name in enumerate(spec.names)}
    lev = np.array([level_of.get(x, -1) for x in level_names.tolist()], dtype=np.int64)
    failed = np.zeros(n, bool)
    failed[excel_error_rows(level_names)] = True  # #N/A: a formula that failed
    reject(failed, "level", "excel_error", level_names)
    index = IdIndex(codes)
    # A word that names two levels of the tree (Thành phố: a province, or a district
    # before the 2025 reform) is the level its parent fixes; else it is refused naming
    # those two, the levels to choose from.
    several_of: dict[str, list[int]] = {}
    for word in np.unique(level_names[lev < 0]).tolist():
        several = [k for k, name in enumerate(spec.names) if level_named(word, [name]) == name]
        if len(several) > 1:
            several_of[word] = several
    if several_of:
        lev = _level_from_parent(lev, level_names, parents, index, several_of)
    for word, several in several_of.items():
        expected = ", ".join(spec.names[k] for k in several)
        reject((level_names == word) & (lev < 0), "level", "unknown_code", level_names, expected)
    reject(lev < 0, "level", "unknown_code", level_names, ", ".join(spec.names))
    reject(index.duplicated() & (codes != ""), "code", "duplicate_id", codes)
    has_parent = parents != ""
    top = lev == 0
    reject(top & has_parent, "parent_code", "wrong_level", parents, f"none above {spec.names[0]}")
    reject((lev > 0) & ~has_parent, "parent_code", "missing_value", parents)
    parent_row, found = index.lookup(parents)
    reject(has_parent & ~found, "parent_code", "unknown_unit", parents)
    p = np.maximum(parent_row, 0)
    linked = has_parent & found
    # A parent refused already (its level a word of no level) makes its units
    # rejected_unit below, not units at a wrong level: the parent is what to fix.
    wrong = linked & ~bad[p] & (lev[p] != lev - 1)
    for k in range(1, len(spec.names)):
        reject(wrong & (lev == k), "parent_code", "wrong_level", parents, spec.names[k - 1])
    # A unit under a rejected unit cannot be placed: reject the subtree, level by level.
    for k in range(1, len(spec.names)):
        reject(linked & (lev == k) & bad[p], "parent_code", "rejected_unit", parents)
    # The level ids, with those that parents placed (Thành phố under a province).
    placed = np.where(lev >= 0, np.asarray(spec.names)[np.maximum(lev, 0)], level_names)
    cols = {"code": codes, "name": names, "level": placed, "parent_code": parents}
    return problems, ~bad, cols


def _level_from_parent(
    lev: NDArray[np.int64],
    words: NDArray[np.str_],
    parents: NDArray[np.str_],
    index: IdIndex,
    several_of: dict[str, list[int]],
) -> NDArray[np.int64]:
    """Place the units whose level word names several levels by their parent's level.

    A parent is exactly one level up, so a ``Thành phố`` under a province is a district
    (Thành phố Hà Giang, as the statistics office's lists before the 2025 reform write
    it) and one without a parent a province: no guess, as any other level would be
    refused as a wrong level. A unit whose parent's level is not known stays unplaced.

    Examples
    --------
    >>> words = np.array(["Tỉnh", "Thành phố", "Thành phố", "Xã"])
    >>> parents = np.array(["", "08", "", "070"])
    >>> lev = np.array([0, -1, -1, 2])
    >>> codes = np.array(["08", "070", "01", "02221"])
    >>> _level_from_parent(lev, words, parents, IdIndex(codes), {"Thành phố": [0, 1]}).tolist()
    [0, 1, 0, 2]
    """
    lev = lev.copy()
    open_rows = np.flatnonzero(np.isin(words, list(several_of)) & (lev < 0))
    parent_row, found = index.lookup(parents[open_rows])
    # Top first, then each level below: a Thành phố district under a Thành phố province.
    for _ in range(len(max(several_of.values(), key=len)) + 1):
        for j, row in enumerate(open_rows.tolist()):
            if lev[row] >= 0:
                continue
            several = several_of[str(words[row])]
            if parents[row] == "":
                at = 0
            elif found[j] and lev[parent_row[j]] >= 0:
                at = int(lev[parent_row[j]]) + 1
            else:
                continue
            if at in several:
                lev[row] = at
    return lev
