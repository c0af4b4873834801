"""Decoding the next Parquet files in the background while the current work goes on.

A dataset is read one partition at a time, and each partition is evaluated before the
next one is read. pyarrow decodes Parquet without holding the GIL, so the next
partition's row groups can be decoded on the core the evaluation leaves idle: a
:class:`Prefetch` decodes them in one background thread, and :func:`read_parquet
<learnsoc.io.parquet.read_parquet>` takes a decoded group instead of decoding it again
when it asks for the same columns read the same way (otherwise the decoded group is
dropped and the file read as usual: a prefetch never changes what is read).

Only Arrow tables are made in the background: every check and conversion, and every
warning they give, stays in the reading thread. A group that cannot be decoded raises
its error when it is taken, in the reading thread, as the plain reading would.
At most :data:`BUDGET_BYTES` of (uncompressed) column data is decoded ahead.

Examples
--------
>>> import tempfile, pathlib
>>> import pyarrow as pa, pyarrow.parquet as pq
>>> from learnsoc.io.parquet import read_parquet
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> for name in ("a", "b"):
...     pq.write_table(pa.table({"person_id": [1, 2], "age": [40, 9]}), folder / f"{name}.parquet")
>>> with Prefetch() as ahead, ahead.active():
...     first = [b["age"].to_pylist() for b in read_parquet(folder / "a.parquet").iter_batches()]
...     ahead.start(folder / "b.parquet", like=folder / "a.parquet")  # read b like a
...     second = [b["age"].to_pylist() for b in read_parquet(folder / "b.parquet").iter_batches()]
>>> first, second, ahead.taken
([[40, 9]], [[40, 9]], 1)
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from contextvars import ContextVar
from types import TracebackType
from typing import Any

from learnsoc.io.files import PathLike

__all__ = ["BUDGET_BYTES", "Prefetch", "current"]

#: Bytes of column data (uncompressed, at least 8 per cell) a :class:`Prefetch` holds
#: decoded ahead and not yet taken, all files together (the groups past it are read when
#: needed, as without a prefetch).
BUDGET_BYTES = 512 * 1024 * 1024

#: How a file was read: its columns and those of them read dictionary-encoded.
How = tuple[tuple[str, ...], tuple[str, ...]]
#: Given a file, its row groups to decode as another file was read: (bytes, decode) each.
Plan = Callable[[PathLike], Sequence[tuple[int, Callable[[], Any]]]]

_ACTIVE: ContextVar[Prefetch | None] = ContextVar("learnsoc_prefetch", default=None)


def current() -> Prefetch | None:
    """Return the prefetch the reading in this context may take groups from, if any.

    Examples
    --------
    >>> with Prefetch() as ahead:
    ...     outside = current()
    ...     with ahead.active():
    ...         inside = current()
    >>> outside is None, inside is ahead, current() is None
    (True, True, True)
    """
    return _ACTIVE.get()


def _key(path: PathLike) -> str:
    return os.path.abspath(os.fspath(path))


class Prefetch:
    """Row groups of Parquet files decoded ahead in one background thread.

    Use it as a context manager (its thread ends with it, the groups not taken are
    dropped), and make it :meth:`active` around the reads that may take its groups.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import pytest; pq = pytest.importorskip("pyarrow.parquet")
    >>> import pyarrow as pa
    >>> from learnsoc.io.parquet import read_parquet
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> for n, name in enumerate("abc"):
    ...     pq.write_table(pa.table({"age": [n, n + 1]}), folder / f"{name}.parquet")
    >>> ages = []
    >>> with Prefetch() as ahead, ahead.active():
    ...     for this, after in [("a", "b"), ("b", "c"), ("c", None)]:
    ...         raw = read_parquet(folder / f"{this}.parquet")
    ...         ages += [b["age"].to_pylist() for b in raw.iter_batches()]
    ...         if after:  # decoded in the background while this one's data is used
    ...             ahead.start(folder / f"{after}.parquet", like=folder / f"{this}.parquet")
    >>> ages, ahead.taken  # b and c were taken decoded
    ([[0, 1], [1, 2], [2, 3]], 2)
    """

    def __init__(self, *, budget: int = BUDGET_BYTES) -> None:
        self._budget = budget
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="learnsoc-prefetch")
        # Per file: how its groups are decoded, and each group's size and decoding.
        self._ahead: dict[str, tuple[How, dict[int, tuple[int, Future[Any]]]]] = {}
        self._how: dict[str, tuple[How, Plan]] = {}
        self._held = 0  # bytes of the groups started and not taken, all files together
        #: Row groups handed to a reader so far.
        self.taken = 0

    def __enter__(self) -> Prefetch:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        """Drop the groups not taken (the one being decoded is finished first)."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._ahead.clear()
        self._held = 0

    @contextmanager
    def active(self) -> Iterator[Prefetch]:
        """Let the Parquet reads in this block take this prefetch's groups."""
        token = _ACTIVE.set(self)
        try:
            yield self
        finally:
            _ACTIVE.reset(token)

    def remember(self, path: PathLike, how: How, plan: Plan) -> None:
        """Note how a file was read, and how to decode another file the same way.

        Called by the reader; ``plan(other)`` returns the row groups of ``other`` to
        decode as this file was read, for :meth:`start` ``like=path``.
        """
        self._how[_key(path)] = (how, plan)

    def start(self, path: PathLike, *, like: PathLike) -> None:
        """Decode ``path``'s row groups ahead, with the columns ``like`` was read with.

        Nothing is started for a file ``like`` was not read from, nor for one its plan
        refuses (a file pyarrow cannot open, or one that would decode to far more than
        its size, :data:`~learnsoc.limits.MAX_EXPANSION`): its reader says what is wrong
        when it gets to it.
        """
        found = self._how.get(_key(like))
        if found is None:
            return
        how, plan = found
        try:
            groups = plan(path)
        except Exception:  # speculative: the reader says what is wrong with the file
            return
        futures: dict[int, tuple[int, Future[Any]]] = {}
        for group, (size, decode) in enumerate(groups):
            # Past the budget nothing more is started (one group when nothing is held).
            if self._held and self._held + size > self._budget:
                break
            futures[group] = (size, self._pool.submit(decode))
            self._held += size
        if futures:
            self._ahead[_key(path)] = (how, futures)

    def take(self, path: PathLike, group: int, how: How) -> Future[Any] | None:
        """Return the decoding of one row group if it was started with these columns.

        A file asked for with other columns drops its decoded groups: they would
        not be what the reader wants.
        """
        key = _key(path)
        found = self._ahead.get(key)
        if found is None:
            return None
        started_how, futures = found
        if started_how != how:
            del self._ahead[key]
            for size, started in futures.values():
                started.cancel()
                self._held -= size
            return None
        if group not in futures:
            return None
        size, taken = futures.pop(group)
        if not futures:
            del self._ahead[key]
        self._held -= size
        self.taken += 1
        return taken
