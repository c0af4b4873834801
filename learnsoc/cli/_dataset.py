"""``learnsoc dataset``: build a partitioned dataset from folders of files."""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from learnsoc.cli._arguments import level_choice, level_hint
from learnsoc.cli._books import load_book
from learnsoc.cli._counts import CHECK, SKIPPED_CHECK, reject_lines
from learnsoc.cli._errors import UsageError, one_line, usage
from learnsoc.cli._folders import folder_files, ids_in_two, read_folder
from learnsoc.cli._paths import existing, needs_pyarrow, writable_folder
from learnsoc.cli._printing import tell, warn
from learnsoc.cli._reading import delimiter_option, levels_option, progress_bars
from learnsoc.cli._synth import say_written
from learnsoc.cli._warnings import print_caught
from learnsoc.errors import LearnsocWarning, SchemaError
from learnsoc.i18n import N_, format_integer, gettext, ngettext

if TYPE_CHECKING:
    from learnsoc.io.rejects import FileRejects
    from learnsoc.rejects import Rejects


def _refuse_input_column(exc: SchemaError, locale: str) -> None:
    """Say which rulebook reads an unknown column of a folder's file, if a bundled one does.

    ``report --rulebook`` reads such a column; ``dataset`` without one took it for a typo.
    """
    from learnsoc.rules.registry import bundled_ids, load_rulebook

    if exc.column is None or "unknown column" not in exc.problem:
        return
    books = []
    for book in bundled_ids():
        table = load_rulebook(book).schema().tables.get(exc.table)
        if table is not None and exc.column in {c.name for c in table.columns}:
            books.append(book)
    if books:
        raise usage(
            N_(
                "{error}; it is an input of the rulebooks {books}: give --rulebook with the "
                "one you will evaluate (--rulebook {book}) to read it and keep it in the dataset"
            ),
            error=one_line(exc, locale),
            books=", ".join(books),
            book=books[-1],
        ) from None


def _read_tree(args: argparse.Namespace) -> tuple[Any, FileRejects]:
    from learnsoc.io.population import read_units

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", LearnsocWarning)
        try:
            return read_units(
                args.units,
                levels=levels_option(args.levels),
                mapping=args.mapping,
                delimiter=delimiter_option(args.delimiter),
                decimal=args.decimal,
                encoding=args.encoding,
                engine=args.engine,
                unknown_columns="ignore" if args.ignore_unknown_columns else None,
                sheet=args.sheet,
                header_row=args.header_row,
            )
        finally:
            print_caught(caught)


def _read_counts(found: Sequence[Rejects], locale: str) -> tuple[list[str], bool]:
    """Return the lines read / accepted / rejected per table over every file, and the check."""
    from learnsoc.rejects import CountedRejects, count_line

    # Each read checked on its own: a sum can add up when its parts do not.
    ok = all(
        read == accepted + rejected + rejects.n_skipped(table)
        for rejects in found
        for table, (read, accepted, rejected) in rejects.counts().items()
    )
    total = CountedRejects.summed(found)
    lines = [
        count_line(table, r, a, j, total.n_skipped(table), locale)
        for table, (r, a, j) in total.counts().items()
    ]
    return lines, ok


def _write_all_rejects(
    found: Sequence[Rejects], path: str, locale: str, protect: Sequence[str], bars: bool | None
) -> Path:
    """Write the rejects of several reads (each file's rows numbered in its file) as one."""
    from learnsoc.io.writers import write_rejects
    from learnsoc.rejects import Chained

    return write_rejects(
        Chained(parts=tuple(found)), path, locale=locale, protect=protect, bars=bars
    )


def _say_partitions(
    args: argparse.Namespace, done: Any, names: Mapping[str, str], folder: str
) -> None:
    """Say the partitions one folder's population wrote, with their rows."""
    loc = args.locale
    if not done.partitions:
        warn(
            gettext(N_("{folder}: no household, clan or organisation; nothing written")).format(
                folder=folder
            )
        )
    line = gettext(
        N_(
            "partition {key} ({name}) from {folder}: {persons} persons, {households} "
            "households, {clans} clans, {organisations} organisations"
        ),
        loc,
    )
    for key in done.partitions:
        rows = done.rows[key]
        tell(
            args,
            line.format(
                key=key,
                name=names[key],
                folder=folder,
                persons=format_integer(rows["persons"], loc),
                households=format_integer(rows["households"], loc),
                clans=format_integer(rows["clans"], loc),
                organisations=format_integer(rows["organisations"], loc),
            ),
        )


