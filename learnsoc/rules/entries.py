"""What a rulebook declares, as frozen attrs types, and the warnings of applying it.

The parts of a :class:`~learnsoc.rules.rulebook.Rulebook`: its documents
(:class:`Source`), input columns (:class:`InputSpec`), dated parameters
(:class:`Parameter`, :class:`DatedValue`), derived variables (:class:`Derived`), and
titles (:class:`Title`) with their dated versions (:class:`Version`), criteria
(:class:`Criterion`), grades and abolition; :class:`Origin` says where each was written.
A title's version and a parameter's value in force on a date come from
:func:`~learnsoc.rules.as_of.in_force`, with a :class:`RulebookWarning` past their end.
"""

from __future__ import annotations

import datetime as dt
import typing
from collections.abc import Callable, Mapping

import attrs

from learnsoc._messages import N_, Message
from learnsoc._translation import Translatable
from learnsoc.errors import LearnsocWarning, RulebookError, did_you_mean
from learnsoc.i18n import normalize_locale
from learnsoc.rules import conditions
from learnsoc.rules.as_of import ParamValue
from learnsoc.rules.as_of import in_force as _in_force
from learnsoc.rules.ir import Expr
from learnsoc.rules.types import BOOL, FLOAT, INT, ValueType

__all__ = [
    "AbolishedProcedureWarning",
    "Abolition",
    "Clause",
    "Criterion",
    "DatedValue",
    "Derived",
    "Grade",
    "InputNames",
    "InputSpec",
    "Label",
    "MissingInputWarning",
    "Node",
    "Origin",
    "Parameter",
    "RulebookInfo",
    "RulebookWarning",
    "Source",
    "Title",
    "Version",
    "as_clause",
    "clause_table",
    "kind_text",
    "language_text",
]


class RulebookWarning(LearnsocWarning):
    """A rulebook was applied outside the dates it was written for, or with gaps.

    Raised (as a warning) when a title's last version or a parameter's last value is
    used past its end date, or when the rulebook itself has expired.

    Examples
    --------
    >>> import learnsoc as ls, warnings
    >>> pop = ls.synthetic_population(persons=500, seed=5)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     ev = ls.evaluate(pop, ls.load_rulebook("example"), "2040-12-31")
    >>> print(next(w.message for w in caught if type(w.message).__name__ == "RulebookWarning"))
    rulebook 'example' ends on 2030-12-31; used on 2040-12-31
    """


class MissingInputWarning(RulebookWarning):
    """An input column a rulebook reads was given nowhere; it is unknown for everyone.

    Examples
    --------
    >>> import learnsoc as ls, warnings
    >>> pop = ls.synthetic_population(persons=500, seed=5)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     ev = ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31")
    >>> [type(w.message).__name__ for w in caught]
    ['MissingInputWarning']
    >>> ev.missing_inputs[-1]  # the columns it names
    ('village', 'learning_week_held')
    """


class AbolishedProcedureWarning(RulebookWarning):
    """A title is decided on a date after the procedure that recognised it was abolished.

    The 2025 reform (Decree 142/2025/NĐ-CP, Circular 11/2025/TT-BGDĐT) abolished the
    commune- and district-level recognition procedures from 1 July 2025. A title whose
    ``abolished`` date has passed is still decided with its last criteria, but the verdicts
    are learnsoc's reading, not an official recognition: the message (in the current locale)
    says so and names the document. A title whose version on the date is not in force
    (``in_force = false``: the learning district from 1/7/2025, its level gone) assesses
    nobody and does not warn; its summary row reads "not in force".

    Examples
    --------
    >>> import learnsoc as ls, warnings
    >>> pop = ls.synthetic_population(persons=500, seed=5)
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     ev = ls.evaluate(pop, ls.load_rulebook("vn-national"), "2025-12-31")
    >>> abolished = [w for w in caught if isinstance(w.message, ls.AbolishedProcedureWarning)]
    >>> print(str(abolished[0].message).split(" (")[0])
    commune-level learning community: the recognition procedure was abolished on 2025-07-01
    """

    def localized(self, locale: str | None = None) -> str:
        """Return the notice in ``locale``, English included.

        Its text is written in the locale current when it was given, so the text itself
        is not the English that :meth:`Translatable.localized` returns for ``"en"``: the
        notice (see :func:`learnsoc.rules.explain.abolished_message`) is asked instead.
        """
        notice = self.params.get("notice")
        if notice is not None and hasattr(notice, "localized"):
            return str(notice.localized(locale))
        return super().localized(locale)


