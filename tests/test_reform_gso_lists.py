"""A provincial statistician's files typed from the statistics office's lists, 2024 and 2026.

New Tuyên Quang (08) is old Tuyên Quang and old Hà Giang (02). The 2024 units list writes
a provincial capital's level as the office does, ``Thành phố`` (a district then), and a
centrally-run city's as ``Thành phố Trung ương``; the counts and the crosswalk were kept
in a spreadsheet that dropped the leading zeros (``688`` for ``00688``).

=====================  ==============================  ========  =========  ==============
old commune (2024)     district, province              families  learning   new commune
=====================  ==============================  ========  =========  ==============
00688 Quang Trung      024 Thành phố Hà Giang, 02      1200      900        00688 Hà Giang 1
00691 Trần Phú         024 Thành phố Hà Giang, 02      800       500        00688 Hà Giang 1
00694 Ngọc Đường       024 Thành phố Hà Giang, 02      600       300        00694 (its own)
02215 Phan Thiết       070 Thành phố Tuyên Quang, 08   1500      1200       02215 Minh Xuân
02218 Minh Xuân        070 Thành phố Tuyên Quang, 08   1000      700        02215 Minh Xuân
02221 Tràng Đà         070 Thành phố Tuyên Quang, 08   501       251        0.6 to 02215,
                                                                           0.4 to 02230
02227 Thượng Lâm       071 Huyện Lâm Bình, 08          400       100        02227 (its own)
=====================  ==============================  ========  =========  ==============

The merged commune 02215 is named after one of its old communes (Minh Xuân) but keeps the
code of another (Phan Thiết). Tràng Đà's 501 families are split 300.6 / 200.4: by largest
remainder 301 go to 02215 and 200 to 02230; its 251 learning families 150.6 / 100.4: 151
and 100. So 2024 on the 2026 tree: 00688 1400/2000, 00694 300/600, 02215
(1200+700+151)/(1500+1000+301) = 2051/2801, 02227 100/400, 02230 100/200, province
3951/6001 (every family once: 6001 is the sum of the column).
"""

from __future__ import annotations

import csv
import warnings
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.cli import main
from learnsoc.io import FileReject, read_counts, read_units
from learnsoc.model.population import LeadingZerosWarning
from learnsoc.targets import reexpress

