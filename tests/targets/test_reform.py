"""The 2025 reform: trends across two trees, abolished districts, undated and 2014 targets."""

from __future__ import annotations

import datetime as dt
import json
import warnings
from fractions import Fraction
from typing import Any

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.aggregate.rollup import Rollup, rollup_counts
from learnsoc.errors import HierarchyError, RulebookError
from learnsoc.model.hierarchy import HierarchyDateWarning, HierarchySpec, Level
from learnsoc.targets import Status, load_targets, progress, reexpress
from learnsoc.targets.progress import NOTE_NOT_MOVED
from tests.targets.helpers import province_counts, target_set, value_target


def tree(rows: list[tuple[str, str, str, str | None]], levels: str | HierarchySpec) -> ls.Hierarchy:
    """A tree from (code, name, level, parent) rows."""
    return ls.Hierarchy.from_units(
        {
            "code": [r[0] for r in rows],
            "name": [r[1] for r in rows],
            "level": [r[2] for r in rows],
            "parent_code": [r[3] for r in rows],
        },
        levels=levels,
    )


#: Before 1/7/2025: Tuyên Quang (08) and Hà Giang (02), each with a district.
OLD = tree(
    [
        ("08", "Tỉnh Tuyên Quang", "province", None),
        ("02", "Tỉnh Hà Giang", "province", None),
        ("070", "Thành phố Tuyên Quang", "district", "08"),
        ("024", "Thành phố Hà Giang", "district", "02"),
        ("02215", "Phường Phan Thiết", "commune", "070"),
        ("02218", "Phường Minh Xuân", "commune", "070"),
        ("00688", "Phường Quang Trung", "commune", "024"),
        ("T1", "Tổ 1", "village", "02215"),
        ("T2", "Tổ 2", "village", "02218"),
        ("T3", "Tổ 3", "village", "00688"),
    ],
    "vn-pre-2025",
)
#: From 1/7/2025: the new Tuyên Quang (still code 08) takes in Hà Giang; two old wards merge.
NEW = tree(
    [
        ("08", "Tỉnh Tuyên Quang", "province", None),
        ("02215", "Phường Minh Xuân", "commune", "08"),
        ("00688", "Phường Hà Giang 1", "commune", "08"),
        ("T1", "Tổ 1", "village", "02215"),
        ("T3", "Tổ 3", "village", "00688"),
    ],
    "vn-2025",
)
CROSSWALK = ls.Crosswalk.from_pairs(
    OLD,
    NEW,
    {"source_code": ["02215", "02218", "00688"], "target_code": ["02215", "02215", "00688"]},
    level="commune",
)


def communes(h: ls.Hierarchy, **columns: dict[str, int]) -> Rollup:
    """Per-commune counts (by commune code) rolled up over ``h``."""
    codes = h.codes_at("commune").tolist()
    table: dict[str, Any] = {"unit_code": codes}
    table.update({name: [values[c] for c in codes] for name, values in columns.items()})
    return rollup_counts(table, h, level="commune", strict=True)


def old_2024() -> Rollup:
    return communes(
        OLD,
        families={"02215": 100, "02218": 50, "00688": 200},
        learning_families={"02215": 40, "02218": 20, "00688": 90},
    )


def new_2026() -> Rollup:
    return communes(
        NEW,
        families={"02215": 160, "00688": 210},
        learning_families={"02215": 100, "00688": 120},
    )


FAMILIES_2030 = value_target("learning_families", "70", year=2030, level="province")


def test_two_trees_without_a_crosswalk_are_refused() -> None:
    """Old and new Tuyên Quang are both '08': never compared by code alone."""
    with pytest.raises(HierarchyError) as err:
        progress({2024: old_2024(), 2026: new_2026()}, target_set(FAMILIES_2030), year=2030)
    message = str(err.value)
    for words in ("'vn-pre-2025'", "'vn-2025'", "never matched by code", "crosswalk="):
        assert words in message


