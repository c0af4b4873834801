"""Warnings recorded per thread: what catch_warnings cannot do when threads overlap."""

from __future__ import annotations

import threading
import warnings
from concurrent.futures import ThreadPoolExecutor

from learnsoc._warnings import ThreadWarnings, caught_warnings


def _overlapping(record_a: object, record_b: object) -> tuple[list[str], list[str]]:
    """Thread A records around thread B's warning, and B records around A's."""
    turns = [threading.Event() for _ in range(4)]

    def a() -> list[str]:
        with record_a() as log:  # type: ignore[operator]
            turns[0].set()
            turns[1].wait(5)
            warnings.warn("from a", stacklevel=1)
            turns[2].set()
            turns[3].wait(5)
        return [str(w.message) for w in log]

    def b() -> list[str]:
        turns[0].wait(5)
        with record_b() as log:  # type: ignore[operator]
            warnings.warn("from b", stacklevel=1)
            turns[1].set()
            turns[2].wait(5)
        turns[3].set()
        return [str(w.message) for w in log]

    with ThreadPoolExecutor(2) as pool:
        fa, fb = pool.submit(a), pool.submit(b)
        return fa.result(), fb.result()


def test_catch_warnings_mixes_threads_up() -> None:
    """The reason for ThreadWarnings: with catch_warnings, A records B's warning and B
    records A's (or the warnings go to whichever block swapped the state last)."""
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        got = _overlapping(caught_warnings, caught_warnings)
    assert got != (["from a"], ["from b"])


def test_each_thread_records_its_own_warnings() -> None:
    with ThreadWarnings() as threads:
        got = _overlapping(threads.record, threads.record)
    assert got == (["from a"], ["from b"])


def test_blocks_nest_inside_a_thread_and_warnings_given_again_go_out() -> None:
    """A block inside a recorded thread records its warnings; given again, they go to the
    thread's log (as io.population gives again, naming the file, what it caught)."""

    def run() -> tuple[list[str], list[str]]:
        with threads.record() as outer:
            with caught_warnings() as inner:
                warnings.warn("inner", stacklevel=1)
            for w in inner:
                warnings.warn(f"again: {w.message}", stacklevel=1)
        return [str(w.message) for w in outer], [str(w.message) for w in inner]

    with ThreadWarnings() as threads, ThreadPoolExecutor(1) as pool:
        outer, inner = pool.submit(run).result()
    assert inner == ["inner"]
    assert outer == ["again: inner"]


def test_other_threads_warnings_go_where_they_went_before() -> None:
    """A thread not recording (the caller's own, another library's) is not swallowed: its
    warnings reach the block the caller had open, and the state is restored after."""
    with warnings.catch_warnings(record=True) as outside:
        warnings.simplefilter("always")
        before = warnings.showwarning
        with ThreadWarnings() as threads:
            with ThreadPoolExecutor(1) as pool:
                pool.submit(lambda: warnings.warn("not recorded", stacklevel=1)).result()
            with threads.record() as log:
                warnings.warn("recorded", stacklevel=1)
        assert warnings.showwarning is before
        warnings.warn("after", stacklevel=1)
    assert [str(w.message) for w in outside] == ["not recorded", "after"]
    assert [str(w.message) for w in log] == ["recorded"]


def test_a_replaced_showwarning_still_gets_the_others_warnings() -> None:
    shown: list[str] = []

    def show(message: object, *args: object, **kwargs: object) -> None:
        shown.append(str(message))

    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = show
        with ThreadWarnings():
            warnings.warn("to the user's function", stacklevel=1)
    assert shown == ["to the user's function"]
