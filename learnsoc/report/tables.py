"""Machine-readable progress and results tables: numpy columns, CSV, JSON, Excel, pandas.

The tidy long table has one row per target (or indicator) and unit. Numbers are not rounded: values,
targets and gaps are floats in the indicator's units, counts are integers, undefined
values are empty in CSV, ``null`` in JSON and NaN in pandas. Status and indicator ids
are stable words for scripts; ``status_label`` and ``indicator_label`` are in the
locale asked for, and ``denominator_label`` says what each rate is a rate *of* (all
families, residents aged 15 and over...).

The counts of a rate: ``eligible`` members of the group the rate is of (the
``denominator_measure``), of whom ``missing`` have no value; ``denominator`` is
``eligible - missing``, the members with data, and ``value`` is
``numerator / denominator`` times the indicator's factor (100 for a percentage). When
``missing`` is not 0 the row's ``denominator_label`` says "with data" ("tổng số người
trong độ tuổi 15-60 có số liệu"), as the text reports do.

Where the numerator is a title's verdicts, ``decided`` counts the row's entities whose
verdict is known (granted or not) and ``partial_data`` those of them decided on the
members with data, some members' data missing (the titles table's "94 of the 200 villages
were decided on the families with data"); both are empty elsewhere.

In a progress table, ``not_assessed`` counts the eligible members never assessed for
the title the numerator counts (households that did not register, organisations
without the data deciding their tier): they count as without the title, so the value
differs from the titles table's share, which is of those assessed. It is empty (-1 in
:func:`progress_columns`, null in JSON and pandas) where the numerator is not a title's
verdicts (a rollup of counts, a person flag).

Examples
--------
>>> from learnsoc.targets import load_targets, progress
>>> h = ls.Hierarchy.from_units({"code": ["02"], "name": ["Hà Giang"], "level": ["province"],
...     "parent_code": [None]}, levels=["province"])
>>> roll = ls.rollup_counts({"unit_code": ["02"], "units": [834], "learning_units": [818]}, h)
>>> prog = progress(roll, load_targets("hanoi-23-nq-tu").select(indicators=["learning_units"]),
...                 year=2025)
>>> print(to_csv(prog, locale="vi").splitlines()[1])
02,Hà Giang,province,,learning_units,2025,818,834,98.08153477218225,50.0,48.08153477218225,met,...
"""

from __future__ import annotations

import csv
import importlib
import io
import json
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from learnsoc.i18n import N_, basis_of_group, basis_with_data, gettext, normalize_locale
from learnsoc.model._totals import total_label

if TYPE_CHECKING:
    from collections.abc import Mapping

    from learnsoc._frames import Library
    from learnsoc.model.hierarchy import Hierarchy, HierarchySpec
    from learnsoc.report.results import Results
    from learnsoc.targets.indicators import Indicator
    from learnsoc.targets.progress import Progress

__all__ = [
    "COLUMNS",
    "RESULT_COLUMNS",
    "completeness_columns",
    "progress_columns",
    "results_columns",
    "results_json",
    "to_csv",
    "to_frame_of",
    "to_json",
    "to_pandas",
    "to_xlsx",
]

#: The columns of the tidy table, in order.
COLUMNS: tuple[str, ...] = (
    "unit_code",
    "unit_name",
    "level",
    "parent_code",
    "indicator",
    "year",
    "numerator",
    "denominator",
    "value",
    "target",
    "gap",
    "status",
    "target_id",
    "kind",
    "target_upper",
    "missing",
    "eligible",
    "not_assessed",
    "decided",
    "partial_data",
    "units_reporting",
    "units_expected",
    "completeness",
    "observed_year",
    "trend",
    "required",
    "uncertain",
    "indicator_label",
    "status_label",
    "denominator_measure",
    "denominator_label",
    "note",
    "clause",
)

#: The columns of the tidy results table, in order.
RESULT_COLUMNS: tuple[str, ...] = (
    "unit_code",
    "unit_name",
    "level",
    "parent_code",
    "indicator",
    "group",
    "year",
    "numerator",
    "denominator",
    "missing",
    "eligible",
    "decided",
    "partial_data",
    "value",
    "units_reporting",
    "units_expected",
    "completeness",
    "denominator_measure",
    "uncertain",
    "indicator_label",
    "group_label",
    "denominator_label",
    # Last, so that every column before keeps its place in the files of earlier versions.
    "status",
    "status_label",
)


def completeness_columns(cols: Mapping[str, NDArray[Any]]) -> dict[str, NDArray[Any]]:
    """Return the units reporting and expected under each row, and their ratio.

    ``completeness`` is ``units_reporting / units_expected`` (1.0 when every unit
    reported; NaN when nothing is expected under the row or the rollup does not know).
    Unknown counts are -1 (empty in CSV, ``null`` in JSON).

    Examples
    --------
    >>> done = completeness_columns({"units_reporting": np.array([1, 0, -1]),
    ...                              "units_expected": np.array([2, 0, -1])})
    >>> done["completeness"].tolist()
    [0.5, nan, nan]
    """
    reporting, expected = cols["units_reporting"], cols["units_expected"]
    share = np.full(len(reporting), np.nan)
    np.divide(reporting, expected, out=share, where=expected > 0)
    return {"units_reporting": reporting, "units_expected": expected, "completeness": share}


