"""Progress towards targets: observed value, gap, trend and status per unit and target.

:func:`progress` compares a rollup (or a series of yearly rollups) with the targets of
one year. For every target and every unit the target applies to, it keeps the observed
numerator and denominator, the value (numerator × factor ÷ denominator), the target,
the gap (value minus target, in the indicator's units: percentage points for a
percentage) and a :class:`Status`:

``met``
    the value reaches the target. The comparison is exact, in integers
    (``numerator × 100 ≥ 60 × denominator`` for "≥ 60%"), never on rounded numbers.
``not met``
    the value does not reach it, and no trend says whether it will.
``on track`` / ``off track``
    not met yet, but with observations of two or more years before the target year:
    on track when the trend is at least the yearly change still required.
``no data``
    the unit has no denominator (no eligible member) or the data lack the indicator's
    measures: never shown as 0%.
``not assessed``
    a yes/no target that no assessment was given for.
``abolished``
    the target counts units of a level the tree no longer has: on the tree from
    1 July 2025, a target on districts ("40% of districts are learning districts") reads
    "not applicable: the district level was abolished on 1/7/2025", never *no data*.
    Assessed on the tree before the reform for a year from 2025 on, such a target keeps
    its status and the progress gets a note saying the districts no longer exist.
``tree undated``
    the target counts units of a level the tree does not have, and neither the tree's
    dates nor the year of the data say whether the tree is before or after the 2025
    reform: "cannot tell: the tree has no date; give the year of the data (--year)",
    with a note saying why, never *no data* (nor *not applicable*).
``not in force``
    the title the target counts is not in force on the date the titles were decided as
    of (learning districts before Circular 25/2023, in force from 12/2/2024): the row
    reads "not in force on 2022-12-31", as the titles table does, with a note; never
    *no data*.
``met on incomplete data``
    the value reaches the target, but fewer units reported than the ``completeness``
    threshold asks (by default, all of them): a report shows "met on 1 of 2 communes".
    Every row also keeps the units reporting and expected under it.

Rollups of several years must be over trees of one version (matched by level and unit
code), or a ``crosswalk`` re-expresses the earlier ones in the latest tree; units of two
trees are never matched by code, since the 2025 lists reuse old codes. A rollup whose
year lies outside its tree's dates gets a
:class:`~learnsoc.model.hierarchy.HierarchyDateWarning`.

Targets without a deadline (``undated``) are never assessed as targets of a year; the
progress notes them.

Trend method: the ordinary least-squares slope of the unit's value against the year,
over every observed year in which the unit has data (with two years, the change between
them). The yearly change required is ``(target - latest value) / (target year - latest
year)``. A unit is *on track* when its slope is at least the required change (at most,
for targets where lower is better).

Examples
--------
>>> from learnsoc.targets import load_targets
>>> from learnsoc.targets.progress import progress
>>> h = ls.Hierarchy.from_units({"code": ["02"], "name": ["Hà Giang"], "level": ["province"],
...     "parent_code": [None]}, levels=["province"])
>>> roll = ls.rollup_counts({"unit_code": ["02"], "families": [187624],
...     "learning_families": [138068]}, h)
>>> targets = load_targets("hanoi-23-nq-tu").select(indicators=["learning_families"])
>>> prog = progress(roll, targets, year=2025)
>>> [str(s) for s in prog.statuses()]
['met']
>>> round(float(prog.columns["gap"][0]), 4)
13.5876
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any, TypeAlias

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc._argument_types import A_ROLLUP, A_TARGET_SET, check_argument
from learnsoc._arrays import COLUMNS_EQ, readonly
from learnsoc._messages import NN_, Message
from learnsoc._reprs import count_words, repr_words
from learnsoc._tidy import TidyExports
from learnsoc.aggregate.rate import Rate, RateStatus
from learnsoc.aggregate.rollup import Rollup
from learnsoc.errors import did_you_mean
from learnsoc.i18n import (
    N_,
    format_integer,
    format_percent,
    get_locale,
    gettext,
    ngettext,
    normalize_locale,
)
from learnsoc.model.hierarchy import ABOLISHED_LEVELS, REFORM_DATE, level_named
from learnsoc.targets._partial import (
    NOTE_PARTIAL_UNRECORDED,
    PartialData,
    partial_data_of,
    unrecorded_text,
)
from learnsoc.targets._reform import align_trees
from learnsoc.targets._trend import align, least_squares_slope
from learnsoc.targets.indicators import Indicator, TargetError
from learnsoc.targets.targets import Target, TargetSet
from learnsoc.vocabulary import measure_label

if TYPE_CHECKING:
    import os

    from learnsoc.model.crosswalk import Crosswalk
    from learnsoc.model.hierarchy import Hierarchy
    from learnsoc.report.report import Report

__all__ = [
    "NOTE_NOT_MEASURED",
    "NOTE_NOT_REPORTING",
    "NOTE_NO_COLUMNS",
    "NOTE_OLD_TREE",
    "NOTE_TITLE_NOT_IN_FORCE",
    "TOTAL",
    "Assessments",
    "Note",
    "Observations",
    "Progress",
    "Status",
    "column_names",
    "listing_note",
    "progress",
    "unit_list",
]

TOTAL = "total"

Observations: TypeAlias = "Rollup | Mapping[int, Rollup] | Sequence[tuple[int, Rollup]]"
"""A rollup, or rollups by year (a mapping or a sequence of ``(year, rollup)`` pairs)."""

Assessments: TypeAlias = "Mapping[str, bool | Mapping[str, bool]]"
"""Yes/no answers to targets not computed from data: by target id, for every unit or by
unit code."""


class Status(enum.IntEnum):
    """The status of a unit against a target.

    Examples
    --------
    >>> Status.ON_TRACK.id, Status.ON_TRACK.display("vi")
    ('on_track', 'đúng tiến độ')
    >>> str(Status.NO_DATA)
    'no data'
    >>> Status.ABOLISHED.display("en")
    'not applicable: the district level was abolished on 1/7/2025'
    """

    MET = 0
    NOT_MET = 1
    ON_TRACK = 2
    OFF_TRACK = 3
    NO_DATA = 4
    NOT_ASSESSED = 5
    ABOLISHED = 6
    MET_INCOMPLETE = 7
    TREE_UNDATED = 8
    NOT_IN_FORCE = 9

    @property
    def id(self) -> str:
        """A stable identifier for files and scripts (``"not_met"``)."""
        return self.name.lower()

    def display(self, locale: str | None = None) -> str:
        """Return the status in words, in the locale."""
        return gettext(_STATUS_LABELS[self], locale)

    def __str__(self) -> str:
        return self.id.replace("_", " ")


_STATUS_LABELS: Mapping[Status, str] = {
    Status.MET: N_("met"),
    Status.NOT_MET: N_("not met"),
    Status.ON_TRACK: N_("on track"),
    Status.OFF_TRACK: N_("off track"),
    Status.NO_DATA: N_("no data"),
    Status.NOT_ASSESSED: N_("not assessed"),
    Status.ABOLISHED: N_("not applicable: the district level was abolished on 1/7/2025"),
    Status.MET_INCOMPLETE: N_("met on incomplete data"),
    Status.TREE_UNDATED: N_(
        "cannot tell: the tree has no date; give the year of the data (--year)"
    ),
    Status.NOT_IN_FORCE: N_("not in force"),
}

#: Message ids of the notes a progress table can carry.
NOTE_NOT_MEASURED = N_("{indicator}: not in the data (needs the measures {items})")
NOTE_NO_COLUMNS = N_("{indicator}: no data (the data have no column {items})")
NOTE_UNKNOWN_UNITS = N_("{target}: units {items} are not in the data")
NOTE_NO_BASELINE = N_("{target}: no observations for the baseline year {year}")
NOTE_OLD_TREE = N_(
    "{target}: assessed on the units before 1/7/2025; the district level was abolished "
    "on that date, so the result describes districts that no longer exist"
)
NOTE_OLD_TREE_ROWS = N_(
    "Rows of the level {items} ({year}): the district level was abolished on 1/7/2025, so "
    "they describe districts that no longer exist; report on the tree of 1/7/2025"
)
NOTE_UNITS_BEFORE_REFORM = N_(
    "{target}: the target names units {items} by their codes of {year}, before the 2025 "
    "reform; on the tree from 1/7/2025 a code may name a merged unit, or none: check that "
    "each one is still the unit the target was set for (a crosswalk maps the old units)"
)
NOTE_UNDATED = N_("{target}: the source sets no deadline; not assessed as a target for {year}")
NOTE_TREE_UNDATED = N_(
    "{target}: counts the units of the level {items}, which the tree does not have; the "
    "tree has no date and no year was given, so whether the data are from before the 2025 "
    "reform (which abolished that level on 1/7/2025) cannot be told; give the year of the "
    "data (--year, year=) or a tree with its dates"
)
NOTE_NOT_MOVED = N_(
    "{year}: the measures {items} are counted at units above the crosswalk's level and "
    "could not be re-expressed in the later tree"
)
#: A target on a title not in force on the date the titles were decided as of.
NOTE_TITLE_NOT_IN_FORCE = N_(
    "{indicator}: the title it counts is not in force on {date}: nobody is assessed for it, "
    "so there is no share to report"
)
NOTE_NOT_REPORTING = N_("Units that did not report (no data, or their rows were rejected): {items}")
#: An earlier year's figure of a row whose units did not all report that year (a merged
#: commune of which one old commune sent nothing in 2024): it covers less than the latest
#: figure, so the trend leaves it out rather than compare the two.
NOTE_TREND_INCOMPLETE = N_(
    "{indicator}: the trend leaves out the {year} figures of {items}: not every unit under "
    "them reported in {year}, so those figures do not cover what the latest ones do"
)
#: A year counted on an earlier tree (before the 2025 reform) and moved through a crosswalk:
#: its units and counts are not those it was reported on, and the report says so.
NOTE_REEXPRESSED = N_(
    "Figures of {year} were counted on the tree {old_tree} and re-expressed through the "
    "crosswalk in the tree {new_tree}: every row (units, counts, trends) is on that tree"
)
_TREE_FROM = N_("{tree} (from {date})")
#: A title's share of all its peers beside the share the titles table shows (of those
#: assessed): the ones never assessed count as without the title in the first.
NOTE_NOT_ASSESSED = N_(
    "{indicator}: never assessed for the title, {n} of the {eligible} {denominator} count "
    "here as without it (the target is a share of all of them); among the {decided} "
    "assessed with a verdict, the share is {share}, as in the titles table"
)
#: The same when some members have no data: the share's base is those with data, fewer
#: than all of them, and the note says both figures so that neither reads as a mistake.
#: (The note's key: it is shown as :data:`_WITH_DATA_FORMS` then
#: :data:`_NOT_ASSESSED_OF_THEM_FORMS`, each agreeing with its count.)
NOTE_NOT_ASSESSED_WITH_DATA = N_(
    "{indicator}: {with_data} of the {eligible} {denominator} have data (the share's base); "
    "{n} of them, never assessed for the title, count here as without it; among the "
    "{decided} assessed with a verdict, the share is {share}, as in the titles table"
)
#: The note above by the number never assessed: "1 of the 7 clans counts", "2 of the 7
#: clans count" (the plain id stays the note's key).
_NOT_ASSESSED_FORMS: Mapping[str, tuple[str, str]] = {
    NOTE_NOT_ASSESSED: NN_(
        "{indicator}: never assessed for the title, {n} of the {eligible} {denominator} counts "
        "here as without it (the target is a share of all of them); among the {decided} "
        "assessed with a verdict, the share is {share}, as in the titles table",
        "{indicator}: never assessed for the title, {n} of the {eligible} {denominator} count "
        "here as without it (the target is a share of all of them); among the {decided} "
        "assessed with a verdict, the share is {share}, as in the titles table",
    ),
}
#: Notes that list measures or units, by how many they list: "needs the measure x",
#: "needs the measures x, y" (the plain id stays the note's key).
_ITEMS_FORMS: Mapping[str, tuple[str, str]] = {
    NOTE_NOT_MEASURED: NN_(
        "{indicator}: not in the data (needs the measure {items})",
        "{indicator}: not in the data (needs the measures {items})",
    ),
    NOTE_NOT_MOVED: NN_(
        "{year}: the measure {items} is counted at units above the crosswalk's level and "
        "could not be re-expressed in the later tree",
        "{year}: the measures {items} are counted at units above the crosswalk's level and "
        "could not be re-expressed in the later tree",
    ),
    NOTE_UNKNOWN_UNITS: NN_(
        "{target}: unit {items} is not in the data",
        "{target}: units {items} are not in the data",
    ),
}
#: :data:`NOTE_NOT_ASSESSED_WITH_DATA` in two sentences, each agreeing with its own count:
#: those with data ("1 of the 7 clans has data", "6 of the 7 clans have data"; ``eligible``
#: is the count with its noun, "1 clan", "7 clans"), then those never assessed ("1 of them
#: counts", "3 of them count").
_WITH_DATA_FORMS = NN_(
    "{indicator}: {with_data} of the {eligible} has data (the share's base);",
    "{indicator}: {with_data} of the {eligible} have data (the share's base);",
)
_NOT_ASSESSED_OF_THEM_FORMS = NN_(
    "{n} of them, never assessed for the title, counts here as without it; among the "
    "{decided} assessed with a verdict, the share is {share}, as in the titles table",
    "{n} of them, never assessed for the title, count here as without it; among the "
    "{decided} assessed with a verdict, the share is {share}, as in the titles table",
)
#: A title some of whose verdicts were decided on the members with data: said as the
#: titles table says it (the words are :func:`learnsoc.rules._partial.decided_on_text`'s).
NOTE_PARTIAL_DATA = "partial_data"
#: Notes whose items are the data's column names: shown as written, in every locale.
COLUMN_NOTES = frozenset({NOTE_NO_COLUMNS})
#: Units listed by name in a note on units not reporting; the rest are counted.
MAX_LISTED_UNITS = 10


@attrs.frozen
class Note:
    """A remark on a progress table (data that is absent), translated when shown.

    Examples
    --------
    >>> from learnsoc.targets import load_targets
    >>> targets = load_targets("hanoi-23-nq-tu")
    >>> note = Note(NOTE_NOT_MEASURED, indicator="literacy_15_60", items=("literate_15_60",))
    >>> print(note.text(targets, "en"))  # doctest: +NORMALIZE_WHITESPACE
    share of persons aged 15-60 who are literate: not in the data
    (needs the measure literate_15_60)
    """

    message: str
    indicator: str | None = None
    target: str | None = None
    items: tuple[str, ...] = ()
    year: int | None = None
    #: The target's name by locale, for a target not among the progress's own (undated).
    labels: Mapping[str, str] = attrs.field(factory=dict, hash=False)
    #: Counts a note states (:data:`NOTE_NOT_ASSESSED`: not assessed, all, assessed with
    #: a verdict, granted and, when given, those without data; :data:`NOTE_PARTIAL_DATA`:
    #: decided on partial data and decided, its ``items`` the level decided then the
    #: levels of the members left out), written in the locale's digits when shown.
    counts: tuple[int, ...] = ()
    #: The date a note is about (:data:`NOTE_TITLE_NOT_IN_FORCE`: the titles' date).
    day: dt.date | None = None

    def text(self, targets: TargetSet, locale: str | None = None) -> str:
        """Return the note in the locale."""
        indicator = self.indicator or ""
        if self.indicator is not None and self.indicator in targets.indicators:
            indicator = targets.indicators[self.indicator].display(locale)
        if self.message == NOTE_PARTIAL_UNRECORDED:  # items: the indicators, named
            shown = [targets.indicators[i] for i in self.items if i in targets.indicators]
            return unrecorded_text(shown, normalize_locale(locale))
        if self.message == NOTE_PARTIAL_DATA and len(self.counts) == 2 and self.items:
            # items: the level of the entities decided, then the levels of the members left out.
            loc = normalize_locale(locale)
            n, decided = self.counts
            partial = PartialData("", self.items[0], n, decided, tuple(self.items[1:]))
            return partial.text(indicator, loc)
        target = self.target or ""
        if self.target is not None and self.target in targets.ids():
            t = targets[self.target]
            target = t.display(targets.indicator_of(t), locale)
        elif self.labels:
            target = Target(self.target or "", None, "qualitative", labels=self.labels).display(
                None, locale
            )
        items = ", ".join(self.items)
        if self.message in (NOTE_OLD_TREE_ROWS, NOTE_TREE_UNDATED):  # level names, as tables
            items = ", ".join(gettext(item, locale) for item in self.items)
        elif self.message == NOTE_NOT_MOVED:  # measures, as the rollup's headings name them
            items = ", ".join(measure_label(item, locale) for item in self.items)
        elif self.message in COLUMN_NOTES:
            items = column_names(self.items)
        elif self.indicator is not None and self.indicator in targets.indicators:
            items = targets.indicators[self.indicator].measures_display(self.items, locale)
        numbers: dict[str, str] = {}
        message = self.message
        if self.message == NOTE_NOT_ASSESSED and len(self.counts) in (4, 5):
            loc = normalize_locale(locale)
            n, eligible, decided, granted, *rest = self.counts
            missing = rest[0] if rest else 0
            if missing:
                message = NOTE_NOT_ASSESSED_WITH_DATA
            ind = targets.indicators.get(self.indicator or "")
            with_data = eligible - missing
            numbers = {
                "n": format_integer(n, loc),
                "eligible": format_integer(eligible, loc),
                "with_data": format_integer(with_data, loc),
                "decided": format_integer(decided, loc),
                "share": format_percent(granted / decided, 2, loc) if decided else "—",
                "denominator": ind.denominator_display(loc) if ind is not None else "",
            }
        if self.message == NOTE_REEXPRESSED and len(self.items) == 2:
            numbers = self._trees(locale)
        elif self.day is not None:
            from learnsoc.rules._display import date_text

            numbers["date"] = date_text(self.day, normalize_locale(locale))
        if message == NOTE_NOT_ASSESSED_WITH_DATA:
            # Two counts, two agreements: those with data, then those never assessed.
            total = format_integer(eligible, loc)
            if ind is not None:
                numbers["eligible"] = ind.counted(total, eligible, loc)
            first = ngettext(*_WITH_DATA_FORMS, with_data, locale)
            template = first + " " + ngettext(*_NOT_ASSESSED_OF_THEM_FORMS, n, locale)
        elif message in _NOT_ASSESSED_FORMS and self.counts:
            template = ngettext(*_NOT_ASSESSED_FORMS[message], self.counts[0], locale)
        elif message in _ITEMS_FORMS and self.items:
            template = listing_note(message, len(self.items), locale)
        else:
            template = gettext(message, locale)
        return template.format(
            indicator=indicator, target=target, items=items, year=self.year, **numbers
        )

    def _trees(self, locale: str | None) -> dict[str, str]:
        """Name the trees of :data:`NOTE_REEXPRESSED`: the earlier, and the latest from its date."""
        old, new = (repr(name) for name in self.items)
        if self.day is not None:
            from learnsoc.rules._display import date_text

            day = date_text(self.day, normalize_locale(locale))
            new = gettext(_TREE_FROM, locale).format(tree=new, date=day)
        return {"old_tree": old, "new_tree": new}


def listing_note(message: str, n: int, locale: str | None = None) -> str:
    """Return the template of a note that lists ``n`` measures or units, agreeing with them.

    Examples
    --------
    >>> listing_note(NOTE_NOT_MEASURED, 1, "en")
    '{indicator}: not in the data (needs the measure {items})'
    >>> listing_note(NOTE_NOT_MEASURED, 2, "en")
    '{indicator}: not in the data (needs the measures {items})'
    """
    forms = _ITEMS_FORMS.get(message)
    return ngettext(*forms, n, locale) if forms is not None else gettext(message, locale)


def column_names(columns: Sequence[str]) -> str:
    """Name the data's columns in a note, as the file or schema writes them, in any locale.

    A translated label would not say which column to add ("thiếu cột số đạt"), nor can
    one be mixed with a raw name: every column is named the same way, in backticks.

    Examples
    --------
    >>> column_names(("newly_literate", "still_learning"))
    '`newly_literate`, `still_learning`'
    """
    return ", ".join(f"`{name}`" for name in columns)


def _not_measured(ind: Indicator, roll: Rollup) -> Note:
    """Say why an indicator is not measured: the data's missing columns, else its measures."""
    columns = ind.absent_columns(roll)
    if columns:
        return Note(NOTE_NO_COLUMNS, indicator=ind.id, items=columns)
    return Note(NOTE_NOT_MEASURED, indicator=ind.id, items=ind.absent_measures(roll))


