"""The cascade engine: evaluate a rulebook on a population, level by level, bottom-up.

:func:`evaluate` picks, for each title, the version of its criteria in force on the
``as_of`` date, binds the parameters' values of that date, and evaluates derived
variables and titles in dependency order (persons, households, clans, organisations,
then villages up to provinces). Each criterion is one vectorized pass over its level
(the compiled condition); member aggregates reuse the member groups built once per
evaluation. A title's verdict feeds the levels above: a village's share of learning
families reads the household verdicts of the same run.

Per entity and title, one bit per criterion says whether it passed and one whether it
was known, and the numbers behind aggregate criteria (numerator, denominator, missing)
are kept, so :meth:`Evaluation.explain` and :meth:`Evaluation.failing` need no second run.

Examples
--------
>>> import learnsoc as ls
>>> from learnsoc.rules.registry import load_rulebook
>>> pop = ls.synthetic_population(persons=5_000, seed=3, hierarchy="vn-pre-2025")
>>> book = load_rulebook("example")
>>> import warnings
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore")  # the example's evaluator-recorded inputs are absent
...     ev = evaluate(pop, book, as_of="2025-12-31")
>>> ev.titles("learning_family").dtype.name, len(ev.titles("household")) == pop.n_households
('bool', True)
>>> ev.verdicts("learning_unit").grade.dtype.name
'int8'
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc._arrays import ARRAY_EQ
from learnsoc._arrays import readonly as _readonly
from learnsoc._bars import UNSET, Unset, renamed_flag, tqdm_bar
from learnsoc._messages import N_, Message
from learnsoc.aggregate.rollup import Count, Rollup, rollup
from learnsoc.errors import RulebookError, Translatable, UnknownIdError, did_you_mean
from learnsoc.model.ids import IdIndex, align_id_kinds, normalize_ids
from learnsoc.model.population import Population
from learnsoc.rules.compiler import CompiledExpr, Trace, compile_typed, iter_many, read_later
from learnsoc.rules.conditions import bind_values, live_parameters
from learnsoc.rules.context import (
    ENTITY_LEVELS,
    PopulationContext,
    collections,
    entity_ids,
)
from learnsoc.rules.language import (
    Aggregate,
    Compare,
    Expr,
    Literal,
    collections_used,
    member_names_used,
    names_used,
    to_source,
)
from learnsoc.rules.plans import PlanCache
from learnsoc.rules.rulebook import (
    AbolishedProcedureWarning,
    Criterion,
    MissingInputWarning,
    Node,
    Rulebook,
    RulebookWarning,
    Title,
    Version,
    scope_for,
)
from learnsoc.rules.rulebook import (
    as_date as _as_date,
)
from learnsoc.rules.typecheck import check_condition, typecheck
from learnsoc.rules.types import ValueType

if TYPE_CHECKING:
    from learnsoc.rules.explain import Explanation

__all__ = [
    "AggregateNumbers",
    "AtomNumbers",
    "Evaluation",
    "Summary",
    "TitleCounts",
    "Verdicts",
    "evaluate",
]

Array = NDArray[Any]
Mask = NDArray[np.bool_]


def _readonly_or_none(array: Array | None) -> Array | None:
    return None if array is None else _readonly(array)


# ----------------------------------------------------------------------------- results


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


def _threshold(atom: Any) -> float | int | Array | None:
    """Return the other side of an atom's comparison: a number when written as one."""
    node = atom.atom
    if atom.threshold is None:
        return None
    if isinstance(node, Compare):
        other = node.right if isinstance(node.left, Aggregate) else node.left
        if isinstance(other, Literal) and other.kind in ("int", "float", "code"):
            value = other.value
            return value if isinstance(value, int | float) else None
    values = np.asarray(atom.threshold.values)
    out: Array = np.where(atom.threshold.known_mask(), values, np.nan)
    return out


def _numbers(trace: Trace) -> tuple[AtomNumbers, ...]:
    atoms = []
    for atom in trace.atoms:
        aggregates = []
        for stats in atom.aggregates:
            func = stats.node.func
            value = None if func in ("share", "all", "any") else np.asarray(stats.value.values)
            aggregates.append(
                AggregateNumbers(
                    func=func,
                    text=to_source(stats.node),
                    count=stats.count,
                    hits=stats.hits,
                    missing=stats.missing,
                    status=stats.status,
                    value=value,
                )
            )
        atoms.append(AtomNumbers(atom.text, tuple(aggregates), atom.op, _threshold(atom)))
    return tuple(atoms)


def _bits_dtype(n: int) -> type[np.unsignedinteger[Any]]:
    if n <= 8:
        return np.uint8
    if n <= 16:
        return np.uint16
    if n <= 32:
        return np.uint32
    return np.uint64


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
    passed_bits, known_bits : ndarray of unsigned int
        Bit ``j`` set when criterion ``j`` is known to pass / is known.
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
            start=self.version.start.isoformat(),
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
        ...     ev = evaluate(pop, load_rulebook("example"), "2025-06-30")
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
        ...     ev = evaluate(pop, load_rulebook("example"), "2025-06-30")
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
        unknown = int(self.unknown.sum())
        assessed = int(self.assessed.sum())
        passed = int(self.passed.sum())
        return {
            "entities": len(self),
            "assessed": assessed,
            "passed": passed,
            "failed": assessed - passed - unknown,
            "unknown": unknown,
        }

    def __repr__(self) -> str:
        c = self.counts()
        return (
            f"Verdicts({self.title.id!r}, {self.level}, version from "
            f"{self.version.start.isoformat()}: {c['entities']} entities, {c['assessed']} "
            f"assessed, {c['passed']} granted, {c['failed']} not granted, "
            f"{c['unknown']} unknown)"
        )

    def _repr_html_(self) -> str:
        from learnsoc.rules._display import verdicts_html

        return verdicts_html(self)


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
    """

    title: str
    level: str
    entities: Array = attrs.field(converter=_readonly, eq=ARRAY_EQ)
    assessed: Array = attrs.field(converter=_readonly, eq=ARRAY_EQ)
    passed: Array = attrs.field(converter=_readonly, eq=ARRAY_EQ)
    unknown: Array = attrs.field(converter=_readonly, eq=ARRAY_EQ)
    unattached: int = 0


@attrs.frozen
class SummaryRow:
    """One title's counts in a :class:`Summary`."""

    title: str
    label_vi: str
    label_en: str
    level: str
    version: str
    entities: int
    assessed: int
    passed: int
    failed: int
    unknown: int
    grades: tuple[tuple[int, str, str, int], ...] = ()
    uncertain: bool = False
    abolished: str | None = None


