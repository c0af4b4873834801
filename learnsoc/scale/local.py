"""Evaluate a rulebook on a partitioned dataset, one partition in memory at a time.

Each partition holds whole subtrees (see :mod:`learnsoc.io.dataset`), so every title at
the partition level or below is decided inside it exactly as on the whole population.
:func:`evaluate_partition` keeps only mergeable counts of a partition (a
:class:`PartitionResult`: per title, per criterion, per unit); :meth:`PartitionResult.merge`
adds them up; :class:`DatasetEvaluation` reads them like an
:class:`~learnsoc.rules.engine.Evaluation`. The result equals ``evaluate(whole, ...)``
exactly: counts are integers, added in any order.

The titles of the levels above the partition level (a province's, on a dataset
partitioned by commune) are decided after the merge (:mod:`learnsoc.rules.split`): each
partition counts their ``share``/``all``/``any``/``count`` masks per upper unit over its
own members (:attr:`PartitionResult.counts`), and once the counts are added up they are
evaluated on the units table alone, those aggregates finished from the counts.

Examples
--------
A dataset of two provinces, one commune each, partitioned by province: the examples
of this module's functions and classes read it as ``folder``, and as ``dataset`` (what
:func:`~learnsoc.read_dataset` returns for it).

>>> import learnsoc as ls, numpy as np, tempfile, pathlib, warnings
>>> tree = ls.Hierarchy.from_units({"code": ["01", "02", "00101", "00201"],
...     "level": ["province"] * 2 + ["commune"] * 2, "parent_code": ["", "", "01", "02"]},
...     levels=["province", "commune"])
>>> pop = ls.synthetic_population(persons=2_000, seed=4, hierarchy=tree)
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "d"
>>> dataset = ls.write_dataset(pop, folder)
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore")
...     whole = ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31")
...     parts = evaluate_dataset(folder, "example", "2025-12-31")
>>> parts.summary() == whole.summary()
True
>>> a, b = parts.rollup().to_columns(), whole.rollup().to_columns()
>>> all(np.array_equal(a[c], b[c], equal_nan=a[c].dtype.kind == "f") for c in b)
True
"""

from __future__ import annotations

import copyreg
import datetime as dt
import io
import multiprocessing
import os
import pickle
import threading
import warnings
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import (
    FIRST_COMPLETED,
    Future,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc._arrays import bit_counts
from learnsoc._bars import UNSET, Unset, renamed_flag, tqdm_bar
from learnsoc._messages import N_, Message
from learnsoc._reprs import count_words, repr_tail, repr_words
from learnsoc._warnings import Recorder, ThreadWarnings, caught_warnings
from learnsoc.aggregate.partials import Partial
from learnsoc.aggregate.rollup import Count, Measures, Rollup, rollup_partial
from learnsoc.errors import LearnsocError, Note, Translatable
from learnsoc.i18n import format_integer, get_locale, gettext
from learnsoc.io.dataset import Dataset, DatasetError, read_dataset
from learnsoc.io.files import PathLike
from learnsoc.io.prefetch import Prefetch
from learnsoc.model.hierarchy import Hierarchy
from learnsoc.model.ids import IdIndex
from learnsoc.model.population import Population
from learnsoc.rejects import CountedRejects, Rejects
from learnsoc.rules._display import as_of_text
from learnsoc.rules.context import (
    AlignedInput,
    align_mapping,
    check_keys_found,
    clean_input,
    entity_ids,
    find_input_keys,
    input_key_ids,
)
from learnsoc.rules.engine import (
    Evaluation,
    Summary,
    SummaryRow,
    TitleCounts,
    evaluate_split,
    plan_for,
)
from learnsoc.rules.evaluation import with_title_rates
from learnsoc.rules.rulebook import Rulebook
from learnsoc.rules.split import COUNTING, Counts, Split, aggregates_of
from learnsoc.rules.summary import titles_gone_with_their_level

if TYPE_CHECKING:
    from learnsoc.targets.indicators import TitleVerdicts

__all__ = [
    "UPPER_VERDICTS",
    "CriterionCounts",
    "DatasetEvaluation",
    "Job",
    "Outcome",
    "PartitionResult",
    "Runner",
    "Tick",
    "WorkerError",
    "criterion_counts",
    "evaluate_dataset",
    "evaluate_partition",
]

_ENTITIES = ("person", "household", "clan", "organisation")
_GRADES = 128  # grade codes are below 128 (see Evaluation.summary)


@attrs.frozen
class CriterionCounts:
    """How the assessed entities of a title fared on one criterion.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ev = evaluate_dataset(folder, "example", "2025-12-31")
    >>> ev.result.criteria[("learning_citizen", "literate")]  # 2,000 persons assessed
    CriterionCounts(passed=1643, failed=354, unknown=3)
    >>> CriterionCounts(3, 1, 0) + CriterionCounts(2, 0, 1)  # partitions add up
    CriterionCounts(passed=5, failed=1, unknown=1)
    """

    passed: int
    failed: int
    unknown: int

    def __add__(self, other: CriterionCounts) -> CriterionCounts:
        return CriterionCounts(
            self.passed + other.passed, self.failed + other.failed, self.unknown + other.unknown
        )


def _criteria(
    ev: Evaluation, owned: Mapping[str, NDArray[np.bool_]]
) -> dict[tuple[str, str], CriterionCounts]:
    out: dict[tuple[str, str], CriterionCounts] = {}
    for title_id, v in ev.verdicts_by_title.items():
        inside = owned.get(v.level)
        keep = v.assessed if inside is None else v.assessed & inside
        n_keep = int(np.count_nonzero(keep))
        # Criterion j is bit j: every criterion counted in one pass over the bits, not
        # two masks and three counts per criterion (16 criteria: 96 passes).
        width = len(v.criteria)
        known = bit_counts(v.known_bits, width, keep)
        hits = bit_counts(v.passed_bits, width, keep, also=v.known_bits)
        for j, c in enumerate(v.criteria):
            out[(title_id, c.id)] = CriterionCounts(
                int(hits[j]), int(known[j] - hits[j]), n_keep - int(known[j])
            )
    return out


def criterion_counts(ev: Evaluation) -> dict[tuple[str, str], CriterionCounts]:
    """Return, per (title, criterion), the assessed entities that passed, failed or are unknown.

    :meth:`DatasetEvaluation.criterion_counts` gives the same for a dataset.

    Examples
    --------
    >>> import learnsoc as ls, warnings
    >>> pop = ls.synthetic_population(persons=1_000, seed=1)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ev = ls.evaluate(pop, ls.load_rulebook("example"), "2025-06-30")
    >>> c = criterion_counts(ev)[("learning_citizen", "literate")]
    >>> c.passed + c.failed + c.unknown == int(ev.verdicts("learning_citizen").assessed.sum())
    True
    """
    return _criteria(ev, {})


@attrs.frozen(eq=False)
class _TitleTally:
    level: str
    entities: int
    assessed: int
    passed: int
    unknown: int
    grades: NDArray[np.int64]
    units: TitleCounts
    #: Not assessed for want of the data deciding eligibility (SummaryRow.no_data).
    no_data: int = 0
    #: Decided on the members with data, some eligible ones' missing (SummaryRow.partial_data).
    partial_data: int = 0
    #: The levels of the members they left out (SummaryRow.partial_members).
    partial_members: frozenset[str] = frozenset()

    def __add__(self, other: _TitleTally) -> _TitleTally:
        a, b = self.units, other.units
        return _TitleTally(
            self.level,
            self.entities + other.entities,
            self.assessed + other.assessed,
            self.passed + other.passed,
            self.unknown + other.unknown,
            self.grades + other.grades,
            TitleCounts(
                title=a.title,
                level=a.level,
                entities=a.entities + b.entities,
                assessed=a.assessed + b.assessed,
                passed=a.passed + b.passed,
                unknown=a.unknown + b.unknown,
                unattached=a.unattached + b.unattached,
            ),
            self.no_data + other.no_data,
            self.partial_data + other.partial_data,
            self.partial_members | other.partial_members,
        )


@attrs.frozen(eq=False)
class PartitionResult:
    """The mergeable counts of one or more partitions (see :meth:`merge`).

    Attributes
    ----------
    partitions : tuple of str
        The partitions counted.
    titles : mapping
        Per title: its entities, assessed, granted and unknown, grade counts and
        counts per unit.
    criteria : mapping of (title, criterion) to CriterionCounts
    rollup : Partial
        The rollup's per-unit partial (see :func:`~learnsoc.aggregate.rollup_partial`).
    rows : SummaryRow templates
        The parts of the summary that do not depend on counts (labels, version...).
    counts : mapping
        The counts of the upper titles' aggregates over these partitions' members, per
        ``(level, aggregate text)`` and counting mask, per unit (see
        :mod:`learnsoc.rules.split`); they decide those titles once merged.
    matched : mapping of (level, input name) to bool array
        Of each entity input given by id, whether each key (in the mapping's order) names
        an entity of these partitions: a key no partition matches is refused once all
        are merged, as :func:`~learnsoc.evaluate` refuses it. A mask, merged with ``|``:
        the places of the keys were merged with ``np.union1d``, a sort of every matched
        key at each merge (0.1 s of 10M persons' clans over 5 partitions).

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     one, two = (evaluate_partition(dataset.partition(key), ls.load_rulebook("example"),
    ...         "2025-12-31", partition_by="province", key=key) for key in ("01", "02"))
    >>> both = one.merge(two)
    >>> both.partitions, [r.titles["learning_family"].passed for r in (one, two, both)]
    (('01', '02'), [247, 199, 446])
    """

    partitions: tuple[str, ...]
    titles: Mapping[str, _TitleTally] = attrs.field(repr=False)
    criteria: Mapping[tuple[str, str], CriterionCounts] = attrs.field(repr=False)
    rollup: Partial = attrs.field(repr=False)
    rows: Mapping[str, SummaryRow] = attrs.field(repr=False)
    skipped: Mapping[str, str] = attrs.field(factory=dict, repr=False)
    missing_inputs: tuple[tuple[str, str], ...] = ()
    standard: Partial | None = attrs.field(default=None, repr=False)
    absent: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict, repr=False)
    counts: Counts = attrs.field(factory=dict, repr=False)
    #: Standard measures of titles not in force on the date (every partition says the same).
    not_in_force: Mapping[str, dt.date] = attrs.field(factory=dict, repr=False)
    matched: Mapping[tuple[str, str], NDArray[np.bool_]] = attrs.field(factory=dict, repr=False)
    #: Per standard title measure, the levels of the members left out by the verdicts
    #: decided on partial data (:attr:`learnsoc.Rollup.partial_members`), over these
    #: partitions.
    partial_members: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict, repr=False)
    #: Why each title in :attr:`skipped` was skipped, to be said in any language.
    skip_reasons: Mapping[str, Message] = attrs.field(factory=dict, repr=False)

    def merge(self, other: PartitionResult) -> PartitionResult:
        """Add up the counts of two results over different partitions.

        The result does not depend on the order of the merges (``a.merge(b)`` or
        ``b.merge(a)``, in any tree): counts are integers, the summary's labels come from
        the one result that has them, and the missing inputs are kept sorted, as
        :func:`~learnsoc.evaluate` lists them. Only :attr:`partitions` follows the order.
        """
        standard = None
        if self.standard is not None and other.standard is not None:
            mine, theirs = self.standard, other.standard
            if mine.sums.keys() != theirs.sums.keys():
                # A measure that one partition could not count (its files lack a column
                # it reads: in ``absent``) is absent from the whole, as from a population
                # without that column; never a sum over the partitions that have it.
                both = [name for name in mine.sums if name in theirs.sums]
                mine = attrs.evolve(mine, sums={n: mine.sums[n] for n in both})
                theirs = attrs.evolve(theirs, sums={n: theirs.sums[n] for n in both})
            standard = mine.merge(theirs)
        return PartitionResult(
            (*self.partitions, *other.partitions),
            {t: tally + other.titles[t] for t, tally in self.titles.items()},
            {k: c + other.criteria[k] for k, c in self.criteria.items()},
            self.rollup.merge(other.rollup),
            self.rows or other.rows,
            {**other.skipped, **self.skipped},
            tuple(sorted({*self.missing_inputs, *other.missing_inputs})),
            standard,
            {**other.absent, **self.absent},
            _add_counts(self.counts, other.counts),
            not_in_force={**other.not_in_force, **self.not_in_force},
            matched=_merge_matched(self.matched, other.matched),
            partial_members=_union_members(self.partial_members, other.partial_members),
            skip_reasons={**other.skip_reasons, **self.skip_reasons},
        )


