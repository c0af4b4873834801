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

The plan for the date is made in :mod:`learnsoc.rules._plan` and kept for the next
evaluation with the same rulebook, date and hierarchy levels (:mod:`learnsoc.rules.plans`,
the last :data:`~learnsoc.rules.plans.PLAN_CACHE_SIZE`); the result and its parts
have their own modules (:mod:`learnsoc.rules.evaluation`, :mod:`learnsoc.rules.verdicts`,
:mod:`learnsoc.rules.summary`), and this module still hands them out.

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
import functools
import warnings
from collections.abc import Collection, Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

from learnsoc._argument_types import A_POPULATION, A_RULEBOOK_OR_NAME, check_argument
from learnsoc._arrays import set_bit
from learnsoc._bars import UNSET, Unset, renamed_flag, tqdm_bar
from learnsoc._messages import N_, Message
from learnsoc._phrases import Phrase
from learnsoc.errors import RulebookError
from learnsoc.model.population import Population
from learnsoc.rules._plan import Plan, Planner, Step
from learnsoc.rules.as_of import as_date as _as_date
from learnsoc.rules.compiler import CompiledExpr, Trace, iter_many, read_later
from learnsoc.rules.context import PopulationContext, collections
from learnsoc.rules.entries import (
    AbolishedProcedureWarning,
    InputNames,
    MissingInputWarning,
    RulebookWarning,
    Title,
    Version,
)
from learnsoc.rules.evaluation import Evaluation
from learnsoc.rules.language import Aggregate, Compare, Literal, to_source
from learnsoc.rules.plans import PlanCache
from learnsoc.rules.registry import load_rulebook
from learnsoc.rules.rulebook import Rulebook
from learnsoc.rules.split import Split
from learnsoc.rules.summary import Summary, SummaryRow
from learnsoc.rules.types import ValueType
from learnsoc.rules.verdicts import AggregateNumbers, AtomNumbers, TitleCounts, Verdicts

# Summary, SummaryRow, TitleCounts and the verdict types live in their own modules; their
# old import path (learnsoc.rules.engine) keeps working.
__all__ = [
    "AggregateNumbers",
    "AtomNumbers",
    "Evaluation",
    "Summary",
    "SummaryRow",
    "TitleCounts",
    "Verdicts",
    "evaluate",
    "evaluate_split",
    "plan_for",
]

Array = NDArray[Any]
Mask = NDArray[np.bool_]

# The last plans made (rulebook x date x hierarchy levels), see learnsoc.rules.plans.
_PLANS: PlanCache[Plan] = PlanCache()


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


