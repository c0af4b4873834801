"""The fuzz worker: runs one reader on one case at a time and judges the outcome.

Started by :mod:`tests.fuzz.harness` as ``python -m tests.fuzz.worker``, it reads one JSON
case per line on stdin and answers one JSON outcome per line. It runs in its own process
so that a hang (the harness kills it), a crash of native code or a memory blow-up (each
case runs under an address-space limit) is a finding, not the end of the test run.

The contract checked (issue 14): a case ends either in a :class:`learnsoc.errors.LearnsocError`
or in success where, for every table, accepted + rejected = read, the accepted rows are
the population's, and "read" matches the records the file holds, counted here without
learnsoc (the csv rules of RFC 4180, openpyxl's full reader, the Parquet footer).
"""

from __future__ import annotations

import importlib
import json
import os
import re
import resource
import signal
import sys
import time
import traceback
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: The population tables each file role fills.
ROLE_TABLE = {
    "persons": "person",
    "households": "household",
    "units": "unit",
    "clans": "clan",
    "organisations": "organisation",
    "memberships": "membership",
}

_MIB = 1 << 20


class Violation(Exception):  # noqa: N818 -- a finding, not an error of the worker
    """The case broke the contract; the message says how."""


# -- counting records without learnsoc ----------------------------------------------------

_LINE = re.compile(r"\r\n|\r|\n")


def _physical_lines(text: str) -> list[str]:
    return _LINE.split(text)


def csv_records(text: str, delimiter: str) -> tuple[int, int]:
    """Return (fewest, most) records a CSV text may hold after its header line.

    The most is one per non-blank line. The fewest follows RFC 4180 as the csv module
    reads it (a double quote opens a quoted cell only where a cell starts; a quoted cell
    may hold line breaks), except that a quote still open at the end of the file ends at
    its own line and reading resumes on the next line: swallowing the rest of the file into
    one cell loses every record after it (issue 14, fault 2).
    """
    lines = _physical_lines(text)
    nonblank = [i for i, line in enumerate(lines) if line]
    if not nonblank:
        return 0, 0
    most = len(nonblank) - 1
    # Offsets of each line start, to resume after an unclosed quote.
    starts = [0, *(m.end() for m in _LINE.finditer(text))]
    records = 0
    pos = 0
    n = len(text)
    header_done = False
    while pos < n:
        end, blank, open_at = _one_record(text, pos, delimiter)
        if open_at is not None:
            # Resume on the line after the one where the unclosed quote opened.
            line = _line_index(starts, open_at)
            end = starts[line + 1] if line + 1 < len(starts) else n
        if not blank:
            if header_done:
                records += 1
            header_done = True
        pos = end
    return min(records, most), most


def _line_index(starts: list[int], offset: int) -> int:
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _one_record(text: str, pos: int, delim: str) -> tuple[int, bool, int | None]:
    """Parse one record from ``pos``: (offset after it, blank?, offset of an unclosed quote)."""
    n = len(text)
    if text[pos] in "\r\n":
        return pos + (2 if text.startswith("\r\n", pos) else 1), True, None
    field_start = True
    quoted_at: int | None = None
    i = pos
    while i < n:
        c = text[i]
        if quoted_at is not None:
            if c == '"':
                if i + 1 < n and text[i + 1] == '"':
                    i += 2
                    continue
                quoted_at = None  # closed; what follows joins the cell (csv's lenient mode)
            i += 1
            continue
        if c in "\r\n":
            return i + (2 if text.startswith("\r\n", i) else 1), False, None
        if c == delim:
            field_start = True
        elif c == '"' and field_start:
            quoted_at = i
            field_start = False
        else:
            field_start = False
        i += 1
    return n, False, quoted_at


def csv_bounds(path: Path) -> tuple[int, int] | None:
    """Return the (fewest, most) records of a CSV file, or None if it is not UTF-8 text."""
    from learnsoc.io.files import sniff_delimiter

    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    first = next((ln for ln in _physical_lines(text) if ln), None)
    if first is None:
        return 0, 0
    return csv_records(text, sniff_delimiter(first))


def xlsx_rows(path: Path) -> tuple[int, int] | None:
    """Count the non-blank rows after the first with openpyxl's full reader (no dimension tag)."""
    # Imported by name: openpyxl ships no type information.
    openpyxl: Any = importlib.import_module("openpyxl")
    try:
        wb = openpyxl.load_workbook(path, read_only=False, data_only=True)
    except Exception:
        return None
    ws = wb.worksheets[0]
    rows = set()
    for (row, _col), cell in ws._cells.items():
        value = cell.value
        if value is not None and (str(value).strip() or isinstance(value, bool)):
            rows.add(row)
    n = max(len(rows) - 1, 0)
    return n, n


