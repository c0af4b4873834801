"""A title's verdicts: per entity, granted or not, known or not, and each criterion's bit.

:class:`Verdicts` holds what :func:`~learnsoc.rules.engine.evaluate` decided for one
title at every entity of its level: one bit per criterion says whether it passed and one
whether it was known, with the points and grade of points titles. :class:`AtomNumbers`
and :class:`AggregateNumbers` keep the numbers behind aggregate criteria (numerator,
denominator, missing), so explanations need no second run; :class:`TitleCounts` gives a
title's counts at the units its entities are attached to, for rollups.
"""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc._arrays import ARRAY_EQ
from learnsoc._arrays import readonly as _readonly
from learnsoc._messages import N_, Message
from learnsoc._reprs import repr_words
from learnsoc.errors import RulebookError, did_you_mean
from learnsoc.i18n import format_integer, get_locale, gettext, normalize_locale
from learnsoc.rules._display import date_text, html_table
from learnsoc.rules.entries import Criterion, Title, Version

__all__ = ["AggregateNumbers", "AtomNumbers", "TitleCounts", "Verdicts", "verdicts_html"]

Array = NDArray[Any]
Mask = NDArray[np.bool_]


def _readonly_or_none(array: Array | None) -> Array | None:
    return None if array is None else _readonly(array)


def _readonly_pairs(pairs: Any) -> tuple[tuple[str, Mask], ...]:
    return tuple((str(key), _readonly(mask)) for key, mask in pairs)


@attrs.frozen(eq=False)
class AggregateNumbers:
    """The numbers behind one aggregate of a criterion, per entity.

    Attributes
    ----------
    func : str
        ``count``, ``share``, ``all``, ``any``, ``sum``, ``mean``, ``min`` or ``max``.
    text : str
        The aggregate as written back (``share(members.learning_citizen)``).
    count : ndarray of int
        Eligible members with a known value (a share's denominator).
    hits : ndarray of int or None
        For ``share``, ``all`` and ``any``: eligible members meeting the condition.
    missing : ndarray of int
        Eligible members whose value was missing.
    status : ndarray of uint8
        0 ok, 1 empty, 2 all missing.
    value : ndarray or None
        The value of ``count``, ``sum``, ``mean``, ``min`` and ``max``.

    Examples
    --------
    >>> import learnsoc as ls, warnings
    >>> pop = ls.synthetic_population(persons=2_000, seed=5)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ev = ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31")
    >>> numbers = ev.numbers[("learning_clan", "share_learning_families")][0].aggregates[0]
    >>> print(numbers.func, numbers.count, numbers.hits)  # per clan: households, learning ones
    share [81 81 81 81 81 10] [61 58 53 44 53  7]
    """

    func: str
    text: str
    count: Array = attrs.field(converter=_readonly)
    hits: Array | None = attrs.field(converter=_readonly_or_none)
    missing: Array = attrs.field(converter=_readonly)
    status: Array = attrs.field(converter=_readonly)
    value: Array | None = attrs.field(default=None, converter=_readonly_or_none)


@attrs.frozen(eq=False)
class AtomNumbers:
    """One true/false part of a criterion that uses aggregates, with its numbers.

    Attributes
    ----------
    text : str
        The part as written back, with parameters as their values.
    aggregates : tuple of AggregateNumbers
    op : str or None
        The comparison with the aggregate on the left (``">="``), when there is one.
    threshold : float, int, ndarray or None
        The other side of that comparison (a number when it is the same for everyone).

    Examples
    --------
    >>> import learnsoc as ls, warnings
    >>> pop = ls.synthetic_population(persons=2_000, seed=5)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ev = ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31")
    >>> atom = ev.numbers[("learning_clan", "share_learning_families")][0]
    >>> atom.text, atom.op, atom.threshold
    ('share(households.learning_family) >= 0.7', '>=', 0.7)
    """

    text: str
    aggregates: tuple[AggregateNumbers, ...]
    op: str | None
    threshold: float | int | Array | None

    def threshold_at(self, i: int) -> float | int | None:
        """Return the threshold for entity ``i``."""
        if self.threshold is None or isinstance(self.threshold, int | float):
            return self.threshold
        value = self.threshold[i]
        return None if value != value else value.item()


