"""Spreadsheets shaped like Vietnamese official forms (biểu mẫu), built by hand.

Each test is a hazard a new agency user meets: text with decomposed accents (NFD, from
macOS or some keyboards), yes/no marks as forms write them (``✓``, ``Đạt``), headers
in the old TCVN3 (.VnTime) and VNI fonts, the row of column numbers under the header,
and the notes and signature block under the table.
"""

from __future__ import annotations

import unicodedata
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.io.csv import Engine
from learnsoc.io.excel import SheetWarning, read_excel
from learnsoc.io.files import FileFormatError
from learnsoc.io.population import read_counts, read_population
from tests.io.helpers import write
from tests.optional import require

openpyxl = require("openpyxl")

UNITS = """Mã;Tên;Cấp;Mã cấp trên
01;Hà Nội;Tỉnh;
00004;Xã Minh Phú;Xã;01
00004001;Thôn Đông;Thôn;00004
00004002;Thôn Tây;Thôn;00004
"""
HOUSEHOLDS = "Mã hộ;Mã thôn\nH1;00004001\nH2;00004001\nH3;00004002\n"
MAPPING = """
[mapping]
delimiter = ";"
levels = "vn-2025"

[person]
ignore = ["Họ và tên"]
[person.columns]
"Mã NK" = "person_id"
"Mã hộ" = "household_id"
"Năm sinh" = "birth_year"
"Biết chữ" = "literate"

[household.columns]
"Mã hộ" = "household_id"
"Mã thôn" = "unit_code"

[unit.columns]
"Mã" = "code"
"Tên" = "name"
"Cấp" = "level"
"Mã cấp trên" = "parent_code"
[unit.values.level]
"Tỉnh" = "province"
"Xã" = "commune"
"Thôn" = "village"
"""
HEADER: list[object] = ["Mã NK", "Họ và tên", "Mã hộ", "Năm sinh", "Biết chữ"]
ROWS: list[list[object]] = [
    ["NK01", "Nguyễn Văn An", "H1", 1975, "Có"],
    ["NK02", "Trần Thị Bình", "H1", 1978, "Không"],
    ["NK03", "Lê Văn Cường", "H2", 2010, "Có"],
    ["NK04", "Phạm Thị Dung", "H3", 1990, "Không"],
]


def nfd(text: object) -> object:
    """Return a text with decomposed accents, as macOS and some keyboards write it."""
    return unicodedata.normalize("NFD", text) if isinstance(text, str) else text


def book(path: Path, rows: Sequence[Sequence[object]], title: str = "Danh sách") -> Path:
    """Save a workbook of one sheet holding the rows given."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def population(folder: Path, persons: Path, **options: Any) -> Any:
    """Read the persons workbook with the form's households, units and mapping."""
    return read_population(
        persons,
        households=write(folder, "ho.csv", HOUSEHOLDS),
        units=write(folder, "don_vi.csv", UNITS),
        mapping=write(folder, "mapping.toml", MAPPING),
        reference_year=2025,
        **options,
    )


def test_a_sheet_name_matches_in_nfd_and_any_case(tmp_path: Path) -> None:
    """A sheet named with decomposed accents (a Numbers export) was "no sheet 'Nhân
    khẩu'; the sheets are 'Nhân khẩu'" when the user typed the name: names now compare
    as Excel compares them, accents composed and in any case."""
    path = book(tmp_path / "nk.xlsx", [HEADER, *ROWS], title=str(nfd("Nhân khẩu")))
    for given in ("Nhân khẩu", "NHÂN KHẨU"):
        assert read_excel(path, sheet=given).layout.n_records == 4
    typed = book(tmp_path / "typed.xlsx", [HEADER, *ROWS], title="Nhân khẩu")
    assert read_excel(typed, sheet=str(nfd("nhân khẩu"))).layout.n_records == 4


def test_nfd_yes_no_words_and_form_marks_are_read(tmp_path: Path) -> None:
    """``Có``/``Không`` typed with decomposed accents were ``unknown_code`` rejects in a
    yes/no column without a mapping of its words, and so were a form's ticks and
    assessments (``✓``, ``Đạt``, ``Không đạt``) that ``--inputs`` files already took."""
    marks = ["Có", "không", "✓", "Đạt", "KHÔNG ĐẠT", "x"]
    rows = [[f"NK{i}", "Tên", "H1", 1980, nfd(mark)] for i, mark in enumerate(marks, 1)]
    pop = population(tmp_path, book(tmp_path / "nk.xlsx", [HEADER, *rows]))
    assert pop.rejects.records() == []
    assert pop.column("person", "literate").tolist() == [1, 0, 1, 1, 0, 1]


#: The persons header as a workbook typed in the .VnTime font (TCVN3) holds it, and as
#: one typed in VNI-Times holds it.
TCVN3_HEADER = ["M· NK", "Hä vµ tªn", "M· hé", "N¨m sinh", "BiÕt ch÷"]
VNI_HEADER = ["Maõ NK", "Hoï vaø teân", "Maõ hoä", "Naêm sinh", "Bieát chöõ"]