@attrs.frozen
class Summary:
    """Counts per title and level, with ``to_text(locale)`` and ``to_dict()``.

    Examples
    --------
    >>> row = SummaryRow("learning_family", "Gia đình học tập", "learning family",
    ...                  "household", "2021-01-01", 10, 8, 5, 2, 1)
    >>> print(Summary("2025-12-31", (row,)).to_text("en"))  # doctest: +NORMALIZE_WHITESPACE
    as of 2025-12-31
    title            level      assessed  granted  not granted  unknown  share of decided
    learning family  household  8         5        2            1        71.43%
    """

    as_of: str
    rows: tuple[SummaryRow, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return the summary as plain data (for JSON)."""
        return {"as_of": self.as_of, "titles": [attrs.asdict(r) for r in self.rows]}

    def to_text(self, locale: str | None = None) -> str:
        """Return the summary as an aligned text table in a locale."""
        from learnsoc.rules.explain import summary_text

        return summary_text(self, locale)

    def __str__(self) -> str:
        return self.to_text()

    def __repr__(self) -> str:
        return f"Summary(as of {self.as_of}: {len(self.rows)} titles)"

    def to_html(self, locale: str | None = None) -> str:
        """Return the summary as an HTML table in a locale (every value escaped)."""
        from learnsoc.rules._display import summary_html

        return summary_html(self, locale)

    def _repr_html_(self) -> str:
        return self.to_html()


# ---------------------------------------------------------------------------- evaluation


# (text, tree parsed at load, parameters, file, on_empty)
_Expression = tuple[str, Expr, frozenset[str], str | None, str]


@attrs.frozen(eq=False)
class _Step:
    """A compiled node: its expressions, ready to run."""

    node: Node
    exprs: tuple[CompiledExpr, ...]
    eligible: CompiledExpr | None = None
    version: Version | None = None


class _AbolishedNotice(Translatable):
    """The notice of a title decided after its procedure was abolished, in any locale.

    Its text is built from the title's label and dates in the locale asked for (see
    :func:`learnsoc.rules.explain.abolished_message`), not from one catalog template.
    """

    def __init__(self, book: Rulebook, title: Title, version: Version, as_of: dt.date) -> None:
        self.args = (book, title, version, as_of)

    def __str__(self) -> str:
        return self.localized(None)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def localized(self, locale: str | None = None) -> str:
        from learnsoc.rules.explain import abolished_message

        return abolished_message(*self.args, locale)


@attrs.frozen(eq=False)
class _Plan:
    """What :class:`_Planner` decided for a rulebook, a date and a hierarchy's levels.

    Shared by every evaluation with the same three (see :mod:`learnsoc.rules.plans`), so
    it holds nothing that depends on a population's rows.
    """

    steps: tuple[_Step, ...]
    warnings: tuple[Message, ...]
    abolished: tuple[_AbolishedNotice, ...]
    skipped: Mapping[str, str]


_PLANS: PlanCache[_Plan] = PlanCache()


class _Planner:
    """Choose versions and parameter values for a date, and compile what applies."""

    def __init__(self, book: Rulebook, pop: Population, as_of: dt.date) -> None:
        self.book = book
        self.as_of = as_of
        self.levels = tuple(pop.hierarchy.levels)
        self.available = frozenset((*ENTITY_LEVELS, *self.levels))
        self.names = {lv: dict(book.names.get(lv, {})) for lv in self.available}
        self.warnings: list[Message] = []
        self.abolished: list[_AbolishedNotice] = []
        self.skipped: dict[str, str] = {}
        self._param_warned: set[str] = set()
        self.skipped_keys: set[str] = set()

    def values(self, used: frozenset[str]) -> dict[str, bool | int | float]:
        out: dict[str, bool | int | float] = {}
        for name in sorted(used):
            dated, warning = self.book.parameters[name]._value_and_warning(self.as_of)
            if warning is not None and name not in self._param_warned:
                self._param_warned.add(name)
                self.warnings.append(warning)
            out[name] = dated.value
        return out

    def compile(self, level: str, expr: _Expression, *, condition: bool) -> CompiledExpr | str:
        """Compile an expression for this date, or say why it cannot run here."""
        text, tree, used, file, on_empty = expr
        ir = bind_values(tree, self.values(used), file=file)
        reason = self.blocked(level, ir)
        if reason is not None:
            return reason
        scope = scope_for(level, self.names, self.levels, routed=True)
        try:
            if condition:
                typed = check_condition(ir, scope, file=file)
            else:
                typed = typecheck(ir, scope, file=file)
        except RulebookError as exc:
            # It type-checked against the rulebook's levels when loaded; here ``children``
            # may be another level (the 2025 tree has no districts).
            return f"it does not fit this hierarchy: {exc}"
        return compile_typed(typed, on_empty=on_empty, source=text)

    def blocked(self, level: str, ir: Expr) -> str | None:
        """Say why an expression cannot run on this population, if it cannot."""
        available = collections(level, self.levels)
        for collection in sorted(collections_used(ir)):
            if collection not in available:
                return f"it aggregates over {collection!r}, which this hierarchy does not have"
        for name in sorted(names_used(ir)):
            if f"{level}.{name}" in self.skipped_keys:
                return f"it uses {name!r}, which was skipped"
        for collection, name in sorted(member_names_used(ir)):
            member = available[collection].member_level
            if f"{member}.{name}" in self.skipped_keys:
                return f"it uses {collection}.{name}, which was skipped"
        return None

    def planned(self) -> _Plan:
        """Plan, and return the plan with the warnings and skips found on the way."""
        steps = self.plan()
        return _Plan(tuple(steps), tuple(self.warnings), tuple(self.abolished), dict(self.skipped))

    def plan(self) -> list[_Step]:
        steps: list[_Step] = []
        for node in self.book.order:
            if node.level not in self.available:
                self.skip(node, f"the population's hierarchy has no level {node.level!r}")
                continue
            if node.kind == "derived":
                derived = self.book.derived_variable(node.level, node.name)
                expr = (
                    derived.expr,
                    derived.tree,
                    derived.parameters,
                    derived.origin.file,
                    derived.on_empty,
                )
                compiled = self.compile(node.level, expr, condition=False)
                if isinstance(compiled, str):
                    self.skip(node, compiled)
                else:
                    steps.append(_Step(node, (compiled,)))
                continue
            step = self.plan_title(node)
            if isinstance(step, str):
                self.skip(node, step)
            else:
                steps.append(step)
        return steps

    def plan_title(self, node: Node) -> _Step | str:
        title = self.book.title(node.name)
        version, warning = title._version_and_warning(self.as_of)
        if warning is not None:
            self.warnings.append(warning)
        exprs: list[CompiledExpr] = []
        for c in version.criteria:
            expr = (c.expr, c.tree, c.parameters, c.origin.file, c.on_empty)
            compiled = self.compile(title.level, expr, condition=True)
            if isinstance(compiled, str):
                return compiled
            exprs.append(compiled)
        if title.abolished is not None and title.abolished.applies(self.as_of):
            # Only a title that is decided warns: one skipped (no such level) has no verdicts.
            self.abolished.append(_AbolishedNotice(self.book, title, version, self.as_of))
        eligible = None
        if title.eligible is not None and title.eligible_tree is not None:
            expr = (
                title.eligible,
                title.eligible_tree,
                title.eligible_parameters,
                title.origin.file,
                "fail",
            )
            compiled = self.compile(title.level, expr, condition=True)
            if isinstance(compiled, str):
                return compiled
            eligible = compiled
        return _Step(node, tuple(exprs), eligible, version)

    def skip(self, node: Node, reason: str) -> None:
        self.skipped[node.name] = reason
        self.skipped_keys.add(f"{node.level}.{node.name}")
        if node.kind == "title":
            title = self.book.title(node.name)
            for companion in title.companions:
                self.skipped_keys.add(f"{node.level}.{companion}")


def evaluate(
    pop: Population,
    book: Rulebook,
    as_of: str | dt.date,
    *,
    inputs: Mapping[str, Mapping[str, Any]] | None = None,
    trace: bool = True,
    bars: bool | None = False,
    progress: bool | Unset | None = UNSET,
) -> Evaluation:
    """Decide every title of a rulebook for a population, as of a date.

    Parameters
    ----------
    pop : Population
        The population.
    book : Rulebook
        From :func:`~learnsoc.rules.registry.load_rulebook`.
    as_of : str or datetime.date
        The date whose criteria and parameter values apply (``"2025-12-31"``).
    inputs : mapping, optional
        The rulebook's input columns that are not in the population:
        ``{level: {name: values}}``, values as an array in the level's order or a
        mapping from id (unit code for administrative levels) to value.
    trace : bool, default True
        Keep the numbers behind aggregate criteria for :meth:`Evaluation.explain`.
        Verdicts and :meth:`Evaluation.failing` do not need them.
    bars : bool, optional
        A bar with one step per title, labelled with the title being decided (tqdm, the
        ``progress`` extra): ``None`` on a terminal or in a notebook only, ``False``
        (default) never, ``True`` always.
        (``progress=`` is a deprecated spelling.)

    Returns
    -------
    Evaluation

    Raises
    ------
    RulebookError
        If the date is before the rulebook, a title's first version or a parameter's
        first value.

    Warns
    -----
    RulebookWarning
        When a version, a parameter value or the rulebook is used past its end date.
    AbolishedProcedureWarning
        When a title is decided after its recognition procedure was abolished (the 2025
        reform), in the current locale.
    MissingInputWarning
        When a column the rulebook reads is given nowhere (it is unknown for everyone).

    Examples
    --------
    >>> import learnsoc as ls
    >>> from learnsoc.rules.registry import load_rulebook
    >>> h = ls.synthetic_hierarchy(villages=1, seed=1)
    >>> v = h.codes_at("village")[0]
    >>> pop = ls.Population.from_records(
    ...     persons=[ls.Person("p1", "H1", age=40, literate=True, learning_hours=50,
    ...                        self_study=False, community_learning=False),
    ...              ls.Person("p2", "H1", age=12, in_school=True, literate=True)],
    ...     households=[ls.Household("H1", v, registered=True)], hierarchy=h)
    >>> ev = evaluate(pop, load_rulebook("example"), as_of="2025-12-31",
    ...               inputs={"village": {"learning_week_held": {v: True}}})
    >>> print(ev.titles("person"), ev.titles("household"), ev.titles("village"))
    [ True False] [ True] [ True]
    """
    bars = renamed_flag(bars, progress, "evaluate")
    date = _as_date(as_of)
    info = book.info
    if info.effective_from is not None and date < info.effective_from:
        msg = Message(
            N_("rulebook {book_id!r} applies from {effective_from}; it has no criteria on {date}"),
            book_id=book.id,
            effective_from=info.effective_from.isoformat(),
            date=date.isoformat(),
        )
        raise RulebookError(str(msg), file=info.file).translatable(msg)
    planned_warnings: list[Message] = []
    if info.effective_to is not None and date > info.effective_to:
        ended = Message(
            N_("rulebook {id!r} ends on {end}; used on {as_of}"),
            id=book.id,
            end=info.effective_to.isoformat(),
            as_of=date.isoformat(),
        )
        planned_warnings.append(ended)
    types: dict[str, dict[str, ValueType]] = {}
    ranges: dict[str, dict[str, tuple[float, float]]] = {}
    for spec in book.inputs:
        types.setdefault(spec.level, {})[spec.name] = spec.value_type
        if spec.range is not None:
            ranges.setdefault(spec.level, {})[spec.name] = spec.range
    ctx = PopulationContext(pop, inputs, types, ranges)
    # The plan (versions, parameter values, compiled conditions) depends on the rulebook,
    # the date and the hierarchy's levels only: the partitions of a dataset share it.
    levels = tuple(pop.hierarchy.levels)
    plan = _PLANS.get(book, (date, levels), lambda: _Planner(book, pop, date).planned())
    planned_warnings.extend(plan.warnings)
    steps = list(plan.steps)
    reads = [_reads(step, ctx) for step in steps]
    missing = _fill_missing(ctx, book, steps, reads)
    for message in planned_warnings:
        warnings.warn(RulebookWarning(str(message)).translatable(message), stacklevel=2)
    for notice in plan.abolished:
        # The notice is written in the current locale; localized() writes it in another.
        abolished = AbolishedProcedureWarning(str(notice)).translatable(
            N_("{notice}"), notice=notice
        )
        warnings.warn(abolished, stacklevel=2)
    if missing:
        shown = ", ".join(f"{level}.{name}" for level, name in missing[:8])
        template = (
            N_(
                "no data for {shown}: given neither in the population nor in inputs=; "
                "criteria reading it are unknown for everyone"
            )
            if len(missing) <= 8
            else N_(
                "no data for {shown} (and {more} more: see Evaluation.missing_inputs): given "
                "neither in the population nor in inputs=; criteria reading it are unknown "
                "for everyone"
            )
        )
        msg = Message(template, shown=shown, more=len(missing) - 8)
        warnings.warn(MissingInputWarning(str(msg)).translatable(msg), stacklevel=2)
    verdicts: dict[str, Verdicts] = {}
    numbers: dict[tuple[str, str], tuple[AtomNumbers, ...]] = {}
    # A column's converted copy (a mask of missing values ...) goes once no later step reads
    # it: the person columns of the citizen title are not all held while families are judged.
    last_read = {key: i for i, keys in enumerate(reads) for key in keys}
    n_titles = sum(step.node.kind != "derived" for step in steps)
    with np.errstate(all="ignore"), tqdm_bar(n_titles, book.id, bars, unit="titles") as bar:
        for i, step in enumerate(steps):
            if step.node.kind == "derived":
                value = step.exprs[0].evaluate(ctx)
                ctx.store(step.node.level, step.node.name, value.values, value.known)
            else:
                last = {k for k, at in last_read.items() if at == i}
                title = book.title(step.node.name)
                bar.set_description_str(title.id)
                result, title_numbers = _run_title(ctx, title, step, trace, last)
                bar.update(1)
                verdicts[result.title.id] = result
                for criterion_id, atoms in title_numbers.items():
                    numbers[(result.title.id, criterion_id)] = atoms
            for key in [k for k, last in last_read.items() if last == i]:
                ctx.forget(*key)
    ctx.release()
    return Evaluation(
        population=pop,
        rulebook=book,
        as_of=date,
        verdicts_by_title=verdicts,
        numbers=numbers,
        skipped=dict(plan.skipped),
        warnings=(*map(str, planned_warnings), *map(str, plan.abolished)),
        missing_inputs=tuple(missing),
        context=ctx,
    )


def _reads(step: _Step, ctx: PopulationContext) -> set[tuple[str, str]]:
    """Return the ``(level, name)`` columns a step reads, its members' included."""
    out: set[tuple[str, str]] = set()
    for compiled in (*step.exprs, *([step.eligible] if step.eligible is not None else [])):
        out |= _expr_reads(compiled, step.node.level, ctx)
    return out


