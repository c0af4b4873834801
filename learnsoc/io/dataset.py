"""Partitioned datasets: a population as a folder of Parquet files, one partition per unit.

A dataset holds a population split by the units of one level of its hierarchy (the
*partition level*, ``province`` by default), so that each partition holds whole
subtrees: every household of the unit with all its members, and the clans and
organisations attached to the unit or below it. Every title at the partition level or
below is then decided inside one partition, and what crosses partitions is counts
(see :func:`learnsoc.scale.evaluate_dataset`). The layout (version 1)::

    DIR/manifest.json                             layout version, levels, partitions, rows
    DIR/units.parquet                             the whole units table
    DIR/households/province=01/part-0.parquet     one file per table and partition
    DIR/persons/province=01/part-0.parquet
    DIR/clans/province=01/part-0.parquet
    DIR/organisations/province=01/part-0.parquet
    DIR/memberships/province=01/part-0.parquet

The directories are hive-style, so pyarrow, polars, DuckDB and Dask read the tables as
one dataset with a ``province`` column. The files of a partition are those
:func:`~learnsoc.io.write_population` writes, and :meth:`Dataset.partition` reads them
back with :func:`~learnsoc.io.read_population`. The manifest is written last: a folder
without one is an interrupted write.

Examples
--------
>>> import learnsoc as ls, tempfile, pathlib
>>> tree = ls.Hierarchy.from_units({"code": ["01", "02", "00101", "00201", "00202"],
...     "level": ["province"] * 2 + ["commune"] * 3, "parent_code": ["", "", "01", "02", "02"]},
...     levels=["province", "commune"])
>>> pop = ls.synthetic_population(persons=4_000, seed=1, hierarchy=tree)
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "national"
>>> ds = write_dataset(pop, folder, partition_by="province")
>>> ds.partitions
('01', '02')
>>> ds.partition("02")
Population(3,124 persons, 907 households, 14 clans, 8 organisations; 2 province, 3 commune; 0 rejected rows)

A partition must hold whole groups; here a clan lives in two communes:

>>> write_dataset(pop, folder.with_name("by-commune"), partition_by="commune")
Traceback (most recent call last):
...
learnsoc.io.dataset.DatasetError: clan 10 has members in two partitions ('00201' and '00202'); a partition must hold whole groups: partition by a higher level, or attach the group to a unit that holds all its members (groups split like this: 1)
"""  # noqa: E501

from __future__ import annotations

import contextlib
import itertools
import json
import re
import unicodedata
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc import limits
from learnsoc._bars import UNSET, Unset, renamed_flag, tqdm_bar
from learnsoc._messages import N_, Message
from learnsoc._phrases import Phrase
from learnsoc._row_arrays import is_count
from learnsoc._translation import Translatable, gettext
from learnsoc.errors import LearnsocError, OptionalDependencyError, did_you_mean
from learnsoc.io.export import write_table_parquet
from learnsoc.io.files import PathLike, display_name, link_out_of, not_regular
from learnsoc.io.fingerprints import fingerprint, is_fingerprint
from learnsoc.io.manifests import read_manifest
from learnsoc.io.parquet import read_columns
from learnsoc.io.prefetch import Prefetch
from learnsoc.io.rejects import FileRejects
from learnsoc.io.writers import atomic_path, refuse_output
from learnsoc.model.codes import CodedEnum
from learnsoc.model.hierarchy import (
    PRESETS,
    Hierarchy,
    HierarchySpec,
    hierarchy_spec,
    level_named,
)
from learnsoc.model.population import Population
from learnsoc.model.schema import STANDARD_SCHEMA, ColumnSpec, Schema
from learnsoc.model.tables import Columns, Masks, entity_name, population_table
from learnsoc.rejects import Chained, CountedRejects, Rejects

__all__ = [
    "LAYOUT_VERSION",
    "MANIFEST",
    "PARTITION_TABLES",
    "Dataset",
    "DatasetError",
    "DatasetWriter",
    "PartitionFileMissingError",
    "WrittenPartitions",
    "partition_file",
    "read_dataset",
    "write_dataset",
    "write_synthetic_dataset",
]

#: The version of the layout this module writes and reads.
LAYOUT_VERSION = 1
#: The manifest's file name, at the top of the dataset.
MANIFEST = "manifest.json"
#: The file of the rows rejected when the dataset was built (beside the manifest).
REJECTS_FILE = "rejects.csv"
#: The tables written once per partition (the units table is written once, at the top).
PARTITION_TABLES: tuple[str, ...] = (
    "households",
    "clans",
    "persons",
    "organisations",
    "memberships",
)
_KEY = re.compile(r"^[A-Za-z0-9_.-]+$")

Tables = dict[str, tuple[Columns, Masks, set[str]]]


class DatasetError(LearnsocError, ValueError):
    """A dataset that cannot be written or read as it is.

    Raised for a household, clan or organisation whose members fall in two partitions
    (writing), and for a missing or unreadable file, a units table that does not cover a
    partition's codes, or row counts that differ from the manifest's (reading).

    Parameters
    ----------
    message : str
        What is wrong and how to fix it.
    file : str, optional
        The file concerned, shown first.
    partition : str, optional
        The partition key (a unit code).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "d"
    >>> _ = write_dataset(ls.synthetic_population(persons=500, seed=2), folder)
    >>> (folder / "manifest.json").unlink()  # as an interrupted write leaves it
    >>> try:
    ...     read_dataset(folder)
    ... except DatasetError as error:
    ...     print(pathlib.Path(error.file).name, "|", error.partition)
    manifest.json | None
    """

    def __init__(
        self, message: str, *, file: str | None = None, partition: str | None = None
    ) -> None:
        self.file = file
        self.partition = partition
        super().__init__(message if file is None else f"{file}: {message}")


class PartitionFileMissingError(DatasetError):
    """A file the manifest lists for a partition is not there (``err.file``, ``err.partition``).

    Its own class, so that a caller can tell it from the other damage: on a Dask worker,
    a file missing there that the client sees is a worker that does not see the dataset
    folder under the client's path (``learnsoc evaluate --dask`` says so). It pickles as
    itself, from a worker process or a Dask worker.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "d"
    >>> ds = write_dataset(ls.synthetic_population(persons=500, seed=2), folder)
    >>> partition_file(folder, "persons", ds.partition_by, ds.partitions[0]).unlink()
    >>> try:
    ...     read_dataset(folder)
    ... except PartitionFileMissingError as error:
    ...     print(pathlib.Path(error.file).name, "|", error.partition == ds.partitions[0])
    part-0.parquet | True
    """


def _fail(
    msg: Message,
    *,
    file: PathLike | None = None,
    partition: str | None = None,
    error: type[DatasetError] = DatasetError,
) -> NoReturn:
    shown = None if file is None else display_name(file)
    raise error(str(msg), file=shown, partition=partition).translatable(msg)


# -- which partition each row belongs to ------------------------------------------------


def _level_of(h: Hierarchy) -> NDArray[np.int64]:
    return np.repeat(np.arange(h.n_levels, dtype=np.int64), np.diff(h.starts))


def _unit_part(h: Hierarchy, k: int, units: NDArray[Any]) -> NDArray[np.int64]:
    """Return each global unit's partition: -1 for no unit or a unit above level k."""
    units = np.asarray(units, np.int64)
    out = np.full(len(units), -1, np.int64)
    ok = units >= 0
    ok[ok] = _level_of(h)[units[ok]] >= k
    out[ok] = h.ancestors[units[ok], k]
    return out


def _place_groups(
    own: NDArray[np.int64],
    member_group: NDArray[np.int64],
    member_part: NDArray[np.int64],
    ids: NDArray[Any],
    kind_text: str,
    codes: NDArray[np.str_],
) -> NDArray[np.int64]:
    """Give each group (clan, organisation) a partition and check its members are in it.

    A group attached to a unit at the partition level or below belongs to that unit's
    partition; one attached higher up, or to no unit, to its members' partition (the
    first partition when it has none). Any member elsewhere is an error naming it.
    """
    part = own.copy()
    n = len(part)
    valid = member_group >= 0
    g, p = member_group[valid], member_part[valid]
    if n and len(g):
        lowest = np.full(n, np.iinfo(np.int64).max)
        np.minimum.at(lowest, g, p)
        highest = np.full(n, -1)
        np.maximum.at(highest, g, p)
        free = part < 0
        has = highest >= 0
        part[free & has] = lowest[free & has]
        spans = np.flatnonzero(has & ((lowest != highest) | ((part != lowest) & ~free)))
        if len(spans):
            j = int(spans[0])
            first = int(lowest[j]) if part[j] == lowest[j] or free[j] else int(part[j])
            other = int(highest[j]) if first != highest[j] else int(lowest[j])
            msg = Message(
                N_(
                    "{kind_text} {id!r} has members in two partitions ({first!r} and "
                    "{other!r}); a partition must hold whole groups: partition by a higher "
                    "level, or attach the group to a unit that holds all its members "
                    "(groups split like this: {n})"
                ),
                kind_text=kind_text,
                id=_plain(ids[j]),
                first=str(codes[first]),
                other=str(codes[other]),
                n=len(spans),
            )
            _fail(msg)
    part[part < 0] = 0
    return part


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def partition_rows(pop: Population, level: str) -> dict[str, NDArray[np.int64]]:
    """Return the partition (local index of a unit of ``level``) of each row of each table.

    Raises
    ------
    DatasetError
        For a household whose clan, or a person whose organisation, is in another
        partition.

    Examples
    --------
    >>> import learnsoc as ls
    >>> pop = ls.synthetic_population(persons=50_000, seed=1)
    >>> rows = partition_rows(pop, "commune")
    >>> sorted(set(rows["persons"].tolist()))
    [0, 1, 2]
    """
    h = pop.hierarchy
    k = h.level_number(level)
    codes = h.codes_at(level)
    leaf = h.ancestor_index(h.leaf_level, level).astype(np.int64)
    household = leaf[np.asarray(pop.household_unit, np.int64)]
    person = household[np.asarray(pop.person_household, np.int64)]
    clan = _place_groups(
        _unit_part(h, k, pop.clan_unit),
        np.asarray(pop.household_clan, np.int64),
        household,
        pop.clan_ids,
        N_("clan"),
        codes,
    )
    offsets = np.asarray(pop.member_offsets, np.int64)
    sizes = offsets[1:] - offsets[:-1]
    member_org = np.repeat(np.arange(pop.n_organisations, dtype=np.int64), sizes)
    member_part = person[np.asarray(pop.member_person, np.int64)]
    organisation = _place_groups(
        _unit_part(h, k, pop.organisation_unit),
        member_org,
        member_part,
        pop.organisation_ids,
        N_("organisation"),
        codes,
    )
    return {
        "households": household,
        "clans": clan,
        "persons": person,
        "organisations": organisation,
        "memberships": organisation[member_org],
    }


# -- writing ------------------------------------------------------------------------------