@pytest.mark.parametrize(
    ("header", "column", "encoding", "text"),
    [
        (TCVN3_HEADER, "M· NK", "TCVN3 (ABC)", "Mã NK"),
        (VNI_HEADER, "Hoï vaø teân", "VNI Windows", "Họ và tên"),
    ],
)
def test_a_header_in_an_old_font_encoding_is_said_with_how_to_convert(
    tmp_path: Path, header: list[str], column: str, encoding: str, text: str
) -> None:
    """A workbook typed in the .VnTime or VNI-Times font was "unknown column 'M· NK'";
    the error now names the file, the column, the encoding and Unikey's converter."""
    path = book(tmp_path / "nk.xlsx", [header, ["NK01", "x", "H1", 1975, "Cã"]])
    with pytest.raises(FileFormatError) as caught:
        population(tmp_path, path)
    err = caught.value
    assert err.file == str(path)
    assert f"column {column!r} is text in the old Vietnamese font encoding {encoding}" in str(err)
    assert f"(it reads {text!r})" in str(err)
    assert "Unikey" in str(err)
    assert "Unikey" in err.localized("vi") and "bảng mã" in err.localized("vi")


def test_a_csv_file_in_an_old_font_encoding_is_said_from_its_bytes(tmp_path: Path) -> None:
    """A CSV file of TCVN3 bytes was "may be Windows-1258", which reads it as other
    garbage; the hint now names TCVN3/VNI and Unikey's converter."""
    text = ";".join(TCVN3_HEADER) + "\nNK01;x;H1;1975;Cã\n"
    path = write(tmp_path, "nk.csv", text, encoding="latin-1")
    with pytest.raises(FileFormatError, match=r"old Vietnamese font encoding .*Unikey"):
        population(tmp_path, path)


def test_a_counts_file_in_an_old_font_encoding_is_said(tmp_path: Path) -> None:
    """A counts workbook typed in TCVN3 was "'M· ®¬n vÞ' is not a count column"."""
    path = book(tmp_path / "c.xlsx", [["M· ®¬n vÞ", "Sè gia ®×nh"], ["00004", 12]])
    with pytest.raises(FileFormatError, match=r"'M· ®¬n vÞ' is text in .* TCVN3"):
        read_counts(path)


def windows_1252_view(text: str) -> str:
    """Return UTF-8 text as Excel shows it when it opens the file as Windows-1252.

    The five bytes Windows-1252 draws nothing for (0x81, 0x8d ...) are read as the
    control characters of the same number, as Windows reads them.
    """
    return "".join(
        bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in text.encode("utf-8")
    )


@pytest.mark.parametrize("engine", ["python", "pyarrow"])
def test_utf8_opened_as_windows_1252_and_saved_again_is_said_so(
    tmp_path: Path, engine: str
) -> None:
    """A "CSV UTF-8" file opened in Excel as Windows-1252 and saved again as "CSV UTF-8"
    (``MÃ£ há»™`` for ``Mã hộ``) was said to be typed in TCVN3, reading ``'MÃÊ hỏằ™'``,
    with the advice to convert it with Unikey's TCVN3 converter, which makes it worse.
    It is now said to be UTF-8 opened as Windows-1252, with the text it stands for, and
    that the file first sent is to be opened again as UTF-8."""
    if engine == "pyarrow":
        require("pyarrow")
    header = ";".join(map(str, HEADER))
    text = header + "\n" + "\n".join(";".join(map(str, row)) for row in ROWS) + "\n"
    path = write(tmp_path, "nk.csv", windows_1252_view(text), encoding="utf-8-sig")
    assert path.read_text("utf-8-sig").startswith("MÃ£ NK;Há»\x8d vÃ\xa0 tÃªn;")
    with pytest.raises(FileFormatError) as caught:
        population(tmp_path, path, engine=engine)
    err = caught.value
    assert "opened as Windows-1252" in str(err)
    assert "(it reads 'Mã NK')" in str(err)
    assert "TCVN3" not in str(err)
    said = err.localized("vi")
    assert "Windows-1252" in said and "đọc là 'Mã NK'" in said and "UTF-8" in said
    assert "TCVN3" not in said


