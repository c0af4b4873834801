"""Files a commune clerk makes by hand, through the command line (a new user's session).

Each test is a bug a new user met: counts files with a totals row or a cut line, an
encoding asked for a set of files ... Every row of every file is counted: accepted +
rejected = read, where "read" is the records of the file.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from learnsoc.cli import main

UNITS_3 = (
    "Mã;Tên;Cấp;Mã cấp trên\n"
    "01;Thành phố Hà Nội;Tỉnh;\n"
    "001;Quận Ba Đình;Huyện;01\n"
    "00001;Phường Phúc Xá;Xã;001\n"
    "00004;Phường Trúc Bạch;Xã;001\n"
    "002;Quận Hoàn Kiếm;Huyện;01\n"
    "00037;Phường Phúc Tân;Xã;002\n"
)
MAPPING = """
[mapping]
delimiter = ";"
decimal = ","
[unit.columns]
"Mã" = "code"
"Tên" = "name"
"Cấp" = "level"
"Mã cấp trên" = "parent_code"
[unit.values.level]
"Tỉnh" = "province"
"Huyện" = "district"
"Xã" = "commune"
[counts]
ignore = ["Tên đơn vị"]
[counts.columns]
"Mã đơn vị" = "unit_code"
"Tổng số gia đình" = "families"
"Gia đình học tập" = "learning_families"
"""
COUNTS_HEADER = "Mã đơn vị;Tên đơn vị;Tổng số gia đình;Gia đình học tập\n"


def _counts_report(tmp_path: Path, counts: str, *extra: str) -> list[str]:
    (tmp_path / "don_vi.csv").write_text(UNITS_3, "utf-8-sig")
    (tmp_path / "mapping.toml").write_text(MAPPING, "utf-8")
    (tmp_path / "so_lieu.csv").write_text(COUNTS_HEADER + counts, "utf-8-sig")
    return [
        "report",
        "--counts",
        str(tmp_path / "so_lieu.csv"),
        "--units",
        str(tmp_path / "don_vi.csv"),
        "--mapping",
        str(tmp_path / "mapping.toml"),
        "--levels",
        "province,district,commune",
        "--indicators",
        "learning_families",
        "--year",
        "2024",
        *extra,
    ]


def test_a_counts_file_counts_its_totals_row_and_broken_lines_as_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A counts file's totals row is read and skipped; a cut line and an open quote are
    read rows, rejected.

    "read" was the rows handed to the rollup (accepted ones only), so a counts file of
    four rows with a totals row printed "read 3, accepted 2", and one with a cut line and
    an open quote "read 1, accepted -1", both ending "accepted + rejected = read: OK".
    The totals row (which adds up the rows above it) was then a reject (exit code 1); it
    is now skipped, with a warning.
    """
    argv = _counts_report(
        tmp_path,
        "00001;Phường Phúc Xá;1.200;900\n"
        "00004;Phường Trúc Bạch;800;600\n"
        "00037;Phường Phúc Tân;1.000;730\n"
        ";Tổng cộng;3.000;2.230\n",
    )
    assert main([*argv, "--locale", "en"]) == 0
    # The report on stdout lists the rows read; the summary on stderr does not repeat them.
    out, err = capsys.readouterr()
    said = "counts: read 4, accepted 3, 0 rows rejected, 1 row skipped (totals, headings)"
    assert said in out + err
    assert "line 5 ('Tổng cộng')" in err
    assert "accepted + rejected + skipped = read: OK" in err

    argv = _counts_report(
        tmp_path,
        '00001;Phường Phúc Xá;1.200;900\n00004;Phường Trúc Bạch;800\n00037;"P;1.000;730\n',
    )
    assert main([*argv, "--locale", "vi"]) == 1
    out, err = capsys.readouterr()
    assert "số liệu tổng hợp: đọc 3, nhận 1, 2 dòng bị loại" in out + err
    assert "nhận + loại = đọc: OK" in err


def test_a_counts_sheet_with_codes_stored_as_numbers_is_read_and_said(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Commune 00037 typed as 37 is counted, with a warning in the output language.

    It was an ``unknown_unit`` reject, the commune "0/1 reporting"; a warning raised while
    reading counts was printed as Python's ``cli.py:1449: LeadingZerosWarning: ...`` line.
    """
    argv = _counts_report(
        tmp_path, "00001;Phúc Xá;1.200;900\n4;Trúc Bạch;800;600\n37;Phúc Tân;1.000;730\n"
    )
    assert main([*argv, "--locale", "vi"]) == 0
    out, err = capsys.readouterr()
    assert "730 / 1.000 gia đình" in out
    # Named as the file and its column, as households' codes are (was "số liệu tổng hợp,
    # cột unit_code").
    assert err.startswith(
        f"learnsoc: cảnh báo: {tmp_path / 'so_lieu.csv'}, cột Mã đơn vị: 2 dòng đã mất các chữ "
        "số 0 đứng"
    )
    assert "số liệu tổng hợp: đọc 3, nhận 3, 0 dòng bị loại" in err