def dataset_command(args: argparse.Namespace) -> int:
    from learnsoc.io.dataset import MANIFEST, DatasetWriter
    from learnsoc.io.writers import OutputPathError, check_output
    from learnsoc.model.schema import STANDARD_SCHEMA
    from learnsoc.rejects import Rejects

    loc = args.locale
    needs_pyarrow()
    if args.units is None:
        raise usage(N_("give the units table of the whole country with --units"))
    existing(args.units, "--units")
    existing(args.mapping, "--mapping")
    plans = [(folder, folder_files(folder)) for folder in args.sources]
    inputs = [args.units, *(f for _, files in plans for f in files.values())]
    if args.rejects:
        try:
            check_output(args.rejects, inputs)
        except OutputPathError as exc:
            msg = f"--rejects: {exc.localized()}"
            raise UsageError(msg) from None
    writable_folder("--out", str(Path(args.folder) / MANIFEST))
    # With a rulebook, its input columns are read as 'report --rulebook' reads them.
    schema = STANDARD_SCHEMA if args.rulebook is None else load_book(args).schema()
    tree, unit_rejects = _read_tree(args)
    level = level_choice(args.partition_by or tree.levels[0], tree.levels)
    if level not in tree.levels:
        raise usage(
            N_("--partition-by: {level!r} is not a level of {hierarchy} ({levels}){hint}"),
            level=level,
            hierarchy=args.units,
            levels=", ".join(tree.levels),
            hint=level_hint(level, tree.levels),
        )
    codes = tree.codes_at(level).tolist()
    names = dict(zip(codes, tree.names_at(level).tolist(), strict=True))
    drop = args.drop_rejected
    writer = DatasetWriter(
        args.folder, tree, level, rejects="drop" if drop else "raise", locale=args.locale
    )
    found: list[Rejects] = [unit_rejects]
    refused = bool(unit_rejects) and not drop
    if unit_rejects:
        tell(args, f"{args.units}:\n" + "\n".join(reject_lines(unit_rejects, loc)))
    writer.add_rejects(unit_rejects)
    start = time.perf_counter()
    # The ids of every folder's rows: an id in two folders is rejected in both (below).
    seen: list[dict[str, NDArray[Any]]] = []
    kept: dict[str, int] = {}  # the index in found of each folder's rejects
    try:
        for folder, files in plans:
            ids: dict[str, NDArray[Any]] = {}
            try:
                pop = read_folder(args, files, tree, schema, ids_out=ids)
            except SchemaError as exc:
                if args.rulebook is None:
                    _refuse_input_column(exc, args.locale)
                raise
            seen.append({t: np.unique(v) for t, v in ids.items()})
            del ids
            kept[folder] = len(found)
            if pop.rejects:
                found.append(pop.rejects)
                tell(args, f"{folder}:\n" + "\n".join(reject_lines(pop.rejects, loc)))
                refused = refused or not drop
            else:
                # The counts, not the layouts.
                skipped = {t: pop.rejects.n_skipped(t) for t in pop.rejects.read}
                found.append(Rejects(read=pop.rejects.read, skipped=skipped))
            if refused:
                continue  # read on, to report every rejected row in one run
            done = writer.write(pop, source=folder)
            _say_partitions(args, done, names, folder)
            del pop, done
        twice = ids_in_two(seen)
        del seen
        if twice:
            # Read together, the files would reject every copy of these ids and the rows
            # that refer to them: the folders that hold one are read again so, and their
            # partitions written again (only then: a clean build reads each folder once).
            for folder, files in plans:
                pop = read_folder(args, files, tree, schema, elsewhere=twice)
                if not any(b.reason == "duplicate_id" for b in pop.rejects.batches):
                    continue
                found[kept[folder]] = pop.rejects
                head = gettext(
                    N_("{folder}, read again: ids also in another folder's files are rejected"),
                    loc,
                ).format(folder=folder)
                tell(args, f"{head}:\n" + "\n".join(reject_lines(pop.rejects, loc)))
                refused = refused or not drop
                if refused:
                    continue
                before = writer.written_from(folder)
                done = writer.write(pop, source=folder, partitions=before, replace=True)
                _say_partitions(args, done, names, folder)
                del pop, done
        if refused:
            writer.abort()
        else:
            ds = writer.close()
    except BaseException:
        writer.abort()
        raise
    took = time.perf_counter() - start
    lines, ok = _read_counts(found, loc)
    tell(args, "\n".join(lines))
    if args.rejects:
        path = _write_all_rejects(found, args.rejects, loc, inputs, progress_bars(args))
        tell(args, gettext(N_("wrote {path}"), loc).format(path=path))
    elif any(found):
        tell(args, gettext(N_("(every rejected row, with its file and line: --rejects FILE)")))
    if refused:
        print(
            gettext(
                N_(
                    "learnsoc dataset: no dataset written: rows were rejected (above); fix "
                    "the files, or give --drop-rejected to write the rows accepted"
                ),
                loc,
            ),
            file=sys.stderr,
        )
    else:
        if writer.empty:
            shown = ", ".join(writer.empty[:10]) + (", ..." if len(writer.empty) > 10 else "")
            warn(
                ngettext(
                    "{n} partition has no folder's rows and was written empty: {keys}",
                    "{n} partitions have no folder's rows and were written empty: {keys}",
                    len(writer.empty),
                ).format(n=format_integer(len(writer.empty), loc), keys=shown)
            )
        say_written(args, ds, level, took, loc)
    skips = any(r.n_skipped(t) for r in found for t in r.read)
    check = gettext(SKIPPED_CHECK if skips else CHECK, loc)
    verdict = "OK" if ok else gettext(N_("FAILED"), loc)
    print(f"{check}: {verdict}", file=sys.stderr)
    return 1 if refused or any(found) or not ok else 0
