r"""The one TOML layer: rulebooks, target sets and mapping files are read through it.

It reads a file within the limits, parses it keeping where each key is written, checks
keys against the allowed ones (with a "did you mean" hint) and raises every problem in
one style, ``file:line [key.path]: message``, as the caller's subclass of
:class:`~learnsoc.errors.TomlFileError`, with a translatable message. It imports
nothing above :mod:`learnsoc.errors`, so every layer may use it.

:mod:`tomllib` parses TOML but gives no positions, and errors that only say
``titles.learning_family.versions[1].criteria[0].expr`` are hard to act on. A
:class:`Locator` scans the source text once (headers, ``key =`` lines, string
delimiters and brackets) and maps every key path it can see to its line and column.
Keys written inside inline tables or multi-line arrays are not seen; their lookups fall
back to the nearest enclosing key that is.

:func:`read_file` is the one way rule files, target files and mapping files are read
from disk: it checks the size with ``stat`` before reading, refuses anything that is not
a regular file (a directory, a FIFO, ``/dev/zero``) and never reads more than the limit
plus one byte. :func:`parse_toml` bounds the text before :mod:`tomllib` sees it and the
document after: at most :data:`MAX_NESTING` levels of tables, arrays and dotted keys
(:mod:`tomllib` recurses on brackets and would exhaust the stack), and integers in TOML's
64-bit range (Python refuses to convert more than 4,300 digits with a bare
``ValueError``); every refusal is the caller's error class with the file and line.
:func:`read_toml` is :func:`decode_toml` then :func:`parse_toml`. A :class:`TomlFile`
turns a message and a key path into the caller's error at the key's line, and
:meth:`TomlFile.check_keys` refuses unknown keys.

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

import os
import re
import stat
import sys
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from learnsoc._messages import N_, Message
from learnsoc.errors import RulebookError, TomlFileError, Translatable, did_you_mean
from learnsoc.limits import MAX_SHOWN_CHARS

__all__ = [
    "MAX_BYTES",
    "MAX_INTEGER",
    "MAX_NESTING",
    "ErrorClass",
    "Locator",
    "Path",
    "TomlFile",
    "decode_toml",
    "format_path",
    "parse_toml",
    "read_file",
    "read_toml",
    "shown_key",
    "unknown_key",
]

#: The largest rule, target or mapping file accepted, in bytes (checked with ``stat``
#: before reading, and no more than this plus one byte is ever read).
MAX_BYTES = 1 << 20
#: The deepest nesting accepted in those files: tables, arrays, inline tables and the
#: parts of dotted keys and table headers all count one level each.
MAX_NESTING = 20
#: The largest integer magnitude (TOML integers are 64-bit: -2**63 to 2**63 - 1).
MAX_INTEGER = 2**63 - 1

#: Builds the caller's error: called as ``error(message, file=..., line=..., ...)``.
ErrorClass = Callable[..., Exception]

Path = tuple[str | int, ...]

_KEY_PART = re.compile(r"""\s*(?:([A-Za-z0-9_-]+)|"((?:[^"\\]|\\.)*)"|'([^']*)')\s*""")
_TOML_ERROR_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")

#: The reasons :mod:`tomllib` gives, as catalog ids: a pattern of its English text (whose
#: groups are the values it quotes) and the id, whose English is that text again.
_TOML_REASONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern + r"\Z", re.S), message_id)
    for pattern, message_id in (
        (r"Cannot overwrite a value", N_("Cannot overwrite a value")),
        (
            r"Escaped character is not a Unicode scalar value",
            N_("Escaped character is not a Unicode scalar value"),
        ),
        (
            r"Expected '=' after a key in a key/value pair",
            N_("Expected '=' after a key in a key/value pair"),
        ),
        (
            r"Expected '\]' at the end of a table declaration",
            N_("Expected ']' at the end of a table declaration"),
        ),
        (
            r"Expected '\]\]' at the end of an array declaration",
            N_("Expected ']]' at the end of an array declaration"),
        ),
        (
            r"Expected newline or end of document after a statement",
            N_("Expected newline or end of document after a statement"),
        ),
        (r"Invalid date or datetime", N_("Invalid date or datetime")),
        (r"Invalid hex value", N_("Invalid hex value")),
        (
            r"Invalid initial character for a key part",
            N_("Invalid initial character for a key part"),
        ),
        (r"Invalid statement", N_("Invalid statement")),
        (r"Invalid value", N_("Invalid value")),
        (r"Unclosed array", N_("Unclosed array")),
        (r"Unclosed inline table", N_("Unclosed inline table")),
        (r"Unescaped '\\' in a string", N_("Unescaped '\\' in a string")),
        (r"Unterminated string", N_("Unterminated string")),
        (r"Cannot declare (?P<key>.+) twice", N_("Cannot declare {key} twice")),
        (
            r"Cannot mutate immutable namespace (?P<key>.+)",
            N_("Cannot mutate immutable namespace {key}"),
        ),
        (r"Cannot redefine namespace (?P<key>.+)", N_("Cannot redefine namespace {key}")),
        (r"Duplicate inline table key (?P<key>.+)", N_("Duplicate inline table key {key}")),
        (r"Expected (?P<expect>.+)", N_("Expected {expect}")),
        (r"Found invalid character (?P<char>.+)", N_("Found invalid character {char}")),
        (r"Illegal character (?P<char>.+)", N_("Illegal character {char}")),
    )
)


