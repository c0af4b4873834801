"""The command line on hand-made agency files: what a new user met (inputs codes stored as
numbers, counts files' own headers, rejected units, extra columns, date serials ...)."""

from __future__ import annotations

from pathlib import Path

import pytest

from learnsoc.cli import main
from tests.io.helpers import write
from tests.test_cli_jobs import BOOK, province  # noqa: F401  (a fixture)

# -- 1. --inputs: unit codes stored as numbers -------------------------------------------


def test_inputs_codes_that_lost_their_leading_zeros_name_their_unit(
    province: Path,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(province)
    lines = (province / "commune.csv").read_text("utf-8").splitlines()
    assert lines[1].startswith("00001;")
    write(province, "lost.csv", "\n".join([lines[0], lines[1][4:]]) + "\n")
    base = ["evaluate", "persons.csv", "--households", "households.csv", "--units", "units.csv"]
    assert main([*base, *BOOK, "--inputs", "commune=lost.csv"]) == 0
    err = capsys.readouterr().err
    assert "commune inputs: read 1, accepted 1, 0 rows rejected" in err
    assert "learnsoc: warning: --inputs lost.csv unit_code: 1 row had lost" in err
    assert "'1' as '00001'" in err
