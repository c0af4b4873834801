"""The command line in Vietnamese (issue 16, item 6): the language from ``--locale``,
``LEARNSOC_LOCALE`` or the environment's locale, for the help, argparse's own words,
errors, listings and rejects."""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import pytest

from learnsoc.cli import main, resolve_locale

pytestmark = pytest.mark.usefixtures("neutral_locale")


def _help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) == 0
    return capsys.readouterr().out


def _assert_vietnamese_help(out: str) -> None:
    assert out.startswith("cách dùng: learnsoc report")
    assert "tùy chọn:" in out
    assert "hiện trợ giúp này rồi thoát" in out
    assert "tệp đầu vào (CSV, Excel .xlsx, Parquet, Arrow):" in out
    assert "ghi báo cáo vào tệp này thay vì in ra màn hình" in out
    assert "mã thoát: 0 thành công" in out
    for english in ("usage:", "options:", "show this help", "the persons file"):
        assert english not in out


def test_report_help_in_vietnamese_with_locale_before_the_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _assert_vietnamese_help(_help(["--locale", "vi", "report", "--help"], capsys))


def test_report_help_in_vietnamese_with_locale_after_the_command(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _assert_vietnamese_help(_help(["report", "--locale=vi", "--help"], capsys))


def test_report_help_in_vietnamese_from_learnsoc_locale(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEARNSOC_LOCALE", "vi")
    _assert_vietnamese_help(_help(["report", "--help"], capsys))


def test_report_help_in_vietnamese_from_lang(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "vi_VN.UTF-8")
    _assert_vietnamese_help(_help(["report", "--help"], capsys))


def test_help_stays_english_by_default(capsys: pytest.CaptureFixture[str]) -> None:
    out = _help(["report", "--help"], capsys)
    assert out.startswith("usage: learnsoc report")
    assert "show this help message and exit" in out


def test_the_locale_order_is_option_then_learnsoc_locale_then_lc_all_then_lang() -> None:
    env = {"LEARNSOC_LOCALE": "en", "LC_ALL": "vi_VN.UTF-8", "LANG": "vi_VN.UTF-8"}
    assert resolve_locale(["report", "--locale", "vi"], env) == "vi"
    assert resolve_locale(["report"], env) == "en"
    assert resolve_locale(["report"], {"LC_ALL": "vi_VN.UTF-8", "LANG": "en_US.UTF-8"}) == "vi"
    assert resolve_locale(["report"], {"LC_ALL": "C.UTF-8", "LANG": "vi_VN.UTF-8"}) == "en"
    assert resolve_locale(["report"], {"LANG": "fr_FR.UTF-8"}) == "en"
    assert resolve_locale(["report"], {}) == "en"


def test_an_unknown_learnsoc_locale_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEARNSOC_LOCALE", "fr")
    assert main(["rulebooks"]) == 2
    assert "LEARNSOC_LOCALE" in capsys.readouterr().err


def test_argparse_errors_in_vietnamese_and_its_words_restored_after(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["report", "--locale", "vi", "--rulebook"]) == 2
    err = capsys.readouterr().err
    assert "learnsoc report: lỗi: tham số --rulebook: cần một giá trị" in err
    assert err.startswith("cách dùng: ")
    assert argparse._("usage: ") == "usage: "  # type: ignore[attr-defined]


def test_missing_command_argument_in_vietnamese(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LEARNSOC_LOCALE", "vi")
    assert main(["rollup"]) == 2
    assert "thiếu các tham số bắt buộc: --out" in capsys.readouterr().err


def test_rulebooks_output_in_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rulebooks", "--locale", "vi"]) == 0
    out = capsys.readouterr().out
    assert "phiên bản 2025.1" in out
    assert "version" not in out and "last checked" not in out
    assert "kiểm tra lần cuối ngày 24/11/2025" in out


def test_targets_output_in_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["targets", "--locale", "vi"]) == 0
    out = capsys.readouterr().out
    assert (
        "ngày 16/11/2023; 51 mục tiêu cho các năm 2025, 2030 (và 1 mục tiêu không có thời hạn)"
        in out
    )
    assert "targets for" not in out
    assert "7 mục tiêu cho năm 2020\n" in out  # one year: not "các năm"


AGENCY_MAPPING = """
[mapping]
delimiter = ";"
[values.bool]
"Có" = 1
"Không" = 0
[person]
ignore = ["Họ và tên"]
[person.columns]
"Mã NK" = "person_id"
"Mã hộ" = "household_id"
"Tuổi" = "age"
"Giới tính" = "sex"
"Biết chữ" = "literate"
[person.values.sex]
"Nam" = "male"
"Nữ" = "female"
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


@pytest.fixture
def commune(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "don_vi.csv").write_text(
        "Mã;Tên;Cấp;Mã cấp trên\n01;Hà Nội;Tỉnh;\n00001;Ba Đình;Xã;01\n00001001;Tổ 1;Thôn;00001\n",
        encoding="utf-8",
    )
    (tmp_path / "ho.csv").write_text("Mã hộ;Mã thôn\nH1;00001001\n", encoding="utf-8")
    (tmp_path / "nhan_khau.csv").write_text(
        "Mã NK;Họ và tên;Mã hộ;Tuổi;Giới tính;Biết chữ\n"
        "1;An;H1;40;Nam;Có\n"
        "2;Bình;H1;300;Nữ;Không\n"
        "3;Cường;H1;30;Nam;Chưa\n",
        encoding="utf-8",
    )
    (tmp_path / "mapping.toml").write_text(AGENCY_MAPPING, encoding="utf-8")
    return tmp_path


VALIDATE = ["validate", "nhan_khau.csv", "--households", "ho.csv", "--units", "don_vi.csv"]
VALIDATE += ["--mapping", "mapping.toml", "--rejects", "rejects.csv"]


def test_validate_in_vietnamese_names_the_files_columns_and_codes(
    commune: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*VALIDATE, "--locale", "vi"]) == 1
    err = capsys.readouterr().err
    assert "người: đọc 3, nhận 1, 2 dòng bị loại" in err
    assert "  người: giá trị ngoài khoảng cho phép ở cột Tuổi: 1 dòng" in err
    assert "  người: mã không hợp lệ ở cột Biết chữ: 1 dòng" in err
    assert "nhận + loại = đọc: OK" in err
    with (commune / "rejects.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    # The header is line 1: Bình is on line 3, Cường on line 4, as a spreadsheet numbers them.
    assert [(r["line"], r["column"], r["message"]) for r in rows] == [
        (
            "3",
            "age",
            "nhan_khau.csv, dòng 3, cột Tuổi: giá trị '300' nằm ngoài khoảng cho phép (0..120)",
        ),
        (
            "4",
            "literate",
            "nhan_khau.csv, dòng 4, cột Biết chữ: giá trị 'Chưa' không phải mã hợp lệ "
            "(cần Có, Không)",
        ),
    ]
    lines = (commune / "nhan_khau.csv").read_text(encoding="utf-8").splitlines()
    assert lines[3 - 1].startswith("2;Bình") and lines[4 - 1].startswith("3;Cường")


def test_a_mapped_column_is_named_by_the_files_header_in_english_too(
    commune: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*VALIDATE, "--locale", "en"]) == 1
    assert "  person: out_of_range in Tuổi: 1 row" in capsys.readouterr().err
    text = (commune / "rejects.csv").read_text(encoding="utf-8-sig")
    assert "nhan_khau.csv, line 3, column Tuổi: value '300' is out of range" in text
    assert "column Biết chữ: value 'Chưa' is not a known code (expected Có, Không)" in text


def _error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(argv) in (1, 2)  # 2 for a usage error, 1 for a file learnsoc cannot use
    return capsys.readouterr().err.strip()


def test_common_errors_print_in_vietnamese(
    commune: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vi = ["--locale", "vi"]
    book = ["--rulebook", "vn-nat", "--as-of", "31/12/2025"]
    assert _error(["evaluate", *VALIDATE[1:8], *book, *vi], capsys) == (
        "learnsoc: lỗi: không có bộ tiêu chí 'vn-nat' trong các bộ có sẵn; "
        "cần một trong các giá trị 'example', 'hanoi', 'vn-national'"
    )
    counts = ["--counts", "ho.csv", "--units", "don_vi.csv", "--mapping", "mapping.toml"]
    assert _error(["report", *counts, "--targets", "hanoi-23", *vi], capsys).startswith(
        "learnsoc: lỗi: không có bộ mục tiêu 'hanoi-23' trong các bộ có sẵn; "
    )
    (commune / "p.csv").write_text("Mã NK;Mã hộ;agee\n1;H1;3\n", encoding="utf-8")
    files = ["--households", "ho.csv", "--units", "don_vi.csv", "--mapping", "mapping.toml"]
    err = _error(["validate", "p.csv", *files, *vi], capsys)
    assert err.startswith("learnsoc: lỗi: người, cột 'agee': cột không xác định trong p.csv")
    assert err.endswith("; có phải ý bạn là 'age'?")
    (commune / "q.csv").write_text("Mã NK;Tuổi\n1;3\n", encoding="utf-8")
    err = _error(["validate", "q.csv", *files, *vi], capsys)
    assert "learnsoc: lỗi: người, cột 'household_id': thiếu cột bắt buộc trong q.csv" in err
    (commune / "cp.csv").write_bytes("Ma NK;Tuoi\n1;40 tu\xe0\n".encode("cp1258"))
    err = _error(["validate", "cp.csv", *files, *vi], capsys)
    assert "cp.csv:2: tệp không phải UTF-8 (byte 0xe0 ở vị trí " in err
    assert "tệp có thể dùng bảng mã Windows-1258" in err
    (commune / "u.csv").write_text("Mã;Tên;Cấp;Mã cấp trên\n01;HN;Tỉnh;\n", encoding="utf-8")
    err = _error(
        ["validate", "nhan_khau.csv", *files[:2], "--units", "u.csv", *files[4:], *vi], capsys
    )
    assert err.startswith("learnsoc: lỗi: cấp xã không có đơn vị nào; mỗi cấp cần")
    # The levels in words, each with the id --levels takes.
    assert err.endswith(
        "(các cấp của hệ thống đơn vị hành chính là cấp tỉnh (province), cấp xã (commune), "
        "cấp thôn, tổ dân phố (village): kiểm tra --levels)"
    )


def test_the_same_errors_stay_english_by_default(
    commune: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = ["--rulebook", "vn-nat", "--as-of", "31/12/2025"]
    assert _error(["evaluate", *VALIDATE[1:8], *book], capsys) == (
        "learnsoc: error: no bundled rulebook 'vn-nat'; "
        "expected one of 'example', 'hanoi', 'vn-national'"
    )


def test_an_error_without_a_message_id_falls_back_to_english() -> None:
    from learnsoc.errors import HierarchyError, SchemaError

    err = HierarchyError("unit '01' has two parents")
    assert err.localized("vi") == "unit '01' has two parents"
    schema = SchemaError("person", "age", "has the wrong kind")
    assert schema.localized("vi") == "người, cột 'age': has the wrong kind"
    assert schema.localized("en") == str(schema) == "person column 'age': has the wrong kind"


@pytest.mark.parametrize(
    "argv",
    [
        ["demo", "--persons", "2000", "--lang", "vi"],
        ["--lang", "vi", "demo", "--persons", "2000"],
        ["demo", "--persons", "2000", "--lang=vi"],
    ],
)
def test_lang_is_taken_as_locale(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """A new user types ``learnsoc demo --lang vi`` (from LANG): it was a usage error."""
    assert main(["demo", "--persons", "2000", "--locale", "vi"]) == 0
    expected = capsys.readouterr().out
    assert "Tháp tuổi" in expected
    assert main(argv) == 0
    assert capsys.readouterr().out == expected


def test_lang_is_hidden_and_checked_as_locale(capsys: pytest.CaptureFixture[str]) -> None:
    """The help names --locale only; a language learnsoc lacks is a usage error."""
    assert "--lang" not in _help(["rulebooks", "--help"], capsys)
    assert main(["rulebooks", "--lang", "fr"]) == 2
    assert "invalid choice: 'fr'" in capsys.readouterr().err
    assert resolve_locale(["report", "--lang", "vi"], {}) == "vi"
    assert resolve_locale(["report", "--lang=vi"], {"LANG": "en_US.UTF-8"}) == "vi"
