"""Ten persons on the trees before and after the 2025 reform, with one row rejected.

The old tree: provinces 01 and 02; district 001 (province 01) holds communes 00001 and
00002, district 002 (province 01) commune 00003, district 003 (province 02) commune
00004; one village in each commune. On 1/7/2025 the districts end, commune 00002 merges
into 00001, and commune 00003 *moves to province 02*. The persons and households are the
same on both trees; person P11's age is "abc": the row is rejected.

=========  ======  ======  ==============================  ==================
village    old     new     persons (age, recognised)        learning citizens
=========  ======  ======  ==============================  ==================
0000101    01      01      P1 40 yes, P2 38 yes, P3 50 no   2 of 3
0000201    01      01      P4 30 no, P5 8 no                0 of 2
0000301    01      02      P6 45 yes, P7 20 no, P8 70 no,   1 of 4
                           P9 33 no
0000401    02      02      P10 25 yes, (P11 rejected)       1 of 1
=========  ======  ======  ==============================  ==================

So, of all residents: old province 01 3/9 and 02 1/1; new province 01 2/5 and 02 2/5;
the whole data 4/10 on both trees (the moved commune counted once, in its new province).
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.cli import main
from learnsoc.model.crosswalk import Crosswalk
from learnsoc.targets import progress, standard_measures, standard_titles
from tests._workbooks import column_ids
from tests.optional import require
from tests.targets.helpers import target_set, value_target

OLD_UNITS = """code,name,level,parent_code
01,Tỉnh A,province,
02,Tỉnh B,province,
001,Huyện A1,district,01
002,Huyện A2,district,01
003,Huyện B1,district,02
00001,Xã 1,commune,001
00002,Xã 2,commune,001
00003,Xã 3,commune,002
00004,Xã 4,commune,003
0000101,Thôn 1,village,00001
0000201,Thôn 2,village,00002
0000301,Thôn 3,village,00003
0000401,Thôn 4,village,00004
"""
NEW_UNITS = """code,name,level,parent_code
01,Tỉnh A,province,
02,Tỉnh B,province,
00001,Xã 1,commune,01
00003,Xã 3,commune,02
00004,Xã 4,commune,02
0000101,Thôn 1,village,00001
0000201,Thôn 2,village,00001
0000301,Thôn 3,village,00003
0000401,Thôn 4,village,00004
"""
HOUSEHOLDS = """household_id,unit_code
H1,0000101
H2,0000101
H3,0000201
H4,0000301
H5,0000301
H6,0000401
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
P10,H6,25,1
P11,H6,abc,0
"""
TREES = {"old": (OLD_UNITS, "vn-pre-2025"), "new": (NEW_UNITS, "vn-2025")}
#: Learning citizens of all residents, by tree and province, counted by hand above.
BY_PROVINCE = {"old": {"01": (3, 9), "02": (1, 1)}, "new": {"01": (2, 5), "02": (2, 5)}}
#: The line of the persons table read, accepted and rejected, in each language.
PERSONS_LINE = {
    "en": "person: read 11, accepted 10, 1 row rejected",
    "vi": "người: đọc 11, nhận 10, 1 dòng bị loại",
}
#: The note under the figures: the rates are of the ten persons accepted.
NOTE = {
    "en": "1 row of the person table was rejected: every figure counts the 10 rows accepted "
    "only; the rejected row is in no numerator and no denominator",
    "vi": "1 dòng của bảng người bị loại: mọi số liệu chỉ tính 10 dòng được nhận; dòng bị "
    "loại không nằm trong tử số hay mẫu số nào",
}


def _args(folder: Path, tree: str, *more: str) -> list[str]:
    units, levels = TREES[tree]
    (folder / f"{tree}.csv").write_text(units, encoding="utf-8")
    (folder / "households.csv").write_text(HOUSEHOLDS, encoding="utf-8")
    (folder / "persons.csv").write_text(PERSONS, encoding="utf-8")
    return [
        "report",
        str(folder / "persons.csv"),
        "--households",
        str(folder / "households.csv"),
        "--units",
        str(folder / f"{tree}.csv"),
        "--levels",
        levels,
        "--rulebook",
        "vn-national",
        "--as-of",
        "2025-12-31",
        *more,
    ]


@pytest.mark.filterwarnings("ignore::learnsoc.errors.LearnsocWarning")
@pytest.mark.parametrize("tree", ["old", "new"])
@pytest.mark.parametrize("locale", ["en", "vi"])
@pytest.mark.parametrize("targets", [False, True])
def test_the_rows_read_are_printed_once_on_the_screen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], tree: str, locale: str, targets: bool
) -> None:
    """The report's block says them; the summary after it keeps the reason and the check."""
    more = ["--targets", "hanoi-23-nq-tu"] if targets else []
    assert main([*_args(tmp_path, tree, *more), "--locale", locale]) == 1
    out, err = capsys.readouterr()
    assert (out + err).count(PERSONS_LINE[locale]) == 1
    assert PERSONS_LINE[locale] in out
    check = "accepted + rejected = read: OK" if locale == "en" else "nhận + loại = đọc: OK"
    assert check in err
    assert ("not_a_number in age: 1 row" if locale == "en" else "ở cột age: 1 dòng") in err