class ParserReason(Translatable):
    r"""The reason :mod:`tomllib` gives for refusing a file, in the reader's language.

    English is the parser's own text; another language gives its translation and keeps
    the parser's text after it, as it was (what a search engine or a maintainer finds). A
    reason the catalogs do not know (another Python version's wording) says "syntax error"
    with the parser's text.

    Examples
    --------
    >>> reason = ParserReason("Illegal character '\\n'")
    >>> str(reason)
    "Illegal character '\\n'"
    >>> reason.localized("vi")
    "ký tự không được phép '\\n' (trình đọc TOML: Illegal character '\\n')"
    """

    def __init__(self, text: str) -> None:
        self.text = text

    def __str__(self) -> str:
        return self.text

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def localized(self, locale: str | None = None) -> str:
        from learnsoc._translation import gettext, normalize_locale

        if normalize_locale(locale) == "en":
            return self.text
        for pattern, message_id in _TOML_REASONS:
            match = pattern.match(self.text)
            if match is not None:
                said = gettext(message_id, locale).format(**match.groupdict())
                break
        else:
            said = gettext(N_("syntax error"), locale)
        detail = gettext(N_("TOML parser: {detail}"), locale).format(detail=self.text)
        return f"{said} ({detail})"


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
            part = shown_key(part)
            out += f".{part}" if out else part
    return out


