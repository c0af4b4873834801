"""Shared fixtures for the targets and report tests: small trees, count tables, target files."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import learnsoc as ls
from learnsoc.aggregate.rollup import Rollup, rollup_counts
from learnsoc.targets import TargetSet
from tests import trees

#: Ha Giang province, reported 2024 (DOMAIN.md section 4).
HA_GIANG = {
    "unit_code": ["02"],
    "families": [187624],
    "learning_families": [138068],
    "clans": [2263],
    "learning_clans": [1564],
    "communities": [2069],
    "learning_communities": [1681],
    "units": [834],
    "learning_units": [818],
}
HA_GIANG_INDICATORS = [
    "learning_families",
    "learning_clans",
    "learning_communities",
    "learning_units",
]


def province(code: str = "02", name: str = "Hà Giang") -> ls.Hierarchy:
    """A one-level tree with a single province."""
    return ls.Hierarchy.from_units(
        {"code": [code], "name": [name], "level": ["province"], "parent_code": [None]},
        levels=["province"],
    )


def ha_giang() -> Rollup:
    """The Ha Giang counts rolled up over a one-province tree."""
    return rollup_counts(HA_GIANG, province())


def province_counts(**columns: int) -> Rollup:
    """Roll up one row of counts for province 02 (one value per keyword)."""
    table: dict[str, Any] = {"unit_code": ["02"]}
    table.update({k: [v] for k, v in columns.items()})
    return rollup_counts(table, province(), strict=True)


def two_level(names: Sequence[str] = ("Xã A", "Xã B", "Xã C")) -> ls.Hierarchy:
    """A province with three communes."""
    codes = [f"0000{i + 1}" for i in range(len(names))]
    named = dict(zip(codes, names, strict=True))
    return trees.two_level({"02": codes}, {"02": "Hà Giang", **named})


def counts(hierarchy: ls.Hierarchy, **columns: Sequence[int]) -> Rollup:
    """Roll up per-commune counts given as keyword columns (one value per commune)."""
    codes = hierarchy.codes_at(hierarchy.leaf_level).tolist()
    table: dict[str, Any] = {"unit_code": codes}
    table.update({k: list(v) for k, v in columns.items()})
    return rollup_counts(table, hierarchy, strict=True)


def target_set(targets: str, indicators: str = "", set_id: str = "test") -> TargetSet:
    """A target set from the [[targets]] (and [indicators.*]) TOML given."""
    head = f"""
[target_set]
id = "{set_id}"
title = {{ vi = "Kế hoạch thử", en = "Test plan" }}
issuer = {{ vi = "UBND tỉnh", en = "Provincial People's Committee" }}
date = 2024-02-07
"""
    return TargetSet.from_toml(head + indicators + targets)


def value_target(
    indicator: str, value: str, *, year: int = 2025, op: str | None = None, level: str = "province"
) -> str:
    """One [[targets]] table of kind value."""
    op_line = f'op = "{op}"\n' if op else ""
    return f"""
[[targets]]
id = "{indicator}-{year}"
indicator = "{indicator}"
year = {year}
kind = "value"
value = {value}
{op_line}level = "{level}"
clause = "Điều 1"
"""


LOWER_IS_BETTER = """
[indicators.dropout]
numerator = "dropouts"
denominator = "pupils"
label = { vi = "tỷ lệ bỏ học", en = "dropout rate" }
direction = "lower_is_better"
decimals = 1
"""


def mapping(**kw: Any) -> Mapping[str, Any]:
    """A plain dict (keeps call sites short)."""
    return dict(kw)
