"""A provincial education officer's files, made by hand as communes keep them, in Vietnamese.

Codes stored as numbers, semicolons, a decimal comma, headers in the case and tone
spelling the commune types: each test is one thing the first pass found wrong.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.cli import main
from learnsoc.io.rejects import FileReject
from tests._vi_files import write_files

UNITS = (
    "Mã đơn vị;Tên đơn vị;Cấp;Mã cấp trên\n"
    "01;Thành phố Hà Nội;Tỉnh;\n"
    "00004;Xã Minh Phú;Xã;01\n"
    "00004001;Thôn Đông;Thôn;00004\n"
    "00004002;Thôn Đoài;Thôn;00004\n"
)
MAPPING = """
[mapping]
delimiter = ";"
decimal = ","
levels = "vn-2025"
[counts.columns]
"Mã đơn vị" = "unit_code"
"Tổng số gia đình" = "families"
"Gia đình học tập" = "learning_families"
[unit.columns]
"Mã đơn vị" = "code"
"Tên đơn vị" = "name"
"Cấp" = "level"
"Mã cấp trên" = "parent_code"
[unit.values.level]
"Tỉnh" = "province"
"Xã" = "commune"
"Thôn" = "village"
"""


#: How the mapping file reads a commune's register (nk.csv, ho.csv).
REGISTER = (
    '[person.columns]\n"Mã NK" = "person_id"\n"Mã hộ" = "household_id"\n"Tuổi" = "age"\n'
    '[household.columns]\n"Mã hộ" = "household_id"\n"Mã thôn" = "unit_code"\n'
)
#: One household in Thôn Đông, and its one person.
HOUSEHOLD = "Mã hộ;Mã thôn\nH01;00004001\n"
PERSON = "Mã NK;Mã hộ;Tuổi\nNK01;H01;30\n"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "don_vi.csv").write_text(UNITS, encoding="utf-8-sig")
    (tmp_path / "mapping.toml").write_text(MAPPING, encoding="utf-8")
    return tmp_path


def register(
    folder: Path, *, households: str = HOUSEHOLD, persons: str = PERSON, columns: str = REGISTER
) -> list[str]:
    """Write a commune's register and the mapping file that reads it (MAPPING + ``columns``).

    Returns the files as the command line names them: the persons file, then
    ``--households``, ``--units`` and ``--mapping``.
    """
    write_files(folder, {"ho.csv": households, "nk.csv": persons}, encoding="utf-8-sig")
    (folder / "mapping.toml").write_text(MAPPING + columns, encoding="utf-8")
    named = [str(folder / "nk.csv")]
    for option, name in (("--households", "ho.csv"), ("--units", "don_vi.csv")):
        named += [option, str(folder / name)]
    return [*named, "--mapping", str(folder / "mapping.toml")]


def test_counts_codes_that_lost_zeros_name_the_file_and_its_column(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """'so_lieu.csv, cột Mã đơn vị: 2 dòng đã mất ...', not 'số liệu tổng hợp, cột unit_code'."""
    (folder / "so_lieu.csv").write_text(
        "Mã đơn vị;Tên đơn vị;Tổng số gia đình;Gia đình học tập\n"
        "4001;Thôn Đông;1.234;1.000\n"
        "4002;Thôn Đoài;2.345;1.500\n",
        encoding="utf-8-sig",
    )
    args = ["report", "--counts", str(folder / "so_lieu.csv")]
    args += ["--hierarchy", str(folder / "don_vi.csv"), "--mapping", str(folder / "mapping.toml")]
    code = main([*args, "--indicators", "learning_families", "--locale", "vi"])
    captured = capsys.readouterr()
    assert code == 0
    assert "so_lieu.csv, cột Mã đơn vị: 2 dòng đã mất các chữ số 0 đứng đầu" in captured.err
    assert "unit_code" not in captured.err
    assert "2.500 / 3.579" in captured.out


def test_a_units_file_that_lost_its_zeros_is_named_when_households_are_rejected(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Units '4001' (an Excel number column) and households '00004001': say where the zeros went."""
    units = (
        "Mã đơn vị;Tên đơn vị;Cấp;Mã cấp trên\n1;Thành phố Hà Nội;Tỉnh;\n4;Xã Minh Phú;Xã;1\n"
        "4001;Thôn Đông;Thôn;4\n4002;Thôn Đoài;Thôn;4\n"
    )
    (folder / "don_vi.csv").write_text(units, encoding="utf-8-sig")
    files = register(folder, households=HOUSEHOLD + "H02;00004002\n")
    assert main(["validate", *files, "--locale", "vi"]) == 1
    err = capsys.readouterr().err
    assert (
        "ho.csv, cột Mã thôn: 2 dòng ghi mã của đơn vị mà tệp "
        f"{folder / 'don_vi.csv'}, cột Mã đơn vị, ghi thiếu các chữ số 0 đứng đầu "
        "(ví dụ '00004001' được ghi là '4001' trong tệp đó) nên bị loại"
    ) in err
    assert "hộ gia đình: đọc 2, nhận 0, 2 dòng bị loại" in err


