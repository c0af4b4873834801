"""``learnsoc report`` and ``learnsoc rollup``: tables of counts, in every format."""

from __future__ import annotations

import argparse
import datetime as dt
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from learnsoc._messages import Message
from learnsoc.cli._arguments import levels_shown, sheets_by_file
from learnsoc.cli._books import evaluate_pop, load_book
from learnsoc.cli._counts import finish, sizes
from learnsoc.cli._errors import usage
from learnsoc.cli._partitions import run_dataset
from learnsoc.cli._paths import (
    REPORT_SUFFIXES,
    check_dataset_options,
    dataset_folder,
    existing,
    input_paths,
    needs_pyarrow,
    refuse_results_file,
    results_path,
)
from learnsoc.cli._printing import tell
from learnsoc.cli._reading import (
    delimiter_option,
    levels_option,
    progress_bars,
    read_given_population,
)
from learnsoc.cli._results import results_rollup
from learnsoc.cli._warnings import print_caught
from learnsoc.errors import LearnsocWarning
from learnsoc.i18n import N_, gettext

if TYPE_CHECKING:
    from learnsoc.aggregate.rollup import Rollup
    from learnsoc.rejects import Rejects


def _report_format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    suffix = Path(args.out).suffix.lower() if args.out else ""
    return REPORT_SUFFIXES.get(suffix, "text")


def _counts_rollup(args: argparse.Namespace) -> tuple[Any, Rejects]:
    """Read per-unit counts and the units file; roll the counts up the tree."""
    from learnsoc.io.counts import read_counts_rollup
    from learnsoc.io.population import read_units, resolve_mapping

    if args.units is None:
        raise usage(N_("--counts needs the units file (--units or --hierarchy)"))
    for path, option in ((args.counts, "--counts"), (args.units, "--units")):
        existing(path, option)
    fmap = resolve_mapping(existing(args.mapping, "--mapping"))
    delimiter = delimiter_option(args.delimiter)
    sheets = sheets_by_file(args, {"unit": args.units, "counts": args.counts})
    hierarchy, unit_rejects = read_units(
        args.units,
        levels=levels_option(args.levels) or None,
        mapping=fmap,
        delimiter=delimiter,
        encoding=args.encoding,
        sheet=sheets["unit"],
        header_row=args.header_row,
    )
    # The mapping applies to counts too: column names, value maps, the decimal comma.
    roll, combined = read_counts_rollup(
        args.counts,
        hierarchy,
        mapping=fmap,
        delimiter=delimiter,
        decimal=args.decimal,
        encoding=args.encoding,
        engine=args.engine,
        sheet=sheets["counts"],
        header_row=args.header_row,
        by=_names(args.by, "--by"),
        units_rejects=unit_rejects,
    )
    if args.strict and combined:
        # --strict stops at the first problem here too, named with its file and line.
        from learnsoc._phrases import Lazy
        from learnsoc.errors import DataError

        msg = Message(
            N_("{n} problem(s) in the input; first: {first}"),
            n=len(combined),
            first=Lazy(lambda locale: combined.records(locale)[0].message),
        )
        raise DataError(str(msg), combined).translatable(msg)
    return roll, combined


def _names(text: str | None, option: str) -> list[str] | None:
    if text is None:
        return None
    names = [t.strip() for t in text.split(",") if t.strip()]
    if not names:
        raise usage(N_("{option}: give at least one name, got {text!r}"), option=option, text=text)
    return names


def _decimals(text: str | None) -> int | dict[str, int] | None:
    """Parse --decimals: ``2`` for every indicator, or ``a=1,b=0`` per indicator."""
    if text is None:
        return None
    text = text.strip()
    if text.isdigit():
        return int(text)
    out: dict[str, int] = {}
    for part in (p.strip() for p in text.split(",")):
        name, sep, number = part.partition("=")
        if not sep or not name.strip() or not number.strip().isdigit():
            raise usage(
                N_(
                    "--decimals: {part!r} is not INDICATOR=N (N a whole number from 0 to 10), "
                    "e.g. learning_families=2,learning_units=0"
                ),
                part=part,
            )
        out[name.strip()] = int(number)
    return out