def test_a_file_saved_without_vietnamese_letters_says_they_are_lost(tmp_path: Path) -> None:
    """A workbook saved as "CSV (Comma delimited)" on a Windows set for another language
    (Windows-1252) holds '?' for each letter that encoding lacks (``Mã h?``, ``Nguy?n``).
    It was said to be maybe Windows-1258, and read so (``--encoding cp1258``) its header
    was an unknown column ``Mã h?``. It is said that its letters were lost, and to save
    it again as "CSV UTF-8"; a header with one question is not taken for it."""
    header = ";".join(map(str, HEADER))
    text = header + "\n" + "\n".join(";".join(map(str, row)) for row in ROWS) + "\n"
    path = tmp_path / "nk.csv"
    path.write_bytes(text.encode("cp1252", errors="replace"))
    assert path.read_bytes().startswith(b"M\xe3 NK;H? v\xe0 t\xean;M\xe3 h?;")
    with pytest.raises(FileFormatError) as caught:
        population(tmp_path, path)
    assert "its header has '?' in place of letters" in str(caught.value)
    assert "CSV UTF-8" in str(caught.value)
    assert "dấu '?' thay cho chữ cái" in caught.value.localized("vi")
    question = tmp_path / "q.csv"  # Windows-1258: "Mã NK;Tên;Đăng ký?", then a row
    question.write_bytes(b"Ma\xde NK;T\xean;\xd0\xe3ng ky\xec?\nNK01;An;C\xf3\n")
    with pytest.raises(FileFormatError, match="reads as Vietnamese in Windows-1258"):
        population(tmp_path, question)


def test_a_western_name_in_a_header_is_no_windows_1252_view() -> None:
    """Latin-1 letters alone are no UTF-8: a header such as ``Müller`` or a Vietnamese one
    with â, ê, ô is not taken for UTF-8 shown as Windows-1252."""
    from learnsoc.io.legacy import legacy_column, mojibake_text

    assert legacy_column(["Müller", "Tên", "Năm sinh", "Mã hộ", "Café"]) is None
    for name in HEADER:
        assert isinstance(name, str)
        assert mojibake_text(windows_1252_view(name)) == (None if name.isascii() else name)


def _read_warned(tmp_path: Path, rows: Sequence[Sequence[object]]) -> tuple[Any, list[str]]:
    """Read a persons workbook of the rows given; return the population and its warnings."""
    path = book(tmp_path / "nk.xlsx", rows)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pop = population(tmp_path, path)
    said = [str(w.message) for w in caught if issubclass(w.category, SheetWarning)]
    return pop, said


@pytest.mark.parametrize(
    "numbers",
    [
        ["(1)", "(2)", "(3)", "(4)", "(5)"],
        [1, 2, 3, 4, 5],
        ["A", "B", "1", "2", "3"],
        ["(1)", "(2)", "(3)", "(4)", "(5)=(3)+(4)"],
    ],
)
def test_the_row_of_column_numbers_under_the_header_is_said_not_rejected(
    tmp_path: Path, numbers: Sequence[object]
) -> None:
    """The row "(1) (2) (3)" nearly every form keeps under its header was read as a
    person and rejected (four reasons for one row, exit code 1); it is now said and not
    read, and the persons below it are read from their own rows."""
    pop, said = _read_warned(tmp_path, [HEADER, numbers, *ROWS])
    assert pop.rejects.records() == []
    assert pop.rejects.read["person"] == 4
    assert len(said) == 1 and "row 2 numbers the columns" in said[0]


def test_a_first_row_of_small_numbers_is_data(tmp_path: Path) -> None:
    """A row of data that only looks like numbers is read (and checked) as data."""
    pop, said = _read_warned(tmp_path, [HEADER, [1, 2, 3, 4], *ROWS])
    assert said == []
    assert pop.rejects.read["person"] == 5


FOOTER: list[list[object]] = [
    [],
    ["Ghi chú: Số liệu tính đến ngày 31/12/2025"],
    [None, None, None, "Minh Phú, ngày 31 tháng 12 năm 2025"],
    ["Người lập biểu", None, None, "Thủ trưởng đơn vị"],
    ["(Ký, ghi rõ họ tên)", None, None, "(Ký tên, đóng dấu)"],
    [],
    [],
    ["Nguyễn Thị Hoa", None, None, "Trần Văn Bình"],
]


def test_the_notes_and_signature_block_end_the_table_with_a_warning(tmp_path: Path) -> None:
    """A form's notes and signatures under the table were five rejected "persons"
    (missing values, exit code 1); the table now ends above them, and the warning names
    the row and how many rows were not read."""
    pop, said = _read_warned(tmp_path, [HEADER, *ROWS, *FOOTER])
    assert pop.rejects.records() == []
    assert pop.rejects.read["person"] == 4
    assert len(said) == 1
    assert "the table ends above row 7 ('Ghi chú: Số liệu tính đến ngày 31/12/2025')" in said[0]
    assert "rows 7 to 13 (5 not empty)" in said[0]