def partition_file(folder: PathLike, table: str, level: str, key: str) -> Path:
    """Return the file of one table of one partition.

    Examples
    --------
    >>> partition_file("national", "persons", "province", "01").as_posix()
    'national/persons/province=01/part-0.parquet'
    """
    return Path(folder) / table / f"{level}={key}" / "part-0.parquet"


def _check_keys(codes: NDArray[np.str_], level: str) -> None:
    for code in codes.tolist():
        if not _KEY.match(code):
            msg = Message(
                N_(
                    "unit code {code!r} of level {level!r} cannot name a partition folder; "
                    "codes of the partition level may hold only letters, digits, '_', '.' "
                    "and '-'"
                ),
                code=code,
                level=level,
            )
            _fail(msg)


def _spec_entry(spec: HierarchySpec) -> str | list[str]:
    return spec.name if PRESETS.get(spec.name) == spec else list(spec.names)


def _slice(table: tuple[Columns, Masks, set[str]], rows: NDArray[np.intp]) -> Any:
    cols, missing, booleans = table
    return (
        {c: a[rows] for c, a in cols.items()},
        {c: m[rows] for c, m in missing.items()},
        booleans,
    )


def _write_units(folder: Path, h: Hierarchy) -> int:
    cols: Columns = dict(h.to_columns())
    write_table_parquet(
        cols, {"parent_code": cols["parent_code"] == ""}, set(), folder / "units.parquet", ()
    )
    return len(h)


def _write_partition(folder: Path, level: str, key: str, tables: Tables) -> dict[str, int]:
    rows: dict[str, int] = {}
    for name in PARTITION_TABLES:
        cols, missing, booleans = tables[name]
        path = partition_file(folder, name, level, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_table_parquet(cols, missing, booleans, path, ())
        rows[name] = len(next(iter(cols.values()))) if cols else 0
    return rows


def _prepare_folder(folder: Path) -> None:
    _check_folder(folder)
    folder.mkdir(parents=True, exist_ok=True)


def _write_manifest(
    folder: Path,
    spec: HierarchySpec,
    level: str,
    n_units: int,
    partitions: Sequence[tuple[str, Mapping[str, int]]],
    columns: Mapping[str, Sequence[Mapping[str, Any]]] | None = None,
    rejects: CountedRejects | None = None,
) -> None:
    from learnsoc._build import build_name

    manifest: dict[str, Any] = {
        "layout": "learnsoc-dataset",
        "version": LAYOUT_VERSION,
        # Named when a reader of another layout version refuses the dataset; with a digest
        # of the source, as development checkouts all have the same version.
        "written_by": build_name(),
        "hierarchy": _spec_entry(spec),
        "partition_by": level,
        "units": {"file": "units.parquet", "rows": n_units},
        "tables": list(PARTITION_TABLES),
        # Each file's size and footer checksum: a file replaced after this manifest was
        # written (same rows, other values) is refused when its partition is read.
        "partitions": [
            {"key": key, "rows": dict(rows), "files": _fingerprints(folder, level, key)}
            for key, rows in partitions
        ],
    }
    if columns:
        # A rulebook's input columns (children's results ...): the partitions are read
        # back with them, checked as when the files were read.
        manifest["columns"] = {table: list(entries) for table, entries in columns.items()}
    if rejects is not None:
        # The rows of the files the dataset was built from: an evaluation of it says how
        # many were rejected, so its figures never silently cover fewer persons.
        manifest["rejects"] = {"file": rejects.file, "tables": rejects.to_dict()}
    text = json.dumps(manifest, indent=1) + "\n"
    if len(text.encode("utf-8")) > limits.MAX_MANIFEST_BYTES:
        # Written, it could not be read back (read_json refuses it).
        msg = Message(
            N_(
                "the dataset manifest would be {size:,} bytes ({n:,} partitions), and "
                "learnsoc reads one of at most {limit:,} bytes; partition by a higher level"
            ),
            size=len(text.encode("utf-8")),
            n=len(partitions),
            limit=limits.MAX_MANIFEST_BYTES,
        )
        _fail(msg, file=folder / MANIFEST)
    with atomic_path(folder / MANIFEST) as tmp:
        tmp.write_text(text, encoding="utf-8")


def _fingerprints(folder: Path, level: str, key: str) -> dict[str, Any]:
    return {t: fingerprint(partition_file(folder, t, level, key)) for t in PARTITION_TABLES}


#: The schema's names of the partition tables (``household`` ...).
_SCHEMA_TABLES = tuple(entity_name(t) for t in PARTITION_TABLES)


def _extra_columns(schema: Schema) -> dict[str, list[dict[str, Any]]]:
    """Return per table the columns ``schema`` has beyond the standard one, as JSON entries."""
    out: dict[str, list[dict[str, Any]]] = {}
    for table in _SCHEMA_TABLES:
        standard = {c.name for c in STANDARD_SCHEMA.table(table).columns}
        extra = [c for c in schema.table(table).columns if c.name not in standard]
        if extra:
            out[table] = [_column_entry(c) for c in extra]
    return out


def _column_entry(spec: ColumnSpec) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": spec.name,
        "kind": spec.kind,
        "label": spec.label,
        "dtype": spec.dtype,
    }
    if spec.minimum is not None:
        entry["minimum"] = spec.minimum
    if spec.maximum is not None:
        entry["maximum"] = spec.maximum
    if spec.codes is not None:
        entry["codes"] = [[member.name, int(member.value)] for member in spec.codes]
    return entry


def _column_from(table: str, entry: Any) -> ColumnSpec:
    """Return the column an entry of the manifest describes (TypeError if it is none)."""
    if not isinstance(entry, dict) or set(entry) - {
        "name", "kind", "label", "dtype", "minimum", "maximum", "codes"
    }:  # fmt: skip
        raise TypeError
    name, kind, label, dtype = entry["name"], entry["kind"], entry["label"], entry["dtype"]
    if not all(isinstance(v, str) for v in (name, kind, label, dtype)):
        raise TypeError
    if kind not in ("bool", "int", "float", "code", "text") or not name.isidentifier():
        raise TypeError
    if dtype not in ("uint8", "uint16", "uint32", "int32", "int64", "float32", "float64"):
        raise TypeError
    bounds = [entry.get("minimum"), entry.get("maximum")]
    for bound in bounds:
        if bound is not None and (isinstance(bound, bool) or not isinstance(bound, int | float)):
            raise TypeError
    codes = None
    if kind == "code":
        pairs = entry.get("codes")
        if not isinstance(pairs, list) or not pairs:
            raise TypeError
        members = []
        for pair in pairs:
            if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
                raise TypeError
            if not is_count(pair[1]) or not pair[0].isidentifier():
                raise TypeError
            members.append((pair[0], pair[1]))
        # The functional Enum API, as a rulebook builds its code types.
        make_enum: Any = CodedEnum
        codes = make_enum(f"{table}_{name}", members)
    return ColumnSpec(name, kind, label, dtype, bounds[0], bounds[1], codes)


def _manifest_schema(manifest: Mapping[str, Any]) -> Schema:
    """Return the schema of a manifest's partitions (TypeError for a bad ``columns``)."""
    columns = manifest.get("columns", {})
    if not isinstance(columns, dict) or set(columns) - set(_SCHEMA_TABLES):
        raise TypeError
    extra: dict[str, list[ColumnSpec]] = {}
    for table, entries in columns.items():
        if not isinstance(entries, list):
            raise TypeError
        extra[table] = [_column_from(table, entry) for entry in entries]
        standard = {c.name for c in STANDARD_SCHEMA.table(table).columns}
        names = [c.name for c in extra[table]]
        if len(set(names)) != len(names) or standard & set(names):
            raise TypeError
    return STANDARD_SCHEMA.extend(**extra)


def _check_level(h: Hierarchy, level: str) -> str:
    """Return the id of the level ``level`` names, by its id or in words (``tỉnh``)."""
    found = level_named(level, h.spec.levels)
    if found is None:
        msg = Message(
            N_("partition_by={level!r} is not a level of the hierarchy ({levels}){hint}"),
            level=level,
            levels=", ".join(h.levels),
            hint=did_you_mean(level, h.levels),
        )
        _fail(msg)
    return found


def write_dataset(
    pop: Population,
    path: PathLike,
    partition_by: str = "province",
    *,
    locale: str | None = None,
) -> Dataset:
    """Write a population as a partitioned Parquet dataset (see the module docs).

    The population is written whole by one :class:`DatasetWriter` (its rows rejected
    when read stay in ``pop.rejects``); to build a dataset from files too large to hold
    at once, write it a partition at a time with one.

    Parameters
    ----------
    pop : Population
    path : str or path
        A new or empty folder.
    partition_by : str, default "province"
        The level whose units are the partitions. Every unit of the level gets a
        partition, with empty tables when nobody lives there.
    locale : str, optional
        Language of the messages of ``rejects.csv`` (the rows rejected when the
        population was read), as :func:`learnsoc.io.write_rejects` writes them; its
        columns and reason codes are learnsoc's names in every locale.

    Returns
    -------
    Dataset
        The dataset, as :func:`read_dataset` opens it.

    Raises
    ------
    DatasetError
        For a level the hierarchy does not have, a unit code that cannot name a folder,
        or a household, clan or organisation whose members are in two partitions
        (nothing is written then).
    OutputPathError
        For a folder that is not empty.
    OptionalDependencyError
        Without pyarrow (extra ``parquet``).

    Examples
    --------
    >>> import learnsoc as ls, tempfile, pathlib
    >>> pop = ls.synthetic_population(persons=3_000, seed=2)
    >>> ds = write_dataset(pop, pathlib.Path(tempfile.mkdtemp()) / "d")
    >>> ds.partition_by, ds.rows[ds.partitions[0]]["persons"]
    ('province', 3000)
    """
    # "drop": the population is in memory with its rejects already (pop.rejects), as
    # write_dataset has always taken it; DatasetWriter refuses them by default.
    with DatasetWriter(path, pop.hierarchy, partition_by, rejects="drop", locale=locale) as writer:
        writer.write(pop, partitions=writer.partitions)
    return writer.dataset


@attrs.frozen
class WrittenPartitions:
    """What one :meth:`DatasetWriter.write` wrote.

    Attributes
    ----------
    partitions : tuple of str
        The partitions written, in the order of the units table.
    rows : mapping of str to mapping of str to int
        Rows written per partition and table (``households``, ``persons`` ...).
    source : str, optional
        What the population was read from, as given to :meth:`DatasetWriter.write`.
    rejects : Rejects
        The rows rejected when the population was read (its ``rejects``): none were
        written, and for every table read, accepted + rejected = read.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> pop = ls.synthetic_population(persons=500, seed=2)
    >>> with DatasetWriter(pathlib.Path(tempfile.mkdtemp()) / "d", pop.hierarchy) as writer:
    ...     written = writer.write(pop, source="tinh.csv")
    >>> written.partitions, written.source, written.rows["01"]["persons"]
    (('01',), 'tinh.csv', 500)
    """

    partitions: tuple[str, ...]
    rows: Mapping[str, Mapping[str, int]]
    source: str | None
    rejects: Rejects = attrs.field(repr=False)