def _merge_matched(
    a: Mapping[tuple[str, str], NDArray[np.bool_]], b: Mapping[tuple[str, str], NDArray[np.bool_]]
) -> dict[tuple[str, str], NDArray[np.bool_]]:
    """Whether each input key names an entity of either side's partitions."""
    merged = {**a, **b}
    for key in a.keys() & b.keys():
        merged[key] = a[key] | b[key]
    return merged


def _add_counts(a: Counts, b: Counts) -> Counts:
    """Add up the counts of the upper aggregates (every partition has the same keys)."""
    out: dict[tuple[str, str], dict[str, NDArray[np.int64]]] = {}
    for key in {*a, *b}:
        left, right = a.get(key, {}), b.get(key, {})
        out[key] = {
            mask: left[mask] + right[mask]
            if mask in left and mask in right
            else (left[mask] if mask in left else right[mask])
            for mask in {*left, *right}
        }
    return out


def _owned(h: Hierarchy, level_k: int, p: int) -> dict[str, NDArray[np.bool_]]:
    """Per unit level at or below the partition level: its units inside partition p."""
    out: dict[str, NDArray[np.bool_]] = {}
    for k, level in enumerate(h.levels):
        if k >= level_k:
            sl = slice(int(h.starts[k]), int(h.starts[k + 1]))
            out[level] = h.ancestors[sl, level_k] == p
    return out


def _counted_units(h: Hierarchy, level_k: int, p: int) -> NDArray[np.bool_]:
    """Return, per slot of a rollup partial, whether partition p counts that unit.

    A unit at the partition level or below is counted by the partition it is in; a unit
    above, by the first partition under it (the first of all when none is), so that the
    sum over partitions counts every unit once.
    """
    n = len(h)
    out = np.zeros(n + 1, bool)
    level_of = np.repeat(np.arange(h.n_levels), np.diff(h.starts))
    below = level_of >= level_k
    out[:n][below] = h.ancestors[below, level_k] == p
    lo, hi = int(h.starts[level_k]), int(h.starts[level_k + 1])
    for k in range(level_k):
        first = np.zeros(int(h.starts[k + 1] - h.starts[k]), np.int64)
        # The partitions are in order: the first under a unit is where its index first appears.
        parents, at = np.unique(h.ancestors[lo:hi, k].astype(np.int64), return_index=True)
        first[parents] = at
        out[int(h.starts[k]) : int(h.starts[k + 1])] = first == p
    return out


def _union_members(
    a: Mapping[str, tuple[str, ...]], b: Mapping[str, tuple[str, ...]]
) -> dict[str, tuple[str, ...]]:
    """Return, per measure, the member levels either side left out (sorted, as in memory)."""
    return {name: tuple(sorted({*a.get(name, ()), *b.get(name, ())})) for name in {*a, *b}}


@attrs.frozen
class _DecidedLater:
    """A title of a level above the partition, as a partition's standard measures see it.

    Its verdicts come after the merge: here nobody is granted it, everyone is assessed and
    nothing is unknown, so the measures its verdicts give
    (``learning_districts_not_assessed``...) are in their places, as zeros.
    """

    passed: NDArray[np.bool_]
    assessed: NDArray[np.bool_]
    unknown: NDArray[np.bool_]
    unassessed_unknown: None = None
    #: Nothing decided here (``learning_districts_decided`` is 0 until the merge).
    known: NDArray[np.bool_] = attrs.field(factory=lambda: np.zeros(0, np.bool_))
    partial_data: NDArray[np.bool_] = attrs.field(factory=lambda: np.zeros(0, np.bool_))

    @classmethod
    def of(cls, n: int) -> _DecidedLater:
        """Return the stand-in of a level of ``n`` units."""
        none = np.zeros(n, np.bool_)
        return cls(none, np.ones(n, np.bool_), none, None, none, none)

    def partial_members(self) -> tuple[str, ...]:
        """Return no member levels: the verdicts come after the merge."""
        return ()


def _standard_partial(
    pop: Population, ev: Evaluation, level_k: int, p: int, upper: Sequence[str] = ()
) -> tuple[Partial, Measures]:
    """Return the partial of the standard measures (what reports read) of one partition.

    The levels in ``upper`` have titles decided after the merge: their measures are
    zeros here, in their places, and get their counts then, or are dropped when the
    level's standard title is not in force on the date (:func:`_upper_standard`).
    """
    from learnsoc.aggregate.rollup import as_measure
    from learnsoc.targets import standard_measures, standard_titles

    h = pop.hierarchy
    titles: dict[str, TitleVerdicts] = standard_titles(ev)
    for level in upper:
        titles.setdefault(level, _DecidedLater.of(h.n_units(level)))
    measures = standard_measures(pop, titles=titles)
    partial = rollup_partial(pop, measures)
    counted = _counted_units(h, level_k, p)
    sums = dict(partial.sums)
    for name, spec in measures.items():
        if as_measure(name, spec).entity in h.levels:
            # Each partition decides every unit; only the units it counts are kept.
            sums[name] = np.where(counted, sums[name], 0)
    return attrs.evolve(partial, sums=sums), measures


def _within(mask: NDArray[np.bool_], keep: NDArray[np.bool_] | None) -> NDArray[np.bool_]:
    """Return ``mask`` where ``keep`` (all of it, not a copy, for None)."""
    return mask if keep is None else mask & keep