def _labels_with_data(labels: NDArray[Any], missing: NDArray[Any], locale: str) -> NDArray[Any]:
    """Return each row's basis, narrowed to "with data" where some members lack a value."""
    if not len(labels) or not bool((missing > 0).any()):
        return labels
    narrowed = {text: basis_with_data(text, 1, locale) for text in np.unique(labels).tolist()}
    with_data = np.array([narrowed[text] for text in labels.tolist()], dtype=str)
    out: NDArray[Any] = np.where(missing > 0, with_data, labels)
    return out


def progress_columns(prog: Progress, locale: str | None = None) -> dict[str, NDArray[Any]]:
    """Return the tidy long table of a progress table, as numpy columns (see the module docs).

    Examples
    --------
    >>> from learnsoc.targets import load_targets, progress
    >>> h = ls.Hierarchy.from_units({"code": ["02"], "level": ["province"],
    ...     "parent_code": [None]}, levels=["province"])
    >>> roll = ls.rollup_counts({"unit_code": ["02"], "clans": [2263],
    ...     "learning_clans": [1564]}, h)
    >>> prog = progress(roll, load_targets("hanoi-23-nq-tu").select(
    ...     indicators=["learning_clans"]), year=2025)
    >>> cols = progress_columns(prog, "vi")
    >>> cols["status"].tolist(), cols["status_label"].tolist(), cols["numerator"].dtype
    (['met'], ['đạt'], dtype('int64'))
    """
    from learnsoc.targets.progress import Status

    loc = normalize_locale(locale)
    cols = prog.columns
    targets = prog.targets.targets
    index = cols["target_index"]
    n = len(index)

    def per_target(values: list[Any], dtype: Any = None) -> NDArray[Any]:
        table = np.array(values, dtype=dtype) if values else np.zeros(0, dtype=dtype)
        return table[index] if n else np.zeros(0, dtype=table.dtype)

    indicators = [prog.targets.indicator_of(t) for t in targets]
    status_ids = np.array([s.id for s in Status])
    status_labels = np.array([s.display(loc) for s in Status])
    names = np.where(cols["level"] == "total", total_label(prog.hierarchy, loc), cols["unit_name"])
    observed = prog.observed_year if prog.observed_year is not None else -1
    out: dict[str, NDArray[Any]] = {
        "unit_code": cols["unit_code"],
        "unit_name": names,
        "level": cols["level"],
        "parent_code": cols["parent_code"],
        "indicator": per_target([t.indicator or "" for t in targets], str),
        "year": np.full(n, prog.year, np.int32),
        "numerator": cols["numerator"],
        "denominator": cols["denominator"],
        "value": cols["value"],
        "target": cols["target"],
        "gap": cols["gap"],
        "status": status_ids[cols["status"]],
        "target_id": per_target([t.id for t in targets], str),
        "kind": per_target([t.kind for t in targets], str),
        "target_upper": cols["target_upper"],
        "missing": cols["missing"],
        "eligible": cols["denominator"] + cols["missing"],
        "not_assessed": cols["not_assessed"],
        **_partial_columns(cols, n),
        **completeness_columns(cols),
        "observed_year": np.full(n, observed, np.int32),
        "trend": cols["trend"],
        "required": cols["required"],
        "uncertain": per_target([t.uncertain for t in targets], np.bool_),
        "indicator_label": per_target(
            [t.display(ind, loc) for t, ind in zip(targets, indicators, strict=True)], str
        ),
        "status_label": status_labels[cols["status"]],
        "denominator_measure": per_target(
            [ind.denominator if ind is not None else "" for ind in indicators], str
        ),
        "denominator_label": _labels_with_data(
            per_target(
                [ind.basis_display(loc) if ind is not None else "" for ind in indicators], str
            ),
            cols["missing"],
            loc,
        ),
        "note": per_target([t.note_in(loc) for t in targets], str),
        # The clause of the source the target is set in, so a published sheet cites it.
        "clause": per_target([t.clause_in(loc) for t in targets], str),
    }
    never = _progress_unmeasured(prog) | _below_counted_level(
        cols["level"],
        [ind.denominator if ind is not None else "" for ind in indicators],
        cols["target_index"],
        prog.hierarchy,
    )
    _unmeasured_counts(out, never)
    return {name: out[name] for name in COLUMNS}


def _below_counted_level(
    levels: NDArray[Any], denominators: list[str], index: NDArray[Any], tree: Hierarchy
) -> NDArray[np.bool_]:
    """Return the rows below the level whose units their indicator counts.

    A share of districts (``districts``) has no district under a commune or a village:
    those rows' "0 / 0" is not a count of anything, so it is blank, as the text shows "—".
    """
    depth = {name: k for k, name in enumerate(tree.levels)}
    counted = np.array(
        [
            depth.get(d[:-1], len(tree.levels)) if d.endswith("s") else len(tree.levels)
            for d in denominators
        ]
        or [len(tree.levels)],
        np.int64,
    )
    if not len(levels):
        return np.zeros(0, np.bool_)
    row_depth = np.array([depth.get(lv, -1) for lv in levels.tolist()], np.int64)
    below: NDArray[np.bool_] = row_depth > counted[index]
    return below


