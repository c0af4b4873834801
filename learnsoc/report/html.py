"""HTML rendering of a :class:`~learnsoc.report.report.Report` (notebooks and web pages).

Every value, heading and note goes through :func:`html.escape` (quotes included), so unit
names or labels holding markup are shown, never interpreted. Rows carry their status as
a CSS class (``ls-status-met`` ...); a small scoped style block colours the statuses.

Examples
--------
>>> from learnsoc.report import Column, Report, Row, Section
>>> rep = Report("<b>T</b>", (Column("u", "unit"),), (Section("S", (Row(("<i>x</i>",), "met"),)),))
>>> out = render_html(rep)
>>> "<i>" in out, "&lt;i&gt;x&lt;/i&gt;" in out, "&lt;b&gt;T&lt;/b&gt;" in out
(False, True, True)
"""

from __future__ import annotations

import html

from learnsoc.i18n import N_, gettext, ngettext
from learnsoc.report.report import Report

__all__ = ["render_html"]

_STYLE = (
    "<style>"
    ".learnsoc-report table{border-collapse:collapse}"
    ".learnsoc-report th,.learnsoc-report td{padding:2px 8px;text-align:left}"
    ".learnsoc-report td.ls-num{text-align:right;font-variant-numeric:tabular-nums}"
    ".learnsoc-report tr.ls-section th{border-top:1px solid #999;padding-top:6px}"
    ".learnsoc-report .ls-status-met{color:#1a7f37}"
    ".learnsoc-report .ls-status-not_met{color:#b42318}"
    ".learnsoc-report .ls-status-on_track{color:#175cd3}"
    ".learnsoc-report .ls-status-off_track{color:#b54708}"
    ".learnsoc-report .ls-status-met_incomplete{color:#b54708}"
    ".learnsoc-report .ls-status-no_data,.learnsoc-report .ls-status-not_assessed,"
    ".learnsoc-report .ls-status-abolished,.learnsoc-report .ls-status-not_in_force"
    "{color:#667085}"
    ".learnsoc-report .ls-summary td{color:#475467;font-style:italic}"
    "</style>"
)
_NOTES = N_("Notes")
_ROWS_READ = N_("Rows read, accepted, rejected")


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def render_html(report: Report, max_rows: int | None = None) -> str:
    """Render a report as an HTML fragment; show at most ``max_rows`` rows (None: all).

    Examples
    --------
    >>> from learnsoc.report import Column, Report, Row, Section
    >>> rows = tuple(Row((f"Xã {i}", f"{10 * i}%"), "met") for i in (1, 2, 3))
    >>> rep = Report("Learning families", (Column("unit", "unit"),
    ...     Column("share", "share", "right")), (Section("commune", rows),),
    ...     notes=("Shares <rounded>",))
    >>> page = render_html(rep, max_rows=2)
    >>> page.count('<tr class="ls-row-met">'), "<p>1 more row</p>" in page
    (2, True)
    >>> for line in page.splitlines():
    ...     if "Xã 2" in line or "rounded" in line:  # every value escaped
    ...         print(line)
    <tr class="ls-row-met"><td>Xã 2</td><td class="ls-num">20%</td></tr>
    <li>Shares &lt;rounded&gt;</li>
    """
    columns = report.columns
    n_cols = len(columns)
    out = [
        f'<div class="learnsoc-report" lang="{_e(report.locale)}">',
        _STYLE,
        f"<h3>{_e(report.title)}</h3>",
    ]
    if report.subtitle:
        out.append("<p>" + "<br>".join(_e(line) for line in report.subtitle) + "</p>")
    out.append("<table>")
    out.append(
        "<thead><tr>"
        + "".join(f'<th scope="col">{_e(c.heading)}</th>' for c in columns)
        + "</tr></thead>"
    )
    out.append("<tbody>")
    shown = 0
    budget = report.n_rows if max_rows is None else max_rows
    for section in report.sections:
        if shown >= budget:
            break
        out.append(
            f'<tr class="ls-section"><th colspan="{n_cols}" scope="rowgroup">'
            f"{_e(section.heading)}</th></tr>"
        )
        for row in section.rows:
            if shown >= budget:
                break
            status = _e(row.status)
            cells = []
            for col, cell in zip(columns, row.cells, strict=True):
                if col.key == "status" and row.status:
                    cells.append(f'<td><span class="ls-status-{status}">{_e(cell)}</span></td>')
                elif col.align == "right":
                    cells.append(f'<td class="ls-num">{_e(cell)}</td>')
                else:
                    cells.append(f"<td>{_e(cell)}</td>")
            row_class = f' class="ls-row-{status}"' if row.status else ""
            out.append(f"<tr{row_class}>{''.join(cells)}</tr>")
            shown += 1
        else:
            if section.summary:
                out.append(
                    f'<tr class="ls-summary"><td colspan="{n_cols}">{_e(section.summary)}</td></tr>'
                )
    out.append("</tbody></table>")
    hidden = report.n_rows - shown + report.omitted
    if hidden > 0:
        more = ngettext("{n} more row", "{n} more rows", hidden, report.locale).format(n=hidden)
        out.append(f"<p>{_e(more)}</p>")
    if report.notes:
        out.append(f"<p>{_e(gettext(_NOTES, report.locale))}:</p><ul>")
        out.extend(f"<li>{_e(note)}</li>" for note in report.notes)
        out.append("</ul>")
    if report.rows_read:
        # A published report says the rows its figures leave out, as the console does.
        out.append(f'<p class="ls-rows-read">{_e(gettext(_ROWS_READ, report.locale))}:</p><ul>')
        out.extend(f"<li>{_e(line)}</li>" for line in report.rows_read)
        out.append("</ul>")
    out.append("</div>")
    return "\n".join(out)
