"""The JSON manifests of learnsoc's folders, read and written within bounds.

A dataset's ``manifest.json`` and a results folder's ``results.json`` say what the
folder holds; anyone can edit them, or send a folder with a file of that name that is no
manifest at all. They are read as rule files are read (:func:`learnsoc._toml.read_file`):
only a regular file, its size checked with ``stat`` before anything is read and never
more than :data:`~learnsoc.limits.MAX_MANIFEST_BYTES` read; and the nesting of its
arrays and objects is counted before it is parsed
(:data:`~learnsoc.limits.MAX_MANIFEST_NESTING`), so that Python's JSON reader never
recurses into brackets nested thousands deep (with a raised recursion limit, that
overflows the C stack and kills the process). ``NaN`` and ``Infinity``, which Python
accepts and JSON does not, are not JSON here either; nor is an object that has a key
twice (Python keeps the last value without a word, another reader the first: an edited
manifest must not say two things), a :class:`DuplicateKeyError` naming the key. A
UTF-8 byte-order mark (Windows Notepad adds one when the file is edited there) is read
past.

Examples
--------
>>> nesting(b'{"partitions": [{"rows": {"persons": 3}}], "note": "[[[["}')
4
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "manifest.json"
>>> from learnsoc.io.dataset import DatasetError
>>> _ = path.write_text('\ufeff{"layout": "x"}', encoding="utf-8")
>>> read_json(path, what="dataset manifest", error=DatasetError)
{'layout': 'x'}
>>> _ = path.write_text("[" * 5_000 + "]" * 5_000)
>>> read_json(path, what="dataset manifest", error=DatasetError)
Traceback (most recent call last):
...
learnsoc.io.manifests.NestingError: arrays and objects nested 5,000 deep; a manifest nests them at most 20 deep
"""  # noqa: E501

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import numpy as np

from learnsoc import limits
from learnsoc._messages import N_, Message
from learnsoc._phrases import Phrase
from learnsoc._toml import ErrorClass, read_file
from learnsoc.errors import LearnsocError
from learnsoc.io.files import PathLike, display_name

__all__ = ["DuplicateKeyError", "NestingError", "nesting", "read_json", "read_manifest"]

#: What the manifests are, for ``{what_text}`` in the messages of :func:`read_file`.
WHATS = (N_("dataset manifest"), N_("results manifest"))

#: A JSON string, or one left open up to the end of the data (so that a quote never
#: starts a second scan of the rest: the scan stays linear whatever the quotes).
_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"?', re.S)
#: Every byte but the four brackets, for bytes.translate to delete.
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
#: Brackets counted at once.
_CHUNK = 1 << 20


class NestingError(ValueError):
    """JSON whose arrays and objects nest deeper than a manifest's ever do.

    A :class:`ValueError`, as the JSON reader's own errors: callers say that the file
    is no manifest, with this message.

    Examples
    --------
    >>> print(NestingError(200_000, 20))
    arrays and objects nested 200,000 deep; a manifest nests them at most 20 deep
    """

    def __init__(self, depth: int, limit: int) -> None:
        self.depth = depth
        self.limit = limit
        self.message = Message(
            N_(
                "arrays and objects nested {depth:,} deep; a manifest nests them at most "
                "{limit} deep"
            ),
            depth=depth,
            limit=limit,
        )
        super().__init__(str(self.message))


class DuplicateKeyError(ValueError):
    """A JSON object that has the same key twice (``{"rows": 10, "rows": 99}``).

    Python's JSON reader keeps the last value silently; a manifest edited so says two
    things, and learnsoc reads neither. A :class:`ValueError`, as :class:`NestingError`.

    Examples
    --------
    >>> print(DuplicateKeyError("rows"))
    the key 'rows' is written twice in one object; a manifest has each key once
    """

    def __init__(self, key: str) -> None:
        self.key = key
        self.message = Message(
            N_("the key {key!r} is written twice in one object; a manifest has each key once"),
            key=key,
        )
        super().__init__(str(self.message))


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKeyError(key)
            seen.add(key)
    return out