def _progress_unmeasured(prog: Progress) -> NDArray[np.bool_]:
    """Return the rows of a progress table whose counts were never taken.

    A status that is not a measurement (not assessed, not applicable, not in force, the
    tree undated) and *no data* for an indicator the data do not measure at all have
    zeros in the columns; "0 / 0" there is not "no member": a unit with no family is a
    measured 0 / 0 and keeps it.
    """
    from learnsoc.targets.progress import NOTE_NO_COLUMNS, NOTE_NOT_MEASURED, Status

    cols = prog.columns
    status = cols["status"]
    never = np.isin(
        status,
        [Status.NOT_ASSESSED, Status.ABOLISHED, Status.TREE_UNDATED, Status.NOT_IN_FORCE],
    )
    absent = {
        note.indicator
        for note in prog.notes
        if note.message in (NOTE_NOT_MEASURED, NOTE_NO_COLUMNS) and note.indicator
    }
    if absent:
        ids = np.array([t.indicator or "" for t in prog.targets.targets], dtype=str)
        row_ids = ids[cols["target_index"]] if len(status) else np.zeros(0, dtype=str)
        never |= (status == Status.NO_DATA) & np.isin(row_ids, sorted(absent))
    return never


def _unmeasured_counts(out: dict[str, NDArray[Any]], never: NDArray[np.bool_]) -> None:
    """Blank the counts of rows never measured: -1, an empty cell, ``null``, a pandas NA."""
    if not bool(never.any()):
        return
    for name in _COUNTS:
        out[name] = np.where(never, -1, out[name])


def results_columns(res: Results, locale: str | None = None) -> dict[str, NDArray[Any]]:
    """Return the tidy long table of a results table, as numpy columns.

    Examples
    --------
    >>> from learnsoc.report.results import results
    >>> h = ls.Hierarchy.from_units({"code": ["02"], "level": ["province"],
    ...     "parent_code": [None]}, levels=["province"])
    >>> roll = ls.rollup_counts({"unit_code": ["02"], "families": [187624],
    ...     "learning_families": [138068]}, h)
    >>> cols = results_columns(results(roll, ["learning_families"], year=2024), "vi")
    >>> cols["denominator_measure"].tolist(), cols["denominator_label"].tolist()
    (['families'], ['tổng số gia đình'])
    """
    loc = normalize_locale(locale)
    cols = res.columns
    index = cols["indicator_index"]
    n = len(index)

    def per_indicator(values: list[Any], dtype: Any) -> NDArray[Any]:
        table = np.array(values, dtype=dtype) if values else np.zeros(0, dtype=dtype)
        return table[index] if n else np.zeros(0, dtype=dtype)

    def per_group(values: list[str]) -> NDArray[Any]:
        # The last entry, "", is the total rows' (group_index -1).
        labels: NDArray[Any] = np.array([*values, ""], dtype=str)[cols["group_index"]]
        return labels

    inds = res.indicators
    names = np.where(cols["level"] == "total", total_label(res.hierarchy, loc), cols["unit_name"])
    out: dict[str, NDArray[Any]] = {
        "unit_code": cols["unit_code"],
        "unit_name": names,
        "level": cols["level"],
        "parent_code": cols["parent_code"],
        "indicator": per_indicator([i.id for i in inds], str),
        "group": per_group([g.key for g in res.groups]),
        "year": np.full(n, -1 if res.year is None else res.year, np.int32),
        "numerator": cols["numerator"],
        "denominator": cols["denominator"],
        "missing": cols["missing"],
        "eligible": cols["denominator"] + cols["missing"],
        **_partial_columns(cols, n),
        "value": cols["value"],
        **completeness_columns(cols),
        "denominator_measure": per_indicator([i.denominator for i in inds], str),
        "uncertain": per_indicator([i.uncertain for i in inds], np.bool_),
        "indicator_label": per_indicator([i.display(loc) for i in inds], str),
        "group_label": per_group([g.label(loc) for g in res.groups]),
        "denominator_label": _labels_with_data(_result_bases(res, loc), cols["missing"], loc),
    }
    # An indicator the data do not measure (a column missing, a title not in force, the
    # district level gone) has no counts: blank, never "0 / 0".
    gone = [k for k, ind in enumerate(inds) if ind.id in res.not_measured]
    never = np.isin(index, gone) if gone else np.zeros(n, np.bool_)
    below = _below_counted_level(
        cols["level"], [ind.denominator for ind in inds], index, res.hierarchy
    )
    never |= below
    _unmeasured_counts(out, never)
    from learnsoc.report.results import RESULT_STATUSES

    status = _result_status(res, cols, below)
    out["status"] = status
    labels = {k: gettext(v, loc) for k, v in RESULT_STATUSES.items()}
    out["status_label"] = np.array([labels[k] for k in status.tolist()], dtype=str)
    return {name: out[name] for name in RESULT_COLUMNS}


