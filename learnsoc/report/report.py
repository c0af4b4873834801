"""The :class:`Report` type: a titled table of already-translated cells, in sections.

A report is built in one locale (every word from the catalogs, every number formatted by
babel for that locale and rounded for display only) and then drawn by the renderers:
plain text (:mod:`learnsoc.report.text`, paginated), Markdown, and HTML
(:mod:`learnsoc.report.html`, every value escaped). Build one from progress with
:meth:`Report.from_progress` (or ``prog.report(locale)``), or directly from cells.

Examples
--------
>>> from learnsoc.report import Column, Report, Row, Section
>>> rep = Report(
...     title="Learning families",
...     columns=(Column("unit", "unit"), Column("share", "share", "right")),
...     sections=(Section("province", (Row(("Hà Giang", "73.58%"), "met"),)),),
... )
>>> print(rep.to_text())
Learning families
<BLANKLINE>
province
unit       share
--------  ------
Hà Giang  73.58%
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Literal

import attrs

from learnsoc._made_in import remade_in
from learnsoc._reprs import count_words
from learnsoc.i18n import normalize_locale

if TYPE_CHECKING:
    from learnsoc.report.results import Results
    from learnsoc.targets.progress import Progress

__all__ = ["Column", "Report", "Row", "Section"]


@attrs.frozen
class Column:
    """A column of a report: a key, its heading in the report's locale, its alignment.

    Examples
    --------
    >>> from learnsoc.report import Column, Report, Row, Section
    >>> rows = (Row(("Hà Giang", "7")), Row(("Cao Bằng", "12")))
    >>> rep = Report("Clans", (Column("unit", "unit"), Column("n", "n", "right")),
    ...     (Section("province", rows),))
    >>> print(rep.to_text().splitlines()[-2:])  # numbers to the right
    ['Hà Giang   7', 'Cao Bằng  12']
    """

    key: str
    heading: str
    align: Literal["left", "right"] = "left"


@attrs.frozen
class Row:
    """One row of cells (strings), and the status id that colours it (``""`` for none).

    Examples
    --------
    >>> from learnsoc.report import Column, Report, Row, Section
    >>> rows = (Row(("Hà Giang", "met"), "met"), Row(("Cao Bằng", "not met"), "not_met"))
    >>> rep = Report("Clans", (Column("unit", "unit"), Column("target", "target")),
    ...     (Section("province", rows),))
    >>> rep.n_rows, [r.status for r in rep.sections[0].rows]
    (2, ['met', 'not_met'])
    """

    cells: tuple[str, ...]
    status: str = ""


@attrs.frozen
class Section:
    """A group of rows under a heading (a level of the hierarchy), with a summary line.

    Examples
    --------
    >>> from learnsoc.report import Column, Report, Row, Section
    >>> communes = Section("commune", (Row(("Xã A",)), Row(("Xã B",))), "2 of 2 met")
    >>> rep = Report("Units", (Column("unit", "unit"),),
    ...     (Section("province", (Row(("Tỉnh",)),)), communes))
    >>> print(rep.to_markdown().rstrip())
    ## Units
    <BLANKLINE>
    ### province
    <BLANKLINE>
    | unit |
    | --- |
    | Tỉnh |
    <BLANKLINE>
    ### commune
    <BLANKLINE>
    | unit |
    | --- |
    | Xã A |
    | Xã B |
    <BLANKLINE>
    2 of 2 met
    """

    heading: str
    rows: tuple[Row, ...]
    summary: str = ""


@attrs.frozen
class Report:
    """A report in one locale: title, lines under it, sections of rows, notes.

    Parameters
    ----------
    title : str
        The heading.
    columns : tuple of Column
        The table's columns.
    sections : tuple of Section
        The rows, grouped.
    subtitle : tuple of str
        Lines under the title (source, years, rounding).
    notes : tuple of str
        Remarks after the table.
    locale : str
        The locale the cells are in (``lang`` of the HTML).
    omitted : int
        Rows of the source left out when the report was built (``max_rows``).
    rows_read : tuple of str
        The rows read, accepted and rejected per table of the files behind the figures
        (and the file listing the rejected ones), one line each, shown under their own
        heading after the notes; empty when no row was rejected or skipped.
    remake : callable, optional
        Makes the same report in another locale (given by :meth:`from_progress`,
        :meth:`from_results` and the tables' ``report()``); without it, a report shown in
        another locale than its own raises :class:`~learnsoc.i18n.LocaleError`.

    Raises
    ------
    ValueError
        If a row does not have one cell per column.

    Examples
    --------
    >>> from learnsoc.report import Column, Report, Row, Section
    >>> cols = (Column("unit", "unit"), Column("share", "share", "right"))
    >>> rows = (Row(("Hà Giang", "73.58%")), Row(("Cao Bằng", "61.20%")))
    >>> rep = Report("Learning families", cols, (Section("province", rows),),
    ...     notes=("Shares are rounded for display.",))
    >>> rep.n_rows, rep.locale
    (2, 'en')
    >>> Report("Bad", cols, (Section("province", (Row(("Hà Giang",)),)),))
    Traceback (most recent call last):
    ValueError: report row ('Hà Giang',) has 1 cells; the report has 2 columns
    """

    title: str
    columns: tuple[Column, ...]
    sections: tuple[Section, ...]
    subtitle: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    locale: str = attrs.field(default="en", converter=normalize_locale)
    omitted: int = 0
    rows_read: tuple[str, ...] = ()
    _remake: Callable[[str], Report] | None = attrs.field(
        default=None, kw_only=True, eq=False, repr=False
    )

    def __attrs_post_init__(self) -> None:
        width = len(self.columns)
        for section in self.sections:
            for row in section.rows:
                if len(row.cells) != width:
                    msg = (
                        f"report row {row.cells!r:.60} has {len(row.cells)} cells; "
                        f"the report has {width} columns"
                    )
                    raise ValueError(msg)

    @property
    def n_rows(self) -> int:
        """The number of table rows (all sections)."""
        return sum(len(s.rows) for s in self.sections)

    @classmethod
    def from_progress(
        cls,
        prog: Progress,
        locale: str | None = None,
        *,
        rounding: str = "half_up",
        decimals: int | Mapping[str, int] | None = None,
        max_rows: int | None = None,
    ) -> Report:
        """Build the progress report in a locale.

        Parameters
        ----------
        prog : Progress
            From :func:`learnsoc.progress`.
        locale : str, optional
            ``"vi"`` or ``"en"``; the default locale if None.
        rounding : {"half_up", "truncate", "half_even"}
            How shown numbers are rounded; statuses always use the exact counts.
        decimals : int or mapping of indicator id to int, optional
            Decimals shown instead of each indicator's own.
        max_rows : int, optional
            Build only the first rows (a notebook preview); :attr:`omitted` counts the rest.

        Examples
        --------
        >>> from learnsoc.targets import load_targets, progress
        >>> h = ls.Hierarchy.from_units({"code": ["02"], "name": ["Hà Giang"],
        ...     "level": ["province"], "parent_code": [None]}, levels=["province"])
        >>> roll = ls.rollup_counts({"unit_code": ["02"], "clans": [2263],
        ...     "learning_clans": [1564]}, h)
        >>> prog = progress(roll, load_targets("hanoi-23-nq-tu").select(
        ...     indicators=["learning_clans"]), year=2025)
        >>> rep = Report.from_progress(prog, "en", decimals=1)
        >>> rep.sections[0].rows[0].cells[1:]
        ('share of learning clans', '69.1%', '1,564 / 2,263 clans', 'all clans', '≥ 60%', '+9.1', \
'1 of 1 province', 'met')
        """
        from learnsoc.report._build import build_progress_report

        return build_progress_report(
            prog, locale, rounding=rounding, decimals=decimals, max_rows=max_rows
        )

    @classmethod
    def from_results(
        cls,
        res: Results,
        locale: str | None = None,
        *,
        rounding: str = "half_up",
        decimals: int | Mapping[str, int] | None = None,
        max_rows: int | None = None,
    ) -> Report:
        """Build the report of a results table in a locale (the same as ``res.report()``).

        Parameters
        ----------
        res : Results
            From :func:`learnsoc.results`.
        locale : str, optional
            ``"vi"`` or ``"en"``; the default locale if None.
        rounding : {"half_up", "truncate", "half_even"}
            How shown rates are rounded (never the counts).
        decimals : int or mapping of indicator id to int, optional
            Decimals shown instead of each indicator's own.
        max_rows : int, optional
            Build only the first rows (a notebook preview).

        Examples
        --------
        >>> h = ls.Hierarchy.from_units({"code": ["02"], "name": ["Hà Giang"],
        ...     "level": ["province"], "parent_code": [None]}, levels=["province"])
        >>> roll = ls.rollup_counts({"unit_code": ["02"], "clans": [2263],
        ...     "learning_clans": [1564]}, h)
        >>> res = ls.results(roll, indicators=["learning_clans"])
        >>> Report.from_results(res, "en").to_text() == res.report("en").to_text()
        True
        """
        return res.report(locale, rounding=rounding, decimals=decimals, max_rows=max_rows)

    def in_locale(self, locale: str | None) -> Report:
        """Return the same report in ``locale`` (None: this one, in its own locale).

        Raises
        ------
        LocaleError
            If the report was built by hand from its cells in another locale.

        Examples
        --------
        >>> h = ls.Hierarchy.from_units({"code": ["02"], "level": ["province"],
        ...     "parent_code": [None]}, levels=["province"])
        >>> roll = ls.rollup_counts({"unit_code": ["02"], "clans": [2263],
        ...     "learning_clans": [1564]}, h)
        >>> rep = ls.results(roll, indicators=["learning_clans"]).report("en")
        >>> rep.in_locale("vi").columns[2].heading
        'số đạt / tổng số'
        """
        again = remade_in(self.locale, locale, self._remake, _REPORT_AGAIN)
        return self if again is None else again

    def to_text(self, locale: str | int | None = None, *, page_size: int | None = 50) -> str:
        """Return a plain-text table in a locale, paginated every ``page_size`` rows.

        Parameters
        ----------
        locale : str, optional
            ``"vi"`` or ``"en"``; None: the report's own (see :meth:`in_locale`).
        page_size : int, optional
            Rows per page; None: one page.
        """
        from learnsoc.report.text import render_text

        locale, page_size = _positional(locale, "page_size", page_size)
        return render_text(self.in_locale(locale), page_size)

    def to_markdown(self, locale: str | None = None) -> str:
        """Return the report as Markdown, in a locale: one pipe table per section, escaped."""
        from learnsoc.report.text import render_markdown

        return render_markdown(self.in_locale(locale))

    def to_html(self, locale: str | int | None = None, *, max_rows: int | None = None) -> str:
        """Return an HTML fragment in a locale (every value escaped); ``max_rows`` rows at most.

        Parameters
        ----------
        locale : str, optional
            ``"vi"`` or ``"en"``; None: the report's own (see :meth:`in_locale`).
        max_rows : int, optional
            Rows shown; None: all.

        Examples
        --------
        >>> h = ls.Hierarchy.from_units({"code": ["02"], "level": ["province"],
        ...     "parent_code": [None]}, levels=["province"])
        >>> roll = ls.rollup_counts({"unit_code": ["02"], "clans": [2263],
        ...     "learning_clans": [1564]}, h)
        >>> rep = ls.results(roll, indicators=["learning_clans"]).report("en")
        >>> '<td class="ls-num">1.564 / 2.263 dòng họ</td>' in rep.to_html("vi")
        True
        """
        from learnsoc.report.html import render_html

        locale, max_rows = _positional(locale, "max_rows", max_rows)
        return render_html(self.in_locale(locale), max_rows)

    def _repr_html_(self) -> str:
        return self.to_html(max_rows=60)

    def __str__(self) -> str:
        return self.to_text(page_size=None)

    def __repr__(self) -> str:
        # Short, as the tables' reprs: the attrs form spelt out every cell, screens of text.
        sections = count_words("{n} section", "{n} sections", len(self.sections))
        rows = count_words("{n} row", "{n} rows", self.n_rows)
        return f"Report({self.title!r}, {self.locale}: {sections}, {rows})"


#: How a user makes a report in another locale (said by the error of one made by hand).
_REPORT_AGAIN = "prog.report(locale), res.report(locale)"


def _positional(
    locale: str | int | None, name: str, value: int | None
) -> tuple[str | None, int | None]:
    """Return (locale, value), taking a number where the locale is as the old ``value``.

    ``to_text(50)`` and ``to_html(60)`` gave ``page_size`` and ``max_rows`` before the
    locale came first; they keep working, with a DeprecationWarning.
    """
    if isinstance(locale, str) or locale is None:
        return locale, value
    msg = f"a number as the first argument is deprecated; give {name}={locale} by name"
    warnings.warn(msg, DeprecationWarning, stacklevel=3)
    return None, locale
