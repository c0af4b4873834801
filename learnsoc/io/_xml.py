"""The XML parts of a workbook, read with expat: no DTD, so no entity is ever expanded.

An ``.xlsx`` part Excel or LibreOffice saves never declares a DTD (``<!DOCTYPE``). One
that does can declare entities: an external one (``<!ENTITY x SYSTEM "file:///...">``)
is not fetched by expat, and its reference was read as nothing (the cell ``&x;`` was an
empty cell, without a word); internal ones nested ten deep expand a thousandfold (expat
stops those only past its own amplification limit). :func:`refuse_doctype` makes a
parser refuse the declaration itself.

Examples
--------
>>> from xml.parsers import expat
>>> parser = expat.ParserCreate()
>>> refuse_doctype(parser, "xl/sharedStrings.xml")
>>> parser.Parse(b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>', True)
Traceback (most recent call last):
...
learnsoc.io._xml.DoctypeError: its part xl/sharedStrings.xml declares a DTD (<!DOCTYPE ...>), ...
"""

from __future__ import annotations

from typing import Any

from learnsoc._messages import N_, Message

__all__ = ["DoctypeError", "refuse_doctype"]


class DoctypeError(ValueError):
    """An XML part of a workbook that declares a DTD, which no saved workbook has.

    Examples
    --------
    >>> print(DoctypeError("xl/styles.xml").part)
    xl/styles.xml
    """

    def __init__(self, part: str) -> None:
        self.part = part
        self.message = Message(
            N_(
                "its part {part} declares a DTD (<!DOCTYPE ...>), which no workbook Excel "
                "or LibreOffice saves has: its entities could hide a cell's text or expand "
                "it a thousandfold"
            ),
            part=part,
        )
        super().__init__(str(self.message))


def refuse_doctype(parser: Any, part: str) -> None:
    """Make an expat parser raise :class:`DoctypeError` at a ``<!DOCTYPE`` of ``part``."""

    def refuse(*_: object) -> None:
        raise DoctypeError(part)

    parser.StartDoctypeDeclHandler = refuse
