"""Totals rows and headings over blocks in agency files, through the command line.

A commune's list grouped by village, with a heading over each block and a totals row
under it, as a clerk keeps it: ``learnsoc validate`` and ``learnsoc dataset`` read the
persons, skip those rows with a warning naming each line, and count them as skipped.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.cli import main
from tests.io.helpers import write
from tests.optional import needs

UNITS = """Mã;Tên;Cấp;Mã cấp trên
01;Hà Nội;Tỉnh;
00004;Xã An Khánh;Xã;01
00004001;Thôn Đông;Thôn;00004
00004002;Thôn Tây;Thôn;00004
"""
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
PERSONS = """Mã NK;Họ và tên;Mã hộ;Năm sinh
I. THÔN ĐÔNG;;;
NK01;Nguyễn Văn An;H1;1975
NK02;Trần Thị Bình;H1;1978
Cộng thôn Đông;;;2
II. THÔN TÂY;;;
NK03;Phạm Thị Dung;H2;1990
Tổng cộng;;;3
"""
HOUSEHOLDS = "Mã hộ;Mã thôn\nH1;00004001\nH2;00004002\n"


def _files(root: Path) -> list[str]:
    folder = root / "tinh-01"
    folder.mkdir()
    write(folder, "persons.csv", PERSONS)
    write(folder, "households.csv", HOUSEHOLDS)
    write(root, "units.csv", UNITS)
    write(root, "mapping.toml", MAPPING)
    units, mapping = str(root / "units.csv"), str(root / "mapping.toml")
    return ["--units", units, "--mapping", mapping, "--reference-year", "2025"]


def test_validate_skips_totals_and_headings_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """They were four rejected rows (exit code 1); now exit 0, each line named."""
    args = _files(tmp_path)
    persons = str(tmp_path / "tinh-01" / "persons.csv")
    households = str(tmp_path / "tinh-01" / "households.csv")
    assert main(["validate", persons, "--households", households, *args, "--locale", "vi"]) == 0
    err = capsys.readouterr().err
    assert "người: đọc 7, nhận 3, 0 dòng bị loại, 4 dòng được bỏ qua" in err
    assert "dòng 5 ('Cộng thôn Đông'), dòng 8 ('Tổng cộng')" in err
    assert "dòng 2 ('I. THÔN ĐÔNG'), dòng 6 ('II. THÔN TÂY')" in err
    assert "nhận + loại + bỏ qua = đọc: OK" in err


@needs("pyarrow")
def test_dataset_is_written_past_totals_and_headings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``learnsoc dataset`` stopped on the totals rows (rejected rows write no dataset
    without --drop-rejected); it now writes the three persons, and counts the rows."""
    args = _files(tmp_path)
    out = tmp_path / "DIR"
    assert main(["dataset", str(tmp_path / "tinh-01"), "--out", str(out), *args]) == 0
    err = capsys.readouterr().err
    assert "person: read 7, accepted 3, 0 rows rejected, 4 rows skipped (totals, headings)" in err
    assert "accepted + rejected + skipped = read: OK" in err
    assert ls.read_dataset(out).n_persons == 3
