"""Reading a command's input files with the reading options (``--delimiter``...)."""

from __future__ import annotations

import argparse
import datetime as dt
import warnings
from collections.abc import Collection
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from learnsoc.cli._arguments import sheets_by_file
from learnsoc.cli._errors import usage
from learnsoc.cli._paths import existing, inputs_files
from learnsoc.cli._warnings import print_caught
from learnsoc.errors import LearnsocWarning
from learnsoc.i18n import N_
from learnsoc.model.hierarchy import PRESETS

if TYPE_CHECKING:
    from learnsoc.io.rejects import FileRejects
    from learnsoc.model.population import Population


def levels_option(text: str | None) -> str | list[str] | None:

    if text is None or text in PRESETS:
        return text
    return [t.strip() for t in text.split(",") if t.strip()]


def delimiter_option(text: str | None) -> str | None:
    from learnsoc.io.files import named_delimiter

    try:
        return named_delimiter(text)
    except ValueError:
        raise usage(
            N_("--delimiter {delim!r} is not one of ',', ';', '|', 'tab' or 'auto'"), delim=text
        ) from None


def read_given_population(
    args: argparse.Namespace, schema: Any = None, columns: Collection[str] | None = None
) -> Population:
    if args.persons is None or args.households is None:
        raise usage(N_("give the persons file and --households (and --units)"))
    if args.units is None:
        raise usage(N_("give the administrative units file with --units"))
    for option in ("persons", "households", "units", "clans", "organisations", "memberships"):
        existing(getattr(args, option), option if option == "persons" else f"--{option}")
    existing(args.mapping, "--mapping")
    # Warnings while reading (a UTF-8 file read as UTF-8 despite --encoding, words read as
    # missing values) are messages for the user, not Python's "file:line: Warning" lines.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", LearnsocWarning)
        try:
            return _read_files(args, schema, columns)
        finally:
            print_caught(caught)


def progress_bars(args: argparse.Namespace) -> bool | None:
    """Bars on a terminal (tqdm decides), never with --quiet."""
    return False if getattr(args, "quiet", False) else None


def reference_year_option(args: argparse.Namespace) -> int | None:
    """``--reference-year``, else the year of ``--as-of`` for the commands that take one.

    Ages from birth years are those reached in the year the criteria apply: without this,
    ``evaluate --as-of 31/12/2025`` on a file of birth years stopped to ask for the year.
    """
    if args.reference_year is not None:
        return int(args.reference_year)
    as_of = getattr(args, "as_of", None)  # ISO once parsed (see parse_date_option)
    return dt.date.fromisoformat(as_of).year if isinstance(as_of, str) else None


def reading_options(args: argparse.Namespace) -> dict[str, Any]:
    """Return the options of ``read_population`` that the reading flags set (one place)."""
    return {
        "mapping": args.mapping,
        "reference_year": reference_year_option(args),
        "strict": args.strict,
        "delimiter": delimiter_option(args.delimiter),
        "decimal": args.decimal,
        "encoding": args.encoding,
        "engine": args.engine,
        "unknown_columns": "ignore" if args.ignore_unknown_columns else None,
        "bars": progress_bars(args),
        "sheet": args.sheet,
        "header_row": args.header_row,
    }


def _read_files(
    args: argparse.Namespace, schema: Any, columns: Collection[str] | None
) -> Population:
    from learnsoc.io.population import read_population
    from learnsoc.model.schema import STANDARD_SCHEMA

    options = ("persons", "households", "units", "clans", "organisations", "memberships")
    # A --sheet naming none of the files is a usage error, said before any file is read.
    sheets_by_file(args, {option.removesuffix("s"): getattr(args, option) for option in options})
    return read_population(
        args.persons,
        households=args.households,
        units=args.units,
        clans=args.clans,
        organisations=args.organisations,
        memberships=args.memberships,
        schema=schema if schema is not None else STANDARD_SCHEMA,
        levels=levels_option(args.levels),
        columns=columns,
        **reading_options(args),
    )


# -- evaluator inputs (--inputs) --------------------------------------------------------

#: The command line's words for an inputs file's level it cannot use (the library's say
#: ``level=``; these say ``LEVEL=FILE``, as the option is written).
_INPUTS_LEVEL_ERRORS = {
    "no_inputs": N_("--inputs {path}: the rulebook has no inputs at level {level!r}{hint}"),
    "not_in_data": N_("--inputs {path}: the data have no level {level!r}{hint}"),
    "columns": N_(
        "--inputs {path}: cannot tell the level from the columns (inputs of: {levels}); "
        "write LEVEL={path}"
    ),
    "mixed": N_(
        "--inputs {path}: the columns are inputs of different levels ({levels}): put each "
        "level's inputs in a file of its own, each given as LEVEL=FILE"
    ),
}


def read_input_tables(
    args: argparse.Namespace, book: Any, pop: Population
) -> tuple[dict[str, dict[str, NDArray[np.float64]]], list[FileRejects]]:
    """Read the ``--inputs`` files into ``evaluate``'s ``inputs=`` and their rejects.

    :func:`learnsoc.io.inputs.read_inputs` reads them, with the reading options given
    to the other files (--sheet, --header-row, --decimal ...).
    """
    from learnsoc.io.inputs import (
        InputsLevelError,
        inputs_by_level_text,
        inputs_level_hint,
        read_inputs,
    )

    files = inputs_files(args)
    if not files:
        return {}, []
    for _, path in files:
        existing(path, "--inputs")
    # Warnings (codes read with their leading zeros restored) are told as the others.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            inputs, rejects = read_inputs(
                files,
                book,
                pop,
                mapping=getattr(args, "mapping", None),
                delimiter=delimiter_option(args.delimiter),
                decimal=args.decimal,
                encoding=args.encoding,
                sheet=args.sheet,
                header_row=args.header_row,
                unknown_columns="ignore" if args.ignore_unknown_columns else None,
            )
        except InputsLevelError as exc:
            hint = inputs_level_hint(str(exc.level), exc.choices)
            levels = ", ".join(exc.choices) or "-"
            if exc.reason == "mixed":
                levels = inputs_by_level_text(exc.inputs_by_level)
            message = _INPUTS_LEVEL_ERRORS[exc.reason]
            raise usage(message, path=exc.path, level=exc.level, hint=hint, levels=levels) from None
    print_caught(caught)
    return inputs, [rejects]
