"""Doctest namespace: examples assume ``import learnsoc as ls`` and ``import numpy as np``.

The examples of :mod:`learnsoc.scale.local` and :mod:`learnsoc.scale.dask` also read
``folder`` and ``dataset``: the dataset of two provinces that the module docstring of
``learnsoc.scale.local`` writes, written once here, so that each example shows only what
it documents.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import learnsoc


@pytest.fixture(autouse=True)
def _doctest_imports(doctest_namespace: dict[str, Any]) -> None:
    doctest_namespace["ls"] = learnsoc
    doctest_namespace["np"] = np


#: The modules whose examples read the shared dataset of two provinces.
_DATASET_DOCTESTS = ("learnsoc.scale.local.", "learnsoc.scale.dask.")


@pytest.fixture(scope="session")
def _two_provinces(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """Write the dataset of learnsoc.scale.local's module example (2,000 persons, seed 4)."""
    tree = learnsoc.Hierarchy.from_units(
        {
            "code": ["01", "02", "00101", "00201"],
            "level": ["province"] * 2 + ["commune"] * 2,
            "parent_code": ["", "", "01", "02"],
        },
        levels=["province", "commune"],
    )
    pop = learnsoc.synthetic_population(persons=2_000, seed=4, hierarchy=tree)
    folder = tmp_path_factory.mktemp("doctest-dataset") / "d"
    return folder, learnsoc.write_dataset(pop, folder)


@pytest.fixture(autouse=True)
def _doctest_dataset(
    request: pytest.FixtureRequest, doctest_namespace: dict[str, Any]
) -> Iterator[None]:
    """Give the examples of the scale modules ``folder`` and ``dataset``, and no others.

    The dataset is written on the first such example only; the names are taken away
    after each, so that no other example can lean on them unawares.
    """
    if not request.node.name.startswith(_DATASET_DOCTESTS):
        yield
        return
    folder, dataset = request.getfixturevalue("_two_provinces")
    doctest_namespace.update(folder=folder, dataset=dataset)
    yield
    del doctest_namespace["folder"], doctest_namespace["dataset"]


# Sphinx configuration modules are not test modules.
collect_ignore = ["docs/conf.py", "docs/_ext.py", "docs/_build"]
collect_ignore += ["benchmarks/results"]
