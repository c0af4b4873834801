"""What a table's total row totals: "total of 3 provinces", "tổng 3 tỉnh, thành phố".

A total row labelled just "total" leaves the reader to guess what was added up (the
provinces listed? the communes?). Its label names the units of the tree's top level it
sums, counted in the tree, so a published table says it in every format; the machine
value of the row stays its level, ``"total"``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from learnsoc.i18n import format_integer, ngettext

if TYPE_CHECKING:
    from learnsoc.model.hierarchy import Hierarchy

__all__ = ["total_label", "total_of"]


def total_of(level: str, n: int, locale: str | None) -> str:
    """Return the label of a total of ``n`` units of ``level``.

    Examples
    --------
    >>> total_of("province", 3, "en"), total_of("province", 3, "vi")
    ('total of 3 provinces', 'tổng 3 tỉnh, thành phố')
    >>> total_of("commune", 1, "en"), total_of("commune", 3321, "vi")
    ('total of 1 commune', 'tổng 3.321 xã')
    """
    # One message per level, so that each language can put its own noun and plural.
    if level == "province":
        text = ngettext("total of {n} province", "total of {n} provinces", n, locale)
    elif level == "district":
        text = ngettext("total of {n} district", "total of {n} districts", n, locale)
    elif level == "commune":
        text = ngettext("total of {n} commune", "total of {n} communes", n, locale)
    elif level == "village":
        text = ngettext("total of {n} village", "total of {n} villages", n, locale)
    else:
        text = ngettext("total of {n} unit", "total of {n} units", n, locale)
    return text.format(n=format_integer(n, locale))


def total_label(tree: Hierarchy, locale: str | None) -> str:
    """Return the label of a tree's total row: the units of its top level, counted.

    Examples
    --------
    >>> import learnsoc as ls
    >>> h = ls.Hierarchy.from_units({"code": ["01", "02"], "level": ["province"] * 2,
    ...     "parent_code": [None, None]}, levels=["province"])
    >>> total_label(h, "en"), total_label(h, "vi")
    ('total of 2 provinces', 'tổng 2 tỉnh, thành phố')
    """
    top = tree.levels[0]
    return total_of(top, tree.n_units(top), locale)
