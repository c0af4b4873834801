"""Households whose village column holds the village's name (``Thôn Đông``), not its code.

Before, every such household was an ``unknown_unit`` reject (``unit 'Thôn Đông' does not
exist``), its members with it, and nothing said the column held names. A name that one
village of the units file has is now read as that village, with a warning naming the
file and column; a name that villages of two communes share is a reject naming both.
"""

from __future__ import annotations

import unicodedata
import warnings
from pathlib import Path

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.cli import main
from learnsoc.io.rejects import FileReject
from learnsoc.model.unit_names import UnitNamesWarning
from tests.optional import needs

UNITS = (
    "Mã;Tên;Cấp;Mã cấp trên\n"
    "25;Tỉnh Phú Thọ;Tỉnh;\n"
    "07900;Xã Thanh Sơn;Xã;25\n"
    "07900001;Thôn Đông;Thôn;07900\n"
    "07900002;Thôn Tây;Thôn;07900\n"
    "07903;Xã Yên Lập;Xã;25\n"
    "07903001;Thôn Đông;Thôn;07903\n"
    "07903002;Xóm Mới;Xóm;07903\n"
)
MAPPING = """
[mapping]
delimiter = ";"
[person.columns]
"Mã NK" = "person_id"
"Mã hộ" = "household_id"
"Tuổi" = "age"
[household.columns]
"Mã hộ" = "household_id"
"Thôn/xóm" = "unit_code"
"""
PERSONS = "Mã NK;Mã hộ;Tuổi\n1;H1;40\n2;H1;9\n3;H2;70\n3b;H3;30\n4;H4;25\n5;H5;33\n"


def files(folder: Path, villages: list[str]) -> Path:
    (folder / "don_vi.csv").write_text(UNITS, encoding="utf-8-sig")
    (folder / "map.toml").write_text(MAPPING, encoding="utf-8")
    (folder / "nk.csv").write_text(PERSONS, encoding="utf-8-sig")
    rows = [f"H{i};{v}" for i, v in enumerate(villages, start=1)]
    (folder / "ho.csv").write_text("Mã hộ;Thôn/xóm\n" + "\n".join(rows) + "\n", "utf-8-sig")
    return folder