_INT_COLUMNS = ("numerator", "denominator", "missing")
_COMPLETENESS_COLUMNS = ("units_reporting", "units_expected")
#: Members of the denominator never assessed for the title counted, the title's decided
#: verdicts and those decided on partial data (-1: not a title's).
_NOT_ASSESSED_COLUMNS = ("not_assessed", "decided", "partial_data")
_FLOAT_COLUMNS = ("value", "target", "target_upper", "gap", "trend", "required")


@attrs.frozen(eq=False)
class Progress(TidyExports):
    """Progress towards the targets of one year: one row per target and unit.

    Build it with :func:`progress`. ``columns`` holds the table (read-only arrays):

    * ``target_index`` (int32): index of the row's target in ``targets.targets``;
    * ``level``, ``unit_code``, ``unit_name``, ``parent_code`` (str; the total row
      has level ``"total"`` and an empty code and name);
    * ``numerator``, ``denominator``, ``missing`` (int64): the counts (the
      denominator excludes members whose value is missing);
    * ``value``, ``target``, ``target_upper``, ``gap``, ``trend``, ``required``
      (float64, in the indicator's units; NaN where undefined);
    * ``status`` (uint8): a :class:`Status` code;
    * ``units_reporting``, ``units_expected`` (int64): the units of the rollup's
      reporting level under the row that reported, and all of them (-1 when unknown:
      a yes/no target, or a rollup that does not know).

    Attributes
    ----------
    targets : TargetSet
        The targets assessed (those of ``year``).
    year : int
        The target year.
    observed_years : tuple of int
        The years of the observations (empty when a single rollup had no year).
    hierarchy : Hierarchy
        The tree of the latest rollup (for level names).
    notes : tuple of Note
        What was absent from the data.
    completeness : float
        The share of units that must report for a status to be *met* (else *met on
        incomplete data*).
    reporting_level : str or None
        The level whose units report (from the latest rollup).
    as_of : datetime.date or None
        The date the titles counted were decided as of, when known (``learnsoc report
        --as-of``): the report's subtitle says it ("titles as of December 31, 2025").
    rejects : CountedRejects or None
        The rows read, accepted, rejected (and skipped) per table of the files behind the
        figures, when known (``learnsoc report`` sets it: a dataset's build, or the files
        it read). Every form of the report (text, Markdown, HTML, JSON, Excel) says them
        when rows were rejected or skipped; not compared.

    Examples
    --------
    >>> tree = ls.Hierarchy.from_units({"code": ["02"], "name": ["Hà Giang"],
    ...     "level": ["province"], "parent_code": [None]}, levels=["province"])
    >>> roll = ls.rollup_counts({"unit_code": ["02"], "families": [187624],
    ...     "learning_families": [138068]}, tree)
    >>> targets = ls.load_targets("hanoi-23-nq-tu").select(indicators=["learning_families"])
    >>> prog = ls.progress(roll, targets, year=2025)
    >>> prog
    Progress('hanoi-23-nq-tu', 2025: 1 row; 1 met)
    >>> print(prog.columns["value"].round(2), prog.columns["target"])  # percent
    [73.59] [60.]
    """

    targets: TargetSet
    year: int
    observed_years: tuple[int, ...]
    hierarchy: Hierarchy = attrs.field(repr=False)
    columns: Mapping[str, NDArray[Any]] = attrs.field(eq=COLUMNS_EQ, repr=False)
    notes: tuple[Note, ...] = ()
    completeness: float = 1.0
    reporting_level: str | None = None
    as_of: dt.date | None = None
    rejects: Any = attrs.field(default=None, eq=False, repr=False)

    def __len__(self) -> int:
        return len(self.columns["status"])

    @property
    def observed_year(self) -> int | None:
        """The latest observed year (None when unknown)."""
        return self.observed_years[-1] if self.observed_years else None

    def statuses(self) -> list[Status]:
        """Return the status of each row as :class:`Status` members."""
        return [Status(int(code)) for code in self.columns["status"]]

    def target_of(self, row: int) -> Target:
        """Return the target of a row."""
        return self.targets.targets[int(self.columns["target_index"][row])]

    def indicator_of(self, row: int) -> Indicator | None:
        """Return the indicator of a row (None for yes/no targets)."""
        return self.targets.indicator_of(self.target_of(row))

    def level_names(self) -> list[str]:
        """Return the levels present, top first, then ``"total"``."""
        present = set(self.columns["level"].tolist())
        return [lv for lv in [*self.hierarchy.levels, TOTAL] if lv in present]

    def level_display(self, level: str, locale: str | None = None) -> str:
        """Return a level's name in the locale (``"total"`` translated)."""
        if level == TOTAL:
            return gettext(N_("total"), locale)
        return self.hierarchy.level_label(level, locale)

    def status_counts(self) -> dict[str, dict[str, int]]:
        """Count the rows of each status, per level.

        Returns
        -------
        dict
            ``{level: {status id: count}}``, levels top first then ``"total"``, every
            status present (zeros included), in :class:`Status` order.

        Examples
        --------
        >>> from learnsoc.targets import load_targets
        >>> from learnsoc.targets.progress import progress
        >>> h = ls.Hierarchy.from_units({"code": ["02"], "level": ["province"],
        ...     "parent_code": [None]}, levels=["province"])
        >>> roll = ls.rollup_counts({"unit_code": ["02"], "clans": [2263],
        ...     "learning_clans": [1564]}, h)
        >>> targets = load_targets("hanoi-23-nq-tu").select(indicators=["learning_clans"])
        >>> progress(roll, targets, year=2025).status_counts()["province"]["met"]
        1
        """
        levels = self.columns["level"]
        status = self.columns["status"]
        out: dict[str, dict[str, int]] = {}
        for lv in self.level_names():
            counts = np.bincount(status[levels == lv], minlength=len(Status))
            out[lv] = {s.id: int(counts[s]) for s in Status}
        return out

    def filter(
        self,
        *,
        level: str | Sequence[str] | None = None,
        indicator: str | Sequence[str] | None = None,
        status: Status | str | Sequence[Status | str] | None = None,
        unit: str | Sequence[str] | None = None,
    ) -> Progress:
        """Return the rows of some levels, indicators, statuses or unit codes.

        Examples
        --------
        >>> from learnsoc.targets import load_targets
        >>> from learnsoc.targets.progress import progress
        >>> pop = ls.synthetic_population(persons=3_000, seed=3)
        >>> from learnsoc.targets import standard_measures
        >>> roll = ls.rollup(pop, standard_measures(pop))
        >>> prog = progress(roll, load_targets("hanoi-23-nq-tu"), year=2025,
        ...                 levels=["province", "commune"])
        >>> communes = prog.filter(level="commune", indicator="literacy_15_60")
        >>> set(communes.columns["level"].tolist())
        {'commune'}
        """
        keep = np.ones(len(self), np.bool_)
        if level is not None:
            keep &= np.isin(self.columns["level"], _as_list(level))
        if indicator is not None:
            wanted = set(_as_list(indicator))
            per_target = np.array([t.indicator in wanted for t in self.targets.targets], np.bool_)
            keep &= per_target[self.columns["target_index"]] if len(per_target) else False
        if status is not None:
            codes = [s if isinstance(s, Status) else _status_from(s) for s in _as_list(status)]
            keep &= np.isin(self.columns["status"], [int(c) for c in codes])
        if unit is not None:
            keep &= np.isin(self.columns["unit_code"], _as_list(unit))
        return attrs.evolve(self, columns={k: readonly(v[keep]) for k, v in self.columns.items()})

    # -- rendering: the report floor draws these (imported when asked for) ------------
    def report(
        self,
        locale: str | None = None,
        *,
        rounding: str = "half_up",
        decimals: int | Mapping[str, int] | None = None,
    ) -> Report:
        """Return the progress table as a :class:`~learnsoc.report.Report` in the locale.

        Parameters
        ----------
        locale : str, optional
            ``"vi"`` or ``"en"`` (the default locale if None).
        rounding : {"half_up", "truncate", "half_even"}
            How shown numbers are rounded (never the counts): ``"truncate"`` matches
            official reports that cut decimals.
        decimals : int or mapping of indicator id to int, optional
            Decimals shown, instead of each indicator's own.
        """
        from learnsoc.report.report import Report

        return Report.from_progress(self, locale, rounding=rounding, decimals=decimals)

    def to_html(
        self,
        locale: str | None = None,
        *,
        rounding: str = "half_up",
        decimals: int | Mapping[str, int] | None = None,
        max_rows: int | None = None,
    ) -> str:
        """Return the report as an HTML fragment (every value escaped; ``max_rows`` at most)."""
        from learnsoc.report.report import Report

        report = Report.from_progress(
            self, locale, rounding=rounding, decimals=decimals, max_rows=max_rows
        )
        return report.to_html()

    def to_columns(self, locale: str | None = None) -> dict[str, NDArray[Any]]:
        """Return the tidy long table (one row per target and unit) as numpy columns.

        Columns: ``unit_code``, ``unit_name``, ``level``, ``parent_code``,
        ``indicator``, ``year``, ``numerator``, ``denominator``, ``value``, ``target``,
        ``gap``, ``status`` (status id), then ``target_id``, ``kind``,
        ``target_upper``, ``missing``, ``units_reporting``, ``units_expected``,
        ``completeness`` (their ratio), ``observed_year``, ``trend``, ``required``,
        ``uncertain``, ``indicator_label``, ``status_label`` and ``note`` (the target's
        note; all three in the locale).
        """
        from learnsoc.report.tables import progress_columns

        return progress_columns(self, locale)

    def to_json(
        self, path: str | os.PathLike[str] | None = None, *, locale: str | None = None
    ) -> str | None:
        """Write the targets' metadata and the tidy rows as JSON (UTF-8; NaN as null).

        Returns the text when ``path`` is None.
        """
        from learnsoc.report.tables import to_json

        return to_json(self, path, locale=locale)

    def plot(
        self,
        ax: Any = None,
        *,
        locale: str | None = None,
        indicator: str | None = None,
        level: str | None = None,
        max_bars: int = 30,
    ) -> Any:
        """Draw progress towards the targets as horizontal bars (needs matplotlib).

        Returns the matplotlib Axes (a new Figure's when ``ax`` is None; pyplot's state
        is never touched). See :func:`learnsoc.report.plot.plot_progress`.
        """
        from learnsoc.report.plot import plot_progress

        return plot_progress(
            self, ax, locale=locale, indicator=indicator, level=level, max_bars=max_bars
        )

    def __repr__(self) -> str:
        # Words and digits in the default locale: "2 not met" / "2 chưa đạt".
        loc = get_locale()
        counts = np.bincount(self.columns["status"], minlength=len(Status))
        # A status's words before their colon: "not applicable", not why, on one line.
        shown = ", ".join(
            f"{format_integer(int(counts[s]), loc)} "
            f"{s if loc == 'en' else s.display(loc).split(':')[0]}"
            for s in Status
            if counts[s]
        )
        observed = repr_words(", observed {year}", year=str(self.observed_year))
        rows = count_words("{n} row", "{n} rows", len(self))
        return (
            f"Progress({self.targets.id!r}, {self.year}{observed if self.observed_year else ''}"
            f": {rows}{'; ' + shown if shown else ''})"
        )


