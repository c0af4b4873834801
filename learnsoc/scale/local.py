"""Evaluate a rulebook on a partitioned dataset, one partition in memory at a time.

Each partition holds whole subtrees (see :mod:`learnsoc.io.dataset`), so every title at
the partition level or below is decided inside it exactly as on the whole population.
:func:`evaluate_partition` keeps only mergeable counts of a partition (a
:class:`PartitionResult`: per title, per criterion, per unit); :meth:`PartitionResult.merge`
adds them up; :class:`DatasetEvaluation` reads them like an
:class:`~learnsoc.rules.engine.Evaluation`. The result equals ``evaluate(whole, ...)``
exactly: counts are integers, added in any order.

Examples
--------
>>> import learnsoc as ls, numpy as np, tempfile, pathlib, warnings
>>> tree = ls.Hierarchy.from_units({"code": ["01", "02", "00101", "00201"],
...     "level": ["province"] * 2 + ["commune"] * 2, "parent_code": ["", "", "01", "02"]},
...     levels=["province", "commune"])
>>> pop = ls.synthetic_population(persons=3_000, seed=4, hierarchy=tree)
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "d"
>>> _ = ls.write_dataset(pop, folder)
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

import datetime as dt
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc._bars import UNSET, Unset, renamed_flag, tqdm_bar
from learnsoc._messages import N_, Message
from learnsoc.aggregate.partials import Partial
from learnsoc.aggregate.rollup import Count, Rollup, rollup_partial
from learnsoc.io.dataset import Dataset, DatasetError, read_dataset
from learnsoc.io.files import PathLike
from learnsoc.model.hierarchy import Hierarchy
from learnsoc.model.ids import IdIndex, align_id_kinds, normalize_ids
from learnsoc.model.population import Population
from learnsoc.rules.context import entity_ids
from learnsoc.rules.engine import Evaluation, Summary, SummaryRow, TitleCounts, evaluate
from learnsoc.rules.rulebook import Rulebook

__all__ = [
    "CriterionCounts",
    "DatasetEvaluation",
    "PartitionResult",
    "criterion_counts",
    "evaluate_dataset",
    "evaluate_partition",
]

_ENTITIES = ("person", "household", "clan", "organisation")
_GRADES = 128  # grade codes are below 128 (see Evaluation.summary)


@attrs.frozen
class CriterionCounts:
    """How the assessed entities of a title fared on one criterion."""

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
        keep = v.assessed & owned.get(v.level, True)
        for c in v.criteria:
            passed, known = v.criterion(c.id)
            out[(title_id, c.id)] = CriterionCounts(
                int((keep & known & passed).sum()),
                int((keep & known & ~passed).sum()),
                int((keep & ~known).sum()),
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
    """

    partitions: tuple[str, ...]
    titles: Mapping[str, _TitleTally] = attrs.field(repr=False)
    criteria: Mapping[tuple[str, str], CriterionCounts] = attrs.field(repr=False)
    rollup: Partial = attrs.field(repr=False)
    rows: Mapping[str, SummaryRow] = attrs.field(repr=False)
    skipped: Mapping[str, str] = attrs.field(factory=dict, repr=False)
    missing_inputs: tuple[tuple[str, str], ...] = ()

    def merge(self, other: PartitionResult) -> PartitionResult:
        """Add up the counts of two results over different partitions."""
        return PartitionResult(
            (*self.partitions, *other.partitions),
            {t: tally + other.titles[t] for t, tally in self.titles.items()},
            {k: c + other.criteria[k] for k, c in self.criteria.items()},
            self.rollup.merge(other.rollup),
            self.rows or other.rows,
            self.skipped,
            tuple(dict.fromkeys((*self.missing_inputs, *other.missing_inputs))),
        )


