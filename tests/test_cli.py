import subprocess
import sys

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
