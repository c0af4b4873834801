"""A commune officer's workbooks, typed by hand, read in Vietnamese.

Titles merged over the header, a ``STT`` column, a totals row, and above all columns that
Excel formats as dates: a year of birth typed into a "Ngày sinh" column formatted as
Date is stored as that number and shown as a date in 1905 (1990 is 12/06/1905), which
read as a date is an age of 120. Each test is one thing the first pass found wrong.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import learnsoc as ls
from learnsoc._date_cells import excel_number, full_date, typed_year
from learnsoc.cli import main
from learnsoc.io.convert import BirthDatesAsYearsWarning
from tests._workbooks import column_ids
from tests.optional import require

openpyxl = require("openpyxl")

MAPPING = """
[mapping]
levels = "vn-2025"
decimal = ","
[values.bool]
"Có" = 1
"Không" = 0
[person]
ignore = ["Họ và tên"]
[person.columns]
"Mã NK" = "person_id"
"Mã hộ" = "household_id"
"Ngày sinh" = "birth_date"
"Năm sinh" = "birth_year"
[household.columns]
"Mã hộ" = "household_id"
"Mã thôn" = "unit_code"
[counts.columns]
"Mã thôn" = "unit_code"
"Tổng số gia đình" = "families"
"Gia đình học tập" = "learning_families"
"""

NFD_COMMUNE = unicodedata.normalize("NFD", "Xã Minh Phú")


def sheet(path: Path, title: str, header: list[str], rows: list[list[Any]], dated: int) -> None:
    """A workbook as an officer makes it: a merged title, the header, rows numbered by STT.

    Column ``dated`` (1-based) is formatted as dd/mm/yyyy in every row, as a whole
    column formatted as Date is.
    """
    book = openpyxl.Workbook()
    ws = book.active
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    ws.append(["STT", *header])
    for i, row in enumerate(rows, start=1):
        ws.append([i, *row])
        if dated:
            ws.cell(row=ws.max_row, column=dated + 1).number_format = "dd/mm/yyyy"
    ws.append([None, "Tổng cộng"])
    book.save(path)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    sheet(
        tmp_path / "don_vi.xlsx",
        "DANH MỤC ĐƠN VỊ HÀNH CHÍNH",
        ["Mã đơn vị", "Tên đơn vị", "Cấp", "Mã đơn vị cấp trên"],
        [
            ["01", "Thành phố Hà Nội", "Tỉnh", None],
            ["00004", NFD_COMMUNE, "Xã", "01"],
            ["00004001", "Thôn Đông", "Thôn", "00004"],
            ["00004002", "Thôn Đoài", "Thôn", "00004"],
        ],
        0,
    )
    sheet(
        tmp_path / "ho.xlsx",
        "DANH SÁCH HỘ GIA ĐÌNH",
        ["Mã hộ", "Mã thôn"],
        [["H01", "00004001"], ["H02", "00004002"]],
        0,
    )
    (tmp_path / "mapping.toml").write_text(MAPPING, encoding="utf-8")
    return tmp_path


def persons(folder: Path, column: str, born: list[Any]) -> Path:
    """The persons' sheet, its birth column ``column`` formatted as dates."""
    rows = [[f"NK0{i}", f"Người {i}", "H01", b] for i, b in enumerate(born, start=1)]
    path = folder / "nhan_khau.xlsx"
    sheet(path, "DANH SÁCH NHÂN KHẨU", ["Mã NK", "Họ và tên", "Mã hộ", column], rows, 4)
    return path


def validate(folder: Path, people: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    args = ["validate", str(people), "--households", str(folder / "ho.xlsx")]
    args += ["--units", str(folder / "don_vi.xlsx"), "--mapping", str(folder / "mapping.toml")]
    args += ["--reference-year", "2025", "--rejects", str(folder / "loai.csv"), "--locale", "vi"]
    code = main(args)
    return code, capsys.readouterr().err


def read(folder: Path, people: Path) -> ls.Population:
    return ls.read_population(
        people,
        households=folder / "ho.xlsx",
        units=folder / "don_vi.xlsx",
        mapping=folder / "mapping.toml",
        reference_year=2025,
    )


def rejects_file(folder: Path) -> list[list[str]]:
    import csv

    with (folder / "loai.csv").open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))[1:]


