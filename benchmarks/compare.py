"""Run the reference workload side by side in numpy, pandas, polars, DuckDB, ... and compare.

Usage (from the repository root)::

    python -m benchmarks.compare --sizes 1e6,1e7,3e7 --orders sorted,shuffled --repeat 3 \\
        --out benchmarks/results/compare.json
    python -m benchmarks.compare --smoke          # 20,000 persons, equality checks only

Every tool runs in its own subprocess (``--worker``) on the same cached population file, so
its peak extra memory is its own. Every tool's result is checked equal to the plain-numpy
reference; any difference or failure is printed and makes the exit code 1. A tool whose
library is missing is listed as "not installed". Writes JSON to ``--out`` and the markdown
table next to it (``.md``), and prints the table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.peers import REFERENCE, tool_names
from benchmarks.peers.data import load_or_make
from benchmarks.peers.report import STATISTICS, add_ratios, markdown_table
from benchmarks.peers.worker import work
from benchmarks.peers.workload import Result, compare_results

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
SMOKE_SIZE = 20_000


def _sizes(text: str) -> list[int]:
    sizes = [int(float(part)) for part in text.split(",") if part.strip()]
    if not sizes or min(sizes) < 1:
        msg = f"--sizes needs positive numbers like 1e6,1e7, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return sizes


def _orders(text: str) -> list[str]:
    orders = [part.strip() for part in text.split(",") if part.strip()]
    unknown = sorted(set(orders) - {"sorted", "shuffled"})
    if not orders or unknown:
        msg = f"--orders takes sorted and/or shuffled, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return orders


def _tools(text: str) -> list[str]:
    tools = [part.strip() for part in text.split(",") if part.strip()]
    unknown = sorted(set(tools) - set(tool_names()))
    if unknown:
        msg = f"unknown tools {unknown}; the tools are {tool_names()}"
        raise argparse.ArgumentTypeError(msg)
    return tools


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.compare", description=__doc__)
    parser.add_argument("--sizes", type=_sizes, default=_sizes("1e6,1e7"))
    parser.add_argument("--orders", type=_orders, default=_orders("sorted,shuffled"))
    parser.add_argument("--repeat", type=int, default=5, help="runs per tool (default 5)")
    parser.add_argument(
        "--statistic",
        choices=sorted(STATISTICS),
        default="median",
        help="time reported over the repeats, per step and total (default median: the "
        "machine is shared and noisy); the JSON has both",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=RESULTS,
        help="folder of the cached population files (default benchmarks/results; "
        "about 140 MB per order at 10M persons)",
    )
    parser.add_argument("--tools", type=_tools, default=None, help="default: all")
    parser.add_argument("--baseline", default=None, help="default: learnsoc if run, else numpy")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=None, help="JSON file; .md written beside")
    parser.add_argument("--smoke", action="store_true", help="20,000 persons, one repeat")
    worker = parser.add_argument_group("worker mode (used by the runner itself)")
    worker.add_argument("--worker", metavar="TOOL", default=None)
    worker.add_argument("--data", type=Path, default=None)
    worker.add_argument("--result", type=Path, default=None)
    worker.add_argument("--report", type=Path, default=None)
    return parser


def _run_worker(
    tool: str, data_path: Path, repeat: int, scratch: Path, statistic: str
) -> tuple[dict[str, Any], Result | None]:
    result_path = scratch / f"{tool}.npz"
    report_path = scratch / f"{tool}.json"
    command = [sys.executable, "-m", "benchmarks.compare", "--worker", tool]
    command += ["--data", str(data_path), "--repeat", str(repeat)]
    command += ["--result", str(result_path), "--report", str(report_path)]
    env = dict(os.environ)
    env.setdefault("POLARS_MAX_THREADS", "2")
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0 or not report_path.exists():
        tail = "\n".join(done.stderr.strip().splitlines()[-15:])
        return {"tool": tool, "status": "failed", "error": tail}, None
    report: dict[str, Any] = json.loads(report_path.read_text())
    if report["status"] != "ok":
        report["status"] = f"not installed (pip install {report['package']})"
        return report, None
    with np.load(result_path, allow_pickle=False) as archive:
        arrays = {name: archive[name] for name in archive.files}
    result = Result.from_arrays(arrays, timings=report[STATISTICS[statistic][0]])
    return report, result


def _run_all(args: argparse.Namespace, tools: list[str]) -> tuple[list[dict[str, Any]], bool]:
    rows: list[dict[str, Any]] = []
    ok = True
    for n_persons in args.sizes:
        first_reference: Result | None = None
        for order in args.orders:
            started = time.perf_counter()
            data_path = load_or_make(args.cache, n_persons, args.seed, order == "shuffled")
            print(
                f"# {n_persons:,} persons, {order}: data ready in "
                f"{time.perf_counter() - started:.1f} s",
                file=sys.stderr,
            )
            reference: Result | None = None
            with tempfile.TemporaryDirectory(prefix="learnsoc-bench-") as scratch:
                for tool in tools:
                    report, result = _run_worker(
                        tool, data_path, args.repeat, Path(scratch), args.statistic
                    )
                    report.update(n_persons=n_persons, order=order)
                    if result is not None and tool == REFERENCE:
                        # Both orders hold the same persons, so the references must agree.
                        reference = result
                        if first_reference is None:
                            first_reference = result
                        else:
                            report["problems"] = compare_results(first_reference, result)
                    elif result is not None:
                        if reference is None:
                            report["problems"] = ["no reference result to compare with"]
                        else:
                            report["problems"] = compare_results(reference, result)
                    if report.get("problems"):
                        report["status"] = "MISMATCH"
                    status = report["status"]
                    ok = ok and (status == "ok" or status.startswith("not installed"))
                    _say(report)
                    rows.append(report)
    return rows, ok


def _say(report: dict[str, Any]) -> None:
    where = f"{report['tool']} {report['n_persons']:,} {report['order']}"
    if report["status"] == "ok":
        print(
            f"  {where}: total {report['total_median_s'] * 1000:,.1f} ms (median), "
            f"{report['total_s'] * 1000:,.1f} ms (best), equal to reference",
            file=sys.stderr,
        )
    elif report["status"] == "MISMATCH":
        print(f"  {where}: MISMATCH with the numpy reference:", file=sys.stderr)
        for problem in report["problems"]:
            print(f"    {problem}", file=sys.stderr)
    elif report["status"] == "failed":
        print(f"  {where}: FAILED\n{report['error']}", file=sys.stderr)
    else:
        print(f"  {where}: {report['status']}", file=sys.stderr)


def _load_average() -> float | None:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def _meta(
    args: argparse.Namespace, rows: list[dict[str, Any]], baseline: str, load_before: float | None
) -> dict[str, Any]:
    versions = {row["tool"]: row["version"] for row in rows if row.get("version")}
    return {
        "command": "python -m benchmarks.compare " + " ".join(sys.argv[1:]),
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        "baseline": baseline,
        # Other work on the machine slows the multi-threaded tools most: say how busy it was.
        "load_average_1min": {"before": load_before, "after": _load_average()},
        "repeat": args.repeat,
        "statistic": args.statistic,
        "versions": versions,
        "timing": (
            f"{args.statistic} of {args.repeat} repeats per step and for the total of (a)-(d), "
            "load/build excluded; "
            f"x {baseline} is total over {baseline}'s time for the same steps; peak extra is "
            "the first run's peak resident set above the one after loading the inputs"
        ),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the comparison (or, with ``--worker``, one tool) and return the exit code."""
    args = _parser().parse_args(argv)
    if args.worker is not None:
        if args.data is None or args.result is None or args.report is None:
            msg = "--worker needs --data, --result and --report"
            raise SystemExit(msg)
        return work(args.worker, args.data, args.repeat, args.result, args.report)
    if args.smoke:
        args.sizes, args.repeat = [SMOKE_SIZE], 1
    out: Path = args.out or RESULTS / ("smoke.json" if args.smoke else "compare.json")
    requested = args.tools or tool_names()
    tools = [REFERENCE, *(tool for tool in requested if tool != REFERENCE)]

    load_before = _load_average()
    rows, ok = _run_all(args, tools)
    ran = {row["tool"] for row in rows if row["status"] == "ok"}
    baseline = args.baseline or ("learnsoc" if "learnsoc" in ran else REFERENCE)
    add_ratios(rows, baseline, args.statistic)
    table = markdown_table(rows, baseline, args.statistic)
    meta = _meta(args, rows, baseline, load_before)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"meta": meta, "runs": rows}, indent=1))
    versions = "; ".join(meta["versions"].values())
    load = meta["load_average_1min"]
    text = (
        f"{table}\n\nTimes: {meta['timing']}. Machine: {meta['machine']}, 1-minute load "
        f"average {load['before']} before, {load['after']} after; Python {meta['python']}. "
        f"Tools: {versions}.\nCommand: `{meta['command']}`\n"
    )
    out.with_suffix(".md").write_text(text)
    print(text)
    if not ok:
        print(
            "FAILED: some tool failed or differs from the numpy reference (see above)",
            file=sys.stderr,
        )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
