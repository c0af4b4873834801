"""polars, the lazy plan of ``polars_impl`` collected with ``engine="streaming"``.

Same queries, same checks as tool ``polars``; only how polars executes them differs.
"""

from __future__ import annotations

from benchmarks.peers.polars_impl import describe, run_with
from benchmarks.peers.workload import Population, Result

__all__ = ["NAME", "describe", "run"]

NAME = "polars_streaming"


def run(data: Population) -> Result:
    """Run steps (a) to (d) with polars' streaming execution."""
    return run_with(data, "streaming")
