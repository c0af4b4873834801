r"""Rulebooks: the titles, their dated criteria and parameters, read from TOML files.

A rulebook is data: a TOML file (format documented on the "Rulebook format" reference
page) read with :mod:`tomllib`, bounded in size before parsing, checked key by key, with
every condition parsed by the closed rule language and type-checked against the levels
it is evaluated at. Every problem is a :class:`~learnsoc.errors.RulebookError` naming
the file, the line and the key path; unknown keys list the allowed ones.

A rulebook may ``extends`` another (a province's variant of the national rules): the
variant's entries are merged over its parent's, key by key (versions by their
``effective_from``, criteria by their ``id``).

Examples
--------
>>> from learnsoc.rules.registry import parse_rulebook
>>> book = parse_rulebook('''
... [rulebook]
... id = "tiny"
... name = { vi = "Nhỏ", en = "Tiny" }
... issuer = "example"
... version = "1"
... effective_from = 2020-01-01
...
... [titles.learning_citizen]
... level = "person"
... label = { vi = "Công dân học tập", en = "learning citizen" }
... [[titles.learning_citizen.versions]]
... effective_from = 2020-01-01
... [[titles.learning_citizen.versions.criteria]]
... id = "literate"
... label = { vi = "Biết chữ", en = "literate" }
... expr = "literate and age >= 15"
... ''', file="tiny.toml")
>>> book.id, [t.id for t in book.titles]
('tiny', ['learning_citizen'])
>>> book.title("learning_citizen").versions[0].criteria[0].expr
'literate and age >= 15'
>>> parse_rulebook('[rulebook]\nid = "x"\nisuer = "y"\n', file="bad.toml")
Traceback (most recent call last):
...
learnsoc.errors.RulebookError: bad.toml:3:1 [rulebook.isuer]: unknown key 'isuer'; did you mean ...
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import Any, Protocol, TypeVar

import attrs

from learnsoc._messages import N_, Message
from learnsoc.errors import LearnsocError, LearnsocWarning, RulebookError, did_you_mean
from learnsoc.i18n import normalize_locale, parse_date
from learnsoc.model.codes import CodedEnum
from learnsoc.model.schema import STANDARD_SCHEMA, ColumnSpec, Schema
from learnsoc.rules import conditions
from learnsoc.rules.context import (
    ENTITY_LEVELS,
    collections,
)
from learnsoc.rules.language import (
    Expr,
    collections_used,
    fold_constants,
    member_names_used,
    names_used,
    parse_condition,
)
from learnsoc.rules.types import BOOL, FLOAT, INT, Scope, ValueType

__all__ = [
    "FORMAT",
    "MAX_CRITERIA",
    "MAX_DERIVED",
    "MAX_EXTENDS",
    "MAX_INPUTS",
    "MAX_PARAMETERS",
    "MAX_SOURCES",
    "MAX_TEXT",
    "MAX_TITLES",
    "MAX_VERSIONS",
    "AbolishedProcedureWarning",
    "Abolition",
    "Criterion",
    "DatedValue",
    "Derived",
    "Grade",
    "InputSpec",
    "Label",
    "MissingInputWarning",
    "Node",
    "Origin",
    "Parameter",
    "Rulebook",
    "RulebookInfo",
    "RulebookWarning",
    "Source",
    "Title",
    "Version",
    "as_date",
    "bundled_directory",
    "live_parameters",
    "scope_for",
]

#: The rulebook format version this learnsoc reads.
FORMAT = 1
#: Limits on what one rulebook may declare (after ``extends`` is resolved).
MAX_TITLES = 200
MAX_VERSIONS = 50
MAX_CRITERIA = 64
MAX_PARAMETERS = 500
MAX_DERIVED = 500
MAX_INPUTS = 500
MAX_SOURCES = 200
#: The longest text (label, note, document title) accepted.
MAX_TEXT = 5000
#: The longest chain of ``extends``.
MAX_EXTENDS = 8


class _HasDates(Protocol):
    @property
    def start(self) -> dt.date: ...

    @property
    def end(self) -> dt.date | None: ...


_Dated = TypeVar("_Dated", bound=_HasDates)


class RulebookWarning(LearnsocWarning):
    """A rulebook was applied outside the dates it was written for, or with gaps.

    Raised (as a warning) when a title's last version or a parameter's last value is
    used past its end date, or when the rulebook itself has expired.
    """


class MissingInputWarning(RulebookWarning):
    """An input column a rulebook reads was given nowhere; it is unknown for everyone."""


class AbolishedProcedureWarning(RulebookWarning):
    """A title is decided on a date after the procedure that recognised it was abolished.

    The 2025 reform (Decree 142/2025/NĐ-CP, Circular 11/2025/TT-BGDĐT) abolished the
    commune- and district-level recognition procedures from 1 July 2025. A title whose
    ``abolished`` date has passed is still decided with its last criteria, but the verdicts
    are learnsoc's reading, not an official recognition: the message (in the current locale)
    says so and names the document.
    """


# ----------------------------------------------------------------------------- the model


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
        Number and kind (``Quyết định 448/QĐ-KHVN``).
    title, url, evidence, note : str or None
        ``evidence`` is ``"V"``, ``"V2"`` or ``"U"`` (DOMAIN.md's marks).
    date, in_force : datetime.date or None
    """

    id: str
    document: str
    title: str | None = None
    date: dt.date | None = None
    in_force: dt.date | None = None
    url: str | None = None
    evidence: str | None = None
    note: str | None = None


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
    source, clause, note : str or None
    origin : Origin
    """

    level: str
    name: str
    kind: str
    label: Label
    value_type: ValueType
    range: tuple[float, float] | None
    source: str | None
    clause: str | None
    note: str | None
    origin: Origin = attrs.field(eq=False, repr=False)


ParamValue = bool | int | float


@attrs.frozen
class DatedValue:
    """A parameter's value from a date (inclusive), optionally to a date (inclusive)."""

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
    clause: str | None = None
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
                as_of=as_of.isoformat(),
                start=self.values[0].start.isoformat(),
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
                start=current.start.isoformat(),
                end=current.end.isoformat(),
                as_of=as_of.isoformat(),
            )
        return current, warning


