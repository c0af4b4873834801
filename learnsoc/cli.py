"""The ``learnsoc`` command line.

Exit codes: 0 ok, 1 data problems found (rows rejected or checks failed), 2 usage
errors. Errors print as one line; ``--debug`` shows the traceback.

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
import sys
import time
from collections.abc import Sequence

from learnsoc import __version__
from learnsoc.errors import LearnsocError
from learnsoc.i18n import LOCALES, N_, format_integer, gettext, use_locale

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser of the ``learnsoc`` command (also used by the docs)."""
    parser = argparse.ArgumentParser(
        prog="learnsoc",
        description="Learning-society metrics (xã hội học tập): titles, rollups, targets, reports.",
    )
    parser.add_argument("--version", action="version", version=f"learnsoc {__version__}")
    parser.add_argument("--debug", action="store_true", help="show full tracebacks on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    demo = sub.add_parser(
        "demo",
        help="build a synthetic province, validate it and print a summary",
        description="Build a deterministic synthetic province, validate it and print a summary.",
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
    demo.add_argument("--locale", default="en", choices=LOCALES, help="language of the output")
    return parser


def _demo(args: argparse.Namespace) -> int:
    from learnsoc.synth import synthetic_population

    start = time.perf_counter()
    pop = synthetic_population(persons=args.persons, seed=args.seed, hierarchy=args.hierarchy)
    elapsed = time.perf_counter() - start
    summary = pop.summary()
    print(summary.to_text(locale=args.locale))
    ok = all(a + r == n for n, a, r in pop.rejects.counts().values())
    check = gettext(N_("accepted + rejected = read"), args.locale)
    print(f"\n{check}: {'OK' if ok else 'FAILED'}")
    secs = gettext(N_("built in {seconds} s"), args.locale).format(seconds=f"{elapsed:.2f}")
    persons = gettext(N_("persons"), args.locale)
    print(f"{format_integer(pop.n_persons, args.locale)} {persons}, {secs}")
    return 0 if ok else 1


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line and return its exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        with use_locale(getattr(args, "locale", "en")):
            if args.command == "demo":
                return _demo(args)
    except LearnsocError as exc:
        if args.debug:
            raise
        print(f"learnsoc: error: {exc}", file=sys.stderr)
        return 1
    parser.error(f"unknown command {args.command!r}")