def shown_key(key: str) -> str:
    """Return a key cut to :data:`~learnsoc.limits.MAX_SHOWN_CHARS` characters for a message.

    A file may hold a key of a million characters: its error is a line, not a megabyte.

    Examples
    --------
    >>> shown_key("k" * 1000)[-3:], len(shown_key("k" * 1000))
    ('kk…', 81)
    """
    return key if len(key) <= MAX_SHOWN_CHARS else key[:MAX_SHOWN_CHARS] + "…"


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

    def __init__(self, *, track_digits: bool = False) -> None:
        self.in_multiline: str | None = None  # '"""' or "'''" while inside one
        # Whether the last line scanned opened a multi-line string, and where (0-based
        # index): the caller keeps the line number, to name where an unclosed one opens.
        self.opened_here = False
        self.opened_at = 0
        self.depth = 0
        self.track_digits = track_digits
        # Where the first run of more digits than Python converts starts (0-based index
        # in the line being scanned), so a ValueError from tomllib can name its line.
        self.long_digits: int | None = None

    def skip_line(self, line: str) -> tuple[bool, int | None, int]:
        """Consume a line; say whether it starts outside any string or bracket.

        Returns (starts_clean, index where a value starts after '=' if the line is a
        key line, max bracket depth reached).
        """
        starts_clean = self.in_multiline is None and self.depth == 0
        value_start: int | None = None
        deepest = self.depth
        self.long_digits = None
        self.opened_here = False
        run = start = 0
        # Off unless asked: it only places an error, and would cost time on every char.
        digit_limit = sys.get_int_max_str_digits()
        track = self.track_digits and digit_limit > 0
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
                    self.opened_here = True
                    self.opened_at = i
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
            if not track:
                pass
            elif ch.isdigit():
                run += 1
                if run == 1:
                    start = i
                elif run > digit_limit and self.long_digits is None:
                    self.long_digits = start
            elif ch != "_" or not run:
                run = 0
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
    limit : int
        The nesting at which the scan stops (see :attr:`too_deep`).

    Attributes
    ----------
    max_depth : int
        The deepest nesting of brackets and braces seen.
    too_deep : (int, int) or None
        Where brackets, or the parts of a key or table header, first go deeper than
        ``limit``; the scan stops there (so a hostile file cannot make it store
        thousands of long key paths).
    unclosed : (int, int, str) or None
        The line, column and quotes of a multi-line string still open at the end of
        the text, or None.
    """

    def __init__(self, text: str, limit: int = MAX_NESTING) -> None:
        self._keys: dict[Path, tuple[int, int]] = {}
        self._values: dict[Path, tuple[int, int]] = {}
        self.max_depth = 0
        self.too_deep: tuple[int, int] | None = None
        self.unclosed: tuple[int, int, str] | None = None
        self._limit = limit
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
                        if len(parts) > self._limit:
                            self.too_deep = (number, column)
                            return
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
            if scanner.in_multiline is not None and scanner.opened_here:
                self.unclosed = (number, scanner.opened_at + 1, scanner.in_multiline)
            elif scanner.in_multiline is None:
                self.unclosed = None
            self.max_depth = max(self.max_depth, deepest)
            if deepest > self._limit:
                self.too_deep = (number, 1)
                return
            if not clean_before or value_start is None:
                continue
            key_text = line[: value_start - 1]
            parts = _split_key(key_text)
            if parts is None:
                continue
            key_column = len(key_text) - len(key_text.lstrip()) + 1
            if len(table) + len(parts) > self._limit:
                self.too_deep = (number, key_column)
                return
            path = (*table, *parts)
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


#: What a file read here may be, for ``{what_text}`` in messages (translated with them).
WHATS = (N_("rulebook"), N_("target file"), N_("mapping file"))


def _error(error: ErrorClass, message: Message, **where: Any) -> Exception:
    """Build ``error`` with ``message``, translatable when the class can be."""
    err = error(str(message), **where)
    return err.translatable(message) if isinstance(err, Translatable) else err


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__


def _check_regular(info: os.stat_result, file: str, what: str, error: ErrorClass) -> None:
    if stat.S_ISDIR(info.st_mode):
        msg = Message(
            N_("cannot read the {what_text}: it is a directory, not a file"), what_text=what
        )
        raise _error(error, msg, file=file)
    if not stat.S_ISREG(info.st_mode):
        # /dev/zero never ends and a FIFO may never be written to: refuse, do not wait.
        msg = Message(
            N_(
                "cannot read the {what_text}: it is not a regular "
                "file (a device, a pipe or a socket)"
            ),
            what_text=what,
        )
        raise _error(error, msg, file=file)


def _too_big(size: int, limit: int, file: str, what: str, error: ErrorClass) -> Exception:
    msg = Message(
        N_("the file is {size:,} bytes; {what_text}s are limited to {limit:,} bytes"),
        size=size,
        what_text=what,
        limit=limit,
    )
    return _error(error, msg, file=file)


def read_file(
    path: str | os.PathLike[str],
    *,
    file: str,
    what: str,
    error: ErrorClass = RulebookError,
    limit: int = MAX_BYTES,
) -> bytes:
    r"""Return the bytes of a rule, target or mapping file, never more than ``limit``.

    The size is checked with ``stat`` before anything is read; anything but a regular
    file (a directory, ``/dev/zero``, a FIFO, a socket) is refused without being opened
    for reading, and at most ``limit + 1`` bytes are read (the file may grow between the
    ``stat`` and the read).

    Parameters
    ----------
    path : str or path-like
        The file.
    file : str
        Its name, for errors.
    what : str
        What the file is, for errors (``"rulebook"``, ``"target file"``).
    error : callable
        The error class, called as ``error(message, file=file)``.
    limit : int
        The largest size accepted, in bytes (:data:`MAX_BYTES`).

    Raises
    ------
    error
        For a missing or unreadable file, a file that is not a regular file, or a file
        larger than ``limit``.

    Examples
    --------
    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> read_file(folder, file="rules.toml", what="rulebook")
    Traceback (most recent call last):
    ...
    learnsoc.errors.RulebookError: rules.toml: cannot read the rulebook: it is a directory, not a file
    """  # noqa: E501
    try:
        info = os.stat(path)
    except OSError as exc:
        msg = Message(
            N_("cannot read the {what_text}: {reason}"), what_text=what, reason=_reason(exc)
        )
        raise _error(error, msg, file=file) from None
    _check_regular(info, file, what, error)
    if info.st_size > limit:
        raise _too_big(info.st_size, limit, file, what, error)
    # O_NONBLOCK: if the path is swapped for a FIFO after the stat, opening it does not
    # wait for a writer; the fstat below then refuses it.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
        with os.fdopen(fd, "rb") as fp:
            _check_regular(os.fstat(fp.fileno()), file, what, error)
            data = fp.read(limit + 1)
    except OSError as exc:
        msg = Message(
            N_("cannot read the {what_text}: {reason}"), what_text=what, reason=_reason(exc)
        )
        raise _error(error, msg, file=file) from None
    if len(data) > limit:
        raise _too_big(len(data), limit, file, what, error)
    return data


def decode_toml(
    data: bytes, file: str, *, what: str = "rulebook", error: type[TomlFileError] = RulebookError
) -> str:
    r"""Return the text of a TOML file's bytes: at most :data:`MAX_BYTES`, UTF-8, no BOM.

    Raises
    ------
    error
        If the bytes are too many or not UTF-8 (with the line of the first bad byte).

    Examples
    --------
    >>> decode_toml(b"\xef\xbb\xbfa = 1", "a.toml")
    'a = 1'
    """
    if len(data) > MAX_BYTES:
        raise _too_big(len(data), MAX_BYTES, file, what, error)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_line = data[: exc.start].count(b"\n") + 1
        msg = Message(
            N_(
                "the file is not UTF-8 text (byte 0x{byte:02x} at offset {start}); save it as UTF-8"
            ),
            byte=data[exc.start],
            start=exc.start,
        )
        raise _error(error, msg, file=file, line=bad_line) from None
    return text[1:] if text.startswith("\ufeff") else text


def parse_toml(
    text: str,
    file: str | None,
    *,
    error: type[TomlFileError] = RulebookError,
    parse_float: Callable[[str], Any] = float,
) -> tuple[dict[str, Any], Locator]:
    r"""Parse TOML text into a dict and a :class:`Locator`, within the nesting and integer limits.

    Brackets nested deeper than :data:`MAX_NESTING` are refused before :mod:`tomllib`
    (which recurses on them) sees the text; keys, headers and inline tables nested
    deeper, and integers outside TOML's 64-bit range, are refused after. Every error is
    ``error`` with the file, line and column.

    Parameters
    ----------
    text : str
        The TOML source.
    file : str or None
        Its name, for errors.
    error : type
        The error class (a :class:`~learnsoc.errors.TomlFileError` subclass).
    parse_float : callable
        Passed to :func:`tomllib.loads` (``decimal.Decimal`` keeps decimals exact).

    Examples
    --------
    >>> parse_toml("year = " + "9" * 5000, "t.toml")
    Traceback (most recent call last):
    ...
    learnsoc.errors.RulebookError: t.toml:1:8: integer out of range (more than 4,300 digits): TOML integers are 64-bit, from -9,223,372,036,854,775,808 to 9,223,372,036,854,775,807
    >>> parse_toml("a" + ".a" * 30 + " = 1", "t.toml")
    Traceback (most recent call last):
    ...
    learnsoc.errors.RulebookError: t.toml:1:1: tables, arrays and dotted keys are nested more than 20 levels deep
    """  # noqa: E501
    locator = Locator(text)
    if locator.too_deep is not None:
        line, column = locator.too_deep
        msg = Message(
            N_("tables, arrays and dotted keys are nested more than {limit} levels deep"),
            limit=MAX_NESTING,
        )
        raise _error(error, msg, file=file, line=line, column=column)
    try:
        parsed = tomllib.loads(text, parse_float=parse_float)
    except tomllib.TOMLDecodeError as exc:
        reason = str(exc)
        match = _TOML_ERROR_POSITION.search(reason)
        line_: int | None = None
        column_: int | None = None
        if match is not None:
            line_, column_ = int(match.group(1)), int(match.group(2))
            reason = reason[: match.start()].strip()
        elif locator.unclosed is not None and "(at end of document)" in reason:
            # An unclosed multi-line string swallows the rest of the file, so tomllib
            # only notices at its end: name the line where the string opens instead.
            line_, column_, quotes = locator.unclosed
            msg = Message(
                N_("invalid TOML: the multi-line string opened here with {quotes} is never closed"),
                quotes=quotes,
            )
            raise _error(error, msg, file=file, line=line_, column=column_) from None
        elif "(at end of document)" in reason:
            # The last line, just past its last character: where the parser stopped.
            line_ = text.count("\n") + 1
            column_ = len(text.rsplit("\n", 1)[-1]) + 1
            reason = reason.replace("(at end of document)", "").strip()
        msg = Message(N_("invalid TOML: {reason}"), reason=ParserReason(reason))
        raise _error(error, msg, file=file, line=line_, column=column_) from None
    except ValueError:
        # Python refuses to convert more than sys.get_int_max_str_digits() digits.
        line_, column_ = _long_integer_at(text) or (None, None)
        digits = sys.get_int_max_str_digits()
        msg = Message(
            N_(
                "integer out of range (more than {digits:,} digits): TOML integers are 64-bit, "
                "from {low:,} to {high:,}"
            ),
            digits=digits,
            low=-MAX_INTEGER - 1,
            high=MAX_INTEGER,
        )
        raise _error(error, msg, file=file, line=line_, column=column_) from None
    except (RecursionError, MemoryError):
        msg = Message(N_("the file is nested too deeply to read"))
        raise _error(error, msg, file=file) from None
    _check_document(parsed, locator, file, error)
    return parsed, locator


def _long_integer_at(text: str) -> tuple[int, int] | None:
    """Return where the first run of more digits than Python converts starts, if any."""
    scanner = _Scanner(track_digits=True)
    for number, line in enumerate(text.split("\n"), start=1):
        scanner.skip_line(line)
        if scanner.long_digits is not None:
            return number, scanner.long_digits + 1
    return None


def _check_document(
    doc: dict[str, Any], locator: Locator, file: str | None, error: type[TomlFileError]
) -> None:
    """Refuse values nested too deep or integers out of range (iteratively: no recursion)."""
    deep = Message(
        N_("tables, arrays and dotted keys are nested more than {limit} levels deep"),
        limit=MAX_NESTING,
    )
    out_of_range = Message(
        N_("integer out of range: TOML integers are 64-bit, from {low:,} to {high:,}"),
        low=-MAX_INTEGER - 1,
        high=MAX_INTEGER,
    )
    stack: list[tuple[Path, dict[str, Any] | list[Any]]] = [((), doc)]
    while stack:
        path, container = stack.pop()
        items = container.items() if isinstance(container, dict) else enumerate(container)
        for key, value in items:
            problem: Message | None = None
            if isinstance(value, dict | list):
                if value and len(path) + 1 >= MAX_NESTING:
                    problem = deep
                elif value:
                    stack.append(((*path, key), value))
            elif type(value) is int and not -MAX_INTEGER - 1 <= value <= MAX_INTEGER:
                problem = out_of_range
            if problem is not None:
                where = (*path, key)
                line, column = locator.find(where) or (None, None)
                raise _error(
                    error,
                    problem,
                    file=file,
                    line=line,
                    column=column,
                    key_path=format_path(where),
                )


def read_toml(
    data: bytes,
    file: str,
    *,
    what: str = "rulebook",
    error: type[TomlFileError] = RulebookError,
    parse_float: Callable[[str], Any] = float,
) -> tuple[dict[str, Any], Locator]:
    r"""Parse a rule file's bytes into a dict and a :class:`Locator`, within the limits.

    :func:`decode_toml` then :func:`parse_toml`.

    Parameters
    ----------
    data : bytes
        The file's content.
    file : str
        Its name, for errors.
    what, error, parse_float
        As for :func:`decode_toml` and :func:`parse_toml`.

    Returns
    -------
    (dict, Locator)

    Raises
    ------
    RulebookError
        If the file is larger than :data:`MAX_BYTES`, is not UTF-8, nests deeper than
        :data:`MAX_NESTING`, has an integer out of range, or is not valid TOML (with
        the line and column).

    Examples
    --------
    >>> read_toml(b"a = 1\nb = = 2", "bad.toml")
    Traceback (most recent call last):
    ...
    learnsoc.errors.RulebookError: bad.toml:2:5: invalid TOML: Invalid value
    """
    text = decode_toml(data, file, what=what, error=error)
    return parse_toml(text, file, error=error, parse_float=parse_float)


def unknown_key(key: str, allowed: Sequence[str], *, list_allowed: bool = False) -> Message:
    """Say that ``key`` is not one of ``allowed``, with a "did you mean" hint.

    Parameters
    ----------
    key : str
        The key written.
    allowed : sequence of str
        The keys accepted there.
    list_allowed : bool
        Also list every allowed key, in the order given (rulebooks do: their tables
        have few keys, and the list teaches the format).

    Examples
    --------
    >>> str(unknown_key("yearr", ["year", "kind"]))
    "unknown key 'yearr'; did you mean 'year'?"
    >>> str(unknown_key("yearr", ["year", "kind"], list_allowed=True))
    "unknown key 'yearr'; did you mean 'year'? (allowed: year, kind)"
    >>> str(unknown_key("colour", ["year", "kind"], list_allowed=True))
    "unknown key 'colour'; allowed keys are: year, kind"
    """
    key = shown_key(key)
    hint = did_you_mean(key, allowed)
    if not list_allowed:
        return Message(N_("unknown key {key!r}{hint}"), key=key, hint=hint)
    shown = ", ".join(allowed)
    if hint.startswith("; did"):
        return Message(
            N_("unknown key {key!r}{hint} (allowed: {shown})"), key=key, hint=hint, shown=shown
        )
    return Message(N_("unknown key {key!r}; allowed keys are: {shown}"), key=key, shown=shown)


_E = TypeVar("_E", bound=TomlFileError)


class TomlFile(Generic[_E]):
    r"""One TOML file being checked: its name, where its keys are, and its error class.

    Parameters
    ----------
    name : str or None
        The file's name, for errors.
    locator : Locator
        Where its keys are written (from :func:`parse_toml`).
    error : type
        The :class:`~learnsoc.errors.TomlFileError` subclass raised for its problems.
    columns : bool
        Name the column of a key as well as its line (rulebooks do: their conditions
        are long; target and mapping files name the line only).

    Examples
    --------
    >>> from learnsoc.errors import MappingError
    >>> data, where = parse_toml('[person]\ncolums = 1\n', "m.toml")
    >>> toml = TomlFile("m.toml", where, MappingError, columns=False)
    >>> toml.check_keys(data["person"], ("columns", "ignore"), ("person",))
    Traceback (most recent call last):
    ...
    learnsoc.errors.MappingError: m.toml:2 [person.colums]: unknown key 'colums'; did you mean 'columns'?
    """  # noqa: E501

    def __init__(
        self,
        name: str | None,
        locator: Locator,
        error: type[_E],
        *,
        columns: bool = True,
    ) -> None:
        self.name = name
        self.locator = locator
        self.error_class = error
        self.columns = columns

    def position(self, path: Path) -> tuple[int | None, int | None]:
        """Return the line and column of a key, or of its nearest written ancestor."""
        found = self.locator.find(path)
        return (None, None) if found is None else found

    def error(self, message: Message, path: Path | None, *, key_path: str | None = None) -> _E:
        """Return the error for ``message`` at the key ``path`` (no position when None).

        ``key_path`` is the path shown, when it is not ``path`` written out (a target
        file shows a target's id beside its index).
        """
        line = column = None
        if path is not None:
            line, column = self.position(path)
            if key_path is None:
                key_path = format_path(path)
        err = self.error_class(
            str(message),
            file=self.name,
            line=line,
            column=column if self.columns else None,
            key_path=key_path,
        )
        return err.translatable(message)

    def check_keys(
        self,
        table: Mapping[str, Any] | Iterable[str],
        allowed: Sequence[str],
        path: Path,
        *,
        list_allowed: bool = False,
        error: Callable[[Message, str], Exception] | None = None,
    ) -> None:
        """Raise the error for the first key of ``table`` that is not in ``allowed``.

        ``error`` builds the error from the message and the key, for a caller whose
        key paths are shown differently; by default it is :meth:`error` at the key.
        """
        for key in table:
            if key not in allowed:
                message = unknown_key(key, allowed, list_allowed=list_allowed)
                if error is not None:
                    raise error(message, key)
                raise self.error(message, (*path, key))
