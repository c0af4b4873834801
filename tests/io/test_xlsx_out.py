"""Excel output (issue 16, item 3): reports, rollups, verdicts and rejects as real .xlsx.

Every file is read back with openpyxl and compared cell by cell: values, data types and
number formats, the bold frozen header row, and text that must never become a formula.
"""

from __future__ import annotations

import math
import tracemalloc
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.io.rejects import FileRejects
from learnsoc.io.verdicts import verdict_columns, write_verdicts
from learnsoc.io.writers import (
    TABLE_FORMATS,
    XLSX_CELL_CHARS,
    OutputPathError,
    write_chunks,
    write_rejects,
    write_table,
    write_xlsx,
)
from learnsoc.rejects import RejectBatch, Rejects
from learnsoc.targets.indicators import INDICATORS
from tests._workbooks import column_ids
from tests.io.helpers import files, read, write
from tests.optional import require
from tests.test_cli_io import INPUTS, run

load_workbook = require("openpyxl").load_workbook

#: The Vietnamese label of an indicator (its wording is the library's, not this test's).
LABEL_VI = INDICATORS["learning_families"].display("vi")


def _rows(path: Path, sheet: str | None = None) -> list[list[Any]]:
    wb = load_workbook(path)
    ws = wb[sheet] if sheet else wb.active
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_xlsx_is_a_table_format() -> None:
    assert TABLE_FORMATS[".xlsx"] == "xlsx"


def test_cells_keep_their_types_and_formats(tmp_path: Path) -> None:
    table = {
        "tên": np.array(["Hà Nội", '=HYPERLINK("http://x","y")', "#N/A", "a\x01b", "-5"]),
        "số_hộ": np.array([1250, 1250000, -3, 0, 7], np.int64),
        "tỉ_lệ": np.array([0.5, np.nan, 1.25, np.inf, -0.5]),
        "đạt": np.array([True, False, True, False, True]),
    }
    path = write_table(table, tmp_path / "t.xlsx")
    wb = load_workbook(path)
    ws = wb.active
    assert ws.title == "data"
    assert _rows(path) == [
        ["tên", "số_hộ", "tỉ_lệ", "đạt"],
        ["Hà Nội", 1250, 0.5, True],
        ['=HYPERLINK("http://x","y")', 1250000, None, False],
        ["#N/A", -3, 1.25, True],
        ["a\\x01b", 0, None, False],
        ["-5", 7, -0.5, True],
    ]
    # Text is text: never a formula, never an error cell; numbers are numbers.
    assert [ws.cell(r, 1).data_type for r in range(2, 7)] == ["s"] * 5
    assert [ws.cell(r, 2).number_format for r in range(2, 7)] == ["#,##0"] * 5
    assert ws["B2"].data_type == "n" and ws["D2"].data_type == "b"
    assert ws["C2"].number_format == "General"
    # The header: bold, frozen, columns wide enough for it.
    assert all(c.font.b for c in ws[1])
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["A"].width >= len('=HYPERLINK("http://x","y")')
    assert 6 <= ws.column_dimensions["B"].width <= 60
    # No formula anywhere in the sheet's XML.
    import zipfile

    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml


def test_long_text_is_cut_to_what_a_cell_holds(tmp_path: Path) -> None:
    path = write_xlsx({"v": np.array(["x" * (XLSX_CELL_CHARS + 10)], dtype=object)},
                      tmp_path / "t.xlsx")  # fmt: skip
    value = _rows(path)[1][0]
    assert len(value) == XLSX_CELL_CHARS and value.endswith("…")


def test_long_tables_go_on_to_further_sheets(tmp_path: Path) -> None:
    """Past a sheet's last row the rows go on to 'name (2)', each sheet with the header."""
    chunks = ({"n": np.arange(i, i + 4)} for i in (0, 4))
    path = write_chunks(chunks, tmp_path / "n.xlsx", sheet="verdicts", sheet_rows=3)
    wb = load_workbook(path)
    assert wb.sheetnames == ["verdicts", "verdicts (2)", "verdicts (3)"]
    got = [[c.value for c in row] for ws in wb for row in ws.iter_rows()]
    assert got == [["n"], [0], [1], [2], ["n"], [3], [4], [5], ["n"], [6], [7]]
    assert all(ws.freeze_panes == "A2" for ws in wb)


def test_an_empty_table_is_a_header_row(tmp_path: Path) -> None:
    path = write_table({"a": np.zeros(0, np.int64), "b": np.zeros(0, str)}, tmp_path / "e.xlsx")
    assert _rows(path) == [["a", "b"]]


