"""How many of a title's decided verdicts rest on partial data, read from a rollup.

The titles table says "94 of the 200 villages were decided on the families with data;
106 other villages on complete data" from the verdicts. A report is made from a rollup
(files, a dataset, or a results folder, which holds no verdicts): it reads the same
figures from the standard measures ``<measure>_decided`` and ``<measure>_partial_data``
of the whole data (the total row) and the member levels of
:attr:`learnsoc.Rollup.partial_members`, so that all three say the same words.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs
import numpy as np

from learnsoc.i18n import N_, gettext
from learnsoc.targets.indicators import TITLE_MEASURES

if TYPE_CHECKING:
    from learnsoc.aggregate.rollup import Rollup
    from learnsoc.targets.indicators import Indicator

__all__ = [
    "NOTE_PARTIAL_UNRECORDED",
    "PartialData",
    "partial_data_of",
    "title_level",
    "unrecorded_text",
]

#: A results folder written before the counts were kept: said, not left silent.
NOTE_PARTIAL_UNRECORDED = N_(
    "{indicator}: how many of the verdicts were decided on partial data (some members' "
    "data missing) is not recorded in these results, written by an earlier learnsoc; "
    "evaluate the dataset again to have it said"
)


def title_level(measure: str, leaf_level: str) -> str:
    """Return the level whose title a standard measure counts (``"village"``).

    Examples
    --------
    >>> title_level("learning_communities", "village"), title_level("learning_districts", "x")
    ('village', 'district')
    """
    # The inverse of the measures standard_measures names after each level's title.
    named = {name: level for level, name in TITLE_MEASURES.items()}
    named["learning_communities"] = leaf_level
    return named.get(measure, measure.removeprefix("learning_").removesuffix("s"))


@attrs.frozen
class PartialData:
    """A title's decided verdicts in the whole data, and those decided on partial data.

    Attributes
    ----------
    measure : str
        The measure counting the title (``learning_communities``).
    level : str
        The level of the entities decided (``village``).
    n : int
        Decided (granted or not) on the members with data, some eligible members' data
        missing.
    decided : int
        Decided in all.
    members : tuple of str
        The levels of the members left out (``("household",)``).
    """

    measure: str
    level: str
    n: int
    decided: int
    members: tuple[str, ...]

    def text(self, label: str, locale: str) -> str:
        """Return the note, as the titles table says it, with ``label`` for the title."""
        from learnsoc.rules._partial import decided_on_text

        return decided_on_text(self.level, self.n, self.decided, self.members, label, locale)


def partial_data_of(roll: Rollup, ind: Indicator) -> PartialData | str | None:
    """Return what the whole data say of an indicator's title decided on partial data.

    A :class:`PartialData` when some verdicts were; ``"unrecorded"`` when the rollup
    holds a title's verdicts but not these counts (a results folder of an earlier
    learnsoc); None otherwise (none were, or the numerator is not a title's verdicts).

    Examples
    --------
    >>> import attrs
    >>> from learnsoc.targets import INDICATORS
    >>> h = ls.Hierarchy.from_units({"code": ["02"], "level": ["province"],
    ...     "parent_code": [None]}, levels=["province"])
    >>> roll = ls.rollup_counts({"unit_code": ["02"], "clans": [10], "learning_clans": [4],
    ...     "learning_clans_decided": [9], "learning_clans_partial_data": [2]}, h)
    >>> roll = attrs.evolve(roll, partial_members={"learning_clans": ("household",)})
    >>> said = partial_data_of(roll, INDICATORS["learning_clans"])
    >>> for part in said.text("share of learning clans", "en").split("; "):
    ...     print(part)
    share of learning clans: 2 of the 9 clans were decided on the families with data
    7 other clans on complete data
    """
    name = ind.numerator
    counts = roll.counts
    if roll.partial_members is None:
        return "unrecorded" if f"{name}_not_assessed" in counts else None
    partial = counts.get(f"{name}_partial_data")
    decided = counts.get(f"{name}_decided")
    if partial is None or decided is None:
        return None
    total = np.flatnonzero(roll.rows < 0)  # the whole data: the total row
    if not len(total) or not int(partial[total[0]]):
        return None
    n = int(partial[total[0]])
    level = title_level(name, roll.hierarchy.leaf_level)
    members = tuple(roll.partial_members.get(name, ()))
    return PartialData(name, level, n, int(decided[total[0]]), members)


def unrecorded_text(indicators: Sequence[Indicator], locale: str) -> str:
    """Return the note of the indicators whose partial-data counts were not recorded.

    Examples
    --------
    >>> from learnsoc.targets import INDICATORS
    >>> unrecorded_text([INDICATORS["learning_clans"], INDICATORS["learning_units"]],
    ...                 "en").split(": how")[0]
    'share of learning clans, share of learning units'
    """
    names = ", ".join(ind.display(locale) for ind in indicators)
    return gettext(NOTE_PARTIAL_UNRECORDED, locale).format(indicator=names)
