"""Loading the rulebook a command names and evaluating a population against it."""

from __future__ import annotations

import argparse
import warnings
from typing import TYPE_CHECKING, Any

from learnsoc.cli._errors import UsageError, usage
from learnsoc.cli._reading import progress_bars, read_input_tables
from learnsoc.cli._warnings import print_caught
from learnsoc.errors import RulebookError
from learnsoc.i18n import N_
from learnsoc.io.rejects import join_rejects

if TYPE_CHECKING:
    from learnsoc.model.population import Population
    from learnsoc.rejects import Rejects


def load_book(args: argparse.Namespace) -> Any:
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


def evaluate_pop(args: argparse.Namespace, book: Any, pop: Population) -> tuple[Any, Rejects]:
    """Evaluate with the ``--inputs`` files; return the evaluation and every reject."""
    from learnsoc.rules.engine import evaluate

    inputs, found = read_input_tables(args, book, pop)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ev = evaluate(pop, book, args.as_of, inputs=inputs, bars=progress_bars(args))
    print_caught(caught, ev.missing_inputs)
    return ev, join_rejects(pop.rejects, found)


def wants_rulebook_columns(args: argparse.Namespace) -> bool:
    """Return whether to read only the rulebook's columns (``--rulebook-columns``)."""
    if args.rulebook_columns and args.all_columns:
        raise usage(N_("give --rulebook-columns or --all-columns, not both"))
    return bool(args.rulebook_columns)