def _as_list(value: Any) -> list[Any]:
    return [value] if isinstance(value, str | Status) else list(value)


def _status_from(name: str) -> Status:
    key = name.strip().lower().replace(" ", "_")
    try:
        return Status[key.upper()]
    except KeyError:
        ids = [s.id for s in Status]
        msg = Message(N_("unknown status {name!r}{hint}"), name=name, hint=did_you_mean(key, ids))
        raise TargetError(str(msg)).translatable(msg) from None


# -- computing progress ---------------------------------------------------------------


def _observations(roll: Observations) -> list[tuple[int | None, Rollup]]:
    if isinstance(roll, Rollup):
        return [(None, roll)]
    pairs = list(roll.items()) if isinstance(roll, Mapping) else list(roll)
    if not pairs:
        msg = Message(N_("no observations: pass a Rollup or (year, Rollup) pairs"))
        raise TargetError(str(msg)).translatable(msg)
    out: list[tuple[int, Rollup]] = []
    for pair in pairs:
        if (
            not isinstance(pair, tuple)
            or len(pair) != 2
            or isinstance(pair[0], bool)
            or not isinstance(pair[0], int | np.integer)
            or not isinstance(pair[1], Rollup)
        ):
            msg = Message(
                N_("observations must be (year, Rollup) pairs; got {value!r:.80}"), value=pair
            )
            raise TargetError(str(msg)).translatable(msg)
        out.append((int(pair[0]), pair[1]))
    years = [y for y, _ in out]
    if len(set(years)) != len(years):
        msg = Message(N_("each year may be observed once; got years {years}"), years=sorted(years))
        raise TargetError(str(msg)).translatable(msg)
    return [(year, r) for year, r in sorted(out, key=lambda p: p[0])]


