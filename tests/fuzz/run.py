"""Fuzz the readers for longer than CI does, and list what breaks the contract.

Usage (from the repository root)::

    python -m tests.fuzz.run --minutes 15 --save /tmp/fuzz-found

Cases are numbered after the ones CI runs (``--start``, default 1000), so a long run
explores new files; every violating case's mutated file is copied into ``--save`` with its
outcome beside it (``.outcome``), ready to be added to ``tests/fuzz/corpus/<reader>/``.
The same bug found many times is listed once, with how often it was found.
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path

from tests.fuzz import harness


def main(argv: list[str] | None = None) -> int:
    """Run the fuzzer until the time is up; print one line per distinct finding."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--readers", default=",".join(sorted(harness.READERS)))
    parser.add_argument("--start", type=int, default=1000, help="first case number")
    parser.add_argument("--base", type=int, default=0, help="base seed (0: CI's)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per case")
    parser.add_argument("--save", type=Path, default=None, help="folder for violating files")
    args = parser.parse_args(argv)
    readers = args.readers.split(",")
    pairs = [(r, f) for r in readers for f in harness.READERS[r]["families"]]
    end = time.monotonic() + 60 * args.minutes
    worker = harness.Worker(timeout=args.timeout)
    root = Path(tempfile.mkdtemp(prefix="learnsoc-fuzz-"))
    seen: Counter[tuple[str, ...]] = Counter()
    first: dict[tuple[str, ...], harness.Outcome] = {}
    statuses: Counter[str] = Counter()
    try:
        for index in itertools.count(args.start):
            if time.monotonic() > end:
                break
            for reader, family in pairs:
                if time.monotonic() > end:
                    break
                case = harness.make_case(reader, family, index, args.base, root)
                outcome = worker.run(case)
                statuses[outcome.status] += 1
                if outcome.violation:
                    sig = outcome.signature()
                    seen[sig] += 1
                    if sig not in first:
                        first[sig] = outcome
                        print(f"NEW {outcome.summary()}", flush=True)
                    if args.save is not None and seen[sig] <= 3:
                        harness.save(outcome, args.save)
                shutil.rmtree(case.folder, ignore_errors=True)
    finally:
        worker.close()
        shutil.rmtree(root, ignore_errors=True)
    print(f"\ncases: {sum(statuses.values())} ({dict(statuses)})")
    for sig, n in seen.most_common():
        print(f"{n:5d}x {first[sig].summary()}")
    return 1 if seen else 0


if __name__ == "__main__":
    raise SystemExit(main())
