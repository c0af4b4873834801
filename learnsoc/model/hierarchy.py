"""The administrative hierarchy: levels as configuration, units as a validated tree.

Levels are data, not code. Two presets describe Vietnam's trees: ``"vn-pre-2025"``
(province, district, commune, village; until 30 June 2025) and ``"vn-2025"`` (province,
commune, village; from 1 July 2025, when the district level ended). Any other list of
levels works the same way.

A :class:`Hierarchy` is built from a units table (code, name, level, parent code) and
checked: codes unique, every level known and non-empty, every parent present and exactly
one level up, no cycles. Units are stored level by level, each level sorted by parent
then code, so the children of a unit are contiguous. Each unit has a *local index*
within its level; the parent-index arrays and the ancestor-at-every-level table are in
local indices, so rolling a per-unit array up to any level is one ``np.bincount``.

Examples
--------
>>> import learnsoc as ls
>>> units = {
...     "code": ["01", "00001", "00004", "T1", "T2", "T3"],
...     "name": ["Hà Nội", "Phường Ba Đình", "Phường Ngọc Hà", "Tổ 1", "Tổ 2", "Tổ 3"],
...     "level": ["province", "commune", "commune", "village", "village", "village"],
...     "parent_code": [None, "01", "01", "00001", "00001", "00004"],
... }
>>> h = ls.Hierarchy.from_units(units, levels="vn-2025")
>>> h
Hierarchy('vn-2025': 1 province, 2 commune, 3 village)
>>> h.ancestor_index("village", "commune").tolist()
[0, 0, 1]
>>> h.unit("T3")
AdminUnit(code='T3', name='Tổ 3', level='village', parent_code='00004')
"""

from __future__ import annotations

import datetime as dt
import html
import unicodedata
import warnings
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc._arrays import ARRAY_EQ, readonly
from learnsoc._messages import Message
from learnsoc._phrases import Joined, LevelName, Phrase
from learnsoc._reprs import level_counts
from learnsoc.errors import (
    HierarchyError,
    LearnsocWarning,
    LevelsError,
    SchemaError,
    UnknownIdError,
    did_you_mean,
)
from learnsoc.i18n import N_, get_locale, gettext
from learnsoc.limits import MAX_HIERARCHY_DEPTH
from learnsoc.model.entities import AdminUnit
from learnsoc.model.ids import IdIndex, nfc_text, trim_text, unaccented
from learnsoc.model.unit_kinds import OTHER_LEVEL_NAMES

__all__ = [
    "ABOLISHED_LEVELS",
    "PRESETS",
    "REFORM_DATE",
    "Hierarchy",
    "HierarchyDateWarning",
    "HierarchySpec",
    "Level",
    "hierarchy_spec",
    "level_named",
    "level_word",
]


class HierarchyDateWarning(LearnsocWarning):
    """Data of a year is placed on a tree that was not in force in that year.

    Issued, for example, when 2026 counts are rolled up over the ``"vn-pre-2025"`` tree
    (valid until 30 June 2025): the districts it names no longer existed.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     PRESETS["vn-2025"].check_year(2024)
    False
    >>> print(caught[0].message)  # doctest: +NORMALIZE_WHITESPACE
    data is on the tree 'vn-2025', valid from 2025-07-01: the year 2024 lies outside it; use
    the tree of that year ('vn-pre-2025' until 2025-06-30)
    """


def _nfc(name: str) -> str:
    return unicodedata.normalize("NFC", name)


@attrs.frozen
class Level:
    """One level of a hierarchy.

    Parameters
    ----------
    name : str
        The identifier used in data and rulebooks (``"commune"``).
    label : str
        Message id of the human name, translated by the catalogs. Defaults to the name.

    Examples
    --------
    >>> Level("xã", "commune")
    Level(name='xã', label='commune')
    >>> [level.name for level in PRESETS["vn-pre-2025"].levels]
    ['province', 'district', 'commune', 'village']
    """

    # In NFC: a name typed with decomposed accents ("xã" from a macOS terminal, NFD) is
    # the name a units file writes precomposed, and the other way round.
    name: str = attrs.field(converter=_nfc)
    label: str = ""

    def __attrs_post_init__(self) -> None:
        if not self.name.isidentifier():
            msg = Message(
                N_("level name {name!r} must be an identifier (letters, digits, _)"),
                name=self.name,
            )
            raise HierarchyError(str(msg)).translatable(msg)

    def display(self, locale: str | None = None) -> str:
        """Return the level's name for people, in the locale.

        Examples
        --------
        >>> PRESETS["vn-2025"].levels[1].display("vi")
        'cấp xã'
        """
        return gettext(self.label or self.name, locale)


#: What :meth:`HierarchySpec.check_year` says is placed on the tree, by default.
_DATA = N_("data")


def _level_tuple(levels: Any) -> tuple[Level, ...]:
    return tuple(levels)


