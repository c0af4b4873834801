r"""Rulebooks: the titles, their dated criteria and parameters, read from TOML files.

A rulebook is data: a TOML file (format documented on the "Rulebook format" reference
page) read with :mod:`tomllib`, bounded in size before parsing, checked key by key, with
every condition parsed by the closed rule language and type-checked against the levels
it is evaluated at. Every problem is a :class:`~learnsoc.errors.RulebookError` naming
the file, the line and the key path; unknown keys list the allowed ones.

The types of its entries (titles, versions, criteria, parameters ...) are in
:mod:`learnsoc.rules.entries`, what applies on a date in :mod:`learnsoc.rules.as_of`, and
the loader (file, keys, ``extends``, checks) in :mod:`learnsoc.rules._load`.

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
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from typing import Any

import attrs

from learnsoc._messages import N_, Message
from learnsoc._phrases import LevelName
from learnsoc._reprs import count_words, repr_words
from learnsoc.errors import RulebookError, did_you_mean
from learnsoc.model.codes import code_type
from learnsoc.model.schema import STANDARD_SCHEMA, ColumnSpec, Schema
from learnsoc.rules import conditions
from learnsoc.rules.as_of import (
    ParamValue,
    as_date,
    live_parameters,
    parse_with_parameters,
)
from learnsoc.rules.as_of import in_force as _in_force
from learnsoc.rules.context import (
    ENTITY_LEVELS,
    collections,
)
from learnsoc.rules.entries import (
    AbolishedProcedureWarning,
    Abolition,
    Clause,
    Criterion,
    DatedValue,
    Derived,
    Grade,
    InputSpec,
    Label,
    MissingInputWarning,
    Node,
    Origin,
    Parameter,
    RulebookInfo,
    RulebookWarning,
    Source,
    Title,
    Version,
)
from learnsoc.rules.language import (
    Expr,
    collections_used,
    member_names_used,
    names_used,
)
from learnsoc.rules.types import Scope, ValueType

# The entries' types (learnsoc.rules.entries) and the dating helpers (learnsoc.rules.as_of)
# moved to their own modules; their old import path, this module, keeps working.
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
    "Clause",
    "Criterion",
    "DatedValue",
    "Derived",
    "Grade",
    "InputSpec",
    "Label",
    "MissingInputWarning",
    "Node",
    "Origin",
    "ParamValue",
    "Parameter",
    "Rulebook",
    "RulebookInfo",
    "RulebookWarning",
    "Source",
    "Title",
    "Version",
    "as_date",
    "bundled_directory",
    "dependencies",
    "live_parameters",
    "parse_with_parameters",
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

    Examples
    --------
    >>> import learnsoc as ls
    >>> book = ls.load_rulebook("example")
    >>> book
    Rulebook('example', version '2025.1': 6 titles, 4 parameters)
    >>> book.levels, book.titles[1].id, book.titles[1].level
    (('province', 'district', 'commune', 'village'), 'learning_family', 'household')
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
        titles = count_words("{n} title", "{n} titles", len(self.titles))
        parameters = count_words("{n} parameter", "{n} parameters", len(self.parameters))
        version = repr_words("version {version}", version=repr(self.info.version))
        return f"Rulebook({self.id!r}, {version}: {titles}, {parameters})"

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

    def input_spec(self, level: str, name: str) -> InputSpec:
        """Return an input column the rulebook declares.

        Raises
        ------
        RulebookError
            If there is none.

        Examples
        --------
        >>> from learnsoc.rules.registry import load_rulebook
        >>> load_rulebook("vn-national").input_spec("organisation", "unit_tier").label.vi
        'Cấp quản lý của đơn vị (xã, huyện, tỉnh)'
        """
        for spec in self.inputs:
            if spec.level == level and spec.name == name:
                return spec
        msg = Message(
            N_("rulebook {id!r} has no input {name!r} at level {level!r}"),
            id=self.id,
            name=name,
            level=LevelName(level),
        )
        raise RulebookError(str(msg)).translatable(msg)

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
            level=LevelName(level),
        )
        raise RulebookError(str(msg)).translatable(msg)

    def select(self, titles: str | Iterable[str]) -> Rulebook:
        """Return the rulebook reduced to some titles and what deciding them needs.

        The titles kept are those named and every title and derived variable their
        conditions read, at any level (a village's title reads its families' titles,
        which read their members'); the inputs kept are those the kept conditions name.
        Evaluating the selection decides the titles named exactly as the whole rulebook
        does, and reads only the columns they need (:meth:`columns_read`): what a
        report of some titles, or a run on data that has only some tables, asks for.

        Parameters
        ----------
        titles : str or iterable of str
            Title ids.

        Raises
        ------
        RulebookError
            For a title the rulebook does not have (with a suggestion), or none.

        Examples
        --------
        >>> from learnsoc.rules.registry import load_rulebook
        >>> national = load_rulebook("vn-national")
        >>> families = national.select(["learning_family"])
        >>> [t.id for t in families.titles]  # a family's title reads its members'
        ['learning_citizen', 'learning_citizen_proxy', 'learning_family']
        >>> "learning_plan" in families.columns_read(), "learning_plan" in national.columns_read()
        (False, True)
        >>> national.select("learning_famly")
        Traceback (most recent call last):
        ...
        learnsoc.errors.RulebookError: rulebook 'vn-national' has no title 'learning_famly'; ...
        """
        wanted = [self.title(t) for t in ((titles,) if isinstance(titles, str) else titles)]
        if not wanted:
            msg = Message(N_("select at least one title of rulebook {id!r}"), id=self.id)
            raise RulebookError(str(msg)).translatable(msg)
        trees, node_of_name = self._nodes()
        keep: set[tuple[str, str]] = set()
        todo = [(t.level, t.id) for t in wanted]
        while todo:
            key = todo.pop()
            if key not in keep:
                keep.add(key)
                todo.extend(dependencies(trees[key], key[0], self.levels, node_of_name))
        read: set[tuple[str, str]] = set()
        for key in keep:
            available = collections(key[0], self.levels)
            for tree in trees[key]:
                read.update((key[0], name) for name in names_used(tree))
                read.update(
                    (available[c].member_level, name)
                    for c, name in member_names_used(tree)
                    if c in available
                )
        inputs = tuple(spec for spec in self.inputs if (spec.level, spec.name) in read)
        dropped = {n for n, key in node_of_name.items() if key not in keep}
        dropped.update((s.level, s.name) for s in self.inputs if s not in inputs)
        return attrs.evolve(
            self,
            titles=tuple(t for t in self.titles if (t.level, t.id) in keep),
            derived=tuple(d for d in self.derived if (d.level, d.name) in keep),
            order=tuple(n for n in self.order if (n.level, n.name) in keep),
            inputs=inputs,
            names={
                level: types.MappingProxyType(
                    {n: v for n, v in names.items() if (level, n) not in dropped}
                )
                for level, names in self.names.items()
            },
        )

    def _nodes(
        self,
    ) -> tuple[dict[tuple[str, str], list[Expr]], dict[tuple[str, str], tuple[str, str]]]:
        """Return each derived variable's and title's trees, and the node of every name."""
        trees: dict[tuple[str, str], list[Expr]] = {}
        node_of_name: dict[tuple[str, str], tuple[str, str]] = {}
        for d in self.derived:
            trees[(d.level, d.name)] = [d.tree]
            node_of_name[(d.level, d.name)] = (d.level, d.name)
        for t in self.titles:
            key = (t.level, t.id)
            eligible = [] if t.eligible_tree is None else [t.eligible_tree]
            trees[key] = eligible + [c.tree for v in t.versions for c in v.criteria]
            node_of_name[key] = key
            node_of_name.update(((t.level, name), key) for name in t.companions)
        return trees, node_of_name

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


def dependencies(
    trees: Iterable[Expr],
    level: str,
    levels: Sequence[str],
    node_of_name: Mapping[tuple[str, str], tuple[str, str]],
) -> set[tuple[str, str]]:
    """Return the derived variables and titles, as ``(level, name)``, that conditions read.

    ``trees`` are conditions evaluated at ``level``; ``node_of_name`` gives the node
    defining each ``(level, name)`` (a points title defines its companions too). A
    member collection's names are looked up at the members' level.

    Examples
    --------
    >>> from learnsoc.rules.context import DEFAULT_LEVELS
    >>> from learnsoc.rules.parser import parse_condition
    >>> tree = parse_condition("literate and count(members, where=members.learner) >= 2")
    >>> defined = {("household", "literate"): ("household", "literate"),
    ...     ("person", "learner"): ("person", "learner"), ("household", "x"): ("household", "x")}
    >>> sorted(dependencies([tree], "household", DEFAULT_LEVELS, defined))
    [('household', 'literate'), ('person', 'learner')]
    """
    found: set[tuple[str, str]] = set()
    available = collections(level, levels)
    for tree in trees:
        for name in names_used(tree):
            target = node_of_name.get((level, name))
            if target is not None:
                found.add(target)
        for collection, name in member_names_used(tree):
            if collection in available:
                target = node_of_name.get((available[collection].member_level, name))
                if target is not None:
                    found.add(target)
    return found


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
    code_of = dict(spec.value_type.codes)
    # The rulebook's words for its codes (code_labels), so that tables, explanations and
    # readers of "tỉnh" in a cell know them; a code without words is said as its name.
    labels = {code_of[name]: label.text for name, label in spec.code_labels if name in code_of}
    enum_type = code_type(f"{spec.level}_{spec.name}", spec.value_type.codes, labels)
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


def __getattr__(name: str) -> Any:
    # read_rulebook and parse_rulebook run the loader (learnsoc.rules._load), which
    # builds Rulebooks from this module: they live in learnsoc.rules.registry beside
    # load_rulebook, and this old import path still hands them out.
    if name in ("read_rulebook", "parse_rulebook"):
        from learnsoc.rules import registry

        return getattr(registry, name)
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