def _owned(h: Hierarchy, level_k: int, p: int) -> dict[str, NDArray[np.bool_]]:
    """Per unit level at or below the partition level: its units inside partition p."""
    out: dict[str, NDArray[np.bool_]] = {}
    for k, level in enumerate(h.levels):
        if k >= level_k:
            sl = slice(int(h.starts[k]), int(h.starts[k + 1]))
            out[level] = h.ancestors[sl, level_k] == p
    return out


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
) -> PartitionResult:
    """Evaluate one partition and keep its mergeable counts.

    ``pop`` holds the partition's entities with the whole units table (as
    :meth:`~learnsoc.io.dataset.Dataset.partition` reads it); the titles of units
    outside the partition are decided on no members there and are left out. With
    ``labels=False`` the summary's labels are not built (they are the same in every
    partition: one result that has them is enough for a merge).
    """
    h = pop.hierarchy
    level_k = h.level_number(partition_by)
    p = h.codes_at(partition_by).tolist().index(key)
    ev = evaluate(pop, book, as_of, inputs=_inputs_here(pop, inputs), trace=False)
    owned = _owned(h, level_k, p)
    n_units = len(h)
    titles: dict[str, _TitleTally] = {}
    rows: dict[str, SummaryRow] = {}
    measures: dict[str, Count] = {}
    if labels:
        rows = {row.title: row for row in ev.summary().rows}
    for title_id, counts in ev.title_counts().items():
        v = ev.verdicts(title_id)
        keep = owned.get(v.level)
        mask = np.ones(len(v), bool) if keep is None else keep
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
            grades = np.bincount(v.grade[mask].astype(np.int64), minlength=_GRADES)
        titles[title_id] = _TitleTally(
            v.level,
            int(mask.sum()),
            int((v.assessed & mask).sum()),
            int((v.passed & mask).sum()),
            int((v.unknown & mask).sum()),
            grades,
            counts,
        )
        measures[title_id] = Count(v.level, v.passed & mask)
        measures[f"{title_id}_assessed"] = Count(v.level, v.assessed & mask)
        measures[f"{title_id}_unknown"] = Count(v.level, v.unknown & mask)
    if verdicts_out is not None:
        _write_verdicts(ev, owned, verdicts_out, partition_by, key)
    return PartitionResult(
        (key,),
        titles,
        _criteria(ev, owned),
        rollup_partial(pop, measures),
        rows,
        dict(ev.skipped),
        tuple(ev.missing_inputs),
    )


def _inputs_here(
    pop: Population, inputs: Mapping[str, Mapping[str, Any]] | None
) -> Mapping[str, Mapping[str, Any]] | None:
    """Keep, of each entity input given by id, the ids of this partition."""
    if not inputs:
        return inputs
    out: dict[str, Mapping[str, Any]] = {}
    for level, columns in inputs.items():
        if level not in _ENTITIES:
            out[level] = columns
            continue
        ids = entity_ids(pop, level)
        here: dict[str, Any] = {}
        for name, raw in columns.items():
            keys = list(raw)
            query, _ = normalize_ids(np.array(keys, dtype=object))
            known, query = align_id_kinds(ids, query)
            _, found = IdIndex(known).lookup(query)
            here[name] = {keys[i]: raw[keys[i]] for i in np.flatnonzero(found).tolist()}
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
    from learnsoc.io.verdicts import verdict_chunks
    from learnsoc.io.writers import write_chunks

    h = ev.population.hierarchy
    codes = {lv: set(h.codes_at(lv)[keep].tolist()) for lv, keep in owned.items()}

    def chunks() -> Any:
        for chunk in verdict_chunks(ev):
            lv = str(chunk["level"][0]) if len(chunk["level"]) else ""
            if lv in codes:
                keep = np.isin(chunk["id"].astype(str), list(codes[lv]))
                yield {c: a[keep] for c, a in chunk.items()}
            else:
                yield chunk

    path = partition_file(folder, "verdicts", level, key)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_chunks(chunks(), path)


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
    """

    dataset: Dataset
    rulebook: Rulebook
    as_of: dt.date
    result: PartitionResult = attrs.field(repr=False)
    skipped: Mapping[str, str] = attrs.field(factory=dict)
    warnings: tuple[str, ...] = ()
    missing_inputs: tuple[tuple[str, str], ...] = ()

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
                )
            )
        return Summary(self.as_of.isoformat(), tuple(rows))

    def title_counts(self) -> dict[str, TitleCounts]:
        """Return each title's counts per unit, as :meth:`Evaluation.title_counts`."""
        return {t: tally.units for t, tally in self.result.titles.items()}

    def criterion_counts(self) -> dict[tuple[str, str], CriterionCounts]:
        """Return the tally of each criterion, as :func:`criterion_counts` of an Evaluation."""
        return dict(self.result.criteria)

    def rollup(self) -> Rollup:
        """Count each title at every level and in total, as :meth:`Evaluation.rollup`."""
        rates = {t: (t, f"{t}_assessed") for t in self.result.titles}
        return Rollup.from_partial(self.result.rollup, self.hierarchy, rates=rates)