def as_date(as_of: object) -> dt.date:
    """Return a date from a ``datetime.date``, a ``datetime``, or text as ISO or agencies write it.

    Raises
    ------
    LearnsocError
        For anything else, or text that is not a date (``yyyy-mm-dd``, ``dd/mm/yyyy``).

    Examples
    --------
    >>> as_date("2025-12-31"), as_date("31/12/2025")
    (datetime.date(2025, 12, 31), datetime.date(2025, 12, 31))
    """
    if isinstance(as_of, dt.datetime):
        return as_of.date()
    if isinstance(as_of, dt.date):
        return as_of
    if isinstance(as_of, str):
        day = parse_date(as_of)
        if day is None:
            msg = Message(
                N_("as_of must be a date such as '2025-12-31' or '31/12/2025', not {as_of!r}"),
                as_of=as_of,
            )
            raise LearnsocError(str(msg)).translatable(msg)
        return day
    msg = Message(
        N_("as_of must be a date or an ISO date string, not {type}"), type=type(as_of).__name__
    )
    raise LearnsocError(str(msg)).translatable(msg)


def _in_force(items: Sequence[_Dated], as_of: dt.date) -> tuple[_Dated | None, bool]:
    """Return the dated item in force on a date, and whether its end date has passed.

    The item in force is the last one starting on or before the date (None if none); an
    expired one is still used, with a warning from the caller.
    """
    current = None
    for item in items:  # a handful of dated versions or values, in ascending order
        if item.start <= as_of:
            current = item
    expired = current is not None and current.end is not None and as_of > current.end
    return current, expired


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
    tree: Expr = attrs.field(eq=False, repr=False, kw_only=True)

    @tree.default
    def _parse(self) -> Expr:
        return _template(self.expr, self.parameters, self.position, self.origin)


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
    clause, source, note : str or None
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
    """

    id: str
    label: Label
    expr: str
    on_empty: str = "fail"
    clause: str | None = None
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
    tree: Expr = attrs.field(eq=False, repr=False, kw_only=True)

    @tree.default
    def _parse(self) -> Expr:
        return _template(self.expr, self.parameters, self.position, self.origin)


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
    """

    start: dt.date
    end: dt.date | None
    source: str | None
    criteria: tuple[Criterion, ...]
    note: str | None = None
    last_checked: dt.date | None = None
    uncertain: bool = False
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
    """A grade band of a points title: granted entities with at least ``min`` points."""

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
        decided afterwards, with a :class:`AbolishedProcedureWarning`).
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
                as_of=as_of.isoformat(),
                start=self.versions[0].start.isoformat(),
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
                start=current.start.isoformat(),
                end=current.end.isoformat(),
                as_of=as_of.isoformat(),
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
    effective_from, effective_to, last_checked : datetime.date or None
    extends : str or None
    file : str or None
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


