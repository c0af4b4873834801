r"""Control and invisible characters in ids: found, and shown so that they can be seen.

In an id (its surrounding whitespace trimmed) a control character (C0, DEL, C1) or an
invisible format character (a zero-width space, a direction mark, a byte-order mark) is
not seen, and writers drop the control characters (an .xlsx file cannot hold them):
``P6\x00`` would be another id than ``P6`` that shows as ``P6``, and ``\u200b5`` a second
person ``5``, counted twice. Every way into learnsoc refuses such ids alike
(``control_character``): the file and frame readers (:mod:`learnsoc.io.convert`) and
arrays given to :meth:`learnsoc.Population.from_columns`.

Examples
--------
>>> control_rows(np.array(["P1", "P\x002", " P3\t", "P\u200b4", "Hộ 5"])).tolist()
[1, 3]
>>> visible("P6\x00"), visible("P\x857"), visible("\ufeff5")
('P6␀', 'P<U+0085>7', '<U+FEFF>5')
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = ["CONTROL", "CONTROL_RE2", "INVISIBLE", "control_rows", "visible"]

#: Invisible format characters, as ranges of code points: zero-width spaces and joiners,
#: direction marks and overrides, the word joiner, the soft hyphen and the byte-order mark
#: (a file's BOM is left in its first id by files joined end to end).
INVISIBLE = (
    (0xAD, 0xAD),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x2069),
    (0xFEFF, 0xFEFF),
)

#: C0 and C1 control characters, DEL and the invisible characters, as Arrow's regular
#: expressions (RE2) write them.
CONTROL_RE2 = (
    r"[\x{00}-\x{1f}\x{7f}-\x{9f}"
    + "".join(rf"\x{{{a:04x}}}-\x{{{b:04x}}}" for a, b in INVISIBLE)
    + "]"
)

#: The same characters, as a Python regular expression.
CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f" + "".join(f"{chr(a)}-{chr(b)}" for a, b in INVISIBLE) + "]"
)

#: Control characters as a reject shows them: C0 and DEL as their Unicode pictures (␀,
#: ␇, ␡), C1 and the invisible ones as their code point; the raw characters would vanish
#: or be dropped on the way to a terminal, a numpy array or an .xlsx file.
_PICTURES = {
    **{c: chr(0x2400 + c) for c in range(32)},
    0x7F: "\u2421",
    **{c: f"<U+{c:04X}>" for c in range(0x80, 0xA0)},
    **{c: f"<U+{c:04X}>" for a, b in INVISIBLE for c in range(a, b + 1)},
}


def visible(text: str) -> str:
    """Return ``text`` with its control and invisible characters shown (see the module)."""
    return text.translate(_PICTURES)


def control_rows(cells: Any) -> NDArray[np.int64]:
    """Return the rows of numpy text (or Python strings) whose trimmed text holds one.

    Numbers hold none. Fixed-width text is read as code points, every row at once, for
    the rows that may hold one (a character below a space, DEL to U+009F, an invisible
    one, a NUL inside); only those are trimmed and looked at closely.
    """
    arr = np.asarray(cells)
    if arr.dtype.kind == "O":  # Python strings (a long cell, a NUL): kept as they are
        texts = [v.strip() if isinstance(v, str) else "" for v in arr.tolist()]
        return np.array([i for i, v in enumerate(texts) if CONTROL.search(v)], np.int64)
    if arr.dtype.kind != "U" or not len(arr) or arr.itemsize == 0:
        return np.zeros(0, np.int64)
    points = arr.view(np.uint32).reshape(len(arr), arr.itemsize // 4)
    # 1..31 and 127..159 in one comparison each: the subtraction wraps numpy's padding
    # NULs (0) around to the largest uint32 (a NUL inside a cell is found below).
    suspect = (points - np.uint32(1) < 31) | (points - np.uint32(127) < 33)
    if points.max() >= INVISIBLE[0][0]:  # most ids are ASCII, and none is looked at
        # Vietnamese letters end at U+1EF9: only rows of a character past them (or a
        # soft hyphen) are looked at closely.
        odd = (points >= INVISIBLE[1][0]) | (points == INVISIBLE[0][0])
        maybe = np.flatnonzero(odd.any(1))
        if len(maybe):
            some = points[maybe]
            hit = np.zeros(some.shape, bool)
            for first, last in INVISIBLE:
                hit |= (some >= first) & (some <= last)
            suspect[maybe] |= hit
    rows = np.flatnonzero(suspect.any(1))
    # numpy pads with NUL: a cell whose length (to its last character that is not NUL)
    # exceeds its characters that are not NUL holds a NUL before another character.
    inner = np.flatnonzero(np.char.str_len(arr) > np.count_nonzero(points, axis=1))
    if len(inner):
        rows = np.union1d(rows, inner)
    if not len(rows):
        return np.zeros(0, np.int64)
    # A tab or a line end around an id is trimmed, not refused: the few rows left are
    # looked at as text.
    found = [CONTROL.search(v.strip()) is not None for v in arr[rows].tolist()]
    out: NDArray[np.int64] = rows[np.array(found, bool)].astype(np.int64)
    return out
