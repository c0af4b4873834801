"""Nine persons on the tree before and the tree after the 2025 reform, counted by hand.

The old tree: province 01; district 001 holds communes 00001 and 00002, district 002
holds commune 00003; one village in each commune. On 1/7/2025 the district level ends
and commune 00002 merges into 00001, which keeps its code. The persons and households are
the same on both trees; only the units above the villages change.

===========  ==========  =================================  ========  ================
village      old parent  persons (age, recognised)          15+       learning citizens
===========  ==========  =================================  ========  ================
0000101      00001       P1 40 yes, P2 38 yes, P3 50 no     3         2
0000201      00002       P4 30 no, P5 8 no                  1         0
0000301      00003       P6 45 yes, P7 20 no, P8 70 no,     4         1
                         P9 33 no
===========  ==========  =================================  ========  ================

So, of all residents / of residents aged 15 and over: old commune 00001 2/3 and 2/3,
00002 0/2 and 0/1, 00003 1/4 and 1/4; the merged commune 00001 (2+0)/(3+2) = 2/5 and
(2+0)/(3+1) = 2/4; district 001 the same 2/5 and 2/4; the province 3/9 and 3/8 on both.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import warnings
from pathlib import Path

import attrs
import pytest

import learnsoc as ls
from learnsoc.cli import main
from tests.optional import needs

OLD_UNITS = """code,name,level,parent_code
01,Tỉnh,province,
001,Huyện A,district,01
002,Huyện B,district,01
00001,Xã 1,commune,001
00002,Xã 2,commune,001
00003,Xã 3,commune,002
0000101,Thôn 1,village,00001
0000201,Thôn 2,village,00002
0000301,Thôn 3,village,00003
"""
NEW_UNITS = """code,name,level,parent_code
01,Tỉnh,province,
00001,Xã 1,commune,01
00003,Xã 3,commune,01
0000101,Thôn 1,village,00001
0000201,Thôn 2,village,00001
0000301,Thôn 3,village,00003
"""
HOUSEHOLDS = """household_id,unit_code
H1,0000101
H2,0000101
H3,0000201
H4,0000301
H5,0000301
"""
PERSONS = """person_id,household_id,age,recognised_learning_citizen
P1,H1,40,1
P2,H1,38,1
P3,H2,50,0
P4,H3,30,0
P5,H3,8,0
P6,H4,45,1
P7,H4,20,0
P8,H5,70,0
P9,H5,33,0
"""
#: (level, code) -> (learning citizens, residents, residents aged 15 and over), by hand.
OLD_FIGURES = {
    ("province", "01"): (3, 9, 8),
    ("district", "001"): (2, 5, 4),
    ("district", "002"): (1, 4, 4),
    ("commune", "00001"): (2, 3, 3),
    ("commune", "00002"): (0, 2, 1),
    ("commune", "00003"): (1, 4, 4),
    ("village", "0000101"): (2, 3, 3),
    ("village", "0000201"): (0, 2, 1),
    ("village", "0000301"): (1, 4, 4),
}
NEW_FIGURES = {
    ("province", "01"): (3, 9, 8),
    ("commune", "00001"): (2, 5, 4),  # 00001 and 00002 merged
    ("commune", "00003"): (1, 4, 4),
    ("village", "0000101"): (2, 3, 3),
    ("village", "0000201"): (0, 2, 1),
    ("village", "0000301"): (1, 4, 4),
}
TREES = {"old": ("vn-pre-2025", OLD_UNITS), "new": ("vn-2025", NEW_UNITS)}
DISTRICTS_GONE = (
    "share of learning districts: assessed on the units before 1/7/2025; the district level "
    "was abolished on that date, so the result describes districts that no longer exist"
)
DISTRICT_ROWS_GONE = (
    "District: assessed on the units before 1/7/2025; the district level was abolished on "
    "that date, so the result describes districts that no longer exist"
)


def files(folder: Path, tree: str) -> list[str]:
    """The hand files on one tree, as the CLI's arguments."""
    levels, units = TREES[tree]
    for name, text in (
        ("persons.csv", PERSONS),
        ("households.csv", HOUSEHOLDS),
        (f"units-{tree}.csv", units),
    ):
        (folder / name).write_text(text, "utf-8")
    return [
        str(folder / "persons.csv"),
        *("--households", str(folder / "households.csv")),
        *("--units", str(folder / f"units-{tree}.csv"), "--levels", levels),
        *("--rulebook", "vn-national", "--quiet"),
    ]


