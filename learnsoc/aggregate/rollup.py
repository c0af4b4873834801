"""Rollups: counts and sums at every level of the hierarchy, in one table.

A rollup adds counts up the administrative tree: persons and households are counted at
their village, clans and organisations at the unit they belong to, and every unit's
total includes all its descendants. The result has one row per unit of every level
plus a national total row, and a ``level`` per row, so no "total" is ever confused with
a missing key. Rates are always numerator and denominator (and the count of missing
values) added up, never averages of children's rates.

Two sources:

* microdata: :func:`rollup` counts the rows of a :class:`~learnsoc.Population`;
* per-unit counts: :func:`rollup_counts` takes the table communes send today (one row per
  unit with ``families``, ``learning_families`` ...), checks it and rejects bad rows.

Both go through a :class:`~learnsoc.aggregate.partials.Partial` over the units of the
tree (one slot per unit, plus one for rows with no unit), so a population evaluated in
chunks of whole households gives exactly the same rollup when the partials are merged.

Examples
--------
>>> import learnsoc as ls
>>> pop = ls.synthetic_population(persons=5_000, seed=1)
>>> age = pop.column("person", "age")
>>> roll = ls.rollup(pop, {"persons": "person", "adults": ls.Count("person", age >= 15),
...                        "households": "household"}, rates={"adult_share": ("adults", "persons")})
>>> int(roll.level("total").counts["persons"][0])
5000
>>> roll.level("province").rate("adult_share").numerator.tolist() == [int((age >= 15).sum())]
True
"""

from __future__ import annotations

import datetime as dt
import html
import importlib
import warnings
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeAlias

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from learnsoc._argument_types import A_HIERARCHY, A_POPULATION, check_argument
from learnsoc._arrays import ARRAY_EQ, COLUMNS_EQ, readonly
from learnsoc._excel_cells import excel_error_rows, long_number_rows
from learnsoc._headings import rollup_headings, sheet_name
from learnsoc._reprs import count_words, repr_words
from learnsoc._tables import as_columns
from learnsoc.aggregate.breakdown import By, Group, groups_of, population_groups
from learnsoc.aggregate.groups import AggregateError, Groups
from learnsoc.aggregate.kernels import group_counts, group_sum
from learnsoc.aggregate.names import EXPECTED, REPORTING, RESERVED, TOTAL
from learnsoc.aggregate.partials import Partial
from learnsoc.aggregate.rate import Rate, RateStatus
from learnsoc.aggregate.rolled import (
    completeness_mismatch,
    is_rollup_layout,
    own_counts,
    read_rollup_layout,
)
from learnsoc.errors import LearnsocWarning, Message, SchemaError, did_you_mean
from learnsoc.i18n import (
    N_,
    excluding_unknown,
    format_integer,
    format_percent,
    get_locale,
    gettext,
    ngettext,
    normalize_locale,
    render_in,
    use_locale,
)
from learnsoc.limits import MAX_COUNT
from learnsoc.model._totals import total_label
from learnsoc.model.district_codes import warn_district_codes
from learnsoc.model.hierarchy import Hierarchy
from learnsoc.model.ids import IdIndex
from learnsoc.model.population import Population, locate_units
from learnsoc.model.schema import ColumnSpec, convert_column, dash_cells
from learnsoc.model.summary import rejected_text
from learnsoc.model.unit_names import place_by_name
from learnsoc.rejects import RejectBatch, Rejects, raise_if_rejected
from learnsoc.vocabulary import counted_measure, measure_label

if TYPE_CHECKING:
    import os
    from pathlib import Path


__all__ = [
    "BLANK_COUNTS_IN_FILE",
    "EXPECTED",
    "REPORTING",
    "RESERVED_MEASURE",
    "BlankCountsWarning",
    "Count",
    "Measure",
    "Measures",
    "RateDefs",
    "Rollup",
    "Sum",
    "as_measure",
    "rollup",
    "rollup_counts",
    "rollup_partial",
]


class BlankCountsWarning(LearnsocWarning):
    """A count column of a counts table is blank in every row: it is left out.

    Read as no answer in each row, it rejected every row, and with them every other
    count of the table; left out, its measure has no data and the others count.
    ``columns`` holds the columns left out.

    Examples
    --------
    >>> import warnings
    >>> tree = ls.Hierarchy.from_units({"code": ["01", "00004"], "level": ["province",
    ...     "commune"], "parent_code": [None, "01"]}, levels=["province", "commune"])
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     roll = ls.rollup_counts({"unit_code": ["00004"], "families": [120],
    ...                              "clans": [None]}, tree)
    >>> caught[0].message.columns, sorted(roll.counts)[:1]
    (('clans',), ['families'])
    """

    columns: tuple[str, ...] = ()


BLANK_COUNTS = N_(
    "counts: {columns} blank in every row, left out: what they count has no data "
    "(fill them, or leave them out of the table)"
)
#: The same, by a file's reader, naming its file and its own headers.
BLANK_COUNTS_IN_FILE = N_(
    "{file}: {columns} blank in every row, left out: what they count has no data "
    "(fill them, or leave them out of the file)"
)


RESERVED_MEASURE = N_("measure {name!r}: the name is reserved for the completeness of the rollup")
ENTITIES = ("person", "household", "clan", "organisation")

MaskLike: TypeAlias = "ArrayLike | Callable[[Population], ArrayLike] | None"

# Rollup.from_partial's default: no verdicts decided on partial data (None: not recorded).
_NONE_PARTIAL: Mapping[str, tuple[str, ...]] = MappingProxyType({})


@attrs.frozen
class Count:
    """Count the rows of an entity, optionally only where a mask is true.

    Parameters
    ----------
    entity : str
        ``"person"``, ``"household"``, ``"clan"``, ``"organisation"``, or a level of the
        hierarchy (``"village"``: count the units of that level).
    where : array of bool, or callable, optional
        One value per row of the entity in the population's canonical order, or a
        function of the population returning it (needed when the population is
        rolled up in chunks).

    Examples
    --------
    >>> pop = ls.synthetic_population(persons=2_000, seed=5)
    >>> adults = Count("person", pop.person_columns["age"] >= 15)
    >>> print(rollup(pop, {"adults": adults}).counts["adults"])  # province ... villages, total
    [1581 1581  809  772 1581]
    """

    entity: str
    where: Any = None


@attrs.frozen
class Sum:
    """Sum a numeric column of an entity, optionally only where a mask is true.

    Parameters
    ----------
    entity : str
        As for :class:`Count`.
    values : array, or callable
        One value per row, or a function of the population returning them.
    where : array of bool, or callable, optional
        Restricts the rows summed.

    Examples
    --------
    >>> pop = ls.synthetic_population(persons=2_000, seed=5)
    >>> hours = Sum("person", lambda pop: pop.person_columns["learning_hours"])
    >>> total = rollup(pop, {"hours": hours}).counts["hours"][-1]
    >>> int(total) == int(pop.person_columns["learning_hours"].sum())
    True
    """

    entity: str
    values: Any
    where: Any = None


Measure: TypeAlias = "Count | Sum | str | tuple[str, Any]"


class Measures(dict[str, "Count | Sum"]):
    """Measures for :func:`rollup`, with those that the data could not give.

    :func:`learnsoc.standard_measures` returns one: a measure whose columns the
    population lacks is left out, and ``absent`` names, for each such measure, the
    columns it needs that are missing, so that a report can say which columns to add
    instead of failing.

    Examples
    --------
    >>> m = Measures({"persons": Count("person")}, absent={"workers": ("employment",)})
    >>> sorted(m), dict(m.absent)
    (['persons'], {'workers': ('employment',)})
    """

    def __init__(
        self,
        measures: Mapping[str, Count | Sum] | None = None,
        absent: Mapping[str, tuple[str, ...]] | None = None,
        *,
        not_in_force: Mapping[str, dt.date] | None = None,
        partial_members: Mapping[str, tuple[str, ...]] | None = None,
    ) -> None:
        super().__init__(measures or {})
        self.absent: Mapping[str, tuple[str, ...]] = dict(absent or {})
        #: Measures of a title whose scheme is not in force on the date the titles were
        #: decided as of (that date): not counted, and no "no data" either.
        self.not_in_force: Mapping[str, dt.date] = dict(not_in_force or {})
        #: Per measure of a title's verdicts counted with its ``_partial_data`` measure
        #: (``learning_communities``), the levels of the members its verdicts decided on
        #: partial data left out (``("household",)``; empty when none did).
        self.partial_members: Mapping[str, tuple[str, ...]] = dict(partial_members or {})


