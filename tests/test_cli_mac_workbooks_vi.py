"""Workbooks kept in Excel's 1904 date system (Excel for Mac's default until 2011).

Such a workbook counts its dates from 01/01/1904, not 1900: a year of birth typed into a
"Ngày sinh" cell formatted as Date (1990) shows as 13/06/1909, not 12/06/1905. Read as a
date it is an age of 116, which passes every range check; so it must be refused as the
1900 system's is, naming the number the cell holds (1990, not the 3452 the 1900 system
gives that date) and the fix. Real dates in such a workbook are right as they are.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

import learnsoc as ls
from learnsoc._date_cells import excel_number, typed_year
from learnsoc.cli import main
from learnsoc.io.convert import BirthDatesAsYearsWarning
from tests.optional import require

openpyxl = require("openpyxl")

MAPPING = """
[mapping]
levels = "vn-2025"
[values.bool]
"Có" = 1
"Không" = 0
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

#: The 1904 system's first day: its serial 0.
MAC_EPOCH = dt.date(1904, 1, 1)


def mac_workbook(path: Path, header: list[str], rows: list[list[Any]], dated: int = 0) -> Path:
    """A workbook saved in the 1904 date system, column ``dated`` (1-based) formatted as
    dd/mm/yyyy in every row, as a whole column formatted as Date is."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    book = openpyxl.Workbook()
    book.epoch = CALENDAR_MAC_1904
    ws = book.active
    ws.append(header)
    for row in rows:
        ws.append(row)
        if dated:
            ws.cell(row=ws.max_row, column=dated).number_format = "dd/mm/yyyy"
    book.save(path)
    return path


def stored_numbers(path: Path, column: str) -> list[str]:
    """The numbers a sheet's column holds, read from its XML (not through openpyxl)."""
    with zipfile.ZipFile(path) as z:
        assert 'date1904="1"' in z.read("xl/workbook.xml").decode()
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    return re.findall(rf'<c r="{column}[0-9]+"[^>]*t="n"[^>]*><v>([^<]*)</v>', sheet)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    units: list[list[Any]] = [
        ["01", "Thành phố Hà Nội", "Tỉnh", None],
        ["00004", "Xã Minh Phú", "Xã", "01"],
        ["00004001", "Thôn Đông", "Thôn", "00004"],
        ["00004002", "Thôn Đoài", "Thôn", "00004"],
    ]
    mac_workbook(tmp_path / "don_vi.xlsx", ["Mã", "Tên", "Cấp", "Mã cấp trên"], units)
    mac_workbook(tmp_path / "ho.xlsx", ["Mã hộ", "Mã thôn"], [["H01", "00004001"]])
    (tmp_path / "mapping.toml").write_text(MAPPING, encoding="utf-8")
    return tmp_path


def persons(folder: Path, column: str, born: list[Any]) -> Path:
    """The persons' sheet, its birth column ``column`` formatted as dates."""
    rows = [[f"NK0{i}", "H01", b] for i, b in enumerate(born, start=1)]
    return mac_workbook(folder / "nhan_khau.xlsx", ["Mã NK", "Mã hộ", column], rows, 3)


def validate(folder: Path, people: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    args = ["validate", str(people), "--households", str(folder / "ho.xlsx")]
    args += ["--units", str(folder / "don_vi.xlsx"), "--mapping", str(folder / "mapping.toml")]
    args += ["--reference-year", "2025", "--rejects", str(folder / "loai.csv"), "--locale", "vi"]
    code = main(args)
    return code, capsys.readouterr().err


def rejects_file(folder: Path) -> list[list[str]]:
    with (folder / "loai.csv").open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))[1:]


def read(folder: Path, people: Path) -> ls.Population:
    return ls.read_population(
        people,
        households=folder / "ho.xlsx",
        units=folder / "don_vi.xlsx",
        mapping=folder / "mapping.toml",
        reference_year=2025,
    )