def _result_status(
    res: Results, cols: Mapping[str, NDArray[Any]], below: NDArray[np.bool_]
) -> NDArray[np.str_]:
    """Return each results row's status id (:data:`~learnsoc.report.results.RESULT_STATUSES`).

    Without counts: why (the indicator's reason, or ``not_applicable`` below the level
    whose units it counts). With them: ``not_reported`` when no unit under the row
    reported, else ``empty`` or ``missing`` when the value is undefined, else
    ``incomplete`` when some units under the row did not report or the own part of one
    was not read, else ``ok``.
    """
    den, miss = cols["denominator"], cols["missing"]
    reporting, expected = cols["units_reporting"], cols["units_expected"]
    status = np.where(den > 0, "ok", np.where(miss > 0, "missing", "empty"))
    short = (expected > 0) & (reporting >= 0) & (reporting < expected)
    # A total without the own part of a unit whose row was rejected is incomplete too.
    lacking = cols["own_not_read"] if "own_not_read" in cols else np.zeros(len(den), bool)
    status = np.where((short | lacking) & (den > 0), "incomplete", status)
    status = np.where(short & (reporting == 0), "not_reported", status)
    status = np.where(below, "not_applicable", status)
    for k, ind in enumerate(res.indicators):
        why = res.unmeasured_status(ind.id)
        if why is not None:
            status = np.where(cols["indicator_index"] == k, why, status)
    out: NDArray[np.str_] = status.astype(str)
    return out


def _partial_columns(cols: Mapping[str, NDArray[Any]], n: int) -> dict[str, NDArray[Any]]:
    """Return each row's decided verdicts and those on partial data (-1: not counted)."""
    unknown = np.full(n, -1, np.int64)
    return {name: cols.get(name, unknown) for name in ("decided", "partial_data")}


def _result_bases(res: Results, locale: str) -> NDArray[Any]:
    """Return each row's basis: the indicator's, narrowed to the group on breakdown rows."""
    cols = res.columns
    bases = [i.basis_display(locale) for i in res.indicators]
    labels = [g.label(locale) for g in res.groups]
    # One text per (indicator, group) pair, the last column for the totals (group -1).
    table = np.array(
        [[*(basis_of_group(b, g, locale) for g in labels), b] for b in bases] or [[""]],
        dtype=str,
    )
    if not len(cols["indicator_index"]):
        return np.zeros(0, dtype=str)
    out: NDArray[Any] = table[cols["indicator_index"], cols["group_index"]]
    return out


def _columns(table: Progress | Results, locale: str | None) -> dict[str, NDArray[Any]]:
    from learnsoc.report.results import Results

    if isinstance(table, Results):
        return results_columns(table, locale)
    return progress_columns(table, locale)


#: The counts of a row, blank (-1) where they were never taken.
_COUNTS = ("numerator", "denominator", "missing", "eligible")

_UNKNOWN_AS_MINUS_ONE = (
    *_COUNTS,
    "observed_year",
    "year",
    "units_reporting",
    "units_expected",
    "not_assessed",
    "decided",
    "partial_data",
)


def _plain_columns(columns: dict[str, NDArray[Any]]) -> dict[str, list[Any]]:
    """Return the tidy columns as Python lists, with None for NaN and the unknown year."""
    out: dict[str, list[Any]] = {}
    for name, arr in columns.items():
        values = arr.tolist()
        if arr.dtype.kind == "f":
            values = [v if math.isfinite(v) else None for v in values]
        elif name in _UNKNOWN_AS_MINUS_ONE and arr.dtype.kind == "i":
            values = [None if v == -1 else v for v in values]
        out[name] = values
    return out


def _records(
    table: Progress | Results, locale: str | None
) -> tuple[list[str], list[tuple[Any, ...]]]:
    cols = _plain_columns(_columns(table, locale))
    return list(cols), list(zip(*cols.values(), strict=True))


def _tree_meta(spec: HierarchySpec) -> dict[str, Any]:
    """Name the tree whose units the rows are, with its dates (ISO, or None when open)."""
    return {
        "name": spec.name,
        "levels": list(spec.names),
        "valid_from": spec.valid_from.isoformat() if spec.valid_from is not None else None,
        "valid_until": spec.valid_until.isoformat() if spec.valid_until is not None else None,
    }


def _indicator_meta(ind: Indicator, locale: str) -> dict[str, Any]:
    """Describe an indicator for JSON: its measures and what its rate is of."""
    return {
        "id": ind.id,
        "label": ind.display(locale),
        "numerator": ind.numerator,
        "denominator": ind.denominator,
        "missing": ind.missing,
        "denominator_label": ind.basis_display(locale),
        "factor": ind.factor,
        "uncertain": ind.uncertain,
        "note": ind.note_display(locale) or None,
    }


