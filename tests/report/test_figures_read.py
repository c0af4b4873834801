"""Figures read as a journalist would: each says what it is of, and never more than it is.

Found by running ``learnsoc demo``, ``learnsoc targets`` and ``learnsoc report`` on the
bundled data and reading every printed figure.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import learnsoc as ls
from learnsoc.cli import main
from learnsoc.report.results import results
from learnsoc.targets import load_targets, progress, standard_measures


def _roll() -> ls.Rollup:
    pop = ls.synthetic_population(persons=2_000, seed=5)
    return ls.rollup(pop, standard_measures(pop))


def _line(text: str, label: str) -> str:
    (line,) = [s for s in text.splitlines() if label in s and not s.startswith("-")]
    return line


def test_an_indicator_not_in_the_data_has_no_units_reporting_in_progress() -> None:
    """ "no data" beside "20 of 20 villages" read as every village having reported it."""
    targets = load_targets("hanoi-23-nq-tu").select(
        indicators=["public_schools_standard", "literacy_15_60"]
    )
    prog = progress(_roll(), targets, year=2025, levels=["province"])
    cols = prog.to_columns("en")
    by_indicator = dict(zip(cols["indicator"], cols["units_reporting"], strict=True))
    assert by_indicator["public_schools_standard"] == -1
    assert by_indicator["literacy_15_60"] > 0
    line = _line(prog.to_text("en"), "share of public schools meeting national standards")
    assert "villages" not in line
    assert line.endswith("—  no data")
    vi = _line(prog.to_text("vi"), "Tỷ lệ trường công lập đạt chuẩn quốc gia")
    assert "thôn" not in vi


def test_an_indicator_not_in_the_data_has_no_units_reporting_in_results() -> None:
    """The same in a results table (no targets)."""
    res = results(_roll(), ["public_schools_standard", "literacy_15_60"], ["province"])
    cols = res.to_columns()
    reporting = dict(zip(cols["indicator"], cols["units_reporting"], strict=True))
    assert reporting["public_schools_standard"] == -1
    assert reporting["literacy_15_60"] > 0
    line = _line(res.to_text("en"), "share of public schools meeting national standards")
    assert "villages" not in line


UNITS = "code,name,level,parent_code\n01,Hà Nội,province,\n00001,Ba Đình,commune,01\n"
UNITS += "V1,Tổ 1,village,00001\n"
FILES = ["persons.csv", "--households", "households.csv", "--units", "units.csv"]
BOOK = ["--rulebook", "vn-national", "--as-of", "31/12/2025", "--level", "province"]


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "units.csv").write_text(UNITS, encoding="utf-8")
    (tmp_path / "households.csv").write_text("household_id,unit_code\nH1,V1\n", encoding="utf-8")
    (tmp_path / "persons.csv").write_text(
        "person_id,household_id,age,sex,literate\n1,H1,40,male,1\n2,H1,38,female,1\n",
        encoding="utf-8",
    )
    return tmp_path


@pytest.mark.parametrize(
    ("targets", "locale", "heading"),
    [
        ([], "en", "Results of the learning-society indicators, titles as of December 31, 2025"),
        (
            [],
            "vi",
            "Kết quả thực hiện các chỉ tiêu xây dựng xã hội học tập, danh hiệu tính đến ngày "
            "31/12/2025",
        ),
        (["--targets", "hanoi-23-nq-tu"], "en", "Targets for 2025; titles as of December 31, 2025"),
        (
            ["--targets", "hanoi-23-nq-tu"],
            "vi",
            "Mục tiêu đến năm 2025; danh hiệu tính đến ngày 31/12/2025",
        ),
    ],
)
def test_a_report_from_files_says_the_date_of_its_titles(
    files: Path,
    capsys: pytest.CaptureFixture[str],
    targets: list[str],
    locale: str,
    heading: str,
) -> None:
    """`learnsoc report FILES --as-of D` said neither the date nor the year of its figures."""
    assert main(["report", *FILES, *BOOK, *targets, "--locale", locale, "--quiet"]) == 0
    assert heading in capsys.readouterr().out.splitlines()[:2]
    assert main(["report", *FILES, *BOOK, *targets, "--format", "json", "--quiet"]) == 0
    assert json.loads(capsys.readouterr().out)["as_of"] == "2025-12-31"