@attrs.frozen
class Label:
    """A text in Vietnamese and English.

    Examples
    --------
    >>> label = Label(vi="Gia đình học tập", en="learning family")
    >>> label.text("vi"), label.text("en_US")
    ('Gia đình học tập', 'learning family')
    """

    vi: str
    en: str

    def text(self, locale: str | None = None) -> str:
        """Return the text in a locale (the default locale for ``None``)."""
        return self.vi if normalize_locale(locale) == "vi" else self.en


@attrs.frozen
class Clause:
    """The clause of a document an entry cites, in Vietnamese, English or both.

    A rulebook writes ``clause = { vi = "Tiêu chí 1", en = "Criterion 1" }``, or one of
    the two languages only; a clause in one language is shown in it whatever the locale
    asked, so a rulebook lacking a translation still reads. A plain text
    (``clause = "Tiêu chí 1"``, as rulebooks wrote it before) is the same text in both.

    Examples
    --------
    >>> both = Clause(vi="Tiêu chí 1", en="Criterion 1")
    >>> both.text("vi"), both.text("en")
    ('Tiêu chí 1', 'Criterion 1')
    >>> Clause(vi="Tiêu chí 3", en=None).text("en")  # no English: the Vietnamese
    'Tiêu chí 3'
    >>> as_clause("Điều 5").text("en")
    'Điều 5'
    """

    vi: str | None = None
    en: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.vi is None and self.en is None:
            msg = "a clause needs a Vietnamese or an English text"
            raise ValueError(msg)

    def text(self, locale: str | None = None) -> str:
        """Return the text in a locale (the default locale for ``None``), else the other."""
        wanted, other = (
            (self.vi, self.en) if normalize_locale(locale) == "vi" else (self.en, self.vi)
        )
        return typing.cast(str, wanted if wanted is not None else other)


def kind_text(value: object) -> str:
    """Name the kind of a TOML value for a message (``a number``, ``a table``), translatable.

    Examples
    --------
    >>> kind_text(3), kind_text({}), kind_text(True), kind_text(None)
    ('a number', 'a table', 'true/false', 'NoneType')
    """
    # Marked: the kind is translated with the message that names it ({kind_text}).
    if isinstance(value, bool):
        return N_("true/false")
    if isinstance(value, dict):
        return N_("a table")
    if isinstance(value, list):
        return N_("an array")
    if isinstance(value, str):
        return N_("text")
    if isinstance(value, dt.datetime):
        return N_("a date and time")
    if isinstance(value, dt.date):
        return N_("a date")
    if isinstance(value, dt.time):
        return N_("a time")
    if isinstance(value, int | float):
        return N_("a number")
    return type(value).__name__


def language_text(
    key: str, lang: str, text: object, error: Callable[[Message], Exception], *, limit: int
) -> str:
    """Return one language's text of a label or clause: not empty, nor longer than ``limit``.

    ``error`` builds the file's error at the key (a rulebook's or a target file's).

    Examples
    --------
    >>> language_text("clause", "en", "Article 1", ValueError, limit=100)
    'Article 1'
    >>> language_text("clause", "en", " ", ValueError, limit=100)
    Traceback (most recent call last):
    ...
    ValueError: clause needs a non-empty 'en' text
    """
    if not isinstance(text, str) or not text.strip():
        raise error(Message(N_("{key} needs a non-empty {lang!r} text"), key=key, lang=lang))
    if len(text) > limit:
        msg = Message(
            N_("{key}.{lang} is longer than {limit:,} characters"),
            key=key,
            lang=lang,
            limit=limit,
        )
        raise error(msg)
    return text


