"""A counts file's column of words, not numbers: a note, left out with a warning.

A commune's sheet often ends with a column of remarks under a header of its own
(``Khác``, ``Tình trạng``) that learnsoc does not know: read as a count, its words
rejected every row, and with them every count of the file. Such a column, one no mapping
file names and no standard measure is called, holding words in every filled cell, is left
out with a :class:`TextColumnWarning` naming the file and the header; a column a measure
is called (``families``) or the mapping names keeps rejecting its rows by name, so that no
count is lost without a word.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from numpy.typing import NDArray

from learnsoc.errors import LearnsocWarning, Message
from learnsoc.i18n import N_
from learnsoc.model.schema import MISSING_WORDS
from learnsoc.vocabulary import MEASURES

__all__ = [
    "TEXT_COLUMN_LEFT_OUT",
    "TextColumnWarning",
    "is_known_measure",
    "text_column_warning",
    "text_only",
]

#: The warning of a column of words left out of a counts file (en, vi).
TEXT_COLUMN_LEFT_OUT = N_(
    "{file}, column {column}: words, not numbers, in every filled cell (such as "
    "{example!r}), left out as a note: to count it, name it in the mapping file's "
    '[counts.columns] ({quoted} = "a_name")'
)


class TextColumnWarning(LearnsocWarning):
    """A counts file's column of words (a note) was left out, not read as counts.

    ``column`` is the header as the file writes it.

    Examples
    --------
    >>> w = text_column_warning("bao_cao.csv", "Khác", "đã nộp")
    >>> w.column, str(w).startswith("bao_cao.csv, column Khác: words, not numbers")
    ('Khác', True)
    """

    column: str = ""


def is_known_measure(name: str) -> bool:
    """Tell whether a count column's name is a standard measure's, or a part of one.

    A measure (``families``), its companions (``learning_families_missing``) and its
    groups (``learning_citizens_female``) are known: words in them are a mistake.

    Examples
    --------
    >>> [is_known_measure(n) for n in ("families", "learning_citizens_female", "Khác", "note")]
    [True, True, False, False]
    """
    words = name.split("_")
    return any("_".join(words[:i]) in MEASURES for i in range(1, len(words) + 1))


def _is_word(cell: str) -> bool:
    text = cell.strip()
    return text.casefold() not in MISSING_WORDS and any(ch.isalpha() for ch in text)


def text_only(cells: Iterable[str] | NDArray[np.str_]) -> str | None:
    """Return a word of a column whose every filled cell holds words, else None.

    A blank cell, a dash or ``NA`` fills nothing; a cell of digits alone (``12``,
    ``12,5``, ``1.234``) is a number, right or wrong, and so is not a note's.

    Examples
    --------
    >>> text_only(["đã nộp", "", "x"]), text_only(["đã nộp", "12"]), text_only(["", "-"])
    ('đã nộp', None, None)
    """
    distinct = np.unique(np.asarray(cells, dtype=str)).tolist()
    filled = [c for c in distinct if c.strip().casefold() not in MISSING_WORDS]
    if not filled or not all(_is_word(c) for c in filled):
        return None
    return str(next(c for c in np.asarray(cells, dtype=str).tolist() if c in filled)).strip()


def text_column_warning(file: str, column: str, example: str) -> TextColumnWarning:
    """Return the warning of a column of words left out of a counts file.

    Examples
    --------
    >>> text_column_warning("c.csv", "Note", "late").localized("vi")  # doctest: +ELLIPSIS
    'c.csv, cột Note: ...'
    """
    quoted = '"' + column.replace("\\", "\\\\").replace('"', '\\"') + '"'
    msg = Message(TEXT_COLUMN_LEFT_OUT, file=file, column=column, example=example, quoted=quoted)
    warning = TextColumnWarning(str(msg)).translatable(msg)
    warning.column = column
    return warning
