"""Indicators: a numerator and a denominator over a rollup's measures, with a factor.

An :class:`Indicator` (chỉ tiêu) names two measures of a
:class:`~learnsoc.aggregate.rollup.Rollup`: the numerator and the denominator, and
optionally a third that counts the members of the denominator whose value is unknown.
Like DHIS2 indicators it carries a factor (100 for a percentage), a number of decimals
and a direction (higher or lower is better). Its value at every row of the rollup is
computed from the counts *already summed* at that row, never by averaging children's
percentages.

The denominator counts every eligible member; members counted by the ``missing``
measure are left out of the rate's denominator (they are neither yes nor no). A row
whose rate has no denominator is *no data*, never 0%.

:data:`INDICATORS` holds the standard indicators of the movement's targets, and
:func:`standard_measures` builds, from a :class:`~learnsoc.Population`, the measures
they need (pass it to :func:`learnsoc.rollup`). Per-unit count tables
(:func:`learnsoc.rollup_counts`) use the same measure names as their column names.

Examples
--------
>>> from learnsoc.targets.indicators import INDICATORS
>>> families = INDICATORS["learning_families"]
>>> families.numerator, families.denominator, families.factor
('learning_families', 'families', 100)
>>> families.display("vi")
'Tỷ lệ Gia đình học tập'
>>> families.basis_display("vi"), families.basis_display("en")
('tổng số gia đình', 'all families')

Named variants divide the same numerator by another denominator, and say so:

>>> INDICATORS["learning_families_of_registered"].basis_display("en")
'families registered for the title'
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, Protocol

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc._messages import Message
from learnsoc.aggregate.rate import Rate
from learnsoc.errors import TargetError, did_you_mean
from learnsoc.i18n import N_, basis_with_data, gettext, normalize_locale
from learnsoc.model.codes import Employment, Qualification
from learnsoc.vocabulary import counted

if TYPE_CHECKING:
    from learnsoc.aggregate.rollup import Count, Measures, Rollup, Sum
    from learnsoc.model.population import Population

__all__ = [
    "DIRECTIONS",
    "INDICATORS",
    "TITLE_MEASURES",
    "UNKNOWN_DIRECTION",
    "UNKNOWN_INDICATOR",
    "Direction",
    "Indicator",
    "Noun",
    "StandardTitles",
    "TargetError",
    "TitleVerdicts",
    "indicator",
    "not_in_force_measures",
    "standard_measures",
    "standard_titles",
]

Direction = Literal["higher_is_better", "lower_is_better"]
DIRECTIONS: tuple[str, ...] = ("higher_is_better", "lower_is_better")

# Flags are stored as 0 (no), 1 (yes) and 255 (missing).
_YES, _MISSING = 1, 255


#: Messages shared with target files (learnsoc.targets.targets).
UNKNOWN_INDICATOR = N_("unknown indicator {name!r}{hint}")
UNKNOWN_DIRECTION = N_("unknown direction {value!r}{hint}")


def _identifier(instance: Any, attribute: attrs.Attribute[Any], value: str) -> None:
    if not value.isidentifier():
        msg = Message(
            N_("indicator {attribute} must be an identifier, got {value!r}"),
            attribute=attribute.name,
            value=value,
        )
        raise TargetError(str(msg)).translatable(msg)


def _optional_identifier(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _identifier(instance, attribute, value)


def _direction(instance: Any, attribute: attrs.Attribute[Any], value: str) -> None:
    if value not in DIRECTIONS:
        msg = Message(UNKNOWN_DIRECTION, value=value, hint=did_you_mean(str(value), DIRECTIONS))
        raise TargetError(str(msg)).translatable(msg)


def _positive(instance: Any, attribute: attrs.Attribute[Any], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        msg = Message(
            N_("indicator {attribute} must be a positive integer, got {value!r}"),
            attribute=attribute.name,
            value=value,
        )
        raise TargetError(str(msg)).translatable(msg)


def _decimals(instance: Any, attribute: attrs.Attribute[Any], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        msg = Message(
            N_("indicator decimals must be an integer from 0 to 10, got {value!r}"), value=value
        )
        raise TargetError(str(msg)).translatable(msg)


def _labels(value: Mapping[str, str] | None) -> Mapping[str, str]:
    return {normalize_locale(k): str(v) for k, v in (value or {}).items()}


@attrs.frozen
class Noun:
    """A noun in one language, as one thing and as several ("pupil", "pupils").

    A language that says one and many alike (Vietnamese) gives the same word twice.

    Examples
    --------
    >>> pupils = Noun("pupil", "pupils")
    >>> pupils.form(1, "en"), pupils.form(2, "en"), pupils.form(0, "en")
    ('pupil', 'pupils', 'pupils')
    """

    one: str
    other: str

    def form(self, n: int, locale: str | None = None) -> str:
        """Return the form for ``n`` things by the locale's plural rules (CLDR's, via babel)."""
        # Babel's rules, not "n == 1": the catalogs' ngettext follows the same rules.
        category = _plural_category(normalize_locale(locale), abs(int(n)))
        return self.one if category == "one" else self.other


@functools.cache
def _plural_rules(locale: str) -> Any:
    from babel import Locale

    return Locale.parse(locale).plural_form


def _plural_category(locale: str, n: int) -> str:
    return str(_plural_rules(locale)(n))


def _nouns(value: Mapping[str, Noun] | None) -> Mapping[str, Noun]:
    return {normalize_locale(k): v for k, v in (value or {}).items()}


@attrs.frozen
class Indicator:
    """A rate over two measures of a rollup: numerator × factor ÷ denominator.

    Parameters
    ----------
    id : str
        Stable identifier (``"learning_families"``).
    numerator, denominator : str
        Measure names in the rollup (``roll.counts``).
    label : str
        English message id of the indicator's name, translated by the catalogs.
    missing : str, optional
        Measure counting the members of the denominator whose value is unknown; they
        are left out of the rate's denominator.
    factor : int
        100 for a percentage, 1000 for "per thousand", 1 for a plain ratio.
    decimals : int
        Decimals shown in reports (a display option: counts are never rounded).
    direction : {"higher_is_better", "lower_is_better"}
        Which way is progress.
    denominator_label : str, optional
        Message id naming what the denominator counts, written after the counts in
        reports ("138.068 / 187.624 gia đình").
    labels : mapping of locale to str, optional
        Names given by a target file; they take precedence over the catalogs.
    basis : str, optional
        Message id of the denominator as a report names it ("all families", "families
        registered for the title"); by default "all" and the denominator's name.
    uncertain : bool
        The sources do not fix which denominator the rate divides by (learning
        citizens: all residents, residents aged 15 and over, or people of working age).
    note : str
        Message id saying why the indicator is uncertain (needed when it is).
    denominator_nouns : mapping of locale to Noun, optional
        What the denominator counts, in words of a target file, one and many
        (``{"en": Noun("pupil", "pupils"), "vi": Noun("học sinh", "học sinh")}``); they
        take precedence over ``denominator_label``.

    Examples
    --------
    >>> ind = Indicator("literacy", "literate_15_60", "persons_15_60", "literate share",
    ...                 missing="literate_15_60_missing")
    >>> ind.measures()
    ('literate_15_60', 'persons_15_60', 'literate_15_60_missing')
    """

    id: str = attrs.field(validator=_identifier)
    numerator: str = attrs.field(validator=_identifier)
    denominator: str = attrs.field(validator=_identifier)
    label: str
    missing: str | None = attrs.field(default=None, validator=_optional_identifier)
    factor: int = attrs.field(default=100, validator=_positive)
    decimals: int = attrs.field(default=2, validator=_decimals)
    direction: Direction = attrs.field(default="higher_is_better", validator=_direction)
    denominator_label: str | None = None
    labels: Mapping[str, str] = attrs.field(factory=dict, converter=_labels, hash=False)
    basis: str | None = None
    uncertain: bool = False
    note: str = attrs.field(default="")
    denominator_nouns: Mapping[str, Noun] = attrs.field(factory=dict, converter=_nouns, hash=False)

    @note.validator
    def _note_when_uncertain(self, attribute: attrs.Attribute[str], value: str) -> None:
        if self.uncertain and not value:
            msg = Message(
                N_("indicator {indicator!r} is uncertain: give a note saying why"),
                indicator=self.id,
            )
            raise TargetError(str(msg)).translatable(msg)

    @property
    def is_percent(self) -> bool:
        """Whether the indicator is a percentage (factor 100).

        Examples
        --------
        >>> INDICATORS["learning_units"].is_percent
        True
        """
        return self.factor == 100

    def measures(self) -> tuple[str, ...]:
        """Return the measure names the indicator reads (numerator, denominator, missing)."""
        parts = (self.numerator, self.denominator)
        return (*parts, self.missing) if self.missing else parts

    def display(self, locale: str | None = None) -> str:
        """Return the indicator's name in the locale.

        Examples
        --------
        >>> INDICATORS["literacy_15_60"].display("en")
        'share of persons aged 15-60 who are literate'
        """
        loc = normalize_locale(locale)
        return self.labels.get(loc) or gettext(self.label, loc)

    def denominator_display(self, locale: str | None = None) -> str:
        """Return the name of the denominator in the locale (the measure name if unnamed).

        Examples
        --------
        >>> INDICATORS["learning_families_of_households"].denominator_display("vi")
        'hộ gia đình'
        """
        own = self._own_noun(locale)
        if own is not None:
            return own.other
        noun = self.denominator_noun
        return self.denominator if noun is None else gettext(noun, locale)

    def counted(self, counts: str, n: int, locale: str | None = None) -> str:
        """Return counts followed by the noun of what the denominator counts, ``n`` of them.

        The noun agrees with ``n`` in English ("1 / 1 resident", "1 / 2 residents"); so
        does a noun a target file gives with its singular (``denominator_nouns``); one
        given as a single text is as written; an indicator with no noun shows the counts
        alone.

        Examples
        --------
        >>> ind = INDICATORS["learning_citizens"]
        >>> ind.counted("1 / 1", 1, "en"), ind.counted("1 / 2", 2, "en")
        ('1 / 1 resident', '1 / 2 residents')
        >>> ind.counted("1 / 1", 1, "vi")
        '1 / 1 người dân'
        >>> own = Indicator("dropout", "dropouts", "pupils", "dropout rate",
        ...                 denominator_nouns={"en": Noun("pupil", "pupils")})
        >>> own.counted("0 / 1", 1, "en"), own.counted("0 / 3", 3, "en")
        ('0 / 1 pupil', '0 / 3 pupils')
        """
        own = self._own_noun(locale)
        if own is not None:
            return f"{counts} {own.form(n, locale)}"
        noun = self.denominator_noun
        if noun is None:
            return counts
        return counted(counts, noun, n, locale)

    def _own_noun(self, locale: str | None) -> Noun | None:
        """Return the target file's noun in the locale (else in English), or None."""
        nouns = self.denominator_nouns
        return nouns.get(normalize_locale(locale)) or nouns.get("en")

    @property
    def denominator_noun(self) -> str | None:
        """Return the message id naming what the denominator counts, or None if unknown.

        The indicator's own ``denominator_label``; else, for an indicator of a target file
        dividing by a measure learnsoc knows (``families``), the word its standard
        indicators use for it, so that "all families" reads "tổng số gia đình" in
        Vietnamese, not "tổng số families".

        Examples
        --------
        >>> Indicator("reading", "readers", "families", "reading families").denominator_noun
        'families'
        >>> Indicator("reading", "readers", "my_count", "reading").denominator_noun is None
        True
        """
        if self.denominator_label is not None:
            return self.denominator_label
        return _standard_nouns().get(self.denominator)

    def basis_display(self, locale: str | None = None) -> str:
        """Return what the rate is a rate *of*, in the locale ("all families").

        Examples
        --------
        >>> INDICATORS["adult_learning_citizens"].basis_display("vi")
        'tổng số người dân từ 15 tuổi trở lên'
        >>> INDICATORS["learning_clans"].basis_display("en")
        'all clans'
        """
        if self.basis is not None:
            return gettext(self.basis, locale)
        return gettext(_ALL, locale).format(denominator=self.denominator_display(locale))

    def display_with_basis(self, locale: str | None = None, *, missing: int = 0) -> str:
        """Return the indicator's name with its denominator, for labels that stand alone.

        With ``missing`` > 0 (members without data left out of the denominator), the
        basis says "with data", as the tables do. A name that says its basis already (the
        learning citizens' three) is not followed by it again.

        Examples
        --------
        >>> INDICATORS["learning_families"].display_with_basis("vi")
        'Tỷ lệ Gia đình học tập (trên tổng số gia đình)'
        >>> INDICATORS["learning_citizens"].display_with_basis("en")
        'share of learning citizens among all residents'
        >>> INDICATORS["literacy_15_60"].display_with_basis("en", missing=3)
        'share of persons aged 15-60 who are literate (of all persons aged 15-60 with data)'
        """
        name, plain = self.display(locale), self.basis_display(locale)
        if plain in name and not missing:
            return name  # the name says its basis already ("... among all residents")
        basis = basis_with_data(plain, missing, locale)
        return gettext(_WITH_BASIS, locale).format(indicator=name, basis=basis)

    def note_display(self, locale: str | None = None) -> str:
        """Return the indicator's note (why it is uncertain) in the locale, or ``""``."""
        return gettext(self.note, locale) if self.note else ""

    def measures_display(self, measures: Sequence[str], locale: str | None = None) -> str:
        """Name measures of the indicator for a note, in the locale.

        English names the columns of a count table (``literate_15_60``), which is what a
        user adds; Vietnamese says it in words ("số đạt và tổng số ..."), as a Vietnamese
        sentence carries no English identifiers.

        Examples
        --------
        >>> ind = INDICATORS["literacy_15_60"]
        >>> ind.measures_display(("literate_15_60", "persons_15_60"), "en")
        'literate_15_60, persons_15_60'
        >>> ind.measures_display(("literate_15_60", "persons_15_60"), "vi")
        'số đạt và tổng số người trong độ tuổi 15-60'
        """
        loc = normalize_locale(locale)
        if loc == "en":
            return ", ".join(measures)
        words = {self.numerator: gettext(_ACHIEVED, loc), self.denominator: self.basis_display(loc)}
        named = [words.get(m, m) for m in measures]
        if len(named) < 2:
            return "".join(named)
        return gettext(_AND, loc).format(first=", ".join(named[:-1]), last=named[-1])

    def absent_measures(self, roll: Rollup) -> tuple[str, ...]:
        """Return the measures the indicator needs that the rollup does not have.

        The missing measure is optional: without it no value counts as missing.

        Examples
        --------
        >>> pop = ls.synthetic_population(persons=500, seed=1)
        >>> roll = ls.rollup(pop, {"persons": "person"})
        >>> INDICATORS["learning_citizens"].absent_measures(roll)
        ('learning_citizens',)
        """
        return tuple(m for m in (self.numerator, self.denominator) if m not in roll.counts)

    def absent_columns(self, roll: Rollup) -> tuple[str, ...]:
        """Return the data columns whose absence left the indicator unmeasured, or ``()``.

        Known only for measures that :func:`standard_measures` left out (see
        :attr:`learnsoc.Rollup.absent_columns`); ``()`` when the measures are present or
        were never asked for.

        Examples
        --------
        >>> pop = ls.synthetic_population(persons=500, seed=1)
        >>> roll = ls.rollup(pop, standard_measures(pop))
        >>> INDICATORS["literacy_15_60"].absent_columns(roll)
        ()
        """
        found: dict[str, None] = {}
        for measure in self.absent_measures(roll):
            found.update(dict.fromkeys(roll.absent_columns.get(measure, ())))
        return tuple(found)

    def observe(self, roll: Rollup) -> Rate | None:
        """Return the indicator's rate at every row of the rollup, or None if not measured.

        The rate's denominator is the denominator measure minus the missing measure;
        rows whose denominator is 0 have status ``EMPTY`` (no data).

        Raises
        ------
        TargetError
            If a measure is not a count, or a row's numerator exceeds its denominator.

        Examples
        --------
        >>> h = ls.Hierarchy.from_units({"code": ["02"], "name": ["Hà Giang"],
        ...     "level": ["province"], "parent_code": [None]}, levels=["province"])
        >>> roll = ls.rollup_counts({"unit_code": ["02"], "families": [187624],
        ...     "learning_families": [138068]}, h)
        >>> rate = INDICATORS["learning_families"].observe(roll)
        >>> rate.numerator.tolist(), rate.denominator.tolist()
        ([138068, 138068], [187624, 187624])
        """
        if self.absent_measures(roll):
            return None
        present = [m for m in self.measures() if m in roll.counts]
        counts = {m: _as_counts(roll.counts[m], m, self.id) for m in present}
        num, den = counts[self.numerator], counts[self.denominator]
        missing = (
            counts[self.missing]
            if self.missing is not None and self.missing in counts
            else np.zeros_like(den)
        )
        known = den - missing
        bad = (known < 0) | (num > known)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            code = str(roll.codes()[i]) or "total"
            msg = Message(
                N_(
                    "indicator {indicator!r}: unit {code!r} has {numerator} {numerator_name} but "
                    "only {denominator} {denominator_name} with a known value; a numerator "
                    "must not exceed its denominator"
                ),
                indicator=self.id,
                code=code,
                numerator=int(num[i]),
                numerator_name=self.numerator,
                denominator=int(known[i]),
                denominator_name=self.denominator,
            )
            raise TargetError(str(msg)).translatable(msg)
        return Rate(numerator=num, denominator=known, missing=missing)


def _as_counts(values: NDArray[Any], name: str, indicator_id: str) -> NDArray[np.int64]:
    arr = np.asarray(values)
    if arr.dtype.kind == "f":
        whole = np.isfinite(arr) & (arr == np.round(arr))
        if not whole.all():
            msg = Message(
                N_("indicator {indicator!r}: measure {name!r} must hold whole counts"),
                indicator=indicator_id,
                name=name,
            )
            raise TargetError(str(msg)).translatable(msg)
    elif arr.dtype.kind not in "biu":
        msg = Message(
            N_("indicator {indicator!r}: measure {name!r} must hold counts, got {dtype}"),
            indicator=indicator_id,
            name=name,
            dtype=str(arr.dtype),
        )
        raise TargetError(str(msg)).translatable(msg)
    return arr.astype(np.int64)


def _std(
    id: str,
    numerator: str,
    denominator: str,
    label: str,
    denominator_label: str,
    *,
    missing: bool = False,
    decimals: int = 2,
    basis: str | None = None,
    note: str = "",
) -> Indicator:
    return Indicator(
        id=id,
        numerator=numerator,
        denominator=denominator,
        label=label,
        missing=f"{numerator}_missing" if missing else None,
        decimals=decimals,
        denominator_label=denominator_label,
        basis=basis,
        uncertain=bool(note),
        note=note,
    )


_ALL = N_("all {denominator}")


@functools.cache
def _standard_nouns() -> dict[str, str]:
    """Return each measure divided by a standard indicator and the word for what it counts."""
    nouns: dict[str, str] = {}
    for ind in INDICATORS.values():
        if ind.denominator_label is not None:
            nouns.setdefault(ind.denominator, ind.denominator_label)
    return nouns


# Words for a note on measures that are absent (Indicator.measures_display).
_ACHIEVED = N_("the number achieving")
_AND = N_("{first} and {last}")
_WITH_BASIS = N_("{indicator} (of {basis})")


_PERSONS = N_("persons")
_FAMILY_TITLE = N_("share of learning families")
# Why the learning-citizen rate has three named bases (DOMAIN.md 5.2).
_CITIZEN_BASIS_NOTE = N_(
    "the sources leave the denominator open (Resolution 23-NQ/TU counts the share of "
    "residents with the title; the title is assessed only from age 15; the Study "
    "Promotion Association's 2021-2026 target counts people of working age)"
)
_ADULTS = N_("persons aged 15 and over")
_WORKERS = N_("employed workers")
_WORKING_AGE = N_("persons of working age")
_DISTRICTS = N_("districts")
_PROVINCES = N_("provinces")

#: The standard indicators, by id. Their measures are built by :func:`standard_measures`
#: (from microdata) or are the columns of a per-unit count table.
INDICATORS: Mapping[str, Indicator] = {
    ind.id: ind
    for ind in (
        # Titles (danh hiệu): citizens, families, clans, communities, units, districts.
        # Learning citizens: one rate, three denominators the sources leave open; each
        # label names its own, so that a row copied from a CSV or a legend says which.
        _std(
            "learning_citizens",
            "learning_citizens",
            "persons",
            N_("share of learning citizens among all residents"),
            N_("residents"),
            missing=True,
            basis=N_("all residents"),
            note=_CITIZEN_BASIS_NOTE,
        ),
        _std(
            "adult_learning_citizens",
            "adult_learning_citizens",
            "adults",
            N_("share of learning citizens among residents aged 15 and over"),
            _ADULTS,
            missing=True,
            basis=N_("residents aged 15 and over"),
            note=_CITIZEN_BASIS_NOTE,
        ),
        _std(
            "working_age_learning_citizens",
            "working_age_learning_citizens",
            "working_age",
            N_("share of learning citizens among people of working age"),
            _WORKING_AGE,
            missing=True,
            basis=N_("people of working age"),
            note=_CITIZEN_BASIS_NOTE,
        ),
        # Learning families: published results divide by all families of the unit
        # ("số gia đình trong toàn tỉnh"); some reports by the registered ones. The
        # variants' labels name their denominators (the usual one keeps the short name).
        _std(
            "learning_families",
            "learning_families",
            "families",
            _FAMILY_TITLE,
            N_("families"),
            missing=True,
            basis=N_("all families"),
        ),
        _std(
            "learning_families_of_registered",
            "learning_families",
            "registered_families",
            N_("share of learning families among families registered for the title"),
            N_("registered families"),
            missing=True,
            basis=N_("families registered for the title"),
        ),
        _std(
            "learning_families_of_households",
            "learning_families",
            "households",
            N_("share of learning families among all households"),
            N_("households"),
            missing=True,
            basis=N_("all households"),
        ),
        _std(
            "learning_clans",
            "learning_clans",
            "clans",
            N_("share of learning clans"),
            N_("clans"),
            missing=True,
        ),
        _std(
            "learning_communities",
            "learning_communities",
            "communities",
            N_("share of learning communities"),
            N_("village communities"),
            missing=True,
        ),
        _std(
            "learning_units",
            "learning_units",
            "units",
            N_("share of learning units"),
            N_("organisations"),
            missing=True,
        ),
        _std(
            "learning_districts",
            "learning_districts",
            "districts",
            N_("share of learning districts"),
            _DISTRICTS,
            missing=True,
        ),
        _std(
            "learning_citizens_in_titled_groups",
            "titled_group_adult_learning_citizens",
            "titled_group_adults",
            N_(
                "share of adults in learning families, clans and communities "
                "who are learning citizens"
            ),
            N_("adults in learning families, clans and communities"),
            missing=True,
        ),
        _std(
            "workers_learning_citizens_in_titled_groups",
            "titled_group_worker_learning_citizens",
            "titled_group_workers",
            N_(
                "share of workers in learning families, clans and communities "
                "who are learning citizens"
            ),
            N_("workers in learning families, clans and communities"),
            missing=True,
        ),
        _std(
            "learning_citizens_in_learning_units",
            "learning_unit_staff_learning_citizens",
            "learning_unit_staff",
            N_("share of staff of learning units who are learning citizens"),
            N_("staff of learning units"),
            missing=True,
        ),
        _std(
            "learning_citizens_with_digital_skills",
            "learning_citizens_digital",
            "learning_citizens",
            N_("share of learning citizens with digital skills"),
            N_("learning citizens"),
            missing=True,
        ),
        # People's capacity.
        _std(
            "literacy_15_60",
            "literate_15_60",
            "persons_15_60",
            N_("share of persons aged 15-60 who are literate"),
            N_("persons aged 15-60"),
            missing=True,
        ),
        _std(
            "newly_literate_still_learning",
            "newly_literate_still_learning",
            "newly_literate",
            N_("share of the newly literate who keep learning"),
            N_("newly literate persons"),
            missing=True,
        ),
        _std(
            "trained_workers",
            "trained_workers",
            "workers",
            N_("share of workers with training"),
            _WORKERS,
            missing=True,
        ),
        _std(
            "certified_workers",
            "certified_workers",
            "workers",
            N_("share of workers with a degree or certificate"),
            _WORKERS,
            missing=True,
        ),
        _std(
            "information_literacy",
            "information_literacy",
            "working_age",
            N_("share of working-age people with information literacy"),
            _WORKING_AGE,
            missing=True,
        ),
        _std(
            "life_skills",
            "life_skills",
            "working_age",
            N_("share of working-age people with life skills"),
            _WORKING_AGE,
            missing=True,
        ),
        _std(
            "digital_skills",
            "digital_skills",
            "persons",
            N_("share of residents with digital skills"),
            # Residents, as its name and the learning citizens' share say: "persons" beside
            # "residents" for the same count read as two denominators.
            N_("residents"),
            missing=True,
        ),
        _std(
            "qualified_15",
            "qualified_15",
            "adults",
            N_("share of the population 15+ with professional or technical training"),
            _ADULTS,
            missing=True,
        ),
        _std(
            "university_15",
            "university_15",
            "adults",
            N_("share of the population 15+ with a university degree or higher"),
            _ADULTS,
            missing=True,
        ),
        # Reported by agencies per unit (not computed from person data).
        _std(
            "universal_preschool_districts",
            "universal_preschool_districts",
            "districts",
            N_("share of districts keeping universal preschool education"),
            _DISTRICTS,
        ),
        _std(
            "lower_secondary_level_3_districts",
            "lower_secondary_level_3_districts",
            "districts",
            N_("share of districts at universal lower-secondary education level 3"),
            _DISTRICTS,
        ),
        _std(
            "literacy_level_2_provinces",
            "literacy_level_2_provinces",
            "provinces",
            N_("share of provinces at literacy standard level 2"),
            _PROVINCES,
        ),
        _std(
            "universal_preschool_provinces",
            "universal_preschool_provinces",
            "provinces",
            N_("share of provinces with universal preschool education"),
            _PROVINCES,
        ),
        _std(
            "primary_level_3_provinces",
            "primary_level_3_provinces",
            "provinces",
            N_("share of provinces at universal primary education level 3"),
            _PROVINCES,
        ),
        _std(
            "lower_secondary_level_2_provinces",
            "lower_secondary_level_2_provinces",
            "provinces",
            N_("share of provinces at universal lower-secondary education level 2"),
            _PROVINCES,
        ),
        _std(
            "lower_secondary_level_3_provinces",
            "lower_secondary_level_3_provinces",
            "provinces",
            N_("share of provinces at universal lower-secondary education level 3"),
            _PROVINCES,
        ),
        _std(
            "it_security_staff_trained",
            "it_security_staff_trained",
            "it_security_staff",
            N_("share of dedicated IT-security staff who are trained"),
            N_("dedicated IT-security staff"),
        ),
        _std(
            "civil_servants_digital_skills",
            "civil_servants_digital_trained",
            "civil_servants",
            N_("share of civil servants trained in basic digital skills"),
            N_("civil servants"),
        ),
        _std(
            "civil_servants_data_skills",
            "civil_servants_data_trained",
            "civil_servants",
            N_("share of civil servants trained in data analysis and digital technology"),
            N_("civil servants"),
        ),
        _std(
            "public_schools_standard",
            "public_schools_standard",
            "public_schools",
            N_("share of public schools meeting national standards"),
            N_("public schools"),
        ),
        _std(
            "institutions_digital",
            "institutions_digital",
            "institutions",
            N_("share of education institutions teaching and managing in a digital environment"),
            N_("education institutions"),
        ),
        _std(
            "learning_centres_using_it",
            "learning_centres_using_it",
            "learning_centres",
            N_("share of community learning centres using IT"),
            N_("community learning centres"),
        ),
        _std(
            "digital_universities",
            "digital_universities",
            "universities",
            N_("share of universities with a digital university and digital materials"),
            N_("universities and colleges"),
        ),
    )
}


def indicator(name: str, extra: Mapping[str, Indicator] | None = None) -> Indicator:
    """Return a standard indicator (or one of ``extra``) by id.

    Raises
    ------
    TargetError
        If no indicator has that id (with a suggestion).

    Examples
    --------
    >>> indicator("learning_clans").denominator
    'clans'
    >>> indicator("learning_clan")
    Traceback (most recent call last):
    ...
    learnsoc.errors.TargetError: unknown indicator ...; did you mean 'learning_clans'?
    """
    known = {**INDICATORS, **(extra or {})}
    try:
        return known[name]
    except KeyError:
        msg = Message(UNKNOWN_INDICATOR, name=name, hint=did_you_mean(name, known))
        raise TargetError(str(msg)).translatable(msg) from None


class TitleVerdicts(Protocol):
    """What :func:`standard_measures` reads of a title's verdicts, one mask per entity.

    :class:`~learnsoc.rules.verdicts.Verdicts` has these; so may a stand-in (the dataset
    runner's titles of the levels decided after the merge).

    Examples
    --------
    >>> import warnings
    >>> pop = ls.synthetic_population(persons=2_000, seed=1)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ev = ls.evaluate(pop, ls.load_rulebook("vn-national"), "2025-12-31")
    >>> families: TitleVerdicts = standard_titles(ev)["household"]
    >>> int(families.passed.sum()), int((families.passed & ~families.assessed).sum())
    (419, 0)
    >>> families.partial_members()
    ()
    """

    @property
    def passed(self) -> NDArray[np.bool_]:
        """Granted the title."""

    @property
    def assessed(self) -> NDArray[np.bool_]:
        """Assessed for the title (the others count as without it)."""

    @property
    def unknown(self) -> NDArray[np.bool_]:
        """Assessed, but the verdict is unknown (missing data)."""

    @property
    def unassessed_unknown(self) -> NDArray[np.bool_] | None:
        """Not assessed because whether they are eligible is unknown (None: nobody)."""

    @property
    def known(self) -> NDArray[np.bool_]:
        """The verdict is known (granted or not): with ``assessed``, the decided ones."""

    @property
    def partial_data(self) -> NDArray[np.bool_]:
        """Decided on the members with data, some eligible members' data missing."""

    def partial_members(self) -> tuple[str, ...]:
        """Return the levels of the members left out for a decided verdict (``("household",)``)."""


#: The measure counting the granted entities of a level's standard title (else
#: ``learning_<level>s``; the lowest level's is ``learning_communities``).
TITLE_MEASURES: Mapping[str, str] = {
    "household": "learning_families",
    "clan": "learning_clans",
    "organisation": "learning_units",
    "district": "learning_districts",
}


def not_in_force_measures(
    levels: Mapping[str, dt.date], leaf_level: str | None = None
) -> dict[str, dt.date]:
    """Return the measures of the levels whose standard title is not in force, by level.

    In the order of ``levels`` (:attr:`StandardTitles.not_in_force` lists them sorted):
    :func:`standard_measures` gives them so, and a dataset evaluation, which learns the
    levels above its partitions after the rest, puts them back in that order. The
    hierarchy's lowest level (``leaf_level``) counts ``learning_communities``.

    Examples
    --------
    >>> import datetime as dt
    >>> not_in_force_measures({"district": dt.date(2022, 12, 31)})
    {'learning_districts': datetime.date(2022, 12, 31)}
    >>> not_in_force_measures({"village": dt.date(2030, 6, 30)}, leaf_level="village")
    {'learning_communities': datetime.date(2030, 6, 30)}
    """
    names = {**TITLE_MEASURES, **({leaf_level: "learning_communities"} if leaf_level else {})}
    return {names.get(level, f"learning_{level}s"): day for level, day in levels.items()}


def _mask(name: str, mask: Any, n: int, entity: str) -> NDArray[np.bool_]:
    # A title's verdicts (learnsoc.rules.engine.Verdicts) give their granted entities.
    arr = np.asarray(getattr(mask, "passed", mask))
    if arr.shape != (n,) or arr.dtype != np.bool_:
        msg = Message(
            N_("titles[{name!r}] must be {n} booleans (one per {entity}), got {dtype} {shape}"),
            name=name,
            n=n,
            entity=entity,
            dtype=str(arr.dtype),
            shape=arr.shape,
        )
        raise TargetError(str(msg)).translatable(msg)
    return arr


def _unknown(name: str, verdicts: Any, n: int, entity: str) -> NDArray[np.bool_]:
    """Return where a title's verdict is unknown (none for a plain mask of booleans).

    Verdicts left unknown (an input nobody gave, members whose verdicts are unknown) are
    missing, never "not granted": a share over unknown verdicts is no data, not 0%.
    """
    unknown = getattr(verdicts, "unknown", None)
    if unknown is None:
        return np.zeros(n, np.bool_)
    out = _mask(name, unknown, n, entity)
    # Not assessed because the data deciding eligibility were not given: whether they hold
    # the title is unknown too, not "no" (organisations without their tier).
    undecided = getattr(verdicts, "unassessed_unknown", None)
    if undecided is not None:
        out = out | _mask(name, undecided, n, entity)
    return out


def _never_assessed(name: str, verdicts: Any, n: int, entity: str) -> NDArray[np.bool_] | None:
    """Return who is known not to be assessed for a title (None for a plain mask)."""
    assessed = getattr(verdicts, "assessed", None)
    if assessed is None:
        return None
    out = ~_mask(name, np.asarray(assessed), n, entity)
    undecided = getattr(verdicts, "unassessed_unknown", None)
    if undecided is not None:
        out &= ~_mask(name, undecided, n, entity)
    return out


def standard_measures(
    pop: Population,
    *,
    titles: Mapping[str, Any] | None = None,
    working_age: tuple[int, int] = (15, 60),
) -> Measures:
    """Build, from a population, the measures the standard indicators need.

    Pass the result to :func:`learnsoc.rollup`. Person flags are stored as yes, no or
    missing: each flag indicator gets its numerator (yes), its denominator (everyone
    eligible) and a ``<numerator>_missing`` measure (value unknown).

    Only ``age`` (persons) is required: a measure that reads an optional column the
    population does not have (an agency file without ``employment``, say) is left out,
    and the result's ``absent`` names it with the columns it lacks. The rollup keeps
    that list, so progress towards a target of such a measure is *no data* with a note
    naming the columns, instead of an error.

    Parameters
    ----------
    pop : Population
        The population (standard schema).
    titles : mapping, optional
        Title verdicts from the rules engine (:func:`standard_titles`: the
        ``Verdicts`` of each level, whose unknown verdicts are counted as missing), or one
        boolean per entity: ``"person"``
        (learning citizens; else the ``recognised_learning_citizen`` column is used),
        ``"household"`` (learning families), ``"clan"``, ``"organisation"`` (learning
        units), and any level of the hierarchy (``"village"`` for learning communities,
        ``"district"`` for learning districts).
    working_age : (int, int)
        Inclusive ages of the working-age population (information literacy, life skills).

    Returns
    -------
    Measures
        A dict of measure name to Count or Sum, with ``absent`` (measure name to the
        missing columns it needs). With every column present: ``persons``, ``adults``
        (15+), ``persons_15_60``, ``working_age``,
        ``workers`` (employed, 15+), ``learning_citizens``, ``adult_learning_citizens``,
        ``working_age_learning_citizens``,
        ``literate_15_60``, ``newly_literate``, ``newly_literate_still_learning``,
        ``trained_workers``, ``certified_workers``, ``digital_skills``,
        ``information_literacy``, ``life_skills``, ``qualified_15`` (15+ with a
        professional qualification), ``university_15`` (15+, university or higher),
        ``learning_citizens_digital``, each with its ``_missing`` measure;
        ``households`` and ``families`` (every household: a household is a family),
        ``registered_families`` (households registered for the title), ``clans``,
        ``units`` (organisations), ``communities`` (units of the lowest level),
        ``districts`` and ``provinces`` when the hierarchy has those levels. With
        titles: ``learning_families`` (titled households that registered: a family
        registers to be assessed, so every learning family is among the registered),
        ``learning_clans``, ``learning_units``, ``learning_communities``,
        ``learning_districts``, each with its ``_missing`` measure (unknown verdicts;
        for families, of registered ones; also those whose eligibility is unknown) and,
        given verdicts, its ``_not_assessed`` measure (those known not to be assessed for
        the title, who count as without it), its ``_decided`` measure (assessed, verdict
        known) and ``_partial_data`` measure (of those, decided on the members with data,
        some members' data missing: :attr:`Measures.partial_members` names the members
        left out), and the adults,
        workers and staff of titled groups (``titled_group_adults``,
        ``titled_group_adult_learning_citizens``, ``titled_group_workers``,
        ``titled_group_worker_learning_citizens``,
        ``learning_unit_staff``, ``learning_unit_staff_learning_citizens``; the learning
        citizens among them with a ``_missing`` measure).

    Raises
    ------
    TargetError
        If a title mask has the wrong length or is not boolean, or its key is unknown.

    Examples
    --------
    >>> pop = ls.synthetic_population(persons=3_000, seed=2)
    >>> measures = standard_measures(pop)
    >>> roll = ls.rollup(pop, measures)
    >>> rate = INDICATORS["literacy_15_60"].observe(roll.level("total"))
    >>> age, lit = pop.column("person", "age"), pop.column("person", "literate")
    >>> int(rate.numerator[0]) == int(((age >= 15) & (age <= 60) & (lit == 1)).sum())
    True

    A population without an employment column has no workers' measures:

    >>> few = ls.Population.from_columns(
    ...     {"person_id": ["1", "2"], "household_id": ["H1", "H1"], "age": [40, 9]},
    ...     {"household_id": ["H1"], "unit_code": ["01"]},
    ...     ls.Hierarchy.from_units({"code": ["01"], "level": ["province"],
    ...         "parent_code": [None]}, levels=["province"]))
    >>> m = standard_measures(few)
    >>> "workers" in m, m.absent["trained_workers"]
    (False, ('employment', 'trained'))
    """
    from learnsoc.aggregate.rollup import Count, Measures

    h = pop.hierarchy
    person = pop.person_columns
    age = pop.column("person", "age")
    lo, hi = working_age
    adult = age >= 15
    age_15_60 = adult & (age <= 60)
    of_working_age = (age >= lo) & (age <= hi)
    # Levels whose standard title is not in force on the date (StandardTitles).
    gone: Mapping[str, dt.date] = getattr(titles, "not_in_force", {})
    titles = dict(titles or {})
    measures: dict[str, Count | Sum] = {}
    absent: dict[str, tuple[str, ...]] = {}

    def lacking(*columns: str) -> tuple[str, ...]:
        return tuple(c for c in columns if c not in person)

    def is_yes(column: str) -> NDArray[np.bool_]:
        return np.asarray(person[column] == _YES)

    def is_missing(column: str) -> NDArray[np.bool_]:
        return np.asarray(person[column] == _MISSING)

    worker: NDArray[np.bool_] | None = None
    if "employment" in person:
        worker = adult & (person["employment"] == Employment.EMPLOYED)
    citizen_columns: tuple[str, ...] = ()
    citizen: NDArray[np.bool_] | None
    if "person" in titles:
        verdicts = titles.pop("person")
        citizen = _mask("person", verdicts, pop.n_persons, "person")
        citizen_unknown = _unknown("person", verdicts, pop.n_persons, "person")
    elif "recognised_learning_citizen" in person:
        citizen = is_yes("recognised_learning_citizen")
        citizen_unknown = is_missing("recognised_learning_citizen")
    else:
        citizen_columns = ("recognised_learning_citizen",)
        citizen, citizen_unknown = None, np.zeros(0, np.bool_)

    measures["persons"] = Count("person")
    measures["adults"] = Count("person", adult)
    measures["persons_15_60"] = Count("person", age_15_60)
    measures["working_age"] = Count("person", of_working_age)
    if worker is not None:
        measures["workers"] = Count("person", worker)
    else:
        absent["workers"] = ("employment",)

    def flag(name: str, needs: tuple[str, ...], build: Any) -> None:
        """Add a flag's measures, or note the columns it lacks (``build`` runs only then)."""
        if needs:
            absent[name] = absent[f"{name}_missing"] = needs
            return
        eligible, yes, unknown = build()
        measures[name] = Count("person", eligible & yes)
        measures[f"{name}_missing"] = Count("person", eligible & unknown)

    everyone = np.ones(pop.n_persons, np.bool_)
    for name, eligible in (
        ("learning_citizens", everyone),
        ("adult_learning_citizens", adult),
        ("working_age_learning_citizens", of_working_age),
    ):
        flag(name, citizen_columns, lambda e=eligible: (e, citizen, citizen_unknown))
    flag(
        "literate_15_60",
        lacking("literate"),
        lambda: (age_15_60, is_yes("literate"), is_missing("literate")),
    )
    if "newly_literate" in person:
        measures["newly_literate"] = Count("person", is_yes("newly_literate"))
    else:
        absent["newly_literate"] = ("newly_literate",)
    flag(
        "newly_literate_still_learning",
        lacking("newly_literate", "still_learning"),
        lambda: (is_yes("newly_literate"), is_yes("still_learning"), is_missing("still_learning")),
    )
    for name, column, group in (
        ("trained_workers", "trained", "employment"),
        ("certified_workers", "certified", "employment"),
        ("digital_skills", "digital_skills", None),
        ("information_literacy", "information_literacy", "working_age"),
        ("life_skills", "life_skills", "working_age"),
    ):
        needs = lacking(*((group,) if group == "employment" else ()), column)
        among: Any = {"employment": worker, "working_age": of_working_age}.get(
            group or "", everyone
        )
        flag(name, needs, lambda e=among, c=column: (e, is_yes(c), is_missing(c)))
    if "qualification" in person:
        qual = person["qualification"]
        known_qual = qual != _MISSING
        for name, least in (
            ("qualified_15", Qualification.ELEMENTARY),
            ("university_15", Qualification.UNIVERSITY),
        ):
            flag(name, (), lambda q=least: (adult, known_qual & (qual >= q), ~known_qual))
    else:
        for name in ("qualified_15", "university_15"):
            flag(name, ("qualification",), None)
    flag(
        "learning_citizens_digital",
        (*citizen_columns, *lacking("digital_skills")),
        lambda: (citizen, is_yes("digital_skills"), is_missing("digital_skills")),
    )

    registered: NDArray[np.bool_] | None = None
    if "registered" in pop.household_columns:
        registered = np.asarray(pop.column("household", "registered") == _YES)
    measures["households"] = Count("household")
    measures["families"] = Count("household")
    if registered is not None:
        measures["registered_families"] = Count("household", registered)
    else:
        absent["registered_families"] = ("registered",)
    measures["clans"] = Count("clan")
    measures["units"] = Count("organisation")
    measures["communities"] = Count(h.leaf_level)
    for level in ("district", "province"):
        if level in h.levels:
            measures[f"{level}s"] = Count(level)

    partial_members: dict[str, tuple[str, ...]] = {}
    _title_measures(
        pop,
        titles,
        measures,
        absent,
        _Groups(citizen, citizen_unknown, citizen_columns, adult, worker, registered),
        partial_members,
    )
    return Measures(
        measures,
        absent,
        not_in_force=not_in_force_measures(gone, h.leaf_level),
        partial_members=partial_members,
    )


@attrs.frozen
class _Groups:
    """The person and household masks the title measures combine (None: column absent)."""

    citizen: NDArray[np.bool_] | None
    citizen_unknown: NDArray[np.bool_]
    citizen_columns: tuple[str, ...]
    adult: NDArray[np.bool_]
    worker: NDArray[np.bool_] | None
    registered: NDArray[np.bool_] | None


def _title_measures(
    pop: Population,
    titles: dict[str, Any],
    measures: dict[str, Count | Sum],
    absent: dict[str, tuple[str, ...]],
    groups: _Groups,
    partial_members: dict[str, tuple[str, ...]],
) -> None:
    """Add the measures of titled households, clans, units and levels (and their members).

    Given verdicts, each title also gets ``<measure>_decided`` (assessed, verdict known)
    and ``<measure>_partial_data`` (of those, decided on the members with data, some
    eligible members' data missing), and ``partial_members`` the levels of the members
    left out: what the titles table says under its table, a report says from the counts.
    """
    from learnsoc.aggregate.rollup import Count, Sum

    h = pop.hierarchy
    # Any: the lambdas below run only when the mask exists (their columns are present).
    citizen: Any = groups.citizen
    citizen_unknown = groups.citizen_unknown
    worker: Any = groups.worker
    registered: Any = groups.registered
    adult = groups.adult

    def add(name: str, needs: tuple[str, ...], build: Any, unknown: Any = None) -> None:
        """Add a measure and, given ``unknown``, its ``_missing`` measure (or note both)."""
        if needs:
            absent[name] = needs
            if unknown is not None:
                absent[f"{name}_missing"] = needs
        else:
            measures[name] = build()
            if unknown is not None:
                measures[f"{name}_missing"] = unknown()

    names = {**TITLE_MEASURES, h.leaf_level: "learning_communities"}
    sizes = {
        "household": pop.n_households,
        "clan": pop.n_clans,
        "organisation": pop.n_organisations,
    }
    masks: dict[str, NDArray[np.bool_]] = {}
    for key, value in titles.items():
        if key in sizes:
            n = sizes[key]
        elif key in h.levels:
            n = h.n_units(key)
        else:
            msg = Message(
                N_("titles: unknown entity {key!r}{hint}"),
                key=key,
                hint=did_you_mean(key, [*sizes, *h.levels]),
            )
            raise TargetError(str(msg)).translatable(msg)
        masks[key] = _mask(key, value, n, key)
        unknown = _unknown(key, value, n, key)
        # Those known not to be assessed for the title (verdicts only): they count as
        # without it in a share of all families, and a report says how many they are.
        never = _never_assessed(key, value, n, key)
        if never is not None:
            name = names.get(key, f"learning_{key}s")
            measures[f"{name}_not_assessed"] = Count(key, never)
            _partial_measures(key, name, value, n, measures, partial_members)
        if key == "household":
            # The movement counts titled families among registered ones; a household whose
            # registration is unknown has an unknown title, whatever the flag's mask says.
            undecided = getattr(value, "unassessed_unknown", None)
            undecided = np.zeros(n, np.bool_) if undecided is None else np.asarray(undecided)
            add(
                "learning_families",
                () if registered is not None else ("registered",),
                lambda m=masks[key]: Count("household", m & registered),
                lambda u=unknown, d=undecided: Count("household", (u & registered) | d),
            )
        else:
            name = names.get(key, f"learning_{key}s")
            measures[name] = Count(key, masks[key])
            measures[f"{name}_missing"] = Count(key, unknown)

    group_keys = [k for k in ("household", "clan", h.leaf_level) if k in masks]
    if group_keys:
        hh = pop.person_household
        in_group = np.zeros(pop.n_households, np.bool_)
        if "household" in masks:
            in_group |= masks["household"]
        if "clan" in masks and pop.n_clans:  # without clans every household_clan is -1
            clan = pop.household_clan
            in_group |= (clan >= 0) & masks["clan"][np.maximum(clan, 0)]
        if h.leaf_level in masks:
            in_group |= masks[h.leaf_level][pop.household_unit]
        member = in_group[hh]
        no_worker = ("employment",) if worker is None else ()
        measures["titled_group_adults"] = Count("person", member & adult)
        add(
            "titled_group_adult_learning_citizens",
            groups.citizen_columns,
            lambda: Count("person", member & adult & citizen),
            lambda: Count("person", member & adult & citizen_unknown),
        )
        add("titled_group_workers", no_worker, lambda: Count("person", member & worker))
        add(
            "titled_group_worker_learning_citizens",
            (*no_worker, *groups.citizen_columns),
            lambda: Count("person", member & worker & citizen),
            lambda: Count("person", member & worker & citizen_unknown),
        )
    if "organisation" in masks:
        staff = np.diff(pop.member_offsets)
        org_of_member = np.repeat(np.arange(pop.n_organisations), staff)
        unit = masks["organisation"]
        measures["learning_unit_staff"] = Sum("organisation", staff.astype(np.int64), unit)

        def staff_count(of_member: Any) -> Sum:
            per_unit = np.bincount(
                org_of_member, weights=of_member[pop.member_person], minlength=pop.n_organisations
            ).astype(np.int64)
            return Sum("organisation", per_unit, unit)

        add(
            "learning_unit_staff_learning_citizens",
            groups.citizen_columns if citizen is None else (),
            lambda: staff_count(citizen),
            lambda: staff_count(citizen_unknown),
        )


def _partial_measures(
    key: str,
    name: str,
    verdicts: Any,
    n: int,
    measures: dict[str, Count | Sum],
    partial_members: dict[str, tuple[str, ...]],
) -> None:
    """Add a title's decided verdicts and those decided on partial data, per entity.

    Counted over every entity, as the titles table counts them (a learning family's over
    the families assessed, registered or not as the rulebook decides): the report's note
    then says what the titles table says.
    """
    from learnsoc.aggregate.rollup import Count

    known = getattr(verdicts, "known", None)
    if known is None:  # a stand-in without verdicts' details: nothing decided
        return
    decided = _mask(key, np.asarray(verdicts.assessed), n, key) & _mask(key, known, n, key)
    measures[f"{name}_decided"] = Count(key, decided)
    partial = getattr(verdicts, "partial_data", None)
    partial = np.zeros(n, np.bool_) if partial is None else _mask(key, partial, n, key)
    measures[f"{name}_partial_data"] = Count(key, partial & decided)
    members = getattr(verdicts, "partial_members", None)
    partial_members[name] = tuple(members()) if callable(members) else ()


#: The title each level contributes to the standard indicators, by vocabulary term.
_STANDARD_TERMS: Mapping[str, tuple[str, ...]] = {
    "person": ("learning_citizen",),
    "household": ("learning_family",),
    "clan": ("learning_clan",),
    "organisation": ("learning_unit",),
    "district": ("learning_district",),
    "province": ("learning_province",),
}


class StandardTitles(dict[str, TitleVerdicts]):
    """``{level: verdicts}`` of :func:`standard_titles`, and the titles left out as not in force.

    ``not_in_force`` maps each level whose standard title's scheme is not in force on the
    evaluation's date (learning districts before Circular 25/2023) to that date:
    :func:`standard_measures` passes it on, so that a report says "not in force on
    31/12/2022" where it would say "no data".

    Examples
    --------
    >>> import datetime as dt
    >>> chosen = StandardTitles({}, not_in_force={"district": dt.date(2022, 12, 31)})
    >>> dict(chosen), chosen.not_in_force
    ({}, {'district': datetime.date(2022, 12, 31)})
    """

    def __init__(
        self,
        chosen: Mapping[str, TitleVerdicts] | None = None,
        not_in_force: Mapping[str, dt.date] | None = None,
    ) -> None:
        super().__init__(chosen or {})
        self.not_in_force: Mapping[str, dt.date] = dict(not_in_force or {})


def standard_titles(ev: Any) -> StandardTitles:
    """Pick, per level, the title verdicts that feed :func:`standard_measures`.

    For each level the title whose id (or vocabulary term) is the standard one for that
    level is used (learning citizen, family, clan, unit, district, province; at the lowest
    level of the hierarchy, the learning community); otherwise the level's first title.
    A title whose scheme is not in force on the evaluation's date (its version says
    ``in_force = false``: learning districts before Circular 25/2023) is never picked: its
    "nobody granted" is no measured 0%, so the indicator it would feed has no data (and no
    other title of its level stands in for it).

    Parameters
    ----------
    ev : Evaluation
        The result of :func:`learnsoc.evaluate`.

    Returns
    -------
    StandardTitles
        ``{level: verdicts}``, ready for ``standard_measures(pop, titles=...)``, which
        counts the granted entities and the unknown verdicts as missing (left out of the
        rate, as for any missing value: a unit whose verdicts are all unknown has no data);
        its ``not_in_force`` names the levels whose standard title is not in force.

    Examples
    --------
    >>> import warnings
    >>> pop = ls.synthetic_population(persons=2_000, seed=1)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ev = ls.evaluate(pop, ls.load_rulebook("vn-national"), "2025-12-31")
    >>> sorted(standard_titles(ev))[:3]
    ['clan', 'commune', 'household']
    """
    chosen: dict[str, TitleVerdicts] = {}
    ranked: dict[str, int] = {}
    wanted = {**_STANDARD_TERMS, ev.population.hierarchy.leaf_level: ("learning_community",)}
    not_in_force: set[str] = set()
    for title_id, verdicts in ev.verdicts_by_title.items():
        level = verdicts.level
        term = ev.rulebook.title(title_id).term
        rank = 0 if (title_id in wanted.get(level, ()) or term in wanted.get(level, ())) else 1
        if not verdicts.version.in_force:
            if rank == 0:
                not_in_force.add(level)
            continue
        if level not in chosen or rank < ranked[level]:
            chosen[level], ranked[level] = verdicts, rank
    # The standard title not in force: another title (a ranking under an older circular) is
    # not what the indicator counts either.
    kept = {k: v for k, v in chosen.items() if not (k in not_in_force and ranked[k] > 0)}
    return StandardTitles(kept, not_in_force=dict.fromkeys(sorted(not_in_force), ev.as_of))