UNITS_2024 = """\
Mã;Tên;Cấp;Mã cấp trên
02;Tỉnh Hà Giang;Tỉnh;
024;Thành phố Hà Giang;Thành phố;02
00688;Phường Quang Trung;Phường;024
00691;Phường Trần Phú;Phường;024
00694;Xã Ngọc Đường;Xã;024
08;Tỉnh Tuyên Quang;Tỉnh;
070;Thành phố Tuyên Quang;Thành phố;08
02215;Phường Phan Thiết;Phường;070
02218;Phường Minh Xuân;Phường;070
02221;Xã Tràng Đà;Xã;070
071;Huyện Lâm Bình;Huyện;08
02227;Xã Thượng Lâm;Xã;071
"""
UNITS_2026 = """\
Mã;Tên;Cấp;Mã cấp trên
08;Tỉnh Tuyên Quang;Tỉnh;
00688;Phường Hà Giang 1;Phường;08
00694;Xã Ngọc Đường;Xã;08
02215;Phường Minh Xuân;Phường;08
02230;Phường An Tường;Phường;08
02227;Xã Thượng Lâm;Xã;08
"""
# Kept in a spreadsheet whose code columns are numbers: the zeros are gone.
COUNTS_2024 = """\
Mã xã;Tên xã;Số gia đình;Gia đình học tập
688;Phường Quang Trung;1200;900
691;Phường Trần Phú;800;500
694;Xã Ngọc Đường;600;300
2215;Phường Phan Thiết;1500;1200
2218;Phường Minh Xuân;1000;700
2221;Xã Tràng Đà;501;251
2227;Xã Thượng Lâm;400;100
"""
COUNTS_2026 = """\
Mã xã;Tên xã;Số gia đình;Gia đình học tập
688;Phường Hà Giang 1;2050;1600
694;Xã Ngọc Đường;620;400
2215;Phường Minh Xuân;2800;2300
2230;Phường An Tường;210;150
2227;Xã Thượng Lâm;410;200
"""
CROSSWALK = """\
Mã xã cũ;Mã xã mới;Tỷ lệ
688;688;1
691;688;1
694;694;1
2215;2215;1
2218;2215;1
2221;2215;0.6
2221;2230;0.4
2227;2227;1
"""
MAPPING = """\
[mapping]
delimiter = ";"
[unit.columns]
"Mã" = "code"
"Tên" = "name"
"Cấp" = "level"
"Mã cấp trên" = "parent_code"
[counts.columns]
"Mã xã" = "unit_code"
"Số gia đình" = "families"
"Gia đình học tập" = "learning_families"
"""
OLD_LEVELS = ["province", "district", "commune"]
NEW_LEVELS = ["province", "commune"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    files = {
        "units_2024.csv": UNITS_2024,
        "units_2026.csv": UNITS_2026,
        "counts_2024.csv": COUNTS_2024,
        "counts_2026.csv": COUNTS_2026,
        "crosswalk.csv": CROSSWALK,
        "mapping.toml": MAPPING,
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def trees(folder: Path) -> tuple[ls.Hierarchy, ls.Hierarchy]:
    old, rejected_old = read_units(
        folder / "units_2024.csv", levels=OLD_LEVELS, mapping=folder / "mapping.toml"
    )
    new, rejected_new = read_units(
        folder / "units_2026.csv", levels=NEW_LEVELS, mapping=folder / "mapping.toml"
    )
    assert rejected_old.counts()["unit"] == (12, 12, 0)
    assert rejected_new.counts()["unit"] == (6, 6, 0)
    return old, new


def crosswalk_pairs(text: str) -> dict[str, list[str]]:
    """The crosswalk file as a user reads it: text columns, one pair a row."""
    rows = list(csv.DictReader(text.splitlines(), delimiter=";"))
    return {
        "source_code": [r["Mã xã cũ"] for r in rows],
        "target_code": [r["Mã xã mới"] for r in rows],
        "weight": [r["Tỷ lệ"] for r in rows],
    }


def rollup(folder: Path, name: str, tree: ls.Hierarchy) -> ls.Rollup:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LeadingZerosWarning)  # the counts' zeros: said
        cols, _ = read_counts(folder / name, mapping=folder / "mapping.toml")
        return ls.rollup_counts(cols, tree)


def test_the_office_s_thanh_pho_districts_are_placed_under_their_province(folder: Path) -> None:
    """A Thành phố under a province is a district: every unit kept, none refused.

    Before, the word naming a province or a district refused both capitals and, with them,
    five of the seven communes: the tree was left without them.
    """
    old, _ = trees(folder)
    assert old.codes_at("district").tolist() == ["024", "070", "071"]
    parents = old.codes_at("province")[old.parent_index("district")]
    assert parents.tolist() == ["02", "08", "08"]
    assert old.n_units("commune") == 7


def test_the_2024_report_on_the_old_tree_is_the_hand_count(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(folder)
    args = ["report", "--counts", "counts_2024.csv", "--units", "units_2024.csv"]
    args += ["--mapping", "mapping.toml", "--levels", ",".join(OLD_LEVELS)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LeadingZerosWarning)
        assert main([*args, "--year", "2024", "--out", "report.csv"]) == 0
    with (folder / "report.csv").open(encoding="utf-8-sig") as fh:
        rows = {r["unit_code"]: r for r in csv.DictReader(fh)}
    hand = {
        "02": (900 + 500 + 300, 1200 + 800 + 600),
        "08": (1200 + 700 + 251 + 100, 1500 + 1000 + 501 + 400),
        "024": (1700, 2600),
        "070": (1200 + 700 + 251, 1500 + 1000 + 501),
        "071": (100, 400),
        "02221": (251, 501),
        "": (3951, 6001),  # the total of the two provinces
    }
    for code, (learning, families) in hand.items():
        row = rows[code]
        assert (int(row["numerator"]), int(row["denominator"])) == (learning, families)
        assert float(row["value"]) == pytest.approx(100 * learning / families)


def test_the_trend_across_the_reform_is_on_the_same_footing(folder: Path) -> None:
    """2024 re-expressed on the 2026 tree through the crosswalk typed without its zeros."""
    old, new = trees(folder)
    with pytest.warns(LeadingZerosWarning) as said:
        cw = ls.Crosswalk.from_pairs(old, new, crosswalk_pairs(CROSSWALK), level="commune")
    assert [str(w.message).split(":")[0] for w in said] == [
        "crosswalk source_code",
        "crosswalk target_code",
    ]
    assert "8 rows had lost the leading zeros" in str(said[0].message)
    assert "(e.g. '688' as '00688')" in str(said[0].message)
    by_year = {
        2024: rollup(folder, "counts_2024.csv", old),
        2026: rollup(folder, "counts_2026.csv", new),
    }
    targets = ls.load_targets("hanoi-23-nq-tu").select(ids=["learning-families-2030"])
    prog = ls.progress(by_year, targets, year=2030, crosswalk=cw, levels=NEW_LEVELS)
    before = {
        "08": Fraction(3951, 6001),
        "00688": Fraction(900 + 500, 1200 + 800),
        "00694": Fraction(300, 600),
        "02215": Fraction(1200 + 700 + 151, 1500 + 1000 + 301),
        "02227": Fraction(100, 400),
        "02230": Fraction(100, 200),
    }
    after = {
        "08": Fraction(1600 + 400 + 2300 + 150 + 200, 2050 + 620 + 2800 + 210 + 410),
        "00688": Fraction(1600, 2050),
        "00694": Fraction(400, 620),
        "02215": Fraction(2300, 2800),
        "02227": Fraction(200, 410),
        "02230": Fraction(150, 210),
    }
    codes = prog.columns["unit_code"].tolist()
    assert sorted(codes) == sorted(before)
    for code, trend in zip(codes, prog.columns["trend"].tolist(), strict=True):
        # Percentage points a year over the two years 2024-2026.
        assert trend == pytest.approx(float(100 * (after[code] - before[code]) / 2))


def test_no_family_is_lost_or_counted_twice_by_the_split(folder: Path) -> None:
    old, new = trees(folder)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LeadingZerosWarning)
        cw = ls.Crosswalk.from_pairs(old, new, crosswalk_pairs(CROSSWALK), level="commune")
    moved = reexpress(rollup(folder, "counts_2024.csv", old), cw)[0]
    families = dict(zip(moved.codes().tolist(), moved.counts["families"].tolist(), strict=True))
    assert families == {
        "08": 6001,
        "00688": 2000,
        "00694": 600,
        "02215": 2801,
        "02227": 400,
        "02230": 200,
        "": 6001,
    }


def test_a_crosswalk_row_to_a_unit_missing_from_the_new_list_names_its_rows(
    folder: Path,
) -> None:
    """Row 7 sends part of Tràng Đà to 02231, row 8 Thượng Lâm to 02228: neither exists."""
    old, new = trees(folder)
    typo = CROSSWALK.replace("2221;2230;0.4", "2221;2231;0.4").replace("2227;2227;1", "2227;2228;1")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LeadingZerosWarning)  # its other rows' zeros
        with pytest.raises(ls.CrosswalkError) as caught:
            ls.Crosswalk.from_pairs(old, new, crosswalk_pairs(typo), level="commune")
    assert str(caught.value) == (
        "crosswalk row 7: target code '2231' does not exist in the target tree 'custom'; "
        "2 rows name codes it lacks (rows 7, 8); add the unit to the target tree's units, "
        "or correct the row"
    )
    assert caught.value.code == "2231"
    assert caught.value.localized("vi") == (
        "bảng chuyển đổi, dòng 7: mã đích '2231' không có trong hệ thống đơn vị hành chính "
        "đích 'custom'; 2 dòng ghi mã không có trong đó (dòng 7, 8); hãy thêm đơn vị vào "
        "danh sách đơn vị của hệ thống đích, hoặc sửa dòng đó"
    )


