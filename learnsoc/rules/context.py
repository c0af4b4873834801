"""The evaluation context over a population: columns, sizes and member groups per level.

Rule conditions are evaluated for every entity of a *level*: ``person``, ``household``,
``clan``, ``organisation``, or a level of the administrative hierarchy (``village``,
``commune`` ...). Aggregates run over a level's *collections*:

================== ===========================================================
level              collections
================== ===========================================================
person             none
household          ``members`` (its persons)
clan               ``households``, ``members`` (the persons of its households)
organisation       ``members`` (its persons)
hierarchy level    ``persons``, ``households``, ``clans``, ``organisations`` in
                   its subtree; each lower level by its plural (``villages``);
                   ``children`` (the level just below)
================== ===========================================================

:class:`PopulationContext` implements the compiler's
:class:`~learnsoc.rules.compiler.EvalContext` over a
:class:`~learnsoc.model.population.Population`. Persons are sorted by household and
households by village, and every level of the hierarchy is sorted by its parent, so
persons, households and lower units form sorted segments under any unit: those
collections need only offsets (no per-member codes, no copies). Clans, organisations and
organisation members are not in that order; they are read through a gather index, as a
separate *member level* named ``"<level>.<collection>"``, built once and cached.

Stored flags (0/1, 255 missing) read as true/false with a ``known`` mask; coded and
integer columns with a missing sentinel (255, 65535) read with a ``known`` mask; NaN in
a float column is missing.

Examples
--------
>>> import learnsoc as ls
>>> pop = ls.synthetic_population(persons=2_000, seed=1)
>>> ctx = PopulationContext(pop)
>>> ctx.size("person") == pop.n_persons
True
>>> values, known = ctx.column("person", "literate")
>>> values.dtype.name
'bool'
>>> ctx.groups("village", "households").n_members == pop.n_households
True
>>> sorted(collections("clan", pop.hierarchy.levels))
['households', 'members']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc._arrays import offsets_from_sorted
from learnsoc._messages import N_, Message
from learnsoc.aggregate.groups import Groups
from learnsoc.errors import SchemaError, did_you_mean
from learnsoc.i18n import gettext
from learnsoc.model.ids import IdIndex, align_id_kinds, normalize_ids
from learnsoc.model.population import Population
from learnsoc.model.schema import STANDARD_SCHEMA, ColumnSpec, Schema
from learnsoc.rules.types import BOOL, FLOAT, INT, ValueType

__all__ = [
    "DEFAULT_LEVELS",
    "ENTITY_LEVELS",
    "AlignedInput",
    "Collection",
    "PopulationContext",
    "align_mapping",
    "check_keys_found",
    "clean_input",
    "collections",
    "entity_ids",
    "find_input_keys",
    "input_key_ids",
    "level_rank",
    "plural",
    "standard_names",
]

#: The levels that are not part of the administrative hierarchy.
ENTITY_LEVELS: tuple[str, ...] = ("person", "household", "clan", "organisation")
#: The administrative levels a rulebook knows unless it says otherwise (top first): the
#: union of the trees before and after 2025.
DEFAULT_LEVELS: tuple[str, ...] = ("province", "district", "commune", "village")

Array = NDArray[Any]
Mask = NDArray[np.bool_]


def plural(level: str) -> str:
    """Return the collection name of a hierarchy level seen from above.

    Examples
    --------
    >>> plural("village"), plural("commune")
    ('villages', 'communes')
    """
    return f"{level}s"


@attrs.frozen
class Collection:
    """A collection of members visible from a level.

    Attributes
    ----------
    name : str
        Its name in conditions (``members``).
    member_level : str
        The level its members belong to (``person``).
    key : str
        The level name the compiler reads member columns from: ``member_level`` when
        the members are read in place, ``"<level>.<name>"`` when through a gather index.

    Examples
    --------
    >>> collections("household", ("province", "commune", "village"))["members"]
    Collection(name='members', member_level='person', key='person')
    >>> collections("commune", ("province", "commune", "village"))["clans"].key
    'commune.clans'
    """

    name: str
    member_level: str
    key: str


def collections(level: str, levels: Sequence[str]) -> dict[str, Collection]:
    """Return the collections visible from a level, given the hierarchy's levels.

    Parameters
    ----------
    level : str
        An entity level or one of ``levels``.
    levels : sequence of str
        The administrative levels, top first.

    Returns
    -------
    dict of str to Collection

    Raises
    ------
    SchemaError
        If the level is unknown.

    Examples
    --------
    >>> {k: c.member_level for k, c in collections("commune", DEFAULT_LEVELS).items()}
    ... # doctest: +NORMALIZE_WHITESPACE
    {'persons': 'person', 'households': 'household', 'clans': 'clan',
     'organisations': 'organisation', 'villages': 'village', 'children': 'village'}
    """
    if level == "person":
        return {}
    if level == "household":
        return {"members": Collection("members", "person", "person")}
    if level == "clan":
        return {
            "households": Collection("households", "household", "clan.households"),
            "members": Collection("members", "person", "clan.members"),
        }
    if level == "organisation":
        return {"members": Collection("members", "person", "organisation.members")}
    if level not in levels:
        known = (*ENTITY_LEVELS, *levels)
        msg = Message(
            N_("unknown level {level!r}{hint}"), level=level, hint=did_you_mean(level, known)
        )
        raise SchemaError("rulebook", None, str(msg)).translatable(msg)
    k = list(levels).index(level)
    out = {
        "persons": Collection("persons", "person", "person"),
        "households": Collection("households", "household", "household"),
        "clans": Collection("clans", "clan", f"{level}.clans"),
        "organisations": Collection("organisations", "organisation", f"{level}.organisations"),
    }
    for lower in levels[k + 1 :]:
        out[plural(lower)] = Collection(plural(lower), lower, lower)
    if k + 1 < len(levels):
        out["children"] = Collection("children", levels[k + 1], levels[k + 1])
    return out


def level_rank(level: str, levels: Sequence[str]) -> int:
    """Order levels bottom-up: persons first, then households, clans, organisations, units.

    Examples
    --------
    >>> [level_rank(lv, DEFAULT_LEVELS) for lv in ("person", "village", "province")]
    [0, 4, 7]
    """
    if level in ENTITY_LEVELS:
        return ENTITY_LEVELS.index(level)
    return len(ENTITY_LEVELS) + len(levels) - 1 - list(levels).index(level)


_ORDERED_CODES = frozenset({"Education", "Qualification"})


def _spec_type(spec: ColumnSpec) -> ValueType | None:
    if spec.kind == "bool":
        return BOOL
    if spec.kind == "int":
        return INT
    if spec.kind == "float":
        return FLOAT
    if spec.kind == "code" and spec.codes is not None:
        names: dict[str, int] = {}
        for member in spec.codes:
            names.setdefault(member.name.lower(), int(member))
            names.setdefault(gettext(member.label("en"), "vi"), int(member))
        ordered = spec.codes.__name__ in _ORDERED_CODES
        return ValueType("code", names, ordered=ordered)
    return None


def standard_names(level: str, schema: Schema = STANDARD_SCHEMA) -> dict[str, ValueType]:
    """Return the names and types a level's standard columns give conditions.

    Identifiers, references and text columns are not values of the rule language.

    Examples
    --------
    >>> names = standard_names("person")
    >>> names["age"].kind, names["literate"].kind, names["sex"].code_of("female")
    ('int', 'bool', 2)
    >>> names["qualification"].code_of("cao đẳng")
    3
    >>> standard_names("village")
    {}
    """
    if level not in ENTITY_LEVELS:
        return {}
    out: dict[str, ValueType] = {}
    for spec in schema.table(level).columns:
        value_type = _spec_type(spec)
        if value_type is not None:
            out[spec.name] = value_type
    return out


def entity_ids(pop: Population, level: str) -> Array:
    """Return the external ids of a level's entities: :meth:`Population.ids`, kept by this name.

    Examples
    --------
    >>> import learnsoc as ls
    >>> pop = ls.synthetic_population(persons=500, seed=2)
    >>> len(entity_ids(pop, "village")) == pop.hierarchy.n_units("village")
    True
    """
    return pop.ids(level)


def _stored(values: Array, spec: ColumnSpec | None) -> tuple[Array, Mask | None]:
    """Read a stored column: flags as bool, sentinels as unknown."""
    if spec is None:
        return values, None
    if spec.kind == "bool":
        if values.dtype == np.uint8:
            if values.size == 0 or int(values.max()) <= 1:
                # Stored 0/1 with nothing missing: the bytes are already booleans.
                return values.view(np.bool_), None
            return values == 1, values != 255
        return values == 1, None
    sentinel = spec.missing
    if sentinel is not None and values.dtype.kind in "iu" and not isinstance(sentinel, float):
        # One mask, the known cells, kept only when some cell is not (it was two: the
        # missing cells, then their inverse).
        known = values != sentinel
        if not bool(known.all()):
            return values, known
    return values, None


class PopulationContext:
    """The columns, sizes and member groups of a population, for the rules compiler.

    Parameters
    ----------
    pop : Population
        The population.
    inputs : mapping, optional
        Extra input columns ``{level: {name: values}}``: arrays in the level's order, or
        mappings from id (unit code for hierarchy levels) to value. ``None``/NaN are
        missing; in a ``uint8``/``uint16`` array 255/65535 are missing as in storage.
    types : mapping, optional
        ``{level: {name: ValueType}}`` for the inputs, to check and convert them
        (a ``code`` input must hold one of its codes).
    ranges : mapping, optional
        ``{level: {name: (low, high)}}``: inclusive ranges the inputs must respect.

    Notes
    -----
    Columns set with :meth:`store` (derived variables and titles) take precedence over
    inputs, and inputs over the population's own columns. Everything read is cached
    for the lifetime of the context, so many criteria share one conversion.

    Examples
    --------
    >>> pop = ls.synthetic_population(persons=500, seed=1)
    >>> context = PopulationContext(pop)
    >>> context.size("person"), context.size("household") == pop.n_households
    (500, True)
    """

    def __init__(
        self,
        pop: Population,
        inputs: Mapping[str, Mapping[str, Any]] | None = None,
        types: Mapping[str, Mapping[str, ValueType]] | None = None,
        ranges: Mapping[str, Mapping[str, tuple[float, float]]] | None = None,
    ) -> None:
        self.pop = pop
        self.hierarchy = pop.hierarchy
        self.levels: tuple[str, ...] = tuple(pop.hierarchy.levels)
        self._types = {lv: dict(t) for lv, t in (types or {}).items()}
        self._ranges = {lv: dict(r) for lv, r in (ranges or {}).items()}
        self._raw_inputs = {lv: dict(cols) for lv, cols in (inputs or {}).items()}
        for level in self._raw_inputs:
            self._check_level(level)
        self._store: dict[tuple[str, str], tuple[Array, Mask | None]] = {}
        self._cache: dict[tuple[str, str], tuple[Array, Mask | None]] = {}
        self._groups: dict[tuple[str, str], Groups] = {}
        self._gathers: dict[str, tuple[str, NDArray[np.signedinteger[Any]] | None]] = {}
        # The merged counts of aggregates whose members are not here (a dataset's upper
        # titles, see learnsoc.rules.split): (level, aggregate text) -> counts per unit.
        self.counted: Mapping[tuple[str, str], Mapping[str, NDArray[np.int64]]] = {}

    # -- levels -------------------------------------------------------------------------
    def _check_level(self, level: str) -> None:
        if level not in ENTITY_LEVELS and level not in self.levels:
            known = (*ENTITY_LEVELS, *self.levels)
            msg = Message(N_("no such level{hint}"), hint=did_you_mean(level, known))
            raise SchemaError(level, None, str(msg)).translatable(msg)

    def size(self, level: str) -> int:
        """Return the number of entities of a level (or members of a gathered collection)."""
        pop = self.pop
        sizes = {
            "person": pop.n_persons,
            "household": pop.n_households,
            "clan": pop.n_clans,
            "organisation": pop.n_organisations,
        }
        if level in sizes:
            return sizes[level]
        if level in self.levels:
            return self.hierarchy.n_units(level)
        base, index = self._gather(level)
        return self.size(base) if index is None else len(index)

    # -- columns ------------------------------------------------------------------------
    def store(self, level: str, name: str, values: Array, known: Mask | None = None) -> None:
        """Set a computed column (a derived variable or a title) of a level."""
        self._store[(level, name)] = (values, known)

    def has_column(self, level: str, name: str) -> bool:
        """Return whether a column can be read (stored, given as input, or in the data)."""
        if (level, name) in self._store or name in self._raw_inputs.get(level, {}):
            return True
        return level in ENTITY_LEVELS and name in self._population_columns(level)

    def _population_columns(self, level: str) -> Mapping[str, Array]:
        pop = self.pop
        table = {
            "person": pop.person_columns,
            "household": pop.household_columns,
            "clan": pop.clan_columns,
            "organisation": pop.organisation_columns,
        }
        return table.get(level, {})

    def column(self, level: str, name: str) -> tuple[Array, Mask | None]:
        """Return a column of a level and its known mask (``None``: all known)."""
        key = (level, name)
        hit = self._store.get(key) or self._cache.get(key)
        if hit is not None:
            return hit
        if level not in ENTITY_LEVELS and level not in self.levels:
            base, index = self._gather(level)
            values, known = self.column(base, name)
            if index is not None:
                values = values[index]
                known = None if known is None else known[index]
            out = (values, known)
        elif name in self._raw_inputs.get(level, {}):
            out = self._input(level, name)
        else:
            columns = self._population_columns(level)
            if name not in columns:
                msg = Message(
                    N_("no data for this column: give it in inputs= or as a population column")
                )
                raise SchemaError(level, name, str(msg)).translatable(msg)
            spec = self.pop.schema.table(level).column(name)
            out = _stored(columns[name], spec)
        self._cache[key] = out
        return out

    def _input(self, level: str, name: str) -> tuple[Array, Mask | None]:
        raw = self._raw_inputs[level][name]
        n = self.size(level)
        if isinstance(raw, AlignedInput):
            values, present = raw.values, raw.present
            if len(values) != n:  # pragma: no cover - the dataset runner builds them
                problem = f"aligned input of {len(values)} values for {n} entities"
                raise AssertionError(problem)
        elif isinstance(raw, Mapping):
            values, present = align_mapping(self.pop.ids(level), raw, level, name)
        else:
            arr = np.asarray(raw)
            if arr.ndim != 1 or arr.shape[0] != n:
                msg = Message(
                    N_("input has shape {shape}; expected ({n},), one value per {level}"),
                    shape=arr.shape,
                    n=n,
                    level=level,
                )
                raise SchemaError(level, name, str(msg)).translatable(msg)
            values, present = clean_input(arr, level, name)
        value_type = self._types.get(level, {}).get(name)
        values = _convert(values, present, value_type, level, name)
        bounds = self._ranges.get(level, {}).get(name)
        if bounds is not None:
            outside = present & ((values < bounds[0]) | (values > bounds[1]))
            if bool(outside.any()):
                msg = Message(
                    N_("holds {value}, outside its range {low}..{high}"),
                    value=values[outside][0],
                    low=bounds[0],
                    high=bounds[1],
                )
                raise SchemaError(level, name, str(msg)).translatable(msg)
        known = None if bool(present.all()) else present
        return values, known

    def release(self) -> None:
        """Drop converted copies of columns (kept: computed columns and member groups)."""
        self._cache.clear()

    def forget(self, level: str, name: str) -> None:
        """Drop the converted copy of one column (read again from the population if asked)."""
        self._cache.pop((level, name), None)

    def value_at(self, level: str, name: str, i: int) -> tuple[Any, bool]:
        """Return one entity's value of a column and whether it is known.

        Unlike :meth:`column`, a population column is read for one entity only.
        """
        key = (level, name)
        hit = self._store.get(key) or self._cache.get(key)
        if hit is None and level in ENTITY_LEVELS and name not in self._raw_inputs.get(level, {}):
            columns = self._population_columns(level)
            if name in columns:
                spec = self.pop.schema.table(level).column(name)
                values, known = _stored(columns[name][i : i + 1], spec)
                return values[0].item(), known is None or bool(known[0])
        values, known = hit if hit is not None else self.column(level, name)
        return values[i].item(), known is None or bool(known[i])

    # -- groups -------------------------------------------------------------------------
    def groups(self, level: str, collection: str) -> Groups:
        """Return the members of ``collection`` per entity of ``level`` (cached)."""
        key = (level, collection)
        hit = self._groups.get(key)
        if hit is None:
            hit = self._build_groups(level, collection)
            self._groups[key] = hit
        return hit

    def _build_groups(self, level: str, collection: str) -> Groups:
        available = collections(level, self.levels)
        if collection not in available:
            msg = f"{level} has no collection {collection!r}" + did_you_mean(collection, available)
            raise SchemaError(level, None, str(msg)).translatable(msg)
        pop = self.pop
        member = available[collection]
        if member.key != member.member_level:
            offsets, _ = self._gathered(member.key)
            return Groups.from_offsets(offsets)
        if level == "household":
            return Groups.from_offsets(pop.household_offsets)
        n = self.hierarchy.n_units(level)
        if member.member_level in ("household", "person"):
            unit = self._household_unit(level)
            hh_offsets = offsets_from_sorted(unit, n)
            if member.member_level == "household":
                return Groups.from_offsets(hh_offsets)
            return Groups.from_offsets(np.asarray(pop.household_offsets)[hh_offsets])
        parents = self.hierarchy.ancestor_index(member.member_level, level)
        return Groups.from_offsets(offsets_from_sorted(parents.astype(np.intp), n))

    def _household_unit(self, level: str) -> NDArray[np.signedinteger[Any]]:
        """Return each household's unit at a level (int32: not kept, the groups are)."""
        unit: NDArray[np.signedinteger[Any]] = np.asarray(self.pop.household_unit)
        leaf = self.hierarchy.leaf_level
        if level != leaf:
            unit = self.hierarchy.ancestor_index(leaf, level)[unit]
        return unit

    def _gather(self, key: str) -> tuple[str, NDArray[np.signedinteger[Any]] | None]:
        hit = self._gathers.get(key)
        if hit is None:
            self._gathered(key)
            hit = self._gathers[key]
        return hit

    def _gathered(self, key: str) -> tuple[NDArray[np.int64], str]:
        """Build the gather index and offsets of a gathered collection (``clan.members``)."""
        level, _, collection = key.partition(".")
        self._check_level(level)
        pop = self.pop
        if key == "organisation.members":
            index: NDArray[np.signedinteger[Any]] = np.asarray(pop.member_person)  # as it is
            offsets = np.asarray(pop.member_offsets, dtype=np.int64)
            base = "person"
        elif level == "clan":
            clan = np.asarray(pop.household_clan, dtype=np.intp)
            households = np.flatnonzero(clan >= 0)
            order = households[_stable_order(clan[households])]
            hh_offsets = offsets_from_sorted(clan[order], pop.n_clans)
            if collection == "households":
                narrow = order.astype(np.int32) if pop.n_households < 2**31 else order
                index, offsets, base = narrow, hh_offsets, "household"
            else:
                starts = np.asarray(pop.household_offsets)[order]
                sizes = np.asarray(pop.household_offsets)[order + 1] - starts
                index = _ranges(starts, sizes)
                ends = np.zeros(len(order) + 1, np.int64)
                np.cumsum(sizes, out=ends[1:])
                offsets, base = ends[hh_offsets], "person"
        elif collection in ("clans", "organisations"):
            units = pop.clan_unit if collection == "clans" else pop.organisation_unit
            units = np.asarray(units, dtype=np.intp)
            k = self.hierarchy.level_number(level)
            anc = np.full(len(units), -1, np.intp)
            attached = units >= 0
            anc[attached] = self.hierarchy.ancestors[units[attached], k]
            members = np.flatnonzero(anc >= 0)
            index = members[_stable_order(anc[members])]
            offsets = offsets_from_sorted(anc[index], self.hierarchy.n_units(level))
            base = "clan" if collection == "clans" else "organisation"
        else:
            msg = Message(N_("no gathered collection {collection!r}"), collection=collection)
            raise SchemaError(level, None, str(msg)).translatable(msg)
        # Members already in place: read the base level's columns without a copy.
        identity = len(index) == self.size(base) and bool(
            np.array_equal(index, np.arange(len(index)))
        )
        self._gathers[key] = (base, None if identity else index)
        return offsets, base


