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
    their ids; its total row names itself "tổng 1 tỉnh, thành phố" beside the level "total".
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


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("en", "but the rows of its top level (the units without a parent unit) add up to 35"),
        ("vi", "nhưng các dòng của cấp trên cùng (các đơn vị không có đơn vị cấp trên) cộng lại"),
    ],
)
def test_a_rollups_total_row_that_does_not_add_up_says_which_rows_it_should_be(
    folder: Path, capsys: pytest.CaptureFixture[str], locale: str, words: str
) -> None:
    """The total row says 36 families; its top level, the province, says 35 (its communes,
    10 + 20 + 5, are in it already, so the rows above the total add up to 70): the reject
    names the top level's rows, not "the rows above it", with its own reason code."""
    assert _rollup("c.csv", "o.csv") == 0
    text = (folder / "o.csv").read_text("utf-8-sig")
    write(
        folder,
        "edited.csv",
        text.replace("total,,total of 1 province,,35,", "total,,total of 1 province,,36,"),
    )
    argv = ["--locale", locale, "rollup", "--counts", "edited.csv", *TREE]
    assert main([*argv, "--out", "back.csv", "--rejects", "r.csv"]) == 1
    capsys.readouterr()
    (reject,) = _rows(folder / "r.csv")
    assert (reject["line"], reject["column"], reject["value"]) == ("6", "families", "36")
    assert reject["reason"] == "rollup_total_mismatch"
    assert words in reject["message"]
    assert "above" not in reject["message"] and "phía trên" not in reject["message"]
    assert 10 + 20 + 5 == 35
    # Its figures are the province's, as learnsoc adds them up.
    assert _rows(folder / "back.csv")[-1]["families"] == "35"


def test_a_counts_files_totals_row_still_says_the_rows_above_it(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An agency's counts file with a 'Tổng cộng' row: 10 + 20 + 5 = 35, not 36."""
    write(folder, "t.csv", COUNTS + "Tổng cộng,36,24\n")
    assert _rollup("t.csv", "back.csv", "--rejects", "r.csv") == 1
    capsys.readouterr()
    (reject,) = _rows(folder / "r.csv")
    assert reject["reason"] == "totals_mismatch"
    assert "but the rows above it add up to 35" in reject["message"]


#: A rollup of organisations as learnsoc writes it: the province runs 2 organisations of
#: its own (1 a learning unit) besides its communes' 3 + 4 + 1 (2 + 2 + 1 learning units).
ORGANISATIONS = (
    "level,code,name,parent_code,units,learning_units,units_reporting,units_expected\n"
    "province,01,Hà Nội,,10,6,3,3\n"
    "commune,00001,Phường Ba Đình,01,3,2,1,1\n"
    "commune,00004,Phường Ngọc Hà,01,4,2,1,1\n"
    "commune,00007,Phường Kim Mã,01,1,1,1,1\n"
    "total,,total,,10,6,3,3\n"
)


def _report_rows(folder: Path, counts: str, *more: str) -> dict[str, dict[str, str]]:
    argv = ["report", "--counts", counts, *TREE, "--indicators", "learning_units"]
    assert main([*argv, "--format", "csv", "--out", "rep.csv", *more]) in (0, 1)
    return {r["unit_code"]: r for r in _rows(folder / "rep.csv")}


def test_a_rows_own_part_above_its_units_is_read_back(folder: Path) -> None:
    """The province's 10 organisations are its communes' 8 and 2 of its own: read back as
    10, not 8 (nor 18), and the share 6 / 10, as written."""
    write(folder, "roll.csv", ORGANISATIONS)
    rows = _report_rows(folder, "roll.csv")
    assert (rows["01"]["numerator"], rows["01"]["denominator"]) == ("6", "10")
    assert rows["01"]["status"] == "ok"
    assert 3 + 4 + 1 + 2 == 10 and 2 + 2 + 1 + 1 == 6


@pytest.mark.parametrize("locale", ["en", "vi"])
def test_a_row_above_a_rejected_unit_is_rejected_and_its_totals_said_incomplete(
    folder: Path, capsys: pytest.CaptureFixture[str], locale: str
) -> None:
    """Kim Mã's count of organisations is not a number: its row is rejected, and the
    province's own 2 organisations cannot be told from its 10, which hold Kim Mã's. The
    province's row was accepted and its own part dropped unsaid: 7 organisations, "2 of 3
    communes", nothing about its own. Now its row is a reject naming Kim Mã (accepted +
    rejected + skipped = read), and the report names the province whose totals lack its
    own part, with the status ``incomplete``."""
    write(folder, "roll.csv", ORGANISATIONS.replace("Kim Mã,01,1,1", "Kim Mã,01,abc,1"))
    argv = ["--locale", locale, "rollup", "--counts", "roll.csv", *TREE]
    assert main([*argv, "--out", "back.csv", "--rejects", "r.csv"]) == 1
    err = capsys.readouterr().err
    assert ("= read: OK" if locale == "en" else "OK") in err
    rejects = _rows(folder / "r.csv")
    assert [(r["line"], r["column"], r["value"], r["reason"]) for r in rejects] == [
        ("2", "code", "00007", "rejected_unit_row"),
        ("5", "units", "abc", "not_a_number"),
    ]
    said = {
        "en": "the row of its unit '00007' was rejected, so this row's own part",
        "vi": "dòng của đơn vị trực thuộc '00007' bị loại",
    }
    assert said[locale] in rejects[0]["message"]
    # Read 6 (the total row skipped as a totals row): 3 accepted + 2 rejected + 1 skipped.
    province = _rows(folder / "back.csv")[0]
    assert (province["units"], province["learning_units"]) == ("7", "4")  # 3 + 4, 2 + 2
    assert (province["units_reporting"], province["units_expected"]) == ("2", "3")
    rows = _report_rows(folder, "roll.csv", "--locale", locale)
    assert (rows["01"]["numerator"], rows["01"]["denominator"]) == ("4", "7")
    assert rows["01"]["status"] == "incomplete"
    assert rows["00007"]["status"] == "not_reported"
    assert rows["00001"]["status"] == "ok"
    capsys.readouterr()
    report = ["--locale", locale, "report", "--counts", "roll.csv", *TREE]
    assert main([*report, "--indicators", "learning_units"]) == 1
    out = capsys.readouterr().out
    note = {
        "en": "Totals lacking a unit's own part",
        "vi": "Số tổng thiếu phần riêng của đơn vị",
    }
    assert note[locale] in out and "Hà Nội (01)" in out


def test_the_rollup_says_the_units_whose_own_part_was_not_read(folder: Path) -> None:
    """In Python: accepted + rejected = read, and the rollup names the province."""
    tree, _ = read_units(folder / "u.csv", levels=["province", "commune"])
    edited = ORGANISATIONS.replace("Kim Mã,01,1,1", "Kim Mã,01,abc,1")
    table = list(csv.DictReader(edited.splitlines()))
    cols = {k: np.array([r[k] for r in table]) for k in table[0]}
    roll = ls.rollup_counts(cols, tree)
    assert roll.rejects is not None
    assert roll.rejects.counts() == {"counts": (5, 3, 2)}
    assert roll.own_not_read == ("01",)
    assert roll.level("province").counts["units"].tolist() == [3 + 4]