def _csv_column(values: list[Any], kind: str) -> list[str]:
    if kind == "f":
        return ["" if v is None else repr(v) for v in values]
    if kind == "b":
        return ["true" if v else "false" for v in values]
    if kind in "iu":
        return ["" if v is None else str(v) for v in values]
    # Text (unit names from the agency's files, labels, notes): a spreadsheet would run
    # "=..." as a formula, so it is escaped as every other CSV learnsoc writes.
    escape = _writers().escape_formula
    return ["" if v is None else escape(str(v)) for v in values]


def _writers() -> Any:
    """Return :mod:`learnsoc.io.writers` (atomic files, formula escaping).

    By name: importing learnsoc.io here makes a cycle through the package that mypy
    resolves wrongly (it then takes ``ls.progress`` for a module).
    """
    return importlib.import_module("learnsoc.io.writers")


def _write_text(path: str | os.PathLike[str], text: str, encoding: str) -> None:
    """Write a whole file atomically (see :func:`learnsoc.io.writers.atomic_path`)."""
    with _writers().atomic_path(path) as tmp:
        tmp.write_text(text, encoding=encoding, newline="")


def to_csv(
    table: Progress | Results,
    path: str | os.PathLike[str] | None = None,
    *,
    locale: str | None = None,
) -> str | None:
    """Write the tidy table as CSV (UTF-8 with a BOM), or return the text if no path.

    The BOM makes Excel read the file as UTF-8, so Vietnamese names show correctly. A
    text cell that a spreadsheet would run as a formula (``=...``, ``+...``, ``@...``)
    gets a leading ``'`` (:func:`learnsoc.io.writers.escape_formula`); numbers are
    written as they are. The file is written atomically: it is the old file or the
    whole new one, never a part (:func:`learnsoc.io.writers.atomic_path`).

    Examples
    --------
    >>> from learnsoc.report.results import results
    >>> h = ls.Hierarchy.from_units({"code": ["02"], "name": ["=1+1"], "level": ["province"],
    ...     "parent_code": [None]}, levels=["province"])
    >>> roll = ls.rollup_counts({"unit_code": ["02"], "persons": [100],
    ...     "learning_citizens": [16]}, h)
    >>> to_csv(results(roll, ["learning_citizens"])).splitlines()[1][:8]
    "02,'=1+1"
    """
    arrays = _columns(table, locale)
    kinds = {name: arr.dtype.kind for name, arr in arrays.items()}
    cols = _plain_columns(arrays)
    text_columns = [_csv_column(values, kinds[name]) for name, values in cols.items()]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(list(cols))
    writer.writerows(zip(*text_columns, strict=True))
    text = buf.getvalue()
    if path is None:
        return text
    _write_text(path, text, "utf-8-sig")
    return None


def to_json(
    prog: Progress, path: str | os.PathLike[str] | None = None, *, locale: str | None = None
) -> str | None:
    """Write the target set's metadata and the tidy rows as JSON, or return the text.

    Examples
    --------
    >>> from learnsoc.targets import load_targets, progress
    >>> h = ls.Hierarchy.from_units({"code": ["02"], "level": ["province"],
    ...     "parent_code": [None]}, levels=["province"])
    >>> roll = ls.rollup_counts({"unit_code": ["02"], "clans": [0], "learning_clans": [0]}, h)
    >>> prog = progress(roll, load_targets("hanoi-23-nq-tu").select(
    ...     indicators=["learning_clans"]), year=2025)
    >>> doc = json.loads(to_json(prog))
    >>> doc["rows"][0]["status"], doc["rows"][0]["value"], doc["target_set"]["date"]
    ('no_data', None, '2023-11-16')
    """
    from learnsoc.report._build import progress_notes

    loc = normalize_locale(locale)
    names, rows = _records(prog, loc)
    ts = prog.targets
    doc = {
        "target_set": {
            "id": ts.id,
            "title": dict(ts.title),
            "issuer": dict(ts.issuer),
            "date": ts.date.isoformat() if ts.date else None,
            "url": ts.url or None,
        },
        "year": prog.year,
        "observed_years": list(prog.observed_years),
        "as_of": prog.as_of.isoformat() if prog.as_of is not None else None,
        "reporting_level": prog.reporting_level,
        "tree": _tree_meta(prog.hierarchy.spec),
        "completeness": prog.completeness,
        "locale": loc,
        "targets": [
            {
                "id": t.id,
                "indicator": t.indicator,
                "kind": t.kind,
                "clause": t.clause_in(loc),
                "uncertain": t.uncertain,
                "note": t.note_in(loc) or None,
            }
            for t in ts.targets
        ],
        "indicators": [
            _indicator_meta(ind, loc)
            for ind in dict.fromkeys(
                i for i in (ts.indicator_of(t) for t in ts.targets) if i is not None
            )
        ],
        "notes": progress_notes(prog, loc),
        "rows": [dict(zip(names, row, strict=True)) for row in rows],
    }
    doc.update(_rows_read_json(prog.rejects))
    text = json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False)
    if path is None:
        return text
    _write_text(path, text + "\n", "utf-8")
    return None


