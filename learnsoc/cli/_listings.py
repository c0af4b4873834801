"""``learnsoc rulebooks`` and ``learnsoc targets``: what learnsoc ships."""

from __future__ import annotations

import argparse

from learnsoc.cli._printing import day_text
from learnsoc.i18n import N_, gettext, ngettext


def rulebooks_command(args: argparse.Namespace) -> int:
    from learnsoc.rules.registry import list_rulebooks

    loc = args.locale
    for info in list_rulebooks():
        dates = " – ".join(day_text(d, loc) for d in (info.effective_from, info.effective_to))
        print(f"{info.id}  {info.name.text(loc)}")
        version = gettext(N_("version {version}"), loc).format(version=info.version)
        print(f"    {info.issuer or ''}; {version}; {dates}")
        if info.last_checked:
            checked = gettext(N_("last checked {date}"), loc)
            print("    " + checked.format(date=day_text(info.last_checked, loc)))
        for doc in info.documents_in(loc):
            print(f"    - {doc}")
    return 0


def targets_command(args: argparse.Namespace) -> int:
    from learnsoc.targets import list_targets, load_targets

    loc = args.locale
    for name in list_targets():
        ts = load_targets(name)
        date = day_text(ts.date, loc)
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
