"""Record warnings in code that may run in threads, each thread's apart.

:class:`warnings.catch_warnings` swaps process-wide state (the filters and the function
that shows a warning) and puts it back on exit: two threads each inside their own would
record each other's warnings, and the first to leave would restore the filters under the
other (Python 3.11 to 3.13; 3.14 has context-aware warnings only as an option).
:class:`ThreadWarnings` is entered once, by the thread that starts the others, and sends
each warning to the innermost log of the thread that gave it; code that records warnings
(:func:`caught_warnings`) records them in that thread's log when there is one, and with
:class:`warnings.catch_warnings` otherwise.
"""

from __future__ import annotations

import contextlib
import threading
import warnings
from collections.abc import Iterator
from types import TracebackType
from typing import Any, TextIO

#: Records the warnings given inside its ``with`` block (a list of them).
Recorder = contextlib.AbstractContextManager[list[warnings.WarningMessage]]

# Each thread's logs, innermost last, while it runs inside ThreadWarnings.record().
_here = threading.local()


def _logs() -> list[list[warnings.WarningMessage]] | None:
    logs: list[list[warnings.WarningMessage]] | None = getattr(_here, "logs", None)
    return logs


@contextlib.contextmanager
def caught_warnings() -> Iterator[list[warnings.WarningMessage]]:
    """Record every warning given in the block, each time it is given.

    In a thread of a :class:`ThreadWarnings` run, only that thread's warnings, without
    touching the process-wide state the other threads' warnings go through.

    Examples
    --------
    >>> with caught_warnings() as caught:
    ...     warnings.warn("twice"); warnings.warn("twice")
    >>> [str(w.message) for w in caught]
    ['twice', 'twice']
    """
    logs = _logs()
    if logs is None:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield caught
        return
    log: list[warnings.WarningMessage] = []
    logs.append(log)
    try:
        yield log
    finally:
        logs.pop()  # blocks nest: the innermost is last


class ThreadWarnings:
    """While entered, record the warnings of each thread inside :meth:`record` apart.

    Warnings of other threads (not inside :meth:`record`) go where they went before.

    Examples
    --------
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> def given(word: str) -> list[str]:
    ...     with threads.record() as caught:
    ...         warnings.warn(word)
    ...         with caught_warnings() as inner:
    ...             warnings.warn(word + ", inner")
    ...     return [str(w.message) for w in caught] + [str(w.message) for w in inner]
    >>> with ThreadWarnings() as threads, ThreadPoolExecutor(2) as pool:
    ...     list(pool.map(given, ["one", "two"]))
    [['one', 'one, inner'], ['two', 'two, inner']]
    """

    def __init__(self) -> None:
        self._saved = warnings.catch_warnings()
        self._show_before: Any = None
        self._impl_before: Any = None

    def __enter__(self) -> ThreadWarnings:
        self._saved.__enter__()
        warnings.simplefilter("always")
        self._show_before = warnings.showwarning
        # What ``catch_warnings(record=True)`` replaces: the recording of an outer block.
        self._impl_before = getattr(warnings, "_showwarnmsg_impl", None)
        warnings.showwarning = self._show
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._saved.__exit__(kind, exc, tb)

    @contextlib.contextmanager
    def record(self) -> Iterator[list[warnings.WarningMessage]]:
        """Record every warning the calling thread gives in the block."""
        _here.logs = []
        try:
            with caught_warnings() as log:
                yield log
        finally:
            del _here.logs

    def _show(
        self,
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> None:
        found = warnings.WarningMessage(message, category, filename, lineno, file, line)
        logs = _logs()
        if logs:
            logs[-1].append(found)
        elif self._impl_before is not None and self._show_before is getattr(
            warnings, "_showwarning_orig", None
        ):
            self._impl_before(found)  # showwarning untouched: what an outer block records
        else:
            self._show_before(message, category, filename, lineno, file, line)