def _stable_order(codes: NDArray[Any]) -> NDArray[np.intp]:
    """Return the stable sort order of non-negative integer codes.

    numpy sorts 16-bit keys by radix (linear time), so codes are sorted by their low
    16 bits, then stably by their high bits: several times faster than a comparison
    sort of the codes themselves.
    """
    codes = np.asarray(codes, dtype=np.int64)
    order: NDArray[np.intp] = np.argsort((codes & 0xFFFF).astype(np.uint16), kind="stable")
    high = codes >> 16
    while high.size and int(high.max()) > 0:
        order = order[np.argsort((high[order] & 0xFFFF).astype(np.uint16), kind="stable")]
        high = high >> 16
    return order


def _ranges(starts: NDArray[Any], sizes: NDArray[Any]) -> NDArray[np.intp]:
    """Concatenate ``arange(s, s + n)`` for each start and size, without a Python loop."""
    total = int(sizes.sum())
    if total == 0:
        return np.zeros(0, np.intp)
    ends = np.cumsum(sizes)
    shift = np.repeat(starts - (ends - sizes), sizes)
    out: NDArray[np.intp] = (np.arange(total) + shift).astype(np.intp)
    return out


@attrs.frozen
class AlignedInput:
    """An entity input already cleaned and put in the population's entity order.

    The dataset runner cleans an input given by id once per run and gives each partition
    its entities' values this way (a mapping would be cleaned again in every partition).

    Parameters
    ----------
    values : array
        One value per entity, as :func:`clean_input` returns them (0 where absent).
    present : array of bool
        Whether each entity's value was given (and is not missing).

    Examples
    --------
    >>> aligned = AlignedInput(np.array([1.0, 0.0]), np.array([True, False]))
    >>> aligned.values[aligned.present].tolist()
    [1.0]
    """

    values: Array
    present: Mask