def _levels_compared(targets: TargetSet, levels: Sequence[str] | None) -> set[str] | None:
    """Return the levels whose rows progress compares across years (None: every level)."""
    if levels is not None:
        return set(levels)
    out = set()
    for t in targets:
        if t.units or t.level is None:  # units named by code, or rows at every level
            return None
        out.add(t.level)
    return out


def _keys(roll: Rollup) -> NDArray[np.str_]:
    return np.char.add(np.char.add(roll.levels(), "\x1f"), roll.codes())


def _pick_year(targets: TargetSet, latest: int | None) -> int:
    years = targets.years
    if not years:
        msg = Message(N_("target set {target_set!r} has no targets"), target_set=targets.id)
        raise TargetError(str(msg)).translatable(msg)
    if latest is None:
        return years[0]
    ahead = [y for y in years if y >= latest]
    return ahead[0] if ahead else years[-1]


def _cross_compare(
    num: NDArray[np.int64],
    den: NDArray[np.int64],
    num_b: NDArray[np.int64],
    den_b: NDArray[np.int64],
    op: str,
) -> NDArray[np.bool_]:
    """num/den op num_b/den_b, exactly (positive denominators)."""
    top = max(int(np.abs(num).max(initial=0)), int(np.abs(num_b).max(initial=0)))
    big = max(int(den.max(initial=0)), int(den_b.max(initial=0)))
    left_num, right_num, left_den, right_den = num, num_b, den_b, den
    if top * big >= 2**63:
        left_num, right_num = num.astype(object), num_b.astype(object)
        left_den, right_den = den_b.astype(object), den.astype(object)
    left = left_num * left_den
    right = right_num * right_den
    result = {
        ">=": left >= right,
        ">": left > right,
        "<=": left <= right,
        "<": left < right,
    }[op]
    return np.asarray(result, dtype=np.bool_)


