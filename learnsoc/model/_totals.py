"""What a table's total row totals: "total of 3 provinces", "tổng 3 tỉnh, thành phố".

A total row labelled just "total" leaves the reader to guess what was added up (the
provinces listed? the communes?). Its label names the units of the tree's top level it
sums, counted in the tree, so a published table says it in every format (the reports'
and the rollup's own); the machine value of the row stays its level, ``"total"``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from learnsoc.i18n import format_integer, ngettext

if TYPE_CHECKING:
    from learnsoc.model.hierarchy import Hierarchy, Level

__all__ = ["total_label", "total_of"]


def total_of(level: str | Level, n: int, locale: str | None) -> str:
    """Return the label of a total of ``n`` units of ``level``.

    Vietnam's levels have their own nouns; any other level (a custom tree's ``region``)
    is named as the tree names it, its units counted as units.

    Examples
    --------
    >>> total_of("province", 3, "en"), total_of("province", 3, "vi")
    ('total of 3 provinces', 'tổng 3 tỉnh, thành phố')
    >>> total_of("commune", 1, "en"), total_of("commune", 3321, "vi")
    ('total of 1 commune', 'tổng 3.321 xã')
    >>> total_of("region", 1, "en"), total_of("region", 4, "en"), total_of("vùng", 4, "vi")
    ('total of 1 region unit', 'total of 4 region units', 'tổng 4 đơn vị vùng')
    """
    if isinstance(level, str):
        name, words = level, level
    else:
        # A level named otherwise but labelled as one of Vietnam's (Level("xã", "commune")).
        name, words = level.label or level.name, level.display(locale)
    # One message per level, so that each language can put its own noun and plural.
    if name == "province":
        text = ngettext("total of {n} province", "total of {n} provinces", n, locale)
    elif name == "district":
        text = ngettext("total of {n} district", "total of {n} districts", n, locale)
    elif name == "commune":
        text = ngettext("total of {n} commune", "total of {n} communes", n, locale)
    elif name == "village":
        text = ngettext("total of {n} village", "total of {n} villages", n, locale)
    else:
        # The tree's own word for its level; the count's noun ("unit") takes the plural,
        # which a word the catalogs do not know could not.
        text = ngettext("total of {n} {level} unit", "total of {n} {level} units", n, locale)
        return text.format(n=format_integer(n, locale), level=words.replace("_", " "))
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
    >>> h = ls.Hierarchy.from_units({"code": ["N", "S"], "level": ["region"] * 2,
    ...     "parent_code": [None, None]}, levels=["region"])
    >>> total_label(h, "en"), total_label(h, "vi")
    ('total of 2 region units', 'tổng 2 đơn vị region')
    """
    top = tree.spec.levels[0]
    return total_of(top, tree.n_units(top.name), locale)