def test_same_code_in_two_versions_of_a_custom_tree_is_not_matched() -> None:
    """Two trees with the same levels but different versions: '08' is not the same unit."""
    levels = [Level("province")]
    before = HierarchySpec("tq-2024", levels, valid_until=dt.date(2025, 6, 30))
    after = HierarchySpec("tq-2025", levels, valid_from=dt.date(2025, 7, 1))
    old = tree([("08", "Tuyên Quang", "province", None)], before)
    new = tree([("08", "Tuyên Quang", "province", None)], after)
    data = {
        2024: rollup_counts(
            {"unit_code": ["08"], "families": [100], "learning_families": [40]}, old
        ),
        2026: rollup_counts(
            {"unit_code": ["08"], "families": [300], "learning_families": [200]}, new
        ),
    }
    with pytest.raises(HierarchyError, match=r"'tq-2024'.*'tq-2025'"):
        progress(data, target_set(FAMILIES_2030), year=2030)


def test_a_crosswalk_re_expresses_the_earlier_counts_exactly() -> None:
    """2024 counts of the old tree moved into the new one, then a trend computed by hand.

    Re-expressed 2024: new 02215 = old 02215 + 02218 = 60 / 150, new 00688 = 90 / 200,
    province 08 = 150 / 350. 2026: 100 / 160, 120 / 210, province 220 / 370.
    """
    prog = progress(
        {2024: old_2024(), 2026: new_2026()},
        target_set(FAMILIES_2030),
        year=2030,
        crosswalk=CROSSWALK,
    )
    cols = prog.columns
    assert cols["unit_code"].tolist() == ["08"]
    assert (int(cols["numerator"][0]), int(cols["denominator"][0])) == (220, 370)
    before, after = Fraction(150 * 100, 350), Fraction(220 * 100, 370)
    assert float(cols["trend"][0]) == pytest.approx(float((after - before) / 2), rel=1e-12)
    assert float(cols["required"][0]) == pytest.approx(float((70 - after) / 4), rel=1e-12)
    assert prog.statuses() == [Status.ON_TRACK]  # 8.30 a year against 2.64 needed
    communes_prog = progress(
        {2024: old_2024(), 2026: new_2026()},
        target_set(FAMILIES_2030),
        year=2030,
        levels=["commune"],
        crosswalk=CROSSWALK,
    )
    trend = dict(
        zip(
            communes_prog.columns["unit_code"].tolist(), communes_prog.columns["trend"], strict=True
        )
    )
    assert trend["02215"] == pytest.approx((62.5 - 40.0) / 2)
    assert trend["00688"] == pytest.approx((float(Fraction(12000, 210)) - 45.0) / 2)


def test_reexpress_moves_every_measure_and_keeps_the_total() -> None:
    moved, dropped = reexpress(old_2024(), CROSSWALK)
    assert dropped == ()
    assert moved.hierarchy is NEW
    assert moved.codes().tolist() == ["08", "00688", "02215", ""]
    assert moved.counts["families"].tolist() == [350, 200, 150, 350]
    assert moved.counts["learning_families"].tolist() == [150, 90, 60, 150]
    assert moved.counts["families"].dtype.kind == "i"


def test_measures_counted_above_the_crosswalk_level_are_left_out_with_a_note() -> None:
    """A count given per district cannot be placed in a tree without districts."""
    per_district = rollup_counts(
        {"unit_code": ["070", "024"], "families": [150, 200], "learning_families": [60, 90]},
        OLD,
        level="district",
    )
    moved, dropped = reexpress(per_district, CROSSWALK)
    assert {"families", "learning_families"} <= set(dropped)
    assert "families" not in moved.counts and moved.codes().tolist() == ["08", "00688", "02215", ""]
    prog = progress(
        {2024: per_district, 2026: new_2026()},
        target_set(FAMILIES_2030),
        year=2030,
        crosswalk=CROSSWALK,
    )
    said = [n.text(prog.targets, "vi") for n in prog.notes if n.message == NOTE_NOT_MOVED]
    # The target's measures only, in the reader's words (the ids were printed in vi too).
    assert said == [
        "2024: số liệu Số gia đình, Số Gia đình học tập được tính ở đơn vị cao hơn cấp của "
        "bảng chuyển đổi, nên không chuyển được sang danh mục đơn vị hành chính mới"
    ]
    (en,) = [n.text(prog.targets, "en") for n in prog.notes if n.message == NOTE_NOT_MOVED]
    assert en.startswith("2024: the measures families, learning_families are counted")
    assert prog.statuses() == [Status.NOT_MET]  # no trend: one year left with data