def evaluate(
    pop: Population,
    book: Rulebook | str,
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
    book : Rulebook or str
        From :func:`~learnsoc.rules.registry.load_rulebook`, or a bundled rulebook's
        name (``"vn-national"``), as :func:`~learnsoc.scale.evaluate_dataset` takes.
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
    HierarchyDateWarning
        When the population's tree was not in force on ``as_of``: the 2-level tree of
        1 July 2025 before that day, or the 3-level tree (with districts) after
        30 June 2025.

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
    check_argument(pop, "pop", Population, A_POPULATION)
    check_argument(book, "book", (Rulebook, str), A_RULEBOOK_OR_NAME)
    if isinstance(book, str):
        book = load_rulebook(book)
    return _evaluate(pop, book, as_of, inputs=inputs, trace=trace, bars=bars)


def plan_for(book: Rulebook, pop: Population, as_of: dt.date) -> Plan:
    """Return the plan of a rulebook for a date and a population's hierarchy levels (cached).

    The plan depends on the rulebook, the date and the levels only: the partitions of a
    dataset, and the evaluation of its upper titles, share it.

    Examples
    --------
    >>> import datetime as dt, learnsoc as ls
    >>> pop = ls.synthetic_population(persons=100, seed=1)
    >>> book = ls.load_rulebook("example")
    >>> plan = plan_for(book, pop, dt.date(2025, 6, 30))
    >>> plan is plan_for(book, pop, dt.date(2025, 6, 30)), plan.steps[0].node.level
    (True, 'person')
    """
    levels = tuple(pop.hierarchy.levels)
    return _PLANS.get(book, (as_of, levels), lambda: Planner(book, pop, as_of).planned())


def evaluate_split(
    pop: Population,
    book: Rulebook,
    as_of: str | dt.date,
    *,
    split: Split,
    inputs: Mapping[str, Mapping[str, Any]] | None = None,
) -> Evaluation:
    """Run one phase of an evaluation split at a unit level (see :mod:`learnsoc.rules.split`).

    Phase 1 (``split.owned`` given) decides the steps at the split level and below, and
    counts the aggregates of the steps above into ``split.collected``; phase 2
    (``split.counted`` given) decides only the steps above, those aggregates finished
    from the counts. The verdicts kept are those of the steps decided; no trace.

    Examples
    --------
    >>> import learnsoc as ls, warnings
    >>> from learnsoc.rules.split import Split
    >>> pop = ls.synthetic_population(persons=500, seed=1, hierarchy="vn-2025")
    >>> h = pop.hierarchy
    >>> owned = {lv: np.ones(h.n_units(lv), bool) for lv in ("commune", "village")}
    >>> split = Split.of(h, "commune", owned=owned)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ev = evaluate_split(pop, ls.load_rulebook("vn-national"), "2025-12-31", split=split)
    >>> "learning_province" in ev.verdicts_by_title, split.upper_titles[0]
    (False, ('learning_province', 'province'))
    """
    return _evaluate(pop, book, as_of, inputs=inputs, trace=False, split=split)


def _evaluate(
    pop: Population,
    book: Rulebook,
    as_of: str | dt.date,
    *,
    inputs: Mapping[str, Mapping[str, Any]] | None = None,
    trace: bool = True,
    bars: bool | None = False,
    split: Split | None = None,
) -> Evaluation:
    """Evaluate as :func:`evaluate` does, whole or in one phase of a split (see ``split``).

    With a :class:`~learnsoc.rules.split.Split` of phase 1 (``owned``), the steps above
    the split level are not decided: their aggregates' counts go to ``split.collected``.
    With one of phase 2 (``counted``), only those steps are, their aggregates over the
    members at the split level or below finished from the merged counts. The warnings
    are those of the whole evaluation in both.
    """
    date = _as_date(as_of)
    info = book.info
    if info.effective_from is not None and date < info.effective_from:
        msg = Message(
            N_("rulebook {book_id!r} applies from {effective_from}; it has no criteria on {date}"),
            book_id=book.id,
            effective_from=info.effective_from,
            date=date,
        )
        raise RulebookError(str(msg), file=info.file).translatable(msg)
    planned_warnings: list[Message] = []
    if info.effective_to is not None and date > info.effective_to:
        ended = Message(
            N_("rulebook {id!r} ends on {end}; used on {as_of}"),
            id=book.id,
            end=info.effective_to,
            as_of=date,
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
    plan = plan_for(book, pop, date)
    planned_warnings.extend(plan.warnings)
    steps = list(plan.steps)
    reads = [_reads(step, ctx) for step in steps]
    missing = _fill_missing(ctx, book, steps, reads)
    for message in planned_warnings:
        warnings.warn(RulebookWarning(str(message)).translatable(message), stacklevel=3)
    # Titles decided on the 2-level tree as of a date before it began are of communes that
    # did not exist then, and on the 3-level tree as of a date after it ended, of districts
    # that no longer existed: say so, either way.
    tree = pop.hierarchy.spec
    if tree.check_start(date, what=Phrase(Message(N_("the titles"))), stacklevel=3):
        tree.check_end(date, what=Phrase(Message(N_("the titles"))), stacklevel=3)
    for notice in plan.abolished:
        # The notice is written in the current locale; localized() writes it in another.
        abolished = AbolishedProcedureWarning(str(notice)).translatable(
            N_("{notice}"), notice=notice
        )
        warnings.warn(abolished, stacklevel=3)
    if missing:
        # Each input by its label, which says what to record, and its id, which keys it.
        labels = {(spec.level, spec.name): spec.label for spec in book.inputs}
        shown = InputNames((lv, name, labels.get((lv, name))) for lv, name in missing[:8])
        # The command line says its own --inputs advice (learnsoc.cli); this is Python's.
        template = (
            N_(
                "no data for {shown}: given neither in the population nor in inputs=; "
                "criteria reading it are unknown for everyone. Read the evaluators' sheets "
                "with inputs, rejects = learnsoc.read_inputs(FILE, rulebook, population) "
                "and pass evaluate(..., inputs=inputs)"
            )
            if len(missing) <= 8
            else N_(
                "no data for {shown} (and {more} more: see Evaluation.missing_inputs): given "
                "neither in the population nor in inputs=; criteria reading it are unknown "
                "for everyone. Read the evaluators' sheets with inputs, rejects = "
                "learnsoc.read_inputs(FILE, rulebook, population) and pass "
                "evaluate(..., inputs=inputs)"
            )
        )
        msg = Message(template, shown=shown, more=len(missing) - 8)
        warnings.warn(MissingInputWarning(str(msg)).translatable(msg), stacklevel=3)
    verdicts: dict[str, Verdicts] = {}
    numbers: dict[tuple[str, str], tuple[AtomNumbers, ...]] = {}
    # A column's converted copy (a mask of missing values ...) goes once no later step reads
    # it: the person columns of the citizen title are not all held while families are judged.
    last_read = {key: i for i, keys in enumerate(reads) for key in keys}
    if split is not None and split.counted is not None:
        ctx.counted = split.counted
    n_titles = sum(step.node.kind != "derived" for step in steps)
    with np.errstate(all="ignore"), tqdm_bar(n_titles, book.id, bars, unit="titles") as bar:
        for i, step in enumerate(steps):
            upper = split is not None and split.above(step.node.level)
            if split is not None and upper == (split.counted is None):
                if upper:
                    split.collect(ctx, step)  # phase 1: only the counts of the partition
            elif step.node.kind == "derived":
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
        skipped={k: str(v) for k, v in plan.skipped.items()},
        warnings=(*map(str, planned_warnings), *(notice.english() for notice in plan.abolished)),
        missing_inputs=tuple(missing),
        context=ctx,
        skip_reasons=dict(plan.skipped),
        warning_notes=(*map(Phrase, planned_warnings), *plan.abolished),
    )


def _reads(step: Step, ctx: PopulationContext) -> set[tuple[str, str]]:
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
    steps: list[Step],
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
        set_bit(bits, mask, j)

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
        """Sum the points of the criteria whose bit is set, by table lookups.

        Up to 16 criteria, one lookup per entity in a table of every bit pattern (2x the
        speed of a lookup per byte); beyond, one per byte of the bits. Whole points are
        summed in the narrowest integer type that holds every criterion's points together
        (``int16`` for the usual 100: 20 MB per 10M persons, not 80).
        """
        points = [c.points for c in self.criteria]
        dtype: type[np.generic] = np.float64
        if all(float(p).is_integer() for p in points):
            reach = sum(abs(int(p)) for p in points)
            dtype = np.int16 if reach <= 2**15 - 1 else np.int32 if reach < 2**31 else np.int64
        if len(points) <= 16:
            return _points_table(tuple(points), np.dtype(dtype))[bits]
        total = np.zeros(self.n, dtype=dtype)
        for byte in range(0, len(points), 8):
            table = _points_table(tuple(points[byte : byte + 8]), np.dtype(dtype))
            index = bits if byte == 0 else bits >> self.dtype(byte)
            # A last byte of fewer than 8 criteria has no bit set beyond them: in its table.
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


@functools.lru_cache(maxsize=64)
def _points_table(points: tuple[float, ...], dtype: np.dtype[Any]) -> Array:
    """Return the points earned by every pattern of at most 16 criterion bits (bit k: k).

    Examples
    --------
    >>> _points_table((10, 5, 1), np.dtype(np.int16))[:8].tolist()
    [0, 10, 5, 15, 1, 11, 6, 16]
    """
    patterns = np.arange(1 << len(points))
    table = np.zeros(len(patterns), dtype=dtype)
    for k, p in enumerate(np.array(points, dtype=dtype)):
        table[(patterns >> k & 1).astype(bool)] += p
    return table


def _run_title(
    ctx: PopulationContext,
    title: Title,
    step: Step,
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
    # Not assessed for want of the data that decide eligibility: not a measured "no".
    undecided: Mask | None = None
    tally = _Tally(title, version, n)
    numbers: dict[str, tuple[AtomNumbers, ...]] = {}
    # Per level and collection, the entities whose aggregates left out members with
    # missing data: the title's own level says which verdicts rest on partial data.
    skipped: dict[str, dict[str, Mask]] = {}
    for j, (value, found) in enumerate(iter_many(batch, ctx, trace=trace, skipped=skipped)):
        if j < len(version.criteria):
            if found.atoms:
                numbers[version.criteria[j].id] = _numbers(found)
            tally.add(j, np.asarray(value.values, dtype=np.bool_), value.known)
        else:
            assessed = value.passing()  # a new array: no copy of it
            if value.known is not None and not bool(np.all(value.known)):
                undecided = value.unknown()
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
        unassessed_unknown=undecided,
        **_skipped_members(ctx, level, skipped.get(level, {})),
    )
    return result, numbers


def _skipped_members(
    ctx: PopulationContext, level: str, by_collection: Mapping[str, Mask]
) -> dict[str, Any]:
    """Return a title's entities whose aggregates left members out, and by members' level."""
    if not by_collection:
        return {}
    masks = list(by_collection.values())
    anyone = masks[0] if len(masks) == 1 else np.logical_or.reduce(masks)
    available = collections(level, ctx.levels)
    by_level: dict[str, Mask] = {}
    for name, mask in by_collection.items():
        member_level = available[name].member_level
        before = by_level.get(member_level)
        by_level[member_level] = mask if before is None else np.logical_or(before, mask)
    return {"skipped_members": anyone, "skipped_by": tuple(sorted(by_level.items()))}


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