class DatasetWriter:
    """Write a partitioned dataset a few partitions at a time, from populations read apart.

    Each :meth:`write` takes a population holding one or more whole partitions (a
    province's files read with ``ls.read_population(..., hierarchy=writer.hierarchy)``)
    and writes its partitions' files; only that population is in memory. :meth:`close`
    (or the end of a ``with`` block) writes the partitions nobody wrote as empty ones,
    checks that no person, household, clan or organisation id is in two partitions,
    and writes the manifest last: an error, or an exception in the ``with`` block,
    leaves no dataset (the files written so far are removed), never part of one that
    reads as whole. The files and the manifest are those :func:`write_dataset` writes.

    Parameters
    ----------
    path : str or path
        A new or empty folder.
    hierarchy : Hierarchy
        The whole tree (``ls.io.read_units(...)[0]``); every population written must have
        this one.
    partition_by : str, default "province"
        The level whose units are the partitions.
    rejects : {"raise", "drop"}, default "raise"
        What :meth:`write` does with a population that had rows rejected when read:
        "raise" refuses it, naming the first rejected row and its file; "drop" writes the
        rows accepted and keeps the rejected ones in :attr:`written` (accepted +
        rejected = read, per table).
    locale : str, optional
        Language of the messages of ``rejects.csv``, as the ``--rejects`` file of the
        command line writes them (``learnsoc --locale vi dataset`` writes Vietnamese
        ones); the columns (``file``, ``line``, ``table``, ``column``, ``value``,
        ``reason``, ``message``), the tables, columns and reason codes in them stay
        learnsoc's names in every locale, to filter by.

    Attributes
    ----------
    path : Path
    hierarchy : Hierarchy
    partition_by : str
    partitions : tuple of str
        Every partition key: the codes of the units of ``partition_by``.
    written : tuple of WrittenPartitions
        What each :meth:`write` wrote, in order.
    empty : tuple of str
        After :meth:`close`, the partitions no population held, written empty.
    rejects : CountedRejects
        Rows read, accepted and rejected per table over every :meth:`write` (and
        :meth:`add_rejects`): what :meth:`close` records in the manifest, with the
        rejected rows in ``rejects.csv`` beside it (when there are any).
    dataset : Dataset
        After :meth:`close`, the dataset as :func:`read_dataset` opens it.

    Raises
    ------
    DatasetError
        For a level the hierarchy does not have, a unit code that cannot name a folder.
    OutputPathError
        For a folder that is not new or empty.

    Examples
    --------
    >>> import learnsoc as ls, tempfile, pathlib
    >>> tree = ls.Hierarchy.from_units({"code": ["01", "02", "00101", "00201"],
    ...     "level": ["province"] * 2 + ["commune"] * 2, "parent_code": ["", "", "01", "02"]},
    ...     levels=["province", "commune"])
    >>> one = ls.Population.from_records(persons=[ls.Person(1, 10, age=30)],
    ...     households=[ls.Household(10, "00101")], hierarchy=tree)
    >>> two = ls.Population.from_records(persons=[ls.Person(2, 20, age=8)],
    ...     households=[ls.Household(20, "00201")], hierarchy=tree)
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "national"
    >>> with DatasetWriter(folder, tree, partition_by="province") as writer:
    ...     writer.write(one, source="province 01").partitions
    ...     writer.write(two, source="province 02").partitions
    ('01',)
    ('02',)
    >>> writer.dataset.n_persons, writer.dataset.partitions
    (2, ('01', '02'))

    A partition is written once:

    >>> with DatasetWriter(folder.with_name("again"), tree) as writer:
    ...     _ = writer.write(one, source="a.csv")
    ...     _ = writer.write(one, source="b.csv")
    Traceback (most recent call last):
    ...
    learnsoc.io.dataset.DatasetError: b.csv: partition '01' is already written (from a.csv); \
a partition is written once, with all its rows: read its files together
    >>> folder.with_name("again").exists()
    False
    """

    def __init__(
        self,
        path: PathLike,
        hierarchy: Hierarchy,
        partition_by: str = "province",
        *,
        rejects: str = "raise",
        locale: str | None = None,
    ) -> None:
        _require_pyarrow()
        if rejects not in ("raise", "drop"):
            msg = Message(N_("rejects={value!r}; expected 'raise' or 'drop'"), value=rejects)
            _fail(msg)
        partition_by = _check_level(hierarchy, partition_by)
        codes = hierarchy.codes_at(partition_by)
        _check_keys(codes, partition_by)
        self.path = Path(path)
        self.hierarchy = hierarchy
        self.partition_by = partition_by
        self.partitions: tuple[str, ...] = tuple(codes.tolist())
        self.written: tuple[WrittenPartitions, ...] = ()
        self.empty: tuple[str, ...] = ()
        self._rejects = rejects
        self._locale = locale
        self._noted: list[Rejects] = []  # rows rejected that no write() took (the units)
        # Each write's read_again, by the id of what it wrote (kept in self.written).
        self._again: dict[int, Callable[..., Population]] = {}
        self._rows: dict[str, dict[str, int]] = {}
        self._from: dict[str, str | None] = {}
        self._created: list[Path] = []  # what to remove when the write fails
        self._state = "open"
        self._dataset: Dataset | None = None
        self._blank: Tables | None = None
        # Columns beyond the standard schema (a rulebook's inputs), by table and name.
        self._columns: dict[str, dict[str, dict[str, Any]]] = {}
        _check_folder(self.path)

    def __repr__(self) -> str:
        return (
            f"DatasetWriter({str(self.path)!r}, partition_by={self.partition_by!r}, "
            f"{len(self._rows)} of {len(self.partitions)} partitions written)"
        )

    @property
    def dataset(self) -> Dataset:
        """Return the dataset written (after :meth:`close`)."""
        if self._dataset is None:
            msg = Message(N_("the dataset is not written yet: close the writer first"))
            _fail(msg, file=self.path)
        return self._dataset

    def __enter__(self) -> DatasetWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is None:
            self.close()
        else:
            self.abort()

    def write(
        self,
        pop: Population,
        *,
        partitions: Collection[str] | None = None,
        source: PathLike | None = None,
        replace: bool = False,
        read_again: Callable[..., Population] | None = None,
    ) -> WrittenPartitions:
        """Write the partitions a population holds.

        Parameters
        ----------
        pop : Population
            Whole partitions: every household of a partition with its members, and the
            clans and organisations attached to the partition (or above it, holding
            only its members). Its hierarchy must be the writer's.
        partitions : collection of str, optional
            The partitions ``pop`` holds; they are written even when empty, and a
            household, clan or organisation outside them is refused. Default: those
            with a household, clan or organisation in ``pop``.
        source : str or path, optional
            What ``pop`` was read from (a folder), to name in messages.
        replace : bool, default False
            Write again partitions that an earlier :meth:`write` wrote from the same
            ``source`` (its files read again, for instance with the rows whose ids another
            folder holds rejected: ``read_population(..., ids_elsewhere=...)``); its entry
            in :attr:`written` is replaced. Give ``partitions=writer.written_from(source)``
            so that a partition left with no rows is written empty.
        read_again : callable, optional
            How ``pop`` was read, to read it again: called as ``read_again(ids_elsewhere=
            ids)``, it returns the population of the same input with those ids rejected
            (``functools.partial(ls.read_population, persons, households=...,
            hierarchy=writer.hierarchy)``). With ``rejects="drop"``, when an id is in
            this population and in another's, :meth:`close` reads the input again so,
            and the rows rejected are named by the files and lines of *your* input, as
            ``learnsoc dataset`` names them; without it, by the partition's files.

        Returns
        -------
        WrittenPartitions

        Raises
        ------
        DatasetError
            For a population whose hierarchy is not the writer's, read with ``columns=``
            (its files' other columns were not checked), rows rejected when it was read
            (with ``rejects="raise"``), a partition already written, a key
            that is not a partition, a household, clan or organisation outside
            ``partitions`` or whose members are in two partitions, and a writer that is
            closed. Nothing of ``pop`` is written then, and the writer can go on.
        """
        label = None if source is None else display_name(source)
        self._check_open(label)
        replacing = tuple(w for w in self.written if w.source == label) if replace and label else ()
        done = self._write(pop, partitions, label, replacing)
        if read_again is not None:
            self._again[id(done)] = read_again
        return done

    def _write(
        self,
        pop: Population,
        partitions: Collection[str] | None,
        label: str | None,
        replacing: Sequence[WrittenPartitions],
    ) -> WrittenPartitions:
        """Write ``pop``'s partitions; those of ``replacing`` are written again, in its stead."""
        if pop.hierarchy is not self.hierarchy and pop.hierarchy != self.hierarchy:
            self._other_tree(pop, label)
        if isinstance(pop.rejects, FileRejects) and pop.rejects.unchecked:
            _refuse_unchecked(pop.rejects, label)
        if self._rejects == "raise" and len(pop.rejects):
            _refuse_rejected(pop, label)
        columns = self._more_columns(pop, label)
        try:
            parts = partition_rows(pop, self.partition_by)
        except DatasetError as exc:
            raise _at(exc, label) from None
        present = np.zeros(len(self.partitions), bool)
        for name in ("households", "clans", "organisations"):
            present[parts[name]] = True
        if partitions is None:
            chosen = present
        else:
            chosen = self._given(partitions, label)
            outside = present & ~chosen
            if outside.any():
                self._outside(pop, parts, chosen, label)
        keys = [key for key, on in zip(self.partitions, chosen.tolist(), strict=True) if on]
        for key in keys:
            if any(key in w.partitions for w in replacing):
                continue
            if key in self._rows:
                shown = self._from[key] or "-"
                msg = Message(
                    N_(
                        "partition {key!r} is already written (from {source}); a partition "
                        "is written once, with all its rows: read its files together"
                    ),
                    key=key,
                    source=shown,
                )
                _fail(msg, file=label, partition=key)
        rows = self._write_parts(pop, parts, keys)
        self._columns = columns
        for key in keys:
            self._from[key] = label
        # Clean reads keep only their counts: a CSV's record layout can be 8 bytes a row.
        skipped = {t: pop.rejects.n_skipped(t) for t in pop.rejects.read}
        kept = pop.rejects if len(pop.rejects) else Rejects(read=pop.rejects.read, skipped=skipped)
        done = WrittenPartitions(tuple(keys), rows, label, kept)
        for old in replacing:
            self.written = tuple(w for w in self.written if w is not old)
            self._again.pop(id(old), None)
        self.written = (*self.written, done)
        return done

    def add_rejects(self, rejects: Rejects) -> None:
        """Count rows rejected from a file no :meth:`write` took (the units table's).

        They are kept with the dataset's rejects: counted in the manifest and listed in
        ``rejects.csv``.
        """
        self._check_open(None)
        self._noted.append(rejects)

    @property
    def rejects(self) -> CountedRejects:
        """Return the rows read, accepted and rejected per table so far.

        The units table is counted as written (every unit of the tree) unless the rows of
        a units file were given (:meth:`add_rejects`): a report of the dataset then says
        the rows behind it as a report of the files says them, units included.
        """
        parts = list(self._all_rejects())
        units = (
            []
            if any("unit" in part.read for part in parts)
            else [Rejects(read={"unit": len(self.hierarchy)})]
        )
        total = CountedRejects.summed([*units, *parts])
        return attrs.evolve(total, file=REJECTS_FILE if len(total) else None)

    def _all_rejects(self) -> list[Rejects]:
        return [*self._noted, *(w.rejects for w in self.written)]

    def written_from(self, source: PathLike) -> tuple[str, ...]:
        """Return the partitions written from ``source`` (as given to :meth:`write`).

        Examples
        --------
        >>> import learnsoc as ls, tempfile, pathlib
        >>> tree = ls.Hierarchy.from_units({"code": ["01", "00101"],
        ...     "level": ["province", "commune"], "parent_code": ["", "01"]},
        ...     levels=["province", "commune"])
        >>> one = ls.Population.from_records(persons=[ls.Person(1, 10, age=30)],
        ...     households=[ls.Household(10, "00101")], hierarchy=tree)
        >>> with DatasetWriter(pathlib.Path(tempfile.mkdtemp()) / "d", tree) as writer:
        ...     _ = writer.write(one, source="tinh-01")
        ...     writer.written_from("tinh-01")
        ('01',)
        """
        label = display_name(source)
        return tuple(key for key in self.partitions if self._from.get(key, None) == label)

    def close(self) -> Dataset:
        """Write the empty partitions and the manifest; return the dataset.

        An id (person, household, clan, organisation) written in two partitions is, with
        ``rejects="drop"``, rejected in both (``duplicate_id``) with the rows that refer
        to it, as reading the files together rejects every copy and as ``learnsoc dataset
        --drop-rejected`` does: the inputs holding one are read again with those ids
        rejected, and their partitions written again. An input written with
        ``read_again=`` (see :meth:`write`) is read again by it: its rows rejected are
        named by your files and lines, as ``learnsoc dataset`` names them; another is
        read again from the partition's files, its rows named by the partition file and
        its row as first written. The rows rejected so are in :attr:`rejects` and in
        ``rejects.csv``; accepted + rejected = read still holds per table.

        Raises
        ------
        DatasetError
            With ``rejects="raise"``, for an id written in two partitions (naming both,
            and what they were written from); the files written are removed then, and no
            dataset is left.

        Examples
        --------
        >>> import learnsoc as ls, tempfile, pathlib
        >>> tree = ls.Hierarchy.from_units({"code": ["01", "02", "00101", "00201"],
        ...     "level": ["province"] * 2 + ["commune"] * 2, "parent_code": ["", "", "01", "02"]},
        ...     levels=["province", "commune"])
        >>> one = ls.Population.from_records(persons=[ls.Person(1, 10, age=30),
        ...     ls.Person(2, 10, age=5)], households=[ls.Household(10, "00101")], hierarchy=tree)
        >>> two = ls.Population.from_records(persons=[ls.Person(2, 20, age=8)],
        ...     households=[ls.Household(20, "00201")], hierarchy=tree)
        >>> folder = pathlib.Path(tempfile.mkdtemp()) / "national"
        >>> with DatasetWriter(folder, tree, rejects="drop") as writer:
        ...     _ = writer.write(one, source="tinh-01")
        ...     _ = writer.write(two, source="tinh-02")
        >>> writer.dataset.n_persons, writer.rejects.counts()["person"]
        (1, (3, 1, 2))
        """
        if self._state == "closed":
            return self.dataset
        self._check_open(None)
        pq = _require_pyarrow()
        try:
            self._start()
            empty = [key for key in self.partitions if key not in self._rows]
            if empty:
                tables = self._blank
                if tables is None:
                    nobody = Population.from_records(
                        persons=[], households=[], hierarchy=self.hierarchy
                    )
                    tables = {name: population_table(nobody, name) for name in PARTITION_TABLES}
                for key in empty:
                    self._rows[key] = self._files(key, tables)
            if len(self.written) > 1:  # one population's ids are unique already
                sources = {key: self._from.get(key) for key in self.partitions}
                if self._rejects == "drop":
                    self._reject_ids_in_two(pq)
                _check_ids(pq, self.path, self.partition_by, self.partitions, sources)
            written = [(key, self._rows[key]) for key in self.partitions]
            extra = {t: list(by_name.values()) for t, by_name in self._columns.items()}
            counted = self.rejects
            if counted.file is not None:
                self._created.append(self.path / counted.file)
                _write_rejects(self._all_rejects(), self.path / counted.file, self._locale)
            _write_manifest(
                self.path,
                self.hierarchy.spec,
                self.partition_by,
                len(self.hierarchy),
                written,
                extra,
                counted,
            )
        except BaseException:
            self.abort()
            raise
        self._state = "closed"
        self.empty = tuple(empty)
        self._dataset = _open_dataset(self.path, None, check_ids=False)
        return self._dataset

    def _reject_ids_in_two(self, pq: Any) -> None:
        """Reject every copy of an id written in two partitions, in each partition's files.

        The partitions holding one are read again from the files written, with those ids
        rejected (:func:`~learnsoc.io.read_population`'s ``ids_elsewhere``, which rejects
        the rows that refer to them too), and written again. Their rejects count no row
        read: those rows were counted when the population was first read.
        """
        twice, holding = _ids_in_two(pq, self.path, self.partition_by, self.partitions)
        if not twice:
            return
        # The inputs that can be read again are: their rejects then name the user's files
        # and lines, as `learnsoc dataset` reads its folders again.
        for done in self.written:
            again = self._again.get(id(done))
            if again is None or holding.isdisjoint(done.partitions):
                continue
            self._write(again(ids_elsewhere=twice), done.partitions, done.source, (done,))
            holding.difference_update(done.partitions)
        extra = {t: list(by_name.values()) for t, by_name in self._columns.items()}
        schema = _manifest_schema({"columns": extra})
        for key in self.partitions:
            if key not in holding:
                continue
            files = {
                t: partition_file(self.path, t, self.partition_by, key) for t in PARTITION_TABLES
            }
            pop = _read_partition(files, self.hierarchy, schema, ids_elsewhere=twice)
            tables = {name: population_table(pop, name) for name in PARTITION_TABLES}
            self._rows[key] = _write_partition(self.path, self.partition_by, key, tables)
            # Only the tables with a row rejected: the others were not read from a file.
            had = [t for t in pop.rejects.read if pop.rejects.n_rejected(t)]
            self._noted.append(attrs.evolve(pop.rejects, read=dict.fromkeys(had, 0)))

    def abort(self) -> None:
        """Remove the files written so far; the writer is closed, with no dataset.

        ``with`` calls it on an exception. A folder the writer did not create stays (empty).
        """
        if self._state == "closed":
            return
        self._state = "aborted"
        for path in reversed(self._created):
            with contextlib.suppress(OSError):
                if path.is_dir():
                    path.rmdir()  # only when empty: never what others put there
                else:
                    path.unlink()
        self._created.clear()

    # -- helpers ------------------------------------------------------------------------

    def _more_columns(
        self, pop: Population, label: str | None
    ) -> dict[str, dict[str, dict[str, Any]]]:
        """Return the extra columns known with ``pop``'s; refuse one described otherwise."""
        known = {table: dict(by_name) for table, by_name in self._columns.items()}
        for table, entries in _extra_columns(pop.schema).items():
            mine = known.setdefault(table, {})
            for entry in entries:
                before = mine.setdefault(entry["name"], entry)
                # Labels differ from rulebook to rulebook; the values stored must not.
                if {**before, "label": ""} != {**entry, "label": ""}:
                    msg = Message(
                        N_(
                            "column {column!r} of the {table} table is not described as in "
                            "the populations written before ({kind}, {dtype} then {kind_now}, "
                            "{dtype_now}); read every folder with the same rulebook's schema"
                        ),
                        column=entry["name"],
                        table=table,
                        kind=before["kind"],
                        dtype=before["dtype"],
                        kind_now=entry["kind"],
                        dtype_now=entry["dtype"],
                    )
                    _fail(msg, file=label)
        return known

    def _check_open(self, label: str | None) -> None:
        if self._state != "open":
            msg = Message(
                N_("this dataset writer is {state_text}; open a new one to write a dataset"),
                state_text=N_("closed") if self._state == "closed" else N_("aborted"),
            )
            _fail(msg, file=label)

    def _other_tree(self, pop: Population, label: str | None) -> NoReturn:
        h = pop.hierarchy
        msg = Message(
            N_(
                "the population's hierarchy is not the writer's ({levels}: {n:,} units; the "
                "writer's {mine}: {m:,} units); read the files with "
                "hierarchy=writer.hierarchy, so every partition has the same units table"
            ),
            levels=", ".join(h.levels),
            n=len(h),
            mine=", ".join(self.hierarchy.levels),
            m=len(self.hierarchy),
        )
        _fail(msg, file=label)

    def _given(self, partitions: Collection[str], label: str | None) -> NDArray[np.bool_]:
        if isinstance(partitions, str):
            partitions = (partitions,)
        chosen = np.zeros(len(self.partitions), bool)
        index = {key: p for p, key in enumerate(self.partitions)}
        for key in partitions:
            if key not in index:
                msg = Message(
                    N_("{key!r} is not a partition: not a unit of level {level!r}{hint}"),
                    key=key,
                    level=self.partition_by,
                    hint=did_you_mean(str(key), self.partitions),
                )
                _fail(msg, file=label)
            chosen[index[key]] = True
        return chosen

    def _outside(
        self,
        pop: Population,
        parts: Mapping[str, NDArray[np.int64]],
        chosen: NDArray[np.bool_],
        label: str | None,
    ) -> NoReturn:
        given = ", ".join(
            repr(k) for k, on in zip(self.partitions, chosen.tolist(), strict=True) if on
        )
        for name, kind, ids in (
            ("households", N_("household"), pop.household_ids),
            ("clans", N_("clan"), pop.clan_ids),
            ("organisations", N_("organisation"), pop.organisation_ids),
        ):
            off = np.flatnonzero(~chosen[parts[name]])
            if len(off):
                j = int(off[0])
                msg = Message(
                    N_(
                        "{kind_text} {id!r} is in partition {key!r}, not among the partitions "
                        "given ({given}); a population written holds whole partitions: give "
                        "its partitions, or fix its unit (rows like it: {n:,})"
                    ),
                    kind_text=kind,
                    id=_plain(ids[j]),
                    key=self.partitions[int(parts[name][j])],
                    given=given,
                    n=len(off),
                )
                _fail(msg, file=label, partition=self.partitions[int(parts[name][j])])
        raise AssertionError  # pragma: no cover - present & ~chosen had a row

    def _start(self) -> None:
        """Create the folder and write the units table, on the first files written."""
        if self._created:
            return
        _check_folder(self.path)
        missing = [p for p in (self.path, *self.path.parents) if not p.exists()]
        self.path.mkdir(parents=True, exist_ok=True)
        self._created.extend(reversed(missing))
        self._created.append(self.path / "units.parquet")
        _write_units(self.path, self.hierarchy)

    def _files(self, key: str, tables: Tables) -> dict[str, int]:
        for name in PARTITION_TABLES:
            folder = partition_file(self.path, name, self.partition_by, key).parent
            for path in (folder.parent, folder):
                if not path.exists():
                    self._created.append(path)
            self._created.append(folder / "part-0.parquet")
        return _write_partition(self.path, self.partition_by, key, tables)

    def _write_parts(
        self, pop: Population, parts: Mapping[str, NDArray[np.int64]], keys: Sequence[str]
    ) -> dict[str, dict[str, int]]:
        try:
            self._start()
            tables = {name: population_table(pop, name) for name in PARTITION_TABLES}
            if self._blank is None:
                # Empty partitions get the columns and types of the first ones written.
                nothing = np.zeros(0, np.intp)
                self._blank = {name: _slice(tables[name], nothing) for name in PARTITION_TABLES}
            orders, bounds = {}, {}
            for name, part in parts.items():
                orders[name] = np.argsort(part, kind="stable")
                bounds[name] = np.searchsorted(
                    part[orders[name]], np.arange(len(self.partitions) + 1)
                )
            rows = {}
            for key in keys:
                p = self.partitions.index(key)
                sub = {
                    name: _slice(tables[name], orders[name][bounds[name][p] : bounds[name][p + 1]])
                    for name in PARTITION_TABLES
                }
                rows[key] = self._rows[key] = self._files(key, sub)
        except BaseException:
            # A file half written (a full disk, an interrupt): the dataset cannot be whole.
            self.abort()
            raise
        return rows