def nesting(data: bytes) -> int:
    """Return how deep the arrays and objects of JSON text nest, without parsing it.

    Brackets inside strings do not count. For text that is not JSON, the count is that
    of the part before the first string left open, which is all a JSON reader reads
    before it stops. Linear in the size: 16 MiB of brackets take about 0.3 s.

    Examples
    --------
    >>> nesting(b'{"partitions": [{"key": "01", "name": "[[["}]}')
    3
    """
    brackets = np.frombuffer(_STRING.sub(b"", data).translate(None, _NOT_BRACKETS), np.uint8)
    depth = deepest = 0
    # A chunk at a time: the running depth of 16 MiB of brackets at once took 128 MB.
    for start in range(0, len(brackets), _CHUNK):
        part = brackets[start : start + _CHUNK]
        opening = (part == ord("[")) | (part == ord("{"))
        steps = np.where(opening, np.int32(1), np.int32(-1))
        running = np.add.accumulate(steps, dtype=np.int32) + np.int32(depth)
        deepest = max(deepest, int(running.max()))
        depth = int(running[-1])
    return deepest


def _not_json(constant: str) -> NoReturn:
    msg = f"{constant} is not JSON"
    raise ValueError(msg)


def read_json(path: PathLike, *, what: str, error: ErrorClass) -> Any:
    """Return the value of a JSON manifest, read within the bounds of the module docs.

    Parameters
    ----------
    path : str or path
        The file.
    what : str
        What it is, for messages: ``"dataset manifest"`` or ``"results manifest"``.
    error : exception class
        Raised, as ``error(message, file=...)``, for a file that cannot be read, is not
        a regular file, or is over :data:`~learnsoc.limits.MAX_MANIFEST_BYTES`.

    Raises
    ------
    NestingError
        For arrays and objects nested deeper than
        :data:`~learnsoc.limits.MAX_MANIFEST_NESTING`.
    DuplicateKeyError
        For an object with the same key twice.
    ValueError
        For bytes that are not UTF-8 or not JSON (``json.JSONDecodeError`` among them).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from learnsoc.io.files import FileFormatError
    >>> path = Path(tempfile.mkdtemp()) / "manifest.json"
    >>> _ = path.write_text('{"format": 1}', encoding="utf-8-sig")  # Notepad's BOM
    >>> read_json(path, what="dataset manifest", error=FileFormatError)
    {'format': 1}
    >>> _ = path.write_text("[" * 50 + "]" * 50)
    >>> try:
    ...     read_json(path, what="dataset manifest", error=FileFormatError)
    ... except NestingError as err:
    ...     print(err.depth, err.limit)
    50 20
    """
    data = read_file(
        path, file=display_name(path), what=what, error=error, limit=limits.MAX_MANIFEST_BYTES
    )
    text = data.decode("utf-8-sig")
    depth = nesting(data)
    if depth > limits.MAX_MANIFEST_NESTING:
        raise NestingError(depth, limits.MAX_MANIFEST_NESTING)
    return json.loads(text, parse_constant=_not_json, object_pairs_hook=_unique_keys)


def read_manifest(
    path: Path, *, what: str, error: ErrorClass, problem: Callable[[Path, str | Phrase], NoReturn]
) -> Any:
    """Return the value of a manifest, or refuse it through ``problem(path, why)``.

    :func:`read_json`, with what a manifest that is no JSON of bounded nesting says:
    ``problem`` is given the reason (a message id, or a :class:`~learnsoc._phrases.Phrase`
    of the :class:`NestingError` or :class:`DuplicateKeyError`) and raises the folder's
    own error. A file over the size limit, or not a regular file, raises ``error`` as
    :func:`read_json` does.

    Examples
    --------
    >>> import tempfile
    >>> from learnsoc.io.files import FileFormatError
    >>> path = Path(tempfile.mkdtemp()) / "manifest.json"
    >>> _ = path.write_text('{"rows": 1, "rows": 2}', encoding="utf-8")
    >>> def refuse(path: Path, why: object) -> NoReturn:
    ...     raise FileFormatError(f"not a manifest: {why}", file=path.name)
    >>> try:
    ...     read_manifest(path, what="dataset manifest", error=FileFormatError, problem=refuse)
    ... except FileFormatError as err:
    ...     print(err)  # doctest: +NORMALIZE_WHITESPACE
    manifest.json: not a manifest: the key 'rows' is written twice in one object; a
    manifest has each key once
    """
    try:
        # At most MAX_MANIFEST_BYTES, nested at most MAX_MANIFEST_NESTING deep: a file of
        # gigabytes, or of brackets nested thousands deep, is refused before it is parsed.
        return read_json(path, what=what, error=error)
    except (NestingError, DuplicateKeyError) as exc:
        problem(path, Phrase(exc.message))
    except LearnsocError:
        raise  # its own error (a ValueError too): over the size limit, not a regular file
    except ValueError:
        # Not UTF-8, not JSON, or a number of more digits than Python reads (4,300).
        problem(path, N_("it is not JSON"))
