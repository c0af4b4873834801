"""polars, the plan of ``polars_impl`` with the eager API (each call runs at once).

Same queries, same checks as tool ``polars``; only how polars executes them differs.
"""

from __future__ import annotations

from benchmarks.peers.polars_impl import describe, run_with
from benchmarks.peers.workload import Population, Result

__all__ = ["NAME", "describe", "run"]

NAME = "polars_eager"


def run(data: Population) -> Result:
    """Run steps (a) to (d) with polars' eager execution."""
    return run_with(data, "eager")
