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
import contextlib
import datetime as dt
import os
import shlex
import sys
import time
import warnings
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from numpy.typing import NDArray

from learnsoc._messages import Message
from learnsoc._translation import localized_hint, vietnamese_date
from learnsoc._version import __version__
from learnsoc.errors import (
    LearnsocError,
    LearnsocWarning,
    LevelsError,
    Note,
    OptionalDependencyError,
    RulebookError,
    SchemaError,
    Translatable,
    note_text,
)
from learnsoc.i18n import (
    LOCALES,
    N_,
    LocaleError,
    format_date,
    format_decimal,
    format_integer,
    gettext,
    ngettext,
    normalize_locale,
    parse_date,
    use_locale,
)
from learnsoc.io.rejects import join_rejects
from learnsoc.model.hierarchy import PRESETS, level_named

if TYPE_CHECKING:
    from learnsoc.aggregate.rollup import Rollup
    from learnsoc.io.dataset import Dataset
    from learnsoc.io.rejects import FileRejects
    from learnsoc.model.population import Population
    from learnsoc.rejects import Rejects

__all__ = ["build_parser", "main"]

_EPILOG = (
    "exit codes: 0 ok; 1 data problems (rows rejected, checks failed); "
    "2 usage or configuration errors. Run 'learnsoc COMMAND --help' for a command's options."
)
_FORMATS = ("text", "markdown", "html", "csv", "json")


class UsageError(Exception):
    """A command line that cannot be run as given (exit code 2)."""


def _usage(message: str, **values: Any) -> UsageError:
    """Return a usage error whose message (a catalog id) is in the command's language.

    Its "did you mean" hint too (``did_you_mean`` writes English).
    """
    return UsageError(localized_hint(gettext(message).format(**values), None))


def _level_choice(text: str, choices: Sequence[str]) -> str:
    """Return the level a level option names, in either language (``xã``), else the text."""
    return level_named(text, choices) or text


def _level_hint(text: str, choices: Sequence[str]) -> str:
    """Return the hint for an unknown level (see :func:`learnsoc.io.inputs.unknown_level_hint`)."""
    from learnsoc.io.inputs import unknown_level_hint

    return unknown_level_hint(text, choices)


def _date(text: str, option: str) -> str:
    """Return an option's date as ISO text, or raise a usage error that shows the forms."""
    day = parse_date(text)
    if day is None:
        raise _usage(
            N_(
                "{option}: {value!r} is not a date; write it dd/mm/yyyy (31/12/2025) "
                "or yyyy-mm-dd (2025-12-31)"
            ),
            option=option,
            value=text,
        )
    return day.isoformat()


# -- the parser -------------------------------------------------------------------------


def _common(locale: str = "en") -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--locale",
        default=locale,
        choices=LOCALES,
        help="language of the output (default: LEARNSOC_LOCALE, else LANG, else en)",
    )
    common.add_argument(
        "--quiet",
        action="store_true",
        # Warnings stay: they say the figures are partial or suspect, which a script's
        # log must keep (docs/cli.md).
        help="no progress bars, counts or notes: only warnings and the final check line",
    )
    # SUPPRESS: a --debug given before the command must not be reset by the subcommand.
    common.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks"
    )
    return common


def _inputs() -> argparse.ArgumentParser:
    inputs = argparse.ArgumentParser(add_help=False)
    files = inputs.add_argument_group("input files (CSV, Excel .xlsx, Parquet, Arrow)")
    files.add_argument("persons", nargs="?", help="the persons file")
    files.add_argument("--households", metavar="FILE", help="the households file")
    files.add_argument(
        "--units",
        "--hierarchy",
        dest="units",
        metavar="FILE",
        help="the administrative units file (code, name, level, parent_code)",
    )
    files.add_argument("--clans", metavar="FILE", help="the clans file")
    files.add_argument("--organisations", metavar="FILE", help="the organisations file")
    files.add_argument("--memberships", metavar="FILE", help="organisation memberships")
    files.add_argument(
        "--mapping",
        metavar="FILE",
        help="mapping file (TOML): the agency's column names and codes onto learnsoc's",
    )
    how = inputs.add_argument_group("reading")
    how.add_argument(
        "--levels",
        help="levels of the units file, top first: a preset (vn-2025, vn-pre-2025) or "
        "comma-separated names (default: the mapping file's, else vn-2025)",
    )
    how.add_argument(
        "--reference-year",
        type=int,
        help="year ages refer to (on 31 December), when files give birth_year or birth_date",
    )
    how.add_argument("--delimiter", help="CSV separator (default: detected; ',' ';' '|' or 'tab')")
    how.add_argument(
        "--decimal", choices=(".", ","), help="decimal mark of numbers in CSV files (default .)"
    )
    how.add_argument(
        "--encoding",
        help="encoding of the CSV files that are not UTF-8, e.g. cp1258 (default UTF-8, with "
        "or without BOM; a file saved as UTF-8 is read as UTF-8 whatever this says)",
    )
    how.add_argument(
        "--engine",
        default="auto",
        choices=("auto", "pyarrow", "python"),
        help="CSV parser (default: pyarrow when installed)",
    )
    how.add_argument(
        "--sheet",
        metavar="[FILE=]NAME|N",
        type=_sheet,
        action=_SheetAction,
        help="Excel files: the sheet to read, by name or number (1 = first), in every "
        "workbook, or in one with FILE=NAME|N (repeatable); default: the first sheet if it "
        "holds the table, else the only sheet that does",
    )
    how.add_argument(
        "--header-row",
        metavar="N",
        type=_row_number,
        help="Excel files: the row holding the column names (1 = first; default the first "
        "row that is not empty), for a title above the header",
    )
    how.add_argument(
        "--ignore-unknown-columns",
        action="store_true",
        help="skip columns learnsoc does not know instead of stopping",
    )
    checks = inputs.add_argument_group("rejects")
    checks.add_argument(
        "--rejects",
        metavar="FILE",
        help="write every rejected row (file, line, column, value, reason, message) "
        "to FILE (.csv, .parquet, .json or .xlsx)",
    )
    checks.add_argument("--strict", action="store_true", help="stop at the first problem")
    return inputs


def _sheet(text: str) -> tuple[str, str | int]:
    """Read ``[FILE=]SHEET``: the file (``"*"``: every workbook) and its sheet.

    A sheet is given by number (1 = first, as Excel users count) or by name; text before
    the first ``=`` names a file (so a sheet whose name holds ``=`` is given per file).
    """
    file, given, sheet = text.partition("=")
    if not given:
        return "*", _sheet_of(text)
    if not file.strip():
        msg = gettext(N_("give the file before '=' (FILE=NAME|N)"))
        raise argparse.ArgumentTypeError(msg)
    return file.strip(), _sheet_of(sheet)


def _sheet_of(text: str) -> str | int:
    """Read a sheet given by number (1 = first, as Excel users count) or by name."""
    text = text.strip()
    if text.isdigit():
        if int(text) < 1:
            msg = gettext(N_("sheets are numbered from 1, got {text}")).format(text=text)
            raise argparse.ArgumentTypeError(msg)
        return int(text) - 1
    if not text:
        msg = gettext(N_("give a sheet name or number"))
        raise argparse.ArgumentTypeError(msg)
    return text


class _SheetAction(argparse.Action):
    """Collect ``--sheet`` values: ``{"*": sheet of every workbook, file: its sheet}``."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        file, sheet = values
        chosen = dict(getattr(namespace, self.dest, None) or {})
        if chosen.get(file, sheet) != sheet:
            if file == "*":
                msg = gettext(N_("two sheets for every workbook; give FILE=NAME|N for one"))
            else:
                msg = gettext(N_("two sheets for {file}")).format(file=file)
            raise argparse.ArgumentError(self, msg)
        chosen[file] = sheet
        setattr(namespace, self.dest, chosen)


def _sheets(args: argparse.Namespace, files: Mapping[str, str | None]) -> dict[str, Any]:
    """Return the sheet of each table's file (``--sheet``); a key naming no file is misuse."""
    from learnsoc.io.files import FileFormatError
    from learnsoc.io.population import sheets_for

    try:
        return sheets_for(args.sheet, files)
    except FileFormatError as exc:
        msg = f"--sheet: {exc.localized()}"
        raise UsageError(msg) from None


def _row_number(text: str) -> int:
    """Read a row number of a sheet (1 = first)."""
    from learnsoc.limits import MAX_SHEET_ROWS

    if not text.strip().isdigit() or not 1 <= int(text) <= MAX_SHEET_ROWS:
        msg = gettext(N_("a row number from 1 to {limit}, got {text!r}")).format(
            limit=format_integer(MAX_SHEET_ROWS), text=text
        )
        raise argparse.ArgumentTypeError(msg)
    return int(text)


def _rulebook_options(parser: argparse.ArgumentParser, required: bool) -> None:
    parser.add_argument(
        "--rulebook",
        required=required,
        help="bundled rulebook id (see 'learnsoc rulebooks') or a rulebook .toml file",
    )
    parser.add_argument(
        "--as-of",
        required=required,
        metavar="DATE",
        help="date whose criteria apply: dd/mm/yyyy or yyyy-mm-dd (31/12/2025, 2025-12-31)",
    )
    parser.add_argument(
        "--inputs",
        action="append",
        metavar="[LEVEL=]FILE",
        help="the values evaluators recorded for the rulebook's inputs at one level: a "
        "file with the units' code (or the entities' id) and one column per input, e.g. "
        "--inputs commune=communes.csv --inputs province=province.csv (repeat per level; "
        "without LEVEL= the level is the one whose inputs the columns are)",
    )
    parser.add_argument(
        "--titles",
        metavar="ID[,ID...]",
        help="evaluate only these titles of the rulebook, with the titles and variables "
        "they are decided from (e.g. learning_citizen,learning_family): faster, and only "
        "the columns they read are needed",
    )


def _positive(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        msg = gettext(N_("{value!r} is not a whole number of 1 or more")).format(value=text)
        raise argparse.ArgumentTypeError(msg)
    return int(text)


def _dataset_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "a dataset folder (written by learnsoc.write_dataset) in place of the persons file"
    )
    how = group.add_mutually_exclusive_group()
    how.add_argument(
        "--workers",
        type=_positive,
        metavar="N",
        help="evaluate the partitions in N local processes (default: in this one, see --threads)",
    )
    how.add_argument(
        "--threads",
        type=_positive,
        metavar="N",
        help="evaluate N partitions at once in this process, each in a thread; memory is "
        "that of N partitions (default: the cores, at most 2, for partitions of a million "
        "persons or more on average; 1: one after the other)",
    )
    how.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="evaluate the partitions on a Dask cluster, e.g. tcp://host:8786 (extra "
        "'dask'); every worker must read the dataset folder under the same path",
    )