def test_a_year_typed_into_a_date_cell_of_a_1904_workbook_is_refused(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """1990 and 1950 typed into 'Ngày sinh' show as 1909 dates: refused, naming 1990, 1950."""
    born = [1990, dt.datetime(1978, 9, 2), 1950, "15/03/1975"]
    people = persons(folder, "Ngày sinh", born)
    # The cells hold the numbers typed, the real date its 1904 serial (counted by hand).
    assert stored_numbers(people, "C") == [
        "1990",
        str((dt.date(1978, 9, 2) - MAC_EPOCH).days),
        "1950",
    ]
    code, err = validate(folder, people, capsys)
    assert code == 1
    assert "người: đọc 4, nhận 2, 2 dòng bị loại" in err
    assert "người: số bị hiển thị thành ngày ở cột Ngày sinh: 2 dòng" in err
    assert "nhận + loại = đọc: OK" in err
    rows = rejects_file(folder)
    shown = [str(MAC_EPOCH + dt.timedelta(days=n)) for n in (1990, 1950)]
    assert [(r[1], r[3], r[4], r[5]) for r in rows] == [
        ("2", "birth_date", shown[0], "number_as_date"),
        ("4", "birth_date", shown[1], "number_as_date"),
    ]
    assert (
        f"nhan_khau.xlsx, dòng 2, cột Ngày sinh: giá trị '{shown[0]}' là cách Excel hiển thị "
        "số 1990 trong ô định dạng kiểu Ngày (Date); nếu số đó là năm sinh, hãy định dạng các "
        "ô là General (Format Cells > General) rồi lưu lại tệp (tệp này tính ngày từ năm "
        "1904, như Excel cho máy Mac trước đây)"
    ) in rows[0][6]
    assert "số 1950 trong ô" in rows[1][6]
    # The real dates are read as they show: ages on 31/12/2025, by hand.
    pop = read(folder, people)
    assert pop.person_columns["age"].tolist() == [2025 - 1978, 2025 - 1975]
    message = pop.rejects.records(locale="en")[0].message
    assert f"value '{shown[0]}' is how Excel shows the number 1990" in message
    assert "this workbook counts dates from 1904, as Excel for Mac once did" in message


def test_a_1904_year_in_a_year_of_birth_column_is_refused_not_read_as_1909(
    folder: Path,
) -> None:
    """'Năm sinh' holding 1990 typed into a date cell: refused, not the year 1909."""
    people = persons(folder, "Năm sinh", [1990, dt.datetime(1978, 9, 2), "1985"])
    with pytest.warns(BirthDatesAsYearsWarning) as caught:
        pop = read(folder, people)
    (warning,) = [w.message for w in caught if isinstance(w.message, BirthDatesAsYearsWarning)]
    assert (warning.n, warning.example) == (1, "1978-09-02")
    assert "('1978-09-02' as 1978)" in str(warning)
    assert pop.person_columns["age"].tolist() == [2025 - 1978, 2025 - 1985]
    ((value, reason, message),) = [
        (r.value, r.reason, r.message) for r in pop.rejects.records(locale="en")
    ]
    assert (value, reason) == ("1909-06-13", "number_as_date")
    assert "shows the number 1990 in a cell formatted as Date" in message
    assert pop.rejects.counts()["person"] == (3, 2, 1)


@pytest.mark.filterwarnings("ignore::learnsoc.io.headers.SheetWarning")
def test_a_count_typed_into_a_date_cell_of_a_1904_workbook_names_its_number(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """856 families in a date cell shows 06/05/1906 there: refused, naming 856 (not 2318)."""
    header = ["Mã thôn", "Tổng số gia đình", "Gia đình học tập"]
    rows: list[list[Any]] = [["00004001", 1000, 700], ["00004002", 856, 600]]
    path = mac_workbook(folder / "so_lieu.xlsx", header, rows)
    book = openpyxl.load_workbook(path)
    book.active["B3"].number_format = "dd/mm/yyyy"
    book.save(path)
    assert stored_numbers(path, "B") == ["1000", "856"]
    args = ["report", "--counts", str(path), "--units", str(folder / "don_vi.xlsx")]
    args += ["--mapping", str(folder / "mapping.toml"), "--indicators", "learning_families"]
    args += ["--rejects", str(folder / "loai.csv"), "--locale", "vi"]
    assert main(args) == 1
    # The report on stdout lists the rows read; the summary on stderr does not repeat them.
    out, err = capsys.readouterr()
    assert "số liệu tổng hợp: đọc 2, nhận 1, 1 dòng bị loại" in out + err
    ((_, line, _, column, value, reason, message, _),) = rejects_file(folder)
    shown = str(MAC_EPOCH + dt.timedelta(days=856))
    assert (line, column, value, reason) == ("3", "families", shown, "number_as_date")
    assert f"cột Tổng số gia đình: giá trị '{shown}' là cách Excel hiển thị số 856 " in message
    assert "(tệp này tính ngày từ năm 1904" in message


def test_an_evaluators_number_in_a_date_cell_of_a_1904_workbook_names_its_number(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A commune's 45 points typed into a date cell (15/02/1904 there): refused, naming 45."""
    people = persons(folder, "Ngày sinh", ["15/03/1975"])
    sheet = mac_workbook(folder / "xa.xlsx", ["Mã xã", "tt44_points"], [["00004", 45]], 2)
    assert stored_numbers(sheet, "B") == ["45"]
    args = ["evaluate", str(people), "--households", str(folder / "ho.xlsx")]
    args += ["--units", str(folder / "don_vi.xlsx"), "--mapping", str(folder / "mapping.toml")]
    args += ["--reference-year", "2025", "--rulebook", "vn-national", "--as-of", "31/12/2025"]
    args += ["--inputs", f"commune={sheet}", "--rejects", str(folder / "loai.csv")]
    args += ["--out", str(folder / "ket_qua.csv"), "--locale", "en"]
    main(args)
    assert "commune inputs: read 1, accepted 0, 1 row rejected" in capsys.readouterr().err
    ((_, line, _, column, value, reason, message, _),) = rejects_file(folder)
    shown = str(MAC_EPOCH + dt.timedelta(days=45))
    assert (line, column, value, reason) == ("2", "tt44_points", shown, "number_as_date")
    assert f"value '{shown}' is how Excel shows the number 45 in a cell" in message
    assert "this workbook counts dates from 1904" in message


@pytest.mark.parametrize(
    "date",
    [dt.date(1904, 1, 1), dt.date(1904, 3, 1), dt.date(1909, 6, 13), dt.date(2025, 12, 31)],
)
def test_excel_number_in_the_1904_system_is_openpyxls_serial(date: dt.date) -> None:
    """The number a date cell holds in a 1904 workbook, as openpyxl computes it."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, to_excel

    expected = int(to_excel(dt.datetime(date.year, date.month, date.day), CALENDAR_MAC_1904))
    assert excel_number(date.isoformat(), date1904=True) == expected
    assert excel_number(date.strftime("%d/%m/%Y"), date1904=True) == expected


def test_only_numbers_that_are_years_of_birth_count_as_typed_years_in_1904() -> None:
    """05/12/1908 is 1800 and 09/01/1910 is 2200 there; nothing beyond, and not in 1900."""
    assert typed_year("1908-12-05", date1904=True) == 1800
    assert typed_year("1910-01-09", date1904=True) == 2200
    assert typed_year("1908-12-04", date1904=True) is None
    assert typed_year("1910-01-10", date1904=True) is None
    assert typed_year("1909-06-13") is None and excel_number("1903-12-31", date1904=True) is None