def test_a_year_outside_its_tree_warns() -> None:
    """2026 counts on the pre-2025 tree: the districts named no longer existed."""
    with pytest.warns(HierarchyDateWarning, match=r"2026 .*'vn-pre-2025'.*until 2025-06-30") as w:
        progress({2026: old_2024()}, target_set(FAMILIES_2030), year=2030)
    (warning,) = [x.message for x in w if isinstance(x.message, HierarchyDateWarning)]
    assert str(warning).startswith("the 2026 rollup is on the tree 'vn-pre-2025'")
    assert warning.localized("vi").startswith("bảng tổng hợp năm 2026 ")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        progress({2025: old_2024()}, target_set(FAMILIES_2030), year=2030)  # partly valid


PRESETS_3 = ls.PRESETS["vn-2025"].levels


def test_wrong_trees_and_dates_are_clear_errors() -> None:
    """Each names the value and the choices."""
    with pytest.raises(HierarchyError, match="valid until 2024-01-01, before it starts"):
        HierarchySpec("x", [Level("a")], dt.date(2025, 1, 1), dt.date(2024, 1, 1))
    other = tree(
        [
            ("01", "Hà Nội", "province", None),
            ("00001", "Ba Đình", "commune", "01"),
            ("T9", "Tổ 9", "village", "00001"),
        ],
        HierarchySpec("hn-2020", PRESETS_3, valid_until=dt.date(2020, 12, 31)),
    )
    third = communes(other, families={"00001": 10}, learning_families={"00001": 5})
    with pytest.raises(HierarchyError, match=r"'hn-2020'.*one of: 'vn-2025'.*'vn-pre-2025'"):
        progress(
            {2020: third, 2026: new_2026()},
            target_set(FAMILIES_2030),
            year=2030,
            crosswalk=CROSSWALK,
        )
    with pytest.raises(HierarchyError, match="must lead to the latest rollup's tree"):
        progress({2024: old_2024()}, target_set(FAMILIES_2030), year=2030, crosswalk=CROSSWALK)
    backwards = ls.Crosswalk.from_pairs(
        NEW,
        OLD,
        {"source_code": ["02215", "00688"], "target_code": ["02215", "00688"]},
        level="commune",
    )
    with pytest.raises(HierarchyError, match="backwards in time"):
        progress(
            {2026: new_2026(), 2027: old_2024()},
            target_set(FAMILIES_2030),
            year=2030,
            crosswalk=backwards,
        )


# -- districts after the reform ---------------------------------------------------------


def hanoi_districts() -> ls.TargetSet:
    return load_targets("hanoi-23-nq-tu").select(
        ids=["learning-families-2025", "learning-districts-2025", "preschool-districts-2025"]
    )


