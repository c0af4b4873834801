"""Verdicts as a table: per entity and title, the verdict, grade, points and failed criteria.

:func:`verdict_columns` turns an :class:`~learnsoc.rules.engine.Evaluation` into one
long table, one row per entity and title, ready for the next stage of a pipeline
(:func:`write_verdicts` writes it as Parquet, CSV or JSON by the file's extension):

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

from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from learnsoc.io.files import PathLike
from learnsoc.io.writers import write_table

if TYPE_CHECKING:
    from pathlib import Path

    from learnsoc.rules.engine import Evaluation, Verdicts

__all__ = ["verdict_columns", "write_verdicts"]


def _criteria_text(bits: NDArray[Any], ids: list[str]) -> NDArray[np.str_]:
    """Spell each distinct bit pattern once, then gather (few patterns, many entities)."""
    patterns, inverse = np.unique(bits, return_inverse=True)
    texts = [
        ";".join(cid for j, cid in enumerate(ids) if (int(p) >> j) & 1) for p in patterns.tolist()
    ]
    out: NDArray[np.str_] = np.array(texts or [""], dtype=str)[inverse]
    return out


def _title_rows(ev: Evaluation, title_id: str, v: Verdicts) -> dict[str, NDArray[Any]]:
    from learnsoc.rules.context import entity_ids

    n = len(v)
    ids = [c.id for c in v.criteria]
    known_fail = v.known_bits & ~v.passed_bits
    all_bits = np.array((1 << len(ids)) - 1, dtype=v.known_bits.dtype)
    unknown = ~v.known_bits & all_bits
    return {
        "level": np.full(n, v.level),
        "id": np.asarray(entity_ids(ev.population, v.level)).astype(str),
        "title": np.full(n, title_id),
        "assessed": np.asarray(v.assessed, bool),
        "passed": np.asarray(v.passed, bool),
        "known": np.asarray(v.known, bool),
        "grade": (np.full(n, -1, np.int8) if v.grade is None else np.asarray(v.grade, np.int8)),
        "points": (np.full(n, np.nan) if v.points is None else np.asarray(v.points, np.float64)),
        "failed": _criteria_text(known_fail, ids),
        "unknown": _criteria_text(unknown, ids),
    }


def verdict_columns(ev: Evaluation) -> dict[str, NDArray[Any]]:
    """Return every title's verdicts as one long table (see the module docs)."""
    parts = [_title_rows(ev, t, v) for t, v in ev.verdicts_by_title.items()]
    if not parts:
        names = ("level", "id", "title", "assessed", "passed", "known")
        empty: dict[str, NDArray[Any]] = {k: np.zeros(0, "<U1") for k in names}
        return empty | {
            "grade": np.zeros(0, np.int8),
            "points": np.zeros(0),
            "failed": np.zeros(0, "<U1"),
            "unknown": np.zeros(0, "<U1"),
        }
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


def write_verdicts(ev: Evaluation, path: PathLike, *, bom: bool = False) -> Path:
    """Write the verdicts table (Parquet, CSV or JSON by extension), atomically.

    See the module docs for the columns and an example.
    """
    return write_table(verdict_columns(ev), path, bom=bom)