def _exact_gap(rate: Rate, fraction: Fraction, factor: int) -> NDArray[np.float64]:
    """(numerator × factor ÷ denominator) - threshold, with a single rounding at the end."""
    p, q = fraction.numerator * factor, fraction.denominator
    num, den = rate.numerator, rate.denominator
    top = int(num.max(initial=0)) * factor * q + abs(p) * int(den.max(initial=0))
    if top >= 2**62:
        num, den = num.astype(object), den.astype(object)
    diff = num * (factor * q) - den * p
    out = np.full(len(rate), np.nan)
    ok = rate.denominator > 0
    out[ok] = np.asarray(diff[ok], dtype=np.float64) / np.asarray(den[ok] * q, dtype=np.float64)
    return out


def _values(rate: Rate, factor: int) -> NDArray[np.float64]:
    out = np.full(len(rate), np.nan)
    np.divide(rate.numerator * factor, rate.denominator, out=out, where=rate.denominator > 0)
    return out


class _Computer:
    """Evaluate every target over the rows of the latest rollup."""

    def __init__(
        self,
        obs: list[tuple[int | None, Rollup]],
        targets: TargetSet,
        year: int,
        completeness: float = 1.0,
    ) -> None:
        self.obs = obs
        self.completeness = completeness
        self.targets = targets
        self.year = year
        self.latest_year, self.latest = obs[-1]
        self.levels = self.latest.levels()
        self.codes = self.latest.codes()
        self.notes: list[Note] = []
        #: The title measures whose partial-data note is given (once per title).
        self.partial_noted: set[str] = set()
        #: Indicators whose partial-data counts the rollup did not record (one note says it).
        self.partial_unrecorded: list[str] = []
        keys = _keys(self.latest)
        self.positions = [align(keys, _keys(r)) for _, r in obs]
        self.rates: dict[tuple[str, int], Rate | None] = {}

    def rate(self, ind: Indicator, k: int) -> Rate | None:
        """Return the indicator's rate in observation k, aligned with the latest rows."""
        key = (ind.id, k)
        if key not in self.rates:
            rate = ind.observe(self.obs[k][1])
            if rate is not None and k != len(self.obs) - 1:
                pos = self.positions[k]
                zero = np.zeros(len(pos), np.int64)
                at = np.maximum(pos, 0)
                present = pos >= 0
                rate = Rate(
                    numerator=np.where(present, rate.numerator[at], zero),
                    denominator=np.where(present, rate.denominator[at], zero),
                    missing=np.where(present, rate.missing[at], zero),
                )
            self.rates[key] = rate
        return self.rates[key]

    def incomplete(self, k: int) -> NDArray[np.bool_] | None:
        """Return the latest rows whose units did not all report in observation k.

        None when the rollup does not know its units reporting (microdata without a
        reporting level). Rows absent from observation k are not incomplete: they have no
        figure there at all.
        """
        done = self.obs[k][1].completeness()
        if done is None:
            return None
        short = np.asarray(done.numerator < done.denominator)
        if k == len(self.obs) - 1:
            return short
        pos = self.positions[k]
        return np.where(pos >= 0, short[np.maximum(pos, 0)], False)

    def abolished(self, t: Target) -> tuple[str, bool] | None:
        """Return the abolished level a target counts, and whether the figures postdate its end.

        They do on a tree that starts after the level ended, and on a tree that still has
        it when the title counted was not in force on the date the titles were decided as
        of, a day after the level ended.
        """
        level = t.subject_level(self.targets.indicator_of(t), tuple(ABOLISHED_LEVELS))
        if level is None or level not in ABOLISHED_LEVELS:
            return None
        tree = self.latest.hierarchy
        ended = ABOLISHED_LEVELS[level]
        if level in tree.levels:
            # The tree still has the level, but the title counted was decided as of a day
            # the level was gone: not in force then (the learning district from 1/7/2025,
            # Decree 142/2025/NĐ-CP), so no district could hold it, as on the later tree.
            day = self.not_in_force(self.targets.indicator_of(t)) if t.computed else None
            return level, day is not None and day >= ended

        spec = tree.spec
        # A tree without the level is "after" when it starts on or after the day the level
        # ended, or (a tree without dates) when the data are of its year or later: data of a
        # year describe its end, as a tree with the level is flagged for 2025 (NOTE_OLD_TREE).
        after = (spec.valid_from is not None and spec.valid_from >= ended) or (
            self.latest_year is not None and self.latest_year >= ended.year
        )
        return (level, True) if after else None

    def undated(self, t: Target) -> str | None:
        """Return the abolished level a target counts when nothing dates the tree lacking it.

        A tree without the level and without dates, with no year given, may be a tree of
        before the reform that stops above districts or one of after it: which cannot be
        told, so neither "no data" nor "not applicable" is right.
        """
        level = t.subject_level(self.targets.indicator_of(t), tuple(ABOLISHED_LEVELS))
        if level is None or level not in ABOLISHED_LEVELS:
            return None
        spec = self.latest.hierarchy.spec
        if level in spec.names or self.latest_year is not None:
            return None
        if spec.valid_from is not None or spec.valid_until is not None:
            return None
        return level

    def rows(self, t: Target, levels: Sequence[str] | None) -> NDArray[np.intp]:
        if levels is not None:
            return np.flatnonzero(np.isin(self.levels, list(levels)))
        gone = self.abolished(t)
        if gone is not None and gone[1] and t.level == gone[0]:
            # Its units no longer exist: one row, on the whole data, says so.
            return np.flatnonzero(self.levels == TOTAL)
        if t.units:
            self._units_before_reform(t)
            unit_rows = np.isin(self.codes, list(t.units)) & (self.levels != TOTAL)
            absent = sorted(set(t.units) - set(self.codes[unit_rows].tolist()))
            if absent:
                self.notes.append(Note(NOTE_UNKNOWN_UNITS, target=t.id, items=tuple(absent)))
            return np.flatnonzero(unit_rows)
        if t.level is not None:
            _check_level(t.level, self.latest.hierarchy, t.id)
            return np.flatnonzero(self.levels == t.level)
        return np.flatnonzero(self.levels != TOTAL)

    def _units_before_reform(self, t: Target) -> None:
        """Note a target naming units by codes of before the 2025 reform, on a later tree.

        The lists of 1/7/2025 reuse old codes for merged units (the new Tuyên Quang is
        "08", the old Hà Giang "02" is gone): the unit a code names there may hold others,
        or be none, so the figure is not the one the target was set for.
        """
        written = self.targets.date
        start = self.latest.hierarchy.spec.valid_from
        if written is None or start is None:
            return
        if written < REFORM_DATE <= start:
            note = Note(NOTE_UNITS_BEFORE_REFORM, target=t.id, items=t.units, year=written.year)
            self.notes.append(note)

    def not_in_force(self, ind: Indicator | None) -> dt.date | None:
        """Return the date the indicator's title is not in force on, if it is not counted."""
        if ind is None or ind.numerator in self.latest.counts:
            return None
        return self.latest.not_in_force.get(ind.numerator)

    def evaluate(
        self, t: Target, rows: NDArray[np.intp], assessments: Assessments
    ) -> dict[str, NDArray[Any]]:
        n = len(rows)
        out: dict[str, NDArray[Any]] = {name: np.zeros(n, np.int64) for name in _INT_COLUMNS}
        out.update({name: np.full(n, np.nan) for name in _FLOAT_COLUMNS})
        status = np.full(n, Status.NO_DATA, np.uint8)
        out["status"] = status
        for name in (*_COMPLETENESS_COLUMNS, *_NOT_ASSESSED_COLUMNS):
            out[name] = np.full(n, -1, np.int64)
        ind = self.targets.indicator_of(t)
        undated = self.undated(t)
        if undated is not None:
            status[:] = Status.TREE_UNDATED
            self.notes.append(Note(NOTE_TREE_UNDATED, target=t.id, items=(undated,)))
            fraction = t.fraction(ind) if ind is not None and t.computed else None
            if fraction is not None and ind is not None:
                out["target"][:] = float(fraction * ind.factor)
            return out
        gone = self.abolished(t)
        if gone is not None and gone[1]:
            status[:] = Status.ABOLISHED
            fraction = t.fraction(ind) if ind is not None and t.computed else None
            if fraction is not None and ind is not None:
                out["target"][:] = float(fraction * ind.factor)
            return out
        day = self.not_in_force(ind) if t.computed else None
        if day is not None and ind is not None:
            # Nobody could hold the title on the date: not "no data", nor a district note.
            status[:] = Status.NOT_IN_FORCE
            fraction = t.fraction(ind)
            if fraction is not None:
                out["target"][:] = float(fraction * ind.factor)
            self.notes.append(Note(NOTE_TITLE_NOT_IN_FORCE, indicator=ind.id, day=day))
            return out
        if gone is not None and (
            (t.year is not None and t.year >= ABOLISHED_LEVELS[gone[0]].year)
            or (self.latest_year is not None and self.latest_year >= ABOLISHED_LEVELS[gone[0]].year)
        ):
            self.notes.append(Note(NOTE_OLD_TREE, target=t.id))
        if not t.computed or ind is None:
            status[:] = self._assessed(t, rows, assessments)
            return out
        if t.kind == "range" and t.upper is not None:
            out["target_upper"][:] = float(t.upper)
        latest_k = len(self.obs) - 1
        rate = self.rate(ind, latest_k)
        if rate is None:
            # No unit reported it: "200 of 200 villages" beside "no data" would say they did.
            self.notes.append(_not_measured(ind, self.latest))
            return out
        done = self.latest.completeness()
        if done is not None and n:
            out["units_reporting"][:] = done.numerator[rows]
            out["units_expected"][:] = done.denominator[rows]
        rate = rate[rows] if n else Rate.zeros(0)
        out["numerator"][:] = rate.numerator
        out["denominator"][:] = rate.denominator
        out["missing"][:] = rate.missing
        self._not_assessed(ind, rows, rate, out)
        self._partial_data(ind, rows, out)
        value = _values(rate, ind.factor)
        out["value"][:] = value
        op = t.operator(ind)
        has_data = rate.status == RateStatus.OK
        fraction = t.fraction(ind)
        if fraction is not None:
            met = rate.compare(op, fraction)  # type: ignore[arg-type]
            threshold = np.full(n, float(fraction * ind.factor))
        else:
            met, threshold, base_ok = self._baseline(t, ind, rows, rate, op)
            has_data &= base_ok
        out["target"][:] = threshold
        gap = value - threshold if fraction is None else _exact_gap(rate, fraction, ind.factor)
        out["gap"][:] = np.where(has_data, gap, np.nan)
        status[:] = np.where(met & has_data, Status.MET, Status.NOT_MET)
        status[~has_data] = Status.NO_DATA
        self._trend(t, ind, rows, out, has_data, op)
        if done is not None:
            status[(status == Status.MET) & self._incomplete(out)] = Status.MET_INCOMPLETE
        return out

    def _not_assessed(
        self, ind: Indicator, rows: NDArray[np.intp], rate: Rate, out: dict[str, NDArray[Any]]
    ) -> None:
        """Count, per row, the members of a title's share never assessed for the title.

        A share of all families counts the families never assessed (not registered) as
        not learning families, where the titles table divides by the assessed ones: two
        figures for one title. The column says how many, and a note gives both figures.
        """
        never = self.latest.counts.get(f"{ind.numerator}_not_assessed")
        if never is None or not len(rows):
            return
        gap = np.asarray(never, np.int64)[rows]
        out["not_assessed"][:] = gap
        # The rows of one level hold every member once: the note counts those of the first.
        pick = self.levels[rows] == self.levels[rows[0]]
        if not gap[pick].any():
            return
        eligible = int((rate.denominator + rate.missing)[pick].sum())
        # Those with data are the assessed with a verdict and the never assessed.
        decided = int((rate.denominator - gap)[pick].sum())
        missing = int(rate.missing[pick].sum())  # left out of the share's base
        granted = int(rate.numerator[pick].sum())
        counts = (int(gap[pick].sum()), eligible, decided, granted, missing)
        self.notes.append(Note(NOTE_NOT_ASSESSED, indicator=ind.id, counts=counts))

    def _partial_data(
        self, ind: Indicator, rows: NDArray[np.intp], out: dict[str, NDArray[Any]]
    ) -> None:
        """Count, per row, a title's decided verdicts and those decided on partial data.

        The note says it once per title, for the whole data, as the titles table does
        ("94 of the 200 villages were decided on the families with data; 106 other villages
        on complete data").
        """
        counts = self.latest.counts
        decided = counts.get(f"{ind.numerator}_decided")
        partial = counts.get(f"{ind.numerator}_partial_data")
        if decided is not None and partial is not None and len(rows):
            out["decided"][:] = np.asarray(decided, np.int64)[rows]
            out["partial_data"][:] = np.asarray(partial, np.int64)[rows]
        if ind.numerator in self.partial_noted:
            return  # the variants of one title (of all families, of registered) say it once
        said = partial_data_of(self.latest, ind)
        if isinstance(said, PartialData):
            self.partial_noted.add(ind.numerator)
            counted = (said.n, said.decided)
            items = (said.level, *said.members)
            self.notes.append(
                Note(NOTE_PARTIAL_DATA, indicator=ind.id, items=items, counts=counted)
            )
        elif said is not None:
            self.partial_noted.add(ind.numerator)
            self.partial_unrecorded.append(ind.id)

    def _incomplete(self, out: dict[str, NDArray[Any]]) -> NDArray[np.bool_]:
        """Rows where fewer units reported than the threshold asks (compared exactly)."""
        share = Fraction(repr(self.completeness))  # 0.9 is 9/10, not a binary fraction
        reporting, expected = out["units_reporting"], out["units_expected"]
        short = reporting * share.denominator < expected * share.numerator
        return np.asarray((expected > 0) & short, dtype=np.bool_)

    def _baseline(
        self, t: Target, ind: Indicator, rows: NDArray[np.intp], rate: Rate, op: str
    ) -> tuple[NDArray[np.bool_], NDArray[np.float64], NDArray[np.bool_]]:
        n = len(rows)
        years = [y for y, _ in self.obs]
        if t.baseline_year not in years:
            self.notes.append(Note(NOTE_NO_BASELINE, target=t.id, year=t.baseline_year))
            return np.zeros(n, np.bool_), np.full(n, np.nan), np.zeros(n, np.bool_)
        base = self.rate(ind, years.index(t.baseline_year))
        if base is None:
            self.notes.append(_not_measured(ind, self.latest))
            return np.zeros(n, np.bool_), np.full(n, np.nan), np.zeros(n, np.bool_)
        base = base[rows] if n else Rate.zeros(0)
        ok = base.status == RateStatus.OK
        met = (
            _cross_compare(rate.numerator, rate.denominator, base.numerator, base.denominator, op)
            & ok
            & (rate.denominator > 0)
        )
        return met, _values(base, ind.factor), ok

    def _trend(
        self,
        t: Target,
        ind: Indicator,
        rows: NDArray[np.intp],
        out: dict[str, NDArray[Any]],
        has_data: NDArray[np.bool_],
        op: str,
    ) -> None:
        if self.latest_year is None:
            return
        status = out["status"]
        pending = (status == Status.NOT_MET) & has_data
        left = self.year - self.latest_year
        required = (out["target"] - out["value"]) / left if left > 0 else np.full(len(rows), np.nan)
        out["required"][:] = np.where(pending, required, np.nan)
        if len(self.obs) < 2:
            return
        years = [y for y, _ in self.obs]
        series = np.full((len(years), len(rows)), np.nan)
        for k in range(len(years)):
            rate = self.rate(ind, k)
            if rate is not None and len(rows):
                series[k] = _values(rate[rows], ind.factor)
            short = self.incomplete(k) if k < len(years) - 1 and len(rows) else None
            if short is not None:
                # A figure of fewer units than the row holds (a merged commune one of whose
                # old communes sent nothing) is on another footing than the latest one.
                cut = short[rows] & np.isfinite(series[k])
                if cut.any():
                    series[k, cut] = np.nan
                    units = unit_list(self.latest, self.codes[rows[cut]])
                    note = Note(NOTE_TREND_INCOMPLETE, indicator=ind.id, items=units, year=years[k])
                    self.notes.append(note)
        slope = least_squares_slope(np.asarray(years), series)
        out["trend"][:] = slope
        if left <= 0:
            return
        higher = op in (">=", ">")
        with np.errstate(invalid="ignore"):
            on_track = slope >= required if higher else slope <= required
        judged = pending & np.isfinite(slope)
        status[judged & on_track] = Status.ON_TRACK
        status[judged & ~on_track] = Status.OFF_TRACK

    def _assessed(
        self, t: Target, rows: NDArray[np.intp], assessments: Assessments
    ) -> NDArray[np.uint8]:
        status = np.full(len(rows), Status.NOT_ASSESSED, np.uint8)
        answer = assessments.get(t.id)
        if answer is None:
            return status
        if isinstance(answer, bool | np.bool_):
            status[:] = Status.MET if answer else Status.NOT_MET
            return status
        codes = self.codes[rows]
        for code, value in answer.items():
            status[codes == code] = Status.MET if value else Status.NOT_MET
        return status


