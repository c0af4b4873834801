r"""Reading rule files safely, and finding where a key sits in one.

:mod:`tomllib` parses TOML but gives no positions, and errors that only say
``titles.learning_family.versions[1].criteria[0].expr`` are hard to act on. A
:class:`Locator` scans the source text once (headers, ``key =`` lines, string
delimiters and brackets) and maps every key path it can see to its line and column.
Keys written inside inline tables or multi-line arrays are not seen; their lookups fall
back to the nearest enclosing key that is.

:func:`read_toml` bounds the input before :mod:`tomllib` sees it: a size limit, UTF-8
only, and a nesting limit (deeply nested arrays would otherwise exhaust the stack).

Examples
--------
>>> text = '[a]\nx = 1\n[[a.items]]\nexpr = "b >= 1"\n[[a.items]]\nexpr = "c"\n'
>>> data, where = read_toml(text.encode(), "rules.toml")
>>> data["a"]["items"][1]["expr"]
'c'
>>> where.find(("a", "items", 1, "expr"))
(6, 1)
>>> where.value_position(("a", "items", 1, "expr"))
(6, 9)
>>> where.find(("a", "items", 1, "nothing", "here"))
(5, 1)
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from typing import Any

from learnsoc.errors import RulebookError

__all__ = ["MAX_BYTES", "MAX_NESTING", "Locator", "Path", "format_path", "read_toml"]

#: The largest rule file accepted, in bytes (checked before parsing).
MAX_BYTES = 1 << 20
#: The deepest nesting of brackets and braces accepted in a rule file.
MAX_NESTING = 20

Path = tuple[str | int, ...]

_KEY_PART = re.compile(r"""\s*(?:([A-Za-z0-9_-]+)|"((?:[^"\\]|\\.)*)"|'([^']*)')\s*""")
_TOML_ERROR_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def format_path(path: Sequence[str | int]) -> str:
    """Write a key path the way errors show it.

    Examples
    --------
    >>> format_path(("titles", "learning_family", "versions", 0, "criteria", 2, "expr"))
    'titles.learning_family.versions[0].criteria[2].expr'
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def _split_key(text: str) -> list[str] | None:
    """Split a (possibly dotted, possibly quoted) TOML key; None if it is not one."""
    parts: list[str] = []
    pos = 0
    while True:
        match = _KEY_PART.match(text, pos)
        if match is None or match.end() == pos:
            return None
        bare, basic, literal = match.groups()
        if bare is not None:
            parts.append(bare)
        elif basic is not None:
            # Escapes in quoted keys are rare in rule files; keep the text as written.
            parts.append(basic)
        else:
            parts.append(literal or "")
        pos = match.end()
        if pos == len(text):
            return parts
        if text[pos] != ".":
            return None
        pos += 1


class _Scanner:
    """Track strings and brackets across lines, so only real keys and headers are seen."""

    def __init__(self) -> None:
        self.in_multiline: str | None = None  # '"""' or "'''" while inside one
        self.depth = 0

    def skip_line(self, line: str) -> tuple[bool, int | None, int]:
        """Consume a line; say whether it starts outside any string or bracket.

        Returns (starts_clean, index where a value starts after '=' if the line is a
        key line, max bracket depth reached).
        """
        starts_clean = self.in_multiline is None and self.depth == 0
        value_start: int | None = None
        deepest = self.depth
        i = 0
        n = len(line)
        while i < n:
            ch = line[i]
            if self.in_multiline is not None:
                end = line.find(self.in_multiline, i)
                if end < 0:
                    return starts_clean, value_start, deepest
                i = end + 3
                self.in_multiline = None
                continue
            if ch == "#":
                break
            if ch in "\"'":
                triple = line[i : i + 3]
                if triple in ('"""', "'''"):
                    self.in_multiline = triple
                    i += 3
                    continue
                i = self._skip_string(line, i, ch)
                continue
            if ch == "=" and starts_clean and value_start is None and self.depth == 0:
                value_start = i + 1
            elif ch in "[{":
                self.depth += 1
                deepest = max(deepest, self.depth)
            elif ch in "]}":
                self.depth = max(self.depth - 1, 0)
            i += 1
        return starts_clean, value_start, deepest

    @staticmethod
    def _skip_string(line: str, i: int, quote: str) -> int:
        j = i + 1
        while j < len(line):
            if line[j] == "\\" and quote == '"':
                j += 2
                continue
            if line[j] == quote:
                return j + 1
            j += 1
        return j


_HEADER = re.compile(r"^\s*(\[\[|\[)(.*?)(\]\]|\])\s*(#.*)?$")


