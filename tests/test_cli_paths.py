"""The command line in-process: missing options, every report format, the listings."""

from __future__ import annotations

import csv
import io
import itertools
import json
from pathlib import Path

import pytest

from learnsoc.cli import main
from learnsoc.errors import RulebookError
from tests.io.helpers import files, write

# Ha Giang's 2024 report (DOMAIN.md section 4): 138,068 learning families of 187,624.
COUNTS = "unit_code;families;learning_families\n02;187624;138068\n"
UNITS = "code,name,level\n02,Hà Giang,province\n"
COUNT_ARGS = ("--counts", "counts.csv", "--units", "units.csv", "--levels", "province")
REPORT = ("report", *COUNT_ARGS, "--targets", "hanoi-23-nq-tu", "--year", "2025")


@pytest.fixture
def counts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A province's counts and its one-unit tree, in the current folder."""
    write(tmp_path, "counts.csv", COUNTS)
    write(tmp_path, "units.csv", UNITS)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["validate", "persons.csv"], "give the persons file and --households (and --units)"),
        (
            ["validate", "--households", "h.csv"],
            "give the persons file and --households (and --units)",
        ),
        (
            ["validate", "persons.csv", "--households", "households.csv"],
            "give the administrative units file with --units",
        ),
        (
            ["report", "--counts", "counts.csv", "--targets", "hanoi-23-nq-tu"],
            "--counts needs the units file (--units or --hierarchy)",
        ),
        (
            [
                "report",
                "persons.csv",
                "--households",
                "households.csv",
                "--units",
                "units.csv",
                "--targets",
                "hanoi-23-nq-tu",
            ],
            "a report from files needs --rulebook and --as-of (or --counts)",
        ),
        (
            ["report", "--counts", "nope.csv", "--units", "units.csv", "--targets", "x"],
            "--counts: no such file: nope.csv",
        ),
    ],
)
def test_missing_inputs_are_usage_errors_with_exit_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    """Each missing input is named on one line, before anything is read."""
    files(tmp_path)
    write(tmp_path, "counts.csv", COUNTS)
    monkeypatch.chdir(tmp_path)
    if argv[0] == "report" and "nope.csv" in argv:
        argv[-1] = "hanoi-23-nq-tu"
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err == f"learnsoc {argv[0]}: error: {message}\n"


@pytest.mark.parametrize(
    ("argv", "vi"),
    [
        (["report", "ketqua/"], False),
        (["report", "ketqua/", "--rulebook", "vn-national", "--as-of", "31/12/2025"], False),
        (
            [
                "evaluate",
                "dulieu/",
                "--rulebook",
                "vn-national",
                "--as-of",
                "31/12/2025",
                "--out",
                "kq/",
            ],
            False,
        ),
        (["rollup", "ketqua", "--out", "tong_hop.csv", "--locale", "vi"], True),
        (["validate", "nhan_khau", "--households", "households.csv"], True),
    ],
)
def test_a_mistyped_persons_file_or_folder_is_said_first(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    vi: bool,
) -> None:
    """A results or dataset folder (or persons file) that does not exist was said as what
    the command then lacked: ``learnsoc report ketqua/`` "a report from files needs
    --rulebook and --as-of", with them "give the persons file and --households",
    ``evaluate dulieu/ --out kq/`` "--out: the name has no extension". It is now said
    that the path does not exist, in the run's language."""
    files(tmp_path)
    monkeypatch.chdir(tmp_path)
    if vi:
        argv = [*argv, "--locale", "vi"] if "--locale" not in argv else argv
    assert main(argv) == 2
    err = capsys.readouterr().err
    said = "không có tệp hoặc thư mục này" if vi else "no such file or folder"
    assert err.splitlines()[-1].endswith(f": {argv[1]}: {said}")


def _learning_families(rows: list[dict[str, object]]) -> dict[str, object]:
    """The report row of the learning-families indicator (there is exactly one)."""
    (row,) = [r for r in rows if r["indicator"] == "learning_families"]
    return row


