"""The results folder of a dataset's evaluation: what reports need, without the dataset.

``learnsoc evaluate DIR --out results/`` evaluates a dataset once (minutes at national
scale). :func:`write_results` adds to that folder what a report or a rollup is made
from, so that ``learnsoc report results/`` makes them in seconds, without the dataset:
the standard measures counted per unit (:meth:`DatasetEvaluation.standard_rollup`
before it is rolled up), the units table, and a manifest that says which rulebook, which
date and which tree they are of. :func:`read_results` reads them back, and
:meth:`EvaluationResults.standard_rollup` returns the very rollup the evaluation gave.
The layout (version 1)::

    results/results.json              the manifest, written last
    results/units.parquet             the units table (code, name, level, parent_code)
    results/standard_counts.parquet   unit_code, level and one int64 (or float64)
                                      column per standard measure: each unit's own
                                      counts, one row per unit in the units table's
                                      order, then one row (unit_code and level null)
                                      for what no unit holds

``results.json`` holds ``layout`` (``"learnsoc-results"``), ``version`` (1), the
``rulebook`` (``id``, ``version``), ``as_of`` (``yyyy-mm-dd``), the ``hierarchy``
(a preset's name or the list of levels), ``partition_by``, ``persons``, ``dataset``
(the folder evaluated, as given), the ``--inputs`` files and the rows they rejected, the
evaluation's ``warnings`` (each in every language, ``{"en": ..., "vi": ...}``),
``absent_columns`` (measures the data could not count, with the columns they lack),
``not_in_force`` (measures of titles not in force on the date), ``partial_members`` (per
title measure counted with its ``_decided`` and ``_partial_data`` measures, the levels of
the members its verdicts decided on partial data left out) and, for each of the two
files, its ``rows`` and ``sha256``: a file that is missing, edited or replaced is an error
naming it.

A folder written by an earlier learnsoc (version 1 too) has no ``partial_members`` and
no ``_decided``/``_partial_data`` measures: it is read, and its reports say that how many
verdicts were decided on partial data is not recorded, rather than nothing.

Examples
--------
>>> import learnsoc as ls, numpy as np, tempfile, pathlib, warnings
>>> pop = ls.synthetic_population(persons=2_000, seed=3)
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = ls.write_dataset(pop, folder / "d")
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore")
...     ev = ls.evaluate_dataset(folder / "d", "vn-national", "2025-12-31",
...                              standard_measures=True)
>>> write_results(ev, folder / "results").name
'results.json'
>>> saved = read_results(folder / "results")
>>> saved.rulebook, saved.as_of.isoformat()
('vn-national', '2025-12-31')
>>> a, b = saved.standard_rollup().to_columns(), ev.standard_rollup().to_columns()
>>> all(np.array_equal(a[c], b[c], equal_nan=a[c].dtype.kind == "f") for c in b)
True
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn

import attrs
import numpy as np
from numpy.typing import NDArray

from learnsoc._messages import N_, Message
from learnsoc._phrases import Phrase
from learnsoc._row_arrays import is_count
from learnsoc.aggregate.partials import Partial
from learnsoc.aggregate.rollup import Rollup
from learnsoc.errors import LearnsocError, OptionalDependencyError
from learnsoc.io.dataset import DatasetError
from learnsoc.io.files import (
    FileFormatError,
    PathLike,
    display_name,
    link_out_of,
    not_regular,
)
from learnsoc.io.manifests import read_manifest
from learnsoc.io.parquet import check_parquet
from learnsoc.model.hierarchy import PRESETS, Hierarchy, hierarchy_spec
from learnsoc.rejects import CountedRejects

__all__ = [
    "RESULTS_MANIFEST",
    "RESULTS_VERSION",
    "EvaluationResults",
    "ResultsError",
    "read_results",
    "write_results",
]

#: The manifest's file name, at the top of a results folder.
RESULTS_MANIFEST = "results.json"
#: The version of the results layout this module writes and reads.
RESULTS_VERSION = 1
_LAYOUT = "learnsoc-results"
_UNITS = "units.parquet"
_COUNTS = "standard_counts.parquet"
_KEYS = ("unit_code", "level")


class ResultsError(DatasetError):
    """A results folder that cannot be read as it is.

    Raised for a folder without ``results.json``, a manifest that is not one (another
    layout or version, fields missing or of the wrong type), and a file it lists that is
    missing, not Parquet, or changed after ``learnsoc evaluate`` wrote it. ``file`` names
    the file.

    Examples
    --------
    >>> import tempfile
    >>> read_results(tempfile.mkdtemp())  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    learnsoc.scale.results.ResultsError: .../results.json: no results manifest here; ...
    """


def _fail(msg: Message, file: PathLike) -> NoReturn:
    raise ResultsError(str(msg), file=display_name(file)).translatable(msg)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@attrs.frozen(eq=False)
class EvaluationResults:
    """What a results folder holds for reports: the standard counts and their provenance.

    Attributes
    ----------
    path : Path
        The results folder.
    rulebook, rulebook_version : str
        The id and version of the rulebook evaluated.
    as_of : datetime.date
        The date it was evaluated as of.
    hierarchy : Hierarchy
        The dataset's units table.
    partition_by : str
        The dataset's partition level.
    persons : int
        Persons in the dataset.
    dataset : str
        The dataset folder evaluated, as it was given.
    inputs : tuple of str
        The ``--inputs`` files given to the evaluation.
    rejected_rows : int
        Rows of those files that were rejected.
    warnings : tuple of mappings of str to str
        The evaluation's warnings, each by locale (``"en"``, ``"vi"``).
    standard : Partial
        The standard measures counted per unit (one slot per unit, and one for what no
        unit holds).
    absent_columns : mapping of str to tuple of str
        Measures the data could not count, with the columns they lack.
    built : CountedRejects
        The rows read, accepted and rejected when the dataset was built from files
        (:attr:`learnsoc.io.Dataset.rejects`), for reports to say them again.
    not_in_force : mapping of str to datetime.date
        Standard measures of titles not in force on the date (see
        :attr:`learnsoc.Rollup.not_in_force`).
    partial_members : mapping of str to tuple of str, or None
        Per title measure, the levels of the members its verdicts decided on partial data
        left out (see :attr:`learnsoc.Rollup.partial_members`); None for a folder written
        by an earlier learnsoc, which did not count them.
    inputs_read : CountedRejects
        The rows of the ``--inputs`` files read, accepted and rejected per table, for
        reports to say them as a report of the dataset does (empty in a folder written by
        an earlier learnsoc).

    Examples
    --------
    >>> import learnsoc as ls, tempfile, pathlib, warnings
    >>> pop = ls.synthetic_population(persons=1_000, seed=3)
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = ls.write_dataset(pop, folder / "d")
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ev = ls.evaluate_dataset(folder / "d", "example", "2025-12-31",
    ...                              standard_measures=True)
    >>> _ = write_results(ev, folder / "results", inputs=["plans.csv"], rejected_rows=3)
    >>> saved = read_results(folder / "results")
    >>> saved.persons, saved.partition_by, saved.inputs, saved.rejected_rows
    (1000, 'province', ('plans.csv',), 3)
    >>> saved.hierarchy.n_units("village") == pop.hierarchy.n_units("village")
    True
    """

    path: Path
    rulebook: str
    rulebook_version: str
    as_of: dt.date
    hierarchy: Hierarchy = attrs.field(repr=False)
    partition_by: str
    persons: int
    dataset: str
    inputs: tuple[str, ...]
    rejected_rows: int
    # Kept out of the repr: each warning in every language is a screen of text.
    warnings: tuple[Mapping[str, str], ...] = attrs.field(repr=False)
    standard: Partial = attrs.field(repr=False)
    absent_columns: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict, repr=False)
    built: CountedRejects = attrs.field(factory=CountedRejects, repr=False)
    not_in_force: Mapping[str, dt.date] = attrs.field(factory=dict, repr=False)
    partial_members: Mapping[str, tuple[str, ...]] | None = attrs.field(factory=dict, repr=False)
    inputs_read: CountedRejects = attrs.field(factory=CountedRejects, repr=False)

    def standard_rollup(self) -> Rollup:
        """Return the rollup of the standard measures, as the evaluation gave it.

        Equal to :meth:`DatasetEvaluation.standard_rollup` of the evaluation that
        wrote the folder: reports and progress towards targets read it. Its ``rejects``
        are the rows read, accepted and rejected when the dataset was built
        (:attr:`built`), so that the results and progress tables made from it say them.
        """
        return Rollup.from_partial(
            self.standard,
            self.hierarchy,
            rejects=self.built if len(self.built.read) else None,
            absent_columns=self.absent_columns,
            not_in_force=self.not_in_force,
            partial_members=self.partial_members,
        )


def write_results(
    evaluation: Any,
    folder: PathLike,
    *,
    inputs: Sequence[str] = (),
    rejected_rows: int = 0,
    warnings: Sequence[Mapping[str, str]] = (),
    inputs_read: CountedRejects | None = None,
) -> Path:
    """Write what reports need of a dataset's evaluation into ``folder``; return the manifest.

    Parameters
    ----------
    evaluation : DatasetEvaluation
        From :func:`~learnsoc.evaluate_dataset` with ``standard_measures=True``.
    folder : str or path
        The results folder (created if needed); files already there are kept.
    inputs : sequence of str
        The ``--inputs`` files the evaluation read, recorded in the manifest.
    rejected_rows : int
        Rows of those files that were rejected, recorded so that reports say so.
    warnings : sequence of mappings of str to str
        The evaluation's warnings, each by locale (``{"en": ..., "vi": ...}``), for
        reports to give again.
    inputs_read : CountedRejects, optional
        The rows of those files read, accepted and rejected per table, for reports to say
        them again.

    Returns
    -------
    Path
        ``folder/results.json``, written last (a folder without it is an interrupted write).

    Raises
    ------
    DatasetError
        If the evaluation did not count the standard measures.

    Examples
    --------
    >>> import learnsoc as ls, json, tempfile, pathlib, warnings
    >>> pop = ls.synthetic_population(persons=1_000, seed=3)
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = ls.write_dataset(pop, folder / "d")
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ev = ls.evaluate_dataset(folder / "d", "example", "2025-12-31",
    ...                              standard_measures=True)
    >>> manifest = write_results(ev, folder / "results")
    >>> sorted(path.name for path in manifest.parent.iterdir())
    ['results.json', 'standard_counts.parquet', 'units.parquet']
    >>> written = json.loads(manifest.read_text("utf-8"))
    >>> written["persons"], written["as_of"], written["rulebook"]["id"]
    (1000, '2025-12-31', 'example')
    """
    from learnsoc.io.export import write_table_parquet
    from learnsoc.io.writers import atomic_path

    roll = evaluation.standard_rollup()  # raises without standard_measures=True
    partial: Partial = evaluation.result.standard
    h: Hierarchy = evaluation.hierarchy
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    _refuse_links_at(out)
    units = dict(h.to_columns())
    write_table_parquet(units, {"parent_code": units["parent_code"] == ""}, set(), out / _UNITS, ())
    level_of = np.repeat(np.asarray(h.levels), np.diff(h.starts))
    counts: dict[str, NDArray[Any]] = {
        "unit_code": np.append(units["code"], ""),
        "level": np.append(level_of, ""),
    }
    counts.update({name: np.asarray(a) for name, a in partial.sums.items()})
    nowhere = np.zeros(len(h) + 1, bool)
    nowhere[-1] = True
    write_table_parquet(counts, dict.fromkeys(_KEYS, nowhere), set(), out / _COUNTS, ())
    spec = h.spec
    book = evaluation.rulebook
    manifest = {
        "layout": _LAYOUT,
        "version": RESULTS_VERSION,
        "rulebook": {"id": book.id, "version": book.info.version},
        "as_of": evaluation.as_of.isoformat(),
        "hierarchy": spec.name if PRESETS.get(spec.name) == spec else list(spec.names),
        "partition_by": evaluation.dataset.partition_by,
        "persons": int(evaluation.dataset.n_persons),
        "dataset": str(evaluation.dataset.path),
        "inputs": [str(p) for p in inputs],
        "rejected_rows": int(rejected_rows),
        # The rows of the files the dataset was built from (its manifest's counts).
        "dataset_rejects": {
            "file": evaluation.dataset.rejects.file,
            "tables": evaluation.dataset.rejects.to_dict(),
        },
        "warnings": [dict(w) for w in warnings],
        # The rows of the --inputs files, said again by reports as a dataset's report says them.
        "inputs_rejects": {
            "file": None if inputs_read is None else inputs_read.file,
            "tables": {} if inputs_read is None else inputs_read.to_dict(),
        },
        "absent_columns": {k: list(v) for k, v in roll.absent_columns.items()},
        # Measures of titles not in force on the date: reports say so, not "no data".
        "not_in_force": {k: v.isoformat() for k, v in roll.not_in_force.items()},
        # Member levels of the verdicts decided on partial data, per title measure.
        "partial_members": {k: list(v) for k, v in (roll.partial_members or {}).items()},
        "measures": list(partial.sums),
        "units": {"file": _UNITS, "rows": len(h), "sha256": _sha256(out / _UNITS)},
        "counts": {"file": _COUNTS, "rows": len(h) + 1, "sha256": _sha256(out / _COUNTS)},
    }
    path = out / RESULTS_MANIFEST
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", "utf-8")
    return path


def _not_a_manifest(path: Path, what: str | Phrase) -> NoReturn:
    _fail(Message(N_("not a learnsoc results manifest: {what_text}"), what_text=what), path)


def _refuse_link_out(folder: Path, path: Path) -> None:
    """Refuse a file of the folder reached through a symbolic link that leads out of it.

    As a dataset's files (the folder itself may be a link; see ``learnsoc.io.dataset``).
    """
    found = link_out_of(folder, path)
    if found is None:
        return
    link, real = found
    msg = Message(
        N_(
            "this is a symbolic link to {target}, outside the results folder; learnsoc "
            "reads the files of a results folder only inside it: copy the files into it, "
            "or link the whole folder instead"
        ),
        target=real,
    )
    _fail(msg, link)


def _refuse_links_at(out: Path) -> None:
    """Refuse, before anything is written, a symbolic link where a results file goes.

    Planted there, it would have the results replace it silently (or, written through,
    another folder's file): the folder is not what it seems, so nothing is written.
    """
    from learnsoc.io.writers import refuse_output

    for name in (_UNITS, _COUNTS, RESULTS_MANIFEST):
        path = out / name
        if path.is_symlink():
            msg = Message(
                N_(
                    "it is a symbolic link to {target}; learnsoc writes results files only "
                    "as files of their own: remove the link, or write the results into "
                    "another folder"
                ),
                target=os.readlink(path),
            )
            raise refuse_output(str(path), msg)


def _refuse_not_regular(path: Path) -> None:
    """Refuse a folder, FIFO or device where a file of the folder should be (not "missing")."""
    problem = not_regular(path)
    if problem is not None:
        _fail(problem, path)


def _load(path: Path) -> dict[str, Any]:
    _refuse_link_out(path.parent, path)
    _refuse_not_regular(path)
    if not path.is_file():
        msg = Message(
            N_(
                "no results manifest here; 'learnsoc evaluate DATASET --out FOLDER' writes "
                "one (an interrupted run leaves none): run it again"
            )
        )
        _fail(msg, path)
    manifest = read_manifest(
        path, what=N_("results manifest"), error=ResultsError, problem=_not_a_manifest
    )
    if not isinstance(manifest, dict) or manifest.get("layout") != _LAYOUT:
        _not_a_manifest(path, N_("its layout is not 'learnsoc-results'"))
    version = manifest.get("version")
    if version != RESULTS_VERSION or isinstance(version, bool):
        msg = Message(
            N_("results layout version {version!r}; this learnsoc reads version {supported}"),
            version=version,
            supported=RESULTS_VERSION,
        )
        _fail(msg, path)
    try:
        _check_fields(manifest)
    except (AttributeError, KeyError, TypeError, ValueError):
        _not_a_manifest(path, N_("a field is missing or has the wrong type"))
    return manifest


def _check_fields(m: dict[str, Any]) -> None:
    """Raise an exception (KeyError, TypeError...) for a field missing or of the wrong type."""
    texts = (m["rulebook"]["id"], m["rulebook"]["version"], m["partition_by"], m["dataset"])
    if not all(isinstance(t, str) for t in texts):
        raise TypeError
    dt.date.fromisoformat(m["as_of"])
    if not isinstance(m["hierarchy"], (str, list)):
        raise TypeError
    if not is_count(m["persons"]) or not is_count(m["rejected_rows"]):
        raise TypeError
    if not all(isinstance(p, str) for p in m["inputs"]):
        raise TypeError
    for said in m["warnings"]:
        if not isinstance(said["en"], str) or not all(isinstance(t, str) for t in said.values()):
            raise TypeError
    if not all(isinstance(n, str) for n in m["measures"]) or not m["measures"]:
        raise TypeError
    absent = m["absent_columns"]
    for measure, cols in absent.items():
        # A string is a sequence of strings too: the columns must be a list.
        if not isinstance(cols, list) or not all(isinstance(c, str) for c in cols):
            raise TypeError
        if not isinstance(measure, str):
            raise TypeError
    _not_in_force(m)  # dates (fromisoformat raises on another value)
    _partial_members(m)  # lists of level names
    built = m.get("dataset_rejects")
    if built is not None and built["file"] is not None and not isinstance(built["file"], str):
        raise TypeError
    _built(m)  # the dataset's counts (CountedRejects.from_dict checks them)
    given = m.get("inputs_rejects")
    if given is not None and given["file"] is not None and not isinstance(given["file"], str):
        raise TypeError
    _built(m, "inputs_rejects")
    for key, name in (("units", _UNITS), ("counts", _COUNTS)):
        entry = m[key]
        if entry["file"] != name or not is_count(entry["rows"]):
            raise ValueError
        if not isinstance(entry["sha256"], str):
            raise TypeError


def _table(folder: Path, entry: Mapping[str, Any]) -> Any:
    """Read a file the manifest lists, after checking it is the one evaluate wrote."""
    import pyarrow.parquet as pq

    path = folder / str(entry["file"])
    _refuse_link_out(folder, path)
    _refuse_not_regular(path)
    if not path.is_file():
        msg = Message(
            N_(
                "file missing: the results manifest lists it; run 'learnsoc evaluate' "
                "again to write the results"
            )
        )
        _fail(msg, path)
    if _sha256(path) != entry["sha256"]:
        msg = Message(
            N_(
                "the file was changed after 'learnsoc evaluate' wrote it (its checksum is "
                "not the one in results.json); run 'learnsoc evaluate' again"
            )
        )
        _fail(msg, path)
    try:
        # A checksum proves nothing of a file whose results.json was edited with it:
        # checked as every Parquet file learnsoc reads, before it is decoded.
        check_parquet(path)
        table = pq.ParquetFile(path).read()
    except FileFormatError:
        raise
    except Exception as exc:  # pyarrow raises several types for damaged files
        msg = Message(
            N_("not a readable Parquet file ({reason}); run 'learnsoc evaluate' again"),
            reason=str(exc).splitlines()[0] if str(exc) else type(exc).__name__,
        )
        _fail(msg, path)
    if table.num_rows != entry["rows"]:
        msg = Message(
            N_("the file has {n:,} rows, results.json records {expected:,}"),
            n=table.num_rows,
            expected=entry["rows"],
        )
        _fail(msg, path)
    return table


def _text(table: Any, column: str) -> NDArray[np.str_]:
    return np.array(["" if v is None else str(v) for v in table.column(column).to_pylist()])


def read_results(path: PathLike) -> EvaluationResults:
    """Read a results folder written by ``learnsoc evaluate DATASET --out FOLDER``.

    Parameters
    ----------
    path : str or path
        The folder (with ``results.json``; see the module docs for its layout).

    Returns
    -------
    EvaluationResults

    Raises
    ------
    ResultsError
        For a folder without ``results.json``, a manifest that is not one (another
        layout or version, a field missing or of the wrong type, over
        :data:`~learnsoc.limits.MAX_MANIFEST_BYTES` or nested deeper than
        :data:`~learnsoc.limits.MAX_MANIFEST_NESTING`), a file it lists that is
        missing, changed since it was written, not Parquet, or reached through a
        symbolic link that leads out of the folder, and files that do not fit the
        manifest (another tree, other measures).
    OptionalDependencyError
        Without pyarrow (extra ``parquet``).

    Examples
    --------
    See the module docs.
    """
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise OptionalDependencyError("pyarrow", "parquet", N_("partitioned datasets")) from None
    folder = Path(path)
    manifest_path = folder / RESULTS_MANIFEST
    m = _load(manifest_path)
    units = _table(folder, m["units"])
    try:
        spec = hierarchy_spec(m["hierarchy"])
        cols = {c: _text(units, c) for c in ("code", "name", "level", "parent_code")}
        h = Hierarchy.from_units(cols, levels=spec)
    except (LearnsocError, KeyError, TypeError, ValueError) as exc:
        msg = Message(N_("not the units table of these results ({reason})"), reason=exc)
        _fail(msg, folder / _UNITS)
    counts = _table(folder, m["counts"])
    counts_path = folder / _COUNTS
    measures = list(m["measures"])
    if counts.column_names != [*_KEYS, *measures]:
        msg = Message(
            N_("its columns are not unit_code, level and the measures results.json lists")
        )
        _fail(msg, counts_path)
    expected = np.append(h.to_columns()["code"], "")
    codes = _text(counts, "unit_code")
    if m["counts"]["rows"] != len(h) + 1 or not np.array_equal(codes, expected):
        msg = Message(N_("its unit codes are not those of units.parquet, in its order"))
        _fail(msg, counts_path)
    if m["partition_by"] not in h.levels:
        _not_a_manifest(manifest_path, N_("its partition level is not a level of the tree"))
    sums: dict[str, NDArray[Any]] = {}
    for name in measures:
        whole = counts.column(name).combine_chunks()
        kind = str(whole.type)
        if kind not in ("int64", "double") or whole.null_count:
            msg = Message(
                N_("column {name!r} is not a count per unit (int64 or float64, no empty cell)"),
                name=name,
            )
            _fail(msg, counts_path)
        # From the buffer: Arrow's to_numpy imports pandas (0.8 s of a 2 s report).
        dtype = np.dtype(np.int64 if kind == "int64" else np.float64)
        data = np.frombuffer(whole.buffers()[1], dtype=dtype)
        sums[name] = data[whole.offset : whole.offset + len(whole)].copy()
        # Counts (or weighted counts): never negative, never NaN.
        bad = np.flatnonzero(~(sums[name] >= 0))
        if len(bad):
            msg = Message(
                N_(
                    "column {name!r}, row {row:,}: {value} is not a count (a count is a "
                    "number of 0 or more); run 'learnsoc evaluate' again"
                ),
                name=name,
                row=int(bad[0]) + 1,
                value=str(sums[name][bad[0]]),
            )
            _fail(msg, counts_path)
    if "persons" in sums and int(sums["persons"].sum()) != m["persons"]:
        msg = Message(
            N_(
                "results.json records {said:,} persons, standard_counts.parquet counts "
                "{counted:,}; the folder was changed after 'learnsoc evaluate' wrote it: "
                "run it again"
            ),
            said=m["persons"],
            counted=int(sums["persons"].sum()),
        )
        _fail(msg, manifest_path)
    return EvaluationResults(
        folder,
        m["rulebook"]["id"],
        m["rulebook"]["version"],
        dt.date.fromisoformat(m["as_of"]),
        h,
        m["partition_by"],
        m["persons"],
        m["dataset"],
        tuple(m["inputs"]),
        m["rejected_rows"],
        tuple(dict(w) for w in m["warnings"]),
        Partial(n_groups=len(h) + 1, sums=sums),
        {k: tuple(v) for k, v in m["absent_columns"].items()},
        _built(m),
        _not_in_force(m),
        _partial_members(m),
        _built(m, "inputs_rejects"),
    )


def _partial_members(m: Mapping[str, Any]) -> dict[str, tuple[str, ...]] | None:
    """Return the member levels per title measure (None: an earlier learnsoc's folder).

    Raises
    ------
    TypeError
        For an entry that is not a list of level names.
    """
    given = m.get("partial_members")
    if given is None:
        return None
    out: dict[str, tuple[str, ...]] = {}
    for name, levels in given.items():
        if not isinstance(levels, list) or not all(isinstance(lv, str) for lv in levels):
            raise TypeError
        out[str(name)] = tuple(levels)
    return out


def _not_in_force(m: Mapping[str, Any]) -> dict[str, dt.date]:
    """Return the measures of titles not in force that results.json records (older: none)."""
    return {str(k): dt.date.fromisoformat(v) for k, v in m.get("not_in_force", {}).items()}


def _built(m: Mapping[str, Any], key: str = "dataset_rejects") -> CountedRejects:
    """Return the rows read and rejected that results.json records under ``key`` (older: none).

    ``dataset_rejects`` are the dataset's (its files'), ``inputs_rejects`` the ``--inputs``
    files' of the evaluation.
    """
    entry = m.get(key)
    if entry is None:
        return CountedRejects()
    return CountedRejects.from_dict(entry["tables"], entry["file"])
