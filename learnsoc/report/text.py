"""Plain-text and Markdown renderings of a :class:`~learnsoc.report.report.Report`.

Text tables are aligned on display width (combining accents take no column, so
decomposed Vietnamese lines up as well as precomposed), numbers right-aligned, and long
tables paginated: every page repeats the section heading and the column headings and
ends with "page 1 of 3" in the report's locale.

Examples
--------
>>> from learnsoc.report import Column, Report, Row, Section
>>> rows = tuple(Row((f"x{i}",)) for i in range(3))
>>> rep = Report("T", (Column("a", "unit"),), (Section("S", rows),), locale="vi")
>>> print(render_text(rep, page_size=2))
T
<BLANKLINE>
S
unit
----
x0
x1
<BLANKLINE>
— trang 1/2 —
<BLANKLINE>
S
unit
----
x2
<BLANKLINE>
— trang 2/2 —
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Sequence

from learnsoc.i18n import N_, gettext, ngettext
from learnsoc.report.report import Column, Report, Row

__all__ = ["display_width", "escape_markdown", "render_markdown", "render_text"]

_PAGE = N_("— page {page} of {pages} —")
_NOTES = N_("Notes")
_ROWS_READ = N_("Rows read, accepted, rejected")
_MARKDOWN_SPECIAL = "\\`*_[]<>|#~"


@functools.lru_cache(maxsize=4096)
def display_width(text: str) -> int:
    """Return how many terminal columns a string takes (combining marks take none).

    Examples
    --------
    >>> display_width("Hà Giang"), display_width(unicodedata.normalize("NFD", "Hà Giang"))
    (8, 8)
    """
    if text.isascii():
        return len(text)
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


def _pad(text: str, width: int, align: str) -> str:
    fill = " " * (width - display_width(text))
    return fill + text if align == "right" else text + fill


def _line(cells: Sequence[str], columns: Sequence[Column], widths: Sequence[int]) -> str:
    parts = [_pad(c, w, col.align) for c, col, w in zip(cells, columns, widths, strict=True)]
    return "  ".join(parts).rstrip()


def render_text(report: Report, page_size: int | None = 50) -> str:
    """Render a report as aligned plain text, ``page_size`` rows a page (None: one page).

    Raises
    ------
    ValueError
        If ``page_size`` is not positive.

    Examples
    --------
    >>> from learnsoc.report import Column, Report, Row, Section
    >>> rows = tuple(Row((f"Xã {i}", f"{10 * i}%")) for i in (1, 2, 3))
    >>> rep = Report("Learning families", (Column("unit", "unit"),
    ...     Column("share", "share", "right")), (Section("commune", rows, "2 of 3 met"),))
    >>> print(render_text(rep, page_size=2))
    Learning families
    <BLANKLINE>
    commune
    unit  share
    ----  -----
    Xã 1    10%
    Xã 2    20%
    <BLANKLINE>
    — page 1 of 2 —
    <BLANKLINE>
    commune
    unit  share
    ----  -----
    Xã 3    30%
    2 of 3 met
    <BLANKLINE>
    — page 2 of 2 —
    """
    if page_size is not None and page_size < 1:
        msg = f"page_size must be a positive number of rows or None, got {page_size}"
        raise ValueError(msg)
    columns = report.columns
    widths = [display_width(c.heading) for c in columns]
    for section in report.sections:
        for row in section.rows:
            widths = [max(w, display_width(c)) for w, c in zip(widths, row.cells, strict=True)]
    header = [_line([c.heading for c in columns], columns, widths)]
    header.append("  ".join("-" * w for w in widths))

    # Pages hold (section index, row) items; a page break repeats the headings.
    items: list[tuple[int, Row]] = [
        (k, row) for k, section in enumerate(report.sections) for row in section.rows
    ]
    size = page_size or max(len(items), 1)
    pages = [items[i : i + size] for i in range(0, len(items), size)] or [[]]
    head = [report.title, *report.subtitle, ""]
    out: list[str] = list(head)
    last_of_section = {
        k: section.rows[-1] for k, section in enumerate(report.sections) if section.rows
    }
    for p, page in enumerate(pages):
        if p:
            out.append("")
        current = -1
        for k, row in page:
            if k != current:
                if current != -1:
                    out.append("")
                out.append(report.sections[k].heading)
                out.extend(header)
                current = k
            out.append(_line(row.cells, columns, widths))
            if last_of_section.get(k) is row and report.sections[k].summary:
                out.append(report.sections[k].summary)
        if len(pages) > 1:
            out.append("")
            out.append(gettext(_PAGE, report.locale).format(page=p + 1, pages=len(pages)))
    for section in report.sections:
        if not section.rows and section.summary:
            out.extend(["", section.heading, section.summary])
    if report.omitted:
        more = ngettext("{n} more row", "{n} more rows", report.omitted, report.locale)
        out.extend(["", more.format(n=report.omitted)])
    if report.notes:
        out.extend(["", gettext(_NOTES, report.locale) + ":"])
        out.extend(f"- {note}" for note in report.notes)
    if report.rows_read:
        out.extend(["", gettext(_ROWS_READ, report.locale) + ":"])
        out.extend(f"- {line}" for line in report.rows_read)
    return "\n".join(out)


def escape_markdown(text: str) -> str:
    r"""Escape the characters Markdown would read as markup (and ``|`` in tables).

    Examples
    --------
    >>> print(escape_markdown("<b>A|B</b> *x*"))
    \<b\>A\|B\</b\> \*x\*
    """
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in text)


def render_markdown(report: Report) -> str:
    r"""Render a report as Markdown: a heading, one pipe table per section, notes.

    Examples
    --------
    >>> from learnsoc.report import Column, Report, Row, Section
    >>> rows = (Row(("Xã 1", "10%")), Row(("Xã 2|3", "20%")))
    >>> rep = Report("Learning families", (Column("unit", "unit"),
    ...     Column("share", "share", "right")), (Section("commune", rows),),
    ...     notes=("Shares <rounded>",))
    >>> print(render_markdown(rep).rstrip())
    ## Learning families
    <BLANKLINE>
    ### commune
    <BLANKLINE>
    | unit | share |
    | --- | ---: |
    | Xã 1 | 10% |
    | Xã 2\|3 | 20% |
    <BLANKLINE>
    **Notes**
    <BLANKLINE>
    - Shares \<rounded\>
    """
    esc = escape_markdown
    out = [f"## {esc(report.title)}", ""]
    if report.subtitle:
        out.extend(
            [*(f"{esc(line)}  " for line in report.subtitle[:-1]), esc(report.subtitle[-1]), ""]
        )
    rule = ["---:" if c.align == "right" else "---" for c in report.columns]
    for section in report.sections:
        out.extend([f"### {esc(section.heading)}", ""])
        out.append("| " + " | ".join(esc(c.heading) for c in report.columns) + " |")
        out.append("| " + " | ".join(rule) + " |")
        out.extend("| " + " | ".join(esc(c) for c in row.cells) + " |" for row in section.rows)
        if section.summary:
            out.extend(["", esc(section.summary)])
        out.append("")
    if report.notes:
        out.extend([f"**{esc(gettext(_NOTES, report.locale))}**", ""])
        out.extend(f"- {esc(note)}" for note in report.notes)
        out.append("")
    if report.rows_read:
        out.extend([f"**{esc(gettext(_ROWS_READ, report.locale))}**", ""])
        out.extend(f"- {esc(line)}" for line in report.rows_read)
        out.append("")
    return "\n".join(out)