def build_parser(locale: str = "en") -> argparse.ArgumentParser:
    """Return the argument parser of the ``learnsoc`` command (also used by the docs).

    The help is in ``locale``, and ``--locale`` defaults to it. argparse's own words
    ("usage:", "options") are translated only inside :func:`_argparse_words`, as
    :func:`main` builds it.

    Examples
    --------
    >>> build_parser("vi").parse_args(["rulebooks"]).locale
    'vi'
    """
    parser = _build_parser(locale)
    if locale != "en":
        for owner, attr in _parser_texts(parser):
            setattr(owner, attr, gettext(getattr(owner, attr), locale))
        for action in _parser_actions(parser):
            _translate_metavar(action, locale)
    return parser


#: The placeholders of the usage lines, in words a reader reads (vi: ``--out TỆP``), as
#: the catalogs' messages write them; a placeholder not listed (``N``) stays as it is.
_METAVARS = {
    "ADDRESS": N_("ADDRESS"),
    "COLUMNS": N_("COLUMNS"),
    "COMMAND": N_("COMMAND"),
    "DATE": N_("DATE"),
    "DELIMITER": N_("DELIMITER"),
    "DIR": N_("DIR"),
    "ENCODING": N_("ENCODING"),
    "FILE": N_("FILE"),
    "FOLDER": N_("FOLDER"),
    "ID[,ID...]": N_("ID[,ID...]"),
    "LEVEL": N_("LEVEL"),
    "LEVELS": N_("LEVELS"),
    "PERSONS": N_("PERSONS"),
    "REFERENCE_YEAR": N_("REFERENCE_YEAR"),
    "RULEBOOK": N_("RULEBOOK"),
    "SEED": N_("SEED"),
    "SHARE": N_("SHARE"),
    "TARGETS": N_("TARGETS"),
    "YEAR": N_("YEAR"),
    "[FILE=]NAME|N": N_("[FILE=]NAME|N"),
    "[LEVEL=]FILE": N_("[LEVEL=]FILE"),
    "persons": N_("PERSONS_FILE"),
}


def _parser_actions(parser: argparse.ArgumentParser) -> Iterator[argparse.Action]:
    """Yield every action of a parser and its subcommands, each once."""
    seen: set[int] = set()
    stack = [parser]
    while stack:
        p = stack.pop()
        for action in p._actions:
            if id(action) not in seen:
                seen.add(id(action))
                yield action
            if isinstance(action, argparse._SubParsersAction):
                stack.extend(action.choices.values())


def _translate_metavar(action: argparse.Action, locale: str) -> None:
    """Name an action's placeholder in ``locale``; the value it stores keeps its ``dest``."""
    if action.nargs == 0 or (action.metavar is None and action.choices is not None):
        return  # a flag, or a choice argparse spells out ({en,vi})
    metavar = action.metavar
    if metavar is None:  # argparse's own: the dest, upper-cased for an option
        metavar = action.dest.upper() if action.option_strings else action.dest
    if isinstance(metavar, str) and metavar in _METAVARS:
        action.metavar = gettext(_METAVARS[metavar], locale)


def _build_parser(locale: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="learnsoc",
        description="Learning-society metrics (xã hội học tập): titles, rollups, targets, reports.",
        epilog=_EPILOG,
    )
    parser.add_argument("--version", action="version", version=f"learnsoc {__version__}")
    parser.add_argument("--debug", action="store_true", help="show full tracebacks on errors")
    parser.add_argument(
        "--locale",
        default=locale,
        choices=LOCALES,
        help="language of the output and the help (default: LEARNSOC_LOCALE, else LANG, else en)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = sub.add_parser(
        "demo",
        help="the whole path on a synthetic province: titles, rollup, progress to targets",
        description="Build a deterministic synthetic province and validate it, decide every "
        "title with the national rulebook (evaluator-recorded criteria drawn at random), roll "
        "the counts up the tree and print the progress report against the targets.",
    )
    demo.add_argument(
        "--persons", type=int, default=200_000, help="number of persons (default 200,000)"
    )
    demo.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    demo.add_argument(
        "--hierarchy",
        default="vn-2025",
        choices=["vn-2025", "vn-pre-2025"],
        help="administrative tree: after (vn-2025) or before (vn-pre-2025) the 2025 reform",
    )
    demo.add_argument("--locale", default=locale, choices=LOCALES, help="language of the output")
    demo.add_argument(
        "--year",
        type=int,
        default=None,
        help="year assessed: titles as of 31 December (default 2025 on vn-2025, 2024 on "
        "vn-pre-2025: the last year-end each tree was in force)",
    )
    demo.add_argument("--rulebook", default="vn-national", help="bundled rulebook or .toml path")
    demo.add_argument("--targets", default="hanoi-23-nq-tu", help="bundled target set or path")
    demo.add_argument(
        "--level", default="province", help="level of the progress report (default province)"
    )

    common, inputs = _common(locale), _inputs()
    sub.add_parser(
        "validate",
        parents=[inputs, common],
        help="read and check input files; write the rejected rows",
        description="Read persons, households and units files, check every row against the "
        "schema, and report (and with --rejects write) every rejected row with its file, "
        "line, column, value and reason. Exit code 1 if any row was rejected.",
        epilog=_EPILOG,
    )
    evaluate = sub.add_parser(
        "evaluate",
        parents=[inputs, common],
        help="decide the titles of a rulebook for the population in the files",
        description="Read the files, decide every title of a rulebook as of a date, print "
        "the counts per title and write the verdicts (one row per entity and title). Every "
        "column is read and checked, as 'validate', 'report' and 'dataset' do, so a row "
        "rejected there is rejected here and the counts are the same (see "
        "--rulebook-columns).",
        epilog=_EPILOG,
    )
    _rulebook_options(evaluate, required=True)
    evaluate.add_argument(
        "--out",
        metavar="FILE",
        help="verdicts file (.parquet, .csv, .json or .xlsx); for a dataset folder, a new "
        "folder for the summary, title counts, rollup and verdicts",
    )
    _dataset_options(evaluate)
    evaluate.add_argument(
        "--rulebook-columns",
        action="store_true",
        help="read and check only the columns that the rulebook's versions in force on "
        "--as-of read (faster on wide files); a bad value in another column then rejects "
        "nobody, so the counts may differ from those of 'validate', 'report' and a dataset",
    )
    # The default since every column is checked; kept so that scripts giving it still run.
    evaluate.add_argument("--all-columns", action="store_true", help=argparse.SUPPRESS)
    roll = sub.add_parser(
        "rollup",
        parents=[inputs, common],
        help="the counts of every unit at every level (titles, persons, households ...)",
        description="Read a population (from files, evaluated with a rulebook) or per-unit "
        "counts (--counts, with --units), add the counts up the administrative tree and "
        "write one row per unit and level plus a total row: level, code, name, "
        "parent_code and one column per measure (the counts the reports divide).",
        epilog=_EPILOG,
    )
    _rulebook_options(roll, required=False)
    roll.add_argument(
        "--counts",
        metavar="FILE",
        help="per-unit counts (unit_code and count columns) instead of persons files",
    )
    roll.add_argument(
        "--level",
        metavar="LEVELS",
        help="levels of the rows, comma-separated, by id or name (commune or xã; 'total' for the "
        "whole data; default: all)",
    )
    roll.add_argument(
        "--by",
        metavar="COLUMNS",
        help="break the person counts down by coded person columns, comma-separated (e.g. "
        "sex: columns persons_female, learning_citizens_female ... beside the totals); with "
        "--counts, from such columns of the counts file",
    )
    roll.add_argument(
        "--out",
        required=True,
        metavar="FILE",
        help="the rollup file (.csv, .xlsx, .parquet or .json)",
    )
    report = sub.add_parser(
        "report",
        parents=[inputs, common],
        help="a results table, or progress towards a target set, from files or per-unit counts",
        description="Read a population (from files, evaluated with a rulebook) or per-unit "
        "counts (--counts, with --units) and write the results table: for each unit and "
        "indicator the achieved count, the total and the rate, and what the rate is of. "
        "With --targets, write the progress towards that target set instead.",
        epilog=_EPILOG,
    )
    _rulebook_options(report, required=False)
    _dataset_options(report)
    report.add_argument(
        "--counts",
        metavar="FILE",
        help="per-unit counts (unit_code and count columns such as families, "
        "learning_families) instead of persons and households files",
    )
    report.add_argument(
        "--targets",
        help="bundled target set id (see 'learnsoc targets') or file: report progress "
        "towards it (without: the results table)",
    )
    report.add_argument(
        "--year",
        type=int,
        help="with --targets, the target year to assess (default: the next one); "
        "without, the year the data are of (shown in the title)",
    )
    report.add_argument(
        "--indicators",
        metavar="A,B",
        help="indicator ids, comma-separated (default: every one the data measure, "
        "or the target set's); e.g. learning_families,learning_citizens",
    )
    report.add_argument(
        "--level",
        metavar="LEVELS",
        help="levels of the rows, comma-separated, by id or name (commune or xã; 'total' for the "
        "whole data; default: every level, and the total over several provinces; each target's "
        "level with --targets)",
    )
    report.add_argument(
        "--decimals",
        metavar="N|A=N,B=N",
        help="decimals shown: one number for every indicator, or per indicator "
        "(learning_families=2,learning_units=0); default each indicator's own",
    )
    report.add_argument(
        "--by",
        metavar="COLUMNS",
        help="break the totals down by coded person columns, comma-separated (e.g. sex: "
        "'of which female' rows); with --counts, from columns such as "
        "learning_citizens_female and persons_female",
    )
    report.add_argument(
        "--completeness",
        type=float,
        default=1.0,
        metavar="SHARE",
        help="with --targets, the share (0 to 1) of units that must have reported for a "
        "status to be 'met' (default 1: every unit; else 'met on 1 of 2 communes')",
    )
    report.add_argument(
        "--format",
        choices=_FORMATS,
        help="report format (default: from --out's extension: .txt, .md, .html, .csv or "
        ".json; text on the screen)",
    )
    report.add_argument(
        "--out",
        metavar="FILE",
        help="write the report here instead of stdout (.txt, .md, .html, .csv, .json or "
        ".xlsx, or any other name with --format)",
    )
    report.add_argument(
        "--rounding",
        default="half_up",
        choices=("half_up", "half_even", "truncate"),
        help="rounding of displayed percentages (default half_up)",
    )
    _synth_parser(sub, common)
    _dataset_parser(sub, common)
    sub.add_parser(
        "rulebooks",
        parents=[common],
        help="list the bundled rulebooks, with their sources and dates",
        description="List the bundled rulebooks: id, name, issuer, version, dates, documents.",
    )
    sub.add_parser(
        "targets",
        parents=[common],
        help="list the bundled target sets, with their sources and years",
        description="List the bundled target sets: id, document, issuer, date and years.",
    )
    return parser