def align_mapping(
    ids: NDArray[Any], raw: Mapping[Any, Any], level: str, name: str
) -> tuple[Array, Mask]:
    """Return an input given as a mapping from id, in the order of ``ids``.

    Raises
    ------
    SchemaError
        For a key that is none of ``ids``, or values that are not numbers or true/false.

    Examples
    --------
    >>> values, present = align_mapping(np.array(["01", "02", "03"]), {"03": 1, "01": None},
    ...                                 "village", "x")
    >>> values.tolist(), present.tolist()
    ([0, 0, 1], [False, False, True])
    """
    keys = list(raw)
    pos, found, _ = find_input_keys(ids, keys)
    check_keys_found(found, keys, level, name)
    given, given_ok = clean_input(np.array([raw[k] for k in keys], dtype=object), level, name)
    values = np.zeros(len(ids), dtype=given.dtype)
    present = np.zeros(len(ids), dtype=np.bool_)
    values[pos] = given
    present[pos] = given_ok
    return values, present


def check_keys_found(found: Mask, keys: Sequence[Any], level: str, name: str) -> None:
    """Refuse an ``inputs=`` mapping with keys that name no entity (``found`` False).

    Raises
    ------
    SchemaError
        Naming the input, how many keys are unknown and the first of them.

    Examples
    --------
    >>> check_keys_found(np.array([True, False]), ["H1", "H9"], "household", "x")
    Traceback (most recent call last):
    learnsoc.errors.SchemaError: household column 'x': input names 1 unknown id(s), e.g. 'H9'
    """
    bad = np.flatnonzero(~np.asarray(found, np.bool_))
    if len(bad):
        msg = Message(
            N_("input names {n} unknown id(s), e.g. {key!r}"),
            n=len(bad),
            key=keys[int(bad[0])],
        )
        raise SchemaError(level, name, str(msg)).translatable(msg)


