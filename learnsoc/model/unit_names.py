"""Households that name their village by its name, not its code (``Thôn Đông``).

A commune's list of households is often typed with the village as people name it, in a
column ``Thôn/xóm``: ``Thôn Đông``, or ``Đông`` under that heading. Read as codes, every
such row named a unit that does not exist (``unknown_unit``), and nothing said that the
column held names. A name that is the name of exactly one village of the units file is
now read as that village, and a :class:`UnitNamesWarning` counts the rows so read, with
an example; a name that several villages share (``Thôn Đông`` of two communes) is an
``ambiguous_unit`` reject naming each of them with its code and its commune, never a
guess. Names match as the units file writes them, in any case, with accents composed or
decomposed, with or without the kind of unit before them (``Đông`` is ``Thôn Đông`` when
no village is named ``Đông`` itself); accents are never left out (``Dong`` is no name).

Examples
--------
>>> import warnings
>>> from learnsoc.model.hierarchy import Hierarchy
>>> tree = Hierarchy.from_units({"code": ["01", "001", "002", "001001", "002001", "002002"],
...     "name": ["Tỉnh A", "Xã B", "Xã C", "Thôn Đông", "Thôn Đông", "Xóm Mới"],
...     "level": ["province", "commune", "commune", "village", "village", "village"],
...     "parent_code": [None, "01", "01", "001", "002", "002"]})
>>> found, shared = village_by_name(np.array(["xóm mới", "Mới", "Thôn Đông", "Tây"]), tree)
>>> found.tolist(), shared[2]
([2, 2, -1, -1], [0, 1])
>>> print(candidates_text(tree, shared[2]))
001001 (Thôn Đông, Xã B), 002001 (Thôn Đông, Xã C)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from learnsoc._messages import N_
from learnsoc.errors import LearnsocWarning
from learnsoc.model.hierarchy import Hierarchy

__all__ = ["UnitNamesWarning", "candidates_text", "village_by_name"]

#: The kinds of unit a name may start with (``Thôn Đông``), longest first so that
#: ``tổ dân phố`` is taken whole before ``tổ``.
KIND_WORDS = (
    "tổ dân phố",
    "khu phố",
    "khối phố",
    "thị trấn",
    "đặc khu",
    "thôn",
    "xóm",
    "ấp",
    "bản",
    "buôn",
    "làng",
    "plei",
    "sóc",
    "tổ",
    "khu",
    "khối",
    "xã",
    "phường",
)
_KIND = re.compile(r"(?:" + "|".join(re.escape(w) for w in KIND_WORDS) + r")\s+(?=\S)")
_LETTER = re.compile(r"[^\W\d_]")


class UnitNamesWarning(LearnsocWarning):
    """Households whose unit column held a village's name were read as that village.

    The name is that of exactly one unit of the lowest level of the units file; the
    warning counts the rows so read and gives an example, so that nothing is placed
    unseen (see :mod:`learnsoc.model.unit_names`).

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


def village_by_name(
    texts: NDArray[Any], hierarchy: Hierarchy
) -> tuple[NDArray[np.int64], dict[int, list[int]]]:
    """Find the villages (units of the lowest level) that ``texts`` name by their names.

    Parameters
    ----------
    texts : array of str
        Values of a unit column that are no unit's code.
    hierarchy : Hierarchy
        The tree, whose units' names are matched.

    Returns
    -------
    found : array of int
        Per text, the local index of the one village of that name, else -1.
    shared : dict of int to list of int
        The texts that several villages' names match: their local indices.

    Examples
    --------
    >>> from learnsoc.model.hierarchy import Hierarchy
    >>> tree = Hierarchy.from_units({"code": ["01", "001", "001001", "001002"],
    ...     "name": ["Tỉnh A", "Xã B", "Thôn Đông", "Tổ dân phố 3"],
    ...     "level": ["province", "commune", "village", "village"],
    ...     "parent_code": [None, "01", "001", "001"]})
    >>> found, shared = village_by_name(np.array(["THÔN ĐÔNG", "Tổ 3", "3", "Thon Dong"]), tree)
    >>> found.tolist(), shared
    ([0, 1, -1, -1], {})
    """
    found = np.full(len(texts), -1, np.int64)
    shared: dict[int, list[int]] = {}
    names = [name_key(str(n)) for n in hierarchy.names_at(hierarchy.leaf_level).tolist()]
    whole, short = _index(names), _index([short_key(n) for n in names])
    for i, text in enumerate(np.asarray(texts).astype(str).tolist()):
        key = name_key(text)
        if not _LETTER.search(key):
            continue  # a code, or a number: never a name
        hits = whole.get(key) or short.get(short_key(key), [])
        if len(hits) == 1:
            found[i] = hits[0]
        elif len(hits) > 1:
            shared[i] = hits
    return found, shared


def candidates_text(hierarchy: Hierarchy, villages: Sequence[int]) -> str:
    """Return the villages a shared name names: each code, with its name and its parent's.

    Examples
    --------
    >>> from learnsoc.model.hierarchy import Hierarchy
    >>> tree = Hierarchy.from_units({"code": ["01", "001", "001001"],
    ...     "name": ["Tỉnh A", "Xã B", "Thôn Đông"], "level": ["province", "commune", "village"],
    ...     "parent_code": [None, "01", "001"]})
    >>> candidates_text(tree, [0])
    '001001 (Thôn Đông, Xã B)'
    """
    leaf = hierarchy.leaf_level
    codes, names = hierarchy.codes_at(leaf), hierarchy.names_at(leaf)
    if hierarchy.n_levels > 1:
        above = hierarchy.levels[-2]
        parents = hierarchy.names_at(above)[hierarchy.parent_index(leaf)]
    else:
        parents = np.full(len(codes), "")
    said = []
    for v in villages:
        where = ", ".join(str(w) for w in (names[v], parents[v]) if str(w))
        said.append(f"{codes[v]} ({where})" if where else str(codes[v]))
    return ", ".join(said)


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
