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

import html
import importlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeAlias

import attrs
import numpy as np
from numpy.typing import ArrayLike, NDArray

from learnsoc._arrays import ARRAY_EQ, COLUMNS_EQ, readonly
from learnsoc._tables import as_columns
from learnsoc.aggregate.groups import AggregateError, Groups
from learnsoc.aggregate.kernels import group_counts, group_sum
from learnsoc.aggregate.partials import Partial
from learnsoc.aggregate.rate import Rate, RateStatus
from learnsoc.errors import DataError, SchemaError, did_you_mean
from learnsoc.i18n import N_, format_integer, format_percent, gettext
from learnsoc.model.ids import IdIndex, normalize_ids
from learnsoc.model.schema import ColumnSpec, convert_column
from learnsoc.rejects import RejectBatch, Rejects

if TYPE_CHECKING:
    import os
    from pathlib import Path

    from learnsoc.model.hierarchy import Hierarchy
    from learnsoc.model.population import Population

__all__ = ["Count", "Rollup", "Sum", "rollup", "rollup_counts", "rollup_partial"]

TOTAL = "total"
ENTITIES = ("person", "household", "clan", "organisation")

MaskLike: TypeAlias = "ArrayLike | Callable[[Population], ArrayLike] | None"


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
    """

    entity: str
    values: Any
    where: Any = None


Measure: TypeAlias = "Count | Sum | str | tuple[str, Any]"


def _as_measure(name: str, spec: Any) -> Count | Sum:
    if isinstance(spec, Count | Sum):
        return spec
    if isinstance(spec, str):
        return Count(spec)
    if isinstance(spec, tuple) and len(spec) == 2 and isinstance(spec[0], str):
        return Count(spec[0], spec[1])
    msg = (
        f"measure {name!r} must be an entity name, (entity, mask), Count(...) or Sum(...), "
        f"got {type(spec).__name__}"
    )
    raise AggregateError(msg, argument="measures")


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
    """
    h = pop.hierarchy
    n_slots = len(h) + 1
    specs = {name: _as_measure(name, spec) for name, spec in measures.items()}
    valid = set(ENTITIES) | set(h.levels)
    cache: dict[str, tuple[Groups, int]] = {}
    sums: dict[str, NDArray[Any]] = {}
    counts_by_entity: dict[str, list[tuple[str, NDArray[np.bool_]]]] = {}
    for name, m in specs.items():
        if m.entity not in valid:
            msg = f"measure {name!r}: unknown entity {m.entity!r}{did_you_mean(m.entity, valid)}"
            raise AggregateError(msg, argument="measures")
        n = _n_rows(pop, m.entity)
        where = _resolve(m.where, pop)
        mask = np.ones(n, bool) if where is None else np.asarray(where)
        if mask.shape != (n,) or mask.dtype != np.bool_:
            msg = (
                f"measure {name!r}: the mask must be {n} booleans (one per {m.entity}), "
                f"got {mask.dtype} {mask.shape}"
            )
            raise AggregateError(msg, argument="measures")
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
    # Keep the caller's order of measures.
    return Partial(n_groups=n_slots, sums={name: sums[name] for name in specs})


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
        Each rate's numerator, denominator and (optionally) missing measure.
    rejects : Rejects or None
        Rows rejected by :func:`rollup_counts`.
    """

    hierarchy: Hierarchy = attrs.field(repr=False)
    rows: NDArray[np.int64] = attrs.field(eq=ARRAY_EQ, repr=False)
    counts: Mapping[str, NDArray[Any]] = attrs.field(eq=COLUMNS_EQ, repr=False)
    rate_definitions: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    rejects: Rejects | None = attrs.field(default=None, repr=False)

    @classmethod
    def from_partial(
        cls,
        partial: Partial,
        hierarchy: Hierarchy,
        *,
        rates: RateDefs | None = None,
        rejects: Rejects | None = None,
    ) -> Rollup:
        """Roll a per-unit partial up the hierarchy and add the total row."""
        n_units = len(hierarchy)
        if partial.n_groups != n_units + 1:
            msg = (
                f"the partial has {partial.n_groups} slots; a rollup over this hierarchy needs "
                f"{n_units + 1} (one per unit and one for rows without a unit)"
            )
            raise AggregateError(msg, argument="partial")
        level_of = np.repeat(np.arange(hierarchy.n_levels), np.diff(hierarchy.starts))
        counts: dict[str, NDArray[Any]] = {}
        for name, base in partial.sums.items():
            out = np.zeros(n_units + 1, base.dtype)
            for k in range(hierarchy.n_levels):
                # Every unit at level k or below adds its own count to its level-k ancestor.
                below = level_of >= k
                anc = hierarchy.ancestors[below, k].astype(np.int64) + int(hierarchy.starts[k])
                np.add.at(out, anc, base[:n_units][below])
            out[n_units] = base.sum()
            counts[name] = readonly(out)
        rows = np.append(np.arange(n_units, dtype=np.int64), -1)
        result = cls(hierarchy, readonly(rows), counts, {}, rejects)
        return result.with_rates(rates or {})

    def with_rates(self, rates: RateDefs) -> Rollup:
        """Return the rollup with more rates defined over its measures.

        Each rate is ``(numerator, denominator)`` or ``(numerator, denominator, missing)``.
        """
        defs = dict(self.rate_definitions)
        for name, parts in rates.items():
            if len(parts) not in (2, 3):
                msg = f"rate {name!r} needs (numerator, denominator[, missing]), got {parts!r}"
                raise AggregateError(msg, argument="rates")
            for part in parts:
                if part not in self.counts:
                    msg = f"rate {name!r}: no measure {part!r}{did_you_mean(part, self.counts)}"
                    raise AggregateError(msg, argument="rates")
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
        """Return the unit name of each row (the translated "total" for the total row)."""
        total = gettext(N_("total"))
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
        )

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
        for name in self.rate_definitions:
            r = row.rate(name)
            out[name] = float(r.value()[0])
        return out

    def rate(self, name: str) -> Rate:
        """Return a defined rate over the rows (numerator, denominator, missing, status).

        Raises
        ------
        AggregateError
            If no rate of that name is defined (with a suggestion).
        """
        try:
            parts = self.rate_definitions[name]
        except KeyError:
            msg = f"no rate {name!r}{did_you_mean(name, self.rate_definitions)}"
            raise AggregateError(msg, argument="name") from None
        num, den = self.counts[parts[0]], self.counts[parts[1]]
        missing = self.counts[parts[2]] if len(parts) == 3 else np.zeros(len(num), np.int64)
        return Rate(numerator=num, denominator=den, missing=missing)

    # -- output -------------------------------------------------------------------
    def to_columns(self) -> dict[str, NDArray[Any]]:
        """Return the rollup as a wide table: level, code, name, parent_code, measures, rates.

        Each rate gives ``<rate>`` (the value, NaN unless the status is ok) and
        ``<rate>_status`` (``ok``, ``empty`` or ``missing``).
        """
        out: dict[str, NDArray[Any]] = {
            "level": self.levels(),
            "code": self.codes(),
            "name": self.names(),
            "parent_code": self.parent_codes(),
        }
        out.update({k: np.asarray(v) for k, v in self.counts.items()})
        for name in self.rate_definitions:
            r = self.rate(name)
            out[name] = r.value()
            out[f"{name}_status"] = np.array([str(s).lower() for s in RateStatus])[r.status]
        return out

    def to_excel(self, path: str | os.PathLike[str]) -> Path:
        """Write :meth:`to_columns` as an Excel workbook (``.xlsx``; extra ``excel``).

        One sheet ``rollup`` with a bold, frozen header row; counts are numbers with a
        thousands separator (``#,##0``), each rate a fraction with a percent format
        (``0.7359`` shown as ``73.59%``), an undefined rate an empty cell. See
        :func:`learnsoc.io.writers.write_xlsx`.

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
        """
        # By name: importing learnsoc.io here makes a cycle through the package that
        # mypy resolves wrongly (it then takes ``ls.progress`` for a module).
        writers = importlib.import_module("learnsoc.io.writers")
        formats = dict.fromkeys(self.rate_definitions, "0.00%")  # rates are fractions
        out: Path = writers.write_xlsx(self.to_columns(), path, sheet="rollup", formats=formats)
        return out

    def to_pandas(self) -> Any:
        """Return :meth:`to_columns` as a pandas DataFrame (needs pandas)."""
        try:
            import pandas as pd
        except ImportError:
            from learnsoc.errors import OptionalDependencyError

            raise OptionalDependencyError("pandas", "dataframe", "Rollup.to_pandas()") from None
        return pd.DataFrame(self.to_columns())

    def __repr__(self) -> str:
        per_level = ", ".join(
            f"{int((self.levels() == lv).sum())} {lv}" for lv in [*self.hierarchy.levels, TOTAL]
        )
        measures, rates = list(self.counts), list(self.rate_definitions)
        return f"Rollup({per_level}; measures {measures}; rates {rates})"

    def _repr_html_(self, max_rows: int = 30, locale: str | None = None) -> str:
        levels, codes, names = self.levels(), self.codes(), self.names()
        depth = {lv: i for i, lv in enumerate(self.hierarchy.levels)}
        head = ["level", "code", "name", *self.counts, *self.rate_definitions]
        rates = {n: self.rate(n) for n in self.rate_definitions}
        body = []
        show = list(range(min(len(self), max_rows)))
        for i in show:
            pad = "&nbsp;" * 2 * depth.get(str(levels[i]), 0)
            cells = [
                html.escape(str(levels[i])),
                html.escape(str(codes[i])),
                pad + html.escape(str(names[i])),
            ]
            cells += [html.escape(format_integer(int(v[i]), locale)) for v in self.counts.values()]
            for r in rates.values():
                ok = r.status[i] == RateStatus.OK
                text = (
                    format_percent(float(r.value()[i]), 1, locale)
                    if ok
                    else gettext("no data", locale)
                )
                cells.append(html.escape(f"{text} ({int(r.numerator[i])}/{int(r.denominator[i])})"))
            body.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
        more = f"<p>{len(self) - len(show)} more rows</p>" if len(self) > len(show) else ""
        header = "".join(f"<th>{html.escape(h)}</th>" for h in head)
        return (
            f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(body)}</tbody></table>{more}"
        )


def rollup(
    pop: Population,
    measures: Mapping[str, Measure],
    *,
    rates: RateDefs | None = None,
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
        Rates over the measures, computed from the summed counts at every level.

    Returns
    -------
    Rollup

    Examples
    --------
    >>> pop = ls.synthetic_population(persons=4_000, seed=5)
    >>> roll = rollup(pop, {"households": "household", "clans": "clan"})
    >>> int(roll.level("total").counts["households"][0]) == pop.n_households
    True
    """
    return Rollup.from_partial(rollup_partial(pop, measures), pop.hierarchy, rates=rates)


_COUNT_SPEC = ColumnSpec("count", "int", "count", "int64", 0, None, required=True)


def rollup_counts(
    table: Any,
    hierarchy: Hierarchy,
    *,
    level: str | None = None,
    rates: RateDefs | None = None,
    strict: bool = False,
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
        Rates to compute; each numerator must not exceed its denominator in any row.
    strict : bool
        Raise :class:`~learnsoc.errors.DataError` if any row is rejected.

    Returns
    -------
    Rollup
        With a ``units_reporting`` measure (accepted rows per unit subtree) and the rejects.

    Rows rejected (reasons in :data:`learnsoc.rejects.REASONS`): unknown unit codes, units
    at another level, a unit listed twice (every copy), counts missing, not whole numbers
    or negative, a numerator larger than its denominator.

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
    cols = as_columns(table, "counts")
    if "unit_code" not in cols:
        raise SchemaError("counts", "unit_code", "required column is missing", choices=list(cols))
    n = len(cols["unit_code"])
    for name, arr in cols.items():
        if len(arr) != n:
            raise SchemaError("counts", name, f"has {len(arr)} rows, unit_code has {n}")
    count_names = [c for c in cols if c not in ("unit_code", "unit_name")]
    if not count_names:
        raise SchemaError("counts", None, "has no count columns besides unit_code")
    for c in count_names:
        if not c.isidentifier():
            raise SchemaError("counts", c, "count column names must be identifiers")
    bad = np.zeros(n, bool)
    batches: list[RejectBatch] = []

    def reject(
        mask: NDArray[np.bool_], column: str, reason: str, values: NDArray[Any], expected: str = ""
    ) -> None:
        rows = np.flatnonzero(mask)
        if len(rows):
            batches.append(RejectBatch("counts", column, reason, rows, values[rows], expected))
            bad[rows] = True

    codes, missing = normalize_ids(cols["unit_code"])
    codes = codes.astype(str, copy=False)
    reject(missing, "unit_code", "missing_value", codes)
    lev, local = hierarchy.locate(codes)
    reject((lev < 0) & ~missing, "unit_code", "unknown_unit", codes)
    if level is None:
        known = lev[lev >= 0]
        k = int(np.bincount(known).argmax()) if len(known) else hierarchy.n_levels - 1
    else:
        k = hierarchy.level_number(level)
    reject((lev >= 0) & (lev != k), "unit_code", "wrong_level", codes, hierarchy.levels[k])
    dup = IdIndex(codes).duplicated() & ~missing
    reject(dup, "unit_code", "duplicate_id", codes)
    values: dict[str, NDArray[np.int64]] = {}
    for c in count_names:
        stored, found = convert_column(cols[c], attrs.evolve(_COUNT_SPEC, name=c), "counts")
        for b in found:
            batches.append(attrs.evolve(b, table="counts"))
            bad[b.rows] = True
        values[c] = stored
    checked = Rollup(
        hierarchy, np.zeros(0, np.int64), {c: np.zeros(0, np.int64) for c in count_names}
    )
    for name, parts in (rates or {}).items():
        checked.with_rates({name: parts})  # validates the names
        num, den = values[parts[0]], values[parts[1]]
        over = ~bad & (num > den)
        reject(over, parts[0], "numerator_exceeds_denominator", num.astype(str), f"{parts[1]}")
    rejects = Rejects(tuple(batches), {"counts": n})
    if strict and rejects:
        first = rejects.records("en")[0]
        msg = f"{len(rejects)} problem(s) in the counts; first: {first.message}"
        raise DataError(msg, rejects)
    keep = ~bad
    slot = (hierarchy.starts[k] + local[keep]).astype(np.int64)
    n_slots = len(hierarchy) + 1
    sums = {}
    for c in count_names:
        arr = np.zeros(n_slots, np.int64)
        np.add.at(arr, slot, values[c][keep])
        sums[c] = arr
    reporting = np.zeros(n_slots, np.int64)
    np.add.at(reporting, slot, 1)
    sums["units_reporting"] = reporting
    partial = Partial(n_groups=n_slots, sums=sums)
    return Rollup.from_partial(partial, hierarchy, rates=rates, rejects=rejects)