@attrs.frozen
class HierarchySpec:
    """The levels of a hierarchy, top first, with the dates the tree is valid.

    Parameters
    ----------
    name : str
        The version name (``"vn-2025"``); codes alone do not say which tree they belong
        to, since the 2025 lists reuse old codes.
    levels : tuple of Level
        Top level first (``province``), lowest last (``village``).
    valid_from, valid_until : datetime.date, optional
        The dates the tree applies (inclusive); None leaves that side open.

    Raises
    ------
    HierarchyError
        For no levels, a repeated level name, a validity that ends before it
        starts, or more than
        :data:`~learnsoc.limits.MAX_HIERARCHY_DEPTH` (32) levels: a hierarchy stores an
        ancestor for every unit at every level, so a 40,000-level chain would ask for
        gigabytes; the limit is checked before anything is built.

    Examples
    --------
    >>> HierarchySpec("deep", [Level(f"l{k}") for k in range(40)])
    Traceback (most recent call last):
    ...
    learnsoc.errors.HierarchyError: hierarchy 'deep' has 40 levels; at most 32 are allowed (learnsoc.limits.MAX_HIERARCHY_DEPTH)
    """  # noqa: E501

    name: str
    levels: tuple[Level, ...] = attrs.field(converter=_level_tuple)
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None

    def __attrs_post_init__(self) -> None:
        if not self.levels:
            msg = Message(N_("hierarchy {name!r} needs at least one level"), name=self.name)
            raise HierarchyError(str(msg)).translatable(msg)
        if len(self.levels) > MAX_HIERARCHY_DEPTH:
            msg = Message(
                N_(
                    "hierarchy {name!r} has {n:,} levels; at most {limit} are allowed "
                    "(learnsoc.limits.MAX_HIERARCHY_DEPTH)"
                ),
                name=self.name,
                n=len(self.levels),
                limit=MAX_HIERARCHY_DEPTH,
            )
            raise HierarchyError(str(msg)).translatable(msg)
        names = [lv.name for lv in self.levels]
        if len(set(names)) != len(names):
            msg = Message(
                N_("hierarchy {name!r} repeats a level name: {names}"), name=self.name, names=names
            )
            raise HierarchyError(str(msg)).translatable(msg)
        for key in ("valid_from", "valid_until"):
            value = getattr(self, key)
            if value is not None and (
                not isinstance(value, dt.date) or isinstance(value, dt.datetime)
            ):
                msg = Message(
                    N_("hierarchy {name!r}: {key} must be a datetime.date, got {value!r}"),
                    name=self.name,
                    key=key,
                    value=value,
                )
                raise HierarchyError(str(msg)).translatable(msg)
        if (
            self.valid_from is not None
            and self.valid_until is not None
            and self.valid_until < self.valid_from
        ):
            msg = Message(
                N_(
                    "hierarchy {name!r} is valid until {until}, before it starts ({start}); "
                    "swap the dates"
                ),
                name=self.name,
                # Dates, not ISO text: Vietnamese writes them as documents do (30/6/2025).
                until=self.valid_until,
                start=self.valid_from,
            )
            raise HierarchyError(str(msg)).translatable(msg)

    @property
    def names(self) -> tuple[str, ...]:
        """The level names, top first."""
        return tuple(lv.name for lv in self.levels)

    @property
    def validity(self) -> str:
        """The dates the tree is valid, as text (``"from 2025-07-01"``).

        Examples
        --------
        >>> PRESETS["vn-pre-2025"].validity
        'until 2025-06-30'
        >>> hierarchy_spec(["region"]).validity
        'no dates'
        """
        return str(self._validity())

    def validity_in(self, locale: str | None = None) -> str:
        """Return the dates the tree is valid, in the locale's words (``"từ 01/7/2025"``).

        Examples
        --------
        >>> PRESETS["vn-2025"].validity_in("vi"), PRESETS["vn-pre-2025"].validity_in("en")
        ('từ 01/7/2025', 'until 2025-06-30')
        """
        return self._validity().localized(locale)

    def _validity(self) -> Phrase:
        """Return the dates the tree is valid, as a phrase translated when it is shown."""
        start, end = self.valid_from, self.valid_until
        if start is not None and end is not None:
            msg = Message(N_("{start} to {end}"), start=start, end=end)
        elif start is not None:
            msg = Message(N_("from {date}"), date=start)
        elif end is not None:
            msg = Message(N_("until {date}"), date=end)
        else:
            msg = Message(N_("no dates"))
        return Phrase(msg)

    def covers_year(self, year: int) -> bool:
        """Whether the tree is valid on at least one day of ``year``.

        Examples
        --------
        >>> [PRESETS["vn-pre-2025"].covers_year(y) for y in (2024, 2025, 2026)]
        [True, True, False]
        >>> PRESETS["vn-2025"].covers_year(2024)
        False
        """
        if self.valid_from is not None and dt.date(year, 12, 31) < self.valid_from:
            return False
        return not (self.valid_until is not None and dt.date(year, 1, 1) > self.valid_until)

    def _trees_of_date(self, date: dt.date) -> str | Phrase:
        """Return the advice naming the other presets in force on ``date`` ("" if none)."""
        fitting = [
            Joined([repr(name), spec._validity()])
            for name, spec in PRESETS.items()
            if spec.name != self.name
            and (spec.valid_from is None or spec.valid_from <= date)
            and (spec.valid_until is None or date <= spec.valid_until)
        ]
        if not fitting:
            return ""
        return Phrase(
            Message(N_("; use the tree of that date ({trees})"), trees=Joined(fitting, ", "))
        )

    def check_start(
        self, date: dt.date, *, what: str | Message | Phrase, stacklevel: int = 2
    ) -> bool:
        """Warn (:class:`HierarchyDateWarning`) when ``date`` is before the tree began.

        A tree that starts later (the 2-level tree of 1 July 2025) has units that did not
        exist on an earlier date: titles decided on it as of that date describe communes
        and provinces that were not there. Returns whether the date is on or after the
        start. A date after the tree's end is :meth:`check_end`'s.

        Examples
        --------
        >>> import warnings
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     PRESETS["vn-2025"].check_start(dt.date(2024, 12, 31), what="the titles")
        False
        >>> print(caught[0].message)  # doctest: +NORMALIZE_WHITESPACE
        the titles as of 2024-12-31 are on the tree 'vn-2025', valid from 2025-07-01: its
        units did not exist on that date; use the tree of that date ('vn-pre-2025' until
        2025-06-30)
        """
        if self.valid_from is None or date >= self.valid_from:
            return True
        template = N_(
            "{what_text} as of {date} are on the tree {tree!r}, valid {validity}: its units "
            "did not exist on that date{advice}"
        )
        self._warn_outside(template, date, what, stacklevel + 1)
        return False

    def check_end(
        self, date: dt.date, *, what: str | Message | Phrase, stacklevel: int = 2
    ) -> bool:
        """Warn (:class:`HierarchyDateWarning`) when ``date`` is after the tree ended.

        The counterpart of :meth:`check_start`: titles decided on the 3-level tree as of a
        date from 1 July 2025 on describe districts that no longer existed that day (the
        reform abolished the level). Returns whether the date is on or before the end.

        Examples
        --------
        >>> import warnings
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     PRESETS["vn-pre-2025"].check_end(dt.date(2025, 12, 31), what="the titles")
        False
        >>> print(caught[0].message)  # doctest: +NORMALIZE_WHITESPACE
        the titles as of 2025-12-31 are on the tree 'vn-pre-2025', valid until 2025-06-30:
        the tree had ended by that date (the district level was abolished on 2025-07-01);
        use the tree of that date ('vn-2025' from 2025-07-01)
        """
        if self.valid_until is None or date <= self.valid_until:
            return True
        # The levels this tree has that a preset in force on that date lacks (district).
        gone: str | Phrase = ""
        abolished = [
            (name, ended) for name, ended in ABOLISHED_LEVELS.items() if name in self.names
        ]
        if abolished and abolished[0][1] <= date:
            name, ended = abolished[0]
            gone = Phrase(
                Message(
                    N_(" (the {level_text} level was abolished on {date})"),
                    level_text=name,
                    date=ended,
                )
            )
        template = N_(
            "{what_text} as of {date} are on the tree {tree!r}, valid {validity}: the tree "
            "had ended by that date{abolished}{advice}"
        )
        self._warn_outside(template, date, what, stacklevel + 1, abolished=gone)
        return False

    def _warn_outside(
        self,
        template: str,
        date: dt.date,
        what: str | Message | Phrase,
        stacklevel: int,
        **params: str | Phrase,
    ) -> None:
        """Warn that ``what`` as of ``date`` lies outside the tree's dates.

        The warning names the trees of that date; ``stacklevel`` counts from the caller.
        """
        msg = Message(
            template,
            what_text=Phrase(what) if isinstance(what, Message) else what,
            date=date,
            tree=self.name,
            validity=self._validity(),
            advice=self._trees_of_date(date),
            **params,
        )
        warnings.warn(HierarchyDateWarning(str(msg)).translatable(msg), stacklevel=stacklevel + 1)

    def check_year(
        self, year: int, *, what: str | Message | Phrase = _DATA, stacklevel: int = 2
    ) -> bool:
        """Warn (:class:`HierarchyDateWarning`) when ``year`` lies outside the tree's dates.

        Returns whether the year is covered. ``what`` names what is placed on the tree
        (default ``"data"``); a :class:`~learnsoc.errors.Message` or phrase whose template is
        in the catalogs is translated with the warning, a plain string only when the catalogs
        have it as it is.

        Examples
        --------
        >>> import warnings
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     PRESETS["vn-pre-2025"].check_year(2026, what="the 2026 rollup")
        False
        >>> print(caught[0].message)  # doctest: +NORMALIZE_WHITESPACE
        the 2026 rollup is on the tree 'vn-pre-2025', valid until 2025-06-30: the year 2026
        lies outside it; use the tree of that year ('vn-2025' from 2025-07-01)
        """
        if self.covers_year(year):
            return True
        fitting = [
            Joined([repr(name), spec._validity()])
            for name, spec in PRESETS.items()
            if spec.covers_year(year) and spec.name != self.name
        ]
        hint: str | Phrase = ""
        if fitting:
            hint = Phrase(
                Message(N_("; use the tree of that year ({trees})"), trees=Joined(fitting, ", "))
            )
        msg = Message(
            N_(
                "{what_text} is on the tree {tree!r}, valid {validity}: the year {year} "
                "lies outside it{advice}"
            ),
            what_text=Phrase(what) if isinstance(what, Message) else what,
            tree=self.name,
            validity=self._validity(),
            year=year,
            advice=hint,
        )
        warnings.warn(HierarchyDateWarning(str(msg)).translatable(msg), stacklevel=stacklevel + 1)
        return False


