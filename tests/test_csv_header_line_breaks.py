"""A form's header on two rows, with names typed with Alt+Enter, saved as CSV by Excel.

Excel writes a cell holding a line break in quotes over two lines (``"Tổng số`` then
``hộ"``). Such a header's second row was not taken for one (its quotes were cut at the
line break), so the report stopped at "is not a count column" of the heading above it;
in the workbook itself the same header read. The header is read now, and every row keeps
its line number in the file (the header's cells span one more line).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.io.rejects import FileReject

UNITS = (
    "Mã;Tên;Cấp;Mã cấp trên\n01;Thành phố Hà Nội;Tỉnh;\n00004;Xã Minh Phú;Xã;01\n"
    "00004001;Thôn Đông;Thôn;00004\n00004002;Thôn Đoài;Thôn;00004\n"
)

# As Excel's "CSV UTF-8" export writes it: CRLF between rows, LF inside a quoted cell.
REPORT = (
    "UBND XÃ MINH PHÚ;;;CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM;;\r\n"  # line 1
    ";;;Độc lập - Tự do - Hạnh phúc;;\r\n"  # 2
    "BÁO CÁO KẾT QUẢ XÂY DỰNG XÃ HỘI HỌC TẬP NĂM 2025;;;;;\r\n"  # 3
    'STT;Thôn, tổ dân phố;"Gia đình\nhọc tập";;Dòng họ học tập;\r\n'  # 4 and 5
    ';;"Tổng số\nhộ";"Số\nđạt";Tổng số;Số đạt\r\n'  # 6 to 8
    "(1);(2);(3);(4);(5);(6)\r\n"  # 9
    "1;Thôn Đông;1.250;987;6;4\r\n"  # 10
    "2;Thôn Nam;100;50;2;1\r\n"  # 11: no such village
    "3;Thôn Đoài;312;256;4;3\r\n"  # 12
    ";Tổng cộng;1.662;1.293;12;8\r\n"  # 13
    ";Người lập biểu;;;CHỦ TỊCH;\r\n"  # 14
)

MAPPING = """
[mapping]
delimiter = ";"
decimal = ","
levels = "vn-2025"

[counts.columns]
"Thôn, tổ dân phố" = "unit_code"
"Tổng số hộ" = "families"
"Gia đình học tập - Số đạt" = "learning_families"
"Tổng số" = "clans"
"Dòng họ học tập - Số đạt" = "learning_clans"
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "don_vi.csv").write_text(UNITS, encoding="utf-8-sig")
    (tmp_path / "so_lieu.toml").write_text(MAPPING, encoding="utf-8")
    return tmp_path


def _rollup(folder: Path, text: str) -> tuple[ls.Rollup, list[str]]:
    path = folder / "bao_cao.csv"
    path.write_bytes(text.encode("utf-8-sig"))
    mapping = folder / "so_lieu.toml"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        tree, refused = ls.io.read_units(folder / "don_vi.csv", mapping=mapping)
        roll = ls.io.rollup_counts_file(path, tree, mapping=mapping, units_rejects=refused)
    return roll, [str(w.message) for w in caught]


def test_a_two_row_header_with_line_breaks_in_its_names_is_read(folder: Path) -> None:
    roll, said = _rollup(folder, REPORT)
    assert any(
        "lines 4 and 6 (a heading over several columns): read as STT, Thôn, tổ dân phố, "
        "Tổng số hộ, Gia đình học tập - Số đạt, Tổng số, Dòng họ học tập - Số đạt" in s
        for s in said
    ), said
    assert roll.rejects is not None
    assert roll.rejects.counts()["counts"] == (4, 2, 1)  # the totals row skipped
    # Thôn Đông and Thôn Đoài, added by hand; Thôn Nam refused, not counted.
    commune = roll.unit("00004")
    assert commune["families"] == 1250 + 312
    assert commune["learning_families"] == 987 + 256
    assert commune["clans"] == 6 + 4
    assert commune["learning_clans"] == 4 + 3


def test_the_rows_below_keep_their_line_numbers(folder: Path) -> None:
    roll, said = _rollup(folder, REPORT)
    assert roll.rejects is not None
    (reject,) = roll.rejects.records()
    assert isinstance(reject, FileReject)
    assert (reject.line, reject.value, reject.reason) == (11, "Thôn Nam", "unknown_unit")
    assert "bao_cao.csv, line 11, column Thôn, tổ dân phố" in reject.message
    assert any("line 13 ('Tổng cộng')" in s for s in said), said
    assert any("ends above line 14 ('Người lập biểu')" in s for s in said), said


def test_the_same_file_without_line_breaks_reads_alike(folder: Path) -> None:
    """The line breaks change nothing but the lines: the same figures and rejects."""
    flat = REPORT.replace('"Gia đình\nhọc tập"', "Gia đình học tập")
    flat = flat.replace('"Tổng số\nhộ";"Số\nđạt"', "Tổng số hộ;Số đạt")
    broken, _ = _rollup(folder, REPORT)
    plain, _ = _rollup(folder, flat)
    assert broken.unit("00004") == plain.unit("00004")
    assert broken.rejects is not None and plain.rejects is not None
    assert broken.rejects.counts() == plain.rejects.counts()
    (moved,) = broken.rejects.records()
    (kept,) = plain.rejects.records()
    assert isinstance(moved, FileReject) and isinstance(kept, FileReject)
    assert moved.line == kept.line + 3  # three more lines above it: one per line break


def test_a_persons_form_with_line_breaks_in_its_header(tmp_path: Path) -> None:
    """The persons' list, header on two rows, a date refused on its own line."""
    (tmp_path / "don_vi.csv").write_text(UNITS, encoding="utf-8-sig")
    (tmp_path / "ho.csv").write_text(
        "Mã hộ;Mã thôn\nH01;00004001\nH02;00004002\n", encoding="utf-8-sig"
    )
    (tmp_path / "nk.csv").write_bytes(
        (
            "UBND XÃ MINH PHÚ;;;;\r\n"  # 1
            'STT;"Thông tin\ncá nhân";;;Mã hộ\r\n'  # 2 and 3
            ';Mã NK;Họ và tên;"Ngày\nsinh";\r\n'  # 4 and 5
            "1;NK01;Nguyễn Văn An;15/03/1975;H01\r\n"  # 6
            "2;NK02;Trần Thị Bình;31/02/1978;H01\r\n"  # 7: no such date
            "3;NK03;Lê Văn Dũng;01/01/1950;H02\r\n"  # 8
        ).encode("utf-8-sig")
    )
    (tmp_path / "m.toml").write_text(
        '[mapping]\ndelimiter = ";"\n[person]\nignore = ["Họ và tên"]\n'
        '[person.columns]\n"Mã NK" = "person_id"\n"Mã hộ" = "household_id"\n'
        '"Ngày sinh" = "birth_date"\n[household.columns]\n"Mã hộ" = "household_id"\n'
        '"Mã thôn" = "unit_code"\n',
        encoding="utf-8",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pop = ls.read_population(
            tmp_path / "nk.csv",
            households=tmp_path / "ho.csv",
            units=tmp_path / "don_vi.csv",
            mapping=tmp_path / "m.toml",
            reference_year=2025,
        )
    assert pop.columns("person")["age"].tolist() == [2025 - 1975, 2025 - 1950]
    (reject,) = pop.rejects.records()
    assert isinstance(reject, FileReject)
    assert (reject.line, reject.reason) == (7, "not_a_date")
    assert "nk.csv, line 7, column Ngày sinh" in reject.message