def _expr_reads(compiled: CompiledExpr, level: str, ctx: PopulationContext) -> set[tuple[str, str]]:
    """Return the ``(level, name)`` columns one expression reads, its members' included."""
    available = collections(level, ctx.levels)
    out = {(level, name) for name in compiled.names}
    for collection, name in compiled.member_names:
        out.add((available[collection].member_level, name))
    return out


def _fill_missing(
    ctx: PopulationContext,
    book: Rulebook,
    steps: list[_Step],
    reads: list[set[tuple[str, str]]],
) -> list[tuple[str, str]]:
    """Store all-unknown columns for inputs the steps read (``reads``) but nobody gave."""
    computed = {(s.node.level, s.node.name) for s in steps}
    wanted = {key: book.names[key[0]][key[1]] for keys in reads for key in keys}
    missing: list[tuple[str, str]] = []
    companions = {(t.level, name) for t in book.titles for name in t.companions}
    for (level, name), value_type in sorted(wanted.items()):
        if (level, name) in computed or (level, name) in companions or ctx.has_column(level, name):
            continue
        n = ctx.size(level)
        dtype = (
            np.bool_
            if value_type.kind == "bool"
            else np.float64
            if value_type.kind == "float"
            else np.int64
        )
        ctx.store(level, name, np.zeros(n, dtype=dtype), np.zeros(n, dtype=np.bool_))
        if n:
            missing.append((level, name))
    return missing


