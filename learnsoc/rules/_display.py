"""Notebook display of evaluations: small HTML tables, every value escaped.

The HTML shows the same counts as the text forms (:meth:`Summary.to_text`,
``repr(verdicts)``): both are computed from :meth:`Verdicts.counts` and the summary
rows, never from the arrays a second way.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import TYPE_CHECKING

from learnsoc.i18n import N_, format_integer, gettext, normalize_locale
from learnsoc.rules.explain import SUMMARY_HEADER, _date, summary_cells, summary_footnotes

if TYPE_CHECKING:
    from learnsoc.rules.engine import Evaluation, Summary, Verdicts

__all__ = ["evaluation_html", "summary_html", "verdicts_html"]


def _table(caption: str, header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def summary_html(summary: Summary, locale: str | None = None) -> str:
    """Render a summary as an HTML table: the columns of its text form."""
    loc = normalize_locale(locale)
    header = [gettext(h, loc) for h in SUMMARY_HEADER]
    rows = []
    for row in summary.rows:
        cells = summary_cells(row, loc)
        if row.grades:
            grades = ", ".join(
                f"{vi if loc == 'vi' else en}: {format_integer(n, loc)}"
                for _, vi, en, n in row.grades
            )
            cells[0] = f"{cells[0]} ({grades})"
        rows.append(cells)
    as_of = _date(dt.date.fromisoformat(summary.as_of), loc)
    table = _table(gettext("as of {date}", loc).format(date=as_of), header, rows)
    notes = "".join(f"<p>{escape(note)}</p>" for note in summary_footnotes(summary, loc))
    return table + notes


def verdicts_html(verdicts: Verdicts, locale: str | None = None) -> str:
    """Render a title's verdict counts as a one-row HTML table."""
    loc = normalize_locale(locale)
    c = verdicts.counts()
    header = [
        gettext(h, loc) for h in ("title", "level", "assessed", "granted", "not granted", "unknown")
    ]
    row = [
        verdicts.title.label.text(loc),
        gettext(verdicts.level, loc),
        *(format_integer(c[k], loc) for k in ("assessed", "passed", "failed", "unknown")),
    ]
    return _table(verdicts.title.id, header, [row])


def evaluation_html(ev: Evaluation, locale: str | None = None) -> str:
    """Render an evaluation: its rulebook and date, then the summary table."""
    loc = normalize_locale(locale)
    caption = f"{ev.rulebook.info.name.text(loc)} ({ev.rulebook.id})"
    parts = [f"<p><strong>{escape(caption)}</strong></p>", summary_html(ev.summary(), loc)]
    lists = [
        (N_("not evaluated"), [f"{k}: {v}" for k, v in ev.skipped.items()]),
        (N_("columns nobody gave"), [f"{lv}.{name}" for lv, name in ev.missing_inputs]),
        (N_("used past its end date"), list(ev.warnings)),
    ]
    for heading, notes in lists:
        if notes:
            items = "".join(f"<li>{escape(n)}</li>" for n in notes)
            parts.append(f"<p>{escape(gettext(heading, loc))}:</p><ul>{items}</ul>")
    return "".join(parts)
