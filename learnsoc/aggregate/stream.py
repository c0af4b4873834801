"""Streaming rollups: person rows in batches, into mergeable partials, in bounded memory.

A national file of a hundred million persons does not need to sit in memory. When each
person row carries the code of its lowest-level unit (its village), any batch of rows can
be counted on its own into a :class:`~learnsoc.aggregate.partials.Partial` over the units
of the tree, and the partials merged: the result is exactly the rollup of the whole file,
whatever the batch size. Memory is bounded by one batch plus one counter per unit.

This covers person-level counts and sums (persons, learning citizens, literate 15-60 ...).
Household-level rules need whole households: evaluate those per chunk of whole
households (one file per commune or province) and merge the partials of
:func:`~learnsoc.aggregate.rollup.rollup_partial` instead.

Examples
--------
>>> import numpy as np
>>> h = ls.synthetic_hierarchy(villages=3, seed=1)
>>> v = h.codes_at("village")
>>> batches = [{"unit_code": v[[0, 0, 1]], "age": np.array([30, 9, 70])},
...            {"unit_code": v[[2, 1]], "age": np.array([15, 44])}]
>>> roll = rollup_batches(batches, h, {"persons": "person",
...     "adults": ls.Count("person", lambda b: b["age"] >= 15)})
>>> roll.level("village").counts["adults"].tolist(), roll.level("total").counts["persons"].tolist()
([1, 2, 1], [5])
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc._phrases import Lazy
from learnsoc.aggregate.groups import AggregateError
from learnsoc.aggregate.names import REPORTING, RESERVED
from learnsoc.aggregate.partials import Partial
from learnsoc.aggregate.rollup import (
    RESERVED_MEASURE,
    Count,
    Measure,
    RateDefs,
    Rollup,
    Sum,
    as_measure,
)
from learnsoc.errors import Message, SchemaError
from learnsoc.i18n import N_, format_integer
from learnsoc.model.ids import normalize_ids
from learnsoc.model.unit_names import NAMES_READ, NAMES_READ_ONE, UnitNamesWarning, place_by_name
from learnsoc.rejects import CountedRejects, RejectBatch, Rejects

if TYPE_CHECKING:
    from learnsoc.model.hierarchy import Hierarchy

__all__ = [
    "Batch",
    "rollup_batches",
]

Batch = Mapping[str, Any]


def _batch_partial(
    batch: Batch,
    hierarchy: Hierarchy,
    measures: Mapping[str, Count | Sum],
    unit_column: str,
    first_row: int,
    rejects: list[RejectBatch],
    named: list[tuple[int, str, str]],
) -> tuple[Partial, int]:
    if unit_column not in batch:
        raise SchemaError(
            "person", unit_column, N_("required column is missing"), choices=list(batch)
        )
    codes, missing = normalize_ids(np.asarray(batch[unit_column]))
    codes = codes.astype(str, copy=False)
    n = len(codes)
    level, local = hierarchy.locate(codes)
    leaf = hierarchy.n_levels - 1
    level, local, shared = _by_name(codes, missing, level, local, hierarchy, named)
    for rows, units in shared:
        rejects.append(
            RejectBatch(
                "person", unit_column, "ambiguous_unit", rows + first_row, codes[rows], units
            )
        )
    ambiguous = np.zeros(n, bool)
    for rows, _ in shared:
        ambiguous[rows] = True
    bad_reasons = (
        ("missing_value", missing),
        ("unknown_unit", (level < 0) & ~missing & ~ambiguous),
        ("wrong_level", (level >= 0) & (level != leaf)),
    )
    ok = ~ambiguous
    for reason, mask in bad_reasons:
        rows = np.flatnonzero(mask)
        if len(rows):
            expected = hierarchy.leaf_level if reason == "wrong_level" else ""
            rejects.append(
                RejectBatch("person", unit_column, reason, rows + first_row, codes[rows], expected)
            )
            ok &= ~mask
    slots = len(hierarchy) + 1
    slot = (int(hierarchy.starts[leaf]) + local[ok]).astype(np.intp)
    sums: dict[str, NDArray[Any]] = {}
    for name, m in measures.items():
        if name in RESERVED:
            msg = Message(RESERVED_MEASURE, name=name)
            raise AggregateError(str(msg), argument="measures").translatable(msg)
        if m.entity != "person":
            msg = Message(
                N_("measure {name!r}: streamed rollups count persons only, not {entity!r}"),
                name=name,
                entity=m.entity,
            )
            raise AggregateError(str(msg), argument="measures").translatable(msg)
        mask = np.ones(n, bool) if m.where is None else np.asarray(_call(m.where, batch))
        if mask.shape != (n,) or mask.dtype != np.bool_:
            msg = Message(
                N_("measure {name!r}: the mask must be {n} booleans, got {dtype} {shape}"),
                name=name,
                n=n,
                dtype=mask.dtype,
                shape=mask.shape,
            )
            raise AggregateError(str(msg), argument="measures").translatable(msg)
        keep = mask[ok]
        if isinstance(m, Count):
            sums[name] = np.bincount(slot[keep], minlength=slots).astype(np.int64)
        else:
            values = np.asarray(_call(m.values, batch))[ok][keep]
            total = np.zeros(slots, np.float64 if values.dtype.kind == "f" else np.int64)
            np.add.at(total, slot[keep], values.astype(total.dtype))
            sums[name] = total
    # Person rows per village say which villages reported (see Rollup.completeness).
    sums[REPORTING] = np.bincount(slot, minlength=slots).astype(np.int64)
    return Partial(n_groups=slots, sums=sums), n


def _by_name(
    codes: NDArray[np.str_],
    missing: NDArray[np.bool_],
    level: NDArray[np.signedinteger[Any]],
    local: NDArray[np.signedinteger[Any]],
    hierarchy: Hierarchy,
    named: list[tuple[int, str, str]],
) -> tuple[
    NDArray[np.signedinteger[Any]],
    NDArray[np.signedinteger[Any]],
    list[tuple[NDArray[np.intp], str]],
]:
    """Place the rows whose unit code is a village's name, as the readers of files do.

    The rows of a name two villages share are returned with those villages (an
    ``ambiguous_unit`` reject each); the rows placed are counted in ``named`` (how many,
    an example and its code), for one :class:`UnitNamesWarning` over every batch.
    """
    unknown = (level < 0) & ~missing
    shared: list[tuple[NDArray[np.intp], str]] = []
    with warnings.catch_warnings():
        # Said once for the whole stream (rollup_batches), not once per batch.
        warnings.simplefilter("ignore", UnitNamesWarning)
        level, local, _ = place_by_name(
            codes,
            unknown,
            level,
            local,
            hierarchy,
            "person",
            [hierarchy.n_levels - 1],
            lambda rows, units: shared.append((rows, units)),
        )
    placed = np.flatnonzero(unknown & (level >= 0))
    if len(placed):
        first = int(placed[0])
        unit = int(hierarchy.starts[level[first]] + local[first])
        named.append((len(placed), str(codes[first]), str(hierarchy.codes[unit])))
    return level, local, shared


def _warn_named(named: list[tuple[int, str, str]]) -> None:
    """Say the rows read by their village's name, over every batch, as the readers say it."""
    if not named:
        return
    n = sum(count for count, _, _ in named)
    _, was, code = named[0]
    msg = Message(
        NAMES_READ_ONE if n == 1 else NAMES_READ,
        table_text="person",
        n=Lazy(lambda locale: format_integer(n, locale)),
        was=was,
        code=code,
    )
    warnings.warn(UnitNamesWarning(str(msg)).translatable(msg), stacklevel=3)