@attrs.frozen
class Node:
    """One step of evaluation: a derived variable or a title, at a level."""

    kind: typing.Literal["derived", "title"]
    level: str
    name: str


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return types.MappingProxyType(dict(mapping))


@attrs.frozen(eq=False)
class Rulebook:
    """A loaded, checked rulebook.

    Build one with :func:`~learnsoc.rules.registry.load_rulebook` (a bundled id or a
    path), :func:`~learnsoc.rules.registry.read_rulebook` (a path) or
    :func:`~learnsoc.rules.registry.parse_rulebook` (TOML text).

    Attributes
    ----------
    info : RulebookInfo
    levels : tuple of str
        The administrative levels it knows, top first.
    sources : mapping of str to Source
    inputs : tuple of InputSpec
    parameters : mapping of str to Parameter
    derived : tuple of Derived
    titles : tuple of Title
        In evaluation order (by level, then by what they use).
    order : tuple of Node
        Derived variables and titles in evaluation order.
    names : mapping of str to mapping of str to ValueType
        Every name a condition can use at each level (columns, inputs, derived
        variables, titles), parameters aside.
    files : tuple of str
        The file and the files it extends, the file first.
    """

    info: RulebookInfo
    levels: tuple[str, ...]
    sources: Mapping[str, Source] = attrs.field(converter=_frozen)
    inputs: tuple[InputSpec, ...]
    parameters: Mapping[str, Parameter] = attrs.field(converter=_frozen)
    derived: tuple[Derived, ...]
    titles: tuple[Title, ...]
    order: tuple[Node, ...]
    names: Mapping[str, Mapping[str, ValueType]] = attrs.field(converter=_frozen)
    files: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        """The rulebook's id."""
        return self.info.id

    def __repr__(self) -> str:
        return (
            f"Rulebook({self.id!r}, version {self.info.version!r}: {len(self.titles)} titles, "
            f"{len(self.parameters)} parameters)"
        )

    def title(self, title_id: str) -> Title:
        """Return a title by id.

        Raises
        ------
        RulebookError
            If the rulebook has no such title (with a suggestion).
        """
        for title in self.titles:
            if title.id == title_id:
                return title
        ids = [t.id for t in self.titles]
        msg = Message(
            N_("rulebook {id!r} has no title {title_id!r}{hint}"),
            id=self.id,
            title_id=title_id,
            hint=did_you_mean(title_id, ids),
        )
        raise RulebookError(str(msg)).translatable(msg)

    def titles_at(self, level: str) -> tuple[Title, ...]:
        """Return the titles of a level, in evaluation order."""
        return tuple(t for t in self.titles if t.level == level)

    def derived_variable(self, level: str, name: str) -> Derived:
        """Return a derived variable.

        Raises
        ------
        RulebookError
            If there is none.
        """
        for derived in self.derived:
            if derived.level == level and derived.name == name:
                return derived
        msg = Message(
            N_("rulebook {id!r} has no derived variable {name!r} at level {level!r}"),
            id=self.id,
            name=name,
            level=level,
        )
        raise RulebookError(str(msg)).translatable(msg)

    def columns_read(self, as_of: str | dt.date | None = None) -> frozenset[str]:
        """Return the names its conditions read and its entity-level inputs.

        Pass it as ``columns=`` to :func:`~learnsoc.io.read_population` to read only the
        columns this rulebook needs (ids and required columns are always read); it
        holds ``clan_id`` when the rulebook judges clans. It is a superset: derived
        variables and titles named in conditions are in it too, and do not match a
        file's columns.

        Parameters
        ----------
        as_of : str or datetime.date, optional
            Only the title versions in force on this date (the date you will evaluate
            on), without the branches that the parameters' values on that date switch
            off, and only the inputs their conditions name. By default every version
            and every entity-level input.

        Raises
        ------
        LearnsocError
            If ``as_of`` is not a date.

        Examples
        --------
        >>> from learnsoc.rules.registry import load_rulebook
        >>> needed = load_rulebook("example").columns_read()
        >>> "age" in needed, "learning_hours" in needed, "party_member" in needed
        (True, True, False)
        >>> national = load_rulebook("vn-national")
        >>> "citizen_points" in national.columns_read()  # a version before 2022 reads it
        True
        >>> on_2025 = national.columns_read(as_of="2025-12-31")
        >>> "children_results_good" in on_2025  # the 2016-2020 family criteria
        False
        >>> "citizen_points" in on_2025  # citizen_from_points is false: recognition decides
        False
        """
        date = None if as_of is None else as_date(as_of)
        trees = [d.tree for d in self.derived]
        for title in self.titles:
            versions = title.versions
            if date is not None:
                current, _ = _in_force(title.versions, date)
                versions = () if current is None else (current,)
            trees.extend(c.tree for v in versions for c in v.criteria)
            if title.eligible_tree is not None:
                trees.append(title.eligible_tree)
        inputs = {spec.name for spec in self.inputs if spec.level in ENTITY_LEVELS}
        names = set(inputs) if date is None else set()
        levels = {t.level for t in self.titles} | {d.level for d in self.derived}
        levels |= {spec.level for spec in self.inputs}
        # Parameters may appear inside aggregates only as values: any value will do, except
        # on a date, where the values in force drop the branches they switch off.
        constants = {p.name: p.values[0].value for p in self.parameters.values()}
        if date is not None:
            for p in self.parameters.values():
                value_now, _ = _in_force(p.values, date)
                if value_now is not None:
                    constants[p.name] = value_now.value
        for tree in trees:
            # Without a date every branch counts; placeholders are never columns.
            expr = tree if date is None else conditions.bind_values(tree, constants)
            # A name the tree was parsed without as a parameter is still one (a
            # hand-built criterion): a parameter is never a column.
            names.update(names_used(expr) - constants.keys())
            names.update(name for _, name in member_names_used(expr))
            if "clans" in collections_used(expr):
                levels.add("clan")
        if "clan" in levels:
            names.add("clan_id")  # the households' clans: read only when clans are judged
        return frozenset(names)

    def schema(self, base: Schema = STANDARD_SCHEMA) -> Schema:
        """Return the population schema extended with this rulebook's entity-level inputs.

        Build a population with ``schema=book.schema()`` and its input columns are
        checked and stored like the standard ones.

        Examples
        --------
        >>> from learnsoc.rules.registry import load_rulebook
        >>> schema = load_rulebook("example").schema()
        >>> schema.table("household").column("children_results_good").kind
        'bool'
        """
        extra: dict[str, list[ColumnSpec]] = {}
        for spec in self.inputs:
            if spec.level in ENTITY_LEVELS:
                extra.setdefault(spec.level, []).append(_column_spec(spec))
        return base.extend(**extra)


