"""A commune's yearly report on its learning society, as a Sở GD&ĐT receives it, read in Vietnamese.

The workbook is made by hand, as a commune's office makes it: the national motto and the
commune's name above the title, the header on two rows where each title ("Gia đình học
tập", "Dòng họ học tập") is merged over the same three columns ("Số đăng ký | Số đạt |
Tỷ lệ (%)"), the row of column numbers, sections numbered in Roman numerals ("I | Các
thôn, xóm"), villages named as people write them (two spaces in "Thôn  2"), counts typed
as text with Vietnamese separators ("1.234"), rates typed as "86,1%", a totals row, the
signature block, a hidden column and last year's figures on a second sheet. Its CSV
exports (Excel's "CSV UTF-8", and Windows-1258 from an older tool) are read alike.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import warnings
from pathlib import Path
from typing import Any

import pytest

from learnsoc.cli import main
from learnsoc.io.headers import block_heading
from tests._vi_files import clear_locale
from tests.optional import require

openpyxl = require("openpyxl")

#: Each village: name as typed, households, families registered for the title and those
#: recognised, clans, clans registered and recognised, and the community mark.
VILLAGES: list[tuple[str, str | int, str | int, int, int, int, int, str]] = [
    ("Thôn 1", "245", 230, 198, 6, 5, 4, "x"),
    ("Thôn  2", "1.234", "1.100", 987, 9, 8, 7, "X"),
    ("Xóm Đông", 312, 300, 256, 4, 4, 3, ""),
    ("Tổ dân phố số 3", 410, 400, 355, 3, 3, 2, "Đạt"),
    ("Tổ dân phố số 4", 158, 150, 120, 2, 2, 2, "có"),
]
#: The commune's totals, added up by hand from the rows above.
FAMILIES, REGISTERED, LEARNING_FAMILIES, CLANS, LEARNING_CLANS = 2359, 2180, 1916, 24, 18

UNITS = [
    ["Mã đơn vị", "Tên đơn vị", "Cấp", "Mã đơn vị cấp trên"],
    ["01", "Thành phố Hà Nội", "Thành phố", None],
    ["09877", "Xã An Khánh", "Xã", "01"],
    ["09877001", "Thôn 1", "Thôn", "09877"],
    ["09877002", "Thôn 2", "Thôn", "09877"],
    ["09877003", "Xóm Đông", "Xóm", "09877"],
    ["09877004", "Tổ dân phố số 3", "Tổ dân phố", "09877"],
    ["09877005", "Tổ dân phố số 4", "Tổ dân phố", "09877"],
]

#: The mapping the officer writes from the warning that names the header's columns.
MAPPING = """
[mapping]
decimal = ","
levels = "vn-2025"

[counts]
ignore = ["Gia đình học tập - Tỷ lệ (%)", "Dòng họ học tập - Số đăng ký",
          "Dòng họ học tập - Tỷ lệ (%)", "Cộng đồng học tập", "Ghi chú"]
