"""A results folder (``evaluate --out``): writing it and reading it back."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from learnsoc.cli._books import load_book
from learnsoc.cli._errors import usage
from learnsoc.cli._paths import NOT_WITH_RESULTS, inputs_files, needs_pyarrow, writable_folder
from learnsoc.cli._printing import day_text, option_date, tell, warn
from learnsoc.i18n import N_, format_integer, gettext

if TYPE_CHECKING:
    from learnsoc.aggregate.rollup import Rollup
    from learnsoc.rejects import Rejects


def results_rollup(args: argparse.Namespace, folder: Path) -> Rollup:
    """Return the standard rollup a results folder holds, after checking the options.

    The rulebook and date come from its manifest; others given are a usage error.
    """
    from learnsoc.scale.results import read_results

    for option in NOT_WITH_RESULTS:
        if getattr(args, option, None):
            raise usage(
                N_(
                    "--{option}: a results folder holds the data already evaluated; "
                    "--{option} is not read with one"
                ),
                option=option,
            )
    needs_pyarrow()
    saved = read_results(folder)
    # The evaluation's warnings (inputs without data ...), as a report of the dataset gives them.
    for said in saved.warnings:
        warn(said.get(args.locale) or said["en"])
    date = saved.as_of.isoformat()
    if args.as_of is not None and args.as_of != date:
        raise usage(
            N_(
                "--as-of {given}: the results in {path} were evaluated as of {date}; leave "
                "out --as-of, or evaluate the dataset again as of {given}"
            ),
            # The dates as the reader writes them (31/12/2025 in Vietnamese), as --as-of takes.
            given=option_date(dt.date.fromisoformat(args.as_of), args.locale),
            path=folder,
            date=option_date(saved.as_of, args.locale),
        )
    # The report says the date its titles were decided as of, as one from the dataset does.
    args.titles_as_of = date
    if args.rulebook is not None:
        book = load_book(args)
        if (book.id, book.info.version) != (saved.rulebook, saved.rulebook_version):
            raise usage(
                N_(
                    "--rulebook {given}: the results in {path} were evaluated with rulebook "
                    "{rulebook!r} version {version}, not {id!r} version {given_version}; "
                    "leave out --rulebook, or evaluate the dataset again with it"
                ),
                given=args.rulebook,
                path=folder,
                rulebook=saved.rulebook,
                version=saved.rulebook_version,
                id=book.id,
                given_version=book.info.version,
            )
    line = gettext(
        N_("results {path}: rulebook {rulebook} version {version} as of {date}; {persons} persons")
    )
    tell(
        args,
        line.format(
            path=folder,
            rulebook=saved.rulebook,
            version=saved.rulebook_version,
            date=day_text(saved.as_of, args.locale),
            persons=format_integer(saved.persons, args.locale),
        ),
    )
    args.evaluated_rejects = saved.rejected_rows
    args.built_rejects = saved.built
    # The rows of the evaluation's --inputs files: said as a report of the dataset says them.
    args.inputs_read = saved.inputs_read
    return saved.standard_rollup()


def results_folder(path: str) -> Path:
    from learnsoc.io.writers import TABLE_FORMATS

    folder = Path(path)
    if not folder.exists() and folder.suffix.lower() in TABLE_FORMATS:
        # `--out verdicts.csv`, as for a persons file, would make a folder named so.
        raise usage(
            N_(
                "--out: {path!r} names a file; the results of a dataset are written into a "
                "folder (--out results/)"
            ),
            path=path,
        )
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise usage(
            N_(
                "--out: {path!r} is not a new or empty folder; the results of a dataset "
                "are written into one"
            ),
            path=path,
        )
    writable_folder("--out", str(folder / "summary.json"))
    return folder


def write_dataset_results(
    args: argparse.Namespace, result: Any, rejects: Rejects, out: Path
) -> list[str]:
    """Write the results of a dataset's evaluation into ``out``; return the names written."""
    import json

    from learnsoc.io.writers import atomic_path, write_table
    from learnsoc.rejects import CountedRejects
    from learnsoc.scale.local import UPPER_VERDICTS
    from learnsoc.scale.results import write_results

    with atomic_path(out / "summary.json") as tmp:
        text = json.dumps(result.summary().to_dict(), ensure_ascii=False, indent=1)
        tmp.write_text(text + "\n", encoding="utf-8")
    write_table(_title_counts(result), out / "title_counts.csv", bom=True)
    write_table(result.rollup().to_columns(), out / "rollup.csv", bom=True)
    given = [path for _, path in inputs_files(args)]
    manifest = write_results(
        result,
        out,
        inputs=given,
        rejected_rows=len(rejects),
        warnings=getattr(args, "evaluation_warnings", ()),
        inputs_read=CountedRejects.counted(rejects, getattr(args, "rejects", None) or None),
    )
    names = ["summary.json", "title_counts.csv", "rollup.csv", "verdicts"]
    if (out / UPPER_VERDICTS).is_file():
        names.append(UPPER_VERDICTS)
    names += ["units.parquet", "standard_counts.parquet", manifest.name]
    return names


def _title_counts(result: Any) -> dict[str, NDArray[Any]]:
    """One row per title and unit of its level: entities, assessed, granted, unknown.

    The last column, ``status``, is the title's (:attr:`SummaryRow.status`): a title not
    in force on the date reads ``not_in_force``, so its zeros are not read as measured.
    """
    h = result.hierarchy
    codes = h.to_columns()["code"]
    names = ("title", "level", "unit_code", "entities", "assessed", "passed", "unknown", "status")
    columns: dict[str, list[Any]] = {k: [] for k in names}
    status = {row.title: row.status for row in result.summary().rows}
    for title, counts in result.title_counts().items():
        n = len(counts.entities)
        columns["title"].extend([title] * n)
        columns["level"].extend(h.levels[int(k)] for k in _unit_levels(h))
        columns["unit_code"].extend(codes.tolist())
        for field in ("entities", "assessed", "passed", "unknown"):
            columns[field].extend(getattr(counts, field).tolist())
        columns["status"].extend([status.get(title, "assessed")] * n)
    return {k: np.asarray(v) for k, v in columns.items()}


def _unit_levels(h: Any) -> NDArray[np.int64]:
    return np.repeat(np.arange(h.n_levels), np.diff(h.starts))