@pytest.mark.parametrize(
    ("locale", "label"),
    [
        ("en", "not applicable: the district level was abolished on 1/7/2025"),
        ("vi", "không áp dụng: cấp huyện đã kết thúc hoạt động từ ngày 01/7/2025"),
    ],
)
def test_a_district_target_on_the_new_tree_is_not_applicable(locale: str, label: str) -> None:
    """Never 'no data' asking for district counts; the target's note is shown."""
    prog = progress(new_2026(), hanoi_districts(), year=2025)
    by_target = dict(
        zip([prog.target_of(i).id for i in range(len(prog))], prog.statuses(), strict=True)
    )
    assert by_target == {
        "learning-families-2025": Status.NOT_MET,  # 220 / 370 = 59.46%
        "learning-districts-2025": Status.ABOLISHED,
        "preschool-districts-2025": Status.ABOLISHED,
    }
    text = prog.to_text(locale)
    assert label in text
    note = load_targets("hanoi-23-nq-tu")["learning-districts-2025"].note_in(locale)
    assert note in text
    assert "districts" not in [item for n in prog.notes for item in n.items]
    csv_text = prog.to_csv(locale=locale) or ""
    assert ",abolished,learning-districts-2025," in csv_text
    doc = json.loads(prog.to_json(locale=locale) or "")
    rows = {r["target_id"]: r for r in doc["rows"]}
    assert rows["learning-districts-2025"]["status"] == "abolished"
    assert rows["learning-districts-2025"]["note"] == note
    assert Status.ABOLISHED.display(locale) == label
    for rendered in (prog.to_markdown(locale), prog.to_html(locale)):
        assert note.split(":")[0] in rendered
    assert 'class="ls-status-abolished"' in prog.to_html(locale)


def test_a_target_on_the_district_level_itself_gets_one_row_on_the_total() -> None:
    targets = target_set(value_target("learning_districts", "40", year=2025, level="district"))
    prog = progress(new_2026(), targets, year=2025)
    assert prog.columns["level"].tolist() == ["total"]
    assert prog.statuses() == [Status.ABOLISHED]


def test_district_targets_on_the_old_tree_after_the_reform_are_flagged() -> None:
    """Assessed on the old tree for 2025: computed, with a note that districts ended."""
    roll = rollup_counts(
        {"unit_code": ["070", "024"], "districts": [1, 1], "learning_districts": [1, 0]},
        OLD,
        level="district",
    )
    targets = load_targets("hanoi-23-nq-tu").select(ids=["learning-districts-2025"])
    prog = progress(roll, targets, year=2025)
    # Hà Giang (02): 0 of 1 district; Tuyên Quang (08): 1 of 1.
    assert prog.columns["unit_code"].tolist() == ["02", "08"]
    assert prog.statuses() == [Status.NOT_MET, Status.MET]
    texts = [n.text(prog.targets, "en") for n in prog.notes]
    assert any("districts that no longer exist" in t for t in texts)
    vi = prog.to_text("vi")
    assert "các huyện không còn tồn tại" in vi
    # A 2020 target on the old tree is not flagged.
    old = target_set(value_target("learning_districts", "40", year=2020))
    assert progress(roll, old, year=2020).notes == ()


# -- undated targets -------------------------------------------------------------------


def test_the_undated_unesco_target_is_never_due_in_2025() -> None:
    hanoi = load_targets("hanoi-23-nq-tu")
    unesco = hanoi["unesco-network"]
    assert unesco.undated and unesco.year is None
    assert "trong thời gian sớm nhất" in unesco.note_in("en")
    assert hanoi.years == (2025, 2030)
    assert "unesco-network" not in hanoi.select(year=2025).ids()
    assert "unesco-network" not in hanoi.select(year=2030).ids()
    prog = progress(province_counts(families=100, learning_families=70), hanoi, year=2025)
    assert "unesco-network" not in {prog.target_of(i).id for i in range(len(prog))}
    csv_text = prog.to_csv(locale="en") or ""
    assert "unesco" not in csv_text.lower()
    for locale, words in (("en", "the source sets no deadline"), ("vi", "không quy định thời hạn")):
        text = prog.to_text(locale, page_size=None)
        table, _, notes = text.partition("\n\n" + ("Notes:" if locale == "en" else "Ghi chú:"))
        assert "UNESCO" not in table
        assert "UNESCO" in notes and words in notes


