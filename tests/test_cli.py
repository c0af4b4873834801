import os
import subprocess
import sys
from pathlib import Path

import pytest

from learnsoc.cli import main


def test_demo_prints_the_summary_in_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--persons", "3000", "--locale", "vi", "--seed", "1"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("Dân số (vn-2025)")
    assert "Tháp tuổi" in out
    assert "nhận + loại = đọc: OK" in err  # messages on stderr, the data on stdout


def test_demo_says_an_abolished_procedure_once_in_its_table(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The commune-level procedure was abolished in 2025: the summary's footnote says so,
    and no warning repeats it above the table."""
    assert main(["demo", "--persons", "3000", "--seed", "1"]) == 0
    out, err = capsys.readouterr()
    assert "† recognition procedure abolished on 2025-07-01" in out
    assert "abolished" not in err


def test_demo_on_the_old_tree(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--persons", "2000", "--hierarchy", "vn-pre-2025"]) == 0
    assert "district" in capsys.readouterr().out


def test_demo_level_in_vietnamese_and_a_level_the_tree_lacks_before_any_output(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """--level huyện on the new tree stopped after the whole report, with a Python hint."""
    assert main(["--locale", "vi", "demo", "--persons", "1500", "--level", "district"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "--level: không có cấp 'district'" in err and "'commune' (cấp xã)" in err
    assert "progress()" not in err
    assert main(["--locale", "vi", "demo", "--persons", "1500", "--level", "xã"]) == 0
    assert "Cấp xã" in capsys.readouterr().out


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert main(["demo", "--locale", "fr"]) == 2
    assert "invalid choice" in capsys.readouterr().err
    assert main(["--version"]) == 0


def test_python_dash_m_runs_the_cli() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "learnsoc", "demo", "--persons", "1500"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "accepted + rejected = read: OK" in done.stderr


def test_a_closed_pipe_is_not_an_error() -> None:
    """`learnsoc demo | head -1` must end quietly, without a traceback or an error line."""
    # A fixed command line through the shell, to get a real pipe.
    done = subprocess.run(  # noqa: S602
        f"{sys.executable} -m learnsoc demo --persons 3000 | head -1",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.startswith("Population")
    assert "error" not in done.stderr.lower()
    assert "Traceback" not in done.stderr


# -- report: the results table (no --targets) and progress, from per-unit counts ---------------

GOLDEN = Path(__file__).parent / "report" / "golden"
HA_GIANG_COUNTS = (
    "unit_code;families;learning_families;clans;learning_clans;communities;"
    "learning_communities;units;learning_units\n02;187624;138068;2263;1564;2069;1681;834;818\n"
)


@pytest.fixture
def ha_giang_files(tmp_path: Path) -> tuple[str, str]:
    (tmp_path / "units.csv").write_text("code,name,level\n02,Hà Giang,province\n", "utf-8")
    (tmp_path / "counts.csv").write_text(HA_GIANG_COUNTS, "utf-8")
    return str(tmp_path / "counts.csv"), str(tmp_path / "units.csv")


def _report(files: tuple[str, str], *args: str) -> list[str]:
    counts, units = files
    return ["report", "--counts", counts, "--units", units, "--levels", "province", *args]


def test_report_without_targets_prints_ha_giangs_results_as_published(
    ha_giang_files: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """learnsoc report --counts without --targets: the results table, compared with golden files."""
    decimals = "learning_clans=1,learning_communities=1,learning_units=0"
    for locale in ("vi", "en"):
        argv = _report(ha_giang_files, "--year", "2024", "--locale", locale)
        argv += ["--rounding", "truncate", "--decimals", decimals]
        assert main(argv) == 0
        out, err = capsys.readouterr()  # the table on stdout, the counts on stderr
        got = out + err
        path = GOLDEN / f"results_cli.{locale}.txt"
        if os.environ.get("LEARNSOC_UPDATE_GOLDEN") == "1":
            path.write_text(got, encoding="utf-8")
        assert got == path.read_text(encoding="utf-8")
    vi = (GOLDEN / "results_cli.vi.txt").read_text(encoding="utf-8")
    assert "138.068 / 187.624 gia đình  73,58%" in vi
    assert "nhận + loại = đọc: OK" in vi


def test_report_indicators_and_decimals_reach_results_and_progress(
    ha_giang_files: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """--indicators and --decimals shape the results table and the progress report."""
    argv = _report(ha_giang_files, "--indicators", "learning_families", "--decimals", "1")
    assert main([*argv, "--format", "csv", "--locale", "vi"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith("indicator_label,group_label,denominator_label,status,status_label")
    # No group (a total); computed from the one province, which reported.
    assert lines[1].endswith("Tỷ lệ Gia đình học tập,,tổng số gia đình,ok,đã tính")
    assert len([ln for ln in lines if ln.startswith("02,")]) == 1
    assert main([*argv, "--targets", "hanoi-23-nq-tu", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert (
        "| Hà Giang (02) | share of learning families | 73.6% | 138,068 / 187,624 families |" in out
    )
    assert "| all families |" in out


def test_report_bad_indicators_and_decimals_exit_2_naming_the_choices(
    ha_giang_files: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Misspelt indicators and bad --decimals exit 2 with one line naming the choices."""
    assert main(_report(ha_giang_files, "--indicators", "learning_familes")) == 2
    err = capsys.readouterr().err
    assert "unknown indicator 'learning_familes'; did you mean 'learning_families'?" in err
    assert main(_report(ha_giang_files, "--decimals", "learning_clan=1")) == 2
    err = capsys.readouterr().err
    assert "decimals: no indicator 'learning_clan'" in err and "'learning_clans'" in err
    assert main(_report(ha_giang_files, "--decimals", "learning_clans:1")) == 2
    assert "--decimals: 'learning_clans:1' is not INDICATOR=N" in capsys.readouterr().err
    argv = _report(ha_giang_files, "--targets", "hanoi-23-nq-tu", "--indicators", "clans")
    assert main(argv) == 2
    assert "unknown indicator 'clans'" in capsys.readouterr().err


def test_bad_outputs_exit_2_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """In-process: each refused output is exit 2 with one line naming the option."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "persons.csv").write_text("person_id\n1\n", "utf-8")
    (tmp_path / "afile").write_text("", "utf-8")
    (tmp_path / "d.csv").mkdir()
    inputs = ["persons.csv", "--households", "h.csv", "--units", "u.csv"]
    book = ["--rulebook", "example", "--as-of", "2025-12-31"]
    cases = [
        (["validate", *inputs, "--rejects", "r.ods"], "--rejects: cannot write 'r.ods': '.ods'"),
        (["evaluate", *inputs, *book, "--out", "v"], "--out: cannot write 'v': the name has no"),
        (["evaluate", *inputs, *book, "--out", "./persons.csv"], "it is the input file"),
        (["evaluate", *inputs, *book, "--out", "v.pq", "--rejects", "v.pq"], "also the --out"),
        (["validate", *inputs, "--rejects", "afile/r.csv"], "is a file, not a folder"),
        (["validate", *inputs, "--rejects", "d.csv"], "it is a folder"),
        (["report", "--counts", "c.csv", "--units", "u.csv", "--targets", "t", "--out", "r.pdf"],
         "(or give --format)"),
    ]  # fmt: skip
    for argv, expected in cases:
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert err.count("\n") == 1
        assert f"learnsoc {argv[0]}: error: " in err
        assert expected in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "d.csv", "persons.csv"]
    assert (tmp_path / "persons.csv").read_text("utf-8") == "person_id\n1\n"