def evaluate_partition(
    pop: Population,
    book: Rulebook,
    as_of: str | dt.date,
    *,
    partition_by: str,
    key: str,
    inputs: Mapping[str, Mapping[str, Any]] | None = None,
    verdicts_out: Path | None = None,
    labels: bool = True,
    standard: bool = False,
    indexed_inputs: InputKeys | None = None,
) -> PartitionResult:
    """Evaluate one partition and keep its mergeable counts.

    ``pop`` holds the partition's entities with the whole units table (as
    :meth:`~learnsoc.io.dataset.Dataset.partition` reads it); the titles of units
    outside the partition are decided on no members there and are left out. With
    ``labels=False`` the summary's labels are not built (they are the same in every
    partition: one result that has them is enough for a merge). The titles above the
    partition level are not decided here: the counts of their aggregates over the
    partition's members are kept in :attr:`PartitionResult.counts`. With ``standard=True``
    the result also holds the partial of
    :func:`~learnsoc.targets.standard_measures` (see
    :meth:`DatasetEvaluation.standard_rollup`). ``indexed_inputs`` (from
    :func:`index_inputs`, once per run) spares each partition reading every id of
    ``inputs``.

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     part = evaluate_partition(dataset.partition("02"), ls.load_rulebook("example"),
    ...         "2025-12-31", partition_by="province", key="02")
    >>> tally = part.titles["learning_family"]
    >>> part.partitions, tally.entities, tally.assessed, tally.passed
    (('02',), 252, 235, 199)
    """
    h = pop.hierarchy
    level_k = h.level_number(partition_by)
    p = h.codes_at(partition_by).tolist().index(key)
    owned = _owned(h, level_k, p)
    # The titles above the partition level are not decided here: their aggregates are
    # counted over this partition's members, to be added up and decided once (phase 2).
    split = Split.of(h, partition_by, owned=owned)
    matched: dict[tuple[str, str], NDArray[np.bool_]] = {}
    here = _inputs_here(pop, inputs, indexed_inputs, matched)
    ev = evaluate_split(pop, book, as_of, inputs=here, split=split)
    n_units = len(h)
    titles: dict[str, _TitleTally] = {}
    rows: dict[str, SummaryRow] = {}
    measures: dict[str, Count] = {}
    if labels:
        rows = {row.title: row for row in ev.summary().rows}
    for title_id, counts in ev.title_counts().items():
        v = ev.verdicts(title_id)
        keep = owned.get(v.level)
        if keep is not None:
            # Unit-level counts are indexed by the unit itself: drop the units elsewhere.
            inside = np.zeros(n_units, bool)
            k = h.level_number(v.level)
            inside[int(h.starts[k]) : int(h.starts[k + 1])] = keep
            counts = TitleCounts(
                title=counts.title,
                level=counts.level,
                entities=np.where(inside, counts.entities, 0),
                assessed=np.where(inside, counts.assessed, 0),
                passed=np.where(inside, counts.passed, 0),
                unknown=np.where(inside, counts.unknown, 0),
                unattached=counts.unattached,
            )
        grades = np.zeros(_GRADES, np.int64)
        if v.grade is not None:
            grade = v.grade if keep is None else v.grade[keep]
            grades = np.bincount(grade.astype(np.int64), minlength=_GRADES)
        # Each mask once, kept to the partition's own entities (an entity title's are
        # all its own: the verdicts' arrays themselves, no copy).
        passed = _within(v.passed, keep)
        assessed = _within(v.assessed, keep)
        unknown = _within(v.unknown, keep)
        titles[title_id] = _TitleTally(
            v.level,
            len(v) if keep is None else int(np.count_nonzero(keep)),
            int(np.count_nonzero(assessed)),
            int(np.count_nonzero(passed)),
            int(np.count_nonzero(unknown)),
            grades,
            counts,
            0
            if v.unassessed_unknown is None
            else int(np.count_nonzero(_within(v.unassessed_unknown, keep))),
            int(np.count_nonzero(_within(v.partial_data, keep))),
            frozenset(v.partial_members(keep)),
        )
        measures[title_id] = Count(v.level, passed)
        measures[f"{title_id}_assessed"] = Count(v.level, assessed)
        measures[f"{title_id}_unknown"] = Count(v.level, unknown)
    if verdicts_out is not None:
        _write_verdicts(ev, owned, verdicts_out, partition_by, key)
    std: Partial | None = None
    absent: Mapping[str, tuple[str, ...]] = {}
    not_in_force: Mapping[str, dt.date] = {}
    members: Mapping[str, tuple[str, ...]] = {}
    if standard:
        upper = list(dict.fromkeys(level for _, level in split.upper_titles))
        std, counted = _standard_partial(pop, ev, level_k, p, upper)
        absent, not_in_force = dict(counted.absent), dict(counted.not_in_force)
        members = dict(counted.partial_members)
    return PartitionResult(
        (key,),
        titles,
        _criteria(ev, owned),
        rollup_partial(pop, measures),
        rows,
        dict(ev.skipped),
        tuple(ev.missing_inputs),
        std,
        absent,
        split.collected,
        not_in_force=not_in_force,
        matched=matched,
        partial_members=members,
        skip_reasons=dict(ev.skip_reasons),
    )


#: Per (level, input name) of an entity input given by id: its keys and an index of them.
#: Per input: the index of its ids (None: a unit input, already in the tree's order) and
#: its cleaned values.
InputKeys = Mapping[tuple[str, str], tuple[IdIndex | None, AlignedInput]]


def index_inputs(
    inputs: Mapping[str, Mapping[str, Any]] | None, hierarchy: Hierarchy | None = None
) -> InputKeys:
    """Index and clean, once per run, each input given by id (or unit code).

    Each partition then looks its own entities up in the index (work in proportion to
    the partition) instead of reading and cleaning every id and value of the country
    again; the values come back in key order (``AlignedInput``). Inputs of a level of
    ``hierarchy`` (the whole tree is in every partition) are put in its order once. An
    input whose ids repeat once written alike (``"007"`` and ``7``), with a key that is
    no id (``None``, NaN, ``""``), or that would be refused, is left out:
    :func:`_inputs_here` gives it as given, which keeps both spellings as the in-memory
    path sees them and refuses it in the partition, as the in-memory path does.
    """
    out: dict[tuple[str, str], tuple[IdIndex | None, AlignedInput]] = {}
    for level, columns in (inputs or {}).items():
        codes = None
        if level not in _ENTITIES:
            if hierarchy is None or level not in hierarchy.levels:
                continue
            codes = hierarchy.codes_at(level)
        for name, raw in columns.items():
            if not isinstance(raw, Mapping):
                continue
            try:
                if codes is not None:
                    values, present = align_mapping(codes, raw, level, name)
                    out[(level, name)] = (None, AlignedInput(values, present))
                    continue
                keys = list(raw)
                query, missing = input_key_ids(keys)
                index = IdIndex(query)
                if bool(missing.any() | index.duplicated().any()):
                    continue
                values, present = clean_input(
                    np.array([raw[k] for k in keys], dtype=object), level, name
                )
            except LearnsocError:
                continue
            out[(level, name)] = (index, AlignedInput(values, present))
    return out


def _inputs_here(
    pop: Population,
    inputs: Mapping[str, Mapping[str, Any]] | None,
    indexed: InputKeys | None = None,
    matched: dict[tuple[str, str], NDArray[np.bool_]] | None = None,
) -> Mapping[str, Mapping[str, Any]] | None:
    """Keep, of each entity input given by id, the ids of this partition.

    ``matched`` gets, per input, whether each key names an entity here.
    """
    matched = {} if matched is None else matched
    if not inputs:
        return inputs
    indexed = indexed or {}
    out: dict[str, Mapping[str, Any]] = {}
    for level, columns in inputs.items():
        if level not in _ENTITIES:
            whole = {n: indexed[(level, n)][1] for n in columns if (level, n) in indexed}
            out[level] = {**columns, **whole} if whole else columns
            continue
        ids = entity_ids(pop, level)
        here: dict[str, Any] = {}
        for name, raw in columns.items():
            index, given = indexed.get((level, name), (None, None))
            if index is not None and given is not None:
                rows, found = index.lookup(ids)
                named = np.zeros(len(given.values), np.bool_)
                named[rows[found]] = True
                matched[(level, name)] = named
                values = np.zeros(len(ids), dtype=given.values.dtype)
                present = np.zeros(len(ids), dtype=np.bool_)
                values[found] = given.values[rows[found]]
                present[found] = given.present[rows[found]]
                here[name] = AlignedInput(values, present)
                continue
            keys = list(raw)
            _, found, missing = find_input_keys(ids, keys)
            matched[(level, name)] = found
            # A key of no entity anywhere is kept, for the partition to refuse as evaluate does.
            kept = np.flatnonzero(found | missing).tolist()
            here[name] = {keys[i]: raw[keys[i]] for i in kept}
        out[level] = here
    return out


