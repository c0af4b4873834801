"""Benchmark: the memory a bad file costs, per rejected row, reading it and writing its rejects.

Each case runs in its own subprocess so its peak memory is its own::

    python -m benchmarks.rejects --sizes 1e6,5e6
    python -m benchmarks.rejects --smoke          # what CI runs: small, checks only

Cases, each a persons file of N rows that are all rejected:

- ``duplicate_id``: every row has the same person id (every copy is rejected);
- ``bad_age``: every row has the age 300;
- ``dataset_ids``: ``learnsoc dataset`` over two folders of N/2 persons each that hold the
  same ids (every id is in both, so every row of both is rejected), with
  ``--drop-rejected`` (the dataset's own ``rejects.csv``) and ``--rejects``.

For the first two: the time to read the files, the peak memory of the read over the
memory before it, the bytes the rejects hold afterwards (per reject: what the process
keeps while it works on), the time and peak extra memory of writing ``rejects.csv``, and
the peak extra memory of ``Rejects.to_columns()`` beside the bytes of its arrays. For
``dataset_ids``: the time and peak resident memory of the whole command. Every case
checks accepted + rejected = read and the rows in the rejects file.
"""

from __future__ import annotations

import argparse
import csv
import gc
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from benchmarks.memory import peak_bytes, reset_peak, rss_bytes

CASES = ("duplicate_id", "bad_age", "dataset_ids")

UNITS = (
    "code,name,level,parent_code\n01,A,province,\n00001,B,commune,01\n00001001,C,village,00001\n"
    "02,D,province,\n00002,E,commune,02\n00002001,F,village,00002\n"
)


def _persons(path: Path, n: int, case: str, household: str = "H1") -> None:
    with path.open("w", encoding="utf-8") as f:
        f.write("person_id,household_id,age,sex,literate\n")
        block = 100_000
        for start in range(0, n, block):
            stop = min(n, start + block)
            if case == "duplicate_id":
                f.write(f"P00000001,{household},40,1,1\n" * (stop - start))
            elif case == "bad_age":
                f.writelines(f"P{i:08d},{household},300,1,1\n" for i in range(start, stop))
            else:  # the same ids in every folder
                f.writelines(f"P{i:08d},{household},40,1,1\n" for i in range(start, stop))


