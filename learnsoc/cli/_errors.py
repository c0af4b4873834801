"""How the command line reports errors: usage errors, one-line messages, exit codes."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path
from typing import Any

from learnsoc._messages import Message
from learnsoc._translation import localized_hint
from learnsoc.errors import LearnsocError, Note, OptionalDependencyError, RulebookError
from learnsoc.i18n import N_, LocaleError, gettext


class UsageError(Exception):
    """A command line that cannot be run as given (exit code 2)."""


def usage(message: str, **values: Any) -> UsageError:
    """Return a usage error whose message (a catalog id) is in the command's language.

    Its "did you mean" hint too (``did_you_mean`` writes English).
    """
    return UsageError(localized_hint(gettext(message).format(**values), None))


def note_sheet_per_file(exc: BaseException, args: argparse.Namespace) -> None:
    """Say how to choose a sheet in one workbook when ``--sheet NAME`` chose it in all.

    ``--sheet "Năm 2025"`` with a persons and a units workbook looks for that sheet in
    both: the one without it is an error, which says how to give the sheet for one file.
    """
    from learnsoc.io.excel import NO_SHEET_NUMBER, NO_SUCH_SHEET

    every = (getattr(args, "sheet", None) or {}).get("*")
    if every is None or getattr(exc, "message_id", None) not in (NO_SUCH_SHEET, NO_SHEET_NUMBER):
        return
    given = str(every + 1) if isinstance(every, int) else str(every)
    msg = Message(
        N_(
            "--sheet {given} looks for that sheet in every workbook given, {file} too; to "
            "choose it in one workbook only, write --sheet FILE=NAME (the file before '='), "
            "once per workbook"
        ),
        given=shlex.quote(given),
        file=Path(str(getattr(exc, "file", ""))).name,
    )
    exc.add_note(Note(msg))


# Errors that come from how learnsoc was called or configured, not from the data.
_CONFIG_ERRORS = (RulebookError, OptionalDependencyError, LocaleError)


def on_worker(exc: BaseException, worker: str, locale: str) -> str:
    """Say the Dask worker an error came from; for a file this machine sees, why it failed.

    A partition file "missing" on a worker that this machine reads is a worker that
    does not see the dataset folder (another mount, or none) under the client's path.
    """
    from learnsoc.io.dataset import PartitionFileMissingError
    from learnsoc.scale.dask import WORKER_NOTE

    seen = isinstance(exc, PartitionFileMissingError) and Path(str(exc.file)).is_file()
    where = (
        N_(
            "(on the Dask worker {worker}; this machine reads that file, so the worker does "
            "not see the dataset folder under the same path: mount it there on every worker)"
        )
        if seen
        else WORKER_NOTE
    )
    return gettext(where, locale).format(worker=worker)


def worker_of(note: object) -> str | None:
    """Return the worker a Dask task's note names (None for any other note).

    The note is :data:`learnsoc.scale.dask.WORKER_NOTE`; its address is its parameter.
    """
    from learnsoc.scale.dask import WORKER_NOTE

    if getattr(note, "message_id", None) != WORKER_NOTE:
        return None
    worker = getattr(note, "params", {}).get("worker")
    return worker if isinstance(worker, str) else None


def one_line(exc: BaseException, locale: str = "en") -> str:
    """Return an error on one line, in the locale when it has a message id (else English)."""
    text = exc.localized(locale) if isinstance(exc, LearnsocError) else str(exc)
    return " ".join(text.split()) or type(exc).__name__


def exit_code(exc: BaseException) -> int:
    """Return 2 for errors in how learnsoc was called or configured, 1 for data errors."""
    from learnsoc.io.writers import OutputPathError
    from learnsoc.targets.indicators import TargetError

    return 2 if isinstance(exc, (*_CONFIG_ERRORS, TargetError, OutputPathError)) else 1