def _synth_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    synth = sub.add_parser(
        "synth",
        parents=[common],
        help="write a synthetic partitioned dataset of any size, one partition in memory at a time",
        description="Write a synthetic population shaped like Vietnam (as 'demo' builds one) "
        "as a partitioned Parquet dataset, one partition in memory at a time, so its size is "
        "not bounded by memory; read it with learnsoc.read_dataset and evaluate it with "
        "learnsoc.evaluate_dataset. The same --seed writes the same files.",
        epilog=_EPILOG,
    )
    synth.add_argument(
        "--persons", type=int, required=True, help="number of persons (e.g. 100000000)"
    )
    synth.add_argument(
        "--out",
        dest="folder",
        metavar="DIR",
        required=True,
        help="a new or empty folder for the dataset",
    )
    synth.add_argument(
        "--partition-by",
        default=None,
        metavar="LEVEL",
        help="the level whose units are the partitions: province (the default) or commune",
    )
    synth.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    synth.add_argument(
        "--hierarchy",
        default="vn-2025",
        choices=["vn-2025", "vn-pre-2025"],
        help="administrative tree: after (vn-2025) or before (vn-pre-2025) the 2025 reform",
    )
    synth.add_argument(
        "--bars",
        action="store_true",
        help="a progress bar with one step per partition, also when the output is not a terminal",
    )


#: The files ``learnsoc dataset`` reads in each folder, by table: the names they may have
#: without extension, compared without accents, case or separators (``Nhân khẩu.xlsx``,
#: ``nhan-khau.csv`` and ``NHAN_KHAU.CSV`` are the persons), as agencies name their files.
_FOLDER_TABLES: Mapping[str, tuple[str, ...]] = {
    "persons": ("persons", "nhan_khau"),
    "households": ("households", "ho_gia_dinh", "ho"),
    "clans": ("clans", "dong_ho"),
    "organisations": ("organisations", "organizations", "co_quan_don_vi", "co_quan"),
    "memberships": ("memberships", "thanh_vien"),
}
#: Their extensions (as read_population reads them).
_FOLDER_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".parquet", ".arrow")


def _dataset_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    build = sub.add_parser(
        "dataset",
        parents=[common],
        help="build a partitioned dataset from folders of files, one folder in memory at a time",
        description="Read each folder's files (a province's persons, households, clans, "
        "organisations and memberships) with the national units table, and write them as "
        "a partitioned Parquet dataset, one folder in memory at a time; evaluate it with "
        "'learnsoc evaluate DIR'. A line per partition written; rows rejected in any file "
        "stop the dataset (none is written) unless --drop-rejected. Exit code 1 if any row "
        "was rejected.",
        epilog=_EPILOG,
    )
    build.add_argument(
        "sources",
        nargs="+",
        metavar="FOLDER",
        help="a folder holding whole partitions (a province's files): persons and "
        "households files, and clans, organisations and memberships when there are some, "
        "named persons.csv, households.xlsx ... (.csv, .txt, .tsv, .xlsx, .parquet or .arrow)",
    )
    build.add_argument(
        "--out",
        dest="folder",
        metavar="DIR",
        required=True,
        help="a new or empty folder for the dataset",
    )
    build.add_argument(
        "--partition-by",
        default=None,
        metavar="LEVEL",
        help="the level whose units are the partitions, by its id or its name (commune, xã, "
        "Phường; default: the top level, province)",
    )
    build.add_argument(
        "--rulebook",
        help="a rulebook whose inputs the files hold as columns (the households' "
        "children_results_good, the organisations' learning_plan ...): bundled id or .toml "
        "file; they are then checked and kept in the dataset, as 'report --rulebook' reads them",
    )
    build.add_argument(
        "--drop-rejected",
        action="store_true",
        help="when rows are rejected, write the dataset with the rows accepted (the "
        "rejected ones go to --rejects; the exit code is 1); without it, no dataset is "
        "written",
    )
    # The reading options of validate and evaluate, with the same words (--units,
    # --mapping, --levels, --encoding, --sheet ... --rejects, --strict).
    borrowed = {"units", "mapping", "rejects", "strict"}
    for group in _inputs()._action_groups:
        mine = None
        for action in group._group_actions:
            if group.title == "reading" or action.dest in borrowed:
                if mine is None:
                    mine = build.add_argument_group(group.title)
                mine._add_action(action)


def _parser_texts(parser: argparse.ArgumentParser) -> Iterator[tuple[Any, str]]:
    """Yield (object, attribute) for every text of a parser that a person reads.

    Descriptions, epilogs, group titles and help strings, of the parser and its
    subcommands; each object once (parsers made with ``parents=`` share actions).
    """
    seen: set[int] = set()

    def texts(owner: Any, *attrs: str) -> Iterator[tuple[Any, str]]:
        for attr in attrs:
            value = getattr(owner, attr, None)
            if isinstance(value, str) and value and value != argparse.SUPPRESS:
                key = id(owner) * 31 + hash(attr)
                if key not in seen:
                    seen.add(key)
                    yield owner, attr

    def walk(p: argparse.ArgumentParser) -> Iterator[tuple[Any, str]]:
        yield from texts(p, "description", "epilog")
        for group in p._action_groups:
            yield from texts(group, "title", "description")
        for action in p._actions:
            yield from texts(action, "help")
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    yield from texts(choice, "help")
                for child in action.choices.values():
                    yield from walk(child)

    yield from walk(parser)


def help_messages() -> list[str]:
    """Return the English texts of ``learnsoc --help`` and every command's help.

    ``scripts/catalogs.py`` adds them to the catalogs, so the help is translated like
    every other message without marking each help string in the code.

    Examples
    --------
    >>> "show tracebacks" in help_messages()
    True
    """
    parser = _build_parser("en")
    return sorted({getattr(o, a) for o, a in _parser_texts(parser)})