class _Tally:
    """Combine a title's criteria into bits, and the bits into a verdict.

    Each criterion sets one bit of ``passed_bits`` (known to pass) and of ``known_bits``;
    the verdict is then read off the bits in a few passes whatever the number of
    criteria: "every required criterion passes" is ``passed & R == R``, and a points
    title's points are looked up per byte of the bits (a table of 256 sums per byte).
    """

    def __init__(self, title: Title, version: Version, n: int) -> None:
        self.title = title
        self.criteria = version.criteria
        self.n = n
        self.dtype = _bits_dtype(len(version.criteria))
        self.passed_bits = np.zeros(n, dtype=self.dtype)
        self.known_bits = np.zeros(n, dtype=self.dtype)
        self.any_unknown = False

    def _set_bit(self, bits: Array, mask: Mask, j: int) -> None:
        ones = mask.view(np.uint8)
        if self.dtype is not np.uint8:
            ones = ones.astype(self.dtype)
        if j == 0:
            np.bitwise_or(bits, ones, out=bits)
        else:
            np.bitwise_or(bits, np.left_shift(ones, self.dtype(j)), out=bits)

    def add(self, j: int, ok: Mask, known: Mask | None) -> None:
        self._set_bit(self.passed_bits, ok, j)
        if known is None:
            self.known_bits |= self.dtype(1) << self.dtype(j)
        else:
            self.any_unknown = True
            self._set_bit(self.known_bits, known, j)

    def _mask(self, select: list[bool]) -> Any:
        return self.dtype(sum(1 << j for j, on in enumerate(select) if on))

    def _points(self, bits: Array) -> Array:
        """Sum the points of the criteria whose bit is set, one table lookup per byte.

        Whole points are summed in the narrowest integer type that holds every criterion's
        points together (``int16`` for the usual 100: 20 MB per 10M persons, not 80).
        """
        points = [c.points for c in self.criteria]
        dtype: type[np.generic] = np.float64
        if all(float(p).is_integer() for p in points):
            reach = sum(abs(int(p)) for p in points)
            dtype = np.int16 if reach <= 2**15 - 1 else np.int32 if reach < 2**31 else np.int64
        total = np.zeros(self.n, dtype=dtype)
        for byte in range(0, len(points), 8):
            chunk = points[byte : byte + 8]
            table = np.array(
                [sum(p for k, p in enumerate(chunk) if code >> k & 1) for code in range(256)],
                dtype=dtype,
            )
            index = bits if byte == 0 else bits >> self.dtype(byte)
            total += table[(index & self.dtype(0xFF)).astype(np.intp)]
        return total

    def open_points(self) -> Array:
        """Return the points of the criteria still unknown: what an entity could yet earn."""
        full = self._mask([True] * len(self.criteria))
        return self._points(~self.known_bits & full)

    def verdict(self, assessed: Mask | None) -> tuple[Mask, Mask, Array | None]:
        """Return (granted, known, points) for every entity."""
        required = self._mask([self.title.rule == "all" or c.required for c in self.criteria])
        passed_bits, known_bits = self.passed_bits, self.known_bits
        sure: Mask = (passed_bits & required) == required
        failed_required: Mask | None = None
        if self.any_unknown or self.title.rule == "points":
            failed_required = (known_bits & ~passed_bits & required) != 0
        points: Array | None = None
        if self.title.rule == "points" and self.title.pass_mark is not None:
            mark = float(self.title.pass_mark)
            points = self._points(passed_bits)
            sure &= points >= mark
            fails = points < mark
            if self.any_unknown:
                fails = (points + self.open_points()) < mark
            if failed_required is not None:
                fails |= failed_required
            known = sure | fails
        elif failed_required is not None:
            known = sure | failed_required
        else:
            known = np.ones(self.n, np.bool_)
        if assessed is None:
            return sure, known, points
        return sure & assessed, known | ~assessed, points


