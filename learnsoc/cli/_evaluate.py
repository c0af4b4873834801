"""``learnsoc evaluate``: evaluate a population or a dataset against a rulebook."""

from __future__ import annotations

import argparse
from pathlib import Path

from learnsoc.cli._books import evaluate_pop, load_book, wants_rulebook_columns
from learnsoc.cli._counts import finish, sizes
from learnsoc.cli._partitions import run_dataset
from learnsoc.cli._paths import check_dataset_options, dataset_folder, input_paths, needs_pyarrow
from learnsoc.cli._printing import tell
from learnsoc.cli._reading import progress_bars, read_given_population
from learnsoc.cli._results import results_folder, write_dataset_results
from learnsoc.i18n import N_, gettext


def _evaluate_dataset(args: argparse.Namespace, folder: Path) -> int:
    """Evaluate a dataset folder; write the summary, counts, rollup and verdicts to --out."""
    import attrs

    from learnsoc.io.writers import atomic_folder

    needs_pyarrow()
    out = None if args.out is None else results_folder(args.out)
    book = load_book(args)
    if out is None:
        result, rejects = run_dataset(args, folder, book, None, standard=False)
        if not args.quiet:
            print(attrs.evolve(result.summary(), rejects=None).to_text(args.locale))
        return finish(args, rejects)
    # Written into a folder of its own beside --out, renamed to it once whole: an
    # interrupted run (Ctrl-C, a worker lost, a full disk) leaves no --out at all, never
    # verdicts without results.json, nor the files of two runs mixed.
    with atomic_folder(out) as staged:
        result, rejects = run_dataset(args, folder, book, staged, standard=True)
        if not args.quiet:
            # The rows read and rejected go to stderr with the other counts, as for files.
            print(attrs.evolve(result.summary(), rejects=None).to_text(args.locale))
        names = write_dataset_results(args, result, rejects, staged)
    for name in names:
        tell(args, gettext(N_("wrote {path}"), args.locale).format(path=out / name))
    return finish(args, rejects)


def evaluate_command(args: argparse.Namespace) -> int:
    folder = dataset_folder(args)
    check_dataset_options(args, folder)
    if folder is not None:
        return _evaluate_dataset(args, folder)
    book = load_book(args)
    pop = read_given_population(
        args,
        schema=book.schema(),
        # Every column by default: the rows rejected are then those 'validate', 'report'
        # and 'dataset' reject, and the counts those of a dataset built from the files.
        columns=book.columns_read(as_of=args.as_of) if wants_rulebook_columns(args) else None,
    )
    ev, rejects = evaluate_pop(args, book, pop)
    if not args.quiet:
        print(ev.summary().to_text(args.locale))
    if args.out:
        from learnsoc.io.verdicts import write_verdicts

        path = write_verdicts(
            ev, args.out, protect=input_paths(args), bars=progress_bars(args), locale=args.locale
        )
        tell(args, gettext(N_("wrote {path}"), args.locale).format(path=path))
    return finish(args, rejects, sizes(pop))
