"""Fixtures the test modules ask for by name."""

from __future__ import annotations

import pytest

from tests._vi_files import clear_locale


@pytest.fixture
def neutral_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    """No language from the environment: a run speaks as its ``--locale`` says, or English."""
    clear_locale(monkeypatch)
