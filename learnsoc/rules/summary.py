"""The counts of an evaluation per title: assessed, granted, not granted and unknown.

:meth:`Evaluation.summary() <learnsoc.rules.evaluation.Evaluation.summary>` returns a
:class:`Summary`, one :class:`SummaryRow` per title, as plain data (``to_dict()``), an
aligned text table or an HTML table in a locale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from html import escape
from typing import Any

import attrs

from learnsoc._reprs import count_words
from learnsoc.i18n import N_, format_integer, format_percent, gettext, normalize_locale
from learnsoc.model.hierarchy import ABOLISHED_LEVELS, HierarchySpec
from learnsoc.rules._display import as_of_text, html_table
from learnsoc.rules._display import date_text as _date
from learnsoc.rules._partial import partial_data_note

__all__ = [
    "NOT_IN_FORCE",
    "SUMMARY_HEADER",
    "Summary",
    "SummaryRow",
    "rows_read",
    "summary_cells",
    "summary_footnotes",
    "summary_html",
    "summary_text",
    "titles_gone_with_their_level",
]


@attrs.frozen
class SummaryRow:
    """One title's counts in a :class:`Summary`.

    Examples
    --------
    >>> import learnsoc as ls, warnings
    >>> pop = ls.synthetic_population(persons=2_000, seed=5)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ev = ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31")
    >>> row = ev.summary().rows[1]
    >>> row.title, row.level, row.assessed, row.passed, row.failed
    ('learning_family', 'household', 516, 405, 111)
    """

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
    #: The document that abolished the title's recognition procedure (``Nghị định
    #: 142/2025/NĐ-CP; ...``), when :attr:`abolished` is set and the rulebook names it.
    abolished_by: str | None = None
    #: Entities not assessed because the data deciding whether they are were not given.
    no_data: int = 0
    #: False when the title's scheme is not in force on the date (its version is a
    #: placeholder): nobody is assessed, and the row reads "not in force", never 0.
    in_force: bool = True
    #: The title that replaced this one on the date, if the rulebook says.
    replaced_by: str | None = None
    #: The document that replaced it (``Thông tư 24/2023/TT-BGDĐT``), if the rulebook says.
    replaced_by_document: str | None = None
    #: Decided verdicts (granted or not granted) for which at least one aggregate left out
    #: an eligible member whose data were missing: decided on the members with data, not
    #: on all (:attr:`~learnsoc.rules.verdicts.Verdicts.partial_data`).
    partial_data: int = 0
    #: The levels of the members those verdicts left out (``("household",)`` for a
    #: village's families), sorted.
    partial_members: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        """Return what the row's counts are.

        ``"not_in_force"`` (the scheme did not apply on the date), ``"not_assessed_no_data"``
        (nobody's eligibility data were given) or ``"assessed"`` (measured, zeros included).
        """
        if not self.in_force:
            return "not_in_force"
        if self.not_assessed_for_want_of_data:
            return "not_assessed_no_data"
        return "assessed"

    @property
    def not_assessed_for_want_of_data(self) -> bool:
        """Whether nobody was assessed because nobody's eligibility data were given.

        Such a row's zeros are not measured: it reads "not assessed (no data given)".
        """
        return self.assessed == 0 and self.no_data > 0


@attrs.frozen
class Summary:
    """Counts per title and level, with ``to_text(locale)`` and ``to_dict()``.

    Examples
    --------
    >>> row = SummaryRow("learning_family", "Gia đình học tập", "learning family",
    ...                  "household", "2021-01-01", 10, 8, 5, 2, 1)
    >>> print(Summary("2025-12-31", (row,)).to_text("en"))  # doctest: +NORMALIZE_WHITESPACE
    as of 2025-12-31
    title            level      assessed  granted  not granted  unknown
    share granted (of assessed, excluding unknown)
    learning family  household  8         5        2            1        71.43%
    """

    as_of: str
    rows: tuple[SummaryRow, ...]
    #: The rows read, accepted and rejected per table of the files behind the counts, when
    #: known (a dataset built from files: :attr:`learnsoc.io.Dataset.rejects`). Shown
    #: under the table when rows were rejected or skipped, kept by :meth:`to_dict`; not
    #: compared (the titles' counts are).
    rejects: Any = attrs.field(default=None, eq=False, repr=False)
    #: The titles (label vi, label en) of a level the 2025 reform ended, absent from the
    #: data's tree after it (:func:`titles_gone_with_their_level`): not rows, but a
    #: footnote, so a title of last year's table never vanishes without a word.
    gone: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the summary as plain data (for JSON).

        Each title has its counts and ``no_data`` (entities not assessed because the data
        deciding whether they are were not given); ``not_assessed_no_data`` is true when
        that left nobody assessed, so its zeros are not measured ones. ``status`` says what
        the counts are (:attr:`SummaryRow.status`): ``"not_in_force"`` for a title whose
        scheme is not in force on the date (``in_force`` false, ``replaced_by`` the title
        that replaced it), whose zeros are not measured either.
        """
        out: dict[str, Any] = {
            "as_of": self.as_of,
            "titles": [
                {
                    **attrs.asdict(r),
                    "not_assessed_no_data": r.not_assessed_for_want_of_data,
                    "status": r.status,
                }
                for r in self.rows
            ],
        }
        if self.rejects is not None:
            out["rows"] = self.rejects.to_dict()
            out["rejects_file"] = self.rejects.file
        if self.gone:
            out["not_applicable"] = [{"label_vi": vi, "label_en": en} for vi, en in self.gone]
        return out

    def to_text(self, locale: str | None = None) -> str:
        """Return the summary as an aligned text table in a locale."""
        return summary_text(self, locale)

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        titles = count_words("{n} title", "{n} titles", len(self.rows))
        return f"Summary({as_of_text(self.as_of)}: {titles})"

    def to_html(self, locale: str | None = None) -> str:
        """Return the summary as an HTML table in a locale (every value escaped)."""
        return summary_html(self, locale)

    def _repr_html_(self) -> str:
        return self.to_html()


#: The columns of a summary, in its text and HTML forms. The share is of the verdicts
#: decided (granted + not granted): unknown verdicts are counted apart, as reports do, and
#: the heading says both what it is of and what it leaves out.
SUMMARY_HEADER = (
    N_("title"),
    N_("level"),
    N_("assessed"),
    N_("granted"),
    N_("not granted"),
    N_("unknown"),
    N_("share granted (of assessed, excluding unknown)"),
)


#: The assessed cell of a title nobody could be assessed for: the data deciding who is
#: assessed (an organisation's tier) were given for no one.
NOT_ASSESSED_NO_DATA = N_("not assessed (no data given)")
#: The assessed cell of a title whose scheme is not in force on the date.
NOT_IN_FORCE = N_("not in force on {date}")
#: The footnotes naming what replaced a title not in force, or saying none is known.
REPLACED_BY = N_("§ {title}: not in force on {date}; replaced by {replacement}")
REPLACED_UNDER = N_("§ {title}: not in force on {date}; replaced by {replacement} under {document}")
NOT_IN_FORCE_NOTE = N_("§ {title}: not in force on {date}: nobody is assessed for it")
#: A title whose recognition procedure was abolished with its level (the learning district
#: from 1/7/2025): not in force, and why.
ABOLISHED_NOT_IN_FORCE = N_(
    "§ {title}: not in force on {date}: its recognition procedure was abolished on "
    "{abolished} ({document}); nobody is assessed for it"
)
#: The footnote of a title some could not be assessed for, for the same reason.
SOME_NOT_ASSESSED = N_(
    "‡ some not assessed: the data deciding whether they are assessed were not given for them"
)


def summary_text(summary: Summary, locale: str | None = None) -> str:
    """Render a :class:`Summary` as an aligned table.

    Examples
    --------
    >>> import learnsoc as ls, warnings
    >>> pop = ls.synthetic_population(persons=2_000, seed=5)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ev = ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31")
    >>> print(summary_text(ev.summary(), "en").splitlines()[2])  # doctest: +NORMALIZE_WHITESPACE
    learning citizen *  person  2,000  1,095  905  0  54.75%
    """
    loc = normalize_locale(locale)
    header = [gettext(h, loc) for h in SUMMARY_HEADER]
    rows: list[list[str]] = []
    extra: dict[int, str] = {}
    for row in summary.rows:
        rows.append(summary_cells(row, loc, summary.as_of))
        if row.grades and row.status == "assessed":
            extra[len(rows) - 1] = f"  {_grades(row, loc)}"
    widths = [max(len(r[k]) for r in [header, *rows]) for k in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [
        gettext("as of {date}", loc).format(date=_date(dt.date.fromisoformat(summary.as_of), loc))
    ]
    out.append(line(header))
    for k, row_cells in enumerate(rows):
        out.append(line(row_cells))
        if k in extra:
            out.append(extra[k])
    out += summary_footnotes(summary, loc)
    built = summary.rejects
    if built is not None and (len(built) or any(built.n_skipped(t) for t in built.read)):
        # Only when the counts cover fewer rows than the files held: a clean dataset's
        # summary reads as the whole population's in memory.
        out += rows_read(built, loc)
    return "\n".join(out)


def rows_read(rejects: Any, loc: str) -> list[str]:
    r"""Return the lines of rows read, accepted and rejected behind a summary, if known.

    Examples
    --------
    >>> from learnsoc.rejects import CountedRejects
    >>> built = CountedRejects(read={"person": 7}, rejected={"person": 4}, file="d/rejects.csv")
    >>> print("\n".join(rows_read(built, "vi")))
    người: đọc 7, nhận 3, 4 dòng bị loại
    (các dòng bị loại, kèm tệp và số dòng: d/rejects.csv)
    """
    if rejects is None or not len(rejects.read):
        return []
    out: list[str] = rejects.describe(loc).splitlines()
    if rejects.file is not None:
        note = gettext(ROWS_REJECTED_FILE, loc)
        out.append(note.format(file=rejects.file))
    return out


#: Where the rows rejected when a dataset was built are listed.
ROWS_REJECTED_FILE = N_("(the rows rejected, with their files and lines: {file})")


def summary_cells(row: SummaryRow, loc: str, as_of: str | None = None) -> list[str]:
    """Return a summary row's cells, as the text and the HTML forms both show them.

    The title carries ``*`` when it rests on uncertain values, ``‡`` when some could not
    be assessed for want of data and ``†`` when its recognition procedure was abolished
    (see :func:`summary_footnotes`). The share is of the verdicts decided, as reports
    count rates over known values; a title whose every verdict is unknown reads
    "unknown", never 0%; one nobody could be assessed for (no data given on who is
    eligible) reads "not assessed (no data given)", and one whose scheme is not in force
    on the date ``as_of`` reads "not in force on 31/12/2025" (``§``), never 0 assessed.

    Examples
    --------
    >>> import learnsoc as ls, warnings
    >>> pop = ls.synthetic_population(persons=2_000, seed=5)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ev = ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31")
    >>> summary_cells(ev.summary().rows[1], "vi")
    ['Gia đình học tập *', 'hộ gia đình', '516', '405', '111', '0', '78,49%']
    """
    decided = row.passed + row.failed
    # Two decimals on every row, as the progress table's rates: a column reads evenly and
    # the same share prints the same in both tables (81,00%, not 81% here and 81,00% there).
    share = format_percent(row.passed / decided, 2, loc) if decided else "—"
    if row.assessed and row.unknown == row.assessed:
        # Nothing decided: 0% would read as "every one failed".
        share = gettext("unknown", loc)
    label = row.label_vi if loc == "vi" else row.label_en
    level = gettext(row.level, loc)
    if not row.in_force:
        # "0 assessed" would read as "nobody qualified": the scheme did not apply.
        if as_of is None:
            cell = gettext(N_("not in force"), loc)
        else:
            day = _date(dt.date.fromisoformat(as_of), loc)
            cell = gettext(NOT_IN_FORCE, loc).format(date=day)
        return [f"{label} §", level, cell, "—", "—", "—", "—"]
    label += " *" if row.uncertain else ""
    label += " †" if row.abolished is not None else ""
    label += " ‡" if row.no_data and not row.not_assessed_for_want_of_data else ""
    if row.not_assessed_for_want_of_data:
        # "0 assessed" would read as a measured zero: nobody could be assessed.
        return [label, level, gettext(NOT_ASSESSED_NO_DATA, loc), "—", "—", "—", "—"]
    counts = (row.assessed, row.passed, row.failed, row.unknown)
    return [label, level, *(format_integer(n, loc) for n in counts), share]


def _grades(row: SummaryRow, loc: str) -> str:
    """Return a graded title's count per grade ("good: 12, fair: 30")."""
    return ", ".join(
        f"{vi if loc == 'vi' else en}: {format_integer(n, loc)}" for _, vi, en, n in row.grades
    )


def summary_footnotes(summary: Summary, loc: str) -> list[str]:
    """Return the lines explaining the ``*``, ``‡`` and ``†`` marks of a summary's titles.

    Then, for each title some of whose decided verdicts left out members with missing
    data, how many ("94 of the 200 villages were decided on the families with data;
    106 other villages on complete data"): only when some were.

    Examples
    --------
    >>> import learnsoc as ls, warnings
    >>> pop = ls.synthetic_population(persons=2_000, seed=5)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ev = ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31")
    >>> summary_footnotes(ev.summary(), "en")
    ['* rests on values that no source pins (uncertain): see the explanation']
    """
    out = []
    if any(row.uncertain and row.in_force for row in summary.rows):
        out.append(
            gettext("* rests on values that no source pins (uncertain): see the explanation", loc)
        )
    if any(
        row.no_data and row.in_force and not row.not_assessed_for_want_of_data
        for row in summary.rows
    ):
        out.append(gettext(SOME_NOT_ASSESSED, loc))
    labels = {row.title: (row.label_vi if loc == "vi" else row.label_en) for row in summary.rows}
    as_of = _date(dt.date.fromisoformat(summary.as_of), loc)
    for row in summary.rows:
        if row.in_force:
            continue
        title = labels[row.title]
        if row.replaced_by is not None:
            replacement = labels.get(row.replaced_by, row.replaced_by)
            template = REPLACED_BY if row.replaced_by_document is None else REPLACED_UNDER
            note = gettext(template, loc).format(
                title=title,
                date=as_of,
                replacement=replacement,
                document=row.replaced_by_document,
            )
        elif row.abolished is not None:
            note = gettext(ABOLISHED_NOT_IN_FORCE, loc).format(
                title=title,
                date=as_of,
                abolished=_date(dt.date.fromisoformat(row.abolished), loc),
                document=row.abolished_by or "—",
            )
        else:
            note = gettext(NOT_IN_FORCE_NOTE, loc).format(title=title, date=as_of)
        out.append(note)
    # † marks titles still decided after the abolition; one not in force has its § line.
    marked = {row.abolished for row in summary.rows if row.abolished is not None and row.in_force}
    for day in sorted(marked):
        gone = gettext(
            "† recognition procedure abolished on {date}: not an official recognition", loc
        )
        out.append(gone.format(date=_date(dt.date.fromisoformat(day), loc)))
    out.extend(
        partial_data_note(row, labels[row.title], loc)
        for row in summary.rows
        if row.partial_data and row.status == "assessed"
    )
    for vi, en in summary.gone:
        out.append(gettext(GONE_WITH_ITS_LEVEL, loc).format(title=vi if loc == "vi" else en))
    return out


#: A title of a level the reform ended, on a tree after it: said under the table.
GONE_WITH_ITS_LEVEL = N_(
    "{title}: not applicable: the district level was abolished on 1/7/2025, so the data's tree "
    "has no districts"
)


def titles_gone_with_their_level(
    book: Any, skipped: Iterable[str], spec: HierarchySpec, as_of: dt.date
) -> tuple[tuple[str, str], ...]:
    """Return the labels (vi, en) of the skipped titles whose level the 2025 reform ended.

    A title is skipped when the tree lacks its level; the learning district on the tree
    from 1/7/2025 is skipped because no district is left, which the titles table says. The
    tree is after the reform by its own start date, or (a tree without dates) by ``as_of``.

    Examples
    --------
    >>> import learnsoc as ls
    >>> book = ls.load_rulebook("vn-national")
    >>> new = ls.PRESETS["vn-2025"]
    >>> titles_gone_with_their_level(book, ["learning_district"], new, dt.date(2025, 12, 31))
    (('Cộng đồng học tập cấp huyện', 'learning district (district-level learning community)'),)
    """
    out = []
    titles = {t.id: t for t in book.titles}
    for key in skipped:
        title = titles.get(key)
        ended = None if title is None else ABOLISHED_LEVELS.get(title.level)
        if title is None or ended is None or title.level in spec.names:
            continue
        if (spec.valid_from is not None and spec.valid_from >= ended) or as_of >= ended:
            out.append((title.label.vi, title.label.en))
    return tuple(out)


def summary_html(summary: Summary, locale: str | None = None) -> str:
    """Render a summary as an HTML table: the columns of its text form.

    Examples
    --------
    >>> import learnsoc as ls, warnings
    >>> pop = ls.synthetic_population(persons=2_000, seed=5)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ev = ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31")
    >>> page = summary_html(ev.summary(), "vi")
    >>> page.startswith("<table><caption>tính đến ngày 31/12/2025</caption>")
    True
    """
    loc = normalize_locale(locale)
    header = [gettext(h, loc) for h in SUMMARY_HEADER]
    rows = []
    for row in summary.rows:
        cells = summary_cells(row, loc, summary.as_of)
        if row.grades and row.status == "assessed":
            cells[0] = f"{cells[0]} ({_grades(row, loc)})"
        rows.append(cells)
    as_of = _date(dt.date.fromisoformat(summary.as_of), loc)
    table = html_table(gettext("as of {date}", loc).format(date=as_of), header, rows)
    notes = "".join(f"<p>{escape(note)}</p>" for note in summary_footnotes(summary, loc))
    return table + notes
