"""Small administrative trees of two levels, as many tests build them.

``two_level({"01": ["00001", "00002"]})`` is a province over two communes: each key is
a unit of the upper level, its list the units under it. Written out, every such tree
was a units table of four parallel lists (codes, levels, parents, names) kept in step
by hand.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import learnsoc as ls


def two_level(
    children: Mapping[str, Sequence[str]],
    names: Mapping[str, str] | None = None,
    *,
    levels: tuple[str, str] = ("province", "commune"),
) -> ls.Hierarchy:
    """Return a tree of ``levels``: each key of ``children`` over the units it lists.

    ``names`` gives every unit's name (by code); without it the units have none.

    Examples
    --------
    >>> tree = two_level({"01": ["00001", "00002"], "02": ["00003"]})
    >>> tree.levels, tree.codes_at("commune").tolist()
    (('province', 'commune'), ['00001', '00002', '00003'])
    >>> named = two_level({"02": ["00001"]}, {"02": "Hà Giang", "00001": "Xã Một"})
    >>> named.names_at("commune").tolist()
    ['Xã Một']
    """
    upper, lower = levels
    codes = [*children, *(code for below in children.values() for code in below)]
    units: dict[str, list[str | None]] = {
        "code": list(codes),
        "level": [upper if code in children else lower for code in codes],
        "parent_code": [None] * len(children)
        + [parent for parent, below in children.items() for _ in below],
    }
    if names is not None:
        units["name"] = [names[code] for code in codes]
    return ls.Hierarchy.from_units(units, levels=list(levels))
