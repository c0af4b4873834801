"""A rollup learnsoc wrote is read back by ``--counts`` exactly, in every format and language.

``learnsoc rollup --counts c.csv --out rollup.csv`` and then ``--counts rollup.csv`` (an
agency's script chaining the two) stopped at "counts column 'unit_code': required column
is missing": the rollup names its units in ``code``. Read as counts, its rows above the
communes (the province, the total) would count every family twice.
"""

from __future__ import annotations

import csv
import json
import warnings
from pathlib import Path

import numpy as np
import pytest

import learnsoc as ls
from learnsoc.cli import main
from learnsoc.io.population import read_units
from tests.io.helpers import write
from tests.optional import needs

UNITS = """code,name,level,parent_code
01,Hà Nội,province,
00001,Phường Ba Đình,commune,01
00004,Phường Ngọc Hà,commune,01
00007,Phường Kim Mã,commune,01
"""
COUNTS = "unit_code,families,learning_families\n00001,10,4\n00004,20,18\n00007,5,2\n"
TREE = ["--units", "u.csv", "--levels", "province,commune", "--quiet"]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(tmp_path, "u.csv", UNITS)
    write(tmp_path, "c.csv", COUNTS)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def _rollup(counts: str, out: str, *more: str) -> int:
    return main(["rollup", "--counts", counts, *TREE, "--out", out, *more])


@pytest.mark.parametrize(
    ("locale", "suffix"),
    [
        ("en", "csv"),
        ("vi", "csv"),
        pytest.param("en", "parquet", marks=needs("pyarrow")),
        pytest.param("en", "xlsx", marks=needs("openpyxl")),
        pytest.param("vi", "xlsx", marks=needs("openpyxl")),
    ],
)
def test_a_rollup_is_read_back_as_the_counts_it_was_made_of(
    folder: Path, locale: str, suffix: str
) -> None:
    """Rolled up again, the rollup gives itself: the province is 35 families, not 70.

    The Vietnamese workbook heads its columns in words (mã cấp, Số gia đình), read by
    their ids; its total row names itself "tổng" beside the level "total".
    """
    assert main(["--locale", locale, "rollup", "--counts", "c.csv", *TREE, "--out", "o.csv"]) == 0
    out = f"o.{suffix}"
    assert main(["--locale", locale, "rollup", "--counts", "c.csv", *TREE, "--out", out]) == 0
    assert main(["--locale", locale, "rollup", "--counts", out, *TREE, "--out", "back.csv"]) == 0
    assert _rows(folder / "back.csv") == _rows(folder / "o.csv")
    (province, *communes, total) = _rows(folder / "back.csv")
    # By hand: 10 + 20 + 5 families, 4 + 18 + 2 learning families, 3 communes reporting.
    assert [r["families"] for r in communes] == ["10", "20", "5"]
    assert (province["families"], province["learning_families"]) == ("35", "24")
    assert (total["families"], total["units_reporting"], total["units_expected"]) == (
        "35",
        "3",
        "3",
    )


def test_a_unit_that_did_not_report_still_has_not(folder: Path) -> None:
    """A commune without counts is written as 0 of 1 reporting; read back, it is so still."""
    write(folder, "c.csv", "unit_code,families\n00001,10\n00004,20\n")
    assert _rollup("c.csv", "o.csv") == 0
    assert _rollup("o.csv", "back.csv") == 0
    assert _rows(folder / "back.csv") == _rows(folder / "o.csv")
    province = _rows(folder / "back.csv")[0]
    assert (province["units_reporting"], province["units_expected"]) == ("2", "3")
    tree, _ = read_units(folder / "u.csv", levels=["province", "commune"])
    written = _rows(folder / "o.csv")
    roll = ls.rollup_counts(
        {k: np.array([r[k] for r in written]) for k in ("level", "code", "families")}, tree
    )
    # Without the completeness columns every commune row counts as reporting.
    assert roll.level("province").counts["units_reporting"].tolist() == [3]


