"""Explanations of verdicts, in Vietnamese and English: each criterion and the numbers.

An :class:`Explanation` is built from what :func:`~learnsoc.rules.engine.evaluate` kept
(one bit per criterion per entity and the counts behind aggregate criteria), so it
needs no second run. ``str()`` renders it; its fields hold the same facts as data::

    household HH-1 — learning family: not granted
      criteria from 2021-01-01 (Quyết định 387/QĐ-TTg); rulebook example 2025.1, as of 2025-12-31
      ✓ every school-age child attends school: 1 of 1
      ✗ adults are learning citizens: 1 of 3 (33.33%); needed ≥ 50% (uncertain)

Marks: ``✓`` passed, ``✗`` failed, ``?`` unknown (missing data).

Words come from the message catalogs (:func:`learnsoc.i18n.gettext`); numbers and
dates are formatted for the locale (vi: ``33,33%``, ``31/12/2025``).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Protocol

import attrs
from babel.numbers import format_decimal as _babel_decimal

from learnsoc._made_in import remade_in
from learnsoc.i18n import N_, format_integer, get_locale, gettext, normalize_locale
from learnsoc.rules._display import date_text as _date
from learnsoc.rules._display import percent_text as _percent
from learnsoc.rules.conditions import bind_values, live_parameters
from learnsoc.rules.entries import Criterion, InputSpec, Title, Version
from learnsoc.rules.language import Name, walk
from learnsoc.rules.rulebook import Rulebook
from learnsoc.rules.summary import NOT_IN_FORCE, summary_text
from learnsoc.rules.types import ValueType

if TYPE_CHECKING:
    from learnsoc.model.population import Population
    from learnsoc.rules.context import PopulationContext
    from learnsoc.rules.verdicts import AggregateNumbers, AtomNumbers, Verdicts

# summary_text moved to learnsoc.rules.summary; its old import path keeps working.
__all__ = [
    "CriterionExplanation",
    "Evaluated",
    "Explanation",
    "TitleExplanation",
    "abolished_message",
    "explain_entity",
    "name_label",
    "summary_text",
]

# Phrases of explanations and summaries (translated by the catalogs).
_PHRASES: tuple[str, ...] = (
    N_("granted"),
    N_("not granted"),
    N_("unknown (missing data)"),
    N_("not assessed"),
    N_("{hits} of {count}"),
    N_("needed {op} {threshold}"),
    N_("nobody to count"),
    N_("missing for all {n}"),
    N_("{n} with missing data not counted"),
    N_("count"),
    N_("sum"),
    N_("mean"),
    N_("min"),
    N_("max"),
    N_("yes"),
    N_("no"),
    N_("unknown"),
    N_("uncertain"),
    N_("points"),
    N_("grade"),
    N_("criteria from {date}"),
    N_("rulebook {name} {version}, as of {date}"),
    N_("title"),
    N_("level"),
    N_("assessed"),
    N_("as of {date}"),
    N_(
        "{title}: the recognition procedure was abolished on {date} ({document}); the "
        "verdicts as of {as_of} apply the last criteria in force ({criteria}) and are not "
        "an official recognition"
    ),
    N_("recognition procedure abolished on {date} ({document}): not an official recognition"),
    N_("recognition procedure abolished on {date} ({document}): nobody is assessed for the title"),
    N_("* rests on values that no source pins (uncertain): see the explanation"),
    N_("† recognition procedure abolished on {date}: not an official recognition"),
)
#: How a user makes an explanation in another locale (said by the error of one made by hand).
_EXPLAIN_AGAIN = "ev.explain(..., locale=...)"
_MARKS = {"passed": "✓", "failed": "✗", "unknown": "?"}
_OPS = {">=": "≥", "<=": "≤", "==": "=", "!=": "≠", ">": ">", "<": "<"}
_FUNCS = {
    "count": N_("count"),
    "sum": N_("sum"),
    "mean": N_("mean"),
    "min": N_("min"),
    "max": N_("max"),
}


#: What an explanation's repr says of the language its ``str()`` is written in.
_WRITTEN_IN = {"en": N_("written in English"), "vi": N_("written in Vietnamese")}


def _t(message: str, locale: str) -> str:
    return gettext(message, locale)


def _number(value: float | int, locale: str) -> str:
    if isinstance(value, int) or float(value).is_integer():
        return format_integer(int(value), locale)
    return str(_babel_decimal(value, format="#,##0.###", locale=locale))


class Evaluated(Protocol):
    """What an explanation reads of an :class:`~learnsoc.rules.evaluation.Evaluation`.

    A protocol, so that this module does not import the evaluation, whose
    :meth:`~learnsoc.rules.evaluation.Evaluation.explain` hands over to it.

    Examples
    --------
    >>> import learnsoc as ls, warnings
    >>> pop = ls.synthetic_population(persons=2_000, seed=5)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ev = ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31")
    >>> def rulebook_of(evaluated: Evaluated) -> str:
    ...     return f"{evaluated.rulebook.info.id} as of {evaluated.as_of}"
    >>> rulebook_of(ev)  # an Evaluation is one
    'example as of 2025-12-31'
    """

    @property
    def population(self) -> Population:
        """The population evaluated."""
        ...

    @property
    def rulebook(self) -> Rulebook:
        """The rulebook applied."""
        ...

    @property
    def as_of(self) -> dt.date:
        """The date of the criteria and parameter values applied."""
        ...

    @property
    def verdicts_by_title(self) -> Mapping[str, Verdicts]:
        """Each title's verdicts."""
        ...

    @property
    def numbers(self) -> Mapping[tuple[str, str], tuple[AtomNumbers, ...]]:
        """The numbers behind aggregate criteria, by (title, criterion)."""
        ...

    @property
    def context(self) -> PopulationContext | None:
        """The columns read, for the values a criterion without aggregates read."""
        ...


