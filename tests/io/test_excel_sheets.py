"""Agency workbooks whose table is not on the first sheet (instructions, a cover sheet).

Vietnamese workbooks often open on an instructions sheet ("Hướng dẫn") and keep the data
on a sheet named "Danh sách", below a title. The first sheet used to be read whatever it
held, and its paragraphs were then reported as unknown columns; the readers now find the
only sheet holding the table (and say so), refuse to guess between several, and take a
sheet per workbook (``sheet={"ho.xlsx": 1, "persons": "Danh sách"}``).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from learnsoc.errors import SchemaError
from learnsoc.io.excel import SheetWarning, TableHeader, read_excel
from learnsoc.io.files import FileFormatError
from learnsoc.io.mapping import FileMapping
from learnsoc.io.population import read_counts, read_population, read_units
from learnsoc.io.rejects import FileReject
from tests.io.helpers import HOUSEHOLDS, UNITS, write
from tests.optional import require

openpyxl = require("openpyxl")

#: The mapping of the agency's persons columns.
MAPPING = """
[person.columns]
"Mã NK" = "person_id"
"Mã hộ" = "household_id"
"Tuổi" = "age"
"Biết chữ" = "literate"
[person]
ignore = ["STT", "Họ và tên"]
[person.values.literate]
"Có" = 1
"Không" = 0
"""
HEADER = ["STT", "Mã NK", "Họ và tên", "Mã hộ", "Tuổi", "Biết chữ"]
ROWS = [
    [1, "NK1", "Nguyễn Văn An", "H1", 40, "Có"],
    [2, "NK2", "Trần Thị Bình", "H1", 9, "Không"],
    [3, "NK3", "Lê Văn Cường", "H2", "bốn mươi", "Có"],  # not a number: a reject
    [4, "NK4", "Phạm Thị Dung", "H3", 70, "Có"],
]
INSTRUCTIONS = [
    ["HƯỚNG DẪN NHẬP LIỆU"],
    [],
    ["1. Mỗi nhân khẩu ghi trên một dòng của trang 'Danh sách'."],
    ["2. Cột Tuổi ghi số tuổi tròn tính đến ngày 31/12."],
    ["3. Không sửa tên các cột; không chèn thêm cột."],
]
TITLE = [["DANH SÁCH NHÂN KHẨU THÔN ĐÔNG NĂM 2025"], []]


def _book(
    path: Path,
    sheets: Mapping[str, Sequence[Sequence[object]]],
    merged: Mapping[str, Sequence[str]] = {},
) -> Path:
    """Save a workbook of the sheets given, in order, with their merged ranges."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(list(row))
        for cells in merged.get(title, ()):
            ws.merge_cells(cells)
    wb.save(path)
    return path


def _agency_book(path: Path) -> Path:
    """Instructions first (merged paragraphs), the list on sheet 2 below a merged title."""
    return _book(
        path,
        {"Hướng dẫn": INSTRUCTIONS, "Danh sách": [*TITLE, HEADER, *ROWS]},
        {"Hướng dẫn": ["A1:F1", "A3:F3", "A4:F4", "A5:F5"], "Danh sách": ["A1:F1"]},
    )


def _inputs(folder: Path) -> dict[str, Path]:
    return {
        "households": write(folder, "ho.csv", HOUSEHOLDS),
        "units": write(folder, "don_vi.csv", UNITS),
        "mapping": write(folder, "mapping.toml", MAPPING),
    }


def test_the_list_on_sheet_two_below_a_title_is_found_and_said(tmp_path: Path) -> None:
    """An instructions sheet first: its paragraphs were read as the persons header
    (``SchemaError: unknown column 'HƯỚNG DẪN NHẬP LIỆU'``); the list on sheet 2 is now
    read from its header row 3, with a warning naming the file, the sheet and the row."""
    persons = _agency_book(tmp_path / "nhan_khau.xlsx")
    with pytest.warns(SheetWarning) as caught:
        pop = read_population(persons, **_inputs(tmp_path))  # type: ignore[arg-type]
    (warning,) = caught
    found = warning.message
    assert isinstance(found, SheetWarning)
    assert (found.file, found.sheet, found.row) == (str(persons), "Danh sách", 3)
    assert str(found) == (
        f"{persons}: the first sheet, 'Hướng dẫn', holds no table with the columns Mã NK, "
        "Mã hộ; sheet 'Danh sách' does (its row 3) and is read; to read another sheet, "
        "give it with --sheet (sheet=)"
    )
    assert found.localized("vi") == (
        f"{persons}: trang tính đầu tiên, 'Hướng dẫn', không chứa bảng dữ liệu có các cột "
        "Mã NK, Mã hộ; trang tính 'Danh sách' có các cột này (ở dòng 3) nên được đọc; để "
        "đọc trang tính khác, hãy chỉ rõ bằng --sheet (sheet=)"
    )
    assert pop.n_persons == 3
    # The reject names the row of the sheet (title, blank, header, then the data).
    (bad,) = [r for r in pop.rejects.records() if isinstance(r, FileReject)]
    assert (Path(bad.file).name, bad.line, bad.column, bad.value) == (
        "nhan_khau.xlsx",
        6,
        "age",
        "bốn mươi",
    )
    assert pop.rejects.counts()["person"] == (4, 3, 1)