def _above(book: Rulebook, h: Hierarchy, level: str) -> list[str]:
    k = h.level_number(level)
    return [t.id for t in book.titles if t.level in h.levels and h.level_number(t.level) < k]


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


def evaluate_dataset(
    dataset: PathLike | Dataset,
    rulebook: str | Rulebook,
    as_of: str | dt.date,
    *,
    inputs: Mapping[str, Mapping[str, Any]] | None = None,
    verdicts_out: PathLike | None = None,
    bars: bool | None = False,
    progress: bool | Unset | None = UNSET,
) -> DatasetEvaluation:
    """Evaluate a rulebook on a partitioned dataset, one partition in memory at a time.

    The result's summary, title counts, criterion tallies and rollup equal those of
    :func:`~learnsoc.evaluate` on the whole population.

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
        A folder for the verdicts of every entity, as a hive-style Parquet dataset
        (``verdicts/province=01/part-0.parquet``, the columns of
        :func:`~learnsoc.io.write_verdicts`).
    bars : bool, optional
        A bar with one step per partition (``progress=`` is a deprecated spelling).

    Returns
    -------
    DatasetEvaluation

    Raises
    ------
    DatasetError
        For a title of a level above the partition level (not decided from counts yet:
        partition by that level or a higher one), array inputs of an entity level, a
        partition with rejected rows, and the bad files :func:`read_dataset` reports.

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
    above = _above(book, ds.hierarchy, ds.partition_by)
    if above:
        msg = Message(
            N_(
                "titles above the partition level {level!r} cannot be decided partition by "
                "partition yet: {titles}; write the dataset partitioned by a higher level"
            ),
            level=ds.partition_by,
            titles=", ".join(above),
        )
        raise DatasetError(str(msg)).translatable(msg)
    bars = renamed_flag(bars, progress, "evaluate_dataset")
    _check_inputs(inputs)
    out_dir = None if verdicts_out is None else Path(verdicts_out)
    merged: PartitionResult | None = None
    seen: dict[tuple[type[Warning], str], Warning] = {}
    with tqdm_bar(len(ds.partitions), book.id, bars, unit="partitions") as bar:
        for key in ds.partitions:
            bar.set_description_str(key)
            pop = ds.partition(key)
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
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                part = evaluate_partition(
                    pop,
                    book,
                    as_of,
                    partition_by=ds.partition_by,
                    key=key,
                    inputs=inputs,
                    verdicts_out=out_dir,
                    labels=merged is None,
                )
            for w in caught:
                message = w.message if isinstance(w.message, Warning) else w.category(w.message)
                seen.setdefault((w.category, str(w.message)), message)
            del pop
            merged = part if merged is None else merged.merge(part)
            bar.update(1)
    for message in seen.values():
        warnings.warn(message, stacklevel=2)
    if merged is None:  # a manifest always lists the units of a level; a tree has one
        msg = Message(N_("the dataset has no partitions"))
        raise DatasetError(str(msg)).translatable(msg)
    date = as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(as_of)
    return DatasetEvaluation(
        ds,
        book,
        date,
        merged,
        dict(merged.skipped),
        tuple(str(w) for w in seen.values()),
        merged.missing_inputs,
    )
