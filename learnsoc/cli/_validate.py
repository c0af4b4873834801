"""``learnsoc validate``: read the input files and report what was rejected."""

from __future__ import annotations

import argparse

from learnsoc.cli._counts import finish, sizes
from learnsoc.cli._reading import read_given_population


def validate_command(args: argparse.Namespace) -> int:
    pop = read_given_population(args)
    return finish(args, pop.rejects, sizes(pop))