def test_a_row_less_than_its_units_is_rejected_by_line_and_the_units_still_count(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The province row says 34 families where its communes say 35: a sum_mismatch reject
    naming the line, the figure and the sum; the communes' 35 is what the rollup says."""
    assert _rollup("c.csv", "o.csv") == 0
    text = (folder / "o.csv").read_text("utf-8-sig")
    write(folder, "edited.csv", text.replace("province,01,Hà Nội,,35,", "province,01,Hà Nội,,34,"))
    assert _rollup("edited.csv", "back.csv", "--rejects", "r.csv") == 1
    assert "= read: OK" in capsys.readouterr().err
    (reject, *_) = _rows(folder / "r.csv")
    assert (reject["line"], reject["column"], reject["reason"]) == ("2", "families", "sum_mismatch")
    assert (
        "value '34' does not agree with the rows of its units, which add up to 35"
        in (reject["message"])
    )
    assert _rows(folder / "back.csv")[0]["families"] == "35"


def test_a_rollup_of_the_total_alone_says_which_rows_to_write(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Neither the units counted nor the units reporting are in it: an error saying so."""
    assert _rollup("c.csv", "t.csv", "--level", "total") == 0
    assert _rollup("t.csv", "back.csv") == 1
    err = capsys.readouterr().err
    assert "write the rollup with those rows (--level commune) to read it back" in err
    assert not (folder / "back.csv").exists()
    assert _rollup("c.csv", "p.csv", "--level", "province") == 0
    assert _rollup("p.csv", "back.csv") == 1
    assert "which of them reported cannot be read back" in capsys.readouterr().err
    # In Vietnamese the rows' level is named in words; --level keeps the id it takes.
    assert _rollup("p.csv", "back.csv", "--locale", "vi") == 1
    err = capsys.readouterr().err
    assert "đếm các đơn vị dưới các dòng cấp tỉnh, cấp thấp nhất của bảng tổng hợp này" in err
    assert "(--level commune, hoặc mọi cấp)" in err


def test_a_rollup_as_json_names_the_formats_to_give(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _rollup("c.csv", "o.json") == 0
    assert json.loads((folder / "o.json").read_text("utf-8"))[0]["families"] == 35
    assert _rollup("o.json", "back.csv") != 0
    err = capsys.readouterr().err
    assert "o.json: learnsoc writes JSON for other programs but does not read it" in err
    assert "--out FILE.csv" in err


def test_the_report_of_a_rollup_is_the_report_of_its_counts(folder: Path) -> None:
    """``report --counts rollup.csv`` gives the figures ``report --counts c.csv`` gives."""
    assert _rollup("c.csv", "o.csv") == 0
    report = ["report", *TREE, "--format", "csv"]
    assert main([*report, "--counts", "c.csv", "--out", "a.csv"]) == 0
    assert main([*report, "--counts", "o.csv", "--out", "b.csv"]) == 0
    assert _rows(folder / "a.csv") == _rows(folder / "b.csv")
    share = [r for r in _rows(folder / "b.csv") if r["unit_code"] == "01"]
    assert share and share[0]["numerator"] == "24" and share[0]["denominator"] == "35"


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A results folder of a synthetic dataset, and its reports (CSV, workbook)."""
    pytest.importorskip("pyarrow")
    root = tmp_path_factory.mktemp("results")
    with pytest.MonkeyPatch.context() as mp, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mp.chdir(root)
        assert main(["synth", "--persons", "2000", "--out", "DS", "--quiet"]) == 0
        book = ["--rulebook", "vn-national", "--as-of", "31/12/2025", "--quiet"]
        assert main(["evaluate", "DS", *book, "--out", "RES"]) == 0
        assert main(["report", "RES", "--out", "report.csv", "--quiet"]) == 0
        assert main(["--locale", "vi", "report", "RES", "--out", "report.xlsx", "--quiet"]) == 0
    return root


def test_the_rollup_of_a_results_folder_is_read_back_rates_and_all(
    results: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its total row holds each rate's status (ok, empty) among its figures: a totals row
    still, skipped, where it was an unsure_totals_row reject."""
    monkeypatch.chdir(results)
    argv = ["rollup", "--counts", "RES/rollup.csv", "--units", "RES/units.parquet"]
    assert main([*argv, "--out", "back.csv"]) == 0
    assert "accepted + rejected + skipped = read: OK" in capsys.readouterr().err
    written = _rows(results / "RES" / "rollup.csv")
    assert "ok" in written[-1].values()  # a rate's status on the total row
    back = _rows(results / "back.csv")
    assert [{k: r[k] for k in back[0]} for r in written] == back


def test_a_results_folder_is_given_whole_and_a_report_is_no_counts(
    results: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Files of a results folder and report tables given as counts say what to give."""
    monkeypatch.chdir(results)
    units = ["--units", "RES/units.parquet", "--format", "csv", "--out", "x.csv"]
    for counts in ("RES/standard_counts.parquet", "RES/rollup.csv"):
        assert main(["report", "--counts", counts, *units]) == 2
        err = capsys.readouterr().err
        assert f"{counts} is a file of the results folder RES: give the folder itself" in err
        assert "'learnsoc report RES'" in err
    for table in ("report.csv", "report.xlsx"):
        assert main(["report", "--counts", table, *units]) != 0
        err = capsys.readouterr().err
        assert f"{table} column 'indicator': is a report's table" in err
        assert "--counts reads back" in err
    assert not (results / "x.csv").exists()


@pytest.mark.parametrize(("locale", "suffix"), [("en", "csv"), ("vi", "xlsx")])
def test_a_report_from_the_rollup_of_results_is_the_report_of_the_results(
    results: Path, monkeypatch: pytest.MonkeyPatch, locale: str, suffix: str
) -> None:
    """``rollup RES --out std.csv`` then ``report --counts std.csv`` (a ministry given the
    provinces' rollups): the figures of ``report RES``, to the last count.

    The Vietnamese workbook heads every standard measure in words, read by their ids.
    """
    pytest.importorskip("openpyxl")
    monkeypatch.chdir(results)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = f"std-{locale}.{suffix}"
        assert main(["--locale", locale, "rollup", "RES", "--out", out, "--quiet"]) == 0
        report = ["report", "--format", "csv", "--quiet"]
        counts = ["--counts", out, "--units", "RES/units.parquet"]
        assert main([*report, *counts, "--out", f"from-{locale}.csv"]) == 0
        assert main([*report, "RES", "--out", "direct.csv"]) == 0
    from_rollup = _rows(results / f"from-{locale}.csv")
    assert from_rollup == _rows(results / "direct.csv")
    assert len(from_rollup) > 50


def test_counts_of_communes_in_a_tree_with_villages_come_back(folder: Path) -> None:
    """The communes report; the villages below them expect nothing (units_expected 0):
    the level that reports is the communes', not the lowest rows'."""
    units = UNITS + "0000101,Tổ 1,village,00001\n0000401,Tổ 2,village,00004\n"
    write(folder, "u3.csv", units)
    write(folder, "c.csv", "unit_code,families\n00001,10\n00004,20\n")
    tree = ["--units", "u3.csv", "--levels", "province,commune,village", "--quiet"]
    assert main(["rollup", "--counts", "c.csv", *tree, "--out", "o.csv"]) == 0
    villages = [r for r in _rows(folder / "o.csv") if r["level"] == "village"]
    assert [(r["families"], r["units_expected"]) for r in villages] == [("0", "0")] * 2
    assert main(["rollup", "--counts", "o.csv", *tree, "--out", "back.csv"]) == 0
    assert _rows(folder / "back.csv") == _rows(folder / "o.csv")
    assert _rows(folder / "back.csv")[0]["units_reporting"] == "2"
