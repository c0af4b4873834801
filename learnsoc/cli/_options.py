"""The options several commands share: locale and output, input files, rulebooks, datasets."""

from __future__ import annotations

import argparse

from learnsoc.cli._arguments import SheetAction, positive, row_number, sheet_argument
from learnsoc.cli._locale import add_lang_alias
from learnsoc.i18n import LOCALES


def common_options(locale: str = "en") -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--locale",
        default=locale,
        choices=LOCALES,
        help="language of the output (default: LEARNSOC_LOCALE, else LANG, else en)",
    )
    add_lang_alias(common)
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


def input_options() -> argparse.ArgumentParser:
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
        help="year ages refer to (on 31 December), when files give birth_year or birth_date "
        "(default: the year of --as-of, where a command takes one)",
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
        type=sheet_argument,
        action=SheetAction,
        help="Excel files: the sheet to read, by name or number (1 = first), in every "
        "workbook, or in one with FILE=NAME|N (repeatable); default: the first sheet if it "
        "holds the table, else the only sheet that does",
    )
    how.add_argument(
        "--header-row",
        metavar="N",
        type=row_number,
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


def rulebook_options(parser: argparse.ArgumentParser, required: bool) -> None:
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


def dataset_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "a dataset folder (written by learnsoc.write_dataset) in place of the persons file"
    )
    how = group.add_mutually_exclusive_group()
    how.add_argument(
        "--workers",
        type=positive,
        metavar="N",
        help="evaluate the partitions in N local processes (default: in this one, see --threads)",
    )
    how.add_argument(
        "--threads",
        type=positive,
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
