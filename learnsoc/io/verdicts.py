"""Verdicts as a table: per entity and title, the verdict, grade, points and failed criteria.

:func:`verdict_columns` turns an :class:`~learnsoc.rules.engine.Evaluation` into one
long table, one row per entity and title, ready for the next stage of a pipeline
(:func:`write_verdicts` writes it as Parquet, CSV, JSON or Excel by the file's extension):

============  ============================================================
column        meaning
============  ============================================================
``level``     the entity's level (``person``, ``household``, ``village`` ...)
``id``        its id (the unit code for administrative units), as text
``title``     the title id (``learning_family``)
``assessed``  eligible, so counted in the title's denominator
``passed``    granted
``known``     the verdict is certain (no missing data could change it)
``grade``     grade code for graded titles (0 when not granted), else -1
``points``    points of the passed criteria for points titles, else empty
``failed``    criteria known to fail, ``;``-separated
``unknown``   criteria whose result is unknown (missing data), ``;``-separated
============  ============================================================

Examples
--------
>>> import warnings, learnsoc as ls
>>> from learnsoc.rules.engine import evaluate
>>> from learnsoc.rules.registry import load_rulebook
>>> pop = ls.synthetic_population(persons=2_000, seed=3)
>>> with warnings.catch_warnings():
...     warnings.simplefilter("ignore")
...     ev = evaluate(pop, load_rulebook("example"), "2025-12-31")
>>> cols = verdict_columns(ev)
>>> list(cols)
['level', 'id', 'title', 'assessed', 'passed', 'known', 'grade', 'points', 'failed', 'unknown']
>>> n = sum(len(v) for v in ev.verdicts_by_title.values())
>>> len(cols["id"]) == n
True
>>> import tempfile, pathlib
>>> out = write_verdicts(ev, pathlib.Path(tempfile.mkdtemp()) / "verdicts.csv")
>>> out.read_text("utf-8").splitlines()[0]
'level,id,title,assessed,passed,known,grade,points,failed,unknown'
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from learnsoc._bars import renamed_option
from learnsoc.io.files import PathLike
from learnsoc.io.writers import CHUNK_ROWS, input_files, output_format, write_chunks

if TYPE_CHECKING:
    from pathlib import Path

    from learnsoc.rules.engine import Evaluation, Verdicts

__all__ = ["verdict_chunks", "verdict_columns", "write_verdicts"]

_NAMES = ("level", "id", "title", "assessed", "passed", "known", "grade", "points")


def _criteria_text(bits: NDArray[Any], ids: list[str]) -> tuple[NDArray[np.object_], NDArray[Any]]:
    """Spell each distinct bit pattern once (few patterns, many entities).

    Returns the spellings and, per entity, the index of its own: gathering them gives
    an object array of shared Python strings, 8 bytes a row, where a fixed-width numpy
    string array would take rows x the longest spelling x 4 bytes.
    """
    patterns, inverse = np.unique(bits, return_inverse=True)
    texts = np.empty(max(len(patterns), 1), dtype=object)
    texts[:] = [
        ";".join(cid for j, cid in enumerate(ids) if (int(p) >> j) & 1) for p in patterns.tolist()
    ] or [""]
    return texts, inverse.reshape(-1)


def _title_chunks(
    ev: Evaluation, title_id: str, v: Verdicts, rows: int
) -> Iterator[dict[str, NDArray[Any]]]:

    n = len(v)
    ids = [c.id for c in v.criteria]
    known_fail = v.known_bits & ~v.passed_bits
    all_bits = np.array((1 << len(ids)) - 1, dtype=v.known_bits.dtype)
    failed, failed_at = _criteria_text(known_fail, ids)
    unknown, unknown_at = _criteria_text(~v.known_bits & all_bits, ids)
    entity = np.asarray(ev.population.ids(v.level))
    for start in range(0, n, rows):
        part = slice(start, min(start + rows, n))
        k = part.stop - part.start
        yield {
            "level": np.full(k, v.level),
            "id": entity[part].astype(str),
            "title": np.full(k, title_id),
            "assessed": np.asarray(v.assessed[part], bool),
            "passed": np.asarray(v.passed[part], bool),
            "known": np.asarray(v.known[part], bool),
            "grade": (
                np.full(k, -1, np.int8) if v.grade is None else np.asarray(v.grade[part], np.int8)
            ),
            "points": (
                np.full(k, np.nan) if v.points is None else np.asarray(v.points[part], np.float64)
            ),
            "failed": failed[failed_at[part]],
            "unknown": unknown[unknown_at[part]],
        }


def _empty() -> dict[str, NDArray[Any]]:
    empty: dict[str, NDArray[Any]] = {k: np.zeros(0, "<U1") for k in _NAMES[:3]}
    return (
        empty
        | {k: np.zeros(0, bool) for k in _NAMES[3:6]}
        | {
            "grade": np.zeros(0, np.int8),
            "points": np.zeros(0),
            "failed": np.zeros(0, object),
            "unknown": np.zeros(0, object),
        }
    )


def verdict_chunks(ev: Evaluation, rows: int = CHUNK_ROWS) -> Iterator[dict[str, NDArray[Any]]]:
    """Yield the verdicts table (see the module docs) ``rows`` rows at a time.

    Each chunk holds one title's rows; there is at least one chunk (empty when nothing
    was evaluated), so the columns are always known. Memory is that of one chunk,
    whatever the population's size.

    Examples
    --------
    >>> import warnings, learnsoc as ls
    >>> from learnsoc.rules.engine import evaluate
    >>> from learnsoc.rules.registry import load_rulebook
    >>> pop = ls.synthetic_population(persons=2_000, seed=3)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ev = evaluate(pop, load_rulebook("example"), "2025-12-31")
    >>> sizes = [len(c["id"]) for c in verdict_chunks(ev, rows=1_000)]
    >>> max(sizes) <= 1_000, sum(sizes) == len(verdict_columns(ev)["id"])
    (True, True)
    """
    if rows < 1:
        msg = f"rows must be at least 1, not {rows}"
        raise ValueError(msg)
    any_rows = False
    for title_id, v in ev.verdicts_by_title.items():
        for chunk in _title_chunks(ev, title_id, v, rows):
            any_rows = True
            yield chunk
    if not any_rows:
        yield _empty()


def verdict_columns(ev: Evaluation) -> dict[str, NDArray[Any]]:
    """Return every title's verdicts as one long table (see the module docs).

    ``failed`` and ``unknown`` are object arrays of Python strings (one string shared
    by every row with the same criteria).
    """
    longest = max([1, *(len(v) for v in ev.verdicts_by_title.values())])
    parts = list(verdict_chunks(ev, rows=longest))
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


def write_verdicts(
    ev: Evaluation,
    path: PathLike,
    *,
    bom: bool = False,
    protect: Iterable[PathLike] | None = None,
    **options: Any,
) -> Path:
    """Write the verdicts table (Parquet, CSV, JSON or Excel by extension), atomically.

    The rows are written :data:`~learnsoc.io.writers.CHUNK_ROWS` at a time, so memory
    does not grow with the population. See the module docs for the columns and an
    example, and :mod:`learnsoc.io.writers` for the guarantees (atomic replacement,
    escaped formulas in CSV).

    Parameters
    ----------
    ev : Evaluation
        The evaluation.
    path : str or path
        The target: ``.csv``/``.txt``, ``.parquet``/``.pq``, ``.json`` or ``.xlsx``
        (sheet ``verdicts``; more than 1,048,575 rows go on to ``verdicts (2)`` ...).
    bom : bool
        CSV only: start with the byte-order mark.
    protect : iterable of str or path, optional
        Files the target must not replace; by default the files the population was
        read from.
    **options
        Passed to the format's writer (``escape_formulas`` ...).

    Raises
    ------
    OutputPathError
        For an extension learnsoc does not write, or a protected target (nothing is
        written).
    """
    renamed_option(options, "write_verdicts")
    if output_format(path) == "xlsx":
        options = {"sheet": "verdicts"} | options
    if protect is None:
        protect = input_files(ev.population.rejects)
    options.setdefault("total", sum(len(v) for v in ev.verdicts_by_title.values()))
    return write_chunks(verdict_chunks(ev), path, bom=bom, protect=protect, **options)
