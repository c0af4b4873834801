"""A CSV file with one bad line near its top: time and peak memory against the clean file.

Writes a persons file of ``--persons`` lines (10M: 178 MB) twice, clean and with a quote
left open on line 3, and runs ``learnsoc validate`` on each in a fresh process::

    python -m benchmarks.hostile_csv --persons 10000000
    python -m benchmarks.hostile_csv --persons 2000000 --quoted-names
    python -m benchmarks.hostile_csv --smoke

With ``--quoted-names`` each line also holds a quoted name with a comma in it
(``"Nguyễn, Văn 5"``), as a registry export writes them: the lines that leave a quote
open are then found over the bytes, not line by line.

One bad line must cost about its own bytes: the same rows read (but that line), about the
same time and memory as the clean file. Each run prints its CPU seconds, peak memory (max
RSS of the process) and the count line of ``learnsoc validate``; the status is 1 unless
every row but that line was accepted (timings are not checked).
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

UNITS = (
    "code,name,level,parent_code\n01,P,province,\n00001,C,commune,01\n"
    "00001001,V1,village,00001\n00001002,V2,village,00001\n"
)
HOUSEHOLDS = "household_id,unit_code,registered\nH1,00001001,1\nH2,00001002,1\nH3,00001001,0\n"


def write_persons(path: Path, persons: int, open_quote: bool, quoted: bool = False) -> None:
    """Write ``persons`` lines; with ``open_quote``, line 3 opens a quote it never closes.

    With ``quoted``, each line ends with a quoted name (a ``name`` column).
    """
    with path.open("w", encoding="utf-8") as fh:
        fh.write("person_id,household_id,age,sex,literate" + (",name\n" if quoted else "\n"))
        step = 100_000
        for start in range(1, persons + 1, step):
            lines = []
            for i in range(start, min(start + step, persons + 1)):
                bad = open_quote and i == 2
                household = f'"H{i % 3 + 1}' if bad and not quoted else f"H{i % 3 + 1}"
                # Among quoted names, the name's own quote is the one left open.
                name = (f',"Nguyễn, Văn {i}' + '"' * (not bad)) if quoted else ""
                lines.append(f"{i},{household},{i % 90},{i % 2 + 1},1{name}\n")
            fh.write("".join(lines))


def run(folder: Path, name: str, quoted: bool = False) -> tuple[float, int, str]:
    """Validate one file in a fresh process: (CPU seconds, peak bytes, the persons' line)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    argv = [sys.executable, "-m", "learnsoc", "validate", str(folder / name)]
    argv += ["--households", str(folder / "h.csv"), "--units", str(folder / "u.csv")]
    argv += ["--ignore-unknown-columns"] if quoted else []
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=False)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    line = next((x for x in done.stderr.splitlines() if x.startswith("person:")), done.stderr)
    # ru_maxrss of the children is the largest child's peak so far: one run per process.
    return cpu, after.ru_maxrss * 1024, line.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=10_000_000)
    parser.add_argument("--smoke", action="store_true", help="20,000 persons")
    parser.add_argument("--quoted-names", action="store_true", help="a quoted name on each line")
    args = parser.parse_args(argv)
    persons = 20_000 if args.smoke else args.persons
    status = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "u.csv").write_text(UNITS, "utf-8")
        (folder / "h.csv").write_text(HOUSEHOLDS, "utf-8")
        # The bad file first: ru_maxrss only grows, so the clean file's peak is the larger.
        for name, open_quote in (("open_quote.csv", True), ("clean.csv", False)):
            write_persons(folder / name, persons, open_quote, args.quoted_names)
            size = (folder / name).stat().st_size
            cpu, peak, line = run(folder, name, args.quoted_names)
            print(f"{name}: {size / 1e6:.0f} MB, {cpu:.1f} s CPU, peak {peak / 2**20:.0f} MiB")
            print(f"  {line}")
            accepted = persons - open_quote
            rejected = "1 row" if open_quote else "0 rows"
            if line != f"person: read {persons:,}, accepted {accepted:,}, {rejected} rejected":
                status = 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())