def as_measure(name: str, spec: Any) -> Count | Sum:
    """Return the measure a rollup's ``measures`` entry stands for.

    Shared by :func:`rollup` and :func:`~learnsoc.aggregate.stream.rollup_batches`.

    Parameters
    ----------
    name : str
        The measure's name (for the error).
    spec : str, (str, mask), Count or Sum
        An entity name counts the entity; ``(entity, mask)`` counts where the mask holds.

    Raises
    ------
    AggregateError
        For anything else.

    Examples
    --------
    >>> as_measure("persons", "person")
    Count(entity='person', where=None)
    """
    if isinstance(spec, Count | Sum):
        return spec
    if isinstance(spec, str):
        return Count(spec)
    if isinstance(spec, tuple) and len(spec) == 2 and isinstance(spec[0], str):
        return Count(spec[0], spec[1])
    msg = Message(
        N_(
            "measure {name!r} must be an entity name, (entity, mask), Count(...) or Sum(...), "
            "got {type}"
        ),
        name=name,
        type=type(spec).__name__,
    )
    raise AggregateError(str(msg), argument="measures").translatable(msg)


def _resolve(value: Any, pop: Population) -> Any:
    return value(pop) if callable(value) else value


def _leaf_offsets(pop: Population) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Offsets of households and of persons per lowest-level unit (both sorted by unit)."""
    h = pop.hierarchy
    n_leaf = h.n_units(h.leaf_level)
    per_unit = np.bincount(pop.household_unit, minlength=n_leaf)
    hh_offsets = np.zeros(n_leaf + 1, np.int64)
    np.cumsum(per_unit, out=hh_offsets[1:])
    return hh_offsets, pop.household_offsets[hh_offsets]


def _groups_for(
    pop: Population, entity: str, cache: dict[str, tuple[Groups, int]]
) -> tuple[Groups, int]:
    """Group an entity's rows by unit; return the groups and the global index of group 0."""
    if entity in cache:
        return cache[entity]
    h = pop.hierarchy
    n_units = len(h)
    leaf_start = int(h.starts[h.n_levels - 1])
    if entity in ("person", "household"):
        hh_offsets, person_offsets = _leaf_offsets(pop)
        cache["household"] = (Groups.from_offsets(hh_offsets), leaf_start)
        cache["person"] = (Groups.from_offsets(person_offsets), leaf_start)
    elif entity in ("clan", "organisation"):
        unit = pop.clan_unit if entity == "clan" else pop.organisation_unit
        # Rows with no unit go to an extra last slot: counted in the total, never lost.
        codes = np.where(unit >= 0, unit, n_units)
        cache[entity] = (Groups.from_codes(codes, n_units + 1), 0)
    else:
        k = h.level_number(entity)
        n = h.n_units(entity)
        cache[entity] = (Groups.from_offsets(np.arange(n + 1, dtype=np.int64)), int(h.starts[k]))
    return cache[entity]


def _n_rows(pop: Population, entity: str) -> int:
    sizes = {
        "person": pop.n_persons,
        "household": pop.n_households,
        "clan": pop.n_clans,
        "organisation": pop.n_organisations,
    }
    return sizes[entity] if entity in sizes else pop.hierarchy.n_units(entity)


def rollup_partial(pop: Population, measures: Mapping[str, Measure]) -> Partial:
    """Count a population's measures per unit (before rolling up): a mergeable partial.

    The partial has one slot per unit of the hierarchy (global order) plus one for rows
    with no unit. Partials of chunks of whole households merge (``a.merge(b)``) into the
    partial of the whole; :meth:`Rollup.from_partial` finishes it.

    Examples
    --------
    >>> pop = ls.synthetic_population(persons=2_000, seed=3)
    >>> p = rollup_partial(pop, {"persons": "person"})
    >>> p.n_groups == len(pop.hierarchy) + 1, int(p.sums["persons"].sum())
    (True, 2000)

    Besides the measures, the partial has ``units_reporting``: the households of each
    lowest-level unit, from which the rollup tells the units that reported (at least one
    household) from those that did not.
    """
    h = pop.hierarchy
    n_slots = len(h) + 1
    specs = {name: as_measure(name, spec) for name, spec in measures.items()}
    valid = set(ENTITIES) | set(h.levels)
    cache: dict[str, tuple[Groups, int]] = {}
    sums: dict[str, NDArray[Any]] = {}
    counts_by_entity: dict[str, list[tuple[str, NDArray[np.bool_]]]] = {}
    for name, m in specs.items():
        if name in RESERVED:
            msg = Message(RESERVED_MEASURE, name=name)
            raise AggregateError(str(msg), argument="measures").translatable(msg)
        if m.entity not in valid:
            msg = Message(
                N_("measure {name!r}: unknown entity {entity!r}{hint}"),
                name=name,
                entity=m.entity,
                hint=did_you_mean(m.entity, valid),
            )
            raise AggregateError(str(msg), argument="measures").translatable(msg)
        n = _n_rows(pop, m.entity)
        where = _resolve(m.where, pop)
        mask = np.ones(n, bool) if where is None else np.asarray(where)
        if mask.shape != (n,) or mask.dtype != np.bool_:
            msg = Message(
                N_(
                    "measure {name!r}: the mask must be {n} booleans (one per {entity}), "
                    "got {dtype} {shape}"
                ),
                name=name,
                n=n,
                entity=m.entity,
                dtype=mask.dtype,
                shape=mask.shape,
            )
            raise AggregateError(str(msg), argument="measures").translatable(msg)
        if isinstance(m, Count):
            counts_by_entity.setdefault(m.entity, []).append((name, mask))
            continue
        groups, first = _groups_for(pop, m.entity, cache)
        values = np.asarray(_resolve(m.values, pop))
        per_group = group_sum(groups, values, where=None if where is None else mask)
        sums[name] = _place(per_group, first, n_slots)
    for entity, items in counts_by_entity.items():
        groups, first = _groups_for(pop, entity, cache)
        counted = group_counts(groups, [mask for _, mask in items])
        for (name, _), row in zip(items, counted, strict=True):
            sums[name] = _place(row, first, n_slots)
    # Keep the caller's order of measures. Households per lowest-level unit say which units
    # reported: a count, so chunks that split a village still merge exactly.
    out = {name: sums[name] for name in specs}
    leaf_start = int(h.starts[h.n_levels - 1])
    out[REPORTING] = _place(
        np.bincount(pop.household_unit, minlength=h.n_units(h.leaf_level)).astype(np.int64),
        leaf_start,
        n_slots,
    )
    return Partial(n_groups=n_slots, sums=out)


def _place(per_group: NDArray[Any], first: int, n_slots: int) -> NDArray[Any]:
    out = np.zeros(n_slots, np.float64 if per_group.dtype.kind == "f" else np.int64)
    out[first : first + len(per_group)] = per_group
    return out


RateDefs: TypeAlias = "Mapping[str, tuple[str, str] | tuple[str, str, str]]"


