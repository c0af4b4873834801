"""Optional packages in the tests: the one way to skip a test when a package is missing.

CI installs every extra (``pip install -e '.[test]'``), so nothing skips there for want of
a package; a developer with fewer packages sees each skipped test with the extra to
install. Two forms, one rule for each case:

* a test, class or module that needs a package without importing it at module level is
  marked: ``@needs("matplotlib")`` on the test (import the package inside the test if the
  test uses it), or ``pytestmark = needs("openpyxl")`` for every test of a module;
* a module that uses the package at module level imports it through :func:`require`
  (``pa = require("pyarrow")``), which skips the whole module when it is missing.

No ``pytest.importorskip``, ``try: import ... except ImportError`` or ``find_spec`` checks
elsewhere in the tests. A package not listed in :data:`EXTRAS` is a typo, not a skip.
"""

from __future__ import annotations

import importlib.util
from types import ModuleType

import pytest

#: Import name of each optional package the tests use -> the learnsoc extra that installs it.
#: Each is in the ``test`` extra too, so CI runs every test (tests/test_optional.py checks).
EXTRAS = {
    "dask": "dask",
    "distributed": "dask",
    "duckdb": "bench",
    "matplotlib": "plot",
    "narwhals": "dataframe",
    "numpy_groupies": "bench",
    "openfisca_core": "bench",
    "openpyxl": "excel",
    "pandas": "pandas",
    "polars": "polars",
    "pyarrow": "parquet",
    "tqdm": "progress",
    "vietnamadminunits": "units",
}


#: Import name -> the name to ``pip install``, where they differ.
PIP_NAMES = {"numpy_groupies": "numpy-groupies", "openfisca_core": "openfisca-core"}


def _top(package: str) -> str:
    top = package.partition(".")[0]
    if top not in EXTRAS:
        msg = f"{package!r} is not an optional package of learnsoc (tests/optional.py EXTRAS)"
        raise ValueError(msg)
    return top


def _reason(packages: list[str]) -> str:
    extras = ",".join(sorted({EXTRAS[p] for p in packages}))
    return f"needs {', '.join(packages)}: pip install 'learnsoc[{extras}]'"


def installed(package: str) -> bool:
    """Return whether an optional package can be imported (found, not imported)."""
    return importlib.util.find_spec(_top(package)) is not None


def needs(*packages: str) -> pytest.MarkDecorator:
    """Return a mark that skips the test unless every one of ``packages`` is installed."""
    missing = sorted({_top(p) for p in packages if not installed(p)})
    return pytest.mark.skipif(bool(missing), reason=_reason(missing))


def require(package: str) -> ModuleType:
    """Import an optional package at a test module's top level, or skip the whole module."""
    module: ModuleType = pytest.importorskip(package, reason=_reason([_top(package)]))
    return module