def _read_partition(
    files: Mapping[str, Path], hierarchy: Hierarchy, schema: Any, **options: Any
) -> Population:
    """Read one partition's five files into a population (``options``: read_population's)."""
    from learnsoc.io.population import read_population

    return read_population(
        files["persons"],
        households=files["households"],
        hierarchy=hierarchy,
        clans=files["clans"],
        organisations=files["organisations"],
        memberships=files["memberships"],
        schema=schema,
        bars=False,
        **options,
    )


def _write_rejects(parts: Sequence[Rejects], path: Path, locale: str | None) -> None:
    """Write the rows rejected by every read as one table (each row named in its file)."""
    from learnsoc.io.writers import write_rejects

    # As the --rejects file: the messages in the reader's language, the columns and the
    # codes in them (table, column, reason) learnsoc's names, for any tool to filter by.
    write_rejects(Chained(parts=tuple(p for p in parts if p)), path, locale=locale, protect=())


def _check_folder(folder: Path) -> None:
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        msg = Message(
            N_("a dataset is written into a new or empty folder; remove it or choose another")
        )
        # refuse_output translates the whole line, "cannot write" included.
        raise refuse_output(display_name(folder), msg)


def _at(exc: DatasetError, label: str | None) -> DatasetError:
    """Return ``exc`` naming what the population was read from (unless it names a file)."""
    if label is None or exc.file is not None:
        return exc
    out = DatasetError(exc.english(), file=label, partition=exc.partition)
    if exc.message_id is not None:
        out.translatable(exc.message_id, **exc.params)
    return out


