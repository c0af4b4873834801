"""A good dataset written once per test module, and fresh copies of it for tests to break.

The set-up of the tests of hostile and bad datasets (``test_dataset_hostile``,
``test_dataset_bad``) and of a dataset's run with prefetch (``test_prefetch``): each
module writes its dataset once (a module-scoped fixture) and each test breaks a copy of it.
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path
from typing import Any

import pytest

import learnsoc as ls
from learnsoc.io.dataset import partition_file, write_dataset
from tests.io.test_dataset import tree


def good_dataset(factory: pytest.TempPathFactory, name: str, persons: int, seed: int = 3) -> Path:
    """Write a synthetic population of three provinces as a dataset; return its folder."""
    pop = ls.synthetic_population(persons=persons, seed=seed, hierarchy=tree(3))
    folder = factory.mktemp(name) / "d"
    write_dataset(pop, folder)
    return folder


def fresh_copy(written: Path, tmp_path: Path) -> Path:
    """Return a fresh copy of a good dataset, to break."""
    return Path(shutil.copytree(written, tmp_path / "d"))


def file_of(folder: Path, table: str, key: str) -> Path:
    """Return the file of one province's partition of a table."""
    return partition_file(folder, table, "province", key)


def evaluate(folder: Path, **options: Any) -> ls.scale.DatasetEvaluation:
    """Evaluate the dataset by the example rulebook, its warnings (missing inputs) hushed."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ls.evaluate_dataset(folder, "example", "2025-06-30", **options)