def clause_table(
    value: Mapping[str, object], key: str, error: Callable[[Message], Exception], *, limit: int
) -> Clause:
    """Read a clause written ``{ vi = "...", en = "..." }``, whose keys are checked already.

    Rulebooks and target files write clauses alike: one language may be left out, an
    empty table or text is refused (``error`` builds the file's error at the key).

    Examples
    --------
    >>> clause_table({"vi": "Điều 1", "en": "Article 1"}, "clause", ValueError, limit=100)
    Clause(vi='Điều 1', en='Article 1')
    >>> clause_table({}, "clause", ValueError, limit=100)
    Traceback (most recent call last):
    ...
    ValueError: clause needs a vi or an en text: clause = { vi = "...", en = "..." }
    """
    if not value:
        msg = Message(
            N_('{key} needs a vi or an en text: {key} = {{ vi = "...", en = "..." }}'),
            key=key,
        )
        raise error(msg)
    texts: dict[str, str] = {}
    for lang, text in value.items():
        if not isinstance(text, str):
            msg = Message(
                N_("{key}.{lang} must be text, not {kind_text}"),
                key=key,
                lang=lang,
                kind_text=kind_text(text),
            )
            raise error(msg)
        texts[lang] = language_text(key, lang, text, error, limit=limit)
    return Clause(vi=texts.get("vi"), en=texts.get("en"))


def as_clause(value: str | Clause | None) -> Clause | None:
    """Return ``value`` as a :class:`Clause`: a plain text is the same in both languages.

    Examples
    --------
    >>> as_clause("Tiêu chí 2")
    Clause(vi='Tiêu chí 2', en='Tiêu chí 2')
    """
    if value is None or isinstance(value, Clause):
        return value
    return Clause(vi=value, en=value)


@attrs.frozen
class Origin:
    """Where an entry of a rulebook was written: file, line and key path.

    Examples
    --------
    >>> Origin("book.toml", 12, "titles.learning_family").describe()
    'book.toml:12 [titles.learning_family]'
    """

    file: str | None
    line: int | None
    key_path: str

    def describe(self) -> str:
        """Return ``file:line [key.path]`` for messages."""
        where = self.file or "<rulebook>"
        if self.line is not None:
            where += f":{self.line}"
        return f"{where} [{self.key_path}]"

    def error(self, message: Message) -> RulebookError:
        """Return a :class:`~learnsoc.errors.RulebookError` at this place."""
        return RulebookError(
            str(message), file=self.file, line=self.line, key_path=self.key_path
        ).translatable(message)


@attrs.frozen
class Source:
    """A document cited by criteria.

    Attributes
    ----------
    id : str
        The key under ``[sources]``.
    document : str
        Number and kind (``Quyết định 448/QĐ-KHVN``), as written; of a document named in
        both languages, its English name.
    title, url, evidence, note : str or None
        ``evidence`` is ``"V"``, ``"V2"`` or ``"U"`` (DOMAIN.md's marks).
    date, in_force : datetime.date or None
    citation : Clause or None
        The name in both languages, when the rulebook gives
        ``document = { vi = "...", en = "..." }`` (a document published in English,
        cited in Vietnamese by its Vietnamese name).

    Examples
    --------
    >>> import learnsoc as ls
    >>> ls.load_rulebook("example").sources["d387"].document
    'Quyết định 387/QĐ-TTg'
    >>> unesco = ls.load_rulebook("vn-national").sources["unesco"]
    >>> print(unesco.document_in("vi").split("; ")[1])
    Tuyên bố Bắc Kinh về xây dựng thành phố học tập
    >>> print(unesco.document_in("en").split("; ")[1])
    Beijing Declaration on Building Learning Cities
    """

    id: str
    document: str
    title: str | None = None
    date: dt.date | None = None
    in_force: dt.date | None = None
    url: str | None = None
    evidence: str | None = None
    note: str | None = None
    citation: Clause | None = attrs.field(default=None, kw_only=True)

    def document_in(self, locale: str | None = None) -> str:
        """Return the document's name in a locale (as written when it has one name)."""
        return self.document if self.citation is None else self.citation.text(locale)