def test_a_sheet_named_is_read_from_the_row_naming_the_columns(tmp_path: Path) -> None:
    """The sheet given, with a title above its header: the error was "cell B3 holds a
    value beyond the last named column"; the header is now the row holding the table's
    columns, and the rows above it are said to be a title."""
    persons = _agency_book(tmp_path / "nhan_khau.xlsx")
    with pytest.warns(SheetWarning) as caught:
        pop = read_population(persons, sheet="Danh sách", **_inputs(tmp_path))  # type: ignore[arg-type]
    (warning,) = caught
    assert isinstance(warning.message, SheetWarning)
    assert warning.message.localized("en") == (
        f"{persons}, sheet 'Danh sách': the column names (Mã NK, Mã hộ) are on row 3, read "
        "as the header; the rows above it are a title, not read; to read another row as the "
        "header, give --header-row (header_row=)"
    )
    assert warning.message.localized("vi") == (
        f"{persons}, trang tính 'Danh sách': tên các cột (Mã NK, Mã hộ) nằm ở dòng 3, được "
        "đọc làm dòng tiêu đề; các dòng phía trên là tên biểu, không được đọc; để đọc dòng "
        "khác làm dòng tiêu đề, hãy dùng --header-row (header_row=)"
    )
    assert pop.n_persons == 3
    # Given both, nothing is found and nothing is said.
    with warnings.catch_warnings():
        warnings.simplefilter("error", SheetWarning)
        again = read_population(persons, sheet=1, header_row=3, **_inputs(tmp_path))  # type: ignore[arg-type]
    assert again.n_persons == 3


def test_a_sheet_per_workbook_by_file_or_table(tmp_path: Path) -> None:
    """Households on sheet 2 of theirs, persons on sheet 3 of theirs: one ``sheet=`` for
    every workbook could not read both; a mapping chooses per file or per table."""
    rows = [line.split(",") for line in HOUSEHOLDS.strip().splitlines()]
    households = _book(tmp_path / "ho.xlsx", {"Bìa": [["SỔ HỘ"]], "Hộ gia đình": rows})
    persons = _book(
        tmp_path / "nhan_khau.xlsx",
        {
            "Bìa": [["SỔ NHÂN KHẨU"]],
            "Ghi chú": [["Mã hộ", "xem sổ hộ"]],
            "Danh sách": [HEADER, *ROWS],
        },
    )
    inputs = _inputs(tmp_path)
    choices: list[dict[str, str | int]] = [
        {"ho.xlsx": 1, "persons": "Danh sách"},
        {"household": "Hộ gia đình", str(persons): 2},
        {"*": 1, "nhan_khau.xlsx": -1},
    ]
    for sheet in choices:
        with warnings.catch_warnings():
            warnings.simplefilter("error", SheetWarning)
            pop = read_population(
                persons,
                households=households,
                units=inputs["units"],
                mapping=inputs["mapping"],
                sheet=sheet,
            )
        assert (pop.n_persons, pop.n_households) == (3, 3)
    # Without them, each workbook's table is found on its sheet, and each is said.
    with pytest.warns(SheetWarning) as caught:
        read_population(
            persons, households=households, units=inputs["units"], mapping=inputs["mapping"]
        )
    assert sorted((Path(w.message.file).name, w.message.sheet) for w in caught) == [  # type: ignore[union-attr]
        ("ho.xlsx", "Hộ gia đình"),
        ("nhan_khau.xlsx", "Danh sách"),
    ]


def test_a_sheet_given_is_never_replaced_by_the_one_found(tmp_path: Path) -> None:
    """The instructions sheet, asked for by name: its columns are the error, although
    another sheet holds the table."""
    persons = _agency_book(tmp_path / "nhan_khau.xlsx")
    with pytest.raises(SchemaError, match="unknown column"):
        read_population(persons, sheet={"nhan_khau.xlsx": "Hướng dẫn"}, **_inputs(tmp_path))  # type: ignore[arg-type]


