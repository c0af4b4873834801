"""Three reading paths that were slow on real files: ids, workbooks of many sheets, short rows.

::

    python -m benchmarks.read_paths --repeat 5 --data /tmp/read-paths
    python -m benchmarks.read_paths --smoke

Each case runs in this process, best of ``--repeat`` (the machine is shared: the best run
is the one least disturbed); the files are written to ``--data`` once. To time the code
before a change, run the same command with ``PYTHONPATH`` naming a copy of it.

* ``ids ...``: the look for control and invisible characters in a million text ids with
  Vietnamese letters (``HỘ-000001``), as numpy text 9 characters wide, as numpy text
  64 wide (one long id widens every cell), and as an Arrow column (CSV);
* ``sheets ...``: ``read_excel(find=...)`` on a workbook of 30 sheets of 10,000 rows whose
  18th holds the table, and the choice of the sheet alone (each sheet's top looked at);
* ``csv ...``: ``read_csv(needed=...)`` on a million persons, with every separator written,
  and with 90% of the rows short of their empty last cell (Excel's CSV export).
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from learnsoc.io import convert, excel
from learnsoc.io.csv import read_csv
from learnsoc.io.excel import TableHeader, read_excel

PERSONS = ("person_id", "household_id", "age", "literate")
TABLE = TableHeader(("person_id", "household_id"))


def best(run: Callable[[], Any], repeat: int) -> float:
    """Return the fastest of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def write_csv(path: Path, rows: int, short: bool) -> None:
    """Persons with a notes column, one row in ten noted; ``short``: the others end early."""
    with path.open("w", encoding="utf-8") as fh:
        fh.write(",".join(PERSONS) + ",ghi_chu\n")
        step = 100_000
        for begin in range(1, rows + 1, step):
            lines = []
            for i in range(begin, min(begin + step, rows + 1)):
                note = "ghi chú" if i % 10 == 1 else ""
                line = f"{i},{(i + 3) // 4},{i % 90},1,{note}"
                lines.append((line.removesuffix(",") if short else line) + "\n")
            fh.write("".join(lines))


def write_workbook(path: Path, sheets: int, rows: int, holding: int) -> None:
    """Write ``sheets`` sheets of ``rows`` rows; the one numbered ``holding`` has the table."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for s in range(sheets):
        ws: Any = wb.create_sheet(f"Thôn {s}")
        if s == holding:
            ws.append(["person_id", "household_id", "age"])
            for i in range(rows):
                ws.append([f"NK{i}", f"H{i // 4}", 30])
        else:
            ws.append(["Ghi chú", "Số", "Ngày"])
            for i in range(rows):
                ws.append([f"dòng {i}", i, "01/01/2020"])
    wb.save(path)


def id_cases(n: int, repeat: int) -> dict[str, float]:
    import pyarrow as pa

    ids = [f"HỘ-{i:06d}" for i in range(n)]
    narrow = np.array(ids)
    wide = np.array([*ids[:-1], "HỘ-" + "0" * 61])
    column = pa.array(ids)
    return {
        f"ids: numpy text, {narrow.itemsize // 4} wide": best(
            lambda: convert._control_cells(narrow), repeat
        ),
        f"ids: numpy text, {wide.itemsize // 4} wide": best(
            lambda: convert._control_cells(wide), repeat
        ),
        "ids: Arrow column": best(lambda: convert._control_cells(column), repeat),
    }


def sheet_cases(path: Path, repeat: int) -> dict[str, float]:
    def whole() -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            read_excel(path, find=TABLE)

    def choose() -> None:
        with path.open("rb") as fh:
            workbook = excel._open_workbook(fh, path.name)
            try:
                excel._choose(workbook, None, path.name, None, TABLE)
            finally:
                workbook.archive.close()

    return {
        "sheets: read_excel(find=...)": best(whole, repeat),
        "sheets: choosing the sheet": best(choose, repeat),
    }


def csv_cases(full: Path, short: Path, repeat: int) -> dict[str, float]:
    needed = set(PERSONS).__contains__
    return {
        "csv: every separator written": best(lambda: read_csv(full, needed=needed), repeat),
        "csv: 90% of rows short": best(lambda: read_csv(short, needed=needed), repeat),
    }


def cells(table: Any) -> dict[str, list[Any]]:
    """Return a raw table's columns as lists (Arrow or numpy, batch after batch)."""
    out: dict[str, list[Any]] = {}
    for batch in table.iter_batches():
        for name, column in batch.items():
            values = column.to_pylist() if hasattr(column, "to_pylist") else column.tolist()
            out.setdefault(name, []).extend(values)
    return out


def same_reads(full: Path, short: Path) -> bool:
    """Return whether the short rows read as the full ones: the same cells, none malformed."""
    needed = set(PERSONS).__contains__
    a, b = read_csv(full, needed=needed), read_csv(short, needed=needed)
    return not len(b.layout.malformed) and cells(a) == cells(b)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "read-paths")
    parser.add_argument("--smoke", action="store_true", help="small files, one run")
    args = parser.parse_args(argv)
    rows, sheet_rows, repeat = (1_000_000, 10_000, args.repeat)
    if args.smoke:
        rows, sheet_rows, repeat = 2_000, 200, 1
    folder: Path = args.data / ("smoke" if args.smoke else "full")
    folder.mkdir(parents=True, exist_ok=True)
    full, short, book = folder / "full.csv", folder / "short.csv", folder / "sheets.xlsx"
    if not full.exists():
        write_csv(full, rows, short=False)
    if not short.exists():
        write_csv(short, rows, short=True)
    if not book.exists():
        write_workbook(book, 30, sheet_rows, holding=17)
    results = {
        **id_cases(rows, repeat),
        **sheet_cases(book, repeat),
        **csv_cases(full, short, repeat),
    }
    for name, seconds in results.items():
        print(f"{name:<40} {seconds:8.3f} s")
    if not same_reads(full, short):
        print("the short rows were not read as the full ones")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
