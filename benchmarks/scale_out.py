"""Benchmark: a dataset evaluated here, in worker processes and on a Dask LocalCluster.

The same dataset (``ls.write_dataset`` of ``ls.synthetic_population`` on a tree of
``--provinces`` provinces, ``--communes`` communes in each and about 1,000 persons per
village), the same rulebook, four runs of ``ls.evaluate_dataset``: in this process (its
default, and ``threads=1``: one partition after the other), ``workers=N`` local
processes, and a ``distributed.LocalCluster`` of N worker processes (one thread each), as
Dask configures its workers and without the ``MALLOC_TRIM_THRESHOLD_`` its nanny
sets (not in the smoke run). The summaries and rollups must be equal; the figure is each
run's time over the local run's (issue 13's goal: the cluster within 1.5x of the local
run). The cluster's start is timed apart (it is paid once per session, not per
evaluation)::

    python -m benchmarks.scale_out --persons 1e6 --provinces 4 --communes 10
    python -m benchmarks.scale_out --smoke
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import shutil
import sys
import tempfile
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

import learnsoc as ls


def tree(provinces: int, communes: int, villages: int) -> ls.Hierarchy:
    """Provinces, ``communes`` communes in each, ``villages`` villages in each commune."""
    code, level, parent = [], [], []
    for p in range(provinces):
        code.append(f"{p + 1:02d}")
        level.append("province")
        parent.append("")
    for p in range(provinces):
        for c in range(communes):
            code.append(f"{p + 1:02d}{c + 1:03d}")
            level.append("commune")
            parent.append(f"{p + 1:02d}")
    for p in range(provinces):
        for c in range(communes):
            for v in range(villages):
                code.append(f"{p + 1:02d}{c + 1:03d}{v + 1:03d}")
                level.append("village")
                parent.append(f"{p + 1:02d}{c + 1:03d}")
    units = {"code": code, "level": level, "parent_code": parent}
    return ls.Hierarchy.from_units(units, levels="vn-2025")


def write(folder: Path, persons: int, provinces: int, communes: int, level: str, seed: int) -> None:
    """Write the benchmark's dataset (about 1,000 persons per village)."""
    villages = max(1, round(persons / 1_000 / (provinces * communes)))
    pop = ls.synthetic_population(persons, seed, tree(provinces, communes, villages))
    ls.write_dataset(pop, folder, partition_by=level)


def _equal(a: Any, b: Any) -> bool:
    if a.summary() != b.summary():
        return False
    ra, rb = a.rollup().to_columns(), b.rollup().to_columns()
    return list(ra) == list(rb) and all(
        np.array_equal(ra[c], rb[c], equal_nan=ra[c].dtype.kind == "f") for c in ra
    )


def _timed(run: Any, repeat: int) -> tuple[float, float, Any]:
    """Return the first run's time (imports and caches cold), the best one's, the result."""
    times, result = [], None
    for _ in range(repeat):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            start = time.perf_counter()
            result = run()
            times.append(time.perf_counter() - start)
    return times[0], min(times), result