def _call(spec: Any, batch: Batch) -> Any:
    return spec(batch) if callable(spec) else spec


def rollup_batches(
    batches: Iterable[Batch],
    hierarchy: Hierarchy,
    measures: Mapping[str, Measure],
    *,
    rates: RateDefs | None = None,
    unit_column: str = "unit_code",
    rejects: Rejects | None = None,
) -> Rollup:
    """Roll person rows up the hierarchy batch by batch, merging partials.

    Parameters
    ----------
    batches : iterable of mappings of column name to array
        Person rows; each batch has ``unit_column`` (the code of the person's unit at the
        hierarchy's lowest level) and whatever the measures read.
    hierarchy : Hierarchy
        The tree.
    measures : mapping of name to measure
        Person measures: ``"person"``, ``Count("person", where)`` or ``Sum("person",
        values, where)``; ``where`` and ``values`` are functions of the batch.
    rates : mapping, optional
        As for :func:`~learnsoc.aggregate.rollup.rollup`.
    unit_column : str
        The column holding the unit codes.
    rejects : Rejects, optional
        The rows rejected when the batches' rows were read (the ``rejects`` of
        :func:`~learnsoc.read_population`, of :meth:`Population.from_columns
        <learnsoc.Population.from_columns>` ...): the batches then hold, in order, the
        ``person`` rows it accepted, and the rollup's rejects are its rows and the
        batches' own, each batch row numbered as the row of the read it is (a file's
        record and line), so that accepted + rejected = read counts the rows read. A
        :class:`~learnsoc.rejects.CountedRejects` (a dataset's, whose rows are in a file)
        adds the batches' rejected rows to its counts.

    Returns
    -------
    Rollup
        Rows whose unit code is missing, unknown or not at the lowest level are left out
        and listed in ``rollup.rejects`` (rows numbered across batches from 0, the index
        of the row in the batches put end to end; with ``rejects``, as that read numbers
        them). A village
        reports when at least one person row is counted in it
        (:meth:`~learnsoc.Rollup.completeness`). As the readers of files, a row whose
        unit code is the name of one village (``Thôn Đông``) is counted in that village,
        and one :class:`~learnsoc.model.unit_names.UnitNamesWarning` counts those rows
        over every batch; a name villages of two communes share is an
        ``ambiguous_unit`` reject naming them.

    Examples
    --------
    >>> tree = ls.Hierarchy.from_units(
    ...     {"code": ["01", "001", "002"], "level": ["province", "commune", "commune"],
    ...      "parent_code": [None, "01", "01"]}, levels=["province", "commune"])
    >>> batches = [
    ...     {"unit_code": np.array(["001", "001", "002"]), "age": np.array([40, 9, 70])},
    ...     {"unit_code": np.array(["002", "009"]), "age": np.array([15, 30])},
    ... ]
    >>> adults = ls.Count("person", lambda batch: batch["age"] >= 15)
    >>> roll = rollup_batches(batches, tree, {"persons": "person", "adults": adults})
    >>> print(roll.counts["persons"], roll.counts["adults"])  # province, 001, 002, total
    [4 2 2 4] [3 1 2 3]
    >>> print(roll.rejects.records("en")[0].message)
    person row 4 (counted from 0), column unit_code: unit '009' does not exist

    The rows a reader rejected before (here row 1, an age of 300) are in its rejects:

    >>> from learnsoc.rejects import CountedRejects, RejectBatch, Rejects
    >>> read = Rejects((RejectBatch("person", "age", "out_of_range", [1], ["300"]),),
    ...                {"person": 6})
    >>> roll = rollup_batches(batches, tree, {"persons": "person"}, rejects=read)
    >>> roll.rejects.counts()["person"], [r.row for r in roll.rejects.records("en")]
    ((6, 4, 2), [1, 5])

    Raises
    ------
    AggregateError
        With ``rejects``, when the batches do not hold as many rows as it accepted.
    """
    specs = {name: as_measure(name, spec) for name, spec in measures.items()}
    total: Partial | None = None
    problems: list[RejectBatch] = []
    named: list[tuple[int, str, str]] = []
    read = 0
    for batch in batches:
        part, n = _batch_partial(batch, hierarchy, specs, unit_column, read, problems, named)
        read += n
        total = part if total is None else total.merge(part)
    _warn_named(named)
    if total is None:
        total = Partial(
            n_groups=len(hierarchy) + 1,
            sums={name: np.zeros(len(hierarchy) + 1, np.int64) for name in [*specs, REPORTING]},
        )
    found = Rejects(tuple(problems), {"person": read})
    if rejects is not None:
        found = _after_read(rejects, found, read)
    return Rollup.from_partial(total, hierarchy, rates=rates, rejects=found)