@attrs.frozen(eq=False)
class Verdicts:
    """A title's verdicts for every entity of its level, and each criterion's result.

    Attributes
    ----------
    title : Title
    version : Version
        The version of the criteria that was applied.
    level : str
    passed : ndarray of bool
        Granted (known to meet the title).
    known : ndarray of bool
        The verdict is certain (false where missing data could still change it).
    assessed : ndarray of bool
        Eligible (``eligible`` known true); the others are not granted and not counted.
    points : ndarray or None
        Points of the passed criteria (points titles): integers (``int16`` when the
        criteria's points add up to at most 32,767) when every criterion's points are
        whole, else float64.
    grade : ndarray of int8 or None
        Grade code (graded titles); 0 where not granted.
    unassessed_unknown : ndarray of bool or None
        Not assessed because whether they are eligible is unknown: the data ``eligible``
        reads were not given for them (an organisation without its ``unit_tier``). None
        when every eligibility is known.
    passed_bits, known_bits : ndarray of unsigned int
        Bit ``j`` set when criterion ``j`` is known to pass / is known.
    skipped_members : ndarray of bool or None
        Entities for which at least one aggregate of the title's criteria or eligibility
        left out an eligible member whose data were missing (SQL-like, see the rule
        language's "Missing values in aggregates"). None when no aggregate left any out.
        :attr:`partial_data` keeps the decided ones.
    skipped_by : tuple of (str, ndarray of bool)
        Per level of the members left out (``"household"`` for a village's families), sorted,
        the entities whose aggregates left some of them out.

    Examples
    --------
    >>> import learnsoc as ls, warnings
    >>> pop = ls.synthetic_population(persons=2_000, seed=5)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ev = ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31")
    >>> ev.verdicts("learning_family")  # doctest: +NORMALIZE_WHITESPACE
    Verdicts('learning_family', household, version from 2021-01-01: 591 entities,
             516 assessed, 405 granted, 111 not granted, 0 unknown)
    """

    title: Title
    version: Version
    level: str
    passed: Mask = attrs.field(converter=_readonly)
    known: Mask = attrs.field(converter=_readonly)
    assessed: Mask = attrs.field(converter=_readonly)
    passed_bits: Array = attrs.field(converter=_readonly)
    known_bits: Array = attrs.field(converter=_readonly)
    points: Array | None = attrs.field(default=None, converter=_readonly_or_none)
    grade: Array | None = attrs.field(default=None, converter=_readonly_or_none)
    unassessed_unknown: Mask | None = attrs.field(default=None, converter=_readonly_or_none)
    skipped_members: Mask | None = attrs.field(default=None, converter=_readonly_or_none)
    skipped_by: tuple[tuple[str, Mask], ...] = attrs.field(default=(), converter=_readonly_pairs)

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        """The criteria applied, in bit order."""
        return self.version.criteria

    def __len__(self) -> int:
        return int(self.passed.shape[0])

    @property
    def unknown(self) -> Mask:
        """Assessed entities whose verdict is unknown (missing data)."""
        out: Mask = self.assessed & ~self.known
        return out

    @property
    def partial_data(self) -> Mask:
        """Decided verdicts (granted or not, known) resting on partial data.

        Assessed entities whose verdict is known although at least one aggregate of the
        title left out an eligible member whose data were missing: decided on the
        members with data, not on all.

        Examples
        --------
        >>> import learnsoc as ls, warnings
        >>> pop = ls.synthetic_population(persons=2_000, seed=7)
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     ev = ls.evaluate(pop, "vn-national", "2025-12-31", trace=False)
        >>> v = ev.verdicts("learning_community")
        >>> bool((v.partial_data <= v.assessed & v.known).all())
        True
        """
        if self.skipped_members is None:
            return np.zeros(len(self), np.bool_)
        out: Mask = self.assessed & self.known & self.skipped_members
        return out

    def partial_members(self, within: Mask | None = None) -> tuple[str, ...]:
        """Return the levels of the members left out for a decided verdict, sorted.

        ``within`` restricts the verdicts looked at (a partition's own units).

        Examples
        --------
        >>> import learnsoc as ls, warnings
        >>> pop = ls.synthetic_population(persons=20_000, seed=7)
        >>> book = ls.load_rulebook("vn-national")
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     ev = ls.evaluate(pop, book, "2025-12-31",
        ...                      inputs=ls.synthetic_inputs(pop, book, seed=7))
        >>> ev.verdicts("learning_community").partial_members()
        ('household',)
        """
        decided = self.partial_data if within is None else self.partial_data & within
        return tuple(level for level, mask in self.skipped_by if bool(np.any(mask & decided)))

    @property
    def failed(self) -> Mask:
        """Assessed entities known not to meet the title."""
        out: Mask = self.assessed & self.known & ~self.passed
        return out

    def _bit(self, criterion_id: str) -> int:
        for j, criterion in enumerate(self.criteria):
            if criterion.id == criterion_id:
                return j
        ids = [c.id for c in self.criteria]
        msg = Message(
            N_("title {title_id!r} (version from {start}) has no criterion {criterion_id!r}{hint}"),
            title_id=self.title.id,
            start=self.version.start,  # a date: 01/01/2021 in Vietnamese
            criterion_id=criterion_id,
            hint=did_you_mean(criterion_id, ids),
        )
        raise RulebookError(str(msg)).translatable(msg)

    def criterion(self, criterion_id: str) -> tuple[Mask, Mask]:
        """Return (passed, known) of one criterion for every entity.

        Examples
        --------
        >>> import learnsoc as ls, warnings
        >>> from learnsoc.rules.registry import load_rulebook
        >>> pop = ls.synthetic_population(persons=1_000, seed=1)
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     ev = ls.evaluate(pop, load_rulebook("example"), "2025-06-30")
        >>> v = ev.verdicts("learning_citizen")
        >>> passed, known = v.criterion("literate")
        >>> bool((v.passed <= passed).all())
        True
        """
        j = self._bit(criterion_id)
        one = np.array(1, dtype=self.passed_bits.dtype) << j
        passed: Mask = (self.passed_bits & one) != 0
        known: Mask = (self.known_bits & one) != 0
        return passed, known

    def to_columns(self) -> dict[str, Array]:
        """Return the verdicts as numpy columns, one row per entity of the level.

        Columns: ``assessed``, ``passed``, ``known``, ``unknown``, ``failed`` (bool),
        ``grade`` (graded titles) and ``points`` (points titles), then for each
        criterion ``<criterion>_passed`` and ``<criterion>_known``.

        Examples
        --------
        >>> import learnsoc as ls, warnings
        >>> from learnsoc.rules.registry import load_rulebook
        >>> pop = ls.synthetic_population(persons=1_000, seed=1)
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     ev = ls.evaluate(pop, load_rulebook("example"), "2025-06-30")
        >>> list(ev.verdicts("learning_citizen").to_columns())[:5]
        ['assessed', 'passed', 'known', 'unknown', 'failed']
        """
        out: dict[str, Array] = {
            "assessed": np.asarray(self.assessed, bool),
            "passed": np.asarray(self.passed, bool),
            "known": np.asarray(self.known, bool),
            "unknown": self.unknown,
            "failed": self.failed,
        }
        if self.grade is not None:
            out["grade"] = np.asarray(self.grade)
        if self.points is not None:
            out["points"] = np.asarray(self.points)
        for criterion in self.criteria:
            passed, known = self.criterion(criterion.id)
            out[f"{criterion.id}_passed"] = passed
            out[f"{criterion.id}_known"] = known
        return out

    def to_pandas(self) -> Any:
        """Return :meth:`to_columns` as a pandas DataFrame (extra ``pandas``)."""
        from learnsoc._frames import to_frame

        return to_frame(self.to_columns(), "pandas", "Verdicts.to_pandas()")

    def to_polars(self) -> Any:
        """Return :meth:`to_columns` as a polars DataFrame (extra ``polars``)."""
        from learnsoc._frames import to_frame

        return to_frame(self.to_columns(), "polars", "Verdicts.to_polars()")

    def to_arrow(self) -> Any:
        """Return :meth:`to_columns` as a pyarrow Table (extra ``parquet``)."""
        from learnsoc._frames import to_frame

        return to_frame(self.to_columns(), "arrow", "Verdicts.to_arrow()")

    def counts(self) -> dict[str, int]:
        """Return the entities, assessed, granted, not granted and unknown, as numbers."""
        unknown = int(np.count_nonzero(self.unknown))
        assessed = int(np.count_nonzero(self.assessed))
        passed = int(np.count_nonzero(self.passed))
        return {
            "entities": len(self),
            "assessed": assessed,
            "passed": passed,
            "failed": assessed - passed - unknown,
            "unknown": unknown,
        }

    def __repr__(self) -> str:
        c = self.counts()
        loc = get_locale()
        counts = repr_words(
            "{level}, version from {date}: {entities} entities, {assessed} assessed, "
            "{passed} granted, {failed} not granted, {unknown} unknown",
            level=self.level if loc == "en" else gettext(self.level, loc),
            date=date_text(self.version.start, loc),
            **c,
        )
        return f"Verdicts({self.title.id!r}, {counts})"

    def _repr_html_(self) -> str:
        return verdicts_html(self)

    def to_html(self, locale: str | None = None) -> str:
        """Return the title's verdict counts as an HTML table, in the locale.

        ``None`` is the default locale (:func:`learnsoc.set_locale`), which a notebook's
        display uses.
        """
        return verdicts_html(self, locale)