def _run_title(
    ctx: PopulationContext,
    title: Title,
    step: _Step,
    trace: bool,
    last: Collection[tuple[str, str]] = (),
) -> tuple[Verdicts, dict[str, tuple[AtomNumbers, ...]]]:
    """Decide a title; ``last``: columns no later step reads, dropped once used here."""
    level = title.level
    version = step.version if step.version is not None else title.versions[-1]
    n = ctx.size(level)
    # One batch: the member counts of all criteria share packed kernel passes. Results
    # come one at a time and go into the tally: one criterion's masks are held, not all.
    batch = [*step.exprs, *([step.eligible] if step.eligible is not None else [])]
    later = read_later([_expr_reads(e, level, ctx) for e in batch])
    pending = set(last)
    assessed: Mask | None = None
    tally = _Tally(title, version, n)
    numbers: dict[str, tuple[AtomNumbers, ...]] = {}
    for j, (value, found) in enumerate(iter_many(batch, ctx, trace=trace)):
        if j < len(version.criteria):
            if found.atoms:
                numbers[version.criteria[j].id] = _numbers(found)
            tally.add(j, np.asarray(value.values, dtype=np.bool_), value.known)
        else:
            assessed = np.array(value.passing(), dtype=np.bool_)
        del value
        for key in [k for k in pending if k not in later[j + 1]]:
            ctx.forget(*key)
            pending.discard(key)
    passed, known, points = tally.verdict(assessed)
    if assessed is None:
        # Everyone is assessed: one shared True, not a column (10 MB per 10M persons).
        assessed = np.broadcast_to(np.True_, (n,))
    grade = None
    if points is not None:
        # Seen from above, the points are unknown where unknown criteria could still add
        # some, and the grade where those points could lift it into another band.
        open_points = tally.open_points() if tally.any_unknown else None
        points_known = None if open_points is None else open_points == 0
        ctx.store(level, f"{title.id}_points", _points_column(title, points), points_known)
        if title.grades:
            grade = _grades(title, points, passed)
            grade_known = None
            if open_points is not None:
                grade_known = known & (grade == _grades(title, points + open_points, passed))
            ctx.store(level, f"{title.id}_grade", grade.astype(np.int64), grade_known)
    # An unknown verdict stays unknown for the titles above (Kleene's logic and the
    # aggregates' missing members), never a plain "not granted".
    ctx.store(level, title.id, passed, None if bool(known.all()) else known)
    result = Verdicts(
        title=title,
        version=version,
        level=level,
        passed=passed,
        known=known,
        assessed=assessed,
        passed_bits=tally.passed_bits,
        known_bits=tally.known_bits,
        points=points,
        grade=grade,
    )
    return result, numbers