def test_a_birth_date_known_only_by_its_year_or_month_gives_the_exact_age(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """'1950' and '03/1950' (an elder's register entry): the age on 31/12/2025 is 75, exactly."""
    register(
        folder,
        persons="Mã NK;Mã hộ;Ngày sinh\nNK01;H01;1950\nNK02;H01;03/1950\nNK03;H01;13/1950\n"
        "NK04;H01;15/03/1950\n",
        columns=REGISTER.replace('"Tuổi" = "age"', '"Ngày sinh" = "birth_date"'),
    )
    pop = ls.read_population(
        folder / "nk.csv",
        households=folder / "ho.csv",
        units=folder / "don_vi.csv",
        mapping=folder / "mapping.toml",
        reference_year=2025,
    )
    assert pop.person_columns["age"].tolist() == [75, 75, 75]
    records = pop.rejects.records()
    assert all(isinstance(r, FileReject) for r in records)
    assert [(getattr(r, "line", None), r.value, r.reason) for r in records] == [
        (4, "13/1950", "not_a_date")
    ]


def test_inputs_files_follow_the_mapping_files_decimal_comma(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """decimal = "," in the mapping reads '85,0' in the evaluators' sheet, as in counts files."""
    args = ["evaluate", *register(folder)]
    (folder / "xa.csv").write_text("Mã xã;tt44_points\n00004;85,0\n", encoding="utf-8-sig")
    args += ["--rulebook", "vn-national", "--as-of", "31/12/2025"]
    args += ["--inputs", f"xã={folder / 'xa.csv'}", "--locale", "vi"]
    assert main(args) == 0
    assert "số liệu đầu vào cấp xã: đọc 1, nhận 1, 0 dòng bị loại" in capsys.readouterr().err


def test_a_units_file_may_name_its_levels_as_wards_and_street_groups(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """'Phường' and 'Tổ dân phố' are the commune and village levels, as --levels reads them."""
    (folder / "don_vi.csv").write_text(
        UNITS.replace("00004;Xã Minh Phú;Xã", "00004;Phường Minh Phú;Phường").replace(
            "Thôn Đông;Thôn", "Tổ dân phố 1;Tổ dân phố"
        ),
        encoding="utf-8-sig",
    )
    register(folder)
    pop = ls.read_population(
        folder / "nk.csv",
        households=folder / "ho.csv",
        units=folder / "don_vi.csv",
        mapping=folder / "mapping.toml",
    )
    assert pop.hierarchy.codes_at("commune").tolist() == ["00004"]
    assert pop.hierarchy.codes_at("village").tolist() == ["00004001", "00004002"]


def test_a_units_file_refused_whole_is_told_in_vietnamese_with_its_own_words(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """'4/4 đơn vị bị loại ... cột Cấp ... (cần Tỉnh, Xã, Thôn)', no English inside."""
    (folder / "don_vi.csv").write_text(UNITS.replace(";Tỉnh;", ";Vùng;"), encoding="utf-8-sig")
    args = ["validate", *register(folder)]
    # Refused whole, against the levels the mapping file gives: a usage error, as with
    # --levels (docs/cli.md); it exited 1. (A region, Vùng, is no level; "Thành phố trực
    # thuộc TW", refused here before, is a province: tests/test_reform_gso_lists.py.)
    assert main([*args, "--locale", "vi"]) == 2
    err = capsys.readouterr().err
    assert "; 4/4 đơn vị bị loại, đơn vị đầu tiên: " in err
    assert ("dòng 2, cột Cấp: giá trị 'Vùng' không phải mã hợp lệ (cần Tỉnh, Xã, Thôn)") in err
    assert "units were refused" not in err and "column level" not in err


def test_a_file_with_another_separator_is_told_so_not_an_unknown_column(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ho.csv saved with ',' under delimiter = ';': the separator is named, not 'Mã hộ,Mã thôn'."""
    args = ["validate", *register(folder, households=HOUSEHOLD.replace(";", ","))]
    assert main([*args, "--locale", "vi"]) == 1
    err = capsys.readouterr().err
    assert "dòng tiêu đề được đọc thành một cột duy nhất, 'Mã hộ,Mã thôn'" in err
    assert "hãy dùng --delimiter ','" in err


def test_a_tab_separated_file_is_told_so_and_tab_is_a_separator_everywhere(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """ho.csv saved as Excel's "Unicode Text" (UTF-16, tabs) under delimiter = ';'.

    Its header read as one column had its tabs made spaces ('Mã hộ Mã thôn'): an unknown
    column, not the separator named. The hint then says 'tab', which the mapping file,
    --delimiter and read_csv all take.
    """
    args = ["validate", *register(folder)]
    (folder / "ho.csv").write_text(HOUSEHOLD.replace(";", "\t"), encoding="utf-16")
    assert main([*args, "--locale", "vi"]) == 1
    err = capsys.readouterr().err
    assert "dòng tiêu đề được đọc thành một cột duy nhất, 'Mã hộ\\tMã thôn'" in err
    assert "hãy dùng --delimiter 'tab'" in err
    # As the hint says: every file of the run tab-separated, delimiter = "tab".
    for name, text in (("don_vi.csv", UNITS), ("nk.csv", PERSON)):
        (folder / name).write_text(text.replace(";", "\t"), encoding="utf-16")
    mapping = (folder / "mapping.toml").read_text(encoding="utf-8")
    (folder / "mapping.toml").write_text(
        mapping.replace('delimiter = ";"', 'delimiter = "tab"'), encoding="utf-8"
    )
    assert main(args) == 0, capsys.readouterr().err
    (folder / "mapping.toml").write_text(mapping, encoding="utf-8")
    assert main([*args, "--delimiter", "tab"]) == 0, capsys.readouterr().err
    capsys.readouterr()
    assert main([*args, "--delimiter", "::"]) == 2
    err = capsys.readouterr().err
    assert "--delimiter '::' is not one of ',', ';', '|', 'tab' or 'auto'" in err


def test_read_csv_takes_tab_by_name_and_refuses_unknown_separators(tmp_path: Path) -> None:
    from learnsoc.io.csv import read_csv
    from learnsoc.io.files import FileFormatError

    path = tmp_path / "ho.txt"
    path.write_text("Mã hộ\tMã thôn\nH01\t00004001\n", encoding="utf-8")
    assert read_csv(path, delimiter="tab").header == ("Mã hộ", "Mã thôn")
    assert read_csv(path, delimiter="\\t").header == ("Mã hộ", "Mã thôn")
    with pytest.raises(FileFormatError, match=r"ho.txt: delimiter '::' is not one of"):
        read_csv(path, delimiter="::")
