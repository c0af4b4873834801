"""A 2024 units file (with its districts, *Huyện*) fed to a run of 2026 without --levels.

The default tree is the 2025 one, without districts: every unit under the district was
refused, and the error said only "check --levels", leaving the user to guess which levels.
The file's levels are exactly those of the tree before the reform, so the error names it and
the option that reads the file.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from learnsoc.cli import main
from tests.io.helpers import write

UNITS_2024 = (
    "Mã;Tên;Cấp;Mã cấp trên\n"
    "01;Thành phố Hà Nội;Tỉnh;\n"
    "271;Huyện Ba Vì;Huyện;01\n"
    "09700;Xã Phú Châu;Xã;271\n"
    "09700001;Thôn Đông;Thôn;09700\n"
    "09700002;Thôn Đoài;Thôn;09700\n"
)
UNITS_2025 = (
    "Mã;Tên;Cấp;Mã cấp trên\n"
    "01;Thành phố Hà Nội;Tỉnh;\n"
    "09700;Xã Phú Châu;Xã;01\n"
    "09700001;Thôn Đông;Thôn;09700\n"
    "09700002;Thôn Đoài;Thôn;09700\n"
)
HOUSEHOLDS = "Mã hộ;Mã thôn\nH01;09700001\nH02;09700002\n"
PERSONS = "Mã NK;Mã hộ;Tuổi;Biết chữ\nNK1;H01;40;Có\nNK2;H01;12;Có\nNK3;H02;70;Không\n"
MAPPING = """\
[mapping]
delimiter = ";"
[values.bool]
"Có" = 1
"Không" = 0
[person.columns]
"Mã NK" = "person_id"
"Mã hộ" = "household_id"
"Tuổi" = "age"
"Biết chữ" = "literate"
[household.columns]
"Mã hộ" = "household_id"
"Mã thôn" = "unit_code"
"""
ROLLUP = [
    "rollup",
    "nk.csv",
    "--households",
    "ho.csv",
    "--units",
    "dv.csv",
    "--mapping",
    "m.toml",
    "--rulebook",
    "vn-national",
    "--as-of",
    "31/12/2026",
    "--out",
    "rollup.csv",
]


@pytest.fixture
def files_2024(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "dv.csv", UNITS_2024)
    write(tmp_path, "ho.csv", HOUSEHOLDS)
    write(tmp_path, "nk.csv", PERSONS)
    write(tmp_path, "m.toml", MAPPING)
    return tmp_path


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        (
            "en",
            "the file's are province, district, commune, village, those of the tree "
            "'vn-pre-2025': give --levels vn-pre-2025 / levels = \"vn-pre-2025\" in the "
            "mapping file",
        ),
        (
            "vi",
            # The levels in words, each with the id --levels takes.
            "các cấp của tệp là cấp tỉnh (province), cấp huyện (district), cấp xã (commune), "
            "cấp thôn, tổ dân phố (village), tức các cấp của hệ thống 'vn-pre-2025': hãy dùng "
            '--levels vn-pre-2025 / levels = "vn-pre-2025" trong tệp ánh xạ',
        ),
    ],
)
def test_a_2024_units_file_names_the_tree_it_is_on(
    files_2024: Path, capsys: pytest.CaptureFixture[str], locale: str, said: str
) -> None:
    assert main(["--locale", locale, *ROLLUP]) == 1
    err = capsys.readouterr().err
    assert said in err
    assert not (files_2024 / "rollup.csv").exists()


def test_done_as_it_says_the_file_is_read_and_the_tree_s_end_is_said(
    files_2024: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*ROLLUP, "--levels", "vn-pre-2025"]) == 0
    err = capsys.readouterr().err
    # A run of 2026 on the tree that ended on 30/6/2025 is warned, as the docs say.
    assert "the district level was abolished on 2025-07-01" in err
    with (files_2024 / "rollup.csv").open(encoding="utf-8-sig") as fh:
        rows = {(r["level"], r["code"]): r for r in csv.DictReader(fh)}
    # Counted by hand: NK1 and NK2 in Thôn Đông, NK3 in Thôn Đoài; all under Ba Vì.
    persons = {key: int(r["persons"]) for key, r in rows.items() if key[0] != "total"}
    assert persons == {
        ("province", "01"): 3,
        ("district", "271"): 3,
        ("commune", "09700"): 3,
        ("village", "09700001"): 2,
        ("village", "09700002"): 1,
    }


def test_a_2025_units_file_read_as_the_old_tree_names_the_2025_tree(
    files_2024: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(files_2024, "dv.csv", UNITS_2025)
    assert main([*ROLLUP, "--levels", "vn-pre-2025"]) == 2
    err = capsys.readouterr().err
    assert "level 'district' has no units" in err
    assert "those of the tree 'vn-2025': give --levels vn-2025" in err


def test_a_level_word_of_no_tree_names_none(
    files_2024: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """'Quận huyện' is no level of any tree: the error says only to check the levels."""
    write(files_2024, "dv.csv", UNITS_2024.replace(";Huyện;", ";Quận huyện;"))
    assert main(ROLLUP) == 1
    err = capsys.readouterr().err
    assert "check --levels / levels=" in err
    assert "those of the tree" not in err