def test_a_crosswalk_with_zeros_on_a_tree_that_lost_them_says_so(folder: Path) -> None:
    """The units file lost its zeros (688), the crosswalk kept them (00688)."""
    old_units = UNITS_2024.replace("00688;", "688;").replace(";00688", ";688")
    (folder / "units_2024.csv").write_text(old_units, encoding="utf-8")
    mapping = folder / "mapping.toml"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LeadingZerosWarning)  # the units' own: said
        old, _ = read_units(folder / "units_2024.csv", levels=OLD_LEVELS, mapping=mapping)
    new, _ = read_units(folder / "units_2026.csv", levels=NEW_LEVELS, mapping=mapping)
    padded = CROSSWALK.replace("688;", "00688;").replace(";688", ";00688")
    with pytest.raises(ls.CrosswalkError, match=r"^crosswalk row 1: source code '00688'") as caught:
        ls.Crosswalk.from_pairs(old, new, crosswalk_pairs(padded), level="commune")
    assert str(caught.value).endswith(
        "; the tree writes it '688': its units file lost the leading zeros (store the code "
        "column as text in the spreadsheet)"
    )


def test_units_under_a_unit_of_the_old_list_name_it_rejected_not_a_wrong_level(
    folder: Path,
) -> None:
    """A 2026 list with rows of the 2024 one pasted below: each row says what to fix."""
    mixed = UNITS_2026 + ("024;Thành phố Hà Giang;Huyện;08\n00691;Phường Trần Phú;Phường;024\n")
    (folder / "units_2026.csv").write_text(mixed, encoding="utf-8")
    tree, rejected = read_units(
        folder / "units_2026.csv", levels=NEW_LEVELS, mapping=folder / "mapping.toml"
    )
    assert rejected.counts()["unit"] == (8, 6, 2)
    records = [r for r in rejected.records("en") if isinstance(r, FileReject)]
    said = [(r.line, r.reason, r.message) for r in records]
    assert [(line, reason) for line, reason, _ in said] == [
        (8, "unknown_code"),
        (9, "rejected_unit"),  # was wrong_level: "'024' is not at the expected level"
    ]
    assert said[1][2].endswith("column Mã cấp trên: unit '024' was rejected")
    assert tree.n_units("commune") == 5