def test_a_signature_alone_under_the_table_is_one_row_not_a_range(tmp_path: Path) -> None:
    """The quickstart-vi's commune report ends with one signature line: the warning said
    "các dòng từ 9 đến 9 (1 dòng không trống)" (rows 9 to 9); it names the one row."""
    pop, said = _read_warned(tmp_path, [HEADER, *ROWS, ["Người lập biểu", None, None, None]])
    assert pop.rejects.read["person"] == 4 and pop.rejects.records() == []
    (one,) = said
    assert "the table ends above row 6 ('Người lập biểu'): that row is the form's notes" in one
    lines = [
        ";".join(map(str, HEADER)),
        *(";".join(map(str, r)) for r in ROWS),
        "Người lập biểu;;;;",
    ]
    path = write(tmp_path, "nk.csv", "\n".join(lines) + "\n")
    with warnings.catch_warnings(record=True) as caught, ls.use_locale("vi"):
        warnings.simplefilter("always")
        pop = population(tmp_path, path)
        (csv_said,) = [str(w.message) for w in caught if issubclass(w.category, SheetWarning)]
    assert pop.rejects.read["person"] == 4 and pop.rejects.records() == []
    assert "kết thúc ở trên dòng 6 ('Người lập biểu'): dòng này là phần ghi chú" in csv_said
    assert "từ 6 đến 6" not in csv_said


def test_rows_of_data_below_a_note_are_read_and_the_note_rejected(tmp_path: Path) -> None:
    """A note in the middle of the list does not end it: the rows below are data, so
    the note is read as a row (and rejected), never left out unseen."""
    rows: list[list[object]] = [HEADER, *ROWS[:2], ["Ghi chú: hộ H2 chuyển đến"], *ROWS[2:]]
    pop, said = _read_warned(tmp_path, rows)
    assert said == []
    assert pop.rejects.read["person"] == 5
    assert {r.line for r in pop.rejects.records()} == {4}


def _form(path: Path) -> Path:
    """Save a persons form as communes keep it: a title, the header on two rows under a
    merged heading, the column numbers, one block per village, notes and signatures."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [
        ["UBND XÃ MINH PHÚ", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["DANH SÁCH NHÂN KHẨU NĂM 2025"],
        ["Mã NK", "Thông tin cá nhân", None, None, "Biết chữ"],
        [None, "Họ và tên", "Mã hộ", "Năm sinh", None],
        ["(1)", "(2)", "(3)", "(4)", "(5)"],
        *ROWS[:2],
        [],
        *ROWS[2:],
        *FOOTER,
    ]:
        ws.append(row)
    for cells in ("A2:E2", "B3:D3", "A3:A4", "E3:E4"):
        ws.merge_cells(cells)
    wb.save(path)
    return path


def test_a_header_on_two_rows_under_a_merged_heading_is_read(tmp_path: Path) -> None:
    """A heading merged over "Họ và tên | Mã hộ | Năm sinh" left the persons' key
    columns on two rows: no row held them, and the sheet was read from its title
    (a value beyond the last named column). The two rows are now read as one header,
    with a warning naming them, and the rows below as persons."""
    path = _form(tmp_path / "form.xlsx")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pop = population(tmp_path, path)
    said = [str(w.message) for w in caught if issubclass(w.category, SheetWarning)]
    assert pop.rejects.records() == []
    assert pop.rejects.read["person"] == 4
    assert pop.column("person", "literate").tolist() == [1, 0, 1, 0]
    assert any(
        "the column names are on rows 3 and 4 (a heading over several columns): read as "
        "Mã NK, Họ và tên, Mã hộ, Năm sinh, Biết chữ" in s
        for s in said
    )
    assert any("row 5 numbers the columns" in s for s in said)
    assert any("the table ends above row 12" in s for s in said)


def test_a_header_on_two_rows_given_by_its_first_row(tmp_path: Path) -> None:
    """``header_row`` naming the first of the two rows reads both, without a mapping's
    columns to find; a row of data below a header with a gap is no second row."""
    path = _form(tmp_path / "form.xlsx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SheetWarning)
        table = read_excel(path, header_row=3)
    assert table.header == ("Mã NK", "Họ và tên", "Mã hộ", "Năm sinh", "Biết chữ")
    assert table.layout.line_of(np.array([0, 3])).tolist() == [6, 10]  # row 8 is blank
    gap = book(tmp_path / "gap.xlsx", [["Mã NK", None, "Năm sinh"], ["NK01", "An", 1975]])
    with pytest.raises(FileFormatError, match="has no name in the header but holds values"):
        read_excel(gap)


@pytest.mark.parametrize("engine", ["python", "pyarrow"])
def test_a_csv_export_of_a_form_reads_as_its_workbook(tmp_path: Path, engine: str) -> None:
    """The same form saved as CSV: its column numbers and its notes and signatures were
    six rejected rows; they are now said and not read, as in the workbook."""
    lines = [
        "DANH SÁCH NHÂN KHẨU;;;;",
        ";".join(map(str, HEADER)),
        "(1);(2);(3);(4);(5)",
        *(";".join(map(str, row)) for row in ROWS),
        "Ghi chú: Số liệu tính đến ngày 31/12/2025;;;;",
        ";;;Minh Phú, ngày 31 tháng 12 năm 2025;",
        "Người lập biểu;;;Thủ trưởng đơn vị;",
        '"(Ký, ghi rõ họ tên)";;;(Ký tên. đóng dấu);',
        ";;;;",
        "Nguyễn Thị Hoa;;;Trần Văn Bình;",
    ]
    path = write(tmp_path, "nk.csv", "\n".join(lines) + "\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pop = population(tmp_path, path, engine=engine)
    said = [str(w.message) for w in caught if issubclass(w.category, SheetWarning)]
    assert pop.rejects.records() == []
    assert pop.rejects.read["person"] == 4
    assert any("line 3 numbers the columns ((1) (2) (3) (4) (5))" in s for s in said)
    assert any(
        "the table ends above line 8" in s and "lines 8 to 13 (5 not empty)" in s for s in said
    )


@pytest.mark.parametrize("typed", ["NFC", "NFD"])
def test_level_names_match_the_units_file_in_either_normal_form(
    tmp_path: Path, typed: Literal["NFC", "NFD"]
) -> None:
    """Levels named in Vietnamese (``--levels tỉnh,xã,thôn``) typed in one normal form and
    written in the other by the units file were "value 'tỉnh' is not a known code
    (expected tỉnh, xã, thôn)" for every unit; names and values now compare in NFC."""
    levels = [unicodedata.normalize(typed, name) for name in ("tỉnh", "xã", "thôn")]
    other: Literal["NFC", "NFD"] = "NFD" if typed == "NFC" else "NFC"
    units = unicodedata.normalize(
        other,
        "code,name,level,parent_code\n01,Hà Nội,tỉnh,\n00004,Minh Phú,xã,01\n"
        "00004001,Thôn Đông,thôn,00004\n",
    )
    pop = read_population(
        write(tmp_path, "p.csv", "person_id,household_id,age\n1,H1,40\n"),
        households=write(tmp_path, "h.csv", "household_id,unit_code\nH1,00004001\n"),
        units=write(tmp_path, "u.csv", units),
        levels=levels,
    )
    assert pop.rejects.records() == []
    assert pop.hierarchy.levels == ("province", "commune", "village")