def test_several_sheets_holding_the_table_are_an_error_listing_them(tmp_path: Path) -> None:
    """Two years' lists in one workbook, an instructions sheet first: never a guess."""
    persons = _book(
        tmp_path / "nk.xlsx",
        {
            "Hướng dẫn": INSTRUCTIONS,
            "Năm 2024": [*TITLE, HEADER, *ROWS],
            "Năm 2025": [HEADER, *ROWS],
        },
    )
    with pytest.raises(FileFormatError) as err:
        read_population(persons, **_inputs(tmp_path))  # type: ignore[arg-type]
    assert err.value.file == str(persons)
    assert str(err.value) == (
        f"{persons}: several sheets hold a table with the columns person_id, household_id: "
        "'Năm 2024', 'Năm 2025'; the sheets are 'Hướng dẫn' (no table), 'Năm 2024' (row 3: "
        "'STT', 'Mã NK', 'Họ và tên', 'Mã hộ', 'Tuổi', ...), 'Năm 2025' (row 1: 'STT', "
        "'Mã NK', 'Họ và tên', 'Mã hộ', 'Tuổi', ...); learnsoc reads one sheet of each file: "
        "if they are parts of one list (a sheet per village), copy their rows under one header "
        "on one sheet first, else give the one to read with --sheet 'nk.xlsx=Năm 2024' (sheet=)"
    )
    assert err.value.localized("vi") == (
        f"{persons}: có nhiều trang tính chứa bảng dữ liệu có các cột person_id, "
        "household_id: 'Năm 2024', 'Năm 2025'; các trang tính có trong tệp: 'Hướng dẫn' "
        "(không có bảng dữ liệu), 'Năm 2024' (dòng 3: 'STT', 'Mã NK', 'Họ và tên', 'Mã hộ', "
        "'Tuổi', ...), 'Năm 2025' (dòng 1: 'STT', 'Mã NK', 'Họ và tên', 'Mã hộ', 'Tuổi', "
        "...); learnsoc chỉ đọc một trang tính của mỗi tệp: nếu đó là các phần của cùng một "
        "danh sách (mỗi thôn, tổ dân phố một trang), hãy chép các dòng của chúng vào một "
        "trang, dưới cùng "
        "một dòng tiêu đề, trước khi đọc; nếu không, hãy chỉ rõ trang tính cần đọc bằng "
        "--sheet 'nk.xlsx=Năm 2024' (sheet=)"
    )
    pop = read_population(persons, sheet={"persons": "Năm 2025"}, **_inputs(tmp_path))  # type: ignore[arg-type]
    assert pop.n_persons == 3


def test_no_sheet_holding_the_table_is_an_error_listing_what_each_holds(tmp_path: Path) -> None:
    """The list's columns are not in the mapping file: the error lists the sheets, what
    each holds, and both ways out (a sheet, or the mapping file)."""
    persons = _agency_book(tmp_path / "nk.xlsx")
    inputs = _inputs(tmp_path)
    write(tmp_path, "mapping.toml", MAPPING.replace('"Mã NK" = "person_id"', ""))
    with pytest.raises(FileFormatError) as err:
        read_population(persons, **inputs)  # type: ignore[arg-type]
    assert str(err.value) == (
        f"{persons}: no sheet holds a table with the columns person_id, household_id (by "
        "these names, or names the mapping file gives them); the sheets are 'Hướng dẫn' (no "
        "table), 'Danh sách' (row 3: 'STT', 'Mã NK', 'Họ và tên', 'Mã hộ', 'Tuổi', ...); "
        "give the one to read with --sheet nk.xlsx=NAME (sheet=), or name its columns in "
        "the mapping file"
    )
    assert err.value.localized("vi") == (
        f"{persons}: không trang tính nào chứa bảng dữ liệu có các cột person_id, "
        "household_id (theo đúng các tên này, hoặc theo tên mà tệp ánh xạ đặt cho chúng); "
        "các trang tính có trong tệp: 'Hướng dẫn' (không có bảng dữ liệu), 'Danh sách' "
        "(dòng 3: 'STT', 'Mã NK', 'Họ và tên', 'Mã hộ', 'Tuổi', ...); hãy chỉ rõ trang tính "
        "cần đọc bằng --sheet nk.xlsx=TÊN (sheet=), hoặc khai báo tên các cột của trang đó "
        "trong tệp ánh xạ"
    )
    # A workbook of one sheet has nothing to choose from: its columns are the error.
    single = _book(tmp_path / "mot.xlsx", {"Danh sách": [HEADER, *ROWS]})
    with pytest.raises(SchemaError, match="unknown column"):
        read_population(single, **inputs)  # type: ignore[arg-type]


