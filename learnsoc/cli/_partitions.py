"""Running a command over a partitioned dataset, a partition at a time."""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from learnsoc.cli._books import wants_rulebook_columns
from learnsoc.cli._errors import usage
from learnsoc.cli._printing import tell
from learnsoc.cli._reading import progress_bars, read_input_tables
from learnsoc.cli._warnings import in_locales, print_caught
from learnsoc.i18n import N_, format_integer, gettext, ngettext
from learnsoc.io.rejects import join_rejects

if TYPE_CHECKING:
    from learnsoc.io.rejects import FileRejects
    from learnsoc.rejects import Rejects


def _dataset_inputs(
    args: argparse.Namespace, book: Any, dataset: Any
) -> tuple[dict[str, dict[str, NDArray[np.float64]]], list[FileRejects]]:
    """Read the ``--inputs`` files of administrative levels for a dataset.

    They are read and checked as for files, against the dataset's units table; inputs of
    persons, households, clans or organisations would need every partition's ids.
    """
    from learnsoc.model.population import Population

    if not getattr(args, "inputs", None):
        return {}, []
    shell = Population.from_records(persons=[], households=[], hierarchy=dataset.hierarchy)
    inputs, found = read_input_tables(args, book, shell)
    for level in inputs:
        if level not in dataset.hierarchy.levels:
            raise usage(
                N_(
                    "--inputs: inputs of {level}s are not read from a file with a dataset "
                    "folder yet, only those of administrative levels ({levels})"
                ),
                level=level,
                # The level as the reader says it ("dòng họ"), beside --inputs' own name.
                level_text=gettext(level),
                levels=", ".join(dataset.hierarchy.levels),
            )
    return inputs, found


def run_dataset(
    args: argparse.Namespace, folder: Path, book: Any, verdicts: Path | None, standard: bool
) -> tuple[Any, Rejects]:
    """Evaluate a dataset folder (here, in --workers processes or on --dask)."""
    from learnsoc.io.dataset import read_dataset
    from learnsoc.rejects import Rejects
    from learnsoc.scale import evaluate_dataset

    rulebook_columns = getattr(args, "rulebook_columns", False) and wants_rulebook_columns(args)
    dataset = read_dataset(
        folder, columns=book.columns_read(as_of=args.as_of) if rulebook_columns else None
    )
    # The rows of the files it was built from: said with the counts, as for the files.
    args.built_rejects = dataset.rejects
    inputs, found = _dataset_inputs(args, book, dataset)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = evaluate_dataset(
            dataset,
            book,
            args.as_of,
            verdicts_out=verdicts,
            workers=getattr(args, "workers", None),
            client=getattr(args, "dask", None),
            threads=getattr(args, "threads", None),
            inputs=inputs,
            standard_measures=standard,
            bars=progress_bars(args),
            on_partition=_partition_lines(args, dataset),
        )
    # Kept in every language for results.json: reports from it give them again.
    args.evaluation_warnings = [in_locales(w, result.missing_inputs) for w in caught]
    print_caught(caught, result.missing_inputs)
    persons = format_integer(result.dataset.n_persons, args.locale)
    parts = format_integer(len(result.dataset.partitions), args.locale)
    n = len(result.dataset.partitions)
    text = ngettext(
        "dataset {path}: {persons} persons in {n} partition by {level}",
        "dataset {path}: {persons} persons in {n} partitions by {level}",
        n,
    )
    tell(
        args,
        text.format(
            path=folder,
            persons=persons,
            n=parts,
            level=result.dataset.hierarchy.level_label(result.dataset.partition_by, args.locale),
        ),
    )
    return result, join_rejects(Rejects(), found)


def _partition_lines(args: argparse.Namespace, dataset: Any) -> Callable[[str], None] | None:
    """Return what writes a line per partition done, when stderr is no terminal (a log).

    A bar redrawn with carriage returns is one unreadable line in an ETL log, so tqdm
    shows none there; these lines say the same once per partition, each whole.
    """
    if args.quiet or sys.stderr.isatty():
        return None
    loc = args.locale
    total = len(dataset.partitions)
    persons = sum(int(rows["persons"]) for rows in dataset.rows.values())
    level = dataset.hierarchy.level_label(dataset.partition_by, loc)
    done = {"partitions": 0, "persons": 0}

    def say(key: str) -> None:
        done["partitions"] += 1
        done["persons"] += int(dataset.rows[key]["persons"])
        text = ngettext(
            "{level} {key} done: {done} of {total} partition, {so_far} of {persons} persons",
            "{level} {key} done: {done} of {total} partitions, {so_far} of {persons} persons",
            total,
            loc,
        )
        line = text.format(
            level=level,
            key=key,
            done=format_integer(done["partitions"], loc),
            total=format_integer(total, loc),
            so_far=format_integer(done["persons"], loc),
            persons=format_integer(persons, loc),
        )
        tell(args, line)

    return say
