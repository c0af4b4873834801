"""Turn a progress or results table into a :class:`~learnsoc.report.report.Report` in one locale.

Both builders share the display rules: decimals per indicator (checked against the
indicators of the table), the rounding note, unit cells, level headings, and the
denominator of every rate ("out of": all families, residents aged 15 and over...) with a
note for each indicator whose denominator the sources leave open.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from learnsoc._messages import Message
from learnsoc.errors import did_you_mean
from learnsoc.i18n import (
    N_,
    basis_of_group,
    basis_with_data,
    excluding_unknown,
    format_date,
    format_integer,
    gettext,
    normalize_locale,
    round_decimal,
)
from learnsoc.model._totals import total_label
from learnsoc.report._completeness import (
    OF_WHICH,
    REPORTING_HEADING,
    met_on_cell,
    reporting_cell,
    tree_level,
)
from learnsoc.report._format import (
    DASH,
    OPERATOR_SYMBOLS,
    decimals_of,
    exact_value,
    format_counts,
    format_float_signed,
    format_number,
    format_signed,
    format_threshold,
    format_trend,
    unit_suffix,
)
from learnsoc.report.report import Column, Report, Row, Section

if TYPE_CHECKING:
    from collections.abc import Collection, Iterable

    from learnsoc.model.hierarchy import HierarchySpec
    from learnsoc.report.results import Results
    from learnsoc.targets.indicators import Indicator
    from learnsoc.targets.progress import Progress
    from learnsoc.targets.targets import Target

__all__ = [
    "HEADINGS",
    "RESULTS_TITLE",
    "RESULTS_TITLE_YEAR",
    "RESULT_HEADINGS",
    "build_progress_report",
    "build_results_report",
    "check_decimals",
    "clause_notes",
    "decimals_for",
    "progress_notes",
    "rows_read_lines",
    "target_text",
    "unit_cell",
]

#: Column keys and their heading message ids.
HEADINGS: Mapping[str, str] = {
    "unit": N_("unit"),
    "indicator": N_("indicator"),
    "observed": N_("observed"),
    "counts": N_("numerator / denominator"),
    "basis": N_("out of"),
    "target": N_("target"),
    "gap": N_("gap (pp)"),
    # A rate's change is in percentage points, as the gap is: "+5.00" is not "+5%".
    "trend": N_("trend (pp per year)"),
    "required": N_("required (pp per year)"),
    "reporting": REPORTING_HEADING,
    "status": N_("status"),
}
#: The headings of the columns that hold a difference of two values, by the unit of the
#: difference: points for a percentage (pp) or a per-thousand rate; the indicator's own
#: units for any other factor ("0.50" against "≥ 0.6" is 0.10 short, not 10 pp short).
_DIFFERENCE_HEADINGS: Mapping[int | None, Mapping[str, str]] = {
    100: {k: HEADINGS[k] for k in ("gap", "trend", "required")},
    1000: {
        "gap": N_("gap (‰ points)"),
        "trend": N_("trend (‰ points per year)"),
        "required": N_("required (‰ points per year)"),
    },
    None: {
        "gap": N_("gap"),
        "trend": N_("trend (per year)"),
        "required": N_("required (per year)"),
    },
}
#: Written after each difference when the indicators of one table differ in kind, so
#: that the headings cannot name one unit for them all.
_DIFFERENCE_UNITS: Mapping[int, str] = {100: N_("pp"), 1000: N_("‰ points")}
#: Column keys of a results table and their heading message ids.
RESULT_HEADINGS: Mapping[str, str] = {
    "unit": N_("unit"),
    "indicator": N_("indicator"),
    "counts": N_("achieved / total"),
    "value": N_("rate"),
    "basis": N_("out of"),
    "reporting": REPORTING_HEADING,
}
_RIGHT = frozenset(
    {"observed", "counts", "value", "target", "gap", "trend", "required", "reporting"}
)

_EXPECTED: Mapping[str, str] = {
    "yes": N_("yes"),
    "registered": N_("registered"),
    "recognised": N_("recognised"),
    "joined": N_("joined"),
    "continue": N_("continue"),
    "maintained": N_("maintain"),
}
_ROUNDING_NOTES: Mapping[str, str] = {
    "half_up": N_("Figures are rounded half up; statuses use the exact counts."),
    "truncate": N_("Figures are truncated, as in official reports; statuses use the exact counts."),
    "half_even": N_("Figures are rounded half to even; statuses use the exact counts."),
}
_TITLE = N_("Progress towards the targets: {document}")
_TARGETS_FOR = N_("Targets for {year}")
_TARGETS_FOR_OBSERVED = N_("Targets for {year}; data of {observed}")
_SOURCE = N_("Source: {document}, {issuer}, {date}")
_SOURCE_NAMED = N_("Source: {document}, {date}")
_MAINTAIN_VALUE = N_("maintain {target}")
_MAINTAIN_YEAR = N_("maintain the {year} level")
_TARGET_NOTE = N_("{target}: {note}")
#: Where targets are set in their source document (``Target.clause``): the targets'
#: names, then the clause.
_TARGET_CLAUSE = N_("{target}: as set in {clause}")
_UNCERTAIN = N_(
    "* uncertain: the source does not pin this target down (see the target file's notes)"
)
_UNCERTAIN_BASIS = N_("* {indicator}: computed out of {basis}; uncertain: {note}")
_UNCERTAIN_NAMED = N_("* {indicator}: uncertain: {note}")
RESULTS_TITLE = N_("Results of the learning-society indicators")
RESULTS_TITLE_YEAR = N_("Results of the learning-society indicators, {year}")
RESULTS_TITLE_AS_OF = N_("Results of the learning-society indicators, titles as of {date}")
#: Under a report's title, when the tree's units are those of a dated tree (before or after
#: the 2025 reform): which units the figures count, for a reader comparing two reports.
_TREE_LINE = N_("Units of the tree {tree}, valid {validity}")
#: Added to a progress report's period when the titles' date is known.
_TITLES_AS_OF = N_("titles as of {date}")
_RESULTS_ROUNDING: Mapping[str, str] = {
    "half_up": N_("Rates are rounded half up from the exact counts."),
    "truncate": N_("Rates are truncated, as in official reports; counts are exact."),
    "half_even": N_("Rates are rounded half to even from the exact counts."),
}


def tree_line(spec: HierarchySpec, locale: str) -> list[str]:
    """Say which dated tree a report's units are on, or nothing for a tree without dates.

    Examples
    --------
    >>> from learnsoc.model.hierarchy import PRESETS
    >>> tree_line(PRESETS["vn-pre-2025"], "en")
    ["Units of the tree 'vn-pre-2025', valid until 2025-06-30"]
    >>> tree_line(PRESETS["vn-2025"], "vi")
    ["Đơn vị hành chính thuộc cây 'vn-2025', hiệu lực từ 01/7/2025"]
    """
    if spec.valid_from is None and spec.valid_until is None:
        return []
    text = gettext(_TREE_LINE, locale)
    return [text.format(tree=repr(spec.name), validity=spec.validity_in(locale))]


def check_decimals(
    decimals: int | Mapping[str, int] | None,
    known: Collection[str],
    target_set: str | None = None,
) -> None:
    """Check the ``decimals`` option: a whole number from 0 to 10, or one per known indicator.

    ``known`` are the indicators of a target set named ``target_set``, or of a results
    table when ``target_set`` is None.

    Raises
    ------
    TargetError
        Naming the bad value and the indicators of the table (the closest first).

    Examples
    --------
    >>> check_decimals({"learning_familes": 1}, ["learning_families"])
    Traceback (most recent call last):
    ...
    learnsoc.errors.TargetError: decimals: no indicator 'learning_familes' in this ...
    >>> try:
    ...     check_decimals({"learning_familes": 1}, ["learning_families"])
    ... except ls.TargetError as err:
    ...     print(str(err).split("; ")[1])
    did you mean 'learning_families'?
    """
    from learnsoc.targets.indicators import TargetError

    def check(value: Any, where: str) -> None:
        # ``where`` is code (``['learning_families']``), the same in every language.
        if isinstance(value, bool) or not isinstance(value, int | np.integer):
            msg = Message(
                N_("decimals{where} must be a whole number from 0 to 10, got {value!r}"),
                where=where,
                value=value,
            )
            raise TargetError(str(msg)).translatable(msg)
        if not 0 <= int(value) <= 10:
            msg = Message(
                N_("decimals{where} must be from 0 to 10, got {value!r}"), where=where, value=value
            )
            raise TargetError(str(msg)).translatable(msg)

    if decimals is None:
        return
    if not isinstance(decimals, Mapping):
        check(decimals, "")
        return
    for name, value in decimals.items():
        if name not in known:
            if target_set is None:
                template = N_("decimals: no indicator {name!r} in this results table{hint}")
            else:
                template = N_("decimals: no indicator {name!r} in target set {target_set!r}{hint}")
            msg = Message(
                template, name=name, target_set=target_set, hint=did_you_mean(str(name), known)
            )
            raise TargetError(str(msg)).translatable(msg)
        check(value, f"[{name!r}]")


def target_text(
    t: Target,
    ind: Indicator | None,
    locale: str,
    baseline: float = math.nan,
    rounding: str = "half_up",
    decimals: int | Mapping[str, int] | None = None,
) -> str:
    """Return a target's goal as the reports write it (``≥ 99,5%``, ``duy trì``).

    Examples
    --------
    >>> from learnsoc.targets import load_targets
    >>> ts = load_targets("hanoi-23-nq-tu")
    >>> t = ts["literacy-15-60-2025"]
    >>> target_text(t, ts.indicator_of(t), "vi"), target_text(t, ts.indicator_of(t), "en")
    ('≥ 99,5%', '≥ 99.5%')
    """

    def tr(message: str) -> str:
        return gettext(message, locale)

    if ind is None or not t.computed:
        return tr(_EXPECTED.get(t.expected or "maintained", N_("maintain")))
    suffix = unit_suffix(ind.factor)
    if t.kind == "range" and t.lower is not None and t.upper is not None:
        low = format_threshold(t.lower, locale)
        high = format_threshold(t.upper, locale)
        return f"{low}-{high}{suffix}"
    symbol = OPERATOR_SYMBOLS[t.operator(ind)]
    if t.kind == "maintain" and t.baseline_year is not None:
        text = tr(_MAINTAIN_YEAR).format(year=t.baseline_year)
        if math.isfinite(baseline):
            shown = format_number(
                Decimal(repr(baseline)), decimals_for(decimals, ind), locale, rounding
            )
            text = f"{text} ({symbol} {shown}{suffix})"
        return text
    threshold = t.threshold(ind)
    number = format_threshold(threshold, locale) if threshold is not None else DASH
    text = f"{symbol} {number}{suffix}"
    if t.kind == "maintain":
        return tr(_MAINTAIN_VALUE).format(target=text)
    return text


def decimals_for(decimals: int | Mapping[str, int] | None, ind: Indicator) -> int:
    """Return the decimals shown for an indicator: the option's, else the indicator's own."""
    if isinstance(decimals, int):
        return decimals
    if decimals is not None and ind.id in decimals:
        return int(decimals[ind.id])
    return ind.decimals


def basis_notes(indicators: Iterable[Indicator], locale: str) -> list[str]:
    """Say, for the indicators whose denominator is uncertain, which ones were used and why.

    Variants of one indicator (learning citizens of all residents, of those aged 15 and
    over), uncertain for one reason, share one note naming them and the denominators used.
    """
    grouped: dict[str, dict[str, list[str]]] = {}
    for ind in dict.fromkeys(indicators):
        if ind.uncertain:
            names = grouped.setdefault(ind.note_display(locale), {})
            names.setdefault(ind.display(locale), []).append(ind.basis_display(locale))
    notes = []
    for note, names in grouped.items():
        bases = [b for said in names.values() for b in said]
        # Names that say their basis already ("... among all residents") need no "computed
        # out of" repeating it.
        named = all(b in name for name, said in names.items() for b in said)
        template = _UNCERTAIN_NAMED if named else _UNCERTAIN_BASIS
        notes.append(
            gettext(template, locale).format(
                indicator=", ".join(names), basis=" / ".join(bases), note=note
            )
        )
    return notes


def unit_cell(level: str, name: str, code: str, total: str) -> str:
    """Return a unit as a report shows it: ``Hà Giang (02)``, or the total's label.

    ``total`` is the total row's label (:func:`learnsoc.model._totals.total_label`). A
    unit the units table gave no name is named by its code, once (``02``, not ``02 (02)``).

    Examples
    --------
    >>> unit_cell("province", "Hà Giang", "02", ""), unit_cell("province", "02", "02", "")
    ('Hà Giang (02)', '02')
    """
    if level == "total":
        return total
    if not name or name == code:
        return code
    return f"{name} ({code})"


def section_heading(heading: str) -> str:
    """Capitalise a level's name for a section heading (``Cấp tỉnh``)."""
    return heading[:1].upper() + heading[1:]


