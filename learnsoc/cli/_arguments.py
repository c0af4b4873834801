"""The types of option values (dates, sheets, row numbers, levels) and their errors."""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from typing import Any

from learnsoc.cli._errors import UsageError, usage
from learnsoc.i18n import N_, format_integer, gettext, parse_date
from learnsoc.model.hierarchy import level_named


def level_choice(text: str, choices: Sequence[str]) -> str:
    """Return the level a level option names, in either language (``xã``), else the text."""
    return level_named(text, choices) or text


def level_hint(text: str, choices: Sequence[str]) -> str:
    """Return the hint for an unknown level (see :func:`learnsoc.io.inputs.unknown_level_hint`)."""
    from learnsoc.io.inputs import unknown_level_hint

    return unknown_level_hint(text, choices)


def parse_date_option(text: str, option: str) -> str:
    """Return an option's date as ISO text, or raise a usage error that shows the forms."""
    day = parse_date(text)
    if day is None:
        raise usage(
            N_(
                "{option}: {value!r} is not a date; write it dd/mm/yyyy (31/12/2025) "
                "or yyyy-mm-dd (2025-12-31)"
            ),
            option=option,
            value=text,
        )
    return day.isoformat()


def sheet_argument(text: str) -> tuple[str, str | int]:
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


class SheetAction(argparse.Action):
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


def sheets_by_file(args: argparse.Namespace, files: Mapping[str, str | None]) -> dict[str, Any]:
    """Return the sheet of each table's file (``--sheet``); a key naming no file is misuse."""
    from learnsoc.io.files import FileFormatError
    from learnsoc.io.population import sheets_for

    try:
        return sheets_for(args.sheet, files)
    except FileFormatError as exc:
        msg = f"--sheet: {exc.localized()}"
        raise UsageError(msg) from None


def row_number(text: str) -> int:
    """Read a row number of a sheet (1 = first)."""
    from learnsoc.limits import MAX_SHEET_ROWS

    if not text.strip().isdigit() or not 1 <= int(text) <= MAX_SHEET_ROWS:
        msg = gettext(N_("a row number from 1 to {limit}, got {text!r}")).format(
            limit=format_integer(MAX_SHEET_ROWS), text=text
        )
        raise argparse.ArgumentTypeError(msg)
    return int(text)


def positive(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        msg = gettext(N_("{value!r} is not a whole number of 1 or more")).format(value=text)
        raise argparse.ArgumentTypeError(msg)
    return int(text)


def levels_shown(levels: list[str], tree: Sequence[str]) -> list[str]:
    """Return the levels of --level by their ids (given in either language), or refuse one.

    ``tree`` holds the ids of the tree's levels; ``total`` is a level too.
    """
    known = [*tree, "total"]
    chosen = [level_choice(level, known) for level in levels]
    for level in chosen:
        if level not in known:
            raise usage(
                N_("--level: no level {level!r}{hint}"),
                level=level,
                hint=level_hint(level, known) or f" ({', '.join(known)})",
            )
    return chosen
