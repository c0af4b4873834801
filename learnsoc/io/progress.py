"""Progress bars for long reads: tqdm when installed (extra ``progress``), else nothing.

``enabled=None`` (the default everywhere) lets tqdm decide: a bar on a terminal or in a
notebook, nothing when output goes to a file or a pipe (ETL logs stay clean).
``enabled=False`` (``--quiet``) never shows one.

Examples
--------
>>> with progress_bar(3, "reading", enabled=False) as bar:
...     bar.update(3)
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

__all__ = ["progress_bar"]


class _NoBar:
    """A bar that shows nothing (tqdm missing, or progress turned off)."""

    disable = True  # as tqdm's attribute: nothing is shown

    def update(self, n: int = 1) -> None:
        """Advance by ``n`` (ignored)."""

    def set_description_str(self, desc: str | None = None, refresh: bool = True) -> None:
        """Change the label (ignored)."""

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None


def progress_bar(
    total: int | None, desc: str, enabled: bool | None = None, *, unit: str = "it"
) -> Any:
    """Return a context manager with an ``update(n)`` method, showing a bar if wanted.

    Callers update it per block (a chunk of rows, a block of bytes, a title), never per
    row, so a bar costs nothing measurable, shown or not.

    Parameters
    ----------
    total : int, optional
        Number of steps, if known.
    desc : str
        The label shown before the bar.
    enabled : bool, optional
        ``None`` shows a bar only on a terminal or in a notebook; ``False`` never;
        ``True`` always (when tqdm is installed).
    unit : str
        What a step counts: ``"B"`` (bytes, shown as kB/MB), ``"rows"``, ``"lines"``,
        ``"titles"``.
    """
    if enabled is False:
        return _NoBar()
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return _NoBar()
    return tqdm(
        total=total,
        desc=desc,
        disable=None if enabled is None else False,
        leave=False,
        unit=unit,
        unit_scale=unit == "B",
    )