@pytest.mark.parametrize("levels", [NEW_LEVELS, OLD_LEVELS])
def test_the_office_s_centrally_run_city_is_a_province_on_both_trees(
    tmp_path: Path, levels: list[str]
) -> None:
    """'Thành phố Trung ương' is how the lists write Hà Nội's level: it was refused."""
    rows = ["code;name;level;parent_code", "01;Thành phố Hà Nội;Thành phố Trung ương;"]
    parent = "01"
    if "district" in levels:
        rows.append("001;Quận Ba Đình;Quận;01")
        parent = "001"
    rows.append(f"00004;Phường Ba Đình;Phường;{parent}")
    (tmp_path / "units.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    tree, rejected = read_units(tmp_path / "units.csv", levels=levels, delimiter=";")
    assert rejected.counts()["unit"] == (len(rows) - 1,) * 2 + (0,)
    assert tree.codes_at("province").tolist() == ["01"]
    # Counts typed in a spreadsheet name the ward 4: read as 00004, as the docs say.
    with pytest.warns(LeadingZerosWarning):
        roll = ls.rollup_counts({"unit_code": ["4"], "families": ["10"]}, tree)
    assert roll.counts["families"].tolist()[0] == 10


@pytest.mark.parametrize(
    "word", ["Thành phố trực thuộc TW", "TP trực thuộc TW", "TP. Trung ương", "TP trực thuộc TƯ"]
)
@pytest.mark.parametrize("levels", [NEW_LEVELS, OLD_LEVELS])
def test_the_centrally_run_city_s_abbreviations_are_a_province(
    tmp_path: Path, levels: list[str], word: str
) -> None:
    """'TP trực thuộc TW' is 'Thành phố trực thuộc Trung ương' abbreviated: it was refused.

    On both trees: before the reform a Thành phố under a province is a district, but a
    centrally-run one is a province whatever its parent, so its parent is not asked.
    """
    rows = ["code;name;level;parent_code", f"01;Thành phố Hà Nội;{word};"]
    parent = "01"
    if "district" in levels:
        rows.append("001;Quận Ba Đình;Quận;01")
        parent = "001"
    rows.append(f"00004;Phường Ba Đình;Phường;{parent}")
    (tmp_path / "units.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    tree, rejected = read_units(tmp_path / "units.csv", levels=levels, delimiter=";")
    assert rejected.counts()["unit"] == (len(rows) - 1,) * 2 + (0,)
    assert tree.codes_at("province").tolist() == ["01"]
    assert tree.codes_at("commune").tolist() == ["00004"]


def test_an_old_commune_that_sent_nothing_leaves_its_new_one_out_of_the_trend(
    folder: Path,
) -> None:
    """Trần Phú (00691) sent no 2024 counts: new Hà Giang 1's 2024 figure is Quang Trung's.

    Quang Trung alone, 900/1200 = 75%, beside all of Hà Giang 1 in 2026, 1600/2050 = 78.05%,
    read as +1.52 points a year; the province's 2024 figure lacked Trần Phú's 800 families
    too. Both rows now have no trend, and a note names them; the other communes' trends are
    the hand figures of the full data.
    """
    partial = "\n".join(r for r in COUNTS_2024.splitlines() if not r.startswith("691;")) + "\n"
    (folder / "counts_2024.csv").write_text(partial, encoding="utf-8")
    old, new = trees(folder)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", LeadingZerosWarning)
        cw = ls.Crosswalk.from_pairs(old, new, crosswalk_pairs(CROSSWALK), level="commune")
    by_year = {
        2024: rollup(folder, "counts_2024.csv", old),
        2026: rollup(folder, "counts_2026.csv", new),
    }
    targets = ls.load_targets("hanoi-23-nq-tu").select(ids=["learning-families-2030"])
    prog = ls.progress(by_year, targets, year=2030, crosswalk=cw, levels=NEW_LEVELS)
    trend = dict(
        zip(prog.columns["unit_code"].tolist(), prog.columns["trend"].tolist(), strict=True)
    )
    assert np.isnan(trend["08"]) and np.isnan(trend["00688"])
    hand = {
        "00694": (Fraction(400, 620), Fraction(300, 600)),
        "02215": (Fraction(2300, 2800), Fraction(2051, 2801)),
        "02227": (Fraction(200, 410), Fraction(100, 400)),
        "02230": (Fraction(150, 210), Fraction(100, 200)),
    }
    for code, (after, before) in hand.items():
        assert trend[code] == pytest.approx(float(100 * (after - before) / 2))
    statuses = dict(zip(prog.columns["unit_code"].tolist(), prog.statuses(), strict=True))
    assert str(statuses["00688"]) == "not met"  # no trend says it will be
    notes = [n.text(targets, "en") for n in prog.notes]
    assert (
        "share of learning families: the trend leaves out the 2024 figures of Tỉnh Tuyên "
        "Quang (08), Phường Hà Giang 1 (00688): not every unit under them reported in 2024, "
        "so those figures do not cover what the latest ones do"
    ) in notes
    vi = [n.text(targets, "vi") for n in prog.notes]
    assert (
        "Tỷ lệ Gia đình học tập: xu hướng không tính số liệu năm 2024 của Tỉnh Tuyên Quang "
        "(08) và Phường Hà Giang 1 (00688): năm 2024 không phải mọi đơn vị trực thuộc đều có "
        "báo cáo, nên số liệu đó không bao quát được như số liệu năm gần nhất"
    ) in vi


def test_on_one_tree_a_year_a_commune_missed_is_left_out_of_its_province_s_trend() -> None:
    """Commune 00002 sent nothing in 2024: the province's 2024 figure is 00001's alone."""
    tree = ls.Hierarchy.from_units(
        {
            "code": ["01", "00001", "00002"],
            "level": ["province", "commune", "commune"],
            "parent_code": [None, "01", "01"],
        },
        levels=NEW_LEVELS,
    )
    by_year = {
        2024: ls.rollup_counts(
            {"unit_code": ["00001"], "families": [100], "learning_families": [90]}, tree
        ),
        2026: ls.rollup_counts(
            {
                "unit_code": ["00001", "00002"],
                "families": [100, 100],
                "learning_families": [94, 30],
            },
            tree,
        ),
    }
    targets = ls.load_targets("hanoi-23-nq-tu").select(ids=["learning-families-2030"])
    prog = ls.progress(by_year, targets, year=2030, levels=NEW_LEVELS)
    trend = dict(
        zip(prog.columns["unit_code"].tolist(), prog.columns["trend"].tolist(), strict=True)
    )
    # Was (62% - 90%) / 2 = -14 points a year: the province read the missing commune as decline.
    assert np.isnan(trend["01"])
    assert trend["00001"] == pytest.approx((94 - 90) / 2)
    assert np.isnan(trend["00002"])  # no 2024 figure at all


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        (
            "en",
            "districts.csv, column Mã xã: 3 rows name 3-digit codes (e.g. '024'), as "
            "districts were numbered before 2025-07-01; the tree has no district level "
            "(abolished on that day), so they are rejected: give the counts per commune",
        ),
        (
            "vi",
            "districts.csv, cột Mã xã: 3 dòng ghi mã 3 chữ số (ví dụ '024'), là cách đánh mã "
            "cấp huyện trước ngày 01/7/2025; hệ thống đơn vị hành chính này không có cấp huyện "
            "(đã bãi bỏ từ ngày đó), nên các dòng đó bị loại: hãy nhập số liệu theo từng xã",
        ),
    ],
)
def test_counts_per_district_on_the_new_tree_say_that_districts_are_gone(
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    locale: str,
    said: str,
) -> None:
    """2024 counts per district given with the 2026 list: 3 rows refused, and why.

    Before, only "unknown_unit in Mã xã: 3 rows" (and, in the rejects file, "unit '024'
    does not exist"): nothing said the codes were districts, gone on 1/7/2025. The warning
    then said "counts unit_code": it names the file and its header, as the others do.
    """
    monkeypatch.chdir(folder)
    (folder / "districts.csv").write_text(
        "Mã xã;Số gia đình;Gia đình học tập\n024;2600;1700\n070;3001;2151\n071;400;100\n",
        encoding="utf-8",
    )
    args = ["--locale", locale, "report", "--counts", "districts.csv", "--units"]
    args += ["units_2026.csv", "--mapping", "mapping.toml", "--levels", "province,commune"]
    assert main([*args, "--year", "2026"]) == 1  # rows rejected
    shown = capsys.readouterr()
    assert said in " ".join(shown.err.split())
    # Every row read is rejected, none lost: read 3, accepted 0.
    read = {"en": "read 3, accepted 0, 3 rows rejected", "vi": "đọc 3, nhận 0, 3 dòng bị loại"}
    assert read[locale] in shown.out


def test_a_tree_whose_own_codes_have_3_digits_says_nothing_of_districts() -> None:
    """A custom tree numbering its communes 001: an unknown 009 is no district."""
    tree = ls.Hierarchy.from_units(
        {"code": ["01", "001"], "level": ["province", "commune"], "parent_code": [None, "01"]},
        levels=NEW_LEVELS,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        roll = ls.rollup_counts({"unit_code": ["001", "009"], "families": ["5", "6"]}, tree)
    assert roll.rejects is not None and roll.rejects.counts()["counts"] == (2, 1, 1)