def _write_verdicts(
    ev: Evaluation,
    owned: Mapping[str, NDArray[np.bool_]],
    folder: Path,
    level: str,
    key: str,
) -> None:
    from learnsoc.io.dataset import partition_file
    from learnsoc.io.verdicts import PARQUET_OPTIONS, verdict_chunks
    from learnsoc.io.writers import check_inside, write_chunks

    h = ev.population.hierarchy
    codes = {lv: set(h.codes_at(lv)[keep].tolist()) for lv, keep in owned.items()}

    def chunks() -> Any:
        for chunk in verdict_chunks(ev, text_ids=False):
            lv = str(chunk["level"][0]) if len(chunk["level"]) else ""
            if lv in codes:
                keep = np.isin(chunk["id"].astype(str), list(codes[lv]))
                yield {c: a[keep] for c, a in chunk.items()}
            else:
                yield chunk

    path = partition_file(folder, "verdicts", level, key)
    # Before mkdir: a link in the folder (verdicts/, a partition's) must not lead it out.
    check_inside(folder, path)
    _make_folders_in(folder, path.parent)
    write_chunks(chunks(), path, text_columns=("id",), **PARQUET_OPTIONS)


def _make_folders_in(folder: Path, inner: Path) -> None:
    """Create the folders from ``folder``, which must exist, down to ``inner``.

    Not ``inner.mkdir(parents=True)``: a task still running on a worker after its run
    failed (Dask does not stop a running task) would create the run's staged folder
    again once it was removed, and leave it behind; here it fails instead.
    """
    current = folder
    for part in inner.relative_to(folder).parts:
        current = current / part
        current.mkdir(exist_ok=True)


#: The file of the upper units' verdicts, beside the ``verdicts/`` folder of the partitions.
UPPER_VERDICTS = "verdicts_above.parquet"


def _write_upper_verdicts(ev: Evaluation, folder: Path) -> None:
    """Write the verdicts of the units above the partition level.

    Not under ``verdicts/``: a hive reader takes every folder there for a value of the
    partition column, and these units are in no partition.
    """
    from learnsoc.io.verdicts import PARQUET_OPTIONS, verdict_chunks
    from learnsoc.io.writers import check_inside, write_chunks

    check_inside(folder, folder / UPPER_VERDICTS)
    write_chunks(verdict_chunks(ev), folder / UPPER_VERDICTS, **PARQUET_OPTIONS)


@attrs.frozen(eq=False)
class DatasetEvaluation:
    """The counts of a rulebook evaluated on a dataset, read like an Evaluation.

    :meth:`summary`, :meth:`title_counts` and :meth:`rollup` return what
    :class:`~learnsoc.rules.engine.Evaluation` returns for the whole population, equal
    to it. Verdicts per entity are not held (they would not fit in memory): ask
    :func:`evaluate_dataset` to write them with ``verdicts_out=``; ``titles``,
    ``explain`` and ``failing`` have no counterpart here.

    Attributes
    ----------
    dataset : Dataset
    rulebook : Rulebook
    as_of : datetime.date
    skipped : mapping of str to str
    warnings : tuple of str
        Each warning of the partitions' evaluations, once.
    missing_inputs : tuple of (level, name)
    warning_notes : tuple of Translatable
        The same warnings, to be said in any language (the notebook table).

    Examples
    --------
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ev = evaluate_dataset(folder, "example", "2025-12-31")
    >>> ev
    DatasetEvaluation('example', as of 2025-12-31: 4 titles, 2,000 persons in 2 partitions \
by province; 2 skipped; 2 missing inputs)
    >>> ev.title_counts()["learning_family"].passed.tolist()  # per unit: 01, 02, communes
    [0, 0, 247, 199]
    """

    dataset: Dataset
    rulebook: Rulebook
    as_of: dt.date
    result: PartitionResult = attrs.field(repr=False)
    skipped: Mapping[str, str] = attrs.field(factory=dict)
    warnings: tuple[str, ...] = ()
    missing_inputs: tuple[tuple[str, str], ...] = ()
    warning_notes: tuple[Translatable, ...] = attrs.field(default=(), repr=False)
    #: Why each title in :attr:`skipped` was skipped, said in the notebook's language.
    skip_reasons: Mapping[str, Message] = attrs.field(factory=dict, repr=False)

    @property
    def hierarchy(self) -> Hierarchy:
        """Return the dataset's hierarchy."""
        return self.dataset.hierarchy

    def summary(self) -> Summary:
        """Return the counts per title, as :meth:`Evaluation.summary`."""
        rows = []
        for title_id, row in self.result.rows.items():
            t = self.result.titles[title_id]
            grades = tuple((code, vi, en, int(t.grades[code])) for code, vi, en, _ in row.grades)
            rows.append(
                attrs.evolve(
                    row,
                    entities=t.entities,
                    assessed=t.assessed,
                    passed=t.passed,
                    failed=t.assessed - t.passed - t.unknown,
                    unknown=t.unknown,
                    grades=grades,
                    no_data=t.no_data,
                    partial_data=t.partial_data,
                    partial_members=tuple(sorted(t.partial_members)),
                )
            )
        # The rows the dataset's files had, read, accepted and rejected (when recorded).
        built = self._built()
        gone = titles_gone_with_their_level(
            self.rulebook, self.skipped, self.dataset.hierarchy.spec, self.as_of
        )
        return Summary(self.as_of.isoformat(), tuple(rows), built, gone=gone)

    @property
    def rejects(self) -> Rejects:
        """Return the rows read, accepted and rejected when the dataset was built.

        :attr:`learnsoc.io.Dataset.rejects`: the counts of the files it was built from, so
        that figures from it say how many rows they do not cover; ``rejects.file`` lists
        those rows, with their files and lines.
        """
        return self.dataset.rejects

    def __repr__(self) -> str:
        # Short, as Evaluation's: the attrs default spelled out the dataset, the rulebook
        # and every warning in full, a screen of text in a notebook.
        more = repr_tail(self.skipped, self.missing_inputs)
        ds = self.dataset
        loc = get_locale()
        where = repr_words(
            "{persons} in {partitions} by {key}",
            persons=count_words("{n} person", "{n} persons", ds.n_persons),
            partitions=count_words("{n} partition", "{n} partitions", len(ds.partitions)),
            key=ds.partition_by if loc == "en" else gettext(ds.partition_by, loc),
        )
        titles = count_words("{n} title", "{n} titles", len(self.result.titles))
        return (
            f"DatasetEvaluation({self.rulebook.id!r}, {as_of_text(self.as_of)}: "
            f"{titles}, {where}{more})"
        )

    def _repr_html_(self) -> str:
        # A notebook shows what it shows for an Evaluation: the rulebook, the summary table
        # and the titles skipped, the inputs nobody gave and the warnings.
        return self.to_html()

    def to_html(self, locale: str | None = None) -> str:
        """Return the rulebook and the summary table as HTML, in the locale.

        As an :class:`~learnsoc.rules.evaluation.Evaluation`'s ``to_html``.
        """
        from learnsoc.rules.evaluation import evaluation_html

        return evaluation_html(self, locale)

    def title_counts(self) -> dict[str, TitleCounts]:
        """Return each title's counts per unit, as :meth:`Evaluation.title_counts`."""
        return {t: tally.units for t, tally in self.result.titles.items()}

    def criterion_counts(self) -> dict[tuple[str, str], CriterionCounts]:
        """Return the tally of each criterion, as :func:`criterion_counts` of an Evaluation."""
        return dict(self.result.criteria)

    def rollup(self) -> Rollup:
        """Count each title at every level and in total, as :meth:`Evaluation.rollup`.

        Its ``rejects`` are the rows read, accepted and rejected when the dataset was
        built (:attr:`rejects`), as an in-memory rollup carries its population's: the
        results and progress tables made from it say them.
        """
        roll = Rollup.from_partial(self.result.rollup, self.hierarchy, rejects=self._built())
        return with_title_rates(roll, self.result.titles)

    def _built(self) -> CountedRejects | None:
        # None when the dataset kept no counts (written before they were recorded).
        return self.dataset.rejects if len(self.dataset.rejects.read) else None

    def standard_rollup(self) -> Rollup:
        """Return the rollup of the standard measures, what reports and targets read.

        Equal to ``ls.rollup(pop, ls.standard_measures(pop,
        titles=ls.standard_titles(ev)))`` on the whole population; it needs
        ``evaluate_dataset(..., standard_measures=True)``.

        Raises
        ------
        DatasetError
            If the evaluation was run without ``standard_measures=True``.
        """
        if self.result.standard is None:
            msg = Message(
                N_(
                    "this evaluation did not count the standard measures; run "
                    "evaluate_dataset(..., standard_measures=True)"
                )
            )
            raise DatasetError(str(msg)).translatable(msg)
        return Rollup.from_partial(
            self.result.standard,
            self.hierarchy,
            rejects=self._built(),
            absent_columns=self.result.absent,
            not_in_force=self.result.not_in_force,
            partial_members=_in_order(self.result.partial_members, self.result.standard),
        )


def _in_order(
    members: Mapping[str, tuple[str, ...]], standard: Partial
) -> dict[str, tuple[str, ...]]:
    """Return the member levels per title measure in the order of the measures, as in memory."""
    return {name: members[name] for name in standard.sums if name in members}


