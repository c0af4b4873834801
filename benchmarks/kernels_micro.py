"""Micro-benchmark of the mask-counting strategies behind the aggregation kernels.

Times ``group_count``, ``group_share`` (where and known given: three packed counters) and
``group_counts`` with five masks, for members sorted by group and shuffled, by each
counting method (segments, scatter, bincount) and by the plain numpy baseline of one
``np.bincount(codes, weights=mask)`` per mask. Every result is checked equal to the
baseline before it is timed.

Run from the repository root::

    python -m benchmarks.kernels_micro                      # 10M members, 3M groups
    python -m benchmarks.kernels_micro --smoke              # tiny, checks only
    python -m benchmarks.kernels_micro --json out.json      # also write the timings
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
from numpy.typing import NDArray

from learnsoc.aggregate import Groups, group_count, group_counts, group_share

METHODS = ("segments", "scatter", "bincount")


def population(
    n_members: int, n_groups: int, seed: int
) -> tuple[NDArray[np.int64], NDArray[np.intp], NDArray[np.intp]]:
    """Offsets and codes for group sizes 1 + Poisson (mean n_members / n_groups), and a shuffle."""
    rng = np.random.default_rng(seed)
    sizes = 1 + rng.poisson(max(n_members / n_groups - 1.0, 0.0), n_groups)
    offsets = np.zeros(n_groups + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    codes = np.repeat(np.arange(n_groups, dtype=np.intp), sizes)
    return offsets, codes, rng.permutation(codes.size)


def best_of(func: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Best and median wall time in milliseconds, after one warm-up call."""
    func()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1e3)
    return min(times), statistics.median(times)


def bincount_each(
    codes: NDArray[np.intp], n_groups: int, masks: list[NDArray[np.bool_]]
) -> NDArray[np.int64]:
    """The plain-numpy way: one weighted bincount per mask."""
    counts = [np.bincount(codes, weights=m, minlength=n_groups) for m in masks]
    return np.stack(counts).astype(np.int64)


Operation = tuple[Callable[[Groups, str], NDArray[np.int64]], list[NDArray[np.bool_]]]


def operations(
    masks: list[NDArray[np.bool_]], where: NDArray[np.bool_], known: NDArray[np.bool_]
) -> dict[str, Operation]:
    """Each timed call, with the masks the numpy baseline counts to get the same numbers."""

    def count(groups: Groups, method: str) -> NDArray[np.int64]:
        return group_count(groups, where, method=method)  # type: ignore[arg-type]

    def share(groups: Groups, method: str) -> NDArray[np.int64]:
        rate = group_share(groups, masks[2], where, known, method=method)  # type: ignore[arg-type]
        return np.stack([rate.numerator, rate.denominator, rate.missing])

    def counts(groups: Groups, method: str) -> NDArray[np.int64]:
        return group_counts(groups, masks, method=method)  # type: ignore[arg-type]

    eligible = where & known
    return {
        "group_count(where)": (count, [where]),
        "group_share(mask, where, known)": (share, [masks[2] & eligible, eligible, where & ~known]),
        "group_counts(5 masks)": (counts, masks),
    }


def run(n_members: int, n_groups: int, repeat: int, seed: int) -> tuple[list[dict[str, Any]], int]:
    """Time every operation by every method on sorted and shuffled members."""
    offsets, codes, shuffle = population(n_members, n_groups, seed)
    rng = np.random.default_rng(seed + 1)
    n = codes.size
    masks = [rng.random(n) < p for p in (0.1, 0.3, 0.5, 0.7, 0.9)]
    where, known = rng.random(n) < 0.8, rng.random(n) < 0.95
    layouts = {
        # Segments need only offsets; scatter and bincount use the codes.
        "sorted": (
            codes,
            {"segments": Groups.from_offsets(offsets), "other": Groups.from_codes(codes, n_groups)},
        ),
        "shuffled": (
            codes[shuffle],
            {"other": Groups.from_codes(codes[shuffle], n_groups, detect_sorted=False)},
        ),
    }
    rows: list[dict[str, Any]] = []
    for layout, (layout_codes, groups_for) in layouts.items():
        order = slice(None) if layout == "sorted" else shuffle
        ops = operations([m[order] for m in masks], where[order], known[order])
        for name, (call, baseline_masks) in ops.items():
            expected = bincount_each(layout_codes, n_groups, baseline_masks)
            timings: dict[str, tuple[float, float]] = {
                "numpy bincount per mask": best_of(
                    partial(bincount_each, layout_codes, n_groups, baseline_masks), repeat
                )
            }
            for method in METHODS:
                groups = groups_for.get("segments" if method == "segments" else "other")
                if groups is None:
                    continue
                result = call(groups, method).reshape(expected.shape)
                assert np.array_equal(result, expected), (name, layout, method)
                timings[method] = best_of(partial(call, groups, method), repeat)
            rows.append({"operation": name, "layout": layout, "ms": timings})
    return rows, n


def markdown(rows: list[dict[str, Any]], n_members: int, n_groups: int, repeat: int) -> str:
    columns = ["numpy bincount per mask", *METHODS]
    lines = [
        f"{n_members:,} members in {n_groups:,} groups; best (median) of {repeat} runs, ms; "
        f"numpy {np.__version__}, {platform.machine()}",
        "",
        "| operation | members | " + " | ".join(columns) + " |",
        "|---|---|" + "---:|" * len(columns),
    ]
    for row in rows:
        cells = []
        for column in columns:
            timing = row["ms"].get(column)
            cells.append("n/a" if timing is None else f"{timing[0]:.1f} ({timing[1]:.1f})")
        lines.append(f"| {row['operation']} | {row['layout']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--members", type=int, default=10_000_000)
    parser.add_argument("--groups", type=int, default=3_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--smoke", action="store_true", help="tiny population, one run: checks only"
    )
    parser.add_argument("--json", help="write the timings to this file")
    args = parser.parse_args(argv)
    if args.smoke:
        args.members, args.groups, args.repeat = 20_000, 6_000, 1
    rows, n_members = run(args.members, args.groups, args.repeat, args.seed)
    print(markdown(rows, n_members, args.groups, args.repeat))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            summary = {"members": n_members, "groups": args.groups, "repeat": args.repeat}
            json.dump({**summary, "numpy": np.__version__, "rows": rows}, handle, indent=2)
    return 0  # every result was checked equal to the baseline before it was timed


if __name__ == "__main__":
    sys.exit(main())