def _refuse_rejected(pop: Population, label: str | None) -> NoReturn:
    """Stop on a population with rejected rows, naming the first one and its file."""
    n = pop.rejects.n_rejected_rows()
    one = N_(
        "{n:,} row was rejected when the files were read: {first}; it would be missing from "
        "the dataset: fix the file, or write the rows accepted with rejects='drop' "
        "(learnsoc dataset --drop-rejected) and keep the rejected ones"
    )
    many = N_(
        "{n:,} rows were rejected when the files were read, the first: {first}; they would "
        "be missing from the dataset: fix the files, or write the rows accepted with "
        "rejects='drop' (learnsoc dataset --drop-rejected) and keep the rejected ones"
    )
    msg = Message(one if n == 1 else many, n=n, first=_FirstReject(pop))
    first = pop.rejects.first("en")
    _fail(msg, file=getattr(first, "file", None) or label)


def _refuse_unchecked(rejects: FileRejects, label: str | None) -> NoReturn:
    """Stop on a population read with ``columns=``: its files' other cells were not checked.

    Reading every column rejects a row with a bad cell in any of them; a dataset of the
    rows read with fewer columns would hold rows that the files read whole do not, and
    count other persons than the in-memory path (and `learnsoc validate`) on them.
    """
    table, names = next(iter(rejects.unchecked.items()))
    source = rejects.sources.get(table)
    msg = Message(
        N_(
            "the population was read with columns=, so its files' other columns were "
            "neither read nor checked ({table}: {names}); a dataset holds every column, "
            "checked as learnsoc validate checks them: read the files without columns= "
            "(read_dataset(path, columns=...) then reads only the rulebook's columns)"
        ),
        table=table,
        names=", ".join(names[:5]) + (f" (+{len(names) - 5})" if len(names) > 5 else ""),
    )
    _fail(msg, file=source.file if source is not None else label)


def _require_pyarrow() -> Any:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise OptionalDependencyError("pyarrow", "parquet", N_("partitioned datasets")) from None
    return pq


# -- reading ------------------------------------------------------------------------------


@attrs.frozen(eq=False)
class Dataset:
    """A partitioned dataset, opened: its manifest and units; partitions read on demand.

    Attributes
    ----------
    path : Path
    hierarchy : Hierarchy
        The whole tree, from the units table.
    partition_by : str
        The partition level.
    partitions : tuple of str
        The partition keys: the codes of the units of the partition level.
    rows : mapping of str to mapping of str to int
        Rows per table of each partition, as the manifest records them.
    columns : frozenset of str, optional
        The columns :meth:`partition` reads besides ids and required columns (as
        :func:`~learnsoc.io.read_population`'s ``columns=``); ``None`` reads every column.
    schema : Schema
        The columns the partitions may hold: the standard ones and those the manifest
        describes (the input columns of the rulebook the files were read with).
    rejects : CountedRejects
        The rows read, accepted and rejected per table when the dataset was built from
        files (``learnsoc dataset``, :class:`DatasetWriter`): its partitions hold the rows
        accepted, and ``rejects.file`` (``DIR/rejects.csv``) lists the rejected ones with
        their files and lines. Empty for a dataset whose manifest does not record them.
    fingerprints : mapping of str to mapping of str to dict
        Per partition and table, the file's size and footer checksum as the manifest
        records them (:mod:`learnsoc.io.fingerprints`); :meth:`partition` refuses a file
        that no longer has them. Empty for a manifest written before they were recorded.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> tree = ls.Hierarchy.from_units({"code": ["01", "02", "00101", "00201"],
    ...     "level": ["province"] * 2 + ["commune"] * 2, "parent_code": ["", "", "01", "02"]},
    ...     levels=["province", "commune"])
    >>> pop = ls.synthetic_population(persons=3_000, seed=2, hierarchy=tree)
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "d"
    >>> _ = write_dataset(pop, folder, partition_by="province")
    >>> ds = read_dataset(folder, columns=["age"])
    >>> ds.partitions, sum(r["persons"] for r in ds.rows.values())
    (('01', '02'), 3000)
    >>> part = ds.partition(ds.partitions[0])  # read on demand
    >>> part.n_persons == ds.rows[ds.partitions[0]]["persons"]
    True
    """

    path: Path
    hierarchy: Hierarchy = attrs.field(repr=False)
    partition_by: str
    partitions: tuple[str, ...] = attrs.field(repr=False)
    rows: Mapping[str, Mapping[str, int]] = attrs.field(repr=False)
    columns: frozenset[str] | None = attrs.field(default=None, repr=False)
    schema: Schema = attrs.field(default=STANDARD_SCHEMA, repr=False)
    rejects: CountedRejects = attrs.field(factory=CountedRejects, repr=False)
    fingerprints: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict, repr=False)

    @property
    def n_persons(self) -> int:
        """Return the number of persons in the dataset (from the manifest)."""
        return sum(r["persons"] for r in self.rows.values())

    def files(self, key: str) -> dict[str, Path]:
        """Return the file of each table of one partition."""
        self._check_key(key)
        return {t: partition_file(self.path, t, self.partition_by, key) for t in PARTITION_TABLES}

    def _check_key(self, key: str) -> None:
        if key not in self.rows:
            msg = Message(
                N_("no partition {key!r} in this dataset{hint}"),
                key=key,
                hint=did_you_mean(key, self.partitions),
            )
            _fail(msg, file=self.path / MANIFEST)

    def subtree(self, key: str) -> NDArray[np.bool_]:
        """Return a mask over the units (global order) of those inside partition ``key``."""
        self._check_key(key)
        h = self.hierarchy
        k = h.level_number(self.partition_by)
        p = int(self.partitions.index(key))
        inside: NDArray[np.bool_] = _unit_part(h, k, np.arange(len(h))) == p
        return inside

    def partition(self, key: str, *, rejects: str = "raise") -> Population:
        """Read one partition as a population (with the whole units table).

        Parameters
        ----------
        key : str
            The partition's key (a unit code of the partition level).
        rejects : {"raise", "keep"}, default "raise"
            A dataset written by :func:`write_dataset` has no rows to reject, so a
            rejected row means a file was changed: "raise" stops with an error naming
            the first one (file, row, column, reason); "keep" returns the partition with
            every rejected row in its ``rejects``, to look at them.

        Raises
        ------
        DatasetError
            For an unknown key, a file that is missing, not Parquet, or whose row count
            differs from the manifest's, a household, clan or organisation attached
            to a unit outside the partition (or not in the units table), and (with
            ``rejects="raise"``) rows rejected when read.
        SchemaError
            For a file without a required column, or with a column learnsoc does not know.
        """
        if rejects not in ("raise", "keep"):
            msg = Message(N_("rejects={value!r}; expected 'raise' or 'keep'"), value=rejects)
            _fail(msg)
        pq = _require_pyarrow()
        files = self.files(key)
        for table, path in files.items():
            _check_file(pq, self.path, path, self.rows[key][table], key)
        pop = _read_partition(files, self.hierarchy, self.schema, columns=self.columns)
        self._check_units(pop, files, key)
        if rejects == "raise" and len(pop.rejects):
            _rejected(pop, key)
        # After the checks of the rows: a file edited by hand is named by what is wrong
        # in it when something is; else by this, for rows that read well but are others.
        self._check_unchanged(files, key)
        return pop

    def _check_unchanged(self, files: Mapping[str, Path], key: str) -> None:
        """Refuse a file whose size or footer is not the one the manifest records."""
        for table, path in files.items():
            expected = self.fingerprints.get(key, {}).get(table)
            if expected is None:
                continue
            found = fingerprint(path)
            if found == expected:
                continue
            msg = Message(
                N_(
                    "the file was changed after the dataset was written: it has the "
                    "{rows:,} rows the manifest records for partition {key!r}, but not the "
                    "same bytes ({size:,} bytes, the manifest records {expected:,} and the "
                    "checksum of another Parquet footer); restore the file, or write the "
                    "dataset again"
                ),
                rows=self.rows[key][table],
                key=key,
                size=-1 if found is None else found["bytes"],
                expected=expected["bytes"],
            )
            _fail(msg, file=path, partition=key)

    def read_ahead(self, key: str, ahead: Prefetch, *, like: str) -> None:
        """Start decoding partition ``key``'s files in the background, as ``like``'s were read.

        For a run that reads partition ``like``, then works on it, then reads ``key``:
        ``key``'s Parquet row groups are decoded meanwhile, with the columns read from
        ``like``'s files (see :mod:`learnsoc.io.prefetch`); ``partition(key)`` then takes
        them when it runs with ``ahead`` active. Nothing is checked here:
        :meth:`partition` checks and reads the files as it always does.
        """
        this, other = self.files(key), self.files(like)
        for table, path in this.items():
            ahead.start(path, like=other[table])

    def __iter__(self) -> Iterator[tuple[str, Population]]:
        """Yield each partition's key and population, one at a time."""
        for key in self.partitions:
            yield key, self.partition(key)

    def _check_units(self, pop: Population, files: Mapping[str, Path], key: str) -> None:
        """Refuse entities attached to a unit outside partition ``key`` (or to no unit).

        Checked on the population as read (the unit codes are read once): an accepted
        entity's unit must be inside the partition (households: a lowest-level unit;
        clans and organisations may also hang on an ancestor of the partition), and a
        unit code the reader rejected as unknown (or, for a household, not of the lowest
        level) is refused too, whatever ``rejects`` says: the units table does not cover
        the partition's files.
        """
        h = self.hierarchy
        inside = self.subtree(key)
        codes = h.to_columns()["code"]
        # Clans and organisations may also hang on an ancestor of the partition.
        k = h.level_number(self.partition_by)
        unit = int(h.starts[k]) + self.partitions.index(key)
        above = inside.copy()
        for level in range(k):
            above[int(h.starts[level]) + int(h.ancestors[unit, level])] = True
        leaf = int(h.starts[h.n_levels - 1])
        placed = {
            "households": (pop.household_unit.astype(np.int64) + leaf, inside),
            "clans": (pop.clan_unit[pop.clan_unit >= 0], above),
            "organisations": (pop.organisation_unit, above),
        }
        refused = {"households": ("unknown_unit", "wrong_level")}
        for table, (units, ok) in placed.items():
            outside = np.unique(units[~ok[units]])
            bad = set(codes[outside].tolist())
            for batch in pop.rejects.batches:
                if (
                    batch.table == table[:-1]
                    and batch.column == "unit_code"
                    and batch.reason in refused.get(table, ("unknown_unit",))
                ):
                    bad.update(batch.values.tolist())
            if bad:
                ordered = sorted(bad)
                known = set(codes.tolist())
                unknown = [b for b in ordered if b not in known]
                msg = Message(
                    N_(
                        "unit_code {code!r} is not a unit of partition {key!r} in the units "
                        "table (codes like it: {n}); write the dataset again with "
                        "learnsoc.write_dataset, or fix units.parquet"
                    ),
                    code=(unknown or ordered)[0],
                    key=key,
                    n=len(ordered),
                )
                _fail(msg, file=files[table], partition=key)