@attrs.frozen
class InputSpec:
    """An input column declared by a rulebook (a criterion recorded by evaluators).

    Attributes
    ----------
    level, name : str
    kind : {"bool", "int", "float", "code"}
    label : Label
    value_type : ValueType
    range : (number, number) or None
    source, note : str or None
    clause : Clause or None
    origin : Origin
    code_labels : tuple of (str, Label)
        A code input's codes in words (``code_labels`` in the rulebook), for explanations.

    Examples
    --------
    >>> import learnsoc as ls
    >>> [(spec.level, spec.name, spec.kind) for spec in ls.load_rulebook("example").inputs][:2]
    [('household', 'children_results_good', 'bool'), ('organisation', 'learning_plan', 'bool')]
    """

    level: str
    name: str
    kind: str
    label: Label
    value_type: ValueType
    range: tuple[float, float] | None
    source: str | None
    clause: Clause | None = attrs.field(converter=as_clause)
    note: str | None
    origin: Origin = attrs.field(eq=False, repr=False)
    code_labels: tuple[tuple[str, Label], ...] = attrs.field(default=(), kw_only=True)

    def code_label(self, code_name: str, locale: str | None = None) -> str:
        """Return the label of one of a code input's codes, else the code's name.

        Examples
        --------
        >>> import learnsoc as ls
        >>> tier = ls.load_rulebook("vn-national").input_spec("organisation", "unit_tier")
        >>> tier.code_label("province", "vi"), tier.code_label("province", "en")
        ('tỉnh', 'province')
        """
        for name, label in self.code_labels:
            if name == code_name:
                return label.text(locale)
        return code_name


class InputNames(Translatable):
    """Inputs in a message: each its label in the reader's language and its id.

    A label says what the evaluators record, the id (``level.name``) is what a file's
    column and ``inputs=`` are keyed by; an input the rulebook does not label keeps its id.

    Examples
    --------
    >>> week = Label(vi="Có tổ chức Tuần lễ học tập", en="learning week held")
    >>> names = InputNames([("village", "learning_week_held", week), ("person", "x", None)])
    >>> str(names)
    'learning week held (village.learning_week_held), person.x'
    >>> names.localized("vi")
    'Có tổ chức Tuần lễ học tập (village.learning_week_held), person.x'
    """

    def __init__(self, inputs: typing.Iterable[tuple[str, str, Label | None]]) -> None:
        self.inputs = tuple(inputs)

    def __str__(self) -> str:
        return self.localized("en")

    def __repr__(self) -> str:
        return f"InputNames({str(self)!r})"

    def localized(self, locale: str | None = None) -> str:
        """Return the inputs' labels and ids in ``locale``."""
        return ", ".join(
            f"{label.text(locale)} ({level}.{name})" if label is not None else f"{level}.{name}"
            for level, name, label in self.inputs
        )


@attrs.frozen
class DatedValue:
    """A parameter's value from a date (inclusive), optionally to a date (inclusive).

    Examples
    --------
    >>> import learnsoc as ls
    >>> share = ls.load_rulebook("example").parameters["family_citizen_share"]
    >>> share.values[0]
    DatedValue(start=datetime.date(2021, 1, 1), end=None, value=0.5)
    """

    start: dt.date
    end: dt.date | None
    value: ParamValue


