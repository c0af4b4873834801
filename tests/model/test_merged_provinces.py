"""An old province left in a units list of 2026 (Hà Giang, merged into Tuyên Quang) is named.

It was read as a province no commune reports to ("total of 2 provinces"), silently.
"""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.io import read_units
from learnsoc.io.units import lenient_units
from learnsoc.model.hierarchy import HierarchyDateWarning
from learnsoc.model.merged_provinces import MERGED_PROVINCES

UNITS_2026 = """\
Mã;Tên;Cấp;Mã cấp trên
02;Tỉnh Hà Giang;Tỉnh;
08;Tỉnh Tuyên Quang;Tỉnh;
00688;Phường Hà Giang 1;Phường;08
02215;Phường Minh Xuân;Phường;08
"""
#: A tree of levels without districts, in force from 2026 by its dates.
TREE_2026 = ls.HierarchySpec(
    "tq-2026", [ls.Level("province"), ls.Level("commune")], valid_from=dt.date(2026, 1, 1)
)
TREE_2024 = ls.HierarchySpec(
    "tq-2024", [ls.Level("province"), ls.Level("commune")], valid_until=dt.date(2025, 6, 30)
)
Levels = str | ls.HierarchySpec | list[str]


def _read(tmp_path: Path, text: str, levels: Levels) -> ls.Hierarchy:
    (tmp_path / "units.csv").write_text(text, encoding="utf-8")
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        '[mapping]\ndelimiter = ";"\n[unit.columns]\n"Mã" = "code"\n"Tên" = "name"\n'
        '"Cấp" = "level"\n"Mã cấp trên" = "parent_code"\n',
        encoding="utf-8",
    )
    tree, rejected = read_units(tmp_path / "units.csv", levels=levels, mapping=mapping)
    assert rejected.counts()["unit"][2] == 0  # a warning, nothing refused
    return tree


@pytest.mark.parametrize("levels", ["vn-2025", TREE_2026])
def test_an_old_province_in_a_2026_list_is_named_with_the_one_it_went_into(
    tmp_path: Path, levels: Levels
) -> None:
    """Hà Giang '02' in a 2026 list: the warning names it and Tuyên Quang '08', en and vi."""
    text = UNITS_2026
    if levels == "vn-2025":  # the vn-2025 tree goes down to villages
        text += "00688001;Tổ dân phố 1;Tổ dân phố;00688\n00688002;Tổ 2;Tổ dân phố;00688\n"
        text += "02215001;Tổ dân phố 1;Tổ dân phố;02215\n"
    with pytest.warns(HierarchyDateWarning) as caught:
        tree = _read(tmp_path, text, levels)
    assert tree.codes_at("province").tolist() == ["02", "08"]  # kept, as read
    said = [w.message for w in caught if "merged" in str(w.message)]
    assert len(said) == 1
    message = said[0]
    assert isinstance(message, HierarchyDateWarning)
    # Named by its file, line and code column, as the file's rejects are (labels14).
    assert str(message).startswith(
        f"{tmp_path / 'units.csv'}, line 2, column Mã: province '02' (Tỉnh Hà Giang) was "
        "merged into '08' (Tỉnh Tuyên Quang) on 2025-07-01; on a tree of that day or later "
        "no commune reports to it"
    )
    assert message.localized("vi").startswith(
        f"{tmp_path / 'units.csv'}, dòng 2, cột Mã: tỉnh '02' (Tỉnh Hà Giang) đã được sáp "
        "nhập vào '08' (Tỉnh Tuyên Quang) từ ngày 01/7/2025"
    )


def test_several_old_provinces_are_counted_and_one_named(tmp_path: Path) -> None:
    """Hà Giang (into Tuyên Quang) and Bà Rịa - Vũng Tàu (into Hồ Chí Minh City), unaccented."""
    text = UNITS_2026 + "77;Ba Ria-Vung Tau;Tỉnh;\n79;Thành phố Hồ Chí Minh;Thành phố;\n"
    text += "26734;Phường Sài Gòn;Phường;79\n"
    said = r"units\.csv, line 2, column Mã: 2 provinces were merged"
    with pytest.warns(HierarchyDateWarning, match=said) as caught:
        _read(tmp_path, text, TREE_2026)
    assert "e.g. '02' (Tỉnh Hà Giang) into '08' (Tỉnh Tuyên Quang)" in str(caught[0].message)


@pytest.mark.parametrize(
    ("text", "levels"),
    [
        # A custom tree numbering its own provinces: '02' is not Hà Giang.
        (UNITS_2026.replace("02;Tỉnh Hà Giang", "02;Tỉnh Thứ Hai"), TREE_2026),
        # The list of 2024, with its districts: Hà Giang was a province then.
        (
            "Mã;Tên;Cấp;Mã cấp trên\n02;Tỉnh Hà Giang;Tỉnh;\n024;Thành phố Hà Giang;Thành phố;02\n"
            "00688;Phường Quang Trung;Phường;024\n",
            ["province", "district", "commune"],
        ),
        # Without districts: a tree that ended on 30/6/2025, and one of levels alone (no
        # dates: a list of 2024 with its districts left out, reported with --year 2024).
        (UNITS_2026, TREE_2024),
        (UNITS_2026, ["province", "commune"]),
        # Levels alone, a list of 2024 without its districts: Yên Bái still had '15'.
        (
            UNITS_2026 + "15;Tỉnh Yên Bái;Tỉnh;\n04252;Phường Yên Bái;Phường;15\n",
            "province,commune",
        ),
        # Levels alone, a custom tree that numbers its own '15' and '02'.
        (
            UNITS_2026.replace("02;Tỉnh Hà Giang", "02;Tỉnh Thứ Hai")
            + "15;Tỉnh Lào Cai;Tỉnh;\n04252;Phường Yên Bái;Phường;15\n",
            ["province", "commune"],
        ),
    ],
)
def test_a_province_that_is_no_merged_one_says_nothing(
    tmp_path: Path, text: str, levels: Levels
) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tree = _read(tmp_path, text, levels)
    assert "02" in tree.codes_at("province").tolist()