@pytest.mark.filterwarnings("ignore::learnsoc.errors.LearnsocWarning")
def test_a_report_written_to_a_file_leaves_the_counts_on_the_screen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--out report.txt: the file has the block, the screen its one copy on stderr."""
    out_file = tmp_path / "report.txt"
    assert main([*_args(tmp_path, "new", "--out", str(out_file)), "--locale", "en"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count(PERSONS_LINE["en"]) == 1
    assert out_file.read_text(encoding="utf-8").count(PERSONS_LINE["en"]) == 1


def test_the_demo_prints_its_rows_read_once(capsys: pytest.CaptureFixture[str]) -> None:
    """The population summary's table of rows read is not followed by the same counts."""
    assert main(["demo", "--persons", "2000", "--locale", "en"]) == 0
    out, err = capsys.readouterr()
    assert "Rows read, accepted, rejected" in out
    assert "person: read 2,000" not in err
    assert "accepted + rejected = read: OK" in err


@pytest.mark.filterwarnings("ignore::learnsoc.errors.LearnsocWarning")
@pytest.mark.parametrize("tree", ["old", "new"])
@pytest.mark.parametrize("locale", ["en", "vi"])
@pytest.mark.parametrize("form", ["txt", "html", "md", "json"])
@pytest.mark.parametrize("targets", [False, True])
def test_every_form_says_the_rates_are_of_the_rows_accepted(
    tmp_path: Path, tree: str, locale: str, form: str, targets: bool
) -> None:
    """The persons' rejected row is said under the figures, as a refused unit is."""
    out_file = tmp_path / f"report.{form}"
    more = ["--targets", "hanoi-23-nq-tu"] if targets else []
    assert main([*_args(tmp_path, tree, *more, "--out", str(out_file)), "--locale", locale]) == 1
    text = out_file.read_text(encoding="utf-8")
    if form == "json":
        assert NOTE[locale] in json.loads(text)["notes"]
    else:
        assert NOTE[locale] in " ".join(text.split())


@pytest.mark.filterwarnings("ignore::learnsoc.errors.LearnsocWarning")
@pytest.mark.parametrize("locale", ["en", "vi"])
@pytest.mark.parametrize("targets", [False, True])
def test_the_workbook_notes_say_the_rates_are_of_the_rows_accepted(
    tmp_path: Path, locale: str, targets: bool
) -> None:
    require("openpyxl")
    from openpyxl import load_workbook

    out_file = tmp_path / "report.xlsx"
    more = ["--targets", "hanoi-23-nq-tu"] if targets else []
    assert main([*_args(tmp_path, "new", *more, "--out", str(out_file)), "--locale", locale]) == 1
    book = load_workbook(out_file)
    notes = book.worksheets[[column_ids(ws)[0] for ws in book.worksheets].index("note")]
    assert NOTE[locale] in [row[0] for row in notes.iter_rows(min_row=2, values_only=True)]


