"""Run learnsoc's benchmarks.

python -m benchmarks.run --smoke     # CI: every benchmark at a tiny size, checks only
python -m benchmarks.run             # full runs (minutes; sizes per benchmark's defaults)
"""

from __future__ import annotations

import argparse
import importlib
import sys

# Each module has main(argv) -> int and accepts --smoke; every benchmark module with a main()
# is listed (tests/benchmarks/test_run.py checks it), so the smoke run covers them all.
BENCHMARKS = (
    "benchmarks.construction",
    "benchmarks.compare",
    "benchmarks.dataset",
    "benchmarks.engine",
    "benchmarks.hostile_csv",
    "benchmarks.hostile_files",
    "benchmarks.io_read",
    "benchmarks.kernels_micro",
    "benchmarks.national_sql",
    "benchmarks.read_paths",
    "benchmarks.rejects",
    "benchmarks.scale_out",
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args(argv)
    status = 0
    for name in BENCHMARKS:
        module = importlib.import_module(name)
        print(f"\n### {name}\n", flush=True)
        status |= module.main(["--smoke"] if args.smoke else [])
    return status


if __name__ == "__main__":
    sys.exit(main())