@pytest.mark.filterwarnings("ignore::learnsoc.io.headers.SheetWarning")
def test_a_year_typed_into_a_date_column_is_refused_not_read_as_an_age_of_120(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """1950 typed into 'Ngày sinh' formatted as Date shows 03/05/1905: said, with 1950."""
    people = persons(folder, "Ngày sinh", [dt.datetime(1978, 9, 2), 1950, "15/03/1975", 1990])
    code, err = validate(folder, people, capsys)
    assert code == 1
    assert "người: đọc 5, nhận 2, 2 dòng bị loại, 1 dòng được bỏ qua" in err
    assert "người: số bị hiển thị thành ngày ở cột Ngày sinh: 2 dòng" in err
    assert "nhận + loại + bỏ qua = đọc: OK" in err
    rows = rejects_file(folder)
    assert [(r[1], r[3], r[4], r[5]) for r in rows] == [
        ("4", "birth_date", "1905-05-03", "number_as_date"),
        ("6", "birth_date", "1905-06-12", "number_as_date"),
    ]
    assert (
        "nhan_khau.xlsx, dòng 4, cột Ngày sinh: giá trị '1905-05-03' là cách Excel hiển thị "
        "số 1950 trong ô định dạng kiểu Ngày (Date); nếu số đó là năm sinh, hãy định dạng "
        "các ô là General (Format Cells > General) rồi lưu lại tệp"
    ) in rows[0][6]
    # The two dates read are ages on 31/12/2025, computed by hand.
    assert read(folder, people).person_columns["age"].tolist() == [2025 - 1978, 2025 - 1975]


@pytest.mark.filterwarnings("ignore::learnsoc.io.headers.SheetWarning")
def test_the_same_cells_formatted_as_general_are_read_as_years(folder: Path) -> None:
    """The fix the message gives: the cell then shows 1950, a year of birth alone."""
    people = persons(folder, "Ngày sinh", [1950, 1990])
    book = openpyxl.load_workbook(people)
    for row in book.active.iter_rows(min_row=3, max_row=4, min_col=5, max_col=5):
        row[0].number_format = "General"
    book.save(people)
    pop = read(folder, people)
    assert pop.person_columns["age"].tolist() == [75, 35]
    assert len(pop.rejects) == 0


@pytest.mark.filterwarnings("ignore::learnsoc.io.headers.SheetWarning")
def test_a_date_of_birth_in_a_year_of_birth_column_gives_its_year(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """'Năm sinh' holding 02/09/1978 (an Excel date, or typed): 1978, with a warning."""
    born = [dt.datetime(1978, 9, 2), "01/01/1950", "1985", 1990]
    people = persons(folder, "Năm sinh", born)
    with pytest.warns(BirthDatesAsYearsWarning) as caught:
        pop = read(folder, people)
    assert pop.person_columns["age"].tolist() == [2025 - 1978, 2025 - 1950, 2025 - 1985]
    (warning,) = [w.message for w in caught if isinstance(w.message, BirthDatesAsYearsWarning)]
    assert (warning.n, warning.example) == (2, "01/01/1950")
    # 1990 typed into the date-formatted cell shows 12/06/1905: refused, not the year 1905.
    assert [(r.value, r.reason) for r in pop.rejects.records()] == [
        ("1905-06-12", "number_as_date")
    ]
    code, err = validate(folder, people, capsys)
    assert code == 1
    assert (
        "nhan_khau.xlsx, cột Năm sinh: 2 ô ghi ngày sinh đầy đủ ở cột năm sinh, được đọc là "
        "năm của ngày đó (ví dụ '01/01/1950' là năm 1950)"
    ) in err
    assert "người: đọc 5, nhận 3, 1 dòng bị loại, 1 dòng được bỏ qua" in err


@pytest.mark.filterwarnings("ignore::learnsoc.io.headers.SheetWarning")
def test_the_csv_export_of_the_sheet_reads_the_same(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Excel exports date cells as dd/mm/yyyy: the same years, the same reject."""
    text = (
        "STT;Mã NK;Họ và tên;Mã hộ;Năm sinh\n1;NK01;A;H01;1975\n2;NK02;B;H01;02/09/1978\n"
        "3;NK03;C;H01;12/06/1905\n;Tổng cộng;;;\n"
    )
    (folder / "nk.csv").write_text(text, encoding="utf-8-sig")
    mapping = MAPPING.replace('levels = "vn-2025"', 'levels = "vn-2025"\ndelimiter = ";"')
    (folder / "mapping.toml").write_text(mapping, encoding="utf-8")
    with pytest.warns(BirthDatesAsYearsWarning):
        pop = read(folder, folder / "nk.csv")
    assert pop.person_columns["age"].tolist() == [50, 47]
    assert [(r.value, r.reason) for r in pop.rejects.records()] == [
        ("12/06/1905", "number_as_date")
    ]


@pytest.mark.filterwarnings("ignore::learnsoc.io.headers.SheetWarning")
def test_a_count_typed_into_a_date_cell_names_the_number_it_holds(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """856 families in a cell formatted as Date shows 05/05/1902: refused, naming 856."""
    rows = [["00004001", "Thôn Đông", "1.234", 1000], ["00004002", "Thôn Đoài", 856, 700]]
    path = folder / "so_lieu.xlsx"
    header = ["Mã thôn", "Tên thôn", "Tổng số gia đình", "Gia đình học tập"]
    sheet(path, "BIỂU TỔNG HỢP", header, rows, 0)
    book = openpyxl.load_workbook(path)
    book.active["D4"].number_format = "dd/mm/yyyy"
    book.save(path)
    args = ["report", "--counts", str(path), "--units", str(folder / "don_vi.xlsx")]
    args += ["--mapping", str(folder / "mapping.toml"), "--indicators", "learning_families"]
    args += ["--rejects", str(folder / "loai.csv"), "--locale", "vi"]
    assert main(args) == 1
    # The report on stdout lists the rows read; the summary on stderr does not repeat them.
    out, err = capsys.readouterr()
    assert "số liệu tổng hợp: đọc 3, nhận 1, 1 dòng bị loại" in out + err
    ((_, line, _, column, value, reason, message, _),) = rejects_file(folder)
    assert (line, column, value, reason) == ("4", "families", "1902-05-05", "number_as_date")
    assert "cột Tổng số gia đình: giá trị '1902-05-05' là cách Excel hiển thị số 856" in message
    assert "cột này cần một số" in message


def test_names_typed_with_decomposed_accents_are_written_precomposed(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """'Xã Minh Phú' typed on a Mac (NFD) is written as Windows types it in the rollup."""
    people = persons(folder, "Ngày sinh", ["15/03/1975"])
    args = ["rollup", str(people), "--households", str(folder / "ho.xlsx")]
    args += ["--units", str(folder / "don_vi.xlsx"), "--mapping", str(folder / "mapping.toml")]
    args += ["--reference-year", "2025", "--rulebook", "vn-national", "--as-of", "31/12/2025"]
    args += ["--titles", "learning_citizen", "--out", str(folder / "tong_hop.csv")]
    assert main([*args, "--locale", "vi", "--quiet"]) == 0
    text = (folder / "tong_hop.csv").read_text("utf-8-sig")
    assert "commune,00004,Xã Minh Phú,01," in text
    assert text == unicodedata.normalize("NFC", text)


@pytest.mark.parametrize(
    "date",
    [
        dt.date(1900, 1, 1),
        dt.date(1900, 2, 28),
        dt.date(1900, 3, 1),
        dt.date(1902, 5, 5),
        dt.date(1905, 6, 12),
        dt.date(1978, 9, 2),
        dt.date(2025, 12, 31),
    ],
)
def test_excel_number_is_openpyxls_serial(date: dt.date) -> None:
    """The number a date cell holds, as openpyxl (Excel's 1900 calendar) computes it."""
    from openpyxl.utils.datetime import to_excel

    expected = int(to_excel(dt.datetime(date.year, date.month, date.day)))
    assert excel_number(date.isoformat()) == expected
    assert excel_number(f"{date.day}/{date.month}/{date.year}") == expected
    assert full_date(date.strftime("%d/%m/%Y")) == date


def test_only_numbers_that_are_years_of_birth_count_as_typed_years() -> None:
    """04/12/1904 is 1800, 08/01/1906 is 2200: the range of birth_year, nothing beyond."""
    assert typed_year("1904-12-04") == 1800 and typed_year("1906-01-08") == 2200
    assert typed_year("1904-12-03") is None and typed_year("1906-01-09") is None
    assert excel_number("31/02/1990") is None and excel_number("1990") is None


def test_a_sheet_per_village_is_refused_even_when_the_first_holds_the_table(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Thôn Đông's sheet first, Thôn Đoài's second: not the first read and the second lost."""
    book = openpyxl.Workbook()
    for i, village in enumerate(["Thôn Đông", "Thôn Đoài"]):
        ws = book.active if i == 0 else book.create_sheet()
        ws.title = village
        ws.append(["STT", "Mã NK", "Họ và tên", "Mã hộ", "Ngày sinh"])
        ws.append([1, f"NK0{i}", "A", f"H0{i + 1}", "15/03/1975"])
    book.save(folder / "nk.xlsx")
    code, err = validate(folder, folder / "nk.xlsx", capsys)
    assert code == 1
    assert "có nhiều trang tính chứa bảng dữ liệu" in err
    assert "'Thôn Đông', 'Thôn Đoài'" in err
    assert "hãy chép các dòng của chúng vào một trang" in err
    assert "--sheet 'nk.xlsx=Thôn Đông'" in err
    # Given a sheet, that one is read, as asked.
    args = ["validate", str(folder / "nk.xlsx"), "--households", str(folder / "ho.xlsx")]
    args += ["--units", str(folder / "don_vi.xlsx"), "--mapping", str(folder / "mapping.toml")]
    args += ["--reference-year", "2025", "--sheet", "nk.xlsx=Thôn Đoài", "--locale", "vi"]
    assert main(args) == 0
    assert "người: đọc 1, nhận 1, 0 dòng bị loại" in capsys.readouterr().err


def test_a_first_sheet_beside_a_summary_of_other_columns_is_read(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A list and, beside it, a sheet of other columns: the list is read, as before."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Danh sách"
    ws.append(["Mã NK", "Mã hộ", "Ngày sinh"])
    ws.append(["NK01", "H01", "15/03/1975"])
    other = book.create_sheet("Thống kê")
    other.append(["Mã NK", "Mã hộ", "Ghi chú"])
    book.save(folder / "nk.xlsx")
    code, err = validate(folder, folder / "nk.xlsx", capsys)
    assert code == 0
    assert "người: đọc 1, nhận 1, 0 dòng bị loại" in err


def test_a_header_typed_without_accents_names_the_mapping_files_column(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """'Ma ho' (Telex off) for the mapping's 'Mã hộ': say so, not only learnsoc's names."""
    book = openpyxl.Workbook()
    book.active.append(["STT", "Ma ho", "Mã thôn"])
    book.active.append([1, "H01", "00004001"])
    book.save(folder / "ho.xlsx")
    code, err = validate(folder, persons(folder, "Ngày sinh", ["15/03/1975"]), capsys)
    assert code == 1
    assert (
        "hộ gia đình, cột 'Ma ho': cột không xác định trong "
        f"{folder / 'ho.xlsx'}; tệp ánh xạ có cột 'Mã hộ', giống tên này khi bỏ dấu: hãy gõ "
        "tên cột có dấu như trong tệp ánh xạ, hoặc ghi 'Ma ho' thay cho 'Mã hộ' trong tệp "
        "ánh xạ"
    ) in err
    # The second way out: the mapping file writes the header as the file does.
    text = (folder / "mapping.toml").read_text("utf-8")
    old = '"Mã hộ" = "household_id"\n"Mã thôn"'
    assert old in text
    new = text.replace(old, '"Ma ho" = "household_id"\n"Mã thôn"')
    (folder / "mapping.toml").write_text(new, encoding="utf-8")
    code, err = validate(folder, folder / "nhan_khau.xlsx", capsys)
    assert code == 0
    assert "hộ gia đình: đọc 1, nhận 1, 0 dòng bị loại" in err


@pytest.mark.filterwarnings("ignore::learnsoc.io.headers.SheetWarning")
def test_the_progress_workbook_leaves_unknown_counts_empty_as_the_csv_does(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """'units_reporting' of a target without data: an empty cell, not -1 summed with the rest."""
    import csv

    rows: list[list[Any]] = [
        ["00004001", "Thôn Đông", "1.234", "1.000"],
        ["00004002", "Thôn Đoài", 856, 700],
    ]
    sheet(
        folder / "so_lieu.xlsx",
        "BIỂU",
        ["Mã thôn", "Tên thôn", "Tổng số gia đình", "Gia đình học tập"],
        rows,
        0,
    )
    args = [
        "report",
        "--counts",
        str(folder / "so_lieu.xlsx"),
        "--units",
        str(folder / "don_vi.xlsx"),
    ]
    args += ["--mapping", str(folder / "mapping.toml"), "--targets", "hanoi-23-nq-tu"]
    args += ["--year", "2025", "--locale", "vi", "--quiet"]
    assert main([*args, "--out", str(folder / "bao_cao.xlsx")]) == 0
    assert main([*args, "--out", str(folder / "bao_cao.csv")]) == 0
    with (folder / "bao_cao.csv").open(encoding="utf-8-sig", newline="") as f:
        expected = list(csv.DictReader(f))
    ws = openpyxl.load_workbook(folder / "bao_cao.xlsx")["tiến độ"]
    got = list(ws.iter_rows(values_only=True))
    header = column_ids(ws)
    assert len(got) - 1 == len(expected)
    counts = ("not_assessed", "units_reporting", "units_expected", "numerator", "denominator")
    for row, want in zip(got[1:], expected, strict=True):
        cell = dict(zip(header, row, strict=True))
        for name in counts:
            assert cell[name] == (int(want[name]) if want[name] else None), (name, want)
    assert any(r["units_reporting"] == "" for r in expected)  # the case looked at is there
    families = [r for r in expected if r["indicator"] == "learning_families"]
    assert [(r["numerator"], r["denominator"]) for r in families] == [("1700", "2090")]


@pytest.mark.filterwarnings("ignore::learnsoc.io.headers.SheetWarning")
def test_an_evaluators_number_reads_thousands_dots_as_every_file_does(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With decimal = ",", '1.250' points is 1250 (it was 1.25); '1_0' is no number."""
    from learnsoc.io.inputs import input_values

    people = persons(folder, "Ngày sinh", ["15/03/1975"])
    text = "STT;Mã xã;Tên xã;tt44_points\n1;00004;Xã Minh Phú;1.250\n"
    (folder / "xa.csv").write_text(text, encoding="utf-8-sig")
    args = ["evaluate", str(people), "--households", str(folder / "ho.xlsx")]
    args += ["--units", str(folder / "don_vi.xlsx"), "--mapping", str(folder / "mapping.toml")]
    args += ["--reference-year", "2025", "--rulebook", "vn-national", "--as-of", "31/12/2025"]
    args += ["--inputs", f"commune={folder / 'xa.csv'}", "--delimiter", ";", "--locale", "vi"]
    main(args)
    assert "số liệu đầu vào cấp xã: đọc 1, nhận 1, 0 dòng bị loại" in capsys.readouterr().err
    (spec,) = [s for s in ls.load_rulebook("vn-national").inputs if s.name == "tt44_points"]
    cells = ["1.250", "1.250,0", "85,0", "1_0", "inf", "nan", "1902-05-05", ""]
    values, reasons, _ = input_values(np.array(cells), spec, ",")
    assert values[:3].tolist() == [1250.0, 1250.0, 85.0]
    assert reasons.tolist() == [
        "",
        "",
        "",
        "not_a_number",
        "not_a_number",
        "not_a_number",
        "number_as_date",
        "",
    ]


@pytest.mark.filterwarnings("ignore::learnsoc.io.headers.SheetWarning")
def test_an_evaluators_sheet_is_read_below_its_title_as_the_others_are(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A title in A1, a blank row, the header on row 3: found, where --header-row 3 (for
    every workbook of the run) would have broken the others, whose headers are on row 2."""
    people = persons(folder, "Ngày sinh", ["15/03/1975"])
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["KẾT QUẢ ĐÁNH GIÁ CẤP XÃ NĂM 2025"])
    ws.append([])
    ws.append(["STT", "Mã xã", "Tên xã", "c1_plan", "c1_propaganda"])
    ws.append([1, "00004", "Xã Minh Phú", "Có", "Không"])
    book.save(folder / "xa.xlsx")
    (folder / "thon.csv").write_text(
        "KẾT QUẢ ĐÁNH GIÁ CẤP THÔN;;\nSTT;Mã thôn;village_learning_activities\n1;00004001;x\n"
        "2;00004002;Không\n",
        encoding="utf-8-sig",
    )
    args = ["evaluate", str(people), "--households", str(folder / "ho.xlsx")]
    args += ["--units", str(folder / "don_vi.xlsx"), "--mapping", str(folder / "mapping.toml")]
    args += ["--reference-year", "2025", "--rulebook", "vn-national", "--as-of", "31/12/2025"]
    args += ["--inputs", f"commune={folder / 'xa.xlsx'}", "--delimiter", ";"]
    args += ["--inputs", f"village={folder / 'thon.csv'}", "--locale", "vi"]
    main(args)
    err = capsys.readouterr().err
    assert "số liệu đầu vào cấp xã: đọc 1, nhận 1, 0 dòng bị loại" in err
    assert "số liệu đầu vào cấp thôn, tổ dân phố: đọc 2, nhận 2, 0 dòng bị loại" in err
    assert "xa.xlsx, trang tính 'Sheet': tên các cột (Mã xã) nằm ở dòng 3" in err


@pytest.mark.filterwarnings("ignore::learnsoc.io.headers.SheetWarning")
@pytest.mark.parametrize("decimal", [".", ","])
def test_a_count_typed_1_000_is_a_thousand_or_refused_never_1(
    folder: Path, capsys: pytest.CaptureFixture[str], decimal: str
) -> None:
    """'1.000' families typed as text: 1000 with a decimal comma; without, neither 1 nor 1000."""
    from learnsoc.io.inputs import input_values

    rows: list[list[Any]] = [
        ["00004001", "Thôn Đông", "2.000", "1.000"],
        ["00004002", "Thôn Đoài", 856, 700],
    ]
    header = ["Mã thôn", "Tên thôn", "Tổng số gia đình", "Gia đình học tập"]
    sheet(folder / "so_lieu.xlsx", "BIỂU", header, rows, 0)
    text = (folder / "mapping.toml").read_text("utf-8")
    (folder / "mapping.toml").write_text(
        text.replace('decimal = ","', f'decimal = "{decimal}"'), encoding="utf-8"
    )
    args = ["rollup", "--counts", str(folder / "so_lieu.xlsx")]
    args += ["--units", str(folder / "don_vi.xlsx"), "--mapping", str(folder / "mapping.toml")]
    args += ["--out", str(folder / "tong_hop.csv"), "--rejects", str(folder / "loai.csv")]
    code = main([*args, "--locale", "vi", "--quiet"])
    lines = (folder / "tong_hop.csv").read_text("utf-8-sig").splitlines()
    header = lines[0].split(",")
    (commune,) = [
        dict(zip(header, r.split(","), strict=True)) for r in lines if r.startswith("commune,")
    ]
    if decimal == ",":
        assert code == 0 and rejects_file(folder) == []
        assert (commune["families"], commune["learning_families"]) == ("2856", "1700")
    else:
        assert code == 1
        rows_ = [(r[4], r[5]) for r in rejects_file(folder)]
        assert rows_ == [("2.000", "thousands_dot"), ("1.000", "thousands_dot")]
        assert (commune["families"], commune["learning_families"]) == ("856", "700")
        message = rejects_file(folder)[0][6]
        assert "hãy đọc tệp với dấu thập phân là dấu phẩy (--decimal ," in message
    (spec,) = [s for s in ls.load_rulebook("vn-national").inputs if s.name == "tt44_points"]
    values, reasons, _ = input_values(np.array(["1.000", "85"]), spec, decimal)
    assert reasons.tolist() == (["", ""] if decimal == "," else ["thousands_dot", ""])
    assert values[1] == 85 and (values[0] == 1000 if decimal == "," else np.isnan(values[0]))


@pytest.mark.filterwarnings("ignore::learnsoc.io.headers.SheetWarning")
def test_a_dataset_with_skipped_totals_rows_ends_with_the_check_that_counts_them(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """'người: đọc 3, nhận 2, ..., 1 dòng được bỏ qua' is followed by 'nhận + loại + bỏ qua'."""
    pytest.importorskip("pyarrow")
    province = folder / "tinh-01"
    province.mkdir()
    persons(folder, "Ngày sinh", ["15/03/1975", "02/09/1978"]).rename(province / "persons.xlsx")
    (folder / "ho.xlsx").rename(province / "households.xlsx")
    units, mapping = str(folder / "don_vi.xlsx"), str(folder / "mapping.toml")
    args = ["dataset", "--out", str(folder / "national"), "--units", units, "--mapping", mapping]
    assert main([*args, "--reference-year", "2025", str(province), "--locale", "vi"]) == 0
    capsys.readouterr()
    args = ["evaluate", str(folder / "national"), "--rulebook", "vn-national"]
    args += ["--as-of", "31/12/2025", "--out", str(folder / "ketqua"), "--locale", "vi"]
    main(args)
    err = capsys.readouterr().err
    assert "người: đọc 3, nhận 2, 0 dòng bị loại, 1 dòng được bỏ qua" in err
    assert err.rstrip().endswith("nhận + loại + bỏ qua = đọc: OK")


@pytest.mark.filterwarnings("ignore::learnsoc.io.headers.SheetWarning")
@pytest.mark.parametrize("command", ["report", "rollup"])
def test_strict_stops_a_counts_run_at_its_first_problem(
    folder: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    """--strict with --counts: the first bad cell stops the run, as with persons' files."""
    text = "Mã thôn;Tổng số gia đình;Gia đình học tập\n00004001;12;x\n00004002;10;5\n"
    (folder / "sl.csv").write_text(text, encoding="utf-8-sig")
    args = [command, "--counts", str(folder / "sl.csv"), "--units", str(folder / "don_vi.xlsx")]
    args += ["--mapping", str(folder / "mapping.toml"), "--delimiter", ";"]
    args += ["--out", str(folder / "ra.csv"), "--strict", "--locale", "vi"]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert (
        "dữ liệu đầu vào có 1 lỗi; lỗi đầu tiên: "
        f"{folder / 'sl.csv'}, dòng 2, cột Gia đình học tập: giá trị 'x' không phải là số"
    ) in err
    assert not (folder / "ra.csv").exists()