def test_undated_and_dated_forms_in_a_target_file() -> None:
    base = '[[targets]]\nid = "u"\nkind = "qualitative"\nexpected = "joined"\n'
    base += 'label = { vi = "Gia nhập", en = "Join" }\nclause = "1"\n'
    ts = target_set(base + "undated = true\n")
    assert ts["u"].undated and ts.years == () and ts.undated().ids() == ("u",)
    with pytest.raises(RulebookError, match="not both"):
        target_set(base + "undated = true\nyear = 2025\n")
    with pytest.raises(RulebookError, match="undated = true"):
        target_set(base)


# -- Decision 281/QĐ-TTg ---------------------------------------------------------------


def test_281_is_listed_and_judges_2020_counts() -> None:
    """Hand-computed: 700/1000 = 70% (met at the boundary), 99/200 = 49.5% ..."""
    assert "vn-281-qd-ttg" in ls.list_targets()
    ts = ls.load_targets("vn-281-qd-ttg")
    assert ts.date == dt.date(2014, 2, 20) and ts.years == (2020,)
    roll = province_counts(
        families=1000,
        learning_families=700,
        clans=200,
        learning_clans=99,
        communities=50,
        learning_communities=29,
        units=80,
        learning_units=40,
    )
    prog = progress({2020: roll}, ts)
    assert prog.year == 2020
    got = {
        prog.target_of(i).id: (prog.statuses()[i], float(prog.columns["gap"][i]))
        for i in range(len(prog))
    }
    assert got == {
        "learning-families-2020": (Status.MET, 0.0),
        "learning-clans-2020": (Status.NOT_MET, -0.5),
        "learning-communities-2020": (Status.NOT_MET, -2.0),
        "learning-units-2020": (Status.MET, 0.0),
        "learning-families-difficult-2020": (Status.MET, 10.0),
        "learning-clans-difficult-2020": (Status.MET, 9.5),
        "learning-communities-difficult-2020": (Status.MET, 8.0),
    }
    assert "Quyết định 281/QĐ-TTg" in prog.to_text("vi")


def test_the_cli_lists_281_and_the_undated_target(capsys: pytest.CaptureFixture[str]) -> None:
    from learnsoc.cli import main

    assert main(["targets"]) == 0
    out = capsys.readouterr().out
    assert "vn-281-qd-ttg  Decision 281/QĐ-TTg" in out
    assert "2014-02-20; 7 targets for the year 2020" in out
    assert "51 targets for 2025, 2030 (+1 without a deadline)" in out


def test_a_crosswalk_between_two_drawings_of_one_custom_tree_is_applied() -> None:
    """Trees of the same version: the crosswalk given is used, not the codes (C is split)."""
    levels = ["province", "commune"]
    old = ls.Hierarchy.from_units(
        {
            "code": ["P", "A", "C"],
            "level": ["province", "commune", "commune"],
            "parent_code": [None, "P", "P"],
        },
        levels,
    )
    new = ls.Hierarchy.from_units(
        {
            "code": ["P", "A", "Y"],
            "level": ["province", "commune", "commune"],
            "parent_code": [None, "P", "P"],
        },
        levels,
    )
    split = ls.Crosswalk.from_pairs(
        old,
        new,
        {"source_code": ["A", "C", "C"], "target_code": ["A", "A", "Y"], "weight": [1, 0.5, 0.5]},
        level="commune",
    )
    data = {
        2022: communes(old, families={"A": 100, "C": 100}, learning_families={"A": 40, "C": 60}),
        2024: communes(new, families={"A": 150, "Y": 50}, learning_families={"A": 90, "Y": 30}),
    }
    prog = progress(
        data,
        target_set(value_target("learning_families", "70", year=2030, level="commune")),
        year=2030,
        crosswalk=split,
    )
    trend = dict(zip(prog.columns["unit_code"].tolist(), prog.columns["trend"], strict=True))
    # 2022 in the new tree: A = 100 + 50 families, 40 + 30 learning (46.67%); Y = 50 / 30 (60%).
    assert trend["A"] == pytest.approx((60.0 - float(Fraction(7000, 150))) / 2)
    assert trend["Y"] == pytest.approx(0.0)


