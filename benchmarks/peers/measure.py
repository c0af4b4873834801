"""Step timer and resident-memory probes for the benchmark workers.

Peak memory is read from ``/proc/self/status`` (``VmHWM``, the high-water mark of the
resident set) on Linux and from ``getrusage`` elsewhere. :func:`reset_peak_rss` lowers the
mark to the current resident set (Linux: write ``5`` to ``/proc/self/clear_refs``) so a worker
can measure the peak of the workload alone, not of loading its inputs.
"""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["Timer", "current_rss", "peak_rss", "reset_peak_rss"]

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


def _status_kib(field: str) -> int | None:
    try:
        text = _STATUS.read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return None


def current_rss() -> int:
    """Return the resident set size of this process in bytes (0 when unknown).

    Examples
    --------
    >>> current_rss() >= 0
    True
    """
    kib = _status_kib("VmRSS")
    return 0 if kib is None else kib * 1024


def peak_rss() -> int:
    """Return the peak resident set size of this process in bytes.

    Examples
    --------
    >>> peak_rss() >= current_rss() > 0 or sys.platform != "linux"
    True
    """
    kib = _status_kib("VmHWM")
    if kib is not None:
        return kib * 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # macOS reports bytes, Linux and the BSDs KiB.
    return int(peak) if sys.platform == "darwin" else int(peak) * 1024


def reset_peak_rss() -> bool:
    """Lower the peak mark to the current resident set; return False if the OS cannot.

    Examples
    --------
    >>> reset_peak_rss() or sys.platform != "linux"
    True
    """
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


class Timer:
    """Record wall time and the resident-memory high-water mark per named step.

    Examples
    --------
    >>> timer = Timer()
    >>> with timer.step("a"):
    ...     _ = sum(range(1000))
    >>> list(timer.seconds), timer.seconds["a"] > 0, timer.peak_rss > 0
    (['a'], True, True)
    """

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.peak_rss = 0

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time the ``with`` block as step `name` and note the peak memory at its end."""
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = time.perf_counter() - start
            self.peak_rss = max(self.peak_rss, peak_rss())