def _check_file(pq: Any, folder: Path, path: Path, expected: int, key: str | None) -> None:
    """Check a file exists, is Parquet and has its rows; ``key`` None for the units table.

    ``folder``: the dataset's, which the file must not lead out of through a link.
    """
    _refuse_link_out(folder, path, key)
    _refuse_not_regular(path, key)
    if not path.is_file():
        if key is None:
            msg = Message(N_("the units table of the dataset is missing; write the dataset again"))
        else:
            msg = Message(
                N_(
                    "partition file missing: the manifest lists it for partition {key!r} "
                    "(rows: {n:,}); restore the file or write the dataset again"
                ),
                key=key,
                n=expected,
            )
        _refuse_decomposed(path.parent, key)
        _fail(
            msg,
            file=path,
            partition=key,
            error=DatasetError if key is None else PartitionFileMissingError,
        )
    try:
        n = pq.ParquetFile(path).metadata.num_rows
    except Exception as exc:  # pyarrow raises several types for damaged files
        msg = Message(
            N_("not a readable Parquet file ({reason}); write the dataset again"),
            reason=str(exc).splitlines()[0] if str(exc) else type(exc).__name__,
        )
        _fail(msg, file=path, partition=key)
    if n != expected:
        if key is None:
            msg = Message(
                N_(
                    "the units table has {n:,} rows, the manifest records {expected:,}; "
                    "the file was changed after the dataset was written"
                ),
                n=n,
                expected=expected,
            )
        else:
            msg = Message(
                N_(
                    "the file has {n:,} rows, the manifest records {expected:,} for partition "
                    "{key!r}; the file was changed after the dataset was written"
                ),
                n=n,
                expected=expected,
                key=key,
            )
        _fail(msg, file=path, partition=key)


class _FirstReject(Translatable):
    """The first rejected row of a partition, as a value of a message (localized)."""

    def __init__(self, pop: Population) -> None:
        self._rejects = pop.rejects

    def __str__(self) -> str:
        return self.localized("en")

    def localized(self, locale: str | None = None) -> str:
        first = self._rejects.first(locale)
        if first is None:
            return ""
        # The error names the file first: "line 7, column age: ...", not the file twice.
        file = getattr(first, "file", "")
        text = first.message
        return text[len(file) + 2 :] if file and text.startswith(f"{file}, ") else text


def _rejected(pop: Population, key: str) -> NoReturn:
    """Stop on a partition whose files had rows to reject, naming the first one."""
    n = pop.rejects.n_rejected_rows()
    one = N_(
        "partition {key!r}: {n:,} row was rejected when read: {first}; a dataset that "
        "learnsoc.write_dataset wrote has none, so its files were changed (a reference to a "
        "household, clan, organisation or person that does not exist may be one split "
        "across two partitions); fix the file or write the dataset again, and see "
        "Dataset.partition({key!r}, rejects='keep').rejects for every row"
    )
    many = N_(
        "partition {key!r}: {n:,} rows were rejected when read, the first: {first}; a "
        "dataset that learnsoc.write_dataset wrote has none, so its files were changed (a "
        "reference to a household, clan, organisation or person that does not exist may be "
        "one split across two partitions); fix the files or write the dataset again, and "
        "see Dataset.partition({key!r}, rejects='keep').rejects for every row"
    )
    msg = Message(one if n == 1 else many, key=key, n=n, first=_FirstReject(pop))
    first = pop.rejects.first("en")
    _fail(msg, file=getattr(first, "file", None) or None, partition=key)


def _refuse_decomposed(folder: Path, key: str | None) -> None:
    """Name a partition folder missing only because its name is in decomposed Unicode.

    A level named with accents (``tỉnh``) names its folders ``tỉnh=01``; copied through
    some Mac tools, the name comes back with its accents as separate marks (NFD), which
    looks the same but is another name to every tool but the eye.
    """
    if key is None or folder.exists() or not folder.parent.is_dir():
        return
    for entry in folder.parent.iterdir():
        if entry.name != folder.name and unicodedata.normalize("NFC", entry.name) == folder.name:
            msg = Message(
                N_(
                    "partition folder missing: a folder of this name is there with its "
                    "accents written as separate marks (Unicode NFD, as some Mac tools copy "
                    "names), which makes it another name; rename it to {name!r} as typed "
                    "(NFC), or write the dataset again"
                ),
                name=folder.name,
            )
            _fail(msg, file=entry, partition=key)


def _refuse_link_out(folder: Path, path: Path, key: str | None = None) -> None:
    """Refuse a file of the dataset reached through a symbolic link that leads out of it.

    Such a link reads a file of another folder (a tar or zip archive can carry one to
    any path on the machine that opens it) as though it were the dataset's. A link
    whose target stays in the folder is followed, and the dataset's folder itself may be
    a link: link it whole, or mount the storage, to keep its files elsewhere.
    """
    found = link_out_of(folder, path)
    if found is None:
        return
    link, real = found
    msg = Message(
        N_(
            "this is a symbolic link to {target}, outside the dataset's folder; learnsoc "
            "reads a dataset's files only inside its folder: copy the files into it, or "
            "link (or mount) the whole dataset folder instead"
        ),
        target=real,
    )
    _fail(msg, file=link, partition=key)


def _refuse_not_regular(path: Path, key: str | None = None) -> None:
    """Refuse a folder, FIFO or device where a file of the dataset should be.

    It was "missing" (a FIFO, a folder) or, opened by pyarrow, waited on for ever (a FIFO).
    """
    problem = not_regular(path)
    if problem is not None:
        _fail(problem, file=path, partition=key)


def _manifest_problem(path: Path, what: str | Phrase) -> NoReturn:
    msg = Message(
        N_("not a learnsoc dataset manifest: {what_text}"),
        what_text=what,
    )
    _fail(msg, file=path)


def _other_version(manifest: Mapping[str, Any], path: Path) -> NoReturn:
    """Refuse a manifest of another layout version, naming both and what wrote it."""
    from learnsoc._version import __version__

    version, by = manifest["version"], manifest.get("written_by")
    newer = is_count(version) and version > LAYOUT_VERSION
    if newer:
        text = N_(
            "dataset layout version {version!r}, written by {writer}; this learnsoc "
            "({mine}) reads version {supported}: a newer learnsoc wrote it, so install "
            "that one (or a later one) to read it, on every worker too"
        )
    else:
        text = N_(
            "dataset layout version {version!r}, written by {writer}; this learnsoc "
            "({mine}) reads version {supported}: write the dataset again with this "
            "learnsoc (learnsoc dataset, or learnsoc.write_dataset)"
        )
    msg = Message(
        text,
        version=version,
        writer=by if isinstance(by, str) and len(by) < 100 else N_("an unknown learnsoc"),
        mine=__version__,
        supported=LAYOUT_VERSION,
    )
    _fail(msg, file=path)