class _Builder:
    def __init__(
        self,
        prog: Progress,
        locale: str,
        rounding: str,
        decimals: int | Mapping[str, int] | None,
        max_rows: int | None = None,
    ) -> None:
        self.prog = prog
        self.max_rows = max_rows
        self.cache: dict[tuple[str, str], str] = {}
        # Python lists: reading numpy scalars one by one costs more than the formatting.
        self.lists: dict[str, list[Any]] = {k: v.tolist() for k, v in prog.columns.items()}
        from learnsoc.targets.progress import Status

        self.statuses = list(Status)
        self.locale = locale
        self.total = total_label(prog.hierarchy, locale)
        self.rounding = rounding
        check_decimals(decimals, prog.targets.indicators, prog.targets.id)
        self.decimals = decimals
        round_decimal(0, 0, rounding)  # fail early on an unknown rounding mode
        self.has_trend = bool(np.isfinite(prog.columns["trend"]).any())
        self.has_required = bool(np.isfinite(prog.columns["required"]).any())
        # Completeness is shown whenever the rollup knows which units reported.
        self.has_reporting = prog.reporting_level is not None
        # The unit of the gap, trend and required columns follows the indicators' kind.
        targets = prog.targets
        factors = {
            ind.factor
            for i in np.unique(prog.columns["target_index"]).tolist()
            if targets.targets[i].computed
            and (ind := targets.indicator_of(targets.targets[i])) is not None
        }
        only = next(iter(factors)) if len(factors) == 1 else None
        self.difference_headings = _DIFFERENCE_HEADINGS[
            100 if not factors else only if only in _DIFFERENCE_HEADINGS else None
        ]
        # Mixed kinds: the headings name no unit, each point difference names its own.
        self.per_cell_unit = len(factors) > 1
        # Rows of a unit that reported nobody to count (0 / 0, the indicator measured):
        # "no data" in the status, and the counts and the observed cell say why.
        from learnsoc.report.tables import progress_columns

        tidy = progress_columns(prog, locale)
        self.nobody = (
            (tidy["status"] == "no_data")
            & (tidy["denominator"] == 0)
            & (tidy["missing"] == 0)
            & (tidy["units_reporting"] != 0)
        ).tolist()

    def t(self, message: str) -> str:
        return gettext(message, self.locale)

    def decimals_for(self, ind: Indicator) -> int:
        return decimals_for(self.decimals, ind)

    def keys(self) -> list[str]:
        keys = ["unit", "indicator", "observed", "counts", "basis", "target", "gap"]
        if self.has_trend:
            keys.append("trend")
        if self.has_required:
            keys.append("required")
        if self.has_reporting:
            keys.append("reporting")
        return [*keys, "status"]

    def target_cell(self, t: Target, ind: Indicator | None, baseline: float) -> str:
        return target_text(t, ind, self.locale, baseline, self.rounding, self.decimals)

    def row(self, i: int) -> Row:
        cols = self.lists
        t = self.prog.targets.targets[cols["target_index"][i]]
        ind = self.prog.targets.indicator_of(t)
        status = self.statuses[cols["status"][i]]
        unit = unit_cell(
            str(cols["level"][i]), cols["unit_name"][i], cols["unit_code"][i], self.total
        )
        name = self._name(t, ind)
        cells: dict[str, str] = {"unit": unit, "indicator": name, "basis": DASH}
        if ind is not None and t.computed:
            key = ("basis", ind.id)
            if key not in self.cache:
                self.cache[key] = ind.basis_display(self.locale)
            cells["basis"] = self.cache[key]
        num, den, miss = (int(cols[k][i]) for k in ("numerator", "denominator", "missing"))
        row_target = float(cols["target"][i])
        cells["observed"] = cells["gap"] = cells["counts"] = DASH
        dec = 0
        required = format_float_signed(float(cols["required"][i]), 0, self.locale, self.rounding)
        if ind is not None and t.computed:
            dec = self.decimals_for(ind)
            threshold = self._threshold(t, ind, row_target, dec)
            if threshold is not None:
                # Shown with at least the target's decimals, so the gap is the
                # difference of the numbers shown and keeps the exact gap's sign.
                dec = max(dec, decimals_of(threshold))
            if den > 0:
                value = exact_value(num, den, ind.factor)
                suffix = unit_suffix(ind.factor)
                cells["observed"] = format_number(value, dec, self.locale, self.rounding) + suffix
                if threshold is not None:
                    cells["gap"] = self._gap(value, threshold, dec)
                    required = self._required(float(cols["required"][i]), value, threshold, dec)
            if self.nobody[i]:
                cells["observed"] = self.t(N_("nobody to count"))
            if num or den or miss or self.nobody[i]:
                # Named as the results table names them: "75,212 / 200,000 residents".
                counts = ind.counted(format_counts(num, den, self.locale), den, self.locale)
                if miss:
                    # The denominator shown leaves the unknown ones out: say so beside it
                    # and in the basis, so that no reader adds them back in.
                    counts = f"{counts} ({excluding_unknown(miss, self.locale)})"
                    cells["basis"] = basis_with_data(cells["basis"], miss, self.locale)
                cells["counts"] = counts
        if t.kind == "maintain" and t.baseline_year is not None:
            cells["target"] = self.target_cell(t, ind, row_target)
        else:  # the same for every unit: build it once per target
            key = ("target", t.id)
            if key not in self.cache:
                self.cache[key] = self.target_cell(t, ind, row_target)
            cells["target"] = self.cache[key]
        cells["trend"] = format_trend(float(cols["trend"][i]), dec, self.locale, self.rounding)
        cells["required"] = required
        if self.per_cell_unit and ind is not None and ind.factor in _DIFFERENCE_UNITS:
            unit = self.t(_DIFFERENCE_UNITS[ind.factor])
            for k in ("gap", "trend", "required"):
                if cells[k] != DASH:
                    cells[k] = f"{cells[k]} {unit}"
        key = ("status", status.id)
        if key not in self.cache:
            self.cache[key] = status.display(self.locale)
        cells["status"] = self.cache[key]
        reporting, expected = int(cols["units_reporting"][i]), int(cols["units_expected"][i])
        level = tree_level(self.prog.hierarchy, self.prog.reporting_level)
        cells["reporting"] = reporting_cell(level, reporting, expected, self.locale)
        if status.id == "met_incomplete":  # never a bare "met": say on how many units
            cells["status"] = met_on_cell(level, reporting, expected, self.locale)
        elif status.id == "not_in_force" and ind is not None:
            # On which date, as the titles table says it ("not in force on 2022-12-31").
            cells["status"] = self._not_in_force(ind.id) or cells["status"]
        return Row(tuple(cells[k] for k in self.keys()), status.id)

    def _not_in_force(self, indicator: str) -> str | None:
        """Return "not in force on DATE" for an indicator whose title is not in force."""
        from learnsoc.rules._display import date_text
        from learnsoc.rules.summary import NOT_IN_FORCE
        from learnsoc.targets.progress import NOTE_TITLE_NOT_IN_FORCE

        for note in self.prog.notes:
            ours = note.message == NOTE_TITLE_NOT_IN_FORCE and note.indicator == indicator
            if ours and note.day is not None:
                day = date_text(note.day, self.locale)
                return gettext(NOT_IN_FORCE, self.locale).format(date=day)
        return None

    def _required(self, required: float, value: Decimal, threshold: Decimal, decimals: int) -> str:
        observed = self.prog.observed_year
        if not math.isfinite(required) or observed is None:
            return DASH
        # From the numbers shown, like the gap: (target - value shown) / years left.
        shown = round_decimal(value, decimals, self.rounding)
        per_year = (threshold - shown) / (self.prog.year - observed)
        return format_signed(per_year, decimals, self.locale, self.rounding)

    def _name(self, t: Target, ind: Indicator | None) -> str:
        key = ("name", t.id)
        if key not in self.cache:
            # A star for an uncertain target, or an indicator whose denominator is.
            star = t.uncertain or (ind is not None and t.computed and ind.uncertain)
            self.cache[key] = t.display(ind, self.locale) + (" *" if star else "")
        return self.cache[key]

    def _gap(self, value: Decimal, threshold: Decimal, decimals: int) -> str:
        shown_gap = round_decimal(value, decimals, self.rounding) - threshold
        if shown_gap != 0:
            return format_signed(shown_gap, decimals, self.locale, self.rounding)
        # Rounded to nothing: the sign still says on which side of the target it lies.
        exact_gap = value - threshold
        sign = "+" if exact_gap > 0 else "-" if exact_gap < 0 else ""
        return sign + format_number(Decimal(0), decimals, self.locale, self.rounding)

    def _threshold(
        self, t: Target, ind: Indicator, row_target: float, decimals: int
    ) -> Decimal | None:
        if t.kind == "maintain" and t.baseline_year is not None:
            if not math.isfinite(row_target):
                return None
            # A baseline observed in data is shown rounded: the gap is taken from it.
            return round_decimal(Decimal(repr(row_target)), decimals, self.rounding)
        return t.threshold(ind)

    def _clause_notes(self, shown: list[int]) -> list[str]:
        return clause_notes(self.prog, shown, self.locale)

    def summary(self, codes: Any) -> str:
        from learnsoc.targets.progress import Status

        counts = np.bincount(codes, minlength=len(Status))
        parts = [
            f"{format_integer(int(counts[s]), self.locale)} {s.display(self.locale)}"
            for s in Status
            if counts[s]
        ]
        return " · ".join(parts)

    def build(self) -> Report:
        prog = self.prog
        cols = prog.columns
        sections = []
        budget = len(prog) if self.max_rows is None else max(self.max_rows, 0)
        for level in prog.level_names():
            if budget <= 0:
                break
            rows = np.flatnonzero(cols["level"] == level)
            heading = prog.level_display(level, self.locale)
            sections.append(
                Section(
                    section_heading(heading),
                    tuple(self.row(int(i)) for i in rows[:budget]),
                    self.summary(cols["status"][rows]),
                )
            )
            budget -= len(rows)
        built = sum(len(s.rows) for s in sections)
        targets = prog.targets
        document = targets.name_in(self.locale)
        observed = prog.observed_years
        if observed:
            years = ", ".join(str(y) for y in observed)
            period = self.t(_TARGETS_FOR_OBSERVED).format(year=prog.year, observed=years)
        else:
            period = self.t(_TARGETS_FOR).format(year=prog.year)
        if prog.as_of is not None:
            day = format_date(prog.as_of, self.locale, "report")
            period += "; " + self.t(_TITLES_AS_OF).format(date=day)
        subtitle = [period, *tree_line(prog.hierarchy.spec, self.locale)]
        if targets.date is not None:
            date = format_date(targets.date, self.locale, "report")
            issuer = targets.issuer_in(self.locale)
            # The source line gives the full signed title; "Nghị quyết số 23-NQ/TU của Thành ủy
            # Hà Nội về ..." already names its issuer.
            full = targets.title_in(self.locale)
            source = _SOURCE_NAMED if issuer in full else _SOURCE
            subtitle.append(self.t(source).format(document=full, issuer=issuer, date=date))
        subtitle.append(self.t(_ROUNDING_NOTES[self.rounding]))
        notes = progress_notes(prog, self.locale)
        shown_targets = sorted({int(i) for i in np.unique(cols["target_index"])})
        # The notes of the targets shown (why a number is uncertain, the 2025 reform ...).
        for i in shown_targets:
            t = targets.targets[i]
            if t.note_in(self.locale):
                name = t.display(targets.indicator_of(t), self.locale)
                notes.append(self.t(_TARGET_NOTE).format(target=name, note=t.note_in(self.locale)))
        notes = list(dict.fromkeys(notes))
        star = (
            [self.t(_UNCERTAIN)] if any(targets.targets[i].uncertain for i in shown_targets) else []
        )
        shown = [targets.indicator_of(targets.targets[i]) for i in sorted(shown_targets)]
        bases = basis_notes((ind for ind in shown if ind is not None), self.locale)
        # Where the targets are set, after what the rates are of (and what "*" means),
        # before what the data lack: the table's references.
        notes = [*bases, *star, *self._clause_notes(shown_targets), *notes]
        words = {**HEADINGS, **self.difference_headings}
        columns = tuple(
            Column(k, self.t(words[k]), "right" if k in _RIGHT else "left") for k in self.keys()
        )
        return Report(
            title=self.t(_TITLE).format(document=document),
            columns=columns,
            sections=tuple(sections),
            subtitle=tuple(subtitle),
            notes=tuple(notes),
            locale=self.locale,
            omitted=len(prog) - built,
            rows_read=rows_read_lines(prog.rejects, self.locale),
        )