def results_json(
    res: Results, path: str | os.PathLike[str] | None = None, *, locale: str | None = None
) -> str | None:
    """Write a results table's indicators (with their denominators) and rows as JSON.

    Examples
    --------
    >>> from learnsoc.report.results import results
    >>> h = ls.Hierarchy.from_units({"code": ["02"], "level": ["province"],
    ...     "parent_code": [None]}, levels=["province"])
    >>> roll = ls.rollup_counts({"unit_code": ["02"], "persons": [100],
    ...     "learning_citizens": [16]}, h)
    >>> doc = json.loads(results_json(results(roll, ["learning_citizens"])))
    >>> doc["indicators"][0]["denominator_label"], doc["indicators"][0]["uncertain"]
    ('all residents', True)
    """
    loc = normalize_locale(locale)
    names, rows = _records(res, loc)
    doc = {
        "year": res.year,
        "as_of": res.as_of.isoformat() if res.as_of is not None else None,
        "reporting_level": res.reporting_level,
        "tree": _tree_meta(res.hierarchy.spec),
        "locale": loc,
        "indicators": [_indicator_meta(ind, loc) for ind in res.indicators],
        "notes": res.notes(loc),
        "rows": [dict(zip(names, row, strict=True)) for row in rows],
    }
    doc.update(_rows_read_json(res.rejects))
    text = json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False)
    if path is None:
        return text
    _write_text(path, text + "\n", "utf-8")
    return None


def to_pandas(table: Progress | Results, locale: str | None = None) -> Any:
    """Return the tidy long table as a pandas DataFrame (needs pandas).

    Raises
    ------
    OptionalDependencyError
        If pandas is not installed.

    Examples
    --------
    >>> import pytest; _ = pytest.importorskip("pandas")
    >>> from learnsoc.report.results import results
    >>> tree = ls.Hierarchy.from_units({"code": ["02"], "level": ["province"],
    ...     "parent_code": [None]}, levels=["province"])
    >>> roll = ls.rollup_counts({"unit_code": ["02"], "clans": [2263],
    ...     "learning_clans": [1564]}, tree)
    >>> frame = to_pandas(results(roll, ["learning_clans"]))
    >>> frame[["unit_code", "numerator", "denominator", "value"]].round(2).values.tolist()
    [['02', 1564, 2263, 69.11]]
    """
    try:
        import pandas  # noqa: F401  (checked here to name the method in the error)
    except ImportError:
        from learnsoc.errors import OptionalDependencyError

        if type(table).__name__ == "Results":
            raise OptionalDependencyError("pandas", "pandas", N_("Results.to_pandas()")) from None
        raise OptionalDependencyError("pandas", "pandas", N_("Progress.to_pandas()")) from None
    return to_frame_of(table, "pandas", locale)


def to_frame_of(table: Progress | Results, library: Library, locale: str | None = None) -> Any:
    """Return the tidy long table as a pandas, polars or Arrow table.

    The columns store an unknown year or count as -1 (see :func:`progress_columns`); a
    frame holds a null there, as CSV and Excel hold a blank cell, and the column has a
    nullable dtype (``Int32`` in pandas) whatever the data.

    Examples
    --------
    >>> import learnsoc as ls
    >>> from learnsoc.report.results import results
    >>> tree = ls.Hierarchy.from_units({"code": ["02"], "level": ["province"],
    ...     "parent_code": [None]}, levels=["province"])
    >>> roll = ls.rollup_counts({"unit_code": ["02"], "families": [20],
    ...     "learning_families": [15]}, tree)
    >>> to_frame_of(results(roll, ["learning_families"]), "arrow").column("year").null_count
    1
    """
    from learnsoc._frames import to_frame

    columns = _columns(table, locale)
    missing = {
        name: columns[name] == -1
        for name in _UNKNOWN_AS_MINUS_ONE
        if name in columns and columns[name].dtype.kind == "i"
    }
    method = {"pandas": "to_pandas", "polars": "to_polars", "arrow": "to_arrow"}[library]
    return to_frame(columns, library, f"{type(table).__name__}.{method}()", missing)


#: Columns in an indicator's units: a percentage's are written as fractions with a
#: percent format (``0.9808`` shown as ``98.08%``), so Excel computes with them.
_RATE_COLUMNS = ("value", "target", "target_upper")
#: Columns holding a difference of two values: a percentage's is in percentage points,
#: not a percentage of anything, so it is written as the points with the unit after them
#: (``5`` shown as ``+5.00 pp``, vi ``+5,00 điểm %``); a per-thousand rate's in ‰ points.
_DIFFERENCE_COLUMNS = ("gap", "trend", "required")
#: The unit written after a difference, by the indicator's factor.
_DIFFERENCE_UNITS = {100: N_("pp"), 1000: N_("‰ points")}
#: The Vietnamese headings of the difference columns of a workbook whose indicators are
#: all percentages, or all per-thousand rates: they say the unit, as the text report's do.
_DIFFERENCE_HEADINGS = {
    100: {
        "gap": N_("gap to the target (pp)"),
        "trend": N_("change per year so far (pp per year)"),
        "required": N_("change per year still required (pp per year)"),
    },
    1000: {
        "gap": N_("gap to the target (‰ points)"),
        "trend": N_("change per year so far (‰ points per year)"),
        "required": N_("change per year still required (‰ points per year)"),
    },
}


