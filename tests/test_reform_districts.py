"""The share of learning districts either side of 1/7/2025, in every output, on both trees.

The hand files of ``tests/test_reform_hand.py``: on the old tree province 01 has two
districts (001 with communes 00001 and 00002, 002 with 00003); no commune has its
evaluator inputs, so no commune is a learning community and neither district a learning
district. On 30/6/2025 both districts are assessed: 0 of 2 = 0%, against Hanoi's "40% of
districts" (Resolution 23-NQ/TU) *not met*. From 1/7/2025 the district level and its
recognition procedure are gone (Decree 142/2025/NĐ-CP, Circular 11/2025/TT-BGDĐT;
DOMAIN.md 5.4 and 6): on the old tree the title is not in force (nobody assessed, no "0 / 2
districts") and the target *not applicable*, as on the tree of 1/7/2025, which has no
district on either day.
"""

from __future__ import annotations

import csv
import io
import json
import warnings
from pathlib import Path
from typing import Any

import pytest

import learnsoc as ls
from learnsoc.cli import main
from tests.optional import needs
from tests.test_reform_hand import files, population

NOT_APPLICABLE = "not applicable: the district level was abolished on 1/7/2025"
KHONG_AP_DUNG = "không áp dụng: cấp huyện đã kết thúc hoạt động từ ngày 01/7/2025"
#: (tree, as_of) -> the target's status and its counts (numerator, denominator) by hand.
CASES = {
    ("old", "2025-06-30"): ("not_met", ("0", "2")),
    ("old", "2025-07-01"): ("abolished", ("", "")),
    ("new", "2025-06-30"): ("abolished", ("", "")),
    ("new", "2025-07-01"): ("abolished", ("", "")),
}


def progress(
    folder: Path, tree: str, as_of: str, capsys: pytest.CaptureFixture[str], *more: str
) -> str:
    argv = ["report", *files(folder, tree), "--as-of", as_of, "--year", "2025"]
    argv += ["--targets", "hanoi-23-nq-tu", "--level", "province", *more]
    assert main(argv) == 0
    return capsys.readouterr().out


def district_row(rows: list[dict[str, Any]]) -> dict[str, Any]:
    (row,) = [r for r in rows if r["indicator"] == "learning_districts"]
    return row


@pytest.mark.parametrize(("tree", "as_of"), list(CASES))
def test_the_csv_and_json_rows_are_the_hand_counts(
    tree: str, as_of: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """0 / 2 and not met on 30/6 with districts; from 1/7 (or on the new tree) blank counts.

    The counts of a row never measured were 0 and 0 in CSV and JSON: read as "0 of 0
    districts".
    """
    status, counts = CASES[(tree, as_of)]
    out = progress(tmp_path, tree, as_of, capsys, "--format", "csv")
    row = district_row(list(csv.DictReader(io.StringIO(out.lstrip("\ufeff")))))
    assert (row["status"], (row["numerator"], row["denominator"])) == (status, counts)
    assert row["denominator_label"] == "all districts"
    doc = json.loads(progress(tmp_path, tree, as_of, capsys, "--format", "json"))
    row = district_row(doc["rows"])
    expected = tuple(int(c) if c else None for c in counts)
    assert (row["status"], (row["numerator"], row["denominator"])) == (status, expected)


@pytest.mark.parametrize(("tree", "as_of"), list(CASES))
@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_every_text_form_says_it_in_both_languages(
    tree: str, as_of: str, fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _ = CASES[(tree, as_of)]
    en = progress(tmp_path, tree, as_of, capsys, "--format", fmt)
    vi = progress(tmp_path, tree, as_of, capsys, "--format", fmt, "--locale", "vi")
    if status == "abolished":
        assert NOT_APPLICABLE in en and KHONG_AP_DUNG in vi
        assert "0 / 2" not in en and "0 / 2" not in vi
    else:
        assert NOT_APPLICABLE not in en and KHONG_AP_DUNG not in vi
        assert "0 / 2" in en and "0 / 2" in vi


@pytest.mark.parametrize(("tree", "as_of"), list(CASES))
def test_the_results_table_says_why_there_is_no_share(
    tree: str, as_of: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`report` without targets: a figure on 30/6 with districts, else a reason, in vi too."""
    argv = ["report", *files(tmp_path, tree), "--as-of", as_of]
    argv += ["--indicators", "learning_districts", "--level", "province"]
    assert main(argv) == 0
    en = capsys.readouterr().out
    assert main(["--locale", "vi", *argv]) == 0
    vi = capsys.readouterr().out
    if CASES[(tree, as_of)][0] == "not_met":
        assert "0 / 2 districts" in en and "not applicable" not in en
        return
    assert "0 / 2" not in en
    assert "share of learning districts: not applicable: the district level" in en
    assert "Tỷ lệ Cộng đồng học tập cấp huyện: không áp dụng: cấp huyện" in vi
    if tree == "old":  # the tree has districts: the title was not in force on the day
        assert "(Decree 142/2025/NĐ-CP), so no district holds the title on 2025-07-01" in en
        assert "(Nghị định 142/2025/NĐ-CP), nên vào ngày 01/7/2025 không huyện nào" in vi


@pytest.mark.parametrize("as_of", ["2025-06-30", "2025-07-01"])
def test_the_titles_json_says_not_in_force_from_1_july(as_of: str, tmp_path: Path) -> None:
    """The titles table as plain data (``summary.json`` of a dataset), on the old tree."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = ls.evaluate(population(tmp_path, "old"), "vn-national", as_of)
    doc = json.loads(json.dumps(ev.summary().to_dict()))
    (row,) = [r for r in doc["titles"] if r["title"] == "learning_district"]
    if as_of == "2025-06-30":
        assert (row["status"], row["assessed"], row["abolished"]) == ("assessed", 2, None)
    else:
        assert (row["status"], row["assessed"], row["abolished"]) == (
            "not_in_force",
            0,
            "2025-07-01",
        )
        assert row["abolished_by"] == "Nghị định 142/2025/NĐ-CP; Thông tư 11/2025/TT-BGDĐT"


@needs("openpyxl")
@pytest.mark.parametrize("as_of", ["2025-06-30", "2025-07-01"])
def test_the_workbook_leaves_the_counts_blank_when_not_applicable(
    as_of: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import openpyxl

    path = tmp_path / "p.xlsx"
    progress(tmp_path, "old", as_of, capsys, "--out", str(path))
    sheet = openpyxl.load_workbook(path).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = [str(h) for h in rows[0]]
    (row,) = [r for r in rows[1:] if r[header.index("indicator")] == "learning_districts"]
    got = (row[header.index("status")], row[header.index("numerator")])
    assert got == (("not_met", 0) if as_of == "2025-06-30" else ("abolished", None))


@needs("pyarrow")
def test_a_dataset_and_its_results_folder_say_it_as_the_files_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The old tree as of 1/7/2025 from files, a dataset and its results folder: one CSV."""
    pop = population(tmp_path, "old")
    ls.write_dataset(pop, tmp_path / "ds", partition_by="commune")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parts = ls.evaluate_dataset(tmp_path / "ds", "vn-national", "2025-07-01").summary()
    (row,) = [r for r in parts.rows if r.title == "learning_district"]
    assert (row.status, row.assessed) == ("not_in_force", 0)
    tail = ["--targets", "hanoi-23-nq-tu", "--year", "2025", "--format", "csv"]
    day = ["--rulebook", "vn-national", "--as-of", "2025-07-01"]
    outs = []
    for argv in (
        ["report", *files(tmp_path, "old"), "--as-of", "2025-07-01", *tail],
        ["report", str(tmp_path / "ds"), *day, *tail],
        ["evaluate", str(tmp_path / "ds"), *day, "--out", str(tmp_path / "res")],
        ["report", str(tmp_path / "res"), *tail],
    ):
        main(argv)
        outs.append(capsys.readouterr().out)
    from_files, from_dataset, _, from_results = outs
    assert from_files == from_dataset == from_results
    row_ = district_row(list(csv.DictReader(io.StringIO(from_results.lstrip("\ufeff")))))
    assert (row_["status"], row_["numerator"], row_["denominator"]) == ("abolished", "", "")


def test_rows_below_the_districts_have_no_count_of_districts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """On 30/6/2025, old tree: 0 / 2 for the province, 0 / 1 for each district, and blank
    for the communes and villages, which have no district under them (they read "0 / 0"
    in CSV while the text showed "—"). The residents' rates are counted at every level."""
    argv = ["report", *files(tmp_path, "old"), "--as-of", "2025-06-30", "--format", "csv"]
    assert main([*argv, "--indicators", "learning_districts,learning_citizens"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))))
    got = {
        (r["level"], r["unit_code"], r["indicator"]): (r["numerator"], r["denominator"])
        for r in rows
    }
    districts = {k[:2]: v for k, v in got.items() if k[2] == "learning_districts"}
    assert districts == {
        ("province", "01"): ("0", "2"),
        ("district", "001"): ("0", "1"),
        ("district", "002"): ("0", "1"),
        **{("commune", c): ("", "") for c in ("00001", "00002", "00003")},
        **{("village", v): ("", "") for v in ("0000101", "0000201", "0000301")},
    }
    assert got[("village", "0000101", "learning_citizens")] == ("2", "3")
    assert got[("commune", "00002", "learning_citizens")] == ("0", "2")
    args = [*argv, "--targets", "hanoi-23-nq-tu", "--year", "2025", "--level", "commune"]
    assert main(args) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out.lstrip("\ufeff"))))
    communes = [r for r in rows if r["indicator"] == "learning_districts"]
    assert len(communes) == 3
    assert {(r["numerator"], r["denominator"], r["status"]) for r in communes} == {
        ("", "", "no_data")
    }


def test_a_trend_across_the_reform_notes_only_the_measures_it_lacks(tmp_path: Path) -> None:
    """2024 on the old tree, 2026 on the new, with the crosswalk (00002 into 00001).

    Every 2024 count of persons is moved: the merged commune 00001 had (2+0)/(3+2) = 2/5
    learning citizens in 2024 as in 2026, a trend of 0. The counts of districts and
    provinces (units above the crosswalk's level) cannot be moved; no target here reads
    them, so no note says they are missing ("the measures districts, provinces could not
    be re-expressed", with the ids in Vietnamese too).
    """
    from learnsoc.targets import load_targets, standard_measures
    from learnsoc.targets import progress as progress_of

    old, new = population(tmp_path, "old"), population(tmp_path, "new")
    walk = ls.Crosswalk.from_pairs(
        old.hierarchy,
        new.hierarchy,
        {"source_code": ["00001", "00002", "00003"], "target_code": ["00001", "00001", "00003"]},
        level="commune",
    )
    rolls = [(year, ls.rollup(p, standard_measures(p))) for year, p in ((2024, old), (2026, new))]
    targets = load_targets("hanoi-23-nq-tu").select(indicators=["learning_citizens"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        prog = progress_of(rolls, targets, crosswalk=walk, year=2030, levels=["commune"])
    cols = prog.columns
    got = {
        code: (int(n), int(d), float(trend))
        for code, n, d, trend in zip(
            cols["unit_code"], cols["numerator"], cols["denominator"], cols["trend"], strict=True
        )
    }
    assert got == {"00001": (2, 5, 0.0), "00003": (1, 4, 0.0)}
    text = prog.to_text("en")
    assert "could not be re-expressed" not in text
    # What was moved is said: the 2024 counts are on the 2025 tree now.
    assert "Figures of 2024 were counted on the tree 'vn-pre-2025' and re-expressed" in text
    assert "districts" not in prog.to_text("vi")