def _check_level(level: str, hierarchy: Hierarchy, target: str | None = None) -> None:
    """Check a level of ``levels=`` (or of the target ``target``, when one is named)."""
    valid = [*hierarchy.levels, TOTAL]
    if level not in valid:
        if target is None:
            template = N_(
                "levels: level {level!r} is not a level of the data{hint}; "
                "pass levels=[...] to progress() to choose the levels to assess"
            )
        else:
            template = N_(
                "target {target!r}: level {level!r} is not a level of the data{hint}; "
                "pass levels=[...] to progress() to choose the levels to assess"
            )
        msg = Message(template, target=target, level=level, hint=did_you_mean(level, valid))
        raise TargetError(str(msg)).translatable(msg)


def progress(
    roll: Observations,
    targets: TargetSet,
    *,
    year: int | None = None,
    levels: Sequence[str] | None = None,
    assessments: Assessments | None = None,
    crosswalk: Crosswalk | None = None,
    completeness: float = 1.0,
) -> Progress:
    """Compare observations with the targets of one year, per unit and target.

    Parameters
    ----------
    roll : Rollup, mapping of year to Rollup, or sequence of (year, Rollup)
        What was observed. With two or more years, progress also has the trend and the
        yearly change required, and the statuses *on track* and *off track*. The
        latest rollup gives the rows; earlier ones over a tree of the same version are
        matched by level and unit code, earlier ones over another tree need a
        ``crosswalk``.
    targets : TargetSet
        For example ``load_targets("hanoi-23-nq-tu")``.
    year : int, optional
        The target year to assess. By default the first target year not before the
        latest observation (the first target year when observation years are unknown).
    levels : sequence of str, optional
        Assess every target at these levels (``"total"`` is the whole data) instead of
        the level each target names: ``levels=["commune"]`` holds every commune to the
        city's targets.
    assessments : mapping, optional
        Answers to yes/no targets, by target id: ``True``/``False`` for every unit, or
        ``{unit_code: bool}``. Targets without an answer are *not assessed*.
    crosswalk : Crosswalk, optional
        From the tree of earlier rollups to the latest rollup's tree (the 2025 reform):
        their counts are re-expressed in the latest tree, exactly, as
        :meth:`Crosswalk.apply` does, then compared unit by unit.
    completeness : float
        The share (0 to 1) of the units expected to report (the rollup's reporting level:
        communes of a counts table, villages of microdata) that must have reported under
        a row for its status to be *met*; below it, a row that reaches its target is
        *met on incomplete data*. By default complete data are required. Every row keeps
        its units reporting and expected, and a note lists the units that did not report.

    Returns
    -------
    Progress

    Raises
    ------
    TargetError
        If no target has that year, a level is unknown, an assessment names an unknown
        target, ``completeness`` is not a number from 0 to 1, or the counts do not fit an
        indicator.
    HierarchyError
        If rollups over two different trees are compared without a crosswalk, or one is
        over a tree the crosswalk does not join to the latest one.

    Warns
    -----
    HierarchyDateWarning
        When a rollup's year lies outside the dates of its tree.

    Examples
    --------
    >>> from learnsoc.targets import load_targets
    >>> h = ls.Hierarchy.from_units({"code": ["02"], "name": ["Hà Giang"],
    ...     "level": ["province"], "parent_code": [None]}, levels=["province"])
    >>> def counts(units, learning):
    ...     return ls.rollup_counts({"unit_code": ["02"], "units": [units],
    ...                              "learning_units": [learning]}, h)
    >>> by_year = {2022: counts(800, 300), 2024: counts(834, 380)}
    >>> targets = load_targets("hanoi-23-nq-tu").select(indicators=["learning_units"])
    >>> prog = progress(by_year, targets, year=2025)
    >>> str(prog.statuses()[0]), round(float(prog.columns["trend"][0]), 2)
    ('off track', 4.03)
    >>> round(float(prog.columns["required"][0]), 2)  # (50 - 45.56) / (2025 - 2024)
    4.44

    With one of two communes' rows rejected, the province is not simply *met*:

    >>> h2 = ls.Hierarchy.from_units({"code": ["01", "00001", "00002"],
    ...     "name": ["Tỉnh A", "Xã Một", "Xã Hai"], "level": ["province", "commune", "commune"],
    ...     "parent_code": [None, "01", "01"]}, levels=["province", "commune"])
    >>> roll = ls.rollup_counts({"unit_code": ["00001", "00002"], "families": [980, 500],
    ...     "learning_families": [701, -3]}, h2)
    >>> families = load_targets("hanoi-23-nq-tu").select(indicators=["learning_families"])
    >>> prog = progress(roll, families, year=2025, levels=["province"])
    >>> str(prog.statuses()[0]), prog.columns["units_reporting"].tolist()
    ('met incomplete', [1])
    >>> half = progress(roll, families, year=2025, levels=["province"], completeness=0.5)
    >>> str(half.statuses()[0])
    'met'
    """
    check_argument(roll, "roll", (Rollup, Mapping, list, tuple), A_ROLLUP)
    check_argument(targets, "targets", TargetSet, A_TARGET_SET)
    threshold = _check_completeness(completeness)
    observed = _observations(roll)
    if year is None:
        year = _pick_year(targets, observed[-1][0])
    chosen = targets.select(year=year)
    obs, not_moved, reexpressed = align_trees(observed, crosswalk, _levels_compared(chosen, levels))
    latest_year = obs[-1][0]
    if not len(chosen):
        years = ", ".join(str(y) for y in targets.years)
        msg = Message(
            N_("target set {target_set!r} has no targets for {year}; its years are {years}"),
            target_set=targets.id,
            year=year,
            years=years,
        )
        raise TargetError(str(msg)).translatable(msg)
    hierarchy = obs[-1][1].hierarchy
    if levels is not None:
        # By id or in words, as the command line's --level takes them (levels=["tỉnh"]).
        levels = [level_named(str(lv), [*hierarchy.spec.levels, TOTAL]) or lv for lv in levels]
        for lv in levels:
            _check_level(lv, hierarchy)
    answers = dict(assessments or {})
    for key in answers:
        if key not in targets.ids():
            msg = Message(
                N_("assessments: no target {target!r}{hint}"),
                target=key,
                hint=did_you_mean(key, targets.ids()),
            )
            raise TargetError(str(msg)).translatable(msg)
    computer = _Computer(obs, chosen, year, threshold)
    # Only the measures a target reads: the count of districts of 2024, which has no place
    # on the tree of 1/7/2025 and which no target there reads, is not a gap in the trend.
    read = {
        m
        for t in chosen.targets
        if t.computed and (ind := chosen.indicator_of(t)) is not None
        for m in ind.measures()
    }
    latest_spec = obs[-1][1].hierarchy.spec
    for moved_year, tree in reexpressed:
        computer.notes.append(
            Note(
                NOTE_REEXPRESSED,
                items=(tree.name, latest_spec.name),
                year=moved_year,
                day=latest_spec.valid_from,
            )
        )
    for moved_year, names in not_moved:
        lost = tuple(name for name in names if name in read)
        if lost:
            computer.notes.append(Note(NOTE_NOT_MOVED, items=lost, year=moved_year))
    parts: list[dict[str, NDArray[Any]]] = []
    for i, t in enumerate(chosen.targets):
        rows = computer.rows(t, levels)
        part = computer.evaluate(t, rows, answers)
        part["target_index"] = np.full(len(rows), i, np.int32)
        part["row"] = rows
        parts.append(part)
    columns = _assemble(parts, computer.latest)
    # Rows of districts for data of 2025 or later (or, undated, a target year from 2025)
    # describe units the reform abolished on 1/7/2025, whatever the target counts.
    shown = set(columns["level"].tolist())
    when = latest_year if latest_year is not None else year
    for level, ended in ABOLISHED_LEVELS.items():
        if level in shown and when >= ended.year:
            computer.notes.append(Note(NOTE_OLD_TREE_ROWS, items=(level,), year=when))
    for t in targets.undated():
        label = t.labels or {loc: t.display(targets.indicator_of(t), loc) for loc in ("vi", "en")}
        computer.notes.append(Note(NOTE_UNDATED, target=t.id, year=year, labels=label))
    if computer.partial_unrecorded:
        computer.notes.append(
            Note(NOTE_PARTIAL_UNRECORDED, items=tuple(computer.partial_unrecorded))
        )
    known_years = tuple(y for y, _ in obs if y is not None)
    latest = obs[-1][1]
    absent = latest.not_reporting()
    if len(absent):
        computer.notes.append(Note(NOTE_NOT_REPORTING, items=unit_list(latest, absent)))
    notes = tuple(dict.fromkeys(computer.notes))
    from learnsoc.rejects import rows_behind

    return Progress(
        chosen,
        year,
        known_years,
        hierarchy,
        columns,
        notes,
        threshold,
        latest.reporting_level,
        rejects=rows_behind(latest.rejects),
    )


