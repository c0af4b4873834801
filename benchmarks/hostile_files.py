"""Small hostile files: what each costs ``learnsoc validate``, against its size.

Each file is built in a temporary folder and validated in a fresh process::

    python -m benchmarks.hostile_files            # the sizes of the CHANGELOG's figures
    python -m benchmarks.hostile_files --smoke

- ``styles``: a workbook of ``--styles`` cell styles, each with its alignment (200,000:
  786 KB, 35 MB of XML);
- ``format_code``: a workbook whose one custom number format is ``--code-chars`` ``[``
  (200,000: 5 KB);
- ``blank_lines``: a persons CSV of two rows with ``--blank-lines`` line breaks between them
  (100 million: 100 MB);
- ``sheets``: a workbook of ``--sheets`` sheets holding the same table (100,000: 1 MB),
  which is an error, whose message must stay short (past ``learnsoc.limits.MAX_SHEETS``,
  the workbook is refused before its list of sheets is read);
- ``manifest``: a dataset folder whose ``manifest.json`` is ``--manifest-mib`` MiB of empty
  objects in an array (``[{},{},...]``, what costs Python's JSON reader most: 25 times its
  bytes), evaluated with ``learnsoc evaluate DIR``; past
  ``learnsoc.limits.MAX_MANIFEST_BYTES`` (16 MiB) it is refused from its size, unread.

Each prints the file's size, the CPU seconds, the peak memory (max RSS) and the length
of the longest line written to stderr; the status is 1 unless the rows were read (two
persons) or the sheets' or the manifest's error said, each line under 4,000 characters.
Timings are not checked.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

UNITS = (
    "code,name,level,parent_code\n01,P,province,\n00001,C,commune,01\n00001001,V1,village,00001\n"
)
HOUSEHOLDS = "household_id,unit_code,registered\nH1,00001001,1\n"
HEADER = ["person_id", "household_id", "age", "sex", "literate"]
ROWS = [[1, "H1", 30, 1, 1], [2, "H1", 40, 2, 1]]
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _seed(path: Path, sheets: int = 1) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    for i in range(sheets):
        ws = wb.active if i == 0 else wb.create_sheet(f"S{i}")
        ws.append(HEADER)
        for row in ROWS:
            ws.append(row)
    wb.save(path)


def _with_styles(path: Path, styles: bytes) -> None:
    seed = path.with_suffix(".seed.xlsx")
    _seed(seed)
    with zipfile.ZipFile(seed) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = styles if info.filename == "xl/styles.xml" else src.read(info.filename)
            out.writestr(info.filename, data)
    seed.unlink()


def _stylesheet(formats: str, xfs: str) -> bytes:
    return (
        f'<styleSheet xmlns="{_MAIN}"><numFmts>{formats}</numFmts>'
        "<fonts><font/></fonts><fills><fill><patternFill/></fill></fills>"
        '<borders><border/></borders><cellStyleXfs><xf numFmtId="0"/></cellStyleXfs>'
        f"<cellXfs>{xfs}</cellXfs>"
        '<cellStyles><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    ).encode()


def styles_file(folder: Path, n: int) -> Path:
    """A workbook of ``n`` cell styles, each of its own indent (so they do not repeat)."""
    xf = '<xf numFmtId="{f}" applyAlignment="1"><alignment indent="{i}"/><protection/></xf>'
    xfs = "".join(xf.format(f=i % 50, i=i % 251) for i in range(n))
    path = folder / "styles.xlsx"
    _with_styles(path, _stylesheet("", xfs))
    return path


def format_code_file(folder: Path, n: int) -> Path:
    """A workbook whose one custom number format is ``n`` characters ``[``."""
    code = f'<numFmt numFmtId="164" formatCode="{"[" * n}"/>'
    path = folder / "format_code.xlsx"
    _with_styles(path, _stylesheet(code, '<xf numFmtId="0"/><xf numFmtId="164"/>'))
    return path


def blank_lines_file(folder: Path, n: int) -> Path:
    """A persons CSV of two rows with ``n`` line breaks between them."""
    path = folder / "blank_lines.csv"
    with path.open("w", encoding="utf-8") as fh:
        fh.write(",".join(HEADER) + "\n" + ",".join(map(str, ROWS[0])) + "\n")
        block = "\n" * min(n, 1 << 24)
        for _ in range(n // len(block)):
            fh.write(block)
        fh.write("\n" * (n % len(block)) + ",".join(map(str, ROWS[1])) + "\n")
    return path


def sheets_file(folder: Path, n: int) -> Path:
    """A workbook of ``n`` sheets, each the same table: which to read cannot be told."""
    seed = folder / "sheets.seed.xlsx"
    _seed(seed)
    path = folder / "sheets.xlsx"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(seed) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                more = "".join(
                    f'<sheet xmlns:r="{rel}" name="S{i}" sheetId="{i + 2}" r:id="rX{i}"/>'
                    for i in range(1, n)
                )
                data = data.replace(b"</sheets>", more.encode() + b"</sheets>")
            elif info.filename == "xl/_rels/workbook.xml.rels":
                more = "".join(
                    f'<Relationship Id="rX{i}" Target="/xl/worksheets/sheet1.xml" '
                    f'Type="{rel}/worksheet"/>'
                    for i in range(1, n)
                )
                data = data.replace(b"</Relationships>", more.encode() + b"</Relationships>")
            out.writestr(info.filename, data)
    seed.unlink()
    return path


def manifest_file(folder: Path, n: int) -> Path:
    """A dataset folder's manifest of ``n`` MiB: an array of empty objects."""
    (folder / "dataset").mkdir()
    path = folder / "dataset" / "manifest.json"
    with path.open("wb") as fh:
        fh.write(b"[")
        block = b"{}," * ((1 << 20) // 3)  # a MiB, less a byte
        for _ in range(n):
            fh.write(block)
        fh.write(b"{}]")
    return path


def run(folder: Path, persons: Path) -> tuple[float, int, str, int]:
    """Validate in a fresh process: (CPU seconds, peak bytes, the persons' line or the
    error, the characters of stderr's longest line). A dataset's manifest: its folder is
    evaluated."""
    argv = [sys.executable, "-m", "learnsoc", "validate", str(persons)]
    argv += ["--households", str(folder / "h.csv"), "--units", str(folder / "u.csv")]
    if persons.name == "manifest.json":
        argv = [sys.executable, "-m", "learnsoc", "evaluate", str(persons.parent)]
        argv += ["--rulebook", "example", "--as-of", "30/06/2025", "--locale", "en"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, env=env)
        # wait4: the usage of this process alone (RUSAGE_CHILDREN keeps the largest peak).
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        said = err.read().decode("utf-8", "replace")
    lines = said.strip().splitlines() or [""]
    person = next((x for x in lines if x.startswith("person:")), lines[-1])
    cpu = usage.ru_utime + usage.ru_stime
    return cpu, usage.ru_maxrss * 1024, person.strip(), max(map(len, lines))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--styles", type=int, default=200_000)
    parser.add_argument("--code-chars", type=int, default=200_000)
    parser.add_argument("--blank-lines", type=int, default=100_000_000)
    parser.add_argument("--sheets", type=int, default=100_000)
    parser.add_argument("--manifest-mib", type=int, default=64)
    parser.add_argument("--smoke", action="store_true", help="a hundredth of each, or less")
    args = parser.parse_args(argv)
    if args.smoke:
        args.styles, args.code_chars, args.blank_lines, args.sheets = 2_000, 2_000, 100_000, 30
        args.manifest_mib = 1
    read = "person: read 2, accepted 2, 0 rows rejected"
    # Past learnsoc.limits.MAX_SHEETS the workbook is refused before its list is read.
    many_sheets = "lists more than" if args.sheets > 10_000 else "several sheets hold a table"
    # Past learnsoc.limits.MAX_MANIFEST_BYTES the manifest is refused from its size.
    big = "manifests are limited to" if args.manifest_mib >= 16 else "its layout is not"
    cases = [
        ("format_code", format_code_file, args.code_chars, read),
        ("sheets", sheets_file, args.sheets, many_sheets),
        ("styles", styles_file, args.styles, read),
        ("blank_lines", blank_lines_file, args.blank_lines, read),
        ("manifest", manifest_file, args.manifest_mib, big),
    ]
    status = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "u.csv").write_text(UNITS, "utf-8")
        (folder / "h.csv").write_text(HOUSEHOLDS, "utf-8")
        for name, build, n, expected in cases:
            path = build(folder, n)
            size = path.stat().st_size
            cpu, peak, line, said = run(folder, path)
            print(
                f"{name} ({n:,}): {size / 1e6:.2f} MB, {cpu:.1f} s CPU, peak "
                f"{peak / 2**20:.0f} MiB, longest line said {said:,} characters"
            )
            print(f"  {line[:200]}")
            if expected not in line or said > 4_000:
                status = 1
            path.unlink()
    return status


if __name__ == "__main__":
    raise SystemExit(main())