def _after_read(before: Rejects, streamed: Rejects, n_rows: int) -> Rejects:
    """Return the rejects of a read followed by those of streaming the rows it accepted.

    Row ``k`` of the batches is the ``k``-th row the read accepted: the streamed rejects
    are renumbered so and added to the read's (which name their file and line). Rejects
    that only count their rows (a dataset's) add the streamed rows to their counts.
    """
    has_persons = "person" in before.read
    expected = before.n_accepted("person") if has_persons else n_rows
    accepted = before.accepted_rows("person") if has_persons else None
    if n_rows != expected or (accepted is not None and len(accepted) != n_rows):
        msg = Message(
            N_(
                "the batches hold {n} person rows, but the rejects given accepted {accepted} "
                "of the {read} read: give the batches the rows those rejects accepted"
            ),
            n=n_rows,
            accepted=expected,
            read=before.n_read("person"),
        )
        raise AggregateError(str(msg), argument="rejects").translatable(msg)
    read = dict(before.read) if has_persons else {**before.read, "person": n_rows}
    if isinstance(before, CountedRejects) or (accepted is None and has_persons):
        # Rows it counts and does not name (a dataset's, or skipped rows): counted.
        counted = before if isinstance(before, CountedRejects) else CountedRejects.counted(before)
        rejected = {**counted.rejected}
        rejected["person"] = rejected.get("person", 0) + streamed.n_rejected("person")
        return attrs.evolve(counted, read=read, rejected=rejected)
    if accepted is None:
        accepted = np.arange(n_rows, dtype=np.int64)
    moved = tuple(attrs.evolve(b, rows=accepted[b.rows]) for b in streamed.batches)
    return attrs.evolve(before, batches=(*before.batches, *moved), read=read)


def __getattr__(name: str) -> Any:
    # rollup_parquet reads files, so it lives with the other file readers in
    # learnsoc.io.parquet (floor 6); its old import path still works, loading io only
    # when the name is asked for (an upward import, allowed in tests/test_import_graph.py).
    if name == "rollup_parquet":
        from learnsoc.io.parquet import rollup_parquet

        return rollup_parquet
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)
