"""``learnsoc validate --locale vi`` on files an agency gets wrong: the error in Vietnamese.

A file that is not UTF-8, lacks a column, leaves a quote open or is a damaged workbook,
and an output name learnsoc cannot write: stderr says what is wrong in Vietnamese, with
the file, line and fix (issue 16, item 6).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from learnsoc.cli import main
from tests._vi_files import HOUSEHOLDS, UNITS, write_files

pytestmark = pytest.mark.usefixtures("neutral_locale")

PERSONS = "person_id,household_id,age\n1,H1,40\n2,H1,9\n"
RESAVE = "hãy mở tệp bằng Excel rồi lưu lại dạng Excel Workbook (.xlsx) hoặc CSV UTF-8"

#: file name, its bytes, the extra options, the exit code, and stderr.
CASES: dict[str, tuple[str, bytes, list[str], int, str]] = {
    "not UTF-8": (
        "nhan_khau.csv",
        "person_id,household_id,age\n1,H1,40\n2,Tên,9\n".encode("cp1258"),
        [],
        1,
        "learnsoc: lỗi: nhan_khau.csv:3: tệp không phải UTF-8 (byte 0xea ở vị trí 38); tệp có "
        "thể dùng bảng mã Windows-1258 (tiếng Việt trên Windows) hoặc một bảng mã cũ khác; "
        "hãy lưu lại dạng UTF-8 (trong Excel: 'CSV UTF-8') hoặc chỉ rõ bảng mã (--encoding)",
    ),
    "a missing column": (
        "nhan_khau.csv",
        b"person_id,age\n1,40\n",
        [],
        1,
        "learnsoc: lỗi: người, cột 'household_id': thiếu cột bắt buộc trong nhan_khau.csv; "
        "cần một trong các giá trị 'age', 'person_id'",
    ),
    "an unclosed quote": (
        "nhan_khau.csv",
        b'person_id,"household_id,age\n1,H1,40\n',
        [],
        1,
        "learnsoc: lỗi: nhan_khau.csv:1: dòng tiêu đề có một dấu ngoặc kép được mở nhưng "
        "không được đóng",
    ),
    "a truncated workbook": (
        "nhan_khau.xlsx",
        b"PK\x03\x04" + bytes(60),
        [],
        1,
        "learnsoc: lỗi: nhan_khau.xlsx: không đọc được tệp Excel: tệp nén zip bị hỏng hoặc bị "
        f"cắt cụt (File is not a zip file); {RESAVE}",
    ),
    "a CSV named .xlsx": (
        "nhan_khau.xlsx",
        PERSONS.encode(),
        [],
        1,
        "learnsoc: lỗi: nhan_khau.xlsx: không phải tệp Excel: đây là tệp văn bản (có vẻ là tệp "
        "CSV); hãy đổi phần mở rộng thành .csv, hoặc mở tệp bằng Excel rồi lưu lại dạng "
        "Excel Workbook (.xlsx)",
    ),
    "an output learnsoc cannot write": (
        "nhan_khau.csv",
        PERSONS.encode(),
        ["--rejects", "loai.doc"],
        2,
        "learnsoc validate: lỗi: --rejects: không thể ghi 'loai.doc': learnsoc không ghi được "
        "định dạng '.doc'; hãy dùng .csv, .txt, .parquet, .pq, .json hoặc .xlsx",
    ),
    "an output over an input": (
        "nhan_khau.csv",
        PERSONS.encode(),
        ["--rejects", "ho.csv"],
        2,
        "learnsoc validate: lỗi: --rejects: không thể ghi 'ho.csv': đó chính là tệp đầu vào "
        "'ho.csv' (cùng một tệp); ghi ra sẽ xóa mất tệp đầu vào, vì vậy hãy đặt tên khác cho "
        "tệp kết quả",
    ),
}


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The households and units files, right; the working folder, where the persons go."""
    monkeypatch.chdir(tmp_path)
    return write_files(tmp_path, {"ho.csv": HOUSEHOLDS, "don_vi.csv": UNITS})


#: ``learnsoc validate``'s options naming the files of :func:`folder`.
FILES = ["--households", "ho.csv", "--units", "don_vi.csv"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_validate_says_what_is_wrong_with_a_file_in_vietnamese(
    name: str, folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file, data, options, code, expected = CASES[name]
    (folder / file).write_bytes(data)
    argv = ["validate", file, *FILES, *options]
    assert main([*argv, "--locale", "vi", "--quiet"]) == code
    assert capsys.readouterr().err.strip() == expected


def test_a_bad_file_stays_english_without_locale(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "nhan_khau.xlsx").write_bytes(PERSONS.encode())
    assert main(["validate", "nhan_khau.xlsx", *FILES, "--quiet"]) == 1
    assert capsys.readouterr().err.strip() == (
        "learnsoc: error: nhan_khau.xlsx: not an Excel workbook: it is a text file (it looks "
        "like CSV); rename it .csv, or open it in Excel and save it as an Excel Workbook (.xlsx)"
    )


def test_a_birth_date_that_is_no_date_names_the_forms_in_vietnamese(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The not_a_date reject's hint (the date forms read) is Vietnamese in the rejects file."""
    (folder / "nhan_khau.csv").write_text(
        "person_id,household_id,birth_date\n1,H1,31/02/1990\n", encoding="utf-8"
    )
    argv = ["validate", "nhan_khau.csv", *FILES]
    argv += ["--reference-year", "2025", "--rejects", "loai.csv", "--locale", "vi", "--quiet"]
    assert main(argv) == 1
    capsys.readouterr()
    text = (folder / "loai.csv").read_text(encoding="utf-8-sig")
    assert (
        "nhan_khau.csv, dòng 2, cột birth_date: giá trị '31/02/1990' không phải là một ngày có "
        "thật (định dạng: ngày/tháng/năm (dd/mm/yyyy hoặc d/m/yyyy) hoặc năm-tháng-ngày "
        "(yyyy-mm-dd))"
    ) in text
    assert "dd/mm/yyyy, d/m/yyyy or" not in text
