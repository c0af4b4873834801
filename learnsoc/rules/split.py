"""An evaluation split at a unit level: below it by partition, above it from merged counts.

A partitioned dataset (:mod:`learnsoc.scale`) decides the titles at its partition level
and below inside each partition. The titles of the levels above read their members
through ``share``, ``all``, ``any`` and ``count``, which are finished from counts per
group (:func:`~learnsoc.rules._aggregates._from_counts`), and counts add up across
partitions. So the evaluation runs in two phases:

1. In each partition (:class:`Split` with ``owned``), the steps above the split level are
   not decided: the counting masks of their aggregates over members at the split level or
   below are counted per upper unit, members outside the partition left out, and kept in
   :attr:`Split.collected` under ``(level, aggregate text)``.
2. Once, on the hierarchy alone (:class:`Split` with ``counted``, the merged counts), only
   the steps above the split level run; those aggregates are finished from the counts.

The key is the aggregate's text (:func:`~learnsoc.rules.ir.to_source`), the same in every
process, not the node's identity.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc.aggregate.kernels import group_counts
from learnsoc.model.hierarchy import Hierarchy
from learnsoc.rules._aggregates import counting_masks
from learnsoc.rules._plan import Step
from learnsoc.rules._results import Env
from learnsoc.rules.context import ENTITY_LEVELS, PopulationContext, collections
from learnsoc.rules.ir import Aggregate, walk
from learnsoc.rules.ir import to_source as _to_source

__all__ = ["COUNTING", "Counts", "Split", "aggregates_of", "member_level"]

#: The aggregates finished from counts, which add up across partitions.
COUNTING = frozenset({"share", "all", "any", "count"})

#: Per (level, aggregate text): per counting mask ("hits", "count", "missing"), per unit.
Counts = Mapping[tuple[str, str], Mapping[str, NDArray[np.int64]]]


def member_level(level: str, node: Aggregate, levels: Sequence[str]) -> str:
    """Return the level of an aggregate's members.

    Examples
    --------
    >>> from learnsoc.rules.parser import parse_condition
    >>> share = parse_condition("share(households.learning_family) >= 0.7").left
    >>> member_level("village", share, ("province", "commune", "village"))
    'household'
    """
    return collections(level, levels)[node.collection].member_level


def aggregates_of(step: Step) -> Iterator[Aggregate]:
    """Yield the aggregates of a step's expressions (eligibility included).

    Examples
    --------
    >>> import datetime as dt, learnsoc as ls
    >>> from learnsoc.rules.engine import plan_for
    >>> pop = ls.synthetic_population(persons=100, seed=1)
    >>> plan = plan_for(ls.load_rulebook("example"), pop, dt.date(2025, 6, 30))
    >>> step = next(s for s in plan.steps if s.node.name == "learning_family")
    >>> for node in aggregates_of(step):
    ...     print(to_source(node))
    all(members.in_school, where=members.school_age)
    share(members.learning_citizen, where=members.adult)
    """
    exprs = (*step.exprs, *([step.eligible] if step.eligible is not None else []))
    for expr in exprs:
        for node in walk(expr.ir):
            if isinstance(node, Aggregate):
                yield node


@attrs.define(eq=False)
class Split:
    """Where an evaluation is split, and what each phase brings or takes.

    Attributes
    ----------
    level : str
        The partition level: the steps of the levels above it are the upper ones.
    levels : tuple of str
        The hierarchy's levels, top first.
    owned : mapping of str to bool array, optional
        Phase 1: per unit level at the split level or below, its units in this partition.
    counted : mapping, optional
        Phase 2: the merged counts of the upper aggregates.
    collected : dict
        Phase 1's output: the counts of this partition.
    upper_titles : list of (title, level)
        Phase 1's output: the titles left for phase 2, in the order they come.

    Examples
    --------
    >>> import learnsoc as ls, warnings
    >>> from learnsoc.rules.engine import evaluate_split
    >>> pop = ls.synthetic_population(persons=500, seed=1, hierarchy="vn-2025")
    >>> book, h = ls.load_rulebook("vn-national"), pop.hierarchy
    >>> owned = {lv: np.ones(h.n_units(lv), bool) for lv in ("commune", "village")}
    >>> first = Split.of(h, "commune", owned=owned)  # phase 1: the one partition
    >>> then = Split.of(h, "commune", counted=first.collected)  # phase 2: the province
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     _ = evaluate_split(pop, book, "2025-12-31", split=first)
    ...     upper = evaluate_split(pop, book, "2025-12-31", split=then)
    ...     whole = ls.evaluate(pop, book, "2025-12-31")
    >>> first.upper_titles
    [('learning_province', 'province'), ('learning_city', 'province')]
    >>> {text: counts["count"].tolist() for (_, text), counts in first.collected.items()}
    {'share(communes.commune_learning_community)': [1], 'share(organisations.learning_unit, \
where=organisations.registered or not True)': [7]}
    >>> all((upper.verdicts(t).passed == whole.verdicts(t).passed).all()
    ...     for t, _ in first.upper_titles)
    True
    """

    level: str
    levels: tuple[str, ...]
    owned: Mapping[str, NDArray[np.bool_]] | None = None
    counted: Counts | None = None
    collected: dict[tuple[str, str], dict[str, NDArray[np.int64]]] = attrs.field(factory=dict)
    upper_titles: list[tuple[str, str]] = attrs.field(factory=list)

    @classmethod
    def of(
        cls,
        h: Hierarchy,
        level: str,
        *,
        owned: Mapping[str, NDArray[np.bool_]] | None = None,
        counted: Counts | None = None,
    ) -> Split:
        """Return the split of a hierarchy at one of its levels."""
        return cls(level, tuple(h.levels), owned, counted)

    def above(self, level: str) -> bool:
        """Say whether a level is above the split level (entities never are)."""
        if level in ENTITY_LEVELS or level not in self.levels:
            return False
        return self.levels.index(level) < self.levels.index(self.level)

    def from_counts(self, level: str, node: Aggregate) -> bool:
        """Say whether an upper aggregate is finished from the partitions' counts."""
        return self.above(level) and not self.above(member_level(level, node, self.levels))

    def collect(self, ctx: PopulationContext, step: Step) -> None:
        """Phase 1: count the masks of an upper step's aggregates over this partition."""
        if step.node.kind == "title":
            self.upper_titles.append((step.node.name, step.node.level))
        env = Env(ctx, tracing=False)
        owned = self.owned or {}
        with np.errstate(all="ignore"):
            for expr in (*step.exprs, *([step.eligible] if step.eligible is not None else [])):
                for (level, _collection), items in expr._prefetch.items():
                    for node, inputs_fn in items:
                        key = (level, to_source(node))
                        if not self.from_counts(level, node) or key in self.collected:
                            continue
                        inputs = inputs_fn(env)
                        masks = counting_masks(node, inputs)
                        mine = owned.get(member_level(level, node, self.levels))
                        if mine is not None:
                            # A unit outside the partition was decided on no members here.
                            masks = {k: np.logical_and(m, mine) for k, m in masks.items()}
                        if "count" not in masks:
                            # The group sizes, over owned members: the sizes of the whole.
                            masks["count"] = (
                                np.ones(inputs.groups.n_members, np.bool_) if mine is None else mine
                            )
                        names = list(masks)
                        counted = group_counts(inputs.groups, [masks[k] for k in names])
                        self.collected[key] = {
                            k: np.asarray(counted[i], dtype=np.int64) for i, k in enumerate(names)
                        }


def to_source(node: Aggregate) -> str:
    """Return the text that keys an aggregate's counts across processes."""
    return _to_source(node)
