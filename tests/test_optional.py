"""The tests skip for a missing package only where CI installs it: CI runs every test."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from tests import optional

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def _installs(extra: str, extras: dict[str, list[str]]) -> set[str]:
    """Return the names of the packages ``pip install 'learnsoc[extra]'`` installs."""
    names: set[str] = set()
    for requirement in extras[extra]:
        name = re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0]
        if name == "learnsoc":
            inside = requirement.partition("[")[2].partition("]")[0]
            for inner in inside.split(","):
                names |= _installs(inner.strip(), extras)
        else:
            names.add(name.lower().replace("_", "-"))
    return names


@pytest.mark.parametrize("package", sorted(optional.EXTRAS))
def test_every_optional_package_is_in_its_extra_and_the_test_extra(package: str) -> None:
    """A skip reason names an extra that installs the package, and CI installs it."""
    extras = tomllib.loads(PYPROJECT.read_text("utf-8"))["project"]["optional-dependencies"]
    pip_name = optional.PIP_NAMES.get(package, package)
    assert pip_name in _installs(optional.EXTRAS[package], extras)
    assert pip_name in _installs("test", extras)


def test_a_package_that_is_not_optional_is_a_typo() -> None:
    with pytest.raises(ValueError, match="'panda' is not an optional package"):
        optional.needs("panda")


def test_the_skip_names_the_package_and_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(optional, "installed", lambda package: not package.startswith("openpyxl"))
    mark = optional.needs("pandas", "openpyxl.styles")
    assert mark.args == (True,)
    assert mark.kwargs["reason"] == "needs openpyxl: pip install 'learnsoc[excel]'"
    assert optional.needs("pandas").args == (False,)
