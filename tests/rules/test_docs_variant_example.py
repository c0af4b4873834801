"""The rulebook variant shown on the rulebook-format page loads, merges and decides right.

The page showed a variant that removed ``children_results`` from the 2021 version of the
learning family, which has no such criterion: copied as written, it was refused.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np

import learnsoc as ls
from learnsoc.rules.rulebook import read_rulebook

PAGE = Path(__file__).parents[2] / "docs" / "reference" / "rulebook-format.md"


def _variant_block() -> str:
    blocks: list[str] = re.findall(
        r"^```toml\n(.*?)^```", PAGE.read_text(encoding="utf-8"), re.M | re.S
    )
    (variant,) = [b for b in blocks if 'extends = "vn-national"' in b]
    return variant


def test_the_pages_variant_loads_and_merges(tmp_path: Path) -> None:
    path = tmp_path / "ha-noi.toml"
    path.write_text(_variant_block(), encoding="utf-8")
    book = read_rulebook(path)
    family = book.title("learning_family")
    old, new = (v for v in family.versions if v.start.year in (2016, 2021))
    assert "children_results" not in [c.id for c in old.criteria]
    assert "children_conduct" in [c.id for c in old.criteria]  # the others are kept
    assert [c.id for c in new.criteria] == ["children_in_school", "adults_learning_citizens"]


def test_the_pages_variant_decides_with_its_own_share_and_age(tmp_path: Path) -> None:
    """Adults from 18, at least 60% of them learning citizens: checked household by household."""
    path = tmp_path / "ha-noi.toml"
    path.write_text(_variant_block(), encoding="utf-8")
    pop = ls.synthetic_population(4000, seed=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ls.LearnsocWarning)
        ev = ls.evaluate(pop, read_rulebook(path), "2025-12-31")
    citizen = ev.to_columns("learning_citizen")
    family = ev.to_columns("learning_family")
    age = np.asarray(pop.column("person", "age"))
    home = np.asarray(pop.person_household)
    checked = 0
    for h in range(pop.n_households):
        adults = (home == h) & (age >= 18)
        if not citizen["known"][adults].all() or not family["adults_learning_citizens_known"][h]:
            continue
        expected = bool(adults.any()) and citizen["passed"][adults].mean() >= 0.6
        assert family["adults_learning_citizens_passed"][h] == expected, h
        checked += 1
    assert checked > pop.n_households // 2