@attrs.frozen
class CriterionExplanation:
    """One criterion for one entity.

    Attributes
    ----------
    id : str
    label : str
        In the explanation's locale.
    status : {"passed", "failed", "unknown"}
    details : str
        The numbers behind it ("1 of 3 (33.33%); needed ≥ 50%") or the values it read.
    clause, source : str or None
        The clause and document cited.
    points : float or None
        Points it carries (points titles).
    uncertain : bool
        Whether it, or a parameter it reads on this date, is not pinned by a source.
    reasons : tuple of str
        Why (the rulebook's notes of the criterion and of those parameters).

    Examples
    --------
    >>> import learnsoc as ls, warnings
    >>> pop = ls.synthetic_population(persons=2_000, seed=5)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ev = ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31")
    >>> criterion = ev.explain("learning_family", pop.household_ids[0]).titles[0].criteria[1]
    >>> criterion.id, criterion.status, criterion.uncertain
    ('adults_learning_citizens', 'passed', True)
    """

    id: str
    label: str
    status: str
    details: str
    clause: str | None = None
    source: str | None = None
    points: float | None = None
    uncertain: bool = False
    reasons: tuple[str, ...] = ()

    def render(self, locale: str) -> str:
        """Return the criterion as one line."""
        mark = _MARKS[self.status]
        points = f"(+{_number(self.points, locale)}) " if self.points else ""
        line = f"{mark} {points}{self.label}"
        if self.details:
            line += f": {self.details}"
        if self.uncertain:
            line += f" ({_t('uncertain', locale)})"
        if self.clause:
            # A clause without a number is written in brackets in the rulebooks
            # ("(tỷ lệ gia đình học tập)"): one pair is enough, "[tỷ lệ ...]", not "[(...)]".
            clause = self.clause
            if clause.startswith("(") and clause.endswith(")") and ")" not in clause[1:-1]:
                clause = clause[1:-1]
            line += f" [{clause}]"
        return line


