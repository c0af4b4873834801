"""A workbook's columns learnsoc will not read are not kept, and every row is judged as before.

With ``unknown_columns="ignore"`` (``--ignore-unknown-columns``) a CSV file's unknown
columns were no longer parsed (hostile12), but a workbook's cells were all kept, then
dropped: a persons sheet of 4,000 unknown columns by 1,000 rows (17 MB) peaked at 478 MB
of resident memory with ``learnsoc validate``. The reader now keeps only the cells of
the columns read; each row is still judged on all its cells as the sheet streams by, so
a row filled only in an unknown column is still a record (rejected for what it lacks), a
heading or a totals label there is still seen, and a blank row is still none.
"""

from __future__ import annotations

import random
import tracemalloc
import warnings
from pathlib import Path

import openpyxl

from learnsoc.io.mapping import FileMapping
from learnsoc.io.population import assemble, read_population, read_table
from learnsoc.io.rejects import FileReject
from learnsoc.model.schema import STANDARD_SCHEMA

UNITS = (
    "code,name,level,parent_code\n01,P,province,\n00001,C,commune,01\n00001001,V,village,00001\n"
)
HOUSEHOLDS = "household_id,unit_code\nH1,00001001\nH2,00001001\nH3,00001001\n"
KNOWN = ["person_id", "household_id", "age", "sex", "literate"]


def _paths(folder: Path, rows: list[list[object]]) -> dict[str, Path]:
    folder.mkdir(exist_ok=True)
    paths = {
        "persons": folder / "p.xlsx",
        "households": folder / "h.csv",
        "units": folder / "u.csv",
    }
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Nhân khẩu")
    for row in rows:
        ws.append([None if c == "" else c for c in row])
    wb.save(paths["persons"])
    paths["households"].write_text(HOUSEHOLDS, "utf-8")
    paths["units"].write_text(UNITS, "utf-8")
    return paths


def _read(paths: dict[str, Path]) -> object:
    return read_population(
        paths["persons"],
        households=paths["households"],
        units=paths["units"],
        unknown_columns="ignore",
    )


def _whole(paths: dict[str, Path]) -> object:
    """The population of the workbook read whole, its unknown columns kept, then ignored.

    (Read as the mapping's ``unknown_columns = "error"`` reads them; a row number, STT, is
    left out either way.)
    """
    raws = {
        table: read_table(paths[key], table)
        for table, key in (("unit", "units"), ("household", "households"), ("person", "persons"))
    }
    return assemble(
        raws,
        hierarchy=None,
        mapping=FileMapping(),
        levels=None,
        schema=STANDARD_SCHEMA,
        reference_year=None,
        strict=False,
        unknown_columns="ignore",
    )


def _lines(pop: object) -> list[tuple[int, str, str]]:
    found = pop.rejects.records("en")  # type: ignore[attr-defined]
    return [(r.line, r.column, r.reason) for r in found if isinstance(r, FileReject)]


def _random_sheet(rng: random.Random) -> list[list[object]]:
    columns = list(KNOWN)
    for name in rng.sample(["STT", "Họ và tên", "Ghi chú", "Khác", "Tên thôn"], rng.randint(1, 5)):
        columns.insert(rng.randint(0, len(columns)), name)
    others: list[object] = ["", "", "", "x", "Xóm 3", "Thôn Đông", "II", 1, "Tổng cộng"]
    others += [" ", "a\nb", "Người lập biểu", 7.5]
    cells: dict[str, list[object]] = {
        "person_id": ["", "P{i}", "Xóm 9", "II"],
        "household_id": ["", "H1", "H2", "H9"],
        "age": ["", 40, "40", "abc", -1],
    }
    rows: list[list[object]] = [list(columns)]
    for i in range(rng.randint(1, 10)):
        filled = rng.random() > 0.4
        rows.append(
            [
                (_formatted(rng.choice(cells.get(c, ["", 1, 0])), i) if filled else "")
                if c in KNOWN
                else rng.choice(others)
                for c in columns
            ]
        )
    return rows


def _formatted(cell: object, i: int) -> object:
    return cell.format(i=i) if isinstance(cell, str) else cell


def test_random_workbooks_read_as_when_read_whole(tmp_path: Path) -> None:
    """Rows of headings, totals, notes, blanks and data, with unknown columns anywhere."""
    rng = random.Random(14)  # noqa: S311 -- reproducible test files
    for k in range(60):
        paths = _paths(tmp_path / str(k), _random_sheet(rng))
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            got = _read(paths)
            whole = _whole(paths)
        said = [str(w.message) for w in seen]
        assert said[: len(said) // 2] == said[len(said) // 2 :], k
        counts = [p.rejects.counts() for p in (got, whole)]  # type: ignore[attr-defined]
        assert counts[0] == counts[1], k
        assert _lines(got) == _lines(whole), k
        assert got.n_persons == whole.n_persons, k  # type: ignore[attr-defined]


def test_rows_filled_only_in_unknown_columns_are_judged_as_before(tmp_path: Path) -> None:
    head: list[object] = ["STT", "Họ và tên", "person_id", "household_id", "age", "Khác"]
    rows: list[list[object]] = [
        head,
        [1, "Nguyễn An", "P1", "H1", 40, "a"],
        ["", "Xóm 3", "", "", "", ""],  # a heading in the name column: skipped
        ["", "", "", "", "", "x"],  # filled only under Khác: a record lacking all
        [2, "Lê Bình", "P2", "H2", 30, ""],
    ]
    paths = _paths(tmp_path, rows)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pop = _read(paths)
    # By hand: row 5 ('x' under Khác) lacks its id, household and age; row 3 is a heading.
    assert sorted({(line, reason) for line, _, reason in _lines(pop)}) == [(4, "missing_value")]
    assert pop.rejects.counts()["person"] == (4, 2, 1)  # type: ignore[attr-defined]
    assert pop.rejects.n_skipped("person") == 1  # type: ignore[attr-defined]


def test_unknown_columns_ignored_cost_no_memory(tmp_path: Path) -> None:
    """600 unknown columns by 200 rows (485 KB): their 120,000 cells were kept as Python
    strings in lists (a traced peak of 10.1 MB) before the known columns were handed on;
    now 2.8 MB, mostly the workbook's parts as they are read."""
    head: list[object] = ["person_id", "household_id", "age", *(f"x{k}" for k in range(600))]
    extra: list[object] = [f"v{k % 97}" for k in range(600)]
    rows = [head, *([f"P{i}", "H1", 20 + i % 60, *extra] for i in range(200))]
    paths = _paths(tmp_path / "wide", rows)
    _read(_paths(tmp_path / "small", [head[:4], ["P0", "H1", 20, "v"]]))  # imports, untraced
    tracemalloc.start()
    try:
        pop = _read(paths)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert pop.rejects.counts()["person"] == (200, 200, 0)  # type: ignore[attr-defined]
    assert peak < 5_000_000, peak
