"""Target sets: dated targets from a legal source, read from TOML files.

A :class:`TargetSet` is one document's targets (Hanoi Resolution 23-NQ/TU, Decision
1373/QĐ-TTg ...): its title and source in Vietnamese and English, its date, and a list
of :class:`Target`. Each target names an indicator, a year (2025, 2030), the clause of
the document it comes from, and one of four kinds:

``value``
    ``≥ 50%``: met when the indicator reaches the value (``op`` may be ``">"``, or
    ``"<="``/``"<"`` for indicators where lower is better).
``range``
    ``75-80%``: met at the lower bound (the upper bound, for lower-is-better
    indicators); the other bound is shown.
``maintain``
    keep a level: against a ``baseline`` value, or against the unit's own value in a
    ``baseline_year``. Without an indicator it is a yes/no target, like ``qualitative``.
``qualitative``
    a yes/no target ("the city title: registered"): carried and shown, but not computed
    from data; its status is *not assessed* unless an assessment is given.

A target has a ``year``, or is *undated* when its source gives no deadline (Hanoi's
"join the UNESCO network as early as possible"): an undated target is never among the
targets of a year, so it is never shown as due in 2025.

A target applies to every unit of a ``level`` (or of every level when none is named),
or only to the named ``units``. "40% of districts are learning districts" is a target on
the province whose indicator is ``learning_districts`` (districts with the title over
districts); its ``subject`` is the level it counts (``"district"``), so that on the tree
after the 2025 reform, which has no districts, it is *not applicable* rather than *no
data*. Numbers a source does not pin down are marked ``uncertain = true`` with a
``note`` (one text, or one per locale).

Bundled sets are listed by :func:`list_targets` and loaded by :func:`load_targets`,
which also reads any ``.toml`` file with the same layout (see the user guide).

Examples
--------
>>> from learnsoc.targets import load_targets
>>> hanoi = load_targets("hanoi-23-nq-tu")
>>> hanoi.years
(2025, 2030)
>>> t = hanoi["learning-families-2025"]
>>> t.indicator, t.kind, str(t.value), t.level
('learning_families', 'value', '60', 'province')
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any, Literal, NoReturn

import attrs

from learnsoc._messages import Message
from learnsoc._reprs import count_words
from learnsoc._toml import MAX_BYTES, TomlFile, decode_toml, parse_toml, read_file, shown_key
from learnsoc._toml import Path as KeyPath
from learnsoc.errors import TargetError, TargetFileError, did_you_mean
from learnsoc.i18n import LOCALES, N_, normalize_locale
from learnsoc.rules.entries import Clause, as_clause, clause_table
from learnsoc.rules.rulebook import MAX_TEXT
from learnsoc.targets.indicators import (
    DIRECTIONS,
    INDICATORS,
    UNKNOWN_DIRECTION,
    UNKNOWN_INDICATOR,
    Indicator,
    Noun,
)

__all__ = [
    "KINDS",
    "Target",
    "TargetFileError",
    "TargetKind",
    "TargetSet",
    "list_targets",
    "load_targets",
]


TargetKind = Literal["value", "range", "maintain", "qualitative"]
KINDS: tuple[str, ...] = ("value", "range", "maintain", "qualitative")
OPERATORS: tuple[str, ...] = (">=", ">", "<=", "<")
#: Words a qualitative target may expect (translated in reports).
EXPECTED: tuple[str, ...] = ("yes", "registered", "recognised", "joined", "continue", "maintained")


def _texts(value: Mapping[str, str] | None) -> Mapping[str, str]:
    return {normalize_locale(k): str(v) for k, v in (value or {}).items()}


def _text_in(texts: Mapping[str, str], locale: str | None) -> str:
    loc = normalize_locale(locale)
    return texts.get(loc) or texts.get("en") or next(iter(texts.values()), "")


@attrs.frozen
class Target:
    """One dated target of a target set.

    Parameters
    ----------
    id : str
        Unique within its set (``"learning-families-2025"``).
    year : int or None
        The year by which the target is to be met; None for a target whose source gives
        no deadline ("as soon as possible"), which no year selects.
    kind : {"value", "range", "maintain", "qualitative"}
        See the module docs.
    indicator : str or None
        The indicator id (None for yes/no targets).
    value : Decimal, optional
        The value of a ``value`` target, in the indicator's units (60 for 60%).
    lower, upper : Decimal, optional
        The bounds of a ``range`` target.
    baseline : Decimal, optional
        The level a ``maintain`` target keeps (or ``baseline_year``).
    baseline_year : int, optional
        For ``maintain``: keep at least the unit's own value of that year.
    op : str, optional
        ``">="``, ``">"``, ``"<="`` or ``"<"``; by default ``">="`` for indicators where
        higher is better and ``"<="`` otherwise.
    expected : str, optional
        For yes/no targets: ``"yes"``, ``"registered"``, ``"recognised"``, ``"joined"``,
        ``"continue"`` or ``"maintained"``.
    level : str, optional
        The level whose units the target applies to (every level when None).
    units : tuple of str
        Unit codes the target applies to (instead of a level).
    clause : Clause or str, optional
        Where in the source document the target is written, in Vietnamese and English
        (:class:`~learnsoc.rules.entries.Clause`); a text is the same in both.
    labels : mapping of locale to str
        The target's name, for yes/no targets (else the indicator's name is used).
    note : str
        Remarks, such as why a number is uncertain (English, or the only text given).
    uncertain : bool
        The number is not pinned down by a primary source.
    notes : mapping of locale to str
        The note in each locale, when the file gives one per locale.
    subject : str, optional
        The level whose units the target counts (``"district"`` for "40% of districts
        are learning districts"); by default read from the indicator's denominator
        (``districts``) or the target's level.

    Examples
    --------
    >>> target = Target("families-2030", 2030, "value", "learning_families",
    ...                 value=Decimal(70), level="province")
    >>> target.undated, str(target.value)
    (False, '70')
    """

    id: str
    year: int | None
    kind: TargetKind
    indicator: str | None = None
    value: Decimal | None = None
    lower: Decimal | None = None
    upper: Decimal | None = None
    baseline: Decimal | None = None
    baseline_year: int | None = None
    op: str | None = None
    expected: str | None = None
    level: str | None = None
    units: tuple[str, ...] = ()
    clause: Clause | None = attrs.field(default=None, converter=as_clause)
    labels: Mapping[str, str] = attrs.field(factory=dict, converter=_texts, hash=False)
    note: str = ""
    uncertain: bool = False
    notes: Mapping[str, str] = attrs.field(factory=dict, converter=_texts, hash=False)
    subject: str | None = None

    @property
    def undated(self) -> bool:
        """Whether the source gives the target no deadline (``year`` is None).

        Examples
        --------
        >>> Target("unesco", None, "qualitative", expected="joined").undated
        True
        """
        return self.year is None

    def note_in(self, locale: str | None = None) -> str:
        """Return the target's note in the locale (``""`` when it has none).

        Examples
        --------
        >>> t = Target("t", 2025, "value", "learning_districts", value=Decimal(40),
        ...            notes={"vi": "Cấp huyện đã kết thúc.", "en": "Districts ended."})
        >>> t.note_in("vi"), t.note_in("en")
        ('Cấp huyện đã kết thúc.', 'Districts ended.')
        """
        if self.notes:
            return _text_in(self.notes, locale)
        return self.note

    def clause_in(self, locale: str | None = None) -> str:
        """Return the clause the target cites, in the locale (``""`` when it cites none).

        A clause written in one language is shown in it whatever the locale.

        Examples
        --------
        >>> t = Target("t", 2025, "value", "learning_families", value=Decimal(60),
        ...            clause=Clause(vi="Điều 1, mục II.2", en="Article 1, section II.2"))
        >>> t.clause_in("vi"), t.clause_in("en")
        ('Điều 1, mục II.2', 'Article 1, section II.2')
        >>> Target("t", 2025, "value", "learning_families", clause="Điều 1").clause_in("en")
        'Điều 1'
        """
        return "" if self.clause is None else self.clause.text(locale)

    def subject_level(self, ind: Indicator | None, abolished: Sequence[str] = ()) -> str | None:
        """Return the level whose units the target counts, if it names or implies one.

        The explicit ``subject``, else, for each level in ``abolished``, the level whose
        plural is the indicator's denominator (``districts``) or that is the target's
        ``level``; else None.

        Examples
        --------
        >>> from learnsoc.targets.indicators import INDICATORS
        >>> t = Target("t", 2025, "value", "learning_districts", value=Decimal(40))
        >>> t.subject_level(INDICATORS["learning_districts"], abolished=["district"])
        'district'
        >>> t.subject_level(INDICATORS["learning_districts"]) is None
        True
        """
        if self.subject is not None:
            return self.subject
        for level in abolished:
            if (ind is not None and ind.denominator == f"{level}s") or self.level == level:
                return level
        return None

    @property
    def computed(self) -> bool:
        """Whether the target is computed from data (it has an indicator and a number).

        Examples
        --------
        >>> Target("t", 2025, "qualitative", expected="registered").computed
        False
        """
        if self.indicator is None or self.kind == "qualitative":
            return False
        return not (self.kind == "maintain" and self.baseline is None and not self.baseline_year)

    def operator(self, ind: Indicator) -> str:
        """Return the comparison that means "met", given the indicator's direction.

        Examples
        --------
        >>> from learnsoc.targets.indicators import INDICATORS
        >>> Target("t", 2025, "range", "trained_workers", lower=Decimal(75),
        ...        upper=Decimal(80)).operator(INDICATORS["trained_workers"])
        '>='
        """
        if self.op is not None:
            return self.op
        return ">=" if ind.direction == "higher_is_better" else "<="

    def threshold(self, ind: Indicator) -> Decimal | None:
        """Return the number that defines "met" (in the indicator's units), if fixed.

        A range is met at its lower bound (its upper bound when lower is better); a
        ``maintain`` target with a ``baseline_year`` has no fixed threshold (None).

        Examples
        --------
        >>> from learnsoc.targets.indicators import INDICATORS
        >>> str(Target("t", 2025, "range", "trained_workers", lower=Decimal(75),
        ...            upper=Decimal(80)).threshold(INDICATORS["trained_workers"]))
        '75'
        """
        if self.kind == "value":
            return self.value
        if self.kind == "range":
            return self.lower if ind.direction == "higher_is_better" else self.upper
        if self.kind == "maintain":
            return self.baseline
        return None

    def fraction(self, ind: Indicator) -> Fraction | None:
        """Return the threshold as an exact fraction of 1 (60% -> 3/5), if fixed.

        Examples
        --------
        >>> from learnsoc.targets.indicators import INDICATORS
        >>> Target("t", 2025, "value", "literacy_15_60", value=Decimal("99.5")).fraction(
        ...     INDICATORS["literacy_15_60"])
        Fraction(199, 200)
        """
        threshold = self.threshold(ind)
        return None if threshold is None else Fraction(threshold) / ind.factor

    def display(self, ind: Indicator | None, locale: str | None = None) -> str:
        """Return the target's name: its own label, else its indicator's name.

        Examples
        --------
        >>> from learnsoc.targets.indicators import INDICATORS
        >>> Target("t", 2025, "value", "learning_clans", value=Decimal(60)).display(
        ...     INDICATORS["learning_clans"], "vi")
        'Tỷ lệ Dòng họ học tập'
        """
        if self.labels:
            return _text_in(self.labels, locale)
        return ind.display(locale) if ind is not None else self.id


@attrs.frozen
class TargetSet:
    """The dated targets of one source document.

    Parameters
    ----------
    id : str
        The set's name (``"hanoi-23-nq-tu"``).
    title : mapping of locale to str
        The document's name in each locale (its full signed title).
    issuer : mapping of locale to str
        Who issued it.
    date : datetime.date or None
        When it was issued.
    targets : tuple of Target
        The targets, in the file's order.
    indicators : mapping of str to Indicator
        The standard indicators and those the file defines.
    url : str
        Where the document can be read.
    note : str
        Remarks on the set (how sure the numbers are ...).
    file : str or None
        The file it was read from, or the bundled name.
    short_title : mapping of locale to str
        A short name for headings (``"Nghị quyết 23-NQ/TU của Thành ủy Hà Nội"``); the
        full title when empty.

    Examples
    --------
    >>> from learnsoc.targets import load_targets
    >>> ts = load_targets("vn-1373-qd-ttg")
    >>> ts.title_in("en")
    'Decision 1373/QĐ-TTg'
    >>> len(ts.select(year=2025)) > 0
    True
    """

    id: str
    title: Mapping[str, str] = attrs.field(converter=_texts, hash=False)
    issuer: Mapping[str, str] = attrs.field(converter=_texts, hash=False)
    date: dt.date | None
    targets: tuple[Target, ...]
    indicators: Mapping[str, Indicator] = attrs.field(factory=lambda: dict(INDICATORS), hash=False)
    url: str = ""
    note: str = ""
    file: str | None = None
    short_title: Mapping[str, str] = attrs.field(factory=dict, converter=_texts, hash=False)

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for t in self.targets:
            if t.id in seen:
                msg = Message(
                    N_("target set {target_set!r}: target id {target!r} appears twice"),
                    target_set=self.id,
                    target=t.id,
                )
                raise TargetError(str(msg)).translatable(msg)
            seen.add(t.id)
            if t.indicator is not None and t.indicator not in self.indicators:
                msg = Message(
                    N_("target {target!r}: unknown indicator {indicator!r}{hint}"),
                    target=t.id,
                    indicator=t.indicator,
                    hint=did_you_mean(t.indicator, self.indicators),
                )
                raise TargetError(str(msg)).translatable(msg)

    def __len__(self) -> int:
        return len(self.targets)

    def __iter__(self) -> Iterator[Target]:
        return iter(self.targets)

    def __getitem__(self, target_id: str) -> Target:
        for t in self.targets:
            if t.id == target_id:
                return t
        msg = Message(
            N_("no target {target!r} in {target_set!r}{hint}"),
            target=target_id,
            target_set=self.id,
            hint=did_you_mean(target_id, self.ids()),
        )
        raise TargetError(str(msg)).translatable(msg)

    def ids(self) -> tuple[str, ...]:
        """Return the target ids, in order."""
        return tuple(t.id for t in self.targets)

    @property
    def years(self) -> tuple[int, ...]:
        """The target years, ascending (undated targets have none)."""
        return tuple(sorted({t.year for t in self.targets if t.year is not None}))

    def undated(self) -> TargetSet:
        """Return the set restricted to its targets without a deadline.

        Examples
        --------
        >>> from learnsoc.targets import load_targets
        >>> load_targets("hanoi-23-nq-tu").undated().ids()
        ('unesco-network',)
        """
        return attrs.evolve(self, targets=tuple(t for t in self.targets if t.undated))

    def title_in(self, locale: str | None = None) -> str:
        """Return the document's full name in the locale."""
        return _text_in(self.title, locale)

    def name_in(self, locale: str | None = None) -> str:
        """Return the document's short name in the locale (for headings), else its title.

        Examples
        --------
        >>> from learnsoc.targets import load_targets
        >>> load_targets("hanoi-23-nq-tu").name_in("en")
        'Hanoi Resolution 23-NQ/TU'
        """
        return _text_in(self.short_title or self.title, locale)

    def issuer_in(self, locale: str | None = None) -> str:
        """Return the issuer's name in the locale."""
        return _text_in(self.issuer, locale)

    def indicator_of(self, target: Target) -> Indicator | None:
        """Return the indicator a target measures (None for yes/no targets)."""
        return None if target.indicator is None else self.indicators[target.indicator]

    def select(
        self,
        *,
        year: int | None = None,
        indicators: Sequence[str] | None = None,
        ids: Sequence[str] | None = None,
    ) -> TargetSet:
        """Return the set restricted to a year, some indicators, or some target ids.

        Raises
        ------
        TargetError
            For an unknown target id or indicator (with a suggestion).

        Examples
        --------
        >>> from learnsoc.targets import load_targets
        >>> hanoi = load_targets("hanoi-23-nq-tu")
        >>> hanoi.select(year=2030, indicators=["learning_units"]).ids()
        ('learning-units-2030',)
        """
        for name in ids or ():
            self[name]
        for name in indicators or ():
            if name not in self.indicators:
                msg = Message(
                    UNKNOWN_INDICATOR, name=name, hint=did_you_mean(name, self.indicators)
                )
                raise TargetError(str(msg)).translatable(msg)
        kept = tuple(
            t
            for t in self.targets
            if (year is None or t.year == year)
            and (indicators is None or t.indicator in indicators)
            and (ids is None or t.id in ids)
        )
        return attrs.evolve(self, targets=kept)

    def __repr__(self) -> str:
        years = ", ".join(str(y) for y in self.years)
        if len(self.years) == 1:  # "cho năm 2025", not "cho các năm 2025" (as the CLI says)
            one, many = "{n} target for the year {years}", "{n} targets for the year {years}"
        else:
            one, many = "{n} target for {years}", "{n} targets for {years}"
        targets = count_words(one, many, len(self), years=years)
        return f"TargetSet({self.id!r}: {targets})"

    def to_html(self, locale: str | None = None) -> str:
        """Return the targets as an HTML table in the locale (every value escaped).

        Examples
        --------
        >>> from learnsoc.targets import load_targets
        >>> html = load_targets("hanoi-23-nq-tu").to_html("en")
        >>> html.count("<tr>") == len(load_targets("hanoi-23-nq-tu")) + 1
        True
        >>> "<td>tổng số gia đình</td>" in load_targets("hanoi-23-nq-tu").to_html("vi")
        True
        """
        from html import escape

        from learnsoc.i18n import N_, gettext, normalize_locale
        from learnsoc.report._build import target_text

        # The goal and the level as the progress report writes them (≥ 99,5%, cấp tỉnh).
        locale = normalize_locale(locale)
        # "out of" says what each goal is a share of, as the progress report's column does.
        # The id a user types heads its column in English; Vietnamese says it in words.
        names = (
            "id" if locale == "en" else N_("target (code)"),
            N_("target"),
            N_("indicator"),
            N_("out of"),
            N_("year"),
            N_("goal"),
            N_("level"),
        )
        head = "".join(f"<th>{escape(gettext(h, locale))}</th>" for h in names)
        rows = []
        for target in self.targets:
            # A target without a name of its own is named by its indicator's column, not
            # by its id a second time.
            label = _text_in(target.labels, locale) or ""
            ind = self.indicator_of(target)
            cells = [
                target.id,
                label,
                gettext(ind.label, locale) if ind is not None else "",
                ind.basis_display(locale) if ind is not None and target.computed else "",
                "" if target.year is None else str(target.year),
                target_text(target, ind, locale),
                gettext(target.level, locale) if target.level else "",
            ]
            rows.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in cells) + "</tr>")
        caption = escape(f"{self.name_in(locale)} ({self.id})")
        return (
            f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    @classmethod
    def from_toml(cls, text: str, *, file: str | None = None) -> TargetSet:
        """Read a target set from TOML text (see the user guide for the layout).

        Raises
        ------
        TargetFileError
            For invalid TOML or content; the message names the file, line and key path.

        Examples
        --------
        >>> ts = TargetSet.from_toml('''
        ... [target_set]
        ... id = "demo"
        ... title = { vi = "Kế hoạch thử", en = "Test plan" }
        ... issuer = { vi = "UBND", en = "People's Committee" }
        ... date = 2024-02-07
        ... [[targets]]
        ... id = "families-2025"
        ... indicator = "learning_families"
        ... year = 2025
        ... kind = "value"
        ... value = 62.5
        ... ''')
        >>> ts["families-2025"].value
        Decimal('62.5')
        """
        return _Reader(text, file).read()


# -- reading TOML ---------------------------------------------------------------------

_SET_KEYS = ("id", "title", "short_title", "issuer", "date", "url", "note")
_TARGET_KEYS = (
    "id",
    "indicator",
    "year",
    "kind",
    "value",
    "range",
    "baseline",
    "baseline_year",
    "op",
    "expected",
    "level",
    "units",
    "clause",
    "label",
    "note",
    "uncertain",
    "undated",
    "subject",
)
_INDICATOR_KEYS = (
    "numerator",
    "denominator",
    "missing",
    "label",
    "factor",
    "decimals",
    "direction",
    "denominator_label",
)
#: The Python names of TOML's types, as a message on a value of the wrong type names them
#: ("got str '60%'"): marked so that they are translated ("văn bản '60%'").
_TOML_TYPES = (
    N_("str"),
    N_("int"),
    N_("Decimal"),
    N_("bool"),
    N_("list"),
    N_("dict"),
    N_("date"),
    N_("datetime"),
    N_("time"),
)
#: The largest magnitude, and the most decimals, of a number in a target file.
_MAX_NUMBER = Decimal("1e15")
_MAX_DECIMALS = 15


class _Reader:
    """Validate a target file, with the file, line and key path in every error."""

    def __init__(self, text: str, file: str | None) -> None:
        self.text = text
        self.file = file

    def fail(self, message: Message, key_path: str, table: KeyPath | None = None) -> NoReturn:
        raise self.error(message, key_path, table)

    def error(self, message: Message, key_path: str, table: KeyPath | None) -> TargetFileError:
        """Return the error at the last key of ``key_path``, in ``table`` (else at the table).

        ``key_path`` is shown as given (a target's id beside its index); with no table
        the error has no line.
        """
        where = table
        if table is not None and "." in key_path:
            where = (*table, key_path.rsplit(".", 1)[1])
        # Agencies write these files: the message is translated, the key path is not.
        return self.toml.error(message, where, key_path=key_path)

    def read(self) -> TargetSet:
        # Bounded like rulebooks: nesting and integer size are checked with the line.
        data, locator = parse_toml(self.text, self.file, error=TargetFileError, parse_float=Decimal)
        self.toml = TomlFile(self.file, locator, TargetFileError, columns=False)
        self.unknown(data, ("target_set", "indicators", "targets"), "", ())
        head = data.get("target_set")
        if not isinstance(head, dict):
            msg = Message(N_("a target file needs a [target_set] table (id, title, issuer, date)"))
            self.fail(msg, "target_set")
        line: KeyPath = ("target_set",)
        self.unknown(head, _SET_KEYS, "target_set", line)
        set_id = self.string(head, "id", "target_set", line, required=True)
        title = self.locales(head, "title", "target_set", line)
        issuer = self.locales(head, "issuer", "target_set", line)
        date = head.get("date")
        if date is not None and (not isinstance(date, dt.date) or isinstance(date, dt.datetime)):
            msg = Message(N_("date must be a TOML date (2023-11-16), got {value!r}"), value=date)
            self.fail(msg, "target_set.date", line)
        indicators = dict(INDICATORS)
        raw_indicators = data.get("indicators", {})
        if not isinstance(raw_indicators, dict):
            self.fail(Message(N_("[indicators] must be a table of tables")), "indicators")
        for name, spec in raw_indicators.items():
            indicators[name] = self.indicator(name, spec)
        raw_targets = data.get("targets", [])
        if not isinstance(raw_targets, list) or not all(isinstance(t, dict) for t in raw_targets):
            msg = Message(N_("targets must be an array of tables: [[targets]]"))
            self.fail(msg, "targets")
        targets = [self.target(i, spec, indicators) for i, spec in enumerate(raw_targets)]
        seen: dict[str, int] = {}
        for i, t in enumerate(targets):
            if t.id in seen:
                msg = Message(
                    N_("target id {target!r} is used twice (targets[{first}] and targets[{i}])"),
                    target=t.id,
                    first=seen[t.id],
                    i=i,
                )
                self.fail(msg, f"targets[{i}].id", ("targets", i))
            seen[t.id] = i
        return TargetSet(
            id=set_id,
            title=title,
            issuer=issuer,
            date=date,
            targets=tuple(targets),
            indicators=indicators,
            url=self.string(head, "url", "target_set", line),
            note=self.string(head, "note", "target_set", line),
            file=self.file,
            short_title=self.locales(head, "short_title", "target_set", line, required=False),
        )

    def unknown(
        self, table: Mapping[str, Any], allowed: Sequence[str], path: str, line: KeyPath | None
    ) -> None:
        def error(message: Message, key: str) -> TargetFileError:
            shown = f"{path}.{shown_key(key)}" if path else shown_key(key)
            return self.toml.error(message, None if line is None else (*line, key), key_path=shown)

        self.toml.check_keys(table, allowed, (), error=error)

    def wrong_type(
        self, message: str, key: str, value: Any, path: str, line: KeyPath | None
    ) -> NoReturn:
        """Refuse the value of ``key``: ``message`` says the type it needs."""
        msg = Message(message, key=key, type_text=type(value).__name__, value=value)
        self.fail(msg, f"{path}.{key}", line)

    def string(
        self,
        table: Mapping[str, Any],
        key: str,
        path: str,
        line: KeyPath | None,
        *,
        required: bool = False,
    ) -> str:
        value = table.get(key)
        if value is None:
            if required:
                self.fail(Message(N_("{key!r} is required"), key=key), f"{path}.{key}", line)
            return ""
        if not isinstance(value, str):
            message = N_("{key!r} must be a string, got {type_text} {value!r}")
            self.wrong_type(message, key, value, path, line)
        return value

    def locales(
        self,
        table: Mapping[str, Any],
        key: str,
        path: str,
        line: KeyPath | None,
        *,
        required: bool = True,
    ) -> dict[str, str]:
        value = table.get(key)
        if value is None and not required:
            return {}
        if not isinstance(value, dict) or any(not isinstance(v, str) for v in value.values()):
            msg = Message(
                N_(
                    "{key!r} must be a table of texts by locale: "
                    '{key} = {{ vi = "...", en = "..." }}'
                ),
                key=key,
            )
            self.fail(msg, f"{path}.{key}", line)
        missing = [loc for loc in LOCALES if not value.get(loc)]
        if missing:
            msg = Message(
                N_("{key!r} needs a text for every locale; missing {locales}"),
                key=key,
                locales=", ".join(missing),
            )
            self.fail(msg, f"{path}.{key}", line)
        self.unknown(value, LOCALES, f"{path}.{key}", line)
        return dict(value)

    def clause(self, spec: Mapping[str, Any], path: str, line: KeyPath | None) -> Clause | None:
        """Read a target's clause: a text, or ``{ vi = "...", en = "..." }`` as in rulebooks."""
        value = spec.get("clause")
        if value is None or isinstance(value, str):
            return as_clause(value)
        key_path = f"{path}.clause"
        if not isinstance(value, dict):
            message = N_(
                "{key!r} must be a text or a table "
                '{{ vi = "...", en = "..." }}, got {type_text} {value!r}'
            )
            self.wrong_type(message, "clause", value, path, line)
        self.unknown(value, LOCALES, key_path, None if line is None else (*line, "clause"))
        return clause_table(
            value,
            "clause",
            lambda msg: self.error(msg, key_path, line),
            limit=MAX_TEXT,
        )

    def nouns(self, spec: Mapping[str, Any], path: str, line: KeyPath | None) -> dict[str, Noun]:
        """Read a ``denominator_label`` given as a table: each locale's noun, one and many.

        ``{ vi = "học sinh", en = { one = "pupil", other = "pupils" } }``: a text is the
        same for one and many (Vietnamese).
        """
        key = "denominator_label"
        table = spec[key]
        key_path = f"{path}.{key}"
        at: KeyPath | None = None if line is None else (*line, key)
        self.unknown(table, LOCALES, key_path, at)
        missing = [loc for loc in LOCALES if loc not in table]
        if missing:
            msg = Message(
                N_("{key!r} needs a noun for every locale; missing {locales}"),
                key=key,
                locales=", ".join(missing),
            )
            self.fail(msg, key_path, line)
        nouns: dict[str, Noun] = {}
        for loc, value in table.items():
            here = f"{key_path}.{loc}"
            if isinstance(value, dict):
                self.unknown(value, ("one", "other"), here, at)
                forms = [value.get(form) for form in ("one", "other")]
            else:
                forms = [value, value]
            if not all(isinstance(f, str) and f.strip() for f in forms):
                msg = Message(
                    N_(
                        "{key!r} must be a noun, or its singular and plural: "
                        '{{ one = "pupil", other = "pupils" }}; got {value!r}'
                    ),
                    key=f"{key}.{loc}",
                    value=value,
                )
                self.fail(msg, here, at)
            nouns[loc] = Noun(str(forms[0]), str(forms[1]))
        return nouns

    def number(self, value: Any, key: str, path: str, line: KeyPath | None) -> Decimal:
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            message = N_("{key!r} must be a number, got {type_text} {value!r}")
            self.wrong_type(message, key, value, path, line)
        number = Decimal(value)
        if not number.is_finite():
            msg = Message(N_("{key!r} must be finite, got {value!r}"), key=key, value=value)
            self.fail(msg, f"{path}.{key}", line)
        exponent = number.as_tuple().exponent
        too_big = number.copy_abs() > _MAX_NUMBER  # abs() would round, and overflow
        if too_big or (isinstance(exponent, int) and exponent < -_MAX_DECIMALS):
            # 1e999999999 is a valid TOML float, and turning it into a Fraction to
            # compare it with an indicator would build a billion-digit integer.
            msg = Message(
                N_("{key!r} must be at most 1e15 in size, with at most {decimals} decimals"),
                key=key,
                decimals=_MAX_DECIMALS,
            )
            self.fail(msg, f"{path}.{key}", line)
        return number

    def integer(self, value: Any, key: str, path: str, line: KeyPath | None) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            message = N_("{key!r} must be an integer, got {type_text} {value!r}")
            self.wrong_type(message, key, value, path, line)
        return value

    def indicator(self, name: str, spec: Any) -> Indicator:
        path = f"indicators.{name}"
        line: KeyPath = ("indicators", name)
        if not isinstance(spec, dict):
            self.fail(Message(N_("an indicator must be a table")), path, line)
        self.unknown(spec, _INDICATOR_KEYS, path, line)
        if not name.isidentifier():
            msg = Message(N_("indicator id {name!r} must be an identifier"), name=name)
            self.fail(msg, path, line)
        for key in ("numerator", "denominator"):
            self.string(spec, key, path, line, required=True)
        direction = spec.get("direction", "higher_is_better")
        if direction not in DIRECTIONS:
            msg = Message(
                UNKNOWN_DIRECTION,
                value=direction,
                hint=did_you_mean(str(direction), DIRECTIONS),
            )
            self.fail(msg, f"{path}.direction", line)
        labels = self.locales(spec, "label", path, line)
        noun = spec.get("denominator_label")
        nouns: dict[str, Noun] = {}
        if isinstance(noun, dict):
            nouns, noun = self.nouns(spec, path, line), None
        elif noun is not None and not isinstance(noun, str):
            message = N_(
                "{key!r} must be a text or a table of nouns by locale: "
                '{key} = {{ vi = "học sinh", en = {{ one = "pupil", other = "pupils" }} }}'
                "; got {type_text} {value!r}"
            )
            self.wrong_type(message, "denominator_label", noun, path, line)
        try:
            return Indicator(
                id=name,
                numerator=spec["numerator"],
                denominator=spec["denominator"],
                label=labels["en"],
                missing=spec.get("missing"),
                factor=self.integer(spec.get("factor", 100), "factor", path, line),
                decimals=self.integer(spec.get("decimals", 2), "decimals", path, line),
                direction=direction,
                denominator_label=noun,
                labels=labels,
                denominator_nouns=nouns,
            )
        except TargetError as err:
            # The indicator's own check: keep its catalog id, with the file's position.
            if err.message_id is None:  # pragma: no cover - every check has a catalog id
                problem = Message(err.english().replace("{", "{{").replace("}", "}}"))
            else:
                problem = Message(err.message_id, **err.params)
        self.fail(problem, path, line)

    def target(
        self, i: int, spec: Mapping[str, Any], indicators: Mapping[str, Indicator]
    ) -> Target:
        path = f"targets[{i}]"
        line: KeyPath = ("targets", i)
        self.unknown(spec, _TARGET_KEYS, path, line)
        target_id = self.string(spec, "id", path, line, required=True)
        path = f"targets[{i}] ({target_id})"
        kind = spec.get("kind")
        if kind not in KINDS:
            msg = Message(
                N_("kind must be one of {choices}; got {value!r}{hint}"),
                choices=", ".join(KINDS),
                value=kind,
                hint=did_you_mean(kind, KINDS) if isinstance(kind, str) else "",
            )
            self.fail(msg, f"{path}.kind", line)
        undated = spec.get("undated", False)
        if not isinstance(undated, bool):
            msg = Message(N_("undated must be true or false"))
            self.fail(msg, f"{path}.undated", line)
        year: int | None = None
        if undated:
            if "year" in spec:
                msg = Message(
                    N_("give 'year' or 'undated = true' (no deadline in the source), not both")
                )
                self.fail(msg, f"{path}.year", line)
        elif "year" not in spec:
            msg = Message(
                N_("'year' is required (or 'undated = true' when the source gives no deadline)")
            )
            self.fail(msg, f"{path}.year", line)
        else:
            year = self.integer(spec["year"], "year", path, line)
            if not 1945 <= year <= 2100:
                msg = Message(N_("year {year} is not plausible"), year=year)
                self.fail(msg, f"{path}.year", line)
        name = spec.get("indicator")
        if name is not None:
            name = self.string(spec, "indicator", path, line)
            if name not in indicators:
                msg = Message(UNKNOWN_INDICATOR, name=name, hint=did_you_mean(name, indicators))
                self.fail(msg, f"{path}.indicator", line)
        fields: dict[str, Any] = {}
        needs = {
            "value": ("value",),
            "range": ("range",),
            "maintain": (),
            "qualitative": ("expected",),
        }[kind]
        for key in needs:
            if key not in spec:
                msg = Message(N_("a {kind} target needs {key!r}"), kind=kind, key=key)
                self.fail(msg, f"{path}.{key}", line)
        if kind in ("value", "range") and name is None:
            msg = Message(N_("a {kind} target needs an 'indicator'"), kind=kind)
            self.fail(msg, f"{path}.indicator", line)
        allowed_for_kind = {
            "value": {"value", "op"},
            "range": {"range"},
            "maintain": {"baseline", "baseline_year", "op", "expected"},
            "qualitative": {"expected"},
        }[kind]
        for key in ("value", "range", "baseline", "baseline_year", "op", "expected"):
            if key in spec and key not in allowed_for_kind:
                msg = Message(N_("{key!r} does not apply to a {kind} target"), key=key, kind=kind)
                self.fail(msg, f"{path}.{key}", line)
        if "value" in spec:
            fields["value"] = self.number(spec["value"], "value", path, line)
        if "range" in spec:
            bounds = spec["range"]
            if not isinstance(bounds, list) or len(bounds) != 2:
                msg = Message(N_("range must be [lower, upper], got {value!r}"), value=bounds)
                self.fail(msg, f"{path}.range", line)
            lower = self.number(bounds[0], "range", path, line)
            upper = self.number(bounds[1], "range", path, line)
            if lower > upper:
                msg = Message(N_("range {lower}-{upper} is reversed"), lower=lower, upper=upper)
                self.fail(msg, f"{path}.range", line)
            fields["lower"], fields["upper"] = lower, upper
        if "baseline" in spec:
            fields["baseline"] = self.number(spec["baseline"], "baseline", path, line)
        if "baseline_year" in spec:
            fields["baseline_year"] = self.integer(
                spec["baseline_year"], "baseline_year", path, line
            )
            if year is not None and fields["baseline_year"] >= year:
                msg = Message(
                    N_("baseline_year {baseline_year} must be before the target year {year}"),
                    baseline_year=fields["baseline_year"],
                    year=year,
                )
                self.fail(msg, f"{path}.baseline_year", line)
        if (
            kind == "maintain"
            and name is not None
            and "baseline" in spec
            and "baseline_year" in spec
        ):
            msg = Message(N_("give 'baseline' or 'baseline_year', not both"))
            self.fail(msg, f"{path}.baseline", line)
        if (
            kind == "maintain"
            and name is not None
            and not ({"baseline", "baseline_year"} & set(spec))
        ):
            msg = Message(
                N_("a maintain target with an indicator needs 'baseline' or 'baseline_year'")
            )
            self.fail(msg, f"{path}.baseline", line)
        if "op" in spec:
            op = spec["op"]
            if op not in OPERATORS:
                msg = Message(
                    N_("op must be one of {choices}; got {value!r}"),
                    choices=", ".join(OPERATORS),
                    value=op,
                )
                self.fail(msg, f"{path}.op", line)
            fields["op"] = op
        if "expected" in spec:
            expected = spec["expected"]
            if expected not in EXPECTED:
                msg = Message(
                    N_("expected must be one of {choices}; got {value!r}{hint}"),
                    choices=", ".join(EXPECTED),
                    value=expected,
                    hint=did_you_mean(expected, EXPECTED) if isinstance(expected, str) else "",
                )
                self.fail(msg, f"{path}.expected", line)
            fields["expected"] = expected
        if "level" in spec:
            fields["level"] = self.string(spec, "level", path, line)
        if "units" in spec:
            units = spec["units"]
            if not isinstance(units, list) or not all(isinstance(u, str) for u in units):
                msg = Message(N_("units must be a list of unit codes (strings)"))
                self.fail(msg, f"{path}.units", line)
            if "level" in spec:
                msg = Message(N_("give 'level' or 'units', not both"))
                self.fail(msg, f"{path}.units", line)
            fields["units"] = tuple(units)
        if "label" in spec:
            fields["labels"] = self.locales(spec, "label", path, line)
        elif name is None:
            msg = Message(N_("a target without an indicator needs a 'label'"))
            self.fail(msg, f"{path}.label", line)
        if "subject" in spec:
            subject = self.string(spec, "subject", path, line)
            if not subject.isidentifier():
                msg = Message(
                    N_("subject must be a level name (an identifier), got {value!r}"),
                    value=subject,
                )
                self.fail(msg, f"{path}.subject", line)
            fields["subject"] = subject
        uncertain = spec.get("uncertain", False)
        if not isinstance(uncertain, bool):
            msg = Message(N_("uncertain must be true or false"))
            self.fail(msg, f"{path}.uncertain", line)
        if uncertain and not spec.get("note"):
            msg = Message(N_("an uncertain target needs a 'note' saying why"))
            self.fail(msg, f"{path}.note", line)
        note = ""
        if isinstance(spec.get("note"), dict):
            fields["notes"] = self.locales(spec, "note", path, line)
            note = fields["notes"]["en"]
        else:
            note = self.string(spec, "note", path, line)
        return Target(
            id=target_id,
            year=year,
            kind=kind,
            indicator=name,
            clause=self.clause(spec, path, line),
            note=note,
            uncertain=uncertain,
            **fields,
        )


# -- the registry ---------------------------------------------------------------------


def _bundled_dir() -> Any:
    return resources.files("learnsoc") / "data" / "targets"


def list_targets() -> list[str]:
    """Return the names of the bundled target sets.

    Examples
    --------
    >>> list_targets()
    ['hanoi-23-nq-tu', 'vn-1373-qd-ttg', 'vn-281-qd-ttg', 'vn-387-qd-ttg', 'vn-677-qd-ttg']
    """
    return sorted(
        entry.name.removesuffix(".toml")
        for entry in _bundled_dir().iterdir()
        if entry.name.endswith(".toml")
    )


@functools.cache
def _bundled_text(name: str) -> str:
    return str((_bundled_dir() / f"{name}.toml").read_text(encoding="utf-8"))


def _load_bundled(name: str) -> TargetSet:
    # A fresh set each time: its mappings are plain dicts a caller could change.
    return TargetSet.from_toml(_bundled_text(name), file=f"{name}.toml")


def load_targets(source: str | os.PathLike[str]) -> TargetSet:
    """Load a bundled target set by name, or a target file by path.

    Parameters
    ----------
    source : str or path
        A bundled name (see :func:`list_targets`) or the path of a ``.toml`` file (a
        string is a path when it ends in ``.toml``, contains a path separator or names
        a file). The file is read within the limits of rule files: a regular file of at
        most 1 MiB (checked before reading), UTF-8, nested at most 20 levels, 64-bit
        integers.

    Returns
    -------
    TargetSet

    Raises
    ------
    TargetFileError
        If the name is not bundled (with a suggestion) or the file is invalid (with the
        file, line and key path).

    Examples
    --------
    >>> hanoi = load_targets("hanoi-23-nq-tu")
    >>> hanoi.title_in("vi")[:40]
    'Nghị quyết số 23-NQ/TU của Thành ủy Hà N'
    >>> str(hanoi.date)
    '2023-11-16'
    >>> load_targets("hanoi-23")
    Traceback (most recent call last):
    ...
    learnsoc.errors.TargetFileError: unknown target set 'hanoi-23'; expected one of ...
    """
    text = os.fspath(source)
    path = Path(text)
    looks_like_path = text.endswith(".toml") or "/" in text or os.sep in text
    if isinstance(source, os.PathLike) or looks_like_path or path.is_file():
        what = "target file"
        data = read_file(path, file=text, what=what, error=TargetFileError, limit=MAX_BYTES)
        content = decode_toml(data, text, what=what, error=TargetFileError)
        return TargetSet.from_toml(content, file=text)
    names = list_targets()
    if text not in names:
        hint = did_you_mean(text, names)
        msg = f"unknown target set {text!r}{hint}"
        raise TargetFileError(msg).translatable(
            N_("unknown target set {name!r}{hint}"), name=text, hint=hint
        )
    return _load_bundled(text)