def _column_spec(spec: InputSpec) -> ColumnSpec:
    if spec.kind == "bool":
        return ColumnSpec(spec.name, "bool", spec.label.en)
    if spec.kind == "float":
        lo, hi = spec.range if spec.range is not None else (None, None)
        return ColumnSpec(spec.name, "float", spec.label.en, "float64", lo, hi)
    if spec.kind == "int":
        lo, hi = spec.range if spec.range is not None else (0, 65534)
        dtype = "uint8" if hi <= 254 else "uint16"
        return ColumnSpec(spec.name, "int", spec.label.en, dtype, int(lo), int(hi))
    members = [(name.upper(), code) for name, code in spec.value_type.codes]
    unique = dict(reversed(members))
    # The functional Enum API builds the code type the schema needs from the names.
    make_enum: Any = CodedEnum
    enum_type: type[CodedEnum] = make_enum(f"{spec.level}_{spec.name}", list(unique.items()))
    return ColumnSpec(spec.name, "code", spec.label.en, codes=enum_type)


def scope_for(
    level: str,
    names: Mapping[str, Mapping[str, ValueType]],
    levels: Sequence[str],
    *,
    routed: bool = False,
) -> Scope:
    """Return the scope of a level: its names, and its collections' member names.

    Parameters
    ----------
    level : str
        The level conditions are evaluated at.
    names : mapping
        ``{level: {name: ValueType}}``.
    levels : sequence of str
        The administrative levels, top first.
    routed : bool
        Name member scopes by the key the evaluation context reads them from
        (``clan.members``) rather than by their level, for compiling.

    Examples
    --------
    >>> from learnsoc.rules.registry import load_rulebook
    >>> book = load_rulebook("example")
    >>> scope = scope_for("household", book.names, book.levels)
    >>> scope.collections["members"].names["learning_citizen"].kind
    'bool'
    """
    members: dict[str, Scope] = {}
    for name, collection in collections(level, levels).items():
        member_names = names.get(collection.member_level, {})
        scope_level = collection.key if routed else collection.member_level
        members[name] = Scope(scope_level, member_names)
    return Scope(level, names.get(level, {}), members)