@attrs.frozen
class TitleExplanation:
    """One title's verdict for one entity, with its criteria.

    Attributes
    ----------
    title : str
    label : str
    verdict : {"granted", "not granted", "unknown", "not assessed"}
    version : datetime.date
        The start of the version applied.
    source : str or None
        The document of that version.
    points : float or None
    grade : str or None
        The grade's label.
    criteria : tuple of CriterionExplanation
    uncertain : bool
        Whether the way the version's criteria combine is not pinned by its source.
    uncertain_reason : str or None
        The version's note saying why.
    abolished : datetime.date or None
        The day the title's recognition procedure was abolished, when ``as_of`` is on or
        after it.
    abolished_by : str or None
        The abolishing document.
    in_force : bool
        False when the version applied is a placeholder not in force on the date (the
        learning district from 1/7/2025): nobody is assessed, and the verdict reads "not
        in force on <date>", as the titles table's row does.

    Examples
    --------
    >>> import learnsoc as ls, warnings
    >>> pop = ls.synthetic_population(persons=2_000, seed=5)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ev = ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31")
    >>> family = ev.explain("learning_family", pop.household_ids[0]).titles[0]
    >>> family.title, family.verdict, family.version.isoformat()
    ('learning_family', 'granted', '2021-01-01')
    """

    title: str
    label: str
    verdict: str
    version: dt.date
    source: str | None
    criteria: tuple[CriterionExplanation, ...]
    points: float | None = None
    grade: str | None = None
    uncertain: bool = False
    uncertain_reason: str | None = None
    abolished: dt.date | None = None
    abolished_by: str | None = None
    in_force: bool = True