@attrs.frozen(eq=False)
class Rollup:
    """Counts per unit at every level of a hierarchy, plus a total row.

    Rows are in level order (all provinces, then all districts ... then the total), each
    level in the hierarchy's order. Build one with :func:`rollup`, :func:`rollup_counts` or
    :meth:`from_partial`.

    Attributes
    ----------
    rows : ndarray of int64
        The global unit index of each row (-1 for the total row).
    counts : mapping of str to ndarray
        One array per measure, one value per row.
    rate_definitions : mapping of str to tuple
        Each rate's numerator, denominator and (optionally) missing measure. With a
        missing measure, the denominator measure counts every eligible member and the
        rate is of those with data: ``numerator / (denominator - missing)``
        (:meth:`rate`).
    rejects : Rejects or None
        Rows rejected by :func:`rollup_counts`, or those of the population
        :func:`rollup` counted (:attr:`learnsoc.Population.rejects`): the results and
        progress tables made from the rollup say them. Not compared.
    reporting_level : str or None
        The level whose units are expected to report: the level of the counts for
        :func:`rollup_counts`, the lowest level for microdata. Then the measures
        ``units_reporting`` and ``units_expected`` count, at each row, the units of that
        level under it that reported and all of them (see :meth:`completeness`). None
        when the rollup does not know (a partial without ``units_reporting``).
    parts : tuple of (Group, Rollup)
        With ``by=``: one rollup per group of the breakdown (women, men...), over the
        same rows, with the measures that can be broken down (see :meth:`part`).
    absent_columns : mapping of str to tuple of str
        Measures that could not be counted (see :class:`Measures`), each with the
        columns the data lack.
    not_in_force : mapping of str to datetime.date
        Measures of a title not in force on the date the titles were decided as of (see
        :class:`Measures`), each with that date: reports say "not in force", not "no
        data".
    partial_members : mapping of str to tuple of str, or None
        Per measure of a title's verdicts whose ``<measure>_decided`` and
        ``<measure>_partial_data`` the rollup counts (see
        :func:`learnsoc.standard_measures`), the levels of the members left out by the
        verdicts decided on partial data (``{"learning_communities": ("household",)}``):
        reports say "94 of the 200 villages were decided on the families with data". None
        when the source did not record them (a results folder written by learnsoc before
        they were counted): reports say so.
    own_not_read : tuple of str
        Read back from a rollup's table (:func:`rollup_counts`), the codes of the units
        above the reporting level whose row was rejected: their own part (their figure
        less their units' rows: their organisations, their title) is in no total, so
        their totals and those above them are incomplete, which the completeness does not
        say. Results say so in a note and with the status ``incomplete``.

    Examples
    --------
    >>> pop = ls.synthetic_population(persons=2_000, seed=5)
    >>> adults = Count("person", pop.person_columns["age"] >= 15)
    >>> roll = rollup(pop, {"persons": "person", "adults": adults},
    ...               rates={"adult_share": ("adults", "persons")})
    >>> columns = roll.to_columns()
    >>> columns["level"].tolist()
    ['province', 'commune', 'village', 'village', 'total']
    >>> print(roll.counts["persons"], roll.rate("adult_share").value().round(3))
    [2000 2000 1051  949 2000] [0.79  0.79  0.77  0.813 0.79 ]
    """

    hierarchy: Hierarchy = attrs.field(repr=False)
    rows: NDArray[np.int64] = attrs.field(eq=ARRAY_EQ, repr=False)
    counts: Mapping[str, NDArray[Any]] = attrs.field(eq=COLUMNS_EQ, repr=False)
    rate_definitions: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    rejects: Rejects | None = attrs.field(default=None, repr=False, eq=False)
    reporting_level: str | None = None
    parts: tuple[tuple[Group, Rollup], ...] = attrs.field(default=(), repr=False)
    absent_columns: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict, repr=False)
    not_in_force: Mapping[str, dt.date] = attrs.field(factory=dict, repr=False)
    partial_members: Mapping[str, tuple[str, ...]] | None = attrs.field(factory=dict, repr=False)
    #: Codes of the units above the reporting level whose own part (their figure less
    #: their units' rows) was not read, their row of a rollup read back being rejected:
    #: their totals, and those above them, lack it (:func:`rollup_counts`).
    own_not_read: tuple[str, ...] = attrs.field(default=(), repr=False)

    @classmethod
    def from_partial(
        cls,
        partial: Partial,
        hierarchy: Hierarchy,
        *,
        rates: RateDefs | None = None,
        rejects: Rejects | None = None,
        reporting_level: str | None = None,
        absent_columns: Mapping[str, tuple[str, ...]] | None = None,
        not_in_force: Mapping[str, dt.date] | None = None,
        partial_members: Mapping[str, tuple[str, ...]] | None = _NONE_PARTIAL,
    ) -> Rollup:
        """Roll a per-unit partial up the hierarchy and add the total row.

        When the partial has a ``units_reporting`` measure (rows of data per unit), a
        unit of ``reporting_level`` (by default the lowest level) with any reported; the
        rollup then counts, at each row, the units reporting and expected under it.

        ``absent_columns``, ``not_in_force`` and ``partial_members`` are those of the
        measures counted (see :class:`Measures`; ``partial_members=None``: not recorded,
        as in a results folder of an older learnsoc): every rollup of standard measures,
        from a population, a dataset or a results folder, is built here with them, so that
        its reports say "not in the data", "not in force" and "decided on partial data"
        alike.

        Examples
        --------
        >>> import datetime as dt
        >>> pop = ls.synthetic_population(persons=500, seed=5)
        >>> part = rollup_partial(pop, {"persons": "person"})
        >>> roll = Rollup.from_partial(part, pop.hierarchy,
        ...                            not_in_force={"learning_units": dt.date(2022, 12, 31)})
        >>> int(roll.level("total").counts["persons"][0]), roll.not_in_force["learning_units"]
        (500, datetime.date(2022, 12, 31))
        """
        n_units = len(hierarchy)
        if partial.n_groups != n_units + 1:
            msg = Message(
                N_(
                    "the partial has {n} slots; a rollup over this hierarchy needs "
                    "{expected} (one per unit and one for rows without a unit)"
                ),
                n=partial.n_groups,
                expected=n_units + 1,
            )
            raise AggregateError(str(msg), argument="partial").translatable(msg)
        level_of = np.repeat(np.arange(hierarchy.n_levels), np.diff(hierarchy.starts))
        sums = dict(partial.sums)
        if REPORTING in sums:
            reporting_level = reporting_level or hierarchy.leaf_level
            k = hierarchy.level_number(reporting_level)
            span = slice(int(hierarchy.starts[k]), int(hierarchy.starts[k + 1]))
            reported = np.zeros(n_units + 1, np.int64)
            reported[span] = sums[REPORTING][span] > 0
            expected = np.zeros(n_units + 1, np.int64)
            expected[span] = 1
            sums[REPORTING], sums[EXPECTED] = reported, expected
        else:
            reporting_level = None
        counts: dict[str, NDArray[Any]] = {}
        for name, base in sums.items():
            out = np.zeros(n_units + 1, base.dtype)
            for k in range(hierarchy.n_levels):
                # Every unit at level k or below adds its own count to its level-k ancestor.
                below = level_of >= k
                anc = hierarchy.ancestors[below, k].astype(np.int64) + int(hierarchy.starts[k])
                np.add.at(out, anc, base[:n_units][below])
            out[n_units] = base.sum()
            counts[name] = readonly(out)
        rows = np.append(np.arange(n_units, dtype=np.int64), -1)
        result = cls(
            hierarchy,
            readonly(rows),
            counts,
            {},
            rejects,
            reporting_level,
            absent_columns=dict(absent_columns or {}),
            not_in_force=dict(not_in_force or {}),
            partial_members=None if partial_members is None else dict(partial_members),
        )
        return result.with_rates(rates or {})

    def with_rates(self, rates: RateDefs) -> Rollup:
        """Return the rollup with more rates defined over its measures.

        Each rate is ``(numerator, denominator)`` or ``(numerator, denominator, missing)``.
        With ``missing``, the ``denominator`` measure counts every eligible member, those
        without data included, and the rate is a share of those with data:
        ``numerator / (denominator - missing)``, as the indicators count it.

        Examples
        --------
        >>> h = ls.Hierarchy.from_units({"code": ["02"], "level": ["province"],
        ...     "parent_code": [None]}, levels=["province"])
        >>> roll = rollup_counts({"unit_code": ["02"], "families": [40],
        ...     "learning_families": [30]}, h)
        >>> share = roll.with_rates({"share": ("learning_families", "families")}).rate("share")
        >>> float(share.value()[0])
        0.75
        """
        defs = dict(self.rate_definitions)
        for name, parts in rates.items():
            if len(parts) not in (2, 3):
                msg = Message(
                    N_("rate {name!r} needs (numerator, denominator[, missing]), got {parts!r}"),
                    name=name,
                    parts=parts,
                )
                raise AggregateError(str(msg), argument="rates").translatable(msg)
            for part in parts:
                if part not in self.counts:
                    msg = Message(
                        N_("rate {name!r}: no measure {part!r}{hint}"),
                        name=name,
                        part=part,
                        hint=did_you_mean(part, self.counts),
                    )
                    raise AggregateError(str(msg), argument="rates").translatable(msg)
            defs[name] = tuple(parts)
        return attrs.evolve(self, rate_definitions=defs)

    # -- selection ----------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.rows)

    def levels(self) -> NDArray[np.str_]:
        """Return the level name of each row (``"total"`` for the total row)."""
        h = self.hierarchy
        names = np.array([*h.levels, TOTAL])
        k = np.searchsorted(h.starts, self.rows, side="right") - 1
        k[self.rows < 0] = h.n_levels
        return names[k]

    def codes(self) -> NDArray[np.str_]:
        """Return the unit code of each row (``""`` for the total row)."""
        return np.where(self.rows >= 0, self.hierarchy.codes[np.maximum(self.rows, 0)], "")

    def names(self) -> NDArray[np.str_]:
        """Return the unit name of each row; the total row's says what it totals.

        The total row is named as the reports name it, in the default locale: "total of
        2 provinces", "tổng 2 tỉnh, thành phố" (the tree's top-level units, counted).

        Examples
        --------
        >>> h = ls.Hierarchy.from_units({"code": ["01", "02"], "name": ["Hà Nội", "Huế"],
        ...     "level": ["province"] * 2, "parent_code": [None, None]}, levels=["province"])
        >>> roll = rollup_counts({"unit_code": ["01", "02"], "families": [3, 4]}, h)
        >>> roll.names().tolist()
        ['Hà Nội', 'Huế', 'total of 2 provinces']
        """
        total = total_label(self.hierarchy, None)
        return np.where(self.rows >= 0, self.hierarchy.names[np.maximum(self.rows, 0)], total)

    def parent_codes(self) -> NDArray[np.str_]:
        """Return the parent unit code of each row (``""`` at the top level and total)."""
        h = self.hierarchy
        table = h.to_columns()["parent_code"]
        return np.where(self.rows >= 0, table[np.maximum(self.rows, 0)], "")

    def _subset(self, keep: NDArray[np.bool_]) -> Rollup:
        return attrs.evolve(
            self,
            rows=readonly(self.rows[keep]),
            counts={k: readonly(v[keep]) for k, v in self.counts.items()},
            parts=tuple((g, r._subset(keep)) for g, r in self.parts),
        )

    def groups(self) -> tuple[Group, ...]:
        """Return the groups of the rollup's breakdown (empty without ``by=``)."""
        return tuple(g for g, _ in self.parts)

    def part(self, group: str) -> Rollup:
        """Return the rollup of one group of the breakdown: ``"sex=female"`` or ``"female"``.

        Its counts are those of the group's members only (the women among the persons,
        the women among the learning citizens), at the same rows as the total.

        Raises
        ------
        AggregateError
            If the rollup has no such group (naming those it has).

        Examples
        --------
        >>> pop = ls.synthetic_population(persons=2_000, seed=3)
        >>> roll = rollup(pop, {"persons": "person"}, by="sex")
        >>> women = roll.part("female").level("total").counts["persons"][0]
        >>> men = roll.part("sex=male").level("total").counts["persons"][0]
        >>> int(women + men) == int(roll.level("total").counts["persons"][0])
        True
        """
        for g, r in self.parts:
            if group in (g.key, g.name):
                return r
        keys = [g.key for g in self.groups()]
        if keys:
            template = N_("no group {group!r} in the rollup{hint}; its groups: {groups}")
        else:
            template = N_("no group {group!r} in the rollup{hint}; it was rolled up without by=")
        msg = Message(template, group=group, hint=did_you_mean(group, keys), groups=", ".join(keys))
        raise AggregateError(str(msg), argument="group").translatable(msg)

    def level(self, name: str) -> Rollup:
        """Return the rows of one level (or ``"total"``).

        Examples
        --------
        >>> roll = ls.rollup(ls.synthetic_population(persons=3_000, seed=2), {"persons": "person"})
        >>> roll.level("commune").codes().tolist() == roll.hierarchy.codes_at("commune").tolist()
        True
        """
        if name != TOTAL:
            self.hierarchy.level_number(name)
        return self._subset(self.levels() == name)

    def unit(self, code: str) -> dict[str, Any]:
        """Return one unit's row as a dict: level, code, name, counts and rate values.

        Raises
        ------
        UnknownIdError
            If the code is not a unit of the hierarchy.
        """
        from learnsoc.errors import UnknownIdError

        lev, local = self.hierarchy.locate([code])
        if lev[0] < 0:
            raise UnknownIdError("unit", code)
        g = int(self.hierarchy.starts[lev[0]] + local[0])
        hit = np.flatnonzero(self.rows == g)
        if not len(hit):
            raise UnknownIdError("unit", code)
        row = self._subset(np.isin(np.arange(len(self.rows)), hit))
        out: dict[str, Any] = {
            "level": str(row.levels()[0]),
            "code": code,
            "name": str(row.names()[0]),
        }
        out.update({k: v[0].item() for k, v in row.counts.items()})
        for name, column in self.rate_columns().items():
            r = row.rate(name)
            out[column] = float(r.value()[0])
        return out

    def rate_columns(self) -> dict[str, str]:
        """Return the column each rate is written to: its name, or ``<name>_rate``.

        A rate named like a measure (a title's rate ``learning_family`` over its count
        ``learning_family``) gets ``_rate`` added, so that its value never takes the place
        of the count it is computed from.

        Examples
        --------
        >>> h = ls.Hierarchy.from_units({"code": ["02"], "level": ["province"],
        ...     "parent_code": [None]}, levels=["province"])
        >>> roll = rollup_counts({"unit_code": ["02"], "families": [10],
        ...     "learning_families": [7]}, h, rates={"learning_families": (
        ...     "learning_families", "families"), "share": ("learning_families", "families")})
        >>> roll.rate_columns()
        {'learning_families': 'learning_families_rate', 'share': 'share'}
        >>> cols = roll.level("total").to_columns()
        >>> int(cols["learning_families"][0]), float(cols["learning_families_rate"][0])
        (7, 0.7)
        """
        return {n: f"{n}_rate" if n in self.counts else n for n in self.rate_definitions}

    def rate(self, name: str) -> Rate:
        """Return a defined rate over the rows (numerator, denominator, missing, status).

        A rate ``(numerator, denominator, missing)`` is a share of the members with data,
        as the indicators count it: the ``denominator`` measure counts every eligible
        member, ``missing`` those of them whose value is unknown, and the rate's
        denominator is the difference (35 families, 3 without data: 24 / 32 = 75%).

        Raises
        ------
        AggregateError
            If no rate of that name is defined (with a suggestion), or a row counts more
            members without data than members.

        Examples
        --------
        >>> h = ls.Hierarchy.from_units({"code": ["02"], "level": ["province"],
        ...     "parent_code": [None]}, levels=["province"])
        >>> roll = rollup_counts({"unit_code": ["02"], "families": [35],
        ...     "learning_families": [24], "learning_families_missing": [3]}, h,
        ...     rates={"share": ("learning_families", "families", "learning_families_missing")})
        >>> share = roll.level("total").rate("share")
        >>> int(share.denominator[0]), int(share.missing[0]), float(share.value()[0])
        (32, 3, 0.75)
        """
        try:
            parts = self.rate_definitions[name]
        except KeyError:
            msg = Message(
                N_("no rate {name!r}{hint}"),
                name=name,
                hint=did_you_mean(name, self.rate_definitions),
            )
            raise AggregateError(str(msg), argument="name").translatable(msg) from None
        num, den = self.counts[parts[0]], self.counts[parts[1]]
        if len(parts) < 3:
            return Rate(numerator=num, denominator=den, missing=np.zeros(len(num), np.int64))
        missing = self.counts[parts[2]]
        over = np.flatnonzero(np.asarray(missing) > np.asarray(den))
        if len(over):
            i = int(over[0])
            msg = Message(
                N_(
                    "rate {name!r}: unit {code!r} has {missing} {missing_name} but only "
                    "{denominator} {denominator_name}; those without data are counted among "
                    "the denominator's members"
                ),
                name=name,
                code=str(self.codes()[i]) or TOTAL,
                missing=int(missing[i]),
                missing_name=parts[2],
                denominator=int(den[i]),
                denominator_name=parts[1],
            )
            raise AggregateError(str(msg), argument="name").translatable(msg)
        # The denominator measure counts the members without data too; the share is of
        # those with data (as the indicators and the results table count it).
        known = np.asarray(den, np.int64) - np.asarray(missing, np.int64)
        return Rate(numerator=num, denominator=known, missing=missing)

    def completeness(self) -> Rate | None:
        """Return the units reporting out of those expected at each row (None if unknown).

        A unit of :attr:`reporting_level` reports when it has data: an accepted counts row
        (:func:`rollup_counts`; a rejected row or no row at all is a unit not reporting),
        or at least one household (microdata). The rate's value is DHIS2's "reporting
        rate"; it is empty for rows below the reporting level.

        Examples
        --------
        >>> h = ls.Hierarchy.from_units({"code": ["01", "00001", "00002"],
        ...     "level": ["province", "commune", "commune"], "parent_code": [None, "01", "01"]},
        ...     levels=["province", "commune"])
        >>> roll = rollup_counts({"unit_code": ["00001", "00002"], "families": [980, 500],
        ...     "learning_families": [701, -3]}, h)
        >>> done = roll.level("province").completeness()
        >>> int(done.numerator[0]), int(done.denominator[0])
        (1, 2)
        >>> roll.not_reporting().tolist()
        ['00002']
        """
        if self.reporting_level is None or REPORTING not in self.counts:
            return None
        return Rate(numerator=self.counts[REPORTING], denominator=self.counts[EXPECTED])

    def not_reporting(self) -> NDArray[np.str_]:
        """Return the codes of the units expected to report that did not, in tree order."""
        done = self.completeness()
        if done is None:
            return np.zeros(0, dtype="<U1")
        at_level = self.levels() == self.reporting_level
        missing = at_level & (done.numerator == 0) & (done.denominator > 0)
        codes: NDArray[np.str_] = self.codes()[missing]
        return codes

    # -- output -------------------------------------------------------------------
    def to_columns(self) -> dict[str, NDArray[Any]]:
        """Return the rollup as a wide table: level, code, name, parent_code, measures, rates.

        With ``by=``, each group's counts follow the totals as ``<measure>_<group>``
        (``persons_female``, ``learning_citizens_female``: "trong đó nữ"), the columns
        :func:`rollup_counts` reads a breakdown from. Each rate gives ``<rate>`` (the
        value, NaN unless the status is ok) and ``<rate>_status`` (``ok``, ``empty`` or
        ``missing``); a rate named like a measure is written ``<rate>_rate`` and
        ``<rate>_rate_status`` (:meth:`rate_columns`), beside the measure's count.

        Raises
        ------
        AggregateError
            If a group's column would have the name of another column (a measure
            ``persons_female`` beside ``persons`` broken down by sex).

        Examples
        --------
        >>> pop = ls.synthetic_population(persons=2_000, seed=3)
        >>> cols = rollup(pop, {"persons": "person"}, by="sex").level("total").to_columns()
        >>> [k for k in cols if k.startswith("persons")]
        ['persons', 'persons_male', 'persons_female']
        >>> int(cols["persons_male"][0] + cols["persons_female"][0]) == pop.n_persons
        True
        """
        out: dict[str, NDArray[Any]] = {
            "level": self.levels(),
            "code": self.codes(),
            "name": self.names(),
            "parent_code": self.parent_codes(),
        }
        out.update({k: np.asarray(v) for k, v in self.counts.items()})
        for group, part in self.parts:
            for k, v in part.counts.items():
                if k in RESERVED:  # the same units reported for every group
                    continue
                column = f"{k}_{group.name}"
                if column in out:
                    msg = Message(
                        N_(
                            "the {group} part of {measure!r} would be written as {column!r}, "
                            "a column the rollup already has; rename the measure"
                        ),
                        group=group.key,
                        measure=k,
                        column=column,
                    )
                    raise AggregateError(str(msg), argument="by").translatable(msg)
                out[column] = np.asarray(v)
        for name, column in self.rate_columns().items():
            r = self.rate(name)
            out[column] = r.value()
            out[f"{column}_status"] = np.array([str(s).lower() for s in RateStatus])[r.status]
        return out

    def to_excel(self, path: str | os.PathLike[str], *, locale: str | None = None) -> Path:
        """Write :meth:`to_columns` as an Excel workbook (``.xlsx``; extra ``excel``).

        One sheet ``rollup`` with a bold, frozen header row; counts are numbers with a
        thousands separator (``#,##0``), each rate a fraction with a percent format
        (``0.7359`` shown as ``73.59%``), an undefined rate an empty cell. See
        :func:`learnsoc.io.writers.write_xlsx`. With ``locale="vi"`` the sheet
        (``tổng hợp``) and the headings are in words (``Số Gia đình học tập``; a rate's
        says what it is a rate of), each heading's comment giving the column's id; the
        columns and values are those of :meth:`to_columns` in every language.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> from openpyxl import load_workbook
        >>> h = ls.Hierarchy.from_units({"code": ["02"], "level": ["province"],
        ...     "parent_code": [None]}, levels=["province"])
        >>> roll = ls.rollup_counts({"unit_code": ["02"], "families": [187624],
        ...     "learning_families": [138068]}, h)
        >>> ws = load_workbook(roll.to_excel(pathlib.Path(tempfile.mkdtemp()) / "r.xlsx"))["rollup"]
        >>> [c.value for c in ws[1]][:6]
        ['level', 'code', 'name', 'parent_code', 'families', 'learning_families']
        >>> ws["E2"].value, ws["E2"].number_format
        (187624, '#,##0')
        >>> book = load_workbook(roll.to_excel(pathlib.Path(tempfile.mkdtemp()) / "r.xlsx",
        ...                                    locale="vi"))
        >>> [(c.value, c.comment.text) for c in book["tổng hợp"][1]][4]
        ('Số gia đình', 'families')
        """
        # By name: importing learnsoc.io here makes a cycle through the package that
        # mypy resolves wrongly (it then takes ``ls.progress`` for a module).
        writers = importlib.import_module("learnsoc.io.writers")
        with use_locale(normalize_locale(locale)):  # the total row's name, in the locale
            cols = self.to_columns()
        out: Path = writers.write_xlsx(cols, path, **self.excel_options(cols, locale))
        return out

    def excel_options(self, columns: Iterable[str], locale: str | None = None) -> dict[str, Any]:
        """Return the sheet, formats and headings of the rollup's workbook.

        ``columns`` are those written (:meth:`to_columns`' names); what goes to
        :func:`learnsoc.io.writers.write_xlsx` besides them. Rates are fractions with
        a percent format; headings are in the locale.

        Examples
        --------
        >>> h = ls.Hierarchy.from_units({"code": ["02"], "level": ["province"],
        ...     "parent_code": [None]}, levels=["province"])
        >>> roll = ls.rollup_counts({"unit_code": ["02"], "families": [10],
        ...     "learning_families": [7]}, h, rates={"share": ("learning_families", "families")})
        >>> options = roll.excel_options(roll.to_columns(), "vi")
        >>> options["sheet"], options["formats"], options["headings"]["share"]
        ('tổng hợp', {'share': '0.00%'}, 'tỷ lệ: Số Gia đình học tập / Số gia đình')
        """
        rates = {
            column: self.rate_definitions[name] for name, column in self.rate_columns().items()
        }
        return {
            "sheet": sheet_name("rollup", locale),
            "formats": dict.fromkeys(rates, "0.00%"),  # rates are fractions
            "headings": rollup_headings(columns, rates, locale),
        }

    def to_pandas(self) -> Any:
        """Return :meth:`to_columns` as a pandas DataFrame (needs pandas)."""
        try:
            import pandas as pd
        except ImportError:
            from learnsoc.errors import OptionalDependencyError

            raise OptionalDependencyError("pandas", "pandas", N_("Rollup.to_pandas()")) from None
        return pd.DataFrame(self.to_columns())

    def to_polars(self) -> Any:
        """Return :meth:`to_columns` as a polars DataFrame (extra ``polars``)."""
        from learnsoc._frames import to_frame

        return to_frame(self.to_columns(), "polars", "Rollup.to_polars()")

    def to_arrow(self) -> Any:
        """Return :meth:`to_columns` as a pyarrow Table (extra ``parquet``)."""
        from learnsoc._frames import to_frame

        return to_frame(self.to_columns(), "arrow", "Rollup.to_arrow()")

    def __repr__(self) -> str:
        # Words and digits in the default locale; the measures as its tables head them (ids
        # in English, words in Vietnamese); rate names are the user's own.
        loc = get_locale()
        rows = self.levels()
        per_level = self.hierarchy.units_text(
            ((TOTAL, gettext(TOTAL, loc), int((rows == TOTAL).sum())),)
        )
        measures = [measure_label(m, loc) for m in self.counts]
        rates = list(self.rate_definitions)
        n_measures = count_words("{n} measure", "{n} measures", len(measures))
        n_rates = count_words("{n} rate", "{n} rates", len(rates))
        # Rows rejected are not in the counts: said where a notebook user looks.
        n_rejected = self._rejected_rows()
        rejected = f"; {rejected_text(n_rejected)}" if n_rejected else ""
        return (
            f"Rollup({per_level}; {_some(n_measures, measures)}; {_some(n_rates, rates)}{rejected})"
        )

    def _rejected_rows(self) -> int:
        return 0 if self.rejects is None else self.rejects.n_rejected_rows()

    def _repr_html_(self, max_rows: int = 30, locale: str | None = None) -> str:
        return self.to_html(locale, max_rows=max_rows)

    def to_html(self, locale: str | None = None, *, max_rows: int = 30) -> str:
        """Return the first ``max_rows`` rows as an HTML table, in the locale.

        Vietnamese heads the measures in words (the id in the heading's tooltip),
        English by their ids; a rate's heading says what it is a rate of. ``None`` is
        the default locale (:func:`learnsoc.set_locale`), which a notebook's display uses.

        Examples
        --------
        >>> h = ls.Hierarchy.from_units({"code": ["02"], "level": ["province"],
        ...     "parent_code": [None]}, levels=["province"])
        >>> roll = rollup_counts({"unit_code": ["02"], "families": [1250],
        ...     "learning_families": [875]}, h, rates={"share": ("learning_families", "families")})
        >>> page = roll.to_html("vi")
        >>> "Số Gia đình học tập" in page, "70,0% (875 / 1.250 gia đình)" in page
        (True, True)
        """
        locale = normalize_locale(locale)
        # The whole table in the locale: the total row's name is the default locale's.
        return render_in(locale, lambda: self._html(max_rows, locale))

    def _html(self, max_rows: int, locale: str) -> str:
        levels, codes, names = self.levels(), self.codes(), self.names()
        depth = {lv: i for i, lv in enumerate(self.hierarchy.levels)}
        # Measures by their words in Vietnamese (the id a user types stays in the tooltip),
        # by their ids in English; a Vietnamese table carries no English identifiers.
        measures = [(measure_label(m, locale), m) for m in self.counts]
        # A rate's heading says what it is a rate of, in both languages.
        rate_columns = self.rate_columns()
        rate_heads = rollup_headings(
            rate_columns.values(),
            {c: self.rate_definitions[n] for n, c in rate_columns.items()},
            locale,
        )
        head = [
            (gettext("level", locale), ""),
            (gettext("unit code", locale), ""),
            (gettext("name", locale), ""),
            *measures,
            *((rate_heads[c], c) for c in rate_columns.values()),
        ]
        rates = {n: self.rate(n) for n in self.rate_definitions}
        # Each cell names what it counts ("24 / 35 families", as the reports write it):
        # a cell copied away from its heading still says what it is a rate of.
        denominators = {n: parts[1] for n, parts in self.rate_definitions.items()}
        body = []
        show = list(range(min(len(self), max_rows)))
        for i in show:
            level = str(levels[i])
            pad = "&nbsp;" * 2 * depth.get(level, 0)
            shown = (
                gettext("total", locale)
                if level == TOTAL
                else self.hierarchy.level_label(level, locale)
            )
            cells = [
                html.escape(shown),
                html.escape(str(codes[i])),
                pad + html.escape(str(names[i])),
            ]
            cells += [html.escape(format_integer(int(v[i]), locale)) for v in self.counts.values()]
            for name, r in rates.items():
                # An undefined rate says why, in the results table's words: nobody was
                # eligible (0 / 0), or nobody eligible had a value.
                text = (
                    format_percent(float(r.value()[i]), 1, locale)
                    if r.status[i] == RateStatus.OK
                    else gettext(_UNDEFINED[RateStatus(int(r.status[i]))], locale)
                )
                den = int(r.denominator[i])
                counts = counted_measure(
                    f"{format_integer(int(r.numerator[i]), locale)}"
                    f" / {format_integer(den, locale)}",
                    denominators[name],
                    den,
                    locale,
                )
                if r.missing[i]:
                    # The denominator is of those with data: say whom it leaves out.
                    counts += f", {excluding_unknown(int(r.missing[i]), locale)}"
                cells.append(html.escape(f"{text} ({counts})"))
            body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        hidden = len(self) - len(show)
        # The words of the reports' own "{n} more rows", in the reader's language.
        words = ngettext("{n} more row", "{n} more rows", hidden, locale)
        more = (
            f"<p>{html.escape(words.format(n=format_integer(hidden, locale)))}</p>"
            if hidden
            else ""
        )
        n = self._rejected_rows()
        if n:
            said = ngettext(
                "{n} rejected row, not in these counts: see .rejects",
                "{n} rejected rows, not in these counts: see .rejects",
                n,
                locale,
            )
            more += f"<p>{html.escape(said.format(n=format_integer(n, locale)))}</p>"
        header = "".join(
            f'<th title="{html.escape(tip)}">{html.escape(h)}</th>'
            if tip and tip != h
            else f"<th>{html.escape(h)}</th>"
            for h, tip in head
        )
        return (
            f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(body)}</tbody></table>{more}"
        )