DISTRICT_UNITS = """Mã ĐVHC;Tên ĐVHC;Cấp;Mã cấp trên
01;Thành phố Hà Nội;Tỉnh;
271;Huyện Ba Vì;Huyện;01
09619;Thị trấn Tây Đằng;Thị trấn;271
09622;Xã Phú Cường;Xã;271
09625;Phường Sơn Lộc;Phường;271
"""
DISTRICT_COUNTS = [("09619", 3412, 2807), ("09622", 1980, 1502), ("09625", 2105, 1720)]


@pytest.mark.parametrize("levels", [["tỉnh", "huyện", "xã"], ["Tinh", "cấp huyện", "XÃ"]])
def test_levels_named_in_vietnamese_are_vietnams_levels(tmp_path: Path, levels: list[str]) -> None:
    """``--levels tỉnh,huyện,xã`` made levels of their own named ``tỉnh``, ``huyện`` and
    ``xã``: the units file's ``Thị trấn`` and ``Phường`` named none of them, so the town
    (the district's largest commune) was refused and its families were missing from the
    district and province totals, which still said "3/3 đơn vị"; and every target, set at
    ``province``, was an error. The names are the levels ``province``, ``district`` and
    ``commune``, as ``--inputs xã=`` and ``--level xã`` read them."""
    units = write(tmp_path, "dv.csv", DISTRICT_UNITS)
    tree, rejects = ls.io.read_units(units, levels=levels)
    assert rejects.records() == []
    assert tree.levels == ("province", "district", "commune")
    reported = {
        "unit_code": [c for c, _, _ in DISTRICT_COUNTS],
        "families": [f for _, f, _ in DISTRICT_COUNTS],
        "learning_families": [n for _, _, n in DISTRICT_COUNTS],
    }
    roll = ls.rollup_counts(reported, tree)
    families = sum(f for _, f, _ in DISTRICT_COUNTS)
    learning = sum(n for _, _, n in DISTRICT_COUNTS)
    targets = ls.load_targets("vn-387-qd-ttg").select(indicators=["learning_families"])
    prog = ls.progress(roll, targets, year=2025, levels=["province"])
    assert prog.columns["numerator"].tolist() == [learning]
    assert prog.columns["denominator"].tolist() == [families]
    assert [str(s) for s in prog.statuses()] == ["met"]  # 6029 / 7497 = 80.4% >= 70%


def test_a_counts_reject_shows_the_cell_as_written_with_a_decimal_comma(tmp_path: Path) -> None:
    """With the decimal comma, a counts file's cell that is no number had its commas
    turned into dots before it was checked: the reject showed "(Ký tên. đóng dấu)", a
    value the file never held. Numbers still read with thousands dots (1.234)."""
    path = write(
        tmp_path,
        "c.csv",
        "Mã đơn vị;Số gia đình\n00004;1.234\n00007;12,5 hộ\n00009;(Ký tên, đóng dấu)\n",
    )
    mapping = write(
        tmp_path,
        "m.toml",
        '[mapping]\ndecimal = ","\n[counts.columns]\n'
        '"Mã đơn vị" = "unit_code"\n"Số gia đình" = "families"\n',
    )
    cols, _ = read_counts(path, mapping=mapping)
    assert cols["families"].tolist() == ["1234", "12,5 hộ", "(Ký tên, đóng dấu)"]