@attrs.frozen
class Parameter:
    """A dated, overridable threshold used by name in conditions.

    Examples
    --------
    >>> p = Parameter("share", Label("tỷ lệ", "share"), "float",
    ...               (DatedValue(dt.date(2016, 1, 1), None, 0.5),
    ...                DatedValue(dt.date(2021, 1, 1), dt.date(2025, 12, 31), 0.6)))
    >>> p.value_at(dt.date(2020, 6, 1))[0].value
    0.5
    >>> value, warning = p.value_at(dt.date(2026, 3, 1))
    >>> print(value.value, warning)
    0.6 parameter 'share': its last value (0.6, from 2021-01-01) ends on 2025-12-31; used on
    2026-03-01
    """

    name: str
    label: Label
    kind: str
    values: tuple[DatedValue, ...]
    uncertain: bool = False
    note: str | None = None
    source: str | None = None
    clause: Clause | None = attrs.field(default=None, converter=as_clause)
    last_checked: dt.date | None = None
    origin: Origin = attrs.field(default=Origin(None, None, "parameters"), eq=False, repr=False)

    @property
    def value_type(self) -> ValueType:
        """The type the parameter has in conditions."""
        return {"bool": BOOL, "int": INT}.get(self.kind, FLOAT)

    def value_at(self, as_of: dt.date) -> tuple[DatedValue, str | None]:
        """Return the value in force on a date, and a warning if it has expired.

        Raises
        ------
        RulebookError
            If the date is before the first value.
        """
        current, warning = self._value_and_warning(as_of)
        return current, None if warning is None else str(warning)

    def _value_and_warning(self, as_of: dt.date) -> tuple[DatedValue, Message | None]:
        """Like :meth:`value_at`, with the warning as a translatable message."""
        current, expired = _in_force(self.values, as_of)
        if current is None:
            msg = Message(
                N_("parameter {name!r} has no value on {as_of}: its first value starts on {start}"),
                name=self.name,
                as_of=as_of,
                start=self.values[0].start,
            )
            raise self.origin.error(msg)
        warning = None
        if expired and current.end is not None:
            template = (
                N_(
                    "parameter {name!r}: its last value ({value!r}, from {start}) ends on "
                    "{end}; used on {as_of}"
                )
                if current is self.values[-1]
                else N_(
                    "parameter {name!r}: its value ({value!r}, from {start}) ends on {end}; "
                    "used on {as_of}"
                )
            )
            warning = Message(
                template,
                name=self.name,
                value=current.value,
                start=current.start,
                end=current.end,
                as_of=as_of,
            )
        return current, warning


def _parsed(entry: Derived | Criterion) -> Expr:
    """Parse the condition of a derived variable or criterion built without a tree."""
    return _template(entry.expr, entry.parameters, entry.position, entry.origin)


#: The default of ``tree``: the tree of a condition built without one.
_PARSED = attrs.Factory(_parsed, takes_self=True)


@attrs.frozen
class Derived:
    """A derived variable: an expression computed for every entity of its level.

    Attributes
    ----------
    level, name, expr : str
    value_type : ValueType
        Its type, found by type-checking ``expr``.
    label : Label or None
    on_empty : {"pass", "fail", "unknown"}
    parameters : frozenset of str
        The parameters ``expr`` names.
    origin : Origin
    tree : Expr
        ``expr`` parsed once, its parameters left as placeholders (see
        :mod:`learnsoc.rules.conditions`).

    Examples
    --------
    >>> import learnsoc as ls
    >>> adult = ls.load_rulebook("example").derived[0]
    >>> adult.level, adult.name, adult.expr
    ('person', 'adult', 'age.between(adult_min_age, adult_max_age)')
    """

    level: str
    name: str
    expr: str
    value_type: ValueType
    label: Label | None
    on_empty: str
    note: str | None
    parameters: frozenset[str]
    origin: Origin = attrs.field(eq=False, repr=False)
    position: tuple[int | None, int | None] = attrs.field(
        default=(None, None), eq=False, repr=False
    )
    # After the fields it is parsed from (attrs sets them in this order).
    tree: Expr = attrs.field(default=_PARSED, eq=False, repr=False, kw_only=True)