def test_the_lenient_loader_says_it_too() -> None:
    """lenient_units, which read_units builds its tree with, on columns in memory."""
    units = {
        "code": ["02", "00688"],
        "name": ["Hà Giang", "Phường Hà Giang 1"],
        "level": ["province", "commune"],
        "parent_code": ["", "02"],
    }
    with pytest.warns(HierarchyDateWarning, match=r"'02' \(Tỉnh Hà Giang\) was merged into"):
        tree = lenient_units(units, TREE_2026)[0]
    assert tree.n_units("province") == 1


def test_the_merged_provinces_are_those_of_the_national_lists() -> None:
    """Checked against the package's lists and crosswalk: each old province's communes."""
    pytest.importorskip("vietnamadminunits")
    old = ls.vietnam_units("vn-pre-2025")
    new = ls.vietnam_units("vn-2025")
    names_old = dict(zip(old.codes.tolist(), old.names.tolist(), strict=True))
    names_new = dict(zip(new.codes.tolist(), new.names.tolist(), strict=True))
    gone = sorted(set(old.codes_at("province").tolist()) - set(new.codes_at("province").tolist()))
    assert sorted(MERGED_PROVINCES) == gone and len(gone) == 63 - 34
    # Where each old province's communes went, by the crosswalk.
    cw = ls.vietnam_crosswalk(old, new)
    old_province = old.codes_at("province")[old.ancestor_index("commune", "province")]
    new_province = new.codes_at("province")[new.ancestor_index("commune", "province")]
    went = {
        (str(a), str(b))
        for a, b in zip(old_province[cw.source_index], new_province[cw.target_index], strict=True)
    }
    for code, (name, into, into_name) in MERGED_PROVINCES.items():
        assert {b for a, b in went if a == code} == {into}
        assert (names_old[code], names_new[into]) == (name, into_name)
    assert np.isin(list(MERGED_PROVINCES), new.codes).sum() == 0


#: A list of 2026 read on levels alone: the new Lào Cai ('15', Yên Bái's code until
#: 30/6/2025) says it is of the new tree; Hà Giang ('02') on line 4 is an old province.
UNITS_2026_LEVELS = """\
Mã;Tên;Cấp;Mã cấp trên
15;Tỉnh Lào Cai;Tỉnh;
04252;Phường Yên Bái;Phường;15
02;Tỉnh Hà Giang;Tỉnh;
08;Tỉnh Tuyên Quang;Tỉnh;
02215;Phường Minh Xuân;Phường;08
"""


def test_a_2026_list_read_on_levels_alone_names_an_old_province(tmp_path: Path) -> None:
    """--levels province,commune has no dates: the new Lào Cai '15' says the list's year.

    It was silent: a tree of levels alone was never taken for the new one.
    """
    with pytest.warns(HierarchyDateWarning) as caught:
        _read(tmp_path, UNITS_2026_LEVELS, "province,commune")
    said = [w.message for w in caught if "merged" in str(w.message)]
    assert len(said) == 1
    assert str(said[0]) == (
        f"{tmp_path / 'units.csv'}, line 4, column Mã: province '02' (Tỉnh Hà Giang) was "
        "merged into '08' (Tỉnh Tuyên Quang) on 2025-07-01 (the list is of that day or "
        "later: it names '15' Tỉnh Lào Cai, as provinces have been named only since "
        "2025-07-01); on a tree of that day or later no commune reports to it: list its "
        "communes under '08', or read a list of before the reform with its own levels "
        "(vn-pre-2025, with its districts)"
    )
    assert isinstance(said[0], HierarchyDateWarning)
    vi = said[0].localized("vi")
    assert vi.startswith(f"{tmp_path / 'units.csv'}, dòng 4, cột Mã: tỉnh '02' (Tỉnh Hà Giang)")
    assert "'15' là Tỉnh Lào Cai" in vi and "01/7/2025" in vi


def test_the_line_of_a_workbook_is_its_row(tmp_path: Path) -> None:
    """An .xlsx units list: the old province is named by the sheet's row, as its rejects."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for line in UNITS_2026_LEVELS.splitlines():
        sheet.append(line.split(";"))
    book.save(tmp_path / "don_vi.xlsx")
    with pytest.warns(HierarchyDateWarning, match="merged") as caught:
        read_units(tmp_path / "don_vi.xlsx", levels=["province", "commune"])
    said = [str(w.message) for w in caught if "merged" in str(w.message)]
    assert said[0].startswith(f"{tmp_path / 'don_vi.xlsx'}, row 4, column Mã: province '02'")


def test_the_renamed_provinces_are_those_of_the_national_lists() -> None:
    """Codes the new tree names otherwise than the old one did: those, and no other."""
    pytest.importorskip("vietnamadminunits")
    from learnsoc.model.merged_provinces import RENAMED_PROVINCES

    def names(tree: ls.Hierarchy) -> dict[str, str]:
        at = tree.codes_at("province").tolist()
        return {c: str(tree.names[tree.codes.tolist().index(c)]) for c in at}

    old, new = names(ls.vietnam_units("vn-pre-2025")), names(ls.vietnam_units("vn-2025"))
    renamed = {c: n for c, n in new.items() if c in old and old[c] != n}
    assert renamed == dict(RENAMED_PROVINCES)
