"""Headings of the tables people read: ids in English, words in Vietnamese.

A workbook, like a notebook table, is read by people: with ``locale="vi"`` its header
row says what each column holds in Vietnamese, and the column's id (what CSV, JSON,
pandas and scripts use, in every language) is kept in the heading's comment. English
tables are headed by the ids themselves, as :func:`learnsoc.vocabulary.measure_label`
does for the measures. The columns and their values are those of the CSV in every
language; a column of codes (``status``, ``level``) says so in its heading ("mã đánh
giá"), and the words are in its ``*_label`` column where the table has one.

Examples
--------
>>> headings(["unit_code", "value", "learning_families", "my_count"], TIDY, "vi")
{'unit_code': 'mã đơn vị hành chính', 'value': 'giá trị thực hiện', \
'learning_families': 'Số Gia đình học tập', 'my_count': 'my_count'}
>>> headings(["unit_code", "value"], TIDY, "en")
{'unit_code': 'unit_code', 'value': 'value'}
>>> sheet_name("progress", "vi"), sheet_name("progress", "en")
('tiến độ', 'progress')
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from learnsoc.i18n import N_, gettext, normalize_locale
from learnsoc.vocabulary import MEASURES, measure_label

__all__ = [
    "REJECTS",
    "ROLLUP",
    "ROWS_READ",
    "TIDY",
    "VERDICTS",
    "headings",
    "rollup_heading_ids",
    "rollup_headings",
    "sheet_name",
]

#: The columns of the progress and results tables (:mod:`learnsoc.report.tables`).
TIDY: Mapping[str, str] = {
    "unit_code": N_("unit code"),
    "unit_name": N_("unit name"),
    "level": N_("level (code)"),
    "parent_code": N_("parent unit code"),
    "indicator": N_("indicator (code)"),
    "group": N_("group (code)"),
    "year": N_("year"),
    "numerator": N_("numerator (count achieving)"),
    "denominator": N_("denominator (count with data)"),
    "value": N_("value achieved"),
    "target": N_("target"),
    "gap": N_("gap to the target"),
    "status": N_("status (code)"),
    "target_id": N_("target (code)"),
    "kind": N_("kind of target (code)"),
    "target_upper": N_("upper end of the target"),
    "missing": N_("number without data"),
    "eligible": N_("number eligible"),
    "not_assessed": N_("number never assessed (counted as without the title)"),
    "completeness": N_("share of units reporting"),
    "observed_year": N_("year of the latest data"),
    "trend": N_("change per year so far"),
    "required": N_("change per year still required"),
    "uncertain": N_("uncertain"),
    "indicator_label": N_("indicator"),
    "group_label": N_("group"),
    "status_label": N_("status"),
    "denominator_measure": N_("rate of (code)"),
    "denominator_label": N_("rate of"),
    "note": N_("note"),
    "clause": N_("clause cited"),
    "decided": N_("number of verdicts decided"),
    "partial_data": N_("of which decided on partial data"),
}

#: The sheet of a report's rows read, accepted and rejected.
ROWS_READ: Mapping[str, str] = {
    "table": N_("table (code)"),
    "table_label": N_("table"),
    "read": N_("rows read"),
    "accepted": N_("rows accepted"),
    "rejected": N_("rows rejected"),
    "skipped": N_("rows skipped"),
    "rejects_file": N_("file of the rejected rows"),
}

#: A rejects file (:func:`learnsoc.io.writers.write_rejects`).
REJECTS: Mapping[str, str] = {
    "file": N_("file"),
    "line": N_("line"),
    "table": N_("table (code)"),
    "column": N_("column"),
    "value": N_("value as read"),
    "reason": N_("reason (code)"),
    "message": N_("message"),
    "row": N_("row (counted from 0)"),
}

#: A verdicts file (:mod:`learnsoc.io.verdicts`).
VERDICTS: Mapping[str, str] = {
    "level": N_("level (code)"),
    "id": N_("entity id"),
    "title": N_("title (code)"),
    "assessed": N_("assessed"),
    "passed": N_("granted"),
    "known": N_("verdict certain"),
    "grade": N_("grade (-1: not graded)"),
    "points": N_("points"),
    "failed": N_("criteria failed"),
    "unknown": N_("criteria unknown"),
}

#: The first columns of a rollup (:meth:`learnsoc.aggregate.rollup.Rollup.to_columns`);
#: its measures are headed by :func:`~learnsoc.vocabulary.measure_label`.
ROLLUP: Mapping[str, str] = {
    "level": N_("level (code)"),
    "code": N_("unit code"),
    "name": N_("unit name"),
    "parent_code": N_("parent unit code"),
}

#: The sheets of learnsoc's workbooks.
_SHEETS: Mapping[str, str] = {
    "progress": N_("progress"),
    "results": N_("results"),
    "rows_read": N_("rows read"),
    "notes": N_("notes"),
    "rejects": N_("rejected rows"),
    "verdicts": N_("verdicts"),
    "rollup": N_("rollup"),
}


def headings(
    names: Iterable[str], columns: Mapping[str, str], locale: str | None = None
) -> dict[str, str]:
    """Return each column's heading: its id in English, words in Vietnamese.

    ``columns`` gives the known columns' English message ids; a measure is headed by
    :func:`~learnsoc.vocabulary.measure_label`, any other column keeps its id.
    """
    english = normalize_locale(locale) == "en"
    out: dict[str, str] = {}
    for name in names:
        if english:
            out[name] = name
        elif name in columns:
            out[name] = gettext(columns[name], locale)
        else:
            out[name] = measure_label(name, locale)
    return out


def rollup_headings(
    names: Iterable[str],
    rates: Mapping[str, tuple[str, ...]],
    locale: str | None = None,
) -> dict[str, str]:
    """Return the headings of a rollup's columns, its rates' saying what they are of.

    ``rates`` maps a rate's column to its (numerator, denominator) measures. A rate's
    heading says what it is a rate of, in both languages: ``share
    (learning_families / families)``, ``tỷ lệ: Số Gia đình học tập / Số gia đình``;
    its status column says it is the status of that rate.

    Examples
    --------
    >>> rollup_headings(["code", "share", "share_status"],
    ...                 {"share": ("learning_families", "families")}, "vi")
    {'code': 'mã đơn vị hành chính', 'share': 'tỷ lệ: Số Gia đình học tập / Số gia đình', \
'share_status': 'tỷ lệ: Số Gia đình học tập / Số gia đình: mã trạng thái'}
    >>> rollup_headings(["share"], {"share": ("learning_families", "families")}, "en")
    {'share': 'share (learning_families / families)'}
    """
    out = headings(names, ROLLUP, locale)
    for column, (numerator, denominator, *_) in rates.items():
        if normalize_locale(locale) == "en":
            shown = f"{column} ({numerator} / {denominator})"
        else:
            shown = gettext(N_("rate: {numerator} / {denominator}"), locale).format(
                numerator=measure_label(numerator, locale),
                denominator=measure_label(denominator, locale),
            )
        if column in out:
            out[column] = shown
        status = f"{column}_status"
        if status in out and normalize_locale(locale) != "en":
            out[status] = gettext(N_("{rate}: status (code)"), locale).format(rate=shown)
    return out


#: An English rollup workbook's rate heading: ``share (learning_families / families)``.
_RATE_HEADING = re.compile(r"([A-Za-z_][A-Za-z0-9_]*) \([A-Za-z0-9_]+ / [A-Za-z0-9_]+\)")
_MEASURE_SUFFIXES = ("", "_missing", "_decided", "_partial_data")


def rollup_heading_ids(header: Iterable[str]) -> dict[str, str | None]:
    """Return the column ids of a rollup workbook's headings (None: a rate, not read back).

    The workbooks :meth:`learnsoc.Rollup.to_excel` writes head their columns in words in
    Vietnamese (``mã cấp``, ``Số gia đình``) and their rates by what they are of in
    both languages; the ids are those of the CSV. A header that is no rollup's (without
    ``mã cấp`` and ``mã đơn vị hành chính``) gives only its English rate headings, none
    else. Headings that are ids already are left out.

    Examples
    --------
    >>> rollup_heading_ids(["mã cấp", "mã đơn vị hành chính", "Số gia đình", "my_count",
    ...     "tỷ lệ: Số Gia đình học tập / Số gia đình"])  # doctest: +NORMALIZE_WHITESPACE
    {'mã cấp': 'level', 'mã đơn vị hành chính': 'code', 'Số gia đình': 'families',
     'tỷ lệ: Số Gia đình học tập / Số gia đình': None}
    >>> rollup_heading_ids(["code", "share (learning_families / families)"])
    {'share (learning_families / families)': 'share'}
    """
    names = list(header)
    out: dict[str, str | None] = {}
    for name in names:
        english = _RATE_HEADING.fullmatch(name)
        if english:
            out[name] = english.group(1)
    words = {gettext(v, "vi"): k for k, v in ROLLUP.items()}
    if not {gettext(ROLLUP["level"], "vi"), gettext(ROLLUP["code"], "vi")} <= set(names):
        return out
    for measure in MEASURES:
        for suffix in _MEASURE_SUFFIXES:
            words.setdefault(measure_label(measure + suffix, "vi"), measure + suffix)
    rate = gettext(N_("rate: {numerator} / {denominator}"), "vi").split("{", 1)[0]
    for name in names:
        if name in words and words[name] != name:
            out[name] = words[name]
        elif rate and name.startswith(rate):
            out[name] = None  # a rate or its status: the rollup computes its own
    return out


def sheet_name(sheet: str, locale: str | None = None) -> str:
    """Return the name of a workbook's sheet in the locale (its id in English)."""
    if normalize_locale(locale) == "en" or sheet not in _SHEETS:
        return sheet
    return gettext(_SHEETS[sheet], locale)
