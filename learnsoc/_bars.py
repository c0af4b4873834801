"""Bars for long reads, evaluations and writes: tqdm when installed (extra ``progress``).

Floor 0, so the rules engine and the readers show bars without importing each other.
"Progress" in learnsoc means progress towards targets (:func:`learnsoc.progress`); the
functions that show a bar take ``bars=`` (``progress=`` is a deprecated spelling).

``enabled=None`` (the default everywhere) lets tqdm decide: a bar on a terminal or in a
notebook, nothing when output goes to a file or a pipe (ETL logs stay clean).
``enabled=False`` (``--quiet``) never shows one.

Examples
--------
>>> with tqdm_bar(3, "reading", enabled=False) as bar:
...     bar.update(3)
"""

from __future__ import annotations

import enum
import warnings
from types import TracebackType
from typing import Any, Final

from learnsoc._messages import N_
from learnsoc._translation import gettext

__all__ = [
    "UNIT_WORDS",
    "UNSET",
    "Unset",
    "renamed_flag",
    "renamed_option",
    "tqdm_bar",
    "unit_word",
]


class Unset(enum.Enum):
    """The type of :data:`UNSET`: a keyword the caller did not pass."""

    UNSET = "unset"


UNSET: Final = Unset.UNSET


def renamed_flag(
    bars: bool | None, progress: bool | Unset | None, where: str, *, stacklevel: int = 3
) -> bool | None:
    """Return ``bars``, or the deprecated ``progress=`` value with a DeprecationWarning.

    Parameters
    ----------
    bars : bool, optional
        The value of the ``bars=`` keyword.
    progress : bool, optional, or UNSET
        The value of the deprecated ``progress=`` keyword; :data:`UNSET` when not passed.
    where : str
        The public function's name, for the warning.
    stacklevel : int
        Frames up to the caller's line (3: the public function called this directly).

    Examples
    --------
    >>> renamed_flag(True, UNSET, "evaluate")
    True
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     renamed_flag(False, None, "evaluate") is None
    True
    >>> print(caught[0].message)
    evaluate(progress=...) is deprecated; use evaluate(bars=...)
    """
    if progress is UNSET:
        return bars
    msg = f"{where}(progress=...) is deprecated; use {where}(bars=...)"
    warnings.warn(msg, DeprecationWarning, stacklevel=stacklevel)
    return progress


def renamed_option(options: dict[str, Any], where: str) -> None:
    """Turn a deprecated ``progress`` in a writer's ``**options`` into ``bars``, warning.

    Examples
    --------
    >>> options = {"bars": True}
    >>> renamed_option(options, "write_table")
    >>> options
    {'bars': True}
    """
    if "progress" in options:
        progress = options.pop("progress")
        options["bars"] = renamed_flag(options.get("bars", False), progress, where, stacklevel=4)


#: The words a bar counts in, translated when it is shown (tqdm writes "12 rows/s"). Bytes
#: ("B") stay a symbol: tqdm scales them to kB and MB itself.
UNIT_WORDS: Final = {
    "rows": N_("rows"),
    "lines": N_("lines"),
    "titles": N_("titles"),
    "partitions": N_("partitions"),
}


def unit_word(unit: str, locale: str | None = None) -> str:
    """Return what a bar counts, in the locale (the default locale for ``None``).

    Examples
    --------
    >>> unit_word("partitions", "vi"), unit_word("rows", "en"), unit_word("B", "vi")
    ('phân vùng', 'rows', 'B')
    """
    word = UNIT_WORDS.get(unit)
    return unit if word is None else gettext(word, locale)


class _NoBar:
    """A bar that shows nothing (tqdm missing, or bars turned off)."""

    disable = True  # as tqdm's attribute: nothing is shown

    def update(self, n: int = 1) -> None:
        """Advance by ``n`` (ignored)."""

    def set_description_str(self, desc: str | None = None, refresh: bool = True) -> None:
        """Change the label (ignored)."""

    def set_postfix_str(self, s: str = "", refresh: bool = True) -> None:
        """Change the text after the bar (ignored)."""

    def __enter__(self) -> _NoBar:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None


def tqdm_bar(total: int | None, desc: str, enabled: bool | None = None, *, unit: str = "it") -> Any:
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
        What a step counts: ``"B"`` (bytes, shown as kB/MB), or one of
        :data:`UNIT_WORDS` (``"rows"``, ``"lines"``, ``"titles"``, ``"partitions"``),
        written in the default locale ("dòng/s" under ``use_locale("vi")``).
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
        unit=unit_word(unit),
        unit_scale=unit == "B",
    )
