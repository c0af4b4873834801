"""The command line on workbooks whose data is not on the first sheet.

A run with a households workbook (an instructions sheet first) and a persons workbook (a
cover sheet and notes first) could not be read at all: one ``--sheet`` applied to every
file, and without it the instructions were read as column names. ``--sheet FILE=SHEET``
now chooses per workbook, and without it each workbook's table is found and said.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from learnsoc.cli import main
from tests.io.helpers import HOUSEHOLDS, PERSONS, UNITS, write
from tests.io.test_excel_sheets import _book
from tests.optional import require

openpyxl = require("openpyxl")

BOOK = ["--rulebook", "vn-national", "--as-of", "2025-12-31"]


def _rows(text: str) -> list[list[str]]:
    return [line.split(",") for line in text.strip().splitlines()]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """ho.xlsx: instructions, then households; nk.xlsx: cover, notes, then persons."""
    instructions = [["HƯỚNG DẪN"], [], ["Mỗi hộ ghi trên một dòng của trang 'Hộ gia đình'."]]
    _book(tmp_path / "ho.xlsx", {"Hướng dẫn": instructions, "Hộ gia đình": _rows(HOUSEHOLDS)})
    wb = openpyxl.load_workbook(tmp_path / "ho.xlsx")
    wb["Hướng dẫn"].merge_cells("A1:D1")
    wb["Hướng dẫn"].merge_cells("A3:D3")
    wb.save(tmp_path / "ho.xlsx")
    title = [["DANH SÁCH NHÂN KHẨU NĂM 2025"], []]
    _book(
        tmp_path / "nk.xlsx",
        {
            "Bìa": [["UBND XÃ TÂN LẬP"], ["SỔ NHÂN KHẨU"]],
            "Ghi chú": [["Tuổi tính đến 31/12/2025"]],
            "Danh sách": [*title, *_rows(PERSONS)],
        },
    )
    write(tmp_path, "units.csv", UNITS)
    monkeypatch.chdir(tmp_path)
    return tmp_path


FILES = ["nk.xlsx", "--households", "ho.xlsx", "--units", "units.csv"]


@pytest.mark.parametrize("command", ["validate", "evaluate"])
def test_two_workbooks_with_their_data_on_different_sheets(
    folder: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--sheet ho.xlsx=2 --sheet 'nk.xlsx=Danh sách'``: one run reads both; no warning
    about the sheets (the title above the persons' header is still said)."""
    book = BOOK if command == "evaluate" else []
    sheets = ["--sheet", "ho.xlsx=2", "--sheet", "nk.xlsx=Danh sách"]
    assert main([command, *FILES, *book, *sheets, "--quiet"]) == 0
    err = capsys.readouterr().err
    assert err.endswith("accepted + rejected = read: OK\n")
    assert "ho.xlsx" not in err
    assert (
        "nk.xlsx, sheet 'Danh sách': the column names (person_id, household_id) are on row 3" in err
    )


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        (
            "en",
            [
                "learnsoc: warning: ho.xlsx: the first sheet, 'Hướng dẫn', holds no table with "
                "the columns household_id, unit_code; sheet 'Hộ gia đình' does (its row 1) and "
                "is read; to read another sheet, give it with --sheet (sheet=)",
                "learnsoc: warning: nk.xlsx: the first sheet, 'Bìa', holds no table with the "
                "columns person_id, household_id; sheet 'Danh sách' does (its row 3) and is "
                "read; to read another sheet, give it with --sheet (sheet=)",
                "accepted + rejected = read: OK",
            ],
        ),
        (
            "vi",
            [
                "learnsoc: cảnh báo: ho.xlsx: trang tính đầu tiên, 'Hướng dẫn', không chứa bảng "
                "dữ liệu có các cột household_id, unit_code; trang tính 'Hộ gia đình' có các "
                "cột này (ở dòng 1) nên được đọc; để đọc trang tính khác, hãy chỉ rõ bằng "
                "--sheet (sheet=)",
                "learnsoc: cảnh báo: nk.xlsx: trang tính đầu tiên, 'Bìa', không chứa bảng dữ "
                "liệu có các cột person_id, household_id; trang tính 'Danh sách' có các cột "
                "này (ở dòng 3) nên được đọc; để đọc trang tính khác, hãy chỉ rõ bằng --sheet "
                "(sheet=)",
            ],
        ),
    ],
)
@pytest.mark.parametrize("command", ["validate", "evaluate"])
def test_without_sheets_each_workbooks_table_is_found_and_said(
    folder: Path, command: str, locale: str, said: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """No --sheet: the instructions were read as column names (exit 1); each table is
    now found on its sheet, and each sheet read is said, in the user's language."""
    book = BOOK if command == "evaluate" else []
    assert main([command, *FILES, *book, "--quiet", "--locale", locale]) == 0
    lines = capsys.readouterr().err.splitlines()
    for line in said:
        assert line in lines


@pytest.mark.parametrize(
    ("locale", "message"),
    [
        (
            "en",
            "learnsoc: error: nk.xlsx: several sheets hold a table with the columns person_id, "
            "household_id: 'Danh sách', 'Bản sao'; the sheets are 'Bìa' (no table), 'Ghi chú' "
            "(no table), 'Danh sách' (row 3: 'person_id', 'household_id', 'age', 'sex', "
            "'literate'), 'Bản sao' (row 1: 'person_id', 'household_id', 'age', 'sex', "
            "'literate'); learnsoc reads one sheet of each file: if they are parts of one "
            "list (a sheet per village), copy their rows under one header on one sheet first, "
            "else give the one to read with --sheet 'nk.xlsx=Danh sách' (sheet=)",
        ),
        (
            "vi",
            "learnsoc: lỗi: nk.xlsx: có nhiều trang tính chứa bảng dữ liệu có các cột "
            "person_id, household_id: 'Danh sách', 'Bản sao'; các trang tính có trong tệp: "
            "'Bìa' (không có bảng dữ liệu), 'Ghi chú' (không có bảng dữ liệu), 'Danh sách' "
            "(dòng 3: 'person_id', 'household_id', 'age', 'sex', 'literate'), 'Bản sao' (dòng "
            "1: 'person_id', 'household_id', 'age', 'sex', 'literate'); learnsoc chỉ đọc một "
            "trang tính của mỗi tệp: nếu đó là các phần của cùng một danh sách (mỗi thôn, tổ "
            "dân phố một "
            "trang), hãy chép các dòng của chúng vào một trang, dưới cùng một dòng tiêu đề, "
            "trước khi đọc; nếu không, hãy chỉ rõ trang tính cần đọc bằng --sheet "
            "'nk.xlsx=Danh sách' (sheet=)",
        ),
    ],
)
def test_a_workbook_with_two_lists_is_never_guessed(
    folder: Path, locale: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A copy of the list on a fourth sheet: the run stops and says how to choose."""
    wb = openpyxl.load_workbook(folder / "nk.xlsx")
    copy = wb.create_sheet("Bản sao")
    for row in _rows(PERSONS):
        copy.append(row)
    wb.save(folder / "nk.xlsx")
    assert main(["validate", *FILES, "--quiet", "--locale", locale]) == 1
    assert message in capsys.readouterr().err.splitlines()
    assert main(["validate", *FILES, "--quiet", "--sheet", "nk.xlsx=Bản sao"]) == 0


@pytest.mark.parametrize(
    ("locale", "message"),
    [
        (
            "en",
            "learnsoc: error: nk.xlsx: no sheet holds a table with the columns person_id, "
            "household_id (by these names, or names the mapping file gives them); the sheets "
            "are 'Bìa' (no table), 'Ghi chú' (no table), 'Danh sách' (row 3: 'Mã NK', 'Mã hộ', "
            "'age', 'sex', 'literate'); give the one to read with --sheet nk.xlsx=NAME "
            "(sheet=), or name its columns in the mapping file",
        ),
        (
            "vi",
            "learnsoc: lỗi: nk.xlsx: không trang tính nào chứa bảng dữ liệu có các cột "
            "person_id, household_id (theo đúng các tên này, hoặc theo tên mà tệp ánh xạ đặt "
            "cho chúng); các trang tính có trong tệp: 'Bìa' (không có bảng dữ liệu), 'Ghi chú' "
            "(không có bảng dữ liệu), 'Danh sách' (dòng 3: 'Mã NK', 'Mã hộ', 'age', 'sex', "
            "'literate'); hãy chỉ rõ trang tính cần đọc bằng --sheet nk.xlsx=TÊN (sheet=), "
            "hoặc khai báo tên các cột của trang đó trong tệp ánh xạ",
        ),
    ],
)
def test_a_workbook_without_the_table_lists_its_sheets(
    folder: Path, locale: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The list's columns are the agency's, and no mapping file names them."""
    persons = PERSONS.replace("person_id,household_id", "Mã NK,Mã hộ")
    title = [["DANH SÁCH NHÂN KHẨU NĂM 2025"], []]
    _book(
        folder / "nk.xlsx",
        {
            "Bìa": [["SỔ NHÂN KHẨU"]],
            "Ghi chú": [["ghi chú"]],
            "Danh sách": [*title, *_rows(persons)],
        },
    )
    assert main(["validate", *FILES, "--quiet", "--locale", locale]) == 1
    assert message in capsys.readouterr().err.splitlines()
    mapping = '[person.columns]\n"Mã NK" = "person_id"\n"Mã hộ" = "household_id"\n'
    write(folder, "m.toml", mapping)
    assert main(["validate", *FILES, "--quiet", "--mapping", "m.toml"]) == 0


@pytest.mark.parametrize(
    ("argv", "locale", "message"),
    [
        (
            ["--sheet", "hh.xlsx=2"],
            "en",
            "learnsoc validate: error: --sheet: hh.xlsx: no sheet can be chosen for it "
            "(--sheet, sheet=): it is none of the files given (nk.xlsx, ho.xlsx, units.csv) and "
            "no table (persons, households, units); did you mean 'ho.xlsx'?",
        ),
        (
            ["--sheet", "hh.xlsx=2"],
            "vi",
            "learnsoc validate: lỗi: --sheet: hh.xlsx: không thể chọn trang tính theo tên này "
            "(--sheet, sheet=): đây không phải là tệp nào trong các tệp đã cho (nk.xlsx, "
            "ho.xlsx, units.csv), cũng không phải là bảng nào (persons, households, units); có "
            "phải ý bạn là 'ho.xlsx'?",
        ),
        (
            ["--sheet", "units.csv=2"],
            "en",
            "learnsoc validate: error: --sheet: units.csv: a sheet is chosen for it (--sheet, "
            "sheet=), but it is not an Excel workbook (.xlsx)",
        ),
        (
            ["--sheet", "ho.xlsx=1", "--sheet", "ho.xlsx=2"],
            "en",
            "learnsoc validate: error: argument --sheet: two sheets for ho.xlsx",
        ),
        (
            ["--sheet", "1", "--sheet", "2"],
            "vi",
            "learnsoc validate: lỗi: tham số --sheet: hai trang tính khác nhau cho mọi tệp "
            "Excel; để chọn trang tính cho một tệp, hãy ghi TỆP=TÊN|SỐ",
        ),
        (
            ["--sheet", "=2"],
            "en",
            "learnsoc validate: error: argument --sheet: give the file before '=' (FILE=NAME|N)",
        ),
        (
            ["--sheet", "ho.xlsx=0"],
            "en",
            "learnsoc validate: error: argument --sheet: sheets are numbered from 1, got 0",
        ),
    ],
)
def test_sheet_choices_that_name_nothing_are_usage_errors(
    folder: Path, argv: list[str], locale: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file the run does not read, a CSV file, two sheets for one workbook: exit 2."""
    assert main(["validate", *FILES, *argv, "--locale", locale]) == 2
    assert message in capsys.readouterr().err.splitlines()


def test_a_sheet_the_workbook_lacks_lists_its_sheets(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--sheet ho.xlsx=5``: the number the user typed, and the sheets there are."""
    assert main(["validate", *FILES, "--sheet", "ho.xlsx=5", "--locale", "vi"]) == 1
    assert (
        "learnsoc: lỗi: ho.xlsx: không có trang tính số 5 (sheet=4); các trang tính có trong "
        "tệp: 'Hướng dẫn', 'Hộ gia đình'"
    ) in capsys.readouterr().err.splitlines()


def test_a_counts_workbook_with_instructions_first(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``report --counts``: the counts are found on sheet 2 (and said), or read from the
    sheet given for that workbook alone; the units file is a CSV file."""
    counts: list[list[object]] = [
        ["unit_code", "families", "learning_families"],
        ["00001", 100, 80],
    ]
    _book(folder / "c.xlsx", {"Hướng dẫn": [["Ghi số liệu ở trang 2"]], "Số liệu": counts})
    report = ["report", "--counts", "c.xlsx", "--units", "units.csv"]
    report += ["--indicators", "learning_families", "--year", "2025"]
    assert main([*report, "--quiet"]) == 0
    err = capsys.readouterr().err
    assert "c.xlsx: the first sheet, 'Hướng dẫn', holds no table with the columns unit_code" in err
    assert main([*report, "--quiet", "--sheet", "c.xlsx=2"]) == 0
    assert capsys.readouterr().err == "accepted + rejected = read: OK\n"
    assert main([*report, "--quiet", "--sheet", "nk.xlsx=2"]) == 2
    assert "it is none of the files given (units.csv, c.xlsx)" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        (
            "en",
            [
                "learnsoc: error: ho.xlsx: no sheet 'Danh sách'; the sheets are 'Hướng dẫn', "
                "'Hộ gia đình'",
                "  --sheet 'Danh sách' looks for that sheet in every workbook given, ho.xlsx too; "
                "to choose it in one workbook only, write --sheet FILE=NAME (the file before "
                "'='), once per workbook",
            ],
        ),
        (
            "vi",
            [
                "learnsoc: lỗi: ho.xlsx: không có trang tính 'Danh sách'; các trang tính có "
                "trong tệp: 'Hướng dẫn', 'Hộ gia đình'",
                "  --sheet 'Danh sách' tìm trang tính đó trong mọi tệp Excel đã cho, cả ho.xlsx; "
                "để chọn trang tính cho một tệp thôi, hãy ghi --sheet TỆP=TÊN (tên tệp trước "
                "dấu '='), mỗi tệp một lần",
            ],
        ),
    ],
)
def test_a_sheet_for_every_workbook_that_one_lacks_says_how_to_give_it_per_file(
    folder: Path, locale: str, said: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """``--sheet 'Danh sách'`` is the persons' sheet; the households workbook has none of
    that name: the error says how to give the sheet for one workbook only."""
    argv = ["validate", *FILES, "--sheet", "Danh sách", "--locale", locale]
    assert main(argv) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[-2:] == said
    assert main(["validate", *FILES, "--sheet", "nk.xlsx=Danh sách", "--quiet"]) == 0


def test_the_sheet_option_reads_in_vietnamese_in_usage_and_help(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """vi usage wrote ``[TỆP=]TÊN|N`` beside a help saying ``TỆP=TÊN|SỐ``; rollup --out .xlsx."""
    assert main(["rollup", "--help", "--locale", "vi"]) == 0
    out = capsys.readouterr().out
    assert "[--sheet [TỆP=]TÊN|SỐ]" in out
    assert "TÊN|N" not in out
    assert "tệp tổng hợp (.csv, .xlsx, .parquet hoặc .json)" in out