def parquet_rows(path: Path) -> tuple[int, int] | None:
    """Return the rows the Parquet footer declares."""
    import pyarrow.parquet as pq

    try:
        n = pq.read_metadata(path).num_rows
    except Exception:
        return None
    return n, n


def bounds(path: Path) -> tuple[int, int] | None:
    """Return the records a population file holds, counted without learnsoc."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return xlsx_rows(path)
    if suffix == ".parquet":
        return parquet_rows(path)
    return csv_bounds(path)


# -- the checks -----------------------------------------------------------------------


def _sizes(pop: Any) -> dict[str, int]:
    return {
        "person": pop.n_persons,
        "household": pop.n_households,
        "unit": len(pop.hierarchy),
        "clan": pop.n_clans,
        "organisation": pop.n_organisations,
        "membership": len(pop.columns("membership")["person_id"]),
    }


def check_population(pop: Any, files: dict[str, Path]) -> dict[str, Any]:
    """Check accepted + rejected = read for every table, and read against the files."""
    counts = pop.rejects.counts()
    sizes = _sizes(pop)
    unverified = []
    for table, (read, accepted, rejected) in counts.items():
        if read != accepted + rejected or min(read, accepted, rejected) < 0:
            msg = f"{table}: read {read} != accepted {accepted} + rejected {rejected}"
            raise Violation(msg)
        if table in sizes and sizes[table] != accepted:
            msg = f"{table}: {accepted} accepted but the population holds {sizes[table]}"
            raise Violation(msg)
        rows = pop.rejects.rows(table)
        if len(rows) and (rows.min() < 0 or rows.max() >= read):
            msg = f"{table}: rejected rows {rows.min()}..{rows.max()} outside 0..{read - 1}"
            raise Violation(msg)
    for role, path in files.items():
        table = ROLE_TABLE[role]
        if table not in counts:
            msg = f"{role}: the file was given but its table {table!r} is not counted"
            raise Violation(msg)
        found = bounds(path)
        if found is None:
            unverified.append(role)
            continue
        lo, hi = found
        read = counts[table][0]
        if not lo <= read <= hi:
            held = str(lo) if lo == hi else f"{lo} to {hi}"
            msg = f"{role}: {read} records read, the file holds {held} (nothing lost?)"
            raise Violation(msg)
    return {"counts": {t: list(c) for t, c in counts.items()}, "unverified": unverified}


def _population_files(case: dict[str, Any]) -> dict[str, Path]:
    folder = Path(case["dir"])
    return {r: folder / f for r, f in case["files"].items() if r in ROLE_TABLE}


def run_population(case: dict[str, Any]) -> dict[str, Any]:
    """Read the case's population files (CSV with an engine, Excel or Parquet)."""
    from learnsoc.io import read_population

    files = _population_files(case)
    options: dict[str, Any] = {"progress": False}  # and the other tables' files
    reader = case["reader"]
    if reader.startswith("csv-"):
        options["engine"] = reader.removeprefix("csv-")
    persons = files.pop("persons")
    households = files.pop("households")
    keywords: dict[str, Any] = dict(files)
    pop = read_population(persons, households=households, **keywords, **options)
    return check_population(pop, {"persons": persons, "households": households, **keywords})


def run_mapping(case: dict[str, Any]) -> dict[str, Any]:
    """Load the mapping file; if it loads, read the agency's files with it."""
    from learnsoc.io import read_mapping, read_population

    folder = Path(case["dir"])
    mapping = read_mapping(folder / case["files"]["mapping"])
    files = _population_files(case)
    pop = read_population(
        files["persons"],
        households=files["households"],
        units=files["units"],
        mapping=mapping,
        engine="python",
        bars=False,
    )
    return check_population(pop, files)


_POPULATION: list[Any] = []


def _old_tree_population() -> Any:
    import learnsoc as ls

    if not _POPULATION:
        _POPULATION.append(ls.synthetic_population(persons=300, seed=3, hierarchy="vn-pre-2025"))
    return _POPULATION[0]