def _points_column(title: Title, earned: Array) -> Array:
    """Return the points as the ``{title}_points`` column (whole points: the same array)."""
    if title.companions[f"{title.id}_points"].kind == "int" and earned.dtype.kind == "f":
        return np.rint(earned).astype(np.int64)
    return earned


def _grades(title: Title, earned: Array, passed: Mask) -> NDArray[np.int8]:
    bands = sorted(title.grades, key=lambda g: g.min)
    mins = np.array([g.min for g in bands], dtype=np.float64)
    codes = np.array([0] + [g.code for g in bands], dtype=np.int8)
    index = np.searchsorted(mins, earned, side="right")
    out: NDArray[np.int8] = np.where(passed, codes[index], np.int8(0)).astype(np.int8)
    return out


@attrs.frozen(eq=False)
class Evaluation:
    """The verdicts of every title of a rulebook for a population, as of a date.

    Attributes
    ----------
    population : Population
    rulebook : Rulebook
    as_of : datetime.date
    skipped : mapping of str to str
        Derived variables and titles not evaluated, and why (a level the population's
        hierarchy does not have).
    warnings : tuple of str
        What was used past its end date, and titles decided after their recognition
        procedure was abolished.
    missing_inputs : tuple of (level, name)
        Columns read by the rulebook that nobody gave (unknown for everyone).
    """

    population: Population
    rulebook: Rulebook
    as_of: dt.date
    verdicts_by_title: Mapping[str, Verdicts] = attrs.field(repr=False)
    numbers: Mapping[tuple[str, str], tuple[AtomNumbers, ...]] = attrs.field(repr=False)
    skipped: Mapping[str, str] = attrs.field(factory=dict)
    warnings: tuple[str, ...] = ()
    missing_inputs: tuple[tuple[str, str], ...] = ()
    context: PopulationContext | None = attrs.field(default=None, repr=False)
    _indexes: dict[str, IdIndex] = attrs.field(factory=dict, repr=False, alias="indexes")

    # -- lookups -----------------------------------------------------------------------
    def _title_ids(self, key: str) -> list[str]:
        if key in self.verdicts_by_title:
            return [key]
        at_level = [t for t, v in self.verdicts_by_title.items() if v.level == key]
        if at_level:
            return at_level
        if key in self.skipped:
            msg = Message(
                N_("title {key!r} was not evaluated: {skipped}"), key=key, skipped=self.skipped[key]
            )
            raise RulebookError(str(msg)).translatable(msg)
        choices = [*self.verdicts_by_title, *{v.level for v in self.verdicts_by_title.values()}]
        msg = Message(
            N_("no title or level {key!r} in this evaluation{hint}"),
            key=key,
            hint=did_you_mean(key, choices),
        )
        raise RulebookError(str(msg)).translatable(msg)

    def _one_title(self, key: str) -> str:
        ids = self._title_ids(key)
        if len(ids) > 1:
            msg = Message(
                N_("level {key!r} has {n} titles ({chain}); name one of them"),
                key=key,
                n=len(ids),
                chain=", ".join(ids),
            )
            raise RulebookError(str(msg)).translatable(msg)
        return ids[0]

    def verdicts(self, title_id: str) -> Verdicts:
        """Return a title's :class:`Verdicts` (by title id, or a level with one title)."""
        return self.verdicts_by_title[self._one_title(title_id)]

    def titles(self, key: str) -> Array:
        """Return the verdict of every entity: bool, or grade codes for graded titles.

        Parameters
        ----------
        key : str
            A title id (``"learning_family"``) or a level with one title
            (``"household"``).

        Returns
        -------
        ndarray
            Aligned with the population's canonical order (or the hierarchy's order of
            units at that level).
        """
        verdicts = self.verdicts(key)
        if verdicts.grade is not None:
            return verdicts.grade
        return verdicts.passed

    def index_of(self, level: str, entity_id: object) -> int:
        """Return the position of an entity (its id, or unit code) at a level.

        Raises
        ------
        UnknownIdError
            If no entity of the level has this id.
        """
        index = self._indexes.get(level)
        ids = entity_ids(self.population, level)
        if index is None:
            index = IdIndex(ids)
            self._indexes[level] = index
        query, _ = normalize_ids(np.array([entity_id], dtype=object))
        _, query = align_id_kinds(ids, query)
        pos, found = index.lookup(query)
        if not bool(found[0]):
            raise UnknownIdError(level, entity_id)
        return int(pos[0])

    # -- views -------------------------------------------------------------------------
    def failing(self, key: str, criterion: str | None = None, *, unknown: bool = False) -> Array:
        """Return the ids (unit codes for units) of assessed entities failing a title or criterion.

        Parameters
        ----------
        key : str
            A title id, or a level with one title.
        criterion : str, optional
            A criterion id; without it, entities not granted the title.
        unknown : bool, default False
            Return those whose result is unknown instead of known to fail.

        Examples
        --------
        >>> import learnsoc as ls, warnings
        >>> from learnsoc.rules.registry import load_rulebook
        >>> pop = ls.synthetic_population(persons=3_000, seed=5, hierarchy="vn-pre-2025")
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     ev = evaluate(pop, load_rulebook("example"), "2025-12-31")
        >>> failing = ev.failing("village", criterion="share_learning_families")
        >>> set(failing) <= set(pop.hierarchy.codes_at("village"))
        True
        """
        verdicts = self.verdicts(key)
        if criterion is None:
            mask = verdicts.unknown if unknown else verdicts.failed
        else:
            passed, known = verdicts.criterion(criterion)
            mask = verdicts.assessed & (~known if unknown else known & ~passed)
        ids = entity_ids(self.population, verdicts.level)
        out: Array = ids[np.flatnonzero(mask)]
        return out

    def summary(self) -> Summary:
        """Return the counts per title (assessed, granted, not granted, unknown)."""
        rows = []
        for title_id, v in self.verdicts_by_title.items():
            title = v.title
            assessed = int(v.assessed.sum())
            passed = int(v.passed.sum())
            unknown = int(v.unknown.sum())
            grades: tuple[tuple[int, str, str, int], ...] = ()
            if v.grade is not None:
                counts = np.bincount(v.grade.astype(np.int64), minlength=128)
                grades = tuple(
                    (g.code, g.label.vi, g.label.en, int(counts[g.code])) for g in title.grades
                )
            abolished = title.abolished
            rows.append(
                SummaryRow(
                    title=title_id,
                    label_vi=title.label.vi,
                    label_en=title.label.en,
                    level=v.level,
                    version=v.version.start.isoformat(),
                    entities=len(v),
                    assessed=assessed,
                    passed=passed,
                    failed=assessed - passed - unknown,
                    unknown=unknown,
                    grades=grades,
                    uncertain=self.rests_on_uncertain(title_id),
                    abolished=abolished.start.isoformat()
                    if abolished is not None and abolished.applies(self.as_of)
                    else None,
                )
            )
        return Summary(self.as_of.isoformat(), tuple(rows))

    def rests_on_uncertain(self, title_id: str) -> bool:
        """Return whether a title's verdicts rest on something no source pins.

        True when the version applied is ``uncertain`` (how its criteria combine), one
        of its criteria is, or a parameter its criteria or eligibility read on this date
        is (a parameter in a branch a switch drops does not count: see
        :func:`~learnsoc.rules.rulebook.live_parameters`). Titles it counts (a commune's
        learning families) are not followed: their own rows say it.

        Examples
        --------
        >>> import learnsoc as ls, warnings
        >>> from learnsoc.rules.registry import load_rulebook
        >>> pop = ls.synthetic_population(persons=2_000, seed=5)
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     ev = evaluate(pop, load_rulebook("vn-national"), "2019-12-31")
        >>> ev.rests_on_uncertain("learning_family")  # 448 scores points, pass mark unknown
        True
        >>> ev.rests_on_uncertain("learning_citizen")  # the recorded recognition decides
        False
        """
        verdicts = self.verdicts(title_id)
        title, version = verdicts.title, verdicts.version
        if version.uncertain or any(c.uncertain for c in version.criteria):
            return True
        params = self.rulebook.parameters
        trees = [(c.tree, c.parameters) for c in version.criteria]
        if title.eligible_tree is not None:
            trees.append((title.eligible_tree, title.eligible_parameters))
        for tree, names in trees:
            values = {n: params[n].value_at(self.as_of)[0].value for n in names}
            if any(params[n].uncertain for n in live_parameters(tree, names, values)):
                return True
        return False

    def title_counts(self) -> dict[str, TitleCounts]:
        """Return each title's counts at the units its entities are attached to.

        The rollup adds these up the hierarchy; see :class:`TitleCounts`.

        Examples
        --------
        >>> import learnsoc as ls, warnings
        >>> from learnsoc.rules.registry import load_rulebook
        >>> pop = ls.synthetic_population(persons=3_000, seed=5)
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     ev = evaluate(pop, load_rulebook("example"), "2025-12-31")
        >>> counts = ev.title_counts()["learning_family"]
        >>> int(counts.passed.sum()) == int(ev.titles("learning_family").sum())
        True
        """
        pop = self.population
        h = pop.hierarchy
        n_units = len(h)
        leaf_start = int(h.starts[h.n_levels - 1])
        out: dict[str, TitleCounts] = {}
        for title_id, v in self.verdicts_by_title.items():
            level = v.level
            if level == "person":
                unit = leaf_start + np.asarray(pop.household_unit, np.int64)[pop.person_household]
            elif level == "household":
                unit = leaf_start + np.asarray(pop.household_unit, np.int64)
            elif level == "clan":
                unit = np.asarray(pop.clan_unit, np.int64)
            elif level == "organisation":
                unit = np.asarray(pop.organisation_unit, np.int64)
            else:
                k = h.level_number(level)
                unit = int(h.starts[k]) + np.arange(h.n_units(level), dtype=np.int64)
            attached = unit >= 0
            where = unit[attached]

            def count(mask: Mask | None, where: Array = where, attached: Mask = attached) -> Array:
                weights = None if mask is None else mask[attached]
                return np.bincount(where, weights=weights, minlength=n_units).astype(np.int64)

            out[title_id] = TitleCounts(
                title=title_id,
                level=level,
                entities=count(None),
                assessed=count(v.assessed),
                passed=count(v.passed),
                unknown=count(v.unknown),
                unattached=int((~attached).sum()),
            )
        return out

    def rollup(self) -> Rollup:
        """Count each title at every level of the hierarchy, in one table.

        For each title ``t`` the table has the measures ``t`` (granted),
        ``t_assessed`` and ``t_unknown``, and the rate ``t`` = granted / assessed,
        added up from the units the entities belong to (a household counts in its
        village, commune, province and the total).

        Examples
        --------
        >>> import learnsoc as ls, warnings
        >>> from learnsoc.rules.registry import load_rulebook
        >>> pop = ls.synthetic_population(persons=3_000, seed=5)
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     ev = evaluate(pop, load_rulebook("example"), "2025-12-31")
        >>> total = ev.rollup().level("total")
        >>> int(total.counts["learning_family"][0]) == int(ev.titles("learning_family").sum())
        True
        >>> rate = total.rate("learning_family")
        >>> int(rate.denominator[0]) == int(ev.verdicts("learning_family").assessed.sum())
        True
        """
        measures: dict[str, Count] = {}
        rates: dict[str, tuple[str, str]] = {}
        for title_id, v in self.verdicts_by_title.items():
            measures[title_id] = Count(v.level, v.passed)
            measures[f"{title_id}_assessed"] = Count(v.level, v.assessed)
            measures[f"{title_id}_unknown"] = Count(v.level, v.unknown)
            rates[title_id] = (title_id, f"{title_id}_assessed")
        return rollup(self.population, measures, rates=rates)

    def to_columns(self, key: str | None = None) -> dict[str, Array]:
        """Return the verdicts as numpy columns.

        Parameters
        ----------
        key : str, optional
            Without it, every title's verdicts in one long table, one row per entity and
            title: the columns :func:`~learnsoc.io.write_verdicts` writes (``level``,
            ``id``, ``title``, ``assessed``, ``passed``, ``known``, ``grade``, ``points``,
            ``failed``, ``unknown``). With a title id (or a level with one title), one row
            per entity of its level: ``id`` then :meth:`Verdicts.to_columns`.

        Examples
        --------
        >>> import learnsoc as ls, warnings
        >>> from learnsoc.rules.registry import load_rulebook
        >>> pop = ls.synthetic_population(persons=1_000, seed=1)
        >>> with warnings.catch_warnings():
        ...     warnings.simplefilter("ignore")
        ...     ev = evaluate(pop, load_rulebook("example"), "2025-06-30")
        >>> cols = ev.to_columns("learning_family")
        >>> passed = ev.titles("learning_family")
        >>> len(cols["id"]) == pop.n_households, bool((cols["passed"] == passed).all())
        (True, True)
        """
        if key is None:
            from learnsoc.io.verdicts import verdict_columns

            return verdict_columns(self)
        verdicts = self.verdicts(key)
        ids: Array = np.asarray(entity_ids(self.population, verdicts.level))
        return {"id": ids, **verdicts.to_columns()}

    def to_pandas(self, key: str | None = None) -> Any:
        """Return :meth:`to_columns` as a pandas DataFrame (extra ``pandas``)."""
        from learnsoc._frames import to_frame

        return to_frame(self.to_columns(key), "pandas", "Evaluation.to_pandas()")

    def to_polars(self, key: str | None = None) -> Any:
        """Return :meth:`to_columns` as a polars DataFrame (extra ``polars``)."""
        from learnsoc._frames import to_frame

        return to_frame(self.to_columns(key), "polars", "Evaluation.to_polars()")

    def to_arrow(self, key: str | None = None) -> Any:
        """Return :meth:`to_columns` as a pyarrow Table (extra ``parquet``)."""
        from learnsoc._frames import to_frame

        return to_frame(self.to_columns(key), "arrow", "Evaluation.to_arrow()")

    def __repr__(self) -> str:
        more = ""
        if self.skipped:
            more += f"; {len(self.skipped)} skipped"
        if self.missing_inputs:
            more += f"; {len(self.missing_inputs)} missing inputs"
        return (
            f"Evaluation({self.rulebook.id!r}, as of {self.as_of.isoformat()}: "
            f"{len(self.verdicts_by_title)} titles, {self.population.n_persons:,} persons{more})"
        )

    def _repr_html_(self) -> str:
        from learnsoc.rules._display import evaluation_html

        return evaluation_html(self)

    def explain(self, key: str, entity_id: object, *, locale: str | None = None) -> Explanation:
        """Explain the verdicts of one entity: each criterion, passed or not, and the numbers.

        Parameters
        ----------
        key : str
            A level (all its titles) or a title id.
        entity_id : object
            The entity's id (unit code for administrative levels).
        locale : str, optional
            ``"vi"`` or ``"en"`` (default: the current locale).

        Returns
        -------
        Explanation
            ``str()`` renders it; its fields hold the same facts as data.
        """
        from learnsoc.rules.explain import explain_entity

        ids = self._title_ids(key)
        level = self.verdicts_by_title[ids[0]].level
        i = self.index_of(level, entity_id)
        return explain_entity(self, ids, level, i, entity_id, locale)
