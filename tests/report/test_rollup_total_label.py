"""The rollup's own table names its total row as the reports do, custom trees included.

The reports said "total of 2 provinces" / "tổng 2 tỉnh, thành phố" where the rollup's
table (``Rollup.names()``, HTML, CSV, xlsx, JSON) said "total" / "tổng": one row, two
labels. A custom tree's total said "total of 2 units", not which units; it names them
with the tree's own level name now.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.cli import main
from learnsoc.report.results import results

#: Two provinces, three communes: 10 + 20 families in the first, 5 in the second.
UNITS = """code,name,level,parent_code
01,Hà Nội,province,
02,Huế,province,
00001,Phường Ba Đình,commune,01
00004,Phường Ngọc Hà,commune,01
00007,Phường Kim Mã,commune,02
"""
COUNTS = "unit_code,families,learning_families\n00001,10,4\n00004,20,18\n00007,5,2\n"
LABELS = {"en": "total of 2 provinces", "vi": "tổng 2 tỉnh, thành phố"}


def _tree(levels: ls.HierarchySpec | list[str], names: list[str]) -> ls.Hierarchy:
    codes = ["01", "02", "00001", "00004", "00007"]
    return ls.Hierarchy.from_units(
        {
            "code": codes,
            "level": [names[0]] * 2 + [names[1]] * 3,
            "parent_code": [None, None, "01", "01", "02"],
        },
        levels=levels,
    )


def _roll(tree: ls.Hierarchy) -> ls.Rollup:
    return ls.rollup_counts(
        {"unit_code": ["00001", "00004", "00007"], "families": [10, 20, 5],
         "learning_families": [4, 18, 2]},
        tree,
        rates={"share": ("learning_families", "families")},
    )  # fmt: skip


@pytest.mark.parametrize("locale", ["en", "vi"])
def test_the_rollups_total_row_is_labelled_as_the_reports_total_row(locale: str) -> None:
    """Names, HTML and the wide columns agree with the results table's total row."""
    roll = _roll(_tree(["province", "commune"], ["province", "commune"]))
    label = LABELS[locale]
    with ls.use_locale(locale):
        assert roll.names().tolist()[-1] == label
        assert roll.to_columns()["name"].tolist()[-1] == label
    # The figures by hand: 4 + 18 + 2 of 10 + 20 + 5 families, 3 of 3 communes reporting.
    assert roll.level("total").counts["learning_families"].tolist() == [24]
    assert roll.level("total").counts["families"].tolist() == [35]
    page = roll.to_html(locale)
    assert f"<td>{label}</td>" in page
    share = {"en": "68.6% (24 / 35 families)", "vi": "68,6% (24 / 35 gia đình)"}[locale]
    assert f"<td>{label}</td><td>35</td><td>24</td><td>3</td><td>3</td><td>{share}" in page
    # The same words as the report of the same rollup prints for its total.
    tidy = results(roll, ["learning_families"]).to_columns(locale)
    assert tidy["unit_name"].tolist()[-1] == label


@pytest.mark.parametrize("locale", ["en", "vi"])
def test_the_cli_rollup_files_say_what_the_total_totals_and_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, locale: str
) -> None:
    """CSV, JSON and xlsx written by ``learnsoc rollup``; the CSV is read back as counts."""
    openpyxl = pytest.importorskip("openpyxl")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "u.csv").write_text(UNITS, "utf-8")
    (tmp_path / "c.csv").write_text(COUNTS, "utf-8")
    tree = ["--units", "u.csv", "--levels", "province,commune", "--quiet"]
    for out in ("o.csv", "o.json", "o.xlsx"):
        argv = ["--locale", locale, "rollup", "--counts", "c.csv", *tree, "--out", out]
        assert main(argv) == 0
    label = LABELS[locale]
    with (tmp_path / "o.csv").open(encoding="utf-8-sig") as fh:
        last = list(csv.DictReader(fh))[-1]
    assert (last["level"], last["name"], last["families"]) == ("total", label, "35")
    rows = json.loads((tmp_path / "o.json").read_text("utf-8"))
    records = rows if isinstance(rows, list) else rows["rows"]
    assert (records[-1]["level"], records[-1]["name"]) == ("total", label)
    sheet = openpyxl.load_workbook(tmp_path / "o.xlsx").worksheets[0]
    assert [c.value for c in sheet[sheet.max_row]][:3] == ["total", None, label]
    # Read back as counts, the labelled total row is set aside as the total it is.
    argv = ["--locale", locale, "rollup", "--counts", "o.csv", *tree, "--out", "back.csv"]
    assert main(argv) == 0
    with (tmp_path / "back.csv").open(encoding="utf-8-sig") as fh:
        assert list(csv.DictReader(fh))[-1]["families"] == "35"


@pytest.mark.parametrize(
    ("levels", "words"),
    [
        (["region", "school"], {"en": "total of 2 region units", "vi": "tổng 2 đơn vị region"}),
        (["vùng", "trường"], {"en": "total of 2 vùng units", "vi": "tổng 2 đơn vị vùng"}),
        (
            [ls.Level("tinh_thanh", "province"), ls.Level("xa_phuong", "commune")],
            {"en": "total of 2 provinces", "vi": "tổng 2 tỉnh, thành phố"},
        ),
    ],
)
def test_a_custom_trees_total_names_its_own_top_level(
    levels: list[str | ls.Level], words: dict[str, str]
) -> None:
    """A custom tree's top level, by the tree's word for it, in both languages.

    A level labelled as one of Vietnam's (``Level("tinh_thanh", "province")``) keeps
    that level's noun and plural.
    """
    spec = ls.HierarchySpec("custom", [lv if isinstance(lv, ls.Level) else ls.Level(lv)
                                       for lv in levels])  # fmt: skip
    names = [lv.name for lv in spec.levels]
    roll = _roll(_tree(spec, names))
    res = results(roll, ["learning_families"])
    for locale, label in words.items():
        assert res.to_columns(locale)["unit_name"].tolist()[-1] == label
        assert f"<td>{label}</td>" in roll.to_html(locale)
        assert any(line.startswith(label) for line in res.to_text(locale).splitlines())


def test_one_custom_unit_is_counted_in_the_singular() -> None:
    """One top-level unit: "1 region unit"; its count is the tree's, not the rows'."""
    tree = ls.Hierarchy.from_units(
        {"code": ["N", "a", "b"], "level": ["region", "school", "school"],
         "parent_code": [None, "N", "N"]},
        levels=["region", "school"],
    )  # fmt: skip
    roll = ls.rollup_counts({"unit_code": ["a", "b"], "families": [3, 4]}, tree)
    with ls.use_locale("en"):
        assert roll.names().tolist()[-1] == "total of 1 region unit"
    with ls.use_locale("vi"):
        assert roll.names().tolist()[-1] == "tổng 1 đơn vị region"