def _check_completeness(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        msg = Message(
            N_(
                "completeness must be a number from 0 to 1 (1 = every unit reported), got {value!r}"
            ),
            value=value,
        )
        raise TargetError(str(msg)).translatable(msg)
    share = float(value)
    if not 0.0 <= share <= 1.0:
        msg = Message(
            N_("completeness must be from 0 to 1 (1 = every unit reported), got {value!r}"),
            value=value,
        )
        raise TargetError(str(msg)).translatable(msg)
    return share


def unit_list(roll: Rollup, codes: NDArray[np.str_]) -> tuple[str, ...]:
    """Name the first units (``Xã Hai (00002)``) and count the rest (``+3``).

    Examples
    --------
    >>> roll = ls.rollup(ls.synthetic_population(persons=300, seed=1), {})
    >>> roll.hierarchy.codes[:2].tolist()
    ['01', '00001']
    >>> unit_list(roll, roll.hierarchy.codes[:2])
    ('Tỉnh 01 (01)', 'Phường 00001 (00001)')
    """
    h = roll.hierarchy
    shown = codes[:MAX_LISTED_UNITS]
    lev, local = h.locate(shown)
    names = h.names[(h.starts[lev] + local).astype(np.int64)]
    items = [
        f"{name} ({code})" if name and name != code else str(code)
        for name, code in zip(names.tolist(), shown.tolist(), strict=True)
    ]
    if len(codes) > MAX_LISTED_UNITS:
        items.append(f"+{len(codes) - MAX_LISTED_UNITS}")
    return tuple(items)


def _assemble(parts: list[dict[str, NDArray[Any]]], latest: Rollup) -> dict[str, NDArray[Any]]:
    """Join the targets' rows and sort them by level, unit (tree order) and target."""
    names = ["target_index", "row", *_INT_COLUMNS, *_FLOAT_COLUMNS, "status"]
    names += (*_COMPLETENESS_COLUMNS, *_NOT_ASSESSED_COLUMNS)
    joined = {name: np.concatenate([p[name] for p in parts]) for name in names}
    # Rollup rows are in level order, then the tree's order: sort by row, then target.
    order = np.lexsort((joined["target_index"], joined["row"]))
    rows = joined.pop("row")[order]
    columns: dict[str, NDArray[Any]] = {name: readonly(arr[order]) for name, arr in joined.items()}
    levels = latest.levels()[rows]
    columns["level"] = readonly(levels)
    columns["unit_code"] = readonly(latest.codes()[rows])
    names_at = latest.hierarchy.names[np.maximum(latest.rows[rows], 0)]
    columns["unit_name"] = readonly(np.where(levels == TOTAL, "", names_at))
    columns["parent_code"] = readonly(latest.parent_codes()[rows])
    return columns