def test_hidden_and_filtered_rows_are_read(tmp_path: Path) -> None:
    """Rows hidden or filtered out in Excel are data in the file: a filter is a view, and
    a list sent filtered to one village still holds the others. They are read, and
    checked, like any row (the decision the docs state)."""
    path = tmp_path / "nk.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [HEADER, *ROWS]:
        ws.append(row)
    ws.auto_filter.ref = "A1:E5"
    ws.row_dimensions[3].hidden = True
    wb.save(path)
    pop = population(tmp_path, path)
    assert pop.rejects.read["person"] == 4
    assert pop.rejects.records() == []


# -- totals rows and headings over blocks (skipped, never read as data) ----------------

COUNTS_MAPPING = """
[mapping]
delimiter = ";"
[counts.columns]
"Mã đơn vị" = "unit_code"
"Số gia đình" = "families"
"Gia đình học tập" = "learning_families"
"""
COUNTS: list[list[object]] = [
    ["Mã đơn vị", "Tên đơn vị", "Số gia đình", "Gia đình học tập"],
    [None, "I. XÃ AN KHÁNH", None, None],
    ["00004001", "Thôn Đông", 120, 80],
    ["00004002", "Thôn Tây", 100, 70],
    [None, "Cộng thôn Tây", 220, 150],
    [None, "Xóm 3", None, None],
    ["00004003", "Xóm 3", 30, 10],
    [None, "TỔNG CỘNG:", 250, 160],
]


