"""A file given as an open file, a StringIO or a data frame: a typed error saying what to give."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

import learnsoc as ls
from learnsoc.errors import LearnsocError
from learnsoc.io.files import NotAPathError


@pytest.fixture
def households(tmp_path: Path) -> Path:
    path = tmp_path / "h.csv"
    path.write_text("household_id,unit_code\nH1,01\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("given", "kind"),
    [
        (io.StringIO("person_id,household_id,age\n1,H1,30\n"), "StringIO"),
        (io.BytesIO(b"person_id,household_id,age\n1,H1,30\n"), "BytesIO"),
    ],
)
def test_text_in_memory_is_refused_with_what_to_give(
    given: Any, kind: str, households: Path
) -> None:
    """It was a bare TypeError from os.fspath ('expected str, bytes or os.PathLike')."""
    with pytest.raises(NotAPathError, match=f"a file was given as a {kind}, not as its path"):
        ls.read_population(given, households=households)


def test_a_data_frame_points_to_from_dataframe(households: Path) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"person_id": [1], "household_id": ["H1"], "age": [30]})
    with pytest.raises(NotAPathError, match=r"learnsoc\.io\.from_dataframe") as info:
        ls.read_population(frame, households=households)
    assert isinstance(info.value, LearnsocError) and isinstance(info.value, TypeError)


def test_the_error_is_said_in_vietnamese(households: Path) -> None:
    with pytest.raises(NotAPathError) as info:
        ls.read_population(io.StringIO("x"), households=households)  # type: ignore[arg-type]
    assert info.value.localized("vi").startswith(
        "tệp được cho dưới dạng StringIO, không phải đường dẫn của tệp: hãy cho tên tệp"
    )