@attrs.frozen
class Explanation:
    """Why one entity has (or has not) its level's titles.

    ``str()`` and a notebook show it in the locale it was made in;
    :meth:`to_text` and :meth:`to_html` show it in another, made again from the
    evaluation (an explanation built by hand from its fields cannot be).

    Attributes
    ----------
    level : str
    entity : str
        The entity's id or unit code.
    as_of : datetime.date
    rulebook : str
        The rulebook's id and version.
    titles : tuple of TitleExplanation
    locale : str
        The locale its labels and details are written in.
    remake : callable, optional
        Makes the same explanation in another locale (given by
        :meth:`~learnsoc.rules.evaluation.Evaluation.explain`).

    Examples
    --------
    >>> import learnsoc as ls, warnings
    >>> pop = ls.synthetic_population(persons=2_000, seed=5)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ev = ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31")
    >>> explanation = ev.explain("learning_family", pop.household_ids[0])
    >>> explanation
    Explanation('household', '1', en: learning_family: granted)
    >>> [(c.id, c.status) for c in explanation.titles[0].criteria]
    [('children_in_school', 'passed'), ('adults_learning_citizens', 'passed')]
    """

    level: str
    level_label: str
    entity: str
    as_of: dt.date
    rulebook: str
    titles: tuple[TitleExplanation, ...]
    locale: str
    _remake: Callable[[str], Explanation] | None = attrs.field(
        default=None, kw_only=True, eq=False, repr=False
    )

    @property
    def verdict(self) -> str:
        """The verdict of the (first) title."""
        return self.titles[0].verdict

    def _repr_html_(self) -> str:
        """Return the explanation as ``str()`` writes it, for a notebook (not the fields' repr)."""
        return self.to_html()

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        # One line, as the tables' reprs (the attrs form spelt out every criterion); the
        # verdicts in the default locale. English writes the ids a program types and the
        # locale str() writes in; another language names the level and titles in its words
        # and says in which language str() is written only when it is not its own.
        loc = get_locale()
        if loc == "en":
            verdicts = ", ".join(f"{t.title}: {_t(t.verdict, loc)}" for t in self.titles)
            return f"Explanation({self.level!r}, {self.entity!r}, {self.locale}: {verdicts})"
        named = self
        if self.locale != loc and self._remake is not None:
            named = self._remake(loc)  # the labels in the notebook's language
        verdicts = ", ".join(f"{t.label}: {_t(t.verdict, loc)}" for t in named.titles)
        written = "" if self.locale == loc else "; " + _t(_WRITTEN_IN[self.locale], loc)
        return f"Explanation({named.level_label} {self.entity!r}: {verdicts}{written})"

    def to_html(self, locale: str | None = None) -> str:
        """Return the explanation as preformatted HTML, in a locale (every value escaped).

        Parameters
        ----------
        locale : str, optional
            ``"vi"`` or ``"en"``; None: the locale it was made in.

        Raises
        ------
        LocaleError
            If it was built by hand in another locale (make it with ``ev.explain(...,
            locale=)``).

        Examples
        --------
        >>> import warnings
        >>> import learnsoc as ls
        >>> pop = ls.synthetic_population(persons=300, seed=1)
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")  # inputs the example rulebook reads
        ...     ev = ls.evaluate(pop, "example", "2025-12-31")
        >>> why = ev.explain("household", 1, locale="en")
        >>> why.to_html("vi").startswith('<pre class="learnsoc-explanation" lang="vi">hộ gia đình')
        True
        """
        import html

        again = remade_in(self.locale, locale, self._remake, _EXPLAIN_AGAIN)
        if again is not None:
            return again.to_html()
        return (
            f'<pre class="learnsoc-explanation" lang="{html.escape(self.locale)}">'
            f"{html.escape(self.to_text())}</pre>"
        )

    def to_text(self, locale: str | None = None) -> str:
        """Return the explanation as lines of text, in a locale.

        Parameters
        ----------
        locale : str, optional
            ``"vi"`` or ``"en"``; None: the locale it was made in.

        Raises
        ------
        LocaleError
            If it was built by hand in another locale.

        Examples
        --------
        >>> import warnings
        >>> import learnsoc as ls
        >>> pop = ls.synthetic_population(persons=300, seed=1)
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")  # inputs the example rulebook reads
        ...     ev = ls.evaluate(pop, "example", "2025-12-31")
        >>> why = ev.explain("household", 1, locale="vi")
        >>> why.to_text("en") == str(ev.explain("household", 1, locale="en"))
        True
        """
        again = remade_in(self.locale, locale, self._remake, _EXPLAIN_AGAIN)
        if again is not None:
            return again.to_text()
        loc = self.locale
        lines: list[str] = []
        for title in self.titles:
            verdict = _t(
                "unknown (missing data)" if title.verdict == "unknown" else title.verdict, loc
            )
            if not title.in_force:  # "not assessed, 0 points" would read as measured
                verdict = _t(NOT_IN_FORCE, loc).format(date=_date(self.as_of, loc))
            extra = ""
            if title.points is not None and title.in_force:
                extra += f", {_number(title.points, loc)} {_t('points', loc)}"
            if title.grade is not None:
                extra += f", {_t('grade', loc)} {title.grade}"
            lines.append(f"{self.level_label} {self.entity} — {title.label}: {verdict}{extra}")
            origin = _t("criteria from {date}", loc).format(date=_date(title.version, loc))
            if title.source:
                origin += f" ({title.source})"
            if title.uncertain:
                origin += f" ({_t('uncertain', loc)})"
            book = _t("rulebook {name} {version}, as of {date}", loc).format(
                name=self.rulebook.split(" ")[0],
                version=" ".join(self.rulebook.split(" ")[1:]),
                date=_date(self.as_of, loc),
            )
            lines.append(f"  {origin}; {book}")
            if title.abolished is not None:
                gone = _t(
                    "recognition procedure abolished on {date} ({document}): not an official "
                    "recognition"
                    if title.in_force
                    else "recognition procedure abolished on {date} ({document}): nobody is "
                    "assessed for the title",
                    loc,
                )
                shown = gone.format(
                    date=_date(title.abolished, loc), document=title.abolished_by or "—"
                )
                lines.append(f"  ⚠ {shown}")
            lines.extend(f"  {c.render(loc)}" for c in title.criteria)
        return "\n".join(lines)


# --------------------------------------------------------------------------------- building