[counts.columns]
"Tên thôn, tổ dân phố" = "unit_code"
"Tổng số hộ gia đình" = "families"
"Gia đình học tập - Số đăng ký" = "registered_families"
"Gia đình học tập - Số đạt" = "learning_families"
"Tổng số dòng họ" = "clans"
"Dòng họ học tập - Số đạt" = "learning_clans"
"""


def _number(cell: str | int) -> int:
    return int(str(cell).replace(".", ""))


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}".replace(".", ",")


def _report_sheet(ws: Any, year: int, villages: list[Any]) -> None:
    """Fill a sheet as the commune's office lays its report out."""
    ws["A1"], ws["E1"] = "ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    ws["A2"], ws["E2"] = "XÃ AN KHÁNH", "Độc lập - Tự do - Hạnh phúc"
    ws["A4"] = f"BÁO CÁO KẾT QUẢ XÂY DỰNG XÃ HỘI HỌC TẬP NĂM {year}"
    ws["A5"] = f"(Số liệu tính đến ngày 31/12/{year})"
    for cells in ("A1:C1", "A2:C2", "E1:K1", "E2:K2", "A4:K4", "A5:K5"):
        ws.merge_cells(cells)
    # Names merged down over the header's two rows; titles merged across three columns.
    for col, name in [(1, "STT"), (2, "Tên thôn, tổ dân phố"), (3, "Tổng số hộ gia đình")]:
        ws.cell(7, col, name)
        ws.merge_cells(start_row=7, start_column=col, end_row=8, end_column=col)
    for col, name in [(7, "Tổng số dòng họ"), (11, "Cộng đồng học tập"), (12, "Ghi chú")]:
        ws.cell(7, col, name)
        ws.merge_cells(start_row=7, start_column=col, end_row=8, end_column=col)
    for col, title in [(4, "Gia đình học tập"), (8, "Dòng họ học tập")]:
        ws.cell(7, col, title)
        ws.merge_cells(start_row=7, start_column=col, end_row=7, end_column=col + 2)
        for offset, name in enumerate(["Số đăng ký", "Số đạt", "Tỷ lệ (%)"]):
            ws.cell(8, col + offset, name)
    for col in range(1, 13):
        ws.cell(9, col, f"({col})")
    row = 10
    ws.cell(row, 1, "I")
    ws.cell(row, 2, "Các thôn, xóm")
    for i, (name, homes, registered, learning, clans, entered, won, mark) in enumerate(villages):
        row += 1
        if i == 3:
            ws.cell(row, 1, "II")
            ws.cell(row, 2, "Các tổ dân phố")
            row += 1
        values: list[object] = [i + 1, name, homes, registered, learning, None, clans, entered]
        for col, value in enumerate([*values, won, None, mark], 1):
            ws.cell(row, col, value)
        ws.cell(row, 6, _percent(learning, _number(registered)) + "%")
        ws.cell(row, 10, _percent(won, entered))
    row += 1
    total = [sum(_number(v[k]) for v in villages) for k in range(1, 7)]
    ws.cell(row, 2, "Tổng cộng")
    for col, figure in zip((3, 4, 5, 7, 9), [*total[:4], total[5]], strict=True):
        ws.cell(row, col, f"{figure:,}".replace(",", "."))
    ws.cell(row, 6, _percent(total[2], total[1]) + "%")
    ws.cell(row + 2, 8, f"An Khánh, ngày 31 tháng 12 năm {year}")
    ws.cell(row + 3, 2, "Người lập biểu")
    ws.cell(row + 3, 8, "TM. ỦY BAN NHÂN DÂN")
    ws.cell(row + 4, 8, "CHỦ TỊCH")
    ws.cell(row + 5, 2, "(Ký, ghi rõ họ tên)")
    ws.cell(row + 8, 2, "Nguyễn Thị  Hoa")
    ws.cell(row + 8, 8, "Trần Văn Bình")
    ws.column_dimensions["L"].hidden = True


def commune_report(path: Path) -> Path:
    """Write the commune's workbook: this year's report, then last year's on a second sheet."""
    book = openpyxl.Workbook()
    _report_sheet(book.active, 2025, VILLAGES)
    book.active.title = "Năm 2025"
    last_year = [(*v[:3], v[3] - 20, *v[4:]) for v in VILLAGES]
    _report_sheet(book.create_sheet("Năm 2024"), 2024, last_year)
    book.save(path)
    return path


def csv_export(workbook: Path, sheet: str) -> str:
    """Return a sheet as Excel exports it to CSV: every row, a merged cell in its first cell."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for values in openpyxl.load_workbook(workbook)[sheet].iter_rows(values_only=True):
        writer.writerow(["" if v is None else str(v) for v in values])
    return out.getvalue()


def windows_1258(text: str) -> bytes:
    """Encode text as Vietnamese Windows does: a tone is a byte of its own after its letter."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        base, marks = decomposed[0], list(decomposed[1:])
        for hat in "\u0302\u0306\u031b":  # â ă ơ: letters of their own in Windows-1258
            if hat in marks:
                base = unicodedata.normalize("NFC", base + hat)
                marks.remove(hat)
        out += (base + "".join(marks)).encode("cp1258")
    return bytes(out)


def _units(folder: Path) -> Path:
    book = openpyxl.Workbook()
    book.active.title = "Danh mục"
    for row in UNITS:
        book.active.append(row)
    book.save(folder / "don_vi.xlsx")
    return folder / "don_vi.xlsx"


