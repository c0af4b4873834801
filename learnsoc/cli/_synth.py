"""``learnsoc synth``: write a synthetic partitioned dataset."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TYPE_CHECKING

from learnsoc.cli._arguments import level_choice, level_hint
from learnsoc.cli._errors import usage
from learnsoc.cli._paths import needs_pyarrow, writable_folder
from learnsoc.cli._printing import tell
from learnsoc.cli._reading import progress_bars
from learnsoc.i18n import N_, format_decimal, format_integer, gettext

if TYPE_CHECKING:
    from learnsoc.io.dataset import Dataset


def synth_command(args: argparse.Namespace) -> int:
    from learnsoc.io.dataset import write_synthetic_dataset
    from learnsoc.model.hierarchy import hierarchy_spec

    loc = args.locale
    if args.persons < 1:
        raise usage(N_("--persons: give at least 1, not {n}"), n=args.persons)
    levels = hierarchy_spec(args.hierarchy).names
    level = level_choice(args.partition_by or levels[0], levels)
    if level not in levels:
        raise usage(
            N_("--partition-by: {level!r} is not a level of {hierarchy} ({levels}){hint}"),
            level=level,
            hierarchy=args.hierarchy,
            levels=", ".join(levels),
            hint=level_hint(level, levels),
        )
    needs_pyarrow()
    writable_folder("--out", str(Path(args.folder) / "manifest.json"))
    start = time.perf_counter()
    ds = write_synthetic_dataset(
        args.folder,
        persons=args.persons,
        seed=args.seed,
        hierarchy=args.hierarchy,
        partition_by=level,
        bars=True if args.bars else progress_bars(args),
    )
    say_written(args, ds, level, time.perf_counter() - start, loc)
    return 0


def say_written(args: argparse.Namespace, ds: Dataset, level: str, took: float, loc: str) -> None:
    """Say what a dataset written by a command holds (synth, dataset)."""
    households = sum(r["households"] for r in ds.rows.values())
    done = gettext(
        N_(
            "wrote {path}: {persons} persons, {households} households; partitions by "
            "{level}: {partitions}; {seconds} s"
        ),
        loc,
    )
    tell(
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
