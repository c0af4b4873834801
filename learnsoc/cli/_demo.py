"""``learnsoc demo``: a synthetic population evaluated and reported."""

from __future__ import annotations

import argparse
import time
import warnings

from learnsoc.cli._arguments import levels_shown
from learnsoc.cli._counts import finish, sizes
from learnsoc.cli._printing import tell
from learnsoc.cli._warnings import print_caught
from learnsoc.i18n import N_, format_decimal, format_integer, gettext
from learnsoc.model.hierarchy import PRESETS


def demo_command(args: argparse.Namespace) -> int:
    from learnsoc.aggregate.rollup import rollup
    from learnsoc.rules.engine import evaluate
    from learnsoc.rules.registry import load_rulebook
    from learnsoc.rules.rulebook import AbolishedProcedureWarning
    from learnsoc.synth import synthetic_inputs, synthetic_population
    from learnsoc.targets import load_targets, progress, standard_measures, standard_titles

    loc = args.locale
    # Checked first, not after the whole report is printed: --level xã, or a level the
    # tree does not have (district after the 2025 reform).
    (level,) = levels_shown([args.level], PRESETS[args.hierarchy].names)
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
    print_caught([w for w in caught if not issubclass(w.category, AbolishedProcedureWarning)])
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
    tell(args, f"{format_integer(pop.n_persons, loc)} {persons}, {secs}")
    took = gettext(N_("titles, rollup and progress in {seconds} s"), loc)
    tell(args, took.format(seconds=format_decimal(assessed, 2, loc)))
    return finish(args, pop.rejects, sizes(pop))
