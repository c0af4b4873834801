"""Results tables: the rate of each indicator per unit, without targets.

The most common publication of the movement is a plain table of results: for every unit
and indicator, "số đạt / tổng số" and the rate ("138.068 / 187.624 gia đình  73,58%").
:func:`results` computes it from a :class:`~learnsoc.aggregate.rollup.Rollup` (from
microdata with :func:`learnsoc.rollup` or from reported counts with
:func:`learnsoc.rollup_counts`); the :class:`Results` it returns renders like
:class:`~learnsoc.Progress` (text, Markdown, HTML, CSV, JSON, pandas, a bar chart), in
Vietnamese or English, with per-indicator decimals and the rounding official reports use.
Every rendering names the denominator of each rate ("of all families"); indicators whose
denominator the sources leave open are flagged uncertain with the reason.

Rates are computed from the counts summed at each row, never by averaging children's
rates; rounding is for display only.

Examples
--------
>>> h = ls.Hierarchy.from_units({"code": ["02"], "name": ["Hà Giang"], "level": ["province"],
...     "parent_code": [None]}, levels=["province"])
>>> roll = ls.rollup_counts({"unit_code": ["02"], "families": [187624],
...     "learning_families": [138068]}, h)
>>> res = results(roll, ["learning_families"], year=2024)
>>> res.report("vi", rounding="truncate").sections[0].rows[0].cells
('Hà Giang (02)', 'Tỷ lệ Gia đình học tập', '138.068 / 187.624 gia đình', '73,58%', \
'tổng số gia đình', '1/1 tỉnh, thành phố')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc._arrays import COLUMNS_EQ, readonly
from learnsoc._messages import Message
from learnsoc._reprs import count_words, repr_words
from learnsoc._tidy import TidyExports
from learnsoc.aggregate.breakdown import Group
from learnsoc.aggregate.rollup import Rollup
from learnsoc.errors import did_you_mean
from learnsoc.i18n import N_, get_locale, gettext, normalize_locale
from learnsoc.model.hierarchy import ABOLISHED_LEVELS, level_named
from learnsoc.targets._partial import PartialData, partial_data_of, unrecorded_text
from learnsoc.targets.indicators import INDICATORS, Indicator, TargetError, indicator
from learnsoc.targets.progress import (
    NOTE_NO_COLUMNS,
    NOTE_NOT_MEASURED,
    NOTE_NOT_REPORTING,
    NOTE_OLD_TREE,
    NOTE_TITLE_NOT_IN_FORCE,
    TOTAL,
    column_names,
    listing_note,
    unit_list,
)

#: A rate of a title of a level the 2025 reform ended, decided as of a later day on the
#: tree that still has the level: the title is not in force, and no unit could hold it.
NOTE_LEVEL_ABOLISHED_BY_DATE = N_(
    "{indicator}: not applicable: the district level and its recognition procedure were "
    "abolished on 1/7/2025 (Decree 142/2025/NĐ-CP), so no district holds the title on {date}"
)

#: A rate over the units of a level the 2025 reform ended, on a tree after it.
NOTE_LEVEL_ABOLISHED = N_(
    "{indicator}: not applicable: the district level was abolished on 1/7/2025, so the data's "
    "tree has no districts to count"
)

#: The status of each row of a results table (the ``status`` column of CSV, JSON, pandas
#: and Excel): its stable id, for scripts, and its words (``status_label``, in the locale).
#: The first four say the rate was computed or why its value is empty; the others, why
#: the row has no counts at all (empty cells, never "0 / 0").
RESULT_STATUSES: Mapping[str, str] = {
    "ok": N_("computed"),
    "incomplete": N_("computed on the units that reported"),
    "empty": N_("nobody to count"),
    "missing": N_("no value recorded"),
    "not_reported": N_("not reported"),
    "not_measured": N_("not in the data"),
    "not_in_force": N_("not in force"),
    "abolished": N_("not applicable: the district level was abolished on 1/7/2025"),
    "not_applicable": N_("not applicable at this level"),
}

#: Units of a rollup read back whose own part is in no total: their rows were rejected.
NOTE_OWN_NOT_READ = N_(
    "Totals lacking a unit's own part (its figure less its units' rows: its organisations, "
    "its title), its row being rejected: the totals of {items} and those above them"
)

NOTE_UNITS_REJECTED = (
    N_(
        "{n} row of the units table was rejected: that unit's figures, and those of the "
        'units under it, are in no total, and "units reporting" counts the units '
        "accepted only"
    ),
    N_(
        "{n} rows of the units table were rejected: those units' figures, and those of the "
        'units under them, are in no total, and "units reporting" counts the units '
        "accepted only"
    ),
)

#: Said when rows of a table of entities were rejected: the rates are of the rest.
NOTE_ROWS_REJECTED = (
    N_(
        "{n} row of the {table} table was rejected: every figure counts the {accepted} "
        "rows accepted only; the rejected row is in no numerator and no denominator"
    ),
    N_(
        "{n} rows of the {table} table were rejected: every figure counts the {accepted} "
        "rows accepted only; the rejected rows are in no numerator and no denominator"
    ),
)
#: The tables whose rows are the entities counted: a rejected row leaves every count.
#: (A rejected counts row is a unit that did not report, as "units reporting" says; a
#: rejected inputs row leaves criteria unknown, as the titles' notes say.)
_COUNTED_TABLES = ("person", "household", "clan", "organisation", "membership")


def rejected_rows_notes(rejects: Any, locale: str | None = None) -> list[str]:
    """Return the notes saying which rows behind a table's figures were rejected.

    One note per table with rejected rows: the units table's (the units refused are in no
    total) and each table of persons, households, clans, organisations and memberships
    (the figures count the rows accepted only). Empty when ``rejects`` is None or nothing
    was rejected.

    Examples
    --------
    >>> from learnsoc.rejects import CountedRejects
    >>> counted = CountedRejects(read={"person": 10, "household": 5}, rejected={"person": 1})
    >>> rejected_rows_notes(counted, "en")
    ['1 row of the person table was rejected: every figure counts the 9 rows accepted only; \
the rejected row is in no numerator and no denominator']
    >>> rejected_rows_notes(counted, "vi")
    ['1 dòng của bảng người bị loại: mọi số liệu chỉ tính 9 dòng được nhận; dòng bị loại \
không nằm trong tử số hay mẫu số nào']
    """
    from learnsoc.i18n import format_integer
    from learnsoc.rejects import table_label

    if rejects is None:
        return []
    notes = []
    refused = int(rejects.n_rejected("unit"))
    if refused:
        # A unit the units table refused left the tree: completeness cannot see it.
        text = gettext(NOTE_UNITS_REJECTED[refused > 1], locale)
        notes.append(text.format(n=format_integer(refused, locale)))
    for table in _COUNTED_TABLES:
        n = int(rejects.n_rejected(table))
        if n:
            text = gettext(NOTE_ROWS_REJECTED[n > 1], locale)
            accepted = format_integer(int(rejects.n_accepted(table)), locale)
            label = table_label(table, locale)
            notes.append(text.format(n=format_integer(n, locale), table=label, accepted=accepted))
    return notes


if TYPE_CHECKING:
    import os

    from learnsoc.model.hierarchy import Hierarchy
    from learnsoc.report.report import Report

__all__ = ["RESULT_STATUSES", "Results", "rejected_rows_notes", "results"]


@attrs.frozen(eq=False)
class Results(TidyExports):
    """The rate of each indicator at each unit: one row per unit and indicator.

    Build it with :func:`results`. ``columns`` holds the table (read-only arrays):

    * ``indicator_index`` (int32): index of the row's indicator in :attr:`indicators`;
    * ``level``, ``unit_code``, ``unit_name``, ``parent_code`` (str; the total row has
      level ``"total"`` and an empty code and name);
    * ``numerator``, ``denominator``, ``missing`` (int64): the counts (the denominator
      excludes members whose value is missing);
    * ``value`` (float64, in the indicator's units; NaN where there is no denominator);
    * ``units_reporting``, ``units_expected`` (int64): the units of the rollup's reporting
      level under the row that reported, and all of them (-1 when the rollup does not
      know);
    * ``group_index`` (int32): index of the row's group in :attr:`groups`, -1 for the
      total (a breakdown row, "trong đó nữ", follows its total).
    * ``decided``, ``partial_data`` (int64): for an indicator counting a title's
      verdicts, the row's entities whose verdict is known (granted or not) and, of those,
      the ones decided on the members with data, some members' data missing; -1 where the
      rollup does not count them (counts of an agency, a person flag).
    * ``own_not_read`` (bool): the row's total lacks the own part of a unit at or under
      it whose row of a rollup read back was rejected (see :attr:`own_not_read`).

    Attributes
    ----------
    indicators : tuple of Indicator
        The indicators, in the order asked for.
    hierarchy : Hierarchy
        The rollup's tree (for level names).
    year : int or None
        The year the data are of (shown in the title), if given.
    not_measured : mapping of indicator id to tuple of str
        Indicators the rollup lacks measures for, with the measures they need.
    reporting_level : str or None
        The level whose units report (None when the rollup does not know).
    not_reporting : tuple of str
        The units expected to report that did not (``Xã Hai (00002)``; after the first
        ten, ``+N`` for the rest).
    groups : tuple of Group
        The groups of the breakdown rows (empty without ``by=``).
    absent_columns : mapping of indicator id to tuple of str
        For indicators of :attr:`not_measured`, the data columns whose absence left
        them out, when known (see :attr:`learnsoc.Rollup.absent_columns`).
    rejects : CountedRejects or None
        The rows read, accepted, rejected (and skipped) per table of the files behind the
        figures, when known (``learnsoc report`` sets it: a dataset's build, or the files
        it read). Every form of the report (text, Markdown, HTML, JSON, Excel) says them
        when rows were rejected or skipped; not compared.

    Examples
    --------
    >>> from learnsoc.report.results import results
    >>> h = ls.Hierarchy.from_units({"code": ["02"], "level": ["province"],
    ...     "parent_code": [None]}, levels=["province"])
    >>> roll = ls.rollup_counts({"unit_code": ["02"], "clans": [2263],
    ...     "learning_clans": [1564]}, h)
    >>> res = results(roll, ["learning_clans"])
    >>> res
    Results([learning_clans]: 1 row)
    >>> cols = res.columns
    >>> int(cols["numerator"][0]), int(cols["denominator"][0]), round(float(cols["value"][0]), 2)
    (1564, 2263, 69.11)
    """

    indicators: tuple[Indicator, ...]
    hierarchy: Hierarchy = attrs.field(repr=False)
    columns: Mapping[str, NDArray[Any]] = attrs.field(eq=COLUMNS_EQ, repr=False)
    year: int | None = None
    not_measured: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    reporting_level: str | None = None
    not_reporting: tuple[str, ...] = ()
    groups: tuple[Group, ...] = ()
    absent_columns: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    #: The date the titles counted were decided as of, when known (``learnsoc report
    #: --as-of``): the title says it ("..., titles as of December 31, 2025").
    as_of: dt.date | None = None
    rejects: Any = attrs.field(default=None, eq=False, repr=False)
    #: Indicators of :attr:`not_measured` whose title is not in force on the date the
    #: titles were decided as of (that date): the notes say so, not "not in the data".
    not_in_force: Mapping[str, dt.date] = attrs.field(factory=dict)
    #: Per indicator id (one per title measure), how many of the title's decided verdicts
    #: in the whole data rest on partial data, when some do: the notes say it as the
    #: titles table does ("94 of the 200 villages were decided on the families with data").
    partial_data: Mapping[str, PartialData] = attrs.field(factory=dict)
    #: Indicators of a title's verdicts whose partial-data counts the rollup did not
    #: record (a results folder of an earlier learnsoc): the notes say so.
    partial_unrecorded: tuple[str, ...] = ()
    #: Units whose own part is in no total, their rows of a rollup read back being
    #: rejected (:attr:`learnsoc.Rollup.own_not_read`), as the notes name them
    #: (``Tỉnh 01 (01)``); their rows and those above them have the column
    #: ``own_not_read`` true and the status ``incomplete``.
    own_not_read: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.columns["value"])

    def indicator_of(self, row: int) -> Indicator:
        """Return the indicator of a row."""
        return self.indicators[int(self.columns["indicator_index"][row])]

    def group_of(self, row: int) -> Group | None:
        """Return the group of a breakdown row (None for a total)."""
        j = int(self.columns["group_index"][row])
        return self.groups[j] if j >= 0 else None

    def level_names(self) -> list[str]:
        """Return the levels present, top first, then ``"total"``."""
        present = set(self.columns["level"].tolist())
        return [lv for lv in [*self.hierarchy.levels, TOTAL] if lv in present]

    def level_display(self, level: str, locale: str | None = None) -> str:
        """Return a level's name in the locale (``"total"`` translated)."""
        if level == TOTAL:
            return gettext(N_("total"), locale)
        return self.hierarchy.level_label(level, locale)

    def notes(self, locale: str | None = None) -> list[str]:
        """Return the remarks on the table in the locale: what the data cannot measure.

        Examples
        --------
        >>> h = ls.Hierarchy.from_units({"code": ["02"], "level": ["province"],
        ...     "parent_code": [None]}, levels=["province"])
        >>> roll = ls.rollup_counts({"unit_code": ["02"], "clans": [10],
        ...     "learning_clans": [4]}, h)
        >>> results(roll, ["learning_clans", "learning_units"]).notes("en")
        ['share of learning units: not in the data (needs the measures learning_units, units)']
        """
        by_id = {ind.id: ind for ind in self.indicators}
        notes = []
        for name, items in self.not_measured.items():
            columns = self.absent_columns.get(name)
            day = self.not_in_force.get(name)
            if day is not None:  # nobody could hold the title: no column is missing
                from learnsoc.rules._display import date_text

                gone = _counts_level_ended_by(by_id[name], day)
                text = gettext(
                    NOTE_TITLE_NOT_IN_FORCE if gone is None else NOTE_LEVEL_ABOLISHED_BY_DATE,
                    locale,
                )
                shown = date_text(day, normalize_locale(locale))
                notes.append(text.format(indicator=by_id[name].display(locale), date=shown))
                continue
            if self._level_gone(by_id[name]):  # no measure to add: the units are gone
                text = gettext(NOTE_LEVEL_ABOLISHED, locale)
                notes.append(text.format(indicator=by_id[name].display(locale)))
                continue
            if columns:  # the data's own columns, named as they are written
                text = gettext(NOTE_NO_COLUMNS, locale)
                shown = column_names(columns)
            else:
                text = listing_note(NOTE_NOT_MEASURED, len(items), locale)
                shown = by_id[name].measures_display(items, locale)
            notes.append(text.format(indicator=by_id[name].display(locale), items=shown))
        if self.not_reporting:
            text = gettext(NOTE_NOT_REPORTING, locale)
            notes.append(text.format(items=", ".join(self.not_reporting)))
        if self.own_not_read:
            text = gettext(NOTE_OWN_NOT_READ, locale)
            notes.append(text.format(items=", ".join(self.own_not_read)))
        notes += rejected_rows_notes(self.rejects, locale)
        notes += self._reform_notes(locale)
        loc = normalize_locale(locale)
        for name, partial in self.partial_data.items():
            notes.append(partial.text(by_id[name].display(loc), loc))
        if self.partial_unrecorded:  # one note for them all: the cause is the folder's
            notes.append(unrecorded_text([by_id[name] for name in self.partial_unrecorded], loc))
        return notes

    def _reform_notes(self, locale: str | None) -> list[str]:
        """Say, as progress does, that rows of districts from 2025 on describe abolished units.

        The rows of a level abolished by the 2025 reform (``district``) in a results table
        of that year or later get one note naming the level. An indicator whose denominator
        is the units of such a level (``districts``), measured on a tree that still has the
        level, in a results table of that year or later, describes units that no longer
        exist at every row: it gets its own note. The figures are of that year or later
        when the data's year says so, or the date the titles were decided as of
        (``learnsoc report --as-of 2025-12-31`` without ``--year``).
        """
        out = []
        present = set(self.columns["level"].tolist())
        for level, ended in ABOLISHED_LEVELS.items():
            # The rows of the level itself ("Cấp huyện" rows of family rates) describe
            # units that no longer exist, whatever their indicator counts: said once.
            if level in present and level in self.hierarchy.levels and self._after(ended):
                text = gettext(NOTE_OLD_TREE, locale)
                label = self.level_display(level, locale)
                out.append(text.format(target=label[:1].upper() + label[1:]))
        for ind in self.indicators:
            if ind.id in self.not_measured:
                continue
            for level, ended in ABOLISHED_LEVELS.items():
                if (
                    ind.denominator == f"{level}s"
                    and level in self.hierarchy.levels
                    and self._after(ended)
                ):
                    text = gettext(NOTE_OLD_TREE, locale)
                    out.append(text.format(target=ind.display(locale)))
        return out

    def unmeasured_status(self, indicator_id: str) -> str | None:
        """Return why an indicator has no counts (a :data:`RESULT_STATUSES` id), or None.

        ``not_in_force`` (its title is not in force on the titles' date), ``abolished``
        (it counts the units of a level the 2025 reform ended, after the reform) or
        ``not_measured`` (the data lack its measures); None for an indicator measured.

        Examples
        --------
        >>> h = ls.Hierarchy.from_units({"code": ["02"], "level": ["province"],
        ...     "parent_code": [None]}, levels=["province"])
        >>> roll = ls.rollup_counts({"unit_code": ["02"], "clans": [10],
        ...     "learning_clans": [4]}, h)
        >>> res = results(roll, ["learning_clans", "learning_units"])
        >>> res.unmeasured_status("learning_clans"), res.unmeasured_status("learning_units")
        (None, 'not_measured')
        """
        if indicator_id not in self.not_measured:
            return None
        ind = next(i for i in self.indicators if i.id == indicator_id)
        day = self.not_in_force.get(indicator_id)
        if day is not None:  # as the notes say it: a level ended by then, or the title
            return "not_in_force" if _counts_level_ended_by(ind, day) is None else "abolished"
        return "abolished" if self._level_gone(ind) else "not_measured"

    def _level_gone(self, ind: Indicator) -> bool:
        """Whether an indicator counts units of a level the reform ended, on a tree after it.

        A share of learning districts on the tree from 1/7/2025 is not "not in the data
        (needs the measures districts)": no district is left to count, as progress says
        ("not applicable"). The tree is after the reform by its own dates, or (a tree
        without them) by the data's year or the titles' date.
        """
        for level, ended in ABOLISHED_LEVELS.items():
            if ind.denominator != f"{level}s" or level in self.hierarchy.levels:
                continue
            start = self.hierarchy.spec.valid_from
            if (start is not None and start >= ended) or self._after(ended):
                return True
        return False

    def _after(self, ended: dt.date) -> bool:
        """Whether the figures are of a day after a level ``ended``: by year or titles' date."""
        # The titles' date alone is enough: titles as of 31/12/2025 on the tree with
        # districts count districts that were gone, whether or not --year was given.
        by_year = self.year is not None and self.year >= ended.year
        return by_year or (self.as_of is not None and self.as_of >= ended)

    def filter(
        self,
        *,
        level: str | Sequence[str] | None = None,
        indicator: str | Sequence[str] | None = None,
        unit: str | Sequence[str] | None = None,
    ) -> Results:
        """Return the rows of some levels, indicators or unit codes.

        Examples
        --------
        >>> pop = ls.synthetic_population(persons=2_000, seed=3)
        >>> res = results(ls.rollup(pop, ls.standard_measures(pop)), ["literacy_15_60"])
        >>> set(res.filter(level="commune").columns["level"].tolist())
        {'commune'}
        """
        keep = np.ones(len(self), np.bool_)
        if level is not None:
            keep &= np.isin(self.columns["level"], _as_list(level))
        if indicator is not None:
            wanted = set(_as_list(indicator))
            per_indicator = np.array([i.id in wanted for i in self.indicators], np.bool_)
            keep &= per_indicator[self.columns["indicator_index"]]
        if unit is not None:
            keep &= np.isin(self.columns["unit_code"], _as_list(unit))
        return attrs.evolve(self, columns={k: readonly(v[keep]) for k, v in self.columns.items()})

    # -- rendering: the same machinery as Progress --------------------------------------
    def report(
        self,
        locale: str | None = None,
        *,
        rounding: str = "half_up",
        decimals: int | Mapping[str, int] | None = None,
        max_rows: int | None = None,
    ) -> Report:
        """Return the results table as a :class:`~learnsoc.report.Report` in the locale.

        Parameters
        ----------
        locale : str, optional
            ``"vi"`` or ``"en"`` (the default locale if None).
        rounding : {"half_up", "truncate", "half_even"}
            How shown rates are rounded (never the counts): ``"truncate"`` cuts decimals
            as official reports do.
        decimals : int or mapping of indicator id to int, optional
            Decimals shown, instead of each indicator's own.
        max_rows : int, optional
            Build only the first rows (a notebook preview).

        Raises
        ------
        TargetError
            If ``decimals`` names an indicator that is not in the table, or is not a
            whole number from 0 to 10.
        """
        from learnsoc.report._build import build_results_report

        return build_results_report(
            self, locale, rounding=rounding, decimals=decimals, max_rows=max_rows
        )

    def to_html(
        self,
        locale: str | None = None,
        *,
        rounding: str = "half_up",
        decimals: int | Mapping[str, int] | None = None,
        max_rows: int | None = None,
    ) -> str:
        """Return the table as an HTML fragment (every value escaped; ``max_rows`` at most)."""
        report = self.report(locale, rounding=rounding, decimals=decimals, max_rows=max_rows)
        return report.to_html()

    def to_columns(self, locale: str | None = None) -> dict[str, NDArray[Any]]:
        """Return the tidy long table (one row per unit and indicator) as numpy columns.

        Columns: ``unit_code``, ``unit_name``, ``level``, ``parent_code``, ``indicator``,
        ``year``, ``numerator``, ``denominator``, ``missing``, ``value`` (unrounded),
        ``units_reporting``, ``units_expected``, ``completeness`` (their ratio),
        ``denominator_measure``, ``uncertain``, ``indicator_label`` and
        ``denominator_label`` (what the rate is of) in the locale, then ``status`` (what
        the row's figure is: an id of :data:`RESULT_STATUSES`, ``ok``, ``incomplete``,
        ``not_reported``...) and ``status_label``, its words in the locale.
        """
        from learnsoc.report.tables import results_columns

        return results_columns(self, locale)

    def to_json(
        self, path: str | os.PathLike[str] | None = None, *, locale: str | None = None
    ) -> str | None:
        """Write the indicators (with their denominators) and the tidy rows as JSON.

        Returns the text when ``path`` is None.
        """
        from learnsoc.report.tables import results_json

        return results_json(self, path, locale=locale)

    def plot(
        self,
        ax: Any = None,
        *,
        locale: str | None = None,
        indicator: str | None = None,
        level: str | None = None,
        max_bars: int = 30,
        rounding: str = "half_up",
        decimals: int | Mapping[str, int] | None = None,
    ) -> Any:
        """Draw the rates as horizontal bars (needs matplotlib); return the Axes.

        See :func:`learnsoc.report.plot.plot_results`.
        """
        from learnsoc.report.plot import plot_results

        return plot_results(
            self,
            ax,
            locale=locale,
            indicator=indicator,
            level=level,
            max_bars=max_bars,
            rounding=rounding,
            decimals=decimals,
        )

    def __repr__(self) -> str:
        # The indicators as a program names them in English, in words in Vietnamese (as
        # the table's rows name them).
        loc = get_locale()
        ids = ", ".join(_repr_names(self.indicators, loc)[:_REPR_IDS])
        if len(self.indicators) > _REPR_IDS:  # all of them would fill the line
            ids += repr_words(", ... ({n} more)", n=len(self.indicators) - _REPR_IDS)
        year = f", {self.year}" if self.year is not None else ""
        rows = count_words("{n} row", "{n} rows", len(self))
        return f"Results([{ids}]{year}: {rows})"


#: How many indicator ids a results table's ``repr`` lists (every standard one is 13).
_REPR_IDS = 6


def _repr_names(indicators: Sequence[Indicator], locale: str) -> list[str]:
    """Return the indicators' ids in English, their names in another language.

    Indicators may share a name (a target file's own beside a standard one; the standard
    variants name their bases): such a name says what it is computed on, as the table's
    column does.
    """
    if locale == "en":
        return [ind.id for ind in indicators]
    names = [ind.display(locale) for ind in indicators]
    return [
        gettext(N_("{indicator} (of {basis})"), locale).format(
            indicator=name, basis=ind.basis_display(locale)
        )
        if names.count(name) > 1
        else name
        for ind, name in zip(indicators, names, strict=True)
    ]


def _as_list(value: Any) -> list[Any]:
    return [value] if isinstance(value, str) else list(value)


def _resolve(
    roll: Rollup, wanted: Sequence[str | Indicator] | None
) -> tuple[tuple[Indicator, ...], dict[str, tuple[str, ...]]]:
    """Return the indicators asked for (all those the rollup measures by default)."""
    if wanted is None:
        chosen = tuple(ind for ind in INDICATORS.values() if not ind.absent_measures(roll))
        if not chosen:
            # The completeness counts are not data an indicator could read.
            own = sorted(m for m in roll.counts if m not in ("units_reporting", "units_expected"))
            if own:
                template = N_(
                    "the rollup has the measures of no standard indicator (its measures: "
                    "{measures}); name the indicators, or roll up learnsoc.standard_measures()"
                )
            else:
                template = N_(
                    "the rollup has the measures of no standard indicator (its measures: "
                    "none); name the indicators, or roll up learnsoc.standard_measures()"
                )
            msg = Message(template, measures=", ".join(own))
            raise TargetError(str(msg)).translatable(msg)
        return chosen, {}
    if isinstance(wanted, str | Indicator):
        wanted = [wanted]
    out: list[Indicator] = []
    for item in wanted:
        ind = item if isinstance(item, Indicator) else indicator(str(item))
        if ind.id in {i.id for i in out}:
            msg = Message(N_("indicator {indicator!r} is asked for twice"), indicator=ind.id)
            raise TargetError(str(msg)).translatable(msg)
        out.append(ind)
    if not out:
        msg = Message(N_("no indicators: name at least one (or pass None for every measured one)"))
        raise TargetError(str(msg)).translatable(msg)
    absent = {ind.id: ind.absent_measures(roll) for ind in out if ind.absent_measures(roll)}
    return tuple(out), absent


def _check_levels(levels: Sequence[str], hierarchy: Hierarchy) -> list[str]:
    valid = [*hierarchy.levels, TOTAL]
    # By id or in words, as the command line's --level takes them (levels=["xã"]).
    levels = [
        level_named(str(lv), [*hierarchy.spec.levels, TOTAL]) or lv for lv in _as_list(levels)
    ]
    for lv in levels:
        if lv not in valid:
            msg = Message(
                N_("levels: {level!r} is not a level of the data{hint}"),
                level=lv,
                hint=did_you_mean(str(lv), valid),
            )
            raise TargetError(str(msg)).translatable(msg)
    return levels


def _counts_level_ended_by(ind: Indicator, day: dt.date) -> str | None:
    """Return the level whose units an indicator counts, if the reform ended it by ``day``."""
    for level, ended in ABOLISHED_LEVELS.items():
        if ind.denominator == f"{level}s" and day >= ended:
            return level
    return None


def results(
    roll: Rollup,
    indicators: Sequence[str | Indicator] | None = None,
    levels: Sequence[str] | None = None,
    *,
    year: int | None = None,
    by: str | Sequence[str] | None = None,
) -> Results:
    """Compute the rate of each indicator at each unit of a rollup, without targets.

    Parameters
    ----------
    roll : Rollup
        From :func:`learnsoc.rollup` (microdata, with
        :func:`learnsoc.standard_measures`) or :func:`learnsoc.rollup_counts`
        (reported counts whose columns are the measures: ``families``,
        ``learning_families``...).
    indicators : sequence of str or Indicator, optional
        Indicator ids (see ``learnsoc.targets.INDICATORS``) or :class:`Indicator`
        objects, in the order shown. By default every standard indicator the rollup
        has the measures of. One named that the data cannot measure is kept, with no
        data and a note saying which measures it needs.
    levels : sequence of str, optional
        Levels of the rows (``"total"`` is the whole data); by default every level of
        the tree, and the total when the top level has several units (several
        provinces; over one, the total is its row again).
    year : int, optional
        The year the data are of, shown in the title.
    by : str or sequence of str, optional
        The breakdowns shown under each total ("trong đó nữ": of which female), from a
        rollup made with ``by=``: by default every one it has; ``()`` for none. A group
        row is shown for the indicators whose measures the group has.

    Returns
    -------
    Results

    Raises
    ------
    TargetError
        If an indicator, a level or a breakdown is unknown (with the closest name), or the
        counts do not fit an indicator (a numerator larger than its denominator).

    Examples
    --------
    >>> h = ls.Hierarchy.from_units({"code": ["02"], "name": ["Hà Giang"],
    ...     "level": ["province"], "parent_code": [None]}, levels=["province"])
    >>> roll = ls.rollup_counts({"unit_code": ["02"], "clans": [2263],
    ...     "learning_clans": [1564]}, h)
    >>> res = results(roll)
    >>> print(res.to_text("en", decimals={"learning_clans": 1}))  # doctest: +NORMALIZE_WHITESPACE
    Results of the learning-society indicators
    Rates are rounded half up from the exact counts.
    <BLANKLINE>
    Province
    unit           indicator                   achieved / total   rate  out of     units reporting
    -------------  -----------------------  -------------------  -----  ---------  ---------------
    Hà Giang (02)  share of learning clans  1,564 / 2,263 clans  69.1%  all clans  1 of 1 province
    >>> results(roll, ["learning_clan"])
    Traceback (most recent call last):
    ...
    learnsoc.errors.TargetError: unknown indicator 'learning_clan'; did you mean ...
    """
    given: object = roll  # callers without type checking pass a Population or a table
    if not isinstance(given, Rollup):
        msg = Message(
            N_(
                "results() needs a Rollup (from learnsoc.rollup or rollup_counts), "
                "got {value!r:.60}"
            ),
            value=given,
        )
        raise TargetError(str(msg)).translatable(msg)
    chosen, absent = _resolve(roll, indicators)
    columns_absent = {
        ind.id: ind.absent_columns(roll)
        for ind in chosen
        if ind.id in absent and ind.absent_columns(roll)
    }
    hierarchy = roll.hierarchy
    all_levels = roll.levels()
    if levels is None:
        # The whole data is a row of its own when its top level has several units (the
        # provinces of a national file): their total, as DHIS2's country row, is the
        # figure a reader looks for first, and no other row gives it. Over one province
        # the total is that province's row again, and is left out.
        top = all_levels == hierarchy.levels[0]
        keep = (all_levels != TOTAL) | (np.count_nonzero(top) > 1)
    else:
        keep = np.isin(all_levels, _check_levels(levels, hierarchy))
    rows = np.flatnonzero(keep)
    groups = _groups(roll, by)
    sources = [roll, *(roll.part(g.key) for g in groups)]
    # Each indicator's total, then its groups whose part has the indicator's measures.
    combos = [
        (k, j)
        for k, ind in enumerate(chosen)
        for j, source in enumerate(sources)
        if j == 0 or not ind.absent_measures(source)
    ]
    # Rollup rows are in level order, then the tree's order: each row, every combination.
    row_of = np.repeat(rows, len(combos))
    combo = np.tile(np.arange(len(combos)), len(rows))
    index = np.array([k for k, _ in combos], np.int32)[combo] if combos else combo
    group_of = np.array([j - 1 for _, j in combos], np.int32)[combo] if combos else combo
    num = np.zeros(len(row_of), np.int64)
    den = np.zeros(len(row_of), np.int64)
    miss = np.zeros(len(row_of), np.int64)
    decided = np.full(len(row_of), -1, np.int64)
    partial = np.full(len(row_of), -1, np.int64)
    value = np.full(len(row_of), np.nan)
    for c, (k, j) in enumerate(combos):
        ind = chosen[k]
        if ind.id in absent:
            continue
        rate = ind.observe(sources[j])
        if rate is None:  # pragma: no cover - absent_measures said it was measured
            continue
        at = combo == c
        num[at] = rate.numerator[rows]
        den[at] = rate.denominator[rows]
        miss[at] = rate.missing[rows]
        title = sources[j].counts
        if f"{ind.numerator}_partial_data" in title and f"{ind.numerator}_decided" in title:
            decided[at] = title[f"{ind.numerator}_decided"][rows]
            partial[at] = title[f"{ind.numerator}_partial_data"][rows]
        ok = at.copy()
        ok[at] = den[at] > 0
        value[ok] = num[ok] * ind.factor / den[ok]
    levels_at = all_levels[row_of]
    names = hierarchy.names[np.maximum(roll.rows[row_of], 0)]
    columns = {
        "indicator_index": index.astype(np.int32),
        "group_index": group_of.astype(np.int32),
        "level": levels_at,
        "unit_code": roll.codes()[row_of],
        "unit_name": np.where(levels_at == TOTAL, "", names),
        "parent_code": roll.parent_codes()[row_of],
        "numerator": num,
        "denominator": den,
        "missing": miss,
        "decided": decided,
        "partial_data": partial,
        "value": value,
        "units_reporting": np.full(len(row_of), -1, np.int64),
        "units_expected": np.full(len(row_of), -1, np.int64),
        "own_not_read": _lacking_own_part(roll)[row_of],
    }
    done = roll.completeness()
    if done is not None:
        # An indicator the data do not measure was reported by no unit: "20 of 20 villages"
        # beside its "—" would read as every village reporting it.
        measured = ~np.isin(index, [k for k, ind in enumerate(chosen) if ind.id in absent])
        reporting = done.numerator[row_of].astype(np.int64)
        expected = done.denominator[row_of].astype(np.int64)
        columns["units_reporting"] = np.where(measured, reporting, -1)
        columns["units_expected"] = np.where(measured, expected, -1)
    absent_units = roll.not_reporting()
    partial_notes, unrecorded = _partial_notes(roll, chosen, absent)
    from learnsoc.rejects import rows_behind

    return Results(
        chosen,
        hierarchy,
        {k: readonly(np.asarray(v)) for k, v in columns.items()},
        year=year,
        not_measured=absent,
        reporting_level=roll.reporting_level,
        not_reporting=unit_list(roll, absent_units) if len(absent_units) else (),
        groups=tuple(groups),
        absent_columns=columns_absent,
        not_in_force={
            ind.id: roll.not_in_force[ind.numerator]
            for ind in chosen
            if ind.id in absent and ind.numerator in roll.not_in_force
        },
        partial_data=partial_notes,
        partial_unrecorded=unrecorded,
        own_not_read=unit_list(roll, np.array(roll.own_not_read, dtype=str))
        if roll.own_not_read
        else (),
        rejects=rows_behind(roll.rejects),
    )


def _lacking_own_part(roll: Rollup) -> NDArray[np.bool_]:
    """Return, per rollup row, whether its total lacks a unit's own part not read.

    The units of :attr:`learnsoc.Rollup.own_not_read`, their ancestors and the total.
    """
    out = np.zeros(len(roll.rows), np.bool_)
    if not roll.own_not_read:
        return out
    h = roll.hierarchy
    lev, local = h.locate(np.array(roll.own_not_read, dtype=str))
    lev, local = np.asarray(lev, np.int64), np.asarray(local, np.int64)
    starts = np.asarray(h.starts, np.int64)
    found = lev >= 0
    short = [starts[lev[found]] + local[found]]
    for up in range(h.n_levels - 1):
        above = found & (lev > up)
        if above.any():
            g = starts[lev[above]] + local[above]
            short.append(starts[up] + h.ancestors[g, up].astype(np.int64))
    out[np.isin(roll.rows, np.concatenate(short))] = True
    out[roll.rows < 0] = True  # the total
    return out


def _partial_notes(
    roll: Rollup, chosen: Sequence[Indicator], absent: Mapping[str, Any]
) -> tuple[dict[str, PartialData], tuple[str, ...]]:
    """Return the partial-data figures of the indicators shown, one per title measure."""
    found: dict[str, PartialData] = {}
    unrecorded: list[str] = []
    seen: set[str] = set()
    for ind in chosen:
        if ind.id in absent or ind.numerator in seen:
            continue  # the variants of one title (of all families, of registered) say it once
        seen.add(ind.numerator)
        said = partial_data_of(roll, ind)
        if isinstance(said, PartialData):
            found[ind.id] = said
        elif said is not None:
            unrecorded.append(ind.id)
    return found, tuple(unrecorded)


def _groups(roll: Rollup, by: str | Sequence[str] | None) -> list[Group]:
    """Return the rollup's groups shown: all by default, or those of the columns named."""
    have = list(roll.groups())
    if by is None:
        return have
    columns = _as_list(by)
    known = list(dict.fromkeys(g.column for g in have))
    for column in columns:
        if column not in known:
            if known:
                template = N_("by: the rollup has no breakdown by {column!r}; it has {known}")
            else:
                template = N_(
                    "by: the rollup has no breakdown by {column!r}; roll it up with by= "
                    "(ls.rollup(..., by='sex') or ls.rollup_counts)"
                )
            msg = Message(template, column=column, known=", ".join(known))
            raise TargetError(str(msg)).translatable(msg)
    return [g for g in have if g.column in columns]
