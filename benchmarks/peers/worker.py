"""The subprocess side of the benchmark: run one tool on one population file.

Started as ``python -m benchmarks.compare --worker TOOL --data FILE.npz ...`` so that each
tool's peak memory is its own. Order matters for the memory figure: import the tool's library,
load the inputs, then take the resident set as the baseline; before each repeat the kernel's
high-water mark is reset to the current resident set, so the peak seen at the end of the last
timed step is the workload's alone (untimed result extraction after that is not counted).
The memory figure is the first run's, as in a script that runs the workload once: later
repeats start with whatever the allocator kept from the earlier ones (freed but not returned
to the system), which is not the workload's need. The largest over all repeats is reported
too (``peak_extra_any_repeat_bytes``).
"""

from __future__ import annotations

import gc
import json
import os
import statistics
from pathlib import Path
from typing import Any

from benchmarks.peers import MissingPackageError, load_tool
from benchmarks.peers.data import load_population, save_arrays
from benchmarks.peers.measure import current_rss, peak_rss, reset_peak_rss
from benchmarks.peers.workload import STEPS, Result, input_nbytes

__all__ = ["work"]


def _write_json(path: Path, report: dict[str, Any]) -> None:
    path.write_text(json.dumps(report, indent=1, sort_keys=True))


def work(tool: str, data_path: Path, repeat: int, result_path: Path, report_path: Path) -> int:
    """Run `tool` `repeat` times on the population in `data_path`; write result and report.

    The result arrays of the last repeat go to `result_path` (``.npz``); the timings, memory
    figures and notes to `report_path` (JSON). Returns the process exit code.
    """
    os.environ.setdefault("POLARS_MAX_THREADS", "2")
    try:
        module = load_tool(tool)
    except MissingPackageError as exc:
        _write_json(report_path, {"tool": tool, "status": "not installed", "package": exc.package})
        return 0
    version = module.describe()

    data = load_population(data_path)
    gc.collect()
    baseline = current_rss()
    can_reset = reset_peak_rss()
    if not can_reset:
        baseline = peak_rss()

    timings: dict[str, list[float]] = {}
    totals: list[float] = []
    peaks: list[int] = []
    result: Result | None = None
    for _ in range(repeat):
        result = None
        gc.collect()
        if can_reset:
            reset_peak_rss()
        result = module.run(data)
        for step, seconds in result.timings.items():
            timings.setdefault(step, []).append(seconds)
        totals.append(result.total)
        peaks.append(result.peak_rss)
    assert result is not None

    save_arrays(result_path, result.to_arrays())
    _write_json(
        report_path,
        {
            "tool": tool,
            "status": "ok",
            "version": version,
            "steps": [step for step in STEPS if step in result.timings],
            "timings_s": timings,
            "best_s": {step: min(values) for step, values in timings.items()},
            "total_s": min(totals),
            "median_s": {step: statistics.median(values) for step, values in timings.items()},
            "total_median_s": statistics.median(totals),
            "input_bytes": input_nbytes(data),
            "rss_after_load_bytes": baseline,
            "peak_extra_bytes": peaks[0] - baseline,
            "peak_extra_any_repeat_bytes": max(peaks) - baseline,
            "peak_reset": can_reset,
            "notes": list(result.notes),
            "repeat": repeat,
        },
    )
    return 0
