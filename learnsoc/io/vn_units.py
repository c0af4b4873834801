"""Vietnam's real administrative units, from the optional ``vietnamadminunits`` package.

The MIT-licensed package `vietnamadminunits` (extra ``units``: ``pip install
'learnsoc[units]'``) ships the national lists of provinces, districts and communes before
the 2025 reform (63 provinces, 10,035 communes with wards) and after it (34 provinces,
3,321 communes), and a map from old communes to new ones. learnsoc reads the package's data
files directly (an SQLite database and a JSON file), without importing the package, so its
own heavy dependencies are never loaded.

The lists stop at communes: villages and residential groups (thôn, tổ dân phố) are not in
any national list, so these trees have the levels ``province, district, commune``
(``"vn-pre-2025-communes"``) and ``province, commune`` (``"vn-2025-communes"``). Attach
households to communes with them, or add your own villages below.

Examples
--------
>>> import learnsoc as ls
>>> new = ls.vietnam_units("vn-2025", provinces=["01"])    # doctest: +SKIP
>>> new.n_units("commune")                                   # doctest: +SKIP
126
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from learnsoc._messages import N_, Message
from learnsoc.errors import HierarchyError, OptionalDependencyError, did_you_mean
from learnsoc.model.crosswalk import Crosswalk
from learnsoc.model.hierarchy import PRESETS, Hierarchy, HierarchySpec

__all__ = ["COMMUNE_TREES", "vietnam_crosswalk", "vietnam_units"]

_OLD, _NEW = PRESETS["vn-pre-2025"], PRESETS["vn-2025"]

#: The national trees down to communes (no national list of villages exists).
COMMUNE_TREES: dict[str, HierarchySpec] = {
    "vn-pre-2025": HierarchySpec(
        "vn-pre-2025-communes", _OLD.levels[:3], valid_until=dt.date(2025, 6, 30)
    ),
    "vn-2025": HierarchySpec("vn-2025-communes", _NEW.levels[:2], valid_from=dt.date(2025, 7, 1)),
}


def _data_dir(source: Path | None) -> Path:
    if source is not None:
        return Path(source)
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise OptionalDependencyError(
            "vietnamadminunits", "units", N_("loading Vietnam's unit lists")
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _rows(source: Path, sql: str) -> list[tuple[Any, ...]]:
    db = source / "dataset.db"
    if not db.is_file():
        msg = Message(N_("no unit database at {path}"), path=str(db))
        raise HierarchyError(str(msg)).translatable(msg)
    import sqlite3

    # Read-only URI: the package's file is never modified.
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return list(conn.execute(sql))


def vietnam_units(
    tree: str = "vn-2025",
    provinces: Sequence[str] | None = None,
    *,
    source: Path | None = None,
) -> Hierarchy:
    """Return Vietnam's national tree down to communes, before or after the 2025 reform.

    Parameters
    ----------
    tree : {"vn-2025", "vn-pre-2025"}
        After the reform (province, commune) or before it (province, district, commune).
    provinces : sequence of str, optional
        Keep only these provinces (2-digit codes, e.g. ``["01"]`` for Hanoi).
    source : path, optional
        A folder holding the package's ``dataset.db`` (default: the installed package).

    Raises
    ------
    OptionalDependencyError
        If ``vietnamadminunits`` is not installed (extra ``units``).
    HierarchyError
        For an unknown tree name or province code.

    Examples
    --------
    >>> import pytest; _ = pytest.importorskip("vietnamadminunits")
    >>> vietnam_units("vn-2025", provinces=["01"])
    Hierarchy('vn-2025-communes': 1 province, 126 commune)
    >>> vietnam_units("vn-pre-2025", provinces=["01"])
    Hierarchy('vn-pre-2025-communes': 1 province, 30 district, 526 commune)
    """
    if tree not in COMMUNE_TREES:
        msg = Message(
            N_("unknown tree {tree!r}{hint}"), tree=tree, hint=did_you_mean(tree, COMMUNE_TREES)
        )
        raise HierarchyError(str(msg)).translatable(msg)
    folder = _data_dir(source)
    if tree == "vn-2025":
        rows = _rows(
            folder,
            "SELECT DISTINCT provinceCode, province, wardCode, ward FROM admin_units",
        )
        table = _tree_2025(rows)
    else:
        rows = _rows(
            folder,
            "SELECT DISTINCT provinceCode, province, districtCode, district, wardCode, ward "
            "FROM admin_units_legacy",
        )
        table = _tree_legacy(rows)
    if provinces is not None:
        table = _keep_provinces(table, list(provinces))
    return Hierarchy.from_units(table, levels=COMMUNE_TREES[tree])


def _tree_2025(rows: list[tuple[Any, ...]]) -> dict[str, list[Any]]:
    provinces = sorted({(p, pn) for p, pn, _, _ in rows})
    communes = sorted({(w, wn, p) for p, _, w, wn in rows if w})
    return {
        "code": [p for p, _ in provinces] + [w for w, _, _ in communes],
        "name": [pn for _, pn in provinces] + [wn for _, wn, _ in communes],
        "level": ["province"] * len(provinces) + ["commune"] * len(communes),
        "parent_code": [None] * len(provinces) + [p for _, _, p in communes],
    }


def _tree_legacy(rows: list[tuple[Any, ...]]) -> dict[str, list[Any]]:
    provinces = sorted({(p, pn) for p, pn, *_ in rows})
    districts = sorted({(d, dn, p) for p, _, d, dn, _, _ in rows})
    # Five island districts have no communes (wardCode empty): they stay districts.
    communes = sorted({(w, wn, d) for _, _, d, _, w, wn in rows if w})
    return {
        "code": [c for c, *_ in provinces] + [c for c, *_ in districts] + [c for c, *_ in communes],
        "name": [n for _, n in provinces]
        + [n for _, n, _ in districts]
        + [n for _, n, _ in communes],
        "level": ["province"] * len(provinces)
        + ["district"] * len(districts)
        + ["commune"] * len(communes),
        "parent_code": [None] * len(provinces)
        + [p for *_, p in districts]
        + [p for *_, p in communes],
    }


def _keep_provinces(table: dict[str, list[Any]], keep: list[str]) -> dict[str, list[Any]]:
    known = {c for c, lv in zip(table["code"], table["level"], strict=True) if lv == "province"}
    for code in keep:
        if code not in known:
            msg = Message(
                N_("unknown province code {code!r}{hint}"),
                code=code,
                hint=did_you_mean(code, known),
            )
            raise HierarchyError(str(msg), code=code).translatable(msg)
    parent = dict(zip(table["code"], table["parent_code"], strict=True))

    def province_of(code: str) -> str:
        while parent[code] is not None:
            code = parent[code]
        return code

    rows = [i for i, c in enumerate(table["code"]) if province_of(c) in keep]
    return {k: [v[i] for i in rows] for k, v in table.items()}


def vietnam_crosswalk(
    old: Hierarchy,
    new: Hierarchy,
    *,
    source: Path | None = None,
) -> Crosswalk:
    """Return the crosswalk from the communes of the pre-2025 tree to those of the 2025 tree.

    Communes merged whole into a new commune get weight 1. The 471 communes split across
    several new communes are weighted by the new communes' areas, an approximation (the
    package records no population shares): override the weights of a split commune when
    better figures are known.

    Parameters
    ----------
    old, new : Hierarchy
        Trees from :func:`vietnam_units` (possibly restricted to some provinces; pairs
        outside them are left out, and every old commune must still map somewhere).
    source : path, optional
        A folder holding the package's ``dataset.db`` and ``converter_2025.json``.

    Examples
    --------
    >>> import pytest; _ = pytest.importorskip("vietnamadminunits")
    >>> old = vietnam_units("vn-pre-2025", provinces=["01"])
    >>> new = vietnam_units("vn-2025", provinces=["01"])
    >>> crosswalk = vietnam_crosswalk(old, new)
    >>> crosswalk.is_exact  # some communes were split
    False
    >>> float(crosswalk.weight.sum()) == old.n_units("commune")  # each old commune's sum is 1
    True
    """
    import json

    folder = _data_dir(source)
    old_keys = {
        f"{p}_{d}_{w}": code
        for p, d, w, code in _rows(
            folder, "SELECT provinceKey, districtKey, wardKey, wardCode FROM admin_units_legacy"
        )
        if code
    }
    new_keys = {
        (p, w): (code, area)
        for p, w, code, area in _rows(
            folder, "SELECT provinceKey, wardKey, wardCode, wardAreaKm2 FROM admin_units"
        )
    }
    data = json.loads((folder / "converter_2025.json").read_text(encoding="utf-8"))
    src: list[str] = []
    dst: list[str] = []
    weight: list[float] = []
    for province, wards in data["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward, olds in wards.items():
            target = new_keys.get((province, ward))
            for key in olds:
                if target is not None and key in old_keys:
                    src.append(old_keys[key])
                    dst.append(target[0])
                    weight.append(1.0)
    for province, splits in data["DICT_PROVINCE_WARD_DIVIDED"].items():
        for key, parts in splits.items():
            targets = [
                new_keys[(province, p["newWardKey"])]
                for p in parts
                if (province, p["newWardKey"]) in new_keys
            ]
            if key not in old_keys or not targets:
                continue
            areas = np.array([max(float(a or 0.0), 0.0) for _, a in targets])
            total = areas.sum()
            shares = areas / total if total > 0 else np.full(len(targets), 1 / len(targets))
            for (code, _), share in zip(targets, shares, strict=True):
                if share <= 0:
                    continue  # a new commune with no recorded area gets no share
                src.append(old_keys[key])
                dst.append(code)
                weight.append(float(share))
    s_level, t_level = "commune", "commune"
    old_level, _ = old.locate(np.array(src, dtype=str))
    new_level, _ = new.locate(np.array(dst, dtype=str))
    keep = (old_level == old.level_number(s_level)) & (new_level == new.level_number(t_level))
    idx = np.flatnonzero(keep)
    return Crosswalk.from_pairs(
        old,
        new,
        {
            "source_code": np.array(src, dtype=str)[idx],
            "target_code": np.array(dst, dtype=str)[idx],
            "weight": _renormalise(np.array(src, dtype=str)[idx], np.array(weight)[idx]),
        },
        level="commune",
    )


def _renormalise(
    sources: np.ndarray[Any, Any], weights: np.ndarray[Any, Any]
) -> np.ndarray[Any, Any]:
    """Make each source's weights add up to 1 again after pairs outside the trees were dropped."""
    if len(sources) == 0:
        return weights
    _, inverse = np.unique(sources, return_inverse=True)
    totals = np.bincount(inverse, weights=weights)
    return weights / totals[inverse]