_PROVINCE = Level("province", N_("province"))
_DISTRICT = Level("district", N_("district"))
_COMMUNE = Level("commune", N_("commune"))
_VILLAGE = Level("village", N_("village"))

#: Every level of Vietnam's trees, before and after the 2025 reform, top first.
_VIETNAM_LEVELS = (_PROVINCE, _DISTRICT, _COMMUNE, _VILLAGE)

#: Vietnam's administrative trees (DOMAIN.md section 6).
PRESETS: Mapping[str, HierarchySpec] = {
    "vn-pre-2025": HierarchySpec(
        "vn-pre-2025",
        (_PROVINCE, _DISTRICT, _COMMUNE, _VILLAGE),
        valid_until=dt.date(2025, 6, 30),
    ),
    "vn-2025": HierarchySpec(
        "vn-2025", (_PROVINCE, _COMMUNE, _VILLAGE), valid_from=dt.date(2025, 7, 1)
    ),
}


#: The day the district level ended and the 2025 tree took effect (DOMAIN.md section 6).
REFORM_DATE = dt.date(2025, 7, 1)

#: Levels of an earlier preset that a later one no longer has, with the day they ended:
#: ``{"district": date(2025, 7, 1)}``. Targets counting such units cannot be assessed on
#: a tree from that day on.
ABOLISHED_LEVELS: Mapping[str, dt.date] = {
    name: REFORM_DATE
    for name in PRESETS["vn-pre-2025"].names
    if name not in PRESETS["vn-2025"].names
}


