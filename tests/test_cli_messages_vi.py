"""The command line's messages under ``--locale vi`` (issue 16, item 6): a bad units file or
``--levels``, and the messages the command line writes itself (option errors, usage
errors, "wrote FILE", errors of ``--inputs`` files)."""

from __future__ import annotations

from pathlib import Path

import pytest

from learnsoc.cli import main
from tests._vi_files import HOUSEHOLDS, UNITS, write_files

pytestmark = pytest.mark.usefixtures("neutral_locale")


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A person, the household and the tree, right; the working folder."""
    monkeypatch.chdir(tmp_path)
    persons = "person_id,household_id,age,sex\n1,H1,40,male\n"
    files = {"units.csv": UNITS, "households.csv": HOUSEHOLDS, "persons.csv": persons}
    return write_files(tmp_path, files)


def _validate(units: str, *extra: str) -> list[str]:
    files = ["persons.csv", "--households", "households.csv", "--units", units]
    return ["validate", *files, "--locale", "vi", *extra]


BAD_UNITS = {
    # Two communes' parents point at each other through a village: a cycle.
    "cycle": (
        "C2,X,commune,V2\nV2,Y,village,C2\n",
        [
            "đơn vị hành chính: đọc 5, nhận 3, 2 dòng bị loại",
            "  đơn vị hành chính: đơn vị hành chính đã bị loại ở cột parent_code: 1 dòng",
            "  đơn vị hành chính: đơn vị hành chính không đúng cấp ở cột parent_code: 1 dòng",
        ],
    ),
    "unknown parent": (
        "V2,T2,village,00009\n",
        [
            "đơn vị hành chính: đọc 4, nhận 3, 1 dòng bị loại",
            "  đơn vị hành chính: đơn vị hành chính không tồn tại ở cột parent_code: 1 dòng",
        ],
    ),
    "duplicate code": (
        "V3,T3,village,00001\nV3,T3,village,00001\n",
        [
            "đơn vị hành chính: đọc 5, nhận 3, 2 dòng bị loại",
            "  đơn vị hành chính: mã bị trùng ở cột code: 2 dòng",
        ],
    ),
}


@pytest.mark.parametrize("case", list(BAD_UNITS))
def test_units_refused_by_a_bad_units_file_are_counted_in_vietnamese(
    case: str, files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    more, expected = BAD_UNITS[case]
    (files / "bad.csv").write_text(UNITS + more, encoding="utf-8")
    assert main(_validate("bad.csv")) == 1
    lines = capsys.readouterr().err.splitlines()
    for line in expected:
        assert line in lines
    assert lines[-1] == "nhận + loại = đọc: OK"
    assert not any(word in "\n".join(lines) for word in ("unit", "rejected", "read "))


BAD_LEVELS = {
    "too deep": (
        ",".join(f"l{k}" for k in range(40)),
        "learnsoc: lỗi: hệ thống đơn vị hành chính 'custom' có 40 cấp; chỉ cho phép tối đa "
        "32 cấp (learnsoc.limits.MAX_HIERARCHY_DEPTH)",
    ),
    "a level twice": (
        "province,province",
        "learnsoc: lỗi: hệ thống đơn vị hành chính 'custom' có tên cấp bị lặp lại: "
        "['province', 'province']",
    ),
    "not a name": (
        "province,xã 1,village",
        "learnsoc: lỗi: tên cấp 'xã 1' phải là định danh (chữ cái, chữ số, _)",
    ),
}


@pytest.mark.parametrize("case", list(BAD_LEVELS))
def test_levels_no_tree_can_have_are_refused_in_vietnamese(
    case: str, files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    levels, message = BAD_LEVELS[case]
    assert main(_validate("units.csv", "--levels", levels)) == 1
    assert capsys.readouterr().err.strip() == message


def test_a_units_file_with_only_the_top_level_in_vietnamese(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (files / "top.csv").write_text(UNITS.splitlines()[0] + "\n01,HN,province,\n", "utf-8")
    assert main(_validate("top.csv")) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("learnsoc: lỗi: cấp xã không có đơn vị nào; mỗi cấp cần ít")


OPTION_ERRORS = {
    "--sheet 0": (
        ["--sheet", "0"],
        "learnsoc validate: lỗi: tham số --sheet: trang tính được đánh số từ 1, nhận được 0",
        "learnsoc validate: error: argument --sheet: sheets are numbered from 1, got 0",
    ),
    "--sheet ''": (
        ["--sheet", " "],
        "learnsoc validate: lỗi: tham số --sheet: hãy ghi tên hoặc số thứ tự của trang tính",
        "learnsoc validate: error: argument --sheet: give a sheet name or number",
    ),
    "--header-row 0": (
        ["--header-row", "0"],
        "learnsoc validate: lỗi: tham số --header-row: cần số thứ tự dòng từ 1 đến 1.048.576, "
        "nhận được '0'",
        "learnsoc validate: error: argument --header-row: a row number from 1 to 1,048,576, "
        "got '0'",
    ),
}


@pytest.mark.parametrize("case", list(OPTION_ERRORS))
def test_option_errors_in_vietnamese(
    case: str, files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extra, vietnamese, english = OPTION_ERRORS[case]
    assert main(_validate("units.csv", *extra)) == 2
    assert capsys.readouterr().err.splitlines()[-1] == vietnamese
    argv = _validate("units.csv", *extra)
    argv[argv.index("--locale") + 1] = "en"
    assert main(argv) == 2
    assert capsys.readouterr().err.splitlines()[-1] == english


def test_an_excel_name_with_format_is_a_usage_error_in_vietnamese(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["report", "--counts", "households.csv", "--units", "units.csv", "--out", "r.xlsx"]
    assert main([*argv, "--format", "text", "--locale", "vi"]) == 2
    assert capsys.readouterr().err.strip() == (
        "learnsoc report: lỗi: --out: tệp .xlsx là sổ tính Excel; hãy bỏ --format text"
    )
    assert main([*argv, "--format", "text"]) == 2
    assert capsys.readouterr().err.strip() == (
        "learnsoc report: error: --out: an .xlsx file is an Excel workbook; leave out --format text"
    )


BOOK = ["--rulebook", "vn-national", "--as-of", "31/12/2025"]
EVALUATE = ["evaluate", "persons.csv", "--households", "households.csv", "--units", "units.csv"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "so_hieu,c1_plan\n00001,1\n",
            "learnsoc: lỗi: in.csv, cột 'code': thiếu cột: tệp dữ liệu đầu vào của cấp xã "
            "cần có cột này (hoặc unit_code, commune_code, id, Mã, Mã đơn vị)",
        ),
        (
            "code,c1_plann\n00001,1\n",
            "learnsoc: lỗi: in.csv, cột 'c1_plann': không phải dữ liệu đầu vào của cấp xã "
            "trong bộ tiêu chí; có phải ý bạn là 'c1_plan'?",
        ),
    ],
    ids=["no key column", "misspelt input"],
)
def test_errors_of_inputs_files_in_vietnamese(
    content: str, message: str, files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (files / "in.csv").write_text(content, encoding="utf-8")
    argv = [*EVALUATE, *BOOK, "--inputs", "commune=in.csv", "--quiet"]
    assert main([*argv, "--locale", "vi"]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == message
    assert main(argv) == 1
    assert capsys.readouterr().err.splitlines()[-1].startswith("learnsoc: error: in.csv column ")


def test_wrote_and_the_check_line_in_vietnamese(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["rollup", "--counts", "households.csv", "--units", "units.csv", "--out", "r.csv"]
    (files / "households.csv").write_text("unit_code,households\n00001001,3\n", encoding="utf-8")
    assert main([*argv, "--locale", "vi"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert "đã ghi r.csv" in err
    assert err[-1] == "nhận + loại = đọc: OK"


#: A broken TOML file of each kind the command line reads, and what the Vietnamese run says.
BAD_TOML = {
    "rulebook": (
        ["evaluate", "persons.csv", "--households", "households.csv", "--units", "units.csv"],
        ["--rulebook", "bad.toml", "--as-of", "2025-12-31"],
        '[rulebook]\nformat = 1\nid = "x"\nname = "abc\n',
        "learnsoc: lỗi: bad.toml:4:12: TOML không hợp lệ: ký tự không được phép '\\n' "
        "(trình đọc TOML: Illegal character '\\n')",
    ),
    "targets": (
        ["report", "persons.csv", "--households", "households.csv", "--units", "units.csv"],
        ["--rulebook", "vn-national", "--as-of", "2025-12-31", "--targets", "bad.toml"],
        "[targets]\nid = = 1\n",
        "learnsoc: lỗi: bad.toml:2:6: TOML không hợp lệ: giá trị không hợp lệ "
        "(trình đọc TOML: Invalid value)",
    ),
    "mapping at the end": (
        ["validate", "persons.csv", "--households", "households.csv", "--units", "units.csv"],
        ["--mapping", "bad.toml"],
        "[mapping]\nlevels = [1,\n",
        "learnsoc: lỗi: bad.toml:3:1: TOML không hợp lệ: giá trị không hợp lệ "
        "(trình đọc TOML: Invalid value)",
    ),
}


@pytest.mark.parametrize("case", list(BAD_TOML))
def test_an_invalid_toml_file_is_told_in_vietnamese_with_the_parsers_words(
    case: str, files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The parser's reason is said in Vietnamese, with its file, line and column, and its
    own words kept after it (they were the only words: "TOML không hợp lệ: Invalid value")."""
    command, options, text, message = BAD_TOML[case]
    (files / "bad.toml").write_text(text, encoding="utf-8")
    code = main([*command, "--locale", "vi", *options])
    assert capsys.readouterr().err.strip().splitlines()[-1] == message
    assert code == 2


def test_an_invalid_toml_file_keeps_the_parsers_english() -> None:
    """In English the reason is the parser's own text, with the end of the file placed."""
    from learnsoc._toml import parse_toml
    from learnsoc.errors import TomlFileError

    with pytest.raises(TomlFileError) as info:
        parse_toml("a = [1,\n", file="t.toml", error=TomlFileError)
    assert str(info.value) == "t.toml:2:1: invalid TOML: Invalid value"
    assert info.value.localized("vi") == (
        "t.toml:2:1: TOML không hợp lệ: giá trị không hợp lệ (trình đọc TOML: Invalid value)"
    )
