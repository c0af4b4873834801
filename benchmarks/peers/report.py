"""Turn the runner's rows into ratios and a markdown table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from benchmarks.peers.workload import STEPS

__all__ = ["STATISTICS", "add_ratios", "markdown_table"]

_MIB = 1024 * 1024

STATISTICS: Final = {"best": ("best_s", "total_s"), "median": ("median_s", "total_median_s")}
"""Statistic over the repeats -> (per-step key, total key) of a worker's report."""


def _steps_time(row: Mapping[str, Any], steps: Sequence[str], statistic: str) -> float:
    per_step: Mapping[str, float] = row[STATISTICS[statistic][0]]
    return sum(per_step[step] for step in steps)


def add_ratios(rows: list[dict[str, Any]], baseline: str, statistic: str = "best") -> None:
    """Set ``ratio`` on every finished row: its time over the baseline tool's time.

    Both on the same size and order, both by `statistic` over the repeats (``"best"`` or
    ``"median"``). Rows that ran the baseline's steps compare totals; a tool that stops
    after step (b) compares its (a) + (b) with the baseline's.

    Examples
    --------
    >>> rows = [
    ...     {"tool": "numpy", "n_persons": 10, "order": "sorted", "status": "ok",
    ...      "steps": ["a", "b"], "best_s": {"a": 1.0, "b": 1.0}, "total_s": 2.0},
    ...     {"tool": "slow", "n_persons": 10, "order": "sorted", "status": "ok",
    ...      "steps": ["a"], "best_s": {"a": 3.0}, "total_s": 3.0},
    ... ]
    >>> add_ratios(rows, "numpy")
    >>> [row["ratio"] for row in rows]
    [1.0, 3.0]
    >>> rows[0]["total_s"] = 2.5  # a best total is not the sum of the best steps
    >>> add_ratios(rows, "numpy")
    >>> [row["ratio"] for row in rows]
    [1.0, 3.0]
    """
    bases = {
        (row["n_persons"], row["order"]): row
        for row in rows
        if row["tool"] == baseline and row["status"] == "ok"
    }
    for row in rows:
        base = bases.get((row["n_persons"], row["order"]))
        if row["status"] != "ok" or base is None:
            row["ratio"] = None
            continue
        total = STATISTICS[statistic][1]
        if row["steps"] == base["steps"]:
            time, base_time = row[total], base[total]
        else:
            time = _steps_time(row, row["steps"], statistic)
            base_time = _steps_time(base, row["steps"], statistic)
        row["ratio"] = time / base_time if base_time > 0 else None


def _ms(seconds: float | None) -> str:
    return "" if seconds is None else f"{seconds * 1000:,.1f}"


def markdown_table(
    rows: Sequence[Mapping[str, Any]], baseline: str, statistic: str = "best"
) -> str:
    """Return the rows as a markdown table, one line per tool, size and order.

    Times are `statistic` (``"best"`` or ``"median"``) over the repeats, per step and total.

    Examples
    --------
    >>> row = {"tool": "numpy", "n_persons": 1000, "order": "sorted", "status": "ok",
    ...        "steps": ["a"], "best_s": {"load": 0.0, "a": 0.002}, "total_s": 0.002,
    ...        "ratio": 1.0, "peak_extra_bytes": 2 * 1024 * 1024, "input_bytes": 1024 * 1024,
    ...        "notes": ["plain"]}
    >>> print(markdown_table([row], "numpy").splitlines()[2])
    | numpy | 1,000 | sorted | 0.0 | 2.0 |  |  |  | 2.0 | 2,000.0 | 1.00 | 2.0 | 2.00 | plain |
    """
    header = (
        "| tool | persons | order | load/build ms | (a) ms | (b) ms | (c) ms | (d) ms "
        f"| total ms | ns/person | x {baseline} | peak extra MiB | x input | notes |"
    )
    lines = [header, "|" + "---|" * 14]
    for row in rows:
        cells = [row["tool"], f"{row['n_persons']:,}", row["order"]]
        if row["status"] != "ok":
            lines.append("| " + " | ".join([*cells, *[""] * 10, row["status"]]) + " |")
            continue
        per_step_key, total_key = STATISTICS[statistic]
        per_step: Mapping[str, float] = row[per_step_key]
        setup = per_step.get("load", per_step.get("build"))
        ratio = row.get("ratio")
        peak = row["peak_extra_bytes"]
        total = row[total_key]
        cells += [_ms(setup), *(_ms(per_step.get(step)) for step in STEPS), _ms(total)]
        cells += [
            f"{total / row['n_persons'] * 1e9:,.1f}",
            "" if ratio is None else f"{ratio:.2f}",
            f"{peak / _MIB:,.1f}",
            f"{peak / row['input_bytes']:.2f}",
            "; ".join(row["notes"]),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