# argparse's own words: it looks them up with gettext.gettext, which knows nothing of
# learnsoc's catalogs, so _argparse_words points argparse's gettext at them.
_ARGPARSE_WORDS = (
    N_("usage: "),
    N_("options"),
    N_("positional arguments"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("expected one argument"),
    N_("expected at least one argument"),
    N_("invalid %(type)s value: %(value)r"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
)


@contextlib.contextmanager
def _argparse_words(locale: str) -> Iterator[None]:
    """Translate argparse's own words ("usage:", "error:") into ``locale`` in the block."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]

    def plural(singular: str, plural: str, n: int) -> str:
        return ngettext(singular, plural, n, locale)

    setattr(argparse, "_", lambda message: gettext(message, locale))  # noqa: B010
    setattr(argparse, "ngettext", plural)  # noqa: B010
    try:
        yield
    finally:
        setattr(argparse, "_", saved[0])  # noqa: B010
        setattr(argparse, "ngettext", saved[1])  # noqa: B010


#: Where the language comes from when ``--locale`` is not given, first set first.
LOCALE_VARIABLES = ("LEARNSOC_LOCALE", "LC_ALL", "LC_MESSAGES", "LANG")


def resolve_locale(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> str:
    """Return the language of a command line: ``--locale``, else the environment.

    The order: ``--locale`` on the command line; else ``LEARNSOC_LOCALE``; else the
    environment's locale (``LC_ALL``, then ``LC_MESSAGES``, then ``LANG``, the first
    that is set, as POSIX programs read them) when it is Vietnamese (``vi_VN.UTF-8``);
    else English. A ``--locale`` or ``LEARNSOC_LOCALE`` that learnsoc has no catalog for
    is an error; another language in ``LANG`` (``fr_FR.UTF-8``, ``C``) means English.

    Raises
    ------
    LocaleError
        If ``--locale`` or ``LEARNSOC_LOCALE`` names a language learnsoc does not have.

    Examples
    --------
    >>> resolve_locale(["report", "--locale", "vi"], {})
    'vi'
    >>> resolve_locale(["report"], {"LEARNSOC_LOCALE": "vi", "LANG": "en_US.UTF-8"})
    'vi'
    >>> resolve_locale(["report"], {"LANG": "vi_VN.UTF-8"})
    'vi'
    >>> resolve_locale(["report"], {"LC_ALL": "C", "LANG": "vi_VN.UTF-8"})
    'en'
    """
    env = os.environ if environ is None else environ
    given: str | None = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--locale" and i + 1 < len(argv):
            given = argv[i + 1]
        elif arg.startswith("--locale="):
            given = arg.partition("=")[2]
    if given is not None:
        # A bad --locale is argparse's to report (with the choices), in English.
        return given if given in LOCALES else "en"
    if env.get("LEARNSOC_LOCALE"):
        return normalize_locale(env["LEARNSOC_LOCALE"])
    for name in LOCALE_VARIABLES[1:]:
        value = env.get(name)
        if value:
            try:
                return normalize_locale(value)
            except LocaleError:
                return "en"
    return "en"


# -- shared steps -----------------------------------------------------------------------


def _say(args: argparse.Namespace, text: str) -> None:
    """Print a message (not data) on stderr, unless ``--quiet``."""
    if not args.quiet:
        print(text, file=sys.stderr)


def _persons_exist(args: argparse.Namespace) -> None:
    """Say first that the folder (or file without an extension) read does not exist.

    Which command runs depends on what the path is (a persons file, a dataset, a results
    folder), so a mistyped ``ketqua/`` was said as what that command then lacked: "a
    report from files needs --rulebook and --as-of", "give the persons file and
    --households", "--out: the name has no extension".
    """
    path = getattr(args, "persons", None)
    # A file's name (nhan_khau.csv) is checked when it is read, after the outputs.
    if isinstance(path, str) and not Path(path).suffix and not Path(path).exists():
        raise _usage(N_("{path}: no such file or folder"), path=path)


def _existing(path: str | None, option: str) -> str | None:
    if path is not None and not Path(path).is_file():
        raise _usage(N_("{option}: no such file: {path}"), option=option, path=path)
    return path


#: The options that name files a command reads (``dest`` names).
_INPUT_DESTS = (
    "persons",
    "households",
    "units",
    "clans",
    "organisations",
    "memberships",
    "mapping",
    "counts",
    "rulebook",
    "targets",
)


def _input_paths(args: argparse.Namespace) -> list[str]:
    """Return the files the command reads (a rulebook or target id names no file)."""
    paths = []
    for dest in _INPUT_DESTS:
        value = getattr(args, dest, None)
        if value is None or (dest in ("rulebook", "targets") and not Path(value).is_file()):
            continue
        paths.append(str(value))
    paths.extend(path for _, path in _inputs_files(args))
    saved = _results_path(args)
    if saved is not None:
        # A report written over the files it is made from would end the results.
        paths.extend(str(saved / name) for name in _RESULTS_FILES)
        paths.extend(str(saved / name) for name in ("units.parquet", "rollup.csv"))
    return paths


def _inputs_files(args: argparse.Namespace) -> list[tuple[str | None, str]]:
    """Return ``--inputs`` as (level or None, file) pairs."""
    out: list[tuple[str | None, str]] = []
    for item in getattr(args, "inputs", None) or ():
        level, sep, path = item.partition("=")
        # A file name may hold "=": only a leading identifier (or words: "cấp xã") is a level.
        if sep and level.strip().replace(" ", "").isidentifier() and path.strip():
            out.append((level.strip(), path.strip()))
        else:
            out.append((None, item.strip()))
    return out


def _outputs(args: argparse.Namespace) -> list[tuple[str, str, Mapping[str, str] | None]]:
    """Return (option, path, formats by extension or None for any) for each output."""
    from learnsoc.io.writers import TABLE_FORMATS

    out: list[tuple[str, str, Mapping[str, str] | None]] = []
    if getattr(args, "out", None) and args.command == "evaluate" and _dataset_folder(args):
        pass  # a folder: checked by _results_folder
    elif getattr(args, "out", None):
        if args.command == "report":
            out.append(("--out", args.out, None if args.format else _REPORT_SUFFIXES))
        else:
            out.append(("--out", args.out, TABLE_FORMATS))
    if getattr(args, "rejects", None):
        out.append(("--rejects", args.rejects, TABLE_FORMATS))
    return out


def _check_outputs(args: argparse.Namespace) -> None:
    """Refuse bad output files before anything is read or written (exit code 2)."""
    from learnsoc.io.writers import OutputPathError, check_output, output_format, same_file

    outputs = _outputs(args)
    inputs = _input_paths(args)
    for i, (option, path, formats) in enumerate(outputs):
        if formats is not None:
            try:
                fmt = output_format(path, formats)
            except OutputPathError as exc:
                hint = gettext(N_(" (or give --format)")) if formats is _REPORT_SUFFIXES else ""
                msg = f"{option}: {exc.localized()}{hint}"
                raise UsageError(msg) from None
            if fmt == "parquet":
                _needs_pyarrow()
            elif fmt == "xlsx":
                _needs_openpyxl()
        elif Path(path).suffix.lower() == ".xlsx":
            # --format with an Excel name: a text report under that name no program opens.
            raise _usage(
                N_("{option}: an .xlsx file is an Excel workbook; leave out --format {format}"),
                option=option,
                format=args.format,
            )
        try:
            check_output(path, inputs)
        except OutputPathError as exc:
            msg = f"{option}: {exc.localized()}"
            raise UsageError(msg) from None
        for other_option, other, _ in outputs[:i]:
            if same_file(path, other):
                raise _usage(
                    N_(
                        "{option}: cannot write {path!r}: it is also the {other_option} file "
                        "{other!r}; give each output its own name"
                    ),
                    option=option,
                    path=path,
                    other_option=other_option,
                    other=other,
                )
        _writable_folder(option, path)


def _needs_pyarrow() -> None:
    import importlib.util

    if importlib.util.find_spec("pyarrow") is None:
        raise OptionalDependencyError("pyarrow", "parquet", N_("writing Parquet files"))


def _needs_openpyxl() -> None:
    import importlib.util

    if importlib.util.find_spec("openpyxl") is None:
        raise OptionalDependencyError("openpyxl", "excel", N_("writing .xlsx files"))


def _writable_folder(option: str, path: str) -> None:
    """Refuse an output whose folder cannot be created or written."""
    folder = Path(path).absolute().parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise _usage(
            N_("{option}: cannot write {path!r}: {folder!r} is a file, not a folder"),
            option=option,
            path=path,
            folder=str(folder),
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise _usage(
            N_("{option}: cannot write {path!r}: the folder {folder!r} is not writable"),
            option=option,
            path=path,
            folder=str(folder),
        )


def _levels(text: str | None) -> str | list[str] | None:
    from learnsoc.model.hierarchy import PRESETS

    if text is None or text in PRESETS:
        return text
    return [t.strip() for t in text.split(",") if t.strip()]


def _delimiter(text: str | None) -> str | None:
    from learnsoc.io.files import named_delimiter

    try:
        return named_delimiter(text)
    except ValueError:
        raise _usage(
            N_("--delimiter {delim!r} is not one of ',', ';', '|', 'tab' or 'auto'"), delim=text
        ) from None


def _read(
    args: argparse.Namespace, schema: Any = None, columns: Collection[str] | None = None
) -> Population:
    if args.persons is None or args.households is None:
        raise _usage(N_("give the persons file and --households (and --units)"))
    if args.units is None:
        raise _usage(N_("give the administrative units file with --units"))
    for option in ("persons", "households", "units", "clans", "organisations", "memberships"):
        _existing(getattr(args, option), option if option == "persons" else f"--{option}")
    _existing(args.mapping, "--mapping")
    # Warnings while reading (a UTF-8 file read as UTF-8 despite --encoding, words read as
    # missing values) are messages for the user, not Python's "file:line: Warning" lines.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", LearnsocWarning)
        try:
            return _read_files(args, schema, columns)
        finally:
            _caught(caught)


def _bars(args: argparse.Namespace) -> bool | None:
    """Bars on a terminal (tqdm decides), never with --quiet."""
    return False if getattr(args, "quiet", False) else None


def _reading_options(args: argparse.Namespace) -> dict[str, Any]:
    """Return the options of ``read_population`` that the reading flags set (one place)."""
    return {
        "mapping": args.mapping,
        "reference_year": args.reference_year,
        "strict": args.strict,
        "delimiter": _delimiter(args.delimiter),
        "decimal": args.decimal,
        "encoding": args.encoding,
        "engine": args.engine,
        "unknown_columns": "ignore" if args.ignore_unknown_columns else None,
        "bars": _bars(args),
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
    _sheets(args, {option.removesuffix("s"): getattr(args, option) for option in options})
    return read_population(
        args.persons,
        households=args.households,
        units=args.units,
        clans=args.clans,
        organisations=args.organisations,
        memberships=args.memberships,
        schema=schema if schema is not None else STANDARD_SCHEMA,
        levels=_levels(args.levels),
        columns=columns,
        **_reading_options(args),
    )


def _sizes(pop: Population) -> dict[str, int]:
    """Count what the population actually holds, table by table."""
    return {
        "unit": len(pop.hierarchy),
        "household": pop.n_households,
        "clan": pop.n_clans,
        "person": pop.n_persons,
        "organisation": pop.n_organisations,
        "membership": len(pop.member_person),
    }


#: Lines of the per-reason summary of rejects on the console; the rest are summed up.
MAX_REASON_LINES = 20


def _reject_lines(rejects: Rejects, locale: str) -> list[str]:
    """Count the rejected rows by table, reason and column, most frequent first.

    Columns are named as the files' headers write them (``Tuổi``, not ``age``).
    """
    from learnsoc.rejects import reason_label, table_label

    sources = getattr(rejects, "sources", {})

    counts: dict[tuple[str, str, str], int] = {}
    for b in (*rejects.batches, *getattr(rejects, "extra", ())):
        key = (b.table, b.reason, b.column)
        counts[key] = counts.get(key, 0) + len(b)
    rank = {table: i for i, table in enumerate(rejects.read)}
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], rank.get(kv[0][0], 0), kv[0]))

    def rows(n: int) -> str:
        return ngettext("{n} row", "{n} rows", n, locale).format(n=format_integer(n, locale))

    lines = []
    for (table, reason, column), n in ordered[:MAX_REASON_LINES]:
        label = table_label(table, locale)
        if column:
            text = gettext(N_("{reason} in {column}: {rows}"), locale)
        else:
            text = gettext(N_("{reason}: {rows}"), locale)
        src = sources.get(table)
        shown = src.column_name(column) if src is not None and column else column
        reason_text = reason_label(reason, locale)
        lines.append(f"  {label}: " + text.format(reason=reason_text, column=shown, rows=rows(n)))
    rest = ordered[MAX_REASON_LINES:]
    if rest:
        more = gettext(N_("  ... {n} more reasons and columns: {rows}"), locale)
        lines.append(
            more.format(n=format_integer(len(rest), locale), rows=rows(sum(n for _, n in rest)))
        )
    return lines


def _finish(args: argparse.Namespace, rejects: Rejects, held: dict[str, int] | None = None) -> int:
    """Print the counts, write the rejects, check accepted + rejected = read; return 0 or 1.

    Everything goes to stderr: stdout carries only the command's data.
    """
    locale = args.locale
    built = getattr(args, "built_rejects", None)
    printed = getattr(args, "rows_read_printed", False)
    if built is not None and len(built.read) and not printed:
        # A dataset's (or its results'): the rows of the files it was built from.
        from learnsoc.rules.summary import rows_read

        _say(args, gettext(N_("the files the dataset was built from:"), locale))
        _say(args, "\n".join(rows_read(built, locale)))
    if len(rejects.read) and not printed:
        _say(args, rejects.describe(locale))
    if rejects:
        _say(args, "\n".join(_reject_lines(rejects, locale)))
        if not getattr(args, "rejects", None):
            _say(args, gettext(N_("(every rejected row, with its file and line: --rejects FILE)")))
    if getattr(args, "rejects", None):
        from learnsoc.io.writers import write_rejects

        path = write_rejects(
            rejects,
            args.rejects,
            locale=locale,
            protect=_input_paths(args),
            bars=_bars(args),
        )
        _say(args, gettext(N_("wrote {path}"), locale).format(path=path))
    # The check covers every count printed: a dataset's files' (with their skipped
    # totals rows) as well as this run's.
    shown = [rejects, *([built] if built is not None and len(built.read) else [])]
    ok = all(
        r == a + j + counted.n_skipped(t)
        for counted in shown
        for t, (r, a, j) in counted.counts().items()
    )
    if held is not None:
        ok = ok and all(held[t] == rejects.n_accepted(t) for t in rejects.read if t in held)
    skips = any(counted.n_skipped(t) for counted in shown for t in counted.read)
    check = gettext(_SKIPPED_CHECK if skips else _CHECK, locale)
    verdict = "OK" if ok else gettext(N_("FAILED"), locale)
    print(f"{check}: {verdict}", file=sys.stderr)
    earlier = getattr(args, "evaluated_rejects", 0)
    if earlier:
        # A report from a results folder: the rows were rejected when it was evaluated.
        text = ngettext(
            "the evaluation of these results rejected {n} row of its --inputs files "
            "('learnsoc evaluate' listed it)",
            "the evaluation of these results rejected {n} rows of its --inputs files "
            "('learnsoc evaluate' listed them)",
            earlier,
            locale,
        )
        _say(args, text.format(n=format_integer(earlier, locale)))
    return 0 if ok and not rejects and not earlier and not built else 1


def _warn(message: str) -> None:
    print(gettext(N_("learnsoc: warning: {message}")).format(message=message), file=sys.stderr)


def _caught(items: list[warnings.WarningMessage], missing: Sequence[tuple[str, str]] = ()) -> None:
    """Print caught warnings; ``missing``: the evaluation's missing inputs (CLI wording)."""
    from learnsoc.rules.rulebook import MissingInputWarning

    for w in items:
        if missing and issubclass(w.category, MissingInputWarning):
            _warn(_missing_inputs_text(missing))
        elif isinstance(w.message, Translatable):
            _warn(w.message.localized())
        else:
            _warn(str(w.message))


def _in_locales(
    item: warnings.WarningMessage, missing: Sequence[tuple[str, str]]
) -> dict[str, str]:
    """Return a caught warning as :func:`_caught` prints it, in every language."""
    from learnsoc.rules.rulebook import MissingInputWarning

    out = {}
    for locale in LOCALES:
        with use_locale(locale):
            if missing and issubclass(item.category, MissingInputWarning):
                out[locale] = _missing_inputs_text(missing)
            elif isinstance(item.message, Translatable):
                out[locale] = item.message.localized(locale)
            else:
                out[locale] = str(item.message)
    return out


#: Inputs named per level in the missing-inputs warning (the rest are counted).
_SHOWN_INPUTS = 6


def _missing_inputs_text(missing: Sequence[tuple[str, str]]) -> str:
    """Say which inputs no --inputs file gave, level by level, and how to give them."""
    by_level: dict[str, list[str]] = {}
    for level, name in missing:
        by_level.setdefault(level, []).append(name)
    parts = []
    for level, names in by_level.items():
        shown = ", ".join(names[:_SHOWN_INPUTS])
        if len(names) > _SHOWN_INPUTS:
            shown += gettext(N_(" and {n} more")).format(n=len(names) - _SHOWN_INPUTS)
        # The level as the reader says it, and as --inputs LEVEL=FILE spells it.
        label = gettext(level)
        parts.append(f"{label} ({level}): {shown}" if label != level else f"{level}: {shown}")
    return gettext(
        N_(
            "no data for the inputs {inputs}; criteria reading them are unknown for "
            "everyone. Give them with --inputs LEVEL=FILE: the units' code (or the "
            "entities' id) and one column per input"
        )
    ).format(inputs="; ".join(parts))


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
}