def report_rows(
    tmp_path: Path, tree: str, as_of: str, capsys: pytest.CaptureFixture[str]
) -> dict[tuple[str, str, str], tuple[int, int]]:
    """`learnsoc report --format csv`: (level, code, indicator) -> (numerator, denominator)."""
    argv = ["report", *files(tmp_path, tree), "--as-of", as_of, "--format", "csv"]
    argv += ["--indicators", "learning_citizens,adult_learning_citizens,learning_districts"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    rows = csv.DictReader(io.StringIO(out.lstrip("\ufeff")))
    return {
        (r["level"], r["unit_code"], r["indicator"]): (int(r["numerator"]), int(r["denominator"]))
        for r in rows
        if r["numerator"] != ""
    }


def population(tmp_path: Path, tree: str) -> ls.Population:
    files(tmp_path, tree)
    levels = TREES[tree][0]
    return ls.read_population(
        tmp_path / "persons.csv",
        households=tmp_path / "households.csv",
        units=tmp_path / f"units-{tree}.csv",
        levels=levels,
    )


# -- the same persons on both trees ------------------------------------------------------


@pytest.mark.parametrize(("tree", "as_of"), [("old", "2024-12-31"), ("new", "2025-12-31")])
def test_every_rate_of_the_report_is_the_hand_count(
    tree: str, as_of: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each unit's learning citizens over its residents and its residents 15+, on each tree.

    The merged commune 00001 counts the persons of both former communes (2/5, 2/4), never
    the old 00001's 2/3; districts exist only on the old tree.
    """
    rows = report_rows(tmp_path, tree, as_of, capsys)
    expected = OLD_FIGURES if tree == "old" else NEW_FIGURES
    got = {
        (level, code): (
            rows[(level, code, "learning_citizens")][0],
            rows[(level, code, "learning_citizens")][1],
            rows[(level, code, "adult_learning_citizens")][1],
        )
        for level, code, _ in rows
    }
    assert got == expected
    districts = {key: value for key, value in rows.items() if key[2] == "learning_districts"}
    if tree == "old":  # two districts, neither a learning district without their inputs
        assert districts[("province", "01", "learning_districts")] == (0, 2)
    else:  # no district to count: the rows' counts are blank, never "0 / 0"
        assert districts == {}


def test_the_villages_and_the_province_are_the_same_on_both_trees(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Rows of units the reform did not redraw are equal, figure for figure."""
    old = report_rows(tmp_path, "old", "2025-06-30", capsys)
    new = report_rows(tmp_path, "new", "2025-07-01", capsys)
    for level in ("village", "province"):
        same_old = {k: v for k, v in old.items() if k[0] == level and "district" not in k[2]}
        same_new = {k: v for k, v in new.items() if k[0] == level and "district" not in k[2]}
        assert same_old == same_new and same_old


@pytest.mark.parametrize("tree", ["old", "new"])
def test_the_titles_table_counts_the_same_persons(
    tree: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`learnsoc evaluate`: 8 persons aged 15+ assessed, 3 learning citizens, either tree."""
    argv = ["evaluate", *files(tmp_path, tree), "--as-of", "2025-06-30"]
    assert main([*argv, "--titles", "learning_citizen", "--out", str(tmp_path / "v.csv")]) == 0
    capsys.readouterr()
    with (tmp_path / "v.csv").open(encoding="utf-8-sig") as f:
        verdicts = {r["id"]: (r["assessed"], r["passed"]) for r in csv.DictReader(f)}
    granted = sorted(k for k, v in verdicts.items() if v == ("1", "1"))
    assert granted == ["P1", "P2", "P6"]
    assert sum(v == ("1", "0") for v in verdicts.values()) == 5
    assert verdicts["P5"] == ("0", "0")  # aged 8: not assessed


# -- the results table of titles decided after the reform --------------------------------


def test_titles_after_the_reform_on_the_old_tree_note_the_gone_districts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`report --as-of 2025-12-31` on the tree with districts, without --year.

    The table printed "0 / 2 districts 0.00%" and the rows of districts without a word: the
    note on districts that no longer exist looked only at --year. The titles' date is
    enough. The learning district is not in force from 1/7/2025, so its share is not
    applicable (tests/test_reform_districts.py); the rows of the districts still get their
    note. Before the reform (as of 30/6/2025) there is no such note.
    """
    argv = ["report", *files(tmp_path, "old"), "--indicators", "learning_districts"]
    assert main([*argv, "--as-of", "2025-12-31"]) == 0
    out = capsys.readouterr().out
    assert "0 / 2 districts" not in out
    assert "share of learning districts: not applicable" in out
    assert DISTRICT_ROWS_GONE in out
    assert main([*argv, "--as-of", "2025-06-30"]) == 0
    out = capsys.readouterr().out
    assert "0 / 2 districts" in out
    assert "no longer exist" not in out


@pytest.mark.parametrize("as_of", ["2025-12-31", "2024-12-31"])
def test_learning_districts_on_the_new_tree_are_not_applicable_not_missing_measures(
    as_of: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The tree from 1/7/2025 has no districts: nothing to add to the data.

    The note said "not in the data (needs the measures learning_districts, districts)",
    asking for counts no district can give; progress already said "not applicable". The
    tree's own start date says it, whatever the titles' date.
    """
    argv = ["report", *files(tmp_path, "new"), "--indicators", "learning_districts"]
    assert main([*argv, "--as-of", as_of]) == 0
    out = capsys.readouterr().out
    said = (
        "share of learning districts: not applicable: the district level was abolished on "
        "1/7/2025, so the data's tree has no districts to count"
    )
    assert said in out
    assert "needs the measures" not in out
    assert main(["--locale", "vi", *argv, "--as-of", as_of]) == 0
    out = capsys.readouterr().out
    assert "- Tỷ lệ Cộng đồng học tập cấp huyện: không áp dụng: cấp huyện đã kết thúc" in out


def test_a_tree_without_districts_or_dates_still_names_the_measures() -> None:
    """A custom tree that stops above districts, with no date: nothing says it is after 2025."""
    h = ls.Hierarchy.from_units(
        {"code": ["01"], "level": ["province"], "parent_code": [None]}, levels=["province"]
    )
    roll = ls.rollup_counts({"unit_code": ["01"], "families": [4], "learning_families": [1]}, h)
    res = ls.results(roll, ["learning_districts"])
    assert res.notes("en") == [
        "share of learning districts: not in the data (needs the measures learning_districts, "
        "districts)"
    ]
    assert "not applicable" in ls.results(roll, ["learning_districts"], year=2025).notes("en")[0]


def test_the_results_api_takes_the_titles_date_too() -> None:
    """`Results.as_of` after 30/6/2025 notes the districts as `year=2025` does (vi too)."""
    h = ls.Hierarchy.from_units(
        {
            "code": ["01", "001", "002"],
            "level": ["province", "district", "district"],
            "parent_code": [None, "01", "01"],
        },
        levels=["province", "district"],
    )
    roll = ls.rollup_counts(
        {"unit_code": ["001", "002"], "districts": [1, 1], "learning_districts": [1, 0]}, h
    )
    res = ls.results(roll, ["learning_districts"], ["province"])
    assert not any("no longer exist" in n for n in res.notes("en"))
    after = attrs.evolve(res, as_of=dt.date(2025, 7, 1))
    assert after.notes("en") == [DISTRICTS_GONE]
    assert after.notes("en") == ls.results(
        roll, ["learning_districts"], ["province"], year=2025
    ).notes("en")
    assert "cấp huyện" in after.notes("vi")[0].lower()
    before = attrs.evolve(res, as_of=dt.date(2025, 6, 30))
    assert before.notes("en") == []


# -- the dataset path ----------------------------------------------------------------------


@needs("pyarrow")
@pytest.mark.parametrize("tree", ["old", "new"])
@pytest.mark.parametrize("by", ["province", "commune"])
def test_a_dataset_counts_the_hand_figures_on_both_trees(
    tree: str, by: str, tmp_path: Path
) -> None:
    """evaluate_dataset, partitioned by province or commune, gives the in-memory counts."""
    pop = population(tmp_path, tree)
    ls.write_dataset(pop, tmp_path / "ds", partition_by=by)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        whole = ls.evaluate(pop, "vn-national", "2025-06-30")
        parts = ls.evaluate_dataset(tmp_path / "ds", "vn-national", "2025-06-30")
    for title in ("learning_citizen", "learning_family", "learning_community"):
        a, b = whole.title_counts()[title], parts.title_counts()[title]
        assert a.passed.tolist() == b.passed.tolist(), title
        assert a.assessed.tolist() == b.assessed.tolist(), title
    citizens = parts.title_counts()["learning_citizen"]
    assert (int(citizens.assessed.sum()), int(citizens.passed.sum())) == (8, 3)


# -- the titles table on the tree without districts ----------------------------------------

GONE_EN = (
    "learning district (district-level learning community): not applicable: the district "
    "level was abolished on 1/7/2025, so the data's tree has no districts"
)
GONE_VI = (
    "Cộng đồng học tập cấp huyện: không áp dụng: cấp huyện đã kết thúc hoạt động từ ngày "
    "01/7/2025, nên hệ thống đơn vị hành chính của số liệu không còn huyện nào"
)


def test_the_learning_district_does_not_vanish_from_the_titles_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The table of 2024 (old tree) had a learning-district row; 2025's dropped it silently.

    On the tree from 1/7/2025 the title is not evaluated (no district level): a line under
    the table says why, in English and Vietnamese, and in the JSON summary.
    """
    shown = [a for a in files(tmp_path, "new") if a != "--quiet"]  # the table is shown
    argv = ["evaluate", *shown, "--as-of", "2025-12-31"]
    assert main(argv) == 0
    assert GONE_EN in capsys.readouterr().out
    assert main(["--locale", "vi", *argv]) == 0
    assert GONE_VI in capsys.readouterr().out
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        summary = ls.evaluate(population(tmp_path, "new"), "vn-national", "2025-12-31").summary()
    assert summary.gone == (
        ("Cộng đồng học tập cấp huyện", "learning district (district-level learning community)"),
    )
    assert summary.to_dict()["not_applicable"] == [
        {
            "label_vi": "Cộng đồng học tập cấp huyện",
            "label_en": "learning district (district-level learning community)",
        }
    ]
    assert "learning district" not in [row.label_en for row in summary.rows]


def test_the_old_tree_keeps_its_district_row_and_no_such_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With districts, the title has its row (2 districts assessed) and no 'not applicable'."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        summary = ls.evaluate(population(tmp_path, "old"), "vn-national", "2024-12-31").summary()
    (row,) = [r for r in summary.rows if r.title == "learning_district"]
    assert (row.entities, row.assessed) == (2, 2)
    assert summary.gone == ()
    assert "not_applicable" not in summary.to_dict()
    assert "not applicable" not in summary.to_text("en")


def test_a_tree_without_dates_or_districts_says_it_only_after_the_reform() -> None:
    """A custom tree stopping above districts: the titles' date places it."""
    h = ls.Hierarchy.from_units(
        {"code": ["01", "C", "V"], "level": ["province", "commune", "village"]}
        | {"parent_code": [None, "01", "C"]},
        levels=["province", "commune", "village"],
    )
    pop = ls.Population.from_records([ls.Person("P", "H", age=30)], [ls.Household("H", "V")], h)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        after = ls.evaluate(pop, "vn-national", "2025-07-01").summary()
        before = ls.evaluate(pop, "vn-national", "2025-06-30").summary()
    assert GONE_EN in after.to_text("en")
    assert before.gone == ()


@needs("pyarrow")
def test_a_dataset_titles_table_says_it_too(tmp_path: Path) -> None:
    """evaluate_dataset's summary carries the same line as the in-memory one."""
    pop = population(tmp_path, "new")
    ls.write_dataset(pop, tmp_path / "ds", partition_by="commune")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        whole = ls.evaluate(pop, "vn-national", "2025-12-31").summary()
        parts = ls.evaluate_dataset(tmp_path / "ds", "vn-national", "2025-12-31").summary()
    assert parts.gone == whole.gone != ()
    assert parts.to_text("vi") == whole.to_text("vi")