def _above(book: Rulebook, h: Hierarchy, level: str) -> list[str]:
    k = h.level_number(level)
    return [t.id for t in book.titles if t.level in h.levels and h.level_number(t.level) < k]


def _units_only(h: Hierarchy) -> Population:
    """Return a population of the hierarchy alone: where the upper titles are decided."""
    none = np.array([], dtype=object)
    return Population.from_columns(
        {"person_id": none, "household_id": none, "age": np.array([], np.int64)},
        {"household_id": none, "unit_code": none},
        hierarchy=h,
    )


def _check_upper(book: Rulebook, pop: Population, as_of: str | dt.date, level: str) -> None:
    """Refuse a sum, mean, min or max of an upper title over members counted by partition.

    Counts add up across partitions; a mean of means does not, and no bundled rulebook
    needs one.
    """
    from learnsoc.rules.as_of import as_date

    h = pop.hierarchy
    date = as_date(as_of)
    info = book.info
    if info.effective_from is not None and date < info.effective_from:
        return  # the partitions say so, as evaluate does
    plan = plan_for(book, pop, date)
    split = Split.of(h, level)
    for step in plan.steps:
        if not split.above(step.node.level):
            continue
        for node in aggregates_of(step):
            if node.func not in COUNTING and split.from_counts(step.node.level, node):
                title = N_(
                    "title {name!r} of level {level!r} takes the {func} of {collection!r}, "
                    "whose members are counted partition by partition (partition level "
                    "{by!r}): only share, all, any and count add up across partitions; "
                    "partition the dataset by {level!r} or a higher level"
                )
                derived = N_(
                    "derived value {name!r} of level {level!r} takes the {func} of "
                    "{collection!r}, whose members are counted partition by partition "
                    "(partition level {by!r}): only share, all, any and count add up across "
                    "partitions; partition the dataset by {level!r} or a higher level"
                )
                msg = Message(
                    title if step.node.kind == "title" else derived,
                    name=step.node.name,
                    level=step.node.level,
                    func=node.func,
                    collection=node.collection,
                    by=level,
                )
                raise DatasetError(str(msg)).translatable(msg)


def _decide_upper(job: Job, merged: PartitionResult, units: Population) -> PartitionResult:
    """Phase 2: decide the titles above the partition level from the merged counts.

    They are evaluated once on the hierarchy alone (the unit inputs given), with their
    aggregates over members at the partition level or below finished from the counts.
    Their warnings are the partitions' (each evaluation gives the whole rulebook's).
    """
    ds = job.dataset
    h = ds.hierarchy
    split = Split.of(h, ds.partition_by, counted=merged.counts)
    inputs = {lv: c for lv, c in (job.inputs or {}).items() if lv not in _ENTITIES}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = evaluate_split(units, job.book, job.as_of, inputs=inputs, split=split)
    titles: dict[str, _TitleTally] = {}
    measures: dict[str, Count] = {}
    for title_id, counts in ev.title_counts().items():
        v = ev.verdicts(title_id)
        grades = np.zeros(_GRADES, np.int64)
        if v.grade is not None:
            grades = np.bincount(v.grade.astype(np.int64), minlength=_GRADES)
        titles[title_id] = _TitleTally(
            v.level,
            len(v),
            int(np.count_nonzero(v.assessed)),
            int(np.count_nonzero(v.passed)),
            int(np.count_nonzero(v.unknown)),
            grades,
            counts,
            0 if v.unassessed_unknown is None else int(np.count_nonzero(v.unassessed_unknown)),
            # From the merged counts, whose "missing" are the partitions' summed: the same
            # groups left members out as in memory.
            int(np.count_nonzero(v.partial_data)),
            frozenset(v.partial_members()),
        )
        measures[title_id] = Count(v.level, v.passed)
        measures[f"{title_id}_assessed"] = Count(v.level, v.assessed)
        measures[f"{title_id}_unknown"] = Count(v.level, v.unknown)
    standard: Partial | None = None
    gone: dict[str, dt.date] = {}
    members: dict[str, tuple[str, ...]] = {}
    if merged.standard is not None:
        standard, gone, members = _upper_standard(
            units, ev, merged.standard, merged.not_in_force, ds.partition_by
        )
    if job.verdicts_out is not None:
        _write_upper_verdicts(ev, job.verdicts_out)
    return PartitionResult(
        (),
        titles,
        _criteria(ev, {}),
        rollup_partial(units, measures),
        {row.title: row for row in ev.summary().rows},
        standard=standard,
        not_in_force=gone,
        partial_members=members,
    )


def _upper_standard(
    units: Population,
    ev: Evaluation,
    lower: Partial,
    not_in_force: Mapping[str, dt.date],
    level: str,
) -> tuple[Partial, dict[str, dt.date], dict[str, tuple[str, ...]]]:
    """Return the merged standard partial with the upper titles' counts, and what is not in force.

    The third item gives, per upper title measure, the member levels its verdicts decided
    on partial data left out (:attr:`learnsoc.Rollup.partial_members`).

    The partitions left zeros in the places of the upper levels' title measures
    (``learning_districts``, its ``_missing``...). A level whose title is decided gets its
    counts added (not the units' counts the partitions already made). A level whose
    standard title is not in force on the date has no such measures in memory
    (:func:`~learnsoc.targets.standard_titles` leaves it out): its zeros are dropped and
    the level is named among the measures not in force, so that reports say "not in force
    on DATE", as in memory, not "0 granted". The measures not in force come in the order
    :func:`~learnsoc.targets.standard_measures` gives them.
    """
    from learnsoc.targets import standard_measures, standard_titles
    from learnsoc.targets.indicators import not_in_force_measures

    h = units.hierarchy
    measures = standard_measures(units, titles=standard_titles(ev))
    base = set(standard_measures(units, titles={}))
    above = h.levels[: h.level_number(level)]
    stand_ins = {lv: _DecidedLater.of(h.n_units(lv)) for lv in above}
    zeros = set(standard_measures(units, titles=stand_ins)) - base
    theirs = set(measures) - base
    upper = rollup_partial(units, {name: measures[name] for name in theirs})
    sums = {
        name: a + upper.sums[name] if name in theirs else a
        for name, a in lower.sums.items()
        if name in theirs or name not in zeros
    }
    gone = {**not_in_force, **measures.not_in_force}
    levels = dict.fromkeys(sorted({*_ENTITIES, *h.levels}), ev.as_of)
    names = not_in_force_measures(levels, h.leaf_level)
    ordered = {name: gone[name] for name in names if name in gone}
    # Only the levels decided here: the units-only population's families are none.
    upper_names = not_in_force_measures(dict.fromkeys(above, ev.as_of), h.leaf_level)
    members = {
        name: left_out for name, left_out in measures.partial_members.items() if name in upper_names
    }
    return attrs.evolve(lower, sums=sums), {**ordered, **gone}, members


def _join(book: Rulebook, lower: PartitionResult, upper: PartitionResult) -> PartitionResult:
    """Put the upper titles among the merged ones, in the order evaluate decides them."""
    order = [n.name for n in book.order if n.kind == "title"]
    titles = {**lower.titles, **upper.titles}
    rows = {**lower.rows, **upper.rows}
    ranked = [t for t in order if t in titles]
    # The upper partial's other sums (persons...) count no one: the lower ones are kept.
    mine = [m for t in upper.titles for m in (t, f"{t}_assessed", f"{t}_unknown")]
    sums = {**lower.rollup.sums, **{m: upper.rollup.sums[m] for m in mine}}
    first = [m for t in ranked for m in (t, f"{t}_assessed", f"{t}_unknown")]
    names = first + [m for m in sums if m not in first]
    return attrs.evolve(
        lower,
        titles={t: titles[t] for t in ranked},
        criteria={**lower.criteria, **upper.criteria},
        rollup=attrs.evolve(lower.rollup, sums={m: sums[m] for m in names}),
        rows={t: rows[t] for t in ranked if t in rows},
        standard=upper.standard if upper.standard is not None else lower.standard,
        # The upper result has the measures not in force of every level, in their order.
        not_in_force=upper.not_in_force if upper.standard is not None else lower.not_in_force,
        counts={},
        # The upper titles' members are the upper evaluation's (the partitions' stand-ins
        # left none).
        partial_members={**lower.partial_members, **upper.partial_members},
    )


def _check_inputs(inputs: Mapping[str, Mapping[str, Any]] | None) -> None:
    for level, columns in (inputs or {}).items():
        if level not in _ENTITIES:
            continue  # unit levels: arrays in the whole units table's order are fine
        for name, values in columns.items():
            if not isinstance(values, Mapping):
                msg = Message(
                    N_(
                        "inputs={level!r}: {name!r} is given as an array; on a dataset, "
                        "give {level} inputs as a mapping from id to value"
                    ),
                    level=level,
                    name=name,
                )
                raise DatasetError(str(msg)).translatable(msg)


# -- running the partitions: here, in worker processes, or on a Dask cluster ----------------


def _proxy(mapping: dict[str, Any]) -> MappingProxyType[str, Any]:
    return MappingProxyType(mapping)