def clause_notes(prog: Progress, shown: list[int], locale: str) -> list[str]:
    """Return the clauses the targets shown are set in, as a published table cites them.

    One note a clause, naming its targets in the table's order: a resolution sets
    several targets in one clause, and a note each would repeat it. ``shown`` are the
    indices of the targets whose rows the table shows. The text report and the
    workbook's notes sheet both give them (the ``clause`` column cites them).

    Examples
    --------
    >>> import learnsoc as ls
    >>> from learnsoc.targets import load_targets, progress
    >>> h = ls.Hierarchy.from_units({"code": ["02"], "level": ["province"],
    ...     "parent_code": [None]}, levels=["province"])
    >>> roll = ls.rollup_counts({"unit_code": ["02"], "clans": [4], "learning_clans": [3]}, h)
    >>> prog = progress(roll, load_targets("hanoi-23-nq-tu").select(
    ...     indicators=["learning_clans"]), year=2025)
    >>> clause_notes(prog, [0], "vi")  # doctest: +NORMALIZE_WHITESPACE
    ['Tỷ lệ Dòng họ học tập: theo mục II.2.2.d (mục tiêu đến năm 2025: xây dựng các mô
    hình học tập)']
    """
    targets = prog.targets
    named: dict[str, list[str]] = {}
    for i in shown:
        t = targets.targets[i]
        clause = t.clause_in(locale)
        if clause:
            name = t.display(targets.indicator_of(t), locale)
            named.setdefault(clause, [])
            if name not in named[clause]:
                named[clause].append(name)
    said = gettext(_TARGET_CLAUSE, locale)
    return [said.format(target=", ".join(n), clause=c) for c, n in named.items()]