def test_report_as_csv_carries_the_counts(counts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--format csv prints the numerator and denominator, not only the rate."""
    assert main([*REPORT, "--format", "csv", "--quiet"]) == 0
    out = capsys.readouterr()
    text = out.out  # only the data on stdout; the check line goes to stderr
    assert out.err.rstrip("\n").endswith("accepted + rejected = read: OK")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    row = _learning_families(list(rows))
    assert (row["numerator"], row["denominator"], row["status"]) == ("138068", "187624", "met")
    assert float(str(row["value"])) == pytest.approx(100 * 138068 / 187624)
    assert float(str(row["gap"])) == pytest.approx(100 * 138068 / 187624 - 60)


def test_report_as_json_from_the_out_extension(counts: Path) -> None:
    """--out report.json picks JSON; the observed rate is 138,068 / 187,624."""
    assert main([*REPORT, "--out", "report.json", "--quiet"]) == 0
    data = json.loads((counts / "report.json").read_text("utf-8"))
    assert (data["target_set"]["id"], data["year"]) == ("hanoi-23-nq-tu", 2025)
    row = _learning_families(data["rows"])
    assert (row["numerator"], row["denominator"], row["target"]) == (138068, 187624, 60.0)
    assert row["value"] == pytest.approx(100 * 138068 / 187624)


@pytest.mark.parametrize(
    ("out", "start"),
    [("report.md", "#"), ("report.htm", "<div"), ("report.txt", "Progress towards the targets")],
)
def test_report_format_follows_the_extension(counts: Path, out: str, start: str) -> None:
    """Markdown for .md, HTML for .htm, text for anything else; the figure is the same."""
    assert main([*REPORT, "--out", out, "--quiet", "--rounding", "truncate"]) == 0
    text = (counts / out).read_text("utf-8")
    assert text.lstrip().startswith(start)
    assert "73.58%" in text  # 138,068 / 187,624 = 73.587...%, truncated


def test_report_to_stdout_in_markdown(counts: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--format wins over the missing --out; the report goes to stdout."""
    assert main([*REPORT, "--format", "markdown", "--rounding", "half_up"]) == 0
    out = capsys.readouterr().out
    assert "| " in out
    assert "73.59%" in out  # rounded half up
    assert "wrote" not in out


def test_rulebooks_lists_dates_documents_and_last_check(capsys: pytest.CaptureFixture[str]) -> None:
    """The listing shows each bundled rulebook's dates, when it was last checked, its sources."""
    assert main(["rulebooks", "--locale", "vi"]) == 0
    out = capsys.readouterr().out
    lines = ("\n" + out).split("\nexample  ", 1)[1].splitlines()
    block = "\n".join([lines[0], *itertools.takewhile(lambda ln: ln.startswith(" "), lines[1:])])
    # Vietnamese dates and words under --locale vi (issue 16, item 6).
    assert "phiên bản 2025.1; ngày 01/01/2016 – ngày 31/12/2030" in block
    assert "kiểm tra lần cuối ngày 24/11/2025" in block
    assert "    - Quyết định 448/QĐ-KHVN" in block
    assert block.splitlines()[0] == "Bộ tiêu chí ví dụ (không chính thức)"


def test_targets_lists_the_years_of_each_set(capsys: pytest.CaptureFixture[str]) -> None:
    """Each bundled target set with its date and years."""
    assert main(["targets"]) == 0
    out = capsys.readouterr().out
    assert "vn-387-qd-ttg  Decision 387/QĐ-TTg\n    2022-03-25; " in out
    line = out.split("vn-387-qd-ttg", 1)[1].splitlines()[1]
    assert line.endswith("targets for 2025, 2030")


def test_debug_shows_the_real_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """--debug (or LEARNSOC_DEBUG=1) lets the error through with its traceback."""
    files(tmp_path)
    write(tmp_path, "bad.toml", "[rulebook\n")
    monkeypatch.chdir(tmp_path)
    argv = ["evaluate", "persons.csv", "--households", "households.csv", "--units", "units.csv"]
    argv += ["--rulebook", "bad.toml", "--as-of", "2025-12-31"]
    assert main(argv) == 2  # a rulebook error is a configuration error
    assert capsys.readouterr().err.startswith("learnsoc: error: ")
    with pytest.raises(RulebookError):
        main(["--debug", *argv])
    monkeypatch.setenv("LEARNSOC_DEBUG", "1")
    with pytest.raises(RulebookError):
        main(argv)


def test_a_tree_error_is_a_data_error_with_exit_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Units that do not form the tree are the data's fault: exit 1, not 2."""
    files(tmp_path, units="code,name,level,parent_code\n01,Hà Nội,province,\n")
    monkeypatch.chdir(tmp_path)
    argv = ["validate", "persons.csv", "--households", "households.csv", "--units", "units.csv"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("learnsoc: error: ")
    assert err.count("\n") == 1