def dumps(obj: object) -> bytes:
    """Pickle what a worker needs or returns (a rulebook holds read-only mappings).

    A read-only mapping (:class:`types.MappingProxyType`, as a loaded rulebook and a
    summary hold) does not pickle; it is written as its items and read back read-only.
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    table = copyreg.dispatch_table.copy()
    table[MappingProxyType] = lambda m: (_proxy, (dict(m),))
    pickler.dispatch_table = table
    pickler.dump(obj)
    return buffer.getvalue()


class Portable:
    """Carry an object to or from another process: it unpickles as the object itself.

    Examples
    --------
    >>> import pickle, learnsoc as ls
    >>> book = pickle.loads(pickle.dumps(Portable(ls.load_rulebook("example"))))
    >>> book.id
    'example'
    """

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __reduce__(self) -> tuple[Any, ...]:
        return (pickle.loads, (dumps(self.value),))


def unwrap(obj: Any) -> Any:
    """Return the object a :class:`Portable` carries (one that was never pickled)."""
    return obj.value if isinstance(obj, Portable) else obj


@attrs.frozen(eq=False)
class Job:
    """What the run of every partition needs: sent once to each worker.

    Examples
    --------
    >>> job = Job(dataset, ls.load_rulebook("example"), "2025-12-31", None, None, False)
    >>> job.keys, job.anywhere().dataset.path.is_absolute()
    (('01', '02'), True)
    """

    dataset: Dataset
    book: Rulebook
    as_of: str | dt.date
    inputs: Mapping[str, Mapping[str, Any]] | None
    verdicts_out: Path | None
    standard: bool
    #: The entity inputs' ids, indexed once (:func:`index_inputs`).
    indexed_inputs: InputKeys = attrs.field(factory=dict)

    @property
    def keys(self) -> tuple[str, ...]:
        """Return the partitions, in the dataset's order."""
        return self.dataset.partitions

    def anywhere(self) -> Job:
        """Return the job with its folders as absolute paths, to run in another directory.

        A worker of a cluster runs from its own working directory: ``national/`` given
        to the client named no file there ("partition file missing" for a file the
        client sees).
        """
        dataset = attrs.evolve(self.dataset, path=self.dataset.path.absolute())
        out = None if self.verdicts_out is None else self.verdicts_out.absolute()
        return attrs.evolve(self, dataset=dataset, verdicts_out=out)

    @property
    def largest_first(self) -> tuple[str, ...]:
        """Return the partitions by persons, most first: the order to hand them to workers.

        Provinces differ tenfold in size; started last, a big one leaves the other workers
        idle while it runs (10M persons in 5 provinces on 2 processes: 2.7 s in dataset
        order, 1.4 s biggest first). The result does not depend on the order.
        """
        rows = self.dataset.rows
        return tuple(sorted(self.keys, key=lambda k: -int(rows[k].get("persons", 0))))

    @property
    def smallest_first(self) -> tuple[str, ...]:
        """Return the partitions by persons, fewest first: the order to run them in one process.

        The first partition's files are decoded before anything else can start, and each
        next one while the one before is evaluated (evaluating a person costs more than
        decoding one): small first, the wait at the start is short and each decoding
        hides behind an evaluation. 10M persons in 5 provinces spent about 0.4 s waiting
        in the dataset's order (the largest province first). The result does not depend
        on the order.
        """
        rows = self.dataset.rows
        return tuple(sorted(self.keys, key=lambda k: int(rows[k].get("persons", 0))))


#: A warning a partition gave, by (category, text): (partition number, rank in it, warning).
Seen = Mapping[tuple[type[Warning], str], tuple[int, int, Warning]]


@attrs.frozen(eq=False)
class Outcome:
    """The counts of some partitions and the warnings they gave (each once).

    Examples
    --------
    >>> import warnings
    >>> job = Job(dataset, ls.load_rulebook("example"), "2025-12-31", None, None,
    ...     False)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     one, two = run_partition(job, "01"), run_partition(job, "02")
    >>> [o.result.titles["learning_family"].passed for o in (one, two, one.merge(two))]
    [247, 199, 446]
    >>> two.merge(one).result.titles["learning_family"].passed  # in either order
    446
    """

    result: PartitionResult
    warnings: Seen

    def merge(self, other: Outcome) -> Outcome:
        """Add up two outcomes; the result does not depend on which one comes first.

        A warning given by several partitions is kept as the first partition (in the
        dataset's order) gave it, so the warnings come out as a run one partition after
        the other gives them, whatever the order the partitions finish in.
        """
        seen = dict(self.warnings)
        for key, found in other.warnings.items():
            if key not in seen or found[:2] < seen[key][:2]:
                seen[key] = found
        return Outcome(self.result.merge(other.result), seen)


def partition_task(job: Any, key: str) -> Portable:
    """Run one partition, as a task on a worker (the job may come wrapped or not)."""
    return Portable(run_partition(unwrap(job), key))


def merge_outcomes(left: Any, right: Any) -> Portable:
    """Merge two outcomes, as a task on a worker (they may come wrapped or not)."""
    return Portable(unwrap(left).merge(unwrap(right)))


def run_partition(
    job: Job,
    key: str,
    *,
    ahead: Prefetch | None = None,
    then: str | None = None,
    record: Callable[[], Recorder] = caught_warnings,
) -> Outcome:
    """Read one partition, evaluate it and keep its counts and warnings.

    With ``ahead``, the partition's files are taken from it where it decoded them, and
    partition ``then`` (the one to run next) is decoded in it while this one is evaluated.
    ``record`` records the warnings of the evaluation (:meth:`ThreadWarnings.record` when
    partitions run in threads).

    Raises
    ------
    DatasetError
        For a partition with rejected rows, and the bad files
        :meth:`~learnsoc.io.dataset.Dataset.partition` reports. Any error is raised as
        itself, with a note naming the partition when its message does not.
    """
    ds = job.dataset
    number = ds.partitions.index(key)
    try:
        with record() as caught:
            if ahead is None:
                pop = ds.partition(key)
            else:
                with ahead.active():
                    pop = ds.partition(key)
                if then is not None:
                    ds.read_ahead(then, ahead, like=key)
            if len(pop.rejects):
                one = N_(
                    "partition {key!r}: {n} row was rejected when read; see "
                    "Dataset.partition({key!r}).rejects and fix the files"
                )
                many = N_(
                    "partition {key!r}: {n} rows were rejected when read; see "
                    "Dataset.partition({key!r}).rejects and fix the files"
                )
                n = len(pop.rejects)
                msg = Message(one if n == 1 else many, key=key, n=n)
                raise DatasetError(str(msg), partition=key).translatable(msg)
            part = evaluate_partition(
                pop,
                job.book,
                job.as_of,
                partition_by=ds.partition_by,
                key=key,
                inputs=job.inputs,
                verdicts_out=job.verdicts_out,
                labels=number == 0,
                standard=job.standard,
                indexed_inputs=job.indexed_inputs,
            )
    except Exception as exc:
        if getattr(exc, "partition", None) != key:
            said = Message(PARTITION_NOTE, level=ds.partition_by, key=key, path=ds.path)
            exc.add_note(Note(said))
        raise
    seen: dict[tuple[type[Warning], str], tuple[int, int, Warning]] = {}
    for rank, w in enumerate(caught):
        message = w.message if isinstance(w.message, Warning) else w.category(w.message)
        seen.setdefault((w.category, str(w.message)), (number, rank, message))
    return Outcome(part, seen)


#: The note an error raised while a partition is evaluated gets (the CLI prints it).
PARTITION_NOTE = N_("(partition {level}={key} of the dataset {path})")


#: Called with each partition's key when its counts are in.
Tick = Callable[[str], None]


class Runner(Protocol):
    """Run :func:`run_partition` on every partition and merge the outcomes.

    ``tick`` is called with each partition's key as it finishes.

    Examples
    --------
    >>> import warnings
    >>> job = Job(dataset, ls.load_rulebook("example"), "2025-12-31", None, None,
    ...     False)
    >>> runner: Runner = thread_runner(2)
    >>> done = []
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     outcome = runner(job, done.append)
    >>> sorted(done), outcome.result.titles["learning_family"].passed
    (['01', '02'], 446)
    """

    def __call__(self, job: Job, tick: Tick) -> Outcome | None:
        """Return the merged outcome of every partition (None for no partition)."""


def _add(total: Outcome | None, one: Outcome) -> Outcome:
    return one if total is None else total.merge(one)


def run_here(job: Job, tick: Tick) -> Outcome | None:
    """Run the partitions one after the other in this process.

    Each partition's Parquet files are decoded in a background thread while the one
    before is evaluated (pyarrow decodes without the GIL: the idle core does it), the
    smallest partitions first (:attr:`Job.smallest_first`).
    """
    total = None
    keys = job.smallest_first
    with Prefetch() as ahead:
        for i, key in enumerate(keys):
            then = keys[i + 1] if i + 1 < len(keys) else None
            total = _add(total, run_partition(job, key, ahead=ahead, then=then))
            tick(key)
    return total


