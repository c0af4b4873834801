"""The argument parser of the ``learnsoc`` command and its subcommands."""

from __future__ import annotations

import argparse
from typing import Any

from learnsoc._version import __version__
from learnsoc.cli._help import parser_actions, parser_texts, translate_metavar
from learnsoc.cli._locale import add_lang_alias
from learnsoc.cli._options import common_options, dataset_options, input_options, rulebook_options
from learnsoc.i18n import LOCALES, gettext

_EPILOG = (
    "exit codes: 0 ok; 1 data problems (rows rejected, checks failed); "
    "2 usage or configuration errors. Run 'learnsoc COMMAND --help' for a command's options."
)


_FORMATS = ("text", "markdown", "html", "csv", "json")


def build_parser(locale: str = "en") -> argparse.ArgumentParser:
    """Return the argument parser of the ``learnsoc`` command (also used by the docs).

    The help is in ``locale``, and ``--locale`` defaults to it. argparse's own words
    ("usage:", "options") are translated only inside :func:`argparse_words`, as
    :func:`main` builds it.

    Examples
    --------
    >>> build_parser("vi").parse_args(["rulebooks"]).locale
    'vi'
    """
    parser = _build_parser(locale)
    if locale != "en":
        for owner, attr in parser_texts(parser):
            setattr(owner, attr, gettext(getattr(owner, attr), locale))
        for action in parser_actions(parser):
            translate_metavar(action, locale)
    return parser


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
    add_lang_alias(parser)
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
    add_lang_alias(demo)
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

    common, inputs = common_options(locale), input_options()
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
    rulebook_options(evaluate, required=True)
    evaluate.add_argument(
        "--out",
        metavar="FILE",
        help="verdicts file (.parquet, .csv, .json or .xlsx); for a dataset folder, a new "
        "folder for the summary, title counts, rollup and verdicts",
    )
    dataset_options(evaluate)
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
    rulebook_options(roll, required=False)
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
    rulebook_options(report, required=False)
    dataset_options(report)
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
    for group in input_options()._action_groups:
        mine = None
        for action in group._group_actions:
            if group.title == "reading" or action.dest in borrowed:
                if mine is None:
                    mine = build.add_argument_group(group.title)
                mine._add_action(action)


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
    return sorted({getattr(o, a) for o, a in parser_texts(parser)})