# ------------------------------------------------------------------------------- reading


def bundled_directory() -> Any:
    """Return the folder of the bundled rulebooks (an importlib resources Traversable).

    Examples
    --------
    >>> (bundled_directory() / "example.toml").is_file()
    True
    """
    return resources.files("learnsoc") / "data" / "rulebooks"


def parse_with_parameters(
    text: str,
    values: Mapping[str, ParamValue],
    position: tuple[int | None, int | None],
    file: str | None,
) -> Expr:
    """Parse a condition with parameters replaced by their values, switches folded away.

    A branch that a parameter's value decides (see
    :func:`~learnsoc.rules.language.fold_constants`) is dropped. The rules engine binds
    the tree parsed at load instead (:func:`learnsoc.rules.conditions.bind_values`);
    this reads the text again, as the reference engine of the tests does.
    """
    line, column = position
    parsed = parse_condition(text, file=file, line=line, column=column, constants=values)
    return fold_constants(parsed)


def _template(
    text: str,
    parameters: frozenset[str],
    position: tuple[int | None, int | None],
    origin: Origin,
) -> Expr:
    """Parse a condition built without a tree (by hand, not by the loader)."""
    return conditions.parse_template(text, parameters, position=position, file=origin.file)


def live_parameters(
    text: str, names: frozenset[str], values: Mapping[str, ParamValue]
) -> frozenset[str]:
    """Return the parameters that still decide something once the others have their values.

    A switch such as ``citizen_from_points`` drops a branch: with it false, the pass mark
    in the dropped branch decides nothing, so a verdict does not rest on it (an uncertain
    pass mark then does not make the verdict uncertain). A parameter is live when two
    different values of it give two different conditions.

    Parameters
    ----------
    text : str
        A condition.
    names : frozenset of str
        The parameters it names.
    values : mapping
        Every named parameter's value on the date.

    Examples
    --------
    >>> rule = "(not p and a) or (p and b >= mark)"
    >>> sorted(live_parameters(rule, frozenset({"p", "mark"}), {"p": False, "mark": 80}))
    ['p']
    >>> sorted(live_parameters(rule, frozenset({"p", "mark"}), {"p": True, "mark": 80}))
    ['mark', 'p']
    """
    tree = conditions.parse_template(text, names)
    return conditions.live_parameters(tree, names, values)


def __getattr__(name: str) -> Any:
    # read_rulebook and parse_rulebook run the loader (learnsoc.rules._load), which
    # builds Rulebooks from this module: they live in learnsoc.rules.registry beside
    # load_rulebook, and this old import path still hands them out.
    if name in ("read_rulebook", "parse_rulebook"):
        from learnsoc.rules import registry

        return getattr(registry, name)
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