# -- two drawings of one tree version, without a crosswalk ------------------------------


def _custom(rows: list[tuple[str, str | None]]) -> ls.Hierarchy:
    """A tree without a name or dates (levels province, commune): every one has one version."""
    return ls.Hierarchy.from_units(
        {
            "code": [r[0] for r in rows],
            "level": ["province" if r[1] is None else "commune" for r in rows],
            "parent_code": [r[1] for r in rows],
        },
        ["province", "commune"],
    )


#: 2024: three communes; 2026: 00002 merged into 00001, which kept its code.
BEFORE_MERGE = _custom([("01", None), ("00001", "01"), ("00002", "01"), ("00003", "01")])
AFTER_MERGE = _custom([("01", None), ("00001", "01"), ("00003", "01")])


def _merge_years() -> dict[int, Rollup]:
    return {
        2024: communes(
            BEFORE_MERGE,
            families={"00001": 100, "00002": 100, "00003": 100},
            learning_families={"00001": 90, "00002": 10, "00003": 50},
        ),
        2026: communes(
            AFTER_MERGE,
            families={"00001": 200, "00003": 100},
            learning_families={"00001": 120, "00003": 60},
        ),
    }


def test_a_merged_commune_is_not_compared_with_its_own_former_figure() -> None:
    """Same version, redrawn units: commune 00001 of 2026 holds the people of 00001 and 00002.

    Matched by code it had a trend of (60% - 90%) / 2 = -15 points a year, "off track",
    without a word: its 2024 figure was the old 00001 alone. Refused now, naming the unit.
    """
    families = target_set(value_target("learning_families", "80", year=2030, level="commune"))
    with pytest.raises(HierarchyError) as err:
        progress(_merge_years(), families, year=2030)
    message = str(err.value)
    assert message.startswith(
        "the 2024 rollup and the 2026 rollup are over two drawings of the tree 'custom' (valid "
        "no dates; levels province, commune): commune '00002' is in the 2024 rollup but not "
        "in the 2026 rollup, so a code may name another area in each"
    )
    assert "crosswalk=ls.Crosswalk.from_pairs" in message
    assert err.value.code == "00002"
    with ls.use_locale("vi"):
        assert "'00002'" in err.value.localized("vi")
        assert "hai bản vẽ khác nhau" in err.value.localized("vi")


def test_with_the_crosswalk_the_merged_commune_trend_is_the_hand_one() -> None:
    """2024 re-expressed: 00001 = (90 + 10) / (100 + 100) = 50%; 2026: 120 / 200 = 60%.

    Trend (60 - 50) / 2 = +5 a year against (80 - 60) / 4 = +5 needed: on track. The
    province: 150 / 300 = 50% then 180 / 300 = 60%, the same +5.
    """
    merge = ls.Crosswalk.from_pairs(
        BEFORE_MERGE,
        AFTER_MERGE,
        {"source_code": ["00001", "00002", "00003"], "target_code": ["00001", "00001", "00003"]},
        level="commune",
    )
    families = target_set(value_target("learning_families", "80", year=2030))
    prog = progress(
        _merge_years(), families, year=2030, levels=["province", "commune"], crosswalk=merge
    )
    cols = prog.columns
    trend = dict(zip(cols["unit_code"].tolist(), cols["trend"].tolist(), strict=True))
    assert trend == pytest.approx({"01": 5.0, "00001": 5.0, "00003": 5.0})
    assert prog.statuses() == [Status.ON_TRACK] * 3


