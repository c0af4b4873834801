"""Column buffers reused from one partition to the next (an arena).

A dataset is evaluated partition by partition, and each partition's columns are arrays of
the same names and types as the last one's. A fresh array's pages are zeroed by the kernel
the first time they are written (a page fault each): at 10M persons that first touch was
a third of the run's page faults. The runner keeps an :class:`Arena` per partition running
at once; while it is :meth:`~Arena.active`, :func:`empty` hands out views of buffers kept
from the partition before (grown when a partition is larger) instead of new arrays.

The arena owns the buffers, so whatever was built in it must be dropped before the next
partition starts: the runner keeps only counts. Every view handed out is written whole
before it is read (a file's column fills its rows), so nothing of a partition before
shows through.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from typing import Any

import numpy as np
from numpy.typing import DTypeLike, NDArray

_ACTIVE: ContextVar[Arena | None] = ContextVar("learnsoc_arena", default=None)


class Arena:
    """Buffers by name and dtype, handed out again after each :meth:`active` block.

    ``reserve`` gives the length to make a buffer of a table's column (``{"person": n}``,
    the name's part before the dot), when it is longer than the first asked for.

    Examples
    --------
    >>> arena = Arena()
    >>> with arena.active():
    ...     first = empty("person.age", 4, np.uint8, current())
    ...     first[:] = [1, 2, 3, 4]
    >>> with arena.active():
    ...     again = empty("person.age", 3, np.uint8, current())
    >>> again.base is first.base, len(again)
    (True, 3)
    >>> empty("person.age", 3, np.uint8, current()).base is first.base  # none active: new
    False
    """

    def __init__(self, reserve: Mapping[str, int] | None = None) -> None:
        # The most rows of a table in any partition: a buffer is made that long at once,
        # not grown partition after partition (a single process runs the smallest first).
        self._reserve = dict(reserve or {})
        self._buffers: dict[tuple[str, np.dtype[Any]], list[NDArray[Any]]] = {}
        self._taken: dict[tuple[str, np.dtype[Any]], int] = {}
        # A reader converts two columns at a time, in two threads.
        self._lock = threading.Lock()

    def take(self, name: str, n: int, dtype: DTypeLike) -> NDArray[Any]:
        """Return a view of ``n`` items of a buffer of ``name`` (uninitialised)."""
        key = (name, np.dtype(dtype))
        with self._lock:
            kept = self._buffers.setdefault(key, [])
            # The same name asked for twice in one partition gets two buffers.
            i = self._taken.get(key, 0)
            self._taken[key] = i + 1
            size = max(n, self._reserve.get(name.partition(".")[0], 0))
            if i == len(kept):
                kept.append(np.empty(size, key[1]))
            elif len(kept[i]) < n:
                kept[i] = np.empty(size, key[1])
            return kept[i][:n]

    @contextlib.contextmanager
    def active(self) -> Iterator[Arena]:
        """Hand out this arena's buffers in the block (in this thread or task only)."""
        self._taken.clear()
        token = _ACTIVE.set(self)
        try:
            yield self
        finally:
            _ACTIVE.reset(token)

    @property
    def nbytes(self) -> int:
        """The bytes the arena holds."""
        return sum(b.nbytes for kept in self._buffers.values() for b in kept)


def current() -> Arena | None:
    """Return the arena active in this thread or task (``None``: none).

    Taken where the work starts: a thread pool's threads do not see the context of the
    thread that hands them work, so a reader gives them the arena itself.
    """
    return _ACTIVE.get()


def empty(name: str, n: int, dtype: DTypeLike, arena: Arena | None) -> NDArray[Any]:
    """Return an uninitialised array of ``n`` items: from ``arena`` if there is one.

    ``name`` says which column it is, so that each partition gets back the buffer of the
    same column (``"table.column"``).
    """
    if arena is None:
        return np.empty(n, dtype)
    return arena.take(name, n, dtype)


class Arenas:
    """A pool of arenas, one per partition running at once, kept for the whole run.

    ``reserve`` gives each table's most rows in a partition (``{"person": n, ...}``), the
    length of the buffers of its columns.

    Examples
    --------
    >>> pool = Arenas()
    >>> with pool.lease() as one:
    ...     pass
    >>> with pool.lease() as two:
    ...     two is one
    True
    """

    def __init__(self, reserve: Mapping[str, int] | None = None) -> None:
        self._reserve = reserve
        self._free: queue.SimpleQueue[Arena] = queue.SimpleQueue()

    @contextlib.contextmanager
    def lease(self) -> Iterator[Arena]:
        """Take a free arena (or a new one), active in the block, and give it back after."""
        try:
            arena = self._free.get_nowait()
        except queue.Empty:
            arena = Arena(self._reserve)
        with arena.active():
            yield arena
        # Not given back after an error: its traceback may still show the arrays.
        self._free.put(arena)