@attrs.frozen(eq=False)
class TitleCounts:
    """A title's counts at the units its entities are attached to (for rollups).

    Arrays are indexed by the hierarchy's global unit index (``hierarchy.codes``): a
    person or household counts at its village (the lowest level), a clan or organisation
    at its unit, a unit-level title at the unit itself.

    Attributes
    ----------
    title : str
    level : str
        The title's level.
    entities, assessed, passed, unknown : ndarray of int64
        Per unit: entities, assessed entities, granted, unknown verdicts.
    unattached : int
        Entities attached to no unit (clans without a home unit).

    Examples
    --------
    >>> import learnsoc as ls, warnings
    >>> pop = ls.synthetic_population(persons=2_000, seed=5)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ev = ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31")
    >>> counts = ev.title_counts()["learning_family"]  # by unit: province, commune, 2 villages
    >>> print(counts.level, counts.assessed, counts.passed)
    household [  0   0 274 242] [  0   0 224 181]
    """

    title: str
    level: str
    entities: Array = attrs.field(converter=_readonly, eq=ARRAY_EQ)
    assessed: Array = attrs.field(converter=_readonly, eq=ARRAY_EQ)
    passed: Array = attrs.field(converter=_readonly, eq=ARRAY_EQ)
    unknown: Array = attrs.field(converter=_readonly, eq=ARRAY_EQ)
    unattached: int = 0


def verdicts_html(verdicts: Verdicts, locale: str | None = None) -> str:
    """Render a title's verdict counts as a one-row HTML table.

    Examples
    --------
    >>> import learnsoc as ls, warnings
    >>> pop = ls.synthetic_population(persons=2_000, seed=5)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ev = ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31")
    >>> page = verdicts_html(ev.verdicts("learning_family"), "vi")
    >>> page.startswith("<table><caption>kết quả đánh giá: Gia đình học tập</caption>")
    True
    """
    loc = normalize_locale(locale)
    c = verdicts.counts()
    header = [
        gettext(h, loc) for h in ("title", "level", "assessed", "granted", "not granted", "unknown")
    ]
    row = [
        verdicts.title.label.text(loc),
        gettext(verdicts.level, loc),
        *(format_integer(c[k], loc) for k in ("assessed", "passed", "failed", "unknown")),
    ]
    # The caption a user types in English (the title's id); words in Vietnamese.
    caption = (
        verdicts.title.id
        if loc == "en"
        else f"{gettext('verdicts', loc)}: {verdicts.title.label.text(loc)}"
    )
    return html_table(caption, header, [row])