def _difference_format(ind: Indicator | None, locale: str | None) -> str:
    """Return the Excel format of a difference: signed, with its unit (``+0.00" pp"``)."""
    if ind is None or ind.factor not in _DIFFERENCE_UNITS:
        return ""
    number = "0." + "0" * ind.decimals if ind.decimals else "0"
    unit = gettext(_DIFFERENCE_UNITS[ind.factor], locale).replace('"', "")
    return f'+{number}" {unit}";-{number}" {unit}";{number}" {unit}"'


def _row_indicators(table: Progress | Results) -> list[Indicator | None]:
    """Return each row's indicator (None for a target without one)."""
    if "indicator_index" in table.columns:  # a results table
        inds: list[Indicator | None] = list(getattr(table, "indicators", ()))
        index = table.columns["indicator_index"]
    else:
        ts = getattr(table, "targets", None)
        inds = [ts.indicator_of(t) for t in ts.targets] if ts is not None else []
        index = table.columns["target_index"]
    return [inds[i] for i in np.asarray(index).tolist()]


def to_xlsx(
    table: Progress | Results,
    path: str | os.PathLike[str],
    *,
    locale: str | None = None,
    protect: Any = (),
) -> Path:
    """Write the tidy table as an Excel workbook (extra ``excel``), atomically.

    The columns are those of :func:`to_csv` (labels in the locale), on one sheet
    (``progress`` or ``results``) with a bold, frozen header row; the notes of the JSON
    report (data absent, verdicts decided on partial data...) on a ``notes`` sheet, and
    the rows read, accepted and rejected on a ``rows_read`` sheet, when there are any. A
    workbook is read by people: in Vietnamese its headings and sheets are in words
    (``giá trị thực hiện``, sheet ``tiến độ``), each heading's comment giving the column's
    id, which CSV, JSON and pandas keep in every language; in English they are the ids.
    Numbers are numbers: counts with a thousands separator (``#,##0``; Excel shows the
    reader's own, ``1.250`` in Vietnamese), the rates of percentage indicators as
    fractions with a percent format of the indicator's decimals (``0.9808`` shown as
    ``98.08%``), their gap, trend and change required as the percentage points they are,
    with the unit in the format (``-10`` shown as ``-10.00 pp``, vi ``-10,00 điểm %``; the
    Vietnamese headings say "(điểm %)" when every row is a percentage), other values as
    written, undefined values as empty cells. See :func:`learnsoc.io.writers.write_xlsx`.

    Parameters
    ----------
    table : Progress or Results
        The table.
    path : str or path
        The ``.xlsx`` file.
    locale : str, optional
        Language of the labels, the headings and the sheets' names.
    protect : iterable of str or path
        Files the target must not replace.

    Returns
    -------
    Path
        The file written.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from openpyxl import load_workbook
    >>> from learnsoc.report.results import results
    >>> h = ls.Hierarchy.from_units({"code": ["02"], "name": ["Hà Giang"],
    ...     "level": ["province"], "parent_code": [None]}, levels=["province"])
    >>> roll = ls.rollup_counts({"unit_code": ["02"], "families": [187624],
    ...     "learning_families": [138068]}, h)
    >>> path = to_xlsx(results(roll, ["learning_families"], year=2024),
    ...                pathlib.Path(tempfile.mkdtemp()) / "results.xlsx", locale="vi")
    >>> ws = load_workbook(path)["kết quả"]
    >>> [c.value for c in ws[1]][:2], ws["A1"].comment.text
    (['mã đơn vị hành chính', 'tên đơn vị hành chính'], 'unit_code')
    >>> cell = {c.comment.text: d for c, d in zip(ws[1], ws[2])}
    >>> [cell[k].value for k in ("unit_code", "indicator", "year", "numerator", "denominator")]
    ['02', 'learning_families', 2024, 138068, 187624]
    >>> cell["numerator"].number_format, round(cell["value"].value, 4), cell["value"].number_format
    ('#,##0', 0.7359, '0.00%')
    """
    # By name: importing learnsoc.io here makes a cycle through the package that mypy
    # resolves wrongly (it then takes ``ls.results`` for a module).
    writers = importlib.import_module("learnsoc.io.writers")

    cols = dict(_columns(table, locale))
    inds = _row_indicators(table)
    percent = np.array([ind is not None and ind.is_percent for ind in inds], bool)
    formats = np.array(
        [
            ("0." + "0" * ind.decimals + "%" if ind.decimals else "0%")
            if ind is not None and ind.is_percent
            else ""
            for ind in inds
        ],
        dtype=object,
    )
    row_formats: dict[str, NDArray[Any]] = {}
    for name in _RATE_COLUMNS:
        if name in cols:
            cols[name] = np.where(percent, cols[name] / 100.0, cols[name])
            row_formats[name] = formats
    differences = np.array([_difference_format(ind, locale) for ind in inds], dtype=object)
    for name in _DIFFERENCE_COLUMNS:
        if name in cols:
            row_formats[name] = differences
    # An unknown year or count (-1 in the columns) is an empty cell, as in CSV: a -1 in a
    # sheet would be summed with the counts.
    column_formats = {"year": "0", "observed_year": "0"}
    for name in _UNKNOWN_AS_MINUS_ONE:
        if name in cols and cols[name].dtype.kind == "i":
            known = cols[name].astype(object)
            known[cols[name] == -1] = None
            cols[name] = known
            column_formats.setdefault(name, "#,##0")
    from learnsoc._headings import ROWS_READ, TIDY, headings, sheet_name

    sheet = "results" if "indicator_index" in table.columns else "progress"
    more: dict[str, dict[str, NDArray[Any]]] = {}
    said = _notes(table, normalize_locale(locale))
    if said:  # what the JSON's notes say: a figure's sheet is read without its text report
        more[sheet_name(NOTES_SHEET, locale)] = {"note": np.array(said, dtype=object)}
    counted = rows_read_table(table.rejects, locale)
    if counted is not None:
        more[sheet_name(ROWS_READ_SHEET, locale)] = counted
    words = headings(cols, TIDY, locale) | headings(ROWS_READ, ROWS_READ, locale)
    factors = {ind.factor for ind in inds if ind is not None}
    if normalize_locale(locale) != "en" and len(factors) == 1 and factors <= {100, 1000}:
        # Headed in words: the words say the unit when every row has the same one.
        for name, message in _DIFFERENCE_HEADINGS[factors.pop()].items():
            if name in words:
                words[name] = gettext(message, locale)
    out: Path = writers.write_xlsx(
        cols,
        path,
        sheet=sheet_name(sheet, locale),
        formats=column_formats,
        row_formats=row_formats,
        protect=protect,
        more=more or None,
        headings=words,
    )
    return out