def _read_inputs(
    args: argparse.Namespace, book: Any, pop: Population
) -> tuple[dict[str, dict[str, NDArray[np.float64]]], list[FileRejects]]:
    """Read the ``--inputs`` files into ``evaluate``'s ``inputs=`` and their rejects.

    :func:`learnsoc.io.inputs.read_inputs` reads them, with the reading options given
    to the other files (--sheet, --header-row, --decimal ...).
    """
    from learnsoc.io.inputs import InputsLevelError, inputs_level_hint, read_inputs

    files = _inputs_files(args)
    if not files:
        return {}, []
    for _, path in files:
        _existing(path, "--inputs")
    # Warnings (codes read with their leading zeros restored) are told as the others.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            inputs, rejects = read_inputs(
                files,
                book,
                pop,
                mapping=getattr(args, "mapping", None),
                delimiter=_delimiter(args.delimiter),
                decimal=args.decimal,
                encoding=args.encoding,
                sheet=args.sheet,
                header_row=args.header_row,
                unknown_columns="ignore" if args.ignore_unknown_columns else None,
            )
        except InputsLevelError as exc:
            hint = inputs_level_hint(str(exc.level), exc.choices)
            levels = ", ".join(exc.choices) or "-"
            message = _INPUTS_LEVEL_ERRORS[exc.reason]
            raise _usage(
                message, path=exc.path, level=exc.level, hint=hint, levels=levels
            ) from None
    _caught(caught)
    return inputs, [rejects]


# -- commands ---------------------------------------------------------------------------


def _demo(args: argparse.Namespace) -> int:
    from learnsoc.aggregate.rollup import rollup
    from learnsoc.rules.engine import evaluate
    from learnsoc.rules.registry import load_rulebook
    from learnsoc.rules.rulebook import AbolishedProcedureWarning
    from learnsoc.synth import synthetic_inputs, synthetic_population
    from learnsoc.targets import load_targets, progress, standard_measures, standard_titles

    loc = args.locale
    # Checked first, not after the whole report is printed: --level xã, or a level the
    # tree does not have (district after the 2025 reform).
    (level,) = _levels_shown([args.level], PRESETS[args.hierarchy].names)
    if args.year is None:
        # The last 31 December the tree was in force: the tree before the reform ended on
        # 30/6/2025, so its demo is of 2024 (2025 on it is warned, as for any user's data).
        end = PRESETS[args.hierarchy].valid_until
        if end is None:
            args.year = 2025
        else:
            args.year = end.year if (end.month, end.day) == (12, 31) else end.year - 1
    start = time.perf_counter()
    pop = synthetic_population(persons=args.persons, seed=args.seed, hierarchy=args.hierarchy)
    built = time.perf_counter() - start
    print(pop.summary().to_text(locale=loc))
    # The summary's table of rows read, accepted and rejected: not repeated at the end.
    args.rows_read_printed = True
    book = load_rulebook(args.rulebook)
    targets = load_targets(args.targets)
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ev = evaluate(
            pop, book, f"{args.year}-12-31", inputs=synthetic_inputs(pop, book, seed=args.seed)
        )
    # The summary printed next marks an abolished procedure's title with a footnote (†).
    _caught([w for w in caught if not issubclass(w.category, AbolishedProcedureWarning)])
    print()
    print(ev.summary().to_text(loc))
    roll = rollup(pop, standard_measures(pop, titles=standard_titles(ev)))
    # The data are of args.year; the targets assessed are the next ones (2025 for 2024).
    prog = progress([(args.year, roll)], targets, levels=[level])
    assessed = time.perf_counter() - start
    print()
    print(prog.to_text(loc))
    print()
    secs = gettext(N_("built in {seconds} s"), loc).format(seconds=format_decimal(built, 2, loc))
    persons = gettext(N_("persons"), loc)
    _say(args, f"{format_integer(pop.n_persons, loc)} {persons}, {secs}")
    took = gettext(N_("titles, rollup and progress in {seconds} s"), loc)
    _say(args, took.format(seconds=format_decimal(assessed, 2, loc)))
    return _finish(args, pop.rejects, _sizes(pop))


def _validate(args: argparse.Namespace) -> int:
    pop = _read(args)
    return _finish(args, pop.rejects, _sizes(pop))


def _load_book(args: argparse.Namespace) -> Any:
    from learnsoc.rules.registry import load_rulebook

    book = load_rulebook(args.rulebook)
    titles = getattr(args, "titles", None)
    if titles is None:
        return book
    try:
        return book.select([t.strip() for t in titles.split(",") if t.strip()])
    except RulebookError as exc:
        msg = f"--titles: {exc.localized()}"
        raise UsageError(msg) from None


def _evaluate_pop(args: argparse.Namespace, book: Any, pop: Population) -> tuple[Any, Rejects]:
    """Evaluate with the ``--inputs`` files; return the evaluation and every reject."""
    from learnsoc.rules.engine import evaluate

    inputs, found = _read_inputs(args, book, pop)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ev = evaluate(pop, book, args.as_of, inputs=inputs, bars=_bars(args))
    _caught(caught, ev.missing_inputs)
    return ev, join_rejects(pop.rejects, found)


def _dataset_folder(args: argparse.Namespace) -> Path | None:
    """Return the persons argument when it is a dataset folder (it has a manifest)."""
    from learnsoc.io.dataset import MANIFEST
    from learnsoc.scale.results import RESULTS_MANIFEST

    path = getattr(args, "persons", None)
    if path is None or not Path(path).is_dir():
        return None
    if (Path(path) / MANIFEST).is_file():
        return Path(path)
    if _results_path(args) is not None:
        raise _usage(
            N_(
                "{path}: this folder holds the results of 'learnsoc evaluate', not a "
                "dataset; make reports from it with 'learnsoc report {path}'"
            ),
            path=path,
        )
    raise _usage(
        N_(
            "{path}: a folder is read as a dataset written by learnsoc.write_dataset (with "
            "a {manifest}) or as the results of 'learnsoc evaluate DATASET --out FOLDER' "
            "(with a {results}), and this one has neither"
        ),
        path=path,
        manifest=MANIFEST,
        results=RESULTS_MANIFEST,
    )


#: Files of a results folder: one of them without results.json is a damaged one.
_RESULTS_FILES = ("results.json", "standard_counts.parquet", "summary.json", "title_counts.csv")


def _results_path(args: argparse.Namespace) -> Path | None:
    """Return the persons argument when it is the results folder of ``evaluate --out``.

    A folder with some of its files but no results.json is one too, damaged: reading it
    says which file is missing.
    """
    from learnsoc.io.dataset import MANIFEST

    path = getattr(args, "persons", None)
    if not isinstance(path, str):  # synth's --persons is a number
        return None
    if not Path(path).is_dir() or (Path(path) / MANIFEST).is_file():
        return None
    if any((Path(path) / name).is_file() for name in _RESULTS_FILES):
        return Path(path)
    return None


