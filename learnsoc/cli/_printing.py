"""The lines a command prints on stderr beside its data: messages, warnings, dates."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from learnsoc._translation import vietnamese_date
from learnsoc.i18n import N_, format_date, gettext, normalize_locale


def tell(args: argparse.Namespace, text: str) -> None:
    """Print a message (not data) on stderr, unless ``--quiet``."""
    if not args.quiet:
        print(text, file=sys.stderr)


def warn(message: str) -> None:
    print(gettext(N_("learnsoc: warning: {message}")).format(message=message), file=sys.stderr)


def option_date(day: dt.date, locale: str) -> str:
    """Return a date as an option takes it: ISO in English, ``31/12/2025`` in Vietnamese.

    >>> option_date(dt.date(2025, 7, 1), "vi"), option_date(dt.date(2025, 7, 1), "en")
    ('01/7/2025', '2025-07-01')
    """
    return day.isoformat() if normalize_locale(locale) == "en" else vietnamese_date(day)


def day_text(day: dt.date | None, locale: str) -> str:
    """Return a date of a listing: ISO in English, "ngày 16/11/2023" in Vietnamese."""
    if day is None:
        return "…"
    return day.isoformat() if locale == "en" else format_date(day, locale, "report")
