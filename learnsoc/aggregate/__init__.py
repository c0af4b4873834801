"""Counting, fast and mergeable: group kernels, rates that carry counts, partials.

Floor 2 of learnsoc. The rules engine uses the kernels for its member aggregates
(``share(members.learning_citizen, where=members.age >= 15) >= 0.5``) and the rollup
uses the partials to add counts up the administrative hierarchy.

Examples
--------
>>> import numpy as np
>>> from learnsoc.aggregate import Groups, group_share
>>> households = Groups.from_offsets([0, 2, 5])
>>> learning = np.array([True, False, True, True, False])
>>> print(group_share(households, learning).at_least(0.5))
[ True  True]
"""

from learnsoc.aggregate.groups import AggregateError, Groups
from learnsoc.aggregate.kernels import (
    CountMethod,
    group_all,
    group_any,
    group_count,
    group_count_at_least,
    group_counts,
    group_counts_blockwise,
    group_max,
    group_mean,
    group_min,
    group_share,
    group_sum,
)
from learnsoc.aggregate.partials import Partial
from learnsoc.aggregate.rate import (
    ComparisonOp,
    Mean,
    Rate,
    RateStatus,
    Threshold,
    exact_fraction,
)

__all__ = [
    "AggregateError",
    "ComparisonOp",
    "CountMethod",
    "Groups",
    "Mean",
    "Partial",
    "Rate",
    "RateStatus",
    "Threshold",
    "exact_fraction",
    "group_all",
    "group_any",
    "group_count",
    "group_count_at_least",
    "group_counts",
    "group_counts_blockwise",
    "group_max",
    "group_mean",
    "group_min",
    "group_share",
    "group_sum",
]