def test_sheet_keys_and_sheets_that_name_nothing_are_errors(tmp_path: Path) -> None:
    """A key naming no file, a key naming a CSV file, a sheet the workbook lacks."""
    persons = _agency_book(tmp_path / "nhan_khau.xlsx")
    inputs = _inputs(tmp_path)
    with pytest.raises(FileFormatError) as err:
        read_population(persons, sheet={"nhan_khau.xls": 1}, **inputs)  # type: ignore[arg-type]
    assert str(err.value) == (
        "nhan_khau.xls: no sheet can be chosen for it (--sheet, sheet=): it is none of the "
        f"files given ({tmp_path}/don_vi.csv, {tmp_path}/ho.csv, {persons}) and no table "
        "(units, households, persons); did you mean 'nhan_khau.xlsx'?"
    )
    assert err.value.localized("vi").startswith(
        "nhan_khau.xls: không thể chọn trang tính theo tên này (--sheet, sheet=): đây không "
        "phải là tệp nào trong các tệp đã cho ("
    )
    with pytest.raises(FileFormatError) as err:
        read_population(persons, sheet={"ho.csv": 1}, **inputs)  # type: ignore[arg-type]
    assert str(err.value) == (
        f"{tmp_path}/ho.csv: a sheet is chosen for it (--sheet, sheet=), but it is not an "
        "Excel workbook (.xlsx)"
    )
    with pytest.raises(FileFormatError) as err:
        read_population(persons, sheet={"persons": 2}, **inputs)  # type: ignore[arg-type]
    assert str(err.value) == (
        f"{persons}: no sheet number 3 (sheet=2); the sheets are 'Hướng dẫn', 'Danh sách'"
    )
    assert err.value.localized("vi") == (
        f"{persons}: không có trang tính số 3 (sheet=2); các trang tính có trong tệp: "
        "'Hướng dẫn', 'Danh sách'"
    )
    with pytest.raises(FileFormatError, match="two sheets are chosen for it"):
        read_population(persons, sheet={"persons": 1, "nhan_khau.xlsx": 0}, **inputs)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="a sheet is given by its name"):
        read_population(persons, sheet={"persons": 1.0}, **inputs)  # type: ignore[arg-type, dict-item]


def test_units_and_counts_workbooks_are_found_too(tmp_path: Path) -> None:
    """``read_units`` and ``read_counts`` read the instructions sheet's paragraphs as
    columns; they now find the sheet holding ``code``/``level`` and ``unit_code``."""
    units = [line.split(",") for line in UNITS.strip().splitlines()]
    path = _book(tmp_path / "don_vi.xlsx", {"Ghi chú": INSTRUCTIONS, "Đơn vị": units})
    with pytest.warns(SheetWarning, match="sheet 'Đơn vị' does"):
        tree, _ = read_units(path)
    assert len(tree) == 6
    counts: list[list[object]] = [["Mã đơn vị", "Số hộ"], ["00001", 120], ["00004", 80]]
    path = _book(tmp_path / "so_lieu.xlsx", {"Ghi chú": INSTRUCTIONS, "Số liệu": counts})
    fmap = {"counts": {"columns": {"Mã đơn vị": "unit_code", "Số hộ": "families"}}}
    with pytest.warns(SheetWarning, match="sheet 'Số liệu' does"):
        cols, _ = read_counts(path, mapping=FileMapping.from_dict(fmap))
    assert {k: v.tolist() for k, v in cols.items()} == {
        "unit_code": ["00001", "00004"],
        "families": ["120", "80"],
    }


def test_read_excel_finds_nothing_without_a_table_to_find(tmp_path: Path) -> None:
    """``read_excel`` alone (no :class:`TableHeader`) reads the first sheet, as before;
    with one, a chart sheet or an empty sheet is no candidate."""
    path = _agency_book(tmp_path / "nk.xlsx")
    assert read_excel(path).header == ("HƯỚNG DẪN NHẬP LIỆU",)
    with pytest.warns(SheetWarning):
        table = read_excel(path, find=TableHeader(("Mã NK", "Mã hộ")))
    assert table.header == tuple(HEADER)
    assert table.layout.first_line == 4