def test_a_failed_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "t.xlsx"
    target.write_bytes(b"old")

    def chunks() -> Any:
        yield {"a": np.array([1])}
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_chunks(chunks(), target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["t.xlsx"]


def test_rejects_as_xlsx_in_vietnamese(tmp_path: Path) -> None:
    paths = files(tmp_path, persons="person_id,household_id,age\n1,H1,300\n2,H1,=1+1\n3,H1,4\n")
    pop = read(paths)
    out = write_rejects(pop.rejects, tmp_path / "rejects.xlsx", locale="vi")
    wb = load_workbook(out)
    assert wb.sheetnames == ["dòng bị loại"]
    ws = wb["dòng bị loại"]
    rows = _rows(out)
    assert column_ids(ws) == [
        "file",
        "line",
        "table",
        "column",
        "value",
        "reason",
        "message",
        "row",
    ]
    words = ["tệp", "dòng", "mã bảng", "cột", "giá trị trong tệp", "mã lý do", "thông báo"]
    words.append("dòng (đếm từ 0)")
    assert rows[0] == words
    assert [r[1:6] for r in rows[1:]] == [
        [2, "person", "age", "300", "out_of_range"],
        [3, "person", "age", "=1+1", "not_a_number"],
    ]
    assert "persons.csv, dòng 2, cột age: giá trị '300' nằm ngoài" in rows[1][6]
    assert ws["E3"].data_type == "s" and ws["B2"].number_format == "0"
    with pytest.raises(OutputPathError, match="it is the input file"):
        write_rejects(pop.rejects, paths["persons"].with_suffix(".csv"))


def test_rejects_without_files(tmp_path: Path) -> None:
    rej = Rejects((RejectBatch("person", "age", "out_of_range", [4], ["300"], "0..120"),),
                  read={"person": 10})  # fmt: skip
    rows = _rows(write_rejects(rej, tmp_path / "r.xlsx", locale="en"))
    # A list's row 4 (counted from 0) is no line of a file: ``line`` is empty.
    assert rows[1][:6] == [None, None, "person", "age", "300", "out_of_range"]
    assert rows[1][7] == 4
    assert not isinstance(rej, FileRejects)


def _evaluation(persons: int = 2_000) -> Any:
    from learnsoc.rules.engine import evaluate
    from learnsoc.rules.registry import load_rulebook

    pop = ls.synthetic_population(persons=persons, seed=3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return evaluate(pop, load_rulebook("example"), "2025-12-31")


def test_verdicts_as_xlsx_match_the_table(tmp_path: Path) -> None:
    ev = _evaluation()
    path = write_verdicts(ev, tmp_path / "verdicts.xlsx")
    wb = load_workbook(path, read_only=True)
    assert wb.sheetnames == ["verdicts"]
    rows = [list(r) for r in wb["verdicts"].iter_rows(values_only=True)]
    cols = verdict_columns(ev)
    assert rows[0] == list(cols)
    expected = []
    for i in range(len(cols["id"])):
        row = []
        for arr in cols.values():
            v = arr[i].item() if hasattr(arr[i], "item") else arr[i]
            if isinstance(v, float) and math.isnan(v):
                v = None
            row.append(v if v != "" else None)
        expected.append(row)
    assert rows[1:] == expected


def test_progress_and_results_to_excel(tmp_path: Path) -> None:
    from learnsoc.report.results import results
    from learnsoc.targets import load_targets, progress

    h = ls.Hierarchy.from_units({"code": ["02"], "name": ["Hà Giang"], "level": ["province"],
                                 "parent_code": [None]}, levels=["province"])  # fmt: skip
    roll = ls.rollup_counts({"unit_code": ["02"], "families": [187624],
                             "learning_families": [138068], "clans": [2263],
                             "learning_clans": [1564]}, h)  # fmt: skip
    res = results(roll, ["learning_families", "learning_clans"], year=2024)
    path = res.to_excel(tmp_path / "results.xlsx", locale="vi")
    ws = load_workbook(path)["kết quả"]
    head = column_ids(ws)
    assert head == list(res.to_columns())
    row = dict(zip(head, ws[2], strict=True))
    assert row["unit_name"].value == "Hà Giang"
    assert (row["numerator"].value, row["numerator"].number_format) == (138068, "#,##0")
    assert (row["denominator"].value, row["denominator"].number_format) == (187624, "#,##0")
    assert row["value"].value == pytest.approx(138068 / 187624)
    assert row["value"].data_type == "n" and row["value"].number_format == "0.00%"
    assert (row["year"].value, row["year"].number_format) == (2024, "0")
    assert row["indicator_label"].value == LABEL_VI
    assert row["denominator_label"].value == INDICATORS["learning_families"].basis_display("vi")

    prog = progress(roll, load_targets("hanoi-23-nq-tu").select(indicators=["learning_clans"]),
                    year=2025)  # fmt: skip
    path = prog.to_excel(tmp_path / "progress.xlsx", locale="vi")
    ws = load_workbook(path)["tiến độ"]
    head = column_ids(ws)
    assert head == list(prog.to_columns())
    row = dict(zip(head, ws[2], strict=True))
    assert row["value"].value == pytest.approx(1564 / 2263)
    cols = prog.to_columns("vi")
    assert row["target"].value == pytest.approx(cols["target"][0] / 100)
    # A gap is percentage points, not a percentage: the points, with the unit in the format.
    assert row["gap"].value == pytest.approx(cols["gap"][0])
    assert {row[k].number_format for k in ("value", "target")} == {"0.00%"}
    assert row["gap"].number_format == '+0.00" điểm %";-0.00" điểm %";0.00" điểm %"'
    assert row["status_label"].value == "đạt"
    assert row["observed_year"].value is None


def test_rollup_to_excel(tmp_path: Path) -> None:
    pop = ls.synthetic_population(persons=2_000, seed=3)
    roll = ls.rollup(pop, ls.standard_measures(pop))
    path = roll.to_excel(tmp_path / "rollup.xlsx")
    ws = load_workbook(path)["rollup"]
    cols = roll.to_columns()
    head = [c.value for c in ws[1]]
    assert head == list(cols)
    measure = next(iter(roll.counts))
    j = head.index(measure) + 1
    assert [ws.cell(r, j).value for r in range(2, ws.max_row + 1)] == cols[measure].tolist()
    assert ws.cell(2, j).number_format == "#,##0"
    for rate in roll.rate_definitions:
        k = head.index(rate) + 1
        assert ws.cell(2, k).number_format == "0.00%"


def _peak(path: Path, n: int, size: int) -> int:
    """Write n verdict-like rows in chunks of ``size``; return the peak of traced memory."""
    failed = np.empty(n, object)
    failed[:] = "literacy;hours"

    def chunks() -> Any:
        for start in range(0, n, size):
            k = min(size, n - start)
            yield {
                "level": np.full(k, "person"),
                "id": np.arange(start, start + k).astype(str),
                "title": np.full(k, "learning_citizen"),
                "passed": np.arange(k) % 3 == 0,
                "grade": np.full(k, -1, np.int8),
                "failed": failed[start : start + k],
            }

    write_chunks(chunks(), tmp := path.with_suffix(".warm.xlsx"))  # imports done first
    tmp.unlink()
    tracemalloc.start()
    try:
        write_chunks(chunks(), path)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_long_verdicts_stay_in_bounded_memory(tmp_path: Path) -> None:
    """Rows are streamed: three times the rows, the same peak (that of one chunk).

    (300,000 verdict rows in 65,536-row chunks: see the report of issue 16.)
    """
    small = _peak(tmp_path / "small.xlsx", 1_500, 500)
    big = _peak(tmp_path / "big.xlsx", 4_500, 500)
    assert big < small + 2**19, (small, big)
    assert big < 4 * 2**20, big
    wb = load_workbook(tmp_path / "big.xlsx", read_only=True)
    rows = list(wb["data"].iter_rows(values_only=True))
    assert len(rows) == 4_501
    assert rows[-1] == ("person", "4499", "learning_citizen", False, -1, "literacy;hours")


# -- the command line ------------------------------------------------------------------


def test_cli_writes_xlsx_reports_verdicts_and_rejects(tmp_path: Path) -> None:
    write(tmp_path, "units.csv", "code,name,level\n02,Hà Giang,province\n")
    write(tmp_path, "counts.csv", "unit_code,families,learning_families\n02,187624,138068\n")
    done = run("report", "--counts", "counts.csv", "--hierarchy", "units.csv", "--levels",
               "province", "--locale", "vi", "--out", "r.xlsx", "--quiet",
               cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    ws = load_workbook(tmp_path / "r.xlsx")["kết quả"]
    head = column_ids(ws)
    values = {h: c.value for h, c in zip(head, ws[2], strict=True)}
    assert values["numerator"] == 138068
    assert values["value"] == pytest.approx(138068 / 187624)
    assert values["indicator_label"] == LABEL_VI

    files(tmp_path, persons="person_id,household_id,age,sex,literate\n1,H1,40,1,1\n2,H1,=1+1,1,1\n")
    done = run("evaluate", *INPUTS, "--rulebook", "example", "--as-of", "2025-12-31",
               "--out", "v.xlsx", "--rejects", "rej.xlsx", "--locale", "vi",
               cwd=tmp_path)  # fmt: skip
    assert done.returncode == 1, done.stderr
    rows = _rows(tmp_path / "v.xlsx", "kết quả đánh giá")
    assert rows[0][:3] == ["mã cấp", "mã đối tượng", "mã danh hiệu"]
    assert column_ids(load_workbook(tmp_path / "v.xlsx").active)[:3] == ["level", "id", "title"]
    assert len(rows) > 1
    rej = load_workbook(tmp_path / "rej.xlsx")["dòng bị loại"]
    assert rej["E2"].value == "=1+1" and rej["E2"].data_type == "s"
    assert "dòng 3" in rej["G2"].value


def test_cli_refuses_formats_before_reading(tmp_path: Path) -> None:
    for args in (
        ("validate", *INPUTS, "--rejects", "r.ods"),
        ("report", "--counts", "c.csv", "--units", "u.csv", "--format", "csv", "--out", "r.xlsx"),
    ):
        done = run(*args, cwd=tmp_path)
        assert done.returncode == 2, done.stderr
        assert "error:" in done.stderr
    assert "leave out --format csv" in done.stderr
    assert list(tmp_path.iterdir()) == []
