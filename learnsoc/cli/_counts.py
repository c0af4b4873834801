"""The counts of records read, accepted and rejected, and the final check."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from learnsoc.cli._paths import input_paths
from learnsoc.cli._printing import tell
from learnsoc.cli._reading import progress_bars
from learnsoc.i18n import N_, format_integer, gettext, ngettext

if TYPE_CHECKING:
    from learnsoc.model.population import Population
    from learnsoc.rejects import Rejects


def sizes(pop: Population) -> dict[str, int]:
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


def reject_lines(rejects: Rejects, locale: str) -> list[str]:
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


def finish(args: argparse.Namespace, rejects: Rejects, held: dict[str, int] | None = None) -> int:
    """Print the counts, write the rejects, check accepted + rejected = read; return 0 or 1.

    Everything goes to stderr: stdout carries only the command's data.
    """
    locale = args.locale
    built = getattr(args, "built_rejects", None)
    printed = getattr(args, "rows_read_printed", False)
    if built is not None and len(built.read) and not printed:
        # A dataset's (or its results'): the rows of the files it was built from.
        from learnsoc.rules.summary import rows_read

        tell(args, gettext(N_("the files the dataset was built from:"), locale))
        tell(args, "\n".join(rows_read(built, locale)))
    if len(rejects.read) and not printed:
        tell(args, rejects.describe(locale))
    if rejects:
        tell(args, "\n".join(reject_lines(rejects, locale)))
        if not getattr(args, "rejects", None):
            tell(args, gettext(N_("(every rejected row, with its file and line: --rejects FILE)")))
    if getattr(args, "rejects", None):
        from learnsoc.io.writers import write_rejects

        path = write_rejects(
            rejects,
            args.rejects,
            locale=locale,
            protect=input_paths(args),
            bars=progress_bars(args),
        )
        tell(args, gettext(N_("wrote {path}"), locale).format(path=path))
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
    check = gettext(SKIPPED_CHECK if skips else CHECK, locale)
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
        tell(args, text.format(n=format_integer(earlier, locale)))
    return 0 if ok and not rejects and not earlier and not built else 1


CHECK = N_("accepted + rejected = read")


#: The check when rows were skipped (totals rows, headings: see learnsoc.io.form_rows).
SKIPPED_CHECK = N_("accepted + rejected + skipped = read")