def test_a_commune_under_another_parent_is_refused_too() -> None:
    """A commune moved to another province changes both provinces' figures."""
    levels = ["province", "commune"]
    rows = {"code": ["01", "02", "00001", "00002"], "level": ["province"] * 2 + ["commune"] * 2}
    before = ls.Hierarchy.from_units({**rows, "parent_code": [None, None, "01", "02"]}, levels)
    after = ls.Hierarchy.from_units({**rows, "parent_code": [None, None, "01", "01"]}, levels)
    data = {
        2024: communes(
            before, families={"00001": 10, "00002": 10}, learning_families={"00001": 5, "00002": 5}
        ),
        2026: communes(
            after, families={"00001": 10, "00002": 10}, learning_families={"00001": 6, "00002": 6}
        ),
    }
    with pytest.raises(HierarchyError, match="commune '00002' has another parent in the 2024") as e:
        progress(data, target_set(FAMILIES_2030), year=2030)
    # Vietnamese names the level in words ("cấp commune" before).
    assert "cấp xã '00002' thuộc đơn vị cấp trên khác nhau" in e.value.localized("vi")


def test_a_unit_new_in_the_later_drawing_is_still_matched() -> None:
    """A commune that did not exist before has a trend from its first year, as before."""
    data = _merge_years()
    data[2023] = communes(
        AFTER_MERGE,
        families={"00001": 200, "00003": 100},
        learning_families={"00001": 110, "00003": 55},
    )
    del data[2024]
    later = _custom([("01", None), ("00001", "01"), ("00003", "01"), ("00004", "01")])
    data[2026] = communes(
        later,
        families={"00001": 200, "00003": 100, "00004": 50},
        learning_families={"00001": 120, "00003": 60, "00004": 25},
    )
    families = target_set(value_target("learning_families", "80", year=2030, level="commune"))
    trend = progress(data, families, year=2030).columns["trend"].tolist()
    assert trend[:2] == pytest.approx([(60 - 55) / 3, (60 - 55) / 3])
    assert np.isnan(trend[2])  # one year: no trend yet


def test_a_third_drawing_beside_a_crosswalk_is_refused_too() -> None:
    """The crosswalk maps 2024's drawing; 2025's is a third one: not matched by code either."""
    merge = ls.Crosswalk.from_pairs(
        BEFORE_MERGE,
        AFTER_MERGE,
        {"source_code": ["00001", "00002", "00003"], "target_code": ["00001", "00001", "00003"]},
        level="commune",
    )
    third = _custom([("01", None), ("00001", "01"), ("00002", "01"), ("00004", "01")])
    data = _merge_years()
    data[2025] = communes(
        third,
        families={"00001": 100, "00002": 100, "00004": 100},
        learning_families={"00001": 95, "00002": 15, "00004": 50},
    )
    families = target_set(value_target("learning_families", "80", year=2030, level="commune"))
    with pytest.raises(HierarchyError, match="commune '00002' is in the 2025 rollup but not"):
        progress(data, families, year=2030, crosswalk=merge)


def test_villages_merged_inside_a_commune_leave_its_figure_comparable() -> None:
    """Village V2 merged into V1 (same commune): the commune's rows compare, the villages' not.

    Commune C: 2024 30 + 10 = 40 / 100 families, 2026 60 / 100: +10 points a year.
    """
    levels = ["province", "commune", "village"]
    rows: dict[str, list[Any]] = {
        "code": ["01", "C", "V1", "V2"],
        "level": ["province", "commune", "village", "village"],
        "parent_code": [None, "01", "C", "C"],
    }
    before = ls.Hierarchy.from_units(rows, levels)
    after = ls.Hierarchy.from_units({k: v[:3] for k, v in rows.items()}, levels)
    data = {
        2024: rollup_counts(
            {"unit_code": ["V1", "V2"], "families": [50, 50], "learning_families": [30, 10]},
            before,
        ),
        2026: rollup_counts(
            {"unit_code": ["V1"], "families": [100], "learning_families": [60]}, after
        ),
    }
    by_commune = target_set(value_target("learning_families", "80", year=2030, level="commune"))
    assert progress(data, by_commune, year=2030).columns["trend"].tolist() == [10.0]
    with pytest.raises(HierarchyError, match="village 'V2' is in the 2024 rollup but not"):
        progress(data, by_commune, year=2030, levels=["village"])