def _counts(folder: Path, rows: Sequence[Sequence[object]], suffix: str, **options: Any) -> Any:
    """Read a counts file of the rows given (CSV or workbook); return columns, raw, warnings."""
    if suffix == ".xlsx":
        path = book(folder / "so_lieu.xlsx", rows)
    else:
        text = "\n".join(";".join("" if c is None else str(c) for c in r) for r in rows)
        path = write(folder, "so_lieu.csv", text + "\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cols, raw = read_counts(path, mapping=write(folder, "m.toml", COUNTS_MAPPING), **options)
    said = [str(w.message) for w in caught if issubclass(w.category, SheetWarning)]
    return cols, raw, said


@pytest.mark.parametrize(
    ("suffix", "engine"), [(".csv", "pyarrow"), (".csv", "python"), (".xlsx", "auto")]
)
def test_totals_rows_and_block_headings_of_a_counts_file_are_skipped(
    tmp_path: Path, suffix: str, engine: str
) -> None:
    """A counts form's village headings were rejected rows and its totals rows (a block's
    subtotal, the grand total) ``totals_row`` rejects: exit code 1, and ``learnsoc
    dataset`` stopped. They are now skipped, with a warning naming each line, and
    counted: read 7 = accepted 3 + skipped 4. NFD and capitals are read alike."""
    rows = [[nfd(c) for c in r] for r in COUNTS]
    cols, raw, said = _counts(tmp_path, rows, suffix, engine=engine)
    assert cols["unit_code"].tolist() == ["00004001", "00004002", "00004003"]
    assert cols["families"].tolist() == ["120", "100", "30"]
    lay = raw.layout
    assert (lay.n_records, lay.n_rows, len(lay.skipped), len(lay.totals)) == (7, 3, 4, 0)
    assert lay.skipped_kind == ("heading", "totals", "heading", "totals")
    word = "row" if suffix == ".xlsx" else "line"
    assert len(said) == 2
    assert f"{word} 5 ('Cộng thôn Tây'), {word} 8 ('TỔNG CỘNG:')" in unicodedata.normalize(
        "NFC", said[0]
    )
    assert "headings over blocks of rows are not data and were skipped" in said[1]


#: A province's counts form of 2024, by district: the districts' numbers (I, II) in the
#: STT column beside their headings, and a subtotal per district (``Cộng huyện ...``).
DISTRICT_FORM: list[list[object]] = [
    ["STT", "Tên đơn vị", "Mã đơn vị", "Số gia đình", "Gia đình học tập"],
    ["I", "HUYỆN BA VÌ", None, None, None],
    [1, "Thị trấn Tây Đằng", "09619", 3412, 2807],
    [2, "Xã Phú Cường", "09622", 1980, 1502],
    [None, "Cộng huyện Ba Vì", None, 5392, 4309],
    ["II.", "Huyện Phúc Thọ", None, None, None],
    [1, "Thị trấn Phúc Thọ", "09715", 2001, 1600],
    [None, "Cộng huyện Phúc Thọ", None, 2001, 1600],
    [None, "Toàn tỉnh Hà Nội", None, 7393, 5909],
]


@pytest.mark.parametrize(
    ("suffix", "engine"), [(".csv", "pyarrow"), (".csv", "python"), (".xlsx", "auto")]
)
def test_a_form_by_district_skips_its_numbered_headings_and_district_subtotals(
    tmp_path: Path, suffix: str, engine: Engine
) -> None:
    """A province's form of 2024 numbers its districts in the STT column (``I``, ``II.``)
    beside their headings, and sums each (``Cộng huyện Ba Vì``, ``Toàn tỉnh Hà Nội``).
    The headings were rejected (a second cell beside them) and the subtotals too (no
    label for a district's or a province's sum): 5 ``missing_value`` rejects naming the
    code column, and exit code 1 for a correct form. They are skipped, each said, and the
    subtotals checked like any totals row."""
    mapping = COUNTS_MAPPING.replace(
        "[counts.columns]", '[counts]\nignore = ["STT"]\n[counts.columns]'
    )
    rows = [[nfd(c) for c in r] for r in DISTRICT_FORM]
    write(tmp_path, "m.toml", mapping)
    if suffix == ".xlsx":
        path = book(tmp_path / "so_lieu.xlsx", rows)
    else:
        text = "\n".join(";".join("" if c is None else str(c) for c in r) for r in rows)
        path = write(tmp_path, "so_lieu.csv", text + "\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cols, raw = read_counts(path, mapping=tmp_path / "m.toml", engine=engine)
    said = unicodedata.normalize("NFC", " ".join(str(w.message) for w in caught))
    data = [r for r in DISTRICT_FORM[1:] if r[2] is not None]
    assert cols["unit_code"].tolist() == [r[2] for r in data]
    assert cols["families"].tolist() == [str(r[3]) for r in data]
    lay = raw.layout
    assert (lay.n_records, lay.n_rows, len(lay.totals)) == (8, 3, 0)
    assert lay.skipped_kind == ("heading", "totals", "heading", "totals", "totals")
    assert "'Cộng huyện Ba Vì'" in said and "'Toàn tỉnh Hà Nội'" in said
    assert "'HUYỆN BA VÌ'" in said and "'Huyện Phúc Thọ'" in said


def test_a_row_numbered_in_arabic_beside_a_unit_name_is_data(tmp_path: Path) -> None:
    """Only Roman numerals and letters number a block's heading: a row ``1 | Thôn Đông``
    whose other cells are empty is a row of data that lost them, read and rejected."""
    rows: list[list[object]] = [list(r) for r in DISTRICT_FORM[:4]]
    rows.insert(2, [3, "Thôn Đông", None, None, None])
    mapping = COUNTS_MAPPING.replace(
        "[counts.columns]", '[counts]\nignore = ["STT"]\n[counts.columns]'
    )
    path = book(tmp_path / "so_lieu.xlsx", rows)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, raw = read_counts(path, mapping=write(tmp_path, "m.toml", mapping))
    assert raw.layout.skipped_kind == ("heading",)
    assert raw.layout.n_rows == 3  # the Arabic-numbered row is read, to be rejected


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_counts_totals_row_that_does_not_add_up_is_rejected(tmp_path: Path, suffix: str) -> None:
    """A totals row whose figure is not the sum of the rows above it is no sure totals
    row: rejected (``totals_mismatch``, naming the column and the sum), never skipped
    unseen nor read as a unit's counts."""
    rows: list[list[object]] = [list(r) for r in COUNTS]
    rows[-1] = [None, "Tổng cộng", 260, 160]
    _, raw, said = _counts(tmp_path, rows, suffix)
    from learnsoc.io.rejects import FileReject, FileRejects, Source
    from learnsoc.rejects import Rejects

    rej = FileRejects.locate(Rejects(read={}), {"counts": Source(raw.file, raw.layout)})
    assert rej.counts()["counts"] == (7, 3, 1)
    assert rej.n_skipped("counts") == 3
    (record,) = rej.records()
    assert isinstance(record, FileReject)
    assert (record.line, record.column, record.value, record.reason) == (
        8,
        "Số gia đình",
        "260",
        "totals_mismatch",
    )
    assert "the rows above it add up to 30" in record.message  # the block since 'Cộng'
    assert "Tổng cộng" not in " ".join(said)


def test_a_totals_label_beside_an_id_is_never_skipped(tmp_path: Path) -> None:
    """A row that holds a totals label and an id (a person, a unit called ``Cộng``) may
    be data: one ``unsure_totals_row`` reject naming the id, never skipped."""
    rows: list[list[object]] = [HEADER, *ROWS, ["NK05", "Tổng", "H1", 1980, "Có"]]
    pop, said = _read_warned(tmp_path, rows)
    assert said == []
    assert [(r.line, r.column, r.value, r.reason) for r in pop.rejects.records()] == [
        (6, "Mã NK", "NK05", "unsure_totals_row")
    ]
    assert pop.rejects.counts()["person"] == (5, 4, 1)


@pytest.mark.parametrize(
    "lone", [["NK05", None, None, None, None], [None, "Nguyễn Văn An", None, None, None],
             [None, None, None, "Thôn Đông", None]]
)  # fmt: skip
def test_a_row_of_one_cell_that_is_no_heading_is_read_and_rejected(
    tmp_path: Path, lone: list[object]
) -> None:
    """Only a unit's name (a level word and a name) in the first columns heads a block:
    a person's row that lost its other cells is read, and rejected for what it lacks."""
    pop, said = _read_warned(tmp_path, [HEADER, *ROWS, lone])
    assert said == []
    assert pop.rejects.n_rejected("person") == 1
    assert pop.rejects.n_skipped("person") == 0


def test_headings_and_totals_of_a_persons_form_are_skipped(tmp_path: Path) -> None:
    """A persons list grouped by village, with a count under each block: the headings
    and the totals rows are skipped, the persons read, nothing rejected."""
    rows: list[list[object]] = [
        HEADER,
        ["Thôn Đông"],
        *ROWS[:3],
        [None, "Cộng", None, None, 2],
        [None, "THÔN TÂY"],
        ROWS[3],
        ["Tổng cộng", None, None, None, 2],
    ]
    pop, said = _read_warned(tmp_path, rows)
    assert pop.rejects.records() == []
    assert pop.rejects.counts()["person"] == (8, 4, 0)
    assert pop.rejects.n_skipped("person") == 4
    assert len(said) == 2


@pytest.mark.parametrize("engine", ["python", "pyarrow"])
def test_a_csv_header_on_two_lines_under_a_merged_heading_is_read(
    tmp_path: Path, engine: str
) -> None:
    """The form's CSV export, its header on two lines under "Thông tin cá nhân", was
    read from its title line: "unknown column" or a missing key column, unless
    ``--header-row`` and the heading's columns ignored. It now reads as the workbook
    does: one header, said with a warning, and the persons below it."""
    lines = [
        "DANH SÁCH NHÂN KHẨU NĂM 2025;;;;",
        "Mã NK;Thông tin cá nhân;;;Biết chữ",
        ";Họ và tên;Mã hộ;Năm sinh;",
        "(1);(2);(3);(4);(5)",
        *(";".join(map(str, row)) for row in ROWS),
    ]
    path = write(tmp_path, "nk.csv", "\r\n".join(lines) + "\r\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pop = population(tmp_path, path, engine=engine)
    said = [str(w.message) for w in caught if issubclass(w.category, SheetWarning)]
    assert pop.rejects.records() == []
    assert pop.rejects.read["person"] == 4
    assert pop.column("person", "literate").tolist() == [1, 0, 1, 0]
    assert any(
        "the column names are on lines 2 and 3 (a heading over several columns): read as "
        "Mã NK, Họ và tên, Mã hộ, Năm sinh, Biết chữ" in s
        for s in said
    )
    # The rejects of a row below still name the file's line.
    bad = write(tmp_path, "bad.csv", "\n".join([*lines[1:4], "NK09;X;H9;1975;Có"]) + "\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SheetWarning)
        pop = population(tmp_path, bad, engine=engine)
    assert [r.line for r in pop.rejects.records()] == [4]


def test_a_csv_header_on_one_line_above_data_of_text_is_not_joined(tmp_path: Path) -> None:
    """A header holding the key columns is the header, whatever follows: a first person
    of text only is a person, never a second header line."""
    text = "Mã NK;Họ và tên;Mã hộ;Năm sinh;Biết chữ\nNK01;Nguyễn Văn An;H1;1975;Có\n"
    pop = population(tmp_path, write(tmp_path, "nk.csv", text))
    assert pop.rejects.records() == [] and pop.n_persons == 1


def test_summaries_count_the_skipped_rows(tmp_path: Path) -> None:
    """Where rows were skipped, every table of rows read shows them: read = accepted +
    rejected + skipped on each line (the summary, its HTML, the rejects' repr and HTML)."""
    rows: list[list[object]] = [HEADER, ["Thôn Đông"], *ROWS, ["Tổng cộng", None, None, None, 3]]
    pop, _ = _read_warned(tmp_path, rows)
    assert (pop.rejects.counts()["person"], pop.rejects.n_skipped("person")) == ((6, 4, 0), 2)
    summary = pop.summary()
    line = next(x for x in summary.to_text("vi").splitlines() if x.strip().startswith("người"))
    assert line.split()[-4:] == ["6", "4", "0", "2"]
    assert "bỏ qua" in summary.to_text("vi") and "skipped" in summary.to_text("en")
    assert "<th>skipped</th>" in summary.to_html("en")
    assert "person: 6 read, 4 accepted, 0 rejected, 2 skipped" in repr(pop.rejects)
    assert "<th>skipped</th>" in pop.rejects._repr_html_()
    clean = ls.synthetic_population(persons=50, seed=1)
    assert "skipped" not in clean.summary().to_text("en") + repr(clean.rejects)
