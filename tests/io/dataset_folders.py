"""Province folders as an agency sends them, messy, for ``learnsoc dataset`` and its tests.

Three provinces of a synthetic population, each in its own folder with the standard file
names: province 01's persons as an Excel workbook with Vietnamese headers and a title row
above them, 02's as a CSV in cp1258 (Windows' Vietnamese code page) with the same headers,
03's as a UTF-8 CSV with a BOM; one more row in 03 with an age that is no number
(``bad_cell=True``). The households, clans, organisations and memberships are CSV files
with learnsoc's names. The units table is one national file.
"""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import learnsoc as ls
from tests.io.test_dataset import tree

#: Vietnamese headers of the persons files, mapped onto learnsoc's columns.
HEADERS = {"person_id": "Mã NK", "household_id": "Mã hộ", "age": "Tuổi", "sex": "Giới tính"}

MAPPING = """[mapping]
name = "Bộ dữ liệu thử"

[person]
ignore = ["Họ tên"]
[person.columns]
"Mã NK" = "person_id"
"Mã hộ" = "household_id"
"Tuổi" = "age"
"Giới tính" = "sex"
"""


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def windows_text(text: str) -> str:
    """Return text as Windows writes Vietnamese in cp1258: tone marks as combining marks."""
    out = []
    for char in text:
        try:
            char.encode("cp1258")
            out.append(char)
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
            out.append(base + "".join(c for c in parts if c in _TONES))
    return "".join(out)


def population(persons: int = 900, seed: int = 4) -> ls.Population:
    """The population the folders hold (3 provinces)."""
    return ls.synthetic_population(persons=persons, seed=seed, hierarchy=tree(3))


def _persons_rows(part: ls.Population, folder: Path) -> tuple[list[str], list[list[str]]]:
    """Persons of a partition as rows with Vietnamese headers and a name column."""
    ls.io.write_population(part, folder, tables=["persons"])
    with open(folder / "persons.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    (folder / "persons.csv").unlink()
    header = [HEADERS.get(c, c) for c in rows[0]]
    body = [[*row, f"Nguyễn Thị Hương {i}"] for i, row in enumerate(rows[1:])]
    return [*header, "Họ tên"], body


def make_folders(root: Path, pop: ls.Population, *, bad_cell: bool = False) -> list[Path]:
    """Write the units file, the mapping and one folder per province; return the folders."""
    import openpyxl

    whole = ls.write_dataset(pop, root / "_split")
    ls.io.write_population(pop, root, tables=["units"])
    (root / "mapping.toml").write_text(MAPPING, encoding="utf-8")
    folders = []
    for n, key in enumerate(whole.partitions):
        part = whole.partition(key)
        folder = root / f"tinh-{key}"
        ls.io.write_population(
            part, folder, tables=["households", "clans", "organisations", "memberships"]
        )
        header, body = _persons_rows(part, folder)
        if n == 0:
            book = openpyxl.Workbook()
            sheet = book.active
            sheet.append(["DANH SÁCH NHÂN KHẨU TỈNH " + key])
            sheet.append(header)
            for row in body:
                sheet.append(row)
            book.save(folder / "persons.xlsx")
        else:
            if n == 2 and bad_cell:
                age = header.index("Tuổi")
                extra = list(body[0])
                extra[header.index("Mã NK")] = "999999"
                extra[age] = "ba mươi"
                body.append(extra)
            rows = [header, *body]
            if n == 1:
                rows = [[windows_text(cell) for cell in row] for row in rows]
            encoding = "cp1258" if n == 1 else "utf-8-sig"
            with open(folder / "persons.csv", "w", encoding=encoding, newline="") as f:
                csv.writer(f).writerows(rows)
        folders.append(folder)
    import shutil

    shutil.rmtree(root / "_split")
    return folders


def _rows(path: Path) -> list[list[str]]:
    if path.suffix == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True)
        rows = [
            ["" if v is None else str(v) for v in row]
            for row in book.active.iter_rows(values_only=True)
        ]
        book.close()
        return rows[1:]  # the title row above the header
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1258")
    return list(csv.reader(unicodedata.normalize("NFC", text).splitlines()))


def concatenate(folders: list[Path], out: Path) -> dict[str, Path]:
    """Write every folder's table as one UTF-8 CSV per table (the same rows, one file)."""
    out.mkdir(parents=True, exist_ok=True)
    files = {}
    for table in ("persons", "households", "clans", "organisations", "memberships"):
        header: list[str] = []
        body: list[list[str]] = []
        for folder in folders:
            path = next(p for p in folder.iterdir() if p.stem == table)
            rows = _rows(path)
            header = rows[0]
            body.extend(rows[1:])
        files[table] = out / f"{table}.csv"
        with open(files[table], "w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows([header, *body])
    return files
