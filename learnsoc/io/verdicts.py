"""Verdicts as a table: per entity and title, the verdict, grade, points and failed criteria.

:func:`verdict_columns` turns an :class:`~learnsoc.rules.evaluation.Evaluation` into one
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

from collections.abc import Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from numpy.typing import NDArray

from learnsoc._bars import renamed_option
from learnsoc.io.files import PathLike
from learnsoc.io.writers import CHUNK_ROWS, input_files, output_format, write_chunks

if TYPE_CHECKING:
    from pathlib import Path

    from learnsoc.rules.evaluation import Evaluation

__all__ = ["PARQUET_OPTIONS", "verdict_chunks", "verdict_columns", "write_verdicts"]

#: How a verdicts table is written as Parquet: ``points`` of a title without points
#: (NaN in memory, an empty cell in CSV, null in JSON) is a null, not a NaN, as
#: pandas, polars and DuckDB expect ("IS NULL"); read back with pyarrow it is NaN again.
PARQUET_OPTIONS: Mapping[str, Any] = MappingProxyType({"nan_as_null": ("points",)})


def verdict_chunks(
    ev: Evaluation, rows: int = CHUNK_ROWS, *, text_ids: bool = True
) -> Iterator[dict[str, NDArray[Any]]]:
    """Yield the verdicts table (see the module docs) ``rows`` rows at a time.

    Each chunk holds one title's rows; there is at least one chunk (empty when nothing
    was evaluated), so the columns are always known. Memory is that of one chunk,
    whatever the population's size. ``text_ids=False`` leaves integer ids as integers
    (the ``id`` column is text otherwise), for a Parquet writer given
    ``text_columns=("id",)``, which spells them several times faster.

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
    # Imported here: reading files (learnsoc.io) does not load the rules.
    from learnsoc.rules.evaluation import verdict_chunks as chunks

    return chunks(ev, rows, text_ids=text_ids)


def verdict_columns(ev: Evaluation) -> dict[str, NDArray[Any]]:
    """Return every title's verdicts as one long table (see the module docs).

    ``failed`` and ``unknown`` are object arrays of Python strings (one string shared
    by every row with the same criteria). The same as ``ev.to_columns()``.

    Examples
    --------
    >>> import learnsoc as ls, warnings
    >>> pop = ls.synthetic_population(persons=2_000, seed=5)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ev = ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31")
    >>> columns = verdict_columns(ev)
    >>> list(columns) == list(ev.to_columns()), len(columns["id"])
    (True, 2608)
    """
    from learnsoc.rules.evaluation import verdict_columns as columns

    return columns(ev)


def write_verdicts(
    ev: Evaluation,
    path: PathLike,
    *,
    bom: bool = False,
    protect: Iterable[PathLike] | None = None,
    locale: str | None = None,
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
    locale : str, optional
        Language of a workbook's headings and sheet (``.xlsx`` only: the column ids,
        kept in every other format, are then the headings' comments).
    **options
        Passed to the format's writer (``escape_formulas`` ...).

    Raises
    ------
    OutputPathError
        For an extension learnsoc does not write, or a protected target (nothing is
        written).

    Examples
    --------
    >>> import pathlib, tempfile, warnings
    >>> pop = ls.synthetic_population(persons=500, seed=2)
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     ev = ls.evaluate(pop, ls.load_rulebook("example"), "2025-12-31")
    >>> path = write_verdicts(ev, pathlib.Path(tempfile.mkdtemp()) / "verdicts.csv")
    >>> lines = path.read_text(encoding="utf-8").splitlines()
    >>> lines[0]
    'level,id,title,assessed,passed,known,grade,points,failed,unknown'
    >>> len(lines) - 1 == sum(len(v) for v in ev.verdicts_by_title.values())
    True
    """
    renamed_option(options, "write_verdicts")
    if output_format(path) == "xlsx":
        from learnsoc._headings import VERDICTS, headings, sheet_name

        options = {
            "sheet": sheet_name("verdicts", locale),
            "headings": headings(VERDICTS, VERDICTS, locale),
        } | options
    elif output_format(path) == "parquet":
        options = {**PARQUET_OPTIONS, **options}
    if protect is None:
        protect = input_files(ev.population.rejects)
    options.setdefault("total", sum(len(v) for v in ev.verdicts_by_title.values()))
    return write_chunks(verdict_chunks(ev), path, bom=bom, protect=protect, **options)
