"""Side-by-side benchmark of the reference workload in numpy, pandas, polars, DuckDB, ...

One module per tool: ``numpy_ref`` (the reference) and every ``<tool>_impl`` module in this
package. A tool module defines ``NAME``, ``describe() -> str`` and ``run(data) -> Result``
(see :mod:`benchmarks.peers.workload`), imports its library at module level, and is found by
:func:`tool_names` from its file name alone: adding a tool is adding one module.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Final, Protocol, cast

from benchmarks.peers.workload import Population, Result

__all__ = ["REFERENCE", "MissingPackageError", "Tool", "load_tool", "tool_names"]

REFERENCE: Final = "numpy"
"""The tool whose result every other tool must equal."""

_ORDER: Final = (
    "numpy",
    "learnsoc",
    "groupies",
    "polars",
    "polars_streaming",
    "polars_eager",
    "duckdb",
    "pandas",
    "openfisca",
)

# Import name -> the name to ``pip install``, for the "not installed" message.
_PIP_NAMES: Final = {
    "openfisca_core": "openfisca-core",
    "numpy_groupies": "numpy-groupies",
}


class Tool(Protocol):
    """What a tool module provides (a module satisfies this protocol)."""

    NAME: str

    def describe(self) -> str:
        """Return the library and version line shown under the table."""
        ...

    def run(self, data: Population) -> Result:
        """Run the workload on `data` with step timings; see :class:`Result`."""
        ...


class MissingPackageError(ImportError):
    """Raised by :func:`load_tool` when the tool's library is not installed.

    Examples
    --------
    >>> str(MissingPackageError("polars", "polars"))
    'polars is not installed (pip install polars)'
    """

    def __init__(self, tool: str, package: str) -> None:
        self.tool = tool
        self.package = package
        super().__init__(f"{tool} is not installed (pip install {package})")


def _module_name(tool: str) -> str:
    return "numpy_ref" if tool == REFERENCE else f"{tool}_impl"


def tool_names() -> list[str]:
    """Return every tool with a module here, reference first, whether installed or not.

    Examples
    --------
    >>> names = tool_names()
    >>> names[0], "pandas" in names
    ('numpy', True)
    """
    found = [
        module.name.removesuffix("_impl")
        for module in pkgutil.iter_modules([str(Path(__file__).parent)])
        if module.name.endswith("_impl")
    ]
    rank = {name: i for i, name in enumerate(_ORDER)}
    return [REFERENCE, *sorted(found, key=lambda name: (rank.get(name, len(rank)), name))]


def load_tool(tool: str) -> Tool:
    """Import the module of `tool`, or raise :class:`MissingPackageError` naming the package.

    Examples
    --------
    >>> load_tool("numpy").NAME
    'numpy'
    """
    if tool not in tool_names():
        msg = f"unknown tool {tool!r}; the tools are {tool_names()}"
        raise ValueError(msg)
    try:
        return cast(Tool, importlib.import_module(f"{__name__}.{_module_name(tool)}"))
    except ModuleNotFoundError as exc:
        missing = (exc.name or "").split(".")[0]
        if not missing or missing == "benchmarks":
            raise
        raise MissingPackageError(tool, _PIP_NAMES.get(missing, missing)) from exc
