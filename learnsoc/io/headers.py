"""How a table's header row is recognised, in a sheet or a CSV file, and the warning given.

:class:`TableHeader` names a table's key columns (after a mapping's renames); a reader that
finds them below the first line that is not empty (a title above the header) or on another
sheet than the first says so with a :class:`SheetWarning`. Shared by
:mod:`learnsoc.io.excel` (which re-exports them) and :mod:`learnsoc.io.csv`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable

import attrs

from learnsoc._messages import Message
from learnsoc.errors import LearnsocWarning

__all__ = ["SHEET_SEARCH_ROWS", "SheetWarning", "TableHeader", "plain_name"]

#: How many rows of a sheet (those that are not empty, from the top) are searched for a
#: table's column names (see :class:`TableHeader`): room for a national-emblem block, a
#: title, a date and blank lines above the header.
SHEET_SEARCH_ROWS = 30


def plain_name(cell: str) -> str:
    """Return a header cell as a header name: NFC, one space between words (as read)."""
    return " ".join(unicodedata.normalize("NFC", cell).split())


def _names(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(names)


@attrs.frozen
class TableHeader:
    """The column names that mark a table's header row: how the sheet holding it is found.

    A row is the table's header when its cells, renamed by ``rename``, include every one
    of ``columns``. Given one, :func:`read_excel` reads, when no sheet is named, the first
    sheet if its header row is the table's, else the only sheet with such a row among its
    first :data:`SHEET_SEARCH_ROWS` rows that are not empty (with a
    :class:`SheetWarning`); in the sheet it reads, that row is the header when the first
    row that is not empty is not (a title above the header).

    Parameters
    ----------
    columns : tuple of str
        The names the header must hold, all of them (``("person_id", "household_id")``).
    rename : callable, optional
        A header cell's name as matched, such as a mapping file's renames (``"Mã NK"`` ->
        ``"person_id"``); by default the cell itself, spaces trimmed.

    Examples
    --------
    >>> persons = TableHeader(("person_id", "household_id"),
    ...                       lambda cell: {"Mã NK": "person_id"}.get(cell, cell))
    >>> persons.matches(["STT", "Mã NK", "household_id"]), persons.matches(["Mã NK"])
    (True, False)
    """

    columns: tuple[str, ...] = attrs.field(converter=_names)
    rename: Callable[[str], str] = attrs.field(default=str, eq=False)

    def matches(self, cells: Iterable[str]) -> bool:
        """Return whether a row of cells holds every one of the columns."""
        names = {self.rename(plain_name(c)) for c in cells}
        return all(c in names for c in self.columns)

    def named(self, cells: Iterable[str]) -> list[str]:
        """Return the cells that give the columns, as the row writes them."""
        by_name: dict[str, str] = {}
        for cell in cells:
            by_name.setdefault(self.rename(plain_name(cell)), plain_name(cell))
        return [by_name[c] for c in self.columns if c in by_name]


class SheetWarning(LearnsocWarning):
    """A table was read from a sheet or a header row that was not given but found.

    Issued by :func:`read_excel` (and the readers built on it, such as
    :func:`~learnsoc.io.population.read_population`) when the first sheet of a
    workbook does not hold the table and another one does, or when the column names
    are below the first row that is not empty (see :class:`TableHeader`). Turn it into
    an error (``warnings.simplefilter("error", SheetWarning)``) to accept only the sheet
    and row given.

    Attributes
    ----------
    file : str
        The workbook.
    sheet : str
        The sheet read.
    row : int
        The row read as the header (1 = first).
    """

    def __init__(self, message: Message, *, file: str, sheet: str, row: int) -> None:
        self.file = file
        self.sheet = sheet
        self.row = row
        super().__init__(str(message))
        self.translatable(message)
