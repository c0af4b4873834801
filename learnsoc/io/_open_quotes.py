r"""The lines of a CSV file that, read alone, leave a quote open: found without a Python loop.

A file where most lines hold a quoted cell (``"Nguyễn, Văn A"``) and one line leaves
its quote open was read whole by the standard-library engine: looking at each quoted
line alone, in Python, cost as much (12 µs a line). A regular expression over the
bytes finds them instead, at C speed, as Python's :mod:`csv` reads a line (not strict):
a field that begins with a quote is quoted, ``""`` inside it is a quote, and the quote
that ends it may be followed by more text, where quotes are plain characters; a field
that does not begin with a quote holds its quotes as plain characters. Each field is
matched atomically (the reader never goes back), so the expression takes a line as
the reader does; the lines it finds are read alone again by the caller all the same.

A UTF-8 character other than ASCII never holds a byte of ``"``, ``\n`` or an ASCII
separator, so the bytes need no decoding.

Examples
--------
>>> data = b'id,x,y\n1,"a, b",x\n2,"open, x\n3,c"d,"e""\n4,"f"g,h\n'
>>> [data[at : data.index(b"\n", at)] for at in open_quote_lines(data, 7, ",")]
[b'2,"open, x', b'3,c"d,"e""']
"""

from __future__ import annotations

import re
from functools import lru_cache

__all__ = ["open_quote_lines"]


@lru_cache(maxsize=8)
def _pattern(delim: str) -> re.Pattern[bytes]:
    d = re.escape(delim.encode())
    # A field read to its end: quoted (then plain text up to the separator), plain, empty.
    # Quoted text is runs of plain bytes between doubled quotes (a class repeated, not an
    # alternation tried at each byte: several times faster).
    quoted = rb'"[^"\n]*+(?:""[^"\n]*+)*+'
    field = rb"(?>" + quoted + rb'"[^' + d + rb"\n]*+|[^\"" + d + rb"\n][^" + d + rb"\n]*+|)"
    # After a line break (a literal first byte: the search jumps from one to the next,
    # where ``^`` was tried at every byte, ten times slower), fields each with its
    # separator, then a quote opened that nothing closes.
    return re.compile(rb"\n(?:" + field + d + rb")*+" + quoted + rb"(?=\n|$)")


def open_quote_lines(data: bytes, start: int, delim: str) -> list[int]:
    r"""Return where each line from ``start`` that leaves a quote open begins.

    ``start`` must follow a line break (the header's); lines end at ``\n``.
    ``delim`` is one ASCII character.

    Examples
    --------
    >>> open_quote_lines(b'a;b\n"x;y\n', 4, ";")
    [4]
    """
    return [found.start() + 1 for found in _pattern(delim).finditer(data, start - 1)]
