"""What every result table shares (progress, results): text, Markdown, CSV, Excel, frames.

A class that mixes :class:`TidyExports` in provides ``report(locale, rounding=,
decimals=)`` (its :class:`~learnsoc.report.Report`), ``to_html`` and ``to_columns(locale)``
(its tidy long table as numpy columns); the renderings below are written once from them,
through
:mod:`learnsoc.report.tables` and :mod:`learnsoc._frames` (imported when called, so that
``import learnsoc`` needs neither the report package nor any frame library).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from numpy.typing import NDArray

if TYPE_CHECKING:
    from learnsoc.report.report import Report

__all__ = ["TidyExports"]


class TidyExports:
    """Text, Markdown, CSV, Excel, pandas, polars and Arrow forms of a result table."""

    __slots__ = ()

    def report(
        self,
        locale: str | None = None,
        *,
        rounding: str = "half_up",
        decimals: int | Mapping[str, int] | None = None,
    ) -> Report:
        """Return the table as a report in the locale (defined by each table)."""
        raise NotImplementedError

    def to_html(self, locale: str | None = None, *, max_rows: int | None = None) -> str:
        """Return the table as an HTML fragment (defined by each table)."""
        raise NotImplementedError

    def to_columns(self, locale: str | None = None) -> dict[str, NDArray[Any]]:
        """Return the tidy long table as numpy columns (defined by each table)."""
        raise NotImplementedError

    def to_text(
        self,
        locale: str | None = None,
        *,
        rounding: str = "half_up",
        decimals: int | Mapping[str, int] | None = None,
        page_size: int | None = 50,
    ) -> str:
        """Return a plain-text table (paginated every ``page_size`` rows; None for one page)."""
        return self.report(locale, rounding=rounding, decimals=decimals).to_text(
            page_size=page_size
        )

    def to_markdown(
        self,
        locale: str | None = None,
        *,
        rounding: str = "half_up",
        decimals: int | Mapping[str, int] | None = None,
    ) -> str:
        """Return the table as Markdown (one pipe table per level, markup escaped)."""
        return self.report(locale, rounding=rounding, decimals=decimals).to_markdown()

    def _repr_html_(self) -> str:
        return self.to_html(max_rows=60)

    def to_csv(
        self, path: str | os.PathLike[str] | None = None, *, locale: str | None = None
    ) -> str | None:
        """Write the tidy table as CSV, UTF-8 with a BOM (Excel reads the Vietnamese).

        Returns the text (without BOM) when ``path`` is None.
        """
        from learnsoc.report.tables import to_csv

        return to_csv(self, path, locale=locale)  # type: ignore[arg-type]

    def to_excel(self, path: str | os.PathLike[str], *, locale: str | None = None) -> Path:
        """Write the tidy table as an Excel workbook (``.xlsx``; extra ``excel``).

        Numbers stay numbers (counts as ``#,##0``, percentages as fractions with a
        percent format), under a bold, frozen header row; see
        :func:`learnsoc.report.tables.to_xlsx`.
        """
        from learnsoc.report.tables import to_xlsx

        return to_xlsx(self, path, locale=locale)  # type: ignore[arg-type]

    def to_pandas(self, locale: str | None = None) -> Any:
        """Return the tidy long table as a pandas DataFrame (extra ``pandas``)."""
        from learnsoc.report.tables import to_pandas

        return to_pandas(self, locale)  # type: ignore[arg-type]

    def to_polars(self, locale: str | None = None) -> Any:
        """Return :meth:`to_columns` as a polars DataFrame (extra ``polars``)."""
        from learnsoc.report.tables import to_frame_of

        return to_frame_of(self, "polars", locale)  # type: ignore[arg-type]

    def to_arrow(self, locale: str | None = None) -> Any:
        """Return :meth:`to_columns` as a pyarrow Table (extra ``parquet``)."""
        from learnsoc.report.tables import to_frame_of

        return to_frame_of(self, "arrow", locale)  # type: ignore[arg-type]
