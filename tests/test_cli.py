import subprocess
import sys
from pathlib import Path

import pytest

from learnsoc.cli import main


def test_demo_prints_the_summary_in_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--persons", "3000", "--locale", "vi", "--seed", "1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Dân số (vn-2025)")
    assert "Tháp tuổi" in out
    assert "nhận + loại = đọc: OK" in out


def test_demo_on_the_old_tree(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--persons", "2000", "--hierarchy", "vn-pre-2025"]) == 0
    assert "district" in capsys.readouterr().out


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
    assert "accepted + rejected = read: OK" in done.stdout


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
        (["validate", *inputs, "--rejects", "r.xlsx"], "--rejects: cannot write 'r.xlsx': '.xlsx'"),
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
