"""What two ways of giving the same tables are compared on: rows, problems, ids kept."""

from __future__ import annotations

import learnsoc as ls


def population_summary(pop: ls.Population) -> tuple[object, ...]:
    """Return the rows read/accepted/rejected per table read, the problems, and the ids kept.

    Ids are compared as text, sorted: a file reads ``7`` as a number where columns keep
    ``"7"``, and both name the same entity.
    """
    read = {t: c for t, c in pop.rejects.counts().items() if c[0]}
    problems = sorted((b.table, b.column, b.reason, b.rows.tolist()) for b in pop.rejects.batches)
    return (
        read,
        problems,
        sorted(str(i) for i in pop.ids("person").tolist()),
        sorted(str(i) for i in pop.ids("household").tolist()),
    )
