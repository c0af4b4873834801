"""Benchmark: building populations (synthetic generator and from columns), 1M and 10M persons.

Each case runs in its own subprocess so its peak memory is its own::

    python -m benchmarks.construction --sizes 1e6,1e7 --repeat 3
    python -m benchmarks.construction --smoke          # what CI runs: small, checks only

Reports time (best of the repeats), peak extra memory (peak RSS minus RSS before the timed
call) and bytes per person, as JSON (benchmarks/results/construction.json) and a markdown
table.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.memory import peak_bytes, reset_peak, rss_bytes

RESULTS = Path(__file__).resolve().parent / "results"
CASES = ("import", "synthetic", "from_columns", "from_columns_shuffled")


def _write_inputs(n: int, folder: Path) -> Path:
    import learnsoc as ls

    pop = ls.synthetic_population(persons=n, seed=1)
    path = folder / f"pop_{n}.npz"
    arrays: dict[str, Any] = {}
    for table in ("person", "household"):
        for k, v in pop.columns(table).items():
            arrays[f"{table}.{k}"] = v
    for k, v in pop.hierarchy.to_columns().items():
        arrays[f"unit.{k}"] = v
    np.savez(path, **arrays)
    return path


def _load(path: Path) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {"person": {}, "household": {}, "unit": {}}
    with np.load(path) as data:
        for key in data.files:
            table, col = key.split(".", 1)
            out[table][col] = data[key]
    return out


def worker(case: str, n: int, data: Path | None) -> dict[str, Any]:
    """Run one case once in this process and return its measurements."""
    import learnsoc as ls

    if case == "synthetic":
        base = rss_bytes()
        reset_peak()
        start = time.perf_counter()
        pop = ls.synthetic_population(persons=n, seed=1)
        seconds = time.perf_counter() - start
    else:
        assert data is not None
        tables = _load(data)
        h = ls.Hierarchy.from_units(tables["unit"], levels="vn-2025")
        persons, households = tables["person"], tables["household"]
        if case == "from_columns_shuffled":
            rng = np.random.default_rng(0)
            p_order = rng.permutation(len(persons["person_id"]))
            h_order = rng.permutation(len(households["household_id"]))
            persons = {k: v[p_order] for k, v in persons.items()}
            households = {k: v[h_order] for k, v in households.items()}
        base = rss_bytes()
        reset_peak()
        start = time.perf_counter()
        pop = ls.Population.from_columns(persons, households, h)
        seconds = time.perf_counter() - start
    assert pop.n_persons == n, (pop.n_persons, n)
    assert len(pop.rejects) == 0
    return {
        "seconds": seconds,
        "peak_extra_bytes": max(peak_bytes() - base, 0),
        "peak_total_bytes": peak_bytes(),
        "stored_bytes_per_person": pop.nbytes()["person"] / n,
    }


_IMPORT_PROBE = (
    "import time; t = time.perf_counter(); import learnsoc; "
    'print(\'{"seconds": %f, "peak_extra_bytes": 0}\' % (time.perf_counter() - t))'
)


def _run_case(case: str, n: int, data: Path | None) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "benchmarks.construction", "--worker", case, "--persons", str(n)]
    if case == "import":  # a bare interpreter: nothing imported before learnsoc
        cmd = [sys.executable, "-c", _IMPORT_PROBE]
    if data is not None:
        cmd += ["--data", str(data)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        msg = f"case {case} at {n} failed:\n{done.stderr}"
        raise RuntimeError(msg)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run(sizes: list[int], repeat: int) -> list[dict[str, Any]]:
    """Run every case at every size, best of ``repeat`` runs, each run in a fresh process."""
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            data = _write_inputs(n, Path(tmp))
            for case in CASES:
                needs_data = case.startswith("from_columns")
                runs = [_run_case(case, n, data if needs_data else None) for _ in range(repeat)]
                best = min(runs, key=lambda r: r["seconds"])
                best["peak_extra_bytes"] = min(r["peak_extra_bytes"] for r in runs)
                rows.append({"case": case, "persons": n, **best})
    return rows


def markdown(rows: list[dict[str, Any]]) -> str:
    """Render the results as a markdown table."""
    lines = [
        "| case | persons | time (s) | peak extra memory (MiB) | stored bytes/person |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        per = r.get("stored_bytes_per_person")
        lines.append(
            f"| {r['case']} | {r['persons']:,} | {r['seconds']:.3f} | "
            f"{r['peak_extra_bytes'] / 2**20:,.0f} | {'' if per is None else f'{per:.0f}'} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1e6,1e7", help="comma-separated person counts")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="tiny size, one run: for CI")
    parser.add_argument("--worker", choices=CASES, help=argparse.SUPPRESS)
    parser.add_argument("--persons", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker, args.persons, args.data)))
        return 0
    sizes = [20_000] if args.smoke else [int(float(s)) for s in args.sizes.split(",")]
    rows = run(sizes, 1 if args.smoke else args.repeat)
    RESULTS.mkdir(exist_ok=True)
    name = "construction-smoke.json" if args.smoke else "construction.json"
    (RESULTS / name).write_text(json.dumps(rows, indent=2))
    print(markdown(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