def input_key_ids(keys: Sequence[Any]) -> tuple[Array, Mask]:
    """Return the keys of an ``inputs=`` mapping as ids, and which keys are no id at all.

    Every path that reads such keys (:func:`align_mapping`, and the dataset runner's
    index and per-partition filter) reads them here, so a key names the same entity on
    each. Keys are read as an id column is (:func:`~learnsoc.model.ids.normalize_ids`):
    all whole numbers give ``int64``; otherwise every key is text, in NFC, with its
    leading zeros and white space (``"007"`` and ``" 7"`` are other ids than ``7``).
    ``None``, NaN and ``""`` are missing: they name no entity.

    Examples
    --------
    >>> ids, missing = input_key_ids([7, np.int64(70), None])
    >>> ids.tolist(), missing.tolist()
    ([7, 70, 0], [False, False, True])
    >>> import unicodedata
    >>> nfd = unicodedata.normalize("NFD", "Hộ-1")
    >>> ids, _ = input_key_ids([7, "007", " 7", nfd])
    >>> ids.tolist() == ["7", "007", " 7", "Hộ-1"], len(nfd)
    (True, 6)
    """
    return normalize_ids(np.array(keys, dtype=object))


def find_input_keys(ids: Array, keys: Sequence[Any]) -> tuple[Array, Mask, Mask]:
    """Return the row of each key of an ``inputs=`` mapping in ``ids``.

    Returns each key's row (-1: none), whether it names one of ``ids`` and whether it is
    missing (:func:`input_key_ids`; a missing key names none). Keys and ids of different
    kinds compare as text (``7`` is the id ``"7"``, not ``"007"``).

    Examples
    --------
    >>> rows, found, missing = find_input_keys(np.array(["007", "7"]), [7, "007", None])
    >>> rows.tolist(), found.tolist(), missing.tolist()
    ([1, 0, -1], [True, True, False], [False, False, True])
    """
    query, missing = input_key_ids(keys)
    ids, query = align_id_kinds(ids, query)
    rows, found = IdIndex(ids).lookup(query)
    # A missing key reads as 0 or "", which an id may be: it still names nobody.
    found &= ~missing
    return np.where(found, rows, -1), found, missing