@attrs.frozen
class Criterion:
    """One criterion of a title's version.

    Attributes
    ----------
    id : str
    label : Label
    expr : str
        A true/false condition of the rule language.
    on_empty : {"pass", "fail", "unknown"}
    clause : Clause or None
        The clause cited, in one or both languages.
    source, note : str or None
    points : float
        Points earned when it passes (points titles; 0 otherwise).
    required : bool
        Whether it must pass whatever the points (always true for ``rule = "all"``).
    uncertain : bool
    parameters : frozenset of str
    origin : Origin
    tree : Expr
        ``expr`` parsed once, its parameters left as placeholders (see
        :mod:`learnsoc.rules.conditions`).

    Examples
    --------
    >>> import learnsoc as ls
    >>> family = ls.load_rulebook("example").title("learning_family")
    >>> criterion = family.versions[-1].criteria[1]
    >>> criterion.id, criterion.uncertain, sorted(criterion.parameters)
    ('adults_learning_citizens', True, ['family_citizen_share'])
    >>> print(criterion.expr)
    share(members.learning_citizen, where=members.adult) >= family_citizen_share
    """

    id: str
    label: Label
    expr: str
    on_empty: str = "fail"
    clause: Clause | None = attrs.field(default=None, converter=as_clause)
    source: str | None = None
    points: float = 0
    required: bool = True
    uncertain: bool = False
    note: str | None = None
    parameters: frozenset[str] = frozenset()
    origin: Origin = attrs.field(default=Origin(None, None, "titles"), eq=False, repr=False)
    position: tuple[int | None, int | None] = attrs.field(
        default=(None, None), eq=False, repr=False
    )
    # After the fields it is parsed from (attrs sets them in this order).
    tree: Expr = attrs.field(default=_PARSED, eq=False, repr=False, kw_only=True)


@attrs.frozen
class Version:
    """A dated version of a title's criteria.

    Attributes
    ----------
    start : datetime.date
        ``effective_from``.
    end : datetime.date or None
        ``effective_to`` as written (``None``: until the next version, or open).
    source : str or None
    criteria : tuple of Criterion
    uncertain : bool
        Whether the way the criteria combine is not pinned by the source (Decision
        448/QĐ-KHVN scores points with a pass mark not found; learnsoc requires every
        item): the note says why.
    in_force : bool
        False for a placeholder over dates the title's scheme is not in force (before its
        document applies, or after another replaced it): nobody is assessed, and reports
        say "not in force" rather than "0 assessed".
    replaced_by : str or None
        The title that replaced this one on these dates (a title id of the rulebook).

    Examples
    --------
    >>> import learnsoc as ls
    >>> version = ls.load_rulebook("example").title("learning_family").versions[-1]
    >>> version.start, version.end, version.source, [c.id for c in version.criteria]
    (datetime.date(2021, 1, 1), None, 'd387', ['children_in_school', 'adults_learning_citizens'])
    """

    start: dt.date
    end: dt.date | None
    source: str | None
    criteria: tuple[Criterion, ...]
    note: str | None = None
    last_checked: dt.date | None = None
    uncertain: bool = False
    in_force: bool = True
    replaced_by: str | None = None
    origin: Origin = attrs.field(default=Origin(None, None, "titles"), eq=False, repr=False)

    def criterion(self, criterion_id: str) -> Criterion:
        """Return a criterion by id.

        Raises
        ------
        RulebookError
            If there is none (with a suggestion).
        """
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        ids = [c.id for c in self.criteria]
        msg = Message(
            N_("no criterion {criterion_id!r} in this version{hint}"),
            criterion_id=criterion_id,
            hint=did_you_mean(criterion_id, ids),
        )
        raise RulebookError(str(msg)).translatable(msg)