def _refuse_results_file(args: argparse.Namespace) -> None:
    """Say to give the results folder, not its counts files, where the folder is meant.

    A results folder's ``standard_counts.parquet`` holds each unit's own counts, not a
    table of reported counts; its ``rollup.csv`` the counts of the rulebook's titles,
    which ``rollup --counts`` adds up again but which no standard indicator reads.
    """
    counts = Path(args.counts)
    folder = counts.parent
    if not (folder / "results.json").is_file():
        return
    if counts.name == "standard_counts.parquet" or (
        args.command == "report" and counts.stem == "rollup"
    ):
        raise _usage(
            N_(
                "{file} is a file of the results folder {folder}: give the folder itself "
                "('learnsoc {command} {folder}'): it holds the standard counts that command reads"
            ),
            file=args.counts,
            folder=str(folder),
            command=args.command,
        )


#: Options that read data, which a results folder already holds evaluated.
_NOT_WITH_RESULTS = (
    "households",
    "units",
    "clans",
    "organisations",
    "memberships",
    "counts",
    "inputs",
    "by",
    "workers",
    "threads",
    "dask",
)


def _results_rollup(args: argparse.Namespace, folder: Path) -> Rollup:
    """Return the standard rollup a results folder holds, after checking the options.

    The rulebook and date come from its manifest; others given are a usage error.
    """
    from learnsoc.scale.results import read_results

    for option in _NOT_WITH_RESULTS:
        if getattr(args, option, None):
            raise _usage(
                N_(
                    "--{option}: a results folder holds the data already evaluated; "
                    "--{option} is not read with one"
                ),
                option=option,
            )
    _needs_pyarrow()
    saved = read_results(folder)
    # The evaluation's warnings (inputs without data ...), as a report of the dataset gives them.
    for said in saved.warnings:
        _warn(said.get(args.locale) or said["en"])
    date = saved.as_of.isoformat()
    if args.as_of is not None and args.as_of != date:
        raise _usage(
            N_(
                "--as-of {given}: the results in {path} were evaluated as of {date}; leave "
                "out --as-of, or evaluate the dataset again as of {given}"
            ),
            # The dates as the reader writes them (31/12/2025 in Vietnamese), as --as-of takes.
            given=_option_date(dt.date.fromisoformat(args.as_of), args.locale),
            path=folder,
            date=_option_date(saved.as_of, args.locale),
        )
    # The report says the date its titles were decided as of, as one from the dataset does.
    args.titles_as_of = date
    if args.rulebook is not None:
        book = _load_book(args)
        if (book.id, book.info.version) != (saved.rulebook, saved.rulebook_version):
            raise _usage(
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
    _say(
        args,
        line.format(
            path=folder,
            rulebook=saved.rulebook,
            version=saved.rulebook_version,
            date=_day(saved.as_of, args.locale),
            persons=format_integer(saved.persons, args.locale),
        ),
    )
    args.evaluated_rejects = saved.rejected_rows
    args.built_rejects = saved.built
    # The rows of the evaluation's --inputs files: said as a report of the dataset says them.
    args.inputs_read = saved.inputs_read
    return saved.standard_rollup()


def _check_dataset_options(args: argparse.Namespace, folder: Path | None) -> None:
    """Refuse the options a dataset folder does not take, and the runners without one."""
    if folder is None:
        for option in ("workers", "threads", "dask"):
            if getattr(args, option, None) is not None:
                raise _usage(
                    N_("--{option} runs the partitions of a dataset folder; give one"),
                    option=option,
                )
        return
    for option in ("households", "units", "clans", "organisations", "memberships"):
        if getattr(args, option, None):
            raise _usage(
                N_(
                    "--{option}: a dataset folder holds its own tables; --{option} is not "
                    "read with one"
                ),
                option=option,
            )
    if getattr(args, "by", None):
        raise _usage(N_("--by is not supported on a dataset folder yet"))


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
    inputs, found = _read_inputs(args, book, shell)
    for level in inputs:
        if level not in dataset.hierarchy.levels:
            raise _usage(
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


def _run_dataset(
    args: argparse.Namespace, folder: Path, book: Any, verdicts: Path | None, standard: bool
) -> tuple[Any, Rejects]:
    """Evaluate a dataset folder (here, in --workers processes or on --dask)."""
    from learnsoc.io.dataset import read_dataset
    from learnsoc.rejects import Rejects
    from learnsoc.scale import evaluate_dataset

    rulebook_columns = getattr(args, "rulebook_columns", False) and _rulebook_columns(args)
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
            bars=_bars(args),
            on_partition=_partition_lines(args, dataset),
        )
    # Kept in every language for results.json: reports from it give them again.
    args.evaluation_warnings = [_in_locales(w, result.missing_inputs) for w in caught]
    _caught(caught, result.missing_inputs)
    persons = format_integer(result.dataset.n_persons, args.locale)
    parts = format_integer(len(result.dataset.partitions), args.locale)
    n = len(result.dataset.partitions)
    text = ngettext(
        "dataset {path}: {persons} persons in {n} partition by {level}",
        "dataset {path}: {persons} persons in {n} partitions by {level}",
        n,
    )
    _say(
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
        _say(args, line)

    return say


def _results_folder(path: str) -> Path:
    from learnsoc.io.writers import TABLE_FORMATS

    folder = Path(path)
    if not folder.exists() and folder.suffix.lower() in TABLE_FORMATS:
        # `--out verdicts.csv`, as for a persons file, would make a folder named so.
        raise _usage(
            N_(
                "--out: {path!r} names a file; the results of a dataset are written into a "
                "folder (--out results/)"
            ),
            path=path,
        )
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise _usage(
            N_(
                "--out: {path!r} is not a new or empty folder; the results of a dataset "
                "are written into one"
            ),
            path=path,
        )
    _writable_folder("--out", str(folder / "summary.json"))
    return folder


def _evaluate_dataset(args: argparse.Namespace, folder: Path) -> int:
    """Evaluate a dataset folder; write the summary, counts, rollup and verdicts to --out."""
    import attrs

    from learnsoc.io.writers import atomic_folder

    _needs_pyarrow()
    out = None if args.out is None else _results_folder(args.out)
    book = _load_book(args)
    if out is None:
        result, rejects = _run_dataset(args, folder, book, None, standard=False)
        if not args.quiet:
            print(attrs.evolve(result.summary(), rejects=None).to_text(args.locale))
        return _finish(args, rejects)
    # Written into a folder of its own beside --out, renamed to it once whole: an
    # interrupted run (Ctrl-C, a worker lost, a full disk) leaves no --out at all, never
    # verdicts without results.json, nor the files of two runs mixed.
    with atomic_folder(out) as staged:
        result, rejects = _run_dataset(args, folder, book, staged, standard=True)
        if not args.quiet:
            # The rows read and rejected go to stderr with the other counts, as for files.
            print(attrs.evolve(result.summary(), rejects=None).to_text(args.locale))
        names = _write_dataset_results(args, result, rejects, staged)
    for name in names:
        _say(args, gettext(N_("wrote {path}"), args.locale).format(path=out / name))
    return _finish(args, rejects)


def _write_dataset_results(
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
    given = [path for _, path in _inputs_files(args)]
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


def _evaluate(args: argparse.Namespace) -> int:
    folder = _dataset_folder(args)
    _check_dataset_options(args, folder)
    if folder is not None:
        return _evaluate_dataset(args, folder)
    book = _load_book(args)
    pop = _read(
        args,
        schema=book.schema(),
        # Every column by default: the rows rejected are then those 'validate', 'report'
        # and 'dataset' reject, and the counts those of a dataset built from the files.
        columns=book.columns_read(as_of=args.as_of) if _rulebook_columns(args) else None,
    )
    ev, rejects = _evaluate_pop(args, book, pop)
    if not args.quiet:
        print(ev.summary().to_text(args.locale))
    if args.out:
        from learnsoc.io.verdicts import write_verdicts

        path = write_verdicts(
            ev, args.out, protect=_input_paths(args), bars=_bars(args), locale=args.locale
        )
        _say(args, gettext(N_("wrote {path}"), args.locale).format(path=path))
    return _finish(args, rejects, _sizes(pop))


def _rulebook_columns(args: argparse.Namespace) -> bool:
    """Return whether to read only the rulebook's columns (``--rulebook-columns``)."""
    if args.rulebook_columns and args.all_columns:
        raise _usage(N_("give --rulebook-columns or --all-columns, not both"))
    return bool(args.rulebook_columns)


#: Report formats by the extension of ``report --out`` (without ``--format``).
_REPORT_SUFFIXES = {
    ".txt": "text",
    ".md": "markdown",
    ".html": "html",
    ".htm": "html",
    ".csv": "csv",
    ".json": "json",
    ".xlsx": "xlsx",
}


def _report_format(args: argparse.Namespace) -> str:
    if args.format:
        return str(args.format)
    suffix = Path(args.out).suffix.lower() if args.out else ""
    return _REPORT_SUFFIXES.get(suffix, "text")


def _counts_rollup(args: argparse.Namespace) -> tuple[Any, Rejects]:
    """Read per-unit counts and the units file; roll the counts up the tree."""
    from learnsoc.io.counts import read_counts_rollup
    from learnsoc.io.population import read_units, resolve_mapping

    if args.units is None:
        raise _usage(N_("--counts needs the units file (--units or --hierarchy)"))
    for path, option in ((args.counts, "--counts"), (args.units, "--units")):
        _existing(path, option)
    fmap = resolve_mapping(_existing(args.mapping, "--mapping"))
    delimiter = _delimiter(args.delimiter)
    sheets = _sheets(args, {"unit": args.units, "counts": args.counts})
    hierarchy, unit_rejects = read_units(
        args.units,
        levels=_levels(args.levels) or None,
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
        raise _usage(N_("{option}: give at least one name, got {text!r}"), option=option, text=text)
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
            raise _usage(
                N_(
                    "--decimals: {part!r} is not INDICATOR=N (N a whole number from 0 to 10), "
                    "e.g. learning_families=2,learning_units=0"
                ),
                part=part,
            )
        out[name.strip()] = int(number)
    return out


def _report(args: argparse.Namespace) -> int:
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
        levels = _levels_shown(levels, roll.hierarchy.levels)
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
        to_xlsx(table, args.out, locale=args.locale, protect=_input_paths(args))
        _say(args, gettext(N_("wrote {path}"), args.locale).format(path=args.out))
        return _finish(args, rejects, held)
    out = _render(table, fmt, args, decimals)
    if args.out:
        from learnsoc.io.writers import atomic_path

        with atomic_path(args.out, protect=_input_paths(args)) as tmp:
            tmp.write_text(out, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
        _say(args, gettext(N_("wrote {path}"), args.locale).format(path=args.out))
    else:
        # One final newline: CSV and JSON already end with one (no empty last record).
        print(out, end="" if out.endswith("\n") else "\n")
        if fmt in ("text", "markdown", "html"):
            from learnsoc.report._build import rows_read_lines

            # The report just printed its rows read, accepted and rejected on the screen:
            # the summary after it gives the reasons and the check, not the counts again.
            args.rows_read_printed = bool(rows_read_lines(table.rejects, args.locale))
    return _finish(args, rejects, held)


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

    saved = _results_path(args)
    if saved is not None:
        return _results_rollup(args, saved), Rejects(), None
    folder = _dataset_folder(args)
    _check_dataset_options(args, folder)
    if args.counts is not None:
        if args.inputs:
            raise _usage(N_("--inputs needs the persons files, not --counts"))
        _refuse_results_file(args)
        # Warnings while reading and adding up the counts (codes that lost their leading
        # zeros, a UTF-8 file despite --encoding) are messages for the user, as in _read.
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", LearnsocWarning)
            try:
                roll, rejects = _counts_rollup(args)
            finally:
                _caught(caught)
        return roll, rejects, None
    if (args.rulebook is None or args.as_of is None) and folder is not None:
        # Most likely the dataset was given where its results folder was meant.
        raise _usage(
            N_(
                "{folder}: a {command} from a dataset needs --rulebook and --as-of; or give "
                "the results folder of 'learnsoc evaluate {folder} --out DIR', which needs "
                "neither"
            ),
            command=args.command,
            folder=args.persons,
        )
    if args.rulebook is None or args.as_of is None:
        raise _usage(
            N_("a {command} from files needs --rulebook and --as-of (or --counts)"),
            command=args.command,
        )
    from learnsoc.aggregate.rollup import rollup
    from learnsoc.targets import standard_measures, standard_titles

    book = _load_book(args)
    if folder is not None:
        _needs_pyarrow()
        result, rejects = _run_dataset(args, folder, book, None, standard=True)
        return result.standard_rollup(), rejects, None
    pop = _read(args, schema=book.schema())
    ev, rejects = _evaluate_pop(args, book, pop)
    measures = standard_measures(pop, titles=standard_titles(ev))
    roll = rollup(pop, measures, by=_names(args.by, "--by"))
    return roll, rejects, _sizes(pop)


def _levels_shown(levels: list[str], tree: Sequence[str]) -> list[str]:
    """Return the levels of --level by their ids (given in either language), or refuse one.

    ``tree`` holds the ids of the tree's levels; ``total`` is a level too.
    """
    known = [*tree, "total"]
    chosen = [_level_choice(level, known) for level in levels]
    for level in chosen:
        if level not in known:
            raise _usage(
                N_("--level: no level {level!r}{hint}"),
                level=level,
                hint=_level_hint(level, known) or f" ({', '.join(known)})",
            )
    return chosen


def _rollup(args: argparse.Namespace) -> int:
    from learnsoc.io.writers import output_format, write_table

    levels = _names(args.level, "--level")
    roll, rejects, held = _any_rollup(args)
    if levels is not None:
        levels = _levels_shown(levels, roll.hierarchy.levels)
        table = {k: v[np.isin(roll.levels(), levels)] for k, v in roll.to_columns().items()}
    else:
        table = roll.to_columns()
    # A workbook is for people: headings in the run's language, rates as percentages.
    # CSV, Parquet and JSON keep the column ids, in every language, for scripts.
    excel = roll.excel_options(table, args.locale) if output_format(args.out) == "xlsx" else {}
    path = write_table(
        table, args.out, bom=True, protect=_input_paths(args), bars=_bars(args), **excel
    )
    _say(args, gettext(N_("wrote {path}"), args.locale).format(path=path))
    return _finish(args, rejects, held)


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


def _option_date(day: dt.date, locale: str) -> str:
    """Return a date as an option takes it: ISO in English, ``31/12/2025`` in Vietnamese.

    >>> _option_date(dt.date(2025, 7, 1), "vi"), _option_date(dt.date(2025, 7, 1), "en")
    ('01/7/2025', '2025-07-01')
    """
    return day.isoformat() if normalize_locale(locale) == "en" else vietnamese_date(day)


def _day(day: dt.date | None, locale: str) -> str:
    """Return a date of a listing: ISO in English, "ngày 16/11/2023" in Vietnamese."""
    if day is None:
        return "…"
    return day.isoformat() if locale == "en" else format_date(day, locale, "report")


def _rulebooks(args: argparse.Namespace) -> int:
    from learnsoc.rules.registry import list_rulebooks

    loc = args.locale
    for info in list_rulebooks():
        dates = " – ".join(_day(d, loc) for d in (info.effective_from, info.effective_to))
        print(f"{info.id}  {info.name.text(loc)}")
        version = gettext(N_("version {version}"), loc).format(version=info.version)
        print(f"    {info.issuer or ''}; {version}; {dates}")
        if info.last_checked:
            checked = gettext(N_("last checked {date}"), loc)
            print("    " + checked.format(date=_day(info.last_checked, loc)))
        for doc in info.documents_in(loc):
            print(f"    - {doc}")
    return 0


def _targets(args: argparse.Namespace) -> int:
    from learnsoc.targets import list_targets, load_targets

    loc = args.locale
    for name in list_targets():
        ts = load_targets(name)
        date = _day(ts.date, loc)
        undated = len(ts.undated())
        dated = len(ts.targets) - undated
        years = ", ".join(map(str, ts.years))
        if len(ts.years) == 1:  # "cho năm 2020", not "cho các năm 2020"
            line = ngettext(
                "{n} target for the year {years}", "{n} targets for the year {years}", dated, loc
            )
        else:
            line = ngettext("{n} target for {years}", "{n} targets for {years}", dated, loc)
        line = line.format(n=dated, years=years)
        if undated:
            line += gettext(N_(" (+{n} without a deadline)"), loc).format(n=undated)
        print(f"{ts.id}  {ts.title_in(loc)}")
        print(f"    {date}; {line}")
    return 0


def _synth(args: argparse.Namespace) -> int:
    from learnsoc.io.dataset import write_synthetic_dataset
    from learnsoc.model.hierarchy import hierarchy_spec

    loc = args.locale
    if args.persons < 1:
        raise _usage(N_("--persons: give at least 1, not {n}"), n=args.persons)
    levels = hierarchy_spec(args.hierarchy).names
    level = _level_choice(args.partition_by or levels[0], levels)
    if level not in levels:
        raise _usage(
            N_("--partition-by: {level!r} is not a level of {hierarchy} ({levels}){hint}"),
            level=level,
            hierarchy=args.hierarchy,
            levels=", ".join(levels),
            hint=_level_hint(level, levels),
        )
    _needs_pyarrow()
    _writable_folder("--out", str(Path(args.folder) / "manifest.json"))
    start = time.perf_counter()
    ds = write_synthetic_dataset(
        args.folder,
        persons=args.persons,
        seed=args.seed,
        hierarchy=args.hierarchy,
        partition_by=level,
        bars=True if args.bars else _bars(args),
    )
    _say_written(args, ds, level, time.perf_counter() - start, loc)
    return 0


def _say_written(args: argparse.Namespace, ds: Dataset, level: str, took: float, loc: str) -> None:
    """Say what a dataset written by a command holds (synth, dataset)."""
    households = sum(r["households"] for r in ds.rows.values())
    done = gettext(
        N_(
            "wrote {path}: {persons} persons, {households} households; partitions by "
            "{level}: {partitions}; {seconds} s"
        ),
        loc,
    )
    _say(
        args,
        done.format(
            path=ds.path,
            persons=format_integer(ds.n_persons, loc),
            households=format_integer(households, loc),
            partitions=format_integer(len(ds.partitions), loc),
            level=ds.hierarchy.level_label(level, loc),
            seconds=format_decimal(took, 1, loc),
        ),
    )


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
        raise _usage(
            N_(
                "{error}; it is an input of the rulebooks {books}: give --rulebook with the "
                "one you will evaluate (--rulebook {book}) to read it and keep it in the dataset"
            ),
            error=_one_line(exc, locale),
            books=", ".join(books),
            book=books[-1],
        ) from None


def _folder_files(folder: str) -> dict[str, str]:
    """Return the standard files of a source folder by table (usage errors if unclear)."""
    path = Path(folder)
    if not path.is_dir():
        raise _usage(
            N_(
                "{folder}: not a folder; give folders that hold a province's files "
                "(persons.csv, households.csv ...)"
            ),
            folder=folder,
        )
    found: dict[str, str] = {}
    for entry in sorted(path.iterdir()):
        table, suffix = _folder_table(entry.stem), entry.suffix.lower()
        if table is None or suffix not in _FOLDER_SUFFIXES or not entry.is_file():
            continue
        if table in found:
            raise _usage(
                N_("{folder}: two {table} files ({first} and {second}); keep one"),
                folder=folder,
                table=table,
                first=Path(found[table]).name,
                second=entry.name,
            )
        found[table] = str(entry)
    for table in ("persons", "households"):
        if table not in found:
            raise _usage(
                N_(
                    "{folder}: no {table} file; name it {names} (.csv, .txt, .tsv, .xlsx, "
                    ".parquet or .arrow)"
                ),
                folder=folder,
                table=table,
                names=" / ".join(_FOLDER_TABLES[table]),
            )
    return found


def _folder_table(stem: str) -> str | None:
    """Return the table a file of a source folder holds by its name, None if no table's.

    Examples
    --------
    >>> _folder_table("Nhân khẩu"), _folder_table("HO-GIA-DINH"), _folder_table("ds")
    ('persons', 'households', None)
    """
    import re
    import unicodedata

    from learnsoc.model.ids import unaccented

    name = re.sub(r"[\s_-]+", "_", unaccented(unicodedata.normalize("NFC", stem)).lower())
    for table, names in _FOLDER_TABLES.items():
        if name.strip("_") in names:
            return table
    return None


def _read_folder(
    args: argparse.Namespace,
    files: Mapping[str, str],
    tree: Any,
    schema: Any,
    *,
    ids_out: dict[str, NDArray[Any]] | None = None,
    elsewhere: Mapping[str, NDArray[Any]] | None = None,
) -> Population:
    from learnsoc.io.population import read_population

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", LearnsocWarning)
        try:
            return read_population(
                files["persons"],
                households=files["households"],
                hierarchy=tree,
                clans=files.get("clans"),
                organisations=files.get("organisations"),
                memberships=files.get("memberships"),
                schema=schema,
                ids_elsewhere=elsewhere,
                _ids_out=ids_out,
                **_reading_options(args),
            )
        finally:
            _caught(caught)


def _ids_in_two(seen: Sequence[Mapping[str, NDArray[Any]]]) -> dict[str, NDArray[Any]]:
    """Return per table the ids that the files of two folders or more hold.

    Each folder's ids come unique; reading the folders together would reject every copy.
    """
    from learnsoc.io.convert import id_text

    twice: dict[str, NDArray[Any]] = {}
    for table in {t for ids in seen for t in ids}:
        parts = [ids[table] for ids in seen if table in ids and len(ids[table])]
        if len(parts) < 2:
            continue
        if len({p.dtype.kind == "U" for p in parts}) > 1:
            parts = [id_text(p) for p in parts]
        values, counts = np.unique(np.concatenate(parts), return_counts=True)
        if (counts > 1).any():
            twice[table] = values[counts > 1]
    return twice


def _read_tree(args: argparse.Namespace) -> tuple[Any, FileRejects]:
    from learnsoc.io.population import read_units

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", LearnsocWarning)
        try:
            return read_units(
                args.units,
                levels=_levels(args.levels),
                mapping=args.mapping,
                delimiter=_delimiter(args.delimiter),
                decimal=args.decimal,
                encoding=args.encoding,
                engine=args.engine,
                unknown_columns="ignore" if args.ignore_unknown_columns else None,
                sheet=args.sheet,
                header_row=args.header_row,
            )
        finally:
            _caught(caught)


_CHECK = N_("accepted + rejected = read")
#: The check when rows were skipped (totals rows, headings: see learnsoc.io.form_rows).
_SKIPPED_CHECK = N_("accepted + rejected + skipped = read")


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
        _warn(
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
        _say(
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


def _dataset(args: argparse.Namespace) -> int:
    from learnsoc.io.dataset import MANIFEST, DatasetWriter
    from learnsoc.io.writers import OutputPathError, check_output
    from learnsoc.model.schema import STANDARD_SCHEMA
    from learnsoc.rejects import Rejects

    loc = args.locale
    _needs_pyarrow()
    if args.units is None:
        raise _usage(N_("give the units table of the whole country with --units"))
    _existing(args.units, "--units")
    _existing(args.mapping, "--mapping")
    plans = [(folder, _folder_files(folder)) for folder in args.sources]
    inputs = [args.units, *(f for _, files in plans for f in files.values())]
    if args.rejects:
        try:
            check_output(args.rejects, inputs)
        except OutputPathError as exc:
            msg = f"--rejects: {exc.localized()}"
            raise UsageError(msg) from None
    _writable_folder("--out", str(Path(args.folder) / MANIFEST))
    # With a rulebook, its input columns are read as 'report --rulebook' reads them.
    schema = STANDARD_SCHEMA if args.rulebook is None else _load_book(args).schema()
    tree, unit_rejects = _read_tree(args)
    level = _level_choice(args.partition_by or tree.levels[0], tree.levels)
    if level not in tree.levels:
        raise _usage(
            N_("--partition-by: {level!r} is not a level of {hierarchy} ({levels}){hint}"),
            level=level,
            hierarchy=args.units,
            levels=", ".join(tree.levels),
            hint=_level_hint(level, tree.levels),
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
        _say(args, f"{args.units}:\n" + "\n".join(_reject_lines(unit_rejects, loc)))
    writer.add_rejects(unit_rejects)
    start = time.perf_counter()
    # The ids of every folder's rows: an id in two folders is rejected in both (below).
    seen: list[dict[str, NDArray[Any]]] = []
    kept: dict[str, int] = {}  # the index in found of each folder's rejects
    try:
        for folder, files in plans:
            ids: dict[str, NDArray[Any]] = {}
            try:
                pop = _read_folder(args, files, tree, schema, ids_out=ids)
            except SchemaError as exc:
                if args.rulebook is None:
                    _refuse_input_column(exc, args.locale)
                raise
            seen.append({t: np.unique(v) for t, v in ids.items()})
            del ids
            kept[folder] = len(found)
            if pop.rejects:
                found.append(pop.rejects)
                _say(args, f"{folder}:\n" + "\n".join(_reject_lines(pop.rejects, loc)))
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
        twice = _ids_in_two(seen)
        del seen
        if twice:
            # Read together, the files would reject every copy of these ids and the rows
            # that refer to them: the folders that hold one are read again so, and their
            # partitions written again (only then: a clean build reads each folder once).
            for folder, files in plans:
                pop = _read_folder(args, files, tree, schema, elsewhere=twice)
                if not any(b.reason == "duplicate_id" for b in pop.rejects.batches):
                    continue
                found[kept[folder]] = pop.rejects
                head = gettext(
                    N_("{folder}, read again: ids also in another folder's files are rejected"),
                    loc,
                ).format(folder=folder)
                _say(args, f"{head}:\n" + "\n".join(_reject_lines(pop.rejects, loc)))
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
    _say(args, "\n".join(lines))
    if args.rejects:
        path = _write_all_rejects(found, args.rejects, loc, inputs, _bars(args))
        _say(args, gettext(N_("wrote {path}"), loc).format(path=path))
    elif any(found):
        _say(args, gettext(N_("(every rejected row, with its file and line: --rejects FILE)")))
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
            _warn(
                ngettext(
                    "{n} partition has no folder's rows and was written empty: {keys}",
                    "{n} partitions have no folder's rows and were written empty: {keys}",
                    len(writer.empty),
                ).format(n=format_integer(len(writer.empty), loc), keys=shown)
            )
        _say_written(args, ds, level, took, loc)
    skips = any(r.n_skipped(t) for r in found for t in r.read)
    check = gettext(_SKIPPED_CHECK if skips else _CHECK, loc)
    verdict = "OK" if ok else gettext(N_("FAILED"), loc)
    print(f"{check}: {verdict}", file=sys.stderr)
    return 1 if refused or any(found) or not ok else 0


_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "demo": _demo,
    "validate": _validate,
    "evaluate": _evaluate,
    "rollup": _rollup,
    "report": _report,
    "synth": _synth,
    "dataset": _dataset,
    "rulebooks": _rulebooks,
    "targets": _targets,
}


def _note_sheet_per_file(exc: BaseException, args: argparse.Namespace) -> None:
    """Say how to choose a sheet in one workbook when ``--sheet NAME`` chose it in all.

    ``--sheet "Năm 2025"`` with a persons and a units workbook looks for that sheet in
    both: the one without it is an error, which says how to give the sheet for one file.
    """
    from learnsoc.io.excel import NO_SHEET_NUMBER, NO_SUCH_SHEET

    every = (getattr(args, "sheet", None) or {}).get("*")
    if every is None or getattr(exc, "message_id", None) not in (NO_SUCH_SHEET, NO_SHEET_NUMBER):
        return
    given = str(every + 1) if isinstance(every, int) else str(every)
    msg = Message(
        N_(
            "--sheet {given} looks for that sheet in every workbook given, {file} too; to "
            "choose it in one workbook only, write --sheet FILE=NAME (the file before '='), "
            "once per workbook"
        ),
        given=shlex.quote(given),
        file=Path(str(getattr(exc, "file", ""))).name,
    )
    exc.add_note(Note(msg))


# Errors that come from how learnsoc was called or configured, not from the data.
_CONFIG_ERRORS = (RulebookError, OptionalDependencyError, LocaleError)


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
    with _argparse_words(locale), use_locale(locale):
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
                args.as_of = _date(args.as_of, "--as-of")
            if getattr(args, "titles", None) is not None and args.rulebook is None:
                raise _usage(N_("--titles selects titles of a rulebook: give --rulebook too"))
            _persons_exist(args)
            _check_outputs(args)
            return _COMMANDS[args.command](args)
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
        print(prefix.format(message=_one_line(exc, locale)), file=sys.stderr)
        _note_sheet_per_file(exc, args)
        # The notes added on the way up (PEP 678: the Dask worker, the partition) say
        # where it happened; a traceback would show them, the one line does not.
        for note in getattr(exc, "__notes__", ()):
            worker = _worker_of(note)
            text = note_text(note, locale) if worker is None else _on_worker(exc, worker, locale)
            print("  " + " ".join(text.split()), file=sys.stderr)
        if isinstance(exc, LevelsError):
            # A units file that as a whole does not fit the levels the user gave (--levels
            # or the mapping file's levels) is in how it was called (exit 2); a level left
            # empty by bad cells, or by the default tree, is the data's fault (exit 1).
            given = exc.levels_given or bool(getattr(args, "levels", None))
            return 2 if exc.whole_file and given else 1
        return _exit_code(exc)


def _on_worker(exc: BaseException, worker: str, locale: str) -> str:
    """Say the Dask worker an error came from; for a file this machine sees, why it failed.

    A partition file "missing" on a worker that this machine reads is a worker that
    does not see the dataset folder (another mount, or none) under the client's path.
    """
    from learnsoc.io.dataset import PartitionFileMissingError
    from learnsoc.scale.dask import WORKER_NOTE

    seen = isinstance(exc, PartitionFileMissingError) and Path(str(exc.file)).is_file()
    where = (
        N_(
            "(on the Dask worker {worker}; this machine reads that file, so the worker does "
            "not see the dataset folder under the same path: mount it there on every worker)"
        )
        if seen
        else WORKER_NOTE
    )
    return gettext(where, locale).format(worker=worker)


def _worker_of(note: object) -> str | None:
    """Return the worker a Dask task's note names (None for any other note).

    The note is :data:`learnsoc.scale.dask.WORKER_NOTE`; its address is its parameter.
    """
    from learnsoc.scale.dask import WORKER_NOTE

    if getattr(note, "message_id", None) != WORKER_NOTE:
        return None
    worker = getattr(note, "params", {}).get("worker")
    return worker if isinstance(worker, str) else None


def _one_line(exc: BaseException, locale: str = "en") -> str:
    """Return an error on one line, in the locale when it has a message id (else English)."""
    text = exc.localized(locale) if isinstance(exc, LearnsocError) else str(exc)
    return " ".join(text.split()) or type(exc).__name__


def _exit_code(exc: BaseException) -> int:
    """Return 2 for errors in how learnsoc was called or configured, 1 for data errors."""
    from learnsoc.io.writers import OutputPathError
    from learnsoc.targets.indicators import TargetError

    return 2 if isinstance(exc, (*_CONFIG_ERRORS, TargetError, OutputPathError)) else 1