def clean_input(arr: Array, level: str, name: str) -> tuple[Array, Mask]:
    """Turn user input into plain numbers and a mask of present values.

    Raises
    ------
    SchemaError
        For values that are not numbers or true/false.

    Examples
    --------
    >>> values, present = clean_input(np.array([True, None, 0], dtype=object), "clan", "x")
    >>> values.tolist(), present.tolist()
    ([1, 0, 0], [True, False, True])
    """
    if arr.dtype.kind == "O":
        items = arr.tolist()
        present = np.fromiter(
            (v is not None and not (isinstance(v, float) and v != v) for v in items),
            np.bool_,
            len(items),
        )
        try:
            numbers = np.array([v if ok else 0 for v, ok in zip(items, present, strict=True)])
        except (TypeError, ValueError):
            numbers = np.zeros(0)
        if numbers.dtype.kind not in "biuf" or numbers.shape != arr.shape:
            msg = Message(N_("input values must be numbers or true/false (None for missing)"))
            raise SchemaError(level, name, str(msg)).translatable(msg)
        return numbers, present
    if arr.dtype.kind == "f":
        present = np.logical_not(np.isnan(arr))
        return np.where(present, arr, 0), present
    if arr.dtype.kind in "biu":
        present = np.ones(arr.shape, np.bool_)
        if arr.dtype == np.uint8:
            present = arr != 255
        elif arr.dtype == np.uint16:
            present = arr != 65535
        return arr, present
    msg = Message(N_("input has dtype {dtype}; expected numbers or true/false"), dtype=arr.dtype)
    raise SchemaError(level, name, str(msg)).translatable(msg)


def _convert(
    values: Array, present: Mask, value_type: ValueType | None, level: str, name: str
) -> Array:
    """Check input values against their declared type."""
    if value_type is None:
        return values
    shown = values[present]
    if value_type.kind == "bool":
        if shown.dtype.kind != "b" and not bool(np.isin(shown, (0, 1)).all()):
            raise SchemaError(level, name, N_("a true/false input holds values other than 0 and 1"))
        return values.astype(np.bool_)
    if value_type.kind in ("int", "code"):
        if shown.dtype.kind == "f" and not bool((np.floor(shown) == shown).all()):
            raise SchemaError(level, name, N_("an integer input holds fractions"))
        out = values.astype(np.int64)
        if value_type.kind == "code":
            allowed = np.array(sorted(set(value_type.code_map.values())), np.int64)
            bad = present & ~np.isin(out, allowed)
            if bool(bad.any()):
                shown_codes = ", ".join(str(c) for c in allowed)
                msg = Message(
                    N_("holds {value}, which is not one of its codes ({codes})"),
                    value=int(out[bad][0]),
                    codes=shown_codes,
                )
                raise SchemaError(level, name, str(msg)).translatable(msg)
        return out
    return values.astype(np.float64)
