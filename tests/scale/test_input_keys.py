"""The keys of an ``inputs=`` mapping name the same entity on every path.

``evaluate`` aligns a mapping from id (``align_mapping``); ``evaluate_dataset`` indexes it
once per run (``index_inputs``) or, when it cannot, filters it partition by partition
(``_inputs_here`` without an index) before the partition aligns it. All three read the
keys through ``input_key_ids``; these tests check that they find the same entity for
every spelling of a key, against a reference that compares ids written out as NFC text.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.errors import SchemaError
from learnsoc.rules.context import AlignedInput, align_mapping
from learnsoc.scale.local import _inputs_here, index_inputs

NFD_ID = unicodedata.normalize("NFD", "Hộ-1")
INT_IDS = [0, 7, 70, 123]
TEXT_IDS = ["007", "7", "Hộ-1", "A 1"]
SPELLINGS: list[Any] = [
    7,
    np.int64(7),
    "7",
    "007",
    " 7",
    "7 ",
    " 007",
    "007\t",
    7.0,
    123,
    "0123",
    "Hộ-1",
    NFD_ID,
    "A 1",
    "A  1",
    "A1",
]


def population(ids: list[Any]) -> ls.Population:
    """One village, a household of one person per id."""
    tree = ls.Hierarchy.from_units(
        {"code": ["01"], "level": ["province"], "parent_code": [None]}, levels=["province"]
    )
    return ls.Population.from_columns(
        {"person_id": list(range(len(ids))), "household_id": ids, "age": [40] * len(ids)},
        {"household_id": ids, "unit_code": ["01"] * len(ids)},
        tree,
    )


def reference(pop: ls.Population, key: Any) -> list[int]:
    """The rows whose id, written out as NFC text, is the key written out so."""
    ids = pop.ids("household").tolist()

    def text(v: Any) -> str:
        return unicodedata.normalize("NFC", str(v))

    return [i for i, v in enumerate(ids) if text(v) == text(key)]


def in_memory(pop: ls.Population, raw: Mapping[Any, Any]) -> list[int] | None:
    """The rows ``evaluate`` gives the mapping's values (None: refused)."""
    try:
        _, present = align_mapping(pop.ids("household"), raw, "household", "x")
    except SchemaError:
        return None
    return np.flatnonzero(present).tolist()


def filtered(pop: ls.Population, raw: Mapping[Any, Any]) -> list[int]:
    """The rows a partition gives the keys the slow filter keeps for it."""
    here = _inputs_here(pop, {"household": {"x": raw}})
    assert here is not None
    kept = here["household"]["x"]
    assert isinstance(kept, Mapping)
    got = in_memory(pop, kept)
    assert got is not None, "the filter keeps only keys the partition knows"
    return got


def indexed(pop: ls.Population, raw: Mapping[Any, Any]) -> list[int] | None:
    """The rows a partition gives from the index built once per run (None: not indexed)."""
    inputs = {"household": {"x": raw}}
    index = index_inputs(inputs)
    if ("household", "x") not in index:
        return None
    here = _inputs_here(pop, inputs, index)
    assert here is not None
    got = here["household"]["x"]
    assert isinstance(got, AlignedInput)
    return np.flatnonzero(got.present).tolist()


@pytest.mark.parametrize("ids", [INT_IDS, TEXT_IDS], ids=["int_ids", "text_ids"])
@pytest.mark.parametrize("key", SPELLINGS, ids=repr)
def test_every_path_finds_the_entity_a_key_names(ids: list[Any], key: Any) -> None:
    """One key: the same entity (or none) on all three paths, the reference's.

    An int key matches a text id written the same ("7"), never one with other zeros
    ("007"); white space is part of an id; NFD text is the NFC id. ``evaluate`` refuses a
    key of no entity; a dataset run leaves it to the partitions, and none takes it.
    """
    pop = population(ids)
    expected = reference(pop, key)
    raw = {key: True}
    assert in_memory(pop, raw) == (expected or None)
    assert filtered(pop, raw) == expected
    assert indexed(pop, raw) == expected


@pytest.mark.parametrize("ids", [INT_IDS, TEXT_IDS], ids=["int_ids", "text_ids"])
def test_every_path_aligns_a_mapping_of_mixed_spellings(ids: list[Any]) -> None:
    """Keys of both kinds in one mapping compare as text, on every path alike."""
    pop = population(ids)
    raw = {"007": 1, 70: 2, NFD_ID: 3, " 7": 4}
    values = {key: reference(pop, key) for key in raw}
    expected = sorted(i for rows in values.values() for i in rows)
    known = {k: v for k, v in raw.items() if values[k]}
    assert in_memory(pop, raw) == (None if len(known) < len(raw) else expected)
    assert in_memory(pop, known) == expected
    assert filtered(pop, raw) == expected
    assert indexed(pop, raw) == expected


@pytest.mark.parametrize("ids", [INT_IDS, TEXT_IDS], ids=["int_ids", "text_ids"])
@pytest.mark.parametrize("key", [None, float("nan"), ""], ids=repr)
def test_a_key_that_is_no_id_is_refused_on_every_path(ids: list[Any], key: Any) -> None:
    """``None``, NaN or ``""`` as a key names no entity: ``evaluate`` refuses it, and a
    dataset run leaves it to every partition, which refuses it too.

    Such a key reads as 0 among whole numbers: the index built once per run gave its value
    to the household whose id is 0, and the slow filter dropped it where no id is 0.
    """
    pop = population(ids)
    raw = {key: True, 7: False}
    assert in_memory(pop, raw) is None
    assert indexed(pop, raw) is None
    here = _inputs_here(pop, {"household": {"x": raw}})
    assert here is not None
    kept = here["household"]["x"]
    assert isinstance(kept, Mapping)
    assert key in kept or (key != key and any(k != k for k in kept))
    assert in_memory(pop, kept) is None
