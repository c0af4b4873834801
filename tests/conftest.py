"""Fixtures the test modules ask for by name."""

from __future__ import annotations

import pytest

import learnsoc as ls
from tests._vi_files import clear_locale
from tests.trees import two_level


@pytest.fixture
def neutral_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """No language from the environment: a run speaks as its ``--locale`` says, or English."""
    clear_locale(monkeypatch)


@pytest.fixture
def communes_1250() -> ls.Hierarchy:
    """One province (01) over 1,250 communes (00001 to 01250): a count with a thousands group."""
    return two_level({"01": [f"{i:05d}" for i in range(1, 1_251)]})
