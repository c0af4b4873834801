"""The progress chart's numbers are rounded from the exact counts, as its table's are.

Its bars printed the float value rounded: 846,149,999,989 learning families of
999,999,999,987 is 84.61499999999999499...%, whose float is printed 84.615 and rounded half
up to 84.62%, while the progress table, the results table and the results chart say
84.61%.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import learnsoc as ls
from learnsoc.targets import load_targets, progress
from tests.optional import needs

#: Counts within the limit whose exact share is just below a rounding tie at 2 decimals.
LEARNING, FAMILIES = 846_149_999_989, 999_999_999_987


def _progress() -> ls.targets.Progress:
    tree = ls.Hierarchy.from_units(
        {"code": ["02"], "name": ["Hà Giang"], "level": ["province"], "parent_code": [None]},
        levels=["province"],
    )
    roll = ls.rollup_counts(
        {"unit_code": ["02"], "families": [FAMILIES], "learning_families": [LEARNING]}, tree
    )
    targets = load_targets("hanoi-23-nq-tu").select(indicators=["learning_families"])
    return progress(roll, targets, year=2025)


def test_the_counts_sit_just_below_a_tie() -> None:
    """Computed another way: the exact share, and the float that crosses the tie."""
    exact = Decimal(LEARNING * 100) / Decimal(FAMILIES)
    assert exact.quantize(Decimal("0.01"), ROUND_HALF_UP) == Decimal("84.61")
    assert repr(LEARNING * 100 / FAMILIES) == "84.615"


@needs("matplotlib")
def test_the_bar_says_what_the_table_says() -> None:
    prog = _progress()
    ax = prog.plot(locale="en", indicator="learning_families")
    assert [t.get_text() for t in ax.texts] == ["84.61%"]
    assert "84.61%" in prog.report(locale="en").to_text()
    ax.figure.clf()
