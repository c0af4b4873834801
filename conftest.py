"""Doctest namespace: examples assume ``import learnsoc as ls`` and ``import numpy as np``."""

from typing import Any

import numpy as np
import pytest

import learnsoc


@pytest.fixture(autouse=True)
def _doctest_imports(doctest_namespace: dict[str, Any]) -> None:
    doctest_namespace["ls"] = learnsoc
    doctest_namespace["np"] = np


# Sphinx configuration modules are not test modules.
collect_ignore = ["docs/conf.py", "docs/_ext.py", "docs/_build"]
collect_ignore += ["benchmarks/results"]