def thread_runner(threads: int) -> Runner:
    """Return a runner of the partitions ``threads`` at a time, in threads of this process.

    numpy and pyarrow release the GIL in their loops, so partitions evaluated in threads
    use the cores without the start of processes or the pickling of their counts (10M
    persons, 5 provinces, 2 cores: 1.9-2.3 s against 2.4-2.8 s one at a time; 100M in 50
    provinces: 21.4 s against 27.2 s, and 1.6 GiB against 1.3: memory is that of
    ``threads`` partitions at once). The biggest partitions go first; the counts are added
    as each partition finishes.
    """

    def run(job: Job, tick: Tick) -> Outcome | None:
        keys = job.largest_first
        if min(threads, len(keys)) < 2:
            return run_here(job, tick)
        total = None
        with (
            ThreadWarnings() as caught,
            ThreadPoolExecutor(
                min(threads, len(keys)), thread_name_prefix="learnsoc-partition"
            ) as pool,
        ):
            running = {
                pool.submit(run_partition, job, key, record=caught.record): key for key in keys
            }
            try:
                while running:
                    # As each finishes: its counts are added and let go (100M persons in 50
                    # provinces held all 50 partitions' counts, 4.7 GiB, waiting for all).
                    done, _ = wait(running, return_when=FIRST_COMPLETED)
                    for future in done:
                        key = running.pop(future)
                        total = _add(total, future.result())
                        tick(key)
            except BaseException:
                # The partitions not started are dropped; those running finish first
                # (a thread cannot be stopped), then the error is raised.
                for future in running:
                    future.cancel()
                raise
        return total

    return run


_WORKER_JOB: list[Job] = []  # the job of a worker process, set once when it starts


def _start_worker(job: Any) -> None:
    _WORKER_JOB[:] = [unwrap(job)]


def _worker_partition(key: str) -> Portable:
    return Portable(run_partition(_WORKER_JOB[0], key))


#: What the fork server imports once, so that each worker process starts with it imported.
PRELOAD = ("learnsoc.scale.local", "learnsoc.io.population", "learnsoc.rules.engine")


def _context() -> Any:
    """Return the fork-server context (spawn where there is none), preloading learnsoc.

    Not fork: a process with threads (a bar's, a Dask client's) must not be forked. The
    fork server is started once per session and forks every later worker: with learnsoc
    preloaded, a pool starts in a fraction of a second instead of importing numpy,
    pyarrow and learnsoc in each process (about 1 s each on a 2-core machine). The
    preload list is the context's only one (``set_forkserver_preload`` replaces it).
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(PRELOAD))
    return context


class WorkerError(LearnsocError, RuntimeError):
    """A process of ``workers=N`` that could not start, or ended before its partition did.

    Examples
    --------
    >>> from learnsoc.errors import LearnsocError
    >>> try:
    ...     raise WorkerError("a worker process ended abruptly while it ran partition 01")
    ... except RuntimeError as error:  # a LearnsocError too
    ...     print(isinstance(error, LearnsocError), error)
    True a worker process ended abruptly while it ran partition 01
    """


def _refuse_in_a_starting_worker(workers: int) -> None:
    """Raise a :class:`WorkerError` in a worker process that is still importing the script.

    A new process imports the script that started it (multiprocessing's spawn and
    forkserver do): a script that calls ``evaluate_dataset(workers=N)`` outside an
    ``if __name__ == "__main__":`` block calls it again in every worker, which then
    could only wait for workers of its own.
    """
    if getattr(multiprocessing.current_process(), "_inheriting", False):
        msg = Message(
            N_(
                "evaluate_dataset(workers={n}) was called while a worker process imported "
                "the script that started it: put the script's code under "
                "'if __name__ == \"__main__\":' (each worker imports the script again)"
            ),
            n=workers,
        )
        raise WorkerError(str(msg)).translatable(msg)


def _worker_died(key: str, dataset: Dataset) -> WorkerError:
    msg = Message(
        N_(
            "a worker process ended abruptly while it ran partition {level}={key}: the "
            "system stopped it (often for lack of memory: try fewer workers) or it could "
            "not start (its error is printed above); no result was kept"
        ),
        level=dataset.partition_by,
        key=key,
    )
    return WorkerError(str(msg)).translatable(msg)


def process_runner(workers: int) -> Runner:
    """Return a runner of the partitions in ``workers`` local processes, this one included.

    This process runs partitions too, from the first, while ``workers - 1`` others start
    (the start of a pool, about half a second, is then not spent waiting). Each process
    reads its own partitions from the files, the biggest first; a process that finishes
    one takes the next left. Only the counts travel back, merged as they arrive.
    """

    def run(job: Job, tick: Tick) -> Outcome | None:
        keys = deque(job.largest_first)
        others = min(workers, len(keys)) - 1
        if others < 1:
            return run_here(job, tick)
        _refuse_in_a_starting_worker(workers)
        state = threading.Condition()
        # The other processes' outcomes, added up as they come: kept one by one until the
        # end, they took this process from 1.2 to 2.3 GiB at 100M persons (50 provinces).
        theirs: Outcome | None = None
        errors: list[BaseException] = []
        left = len(keys)  # partitions not yet counted

        def take() -> str | None:  # with the state held
            return keys.popleft() if keys and not errors else None

        def counted(key: str, outcome: Outcome | None) -> str | None:  # with the state held
            nonlocal theirs, left
            if outcome is not None:
                theirs = _add(theirs, outcome)
            left -= 1
            tick(key)
            state.notify_all()
            return take()

        pool = ProcessPoolExecutor(
            max_workers=others,
            mp_context=_context(),
            initializer=_start_worker,
            initargs=(Portable(job),),
        )

        def failed(exc: BaseException) -> None:  # raised again in run(), in the caller's thread
            with state:
                errors.append(exc)
                state.notify_all()

        def submit(key: str) -> None:
            try:
                future = pool.submit(_worker_partition, key)
            except BaseException as exc:
                # The pool cannot start a process, or is shutting down after an error:
                # either way the run stops (it must never wait for a partition not sent).
                failed(exc)
                return
            future.add_done_callback(lambda f: finished(f, key))

        def finished(future: Future[Portable], key: str) -> None:
            # In the pool's thread: the next partition goes to the process now free.
            try:
                outcome = unwrap(future.result())
            except BrokenProcessPool:
                failed(_worker_died(key, job.dataset))
                return
            except BaseException as exc:
                failed(exc)
                return
            with state:
                following = counted(key, outcome)
            if following is not None:
                submit(following)

        with state:
            first = [take() for _ in range(others + 1)]
        try:
            for key in first[1:]:
                if key is not None:
                    submit(key)
            mine, total = first[0], None
            while mine is not None:
                total = _add(total, run_partition(job, mine))
                with state:
                    mine = counted(mine, None)
            with state:
                while left and not errors:
                    state.wait()
                if errors:
                    raise errors[0]
        except BaseException:
            with state:
                keys.clear()
            pool.shutdown(wait=True, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
        return total if theirs is None else _add(total, theirs)

    return run


def evaluate_dataset(
    dataset: PathLike | Dataset,
    rulebook: str | Rulebook,
    as_of: str | dt.date,
    *,
    inputs: Mapping[str, Mapping[str, Any]] | None = None,
    verdicts_out: PathLike | None = None,
    workers: int | None = None,
    client: Any = None,
    threads: int | None = None,
    standard_measures: bool = False,
    bars: bool | None = False,
    on_partition: Callable[[str], object] | None = None,
    progress: bool | Unset | None = UNSET,
) -> DatasetEvaluation:
    """Evaluate a rulebook on a partitioned dataset, one partition in memory at a time.

    The result's summary, title counts, criterion tallies and rollup equal those of
    :func:`~learnsoc.evaluate` on the whole population, bit for bit, however the
    partitions are run: in this process, one after the other or several at a time in
    threads (``threads=``), in ``workers`` local processes, or as tasks on a Dask cluster
    (``client=``).

    Parameters
    ----------
    dataset : str, path or Dataset
        A folder written by :func:`~learnsoc.write_dataset`, or the opened dataset.
    rulebook : str or Rulebook
        A bundled rulebook's name or a loaded rulebook.
    as_of : str or datetime.date
    inputs : mapping, optional
        As for :func:`~learnsoc.evaluate`; inputs of persons, households, clans and
        organisations must be mappings from id to value (an array has no order across
        partitions), those of administrative levels may be arrays in the units
        table's order.
    verdicts_out : str or path, optional
        A folder for the verdicts of every entity: those of each partition as a
        hive-style Parquet dataset (``verdicts/province=01/part-0.parquet``, the columns
        of :func:`~learnsoc.io.write_verdicts`), and those of the units above the
        partition level, when the rulebook has titles there, in ``verdicts_above.parquet``
        beside the ``verdicts`` folder (in no partition, so not among them). A new or
        empty folder (or a link to one), written whole or not at all: the files go into
        a hidden folder beside it, renamed to it once every partition's file is in, so
        an error or an interrupt leaves it as it was. Each partition writes its own file,
        from the process that runs it: with ``workers=`` or ``client=`` the folder that
        holds it must be writable by every worker, under the same path. ``points`` of a
        title without points is a Parquet null.
    workers : int, optional
        Run the partitions in this many local processes (each reads its own partitions;
        memory is then that of ``workers`` partitions at once). In a script, call it
        under ``if __name__ == "__main__":``, as any use of worker processes.
    client : distributed.Client or str, optional
        Run each partition as a task on a Dask cluster (extra ``dask``): a client, or
        the scheduler's address (``"tcp://host:8786"``, a client is opened and closed).
        The partials are merged on the workers, two by two as they finish; only the
        last comes back. Every worker must read the dataset folder under the same path.
    threads : int, optional
        How many partitions this process evaluates at once, each in a thread (numpy and
        pyarrow work outside Python's lock). Memory is that of ``threads`` partitions at
        once. Default: the cores this process may use, at most two, for partitions of a
        million persons or more on average, else one (:func:`default_threads`: smaller
        partitions run slower in threads); ``threads=1`` runs them one after the other.
        Not with ``workers=`` or ``client=``.
    standard_measures : bool, default False
        Also count the standard measures, for :meth:`DatasetEvaluation.standard_rollup`
        (reports and progress towards targets).
    bars : bool, optional
        A bar with one step per partition and the persons counted so far
        (``progress=`` is a deprecated spelling).
    on_partition : callable, optional
        Called in this process with each partition's key as its counts come in (in the
        order they finish, wherever the partition ran), for a log line per partition
        where a bar cannot be shown; ``learnsoc evaluate DIR`` writes one so when its
        output is not a terminal.

    Returns
    -------
    DatasetEvaluation

    Raises
    ------
    OutputPathError
        For ``verdicts_out=`` that is a file or a folder that is not empty, before any
        partition runs.
    DatasetError
        For a title or derived value above the partition level that takes a sum, mean,
        min or max of members counted partition by partition (only counts add up:
        partition by its level or a higher one), array inputs of an entity level, a
        partition with rejected rows, the bad files :func:`read_dataset` reports,
        ``workers=`` with ``client=`` (give one), and ``threads=`` that is not a whole
        number of 1 or more or is given with either. An error of a partition is raised as
        itself, wherever the partition ran, with a note naming the partition.
    OptionalDependencyError
        For ``client=`` without the package ``distributed`` (extra ``dask``).

    Warns
    -----
    Each warning the partitions' evaluations give, once.

    Examples
    --------
    See the module docs.
    """
    from learnsoc.rules.registry import load_rulebook

    ds = dataset if isinstance(dataset, Dataset) else read_dataset(dataset)
    book = load_rulebook(rulebook) if isinstance(rulebook, str) else rulebook
    units = None
    if _above(book, ds.hierarchy, ds.partition_by):
        units = _units_only(ds.hierarchy)
        _check_upper(book, units, as_of, ds.partition_by)
    bars = renamed_flag(bars, progress, "evaluate_dataset")
    _check_inputs(inputs)
    runner = _runner(workers, client, threads, ds)
    indexed = index_inputs(inputs, ds.hierarchy)
    if verdicts_out is None:
        job = Job(ds, book, as_of, inputs, None, standard_measures, indexed)
        return _evaluate(job, runner, units, bars, on_partition)
    from learnsoc.io.writers import atomic_folder

    # Written into a folder of its own beside the target, renamed to it once every
    # partition's file is in: an error, a lost worker or Ctrl-C leaves no folder at all,
    # never the verdicts of some partitions that read as all of them.
    with atomic_folder(verdicts_out) as staged:
        job = Job(ds, book, as_of, inputs, staged, standard_measures, indexed)
        return _evaluate(job, runner, units, bars, on_partition)


def _evaluate(
    job: Job,
    runner: Runner,
    units: Population | None,
    bars: bool | None,
    on_partition: Callable[[str], object] | None,
) -> DatasetEvaluation:
    """Run the job's partitions and finish the evaluation (:func:`evaluate_dataset`)."""
    ds, book, as_of, inputs = job.dataset, job.book, job.as_of, job.inputs
    with tqdm_bar(len(ds.partitions), book.id, bars, unit="partitions") as bar:
        persons = [0]

        def tick(key: str) -> None:
            persons[0] += int(ds.rows[key].get("persons", 0))
            bar.set_description_str(key)
            bar.set_postfix_str(
                gettext(N_("{persons} persons")).format(persons=format_integer(persons[0]))
            )
            bar.update(1)
            if on_partition is not None:
                on_partition(key)

        outcome = runner(job, tick)
    if outcome is None:  # a manifest always lists the units of a level; a tree has one
        msg = Message(N_("the dataset has no partitions"))
        raise DatasetError(str(msg)).translatable(msg)
    found = sorted(outcome.warnings.values(), key=lambda seen: seen[:2])
    for _, _, message in found:
        warnings.warn(message, stacklevel=3)  # the caller of evaluate_dataset
    # Merges may come in any order: the partitions are listed in the dataset's.
    merged = attrs.evolve(outcome.result, partitions=ds.partitions)
    _check_keys_matched(inputs, merged.matched)
    if units is not None:
        merged = _join(book, merged, _decide_upper(job, merged, units))
    date = as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(as_of)
    return DatasetEvaluation(
        ds,
        book,
        date,
        merged,
        dict(merged.skipped),
        tuple(_english(message) for _, _, message in found),
        merged.missing_inputs,
        tuple(message for _, _, message in found if isinstance(message, Translatable)),
        skip_reasons=dict(merged.skip_reasons),
    )