def write_files(case: str, n: int, folder: Path) -> list[Path]:
    """Write the case's files into ``folder``; return the folders of persons files."""
    (folder / "units.csv").write_text(UNITS, encoding="utf-8")
    if case != "dataset_ids":
        (folder / "households.csv").write_text(
            "household_id,unit_code,registered\nH1,00001001,1\n", encoding="utf-8"
        )
        _persons(folder / "persons.csv", n, case)
        return [folder]
    out = []
    for name, household, village in (("a", "H1", "00001001"), ("b", "H2", "00002001")):
        sub = folder / name
        sub.mkdir()
        (sub / "households.csv").write_text(
            f"household_id,unit_code,registered\n{household},{village},1\n", encoding="utf-8"
        )
        _persons(sub / "persons.csv", n // 2, case, household)
        out.append(sub)
    return out


def _rows_in(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return sum(1 for _ in csv.reader(f)) - 1


def worker(case: str, n: int, folder: Path) -> dict[str, Any]:
    """Read the case's files once in this process and return its measurements."""
    from learnsoc.io import read_population
    from learnsoc.io.writers import write_rejects

    gc.collect()
    before = rss_bytes()
    reset_peak()
    start = time.perf_counter()
    cpu = time.process_time()
    pop = read_population(
        folder / "persons.csv",
        households=folder / "households.csv",
        units=folder / "units.csv",
        bars=False,
    )
    read_s, read_cpu = time.perf_counter() - start, time.process_time() - cpu
    read_peak = peak_bytes() - before
    rej = pop.rejects
    n_rejects = len(rej)
    counts = rej.counts()["person"]
    assert counts == (n, 0, n), counts
    assert n_rejects == n, n_rejects
    # What the rejects hold: the memory a copy of them takes (unpickled, traced alone).
    del pop
    blob = pickle.dumps(rej)
    gc.collect()
    tracemalloc.start()
    copy = pickle.loads(blob)  # noqa: S301 (made just above)
    held_bytes = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del copy, blob
    gc.collect()
    out = folder / "rejects.csv"
    before = rss_bytes()
    reset_peak()
    start = time.perf_counter()
    cpu = time.process_time()
    write_rejects(rej, out, locale="vi", bars=False)
    write_s, write_cpu = time.perf_counter() - start, time.process_time() - cpu
    write_peak = peak_bytes() - before
    assert _rows_in(out) == n
    # The rejects as columns (Rejects.to_columns): built a chunk of records at a time.
    gc.collect()
    before = rss_bytes()
    reset_peak()
    columns = rej.to_columns("vi")
    columns_peak = peak_bytes() - before
    columns_bytes = sum(int(c.nbytes) for c in columns.values())
    assert len(columns["message"]) == n
    del columns
    return {
        "case": case,
        "rejects": n_rejects,
        "read_s": read_s,
        "read_cpu_s": read_cpu,
        "read_peak_mb": read_peak / 1e6,
        "held_bytes_per_reject": held_bytes / n_rejects,
        "write_s": write_s,
        "write_cpu_s": write_cpu,
        "write_peak_bytes_per_reject": write_peak / n_rejects,
        "columns_peak_bytes_per_reject": columns_peak / n_rejects,
        "columns_result_bytes_per_reject": columns_bytes / n_rejects,
    }


def dataset_case(n: int, folder: Path) -> dict[str, Any]:
    """Run ``learnsoc dataset`` on the two folders in a child process; its time and peak RSS."""
    subs = write_files("dataset_ids", n, folder)
    command = [
        sys.executable,
        "-m",
        "learnsoc",
        "dataset",
        *(str(s) for s in subs),
        "--units",
        str(folder / "units.csv"),
        "--out",
        str(folder / "DIR"),
        "--drop-rejected",
        "--rejects",
        str(folder / "rejects.csv"),
        "--locale",
        "en",
    ]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    start = time.perf_counter()
    # /usr/bin/time is not everywhere; the child's peak comes from the kernel instead.
    probe = (
        "import resource, subprocess, sys, json; "
        "code = subprocess.run(sys.argv[1:], capture_output=True).returncode; "
        "use = resource.getrusage(resource.RUSAGE_CHILDREN); "
        "print(json.dumps([code, use.ru_maxrss, use.ru_utime + use.ru_stime]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *command], capture_output=True, text=True, env=env, check=True
    )
    took = time.perf_counter() - start
    code, peak_kb, cpu = json.loads(done.stdout)
    assert code == 1, code  # rows were rejected
    assert _rows_in(folder / "rejects.csv") == n
    assert _rows_in(folder / "DIR" / "rejects.csv") == n
    return {
        "case": "dataset_ids",
        "rejects": n,
        "command_s": took,
        "command_cpu_s": cpu,
        "peak_rss_mb": peak_kb * 1024 / 1e6,
        "peak_bytes_per_reject": peak_kb * 1024 / n,
    }


def run_case(case: str, n: int) -> dict[str, Any]:
    """Write the files and measure one case in a fresh process."""
    with tempfile.TemporaryDirectory(prefix="learnsoc-rejects-") as tmp:
        folder = Path(tmp)
        if case == "dataset_ids":
            return dataset_case(n, folder)
        write_files(case, n, folder)
        command = [sys.executable, "-m", "benchmarks.rejects", "--worker", case]
        command += ["--rows", str(n), "--data", str(folder)]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1e6,5e6", help="comma-separated rejected rows")
    parser.add_argument("--cases", default=",".join(CASES))
    parser.add_argument("--smoke", action="store_true", help="tiny size: for CI")
    parser.add_argument("--worker", choices=CASES, help=argparse.SUPPRESS)
    parser.add_argument("--rows", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.rows, args.data)))
        return 0
    sizes = [2_000] if args.smoke else [int(float(s)) for s in args.sizes.split(",")]
    for n in sizes:
        for case in args.cases.split(","):
            print(json.dumps(run_case(case, n)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