class Locator:
    """Where each key of a TOML text is written (1-based line and column).

    Parameters
    ----------
    text : str
        The TOML source.
    """

    def __init__(self, text: str) -> None:
        self._keys: dict[Path, tuple[int, int]] = {}
        self._values: dict[Path, tuple[int, int]] = {}
        self.max_depth = 0
        self._scan(text.split("\n"))

    def _scan(self, lines: list[str]) -> None:
        scanner = _Scanner()
        table: Path = ()
        arrays: dict[Path, int] = {}

        def resolve(parts: Sequence[str]) -> list[str | int]:
            out: list[str | int] = []
            for part in parts:
                out.append(part)
                count = arrays.get(tuple(out))
                if count is not None:
                    out.append(count - 1)
            return out

        for number, line in enumerate(lines, start=1):
            clean_before = scanner.in_multiline is None and scanner.depth == 0
            if clean_before:
                header = _HEADER.match(line)
                if header is not None and line.lstrip().startswith("["):
                    parts = _split_key(header.group(2))
                    if parts is not None:
                        column = line.index("[") + 1
                        if header.group(1) == "[[":
                            array = (*resolve(parts[:-1]), parts[-1])
                            index = arrays.get(array, 0)
                            arrays[array] = index + 1
                            table = (*array, index)
                        else:
                            table = tuple(resolve(parts))
                        self._keys.setdefault(table, (number, column))
                        continue
            _, value_start, deepest = scanner.skip_line(line)
            self.max_depth = max(self.max_depth, deepest)
            if not clean_before or value_start is None:
                continue
            key_text = line[: value_start - 1]
            parts = _split_key(key_text)
            if parts is None:
                continue
            path = (*table, *parts)
            key_column = len(key_text) - len(key_text.lstrip()) + 1
            self._keys.setdefault(path, (number, key_column))
            self._values.setdefault(path, self._value_start(line, value_start, number))

    @staticmethod
    def _value_start(line: str, value_start: int, number: int) -> tuple[int, int]:
        """Where the content of the value starts: after the quotes of a string."""
        rest = line[value_start:]
        offset = value_start + len(rest) - len(rest.lstrip())
        for quote in ('"""', "'''"):
            if line.startswith(quote, offset):
                after = offset + 3
                if not line[after:].strip():
                    # TOML drops a newline right after the opening delimiter.
                    return number + 1, 1
                return number, after + 1
        if line.startswith(('"', "'"), offset):
            return number, offset + 2
        return number, offset + 1

    def find(self, path: Sequence[str | int]) -> tuple[int, int] | None:
        """Return the line and column of a key, or of its nearest located ancestor."""
        probe = tuple(path)
        while probe:
            hit = self._keys.get(probe)
            if hit is not None:
                return hit
            # A table only written through its subtables ([titles.x] gives "titles").
            below = [pos for key, pos in self._keys.items() if key[: len(probe)] == probe]
            if below:
                return min(below)
            probe = probe[:-1]
        return None

    def value_position(self, path: Sequence[str | int]) -> tuple[int, int] | None:
        """Return where a string value's text starts (for positions inside conditions)."""
        return self._values.get(tuple(path))


def read_toml(data: bytes, file: str) -> tuple[dict[str, Any], Locator]:
    r"""Parse a rule file's bytes into a dict and a :class:`Locator`, within the limits.

    Parameters
    ----------
    data : bytes
        The file's content.
    file : str
        Its name, for errors.

    Returns
    -------
    (dict, Locator)

    Raises
    ------
    RulebookError
        If the file is larger than :data:`MAX_BYTES`, is not UTF-8, nests brackets
        deeper than :data:`MAX_NESTING`, or is not valid TOML (with the line and column).

    Examples
    --------
    >>> read_toml(b"a = 1\nb = = 2", "bad.toml")
    Traceback (most recent call last):
    ...
    learnsoc.errors.RulebookError: bad.toml:2:5: invalid TOML: Invalid value
    """
    if len(data) > MAX_BYTES:
        msg = f"the file is {len(data):,} bytes; rule files are limited to {MAX_BYTES:,} bytes"
        raise RulebookError(msg, file=file)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_line = data[: exc.start].count(b"\n") + 1
        msg = (
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8"
        )
        raise RulebookError(msg, file=file, line=bad_line) from None
    if text.startswith("\ufeff"):
        text = text[1:]
    locator = Locator(text)
    if locator.max_depth > MAX_NESTING:
        msg = f"brackets are nested more than {MAX_NESTING} levels deep"
        raise RulebookError(msg, file=file)
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        reason = str(exc)
        match = _TOML_ERROR_POSITION.search(reason)
        line: int | None = None
        column: int | None = None
        if match is not None:
            line, column = int(match.group(1)), int(match.group(2))
            reason = reason[: match.start()].strip()
        elif "(at end of document)" in reason:
            line = text.count("\n") + 1
            reason = reason.replace("(at end of document)", "at the end of the file").strip()
        msg = f"invalid TOML: {reason}"
        raise RulebookError(msg, file=file, line=line, column=column) from None
    except (RecursionError, MemoryError):
        msg = "the file is nested too deeply to read"
        raise RulebookError(msg, file=file) from None
    return parsed, locator