def _english(message: Warning | str) -> str:
    """Return a warning's text in English (``str()`` of learnsoc's follows the locale)."""
    return message.english() if isinstance(message, Translatable) else str(message)


def _check_keys_matched(
    inputs: Mapping[str, Mapping[str, Any]] | None,
    matched: Mapping[tuple[str, str], NDArray[np.bool_]],
) -> None:
    """Refuse an entity input whose keys name no entity of any partition.

    Each partition keeps the keys of its own entities: a key of nobody anywhere would
    otherwise be dropped without a word, where :func:`~learnsoc.evaluate` refuses it.
    """
    for (level, name), found in sorted(matched.items()):
        if not found.all():
            keys = list((inputs or {}).get(level, {}).get(name, {}))
            check_keys_found(found, keys, level, name)


#: Partitions evaluated at once in this process when ``threads=`` is not given: the
#: machine's cores, at most this many (each holds a partition in memory; two were
#: measured on two cores, more were not).
DEFAULT_THREADS = 2

#: The fewest persons per partition, on average, for which ``threads=`` defaults to more
#: than one. Smaller partitions are many short numpy calls, between which the threads
#: wait for Python's lock: 10M persons in 100 communes took 7.2 s in two threads against
#: 6.2 s in one; in 5 provinces, 2.2 s against 2.5 s (2 cores).
THREADS_FROM_PERSONS = 1_000_000


def default_threads(dataset: Dataset | None = None) -> int:
    """Return the partitions evaluated at once when ``threads=`` is not given.

    The cores this process may use, at most :data:`DEFAULT_THREADS`; 1 for a dataset
    whose partitions hold fewer than :data:`THREADS_FROM_PERSONS` persons on average.

    Examples
    --------
    >>> 1 <= default_threads() <= DEFAULT_THREADS
    True
    """
    small = THREADS_FROM_PERSONS * len(dataset.partitions) if dataset is not None else 0
    if dataset is not None and dataset.n_persons < small:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS and Windows
        cores = os.cpu_count() or 1
    return max(1, min(cores, DEFAULT_THREADS))


def _runner(
    workers: int | None, client: Any, threads: int | None = None, dataset: Dataset | None = None
) -> Runner:
    if workers is not None and client is not None:
        msg = Message(N_("give workers= or client=, not both"))
        raise DatasetError(str(msg)).translatable(msg)
    if threads is not None:
        if isinstance(threads, bool) or not isinstance(threads, int) or threads < 1:
            msg = Message(
                N_("threads= must be a whole number, 1 or more; got {value!r}"), value=threads
            )
            raise DatasetError(str(msg)).translatable(msg)
        if threads > 1 and (client is not None or (workers is not None and workers != 1)):
            msg = Message(
                N_(
                    "threads= runs partitions at once in this process: give it without "
                    "workers= or client=, which run them elsewhere"
                )
            )
            raise DatasetError(str(msg)).translatable(msg)
    if client is not None:
        from learnsoc.scale.dask import dask_runner

        return dask_runner(
            client, task=partition_task, merge=merge_outcomes, wrap=Portable, unwrap=unwrap
        )
    if workers is not None and (
        isinstance(workers, bool) or not isinstance(workers, int) or workers < 1
    ):
        msg = Message(
            N_("workers= must be a whole number, 1 or more; got {value!r}"), value=workers
        )
        raise DatasetError(str(msg)).translatable(msg)
    if workers is not None and workers > 1:
        return process_runner(workers)
    count = default_threads(dataset) if threads is None else threads
    return run_here if count == 1 else thread_runner(count)