def _aggregate_phrase(agg: AggregateNumbers, i: int, locale: str, with_share: bool) -> str:
    status = int(agg.status[i])
    missing = int(agg.missing[i])
    if status == 1:
        return _t("nobody to count", locale)
    if status == 2:
        return _t("missing for all {n}", locale).format(n=format_integer(missing, locale))
    if agg.hits is not None:
        hits, count = int(agg.hits[i]), int(agg.count[i])
        text = _t("{hits} of {count}", locale).format(
            hits=format_integer(hits, locale), count=format_integer(count, locale)
        )
        if with_share and count:
            text += f" ({_percent(hits / count, locale)})"
    else:
        value = agg.value[i].item() if agg.value is not None else int(agg.count[i])
        shown = "—" if value != value else _number(value, locale)
        text = f"{_t(_FUNCS[agg.func], locale)} = {shown}"
    if missing:
        note = _t("{n} with missing data not counted", locale)
        text += f", {note.format(n=format_integer(missing, locale))}"
    return text


def _atom_phrase(atom: AtomNumbers, i: int, locale: str) -> str:
    if len(atom.aggregates) == 1 and atom.op is not None:
        agg = atom.aggregates[0]
        text = _aggregate_phrase(agg, i, locale, with_share=agg.func == "share")
        threshold = atom.threshold_at(i)
        if threshold is not None and int(agg.status[i]) == 0:
            shown = (
                _percent(float(threshold), locale)
                if agg.func == "share"
                else _number(threshold, locale)
            )
            needed = _t("needed {op} {threshold}", locale)
            text += "; " + needed.format(op=_OPS.get(atom.op, atom.op), threshold=shown)
        return text
    if len(atom.aggregates) == 1:
        return _aggregate_phrase(atom.aggregates[0], i, locale, with_share=False)
    return "; ".join(
        f"{agg.text} = {_aggregate_phrase(agg, i, locale, with_share=agg.func == 'share')}"
        for agg in atom.aggregates
    )


def _value_phrase(
    ev: Evaluated, level: str, name: str, i: int, locale: str, *, alone: bool = False
) -> str:
    """Return ``label = value`` of a name a criterion read; the value only when ``alone``.

    A criterion reading one yes/no or coded value says what it asks in its own label
    ("Biết chữ: có"); repeating the column's label before the value would say it twice.
    """
    label = name_label(ev.rulebook, ev.population, level, name, locale)
    if ev.context is None:
        return label
    value, known = ev.context.value_at(level, name, i)
    if isinstance(value, float) and value != value:
        known = False
    value_type: ValueType | None = ev.rulebook.names.get(level, {}).get(name)
    worded = value_type is not None and value_type.kind in ("bool", "code")
    if not known:
        shown = _t("unknown", locale)
    elif value_type is not None and value_type.kind == "bool":
        shown = _t("yes" if value else "no", locale)
    elif value_type is not None and value_type.kind == "code":
        shown = _code_name(ev, level, name, int(value), value_type, locale)
    else:
        shown = _number(value, locale)
    return shown if alone and worded else f"{label} = {shown}"


def _input_of(book: Rulebook, level: str, name: str) -> InputSpec | None:
    return next((s for s in book.inputs if s.level == level and s.name == name), None)


def name_label(
    book: Rulebook, population: Population, level: str, name: str, locale: str | None = None
) -> str:
    """Return what a name of the rule language is called, in a locale, for explanations.

    The rulebook's label of an input, derived variable or title it declares; else the
    label of a column of the population's schema; else the name as written (an agency's
    own column, which its staff know by that name).

    Examples
    --------
    >>> import learnsoc as ls
    >>> book, pop = ls.load_rulebook("vn-national"), ls.synthetic_population(persons=50)
    >>> name_label(book, pop, "person", "literate", "vi")
    'biết chữ'
    >>> name_label(book, pop, "organisation", "learning_unit_commune", "en")
    "learning unit attached to a commune (Association's criteria)"
    """
    loc = normalize_locale(locale)
    spec = _input_of(book, level, name)
    if spec is not None:
        return spec.label.text(loc)
    derived = next((d for d in book.derived if d.level == level and d.name == name), None)
    if derived is not None and derived.label is not None:
        return derived.label.text(loc)
    title = next((t for t in book.titles if t.level == level and t.id == name), None)
    if title is not None:
        return title.label.text(loc)
    schema = population.schema
    if level in schema.tables and name in schema.table(level):
        return gettext(schema.table(level).column(name).label, loc)
    return name