@attrs.frozen
class Grade:
    """A grade band of a points title: granted entities with at least ``min`` points.

    Examples
    --------
    >>> import learnsoc as ls
    >>> unit = ls.load_rulebook("example").title("learning_unit")
    >>> [(grade.id, grade.min) for grade in unit.grades], unit.pass_mark
    ([('good', 85), ('fair', 70), ('average', 50)], 50)
    """

    code: int
    min: float
    label: Label
    id: str | None = None


@attrs.frozen
class Abolition:
    """The day a title's recognition procedure was abolished, and the document that did it.

    Attributes
    ----------
    start : datetime.date
        The first day without the procedure (``on`` in the file).
    source : str or None
        The source id of the abolishing document.
    note : str or None
        What replaced it, if anything was found.

    Examples
    --------
    >>> Abolition(dt.date(2025, 7, 1), "reform2025").applies(dt.date(2025, 6, 30))
    False
    """

    start: dt.date
    source: str | None = None
    note: str | None = None

    def applies(self, as_of: dt.date) -> bool:
        """Return whether a date falls on or after the abolition."""
        return as_of >= self.start


@attrs.frozen
class Title:
    """A title, the level it applies to, how it is decided, and its dated versions.

    Attributes
    ----------
    id, level : str
    label : Label
    term : str or None
        The vocabulary term (:data:`learnsoc.vocabulary.TERMS`).
    eligible : str or None
        A condition: who is assessed.
    rule : {"all", "points"}
    pass_mark : float or None
    grades : tuple of Grade
        Highest ``min`` first.
    versions : tuple of Version
        Oldest first.
    abolished : Abolition or None
        When the procedure recognising the title was abolished (the title is still
        decided afterwards, with a :class:`AbolishedProcedureWarning`, unless its version
        on the date is not in force).

    Examples
    --------
    >>> import learnsoc as ls
    >>> family = ls.load_rulebook("example").title("learning_family")
    >>> family.level, family.rule, family.eligible
    ('household', 'all', 'registered')
    >>> [version.start.isoformat() for version in family.versions]
    ['2016-01-01', '2021-01-01']
    """

    id: str
    level: str
    label: Label
    versions: tuple[Version, ...]
    rule: str = "all"
    pass_mark: float | None = None
    grades: tuple[Grade, ...] = ()
    eligible: str | None = None
    term: str | None = None
    description: Label | None = None
    note: str | None = None
    eligible_parameters: frozenset[str] = frozenset()
    abolished: Abolition | None = None
    origin: Origin = attrs.field(default=Origin(None, None, "titles"), eq=False, repr=False)
    eligible_position: tuple[int | None, int | None] = attrs.field(
        default=(None, None), eq=False, repr=False
    )
    eligible_tree: Expr | None = attrs.field(eq=False, repr=False, kw_only=True)

    @eligible_tree.default
    def _parse_eligible(self) -> Expr | None:
        if self.eligible is None:
            return None
        return _template(
            self.eligible, self.eligible_parameters, self.eligible_position, self.origin
        )

    def version_at(self, as_of: dt.date) -> tuple[Version, str | None]:
        """Return the version in force on a date, and a warning if it has expired.

        Raises
        ------
        RulebookError
            If the date is before the first version.

        Examples
        --------
        >>> crit = Criterion("c", Label("c", "c"), "literate")
        >>> title = Title("t", "person", Label("t", "t"), (
        ...     Version(dt.date(2016, 1, 1), dt.date(2020, 12, 31), None, (crit,)),))
        >>> title.version_at(dt.date(2018, 5, 1))[1] is None
        True
        >>> print(title.version_at(dt.date(2022, 1, 1))[1])
        title 't': its last version (from 2016-01-01) ends on 2020-12-31; used on 2022-01-01
        """
        current, warning = self._version_and_warning(as_of)
        return current, None if warning is None else str(warning)

    def _version_and_warning(self, as_of: dt.date) -> tuple[Version, Message | None]:
        """Like :meth:`version_at`, with the warning as a translatable message."""
        current, expired = _in_force(self.versions, as_of)
        if current is None:
            msg = Message(
                N_("title {id!r} has no criteria on {as_of}: its first version starts on {start}"),
                id=self.id,
                as_of=as_of,  # dates, shown as the locale writes them (31/12/2026)
                start=self.versions[0].start,
            )
            raise self.origin.error(msg)
        warning = None
        if expired and current.end is not None:
            template = (
                N_("title {id!r}: its last version (from {start}) ends on {end}; used on {as_of}")
                if current is self.versions[-1]
                else N_("title {id!r}: its version (from {start}) ends on {end}; used on {as_of}")
            )
            warning = Message(
                template,
                id=self.id,
                start=current.start,
                end=current.end,
                as_of=as_of,
            )
        return current, warning

    @property
    def companions(self) -> dict[str, ValueType]:
        """The extra names a points title gives: ``<id>_points`` and ``<id>_grade``."""
        out: dict[str, ValueType] = {}
        if self.rule == "points":
            whole = all(float(c.points).is_integer() for v in self.versions for c in v.criteria)
            out[f"{self.id}_points"] = INT if whole else FLOAT
        if self.grades:
            names = {"none": 0}
            names.update({g.id: g.code for g in self.grades if g.id is not None})
            out[f"{self.id}_grade"] = ValueType("code", names, ordered=True)
        return out


