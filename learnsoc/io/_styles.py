"""Which cell styles of a workbook show dates: all learnsoc reads of its ``xl/styles.xml``.

A cell's number is a date when its style (``s="3"``: the fourth ``<xf>`` of
``<cellXfs>``) has a date number format, built in (14 is ``mm-dd-yy``) or custom
(``<numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>``). openpyxl's ``apply_stylesheet``
builds an object for every font, fill, border, alignment and style besides, and looks at
each style's format anew: a 786 KB workbook of 200,000 styles (35 MB of XML, which the
zip bomb check lets through at 45 times) took 937 MB and 20 s. Read here with expat,
block by block, a style costs 9 bytes and a format is looked at once.

A format code is looked at up to Excel's limit on its length: openpyxl's test of a date
format takes time that grows with the square of the code's length (a code of 40,000 ``[``
took 0.6 s, one of a million would take minutes), and a workbook may repeat it in every
style.

Examples
--------
>>> import io
>>> xml = (
...     b'<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
...     b'<numFmts><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
...     b'<cellXfs><xf/><xf numFmtId="164"/><xf numFmtId="2"/><xf numFmtId="46"/></cellXfs>'
...     b"</styleSheet>"
... )
>>> dates, durations = date_styles(io.BytesIO(xml))
>>> [s for s in range(5) if s in dates], [s for s in range(5) if s in durations]
([1, 3], [3])
"""

from __future__ import annotations

import importlib
from array import array
from typing import IO, Any

import numpy as np
from numpy.typing import NDArray

from learnsoc.io._xml import refuse_doctype

__all__ = ["MAX_FORMAT_CHARS", "StyleSet", "date_styles"]

#: Characters of a number format code looked at (Excel's limit on a format's length).
MAX_FORMAT_CHARS = 255


class StyleSet:
    """The styles of a workbook (indices into ``<cellXfs>``) that show a kind of value.

    What openpyxl's sheet parser asks of its ``date_formats`` (``style in formats``),
    one byte a style.

    Examples
    --------
    >>> import numpy as np
    >>> styles = StyleSet(np.array([False, True]))
    >>> 1 in styles, 0 in styles, 2 in styles, -1 in styles, len(styles)
    (True, False, False, False, 1)
    """

    def __init__(self, flags: NDArray[np.bool_]) -> None:
        self._flags = flags

    def __contains__(self, style: object) -> bool:
        if not isinstance(style, int) or not 0 <= style < len(self._flags):
            return False
        return bool(self._flags[style])

    def __len__(self) -> int:
        return int(np.count_nonzero(self._flags))


def date_styles(source: IO[bytes]) -> tuple[StyleSet, StyleSet]:
    """Return the styles whose number format is a date, and those of them that are durations.

    As openpyxl's stylesheet decides them: a style's ``numFmtId`` names a custom format
    of ``<numFmts>`` (the last of that id) or else a built-in one; elements are matched
    by their local names, anywhere in ``<styleSheet>``'s order. A format code is looked
    at up to :data:`MAX_FORMAT_CHARS` characters.

    Raises
    ------
    ValueError
        A ``numFmtId`` that is not a whole number (the caller says the workbook is
        damaged, as openpyxl raises for it).
    xml.parsers.expat.ExpatError
        Malformed XML.
    """
    expat: Any = importlib.import_module("xml.parsers.expat")
    numbers: Any = importlib.import_module("openpyxl.styles.numbers")
    path: list[str] = []
    style_formats = array("q")  # each <cellXfs><xf>'s numFmtId, in order
    custom_ids = array("q")
    custom_kinds = bytearray()  # per custom format: 1 a date, 2 a duration (and a date)

    def kind(code: str | None) -> int:
        if code is None:
            return 0
        code = code[:MAX_FORMAT_CHARS]
        if not numbers.is_date_format(code):
            return 0
        return 3 if numbers.is_timedelta_format(code) else 1

    def start(tag: str, attrs: dict[str, str]) -> None:
        name = tag.rpartition("}")[2]
        if path == ["styleSheet", "cellXfs"] and name == "xf":
            style_formats.append(int(attrs.get("numFmtId", 0)))
        elif path == ["styleSheet", "numFmts"] and name == "numFmt":
            custom_ids.append(int(attrs.get("numFmtId", 0)))
            custom_kinds.append(kind(attrs.get("formatCode")))
        path.append(name)

    def end(_tag: str) -> None:
        path.pop()

    parser = expat.ParserCreate(namespace_separator="}")
    refuse_doctype(parser, "xl/styles.xml")
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    while block := source.read(1 << 16):
        parser.Parse(block, False)
    parser.Parse(b"", True)
    kinds = _kinds_of(np.frombuffer(style_formats, np.int64), custom_ids, custom_kinds, kind)
    return StyleSet(kinds >= 1), StyleSet(kinds == 3)


def _kinds_of(
    formats: NDArray[np.int64], custom_ids: array[int], custom_kinds: bytearray, kind: Any
) -> NDArray[np.uint8]:
    """Return each style's kind (0, 1 a date, 3 a duration) from its format's id."""
    numbers: Any = importlib.import_module("openpyxl.styles.numbers")
    out = np.zeros(len(formats), np.uint8)
    is_custom = np.zeros(len(formats), bool)
    if len(custom_ids):
        ids = np.frombuffer(custom_ids, np.int64)[::-1]
        # The last format of an id counts (openpyxl keeps them in a dict): first reversed.
        unique, first = np.unique(ids, return_index=True)
        kinds = np.frombuffer(bytes(custom_kinds), np.uint8)[::-1][first]
        at = np.searchsorted(unique, formats).clip(0, len(unique) - 1)
        is_custom = unique[at] == formats
        out[is_custom] = kinds[at[is_custom]]
    # Built-in formats: a few dozen ids, each looked at once, then a table lookup.
    builtin: dict[int, str] = numbers.BUILTIN_FORMATS
    table = np.zeros(max(builtin) + 1, np.uint8)
    for number, code in builtin.items():
        table[number] = kind(code)
    known = ~is_custom & (formats >= 0) & (formats < len(table))
    out[known] = table[formats[known]]
    return out