def _code_name(
    ev: Evaluated, level: str, name: str, code: int, value_type: ValueType, locale: str
) -> str:
    # A rulebook's code input says its codes in words (code_labels); a standard column's
    # codes are the schema's, translated by the catalogs.
    spec = _input_of(ev.rulebook, level, name)
    names = {value: code_name for code_name, value in value_type.codes}
    if spec is not None and code in names:
        return spec.code_label(names[code], locale)
    schema = ev.population.schema
    if level in schema.tables and name in schema.table(level):
        codes = schema.table(level).column(name).codes
        if codes is not None and code in codes.codes():
            return codes(code).label(locale)
    return names.get(code, str(code))


def _criterion(
    ev: Evaluated, title: Title, criterion: Criterion, j: int, i: int, locale: str
) -> CriterionExplanation:
    verdicts = ev.verdicts_by_title[title.id]
    bit = 1 << j
    passed = bool(int(verdicts.passed_bits[i]) & bit)
    known = bool(int(verdicts.known_bits[i]) & bit)
    status = "passed" if passed else "failed" if known else "unknown"
    atoms = ev.numbers.get((title.id, criterion.id), ())
    if atoms:
        details = "; ".join(_atom_phrase(a, i, locale) for a in atoms)
    else:
        values = {
            name: ev.rulebook.parameters[name].value_at(ev.as_of)[0].value
            for name in criterion.parameters
        }
        ir = bind_values(criterion.tree, values)
        names = list(dict.fromkeys(n.name for n in walk(ir) if isinstance(n, Name)))
        details = ", ".join(
            _value_phrase(ev, title.level, n, i, locale, alone=len(names) == 1) for n in names
        )
    params = ev.rulebook.parameters
    values = {p: params[p].value_at(ev.as_of)[0].value for p in criterion.parameters}
    # A pass mark in a branch its switch drops decides nothing: it does not make this
    # criterion uncertain (the recorded recognition decides, not the portal's 80 points).
    doubtful = sorted(
        p
        for p in live_parameters(criterion.tree, criterion.parameters, values)
        if params[p].uncertain
    )
    reasons = [criterion.note or ""] if criterion.uncertain else []
    reasons += [f"{p}: {params[p].note or ''}" for p in doubtful]
    source = ev.rulebook.sources.get(criterion.source) if criterion.source else None
    return CriterionExplanation(
        id=criterion.id,
        label=criterion.label.text(locale),
        status=status,
        details=details,
        clause=None if criterion.clause is None else criterion.clause.text(locale),
        source=source.document_in(locale) if source is not None else None,
        points=float(criterion.points) if title.rule == "points" else None,
        uncertain=criterion.uncertain or bool(doubtful),
        reasons=tuple(reasons),
    )