#: Why a rollup's rate has no value, as the results table's statuses say it.
_UNDEFINED = {RateStatus.EMPTY: N_("nobody to count"), RateStatus.MISSING: N_("no value recorded")}

#: How many measure or rate names a rollup's ``repr`` lists: the standard measures are
#: over sixty, and one line in a notebook should stay one line.
_REPR_NAMES = 6


def _some(counted: str, names: list[str]) -> str:
    """Return ``"3 measures: a, b, c"``, the first names only when there are many.

    ``counted`` is the number and its noun (``"3 measures"``), in the default locale.
    """
    if not names:
        return counted
    listed = ", ".join(names[:_REPR_NAMES])
    if len(names) > _REPR_NAMES:
        listed += repr_words(", ... ({n} more)", n=len(names) - _REPR_NAMES)
    return f"{counted}: {listed}"


def rollup(
    pop: Population,
    measures: Mapping[str, Measure],
    *,
    rates: RateDefs | None = None,
    by: By | None = None,
) -> Rollup:
    """Count measures of a population at every level of its hierarchy, in one table.

    Parameters
    ----------
    pop : Population
        The population.
    measures : mapping of name to measure
        ``"person"`` (count persons), ``("person", mask)``, ``Count(entity, where)`` or
        ``Sum(entity, values, where)``; the entity is ``person``, ``household``,
        ``clan``, ``organisation`` or a level of the hierarchy.
    rates : mapping of name to (numerator, denominator[, missing]), optional
        Rates over the measures, computed from the summed counts at every level. The
        denominator measure counts every eligible member, ``missing`` those of them
        without data; the rate is ``numerator / (denominator - missing)``.
    by : str or sequence of str, optional
        Break the person measures down by a coded person column (``"sex"``, or any
        integer person column): the rollup then holds, beside the total, one rollup per
        group (:meth:`Rollup.part`) with the person measures counted over the group's
        members, and the rates whose measures are both person measures. Measures of
        other entities (households, clans) are not broken down.

    Returns
    -------
    Rollup

    Examples
    --------
    >>> pop = ls.synthetic_population(persons=4_000, seed=5)
    >>> roll = rollup(pop, {"households": "household", "clans": "clan"})
    >>> int(roll.level("total").counts["households"][0]) == pop.n_households
    True
    >>> by_sex = rollup(pop, {"persons": "person", "households": "household"}, by="sex")
    >>> [g.label("vi") for g in by_sex.groups()], list(by_sex.part("female").counts)[:1]
    (['nam', 'nữ'], ['persons'])
    """
    check_argument(pop, "pop", Population, A_POPULATION)
    counted = measures if isinstance(measures, Measures) else None
    whole = Rollup.from_partial(
        rollup_partial(pop, measures),
        pop.hierarchy,
        rates=rates,
        absent_columns=None if counted is None else counted.absent,
        not_in_force=None if counted is None else counted.not_in_force,
        partial_members={} if counted is None else counted.partial_members,
    )
    if len(pop.rejects.read):
        # The rows behind the counts: a results table of them says those left out.
        whole = attrs.evolve(whole, rejects=pop.rejects)
    if by is None:
        return whole
    specs = {name: as_measure(name, spec) for name, spec in measures.items()}
    person = {name: m for name, m in specs.items() if m.entity == "person"}
    if not person:
        msg = Message(
            N_("by={by!r}: no person measure to break down (measures: {measures})"),
            by=by,
            measures=", ".join(specs),
        )
        raise AggregateError(str(msg), argument="by").translatable(msg)
    part_rates = {
        name: parts for name, parts in (rates or {}).items() if all(p in person for p in parts)
    }
    out = []
    for group in population_groups(pop, by):
        members = pop.column("person", group.column) == group.value
        restricted = {name: _restrict(m, members, pop) for name, m in person.items()}
        partial = rollup_partial(pop, restricted)
        out.append((group, Rollup.from_partial(partial, pop.hierarchy, rates=part_rates)))
    return attrs.evolve(whole, parts=tuple(out))


