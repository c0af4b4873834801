"""What tells two builds of learnsoc apart: its version and a digest of its source.

Every development checkout says ``0.1.0.dev0``, and an installed release edited in place
still says its release: a dataset's manifest records ``written_by`` as
``"learnsoc 0.1.0.dev0 (source 3f9a1c2b7d10)"``, the version and the first 12 hex digits
of a SHA-256 of the package's files (their paths and bytes), so that two datasets written
by different code say so. The digest is the same for the same files wherever they are (a
checkout, the wheel built from it, another machine); compiled files (``__pycache__``, the
``.mo`` catalogs built from the ``.po`` ones) are left out. Computed once per process, on
first use (the package's 4 MB, some milliseconds).

Examples
--------
>>> import re
>>> bool(re.fullmatch("learnsoc [^ ]+ [(]source [0-9a-f]{12}[)]", build_name()))
True
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from learnsoc._version import __version__

__all__ = ["build_name", "source_digest"]

#: Suffixes of the files built from others (bytecode, compiled catalogs): not source.
_BUILT = frozenset({".pyc", ".pyo", ".mo"})


def source_digest(root: Path | None = None) -> str:
    """Return the first 12 hex digits of a SHA-256 of the source files under ``root``.

    ``root`` defaults to the learnsoc package; ``""`` when it cannot be read (a package
    imported from a zip file).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> top = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (top / "a.py").write_text("x = 1")
    >>> first = source_digest(top)
    >>> _ = (top / "a.mo").write_bytes(b"built")  # a compiled catalog: not source
    >>> source_digest(top) == first, len(first)
    (True, 12)
    >>> _ = (top / "a.py").write_text("x = 2")
    >>> source_digest(top) == first
    False
    """
    return _package_digest() if root is None else _digest(root)


@functools.cache
def _package_digest() -> str:
    """Return the package's digest, once per process: its files do not change meanwhile."""
    return _digest(Path(__file__).parent)


def _digest(root: Path) -> str:
    if not root.is_dir():
        return ""
    files = []
    for path in root.rglob("*"):
        if "__pycache__" in path.parts or path.suffix in _BUILT or not path.is_file():
            continue
        files.append((path.relative_to(root).as_posix(), path))
    sha = hashlib.sha256()
    try:
        for name, path in sorted(files):
            data = path.read_bytes()
            # Lengths first: no two sets of files give the same stream of bytes.
            sha.update(f"{len(name)}:{name}{len(data)}:".encode())
            sha.update(data)
    except OSError:
        return ""
    return sha.hexdigest()[:12]


def build_name() -> str:
    """Return ``"learnsoc VERSION (source DIGEST)"``, or ``"learnsoc VERSION"`` without one.

    Examples
    --------
    >>> build_name().startswith(f"learnsoc {__version__} (source ")
    True
    """
    digest = source_digest()
    return f"learnsoc {__version__} (source {digest})" if digest else f"learnsoc {__version__}"