def read(folder: Path) -> tuple[ls.Population, list[warnings.WarningMessage]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        pop = ls.read_population(
            folder / "nk.csv",
            households=folder / "ho.csv",
            units=folder / "don_vi.csv",
            mapping=folder / "map.toml",
        )
    return pop, [w for w in caught if issubclass(w.category, UnitNamesWarning)]


def village_of(pop: ls.Population) -> dict[str, str]:
    cols = pop.columns("household")
    return dict(zip(cols["household_id"].tolist(), cols["unit_code"].tolist(), strict=True))


NFD_TAY = unicodedata.normalize("NFD", "THÔN TÂY")


def test_names_of_one_village_are_read_as_that_village(tmp_path: Path) -> None:
    # Case, decomposed accents, extra spaces, and the name without its kind ('Mới').
    pop, said = read(files(tmp_path, ["Thôn Tây", NFD_TAY, "xóm  mới", "Mới", "07900001"]))
    assert pop.rejects.counts()["household"] == (5, 5, 0)
    assert village_of(pop) == {
        "H1": "07900002",
        "H2": "07900002",
        "H3": "07903002",
        "H4": "07903002",
        "H5": "07900001",  # a code is read as a code
    }
    # Persons per village counted by hand: H1 (2) and H2 (1) in Thôn Tây.
    persons = pop.columns("person")
    home = np.asarray([village_of(pop)[h] for h in persons["household_id"].tolist()])
    assert int((home == "07900002").sum()) == 3
    (warning,) = said
    text = str(warning.message)
    assert text.startswith(f"{tmp_path / 'ho.csv'}, column Thôn/xóm: 4 rows name their unit by")
    assert "'Thôn Tây' as '07900002'" in text


def test_a_name_two_communes_share_is_refused_naming_both(tmp_path: Path) -> None:
    pop, said = read(files(tmp_path, ["Thôn Đông", "Thôn Tây", "thôn đông", "Đông", "Bắc"]))
    assert pop.rejects.counts()["household"] == (5, 1, 4)
    records = [r for r in pop.rejects.records("en") if isinstance(r, FileReject)]
    found = [(r.line, r.reason) for r in records if r.table == "household"]
    assert found == [
        (2, "ambiguous_unit"),
        (4, "ambiguous_unit"),
        (5, "ambiguous_unit"),
        (6, "unknown_unit"),  # a name no village has stays unknown
    ]
    first = pop.rejects.records("en")[0].message
    assert first == (
        f"{tmp_path / 'ho.csv'}, line 2, column Thôn/xóm: unit 'Thôn Đông' is no code, and "
        "several units of the units file have that name: 07900001 (Thôn Đông, Xã Thanh "
        "Sơn), 07903001 (Thôn Đông, Xã Yên Lập); write the code of the unit meant"
    )
    vi = pop.rejects.records("vi")[0].message
    assert "nhiều đơn vị trong tệp đơn vị hành chính có cùng tên này" in vi
    assert village_of(pop) == {"H2": "07900002"}
    assert len(said) == 1


def test_from_columns_reads_names_too() -> None:
    tree = ls.Hierarchy.from_units(
        {
            "code": ["01", "001", "001001", "001002"],
            "name": ["Tỉnh A", "Xã B", "Thôn Đông", "Tổ dân phố 3"],
            "level": ["province", "commune", "village", "village"],
            "parent_code": [None, "01", "001", "001"],
        }
    )
    persons = {"person_id": np.array([1, 2]), "household_id": np.array([1, 2]), "age": [3, 4]}
    households = {"household_id": np.array([1, 2]), "unit_code": np.array(["Đông", "Tổ 3"])}
    with pytest.warns(UnitNamesWarning, match="2 rows name their unit by its name"):
        pop = ls.Population.from_columns(persons, households, tree)
    assert pop.columns("household")["unit_code"].tolist() == ["001001", "001002"]


@needs("openpyxl")
def test_the_command_line_says_it_in_vietnamese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = files(tmp_path, ["Thôn Tây", "Thôn Đông", "Xóm Mới", "Mới", "Thôn Tây"])
    argv = ["validate", str(folder / "nk.csv"), "--households", str(folder / "ho.csv")]
    argv += ["--units", str(folder / "don_vi.csv"), "--mapping", str(folder / "map.toml")]
    argv += ["--locale", "vi", "--rejects", str(tmp_path / "loai.xlsx")]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert "ho.csv, cột Thôn/xóm: 4 dòng ghi đơn vị bằng tên chứ không bằng mã" in err
    assert "hộ gia đình: tên đơn vị trùng với nhiều đơn vị ở cột Thôn/xóm: 1 dòng" in err


TREE = {
    "code": ["25", "07900", "07903", "07900001", "07900002", "07903001"],
    "name": ["Tỉnh Phú Thọ", "Xã Thanh Sơn", "Xã Yên Lập", "Thôn Đông", "Thôn Tây", "Thôn Đông"],
    "level": ["province", "commune", "commune", "village", "village", "village"],
    "parent_code": [None, "25", "25", "07900", "07900", "07903"],
}


def test_counts_of_communes_written_by_name_are_rolled_up() -> None:
    tree = ls.Hierarchy.from_units(TREE)
    counts = {
        "unit_code": np.array(["Xã Thanh Sơn", "yên lập"]),
        "families": np.array([1200, 800]),
        "learning_families": np.array([900, 700]),
    }
    with pytest.warns(UnitNamesWarning, match="'Xã Thanh Sơn' as '07900'"):
        roll = ls.rollup_counts(counts, tree)
    assert roll.rejects is not None and len(roll.rejects) == 0
    cols = roll.to_columns()
    province = cols["code"].tolist().index("25")
    # 900 + 700 learning families of 1200 + 800, added by hand.
    assert (cols["families"][province], cols["learning_families"][province]) == (2000, 1600)


def test_counts_by_name_refuse_a_shared_name_and_a_unit_written_twice() -> None:
    tree = ls.Hierarchy.from_units(TREE)
    counts = {
        "unit_code": np.array(["Xã Thanh Sơn", "07900", "Thôn Đông", "Xã Yên Lập"]),
        "families": np.array([1200, 800, 5, 3]),
        "learning_families": np.array([900, 700, 5, 3]),
    }
    with pytest.warns(UnitNamesWarning):
        roll = ls.rollup_counts(counts, tree)
    assert roll.rejects is not None
    found = [(r.row, r.value, r.reason) for r in roll.rejects.records("en")]
    assert found == [
        (0, "Xã Thanh Sơn", "duplicate_id"),  # the same commune as the next row
        (1, "07900", "duplicate_id"),
        (2, "Thôn Đông", "ambiguous_unit"),
    ]
    assert "07900001 (Thôn Đông, Xã Thanh Sơn), 07903001 (Thôn Đông, Xã Yên Lập)" in (
        roll.rejects.records("en")[2].message
    )


def test_a_name_a_district_and_its_commune_share_is_refused_naming_both() -> None:
    """``Thanh Sơn`` is the district Huyện Thanh Sơn and the commune Xã Thanh Sơn."""
    tree = ls.Hierarchy.from_units(
        {
            "code": ["25", "235", "07900", "07903"],
            "name": ["Tỉnh Phú Thọ", "Huyện Thanh Sơn", "Xã Thanh Sơn", "Xã Yên Lập"],
            "level": ["province", "district", "commune", "commune"],
            "parent_code": [None, "25", "235", "235"],
        },
        levels=["province", "district", "commune"],
    )
    counts = {
        "unit_code": np.array(["Thanh Sơn", "07903"]),
        "families": np.array([1200, 800]),
    }
    roll = ls.rollup_counts(counts, tree)
    assert roll.rejects is not None
    (reject,) = roll.rejects.records("en")
    assert reject.reason == "ambiguous_unit"
    assert "235 (Huyện Thanh Sơn, Tỉnh Phú Thọ), 07900 (Xã Thanh Sơn, Huyện Thanh Sơn)" in (
        reject.message
    )
