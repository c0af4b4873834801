"""Progress bars: tqdm's when installed and wanted, a silent stand-in otherwise."""

from __future__ import annotations

import sys

import pytest

from learnsoc.io.progress import progress_bar


def test_without_tqdm_reading_still_works_silently(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The progress extra is optional: without tqdm the bar is a silent stand-in."""
    monkeypatch.setitem(sys.modules, "tqdm.auto", None)  # import fails
    with progress_bar(3, "reading", enabled=True) as bar:
        bar.update(3)
    assert type(bar).__module__ == "learnsoc.io.progress"
    assert capsys.readouterr() == ("", "")


def test_a_wanted_bar_is_tqdm_and_counts(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("tqdm")
    with progress_bar(4, "reading", enabled=True) as bar:
        bar.update(3)
        bar.update()
        assert bar.n == 4
    assert "reading" in capsys.readouterr().err