def _run(
    folder: Path, counts: Path, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, str, str]:
    (folder / "mapping.toml").write_text(MAPPING, encoding="utf-8")
    argv = ["report", "--counts", str(counts), "--units", str(_units(folder))]
    argv += ["--mapping", str(folder / "mapping.toml"), "--year", "2025", "--level", "commune"]
    code = main([*argv, *extra, "--locale", "vi"])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def _no_locale(monkeypatch: pytest.MonkeyPatch) -> None:
    clear_locale(monkeypatch)


def test_the_hand_counts_match_the_villages() -> None:
    """The figures the tests expect are the villages' rows added up (1.234 is 1234)."""
    assert sum(_number(v[1]) for v in VILLAGES) == FAMILIES
    assert sum(_number(v[2]) for v in VILLAGES) == REGISTERED
    assert sum(v[3] for v in VILLAGES) == LEARNING_FAMILIES
    assert sum(v[4] for v in VILLAGES) == CLANS
    assert sum(v[6] for v in VILLAGES) == LEARNING_CLANS


def _assert_commune_report(code: int, out: str, err: str) -> None:
    assert code == 0, err
    err = unicodedata.normalize("NFC", err)  # the rows as written: decomposed, from a Mac
    # 1916 / 2359 = 81.2208...%, 1916 / 2180 = 87.8899...%, 18 / 24 = 75%.
    assert "Xã An Khánh (09877)" in out
    assert "1.916 / 2.359 gia đình  81,22%" in out
    assert "1.916 / 2.180 gia đình đăng ký  87,89%" in out
    assert "18 / 24 dòng họ  75,00%" in out
    assert "5/5 thôn, tổ dân phố" in out
    # Read 8 rows: 5 villages, the two sections and the totals row (skipped, not lost).
    assert "số liệu tổng hợp: đọc 8, nhận 5, 0 dòng bị loại, 3 dòng được bỏ qua" in out
    assert "dòng 10 ('Các thôn, xóm'), dòng 14 ('Các tổ dân phố')" in err
    assert "dòng 17 ('Tổng cộng')" in err
    assert "nhận + loại + bỏ qua = đọc: OK" in err


def test_a_report_whose_titles_share_their_columns_names_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each title over "Số đăng ký | Số đạt | Tỷ lệ (%)" named two columns alike, and the
    workbook was refused ("cột 'Số đăng ký' xuất hiện hai lần", at line 1 of a header on
    row 7). The repeated names are now named with their title, ``Gia đình học tập - Số
    đạt``, as the warning says, and the mapping names them so."""
    path = commune_report(tmp_path / "bao_cao_2025.xlsx")
    code, out, err = _run(tmp_path, path, capsys, "--sheet", f"{path.name}=Năm 2025")
    _assert_commune_report(code, out, err)
    assert (
        "tên các cột nằm trên hai dòng 7 và 8 (có tiêu đề chung gộp trên nhiều cột): được "
        "đọc là STT, Tên thôn, tổ dân phố, Tổng số hộ gia đình, Gia đình học tập - Số đăng "
        "ký, Gia đình học tập - Số đạt, Gia đình học tập - Tỷ lệ (%), Tổng số dòng họ, Dòng "
        "họ học tập - Số đăng ký" in err
    )


def test_the_csv_export_of_the_report_reads_as_its_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The CSV export took its header from row 7 alone ("Gia đình học tập" an unknown
    column, row 8 a row of data); its second line is now joined, as the workbook's is."""
    book = commune_report(tmp_path / "bao_cao.xlsx")
    path = tmp_path / "bao_cao_2025.csv"
    path.write_text(csv_export(book, "Năm 2025"), encoding="utf-8-sig")
    code, out, err = _run(tmp_path, path, capsys)
    _assert_commune_report(code, out, err)
    assert "bao_cao_2025.csv: tên các cột nằm trên hai dòng 7 và 8" in err