def _restrict(m: Count | Sum, members: NDArray[np.bool_], pop: Population) -> Count | Sum:
    """Restrict a measure to the group's members (``where`` and the group both true)."""
    where = _resolve(m.where, pop)
    mask = members if where is None else np.asarray(where, dtype=bool) & members
    if isinstance(m, Count):
        return Count(m.entity, mask)
    return Sum(m.entity, m.values, mask)


#: A count is a whole number from 0 to :data:`~learnsoc.limits.MAX_COUNT`: larger ones would
#: wrap around when summed up the tree.
_COUNT_SPEC = ColumnSpec("count", "int", "count", "int64", 0, MAX_COUNT, required=True)


def rollup_counts(
    table: Any,
    hierarchy: Hierarchy,
    *,
    level: str | None = None,
    rates: RateDefs | None = None,
    strict: bool = False,
    by: By | None = None,
    date1904: bool = False,
) -> Rollup:
    """Roll up per-unit counts (the tables communes send) after checking every row.

    Parameters
    ----------
    table : mapping of str to array, or a pandas / polars / Arrow table
        ``unit_code`` and one column per count (``families``, ``learning_families``
        ...). A ``unit_name`` column, if present, is ignored.
    hierarchy : Hierarchy
        The tree the units belong to.
    level : str, optional
        The level of the units in the table; by default the level of most known codes.
    rates : mapping of name to (numerator, denominator[, missing]), optional
        Rates to compute. The denominator measure counts every eligible member, those
        whose value is unknown (``missing``) included, and the rate is of those with
        data: ``numerator / (denominator - missing)`` (:meth:`Rollup.rate`). In no row
        may a numerator exceed its denominator less the members whose value is unknown,
        nor these the denominator.
    strict : bool
        Raise :class:`~learnsoc.errors.DataError` if any row is rejected.
    by : str, sequence of str, or mapping of column to group names, optional
        A breakdown given as columns ``<measure>_<group>`` beside the totals: with
        ``by="sex"``, ``learning_citizens_female`` and ``persons_female`` are the women
        among ``learning_citizens`` and ``persons`` ("trong đó nữ"); groups of other
        columns are named (``by={"ethnicity": ["kinh", "other"]}``). Each group becomes a
        :meth:`Rollup.part` with the measures it has columns for. A part larger than its
        total, or parts of one column adding up to more than it, reject the row.
    date1904 : bool
        The table was read from a workbook kept in Excel's 1904 date system (the
        :attr:`~learnsoc.io.table.RawTable.date1904` of the table
        :func:`~learnsoc.io.read_counts` returns): a count typed into a cell formatted
        as Date is named by the number it holds in that system.

    Returns
    -------
    Rollup
        With the rejects, and the measures ``units_reporting`` (units of the table's level
        with an accepted row, per subtree) and ``units_expected`` (all units of that level
        in the subtree): a unit whose row was rejected, or that has no row, did not report
        (:meth:`Rollup.completeness`, :meth:`Rollup.not_reporting`).

    A table of the lowest level's units with ``learning_communities`` and no
    ``communities`` counts one community per row (a village is one village community), so
    that the share of learning communities is a rate there; such a row above 1 is refused.

    Rows rejected (reasons in :data:`learnsoc.rejects.REASONS`): unknown unit codes, units
    at another level, a unit listed twice (every copy), counts missing, not whole numbers
    or negative, a numerator larger than its denominator; read back from a rollup's table,
    a row less than its units' rows (``sum_mismatch``) and a row above a rejected one
    (``rejected_unit_row``: its own part cannot be told; see :attr:`Rollup.own_not_read`).
    A reject's row is the index of the row in the table given, counted from 0 (row 0 is
    ``table["unit_code"][0]``; of a data frame, ``df.iloc[0]``), and its message says so
    (``counts row 0 (counted from 0)``); the command line, reading a counts file, names
    the file's line instead.

    Examples
    --------
    >>> h = ls.Hierarchy.from_units({"code": ["20"], "name": ["Hà Giang"], "level": ["province"],
    ...     "parent_code": [None]}, levels=["province"])
    >>> rates = {"learning_families": ("learning_families", "families")}
    >>> roll = rollup_counts({"unit_code": ["20"], "families": [187624],
    ...     "learning_families": [138068]}, h, rates=rates)
    >>> share = roll.level("total").rate("learning_families").value()[0]
    >>> print(format_percent(float(share), locale="vi"))
    73,59%
    """
    check_argument(hierarchy, "hierarchy", Hierarchy, A_HIERARCHY)
    cols = as_columns(table, "counts")
    rolled = None
    if is_rollup_layout(cols):
        # A rollup learnsoc wrote: each row adds its own part, not its units' rows again
        # (learnsoc.aggregate.rolled).
        rolled = read_rollup_layout(cols, hierarchy)
        cols = rolled.columns
    if "unit_code" not in cols:
        raise SchemaError(
            "counts", "unit_code", N_("required column is missing"), choices=list(cols)
        )
    n = len(cols["unit_code"])
    for name, arr in cols.items():
        if len(arr) != n:
            problem = Message(N_("has {n} rows, unit_code has {expected}"), n=len(arr), expected=n)
            raise SchemaError("counts", name, str(problem)).translatable(problem)
    count_names = [c for c in cols if c not in ("unit_code", "unit_name")]
    if not count_names:
        raise SchemaError("counts", None, N_("has no count columns besides unit_code"))
    for c in count_names:
        if not c.isidentifier():
            raise SchemaError("counts", c, N_("count column names must be identifiers"))
        if c in RESERVED:
            raise SchemaError("counts", c, N_("is reserved for the completeness the rollup counts"))
    part_of = _part_columns(groups_of(by) if by is not None else [], count_names, by)
    bad = np.zeros(n, bool)
    batches: list[RejectBatch] = []

    def reject(
        mask: NDArray[np.bool_], column: str, reason: str, values: NDArray[Any], expected: str = ""
    ) -> None:
        rows = np.flatnonzero(mask)
        if len(rows):
            batches.append(RejectBatch("counts", column, reason, rows, values[rows], expected))
            bad[rows] = True

    if rolled is None:
        # Codes a spreadsheet stored as numbers (37 for 00037) name their unit when exactly
        # one unit of the level (or, without ``level``, of any level) fits them, as
        # households' do.
        given = None if level is None else [hierarchy.level_number(level)]
        codes, missing, lev, local = locate_units(cols["unit_code"], hierarchy, "counts", given)
        codes = np.asarray(codes).astype(str, copy=False)
        reject(missing, "unit_code", "missing_value", codes)
        # #N/A where a formula looked up the code: said so, not as an unknown unit.
        failed = np.zeros(n, bool)
        failed[excel_error_rows(codes)] = True
        reject(failed, "unit_code", "excel_error", codes)
        # A workbook's number of 16 digits or more (read_counts keeps its mark): its digits
        # after the 15th were saved as 0, as in the population's id columns.
        lost = np.zeros(n, bool)
        lost[long_number_rows(cols["unit_code"])] = True
        reject(lost & ~failed, "unit_code", "digits_lost", codes)
        failed |= lost
        # A unit written by its name (Xã Thanh Sơn) is that unit when one unit has the
        # name, with a warning; a name two units share is refused, naming them.
        not_found = (lev < 0) & ~missing & ~failed
        lev, local, shared = place_by_name(
            codes,
            not_found,
            lev,
            local,
            hierarchy,
            "counts",
            given,
            lambda rows, units: reject(
                np.isin(np.arange(n), rows), "unit_code", "ambiguous_unit", codes, units
            ),
        )
        # Named rows hold their unit's code, so that a unit written once by its code and
        # once by its name is a duplicate.
        named = not_found & (lev >= 0)
        written = codes  # rejects show the cell as the file writes it
        if named.any():
            placed = hierarchy.codes[hierarchy.starts[lev[named]] + local[named]]
            codes = codes.astype(np.result_type(codes.dtype, placed.dtype))
            codes[named] = placed
        reject(not_found & (lev < 0) & ~shared, "unit_code", "unknown_unit", codes)
        # Districts' counts (024) on a tree without districts: said, not only "unknown".
        warn_district_codes("counts", codes, not_found & (lev < 0) & ~shared, hierarchy)
        if level is None:
            known = lev[lev >= 0]
            k = int(np.bincount(known).argmax()) if len(known) else hierarchy.n_levels - 1
        else:
            k = hierarchy.level_number(level)
        reject((lev >= 0) & (lev != k), "unit_code", "wrong_level", written, hierarchy.levels[k])
        dup = IdIndex(codes).duplicated() & ~missing & ~failed
        reject(dup, "unit_code", "duplicate_id", written)
    else:
        # Every row of a rollup names its unit at its own level (the total row none).
        rolled = rolled.placed(hierarchy, reject)
        k = hierarchy.level_number(rolled.level)
    values: dict[str, NDArray[np.int64]] = {}
    n_dashes = 0
    # Columns of a breakdown stay (their totals and parts are checked together).
    in_parts = set(part_of) | {base for base, _ in part_of.values()}
    blank: list[str] = []
    for c in count_names:
        spec = attrs.evolve(_COUNT_SPEC, name=c)
        cells = np.asarray(cols[c])
        # A lone dash is a statistical form's "none": read as 0 and counted, said with
        # the rows read (a blank cell is no answer: missing_value).
        dashed = dash_cells(cells)
        if dashed.any():
            n_dashes += int(dashed.sum())
            cells = np.where(dashed, "0", cells)
        stored, found = convert_column(cells, spec, "counts", date1904=date1904)
        if rolled is None and c not in in_parts and _blank_everywhere(found, n):
            blank.append(c)
            continue
        for b in found:
            batches.append(attrs.evolve(b, table="counts"))
            bad[b.rows] = True
        values[c] = stored
    if blank:
        count_names = [c for c in count_names if c not in blank]
        if not count_names:
            raise SchemaError(
                "counts", None, N_("every count column is blank in every row: no counts to read")
            )
        rates = {name: p for name, p in (rates or {}).items() if not set(p) & set(blank)}
        msg = Message(BLANK_COUNTS, columns=", ".join(blank))
        warning = BlankCountsWarning(str(msg)).translatable(msg)
        warning.columns = tuple(blank)
        warnings.warn(warning, stacklevel=2)
    if (
        rolled is None
        and k == hierarchy.n_levels - 1
        and "learning_communities" in values
        and "communities" not in values
    ):
        # A row of the lowest level is one village community: its learning_communities is
        # 0 or 1 (an "x" the mapping reads as 1), a rate over one community, not a count
        # that needs a communities column to mean something.
        values["communities"] = np.ones(n, np.int64)
        count_names.append("communities")
        rates = {**(rates or {}), "learning_communities": ("learning_communities", "communities")}
    bases = [c for c in count_names if c not in part_of]
    checked = Rollup(hierarchy, np.zeros(0, np.int64), {c: np.zeros(0, np.int64) for c in bases})
    for name, parts in (rates or {}).items():
        checked.with_rates({name: parts})  # validates the names
        num, den = values[parts[0]], values[parts[1]]
        of = parts[1]
        if len(parts) == 3:
            # Members whose value is unknown leave the denominator (as a rate reads it):
            # more of them than members, or a numerator above the rest, is the row's fault.
            unknown = values[parts[2]]
            over = ~bad & (unknown > den)
            reject(over, parts[2], "part_exceeds_total", unknown.astype(str), parts[1])
            den, of = den - unknown, f"{parts[1]} - {parts[2]}"
        over = ~bad & (num > den)
        reject(over, parts[0], "numerator_exceeds_denominator", num.astype(str), of)
    by_group: dict[Group, dict[str, str]] = {}
    for column, (base, group) in part_of.items():
        by_group.setdefault(group, {})[base] = column
        over = ~bad & (values[column] > values[base])
        reject(over, column, "part_exceeds_total", values[column].astype(str), base)
    for base in dict.fromkeys(b for b, _ in part_of.values()):
        for col in dict.fromkeys(g.column for b, g in part_of.values() if b == base):
            together = [c for c, (b, g) in part_of.items() if b == base and g.column == col]
            added = np.sum([values[c] for c in together], axis=0)
            over = ~bad & (added > values[base])
            reject(over, together[-1], "part_exceeds_total", added.astype(str), base)
    for columns in by_group.values():
        for parts in (rates or {}).values():
            if parts[0] in columns and parts[1] in columns:
                num, den = values[columns[parts[0]]], values[columns[parts[1]]]
                over = ~bad & (num > den)
                shown = num.astype(str)
                reject(
                    over,
                    columns[parts[0]],
                    "numerator_exceeds_denominator",
                    shown,
                    columns[parts[1]],
                )
    n_slots = len(hierarchy) + 1
    own_not_read: tuple[str, ...] = ()
    if rolled is None:
        keep = ~bad
        slot = (hierarchy.starts[k] + local[keep]).astype(np.int64)
        adds = {c: values[c][keep] for c in count_names}
        reports: Any = 1
    else:
        # Its completeness is that of the rows of the units that report, as they say it
        # (a row rejected below is a unit not reporting now, not a row changed above).
        placed = rolled.slot >= 0
        said = np.zeros(n_slots, np.int64)
        np.add.at(said, rolled.slot[placed], rolled.reports[placed])
        told = Partial(n_groups=n_slots, sums={REPORTING: said})
        whole_said = Rollup.from_partial(told, hierarchy, reporting_level=hierarchy.levels[k])
        completeness_mismatch(rolled, whole_said.counts, reject)
        # A rollup's row adds its own part only: its units' rows are in it already.
        number = {lv: i for i, lv in enumerate(hierarchy.levels)}
        depth = np.array([number.get(v, -1) for v in rolled.levels.tolist()], np.int64)
        own, below, less, above = own_counts(rolled, values, bad, n_slots, depth)
        for c in count_names:
            shown = np.asarray(cols[c]).astype(str)
            for total in np.unique(below[c][less[c]]).tolist():  # one sum per batch
                reject(less[c] & (below[c] == total), c, "sum_mismatch", shown, str(total))
        # A row above a rejected one: its own part cannot be told, so it is not read
        # (said, not dropped); its units' accepted rows still count.
        under = np.where(above >= 0, rolled.codes[np.maximum(above, 0)], "")
        reject((above >= 0) & ~bad & (rolled.levels != TOTAL), "code", "rejected_unit_row", under)
        # Units above the level that reports whose own part is not read: their totals,
        # and those above them, lack it, which the completeness does not say.
        lost = bad & (rolled.slot >= 0) & (depth >= 0) & (depth < k)
        own_not_read = tuple(dict.fromkeys(rolled.codes[lost].tolist()))
        keep = ~bad & (rolled.slot >= 0)
        slot = rolled.slot[keep]
        adds = {c: own[c][keep] for c in count_names}
        # A unit whose row says it did not report (units_reporting 0) still has not.
        reports = rolled.reports[keep]
    sums = {}
    for c in count_names:
        arr = np.zeros(n_slots, np.int64)
        np.add.at(arr, slot, adds[c])
        sums[c] = arr
    reporting = np.zeros(n_slots, np.int64)
    np.add.at(reporting, slot, reports)
    level_name = hierarchy.levels[k]

    def finish(names: Mapping[str, str], part_rates: RateDefs, found: Rejects | None) -> Rollup:
        partial = Partial(
            n_groups=n_slots, sums={**{m: sums[c] for m, c in names.items()}, REPORTING: reporting}
        )
        return Rollup.from_partial(
            partial, hierarchy, rates=part_rates, rejects=found, reporting_level=level_name
        )

    whole = finish({c: c for c in bases}, rates or {}, None)
    broken: list[tuple[Group, Rollup]] = []
    for group, columns in by_group.items():
        part_rates = {name: p for name, p in (rates or {}).items() if all(m in columns for m in p)}
        broken.append((group, finish(columns, part_rates, None)))
    whole = attrs.evolve(whole, parts=tuple(broken))
    rejects = Rejects(
        tuple(batches), {"counts": n}, dashes={"counts": n_dashes} if n_dashes else {}
    )
    if strict:
        raise_if_rejected(rejects, "counts")
    return attrs.evolve(whole, rejects=rejects, own_not_read=own_not_read)


def _blank_everywhere(found: Iterable[RejectBatch], n: int) -> bool:
    """Whether a column's conversion found every one of its n cells blank."""
    return n > 0 and any(b.reason == "missing_value" and len(b.rows) == n for b in found)


def _part_columns(
    groups: list[Group], count_names: list[str], by: Any
) -> dict[str, tuple[str, Group]]:
    """Map each breakdown column (``persons_female``) to its total and group."""
    out: dict[str, tuple[str, Group]] = {}
    for group in groups:
        suffix = f"_{group.name}"
        for c in count_names:
            if c.endswith(suffix) and c[: -len(suffix)] in count_names:
                out[c] = (c[: -len(suffix)], group)
    if groups and not out:
        example = f"{count_names[0]}_{groups[-1].name}" if count_names else "persons_female"
        problem = Message(
            N_("by={by!r}: no breakdown columns (a count column and its part, e.g. {example})"),
            by=by,
            example=example,
        )
        raise SchemaError("counts", None, str(problem)).translatable(problem)
    return out