#: Abbreviations the statistics office's and provinces' lists write in a level's name
#: (``TP. Trung ương``, ``Thành phố trực thuộc TW``), unaccented, and what they stand for.
_LEVEL_ABBREVIATIONS = {"tp": "thanh pho", "tw": "trung uong", "tu": "trung uong"}


def _level_key(text: str) -> str:
    """Return a level name as names are matched: any case, accents or none, no "cấp".

    Abbreviations are written out, so that ``TP trực thuộc TW`` is matched as
    ``thành phố trực thuộc trung ương`` is:

    >>> _level_key("TP. Trung ương") == _level_key("Thành phố Trung ương")
    True
    """
    folded = unaccented(unicodedata.normalize("NFC", text).casefold())
    words = folded.replace("_", " ").replace("-", " ").replace(".", " ").split()
    if len(words) > 1 and words[0] in ("cap", "level"):
        words = words[1:]
    return " ".join(_LEVEL_ABBREVIATIONS.get(w, w) for w in words)


def level_named(text: str, levels: Sequence[str | Level]) -> str | None:
    """Return the level (or entity) that a person named, in Vietnamese or English.

    Command-line options that take a level (``--inputs xã=FILE``, ``--level``,
    ``--partition-by``) accept its id (``commune``), its name in either language as the
    catalogs give it (``cấp xã``, ``xã``, ``commune``), in any case, with its accents
    composed, decomposed or left out (``xa``), and the names units files use for it
    (``Phường``, ``Thôn``, ``Tổ dân phố``, ``hộ``).

    Parameters
    ----------
    text : str
        The name as typed.
    levels : sequence of str or Level
        The levels (and entities: ``household``, ``person`` ...) to choose from.

    Returns
    -------
    str or None
        The level's id, or None when the text names none of them (or several).

    Examples
    --------
    >>> levels = ["province", "commune", "village", "household"]
    >>> [level_named(t, levels) for t in ("xã", "Cấp Tỉnh", "thon", "Tổ dân phố", "hộ")]
    ['commune', 'province', 'village', 'village', 'household']
    >>> level_named("huyện", levels) is None
    True
    """
    found: dict[str, set[str]] = {}
    for level in levels:
        name, label = (
            (level.name, level.label or level.name)
            if isinstance(level, Level)
            else (
                level,
                level,
            )
        )
        spellings = {name, *OTHER_LEVEL_NAMES.get(name, ())}
        for locale in ("en", "vi"):
            words = gettext(label, locale)
            spellings.add(words)
            spellings.update(part for part in words.split(",") if part.strip())
        for spelling in spellings:
            found.setdefault(_level_key(spelling), set()).add(name)
    if any(text == (lv.name if isinstance(lv, Level) else lv) for lv in levels):
        return text
    named = found.get(_level_key(text), set())
    return next(iter(named)) if len(named) == 1 else None


def _level_word(spec: HierarchySpec, k: int) -> LevelName:
    """Return level ``k`` of a tree for a message: ``commune`` in English, ``cấp xã`` in vi."""
    level = spec.levels[k]
    return LevelName(level.name, level.label)


def level_word(spec: HierarchySpec, name: str) -> LevelName:
    """Return a tree's level for a message: its id in English, its name in Vietnamese.

    A level the tree does not have is named by its id (translated if the catalogs know it).

    Examples
    --------
    >>> word = level_word(PRESETS["vn-2025"], "village")
    >>> str(word), word.localized("vi")
    ('village', 'cấp thôn, tổ dân phố')
    """
    label = next((lv.label for lv in spec.levels if lv.name == name), "")
    return LevelName(name, label)


def hierarchy_spec(levels: str | HierarchySpec | Sequence[str | Level]) -> HierarchySpec:
    """Return a :class:`HierarchySpec` from a preset name, a spec, or a list of levels.

    Examples
    --------
    >>> hierarchy_spec("vn-pre-2025").names
    ('province', 'district', 'commune', 'village')
    >>> hierarchy_spec(["region", "school"]).names
    ('region', 'school')

    Levels named in Vietnamese or English are Vietnam's levels:

    >>> hierarchy_spec(["tỉnh", "Huyện", "xã"]).names
    ('province', 'district', 'commune')

    A string of names separated by commas, as ``--levels`` takes them, is those levels:

    >>> hierarchy_spec("tỉnh, xã, thôn").names
    ('province', 'commune', 'village')
    """
    if isinstance(levels, HierarchySpec):
        return levels
    if isinstance(levels, str) and "," in levels:
        # As --levels writes them (and mapping files' levels = "tỉnh,xã,thôn").
        levels = [name.strip() for name in levels.split(",") if name.strip()]
    if isinstance(levels, str):
        try:
            return PRESETS[levels]
        except KeyError:
            msg = Message(
                N_("unknown hierarchy preset {name!r}{hint}"),
                name=levels,
                hint=did_you_mean(levels, PRESETS),
            )
            raise HierarchyError(str(msg)).translatable(msg) from None
    items = tuple(lv if isinstance(lv, Level) else Level(_level_id(lv)) for lv in levels)
    return HierarchySpec("custom", items)


def _level_id(name: str) -> str:
    """Return the id of a level named in words, as ``--levels tỉnh,huyện,xã`` names them.

    A name that :func:`level_named` reads as one of Vietnam's levels (``tỉnh``, ``Huyện``,
    ``xa``, ``cấp thôn``) is that level (``province`` ...): the same tree as the ids
    give, whose units files may write ``Thị trấn`` or ``Phường`` for a commune and whose
    targets and titles name its levels. Kept as a level of its own, ``xã`` refused every
    ``Thị trấn`` of a units file, and the targets at ``province`` matched no level. Any
    other name (``region``, ``school``) is a level of its own.
    """
    return level_named(name, _VIETNAM_LEVELS) or name


