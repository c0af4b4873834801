"""Targets: indicators, dated target sets from legal sources, and progress towards them.

Floor 4 of learnsoc. An :class:`Indicator` is a numerator and a denominator over a
rollup's measures; a :class:`TargetSet` holds one document's dated targets (bundled:
:func:`list_targets`, :func:`load_targets`); :func:`progress` compares a rollup, or a
series of yearly rollups, with the targets of a year.

Examples
--------
>>> from learnsoc.targets import load_targets, progress
>>> h = ls.Hierarchy.from_units({"code": ["02"], "name": ["Hà Giang"], "level": ["province"],
...     "parent_code": [None]}, levels=["province"])
>>> roll = ls.rollup_counts({"unit_code": ["02"], "families": [187624],
...     "learning_families": [138068]}, h)
>>> targets = load_targets("hanoi-23-nq-tu").select(indicators=["learning_families"])
>>> print(progress(roll, targets, year=2025).to_text("vi", rounding="truncate", page_size=None))
Tiến độ thực hiện mục tiêu: Nghị quyết 23-NQ/TU của Thành ủy Hà Nội
...
Hà Giang (02)  Tỷ lệ Gia đình học tập  73,58%  138.068 / 187.624 gia đình  tổng số gia đình  ...
...
"""

from learnsoc.targets._reform import reexpress
from learnsoc.targets.indicators import (
    INDICATORS,
    Direction,
    Indicator,
    StandardTitles,
    TargetError,
    indicator,
    standard_measures,
    standard_titles,
)
from learnsoc.targets.progress import Assessments, Note, Observations, Progress, Status, progress
from learnsoc.targets.targets import (
    KINDS,
    Target,
    TargetKind,
    TargetSet,
    list_targets,
    load_targets,
)

__all__ = [
    "INDICATORS",
    "KINDS",
    "Assessments",
    "Direction",
    "Indicator",
    "Note",
    "Observations",
    "Progress",
    "StandardTitles",
    "Status",
    "Target",
    "TargetError",
    "TargetKind",
    "TargetSet",
    "indicator",
    "list_targets",
    "load_targets",
    "progress",
    "reexpress",
    "standard_measures",
    "standard_titles",
]
