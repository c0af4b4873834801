"""How rules/ shows dates, shares and tables: in a locale, and as escaped HTML.

Explanations, summaries and the notebook display of verdicts and evaluations write
dates and percentages the same way through these helpers, and build their HTML tables
with :func:`html_table` (every value escaped).

Examples
--------
>>> import datetime as dt
>>> date_text(dt.date(2025, 7, 1), "vi"), date_text(dt.date(2025, 7, 1), "en")
('ngày 01/7/2025', '2025-07-01')
>>> percent_text(0.5, "en"), percent_text(1 / 3, "vi")
('50%', '33,33%')
>>> html_table("t", ["a"], [["<b>"]])[-50:]
'<tbody><tr><td>&lt;b&gt;</td></tr></tbody></table>'
"""

from __future__ import annotations

import datetime as dt
from html import escape

from learnsoc.i18n import format_date, format_percent, get_locale, gettext

__all__ = ["as_of_text", "date_text", "html_table", "percent_text"]


def date_text(value: dt.date, locale: str) -> str:
    """Return a date as explanations and summaries write it in a locale."""
    # Vietnamese in the style of official documents ("ngày 21/9/2020"), English as ISO dates.
    return format_date(value, locale, "report") if locale == "vi" else value.isoformat()


def percent_text(fraction: float, locale: str) -> str:
    """Return a share as a percentage with the fewest decimals (0 to 2) that show it."""
    for decimals in (0, 1, 2):
        if round(fraction * 100, decimals) == round(fraction * 100, 6):
            return format_percent(fraction, decimals=decimals, locale=locale)
    return format_percent(fraction, decimals=2, locale=locale)


def html_table(caption: str, header: list[str], rows: list[list[str]]) -> str:
    """Return an HTML table with a caption, every value escaped."""
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f"<table><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def as_of_text(as_of: dt.date | str) -> str:
    """Return the date of a one-line repr in the default locale (an ISO date in English).

    Examples
    --------
    >>> as_of_text("2025-12-31")
    'as of 2025-12-31'
    >>> from learnsoc.i18n import use_locale
    >>> with use_locale("vi"):
    ...     as_of_text(dt.date(2025, 12, 31))
    'tính đến ngày 31/12/2025'
    """
    loc = get_locale()
    day = as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(as_of)
    return gettext("as of {date}", loc).format(date=date_text(day, loc))
