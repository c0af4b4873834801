"""Units written by their name, not their code (``Thôn Đông``, ``Xã Thanh Sơn``).

A commune's list of households is often typed with the village as people name it, in a
column ``Thôn/xóm``: ``Thôn Đông``, or ``Đông`` under that heading. Read as codes, every
such row named a unit that does not exist (``unknown_unit``), and nothing said that the
column held names. A name that is the name of exactly one village of the units file is
now read as that village, and a :class:`UnitNamesWarning` counts the rows so read, with
an example; a name that several villages share (``Thôn Đông`` of two communes) is an
``ambiguous_unit`` reject naming each of them with its code and its commune, never a
guess. Names match as the units file writes them, in any case, with accents composed or
decomposed, with or without the kind of unit before them (``Đông`` is ``Thôn Đông`` when
no village is named ``Đông`` itself; ``Đội 3`` is the unit ``3``, or the unit
``Đội 3``; the kinds are :data:`~learnsoc.model.unit_kinds.KIND_WORDS`, as a form's block
headings read them); accents are never left out (``Dong`` is no name).
The rows of a counts file that name their unit (``Xã Thanh Sơn``) are read the same way,
among the units of every level (or of the level given).

Examples
--------
>>> import warnings
>>> from learnsoc.model.hierarchy import Hierarchy
>>> tree = Hierarchy.from_units({"code": ["01", "001", "002", "001001", "002001", "002002"],
...     "name": ["Tỉnh A", "Xã B", "Xã C", "Thôn Đông", "Thôn Đông", "Xóm Mới"],
...     "level": ["province", "commune", "commune", "village", "village", "village"],
...     "parent_code": [None, "01", "01", "001", "002", "002"]})
>>> found, shared = units_by_name(np.array(["xóm mới", "Mới", "Thôn Đông", "Tây"]), tree, [2])
>>> found.tolist(), shared[2]
([5, 5, -1, -1], [3, 4])
>>> print(candidates_text(tree, shared[2]))
001001 (Thôn Đông, Xã B), 002001 (Thôn Đông, Xã C)
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from learnsoc._messages import N_, Message
from learnsoc._phrases import Lazy
from learnsoc.errors import LearnsocWarning
from learnsoc.i18n import format_integer
from learnsoc.model.hierarchy import Hierarchy
from learnsoc.model.ids import CodedIds
from learnsoc.model.unit_kinds import KIND_WORDS

__all__ = [
    "NAMES_READ",
    "NAMES_READ_IN_FILE",
    "NAMES_READ_ONE",
    "NAMES_READ_ONE_IN_FILE",
    "UnitNamesWarning",
    "candidates_text",
    "place_by_name",
    "units_by_name",
]

_KIND = re.compile(r"(?:" + "|".join(re.escape(w) for w in KIND_WORDS) + r")\s+(?=\S)")
_LETTER = re.compile(r"[^\W\d_]")


class UnitNamesWarning(LearnsocWarning):
    """Rows whose unit column held a unit's name were read as that unit.

    The households' villages (``Thôn Đông``), or the units of a counts file (``Xã Thanh
    Sơn``): the name is that of exactly one unit of the units file at the level the rows
    must be at; the warning counts the rows so read and gives an example, so that nothing
    is placed unseen (see :mod:`learnsoc.model.unit_names`).

    Examples
    --------
    >>> import warnings
    >>> import learnsoc as ls
    >>> tree = ls.Hierarchy.from_units({"code": ["01", "001", "001001"],
    ...     "name": ["Tỉnh A", "Xã B", "Thôn Đông"], "level": ["province", "commune", "village"],
    ...     "parent_code": [None, "01", "001"]})
    >>> persons = {"person_id": [1], "household_id": [1], "age": [40]}
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     pop = ls.Population.from_columns(
    ...         persons, {"household_id": [1], "unit_code": ["Thôn Đông"]}, tree)
    >>> caught[0].category.__name__, pop.columns("household")["unit_code"].tolist()
    ('UnitNamesWarning', ['001001'])
    """


def name_key(text: str) -> str:
    """Return a name as names are matched: NFC, any case, the spaces between words one.

    Examples
    --------
    >>> name_key(" THÔN  Đông ") == name_key(unicodedata.normalize("NFD", "thôn đông"))
    True
    """
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def short_key(key: str) -> str:
    """Return a matched name without the kind of unit before it (``thôn đông``: ``đông``).

    Examples
    --------
    >>> short_key("tổ dân phố 3"), short_key("thôn"), short_key("đông")
    ('3', 'thôn', 'đông')
    """
    return _KIND.sub("", key, count=1) if _KIND.match(key) else key


def _index(keys: Sequence[str]) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for i, key in enumerate(keys):
        if key:
            out.setdefault(key, []).append(i)
    return out


def units_by_name(
    texts: NDArray[Any], hierarchy: Hierarchy, levels: Sequence[int] | None = None
) -> tuple[NDArray[np.int64], dict[int, list[int]]]:
    """Find the units (of ``levels``, default any) that ``texts`` name by their names.

    Parameters
    ----------
    texts : array of str
        Values of a unit column that are no unit's code.
    hierarchy : Hierarchy
        The tree, whose units' names are matched.
    levels : sequence of int, optional
        The levels (by number, 0 = top) whose units may be meant; default every level.

    Returns
    -------
    found : array of int
        Per text, the index in the tree of the one unit of that name, else -1.
    shared : dict of int to list of int
        The texts that several units' names match: those units' indices in the tree.

    Examples
    --------
    >>> from learnsoc.model.hierarchy import Hierarchy
    >>> tree = Hierarchy.from_units({"code": ["01", "001", "001001", "001002"],
    ...     "name": ["Tỉnh A", "Xã B", "Thôn Đông", "Tổ dân phố 3"],
    ...     "level": ["province", "commune", "village", "village"],
    ...     "parent_code": [None, "01", "001", "001"]})
    >>> texts = np.array(["THÔN ĐÔNG", "Tổ 3", "3", "Thon Dong", "Xã B"])
    >>> found, shared = units_by_name(texts, tree, [2])
    >>> found.tolist(), shared
    ([2, 3, -1, -1, -1], {})
    >>> units_by_name(texts, tree)[0].tolist()
    [2, 3, -1, -1, 1]
    """
    found = np.full(len(texts), -1, np.int64)
    shared: dict[int, list[int]] = {}
    chosen = range(hierarchy.n_levels) if levels is None else levels
    units = np.concatenate(
        [np.arange(hierarchy.starts[k], hierarchy.starts[k + 1]) for k in chosen]
        or [np.zeros(0, np.int64)]
    ).astype(np.int64)
    names = [name_key(str(n)) for n in hierarchy.names[units].tolist()]
    whole, short = _index(names), _index([short_key(n) for n in names])
    for i, text in enumerate(np.asarray(texts).astype(str).tolist()):
        key = name_key(text)
        if not _LETTER.search(key):
            continue  # a code, or a number: never a name
        hits = whole.get(key) or short.get(short_key(key), [])
        if len(hits) == 1:
            found[i] = units[hits[0]]
        elif len(hits) > 1:
            shared[i] = units[hits].tolist()
    return found, shared


def candidates_text(hierarchy: Hierarchy, units: Sequence[int]) -> str:
    """Return the units a shared name names: each code, with its name and its parent's.

    Examples
    --------
    >>> from learnsoc.model.hierarchy import Hierarchy
    >>> tree = Hierarchy.from_units({"code": ["01", "001", "001001"],
    ...     "name": ["Tỉnh A", "Xã B", "Thôn Đông"], "level": ["province", "commune", "village"],
    ...     "parent_code": [None, "01", "001"]})
    >>> candidates_text(tree, [2, 1])
    '001001 (Thôn Đông, Xã B), 001 (Xã B, Tỉnh A)'
    """
    levels = np.searchsorted(hierarchy.starts, np.asarray(units, np.int64), side="right") - 1
    said = []
    for g, k in zip(units, levels.tolist(), strict=True):
        parent = ""
        if k > 0:
            parent = str(hierarchy.names[hierarchy.starts[k - 1] + hierarchy.parents[g]])
        where = ", ".join(w for w in (str(hierarchy.names[g]), parent) if w)
        said.append(f"{hierarchy.codes[g]} ({where})" if where else str(hierarchy.codes[g]))
    return ", ".join(said)


def place_by_name(
    codes: Any,
    unknown: NDArray[np.bool_],
    lev: NDArray[np.signedinteger[Any]],
    local: NDArray[np.signedinteger[Any]],
    hierarchy: Hierarchy,
    table: str,
    levels: Sequence[int] | None,
    refuse: Callable[[NDArray[np.intp], str], None],
) -> tuple[NDArray[np.signedinteger[Any]], NDArray[np.signedinteger[Any]], NDArray[np.bool_]]:
    """Place the rows whose unit code is a unit's name at that unit.

    ``codes`` holds the rows' codes as text (or a :class:`~learnsoc.model.ids.CodedIds`),
    ``unknown`` the rows no code matched, ``lev`` and ``local`` each row's level and
    index in it. A name of one unit of ``levels`` is taken, and a
    :class:`UnitNamesWarning` counts such rows (``table`` names the table); the rows of a
    name that several units have are given to ``refuse`` (their row numbers, one call
    per name) with those units, as the ``expected`` of an ``ambiguous_unit`` reject.

    Returns
    -------
    tuple
        The level and local index per row, and the rows refused.

    Examples
    --------
    >>> from learnsoc.model.hierarchy import Hierarchy
    >>> tree = Hierarchy.from_units({"code": ["01", "001", "001001"],
    ...     "name": ["Tỉnh A", "Xã B", "Thôn Đông"], "level": ["province", "commune", "village"],
    ...     "parent_code": [None, "01", "001"]})
    >>> codes = np.array(["001001", "Thôn Đông"])
    >>> lev, local = np.array([2, -1]), np.array([0, -1])
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     lev, local, refused = place_by_name(
    ...         codes, lev < 0, lev, local, tree, "household", [2], lambda rows, said: None)
    >>> lev.tolist(), local.tolist(), caught[0].category.__name__
    ([2, 2], [0, 0], 'UnitNamesWarning')
    """
    refused = np.zeros(len(unknown), bool)
    if not unknown.any():
        return lev, local, refused
    # The distinct values of the rows not found: a name is looked up once.
    if isinstance(codes, CodedIds):
        values, row_value = codes.values, codes.codes.astype(np.int64)
    else:
        values, row_value = np.unique(np.asarray(codes)[unknown], return_inverse=True)
        full = np.full(len(unknown), -1, np.int64)
        full[unknown] = row_value
        row_value = full
    found, shared = units_by_name(values, hierarchy, levels)
    if shared:
        # The rows of each shared name, grouped by one sort (not one pass per name).
        rows = np.flatnonzero(unknown)
        rows = rows[np.isin(row_value[rows], np.fromiter(shared, np.int64))]
        rows = rows[np.argsort(row_value[rows], kind="stable")]
        starts = np.flatnonzero(np.diff(row_value[rows])) + 1
        for group in np.split(rows, starts):
            refuse(group, candidates_text(hierarchy, shared[int(row_value[group[0]])]))
            refused[group] = True
    taken = unknown & (row_value >= 0)
    taken[taken] = found[row_value[taken]] >= 0
    if not taken.any():
        return lev, local, refused
    unit = found[row_value[taken]]
    at = np.searchsorted(hierarchy.starts, unit, side="right") - 1
    lev, local = lev.copy(), local.copy()
    lev[taken] = at
    local[taken] = unit - hierarchy.starts[at]
    first = int(np.flatnonzero(taken)[0])
    n = int(taken.sum())
    msg = Message(
        NAMES_READ_ONE if n == 1 else NAMES_READ,
        table_text=table,
        n=Lazy(lambda locale: format_integer(n, locale)),
        was=str(np.asarray(codes[first : first + 1])[0]),
        code=str(hierarchy.codes[unit[0]]),
    )
    warnings.warn(UnitNamesWarning(str(msg)).translatable(msg), stacklevel=4)
    return lev, local, refused


#: The warning of rows read by their village's name: the table, as the reader names it.
NAMES_READ_ONE = N_(
    "{table_text} unit_code: {n} row names its unit by its name, not its code, and was "
    "read as the one unit of that name in the units file (e.g. {was!r} as {code!r}); "
    "check it, or write the codes"
)
NAMES_READ = N_(
    "{table_text} unit_code: {n} rows name their unit by its name, not its code, and were "
    "read as the one unit of that name in the units file (e.g. {was!r} as {code!r}); "
    "check them, or write the codes"
)
#: The same, naming the file and its column (see learnsoc.io.population.in_file).
NAMES_READ_ONE_IN_FILE = N_(
    "{file}, column {column}: {n} row names its unit by its name, not its code, and was "
    "read as the one unit of that name in the units file (e.g. {was!r} as {code!r}); "
    "check it, or write the codes"
)
NAMES_READ_IN_FILE = N_(
    "{file}, column {column}: {n} rows name their unit by its name, not its code, and were "
    "read as the one unit of that name in the units file (e.g. {was!r} as {code!r}); "
    "check them, or write the codes"
)