def test_a_sheet_per_village_is_told_how_to_join_its_sheets(tmp_path: Path) -> None:
    """Thôn Đông and Thôn Đoài on their own sheets: the error says to join them, in vi too."""
    persons = _book(
        tmp_path / "nk.xlsx",
        {"Thôn Đông": [*TITLE, HEADER, *ROWS[:2]], "Thôn Đoài": [*TITLE, HEADER, *ROWS[2:]]},
    )
    with pytest.raises(FileFormatError) as err:
        read_population(persons, **_inputs(tmp_path))  # type: ignore[arg-type]
    assert "if they are parts of one list (a sheet per village), copy their rows" in str(err.value)
    assert "(mỗi thôn, tổ dân phố một trang), hãy chép các dòng của chúng vào một trang" in (
        err.value.localized("vi")
    )


def test_sheets_of_different_tables_are_not_told_to_be_joined(tmp_path: Path) -> None:
    """Two lists whose columns differ are two tables: choosing one is the only advice."""
    persons = _book(
        tmp_path / "nk.xlsx",
        {
            "Hướng dẫn": INSTRUCTIONS,
            "Danh sách": [HEADER, *ROWS],
            "Cũ": [["Mã NK", "Mã hộ", "Ghi chú"], ["NK9", "H1", ""]],
        },
    )
    with pytest.raises(FileFormatError) as err:
        read_population(persons, **_inputs(tmp_path))  # type: ignore[arg-type]
    assert "several sheets hold a table" in str(err.value)
    assert "copy their rows" not in str(err.value)


def _hidden_first(path: Path, visible_holds: bool) -> Path:
    """A workbook whose first sheet is a hidden old copy of the households."""
    wb = openpyxl.Workbook()
    old = wb.active
    old.title = "Cũ 2024"
    old.append(["household_id", "unit_code"])
    old.append(["H99", "00001001"])
    old.sheet_state = "hidden"
    now = wb.create_sheet("Hộ 2025")
    if visible_holds:
        now.append(["household_id", "unit_code"])
        now.append(["H1", "00001001"])
        now.append(["H2", "00001002"])
    else:
        now.append(["Ghi chú: danh sách ở trang ẩn"])
    wb.active = 1
    wb.save(path)
    return path


def test_a_hidden_first_sheet_is_not_read_in_place_of_the_visible_one(tmp_path: Path) -> None:
    """The hidden first sheet (an old copy) was read, silently, instead of the one shown."""
    path = _hidden_first(tmp_path / "ho.xlsx", visible_holds=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = read_excel(path, find=TableHeader(("household_id", "unit_code")))
    assert next(table.iter_batches())["household_id"].tolist() == ["H1", "H2"]
    # Without a table to look for (an --inputs file), the first visible sheet too.
    table = read_excel(path)
    assert next(table.iter_batches())["household_id"].tolist() == ["H1", "H2"]
    # Asked for by number, sheets count as Excel's list does, hidden ones included.
    table = read_excel(path, sheet=0)
    assert next(table.iter_batches())["household_id"].tolist() == ["H99"]


def test_a_hidden_sheet_alone_holding_the_table_is_read_and_said(tmp_path: Path) -> None:
    """When only a hidden sheet holds the table, it is read, with a warning naming it."""
    path = _hidden_first(tmp_path / "ho.xlsx", visible_holds=False)
    with pytest.warns(SheetWarning, match="the hidden sheet 'Cũ 2024' does"):
        table = read_excel(path, find=TableHeader(("household_id", "unit_code")))
    assert next(table.iter_batches())["household_id"].tolist() == ["H99"]


def test_the_sheet_placeholder_is_in_the_readers_language_and_stays_quoted(
    tmp_path: Path,
) -> None:
    """``--sheet FILE=NAME``: NAME is TÊN in Vietnamese, inside the quotes a file's name
    with a space needs (the reader types the sheet's name in its place)."""
    wb = openpyxl.Workbook()
    cover = wb.active
    assert cover is not None
    cover.title = "Bìa"
    cover.append(["Báo cáo năm 2025"])
    wb.create_sheet("Ghi chú").append(["Số liệu của xã"])
    path = tmp_path / "danh sách.xlsx"
    wb.save(path)
    with pytest.raises(FileFormatError) as err:
        read_excel(path, find=TableHeader(("person_id", "household_id")))
    assert "--sheet 'danh sách.xlsx=NAME' (sheet=)" in str(err.value)
    assert "--sheet 'danh sách.xlsx=TÊN' (sheet=)" in err.value.localized("vi")
