"""The ``learnsoc`` command line.

Subcommands: ``demo``, ``validate``, ``evaluate``, ``rollup``, ``report``, ``rulebooks``,
``targets``. Every command that reads data prints, per table, the records read, accepted
and rejected, the rejected rows counted by reason and column, and ends with the check
``accepted + rejected = read``.

``synth`` writes a synthetic partitioned dataset of any size (see :mod:`learnsoc.io.dataset`),
and ``dataset`` one from folders of an agency's files, a folder in memory at a time.

Data (a report, a summary, a listing) go to stdout and everything else (counts, checks,
warnings, "wrote FILE") to stderr, so ``learnsoc report --format json > out.json``
writes valid JSON.

Exit codes: 0 ok, 1 data problems found (rows rejected or checks failed), 2 usage or
configuration errors (a bad option or date, a missing file, an unknown rulebook, an
invalid mapping file). Errors print as one line, in the ``--locale`` language for usage
errors; ``--debug`` shows the traceback. Dates are written ``yyyy-mm-dd`` or, as
agencies write them, ``dd/mm/yyyy`` (``31/12/2025``, ``1/7/2025``).

Output files (``--out``, ``--rejects``) are checked before any file is read, and a bad
one is a usage error (exit 2) that leaves every file as it was: a format learnsoc does
not write (``.ods``, a name without an extension), an output that is one of the input
files under any spelling (``./persons.csv``, a symbolic or a hard link), the same file
given to two outputs, or a folder that cannot be written. Outputs are written
atomically (see :mod:`learnsoc.io.writers`), and CSV cells that a spreadsheet would run
as formulas are escaped.

Examples
--------
>>> from learnsoc.cli import main
>>> main(["demo", "--persons", "2000", "--locale", "en"])  # doctest: +ELLIPSIS
Population (vn-2025)
...
0
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence

from learnsoc.cli._arguments import parse_date_option
from learnsoc.cli._counts import MAX_REASON_LINES as MAX_REASON_LINES
from learnsoc.cli._errors import (
    UsageError,
    exit_code,
    note_sheet_per_file,
    on_worker,
    one_line,
    usage,
    worker_of,
)
from learnsoc.cli._help import argparse_words
from learnsoc.cli._locale import LOCALE_VARIABLES as LOCALE_VARIABLES
from learnsoc.cli._locale import resolve_locale as resolve_locale
from learnsoc.cli._parsers import build_parser
from learnsoc.cli._parsers import help_messages as help_messages
from learnsoc.cli._paths import check_outputs, persons_exist
from learnsoc.errors import LearnsocError, LevelsError, note_text
from learnsoc.i18n import N_, LocaleError, gettext, use_locale

__all__ = ["build_parser", "main"]
# MAX_REASON_LINES, LOCALE_VARIABLES, resolve_locale and help_messages are imported from
# here (scripts/catalogs.py, the docs, the tests): ``import x as x`` re-exports them.

#: The module of each command and the function in it that runs the command. A command's
#: module is imported when it runs, so ``learnsoc --help`` loads none of them.
_COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("learnsoc.cli._demo", "demo_command"),
    "validate": ("learnsoc.cli._validate", "validate_command"),
    "evaluate": ("learnsoc.cli._evaluate", "evaluate_command"),
    "rollup": ("learnsoc.cli._report", "rollup_command"),
    "report": ("learnsoc.cli._report", "report_command"),
    "synth": ("learnsoc.cli._synth", "synth_command"),
    "dataset": ("learnsoc.cli._dataset", "dataset_command"),
    "rulebooks": ("learnsoc.cli._listings", "rulebooks_command"),
    "targets": ("learnsoc.cli._listings", "targets_command"),
}


def _command(name: str) -> Callable[[argparse.Namespace], int]:
    """Return the function that runs the command ``name``, importing its module."""
    module, function = _COMMANDS[name]
    run: Callable[[argparse.Namespace], int] = getattr(importlib.import_module(module), function)
    return run


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code.

    The language is ``--locale``, else ``LEARNSOC_LOCALE``, else the environment's
    locale (see :func:`resolve_locale`); the parser is built in it, so ``--help`` and
    argparse's errors are in that language too.

    Examples
    --------
    >>> main(["--version"])  # doctest: +ELLIPSIS
    learnsoc ...
    0
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        locale = resolve_locale(argv)
    except LocaleError as exc:
        print(f"learnsoc: error: LEARNSOC_LOCALE: {exc}", file=sys.stderr)
        return 2
    # The locale is in use while parsing: the option types' errors (--sheet) are in it too.
    with argparse_words(locale), use_locale(locale):
        parser = build_parser(locale)
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
            return int(exc.code or 0)
        if args.command is None:
            parser.print_help()
            return 2
    if not hasattr(args, "quiet"):
        args.quiet = False
    locale = getattr(args, "locale", "en")
    try:
        with use_locale(locale):
            if getattr(args, "as_of", None) is not None:
                args.as_of = parse_date_option(args.as_of, "--as-of")
            if getattr(args, "titles", None) is not None and args.rulebook is None:
                raise usage(N_("--titles selects titles of a rulebook: give --rulebook too"))
            persons_exist(args)
            check_outputs(args)
            return _command(args.command)(args)
    except UsageError as exc:
        prefix = gettext(N_("learnsoc {command}: error: {message}"), locale)
        print(prefix.format(command=args.command, message=exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        if args.debug or os.environ.get("LEARNSOC_DEBUG") == "1":
            raise
        # Ctrl-C, or a job scheduler's SIGINT: one line in the log, not a traceback of
        # whatever was waiting; the shell's code for it (128 + SIGINT).
        print(gettext(N_("learnsoc: interrupted"), locale), file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`learnsoc demo | head`): not an error. Point stdout at
        # devnull so the interpreter's final flush does not raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (LearnsocError, OSError) as exc:
        if args.debug or os.environ.get("LEARNSOC_DEBUG") == "1":
            raise
        prefix = gettext(N_("learnsoc: error: {message}"), locale)
        print(prefix.format(message=one_line(exc, locale)), file=sys.stderr)
        note_sheet_per_file(exc, args)
        # The notes added on the way up (PEP 678: the Dask worker, the partition) say
        # where it happened; a traceback would show them, the one line does not.
        for note in getattr(exc, "__notes__", ()):
            worker = worker_of(note)
            text = note_text(note, locale) if worker is None else on_worker(exc, worker, locale)
            print("  " + " ".join(text.split()), file=sys.stderr)
        if isinstance(exc, LevelsError):
            # A units file that as a whole does not fit the levels the user gave (--levels
            # or the mapping file's levels) is in how it was called (exit 2); a level left
            # empty by bad cells, or by the default tree, is the data's fault (exit 1).
            given = exc.levels_given or bool(getattr(args, "levels", None))
            return 2 if exc.whole_file and given else 1
        return exit_code(exc)