def progress_notes(prog: Progress, locale: str) -> list[str]:
    """Return the notes of a progress table, as every form of its report gives them.

    The table's own (data absent, the 2025 reform ...), then the rows rejected behind its
    figures (:func:`~learnsoc.report.results.rejected_rows_notes`).
    """
    from learnsoc.report.results import rejected_rows_notes

    notes = [note.text(prog.targets, locale) for note in prog.notes]
    return notes + rejected_rows_notes(prog.rejects, locale)


def rows_read_lines(rejects: Any, locale: str) -> tuple[str, ...]:
    """Return the lines of the rows read, accepted and rejected behind a report, or ``()``.

    Only when rows were rejected or skipped, or a counts file's cells '-' were read as 0,
    as the titles' summary shows them: a report of every row read reads as before.

    Examples
    --------
    >>> from learnsoc.rejects import CountedRejects
    >>> built = CountedRejects(read={"person": 901}, rejected={"person": 1}, file="d/rejects.csv")
    >>> rows_read_lines(built, "vi")
    ('người: đọc 901, nhận 900, 1 dòng bị loại', \
'(các dòng bị loại, kèm tệp và số dòng: d/rejects.csv)')
    >>> rows_read_lines(CountedRejects(read={"person": 900}), "en")
    ()
    """
    from learnsoc.rules.summary import rows_read

    if rejects is None or not (
        len(rejects)
        or any(rejects.n_skipped(t) for t in rejects.read)
        # Cells '-' read as 0 change the figures as surely as rows rejected: said too.
        or any(rejects.dashes.get(t) for t in rejects.read)
    ):
        return ()
    return tuple(rows_read(rejects, locale))


