"""The counts of an evaluation per title: assessed, granted, not granted and unknown.

:meth:`Evaluation.summary() <learnsoc.rules.evaluation.Evaluation.summary>` returns a
:class:`Summary`, one :class:`SummaryRow` per title, as plain data (``to_dict()``), an
aligned text table or an HTML table in a locale.
"""

from __future__ import annotations

from typing import Any

import attrs

__all__ = ["Summary", "SummaryRow"]


@attrs.frozen
class SummaryRow:
    """One title's counts in a :class:`Summary`."""

    title: str
    label_vi: str
    label_en: str
    level: str
    version: str
    entities: int
    assessed: int
    passed: int
    failed: int
    unknown: int
    grades: tuple[tuple[int, str, str, int], ...] = ()
    uncertain: bool = False
    abolished: str | None = None


@attrs.frozen
class Summary:
    """Counts per title and level, with ``to_text(locale)`` and ``to_dict()``.

    Examples
    --------
    >>> row = SummaryRow("learning_family", "Gia đình học tập", "learning family",
    ...                  "household", "2021-01-01", 10, 8, 5, 2, 1)
    >>> print(Summary("2025-12-31", (row,)).to_text("en"))  # doctest: +NORMALIZE_WHITESPACE
    as of 2025-12-31
    title            level      assessed  granted  not granted  unknown  share of decided
    learning family  household  8         5        2            1        71.43%
    """

    as_of: str
    rows: tuple[SummaryRow, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the summary as plain data (for JSON)."""
        return {"as_of": self.as_of, "titles": [attrs.asdict(r) for r in self.rows]}

    def to_text(self, locale: str | None = None) -> str:
        """Return the summary as an aligned text table in a locale."""
        from learnsoc.rules.explain import summary_text

        return summary_text(self, locale)

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return f"Summary(as of {self.as_of}: {len(self.rows)} titles)"

    def to_html(self, locale: str | None = None) -> str:
        """Return the summary as an HTML table in a locale (every value escaped)."""
        from learnsoc.rules._display import summary_html

        return summary_html(self, locale)

    def _repr_html_(self) -> str:
        return self.to_html()