def explain_entity(
    ev: Evaluated,
    title_ids: list[str],
    level: str,
    i: int,
    entity_id: object,
    locale: str | None,
) -> Explanation:
    """Build the :class:`Explanation` of entity ``i`` of ``level`` for some titles.

    Use :meth:`learnsoc.rules.evaluation.Evaluation.explain`, which finds ``i`` from an id.

    Examples
    --------
    >>> import learnsoc as ls, warnings
    >>> pop = ls.synthetic_population(persons=2_000, seed=5)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ev = ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31")
    >>> explain_entity(ev, ["learning_family"], "household", 0, pop.household_ids[0], "en")
    Explanation('household', '1', en: learning_family: granted)
    """
    loc = normalize_locale(locale)
    titles: list[TitleExplanation] = []
    for title_id in title_ids:
        verdicts = ev.verdicts_by_title[title_id]
        title = verdicts.title
        if not bool(verdicts.assessed[i]):
            verdict = "not assessed"
        elif bool(verdicts.passed[i]):
            verdict = "granted"
        elif bool(verdicts.known[i]):
            verdict = "not granted"
        else:
            verdict = "unknown"
        grade = None
        if verdicts.grade is not None:
            code = int(verdicts.grade[i])
            grade = next((g.label.text(loc) for g in title.grades if g.code == code), None)
        source = ev.rulebook.sources.get(verdicts.version.source or "")
        abolition = title.abolished
        if abolition is not None and not abolition.applies(ev.as_of):
            abolition = None
        abolished_by = None
        if abolition is not None and abolition.source is not None:
            abolished_by = ev.rulebook.sources[abolition.source].document_in(loc)
        titles.append(
            TitleExplanation(
                title=title_id,
                label=title.label.text(loc),
                verdict=verdict,
                version=verdicts.version.start,
                source=source.document_in(loc) if source is not None else None,
                criteria=tuple(
                    _criterion(ev, title, c, j, i, loc)
                    for j, c in enumerate(verdicts.version.criteria)
                ),
                points=None if verdicts.points is None else float(verdicts.points[i]),
                grade=grade,
                uncertain=verdicts.version.uncertain,
                uncertain_reason=verdicts.version.note if verdicts.version.uncertain else None,
                abolished=None if abolition is None else abolition.start,
                abolished_by=abolished_by,
                in_force=verdicts.version.in_force,
            )
        )
    if level in ev.population.hierarchy.levels:
        level_label = ev.population.hierarchy.level_label(level, loc)
    else:
        level_label = gettext(level, loc)
    info = ev.rulebook.info
    return Explanation(
        level=level,
        level_label=level_label,
        entity=str(entity_id),
        as_of=ev.as_of,
        rulebook=f"{info.id} {info.version}",
        titles=tuple(titles),
        locale=loc,
        remake=functools.partial(explain_entity, ev, title_ids, level, i, entity_id),
    )


def abolished_message(
    book: Rulebook, title: Title, version: Version, as_of: dt.date, locale: str | None = None
) -> str:
    """Return the warning for a title decided after its recognition procedure was abolished.

    In the locale (the current one by default), naming the title, the date, the
    abolishing document and the criteria applied.

    Examples
    --------
    >>> from learnsoc.rules.registry import load_rulebook
    >>> book = load_rulebook("vn-national")
    >>> title = book.title("commune_learning_community")
    >>> as_of = dt.date(2025, 12, 31)
    >>> print(abolished_message(book, title, title.version_at(as_of)[0], as_of, "vi"))
    ... # doctest: +NORMALIZE_WHITESPACE
    Cộng đồng học tập cấp xã: thủ tục công nhận đã bị bãi bỏ từ ngày 01/7/2025
    (Nghị định 142/2025/NĐ-CP; Thông tư 11/2025/TT-BGDĐT); kết quả đánh giá tính đến ngày
    31/12/2025 áp dụng bộ tiêu chí có hiệu lực sau cùng (tiêu chí áp dụng từ ngày 12/02/2024,
    Thông tư 25/2023/TT-BGDĐT) và không phải là kết quả công nhận chính thức
    """
    loc = normalize_locale(locale)
    abolition = title.abolished
    if abolition is None:  # pragma: no cover - callers check
        msg = f"title {title.id!r} has no abolished date"
        raise ValueError(msg)
    source = book.sources.get(abolition.source or "")
    criteria = _t("criteria from {date}", loc).format(date=_date(version.start, loc))
    version_source = book.sources.get(version.source or "")
    if version_source is not None:
        criteria += f", {version_source.document_in(loc)}"
    message = _t(
        "{title}: the recognition procedure was abolished on {date} ({document}); the "
        "verdicts as of {as_of} apply the last criteria in force ({criteria}) and are not "
        "an official recognition",
        loc,
    )
    return message.format(
        title=title.label.text(loc),
        date=_date(abolition.start, loc),
        document=source.document_in(loc) if source is not None else "—",
        as_of=_date(as_of, loc),
        criteria=criteria,
    )