#: The sheet of a workbook report with its notes (those of the JSON report), one a row.
NOTES_SHEET = "notes"


def _notes(table: Progress | Results, locale: str) -> list[str]:
    """Return the notes of a table's workbook: its JSON's (absent data, partial data...).

    A progress table's start with the clauses its targets are set in, as in its text.
    """
    from learnsoc.report.results import Results

    if isinstance(table, Results):
        return table.notes(locale)
    from learnsoc.report._build import clause_notes, progress_notes

    # Where the targets are set, first, as the text report gives them: the sheet's
    # ``clause`` column cites the clause, the note names its targets and its heading.
    shown = sorted({int(i) for i in np.unique(table.columns["target_index"])})
    return [*clause_notes(table, shown, locale), *progress_notes(table, locale)]


#: The sheet of a workbook report that counts the rows read, accepted and rejected.
ROWS_READ_SHEET = "rows_read"


def rows_read_table(rejects: Any, locale: str | None = None) -> dict[str, NDArray[Any]] | None:
    """Return the rows read, accepted, rejected and skipped per table, or None.

    The table of a report's ``rows_read`` sheet: one row per table read, its id and name
    in the locale (``person``, ``người``), the counts, and the file listing the rejected
    rows. None when no row was rejected or skipped (the report's text says nothing then).

    Examples
    --------
    >>> from learnsoc.rejects import CountedRejects
    >>> built = CountedRejects(read={"person": 901}, rejected={"person": 1}, file="rejects.csv")
    >>> {k: v.tolist() for k, v in rows_read_table(built, "vi").items()}
    {'table': ['person'], 'table_label': ['người'], 'read': [901], 'accepted': [900], \
'rejected': [1], 'skipped': [0], 'rejects_file': ['rejects.csv']}
    """
    from learnsoc.rejects import table_label
    from learnsoc.report._build import rows_read_lines

    if not rows_read_lines(rejects, normalize_locale(locale)):
        return None
    tables = list(rejects.read)

    def counts(of: Any) -> NDArray[np.int64]:
        return np.array([of(t) for t in tables], dtype=np.int64)

    return {
        "table": np.array(tables, dtype=object),
        "table_label": np.array([table_label(t, locale) for t in tables], dtype=object),
        "read": counts(rejects.n_read),
        "accepted": counts(rejects.n_accepted),
        "rejected": counts(rejects.n_rejected),
        "skipped": counts(rejects.n_skipped),
        # A counts file's cells '-' read as 0, a column where there were any.
        **(
            {"dashes": counts(lambda t: rejects.dashes.get(t, 0))}
            if any(rejects.dashes.get(t) for t in tables)
            else {}
        ),
        "rejects_file": np.array([getattr(rejects, "file", None) or ""] * len(tables), object),
    }


def _rows_read_json(rejects: Any) -> dict[str, Any]:
    """Return the ``rows_read`` entry of a report's JSON: every table's counts, if known."""
    if rejects is None:
        return {}
    counted = {
        t: {
            "read": rejects.n_read(t),
            "accepted": rejects.n_accepted(t),
            "rejected": rejects.n_rejected(t),
            "skipped": rejects.n_skipped(t),
            # A counts file's cells '-' read as 0, where there were any (as the CLI says).
            **({"dashes": rejects.dashes[t]} if rejects.dashes.get(t) else {}),
        }
        for t in rejects.read
    }
    return {"rows_read": counted, "rejects_file": getattr(rejects, "file", None)}