def report_command(args: argparse.Namespace) -> int:
    from learnsoc.report.results import results
    from learnsoc.targets import load_targets, progress

    # Options first: a misspelt indicator fails before the files are read.
    targets = load_targets(args.targets) if args.targets is not None else None
    indicators = _names(args.indicators, "--indicators")
    levels = _names(args.level, "--level")
    decimals = _decimals(args.decimals)
    if targets is not None and indicators is not None:
        targets = targets.select(indicators=indicators)
    roll, rejects, held = _any_rollup(args)
    if levels is not None:  # in either language: --level xã
        levels = levels_shown(levels, roll.hierarchy.levels)
    if targets is None:
        table: Any = results(roll, indicators, levels, year=args.year)
    else:
        spec = roll.hierarchy.spec
        dated = spec.valid_from is not None or spec.valid_until is not None
        # A tree without dates is placed before or after the 2025 reform by the year asked:
        # the counts are taken to be of that year (as "data of 2025" in the heading).
        observed = roll if dated or args.year is None else [(args.year, roll)]
        table = progress(
            observed, targets, year=args.year, levels=levels, completeness=args.completeness
        )
    titles_as_of = getattr(args, "titles_as_of", None)
    if titles_as_of is None and getattr(args, "rulebook", None) is not None:
        titles_as_of = args.as_of
    import attrs

    if titles_as_of is not None:
        # Titles decided as of a date: the report says which date its figures are of.
        table = attrs.evolve(table, as_of=dt.date.fromisoformat(titles_as_of))
    # The rows the figures rest on, in every form of the report (stderr is not published).
    table = attrs.evolve(table, rejects=_rows_behind(args, rejects))
    fmt = _report_format(args)
    if fmt == "xlsx":
        from learnsoc.report.tables import to_xlsx

        table.report(args.locale, rounding=args.rounding, decimals=decimals)  # checks --decimals
        to_xlsx(table, args.out, locale=args.locale, protect=input_paths(args))
        tell(args, gettext(N_("wrote {path}"), args.locale).format(path=args.out))
        return finish(args, rejects, held)
    out = _render(table, fmt, args, decimals)
    if args.out:
        from learnsoc.io.writers import atomic_path

        with atomic_path(args.out, protect=input_paths(args)) as tmp:
            tmp.write_text(out, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
        tell(args, gettext(N_("wrote {path}"), args.locale).format(path=args.out))
    else:
        # One final newline: CSV and JSON already end with one (no empty last record).
        print(out, end="" if out.endswith("\n") else "\n")
        if fmt in ("text", "markdown", "html"):
            from learnsoc.report._build import rows_read_lines

            # The report just printed its rows read, accepted and rejected on the screen:
            # the summary after it gives the reasons and the check, not the counts again.
            args.rows_read_printed = bool(rows_read_lines(table.rejects, args.locale))
    return finish(args, rejects, held)


def _rows_behind(args: argparse.Namespace, rejects: Rejects) -> Any:
    """Return the rows read, accepted and rejected behind a report's figures, as counts.

    A dataset's (or its results') are those of the files it was built from, listed in its
    ``rejects.csv``; with them, the rows of this run's own files (``--inputs``), whose
    rejected rows ``--rejects`` lists, or of the ``--inputs`` files of the evaluation that
    wrote the results folder.
    """
    from learnsoc.rejects import CountedRejects

    parts = [
        part
        for part in (
            getattr(args, "built_rejects", None),
            getattr(args, "inputs_read", None),
            CountedRejects.counted(rejects, getattr(args, "rejects", None) or None),
        )
        if part is not None and len(part.read)
    ]
    if len(parts) < 2:
        return parts[0] if parts else None
    tables = list(dict.fromkeys(t for part in parts for t in part.read))

    def total(count: str) -> dict[str, int]:
        return {t: sum(getattr(part, count)(t) for part in parts) for t in tables}

    files = dict.fromkeys(str(p.file) for p in parts if len(p) and p.file is not None)
    return CountedRejects(
        read=total("n_read"),
        skipped=total("n_skipped"),
        rejected=total("n_rejected"),
        file="; ".join(files) or None,
    )


def _any_rollup(args: argparse.Namespace) -> tuple[Rollup, Rejects, dict[str, int] | None]:
    """Roll up ``--counts``, or the population in the files evaluated with the rulebook.

    A results folder of ``evaluate --out`` gives the rollup it holds.
    """
    from learnsoc.rejects import Rejects

    saved = results_path(args)
    if saved is not None:
        return results_rollup(args, saved), Rejects(), None
    folder = dataset_folder(args)
    check_dataset_options(args, folder)
    if args.counts is not None:
        if args.inputs:
            raise usage(N_("--inputs needs the persons files, not --counts"))
        refuse_results_file(args)
        # Warnings while reading and adding up the counts (codes that lost their leading
        # zeros, a UTF-8 file despite --encoding) are messages for the user, as in
        # read_given_population.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", LearnsocWarning)
            try:
                roll, rejects = _counts_rollup(args)
            finally:
                print_caught(caught)
        return roll, rejects, None
    if (args.rulebook is None or args.as_of is None) and folder is not None:
        # Most likely the dataset was given where its results folder was meant.
        raise usage(
            N_(
                "{folder}: a {command} from a dataset needs --rulebook and --as-of; or give "
                "the results folder of 'learnsoc evaluate {folder} --out DIR', which needs "
                "neither"
            ),
            command=args.command,
            folder=args.persons,
        )
    if args.rulebook is None or args.as_of is None:
        raise usage(
            N_("a {command} from files needs --rulebook and --as-of (or --counts)"),
            command=args.command,
        )
    from learnsoc.aggregate.rollup import rollup
    from learnsoc.targets import standard_measures, standard_titles

    book = load_book(args)
    if folder is not None:
        needs_pyarrow()
        result, rejects = run_dataset(args, folder, book, None, standard=True)
        return result.standard_rollup(), rejects, None
    pop = read_given_population(args, schema=book.schema())
    ev, rejects = evaluate_pop(args, book, pop)
    measures = standard_measures(pop, titles=standard_titles(ev))
    roll = rollup(pop, measures, by=_names(args.by, "--by"))
    return roll, rejects, sizes(pop)


def rollup_command(args: argparse.Namespace) -> int:
    from learnsoc.io.writers import output_format, write_table

    levels = _names(args.level, "--level")
    roll, rejects, held = _any_rollup(args)
    if levels is not None:
        levels = levels_shown(levels, roll.hierarchy.levels)
        table = {k: v[np.isin(roll.levels(), levels)] for k, v in roll.to_columns().items()}
    else:
        table = roll.to_columns()
    # A workbook is for people: headings in the run's language, rates as percentages.
    # CSV, Parquet and JSON keep the column ids, in every language, for scripts.
    excel = roll.excel_options(table, args.locale) if output_format(args.out) == "xlsx" else {}
    path = write_table(
        table, args.out, bom=True, protect=input_paths(args), bars=progress_bars(args), **excel
    )
    tell(args, gettext(N_("wrote {path}"), args.locale).format(path=path))
    return finish(args, rejects, held)


def _render(table: Any, fmt: str, args: argparse.Namespace, decimals: Any = None) -> str:
    """Render a Results or Progress table; ``decimals`` is checked even for CSV and JSON."""
    loc, rounding = args.locale, args.rounding
    report = table.report(loc, rounding=rounding, decimals=decimals)
    if fmt == "html":
        return str(report.to_html())
    if fmt == "markdown":
        return str(report.to_markdown())
    if fmt == "csv":
        return str(table.to_csv(None, locale=loc))
    if fmt == "json":
        return str(table.to_json(None, locale=loc))
    return str(report.to_text(page_size=None))