@pytest.mark.filterwarnings("ignore::learnsoc.errors.LearnsocWarning")
@pytest.mark.parametrize("tree", ["old", "new"])
def test_each_province_and_the_whole_count_every_person_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], tree: str
) -> None:
    """The moved commune's four persons are in province 01 on the old tree, 02 on the new:
    the provinces add up to the whole, 4 / 10, on both trees."""
    args = [*_args(tmp_path, tree), "--indicators", "learning_citizens"]
    assert main([*args, "--level", "province,commune,total", "--format", "json"]) == 1
    rows = json.loads(capsys.readouterr().out)["rows"]
    counted = {
        (r["level"], r["unit_code"]): (r["numerator"], r["denominator"])
        for r in rows
        if not r["group"]
    }
    assert {c: counted[("province", c)] for c in ("01", "02")} == BY_PROVINCE[tree]
    assert counted[("total", "")] == (4, 10)
    assert sum(d for (level, _), (_, d) in counted.items() if level == "commune") == 10
    # The moved commune: one row, under its province of that tree.
    moved = [r for r in rows if r["unit_code"] == "00003"]
    assert len(moved) == 1
    assert moved[0]["parent_code"] == ("002" if tree == "old" else "02")


def _rolled(folder: Path, tree: str, as_of: str) -> ls.Rollup:
    """The rollup of the files on a tree, as a notebook makes it (P11's row rejected)."""
    units, levels = TREES[tree]
    (folder / f"{tree}.csv").write_text(units, encoding="utf-8")
    (folder / "households.csv").write_text(HOUSEHOLDS, encoding="utf-8")
    (folder / "persons.csv").write_text(PERSONS, encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # P11's age; inputs the files do not give
        pop = ls.read_population(
            folder / "persons.csv",
            households=folder / "households.csv",
            units=folder / f"{tree}.csv",
            levels=levels,
        )
        ev = ls.evaluate(pop, ls.load_rulebook("vn-national"), as_of=as_of)
    return ls.rollup(pop, standard_measures(pop, titles=standard_titles(ev)))


@pytest.mark.parametrize("tree", ["old", "new"])
@pytest.mark.parametrize("locale", ["en", "vi"])
def test_a_notebooks_tables_say_the_rows_rejected_behind_them(
    tmp_path: Path, tree: str, locale: str
) -> None:
    """read_population, evaluate, rollup, results: the table shown in a notebook said
    nothing of P11's rejected row; it now has the note and the rows read, as the CLI's."""
    roll = _rolled(tmp_path, tree, "2025-12-31")
    res = ls.results(roll, ["learning_citizens"])
    prog = progress([(2025, roll)], target_set(value_target("learning_citizens", "60")))
    for table in (res, prog):
        with ls.use_locale(locale):
            shown = " ".join(table._repr_html_().split())
        assert NOTE[locale] in shown and PERSONS_LINE[locale] in shown


def test_the_moved_commune_is_compared_with_itself_across_the_reform(tmp_path: Path) -> None:
    """2024 on the old tree, 2025 on the new, re-expressed through the communes: province
    02's 2024 figure is that of its 2025 communes (00003 and 00004: 2 / 5, the same people),
    so its trend is 0 points a year, not 40% - 100% = -60 points; 60% by 2027 needs
    (60 - 40) / 2 = +10 points a year."""
    old, new = _rolled(tmp_path, "old", "2024-12-31"), _rolled(tmp_path, "new", "2025-12-31")
    communes = {
        "source_code": ["00001", "00002", "00003", "00004"],
        "target_code": ["00001", "00001", "00003", "00004"],
    }
    crosswalk = Crosswalk.from_pairs(old.hierarchy, new.hierarchy, communes, level="commune")
    targets = target_set(value_target("learning_citizens", "60", year=2027))
    prog = progress([(2024, old), (2025, new)], targets, year=2027, crosswalk=crosswalk)
    report = prog.report("en")
    keys = [c.key for c in report.columns]
    rows = {
        row.cells[0]: dict(zip(keys, row.cells, strict=True)) for row in report.sections[0].rows
    }
    assert set(rows) == {"Tỉnh A (01)", "Tỉnh B (02)"}
    for row in rows.values():  # both 2 / 5 in both years, counted by hand above
        assert (row["counts"], row["trend"], row["required"]) == (
            "2 / 5 residents",
            "0.00",
            "+10.00",
        )