def run_rulebook(case: dict[str, Any]) -> dict[str, Any]:
    """Load the rulebook file; if it loads, evaluate a small population and roll it up."""
    import learnsoc as ls

    book = ls.load_rulebook(Path(case["dir"]) / case["files"]["rulebook"])
    pop = _old_tree_population()
    inputs = ls.synthetic_inputs(pop, book, seed=1)
    ev = ls.evaluate(pop, book, as_of="2025-12-31", inputs=inputs)
    ev.rollup()
    return {"rulebook": book.id}


def run_targets(case: dict[str, Any]) -> dict[str, Any]:
    """Load the target file; if it loads, compare a province's counts with it."""
    import learnsoc as ls
    from learnsoc.aggregate.rollup import rollup_counts

    targets = ls.load_targets(Path(case["dir"]) / case["files"]["targets"])
    tree = ls.Hierarchy.from_units(
        {"code": ["02"], "name": ["Hà Giang"], "level": ["province"], "parent_code": [None]},
        levels=["province"],
    )
    counts = {
        "unit_code": ["02"],
        "families": [187624],
        "learning_families": [138068],
        "clans": [2263],
        "learning_clans": [1564],
        "communities": [2069],
        "learning_communities": [1681],
        "units": [834],
        "learning_units": [818],
    }
    roll = rollup_counts(counts, tree)
    for year in (2025, 2030):
        ls.progress(roll, targets, year=year).to_text(locale="vi")
    return {"targets": targets.id}


def _selftest(case: dict[str, Any]) -> dict[str, Any]:
    """Misbehave on purpose, so the tests can check the harness catches each kind."""
    what = case["reader"]
    if what == "_hang":
        time.sleep(600)
    elif what == "_crash":
        os.kill(os.getpid(), signal.SIGKILL)
    elif what == "_memory":
        # 2 GiB would fit on the machine: only the limit makes this fail.
        return {"size": len(bytearray(2 << 30))}
    elif what == "_foreign":
        raise KeyError(what)
    return {}


RUNNERS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    **dict.fromkeys(("_hang", "_crash", "_memory", "_foreign", "_ok"), _selftest),
    "csv-pyarrow": run_population,
    "csv-python": run_population,
    "xlsx": run_population,
    "parquet": run_population,
    "mapping": run_mapping,
    "rulebook": run_rulebook,
    "targets": run_targets,
}


def _vm_bytes() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _where(exc: BaseException) -> str:
    """The innermost learnsoc frame (or the innermost frame) and the exception."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/learnsoc/" in f.filename.replace(os.sep, "/")]
    if not (ours or frames):
        return ""
    frame = (ours or frames)[-1]
    return f"{Path(frame.filename).name}:{frame.lineno} in {frame.name}"


def run(case: dict[str, Any]) -> dict[str, Any]:
    """Run one case under a memory limit; return its outcome as a JSON-ready dict."""
    from learnsoc.errors import LearnsocError

    size = sum(p.stat().st_size for p in Path(case["dir"]).iterdir() if p.is_file())
    # Memory proportional to the input, with room for the libraries: a reader that asks
    # for rows x longest cell (issue 14, fault 5) hits the limit and raises MemoryError.
    limit = _vm_bytes() + case.get("memory_mib", 768) * _MIB + 64 * size
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            detail = RUNNERS[case["reader"]](case)
    except Violation as exc:
        return {"status": "violation", "kind": "data loss", "detail": str(exc)}
    except LearnsocError as exc:
        text = str(exc)
        return {"status": "error", "type": type(exc).__name__, "detail": text[:300]}
    except MemoryError as exc:
        return {
            "status": "violation",
            "kind": "memory",
            "type": "MemoryError",
            "where": _where(exc),
            "detail": str(exc)[:300],
        }
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        return {
            "status": "violation",
            "kind": "foreign exception",
            "type": f"{type(exc).__module__}.{type(exc).__qualname__}",
            "where": _where(exc),
            "detail": str(exc)[:300],
            "traceback": "".join(traceback.format_exception(exc, limit=-6))[-3000:],
        }
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    return {"status": "ok", **detail}


def main() -> None:
    """Answer one outcome line per case line until stdin closes."""
    # The protocol owns the real stdout; anything a library prints goes to stderr.
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    import learnsoc.io  # noqa: F401 -- import once, before the first case's clock starts

    out.write(json.dumps({"status": "ready"}) + "\n")
    out.flush()
    for line in sys.stdin:
        result = run(json.loads(line))
        out.write(json.dumps(result) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
