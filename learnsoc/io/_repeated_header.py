r"""The lines of a CSV file that repeat its header: two exports joined into one file.

The second export's header need not be the first's byte for byte: another program (or
another clerk) writes it with spaces around the names, in capitals, quoted, or with its
own byte-order mark (``\ufeffho_id,...``). A line repeats the header when its cells,
read as the header is read, name the same columns as the header's (the matching the
columns get: see :func:`~learnsoc.io.csv.clean_header` and
:func:`~learnsoc.io.mapping.loose_name`); the caller says which with ``names_header``.

Reading every line as a header would cost a Python call per line, and so would a
regular expression tried after each line break (0.9 s for 3 million lines): the first
byte of each line is looked at in numpy, a block at a time, and only lines whose first
byte may begin the first column's name are matched with :func:`first_name_pattern`,
then read as a header if they match.

Examples
--------
>>> data = b"id,age\n1,40\n ID , Age \n2,9\n"
>>> def names_header(line: bytes) -> bool:
...     return [c.strip().lower() for c in line.decode().split(",")] == ["id", "age"]
>>> header_lines(data, 7, 2, first_name_pattern("id"), names_header)
([(12, 22)], [3])
"""

from __future__ import annotations

import re
from collections.abc import Callable

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc.model.ids import unaccented

__all__ = ["FirstName", "first_name_pattern", "header_lines"]

#: Letters of the first column's name looked for at a line's start: enough to pass over
#: nearly every data line without reading it.
_LETTERS = 4

#: What may come before the first name: a byte-order mark, spaces (a no-break one too),
#: an opening quote.
_BEFORE = rb"\n(?:\xef\xbb\xbf)?(?:[ \t\"']|\xc2\xa0)*"

#: The first bytes of what may come before the first name.
_BEFORE_FIRST = b"\xef \t\"'\xc2"

#: Bytes of a file whose line breaks are looked at together.
_BLOCK = 1 << 22


@attrs.frozen
class FirstName:
    """How the lines that may begin with a header's first name are found.

    Parameters
    ----------
    pattern : re.Pattern of bytes
        Matched at the line break before such a line (see :func:`first_name_pattern`).
    first_bytes : numpy.ndarray
        For each byte, whether such a line may begin with it.
    """

    pattern: re.Pattern[bytes]
    first_bytes: NDArray[np.bool_]


def first_name_pattern(first: str) -> FirstName:
    r"""Return how to find the lines that may begin with the header's name ``first``.

    The pattern is found at the line break before such a line (``\n``): each of the
    first letters and digits of ``first`` without accents, in any case, or any letter
    that is not ASCII (``Ã`` for ``a``, decomposed accents after it), then what may
    separate words; a name with no ASCII letter or digit is looked for as written.

    Examples
    --------
    >>> found = first_name_pattern("Mã hộ")
    >>> lines = ("\nMÃ HỘ", '\n"ma ho"', "\nMười", "\n01")
    >>> [bool(found.pattern.match(line.encode())) for line in lines]
    [True, True, False, False]
    >>> [bool(found.first_bytes[line.encode()[1]]) for line in lines]
    [True, True, True, False]
    """
    first_bytes = np.zeros(256, bool)
    first_bytes[list(_BEFORE_FIRST)] = True
    letters = [c for c in unaccented(first.casefold()) if c.isascii() and c.isalnum()]
    if not letters:
        name = first.encode("utf-8")
        first_bytes[list(name[:1])] = True
        return FirstName(re.compile(re.escape(b"\n" + name)), first_bytes)
    first_bytes[0x80:] = True  # a letter that is not ASCII
    first_bytes[[ord(letters[0]), ord(letters[0].upper())]] = True
    parts = []
    for c in letters[:_LETTERS]:
        one = re.escape(c.encode()) if c.isdigit() else f"[{c}{c.upper()}]".encode()
        parts.append(rb"(?:" + one + rb"|[\x80-\xff]{2,3})[\x80-\xff]*[ \t_.\-/]*")
    return FirstName(re.compile(_BEFORE + b"".join(parts)), first_bytes)


def header_lines(
    data: bytes,
    start: int,
    first_line: int,
    first: FirstName,
    names_header: Callable[[bytes], bool],
) -> tuple[list[tuple[int, int]], list[int]]:
    r"""Return the spans and line numbers of the lines after ``start`` repeating the header.

    ``start`` is where the line after the header begins, numbered ``first_line``. A span
    is a line's bytes without its line break (nor the ``\r`` before it).
    """
    spans: list[tuple[int, int]] = []
    lines: list[int] = []
    at, line = start, first_line
    for begin in _candidates(data, start, first):
        end = data.find(b"\n", begin)
        end = len(data) if end < 0 else end
        end -= data[end - 1 : end] == b"\r"
        if not names_header(data[begin:end]):
            continue
        line += data.count(b"\n", at, begin)
        at = begin
        spans.append((begin, end))
        lines.append(line)
    return spans, lines


def _candidates(data: bytes, start: int, first: FirstName) -> list[int]:
    """Return where the lines after ``start`` that match ``first.pattern`` begin."""
    buf = np.frombuffer(data, np.uint8)
    out: list[int] = []
    for lo in range(max(start - 1, 0), len(buf), _BLOCK):
        begins = np.flatnonzero(buf[lo : lo + _BLOCK] == 10) + (lo + 1)
        begins = begins[begins < len(buf)]
        maybe = begins[first.first_bytes[buf[begins]]].tolist()
        out.extend(begin for begin in maybe if first.pattern.match(data, begin - 1))
    return out