def bench(
    folder: Path, book: str, as_of: str, workers: int, repeat: int, untrimmed: bool = True
) -> dict[str, Any]:
    """Time the four runs on one dataset; check they agree."""
    ds = ls.read_dataset(folder)
    rows: dict[str, Any] = {"partitions": len(ds.partitions), "persons": ds.n_persons}
    _, rows["local_s"], here = _timed(lambda: ls.evaluate_dataset(ds, book, as_of), repeat)
    rows["one_thread_first_s"], rows["one_thread_s"], alone = _timed(
        lambda: ls.evaluate_dataset(ds, book, as_of, threads=1), repeat
    )
    rows["workers_first_s"], rows["workers_s"], there = _timed(
        lambda: ls.evaluate_dataset(ds, book, as_of, workers=workers), repeat
    )
    ok = _equal(here, there) and _equal(here, alone)
    if importlib.util.find_spec("distributed") is not None:
        dask: Any = importlib.import_module("dask")
        distributed: Any = importlib.import_module("distributed")
        # Dask's nanny sets MALLOC_TRIM_THRESHOLD_=65536 in its workers, which turns off
        # glibc's adaptive mmap threshold: every large numpy temporary is then a fresh
        # mapping, page-faulted in again. Timed as Dask ships it, and without it. The
        # nanny puts the variable in this process's environment too, before it starts a
        # worker: a later cluster's workers inherit it whatever the config says, unless
        # it is taken out again (it was not, and "without it" measured it set).
        trim = "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_"
        configs: list[tuple[str, dict[str, Any]]] = [("dask", {})]
        if untrimmed:
            configs.append(("dask_untrimmed", {trim: None}))
        for name, config in configs:
            start = time.perf_counter()
            with (
                _environ_without(trim.rsplit(".", 1)[1]),
                dask.config.set(config),
                distributed.LocalCluster(
                    n_workers=workers, processes=True, threads_per_worker=1, dashboard_address=":0"
                ) as cluster,
                distributed.Client(cluster) as client,
            ):
                rows[f"{name}_start_s"] = time.perf_counter() - start
                rows[f"{name}_first_s"], rows[f"{name}_s"], remote = _timed(
                    lambda client=client: ls.evaluate_dataset(ds, book, as_of, client=client),
                    repeat,
                )
            ok = ok and _equal(here, remote)
    rows["equal"] = ok
    return rows


@contextlib.contextmanager
def _environ_without(name: str) -> Iterator[None]:
    """Leave ``name`` out of this process's environment, then put back what it was."""
    before = os.environ.pop(name, None)
    try:
        yield
    finally:
        os.environ.pop(name, None)
        if before is not None:
            os.environ[name] = before


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=float, default=1e6)
    parser.add_argument("--partition-by", default="province,commune")
    parser.add_argument("--rulebook", default="example")
    parser.add_argument("--as-of", default="2025-12-31")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--provinces", type=int, default=4)
    parser.add_argument("--communes", type=int, default=10, help="communes per province")
    parser.add_argument(
        "--data", help="keep the datasets in this folder (default: a temporary one)"
    )
    parser.add_argument("--json", help="write the figures here")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes: the checks, not timings")
    args = parser.parse_args(argv)
    if args.smoke:
        args.persons, args.repeat, args.provinces, args.communes = 8_000, 1, 2, 2
        args.partition_by = "province"
    root = Path(args.data) if args.data else Path(tempfile.mkdtemp(prefix="learnsoc-scale-"))
    status = 0
    table = []
    try:
        for level in args.partition_by.split(","):
            name = f"{int(args.persons)}-{args.provinces}x{args.communes}-{level}"
            folder = root / name
            if not (folder / "manifest.json").is_file():
                write(folder, int(args.persons), args.provinces, args.communes, level, args.seed)
            row = {
                "partition_by": level,
                **bench(
                    folder, args.rulebook, args.as_of, args.workers, args.repeat, not args.smoke
                ),
            }
            table.append(row)
            if not row["equal"]:
                print(f"DIFFERENT results partitioned by {level}", file=sys.stderr)
                status = 1
    finally:
        if not args.data:
            shutil.rmtree(root, ignore_errors=True)
    print(f"rulebook {args.rulebook}, {args.workers} workers, best of {args.repeat} (first run)")
    print(
        "| partitioned by | partitions | persons | local s | one thread s (ratio; first) "
        "| workers s (ratio; first) "
        "| Dask s (ratio; first) | Dask, MALLOC_TRIM_THRESHOLD_ unset | cluster start s |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in table:
        local = r["local_s"]

        def cell(name: str, r: dict[str, Any] = r, local: float = local) -> str:
            if f"{name}_s" not in r:
                return "not installed"
            best, first = r[f"{name}_s"], r[f"{name}_first_s"]
            return f"{best:.2f} ({best / local:.2f}x; {first:.2f})"

        start = f"{r['dask_start_s']:.2f}" if "dask_start_s" in r else "-"
        print(
            f"| {r['partition_by']} | {r['partitions']:,} | {r['persons']:,} | {local:.2f} "
            f"| {cell('one_thread')} | {cell('workers')} | {cell('dask')} "
            f"| {cell('dask_untrimmed')} | {start} |"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(table, indent=1) + "\n", encoding="utf-8")
    return status


if __name__ == "__main__":
    sys.exit(main())
