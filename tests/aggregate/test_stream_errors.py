"""Streamed rollups: a batch without the unit column, a bad mask, no batches at all."""

from __future__ import annotations

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.aggregate.stream import rollup_batches
from learnsoc.errors import SchemaError

TREE = ls.synthetic_population(persons=500, seed=2).hierarchy
LEAF = str(TREE.codes_at(TREE.leaf_level)[0])


def test_a_batch_without_the_unit_column_is_a_schema_error() -> None:
    batch = {"unit": np.array([LEAF]), "age": np.array([30])}
    with pytest.raises(SchemaError, match="person column 'unit_code': required column is missing"):
        rollup_batches([batch], TREE, {"persons": "person"})


def test_a_mask_that_is_not_one_boolean_per_row_is_refused() -> None:
    batch = {"unit_code": np.array([LEAF, LEAF]), "age": np.array([30, 40])}
    bad = ls.Count("person", lambda b: b["age"])  # numbers, not booleans
    with pytest.raises(ls.LearnsocError, match=r"measure 'adults': the mask must be 2 booleans"):
        rollup_batches([batch], TREE, {"adults": bad})


def test_no_batches_give_zero_counts_and_nothing_read() -> None:
    """An empty stream is an empty province, not an error: every count is 0."""
    roll = rollup_batches([], TREE, {"persons": "person"})
    assert roll.level("total").counts["persons"].tolist() == [0]
    assert all(v == 0 for v in roll.counts["persons"].tolist())
    assert roll.rejects is not None
    assert roll.rejects.counts() == {"person": (0, 0, 0)}
