"""The bundled rulebooks: list them, and load one by name or from a file.

Bundled rulebooks are TOML files in ``learnsoc/data/rulebooks``, one per id
(``vn-national.toml`` is ``"vn-national"``). :func:`load_rulebook` takes a bundled id
or a path to a ``.toml`` file (a province's own variant); bundled rulebooks are read
once per process and shared, which is safe because a :class:`Rulebook` is immutable.

Examples
--------
>>> from learnsoc.rules.registry import list_rulebooks, load_rulebook
>>> "example" in [info.id for info in list_rulebooks()]
True
>>> load_rulebook("example").info.name.text("vi")
'Bộ tiêu chí ví dụ (không chính thức)'
>>> load_rulebook("exmaple")
Traceback (most recent call last):
...
learnsoc.errors.RulebookError: no bundled rulebook 'exmaple'; did you mean 'example'?
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

from learnsoc._messages import N_, Message
from learnsoc.errors import RulebookError, did_you_mean
from learnsoc.rules._load import load_path, load_text
from learnsoc.rules.entries import RulebookInfo
from learnsoc.rules.rulebook import Rulebook, bundled_directory

__all__ = ["bundled_ids", "list_rulebooks", "load_rulebook", "parse_rulebook", "read_rulebook"]


def bundled_ids() -> list[str]:
    """Return the ids of the bundled rulebooks, sorted.

    Examples
    --------
    >>> "example" in bundled_ids()
    True
    """
    folder = bundled_directory()
    return sorted(p.name[: -len(".toml")] for p in folder.iterdir() if p.name.endswith(".toml"))


@functools.cache
def _bundled(name: str) -> Rulebook:
    resource = bundled_directory() / f"{name}.toml"
    book = parse_rulebook(resource.read_text(encoding="utf-8"), file=f"{name}.toml")
    if book.id != name:
        msg = Message(
            N_("bundled file {name}.toml declares id {book_id!r}; the id must match the file name"),
            name=name,
            book_id=book.id,
        )
        raise RulebookError(str(msg), file=f"{name}.toml").translatable(msg)
    return book


def load_rulebook(name_or_path: str | os.PathLike[str]) -> Rulebook:
    """Load a bundled rulebook by id, or a rulebook file by path.

    Parameters
    ----------
    name_or_path : str or path-like
        A bundled id (``"vn-national"``) or a path to a ``.toml`` file. A string is
        read as a path when it ends in ``.toml`` or contains a path separator.

    Returns
    -------
    Rulebook

    Raises
    ------
    RulebookError
        If there is no such bundled rulebook (with a suggestion) or the file is invalid.
        A file is read within limits (see :doc:`/reference/rulebook-format`, "Limits"):
        a regular file (never a device or a pipe) of at most 1 MiB, checked before it is
        read; UTF-8; at most 20 levels of nesting; 64-bit integers. Its ``extends`` may
        name a bundled id or a file in its own folder or below, nothing else.

    Examples
    --------
    >>> book = load_rulebook("example")
    >>> book.title("learning_family").label.text("vi")
    'Gia đình học tập'
    """
    if isinstance(name_or_path, os.PathLike):
        return read_rulebook(name_or_path)
    text = str(name_or_path)
    if text.endswith(".toml") or "/" in text or os.sep in text:
        return read_rulebook(Path(text))
    ids = bundled_ids()
    if text not in ids:
        hint = did_you_mean(text, ids)
        msg = Message(N_("no bundled rulebook {name!r}{hint}"), name=text, hint=hint)
        raise RulebookError(str(msg)).translatable(msg)
    return _bundled(text)


def list_rulebooks() -> list[RulebookInfo]:
    """Return what each bundled rulebook is: id, names, issuer, documents and dates.

    Examples
    --------
    >>> info = {i.id: i for i in list_rulebooks()}["example"]
    >>> info.version, str(info.effective_from)
    ('2025.1', '2016-01-01')
    """
    return [_bundled(name).info for name in bundled_ids()]


def read_rulebook(path: str | os.PathLike[str]) -> Rulebook:
    """Read and check a rulebook file (and the rulebooks it ``extends``).

    Parameters
    ----------
    path : str or path-like
        A ``.toml`` file.

    Returns
    -------
    Rulebook

    Raises
    ------
    RulebookError
        For any problem, with the file, line and key path; for a path that is not a
        regular file, a file over 1 MiB (checked before reading), nesting deeper than 20
        levels, an integer outside 64 bits, or an ``extends`` outside the file's folder
        (only bundled ids and files beside it or below are allowed).

    Examples
    --------
    >>> book = read_rulebook(bundled_directory() / "example.toml")
    >>> book.id
    'example'
    """
    return load_path(Path(os.fspath(path)))


def parse_rulebook(text: str, *, file: str = "<string>", directory: str | None = None) -> Rulebook:
    """Check a rulebook given as TOML text.

    Parameters
    ----------
    text : str
        The TOML.
    file : str
        The name errors show.
    directory : str, optional
        Where relative ``extends`` paths are found (and confined to). Without it the
        text may only extend bundled rulebooks.

    Returns
    -------
    Rulebook

    Raises
    ------
    RulebookError
        For any problem, with the line and key path.

    Examples
    --------
    >>> from importlib import resources
    >>> toml = resources.files("learnsoc") / "data" / "rulebooks" / "example.toml"
    >>> book = parse_rulebook(toml.read_text(encoding="utf-8"), file="example.toml")
    >>> book.info.id, len(book.titles)
    ('example', 6)
    """
    return load_text(text, file, Path(directory) if directory is not None else None)
