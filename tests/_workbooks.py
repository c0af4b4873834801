"""Reading back the workbooks learnsoc writes: headings in words, ids in their comments."""

from __future__ import annotations

from typing import Any


def column_ids(ws: Any) -> list[str]:
    """Return the ids of a sheet's columns: a heading's comment, else the heading itself.

    A Vietnamese workbook heads its columns in words and keeps each column's id (the
    CSV's) in the heading's comment; an English one is headed by the ids.
    """
    return [c.comment.text if c.comment is not None else c.value for c in ws[1]]


def headings(ws: Any) -> list[str]:
    """Return the words of a sheet's header row."""
    return [c.value for c in ws[1]]
