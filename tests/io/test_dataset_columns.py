"""read_dataset(columns=): partitions read only the columns a rulebook needs, same counts."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.io.dataset import read_dataset, write_dataset
from tests.io.test_dataset import tree

pytest.importorskip("pyarrow")


def test_only_the_columns_asked_are_read_and_the_counts_are_the_same(tmp_path: Path) -> None:
    pop = ls.synthetic_population(persons=4_000, seed=5, hierarchy=tree(2))
    write_dataset(pop, tmp_path / "d")
    book = ls.load_rulebook("vn-national")
    needed = book.columns_read(as_of="2025-12-31")
    narrow = read_dataset(tmp_path / "d", columns=needed)
    assert narrow.columns == frozenset(needed)
    part = narrow.partition("01")
    assert "party_member" not in needed
    assert "party_member" not in part.columns("person")
    assert "party_member" in read_dataset(tmp_path / "d").partition("01").columns("person")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = ls.evaluate_dataset(narrow, book, "2025-12-31")
        b = ls.evaluate_dataset(tmp_path / "d", book, "2025-12-31")
    assert a.summary() == b.summary()
    ra, rb = a.rollup().to_columns(), b.rollup().to_columns()
    assert all(np.array_equal(ra[c], rb[c], equal_nan=ra[c].dtype.kind == "f") for c in rb)