def _column(units: Mapping[str, Any], name: str, n: int | None) -> NDArray[Any]:
    if name not in units:
        raise SchemaError("unit", name, N_("required column is missing"), choices=list(units))
    arr = np.asarray(units[name], dtype=object)
    if arr.ndim != 1 or (n is not None and len(arr) != n):
        raise SchemaError("unit", name, N_("all unit columns must be 1-D and of the same length"))
    return arr


def _text(arr: NDArray[Any]) -> NDArray[np.str_]:
    """Trim text as the file readers do (:func:`trim_text`); None and NaN become ''."""
    values = arr.tolist()
    if not all(type(v) is str for v in values):
        values = [
            "" if (v is None or (isinstance(v, float) and v != v)) else str(v) for v in values
        ]
    return trim_text(np.array(values, dtype=str))


@attrs.frozen(eq=True)
class Hierarchy:
    """A validated tree of administrative units (see the module docs).

    Build it with :meth:`from_units`; the fields are the stored arrays, in level-major
    order (all units of the top level, then the next level ...).

    Examples
    --------
    >>> tree = Hierarchy.from_units(
    ...     {"code": ["01", "00001", "00004"], "name": ["Hà Nội", "Ba Đình", "Ngọc Hà"],
    ...      "level": ["province", "commune", "commune"], "parent_code": [None, "01", "01"]},
    ...     levels=["province", "commune"])
    >>> tree
    Hierarchy('custom': 1 province, 2 commune)
    >>> tree.codes_at("commune").tolist(), tree.unit("00004").parent_code
    (['00001', '00004'], '01')
    """

    spec: HierarchySpec
    codes: NDArray[np.str_] = attrs.field(eq=ARRAY_EQ, hash=False, repr=False)
    names: NDArray[np.str_] = attrs.field(eq=ARRAY_EQ, hash=False, repr=False)
    #: ``parents[i]`` is the local index of unit ``i``'s parent in the level above (-1 at the top).
    parents: NDArray[np.int32] = attrs.field(eq=ARRAY_EQ, hash=False, repr=False)
    #: ``starts[k]:starts[k+1]`` are the units of level ``k``.
    starts: NDArray[np.int64] = attrs.field(eq=ARRAY_EQ, hash=False, repr=False)
    #: ``ancestors[i, k]``: local index of unit ``i``'s ancestor at level ``k`` (self at its own
    #: level, -1 for levels below it).
    ancestors: NDArray[np.int32] = attrs.field(eq=ARRAY_EQ, hash=False, repr=False)
    _index: IdIndex = attrs.field(eq=False, repr=False, hash=False)

    # -- construction -------------------------------------------------------------
    @classmethod
    def from_units(
        cls,
        units: Mapping[str, Any] | Sequence[AdminUnit],
        levels: str | HierarchySpec | Sequence[str | Level] = "vn-2025",
    ) -> Hierarchy:
        """Build and validate a hierarchy from a units table.

        Parameters
        ----------
        units : mapping of column name to array, or sequence of AdminUnit
            Columns ``code``, ``name``, ``level`` and ``parent_code`` (empty or None at
            the top level); ``name`` may be omitted.
        levels : str, HierarchySpec or sequence of str
            A preset name (``"vn-2025"``, ``"vn-pre-2025"``), a spec, or level names,
            top first.

        Raises
        ------
        HierarchyError
            For duplicate codes, unknown or empty levels, missing parents (orphans),
            parents not exactly one level up, or cycles; the message names the unit.
        SchemaError
            If a required column is missing.

        Examples
        --------
        >>> units = [ls.AdminUnit("R", "Region", "region"),
        ...          ls.AdminUnit("S1", "School 1", "school", "R")]
        >>> Hierarchy.from_units(units, levels=["region", "school"]).n_units("school")
        1
        """
        spec = hierarchy_spec(levels)
        if not isinstance(units, Mapping):
            seq = list(units)
            units = {
                "code": [u.code for u in seq],
                "name": [u.name for u in seq],
                "level": [u.level for u in seq],
                "parent_code": [u.parent_code for u in seq],
            }
        code_col = _column(units, "code", None)
        n = len(code_col)
        codes = _text(code_col)
        names = _text(_column(units, "name", n)) if "name" in units else codes.copy()
        level_names = nfc_text(_text(_column(units, "level", n)))  # as Level names are
        parent_codes = (
            _text(_column(units, "parent_code", n))
            if "parent_code" in units
            else _text(np.full(n, None))
        )
        return cls._build(spec, codes, names, level_names, parent_codes)

    @classmethod
    def _build(
        cls,
        spec: HierarchySpec,
        codes: NDArray[np.str_],
        names: NDArray[np.str_],
        level_names: NDArray[np.str_],
        parent_codes: NDArray[np.str_],
    ) -> Hierarchy:
        n = len(codes)
        level_of = {name: k for k, name in enumerate(spec.names)}
        words, inverse = np.unique(level_names, return_inverse=True)
        lev = np.array([level_of.get(str(x), -1) for x in words], dtype=np.int64)
        lev = lev[inverse.reshape(-1)] if len(words) else np.zeros(n, np.int64)
        unknown = lev < 0
        if unknown.any():
            # A level named in words, as the levels given were (levels=["tỉnh", "xã"] and
            # units of level "tỉnh", in a tree or a dataset made before such names were
            # Vietnam's levels): the level it names. Each distinct word is looked up once.
            words, inverse = np.unique(np.asarray(level_names)[unknown], return_inverse=True)
            named = [level_of.get(_level_id(str(w)), -1) for w in words.tolist()]
            lev[unknown] = np.asarray(named, dtype=np.int64)[inverse.reshape(-1)]
        if n and (lev < 0).any():
            i = int(np.flatnonzero(lev < 0)[0])
            msg = Message(
                N_("unit {code!r} has unknown level {level!r}{hint}"),
                code=str(codes[i]),
                level=str(level_names[i]),
                hint=did_you_mean(str(level_names[i]), spec.names),
            )
            raise HierarchyError(str(msg), code=str(codes[i])).translatable(msg)
        blank = codes == ""
        if blank.any():
            i = int(np.flatnonzero(blank)[0])
            msg = Message(N_("unit at row {row} has no code"), row=i)
            raise HierarchyError(str(msg)).translatable(msg)
        index = IdIndex(codes)
        dup = index.duplicated()
        if dup.any():
            c = str(codes[np.flatnonzero(dup)[0]])
            msg = Message(
                N_("unit code {code!r} is used by more than one unit; codes must be unique"),
                code=c,
            )
            raise HierarchyError(str(msg), code=c).translatable(msg)
        has_parent = parent_codes != ""
        top = lev == 0
        bad = top & has_parent
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            msg = Message(
                N_("unit {code!r} is at the top level ({level}) but has parent {parent!r}"),
                code=str(codes[i]),
                level=_level_word(spec, 0),
                parent=str(parent_codes[i]),
            )
            raise HierarchyError(str(msg), code=str(codes[i])).translatable(msg)
        bad = ~top & ~has_parent
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            msg = Message(
                N_("unit {code!r} ({level}) has no parent: it is an orphan"),
                code=str(codes[i]),
                level=_level_word(spec, int(lev[i])),
            )
            raise HierarchyError(str(msg), code=str(codes[i])).translatable(msg)
        parent_g, found = index.lookup(parent_codes)
        bad = has_parent & ~found
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            msg = Message(
                N_("unit {code!r} is an orphan: its parent {parent!r} does not exist{hint}"),
                code=str(codes[i]),
                parent=str(parent_codes[i]),
                hint=did_you_mean(str(parent_codes[i]), codes.tolist()),
            )
            raise HierarchyError(str(msg), code=str(codes[i])).translatable(msg)
        parent_g = np.where(has_parent, parent_g, -1)
        cls._check_cycles(codes, parent_g)
        bad = has_parent & (lev[np.maximum(parent_g, 0)] != lev - 1)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            p = int(parent_g[i])
            msg = Message(
                N_(
                    "unit {code!r} ({level}) has parent {parent!r} ({parent_level}); "
                    "a parent must be exactly one level up ({expected})"
                ),
                code=str(codes[i]),
                level=_level_word(spec, int(lev[i])),
                parent=str(codes[p]),
                parent_level=_level_word(spec, int(lev[p])),
                expected=_level_word(spec, int(lev[i]) - 1),
            )
            raise HierarchyError(str(msg), code=str(codes[i])).translatable(msg)
        counts = np.bincount(lev, minlength=len(spec.levels))
        if (counts == 0).any():
            k = int(np.flatnonzero(counts == 0)[0])
            if k == len(spec.levels) - 1 and k > 0:
                # Counts reported per commune come with a units file that stops there.
                msg = Message(
                    N_(
                        "level {level!r} has no units; every level needs at least one; if the "
                        "units stop above it, give only the levels you have (levels=[{names}], "
                        "or --levels {flag} on the command line)"
                    ),
                    level=_level_word(spec, k),
                    names=", ".join(repr(n) for n in spec.names[:k]),
                    flag=",".join(spec.names[:k]),
                )
            else:
                msg = Message(
                    N_("level {level!r} has no units; every level needs at least one"),
                    level=_level_word(spec, k),
                )
            # The units given name no unit of the level: they do not fit the levels.
            error = LevelsError(str(msg), level=spec.names[k], whole_file=True)
            raise error.translatable(msg)
        return cls._assemble(spec, codes, names, lev, parent_g)

    @staticmethod
    def _check_cycles(codes: NDArray[np.str_], parent_g: NDArray[np.int64]) -> None:
        # Pointer jumping: after ceil(log2(n)) + 1 doublings every unit of a tree has
        # reached the root (-1); a unit that has not is in, or under, a cycle.
        jump = parent_g.copy()
        for _ in range(int(np.ceil(np.log2(max(len(codes), 2)))) + 1):
            nxt = np.where(jump >= 0, jump[np.maximum(jump, 0)], -1)
            if np.array_equal(nxt, jump):
                break
            jump = nxt
        stuck = jump >= 0
        if stuck.any():
            in_cycle = sorted(str(codes[i]) for i in np.flatnonzero(stuck))
            msg = Message(
                N_("units {codes} form a cycle of parents"),
                codes=", ".join(repr(c) for c in in_cycle[:5]),
            )
            raise HierarchyError(str(msg), code=in_cycle[0]).translatable(msg)

    @classmethod
    def _assemble(
        cls,
        spec: HierarchySpec,
        codes: NDArray[np.str_],
        names: NDArray[np.str_],
        lev: NDArray[np.int64],
        parent_g: NDArray[np.int64],
    ) -> Hierarchy:
        n_levels = len(spec.levels)
        n = len(codes)
        local_of_global = np.full(n, -1, np.int64)
        order_parts: list[NDArray[np.int64]] = []
        parent_local_parts: list[NDArray[np.int64]] = []
        for k in range(n_levels):
            members = np.flatnonzero(lev == k)
            if k == 0:
                parent_local = np.full(len(members), -1, np.int64)
            else:
                parent_local = local_of_global[parent_g[members]]
            # Children of a parent are contiguous: sort by (parent, code).
            order = np.lexsort((codes[members], parent_local))
            members = members[order]
            local_of_global[members] = np.arange(len(members))
            order_parts.append(members)
            parent_local_parts.append(parent_local[order])
        order_all = np.concatenate(order_parts)
        starts = np.zeros(n_levels + 1, np.int64)
        starts[1:] = np.cumsum([len(p) for p in order_parts])
        parents = np.concatenate(parent_local_parts).astype(np.int32)
        ancestors = np.full((n, n_levels), -1, np.int32)
        for k in range(n_levels):
            lo, hi = starts[k], starts[k + 1]
            ancestors[lo:hi, k] = np.arange(hi - lo)
            if k:
                above = ancestors[starts[k - 1] : starts[k]]
                ancestors[lo:hi, :k] = above[parents[lo:hi], :k]
        sorted_codes = codes[order_all]
        return cls(
            spec=spec,
            codes=readonly(sorted_codes),
            names=readonly(names[order_all]),
            parents=readonly(parents),
            starts=readonly(starts),
            ancestors=readonly(ancestors),
            index=IdIndex(sorted_codes),
        )

    # -- levels -----------------------------------------------------------------------
    @property
    def levels(self) -> tuple[str, ...]:
        """Level names, top first."""
        return self.spec.names

    @property
    def n_levels(self) -> int:
        """Number of levels."""
        return len(self.spec.levels)

    @property
    def leaf_level(self) -> str:
        """The lowest level, where households are attached."""
        return self.spec.names[-1]

    def level_number(self, level: str) -> int:
        """Return the position of a level (0 = top); raise with a hint if unknown.

        Examples
        --------
        >>> ls.synthetic_hierarchy(villages=4, seed=1).level_number("village")
        2
        """
        try:
            return self.spec.names.index(level)
        except ValueError:
            hint = did_you_mean(level, self.spec.names)
            msg = f"unknown level {level!r}{hint}"
            raise HierarchyError(msg).translatable(
                N_("unknown level {level!r}{hint}"), level=level, hint=hint
            ) from None

    def level_id(self, name: str) -> str:
        """Return the id of the level ``name`` names, by its id or in words.

        A level is named as the command line's level options name it
        (:func:`level_named`): its id (``commune``), or its name in either language
        (``xã``, ``Cấp xã``, ``Phường``), in any case, with accents composed, decomposed
        or left out (``xa``). Functions that take a level (``write_dataset(...,
        partition_by=)``, ``results(..., levels=)``, ``progress(..., levels=)``) read it so.

        Raises
        ------
        HierarchyError
            For a name that is none of the tree's levels (or names two), with the choices.

        Examples
        --------
        >>> tree = ls.synthetic_hierarchy(villages=4, seed=1)
        >>> [tree.level_id(name) for name in ("commune", "Xã", "TINH", "thôn")]
        ['commune', 'commune', 'province', 'village']
        >>> tree.level_id("huyện")
        Traceback (most recent call last):
        ...
        learnsoc.errors.HierarchyError: unknown level 'huyện'; expected one of 'commune', \
'province', 'village'
        """
        found = level_named(name, self.spec.levels)
        if found is None:
            self.level_number(name)  # raises, naming the levels
        return name if found is None else found

    def level_label(self, level: str, locale: str | None = None) -> str:
        """Return a level's name for people, in the locale."""
        return self.spec.levels[self.level_number(level)].display(locale)

    def _slice(self, level: str) -> slice:
        k = self.level_number(level)
        return slice(int(self.starts[k]), int(self.starts[k + 1]))

    # -- units ----------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.codes)

    def n_units(self, level: str) -> int:
        """Return the number of units at a level."""
        k = self.level_number(level)
        return int(self.starts[k + 1] - self.starts[k])

    def codes_at(self, level: str) -> NDArray[np.str_]:
        """Return the codes of a level's units, in local-index order."""
        return self.codes[self._slice(level)]

    def names_at(self, level: str) -> NDArray[np.str_]:
        """Return the names of a level's units, in local-index order."""
        return self.names[self._slice(level)]

    def parent_index(self, level: str) -> NDArray[np.int32]:
        """Return, for each unit of ``level``, the local index of its parent one level up.

        Examples
        --------
        >>> h = ls.synthetic_hierarchy(villages=6, seed=1)
        >>> bool((h.parent_index("village") < h.n_units("commune")).all())
        True
        """
        if self.level_number(level) == 0:
            msg = Message(
                N_("level {level!r} is the top level: its units have no parent"), level=level
            )
            raise HierarchyError(str(msg)).translatable(msg)
        return self.parents[self._slice(level)]

    def ancestor_index(self, level: str, ancestor_level: str) -> NDArray[np.int32]:
        """Return, for each unit of ``level``, the local index of its ancestor at another level.

        ``ancestor_level`` may equal ``level`` (the identity) but not be below it.
        """
        k = self.level_number(ancestor_level)
        if k > self.level_number(level):
            msg = Message(
                N_("{ancestor!r} is below {level!r}: it cannot be an ancestor"),
                ancestor=ancestor_level,
                level=level,
            )
            raise HierarchyError(str(msg)).translatable(msg)
        return self.ancestors[self._slice(level), k]

    def locate(self, codes: Any) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        """Find unit codes: return (level number, local index), both -1 for unknown codes.

        Examples
        --------
        >>> h = ls.synthetic_hierarchy(villages=3, seed=1)
        >>> lev, idx = h.locate([h.codes_at("village")[2], "nope"])
        >>> lev.tolist(), idx.tolist()
        ([2, -1], [2, -1])
        """
        query = np.asarray(codes)
        query = query if query.dtype.kind == "U" else query.astype(str)
        g, found = self._lookup_runs(query)
        lev = np.searchsorted(self.starts, g, side="right") - 1
        lev = np.where(found, lev, -1)
        local = np.where(found, g - self.starts[np.maximum(lev, 0)], -1)
        return lev.astype(np.int64), local.astype(np.int64)

    def _lookup_runs(self, query: NDArray[np.str_]) -> tuple[NDArray[np.int64], NDArray[np.bool_]]:
        # Households come grouped by village: look up each run of equal codes once
        # instead of gathering millions of strings.
        if len(query) < 1024:
            return self._index.lookup(query)
        starts = np.flatnonzero(np.concatenate([[True], query[1:] != query[:-1]]))
        if len(starts) > len(query) // 4:
            return self._index.lookup(query)
        g, found = self._index.lookup(query[starts])
        lengths = np.diff(np.append(starts, len(query)))
        return np.repeat(g, lengths), np.repeat(found, lengths)

    def unit(self, code: str) -> AdminUnit:
        """Return the unit with this code as an :class:`AdminUnit`.

        Raises
        ------
        UnknownIdError
            If no unit has this code.
        """
        lev, local = self.locate([code])
        if lev[0] < 0:
            raise UnknownIdError("unit", code)
        return self._unit_at(int(lev[0]), int(local[0]))

    def _unit_at(self, k: int, local: int) -> AdminUnit:
        g = int(self.starts[k]) + local
        parent = None
        if k:
            parent = str(self.codes[int(self.starts[k - 1]) + int(self.parents[g])])
        return AdminUnit(str(self.codes[g]), str(self.names[g]), self.spec.names[k], parent)

    def units(self, level: str | None = None) -> list[AdminUnit]:
        """Return the units (of one level, or all) as :class:`AdminUnit` records."""
        ks = range(self.n_levels) if level is None else [self.level_number(level)]
        return [
            self._unit_at(k, i) for k in ks for i in range(int(self.starts[k + 1] - self.starts[k]))
        ]

    def children(self, code: str) -> list[AdminUnit]:
        """Return the units whose parent is ``code``.

        Examples
        --------
        >>> h = ls.synthetic_hierarchy(villages=5, seed=1)
        >>> top = h.codes_at("province")[0]
        >>> len(h.children(top)) == h.n_units("commune")
        True
        """
        lev, local = self.locate([code])
        if lev[0] < 0:
            raise UnknownIdError("unit", code)
        k = int(lev[0])
        if k == self.n_levels - 1:
            return []
        lo, hi = int(self.starts[k + 1]), int(self.starts[k + 2])
        # Children are contiguous because each level is sorted by parent.
        first, last = np.searchsorted(self.parents[lo:hi], [local[0], local[0] + 1])
        return [self._unit_at(k + 1, int(i)) for i in range(first, last)]

    def to_columns(self) -> dict[str, NDArray[np.str_]]:
        """Return the units table (code, name, level, parent_code) that rebuilds this tree.

        Examples
        --------
        >>> h = ls.synthetic_hierarchy(villages=4, seed=2)
        >>> Hierarchy.from_units(h.to_columns(), levels=h.spec) == h
        True
        """
        level_names = np.repeat(np.array(self.spec.names), np.diff(self.starts))
        parent_codes = np.full(len(self), "", dtype=self.codes.dtype)
        for k in range(1, self.n_levels):
            s = slice(int(self.starts[k]), int(self.starts[k + 1]))
            above = self.codes[int(self.starts[k - 1]) : int(self.starts[k])]
            parent_codes[s] = above[self.parents[s]]
        return {
            "code": self.codes.copy(),
            "name": self.names.copy(),
            "level": level_names,
            "parent_code": parent_codes,
        }

    # -- display --------------------------------------------------------------------
    def __repr__(self) -> str:
        return f"Hierarchy({self.spec.name!r}: {self.units_text()})"

    def units_text(self, extra: Iterable[tuple[str, str, int]] = ()) -> str:
        """Return the units per level for a one-line repr, in the default locale.

        ``extra`` adds (id, name, count) after the levels (a rollup's total row).

        Examples
        --------
        >>> h = ls.synthetic_hierarchy(villages=3, seed=1, levels="vn-2025")
        >>> h.units_text()
        '1 province, 1 commune, 3 village'
        >>> with ls.use_locale("vi"):
        ...     h.units_text()
        'cấp tỉnh: 1, cấp xã: 1, cấp thôn, tổ dân phố: 3'
        """
        loc = get_locale()
        return level_counts(
            [
                *((lv, self.level_label(lv, loc), self.n_units(lv)) for lv in self.spec.names),
                *extra,
            ]
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_html(self, locale: str | None = None) -> str:
        """Return the levels and their numbers of units as an HTML table, in the locale.

        ``None`` is the default locale (:func:`learnsoc.set_locale`), which a notebook's
        display uses.

        Examples
        --------
        >>> tree = Hierarchy.from_units({"code": ["01"], "level": ["province"],
        ...     "parent_code": [None]}, levels=["province"])
        >>> "<td>cấp tỉnh</td>" in tree.to_html("vi"), "<td>province</td>" in tree.to_html("en")
        (True, True)
        """
        from learnsoc.i18n import render_in

        return render_in(locale, self._html)

    def _html(self) -> str:
        from learnsoc.i18n import format_integer

        rows = "".join(
            f"<tr><td>{html.escape(lv.display())}</td>"
            f"<td style='text-align:right'>"
            f"{html.escape(format_integer(int(self.starts[k + 1] - self.starts[k])))}</td></tr>"
            for k, lv in enumerate(self.spec.levels)
        )
        head_level = html.escape(gettext(N_("level")))
        head_units = html.escape(gettext(N_("units")))
        return (
            f"<table><caption>{html.escape(self.spec.name)}</caption>"
            f"<thead><tr><th>{head_level}</th><th>{head_units}</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )
