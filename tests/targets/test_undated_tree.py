"""District targets on a tree without districts and without a date: "cannot tell", and why.

A custom two-level tree (province, commune) has no date, and counts read without
``--year`` have no year: nothing says whether the data are from before the 2025 reform
(when a tree without districts lacks their counts) or after it (when the district targets
no longer apply). The cells said "no data" while the target's note said "not applicable".
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.cli import main
from learnsoc.targets import Status, load_targets, progress
from tests.io.helpers import write
from tests.trees import two_level

UNITS = "code,name,level,parent_code\n01,Hà Nội,province,\n00004,Ba Đình,commune,01\n"
UNITS += "00007,Hoàn Kiếm,commune,01\n"
COUNTS = "unit_code,families,learning_families\n00004,2000,1500\n00007,1000,700\n"
REPORT = ["report", "--counts", "c.csv", "--units", "u.csv", "--levels", "province,commune"]
REPORT += ["--targets", "hanoi-23-nq-tu", "--indicators", "learning_districts,learning_families"]

CANNOT_TELL = {
    "en": "cannot tell: the tree has no date; give the year of the data (--year)",
    "vi": "không xác định được: hệ thống đơn vị hành chính không có ngày hiệu lực; hãy cho "
    "biết năm của số liệu (--year)",
}
WHY = {
    "en": "share of learning districts: counts the units of the level district, which the "
    "tree does not have; the tree has no date and no year was given",
    "vi": "Tỷ lệ Cộng đồng học tập cấp huyện: mục tiêu tính trên các đơn vị cấp huyện, cấp "
    "mà hệ thống đơn vị hành chính này không có",
}


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(tmp_path, "u.csv", UNITS)
    write(tmp_path, "c.csv", COUNTS)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _district_line(text: str, locale: str) -> str:
    label = "share of learning districts" if locale == "en" else "Cộng đồng học tập cấp huyện"
    (line,) = [s for s in text.splitlines() if label in s and s.startswith("Hà Nội")]
    return line


@pytest.mark.parametrize("locale", ["en", "vi"])
def test_without_a_year_the_cell_and_the_note_say_it_cannot_be_told(
    files: Path, capsys: pytest.CaptureFixture[str], locale: str
) -> None:
    """The cell says why it cannot be told, and a note says it too: never "no data"."""
    assert main([*REPORT, "--locale", locale]) == 0
    out = capsys.readouterr().out
    line = _district_line(out, locale)
    assert line.endswith(CANNOT_TELL[locale])
    assert ("no data" if locale == "en" else "không có số liệu") not in line
    assert any(note.startswith(f"- {WHY[locale]}") for note in out.splitlines())
    # Not asked for district counts the tree cannot have.
    assert "needs the measures learning_districts" not in out


def test_the_csv_and_json_carry_the_status_id(
    files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A machine-readable id, tree_undated, in the exports."""
    assert main([*REPORT, "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    rows = {r["target_id"]: r for r in doc["rows"]}
    assert rows["learning-districts-2025"]["status"] == "tree_undated"
    assert rows["learning-families-2025"]["status"] == "met"
    assert main([*REPORT, "--format", "csv"]) == 0
    assert ",tree_undated," in capsys.readouterr().out


def test_with_the_year_the_tree_is_placed(files: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Given --year 2025, the data are of 2025: after the reform, not applicable."""
    assert main([*REPORT, "--year", "2025"]) == 0
    out = capsys.readouterr().out
    assert "Targets for 2025; data of 2025" in out
    line = _district_line(out, "en")
    assert line.endswith("not applicable: the district level was abolished on 1/7/2025")


def _roll() -> ls.Rollup:
    tree = two_level({"01": ["00004"]}, {"01": "Hà Nội", "00004": "Ba Đình"})
    return ls.rollup_counts(
        {"unit_code": ["00004"], "families": [10], "learning_families": [7]}, tree
    )


def test_the_api_says_the_same() -> None:
    """Without an observation year: tree undated; of 2025: abolished; of 2024: no data."""
    targets = load_targets("hanoi-23-nq-tu").select(ids=["learning-districts-2025"])
    assert progress(_roll(), targets, year=2025).statuses() == [Status.TREE_UNDATED]
    assert progress([(2025, _roll())], targets).statuses() == [Status.ABOLISHED]
    assert progress([(2024, _roll())], targets, year=2025).statuses() == [Status.NO_DATA]
    assert Status.TREE_UNDATED.id == "tree_undated"
