"""The files of a folder read as one table (a folder of Parquet files), each once.

:func:`learnsoc.io.parquet.rollup_parquet` reads every file of a folder, as Arrow's
dataset reader does: the files of its subfolders too, all but those whose name starts
with ``.`` or ``_`` (Spark's ``_SUCCESS``, macOS's ``._`` files, atomic writes'
temporary files). Arrow follows every symbolic link: a link out of the folder read
files of another folder (an archive can carry one to any path of the machine that
unpacks it), and a link back into the folder (``loop -> .``) read each file again, up
to 40 times (the system's limit on links in a path), and took time and memory that
double with each such link. :func:`folder_files` lists them itself: a link out of the
folder is refused, as a dataset's (:func:`learnsoc.io.files.link_out_of`); a link that
stays inside is followed, and each file (and folder) is read once, however many links
lead to it; anything but a regular file (a FIFO, a device) is refused, never opened.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> top = Path(tempfile.mkdtemp())
>>> (top / "part=1").mkdir()
>>> _ = (top / "part=1" / "a.parquet").write_bytes(b"")
>>> _ = (top / "_SUCCESS").write_bytes(b"")
>>> (top / "again").symlink_to(top)
>>> [Path(f).relative_to(top).as_posix() for f in folder_files(top)]
['part=1/a.parquet']
"""

from __future__ import annotations

import os

from learnsoc._messages import N_, Message
from learnsoc.io.files import PathLike, display_name, file_error, not_regular

__all__ = ["folder_files"]


def _hidden(name: str) -> bool:
    # Arrow's dataset reader skips these by default (``ignore_prefixes``).
    return name.startswith((".", "_"))


def folder_files(folder: PathLike) -> list[str]:
    """Return the files of ``folder`` and its subfolders to read, each once, sorted by path.

    Parameters
    ----------
    folder : str or path
        The folder; it may itself be a symbolic link.

    Returns
    -------
    list of str
        The files, named under ``folder`` as found (through the links inside it).

    Raises
    ------
    FileFormatError
        For a symbolic link that leads out of the folder (naming the link and where it
        leads), or a file that is not a regular file (a FIFO, a device, a socket).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> top = Path(tempfile.mkdtemp())
    >>> (top / "elsewhere").mkdir()
    >>> (top / "read").mkdir()
    >>> (top / "read" / "more").symlink_to(top / "elsewhere")
    >>> folder_files(top / "read")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    learnsoc.io.files.FileFormatError: .../read/more: this is a symbolic link to ...
    """
    root = os.path.realpath(folder)
    seen_dirs = {root}
    seen_files: set[str] = set()
    found: list[str] = []

    def walk(path: str) -> None:
        with os.scandir(path) as it:
            entries = sorted(it, key=lambda e: e.name)
        for entry in entries:
            if _hidden(entry.name):
                continue
            real = os.path.realpath(entry.path)
            if entry.is_symlink() and os.path.commonpath([root, real]) != root:
                _refuse_link(folder, entry.path, real)
            if os.path.isdir(real):
                if real not in seen_dirs:
                    seen_dirs.add(real)
                    walk(entry.path)
                continue
            if not os.path.exists(entry.path):  # a link to nothing (or to itself)
                raise file_error(Message(N_("no such file")), file=entry.path)
            problem = not_regular(entry.path)
            if problem is not None:
                raise file_error(problem, file=entry.path)
            if real not in seen_files:
                seen_files.add(real)
                found.append(entry.path)

    walk(os.fspath(folder))
    return found


def _refuse_link(folder: PathLike, link: str, real: str) -> None:
    msg = Message(
        N_(
            "this is a symbolic link to {target}, outside the folder {folder!r} read; "
            "learnsoc reads the files of a folder only inside it: copy the files into it, "
            "or link the whole folder instead"
        ),
        target=real,
        folder=display_name(folder),
    )
    raise file_error(msg, file=link)