def build_progress_report(
    prog: Progress,
    locale: str | None,
    *,
    rounding: str = "half_up",
    decimals: int | Mapping[str, int] | None = None,
    max_rows: int | None = None,
) -> Report:
    """Build the report of a progress table in a locale (see :meth:`Report.from_progress`)."""
    built = _Builder(prog, normalize_locale(locale), rounding, decimals, max_rows).build()
    again = functools.partial(
        build_progress_report, prog, rounding=rounding, decimals=decimals, max_rows=max_rows
    )
    return attrs.evolve(built, remake=again)


class _ResultsBuilder:
    def __init__(
        self,
        res: Results,
        locale: str,
        rounding: str,
        decimals: int | Mapping[str, int] | None,
        max_rows: int | None,
    ) -> None:
        self.res = res
        self.locale = locale
        self.total = total_label(res.hierarchy, locale)
        self.rounding = rounding
        check_decimals(decimals, [ind.id for ind in res.indicators])
        self.decimals = decimals
        self.max_rows = max_rows
        round_decimal(0, 0, rounding)  # fail early on an unknown rounding mode
        self.lists: dict[str, list[Any]] = {k: v.tolist() for k, v in res.columns.items()}
        # Per indicator, once: its name, decimals and basis.
        self.names = [
            ind.display(locale) + (" *" if ind.uncertain else "") for ind in res.indicators
        ]
        self.places = [decimals_for(decimals, ind) for ind in res.indicators]
        self.bases = [ind.basis_display(locale) for ind in res.indicators]
        self.keys = [k for k in RESULT_HEADINGS if k != "reporting" or res.reporting_level]
        # Each row's status, as the CSV says it: a unit that reported nobody to count
        # ("empty") says so in the rate's cell, as a dash would not.
        from learnsoc.report.results import RESULT_STATUSES
        from learnsoc.report.tables import results_columns

        self.statuses = results_columns(res, locale)["status"].tolist()
        self.undefined = {k: gettext(RESULT_STATUSES[k], locale) for k in ("empty", "missing")}

    def row(self, i: int) -> Row:
        cols = self.lists
        k = cols["indicator_index"][i]
        ind = self.res.indicators[k]
        num, den, miss = (int(cols[c][i]) for c in ("numerator", "denominator", "missing"))
        counts = value = DASH
        basis = self.bases[k]
        group = self.res.group_of(i)
        if group is not None:  # the share among the group's members, not among everyone
            basis = basis_of_group(basis, group.label(self.locale), self.locale)
        if num or den or miss:
            counts = ind.counted(format_counts(num, den, self.locale), den, self.locale)
            if miss:
                # The denominator shown leaves the unknown ones out (see the progress rows).
                counts = f"{counts} ({excluding_unknown(miss, self.locale)})"
                basis = basis_with_data(basis, miss, self.locale)
        if den > 0:
            exact = exact_value(num, den, ind.factor)
            value = format_number(exact, self.places[k], self.locale, self.rounding)
            value += unit_suffix(ind.factor)
        status = self.statuses[i]
        if status in self.undefined:  # counted, and nobody (with a value) to divide by
            value = self.undefined[status]
            if status == "empty":
                counts = ind.counted(format_counts(0, 0, self.locale), 0, self.locale)
        unit = unit_cell(cols["level"][i], cols["unit_name"][i], cols["unit_code"][i], self.total)
        name = self.names[k]
        if group is not None:  # a breakdown row, under its total: "trong đó nữ"
            name = gettext(OF_WHICH, self.locale).format(group=group.label(self.locale))
        cells = (unit, name, counts, value, basis)
        if self.res.reporting_level is None:
            return Row(cells)
        reporting, expected = int(cols["units_reporting"][i]), int(cols["units_expected"][i])
        level = tree_level(self.res.hierarchy, self.res.reporting_level)
        done = reporting_cell(level, reporting, expected, self.locale)
        return Row((*cells, done))

    def build(self) -> Report:
        res = self.res
        cols = res.columns
        sections = []
        budget = len(res) if self.max_rows is None else max(self.max_rows, 0)
        for level in res.level_names():
            if budget <= 0:
                break
            rows = np.flatnonzero(cols["level"] == level)
            heading = section_heading(res.level_display(level, self.locale))
            sections.append(Section(heading, tuple(self.row(int(i)) for i in rows[:budget])))
            budget -= len(rows)
        built = sum(len(s.rows) for s in sections)
        if res.as_of is not None:
            day = format_date(res.as_of, self.locale, "report")
            title = gettext(RESULTS_TITLE_AS_OF, self.locale).format(date=day)
        elif res.year is None:
            title = gettext(RESULTS_TITLE, self.locale)
        else:
            title = gettext(RESULTS_TITLE_YEAR, self.locale).format(year=res.year)
        shown = [res.indicators[k] for k in np.unique(cols["indicator_index"]).tolist()]
        notes = [*basis_notes(shown, self.locale), *res.notes(self.locale)]
        columns = tuple(
            Column(k, gettext(RESULT_HEADINGS[k], self.locale), "right" if k in _RIGHT else "left")
            for k in self.keys
        )
        return Report(
            title=title,
            columns=columns,
            sections=tuple(sections),
            subtitle=(
                *tree_line(res.hierarchy.spec, self.locale),
                gettext(_RESULTS_ROUNDING[self.rounding], self.locale),
            ),
            notes=tuple(notes),
            locale=self.locale,
            omitted=len(res) - built,
            rows_read=rows_read_lines(res.rejects, self.locale),
        )


def build_results_report(
    res: Results,
    locale: str | None,
    *,
    rounding: str = "half_up",
    decimals: int | Mapping[str, int] | None = None,
    max_rows: int | None = None,
) -> Report:
    """Build the report of a results table in a locale (see :meth:`Results.report`)."""
    built = _ResultsBuilder(res, normalize_locale(locale), rounding, decimals, max_rows).build()
    again = functools.partial(
        build_results_report, res, rounding=rounding, decimals=decimals, max_rows=max_rows
    )
    return attrs.evolve(built, remake=again)