def _load_manifest(path: Path) -> dict[str, Any]:
    _refuse_link_out(path.parent, path)
    _refuse_not_regular(path)
    if not path.is_file():
        msg = Message(
            N_(
                "no dataset manifest here; write the dataset with learnsoc.write_dataset "
                "(an interrupted write leaves no manifest)"
            )
        )
        _fail(msg, file=path)
    manifest = read_manifest(
        path, what=N_("dataset manifest"), error=DatasetError, problem=_manifest_problem
    )
    if not isinstance(manifest, dict) or manifest.get("layout") != "learnsoc-dataset":
        _manifest_problem(path, N_("its layout is not 'learnsoc-dataset'"))
    if "version" not in manifest:
        _manifest_problem(path, N_("it has no layout version"))
    if manifest["version"] != LAYOUT_VERSION or isinstance(manifest["version"], bool):
        _other_version(manifest, path)
    try:
        keys = []
        for part in manifest["partitions"]:
            if not isinstance(part["key"], str) or not _KEY.match(part["key"]):
                raise TypeError
            keys.append(part["key"])
            if set(part["rows"]) != set(PARTITION_TABLES):
                raise TypeError
            for table in PARTITION_TABLES:
                if not is_count(part["rows"][table]):
                    raise TypeError
            # Written since the fingerprints were; a manifest without them is read as is.
            files = part.get("files", {})
            if not isinstance(files, dict) or set(files) - set(PARTITION_TABLES):
                raise TypeError
            if not all(f is None or is_fingerprint(f) for f in files.values()):
                raise TypeError
        if not is_count(manifest["units"]["rows"]):
            raise TypeError
        if not isinstance(manifest["partition_by"], str):
            raise TypeError
    except (KeyError, TypeError):
        _manifest_problem(
            path, N_("a partition, its key or its row counts are missing or not counts")
        )
    if len(set(keys)) != len(keys):
        _manifest_problem(path, N_("a partition is listed twice"))
    if manifest.get("tables") != list(PARTITION_TABLES):
        _manifest_problem(path, N_("its tables are not those of layout version 1"))
    if manifest["units"].get("file") != "units.parquet":
        _manifest_problem(path, N_("its units file is not 'units.parquet'"))
    return dict(manifest)


#: The columns of a dataset's units table (others there are not read).
_UNIT_COLUMNS = ("code", "name", "level", "parent_code")


def _read_units(pq: Any, path: Path, manifest: Path, levels: Any, expected: int) -> Hierarchy:
    try:
        spec = hierarchy_spec(levels)
    except (LearnsocError, TypeError, ValueError) as exc:
        msg = Message(
            N_("its hierarchy {value!r} is not a preset or a list of levels ({reason})"),
            value=levels,
            reason=exc,
        )
        _fail(msg, file=manifest)
    _check_file(pq, path.parent, path, expected, None)
    # As every Parquet file learnsoc reads: never decoded if it would expand past the
    # limit, a column of lists or a damaged page named (not pyarrow's error).
    table = read_columns(path, _UNIT_COLUMNS)
    cols = {
        name: np.array(["" if v is None else str(v) for v in table.column(name).to_pylist()])
        for name in table.column_names
    }
    try:
        return Hierarchy.from_units(cols, levels=spec)
    except LearnsocError as exc:
        msg = Message(
            N_("the units table is not a tree of the dataset's levels: {reason}"), reason=exc
        )
        _fail(msg, file=path)


def read_dataset(path: PathLike, *, columns: Collection[str] | None = None) -> Dataset:
    """Open a partitioned dataset: read its manifest and units, check its files.

    Partitions are read one at a time by :meth:`Dataset.partition`.

    Parameters
    ----------
    path : str or path
        The dataset's folder.
    columns : collection of str, optional
        Read only these columns of the partitions besides ids and required columns, e.g.
        ``book.columns_read(as_of=...)`` for a rulebook (as ``read_population``'s
        ``columns=``; the others are never read from disk). ``None`` reads every column.

    Raises
    ------
    DatasetError
        For a folder without a manifest, a manifest that is not one (another layout
        or version, counts that are not counts, a partition listed twice, over
        :data:`~learnsoc.limits.MAX_MANIFEST_BYTES` or nested deeper than
        :data:`~learnsoc.limits.MAX_MANIFEST_NESTING`), a partition file missing, not
        Parquet or whose row count differs, a file reached through a symbolic link that
        leads out of the dataset's folder, a folder or file among the partitions that the
        manifest does not list, a person, household, clan or organisation id in two
        partitions, a units table that is not readable, whose row count differs or that
        is not a tree, or partitions that are not the units of the partition level.
    FileFormatError
        For a units table or an id column that holds lists or records, bytes that are
        not UTF-8, or pages that cannot be read or would decompress past
        :data:`~learnsoc.limits.MAX_EXPANSION`.

    Examples
    --------
    >>> import learnsoc as ls, tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp()) / "d"
    >>> _ = write_dataset(ls.synthetic_population(persons=2_000, seed=3), folder)
    >>> ds = read_dataset(folder)
    >>> ds.partitions, ds.n_persons
    (('01',), 2000)
    """
    return _open_dataset(Path(path), columns, check_ids=True)


def _open_dataset(folder: Path, columns: Collection[str] | None, *, check_ids: bool) -> Dataset:
    """Open a dataset (``check_ids=False``: a writer that has checked them already)."""
    pq = _require_pyarrow()
    manifest_path = folder / MANIFEST
    manifest = _load_manifest(manifest_path)
    h = _read_units(
        pq,
        folder / "units.parquet",
        manifest_path,
        manifest["hierarchy"],
        manifest["units"]["rows"],
    )
    level = _check_level(h, str(manifest["partition_by"]))
    keys = tuple(str(p["key"]) for p in manifest["partitions"])
    expected = tuple(h.codes_at(level).tolist())
    if keys != expected and sorted(keys) == sorted(expected):
        # The same partitions in another order: saying none is missing would puzzle.
        first = next(k for k, e in zip(keys, expected, strict=True) if k != e)
        msg = Message(
            N_(
                "the partitions are not listed in the order of the units of level {level!r} "
                "in units.parquet (the first out of place: {key!r}); undo the edit, or write "
                "the dataset again"
            ),
            level=level,
            key=first,
        )
        _fail(msg, file=manifest_path)
    if keys != expected:
        missing = sorted(set(expected) - set(keys))
        extra = sorted(set(keys) - set(expected))
        msg = Message(
            N_(
                "the partitions are not the units of level {level!r} in units.parquet "
                "(not listed: {missing}; not in the units table: {extra})"
            ),
            level=level,
            missing=", ".join(missing[:5]) or "-",
            extra=", ".join(extra[:5]) or "-",
        )
        _fail(msg, file=manifest_path)
    rows = {str(p["key"]): dict(p["rows"]) for p in manifest["partitions"]}
    sealed = {str(p["key"]): dict(p.get("files", {})) for p in manifest["partitions"]}
    for key in keys:
        for table in PARTITION_TABLES:
            path = partition_file(folder, table, level, key)
            _check_file(pq, folder, path, rows[key][table], key)
    _check_folders(folder, level, keys)
    if check_ids:
        _check_ids(pq, folder, level, keys)
    chosen = None if columns is None else frozenset(columns)
    try:
        schema = _manifest_schema(manifest)
    except (KeyError, TypeError, ValueError):
        _manifest_problem(manifest_path, N_("its columns are not column descriptions"))
    built = _built_rejects(manifest, manifest_path, folder)
    return Dataset(folder, h, level, keys, rows, chosen, schema, built, sealed)


def _built_rejects(manifest: Mapping[str, Any], path: Path, folder: Path) -> CountedRejects:
    """Return the rows the dataset's files had, read, accepted and rejected (if recorded)."""
    entry = manifest.get("rejects")
    if entry is None:
        return CountedRejects()
    try:
        file, tables = entry["file"], entry["tables"]
        # The counts are checked by from_dict; the file must be a name beside the manifest.
        if file is not None and (not isinstance(file, str) or Path(file).name != file):
            raise TypeError
        built = CountedRejects.from_dict(tables, None if file is None else str(folder / file))
    except (KeyError, TypeError, AttributeError):
        _manifest_problem(
            path, N_("its rejects are not counts of rows read, accepted, rejected and skipped")
        )
    if built.file is not None:
        _refuse_link_out(folder, Path(built.file))
        _refuse_not_regular(Path(built.file))
    if built.file is not None and not Path(built.file).is_file():
        msg = Message(
            N_(
                "file missing: the manifest lists it, with the {n:,} rows rejected when the "
                "dataset was built; write the dataset again"
            ),
            n=len(built),
        )
        _fail(msg, file=built.file)
    return built


def _hidden(path: Path) -> bool:
    # pyarrow, polars and Dask skip these in a hive-style folder (and atomic writes' temps)
    return path.name.startswith((".", "_"))


def _check_folders(folder: Path, level: str, keys: Sequence[str]) -> None:
    """Refuse a partition folder or file on disk that the manifest does not list.

    learnsoc reads only what the manifest lists, other tools every file of the folders:
    the rows of such a file would be counted by one and not the other.
    """
    listed = {f"{level}={key}" for key in keys}
    for table in PARTITION_TABLES:
        for entry in sorted((folder / table).iterdir()):
            if _hidden(entry):
                continue
            if entry.name in listed and entry.is_dir():
                stray = [f for f in sorted(entry.iterdir()) if not _hidden(f)]
                stray = [f for f in stray if f.name != "part-0.parquet"]
                if not stray:
                    continue
                entry = stray[0]
            msg = Message(
                N_(
                    "this is not a partition file the manifest lists: learnsoc would leave "
                    "its rows out, and tools that read the whole folder would count them; "
                    "move it out of the dataset, or write the dataset again with its rows"
                )
            )
            _fail(msg, file=entry)


#: The id column of each partition table whose ids are unique across the dataset.
_ID_OF = {
    "households": "household_id",
    "clans": "clan_id",
    "persons": "person_id",
    "organisations": "organisation_id",
}


def _id_range(pq: Any, path: Path, column: str) -> tuple[int, int] | None:
    """Return the smallest and largest id of a file from its statistics, if it records them.

    Only integer ids: the statistics of text may be cut short. ``(0, -1)`` for no rows.
    """
    meta = pq.ParquetFile(path).metadata
    if meta.num_rows == 0:
        return (0, -1)
    j = meta.schema.names.index(column) if column in meta.schema.names else -1
    if j < 0 or meta.schema.column(j).physical_type not in ("INT32", "INT64"):
        return None
    low, high = None, None
    for g in range(meta.num_row_groups):
        stats = meta.row_group(g).column(j).statistics
        if stats is None or not stats.has_min_max:
            return None
        if type(stats.min) is not int or type(stats.max) is not int:
            return None  # dates, times, decimals stored as integers: not ids to compare
        low = stats.min if low is None else min(low, stats.min)
        high = stats.max if high is None else max(high, stats.max)
    return None if low is None or high is None else (int(low), int(high))


def _check_ids(
    pq: Any,
    folder: Path,
    level: str,
    keys: Sequence[str],
    sources: Mapping[str, str | None] | None = None,
) -> None:
    """Refuse an id (a person, household, clan, organisation) present in two partitions.

    Each partition is read on its own, so such an entity would be counted twice, or a
    household with members in two partitions counted as two. When the files' statistics
    show the partitions' integer ids in ranges that do not overlap (as
    :func:`write_dataset` writes populations numbered in order, and
    :func:`write_synthetic_dataset` always), nothing more is read; else the id columns
    are read and grouped (about 20 bytes per id at once). ``sources``: what a
    :class:`DatasetWriter` wrote each partition from, to name in the message.
    """
    for table, column in _ID_OF.items():
        files = [partition_file(folder, table, level, key) for key in keys]
        if _apart([_id_range(pq, f, column) for f in files]):
            continue
        _check_ids_exactly(pq, files, keys, table, column, sources)


