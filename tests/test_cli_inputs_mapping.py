"""An ``--inputs`` file is read through the mapping file's ``[inputs]`` table.

Evaluators' workbooks head their columns in Vietnamese ("Thôn", "Hoạt động học tập",
"Mã hộ"), write their own words for yes and no ("Tốt"), and key villages by name: the
mapping names them as it names the persons' and households' columns, and a village
written by its name is read as the households' readers read it (one unit of that name:
taken; a name two villages share: ``ambiguous_unit``).
"""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest

from learnsoc.cli import main
from tests.io.helpers import write
from tests.test_cli_jobs import BOOK

# Two villages named "Thôn Đông" (in two communes): a row naming it is ambiguous.
UNITS = """code,name,level,parent_code
01,Tỉnh A,province,
00001,Xã Một,commune,01
00004,Xã Bốn,commune,01
00001001,Thôn Đông,village,00001
00001002,Thôn Tây,village,00001
00004001,Thôn Đông,village,00004
00004002,Thôn Bắc,village,00004
"""
HOUSEHOLDS = """household_id,unit_code
H1,00001001
H2,00001002
H3,00004001
H4,00004002
"""
PERSONS = """person_id,household_id,age,sex,literate
1,H1,40,1,1
2,H2,35,2,1
3,H3,70,1,1
4,H4,30,2,1
"""
MAPPING = """[inputs]
ignore = ["Ghi chú"]

[inputs.columns]
"Thôn" = "code"
"Hoạt động học tập" = "village_learning_activities"
"Mã hộ" = "household_id"
"Kết quả học tập của con" = "children_results_good"

[inputs.values.village_learning_activities]
"Tốt" = 1
"Chưa tốt" = 0
"""
# Read 5: Thôn Tây (1) and Thôn Bắc (0) accepted; Thôn Đông ambiguous, Thôn Nam no
# village, "Kém" no word of the column's: 2 accepted, 3 rejected.
VILLAGES = """STT;Thôn;Hoạt động học tập;Ghi chú
1;Thôn Tây;Tốt;
2;Thôn Bắc;Chưa tốt;họp thôn
3;Thôn Đông;Tốt;
4;Thôn Nam;Tốt;
5;00004001;Kém;
"""
# The same values as the plain file writes them: codes and the input's own name.
PLAIN = "code;village_learning_activities\n00001002;1\n00004002;0\n"
EVALUATE = ["evaluate", "p.csv", "--households", "h.csv", "--units", "u.csv", *BOOK]
LEVELS = ["--levels", "province,commune,village"]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, text in (
        ("u.csv", UNITS),
        ("h.csv", HOUSEHOLDS),
        ("p.csv", PERSONS),
        ("m.toml", MAPPING),
        ("thon.csv", VILLAGES),
        ("plain.csv", PLAIN),
    ):
        write(tmp_path, name, text)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def test_a_village_inputs_file_is_read_through_the_mapping(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [*EVALUATE, *LEVELS, "--mapping", "m.toml", "--rejects", "r.csv"]
    assert main([*argv, "--inputs", "village=thon.csv", "--out", "mapped.csv"]) == 1
    err = capsys.readouterr().err
    assert "village inputs: read 5, accepted 2, 3 rows rejected" in err
    # Thôn Tây and Thôn Bắc were named: said, as for a households file.
    assert "thon.csv, column Thôn: 2 rows name their unit by its name" in err
    # The rejects file names the column read (as for persons); its message, the file's.
    rejects = [(r["line"], r["column"], r["value"], r["reason"]) for r in _rows(folder / "r.csv")]
    assert rejects == [
        ("4", "code", "Thôn Đông", "ambiguous_unit"),
        ("5", "code", "Thôn Nam", "unknown_unit"),
        ("6", "village_learning_activities", "Kém", "unknown_code"),
    ]
    messages = [r["message"] for r in _rows(folder / "r.csv")]
    assert messages[0].startswith("thon.csv, line 4, column Thôn: ")
    assert messages[2].startswith("thon.csv, line 6, column Hoạt động học tập: ")
    # By hand: Tây's activities known and met (1), Bắc's known and failed (0), the two
    # Đông's unknown (their rows rejected).
    villages = {r["id"]: r for r in _rows(folder / "mapped.csv") if r["level"] == "village"}
    assert [villages[v]["failed"] for v in ("00001002", "00004002")] == ["", "learning_activities"]
    for village, unknown in (("00001002", False), ("00004002", False), ("00001001", True)):
        assert ("learning_activities" in villages[village]["unknown"].split(";")) is unknown
    # The values read are those of the plain file with the villages' codes.
    plain = [*EVALUATE, *LEVELS, "--inputs", "village=plain.csv", "--out", "plain.out.csv"]
    assert main(plain) == 0
    assert _rows(folder / "mapped.csv") == _rows(folder / "plain.out.csv")


def test_a_household_inputs_workbook_is_read_through_the_mapping(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Phiếu đánh giá hộ gia đình học tập năm 2025"])  # a title above the header
    ws.append(["STT", "Mã hộ", "Kết quả học tập của con"])
    for row in ([1, "H1", "Có"], [2, "H2", "Không"], [3, "H9", "Có"], [4, "H4", "Có"]):
        ws.append(row)
    wb.save(folder / "ho.xlsx")
    write(folder, "plain.csv", "household_id,children_results_good\nH1,1\nH2,0\nH4,1\n")
    argv = [*EVALUATE, *LEVELS, "--mapping", "m.toml", "--rejects", "r.csv"]
    assert main([*argv, "--inputs", "ho.xlsx", "--out", "mapped.csv"]) == 1
    assert "household inputs: read 4, accepted 3, 1 row rejected" in capsys.readouterr().err
    rejects = [(r["line"], r["column"], r["value"], r["reason"]) for r in _rows(folder / "r.csv")]
    assert rejects == [("5", "household_id", "H9", "unknown_household")]
    (message,) = [r["message"] for r in _rows(folder / "r.csv")]
    assert message == "ho.xlsx, row 5, column Mã hộ: household 'H9' does not exist"
    assert main([*EVALUATE, *LEVELS, "--inputs", "plain.csv", "--out", "plain.out.csv"]) == 0
    assert _rows(folder / "mapped.csv") == _rows(folder / "plain.out.csv")


def test_the_mappings_unknown_columns_ignore_applies_to_inputs_files(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A column neither an input nor mapped ("Nhận xét") stops the run, naming it, unless
    the mapping says ``unknown_columns = "ignore"``, as for the other files."""
    write(folder, "xet.csv", "code;village_learning_activities;Nhận xét\n00001002;1;tốt\n")
    argv = [*EVALUATE, *LEVELS, "--inputs", "village=xet.csv"]
    assert main(argv) == 1
    assert "column 'Nhận xét': is not an input of villages" in capsys.readouterr().err
    write(folder, "ignore.toml", '[mapping]\nunknown_columns = "ignore"\n')
    assert main([*argv, "--mapping", "ignore.toml"]) == 0
    assert "village inputs: read 1, accepted 1, 0 rows rejected" in capsys.readouterr().err


def test_two_columns_read_as_one_input_are_refused(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A column under the input's own name beside one the mapping renames onto it."""
    header = "Thôn;Hoạt động học tập;village_learning_activities\n"
    write(folder, "two.csv", header + "Thôn Tây;Tốt;1\n")
    argv = [*EVALUATE, *LEVELS, "--mapping", "m.toml", "--inputs", "village=two.csv"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "two.csv column 'village_learning_activities': several file columns map onto" in err