@pytest.mark.parametrize("engine", ["python", "pyarrow"])
def test_the_csv_export_in_nfd_reads_with_either_engine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    """Saved on a Mac (accents decomposed), the export reads the same, by either parser."""
    if engine == "pyarrow":
        require("pyarrow")
    book = commune_report(tmp_path / "bao_cao.xlsx")
    path = tmp_path / "bao_cao_2025.csv"
    path.write_text(unicodedata.normalize("NFD", csv_export(book, "Năm 2025")), encoding="utf-8")
    code, out, err = _run(tmp_path, path, capsys, "--engine", engine)
    _assert_commune_report(code, out, err)


def test_a_windows_1258_export_is_named_so_not_an_old_font(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An export in Windows-1258 was said to look typed in TCVN3 or VNI, to convert with
    Unikey (its tone bytes after "CỘNG HÒA" read as TCVN3's letters). It is now said to
    read as Windows-1258, with the option that reads it; with that option it reads."""
    book = commune_report(tmp_path / "bao_cao.xlsx")
    path = tmp_path / "bao_cao_2025.csv"
    path.write_bytes(windows_1258(csv_export(book, "Năm 2025")))
    code, out, err = _run(tmp_path, path, capsys)
    assert code == 1
    assert "TCVN3" not in err and "Unikey" not in err
    assert "tiếng Việt theo bảng mã Windows-1258" in err
    assert "--encoding cp1258" in err
    code, out, err = _run(tmp_path, path, capsys, "--encoding", "cp1258")
    _assert_commune_report(code, out, err)


def test_a_header_named_twice_is_said_at_its_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A header under a title that names a column twice was said at line 1; it is now said
    at its own row, 3, in the workbook and in its CSV export."""
    book = openpyxl.Workbook()
    for row in [
        ["BÁO CÁO KẾT QUẢ XÂY DỰNG XÃ HỘI HỌC TẬP NĂM 2025"],
        [],
        ["Tên thôn, tổ dân phố", "Số đạt", "Số đạt"],
        ["Thôn 1", 198, 4],
    ]:
        book.active.append(row)
    book.save(tmp_path / "hai_cot.xlsx")
    code, _, err = _run(tmp_path, tmp_path / "hai_cot.xlsx", capsys)
    assert code == 1
    assert "hai_cot.xlsx:3: cột 'Số đạt' xuất hiện hai lần trong dòng tiêu đề" in err
    (tmp_path / "hai_cot.csv").write_text(
        csv_export(tmp_path / "hai_cot.xlsx", "Sheet"), encoding="utf-8-sig"
    )
    code, _, err = _run(tmp_path, tmp_path / "hai_cot.csv", capsys, "--engine", "python")
    assert code == 1
    assert "hai_cot.csv:3: cột 'Số đạt' xuất hiện hai lần trong dòng tiêu đề" in err


@pytest.mark.parametrize(
    ("cells", "heading"),
    [
        (["I", "Các thôn, xóm", "", ""], "Các thôn, xóm"),
        (["II", "CÁC TỔ DÂN PHỐ", "", ""], "CÁC TỔ DÂN PHỐ"),
        (["B. Các xã", "", ""], "B. Các xã"),
        (["", "Các hộ", "", ""], None),  # no kind of unit: a row of data, rejected
        (["1", "Các thôn", "", ""], None),  # numbered in Arabic: a row of data
    ],
)
def test_sections_named_by_the_kind_of_their_units_are_headings(
    cells: list[str], heading: str | None
) -> None:
    """A report's sections ("I | Các thôn, xóm") were read as rows of data, and rejected."""
    assert block_heading(cells) == heading


@pytest.mark.parametrize("title", ["", "BÁO CÁO KẾT QUẢ XÂY DỰNG XÃ HỘI HỌC TẬP NĂM 2025,,,,\r\n"])
@pytest.mark.parametrize("engine", ["python", "pyarrow"])
def test_a_csv_header_on_two_lines_below_its_key_column_is_joined(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], title: str, engine: str
) -> None:
    """A title over two columns, its names on the next line: the first line holds the
    key column, so it alone was the header, "Gia đình học tập" an unknown column and the
    second line a row of data. The two lines are now one header, as in the workbook."""
    if engine == "pyarrow":
        require("pyarrow")
    text = (
        f"{title}STT,Tên thôn,Tổng số hộ gia đình,Gia đình học tập,\r\n"
        ",,,Số đăng ký,Số đạt\r\n1,Thôn 1,245,230,198\r\n2,Xóm Đông,312,300,256\r\n"
    )
    (tmp_path / "so_lieu.csv").write_text(text, encoding="utf-8-sig")
    (tmp_path / "mapping.toml").write_text(
        '[mapping]\nlevels = "vn-2025"\n[counts.columns]\n"Tên thôn" = "unit_code"\n'
        '"Tổng số hộ gia đình" = "families"\n"Số đăng ký" = "registered_families"\n'
        '"Số đạt" = "learning_families"\n',
        encoding="utf-8",
    )
    argv = ["report", "--counts", str(tmp_path / "so_lieu.csv"), "--units"]
    argv += [str(_units(tmp_path)), "--mapping", str(tmp_path / "mapping.toml")]
    code = main([*argv, "--level", "commune", "--engine", engine, "--locale", "vi"])
    out, err = capsys.readouterr()
    assert code == 0, err
    second = 3 if title else 2
    assert f"tên các cột nằm trên hai dòng {second - 1} và {second}" in err
    # 198 + 256 = 454 of 245 + 312 = 557 families (81.51%), of 530 registered (85.66%).
    assert "454 / 557 gia đình  81,51%" in out
    assert "454 / 530 gia đình đăng ký  85,66%" in out
    assert "2/5 thôn, tổ dân phố" in out  # the report's two villages, of the commune's five
    assert "nhận + loại = đọc: OK" in err


def test_a_notebook_rolls_the_report_up_with_its_rows_named_by_the_file(tmp_path: Path) -> None:
    """In Python, ``read_counts`` and ``rollup_counts`` named a reject by the row of the
    columns read and learnsoc's name (``số liệu tổng hợp dòng 2, cột unit_code``), and the
    rows read left out the totals row and sections skipped (read 5 of the report's 8).
    ``ls.io.rollup_counts_file`` names the file, its row and its column, as the command
    line does, and the notebook shows the report's figures in Vietnamese."""
    pd = require("pandas")
    import learnsoc as ls

    book = commune_report(tmp_path / "bao_cao.xlsx")
    sheet = openpyxl.load_workbook(book)
    sheet["Năm 2025"]["B12"] = "Thôn Bắc"  # "Thôn  2", row 12, misnamed: no such village
    sheet.save(book)
    (tmp_path / "mapping.toml").write_text(MAPPING, encoding="utf-8")
    with ls.use_locale("vi"), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tree, refused = ls.io.read_units(_units(tmp_path), levels="vn-2025")
        roll = ls.io.rollup_counts_file(
            book, tree, mapping=tmp_path / "mapping.toml", sheet="Năm 2025", units_rejects=refused
        )
        found = roll.rejects
        assert isinstance(found, ls.io.FileRejects)
        said, records = found.describe(), found.records()
        res = ls.results(roll, ["learning_families"], levels=["commune"], year=2025)
        shown = res._repr_html_()
        told = [str(w.message) for w in caught]
    # The villages written by name are said with the file's column, as on the command line.
    assert any(
        "bao_cao.xlsx, cột Tên thôn, tổ dân phố: 4 dòng ghi đơn vị bằng tên" in t for t in told
    )
    assert "số liệu tổng hợp: đọc 8, nhận 4, 1 dòng bị loại, 3 dòng được bỏ qua" in said
    lines = [(r.line, r.column, r.reason) for r in records if isinstance(r, ls.io.FileReject)]
    assert lines == [(12, "unit_code", "unknown_unit")] and len(records) == 1
    assert records[0].message.endswith(
        "bao_cao.xlsx, dòng 12, cột Tên thôn, tổ dân phố: đơn vị hành chính 'Thôn Bắc' "
        "không tồn tại"
    )
    # Without Thôn 2: 1916 - 987 = 929 of 2359 - 1234 = 1125 families, 82.58%.
    assert "929 / 1.125 gia đình" in shown and "82,58%" in shown
    assert "4/5 thôn, tổ dân phố" in shown
    frame = res.to_pandas()
    assert isinstance(frame, pd.DataFrame)
    assert frame[["numerator", "denominator"]].values.tolist() == [[929, 1125]]