def _id_columns(pq: Any, files: Sequence[Path], column: str) -> list[Any] | None:
    """Return each file's ids (as text in all, if some files hold text and some numbers).

    None when a file has no such column: read_population names it when the partition
    is read.
    """
    import pyarrow as pa

    columns = []
    for file in files:
        # Checked as read_population checks it: a list or a damaged page is named, not
        # pyarrow's error when the ids are grouped.
        table = read_columns(file, [column])
        if not table.num_columns:
            return None
        columns.append(table.column(0))
    if len({str(c.type) for c in columns}) > 1:
        columns = [c.cast(pa.string()) for c in columns]
    return columns


def _group_ids(columns: Sequence[Any]) -> Any:
    """Return each id once, with the first and last partition (index) holding it."""
    import pyarrow as pa

    parts = [pa.array(np.full(len(ids), p, np.int32)) for p, ids in enumerate(columns)]
    try:
        ids = pa.chunked_array([c for chunk in columns for c in chunk.chunks])
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        ids = pa.chunked_array(
            [c.cast(pa.string()) for chunk in columns for c in chunk.chunks], pa.string()
        )
    return (
        pa.table({"id": ids, "p": pa.chunked_array(parts, pa.int32())})
        .group_by("id")
        .aggregate([("p", "min"), ("p", "max")])
    )


def _ids_in_two(
    pq: Any, folder: Path, level: str, keys: Sequence[str]
) -> tuple[dict[str, NDArray[Any]], set[str]]:
    """Return the ids in two partitions or more, by table, and the partitions holding one.

    By table as :func:`~learnsoc.io.read_population`'s ``ids_elsewhere`` takes them
    (``"person"`` ...). Files whose statistics show ranges that do not overlap are not
    read, as in :func:`_check_ids`.
    """
    import pyarrow.compute as pc

    twice: dict[str, NDArray[Any]] = {}
    holding: set[str] = set()
    for table, column in _ID_OF.items():
        files = [partition_file(folder, table, level, key) for key in keys]
        if _apart([_id_range(pq, f, column) for f in files]):
            continue
        columns = _id_columns(pq, files, column)
        if columns is None:
            continue
        grouped = _group_ids(columns)
        low, high = grouped.column("p_min").to_numpy(), grouped.column("p_max").to_numpy()
        if not (low != high).any():
            continue
        found = grouped.column("id").filter(low != high).combine_chunks()
        twice[table[:-1]] = found.to_numpy(zero_copy_only=False)
        for key, ids in zip(keys, columns, strict=True):
            if pc.any(pc.is_in(ids, value_set=found.cast(ids.type))).as_py():
                holding.add(key)
    return twice, holding


def _apart(ranges: Sequence[tuple[int, int] | None]) -> bool:
    """Tell whether the files' id ranges (from their statistics) cannot share an id."""
    if any(r is None for r in ranges):
        return False
    spans = sorted(r for r in ranges if r is not None and r[0] <= r[1])
    return all(a[1] < b[0] for a, b in itertools.pairwise(spans))


def _check_ids_exactly(
    pq: Any,
    files: Sequence[Path],
    keys: Sequence[str],
    table: str,
    column: str,
    sources: Mapping[str, str | None] | None = None,
) -> None:
    columns = _id_columns(pq, files, column)
    if columns is None:
        return
    grouped = _group_ids(columns)
    low, high = grouped.column("p_min").to_numpy(), grouped.column("p_max").to_numpy()
    twice = np.flatnonzero(low != high)
    if len(twice) == 0:
        return
    j = int(twice[0])
    first, other = keys[int(low[j])], keys[int(high[j])]
    if sources is not None:
        msg = Message(
            N_(
                "{column} {id!r} is in two partitions ({first!r} from {first_source}, "
                "{other!r} from {other_source}); each partition is read on its own, so ids "
                "must be unique across the dataset: give the files ids that differ from "
                "one partition to the next (e.g. the province code in front of them) "
                "(ids in two partitions: {n:,})"
            ),
            column=column,
            id=grouped.column("id")[j].as_py(),
            first=first,
            first_source=sources.get(first) or "-",
            other=other,
            other_source=sources.get(other) or "-",
            n=len(twice),
        )
        _fail(msg, file=sources.get(other) or None, partition=other)
    msg = Message(
        N_(
            "{column} {id!r} is in two partitions ({first!r} and {other!r}); a partition "
            "holds whole households with their members, clans and organisations: move the "
            "rows into one partition, or write the dataset again with learnsoc.write_dataset "
            "(ids in two partitions: {n:,})"
        ),
        column=column,
        id=grouped.column("id")[j].as_py(),
        first=keys[int(low[j])],
        other=keys[int(high[j])],
        n=len(twice),
    )
    _fail(msg, file=files[int(high[j])], partition=keys[int(high[j])])


# -- synthetic datasets --------------------------------------------------------------------

_ID_COLUMNS = {
    "households": {"household_id": "households", "clan_id": "clans"},
    "clans": {"clan_id": "clans"},
    "persons": {"person_id": "persons", "household_id": "households"},
    "organisations": {"organisation_id": "organisations"},
    "memberships": {"organisation_id": "organisations", "person_id": "persons"},
}


def _shares(total: int, weights: NDArray[np.int64]) -> NDArray[np.int64]:
    """Split ``total`` in proportion to ``weights`` (largest remainders, ties by order)."""
    exact = weights * total
    out = exact // int(weights.sum())
    rest = total - int(out.sum())
    order = np.argsort(-(exact % int(weights.sum())), kind="stable")
    out[order[:rest]] += 1
    return out


def write_synthetic_dataset(
    path: PathLike,
    persons: int,
    seed: int = 0,
    hierarchy: str | HierarchySpec | Sequence[str] = "vn-2025",
    *,
    partition_by: str | None = None,
    reference_year: int = 2025,
    bars: bool | None = False,
    progress: bool | Unset | None = UNSET,
) -> Dataset:
    """Write a synthetic population as a dataset, one partition in memory at a time.

    The tree is :func:`~learnsoc.synth.synthetic_hierarchy` for ``persons`` (about
    1,000 persons per lowest-level unit); each partition is
    :func:`~learnsoc.synth.synthetic_population` on the partition's subtree, with a seed
    drawn from ``seed`` and the partition's number, and ids numbered on from the
    previous partitions'. The same arguments write the same files.

    The distributions per person, household, clan and organisation are those of
    :func:`~learnsoc.synth.synthetic_population`; what differs from one call of it on the
    whole tree: persons are shared between partitions in proportion to their
    lowest-level units (the whole-tree generator draws the weight of each unit, so
    partition sizes vary more there), and each partition draws its own values, so the
    dataset is not ``write_dataset(synthetic_population(persons, seed))``.

    Parameters
    ----------
    path : str or path
        A new or empty folder.
    persons : int
        Exact number of persons.
    seed : int
    hierarchy : str, HierarchySpec or sequence of str
        A preset or custom levels.
    partition_by : str, optional
        The partition level (default: the top level).
    reference_year : int
        The year ages refer to.
    bars : bool, optional
        A bar with one step per partition (``progress=`` is a deprecated spelling).

    Returns
    -------
    Dataset
        Its :attr:`~Dataset.rejects` count the rows written as rows read (none
        rejected), as a dataset built from files counts them: a report of it says them.

    Examples
    --------
    >>> import learnsoc as ls, tempfile, pathlib
    >>> ds = ls.synth.write_synthetic_dataset(
    ...     pathlib.Path(tempfile.mkdtemp()) / "d", persons=3_000, seed=1, partition_by="village")
    >>> ds.partitions, ds.n_persons
    (('00001001', '00001002', '00001003'), 3000)
    >>> [ds.rows[key]["persons"] for key in ds.partitions]
    [1000, 1000, 1000]
    >>> ds.rejects.read["person"], ds.rejects.n_rejected("person")
    (3000, 0)
    """
    from learnsoc.synth import PERSONS_PER_VILLAGE, synthetic_hierarchy, synthetic_population

    bars = renamed_flag(bars, progress, "write_synthetic_dataset")
    _require_pyarrow()
    if persons < 1:
        msg = Message(N_("persons must be at least 1, got {persons}"), persons=persons)
        raise LearnsocError(str(msg)).translatable(msg)
    h = synthetic_hierarchy(max(1, round(persons / PERSONS_PER_VILLAGE)), seed, hierarchy)
    level = _check_level(h, h.levels[0] if partition_by is None else partition_by)
    codes = h.codes_at(level)
    _check_keys(codes, level)
    k = h.level_number(level)
    leaf = h.ancestor_index(h.leaf_level, level).astype(np.int64)
    sizes = _shares(persons, np.bincount(leaf, minlength=len(codes)).astype(np.int64))
    folder = Path(path)
    _prepare_folder(folder)
    _write_units(folder, h)
    units = h.to_columns()
    part_of = _unit_part(h, k, np.arange(len(h)))
    offsets = dict.fromkeys(("households", "clans", "persons", "organisations"), 0)
    written = []
    with tqdm_bar(len(codes), gettext(N_("synthetic data")), bars, unit="partitions") as bar:
        for p, key in enumerate(codes.tolist()):
            unit = int(h.starts[k]) + p
            keep = part_of == p
            for up in range(k):
                keep[int(h.starts[up]) + int(h.ancestors[unit, up])] = True
            sub = Hierarchy.from_units({c: a[keep] for c, a in units.items()}, levels=h.spec)
            child = int(np.random.SeedSequence([seed, p]).generate_state(1)[0])
            pop = synthetic_population(int(sizes[p]), child, sub, reference_year=reference_year)
            tables = {name: population_table(pop, name) for name in PARTITION_TABLES}
            for name, columns in _ID_COLUMNS.items():
                cols = tables[name][0]
                for column, counter in columns.items():
                    if column in cols:
                        cols[column] = cols[column] + offsets[counter]
            offsets["households"] += pop.n_households
            offsets["clans"] += pop.n_clans
            offsets["persons"] += pop.n_persons
            offsets["organisations"] += pop.n_organisations
            written.append((key, _write_partition(folder, level, key, tables)))
            del pop, tables
            bar.update(1)
    # The rows written are the rows read (none rejected): a report of the dataset says
    # them, as one of a dataset built from files (DatasetWriter) does.
    read = {"unit": len(h)}
    for table, name in zip(PARTITION_TABLES, _SCHEMA_TABLES, strict=True):
        read[name] = sum(int(rows[table]) for _, rows in written)
    counted = CountedRejects.counted(Rejects(read=read))
    _write_manifest(folder, h.spec, level, len(h), written, rejects=counted)
    return read_dataset(folder)