@attrs.frozen
class RulebookInfo:
    """What :func:`~learnsoc.rules.registry.list_rulebooks` shows about a rulebook.

    Attributes
    ----------
    id, version : str
    name : Label
    issuer : str or None
    documents : tuple of str
        The documents its criteria cite.
    citations : tuple of Clause
        The same documents' names in both languages (:meth:`documents_in`).
    effective_from, effective_to, last_checked : datetime.date or None
    extends : str or None
    file : str or None

    Examples
    --------
    >>> import learnsoc as ls
    >>> info = ls.load_rulebook("example").info
    >>> info.id, info.version, info.effective_from, info.name.en
    ('example', '2025.1', datetime.date(2016, 1, 1), 'Example rulebook (not official)')
    """

    id: str
    name: Label
    issuer: str | None
    version: str
    documents: tuple[str, ...]
    effective_from: dt.date | None
    effective_to: dt.date | None
    last_checked: dt.date | None
    extends: str | None = None
    file: str | None = None
    description: Label | None = None
    citations: tuple[Clause, ...] = attrs.field(default=(), kw_only=True)

    def documents_in(self, locale: str | None = None) -> tuple[str, ...]:
        """Return the documents its criteria cite, named in a locale.

        Examples
        --------
        >>> import learnsoc as ls
        >>> names = ls.load_rulebook("vn-national").info.documents_in("vi")
        >>> [name for name in names if name.startswith("UNESCO")][0][:48]
        'UNESCO: Các đặc điểm chính của thành phố học tập'
        """
        if len(self.citations) != len(self.documents):
            return self.documents
        return tuple(c.text(locale) for c in self.citations)


@attrs.frozen
class Node:
    """One step of evaluation: a derived variable or a title, at a level.

    Examples
    --------
    >>> import learnsoc as ls
    >>> ls.load_rulebook("example").order[2]
    Node(kind='title', level='person', name='learning_citizen')
    """

    kind: typing.Literal["derived", "title"]
    level: str
    name: str


def _template(
    text: str,
    parameters: frozenset[str],
    position: tuple[int | None, int | None],
    origin: Origin,
) -> Expr:
    """Parse a condition built without a tree (by hand, not by the loader)."""
    return conditions.parse_template(text, parameters, position=position, file=origin.file)
