"""Loading rulebooks: reading the files, checking every key, merging ``extends``.

The private half of :mod:`learnsoc.rules.rulebook`, in four steps, each in its module:

1. :mod:`learnsoc.rules._raw`: a file's tables are checked key by key into *entries*
   that remember where each key was written;
2. :mod:`learnsoc.rules._extends`: the file is read within the limits
   (:func:`learnsoc._toml.read_toml`) and merged over the rulebook it ``extends`` (key by
   key; versions by ``effective_from``, criteria by ``id``);
3. :mod:`learnsoc.rules._build` (with the typed values of :mod:`learnsoc.rules._values`):
   the entries are built into the checked model: values, references and dates;
4. :mod:`learnsoc.rules._conditions`: names, dependency order and the types of every
   condition.
"""

from __future__ import annotations

import os
from pathlib import Path as FsPath

from learnsoc.rules._build import Builder
from learnsoc.rules._extends import load_raw, read_bytes
from learnsoc.rules.rulebook import Rulebook

__all__ = ["load_path", "load_text"]


def load_path(path: FsPath) -> Rulebook:
    """Read, check and build the rulebook in a file (and those it extends)."""
    name = str(path)
    data = read_bytes(path, name)
    key = os.path.normcase(os.path.abspath(path))
    return Builder(load_raw(data, name, path.parent, (key,))).build()


def load_text(text: str, file: str, directory: FsPath | None) -> Rulebook:
    """Check and build a rulebook given as TOML text."""
    return Builder(load_raw(text.encode("utf-8"), file, directory, (file,))).build()
